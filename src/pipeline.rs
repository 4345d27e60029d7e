//! From rows to partials: the collector that applies the filters
//! (`model::Filter`), assembles order lines, counts rows and applies the
//! bad-row policy. It implements `model::Sink`, which the loaders write
//! to, and fills the core's partials; the period window is applied here
//! once all deals are in.
//!
//! Every row a loader reads ends in exactly one of three counts: used,
//! filtered out (by its status, a known layout's rules, a name or date
//! filter, as a credit note, a duplicate, or by the period window), or
//! rejected. Bad rows either stop the
//! run (the default: the first five are kept to be shown) or are skipped
//! and counted by reason, and optionally written to a rejects file.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::ops::ControlFlow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::aggregate::partials::exact_add;
use crate::aggregate::{Overflow, Partials, Period, PeriodKey};
use crate::error::{Error, RowError, SHOWN_BAD_ROWS};
use crate::load::rates::RateTable;
use crate::model::{Deal, Dimension, Filter, Head, Header, LeftOut, RowAccounting, Sink, Tally, Window, fold_name};
use crate::status::Verdict;

/// Apply a period window to partials bucketed by any period: the window is
/// counted in `period`. What is dropped moves from used to filtered (its
/// rows) and from counted to left out by the window (its deals, in `tally`).
pub fn apply_window(
    partials: &mut Partials,
    period: Period,
    window: &Window,
    accounting: &mut RowAccounting,
    tally: &mut Tally,
) {
    let bucket = partials.period();
    let to_period = |k: PeriodKey| bucket.first_day(k).map_or(PeriodKey(0), |d| period.key(d));
    let (mut rows, mut deals) = (0, 0);
    if let Some(day) = window.complete_before {
        let running = period.key(day);
        let dropped = partials.retain_periods(|k| to_period(k) < running);
        (rows, deals) = (rows + dropped.rows, deals + dropped.deals);
    }
    if let Some(n) = window.last {
        if let Some(last) = partials.last_key().map(to_period) {
            let first = PeriodKey(last.0 - i64::from(n) + 1);
            let dropped = partials.retain_periods(|k| to_period(k) >= first);
            (rows, deals) = (rows + dropped.rows, deals + dropped.deals);
        }
    }
    accounting.used -= rows;
    accounting.filtered += rows;
    tally.by_window += rows;
    tally.counted = tally.counted.saturating_sub(deals);
}

/// An order assembled from its lines.
struct Order {
    amount: Decimal,
    date: NaiveDate,
    customer: String,
    seller: String,
    currency: String,
    status: String,
    segment: String,
    more: Vec<String>,
    lines: u64,
    /// Its file has a status column.
    has_status: bool,
    /// Its file and first line (for a rate that cannot be found).
    file: String,
    line: u64,
}

/// What the collector made of every input.
pub struct Collected {
    pub partials: Partials,
    pub accounting: RowAccounting,
    /// Skipped rows per reason.
    pub skipped: BTreeMap<String, u64>,
    pub tally: Tally,
    /// Identical rows dropped (--drop-duplicate-rows).
    pub duplicates: u64,
    /// Warnings for stderr.
    pub warnings: Vec<String>,
    /// How files were read (layouts, sheets, columns found by their values).
    pub notes: Vec<String>,
}

/// Collects deals into partials.
pub struct Collector<'w> {
    by: Vec<Dimension>,
    filter: Filter,
    /// Convert every deal into one currency (`--currency --rates`).
    rates: Option<std::sync::Arc<RateTable>>,
    partials: Partials,
    pub accounting: RowAccounting,
    skip_bad_rows: bool,
    shown: Vec<RowError>,
    /// Rejected rows per reason (with the values taken out).
    pub reasons: BTreeMap<String, u64>,
    rejects: Option<csv::Writer<Box<dyn Write + 'w>>>,
    orders: HashMap<String, Order>,
    /// In a view by seller: each order's first seller, and whether another
    /// seller has lines in it (then each seller's lines are that seller's
    /// deal, never the whole order the first line's seller's).
    order_sellers: Option<HashMap<String, (String, bool)>>,
    key: String,
    overflow: Option<Overflow>,
    file: String,
    /// What was counted and why the rest was left out.
    pub tally: Tally,
    /// The file being read has a status column.
    status_column: bool,
    /// Scratch space for tidying names the filters look at.
    scratch: String,
    /// Deals whose status the vocabulary does not know, kept apart until
    /// all inputs are read: they count only when no value of the status
    /// column is a known word (then the column is not one the vocabulary
    /// speaks), and are left out otherwise. With their rows.
    unknown: Option<(Partials, u64)>,
    /// The first error writing the rejects file.
    rejects_error: Option<std::io::Error>,
    /// Identical rows dropped (--drop-duplicate-rows).
    pub duplicates: u64,
    /// Warnings for stderr.
    pub warnings: Vec<String>,
    /// How files were read, for stderr (each said once).
    pub notes: Vec<String>,
}

