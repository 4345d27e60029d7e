//! Reading Parquet files (the parquet and arrow crates) by column batches,
//! through the same row parser as CSV: string cells are borrowed from the
//! Arrow arrays, the amount's DECIMAL and the date's DATE are handed over
//! as typed values (`Cell`), and any other cell as the text a person
//! would see in it (a row the typed values cannot settle alone is read
//! from that text too, so every rule stays the text rule).
//!
//! DECIMAL columns become their exact digits (Decimal128 holds up to 38,
//! more than an amount may have: a longer value is a bad row, never a
//! rounded one); DOUBLE and FLOAT become their shortest round-trip text, the
//! same rule as for spreadsheet cells, so 1676.23 stays 1676.23; DATE
//! columns become ISO dates; timestamps with a zone are written in UTC.
//! The row number in messages is the row's position in the file.

use std::collections::HashMap;
use std::fmt::Write;
use std::fs::File;
use std::ops::ControlFlow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, NaiveDate};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::error::Error;
use crate::load::columns::Field;
use crate::load::rows::{Cell, ReadOptions, Sink};

/// Whether cells of this type are read (a dictionary column by its
/// values' type: pandas writes a `category` column as one).
fn readable(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, values) => readable(values),
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Decimal128(_, _)
        | DataType::Decimal256(_, _)
        | DataType::Float64
        | DataType::Float32
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Boolean
        | DataType::Date32
        | DataType::Date64
        | DataType::Timestamp(_, _) => true,
        _ => false,
    }
}

/// Whether the type holds numbers (an amount of this type needs no
/// decimal separator guessed).
fn numeric(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, values) => numeric(values),
        t => t.is_numeric(),
    }
}

