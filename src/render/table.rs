//! The table for people: numbers right-aligned with digit grouping, up and
//! down markers on changes, a totals line, and a footer that accounts for
//! every input row. Colour only when settings say so (a terminal, no
//! NO_COLOR). On a terminal narrower than the table, what matters least
//! is left out or shortened (the trend column first) and stderr says so;
//! a file or a pipe always gets every column whole.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, LineStyle, Table, TableStyle};

use crate::aggregate::Fixed;
use crate::render::lang::{Lang, Strings};
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

/// The text of a cell as people read it, in English.
pub fn human(v: &Value) -> String {
    human_in(v, Lang::En.strings())
}

/// The text of a cell as people read it, in the language of `s`.
pub fn human_in(v: &Value, s: &Strings) -> String {
    match v {
        Value::Text(t) => (s.blank_group)(t).unwrap_or_else(|| t.clone()),
        Value::Count(n) => s.count(*n),
        Value::Money(f) | Value::Pct(f) => s.number(f),
        Value::Change(f) => match (f.is_positive(), f.is_negative()) {
            (true, _) => format!("{} ▲", s.signed(f)),
            (_, true) => format!("{} ▼", s.number(f)),
            _ => format!("{}  ", s.number(f)),
        },
        Value::ChangePct(f) => s.pct(f),
        Value::Gap(f) if !f.is_negative() => format!("{} ✓", s.signed(f)),
        Value::Gap(f) => format!("{}  ", s.number(f)),
        Value::Empty => String::new(),
    }
}

fn cell(v: &Value, s: &Strings, color: bool, bold: bool) -> Cell {
    let mut c = Cell::new(human_in(v, s));
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

/// Columns left out, in this order, when a table is wider than the
/// terminal: the trend first, then the finer statistics. Names are
/// shortened after the trend is gone and before any number is dropped.
const DROP_ORDER: [&str; 20] = [
    "trend",
    "top_deal_pct",
    "p90",
    "p75",
    "p25",
    "max",
    "min",
    "first_deal",
    "last_deal",
    "cum_share_pct",
    "a_deals_pct",
    "b_deals_pct",
    "c_deals_pct",
    "median",
    "aov_change_pct",
    "change_pct",
    "base_deals",
    "current_deals",
    "rank",
    "aov_change",
];

/// Names are never shortened below this many characters.
const MIN_NAME: usize = 12;

/// Text columns that may be shortened: names, not labels.
fn shortenable(column: &str) -> bool {
    !matches!(column, "period" | "currency" | "class" | "s")
}

fn text_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// The widest cell of each column (header included), as printed.
fn column_widths(grid: &Grid, s: &Strings) -> Vec<usize> {
    let mut w: Vec<usize> = grid.columns.iter().map(|c| text_width(s.header(c))).collect();
    for row in grid.rows.iter().chain(&grid.totals) {
        for (i, v) in row.iter().enumerate() {
            if let Some(slot) = w.get_mut(i) {
                // +1 for the thin-row mark after a deal count.
                *slot = (*slot).max(text_width(&human_in(v, s)) + usize::from(grid.columns[i] == "deals"));
            }
        }
    }
    w
}

/// The width of the table's widest line: each column padded by one space
/// on each side, and a space between two columns.
pub fn table_width(grid: &Grid) -> usize {
    table_width_in(grid, Lang::En.strings())
}

/// `table_width` with the headers and numbers of the language of `s`.
pub fn table_width_in(grid: &Grid, s: &Strings) -> usize {
    let w = column_widths(grid, s);
    w.iter().map(|w| w + 2).sum::<usize>() + w.len().saturating_sub(1)
}

/// Cut `s` to `max` columns, the last one an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if text_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// What `fit` changed, for the note on stderr.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fitted {
    pub dropped: Vec<String>,
    /// Columns whose names were cut, and to how many characters.
    pub shortened: Vec<(String, usize)>,
}

impl Fitted {
    pub fn is_empty(&self) -> bool {
        self.dropped.is_empty() && self.shortened.is_empty()
    }

    /// The note: what was left out, and how to see it all.
    pub fn note(&self, width: usize) -> String {
        let mut parts = Vec::new();
        if !self.dropped.is_empty() {
            parts.push(format!("left out {}", self.dropped.join(", ")));
        }
        for (c, n) in &self.shortened {
            parts.push(format!("shortened {c} to {n} characters"));
        }
        format!(
            "aov: note: the table is wider than the terminal ({width} columns): {}; \
             write it to a file or a pipe to see it whole",
            parts.join("; ")
        )
    }
}

