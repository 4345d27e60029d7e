//! The fast path for big CSV files: blocks read in parallel, parsed from
//! bytes, accumulated into the same exact partials the general reader makes.
//!
//! A reader thread cuts the file into blocks on record boundaries (outside
//! quotes) and workers parse them on all cores. The common shapes (ISO
//! dates, plain decimal amounts) are parsed straight from bytes into a
//! scaled integer; every other shape goes through the general parsers, so
//! the result is the same. Names are interned by their raw bytes and tidied
//! once per distinct spelling. Each worker keeps count and exact sum per
//! (group, period); the workers' partials are merged at the end, which is
//! exact because counts and sums are associative.
//!
//! When a file needs what only the general reader does (a column whose
//! number or date style is decided late, order lines, another encoding, odd
//! quoting), the fast path gives up before anything is reported and the
//! general reader reads the file instead.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::aggregate::amounts::Amounts;
use crate::aggregate::partials::{Admit, Latest, OLDER};
use crate::aggregate::{Partial, Partials};
use crate::error::{Error, RowError};
use crate::load::InputOptions;
use crate::load::amount::{self, DecimalStyle, MAX_DECIMALS, MAX_INTEGER_DIGITS};
use crate::load::columns::{ColumnMap, Field};
use crate::load::date::{self, DateOrder, YEARS};
use crate::load::names::{Acc, BATCH, IdTable, NameTable, Short};
use crate::load::records::{MAX_RECORD_BYTES, Record, RecordError, Records};
use crate::load::rows::{NO_CUSTOMER, NO_SELLER, clean_name};
use crate::load::source::{self, InputFormat, SNIFF_BYTES};
use crate::load::structure::Structurals;
use crate::model::Tally;
use crate::model::{Dimension, Filter, RowAccounting};
use crate::model::{Period, PeriodKey};

/// The scale of the fast path's integer amounts: 10^6 (the most decimals an
/// amount may have).
const SCALE: u32 = MAX_DECIMALS as u32;
#[cfg(test)]
const ONE: i128 = 1_000_000;

/// How a file will be read on the fast path.
#[derive(Clone, Debug)]
pub struct Plan {
    pub path: String,
    pub name: String,
    delimiter: u8,
    data_start: u64,
    header_lines: u64,
    map: ColumnMap,
    width: usize,
    amount: usize,
    date: usize,
    customer: Option<usize>,
    seller: Option<usize>,
    currency: Option<usize>,
    /// The column's decimal style and the value and line that settled it.
    decimal: Option<(DecimalStyle, Option<(String, u64)>)>,
    date_order: Option<DateOrder>,
}

/// What a fast read needs to know about the run.
pub struct RunOptions<'a> {
    pub period: Period,
    pub by: &'a [Dimension],
    pub filter: &'a Filter,
    pub threads: usize,
    pub block_size: usize,
    pub skip_bad_rows: bool,
    /// Show a progress bar (when stderr is a terminal and it takes a while).
    pub progress: bool,
    /// What the view needs beyond counts and sums.
    pub view: ViewNeeds,
}

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
    pub deals: Option<crate::aggregate::outliers::DealShape>,
    /// Each amount's day, for customers' trend: the window and the as-of
    /// day (see `Partials::with_trend`).
    pub trend: Option<(crate::aggregate::potential::Span, Option<chrono::NaiveDate>)>,
}

/// A bucket of the deal store on the fast path: its amounts, and its
/// largest deal as (millionths, day number, customer id).
#[derive(Default)]
struct FastBucket {
    amounts: Amounts,
    top: Option<(i128, i32, u32)>,
}

/// The result of a fast read.
pub enum Outcome {
    Done(Box<Output>),
    /// The file needs the general reader; the reason is for --verbose.
    Abandoned(String),
}

pub struct Output {
    pub partials: Partials,
    pub accounting: RowAccounting,
    /// Rejected rows, in file order, with their original fields.
    pub errors: Vec<(RowError, Vec<String>)>,
    /// True when reading stopped early at bad rows.
    pub stopped: bool,
    /// What was counted and left out.
    pub tally: Tally,
}

impl Plan {
    /// The file's columns, as the general reader would hand them to its sink.
    pub fn columns(&self) -> &ColumnMap {
        &self.map
    }
}

/// Decide whether `path` can take the fast path, and how.
pub fn plan(path: &str, input: &InputOptions, required: &[Field]) -> Result<Option<Plan>, Error> {
    if path == "-" || source::detect_format(path, b"") != InputFormat::Csv || input.read.timezone.is_some() {
        return Ok(None);
    }
    if input.encoding.is_some_and(|e| e != source::Encoding::Utf8)
        || input.rejects.is_some()
        || input.read.drop_duplicate_rows
    {
        return Ok(None);
    }
    // Only a regular file is read twice (once here, once to parse) and in
    // parallel: a pipe, a FIFO or a terminal is read once, by the general
    // reader. Checked before opening: opening a FIFO waits for a writer.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    let Ok(mut file) = File::open(path) else { return Ok(None) };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if (&mut file).take(SNIFF_BYTES as u64).read_to_end(&mut head).is_err() {
        return Ok(None);
    }
    let bom = if head.starts_with(&[0xef, 0xbb, 0xbf]) { 3 } else { 0 };
    let text = &head[bom..];
    let ok_utf8 = match std::str::from_utf8(text) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if head.starts_with(&[0x1f, 0x8b]) || !ok_utf8 || source::detect_format(path, text) != InputFormat::Csv {
        return Ok(None);
    }
    // NUL bytes (UTF-16 without a byte order mark, or not text) and CR-only
    // line ends (old Mac Excel) take the general path.
    if memchr::memchr(0, text).is_some() {
        return Ok(None);
    }
    if memchr::memchr(b'\r', text).is_some() && !text.windows(2).any(|w| w == b"\r\n") {
        return Ok(None);
    }
    let Some(last_nl) = memchr::memrchr(b'\n', text) else { return Ok(None) };
    let sample = &text[..=last_nl];
    let sep = crate::load::csv::sep_line(sample);
    let delimiter = input.delimiter.or(sep.map(|s| s.0)).unwrap_or_else(|| crate::load::csv::sniff_delimiter(text));
    let name = source::display_name(path);

    // The same record reader as the general path, so that the header and
    // the rows that settle the styles are the same records.
    let mut reader = Records::new(sample, delimiter);
    let mut record = Record::default();
    if sep.is_some() && !matches!(reader.read(&mut record), Ok(true)) {
        return Ok(None);
    }
    let mut headers: Vec<String> = loop {
        match reader.read(&mut record) {
            Ok(true) if record.is_blank() => continue,
            Ok(true) => match record.iter().map(|f| std::str::from_utf8(f).map(String::from)).collect() {
                Ok(h) => break h,
                Err(_) => return Ok(None),
            },
            _ => return Ok(None),
        }
    };
    crate::load::csv::check_header(&name, record.line, &mut headers)?;
    let data_start = reader.consumed();
    // The first rows, as the general reader's recognition sees them.
    let mut head: Vec<Record> = Vec::new();
    loop {
        match reader.read(&mut record) {
            Ok(true) => head.push(record.clone()),
            Ok(false) => break,
            Err(RecordError::Runaway { .. }) => continue,
            Err(_) => break,
        }
    }
    let head_rows: Vec<Vec<String>> = head
        .iter()
        .take(crate::load::recognize::SAMPLE_ROWS)
        .map(|r| r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect())
        .collect();
    let recognized = crate::load::recognize::recognize(&headers, &head_rows, &input.columns, required, &input.read)
        .map_err(|message| Error::File { path: name.clone(), message })?;
    // A layout, an amount made from columns, or anything to say about how
    // the file is read: the general reader does it.
    if !recognized.recipe.is_plain() || !recognized.notes.is_empty() {
        return Ok(None);
    }
    let map = recognized.map;
    // Order lines, explain's segments and id columns (whose duplicates are
    // counted) take the general reader.
    // Statuses are classed by the general reader, so that one place decides
    // which statuses count.
    if map.get(Field::Order).is_some()
        || map.get(Field::Segment).is_some()
        || map.get(Field::Id).is_some()
        || map.get(Field::Status).is_some()
    {
        return Ok(None);
    }
    let header_lines = sample[..data_start as usize].iter().filter(|b| **b == b'\n').count() as u64;
    let (amount_i, date_i) = (map.get(Field::Amount).expect("required"), map.get(Field::Date).expect("required"));
    let width = headers.len();

    // Settle the column styles from the sample, as the general reader
    // would: only from rows it reads (not blank, not ragged, not a runaway
    // quote), and only from values that parse in the style they show.
    let mut decimal = input.read.decimal.map(|d| (d, None));
    let mut date_order = input.read.date_order;
    for record in &head {
        let line = record.line;
        let Ok(fields) = record.iter().map(std::str::from_utf8).collect::<Result<Vec<&str>, _>>() else { break };
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut n = fields.len();
        while n > width && fields[n - 1].trim().is_empty() {
            n -= 1;
        }
        if n != width {
            continue;
        }
        // Two-digit years are said on stderr by the general reader.
        if date::has_two_digit_year(fields[date_i]) {
            return Ok(None);
        }
        if decimal.is_some() && date_order.is_some() {
            continue;
        }
        let (shown_decimal, shown_order) = crate::load::rows::row_evidence(fields[amount_i], fields[date_i], false);
        if decimal.is_none() {
            if let Some(style) = shown_decimal {
                decimal = Some((style, Some((fields[amount_i].trim().to_string(), line))));
            }
        }
        if date_order.is_none() {
            date_order = shown_order;
        }
    }
    Ok(Some(Plan {
        path: path.to_string(),
        name,
        delimiter,
        data_start: data_start + bom as u64,
        header_lines,
        width,
        amount: amount_i,
        date: date_i,
        customer: map.get(Field::Customer),
        seller: map.get(Field::Seller),
        currency: map.get(Field::Currency),
        map,
        decimal,
        date_order,
    }))
}

