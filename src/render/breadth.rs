//! Grids of `aov breadth`: deals per number of distinct products, and the
//! same per seller or customer, with the lines people see around them.

use crate::aggregate::breadth::{ByGroup, Overview};
use crate::model::Dimension;
use crate::render::{Grid, MONEY_DECIMALS, THIN_DEALS, Value, money_r, opt, pct_r, text};

/// What `all_single` means, for the table's foot.
const EPILOGUE: &str =
    "products: the distinct products (or product groups) of a deal; a product repeated in one order counts once.";

/// One row per (period, breadth): deals, share_pct, aov, median.
pub fn overview_grid(v: &Overview) -> Grid {
    let mut columns = Vec::new();
    if v.show_period {
        columns.push("period");
    }
    if v.show_currency {
        columns.push("currency");
    }
    columns.extend(["products", "deals", "share_pct", "aov", "median"]);
    let rows = v
        .rows
        .iter()
        .map(|r| {
            let mut row = Vec::new();
            if v.show_period {
                row.push(text(r.period.clone().unwrap_or_default()));
            }
            if v.show_currency {
                row.push(text(&r.currency));
            }
            row.extend([
                text(r.breadth.label()),
                Value::Count(r.deals),
                pct_r(&r.share_pct),
                money_r(&r.aov),
                money_r(&r.median),
            ]);
            row
        })
        .collect();
    Grid {
        columns: columns.into_iter().map(String::from).collect(),
        thin: v.rows.iter().map(|r| r.deals > 0 && r.deals < THIN_DEALS).collect(),
        rows,
        totals: Vec::new(),
        preamble: Vec::new(),
        epilogue: vec![EPILOGUE.into()],
    }
}

/// One row per (period, seller or customer).
pub fn by_group_grid(v: &ByGroup, by: Dimension) -> Grid {
    let mut columns = Vec::new();
    if v.show_period {
        columns.push("period");
    }
    columns.push(by.name());
    if v.show_currency {
        columns.push("currency");
    }
    columns.extend(["deals", "aov", "avg_products", "multi_product_pct", "single_aov", "multi_aov"]);
    let rows = v
        .rows
        .iter()
        .map(|r| {
            let mut row = Vec::new();
            if v.show_period {
                row.push(text(r.period.clone().unwrap_or_default()));
            }
            row.push(text(&r.group));
            if v.show_currency {
                row.push(text(&r.currency));
            }
            row.extend([
                Value::Count(r.deals),
                money_r(&r.aov),
                opt(&r.avg_products, MONEY_DECIMALS, Value::Money),
                pct_r(&r.multi_product_pct),
                money_r(&r.single_aov),
                money_r(&r.multi_aov),
            ]);
            row
        })
        .collect();
    Grid {
        columns: columns.into_iter().map(String::from).collect(),
        thin: v.rows.iter().map(|r| r.deals < THIN_DEALS).collect(),
        rows,
        totals: Vec::new(),
        preamble: Vec::new(),
        epilogue: vec![
            EPILOGUE.into(),
            "avg_products: distinct products per deal; multi_product_pct: the share of deals with two or more; single_aov and multi_aov: the AOV of those with one and with more.".into(),
        ],
    }
}
