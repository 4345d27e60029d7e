//! Reading delimited text: comma, semicolon, tab or pipe, detected from the
//! header line unless `--delimiter` says which.

use std::collections::HashMap;
use std::ops::ControlFlow;

use crate::error::{Error, RowError};
use crate::load::amount::DecimalStyle;
use crate::load::columns::Field;
use crate::load::rows::{ReadOptions, Sink};
use crate::load::source::Opened;

/// The delimiters tried, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Pick the delimiter that splits the first non-blank line into the most
/// fields, counting only outside quotes.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let mut counts = [0usize; 4];
    let mut quoted = false;
    let mut started = false;
    for &b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => {
                if started {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            started = true;
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { DELIMITERS[best] }
}

/// Read a delimited file into `sink`.
pub fn read(
    opened: Opened,
    delimiter: Option<u8>,
    named: &HashMap<Field, String>,
    required: &[Field],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<ControlFlow<()>, Error> {
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&opened.head));
    let name = opened.name.clone();
    let (counting, lines) = crate::load::lines::Counting::new(opened.reader);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(counting);
    let line_of = |record: &csv::ByteRecord| record.position().map_or(0, |p| lines.line_of_record(p.byte()));
    let mut record = csv::ByteRecord::new();
    let read_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(source) => crate::error::read_error(&name, source),
        other => Error::File { path: name.clone(), message: format!("{other:?}") },
    };

    // The header: the first record that is not blank.
    let headers: Vec<String> = loop {
        if !reader.read_byte_record(&mut record).map_err(read_err)? {
            return Err(Error::File {
                path: name.clone(),
                message: "the file is empty: a header row naming the columns is expected".into(),
            });
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let line = line_of(&record);
        let mut headers = Vec::with_capacity(record.len());
        for field in record.iter() {
            match std::str::from_utf8(field) {
                Ok(s) => headers.push(s.to_string()),
                Err(_) => {
                    return Err(Error::File {
                        path: name.clone(),
                        message: format!("line {line}: the header is not valid text; try --encoding windows-1252"),
                    });
                }
            }
        }
        break headers;
    };
    let mut options = options.clone();
    if options.default_decimal.is_none() {
        options.default_decimal = Some(if delimiter == b';' { DecimalStyle::Comma } else { DecimalStyle::Point });
    }
    // The first rows, for recognition (`recognize::SAMPLE_ROWS`, within the
    // bytes the fast path's plan sees), are read before the parser is made.
    let mut head: Vec<csv::ByteRecord> = Vec::new();
    let (mut ended, mut sampled) = (false, 0);
    while sampled < crate::load::recognize::SAMPLE_ROWS {
        if !reader.read_byte_record(&mut record).map_err(read_err)? {
            ended = true;
            break;
        }
        let past = record.position().is_some_and(|p| p.byte() > crate::load::source::SNIFF_BYTES as u64);
        head.push(record.clone());
        if past {
            break; // read, but not looked at
        }
        sampled += 1;
    }
    let sample: Vec<Vec<String>> =
        head[..sampled].iter().map(|r| r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()).collect();
    let sample = &sample[..];
    let mut parser = crate::load::recognize::start(&name, &headers, sample, named, required, &options, sink)?;
    let mut head = head.into_iter();
    loop {
        if let Some(r) = head.next() {
            record = r;
        } else if ended || !reader.read_byte_record(&mut record).map_err(read_err)? {
            break;
        }
        let line = line_of(&record);
        let mut fields: Vec<&str> = Vec::with_capacity(headers.len());
        let mut bad = None;
        for (i, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    bad = Some(i);
                    fields.push("");
                }
            }
        }
        if let Some(i) = bad {
            let column = parser.columns().headers.get(i).map(|h| h.trim().to_string());
            let e = RowError {
                file: name.clone(),
                line,
                column,
                reason: "the value is not valid UTF-8 text; try --encoding windows-1252".into(),
            };
            if sink.reject(e, &fields).is_break() {
                return Ok(ControlFlow::Break(()));
            }
            continue;
        }
        // A quote never closed swallows the rest of the file into one
        // field: the csv crate says nothing, so look for it ourselves.
        if lines.quote_left_open() && fields.iter().any(|f| f.contains(['\n', '\r'])) {
            let column = fields.iter().position(|f| f.contains(['\n', '\r']));
            let header = column.and_then(|i| parser.columns().headers.get(i)).map(|h| h.trim().to_string());
            return Err(Error::Row(RowError {
                file: name.clone(),
                line,
                column: header,
                reason: "a quoted field starts on this line and is never closed (a missing \")".into(),
            }));
        }
        if parser.push(line, &fields, sink).is_break() {
            return Ok(ControlFlow::Break(()));
        }
    }
    parser.finish(sink)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"date,amount\n1,2"), b',');
        assert_eq!(sniff_delimiter(b"Datum;Kund;Belopp\n"), b';');
        assert_eq!(sniff_delimiter(b"date\tamount\r\n"), b'\t');
        assert_eq!(sniff_delimiter(b"date|amount|who\n"), b'|');
        assert_eq!(sniff_delimiter(b"\"a,b\";c\n"), b';');
        assert_eq!(sniff_delimiter(b"\n\ndate;amount\n"), b';');
        assert_eq!(sniff_delimiter(b"amount\n"), b',');
    }
}