/// A block of whole records and its place in the file.
struct Block {
    index: usize,
    bytes: Vec<u8>,
}

/// What a worker learned from one block.
struct BlockDone {
    index: usize,
    lines: u64,
    /// (line within the block, error, fields)
    errors: Vec<(u64, RowError, Vec<String>)>,
    abandon: Option<String>,
}

/// Where a worker accumulates, chosen by the shape of the report so that
/// the common reports touch as little memory per row as possible.
enum Cells {
    /// No groups and no currency column: one accumulator per period, in an
    /// array indexed by the period's key.
    Periods { first: i64, accs: Vec<Acc> },
    /// One name column over the whole selection, no currency column and no
    /// name filter: the accumulator sits in the name table's entry, so a
    /// row costs one lookup (a customer report over tens of thousands of
    /// customers used to miss the cache twice per row), and rows are added
    /// in batches (see [`NameTable`]). Names longer than 31 bytes or with
    /// doubled quotes go to `long`.
    Names { short: NameTable, long: FoldMap<Box<[u8]>, Acc>, batch: Vec<Short>, amounts: Vec<i128> },
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

/// How many accumulators `Cells::Grid` may hold (96 MiB) before it moves
/// to a map if fewer than a third of them have deals. Early in a file the
/// arrays are sparse however full they end up, so only size decides first.
const GRID_SLOTS: usize = 1 << 22;

/// A name's accumulators per period in `Cells::Grid`, from period `first` on.
#[derive(Default)]
struct Span {
    first: i64,
    accs: Vec<Acc>,
}

/// `Cells::Grid`'s accumulators as `Cells::General`'s map (the grid's
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

/// Rows waiting for their names to be looked up together: the (customer,
/// seller) short names, the (sum, y, m, d) of each, and room for the names
/// as two lists.
struct Pending {
    names: Vec<(Short, Short)>,
    rows: Vec<(i128, i32, u32, u32)>,
    keys: [[Short; BATCH]; 2],
}

impl Default for Pending {
    fn default() -> Pending {
        Pending { names: Vec::with_capacity(BATCH), rows: Vec::with_capacity(BATCH), keys: [[Short::EMPTY; BATCH]; 2] }
    }
}

/// A view's cell on the fast path. Its amounts are `A`: inline in the
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
            let amount = normalized_decimal(sum, SCALE).expect("a parsed amount fits a decimal");
            match day {
                None => store.push(amount),
                Some(day) => store.push_on(amount, day),
            }
        }
    }
}

impl Cells {
    fn new(period: Period, by: &[Dimension], plan: &Plan, filter: &Filter) -> Cells {
        let no_name_filter = filter.customers.is_empty() && filter.sellers.is_empty();
        match by {
            [] if plan.currency.is_none() => Cells::Periods { first: 0, accs: Vec::new() },
            [Dimension::Customer | Dimension::Seller]
                if period == Period::All && plan.currency.is_none() && no_name_filter =>
            {
                Cells::Names {
                    short: NameTable::default(),
                    long: fold_map(),
                    batch: Vec::with_capacity(BATCH),
                    amounts: Vec::with_capacity(BATCH),
                }
            }
            [Dimension::Customer | Dimension::Seller] if plan.currency.is_none() => {
                Cells::Grid { spans: Vec::new(), slots: 0, filled: 0 }
            }
            _ => Cells::General(FxHashMap::default()),
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

/// A tidy name from a field's raw bytes (unescaping doubled quotes once).
fn tidy(raw: &[u8], escaped: bool) -> String {
    let mut name = String::new();
    tidy_into(raw, escaped, &mut name);
    name
}

/// `tidy` into a buffer the caller reuses.
fn tidy_into(raw: &[u8], escaped: bool, name: &mut String) {
    let text = std::str::from_utf8(raw).unwrap_or("");
    if escaped {
        clean_name(&text.replace("\"\"", "\""), name);
    } else {
        clean_name(text, name);
    }
}

/// The key of a raw name in the tables of longer names: names quoted with
/// doubled quotes end in a 0 byte, apart from the same bytes written plainly.
fn long_key(raw: &[u8], escaped: bool) -> Vec<u8> {
    let mut key = raw.to_vec();
    if escaped {
        key.push(0);
    }
    key
}

type FoldMap<K, V = u32> = HashMap<K, V, foldhash::fast::FixedState>;

fn fold_map<K, V>() -> FoldMap<K, V> {
    FoldMap::with_hasher(foldhash::fast::FixedState::default())
}

/// Raw bytes -> small id, with the tidied name kept once per id. Id 0 is
/// the empty name (a column the input does not have).
struct Interner {
    /// Names of up to 31 bytes written plainly, looked up one at a time or
    /// in batches (see [`IdTable`]).
    short: IdTable,
    /// Longer names, and names that were quoted with doubled quotes (their
    /// key ends in a 0 byte, apart from the same bytes written plainly).
    long: FoldMap<Box<[u8]>>,
    names: Vec<String>,
    /// What a blank name is shown as (`(no customer)`), or empty.
    blank: &'static str,
}

impl Default for Interner {
    fn default() -> Interner {
        Interner::with_blank("")
    }
}

impl Interner {
    fn with_blank(blank: &'static str) -> Interner {
        let mut short = IdTable::default();
        short.id(&Short::new(b"").expect("empty fits"), || 0);
        Interner { short, long: fold_map(), names: vec![blank.to_string()], blank }
    }
}

/// Tidy a new name and give it the next id.
fn new_name(names: &mut Vec<String>, blank: &str, raw: &[u8], escaped: bool) -> u32 {
    let name = tidy(raw, escaped);
    names.push(if name.is_empty() { blank.to_string() } else { name });
    (names.len() - 1) as u32
}

impl Interner {
    /// The id of the field `b[start..end]`; `escaped` when it was quoted
    /// with doubled quotes inside (then the name is unescaped once).
    #[inline]
    fn id(&mut self, b: &[u8], (start, end, escaped): (usize, usize, bool)) -> u32 {
        let raw = &b[start..end];
        if !escaped {
            if let Some(k) = Short::from_field(b, start, end) {
                let (names, blank) = (&mut self.names, self.blank);
                return self.short.id(&k, || new_name(names, blank, raw, false));
            }
        }
        let key = long_key(raw, escaped);
        if let Some(&id) = self.long.get(key.as_slice()) {
            return id;
        }
        let id = new_name(&mut self.names, self.blank, raw, escaped);
        self.long.insert(key.into_boxed_slice(), id);
        id
    }

    /// The ids of a batch of short names written plainly.
    #[inline]
    fn short_ids(&mut self, keys: &[Short], out: &mut [u32]) {
        let (names, blank) = (&mut self.names, self.blank);
        self.short.ids(keys, out, |k| new_name(names, blank, k.as_bytes(), false));
    }

    /// The id of a name by its raw bytes as `id` keys them (`long_key` for
    /// long ones), for taking in another worker's ids.
    fn id_of_key(&mut self, key: &[u8], escaped: bool) -> u32 {
        match Short::new(key).filter(|_| !escaped) {
            Some(k) => {
                let (names, blank) = (&mut self.names, self.blank);
                self.short.id(&k, || new_name(names, blank, key, false))
            }
            None => {
                let lk = long_key(key, escaped);
                if let Some(&id) = self.long.get(lk.as_slice()) {
                    return id;
                }
                let id = new_name(&mut self.names, self.blank, key, escaped);
                self.long.insert(lk.into_boxed_slice(), id);
                id
            }
        }
    }

    /// This interner's id of each of `other`'s ids (made when new).
    fn remap(&mut self, other: &Interner) -> Vec<u32> {
        let mut remap = vec![0u32; other.names.len()];
        for (id, key, escaped) in other.keys() {
            remap[id as usize] = self.id_of_key(&key, escaped);
        }
        remap
    }

    /// Every id's key as (raw bytes, escaped), for `id_of_key`.
    fn keys(&self) -> Vec<(u32, Vec<u8>, bool)> {
        let mut out: Vec<(u32, Vec<u8>, bool)> =
            self.short.iter().map(|(k, id)| (id, k.as_bytes().to_vec(), false)).collect();
        for (k, id) in &self.long {
            match k.strip_suffix(&[0]) {
                Some(raw) => out.push((*id, raw.to_vec(), true)),
                None => out.push((*id, k.to_vec(), false)),
            }
        }
        out
    }
}

/// One worker's state across blocks.
struct Worker<'p> {
    plan: &'p Plan,
    period: Period,
    by: Vec<Dimension>,
    filter: &'p Filter,
    customers: Interner,
    sellers: Interner,
    currencies: Interner,
    /// Per interned id: does the filter keep it?
    keep_customer: Vec<bool>,
    keep_seller: Vec<bool>,
    cells: Cells,
    view: ViewNeeds,
    /// With `view.latest`: the two latest periods seen (older cells dropped).
    latest: Option<Latest>,
    /// With `view.deals`: (value id, currency id, period) -> bucket.
    deals: Option<FxHashMap<(u32, u32, i64), FastBucket>>,
    accounting: RowAccounting,
    tally: Tally,
    /// Credit notes left out: their sum in millionths, per currency id.
    credit_sums: Vec<i128>,
    /// Which names this run looks at (the others are not even interned).
    need_customer: bool,
    need_seller: bool,
    fields: Vec<(usize, usize, bool)>,
    /// Rows are added in batches (see `flush`): a name column is grouped
    /// by and there is no currency column.
    batching: bool,
    pending: Pending,
}

enum Parsed {
    Ok { sum: i128, y: i32, m: u32, d: u32 },
    Bad(Field, String),
}

/// `-?digits(sep digits)?` with at most the allowed digits, as an integer
/// in millionths; `None` for anything else.
#[inline]
pub fn fast_amount(b: &[u8], sep: u8) -> Option<i128> {
    /// 10^(6 - decimals).
    const SCALE_UP: [u64; 7] = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
    let neg = b.first() == Some(&b'-');
    let b = &b[usize::from(neg)..];
    // Wrapping: a too long number is refused by its length below, and its
    // value is never used. At most 13 + 6 digits fit a u64 in millionths.
    let digits = |from: usize, v: &mut u64| -> usize {
        let mut i = from;
        while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|d| *d < 10) {
            *v = v.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        i
    };
    let mut v = 0u64;
    let int_end = digits(0, &mut v);
    if !(1..=MAX_INTEGER_DIGITS).contains(&int_end) {
        return None;
    }
    let frac_len = match b.get(int_end) {
        None => 0,
        Some(&c) if c == sep => {
            let end = digits(int_end + 1, &mut v);
            if end != b.len() {
                return None;
            }
            end - int_end - 1
        }
        Some(_) => return None,
    };
    if int_end + 1 == b.len() || frac_len > MAX_DECIMALS {
        return None;
    }
    let v = i128::from(v * SCALE_UP[frac_len]);
    Some(if neg { -v } else { v })
}

/// `YYYY-MM-DD` as numbers, checked to be a real day in the allowed years.
#[inline]
pub fn fast_date(b: &[u8]) -> Option<(i32, u32, u32)> {
    let b: &[u8; 10] = b.try_into().ok()?;
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digit = |i: usize| u32::from(b[i].wrapping_sub(b'0'));
    let digits = [digit(0), digit(1), digit(2), digit(3), digit(5), digit(6), digit(8), digit(9)];
    if digits.iter().any(|&d| d > 9) {
        return None;
    }
    let [y0, y1, y2, y3, m0, m1, d0, d1] = digits;
    let (y, m, d) = ((y0 * 1000 + y1 * 100 + y2 * 10 + y3) as i32, m0 * 10 + m1, d0 * 10 + d1);
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !YEARS.contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let leap = m == 2 && (y % 4 == 0 && y % 100 != 0 || y % 400 == 0);
    (d <= DAYS[m as usize - 1] + u32::from(leap)).then_some((y, m, d))
}

impl<'p> Worker<'p> {
    /// A worker for a view that needs days or amounts kept (see [`ViewNeeds`]).
    fn for_view(mut self, view: ViewNeeds) -> Worker<'p> {
        if view.latest {
            self.latest = Some(Latest::default());
        }
        if view.deals.is_some() {
            self.deals = Some(FxHashMap::default());
            // The largest deal is named by its customer.
            self.need_customer = true;
            if matches!(self.cells, Cells::Names { .. }) {
                self.cells = Cells::General(FxHashMap::default());
            }
        }
        if view.latest && matches!(self.cells, Cells::Grid { .. }) {
            // Older periods fold into one cell per group there.
            self.cells = Cells::General(FxHashMap::default());
        }
        if view.days || view.amounts.is_some() {
            let by = view.amounts.flatten();
            let dense =
                (self.by.len() == 1 && self.period == Period::All && self.plan.currency.is_none()).then(Vec::new);
            self.cells = Cells::Views { cells: FxHashMap::default(), dense, by, by_value: FxHashMap::default() };
        }
        self.view = view;
        self.batching = (self.need_customer || self.need_seller)
            && self.plan.currency.is_none()
            && !matches!(self.cells, Cells::Names { .. });
        self
    }

    fn new(plan: &'p Plan, period: Period, by: &[Dimension], filter: &'p Filter) -> Worker<'p> {
        let cells = Cells::new(period, by, plan, filter);
        let names_table = matches!(cells, Cells::Names { .. });
        Worker {
            plan,
            period,
            by: by.to_vec(),
            filter,
            customers: Interner::with_blank(NO_CUSTOMER),
            sellers: Interner::with_blank(NO_SELLER),
            currencies: Interner::default(),
            keep_customer: Vec::new(),
            keep_seller: Vec::new(),
            cells,
            view: ViewNeeds::default(),
            latest: None,
            deals: None,
            accounting: RowAccounting::default(),
            tally: Tally::default(),
            credit_sums: Vec::new(),
            need_customer: by.contains(&Dimension::Customer) || !filter.customers.is_empty(),
            need_seller: by.contains(&Dimension::Seller) || !filter.sellers.is_empty(),
            fields: Vec::with_capacity(16),
            batching: (by.contains(&Dimension::Customer) || by.contains(&Dimension::Seller))
                && plan.currency.is_none()
                && !names_table,
            pending: Pending::default(),
        }
    }

