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

#[cfg(test)]
mod tests {
    //! Snapshots of both grids in the table and Markdown, from deals worked
    //! out by hand: in March 2013 Eva has 100 and 200 (one product each)
    //! and 600 (two), Olle 900 (five products).
    use super::*;
    use crate::aggregate::Period;
    use crate::aggregate::breadth::BreadthAcc;
    use crate::render::{Format, RenderOptions, render_grid};

    fn acc() -> BreadthAcc {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        let mut acc = BreadthAcc::new(Period::Month);
        let k = Period::Month.key(chrono::NaiveDate::from_ymd_opt(2013, 3, 4).unwrap());
        acc.add("Eva", "", k, 1, d("300"), &[d("100"), d("200")]).unwrap();
        acc.add("Eva", "", k, 2, d("600"), &[d("600")]).unwrap();
        acc.add("Olle", "", k, 5, d("900"), &[d("900")]).unwrap();
        acc
    }

    fn show(grid: &Grid, format: Format) -> String {
        let mut out = Vec::new();
        render_grid(grid, format, &RenderOptions::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn overview_table() {
        insta::assert_snapshot!(show(&overview_grid(&acc().overview().unwrap()), Format::Table));
    }

    #[test]
    fn overview_markdown() {
        insta::assert_snapshot!(show(&overview_grid(&acc().overview().unwrap()), Format::Markdown));
    }

    #[test]
    fn by_seller_table() {
        insta::assert_snapshot!(show(&by_group_grid(&acc().by_group().unwrap(), Dimension::Seller), Format::Table));
    }

    #[test]
    fn by_seller_tsv() {
        insta::assert_snapshot!(show(&by_group_grid(&acc().by_group().unwrap(), Dimension::Seller), Format::Tsv));
    }
}
