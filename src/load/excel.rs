//! Reading spreadsheets (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) with
//! calamine: the sheet `--sheet` names, or else the first visible sheet that
//! has the columns the run needs.
//!
//! A cell becomes the text a person sees, then goes through the same row
//! parser as CSV. A number cell becomes its shortest round-trip text, so
//! 1676.23 stays 1676.23 exactly; a date cell becomes an ISO date; only a
//! cell formatted as a date is ever a date (a plain number in the date
//! column is refused as an Excel serial). A number cell is a number: no
//! decimal separator is guessed for it, whatever the text cells of its
//! column or `--decimal-comma` say. A merged cell's value shows in every
//! cell it covers (but an amount is never copied). Error cells (`#DIV/0!`)
//! reject their row naming the cell, as in `Sheet1!D17`.

use std::collections::HashMap;
use std::ops::ControlFlow;

use calamine::{Data, Dimensions, Reader, Sheets, open_workbook_auto};

use crate::error::{Error, RowError};
use crate::load::columns::Field;
use crate::load::rows::{ReadOptions, Sink};

/// The column letters of a 0-based index: 0 -> A, 27 -> AB.
pub fn column_letters(mut i: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// The text of a cell, or why it has none.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Rust prints the shortest text that reads back as the same float.
        Data::Float(f) if f.is_finite() => format!("{f}"),
        Data::Float(f) => return Err(format!("the cell holds {f}, not a number")),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if !dt.is_duration() => d.date().format("%Y-%m-%d").to_string(),
            _ => return Err(format!("the cell holds the duration {dt}, not a date")),
        },
        Data::DateTimeIso(s) => s.clone(),
        Data::DurationIso(s) => return Err(format!("the cell holds the duration {s}, not a date or an amount")),
        Data::Error(e) => return Err(format!("the cell holds the error {e}")),
    })
}

pub fn read(
    path: &str,
    sheet: Option<&str>,
    named: &HashMap<Field, String>,
    required: &[Field],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<ControlFlow<()>, Error> {
    let file_err = |message: String| Error::File { path: path.to_string(), message };
    let mut book = open_workbook_auto(path).map_err(|e| file_err(format!("cannot read the workbook: {e}")))?;
    let names = book.sheet_names();
    let (sheet_name, range) = match sheet {
        Some(s) => {
            let name =
                names.iter().find(|n| n.as_str() == s || n.eq_ignore_ascii_case(s)).cloned().ok_or_else(|| {
                    file_err(format!(
                        "no sheet named \"{s}\"; the sheets are: {}",
                        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                    ))
                })?;
            let range =
                book.worksheet_range(&name).map_err(|e| file_err(format!("cannot read sheet \"{name}\": {e}")))?;
            (name, range)
        }
        None => choose_sheet(&mut book, path, named, required, options, sink)?,
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    // Formulas, to tell an empty cell from a formula that was never
    // calculated (a workbook written by a program, not saved by Excel).
    let formulas = book.worksheet_formula(&sheet_name).ok();
    let formula_at =
        |r: u32, c: u32| -> Option<String> { formulas.as_ref()?.get_value((r, c)).filter(|f| !f.is_empty()).cloned() };
    // Merged cells hold their value in the first cell only; the others
    // show it too (a customer merged over its deals' rows is their
    // customer). Not for amounts: a merged amount is one amount.
    let merged: Vec<Dimensions> = match &mut book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet_name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet_name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let merged_at = |r: u32, c: u32| -> Option<&Data> {
        let d = merged.iter().find(|d| (d.start.0..=d.end.0).contains(&r) && (d.start.1..=d.end.1).contains(&c))?;
        (d.start != (r, c)).then(|| range.get_value(d.start)).flatten()
    };
    let mut rows = range.rows().enumerate();
    let display = format!("{path}[{sheet_name}]");

    // The header: the first row with any text.
    let headers: Vec<String> = loop {
        let Some((_, row)) = rows.next() else {
            return Err(file_err(format!(
                "sheet \"{sheet_name}\" is empty: a header row naming the columns is expected"
            )));
        };
        let texts: Vec<String> = row.iter().map(|c| cell_text(c).unwrap_or_default()).collect();
        if texts.iter().any(|t| !t.trim().is_empty()) {
            break texts;
        }
    };
    // Trailing empty header cells are not columns.
    let width = headers.iter().rposition(|h| !h.trim().is_empty()).map_or(0, |i| i + 1);
    let headers = headers[..width].to_vec();
    let mut options = options.clone();
    options.default_decimal.get_or_insert(crate::load::DecimalStyle::Point);
    let sample = sample_rows(rows.clone());
    let mut parser = crate::load::recognize::start(&display, &headers, &sample, named, required, &options, sink)?;
    let amount_col = parser.columns().get(Field::Amount);
    for (i, row) in rows {
        let line = u64::from(row0) + i as u64 + 1;
        let mut texts = Vec::with_capacity(width);
        let mut bad = None;
        let mut numeric = false;
        for (j, cell) in row.iter().enumerate().take(width) {
            let (r, c) = (row0 + i as u32, col0 + j as u32);
            let cell = match cell {
                Data::Empty if Some(j) != amount_col && !merged.is_empty() => merged_at(r, c).unwrap_or(cell),
                _ => cell,
            };
            if Some(j) == amount_col {
                // A number cell has no decimal separator to guess.
                numeric = matches!(cell, Data::Float(_) | Data::Int(_));
            }
            if *cell == Data::Empty {
                if let Some(f) = formula_at(r, c) {
                    bad = Some((
                        j,
                        format!(
                            "the formula ={f} has no saved value; open the workbook in a spreadsheet program and save it"
                        ),
                    ));
                    break;
                }
            }
            match cell_text(cell) {
                Ok(t) => texts.push(t),
                Err(reason) => {
                    bad = Some((j, reason));
                    break;
                }
            }
        }
        let fields: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
        if let Some((j, reason)) = bad {
            let cell = format!("{sheet_name}!{}{line}", column_letters(col0 + j as u32));
            let e = RowError {
                file: display.clone(),
                line,
                column: Some(headers[j].trim().to_string()),
                reason: format!("{cell}: {reason}"),
            };
            if sink.reject(e, &fields).is_break() {
                return Ok(ControlFlow::Break(()));
            }
            continue;
        }
        let mut fields = fields;
        fields.resize(width, "");
        if parser.push_typed(line, &fields, numeric, sink).is_break() {
            return Ok(ControlFlow::Break(()));
        }
    }
    parser.finish(sink)
}

/// The header of a sheet (its first row with text, trailing empty cells
/// cut) and the rows after it, or `None` when the sheet is empty.
fn head_of(range: &calamine::Range<Data>) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut rows = range.rows();
    let headers: Vec<String> = loop {
        let row = rows.next()?;
        let texts: Vec<String> = row.iter().map(|c| cell_text(c).unwrap_or_default()).collect();
        if texts.iter().any(|t| !t.trim().is_empty()) {
            break texts;
        }
    };
    let width = headers.iter().rposition(|h| !h.trim().is_empty()).map_or(0, |i| i + 1);
    Some((headers[..width].to_vec(), sample_rows(rows.enumerate())))
}

/// The first rows' texts, for recognition.
fn sample_rows<'a>(rows: impl Iterator<Item = (usize, &'a [Data])>) -> Vec<Vec<String>> {
    rows.take(crate::load::recognize::SAMPLE_ROWS)
        .map(|(_, row)| row.iter().map(|c| cell_text(c).unwrap_or_default()).collect())
        .collect()
}