impl<'w> Collector<'w> {
    pub fn new(partials: Partials, by: &[Dimension], filter: Filter, skip_bad_rows: bool) -> Collector<'w> {
        Collector {
            by: by.to_vec(),
            filter,
            rates: None,
            partials,
            accounting: RowAccounting::default(),
            skip_bad_rows,
            shown: Vec::new(),
            reasons: BTreeMap::new(),
            rejects: None,
            orders: HashMap::new(),
            order_sellers: by.contains(&Dimension::Seller).then(HashMap::new),
            key: String::new(),
            overflow: None,
            file: String::new(),
            tally: Tally::default(),
            status_column: false,
            scratch: String::new(),
            unknown: None,
            rejects_error: None,
            duplicates: 0,
            warnings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Convert every deal into one currency at these rates.
    pub fn with_rates(mut self, rates: Option<std::sync::Arc<RateTable>>) -> Collector<'w> {
        self.rates = rates;
        self
    }

    pub fn period(&self) -> Period {
        self.partials.period()
    }

    /// Write every skipped row to `out` as CSV.
    pub fn write_rejects_to(&mut self, out: Box<dyn Write + 'w>) -> std::io::Result<()> {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
        w.write_record(["file", "line", "reason", "fields"])?;
        self.rejects = Some(w);
        Ok(())
    }

    /// The file rows now come from (for order-line messages).
    pub fn set_file(&mut self, name: &str) {
        self.file = name.to_string();
    }

