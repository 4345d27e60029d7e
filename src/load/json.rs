//! Reading JSON: one array of objects, or JSON Lines (one object a line).
//!
//! Amounts may be numbers or strings. Numbers keep the digits they were
//! written with (serde_json's arbitrary precision), so `1676.23` stays
//! exact and `1e3` is refused like any other amount in exponent form; a
//! number is a number, so no decimal separator is guessed for it. The keys
//! of the objects, in the order first seen, play the part of a CSV header.
//! Arrays are read element by element, never held whole, and no element
//! may be longer than [`MAX_RECORD_BYTES`], as no line of JSON Lines may.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Read};
use std::ops::ControlFlow;
use std::rc::Rc;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Error, RowError};
use crate::load::columns::{Field, map_columns};
use crate::load::records::MAX_RECORD_BYTES;
use crate::load::rows::{ReadOptions, RowParser, Sink};
use crate::load::source::Opened;

/// A value of an object's key, as the reader needs it: strings are
/// borrowed from the line when they have no escapes, so a line of JSON
/// Lines costs no `String` per value.
#[derive(Debug, PartialEq)]
enum Val<'de> {
    /// A string, a bool, or null (an empty field): the field's text.
    Text(Cow<'de, str>),
    /// A number, in the digits it was written with.
    Number(String),
    /// A nested object or array, passed over.
    Nested,
}

impl Val<'_> {
    /// The text of the value as a field; `None` for objects and arrays.
    fn text(&self) -> Option<&str> {
        match self {
            Val::Text(t) => Some(t),
            Val::Number(n) => Some(n),
            Val::Nested => None,
        }
    }

    fn into_owned(self) -> Val<'static> {
        match self {
            Val::Text(t) => Val::Text(Cow::Owned(t.into_owned())),
            Val::Number(n) => Val::Number(n),
            Val::Nested => Val::Nested,
        }
    }

    /// A number serde_json handed over as a native one (without arbitrary
    /// precision), written as serde_json writes it.
    fn of_number(v: Value) -> Val<'static> {
        match v {
            Value::Number(n) => Val::Number(n.to_string()),
            _ => Val::Text(Cow::Borrowed("")),
        }
    }
}

/// One element of the input: an object's keys and values in the order
/// written (duplicates kept, so they can be refused), or anything else.
enum Item<'de> {
    Object(Vec<(Key<'de>, Val<'de>)>),
    Other,
}

/// An object's key: borrowed from the line when it has no escapes.
type Key<'de> = Cow<'de, str>;

/// Reads a key without copying it when the input allows.
struct KeySeed<'de>(Key<'de>);

