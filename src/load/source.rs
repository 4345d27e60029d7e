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
    // A gzip inside a gzip (a .gz compressed again) is undone too.
    let mut depth = 0;
    while head.starts_with(&[0x1f, 0x8b]) && depth < MAX_GZIP_DEPTH {
        let inner = BufReader::new(Cursor::new(head).chain(raw));
        raw = Box::new(Members::new(inner));
        head = read_head(&mut raw, SNIFF_BYTES).map_err(io_err)?;
        depth += 1;
    }
    let has_utf8_bom = head.starts_with(&[0xef, 0xbb, 0xbf]);
    let has_utf16_bom = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    let bare_utf16 = if has_utf16_bom { None } else { utf16_without_bom(&head) };
    let encoding = forced.unwrap_or(if has_utf16_bom || bare_utf16.is_some() {
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
            let enc = match (encoding, bare_utf16) {
                (Encoding::Utf16, Some(true)) => encoding_rs::UTF_16BE,
                (Encoding::Utf16, _) => encoding_rs::UTF_16LE,
                _ => encoding_rs::WINDOWS_1252,
            };
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

/// How many gzip layers are undone.
const MAX_GZIP_DEPTH: usize = 3;

/// The gzip members of a stream, one after another, as `gzip -d` reads
/// them: zero bytes after the last member (tape and disk padding) are
/// ignored, anything else there is an error.
struct Members<R: BufRead> {
    current: Option<flate2::bufread::GzDecoder<R>>,
}

impl<R: BufRead> Members<R> {
    fn new(inner: R) -> Members<R> {
        Members { current: Some(flate2::bufread::GzDecoder::new(inner)) }
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(dec) = self.current.as_mut() else { return Ok(0) };
            let n = dec.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The member ended: another follows, or padding, or nothing.
            let mut inner = self.current.take().expect("a member").into_inner();
            loop {
                let rest = inner.fill_buf()?;
                if rest.is_empty() {
                    return Ok(0);
                }
                if rest.starts_with(&[0x1f, 0x8b]) || (rest.len() == 1 && rest[0] == 0x1f) {
                    break;
                }
                let zeros = rest.iter().take_while(|&&b| b == 0).count();
                if zeros == 0 {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "bytes that are not gzip data follow it"));
                }
                inner.consume(zeros);
            }
            self.current = Some(flate2::bufread::GzDecoder::new(inner));
        }
    }
}

/// UTF-16 written without a byte order mark: `Some(big_endian)` when
/// nearly every other byte of the sample is a NUL (as for text in Latin
/// letters) and the bytes between are not.
fn utf16_without_bom(head: &[u8]) -> Option<bool> {
    let sample = &head[..head.len().min(2048) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros = |start: usize| sample.iter().skip(start).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let mostly = |n: usize| n * 10 >= pairs * 9;
    let rarely = |n: usize| n * 10 <= pairs;
    if mostly(odd) && rarely(even) {
        Some(false)
    } else if mostly(even) && rarely(odd) {
        Some(true)
    } else {
        None
    }
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

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut e, data).unwrap();
        e.finish().unwrap()
    }

    fn unzip(bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Members::new(BufReader::new(Cursor::new(bytes))).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn gzip_members_padding_and_garbage() {
        let mut two = gz(b"date,amount\n");
        two.extend(gz(b"2024-01-01,5\n"));
        assert_eq!(unzip(two.clone()).unwrap(), b"date,amount\n2024-01-01,5\n");
        let mut padded = two.clone();
        padded.extend([0u8; 700]);
        assert_eq!(unzip(padded).unwrap(), b"date,amount\n2024-01-01,5\n");
        let mut garbage = two;
        garbage.extend(b"\0\0junk");
        assert_eq!(unzip(garbage).unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn utf16_is_seen_without_a_bom() {
        let le: Vec<u8> = "date,amount\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = "date,amount\n".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(utf16_without_bom(&le), Some(false));
        assert_eq!(utf16_without_bom(&be), Some(true));
        assert_eq!(utf16_without_bom(b"date,amount\n2024-01-01,5\n"), None);
        assert_eq!(utf16_without_bom(&[0u8; 100]), None);
    }

    #[test]
    fn formats() {
        assert_eq!(detect_format("a.xlsx", b""), InputFormat::Excel);
        assert_eq!(detect_format("a.JSONL.gz", b""), InputFormat::Json);
        assert_eq!(detect_format("-", b"  [{\"a\":1}]"), InputFormat::Json);
        assert_eq!(detect_format("-", b"date,amount"), InputFormat::Csv);
    }
}
