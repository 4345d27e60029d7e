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

use super::amounts::Amounts;
use super::outliers::{Bucket, DealStore};
use super::period::{Period, PeriodKey};
use super::trend::Trend;

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

pub use crate::model::money::{exact_add, exact_mul};

/// Defined with the other errors (below the core and the readers).
pub use crate::error::Overflow;

/// No deal day known for a cell (partials bucketed elsewhere).
const NO_FIRST: i32 = i32::MAX;
const NO_LAST: i32 = i32::MIN;

/// What is kept per (group, period) cell: the partial sums and the first
/// and last deal day (day numbers, `Period::Day` keys), which merge as min
/// and max, so that no view needs day buckets to know them.
#[derive(Clone, Copy, Debug)]
struct Cell {
    part: Partial,
    first: i32,
    last: i32,
}

impl Cell {
    fn days(&self) -> Option<(NaiveDate, NaiveDate)> {
        (self.first <= self.last).then(|| (day_of(self.first), day_of(self.last)))
    }
}

fn day_of(n: i32) -> NaiveDate {
    Period::Day.first_day(PeriodKey(i64::from(n))).expect("a day number from a date")
}

/// The day number `Cell` keeps for `date`.
pub fn day_number(date: NaiveDate) -> i32 {
    Period::Day.key(date).0 as i32
}

/// Nothing kept for a cell without amounts.
static NO_AMOUNTS: Amounts = Amounts::EMPTY;

/// One cell as the report sees it.
#[derive(Clone, Copy, Debug)]
pub struct CellRef<'a> {
    /// The group's dense id (see [`Partials::group_key`]).
    pub id: u32,
    pub group: &'a str,
    pub key: PeriodKey,
    pub part: &'a Partial,
    /// Every amount, when the partials keep them per cell (`--stats`).
    pub amounts: Option<&'a Amounts>,
    /// The first and last deal day, when the deals' days were known.
    pub days: Option<(NaiveDate, NaiveDate)>,
}

impl<'a> CellRef<'a> {
    /// The `--by` values and the currency of the cell.
    pub fn split(&self) -> (Vec<&'a str>, &'a str) {
        split_key(self.group)
    }
}

/// One cell of a group in [`Partials::by_group`]'s flat list.
#[derive(Clone, Copy, Debug)]
pub struct GroupCell<'a> {
    pub key: PeriodKey,
    pub part: Partial,
    pub amounts: Option<&'a Amounts>,
}

impl GroupCell<'_> {
    /// A period without deals.
    pub fn empty(key: PeriodKey) -> GroupCell<'static> {
        GroupCell { key, part: Partial::default(), amounts: None }
    }
}

/// Where last separator of a key is: a few bytes from its end, before
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

/// Interned keys: key -> dense id, and back.
#[derive(Clone, Debug, Default)]
struct Keys {
    /// The same shared string as `list[id]` (one allocation per key).
    index: HashMap<std::sync::Arc<str>, u32>,
    list: Vec<std::sync::Arc<str>>,
    /// The id `id` last returned.
    last: u32,
}

/// `a == b`, without a call to `memcmp` for a short key (a report
/// without groups: one or two bytes, compared for every row).
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && if a.len() <= 16 { a.iter().zip(b).all(|(x, y)| x == y) } else { a == b }
}

impl Keys {
    fn id(&mut self, key: &str) -> (u32, bool) {
        // Rows of one group often come together (a report without groups:
        // every row): the last key found is tried before hashing.
        if self.list.get(self.last as usize).is_some_and(|k| same(k, key)) {
            return (self.last, false);
        }
        if let Some(&id) = self.index.get(key) {
            self.last = id;
            return (id, false);
        }
        let id = self.list.len() as u32;
        let key: std::sync::Arc<str> = key.into();
        self.list.push(key.clone());
        self.index.insert(key, id);
        self.last = id;
        (id, true)
    }

    fn reserve(&mut self, n: usize) {
        self.index.reserve(n);
        self.list.reserve(n);
    }
}

/// Which amounts are kept, and per what.
#[derive(Clone, Debug)]
struct AmountStore {
    /// `None`: per cell; `Some(i)`: per value of dimension `i` (and
    /// currency) and period, whatever the other dimensions (a seller's
    /// median over its customers).
    by: Option<usize>,
    /// The keys (`value SEP currency`) amounts are kept under, with `by`.
    keys: Keys,
    /// Per group id: its amount key id, with `by`.
    of_group: Vec<u32>,
    /// (group or amount key id, period) -> amounts.
    cells: HashMap<(u32, PeriodKey), Amounts>,
}

