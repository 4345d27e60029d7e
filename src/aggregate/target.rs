//! The `--fail-below` rule: which groups' checked period has an AOV below
//! the limit, or no deals. Pure on the report, so the rule is tested here;
//! the command prints the lines and picks the exit status.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Period, Ratio, Report, ReportRow};

/// With `--complete-only` (`complete_before`, the `--as-of` day), the
/// period `--fail-below` checks: the last complete one before that day,
/// whether or not it has deals (so a stale export fails). Without it,
/// `None`: each group's last period with deals is checked.
pub fn checked_period(period: Period, complete_before: Option<NaiveDate>) -> Option<String> {
    let day = complete_before?;
    (period != Period::All).then(|| period.label(period.key(day).prev()))
}

/// The groups whose checked period has an AOV below `limit` or no deals:
/// each group's last period, or `checked` (a period label) when given. A
/// report without any deal is below whatever the limit.
pub fn below_target(report: &Report, limit: Decimal, checked: Option<&str>) -> Vec<String> {
    if report.rows.is_empty() {
        return vec![format!("all deals, {}: no deals", checked.unwrap_or("the selection"))];
    }
    let limit = Ratio::from_decimal(limit);
    let mut last: BTreeMap<(Vec<String>, String), &ReportRow> = BTreeMap::new();
    for row in &report.rows {
        last.insert((row.group.to_vec(), row.currency.clone()), row);
    }
    let mut out = Vec::new();
    for row in report.rows.iter().filter(|r| std::ptr::eq(*r, last[&(r.group.to_vec(), r.currency.clone())])) {
        let mut who: Vec<String> = row.group.to_vec();
        if report.show_currency {
            who.push(row.currency.clone());
        }
        let name = if who.is_empty() { "all deals".to_string() } else { who.join(" / ") };
        let period = row.period.as_deref().unwrap_or("all");
        if let Some(p) = checked.filter(|p| *p != period) {
            out.push(format!("{name}, {p}: no deals (the last are from {period})"));
            continue;
        }
        if row.aov.as_ref().is_none_or(|a| *a < limit) {
            let aov = row.aov.as_ref().map_or("no deals".to_string(), |a| format!("AOV {}", a.round(2)));
            out.push(format!("{name}, {period}: {aov}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Partials, build};
    use crate::model::Dimension;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// acme: January 100 + 200 (AOV 150), February 300 (AOV 300);
    /// bolt: January 50 and 25 (AOV 37.50).
    fn report() -> Report {
        let mut p = Partials::new(Period::Month, 1);
        for (who, day, cents) in [
            ("acme", d(2024, 1, 3), 10000),
            ("acme", d(2024, 1, 30), 20000),
            ("acme", d(2024, 2, 1), 30000),
            ("bolt", d(2024, 1, 9), 5000),
            ("bolt", d(2024, 1, 10), 2500),
        ] {
            p.add(&[who], "", day, Decimal::new(cents, 2)).unwrap();
        }
        build(&p, &[Dimension::Customer]).unwrap()
    }

    #[test]
    fn each_groups_last_period_is_checked_against_the_limit() {
        // acme's last month is February (300), bolt's January (37.50).
        assert_eq!(below_target(&report(), Decimal::new(250, 0), None), vec!["bolt, 2024-01: AOV 37.50"]);
        // acme's January (150) is below 250 but is not its last month.
        assert_eq!(
            below_target(&report(), Decimal::new(301, 0), None),
            vec!["acme, 2024-02: AOV 300.00", "bolt, 2024-01: AOV 37.50"]
        );
    }

    #[test]
    fn an_aov_equal_to_the_limit_passes() {
        // bolt's AOV is exactly 37.50; acme's 300.
        assert!(below_target(&report(), Decimal::new(3750, 2), None).is_empty());
        assert_eq!(below_target(&report(), Decimal::new(3751, 2), None), vec!["bolt, 2024-01: AOV 37.50"]);
    }

    #[test]
    fn a_checked_period_without_deals_fails_naming_the_last_one() {
        let got = below_target(&report(), Decimal::new(1, 0), Some("2024-02"));
        assert_eq!(got, vec!["bolt, 2024-02: no deals (the last are from 2024-01)"]);
    }

    #[test]
    fn a_report_without_deals_is_below_any_limit() {
        let empty = build(&Partials::new(Period::Month, 1), &[Dimension::Customer]).unwrap();
        assert_eq!(below_target(&empty, Decimal::ZERO, None), vec!["all deals, the selection: no deals"]);
        assert_eq!(below_target(&empty, Decimal::ZERO, Some("2024-02")), vec!["all deals, 2024-02: no deals"]);
    }

    #[test]
    fn the_checked_period_is_the_one_before_the_as_of_days() {
        assert_eq!(checked_period(Period::Month, Some(d(2024, 3, 15))), Some("2024-02".to_string()));
        assert_eq!(checked_period(Period::Month, Some(d(2024, 1, 1))), Some("2023-12".to_string()));
        // 2024-01-03 is in ISO week 2024-W01 (Monday 1 January); the week
        // before is 2023-W52.
        assert_eq!(checked_period(Period::Week, Some(d(2024, 1, 3))), Some("2023-W52".to_string()));
        assert_eq!(checked_period(Period::Quarter, Some(d(2024, 4, 1))), Some("2024-Q1".to_string()));
        assert_eq!(checked_period(Period::All, Some(d(2024, 3, 15))), None);
        assert_eq!(checked_period(Period::Month, None), None);
    }
}
