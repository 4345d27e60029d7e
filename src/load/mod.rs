//! Loading deals from the files people have: delimited text, JSON and
//! spreadsheets, in the encodings and number and date styles they come in.
//! Each loader hands rows to a `RowParser`, which turns them into deals for
//! a `Sink`; nothing here aggregates.

pub mod amount;
pub mod columns;
pub mod csv;
pub mod date;
pub mod excel;
pub mod expr;
pub mod fast;
pub mod json;
pub mod layout;
pub mod lines;
mod names;
pub mod parquet;
pub mod partials;
pub mod rates;
pub mod recognize;
pub mod rows;
pub mod source;
mod structure;

pub use amount::DecimalStyle;
pub use columns::Field;
pub use date::DateOrder;
pub use rows::{ReadOptions, Sink};
pub use source::{Encoding, InputFormat};
