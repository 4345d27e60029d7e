//! The grid of `aov customers --register`: each customer's sales beside its
//! size in the register, and the line that names the under-worked potential.

use crate::aggregate::potential::Potential;
use crate::render::{Grid, PCT_DECIMALS, Value, money, opt, text};

/// Decimals printed for sales per unit of potential (a ratio of two
/// amounts in different units, often small).
const RATIO_DECIMALS: u32 = 4;

pub fn potential_grid(v: &Potential, size_header: &str) -> Grid {
    let columns = ["customer", "deals", "total", "potential", "sales_per_potential", "potential_class"];
    let rows = v
        .rows
        .iter()
        .map(|r| {
            vec![
                text(&r.customer),
                Value::Count(r.deals),
                money(r.total),
                r.potential.map_or(Value::Empty, |p| Value::Money(crate::aggregate::exact::round_decimal(p, 2))),
                opt(&r.sales_per_potential, RATIO_DECIMALS, Value::Money),
                r.potential_class.map_or(Value::Empty, |c| text(c.name())),
            ]
        })
        .collect();
    let share =
        v.a_sales_pct.as_ref().map_or("an undefined share".to_string(), |p| format!("{} %", p.round(PCT_DECIMALS)));
    Grid {
        columns: columns.into_iter().map(String::from).collect(),
        thin: vec![false; v.rows.len()],
        rows,
        totals: Vec::new(),
        preamble: vec![format!(
            "Under-worked: {} customer{} in potential class A bring {share} of sales.",
            v.a_customers,
            if v.a_customers == 1 { "" } else { "s" }
        )],
        epilogue: vec![format!(
            "potential: the register's \"{size_header}\"; sales_per_potential: total / potential; potential_class: A while the bigger customers hold under 80 % of the register's total size, B under 95 %, C the rest."
        )],
    }
}

/// The sellers' grid with `potential_a_deals_pct` (one value per row, in
/// the grid's order) after its other columns.
pub fn with_a_deals(mut grid: Grid, shares: &[Option<crate::aggregate::Ratio>]) -> Grid {
    grid.columns.push("potential_a_deals_pct".into());
    for (row, share) in grid.rows.iter_mut().zip(shares) {
        row.push(crate::render::pct_r(share));
    }
    grid.epilogue.push(
        "potential_a_deals_pct: the share of the seller's deals with customers of potential class A in the register."
            .into(),
    );
    grid
}

#[cfg(test)]
mod tests {
    //! A snapshot of the table from a join worked out by hand: Big AB
    //! (700 of a register total 1000, class A) bought 100 of 1000; Mid
    //! (150, A) nothing; Small (150, B: Mid comes first by name) 600; Gone
    //! is not in the register.
    use super::*;
    use crate::aggregate::potential::{Sales, Sized, join};
    use crate::render::{Format, RenderOptions, render_grid};
    use std::collections::HashMap;

    #[test]
    fn potential_table() {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        let sizes: HashMap<String, Sized> = [("Big AB", "700"), ("Mid", "150"), ("Small", "150")]
            .iter()
            .map(|(n, p)| (n.to_lowercase(), Sized { shown: n.to_string(), potential: d(p) }))
            .collect();
        let sales: HashMap<String, Sales> = [("Big AB", 1, "100"), ("Small", 3, "600"), ("Gone", 2, "300")]
            .iter()
            .map(|(n, k, t)| (n.to_lowercase(), Sales { shown: n.to_string(), deals: *k, total: d(t) }))
            .collect();
        let grid = potential_grid(&join(&sales, &sizes).unwrap(), "Turnover");
        let mut out = Vec::new();
        render_grid(&grid, Format::Table, &RenderOptions::default(), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }
}
