//! Typed errors and the exit status each one means.
//!
//! Scripts and cron jobs depend on the exit status, so it is decided here,
//! in one place, from the kind of error: 2 for a usage error, 65 for bad
//! data, 66 for an input that cannot be opened, 1 for anything else.

use std::fmt;
use std::io;

/// Exit statuses, as documented in the README.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILURE: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const DATA: i32 = 65;
    pub const NO_INPUT: i32 = 66;
    /// `--fail-below`: the report was made, and the AOV is below the limit.
    pub const BELOW_TARGET: i32 = 3;
}

/// How many bad rows are shown before a run stops.
pub const SHOWN_BAD_ROWS: usize = 5;

/// The sum of a group no longer fits in a 96-bit decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the total of {group} in {period} is too large to add up exactly")]
pub struct Overflow {
    pub group: String,
    pub period: String,
}

/// One input row that could not be used: where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    /// Physical line (1-based) where the record starts.
    pub line: u64,
    /// The header of the column at fault, if one is.
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(c) = &self.column {
            write!(f, "column \"{c}\": ")?;
        }
        f.write_str(&self.reason)
    }
}

/// Everything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or the settings make no sense.
    #[error("{0}")]
    Usage(String),
    /// An input cannot be opened or read.
    #[error("{path}: {source}")]
    Open { path: String, source: io::Error },
    /// The input as a whole is unusable (no header, no amount column...).
    #[error("{path}: {message}")]
    File { path: String, message: String },
    /// A single row is bad.
    #[error("{0}")]
    Row(RowError),
    /// Bad rows stopped the report; the first few are kept.
    #[error("{}", bad_rows_message(.shown, *.total))]
    BadRows { shown: Vec<RowError>, total: u64 },
    /// `--skip-bad-rows` skipped every row: there is nothing to report.
    #[error("{}", all_bad_message(.shown, *.total))]
    AllRowsBad { shown: Vec<RowError>, total: u64 },
    /// A sum grew past what can be held exactly.
    #[error("{0}")]
    Overflow(#[from] Overflow),
}

fn bad_rows_message(shown: &[RowError], total: u64) -> String {
    let mut s = String::new();
    for e in shown {
        s.push_str(&e.to_string());
        s.push('\n');
    }
    if shown.len() >= SHOWN_BAD_ROWS {
        s.push_str(&format!("stopped after the first {} bad rows", shown.len()));
    } else {
        s.push_str(&format!("stopped after {total} bad row{}", if total == 1 { "" } else { "s" }));
    }
    s.push_str("; no report was made (--skip-bad-rows reports from the good rows)");
    s
}

fn all_bad_message(shown: &[RowError], total: u64) -> String {
    let mut s = String::new();
    for e in shown {
        s.push_str(&e.to_string());
        s.push('\n');
    }
    s.push_str(&format!(
        "every row that would count is bad ({total} bad row{}), so there is no report (--skip-bad-rows skips bad rows, but here nothing is left)",
        if total == 1 { "" } else { "s" }
    ));
    s
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Open { .. } => exit::NO_INPUT,
            Error::File { .. }
            | Error::Row(_)
            | Error::BadRows { .. }
            | Error::AllRowsBad { .. }
            | Error::Overflow(_) => exit::DATA,
        }
    }
}

/// The error for a failed read of `path`: data that cannot be decoded (a
/// corrupt gzip stream, bytes that are not text) is bad data; anything else
/// means the input could not be read.
pub fn read_error(path: &str, source: io::Error) -> Error {
    match source.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::UnexpectedEof => {
            Error::File { path: path.to_string(), message: format!("cannot be read: {source}") }
        }
        _ => Error::Open { path: path.to_string(), source },
    }
}

/// The most characters a line of a message shows: a value of megabytes
/// (a file of NUL bytes read as one header) is cut, not echoed whole.
pub const MAX_MESSAGE_LINE: usize = 500;

/// A message fit for a terminal: control characters (a NUL byte, an
/// escape) written as `\u{0}`, and each line cut at `MAX_MESSAGE_LINE`
/// characters, saying how many more there were.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MAX_MESSAGE_LINE));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut shown = 0;
        let mut chars = line.chars();
        for c in chars.by_ref() {
            if c.is_control() && c != '\t' {
                out.push_str(&c.escape_unicode().to_string());
            } else {
                out.push(c);
            }
            shown += 1;
            if shown == MAX_MESSAGE_LINE {
                break;
            }
        }
        let more = chars.count();
        if more > 0 {
            out.push_str(&format!("... ({more} more characters)"));
        }
    }
    out
}

/// The messages of an error and its causes, one per line, leaving out a
/// cause whose text the message before it already ends with.
pub fn messages(err: &anyhow::Error) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = printable(&cause.to_string());
        if out.last().is_some_and(|prev| prev.ends_with(&text)) {
            continue;
        }
        out.push(text);
    }
    out
}

/// The exit status for any error: the first typed error in its chain
/// decides; a broken pipe is success (the reader has all it wanted).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<clap::Error>() {
            return e.exit_code();
        }
    }
    exit::FAILURE
}

/// True when the error is only a closed pipe on our output.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    fn csv_pipe(e: &csv::Error) -> bool {
        matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
    }
    err.chain().any(|c| {
        // The CSV writer's errors arrive wrapped in an io::Error of kind
        // Other: look inside it too.
        c.downcast_ref::<io::Error>().is_some_and(|e| {
            e.kind() == io::ErrorKind::BrokenPipe
                || e.get_ref().and_then(|i| i.downcast_ref::<csv::Error>()).is_some_and(csv_pipe)
        }) || c.downcast_ref::<csv::Error>().is_some_and(csv_pipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_error_format() {
        let e = RowError {
            file: "deals.csv".into(),
            line: 57,
            column: Some("amount".into()),
            reason: "cannot read \"abc\" as an amount".into(),
        };
        assert_eq!(e.to_string(), "deals.csv:57: column \"amount\": cannot read \"abc\" as an amount");
    }

    #[test]
    fn exit_codes() {
        let usage = anyhow::Error::new(Error::Usage("x".into()));
        assert_eq!(exit_code(&usage), 2);
        let open =
            anyhow::Error::new(Error::Open { path: "a".into(), source: io::Error::from(io::ErrorKind::NotFound) });
        assert_eq!(exit_code(&open.context("reading")), 66);
        let other = anyhow::anyhow!("boom");
        assert_eq!(exit_code(&other), 1);
    }
}
