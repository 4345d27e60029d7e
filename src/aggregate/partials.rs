//! Exact, mergeable partial sums: the one data structure the whole tool
//! rests on.
//!
//! For every group key (the `--by` values and the currency) and every period
//! bucket we keep only the number of deals and their exact decimal sum. Both
//! are associative, so partials built from different files, different
//! threads or a warehouse query merge into exactly the same numbers as one
//! pass over all rows. Memory grows with the number of groups times periods,
//! never with the number of rows.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::period::{Period, PeriodKey};

/// foldhash, not the standard SipHash: these maps are keyed by our own
/// group keys and ids, and hashing was a good part of the time spent after
/// reading a file with many customers.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Separates the parts of an interned group key. Loaders turn control
/// characters in names into spaces, so it never occurs inside a value.
const SEP: char = '\u{1f}';

/// Count and exact sum of the deals in one group and period, and the
/// number of input rows behind them (more than the deals when orders come
/// as several lines).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Partial {
    pub deals: u64,
    pub total: Decimal,
    pub rows: u64,
}

impl Partial {
    /// Fold another partial in; `None` if the sum would not fit exactly.
    pub fn merge(&mut self, other: &Partial) -> Option<()> {
        self.total = exact_add(self.total, other.total)?;
        self.deals = self.deals.checked_add(other.deals)?;
        self.rows = self.rows.checked_add(other.rows)?;
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

/// One cell as the report sees it.
#[derive(Clone, Copy, Debug)]
pub struct CellRef<'a> {
    pub group: &'a str,
    pub key: PeriodKey,
    pub part: &'a Partial,
    /// Every amount, when the partials keep them (`--stats`).
    pub amounts: Option<&'a [Decimal]>,
}

impl<'a> CellRef<'a> {
    /// The `--by` values and the currency of the cell.
    pub fn split(&self) -> (Vec<&'a str>, &'a str) {
        split_key(self.group)
    }
}

/// Where the last separator of a key is: a few bytes from its end, before
/// the currency code (a plain byte loop; `rsplit_once` called memrchr,
/// slower on a short tail, for every group in several passes).
fn last_sep(key: &str) -> Option<usize> {
    key.bytes().rposition(|b| b == SEP as u8)
}

/// The currency of a group key (what `split_key` gives second).
pub fn key_currency(key: &str) -> &str {
    last_sep(key).map_or(key, |i| &key[i + 1..])
}

/// The group values of a key, in order, without collecting them; for
/// comparing keys (a key without values gives one empty value).
pub fn key_values(key: &str) -> std::str::Split<'_, char> {
    last_sep(key).map_or("", |i| &key[..i]).split(SEP)
}

/// The `--by` values and the currency of an interned group key.
pub fn split_key(key: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = key.split(SEP).collect();
    let currency = parts.pop().unwrap_or("");
    (parts, currency)
}

/// Partials per (group, period bucket) for one period granularity.
#[derive(Clone, Debug)]
pub struct Partials {
    period: Period,
    width: usize,
    /// Key -> id; the same shared string as `keys[id]` (one allocation
    /// per group, not two).
    index: HashMap<std::sync::Arc<str>, u32>,
    keys: Vec<std::sync::Arc<str>>,
    cells: HashMap<(u32, PeriodKey), Partial>,
    /// Every amount per cell, only when asked for (medians, percentiles).
    amounts: Option<HashMap<(u32, PeriodKey), Vec<Decimal>>>,
    scratch: String,
}

impl Partials {
    /// Partials for `period` buckets and group keys of `width` values (the
    /// number of `--by` dimensions; the currency comes on top).
    pub fn new(period: Period, width: usize) -> Partials {
        Partials {
            period,
            width,
            index: HashMap::default(),
            keys: Vec::new(),
            cells: HashMap::default(),
            amounts: None,
            scratch: String::new(),
        }
    }

    /// Partials that also keep every amount: memory then grows with the
    /// number of deals, so only statistics that need them ask for it.
    pub fn with_amounts(period: Period, width: usize) -> Partials {
        Partials { amounts: Some(HashMap::default()), ..Partials::new(period, width) }
    }

    /// An empty set of partials of the same shape.
    pub fn empty_like(&self) -> Partials {
        if self.keeps_amounts() {
            Partials::with_amounts(self.period, self.width)
        } else {
            Partials::new(self.period, self.width)
        }
    }

    /// Room for `cells` more cells of as many groups (when a reader knows
    /// how many are coming: growing the tables step by step was a tenth of
    /// the work after reading many customers).
    pub fn reserve(&mut self, cells: usize) {
        self.index.reserve(cells);
        self.keys.reserve(cells);
        self.cells.reserve(cells);
    }

