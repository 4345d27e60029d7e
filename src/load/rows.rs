//! Turning a row of text fields into a deal, whatever the source format.
//!
//! CSV, JSON and spreadsheet loaders all hand rows of strings to a
//! `RowParser`, which knows where the columns are and decides once per
//! column how amounts and dates are written. A value whose meaning depends
//! on that decision (`1.234`, `03/04/2013`) waits, with its row, until the
//! column has shown which style it uses, so no value is ever guessed alone.

use std::hash::BuildHasher;
use std::ops::ControlFlow;

use crate::error::{Error, RowError};
use crate::load::amount::{self, AmountError, DecimalStyle};
use crate::load::columns::{ColumnMap, Field};
use crate::load::date::{self, DateOrder};
use crate::load::recognize::Recipe;
use crate::model::Deal;
pub use crate::model::{Head, Incomplete, Sink, clean_name};

/// A sink learns from the column map whether an input has a status column.
impl crate::model::Header for ColumnMap {
    fn has_status(&self) -> bool {
        self.get(Field::Status).is_some()
    }
}

/// A per-column decision and what settled it.
#[derive(Clone, Debug)]
enum Decision<T> {
    Open,
    /// Given by a flag or setting.
    Given(T),
    /// Settled by a value: (style, value, line).
    Seen(T, String, u64),
}

impl<T: Copy> Decision<T> {
    fn get(&self) -> Option<T> {
        match self {
            Decision::Open => None,
            Decision::Given(t) | Decision::Seen(t, _, _) => Some(*t),
        }
    }
}

/// How values are read, from flags or settings.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    pub decimal: Option<DecimalStyle>,
    /// Used when no value of the column says which separator it uses.
    pub default_decimal: Option<DecimalStyle>,
    pub date_order: Option<DateOrder>,
    /// Convert zoned timestamps to this zone's calendar date first.
    pub timezone: Option<chrono_tz::Tz>,
    /// Drop rows identical in every field to an earlier row (counted).
    pub drop_duplicate_rows: bool,
    /// Whether known export layouts are recognised (`--export-layout`).
    pub layout: crate::load::recognize::LayoutChoice,
    /// The amount as an expression of columns (`--amount`).
    pub amount_expr: Option<String>,
    /// The status words a status column is recognised by (built-in when
    /// `None`).
    pub vocabulary: Option<std::sync::Arc<crate::status::Vocabulary>>,
    /// The rows seen so far, in every input of the run (shared, so that
    /// `--drop-duplicate-rows` remembers rows across files).
    pub seen_rows: SeenRows,
}

/// Fingerprints of the rows read, shared by the inputs of one run.
#[derive(Clone, Debug, Default)]
pub struct SeenRows(std::sync::Arc<std::sync::Mutex<std::collections::HashSet<u128>>>);

/// How many rows wait for a file without a currency column to show, in
/// an amount, which currency its amounts are in (`100 kr`); after that the
/// file is taken to name none.
pub const CURRENCY_WAIT_ROWS: usize = 10_000;

/// What a blank customer is shown as: a visible group of its own, never a
/// nameless one (which the customers view would rank like any customer).
pub const NO_CUSTOMER: &str = "(no customer)";
/// What a blank seller is shown as.
pub const NO_SELLER: &str = "(no seller)";

/// What a blank value of the column `--by` names (the segment) is shown
/// as: `(no product)` for the header `product`. `None` without one.
fn no_value(map: &ColumnMap) -> Option<String> {
    map.get(Field::Segment).map(|_| blank_group(map.header(Field::Segment)))
}

/// The further columns of `--by` in `map` (`Field::Column(0)`, `(1)`...,
/// as many as are named): each one's index and its blank value's name.
fn further_columns(map: &ColumnMap) -> Vec<(usize, String)> {
    (0..=u8::MAX)
        .map_while(|n| map.get(Field::Column(n)).map(|i| (i, blank_group(map.header(Field::Column(n))))))
        .collect()
}

/// The values of the further `--by` columns of a row, tidied as names, a
/// blank one named (`(no region)`).
fn fill_more(more: &[(usize, String)], fields: &[&str], out: &mut Vec<String>) {
    out.resize(more.len(), String::new());
    for ((i, blank), value) in more.iter().zip(out.iter_mut()) {
        clean_name(fields[*i], value);
        if value.is_empty() {
            value.push_str(blank);
        }
    }
}

/// What a blank value of the group column `column` is shown as:
/// `(no customer)`, `(no product)`.
pub fn blank_group(column: &str) -> String {
    format!("(no {})", column.trim().to_lowercase())
}

/// How many duplicate ids a warning names.
const SHOWN_IDS: usize = 3;

type Pending = (u64, Vec<String>, bool, Option<RowError>);

