//! JSON (one array of objects) and JSON Lines (one object a line). Numbers
//! are JSON numbers carrying their exact decimal digits (`1234.50`), never
//! passed through a float; empty values are null.

use std::io::{self, Write};

use serde_json::{Map, Number, Value as Json};

use crate::render::{Grid, GridRows, Rows, Value};

pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Text(s) => Json::String(s.clone()),
        Value::Empty => Json::Null,
        // serde_json's arbitrary_precision keeps the digits as written.
        other => Json::Number(other.plain().parse::<Number>().expect("a rounded decimal is a JSON number")),
    }
}

pub fn object(columns: &[String], row: &[Value]) -> Map<String, Json> {
    columns.iter().zip(row).map(|(c, v)| (c.clone(), to_json(v))).collect()
}

pub fn objects(grid: &Grid) -> Vec<Map<String, Json>> {
    grid.rows.iter().map(|row| object(&grid.columns, row)).collect()
}

pub fn render(grid: &Grid, lines: bool, out: &mut dyn Write) -> io::Result<()> {
    stream(&grid.columns, GridRows(grid.rows.iter()), lines, out)
}

/// Write rows as they come: one object a line, or one pretty array whose
/// objects are written one at a time.
pub fn stream(columns: &[String], mut rows: impl Rows, lines: bool, out: &mut dyn Write) -> io::Result<()> {
    if lines {
        while let Some(row) = rows.next_row() {
            serde_json::to_writer(&mut *out, &object(columns, row))?;
            out.write_all(b"\n")?;
        }
        return Ok(());
    }
    let mut first = true;
    out.write_all(b"[")?;
    while let Some(row) = rows.next_row() {
        out.write_all(if first { b"\n  " } else { b",\n  " })?;
        first = false;
        let text = serde_json::to_string_pretty(&object(columns, row))?;
        out.write_all(text.replace('\n', "\n  ").as_bytes())?;
    }
    out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    Ok(())
}
