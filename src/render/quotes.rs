//! The grid of `aov quotes`: which columns, in which order, and the lines
//! people see around them. Every number comes from the view; this only
//! rounds and places it.

use crate::aggregate::quotes::{Quotes, QuotesRow};
use crate::render::{Grid, PCT_DECIMALS, Value, money, money_r, opt, pct_r, text};

/// The columns after the group, currency and period.
pub const QUOTE_COLUMNS: [&str; 11] = [
    "quotes",
    "won",
    "lost",
    "open",
    "hit_rate_pct",
    "won_value",
    "lost_value",
    "value_hit_rate_pct",
    "won_aov",
    "lost_aov",
    "open_value",
];

fn figures(r: &QuotesRow, target: bool, out: &mut Vec<Value>) {
    let c = &r.counts;
    out.extend([
        Value::Count(c.decided()),
        Value::Count(c.won),
        Value::Count(c.lost),
        Value::Count(c.open),
        pct_r(&r.hit_rate_pct),
        money(c.won_value),
        money(c.lost_value),
        pct_r(&r.value_hit_rate_pct),
        money_r(&r.won_aov),
        money_r(&r.lost_aov),
        money(c.open_value),
    ]);
    if target {
        out.push(opt(&r.target_gap, PCT_DECIMALS, Value::Gap));
    }
}

pub fn quotes_grid(v: &Quotes) -> Grid {
    let has_period = v.period != crate::aggregate::Period::All;
    let mut columns: Vec<String> = v.by.clone();
    if v.show_currency {
        columns.push("currency".into());
    }
    if has_period {
        columns.push("period".into());
    }
    columns.extend(QUOTE_COLUMNS.iter().map(|c| c.to_string()));
    if v.target.is_some() {
        columns.push("target_gap".into());
    }
    let rows: Vec<Vec<Value>> = v
        .rows
        .iter()
        .map(|r| {
            let mut row: Vec<Value> = r.group.iter().map(text).collect();
            if v.show_currency {
                row.push(text(&r.currency));
            }
            if let Some(p) = &r.period {
                row.push(text(p));
            }
            figures(r, v.target.is_some(), &mut row);
            row
        })
        .collect();
    let text_cols = v.by.len() + usize::from(v.show_currency) + usize::from(has_period);
    let totals = v
        .totals
        .iter()
        .map(|t| {
            let mut row = vec![Value::Empty; text_cols.max(1)];
            if v.show_currency {
                row[v.by.len()] = text(&t.currency);
            }
            row[0] =
                if v.show_currency && v.by.is_empty() { text(format!("Total {}", t.currency)) } else { text("Total") };
            if text_cols == 0 {
                // No text column to hold the word: the totals are the row.
                row.clear();
            }
            figures(t, v.target.is_some(), &mut row);
            row
        })
        .collect();
    let mut epilogue = vec![
        "hit_rate_pct = won / (won + lost) x 100; value_hit_rate_pct = won value / (won + lost) value x 100; open quotes are the pipeline, not decided.".to_string(),
    ];
    if v.undated > 0 {
        let (what, verb) = if v.undated == 1 { ("open quote", "is") } else { ("open quotes", "are") };
        epilogue.push(format!("{} {what} without a date {verb} counted in the totals only.", v.undated));
    }
    Grid {
        columns,
        // The table's thin mark speaks of deals and the AOV; not here.
        thin: vec![false; v.rows.len()],
        rows,
        totals: if text_cols == 0 && v.totals.len() == 1 { Vec::new() } else { totals },
        preamble: Vec::new(),
        epilogue,
    }
}