    pub fn keeps_amounts(&self) -> bool {
        self.amounts.is_some()
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
        let key: std::sync::Arc<str> = self.scratch.as_str().into();
        self.keys.push(key.clone());
        self.index.insert(key, id);
        id
    }

    /// Add one deal read from one row.
    pub fn add(&mut self, group: &[&str], currency: &str, date: NaiveDate, amount: Decimal) -> Result<(), Overflow> {
        self.add_deal(group, currency, date, amount, 1)
    }

    /// Add one deal assembled from `rows` input rows (order lines).
    pub fn add_deal(
        &mut self,
        group: &[&str],
        currency: &str,
        date: NaiveDate,
        amount: Decimal,
        rows: u64,
    ) -> Result<(), Overflow> {
        let key = self.period.key(date);
        let id = self.intern(group, currency);
        self.merge_cell(id, key, &Partial { deals: 1, total: amount, rows }, Some(&[amount]))
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
        let key = self.period.key(day);
        let id = self.intern(group, currency);
        self.merge_cell(id, key, part, None)
    }

    /// Add a cell already bucketed by this report's period (a parallel
    /// reader's own accumulations).
    pub fn add_cell(&mut self, group: &[&str], currency: &str, key: PeriodKey, part: &Partial) -> Result<(), Overflow> {
        let id = self.intern(group, currency);
        self.merge_cell(id, key, part, None)
    }

