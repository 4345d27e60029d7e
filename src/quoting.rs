//! From rows to a book of quotes, for `aov quotes`: the sink that keeps
//! every status class instead of filtering by status.
//!
//! The report's `Collector` counts closed sales only and rejects a row
//! without an amount or a date. Quotes need the lost and open ones too,
//! and an open quote often has no date yet and a lost one no value: this
//! sink counts them (in the totals, or without a value) rather than
//! rejecting them. Void quotes and statuses the vocabulary does not know
//! are left out and counted. Filters, order lines, bad rows, the rejects
//! file and the row accounting follow the same rules as the report's.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::aggregate::partials::exact_add;
use crate::aggregate::quotes::QuoteBook;
use crate::aggregate::{Overflow, Period, PeriodKey};
use crate::config::CommonSettings;
use crate::error::{Error, RowError, SHOWN_BAD_ROWS};
use crate::load::{self, Field, InputFormat, source};
use crate::model::{Deal, Dimension, Filter, Head, Incomplete, RowAccounting, Sink, Window, fold_name};
use crate::pipeline::reason_kind;
use crate::status::StatusClass;

/// What was counted and left out, for the stderr line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteTally {
    /// Quotes of each class counted: won, lost, open.
    pub won: u64,
    pub lost: u64,
    pub open: u64,
    /// Rows left out per status value as written: void ones, and values
    /// the vocabulary does not know.
    pub void: BTreeMap<String, u64>,
    pub unknown: BTreeMap<String, u64>,
    /// Open quotes without a date (in the totals only), and lost or open
    /// ones without a value.
    pub undated: u64,
    pub unvalued_lost: u64,
    pub unvalued_open: u64,
    /// Credit notes (below zero) left out.
    pub credits: u64,
    pub by_date: u64,
    pub by_customer: u64,
    pub by_seller: u64,
    pub by_window: u64,
    /// Quotes converted into `--currency`, per currency: (how many, the
    /// first and last dates of the rates used).
    pub converted: BTreeMap<String, (u64, NaiveDate, NaiveDate)>,
    /// Open quotes in another currency without a date: no rate to convert
    /// their value at, so it is left out.
    pub unconverted: u64,
    /// Rows a known export layout says are not sales, per reason.
    pub not_sales: BTreeMap<String, u64>,
    /// How files were read (layouts, sheets, columns found by their values).
    pub notes: Vec<String>,
}

/// A quote assembled from the lines of one order.
struct Pending {
    amount: Option<Decimal>,
    date: Option<NaiveDate>,
    customer: String,
    seller: String,
    segment: String,
    more: Vec<String>,
    currency: String,
    status: String,
    lines: u64,
    file: String,
    line: u64,
}

/// Collects quotes into a `QuoteBook`.
pub struct QuoteSink<'w> {
    by: Vec<Dimension>,
    filter: Filter,
    /// Convert every quote into one currency (`--currency --rates`).
    rates: Option<std::sync::Arc<crate::load::rates::RateTable>>,
    pub book: QuoteBook,
    pub accounting: RowAccounting,
    pub tally: QuoteTally,
    skip_bad_rows: bool,
    shown: Vec<RowError>,
    pub reasons: BTreeMap<String, u64>,
    rejects: Option<csv::Writer<Box<dyn Write + 'w>>>,
    rejects_error: Option<std::io::Error>,
    file: String,
    overflow: Option<Overflow>,
    /// Per `by` dimension: each folded name's spellings and how often.
    spellings: Vec<HashMap<String, BTreeMap<String, u64>>>,
    orders: HashMap<String, Pending>,
    pub duplicates: u64,
    pub warnings: Vec<String>,
    scratch: String,
}

