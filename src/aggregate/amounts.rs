//! Every amount of a group, kept only for the figures that need them all
//! (medians, quartiles, the 90th percentile), in as little memory as
//! exactness allows.
//!
//! Most amounts are whole cents (ören) below 21 million, so a group's
//! amounts start as `i32` counts of hundredths: 4 bytes a deal instead of
//! a 16-byte decimal. A group with an amount that is not one is widened to
//! `i64` millionths (an amount read from a file has at most six decimals),
//! and a group with an amount that does not fit that either keeps exact
//! decimals (all of its amounts, so its figures stay exact).
//! Percentiles are found by selection (`select_nth_unstable`) on a scratch
//! copy of one group's amounts, never by sorting them all. A view whose
//! trend is summed over days (`aov customers`) keeps each amount's day
//! beside it (4 bytes more a deal), so that no second store holds the
//! deals again.

use rust_decimal::Decimal;

use super::exact::Ratio;

/// The amounts of one group (or cell), in arrival order, and, when the
/// view asks for them (a trend over days), each amount's day.
///
/// Another store appended whole (a parallel worker's, another reader's)
/// is kept as a further part rather than copied in: merging the workers
/// moves no amount and never holds a store beside its grown copy. The
/// parts are joined only for a selection.
#[derive(Clone, Debug)]
pub struct Amounts {
    values: Values,
    /// The day number of each amount, in the same order, when every amount
    /// came with its day (`push_micros_on`); else empty.
    days: Vec<i32>,
    /// The further parts, each without parts of its own. Boxed: 8 bytes
    /// in every store (a report's cells with --stats: millions of them)
    /// rather than a Vec's 24, for what only merged stores have.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<Amounts>>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Values {
    /// Hundredths: every amount so far is whole cents within an `i32`.
    Cents(Vec<i32>),
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

/// The same amounts (and days) in the same order, however they are split
/// into parts.
impl PartialEq for Amounts {
    fn eq(&self, other: &Amounts) -> bool {
        let days = |a: &Amounts| a.parts().map(|p| p.days.clone()).collect::<Vec<_>>().concat();
        self.len() == other.len()
            && self.to_decimals() == other.to_decimals()
            && self.dated().is_some() == other.dated().is_some()
            && days(self) == days(other)
    }
}

impl Eq for Amounts {}

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

/// Hundredths as a decimal without trailing zeros.
fn from_cents(v: i32) -> Decimal {
    Decimal::new(v.into(), 2).normalize()
}

/// Millionths as hundredths, when they are whole hundredths within an `i32`.
#[inline]
fn to_cents(m: i64) -> Option<i32> {
    if m % 10_000 != 0 {
        return None;
    }
    i32::try_from(m / 10_000).ok()
}

/// Millionths in hundredths (widening cents, which always fits).
fn cents_as_micros(c: i32) -> i64 {
    i64::from(c) * 10_000
}

/// A store's amounts beside their day numbers (see [`Amounts::dated`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dated<'a> {
    Cents(&'a [i32], &'a [i32]),
    Micros(&'a [i32], &'a [i64]),
    Exact(&'a [i32], &'a [Decimal]),
}

impl Amounts {
    /// No amounts.
    pub const EMPTY: Amounts = Amounts { values: Values::Cents(Vec::new()), days: Vec::new(), more: None };

    /// Amounts given in millionths.
    pub fn micros(v: Vec<i64>) -> Amounts {
        Amounts { values: Values::Micros(v), ..Amounts::EMPTY }
    }

    /// Amounts given as exact decimals.
    pub fn exact(v: Vec<Decimal>) -> Amounts {
        Amounts { values: Values::Exact(v), ..Amounts::EMPTY }
    }

    /// This store's own amounts (not its further parts).
    fn own_len(&self) -> usize {
        match &self.values {
            Values::Cents(v) => v.len(),
            Values::Micros(v) => v.len(),
            Values::Exact(v) => v.len(),
        }
    }

    /// The parts: this store's own amounts, then each further part.
    fn parts(&self) -> impl Iterator<Item = &Amounts> {
        std::iter::once(self).chain(self.more.iter().flat_map(|m| m.iter()))
    }

