//! CSV and TSV: a header row and plain numbers (dot decimal, no grouping,
//! no currency sign), ready for a spreadsheet or another program.

use std::io::{self, Write};

use crate::render::{Grid, GridRows, Rows, Value};

pub fn render(grid: &Grid, delimiter: u8, out: &mut dyn Write) -> io::Result<()> {
    stream(&grid.columns, GridRows(grid.rows.iter()), delimiter, out)
}

/// Write rows as they come.
pub fn stream(columns: &[String], mut rows: impl Rows, delimiter: u8, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
    w.write_record(columns)?;
    // Numbers are written through one reused buffer, text as it is: no
    // allocation per field (a report over many customers has many).
    let mut buf = String::new();
    while let Some(row) = rows.next_row() {
        for v in row {
            match v {
                Value::Text(s) => w.write_field(s)?,
                Value::Empty => w.write_field("")?,
                _ => {
                    buf.clear();
                    v.plain_into(&mut buf);
                    w.write_field(&buf)?;
                }
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}

pub fn render_excel_sv(grid: &Grid, out: &mut dyn Write) -> io::Result<()> {
    stream_excel_sv(&grid.columns, GridRows(grid.rows.iter()), out)
}

/// CSV that Swedish Excel opens right by double-click: a UTF-8 byte order
/// mark (so Å, Ä and Ö survive), `;` between fields and a decimal comma.
pub fn stream_excel_sv(columns: &[String], mut rows: impl Rows, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    w.write_record(columns)?;
    while let Some(row) = rows.next_row() {
        w.write_record(row.iter().map(|v| if v.is_number() { v.plain().replace('.', ",") } else { v.plain() }))?;
    }
    w.flush()
}
