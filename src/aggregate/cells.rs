//! The core's accumulator of interned deals: the parallel CSV reader's
//! workers hand it deals whose names are small ids ([`IdDeal`]), through
//! `model::IdSink`, and it sums them per (group ids, currency id, period)
//! in the cheapest shape the view allows: an array per period, per name,
//! or per name and period, else a map. It keeps what a view needs beyond
//! counts and sums (each cell's first and last day, amounts, the two latest
//! periods, explain's deal buckets). Workers' accumulators are merged by
//! id, and each becomes the same exact partials the general reader's deals
//! make, with tidy names, at the end.
//!
//! It exists beside `partials.rs` because the partials key groups by their
//! names: a row there costs a string key, here a few array or map indices.

use rustc_hash::FxHashMap;

use crate::aggregate::amounts::Amounts;
use crate::aggregate::outliers::{self, DealShape};
use crate::aggregate::partials::{Admit, Latest, OLDER, split_key};
use crate::aggregate::period::days_from_ce;
use crate::aggregate::{Overflow, Partial, Partials};
use crate::error::Error;
use crate::model::money::{Acc, MICROS_SCALE, normalized_decimal};
use crate::model::{Dimension, Filter, IdDeal, IdNames, IdSink, Period, PeriodKey};

/// What a view needs kept beyond each cell's count and sum: its first and
/// last deal day, and every amount (per cell, or per value of one of the
/// `by` dimensions: `Some(Some(i))`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewNeeds {
    pub days: bool,
    pub amounts: Option<Option<usize>>,
    /// Only the cells of the two latest periods with deals are needed.
    pub latest: bool,
    /// Each bucket's amounts and largest deal (explain's outliers): the
    /// store's `by` dimension and period ranges (see `Partials::with_deals`).
    pub deals: Option<DealShape>,
    /// Each amount's day, for customers' trend: the window and the as-of
    /// day (see `Partials::with_trend`).
    pub trend: Option<(crate::aggregate::potential::Span, Option<chrono::NaiveDate>)>,
}

impl ViewNeeds {
    /// What partials made for a view keep, for cells that feed them.
    pub fn of(p: &Partials) -> ViewNeeds {
        ViewNeeds {
            days: p.needs_days(),
            amounts: p.amounts_by(),
            latest: p.keeps_latest(),
            deals: p.keeps_deals(),
            trend: p.keeps_trend(),
        }
    }
}

/// One reader worker's deals by id, for one view (see the module's doc).
pub struct Cells {
    period: Period,
    by: Vec<Dimension>,
    /// Whether the input has a currency column (ids other than 0).
    currency: bool,
    view: ViewNeeds,
    shape: Shape,
    /// The totals by name the reader handed over (see `Shape::Named`), as
    /// partials: the first made by `add_total`, the others taken in from
    /// other workers (merged when finished, where an overflow can be said).
    named: Vec<Partials>,
    /// With `view.latest`: the two latest periods seen (older cells dropped).
    latest: Option<Latest>,
    /// With `view.deals`: (value id, currency id, period) -> bucket.
    deals: Option<FxHashMap<(u32, u32, i64), DealBucket>>,
}

impl Cells {
    /// Cells for a report by `period` and `by`, of an input with a currency
    /// column or not, whose rows `filter` picks, for a view that needs
    /// `view` kept.
    pub fn new(period: Period, by: &[Dimension], currency: bool, filter: &Filter, view: ViewNeeds) -> Cells {
        let no_name_filter = filter.customers.is_empty() && filter.sellers.is_empty();
        let mut shape = match by {
            [] if !currency => Shape::Periods { first: 0, accs: Vec::new() },
            [Dimension::Customer | Dimension::Seller] if period == Period::All && !currency && no_name_filter => {
                Shape::Named(FxHashMap::default())
            }
            [Dimension::Customer | Dimension::Seller] if !currency => {
                Shape::Grid { spans: Vec::new(), slots: 0, filled: 0 }
            }
            _ => Shape::General(FxHashMap::default()),
        };
        if view.deals.is_some() && matches!(shape, Shape::Named(_)) {
            shape = Shape::General(FxHashMap::default());
        }
        if view.latest && matches!(shape, Shape::Grid { .. }) {
            // Older periods fold into one cell per group there.
            shape = Shape::General(FxHashMap::default());
        }
        if view.days || view.amounts.is_some() {
            let dense = (by.len() == 1 && period == Period::All && !currency).then(Vec::new);
            shape = Shape::Views {
                cells: FxHashMap::default(),
                dense,
                by: view.amounts.flatten(),
                by_value: FxHashMap::default(),
            };
        }
        Cells {
            period,
            by: by.to_vec(),
            currency,
            view,
            shape,
            named: Vec::new(),
            latest: view.latest.then(Latest::default),
            deals: view.deals.map(|_| FxHashMap::default()),
        }
    }

