//! Loading deals from the files people have: delimited text, JSON and
//! spreadsheets, in the encodings and number and date styles they come in.
//! Each loader hands rows to a `RowParser`, which turns them into deals for
//! a `model::Sink`. The readers take their options from [`InputOptions`]
//! (built by `src/config.rs`), not from the settings. Three readers still
//! fill the core's partials directly: the fast CSV path (`fast.rs`) and
//! the partials of an engine (`partials.rs`, and `engine.rs` for a
//! PostgreSQL query).

pub mod amount;
pub mod columns;
pub mod csv;
pub mod date;
pub mod engine;
pub mod excel;
pub mod expr;
pub mod fast;
pub mod json;
pub mod layout;
mod names;
pub mod parquet;
pub mod partials;
pub mod rates;
pub mod recognize;
pub mod records;
pub mod register;
pub mod rows;
pub mod source;
mod structure;

pub use amount::DecimalStyle;
pub use columns::Field;
pub use date::DateOrder;
pub use rows::{ReadOptions, Sink};
pub use source::{Encoding, InputFormat};

/// How inputs are read: the options the readers take, built from the
/// flags and the settings file by `src/config.rs`.
#[derive(Clone, Debug, Default)]
pub struct InputOptions {
    pub delimiter: Option<u8>,
    pub encoding: Option<Encoding>,
    pub read: ReadOptions,
    /// Columns named by flags or the settings file.
    pub columns: std::collections::HashMap<Field, String>,
    pub skip_bad_rows: bool,
    pub rejects: Option<std::path::PathBuf>,
    /// The spreadsheet sheet to read (default: the first).
    pub sheet: Option<String>,
}
