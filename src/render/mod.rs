//! Printing results: one module per format, all writing to any `io::Write`.
//!
//! Every view (the report, customers, sellers, explain) first becomes a
//! `Grid`: named columns and rows of typed values, plus the totals and notes
//! that only people's formats show. Renderers only format a grid: every
//! number is rounded here, at the edge, half away from zero (money to 2
//! decimals, percentages to 1).

pub mod breadth;
pub mod chart;
pub mod delimited;
pub mod explain;
pub mod glyphs;
pub mod html;
pub mod json;
pub mod lang;
pub mod markdown;
pub mod output;
pub mod potential;
pub mod quotes;
pub mod spark;
pub mod table;
pub mod titles;
pub mod views;

use std::io::{self, Write};

use crate::aggregate::exact::round_decimal;
use crate::aggregate::{Fixed, LazyRows, Ratio, Report, ReportRow, Stats};
use crate::model::RowAccounting;

/// Decimals printed for money (total, aov, aov_change).
pub const MONEY_DECIMALS: u32 = 2;
/// Decimals printed for percentages (aov_change_pct, shares).
pub const PCT_DECIMALS: u32 = 1;
/// Rows resting on fewer deals than this are marked as thin in the table.
pub const THIN_DEALS: u64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Markdown,
    /// One self-contained page with a chart and the table.
    Html,
}

/// What a renderer may add around the data.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Colour the table (only ever true for a terminal).
    pub color: bool,
    /// Row accounting, shown in the table's footer.
    pub accounting: Option<RowAccounting>,
    /// CSV for Swedish Excel: `;`, decimal comma, UTF-8 with a BOM.
    pub excel_sv: bool,
    /// Lines the table prints under itself (what was counted, and how).
    pub notes: Vec<String>,
    /// The page title for `--format html`.
    pub title: String,
    /// The terminal's width, when the table goes to one: a wider table is
    /// made to fit. `None` (a file, a pipe): never cut.
    pub width: Option<usize>,
    /// The language of the formats people read (never csv, tsv, json, jsonl).
    pub lang: lang::Lang,
}

/// One cell, before formatting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Count(u64),
    Money(Fixed),
    Pct(Fixed),
    /// A change: printed with a sign and a marker in the table.
    Change(Fixed),
    ChangePct(Fixed),
    /// Distance to a target: marked when reached in the table.
    Gap(Fixed),
    Empty,
}

impl Value {
    /// Plain text for machine formats: dot decimal, no grouping.
    pub fn plain(&self) -> String {
        let mut s = String::new();
        self.plain_into(&mut s);
        s
    }

    /// `plain`, appended to `out`.
    pub fn plain_into(&self, out: &mut String) {
        use std::fmt::Write as _;
        match self {
            Value::Text(s) => out.push_str(s),
            Value::Count(n) => write!(out, "{n}").expect("writing to a String"),
            Value::Money(f) | Value::Pct(f) | Value::Change(f) | Value::ChangePct(f) | Value::Gap(f) => {
                write!(out, "{f}").expect("writing to a String")
            }
            Value::Empty => {}
        }
    }

    pub fn is_number(&self) -> bool {
        !matches!(self, Value::Text(_) | Value::Empty)
    }
}

pub fn money(d: rust_decimal::Decimal) -> Value {
    Value::Money(round_decimal(d, MONEY_DECIMALS))
}

pub fn money_r(r: &Option<Ratio>) -> Value {
    opt(r, MONEY_DECIMALS, Value::Money)
}

pub fn pct_r(r: &Option<Ratio>) -> Value {
    opt(r, PCT_DECIMALS, Value::Pct)
}

pub fn opt(r: &Option<Ratio>, dp: u32, wrap: fn(Fixed) -> Value) -> Value {
    r.as_ref().map_or(Value::Empty, |r| wrap(r.round(dp)))
}

