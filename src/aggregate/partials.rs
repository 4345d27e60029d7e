//! Exact, mergeable partial sums: the one data structure the whole tool
//! rests on.
//!
//! For every group key (the `--by` values and the currency) and every period
//! bucket we keep only the number of deals and their exact decimal sum. Both
//! are associative, so partials built from different files, different
//! threads or a warehouse query merge into exactly the same numbers as one
//! pass over all rows. Memory grows with the number of groups times periods,
//! never with the number of rows.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::period::{Period, PeriodKey};

/// Separates the parts of an interned group key. Loaders turn control
/// characters in names into spaces, so it never occurs inside a value.
const SEP: char = '\u{1f}';

/// Count and exact sum of the deals in one group and period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Partial {
    pub deals: u64,
    pub total: Decimal,
}

impl Partial {
    /// Fold another partial in; `None` if the sum would not fit exactly.
    pub fn merge(&mut self, other: &Partial) -> Option<()> {
        self.total = exact_add(self.total, other.total)?;
        self.deals = self.deals.checked_add(other.deals)?;
        Some(())
    }
}

/// `a + b`, or `None` when the exact sum does not fit. rust_decimal's own
/// `checked_add` silently drops decimals when the sum needs more than 96
/// bits at the larger scale; a result with a smaller scale shows it did.
pub fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    (sum.scale() >= a.scale().max(b.scale())).then_some(sum)
}

/// The sum of a group no longer fits in a 96-bit decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the total of {group} in {period} is too large to add up exactly")]
pub struct Overflow {
    pub group: String,
    pub period: String,
}

/// Partials per (group, period bucket) for one period granularity.
#[derive(Clone, Debug)]
pub struct Partials {
    period: Period,
    width: usize,
    index: HashMap<Box<str>, u32>,
    keys: Vec<Box<str>>,
    cells: HashMap<(u32, PeriodKey), Partial>,
    scratch: String,
}

impl Partials {
    /// Partials for `period` buckets and group keys of `width` values (the
    /// number of `--by` dimensions; the currency comes on top).
    pub fn new(period: Period, width: usize) -> Partials {
        Partials {
            period,
            width,
            index: HashMap::new(),
            keys: Vec::new(),
            cells: HashMap::new(),
            scratch: String::new(),
        }
    }

