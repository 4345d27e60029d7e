//! Every amount of a group, kept only for the figures that need them all
//! (medians, quartiles, the 90th percentile), in as little memory as
//! exactness allows.
//!
//! An amount read from a file has at most six decimals, so nearly every
//! amount is an `i64` count of millionths: 8 bytes a deal instead of a
//! 16-byte decimal. A group with an amount that does not fit that way keeps
//! exact decimals instead (all of its amounts, so its figures stay exact).
//! Percentiles are found by selection (`select_nth_unstable`) on a scratch
//! copy of one group's amounts, never by sorting them all. A view whose
//! trend is summed over days (`aov customers`) keeps each amount's day
//! beside it (4 bytes more a deal), so that no second store holds the
//! deals again.

use rust_decimal::Decimal;

use super::exact::Ratio;

/// The amounts of one group (or cell), in arrival order, and, when the
/// view asks for them (a trend over days), each amount's day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amounts {
    values: Values,
    /// The day number of each amount, in the same order, when every amount
    /// came with its day (`push_micros_on`); else empty.
    days: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Values {
    /// Millionths: every amount so far fits.
    Micros(Vec<i64>),
    /// Exact decimals, once one amount did not fit in millionths.
    Exact(Vec<Decimal>),
}

impl Default for Amounts {
    fn default() -> Amounts {
        Amounts::EMPTY
    }
}

/// `d` in millionths, when it has at most six decimals and fits an `i64`.
pub fn to_micros(d: Decimal) -> Option<i64> {
    let scale = d.scale();
    if scale > 6 {
        return None;
    }
    let v = d.mantissa().checked_mul(10i128.pow(6 - scale))?;
    i64::try_from(v).ok()
}

/// Millionths as a decimal without trailing zeros.
pub fn from_micros(v: i64) -> Decimal {
    Decimal::new(v, 6).normalize()
}

/// A store's amounts beside their day numbers (see [`Amounts::dated`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dated<'a> {
    Micros(&'a [i32], &'a [i64]),
    Exact(&'a [i32], &'a [Decimal]),
}

impl Amounts {
    /// No amounts.
    pub const EMPTY: Amounts = Amounts { values: Values::Micros(Vec::new()), days: Vec::new() };

    /// Amounts given in millionths.
    pub fn micros(v: Vec<i64>) -> Amounts {
        Amounts { values: Values::Micros(v), days: Vec::new() }
    }

    /// Amounts given as exact decimals.
    pub fn exact(v: Vec<Decimal>) -> Amounts {
        Amounts { values: Values::Exact(v), days: Vec::new() }
    }

