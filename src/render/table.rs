//! The table for people: numbers right-aligned with digit grouping, up and
//! down markers on changes, a totals line, and a footer that accounts for
//! every input row. Colour only when settings say so (a terminal, no
//! NO_COLOR).

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, LineStyle, Table, TableStyle};

use crate::aggregate::Fixed;
use crate::render::{Grid, RenderOptions, THIN_DEALS, Value};

/// A rule under the header and nothing else: easy to read, easy to copy.
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// Group the integer digits in threes with a space: `1 234 567.89`.
pub fn group_digits(f: &Fixed) -> String {
    let (int, frac) = f.parts();
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 + frac.len() + 2);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    let sign = if f.is_negative() { "-" } else { "" };
    if frac.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}.{frac}") }
}

fn count(n: u64) -> String {
    group_digits(&crate::aggregate::exact::round_decimal(rust_decimal::Decimal::from(n), 0))
}

/// The text of a cell as people read it.
pub fn human(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Count(n) => count(*n),
        Value::Money(f) | Value::Pct(f) => group_digits(f),
        Value::Change(f) => match (f.is_positive(), f.is_negative()) {
            (true, _) => format!("+{} ▲", group_digits(f)),
            (_, true) => format!("{} ▼", group_digits(f)),
            _ => format!("{}  ", group_digits(f)),
        },
        Value::ChangePct(f) => match (f.is_positive(), f.is_negative()) {
            (true, _) => format!("+{} %", group_digits(f)),
            _ => format!("{} %", group_digits(f)),
        },
        Value::Gap(f) if f.is_positive() => format!("+{} ✓", group_digits(f)),
        Value::Gap(f) if !f.is_negative() => format!("{} ✓", group_digits(f)),
        Value::Gap(f) => format!("{}  ", group_digits(f)),
        Value::Empty => String::new(),
    }
}

fn cell(v: &Value, color: bool, bold: bool) -> Cell {
    let mut c = Cell::new(human(v));
    if v.is_number() {
        c = c.set_alignment(CellAlignment::Right);
    }
    if color {
        match v {
            Value::Change(f) | Value::ChangePct(f) if f.is_positive() => c = c.fg(Color::Green),
            Value::Change(f) | Value::ChangePct(f) if f.is_negative() => c = c.fg(Color::Red),
            Value::Gap(f) if !f.is_negative() => c = c.fg(Color::Green),
            _ => {}
        }
        if bold {
            c = c.add_attribute(Attribute::Bold);
        }
    }
    c
}

pub fn render(grid: &Grid, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let color = options.color;
    let mut table = Table::new();
    table.load_style(STYLE).set_content_arrangement(ContentArrangement::Disabled);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(grid.columns.iter().enumerate().map(|(i, c)| {
        let h = Cell::new(c).set_alignment(if grid.numeric(i) { CellAlignment::Right } else { CellAlignment::Left });
        if color { h.add_attribute(Attribute::Bold) } else { h }
    }));
    // Thin rows get a ° after their deal count; the others a space, so the
    // digits stay aligned.
    let deals_col = grid.columns.iter().position(|c| c == "deals");
    let any_thin = deals_col.is_some() && grid.thin.iter().any(|t| *t);
    let mark = |cells: &mut Vec<Cell>, row: &[Value], thin: bool| {
        if let Some(j) = deals_col.filter(|_| any_thin) {
            let text = format!("{}{}", human(&row[j]), if thin { "°" } else { " " });
            cells[j] = Cell::new(text).set_alignment(CellAlignment::Right);
        }
    };
    for (i, row) in grid.rows.iter().enumerate() {
        let mut cells: Vec<Cell> = row.iter().map(|v| cell(v, color, false)).collect();
        mark(&mut cells, row, grid.thin.get(i).copied().unwrap_or(false));
        table.add_row(cells);
    }
    for row in &grid.totals {
        let mut cells: Vec<Cell> = row.iter().map(|v| cell(v, color, true)).collect();
        mark(&mut cells, row, false);
        table.add_row(cells);
    }
    for line in &grid.preamble {
        writeln!(out, "{line}")?;
    }
    if grid.rows.is_empty() {
        writeln!(out, "No deals in the selection.")?;
    } else {
        for line in table.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    for line in &grid.epilogue {
        writeln!(out, "{line}")?;
    }
    if any_thin {
        writeln!(out, "° fewer than {} deals: too few for the AOV to say much.", THIN_DEALS)?;
    }
    for note in &options.notes {
        writeln!(out, "{note}")?;
    }
    if let Some(a) = options.accounting {
        writeln!(
            out,
            "Rows: {} read, {} used, {} filtered out, {} rejected.",
            count(a.read),
            count(a.used),
            count(a.filtered),
            count(a.rejected)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::exact::round_decimal;
    use std::str::FromStr;

    fn g(s: &str) -> String {
        group_digits(&round_decimal(rust_decimal::Decimal::from_str(s).unwrap(), 2))
    }

    #[test]
    fn groups_digits() {
        assert_eq!(g("0"), "0.00");
        assert_eq!(g("999.5"), "999.50");
        assert_eq!(g("1000"), "1 000.00");
        assert_eq!(g("-1234567.891"), "-1 234 567.89");
        assert_eq!(g("123456"), "123 456.00");
    }
}