pub fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// A view ready to print.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Totals lines: shown by the table and Markdown only.
    pub totals: Vec<Vec<Value>>,
    /// Per row: true when it rests on too few deals (the table marks it).
    pub thin: Vec<bool>,
    /// Lines above the table (table only).
    pub preamble: Vec<String>,
    /// Lines below the table (table and Markdown).
    pub epilogue: Vec<String>,
}

impl Grid {
    /// Whether column `i` holds numbers (right-aligned for people).
    pub fn numeric(&self, i: usize) -> bool {
        self.rows.iter().chain(&self.totals).any(|r| r.get(i).is_some_and(Value::is_number))
            && !self.rows.iter().any(|r| matches!(r.get(i), Some(Value::Text(_))))
    }
}

/// The columns `--stats` adds after `aov`.
pub const STATS_COLUMNS: [&str; 7] = ["median", "p25", "p75", "p90", "min", "max", "top_deal_pct"];

/// The cells of `STATS_COLUMNS` (empty without statistics).
fn stats_cells(s: Option<&Stats>) -> [Value; STATS_COLUMNS.len()] {
    match s {
        Some(s) => [
            Value::Money(s.median.round(MONEY_DECIMALS)),
            Value::Money(s.p25.round(MONEY_DECIMALS)),
            Value::Money(s.p75.round(MONEY_DECIMALS)),
            Value::Money(s.p90.round(MONEY_DECIMALS)),
            money(s.min),
            money(s.max),
            pct_r(&s.top_deal_pct),
        ],
        None => std::array::from_fn(|_| Value::Empty),
    }
}

/// The column names of a report, in order.
pub fn columns(report: &Report) -> Vec<&str> {
    let mut cols: Vec<&str> = report.by_names.iter().map(String::as_str).collect();
    if report.show_currency {
        cols.push("currency");
    }
    if report.has_period_column() {
        cols.push("period");
    }
    cols.extend(["deals", "total", "aov"]);
    if report.with_stats {
        cols.extend(STATS_COLUMNS);
    }
    cols.extend(["aov_change", "aov_change_pct"]);
    if report.yoy {
        cols.extend(["aov_yoy_change", "aov_yoy_change_pct"]);
    }
    if report.target.is_some() {
        cols.push("target_gap");
    }
    cols
}

/// The cells of one report row, matching `columns`.
pub fn report_row(report: &Report, r: &crate::aggregate::ReportRow) -> Vec<Value> {
    let mut v = Vec::new();
    report_row_into(report, r, &mut v);
    v
}

/// `report_row` into `cells`, reusing its text buffers: the rows of one
/// report all have the same layout, so a buffer reused from row to row
/// allocates nothing once it has held the longest name.
pub fn report_row_into(report: &Report, r: &crate::aggregate::ReportRow, cells: &mut Vec<Value>) {
    let mut fill = Fill { cells, at: 0 };
    for g in r.group.iter() {
        fill.text(g);
    }
    if report.show_currency {
        fill.text(&r.currency);
    }
    if let Some(p) = &r.period {
        fill.text(p);
    }
    fill.put(Value::Count(r.deals));
    fill.put(money(r.total));
    fill.put(money_r(&r.aov));
    if report.with_stats {
        stats_cells(r.stats.as_deref()).into_iter().for_each(|v| fill.put(v));
    }
    fill.put(opt(&r.change, MONEY_DECIMALS, Value::Change));
    fill.put(opt(&r.change_pct, PCT_DECIMALS, Value::ChangePct));
    if report.yoy {
        fill.put(opt(&r.yoy_change, MONEY_DECIMALS, Value::Change));
        fill.put(opt(&r.yoy_change_pct, PCT_DECIMALS, Value::ChangePct));
    }
    if report.target.is_some() {
        fill.put(opt(&r.target_gap, MONEY_DECIMALS, Value::Gap));
    }
    let at = fill.at;
    cells.truncate(at);
}

/// Writes cells over a row buffer from the left.
struct Fill<'a> {
    cells: &'a mut Vec<Value>,
    at: usize,
}

