//! The deals of each group in the last two trend windows, by day, so that
//! `aov customers` can set a customer's total in the last window against
//! the preceding one (`--window 12m`) and a big customer drifting away
//! stands out.
//!
//! The windows end on the as-of day: the one given, or the last deal day
//! of the data, known only once everything is read. So the store keeps
//! every deal (group, day, amount) whose day can still fall in the two
//! windows: on or after the first day of the preceding window counted back
//! from the latest day seen so far (the as-of day can only move later).
//! Older days are dropped as the latest day moves on (amortised: when the
//! store has doubled since it was last pruned). Memory grows with the deals
//! inside two windows (16 bytes each), never with older rows. Amounts are
//! kept in millionths (exact decimals for the rare amount that does not
//! fit), appended rather than hashed per (group, day): a hash map of
//! millions of (customer, day) sums cost a third of `aov customers`. The
//! windows' totals are summed exactly once the as-of day is known.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::exact_add;
use super::period::{Period, PeriodKey};
use super::potential::{Span, trend_windows};

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// No day seen yet.
const NONE: i32 = i32::MIN;

/// Records moved at a time when two stores merge (16 MiB).
const MERGE_SLICE: usize = 1 << 20;

/// The deals of each group (by id) inside the two trend windows.
#[derive(Clone, Debug)]
pub struct Recent {
    pub span: Span,
    /// The as-of day given (`--as-of`), as a day number; else the latest
    /// deal day counts.
    pub fixed: Option<NaiveDate>,
    latest: i32,
    /// (group id, day number, millionths), in no particular order.
    micros: Vec<(u32, i32, i64)>,
    /// Amounts that do not fit in millionths, summed per (group, day).
    exact: HashMap<(u32, i32), Decimal>,
    /// The store's size when it was last pruned.
    pruned_at: usize,
    /// `range()` while the latest day stays (it costs date arithmetic).
    from: Option<(i32, i32)>,
}

/// A day number (`Period::Day` key) of a date, and back.
pub fn day_number(d: NaiveDate) -> i32 {
    Period::Day.key(d).0 as i32
}

fn date_of(n: i32) -> NaiveDate {
    Period::Day.first_day(PeriodKey(i64::from(n))).expect("a day number from a date")
}

impl Recent {
    pub fn new(span: Span, fixed: Option<NaiveDate>) -> Recent {
        Recent { span, fixed, latest: NONE, micros: Vec::new(), exact: HashMap::default(), pruned_at: 64, from: None }
    }

    /// An empty store of the same shape.
    pub fn empty_like(&self) -> Recent {
        Recent::new(self.span, self.fixed)
    }

