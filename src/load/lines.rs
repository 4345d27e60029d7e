//! Physical line numbers for messages.
//!
//! The csv crate counts lines wrongly after CRLF records and not at all in
//! files with CR-only line ends (old Mac Excel). This adapter watches the
//! bytes as the CSV reader pulls them, notes where every line break is
//! (CRLF, LF or a lone CR count as one), and answers "which line is byte
//! N on". Only breaks not yet asked about are kept, so memory stays at
//! about one reader buffer.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
struct Index {
    /// Offsets and lengths of line breaks not yet passed by a query.
    breaks: VecDeque<(u64, u64)>,
    /// Breaks already passed.
    passed: u64,
    /// Bytes seen so far.
    offset: u64,
    last_was_cr: bool,
    /// Double quotes seen so far (odd at the end: a quote never closed).
    quotes: u64,
    /// The end of the input was reached.
    eof: bool,
}

/// Answers line-number queries for a `Counting` reader.
#[derive(Clone, Debug, Default)]
pub struct LineIndex(Arc<Mutex<Index>>);

impl LineIndex {
    /// The 1-based line that byte `offset` is on. Offsets must not go
    /// backwards between calls.
    pub fn line_of(&self, offset: u64) -> u64 {
        let mut ix = self.0.lock().expect("line index");
        while ix.breaks.front().is_some_and(|&(b, _)| b < offset) {
            ix.breaks.pop_front();
            ix.passed += 1;
        }
        ix.passed + 1
    }

    /// The line a record starting at `offset` is on: like `line_of`, but
    /// blank lines right at the offset (which the CSV reader passes over
    /// before the record) count as before it.
    pub fn line_of_record(&self, offset: u64) -> u64 {
        let mut cursor = offset;
        let mut ix = self.0.lock().expect("line index");
        loop {
            // The reader may report the offset of the LF of a CRLF.
            match ix.breaks.front().copied() {
                Some((b, len)) if b <= cursor => cursor = cursor.max(b + len),
                _ => break,
            }
            ix.breaks.pop_front();
            ix.passed += 1;
        }
        ix.passed + 1
    }

    /// True when an odd number of double quotes was read: a quoted field
    /// was opened and never closed.
    pub fn quote_left_open(&self) -> bool {
        let ix = self.0.lock().expect("line index");
        ix.eof && ix.quotes % 2 == 1
    }
}

/// A reader that records line breaks into a `LineIndex` as bytes pass.
pub struct Counting<R> {
    inner: R,
    index: LineIndex,
}

impl<R: BufRead> Counting<R> {
    pub fn new(inner: R) -> (Counting<R>, LineIndex) {
        let index = LineIndex::default();
        (Counting { inner, index: index.clone() }, index)
    }

    fn note(&self, bytes: &[u8]) {
        let mut ix = self.index.0.lock().expect("line index");
        let start = ix.offset;
        for (i, &b) in bytes.iter().enumerate() {
            let at = start + i as u64;
            match b {
                b'\n' if ix.last_was_cr => {
                    // the LF of a CRLF: one break of two bytes
                    if let Some(last) = ix.breaks.back_mut() {
                        last.1 = 2;
                    }
                }
                b'\n' | b'\r' => ix.breaks.push_back((at, 1)),
                b'"' => ix.quotes += 1,
                _ => {}
            }
            ix.last_was_cr = b == b'\r';
        }
        ix.offset += bytes.len() as u64;
    }
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.note(&buf[..n]);
        if n == 0 && !buf.is_empty() {
            self.index.0.lock().expect("line index").eof = true;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &[u8]) -> LineIndex {
        let (mut r, ix) = Counting::new(text);
        io::copy(&mut r, &mut io::sink()).unwrap();
        ix
    }

    #[test]
    fn counts_every_kind_of_line_end() {
        let ix = index(b"a\r\nb\nc\rd\r\n\r\ne");
        // a=0, b=3, c=5, d=7, blank=10, e=12
        assert_eq!([0, 3, 5, 7, 10, 12].map(|o| ix.line_of(o)), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn blank_lines_before_a_record_belong_before_it() {
        let ix = index(b"h\r\n\r\n\r\nx\n");
        // The csv crate reports the record "x" as starting at byte 2, the LF
        // of the first CRLF.
        assert_eq!(ix.line_of_record(2), 4);
    }

    #[test]
    fn quotes_left_open() {
        assert!(index(b"a,\"b\nc").quote_left_open());
        assert!(!index(b"a,\"b\"\"c\"").quote_left_open());
    }
}
