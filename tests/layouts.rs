//! End-to-end tests of reading real exports right with no flags: each
//! known layout (fixtures/layouts mimic their headers, quirks, statuses,
//! number and date styles), amounts made from a quantity and a unit price,
//! the one money or date column, two-digit years, day-first dates told by a
//! decimal comma, and the sheet of a workbook that has the data. Every
//! expected report was worked out by hand from the fixture.

mod common;
use common::{aov, aov_in, fixture, root};

/// The months with deals: "period,deals,total,aov" (the change columns
/// left out), and stderr.
fn months(file: &str, extra: &[&str]) -> (Vec<String>, String) {
    let path = fixture(&format!("layouts/{file}"));
    let mut args = vec!["report", path.as_str(), "--period", "month", "--format", "csv", "-v"];
    args.extend_from_slice(extra);
    let run = aov(&args);
    let out = run.ok();
    let mut lines = out.lines();
    let header = lines.next().expect("a header");
    let currency = header.starts_with("currency,");
    let rows = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[if currency { 2 } else { 1 }] != "0")
        .map(|f| f[..if currency { 5 } else { 4 }].join(","))
        .collect();
    (rows, run.stderr.clone())
}

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_shopify_export_counts_orders_at_their_total_without_voided_or_cancelled_ones() {
    let (rows, err) = months("shopify_orders.csv", &[]);
    // #1001 784.00 and #1002 (pending, kept) 150.50 in May; #1005 in June.
    assert_eq!(rows, lines(&["2021-05,2,934.50,467.25", "2021-06,1,1000.00,1000.00"]));
    assert!(err.contains(
        "aov: read as a Shopify orders export: one deal per order (\"Name\"), valued at \"Total\", voided and cancelled orders left out\n"
    ), "{err}");
    assert!(err.contains("; left out 5 rows that are not sales: 3 a later line of an order (the order's values are on its first line); 1 cancelled order; 1 voided order (--export-layout none reads every row)"), "{err}");
    assert!(err.contains("aov: rows: 8 read, 3 used, 5 filtered out, 0 rejected\n"), "{err}");
}

#[test]
fn layout_none_reads_a_shopify_export_as_a_plain_table() {
    let path = fixture("layouts/shopify_orders.csv");
    let run = aov(&["report", &path, "--export-layout", "none"]);
    let err = run.fails(65);
    assert!(err.contains("column \"Total\": the amount is empty"), "{err}");
    assert!(!err.contains("read as"), "{err}");
}

#[test]
fn a_paypal_download_counts_completed_incoming_payments_per_currency() {
    let (rows, err) = months("paypal_activity.csv", &[]);
    assert_eq!(rows, lines(&["EUR,2016-01,1,20.00,20.00", "USD,2015-12,1,84.00,84.00", "USD,2016-01,1,16.50,16.50"]));
    assert!(err.contains("aov: read as a PayPal activity download: "), "{err}");
    assert!(err.contains("; left out 5 rows that are not sales: 3 not a customer payment (conversion, withdrawal, hold, fee...); 1 payment not completed; 1 payment not incoming (gross not above 0)"), "{err}");
    assert!(err.contains("aov: rows: 8 read, 3 used, 5 filtered out, 0 rejected\n"), "{err}");
}

#[test]
fn an_adyen_report_counts_settled_payments_at_their_gross_credit() {
    let (rows, err) = months("adyen_settlement.csv", &[]);
    // 31.45 + 21.95; the refund, the fee and the payout left out.
    assert_eq!(rows, lines(&["2021-01,2,53.40,26.70"]));
    assert!(err.contains("aov: read as an Adyen settlement details report: one deal per Settled payment, valued at \"Gross Credit (GC)\", dated by \"Creation Date\""), "{err}");
    assert!(err.contains("aov: rows: 5 read, 2 used, 3 filtered out, 0 rejected\n"), "{err}");
}

#[test]
fn a_stripe_export_counts_paid_charges() {
    let (rows, err) = months("stripe_payments.csv", &[]);
    assert_eq!(rows, lines(&["2026-04,2,20.50,10.25", "2026-05,1,20.00,20.00"]));
    assert!(err.contains("; left out 2 rows that are not sales: 2 charge not Paid (failed, refunded...)"), "{err}");
}

#[test]
fn a_woocommerce_export_counts_each_paid_order_once() {
    let (rows, err) = months("woocommerce_orders.csv", &[]);
    // 101 (two lines, one order total 59.90) and 102 (processing) in March.
    assert_eq!(rows, lines(&["2024-03,2,84.90,42.45", "2024-04,1,100.00,100.00"]));
    assert!(err.contains("aov: rows: 6 read, 3 used, 3 filtered out, 0 rejected\n"), "{err}");
}