    /// The id of dimension `dim` of `deal` (0 for none).
    #[inline]
    fn pick(deal: &IdDeal, dim: Option<&Dimension>) -> u32 {
        match dim {
            Some(Dimension::Customer) => deal.customer,
            Some(Dimension::Seller) => deal.seller,
            _ => 0,
        }
    }

    /// Note a deal in the deal store (explain's outliers), unless its period
    /// is older than the two latest kept or outside the ranges asked for.
    fn note_deal<N: IdNames>(&mut self, value: u32, period: i64, deal: &IdDeal, names: &N) {
        let floor = self.latest.and_then(|l| l.floor());
        let only = self.view.deals.and_then(|(_, only)| only);
        if floor.is_some_and(|f| period < f)
            || only.is_some_and(|r| !r.iter().any(|(a, b)| (*a..=*b).contains(&period)))
        {
            return;
        }
        let Some(deals) = self.deals.as_mut() else { return };
        if let Some(f) = floor {
            if deals.keys().any(|(.., k)| *k < f) {
                deals.retain(|(.., k), _| *k >= f);
            }
        }
        let (y, m, d) = deal.ymd;
        let (sum, customer) = (deal.micros, deal.customer);
        let day = days_from_ce(y, m, d) as i32;
        let b = deals.entry((value, deal.currency, period)).or_default();
        push_amount(&mut b.amounts, sum, None);
        let name = |c: u32| names.name(Dimension::Customer, c);
        let larger = match b.top {
            None => true,
            Some((a, dd, c)) => {
                (sum, std::cmp::Reverse(day), std::cmp::Reverse(name(customer)))
                    > (a, std::cmp::Reverse(dd), std::cmp::Reverse(name(c)))
            }
        };
        if larger {
            b.top = Some((sum, day, customer));
        }
    }
}

/// A bucket of the deal store (explain's outliers): its amounts, and its
/// largest deal as (millionths, day number, customer id).
#[derive(Default)]
struct DealBucket {
    amounts: Amounts,
    top: Option<(i128, i32, u32)>,
}

/// Where a sink accumulates, chosen by the shape of the report so that
/// the common reports touch as little memory per row as possible.
enum Shape {
    /// No groups and no currency column: one accumulator per period, in an
    /// array indexed by the period's key.
    Periods { first: i64, accs: Vec<Acc> },
    /// One name column over the whole selection, no currency column and no
    /// name filter: the reader keeps each name's count and sum itself, by
    /// the name's raw bytes (one lookup a row), and hands the totals over
    /// at the end (`IdSink::add_total`), straight into partials. Deals
    /// added by id are summed here by the name's id.
    Named(FxHashMap<u32, Acc>),
    /// One name column by period, no currency column: per name id, its
    /// periods' accumulators in an array from its first period on (a
    /// customer report per month over tens of thousands of customers used
    /// to hash every row into a map of millions of cells). `slots` and
    /// `filled` count the arrays' accumulators and those with deals: when
    /// the arrays are mostly empty, the cells move to `General`.
    Grid { spans: Vec<Span>, slots: usize, filled: usize },
    /// Everything else: (group ids, currency id, period) -> accumulator.
    General(FxHashMap<(u32, u32, u32, i64), Acc>),
    /// A view that needs the deals' days or amounts: as `General`, each
    /// cell with its first and last day and (per cell) its amounts; or the
    /// amounts per (value of dimension `by`, currency id, period).
    Views {
        cells: FxHashMap<(u32, u32, u32, i64), ViewAcc<Box<Amounts>>>,
        /// One name over the whole selection and no currency column: the
        /// cells in an array indexed by the name's id instead (no hashing),
        /// their amounts inline (one pointer less to follow for each deal).
        dense: Option<Vec<Option<ViewAcc<Amounts>>>>,
        by: Option<usize>,
        by_value: FxHashMap<(u32, u32, i64), Amounts>,
    },
}

/// How many accumulators `Shape::Grid` may hold (96 MiB) before it moves
/// to a map if fewer than a third of them have deals. Early in a file the
/// arrays are sparse however full they end up, so only size decides first.
const GRID_SLOTS: usize = 1 << 22;

/// A name's accumulators per period in `Shape::Grid`, from period `first` on.
#[derive(Default)]
struct Span {
    first: i64,
    accs: Vec<Acc>,
}

/// `Shape::Grid`'s accumulators as `Shape::General`'s map (the grid's
/// names are the first `by` value).
fn grid_cells(spans: Vec<Span>) -> FxHashMap<(u32, u32, u32, i64), Acc> {
    let mut cells = FxHashMap::default();
    for (id, span) in spans.into_iter().enumerate() {
        for (i, acc) in span.accs.into_iter().enumerate().filter(|(_, a)| a.deals > 0) {
            cells.insert((id as u32, 0, 0, span.first + i as i64), acc);
        }
    }
    cells
}

/// A view's cell. Its amounts are `A`: inline in the
/// array of one cell per name, boxed in a map of many cells (a view that
/// keeps none, sellers with a million (seller, customer) cells, then pays
/// 8 bytes a cell for them, not the store's 56).
struct ViewAcc<A> {
    acc: Acc,
    /// Day numbers (`Period::Day` keys).
    first: i32,
    last: i32,
    /// Per-cell amounts, when the view keeps them so.
    amounts: Option<A>,
}