    pub fn len(&self) -> usize {
        self.parts().map(Amounts::own_len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts().all(|p| p.own_len() == 0)
    }

    /// Empty the store, keeping its own memory (a scratch buffer).
    pub fn clear(&mut self) {
        self.days.clear();
        self.more = None;
        if !matches!(self.values, Values::Cents(_)) {
            self.values = Values::Cents(Vec::new());
        }
        if let Values::Cents(v) = &mut self.values {
            v.clear();
        }
    }

    /// The amounts as decimals, in arrival order.
    pub fn to_decimals(&self) -> Vec<Decimal> {
        let mut out = Vec::with_capacity(self.len());
        for p in self.parts() {
            match &p.values {
                Values::Cents(v) => out.extend(v.iter().map(|c| from_cents(*c))),
                Values::Micros(v) => out.extend(v.iter().map(|m| from_micros(*m))),
                Values::Exact(v) => out.extend_from_slice(v),
            }
        }
        out
    }

    /// The amounts beside their day numbers, part by part in arrival
    /// order, when every amount came with its day.
    pub fn dated(&self) -> Option<Vec<Dated<'_>>> {
        self.parts()
            .map(|p| {
                (p.days.len() == p.own_len()).then(|| match &p.values {
                    Values::Cents(v) => Dated::Cents(&p.days, v),
                    Values::Micros(v) => Dated::Micros(&p.days, v),
                    Values::Exact(v) => Dated::Exact(&p.days, v),
                })
            })
            .collect()
    }

    /// Whether this store's own amounts all have their day.
    fn own_dated(&self) -> bool {
        self.days.len() == self.own_len()
    }

    /// Switch to millionths (when an amount is not whole cents); exact
    /// decimals stay exact.
    fn make_micros(&mut self) {
        if let Values::Cents(v) = &self.values {
            self.values = Values::Micros(v.iter().map(|c| cents_as_micros(*c)).collect());
        }
    }

    /// Switch to exact decimals (when an amount does not fit in millionths).
    fn make_exact(&mut self) -> &mut Vec<Decimal> {
        match &self.values {
            Values::Cents(v) => self.values = Values::Exact(v.iter().map(|c| from_cents(*c)).collect()),
            Values::Micros(v) => self.values = Values::Exact(v.iter().map(|m| from_micros(*m)).collect()),
            Values::Exact(_) => {}
        }
        match &mut self.values {
            Values::Exact(v) => v,
            Values::Cents(_) | Values::Micros(_) => unreachable!("made exact above"),
        }
    }

    /// Add one amount (without its day).
    pub fn push(&mut self, d: Decimal) {
        match (&mut self.values, to_micros(d)) {
            (Values::Exact(v), _) => v.push(d),
            (_, Some(m)) => self.push_micros(m),
            (_, None) => self.make_exact().push(d),
        }
    }

    /// Add one amount given in millionths (without its day).
    #[inline]
    pub fn push_micros(&mut self, m: i64) {
        match &mut self.values {
            Values::Cents(v) => match to_cents(m) {
                Some(c) => v.push(c),
                None => {
                    self.make_micros();
                    self.push_micros(m);
                }
            },
            Values::Micros(v) => v.push(m),
            Values::Exact(v) => v.push(from_micros(m)),
        }
    }

    /// Add one amount and its day number. Days are kept only while every
    /// amount comes with one.
    pub fn push_on(&mut self, d: Decimal, day: i32) {
        let dated = self.own_dated();
        self.push(d);
        if dated {
            self.days.push(day);
        }
    }

    /// Add one amount in millionths and its day number (see `push_on`).
    #[inline]
    pub fn push_micros_on(&mut self, m: i64, day: i32) {
        let dated = self.own_dated();
        self.push_micros(m);
        if dated {
            self.days.push(day);
        }
    }

    /// Copy the amounts of `other` in (and their days, when both stores
    /// have every day).
    pub fn extend(&mut self, other: &Amounts) {
        let dated = self.dated().is_some() && other.dated().is_some();
        self.join();
        for p in other.parts() {
            self.append_values(p);
            if dated {
                self.days.extend_from_slice(&p.days);
            }
        }
        if !dated {
            self.days = Vec::new();
        }
    }

    /// Copy the amounts of `other` in without their days (a scratch copy
    /// for a selection).
    pub fn extend_values(&mut self, other: &Amounts) {
        self.join();
        self.days = Vec::new();
        for p in other.parts() {
            self.append_values(p);
        }
    }

