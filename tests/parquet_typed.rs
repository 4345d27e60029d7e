//! Parquet read by typed columns: DECIMAL(38,10) amounts (negative ones
//! too), DATE32 days before 1970, a null amount and a dictionary string
//! column, in files written here with the arrow writer. The results are
//! worked out by hand.

mod common;

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, Date32Array, Decimal128Array, DictionaryArray, RecordBatch, StringArray};
use common::aov;

/// A Parquet file of (date, customer as a dictionary, amount as
/// DECIMAL(38,10), currency) rows; the amount's mantissa is given, so
/// 12_345_000_000_000 is 1234.5000000000.
fn write(dir: &std::path::Path, rows: &[(i32, Option<&str>, Option<i128>)]) -> String {
    let date: ArrayRef = Arc::new(Date32Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>()));
    let customer: ArrayRef = Arc::new(rows.iter().map(|r| r.1).collect::<DictionaryArray<Int32Type>>());
    let amount: ArrayRef = Arc::new(
        Decimal128Array::from(rows.iter().map(|r| r.2).collect::<Vec<_>>()).with_precision_and_scale(38, 10).unwrap(),
    );
    let currency: ArrayRef = Arc::new(StringArray::from(vec!["SEK"; rows.len()]));
    let batch = RecordBatch::try_from_iter([
        ("date", date),
        ("customer", customer),
        ("amount", amount),
        ("currency", currency),
    ])
    .unwrap();
    let path = dir.join("typed.parquet");
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    path.display().to_string()
}

const E10: i128 = 10_000_000_000;

#[test]
fn decimal_38_10_amounts_and_days_before_1970_read_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        &[
            // 1965-03-01 and 1965-03-15 (day -1767 and -1753).
            (-1767, Some("Acme AB"), Some(12_345 * E10 / 10)), // 1234.5
            (-1753, Some("Acme AB"), Some(E10 / 4)),           // 0.25
            // 1969-12-31 (day -1): one deal and a credit note.
            (-1, Some("Beta"), Some(3_333_333 * E10 / 1_000_000)), // 3.333333
            (-1, Some("Beta"), Some(-100 * E10)),                  // -100
            // 1970-01-01 (day 0), no customer (a null in the dictionary).
            (0, None, Some(7 * E10)),
        ],
    );
    let run = aov(&["report", "--period", "month", "--by", "customer", &file, "--format", "csv"]);
    // 1965-03: Acme AB 1234.5 + 0.25 = 1234.75 in 2 deals, 617.375 each,
    // shown 617.38 (half away from zero). 1969-12: Beta 3.333333, shown
    // 3.33. 1970-01: (no customer) 7.
    let mut lines: Vec<&str> = run.ok().lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "(no customer),1970-01,1,7.00,7.00,,",
            "Acme AB,1965-03,2,1234.75,617.38,,",
            "Beta,1969-12,1,3.33,3.33,,",
            "customer,period,deals,total,aov,aov_change,aov_change_pct",
        ]
    );
    assert!(run.stderr.contains("left out 1 credit note totalling -100.00"), "{run:?}");
    // With the credit note: 3.333333 - 100 = -96.666667 in two deals,
    // -48.3333335 each, shown -48.33.
    let run = aov(&["report", "--period", "all", "--by", "customer", "--include-credits", &file, "--format", "csv"]);
    assert!(run.ok().contains("\nBeta,2,-96.67,-48.33,,\n"), "{run:?}");
}

#[test]
fn a_null_amount_too_many_decimals_and_a_year_before_1900_are_bad_rows_named_by_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        &[
            (15827, Some("Acme AB"), Some(10 * E10)),              // 2013-05-02, 10
            (15827, Some("Acme AB"), None),                        // a null amount
            (15827, Some("Beta"), Some(101_234_567 * 1_000)),      // 10.1234567: 7 decimals
            (-25568, Some("Beta"), Some(5 * E10)),                 // 1899-12-31
            (15827, Some("Beta"), Some(12_345_678_901_234 * E10)), // 14 integer digits
        ],
    );
    let rejects = dir.path().join("rejects.csv");
    let run = aov(&[
        "report",
        "--period",
        "all",
        &file,
        "--format",
        "csv",
        "--rejects",
        rejects.to_str().unwrap(),
        "--skip-bad-rows",
    ]);
    // Row numbers count the header as line 1, as in a CSV.
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n1,10.00,10.00,,\n");
    assert!(run.stderr.contains("skipped 4 bad rows"), "{run:?}");
    // The rejects file holds each bad row with its cells as text.
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    let reason = |line: u32, what: &str| format!("{file},{line},\"{file}:{line}: column \"\"{what}");
    assert_eq!(
        rejected,
        [
            "file,line,reason,fields".to_string(),
            reason(2, "amount\"\": the amount is empty\",2013-05-02,Acme AB,,SEK"),
            reason(
                3,
                "amount\"\": \"\"10.1234567000\"\" has more than 6 decimals; it is refused rather than rounded\",2013-05-02,Beta,10.1234567000,SEK"
            ),
            reason(
                4,
                "date\"\": \"\"1899-12-31\"\" has a year outside 1900-2199\",1899-12-31,Beta,5.0000000000,SEK"
            ),
            reason(
                5,
                "amount\"\": \"\"12345678901234.0000000000\"\" has more than 13 digits before the decimals; amounts that large are refused so that every sum stays exact\",2013-05-02,Beta,12345678901234.0000000000,SEK"
            ),
            String::new(),
        ]
        .join("\n")
    );
}
