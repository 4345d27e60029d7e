//! The deals of each group in the last two trend windows, by day, so that
//! `aov customers` can set a customer's total in the last window against
//! the preceding one (`--window 12m`) and a big customer drifting away
//! stands out.
//!
//! The windows end on the as-of day: the one given, or the last deal day
//! of the data, known only once everything is read. So the store keeps a
//! sum per (group, day), but only for days that can still fall in the two
//! windows: on or after the first day of the preceding window counted back
//! from the latest day seen so far (the as-of day can only move later).
//! Older days are dropped as the latest day moves on (amortised: when the
//! store has doubled since it was last pruned). Memory grows with groups
//! times deal days inside two windows, never with older rows. Sums are
//! exact decimals; stores merge by adding sums.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::exact_add;
use super::period::{Period, PeriodKey};
use super::potential::{Span, trend_windows};

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// No day seen yet.
const NONE: i32 = i32::MIN;

/// Sums per (group id, day number) inside the two trend windows.
#[derive(Clone, Debug)]
pub struct Recent {
    pub span: Span,
    /// The as-of day given (`--as-of`), as a day number; else the latest
    /// deal day counts.
    pub fixed: Option<NaiveDate>,
    latest: i32,
    days: HashMap<(u32, i32), Decimal>,
    /// The store's size when it was last pruned.
    pruned_at: usize,
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
        Recent { span, fixed, latest: NONE, days: HashMap::default(), pruned_at: 64 }
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

    /// Add `amount` of group `id` on day `day` (a day number); `None` when
    /// the sum no longer fits exactly.
    pub fn add(&mut self, id: u32, day: i32, amount: Decimal) -> Option<()> {
        if self.fixed.is_none() && day > self.latest {
            self.latest = day;
        }
        if let Some((from, to)) = self.range() {
            if day < from || (self.fixed.is_some() && day > to) {
                return Some(());
            }
        }
        let sum = self.days.entry((id, day)).or_insert(Decimal::ZERO);
        *sum = exact_add(*sum, amount)?;
        if self.days.len() >= 2 * self.pruned_at {
            self.prune();
        }
        Some(())
    }

    /// Drop the days before the preceding window.
    fn prune(&mut self) {
        if let Some((from, _)) = self.range() {
            self.days.retain(|(_, d), _| *d >= from);
        }
        self.pruned_at = self.days.len().max(64);
    }

    /// Fold `other` in, its group ids mapped through `remap`.
    pub fn merge(&mut self, other: Recent, remap: &[u32]) -> Option<()> {
        if self.fixed.is_none() {
            self.latest = self.latest.max(other.latest);
        }
        for ((id, day), sum) in other.days {
            self.add(remap[id as usize], day, sum)?;
        }
        self.prune();
        Some(())
    }

    /// Keep only the days `keep` accepts (a period window).
    pub fn retain(&mut self, keep: impl Fn(NaiveDate) -> bool) {
        self.days.retain(|(_, d), _| keep(date_of(*d)));
    }

    /// Every (group id, day, sum) kept, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (u32, NaiveDate, Decimal)> + '_ {
        self.days.iter().map(|((id, d), s)| (*id, date_of(*d), *s))
    }

    /// Each group's totals in the last window and the preceding one.
    pub fn totals(&self) -> Option<HashMap<u32, [Decimal; 2]>> {
        let [(a, b), (c, d)] = self.windows()?;
        let (a, b, c, d) = (day_number(a), day_number(b), day_number(c), day_number(d));
        let mut out: HashMap<u32, [Decimal; 2]> = HashMap::default();
        for ((id, day), sum) in &self.days {
            let i = if (a..=b).contains(day) {
                0
            } else if (c..=d).contains(day) {
                1
            } else {
                continue;
            };
            let t = out.entry(*id).or_insert([Decimal::ZERO; 2]);
            t[i] = exact_add(t[i], *sum)?;
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
        assert!(r.days.len() < 200, "{}", r.days.len());
        assert_eq!(r.totals().unwrap()[&0], [dec("5"), dec("5")]);
    }
}
