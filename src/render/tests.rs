//! Snapshot tests of every renderer from one shared report, built from
//! hand-made partials: two currencies, two customers, a missing month, a
//! credit note and a half-cent AOV.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::aggregate::{Partials, Period, Report, build};
use crate::model::{Dimension, RowAccounting};
use crate::render::{Format, RenderOptions, render};

fn shared_report() -> Report {
    let mut p = Partials::new(Period::Month, 1);
    let rows = [
        ("Åkerlund & Söner AB", "SEK", "2013-01-10", "12000.00"),
        ("Åkerlund & Söner AB", "SEK", "2013-01-20", "12000.01"), // AOV 12000.005 -> 12000.01
        ("Åkerlund & Söner AB", "SEK", "2013-02-05", "-1500.50"), // credit note
        ("Åkerlund & Söner AB", "SEK", "2013-02-06", "30000"),
        ("Bolt | Co", "SEK", "2013-03-01", "999.99"),
        ("Bolt | Co", "EUR", "2013-01-15", "100"),
        ("Bolt | Co", "EUR", "2013-02-15", "250"),
    ];
    for (c, cur, d, a) in rows {
        p.add(&[c], cur, NaiveDate::from_str(d).unwrap(), Decimal::from_str(a).unwrap()).unwrap();
    }
    build(&p, &[Dimension::Customer]).unwrap()
}

fn text(format: Format, accounting: Option<RowAccounting>) -> String {
    let mut out = Vec::new();
    render(&shared_report(), format, &RenderOptions { color: false, accounting, excel_sv: false }, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn table() {
    let accounting = RowAccounting { read: 9, used: 7, filtered: 1, rejected: 1 };
    insta::assert_snapshot!(text(Format::Table, Some(accounting)));
}

#[test]
fn csv() {
    insta::assert_snapshot!(text(Format::Csv, None));
}

#[test]
fn tsv() {
    insta::assert_snapshot!(text(Format::Tsv, None));
}

#[test]
fn json() {
    insta::assert_snapshot!(text(Format::Json, None));
}

#[test]
fn jsonl() {
    insta::assert_snapshot!(text(Format::Jsonl, None));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(text(Format::Markdown, None));
}

#[test]
fn colour_only_when_asked() {
    let mut out = Vec::new();
    render(
        &shared_report(),
        Format::Table,
        &RenderOptions { color: true, accounting: None, excel_sv: false },
        &mut out,
    )
    .unwrap();
    assert!(String::from_utf8(out).unwrap().contains("\u{1b}["));
    assert!(!text(Format::Table, None).contains('\u{1b}'));
}