    /// The as-of day: the one given, else the latest deal day seen.
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.fixed.or_else(|| (self.latest != NONE).then(|| date_of(self.latest)))
    }

    /// The last window and the one before it, each (first day, last day).
    pub fn windows(&self) -> Option<[(NaiveDate, NaiveDate); 2]> {
        trend_windows(self.as_of()?, self.span)
    }

    /// The days kept: from the first day of the preceding window on (and,
    /// with a fixed as-of day, up to it).
    fn range(&self) -> Option<(i32, i32)> {
        let [(_, last), (first, _)] = self.windows()?;
        Some((day_number(first), day_number(last)))
    }

    fn len(&self) -> usize {
        self.micros.len() + self.exact.len()
    }

    /// Add `amount` of group `id` on day `day` (a day number); `None` when
    /// the sum no longer fits exactly.
    pub fn add(&mut self, id: u32, day: i32, amount: Decimal) -> Option<()> {
        match super::amounts::to_micros(amount) {
            Some(m) => {
                self.add_micros(id, day, m);
                Some(())
            }
            None => {
                if !self.keeps(day) {
                    return Some(());
                }
                let sum = self.exact.entry((id, day)).or_insert(Decimal::ZERO);
                *sum = exact_add(*sum, amount)?;
                self.after_add();
                Some(())
            }
        }
    }

    /// Add an amount in millionths of group `id` on day `day`.
    #[inline]
    pub fn add_micros(&mut self, id: u32, day: i32, m: i64) {
        if self.keeps(day) {
            self.micros.push((id, day, m));
            self.after_add();
        }
    }

    /// Move the latest day on to `day` if later; whether `day` is kept.
    #[inline]
    fn keeps(&mut self, day: i32) -> bool {
        if self.fixed.is_none() && day > self.latest {
            self.latest = day;
            self.from = None;
        }
        let (from, to) = match self.from {
            Some(r) => r,
            None => match self.range() {
                Some(r) => {
                    self.from = Some(r);
                    r
                }
                None => return true,
            },
        };
        !(day < from || (self.fixed.is_some() && day > to))
    }

    #[inline]
    fn after_add(&mut self) {
        if self.len() >= 2 * self.pruned_at {
            self.prune();
        }
    }

    /// Drop the days before the preceding window.
    fn prune(&mut self) {
        if let Some((from, _)) = self.range() {
            self.micros.retain(|(_, d, _)| *d >= from);
            self.exact.retain(|(_, d), _| *d >= from);
        }
        self.pruned_at = self.len().max(64);
    }

    /// Fold `other` in, its group ids mapped through `remap`.
    pub fn merge(&mut self, other: Recent, remap: &[u32]) -> Option<()> {
        self.merge_in(other, remap, MERGE_SLICE)
    }

    /// [`Recent::merge`], moving `slice` records at a time.
    fn merge_in(&mut self, mut other: Recent, remap: &[u32], slice: usize) -> Option<()> {
        if self.fixed.is_none() && other.latest > self.latest {
            self.latest = other.latest;
            self.from = None;
        }
        if self.micros.is_empty() {
            // Take the other's memory, its ids mapped in place.
            let mut taken = std::mem::take(&mut other.micros);
            for (id, _, _) in &mut taken {
                *id = remap[*id as usize];
            }
            self.micros = taken;
        } else {
            // The larger store receives the smaller, which gives its memory
            // back a slice at a time: never both whole beside a third copy.
            let mut from = std::mem::take(&mut other.micros);
            let mut remapped = true;
            if from.len() > self.micros.len() {
                std::mem::swap(&mut self.micros, &mut from);
                for (id, _, _) in &mut self.micros {
                    *id = remap[*id as usize];
                }
                remapped = false;
            }
            self.micros.reserve_exact(from.len());
            while !from.is_empty() {
                let cut = from.len().saturating_sub(slice.max(1));
                let map = |id: u32| if remapped { remap[id as usize] } else { id };
                self.micros.extend(from[cut..].iter().map(|&(id, day, m)| (map(id), day, m)));
                from.truncate(cut);
                from.shrink_to_fit();
            }
        }
        for ((id, day), sum) in other.exact {
            let s = self.exact.entry((remap[id as usize], day)).or_insert(Decimal::ZERO);
            *s = exact_add(*s, sum)?;
        }
        self.prune();
        Some(())
    }

    /// Drop every record, keeping the shape and the as-of day (the totals
    /// have been taken).
    pub fn release(&mut self) {
        self.micros = Vec::new();
        self.exact = HashMap::default();
        self.pruned_at = 64;
    }

    /// Keep only the days `keep` accepts (a period window).
    pub fn retain(&mut self, keep: impl Fn(NaiveDate) -> bool) {
        self.micros.retain(|(_, d, _)| keep(date_of(*d)));
        self.exact.retain(|(_, d), _| keep(date_of(*d)));
    }

    /// Whether group `id` has a deal kept, per id below `n`.
    pub fn ids_used(&self, n: usize) -> Vec<bool> {
        let mut used = vec![false; n];
        for id in self.micros.iter().map(|(id, _, _)| id).chain(self.exact.keys().map(|(id, _)| id)) {
            used[*id as usize] = true;
        }
        used
    }

    /// Each group's totals in the last window and the preceding one.
    pub fn totals(&self) -> Option<HashMap<u32, [Decimal; 2]>> {
        let [(a, b), (c, d)] = self.windows()?;
        let (a, b, c, d) = (day_number(a), day_number(b), day_number(c), day_number(d));
        let window = |day: &i32| {
            if (a..=b).contains(day) {
                Some(0)
            } else if (c..=d).contains(day) {
                Some(1)
            } else {
                None
            }
        };
        let mut sums: HashMap<u32, [i128; 2]> = HashMap::default();
        for (id, day, m) in &self.micros {
            if let Some(i) = window(day) {
                sums.entry(*id).or_insert([0; 2])[i] += i128::from(*m);
            }
        }
        let mut out: HashMap<u32, [Decimal; 2]> = HashMap::default();
        for (id, [x, y]) in sums {
            let dec = |v: i128| Decimal::try_from_i128_with_scale(v, 6).ok().map(|d| d.normalize());
            out.insert(id, [dec(x)?, dec(y)?]);
        }
        for ((id, day), sum) in &self.exact {
            if let Some(i) = window(day) {
                let t = out.entry(*id).or_insert([Decimal::ZERO; 2]);
                t[i] = exact_add(t[i], *sum)?;
            }
        }
        Some(out)
    }
}

