//! Calendar periods: which bucket a date falls in, its label, and its order.
//! (The names of the periods, [`Period`], are the model's: readers of
//! engine partials check a file's grain by them; the calendar is here.)
//!
//! Every period granularity maps a date to a `PeriodKey`, a plain integer
//! that counts periods, so that sorting keys sorts time and "the preceding
//! period" is `key - 1`. The ISO 8601 week arithmetic is written out here
//! rather than borrowed from a database or a locale, so the report means the
//! same thing wherever its partial sums were computed.

use chrono::{Datelike, NaiveDate};

pub use crate::model::{Period, PeriodKey};

/// Days since 0001-01-01 (which is day 1 and a Monday).
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

fn from_day_number(n: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(n as i32).expect("day number in range")
}

/// Days since 0001-01-01 counted as day 1 (chrono's `num_days_from_ce`),
/// from the civil date by Howard Hinnant's algorithm.
pub fn days_from_ce(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    // era * 146097 + doe counts from 0000-03-01; 0001-01-01 is day 306 of it.
    era * 146097 + doe - 305
}

/// Monday = 0 ... Sunday = 6.
fn weekday_from_monday(date: NaiveDate) -> i64 {
    (day_number(date) - 1).rem_euclid(7)
}

/// The ISO 8601 week-numbering year and week of a date: the week belongs to
/// the year of its Thursday.
pub fn iso_week(date: NaiveDate) -> (i32, u32) {
    let thursday = from_day_number(day_number(date) - weekday_from_monday(date) + 3);
    (thursday.year(), thursday.ordinal0() / 7 + 1)
}

impl Period {
    /// The bucket of `date`.
    pub fn key(self, date: NaiveDate) -> PeriodKey {
        let y = i64::from(date.year());
        let m0 = i64::from(date.month0());
        PeriodKey(match self {
            Period::Day => day_number(date),
            Period::Week => (day_number(date) - weekday_from_monday(date) - 1) / 7,
            Period::Month => y * 12 + m0,
            Period::Quarter => y * 4 + m0 / 3,
            Period::Half => y * 2 + m0 / 6,
            Period::Year => y,
            Period::All => 0,
        })
    }

    /// The bucket of a date given as numbers (already checked to be a real
    /// day), without building a `NaiveDate`: the parallel reader's hot path.
    #[inline]
    pub fn key_ymd(self, y: i32, m: u32, d: u32) -> PeriodKey {
        let (yy, m0) = (i64::from(y), i64::from(m) - 1);
        PeriodKey(match self {
            Period::Day => days_from_ce(y, m, d),
            Period::Week => {
                let n = days_from_ce(y, m, d);
                (n - (n - 1).rem_euclid(7) - 1) / 7
            }
            Period::Month => yy * 12 + m0,
            Period::Quarter => yy * 4 + m0 / 3,
            Period::Half => yy * 2 + m0 / 6,
            Period::Year => yy,
            Period::All => 0,
        })
    }

    /// The first calendar day of a bucket (for `All`, `None`).
    pub fn first_day(self, key: PeriodKey) -> Option<NaiveDate> {
        let k = key.0;
        let ym =
            |months: i64| NaiveDate::from_ymd_opt(months.div_euclid(12) as i32, (months.rem_euclid(12) + 1) as u32, 1);
        match self {
            Period::Day => NaiveDate::from_num_days_from_ce_opt(k as i32),
            Period::Week => NaiveDate::from_num_days_from_ce_opt((k * 7 + 1) as i32),
            Period::Month => ym(k),
            Period::Quarter => ym(k * 3),
            Period::Half => ym(k * 6),
            Period::Year => NaiveDate::from_ymd_opt(k as i32, 1, 1),
            Period::All => None,
        }
    }

    /// The label users see: `2013-03-15`, `2013-W01`, `2013-03`, `2013-Q1`,
    /// `2013-H1`, `2013`; `all` for the single bucket.
    pub fn label(self, key: PeriodKey) -> String {
        let k = key.0;
        match self {
            Period::Day => from_day_number(k).format("%Y-%m-%d").to_string(),
            Period::Week => {
                let (y, w) = iso_week(from_day_number(k * 7 + 1));
                format!("{y:04}-W{w:02}")
            }
            Period::Month => format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
            Period::Quarter => format!("{:04}-Q{}", k.div_euclid(4), k.rem_euclid(4) + 1),
            Period::Half => format!("{:04}-H{}", k.div_euclid(2), k.rem_euclid(2) + 1),
            Period::Year => format!("{k:04}"),
            Period::All => "all".to_string(),
        }
    }

