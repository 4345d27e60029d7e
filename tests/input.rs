//! End-to-end tests of reading the exports people have: every shape in
//! fixtures/shapes (written by fixtures/make_shapes.py from clean.csv) must
//! give exactly the report of clean.csv; bad rows are reported or skipped
//! and always accounted for.

mod common;
use common::{aov, aov_in, fixture, root};

fn report(file: &str, extra: &[&str]) -> String {
    let path = fixture(&format!("shapes/{file}"));
    let mut args = vec!["report", path.as_str(), "--by", "customer", "--period", "month", "--format", "csv"];
    args.extend_from_slice(extra);
    let run = aov(&args);
    // clean.csv has 3 amounts below zero, -2573.95 in all (by Python's
    // decimal); shapes whose amounts write a currency (kr, €) name it.
    let (head, tail) =
        ("aov: counted 397 deals; left out 3 credit notes totalling -2573.95", " (--include-credits counts them)\n");
    let between = run.stderr.strip_prefix(head).and_then(|r| r.strip_suffix(tail));
    assert!(matches!(between, Some("" | " SEK" | " EUR")), "{run:?}");
    run.ok().to_string()
}

#[test]
fn every_shape_gives_the_clean_report() {
    let clean = report("clean.csv", &[]);
    assert!(clean.lines().count() > 100);
    for (file, extra) in [
        ("sv_excel.csv", &[][..]),
        ("sv_excel_cp1252.csv", &[]),
        ("sv_excel_bom.csv", &[]),
        ("swiss.csv", &[]),
        ("us_crm.csv", &[]),
        ("de.tsv", &[]),
        ("clean.csv.gz", &[]),
        ("deals.json", &[]),
        ("deals.jsonl", &[]),
        ("deals.xlsx", &["--sheet", "affärer"]),
        ("deals_decimal.parquet", &[]),
        ("deals_double.parquet", &[]),
        ("order_lines.csv", &[]),
        ("sv_excel.csv", &["--delimiter", ";", "--decimal-comma", "--encoding", "utf-8"]),
        ("sv_excel_cp1252.csv", &["--encoding", "windows-1252"]),
    ] {
        assert_eq!(report(file, extra), clean, "{file} {extra:?}");
    }
}

#[test]
fn shapes_mixed_across_files_are_one_data_set() {
    let clean = aov(&["report", &fixture("shapes/clean.csv"), "--period", "year", "--format", "csv"]);
    let mixed = aov(&[
        "report",
        &fixture("shapes/sv_excel_cp1252.csv"),
        &fixture("shapes/us_crm.csv"),
        "--period",
        "year",
        "--format",
        "csv",
    ]);
    // The Swedish export writes "kr" and "SEK" in its amounts: its deals
    // are in SEK. The CRM export names no currency: its deals are apart,
    // in no currency, and each half is the clean data set.
    let rows: Vec<&str> = clean.ok().lines().skip(1).collect();
    let mut want = String::from("currency,period,deals,total,aov,aov_change,aov_change_pct\n");
    for prefix in ["", "SEK"] {
        for r in &rows {
            want.push_str(&format!("{prefix},{r}\n"));
        }
    }
    assert_eq!(mixed.ok(), want);
}

#[test]
fn windows_1252_names_come_out_right_in_every_format() {
    for format in ["csv", "json", "table", "markdown"] {
        let run = aov(&[
            "report",
            &fixture("shapes/sv_excel_cp1252.csv"),
            "--by",
            "seller",
            "--period",
            "all",
            "--format",
            format,
        ]);
        assert!(run.ok().contains("Åsa") || run.ok().contains("ö"), "{run:?}");
        assert!(!run.ok().contains('\u{fffd}'), "{run:?}");
    }
}

#[test]
fn standard_input_is_read_with_its_format_detected() {
    let bytes = std::fs::read(root().join("fixtures/shapes/sv_excel_cp1252.csv")).unwrap();
    let run = aov_in(&root(), &["report", "-", "--by", "customer", "--format", "csv"], Some(&bytes));
    assert_eq!(run.ok(), report("clean.csv", &[]));
}