    /// Widen this store's own amounts to at least the kind of `other`'s.
    fn widen_to(&mut self, other: &Values) {
        match other {
            Values::Micros(_) => self.make_micros(),
            Values::Exact(_) => {
                self.make_exact();
            }
            Values::Cents(_) => {}
        }
    }

    /// Copy the own amounts of `other` into this store's own.
    fn append_values(&mut self, other: &Amounts) {
        self.widen_to(&other.values);
        match (&mut self.values, &other.values) {
            (Values::Cents(a), Values::Cents(b)) => a.extend_from_slice(b),
            (Values::Micros(a), Values::Cents(b)) => a.extend(b.iter().map(|c| cents_as_micros(*c))),
            (Values::Micros(a), Values::Micros(b)) => a.extend_from_slice(b),
            (Values::Exact(a), Values::Cents(b)) => a.extend(b.iter().map(|c| from_cents(*c))),
            (Values::Exact(a), Values::Micros(b)) => a.extend(b.iter().map(|m| from_micros(*m))),
            (Values::Exact(a), Values::Exact(b)) => a.extend_from_slice(b),
            (Values::Cents(_) | Values::Micros(_), _) => unreachable!("widened above"),
        }
    }

    /// Append `other` as it is: its memory taken when this store is empty,
    /// else its parts kept as further parts (nothing copied).
    pub fn append(&mut self, mut other: Amounts) {
        if other.is_empty() {
            return;
        }
        if self.is_empty() {
            *self = other;
            return;
        }
        let theirs = other.more.take();
        let mine = self.more.get_or_insert_with(Default::default);
        if other.own_len() > 0 {
            mine.push(other);
        }
        mine.extend(theirs.into_iter().flat_map(|m| *m).filter(|p| p.own_len() > 0));
    }

    /// Join the further parts into this store's own amounts (and days,
    /// when every part has them).
    fn join(&mut self) {
        let Some(more) = self.more.take() else { return };
        let dated = self.own_dated() && more.iter().all(Amounts::own_dated);
        let extra: usize = more.iter().map(Amounts::own_len).sum();
        // The widest kind of any part, so that room is reserved once.
        for p in more.iter() {
            self.widen_to(&p.values);
        }
        match &mut self.values {
            Values::Cents(v) => v.reserve_exact(extra),
            Values::Micros(v) => v.reserve_exact(extra),
            Values::Exact(v) => v.reserve_exact(extra),
        }
        if dated {
            self.days.reserve_exact(extra);
        }
        for p in more.into_iter() {
            self.append_values(&p);
            if dated {
                self.days.extend_from_slice(&p.days);
            }
        }
        if !dated {
            self.days = Vec::new();
        }
    }

