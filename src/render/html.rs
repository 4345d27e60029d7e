//! One self-contained HTML file: a summary, the chart inline as SVG, the
//! table, and the notes. No scripts, no external styles, fonts or images,
//! so it opens from an e-mail attachment, reads on a phone and prints.
//! Headers are words of the chosen language with the field name as a
//! tooltip; the key columns (the names and period, aov, the change) come
//! first, so a phone shows them without scrolling; the header stays in
//! view while the table scrolls; a grouped report closes each group's
//! rows with its subtotal; a phone gets a chart drawn for its width.

use std::io::{self, Write};

use crate::render::table::{Body, human_in};
use crate::render::{Grid, RenderOptions, Value};

/// Columns shown right after the names and the period, in this order.
const KEY_COLUMNS: [&str; 3] = ["aov", "aov_change_pct", "aov_change"];

/// The order the page shows `grid`'s columns in: for a report over time,
/// text columns first (as they are), then the key columns, then the rest.
fn column_order(grid: &Grid) -> Vec<usize> {
    let n = grid.columns.len();
    // Only a report over time: other views keep their order (rank first).
    if !grid.columns.iter().any(|c| c == "period") {
        return (0..n).collect();
    }
    let lead = (0..n).take_while(|&i| !grid.numeric(i)).count();
    let mut order: Vec<usize> = (0..lead).collect();
    for k in KEY_COLUMNS {
        if let Some(i) = grid.columns.iter().position(|c| c == k) {
            order.push(i);
        }
    }
    for i in lead..n {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;color:#222}\
h1{font-size:1.3rem}figure{margin:0 0 1rem}figure svg{width:100%;height:auto}\
.scroll{overflow:auto;max-height:85vh}table{border-collapse:collapse;font-size:.9rem;width:100%}\
th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;white-space:nowrap}th{text-align:left;background:#f4f4f4}\
thead th{position:sticky;top:0;z-index:1}p.summary{font-size:1.05rem;font-weight:600}\
figure.narrow{display:none}figure.pareto svg,figure.waterfall svg{max-width:40rem}@media (max-width:600px){figure.wide{display:none}figure.narrow{display:block}\
body{padding:0 .5rem}table{font-size:.8rem}th,td{padding:.3rem .4rem}td:not(.n),th{white-space:normal}th{overflow-wrap:break-word}}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold;border-top:2px solid #999}\
tr.subtotal td{font-weight:600;background:#f8f8f8;border-bottom:2px solid #bbb}\
.up{color:#1a7f37}.down{color:#c62828}p.note{color:#555;font-size:.85rem}\
@media print{body{max-width:none}figure{break-inside:avoid}th{background:none}.scroll{max-height:none;overflow:visible}\
figure.wide{display:block}figure.narrow{display:none}figure.pareto svg,figure.waterfall svg{max-width:40rem}}";

/// A number of a cell as a coordinate (a picture, not a figure printed).
fn coord(v: Option<&Value>) -> Option<f64> {
    match v {
        Some(Value::Pct(f)) | Some(Value::Money(f)) | Some(Value::Change(f)) => f.to_string().parse().ok(),
        _ => None,
    }
}

/// A Pareto chart for a page whose rows carry `share_pct` and
/// `cum_share_pct` (the customers page, one currency): each row's share
/// as a bar, the cumulative share as a line, and the 80 % line that bounds
/// class A. Drawn from the grid's own numbers, 360 units wide so that its
/// 12-unit text stays readable on a phone.
fn pareto(grid: &Grid, words: &crate::render::lang::Strings) -> Option<String> {
    use std::fmt::Write as _;
    let col = |name: &str| grid.columns.iter().position(|c| c == name);
    let (share, cum) = (col("share_pct")?, col("cum_share_pct")?);
    if col("currency").is_some() || grid.rows.is_empty() {
        return None;
    }
    let points: Vec<(f64, f64)> =
        grid.rows.iter().filter_map(|r| Some((coord(r.get(share))?, coord(r.get(cum))?))).collect();
    let (x0, x1, y0, y1) = (44.0, 350.0, 190.0, 20.0);
    let y = |pct: f64| y0 - (y0 - y1) * pct.clamp(0.0, 100.0) / 100.0;
    let step = (x1 - x0) / points.len().max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 360 230\" width=\"360\" height=\"230\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\
         <title>{}</title>",
        esc(words.label("cum_share_pct"))
    );
    for pct in [0.0, 50.0, 100.0] {
        let _ = write!(
            svg,
            "<line x1=\"{x0}\" x2=\"{x1}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"#ddd\"/><text x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\">{3}{4}%</text>",
            y(pct),
            x0 - 4.0,
            y(pct) + 4.0,
            pct,
            words.pct_space
        );
    }
    for (i, (s, _)) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"#9ecae1\"/>",
            x0 + step * i as f64 + step * 0.1,
            y(*s),
            step * 0.8,
            y0 - y(*s)
        );
    }
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, c))| format!("{:.2},{:.2}", x0 + step * (i as f64 + 0.5), y(*c)))
        .collect();
    let _ = write!(
        svg,
        "<polyline points=\"{0}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\
         <line x1=\"{x0}\" x2=\"{x1}\" y1=\"{1:.1}\" y2=\"{1:.1}\" stroke=\"#c80000\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{x1}\" y=\"{2:.1}\" text-anchor=\"end\" fill=\"#c80000\">80{3}%</text>\
         <text x=\"{x0}\" y=\"214\">{4}</text></svg>",
        line.join(" "),
        y(80.0),
        y(80.0) - 4.0,
        words.pct_space,
        esc(&format!("{} / {}", words.label("share_pct"), words.label("cum_share_pct")))
    );
    Some(svg)
}

