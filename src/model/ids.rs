//! The seam between the parallel CSV reader and the core's accumulator of
//! interned deals: what a reader's worker hands over once it has turned a
//! row's names into small ids, and the trait it hands it to.
//!
//! The reader (`src/load/fast.rs`) parses bytes, interns names, applies the
//! filters and counts every row; the core (`src/aggregate/cells.rs`) sums
//! the deals by id in the shape the view needs and turns them into the same
//! exact partials the general reader's deals make. Each side names only
//! this module, so the reader never names the code that aggregates.

use crate::error::Error;
use crate::model::Dimension;
use crate::model::money::Acc;

/// A deal whose names a reader interned: each id is 0 for a name the reader
/// does not look at (see [`IdSink::names_used`]) or one it found blank.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IdDeal {
    pub customer: u32,
    pub seller: u32,
    pub currency: u32,
    /// The amount in millionths (see `money::MICROS_SCALE`).
    pub micros: i128,
    /// The date as (year, month, day), already checked to be a date.
    pub ymd: (i32, u32, u32),
}

/// The names behind a reader's ids.
pub trait IdNames {
    /// The tidy name of `id` of the customer or seller column, as shown
    /// (a blank one as `(no customer)`); empty for other dimensions.
    fn name(&self, dim: Dimension, id: u32) -> &str;
    /// The currency of `id`, as written (empty when there is none).
    fn currency(&self, id: u32) -> &str;
}

/// Where a reader's worker adds deals by id. Each worker has its own;
/// workers' sinks are merged at the end by id where they can be
/// ([`IdSink::absorbs`]), and what is left as finished results
/// ([`IdSink::merge`]).
pub trait IdSink: Send + Sized {
    /// What a finished sink gives (the core's partials).
    type Done;

    /// Which names the sink needs interned, [customer, seller].
    fn names_used(&self) -> [bool; 2];

    /// The name column whose count and sum the reader may keep itself by
    /// the names' raw bytes (one lookup a row), handing the totals over at
    /// the end with [`IdSink::add_total`]; `None` when the sink needs every
    /// deal.
    fn totals_by_name(&self) -> Option<Dimension>;

    /// How many totals by name are about to come (at most), so that room
    /// is made once.
    fn totals_coming(&mut self, _names: usize) {}

    /// The count and sum of the deals of one name of the
    /// [`IdSink::totals_by_name`] column, over the whole selection. A
    /// name may come more than once (two raw spellings of it): they add up.
    /// An error when the sum does not fit.
    fn add_total(&mut self, name: &str, acc: &Acc) -> Result<(), Error>;

    /// A hint that these deals come next: the sink may load their cells
    /// first, so that the cache misses overlap.
    fn touch(&self, _deals: &[IdDeal]) {}

    /// Add one deal that the filters kept.
    fn add<N: IdNames>(&mut self, deal: &IdDeal, names: &N);

    /// Whether [`IdSink::absorb`] takes `other` in (else each is finished).
    fn absorbs(&self, other: &Self) -> bool;

    /// Take in another worker's sink, given its customer and seller ids as
    /// this worker's (`customers[their id]`); `other` comes back when the
    /// sink cannot take it in (see [`IdSink::absorbs`]).
    fn absorb(&mut self, other: Self, customers: &[u32], sellers: &[u32]) -> Option<Self>;

    /// The sink's deals as a result, with the names behind its ids.
    fn finish<N: IdNames>(self, names: &N) -> Result<Self::Done, Error>;

    /// Add another finished result to `into`.
    fn merge(into: &mut Self::Done, other: Self::Done) -> Result<(), Error>;
}
