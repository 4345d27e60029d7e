//! The fast path for big CSV files: blocks read in parallel, parsed from
//! bytes, and handed as interned deals to the core's accumulator through
//! `model::IdSink`, which makes the same exact partials the general reader's
//! deals make.
//!
//! A reader thread cuts the file into blocks on record boundaries (outside
//! quotes) and workers parse them on all cores. The common shapes (ISO
//! dates, plain decimal amounts) are parsed straight from bytes into a
//! scaled integer; every other shape goes through the general parsers, so
//! the result is the same. Names are interned by their raw bytes and tidied
//! once per distinct spelling; the filters and the row accounting happen
//! here. Each worker has its own sink; the sinks are merged at the end
//! (their name ids mapped to one worker's), which is exact because counts
//! and sums are associative.
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

use crate::error::{Error, RowError};
use crate::load::InputOptions;
use crate::load::amount::{self, DecimalStyle, MAX_DECIMALS, MAX_INTEGER_DIGITS};
use crate::load::columns::{ColumnMap, Field};
use crate::load::date::{self, DateOrder, YEARS};
use crate::load::names::{BATCH, IdTable, NameTable, Short};
use crate::load::records::{MAX_RECORD_BYTES, Record, RecordError, Records};
use crate::load::rows::{NO_CUSTOMER, NO_SELLER, clean_name};
use crate::load::source::{self, InputFormat, SNIFF_BYTES};
use crate::load::structure::Structurals;
use crate::model::money::{Acc, MICROS_SCALE, normalized_decimal};
use crate::model::{Dimension, Filter, IdDeal, IdNames, IdSink, RowAccounting, Tally};

/// The scale of the fast path's integer amounts: 10^6 (the most decimals an
/// amount may have), as the core takes them.
const SCALE: u32 = MICROS_SCALE;
const _: () = assert!(MAX_DECIMALS as u32 == MICROS_SCALE);
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
pub struct RunOptions<'a, C> {
    pub filter: &'a Filter,
    pub threads: usize,
    pub block_size: usize,
    pub skip_bad_rows: bool,
    /// Show a progress bar (when stderr is a terminal and it takes a while).
    pub progress: bool,
    /// A worker's sink of deals, given whether the file has a currency
    /// column.
    pub cells: &'a (dyn Fn(bool) -> C + Sync),
}

/// The result of a fast read.
pub enum Outcome<D> {
    Done(Box<Output<D>>),
    /// The file needs the general reader; the reason is for --verbose.
    Abandoned(String),
}

pub struct Output<D> {
    /// What the workers' sinks gave, merged.
    pub done: D,
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

/// Counts and sums by the raw bytes of one name column, for a sink that
/// takes totals by name (see `IdSink::totals_by_name`): the accumulator
/// sits in the name table's entry, so a row costs one lookup (a customer
/// report over tens of thousands of customers used to miss the cache twice
/// per row), and rows are added in batches (see [`NameTable`]). Names
/// longer than 31 bytes or with doubled quotes go to `long`.
struct RawTotals {
    dim: Dimension,
    short: NameTable,
    long: FoldMap<Box<[u8]>, Acc>,
    batch: Vec<Short>,
    amounts: Vec<i128>,
}

impl RawTotals {
    fn new(dim: Dimension) -> RawTotals {
        RawTotals {
            dim,
            short: NameTable::default(),
            long: fold_map(),
            batch: Vec::with_capacity(BATCH),
            amounts: Vec::with_capacity(BATCH),
        }
    }

    /// Take in another worker's totals.
    fn merge(&mut self, mut other: RawTotals) {
        self.short.flush(&mut self.batch, &mut self.amounts);
        other.short.flush(&mut other.batch, &mut other.amounts);
        self.short.merge(other.short);
        for (k, acc) in other.long {
            self.long.entry(k).or_default().merge(&acc);
        }
    }

