//! Snapshot tests of every renderer from one shared report, built from
//! hand-made partials: two currencies, two customers, a missing month, a
//! credit note and a half-cent AOV.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::aggregate::{Partials, Period, Report, build};
use crate::model::{Dimension, RowAccounting};
use crate::render::lang::Lang;
use crate::render::{Format, RenderOptions, render};

fn shared_report() -> Report {
    build(&shared_partials(), &[Dimension::Customer]).unwrap()
}

fn shared_partials() -> Partials {
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
    p
}

fn text(format: Format, accounting: Option<RowAccounting>) -> String {
    text_in(format, accounting, Lang::En)
}

fn text_in(format: Format, accounting: Option<RowAccounting>, lang: Lang) -> String {
    let mut out = Vec::new();
    let notes = vec!["a note".to_string()];
    render(
        &shared_report(),
        None,
        format,
        &RenderOptions { accounting, lang, notes, ..RenderOptions::default() },
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn table() {
    let accounting = RowAccounting { read: 9, used: 7, filtered: 1, rejected: 1 };
    insta::assert_snapshot!(text(Format::Table, Some(accounting)));
}

#[test]
fn a_table_of_rows_made_twice_is_the_table_of_the_whole_report() {
    // The rows made one at a time (measured, then written) against the
    // table of the report held whole (the snapshot above), also on a
    // terminal so narrow that the table is fitted.
    let p = shared_partials();
    for width in [None, Some(200), Some(60)] {
        let options = RenderOptions { width, notes: vec!["a note".into()], ..RenderOptions::default() };
        let mut whole = Vec::new();
        render(&shared_report(), None, Format::Table, &options, &mut whole).unwrap();
        let (report, rows) = crate::aggregate::build_lazy(&p, &[Dimension::Customer], None).unwrap();
        assert!(report.rows.is_empty());
        let mut lazy = Vec::new();
        crate::render::render_table_lazy(&report, rows, &options, || Ok(shared_report()), &mut lazy).unwrap();
        assert_eq!(String::from_utf8(lazy).unwrap(), String::from_utf8(whole).unwrap(), "width {width:?}");
    }
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
    render(&shared_report(), None, Format::Table, &RenderOptions { color: true, ..RenderOptions::default() }, &mut out)
        .unwrap();
    assert!(String::from_utf8(out).unwrap().contains("\u{1b}["));
    assert!(!text(Format::Table, None).contains('\u{1b}'));
}

#[test]
fn table_with_stats_and_target() {
    let mut p = Partials::with_amounts(Period::Quarter, 0);
    for (d, a) in [
        ("2013-01-10", "100"),
        ("2013-02-10", "300"),
        ("2013-03-10", "200"),
        ("2013-04-10", "1000"),
        ("2013-05-10", "50"),
    ] {
        p.add(&[], "", NaiveDate::from_str(d).unwrap(), Decimal::from_str(a).unwrap()).unwrap();
    }
    // Q1: 600/3 = 200, median 200, p25 150, p75 250, p90 280, top 300/600 = 50 %; gap vs 250: -50.
    // Q2: 1050/2 = 525, median 525, p25 287.50, p75 762.50, p90 905, top 95.2 %; gap +275.
    let report = crate::aggregate::build_with(&p, &[], Some(Decimal::from(250))).unwrap();
    let mut out = Vec::new();
    render(&report, None, Format::Table, &RenderOptions::default(), &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
    let mut out = Vec::new();
    render(&report, None, Format::Csv, &RenderOptions::default(), &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "period,deals,total,aov,median,p25,p75,p90,min,max,top_deal_pct,aov_change,aov_change_pct,target_gap\n\
         2013-Q1,3,600.00,200.00,200.00,150.00,250.00,280.00,100.00,300.00,50.0,,,-50.00\n\
         2013-Q2,2,1050.00,525.00,525.00,287.50,762.50,905.00,50.00,1000.00,95.2,325.00,162.5,275.00\n"
    );
}

#[test]
fn a_reused_row_buffer_holds_exactly_each_row() {
    use crate::render::{Value, report_row_into};
    let report = shared_report();
    let mut cells = vec![Value::Text("left over from a longer row".into()); 12];
    for r in &report.rows {
        report_row_into(&report, r, &mut cells);
        let mut want: Vec<Value> = r.group.iter().map(|g| Value::Text(g.clone())).collect();
        want.push(Value::Text(r.currency.clone()));
        want.push(Value::Text(r.period.clone().unwrap()));
        assert_eq!(cells[..want.len()], want[..]);
        assert_eq!(cells[want.len()], Value::Count(r.deals));
        assert_eq!(cells.len(), want.len() + 5, "deals, total, aov, aov_change, aov_change_pct");
    }
}

#[test]
fn table_in_swedish() {
    let accounting = RowAccounting { read: 9000, used: 7, filtered: 1, rejected: 8992 };
    let t = text_in(Format::Table, Some(accounting), Lang::Sv);
    // Worked out by hand: 24 000.01 with a no-break space and a decimal
    // comma; the change is taken between exact AOVs,
    // 28 499.50 / 2 - 24 000.01 / 2 = 2 249.745 -> 2 249.75.
    assert!(t.contains("24\u{a0}000,01"), "{t}");
    assert!(t.contains("+2\u{a0}249,75 ▲"), "{t}");
    assert!(t.contains("+18,7\u{a0}%"), "{t}");
    assert!(t.contains("Summa"), "{t}");
    assert!(t.contains("Rader: 9\u{a0}000 lästa, 7 använda, 1 bortfiltrerade, 8\u{a0}992 avvisade."), "{t}");
    insta::assert_snapshot!(t.replace('\u{a0}', "⍽"));
}

#[test]
fn markdown_in_swedish() {
    let t = text_in(Format::Markdown, None, Lang::Sv);
    assert!(
        t.starts_with("| Kund | Valuta | Period | Affärer | Summa | Snittordervärde | Förändring | Förändring % |\n"),
        "{t}"
    );
    assert!(t.contains("| **Summa** | **SEK** |  | **5** | **53\u{a0}499,50** | **10\u{a0}699,90** |  |  |"), "{t}");
    insta::assert_snapshot!(t.replace('\u{a0}', "⍽"));
}

#[test]
fn a_negative_change_in_swedish_has_a_true_minus() {
    let mut p = Partials::new(Period::Month, 0);
    for (d, a) in [("2024-01-10", "550"), ("2024-02-10", "275")] {
        p.add(&[], "SEK", NaiveDate::from_str(d).unwrap(), Decimal::from_str(a).unwrap()).unwrap();
    }
    let report = build(&p, &[]).unwrap();
    let mut out = Vec::new();
    render(&report, None, Format::Table, &RenderOptions { lang: Lang::Sv, ..RenderOptions::default() }, &mut out)
        .unwrap();
    let t = String::from_utf8(out).unwrap();
    // 275 - 550 = -275; -275 / 550 = -50 %.
    assert!(t.contains("\u{2212}275,00 ▼"), "{t}");
    assert!(t.contains("\u{2212}50,0\u{a0}%"), "{t}");
    // From zero: 550 is the top bar, 275 half of it (3.5 -> 4).
    assert!(t.contains("Trend för snittordervärdet (staplar från 0): █▅"), "{t}");
}

#[test]
fn machine_formats_do_not_change_with_the_language() {
    for format in [Format::Csv, Format::Tsv, Format::Json, Format::Jsonl] {
        assert_eq!(text_in(format, None, Lang::Sv), text_in(format, None, Lang::En), "{format:?}");
    }
    let csv = text_in(Format::Csv, None, Lang::Sv);
    assert!(csv.starts_with("customer,currency,period,deals,total,aov,aov_change,aov_change_pct\n"), "{csv}");
    assert!(csv.contains(",24000.01,12000.01,"), "{csv}");
}

#[test]
fn swedish_page_headers_break_at_word_parts_only() {
    let page = text_in(Format::Html, None, Lang::Sv);
    // Snitt|order|värde: soft hyphens (U+00AD) between the parts, so a
    // phone breaks the header as "Snitt-", "order-", "värde".
    assert!(page.contains(">Snitt\u{ad}order\u{ad}värde</th>"), "{page}");
    let english = text_in(Format::Html, None, Lang::En);
    assert!(!english.contains('\u{ad}'));
    // The table for a terminal keeps the word whole.
    assert!(!text_in(Format::Table, None, Lang::Sv).contains('\u{ad}'));
}
