//! The table for people: numbers right-aligned with digit grouping, up and
//! down markers on changes, a totals line, and a footer that accounts for
//! every input row. Colour only when settings say so (a terminal, no
//! NO_COLOR). On a terminal narrower than the table, what matters least
//! is left out or shortened (the trend column first) and stderr says so;
//! a file or a pipe always gets every column whole.

use std::io::{self, Write};

use crate::aggregate::Fixed;
use crate::render::lang::{Lang, Strings};
use crate::render::{Grid, RenderOptions, THIN_DEALS, Value};

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

/// The rows of a table, lent one at a time, twice: once to measure the
/// columns and once to write them.
pub trait Body {
    /// Start again from the first row.
    fn rewind(&mut self);
    /// The next row's cells, and whether it rests on too few deals.
    fn next_row(&mut self) -> Option<(&[Value], bool)>;
}

/// The rows of a grid.
pub struct GridBody<'a> {
    grid: &'a Grid,
    at: usize,
}

impl<'a> GridBody<'a> {
    pub fn new(grid: &'a Grid) -> GridBody<'a> {
        GridBody { grid, at: 0 }
    }
}

impl Body for GridBody<'_> {
    fn rewind(&mut self) {
        self.at = 0;
    }

    fn next_row(&mut self) -> Option<(&[Value], bool)> {
        let row = self.grid.rows.get(self.at)?;
        let thin = self.grid.thin.get(self.at).copied().unwrap_or(false);
        self.at += 1;
        Some((row, thin))
    }
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
    write_all(grid, &mut GridBody { grid, at: 0 }, options, out)
}

/// `render` for a table whose rows come from `body` rather than from
/// `frame` (which gives the columns, totals and the lines around them):
/// the rows are never all held. A table wider than the terminal is made
/// whole by `whole` and fitted as `render` does.
pub fn render_body(
    frame: &Grid,
    body: &mut dyn Body,
    options: &RenderOptions,
    whole: impl FnOnce() -> io::Result<Grid>,
    out: &mut dyn Write,
) -> io::Result<()> {
    if let Some(width) = options.width {
        let s = options.lang.strings();
        if measure(frame, body, s).fit_width() > width {
            return render(&whole()?, options, out);
        }
    }
    write_all(frame, body, options, out)
}

/// What one pass over a table's cells finds.
struct Measure {
    /// Per column: its header's width, and its widest cell's as printed
    /// without the thin-row mark (rows and totals).
    header: Vec<usize>,
    cells: Vec<usize>,
    deals_col: Option<usize>,
    any_thin: bool,
    rows: usize,
    /// Per column: whether it holds numbers (right-aligned headers).
    numeric: Vec<bool>,
}

impl Measure {
    /// Each column's printed width: a deal count one wider for its mark
    /// when `marked`.
    fn widths(&self, marked: bool) -> Vec<usize> {
        let mark = |i: usize| usize::from(marked && Some(i) == self.deals_col);
        (0..self.cells.len()).map(|i| self.header[i].max(self.cells[i] + mark(i))).collect()
    }

    /// The width `table_width_in` gives the same grid (its deal counts
    /// measured with their mark, whether or not a row is thin).
    fn fit_width(&self) -> usize {
        let w = self.widths(true);
        w.iter().map(|w| w + 2).sum::<usize>() + w.len().saturating_sub(1)
    }
}

fn measure(frame: &Grid, body: &mut dyn Body, s: &Strings) -> Measure {
    let mut header: Vec<usize> = frame.columns.iter().map(|c| text_width(s.header(c))).collect();
    let n = header.len();
    let mut cells = vec![0; n];
    let deals_col = frame.columns.iter().position(|c| c == "deals");
    let (mut has_number, mut has_text) = (vec![false; n], vec![false; n]);
    let mut any_thin = false;
    let mut rows = 0;
    let mut buf = String::new();
    let mut see = |row: &[Value], is_row: bool| {
        for (j, v) in row.iter().enumerate() {
            if j >= cells.len() {
                for list in [&mut header, &mut cells] {
                    list.resize(j + 1, 0);
                }
                has_number.resize(j + 1, false);
                has_text.resize(j + 1, false);
            }
            cell_text(v, s, None, &mut buf);
            cells[j] = cells[j].max(text_width(&buf));
            has_number[j] |= v.is_number();
            has_text[j] |= is_row && matches!(v, Value::Text(_));
        }
    };
    body.rewind();
    while let Some((row, thin)) = body.next_row() {
        see(row, true);
        any_thin |= thin;
        rows += 1;
    }
    body.rewind();
    for row in &frame.totals {
        see(row, false);
    }
    let numeric = has_number.iter().zip(&has_text).map(|(n, t)| *n && !t).collect();
    Measure { header, cells, deals_col, any_thin: any_thin && deals_col.is_some(), rows, numeric }
}

