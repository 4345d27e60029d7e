//! The hostile-input suite: one file per trap in fixtures/hostile (written
//! by fixtures/make_hostile.py), each with its documented outcome: exit
//! status, the message with file and line, and where a report is made, its
//! exact figures. No input may make the program panic (status 101).

mod common;
use common::{aov, fixture};

/// How a case must end.
enum Want {
    /// Exit 0 and exactly this CSV report (`--period all`).
    Report(&'static str),
    /// This exit status and a stderr line containing this text
    /// (`{file}` stands for the file's path).
    Fails(i32, &'static str),
}
use Want::{Fails, Report};

const HEAD: &str = "deals,total,aov,aov_change,aov_change_pct\n";

fn cases() -> Vec<(&'static str, &'static [&'static str], Want)> {
    vec![
        ("empty.csv", &[], Fails(65, "aov: {file}: the file is empty: a header row naming the columns is expected")),
        ("bom_only.csv", &[], Fails(65, "aov: {file}: the file is empty")),
        ("whitespace_only.csv", &[], Fails(65, "aov: {file}: the file is empty")),
        ("header_only.csv", &[], Report("")),
        ("header_only_bom_crlf.csv", &[], Report("")),
        (
            "missing_amount.csv",
            &[],
            Fails(
                65,
                "aov: {file}: no amount column found; the headers are: \"date\", \"customer\"; name the column with --amount-col",
            ),
        ),
        (
            "missing_date.csv",
            &[],
            Fails(65, "no date column found; the headers are: \"when\", \"amount\"; name the column with --date-col"),
        ),
        (
            "duplicate_header.csv",
            &[],
            Fails(65, "the header \"amount\" appears 2 times, so the amount column is ambiguous"),
        ),
        ("wrong_delimiter.csv", &[], Report("1,5.00,5.00,,\n")),
        // "total" (100 + 50) is read, not "net amount"; stderr says so (below).
        ("two_amount_columns.csv", &[], Report("2,150.00,75.00,,\n")),
        (
            "wrong_delimiter.csv",
            &["--delimiter", ","],
            Fails(65, "no amount or date column found; the headers are: \"date;amount\""),
        ),
        ("abc_amount.csv", &[], Fails(65, "aov: {file}:3: column \"amount\": cannot read \"abc\" as an amount")),
        ("two_decimal_points.csv", &[], Fails(65, "{file}:2: column \"amount\": cannot read \"1.2.3\" as an amount")),
        ("underscore_amount.csv", &[], Fails(65, "{file}:2: column \"amount\": cannot read \"1_000\" as an amount")),
        ("exponent_amount.csv", &[], Fails(65, "{file}:2: column \"amount\": cannot read \"1e3\" as an amount")),
        ("nan_amount.csv", &[], Fails(65, "{file}:2: column \"amount\": cannot read \"NaN\" as an amount")),
        (
            "digits_29.csv",
            &[],
            Fails(65, "{file}:2: column \"amount\": \"12345678901234567890123456789\" has more than 13 digits"),
        ),
        (
            "decimals_7.csv",
            &[],
            Fails(
                65,
                "{file}:2: column \"amount\": \"1.1234567\" has more than 6 decimals; it is refused rather than rounded",
            ),
        ),
        ("negative_zero.csv", &[], Report("2,0.00,0.00,,\n")),
        // 9 999 999 999 999.999999 a million times: 9 999 999 999 999 999 999.999999 exactly.
        ("largest_amounts_million.csv.gz", &[], Report("1000000,9999999999999999999.00,10000000000000.00,,\n")),
        ("feb_30.csv", &[], Fails(65, "{file}:2: column \"date\": \"2013-02-30\" is not a day of the calendar")),
        ("month_13.csv", &[], Fails(65, "{file}:2: column \"date\": \"2013-13-01\" is not a day of the calendar")),
        ("year_24.csv", &[], Fails(65, "{file}:2: column \"date\": \"24-02-05\" has a two-digit year")),
        ("excel_serial.csv", &[], Fails(65, "{file}:2: column \"date\": \"41348\" looks like an Excel serial number")),
        (
            "unterminated_quote.csv",
            &[],
            Fails(65, "aov: {file}:2: column \"customer\": a quoted field starts on this line and is never closed"),
        ),
        ("quoted_newlines.csv", &[], Report("2,15.00,7.50,,\n")),
        ("ragged_short.csv", &[], Fails(65, "{file}:2: the row has 2 fields but the header has 3")),
        ("ragged_long.csv", &[], Fails(65, "{file}:2: the row has 4 fields but the header has 3")),
        ("trailing_delimiter.csv", &[], Report("2,12.00,6.00,,\n")),
        // Not UTF-8 in the first block: read as Windows-1252 (Malmö).
        ("invalid_utf8_short.csv", &[], Report("1,5.00,5.00,,\n")),
        // Valid UTF-8 for 4 001 lines, then a stray byte: a bad row, not a guess.
        (
            "invalid_utf8_late.csv",
            &[],
            Fails(
                65,
                "{file}:4002: column \"customer\": the value is not valid UTF-8 text; try --encoding windows-1252",
            ),
        ),
        ("utf16_le.csv", &[], Report("1,10.50,10.50,,\n")),
        ("utf16_be_bom.csv", &[], Report("1,10.50,10.50,,\n")),
        ("cr_only.csv", &[], Fails(65, "{file}:3: column \"amount\": cannot read \"oops\" as an amount")),
        ("blank_and_empty_rows.csv", &[], Report("2,30.00,15.00,,\n")),
        ("mixed_currencies.csv", &[], Report("")),
        ("timestamps_with_zones.csv", &[], Report("2,30.00,15.00,,\n")),
        ("leading_space_date.csv", &[], Report("1,10.00,10.00,,\n")),
        ("nul_in_name.csv", &[], Report("1,10.00,10.00,,\n")),
        ("long_field.csv", &[], Report("1,10.00,10.00,,\n")),
        ("many_columns.csv", &[], Report("1,5.00,5.00,,\n")),
        ("ambiguous_dates.csv", &[], Fails(65, "say which with --date-format dmy or --date-format mdy")),
        (
            "mixed_decimal_styles.csv",
            &[],
            Fails(
                65,
                "{file}:3: column \"amount\": \"1.234,56\" uses a decimal comma, but the column uses a decimal point (as \"1,234.56\" on line 2 shows)",
            ),
        ),
        // 1234567890123.123456 + 0.000001 = 1234567890123.123457, digits kept past a float's precision.
        ("json_exact_long_number.json", &[], Report("2,1234567890123.12,617283945061.56,,\n")),
        ("json_invalid.json", &[], Fails(65, "aov: {file}: not valid JSON")),
        ("json_not_objects.json", &[], Fails(65, "aov: {file}:1: expected a JSON object")),
        ("jsonl_bad_line.jsonl", &[], Fails(65, "aov: {file}:2: not valid JSON")),
        ("json_float_exponent.json", &[], Fails(65, "{file}:1: column \"amount\": cannot read \"1e+3\" as an amount")),
        ("corrupt.csv.gz", &[], Fails(65, "aov: {file}: cannot be read: incomplete deflate stream")),
        (
            "duplicate_order_lines_clash.csv",
            &[],
            Fails(65, "{file}:3: order \"O1\" has lines for customers \"A\" and \"B\""),
        ),
    ]
}

#[test]
fn every_trap_has_its_documented_outcome() {
    let cases = cases();
    assert!(cases.len() >= 40, "the suite covers at least 40 traps");
    let mut failures = Vec::new();
    for (file, extra, want) in cases {
        let path = fixture(&format!("hostile/{file}"));
        let mut args = vec!["report", path.as_str(), "--period", "all", "--format", "csv"];
        args.extend_from_slice(extra);
        let run = aov(&args);
        assert_ne!(run.status, 101, "panic on {file}: {run:?}");
        let ok = match &want {
            Report(rows) => run.status == 0 && (rows.is_empty() || run.stdout == format!("{HEAD}{rows}")),
            Fails(status, text) => {
                run.status == *status && run.stdout.is_empty() && run.stderr.contains(&text.replace("{file}", &path))
            }
        };
        if !ok {
            failures.push(format!("{file} {extra:?}: {run:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_written_four_ways_are_one_customer() {
    // Malmö typed composed, decomposed, with a zero-width space, and in
    // capitals with a no-break space: one customer, shown as most deals spell it.
    let run = aov(&[
        "report",
        &fixture("hostile/zero_width_and_nfd.csv"),
        "--by",
        "customer",
        "--period",
        "all",
        "--format",
        "csv",
    ]);
    assert_eq!(run.ok(), "customer,deals,total,aov,aov_change,aov_change_pct\nMalmö AB,4,100.00,25.00,,\n");
}

#[test]
fn currencies_stay_apart_and_codes_are_upper_case() {
    let run = aov(&["report", &fixture("hostile/mixed_currencies.csv"), "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "currency,deals,total,aov,aov_change,aov_change_pct\nEUR,1,20.00,20.00,,\nSEK,2,40.00,20.00,,\n"
    );
}

#[test]
fn no_input_panics_with_any_option() {
    // Every file under a few option sets that take other code paths.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let p = path.to_str().unwrap();
        for extra in [
            &["--by", "customer", "--skip-bad-rows", "--format", "json"][..],
            &["--period", "week", "--stats", "--threads", "2", "--block-size", "64"],
            &["--no-fast-path", "--decimal-comma", "--date-format", "dmy", "--timezone", "Europe/Stockholm"],
        ] {
            let mut args = vec!["report", p];
            args.extend_from_slice(extra);
            let run = aov(&args);
            assert!([0, 65].contains(&run.status), "{run:?}");
        }
        for cmd in ["customers", "sellers"] {
            let run = aov(&[cmd, p, "--skip-bad-rows"]);
            assert!([0, 65].contains(&run.status), "{run:?}");
        }
    }
}

#[test]
fn repeated_ids_are_warned_about_and_identical_rows_dropped_only_on_request() {
    // A1 appears twice with identical rows; A3 twice with different rows.
    let f = fixture("edge/duplicate_ids.csv");
    let run = aov(&["report", &f, "--period", "all", "--format", "csv", "-v"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n5,51.00,10.20,,\n");
    assert_eq!(
        run.stderr,
        format!(
            "aov: counted 5 deals\n\
             aov: warning: {f}: 2 rows repeat an id of column \"id\" (first: \"A1\", \"A3\"); if they are lines of one order, say so with --order-col \"id\"\n\
             aov: rows: 5 read, 5 used, 0 filtered out, 0 rejected\n"
        )
    );
    let run = aov(&["report", &f, "--period", "all", "--format", "csv", "-v", "--drop-duplicate-rows"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n4,41.00,10.25,,\n");
    assert!(
        run.stderr.contains("aov: note: dropped 1 row identical to an earlier one (--drop-duplicate-rows)\n"),
        "{run:?}"
    );
    assert!(run.stderr.contains("1 row repeats an id of column \"id\" (first: \"A3\")"), "{run:?}");
    assert!(run.stderr.ends_with("aov: rows: 5 read, 4 used, 1 filtered out, 0 rejected\n"), "{run:?}");
    // Named as an order column, the lines add up to orders instead: A1 (20), A2, A3 (11).
    let run = aov(&["report", &f, "--period", "all", "--format", "csv", "--order-col", "id"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n3,51.00,17.00,,\n");
}

/// How a round-two case must end (issue 15).
enum Outcome {
    /// Exit 0 and exactly this stdout.
    Prints(&'static str),
    /// This exit status and a stderr line containing this text (`{file}`
    /// stands for the name the input is read under).
    Refused(i32, &'static str),
}

/// A case: the fixture, extra flags, the outcome, and whether it can come
/// through a pipe (workbooks and Parquet are read from a named file).
type Case = (&'static str, &'static [&'static str], Outcome, bool);

fn round_two() -> Vec<Case> {
    use Outcome::{Prints, Refused};
    let cases: Vec<Case> = vec![
        // Line 3's comma settles the column (line 2's row is bad anyway):
        // line 2's point is the fault both readers name.
        (
            "style_settled_after_a_bad_row.csv",
            &[],
            Refused(
                65,
                "aov: {file}:2: column \"amount\": \"0.00\" uses a decimal point, but the column uses a decimal comma (as \"1.234,56\" on line 3 shows)",
            ),
            true,
        ),
        (
            "style_settled_after_a_bad_row.csv",
            &["--skip-bad-rows"],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "1,1234.56,1234.56,,\n")),
            true,
        ),
        // A row of Unicode white space is a blank row in both readers: 10 + 20.
        (
            "nbsp_blank_row.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,30.00,15.00,,\n")),
            true,
        ),
        // "Acme" AB is Acme AB; an inch mark is text: 10+20+30+40 over 4 deals.
        (
            "stray_quote_after_close.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "4,100.00,25.00,,\n")),
            true,
        ),
        (
            "stray_quote_after_close.csv",
            &["--by", "customer"],
            Prints(
                "customer,deals,total,aov,aov_change,aov_change_pct\nDelta,1,40.00,40.00,,\n\"Gamma 24\"\" Ltd\",1,30.00,30.00,,\nBeta,1,20.00,20.00,,\nAcme AB,1,10.00,10.00,,\n",
            ),
            true,
        ),
        (
            "runaway_quote.csv",
            &[],
            Refused(
                65,
                "{file}:2: column \"customer\": a quoted field starts on this line and runs over line breaks to a quote with text after it",
            ),
            true,
        ),
        // The runaway line alone is refused; lines 3-5 are rows: 20+30+40.
        (
            "runaway_quote.csv",
            &["--skip-bad-rows"],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "3,90.00,30.00,,\n")),
            true,
        ),
        (
            "inch_then_quoted_break.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "3,60.00,20.00,,\n")),
            true,
        ),
        // sep=; names the delimiter; 10,50 + 4,50.
        (
            "excel_sep_line.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,15.00,7.50,,\n")),
            true,
        ),
        (
            "header_trailing_delimiters.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,30.00,15.00,,\n")),
            true,
        ),
        (
            "currency_in_amount_clash.csv",
            &[],
            Refused(
                65,
                "{file}:4: column \"amount\": the amount \"200 kr\" names another currency than \"100 EUR\" on line 2",
            ),
            true,
        ),
        // 100 EUR + €50: one currency, so no currency column.
        (
            "currency_in_amount_clash.csv",
            &["--skip-bad-rows", "--by", "customer"],
            Prints("customer,deals,total,aov,aov_change,aov_change_pct\nA,1,100.00,100.00,,\nB,1,50.00,50.00,,\n"),
            true,
        ),
        (
            "currency_amount_vs_column.csv",
            &[],
            Refused(
                65,
                "{file}:2: column \"amount\": the amount \"100 EUR\" is in EUR, but column \"currency\" says SEK",
            ),
            true,
        ),
        // 1 234,50 kr + 765,50 + SEK 1 000, all SEK: 3000 over 3.
        (
            "currency_kr_and_plain.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "3,3000.00,1000.00,,\n")),
            true,
        ),
        // $ agrees with a CAD column; 25 is in the column's USD.
        (
            "currency_dollar_cad.csv",
            &[],
            Prints("currency,deals,total,aov,aov_change,aov_change_pct\nCAD,2,150.00,75.00,,\nUSD,1,25.00,25.00,,\n"),
            true,
        ),
        // The currency key first appears in the second object.
        (
            "json_later_keys.json",
            &[],
            Prints("currency,deals,total,aov,aov_change,aov_change_pct\n,1,10.00,10.00,,\nEUR,2,50.00,25.00,,\n"),
            true,
        ),
        (
            "json_duplicate_key.jsonl",
            &[],
            Refused(65, "{file}:1: column \"amount\": the key \"amount\" appears twice in the object"),
            true,
        ),
        (
            "json_bom.json",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "1,10.00,10.00,,\n")),
            true,
        ),
        (
            "json_nested_unused.jsonl",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,30.00,15.00,,\n")),
            true,
        ),
        // "2,5" (text, decimal comma) + 1.234 (a number) = 3.734.
        (
            "json_number_and_text.json",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,3.73,1.87,,\n")),
            true,
        ),
        (
            "gzip_zero_padded.csv.gz",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,40.00,20.00,,\n")),
            true,
        ),
        (
            "gzip_twice.csv.gz",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,40.00,20.00,,\n")),
            true,
        ),
        (
            "gzip_trailing_garbage.csv.gz",
            &[],
            Refused(65, "aov: {file}: cannot be read: bytes that are not gzip data follow it"),
            true,
        ),
        (
            "utf16_le_no_bom.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "1,10.50,10.50,,\n")),
            true,
        ),
        // O1 = 10 + 5 (Acme AB and ACME AB are one customer), O2 = 20.
        (
            "order_lines_letter_case.csv",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,35.00,17.50,,\n")),
            true,
        ),
        (
            "compact_date.csv",
            &[],
            Refused(65, "{file}:2: column \"date\": \"20130305\" is a date written without separators"),
            true,
        ),
        ("nul_bytes.csv", &[], Refused(65, "aov: {file}: line 1: the header holds NUL bytes"), true),
        (
            "header_huge_name.csv",
            &[],
            Refused(
                65,
                "aov: {file}: line 1: the first line does not look like a header: it holds a column name of 5000 bytes",
            ),
            true,
        ),
        (
            "time_hour_25.csv",
            &[],
            Refused(65, "{file}:2: column \"date\": cannot read \"2024-01-01T25:00:00\" as a date"),
            true,
        ),
        // 2013-03-30 23:30 UTC is 00:30 on the 31st in Stockholm; 23:30+01 on
        // the 31st is 00:30 summer time on 1 April; 15 April 23:30 -05:00 is
        // the 16th. Written dates: 30 and 31 March, 15 April.
        (
            "timestamps_rails_pg_spaced.csv",
            &["--period", "month", "--timezone", "Europe/Stockholm"],
            Prints(
                "period,deals,total,aov,aov_change,aov_change_pct\n2013-03,1,10.00,10.00,,\n2013-04,2,50.00,25.00,15.00,150.0\n",
            ),
            true,
        ),
        (
            "timestamps_rails_pg_spaced.csv",
            &["--period", "month"],
            Prints(
                "period,deals,total,aov,aov_change,aov_change_pct\n2013-03,2,30.00,15.00,,\n2013-04,1,30.00,30.00,15.00,100.0\n",
            ),
            true,
        ),
        (
            "timestamp_converted_past_2199.csv",
            &["--timezone", "Europe/Stockholm"],
            Refused(65, "{file}:2: column \"date\": \"2199-12-31T23:30:00-05:00\" has a year outside 1900-2199"),
            true,
        ),
        (
            "blank_customer.csv",
            &["--by", "customer"],
            Prints(
                "customer,deals,total,aov,aov_change,aov_change_pct\n(no customer),2,40.00,20.00,,\nA,1,20.00,20.00,,\n",
            ),
            true,
        ),
        // The ragged row's "1,5" settles nothing: 2.5 settles the point, so
        // 1.234 is one and a bit: 1.234 + 2.5 = 3.734.
        (
            "ragged_row_shows_a_style.csv",
            &["--skip-bad-rows"],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,3.73,1.87,,\n")),
            true,
        ),
        // 31/02 settles nothing; 13/03 says day first, so 02/03 is 2 March: 2 + 3.
        (
            "impossible_date_shows_an_order.csv",
            &["--skip-bad-rows"],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "2,5.00,2.50,,\n")),
            true,
        ),
        // Acme AB is merged over rows 2-4: 10+20+30; Beta 40.
        (
            "merged_customer.xlsx",
            &["--by", "customer"],
            Prints(
                "customer,deals,total,aov,aov_change,aov_change_pct\nAcme AB,3,60.00,20.00,,\nBeta,1,40.00,40.00,,\n",
            ),
            false,
        ),
        // 2,5 (text) + 1.234 + 12.345 (number cells) + 1 234,50 (text) = 1250.579.
        (
            "number_cells_beside_text.xlsx",
            &[],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "4,1250.58,312.64,,\n")),
            false,
        ),
        // --decimal-comma is about text: the number cells stay 1.234 and 12.345.
        (
            "number_cells_beside_text.xlsx",
            &["--decimal-comma"],
            Prints(concat!("deals,total,aov,aov_change,aov_change_pct\n", "4,1250.58,312.64,,\n")),
            false,
        ),
        (
            "dictionary_null_first.parquet",
            &["--by", "customer"],
            Prints(
                "customer,deals,total,aov,aov_change,aov_change_pct\nAcme AB,2,60.00,30.00,,\nBeta,1,30.00,30.00,,\n(no customer),1,10.00,10.00,,\n",
            ),
            false,
        ),
        // 10.50 + 4.25 + 0.25: Nord AB 10.75, Syd AB 4.25.
        (
            "category_column.parquet",
            &["--by", "customer"],
            Prints(
                "customer,deals,total,aov,aov_change,aov_change_pct\nNord AB,2,10.75,5.38,,\nSyd AB,1,4.25,4.25,,\n",
            ),
            false,
        ),
        // Made by the fuzzer: a corrupt page whose first batch is an error
        // and whose next would panic inside the parquet crate; reading
        // stops at the error (the decoding thread is not asked again).
        (
            "corrupt_rle_then_panics.parquet",
            &[],
            Refused(
                65,
                "{file}: cannot read Parquet: Parquet argument error: Parquet error: Invalid or corrupted RLE bit width 97. Max allowed is 32",
            ),
            false,
        ),
        (
            "date_beyond_calendar.parquet",
            &[],
            Refused(
                65,
                "{file}:2: column \"date\": cannot read \"the day number 2147483647 (outside the calendar)\" as a date",
            ),
            false,
        ),
    ];
    cases
}

#[test]
fn round_two_traps_end_the_same_from_a_file_a_pipe_and_dev_stdin_in_both_readers() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for (file, extra, want, pipe) in round_two() {
        let path = fixture(&format!("hostile/{file}"));
        let bytes = std::fs::read(&path).unwrap();
        // (argument, name in messages, bytes on stdin)
        let mut sources = vec![(path.clone(), path.clone(), None)];
        if pipe {
            sources.push(("-".to_string(), "<stdin>".to_string(), Some(bytes.clone())));
            sources.push(("/dev/stdin".to_string(), "/dev/stdin".to_string(), Some(bytes.clone())));
        }
        for (arg, name, stdin) in sources {
            for readers in [&[][..], &["--no-fast-path"], &["--threads", "2", "--block-size", "64"]] {
                let mut args = vec!["report", arg.as_str(), "--format", "csv"];
                if !extra.contains(&"--period") {
                    args.extend(["--period", "all"]);
                }
                args.extend_from_slice(extra);
                args.extend_from_slice(readers);
                let run = common::aov_in(&common::root(), &args, stdin.as_deref());
                runs += 1;
                assert_ne!(run.status, 101, "panic: {run:?}");
                assert!(run.stderr.len() < 2000, "a message echoes the input: {} bytes", run.stderr.len());
                let ok = match &want {
                    Outcome::Prints(out) => run.status == 0 && run.stdout == *out,
                    Outcome::Refused(status, text) => {
                        run.status == *status
                            && run.stdout.is_empty()
                            && run.stderr.contains(&text.replace("{file}", &name))
                    }
                };
                if !ok {
                    failures.push(format!("{file} {extra:?} {readers:?}: {run:?}"));
                }
            }
        }
    }
    assert!(runs > 200, "{runs} runs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_same_file_given_twice_by_name_symlink_or_hard_link_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("deals.csv");
    std::fs::write(&f, "date,customer,amount\n2024-01-01,A,10\n2024-01-02,B,30\n").unwrap();
    let link = dir.path().join("link.csv");
    let hard = dir.path().join("hard.csv");
    std::os::unix::fs::symlink(&f, &link).unwrap();
    std::fs::hard_link(&f, &hard).unwrap();
    let (f, link, hard) = (f.to_str().unwrap(), link.to_str().unwrap(), hard.to_str().unwrap());
    let run = aov(&["report", f, f, link, hard, "--period", "all", "--format", "csv"]);
    // 10 + 30 once, not four times.
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n2,40.00,20.00,,\n");
    assert!(run.stderr.contains(&format!("aov: warning: {f} is given twice; it is read once\n")), "{run:?}");
    assert!(
        run.stderr.contains(&format!("aov: warning: {link} is the same file as {f}; it is read once\n")),
        "{run:?}"
    );
    assert!(
        run.stderr.contains(&format!("aov: warning: {hard} is the same file as {f}; it is read once\n")),
        "{run:?}"
    );
}

#[test]
fn drop_duplicate_rows_remembers_rows_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, "date,customer,amount\n2024-01-01,A,10\n2024-01-02,B,30\n").unwrap();
    std::fs::write(&b, "date,customer,amount\n2024-01-02,B,30\n2024-01-03,C,50\n").unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let run = aov(&["report", a, b, "--period", "all", "--format", "csv", "--drop-duplicate-rows"]);
    // B's row is in both files: 10 + 30 + 50.
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n3,90.00,30.00,,\n");
    assert!(run.stderr.contains("dropped 1 row identical to an earlier one"), "{run:?}");
}