/// Where a cell keeps its amounts: inline or boxed.
trait Store: Default {
    fn get(&mut self) -> &mut Amounts;
    fn into_amounts(self) -> Amounts;
}

impl Store for Amounts {
    fn get(&mut self) -> &mut Amounts {
        self
    }
    fn into_amounts(self) -> Amounts {
        self
    }
}

impl Store for Box<Amounts> {
    fn get(&mut self) -> &mut Amounts {
        self
    }
    fn into_amounts(self) -> Amounts {
        *self
    }
}

impl<A: Store> ViewAcc<A> {
    /// A cell whose first deal is on `day`, with a store for its amounts
    /// when `amounts`.
    fn new(day: i32, amounts: bool) -> ViewAcc<A> {
        ViewAcc { acc: Acc::default(), first: day, last: day, amounts: amounts.then(A::default) }
    }

    /// Add a deal of `sum` on `day`; the cell's amounts, when it keeps them.
    #[inline]
    fn add(&mut self, sum: i128, day: i32) -> Option<&mut Amounts> {
        self.acc.add(sum);
        self.first = self.first.min(day);
        self.last = self.last.max(day);
        self.amounts.as_mut().map(A::get)
    }

    /// Add another worker's cell of the same group and period.
    fn merge(&mut self, other: ViewAcc<A>) {
        self.acc.merge(&other.acc);
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        match (self.amounts.as_mut(), other.amounts) {
            (Some(a), Some(b)) => a.get().append(b.into_amounts()),
            (None, Some(b)) => self.amounts = Some(b),
            (_, None) => {}
        }
    }

    /// The same cell with its amounts in another kind of store.
    fn moved<B: Store>(self) -> ViewAcc<B> {
        let amounts = self.amounts.map(|a| {
            let mut b = B::default();
            *b.get() = a.into_amounts();
            b
        });
        ViewAcc { acc: self.acc, first: self.first, last: self.last, amounts }
    }
}

/// Add an amount in millionths to a store (as an exact decimal in the rare
/// case it does not fit an `i64`), with its day number for a trend's store.
#[inline]
fn push_amount(store: &mut Amounts, sum: i128, day: Option<i32>) {
    match (i64::try_from(sum), day) {
        (Ok(m), None) => store.push_micros(m),
        (Ok(m), Some(day)) => store.push_micros_on(m, day),
        (Err(_), day) => {
            let amount = normalized_decimal(sum, MICROS_SCALE).expect("a parsed amount fits a decimal");
            match day {
                None => store.push(amount),
                Some(day) => store.push_on(amount, day),
            }
        }
    }
}

/// The accumulator of period `key` in a dense array starting at `first`,
/// widened as keys outside it turn up.
#[inline]
fn dense_at<'a>(first: &mut i64, accs: &'a mut Vec<Acc>, key: i64) -> &'a mut Acc {
    if accs.is_empty() {
        *first = key;
    }
    if key < *first {
        let more = (*first - key) as usize;
        accs.splice(0..0, std::iter::repeat_n(Acc::default(), more));
        *first = key;
    }
    let i = (key - *first) as usize;
    if i >= accs.len() {
        accs.resize(i + 1, Acc::default());
    }
    &mut accs[i]
}

impl IdSink for Cells {
    type Done = Partials;

    fn names_used(&self) -> [bool; 2] {
        // The largest deal is named by its customer.
        [self.by.contains(&Dimension::Customer) || self.deals.is_some(), self.by.contains(&Dimension::Seller)]
    }

    fn totals_by_name(&self) -> Option<Dimension> {
        matches!(self.shape, Shape::Named(_)).then(|| self.by[0])
    }

    fn totals_coming(&mut self, names: usize) {
        if self.named.is_empty() {
            self.named.push(view_partials(self.period, self.by.len(), self.view));
        }
        self.named[0].reserve(names, names);
    }

    fn add_total(&mut self, name: &str, acc: &Acc) -> Result<(), Error> {
        if self.named.is_empty() {
            self.named.push(view_partials(self.period, self.by.len(), self.view));
        }
        let all = self.period.key_ymd(2000, 1, 1).0;
        let part = partial_of(acc, self.period, all, || name.to_string())?;
        self.named[0].add_cell(&[name], "", PeriodKey(all), &part)?;
        Ok(())
    }

