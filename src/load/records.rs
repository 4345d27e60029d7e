//! Splitting delimited text into records, the way a person reading the
//! file sees them.
//!
//! The csv crate reads a quote that was closed with text after it
//! (`"Acme" AB`) as if the field went on in quotes, so one stray quote could
//! swallow the following lines into one field, and it holds a record of
//! any length in memory (`aov report /dev/zero` grew past 5 GB). This
//! reader keeps to what a person sees:
//!
//! - a quote opens a quoted field only at the start of a field; elsewhere
//!   (`Gamma 24" Ltd`) it is an inch mark, part of the text;
//! - in a quoted field, delimiters and line breaks are text and `""` is one
//!   quote; the closing quote ends the field. Text after a closing quote on
//!   the same line is kept as text (`"Acme" AB` reads `Acme AB`), but a
//!   quoted field that ran over line breaks and is then followed by text, or
//!   never closed at all, did not ask for those line breaks: the record is
//!   bad data on the line where it starts, and reading goes on with the next
//!   physical line (see [`RecordError::Runaway`]);
//! - CRLF, LF and a lone CR each end a line; lines are counted here, so
//!   every record knows the physical line it starts on;
//! - no record may be longer than [`MAX_RECORD_BYTES`].
//!
//! The fast path (src/load/fast.rs) splits the common records itself and
//! hands every record it is unsure of to this reader's rules by giving up.

use std::io::{self, BufRead};

/// The longest record (and so the longest field or header) read: far
/// beyond any deal, small enough that a file without line breaks
/// (`/dev/zero`) ends in a message instead of filling the memory.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// Whether a field (or a record's text) is empty or white space, as
/// `str::trim` sees it: no-break spaces and other Unicode white space too,
/// so that every reader passes over the same blank rows.
pub fn blank(text: &[u8]) -> bool {
    // `char::is_whitespace`, not `u8::is_ascii_whitespace`: the latter
    // leaves out the vertical tab, which `trim` takes.
    if text.is_ascii() {
        text.iter().all(|&c| char::from(c).is_whitespace())
    } else {
        std::str::from_utf8(text).is_ok_and(|t| t.trim().is_empty())
    }
}

/// The most bytes taken from the input at a time.
const STEP: usize = 64 * 1024;

/// One record's fields, and the line it starts on.
#[derive(Debug, Default, Clone)]
pub struct Record {
    /// The physical line (1-based) the record starts on.
    pub line: u64,
    data: Vec<u8>,
    ends: Vec<usize>,
}

impl Record {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The fields, unquoted.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends.iter().map(move |&e| {
            let f = &self.data[start..e];
            start = e;
            f
        })
    }

    /// True when every field is empty or white space (a blank line).
    pub fn is_blank(&self) -> bool {
        blank(&self.data)
    }

    fn clear(&mut self) {
        self.data.clear();
        self.ends.clear();
    }

    fn end_field(&mut self) {
        self.ends.push(self.data.len());
    }
}

/// Why a record could not be read.
#[derive(Debug)]
pub enum RecordError {
    /// A quoted field opened on `line` ran over line breaks and was closed
    /// by a quote with text after it, or never closed. The record is the
    /// physical line alone: `raw` holds its text; reading goes on with the
    /// next line.
    Runaway {
        line: u64,
        field: usize,
        raw: String,
        closed: bool,
    },
    /// A record longer than `MAX_RECORD_BYTES`, starting on `line`.
    TooLong {
        line: u64,
        quoted: bool,
    },
    Io(io::Error),
}

impl RecordError {
    /// The reason, for a message naming the line.
    pub fn reason(&self) -> String {
        match self {
            RecordError::Runaway { closed: false, .. } => {
                "a quoted field starts on this line and is never closed (a missing \")".into()
            }
            RecordError::Runaway { closed: true, .. } => {
                "a quoted field starts on this line and runs over line breaks to a quote with text after it (a stray \"); the line is read alone".into()
            }
            RecordError::TooLong { quoted: true, .. } => format!(
                "a quoted field starts on this line and runs on for more than {} MiB (a missing \"?)",
                MAX_RECORD_BYTES >> 20
            ),
            RecordError::TooLong { quoted: false, .. } => format!(
                "the line is longer than {} MiB: this is not delimited text (or give the right --delimiter)",
                MAX_RECORD_BYTES >> 20
            ),
            RecordError::Io(e) => e.to_string(),
        }
    }
}

/// Reads records from delimited text.
pub struct Records<R> {
    inner: R,
    delimiter: u8,
    /// Bytes taken from `inner` and not yet consumed, from `pos`.
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Bytes taken from `inner` so far.
    taken: u64,
    /// The line the next record starts on.
    line: u64,
}

enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// After the closing quote of a quoted field.
    Closed,
}