    /// Split a record from the block's structural positions (in a block
    /// whose carriage returns all end lines), quoted fields included: many
    /// exports quote every field. `None` when the record needs the
    /// quote-aware splitter's judgement (a quote inside a field, text after
    /// a closing quote, a quote never closed, a carriage return in quotes).
    #[inline]
    fn split_plain(&mut self, b: &[u8], pos: usize, at: &mut Structurals<'_>) -> Option<(usize, u64)> {
        self.fields.clear();
        let mut start = pos;
        let mut lines = 0;
        loop {
            let Some(j) = at.next_pos() else {
                self.fields.push((start, b.len(), false));
                return Some((b.len(), lines));
            };
            match b[j] {
                b'\n' => {
                    let end = if j > start && b[j - 1] == b'\r' { j - 1 } else { j };
                    self.fields.push((start, end, false));
                    return Some((j + 1, lines + 1));
                }
                b'"' if j == start => {
                    // A quoted field: delimiters and line breaks up to the
                    // closing quote are text; a doubled quote is one quote.
                    let mut escaped = false;
                    let end = loop {
                        let k = at.next_pos()?;
                        match b[k] {
                            b'"' if b.get(k + 1) == Some(&b'"') => {
                                escaped = true;
                                at.next_pos();
                            }
                            b'"' => break k,
                            b'\n' if b[k - 1] == b'\r' => return None,
                            b'\n' => lines += 1,
                            _ => {}
                        }
                    };
                    self.fields.push((j + 1, end, escaped));
                    let after = end + 1;
                    match b.get(after) {
                        None => return Some((after, lines)),
                        Some(b'\r') if b.get(after + 1) == Some(&b'\n') => {
                            at.next_pos();
                            return Some((after + 2, lines + 1));
                        }
                        Some(b'\n') => {
                            at.next_pos();
                            return Some((after + 1, lines + 1));
                        }
                        Some(&c) if c == self.plan.delimiter => {
                            at.next_pos();
                            start = after + 1;
                        }
                        Some(_) => return None,
                    }
                }
                b'"' => return None,
                _ => {
                    self.fields.push((start, j, false));
                    start = j + 1;
                }
            }
        }
    }

    /// Split the record at `pos` into `self.fields`; returns the next
    /// position and the line breaks passed, or why the general reader must
    /// take over.
    fn split(&mut self, b: &[u8], mut pos: usize) -> Result<(usize, u64), String> {
        let delim = self.plan.delimiter;
        self.fields.clear();
        let mut newlines = 0u64;
        loop {
            if pos < b.len() && b[pos] == b'"' {
                let start = pos + 1;
                let mut j = start;
                let mut escaped = false;
                let end = loop {
                    let Some(k) = memchr::memchr(b'"', &b[j..]).map(|k| j + k) else {
                        return Err("a quoted field is never closed".into());
                    };
                    if b.get(k + 1) == Some(&b'"') {
                        escaped = true;
                        j = k + 2;
                    } else {
                        break k;
                    }
                };
                newlines += memchr::memchr_iter(b'\n', &b[start..end]).count() as u64;
                if memchr::memchr(b'\r', &b[start..end]).is_some() {
                    return Err("a quoted field holds a carriage return".into());
                }
                self.fields.push((start, end, escaped));
                let after = end + 1;
                match b.get(after) {
                    None => return Ok((after, newlines)),
                    Some(&c) if c == delim => pos = after + 1,
                    Some(b'\n') => return Ok((after + 1, newlines + 1)),
                    Some(b'\r') if b.get(after + 1) == Some(&b'\n') => return Ok((after + 2, newlines + 1)),
                    Some(_) => return Err("text follows a closing quote".into()),
                }
            } else {
                let e = memchr::memchr3(delim, b'\n', b'\r', &b[pos..]).map_or(b.len(), |k| pos + k);
                self.fields.push((pos, e, false));
                match b.get(e) {
                    None => return Ok((e, newlines)),
                    Some(&c) if c == delim => pos = e + 1,
                    Some(b'\n') => return Ok((e + 1, newlines + 1)),
                    Some(b'\r') if b.get(e + 1) == Some(&b'\n') => return Ok((e + 2, newlines + 1)),
                    Some(_) => return Err("a carriage return inside a line".into()),
                }
            }
        }
    }