#[test]
fn fortnox_and_visma_invoice_lists() {
    let (rows, err) = months("fortnox_invoices.csv", &[]);
    assert_eq!(rows, lines(&["2024-03,2,2050.00,1025.00", "2024-04,1,99.50,99.50"]));
    assert!(err.contains("; left out 1 row that is not a sale: 1 cancelled invoice"), "{err}");
    let (rows, err) = months("visma_invoices.csv", &[]);
    // (300.00 + 450.25) / 2 = 375.125, rounded half away from zero.
    assert_eq!(rows, lines(&["2024-05,2,750.25,375.13", "2024-06,1,120.00,120.00"]));
    assert!(err.contains("aov: read as a Visma eAccounting invoice list: "), "{err}");
}

#[test]
fn crm_layouts_find_value_date_and_stage() {
    // Which stages count is the status rule's business; here the won
    // stage is chosen explicitly so the columns are what is tested.
    let (rows, err) = months("salesforce_opportunity.csv", &["--status", "Closed Won"]);
    // May: 1000.10 + 1500.05 = 2500.15 over 2 = 1250.075.
    assert_eq!(rows, lines(&["2023-05,2,2500.15,1250.08", "2023-06,1,2000.00,2000.00"]));
    assert!(err.contains("aov: read as a Salesforce opportunities export: "), "{err}");
    let (rows, err) = months("hubspot_deals.csv", &["--status", "Closed Won"]);
    assert_eq!(rows, lines(&["2024-02,2,1650.50,825.25"]));
    assert!(err.contains("aov: read as a HubSpot deals export: "), "{err}");
    let (rows, _) = months("pipedrive_deals.csv", &["--status", "won"]);
    assert_eq!(rows, lines(&["2024-03,2,1800.00,900.00"]));
    let (rows, err) = months("dynamics_opportunities.csv", &["--status", "Won"]);
    // Valued at the actual revenue and dated by the actual close date.
    assert_eq!(rows, lines(&["2024-01,1,9500.00,9500.00", "2024-02,1,2100.00,2100.00"]));
    assert!(err.contains("aov: read as a Microsoft Dynamics 365 opportunities export: "), "{err}");
}

#[test]
fn a_forced_layout_must_fit_and_an_unknown_one_is_a_usage_error() {
    let path = fixture("layouts/money_column.csv");
    let err = aov(&["report", &path, "--export-layout", "stripe"]).fails(65).to_string();
    assert!(
        err.contains("--export-layout stripe: no amount column of a Stripe payments export (one of \"amount\")"),
        "{err}"
    );
    let err = aov(&["report", &path, "--export-layout", "bogus"]).fails(2).to_string();
    assert!(err.contains("--export-layout bogus: no such layout; the layouts are: shopify, woocommerce, stripe, paypal, adyen, salesforce, hubspot, pipedrive, dynamics, fortnox, visma, none"), "{err}");
}

