//! The seam between the readers and the core: what a reader hands over,
//! row by row, and the trait it hands it to.
//!
//! Readers (`src/load`) write to a [`Sink`]; the collectors above them
//! (`src/pipeline.rs`, `src/quoting.rs`, `src/order_lines.rs`) implement
//! it. Readers of partials an engine computed write their buckets to
//! [`Buckets`], which the core's partials implement. Both sides depend on this module, not on each other, so a reader
//! never names the code that aggregates what it reads.

use std::ops::ControlFlow;

use crate::error::{Overflow, RowError};
use crate::model::Deal;

/// What a sink may ask of a new input's columns once its header is read
/// (the readers' column map implements it).
pub trait Header {
    /// Whether the input has a status column.
    fn has_status(&self) -> bool;
}

/// What the filters look at before a row's amount and date are read: its
/// status (when the input has a status column) and its names, as written.
#[derive(Clone, Copy, Debug)]
pub struct Head<'a> {
    pub status: Option<&'a str>,
    pub customer: &'a str,
    pub seller: &'a str,
}

/// A row whose amount or date is blank (and whatever else it holds reads
/// well): an open quote has no date yet, a lost one often no value. Only a
/// sink that counts such rows (`aov quotes`) takes them; for the others
/// they are bad rows as before.
#[derive(Clone, Copy, Debug)]
pub struct Incomplete<'a> {
    pub amount: Option<rust_decimal::Decimal>,
    pub date: Option<chrono::NaiveDate>,
    pub customer: &'a str,
    pub seller: &'a str,
    pub currency: &'a str,
    pub order: &'a str,
    pub status: &'a str,
    pub segment: &'a str,
    /// The further `--by` columns' values (see [`Deal::more`]).
    pub more: &'a [String],
}

/// Where deals and rejected rows go.
pub trait Sink {
    /// Whether the filters keep a row with this status and these names. A
    /// row they leave out is counted as filtered out by the sink, whatever
    /// else it holds: an open quote without a value is not a bad row.
    fn screen(&mut self, _head: &Head<'_>) -> bool {
        true
    }
    /// A row whose amount cannot be read but whose date can: whether the
    /// date range keeps it (when not, the sink counts it as filtered out).
    fn screen_date(&mut self, _date: chrono::NaiveDate) -> bool {
        true
    }
    /// A deal read from `line`. `Break` stops reading.
    fn deal(&mut self, line: u64, deal: &Deal<'_>) -> ControlFlow<()>;
    /// A row with a blank amount or date (see [`Incomplete`]): `None`
    /// when the sink does not take such rows (then it is rejected as
    /// before), else whether to go on reading.
    fn incomplete(&mut self, _line: u64, _row: &Incomplete<'_>) -> Option<ControlFlow<()>> {
        None
    }
    /// A row that cannot be used. `Break` stops reading.
    fn reject(&mut self, error: RowError, fields: &[&str]) -> ControlFlow<()>;
    /// The columns of a new input, once its header is read.
    fn columns(&mut self, _file: &str, _header: &dyn Header) {}
    /// A row identical to an earlier one, dropped on request: counted as
    /// filtered out.
    fn duplicate(&mut self) {}
    /// Something the user should hear about (on stderr).
    fn warn(&mut self, _message: String) {}
    /// A row that is not a sale by a rule of the file's layout (a refund, a
    /// fee, a later line of an order): counted as filtered out, by reason.
    fn filtered(&mut self, _reason: &str) {}
    /// How a file is read (a layout, an amount made from columns, a
    /// column found by its values), for stderr without a warning's tone.
    fn note(&mut self, _message: String) {}
    /// Which names of a deal the sink looks at, [customer, seller]: a
    /// reader need not tidy the others (a fifth of reading Parquet for a
    /// month report). Both, unless the sink says otherwise.
    fn names_used(&self) -> [bool; 2] {
        [true, true]
    }
}

/// Where the rows of partials an engine computed go (`aov report
/// --partials`, `aov report --source`): each row one bucket of deals of a
/// group, already summed. The core's partials implement it.
pub trait Buckets {
    /// `deals` deals of `group` in `currency`, totalling `total` exactly, on
    /// `day` (or in the period that starts on it, for partials an engine
    /// bucketed by period).
    fn add_bucket(
        &mut self,
        group: &[&str],
        currency: &str,
        day: chrono::NaiveDate,
        deals: u64,
        total: rust_decimal::Decimal,
    ) -> Result<(), Overflow>;
}
