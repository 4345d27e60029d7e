//! CSV and TSV: a header row and plain numbers (dot decimal, no grouping,
//! no currency sign), ready for a spreadsheet or another program.

use std::io::{self, Write};

use crate::render::Grid;

pub fn render(grid: &Grid, delimiter: u8, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
    w.write_record(&grid.columns)?;
    for row in &grid.rows {
        w.write_record(row.iter().map(|v| v.plain()))?;
    }
    w.flush()
}

/// CSV that Swedish Excel opens right by double-click: a UTF-8 byte order
/// mark (so Å, Ä and Ö survive), `;` between fields and a decimal comma.
pub fn render_excel_sv(grid: &Grid, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    w.write_record(&grid.columns)?;
    for row in &grid.rows {
        w.write_record(row.iter().map(|v| if v.is_number() { v.plain().replace('.', ",") } else { v.plain() }))?;
    }
    w.flush()
}