impl AmountStore {
    fn new(by: Option<usize>) -> AmountStore {
        AmountStore { by, keys: Keys::default(), of_group: Vec::new(), cells: HashMap::default() }
    }

    fn key_of(&self, group: u32) -> u32 {
        if self.by.is_some() { self.of_group[group as usize] } else { group }
    }

    /// Note a new group `id` with key parts `parts`.
    fn new_group(&mut self, id: u32, parts: &[&str], currency: &str) {
        if let Some(i) = self.by {
            debug_assert_eq!(self.of_group.len(), id as usize);
            let (akey, _) = self.keys.id(&format!("{}{SEP}{currency}", parts[i]));
            self.of_group.push(akey);
        }
    }
}

/// Partials per (group, period bucket) for one period granularity.
#[derive(Clone, Debug)]
pub struct Partials {
    period: Period,
    width: usize,
    keys: Keys,
    cells: HashMap<(u32, PeriodKey), Cell>,
    /// Every amount, only when asked for (medians, percentiles).
    amounts: Option<AmountStore>,
    /// The view shows each group's first and last deal day, so a reader
    /// must hand them over (`add_cell_with`).
    needs_days: bool,
    /// Only the two latest periods with deals are kept (explain's default
    /// sides): the two latest keys seen so far.
    latest: Option<Latest>,
    /// Each bucket's amounts and largest deal, only for explain's outliers.
    deals: Option<DealStore>,
    /// A trend is asked for (customers): the amounts keep their days.
    trend: Option<Trend>,
    scratch: String,
}

/// The two latest distinct period keys seen so far, for partials that keep
/// only those. Every later deal of an older period can go to its group's
/// one `OLDER` cell at once: whatever comes later, the two latest periods
/// overall are never older than the second latest seen so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Latest([Option<i64>; 2]);

/// What [`Latest::admit`] decided for a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admit {
    /// One of the two latest so far: keep it.
    Keep,
    /// Keep it, and drop what is older than this key (now the second latest).
    KeepFrom(i64),
    /// Older than both: drop it.
    Drop,
}

/// The period key of a group's cell that sums every period older than the
/// two latest, in partials that keep only those (see [`Latest`]). Its deals
/// still count where a group's deals are weighed (the spelling shown).
pub const OLDER: i64 = i64::MIN;

impl Latest {
    /// The second latest period key so far: older ones are not kept.
    pub fn floor(&self) -> Option<i64> {
        self.0[1]
    }

    pub fn admit(&mut self, key: i64) -> Admit {
        if key == OLDER {
            return Admit::Drop;
        }
        let [first, second] = self.0;
        if first == Some(key) || second == Some(key) {
            return Admit::Keep;
        }
        if first.is_none_or(|f| key > f) {
            self.0 = [Some(key), first];
            return first.map_or(Admit::Keep, Admit::KeepFrom);
        }
        if second.is_none_or(|s| key > s) {
            self.0[1] = Some(key);
            return Admit::KeepFrom(key);
        }
        Admit::Drop
    }
}

impl Partials {
    /// Partials for `period` buckets and group keys of `width` values (the
    /// number of `--by` dimensions; the currency comes on top).
    pub fn new(period: Period, width: usize) -> Partials {
        Partials {
            period,
            width,
            keys: Keys::default(),
            cells: HashMap::default(),
            amounts: None,
            needs_days: false,
            latest: None,
            deals: None,
            trend: None,
            scratch: String::new(),
        }
    }

    /// The same partials also keeping each amount's day, for each group's
    /// trend over the last two windows of `span` ending on `as_of` (or on
    /// the last deal day when `None`); see [`Trend`]. Only with amounts.
    pub fn with_trend(mut self, span: super::potential::Span, as_of: Option<NaiveDate>) -> Partials {
        assert!(self.amounts.is_some(), "a trend is summed from the amounts");
        self.trend = Some(Trend::new(span, as_of));
        self
    }

    /// What [`Partials::with_trend`] asked for, if it did.
    pub fn keeps_trend(&self) -> Option<(super::potential::Span, Option<NaiveDate>)> {
        self.trend.as_ref().map(|t| (t.span, t.fixed))
    }

    /// The trend's as-of day and its two windows, with
    /// [`Partials::with_trend`] and a deal (or a given as-of day).
    pub fn trend_windows(&self) -> Option<super::trend::TrendWindows> {
        let t = self.trend.as_ref()?;
        let as_of = t.as_of(self.latest_day())?;
        let windows = super::potential::trend_windows(as_of, t.span)?;
        Some(super::trend::TrendWindows { as_of, given: t.fixed.is_some(), windows })
    }

