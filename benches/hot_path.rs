//! Speed of the hot path: parsing amounts and dates from bytes and from
//! text, adding deals to partials, and building a report from them.
//!
//!     cargo bench --bench hot_path
//!
//! The whole-program comparison with DuckDB and Polars is bench/compare.sh.

use std::hint::black_box;
use std::str::FromStr;

use aov::aggregate::{Partials, Period, build};
use aov::load::amount::{DecimalStyle, parse_amount};
use aov::load::date::parse_date;
use aov::load::fast::{fast_amount, fast_date};
use aov::model::Dimension;
use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;

fn parsers(c: &mut Criterion) {
    let plain = ["1024", "2966.23", "-30.50", "454", "118603.00", "0.05", "25000", "7"];
    let swedish =
        ["25 000,50 kr", "1 234,50", "(1 234,50)", "764,17kr", "SEK 1 234", "1 029kr", "-1 234,50", "5 000,00"];
    let mut g = c.benchmark_group("amount");
    g.throughput(Throughput::Elements(plain.len() as u64));
    g.bench_function("fast path, plain decimals", |b| {
        b.iter(|| plain.iter().map(|s| fast_amount(black_box(s.as_bytes()), b'.').unwrap()).sum::<i128>())
    });
    g.bench_function("general parser, plain decimals", |b| {
        b.iter(|| {
            plain.iter().for_each(|s| {
                black_box(parse_amount(black_box(s), DecimalStyle::Point).unwrap());
            })
        })
    });
    g.bench_function("general parser, Swedish forms", |b| {
        b.iter(|| {
            swedish.iter().for_each(|s| {
                black_box(parse_amount(black_box(s), DecimalStyle::Comma).unwrap());
            })
        })
    });
    g.finish();

    let iso = ["2013-03-15", "2012-12-31", "2014-02-28", "2016-01-03"];
    let dmy = ["15.03.2013", "31/12/2012", "28.02.2014", "03/01/2016"];
    let mut g = c.benchmark_group("date");
    g.throughput(Throughput::Elements(iso.len() as u64));
    g.bench_function("fast path, ISO", |b| {
        b.iter(|| iso.iter().map(|s| fast_date(black_box(s.as_bytes())).unwrap().2).sum::<u32>())
    });
    g.bench_function("general parser, ISO", |b| {
        b.iter(|| {
            iso.iter().for_each(|s| {
                black_box(parse_date(black_box(s), None).unwrap());
            })
        })
    });
    g.bench_function("general parser, day first", |b| {
        b.iter(|| {
            dmy.iter().for_each(|s| {
                black_box(parse_date(black_box(s), Some(aov::load::DateOrder::DayFirst)).unwrap());
            })
        })
    });
    g.finish();
}

/// 100 000 deals over 2 000 customers and three years.
fn deals() -> Vec<(String, NaiveDate, Decimal)> {
    let start = NaiveDate::from_str("2012-01-01").unwrap();
    (0..100_000u64)
        .map(|i| {
            let x = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let customer = format!("Customer {}", x % 2000);
            let day = start + chrono::Days::new((x >> 20) % 1096);
            let amount = Decimal::new(((x >> 32) % 5_000_000) as i64 - 50_000, 2);
            (customer, day, amount)
        })
        .collect()
}

fn aggregation(c: &mut Criterion) {
    let deals = deals();
    let mut g = c.benchmark_group("aggregate");
    g.throughput(Throughput::Elements(deals.len() as u64));
    g.bench_function("add 100k deals by customer and month", |b| {
        b.iter(|| {
            let mut p = Partials::new(Period::Month, 1);
            for (c, d, a) in &deals {
                p.add(&[c.as_str()], "", *d, *a).unwrap();
            }
            p.len()
        })
    });
    let mut p = Partials::new(Period::Month, 1);
    for (c, d, a) in &deals {
        p.add(&[c.as_str()], "", *d, *a).unwrap();
    }
    g.bench_function("build the report (72k rows)", |b| {
        b.iter(|| build(black_box(&p), &[Dimension::Customer]).unwrap().rows.len())
    });
    g.finish();
}

criterion_group!(benches, parsers, aggregation);
criterion_main!(benches);