/// Make `grid` fit in `width` columns: drop the trend column, then shorten
/// names (not below `MIN_NAME`), then drop columns in `DROP_ORDER` until it
/// fits, and give the names back what the dropped columns freed. Group,
/// period, deals, total and aov always stay.
pub fn fit(grid: &Grid, width: usize) -> (Grid, Fitted) {
    fit_in(grid, width, Lang::En.strings())
}

/// `fit`, measured in the language of `s`.
pub fn fit_in(grid: &Grid, width: usize, s: &Strings) -> (Grid, Fitted) {
    let mut dropped = Vec::new();
    let mut trial = grid.clone();
    if table_width_in(&trial, s) > width {
        drop_column(&mut trial, DROP_ORDER[0], &mut dropped);
    }
    shorten_to_fit(&mut trial, width, s);
    for name in &DROP_ORDER[1..] {
        if table_width_in(&trial, s) <= width {
            break;
        }
        drop_column(&mut trial, name, &mut dropped);
    }
    // Again from the whole names, without the columns that had to go.
    let mut g = grid.clone();
    let mut done = Fitted::default();
    for name in &dropped {
        drop_column(&mut g, name, &mut done.dropped);
    }
    done.shortened = shorten_to_fit(&mut g, width, s);
    (g, done)
}

fn drop_column(g: &mut Grid, name: &str, dropped: &mut Vec<String>) {
    if let Some(i) = g.columns.iter().position(|c| c == name) {
        g.columns.remove(i);
        for row in g.rows.iter_mut().chain(g.totals.iter_mut()) {
            if i < row.len() {
                row.remove(i);
            }
        }
        dropped.push(name.to_string());
    }
}

/// Shorten the widest name columns until the table fits or every name
/// column is down to `MIN_NAME`. Returns the columns cut and their width.
fn shorten_to_fit(g: &mut Grid, width: usize, s: &Strings) -> Vec<(String, usize)> {
    let mut shortened: Vec<(String, usize)> = Vec::new();
    let mut widths = column_widths(g, s);
    let mut excess = table_width_in(g, s).saturating_sub(width);
    while excess > 0 {
        let widest = (0..g.columns.len())
            .filter(|&i| shortenable(&g.columns[i]) && widths[i] > MIN_NAME)
            .filter(|&i| g.rows.iter().any(|r| matches!(r.get(i), Some(Value::Text(_)))))
            .max_by_key(|&i| widths[i]);
        let Some(i) = widest else { break };
        let header = text_width(s.header(&g.columns[i]));
        let target = widths[i].saturating_sub(excess).max(MIN_NAME).max(header);
        if target >= widths[i] {
            break;
        }
        for row in g.rows.iter_mut().chain(g.totals.iter_mut()) {
            if let Some(Value::Text(t)) = row.get_mut(i) {
                if text_width(t) > target {
                    *t = shorten(t, target);
                }
            }
        }
        let name = g.columns[i].clone();
        shortened.retain(|(c, _)| *c != name);
        shortened.push((name, target));
        widths = column_widths(g, s);
        excess = table_width_in(g, s).saturating_sub(width);
    }
    shortened
}