    fn field<'b>(b: &'b [u8], f: (usize, usize, bool)) -> std::borrow::Cow<'b, str> {
        let s = std::str::from_utf8(&b[f.0..f.1]).expect("the block is valid UTF-8");
        if f.2 { std::borrow::Cow::Owned(s.replace("\"\"", "\"")) } else { std::borrow::Cow::Borrowed(s) }
    }

    fn parse(&self, b: &[u8]) -> Result<Parsed, String> {
        let plan = self.plan;
        // A date that waits for the column's order makes its row wait in the
        // general reader whatever the amount holds: give up first.
        let raw_date = &b[self.fields[plan.date].0..self.fields[plan.date].1];
        if plan.date_order.is_none() && fast_date(raw_date).is_none() {
            let raw = Self::field(b, self.fields[plan.date]);
            if date::evidence(&raw).is_some() || date::is_ambiguous(&raw) {
                return Err("the dates' day/month order is settled only later in the file".into());
            }
        }
        let raw_amount = &b[self.fields[plan.amount].0..self.fields[plan.amount].1];
        let (style, decided_by) = match &plan.decimal {
            Some((s, by)) => (*s, by.as_ref()),
            None => {
                if raw_amount.iter().any(|c| *c == b'.' || *c == b',') {
                    return Err("the amounts' decimal separator is settled only later in the file".into());
                }
                (DecimalStyle::Point, None)
            }
        };
        let sep = if style == DecimalStyle::Point { b'.' } else { b',' };
        let sum = match fast_amount(raw_amount, sep).filter(|_| !self.fields[plan.amount].2) {
            Some(v) => v,
            None => {
                let raw = Self::field(b, self.fields[plan.amount]);
                if let (Some(_), Some(seen)) = (decided_by, amount::evidence(&raw)) {
                    if seen != style {
                        // The general reader settles the style as it
                        // reads: a row before the one that settled it is
                        // at fault for another reason, or for none. It
                        // says which.
                        return Err("an amount's decimal separator disagrees with the column's".into());
                    }
                }
                match amount::parse_amount_currency(&raw, style) {
                    // The currency is the deal's: the general reader
                    // checks it against the currency column.
                    Ok((_, Some(_))) => return Err("an amount names its currency".into()),
                    Ok((d, None)) => d.mantissa() * 10i128.pow(SCALE - d.scale()),
                    Err(e) => return Ok(Parsed::Bad(Field::Amount, e.to_string())),
                }
            }
        };
        let raw_date = &b[self.fields[plan.date].0..self.fields[plan.date].1];
        let (y, m, d) = match fast_date(raw_date) {
            Some(t) => t,
            None => {
                let raw = Self::field(b, self.fields[plan.date]);
                if plan.date_order.is_none() && (date::evidence(&raw).is_some() || date::is_ambiguous(&raw)) {
                    return Err("the dates' day/month order is settled only later in the file".into());
                }
                match date::parse_date(&raw, plan.date_order) {
                    Ok(nd) => {
                        use chrono::Datelike;
                        (nd.year(), nd.month(), nd.day())
                    }
                    Err(e) => return Ok(Parsed::Bad(Field::Date, e.to_string())),
                }
            }
        };
        Ok(Parsed::Ok { sum, y, m, d })
    }

    fn keep(keep: &mut Vec<bool>, names: &Interner, id: u32, filter: &Filter, seller: bool) -> bool {
        while keep.len() <= id as usize {
            let n = &names.names[keep.len()];
            keep.push(filter.keeps_name(seller, n));
        }
        keep[id as usize]
    }

    /// Parse one block; errors carry their line within the block.
    fn block(&mut self, b: &[u8], skip_bad_rows: bool, stop: &Stop) -> BlockDone {
        let mut done = BlockDone { index: 0, lines: 0, errors: Vec::new(), abandon: None };
        if simdutf8::basic::from_utf8(b).is_err() {
            done.abandon = Some("a value is not valid UTF-8".into());
            return done;
        }
        let plan = self.plan;
        let plain_block = memchr::memchr_iter(b'\r', b).all(|i| b.get(i + 1) == Some(&b'\n'));
        let mut at = Structurals::new(b, [plan.delimiter, b'\n', b'"']);
        let mut pos = 0;
        let mut lines = 0u64;
        while pos < b.len() {
            let line = lines + 1;
            let plain = if plain_block { self.split_plain(b, pos, &mut at) } else { None };
            let (next, passed) = match plain.map_or_else(|| self.split(b, pos), Ok) {
                Ok(x) => x,
                Err(why) => {
                    done.abandon = Some(why);
                    return done;
                }
            };
            if plain.is_none() && plain_block {
                at.seek(next);
            }
            pos = next;
            lines += passed;
            if self.fields.iter().all(|&(s, e, _)| crate::load::records::blank(&b[s..e])) {
                continue; // a blank line, or a row of empty fields
            }
            let mut n = self.fields.len();
            while n > plan.width && crate::load::records::blank(&b[self.fields[n - 1].0..self.fields[n - 1].1]) {
                n -= 1;
            }
            self.accounting.read += 1;
            let bad = if n != plan.width {
                Some((None, format!("the row has {n} fields but the header has {}", plan.width)))
            } else {
                match self.parse(b) {
                    Err(why) => {
                        done.abandon = Some(why);
                        return done;
                    }
                    Ok(Parsed::Bad(_, _)) if self.screened_out(b) => None,
                    Ok(Parsed::Bad(field, reason)) => Some((Some(field), reason)),
                    Ok(Parsed::Ok { sum, y, m, d }) => {
                        self.add(b, sum, y, m, d);
                        None
                    }
                }
            };
            if let Some((field, reason)) = bad {
                self.accounting.rejected += 1;
                let column = field.map(|f| plan.map.header(f).to_string());
                let fields = self.fields.iter().map(|f| Self::field(b, *f).into_owned()).collect();
                done.errors.push((line, RowError { file: plan.name.clone(), line: 0, column, reason }, fields));
                // Enough bad rows to stop: the first five in file order are
                // in this block or the blocks before it, which all finish.
                if !skip_bad_rows && done.errors.len() >= crate::error::SHOWN_BAD_ROWS {
                    break;
                }
            }
        }
        self.flush();
        if !skip_bad_rows && !done.errors.is_empty() {
            let seen = stop.bad.fetch_add(done.errors.len(), Ordering::Relaxed) + done.errors.len();
            if seen >= crate::error::SHOWN_BAD_ROWS {
                stop.now.store(true, Ordering::Relaxed);
            }
        }
        done.lines = lines;
        done
    }

    /// Whether the customer and seller filters keep these interned names;
    /// a row they leave out is counted as filtered out.
    fn names_kept(&mut self, customer: u32, seller: u32) -> bool {
        let f = self.filter;
        if !f.customers.is_empty() && !Self::keep(&mut self.keep_customer, &self.customers, customer, f, false) {
            self.tally.by_customer += 1;
            self.accounting.filtered += 1;
            return false;
        }
        if !f.sellers.is_empty() && !Self::keep(&mut self.keep_seller, &self.sellers, seller, f, true) {
            self.tally.by_seller += 1;
            self.accounting.filtered += 1;
            return false;
        }
        true
    }

    /// A row whose amount or date cannot be read: whether a filter leaves
    /// it out anyway (by its names, or by a date that can be read), as the
    /// general reader decides. Counted as filtered out when so.
    fn screened_out(&mut self, b: &[u8]) -> bool {
        let plan = self.plan;
        let raw = |i: Option<usize>| i.map_or((0, 0, false), |i| self.fields[i]);
        let customer = if self.need_customer { self.customers.id(b, raw(plan.customer)) } else { 0 };
        let seller = if self.need_seller { self.sellers.id(b, raw(plan.seller)) } else { 0 };
        if !self.names_kept(customer, seller) {
            return true;
        }
        let f = self.filter;
        if f.from.is_none() && f.to.is_none() {
            return false;
        }
        let raw_date = &b[self.fields[plan.date].0..self.fields[plan.date].1];
        let day = match fast_date(raw_date) {
            Some((y, m, d)) => chrono::NaiveDate::from_ymd_opt(y, m, d),
            None => date::parse_date(&Self::field(b, self.fields[plan.date]), plan.date_order).ok(),
        };
        if day.is_some_and(|day| !f.keeps_date(day)) {
            self.tally.by_date += 1;
            self.accounting.filtered += 1;
            return true;
        }
        false
    }

    fn add(&mut self, b: &[u8], sum: i128, y: i32, m: u32, d: u32) {
        let plan = self.plan;
        let f = self.filter;
        // (start, end, escaped) of a column's field; an empty field for a
        // column the input does not have.
        let raw = |i: Option<usize>| i.map_or((0, 0, false), |i| self.fields[i]);
        if !matches!(self.cells, Cells::Names { .. }) {
            let (raw_customer, raw_seller) = (raw(plan.customer), raw(plan.seller));
            if self.batching {
                // Short plain names wait in a batch whose names are looked
                // up together (see `flush`).
                let short = |need: bool, (start, end, escaped): (usize, usize, bool)| {
                    if !need { Some(Short::EMPTY) } else { Short::from_field(b, start, end).filter(|_| !escaped) }
                };
                if let (Some(c), Some(s)) =
                    (short(self.need_customer, raw_customer), short(self.need_seller, raw_seller))
                {
                    self.pending.names.push((c, s));
                    self.pending.rows.push((sum, y, m, d));
                    if self.pending.rows.len() == BATCH {
                        self.flush();
                    }
                    return;
                }
            }
            let customer = if self.need_customer { self.customers.id(b, raw_customer) } else { 0 };
            let seller = if self.need_seller { self.sellers.id(b, raw_seller) } else { 0 };
            let currency = match plan.currency {
                None => 0,
                Some(_) => self.currencies.id(b, raw(plan.currency)),
            };
            self.add_ids(customer, seller, currency, sum, y, m, d);
            return;
        }
        let in_range =
            f.from.is_none_or(|from| (y, m, d) >= (from_ymd(from))) && f.to.is_none_or(|to| (y, m, d) <= from_ymd(to));
        if !in_range {
            self.tally.by_date += 1;
            self.accounting.filtered += 1;
            return;
        }
        if sum < 0 {
            if !f.include_credits {
                // A per-name table is only made without a currency column.
                if self.credit_sums.is_empty() {
                    self.credit_sums.resize(1, 0);
                }
                self.credit_sums[0] += sum;
                self.tally.credits += 1;
                self.accounting.filtered += 1;
                return;
            }
            self.tally.credits_counted += 1;
        }
        if let Cells::Names { short, long, batch, amounts } = &mut self.cells {
            self.tally.counted += 1;
            self.accounting.used += 1;
            let column = if self.by[0] == Dimension::Customer { plan.customer } else { plan.seller };
            let (start, end, escaped) = raw(column);
            match Short::from_field(b, start, end).filter(|_| !escaped) {
                Some(k) => {
                    batch.push(k);
                    amounts.push(sum);
                    if batch.len() == BATCH {
                        short.flush(batch, amounts);
                    }
                }
                None => long.entry(long_key(&b[start..end], escaped).into_boxed_slice()).or_default().add(sum),
            }
        }
    }

    /// Add the rows waiting in the batch: their names looked up together,
    /// then their cells touched together, then each row added.
    fn flush(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        let n = pending.rows.len();
        if n == 0 {
            self.pending = pending;
            return;
        }
        let mut customers = [0u32; BATCH];
        let mut sellers = [0u32; BATCH];
        for (i, (c, s)) in pending.names.iter().enumerate() {
            pending.keys[0][i] = *c;
            pending.keys[1][i] = *s;
        }
        if self.need_customer {
            self.customers.short_ids(&pending.keys[0][..n], &mut customers);
        }
        if self.need_seller {
            self.sellers.short_ids(&pending.keys[1][..n], &mut sellers);
        }
        // Touch each row's cell first: the loads overlap.
        let mut touched = 0u64;
        let ids = if self.by.first() == Some(&Dimension::Seller) { &sellers } else { &customers };
        match &self.cells {
            Cells::Grid { spans, .. } => {
                for (id, &(_, y, m, d)) in ids[..n].iter().zip(&pending.rows) {
                    let key = self.period.key_ymd(y, m, d).0;
                    if let Some(s) = spans.get(*id as usize) {
                        if let Some(a) = usize::try_from(key - s.first).ok().and_then(|i| s.accs.get(i)) {
                            touched ^= a.deals;
                        }
                    }
                }
            }
            Cells::Views { dense: Some(dense), .. } => {
                for id in &ids[..n] {
                    if let Some(Some(c)) = dense.get(*id as usize) {
                        touched ^= c.acc.deals;
                    }
                }
            }
            Cells::General(cells) => {
                // A guess of the key `add_ids` will use (its period may be
                // folded into OLDER there): a wrong guess only misses.
                let floor = self.latest.and_then(|l| l.floor());
                let pick = |i: usize, dim: Option<&Dimension>| match dim {
                    Some(Dimension::Customer) => customers[i],
                    Some(Dimension::Seller) => sellers[i],
                    _ => 0,
                };
                let deals = self.deals.as_ref().zip(self.view.deals.map(|(by, _)| by));
                for (i, &(_, y, m, d)) in pending.rows.iter().enumerate() {
                    let key = self.period.key_ymd(y, m, d).0;
                    let key = if floor.is_some_and(|f| key < f) { OLDER } else { key };
                    if let Some(acc) = cells.get(&(pick(i, self.by.first()), pick(i, self.by.get(1)), 0, key)) {
                        touched ^= acc.deals;
                    }
                    if let Some((deals, by)) = deals {
                        let value = by.map_or(0, |b| pick(i, self.by.get(b)));
                        if let Some(b) = deals.get(&(value, 0, key)) {
                            touched ^= b.amounts.len() as u64;
                        }
                    }
                }
            }
            _ => {}
        }
        std::hint::black_box(touched);
        for (i, &(sum, y, m, d)) in pending.rows.iter().enumerate() {
            self.add_ids(customers[i], sellers[i], 0, sum, y, m, d);
        }
        pending.names.clear();
        pending.rows.clear();
        self.pending = pending;
    }

    /// Add a row whose names and currency are interned.
    #[allow(clippy::too_many_arguments)]
    fn add_ids(&mut self, customer: u32, seller: u32, currency: u32, sum: i128, y: i32, m: u32, d: u32) {
        let f = self.filter;
        if !self.names_kept(customer, seller) {
            return;
        }
        let in_range =
            f.from.is_none_or(|from| (y, m, d) >= (from_ymd(from))) && f.to.is_none_or(|to| (y, m, d) <= from_ymd(to));
        if !in_range {
            self.tally.by_date += 1;
            self.accounting.filtered += 1;
            return;
        }
        if sum < 0 {
            if !f.include_credits {
                let currency = currency as usize;
                if self.credit_sums.len() <= currency {
                    self.credit_sums.resize(currency + 1, 0);
                }
                self.credit_sums[currency] += sum;
                self.tally.credits += 1;
                self.accounting.filtered += 1;
                return;
            }
            self.tally.credits_counted += 1;
        }
        self.tally.counted += 1;
        self.accounting.used += 1;
        let pick = |dim: Option<&Dimension>| match dim {
            Some(Dimension::Customer) => customer,
            Some(Dimension::Seller) => seller,
            _ => 0,
        };
        let period = self.period.key_ymd(y, m, d).0;
        match &mut self.cells {
            Cells::Periods { first, accs } => dense_at(first, accs, period).add(sum),
            Cells::Grid { spans, slots, filled } => {
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
                    self.cells = Cells::General(grid_cells(std::mem::take(spans)));
                }
            }
            Cells::General(cells) => {
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
            Cells::Views { cells, dense, by, by_value } => {
                let day = crate::aggregate::period::days_from_ce(y, m, d) as i32;
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
            Cells::Names { .. } => unreachable!("handled above"),
        }
        if self.deals.is_some() {
            let value = match self.view.deals.and_then(|(by, _)| by) {
                Some(i) => pick(self.by.get(i)),
                None => 0,
            };
            self.note_deal(value, currency, period, customer, sum, (y, m, d));
        }
    }

    /// Note a deal in the deal store (explain's outliers), unless its period
    /// is older than the two latest kept or outside the ranges asked for.
    fn note_deal(
        &mut self,
        value: u32,
        currency: u32,
        period: i64,
        customer: u32,
        sum: i128,
        (y, m, d): (i32, u32, u32),
    ) {
        let floor = self.latest.and_then(|l| l.floor());
        let only = self.view.deals.and_then(|(_, only)| only);
        if floor.is_some_and(|f| period < f)
            || only.is_some_and(|r| !r.iter().any(|(a, b)| (*a..=*b).contains(&period)))
        {
            return;
        }
        let names = &self.customers.names;
        let Some(deals) = self.deals.as_mut() else { return };
        if let Some(f) = floor {
            if deals.keys().any(|(.., k)| *k < f) {
                deals.retain(|(.., k), _| *k >= f);
            }
        }
        let day = crate::aggregate::period::days_from_ce(y, m, d) as i32;
        let b = deals.entry((value, currency, period)).or_default();
        push_amount(&mut b.amounts, sum, None);
        let larger = match b.top {
            None => true,
            Some((a, dd, c)) => {
                (sum, std::cmp::Reverse(day), std::cmp::Reverse(names[customer as usize].as_str()))
                    > (a, std::cmp::Reverse(dd), std::cmp::Reverse(names[c as usize].as_str()))
            }
        };
        if larger {
            b.top = Some((sum, day, customer));
        }
    }

    /// Take in another worker's per-name table (when both have one);
    /// otherwise hand the worker back.
    fn absorb(&mut self, mut other: Worker<'p>) -> Option<Worker<'p>> {
        match (&mut self.cells, &mut other.cells) {
            (
                Cells::Names { short, long, batch, amounts },
                Cells::Names { short: short2, long: long2, batch: batch2, amounts: amounts2 },
            ) => {
                short.flush(batch, amounts);
                short2.flush(batch2, amounts2);
                short.merge(std::mem::take(short2));
                for (k, acc) in long2.drain() {
                    long.entry(k).or_default().merge(&acc);
                }
                None
            }
            (Cells::Grid { spans, filled, .. }, Cells::Grid { spans: spans2, .. })
                if self.deals.is_none() && other.deals.is_none() =>
            {
                // The other worker's name ids as this one's.
                let seller = self.by[0] == Dimension::Seller;
                let (mine, theirs) =
                    if seller { (&mut self.sellers, &other.sellers) } else { (&mut self.customers, &other.customers) };
                let remap = mine.remap(theirs);
                for (id, span) in std::mem::take(spans2).into_iter().enumerate() {
                    let to = remap[id] as usize;
                    if to >= spans.len() {
                        spans.resize_with(to + 1, Span::default);
                    }
                    let into = &mut spans[to];
                    for (i, acc) in span.accs.iter().enumerate().filter(|(_, acc)| acc.deals > 0) {
                        dense_at(&mut into.first, &mut into.accs, span.first + i as i64).merge(acc);
                    }
                }
                *filled = spans.iter().map(|s| s.accs.iter().filter(|a| a.deals > 0).count()).sum();
                None
            }
            (
                Cells::Views { cells, dense, by, by_value },
                Cells::Views { cells: cells2, dense: dense2, by_value: by_value2, .. },
            ) if self.plan.currency.is_none()
                && self.latest.is_none()
                && self.deals.is_none()
                && other.deals.is_none() =>
            {
                // The other worker's name ids as this one's, then its cells
                // added by id: no partials with string keys made and merged
                // per worker (a million (seller, customer) keys for sellers).
                let customers = self.customers.remap(&other.customers);
                let sellers = self.sellers.remap(&other.sellers);
                let map = |dim: Option<&Dimension>, id: u32| match dim {
                    Some(Dimension::Customer) => customers[id as usize],
                    Some(Dimension::Seller) => sellers[id as usize],
                    _ => id,
                };
                let (d0, d1) = (self.by.first(), self.by.get(1));
                for ((a, b, cur, k), cell) in std::mem::take(cells2) {
                    match cells.entry((map(d0, a), map(d1, b), cur, k)) {
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(cell);
                        }
                        std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().merge(cell),
                    }
                }
                if let (Some(dense), Some(dense2)) = (dense.as_mut(), dense2.take()) {
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
                    for ((v, cur, k), amounts) in std::mem::take(by_value2) {
                        by_value.entry((map(dim, v), cur, k)).or_default().append(amounts);
                    }
                }
                None
            }
            _ => Some(other),
        }
    }

    /// This worker's accumulations as partials with tidy names.
    fn into_partials(mut self) -> Result<Partials, Error> {
        let mut p = view_partials(self.period, self.by.len(), self.view);
        // Room for the groups and the cells at once. A group has a cell per
        // period: over the whole selection as many groups as cells, else
        // (unless the names say how many) the groups' room grows as they come.
        let whole = self.period == Period::All;
        let (groups, cells) = match &self.cells {
            Cells::Periods { accs, .. } => (1, accs.len()),
            Cells::Names { short, long, batch, .. } => {
                let n = short.len() + long.len() + batch.len();
                (n, n)
            }
            Cells::Grid { spans, filled, .. } => (spans.len(), *filled),
            Cells::General(cells) => (if whole { cells.len() } else { 0 }, cells.len()),
            Cells::Views { cells, dense, .. } => {
                let n = cells.len() + dense.as_ref().map_or(0, Vec::len);
                (if whole { n } else { 0 }, n)
            }
        };
        p.reserve(groups, cells);
        let period = self.period;
        let mut add = |group: &[&str], currency: &str, key: i64, acc: &Acc| -> Result<(), Error> {
            let total = normalized_decimal(acc.sum(), SCALE).ok_or_else(|| crate::aggregate::Overflow {
                group: group.join(" / "),
                period: period.label(PeriodKey(key)),
            })?;
            p.add_cell(group, currency, PeriodKey(key), &Partial { deals: acc.deals, total, rows: acc.deals })?;
            Ok(())
        };
        match std::mem::replace(&mut self.cells, Cells::General(FxHashMap::default())) {
            Cells::Periods { first, accs } => {
                for (i, acc) in accs.iter().enumerate().filter(|(_, acc)| acc.deals > 0) {
                    add(&[], "", first + i as i64, acc)?;
                }
            }
            Cells::Names { mut short, long, batch, amounts } => {
                short.add_batch(&batch, &amounts);
                let key = period.key_ymd(2000, 1, 1).0;
                let blank = if self.by[0] == Dimension::Customer { NO_CUSTOMER } else { NO_SELLER };
                let shown = |name: &str| if name.is_empty() { blank.to_string() } else { name.to_string() };
                let mut name = String::new();
                for (raw, acc) in short.iter() {
                    tidy_into(raw, false, &mut name);
                    add(&[&shown(&name)], "", key, acc)?;
                }
                for (k, acc) in &long {
                    let (raw, escaped) = match k.strip_suffix(&[0]) {
                        Some(raw) => (raw, true),
                        None => (&k[..], false),
                    };
                    add(&[&shown(&tidy(raw, escaped))], "", key, acc)?;
                }
            }
            Cells::Grid { spans, .. } => {
                let mut groups = GroupIds::default();
                for (a, span) in spans.iter().enumerate() {
                    for (i, acc) in span.accs.iter().enumerate().filter(|(_, acc)| acc.deals > 0) {
                        let key = span.first + i as i64;
                        let id = groups.id(&mut p, &self, (a as u32, 0, 0));
                        let total = total_of(acc, id, &p, key)?;
                        p.add_to_group(
                            id,
                            PeriodKey(key),
                            &Partial { deals: acc.deals, total, rows: acc.deals },
                            None,
                            None,
                        )?;
                    }
                }
            }
            Cells::General(cells) => {
                let mut groups = GroupIds::default();
                for ((a, b, cur, key), acc) in cells {
                    let id = groups.id(&mut p, &self, (a, b, cur));
                    let total = total_of(&acc, id, &p, key)?;
                    p.add_to_group(
                        id,
                        PeriodKey(key),
                        &Partial { deals: acc.deals, total, rows: acc.deals },
                        None,
                        None,
                    )?;
                }
            }
            Cells::Views { mut cells, dense, by, by_value } => {
                let all = period.key_ymd(2000, 1, 1).0;
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
                let mut groups = if period == Period::All { GroupIds::uncached() } else { GroupIds::default() };
                for ((a, b, cur, key), cell) in cells {
                    let id = groups.id(&mut p, &self, (a, b, cur));
                    let acc = &cell.acc;
                    let total = total_of(acc, id, &p, key)?;
                    let part = Partial { deals: acc.deals, total, rows: acc.deals };
                    let days = (period_day(cell.first), period_day(cell.last));
                    p.add_to_group(id, PeriodKey(key), &part, Some(days), cell.amounts.map(Store::into_amounts))?;
                }
                if let Some(i) = by {
                    for ((v, cur, key), amounts) in by_value {
                        let currency = self.currencies.names[cur as usize].to_ascii_uppercase();
                        p.add_amounts_by_value(self.name(self.by[i], v), &currency, PeriodKey(key), amounts);
                    }
                }
            }
        }
        if let Some(deals) = self.deals.take() {
            let floor = self.latest.and_then(|l| l.floor());
            let by = self.view.deals.and_then(|(by, _)| by);
            for ((v, cur, key), b) in deals {
                if floor.is_some_and(|f| key < f) {
                    continue;
                }
                let currency = self.currencies.names[cur as usize].to_ascii_uppercase();
                let name = match by {
                    Some(i) => format!("{}{}{currency}", self.name(self.by[i], v), crate::aggregate::outliers::SEP),
                    None => currency,
                };
                let largest = b.top.map(|(sum, day, c)| crate::aggregate::outliers::Top {
                    amount: normalized_decimal(sum, SCALE).expect("a parsed amount fits a decimal"),
                    date: period_day(day),
                    customer: self.customers.names[c as usize].clone(),
                });
                p.add_deal_bucket(
                    PeriodKey(key),
                    &name,
                    crate::aggregate::outliers::Bucket { amounts: b.amounts, largest },
                );
            }
        }
        Ok(p)
    }
}