impl<'w> QuoteSink<'w> {
    pub fn new(period: Period, by: &[Dimension], filter: Filter, skip_bad_rows: bool) -> QuoteSink<'w> {
        QuoteSink {
            by: by.to_vec(),
            filter,
            rates: None,
            book: QuoteBook::new(period),
            accounting: RowAccounting::default(),
            tally: QuoteTally::default(),
            skip_bad_rows,
            shown: Vec::new(),
            reasons: BTreeMap::new(),
            rejects: None,
            rejects_error: None,
            file: String::new(),
            overflow: None,
            spellings: vec![HashMap::new(); by.len()],
            orders: HashMap::new(),
            duplicates: 0,
            warnings: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Convert every quote into one currency at these rates.
    pub fn with_rates(mut self, rates: Option<std::sync::Arc<crate::load::rates::RateTable>>) -> QuoteSink<'w> {
        self.rates = rates;
        self
    }

    /// Write every skipped row to `out` as CSV.
    pub fn write_rejects_to(&mut self, out: Box<dyn Write + 'w>) -> std::io::Result<()> {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
        w.write_record(["file", "line", "reason", "fields"])?;
        self.rejects = Some(w);
        Ok(())
    }

    pub fn set_file(&mut self, name: &str) {
        self.file = name.to_string();
    }

    /// The most frequent spelling of each folded name (ties: the first in
    /// sort order), per `by` dimension.
    pub fn shown_names(&self) -> Vec<HashMap<String, String>> {
        self.spellings
            .iter()
            .map(|m| {
                m.iter()
                    .map(|(folded, spellings)| {
                        let best = spellings
                            .iter()
                            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                            .map_or(folded.clone(), |(s, _)| s.clone());
                        (folded.clone(), best)
                    })
                    .collect()
            })
            .collect()
    }

    /// A quote's value in `--currency` at its date's rate. A quote
    /// without a date has no rate: its value is left out (and counted).
    /// With no rate in reach its rows are rejected (`Err`).
    fn convert(
        &mut self,
        (file, line): (&str, u64),
        currency: &str,
        amount: Option<Decimal>,
        date: Option<NaiveDate>,
        rows: u64,
    ) -> Result<Option<Decimal>, ControlFlow<()>> {
        let Some(rates) = self.rates.clone() else { return Ok(amount) };
        let Some(a) = amount else { return Ok(None) };
        let Some(d) = date else {
            if currency.is_empty() || currency == rates.target {
                return Ok(amount);
            }
            self.tally.unconverted += 1;
            return Ok(None);
        };
        match rates.convert(a, currency, d) {
            None => Ok(amount),
            Some(Ok((converted, on))) => {
                let e = self.tally.converted.entry(currency.to_string()).or_insert((0, on, on));
                e.0 += 1;
                e.1 = e.1.min(on);
                e.2 = e.2.max(on);
                Ok(Some(converted))
            }
            Some(Err(reason)) => {
                self.accounting.read -= rows;
                let e = RowError { file: file.to_string(), line, column: None, reason };
                let more = rows.saturating_sub(1);
                *self.reasons.entry(reason_kind(&e)).or_default() += more;
                self.accounting.read += more;
                self.accounting.rejected += more;
                Err(self.reject(e, &[]))
            }
        }
    }

