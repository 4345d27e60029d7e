//! The one big deal behind a change: each side's median and largest deal,
//! and the change of AOV without each side's largest deal, so that `aov
//! explain` can say first when a single deal accounts for most of the
//! change (issue 19: AOV fell 55 % because November had one deal of
//! 226 448 kr, while the median hardly moved).
//!
//! Pure and exact: every figure is a decimal or an exact ratio.
//!
//! What a reader keeps for it is a mergeable partial, [`DealStore`]: per
//! period bucket and currency (and, for a seller against the team, per
//! seller) the bucket's amounts (for the median; 8 bytes a deal, kept only
//! for the periods compared) and its largest deal with customer and date
//! (a maximum, which merges; ties go to the earliest date, then the
//! customer name first in sort order). A side's figures are then those of
//! its buckets merged: memory grows with buckets, plus the amounts of the
//! two sides, never with the rest of the file.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::amounts::Amounts;
use super::exact::Ratio;
use super::partials::exact_add;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Separates the value and the currency of a [`DealStore`] key (as group
/// keys do; control characters never occur in names).
pub const SEP: char = '\u{1f}';

/// What a deal store keeps: its `by` dimension and the period ranges it
/// keeps (see [`DealStore`]).
pub type DealShape = (Option<usize>, Option<[(i64, i64); 2]>);

/// The largest deal of a bucket so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Top {
    pub amount: Decimal,
    pub date: NaiveDate,
    pub customer: String,
}

impl Top {
    /// Whether `self` is the larger deal: the larger amount; of equal
    /// amounts the earlier date, then the customer first in sort order (so
    /// any order of reading and merging picks the same deal).
    pub fn beats(&self, amount: Decimal, date: NaiveDate, customer: &str) -> bool {
        match self.amount.cmp(&amount) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => (self.date, self.customer.as_str()) <= (date, customer),
        }
    }
}

/// One bucket's amounts and largest deal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub amounts: Amounts,
    pub largest: Option<Top>,
}

impl Bucket {
    /// Note one deal.
    pub fn add(&mut self, amount: Decimal, date: NaiveDate, customer: &str) {
        self.amounts.push(amount);
        self.offer(amount, date, customer);
    }

    /// Take `(amount, date, customer)` as the largest deal if it is larger.
    pub fn offer(&mut self, amount: Decimal, date: NaiveDate, customer: &str) {
        if !self.largest.as_ref().is_some_and(|t| t.beats(amount, date, customer)) {
            self.largest = Some(Top { amount, date, customer: customer.to_string() });
        }
    }

    /// Fold another bucket in.
    pub fn merge(&mut self, other: Bucket) {
        self.amounts.append(other.amounts);
        if let Some(t) = other.largest {
            self.offer(t.amount, t.date, &t.customer);
        }
    }
}

/// The deal figures explain needs, per (period key, `value SEP currency`)
/// where the value is that of the partials' dimension `by` (else the key
/// is the currency alone). Mergeable: amounts append, largest deals take
/// the maximum.
#[derive(Clone, Debug, Default)]
pub struct DealStore {
    pub by: Option<usize>,
    /// Keep only period keys inside one of these inclusive ranges (the
    /// sides, when known before reading).
    pub only: Option<[(i64, i64); 2]>,
    buckets: BTreeMap<i64, HashMap<String, Bucket>>,
}

impl DealStore {
    pub fn new(by: Option<usize>, only: Option<[(i64, i64); 2]>) -> DealStore {
        DealStore { by, only, buckets: BTreeMap::new() }
    }

    /// An empty store of the same shape.
    pub fn empty_like(&self) -> DealStore {
        DealStore::new(self.by, self.only)
    }

    /// Whether deals of period `key` are kept.
    pub fn wants(&self, key: i64) -> bool {
        self.only.is_none_or(|r| r.iter().any(|(a, b)| (*a..=*b).contains(&key)))
    }

    /// The bucket of (`key`, the key made of `group`'s value and `currency`).
    fn bucket(&mut self, key: i64, group: &[&str], currency: &str) -> &mut Bucket {
        let map = self.buckets.entry(key).or_default();
        let name = match self.by {
            Some(i) => format!("{}{SEP}{currency}", group.get(i).copied().unwrap_or("")),
            None => currency.to_string(),
        };
        map.entry(name).or_default()
    }

    /// Note one deal of `group` (the partials' values) in period `key`.
    pub fn add(&mut self, key: i64, group: &[&str], currency: &str, date: NaiveDate, amount: Decimal, customer: &str) {
        if self.wants(key) {
            self.bucket(key, group, currency).add(amount, date, customer);
        }
    }

    /// Add a bucket already made (a parallel reader's); `name` is the
    /// store's key (`value SEP currency`, or the currency).
    pub fn add_bucket(&mut self, key: i64, name: &str, bucket: Bucket) {
        if !self.wants(key) {
            return;
        }
        let map = self.buckets.entry(key).or_default();
        match map.get_mut(name) {
            Some(b) => b.merge(bucket),
            None => {
                map.insert(name.to_string(), bucket);
            }
        }
    }

