//! Grids of the customer and seller views: which columns, in which order,
//! and the lines people see around them (in the chosen language).

use crate::aggregate::customers::{Customers, Sellers};
use crate::render::lang::Lang;
use crate::render::{Grid, PCT_DECIMALS, THIN_DEALS, Value, money, money_r, opt, pct_r, text};

pub fn customers_grid(v: &Customers) -> Grid {
    customers_grid_in(v, Lang::En)
}

/// `customers_grid` with its lines in `lang`.
pub fn customers_grid_in(v: &Customers, lang: Lang) -> Grid {
    let words = lang.strings();
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
        columns.extend(["days_since_last", "trend"]);
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
            let share =
                s.a_share_pct.as_ref().map(|p| format!("{}{}%", words.number(&p.round(PCT_DECIMALS)), words.pct_space));
            let of = if v.show_currency { s.currency.as_str() } else { "" };
            (words.views.class_a)(
                of,
                &words.count(s.a_customers as u64),
                &words.count(s.customers as u64),
                s.customers as u64,
                share,
            )
        })
        .collect::<Vec<String>>();
    let mut preamble = preamble;
    if let Some(t) = &v.trend {
        let [(a, b), (c, d)] = t.windows;
        let [a, b, c, d] = [a, b, c, d].map(|x| x.to_string());
        preamble.push((words.views.trend)([&a, &b, &c, &d], &t.as_of.to_string(), t.given));
    }
    Grid {
        columns: columns.into_iter().map(String::from).collect(),
        thin: v.rows.iter().map(|r| r.deals < THIN_DEALS).collect(),
        rows,
        totals: Vec::new(),
        preamble,
        epilogue: vec![words.views.classes.into()],
    }
}

pub fn sellers_grid(v: &Sellers) -> Grid {
    sellers_grid_in(v, Lang::En)
}

/// `sellers_grid` with its lines in `lang`.
pub fn sellers_grid_in(v: &Sellers, lang: Lang) -> Grid {
    let words = lang.strings();
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
        epilogue: vec![words.views.sellers_note.into()],
    }
}
