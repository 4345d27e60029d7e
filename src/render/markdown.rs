//! A Markdown table for pasting into a wiki, a ticket or a README, with the
//! totals as last, bold rows; headers and numbers in the chosen language.

use std::io::{self, Write};

use crate::render::lang::Strings;
use crate::render::{Grid, Value};

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|")
}

pub fn render(grid: &Grid, s: &Strings, out: &mut dyn Write) -> io::Result<()> {
    let headers: Vec<String> = grid.columns.iter().map(|c| escape(s.header(c))).collect();
    writeln!(out, "| {} |", headers.join(" | "))?;
    let align: Vec<&str> = (0..grid.columns.len()).map(|i| if grid.numeric(i) { "---:" } else { "---" }).collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for row in &grid.rows {
        let texts: Vec<String> = row.iter().map(|v| escape(&s.cell(v))).collect();
        writeln!(out, "| {} |", texts.join(" | "))?;
    }
    for row in &grid.totals {
        let texts: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Empty => String::new(),
                v => format!("**{}**", escape(&s.cell(v))),
            })
            .collect();
        writeln!(out, "| {} |", texts.join(" | "))?;
    }
    if !grid.epilogue.is_empty() {
        writeln!(out)?;
        for line in &grid.epilogue {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