    /// Fold `other` (of the same shape) in.
    pub fn merge(&mut self, other: DealStore) {
        for (key, map) in other.buckets {
            for (name, bucket) in map {
                self.add_bucket(key, &name, bucket);
            }
        }
    }

    /// Drop the periods before `floor` (no longer among those compared).
    pub fn drop_before(&mut self, floor: i64) {
        self.buckets = self.buckets.split_off(&floor);
    }

    /// Keep only the periods `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(i64) -> bool) {
        self.buckets.retain(|k, _| keep(*k));
    }

    /// Every bucket: (period key, key name, bucket), periods in order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &str, &Bucket)> {
        self.buckets.iter().flat_map(|(k, m)| m.iter().map(move |(n, b)| (*k, n.as_str(), b)))
    }
}

/// The value and currency of a store key (the value empty without `by`).
pub fn split_name(name: &str) -> (&str, &str) {
    name.rsplit_once(SEP).unwrap_or(("", name))
}

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
    /// The side whose largest deal accounts for most of the change (see
    /// [`accounts_for_most`]; when both do, the side whose deal moves the
    /// change most, the base on a tie).
    pub dominant: Option<Which>,
    /// current median - base median.
    pub median_change: Option<Ratio>,
    /// The median hardly moved: by at most a tenth of the AOV's change (in
    /// size), and the AOV did move.
    pub median_steady: bool,
}

/// The figures of one side from its deals (amount, date, customer).
pub fn side(deals: &[(Decimal, NaiveDate, &str)]) -> Option<Side> {
    let mut b = Bucket::default();
    for (a, d, c) in deals {
        b.add(*a, *d, c);
    }
    side_of(b)
}

/// The figures of one side from its buckets merged into one; `None` when
/// the total does not fit exactly.
pub fn side_of(mut b: Bucket) -> Option<Side> {
    let mut total = Decimal::ZERO;
    for a in b.amounts.to_decimals() {
        total = exact_add(total, a)?;
    }
    let n = b.amounts.len() as u64;
    // PERCENTILE.INC at 1/2: the middle deal, or the exact mean of the two.
    let median = b.amounts.select(&[(1, 2)]).map(|s| s.percentiles[0].clone());
    let largest = b.largest.take().map(|t| Largest {
        share_pct: Ratio::from_decimal(t.amount).div(&Ratio::from_decimal(total)).map(|r| r.mul(&Ratio::from_int(100))),
        customer: t.customer,
        date: t.date,
        amount: t.amount,
    });
    let aov_without_largest = match &largest {
        Some(l) if n > 1 => Ratio::mean(total.checked_sub(l.amount)?, n - 1),
        _ => None,
    };
    Some(Side { deals: n, total, aov: Ratio::mean(total, n), median, largest, aov_without_largest })
}

/// Whether the change without a deal, `without`, shows that the deal
/// accounts for most of the change `c`: without it the change is less than
/// half as large (in size), or goes the other way. A zero change has no
/// such deal.
pub fn accounts_for_most(c: &Ratio, without: &Ratio) -> bool {
    if c.is_zero() {
        return false;
    }
    let half = c.abs().div(&Ratio::from_int(2)).expect("2 is not zero");
    without.abs() < half || (!without.is_zero() && without.signum() != c.signum())
}

/// Each currency's outliers on the two sides of a comparison, from the
/// deal store of partials made `with_deals` (`None` without one, or when
/// a side's total does not fit exactly). With `subject` (a seller against
/// the team; the store kept per seller), the base is every deal of the
/// current side and the current side the subject's. A currency with deals
/// on one side only is left out.
pub fn of_sides(
    partials: &super::Partials,
    sides: super::explain::Sides,
    subject: Option<&dyn Fn(&str) -> bool>,
) -> Option<BTreeMap<String, Outliers>> {
    use super::explain::Sides;
    use super::period::{Period, PeriodKey};
    let store = partials.deal_store()?;
    let day_key = |d: NaiveDate| Period::Day.key(d).0;
    let within = |key: i64| -> (bool, bool) {
        match sides {
            Sides::Periods(b, c) => (key == b.0, key == c.0),
            Sides::Days([a, b, c, d]) => {
                let k = PeriodKey(key).0;
                ((day_key(a)..=day_key(b)).contains(&k), (day_key(c)..=day_key(d)).contains(&k))
            }
        }
    };
    let mut per: BTreeMap<String, (Bucket, Bucket)> = BTreeMap::new();
    for (key, name, bucket) in store.iter() {
        let (in_base, in_current) = within(key);
        let (value, currency) = split_name(name);
        let (to_base, to_current) = match subject {
            Some(is_subject) => (in_current, in_current && is_subject(value)),
            None => (in_base, in_current),
        };
        if !to_base && !to_current {
            continue;
        }
        let e = per.entry(currency.to_string()).or_default();
        if to_base {
            e.0.merge(bucket.clone());
        }
        if to_current {
            e.1.merge(bucket.clone());
        }
    }
    let mut out = BTreeMap::new();
    for (currency, (b, c)) in per {
        if b.amounts.is_empty() || c.amounts.is_empty() {
            continue;
        }
        out.insert(currency, outliers(side_of(b)?, side_of(c)?));
    }
    Some(out)
}