/// A cell of a typed row (`RowParser::push_cells`): text, or a value a
/// typed source (a Parquet column) already holds exactly, so that it is
/// not written out and read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell<'a> {
    /// The cell as text (a string column's value, borrowed; a null is "").
    Text(&'a str),
    /// An exact decimal amount: `mantissa / 10^scale` (a DECIMAL column).
    Amount { mantissa: i128, scale: i8 },
    /// A calendar date (a DATE column).
    Date(chrono::NaiveDate),
}

/// The widest typed row kept on the stack (a wider one is read as text).
const STACK_CELLS: usize = 32;

/// The exact amount of a typed cell, as the text rules would read its
/// text (`value_as_string`: the digits, a point before the last `scale`
/// of them): trailing zeros of the decimals dropped, at most
/// `MAX_DECIMALS` decimals and `MAX_INTEGER_DIGITS` integer digits. `None`
/// when the text rules must decide (they refuse it, with the text named).
fn typed_amount(mantissa: i128, scale: i8) -> Option<rust_decimal::Decimal> {
    let (mut m, mut s) = (mantissa, u32::try_from(scale).ok()?);
    while s > 0 && m % 10 == 0 {
        m /= 10;
        s -= 1;
    }
    if s as usize > amount::MAX_DECIMALS {
        return None;
    }
    let int = m.unsigned_abs() / 10u128.pow(s);
    if int >= 10u128.pow(amount::MAX_INTEGER_DIGITS as u32) {
        return None;
    }
    Some(rust_decimal::Decimal::from_i128_with_scale(m, s))
}

pub struct RowParser {
    file: String,
    map: ColumnMap,
    amount: usize,
    date: usize,
    customer: Option<usize>,
    seller: Option<usize>,
    currency: Option<usize>,
    order: Option<usize>,
    status: Option<usize>,
    segment: Option<usize>,
    /// What a blank value of the `--by` column is shown as: `(no product)`,
    /// as a blank customer is `(no customer)`.
    segment_blank: Option<String>,
    /// The further columns of `--by` (`Field::Column`): each one's index
    /// and what its blank value is shown as; and their values in the row.
    more: Vec<(usize, String)>,
    more_values: Vec<String>,
    width: usize,
    decimal: Decision<DecimalStyle>,
    default_decimal: DecimalStyle,
    dates: Decision<DateOrder>,
    timezone: Option<chrono_tz::Tz>,
    /// Rows waiting for a style (and the rows after them, so that rows are
    /// used and refused in file order): line, fields, whether the amount is
    /// a number (a JSON number or a spreadsheet's number cell), and the
    /// error of a row already known to be bad.
    pending: Vec<Pending>,
    /// Fingerprints of the rows seen, with --drop-duplicate-rows.
    seen_rows: Option<SeenRows>,
    /// Without a currency column: the currency the amounts write (`100
    /// kr`), settled by the first that writes one; `Given(None)` once the
    /// file was taken to write none.
    written: Decision<Option<amount::Written>>,
    /// An id column that is not an order column: ids seen, and duplicates.
    ids: Option<(usize, std::collections::HashSet<String>, u64, Vec<String>)>,
    scratch: [String; 4],
    /// What recognition decided beyond the columns.
    recipe: Recipe,
    /// The order whose first line was last read (for later lines).
    last_order: Option<String>,
    /// Whether a two-digit year was said on stderr.
    told_two_digit_year: bool,
    /// The texts of a typed row read through its text (reused).
    cell_texts: Vec<String>,
    /// Whether the sink looks at the customer and the seller of a deal
    /// (see `Sink::names_used`); a name it does not is handed over blank.
    names_used: [bool; 2],
}

impl RowParser {
    pub fn new(file: &str, map: ColumnMap, options: &ReadOptions) -> RowParser {
        let amount = map.get(Field::Amount).expect("amount column required");
        let date = map.get(Field::Date).expect("date column required");
        RowParser {
            file: file.to_string(),
            amount,
            date,
            customer: map.get(Field::Customer),
            seller: map.get(Field::Seller),
            currency: map.get(Field::Currency),
            order: map.get(Field::Order),
            status: map.get(Field::Status),
            // `aov breadth` reads the product where explain reads its segment.
            segment: map.get(Field::Segment).or_else(|| map.get(Field::Product)),
            segment_blank: no_value(&map),
            more: further_columns(&map),
            more_values: Vec::new(),
            width: map.headers.len(),
            decimal: options.decimal.map_or(Decision::Open, Decision::Given),
            default_decimal: options.default_decimal.unwrap_or(DecimalStyle::Point),
            dates: options.date_order.map_or(Decision::Open, Decision::Given),
            timezone: options.timezone,
            pending: Vec::new(),
            seen_rows: options.drop_duplicate_rows.then(|| options.seen_rows.clone()),
            written: Decision::Open,
            ids: match (map.get(Field::Id), map.get(Field::Order)) {
                (Some(i), None) => Some((i, Default::default(), 0, Vec::new())),
                _ => None,
            },
            scratch: Default::default(),
            map,
            recipe: Recipe::default(),
            last_order: None,
            told_two_digit_year: false,
            cell_texts: Vec::new(),
            names_used: [true, true],
        }
    }