    /// Hand every name's total to `sink`, with the name tidied once per
    /// raw spelling.
    fn hand_to<C: IdSink>(mut self, sink: &mut C) -> Result<(), Error> {
        self.short.add_batch(&self.batch, &self.amounts);
        sink.totals_coming(self.short.len() + self.long.len());
        let blank = if self.dim == Dimension::Customer { NO_CUSTOMER } else { NO_SELLER };
        let shown = |name: &str| if name.is_empty() { blank.to_string() } else { name.to_string() };
        let mut name = String::new();
        for (raw, acc) in self.short.iter() {
            tidy_into(raw, false, &mut name);
            sink.add_total(&shown(&name), acc)?;
        }
        for (k, acc) in &self.long {
            let (raw, escaped) = match k.strip_suffix(&[0]) {
                Some(raw) => (raw, true),
                None => (&k[..], false),
            };
            sink.add_total(&shown(&tidy(raw, escaped)), acc)?;
        }
        Ok(())
    }
}

/// The names behind a worker's ids, for its sink.
struct WorkerNames<'a> {
    customers: &'a Interner,
    sellers: &'a Interner,
    currencies: &'a Interner,
}

impl IdNames for WorkerNames<'_> {
    fn name(&self, dim: Dimension, id: u32) -> &str {
        match dim {
            Dimension::Customer => self.customers.names[id as usize].as_str(),
            Dimension::Seller => self.sellers.names[id as usize].as_str(),
            Dimension::Segment | Dimension::Column(_) => "",
        }
    }

    fn currency(&self, id: u32) -> &str {
        self.currencies.names[id as usize].as_str()
    }
}

/// One worker's state across blocks.
struct Worker<'p, C> {
    plan: &'p Plan,
    filter: &'p Filter,
    customers: Interner,
    sellers: Interner,
    currencies: Interner,
    /// Per interned id: does the filter keep it?
    keep_customer: Vec<bool>,
    keep_seller: Vec<bool>,
    /// Where the deals the filters keep go.
    cells: C,
    /// When the sink takes totals by name: the totals by raw name.
    totals: Option<RawTotals>,
    accounting: RowAccounting,
    tally: Tally,
    /// Credit notes left out: their sum in millionths, per currency id.
    credit_sums: Vec<i128>,
    /// Which names this run looks at (the others are not even interned).
    need_customer: bool,
    need_seller: bool,
    fields: Vec<(usize, usize, bool)>,
    /// Rows are added in batches (see `flush`): a name is looked at and
    /// there is no currency column.
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