impl<R: BufRead> Records<R> {
    pub fn new(inner: R, delimiter: u8) -> Records<R> {
        Records { inner, delimiter, buf: Vec::new(), pos: 0, eof: false, taken: 0, line: 1 }
    }

    /// The number of bytes consumed so far from the start of the input.
    /// Only meaningful for inputs read from their first byte.
    pub fn consumed(&self) -> u64 {
        self.taken - (self.buf.len() - self.pos) as u64
    }

    /// Make at least `n` bytes available after `self.pos`, unless the
    /// input ends first. Returns the number available.
    fn fill(&mut self, n: usize) -> io::Result<usize> {
        while self.buf.len() - self.pos < n && !self.eof {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                self.eof = true;
                break;
            }
            // In steps, so that the length of a record is checked as it grows.
            let k = chunk.len().min(STEP);
            self.buf.extend_from_slice(&chunk[..k]);
            self.inner.consume(k);
            self.taken += k as u64;
        }
        Ok(self.buf.len() - self.pos)
    }

    /// Read the next record into `rec`; `false` at the end of the input.
    pub fn read(&mut self, rec: &mut Record) -> Result<bool, RecordError> {
        rec.clear();
        rec.line = self.line;
        // Drop what earlier records consumed; the record's bytes stay in
        // `buf` from `start`, so a runaway record can be read again as one
        // line.
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        if self.fill(1).map_err(RecordError::Io)? == 0 {
            return Ok(false);
        }
        let start = self.pos;
        let mut i = start;
        let mut state = State::FieldStart;
        let mut breaks = 0u64;
        let mut quoted_break = false;
        let d = self.delimiter;
        loop {
            if i >= self.buf.len() {
                self.pos = i;
                let have = self.fill(1).map_err(RecordError::Io)?;
                i = self.pos;
                if have == 0 {
                    // The end of the input ends the record.
                    if let State::Quoted = state {
                        return Err(self.runaway(rec, start, false));
                    }
                    rec.end_field();
                    self.pos = i;
                    self.line += breaks;
                    return Ok(true);
                }
                if self.buf.len() - start > MAX_RECORD_BYTES {
                    let quoted = matches!(state, State::Quoted);
                    self.pos = i;
                    return Err(RecordError::TooLong { line: rec.line, quoted });
                }
            }
            let b = self.buf[i];
            match state {
                State::FieldStart if b == b'"' => {
                    state = State::Quoted;
                    i += 1;
                }
                State::FieldStart | State::Unquoted | State::Closed => {
                    if b == d {
                        rec.end_field();
                        state = State::FieldStart;
                        i += 1;
                    } else if b == b'\n' || b == b'\r' {
                        rec.end_field();
                        i += 1;
                        if b == b'\r' {
                            self.pos = i;
                            if self.fill(1).map_err(RecordError::Io)? > 0 && self.buf[self.pos] == b'\n' {
                                self.pos += 1;
                            }
                            i = self.pos;
                        }
                        self.pos = i;
                        self.line += breaks + 1;
                        return Ok(true);
                    } else if matches!(state, State::Closed) && quoted_break {
                        return Err(self.runaway(rec, start, true));
                    } else {
                        // Plain text up to the next delimiter or line end,
                        // in one step.
                        let run = memchr::memchr3(d, b'\n', b'\r', &self.buf[i..]).unwrap_or(self.buf.len() - i);
                        rec.data.extend_from_slice(&self.buf[i..i + run]);
                        state = State::Unquoted;
                        i += run;
                    }
                }
                State::Quoted => {
                    if b == b'"' {
                        self.pos = i;
                        let have = self.fill(2).map_err(RecordError::Io)?;
                        i = self.pos;
                        if have >= 2 && self.buf[i + 1] == b'"' {
                            rec.data.push(b'"');
                            i += 2;
                        } else {
                            state = State::Closed;
                            i += 1;
                        }
                    } else {
                        if b == b'\n' || b == b'\r' {
                            quoted_break = true;
                            let lf_of_crlf = b == b'\n' && i > start && self.buf[i - 1] == b'\r';
                            if !lf_of_crlf {
                                breaks += 1;
                            }
                        }
                        rec.data.push(b);
                        i += 1;
                        // Quoted text up to the next quote or line end.
                        let run = memchr::memchr3(b'"', b'\n', b'\r', &self.buf[i..]).unwrap_or(self.buf.len() - i);
                        rec.data.extend_from_slice(&self.buf[i..i + run]);
                        i += run;
                    }
                }
            }
        }
    }

    /// The record that starts at `start` is the first physical line alone:
    /// return it as an error and go on after it.
    fn runaway(&mut self, rec: &mut Record, start: usize, closed: bool) -> RecordError {
        let bytes = &self.buf[start..];
        let end = memchr::memchr2(b'\n', b'\r', bytes).unwrap_or(bytes.len());
        let raw = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let mut next = start + end;
        if self.buf.get(next) == Some(&b'\r') {
            next += 1;
        }
        if self.buf.get(next) == Some(&b'\n') {
            next += 1;
        }
        self.pos = next.min(self.buf.len());
        let field = raw_field_index(raw.as_bytes(), self.delimiter);
        let line = rec.line;
        self.line += 1;
        rec.clear();
        RecordError::Runaway { line, field, raw, closed }
    }
}