impl Fill<'_> {
    fn put(&mut self, v: Value) {
        match self.cells.get_mut(self.at) {
            Some(slot) => *slot = v,
            None => self.cells.push(v),
        }
        self.at += 1;
    }

    fn text(&mut self, s: &str) {
        match self.cells.get_mut(self.at) {
            Some(Value::Text(t)) => {
                t.clear();
                t.push_str(s);
                self.at += 1;
            }
            _ => self.put(text(s)),
        }
    }
}

/// Rows for a streaming renderer, lent one at a time (see [`ReportRows`]).
pub trait Rows {
    fn next_row(&mut self) -> Option<&[Value]>;
}

/// The rows of a grid.
pub struct GridRows<'a>(pub std::slice::Iter<'a, Vec<Value>>);

impl Rows for GridRows<'_> {
    fn next_row(&mut self) -> Option<&[Value]> {
        self.0.next().map(Vec::as_slice)
    }
}

/// A report's rows made into cells in one reused buffer: writing a report
/// over many groups allocates nothing per row.
pub struct ReportRows<'a, I> {
    report: &'a Report,
    rows: I,
    cells: Vec<Value>,
}

impl<R: std::borrow::Borrow<crate::aggregate::ReportRow>, I: Iterator<Item = R>> Rows for ReportRows<'_, I> {
    fn next_row(&mut self) -> Option<&[Value]> {
        report_row_into(self.report, self.rows.next()?.borrow(), &mut self.cells);
        Some(&self.cells)
    }
}

/// The report as a grid (for the formats that need all rows at once).
pub fn report_grid(report: &Report, sparklines: bool) -> Grid {
    report_grid_in(report, sparklines, lang::Lang::En)
}

/// `report_grid`, its labels (totals, the trend line) in `lang`.
pub fn report_grid_in(report: &Report, sparklines: bool, lang: lang::Lang) -> Grid {
    let mut grid = report_frame(report, report.rows.len(), sparklines, lang);
    let mut body = ReportBody::new(report, grid.columns.last().is_some_and(|c| c == "trend"));
    while let Some((row, _)) = table::Body::next_row(&mut body) {
        grid.rows.push(row.to_vec());
    }
    grid.thin = report.rows.iter().map(|r| r.deals > 0 && r.deals < THIN_DEALS).collect();
    grid
}

/// The report's grid without its rows, of which there are `rows`:
/// columns (with `trend` when each group gets a sparkline), totals and the
/// lines under it. The rows come from a [`ReportBody`] or a [`LazyBody`],
/// so that the table can write them without holding them as text. A
/// report without groups draws its trend from `report.rows` (one row per
/// period and currency: always held).
fn report_frame(report: &Report, rows: usize, sparklines: bool, lang: lang::Lang) -> Grid {
    let words = lang.strings();
    let mut columns: Vec<String> = columns(report).into_iter().map(String::from).collect();
    let mut epilogue = Vec::new();
    if sparklines && report.has_period_column() && rows > 0 {
        if report.by.is_empty() {
            // One line under the table per currency.
            let mut start = 0;
            while start < report.rows.len() {
                let cur = &report.rows[start].currency;
                let end = start + report.rows[start..].iter().take_while(|r| &r.currency == cur).count();
                let line = spark::group_sparkline(report, &report.rows[start..end]);
                let label = if report.show_currency {
                    format!("{} ({cur}, {}): ", words.trend, words.trend_scale)
                } else {
                    format!("{} ({}): ", words.trend, words.trend_scale)
                };
                epilogue.push(format!("{label}{line}"));
                start = end;
            }
        } else {
            // A trend column, filled on each group's first row.
            columns.push("trend".into());
        }
    }
    let text_cols = report.by.len() + usize::from(report.show_currency) + usize::from(report.has_period_column());
    // With one row per currency the totals would only repeat it.
    let totals = if text_cols == usize::from(report.show_currency) {
        Vec::new()
    } else {
        report
            .totals
            .iter()
            .map(|t| {
                let mut v = vec![Value::Empty; text_cols];
                if report.show_currency {
                    v[report.by.len()] = text(t.currency.clone());
                }
                // The totals name their currency, also when it has no
                // column of its own to stand in.
                v[0] = if report.show_currency && report.by.is_empty() {
                    text(format!("{} {}", words.total, t.currency))
                } else {
                    text(words.total)
                };
                v.push(Value::Count(t.deals));
                v.push(money(t.total));
                v.push(money_r(&t.aov));
                if report.with_stats {
                    v.extend(stats_cells(t.stats.as_ref()));
                }
                v.push(Value::Empty);
                v.push(Value::Empty);
                if report.yoy {
                    v.extend([Value::Empty, Value::Empty]);
                }
                if report.target.is_some() {
                    v.push(Value::Empty);
                }
                if columns.last().is_some_and(|c| c == "trend") {
                    v.push(Value::Empty);
                }
                v
            })
            .collect()
    };
    Grid { columns, rows: Vec::new(), totals, thin: Vec::new(), preamble: Vec::new(), epilogue }
}

