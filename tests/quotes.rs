//! End-to-end tests of `aov quotes`. fixtures/quotes.csv has twelve rows:
//! every status class (won, lost, open, void, and a word the vocabulary
//! does not know), a lost quote without a value, two open quotes without
//! a date, names spelled two ways. Every figure below was worked out by
//! hand.

mod common;
use common::{aov, fixture};

fn quotes() -> String {
    fixture("quotes.csv")
}

const HEADER: &str =
    "period,quotes,won,lost,open,hit_rate_pct,won_value,lost_value,value_hit_rate_pct,won_aov,lost_aov,open_value";

#[test]
fn hit_rate_and_values_per_month() {
    let run = aov(&["quotes", &quotes(), "--format", "csv"]);
    // January: won 1000 + 500, lost 3000 + 500, open 800: 2 of 4 = 50 %,
    // 1500 / 5000 = 30 % of the value; won AOV 750, lost AOV 1750.
    // February: won 2000.01 + 1999.99, lost one without a value, the void
    // 900 and the unknown "Weird" left out: 2 of 3 = 66.67 %; 4000 / 4000.
    assert_eq!(
        run.ok(),
        format!(
            "{HEADER}\n2013-01,4,2,2,1,50.0,1500.00,3500.00,30.0,750.00,1750.00,800.00\n2013-02,3,2,1,0,66.7,4000.00,0.00,100.0,2000.00,,0.00\n"
        )
    );
    assert_eq!(
        run.stderr,
        "aov: counted 10 quotes (won 4, lost 3, open 3); left out 1 void quote (\"Cancelled\" 1)\n\
         aov: note: 2 open quotes without a date: counted in the totals only, in no period (with --period all, in its one row)\n\
         aov: note: 1 lost quote and 1 open quote without a value: counted, not in lost_value, open_value or lost_aov\n\
         aov: warning: left out 1 row whose status is not known as won, lost, open or void: \"Weird\" 1; name them in [status] in aov.toml\n"
    );
}

#[test]
fn totals_count_the_undated_open_quotes() {
    let run = aov(&["quotes", &quotes(), "--color", "never"]);
    let out = run.ok();
    // Won 4 (5500), lost 3 (3500 over the 2 with a value), open 3 (2000
    // over 2 with a value, one of them undated): 4 of 7 = 57.14 %,
    // 5500 / 9000 = 61.11 %.
    let total = out.lines().find(|l| l.trim_start().starts_with("Total")).expect("a totals line");
    let cells: Vec<&str> = total.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(
        cells,
        vec!["Total", "7", "4", "3", "3", "57.1", "5,500.00", "3,500.00", "61.1", "1,375.00", "1,750.00", "2,000.00"]
    );
    assert!(out.contains("2 open quotes without a date are counted in the totals only."), "{run:?}");
    assert!(out.contains("Rows: 12 read, 10 used, 2 filtered out, 0 rejected."), "{run:?}");
}

#[test]
fn by_customer_folds_spellings_and_orders_by_won_value() {
    let run = aov(&["quotes", &quotes(), "--by", "customer", "--period", "all", "-f", "csv"]);
    assert_eq!(
        run.ok(),
        "customer,quotes,won,lost,open,hit_rate_pct,won_value,lost_value,value_hit_rate_pct,won_aov,lost_aov,open_value\n\
         Acme AB,4,3,1,0,75.0,5000.00,3000.00,62.5,1666.67,3000.00,0.00\n\
         Bolt HB,2,1,1,0,50.0,500.00,500.00,50.0,500.00,500.00,0.00\n\
         Cirkel AB,1,0,1,1,0.0,0.00,0.00,,,,800.00\n\
         Dito AB,0,0,0,2,,0.00,0.00,,,,1200.00\n"
    );
}

#[test]
fn a_status_column_is_required() {
    let run = aov(&["quotes", &fixture("edge/small.csv")]);
    let err = run.fails(65);
    assert!(
        err.contains("no status column found; the headers are: \"date\", \"customer\", \"seller\", \"amount\""),
        "{run:?}"
    );
}