    fn touch(&self, deals: &[IdDeal]) {
        let mut touched = 0u64;
        let first = self.by.first();
        match &self.shape {
            Shape::Grid { spans, .. } => {
                for deal in deals {
                    let (y, m, d) = deal.ymd;
                    let key = self.period.key_ymd(y, m, d).0;
                    if let Some(s) = spans.get(Self::pick(deal, first) as usize) {
                        if let Some(a) = usize::try_from(key - s.first).ok().and_then(|i| s.accs.get(i)) {
                            touched ^= a.deals;
                        }
                    }
                }
            }
            Shape::Views { dense: Some(dense), .. } => {
                for deal in deals {
                    if let Some(Some(c)) = dense.get(Self::pick(deal, first) as usize) {
                        touched ^= c.acc.deals;
                    }
                }
            }
            Shape::General(cells) => {
                // A guess of the key `add` will use (its period may be
                // folded into OLDER there): a wrong guess only misses.
                let floor = self.latest.and_then(|l| l.floor());
                let deal_store = self.deals.as_ref().zip(self.view.deals.map(|(by, _)| by));
                for deal in deals {
                    let (y, m, d) = deal.ymd;
                    let key = self.period.key_ymd(y, m, d).0;
                    let key = if floor.is_some_and(|f| key < f) { OLDER } else { key };
                    let cell = (Self::pick(deal, first), Self::pick(deal, self.by.get(1)), deal.currency, key);
                    if let Some(acc) = cells.get(&cell) {
                        touched ^= acc.deals;
                    }
                    if let Some((store, by)) = deal_store {
                        let value = by.map_or(0, |b| Self::pick(deal, self.by.get(b)));
                        if let Some(b) = store.get(&(value, deal.currency, key)) {
                            touched ^= b.amounts.len() as u64;
                        }
                    }
                }
            }
            _ => {}
        }
        std::hint::black_box(touched);
    }

    fn add<N: IdNames>(&mut self, deal: &IdDeal, names: &N) {
        let (y, m, d) = deal.ymd;
        let (sum, currency) = (deal.micros, deal.currency);
        let pick = |dim: Option<&Dimension>| Self::pick(deal, dim);
        let period = self.period.key_ymd(y, m, d).0;
        match &mut self.shape {
            Shape::Named(by_id) => by_id.entry(pick(self.by.first())).or_default().add(sum),
            Shape::Periods { first, accs } => dense_at(first, accs, period).add(sum),
            Shape::Grid { spans, slots, filled } => {
                let i = pick(self.by.first()) as usize;
                if i >= spans.len() {
                    spans.resize_with(i + 1, Span::default);
                }
                let span = &mut spans[i];
                let before = span.accs.len();
                let acc = dense_at(&mut span.first, &mut span.accs, period);
                if acc.deals == 0 {
                    *filled += 1;
                }
                acc.add(sum);
                *slots += span.accs.len() - before;
                if *slots > GRID_SLOTS && *slots > 3 * *filled {
                    // Sparse groups (few deals over many periods, or days
                    // over years): a map holds them in less memory.
                    self.shape = Shape::General(grid_cells(std::mem::take(spans)));
                }
            }
            Shape::General(cells) => {
                // Only the two latest periods: the others go to each group's
                // OLDER cell (see `Latest`).
                let period = match self.latest.as_mut().map(|l| l.admit(period)) {
                    None | Some(Admit::Keep) => period,
                    Some(Admit::KeepFrom(floor)) => {
                        if cells.keys().any(|(.., k)| *k < floor && *k != OLDER) {
                            let old = std::mem::take(cells);
                            for ((a, b, c, k), acc) in old {
                                cells.entry((a, b, c, if k < floor { OLDER } else { k })).or_default().merge(&acc);
                            }
                        }
                        period
                    }
                    Some(Admit::Drop) => OLDER,
                };
                cells.entry((pick(self.by.first()), pick(self.by.get(1)), currency, period)).or_default().add(sum);
            }
            Shape::Views { cells, dense, by, by_value } => {
                let day = days_from_ce(y, m, d) as i32;
                let per_cell = self.view.amounts == Some(None);
                let amounts = match dense {
                    Some(dense) => {
                        let i = pick(self.by.first()) as usize;
                        if i >= dense.len() {
                            dense.resize_with(i + 1, || None);
                        }
                        dense[i].get_or_insert_with(|| ViewAcc::new(day, per_cell)).add(sum, day)
                    }
                    None => cells
                        .entry((pick(self.by.first()), pick(self.by.get(1)), currency, period))
                        .or_insert_with(|| ViewAcc::new(day, per_cell))
                        .add(sum, day),
                };
                if let Some(a) = amounts {
                    push_amount(a, sum, self.view.trend.map(|_| day));
                } else if let Some(i) = *by {
                    push_amount(by_value.entry((pick(self.by.get(i)), currency, period)).or_default(), sum, None);
                }
            }
        }
        if self.deals.is_some() {
            let value = match self.view.deals.and_then(|(by, _)| by) {
                Some(i) => pick(self.by.get(i)),
                None => 0,
            };
            self.note_deal(value, period, deal, names);
        }
    }

    fn absorbs(&self, other: &Cells) -> bool {
        let no_deals = self.deals.is_none() && other.deals.is_none();
        match (&self.shape, &other.shape) {
            (Shape::Named(_), Shape::Named(_)) => true,
            (Shape::Grid { .. }, Shape::Grid { .. }) => no_deals,
            // Currency ids are not mapped from one worker to another.
            (Shape::Views { .. }, Shape::Views { .. }) => !self.currency && self.latest.is_none() && no_deals,
            _ => false,
        }
    }