/// A report's rows as table cells, one at a time in one reused buffer,
/// with each group's sparkline on its first row when `trend` is set.
pub struct ReportBody<'a> {
    report: &'a Report,
    trend: bool,
    at: usize,
    /// Where the current group's rows end.
    group_end: usize,
    cells: Vec<Value>,
}

impl<'a> ReportBody<'a> {
    pub fn new(report: &'a Report, trend: bool) -> ReportBody<'a> {
        ReportBody { report, trend, at: 0, group_end: 0, cells: Vec::new() }
    }
}

impl table::Body for ReportBody<'_> {
    fn rewind(&mut self) {
        self.at = 0;
        self.group_end = 0;
    }

    fn next_row(&mut self) -> Option<(&[Value], bool)> {
        let rows = &self.report.rows;
        let r = rows.get(self.at)?;
        report_row_into(self.report, r, &mut self.cells);
        if self.trend {
            if self.at >= self.group_end {
                let (g, c) = (&r.group, &r.currency);
                self.group_end =
                    self.at + rows[self.at..].iter().take_while(|x| &x.group == g && &x.currency == c).count();
                let line = spark::group_sparkline(self.report, &rows[self.at..self.group_end]);
                self.cells.push(text(line));
            } else {
                self.cells.push(Value::Empty);
            }
        }
        self.at += 1;
        Some((&self.cells, r.deals > 0 && r.deals < THIN_DEALS))
    }
}

/// A report's rows as table cells, made one at a time by `LazyRows` (see
/// [`crate::aggregate::build_lazy`]) rather than read from `report.rows`:
/// only the current group's rows are held, for its sparkline.
pub struct LazyBody<'a> {
    report: &'a Report,
    rows: LazyRows<'a>,
    trend: bool,
    /// The current group's rows (one at a time without a trend column).
    group: Vec<ReportRow>,
    at: usize,
    /// The first row of the next group, read to see the current one end.
    pending: Option<ReportRow>,
    cells: Vec<Value>,
}

impl table::Body for LazyBody<'_> {
    fn rewind(&mut self) {
        self.rows.rewind();
        self.group.clear();
        self.at = 0;
        self.pending = None;
    }

    fn next_row(&mut self) -> Option<(&[Value], bool)> {
        if self.at >= self.group.len() {
            self.group.clear();
            self.at = 0;
            let first = self.pending.take().or_else(|| self.rows.next())?;
            self.group.push(first);
            while self.trend {
                match self.rows.next() {
                    Some(r) if r.group == self.group[0].group && r.currency == self.group[0].currency => {
                        self.group.push(r)
                    }
                    next => {
                        self.pending = next;
                        break;
                    }
                }
            }
        }
        let r = &self.group[self.at];
        report_row_into(self.report, r, &mut self.cells);
        if self.trend {
            if self.at == 0 {
                self.cells.push(text(spark::group_sparkline(self.report, &self.group)));
            } else {
                self.cells.push(Value::Empty);
            }
        }
        self.at += 1;
        Some((&self.cells, r.deals > 0 && r.deals < THIN_DEALS))
    }
}