    /// The latest deal day of the cells (that know their days).
    fn latest_day(&self) -> Option<NaiveDate> {
        self.cells.values().map(|c| c.last).filter(|l| *l != NO_LAST).max().map(day_of)
    }

    /// Free every amount once a view has been computed from them (its
    /// table is built next and needs none): the view's rows and the table
    /// then never sit in memory beside them. The cells, keys and shapes
    /// stay; the amounts read as empty afterwards.
    pub fn release_amounts(&mut self) {
        if let Some(a) = self.amounts.as_mut() {
            a.cells = HashMap::default();
        }
    }

    /// The same partials also keeping, per period bucket and currency (and
    /// value of dimension `by`, when given), every amount and the largest
    /// deal with its customer and date, for periods inside `only` (all when
    /// `None`): what explain needs to name the outliers. Readers then hand
    /// each deal's customer over ([`Partials::note_deal`]).
    pub fn with_deals(mut self, by: Option<usize>, only: Option<[(i64, i64); 2]>) -> Partials {
        self.deals = Some(DealStore::new(by, only));
        self
    }

    /// What [`Partials::with_deals`] asked for, if it did.
    pub fn keeps_deals(&self) -> Option<super::outliers::DealShape> {
        self.deals.as_ref().map(|d| (d.by, d.only))
    }

    /// The deals kept by [`Partials::with_deals`].
    pub fn deal_store(&self) -> Option<&DealStore> {
        self.deals.as_ref()
    }

    /// Note a deal's customer, amount and date in the deal store (call it
    /// beside `add_deal`; nothing happens without a store, or for a period
    /// older than the two latest when only those are kept).
    pub fn note_deal(&mut self, group: &[&str], currency: &str, date: NaiveDate, amount: Decimal, customer: &str) {
        let key = self.period.key(date).0;
        if self.latest.and_then(|l| l.0[1]).is_some_and(|floor| key < floor) {
            return;
        }
        if let Some(d) = self.deals.as_mut() {
            d.add(key, group, currency, date, amount, customer);
        }
    }

    /// Add a bucket of the deal store already made (a parallel reader's);
    /// `name` as [`DealStore::add_bucket`] takes it.
    pub fn add_deal_bucket(&mut self, key: PeriodKey, name: &str, bucket: Bucket) {
        if self.latest.and_then(|l| l.0[1]).is_some_and(|floor| key.0 < floor) {
            return;
        }
        if let Some(d) = self.deals.as_mut() {
            d.add_bucket(key.0, name, bucket);
        }
    }

    /// The same partials keeping only the cells of the two latest periods
    /// with deals, and one `OLDER` cell per group for all the others (all a
    /// comparison of the last two periods needs: cells then grow with
    /// groups x 3, not with groups x periods). A period window must not
    /// follow (it would count `OLDER` as a period).
    pub fn keeping_latest(mut self) -> Partials {
        assert!(self.amounts.is_none(), "amounts are kept for every period");
        self.latest = Some(Latest::default());
        self
    }

    /// Whether only the two latest periods are kept.
    pub fn keeps_latest(&self) -> bool {
        self.latest.is_some()
    }

    /// The same partials, telling readers that the view needs the deals'
    /// first and last days (cells always keep them when they are known).
    pub fn needing_days(mut self) -> Partials {
        self.needs_days = true;
        self
    }

    pub fn needs_days(&self) -> bool {
        self.needs_days
    }

    /// Partials that also keep every amount per cell: memory then grows
    /// with the number of deals (8 bytes a deal), so only statistics that
    /// need them ask for it.
    pub fn with_amounts(period: Period, width: usize) -> Partials {
        Partials { amounts: Some(AmountStore::new(None)), ..Partials::new(period, width) }
    }

    /// Partials that keep every amount per value of dimension `dim` (and
    /// currency) and period only, not per cell.
    pub fn with_amounts_by(period: Period, width: usize, dim: usize) -> Partials {
        assert!(dim < width, "amounts kept by a dimension the partials do not have");
        Partials { amounts: Some(AmountStore::new(Some(dim))), ..Partials::new(period, width) }
    }