    /// Count one quote made of `rows` input rows.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        at: (&str, u64),
        [customer, seller, segment]: [&str; 3],
        more: &[String],
        currency: &str,
        status: &str,
        amount: Option<Decimal>,
        date: Option<NaiveDate>,
        rows: u64,
    ) -> ControlFlow<()> {
        let Some(class) = self.filter.vocabulary.class(status).filter(|c| *c != StatusClass::Void) else {
            // Screened out already for single rows; an order's status is
            // its first line's.
            *self.tally.unknown.entry(status.to_string()).or_default() += 1;
            self.accounting.filtered += rows;
            return ControlFlow::Continue(());
        };
        if date.is_some_and(|d| !self.filter.keeps_date(d)) {
            self.tally.by_date += rows;
            self.accounting.filtered += rows;
            return ControlFlow::Continue(());
        }
        if amount.is_some_and(|a| self.filter.leaves_out_credit(a)) {
            self.tally.credits += 1;
            self.accounting.filtered += rows;
            return ControlFlow::Continue(());
        }
        let target = self.rates.as_ref().map(|r| r.target.clone());
        let amount = match self.convert(at, currency, amount, date, rows) {
            Ok(a) => a,
            Err(flow) => return flow,
        };
        let currency = target.as_deref().unwrap_or(currency);
        let mut group: Vec<String> = Vec::with_capacity(self.by.len());
        for (i, d) in self.by.iter().enumerate() {
            let name = match d {
                Dimension::Customer => customer,
                Dimension::Seller => seller,
                Dimension::Segment => segment,
                Dimension::Column(c) => more.get(usize::from(*c)).map_or("", String::as_str),
            };
            let folded = fold_name(name, self.filter.case_sensitive);
            *self.spellings[i].entry(folded.clone()).or_default().entry(name.to_string()).or_default() += 1;
            group.push(folded);
        }
        let refs: Vec<&str> = group.iter().map(String::as_str).collect();
        match class {
            StatusClass::Won => self.tally.won += 1,
            StatusClass::Lost => self.tally.lost += 1,
            _ => self.tally.open += 1,
        }
        if date.is_none() {
            self.tally.undated += 1;
        }
        if amount.is_none() {
            match class {
                StatusClass::Lost => self.tally.unvalued_lost += 1,
                _ => self.tally.unvalued_open += 1,
            }
        }
        self.accounting.used += rows;
        if let Err(e) = self.book.add_rows(&refs, currency, date, class, amount, rows) {
            self.overflow.get_or_insert(e);
        }
        ControlFlow::Continue(())
    }

    /// A line of an order: added to its order, or rejected when it
    /// contradicts it.
    fn line(&mut self, line: u64, row: &Incomplete<'_>) -> ControlFlow<()> {
        let clash = match self.orders.get_mut(row.order) {
            None => {
                self.orders.insert(
                    row.order.to_string(),
                    Pending {
                        amount: row.amount,
                        date: row.date,
                        customer: row.customer.to_string(),
                        seller: row.seller.to_string(),
                        segment: row.segment.to_string(),
                        more: row.more.to_vec(),
                        currency: row.currency.to_string(),
                        status: row.status.to_string(),
                        lines: 1,
                        file: self.file.clone(),
                        line,
                    },
                );
                None
            }
            Some(o) if o.customer != row.customer => Some(format!(
                "order \"{}\" has lines for customers \"{}\" and \"{}\"",
                row.order, o.customer, row.customer
            )),
            Some(o) if o.currency != row.currency => Some(format!(
                "order \"{}\" has lines in currencies \"{}\" and \"{}\"",
                row.order, o.currency, row.currency
            )),
            Some(o) => {
                let amount = match (o.amount, row.amount) {
                    (Some(a), Some(b)) => exact_add(a, b).map(Some),
                    (a, b) => Some(a.or(b)),
                };
                match amount {
                    Some(a) => {
                        o.amount = a;
                        o.date = match (o.date, row.date) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                        o.lines += 1;
                        None
                    }
                    None => Some(format!("order \"{}\" adds up to more than can be held exactly", row.order)),
                }
            }
        };
        match clash {
            None => ControlFlow::Continue(()),
            Some(reason) => {
                self.accounting.read -= 1; // reject() counts the row
                let e = RowError { file: self.file.clone(), line, column: None, reason };
                self.reject(e, &[])
            }
        }
    }

    /// A row read: one quote, or a line of an order.
    fn take(&mut self, line: u64, row: &Incomplete<'_>) -> ControlFlow<()> {
        self.accounting.read += 1;
        if !row.order.is_empty() {
            return self.line(line, row);
        }
        let file = std::mem::take(&mut self.file);
        let flow = self.add(
            (&file, line),
            [row.customer, row.seller, row.segment],
            row.more,
            row.currency,
            row.status,
            row.amount,
            row.date,
            1,
        );
        self.file = file;
        flow
    }

    /// Keep the periods of `--last` and `--complete-only`; what is dropped
    /// counts as filtered out.
    pub fn apply_window(&mut self, window: &Window) {
        let period = self.book.period();
        let mut dropped = 0;
        if let Some(day) = window.complete_before {
            let running = period.key(day);
            dropped += self.book.retain_periods(|k| k < running).rows;
        }
        if let Some(n) = window.last {
            if let Some(last) = self.book.last_key() {
                let first = PeriodKey(last.0 - i64::from(n) + 1);
                dropped += self.book.retain_periods(|k| k >= first).rows;
            }
        }
        self.accounting.used -= dropped;
        self.accounting.filtered += dropped;
        self.tally.by_window += dropped;
    }

    /// Add the assembled orders; report bad rows or an overflow.
    pub fn finish(&mut self) -> Result<(), Error> {
        let orders: Vec<Pending> = std::mem::take(&mut self.orders).into_values().collect();
        for o in orders {
            let _ = self.add(
                (&o.file, o.line),
                [&o.customer, &o.seller, &o.segment],
                &o.more,
                &o.currency,
                &o.status,
                o.amount,
                o.date,
                o.lines,
            );
        }
        if let Some(w) = self.rejects.as_mut() {
            if let Err(e) = w.flush() {
                self.rejects_error.get_or_insert(e);
            }
        }
        if let Some(source) = self.rejects_error.take() {
            return Err(Error::Open { path: "the --rejects file".into(), source });
        }
        let all_bad = self.accounting.rejected > 0 && self.accounting.used == 0;
        if !self.shown.is_empty() && (!self.skip_bad_rows || all_bad) {
            let mut shown = std::mem::take(&mut self.shown);
            shown.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            let total = self.accounting.rejected;
            return Err(if self.skip_bad_rows {
                Error::AllRowsBad { shown, total }
            } else {
                Error::BadRows { shown, total }
            });
        }
        if let Some(o) = self.overflow.take() {
            return Err(o.into());
        }
        debug_assert!(self.accounting.balances());
        Ok(())
    }
}