    /// The amount of a deal in `--currency`, at its date's rate (`None`:
    /// no conversion asked for, or already in it). When no rate is in
    /// reach the deal's `rows` rows (already counted as read) are rejected
    /// and `Err` says whether to go on.
    fn convert(
        &mut self,
        file: &str,
        line: u64,
        deal: &Deal<'_>,
        rows: u64,
    ) -> Result<Option<Decimal>, ControlFlow<()>> {
        let Some(rates) = self.rates.clone() else { return Ok(None) };
        match rates.convert(deal.amount, deal.currency, deal.date) {
            None => Ok(None),
            Some(Ok((amount, on))) => {
                self.tally.convert(deal.currency, on);
                Ok(Some(amount))
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

    /// Add a deal, in `--currency` when one is asked for.
    fn add_in_currency(
        &mut self,
        file: &str,
        line: u64,
        deal: &Deal<'_>,
        rows: u64,
        has_status: bool,
    ) -> ControlFlow<()> {
        // A deal the filters leave out (a date outside the range, a credit
        // note) needs no rate: it is filtered, not a bad row.
        let target = self.rates.as_ref().map(|r| r.target.clone());
        let Some(target) = target.filter(|_| self.filter.deal_left_out(deal).is_none()) else {
            self.add(deal, rows, has_status);
            return ControlFlow::Continue(());
        };
        match self.convert(file, line, deal, rows) {
            Err(flow) => flow,
            Ok(amount) => {
                let converted = Deal { amount: amount.unwrap_or(deal.amount), currency: &target, ..*deal };
                self.add(&converted, rows, has_status);
                ControlFlow::Continue(())
            }
        }
    }

    fn add(&mut self, deal: &Deal<'_>, rows: u64, has_status: bool) {
        match self.filter.deal_left_out(deal) {
            Some(LeftOut::Credit) => {
                self.tally.credits += 1;
                self.tally.add_credit_total(deal.currency, Some(deal.amount));
                self.accounting.filtered += rows;
                return;
            }
            Some(_) => {
                self.tally.by_date += rows;
                self.accounting.filtered += rows;
                return;
            }
            None => {}
        }
        if deal.amount.is_sign_negative() && !deal.amount.is_zero() {
            self.tally.credits_counted += 1;
        }
        let mut unknown = false;
        if has_status {
            unknown = self.filter.status_verdict(deal.status) == Verdict::CountedUnknown;
            self.tally.status(deal.status, unknown, 1, 0);
        }
        let mut group: Vec<&str> = Vec::with_capacity(self.by.len());
        for d in &self.by {
            group.push(deal.get(*d));
        }
        let partials = if unknown {
            let (side, side_rows) = self.unknown.get_or_insert_with(|| (self.partials.empty_like(), 0));
            *side_rows += rows;
            side
        } else {
            self.tally.counted += 1;
            self.accounting.used += rows;
            &mut self.partials
        };
        if let Err(e) = partials.add_deal(&group, deal.currency, deal.date, deal.amount, rows) {
            self.overflow.get_or_insert(e);
        }
        // A blank customer is `(no customer)`, as the parallel reader names it.
        let customer = if deal.customer.is_empty() { crate::load::rows::NO_CUSTOMER } else { deal.customer };
        partials.note_deal(&group, deal.currency, deal.date, deal.amount, customer);
    }

    /// Count the deals of unknown statuses when no status value was a
    /// known word; leave them out otherwise.
    fn settle_unknown_statuses(&mut self) {
        let Some((side, rows)) = self.unknown.take() else { return };
        let known = self.tally.statuses.values().any(|s| !s.unknown);
        let deals: u64 = self.tally.statuses.values().filter(|s| s.unknown).map(|s| s.counted).sum();
        if known {
            self.tally.unknown_left_out = true;
            for s in self.tally.statuses.values_mut().filter(|s| s.unknown) {
                s.left_out += s.counted;
                s.counted = 0;
            }
            self.accounting.filtered += rows;
        } else {
            self.tally.counted += deals;
            self.accounting.used += rows;
            if let Err(e) = self.partials.merge(side) {
                self.overflow.get_or_insert(e);
            }
        }
    }

    /// Take in what the parallel reader made of a whole file: its partials
    /// (grouped by the same dimensions), its row counts and its bad rows.
    pub fn absorb(
        &mut self,
        partials: Partials,
        accounting: RowAccounting,
        tally: &Tally,
        errors: Vec<(RowError, Vec<String>)>,
    ) -> ControlFlow<()> {
        self.tally.merge(tally);
        if let Err(e) = self.partials.merge(partials) {
            self.overflow.get_or_insert(e);
        }
        self.accounting.read += accounting.read - accounting.rejected;
        self.accounting.used += accounting.used;
        self.accounting.filtered += accounting.filtered;
        let mut flow = ControlFlow::Continue(());
        for (error, fields) in errors {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            if self.reject(error, &refs).is_break() {
                flow = ControlFlow::Break(());
            }
        }
        flow
    }

    /// Finish: add assembled orders, and report bad rows or an overflow.
    pub fn finish(mut self) -> Result<Collected, Error> {
        if let Some(sellers) = self.order_sellers.take() {
            let shared = sellers.values().filter(|(_, shared)| *shared).count();
            if shared > 0 {
                self.warnings.push(format!(
                    "{shared} order{} lines of several sellers; each seller's lines count as one deal of that seller",
                    if shared == 1 { " has" } else { "s have" }
                ));
            }
        }
        let orders = std::mem::take(&mut self.orders);
        for order in orders.into_values() {
            let deal = Deal {
                amount: order.amount,
                date: order.date,
                customer: &order.customer,
                seller: &order.seller,
                currency: &order.currency,
                order: "",
                status: &order.status,
                segment: &order.segment,
                more: &order.more,
            };
            let _ = self.add_in_currency(&order.file, order.line, &deal, order.lines, order.has_status);
        }
        self.settle_unknown_statuses();
        if let Some(w) = self.rejects.as_mut() {
            if let Err(e) = w.flush() {
                self.rejects_error.get_or_insert(e);
            }
        }
        if let Some(source) = self.rejects_error {
            return Err(Error::Open { path: "the --rejects file".into(), source });
        }
        // Nothing left to report but bad rows (whatever the filters left out).
        let all_bad = self.accounting.rejected > 0 && self.accounting.used == 0;
        if !self.shown.is_empty() && (!self.skip_bad_rows || all_bad) {
            let mut shown = self.shown;
            shown.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            let total = self.accounting.rejected;
            return Err(if self.skip_bad_rows {
                Error::AllRowsBad { shown, total }
            } else {
                Error::BadRows { shown, total }
            });
        }
        if let Some(o) = self.overflow {
            return Err(o.into());
        }
        debug_assert!(self.accounting.balances());
        Ok(Collected {
            partials: self.partials,
            accounting: self.accounting,
            skipped: self.reasons,
            tally: self.tally,
            duplicates: self.duplicates,
            warnings: self.warnings,
            notes: self.notes,
        })
    }
}

/// The reason without the quoted values, to count alike reasons together.
pub fn reason_kind(e: &RowError) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in e.reason.chars() {
        if c == '"' {
            quoted = !quoted;
            if !quoted {
                out.push_str("\"…\"");
            }
            continue;
        }
        if !quoted {
            out.push(c);
        }
    }
    match &e.column {
        Some(c) => format!("column \"{c}\": {out}"),
        None => out,
    }
}

impl Sink for Collector<'_> {
    fn deal(&mut self, line: u64, deal: &Deal<'_>) -> ControlFlow<()> {
        self.accounting.read += 1;
        if deal.order.is_empty() {
            if self.rates.is_some() {
                let file = std::mem::take(&mut self.file);
                let flow = self.add_in_currency(&file, line, deal, 1, self.status_column);
                self.file = file;
                return flow;
            }
            self.add(deal, 1, self.status_column);
            return ControlFlow::Continue(());
        }
        // A line of an order: add it to its order (by seller, in a view
        // by seller).
        self.key.clear();
        self.key.push_str(deal.order);
        if let Some(sellers) = self.order_sellers.as_mut() {
            let seller = fold_name(deal.seller, self.filter.case_sensitive);
            match sellers.get_mut(deal.order) {
                None => {
                    sellers.insert(deal.order.to_string(), (seller.clone(), false));
                }
                Some((first, shared)) => *shared |= *first != seller,
            }
            self.key.push('\x1f');
            self.key.push_str(&seller);
        }
        let clash = match self.orders.get_mut(self.key.as_str()) {
            None => {
                self.orders.insert(
                    self.key.clone(),
                    Order {
                        amount: deal.amount,
                        date: deal.date,
                        customer: deal.customer.to_string(),
                        seller: deal.seller.to_string(),
                        currency: deal.currency.to_string(),
                        status: deal.status.to_string(),
                        segment: deal.segment.to_string(),
                        more: deal.more.to_vec(),
                        lines: 1,
                        has_status: self.status_column,
                        file: self.file.clone(),
                        line,
                    },
                );
                None
            }
            Some(o) => {
                // Spellings that differ only in letter case are one customer
                // (as everywhere else, unless --case-sensitive).
                let cs = self.filter.case_sensitive;
                if o.customer != deal.customer && fold_name(&o.customer, cs) != fold_name(deal.customer, cs) {
                    Some(format!(
                        "order \"{}\" has lines for customers \"{}\" and \"{}\"",
                        deal.order, o.customer, deal.customer
                    ))
                } else if o.currency != deal.currency {
                    Some(format!(
                        "order \"{}\" has lines in currencies \"{}\" and \"{}\"",
                        deal.order, o.currency, deal.currency
                    ))
                } else {
                    match exact_add(o.amount, deal.amount) {
                        Some(sum) => {
                            o.amount = sum;
                            o.date = o.date.min(deal.date);
                            o.lines += 1;
                            None
                        }
                        None => Some(format!("order \"{}\" adds up to more than can be held exactly", deal.order)),
                    }
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
        if self.skip_bad_rows {
            return ControlFlow::Continue(());
        }
        if self.shown.len() >= SHOWN_BAD_ROWS { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
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
        if !self.notes.contains(&message) {
            self.notes.push(message);
        }
    }

    fn columns(&mut self, _file: &str, header: &dyn Header) {
        self.status_column = header.has_status();
        self.tally.status_column |= self.status_column;
    }

    /// The names grouped by; explain's deal store names each bucket's
    /// largest deal by its customer. (The filters screen the row's own
    /// fields, and order lines always carry both names.)
    fn names_used(&self) -> [bool; 2] {
        let customer = self.by.contains(&Dimension::Customer) || self.partials.keeps_deals().is_some();
        [customer, self.by.contains(&Dimension::Seller)]
    }

    fn screen(&mut self, head: &Head<'_>) -> bool {
        let out = if let Some(status) = head.status.filter(|_| self.status_column) {
            match self.filter.status_verdict(status) {
                Verdict::LeftOut => {
                    self.tally.status(status, false, 0, 1);
                    Some(())
                }
                _ => None,
            }
        } else {
            None
        };
        let out = out.is_some()
            || (!self.filter.customers.is_empty() && {
                crate::model::clean_name(head.customer, &mut self.scratch);
                let left = !self.filter.keeps_customer(&self.scratch);
                self.tally.by_customer += u64::from(left);
                left
            })
            || (!self.filter.sellers.is_empty() && {
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
}
