//! Opening an input: a file, `-` for standard input, gzip or not, in
//! UTF-8, UTF-8 with a BOM, UTF-16 or Windows-1252.
//!
//! Everything after this module reads UTF-8. Detection looks at the first
//! block only, so it costs nothing per row; a UTF-8 file without a BOM is
//! passed through untouched.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use crate::error::Error;

/// How many bytes are looked at to detect encoding, format and delimiter.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The text encoding of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
    Utf16,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf16 => "utf-16",
        }
    }
}

/// What kind of data an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    Json,
    Excel,
    Parquet,
}

/// An opened input, decoded to UTF-8, with the first block kept aside for
/// sniffing.
pub struct Opened {
    /// The name used in messages (`deals.csv`, `<stdin>`).
    pub name: String,
    pub encoding: Encoding,
    /// The first bytes of the decoded text (at most `SNIFF_BYTES`).
    pub head: Vec<u8>,
    /// The whole decoded text, `head` included.
    pub reader: Box<dyn BufRead + Send>,
}

/// The name to print for a path.
pub fn display_name(path: &str) -> String {
    if path == "-" { "<stdin>".to_string() } else { path.to_string() }
}

fn open_raw(path: &str) -> Result<Box<dyn Read + Send>, Error> {
    if path == "-" {
        return Ok(Box::new(io::stdin()));
    }
    let file = File::open(path).map_err(|source| Error::Open { path: path.to_string(), source })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::Open { path: path.to_string(), source: io::Error::other("is a folder, not a file") });
    }
    Ok(Box::new(file))
}

fn read_head(reader: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n.min(1 << 20));
    reader.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Open `path`, undo gzip, and decode it to UTF-8 (`forced` overrides the
/// detected encoding).
pub fn open(path: &str, forced: Option<Encoding>) -> Result<Opened, Error> {
    let name = display_name(path);
    let io_err = |source: io::Error| crate::error::read_error(&name, source);
    let mut raw = open_raw(path)?;
    let mut head = read_head(&mut raw, SNIFF_BYTES).map_err(io_err)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let inner = Cursor::new(head).chain(raw);
        raw = Box::new(flate2::read::MultiGzDecoder::new(inner));
        head = read_head(&mut raw, SNIFF_BYTES).map_err(io_err)?;
    }
    let has_utf8_bom = head.starts_with(&[0xef, 0xbb, 0xbf]);
    let has_utf16_bom = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    let encoding = forced.unwrap_or(if has_utf16_bom {
        Encoding::Utf16
    } else if looks_like_utf8(&head) {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    });
    let joined = Cursor::new(head).chain(raw);
    let reader: Box<dyn BufRead + Send> = match encoding {
        Encoding::Utf8 => {
            let mut r = BufReader::with_capacity(1 << 20, joined);
            if has_utf8_bom {
                // Filled first: consuming an empty buffer would skip nothing.
                r.fill_buf().map_err(io_err)?;
                r.consume(3);
            }
            Box::new(r)
        }
        Encoding::Windows1252 | Encoding::Utf16 => {
            let enc = if encoding == Encoding::Utf16 { encoding_rs::UTF_16LE } else { encoding_rs::WINDOWS_1252 };
            let decoder =
                encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(enc)).bom_override(true).build(joined);
            Box::new(BufReader::with_capacity(1 << 20, decoder))
        }
    };
    let mut opened = Opened { name, encoding, head: Vec::new(), reader };
    // Keep the decoded head for sniffing without consuming it.
    let mut buffered = Vec::new();
    opened
        .reader
        .by_ref()
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut buffered)
        .map_err(|source| Error::Open { path: opened.name.clone(), source })?;
    opened.head = buffered.clone();
    let rest = std::mem::replace(&mut opened.reader, Box::new(io::empty()));
    opened.reader = Box::new(BufReader::with_capacity(1 << 20, Cursor::new(buffered).chain(rest)));
    Ok(opened)
}

/// UTF-8 unless some byte sequence is invalid (a sequence cut at the end
/// of the sample is fine).
fn looks_like_utf8(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Guess the format from the name, then from the first bytes.
pub fn detect_format(path: &str, head: &[u8]) -> InputFormat {
    let lower = path.to_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    if [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"].iter().any(|e| lower.ends_with(e)) {
        return InputFormat::Excel;
    }
    if lower.ends_with(".parquet") || lower.ends_with(".pq") || head.starts_with(b"PAR1") {
        return InputFormat::Parquet;
    }
    if [".json", ".jsonl", ".ndjson"].iter().any(|e| lower.ends_with(e)) {
        return InputFormat::Json;
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return InputFormat::Excel;
    }
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') | Some(b'{') => InputFormat::Json,
        _ => InputFormat::Csv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_detection_allows_a_cut_sequence() {
        assert!(looks_like_utf8("Malmö".as_bytes()));
        assert!(looks_like_utf8(&"Malmö".as_bytes()[..5]));
        assert!(!looks_like_utf8(b"Malm\xf6 AB"));
    }

    #[test]
    fn formats() {
        assert_eq!(detect_format("a.xlsx", b""), InputFormat::Excel);
        assert_eq!(detect_format("a.JSONL.gz", b""), InputFormat::Json);
        assert_eq!(detect_format("-", b"  [{\"a\":1}]"), InputFormat::Json);
        assert_eq!(detect_format("-", b"date,amount"), InputFormat::Csv);
    }
}
