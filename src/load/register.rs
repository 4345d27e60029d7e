//! Reading a customer register (`aov customers --register FILE`): one row
//! per customer, its name or id and a size (turnover, employees, or a
//! potential estimate), so that the customers with the most potential can
//! be set beside what they buy.
//!
//! A register is small (one row per customer), so it is read whole: CSV
//! (any delimiter and encoding the deal readers take) or the first sheet
//! of a workbook with the size column. The customer column is found as in
//! deal files (or named with `--customer-col`), the size column by its
//! header (omsättning, antal anställda, potential, turnover, employees,
//! revenue...) or named with `--potential-col`. Every row is used or rejected with its line and the
//! reason: a register with a bad row stops the run, since a wrong size
//! would put a customer in the wrong class.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::error::Error;
use crate::load::amount::{self, DecimalStyle};
use crate::load::columns::{Field, base, map_headers, normalize};
use crate::load::source::{self, Encoding, InputFormat};

/// Headers of a size column, as `normalize` writes them, most specific first.
pub const POTENTIAL_HEADERS: &[&str] = &[
    "potential",
    "potential_sek",
    "estimated_potential",
    "potential_estimate",
    "omsättning",
    "årsomsättning",
    "omsättning_tkr",
    "antal_anställda",
    "anställda",
    "turnover",
    "annual_turnover",
    "employees",
    "number_of_employees",
    "employee_count",
    "revenue",
    "annual_revenue",
];

/// One customer of the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// As written (tidied as deal names are).
    pub name: String,
    pub potential: Decimal,
    pub line: u64,
}

/// A register read whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    pub file: String,
    pub entries: Vec<Entry>,
    /// The headers of the two columns used, as written.
    pub customer_header: String,
    pub potential_header: String,
}

/// Read the register at `path`.
pub fn read(
    path: &str,
    customer_col: Option<&str>,
    potential_col: Option<&str>,
    encoding: Option<Encoding>,
) -> Result<Register, Error> {
    let (name, rows, delimiter) = if path != "-" && source::detect_format(path, b"") == InputFormat::Excel {
        (path.to_string(), workbook_rows(path, potential_col)?, None)
    } else {
        let opened = source::open(path, encoding)?;
        let delimiter = crate::load::csv::sniff_delimiter(&opened.head);
        let name = opened.name.clone();
        let mut reader =
            csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(opened.reader);
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Error::File { path: name.clone(), message: format!("{e}") })?;
            let line = record.position().map_or(i as u64 + 1, |p| p.line());
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        (name, rows, Some(delimiter))
    };
    parse(&name, rows, customer_col, potential_col, delimiter)
}

/// The rows of a workbook's sheet, as text, numbered from 1: the first
/// sheet whose header has the size column (else the first sheet, whose
/// headers the error then names).
fn workbook_rows(path: &str, potential_col: Option<&str>) -> Result<Vec<(u64, Vec<String>)>, Error> {
    use calamine::{Data, Reader, open_workbook_auto};
    let file_err = |message: String| Error::File { path: path.to_string(), message };
    let mut book = open_workbook_auto(path).map_err(|e| file_err(format!("cannot read the workbook: {e}")))?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(file_err("the workbook has no sheet".into()));
    }
    let mut first = None;
    for name in &names {
        let range = book.worksheet_range(name).map_err(|e| file_err(format!("cannot read sheet \"{name}\": {e}")))?;
        let row0 = range.start().map_or(0, |(r, _)| u64::from(r));
        let rows: Vec<(u64, Vec<String>)> = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let texts = row
                    .iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                        other => other.to_string(),
                    })
                    .collect();
                (row0 + i as u64 + 1, texts)
            })
            .collect();
        let header = rows.iter().find(|(_, r)| r.iter().any(|f| !f.trim().is_empty()));
        if header.is_some_and(|(_, h)| find(h, potential_col, POTENTIAL_HEADERS).is_some()) {
            return Ok(rows);
        }
        first.get_or_insert(rows);
    }
    Ok(first.unwrap_or_default())
}

/// The index of the column `named`, or of the first header in `aliases`.
fn find(headers: &[String], named: Option<&str>, aliases: &[&str]) -> Option<usize> {
    let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let bases: Vec<String> = headers.iter().map(|h| base(h)).collect();
    let wanted: Vec<String> = match named {
        Some(n) => vec![normalize(n)],
        None => aliases.iter().map(|a| a.to_string()).collect(),
    };
    wanted.iter().find_map(|w| norm.iter().position(|h| h == w).or_else(|| bases.iter().position(|h| h == w)))
}