#[test]
fn a_named_pipe_is_read_once_and_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("deals.fifo");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        std::fs::write(writer_path, "date,customer,amount\n2024-01-01,A,10\n2024-01-02,B,30\n").unwrap();
    });
    let mut cmd = assert_cmd::Command::cargo_bin("aov").unwrap();
    cmd.args(["report", fifo.to_str().unwrap(), "--period", "all", "--format", "csv"]);
    cmd.timeout(std::time::Duration::from_secs(30));
    let out = cmd.output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "deals,total,aov,aov_change,aov_change_pct\n2,40.00,20.00,,\n");
}

#[test]
fn an_endless_input_without_line_breaks_ends_in_a_message() {
    let mut cmd = assert_cmd::Command::cargo_bin("aov").unwrap();
    cmd.args(["report", "/dev/zero"]).timeout(std::time::Duration::from_secs(60));
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{stderr}");
    assert_eq!(
        stderr,
        "aov: /dev/zero: line 1: the line is longer than 16 MiB: this is not delimited text (or give the right --delimiter)\n"
    );
}

#[test]
fn any_thread_count_is_taken() {
    let run = aov(&[
        "report",
        &fixture("hostile/stray_quote_after_close.csv"),
        "--threads",
        "100000",
        "--period",
        "all",
        "--format",
        "csv",
    ]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n4,100.00,25.00,,\n");
}

#[test]
fn a_json_lines_line_is_bounded_too() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("long.jsonl");
    std::fs::write(&f, vec![b'x'; (16 << 20) + 10]).unwrap();
    let run = aov(&["report", f.to_str().unwrap()]);
    let stderr = run.fails(65);
    assert_eq!(stderr, format!("aov: {}: line 1 is longer than 16 MiB: this is not JSON Lines\n", f.display()));
}