    /// Tidy only the names the sink looks at (`Sink::names_used`). The
    /// lines of an order always carry them (see `deliver`).
    pub fn use_names(&mut self, used: [bool; 2]) {
        self.names_used = used;
    }

    /// Read rows as `recipe` says (an amount made from columns, rows that
    /// are not sales).
    pub fn with_recipe(mut self, recipe: Recipe) -> RowParser {
        self.recipe = recipe;
        self
    }

    /// The amount text that shows the row's decimal style: the amount
    /// column's, or with an amount made from columns, the first of them
    /// whose value shows the style (or else leaves it open).
    fn amount_raw<'a>(&self, fields: &[&'a str]) -> &'a str {
        let Some(expr) = &self.recipe.amount else { return fields[self.amount] };
        let cols = expr.columns();
        cols.iter()
            .map(|&i| fields[i])
            .find(|v| amount::evidence(v).is_some())
            .or_else(|| cols.iter().map(|&i| fields[i]).find(|v| amount::is_ambiguous(v)))
            .unwrap_or(fields[self.amount])
    }

    /// Whether the row is not a sale by the recipe: later lines of an
    /// order, then the layout's rules. Said to the sink as filtered out.
    fn not_a_sale(&mut self, fields: &[&str], sink: &mut dyn Sink) -> bool {
        if let Some((order, blank)) = self.recipe.later_lines {
            let key = fields[order].trim();
            let later = self.last_order.as_deref() == Some(key)
                && !key.is_empty()
                && blank.is_none_or(|b| fields[b].trim().is_empty());
            if later {
                sink.filtered("a later line of an order (the order's values are on its first line)");
                return true;
            }
            if blank.is_none_or(|b| !fields[b].trim().is_empty()) {
                self.last_order = Some(key.to_string());
            }
        }
        if self.recipe.rules.is_empty() {
            return false;
        }
        let style = self.decimal.get().unwrap_or(self.default_decimal);
        match self.recipe.check(fields, style) {
            Ok(()) => false,
            Err(reason) => {
                sink.filtered(reason);
                true
            }
        }
    }

    pub fn columns(&self) -> &ColumnMap {
        &self.map
    }

    fn error(&self, line: u64, field: Option<Field>, reason: String) -> RowError {
        RowError { file: self.file.clone(), line, column: field.map(|f| self.map.header(f).to_string()), reason }
    }

    /// The columns grew (a JSON key first seen in a later object): columns
    /// already mapped keep their place and new ones join at the end; the
    /// rows read so far had no value there. `Err` when the new columns
    /// would change what a mapped field is read from.
    pub fn widen(&mut self, map: ColumnMap) -> Result<(), String> {
        let more = (0..self.more.len()).map(|i| Field::Column(i as u8));
        for field in Field::ALL.into_iter().chain([Field::Segment]).chain(more) {
            if let Some(i) = self.map.get(field) {
                if map.get(field) != Some(i) {
                    return Err(format!(
                        "the {} column would change from \"{}\" to \"{}\"; name it with {}",
                        field.name(),
                        self.map.header(field),
                        map.header(field),
                        field.flag()
                    ));
                }
            }
        }
        self.customer = map.get(Field::Customer);
        self.seller = map.get(Field::Seller);
        self.currency = map.get(Field::Currency);
        self.order = map.get(Field::Order);
        self.status = map.get(Field::Status);
        self.segment = map.get(Field::Segment);
        self.segment_blank = no_value(&map);
        self.more = further_columns(&map);
        self.width = map.headers.len();
        if self.order.is_some() {
            self.ids = None;
        } else if self.ids.is_none() {
            self.ids = map.get(Field::Id).map(|i| (i, Default::default(), 0, Vec::new()));
        }
        for (_, fields, _, _) in &mut self.pending {
            fields.resize(self.width, String::new());
        }
        self.map = map;
        Ok(())
    }

    /// Read one row. Rows whose fields are all empty are not rows (as blank
    /// lines are not) and are passed over.
    pub fn push(&mut self, line: u64, fields: &[&str], sink: &mut dyn Sink) -> ControlFlow<()> {
        self.push_typed(line, fields, false, sink)
    }

    /// `push` for a row whose amount is a number, not text (a JSON number,
    /// a spreadsheet's number cell): its text has a decimal point and no
    /// group separators, whatever the column's style, and it settles
    /// nothing about the style of the column's text values.
    pub fn push_typed(&mut self, line: u64, fields: &[&str], numeric: bool, sink: &mut dyn Sink) -> ControlFlow<()> {
        if fields.iter().all(|f| f.trim().is_empty()) {
            return ControlFlow::Continue(());
        }
        // A trailing empty field (a delimiter at the end of the line) is fine.
        let mut n = fields.len();
        while n > self.width && fields[n - 1].trim().is_empty() {
            n -= 1;
        }
        if n != self.width {
            let e = self.error(line, None, format!("the row has {n} fields but the header has {}", self.width));
            if !self.pending.is_empty() {
                self.pending.push((line, fields.iter().map(|f| f.to_string()).collect(), numeric, Some(e)));
                return ControlFlow::Continue(());
            }
            return sink.reject(e, fields);
        }
        if self.not_a_sale(fields, sink) {
            return ControlFlow::Continue(());
        }
        if let Some(seen) = self.seen_rows.as_ref() {
            // Two independent 64-bit hashes of every field: a false match
            // would need both to collide (about one in 10^38 per pair).
            let mut a = foldhash::quality::FixedState::with_seed(1).build_hasher();
            let mut b = foldhash::quality::FixedState::with_seed(2).build_hasher();
            for f in &fields[..n] {
                std::hash::Hash::hash(f, &mut a);
                std::hash::Hash::hash(f, &mut b);
            }
            let key = (u128::from(std::hash::Hasher::finish(&a)) << 64) | u128::from(std::hash::Hasher::finish(&b));
            if !seen.0.lock().expect("seen rows").insert(key) {
                sink.duplicate();
                return ControlFlow::Continue(());
            }
        }
        if let Some((i, seen, dups, first)) = self.ids.as_mut() {
            let id = fields[*i].trim();
            if !id.is_empty() && !seen.insert(id.to_string()) {
                *dups += 1;
                if first.len() < SHOWN_IDS && !first.iter().any(|x| x == id) {
                    first.push(id.to_string());
                }
            }
        }
        let raw_amount = self.amount_raw(fields);
        let raw_date = fields[self.date];

        // Decide the column styles from this row if it shows them (before
        // the filters look at it, as the fast path's plan does: a value that
        // reads in one style shows the column's style, whoever's row it is).
        let (shown_decimal, shown_order) =
            row_evidence_of(raw_amount, raw_date, numeric, self.decimal.get().is_none(), self.dates.get().is_none());
        if self.decimal.get().is_none() {
            if let Some(style) = shown_decimal {
                self.decimal = Decision::Seen(style, raw_amount.trim().to_string(), line);
                self.flush_pending(sink)?;
            }
        }
        if self.dates.get().is_none() {
            if let Some(order) = shown_order {
                self.dates = Decision::Seen(order, raw_date.trim().to_string(), line);
                self.flush_pending(sink)?;
            }
        }
        if self.currency.is_none() && self.written.get().is_none() {
            if let Some(w) = amount::written_currency(raw_amount) {
                self.written = Decision::Seen(Some(w), raw_amount.trim().to_string(), line);
                self.flush_pending(sink)?;
            }
        }
        // A row the filters leave out is counted now, whatever it holds.
        let head = self.head(fields);
        if !sink.screen(&head) {
            return ControlFlow::Continue(());
        }
        let wait_amount = !numeric && self.decimal.get().is_none() && amount::is_ambiguous(raw_amount);
        let wait_date = self.dates.get().is_none() && date::is_ambiguous(raw_date);
        let wait_currency = self.currency.is_none() && self.written.get().is_none();
        if wait_amount || wait_date || wait_currency || !self.pending.is_empty() {
            self.pending.push((line, fields[..n].iter().map(|f| f.to_string()).collect(), numeric, None));
            if self.pending.len() >= CURRENCY_WAIT_ROWS && self.written.get().is_none() {
                self.written = Decision::Given(None);
                self.flush_pending(sink)?;
            }
            return ControlFlow::Continue(());
        }
        self.parse(line, fields, numeric, sink)
    }

    /// What the filters look at before a row is parsed: its status,
    /// customer and seller as written.
    fn head<'a>(&self, fields: &[&'a str]) -> Head<'a> {
        Head {
            status: self.status.map(|i| fields[i].trim()),
            customer: self.customer.map_or("", |i| fields[i]),
            seller: self.seller.map_or("", |i| fields[i]),
        }
    }

    /// `push_typed` for a row of typed cells (a Parquet row): the same
    /// rules, the same results. A row whose amount and date cells are
    /// typed and read exactly, once the file's styles and currency are
    /// settled, goes straight to the deal; any other row (or any row that
    /// would be refused, counted as a duplicate or wait) is read from its
    /// text, which `text` writes for a typed cell `i`, only then.
    pub fn push_cells(
        &mut self,
        line: u64,
        cells: &[Cell<'_>],
        numeric: bool,
        text: &mut dyn FnMut(usize, &mut String),
        sink: &mut dyn Sink,
    ) -> ControlFlow<()> {
        if let Some((amount, date)) = self.quick(cells, numeric) {
            let mut stack = [""; STACK_CELLS];
            for (slot, cell) in stack.iter_mut().zip(cells) {
                if let Cell::Text(t) = cell {
                    *slot = t;
                }
            }
            let fields = &stack[..cells.len()];
            let head = self.head(fields);
            if !sink.screen(&head) {
                return ControlFlow::Continue(());
            }
            return self.deliver(line, fields, "", Ok((amount, None)), Ok(date), sink);
        }
        let mut texts = std::mem::take(&mut self.cell_texts);
        texts.resize(cells.len(), String::new());
        for (i, (cell, out)) in cells.iter().zip(texts.iter_mut()).enumerate() {
            out.clear();
            match cell {
                Cell::Text(t) => out.push_str(t),
                Cell::Amount { .. } | Cell::Date(_) => text(i, out),
            }
        }
        let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
        let flow = self.push_typed(line, &fields, numeric, sink);
        drop(fields);
        self.cell_texts = texts;
        flow
    }

    /// The amount and date of a typed row that the text rules would read
    /// as they are, with nothing else to decide: `None` sends the row
    /// through its text. What is checked, and why it is enough:
    /// - the amount is a typed DECIMAL (a number: it shows and settles no
    ///   style) within the limits, and the date a typed date in `YEARS`
    ///   (an ISO date: no order to settle, no two-digit year, no zone);
    /// - no row waits, the currency is settled (or a column gives it), and
    ///   no rule of the file needs the row's text (an amount made from
    ///   columns, a layout's rules, later lines of an order, duplicate
    ///   rows, repeated ids);
    /// - every other cell is text, and no column the deal reads is the
    ///   amount's or the date's (their text is not at hand).
    fn quick(&self, cells: &[Cell<'_>], numeric: bool) -> Option<(rust_decimal::Decimal, chrono::NaiveDate)> {
        let settled = numeric
            && self.pending.is_empty()
            && (self.currency.is_some() || self.written.get().is_some())
            && self.recipe.is_plain()
            && self.seen_rows.is_none()
            && self.ids.is_none()
            && cells.len() == self.width
            && cells.len() <= STACK_CELLS;
        if !settled {
            return None;
        }
        let amount = match cells[self.amount] {
            Cell::Amount { mantissa, scale } => typed_amount(mantissa, scale)?,
            _ => return None,
        };
        let date = match cells[self.date] {
            Cell::Date(d) if date::YEARS.contains(&chrono::Datelike::year(&d)) => d,
            _ => return None,
        };
        let typed = [self.amount, self.date];
        let read = [self.customer, self.seller, self.currency, self.order, self.status, self.segment];
        if read.iter().flatten().chain(self.more.iter().map(|(i, _)| i)).any(|i| typed.contains(i)) {
            return None;
        }
        let others_text = cells.iter().enumerate().all(|(i, c)| typed.contains(&i) || matches!(c, Cell::Text(_)));
        others_text.then_some((amount, date))
    }

    fn flush_pending(&mut self, sink: &mut dyn Sink) -> ControlFlow<()> {
        let pending = std::mem::take(&mut self.pending);
        let mut rest = pending.into_iter();
        while let Some((line, fields, numeric, bad)) = rest.next() {
            let refs: Vec<&str> = fields.iter().map(|s| s.as_str()).collect();
            let flow = match bad {
                Some(e) => sink.reject(e, &refs),
                None => {
                    let wait_amount =
                        !numeric && self.decimal.get().is_none() && amount::is_ambiguous(self.amount_raw(&refs));
                    let wait_date = self.dates.get().is_none() && date::is_ambiguous(refs[self.date]);
                    let wait_currency = self.currency.is_none() && self.written.get().is_none();
                    if wait_amount || wait_date || wait_currency {
                        // This row still waits, and every row after it.
                        self.pending.push((line, fields, numeric, None));
                        self.pending.extend(rest);
                        return ControlFlow::Continue(());
                    }
                    self.parse(line, &refs, numeric, sink)
                }
            };
            if flow.is_break() {
                return flow;
            }
        }
        ControlFlow::Continue(())
    }

    /// At the end of the input: settle what no value settled and read the
    /// rows that waited for it.
    pub fn finish(&mut self, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
        if let Some((i, _, dups, first)) = self.ids.take() {
            if dups > 0 {
                let shown: Vec<String> = first.iter().map(|x| format!("\"{x}\"")).collect();
                sink.warn(format!(
                    "{}: {dups} {} an id of column \"{}\" (first: {}); if they are lines of one order, say so with --order-col \"{}\"",
                    self.file,
                    if dups == 1 { "row repeats" } else { "rows repeat" },
                    self.map.headers[i].trim(),
                    shown.join(", "),
                    self.map.headers[i].trim()
                ));
            }
        }
        if self.pending.is_empty() {
            return Ok(ControlFlow::Continue(()));
        }
        if self.written.get().is_none() {
            self.written = Decision::Given(None);
        }
        // A decimal comma shown by the amounts or given by a flag (not one
        // merely assumed for want of evidence).
        let comma = self.decimal.get() == Some(DecimalStyle::Comma);
        if self.decimal.get().is_none() {
            self.decimal = Decision::Given(self.default_decimal);
        }
        if self.dates.get().is_none()
            && self.pending.iter().any(|(_, f, _, bad)| bad.is_none() && date::is_ambiguous(&f[self.date]))
        {
            // No date shows its order: a decimal comma, or headers in a
            // language that writes the day first, settle it.
            let hint = if comma {
                Some("the amounts use a decimal comma".to_string())
            } else {
                self.recipe.day_first_hint.clone()
            };
            if let Some(why) = hint {
                sink.note(format!(
                    "{}: column \"{}\": no date shows whether the day or the month comes first; read day first, as {why} (--date-format mdy says otherwise)",
                    self.file,
                    self.map.header(Field::Date)
                ));
                self.dates = Decision::Given(DateOrder::DayFirst);
            }
        }
        if self.dates.get().is_none() {
            let stuck =
                self.pending.iter().position(|(_, f, _, bad)| bad.is_none() && date::is_ambiguous(&f[self.date]));
            if let Some(at) = stuck {
                // The rows before it are read first, as a reader that had
                // not waited for the currency would have (enough bad rows
                // there stop the run before the date is reached).
                let stuck_rows = self.pending.split_off(at);
                if self.flush_pending(sink).is_break() {
                    return Ok(ControlFlow::Break(()));
                }
                let (line, fields, _, _) = &stuck_rows[0];
                return Err(Error::File {
                    path: self.file.clone(),
                    message: format!(
                        "column \"{}\": no date in the column shows whether it is day first or month first (line {line}: \"{}\"); say which with --date-format dmy or --date-format mdy",
                        self.map.header(Field::Date),
                        fields[self.date].trim()
                    ),
                });
            }
        }
        Ok(self.flush_pending(sink))
    }

    fn parse(&mut self, line: u64, fields: &[&str], numeric: bool, sink: &mut dyn Sink) -> ControlFlow<()> {
        let raw_amount = fields[self.amount];
        let style = if numeric { DecimalStyle::Point } else { self.decimal.get().unwrap_or(self.default_decimal) };
        // The amount and the currency it writes, or the column at fault and why.
        let mut amount = match &self.recipe.amount {
            None => amount::parse_amount_currency(raw_amount, style)
                .map_err(|e| (Some(self.map.header(Field::Amount).to_string()), e.to_string())),
            Some(expr) => {
                expr.eval(&mut |i| amount::parse_amount(fields[i], style)).map(|a| (a, None)).map_err(|e| match e {
                    crate::load::expr::EvalError::Column(i, e) => {
                        (Some(self.map.headers[i].trim().to_string()), e.to_string())
                    }
                    crate::load::expr::EvalError::Overflow => {
                        (None, "the amount's value has more digits than can be held exactly (28)".to_string())
                    }
                })
            }
        };
        if let (Decision::Seen(decided, by, by_line), false) = (&self.decimal, numeric) {
            if amount::shows_other(raw_amount, *decided) {
                let e = AmountError::Mixed {
                    value: raw_amount.trim().to_string(),
                    style: *decided,
                    decided_by: by.clone(),
                    line: *by_line,
                };
                amount = Err((Some(self.map.header(Field::Amount).to_string()), e.to_string()));
            }
        }
        if !self.told_two_digit_year && date::has_two_digit_year(fields[self.date]) {
            self.told_two_digit_year = true;
            sink.note(format!(
                "{}: column \"{}\": two-digit years read as Excel reads them, 00-29 as 2000-2029 and 30-99 as 1930-1999 (line {line}: \"{}\")",
                self.file,
                self.map.header(Field::Date),
                fields[self.date].trim()
            ));
        }
        let date = match self.timezone.and_then(|tz| date::zoned_date(fields[self.date], tz)) {
            Some(zoned) => zoned.map_err(|e| e.to_string()),
            None => match date::parse_iso_fast(fields[self.date].as_bytes()) {
                Some(d) => Ok(d),
                None => date::parse_date(fields[self.date], self.dates.get()).map_err(|e| e.to_string()),
            },
        };
        self.deliver(line, fields, raw_amount, amount, date, sink)
    }

    /// The rest of `parse`, once the amount (and the currency it writes)
    /// and the date are read or refused: blank values, names, the
    /// currency, then the deal or the bad row.
    fn deliver(
        &mut self,
        line: u64,
        fields: &[&str],
        raw_amount: &str,
        amount: Result<(rust_decimal::Decimal, Option<amount::Written>), (Option<String>, String)>,
        date: Result<chrono::NaiveDate, String>,
        sink: &mut dyn Sink,
    ) -> ControlFlow<()> {
        // A blank amount or date: a row some views count (open quotes).
        let blank_amount = raw_amount.trim().is_empty() && amount.is_err();
        let blank_date = fields[self.date].trim().is_empty() && date.is_err();
        if (blank_amount && (date.is_ok() || blank_date)) || (blank_date && amount.is_ok()) {
            let [customer, seller, currency, segment] = &mut self.scratch;
            clean_name(self.segment.map_or("", |i| fields[i]), segment);
            if let Some(blank) = self.segment_blank.as_deref().filter(|_| segment.is_empty()) {
                segment.push_str(blank);
            }
            clean_name(self.customer.map_or("", |i| fields[i]), customer);
            clean_name(self.seller.map_or("", |i| fields[i]), seller);
            clean_name(self.currency.map_or("", |i| fields[i]), currency);
            currency.make_ascii_uppercase();
            fill_more(&self.more, fields, &mut self.more_values);
            let row = Incomplete {
                amount: amount.as_ref().ok().map(|(a, _)| *a),
                date: date.as_ref().ok().copied(),
                customer,
                seller,
                currency,
                order: self.order.map_or("", |i| fields[i].trim()),
                status: self.status.map_or("", |i| fields[i].trim()),
                segment,
                more: &self.more_values,
            };
            if let Some(flow) = sink.incomplete(line, &row) {
                return flow;
            }
        }
        let (amount, written) = match amount {
            Ok(a) => a,
            Err((column, reason)) => {
                // A row the date range leaves out is not a bad row.
                if let Ok(d) = date {
                    if !sink.screen_date(d) {
                        return ControlFlow::Continue(());
                    }
                }
                let err = RowError { file: self.file.clone(), line, column, reason };
                return sink.reject(err, fields);
            }
        };
        let date = match date {
            Ok(d) => d,
            Err(reason) => {
                let err = self.error(line, Some(Field::Date), reason);
                return sink.reject(err, fields);
            }
        };
        let [customer, seller, currency, segment] = &mut self.scratch;
        clean_name(self.segment.map_or("", |i| fields[i]), segment);
        if let Some(blank) = self.segment_blank.as_deref().filter(|_| segment.is_empty()) {
            segment.push_str(blank);
        }
        // The lines of an order carry both names, whatever the sink says:
        // the orders check that their lines agree on the customer. (An
        // order column can come late: a key of later JSON objects.)
        let orders = self.order.is_some();
        let [use_customer, use_seller] = self.names_used.map(|u| u || orders);
        let (customer_at, seller_at) = (self.customer.filter(|_| use_customer), self.seller.filter(|_| use_seller));
        clean_name(customer_at.map_or("", |i| fields[i]), customer);
        clean_name(seller_at.map_or("", |i| fields[i]), seller);
        if customer.is_empty() && customer_at.is_some() {
            customer.push_str(NO_CUSTOMER);
        }
        if seller.is_empty() && seller_at.is_some() {
            seller.push_str(NO_SELLER);
        }
        clean_name(self.currency.map_or("", |i| fields[i]), currency);
        currency.make_ascii_uppercase();
        // A currency written in the amount is the deal's; one that
        // disagrees with the currency column is bad data. Without a currency
        // column, the first amount that writes a currency settles the
        // file's: amounts that write none are in it, and one that writes
        // another is bad data.
        if self.currency.is_none() {
            let settled = match &self.written {
                Decision::Seen(Some(w), by, by_line) => Some((*w, by.clone(), *by_line)),
                _ => None,
            };
            match (written, settled) {
                (Some(w), Some((first, by, by_line))) if w.with_column("") != first.with_column("") => {
                    let reason = format!(
                        "the amount {:?} names another currency than {by:?} on line {by_line}; with several currencies, add a currency column",
                        raw_amount.trim()
                    );
                    let err = self.error(line, Some(Field::Amount), reason);
                    return sink.reject(err, fields);
                }
                (Some(w), None) => {
                    let reason = format!(
                        "the amount {:?} names a currency, but the first {CURRENCY_WAIT_ROWS} rows of the file name none; add a currency column",
                        raw_amount.trim()
                    );
                    let _ = w;
                    let err = self.error(line, Some(Field::Amount), reason);
                    return sink.reject(err, fields);
                }
                (_, Some((first, _, _))) => *currency = first.with_column("").unwrap_or_default(),
                (None, None) => {}
            }
        } else if let Some(w) = written {
            match w.with_column(currency) {
                Ok(c) => *currency = c,
                Err(named) => {
                    let reason = format!(
                        "the amount {:?} is in {named}, but column \"{}\" says {}",
                        raw_amount.trim(),
                        self.map.header(Field::Currency),
                        currency
                    );
                    let err = self.error(line, Some(Field::Amount), reason);
                    return sink.reject(err, fields);
                }
            }
        }
        let order = self.order.map_or("", |i| fields[i].trim());
        let status = self.status.map_or("", |i| fields[i].trim());
        fill_more(&self.more, fields, &mut self.more_values);
        let more = &self.more_values;
        let deal = Deal { amount, date, customer, seller, currency, order, status, segment, more };
        sink.deal(line, &deal)
    }
}

/// What a row says about its columns' styles: the decimal style its amount
/// shows and the day/month order its date shows, each only when the row's
/// other value can be read (a row refused for its date settles no decimal
/// style, and the other way round). Both readers settle styles through this.
pub fn row_evidence(raw_amount: &str, raw_date: &str, numeric: bool) -> (Option<DecimalStyle>, Option<DateOrder>) {
    row_evidence_of(raw_amount, raw_date, numeric, true, true)
}

/// `row_evidence`, looking only for what is asked (a column's style
/// already settled needs no evidence): `None` for the other.
fn row_evidence_of(
    raw_amount: &str,
    raw_date: &str,
    numeric: bool,
    decimal: bool,
    order: bool,
) -> (Option<DecimalStyle>, Option<DateOrder>) {
    let amount_readable = || {
        numeric
            || [DecimalStyle::Point, DecimalStyle::Comma].iter().any(|s| amount::parse_amount(raw_amount, *s).is_ok())
    };
    let date_readable = || {
        date::parse_iso_fast(raw_date.as_bytes()).is_some()
            || [DateOrder::DayFirst, DateOrder::MonthFirst].iter().any(|o| date::parse_date(raw_date, Some(*o)).is_ok())
    };
    let decimal = if numeric || !decimal { None } else { amount::evidence(raw_amount).filter(|_| date_readable()) };
    let order = if order { date::evidence(raw_date).filter(|_| amount_readable()) } else { None };
    (decimal, order)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_blank_group_is_named_as_a_blank_customer_is() {
        assert_eq!(blank_group("customer"), NO_CUSTOMER);
        assert_eq!(blank_group("seller"), NO_SELLER);
        assert_eq!(blank_group(" Produktgrupp "), "(no produktgrupp)");
    }

    use super::*;
    use crate::model::Deal;

    /// Records each deal's names; looks at the names it is told to.
    struct Names(Vec<(String, String)>, [bool; 2]);

    impl Sink for Names {
        fn deal(&mut self, _line: u64, deal: &Deal<'_>) -> ControlFlow<()> {
            self.0.push((deal.customer.to_string(), deal.seller.to_string()));
            ControlFlow::Continue(())
        }
        fn reject(&mut self, error: RowError, _fields: &[&str]) -> ControlFlow<()> {
            panic!("no row is bad here: {error:?}")
        }
        fn names_used(&self) -> [bool; 2] {
            self.1
        }
    }

    fn names_read(headers: &[&str], rows: &[&[&str]], used: [bool; 2]) -> Vec<(String, String)> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let mut sink = Names(Vec::new(), used);
        let required = [Field::Amount, Field::Date];
        let mut parser = crate::load::recognize::start(
            "t.csv",
            &headers,
            &[],
            &std::collections::HashMap::new(),
            &required,
            &ReadOptions::default(),
            &mut sink,
        )
        .unwrap();
        for (i, row) in rows.iter().enumerate() {
            assert!(parser.push(i as u64 + 2, row, &mut sink).is_continue());
        }
        assert!(parser.finish(&mut sink).unwrap().is_continue());
        sink.0
    }

    #[test]
    fn only_the_names_the_sink_looks_at_are_tidied_but_order_lines_keep_both() {
        let h = ["date", "customer", "seller", "amount"];
        let rows: [&[&str]; 2] = [&["2014-01-02", "  Acme   AB ", "Eva", "10"], &["2014-01-03", "", " Per ", "5"]];
        let both = names_read(&h, &rows, [true, true]);
        assert_eq!(both, [("Acme AB".into(), "Eva".into()), (NO_CUSTOMER.into(), "Per".into())]);
        let sellers = names_read(&h, &rows, [false, true]);
        assert_eq!(sellers, [(String::new(), "Eva".into()), (String::new(), "Per".into())]);
        let none = names_read(&h, &rows, [false, false]);
        assert_eq!(none, [(String::new(), String::new()), (String::new(), String::new())]);
        // With an order column the lines carry both names, whatever the
        // sink says: orders check that their lines agree on the customer.
        let h = ["date", "order", "customer", "seller", "amount"];
        let rows: [&[&str]; 1] = [&["2014-01-02", "A1", " Acme AB", "Eva", "10"]];
        assert_eq!(names_read(&h, &rows, [false, false]), [("Acme AB".into(), "Eva".into())]);
    }
}