#[test]
fn every_way_of_writing_a_negative_amount() {
    let run =
        aov(&["report", &fixture("edge/negatives.csv"), "--period", "all", "--format", "csv", "--include-credits"]);
    // 4 x -1234.50 + 5000 = 62.00 over 5 deals.
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n5,62.00,12.40,,\n");
    // By default the four credit notes are left out, and said so.
    let run = aov(&["report", &fixture("edge/negatives.csv"), "--period", "all", "--format", "csv"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n1,5000.00,5000.00,,\n");
    assert_eq!(
        run.stderr,
        // The amounts write "kr": the file's deals are in SEK.
        "aov: counted 1 deal; left out 4 credit notes totalling -4938.00 SEK (--include-credits counts them)\n"
    );
}

#[test]
fn a_column_decides_its_decimal_separator_from_all_its_values() {
    // 1.234 and 2.500 alone are ambiguous; "3,5" shows the column uses a decimal comma.
    let run = aov(&["report", &fixture("edge/decided_late.csv"), "--period", "all", "--format", "csv"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n3,3737.50,1245.83,,\n");
    let run = aov(&[
        "report",
        &fixture("edge/decided_late.csv"),
        "--period",
        "all",
        "--format",
        "csv",
        "--decimal-point",
        "--skip-bad-rows",
    ]);
    // Forced decimal point: 1.234 + 2.5, and "3,5" is not an amount.
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n2,3.73,1.87,,\n");
}

#[test]
fn a_column_mixing_decimal_styles_names_the_first_line_that_disagrees() {
    let run = aov(&["report", &fixture("edge/mixed_decimals.csv")]);
    let path = fixture("edge/mixed_decimals.csv");
    assert_eq!(
        run.fails(65),
        format!(
            "aov: {path}:3: column \"amount\": \"1.234,56\" uses a decimal comma, but the column uses a decimal point (as \"1,234.56\" on line 2 shows)\n\
             aov: stopped after 1 bad row; no report was made (--skip-bad-rows reports from the good rows)\n"
        )
    );
}

#[test]
fn ambiguous_dates_ask_for_a_date_format() {
    let run = aov(&["report", &fixture("edge/ambiguous_dates.csv")]);
    assert!(run.fails(65).contains("say which with --date-format dmy or --date-format mdy"), "{run:?}");
    let run = aov(&["report", &fixture("edge/ambiguous_dates.csv"), "--date-format", "dmy", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-04,1,10.00,10.00,,\n2013-05,0,0.00,,,\n2013-06,1,20.00,20.00,,\n"
    );
    let run = aov(&[
        "report",
        &fixture("edge/ambiguous_dates.csv"),
        "--date-format",
        "mdy",
        "--format",
        "csv",
        "--period",
        "year",
    ]);
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2013,2,30.00,15.00,,\n");
}

#[test]
fn skipped_rows_are_counted_by_reason_and_written_to_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.csv");
    let path = fixture("edge/bad_amount.csv");
    let run = aov(&["report", &path, "--format", "csv", "--rejects", rejects.to_str().unwrap(), "--verbose"]);
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2013-01,2,15.00,7.50,,\n");
    assert_eq!(
        run.stderr,
        "aov: counted 2 deals\n\
         aov: warning: skipped 2 bad rows:\n\
         aov:   1 x column \"amount\": cannot read \"…\" as an amount\n\
         aov:   1 x column \"date\": \"…\" is not a day of the calendar\n\
         aov: rows: 4 read, 2 used, 0 filtered out, 2 rejected\n"
    );
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        written,
        format!(
            "file,line,reason,fields\n\
             {path}:3,3,\"{path}:3: column \"\"amount\"\": cannot read \"\"abc\"\" as an amount\",2013-01-02,B,abc\n\
             {path}:5,5,\"{path}:5: column \"\"date\"\": \"\"2013-02-30\"\" is not a day of the calendar\",2013-02-30,D,1\n"
        )
        .replace(&format!("{path}:3,3"), &format!("{path},3"))
        .replace(&format!("{path}:5,5"), &format!("{path},5"))
    );
}

#[test]
fn unknown_headers_can_be_named_with_flags() {
    let run = aov(&[
        "report",
        &fixture("shapes/de.tsv"),
        "--amount-col",
        "Betrag",
        "--customer-col",
        "KUNDE",
        "--by",
        "customer",
        "--format",
        "csv",
    ]);
    assert_eq!(run.ok(), report("clean.csv", &[]));
}

#[test]
fn json_array_and_json_lines_give_the_clean_report() {
    assert_eq!(report("deals.json", &[]), report("clean.csv", &[]));
    assert_eq!(report("deals.jsonl", &[]), report("clean.csv", &[]));
    let bytes = std::fs::read(root().join("fixtures/shapes/deals.jsonl")).unwrap();
    let run = aov_in(&root(), &["report", "-", "--by", "customer", "--format", "csv"], Some(&bytes));
    assert_eq!(run.ok(), report("clean.csv", &[]));
}

#[test]
fn an_excel_workbook_gives_the_clean_report() {
    // Written by openpyxl: real date cells and float amount cells on sheet "Affärer".
    assert_eq!(report("deals.xlsx", &["--sheet", "Affärer"]), report("clean.csv", &[]));
    let run = aov(&["report", &fixture("shapes/deals.xlsx"), "--sheet", "Sales"]);
    assert!(run.fails(65).contains("no sheet named \"Sales\"; the sheets are: \"Info\", \"Affärer\""), "{run:?}");
}

#[test]
fn excel_cells_without_values_name_the_cell() {
    let path = fixture("edge/bad_cells.xlsx");
    let run = aov(&["report", &path]);
    assert_eq!(
        run.fails(65),
        format!(
            "aov: {path}[Sheet1]:3: column \"amount\": Sheet1!C3: the formula =1/0 has no saved value; open the workbook in a spreadsheet program and save it\n\
             aov: {path}[Sheet1]:4: column \"date\": \"41279\" looks like an Excel serial number, not a date; export the column as dates\n\
             aov: stopped after 2 bad rows; no report was made (--skip-bad-rows reports from the good rows)\n"
        )
    );
}

#[test]
fn timestamps_keep_their_written_date_unless_a_timezone_is_given() {
    let path = fixture("edge/zoned.csv");
    let run = aov(&["report", &path, "--format", "csv", "--period", "day", "--by", "customer"]);
    assert_eq!(
        run.ok(),
        "customer,period,deals,total,aov,aov_change,aov_change_pct\nA,2013-03-15,1,10.50,10.50,,\nA,2013-03-31,1,20.00,20.00,,\nB,2013-03-31,1,1.00,1.00,,\n"
    );
    // In Stockholm, 23:30 at UTC-5 is 05:30 the next day, and 23:30 UTC on
    // 31 March (summer time, UTC+2) is 01:30 on 1 April. A timestamp without
    // a zone keeps its date.
    let run = aov(&[
        "report",
        &path,
        "--format",
        "csv",
        "--period",
        "day",
        "--by",
        "customer",
        "--timezone",
        "Europe/Stockholm",
    ]);
    assert_eq!(
        run.ok(),
        "customer,period,deals,total,aov,aov_change,aov_change_pct\nA,2013-03-16,1,10.50,10.50,,\nA,2013-04-01,1,20.00,20.00,,\nB,2013-03-31,1,1.00,1.00,,\n"
    );
    let run = aov(&["report", &path, "--timezone", "Europe/Stokholm"]);
    assert!(run.fails(2).contains("\"Europe/Stokholm\" is not an IANA time zone name"), "{run:?}");
}

#[test]
fn a_settings_file_in_the_folder_reads_an_export_with_no_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("export.csv"),
        "Fakturadatum|Företagsnamn|Netto\n03/04/2013|Acme AB|1.500\n05/04/2013|Acme AB|2.000,5\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("aov.toml"),
        "delimiter = \"|\"\ndecimal = \"comma\"\ndate-format = \"dmy\"\n\n[columns]\namount = \"Netto\"\ncustomer = \"Företagsnamn\"\n\n[report]\nperiod = \"week\"\nby = [\"customer\"]\nformat = \"csv\"\n",
    )
    .unwrap();
    let run = aov_in(dir.path(), &["report", "export.csv"], None);
    // 3 and 5 April 2013 are in 2013-W14; 1500 + 2000.5 over 2 deals.
    assert_eq!(
        run.ok(),
        "customer,period,deals,total,aov,aov_change,aov_change_pct\nAcme AB,2013-W14,2,3500.50,1750.25,,\n"
    );
    // Flags beat the file.
    let run = aov_in(dir.path(), &["report", "export.csv", "--period", "all", "--format", "tsv"], None);
    assert_eq!(run.ok(), "customer\tdeals\ttotal\taov\taov_change\taov_change_pct\nAcme AB\t2\t3500.50\t1750.25\t\t\n");
}

#[test]
fn an_unknown_settings_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.toml"), "delimiter = \";\"\nperiood = \"week\"\n").unwrap();
    let run = aov_in(dir.path(), &["report", &fixture("edge/small.csv"), "--config", "team.toml"], None);
    let stderr = run.fails(2);
    assert!(stderr.starts_with("aov: team.toml: unknown field `periood`"), "{run:?}");
    std::fs::write(dir.path().join("team.toml"), "[report]\nperiod = \"fortnight\"\n").unwrap();
    let run = aov_in(dir.path(), &["report", &fixture("edge/small.csv"), "--config", "team.toml"], None);
    assert_eq!(
        run.fails(2),
        "aov: team.toml: period = \"fortnight\" is not one of: day, week, month, quarter, half, year, all\n"
    );
}

#[test]
fn csv_for_swedish_excel() {
    let run = aov(&[
        "report",
        &fixture("edge/small.csv"),
        "--by",
        "seller",
        "--period",
        "all",
        "--format",
        "csv",
        "--excel-sv",
    ]);
    assert_eq!(
        run.ok(),
        "\u{feff}seller;deals;total;aov;aov_change;aov_change_pct\nAnna;5;1623.52;324.70;;\nBjörn;1;50.00;50.00;;\n"
            .replace("1623.52", "1623,52")
            .replace("324.70", "324,70")
            .replace("50.00", "50,00")
    );
    // --excel-sv alone means CSV (issue 17).
    let alone = aov(&["report", &fixture("edge/small.csv"), "--by", "seller", "--period", "all", "--excel-sv"]);
    assert_eq!(alone.ok(), run.stdout);
}