    fn absorb(&mut self, mut other: Cells, customers: &[u32], sellers: &[u32]) -> Option<Cells> {
        if !self.absorbs(&other) {
            return Some(other);
        }
        self.named.append(&mut other.named);
        let map = |dim: Option<&Dimension>, id: u32| match dim {
            Some(Dimension::Customer) => customers[id as usize],
            Some(Dimension::Seller) => sellers[id as usize],
            _ => id,
        };
        let (d0, d1) = (self.by.first(), self.by.get(1));
        match (&mut self.shape, other.shape) {
            (Shape::Named(by_id), Shape::Named(by_id2)) => {
                for (id, acc) in by_id2 {
                    by_id.entry(map(d0, id)).or_default().merge(&acc);
                }
            }
            (Shape::Grid { spans, filled, .. }, Shape::Grid { spans: spans2, .. }) => {
                for (id, span) in spans2.into_iter().enumerate() {
                    let to = map(d0, id as u32) as usize;
                    if to >= spans.len() {
                        spans.resize_with(to + 1, Span::default);
                    }
                    let into = &mut spans[to];
                    for (i, acc) in span.accs.iter().enumerate().filter(|(_, acc)| acc.deals > 0) {
                        dense_at(&mut into.first, &mut into.accs, span.first + i as i64).merge(acc);
                    }
                }
                *filled = spans.iter().map(|s| s.accs.iter().filter(|a| a.deals > 0).count()).sum();
            }
            (
                Shape::Views { cells, dense, by, by_value },
                Shape::Views { cells: cells2, dense: dense2, by_value: by_value2, .. },
            ) => {
                // The other worker's cells added by id: no partials with
                // string keys made and merged per worker (a million
                // (seller, customer) keys for sellers).
                for ((a, b, cur, k), cell) in cells2 {
                    match cells.entry((map(d0, a), map(d1, b), cur, k)) {
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(cell);
                        }
                        std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().merge(cell),
                    }
                }
                if let (Some(dense), Some(dense2)) = (dense.as_mut(), dense2) {
                    for (id, cell) in dense2.into_iter().enumerate() {
                        let Some(cell) = cell else { continue };
                        let to = map(d0, id as u32) as usize;
                        if to >= dense.len() {
                            dense.resize_with(to + 1, || None);
                        }
                        match dense[to].as_mut() {
                            Some(into) => into.merge(cell),
                            None => dense[to] = Some(cell),
                        }
                    }
                }
                if let Some(i) = *by {
                    let dim = self.by.get(i);
                    for ((v, cur, k), amounts) in by_value2 {
                        by_value.entry((map(dim, v), cur, k)).or_default().append(amounts);
                    }
                }
            }
            _ => unreachable!("`absorbs` checked that the shapes match"),
        }
        None
    }

    fn finish<N: IdNames>(mut self, names: &N) -> Result<Partials, Error> {
        // The totals by name, made with room for them, are the base.
        let mut named = std::mem::take(&mut self.named).into_iter();
        let mut p = named.next().unwrap_or_else(|| view_partials(self.period, self.by.len(), self.view));
        for more in named {
            p.merge(more)?;
        }
        // Room for the groups and the cells at once. A group has a cell per
        // period: over the whole selection as many groups as cells, else
        // (unless the names say how many) the groups' room grows as they come.
        let whole = self.period == Period::All;
        let (groups, cells) = match &self.shape {
            Shape::Named(by_id) => (by_id.len(), by_id.len()),
            Shape::Periods { accs, .. } => (1, accs.len()),
            Shape::Grid { spans, filled, .. } => (spans.len(), *filled),
            Shape::General(cells) => (if whole { cells.len() } else { 0 }, cells.len()),
            Shape::Views { cells, dense, .. } => {
                let n = cells.len() + dense.as_ref().map_or(0, Vec::len);
                (if whole { n } else { 0 }, n)
            }
        };
        p.reserve(groups, cells);
        let period = self.period;
        let all = period.key_ymd(2000, 1, 1).0;
        let by = std::mem::take(&mut self.by);
        match std::mem::replace(&mut self.shape, Shape::Named(FxHashMap::default())) {
            Shape::Named(by_id) => {
                for (id, acc) in by_id {
                    let name = names.name(by[0], id);
                    p.add_cell(&[name], "", PeriodKey(all), &partial_of(&acc, period, all, || name.to_string())?)?;
                }
            }
            Shape::Periods { first, accs } => {
                for (i, acc) in accs.iter().enumerate().filter(|(_, acc)| acc.deals > 0) {
                    let key = first + i as i64;
                    p.add_cell(&[], "", PeriodKey(key), &partial_of(acc, period, key, String::new)?)?;
                }
            }
            Shape::Grid { spans, .. } => {
                let mut groups = GroupIds::default();
                for (a, span) in spans.iter().enumerate() {
                    for (i, acc) in span.accs.iter().enumerate().filter(|(_, acc)| acc.deals > 0) {
                        let id = groups.id(&mut p, &by, names, (a as u32, 0, 0));
                        add_acc(&mut p, id, span.first + i as i64, acc)?;
                    }
                }
            }
            Shape::General(cells) => {
                let mut groups = GroupIds::default();
                for ((a, b, cur, key), acc) in cells {
                    let id = groups.id(&mut p, &by, names, (a, b, cur));
                    add_acc(&mut p, id, key, &acc)?;
                }
            }
            Shape::Views { mut cells, dense, by: amounts_by, by_value } => {
                for (id, cell) in dense.into_iter().flatten().enumerate() {
                    if let Some(cell) = cell {
                        cells.insert((id as u32, 0, 0, all), cell.moved());
                    }
                }
                // The cells as a list, so that the map's table (a million
                // entries for sellers) is freed before the partials grow.
                let cells: Vec<_> = cells.into_iter().collect();
                // Over the whole selection each group has one cell: no
                // cache of the group ids (its map would be one entry a cell).
                let mut groups = if whole { GroupIds::uncached() } else { GroupIds::default() };
                for ((a, b, cur, key), cell) in cells {
                    let id = groups.id(&mut p, &by, names, (a, b, cur));
                    let part = partial_of(&cell.acc, period, key, || group_name(&p, id))?;
                    let days = (period_day(cell.first), period_day(cell.last));
                    p.add_to_group(id, PeriodKey(key), &part, Some(days), cell.amounts.map(Store::into_amounts))?;
                }
                if let Some(i) = amounts_by {
                    for ((v, cur, key), amounts) in by_value {
                        let currency = names.currency(cur).to_ascii_uppercase();
                        p.add_amounts_by_value(names.name(by[i], v), &currency, PeriodKey(key), amounts);
                    }
                }
            }
        }
        if let Some(deals) = self.deals.take() {
            let floor = self.latest.and_then(|l| l.floor());
            let value_by = self.view.deals.and_then(|(by, _)| by);
            for ((v, cur, key), b) in deals {
                if floor.is_some_and(|f| key < f) {
                    continue;
                }
                let currency = names.currency(cur).to_ascii_uppercase();
                let name = match value_by {
                    Some(i) => format!("{}{}{currency}", names.name(by[i], v), outliers::SEP),
                    None => currency,
                };
                let largest = b.top.map(|(sum, day, c)| outliers::Top {
                    amount: normalized_decimal(sum, MICROS_SCALE).expect("a parsed amount fits a decimal"),
                    date: period_day(day),
                    customer: names.name(Dimension::Customer, c).to_string(),
                });
                p.add_deal_bucket(PeriodKey(key), &name, outliers::Bucket { amounts: b.amounts, largest });
            }
        }
        Ok(p)
    }

    fn merge(into: &mut Partials, other: Partials) -> Result<(), Error> {
        Ok(into.merge(other)?)
    }
}

