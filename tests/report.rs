//! End-to-end tests of `aov report` over the files in fixtures/. Expected
//! figures were worked out by hand or with Python's exact `fractions` and
//! `decimal` modules, never copied from aov's own output.

mod common;
use common::{aov, fixture};

#[test]
fn month_report_lists_every_month_with_exact_rounding() {
    let out = aov(&["report", &fixture("edge/small.csv"), "--format", "csv", "--include-credits"]);
    // Mar: -30 + 1000.50 + 0.005 = 970.505 -> 970.51; AOV 323.50166.. -> 323.50.
    // Apr: 323 - 323.50166.. = -0.50166.. -> -0.50; / 323.50166.. = -0.155.. % -> -0.2.
    assert_eq!(
        out.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n\
         2013-01,3,350.01,116.67,,\n\
         2013-02,0,0.00,,,\n\
         2013-03,3,970.51,323.50,,\n\
         2013-04,1,323.00,323.00,-0.50,-0.2\n"
    );
}

#[test]
fn by_customer_for_the_whole_selection_biggest_first() {
    let out = aov(&["report", &fixture("edge/small.csv"), "--by", "customer", "--period", "all", "--format", "csv"]);
    // Bolt: 50 + 1000.50 + 0.005 = 1050.505; Acme: 100 + 200.01 - 30 + 323 = 593.01.
    assert_eq!(
        out.ok(),
        "customer,deals,total,aov,aov_change,aov_change_pct\nBolt HB,3,1050.51,350.17,,\nAcme AB,3,623.01,207.67,,\n"
    );
}

#[test]
fn by_customer_and_seller_keeps_the_order_given() {
    let out =
        aov(&["report", &fixture("edge/small.csv"), "--by", "seller,customer", "--period", "all", "--format", "tsv"]);
    assert_eq!(
        out.ok(),
        "seller\tcustomer\tdeals\ttotal\taov\taov_change\taov_change_pct\n\
         Anna\tBolt HB\t2\t1000.51\t500.25\t\t\n\
         Anna\tAcme AB\t3\t623.01\t207.67\t\t\n\
         Björn\tBolt HB\t1\t50.00\t50.00\t\t\n"
    );
}

#[test]
fn midpoints_round_half_away_from_zero_in_both_directions() {
    let out = aov(&[
        "report",
        &fixture("edge/midpoints.csv"),
        "--by",
        "customer",
        "--period",
        "all",
        "--format",
        "csv",
        "--include-credits",
    ]);
    // Plus: 20.01 / 2 = 10.005 -> 10.01; Minus: -10.005 -> -10.01; Third: 0.04 / 3 -> 0.01.
    assert_eq!(
        out.ok(),
        "customer,deals,total,aov,aov_change,aov_change_pct\nPlus,2,20.01,10.01,,\nThird,3,0.04,0.01,,\nMinus,2,-20.01,-10.01,,\n"
    );
}

#[test]
fn iso_weeks_across_year_ends_and_a_53_week_year() {
    let out = aov(&["report", &fixture("edge/weeks.csv"), "--period", "week", "--format", "csv", "--to", "2013-12-31"]);
    // 2012-12-30 is Sunday of 2012-W52; 2012-12-31 and 2013-01-06 are in 2013-W01.
    assert_eq!(
        out.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2012-W52,1,10.00,10.00,,\n2013-W01,2,60.00,30.00,20.00,200.0\n"
    );
    let out =
        aov(&["report", &fixture("edge/weeks.csv"), "--period", "week", "--format", "csv", "--from", "2015-01-01"]);
    // 2015-12-28 and 2016-01-03 are both in 2015-W53.
    assert_eq!(
        out.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2015-W53,2,12.00,6.00,,\n2016-W01,1,9.00,9.00,3.00,50.0\n"
    );
}

#[test]
fn every_period_labels_its_buckets() {
    let labels = |period: &str| -> Vec<String> {
        let out = aov(&["report", &fixture("edge/small.csv"), "--period", period, "--format", "csv"]);
        out.ok().lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect()
    };
    assert_eq!(labels("quarter"), ["2013-Q1", "2013-Q2"]);
    assert_eq!(labels("half"), ["2013-H1"]);
    assert_eq!(labels("year"), ["2013"]);
    assert_eq!(labels("day").first().map(String::as_str), Some("2013-01-05"));
    assert_eq!(labels("day").len(), 96); // 2013-01-05 .. 2013-04-10, no holes
}

#[test]
fn currencies_get_their_own_rows_and_column() {
    let out = aov(&["report", &fixture("edge/currencies.csv"), "--format", "csv"]);
    assert_eq!(
        out.ok(),
        "currency,period,deals,total,aov,aov_change,aov_change_pct\n\
         EUR,2013-01,1,100.00,100.00,,\n\
         EUR,2013-02,1,300.00,300.00,200.00,200.0\n\
         SEK,2013-01,1,1000.00,1000.00,,\n\
         SEK,2013-02,1,500.00,500.00,-500.00,-50.0\n"
    );
}

