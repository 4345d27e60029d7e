//! The data of a chart: a report folded into one line per large group (the
//! rest summed as "other") and the deals per period, for one currency, and
//! where the periods meet the calendar's natural boundaries (month,
//! quarter and year starts), from which the time axis picks its ticks.
//!
//! Built here, not in the renderer, so that drawing only draws. One pass
//! over the report's rows: a row's group is looked up only when it differs
//! from the row before (a report lists each group's rows together), and the
//! sums per (series, period) sit in one dense array.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::{Overflow, exact_add};
use super::period::{Period, PeriodKey};
use super::report::{Report, ReportRow};

/// A series ready to draw: a name, the AOV per period (None: no deals)
/// and the series' own deals per period.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub aov: Vec<Option<Ratio>>,
    pub deals: Vec<u64>,
}

/// The chart's data: period labels, series, deals per period (all series
/// together), and the natural boundary each period starts.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    pub deals: Vec<u64>,
    pub currency: String,
    pub starts: Vec<Start>,
}

/// The largest calendar boundary a period begins (a week: that it holds;
/// a year start for a week is its ISO week 1, as its label says).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Start {
    /// No boundary beyond the period's own.
    Period,
    Month,
    Quarter,
    Year(i32),
}

impl Start {
    fn rank(self) -> u8 {
        match self {
            Start::Period => 0,
            Start::Month => 1,
            Start::Quarter => 2,
            Start::Year(_) => 3,
        }
    }
}

/// The boundary period `key` of `period` starts.
pub fn start_of(period: Period, key: PeriodKey) -> Start {
    use chrono::Datelike;
    let Some(first) = period.first_day(key) else { return Start::Period };
    let of_month = |d: chrono::NaiveDate| match d.month() {
        1 => Start::Year(d.year()),
        4 | 7 | 10 => Start::Quarter,
        _ => Start::Month,
    };
    match period {
        Period::Week => {
            let (y, w) = super::period::iso_week(first);
            if w == 1 {
                return Start::Year(y);
            }
            // The first of a month within the week's seven days.
            (0..7).filter_map(|d| first.checked_add_days(chrono::Days::new(d))).find(|d| d.day() == 1).map_or(
                Start::Period,
                |d| match of_month(d) {
                    Start::Year(_) => Start::Quarter,
                    s => s,
                },
            )
        }
        Period::Day if first.day() != 1 => Start::Period,
        Period::Day | Period::Month | Period::Quarter => of_month(first),
        Period::Half if first.month() == 1 => Start::Year(first.year()),
        Period::Half => Start::Quarter,
        Period::Year => Start::Year(first.year()),
        Period::All => Start::Period,
    }
}

/// The periods to label on a time axis where a label needs the room of
/// `room` periods: the finest natural level whose ticks stand that far
/// apart (every period, month starts, quarter starts, year starts, every
/// 2, 5, 10... years; at least two ticks when a coarser level has fewer,
/// else every k-th period), and always the last period; a tick too near
/// the last to leave room for both labels is dropped.
pub fn ticks(starts: &[Start], room: f64) -> Vec<usize> {
    let n = starts.len();
    if n == 0 {
        return Vec::new();
    }
    let room = room.max(1.0);
    let level = |rank: u8, years: i32| -> Vec<usize> {
        (0..n)
            .filter(|&i| match starts[i] {
                Start::Year(y) => years <= 1 || y.rem_euclid(years) == 0,
                s => years <= 1 && s.rank() >= rank,
            })
            .collect()
    };
    let apart = |l: &[usize]| l.windows(2).all(|w| (w[1] - w[0]) as f64 >= room);
    let mut levels: Vec<Vec<usize>> = vec![(0..n).collect(), level(1, 1), level(2, 1), level(3, 1)];
    for years in [2, 5, 10, 20, 50, 100, 200, 500, 1000] {
        levels.push(level(3, years));
    }
    let every = (0..n).step_by(room.ceil() as usize).collect();
    let mut chosen = levels.into_iter().find(|l| apart(l) && l.len() >= 2).unwrap_or(every);
    chosen.retain(|&i| ((n - 1 - i) as f64) >= room);
    chosen.push(n - 1);
    chosen
}