    /// Read a label back (the inverse of `label`).
    pub fn parse_label(self, s: &str) -> Option<PeriodKey> {
        let s = s.trim();
        let num = |t: &str| -> Option<i64> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        };
        let split = |sep: &str| -> Option<(i64, i64)> {
            let (a, b) = s.split_once(sep)?;
            if a.len() != 4 {
                return None;
            }
            Some((num(a)?, num(b)?))
        };
        match self {
            Period::Day => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| self.key(d)),
            Period::Week => {
                let (y, w) = split("-W")?;
                let jan4 = NaiveDate::from_ymd_opt(y as i32, 1, 4)?;
                let key = PeriodKey(self.key(jan4).0 + w - 1);
                (w >= 1 && iso_week(self.first_day(key)?) == (y as i32, w as u32)).then_some(key)
            }
            Period::Month => {
                let (y, m) = split("-")?;
                (1..=12).contains(&m).then_some(PeriodKey(y * 12 + m - 1))
            }
            Period::Quarter => {
                let (y, q) = split("-Q")?;
                (1..=4).contains(&q).then_some(PeriodKey(y * 4 + q - 1))
            }
            Period::Half => {
                let (y, h) = split("-H")?;
                (1..=2).contains(&h).then_some(PeriodKey(y * 2 + h - 1))
            }
            Period::Year => (s.len() == 4).then(|| num(s)).flatten().map(PeriodKey),
            Period::All => (s == "all").then_some(PeriodKey(0)),
        }
    }
}