/// A waterfall for the explain page (one currency): the base AOV, each
/// segment's effect (mix and rate together) as a step up or down, and the
/// current AOV, drawn from the page's own numbers on a scale from zero.
fn waterfall(grid: &Grid, words: &crate::render::lang::Strings) -> Option<String> {
    use std::fmt::Write as _;
    let col = |name: &str| grid.columns.iter().position(|c| c == name);
    let (base, current, effect) = (col("base_aov")?, col("current_aov")?, col("effect")?);
    col("mix")?;
    if col("currency").is_some() || grid.totals.is_empty() || grid.rows.is_empty() {
        return None;
    }
    let total = &grid.totals[0];
    let (b, c) = (coord(total.get(base))?, coord(total.get(current))?);
    // (label, from, to, value shown, colour)
    let mut steps = vec![(words.label("base_aov").to_string(), 0.0, b, human_in(&total[base], words), "#9e9e9e")];
    let mut at = b;
    for r in &grid.rows {
        let e = coord(r.get(effect)).unwrap_or(0.0);
        let name = match r.first() {
            Some(Value::Text(t)) => t.clone(),
            _ => String::new(),
        };
        let colour = if e < 0.0 { "#c62828" } else { "#1a7f37" };
        steps.push((name, at, at + e, human_in(&Value::Change(fixed(r.get(effect))?), words), colour));
        at += e;
    }
    steps.push((words.label("current_aov").to_string(), 0.0, c, human_in(&total[current], words), "#1f77b4"));
    let hi = steps.iter().map(|s| s.1.max(s.2)).fold(0.0, f64::max).max(1.0);
    let lo = steps.iter().map(|s| s.1.min(s.2)).fold(0.0, f64::min);
    let (x0, x1) = (128.0, 285.0);
    let x = |v: f64| x0 + (x1 - x0) * (v - lo) / (hi - lo);
    let height = 20 * steps.len() + 10;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 360 {height}\" width=\"360\" height=\"{height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\"><title>{}</title>",
        esc(words.label("effect"))
    );
    for (i, (name, from, to, shown, colour)) in steps.iter().enumerate() {
        let y = 5.0 + 20.0 * i as f64;
        let short: String =
            if name.chars().count() > 18 { name.chars().take(17).chain(['…']).collect() } else { name.clone() };
        let (left, right) = (x(from.min(*to)), x(from.max(*to)));
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\">{}</text><rect x=\"{left:.2}\" y=\"{:.1}\" width=\"{:.2}\" height=\"14\" fill=\"{colour}\"/><text x=\"352\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            y + 12.0,
            esc(&short),
            y + 1.0,
            (right - left).max(1.0),
            y + 12.0,
            esc(shown)
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The rounded number of a cell.
fn fixed(v: Option<&Value>) -> Option<crate::aggregate::Fixed> {
    match v {
        Some(Value::Pct(f)) | Some(Value::Money(f)) | Some(Value::Change(f)) => Some(f.clone()),
        _ => None,
    }
}

/// A chart's SVG without its XML prolog (which may not stand inside HTML).
fn svg_body(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

/// Per column of `grid`: whether it holds numbers (right-aligned), as
/// [`Grid::numeric`] says, with the rows taken from `body`.
fn numeric_columns(grid: &Grid, body: &mut dyn Body) -> Vec<bool> {
    let n = grid.columns.len();
    let (mut number, mut text) = (vec![false; n], vec![false; n]);
    body.rewind();
    while let Some((row, _)) = body.next_row() {
        for (i, v) in row.iter().enumerate().take(n) {
            number[i] |= v.is_number();
            text[i] |= matches!(v, Value::Text(_));
        }
    }
    for row in &grid.totals {
        for (i, v) in row.iter().enumerate().take(n) {
            number[i] |= v.is_number();
        }
    }
    number.iter().zip(&text).map(|(n, t)| *n && !t).collect()
}

/// Write `grid` as an HTML page titled `title`, with `svg` (a chart for
/// wide screens and one for phones) above it. The grid's preamble comes
/// first, as the page's summary.
pub fn render(
    grid: &Grid,
    title: &str,
    svg: Option<(&str, &str)>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_with_subtotals(grid, title, svg, &[], options, out)
}

/// `render`, with a subtotal line (its cells in the grid's columns) after
/// each row named in `subtotals` (in row order).
pub fn render_with_subtotals(
    grid: &Grid,
    title: &str,
    svg: Option<(&str, &str)>,
    subtotals: &[(usize, Vec<Value>)],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut body = crate::render::table::GridBody::new(grid);
    render_body(grid, &mut body, title, svg, subtotals, options, out)
}

/// `render_with_subtotals` for a page whose rows come from `body` rather
/// than from `frame` (its columns, totals and the lines around them), so
/// that a report of a million rows is written without being held.
pub fn render_body(
    grid: &Grid,
    body: &mut dyn Body,
    title: &str,
    svg: Option<(&str, &str)>,
    subtotals: &[(usize, Vec<Value>)],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let words = options.lang.strings();
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">", words.html_lang)?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(out, "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>", esc(title))?;
    writeln!(out, "<h1>{}</h1>", esc(title))?;
    for (k, line) in grid.preamble.iter().enumerate() {
        let class = if k == 0 { " class=\"summary\"" } else { "" };
        writeln!(out, "<p{class}>{}</p>", esc(line))?;
    }
    if let Some((wide, narrow)) = svg {
        writeln!(out, "<figure class=\"wide\">{}</figure>", svg_body(wide))?;
        writeln!(out, "<figure class=\"narrow\">{}</figure>", svg_body(narrow))?;
    }
    if let Some(p) = pareto(grid, words) {
        writeln!(out, "<figure class=\"pareto\">{p}</figure>")?;
    }
    // explain's page: the sentences answer the question, so they come
    // first, then the waterfall, then the table.
    let explain = grid.columns.iter().any(|c| c == "effect");
    if explain {
        for line in &grid.epilogue {
            writeln!(out, "<p class=\"summary\">{}</p>", esc(line))?;
        }
    }
    if let Some(w) = waterfall(grid, words) {
        writeln!(out, "<figure class=\"waterfall\">{w}</figure>")?;
    }
    let order = column_order(grid);
    let numeric = numeric_columns(grid, body);
    let class = |i: usize| if numeric[i] { " class=\"n\"" } else { "" };
    writeln!(out, "<div class=\"scroll\"><table>\n<thead><tr>")?;
    for &i in &order {
        let c = &grid.columns[i];
        write!(out, "<th{} title=\"{}\">{}</th>", class(i), esc(c), esc(&words.breakable_label(c)))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    let cell = |i: usize, v: &Value| {
        let text = esc(&human_in(v, words));
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
    let mut subtotals = subtotals.iter().peekable();
    body.rewind();
    let mut r = 0;
    while let Some((row, _)) = body.next_row() {
        let cells: String = order.iter().map(|&i| row.get(i).map_or(String::new(), |v| cell(i, v))).collect();
        writeln!(out, "<tr>{cells}</tr>")?;
        while let Some((_, sub)) = subtotals.next_if(|(after, _)| *after == r) {
            let cells: String = order.iter().map(|&i| sub.get(i).map_or(String::new(), |v| cell(i, v))).collect();
            writeln!(out, "<tr class=\"subtotal\">{cells}</tr>")?;
        }
        r += 1;
    }
    for row in &grid.totals {
        let cells: String = order.iter().map(|&i| row.get(i).map_or(String::new(), |v| cell(i, v))).collect();
        writeln!(out, "<tr class=\"total\">{cells}</tr>")?;
    }
    writeln!(out, "</tbody>\n</table></div>")?;
    let epilogue: &[String] = if explain { &[] } else { &grid.epilogue };
    for line in epilogue.iter().chain(&options.notes) {
        writeln!(out, "<p class=\"note\">{}</p>", esc(line))?;
    }
    if let Some(a) = options.accounting {
        writeln!(out, "<p class=\"note\">{}</p>", esc(&(words.rows)(words, [a.read, a.used, a.filtered, a.rejected])))?;
    }
    writeln!(out, "</body>\n</html>")
}