impl Worker<'_> {
    /// The tidy name of id `id` of a dimension.
    fn name(&self, dim: Dimension, id: u32) -> &str {
        match dim {
            Dimension::Customer => self.customers.names[id as usize].as_str(),
            Dimension::Seller => self.sellers.names[id as usize].as_str(),
            Dimension::Segment | Dimension::Column(_) => "",
        }
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

    fn id(&mut self, p: &mut Partials, w: &Worker<'_>, (a, b, cur): (u32, u32, u32)) -> u32 {
        let make = |p: &mut Partials| {
            let group: Vec<&str> = w.by.iter().zip([a, b]).map(|(d, id)| w.name(*d, id)).collect();
            let mut currency = w.currencies.names[cur as usize].clone();
            currency.make_ascii_uppercase();
            p.group_id(&group, &currency)
        };
        if self.uncached {
            return make(p);
        }
        *self.ids.entry((a, b, cur)).or_insert_with(|| make(p))
    }
}

/// A cell's sum as a decimal, or the overflow naming its group and period.
fn total_of(acc: &Acc, id: u32, p: &Partials, key: i64) -> Result<rust_decimal::Decimal, Error> {
    normalized_decimal(acc.sum(), SCALE).ok_or_else(|| {
        let (group, _) = crate::aggregate::partials::split_key(p.group_key(id));
        crate::aggregate::Overflow { group: group.join(" / "), period: p.period().label(PeriodKey(key)) }.into()
    })
}