    /// An empty set of partials of the same shape.
    pub fn empty_like(&self) -> Partials {
        let amounts = self.amounts.as_ref().map(|a| AmountStore::new(a.by));
        let latest = self.latest.map(|_| Latest::default());
        let deals = self.deals.as_ref().map(DealStore::empty_like);
        Partials {
            amounts,
            needs_days: self.needs_days,
            latest,
            deals,
            trend: self.trend.map(|t| Trend::new(t.span, t.fixed)),
            ..Partials::new(self.period, self.width)
        }
    }

    /// Room for `groups` more group keys and `cells` more cells (when a
    /// reader knows how many are coming: growing the tables step by step
    /// was a tenth of the work after reading many customers). A report by
    /// month has a cell per group and month: room for as many groups as
    /// cells was 80 MB of unused keys for 1.7M cells of 49 000 customers.
    pub fn reserve(&mut self, groups: usize, cells: usize) {
        self.keys.reserve(groups);
        self.cells.reserve(cells);
    }

    pub fn keeps_amounts(&self) -> bool {
        self.amounts.is_some()
    }

    /// Amounts kept per cell (`Some(None)`), per value of a dimension
    /// (`Some(Some(i))`), or not at all.
    pub fn amounts_by(&self) -> Option<Option<usize>> {
        self.amounts.as_ref().map(|a| a.by)
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

    /// Number of groups (ids run from 0 to this).
    pub fn groups(&self) -> usize {
        self.keys.list.len()
    }

    /// The interned key of group `id` (split it with `split_key`).
    pub fn group_key(&self, id: u32) -> &str {
        &self.keys.list[id as usize]
    }

    fn intern(&mut self, group: &[&str], currency: &str) -> u32 {
        debug_assert_eq!(group.len(), self.width);
        self.scratch.clear();
        for part in group {
            self.scratch.push_str(part);
            self.scratch.push(SEP);
        }
        self.scratch.push_str(currency);
        let (id, new) = self.keys.id(&self.scratch);
        if new {
            if let Some(a) = self.amounts.as_mut() {
                a.new_group(id, group, currency);
            }
        }
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
        let (id, key, day) = self.add_on_day(group, currency, date, &Partial { deals: 1, total: amount, rows })?;
        if let Some(a) = self.amounts.as_mut() {
            let akey = a.key_of(id);
            let amounts = a.cells.entry((akey, key)).or_default();
            if self.trend.is_some() { amounts.push_on(amount, day) } else { amounts.push(amount) }
        }
        Ok(())
    }

    /// Add `part`, whose deals were all on `date` (or in the period that
    /// starts on it), to its group's cell of this report's period: the
    /// group's id, the period's key and the day's number.
    fn add_on_day(
        &mut self,
        group: &[&str],
        currency: &str,
        date: NaiveDate,
        part: &Partial,
    ) -> Result<(u32, PeriodKey, i32), Overflow> {
        let key = self.period.key(date);
        let id = self.intern(group, currency);
        let day = day_number(date);
        self.merge_cell(id, key, part, day, day)?;
        Ok((id, key, day))
    }

    /// Add a cell already bucketed by this report's period (a parallel
    /// reader's own accumulations).
    pub fn add_cell(&mut self, group: &[&str], currency: &str, key: PeriodKey, part: &Partial) -> Result<(), Overflow> {
        let id = self.intern(group, currency);
        self.merge_cell(id, key, part, NO_FIRST, NO_LAST)
    }

    /// Add a cell already bucketed by this report's period, with its first
    /// and last deal day and, when these partials keep them, its amounts in
    /// millionths (a parallel reader's accumulations for the views).
    pub fn add_cell_with(
        &mut self,
        group: &[&str],
        currency: &str,
        key: PeriodKey,
        part: &Partial,
        days: (NaiveDate, NaiveDate),
        amounts: Option<Amounts>,
    ) -> Result<(), Overflow> {
        let id = self.intern(group, currency);
        self.add_to_group(id, key, part, Some(days), amounts)
    }

    /// The id of a group (made when new), for adding many cells of it with
    /// [`Partials::add_to_group`] without hashing its key for each.
    pub fn group_id(&mut self, group: &[&str], currency: &str) -> u32 {
        self.intern(group, currency)
    }

    /// Add a cell of group `id` (from [`Partials::group_id`]) already
    /// bucketed by this report's period, with its first and last deal day
    /// when known, and its amounts when these partials keep them per cell
    /// or per value.
    pub fn add_to_group(
        &mut self,
        id: u32,
        key: PeriodKey,
        part: &Partial,
        days: Option<(NaiveDate, NaiveDate)>,
        amounts: Option<Amounts>,
    ) -> Result<(), Overflow> {
        let (first, last) = days.map_or((NO_FIRST, NO_LAST), |(a, b)| (day_number(a), day_number(b)));
        self.merge_cell(id, key, part, first, last)?;
        if let (Some(store), Some(new)) = (self.amounts.as_mut(), amounts) {
            let akey = store.key_of(id);
            store.cells.entry((akey, key)).or_default().append(new);
        }
        Ok(())
    }

    /// With amounts kept per value of a dimension: add `amounts` of
    /// `value` (and `currency`) in period `key` (a parallel reader's).
    pub fn add_amounts_by_value(&mut self, value: &str, currency: &str, key: PeriodKey, amounts: Amounts) {
        if let Some(store) = self.amounts.as_mut().filter(|a| a.by.is_some()) {
            let (akey, _) = store.keys.id(&format!("{value}{SEP}{currency}"));
            store.cells.entry((akey, key)).or_default().append(amounts);
        }
    }

    fn merge_cell(&mut self, id: u32, key: PeriodKey, part: &Partial, first: i32, last: i32) -> Result<(), Overflow> {
        let key = match self.latest.as_mut().map(|l| l.admit(key.0)) {
            None | Some(Admit::Keep) => key,
            Some(Admit::KeepFrom(floor)) => {
                self.fold_older(floor)?;
                key
            }
            Some(Admit::Drop) => PeriodKey(OLDER),
        };
        match self.cells.entry((id, key)) {
            // A new cell is the part itself: no decimal add into zero.
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Cell { part: *part, first, last });
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let cell = e.get_mut();
                if cell.part.merge(part).is_none() {
                    let period = if key.0 == OLDER { "the earlier periods".into() } else { self.period.label(key) };
                    return Err(Overflow { group: describe(&self.keys.list[id as usize]), period });
                }
                cell.first = cell.first.min(first);
                cell.last = cell.last.max(last);
            }
        }
        Ok(())
    }

    /// Move every cell of a period before `floor` into its group's `OLDER`
    /// cell.
    fn fold_older(&mut self, floor: i64) -> Result<(), Overflow> {
        if let Some(d) = self.deals.as_mut() {
            d.drop_before(floor);
        }
        if !self.cells.keys().any(|(_, k)| k.0 < floor && k.0 != OLDER) {
            return Ok(());
        }
        let cells = std::mem::take(&mut self.cells);
        self.cells.reserve(cells.len());
        for ((id, k), c) in cells {
            let k = if k.0 < floor { PeriodKey(OLDER) } else { k };
            match self.cells.entry((id, k)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(c);
                }
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let cell = e.get_mut();
                    if cell.part.merge(&c.part).is_none() {
                        return Err(Overflow { group: describe(&self.keys.list[id as usize]), period: "all".into() });
                    }
                    cell.first = cell.first.min(c.first);
                    cell.last = cell.last.max(c.last);
                }
            }
        }
        Ok(())
    }

    /// Fold `other` (same period, width and amounts) into `self`.
    pub fn merge(&mut self, mut other: Partials) -> Result<(), Overflow> {
        assert_eq!((self.period, self.width), (other.period, other.width), "merging partials of different shapes");
        assert_eq!(self.amounts_by(), other.amounts_by(), "merging partials that keep different amounts");
        if self.cells.is_empty() && self.keys.list.is_empty() {
            let latest = self.latest.take();
            *self = other;
            if latest.is_some() && self.latest.is_none() {
                // Keep only the two latest periods of what came in.
                let mut keys: Vec<i64> = self.cells.keys().map(|(_, k)| k.0).collect();
                keys.sort_unstable();
                keys.dedup();
                let mut latest = Latest::default();
                for k in keys.iter().rev().take(2).rev() {
                    latest.admit(*k);
                }
                if let Some(floor) = latest.0[1] {
                    self.fold_older(floor)?;
                }
                self.latest = Some(latest);
            }
            return Ok(());
        }
        let remap: Vec<u32> = other
            .keys
            .list
            .iter()
            .map(|k| {
                let (parts, currency) = split_key(k);
                self.intern(&parts, currency)
            })
            .collect();
        for ((id, key), cell) in other.cells {
            self.merge_cell(remap[id as usize], key, &cell.part, cell.first, cell.last)?;
        }
        if let (Some(mine), Some(theirs)) = (self.trend.as_mut(), other.trend.as_ref()) {
            mine.merge(theirs);
        }
        if let (Some(mine), Some(theirs)) = (self.amounts.as_mut(), other.amounts.take()) {
            let akeys: Vec<u32> = match mine.by {
                None => remap,
                Some(_) => theirs.keys.list.iter().map(|k| mine.keys.id(k).0).collect(),
            };
            for ((akey, key), a) in theirs.cells {
                mine.cells.entry((akeys[akey as usize], key)).or_default().append(a);
            }
        }
        if let (Some(mine), Some(theirs)) = (self.deals.as_mut(), other.deals.take()) {
            mine.merge(theirs);
            if let Some(floor) = self.latest.and_then(|l| l.0[1]) {
                mine.drop_before(floor);
            }
        }
        Ok(())
    }

    fn cell_amounts(&self, id: u32, key: PeriodKey) -> Option<&Amounts> {
        match &self.amounts {
            Some(a) if a.by.is_none() => Some(a.cells.get(&(id, key)).unwrap_or(&NO_AMOUNTS)),
            _ => None,
        }
    }

    /// Every cell, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = CellRef<'_>> {
        self.cells.iter().map(|((id, key), cell)| CellRef {
            id: *id,
            group: &self.keys.list[*id as usize],
            key: *key,
            part: &cell.part,
            amounts: self.cell_amounts(*id, *key),
            days: cell.days(),
        })
    }

    /// With amounts kept per value of a dimension: every (amount key,
    /// period) and its amounts, the key being `value SEP currency` (split it
    /// with `split_key`), in no particular order.
    pub fn amounts_by_value(&self) -> impl Iterator<Item = (&str, PeriodKey, &Amounts)> {
        self.amounts
            .iter()
            .filter(|a| a.by.is_some())
            .flat_map(|a| a.cells.iter().map(|((k, p), am)| (&*a.keys.list[*k as usize], *p, am)))
    }

    /// Every cell, grouped and chronological within a group: the groups'
    /// ids and interned keys (split them with `split_key`), and for each
    /// group the range of its cells in one flat list.
    #[allow(clippy::type_complexity)]
    pub fn by_group(&self) -> (Vec<(u32, &str, std::ops::Range<usize>)>, Vec<GroupCell<'_>>) {
        // Placed by counting the cells per group (ids are dense), then each
        // group's few cells sorted by period: no comparison sort of all cells.
        let mut ends = vec![0usize; self.keys.list.len() + 1];
        for (id, _) in self.cells.keys() {
            ends[*id as usize + 1] += 1;
        }
        for i in 1..ends.len() {
            ends[i] += ends[i - 1];
        }
        let mut next = ends.clone();
        let mut cells = vec![GroupCell::empty(PeriodKey(0)); self.cells.len()];
        for ((id, k), c) in &self.cells {
            let amounts = self.cell_amounts(*id, *k);
            cells[next[*id as usize]] = GroupCell { key: *k, part: c.part, amounts };
            next[*id as usize] += 1;
        }
        let mut groups: Vec<(u32, &str, std::ops::Range<usize>)> = Vec::new();
        for (id, (key, w)) in self.keys.list.iter().zip(ends.windows(2)).enumerate() {
            if w[0] < w[1] {
                cells[w[0]..w[1]].sort_unstable_by_key(|c| c.key);
                groups.push((id as u32, key, w[0]..w[1]));
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
        let mut dropped_latest = NO_LAST;
        self.cells.retain(|(_, k), cell| {
            let stays = keep(*k);
            if !stays {
                dropped_latest = dropped_latest.max(cell.last);
                let part = &cell.part;
                dropped.deals += part.deals;
                dropped.rows += part.rows;
                dropped.total = exact_add(dropped.total, part.total).unwrap_or(dropped.total);
            }
            stays
        });
        if let Some(a) = self.amounts.as_mut() {
            a.cells.retain(|(_, k), _| keep(*k));
        }
        if let Some(d) = self.deals.as_mut() {
            d.retain(|k| keep(PeriodKey(k)));
        }
        if let Some(t) = self.trend.as_mut() {
            t.note_dropped((dropped_latest != NO_LAST).then(|| day_of(dropped_latest)));
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
        let mut seen: Vec<HashMap<u64, &str>> = (0..self.width)
            .map(|_| HashMap::with_capacity_and_hasher(self.keys.list.len(), Default::default()))
            .collect();
        let mut lower = Vec::new();
        for key in &self.keys.list {
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
        let mut deals = vec![0u64; self.keys.list.len()];
        for ((id, _), c) in &self.cells {
            deals[*id as usize] += c.part.deals;
        }
        /// The spellings of one folded value and their deals. Nearly every
        /// value has one spelling; a map per value would be most of the
        /// memory of a report over many customers.
        enum Spellings<'a> {
            One(&'a str, u64),
            Many(HashMap<&'a str, u64>),
        }
        let mut spellings: Vec<HashMap<String, Spellings<'_>>> = (0..self.width).map(|_| HashMap::default()).collect();
        for (id, key) in self.keys.list.iter().enumerate() {
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
        let rename = |key: &str| -> (Vec<String>, String) {
            let (parts, currency) = split_key(key);
            (parts.iter().enumerate().map(|(i, v)| shown[i][&fold(v)].clone()).collect(), currency.to_string())
        };
        let remap: Vec<u32> = self
            .keys
            .list
            .iter()
            .map(|key| {
                let (renamed, currency) = rename(key);
                let refs: Vec<&str> = renamed.iter().map(String::as_str).collect();
                out.intern(&refs, &currency)
            })
            .collect();
        for ((id, key), cell) in std::mem::take(&mut self.cells) {
            out.merge_cell(remap[id as usize], key, &cell.part, cell.first, cell.last)?;
        }
        // What a period window dropped stays noted.
        out.trend = self.trend;
        if let (Some(mine), Some(theirs)) = (out.amounts.as_mut(), self.amounts.take()) {
            let akeys: Vec<u32> = match mine.by {
                None => remap,
                Some(i) => theirs
                    .keys
                    .list
                    .iter()
                    .map(|k| {
                        let (value, currency) = split_key(k);
                        mine.keys.id(&format!("{}{SEP}{currency}", shown[i][&fold(value[0])])).0
                    })
                    .collect(),
            };
            for ((akey, key), a) in theirs.cells {
                mine.cells.entry((akeys[akey as usize], key)).or_default().append(a);
            }
        }
        // Bucketed by currency (and a value matched by folded name): kept as it is.
        if self.deals.is_some() {
            out.deals = self.deals.take();
        }
        Ok(out)
    }
}

fn describe(key: &str) -> String {
    let shown: Vec<&str> = key.split(SEP).filter(|p| !p.is_empty()).collect();
    if shown.is_empty() { "all deals".to_string() } else { format!("\"{}\"", shown.join(" / ")) }
}

/// The rows of partials an engine computed (`load::partials`,
/// `load::engine`), as a warehouse returns them: a bucket whose first (or
/// only) day is `day`, mapped to this report's period with our own
/// calendar code.
impl crate::model::Buckets for Partials {
    fn add_bucket(
        &mut self,
        group: &[&str],
        currency: &str,
        day: NaiveDate,
        deals: u64,
        total: Decimal,
    ) -> Result<(), Overflow> {
        self.add_on_day(group, currency, day, &Partial { deals, total, rows: deals }).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Buckets;
    use std::str::FromStr;

    #[test]
    fn keys_found_again_after_the_last_one_and_after_another() {
        let mut k = Keys::default();
        // The first key before any was looked up; the last key; another.
        assert_eq!(k.id("Acme"), (0, true));
        assert_eq!(k.id("Acme"), (0, false));
        assert_eq!(k.id("Bo"), (1, true));
        assert_eq!(k.id("Acme"), (0, false));
        assert_eq!(k.id("Bo"), (1, false));
        assert_eq!(k.id(""), (2, true));
        assert_eq!(k.id("Acme"), (0, false));
        assert_eq!(k.list.len(), 3);
    }

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
        p.add_bucket(&[], "", d("2013-01-01"), 3, dec("30")).unwrap();
        p.add_bucket(&[], "", d("2013-12-30"), 1, dec("2")).unwrap();
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
        for key in &p.keys.list {
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
            .map(|(_, key, range)| {
                let cells = cells[range.clone()]
                    .iter()
                    .map(|c| (Period::Month.label(c.key), c.part.deals, c.part.total.to_string()))
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
            folded.cells().find(|c| c.group.starts_with("Acme")).unwrap().amounts.unwrap().to_decimals();
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

    #[test]
    fn cells_keep_their_first_and_last_deal_day_through_merges() {
        let mut left = Partials::new(Period::All, 1);
        let mut right = Partials::new(Period::All, 1);
        left.add(&["Acme"], "", d("2013-03-05"), dec("1")).unwrap();
        right.add(&["Acme"], "", d("2012-11-30"), dec("1")).unwrap();
        right.add(&["Acme"], "", d("2013-01-02"), dec("1")).unwrap();
        left.merge(right).unwrap();
        let cell = left.cells().next().unwrap();
        assert_eq!(cell.days, Some((d("2012-11-30"), d("2013-03-05"))));
        // A cell bucketed elsewhere, without its days, says so.
        let mut p = Partials::new(Period::Month, 0);
        p.add_cell(&[], "", PeriodKey(1), &Partial { deals: 1, total: dec("1"), rows: 1 }).unwrap();
        assert_eq!(p.cells().next().unwrap().days, None);
    }

    #[test]
    fn amounts_by_one_dimension_are_kept_per_value_and_follow_merges_and_folds() {
        let mut left = Partials::with_amounts_by(Period::All, 2, 0);
        let mut right = Partials::with_amounts_by(Period::All, 2, 0);
        left.add(&["Eva", "Acme"], "", d("2013-01-01"), dec("1")).unwrap();
        left.add(&["Eva", "Bolt"], "", d("2013-01-01"), dec("2")).unwrap();
        right.add(&["eva", "Bolt"], "", d("2013-01-01"), dec("3")).unwrap();
        right.add(&["Olle", "Acme"], "SEK", d("2013-01-01"), dec("4.5")).unwrap();
        left.merge(right).unwrap();
        let by_value = |p: &Partials| {
            let mut v: Vec<(String, Vec<Decimal>)> = p
                .amounts_by_value()
                .map(|(k, _, a)| {
                    let mut a = a.to_decimals();
                    a.sort();
                    (k.replace(SEP, "|"), a)
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            by_value(&left),
            vec![
                ("Eva|".into(), vec![dec("1"), dec("2")]),
                ("Olle|SEK".into(), vec![dec("4.5")]),
                ("eva|".into(), vec![dec("3")])
            ]
        );
        // Per value, not per cell: cells carry none.
        assert!(left.cells().all(|c| c.amounts.is_none()));
        // "Eva" has 2 deals, "eva" 1: folded, all three amounts are Eva's.
        let folded = left.fold_groups(|s| s.to_lowercase()).unwrap();
        assert_eq!(
            by_value(&folded),
            vec![("Eva|".into(), vec![dec("1"), dec("2"), dec("3")]), ("Olle|SEK".into(), vec![dec("4.5")])]
        );
    }

    #[test]
    fn keeping_the_latest_periods_drops_older_ones_in_any_order_of_arrival() {
        let mut l = Latest::default();
        assert_eq!(
            [5, 3, 5, 7, 4, 6, 2].map(|k| l.admit(k)),
            // 3 becomes the second latest (nothing older to drop yet); 7 makes
            // 5 the second; 4 is older than both; 6 pushes 5 out.
            [
                Admit::Keep,
                Admit::KeepFrom(3),
                Admit::Keep,
                Admit::KeepFrom(5),
                Admit::Drop,
                Admit::KeepFrom(6),
                Admit::Drop
            ]
        );
        // Two halves read apart and merged keep what one pass keeps.
        let days = ["2013-03-05", "2013-01-02", "2013-05-09", "2012-12-01", "2013-04-30", "2013-05-01"];
        let mut whole = Partials::new(Period::Month, 1).keeping_latest();
        let mut left = Partials::new(Period::Month, 1).keeping_latest();
        let mut right = Partials::new(Period::Month, 1);
        for (i, day) in days.iter().enumerate() {
            whole.add(&["Acme"], "", d(day), dec("1")).unwrap();
            let half = if i < 3 { &mut left } else { &mut right };
            half.add(&["Acme"], "", d(day), dec("1")).unwrap();
        }
        left.merge(right).unwrap();
        let months = |p: &Partials| {
            let label = |k: PeriodKey| if k.0 == OLDER { "older".to_string() } else { Period::Month.label(k) };
            let mut v: Vec<(String, u64)> = p.cells().map(|c| (label(c.key), c.part.deals)).collect();
            v.sort();
            v
        };
        // December, January and March in one cell: their deals still count.
        let want = vec![("2013-04".to_string(), 1), ("2013-05".to_string(), 2), ("older".to_string(), 3)];
        assert_eq!(months(&whole), want);
        assert_eq!(months(&left), want);
        // Unrestricted partials merged into empty restricted ones are cut too.
        let mut all = Partials::new(Period::Month, 1);
        for day in days {
            all.add(&["Acme"], "", d(day), dec("1")).unwrap();
        }
        let mut cut = Partials::new(Period::Month, 1).keeping_latest();
        cut.merge(all).unwrap();
        assert_eq!(months(&cut), want);
    }
}