/// The trend of a total: the last window's against the preceding one, in
/// percent of the preceding; `None` when the preceding window's total is 0
/// (no deals then).
pub fn trend(last: Decimal, before: Decimal) -> Option<Ratio> {
    super::potential::trend_pct(last, before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn sums_per_window_ending_on_the_latest_day() {
        // Window 1 month; latest day 31 March: last window 1-31 March,
        // preceding 1-28 February; January is dropped.
        let mut r = Recent::new(Span::Months(1), None);
        for (id, d, a) in [(0, day(2014, 1, 15), "999"), (0, day(2014, 2, 1), "100"), (0, day(2014, 3, 31), "30")] {
            r.add(id, day_number(d), dec(a)).unwrap();
        }
        r.add(1, day_number(day(2014, 3, 1)), dec("5")).unwrap();
        assert_eq!(r.as_of(), Some(day(2014, 3, 31)));
        let t = r.totals().unwrap();
        assert_eq!(t[&0], [dec("30"), dec("100")]);
        assert_eq!(t[&1], [dec("5"), dec("0")]);
        assert_eq!(trend(dec("30"), dec("100")), Ratio::new((-70).into(), 1.into()));
        assert_eq!(trend(dec("5"), dec("0")), None);
    }

    #[test]
    fn merging_into_a_smaller_store_by_slices_maps_only_the_other_ids() {
        // Window 10 days, as of 20 January: last 11-20, before 1-10.
        let mut a = Recent::new(Span::Days(10), Some(day(2014, 1, 20)));
        let mut b = a.empty_like();
        a.add(0, day_number(day(2014, 1, 12)), dec("4")).unwrap();
        // b's id 0 is a's id 1, b's id 1 is a's id 0; b is the larger.
        for (id, d, x) in [(0, 15, "1.25"), (0, 2, "3"), (1, 20, "0.75"), (1, 1, "10"), (0, 19, "2")] {
            b.add(id, day_number(day(2014, 1, d)), dec(x)).unwrap();
        }
        a.merge_in(b, &[1, 0], 2).unwrap();
        let t = a.totals().unwrap();
        // a's 0: 4 (12th) + 0.75 (20th) last, 10 (1st) before.
        assert_eq!(t[&0], [dec("4.75"), dec("10")]);
        // a's 1: 1.25 + 2 last, 3 before.
        assert_eq!(t[&1], [dec("3.25"), dec("3")]);
        assert_eq!(t.len(), 2);
        // Now the receiver is the larger: c's id 0 is a's id 1, one record
        // a slice.
        let mut c = a.empty_like();
        for (d, x) in [(11, "0.5"), (10, "7"), (20, "1")] {
            c.add(0, day_number(day(2014, 1, d)), dec(x)).unwrap();
        }
        a.merge_in(c, &[1], 1).unwrap();
        let t = a.totals().unwrap();
        assert_eq!(t[&0], [dec("4.75"), dec("10")]);
        assert_eq!(t[&1], [dec("4.75"), dec("10")]);
    }

    #[test]
    fn a_fixed_as_of_day_leaves_later_deals_out_and_merging_adds() {
        let mut a = Recent::new(Span::Days(10), Some(day(2014, 1, 20)));
        let mut b = a.empty_like();
        // Last window 11-20 January, preceding 1-10 January.
        a.add(0, day_number(day(2014, 1, 21)), dec("7")).unwrap();
        a.add(0, day_number(day(2014, 1, 11)), dec("1.5")).unwrap();
        b.add(0, day_number(day(2014, 1, 10)), dec("2")).unwrap();
        b.add(0, day_number(day(2014, 1, 20)), dec("0.5")).unwrap();
        b.add(0, day_number(day(2013, 12, 31)), dec("9")).unwrap();
        a.merge(b, &[3]).unwrap();
        let t = a.totals().unwrap();
        assert_eq!(t[&0], [dec("1.5"), dec("0")]);
        assert_eq!(t[&3], [dec("0.5"), dec("2")]);
    }

    #[test]
    fn pruning_keeps_the_store_to_the_two_windows() {
        let mut r = Recent::new(Span::Days(5), None);
        for n in 0..1000 {
            r.add(0, day_number(day(2014, 1, 1)) + n, dec("1")).unwrap();
        }
        // 10 days in the two windows, plus what came since the last pruning.
        assert!(r.len() < 200, "{}", r.len());
        assert_eq!(r.totals().unwrap()[&0], [dec("5"), dec("5")]);
    }

    #[test]
    fn amounts_beyond_millionths_are_summed_exactly_beside_the_others() {
        // 9 999 999 999 999.5 is 9.9999999999995e18 millionths, more than
        // an i64 holds: it is kept as a decimal, the others in millionths.
        let mut r = Recent::new(Span::Days(10), Some(day(2014, 1, 20)));
        let big = dec("9999999999999.5");
        r.add(0, day_number(day(2014, 1, 15)), big).unwrap();
        r.add(0, day_number(day(2014, 1, 15)), dec("0.25")).unwrap();
        r.add_micros(0, day_number(day(2014, 1, 12)), 1_250_000);
        r.add_micros(0, day_number(day(2014, 1, 5)), -500_000);
        r.add(1, day_number(day(2014, 1, 5)), big).unwrap();
        let t = r.totals().unwrap();
        // Last window 11-20 January: 9999999999999.5 + 0.25 + 1.25.
        assert_eq!(t[&0], [dec("10000000000001"), dec("-0.5")]);
        assert_eq!(t[&1], [dec("0"), big]);
    }
}