impl Sink for QuoteSink<'_> {
    fn screen(&mut self, head: &Head<'_>) -> bool {
        let status = head.status.unwrap_or("");
        let out = match self.filter.vocabulary.class(status) {
            Some(StatusClass::Void) => {
                *self.tally.void.entry(status.to_string()).or_default() += 1;
                true
            }
            None => {
                *self.tally.unknown.entry(status.to_string()).or_default() += 1;
                true
            }
            Some(_) => false,
        };
        let out =
            out || (!self.filter.customers.is_empty() && {
                crate::model::clean_name(head.customer, &mut self.scratch);
                let left = !self.filter.keeps_customer(&self.scratch);
                self.tally.by_customer += u64::from(left);
                left
            }) || (!self.filter.sellers.is_empty() && {
                crate::model::clean_name(head.seller, &mut self.scratch);
                let left = !self.filter.keeps_seller(&self.scratch);
                self.tally.by_seller += u64::from(left);
                left
            });
        if out {
            self.accounting.read += 1;
            self.accounting.filtered += 1;
        }
        !out
    }

    fn screen_date(&mut self, date: NaiveDate) -> bool {
        let keep = self.filter.keeps_date(date);
        if !keep {
            self.accounting.read += 1;
            self.accounting.filtered += 1;
            self.tally.by_date += 1;
        }
        keep
    }

    fn deal(&mut self, line: u64, deal: &Deal<'_>) -> ControlFlow<()> {
        let row = Incomplete {
            amount: Some(deal.amount),
            date: Some(deal.date),
            customer: deal.customer,
            seller: deal.seller,
            currency: deal.currency,
            order: deal.order,
            status: deal.status,
            segment: deal.segment,
            more: deal.more,
        };
        self.take(line, &row)
    }

    fn incomplete(&mut self, line: u64, row: &Incomplete<'_>) -> Option<ControlFlow<()>> {
        // Open quotes may lack a value or a date; lost ones a value. A won
        // quote is a sale: it needs both, as in the report.
        let taken = match self.filter.vocabulary.class(row.status) {
            Some(StatusClass::Open) => true,
            Some(StatusClass::Lost) => row.date.is_some(),
            _ => false,
        };
        taken.then(|| self.take(line, row))
    }

    fn reject(&mut self, error: RowError, fields: &[&str]) -> ControlFlow<()> {
        self.accounting.read += 1;
        self.accounting.rejected += 1;
        *self.reasons.entry(reason_kind(&error)).or_default() += 1;
        if let Some(w) = self.rejects.as_mut() {
            let mut record = vec![error.file.clone(), error.line.to_string(), error.to_string()];
            record.extend(fields.iter().map(|f| f.to_string()));
            if let Err(e) = w.write_record(&record) {
                self.rejects_error.get_or_insert(e.into());
            }
        }
        if self.shown.len() < SHOWN_BAD_ROWS {
            self.shown.push(error);
        }
        if self.skip_bad_rows || self.shown.len() < SHOWN_BAD_ROWS {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    }

    fn duplicate(&mut self) {
        self.accounting.read += 1;
        self.accounting.filtered += 1;
        self.duplicates += 1;
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    fn filtered(&mut self, reason: &str) {
        self.accounting.read += 1;
        self.accounting.filtered += 1;
        *self.tally.not_sales.entry(reason.to_string()).or_default() += 1;
    }

    fn note(&mut self, message: String) {
        if !self.tally.notes.contains(&message) {
            self.tally.notes.push(message);
        }
    }
}

/// What loading quotes produced.
pub struct LoadedQuotes<'w> {
    pub sink: QuoteSink<'w>,
    /// Inputs that had a header but no rows.
    pub empty_inputs: Vec<String>,
}