impl<'p, C: IdSink> Worker<'p, C> {
    /// A worker of a run, with a sink of its own.
    fn for_run(plan: &'p Plan, opts: &RunOptions<'p, C>) -> Worker<'p, C> {
        Worker::new(plan, opts.filter, (opts.cells)(plan.currency.is_some()))
    }

    fn new(plan: &'p Plan, filter: &'p Filter, cells: C) -> Worker<'p, C> {
        let [customer, seller] = cells.names_used();
        let need_customer = customer || !filter.customers.is_empty();
        let need_seller = seller || !filter.sellers.is_empty();
        let totals = cells.totals_by_name().map(RawTotals::new);
        Worker {
            plan,
            filter,
            customers: Interner::with_blank(NO_CUSTOMER),
            sellers: Interner::with_blank(NO_SELLER),
            currencies: Interner::default(),
            keep_customer: Vec::new(),
            keep_seller: Vec::new(),
            batching: (need_customer || need_seller) && plan.currency.is_none() && totals.is_none(),
            cells,
            totals,
            accounting: RowAccounting::default(),
            tally: Tally::default(),
            credit_sums: Vec::new(),
            need_customer,
            need_seller,
            fields: Vec::with_capacity(16),
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
        // (start, end, escaped) of a column's field; an empty field for a
        // column the input does not have.
        let raw = |i: Option<usize>| i.map_or((0, 0, false), |i| self.fields[i]);
        let Some(dim) = self.totals.as_ref().map(|t| t.dim) else {
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
            self.add_ids(IdDeal { customer, seller, currency, micros: sum, ymd: (y, m, d) });
            return;
        };
        let column = if dim == Dimension::Customer { plan.customer } else { plan.seller };
        let (start, end, escaped) = raw(column);
        // Totals by raw name are only kept without a currency column or a
        // name filter.
        if !self.admits(0, sum, (y, m, d)) {
            return;
        }
        let Some(t) = self.totals.as_mut() else { return };
        match Short::from_field(b, start, end).filter(|_| !escaped) {
            Some(k) => {
                t.batch.push(k);
                t.amounts.push(sum);
                if t.batch.len() == BATCH {
                    t.short.flush(&mut t.batch, &mut t.amounts);
                }
            }
            None => t.long.entry(long_key(&b[start..end], escaped).into_boxed_slice()).or_default().add(sum),
        }
    }

    /// Add the rows waiting in the batch: their names looked up together,
    /// then the sink told which cells come next, then each row added.
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
        let mut deals = [IdDeal::default(); BATCH];
        for (i, &(sum, y, m, d)) in pending.rows.iter().enumerate() {
            deals[i] = IdDeal { customer: customers[i], seller: sellers[i], currency: 0, micros: sum, ymd: (y, m, d) };
        }
        self.cells.touch(&deals[..n]);
        for deal in &deals[..n] {
            self.add_ids(*deal);
        }
        pending.names.clear();
        pending.rows.clear();
        self.pending = pending;
    }

    /// Whether the date range and the credit-note rule keep a deal whose
    /// names the filters kept; it is counted either way.
    fn admits(&mut self, currency: u32, sum: i128, (y, m, d): (i32, u32, u32)) -> bool {
        let f = self.filter;
        let in_range =
            f.from.is_none_or(|from| (y, m, d) >= (from_ymd(from))) && f.to.is_none_or(|to| (y, m, d) <= from_ymd(to));
        if !in_range {
            self.tally.by_date += 1;
            self.accounting.filtered += 1;
            return false;
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
                return false;
            }
            self.tally.credits_counted += 1;
        }
        self.tally.counted += 1;
        self.accounting.used += 1;
        true
    }

    /// Add a row whose names and currency are interned, when the filters
    /// keep it.
    fn add_ids(&mut self, deal: IdDeal) {
        if !self.names_kept(deal.customer, deal.seller) || !self.admits(deal.currency, deal.micros, deal.ymd) {
            return;
        }
        let names = WorkerNames { customers: &self.customers, sellers: &self.sellers, currencies: &self.currencies };
        self.cells.add(&deal, &names);
    }

    /// Take in another worker's deals where the sink can (its name ids
    /// mapped to this worker's); otherwise hand the worker back.
    fn absorb(&mut self, mut other: Worker<'p, C>) -> Option<Worker<'p, C>> {
        if !self.cells.absorbs(&other.cells) {
            return Some(other);
        }
        let customers = self.customers.remap(&other.customers);
        let sellers = self.sellers.remap(&other.sellers);
        if let Some(theirs) = self.cells.absorb(other.cells, &customers, &sellers) {
            other.cells = theirs;
            return Some(other);
        }
        if let (Some(mine), Some(theirs)) = (self.totals.as_mut(), other.totals.take()) {
            mine.merge(theirs);
        }
        None
    }

    /// This worker's deals as its sink's result.
    fn into_done(mut self) -> Result<C::Done, Error> {
        self.flush();
        if let Some(totals) = self.totals.take() {
            totals.hand_to(&mut self.cells)?;
        }
        let names = WorkerNames { customers: &self.customers, sellers: &self.sellers, currencies: &self.currencies };
        self.cells.finish(&names)
    }
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
pub fn run<C: IdSink>(plan: &Plan, opts: &RunOptions<'_, C>) -> Result<Outcome<C::Done>, Error> {
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
    let mut workers_out: Vec<Worker<'_, C>> = Vec::new();

    let whole;
    if threads == 1 {
        let mut w = Worker::for_run(plan, opts);
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
                        let mut w = Worker::for_run(plan, opts);
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

/// What the chunked read gives when every guess held: each block's result
/// and each worker.
type Chunked<'p, C> = (Vec<BlockDone>, Vec<Worker<'p, C>>);

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
fn run_chunks<'p, C: IdSink>(
    plan: &'p Plan,
    opts: &RunOptions<'p, C>,
    file: &File,
    size: u64,
) -> std::io::Result<Option<Chunked<'p, C>>> {
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

    let work = || -> std::io::Result<(Worker<'p, C>, Vec<BlockDone>)> {
        let mut w = Worker::for_run(plan, opts);
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
fn run_chunks<'p, C: IdSink>(
    _: &'p Plan,
    _: &RunOptions<'p, C>,
    _: &File,
    _: u64,
) -> std::io::Result<Option<Chunked<'p, C>>> {
    Ok(None)
}

