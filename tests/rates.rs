//! End-to-end tests of `--currency SEK --rates FILE`: deals in SEK, EUR,
//! JPY and NOK made one AOV in kronor. fixtures/rates/ holds the deals
//! and the same rates in each layout (plain CSV, the Riksbank's download,
//! the ECB's eurofxref-hist.csv). Every figure was worked out with
//! Python's fractions:
//! - 10.05 EUR on Saturday 2013-03-30 at Thursday's 8.5 = 85.425 exactly;
//!   March: 1000 + 85.425 = 1085.425 (printed 1085.43), AOV 542.7125.
//! - April (plain and Riksbank): 100 EUR on Easter Monday at 8.5 = 850,
//!   1234 JPY at 6.90 per 100 = 85.146, 200 NOK at 111.05 per 100 = 222.1:
//!   1157.246, AOV 385.7486.., change -156.9638.. (-28.92 %).
//! - April (ECB): JPY and NOK cross through the euro on 2013-04-02:
//!   8.35 / 120.45 -> 0.0693233707, 8.35 / 7.456 -> 1.1199034335 (10
//!   decimals, half away from zero): 1159.5257261438, AOV 386.5085..,
//!   change -156.20 (-28.8 %).

mod common;
use common::{aov, fixture};

fn deals() -> String {
    fixture("rates/deals.csv")
}

const HEADER: &str = "period,deals,total,aov,aov_change,aov_change_pct";

#[test]
fn plain_rates_make_one_currency() {
    let run = aov(&["report", &deals(), "--currency", "SEK", "--rates", &fixture("rates/plain.csv"), "-f", "csv"]);
    assert_eq!(run.ok(), format!("{HEADER}\n2013-03,2,1085.43,542.71,,\n2013-04,3,1157.25,385.75,-156.96,-28.9\n"));
    assert_eq!(
        run.stderr,
        "aov: converted 4 deals into SEK: 2 from EUR (rate of 2013-03-28), 1 from JPY (rate of 2013-03-28), 1 from NOK (rate of 2013-03-28)\n"
    );
}

#[test]
fn without_conversion_currencies_stay_apart() {
    let run = aov(&["report", &deals(), "-f", "csv"]);
    assert!(run.ok().starts_with("currency,period,"), "{run:?}");
}

#[test]
fn the_riksbank_download_gives_the_same() {
    let run = aov(&["report", &deals(), "--currency", "sek", "--rates", &fixture("rates/riksbank.csv"), "-f", "csv"]);
    assert_eq!(run.ok(), format!("{HEADER}\n2013-03,2,1085.43,542.71,,\n2013-04,3,1157.25,385.75,-156.96,-28.9\n"));
}

#[test]
fn the_ecb_file_crosses_through_the_euro() {
    let rates = fixture("rates/eurofxref-hist.csv");
    let run = aov(&["report", &deals(), "--currency", "SEK", "--rates", &rates, "-f", "csv"]);
    assert_eq!(run.ok(), format!("{HEADER}\n2013-03,2,1085.43,542.71,,\n2013-04,3,1159.53,386.51,-156.20,-28.8\n"));
    assert!(run.stderr.contains("1 from JPY (rate of 2013-04-02), 1 from NOK (rate of 2013-04-02)"), "{run:?}");
}

#[test]
fn a_deal_without_a_rate_in_reach_is_a_bad_row() {
    let late = fixture("rates/late.csv");
    let rates = fixture("rates/plain.csv");
    let run = aov(&["report", &late, "--currency", "SEK", "--rates", &rates]);
    let err = run.fails(65);
    assert!(
        err.contains(
            "late.csv:3: no EUR rate on 2013-04-20 or up to 7 days before it (the latest earlier one is of 2013-04-02)"
        ),
        "{run:?}"
    );
    assert!(
        err.contains("late.csv:4: the rates file has no GBP rate (to SEK); its deal date is 2013-04-21"),
        "{run:?}"
    );
    // Skipped and counted: only the 10 EUR of 2013-03-30 (at 8.5) is left.
    let run = aov(&["report", &late, "--currency", "SEK", "--rates", &rates, "--skip-bad-rows", "-f", "csv"]);
    assert_eq!(run.ok(), format!("{HEADER}\n2013-03,1,85.00,85.00,,\n"));
    assert!(run.stderr.contains("aov: warning: skipped 2 bad rows:"), "{run:?}");
}