#[test]
fn fail_below_takes_a_hit_rate() {
    // The last month's hit rate is 66.7 %.
    let run = aov(&["quotes", &quotes(), "--fail-below", "70%", "-f", "csv"]);
    assert_eq!(run.status, 3, "{run:?}");
    assert!(
        run.stderr.contains(
            "aov: the hit rate of the last period is below 70.0 %:\naov:   all quotes, 2013-02: hit rate 66.7 %\n"
        ),
        "{run:?}"
    );
    let run = aov(&["quotes", &quotes(), "--fail-below", "66.6", "-f", "csv"]);
    assert_eq!(run.status, 0, "{run:?}");
    // Per seller: in February Eva won one quote and lost one (without a
    // value), 50 %; Olle won his only decided one, 100 %.
    let run = aov(&["quotes", &quotes(), "--by", "seller", "--fail-below", "60", "-f", "csv"]);
    assert_eq!(run.status, 3, "{run:?}");
    assert!(run.stderr.ends_with("below 60.0 %:\naov:   Eva, 2013-02: hit rate 50.0 %\n"), "{run:?}");
    let run = aov(&["quotes", &quotes(), "--fail-below", "150%"]);
    assert!(run.fails(2).contains("between 0 % and 100 %"), "{run:?}");
}

#[test]
fn target_gap_in_percentage_points() {
    let run = aov(&["quotes", &quotes(), "--target", "60", "-f", "csv"]);
    let out = run.ok();
    assert!(out.lines().next().unwrap().ends_with(",open_value,target_gap"), "{run:?}");
    // 50 - 60 = -10; 66.67 - 60 = 6.67 -> 6.7.
    assert!(out.contains(",800.00,-10.0\n") && out.contains(",0.00,6.7\n"), "{run:?}");
}

#[test]
fn status_flag_is_refused() {
    let run = aov(&["quotes", &quotes(), "--status", "won"]);
    assert!(run.fails(2).contains("counts every status class"), "{run:?}");
}

#[test]
fn a_won_quote_without_a_value_is_a_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.csv");
    std::fs::write(&path, "date,status,amount\n2013-01-01,won,\n2013-01-02,lost,\n2013-01-03,won,10\n").unwrap();
    let p = path.display().to_string();
    let run = aov(&["quotes", &p]);
    assert!(run.fails(65).contains("q.csv:2: column \"amount\": the amount is empty"), "{run:?}");
    let run = aov(&["quotes", &p, "--skip-bad-rows", "-f", "csv"]);
    assert_eq!(run.ok(), format!("{HEADER}\n2013-01,2,1,1,0,50.0,10.00,0.00,100.0,10.00,,0.00\n"));
    assert!(run.stderr.contains("skipped 1 bad row"), "{run:?}");
}

#[test]
fn quotes_in_every_format() {
    for format in ["table", "json", "markdown", "tsv"] {
        let run = aov(&["quotes", &quotes(), "--by", "seller", "--color", "never", "--format", format]);
        insta::assert_snapshot!(format!("quotes_{format}"), run.ok());
    }
}

#[test]
fn quotes_convert_into_one_currency() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.csv");
    // 10.05 EUR won on Saturday at Thursday's 8.5 = 85.425; 100 SEK lost;
    // an open EUR quote without a date has no rate: its value is left out.
    std::fs::write(
        &path,
        "date,status,amount,currency\n2013-03-30,won,10.05,EUR\n2013-03-29,lost,100,SEK\n,open,50,EUR\n",
    )
    .unwrap();
    let p = path.display().to_string();
    let run = aov(&["quotes", &p, "--currency", "SEK", "--rates", &fixture("rates/plain.csv"), "-f", "csv"]);
    // 85.425 / 185.425 = 46.069... %.
    assert_eq!(run.ok(), format!("{HEADER}\n2013-03,2,1,1,0,50.0,85.43,100.00,46.1,85.43,100.00,0.00\n"));
    assert!(run.stderr.contains("aov: converted 1 quote into SEK: 1 from EUR (rate of 2013-03-28)\n"), "{run:?}");
    assert!(run.stderr.contains("1 open quote in another currency without a date"), "{run:?}");
}

#[test]
fn quotes_say_how_a_known_layout_was_read() {
    // Recognition's notes reach stderr in quotes too (its own sink).
    let run = aov(&["quotes", &fixture("layouts/salesforce_opportunity.csv"), "--format", "csv"]);
    run.ok();
    assert!(run.stderr.starts_with("aov: read as a Salesforce opportunities export: "), "{run:?}");
}