/// The index of the field whose quote is left open at the end of `line`.
fn raw_field_index(line: &[u8], delimiter: u8) -> usize {
    let (mut field, mut open_at, mut quoted, mut at_start) = (0, 0, false, true);
    for &b in line {
        if quoted {
            if b == b'"' {
                quoted = false;
            }
            continue;
        }
        if b == delimiter {
            field += 1;
            at_start = true;
            continue;
        }
        if b == b'"' && at_start {
            quoted = true;
            open_at = field;
        }
        at_start = false;
    }
    if quoted { open_at } else { field }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8]) -> Vec<Result<(u64, Vec<String>), String>> {
        let mut r = Records::new(text, b',');
        let mut rec = Record::default();
        let mut out = Vec::new();
        loop {
            match r.read(&mut rec) {
                Ok(true) => out.push(Ok((rec.line, rec.iter().map(|f| String::from_utf8_lossy(f).into()).collect()))),
                Ok(false) => break,
                Err(RecordError::Runaway { line, field, raw, closed }) => {
                    out.push(Err(format!("{line}:{field}:{closed}:{raw}")))
                }
                Err(e) => {
                    out.push(Err(e.reason()));
                    break;
                }
            }
        }
        out
    }

    fn ok(line: u64, fields: &[&str]) -> Result<(u64, Vec<String>), String> {
        Ok((line, fields.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn blank_is_white_space_as_trim_sees_it() {
        for text in ["", " \t\r", "\x0b\x0c", "\u{a0}", " \u{2003} \u{3000}"] {
            assert!(blank(text.as_bytes()), "{text:?}");
        }
        for text in ["x", "\u{a0}1", "\u{200b}"] {
            assert!(!blank(text.as_bytes()), "{text:?}");
        }
        assert!(!blank(b"\xa0"), "not UTF-8: not blank");
    }

    #[test]
    fn plain_quoted_and_every_line_end() {
        assert_eq!(
            all(b"a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\nc,d\re,\"two\r\nlines\"\n\nlast"),
            vec![
                ok(1, &["a", "b"]),
                ok(2, &["x,1", "say \"hi\""]),
                ok(3, &["c", "d"]),
                ok(4, &["e", "two\r\nlines"]),
                ok(6, &[""]),
                ok(7, &["last"]),
            ]
        );
        assert_eq!(all(b""), vec![]);
        assert_eq!(all(b"a,\n"), vec![ok(1, &["a", ""])]);
        assert_eq!(all(b"\"\""), vec![ok(1, &[""])]);
    }

    #[test]
    fn a_quote_inside_a_field_is_text() {
        assert_eq!(
            all(b"1,Gamma 24\" Ltd,5\n2,Delta,6\n3,\"two\nlines\",7\n"),
            vec![ok(1, &["1", "Gamma 24\" Ltd", "5"]), ok(2, &["2", "Delta", "6"]), ok(3, &["3", "two\nlines", "7"])]
        );
    }

    #[test]
    fn text_after_a_closing_quote_on_its_line_is_kept() {
        assert_eq!(all(b"1,\"Acme\" AB,5\n2,B,6\n"), vec![ok(1, &["1", "Acme AB", "5"]), ok(2, &["2", "B", "6"])]);
    }

    #[test]
    fn a_runaway_quote_is_its_own_line_and_reading_goes_on() {
        // The quote opened on line 1 would swallow line 2 up to "Gamma".
        assert_eq!(
            all(b"1,\"Acme AB,5\n2,Beta,6\n3,\"Gamma\" x,7\n4,D,8\n"),
            vec![
                Err("1:1:true:1,\"Acme AB,5".into()),
                ok(2, &["2", "Beta", "6"]),
                ok(3, &["3", "Gamma x", "7"]),
                ok(4, &["4", "D", "8"]),
            ]
        );
        // Never closed: each line from there is tried alone.
        assert_eq!(all(b"1,\"open,5\r\n2,B,6\r\n"), vec![Err("1:1:false:1,\"open,5".into()), ok(2, &["2", "B", "6"])]);
    }

    #[test]
    fn records_are_bounded() {
        let zeros = vec![0u8; MAX_RECORD_BYTES + 10];
        let got = all(&zeros);
        assert_eq!(got.len(), 1);
        let reason = got[0].as_ref().map(|r| r.0).unwrap_err();
        assert!(reason.contains("longer than 16 MiB"), "{reason}");
    }
}
