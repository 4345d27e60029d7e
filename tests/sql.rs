//! `aov sql`: the partials query per dialect, as golden files (reviewed by
//! hand, in tests/snapshots), each parsed by the sqlparser crate in its own
//! dialect where it has one. Running the queries on real engines is
//! tests/differential (DuckDB, and PostgreSQL when CI has it).

mod common;
use common::aov;
use sqlparser::dialect::{
    BigQueryDialect, ClickHouseDialect, Dialect, DuckDbDialect, GenericDialect, PostgreSqlDialect, SnowflakeDialect,
    SparkSqlDialect,
};
use sqlparser::parser::Parser;

fn sql(args: &[&str]) -> String {
    let mut a = vec!["sql"];
    a.extend_from_slice(args);
    aov(&a).ok().to_string()
}

fn parser_for(dialect: &str) -> Box<dyn Dialect> {
    match dialect {
        "spark" => Box::new(SparkSqlDialect {}),
        "bigquery" => Box::new(BigQueryDialect {}),
        "snowflake" => Box::new(SnowflakeDialect {}),
        "postgres" => Box::new(PostgreSqlDialect {}),
        "duckdb" => Box::new(DuckDbDialect {}),
        "clickhouse" => Box::new(ClickHouseDialect {}),
        // sqlparser has no Trino dialect; its generic one reads ANSI SQL.
        _ => Box::new(GenericDialect {}),
    }
}

const DIALECTS: [&str; 7] = ["spark", "trino", "bigquery", "snowflake", "postgres", "duckdb", "clickhouse"];

#[test]
fn every_dialect_parses_in_its_own_dialect() {
    for d in DIALECTS {
        for extra in [
            &["--by", "customer"][..],
            &["--by", "customer,seller", "--currency-col", "valuta", "--from", "2013-01-01", "--to", "2013-06-30"],
            &["--order-col", "order_id", "--timezone", "Europe/Stockholm", "--by", "seller"],
        ] {
            let mut args = vec!["--dialect", d, "--table", "sales.deals"];
            args.extend_from_slice(extra);
            let text = sql(&args);
            let parsed = Parser::parse_sql(&*parser_for(d), &text);
            assert!(parsed.is_ok(), "{d} {extra:?}: {:?}\n{text}", parsed.err());
        }
    }
}

#[test]
fn golden_queries() {
    for d in DIALECTS {
        let text = sql(&[
            "--dialect",
            d,
            "--table",
            "sales.deals",
            "--by",
            "customer",
            "--currency-col",
            "currency",
            "--order-col",
            "order_id",
            "--date-col",
            "closed_at",
            "--timezone",
            "Europe/Stockholm",
            "--from",
            "2013-01-01",
        ]);
        insta::assert_snapshot!(format!("sql_{d}"), text);
    }
}

#[test]
fn a_bad_time_zone_is_a_usage_error() {
    let run = aov(&["sql", "--dialect", "postgres", "--table", "t", "--timezone", "Mars/Olympus"]);
    assert!(run.fails(2).contains("\"Mars/Olympus\" is not an IANA time zone name"), "{run:?}");
}

#[test]
fn partials_give_the_report_of_the_deals() {
    // Partials written by hand for fixtures/edge/small.csv, by customer and
    // day, as `aov sql --include-credits` makes them: with the credit note.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.csv");
    std::fs::write(
        &path,
        "day,customer,deals,total\n2013-01-05,Acme AB,1,100.000000\n2013-01-20,Acme AB,1,200.010000\n\
         2013-01-25,Bolt HB,1,50.000000\n2013-03-02,Acme AB,1,-30.000000\n2013-03-15,Bolt HB,1,1000.500000\n\
         2013-03-31,Bolt HB,1,0.005000\n2013-04-10,Acme AB,1,323.000000\n",
    )
    .unwrap();
    let small = common::fixture("edge/small.csv");
    for args in [
        &["--by", "customer", "--period", "month"][..],
        &["--period", "week"],
        &["--by", "customer", "--period", "all"],
    ] {
        for format in ["csv", "table", "json"] {
            let mut a = vec!["report", "--partials", path.to_str().unwrap(), "--format", format, "--include-credits"];
            a.extend_from_slice(args);
            let from_partials = aov(&a);
            let mut b = vec!["report", small.as_str(), "--format", format, "--include-credits"];
            b.extend_from_slice(args);
            assert_eq!(from_partials.ok(), aov(&b).ok(), "{args:?} {format}");
        }
    }
    let run = aov(&["report", "--partials", path.to_str().unwrap(), "--stats"]);
    assert!(run.fails(2).contains("--stats needs every amount"), "{run:?}");
    let run = aov(&["report", "--partials", path.to_str().unwrap(), "--by", "seller"]);
    assert!(run.fails(65).contains("a partials file needs the column \"seller\""), "{run:?}");
}