/// Where a column's cells come from in one batch: a string array (each
/// cell borrowed), the amount's DECIMAL or the date's DATE as typed values,
/// or, for any other type, the cells' text written once for the batch.
enum Source<'a> {
    Utf8(&'a arrow_array::StringArray),
    LargeUtf8(&'a arrow_array::LargeStringArray),
    Utf8View(&'a arrow_array::StringViewArray),
    Decimal(&'a arrow_array::Decimal128Array),
    /// The date of each value (a DATE32 or DATE64 column).
    Dates(Vec<NaiveDate>),
    /// The text of every cell of the batch, one after another, and where
    /// each ends.
    Text(String, Vec<usize>),
}

/// A column of one batch, ready to be read cell by cell: a dictionary
/// column's keys are resolved once per batch, not once per cell.
struct Column<'a> {
    col: &'a ArrayRef,
    keys: Option<Vec<usize>>,
    /// The array the keys point into (the column itself when plain).
    values: &'a ArrayRef,
    source: Source<'a>,
}

impl<'a> Column<'a> {
    /// `typed`: the column is the amount's or the date's, read as typed
    /// values when its type allows.
    fn new(col: &'a ArrayRef, typed: bool, days: &mut Days) -> Column<'a> {
        let (keys, values) = match col.data_type() {
            DataType::Dictionary(_, _) => {
                let d = col.as_any_dictionary();
                (Some(d.normalized_keys()), d.values())
            }
            _ => (None, col),
        };
        let typed_dates = match values.data_type() {
            DataType::Date32 | DataType::Date64 if typed => dates(values, days),
            _ => None,
        };
        let source = match values.data_type() {
            _ if typed_dates.is_some() => Source::Dates(typed_dates.unwrap_or_default()),
            DataType::Utf8 => Source::Utf8(values.as_string::<i32>()),
            DataType::LargeUtf8 => Source::LargeUtf8(values.as_string::<i64>()),
            DataType::Utf8View => Source::Utf8View(values.as_string_view()),
            DataType::Decimal128(_, _) if typed => Source::Decimal(values.as_primitive()),
            // A day outside chrono's calendar is read from its text.
            _ => {
                let (mut text, mut ends) = (String::new(), Vec::with_capacity(col.len()));
                for row in 0..col.len() {
                    if !col.is_null(row) {
                        if let Some(&i) = keys.as_ref().map_or(Some(&row), |k| k.get(row)) {
                            write_cell(values, i, &mut text);
                        }
                    }
                    ends.push(text.len());
                }
                Source::Text(text, ends)
            }
        };
        Column { col, keys, values, source }
    }

    /// The cell of `row` (a null is empty text).
    fn cell(&self, row: usize) -> Cell<'_> {
        if let Source::Text(text, ends) = &self.source {
            let start = if row == 0 { 0 } else { ends[row - 1] };
            return Cell::Text(&text[start..ends[row]]);
        }
        let i = match &self.keys {
            None => row,
            Some(keys) => match keys.get(row) {
                Some(&i) => i,
                None => return Cell::Text(""),
            },
        };
        if self.col.is_null(row) || self.values.is_null(i) {
            return Cell::Text("");
        }
        match &self.source {
            Source::Utf8(a) => Cell::Text(a.value(i)),
            Source::LargeUtf8(a) => Cell::Text(a.value(i)),
            Source::Utf8View(a) => Cell::Text(a.value(i)),
            Source::Decimal(a) => Cell::Amount { mantissa: a.value(i), scale: a.scale() },
            Source::Dates(d) => Cell::Date(d[i]),
            Source::Text(..) => unreachable!("returned above"),
        }
    }

    /// The text of a typed cell, as `write_cell` writes it.
    fn text(&self, row: usize, out: &mut String) {
        let i = self.keys.as_ref().map_or(row, |k| k[row]);
        write_cell(self.values, i, out);
    }
}

/// The dates of a DATE32 or DATE64 array, value by value (a null's is
/// any date, never read); `None` when one is outside chrono's calendar
/// (the column is then read as text, which names it).
fn dates(values: &ArrayRef, days: &mut Days) -> Option<Vec<NaiveDate>> {
    match values.data_type() {
        DataType::Date32 => values.as_primitive::<Date32Type>().values().iter().map(|&d| days.get(d)).collect(),
        _ => values.as_primitive::<Date64Type>().values().iter().map(|&ms| millis(ms)).collect(),
    }
}

/// Dates of DATE32 day numbers met before: a file of deals holds a few
/// thousand days in millions of rows, and the calendar is not cheap.
struct Days(Vec<Option<(i32, NaiveDate)>>);

impl Days {
    fn new() -> Days {
        Days(vec![None; 4096])
    }

    fn get(&mut self, d: i32) -> Option<NaiveDate> {
        let slot = &mut self.0[d as u32 as usize % 4096];
        match *slot {
            Some((k, date)) if k == d => Some(date),
            _ => {
                let date = day(d)?;
                *slot = Some((d, date));
                Some(date)
            }
        }
    }
}

/// The date of a DATE32 day number, if chrono's calendar has it.
fn day(days: i32) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    chrono::Duration::try_days(i64::from(days)).and_then(|d| epoch.checked_add_signed(d))
}

/// The date of a DATE64 millisecond, if chrono's calendar has it.
fn millis(ms: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp_millis(ms).map(|d| d.date_naive())
}

/// Write the text of one cell; `false` (nothing written) for a type the
/// tool does not read. A date outside chrono's calendar becomes a text
/// that no date parser takes, so its row is refused with the value named.
fn write_cell(col: &ArrayRef, row: usize, out: &mut String) -> bool {
    if col.is_null(row) {
        return true;
    }
    let mut beyond = |what: &str, v: i64| write!(out, "{what} {v} (outside the calendar)");
    let _ = match col.data_type() {
        DataType::Utf8 => out.write_str(col.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => out.write_str(col.as_string::<i64>().value(row)),
        DataType::Utf8View => out.write_str(col.as_string_view().value(row)),
        DataType::Decimal128(_, _) => {
            out.write_str(&col.as_primitive::<arrow_array::types::Decimal128Type>().value_as_string(row))
        }
        DataType::Decimal256(_, _) => {
            out.write_str(&col.as_primitive::<arrow_array::types::Decimal256Type>().value_as_string(row))
        }
        // Rust prints the shortest text that reads back as the same float.
        DataType::Float64 => write!(out, "{}", col.as_primitive::<Float64Type>().value(row)),
        DataType::Float32 => write!(out, "{}", col.as_primitive::<Float32Type>().value(row)),
        DataType::Int8 => write!(out, "{}", col.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => write!(out, "{}", col.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => write!(out, "{}", col.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => write!(out, "{}", col.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => write!(out, "{}", col.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => write!(out, "{}", col.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => write!(out, "{}", col.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => write!(out, "{}", col.as_primitive::<UInt64Type>().value(row)),
        DataType::Boolean => write!(out, "{}", col.as_boolean().value(row)),
        DataType::Date32 => {
            let days = col.as_primitive::<Date32Type>().value(row);
            match day(days) {
                Some(d) => write!(out, "{d}"),
                None => beyond("the day number", i64::from(days)),
            }
        }
        DataType::Date64 => {
            let ms = col.as_primitive::<Date64Type>().value(row);
            match millis(ms) {
                Some(d) => write!(out, "{d}"),
                None => beyond("the millisecond", ms),
            }
        }
        DataType::Timestamp(unit, tz) => {
            let (raw, dt) = match unit {
                TimeUnit::Second => {
                    let v = col.as_primitive::<TimestampSecondType>().value(row);
                    (v, DateTime::from_timestamp(v, 0))
                }
                TimeUnit::Millisecond => {
                    let v = col.as_primitive::<TimestampMillisecondType>().value(row);
                    (v, DateTime::from_timestamp_millis(v))
                }
                TimeUnit::Microsecond => {
                    let v = col.as_primitive::<TimestampMicrosecondType>().value(row);
                    (v, DateTime::from_timestamp_micros(v))
                }
                TimeUnit::Nanosecond => {
                    let v = col.as_primitive::<TimestampNanosecondType>().value(row);
                    (v, Some(DateTime::from_timestamp_nanos(v)))
                }
            };
            match (dt, tz) {
                (None, _) => beyond("the timestamp", raw),
                (Some(dt), Some(_)) => write!(out, "{}", dt.format("%Y-%m-%dT%H:%M:%SZ")),
                (Some(dt), None) => write!(out, "{}", dt.naive_utc().format("%Y-%m-%dT%H:%M:%S")),
            }
        }
        _ => return false,
    };
    true
}

/// Read a Parquet file into `sink`.
pub fn read(
    path: &str,
    named: &HashMap<Field, String>,
    required: &[Field],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<ControlFlow<()>, Error> {
    let file_err = |message: String| Error::File { path: path.to_string(), message };
    let file = File::open(path).map_err(|source| Error::Open { path: path.to_string(), source })?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| file_err(format!("cannot read Parquet: {e}")))?;
    let schema = builder.schema().clone();
    let headers: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();

    let mut options = options.clone();
    options.default_decimal.get_or_insert(crate::load::DecimalStyle::Point);
    let mut parser = crate::load::recognize::start(path, &headers, &[], named, required, &options, sink)?;
    let amount_col = parser.columns().get(Field::Amount);
    let reader = builder.with_batch_size(8192).build().map_err(|e| file_err(format!("cannot read Parquet: {e}")))?;
    // Pages are decompressed and decoded on a thread of their own while
    // this one reads the rows: a fifth of the work, beside the rest.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        scope.spawn(move || {
            for batch in reader {
                // An error ends the file (the reader is not asked again
                // after one: a corrupt file's next batch may panic), and so
                // do rows that stopped being read (a bad row).
                let failed = batch.is_err();
                if tx.send(batch).is_err() || failed {
                    break;
                }
            }
        });
        // Returning drops `rx`, which stops the decoding thread.
        read_batches(rx, &headers, &mut parser, amount_col, sink, &file_err)
    })
}

/// The rows of the decoded batches, into `sink` through `parser`.
fn read_batches(
    batches: std::sync::mpsc::Receiver<Result<arrow_array::RecordBatch, arrow_schema::ArrowError>>,
    headers: &[String],
    parser: &mut crate::load::rows::RowParser,
    amount_col: Option<usize>,
    sink: &mut dyn Sink,
    file_err: &dyn Fn(String) -> Error,
) -> Result<ControlFlow<()>, Error> {
    let mut row_number = 0u64;
    let mut days = Days::new();
    for batch in batches {
        let batch = batch.map_err(|e| file_err(format!("cannot read Parquet: {e}")))?;
        for (i, col) in batch.columns().iter().enumerate() {
            if !readable(col.data_type()) && parser.columns().get_index_field(i).is_some() {
                return Err(file_err(format!(
                    "column \"{}\" has the type {}, which aov does not read",
                    headers[i],
                    col.data_type()
                )));
            }
        }
        let date_col = parser.columns().get(Field::Date);
        let columns: Vec<Column<'_>> = batch
            .columns()
            .iter()
            .enumerate()
            .map(|(i, col)| Column::new(col, Some(i) == amount_col || Some(i) == date_col, &mut days))
            .collect();
        let amount_numeric = amount_col.is_some_and(|i| numeric(batch.column(i).data_type()));
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(columns.len());
        for row in 0..batch.num_rows() {
            row_number += 1;
            cells.clear();
            cells.extend(columns.iter().map(|c| c.cell(row)));
            let mut text = |i: usize, out: &mut String| columns[i].text(row, out);
            if parser.push_cells(row_number, &cells, amount_numeric, &mut text, sink).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
    }
    parser.finish(sink)
}