/// Read every input into a book of quotes by `period`, grouped by `by`,
/// with the period window applied.
pub fn load_quotes<'w>(common: &CommonSettings, period: Period, by: &[Dimension]) -> Result<LoadedQuotes<'w>, Error> {
    if let Some(line) = common.settings_file_note() {
        eprintln!("{line}");
    }
    let input = &common.input;
    let mut required = vec![Field::Amount, Field::Date, Field::Status];
    if by.contains(&Dimension::Customer) || !common.filter.customers.is_empty() {
        required.push(Field::Customer);
    }
    if by.contains(&Dimension::Seller) || !common.filter.sellers.is_empty() {
        required.push(Field::Seller);
    }
    let mut sink =
        QuoteSink::new(period, by, common.filter.clone(), input.skip_bad_rows).with_rates(common.rates.clone());
    if let Some(path) = &input.rejects {
        let file = File::create(path).map_err(|source| Error::Open { path: path.display().to_string(), source })?;
        sink.write_rejects_to(Box::new(BufWriter::new(file)))
            .map_err(|source| Error::Open { path: path.display().to_string(), source })?;
    }
    let mut empty_inputs = Vec::new();
    for path in &common.files {
        let before = sink.accounting.read;
        let flow = match source::detect_format(path, b"") {
            InputFormat::Excel if path != "-" => {
                sink.set_file(path);
                load::excel::read(path, input.sheet.as_deref(), &input.columns, &required, &input.read, &mut sink)?
            }
            InputFormat::Parquet if path != "-" => {
                sink.set_file(path);
                load::parquet::read(path, &input.columns, &required, &input.read, &mut sink)?
            }
            _ => {
                let opened = source::open(path, input.encoding)?;
                sink.set_file(&opened.name);
                match source::detect_format(path, &opened.head) {
                    InputFormat::Json => load::json::read(opened, &input.columns, &required, &input.read, &mut sink)?,
                    InputFormat::Csv => {
                        load::csv::read(opened, input.delimiter, &input.columns, &required, &input.read, &mut sink)?
                    }
                    InputFormat::Excel | InputFormat::Parquet => {
                        return Err(Error::File {
                            path: opened.name,
                            message: "a workbook or Parquet file is read from a file with its own name (.xlsx, .ods, .parquet), not from standard input or gzip".into(),
                        });
                    }
                }
            }
        };
        if sink.accounting.read == before {
            empty_inputs.push(source::display_name(path));
        }
        if flow.is_break() {
            break;
        }
    }
    sink.finish()?;
    sink.apply_window(&common.window);
    Ok(LoadedQuotes { sink, empty_inputs })
}