/// `value / 10^scale` as a decimal without trailing zeros (what
/// `Decimal::normalize` gives), or `None` when it does not fit. The zeros
/// are stripped from the integer first, in 64 bits when it fits: a
/// decimal's own `normalize` divides 96-bit numbers by ten, one digit at a
/// time, for every group of a report.
fn normalized_decimal(value: i128, scale: u32) -> Option<rust_decimal::Decimal> {
    let (mut value, mut scale) = (value, scale);
    if let Ok(mut v) = i64::try_from(value) {
        while scale > 0 && v % 10 == 0 {
            v /= 10;
            scale -= 1;
        }
        value = i128::from(v);
    } else {
        while scale > 0 && value % 10 == 0 {
            value /= 10;
            scale -= 1;
        }
    }
    rust_decimal::Decimal::try_from_i128_with_scale(value, scale).ok()
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

fn from_ymd(d: chrono::NaiveDate) -> (i32, u32, u32) {
    use chrono::Datelike;
    (d.year(), d.month(), d.day())
}

/// When to stop reading: enough bad rows were found.
#[derive(Default)]
struct Stop {
    now: AtomicBool,
    bad: std::sync::atomic::AtomicUsize,
}

/// Block buffers, handed back by the workers for the reader to fill again.
type Pool = Mutex<Vec<Vec<u8>>>;

/// Read blocks of whole records from `file` and hand them to `send`;
/// `false` when a record runs on past `MAX_RECORD_BYTES` (the general
/// reader says where).
fn cut_blocks(
    mut file: File,
    block_size: usize,
    stop: &Stop,
    pool: &Pool,
    mut send: impl FnMut(Block) -> bool,
) -> std::io::Result<bool> {
    let mut carry: Vec<u8> = Vec::new();
    let mut index = 0;
    let mut eof = false;
    while !eof && !stop.now.load(Ordering::Relaxed) {
        let mut buf = pool.lock().expect("buffer pool").pop().unwrap_or_default();
        buf.clear();
        // A record longer than a block is read on in growing steps, so
        // that a long field is not searched again for every block.
        let want = block_size.max(carry.len());
        buf.reserve(carry.len() + want + 1);
        buf.extend_from_slice(&carry);
        carry.clear();
        let n = (&mut file).take(want as u64).read_to_end(&mut buf)?;
        eof = n < want;
        if buf.is_empty() {
            break;
        }
        // Cut after the last line break outside quotes.
        let cut = if eof {
            Some(buf.len())
        } else if memchr::memchr(b'"', &buf).is_none() {
            memchr::memrchr(b'\n', &buf).map(|i| i + 1)
        } else {
            // Quotes toggle: a line break with an even number of quotes
            // before it is outside any quoted field (the block starts
            // outside one). Walk back from the end over line breaks.
            let quotes: Vec<usize> = memchr::memchr_iter(b'"', &buf).collect();
            let mut end = buf.len();
            let mut last = None;
            while let Some(i) = memchr::memrchr(b'\n', &buf[..end]) {
                if quotes.partition_point(|&q| q < i) % 2 == 0 {
                    last = Some(i + 1);
                    break;
                }
                end = i;
            }
            last
        };
        match cut {
            Some(c) => {
                carry.extend_from_slice(&buf[c..]);
                buf.truncate(c);
                if !send(Block { index, bytes: buf }) {
                    break;
                }
                index += 1;
            }
            None if buf.len() > MAX_RECORD_BYTES => return Ok(false),
            None => carry = buf, // a record longer than a block: read on
        }
    }
    Ok(true)
}

/// Read the planned file on `threads` workers.
pub fn run(plan: &Plan, opts: &RunOptions<'_>) -> Result<Outcome, Error> {
    let open_err = |source| Error::Open { path: plan.name.clone(), source };
    let mut file = File::open(&plan.path).map_err(open_err)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if opts.threads > 1 {
        if let Some((results, workers)) = run_chunks(plan, opts, &file, size).map_err(open_err)? {
            return finish(plan, opts, results, workers, false);
        }
        // A guess about where records start was wrong (a quoted line break
        // at a chunk's edge), or reading gave up or stopped at bad rows
        // somewhere: the reader that cuts blocks in file order decides.
    }
    file.seek(SeekFrom::Start(plan.data_start)).map_err(open_err)?;
    let mut progress = crate::progress::Progress::new(opts.progress, size, &plan.name);
    let stop = Stop::default();
    let pool: Pool = Mutex::new(Vec::new());
    let threads = opts.threads.max(1);
    let mut results: Vec<BlockDone> = Vec::new();
    let mut workers_out: Vec<Worker<'_>> = Vec::new();

    let whole;
    if threads == 1 {
        let mut w = Worker::new(plan, opts.period, opts.by, opts.filter).for_view(opts.view);
        whole = cut_blocks(file, opts.block_size, &stop, &pool, |block| {
            progress.advance(block.bytes.len() as u64);
            let mut done = w.block(&block.bytes, opts.skip_bad_rows, &stop);
            done.index = block.index;
            pool.lock().expect("buffer pool").push(block.bytes);
            let go_on = done.abandon.is_none() && !stop.now.load(Ordering::Relaxed);
            results.push(done);
            go_on
        })
        .map_err(open_err)?;
        workers_out.push(w);
    } else {
        let mut cut_whole = true;
        let (tx, rx) = sync_channel::<Block>(threads * 2);
        let rx: Arc<Mutex<Receiver<Block>>> = Arc::new(Mutex::new(rx));
        let abandon = AtomicBool::new(false);
        std::thread::scope(|scope| -> Result<(), Error> {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let rx = Arc::clone(&rx);
                    let (stop, abandon, pool) = (&stop, &abandon, &pool);
                    scope.spawn(move || {
                        let mut w = Worker::new(plan, opts.period, opts.by, opts.filter).for_view(opts.view);
                        let mut done_list = Vec::new();
                        loop {
                            let block = match rx.lock().expect("block queue").recv() {
                                Ok(b) => b,
                                Err(_) => break,
                            };
                            if abandon.load(Ordering::Relaxed) {
                                continue;
                            }
                            let mut done = w.block(&block.bytes, opts.skip_bad_rows, stop);
                            done.index = block.index;
                            pool.lock().expect("buffer pool").push(block.bytes);
                            if done.abandon.is_some() {
                                abandon.store(true, Ordering::Relaxed);
                            }
                            done_list.push(done);
                        }
                        (w, done_list)
                    })
                })
                .collect();
            let read = cut_blocks(file, opts.block_size, &stop, &pool, |block| {
                progress.advance(block.bytes.len() as u64);
                !abandon.load(Ordering::Relaxed) && tx.send(block).is_ok()
            });
            drop(tx);
            for h in handles {
                let (w, mut list) = h.join().expect("a worker thread panicked");
                workers_out.push(w);
                results.append(&mut list);
            }
            cut_whole = read.map_err(open_err)?;
            Ok(())
        })?;
        whole = cut_whole;
    }
    if !whole {
        return Ok(Outcome::Abandoned(format!("a line is longer than {} MiB", MAX_RECORD_BYTES >> 20)));
    }

    finish(plan, opts, results, workers_out, stop.now.load(Ordering::Relaxed))
}