fn write_all(frame: &Grid, body: &mut dyn Body, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let s = options.lang.strings();
    let m = measure(frame, body, s);
    for line in &frame.preamble {
        writeln!(out, "{line}")?;
    }
    if m.rows == 0 {
        writeln!(out, "{}", s.no_deals)?;
    } else {
        write_table(frame, body, &m, s, options.color, out)?;
    }
    for line in &frame.epilogue {
        writeln!(out, "{line}")?;
    }
    if m.any_thin {
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

/// How one cell is printed: its text, its side, and its colour.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paint {
    Plain,
    Green,
    Red,
}

/// The text of a body cell as the table prints it into `buf` (the deal
/// count with its thin-row mark), and whether it goes to the right.
fn cell_text(v: &Value, s: &Strings, mark: Option<bool>, buf: &mut String) -> bool {
    buf.clear();
    buf.push_str(&human_in(v, s));
    if let Some(thin) = mark {
        buf.push(if thin { '°' } else { ' ' });
    }
    v.is_number() || mark.is_some()
}

fn paint(v: &Value) -> Paint {
    match v {
        Value::Change(f) | Value::ChangePct(f) if f.is_positive() => Paint::Green,
        Value::Change(f) | Value::ChangePct(f) if f.is_negative() => Paint::Red,
        Value::Gap(f) if !f.is_negative() => Paint::Green,
        _ => Paint::Plain,
    }
}

/// The header, a rule, the rows and the totals, each column as wide as its
/// widest cell plus a space on each side, a space between two columns,
/// trailing spaces trimmed. Each cell's text is made in one reused buffer:
/// a table of a million rows holds no text but the line being written.
fn write_table(
    frame: &Grid,
    body: &mut dyn Body,
    m: &Measure,
    s: &Strings,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Thin rows get a ° after their deal count; the others a space, so the
    // digits stay aligned.
    let mark_of = |j: usize, thin: bool| (m.any_thin && Some(j) == m.deals_col).then_some(thin);
    let widths = m.widths(m.any_thin);
    let n = widths.len();
    let mut line = String::new();
    for (j, width) in widths.iter().enumerate() {
        let h = frame.columns.get(j).map_or("", |c| s.header(c));
        put_cell(&mut line, j, h, *width, m.numeric[j], color.then_some((Paint::Plain, true)));
    }
    end_line(&mut line, out)?;
    let rule: usize = widths.iter().map(|w| w + 2).sum::<usize>() + n.saturating_sub(1);
    line.extend(std::iter::repeat_n('─', rule));
    end_line(&mut line, out)?;
    let mut buf = String::new();
    let mut row_out = |row: &[Value], thin: bool, bold: bool, line: &mut String| {
        for (j, width) in widths.iter().enumerate() {
            let v = row.get(j).unwrap_or(&Value::Empty);
            let mark = mark_of(j, thin);
            let right = cell_text(v, s, mark, &mut buf);
            let style = color.then(|| (if mark.is_some() { Paint::Plain } else { paint(v) }, bold));
            put_cell(line, j, &buf, *width, right, style);
        }
    };
    body.rewind();
    while let Some((row, thin)) = body.next_row() {
        row_out(row, thin, false, &mut line);
        end_line(&mut line, out)?;
    }
    for row in &frame.totals {
        row_out(row, false, true, &mut line);
        end_line(&mut line, out)?;
    }
    Ok(())
}

/// Append one cell, padded to `width` on its side, to `line`; coloured
/// with ANSI codes when `style` says so (a terminal).
fn put_cell(line: &mut String, column: usize, text: &str, width: usize, right: bool, style: Option<(Paint, bool)>) {
    if column > 0 {
        line.push(' ');
    }
    line.push(' ');
    let pad = width.saturating_sub(text_width(text));
    if right {
        line.extend(std::iter::repeat_n(' ', pad));
    }
    let codes = match style {
        Some((paint, bold)) if !text.is_empty() => {
            let colour = match paint {
                Paint::Plain => "",
                Paint::Green => "32",
                Paint::Red => "31",
            };
            match (colour, bold) {
                ("", false) => None,
                ("", true) => Some("1".to_string()),
                (c, false) => Some(c.to_string()),
                (c, true) => Some(format!("1;{c}")),
            }
        }
        _ => None,
    };
    match codes {
        Some(codes) => {
            line.push_str("\x1b[");
            line.push_str(&codes);
            line.push('m');
            line.push_str(text);
            line.push_str("\x1b[0m");
        }
        None => line.push_str(text),
    }
    if !right {
        line.extend(std::iter::repeat_n(' ', pad));
    }
    line.push(' ');
}

/// Write `line` without its trailing spaces, and empty it.
fn end_line(line: &mut String, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(line.trim_end().as_bytes())?;
    out.write_all(b"\n")?;
    line.clear();
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
    fn columns_are_padded_aligned_and_marked_by_hand() {
        // "customer" is 8 wide, "Bo AB" 5: left-aligned, padded to 8.
        // deals: "12" and "3" with the thin mark (° or a space) are 3 wide,
        // under a 5-wide header, right-aligned. total: "1,200.00" is 8.
        let t = |s: &str| Value::Text(s.to_string());
        let m = |s: &str| Value::Money(round_decimal(rust_decimal::Decimal::from_str(s).unwrap(), 2));
        let grid = Grid {
            columns: ["customer", "deals", "total"].map(String::from).to_vec(),
            rows: vec![vec![t("Bo AB"), Value::Count(12), m("1200")], vec![t("Åsa"), Value::Count(3), m("30")]],
            thin: vec![false, true],
            ..Grid::default()
        };
        let got = lines(&grid, None);
        assert_eq!(got[0], " customer   deals      total");
        // (8 + 2) + (5 + 2) + (8 + 2) and two spaces between.
        assert_eq!(got[1], "─".repeat(29));
        // Each cell: a space, the text padded on its side, a space; one
        // space between two cells.
        assert_eq!(got[2], format!(" Bo AB{}12 {}1,200.00", " ".repeat(3 + 1 + 1 + 1 + 2), " ".repeat(1 + 1 + 1)));
        assert_eq!(got[3], format!(" Åsa{}3°{}30.00", " ".repeat(5 + 1 + 1 + 1 + 3), " ".repeat(1 + 1 + 1 + 3)));
        assert!(got[4].contains('5'), "the thin note names its limit: {}", got[4]);
    }

    #[test]
    fn colour_wraps_the_text_and_not_the_padding() {
        let c = |s: &str| Value::Change(round_decimal(rust_decimal::Decimal::from_str(s).unwrap(), 2));
        let grid = Grid {
            columns: ["period", "aov_change"].map(String::from).to_vec(),
            rows: vec![vec![Value::Text("2024-01".into()), c("-5")], vec![Value::Text("2024-02".into()), c("7")]],
            thin: vec![false, false],
            ..Grid::default()
        };
        let mut out = Vec::new();
        render(&grid, &RenderOptions { color: true, ..RenderOptions::default() }, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let got: Vec<&str> = text.lines().collect();
        // Headers bold; a fall red, a rise green. The change column is as
        // wide as its header (10): its 7-wide cells get 3 spaces before
        // them, after the period's padding and the space between.
        assert_eq!(got[0], " \x1b[1mperiod\x1b[0m    \x1b[1maov_change\x1b[0m");
        assert_eq!(got[2], " 2024-01      \x1b[31m-5.00 ▼\x1b[0m");
        assert_eq!(got[3], " 2024-02      \x1b[32m+7.00 ▲\x1b[0m");
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
