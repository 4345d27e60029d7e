//! A Markdown table for pasting into a wiki, a ticket or a README, with the
//! totals as a last, bold row.

use std::io::{self, Write};

use crate::aggregate::Report;
use crate::render::{Value, cells, columns, total_cells};

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|")
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let cols = columns(report);
    let rows = cells(report);
    writeln!(out, "| {} |", cols.join(" | "))?;
    let numeric = cols.iter().map(|c| matches!(*c, "deals" | "total" | "aov" | "aov_change" | "aov_change_pct"));
    let align: Vec<&str> = numeric.map(|n| if n { "---:" } else { "---" }).collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for row in &rows {
        let texts: Vec<String> = row.iter().map(|v| escape(&v.plain())).collect();
        writeln!(out, "| {} |", texts.join(" | "))?;
    }
    if report.has_period_column() || !report.by.is_empty() {
        for row in total_cells(report, "Total") {
            let texts: Vec<String> = row
                .iter()
                .map(|v| match v {
                    Value::Empty => String::new(),
                    v => format!("**{}**", escape(&v.plain())),
                })
                .collect();
            writeln!(out, "| {} |", texts.join(" | "))?;
        }
    }
    Ok(())
}
