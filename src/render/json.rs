//! JSON (one array of objects) and JSON Lines (one object a line). Numbers
//! are JSON numbers carrying their exact decimal digits (`1234.50`), never
//! passed through a float; empty values are null.

use std::io::{self, Write};

use serde_json::{Map, Number, Value as Json};

use crate::aggregate::Report;
use crate::render::{Value, cells, columns};

fn to_json(v: &Value) -> Json {
    match v {
        Value::Text(s) => Json::String(s.clone()),
        Value::Empty => Json::Null,
        // serde_json's arbitrary_precision keeps the digits as written.
        other => Json::Number(other.plain().parse::<Number>().expect("a rounded decimal is a JSON number")),
    }
}

pub fn objects(report: &Report) -> Vec<Map<String, Json>> {
    let cols = columns(report);
    cells(report).iter().map(|row| cols.iter().zip(row).map(|(c, v)| (c.to_string(), to_json(v))).collect()).collect()
}

pub fn render(report: &Report, lines: bool, out: &mut dyn Write) -> io::Result<()> {
    let objects = objects(report);
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