#[test]
fn every_view_converts() {
    let rates = fixture("rates/plain.csv");
    let run = aov(&["customers", &deals(), "--currency", "SEK", "--rates", &rates, "-f", "csv"]);
    // Acme: 1085.425; Cirkel: 222.1; Bolt: 850 + 85.146 = 935.146.
    let out = run.ok();
    assert!(out.lines().nth(1).unwrap().starts_with("1,Acme AB,2,1085.43,"), "{run:?}");
    assert!(out.lines().nth(2).unwrap().starts_with("2,Bolt HB,2,935.15,"), "{run:?}");
    assert!(!out.contains("currency"), "{run:?}");
}

#[test]
fn currency_needs_rates_and_a_code() {
    let run = aov(&["report", &deals(), "--currency", "SEK"]);
    assert_eq!(run.status, 2, "{run:?}");
    let run = aov(&["report", &deals(), "--currency", "kronor", "--rates", &fixture("rates/plain.csv")]);
    assert!(run.fails(2).contains("is not a currency code"), "{run:?}");
    let run = aov(&["report", &deals(), "--currency", "EUR", "--rates", &fixture("rates/riksbank.csv")]);
    assert!(run.fails(65).contains("use it with --currency SEK"), "{run:?}");
    let run = aov(&["report", &deals(), "--currency", "SEK", "--rates", "no-such-rates.csv"]);
    run.fails(66);
}

#[test]
fn partials_convert_per_day_and_currency_exactly() {
    // The same deals as partials an engine made: the same report.
    let rates = fixture("rates/plain.csv");
    let partials = fixture("rates/partials.csv");
    let run = aov(&["report", "--partials", &partials, "--currency", "SEK", "--rates", &rates, "-f", "csv"]);
    assert_eq!(run.ok(), format!("{HEADER}\n2013-03,2,1085.43,542.71,,\n2013-04,3,1157.25,385.75,-156.96,-28.9\n"));
    assert!(run.stderr.contains("converted 4 deals into SEK: 2 from EUR (rate of 2013-03-28)"), "{run:?}");
    let run = aov(&["report", "--source", "postgresql://localhost/x", "t", "--currency", "SEK", "--rates", &rates]);
    assert!(run.fails(2).contains("convert in the query instead"), "{run:?}");
}

#[test]
fn converted_report_snapshot() {
    let rates = fixture("rates/plain.csv");
    let run =
        aov(&["report", &deals(), "--by", "customer", "--currency", "SEK", "--rates", &rates, "--color", "never"]);
    insta::assert_snapshot!("rates_table", run.ok());
}

#[test]
fn currency_and_rates_from_the_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("rates/plain.csv"), dir.path().join("kurser.csv")).unwrap();
    // A relative rates path is read from the settings file's folder.
    std::fs::write(dir.path().join("aov.toml"), "currency = \"SEK\"\nrates = \"kurser.csv\"\n").unwrap();
    let config = dir.path().join("aov.toml").display().to_string();
    let run = aov(&["report", &deals(), "--config", &config, "-f", "csv"]);
    assert_eq!(run.ok(), format!("{HEADER}\n2013-03,2,1085.43,542.71,,\n2013-04,3,1157.25,385.75,-156.96,-28.9\n"));
}

#[test]
fn an_output_that_is_the_rates_file_is_refused_and_the_rates_kept() {
    let dir = tempfile::tempdir().unwrap();
    let rates = dir.path().join("rates.csv");
    std::fs::copy(fixture("rates/plain.csv"), &rates).unwrap();
    let before = std::fs::read(&rates).unwrap();
    let r = rates.display().to_string();
    let run = aov(&["report", &deals(), "--currency", "SEK", "--rates", &r, "-o", &r]);
    assert!(run.fails(2).contains("is the --rates file: writing it would destroy it"), "{run:?}");
    let run = aov(&["report", &deals(), "--currency", "SEK", "--rates", &r, "--rejects", &r]);
    run.fails(2);
    assert_eq!(std::fs::read(&rates).unwrap(), before);
}

#[test]
fn an_endless_rates_file_ends_in_a_message() {
    let run = aov(&["report", &fixture("deals.csv"), "--currency", "SEK", "--rates", "/dev/zero"]);
    assert_eq!(run.fails(65), "aov: /dev/zero: the rates file is larger than 64 MiB: this is not a file of rates\n");
}