    pub fn period(&self) -> Period {
        self.period
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of (group, period) cells held.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    fn intern(&mut self, group: &[&str], currency: &str) -> u32 {
        debug_assert_eq!(group.len(), self.width);
        self.scratch.clear();
        for part in group {
            self.scratch.push_str(part);
            self.scratch.push(SEP);
        }
        self.scratch.push_str(currency);
        if let Some(&id) = self.index.get(self.scratch.as_str()) {
            return id;
        }
        let id = self.keys.len() as u32;
        let key: Box<str> = self.scratch.as_str().into();
        self.keys.push(key.clone());
        self.index.insert(key, id);
        id
    }

    /// Add one deal.
    pub fn add(&mut self, group: &[&str], currency: &str, date: NaiveDate, amount: Decimal) -> Result<(), Overflow> {
        self.add_partial(group, currency, self.period.key(date), &Partial { deals: 1, total: amount })
    }

    /// Add a pre-aggregated bucket whose first (or only) day is `day`, as a
    /// warehouse returns it. The day is mapped to this report's period with
    /// our own calendar code.
    pub fn add_bucket(
        &mut self,
        group: &[&str],
        currency: &str,
        day: NaiveDate,
        part: &Partial,
    ) -> Result<(), Overflow> {
        self.add_partial(group, currency, self.period.key(day), part)
    }

    fn add_partial(&mut self, group: &[&str], currency: &str, key: PeriodKey, part: &Partial) -> Result<(), Overflow> {
        let id = self.intern(group, currency);
        let cell = self.cells.entry((id, key)).or_default();
        cell.merge(part)
            .ok_or_else(|| Overflow { group: describe(&self.keys[id as usize]), period: self.period.label(key) })
    }

    /// Fold `other` (same period and width) into `self`.
    pub fn merge(&mut self, other: Partials) -> Result<(), Overflow> {
        assert_eq!((self.period, self.width), (other.period, other.width), "merging partials of different shapes");
        let remap: Vec<u32> = other
            .keys
            .iter()
            .map(|k| {
                let mut parts: Vec<&str> = k.split(SEP).collect();
                let currency = parts.pop().unwrap_or("");
                self.intern(&parts, currency)
            })
            .collect();
        for ((id, key), part) in other.cells {
            let id = remap[id as usize];
            let cell = self.cells.entry((id, key)).or_default();
            cell.merge(&part)
                .ok_or_else(|| Overflow { group: describe(&self.keys[id as usize]), period: self.period.label(key) })?;
        }
        Ok(())
    }

    /// Every cell: group values, currency, period key and partial, in no
    /// particular order.
    pub fn cells(&self) -> impl Iterator<Item = (Vec<&str>, &str, PeriodKey, &Partial)> {
        self.cells.iter().map(|((id, key), part)| {
            let mut parts: Vec<&str> = self.keys[*id as usize].split(SEP).collect();
            let currency = parts.pop().unwrap_or("");
            (parts, currency, *key, part)
        })
    }
}

fn describe(key: &str) -> String {
    let shown: Vec<&str> = key.split(SEP).filter(|p| !p.is_empty()).collect();
    if shown.is_empty() { "all deals".to_string() } else { format!("\"{}\"", shown.join(" / ")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn sorted(p: &Partials) -> Vec<(String, String, i64, u64, String)> {
        let mut v: Vec<_> = p
            .cells()
            .map(|(g, c, k, part)| (g.join("|"), c.to_string(), k.0, part.deals, part.total.normalize().to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn adds_by_group_and_bucket() {
        let mut p = Partials::new(Period::Month, 1);
        p.add(&["Acme"], "", d("2013-03-01"), dec("100.10")).unwrap();
        p.add(&["Acme"], "", d("2013-03-31"), dec("-20.05")).unwrap();
        p.add(&["Acme"], "", d("2013-04-01"), dec("5")).unwrap();
        p.add(&["Bolt"], "", d("2013-03-02"), dec("1")).unwrap();
        let m = |s| Period::Month.key(d(s)).0;
        assert_eq!(
            sorted(&p),
            vec![
                ("Acme".into(), "".into(), m("2013-03-01"), 2, "80.05".into()),
                ("Acme".into(), "".into(), m("2013-04-01"), 1, "5".into()),
                ("Bolt".into(), "".into(), m("2013-03-01"), 1, "1".into()),
            ]
        );
    }

    #[test]
    fn merging_equals_one_pass() {
        let rows = [
            ("A", "SEK", "2013-01-05", "1.01"),
            ("B", "EUR", "2013-01-06", "2.5"),
            ("A", "SEK", "2013-02-01", "3"),
            ("A", "EUR", "2013-01-07", "4"),
        ];
        let mut whole = Partials::new(Period::Week, 1);
        let mut left = Partials::new(Period::Week, 1);
        let mut right = Partials::new(Period::Week, 1);
        for (i, (g, c, day, amt)) in rows.iter().enumerate() {
            whole.add(&[g], c, d(day), dec(amt)).unwrap();
            let half = if i % 2 == 0 { &mut left } else { &mut right };
            half.add(&[g], c, d(day), dec(amt)).unwrap();
        }
        right.merge(left).unwrap();
        assert_eq!(sorted(&whole), sorted(&right));
    }

    #[test]
    fn buckets_map_to_the_report_period() {
        let mut p = Partials::new(Period::Year, 0);
        p.add_bucket(&[], "", d("2013-01-01"), &Partial { deals: 3, total: dec("30") }).unwrap();
        p.add_bucket(&[], "", d("2013-12-30"), &Partial { deals: 1, total: dec("2") }).unwrap();
        assert_eq!(sorted(&p), vec![("".into(), "".into(), 2013, 4, "32".into())]);
    }

    #[test]
    fn exact_add_refuses_to_round() {
        // 79228162514264337593543950335 has 29 digits: adding 0.5 cannot be exact.
        assert_eq!(exact_add(Decimal::MAX, dec("-0.5")), None);
        assert_eq!(exact_add(dec("1.25"), dec("-0.5")), Some(dec("0.75")));
        assert_eq!(
            exact_add(Decimal::MAX, dec("-1")).map(|d| d.to_string()),
            Some("79228162514264337593543950334".into())
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let mut p = Partials::new(Period::All, 1);
        p.add(&["Big"], "", d("2013-01-01"), Decimal::MAX).unwrap();
        let err = p.add(&["Big"], "", d("2013-01-01"), Decimal::MAX).unwrap_err();
        assert_eq!(err.to_string(), "the total of \"Big\" in all is too large to add up exactly");
    }
}