/// A report as a table whose rows are made one at a time by `rows` (and
/// made twice: once to measure the columns, once to write them), so that a
/// report of millions of rows is never held. A table wider than the
/// terminal is made whole by `whole` and fitted as [`render`] fits it.
pub fn render_table_lazy(
    report: &Report,
    rows: LazyRows<'_>,
    options: &RenderOptions,
    whole: impl FnOnce() -> io::Result<Report>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let frame = report_frame(report, rows.len(), true, options.lang);
    let trend = frame.columns.last().is_some_and(|c| c == "trend");
    let mut body = LazyBody { report, rows, trend, group: Vec::new(), at: 0, pending: None, cells: Vec::new() };
    table::render_body(&frame, &mut body, options, || whole().map(|r| report_grid_in(&r, true, options.lang)), out)
}

/// Print `grid` in `format` to `out`.
pub fn render_grid(grid: &Grid, format: Format, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(grid, options, out),
        Format::Csv if options.excel_sv => delimited::render_excel_sv(grid, out),
        Format::Csv => delimited::render(grid, b',', out),
        Format::Tsv => delimited::render(grid, b'\t', out),
        Format::Json => json::render(grid, false, out),
        Format::Jsonl => json::render(grid, true, out),
        Format::Markdown => markdown::render(grid, options.lang.strings(), out),
        Format::Html => html::render(grid, &options.title, None, options, out),
    }
}

/// Print a report in `format` to `out`. Machine formats are written row
/// by row, so a report of a million groups is never held twice. An HTML
/// page draws `page`'s chart and subtotals (none without a page).
pub fn render(
    report: &Report,
    page: Option<&crate::aggregate::page::Page>,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Csv | Format::Tsv | Format::Json | Format::Jsonl => {
            render_stream(report, report.rows.iter(), format, options, out)
        }
        Format::Table => {
            let frame = report_frame(report, report.rows.len(), true, options.lang);
            let trend = frame.columns.last().is_some_and(|c| c == "trend");
            table::render_body(
                &frame,
                &mut ReportBody::new(report, trend),
                options,
                || Ok(report_grid_in(report, true, options.lang)),
                out,
            )
        }
        Format::Markdown => render_grid(&report_grid_in(report, false, options.lang), format, options, out),
        Format::Html => {
            let svgs = page.and_then(|p| p.chart.as_ref()).and_then(|data| {
                // No caption: the page's heading says the same.
                let spec = |width, height| chart::ChartSpec {
                    title: String::new(),
                    top: crate::aggregate::page::PAGE_CHART_TOP,
                    target: report.target,
                    width,
                    height,
                    lang: options.lang,
                    layout: chart::Layout::Auto,
                };
                // One chart for wide screens, one drawn for a phone's width
                // (small multiples grow downwards, two plots a row).
                let phone = chart::phone_height(data, chart::Layout::Auto, 360, 440);
                Some((chart::svg(data, &spec(1000, 500)).ok()?, chart::svg(data, &spec(360, phone)).ok()?))
            });
            let mut frame = report_frame(report, report.rows.len(), false, options.lang);
            if let Some(line) = summary(report, options.lang) {
                frame.preamble.insert(0, line);
            }
            let subtotals =
                page.map_or_else(Vec::new, |p| subtotal_rows(report, &p.subtotals, &frame.columns, options.lang));
            let svgs = svgs.as_ref().map(|(w, n)| (w.as_str(), n.as_str()));
            let mut body = ReportBody::new(report, false);
            html::render_body(&frame, &mut body, &options.title, svgs, &subtotals, options, out)
        }
    }
}