/// The partials' group id of each (name id, name id, currency id) a worker
/// has, made once per group rather than once per cell (a group has a cell
/// per period).
#[derive(Default)]
struct GroupIds {
    ids: FxHashMap<(u32, u32, u32), u32>,
    /// Look every group up in the partials instead (each comes once).
    uncached: bool,
}

impl GroupIds {
    fn uncached() -> GroupIds {
        GroupIds { uncached: true, ..GroupIds::default() }
    }

    fn id<N: IdNames>(&mut self, p: &mut Partials, by: &[Dimension], names: &N, (a, b, cur): (u32, u32, u32)) -> u32 {
        let make = |p: &mut Partials| {
            let group: Vec<&str> = by.iter().zip([a, b]).map(|(d, id)| names.name(*d, id)).collect();
            let mut currency = names.currency(cur).to_string();
            currency.make_ascii_uppercase();
            p.group_id(&group, &currency)
        };
        if self.uncached {
            return make(p);
        }
        *self.ids.entry((a, b, cur)).or_insert_with(|| make(p))
    }
}

/// A cell's count and exact sum as a partial, or the overflow naming its
/// group (made by `group` only then) and its period `key`.
fn partial_of(acc: &Acc, period: Period, key: i64, group: impl FnOnce() -> String) -> Result<Partial, Overflow> {
    let total = normalized_decimal(acc.sum(), MICROS_SCALE)
        .ok_or_else(|| Overflow { group: group(), period: period.label(PeriodKey(key)) })?;
    Ok(Partial { deals: acc.deals, total, rows: acc.deals })
}

/// The group of id `id` as an overflow names it.
fn group_name(p: &Partials, id: u32) -> String {
    split_key(p.group_key(id)).0.join(" / ")
}

/// Add a cell of count and sum to group `id` in period `key`.
fn add_acc(p: &mut Partials, id: u32, key: i64, acc: &Acc) -> Result<(), Overflow> {
    let part = partial_of(acc, p.period(), key, || group_name(p, id))?;
    p.add_to_group(id, PeriodKey(key), &part, None, None)
}