/// The register from its rows (the first non-blank one is the header).
pub fn parse(
    file: &str,
    rows: Vec<(u64, Vec<String>)>,
    customer_col: Option<&str>,
    potential_col: Option<&str>,
    delimiter: Option<u8>,
) -> Result<Register, Error> {
    let err = |message: String| Error::File { path: file.to_string(), message };
    let mut rows = rows.into_iter().skip_while(|(_, r)| r.iter().all(|f| f.trim().is_empty()));
    let (_, headers) = rows.next().ok_or_else(|| err("the register is empty: a header row is expected".into()))?;
    let shown = || headers.iter().map(|h| format!("\"{}\"", h.trim())).collect::<Vec<_>>().join(", ");
    let potential = find(&headers, potential_col, POTENTIAL_HEADERS).ok_or_else(|| {
        err(match potential_col {
            Some(n) => format!("--potential-col names the column \"{n}\", but the headers are: {}", shown()),
            None => format!(
                "no size column found in the register (potential, turnover, omsättning, employees, antal anställda...); the headers are: {}; name it with --potential-col",
                shown()
            ),
        })
    })?;
    let mut named = HashMap::new();
    if let Some(c) = customer_col {
        named.insert(Field::Customer, c.to_string());
    }
    let map = map_headers(&headers, &named).map_err(|m| err(format!("in the register: {m}")))?;
    let customer = map.get(Field::Customer).filter(|&i| i != potential).ok_or_else(|| {
        err(format!(
            "no customer column found in the register; the headers are: {}; name it with --customer-col",
            shown()
        ))
    })?;
    let rows: Vec<(u64, Vec<String>)> = rows.filter(|(_, r)| r.iter().any(|f| !f.trim().is_empty())).collect();
    let cell = |r: &[String], i: usize| r.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    // The decimal separator: as the values show it, else by the delimiter.
    let mut style = None;
    for (line, r) in &rows {
        if let Some(s) = amount::evidence(&cell(r, potential)) {
            match style {
                None => style = Some((s, *line)),
                Some((t, at)) if t != s => {
                    return Err(err(format!(
                        "line {line}: the size column writes decimals with a {} where line {at} has a {}",
                        s.name(),
                        t.name()
                    )));
                }
                _ => {}
            }
        }
    }
    let style = style.map(|(s, _)| s).unwrap_or(if delimiter == Some(b';') {
        DecimalStyle::Comma
    } else {
        DecimalStyle::Point
    });
    let mut entries = Vec::with_capacity(rows.len());
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut name = String::new();
    for (line, r) in &rows {
        crate::load::rows::clean_name(&cell(r, customer), &mut name);
        if name.is_empty() {
            return Err(err(format!("line {line}: the customer is empty")));
        }
        let raw = cell(r, potential);
        let value = amount::parse_amount(&raw, style).map_err(|e| {
            err(format!(
                "line {line}: the size \"{raw}\" of {name} is not a number ({e}); fix it or leave the customer out"
            ))
        })?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(err(format!("line {line}: the size of {name} is below zero ({raw})")));
        }
        if let Some(first) = seen.insert(name.to_lowercase(), *line) {
            return Err(err(format!(
                "line {line}: {name} is in the register twice (also line {first}); keep one row per customer"
            )));
        }
        entries.push(Entry { name: name.clone(), potential: value, line: *line });
    }
    Ok(Register {
        file: file.to_string(),
        entries,
        customer_header: headers[customer].trim().to_string(),
        potential_header: headers[potential].trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u64, Vec<String>)> {
        text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l.split(';').map(str::to_string).collect())).collect()
    }

    #[test]
    fn finds_a_swedish_register() {
        let r = parse(
            "r.csv",
            rows("Kund;Ort;Omsättning (tkr)\nAcme  AB;Lund;12 500,5\nBolaget;Malmö;800\n"),
            None,
            None,
            Some(b';'),
        )
        .unwrap();
        assert_eq!(r.customer_header, "Kund");
        assert_eq!(r.potential_header, "Omsättning (tkr)");
        assert_eq!(r.entries[0], Entry { name: "Acme AB".into(), potential: "12500.5".parse().unwrap(), line: 2 });
        assert_eq!(r.entries[1].potential, Decimal::from(800));
    }

    #[test]
    fn named_columns_and_english_headers() {
        let r = parse("r.csv", rows("id;name;Employees\n1;A;10\n2;B;20\n"), Some("name"), None, None).unwrap();
        assert_eq!((r.entries[1].name.as_str(), r.entries[1].potential), ("B", Decimal::from(20)));
        let err = parse("r.csv", rows("name;size\nA;1\n"), None, Some("storlek"), None).unwrap_err().to_string();
        assert!(err.contains("--potential-col names the column \"storlek\""), "{err}");
        let err = parse("r.csv", rows("name;size\nA;1\n"), None, None, None).unwrap_err().to_string();
        assert!(err.contains("no size column found") && err.contains("--potential-col"), "{err}");
    }

    #[test]
    fn bad_rows_name_their_line() {
        let err = parse("r.csv", rows("kund;potential\nA;1\nB;many\n"), None, None, None).unwrap_err().to_string();
        assert!(err.contains("line 3: the size \"many\" of B is not a number"), "{err}");
        let err = parse("r.csv", rows("kund;potential\nAcme;1\nACME;2\n"), None, None, None).unwrap_err().to_string();
        assert!(err.contains("line 3: ACME is in the register twice (also line 2)"), "{err}");
        let err = parse("r.csv", rows("kund;potential\n;1\n"), None, None, None).unwrap_err().to_string();
        assert!(err.contains("line 2: the customer is empty"), "{err}");
        let err = parse("r.csv", rows("kund;potential\nA;1.5\nB;2,5\n"), None, None, None).unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
    }
}
