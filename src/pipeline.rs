//! From rows to partials: filters, order lines, row accounting and the
//! bad-row policy, between the loaders and the aggregation.
//!
//! Every row a loader reads ends in exactly one of three counts: used,
//! filtered out (by the date range), or rejected. Bad rows either stop the
//! run (the default: the first five are kept to be shown) or are skipped
//! and counted by reason, and optionally written to a rejects file.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::ops::ControlFlow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::aggregate::partials::exact_add;
use crate::aggregate::{Overflow, Partials, Period, PeriodKey};
use crate::error::{Error, RowError};
use crate::load::rows::Sink;
use crate::model::{Deal, Dimension, RowAccounting};

/// How many bad rows are shown before a run stops.
pub const SHOWN_BAD_ROWS: usize = 5;

/// Which deals count.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Customers to keep, folded (empty: all).
    pub customers: Vec<String>,
    /// Sellers to keep, folded (empty: all).
    pub sellers: Vec<String>,
    /// Statuses to keep, lower-cased (empty: all).
    pub statuses: Vec<String>,
    pub exclude_credits: bool,
    pub case_sensitive: bool,
}

/// The key names are compared by: letter case folded unless asked not to.
/// (Loaders have already trimmed, collapsed white space and applied NFC.)
pub fn fold_name(name: &str, case_sensitive: bool) -> String {
    if case_sensitive { name.to_string() } else { name.to_lowercase() }
}

impl Filter {
    pub fn keeps(&self, deal: &Deal<'_>) -> bool {
        self.from.is_none_or(|f| deal.date >= f)
            && self.to.is_none_or(|t| deal.date <= t)
            && !(self.exclude_credits && deal.amount.is_sign_negative() && !deal.amount.is_zero())
            && (self.customers.is_empty() || self.customers.contains(&fold_name(deal.customer, self.case_sensitive)))
            && (self.sellers.is_empty() || self.sellers.contains(&fold_name(deal.seller, self.case_sensitive)))
            && (self.statuses.is_empty() || self.statuses.contains(&deal.status.to_lowercase()))
    }
}

/// Which periods count, decided once all deals are in.
#[derive(Clone, Copy, Debug, Default)]
pub struct Window {
    /// Keep the last N periods, ending with the latest one with deals.
    pub last: Option<u32>,
    /// Drop the period containing this day, and later ones.
    pub complete_before: Option<NaiveDate>,
}

/// Apply a period window to partials bucketed by any period: the window is
/// counted in `period`. What is dropped moves from used to filtered.
pub fn apply_window(partials: &mut Partials, period: Period, window: &Window, accounting: &mut RowAccounting) {
    let bucket = partials.period();
    let to_period = |k: PeriodKey| bucket.first_day(k).map_or(PeriodKey(0), |d| period.key(d));
    let mut dropped = 0;
    if let Some(day) = window.complete_before {
        let running = period.key(day);
        dropped += partials.retain_periods(|k| to_period(k) < running).rows;
    }
    if let Some(n) = window.last {
        if let Some(last) = partials.last_key().map(to_period) {
            let first = PeriodKey(last.0 - i64::from(n) + 1);
            dropped += partials.retain_periods(|k| to_period(k) >= first).rows;
        }
    }
    accounting.used -= dropped;
    accounting.filtered += dropped;
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
    lines: u64,
}

/// Collects deals into partials.
pub struct Collector<'w> {
    by: Vec<Dimension>,
    filter: Filter,
    partials: Partials,
    pub accounting: RowAccounting,
    skip_bad_rows: bool,
    shown: Vec<RowError>,
    /// Rejected rows per reason (with the values taken out).
    pub reasons: BTreeMap<String, u64>,
    rejects: Option<csv::Writer<Box<dyn Write + 'w>>>,
    orders: HashMap<String, Order>,
    overflow: Option<Overflow>,
    file: String,
    /// Inputs that have a status column.
    pub with_status: Vec<String>,
    /// The first error writing the rejects file.
    rejects_error: Option<std::io::Error>,
    /// Identical rows dropped (--drop-duplicate-rows).
    pub duplicates: u64,
    /// Warnings for stderr.
    pub warnings: Vec<String>,
}

impl<'w> Collector<'w> {
    pub fn new(partials: Partials, by: &[Dimension], filter: Filter, skip_bad_rows: bool) -> Collector<'w> {
        Collector {
            by: by.to_vec(),
            filter,
            partials,
            accounting: RowAccounting::default(),
            skip_bad_rows,
            shown: Vec::new(),
            reasons: BTreeMap::new(),
            rejects: None,
            orders: HashMap::new(),
            overflow: None,
            file: String::new(),
            with_status: Vec::new(),
            rejects_error: None,
            duplicates: 0,
            warnings: Vec::new(),
        }
    }

    pub fn keeps_amounts(&self) -> bool {
        self.partials.keeps_amounts()
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

    fn add(&mut self, deal: &Deal<'_>, rows: u64) {
        if !self.filter.keeps(deal) {
            self.accounting.filtered += rows;
            return;
        }
        self.accounting.used += rows;
        let mut group: Vec<&str> = Vec::with_capacity(self.by.len());
        for d in &self.by {
            group.push(deal.get(*d));
        }
        if let Err(e) = self.partials.add_deal(&group, deal.currency, deal.date, deal.amount, rows) {
            self.overflow.get_or_insert(e);
        }
    }

    /// Take in what the parallel reader made of a whole file: its partials
    /// (grouped by the same dimensions), its row counts and its bad rows.
    pub fn absorb(
        &mut self,
        partials: Partials,
        accounting: RowAccounting,
        errors: Vec<(RowError, Vec<String>)>,
    ) -> ControlFlow<()> {
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
    pub fn finish(mut self) -> Result<(Partials, RowAccounting, BTreeMap<String, u64>), Error> {
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
            };
            self.add(&deal, order.lines);
        }
        if let Some(w) = self.rejects.as_mut() {
            if let Err(e) = w.flush() {
                self.rejects_error.get_or_insert(e);
            }
        }
        if let Some(source) = self.rejects_error {
            return Err(Error::Open { path: "the --rejects file".into(), source });
        }
        if !self.shown.is_empty() && !self.skip_bad_rows {
            let mut shown = self.shown;
            shown.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            return Err(Error::BadRows { shown, total: self.accounting.rejected });
        }
        if let Some(o) = self.overflow {
            return Err(o.into());
        }
        debug_assert!(self.accounting.balances());
        Ok((self.partials, self.accounting, self.reasons))
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
            self.add(deal, 1);
            return ControlFlow::Continue(());
        }
        // A line of an order: add it to its order.
        let clash = match self.orders.get_mut(deal.order) {
            None => {
                self.orders.insert(
                    deal.order.to_string(),
                    Order {
                        amount: deal.amount,
                        date: deal.date,
                        customer: deal.customer.to_string(),
                        seller: deal.seller.to_string(),
                        currency: deal.currency.to_string(),
                        status: deal.status.to_string(),
                        segment: deal.segment.to_string(),
                        lines: 1,
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
        if self.skip_bad_rows {
            return ControlFlow::Continue(());
        }
        if self.shown.len() < SHOWN_BAD_ROWS {
            self.shown.push(error);
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

    fn columns(&mut self, file: &str, map: &crate::load::columns::ColumnMap) {
        if map.get(crate::load::Field::Status).is_some() {
            self.with_status
                .push(format!("{file} has a status column (\"{}\")", map.header(crate::load::Field::Status)));
        }
    }
}
