//! The one big deal behind a change: each side's median and largest deal,
//! and the change of AOV without each side's largest deal, so that `aov
//! explain` can say first when a single deal accounts for most of the
//! change (issue 19: AOV fell 55 % because November had one deal of
//! 226 448 kr, while the median hardly moved).
//!
//! Pure and exact: the caller gives each side's deals (amount, date,
//! customer); every figure is a decimal or an exact ratio.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::exact_add;
use super::stats::percentile;

/// A side's largest deal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Largest {
    pub customer: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    /// amount / the side's total x 100; `None` when the total is 0.
    pub share_pct: Option<Ratio>,
}

/// The figures of one side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    pub deals: u64,
    pub total: Decimal,
    pub aov: Option<Ratio>,
    pub median: Option<Ratio>,
    pub largest: Option<Largest>,
    /// The AOV of the other deals of the side; `None` with one deal or none.
    pub aov_without_largest: Option<Ratio>,
}

/// Which side's largest deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Base,
    Current,
}

/// Both sides, and the change with and without each side's largest deal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outliers {
    pub base: Side,
    pub current: Side,
    /// current AOV - base AOV, and the same in percent of |base AOV|.
    pub change: Option<Ratio>,
    pub change_pct: Option<Ratio>,
    /// The change (and percent) without the base's largest deal.
    pub change_without_base_largest: Option<Ratio>,
    pub change_pct_without_base_largest: Option<Ratio>,
    /// The change (and percent) without the current side's largest deal.
    pub change_without_current_largest: Option<Ratio>,
    pub change_pct_without_current_largest: Option<Ratio>,
    /// The side whose largest deal accounts for most of the change: taking
    /// it out moves the change by more than half of it (the side that moves
    /// it most, when both do).
    pub dominant: Option<Which>,
}

/// The figures of one side from its deals (amount, date, customer).
pub fn side(deals: &[(Decimal, NaiveDate, &str)]) -> Option<Side> {
    let mut total = Decimal::ZERO;
    for (a, _, _) in deals {
        total = exact_add(total, *a)?;
    }
    let n = deals.len() as u64;
    let mut sorted: Vec<Decimal> = deals.iter().map(|d| d.0).collect();
    sorted.sort_unstable();
    // The largest; of equal ones the earliest, then by customer.
    let top = deals.iter().max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)).then_with(|| b.2.cmp(a.2)));
    let largest = top.map(|(amount, date, customer)| Largest {
        customer: customer.to_string(),
        date: *date,
        amount: *amount,
        share_pct: Ratio::from_decimal(*amount).div(&Ratio::from_decimal(total)).map(|r| r.mul(&Ratio::from_int(100))),
    });
    let aov_without_largest = match top {
        Some((amount, _, _)) if n > 1 => Ratio::mean(total.checked_sub(*amount)?, n - 1),
        _ => None,
    };
    Some(Side {
        deals: n,
        total,
        aov: Ratio::mean(total, n),
        median: percentile(&sorted, 1, 2),
        largest,
        aov_without_largest,
    })
}

/// `b - a` and its percent of |a|.
fn change(a: &Option<Ratio>, b: &Option<Ratio>) -> (Option<Ratio>, Option<Ratio>) {
    match (a, b) {
        (Some(a), Some(b)) => {
            let c = b.sub(a);
            let pct = c.div(&a.abs()).map(|r| r.mul(&Ratio::from_int(100)));
            (Some(c), pct)
        }
        _ => (None, None),
    }
}