    pub fn len(&self) -> usize {
        match &self.values {
            Values::Micros(v) => v.len(),
            Values::Exact(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empty the store, keeping its memory (a scratch buffer).
    pub fn clear(&mut self) {
        self.days.clear();
        if let Values::Exact(_) = self.values {
            self.values = Values::Micros(Vec::new());
        }
        if let Values::Micros(v) = &mut self.values {
            v.clear();
        }
    }

    /// The amounts as decimals, in arrival order.
    pub fn to_decimals(&self) -> Vec<Decimal> {
        match &self.values {
            Values::Micros(v) => v.iter().map(|m| from_micros(*m)).collect(),
            Values::Exact(v) => v.clone(),
        }
    }

    /// The amounts beside their day numbers, in arrival order, when every
    /// amount came with its day.
    pub fn dated(&self) -> Option<Dated<'_>> {
        if self.days.len() != self.len() {
            return None;
        }
        Some(match &self.values {
            Values::Micros(v) => Dated::Micros(&self.days, v),
            Values::Exact(v) => Dated::Exact(&self.days, v),
        })
    }

    /// Switch to exact decimals (when an amount does not fit in millionths).
    fn make_exact(&mut self) -> &mut Vec<Decimal> {
        if let Values::Micros(v) = &self.values {
            self.values = Values::Exact(v.iter().map(|m| from_micros(*m)).collect());
        }
        match &mut self.values {
            Values::Exact(v) => v,
            Values::Micros(_) => unreachable!("made exact above"),
        }
    }

    /// Add one amount (without its day).
    pub fn push(&mut self, d: Decimal) {
        match (&mut self.values, to_micros(d)) {
            (Values::Micros(v), Some(m)) => v.push(m),
            (Values::Exact(v), _) => v.push(d),
            (Values::Micros(_), None) => self.make_exact().push(d),
        }
    }

    /// Add one amount given in millionths (without its day).
    #[inline]
    pub fn push_micros(&mut self, m: i64) {
        match &mut self.values {
            Values::Micros(v) => v.push(m),
            Values::Exact(v) => v.push(from_micros(m)),
        }
    }

    /// Add one amount and its day number. Days are kept only while every
    /// amount comes with one.
    pub fn push_on(&mut self, d: Decimal, day: i32) {
        let dated = self.days.len() == self.len();
        self.push(d);
        if dated {
            self.days.push(day);
        }
    }

    /// Add one amount in millionths and its day number (see `push_on`).
    #[inline]
    pub fn push_micros_on(&mut self, m: i64, day: i32) {
        let dated = self.days.len() == self.len();
        self.push_micros(m);
        if dated {
            self.days.push(day);
        }
    }

    /// Append the amounts of `other` (and their days, when both stores
    /// have every day).
    pub fn extend(&mut self, other: &Amounts) {
        let dated = self.days.len() == self.len() && other.days.len() == other.len();
        self.append_values(other);
        if dated {
            self.days.extend_from_slice(&other.days);
        } else {
            self.days = Vec::new();
        }
    }

    /// Append the amounts of `other` without their days (a scratch copy
    /// for a selection).
    pub fn extend_values(&mut self, other: &Amounts) {
        self.days = Vec::new();
        self.append_values(other);
    }

    fn append_values(&mut self, other: &Amounts) {
        match (&mut self.values, &other.values) {
            (Values::Micros(a), Values::Micros(b)) => a.extend_from_slice(b),
            (Values::Exact(a), Values::Micros(b)) => a.extend(b.iter().map(|m| from_micros(*m))),
            (Values::Exact(a), Values::Exact(b)) => a.extend_from_slice(b),
            (Values::Micros(_), Values::Exact(b)) => self.make_exact().extend_from_slice(b),
        }
    }

    /// Append `other`, taking its memory when this one is empty.
    pub fn append(&mut self, other: Amounts) {
        if self.is_empty() {
            *self = other;
        } else {
            self.extend(&other);
        }
    }

    /// The p-th percentiles (p = num/den, PERCENTILE.INC) for each of
    /// `points`, the smallest and the largest amount; reorders the amounts
    /// (and so forgets their days). `None` when there are none.
    pub fn select(&mut self, points: &[(u64, u64)]) -> Option<Selected> {
        self.days = Vec::new();
        match &mut self.values {
            Values::Micros(v) => select(v, points, |m| Ratio::from_decimal(Decimal::new(m, 6)), from_micros),
            Values::Exact(v) => select(v, points, Ratio::from_decimal, |d| d),
        }
    }
}

/// What [`Amounts::select`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selected {
    pub percentiles: Vec<Ratio>,
    pub min: Decimal,
    pub max: Decimal,
}

/// Percentiles by successive selection: the ranks needed, in order, each
/// found in the part to the right of the one before (everything left of a
/// selected rank is no larger, everything right no smaller).
fn select<T: Ord + Copy>(
    v: &mut [T],
    points: &[(u64, u64)],
    ratio: impl Fn(T) -> Ratio,
    decimal: impl Fn(T) -> Decimal,
) -> Option<Selected> {
    let n = v.len() as u64;
    if n == 0 || points.iter().any(|&(num, den)| den == 0 || num > den) {
        return None;
    }
    // rank h = (n-1) * num / den = lo + frac / den
    let at: Vec<(usize, u64, u64)> = points
        .iter()
        .map(|&(num, den)| {
            let h = (n - 1) * num;
            ((h / den) as usize, h % den, den)
        })
        .collect();
    let mut ranks: Vec<usize> =
        at.iter().flat_map(|&(lo, frac, _)| [Some(lo), (frac > 0).then_some(lo + 1)]).flatten().collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut start = 0;
    for &r in &ranks {
        v[start..].select_nth_unstable(r - start);
        start = r + 1;
    }
    let min = *v.iter().min()?;
    let max = *v.iter().max()?;
    let percentiles = at
        .iter()
        .map(|&(lo, frac, den)| {
            let a = ratio(v[lo]);
            if frac == 0 {
                return a;
            }
            let b = ratio(v[lo + 1]);
            let f = Ratio::new((frac as i64).into(), (den as i64).into()).expect("den > 0");
            a.add(&b.sub(&a).mul(&f))
        })
        .collect();
    Some(Selected { percentiles, min: decimal(min), max: decimal(max) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn show(r: &Ratio) -> String {
        r.round(3).to_string()
    }

    #[test]
    fn millionths_while_they_fit_then_exact_decimals() {
        assert_eq!(to_micros(dec("12.5")), Some(12_500_000));
        assert_eq!(to_micros(dec("-0.000001")), Some(-1));
        assert_eq!(to_micros(dec("0.0000001")), None);
        // 9223372036854.775807 is i64::MAX millionths; one more does not fit.
        assert_eq!(to_micros(dec("9223372036854.775807")), Some(i64::MAX));
        assert_eq!(to_micros(dec("9223372036854.775808")), None);
        let mut a = Amounts::default();
        a.push(dec("1.5"));
        a.push(dec("2"));
        assert_eq!(a, Amounts::micros(vec![1_500_000, 2_000_000]));
        a.push(dec("0.0000001"));
        assert_eq!(a, Amounts::exact(vec![dec("1.5"), dec("2"), dec("0.0000001")]));
        a.push_micros(3);
        assert_eq!(a.to_decimals(), vec![dec("1.5"), dec("2"), dec("0.0000001"), dec("0.000003")]);
    }

    #[test]
    fn extending_keeps_every_amount_and_the_exact_kind_wins() {
        let mut a = Amounts::micros(vec![1_000_000]);
        a.extend(&Amounts::exact(vec![dec("0.1234567")]));
        assert_eq!(a, Amounts::exact(vec![dec("1"), dec("0.1234567")]));
        let mut b = Amounts::default();
        b.append(Amounts::micros(vec![5]));
        b.append(Amounts::micros(vec![7]));
        assert_eq!(b, Amounts::micros(vec![5, 7]));
    }

    #[test]
    fn selection_gives_percentile_inc_as_a_sort_would() {
        // sorted 1 2 3 4 100: median h=2 -> 3; p25 h=1 -> 2; p90 h=3.6 -> 4 + 0.6*96 = 61.6
        let mut a = Amounts::default();
        for s in ["100", "3", "1", "4", "2"] {
            a.push(dec(s));
        }
        let s = a.select(&[(1, 2), (1, 4), (9, 10)]).unwrap();
        assert_eq!(s.percentiles.iter().map(show).collect::<Vec<_>>(), ["3.000", "2.000", "61.600"]);
        assert_eq!((s.min, s.max), (dec("1"), dec("100")));
        // The same amounts held as decimals give the same figures.
        let mut e = Amounts::exact(vec![dec("100"), dec("3"), dec("1"), dec("4"), dec("2")]);
        assert_eq!(e.select(&[(1, 2), (1, 4), (9, 10)]), Some(s));
        assert_eq!(Amounts::default().select(&[(1, 2)]), None);
    }

    proptest::proptest! {
        #[test]
        fn selection_agrees_with_sorting(v in proptest::collection::vec(-1_000_000i64..1_000_000, 1..60),
                                         num in 0u64..=20) {
            // The reference: sort, then interpolate between closest ranks.
            let mut sorted = v.clone();
            sorted.sort_unstable();
            let h = (sorted.len() as u64 - 1) * num;
            let (lo, frac) = ((h / 20) as usize, h % 20);
            let want = if frac == 0 {
                i128::from(sorted[lo]) * 20
            } else {
                i128::from(sorted[lo]) * 20 + (i128::from(sorted[lo + 1]) - i128::from(sorted[lo])) * i128::from(frac)
            };
            let mut a = Amounts::micros(v);
            let got = a.select(&[(num, 20), (1, 2)]).unwrap();
            // want / 20 millionths
            let want = Ratio::new(want.into(), (20i128 * 1_000_000).into()).unwrap();
            proptest::prop_assert_eq!(&got.percentiles[0], &want);
            proptest::prop_assert_eq!(got.min, from_micros(sorted[0]));
            proptest::prop_assert_eq!(got.max, from_micros(*sorted.last().unwrap()));
        }
    }
}
