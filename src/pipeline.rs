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
use crate::aggregate::{Overflow, Partials};
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
}

impl Filter {
    pub fn keeps(&self, deal: &Deal<'_>) -> bool {
        self.from.is_none_or(|f| deal.date >= f) && self.to.is_none_or(|t| deal.date <= t)
    }
}

/// An order assembled from its lines.
struct Order {
    amount: Decimal,
    date: NaiveDate,
    customer: String,
    seller: String,
    currency: String,
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
    group: Vec<&'static str>,
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
            group: Vec::new(),
        }
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
        if let Err(e) = self.partials.add(&group, deal.currency, deal.date, deal.amount) {
            self.overflow.get_or_insert(e);
        }
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
            };
            self.add(&deal, order.lines);
        }
        if let Some(w) = self.rejects.as_mut() {
            w.flush().map_err(|source| Error::Open { path: "--rejects".into(), source })?;
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
        let _ = &self.group;
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
                        lines: 1,
                    },
                );
                None
            }
            Some(o) => {
                if o.customer != deal.customer {
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
            let _ = w.write_record(&record);
        }
        if self.skip_bad_rows {
            return ControlFlow::Continue(());
        }
        self.shown.push(error);
        if self.shown.len() >= SHOWN_BAD_ROWS { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }
}