/// The subtotal lines of a page, in `columns`: after which row each
/// stands, and its cells (the group's names, "Subtotal" in the period
/// column, deals, total, AOV, and the AOV against the target).
pub fn subtotal_rows(
    report: &Report,
    list: &[crate::aggregate::subtotals::Subtotal],
    columns: &[String],
    lang: lang::Lang,
) -> Vec<(usize, Vec<Value>)> {
    let words = lang.strings();
    list.iter()
        .map(|s| {
            let row = &report.rows[s.last_row];
            let mut v: Vec<Value> = row.group.iter().map(text).collect();
            if report.show_currency {
                v.push(text(&row.currency));
            }
            v.push(text(words.views.subtotal));
            v.extend([Value::Count(s.deals), money(s.total), money_r(&s.aov)]);
            v.resize(columns.len(), Value::Empty);
            if let Some(i) = columns.iter().position(|c| c == "target_gap") {
                v[i] = opt(&s.target_gap, MONEY_DECIMALS, Value::Gap);
            }
            (s.last_row, v)
        })
        .collect()
}

/// The page's first line, for a report without groups: the latest period's
/// AOV, its change from the period before and year on year (when the
/// report has them), and whether the target was met. `None` with groups or
/// without a period with deals.
pub fn summary(report: &Report, lang: lang::Lang) -> Option<String> {
    if !report.by.is_empty() || !report.has_period_column() {
        return None;
    }
    let w = lang.strings();
    let row = report.rows.iter().rev().find(|r| r.aov.is_some())?;
    let aov = row.aov.as_ref()?.round(MONEY_DECIMALS);
    let cur = row.currency.as_str();
    let mut parts = vec![format!(
        "{} {}: {} {}",
        w.summary.latest,
        row.period.as_deref().unwrap_or_default(),
        w.chart.aov,
        w.amount(&aov, cur)
    )];
    let moved = |change: &Option<Ratio>, pct: &Option<Ratio>, what: &str| {
        change.as_ref().map(|c| {
            let pct = pct.as_ref().map_or(String::new(), |p| format!(" ({})", w.pct(&p.round(PCT_DECIMALS))));
            format!("{}{pct} {what}", w.with_currency(w.signed(&c.round(MONEY_DECIMALS)), cur))
        })
    };
    parts.extend(moved(&row.change, &row.change_pct, w.summary.change));
    parts.extend(moved(&row.yoy_change, &row.yoy_change_pct, w.summary.yoy));
    if let Some(gap) = &row.target_gap {
        parts.push(
            if gap.round(MONEY_DECIMALS).is_negative() { w.summary.target_missed } else { w.summary.target_met }.into(),
        );
    }
    Some(format!("{}.", parts.join("; ")))
}

/// Whether `format` writes rows one at a time (so that `render_stream` can
/// take rows as they are made).
pub fn streams(format: Format) -> bool {
    matches!(format, Format::Csv | Format::Tsv | Format::Json | Format::Jsonl)
}

/// A report in one of the formats that [`streams`], its rows coming from
/// `rows` (the report's own, or made one at a time by
/// [`crate::aggregate::build_lazy`]) rather than from `report.rows`.
pub fn render_stream<R: std::borrow::Borrow<crate::aggregate::ReportRow>>(
    report: &Report,
    rows: impl Iterator<Item = R>,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let columns: Vec<String> = columns(report).into_iter().map(String::from).collect();
    let rows = ReportRows { report, rows, cells: Vec::new() };
    match format {
        Format::Csv if options.excel_sv => delimited::stream_excel_sv(&columns, rows, out),
        Format::Csv => delimited::stream(&columns, rows, b',', out),
        Format::Tsv => delimited::stream(&columns, rows, b'\t', out),
        Format::Json => json::stream(&columns, rows, false, out),
        Format::Jsonl => json::stream(&columns, rows, true, out),
        _ => unreachable!("{format:?} does not stream"),
    }
}

#[cfg(test)]
pub(crate) mod tests;
