//! The small types every part of the tool shares: a deal, the dimensions a
//! report groups by, the count of what happened to each input row, and the
//! seam the readers and the core both rest on: the [`Sink`] readers write
//! deals to, the [`IdSink`] the parallel CSV reader writes interned deals
//! to, and the [`Filter`] and [`Window`] that say which deals count.
//! Nothing here reads a file or aggregates.

mod filter;
mod ids;
pub mod money;
mod name;
mod period;
mod sink;

pub use filter::{Filter, LeftOut, NameHits, Window, fold_name};
pub use ids::{IdDeal, IdNames, IdSink};
pub use name::clean_name;
pub use period::{Period, PeriodKey};
pub use sink::{Buckets, Head, Header, Incomplete, Sink};

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One closed deal (an order), borrowed from the row it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deal<'a> {
    pub amount: Decimal,
    pub date: NaiveDate,
    pub customer: &'a str,
    pub seller: &'a str,
    /// Upper-case currency code, empty when the input has none.
    pub currency: &'a str,
    /// The order (deal) id when the input has one: rows sharing it are lines
    /// of one order. Empty otherwise.
    pub order: &'a str,
    /// The deal's status (won, lost...) when the input has a status column.
    pub status: &'a str,
    /// The value of the column `aov explain --by` names, if any: the first
    /// column of the user's choice in `--by`.
    pub segment: &'a str,
    /// The values of the further columns of `--by` (`--by region,product`:
    /// the product), in order; empty without them.
    pub more: &'a [String],
}

impl<'a> Deal<'a> {
    /// The value of `dimension` for this deal.
    pub fn get(&self, dimension: Dimension) -> &'a str {
        match dimension {
            Dimension::Customer => self.customer,
            Dimension::Seller => self.seller,
            Dimension::Segment => self.segment,
            Dimension::Column(i) => self.more.get(usize::from(i)).map_or("", String::as_str),
        }
    }
}

/// What a report can be grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Customer,
    Seller,
    /// A column of the user's choice (`aov explain --by product`).
    Segment,
    /// A further column of the user's choice (`--by region,product`: the
    /// product is `Column(0)`), after the segment.
    Column(u8),
}

impl Dimension {
    /// The column name in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Customer => "customer",
            Dimension::Seller => "seller",
            Dimension::Segment => "segment",
            Dimension::Column(_) => "column",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where every input row went: read = used + filtered + rejected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowAccounting {
    pub read: u64,
    pub used: u64,
    pub filtered: u64,
    pub rejected: u64,
}

impl RowAccounting {
    pub fn merge(&mut self, other: &RowAccounting) {
        self.read += other.read;
        self.used += other.used;
        self.filtered += other.filtered;
        self.rejected += other.rejected;
    }

    pub fn balances(&self) -> bool {
        self.read == self.used + self.filtered + self.rejected
    }
}

/// How many deals (or rows) one status value had: counted, or left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusCount {
    /// The value as first written.
    pub shown: String,
    pub counted: u64,
    pub left_out: u64,
    /// The vocabulary does not know the word (counted, and said so).
    pub unknown: bool,
}

/// What a view counted and why the rest was left out: the statuses, the
/// credit notes and the filters, for the one stderr line every view prints.
/// Every reader fills one and they merge, so the rules are said the same
/// way whichever reader read the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Per status value (normalised: `crate::status::normalize`).
    pub statuses: std::collections::BTreeMap<String, StatusCount>,
    /// Whether any input had a status column.
    pub status_column: bool,
    /// Credit notes (deals below zero) left out, and their sum per currency.
    pub credits: u64,
    pub credit_sums: std::collections::BTreeMap<String, Decimal>,
    /// The credit notes' total of some currency did not add up exactly:
    /// stderr says so instead of a total that would be short.
    pub credit_sums_overflow: bool,
    /// Credit notes counted (with --include-credits).
    pub credits_counted: u64,
    /// Rows left out by --from/--to, --customer, --seller, and the period
    /// window (--last, --complete-only).
    pub by_date: u64,
    pub by_customer: u64,
    pub by_seller: u64,
    pub by_window: u64,
    /// Rows a known export layout says are not sales, per reason.
    pub not_sales: std::collections::BTreeMap<String, u64>,
    /// Deals counted.
    pub counted: u64,
    /// Status values the vocabulary does not know were left out (because
    /// other values of the column are known words), not counted.
    pub unknown_left_out: bool,
    /// Deals converted into `--currency`, per currency they were in.
    pub converted: std::collections::BTreeMap<String, Converted>,
}