#[test]
fn partials_count_the_credit_notes_the_query_left_out() {
    // As the default query returns fixtures/edge/small.csv: the credit note
    // of 2013-03-02 counted apart, not in deals and total.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.csv");
    std::fs::write(
        &path,
        "day,customer,deals,total,credits,credit_total\n2013-01-05,Acme AB,1,100.000000,0,0\n\
         2013-01-20,Acme AB,1,200.010000,0,0\n2013-01-25,Bolt HB,1,50.000000,0,0\n\
         2013-03-02,Acme AB,0,0,1,-30.000000\n2013-03-15,Bolt HB,1,1000.500000,0,0\n\
         2013-03-31,Bolt HB,1,0.005000,0,0\n2013-04-10,Acme AB,1,323.000000,0,0\n",
    )
    .unwrap();
    let small = common::fixture("edge/small.csv");
    for format in ["csv", "table"] {
        let from_partials =
            aov(&["report", "--partials", path.to_str().unwrap(), "--by", "customer", "--format", format]);
        let from_deals = aov(&["report", small.as_str(), "--by", "customer", "--format", format]);
        assert_eq!(from_partials.ok(), from_deals.ok(), "{format}");
        assert_eq!(from_partials.stderr, from_deals.stderr, "{format}");
        assert_eq!(
            from_deals.stderr,
            "aov: counted 6 deals; left out 1 credit note totalling -30.00 (--include-credits counts them)\n"
        );
    }
}

#[test]
fn partials_and_include_credits_must_agree() {
    // Partials with a credits column left credit notes out; without one they
    // counted them: the flag must say the same.
    let with = common::fixture("partials.csv");
    let run = aov(&["report", "--partials", &with, "--include-credits"]);
    assert!(run.fails(2).contains("these partials leave credit notes out"), "{run:?}");
    let dir = tempfile::tempdir().unwrap();
    let without = dir.path().join("p.csv");
    std::fs::write(&without, "day,deals,total\n2013-01-05,1,100.00\n").unwrap();
    let run = aov(&["report", "--partials", without.to_str().unwrap()]);
    assert!(run.fails(2).contains("these partials count credit notes"), "{run:?}");
    let run = aov(&["report", "--partials", without.to_str().unwrap(), "--include-credits", "--format", "csv"]);
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2013-01,1,100.00,100.00,,\n");
}

const PERIODS: [&str; 6] = ["week", "month", "quarter", "half", "year", "all"];

#[test]
fn period_queries_parse_in_every_dialect() {
    for d in DIALECTS {
        for p in PERIODS {
            for extra in [
                &[][..],
                &["--by", "customer,seller", "--currency-col", "valuta", "--from", "2013-01-01", "--to", "2013-06-30"],
                &["--order-col", "order_id", "--timezone", "Europe/Stockholm", "--by", "region,product"],
            ] {
                let mut args = vec!["--dialect", d, "--table", "sales.deals", "--period", p];
                args.extend_from_slice(extra);
                let text = sql(&args);
                let parsed = Parser::parse_sql(&*parser_for(d), &text);
                assert!(parsed.is_ok(), "{d} {p} {extra:?}: {:?}\n{text}", parsed.err());
                assert!(text.contains(&format!("'{p}' AS period")), "{d} {p}: {text}");
                // Plain date arithmetic, never an engine's week numbering.
                let lower = text.to_lowercase();
                for f in ["week", "isodow", "dayofweek", "date_trunc", "tostartof", "trunc("] {
                    let bare = lower.replace("'week' as period", "").replace("per week", "");
                    assert!(!bare.contains(f), "{d} {p} uses {f}: {text}");
                }
            }
        }
    }
}

#[test]
fn golden_period_queries() {
    for d in DIALECTS {
        for p in ["month", "week"] {
            let text = sql(&[
                "--dialect",
                d,
                "--table",
                "sales.deals",
                "--by",
                "customer",
                "--currency-col",
                "currency",
                "--date-col",
                "closed_at",
                "--from",
                "2013-01-01",
                "--period",
                p,
            ]);
            insta::assert_snapshot!(format!("sql_{d}_{p}"), text);
        }
    }
}

/// fixtures/edge/small.csv per month, as `aov sql --period month` returns
/// it: the credit note of 2013-03-02 counted apart.
const MONTHS: &str = "day,period,deals,total,credits,credit_total\n2013-01-01,month,3,350.010000,0,0\n\
     2013-03-01,month,2,1000.505000,1,-30.000000\n2013-04-01,month,1,323.000000,0,0\n";

