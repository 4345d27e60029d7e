//! One self-contained HTML file: the chart inline as SVG, the table, and
//! the notes. No scripts, no external styles, fonts or images, so it opens
//! from an e-mail attachment, reads on a phone and prints.

use std::io::{self, Write};

use crate::render::table::human;
use crate::render::{Grid, RenderOptions};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;color:#222}\
h1{font-size:1.3rem}figure{margin:0 0 1rem}figure svg{width:100%;height:auto}\
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem;width:100%}\
th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;white-space:nowrap}th{text-align:left;background:#f4f4f4}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold;border-top:2px solid #999}\
.up{color:#1a7f37}.down{color:#c62828}p.note{color:#555;font-size:.85rem}\
@media print{body{max-width:none}figure{break-inside:avoid}th{background:none}}";

/// Write `grid` as an HTML page titled `title`, with `svg` (a chart) above it.
pub fn render(
    grid: &Grid,
    title: &str,
    svg: Option<&str>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(out, "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>", esc(title))?;
    writeln!(out, "<h1>{}</h1>", esc(title))?;
    for line in &grid.preamble {
        writeln!(out, "<p>{}</p>", esc(line))?;
    }
    if let Some(svg) = svg {
        // The SVG's own XML prolog is dropped: it may not stand inside HTML.
        let body = svg.find("<svg").map_or(svg, |i| &svg[i..]);
        writeln!(out, "<figure>{body}</figure>")?;
    }
    let numeric: Vec<bool> = (0..grid.columns.len()).map(|i| grid.numeric(i)).collect();
    let class = |i: usize| if numeric[i] { " class=\"n\"" } else { "" };
    writeln!(out, "<div class=\"scroll\"><table>\n<thead><tr>")?;
    for (i, c) in grid.columns.iter().enumerate() {
        write!(out, "<th{}>{}</th>", class(i), esc(c))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    let cell = |i: usize, v: &crate::render::Value| {
        let text = esc(&human(v));
        let tone = match v {
            crate::render::Value::Change(f) | crate::render::Value::ChangePct(f) if f.is_positive() => " up",
            crate::render::Value::Change(f) | crate::render::Value::ChangePct(f) if f.is_negative() => " down",
            _ => "",
        };
        if numeric[i] || !tone.is_empty() {
            format!("<td class=\"n{tone}\">{text}</td>")
        } else {
            format!("<td>{text}</td>")
        }
    };
    for row in &grid.rows {
        let cells: String = row.iter().enumerate().map(|(i, v)| cell(i, v)).collect();
        writeln!(out, "<tr>{cells}</tr>")?;
    }
    for row in &grid.totals {
        let cells: String = row.iter().enumerate().map(|(i, v)| cell(i, v)).collect();
        writeln!(out, "<tr class=\"total\">{cells}</tr>")?;
    }
    writeln!(out, "</tbody>\n</table></div>")?;
    for line in grid.epilogue.iter().chain(&options.notes) {
        writeln!(out, "<p class=\"note\">{}</p>", esc(line))?;
    }
    if let Some(a) = options.accounting {
        writeln!(
            out,
            "<p class=\"note\">Rows: {} read, {} used, {} filtered out, {} rejected.</p>",
            a.read, a.used, a.filtered, a.rejected
        )?;
    }
    writeln!(out, "</body>\n</html>")
}
