//! The small types every part of the tool shares: a deal, the dimensions a
//! report groups by, and the count of what happened to each input row.

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
    /// The value of the column `aov explain --by` names, if any.
    pub segment: &'a str,
}

impl<'a> Deal<'a> {
    /// The value of `dimension` for this deal.
    pub fn get(&self, dimension: Dimension) -> &'a str {
        match dimension {
            Dimension::Customer => self.customer,
            Dimension::Seller => self.seller,
            Dimension::Segment => self.segment,
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
}

impl Dimension {
    /// The column name in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Customer => "customer",
            Dimension::Seller => "seller",
            Dimension::Segment => "segment",
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
