//! Using `aov` as a library: feed deals into exact partials, build the
//! report, and print it with any renderer.
//!
//!     cargo run --example library

use std::str::FromStr;

use aov::aggregate::{Partials, Period, build};
use aov::model::Dimension;
use aov::render::{Format, RenderOptions, render};
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn main() -> anyhow::Result<()> {
    let deals = [
        ("2013-01-05", "Acme AB", "25000.00"),
        ("2013-01-19", "Acme AB", "12500.50"),
        ("2013-02-02", "Bolt HB", "980.00"),
        ("2013-02-20", "Acme AB", "31000.00"),
    ];
    // Partials from two "sources" (say two files or two threads) merge exactly.
    let mut first = Partials::new(Period::Month, 1);
    let mut second = Partials::new(Period::Month, 1);
    for (i, (date, customer, amount)) in deals.iter().enumerate() {
        let target = if i % 2 == 0 { &mut first } else { &mut second };
        target.add(&[customer], "", NaiveDate::from_str(date)?, Decimal::from_str(amount)?)?;
    }
    first.merge(second)?;
    let report = build(&first, &[Dimension::Customer])?;
    for row in &report.rows {
        let aov = row.aov.as_ref().map(|a| a.round(2).to_string()).unwrap_or_default();
        println!("{} {}: {} deals, AOV {aov}", row.group[0], row.period.as_deref().unwrap_or(""), row.deals);
    }
    println!();
    render(&report, None, Format::Markdown, &RenderOptions::default(), &mut std::io::stdout())?;
    Ok(())
}