#[test]
fn json_keeps_exact_digits_and_nulls() {
    let out = aov(&["report", &fixture("edge/small.csv"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1]["period"], "2013-02");
    assert_eq!(rows[1]["aov"], serde_json::Value::Null);
    // Credit notes left out: March is 1000.50 + 0.005 over 2 deals (500.2525);
    // April's 323 is 177.2525 (35.43 %) below it.
    assert_eq!(rows[2]["total"].to_string(), "1000.51");
    assert_eq!(rows[3]["aov_change"].to_string(), "-177.25");
    assert_eq!(rows[3]["aov_change_pct"].to_string(), "-35.4");
    assert_eq!(rows[0]["deals"].to_string(), "3");
    assert!(out.stdout.contains("\"total\": 350.01,"), "numbers are not strings: {out:?}");
}

#[test]
fn jsonl_is_one_object_a_line() {
    let out = aov(&["report", &fixture("edge/small.csv"), "--period", "all", "--by", "customer", "--format", "jsonl"]);
    assert_eq!(
        out.ok(),
        "{\"customer\":\"Bolt HB\",\"deals\":3,\"total\":1050.51,\"aov\":350.17,\"aov_change\":null,\"aov_change_pct\":null}\n\
         {\"customer\":\"Acme AB\",\"deals\":3,\"total\":623.01,\"aov\":207.67,\"aov_change\":null,\"aov_change_pct\":null}\n"
    );
}

#[test]
fn markdown_table() {
    let out = aov(&["report", &fixture("edge/small.csv"), "--period", "quarter", "--format", "markdown"]);
    assert_eq!(
        out.ok(),
        "| period | deals | total | aov | aov_change | aov_change_pct |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |\n\
         | 2013-Q1 | 5 | 1,350.52 | 270.10 |  |  |\n\
         | 2013-Q2 | 1 | 323.00 | 323.00 | +52.90 | +19.6 |\n\
         | **Total** | **6** | **1,673.52** | **278.92** |  |  |\n"
    );
}

#[test]
fn table_has_grouping_markers_totals_and_accounting() {
    let out = aov(&["report", &fixture("deals.csv"), "--period", "year"]);
    let text = out.ok();
    // Yearly figures from Python's fractions over the same file, its 23
    // credit notes (amounts below zero) left out.
    assert!(text.contains(" 2012     1,027    4,808,697.05   4,682.28\n"), "{text}");
    assert!(text.contains(" 2013       948    4,920,346.91   5,190.24    +507.96 ▲          +10.8 %"), "{text}");
    assert!(text.contains(" 2014     1,002    4,579,103.67   4,569.96    -620.28 ▼          -12.0 %"), "{text}");
    assert!(text.contains("Rows: 3,000 read, 2,977 used, 23 filtered out, 0 rejected."), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when stdout is not a terminal");
    let forced = aov(&["report", &fixture("deals.csv"), "--period", "year", "--color", "always"]);
    assert!(forced.ok().contains('\u{1b}'), "--color always colours");
}

#[test]
fn from_and_to_filter_and_are_accounted_for() {
    let out = aov(&[
        "report",
        &fixture("edge/small.csv"),
        "--from",
        "2013-03-01",
        "--to",
        "2013-03-31",
        "--format",
        "csv",
        "--verbose",
    ]);
    assert_eq!(out.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2013-03,2,1000.51,500.25,,\n");
    assert_eq!(
        out.stderr,
        "aov: counted 2 deals; left out 1 credit note totalling -30.00 (--include-credits counts them); left out 4 by --from/--to\n\
         aov: rows: 7 read, 2 used, 5 filtered out, 0 rejected\n"
    );
}

#[test]
fn several_files_are_one_data_set() {
    let one = aov(&["report", &fixture("edge/small.csv"), "--format", "csv"]);
    // A copy: the same file given twice is read once.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("small_copy.csv");
    std::fs::copy(fixture("edge/small.csv"), &copy).unwrap();
    let two =
        aov(&["report", &fixture("edge/small.csv"), copy.to_str().unwrap(), "--format", "csv", "--period", "all"]);
    assert!(one.ok().contains("2013-04,1,323.00"));
    // Doubling every deal doubles deals and totals; the AOV stays.
    assert_eq!(two.ok(), "deals,total,aov,aov_change,aov_change_pct\n12,3347.03,278.92,,\n");
}

#[test]
fn a_bad_amount_stops_the_report_with_status_65() {
    let out = aov(&["report", &fixture("edge/bad_amount.csv")]);
    let stderr = out.fails(65);
    let path = fixture("edge/bad_amount.csv");
    assert_eq!(
        stderr,
        format!(
            "aov: {path}:3: column \"amount\": cannot read \"abc\" as an amount\n\
             aov: {path}:5: column \"date\": \"2013-02-30\" is not a day of the calendar\n\
             aov: stopped after 2 bad rows; no report was made (--skip-bad-rows reports from the good rows)\n"
        )
    );
}

#[test]
fn a_missing_file_is_status_66() {
    let out = aov(&["report", "no/such/file.csv"]);
    assert!(out.fails(66).starts_with("aov: no/such/file.csv: No such file or directory"), "{out:?}");
}

#[test]
fn usage_errors_are_status_2_and_list_valid_values() {
    let out = aov(&["report", &fixture("edge/small.csv"), "--period", "fortnight"]);
    let stderr = out.fails(2);
    assert!(stderr.contains("[possible values: day, week, month, quarter, half, year, all]"), "{out:?}");
    let out = aov(&["report", &fixture("edge/small.csv"), "--from", "2013-05-01", "--to", "2013-01-01"]);
    assert_eq!(out.fails(2), "aov: --from 2013-05-01 is after --to 2013-01-01; the range would be empty\n");
}

#[test]
fn a_header_without_rows_is_an_empty_report_not_an_error() {
    let out = aov(&["report", &fixture("edge/header_only.csv"), "--format", "csv"]);
    assert_eq!(out.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n");
    assert_eq!(out.stderr, format!("aov: note: {} has no rows\n", fixture("edge/header_only.csv")));
}

#[test]
fn an_empty_file_is_bad_data() {
    let out = aov(&["report", &fixture("edge/empty.csv")]);
    assert_eq!(
        out.fails(65),
        format!("aov: {}: the file is empty: a header row naming the columns is expected\n", fixture("edge/empty.csv"))
    );
}

#[test]
fn a_missing_column_names_the_headers_and_the_flag() {
    let out = aov(&["report", &fixture("edge/no_amount.csv")]);
    assert_eq!(
        out.fails(65),
        format!(
            // "when" is the one column of dates, so only the amount is missing.
            "aov: {}: no amount column found; the headers are: \"when\", \"what\"; name the column with --amount-col\n",
            fixture("edge/no_amount.csv")
        )
    );
    let out = aov(&["report", &fixture("edge/weeks.csv"), "--by", "customer"]);
    assert!(out.fails(65).contains("no customer column found"), "{out:?}");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aov.csv");
    let out = aov(&["report", &fixture("edge/small.csv"), "--format", "csv", "-o", path.to_str().unwrap()]);
    assert_eq!(out.ok(), "");
    assert!(std::fs::read_to_string(&path).unwrap().ends_with("2013-04,1,323.00,323.00,-177.25,-35.4\n"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // Tens of thousands of lines: far more than the pipe holds.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("aov"))
        .args([
            "report",
            &fixture("deals.csv"),
            "--by",
            "customer,seller",
            "--period",
            "day",
            "--format",
            "csv",
            "--no-fast-path",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 64];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout); // like `aov ... | head -c 64`
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // 23 of fixtures/deals.csv's 3 000 amounts are below zero, -132 443.22 in all.
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "aov: counted 2977 deals; left out 23 credit notes totalling -132443.22 (--include-credits counts them)\n"
    );
    assert!(head.starts_with(b"customer,seller,period,deals"));
}

#[test]
fn output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = aov(&[
        "report",
        &fixture("edge/small.csv"),
        "--format",
        "csv",
        "--period",
        "all",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(out.ok(), "");
    assert_eq!(reader.join().unwrap(), "deals,total,aov,aov_change,aov_change_pct\n6,1673.52,278.92,,\n");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe was replaced by a file");
}

#[test]
fn an_order_shared_by_sellers_is_one_deal_per_seller_in_a_seller_view() {
    // O1: Eva 100 and Olle 300; O2: two lines of Eva (spelled eva once), 100.
    let f = fixture("edge/shared_orders.csv");
    let run = aov(&["report", &f, "--order-col", "order", "--by", "seller", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "seller,deals,total,aov,aov_change,aov_change_pct\nOlle,1,300.00,300.00,,\nEva,2,200.00,100.00,,\n"
    );
    assert_eq!(
        run.stderr,
        "aov: warning: 1 order has lines of several sellers; each seller's lines count as one deal of that seller\n"
    );
    // Without sellers an order is one deal: 400 and 100.
    let run = aov(&["report", &f, "--order-col", "order", "--period", "all", "--format", "csv"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n2,500.00,250.00,,\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn each_currency_runs_over_its_own_periods_and_totals_name_it() {
    // EUR has deals in January and May, SEK in January and March.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.csv");
    std::fs::write(
        &path,
        "date,amount,currency\n2013-01-10,100,EUR\n2013-01-11,1000,SEK\n2013-03-11,500,SEK\n2013-05-11,50,EUR\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let run = aov(&["report", p, "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "currency,period,deals,total,aov,aov_change,aov_change_pct\n\
         EUR,2013-01,1,100.00,100.00,,\nEUR,2013-02,0,0.00,,,\nEUR,2013-03,0,0.00,,,\nEUR,2013-04,0,0.00,,,\nEUR,2013-05,1,50.00,50.00,,\n\
         SEK,2013-01,1,1000.00,1000.00,,\nSEK,2013-02,0,0.00,,,\nSEK,2013-03,1,500.00,500.00,,\n"
    );
    let table = aov(&["report", p]).ok().to_string();
    assert!(table.contains(" Total EUR                2      150.00      75.00\n"), "{table}");
    assert!(table.contains(" Total SEK                2    1,500.00     750.00\n"), "{table}");
}