fn partials_file(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("p.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn month_partials_make_quarters_and_the_report_of_the_deals() {
    let dir = tempfile::tempdir().unwrap();
    let path = partials_file(&dir, MONTHS);
    // By hand: Q1 5 deals, 350.01 + 1000.505 = 1350.515, AOV 270.103;
    // Q2 323.00, a change of 52.897 (19.584%).
    let run = aov(&["report", "--partials", &path, "--period", "quarter", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-Q1,5,1350.52,270.10,,\n2013-Q2,1,323.00,323.00,52.90,19.6\n"
    );
    assert_eq!(
        run.stderr,
        "aov: counted 6 deals; left out 1 credit note totalling -30.00 (--include-credits counts them)\n"
    );
    let small = common::fixture("edge/small.csv");
    for period in ["month", "quarter", "half", "year", "all"] {
        for format in ["csv", "table", "json", "markdown"] {
            let a = aov(&["report", "--partials", &path, "--period", period, "--format", format]);
            let b = aov(&["report", &small, "--period", period, "--format", format]);
            assert_eq!(a.ok(), b.ok(), "{period} {format}");
        }
    }
    // Whole months of --from and --to are fine.
    let run = aov(&["report", "--partials", &path, "--from", "2013-03-01", "--to", "2013-03-31", "--format", "csv"]);
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2013-03,2,1000.51,500.25,,\n");
}

#[test]
fn partials_refuse_a_finer_period() {
    let dir = tempfile::tempdir().unwrap();
    let path = partials_file(&dir, MONTHS);
    for period in ["day", "week"] {
        let run = aov(&["report", "--partials", &path, "--period", period]);
        let err = run.fails(2);
        assert!(
            err.contains(&format!(
                "these partials are per month (their \"period\" column), too coarse for --period {period}"
            )),
            "{err}"
        );
    }
    // Weeks straddle months and years: week partials make weeks and all only.
    let weeks = partials_file(&dir, "day,period,deals,total\n2012-12-31,week,2,20.00\n2013-01-07,week,1,5.00\n");
    for period in ["month", "quarter", "year", "day"] {
        let run = aov(&["report", "--partials", &weeks, "--period", period, "--include-credits"]);
        assert!(run.fails(2).contains("these partials are per week"), "{period} {run:?}");
    }
    let run = aov(&["report", "--partials", &weeks, "--period", "all", "--include-credits", "--format", "csv"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n3,25.00,8.33,,\n");
    let run = aov(&["report", "--partials", &weeks, "--period", "week", "--include-credits", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-W01,2,20.00,10.00,,\n2013-W02,1,5.00,5.00,-5.00,-50.0\n"
    );
    // Quarters do not make months, nor halves quarters; all makes only all.
    let quarters = partials_file(&dir, "day,period,deals,total\n2013-01-01,quarter,1,10\n");
    assert!(aov(&["report", "--partials", &quarters, "--include-credits"]).fails(2).contains("per quarter"));
    let all = partials_file(&dir, "day,period,deals,total\n2013-02-03,all,1,10\n");
    assert!(aov(&["report", "--partials", &all, "--period", "year", "--include-credits"]).fails(2).contains("per all"));
}

#[test]
fn period_partials_refuse_what_they_cannot_give() {
    let dir = tempfile::tempdir().unwrap();
    let path = partials_file(&dir, MONTHS);
    // A --from inside a month: the query filters days, these hold months.
    let run = aov(&["report", "--partials", &path, "--from", "2013-01-15"]);
    assert!(run.fails(2).contains("--from must be the first day of a month and --to the last day of one"), "{run:?}");
    let run = aov(&["report", "--partials", &path, "--to", "2013-03-30"]);
    assert!(run.fails(2).contains("--from must be the first day of a month"), "{run:?}");
    // A day that does not start its period, a grain that changes, a word
    // that is no period: bad data, with the line.
    let bad = partials_file(&dir, "day,period,deals,total\n2013-01-01,month,1,10\n2013-02-02,month,1,10\n");
    let run = aov(&["report", "--partials", &bad, "--include-credits"]);
    assert!(run.fails(65).contains("2013-02-02 is not the first day of a month"), "{run:?}");
    let mixed = partials_file(&dir, "day,period,deals,total\n2013-01-01,month,1,10\n2013-01-07,week,1,10\n");
    let run = aov(&["report", "--partials", &mixed, "--include-credits", "--period", "all"]);
    assert!(run.fails(65).contains("one partials file holds one period"), "{run:?}");
    let word = partials_file(&dir, "day,period,deals,total\n2013-01-01,fortnight,1,10\n");
    let run = aov(&["report", "--partials", &word, "--include-credits"]);
    assert!(run.fails(65).contains("\"fortnight\" is not a period"), "{run:?}");
    // Old partials without the column, or with it blank, are per day.
    let days = partials_file(&dir, "day,period,deals,total\n2013-01-05,,1,10\n2013-01-09,day,1,20\n");
    let run = aov(&["report", "--partials", &days, "--include-credits", "--period", "week", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-W01,1,10.00,10.00,,\n2013-W02,1,20.00,20.00,10.00,100.0\n"
    );
}

#[test]
fn the_month_partials_fixture_is_small_csv_by_customer() {
    let path = common::fixture("partials-month.csv");
    let small = common::fixture("edge/small.csv");
    for period in ["month", "quarter", "year", "all"] {
        for format in ["csv", "table"] {
            let a = aov(&["report", "--partials", &path, "--by", "customer", "--period", period, "--format", format]);
            let b = aov(&["report", &small, "--by", "customer", "--period", period, "--format", format]);
            assert_eq!(a.ok(), b.ok(), "{period} {format}");
            assert_eq!(a.stderr, b.stderr, "{period} {format}");
        }
    }
}