/// `3 quotes` or `1 quote`.
fn count(n: u64, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Values and how often, most frequent first: `"Cancelled" 2, "x" 1`.
fn listed(values: &BTreeMap<String, u64>) -> String {
    let mut v: Vec<(&String, &u64)> = values.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = v
        .iter()
        .take(6)
        .map(|(s, n)| format!("\"{}\" {n}", if s.is_empty() { "(empty)" } else { s.as_str() }))
        .collect();
    let more = if v.len() > 6 { format!(" and {} more", v.len() - 6) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

/// The lines `aov quotes` prints on stderr (without the `aov: ` prefix):
/// what was counted, what was left out and why.
pub fn quote_lines(t: &QuoteTally, filter: &Filter, target: Option<&str>) -> Vec<String> {
    let mut head = format!(
        "counted {} (won {}, lost {}, open {})",
        count(t.won + t.lost + t.open, "quote"),
        t.won,
        t.lost,
        t.open
    );
    let void: u64 = t.void.values().sum();
    if void > 0 {
        head.push_str(&format!("; left out {} ({})", count(void, "void quote"), listed(&t.void)));
    }
    if t.credits > 0 {
        head.push_str(&format!("; left out {} (--include-credits counts them)", count(t.credits, "credit note")));
    }
    if let Some(line) = crate::tell::filtered_line([t.by_date, t.by_customer, t.by_seller, t.by_window]) {
        head.push_str("; ");
        head.push_str(&line);
    }
    let mut lines = vec![head];
    if t.undated > 0 {
        let range = if filter.from.is_some() || filter.to.is_some() { "; --from/--to cannot place them" } else { "" };
        lines.push(format!(
            "note: {} without a date: counted in the totals only, in no period (with --period all, in its one row){range}",
            count(t.undated, "open quote")
        ));
    }
    if t.unvalued_lost + t.unvalued_open > 0 {
        lines.push(format!(
            "note: {} and {} without a value: counted, not in lost_value, open_value or lost_aov",
            count(t.unvalued_lost, "lost quote"),
            count(t.unvalued_open, "open quote")
        ));
    }
    if let Some(target) = target {
        let mut tally = crate::model::Tally::default();
        for (c, (n, first, last)) in &t.converted {
            tally
                .converted
                .insert(c.clone(), crate::model::Converted { deals: *n, first_rate: *first, last_rate: *last });
        }
        if let Some(line) = crate::tell::converted_line(&tally, Some(target)) {
            lines.push(line.replacen(" deal", " quote", 1));
        }
        if t.unconverted > 0 {
            lines.push(format!(
                "note: {} in another currency without a date: no rate to convert at, so its value is left out of open_value ({target})",
                count(t.unconverted, "open quote")
            ));
        }
    }
    let unknown: u64 = t.unknown.values().sum();
    if unknown > 0 {
        lines.push(format!(
            "warning: left out {} whose status is not known as won, lost, open or void: {}; name them in [status] in aov.toml",
            count(unknown, "row"),
            listed(&t.unknown)
        ));
    }
    lines
}

/// Say on stderr what was counted and what happened to the other rows.
pub fn tell_quotes(loaded: &LoadedQuotes<'_>, common: &CommonSettings, err: &mut dyn Write) -> std::io::Result<()> {
    for name in &loaded.empty_inputs {
        writeln!(err, "aov: note: {name} has no rows")?;
    }
    let sink = &loaded.sink;
    for note in &sink.tally.notes {
        writeln!(err, "aov: {note}")?;
    }
    if !sink.tally.not_sales.is_empty() {
        let n: u64 = sink.tally.not_sales.values().sum();
        let list: Vec<String> = sink.tally.not_sales.iter().map(|(why, k)| format!("{k} {why}")).collect();
        let what = if n == 1 { "row that is not a sale" } else { "rows that are not sales" };
        writeln!(err, "aov: left out {n} {what}: {} (--export-layout none reads every row)", list.join("; "))?;
    }
    for (i, line) in quote_lines(&sink.tally, &common.filter, common.rates.as_ref().map(|r| r.target.as_str()))
        .into_iter()
        .enumerate()
    {
        if i > 0 || !common.quiet {
            writeln!(err, "aov: {line}")?;
        }
    }
    for w in &sink.warnings {
        writeln!(err, "aov: warning: {w}")?;
    }
    if sink.duplicates > 0 {
        let n = sink.duplicates;
        let s = if n == 1 { "" } else { "s" };
        writeln!(err, "aov: note: dropped {n} row{s} identical to an earlier one (--drop-duplicate-rows)")?;
    }
    let a = sink.accounting;
    if a.rejected > 0 {
        writeln!(err, "aov: warning: skipped {} bad row{}:", a.rejected, if a.rejected == 1 { "" } else { "s" })?;
        for (reason, n) in &sink.reasons {
            writeln!(err, "aov:   {n} x {reason}")?;
        }
    }
    if common.verbose && common.format != crate::render::Format::Table {
        writeln!(err, "{}", crate::tell::rows_line(&a))?;
    }
    Ok(())
}

/// Show each group by its most frequent spelling (the book keys folded
/// names).
pub fn relabel(view: &mut crate::aggregate::quotes::Quotes, names: &[HashMap<String, String>]) {
    for row in &mut view.rows {
        for (value, shown) in row.group.iter_mut().zip(names) {
            if let Some(s) = shown.get(value.as_str()) {
                value.clone_from(s);
            }
        }
    }
}

/// The groups whose checked period has a hit rate below `limit` (in
/// percent) or no decided quotes: each group's last period, or `checked`
/// (a period label) when given. A view without quotes is below any limit.
pub fn below_hit_rate(view: &crate::aggregate::quotes::Quotes, limit: Decimal, checked: Option<&str>) -> Vec<String> {
    use crate::aggregate::Ratio;
    if view.rows.is_empty() {
        return vec![format!("all quotes, {}: no quotes", checked.unwrap_or("the selection"))];
    }
    let limit = Ratio::from_decimal(limit);
    let mut last: BTreeMap<(&[String], &str), &crate::aggregate::quotes::QuotesRow> = BTreeMap::new();
    for row in &view.rows {
        last.insert((row.group.as_slice(), row.currency.as_str()), row);
    }
    let mut out = Vec::new();
    for row in view.rows.iter().filter(|r| std::ptr::eq(*r, last[&(r.group.as_slice(), r.currency.as_str())])) {
        let mut who = row.group.clone();
        if view.show_currency {
            who.push(row.currency.clone());
        }
        let name = if who.is_empty() { "all quotes".to_string() } else { who.join(" / ") };
        let period = row.period.as_deref().unwrap_or("all");
        if let Some(p) = checked.filter(|p| *p != period) {
            out.push(format!("{name}, {p}: no quotes (the last are from {period})"));
            continue;
        }
        match &row.hit_rate_pct {
            None => out.push(format!("{name}, {period}: no decided quotes")),
            Some(h) if *h < limit => out.push(format!("{name}, {period}: hit rate {} %", h.round(1))),
            Some(_) => {}
        }
    }
    out
}
