//! Reading Parquet files (the parquet and arrow crates), as the text a
//! person would see in each cell, through the same row parser as CSV.
//!
//! DECIMAL columns become their exact digits (Decimal128 holds up to 38,
//! more than an amount may have: a longer value is a bad row, never a
//! rounded one); DOUBLE and FLOAT become their shortest round-trip text, the
//! same rule as for spreadsheet cells, so 1676.23 stays 1676.23; DATE
//! columns become ISO dates; timestamps with a zone are written in UTC.
//! The row number in messages is the row's position in the file.

use std::collections::HashMap;
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
use crate::load::rows::{ReadOptions, Sink};

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

/// A column of one batch, ready to be read cell by cell: a dictionary
/// column's keys are resolved once per batch, not once per cell.
enum Column<'a> {
    Plain(&'a ArrayRef),
    Dictionary { keys: Vec<usize>, values: &'a ArrayRef },
}

impl<'a> Column<'a> {
    fn new(col: &'a ArrayRef) -> Column<'a> {
        match col.data_type() {
            DataType::Dictionary(_, _) => {
                let d = col.as_any_dictionary();
                Column::Dictionary { keys: d.normalized_keys(), values: d.values() }
            }
            _ => Column::Plain(col),
        }
    }

    fn text(&self, col: &ArrayRef, row: usize) -> Option<String> {
        if col.is_null(row) {
            return Some(String::new());
        }
        match self {
            Column::Plain(c) => cell(c, row),
            Column::Dictionary { keys, values } => cell(values, *keys.get(row)?),
        }
    }
}

/// The text of one cell; `None` for a type the tool does not read. A date
/// outside chrono's calendar becomes a text that no date parser takes, so
/// its row is refused with the value named.
fn cell(col: &ArrayRef, row: usize) -> Option<String> {
    if col.is_null(row) {
        return Some(String::new());
    }
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    let beyond = |what: &str, v: i64| format!("{what} {v} (outside the calendar)");
    Some(match col.data_type() {
        DataType::Utf8 => col.as_string::<i32>().value(row).to_string(),
        DataType::LargeUtf8 => col.as_string::<i64>().value(row).to_string(),
        DataType::Utf8View => col.as_string_view().value(row).to_string(),
        DataType::Decimal128(_, _) => col.as_primitive::<arrow_array::types::Decimal128Type>().value_as_string(row),
        DataType::Decimal256(_, _) => col.as_primitive::<arrow_array::types::Decimal256Type>().value_as_string(row),
        // Rust prints the shortest text that reads back as the same float.
        DataType::Float64 => format!("{}", col.as_primitive::<Float64Type>().value(row)),
        DataType::Float32 => format!("{}", col.as_primitive::<Float32Type>().value(row)),
        DataType::Int8 => col.as_primitive::<Int8Type>().value(row).to_string(),
        DataType::Int16 => col.as_primitive::<Int16Type>().value(row).to_string(),
        DataType::Int32 => col.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => col.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::UInt8 => col.as_primitive::<UInt8Type>().value(row).to_string(),
        DataType::UInt16 => col.as_primitive::<UInt16Type>().value(row).to_string(),
        DataType::UInt32 => col.as_primitive::<UInt32Type>().value(row).to_string(),
        DataType::UInt64 => col.as_primitive::<UInt64Type>().value(row).to_string(),
        DataType::Boolean => col.as_boolean().value(row).to_string(),
        DataType::Date32 => {
            let days = i64::from(col.as_primitive::<Date32Type>().value(row));
            match chrono::Duration::try_days(days).and_then(|d| epoch.checked_add_signed(d)) {
                Some(d) => d.to_string(),
                None => beyond("the day number", days),
            }
        }
        DataType::Date64 => {
            let ms = col.as_primitive::<Date64Type>().value(row);
            match DateTime::from_timestamp_millis(ms) {
                Some(d) => d.date_naive().to_string(),
                None => beyond("the millisecond", ms),
            }
        }
        DataType::Timestamp(unit, tz) => {
            let raw = match unit {
                TimeUnit::Second => col.as_primitive::<TimestampSecondType>().value(row),
                TimeUnit::Millisecond => col.as_primitive::<TimestampMillisecondType>().value(row),
                TimeUnit::Microsecond => col.as_primitive::<TimestampMicrosecondType>().value(row),
                TimeUnit::Nanosecond => col.as_primitive::<TimestampNanosecondType>().value(row),
            };
            let dt = match unit {
                TimeUnit::Second => DateTime::from_timestamp(col.as_primitive::<TimestampSecondType>().value(row), 0),
                TimeUnit::Millisecond => {
                    DateTime::from_timestamp_millis(col.as_primitive::<TimestampMillisecondType>().value(row))
                }
                TimeUnit::Microsecond => {
                    DateTime::from_timestamp_micros(col.as_primitive::<TimestampMicrosecondType>().value(row))
                }
                TimeUnit::Nanosecond => {
                    Some(DateTime::from_timestamp_nanos(col.as_primitive::<TimestampNanosecondType>().value(row)))
                }
            };
            let Some(dt) = dt else { return Some(beyond("the timestamp", raw)) };
            match tz {
                Some(_) => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                None => dt.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string(),
            }
        }
        _ => return None,
    })
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
    let mut row_number = 0u64;
    for batch in reader {
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
        let columns: Vec<Column<'_>> = batch.columns().iter().map(Column::new).collect();
        let amount_numeric = amount_col.is_some_and(|i| numeric(batch.column(i).data_type()));
        let mut texts: Vec<String> = vec![String::new(); headers.len()];
        for row in 0..batch.num_rows() {
            row_number += 1;
            for (i, col) in batch.columns().iter().enumerate() {
                texts[i] = columns[i].text(col, row).unwrap_or_default();
            }
            let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
            if parser.push_typed(row_number, &fields, amount_numeric, sink).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
    }
    parser.finish(sink)
}
