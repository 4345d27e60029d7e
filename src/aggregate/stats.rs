//! The distribution of deal sizes behind an average: median, quartiles,
//! the 90th percentile, the extremes, and the largest deal's share.
//!
//! One 150 000 kr deal among 500 kr deals lifts the mean far above the
//! typical deal; these figures show it. All are exact: a percentile uses
//! linear interpolation between closest ranks (rank h = (n-1)p counted from
//! 0 on the sorted amounts, as a spreadsheet's PERCENTILE.INC), which is a
//! fraction of two amounts, kept as a ratio until printed.

use rust_decimal::Decimal;

use super::amounts::Amounts;
use super::exact::Ratio;

/// The distribution of the amounts of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    pub median: Ratio,
    pub p25: Ratio,
    pub p75: Ratio,
    pub p90: Ratio,
    pub min: Decimal,
    pub max: Decimal,
    /// The largest deal / the row's total x 100; `None` when the total is 0.
    pub top_deal_pct: Option<Ratio>,
}

/// The p-th percentile (p = num/den) of sorted amounts, PERCENTILE.INC.
pub fn percentile(sorted: &[Decimal], num: u64, den: u64) -> Option<Ratio> {
    let n = sorted.len() as u64;
    if n == 0 || num > den || den == 0 {
        return None;
    }
    // h = (n-1) * num / den = lo + frac_num / den
    let h_num = (n - 1) * num;
    let lo = (h_num / den) as usize;
    let frac = h_num % den;
    let a = Ratio::from_decimal(sorted[lo]);
    if frac == 0 {
        return Some(a);
    }
    let b = Ratio::from_decimal(sorted[lo + 1]);
    let f = Ratio::new((frac as i64).into(), (den as i64).into())?;
    Some(a.add(&b.sub(&a).mul(&f)))
}

/// Statistics of `amounts` (in any order) summing to `total`.
pub fn stats(amounts: &[Decimal], total: Decimal) -> Option<Stats> {
    stats_of(&mut Amounts::exact(amounts.to_vec()), total)
}

/// Statistics of a group's amounts summing to `total`, found by selection
/// in place (the amounts are reordered), not by sorting them.
pub fn stats_of(amounts: &mut Amounts, total: Decimal) -> Option<Stats> {
    let s = amounts.select(&[(1, 2), (1, 4), (3, 4), (9, 10)])?;
    let [median, p25, p75, p90]: [Ratio; 4] = s.percentiles.try_into().ok()?;
    let total_r = Ratio::from_decimal(total);
    Some(Stats {
        median,
        p25,
        p75,
        p90,
        min: s.min,
        max: s.max,
        top_deal_pct: Ratio::from_decimal(s.max).div(&total_r).map(|r| r.mul(&Ratio::from_int(100))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn decs(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| Decimal::from_str(s).unwrap()).collect()
    }
    fn show(r: &Ratio) -> String {
        r.round(2).to_string()
    }

    #[test]
    fn odd_count() {
        // sorted 1 2 3 4 100: median 3; p25 h=1 -> 2; p75 h=3 -> 4; p90 h=3.6 -> 4 + 0.6*96 = 61.6
        let s = stats(&decs(&["100", "3", "1", "4", "2"]), Decimal::from(110)).unwrap();
        assert_eq!([&s.median, &s.p25, &s.p75, &s.p90].map(show), ["3.00", "2.00", "4.00", "61.60"]);
        assert_eq!((s.min, s.max), (Decimal::from(1), Decimal::from(100)));
        // 100 / 110 = 90.909..%
        assert_eq!(s.top_deal_pct.unwrap().round(1).to_string(), "90.9");
    }

    #[test]
    fn even_count_median_is_the_mean_of_the_middle_two() {
        // sorted 10 20 30 45: median h=1.5 -> 25; p25 h=0.75 -> 17.5; p75 h=2.25 -> 33.75; p90 h=2.7 -> 40.5
        let s = stats(&decs(&["45", "10", "30", "20"]), Decimal::from(105)).unwrap();
        assert_eq!([&s.median, &s.p25, &s.p75, &s.p90].map(show), ["25.00", "17.50", "33.75", "40.50"]);
    }

    #[test]
    fn one_deal() {
        let s = stats(&decs(&["99.99"]), Decimal::from_str("99.99").unwrap()).unwrap();
        assert_eq!([&s.median, &s.p25, &s.p75, &s.p90].map(show), ["99.99"; 4]);
        assert_eq!(s.top_deal_pct.unwrap().round(1).to_string(), "100.0");
    }

    #[test]
    fn ties_and_negative_amounts() {
        // sorted -50 -50 10 10 10 20: median h=2.5 -> 10; p25 h=1.25 -> -50 + 0.25*60 = -35;
        // p90 h=4.5 -> 15; total -50; max 20 / -50 = -40 %
        let s = stats(&decs(&["10", "-50", "20", "10", "-50", "10"]), Decimal::from(-50)).unwrap();
        assert_eq!([&s.median, &s.p25, &s.p75, &s.p90].map(show), ["10.00", "-35.00", "10.00", "15.00"]);
        assert_eq!(s.top_deal_pct.unwrap().round(1).to_string(), "-40.0");
    }

    #[test]
    fn half_cent_interpolation_rounds_away_from_zero() {
        // sorted 0.01 0.02: median 0.015 -> 0.02
        let s = stats(&decs(&["0.02", "0.01"]), Decimal::from_str("0.03").unwrap()).unwrap();
        assert_eq!(show(&s.median), "0.02");
        let s = stats(&decs(&["-0.02", "-0.01"]), Decimal::from_str("-0.03").unwrap()).unwrap();
        assert_eq!(show(&s.median), "-0.02");
    }

    #[test]
    fn zero_total_has_no_share() {
        let s = stats(&decs(&["5", "-5"]), Decimal::ZERO).unwrap();
        assert!(s.top_deal_pct.is_none());
        assert!(stats(&[], Decimal::ZERO).is_none());
    }
}