/// The two sides compared.
pub fn outliers(base: Side, current: Side) -> Outliers {
    let (c, c_pct) = change(&base.aov, &current.aov);
    let (wb, wb_pct) = change(&base.aov_without_largest, &current.aov);
    let (wc, wc_pct) = change(&base.aov, &current.aov_without_largest);
    // How far taking the deal out moves the change.
    let moved = |without: &Option<Ratio>| -> Option<Ratio> { Some(c.as_ref()?.sub(without.as_ref()?).abs()) };
    let half = c.as_ref().map(|c| c.abs().mul(&Ratio::new(1.into(), 2.into()).expect("1/2")));
    let dominant = match (&half, moved(&wb), moved(&wc)) {
        (Some(h), mb, mc) if !h.is_zero() => {
            let over = |m: &Option<Ratio>| m.as_ref().filter(|m| *m > h).cloned();
            match (over(&mb), over(&mc)) {
                (Some(b), Some(c)) => Some(if c > b { Which::Current } else { Which::Base }),
                (Some(_), None) => Some(Which::Base),
                (None, Some(_)) => Some(Which::Current),
                (None, None) => None,
            }
        }
        _ => None,
    };
    Outliers {
        base,
        current,
        change: c,
        change_pct: c_pct,
        change_without_base_largest: wb,
        change_pct_without_base_largest: wb_pct,
        change_without_current_largest: wc,
        change_pct_without_current_largest: wc_pct,
        dominant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2013, 11, n).unwrap()
    }

    fn r(n: i128, den: i128) -> Option<Ratio> {
        Ratio::new(n.into(), den.into())
    }

    #[test]
    fn a_dominating_deal_in_the_base() {
        // Base: 100, 120, 2000 (AOV 740, median 120); current: 110, 130
        // (AOV 120). Change -620 (-83.78...%); without the 2000: base AOV
        // 110, change +10: it moved the change by 630 > 310.
        let base = side(&[(d("100"), day(1), "A"), (d("2000"), day(14), "Acme AB"), (d("120"), day(20), "B")]).unwrap();
        assert_eq!(base.median, r(120, 1));
        let big = base.largest.clone().unwrap();
        assert_eq!((big.customer.as_str(), big.date, big.amount), ("Acme AB", day(14), d("2000")));
        assert_eq!(big.share_pct, r(200000, 2220));
        let current = side(&[(d("110"), day(2), "A"), (d("130"), day(3), "B")]).unwrap();
        let o = outliers(base, current);
        assert_eq!(o.change, r(-620, 1));
        assert_eq!(o.change_pct, r(-62000, 740));
        assert_eq!(o.change_without_base_largest, r(10, 1));
        assert_eq!(o.change_pct_without_base_largest, r(1000, 110));
        // Without the current 130: 110 - 740.
        assert_eq!(o.change_without_current_largest, r(-630, 1));
        assert_eq!(o.dominant, Some(Which::Base));
    }

    #[test]
    fn a_dominating_deal_in_the_current_side() {
        // Base 100, 100 (AOV 100); current 100, 100, 1000 (AOV 400): +300;
        // without the 1000, 0.
        let base = side(&[(d("100"), day(1), "A"), (d("100"), day(2), "B")]).unwrap();
        let current = side(&[(d("100"), day(3), "A"), (d("1000"), day(4), "C"), (d("100"), day(5), "B")]).unwrap();
        let o = outliers(base, current);
        assert_eq!(o.change, r(300, 1));
        assert_eq!(o.change_without_current_largest, r(0, 1));
        assert_eq!(o.dominant, Some(Which::Current));
    }

    #[test]
    fn no_dominating_deal() {
        // Base 100, 200, 300 (AOV 200); current 300, 400, 500 (AOV 400):
        // +200. Without 300 (base): 150 -> +250, moved 50; without 500
        // (current): 350 -> +150, moved 50. Neither is over 100.
        let base = side(&[(d("100"), day(1), "A"), (d("200"), day(2), "B"), (d("300"), day(3), "C")]).unwrap();
        let current = side(&[(d("300"), day(4), "A"), (d("400"), day(5), "B"), (d("500"), day(6), "C")]).unwrap();
        let o = outliers(base, current);
        assert_eq!(o.change, r(200, 1));
        assert_eq!(o.change_without_base_largest, r(250, 1));
        assert_eq!(o.change_without_current_largest, r(150, 1));
        assert_eq!(o.dominant, None);
    }

    #[test]
    fn one_deal_a_side_and_ties() {
        let one = side(&[(d("50"), day(1), "A")]).unwrap();
        assert_eq!(one.aov_without_largest, None);
        assert_eq!(one.largest.unwrap().share_pct, r(100, 1));
        // Equal amounts: the earliest is the largest.
        let tie = side(&[(d("50"), day(9), "Z"), (d("50"), day(2), "Y")]).unwrap();
        assert_eq!(tie.largest.unwrap().date, day(2));
        let none = side(&[]).unwrap();
        assert_eq!((none.aov.clone(), none.median.clone(), none.largest.clone()), (None, None, None));
        let o = outliers(none, side(&[(d("5"), day(1), "A")]).unwrap());
        assert_eq!((o.change, o.dominant), (None, None));
    }
}