/// The ranges of period keys a store must keep for sides known before
/// reading (both periods named, or day ranges); `None` otherwise.
pub fn ranges_for(base: Option<i64>, current: Option<i64>, days: Option<[NaiveDate; 4]>) -> Option<[(i64, i64); 2]> {
    use super::period::Period;
    if let Some([a, b, c, d]) = days {
        let k = |d: NaiveDate| Period::Day.key(d).0;
        return Some([(k(a), k(b)), (k(c), k(d))]);
    }
    Some([(base?, base?), (current?, current?)])
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
    // How far taking the deal out moves the change, when it accounts for most of it.
    let most = |without: &Option<Ratio>| -> Option<Ratio> {
        let (c, w) = (c.as_ref()?, without.as_ref()?);
        accounts_for_most(c, w).then(|| c.sub(w).abs())
    };
    let dominant = match (most(&wb), most(&wc)) {
        (Some(b), Some(c)) => Some(if c > b { Which::Current } else { Which::Base }),
        (Some(_), None) => Some(Which::Base),
        (None, Some(_)) => Some(Which::Current),
        (None, None) => None,
    };
    let median_change = match (&base.median, &current.median) {
        (Some(a), Some(b)) => Some(b.sub(a)),
        _ => None,
    };
    let median_steady = match (&c, &median_change) {
        (Some(c), Some(m)) => !c.is_zero() && m.abs().mul(&Ratio::from_int(10)) <= c.abs(),
        _ => false,
    };
    Outliers {
        median_change,
        median_steady,
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

    #[test]
    fn most_of_the_change_means_under_half_left_or_the_other_way() {
        let r = |n: i128| Ratio::from_int(n);
        // A change of -100: without the deal -49 is under half, -50 is not.
        assert!(accounts_for_most(&r(-100), &r(-49)));
        assert!(!accounts_for_most(&r(-100), &r(-50)));
        assert!(accounts_for_most(&r(-100), &r(0)));
        // The other way round, however small or large.
        assert!(accounts_for_most(&r(-100), &r(1)));
        assert!(accounts_for_most(&r(-100), &r(500)));
        // Larger in the same direction: the deal held the change back.
        assert!(!accounts_for_most(&r(-100), &r(-150)));
        assert!(!accounts_for_most(&r(0), &r(0)));
    }

    #[test]
    fn stores_merge_to_the_same_largest_deal_in_any_order() {
        let deals = [("50", 9, "Z"), ("50", 2, "Y"), ("50", 2, "X"), ("10", 1, "A")];
        let mut one = DealStore::new(None, None);
        for (a, n, c) in deals {
            one.add(7, &["s"], "SEK", day(n), d(a), c);
        }
        let mut left = DealStore::new(None, None);
        let mut right = DealStore::new(None, None);
        for (i, (a, n, c)) in deals.iter().rev().enumerate() {
            let s = if i % 2 == 0 { &mut left } else { &mut right };
            s.add(7, &["s"], "SEK", day(*n), d(a), c);
        }
        right.merge(left);
        let top = |s: &DealStore| s.iter().map(|(k, n, b)| (k, n.to_string(), b.largest.clone())).collect::<Vec<_>>();
        // Equal amounts: the earliest day, then the customer first in order.
        let want = Some(Top { amount: d("50"), date: day(2), customer: "X".into() });
        assert_eq!(top(&one), vec![(7, "SEK".to_string(), want.clone())]);
        assert_eq!(top(&right), top(&one));
        // Outside the ranges asked for, nothing is kept; older periods drop.
        let mut only = DealStore::new(Some(0), Some([(1, 1), (3, 4)]));
        for k in 0..6 {
            only.add(k, &["Eva"], "", day(1), d("1"), "A");
        }
        assert_eq!(
            only.iter().map(|(k, n, _)| (k, split_name(n))).collect::<Vec<_>>(),
            [(1, ("Eva", "")), (3, ("Eva", "")), (4, ("Eva", ""))]
        );
        only.drop_before(3);
        assert_eq!(only.iter().map(|(k, ..)| k).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn partials_keeping_the_latest_periods_keep_only_their_deals() {
        use crate::aggregate::{Partials, Period};
        let mut p = Partials::new(Period::Month, 1).keeping_latest().with_deals(None, None);
        for m in [3u32, 1, 5, 2, 4, 5] {
            let date = NaiveDate::from_ymd_opt(2013, m, 10).unwrap();
            p.add(&["Eva"], "", date, d("10")).unwrap();
            p.note_deal(&["Eva"], "", date, d("10"), "A");
        }
        let months: Vec<String> =
            p.deal_store().unwrap().iter().map(|(k, ..)| Period::Month.label(crate::aggregate::PeriodKey(k))).collect();
        assert_eq!(months, ["2013-04", "2013-05"]);
        let amounts: Vec<usize> = p.deal_store().unwrap().iter().map(|(.., b)| b.amounts.len()).collect();
        assert_eq!(amounts, [1, 2]);
    }
}