#[test]
fn quantity_times_unit_price_per_invoice_with_two_digit_years_read_day_first() {
    let (rows, err) = months("online_retail_lines.csv", &[]);
    // 536365: 6 x 2,55 + 2 x 3,39 = 22.08; 536366: 3 x 1,25 = 3.75 (both
    // December 2010); 536367: 10 x 0,85 = 8.50 in January 2011.
    // (22.08 + 3.75) / 2 = 12.915.
    assert_eq!(rows, lines(&["2010-12,2,25.83,12.92", "2011-01,1,8.50,8.50"]));
    for line in [
        "aov: no amount column: a line's amount is \"Quantity\" x \"UnitPrice\", computed exactly (--amount or --amount-col choose another)\n",
        "aov: the rows are invoice lines: one deal per \"InvoiceNo\" (their sum); --order-col names another order column\n",
        "column \"InvoiceDate\": no date shows whether the day or the month comes first; read day first, as the amounts use a decimal comma (--date-format mdy says otherwise)\n",
        "column \"InvoiceDate\": two-digit years read as Excel reads them, 00-29 as 2000-2029 and 30-99 as 1930-1999 (line 2: \"01/12/10 08:26\")\n",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    assert_eq!(err.matches("two-digit years").count(), 1, "said once: {err}");
    // --date-format settles the order: read month first, 01/12/10 is
    // January 12th and 05/01/11 is May 1st.
    let (rows, err) = months("online_retail_lines.csv", &["--date-format", "mdy"]);
    assert_eq!(rows, lines(&["2010-01,1,22.08,22.08", "2010-02,1,3.75,3.75", "2011-05,1,8.50,8.50"]));
    assert!(!err.contains("read day first"), "{err}");
}

#[test]
fn an_amount_expression_is_exact_and_names_a_missing_column() {
    let (rows, err) =
        months("online_retail_lines.csv", &["--amount", "Quantity*UnitPrice", "--order-col", "InvoiceNo"]);
    assert_eq!(rows, lines(&["2010-12,2,25.83,12.92", "2011-01,1,8.50,8.50"]));
    assert!(err.contains("aov: a row's amount is Quantity x UnitPrice, computed exactly (--amount)\n"), "{err}");
    // A sum with a constant: every line gets 0.10 more.
    let (rows, _) = months("money_column.csv", &["--amount", "Gross + 0.10", "--date-col", "when"]);
    assert_eq!(rows, lines(&["2024-01,2,17.70,8.85", "2024-02,1,3.35,3.35"]));
    let path = fixture("layouts/money_column.csv");
    let err = aov(&["report", &path, "--amount", "Gross+freight_value"]).fails(65).to_string();
    assert!(
        err.contains("--amount names the column \"freight_value\", but the headers are: \"when\", \"ref\", \"Gross\""),
        "{err}"
    );
    let err = aov(&["report", &path, "--amount", "Gross", "--amount-col", "Gross"]).fails(2).to_string();
    assert!(err.contains("--amount"), "{err}");
}

#[test]
fn the_one_money_column_and_the_one_date_column_are_used_and_said() {
    let (rows, err) = months("money_column.csv", &[]);
    assert_eq!(rows, lines(&["2024-01,2,17.50,8.75", "2024-02,1,3.25,3.25"]));
    assert!(err.contains("aov: no amount header: \"Gross\" is the only column of money under a money-like name, so it is read as the amount (--amount-col names another)\n"), "{err}");
    assert!(err.contains("aov: no date header: \"when\" is the only column of dates, so it is read as the date (--date-col names another)\n"), "{err}");
}

#[test]
fn dates_without_evidence_are_read_day_first_when_the_amounts_use_a_decimal_comma() {
    let (rows, err) = months("day_first_by_comma.csv", &[]);
    assert_eq!(rows, lines(&["2024-02,2,150.50,75.25", "2024-03,1,25.25,25.25"]));
    assert!(err.contains("column \"Datum\": no date shows whether the day or the month comes first; read day first, as the amounts use a decimal comma"), "{err}");
}

#[test]
fn headers_in_a_day_first_language_read_undecided_dates_day_first() {
    let run = aov_in(
        &root(),
        &["report", "-", "--period", "month", "--format", "csv"],
        Some(b"Datum,Kund,Belopp\n01/02/2024,Acme,100\n03/02/2024,Beta,50\n"),
    );
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2024-02,2,150.00,75.00,,\n");
    assert!(run.stderr.contains("read day first, as the headers are not in English (\"Datum\")"), "{:?}", run);
    // English headers and a decimal point: the error stays.
    let run = aov_in(&root(), &["report", "-"], Some(b"date,amount\n01/02/2024,100\n03/02/2024,50\n"));
    assert!(run.fails(65).contains("say which with --date-format dmy or --date-format mdy"), "{run:?}");
}

#[test]
fn two_digit_years_read_with_excels_window_and_said_once() {
    let (rows, err) = months("two_digit_years.csv", &[]);
    // 6/13/11 shows the column is month first.
    assert_eq!(rows, lines(&["2011-06,2,30.00,15.00", "2011-07,1,5.00,5.00"]));
    let said: Vec<&str> = err.lines().filter(|l| l.contains("two-digit years")).collect();
    let want = format!(
        "aov: {}: column \"date\": two-digit years read as Excel reads them, 00-29 as 2000-2029 and 30-99 as 1930-1999 (line 2: \"6/1/11 12:05\")",
        fixture("layouts/two_digit_years.csv")
    );
    assert_eq!(said, vec![want.as_str()]);
    // A year the tool cannot read says what is wrong with it.
    let run = aov_in(&root(), &["report", "-"], Some(b"date,amount\n24-02-05,10\n"));
    let err = run.fails(65);
    assert!(err.contains("\"24-02-05\" has a two-digit year"), "{err}");
}

#[test]
fn a_column_of_us_states_is_not_a_status_column_but_a_column_of_statuses_is() {
    let (rows, err) = months("superstore_lines.csv", &[]);
    // Lines summed per Order ID: 261.96 + 731.94; 957.5775 printed 957.58.
    assert_eq!(rows, lines(&["2017-12,1,957.58,957.58", "2018-06,1,14.62,14.62", "2018-11,1,993.90,993.90"]));
    assert!(!err.contains("status"), "{err}");
    let run = aov_in(
        &root(),
        &["report", "-", "--format", "csv"],
        Some(b"date,Type,amount\n2024-01-02,Paid,10\n2024-01-03,Refunded,4\n"),
    );
    // Type holds statuses: only the paid deal counts.
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2024-01,1,10.00,10.00,,\n");
    assert_eq!(
        run.stderr,
        "aov: counted 1 deal with status \"Paid\"; left out 1 (Refunded 1); --status all counts every status\n"
    );
    let run = aov_in(&root(), &["report", "-", "--format", "csv"], Some(b"date,Type,amount\n2024-01-02,Hardware,10\n"));
    run.ok();
    assert!(!run.stderr.contains("status"), "{run:?}");
}

#[test]
fn a_workbook_is_read_from_the_sheet_that_has_the_columns() {
    let (rows, err) = months("second_sheet.xlsx", &["--status", "Won"]);
    // Won: 1054 + 4514 in March 2017, 517 in April.
    assert_eq!(rows, lines(&["2017-03,2,5568.00,2784.00", "2017-04,1,517.00,517.00"]));
    assert!(err.contains("read sheet \"sales_pipeline\", the first with the columns needed (\"sales_teams\" before it has not); --sheet names another"), "{err}");
    // A hidden first sheet is passed over for the visible one, unasked.
    let (rows, err) = months("hidden_first_sheet.xlsx", &["--status", "Won"]);
    assert_eq!(rows, lines(&["2017-03,2,5568.00,2784.00", "2017-04,1,517.00,517.00"]));
    assert!(!err.contains("read sheet"), "{err}");
    let path = fixture("layouts/no_sheet_fits.xlsx");
    let err = aov(&["report", &path]).fails(65).to_string();
    assert!(err.contains("no sheet has the amount and date columns needed; the sheets are: \"sales_teams\" (\"sales_agent\", \"manager\", \"regional_office\"); \"products\" (\"product\", \"series\", \"sales_price\"); choose one with --sheet"), "{err}");
}

#[test]
fn repeated_invoice_numbers_are_warned_about_when_they_are_not_the_order_column() {
    // An amount column, so the rows are not taken for invoice lines: the
    // repeated InvoiceNo (an id column) is warned about.
    let run = aov_in(
        &root(),
        &["report", "-", "--format", "csv", "--period", "all"],
        Some(b"InvoiceNo,InvoiceDate,Amount\n10,2024-01-02,5\n10,2024-01-02,7\n11,2024-01-03,1\n"),
    );
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n3,13.00,4.33,,\n");
    assert!(run.stderr.contains("1 row repeats an id of column \"InvoiceNo\" (first: \"10\")"), "{run:?}");
}

#[test]
fn json_inputs_are_recognised_from_their_first_objects_too() {
    // Only the second object shows that "Type" holds statuses.
    let input = b"{\"date\":\"2024-01-02\",\"Type\":\"\",\"amount\":10}\n{\"date\":\"2024-01-03\",\"Type\":\"Refunded\",\"amount\":4}\n";
    let run = aov_in(&root(), &["report", "-", "--format", "csv", "--period", "all", "--status", "all"], Some(input));
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n2,14.00,7.00,,\n");
    assert!(
        run.stderr.contains("counted 2 deals with status \"(empty)\" 1, \"Refunded\" 1; every status counted"),
        "{run:?}"
    );
    // Quantity x unit price from JSON numbers, exact.
    let input = b"[{\"InvoiceDate\":\"2024-01-02\",\"Quantity\":3,\"UnitPrice\":0.1}]";
    let run = aov_in(&root(), &["report", "-", "--format", "csv", "--period", "all"], Some(input));
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n1,0.30,0.30,,\n");
}

#[test]
fn the_settings_file_can_turn_recognition_off() {
    let dir = std::env::temp_dir().join(format!("aov-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("aov.toml"), "layout = \"none\"\n").unwrap();
    let path = fixture("layouts/shopify_orders.csv");
    let run = aov_in(&dir, &["report", &path], None);
    assert!(run.fails(65).contains("column \"Total\": the amount is empty"), "{run:?}");
    // The flag wins over the file.
    let run =
        aov_in(&dir, &["report", &path, "--export-layout", "shopify", "--format", "csv", "--period", "all"], None);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n3,1934.50,644.83,,\n");
    // The key's new name, `export-layout`, reads the same; the old flag
    // name is now the chart's and no option of report.
    std::fs::write(dir.join("aov.toml"), "export-layout = \"none\"\n").unwrap();
    let run = aov_in(&dir, &["report", &path], None);
    assert!(run.fails(65).contains("column \"Total\": the amount is empty"), "{run:?}");
    let run = aov_in(&dir, &["report", &path, "--layout", "shopify"], None);
    assert!(run.fails(2).contains("--layout"), "{run:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