impl Period {
    /// The same period one year earlier, for `--yoy`: the same month,
    /// quarter, half or year minus one; for ISO weeks the same week number
    /// of the previous ISO year (`None` for week 53 when that year has
    /// only 52); for days the same date (`None` for 29 February). `All`
    /// has no year before.
    pub fn year_before(self, key: PeriodKey) -> Option<PeriodKey> {
        let k = key.0;
        match self {
            Period::Day => {
                let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(k).ok()?)?;
                let earlier = NaiveDate::from_ymd_opt(date.year() - 1, date.month(), date.day())?;
                (date.month() != 2 || date.day() != 29).then(|| self.key(earlier))
            }
            Period::Week => {
                let (y, w) = iso_week(self.first_day(key)?);
                let jan4 = NaiveDate::from_ymd_opt(y - 1, 1, 4)?;
                let earlier = PeriodKey(self.key(jan4).0 + i64::from(w) - 1);
                (iso_week(self.first_day(earlier)?) == (y - 1, w)).then_some(earlier)
            }
            Period::Month => Some(PeriodKey(k - 12)),
            Period::Quarter => Some(PeriodKey(k - 4)),
            Period::Half => Some(PeriodKey(k - 2)),
            Period::Year => Some(PeriodKey(k - 1)),
            Period::All => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn label(p: Period, s: &str) -> String {
        p.label(p.key(d(s)))
    }

    #[test]
    fn labels_of_each_period() {
        assert_eq!(label(Period::Day, "2013-03-15"), "2013-03-15");
        assert_eq!(label(Period::Week, "2013-03-15"), "2013-W11");
        assert_eq!(label(Period::Month, "2013-03-15"), "2013-03");
        assert_eq!(label(Period::Quarter, "2013-03-31"), "2013-Q1");
        assert_eq!(label(Period::Quarter, "2013-04-01"), "2013-Q2");
        assert_eq!(label(Period::Quarter, "2013-12-31"), "2013-Q4");
        assert_eq!(label(Period::Half, "2013-06-30"), "2013-H1");
        assert_eq!(label(Period::Half, "2013-07-01"), "2013-H2");
        assert_eq!(label(Period::Year, "2013-07-01"), "2013");
        assert_eq!(label(Period::All, "2013-07-01"), "all");
    }

    #[test]
    fn iso_weeks_across_year_ends() {
        // 2012-12-31 is a Monday in the week of Thursday 2013-01-03.
        assert_eq!(label(Period::Week, "2012-12-31"), "2013-W01");
        assert_eq!(label(Period::Week, "2012-12-30"), "2012-W52");
        assert_eq!(label(Period::Week, "2013-01-06"), "2013-W01");
        assert_eq!(label(Period::Week, "2013-01-07"), "2013-W02");
        // 2015 has 53 weeks: 2015-12-28 .. 2016-01-03 is 2015-W53.
        assert_eq!(label(Period::Week, "2015-12-31"), "2015-W53");
        assert_eq!(label(Period::Week, "2016-01-03"), "2015-W53");
        assert_eq!(label(Period::Week, "2016-01-04"), "2016-W01");
        // 2020 too (a leap year starting on Wednesday).
        assert_eq!(label(Period::Week, "2021-01-01"), "2020-W53");
        // 2010-01-03 (Sunday) belongs to 2009-W53.
        assert_eq!(label(Period::Week, "2010-01-03"), "2009-W53");
    }

    #[test]
    fn consecutive_keys_are_consecutive_periods() {
        let p = Period::Week;
        assert_eq!(p.key(d("2015-12-28")).next(), p.key(d("2016-01-04")));
        assert_eq!(Period::Month.key(d("2013-01-10")).prev(), Period::Month.key(d("2012-12-01")));
        assert_eq!(Period::Quarter.key(d("2013-01-10")).prev(), Period::Quarter.key(d("2012-11-01")));
        assert_eq!(Period::Half.key(d("2013-01-10")).prev(), Period::Half.key(d("2012-07-01")));
        assert_eq!(Period::Day.key(d("2013-03-01")).prev(), Period::Day.key(d("2013-02-28")));
        assert_eq!(Period::Day.key(d("2012-03-01")).prev(), Period::Day.key(d("2012-02-29")));
    }

    #[test]
    fn first_days() {
        let f = |p: Period, s: &str| p.first_day(p.key(d(s))).unwrap().to_string();
        assert_eq!(f(Period::Week, "2013-01-03"), "2012-12-31");
        assert_eq!(f(Period::Week, "2016-01-03"), "2015-12-28");
        assert_eq!(f(Period::Month, "2013-03-15"), "2013-03-01");
        assert_eq!(f(Period::Quarter, "2013-05-15"), "2013-04-01");
        assert_eq!(f(Period::Half, "2013-08-15"), "2013-07-01");
        assert_eq!(f(Period::Year, "2013-08-15"), "2013-01-01");
        assert_eq!(f(Period::Day, "2013-08-15"), "2013-08-15");
        assert_eq!(Period::All.first_day(PeriodKey(0)), None);
    }

    #[test]
    fn labels_parse_back() {
        for p in Period::ALL {
            for s in ["2012-12-31", "2013-01-01", "2015-12-31", "2016-01-03", "2020-02-29"] {
                let k = p.key(d(s));
                assert_eq!(p.parse_label(&p.label(k)), Some(k), "{p} {s}");
            }
        }
        assert_eq!(Period::Week.parse_label("2013-W54"), None);
        assert_eq!(Period::Week.parse_label("2014-W53"), None);
        assert_eq!(Period::Month.parse_label("2013-13"), None);
        assert_eq!(Period::Quarter.parse_label("2013-Q5"), None);
        assert_eq!(Period::Year.parse_label("13"), None);
    }

    #[test]
    fn key_from_numbers_matches_key_from_dates() {
        let mut day = d("1899-12-25");
        while day < d("2101-01-10") {
            assert_eq!(days_from_ce(day.year(), day.month(), day.day()), i64::from(day.num_days_from_ce()), "{day}");
            for p in Period::ALL {
                assert_eq!(p.key_ymd(day.year(), day.month(), day.day()), p.key(day), "{p} {day}");
            }
            day = day + chrono::Days::new(3);
        }
    }

    #[test]
    fn own_iso_week_matches_chrono_for_every_day_of_three_decades() {
        let mut day = d("1995-01-01");
        while day < d("2026-01-01") {
            let w = day.iso_week();
            assert_eq!(iso_week(day), (w.year(), w.week()), "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn the_same_period_a_year_earlier() {
        let before = |p: Period, s: &str| p.year_before(p.key(d(s))).map(|k| p.label(k));
        assert_eq!(before(Period::Month, "2013-03-15").as_deref(), Some("2012-03"));
        assert_eq!(before(Period::Month, "2013-01-01").as_deref(), Some("2012-01"));
        assert_eq!(before(Period::Quarter, "2013-02-01").as_deref(), Some("2012-Q1"));
        assert_eq!(before(Period::Half, "2013-07-01").as_deref(), Some("2012-H2"));
        assert_eq!(before(Period::Year, "2013-07-01").as_deref(), Some("2012"));
        assert_eq!(before(Period::All, "2013-07-01"), None);
        // Days: the same date; 29 February has none.
        assert_eq!(before(Period::Day, "2013-03-01").as_deref(), Some("2012-03-01"));
        assert_eq!(before(Period::Day, "2013-02-28").as_deref(), Some("2012-02-28"));
        assert_eq!(before(Period::Day, "2012-02-29"), None);
        assert_eq!(before(Period::Day, "2012-03-01").as_deref(), Some("2011-03-01"));
        // ISO weeks: the same number of the previous ISO year.
        // 2016-01-03 is in 2015-W53; 2014 has 52 weeks, so nothing.
        assert_eq!(before(Period::Week, "2016-01-03"), None);
        assert_eq!(before(Period::Week, "2015-12-31"), None);
        // 2016-W53 does not exist; 2016-01-04 is 2016-W01, a year earlier 2015-W01
        // (2014-12-29 .. 2015-01-04).
        assert_eq!(before(Period::Week, "2016-01-04").as_deref(), Some("2015-W01"));
        assert_eq!(
            Period::Week.first_day(Period::Week.year_before(Period::Week.key(d("2016-01-04"))).unwrap()),
            Some(d("2014-12-29"))
        );
        // 2016-W52 (2016-12-26) against 2015-W52 (2015-12-21), not 2015-W53.
        assert_eq!(before(Period::Week, "2016-12-26").as_deref(), Some("2015-W52"));
        // 2010-W53 does not exist but 2009-W53 does: 2021-W01 against 2020-W01;
        // 2009-W53 (2010-01-03) against 2008-W53, which 2008 lacks.
        assert_eq!(before(Period::Week, "2010-01-03"), None);
        assert_eq!(before(Period::Week, "2021-01-06").as_deref(), Some("2020-W01"));
        // No two ISO years in a row have 53 weeks (1992, 1998, 2004, 2009,
        // 2015, 2020, 2026 do), so a week 53 is never compared.
        assert_eq!(before(Period::Week, "2020-12-31"), None);
    }
}