pub fn render(grid: &Grid, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let s = options.lang.strings();
    let fitted;
    let grid = match options.width {
        Some(width) if table_width_in(grid, s) > width => {
            let (g, what) = fit_in(grid, width, s);
            if !what.is_empty() {
                eprintln!("{}", what.note(width));
            }
            fitted = g;
            &fitted
        }
        _ => grid,
    };
    let color = options.color;
    let mut table = Table::new();
    table.load_style(STYLE).set_content_arrangement(ContentArrangement::Disabled);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(grid.columns.iter().enumerate().map(|(i, c)| {
        let h = Cell::new(s.header(c)).set_alignment(if grid.numeric(i) {
            CellAlignment::Right
        } else {
            CellAlignment::Left
        });
        if color { h.add_attribute(Attribute::Bold) } else { h }
    }));
    // Thin rows get a ° after their deal count; the others a space, so the
    // digits stay aligned.
    let deals_col = grid.columns.iter().position(|c| c == "deals");
    let any_thin = deals_col.is_some() && grid.thin.iter().any(|t| *t);
    let mark = |cells: &mut Vec<Cell>, row: &[Value], thin: bool| {
        if let Some(j) = deals_col.filter(|_| any_thin) {
            let text = format!("{}{}", human_in(&row[j], s), if thin { "°" } else { " " });
            cells[j] = Cell::new(text).set_alignment(CellAlignment::Right);
        }
    };
    for (i, row) in grid.rows.iter().enumerate() {
        let mut cells: Vec<Cell> = row.iter().map(|v| cell(v, s, color, false)).collect();
        mark(&mut cells, row, grid.thin.get(i).copied().unwrap_or(false));
        table.add_row(cells);
    }
    for row in &grid.totals {
        let mut cells: Vec<Cell> = row.iter().map(|v| cell(v, s, color, true)).collect();
        mark(&mut cells, row, false);
        table.add_row(cells);
    }
    for line in &grid.preamble {
        writeln!(out, "{line}")?;
    }
    if grid.rows.is_empty() {
        writeln!(out, "{}", s.no_deals)?;
    } else {
        for line in table.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    for line in &grid.epilogue {
        writeln!(out, "{line}")?;
    }
    if any_thin {
        writeln!(out, "{}", (s.thin)(s, THIN_DEALS))?;
    }
    for note in &options.notes {
        writeln!(out, "{note}")?;
    }
    if let Some(a) = options.accounting {
        writeln!(out, "{}", (s.rows)(s, [a.read, a.used, a.filtered, a.rejected]))?;
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

    fn grid() -> Grid {
        let t = |s: &str| Value::Text(s.to_string());
        let m = |s: &str| Value::Money(round_decimal(rust_decimal::Decimal::from_str(s).unwrap(), 2));
        Grid {
            columns: ["customer", "period", "deals", "total", "aov", "aov_change_pct", "trend"]
                .map(String::from)
                .to_vec(),
            rows: vec![
                vec![
                    t("Åkerlunds Bygg och Måleri Aktiebolag"),
                    t("2013-01"),
                    Value::Count(12),
                    m("1200"),
                    m("100"),
                    Value::Empty,
                    t("▁▂▃▄▅▆▇█"),
                ],
                vec![t("Bo AB"), t("2013-02"), Value::Count(3), m("30"), m("10"), Value::Empty, Value::Empty],
            ],
            ..Grid::default()
        }
    }

    fn lines(g: &Grid, width: Option<usize>) -> Vec<String> {
        let mut out = Vec::new();
        render(g, &RenderOptions { width, ..RenderOptions::default() }, &mut out).unwrap();
        String::from_utf8(out).unwrap().lines().map(String::from).collect()
    }

    #[test]
    fn the_measured_width_is_the_printed_width() {
        let g = grid();
        let widest = lines(&g, None).iter().take(4).map(|l| text_width(l)).max().unwrap();
        // Lines are printed with their trailing padding trimmed.
        assert!(widest <= table_width(&g) && widest + 1 >= table_width(&g), "{widest} {}", table_width(&g));
    }

    #[test]
    fn a_narrow_terminal_loses_the_trend_first_then_long_names() {
        // customer 36 + period 7 + deals 5 + total 8 + aov 6 + pct 14 + trend 8,
        // each + 2, and 6 spaces between the 7 columns = 104.
        assert_eq!(table_width(&grid()), 104);
        let (g, what) = fit(&grid(), 95);
        assert_eq!(what, Fitted { dropped: vec!["trend".into()], shortened: vec![] });
        assert_eq!(table_width(&g), 93);
        // 75 columns: 18 too many after the trend; the name goes 36 -> 18.
        let (g, what) = fit(&grid(), 75);
        assert_eq!(what.dropped, ["trend"]);
        assert_eq!(what.shortened, [("customer".to_string(), 18)]);
        assert_eq!(g.rows[0][0], Value::Text("Åkerlunds Bygg oc…".into()));
        assert_eq!(g.rows[1][0], Value::Text("Bo AB".into()));
        assert_eq!(table_width(&g), 75);
        // 55: with the name at 12 it is still 69 wide, so aov_change_pct
        // goes (17 columns: 76 with the whole name); the name gets 15.
        let (g, what) = fit(&grid(), 55);
        assert_eq!(what.dropped, ["trend", "aov_change_pct"]);
        assert_eq!(what.shortened, [("customer".to_string(), 15)]);
        assert_eq!(g.columns, ["customer", "period", "deals", "total", "aov"]);
        assert_eq!(g.rows[0][0], Value::Text("Åkerlunds Bygg…".into()));
        assert_eq!(table_width(&g), 55);
        for line in lines(&grid(), Some(55)).iter().take(4) {
            assert!(text_width(line) <= 55, "{line}");
        }
    }

    #[test]
    fn without_a_width_nothing_is_cut() {
        let all = lines(&grid(), None);
        assert!(all[2].contains("Åkerlunds Bygg och Måleri Aktiebolag") && all[2].contains("▁▂▃▄▅▆▇█"));
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
