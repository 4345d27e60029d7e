//! Property tests of the invariants the report rests on, over random deals:
//! group totals add up to the grand total, deals add up to the rows used,
//! splitting or shuffling the input changes nothing, and every printed AOV
//! equals an integer-arithmetic reference rounded half away from zero.

use aov::aggregate::{Partials, Period, build};
use aov::model::Dimension;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// (customer index, day offset, amount in cents)
fn deals() -> impl Strategy<Value = Vec<(u8, u16, i64)>> {
    proptest::collection::vec((0u8..6, 0u16..800, -50_000i64..5_000_000), 0..200)
}

fn day(offset: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 11, 1).unwrap() + chrono::Days::new(u64::from(offset))
}

fn partials(rows: &[(u8, u16, i64)], period: Period) -> Partials {
    let mut p = Partials::new(period, 1);
    for (c, d, cents) in rows {
        let name = format!("C{c}");
        p.add(&[&name], "", day(*d), Decimal::new(*cents, 2)).unwrap();
    }
    p
}

/// Round total_cents / (100 n) to cents, half away from zero, with integers.
fn reference_aov(total_cents: i64, n: i64) -> String {
    let t = i128::from(total_cents);
    let n = i128::from(n);
    let q = (2 * t.abs() + n) / (2 * n);
    let q = if t < 0 { -q } else { q };
    let sign = if q < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", q.abs() / 100, q.abs() % 100)
}

proptest! {
    #[test]
    fn group_totals_add_up_to_the_grand_total(rows in deals(), p in prop::sample::select(Period::ALL.to_vec())) {
        let report = build(&partials(&rows, p), &[Dimension::Customer]).unwrap();
        let sums = aov::aggregate::report::sum_rows(&report);
        let cents: i64 = rows.iter().map(|r| r.2).sum();
        if rows.is_empty() {
            prop_assert!(report.totals.is_empty());
        } else {
            prop_assert_eq!(sums[""].0, rows.len() as u64);
            prop_assert_eq!(sums[""].1, Decimal::new(cents, 2));
            prop_assert_eq!(report.totals[0].total, Decimal::new(cents, 2));
            prop_assert_eq!(report.totals[0].deals, rows.len() as u64);
        }
    }

    #[test]
    fn splitting_and_shuffling_change_nothing(rows in deals(), cut in 0usize..200, seed in any::<u64>()) {
        let whole = build(&partials(&rows, Period::Week), &[Dimension::Customer]).unwrap();
        let cut = cut.min(rows.len());
        let mut shuffled = rows.clone();
        // a deterministic shuffle from the seed
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut left = partials(&shuffled[..cut], Period::Week);
        left.merge(partials(&shuffled[cut..], Period::Week)).unwrap();
        prop_assert_eq!(build(&left, &[Dimension::Customer]).unwrap(), whole);
    }

    #[test]
    fn every_aov_matches_an_integer_reference(rows in deals()) {
        let report = build(&partials(&rows, Period::Month), &[Dimension::Customer]).unwrap();
        for row in &report.rows {
            let cents: Vec<i64> = rows
                .iter()
                .filter(|(c, d, _)| format!("C{c}") == row.group[0] && Period::Month.label(Period::Month.key(day(*d))) == *row.period.as_ref().unwrap())
                .map(|r| r.2)
                .collect();
            prop_assert_eq!(row.deals, cents.len() as u64);
            let printed = row.aov.as_ref().unwrap().round(2).to_string();
            prop_assert_eq!(printed, reference_aov(cents.iter().sum(), cents.len() as i64));
        }
    }
}

#[test]
fn reference_rounding_is_half_away_from_zero() {
    assert_eq!(reference_aov(2001, 2), "10.01"); // 10.005
    assert_eq!(reference_aov(-2001, 2), "-10.01");
    assert_eq!(reference_aov(1, 3), "0.00");
    assert_eq!(reference_aov(-1, 3), "0.00");
}

proptest! {
    /// The mix/rate decomposition has no residual: the effects add up to
    /// the AOV change exactly, whatever the segments and amounts.
    #[test]
    fn explain_effects_add_up_to_the_change_exactly(
        base in proptest::collection::vec((0u8..5, -10_000i64..1_000_000), 1..60),
        current in proptest::collection::vec((0u8..5, -10_000i64..1_000_000), 1..60),
    ) {
        use aov::aggregate::explain::{explain, segments_from};
        let names = ["A", "B", "C", "D", "E"];
        let b: Vec<(&str, Decimal)> = base.iter().map(|(s, c)| (names[*s as usize], Decimal::new(*c, 2))).collect();
        let c: Vec<(&str, Decimal)> = current.iter().map(|(s, c)| (names[*s as usize], Decimal::new(*c, 2))).collect();
        let e = explain("", &segments_from(&b, &c)).unwrap();
        let zero = aov::aggregate::Ratio::from_int(0);
        let effects = e.rows.iter().fold(zero.clone(), |s, r| s.add(&r.effect));
        prop_assert_eq!(&effects, &e.summary.change);
        prop_assert_eq!(e.summary.mix.add(&e.summary.rate), e.summary.change.clone());
        let b_total: i64 = base.iter().map(|x| x.1).sum();
        let c_total: i64 = current.iter().map(|x| x.1).sum();
        let want = aov::aggregate::Ratio::mean(Decimal::new(c_total, 2), current.len() as u64).unwrap()
            .sub(&aov::aggregate::Ratio::mean(Decimal::new(b_total, 2), base.len() as u64).unwrap());
        prop_assert_eq!(e.summary.change, want);
    }
}
