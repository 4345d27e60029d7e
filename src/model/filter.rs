//! Which deals count: the filters and the period window, as data with
//! their pure predicates.
//!
//! The settings (`src/config.rs`) build them; the readers' fast path
//! (`src/load/fast.rs`) and the collectors (`src/pipeline.rs`,
//! `src/quoting.rs`) apply them, so they live below both.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::Deal;
use crate::status::{StatusRule, Verdict, Vocabulary};

/// Which deals count.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Customers to keep, folded (empty: all).
    pub customers: Vec<String>,
    /// Sellers to keep, folded (empty: all).
    pub sellers: Vec<String>,
    /// Which statuses count (default: closed sales).
    pub status: StatusRule,
    /// The words statuses are classed by.
    pub vocabulary: Vocabulary,
    /// Count credit notes (deals below zero) too.
    pub include_credits: bool,
    pub case_sensitive: bool,
    /// Which of `customers` and `sellers` some row reached the name filter
    /// with, shared by the clones of the filter in every reader thread.
    pub hits: std::sync::Arc<NameHits>,
}

/// For each name of the customer and seller filters, whether a row had it,
/// so that a name no row has (most often a typo) is warned about in every
/// view, grouped by that name or not.
#[derive(Debug, Default)]
pub struct NameHits {
    customers: Vec<std::sync::atomic::AtomicBool>,
    sellers: Vec<std::sync::atomic::AtomicBool>,
}

impl NameHits {
    pub fn new(customers: usize, sellers: usize) -> NameHits {
        let flags = |n| (0..n).map(|_| std::sync::atomic::AtomicBool::new(false)).collect();
        NameHits { customers: flags(customers), sellers: flags(sellers) }
    }

    /// Whether some row had the `i`th customer (`seller` false) or seller.
    pub fn hit(&self, seller: bool, i: usize) -> bool {
        let flags = if seller { &self.sellers } else { &self.customers };
        flags.get(i).is_some_and(|f| f.load(std::sync::atomic::Ordering::Relaxed))
    }

    fn mark(&self, seller: bool, i: usize) {
        let flags = if seller { &self.sellers } else { &self.customers };
        if let Some(f) = flags.get(i) {
            f.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// The key names are compared by: letter case folded unless asked not to.
/// (Loaders have already trimmed, collapsed white space and applied NFC.)
pub fn fold_name(name: &str, case_sensitive: bool) -> String {
    if case_sensitive { name.to_string() } else { name.to_lowercase() }
}

/// Why a filter left a row or a deal out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftOut {
    Status,
    Customer,
    Seller,
    Date,
    Credit,
}

impl Filter {
    /// Whether the date range keeps `date`.
    pub fn keeps_date(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t)
    }

    /// Whether a deal of `amount` is a credit note left out.
    pub fn leaves_out_credit(&self, amount: Decimal) -> bool {
        !self.include_credits && amount.is_sign_negative() && !amount.is_zero()
    }

    /// Whether the customer filter keeps a (tidied) name.
    pub fn keeps_customer(&self, name: &str) -> bool {
        self.keeps_name(false, name)
    }

    /// Whether the seller filter keeps a (tidied) name.
    pub fn keeps_seller(&self, name: &str) -> bool {
        self.keeps_name(true, name)
    }

    /// Whether the seller (`seller` true) or customer filter keeps a name,
    /// noting in `hits` which of its names it was.
    pub fn keeps_name(&self, seller: bool, name: &str) -> bool {
        let wanted = if seller { &self.sellers } else { &self.customers };
        if wanted.is_empty() {
            return true;
        }
        let folded = fold_name(name, self.case_sensitive);
        match wanted.iter().position(|w| *w == folded) {
            Some(i) => {
                self.hits.mark(seller, i);
                true
            }
            None => false,
        }
    }

    /// What the status rule says of a status value.
    pub fn status_verdict(&self, value: &str) -> Verdict {
        self.status.verdict(&self.vocabulary, value)
    }

    /// The filters a whole deal passes through once its lines are added up:
    /// the date range and credit notes.
    pub fn deal_left_out(&self, deal: &Deal<'_>) -> Option<LeftOut> {
        if !self.keeps_date(deal.date) {
            Some(LeftOut::Date)
        } else if self.leaves_out_credit(deal.amount) {
            Some(LeftOut::Credit)
        } else {
            None
        }
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