/// The bytes of the file where chunk guesses are checked: a record that
/// runs past its chunk's end is read on in steps of this many bytes.
const SLACK: usize = 64 * 1024;

/// Read the file in chunks of `block_size` bytes on `threads` workers,
/// each worker reading its own chunks (so the bytes are parsed on the core
/// that read them, and no thread only reads).
///
/// A chunk's records run from the first line start at or after its first
/// byte to the first line start at or after its end. That is a guess: a
/// line break may be inside a quoted field. It is checked by induction: the
/// first chunk starts at a record; when a chunk starts at a record, it is
/// parsed properly, and if its end is not a record boundary its last
/// record's quoted field is still open there, which the parser reports. So
/// when no chunk gives up, every guess was right. `None` when one gave up
/// or reading stopped at bad rows: then the caller reads the file again,
/// cutting blocks in order.
#[cfg(unix)]
fn run_chunks<'p>(
    plan: &'p Plan,
    opts: &RunOptions<'p>,
    file: &File,
    size: u64,
) -> std::io::Result<Option<(Vec<BlockDone>, Vec<Worker<'p>>)>> {
    use std::os::unix::fs::FileExt;
    use std::sync::atomic::AtomicUsize;
    let start = plan.data_start;
    let block = opts.block_size as u64;
    let chunks = size.saturating_sub(start).div_ceil(block) as usize;
    let progress = Mutex::new(crate::progress::Progress::new(opts.progress, size, &plan.name));
    let (next, failed, stop) = (AtomicUsize::new(0), AtomicBool::new(false), Stop::default());

    // The absolute offset of the first line start at or after `x` (a chunk
    // edge), reading on into `buf` (which holds the file from `from`).
    // `None` when no line break follows within the longest record: then
    // the reader that cuts blocks in order decides (and the general reader
    // refuses the line). Each byte is searched once, however far the line
    // runs (searching from the edge again after each read made a 100 MB
    // field take minutes).
    // Long stretches without a line break already searched, as (edge,
    // boundary): an edge inside one has the same boundary, so a long field
    // is searched once, not once per chunk inside it.
    let known: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());
    let boundary = |buf: &mut Vec<u8>, from: u64, x: u64| -> std::io::Result<Option<u64>> {
        if x <= start {
            return Ok(Some(start));
        }
        if let Some(&(_, p)) = known.lock().expect("known").iter().find(|(a, p)| (*a..=*p).contains(&x)) {
            return Ok(Some(p));
        }
        let mut rel = ((x - 1 - from) as usize).min(buf.len());
        loop {
            if let Some(k) = memchr::memchr(b'\n', &buf[rel..]) {
                let p = from + (rel + k + 1) as u64;
                if p - x > SLACK as u64 {
                    known.lock().expect("known").push((x, p));
                }
                return Ok(Some(p));
            }
            rel = buf.len();
            let have = from + buf.len() as u64;
            if have >= size {
                return Ok(Some(size));
            }
            if have.saturating_sub(x) > MAX_RECORD_BYTES as u64 {
                return Ok(None);
            }
            let more = (size - have).min(SLACK as u64) as usize;
            let old = buf.len();
            buf.resize(old + more, 0);
            file.read_exact_at(&mut buf[old..], have)?;
        }
    };

    let work = || -> std::io::Result<(Worker<'p>, Vec<BlockDone>)> {
        let mut w = Worker::new(plan, opts.period, opts.by, opts.filter).for_view(opts.view);
        let mut list = Vec::new();
        let mut buf = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= chunks || failed.load(Ordering::Relaxed) {
                break;
            }
            let first = start + i as u64 * block;
            let end = (first + block).min(size);
            let from = if i == 0 { first } else { first - 1 };
            // Not cleared first: the read overwrites it all, and resizing a
            // buffer of the same length writes no zeros.
            buf.resize(((end - from) as usize + SLACK).min((size - from) as usize), 0);
            file.read_exact_at(&mut buf, from)?;
            let (Some(lo), Some(hi)) = (boundary(&mut buf, from, first)?, boundary(&mut buf, from, end)?) else {
                failed.store(true, Ordering::Relaxed);
                break;
            };
            // A boundary found by another chunk may lie past what this one
            // read: read on to it.
            if lo < hi && (hi - from) as usize > buf.len() {
                let old = buf.len();
                buf.resize((hi - from) as usize, 0);
                file.read_exact_at(&mut buf[old..], from + old as u64)?;
            }
            let block = if lo < hi { &buf[(lo - from) as usize..(hi - from) as usize] } else { &[][..] };
            let mut done = w.block(block, opts.skip_bad_rows, &stop);
            done.index = i;
            if done.abandon.is_some() || stop.now.load(Ordering::Relaxed) {
                failed.store(true, Ordering::Relaxed);
            }
            list.push(done);
            progress.lock().expect("progress").advance(end - first);
        }
        Ok((w, list))
    };

    let mut results = Vec::new();
    let mut workers = Vec::new();
    std::thread::scope(|scope| -> std::io::Result<()> {
        let handles: Vec<_> = (0..opts.threads).map(|_| scope.spawn(work)).collect();
        for h in handles {
            let (w, mut list) = h.join().expect("a worker thread panicked")?;
            workers.push(w);
            results.append(&mut list);
        }
        Ok(())
    })?;
    Ok((!failed.load(Ordering::Relaxed)).then_some((results, workers)))
}

#[cfg(not(unix))]
fn run_chunks<'p>(
    _: &'p Plan,
    _: &RunOptions<'p>,
    _: &File,
    _: u64,
) -> std::io::Result<Option<(Vec<BlockDone>, Vec<Worker<'p>>)>> {
    Ok(None)
}