    /// The p-th percentiles (p = num/den, PERCENTILE.INC) for each of
    /// `points`, the smallest and the largest amount; joins the parts and
    /// reorders the amounts (and so forgets their days). `None` when there
    /// are none.
    pub fn select(&mut self, points: &[(u64, u64)]) -> Option<Selected> {
        self.join();
        self.days = Vec::new();
        match &mut self.values {
            Values::Cents(v) => select(v, points, |c| Ratio::from_decimal(Decimal::new(c.into(), 2)), from_cents),
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
    fn whole_cents_in_an_i32_are_kept_as_hundredths_until_one_is_not() {
        assert_eq!(to_cents(12_340_000), Some(1234));
        assert_eq!(to_cents(-10_000), Some(-1));
        assert_eq!(to_cents(12_345_000), None);
        // i32::MAX hundredths is 21474836.47; one cent more does not fit.
        assert_eq!(to_cents(21_474_836_470_000), Some(i32::MAX));
        assert_eq!(to_cents(21_474_836_480_000), None);
        assert_eq!(to_cents(-21_474_836_480_000), Some(i32::MIN));
        let mut a = Amounts::default();
        a.push(dec("12.34"));
        a.push(dec("-0.5"));
        assert_eq!(a.values, Values::Cents(vec![1234, -50]));
        // 0.125 is not whole cents: the store turns to millionths.
        a.push(dec("0.125"));
        assert_eq!(a.values, Values::Micros(vec![12_340_000, -500_000, 125_000]));
        a.push(dec("3"));
        assert_eq!(a.to_decimals(), vec![dec("12.34"), dec("-0.5"), dec("0.125"), dec("3")]);
        // So does a whole amount beyond an i32 of cents.
        let mut b = Amounts::default();
        b.push(dec("21474836.47"));
        assert!(matches!(b.values, Values::Cents(_)));
        b.push(dec("21474836.48"));
        assert_eq!(b.values, Values::Micros(vec![21_474_836_470_000, 21_474_836_480_000]));
        // Joining parts of each kind keeps every amount, in the widest kind.
        let mut c = Amounts::default();
        c.push(dec("1.5"));
        let mut d = Amounts::default();
        d.push(dec("0.001"));
        c.append(d);
        let mut e = Amounts::default();
        e.push(dec("2"));
        c.append(e);
        assert_eq!(c.to_decimals(), vec![dec("1.5"), dec("0.001"), dec("2")]);
        let s = c.select(&[(1, 2)]).unwrap();
        assert_eq!(s.percentiles, [Ratio::from_decimal(dec("1.5"))]);
        assert!(matches!(&c.values, Values::Micros(v) if v.len() == 3));
        assert_eq!((s.min, s.max), (dec("0.001"), dec("2")));
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
    fn appended_stores_stay_parts_until_a_selection_joins_them() {
        let mut a = Amounts::micros(vec![3_000_000, 1_000_000]);
        a.append(Amounts::exact(vec![dec("0.1234567")]));
        let mut b = Amounts::micros(vec![2_000_000]);
        b.append(Amounts::micros(vec![5_000_000]));
        a.append(b);
        a.append(Amounts::default());
        // Nothing was copied: the three stores appended are three parts.
        assert_eq!(a.more.as_ref().map(|m| m.len()), Some(3));
        assert_eq!(a.len(), 5);
        let all = [dec("3"), dec("1"), dec("0.1234567"), dec("2"), dec("5")];
        assert_eq!(a.to_decimals(), all);
        // The same amounts in one part are equal to them.
        assert_eq!(a, Amounts::exact(all.to_vec()));
        let mut scratch = Amounts::default();
        scratch.extend_values(&a);
        assert_eq!(scratch.to_decimals(), all);
        // A selection joins the parts: median of 0.1234567 1 2 3 5 is 2.
        let s = a.select(&[(1, 2)]).unwrap();
        assert_eq!(s.percentiles, [Ratio::from_int(2)]);
        assert_eq!((s.min, s.max), (dec("0.1234567"), dec("5")));
        assert!(a.more.is_none());
        // Days are kept part by part, and only while every part has them.
        let mut d = Amounts::default();
        d.push_micros_on(1, 10);
        let mut e = Amounts::default();
        e.push_micros_on(2, 11);
        d.append(e);
        assert_eq!(d.dated(), Some(vec![Dated::Micros(&[10], &[1]), Dated::Micros(&[11], &[2])]));
        d.append(Amounts::micros(vec![3]));
        assert_eq!(d.dated(), None);
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
        fn every_kind_holds_the_same_amounts_and_figures(
            v in proptest::collection::vec(
                proptest::prop_oneof![
                    // whole cents, in and beyond an i32 of them
                    proptest::strategy::Strategy::prop_map(-3_000_000_000i64..3_000_000_000, |c| c * 10_000),
                    // any millionths
                    -1_000_000_000i64..1_000_000_000,
                ],
                1..40,
            ),
            split in 0usize..40,
        ) {
            // The same amounts pushed one by one, in two stores appended
            // (a worker's each), and as exact decimals.
            let split = split.min(v.len());
            let (mut a, mut b) = (Amounts::default(), Amounts::default());
            for &m in &v[..split] {
                a.push_micros(m);
            }
            for &m in &v[split..] {
                b.push_micros(m);
            }
            a.append(b);
            let decimals: Vec<Decimal> = v.iter().map(|m| Decimal::new(*m, 6).normalize()).collect();
            proptest::prop_assert_eq!(a.to_decimals(), decimals.clone());
            let mut exact = Amounts::exact(decimals);
            let points = [(1, 2), (1, 4), (9, 10)];
            proptest::prop_assert_eq!(a.select(&points), exact.select(&points));
        }

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
