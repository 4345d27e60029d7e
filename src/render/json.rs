//! JSON (one array of objects) and JSON Lines (one object a line). Numbers
//! are JSON numbers carrying their exact decimal digits (`1234.50`), never
//! passed through a float; empty values are null.

use std::io::{self, Write};

use serde_json::{Map, Number, Value as Json};

use crate::render::{Grid, Value};

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
    let objects = objects(grid);
    if lines {
        for o in &objects {
            serde_json::to_writer(&mut *out, o)?;
            out.write_all(b"\n")?;
        }
    } else {
        serde_json::to_writer_pretty(&mut *out, &objects)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