/// Put the blocks' results in file order and the workers' partials
/// together.
fn finish(
    plan: &Plan,
    opts: &RunOptions<'_>,
    mut results: Vec<BlockDone>,
    workers_out: Vec<Worker<'_>>,
    stopped: bool,
) -> Result<Outcome, Error> {
    if let Some(why) = results.iter().find_map(|r| r.abandon.clone()) {
        return Ok(Outcome::Abandoned(why));
    }
    results.sort_by_key(|r| r.index);
    // Blocks after a gap were never read (reading stopped at bad rows).
    let mut line = plan.header_lines;
    let mut errors = Vec::new();
    for (expected, r) in results.iter_mut().enumerate() {
        if r.index != expected {
            break;
        }
        for (local, mut e, fields) in r.errors.drain(..) {
            e.line = line + local;
            errors.push((e, fields));
        }
        line += r.lines;
    }
    let mut accounting = RowAccounting::default();
    let mut partials = view_partials(opts.period, opts.by.len(), opts.view);
    // Per-name tables are merged as they are (small, and each name is
    // tidied once); the others as partials.
    let mut tally = Tally::default();
    for w in &workers_out {
        tally.merge(&w.tally);
        for (id, sum) in w.credit_sums.iter().enumerate().filter(|(_, s)| **s != 0) {
            let mut currency = w.currencies.names[id].clone();
            currency.make_ascii_uppercase();
            tally.add_credit_total(&currency, normalized_decimal(*sum, SCALE));
        }
    }
    let mut workers = workers_out.into_iter();
    let mut first = workers.next();
    for mut w in workers {
        accounting.merge(&w.accounting);
        w.accounting = RowAccounting::default();
        if let Some(rest) = first.as_mut().and_then(|f| f.absorb(w)) {
            partials.merge(rest.into_partials()?)?;
        }
    }
    if let Some(w) = first {
        accounting.merge(&w.accounting);
        partials.merge(w.into_partials()?)?;
    }
    Ok(Outcome::Done(Box::new(Output { partials, accounting, errors, stopped, tally })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_decimals_match_rust_decimal_normalize() {
        let max96 = (1i128 << 96) - 1;
        let values = [0, 1, -1, 10, 1_000_000, -12_340_000, 10i128.pow(20), 10i128.pow(25) + 7, max96, -max96];
        for v in values.into_iter().chain((1..40).map(|k| 7i128 * 10i128.pow(k / 2) + k as i128 * 1000)) {
            for scale in [0, 2, 6] {
                let want = rust_decimal::Decimal::try_from_i128_with_scale(v, scale).map(|d| d.normalize()).ok();
                let got = normalized_decimal(v, scale);
                assert_eq!(got, want, "{v} / 10^{scale}");
                if let (Some(g), Some(w)) = (got, want) {
                    assert_eq!((g.mantissa(), g.scale()), (w.mantissa(), w.scale()), "{v} / 10^{scale}");
                }
            }
        }
        // Too wide at scale 6, but not once its zeros are stripped: still exact.
        let wide = 10i128.pow(27) * 1_000_000;
        assert_eq!(normalized_decimal(wide, 6), Some(rust_decimal::Decimal::from_i128_with_scale(10i128.pow(27), 0)));
        assert_eq!(normalized_decimal(max96 * 10 + 1, 6), None);
    }

    #[test]
    fn quoted_fields_split_from_structurals_as_the_quote_aware_splitter_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.csv");
        std::fs::write(&path, "date,customer,amount\n").unwrap();
        let plan =
            plan(path.to_str().unwrap(), &InputOptions::default(), &[Field::Amount, Field::Date]).unwrap().unwrap();
        let filter = Filter::default();
        let mut w = Worker::new(&plan, Period::Month, &[Dimension::Customer], &filter);
        // Each record alone, then all in one block (padded past 64 bytes so
        // that quotes and their pairs fall on both sides of a chunk edge).
        let records = [
            "2024-01-02,\"Bolt, HB\",1.50\n",
            "\"2024-01-02\",\"Say \"\"hi\"\"\",\"2\"\n",
            "2024-01-02,\"Two\nlines\",3\r\n",
            "2024-01-02,\"\",4\n",
            "2024-01-02,\"\"\"\"\"\",5\n",
            "2024-01-02,\"padding to move the next quotes over a 64-byte edge....\",6\n",
        ];
        let mut quoted = 0;
        let last = "2024-01-02,\"ends the block\"";
        let blocks = [records.concat(), records.concat() + last, last.to_string()];
        for text in records.iter().map(|r| r.to_string()).chain(blocks) {
            let b = text.as_bytes();
            let mut at = crate::load::structure::Structurals::new(b, [b',', b'\n', b'"']);
            let mut pos = 0;
            while pos < b.len() {
                let fast = w.split_plain(b, pos, &mut at).map(|r| (r, w.fields.clone()));
                let slow = w.split(b, pos).map(|r| (r, w.fields.clone()));
                let fast = fast.unwrap_or_else(|| panic!("{text:?} at {pos}: whole quoted fields need no fallback"));
                assert_eq!(Ok(fast.clone()), slow, "{text:?} at {pos}");
                quoted += fast.1.iter().filter(|f| b.get(f.0.wrapping_sub(1)) == Some(&b'"')).count();
                pos = fast.0.0;
            }
        }
        assert!(quoted > 20, "quoted fields were split: {quoted}");
        // What the fast splitter leaves to the quote-aware one.
        for text in
            ["2024-01-02,Say \"hi\",1\n", "2024-01-02,\"x\"y,1\n", "2024-01-02,\"open,1\n", "1,\"a\r\nb\",2\r\n"]
        {
            let b = text.as_bytes();
            let mut at = crate::load::structure::Structurals::new(b, [b',', b'\n', b'"']);
            assert_eq!(w.split_plain(b, 0, &mut at), None, "{text:?}");
        }
    }

    /// A file whose records are 32 bytes long, one with a quoted line
    /// break; chunked in 64-byte chunks.
    fn chunked(text: &str, threads: usize) -> Option<Vec<(usize, u64)>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        let plan = plan(path, &InputOptions::default(), &[Field::Amount, Field::Date]).unwrap().unwrap();
        let filter = Filter::default();
        let opts = RunOptions {
            period: Period::Month,
            by: &[Dimension::Customer],
            filter: &filter,
            threads,
            block_size: 64,
            skip_bad_rows: false,
            progress: false,
            view: ViewNeeds::default(),
        };
        let file = File::open(path).unwrap();
        let size = file.metadata().unwrap().len();
        // Whichever way it is read, every row is used.
        let Outcome::Done(out) = run(&plan, &opts).unwrap() else { panic!("read to the end") };
        assert_eq!(out.accounting.used as usize, text.lines().filter(|l| l.starts_with("2024")).count());
        let (mut results, _) = run_chunks(&plan, &opts, &file, size).unwrap()?;
        results.sort_by_key(|r| r.index);
        Some(results.iter().map(|r| (r.index, r.lines)).collect())
    }

    #[test]
    fn chunk_guesses_are_kept_when_right_and_dropped_when_a_quoted_break_is_at_an_edge() {
        let header = "date,customer,amount\n"; // 21 bytes: chunks start at 21, 85, 149...
        let row = "2024-01-02,Acme AB,100.25\n"; // 26 bytes
        let plain: String = std::iter::once(header).chain(std::iter::repeat_n(row, 10)).collect();
        // Every chunk is read; their line counts add up to the rows.
        let got = chunked(&plain, 2).expect("no quoted line break: the guess holds");
        assert_eq!(got.iter().map(|c| c.0).collect::<Vec<_>>(), (0..got.len()).collect::<Vec<_>>());
        assert_eq!(got.iter().map(|c| c.1).sum::<u64>(), 10);
        // A quoted line break at byte 84, just before the second chunk
        // starts (21 + 64 = 85): the second chunk would start inside the
        // quotes, and the first chunk's last field is never closed.
        let short = "2024-01-02,Acme A,100.25\n"; // 25 bytes
        let quoted = format!("{header}{row}{short}2024-01-02,\"\nAcme AB\",100.25\n{row}{row}{row}");
        assert_eq!(quoted.find('\n').unwrap(), 20);
        assert_eq!(&quoted[84..85], "\n", "the quoted line break sits at the chunk edge");
        assert_eq!(chunked(&quoted, 2), None);
        // Anywhere else, a quoted line break does not matter.
        let inside = format!("{header}2024-01-02,\"Ac\nme AB\",100.25\n{row}{row}{row}{row}{row}");
        assert_eq!(chunked(&inside, 2).map(|c| c.iter().map(|c| c.1).sum::<u64>()), Some(7));
    }

    #[test]
    fn amounts_from_bytes() {
        assert_eq!(fast_amount(b"1024", b'.'), Some(1024 * ONE));
        assert_eq!(fast_amount(b"-30.5", b'.'), Some(-30_500_000));
        assert_eq!(fast_amount(b"0.000001", b'.'), Some(1));
        assert_eq!(fast_amount(b"12,5", b','), Some(12_500_000));
        assert_eq!(fast_amount(b"9999999999999.999999", b'.'), Some(9_999_999_999_999_999_999));
        for bad in
            [&b""[..], b"-", b"1.", b".5", b"1.2.3", b"1e3", b"1 000", b"1.1234567", b"10000000000000", b"+5", b"1_0"]
        {
            assert_eq!(fast_amount(bad, b'.'), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn dates_from_bytes() {
        assert_eq!(fast_date(b"2012-02-29"), Some((2012, 2, 29)));
        assert_eq!(fast_date(b"2013-02-29"), None);
        assert_eq!(fast_date(b"1900-02-29"), None);
        assert_eq!(fast_date(b"2000-02-29"), Some((2000, 2, 29)));
        assert_eq!(fast_date(b"2013-04-31"), None);
        assert_eq!(fast_date(b"0024-02-05"), None);
        assert_eq!(fast_date(b"2013-3-05"), None);
    }
}
