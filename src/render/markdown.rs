//! A Markdown table for pasting into a wiki, a ticket or a README, with the
//! totals as last, bold rows.

use std::io::{self, Write};

use crate::render::{Grid, Value};

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|")
}

pub fn render(grid: &Grid, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "| {} |", grid.columns.join(" | "))?;
    let align: Vec<&str> = (0..grid.columns.len()).map(|i| if grid.numeric(i) { "---:" } else { "---" }).collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for row in &grid.rows {
        let texts: Vec<String> = row.iter().map(|v| escape(&v.plain())).collect();
        writeln!(out, "| {} |", texts.join(" | "))?;
    }
    for row in &grid.totals {
        let texts: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Empty => String::new(),
                v => format!("**{}**", escape(&v.plain())),
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
