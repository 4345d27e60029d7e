//! Which deals each side of `aov explain` compares, chosen from plain
//! values: the day ranges given, or `--base`/`--current` read as labels of
//! the compared period, or the last period with deals and the one with
//! deals before it. Pure, so every rule is tested here with dates worked
//! out by hand; the command only maps the errors to exit statuses.

use std::fmt;

use chrono::NaiveDate;

use super::explain::{SideError, Sides, period_sides};
use super::outliers::ranges_for;
use super::{Partials, Period, PeriodKey};

/// What the user asked the sides to be.
#[derive(Clone, Copy, Debug)]
pub struct Asked<'a> {
    /// The period compared (`--period`).
    pub period: Period,
    /// `--base-from`, `--base-to`, `--current-from`, `--current-to`.
    pub ranges: [Option<NaiveDate>; 4],
    /// `--base` and `--current`, as period labels.
    pub base: Option<&'a str>,
    pub current: Option<&'a str>,
    /// A seller against the team (`--seller`): by default both sides are
    /// the current period, the team's deals against the seller's.
    pub against_team: bool,
}

impl Asked<'_> {
    /// Whether the sides are day ranges (any of the four range flags).
    pub fn by_days(&self) -> bool {
        self.ranges.iter().any(Option::is_some)
    }
}

/// Why the sides cannot be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SidesError {
    /// A range ends before it starts (a usage error).
    FromAfterTo,
    /// Some but not all four range flags (a usage error).
    MissingRange,
    /// `--period all` without day ranges (a usage error).
    AllPeriod,
    /// `--base` or `--current` is not a label of the period (a usage error).
    BadLabel { flag: &'static str, label: String, period: Period },
    /// No deals at all (bad data).
    NoDeals,
    /// No period with deals before the current one (bad data); its label.
    NothingBefore(String),
}

impl SidesError {
    /// Whether the flags are at fault (else the data).
    pub fn is_usage(&self) -> bool {
        !matches!(self, SidesError::NoDeals | SidesError::NothingBefore(_))
    }
}

impl fmt::Display for SidesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SidesError::FromAfterTo => f.write_str("a --*-from date is after its --*-to date"),
            SidesError::MissingRange => {
                f.write_str("give all four of --base-from, --base-to, --current-from and --current-to")
            }
            SidesError::AllPeriod => f.write_str(
                "with --period all, name the sides with --base-from/--base-to and --current-from/--current-to",
            ),
            SidesError::BadLabel { flag, label, period } => {
                let example = period.label(period.key(NaiveDate::from_ymd_opt(2013, 3, 15).expect("a date")));
                write!(f, "{flag} {label} is not a {period} label; write it as in the report, e.g. {example}")
            }
            SidesError::NoDeals => f.write_str("no deals to explain"),
            SidesError::NothingBefore(label) => {
                write!(f, "no period with deals before {label}; name the periods with --base and --current")
            }
        }
    }
}

/// The period keys explain's deal store must keep, when the sides are
/// known before reading (day ranges, or both periods named; a seller
/// against the team in a named period); `None` keeps every period.
pub fn kept_ranges(asked: &Asked<'_>) -> Option<[(i64, i64); 2]> {
    if asked.by_days() {
        let [a, b, c, d] = asked.ranges;
        return ranges_for(None, None, Some([a?, b?, c?, d?]));
    }
    let key = |l: Option<&str>| l.and_then(|l| asked.period.parse_label(l)).map(|k| k.0);
    let current = key(asked.current);
    let base = if asked.against_team { current } else { key(asked.base) };
    ranges_for(base, current, None)
}