    fn merge_cell(
        &mut self,
        id: u32,
        key: PeriodKey,
        part: &Partial,
        amounts: Option<&[Decimal]>,
    ) -> Result<(), Overflow> {
        match self.cells.entry((id, key)) {
            // A new cell is the part itself: no decimal add into zero.
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(*part);
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                if e.get_mut().merge(part).is_none() {
                    return Err(Overflow { group: describe(&self.keys[id as usize]), period: self.period.label(key) });
                }
            }
        }
        if let (Some(all), Some(new)) = (self.amounts.as_mut(), amounts) {
            all.entry((id, key)).or_default().extend_from_slice(new);
        }
        Ok(())
    }

    /// Fold `other` (same period and width) into `self`.
    pub fn merge(&mut self, mut other: Partials) -> Result<(), Overflow> {
        assert_eq!((self.period, self.width), (other.period, other.width), "merging partials of different shapes");
        if self.cells.is_empty() && self.keys.is_empty() && self.keeps_amounts() == other.keeps_amounts() {
            *self = other;
            return Ok(());
        }
        let remap: Vec<u32> = other
            .keys
            .iter()
            .map(|k| {
                let (parts, currency) = split_key(k);
                self.intern(&parts, currency)
            })
            .collect();
        let mut other_amounts = other.amounts.take();
        for ((id, key), part) in other.cells {
            let amounts = other_amounts.as_mut().and_then(|a| a.remove(&(id, key)));
            self.merge_cell(remap[id as usize], key, &part, amounts.as_deref())?;
        }
        Ok(())
    }

    /// Every cell, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = CellRef<'_>> {
        self.cells.iter().map(|((id, key), part)| CellRef {
            group: &self.keys[*id as usize],
            key: *key,
            part,
            amounts: self.amounts.as_ref().map(|a| a.get(&(*id, *key)).map_or(&[][..], |v| v.as_slice())),
        })
    }

    /// Every cell, grouped and chronological within a group: the groups'
    /// interned keys (split them with `split_key`), and for each group the
    /// range of its cells in one flat list.
    #[allow(clippy::type_complexity)]
    pub fn by_group(&self) -> (Vec<(&str, std::ops::Range<usize>)>, Vec<(PeriodKey, Partial, Option<&[Decimal]>)>) {
        // Placed by counting the cells per group (ids are dense), then each
        // group's few cells sorted by period: no comparison sort of all cells.
        let mut ends = vec![0usize; self.keys.len() + 1];
        for (id, _) in self.cells.keys() {
            ends[*id as usize + 1] += 1;
        }
        for i in 1..ends.len() {
            ends[i] += ends[i - 1];
        }
        let mut next = ends.clone();
        let mut cells = vec![(PeriodKey(0), Partial::default(), None); self.cells.len()];
        for ((id, k), p) in &self.cells {
            let amounts = self.amounts.as_ref().map(|a| a.get(&(*id, *k)).map_or(&[][..], |v| v.as_slice()));
            cells[next[*id as usize]] = (*k, *p, amounts);
            next[*id as usize] += 1;
        }
        let mut groups: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
        for (key, w) in self.keys.iter().zip(ends.windows(2)) {
            if w[0] < w[1] {
                cells[w[0]..w[1]].sort_unstable_by_key(|(k, _, _)| *k);
                groups.push((key, w[0]..w[1]));
            }
        }
        (groups, cells)
    }

    /// The latest period with deals.
    pub fn last_key(&self) -> Option<PeriodKey> {
        self.cells.keys().map(|(_, k)| *k).max()
    }

    /// Keep only the periods `keep` accepts; return what was dropped.
    pub fn retain_periods(&mut self, keep: impl Fn(PeriodKey) -> bool) -> Partial {
        let mut dropped = Partial::default();
        self.cells.retain(|(_, k), part| {
            let stays = keep(*k);
            if !stays {
                dropped.deals += part.deals;
                dropped.rows += part.rows;
                dropped.total = exact_add(dropped.total, part.total).unwrap_or(dropped.total);
            }
            stays
        });
        if let Some(a) = self.amounts.as_mut() {
            a.retain(|(_, k), _| keep(*k));
        }
        dropped
    }

    /// Whether two different spellings of some value may fold to the same
    /// lower-case name. One pass hashes each value lower-cased (ASCII
    /// values byte by byte, others character by character; the two Greek
    /// small sigmas hash alike: the only letter `str::to_lowercase` treats
    /// by context), so equal lower-case names always hash alike. `false`
    /// means that `fold_groups` with lower-casing would change nothing; with
    /// tens of thousands of customers it costs a tenth of folding them.
    pub fn may_fold_together(&self) -> bool {
        use std::collections::hash_map::Entry;
        use std::hash::BuildHasher;
        if self.width == 0 {
            return false;
        }
        let state = foldhash::fast::FixedState::default();
        let mut seen: Vec<HashMap<u64, &str>> =
            (0..self.width).map(|_| HashMap::with_capacity_and_hasher(self.keys.len(), Default::default())).collect();
        let mut lower = Vec::new();
        for key in &self.keys {
            for (i, value) in key_values(key).enumerate() {
                lower.clear();
                if value.is_ascii() {
                    lower.extend(value.bytes().map(|b| b.to_ascii_lowercase()));
                } else {
                    Self::lower_into(value, &mut lower);
                }
                match seen[i].entry(state.hash_one(lower.as_slice())) {
                    Entry::Vacant(e) => {
                        e.insert(value);
                    }
                    Entry::Occupied(e) if *e.get() != value => return true,
                    Entry::Occupied(_) => {}
                }
            }
        }
        false
    }

    /// `value` lower-cased character by character, the two Greek small
    /// sigmas alike (see `may_fold_together`).
    fn lower_into(value: &str, lower: &mut Vec<u8>) {
        for c in value.chars() {
            if c.is_ascii() {
                lower.push(c.to_ascii_lowercase() as u8);
                continue;
            }
            for c in c.to_lowercase() {
                let c = if c == 'ς' { 'σ' } else { c };
                lower.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
            }
        }
    }

    /// Merge groups whose values fold to the same key (for instance names
    /// that differ only in letter case). Each value is then shown in its
    /// most frequent spelling: the one with the most deals, ties going to
    /// the first in sort order.
    pub fn fold_groups(mut self, fold: impl Fn(&str) -> String) -> Result<Partials, Overflow> {
        // Deals per group, then per spelling of each dimension's folded value.
        let mut deals = vec![0u64; self.keys.len()];
        for ((id, _), p) in &self.cells {
            deals[*id as usize] += p.deals;
        }
        /// The spellings of one folded value and their deals. Nearly every
        /// value has one spelling; a map per value would be most of the
        /// memory of a report over many customers.
        enum Spellings<'a> {
            One(&'a str, u64),
            Many(HashMap<&'a str, u64>),
        }
        let mut spellings: Vec<HashMap<String, Spellings<'_>>> = (0..self.width).map(|_| HashMap::default()).collect();
        for (id, key) in self.keys.iter().enumerate() {
            let (parts, _) = split_key(key);
            for (i, v) in parts.iter().enumerate() {
                let n = deals[id];
                match spellings[i].entry(fold(v)) {
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(Spellings::One(v, n));
                    }
                    std::collections::hash_map::Entry::Occupied(mut e) => match e.get_mut() {
                        Spellings::One(first, m) if first == v => *m += n,
                        Spellings::One(first, m) => {
                            let many = [(*first, *m), (*v, n)].into_iter().collect();
                            *e.get_mut() = Spellings::Many(many);
                        }
                        Spellings::Many(many) => *many.entry(v).or_default() += n,
                    },
                }
            }
        }
        // Nothing to merge: keep everything as it is.
        if spellings.iter().all(|m| m.values().all(|s| matches!(s, Spellings::One(..)))) {
            return Ok(self);
        }
        let shown: Vec<HashMap<String, String>> = spellings
            .into_iter()
            .map(|m| {
                m.into_iter()
                    .map(|(f, spellings)| {
                        let best = match spellings {
                            Spellings::One(s, _) => s,
                            Spellings::Many(counts) => counts
                                .into_iter()
                                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                                .map_or("", |(s, _)| s),
                        };
                        (f, best.to_string())
                    })
                    .collect()
            })
            .collect();
        let mut out = self.empty_like();
        let remap: Vec<u32> = self
            .keys
            .iter()
            .map(|key| {
                let (parts, currency) = split_key(key);
                let renamed: Vec<&str> = parts.iter().enumerate().map(|(i, v)| shown[i][&fold(v)].as_str()).collect();
                out.intern(&renamed, currency)
            })
            .collect();
        let mut amounts = self.amounts.take();
        for ((id, key), part) in std::mem::take(&mut self.cells) {
            let a = amounts.as_mut().and_then(|a| a.remove(&(id, key)));
            out.merge_cell(remap[id as usize], key, &part, a.as_deref())?;
        }
        Ok(out)
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
            .map(|c| {
                let (g, cur) = c.split();
                (g.join("|"), cur.to_string(), c.key.0, c.part.deals, c.part.total.normalize().to_string())
            })
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
        p.add_bucket(&[], "", d("2013-01-01"), &Partial { deals: 3, total: dec("30"), rows: 3 }).unwrap();
        p.add_bucket(&[], "", d("2013-12-30"), &Partial { deals: 1, total: dec("2"), rows: 1 }).unwrap();
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
    fn key_parts_agree_with_split_key() {
        let mut p = Partials::new(Period::All, 2);
        p.add(&["Malmö AB", "Åsa"], "SEK", d("2013-01-01"), dec("1")).unwrap();
        p.add(&["", "Per"], "", d("2013-01-01"), dec("1")).unwrap();
        p.add(&["Ω", ""], "EUR", d("2013-01-01"), dec("1")).unwrap();
        let mut seen = Vec::new();
        for key in &p.keys {
            let (values, currency) = split_key(key);
            assert_eq!(key_values(key).collect::<Vec<_>>(), values);
            assert_eq!(key_currency(key), currency);
            seen.push((values.join("|"), currency.to_string()));
        }
        let want = [("Malmö AB|Åsa", "SEK"), ("|Per", ""), ("Ω|", "EUR")];
        assert_eq!(seen, want.map(|(v, c)| (v.to_string(), c.to_string())));
    }

    #[test]
    fn by_group_lists_each_group_once_with_its_cells_in_time_order() {
        let mut p = Partials::new(Period::Month, 1);
        for (name, day, amount) in [
            ("Bolt", "2013-03-05", "3"),
            ("Acme", "2013-02-01", "2"),
            ("Bolt", "2013-01-09", "1"),
            ("Gone", "2012-12-31", "9"),
            ("Acme", "2013-02-20", "5"),
            ("Bolt", "2013-02-11", "4"),
        ] {
            p.add(&[name], "", d(day), dec(amount)).unwrap();
        }
        // "Gone" keeps its key but loses its only cell.
        p.retain_periods(|k| k >= Period::Month.key(d("2013-01-01")));
        let (groups, cells) = p.by_group();
        type Cell = (String, u64, String);
        let got: Vec<(String, Vec<Cell>)> = groups
            .iter()
            .map(|(key, range)| {
                let cells = cells[range.clone()]
                    .iter()
                    .map(|(k, part, _)| (Period::Month.label(*k), part.deals, part.total.to_string()))
                    .collect();
                (split_key(key).0.join("|"), cells)
            })
            .collect();
        let cell = |m: &str, n: u64, t: &str| (m.to_string(), n, t.to_string());
        assert_eq!(
            got,
            vec![
                // In the order the groups were first seen.
                ("Bolt".into(), vec![cell("2013-01", 1, "1"), cell("2013-02", 1, "4"), cell("2013-03", 1, "3")]),
                ("Acme".into(), vec![cell("2013-02", 2, "7")]),
            ]
        );
        assert_eq!(cells.len(), 4);
    }

    #[test]
    fn may_fold_together_finds_every_pair_that_lower_cases_alike() {
        let names = |list: &[&str]| {
            let mut p = Partials::new(Period::All, 1);
            for n in list {
                p.add(&[n], "", d("2013-01-01"), dec("1")).unwrap();
            }
            p
        };
        assert!(!names(&["Acme AB", "Bolt AB", "Malmö AB"]).may_fold_together());
        assert!(names(&["Acme AB", "Bolt AB", "ACME AB"]).may_fold_together());
        assert!(names(&["Malmö", "MALMÖ"]).may_fold_together());
        // A final capital sigma lower-cases to the final small sigma.
        assert_eq!("ΟΔΟΣ".to_lowercase(), "οδος");
        assert!(names(&["ΟΔΟΣ", "οδος"]).may_fold_together());
        // Where it says no, folding changes nothing.
        let p = names(&["Acme AB", "Bolt AB", "Malmö AB", "σ"]);
        assert!(!p.may_fold_together());
        assert_eq!(sorted(&p), sorted(&p.clone().fold_groups(|s| s.to_lowercase()).unwrap()));
        // It may say yes where folding then finds nothing to merge (a lone
        // "Σ" lower-cases to "σ", "ς" stays): folding runs and decides.
        assert!(names(&["Σ", "ς"]).may_fold_together());
        // Two dimensions: the same value under two keys is one spelling.
        let mut two = Partials::new(Period::All, 2);
        two.add(&["Acme", "Eva"], "", d("2013-01-01"), dec("1")).unwrap();
        two.add(&["Acme", "Per"], "", d("2013-01-01"), dec("1")).unwrap();
        assert!(!two.may_fold_together());
        two.add(&["acme", "Per"], "", d("2013-01-01"), dec("1")).unwrap();
        assert!(two.may_fold_together());
        // Without `--by` there are no names to fold.
        let mut none = Partials::new(Period::All, 0);
        none.add(&[], "SEK", d("2013-01-01"), dec("1")).unwrap();
        none.add(&[], "sek", d("2013-01-01"), dec("1")).unwrap();
        assert!(!none.may_fold_together());
    }

    proptest::proptest! {
        #[test]
        fn when_nothing_may_fold_nothing_folds(list in proptest::collection::vec("[aAbBσςΣöÖ ]{0,4}", 1..12)) {
            let mut p = Partials::new(Period::All, 1);
            for n in &list {
                p.add(&[n], "", d("2013-01-01"), dec("1")).unwrap();
            }
            let folded = p.clone().fold_groups(|s| s.to_lowercase()).unwrap();
            if sorted(&p) != sorted(&folded) {
                proptest::prop_assert!(p.may_fold_together());
            }
        }
    }

    #[test]
    fn folding_merges_spellings_and_shows_the_most_frequent() {
        let mut p = Partials::with_amounts(Period::All, 1);
        p.add(&["ACME AB"], "", d("2013-01-01"), dec("1")).unwrap();
        p.add(&["Acme AB"], "", d("2013-01-02"), dec("2")).unwrap();
        p.add(&["Acme AB"], "", d("2013-01-03"), dec("3")).unwrap();
        p.add(&["Bolt"], "", d("2013-01-03"), dec("4")).unwrap();
        let folded = p.clone().fold_groups(|s| s.to_lowercase()).unwrap();
        assert_eq!(
            sorted(&folded),
            vec![("Acme AB".into(), "".into(), 0, 3, "6".into()), ("Bolt".into(), "".into(), 0, 1, "4".into())]
        );
        let mut amounts: Vec<_> =
            folded.cells().find(|c| c.group.starts_with("Acme")).unwrap().amounts.unwrap().to_vec();
        amounts.sort();
        assert_eq!(amounts, vec![dec("1"), dec("2"), dec("3")]);
    }

    #[test]
    fn retaining_periods_reports_what_was_dropped() {
        let mut p = Partials::new(Period::Month, 0);
        p.add(&[], "", d("2013-01-01"), dec("1")).unwrap();
        p.add_deal(&[], "", d("2013-02-01"), dec("2"), 3).unwrap();
        let last = p.last_key().unwrap();
        let dropped = p.retain_periods(|k| k < last);
        assert_eq!(dropped, Partial { deals: 1, total: dec("2"), rows: 3 });
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let mut p = Partials::new(Period::All, 1);
        p.add(&["Big"], "", d("2013-01-01"), Decimal::MAX).unwrap();
        let err = p.add(&["Big"], "", d("2013-01-01"), Decimal::MAX).unwrap_err();
        assert_eq!(err.to_string(), "the total of \"Big\" in all is too large to add up exactly");
    }
}
