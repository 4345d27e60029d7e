//! End-to-end tests of `aov report --yoy`: each period against the same
//! period a year earlier. fixtures/yoy.csv has seven deals; every figure
//! below was worked out by hand.

mod common;
use common::{aov, fixture};

#[test]
fn months_compared_with_the_same_month_last_year() {
    let run = aov(&["report", &fixture("yoy.csv"), "--yoy", "--from", "2013-01-01", "--format", "csv"]);
    // --from leaves 2012 out of the selection, so nothing is compared.
    assert!(run.ok().lines().skip(1).all(|l| l.ends_with(",,")), "{run:?}");

    let run = aov(&["report", &fixture("yoy.csv"), "--yoy", "--format", "csv"]);
    let out = run.ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "period,deals,total,aov,aov_change,aov_change_pct,aov_yoy_change,aov_yoy_change_pct");
    // 2012-02: Bolt's 40 on a leap day. 2012-03: 300 / 2 = 150.
    assert_eq!(lines[1], "2012-02,1,40.00,40.00,,,,");
    assert_eq!(lines[2], "2012-03,2,300.00,150.00,110.00,275.0,,");
    // 2013-02: 80 and 50, 130 / 2 = 65 against 2012-02's 40: +25, +62.5 %.
    assert_eq!(lines[13], "2013-02,2,130.00,65.00,,,25.00,62.5");
    // 2013-03: 200.01 / 2 = 100.005 against 65 (+35.005 -> 35.01, 53.85 %)
    // and against 150 a year earlier: -49.995 -> -50.00, -33.33 % -> -33.3.
    assert_eq!(lines[14], "2013-03,2,200.01,100.01,35.01,53.9,-50.00,-33.3");
    assert_eq!(lines.len(), 15);
}

#[test]
fn days_leave_the_leap_day_uncompared() {
    let run = aov(&["report", &fixture("yoy.csv"), "--yoy", "--by", "customer", "--period", "day", "-f", "csv"]);
    let out = run.ok();
    // Bolt's 2013-02-28 against 2012-02-28, which has no deals; its
    // 2012-02-29 has no year before at all.
    assert!(out.contains("Bolt HB,2012-02-29,1,40.00,40.00,,,,\n"), "{run:?}");
    assert!(out.contains("Bolt HB,2013-02-28,1,50.00,50.00,,,,\n"), "{run:?}");
}

#[test]
fn yoy_with_period_all_is_a_usage_error() {
    let run = aov(&["report", &fixture("yoy.csv"), "--yoy", "--period", "all"]);
    assert!(run.fails(2).contains("--yoy compares periods"), "{run:?}");
}

#[test]
fn yoy_in_every_format() {
    for format in ["table", "json", "markdown"] {
        let run = aov(&["report", &fixture("yoy.csv"), "--yoy", "--by", "customer", "--format", format]);
        insta::assert_snapshot!(format!("yoy_{format}"), run.ok());
    }
}

#[test]
fn last_year_is_compared_even_outside_the_window() {
    // --last 1 keeps 2013-03 alone, yet it is compared with 2012-03 (150).
    let run = aov(&["report", &fixture("yoy.csv"), "--yoy", "--last", "1", "-f", "csv"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct,aov_yoy_change,aov_yoy_change_pct\n2013-03,2,200.01,100.01,,,-50.00,-33.3\n"
    );
    // The last complete month before 2013-03-15 is 2013-02: 65 against 40.
    let args = ["report", &fixture("yoy.csv"), "--yoy", "--last", "1", "--complete-only", "--as-of", "2013-03-15"];
    let run = aov(&[&args[..], &["--by", "customer", "-f", "csv", "-v"]].concat());
    assert_eq!(
        run.ok(),
        "customer,period,deals,total,aov,aov_change,aov_change_pct,aov_yoy_change,aov_yoy_change_pct\nAcme AB,2013-02,1,80.00,80.00,,,,\nBolt HB,2013-02,1,50.00,50.00,,,10.00,25.0\n"
    );
    // The rows outside the window are still accounted for as filtered out.
    assert!(run.stderr.contains("aov: rows: 7 read, 2 used, 5 filtered out, 0 rejected"), "{run:?}");
}
