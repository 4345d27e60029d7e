//! Reading JSON: one array of objects, or JSON Lines (one object a line).
//!
//! Amounts may be numbers or strings. Numbers keep the digits they were
//! written with (serde_json's arbitrary precision), so `1676.23` stays
//! exact and `1e3` is refused like any other amount in exponent form. The
//! keys of the first object play the part of a CSV header. Arrays are read
//! element by element, never held whole.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;
use std::ops::ControlFlow;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, RowError};
use crate::load::columns::Field;
use crate::load::rows::{ReadOptions, RowParser, Sink};
use crate::load::source::Opened;

/// The text of a JSON value as a field; `None` for objects and arrays.
fn field_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// Holds the parser once the first object has named the columns.
struct Reader<'a> {
    name: String,
    named: &'a HashMap<Field, String>,
    required: &'a [Field],
    options: &'a ReadOptions,
    parser: Option<RowParser>,
    keys: Vec<String>,
    /// The first objects, held until recognition has looked at them.
    head: Vec<(u64, Map<String, Value>)>,
}

impl Reader<'_> {
    fn object(&mut self, number: u64, value: Value, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
        let Value::Object(map) = value else {
            let e = RowError {
                file: self.name.clone(),
                line: number,
                column: None,
                reason: "expected a JSON object".into(),
            };
            return Ok(sink.reject(e, &[]));
        };
        if self.parser.is_none() {
            if self.keys.is_empty() {
                self.keys = map.keys().cloned().collect();
            }
            // The first objects are the sample recognition looks at.
            self.head.push((number, map));
            if self.head.len() < crate::load::recognize::SAMPLE_ROWS {
                return Ok(ControlFlow::Continue(()));
            }
            return self.start(sink);
        }
        Ok(self.row(number, &map, sink))
    }

    /// Recognise the columns from the objects held, make the parser and
    /// read those objects.
    fn start(&mut self, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
        let sample: Vec<Vec<String>> = self
            .head
            .iter()
            .map(|(_, m)| self.keys.iter().map(|k| m.get(k).and_then(field_text).unwrap_or_default()).collect())
            .collect();
        let parser = crate::load::recognize::start(
            &self.name,
            &self.keys,
            &sample,
            self.named,
            self.required,
            self.options,
            sink,
        )?;
        self.parser = Some(parser);
        for (number, map) in std::mem::take(&mut self.head) {
            if self.row(number, &map, sink).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    fn row(&mut self, number: u64, map: &Map<String, Value>, sink: &mut dyn Sink) -> ControlFlow<()> {
        let mut texts = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            match map.get(key).map(field_text).unwrap_or(Some(String::new())) {
                Some(t) => texts.push(t),
                None => {
                    let e = RowError {
                        file: self.name.clone(),
                        line: number,
                        column: Some(key.clone()),
                        reason: "expected a value, found a nested object or array".into(),
                    };
                    return sink.reject(e, &[]);
                }
            }
        }
        let fields: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
        self.parser.as_mut().expect("parser set").push(number, &fields, sink)
    }
}

/// Read a JSON or JSON Lines input into `sink`. For JSON Lines the number
/// in messages is the line; for an array it is the object's position in
/// the array (1 for the first).
pub fn read(
    opened: Opened,
    named: &HashMap<Field, String>,
    required: &[Field],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<ControlFlow<()>, Error> {
    let is_array = opened.head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let mut options = options.clone();
    options.default_decimal.get_or_insert(crate::load::DecimalStyle::Point);
    let mut reader = Reader {
        name: opened.name.clone(),
        named,
        required,
        options: &options,
        parser: None,
        keys: Vec::new(),
        head: Vec::new(),
    };
    let flow = if is_array { read_array(opened, &mut reader, sink)? } else { read_lines(opened, &mut reader, sink)? };
    if flow.is_break() {
        return Ok(flow);
    }
    if reader.parser.is_none() && !reader.head.is_empty() && reader.start(sink)?.is_break() {
        return Ok(ControlFlow::Break(()));
    }
    match reader.parser.as_mut() {
        Some(p) => p.finish(sink),
        None if is_array || !reader.keys.is_empty() => Ok(ControlFlow::Continue(())),
        None => Ok(ControlFlow::Continue(())),
    }
}

fn read_lines(opened: Opened, reader: &mut Reader<'_>, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
    let name = opened.name.clone();
    let mut line_no = 0u64;
    let mut saw_any = false;
    for line in opened.reader.lines() {
        line_no += 1;
        let line = line.map_err(|e| Error::File { path: name.clone(), message: format!("line {line_no}: {e}") })?;
        if line.trim().is_empty() {
            continue;
        }
        saw_any = true;
        match serde_json::from_str::<Value>(&line) {
            Ok(v) => {
                if reader.object(line_no, v, sink)?.is_break() {
                    return Ok(ControlFlow::Break(()));
                }
            }
            Err(e) => {
                let err = RowError {
                    file: name.clone(),
                    line: line_no,
                    column: None,
                    reason: format!("not valid JSON: {e}"),
                };
                if sink.reject(err, &[&line]).is_break() {
                    return Ok(ControlFlow::Break(()));
                }
            }
        }
    }
    if !saw_any {
        return Err(Error::File {
            path: name,
            message: "the file is empty: JSON objects with the deals are expected".into(),
        });
    }
    Ok(ControlFlow::Continue(()))
}

/// Visits the array's elements one at a time.
struct Elements<'r, 'a> {
    reader: &'r mut Reader<'a>,
    sink: &'r mut dyn Sink,
    result: Result<ControlFlow<()>, Error>,
}

impl<'de> DeserializeSeed<'de> for &mut Elements<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut Elements<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0u64;
        while let Some(value) = seq.next_element::<Value>()? {
            n += 1;
            match self.reader.object(n, value, self.sink) {
                Ok(ControlFlow::Continue(())) => {}
                other => {
                    self.result = other;
                    // Read the rest without keeping it, so the array still parses.
                    while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

fn read_array(opened: Opened, reader: &mut Reader<'_>, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
    let name = opened.name.clone();
    let mut de = serde_json::Deserializer::from_reader(opened.reader);
    let mut elements = Elements { reader, sink, result: Ok(ControlFlow::Continue(())) };
    (&mut elements)
        .deserialize(&mut de)
        .and_then(|_| de.end())
        .map_err(|e| Error::File { path: name.clone(), message: format!("not valid JSON: {e}") })?;
    elements.result
}