/// With no `--sheet`: the first visible sheet that has the columns this run
/// needs (a hidden sheet is never read unasked). Says on stderr when that
/// is not the first sheet; when no sheet has them, the error lists every
/// sheet with its headers.
fn choose_sheet<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    path: &str,
    named: &HashMap<Field, String>,
    required: &[Field],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(String, calamine::Range<Data>), Error> {
    let file_err = |message: String| Error::File { path: path.to_string(), message };
    let all = book.sheet_names();
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let order = if visible.is_empty() { all.clone() } else { visible };
    let first = order.first().cloned().ok_or_else(|| file_err("the workbook has no sheets".into()))?;
    let mut tried: Vec<(String, Option<Vec<String>>)> = Vec::new();
    for name in &order {
        let range = book.worksheet_range(name).map_err(|e| file_err(format!("cannot read sheet \"{name}\": {e}")))?;
        let Some((headers, sample)) = head_of(&range) else {
            tried.push((name.clone(), None));
            continue;
        };
        if crate::load::recognize::recognize(&headers, &sample, named, required, options).is_ok() {
            if *name != first {
                sink.note(format!(
                    "{path}: read sheet \"{name}\", the first with the columns needed ({} before it {} not); --sheet names another",
                    tried.iter().map(|(n, _)| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
                    if tried.len() == 1 { "has" } else { "have" }
                ));
            }
            return Ok((name.clone(), range));
        }
        tried.push((name.clone(), Some(headers)));
    }
    if order.len() == 1 {
        // One sheet: its own error says what is missing.
        let range =
            book.worksheet_range(&first).map_err(|e| file_err(format!("cannot read sheet \"{first}\": {e}")))?;
        return Ok((first, range));
    }
    let fields: Vec<&str> = required.iter().map(|f| f.name()).collect();
    let sheets: Vec<String> = tried
        .iter()
        .map(|(n, h)| match h {
            None => format!("\"{n}\" (empty)"),
            Some(h) => {
                format!("\"{n}\" ({})", h.iter().map(|x| format!("\"{}\"", x.trim())).collect::<Vec<_>>().join(", "))
            }
        })
        .collect();
    Err(file_err(format!(
        "no sheet has the {} columns needed; the sheets are: {}; choose one with --sheet and name its columns with --amount-col and --date-col",
        fields.join(" and "),
        sheets.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(3), "D");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn floats_keep_their_shortest_text() {
        assert_eq!(cell_text(&Data::Float(1676.23)).unwrap(), "1676.23");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)).unwrap(), "0.30000000000000004");
        assert_eq!(cell_text(&Data::Float(25000.0)).unwrap(), "25000");
        assert!(cell_text(&Data::Error(calamine::CellErrorType::Div0)).unwrap_err().contains("#DIV/0!"));
    }
}