/// Put the blocks' results in file order and the workers' partials
/// together.
fn finish<C: IdSink>(
    plan: &Plan,
    opts: &RunOptions<'_, C>,
    mut results: Vec<BlockDone>,
    workers_out: Vec<Worker<'_, C>>,
    stopped: bool,
) -> Result<Outcome<C::Done>, Error> {
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
    // Workers' sinks are merged by id where they can be; what is left is
    // finished and merged as results, in the same order.
    let mut tally = Tally::default();
    for w in &workers_out {
        tally.merge(&w.tally);
        for (id, sum) in w.credit_sums.iter().enumerate().filter(|(_, s)| **s != 0) {
            let mut currency = w.currencies.names[id].clone();
            currency.make_ascii_uppercase();
            tally.add_credit_total(&currency, normalized_decimal(*sum, SCALE));
        }
    }
    let mut done: Option<C::Done> = None;
    let mut workers = workers_out.into_iter();
    let mut first = workers.next();
    for mut w in workers {
        accounting.merge(&w.accounting);
        w.accounting = RowAccounting::default();
        if let Some(rest) = first.as_mut().and_then(|f| f.absorb(w)) {
            done = Some(joined::<C>(done, rest.into_done()?)?);
        }
    }
    // No worker read a block (no threads): an empty result all the same.
    let first = first.unwrap_or_else(|| Worker::for_run(plan, opts));
    accounting.merge(&first.accounting);
    let done = joined::<C>(done, first.into_done()?)?;
    Ok(Outcome::Done(Box::new(Output { done, accounting, errors, stopped, tally })))
}

/// `part` merged into `into`, or `part` alone.
fn joined<C: IdSink>(into: Option<C::Done>, part: C::Done) -> Result<C::Done, Error> {
    match into {
        Some(mut into) => {
            C::merge(&mut into, part)?;
            Ok(into)
        }
        None => Ok(part),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink that counts the deals it is given and sums their amounts,
    /// per customer id: the reader's tests need no core.
    #[derive(Default)]
    struct Count {
        by_customer: Vec<(u64, i128)>,
    }

    impl IdSink for Count {
        type Done = (u64, i128);
        fn names_used(&self) -> [bool; 2] {
            [true, false]
        }
        fn totals_by_name(&self) -> Option<Dimension> {
            None
        }
        fn add_total(&mut self, _: &str, _: &Acc) -> Result<(), Error> {
            unreachable!("no totals by name were asked for")
        }
        fn add<N: IdNames>(&mut self, deal: &IdDeal, _: &N) {
            let i = deal.customer as usize;
            if self.by_customer.len() <= i {
                self.by_customer.resize(i + 1, (0, 0));
            }
            self.by_customer[i].0 += 1;
            self.by_customer[i].1 += deal.micros;
        }
        fn absorbs(&self, _: &Count) -> bool {
            false
        }
        fn absorb(&mut self, other: Count, _: &[u32], _: &[u32]) -> Option<Count> {
            Some(other)
        }
        fn finish<N: IdNames>(self, _: &N) -> Result<(u64, i128), Error> {
            Ok(self.by_customer.iter().fold((0, 0), |(n, s), (a, b)| (n + a, s + b)))
        }
        fn merge(into: &mut (u64, i128), other: (u64, i128)) -> Result<(), Error> {
            into.0 += other.0;
            into.1 += other.1;
            Ok(())
        }
    }

    #[test]
    fn quoted_fields_split_from_structurals_as_the_quote_aware_splitter_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.csv");
        std::fs::write(&path, "date,customer,amount\n").unwrap();
        let plan =
            plan(path.to_str().unwrap(), &InputOptions::default(), &[Field::Amount, Field::Date]).unwrap().unwrap();
        let filter = Filter::default();
        let mut w = Worker::new(&plan, &filter, Count::default());
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
            filter: &filter,
            threads,
            block_size: 64,
            skip_bad_rows: false,
            progress: false,
            cells: &|_| Count::default(),
        };
        let file = File::open(path).unwrap();
        let size = file.metadata().unwrap().len();
        // Whichever way it is read, every row is used.
        let Outcome::Done(out) = run(&plan, &opts).unwrap() else { panic!("read to the end") };
        let rows = text.lines().filter(|l| l.starts_with("2024")).count();
        assert_eq!(out.accounting.used as usize, rows);
        // The sink had each of them: every row's amount is 100.25.
        assert_eq!(out.done, (rows as u64, rows as i128 * 100_250_000));
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