fn name_of(group: &[String]) -> String {
    if group.is_empty() { "AOV".to_string() } else { group.join(" / ") }
}

/// Fold a report into chart data for one currency (the one with the most
/// deals): the `top` largest groups by total, the rest summed as "other".
/// Linear in the rows and groups.
pub fn chart_data(report: &Report, top: usize) -> Result<ChartData, Overflow> {
    let mut deals_per_currency: BTreeMap<&str, u64> = BTreeMap::new();
    for t in &report.totals {
        deals_per_currency.insert(&t.currency, t.deals);
    }
    let currency = deals_per_currency.iter().max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c))).map_or("", |(c, _)| c);
    let key = |r: &ReportRow| r.period.as_deref().and_then(|p| report.period.parse_label(p)).unwrap_or(PeriodKey(0));
    // Each row's period key and group number (groups in report order, the
    // biggest total first).
    let mut groups: HashMap<&[String], usize> = HashMap::new();
    let mut names: Vec<&[String]> = Vec::new();
    let mut rows: Vec<(&ReportRow, PeriodKey, usize)> = Vec::new();
    let mut last: Option<(&[String], usize)> = None;
    for r in report.rows.iter().filter(|r| r.currency == currency) {
        let g = match last {
            Some((group, g)) if group == &r.group[..] => g,
            _ => *groups.entry(&r.group[..]).or_insert_with(|| {
                names.push(&r.group[..]);
                names.len() - 1
            }),
        };
        last = Some((&r.group[..], g));
        rows.push((r, key(r), g));
    }
    let (Some(first), Some(last)) = (rows.iter().map(|r| r.1).min(), rows.iter().map(|r| r.1).max()) else {
        return Ok(ChartData {
            labels: Vec::new(),
            series: Vec::new(),
            deals: Vec::new(),
            currency: currency.to_string(),
            starts: Vec::new(),
        });
    };
    let n = (last.0 - first.0 + 1) as usize;
    let labels: Vec<String> = (0..n).map(|i| report.period.label(PeriodKey(first.0 + i as i64))).collect();
    let shown = names.len().min(top.max(1));
    let count = if names.len() > shown { shown + 1 } else { shown };
    // (series, period) -> deals, total
    let mut sums = vec![(0u64, Decimal::ZERO); count * n];
    let mut deals = vec![0u64; n];
    for (r, k, g) in &rows {
        let s = (*g).min(shown);
        let i = (k.0 - first.0) as usize;
        let e = &mut sums[s * n + i];
        e.0 += r.deals;
        e.1 = exact_add(e.1, r.total).ok_or_else(|| Overflow {
            group: if s < shown { name_of(names[s]) } else { "other".into() },
            period: labels[i].clone(),
        })?;
        deals[i] += r.deals;
    }
    let series = (0..count)
        .map(|s| Series {
            name: if s < shown { name_of(names[s]) } else { "other".into() },
            aov: (0..n).map(|i| Ratio::mean(sums[s * n + i].1, sums[s * n + i].0)).collect(),
            deals: (0..n).map(|i| sums[s * n + i].0).collect(),
        })
        .collect();
    let starts = (0..n).map(|i| start_of(report.period, PeriodKey(first.0 + i as i64))).collect();
    Ok(ChartData { labels, series, deals, currency: currency.to_string(), starts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Partials, Period, build};
    use crate::model::Dimension;
    use chrono::NaiveDate;
    use std::str::FromStr;

    fn aov(r: &Option<Ratio>) -> String {
        r.as_ref().map_or("-".into(), |r| r.round(2).to_string())
    }

    #[test]
    fn the_largest_groups_get_lines_and_the_rest_is_other() {
        let mut p = Partials::new(Period::Month, 1);
        for (c, day, a) in [
            ("Big", "2013-01-05", "100"),
            ("Big", "2013-03-01", "50"),
            ("Mid", "2013-01-20", "40"),
            ("Small", "2013-01-02", "4"),
            ("Tiny", "2013-03-09", "1"),
            ("Tiny", "2013-03-10", "2"),
        ] {
            let day = NaiveDate::from_str(day).unwrap();
            p.add(&[c], "", day, Decimal::from_str(a).unwrap()).unwrap();
        }
        let report = build(&p, &[Dimension::Customer]).unwrap();
        let data = chart_data(&report, 2).unwrap();
        assert_eq!(data.labels, ["2013-01", "2013-02", "2013-03"]);
        // Other = Small + Tiny: January 4 / 1, March (1 + 2) / 2 = 1.50.
        let got: Vec<(String, Vec<String>)> =
            data.series.iter().map(|s| (s.name.clone(), s.aov.iter().map(aov).collect())).collect();
        let want = [("Big", ["100.00", "-", "50.00"]), ("Mid", ["40.00", "-", "-"]), ("other", ["4.00", "-", "1.50"])];
        assert_eq!(got, want.map(|(n, a)| (n.to_string(), a.map(String::from).to_vec())));
        assert_eq!(data.deals, [3, 0, 3]);
        // Without --by: one line named AOV.
        let mut all = Partials::new(Period::Month, 0);
        all.add(&[], "", NaiveDate::from_str("2013-05-01").unwrap(), Decimal::from(7)).unwrap();
        let data = chart_data(&build(&all, &[]).unwrap(), 5).unwrap();
        assert_eq!((data.series.len(), data.series[0].name.as_str()), (1, "AOV"));
    }

    fn starts(period: Period, from: &str, n: usize) -> Vec<Start> {
        let first = period.key(NaiveDate::from_str(from).unwrap());
        (0..n).map(|i| start_of(period, PeriodKey(first.0 + i as i64))).collect()
    }

    #[test]
    fn weeks_start_years_at_week_one_and_months_where_they_hold_the_first() {
        use Start::{Month, Quarter, Year};
        const P: Start = Start::Period;
        // 2014-12-22 (W52), 2014-12-29 (W01 of 2015: holds 1 January),
        // 2015-01-05, ... 2015-01-26 (holds 1 February), 2015-03-30 (holds
        // 1 April: a quarter start).
        let s = starts(Period::Week, "2014-12-22", 15);
        assert_eq!(&s[..7], [P, Year(2015), P, P, P, Month, P]);
        assert_eq!(s[14], Quarter);
        // 2020-W53 holds 1 January 2021 but is no year start: 2021-W01 is.
        let s = starts(Period::Week, "2020-12-28", 2);
        assert_eq!(s, [Quarter, Year(2021)]);
        assert_eq!(starts(Period::Month, "2013-11-01", 6), [Month, Month, Year(2014), Month, Month, Quarter]);
        assert_eq!(starts(Period::Day, "2013-03-31", 3), [P, Quarter, P]);
        assert_eq!(starts(Period::Half, "2013-01-01", 2), [Year(2013), Quarter]);
    }

    #[test]
    fn ticks_take_the_finest_level_that_has_room_and_always_the_last() {
        // 36 months from 2012-01: room for a label every 2.9 months gives
        // quarter starts (0, 3, ..., 30), 2014-10 (33) too near 2014-12 (35).
        let s = starts(Period::Month, "2012-01-01", 36);
        assert_eq!(ticks(&s, 2.9), [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 35]);
        // Room every 3.1 months: year starts only.
        assert_eq!(ticks(&s, 3.1), [0, 12, 24, 35]);
        assert_eq!(ticks(&s, 1.0), (0..36).collect::<Vec<_>>());
        // 30 years of months, room for a label every 30 months: every
        // fifth year (2000, 2005, ..., 2025) and December 2029; with room
        // for one every 61 months, every tenth year.
        let s = starts(Period::Month, "2000-01-01", 360);
        assert_eq!(ticks(&s, 30.0), [0, 60, 120, 180, 240, 300, 359]);
        assert_eq!(ticks(&s, 61.0), [0, 120, 240, 359]);
        // 20 days inside one month: no boundary; every 5th day.
        let s = starts(Period::Day, "2013-03-05", 20);
        assert_eq!(ticks(&s, 4.2), [0, 5, 10, 19]);
        assert_eq!(ticks(&[], 3.0), Vec::<usize>::new());
        assert_eq!(ticks(&s[..1], 3.0), [0]);
    }
}