/// Deals converted from one currency, and the dates of the rates used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Converted {
    pub deals: u64,
    pub first_rate: chrono::NaiveDate,
    pub last_rate: chrono::NaiveDate,
}

impl Converted {
    pub fn merge(&mut self, o: &Converted) {
        self.deals += o.deals;
        self.first_rate = self.first_rate.min(o.first_rate);
        self.last_rate = self.last_rate.max(o.last_rate);
    }
}

impl Tally {
    pub fn merge(&mut self, other: &Tally) {
        for (k, v) in &other.statuses {
            match self.statuses.get_mut(k) {
                Some(e) => {
                    e.counted += v.counted;
                    e.left_out += v.left_out;
                }
                None => {
                    self.statuses.insert(k.clone(), v.clone());
                }
            }
        }
        self.status_column |= other.status_column;
        self.credits += other.credits;
        for (c, sum) in &other.credit_sums {
            self.add_credit_total(c, Some(*sum));
        }
        self.credit_sums_overflow |= other.credit_sums_overflow;
        self.credits_counted += other.credits_counted;
        self.by_date += other.by_date;
        self.by_customer += other.by_customer;
        self.by_seller += other.by_seller;
        self.by_window += other.by_window;
        self.counted += other.counted;
        for (why, n) in &other.not_sales {
            *self.not_sales.entry(why.clone()).or_default() += n;
        }
        self.unknown_left_out |= other.unknown_left_out;
        for (c, v) in &other.converted {
            self.converted.entry(c.clone()).and_modify(|e| e.merge(v)).or_insert(*v);
        }
    }

    /// Add `amount` to the total of the credit notes left out in
    /// `currency` (`None`: an amount that did not fit a decimal). A total
    /// that no longer adds up exactly is marked, never kept short.
    pub fn add_credit_total(&mut self, currency: &str, amount: Option<Decimal>) {
        let sum = match self.credit_sums.get_mut(currency) {
            Some(sum) => sum,
            None => self.credit_sums.entry(currency.to_string()).or_default(),
        };
        match amount.and_then(|a| money::exact_add(*sum, a)) {
            Some(total) => *sum = total,
            None => self.credit_sums_overflow = true,
        }
    }

    /// Count a deal converted from `currency` at a rate of `rate_date`.
    pub fn convert(&mut self, currency: &str, rate_date: chrono::NaiveDate) {
        self.convert_n(currency, rate_date, 1);
    }

    /// `convert`, for `deals` deals at once (a partials row).
    pub fn convert_n(&mut self, currency: &str, rate_date: chrono::NaiveDate, deals: u64) {
        let one = Converted { deals, first_rate: rate_date, last_rate: rate_date };
        self.converted.entry(currency.to_string()).and_modify(|e| e.merge(&one)).or_insert(one);
    }

    /// Whether there is more to say than "every deal was counted": a status
    /// column, credit notes, or rows a filter left out.
    pub fn says_something(&self) -> bool {
        self.status_column
            || !self.not_sales.is_empty()
            || self.credits + self.credits_counted + self.by_date + self.by_customer + self.by_seller + self.by_window
                > 0
    }

    /// Count a status value's verdict: `counted` deals or `left_out` rows.
    pub fn status(&mut self, value: &str, unknown: bool, counted: u64, left_out: u64) {
        let key = crate::status::normalize(value);
        let e = self.statuses.entry(key).or_insert_with(|| StatusCount {
            shown: value.trim().to_string(),
            unknown,
            ..StatusCount::default()
        });
        e.counted += counted;
        e.left_out += left_out;
    }
}