/// The two sides, once the periods with deals are known (`partials`
/// bucketed by the compared period, or by day for day ranges).
pub fn choose(asked: &Asked<'_>, partials: &Partials) -> Result<Sides, SidesError> {
    let period = asked.period;
    if asked.by_days() {
        return match asked.ranges {
            [Some(a), Some(b), Some(c), Some(d)] if a > b || c > d => Err(SidesError::FromAfterTo),
            [Some(a), Some(b), Some(c), Some(d)] => Ok(Sides::Days([a, b, c, d])),
            _ => Err(SidesError::MissingRange),
        };
    }
    if period == Period::All {
        return Err(SidesError::AllPeriod);
    }
    let parse = |label: &str, flag: &'static str| -> Result<PeriodKey, SidesError> {
        period.parse_label(label).ok_or_else(|| SidesError::BadLabel { flag, label: label.to_string(), period })
    };
    let current = asked.current.map(|l| parse(l, "--current")).transpose()?;
    let base = asked.base.map(|l| parse(l, "--base")).transpose()?;
    period_sides(partials, base, current, asked.against_team).map_err(|e| match e {
        SideError::NoDeals => SidesError::NoDeals,
        SideError::NothingBefore(current) => SidesError::NothingBefore(period.label(current)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn asked(period: Period) -> Asked<'static> {
        Asked { period, ranges: [None; 4], base: None, current: None, against_team: false }
    }

    /// Months since year 0 (the month key: year * 12 + month - 1), worked
    /// out by hand: 2024 * 12 = 24288.
    const JAN_2024: i64 = 24288;
    const MAR_2024: i64 = 24290;

    fn months(days: &[NaiveDate]) -> Partials {
        let mut p = Partials::new(Period::Month, 1);
        for &day in days {
            p.add(&["acme"], "", day, Decimal::new(1000, 2)).unwrap();
        }
        p
    }

    #[test]
    fn month_keys_are_what_the_tests_assume() {
        assert_eq!(Period::Month.key(d(2024, 1, 31)), PeriodKey(JAN_2024));
        assert_eq!(Period::Month.key(d(2024, 3, 1)), PeriodKey(MAR_2024));
    }

    #[test]
    fn day_ranges_are_the_sides_when_all_four_are_given_in_order() {
        let mut a = asked(Period::Month);
        a.ranges = [Some(d(2024, 1, 1)), Some(d(2024, 1, 31)), Some(d(2024, 2, 1)), Some(d(2024, 2, 29))];
        let sides = choose(&a, &Partials::new(Period::Day, 1)).unwrap();
        assert_eq!(sides, Sides::Days([d(2024, 1, 1), d(2024, 1, 31), d(2024, 2, 1), d(2024, 2, 29)]));
        // One day is a range too.
        a.ranges = [Some(d(2024, 1, 5)), Some(d(2024, 1, 5)), Some(d(2024, 1, 6)), Some(d(2024, 1, 6))];
        assert!(choose(&a, &Partials::new(Period::Day, 1)).is_ok());
    }

    #[test]
    fn a_range_ending_before_it_starts_or_a_missing_flag_is_a_usage_error() {
        let mut a = asked(Period::Month);
        a.ranges = [Some(d(2024, 2, 1)), Some(d(2024, 1, 31)), Some(d(2024, 3, 1)), Some(d(2024, 3, 31))];
        let e = choose(&a, &Partials::new(Period::Day, 1)).unwrap_err();
        assert_eq!(e, SidesError::FromAfterTo);
        assert!(e.is_usage());
        a.ranges = [Some(d(2024, 1, 1)), Some(d(2024, 1, 31)), Some(d(2024, 3, 1)), Some(d(2024, 2, 1))];
        assert_eq!(choose(&a, &Partials::new(Period::Day, 1)).unwrap_err(), SidesError::FromAfterTo);
        a.ranges = [Some(d(2024, 1, 1)), None, Some(d(2024, 3, 1)), Some(d(2024, 3, 31))];
        let e = choose(&a, &Partials::new(Period::Day, 1)).unwrap_err();
        assert_eq!(e, SidesError::MissingRange);
        assert_eq!(e.to_string(), "give all four of --base-from, --base-to, --current-from and --current-to");
    }

    #[test]
    fn period_all_needs_day_ranges() {
        let e = choose(&asked(Period::All), &months(&[d(2024, 1, 2)])).unwrap_err();
        assert_eq!(e, SidesError::AllPeriod);
        assert!(e.is_usage());
    }

    #[test]
    fn named_periods_are_read_as_labels() {
        let mut a = asked(Period::Month);
        a.base = Some("2024-01");
        a.current = Some("2024-03");
        // The labels decide, whatever periods have deals.
        let sides = choose(&a, &months(&[d(2024, 2, 10)])).unwrap();
        assert_eq!(sides, Sides::Periods(PeriodKey(JAN_2024), PeriodKey(MAR_2024)));
    }

    #[test]
    fn a_label_of_another_period_is_a_usage_error_with_an_example() {
        let mut a = asked(Period::Month);
        a.current = Some("March");
        let e = choose(&a, &months(&[d(2024, 2, 10)])).unwrap_err();
        assert!(e.is_usage());
        assert_eq!(e.to_string(), "--current March is not a month label; write it as in the report, e.g. 2013-03");
        // --current is read before --base.
        a.base = Some("2024-13");
        let e = choose(&a, &months(&[d(2024, 2, 10)])).unwrap_err();
        assert!(matches!(e, SidesError::BadLabel { flag: "--current", .. }));
        a.current = Some("2024-03");
        let e = choose(&a, &months(&[d(2024, 2, 10)])).unwrap_err();
        assert!(matches!(e, SidesError::BadLabel { flag: "--base", .. }));
    }

    #[test]
    fn by_default_the_last_period_with_deals_against_the_one_with_deals_before_it() {
        // February has no deals: March is compared with January.
        let p = months(&[d(2024, 3, 9), d(2024, 1, 20), d(2024, 1, 3)]);
        assert_eq!(
            choose(&asked(Period::Month), &p).unwrap(),
            Sides::Periods(PeriodKey(JAN_2024), PeriodKey(MAR_2024))
        );
        // A seller against the team: both sides are the last period.
        let mut a = asked(Period::Month);
        a.against_team = true;
        assert_eq!(choose(&a, &p).unwrap(), Sides::Periods(PeriodKey(MAR_2024), PeriodKey(MAR_2024)));
        // A named current period: the base is the last one with deals before it.
        let mut a = asked(Period::Month);
        a.current = Some("2024-02");
        assert_eq!(choose(&a, &p).unwrap(), Sides::Periods(PeriodKey(JAN_2024), PeriodKey(JAN_2024 + 1)));
    }

    #[test]
    fn no_deals_or_nothing_before_is_an_error_of_the_data() {
        let e = choose(&asked(Period::Month), &months(&[])).unwrap_err();
        assert_eq!(e, SidesError::NoDeals);
        assert!(!e.is_usage());
        let e = choose(&asked(Period::Month), &months(&[d(2024, 3, 9), d(2024, 3, 30)])).unwrap_err();
        assert_eq!(e, SidesError::NothingBefore("2024-03".into()));
        assert_eq!(e.to_string(), "no period with deals before 2024-03; name the periods with --base and --current");
    }

    #[test]
    fn the_kept_ranges_are_known_only_when_both_sides_are() {
        let mut a = asked(Period::Month);
        assert_eq!(kept_ranges(&a), None);
        a.current = Some("2024-03");
        assert_eq!(kept_ranges(&a), None, "the base is found after reading");
        a.base = Some("2024-01");
        assert_eq!(kept_ranges(&a), Some([(JAN_2024, JAN_2024), (MAR_2024, MAR_2024)]));
        // Against the team the base is the current period, whatever --base says.
        a.against_team = true;
        assert_eq!(kept_ranges(&a), Some([(MAR_2024, MAR_2024), (MAR_2024, MAR_2024)]));
        // A label that does not parse keeps every period (the error comes later).
        a.against_team = false;
        a.base = Some("January");
        assert_eq!(kept_ranges(&a), None);
    }

    #[test]
    fn day_ranges_keep_day_keys_and_only_when_all_four_are_given() {
        let mut a = asked(Period::Month);
        a.ranges = [Some(d(2024, 1, 1)), Some(d(2024, 1, 2)), Some(d(2024, 1, 3)), None];
        assert_eq!(kept_ranges(&a), None);
        a.ranges = [Some(d(1, 1, 1)), Some(d(1, 1, 2)), Some(d(1, 1, 3)), Some(d(1, 1, 10))];
        // Day keys count days from 0001-01-01 (day 1).
        let k = |day: NaiveDate| Period::Day.key(day).0;
        assert_eq!(k(d(1, 1, 1)) + 9, k(d(1, 1, 10)));
        let got = kept_ranges(&a).unwrap();
        assert_eq!(got[0].1 - got[0].0, 1);
        assert_eq!(got[1].1 - got[1].0, 7);
        assert_eq!(got[0].0, k(d(1, 1, 1)));
    }
}
