//! Grids of the customer and seller views: which columns, in which order,
//! and the lines people see around them.

use crate::aggregate::customers::{Customers, Sellers};
use crate::render::{Grid, PCT_DECIMALS, THIN_DEALS, Value, money, money_r, opt, pct_r, text};

pub fn customers_grid(v: &Customers) -> Grid {
    let mut columns = vec!["rank", "customer"];
    if v.show_currency {
        columns.push("currency");
    }
    columns.extend([
        "deals",
        "total",
        "aov",
        "median",
        "share_pct",
        "cum_share_pct",
        "class",
        "first_deal",
        "last_deal",
    ]);
    if v.trend.is_some() {
        columns.extend(["days_since_last", "trend_pct"]);
    }
    let rows = v
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![Value::Count(r.rank as u64), text(&r.customer)];
            if v.show_currency {
                row.push(text(&r.currency));
            }
            row.extend([
                Value::Count(r.deals),
                money(r.total),
                money_r(&r.aov),
                money_r(&r.median),
                pct_r(&r.share_pct),
                pct_r(&r.cum_share_pct),
                text(r.class.name()),
                text(r.first_deal.to_string()),
                text(r.last_deal.to_string()),
            ]);
            if v.trend.is_some() {
                row.push(match r.days_since_last {
                    Some(n) if n >= 0 => Value::Count(n as u64),
                    Some(n) => text(n.to_string()),
                    None => Value::Empty,
                });
                row.push(opt(&r.trend_pct, PCT_DECIMALS, Value::ChangePct));
            }
            row
        })
        .collect();
    let preamble = v
        .summaries
        .iter()
        .map(|s| {
            let share = s
                .a_share_pct
                .as_ref()
                .map_or("an undefined share".to_string(), |p| format!("{} %", p.round(PCT_DECIMALS)));
            let of = if v.show_currency { format!(" ({})", s.currency) } else { String::new() };
            format!(
                "Class A{of}: {} of {} customer{} bring {share} of revenue.",
                s.a_customers,
                s.customers,
                if s.customers == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<String>>();
    let mut preamble = preamble;
    if let Some(t) = &v.trend {
        let [(a, b), (c, d)] = t.windows;
        let whose = if t.given { "--as-of" } else { "the last deal day" };
        preamble.push(format!("Trend: {a} to {b} against {c} to {d}; days since last deal to {} ({whose}).", t.as_of));
    }
    Grid {
        columns: columns.into_iter().map(String::from).collect(),
        thin: v.rows.iter().map(|r| r.deals < THIN_DEALS).collect(),
        rows,
        totals: Vec::new(),
        preamble,
        epilogue: vec![
            "Classes: A while the bigger customers hold under 80 % of revenue, B under 95 %, C the rest.".into(),
        ],
    }
}

pub fn sellers_grid(v: &Sellers) -> Grid {
    let mut columns = vec!["seller"];
    if v.show_currency {
        columns.push("currency");
    }
    columns.extend([
        "deals",
        "total",
        "aov",
        "median",
        "customers",
        "a_deals_pct",
        "b_deals_pct",
        "c_deals_pct",
        "vs_team",
    ]);
    let rows = v
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![text(&r.seller)];
            if v.show_currency {
                row.push(text(&r.currency));
            }
            row.extend([
                Value::Count(r.deals),
                money(r.total),
                money_r(&r.aov),
                money_r(&r.median),
                Value::Count(r.customers as u64),
                pct_r(&r.a_deals_pct),
                pct_r(&r.b_deals_pct),
                pct_r(&r.c_deals_pct),
                r.vs_team.as_ref().map_or(Value::Empty, |x| Value::Change(x.round(crate::render::MONEY_DECIMALS))),
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
            "a/b/c_deals_pct: share of the seller's deals with customers of class A, B, C; vs_team: the seller's AOV minus the AOV of all deals.".into(),
        ],
    }
}