#[test]
fn a_json_array_element_is_bounded_too() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("long.json");
    let mut text = b"[{\"date\": \"2013-01-01\", \"amount\": 5},\n{\"customer\": \"".to_vec();
    text.extend(vec![b'x'; (16 << 20) + 10]);
    text.extend(b"\", \"date\": \"2013-01-01\", \"amount\": 5}]");
    std::fs::write(&f, text).unwrap();
    let run = aov(&["report", f.to_str().unwrap()]);
    let stderr = run.fails(65);
    assert_eq!(
        stderr,
        format!(
            "aov: {}: line 2: an element of the array is longer than 16 MiB: this is not an export of deals\n",
            f.display()
        )
    );
}

#[test]
fn two_amount_columns_say_which_one_is_read() {
    let f = fixture("hostile/two_amount_columns.csv");
    let run = aov(&["report", &f, "--period", "all", "--format", "csv"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n2,150.00,75.00,,\n");
    assert!(
        run.stderr.contains(
            "aov: the amount is read from \"total\"; \"net amount\" looks like an amount too (--amount-col names another)\n"
        ),
        "{}",
        run.stderr
    );
    let run = aov(&["report", &f, "--period", "all", "--format", "csv", "--amount-col", "net amount"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n2,120.00,60.00,,\n");
    assert!(!run.stderr.contains("looks like"), "{}", run.stderr);
}
