//! Printing a report: one module per format, all writing to any
//! `io::Write`. Renderers only format: every number comes from the report's
//! view rows and is rounded here, at the edge, half away from zero (money to
//! 2 decimals, percentages to 1).

pub mod delimited;
pub mod json;
pub mod markdown;
pub mod table;

use std::io::{self, Write};

use crate::aggregate::exact::round_decimal;
use crate::aggregate::{Fixed, Ratio, Report};
use crate::model::RowAccounting;

/// Decimals printed for money (total, aov, aov_change).
pub const MONEY_DECIMALS: u32 = 2;
/// Decimals printed for percentages (aov_change_pct).
pub const PCT_DECIMALS: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Markdown,
}

/// What a renderer may add around the report itself.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Colour the table (only ever true for a terminal).
    pub color: bool,
    /// Row accounting, shown in the table's footer.
    pub accounting: Option<RowAccounting>,
    /// CSV for Swedish Excel: `;`, decimal comma, UTF-8 with a BOM.
    pub excel_sv: bool,
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
    Empty,
}

impl Value {
    /// Plain text for machine formats: dot decimal, no grouping.
    pub fn plain(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Count(n) => n.to_string(),
            Value::Money(f) | Value::Pct(f) | Value::Change(f) | Value::ChangePct(f) => f.to_string(),
            Value::Empty => String::new(),
        }
    }

    pub fn is_number(&self) -> bool {
        !matches!(self, Value::Text(_))
    }
}

pub fn money(d: rust_decimal::Decimal) -> Value {
    Value::Money(round_decimal(d, MONEY_DECIMALS))
}

fn opt(r: &Option<Ratio>, dp: u32, wrap: fn(Fixed) -> Value) -> Value {
    r.as_ref().map_or(Value::Empty, |r| wrap(r.round(dp)))
}

/// The column names of a report, in order.
pub fn columns(report: &Report) -> Vec<&'static str> {
    let mut cols: Vec<&'static str> = report.by.iter().map(|d| d.name()).collect();
    if report.show_currency {
        cols.push("currency");
    }
    if report.has_period_column() {
        cols.push("period");
    }
    cols.extend(["deals", "total", "aov", "aov_change", "aov_change_pct"]);
    cols
}

/// The cells of every row, matching `columns`.
pub fn cells(report: &Report) -> Vec<Vec<Value>> {
    report
        .rows
        .iter()
        .map(|r| {
            let mut v: Vec<Value> = r.group.iter().map(|g| Value::Text(g.clone())).collect();
            if report.show_currency {
                v.push(Value::Text(r.currency.clone()));
            }
            if let Some(p) = &r.period {
                v.push(Value::Text(p.clone()));
            }
            v.push(Value::Count(r.deals));
            v.push(money(r.total));
            v.push(opt(&r.aov, MONEY_DECIMALS, Value::Money));
            v.push(opt(&r.change, MONEY_DECIMALS, Value::Change));
            v.push(opt(&r.change_pct, PCT_DECIMALS, Value::ChangePct));
            v
        })
        .collect()
}

/// The totals lines (one per currency), matching `columns`, with `label` in
/// the first text column.
pub fn total_cells(report: &Report, label: &str) -> Vec<Vec<Value>> {
    let text_cols = report.by.len() + usize::from(report.show_currency) + usize::from(report.has_period_column());
    report
        .totals
        .iter()
        .map(|t| {
            let mut v = vec![Value::Empty; text_cols];
            if report.show_currency {
                v[report.by.len()] = Value::Text(t.currency.clone());
            }
            if text_cols > 0 {
                v[0] = Value::Text(label.to_string());
            }
            v.push(Value::Count(t.deals));
            v.push(money(t.total));
            v.push(opt(&t.aov, MONEY_DECIMALS, Value::Money));
            v.push(Value::Empty);
            v.push(Value::Empty);
            v
        })
        .collect()
}

/// Print `report` in `format` to `out`.
pub fn render(report: &Report, format: Format, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, options, out),
        Format::Csv if options.excel_sv => delimited::render_excel_sv(report, out),
        Format::Csv => delimited::render(report, b',', out),
        Format::Tsv => delimited::render(report, b'\t', out),
        Format::Json => json::render(report, false, out),
        Format::Jsonl => json::render(report, true, out),
        Format::Markdown => markdown::render(report, out),
    }
}

#[cfg(test)]
pub(crate) mod tests;
