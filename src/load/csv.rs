//! Reading delimited text: comma, semicolon, tab or pipe, detected from the
//! header line unless `--delimiter` says which.

use std::collections::HashMap;
use std::ops::ControlFlow;

use crate::error::{Error, RowError};
use crate::load::amount::DecimalStyle;
use crate::load::columns::Field;
use crate::load::records::{Record, RecordError, Records};
use crate::load::rows::{ReadOptions, Sink};
use crate::load::source::Opened;

/// The delimiters tried, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Pick the delimiter that splits the first non-blank line into the most
/// fields, counting only outside quotes.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if let Some((d, _)) = sep_line(text) {
        return d;
    }
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

/// The delimiter an Excel `sep=;` first line names, if the text starts
/// with one (after a BOM and blank lines), and the bytes up to the end of
/// that line.
pub fn sep_line(head: &[u8]) -> Option<(u8, usize)> {
    let bom = if head.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
    let text = &head[bom..];
    let end = memchr::memchr2(b'\n', b'\r', text).unwrap_or(text.len());
    let line = &text[..end];
    let line = line.strip_prefix(b"\"").and_then(|l| l.strip_suffix(b"\"")).unwrap_or(line);
    line.get(..4).filter(|p| p.eq_ignore_ascii_case(b"sep="))?;
    let d = *line.get(4)?;
    // Excel writes `sep=;` alone; some tools add the delimiter's trailing
    // copies (`sep=;;`) when the file is saved again.
    if line[5..].iter().any(|&b| b != d) || d.is_ascii_alphanumeric() || d == b'"' {
        return None;
    }
    let mut after = end;
    if text.get(after) == Some(&b'\r') {
        after += 1;
    }
    if text.get(after) == Some(&b'\n') {
        after += 1;
    }
    Some((d, bom + after))
}

/// The longest column name taken from a header: a longer "name" is a sign
/// that the first line is not a header at all.
pub const MAX_HEADER_NAME: usize = 1024;

/// Check the header's names and drop trailing empty ones (a header ending
/// in delimiters the rows do not have).
pub fn check_header(name: &str, line: u64, headers: &mut Vec<String>) -> Result<(), Error> {
    let fail = |message: String| Err(Error::File { path: name.to_string(), message });
    if headers.iter().any(|h| h.contains('\0')) {
        return fail(format!(
            "line {line}: the header holds NUL bytes: the file may be UTF-16 text without a byte order mark (try --encoding utf-16) or not text at all"
        ));
    }
    if let Some(h) = headers.iter().find(|h| h.len() > MAX_HEADER_NAME) {
        return fail(format!(
            "line {line}: the first line does not look like a header: it holds a column name of {} bytes (\"{}...\")",
            h.len(),
            h.chars().take(40).collect::<String>()
        ));
    }
    let width = headers.iter().rposition(|h| !h.trim().is_empty()).map_or(0, |i| i + 1);
    headers.truncate(width.max(1));
    Ok(())
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
    let sep = sep_line(&opened.head);
    let delimiter = delimiter.or(sep.map(|s| s.0)).unwrap_or_else(|| sniff_delimiter(&opened.head));
    let name = opened.name.clone();
    let mut reader = Records::new(opened.reader, delimiter);
    let mut record = Record::default();
    let read_err = |e: RecordError| match e {
        RecordError::Io(source) => crate::error::read_error(&name, source),
        RecordError::TooLong { line, .. } => {
            Error::File { path: name.clone(), message: format!("line {line}: {}", e.reason()) }
        }
        RecordError::Runaway { line, .. } => {
            Error::File { path: name.clone(), message: format!("line {line}: {}", e.reason()) }
        }
    };
    if let Some((_, _)) = sep {
        // The `sep=` line is not the header.
        reader.read(&mut record).map_err(read_err)?;
    }

    // The header: the first record that is not blank.
    let mut headers: Vec<String> = loop {
        if !reader.read(&mut record).map_err(read_err)? {
            return Err(Error::File {
                path: name.clone(),
                message: "the file is empty: a header row naming the columns is expected".into(),
            });
        }
        if record.is_blank() {
            continue;
        }
        let line = record.line;
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
        check_header(&name, line, &mut headers)?;
        break headers;
    };
    headers.shrink_to_fit();
    let mut options = options.clone();
    if options.default_decimal.is_none() {
        options.default_decimal = Some(if delimiter == b';' { DecimalStyle::Comma } else { DecimalStyle::Point });
    }
    // The first rows, for recognition (`recognize::SAMPLE_ROWS`, within the
    // bytes the fast path's plan sees), are read before the parser is made.
    let mut head: Vec<Result<Record, RecordError>> = Vec::new();
    let (mut ended, mut sampled) = (false, 0);
    while sampled < crate::load::recognize::SAMPLE_ROWS {
        match reader.read(&mut record) {
            Ok(true) => {
                let past = reader.consumed() > crate::load::source::SNIFF_BYTES as u64;
                head.push(Ok(record.clone()));
                if past {
                    break; // read, but not looked at
                }
                sampled += 1;
            }
            Ok(false) => {
                ended = true;
                break;
            }
            Err(e @ RecordError::Runaway { .. }) => head.push(Err(e)),
            Err(e) => return Err(read_err(e)),
        }
    }
    let sample: Vec<Vec<String>> = head
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .take(sampled)
        .map(|r| r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect())
        .collect();
    let mut parser = crate::load::recognize::start(&name, &headers, &sample, named, required, &options, sink)?;
    let mut head = head.into_iter();
    loop {
        let got = match head.next() {
            Some(Ok(r)) => {
                record = r;
                Ok(true)
            }
            Some(Err(e)) => Err(e),
            None if ended => Ok(false),
            None => reader.read(&mut record),
        };
        match got {
            Ok(true) => {}
            Ok(false) => break,
            Err(RecordError::Runaway { line, field, raw, closed }) => {
                // The line alone is the record: bad data naming its line.
                let column = parser.columns().headers.get(field).map(|h| h.trim().to_string());
                let reason = RecordError::Runaway { line, field, raw: String::new(), closed }.reason();
                let e = RowError { file: name.clone(), line, column, reason };
                if sink.reject(e, &[&raw]).is_break() {
                    return Ok(ControlFlow::Break(()));
                }
                continue;
            }
            Err(e) => return Err(read_err(e)),
        }
        let line = record.line;
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
        assert_eq!(sniff_delimiter(b"sep=;\r\ndate,amount;x\n"), b';');
    }

    #[test]
    fn excel_sep_lines() {
        assert_eq!(sep_line(b"sep=;\r\ndate;amount\n"), Some((b';', 7)));
        assert_eq!(sep_line(b"\xef\xbb\xbfSEP=,\ndate"), Some((b',', 9)));
        assert_eq!(sep_line(b"\"sep=|\"\n"), Some((b'|', 8)));
        assert_eq!(sep_line(b"sep=;;;\n"), Some((b';', 8)));
        assert_eq!(sep_line(b"separator;amount\n"), None);
        assert_eq!(sep_line(b"date;amount\n"), None);
    }
}