/// Empty partials that keep what `view` needs.
fn view_partials(period: Period, width: usize, view: ViewNeeds) -> Partials {
    let p = match view.amounts {
        None => Partials::new(period, width),
        Some(None) => Partials::with_amounts(period, width),
        Some(Some(i)) => Partials::with_amounts_by(period, width, i),
    };
    let p = match view.deals {
        Some((by, only)) => p.with_deals(by, only),
        None => p,
    };
    match view.trend {
        Some((span, as_of)) => p.with_trend(span, as_of),
        None => p,
    }
}

/// The date of a day number.
fn period_day(n: i32) -> chrono::NaiveDate {
    Period::Day.first_day(PeriodKey(i64::from(n))).expect("a day number from a parsed date")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    /// A reader's names: ids index these lists.
    struct Names {
        customers: Vec<&'static str>,
        sellers: Vec<&'static str>,
        currencies: Vec<&'static str>,
    }

    impl IdNames for Names {
        fn name(&self, dim: Dimension, id: u32) -> &str {
            match dim {
                Dimension::Customer => self.customers[id as usize],
                Dimension::Seller => self.sellers[id as usize],
                _ => "",
            }
        }
        fn currency(&self, id: u32) -> &str {
            self.currencies[id as usize]
        }
    }

    fn deal(customer: u32, seller: u32, currency: u32, micros: i128, ymd: (i32, u32, u32)) -> IdDeal {
        IdDeal { customer, seller, currency, micros, ymd }
    }

    /// (group, currency, period key, deals, total, days) of every cell, sorted.
    type Row = (String, String, i64, u64, String, Option<(NaiveDate, NaiveDate)>);
    fn sorted(p: &Partials) -> Vec<Row> {
        let mut v: Vec<Row> = p
            .cells()
            .map(|c| {
                let (g, cur) = c.split();
                (g.join("|"), cur.to_string(), c.key.0, c.part.deals, c.part.total.normalize().to_string(), c.days)
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn two_workers_ids_are_mapped_before_their_months_add_up() {
        let none = Filter::default();
        let view = ViewNeeds::default();
        let mut a = Cells::new(Period::Month, &[Dimension::Customer], false, &none, view);
        let mut b = Cells::new(Period::Month, &[Dimension::Customer], false, &none, view);
        // Worker a knows Acme as 1 and Bolt as 2; worker b only Bolt, as 1.
        let na = Names { customers: vec!["(no customer)", "Acme", "Bolt"], sellers: vec![""], currencies: vec![""] };
        let nb = Names { customers: vec!["(no customer)", "Bolt"], sellers: vec![""], currencies: vec![""] };
        a.add(&deal(1, 0, 0, 100_500_000, (2024, 1, 5)), &na); // Acme 100.50 in January
        a.add(&deal(2, 0, 0, 20_000_000, (2024, 1, 31)), &na); // Bolt 20 in January
        b.add(&deal(1, 0, 0, 5_250_000, (2024, 1, 2)), &nb); // Bolt 5.25 in January
        b.add(&deal(1, 0, 0, 1_000_000, (2024, 2, 1)), &nb); // Bolt 1 in February
        assert!(a.absorbs(&b));
        assert!(a.absorb(b, &[0, 2], &[0]).is_none());
        let p = a.finish(&na).unwrap();
        let jan = Period::Month.key_ymd(2024, 1, 1).0;
        assert_eq!(
            sorted(&p),
            vec![
                ("Acme".into(), "".into(), jan, 1, "100.5".into(), None),
                ("Bolt".into(), "".into(), jan, 2, "25.25".into(), None),
                ("Bolt".into(), "".into(), jan + 1, 1, "1".into(), None),
            ]
        );
    }

    #[test]
    fn totals_by_name_add_up_with_deals_added_by_id() {
        let view = ViewNeeds::default();
        let mut c = Cells::new(Period::All, &[Dimension::Seller], false, &Filter::default(), view);
        assert_eq!(c.totals_by_name(), Some(Dimension::Seller));
        let mut acc = Acc::default();
        acc.add(2_000_000);
        acc.add(3_000_000);
        // Two raw spellings of Eva, tidied to one name by the reader.
        c.add_total("Eva", &acc).unwrap();
        c.add_total("Eva", &acc).unwrap();
        let names = Names { customers: vec![""], sellers: vec!["(no seller)", "Eva", "Per"], currencies: vec![""] };
        c.add(&deal(0, 1, 0, 1_000_000, (2023, 6, 1)), &names);
        c.add(&deal(0, 2, 0, -500_000, (2023, 6, 1)), &names);
        let all = Period::All.key_ymd(2000, 1, 1).0;
        assert_eq!(
            sorted(&c.finish(&names).unwrap()),
            vec![
                ("Eva".into(), "".into(), all, 5, "11".into(), None),
                ("Per".into(), "".into(), all, 1, "-0.5".into(), None),
            ]
        );
    }

    #[test]
    fn a_sum_too_big_for_a_decimal_is_an_error_naming_its_group_and_period() {
        // 10^29 does not fit a decimal's 96 bits (about 7.9 * 10^28).
        let huge = 10i128.pow(29) * 1_000_000;
        let none = Filter::default();
        let names = Names { customers: vec!["", "Acme"], sellers: vec![""], currencies: vec![""] };
        let mut totals = Cells::new(Period::All, &[Dimension::Customer], false, &none, ViewNeeds::default());
        let mut acc = Acc::default();
        acc.add(huge);
        let err = totals.add_total("Acme", &acc).unwrap_err();
        assert!(matches!(&err, Error::Overflow(o) if o.group == "Acme"), "{err:?}");
        let mut months = Cells::new(Period::Month, &[Dimension::Customer], false, &none, ViewNeeds::default());
        months.add(&deal(1, 0, 0, huge, (2024, 3, 1)), &names);
        let err = months.finish(&names).unwrap_err();
        let march = Period::Month.label(PeriodKey(Period::Month.key_ymd(2024, 3, 1).0));
        assert!(matches!(&err, Error::Overflow(o) if o.group == "Acme" && o.period == march), "{err:?}");
    }

    #[test]
    fn only_the_two_latest_months_stay_apart_the_rest_folds_into_one_older_cell() {
        let view = ViewNeeds { latest: true, ..ViewNeeds::default() };
        let mut c = Cells::new(Period::Month, &[Dimension::Customer], false, &Filter::default(), view);
        let names = Names { customers: vec!["", "Acme"], sellers: vec![""], currencies: vec![""] };
        for (m, amount) in [(1, 1), (3, 2), (2, 4), (4, 8), (1, 16)] {
            c.add(&deal(1, 0, 0, amount * 1_000_000, (2024, m, 10)), &names);
        }
        let m = |month| Period::Month.key_ymd(2024, month, 1).0;
        let rows = sorted(&c.finish(&names).unwrap());
        // March and April apart; January (twice) and February as one.
        assert_eq!(
            rows,
            vec![
                ("Acme".into(), "".into(), OLDER, 3, "21".into(), None),
                ("Acme".into(), "".into(), m(3), 1, "2".into(), None),
                ("Acme".into(), "".into(), m(4), 1, "8".into(), None),
            ]
        );
    }

    proptest::proptest! {
        /// Whatever the shape, deals split over two workers and summed by
        /// id give the cells the general reader's partials give when the
        /// same deals are added by name, one at a time.
        #[test]
        fn cells_by_id_agree_with_partials_by_name(
            deals in proptest::collection::vec(
                (0u32..4, 0u32..3, 0u32..2, -50_000i64..5_000_000, 0i64..800, proptest::bool::ANY),
                0..60,
            ),
            shape in 0usize..4,
            period in 0usize..4,
            currency in proptest::bool::ANY,
            days in proptest::bool::ANY,
        ) {
            let by: &[Dimension] = [&[][..], &[Dimension::Customer], &[Dimension::Seller],
                &[Dimension::Customer, Dimension::Seller]][shape];
            let period = [Period::All, Period::Month, Period::Week, Period::Day][period];
            let view = ViewNeeds { days, ..ViewNeeds::default() };
            let names = Names {
                customers: vec!["(no customer)", "Acme", "Bolt", "Cirkel"],
                sellers: vec!["(no seller)", "Eva", "Per"],
                currencies: if currency { vec!["sek", "eur"] } else { vec![""] },
            };
            let none = Filter::default();
            let mut workers = [Cells::new(period, by, currency, &none, view), Cells::new(period, by, currency, &none, view)];
            let mut want = Partials::new(period, by.len());
            for &(c, s, cur, cents, day, second) in &deals {
                let cur = if currency { cur } else { 0 };
                let date = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(day as u64);
                use chrono::Datelike;
                let d = deal(c, s, cur, i128::from(cents) * 10_000, (date.year(), date.month(), date.day()));
                workers[usize::from(second)].add(&d, &names);
                let group: Vec<&str> = by.iter().map(|dim| names.name(*dim, Cells::pick(&d, Some(dim)))).collect();
                let code = names.currency(cur).to_ascii_uppercase();
                want.add(&group, &code, date, Decimal::new(cents, 2)).unwrap();
            }
            let [mut a, b] = workers;
            let same: Vec<u32> = (0..4).collect();
            let got = match a.absorb(b, &same, &same) {
                None => a.finish(&names).unwrap(),
                Some(b) => {
                    let mut p = a.finish(&names).unwrap();
                    Cells::merge(&mut p, b.finish(&names).unwrap()).unwrap();
                    p
                }
            };
            // Cells by name keep every cell's days; cells by id only when
            // the view needs them.
            let want: Vec<Row> = sorted(&want).into_iter().map(|mut r| { if !days { r.5 = None; } r }).collect();
            proptest::prop_assert_eq!(sorted(&got), want);
        }
    }
}