impl<'de> serde::Deserialize<'de> for KeySeed<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KeySeed<'de>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeySeed<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<KeySeed<'de>, E> {
        Ok(KeySeed(Key::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<KeySeed<'de>, E> {
        Ok(KeySeed(Key::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<KeySeed<'de>, E> {
        Ok(KeySeed(Key::Owned(s)))
    }
}

/// The key serde_json uses for a number read with arbitrary precision.
const NUMBER_KEY: &str = "$serde_json::private::Number";

impl<'de> serde::Deserialize<'de> for Item<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Item<'de>, D::Error> {
        d.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(KeySeed(key)) = map.next_key::<KeySeed<'de>>()? {
            if key == NUMBER_KEY {
                map.next_value::<serde::de::IgnoredAny>()?;
                return Ok(Item::Other);
            }
            let Scalar(value) = map.next_value::<Scalar<'de>>()?;
            entries.push((key, value));
        }
        Ok(Item::Object(entries))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<'de>, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Item::Other)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Item<'de>, E> {
        Ok(Item::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Item<'de>, E> {
        Ok(Item::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Item<'de>, E> {
        Ok(Item::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Item<'de>, E> {
        Ok(Item::Other)
    }
    fn visit_str<E>(self, _: &str) -> Result<Item<'de>, E> {
        Ok(Item::Other)
    }
    fn visit_unit<E>(self) -> Result<Item<'de>, E> {
        Ok(Item::Other)
    }
}

/// A value of an object's key: a scalar as it is, a nested object or array
/// passed over without being built (it is never a field; an element of 16
/// MiB of `[{},{},...]` would otherwise take hundreds of MiB) and kept as
/// an empty one, so that it is still known to be nested.
struct Scalar<'de>(Val<'de>);

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scalar<'de>, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Val<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Val<'de>, A::Error> {
        use serde::de::{Error as _, IgnoredAny};
        // serde_json's arbitrary precision hands a number over as a map of
        // one key holding its digits.
        match map.next_key::<KeySeed<'de>>()? {
            Some(KeySeed(key)) if key == NUMBER_KEY => {
                let digits = map.next_value::<String>()?;
                let n = digits.parse::<serde_json::Number>().map_err(A::Error::custom)?;
                Ok(Val::Number(n.to_string()))
            }
            Some(_) => {
                map.next_value::<IgnoredAny>()?;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Val::Nested)
            }
            None => Ok(Val::Nested),
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val<'de>, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Val::Nested)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Val<'de>, E> {
        Ok(Val::Text(Cow::Borrowed(if b { "true" } else { "false" })))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Val<'de>, E> {
        Ok(Val::of_number(Value::from(n)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Val<'de>, E> {
        Ok(Val::of_number(Value::from(n)))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Val<'de>, E> {
        Ok(Val::of_number(Value::from(n)))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Val<'de>, E> {
        Ok(Val::Text(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Val<'de>, E> {
        Ok(Val::Text(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Val<'de>, E> {
        Ok(Val::Text(Cow::Owned(s)))
    }
    fn visit_unit<E>(self) -> Result<Val<'de>, E> {
        Ok(Val::Text(Cow::Borrowed("")))
    }
}

/// Holds the parser once the first object has named the columns.
///
/// The columns are the union of the keys: a key first seen in a later
/// object (a `currency` only some deals have) joins the columns then, and
/// the objects before it had no value there.
struct Reader<'a> {
    name: String,
    named: &'a HashMap<Field, String>,
    required: &'a [Field],
    options: &'a ReadOptions,
    parser: Option<RowParser>,
    keys: Vec<String>,
    /// Key -> column index.
    index: HashMap<String, usize>,
    /// The first objects, held until recognition has looked at them.
    head: Vec<(u64, Vec<(Key<'static>, Val<'static>)>)>,
}

impl Reader<'_> {
    fn object(&mut self, number: u64, item: Item<'_>, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
        let reject =
            |reason: String, column: Option<String>| RowError { file: self.name.clone(), line: number, column, reason };
        let Item::Object(entries) = item else {
            return Ok(sink.reject(reject("expected a JSON object".into(), None), &[]));
        };
        // Keys in the order of the columns (the common case) are all known,
        // and none is there twice, as the columns are each named once.
        let in_order = entries.len() <= self.keys.len() && entries.iter().zip(&self.keys).all(|((k, _), c)| k == c);
        // A key twice in one object: which value is meant is not known.
        // (An object of deals has a few keys: comparing each with those
        // before it is quicker than building a set; a large one gets a set.)
        let twice = match entries.len() {
            _ if in_order => None,
            0..=16 => (0..entries.len()).find(|&i| entries[..i].iter().any(|(k, _)| *k == entries[i].0)),
            n => {
                let mut seen = std::collections::HashSet::with_capacity(n);
                entries.iter().position(|(k, _)| !seen.insert(k.as_ref()))
            }
        };
        if let Some((key, _)) = twice.map(|i| &entries[i]) {
            let e = reject(format!("the key \"{key}\" appears twice in the object"), Some(key.to_string()));
            return Ok(sink.reject(e, &[]));
        }
        let new_keys =
            if in_order { 0 } else { entries.iter().filter(|(k, _)| !self.index.contains_key(k.as_ref())).count() };
        if new_keys > 0 {
            for (k, _) in &entries {
                if !self.index.contains_key(k.as_ref()) {
                    self.index.insert(k.to_string(), self.keys.len());
                    self.keys.push(k.to_string());
                }
            }
        }
        if self.parser.is_none() {
            // The first objects are the sample recognition looks at.
            self.head.push((
                number,
                entries.into_iter().map(|(k, v)| (Key::Owned(k.into_owned()), v.into_owned())).collect(),
            ));
            if self.head.len() < crate::load::recognize::SAMPLE_ROWS {
                return Ok(ControlFlow::Continue(()));
            }
            return self.start(sink);
        }
        if new_keys > 0 {
            let column_map = map_columns(&self.keys, self.named, self.required);
            match (self.parser.as_mut(), column_map) {
                (None, _) => unreachable!("the parser is made before"),
                (Some(parser), Ok(map)) => {
                    let had_status = parser.columns().get(Field::Status).is_some();
                    parser.widen(map).map_err(|why| Error::File {
                        path: self.name.clone(),
                        message: format!("object {number} brings new keys, and {why}"),
                    })?;
                    // Told once per column: a status column first seen now.
                    if !had_status && parser.columns().get(Field::Status).is_some() {
                        sink.columns(&self.name, parser.columns());
                    }
                }
                (Some(_), Err(message)) => {
                    return Err(Error::File {
                        path: self.name.clone(),
                        message: format!("object {number} brings new keys: {message}"),
                    });
                }
            }
        }
        Ok(self.row(number, entries, in_order, sink))
    }

    /// Recognise the columns from the objects held, make the parser and
    /// read those objects.
    fn start(&mut self, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
        let index = &self.index;
        let sample: Vec<Vec<String>> = self
            .head
            .iter()
            .map(|(_, entries)| {
                let mut texts = vec![String::new(); self.keys.len()];
                for (k, v) in entries {
                    texts[index[k.as_ref()]] = v.text().unwrap_or_default().to_string();
                }
                texts
            })
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
        for (number, entries) in std::mem::take(&mut self.head) {
            if self.row(number, entries, false, sink).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// Hand one object to the parser; `in_order` says its keys are the
    /// first columns, in their order.
    fn row(
        &mut self,
        number: u64,
        entries: Vec<(Key<'_>, Val<'_>)>,
        in_order: bool,
        sink: &mut dyn Sink,
    ) -> ControlFlow<()> {
        let parser = self.parser.as_mut().expect("parser set");
        // A key the object does not have is an empty field.
        let mut fields: Vec<&str> = vec![""; self.keys.len()];
        let amount = parser.columns().get(Field::Amount);
        let mut numeric = false;
        for (j, (key, value)) in entries.iter().enumerate() {
            // The objects of a file mostly write their keys in one order.
            let i = if in_order || self.keys.get(j).is_some_and(|k| k == key) { j } else { self.index[key.as_ref()] };
            if Some(i) == amount {
                numeric = matches!(value, Val::Number(_));
            }
            match value.text() {
                Some(t) => fields[i] = t,
                // A nested object or array in a column that is not read
                // is no business of ours.
                None if parser.columns().get_index_field(i).is_none() => {}
                None => {
                    let e = RowError {
                        file: self.name.clone(),
                        line: number,
                        column: Some(key.to_string()),
                        reason: "expected a value, found a nested object or array".into(),
                    };
                    return sink.reject(e, &[]);
                }
            }
        }
        parser.push_typed(number, &fields, numeric, sink)
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
        index: HashMap::new(),
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

/// Lines read ahead, in a batch: their text (line ends stripped), and
/// each line's number and span in it.
struct Lines {
    text: String,
    spans: Vec<(u64, usize, usize)>,
}

/// About this much text in a batch of lines read ahead.
const BATCH_BYTES: usize = 1 << 18;

/// The next line of `input` in `raw`, its end stripped, counted in
/// `line_no`; `None` at the end. No line may be longer than a CSV record.
fn next_line<'r>(
    input: &mut dyn BufRead,
    raw: &'r mut Vec<u8>,
    line_no: &mut u64,
    name: &str,
) -> Result<Option<&'r str>, Error> {
    raw.clear();
    let limit = crate::load::records::MAX_RECORD_BYTES as u64 + 1;
    let n = input
        .take(limit)
        .read_until(b'\n', raw)
        .map_err(|e| Error::File { path: name.to_string(), message: format!("line {}: {e}", *line_no + 1) })?;
    if n == 0 {
        return Ok(None);
    }
    *line_no += 1;
    if n as u64 == limit && raw.last() != Some(&b'\n') {
        return Err(Error::File {
            path: name.to_string(),
            message: format!(
                "line {line_no} is longer than {} MiB: this is not JSON Lines",
                crate::load::records::MAX_RECORD_BYTES >> 20
            ),
        });
    }
    let line = std::str::from_utf8(raw).map_err(|_| Error::File {
        path: name.to_string(),
        message: format!("line {line_no}: stream did not contain valid UTF-8"),
    })?;
    let line = line.strip_suffix('\n').unwrap_or(line);
    Ok(Some(line.strip_suffix('\r').unwrap_or(line)))
}

/// Read `input` line by line into batches sent to `tx`, with the error that
/// ends reading last; stop when the receiver is gone. Runs on a thread of
/// its own: reading, splitting and checking the UTF-8 of the lines is a
/// sixth of the work, beside the parsing of the objects.
fn read_ahead(name: String, mut input: Box<dyn BufRead + Send>, tx: std::sync::mpsc::SyncSender<Result<Lines, Error>>) {
    let mut line_no = 0u64;
    let mut raw = Vec::new();
    loop {
        let mut batch = Lines { text: String::with_capacity(BATCH_BYTES + 512), spans: Vec::new() };
        // `Some` once the input ends: at its end, or at an error.
        let end = loop {
            if batch.text.len() >= BATCH_BYTES {
                break None;
            }
            match next_line(&mut input, &mut raw, &mut line_no, &name) {
                Ok(Some(line)) => {
                    let start = batch.text.len();
                    batch.text.push_str(line);
                    batch.spans.push((line_no, start, batch.text.len()));
                }
                Ok(None) => break Some(None),
                Err(e) => break Some(Some(e)),
            }
        };
        if !batch.spans.is_empty() && tx.send(Ok(batch)).is_err() {
            return;
        }
        match end {
            None => {}
            Some(None) => return,
            Some(Some(e)) => {
                let _ = tx.send(Err(e));
                return;
            }
        }
    }
}

fn read_lines(opened: Opened, reader: &mut Reader<'_>, sink: &mut dyn Sink) -> Result<ControlFlow<()>, Error> {
    let name = opened.name.clone();
    let mut saw_any = false;
    let (tx, rx) = std::sync::mpsc::sync_channel(2);
    // Not joined: a thread blocked on a pipe that stays open must not keep
    // a stopped read waiting. It ends at its next batch once `rx` is gone.
    let ahead = name.clone();
    let input = opened.reader;
    std::thread::spawn(move || read_ahead(ahead, input, tx));
    for batch in rx {
        let lines = batch?;
        for &(line_no, start, end) in &lines.spans {
            let line = &lines.text[start..end];
            if line.trim().is_empty() {
                continue;
            }
            saw_any = true;
            match serde_json::from_str::<Item>(line) {
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
                    if sink.reject(err, &[line]).is_break() {
                        return Ok(ControlFlow::Break(()));
                    }
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
    /// Bytes read since the last element ended (see [`Capped`]).
    since: Rc<Cell<u64>>,
}

/// The decoded text of an array, counting the bytes read since the last
/// element: past [`MAX_RECORD_BYTES`] the read fails, so one huge element
/// (a string of a gigabyte, `/dev/zero` named .json) cannot fill memory.
struct Capped<R> {
    inner: R,
    since: Rc<Cell<u64>>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let since = self.since.get() + n as u64;
        self.since.set(since);
        if since > MAX_RECORD_BYTES as u64 + 1 {
            return Err(std::io::Error::other(TOO_LONG));
        }
        Ok(n)
    }
}

const TOO_LONG: &str = "an element of the array is longer than 16 MiB";

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
        while let Some(value) = seq.next_element::<Item>()? {
            n += 1;
            self.since.set(0);
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
    let since = Rc::new(Cell::new(0));
    let capped = Capped { inner: opened.reader, since: Rc::clone(&since) };
    let mut de = serde_json::Deserializer::from_reader(capped);
    let mut elements = Elements { reader, sink, result: Ok(ControlFlow::Continue(())), since };
    (&mut elements).deserialize(&mut de).and_then(|_| de.end()).map_err(|e| {
        let message = if e.is_io() && e.to_string().contains(TOO_LONG) {
            format!("line {}: {TOO_LONG}: this is not an export of deals", e.line())
        } else {
            format!("not valid JSON: {e}")
        };
        Error::File { path: name.clone(), message }
    })?;
    elements.result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of one line, as the reader sees them.
    fn entries(line: &str) -> Vec<(Key<'_>, Val<'_>)> {
        match serde_json::from_str::<Item>(line).expect("valid JSON") {
            Item::Object(entries) => entries,
            Item::Other => panic!("not an object: {line}"),
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed_from_the_line() {
        let e = entries(r#"{"customer":"Acme AB","amount":"10.50"}"#);
        assert!(matches!(&e[0].0, Cow::Borrowed("customer")));
        assert!(matches!(&e[0].1, Val::Text(Cow::Borrowed("Acme AB"))));
        assert!(matches!(&e[1].1, Val::Text(Cow::Borrowed("10.50"))));
    }

    #[test]
    fn escaped_strings_are_decoded() {
        let e = entries(r#"{"c":"A\"cme \u00e9\\"}"#);
        assert_eq!(e[0].1, Val::Text(Cow::Owned("A\"cme é\\".to_string())));
    }

    #[test]
    fn each_kind_of_value_has_its_field_text() {
        let e = entries(
            r#"{"n":null,"t":true,"f":false,"x":1676.230,"big":12345678901234567890.12,"o":{"a":[1]},"a":[{}],"z":{}}"#,
        );
        let texts: Vec<(&str, Option<&str>)> = e.iter().map(|(k, v)| (k.as_ref(), v.text())).collect();
        assert_eq!(
            texts,
            [
                ("n", Some("")),
                ("t", Some("true")),
                ("f", Some("false")),
                // A number keeps its digits, the trailing zero too: never f64.
                ("x", Some("1676.230")),
                ("big", Some("12345678901234567890.12")),
                ("o", None),
                ("a", None),
                ("z", None),
            ]
        );
        assert!(matches!(e[3].1, Val::Number(_)));
        assert!(matches!(e[0].1, Val::Text(_)));
    }

    #[test]
    fn duplicate_keys_and_any_order_are_kept_as_written() {
        let keys: Vec<String> =
            entries(r#"{"b":"1","a":"2","b":"3"}"#).into_iter().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
    }

    #[test]
    fn held_values_outlive_their_line() {
        let held: Vec<Val<'static>> = {
            let line = String::from(r#"{"c":"Acme","x":2.50}"#);
            entries(&line).into_iter().map(|(_, v)| v.into_owned()).collect()
        };
        assert_eq!(held, [Val::Text(Cow::Owned("Acme".into())), Val::Number("2.50".into())]);
    }
}
