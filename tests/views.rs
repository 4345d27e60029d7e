//! End-to-end tests of the views a sales manager acts from: customers,
//! sellers, distribution statistics, filters, windows, targets and the
//! cron exit status. fixtures/edge/crm.csv has eight deals whose names are
//! spelled several ways (letter case, a double space, NFD, a zero-width
//! space, a no-break space); every figure below was worked out by hand.
//! Most tests count every status and the credit note (`ALL`), so that
//! every deal plays a part; `closed_sales_only_by_default` shows the default.

mod common;
use common::{aov, fixture};

fn crm() -> String {
    fixture("edge/crm.csv")
}

/// Every status and the credit note count.
const ALL: [&str; 3] = ["--status", "all", "--include-credits"];

/// What was counted with `ALL`: 6 won (the credit note among them), 1 lost, 1 open.
const ALL_NOTE: &str = "aov: counted 8 deals with status \"won\" 6, \"lost\" 1, \"open\" 1; every status counted (--status all); 1 credit note counted (--include-credits)\n";

/// `args` with `ALL` after them.
fn all(args: &[&'static str]) -> Vec<&'static str> {
    args.iter().chain(ALL.iter()).copied().collect()
}

#[test]
fn closed_sales_only_by_default() {
    // Won and not below zero: 1000, 500 and 200 (Acme AB), 200 (Malmö Fisk),
    // 100 (Zeta HB): 2000 over 5 deals. Left out: the lost 300, the open
    // 400 and the won credit note of -50.
    let run = aov(&["report", &crm(), "--period", "all", "--format", "csv"]);
    assert_eq!(run.ok(), "deals,total,aov,aov_change,aov_change_pct\n5,2000.00,400.00,,\n");
    let line = "aov: counted 5 deals with status \"won\"; left out 2 (lost 1, open 1); --status all counts every status; left out 1 credit note totalling -50.00 (--include-credits counts them)\n";
    assert_eq!(run.stderr, line);
    // Every view says the same.
    for view in [&["customers"][..], &["sellers"], &["chart", "-o", "/dev/null"], &["explain", "--by", "customer"]] {
        let mut args = view.to_vec();
        args.insert(1, crm_static());
        let run = aov(&args);
        assert!(run.stderr.starts_with(line), "{view:?}: {run:?}");
    }
    // Customers: Acme AB 1700 of 2000 (85 %, A), Malmö Fisk 200 (85 % before it: B), Zeta HB 100 (95 % before: C).
    let run = aov(&["customers", &crm(), "--format", "csv"]);
    assert_eq!(
        run.ok(),
        // Days to the last deal day, 3 February; no deals a year before: no trend.
        "rank,customer,deals,total,aov,median,share_pct,cum_share_pct,class,first_deal,last_deal,days_since_last,trend\n\
         1,Acme AB,3,1700.00,566.67,500.00,85.0,85.0,A,2013-01-05,2013-01-20,14,\n\
         2,Malmö Fisk,1,200.00,200.00,200.00,10.0,95.0,B,2013-02-01,2013-02-01,2,\n\
         3,Zeta HB,1,100.00,100.00,100.00,5.0,100.0,C,2013-02-03,2013-02-03,0,\n"
    );
}

/// The fixture's path, for argument lists of `&'static str`.
fn crm_static() -> &'static str {
    Box::leak(crm().into_boxed_str())
}

#[test]
fn customers_are_ranked_with_shares_and_abc_classes() {
    let run = aov(&all(&["customers", crm_static(), "--format", "csv"]));
    // Acme AB: 1000 + 500 + 300 + 200 = 2000 of 2650 (75.47 %), median of 200 300 500 1000 = 400.
    // Zeta HB: 100 + 400 = 500 (18.87 %), 75.47 % before it: A. Malmö Fisk: 200 - 50: 94.34 % before: B.
    assert_eq!(
        run.ok(),
        // Days to 1 March: 11 + 28 + 1 = 40 from 20 January, 27 from 2 February.
        "rank,customer,deals,total,aov,median,share_pct,cum_share_pct,class,first_deal,last_deal,days_since_last,trend\n\
         1,Acme AB,4,2000.00,500.00,400.00,75.5,75.5,A,2013-01-05,2013-01-20,40,\n\
         2,Zeta HB,2,500.00,250.00,250.00,18.9,94.3,A,2013-02-03,2013-03-01,0,\n\
         3,Malmö Fisk,2,150.00,75.00,75.00,5.7,100.0,B,2013-02-01,2013-02-02,27,\n"
    );
    assert_eq!(run.stderr, ALL_NOTE, "{run:?}");
    let run = aov(&all(&["customers", crm_static(), "--top", "1"]));
    let text = run.ok();
    assert!(text.starts_with("Class A: 2 of 3 customers bring 94.3 % of revenue.\n"), "{text}");
    assert!(text.contains("Acme AB") && !text.contains("Zeta"), "{text}");
}

#[test]
fn sellers_show_their_customer_mix_and_distance_to_the_team() {
    let run = aov(&all(&["sellers", crm_static(), "--format", "csv"]));
    // Team: 2650 / 8 = 331.25. Eva: 2000 / 4 = 500, all with A customers.
    // Olle: 650 / 4 = 162.50, two deals with Acme (A), two with Malmö Fisk (B).
    assert_eq!(
        run.ok(),
        "seller,deals,total,aov,median,customers,a_deals_pct,b_deals_pct,c_deals_pct,vs_team\n\
         Eva,4,2000.00,500.00,450.00,2,100.0,0.0,0.0,168.75\n\
         Olle,4,650.00,162.50,200.00,2,50.0,50.0,0.0,-168.75\n"
    );
}

#[test]
fn names_fold_unless_case_sensitive() {
    let run = aov(&all(&[
        "report",
        crm_static(),
        "--by",
        "customer",
        "--period",
        "all",
        "--format",
        "csv",
        "--case-sensitive",
    ]));
    assert_eq!(
        run.ok(),
        "customer,deals,total,aov,aov_change,aov_change_pct\n\
         Acme AB,2,1200.00,600.00,,\nACME AB,1,500.00,500.00,,\nZeta HB,2,500.00,250.00,,\n\
         acme ab,1,300.00,300.00,,\nMalmö Fisk,2,150.00,75.00,,\n"
    );
}

#[test]
fn stats_add_the_distribution_columns() {
    let run = aov(&all(&["report", crm_static(), "--period", "all", "--stats", "--format", "csv"]));
    // Sorted: -50 100 200 200 300 400 500 1000. Median h=3.5 -> 250; p25 h=1.75 -> 100 + 0.75*100 = 175;
    // p75 h=5.25 -> 400 + 0.25*100 = 425; p90 h=6.3 -> 500 + 0.3*500 = 650; top 1000 / 2650 = 37.7 %.
    assert_eq!(
        run.ok(),
        "deals,total,aov,median,p25,p75,p90,min,max,top_deal_pct,aov_change,aov_change_pct\n\
         8,2650.00,331.25,250.00,175.00,425.00,650.00,-50.00,1000.00,37.7,,\n"
    );
}

#[test]
fn filters_are_counted_as_filtered() {
    let check = |extra: &[&str], want: &str, rows: &str| {
        let f = crm();
        let mut args = vec!["report", f.as_str(), "--period", "all", "--format", "csv", "-v"];
        args.extend_from_slice(extra);
        let run = aov(&args);
        assert_eq!(run.ok(), format!("deals,total,aov,aov_change,aov_change_pct\n{want}\n"), "{run:?}");
        assert!(run.stderr.ends_with(&format!("aov: rows: {rows}\n")), "{run:?}");
    };
    // Won and not below zero: 1000, 500, 200, 200, 100.
    check(&[], "5,2000.00,400.00,,", "8 read, 5 used, 3 filtered out, 0 rejected");
    check(&["--status", "won"], "5,2000.00,400.00,,", "8 read, 5 used, 3 filtered out, 0 rejected");
    check(
        &["--status", "won", "--include-credits"],
        "6,1950.00,325.00,,",
        "8 read, 6 used, 2 filtered out, 0 rejected",
    );
    // ... and the open 400.
    check(&["--status", "WON", "--status", "open"], "6,2400.00,400.00,,", "8 read, 6 used, 2 filtered out, 0 rejected");
    check(
        &["--status", "all", "--exclude-credits"],
        "7,2700.00,385.71,,",
        "8 read, 7 used, 1 filtered out, 0 rejected",
    );
    check(&all(&["--customer", "ACME ab"]), "4,2000.00,500.00,,", "8 read, 4 used, 4 filtered out, 0 rejected");
    check(
        &all(&["--seller", "eva", "--customer", "zeta hb"]),
        "2,500.00,250.00,,",
        "8 read, 2 used, 6 filtered out, 0 rejected",
    );
}

#[test]
fn last_and_complete_only_keep_a_window_of_periods() {
    let run = aov(&all(&["report", crm_static(), "--format", "csv", "--last", "2", "-v"]));
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-02,3,250.00,83.33,,\n2013-03,1,400.00,400.00,316.67,380.0\n"
    );
    assert!(run.stderr.ends_with("aov: rows: 8 read, 4 used, 4 filtered out, 0 rejected\n"), "{run:?}");
    let run = aov(&all(&["report", crm_static(), "--format", "csv", "--complete-only", "--as-of", "2013-03-15"]));
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-01,4,2000.00,500.00,,\n2013-02,3,250.00,83.33,-416.67,-83.3\n"
    );
    let run = aov(&all(&[
        "report",
        crm_static(),
        "--format",
        "csv",
        "--last",
        "1",
        "--complete-only",
        "--as-of",
        "2013-03-15",
    ]));
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2013-02,3,250.00,83.33,,\n");
    let run = aov(&["report", &crm(), "--period", "all", "--last", "1"]);
    assert!(run.fails(2).contains("use them with a --period other than all"), "{run:?}");
}

#[test]
fn target_gap_and_fail_below_for_cron() {
    let run = aov(&all(&["report", crm_static(), "--format", "csv", "--target", "300"]));
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct,target_gap\n\
         2013-01,4,2000.00,500.00,,,200.00\n2013-02,3,250.00,83.33,-416.67,-83.3,-216.67\n2013-03,1,400.00,400.00,316.67,380.0,100.00\n"
    );
    let run = aov(&all(&["report", crm_static(), "--format", "csv", "--fail-below", "500"]));
    assert_eq!(run.status, 3, "{run:?}");
    assert!(run.stdout.ends_with("2013-03,1,400.00,400.00,316.67,380.0\n"), "the report is still printed: {run:?}");
    assert!(
        run.stderr
            .ends_with("aov: the AOV of the last period is below 500.00:\naov:   all deals, 2013-03: AOV 400.00\n"),
        "{run:?}"
    );
    let run = aov(&all(&["report", crm_static(), "--format", "csv", "--fail-below", "400"]));
    assert_eq!(run.status, 0, "400 is not below 400: {run:?}");
    // With --by, any group's last period: Olle's last month (Feb) is 150 / 2 = 75.
    let run = aov(&all(&["report", crm_static(), "--by", "seller", "--format", "csv", "--fail-below", "100"]));
    assert_eq!(run.status, 3, "{run:?}");
    assert!(
        run.stderr.ends_with("aov: the AOV of the last period is below 100.00:\naov:   Olle, 2013-02: AOV 75.00\n"),
        "{run:?}"
    );
}

#[test]
fn the_table_footer_states_what_was_counted() {
    let run = aov(&["report", &crm(), "--status", "won", "--exclude-credits"]);
    assert!(
        run.ok().contains("AOV = total of the counted deals / their number; counted: status won, credit notes left out; rounded half away from zero.\n"),
        "{run:?}"
    );
}

// Issue 19: without a register, customers add days_since_last and a trend
// over fixtures/edge/trend.csv (as-of day: the last deal, 31 December 2013).

/// The customer, days_since_last and trend of each row, from every reader.
fn trend_columns(extra: &[&str]) -> Vec<(String, String, String)> {
    let file = fixture("edge/trend.csv");
    let mut out: Option<Vec<(String, String, String)>> = None;
    for reader in [&[][..], &["--no-fast-path"], &["--threads", "2", "--block-size", "64"]] {
        let mut args = vec!["customers", file.as_str(), "--format", "csv"];
        args.extend_from_slice(extra);
        args.extend_from_slice(reader);
        let run = aov(&args);
        let mut lines = run.ok().lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        let at = |name: &str| head.iter().position(|h| *h == name).unwrap();
        let (c, d, t) = (at("customer"), at("days_since_last"), at("trend"));
        let rows: Vec<(String, String, String)> = lines
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[c].to_string(), f[d].to_string(), f[t].to_string())
            })
            .collect();
        if let Some(first) = &out {
            assert_eq!(&rows, first, "{reader:?}");
        }
        out = Some(rows);
    }
    out.unwrap()
}

fn rows(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect()
}

#[test]
fn customers_show_days_since_the_last_deal_and_the_trend() {
    // --window 6m up to 31 Dec 2013: last window 1 Jul - 31 Dec, before it 1 Jan - 30 Jun.
    // Big AB: 300 + 0.25 against 1000 + 500.50: -1200.25 / 1500.50 = -79.99 %; 41 days from 20 Nov.
    // Old Ltd: 0 against 100 (its 700 of 2012 is older): -100 %; 333 days from 1 Feb.
    // Steady: 250 against 200: +25 %; 121 days from 1 Sep. New Co: nothing before: no trend.
    assert_eq!(
        trend_columns(&["--window", "6m"]),
        rows(&[
            ("Big AB", "41", "-80.0"),
            ("Old Ltd", "333", "-100.0"),
            ("Steady", "121", "25.0"),
            ("New Co", "0", ""),
        ])
    );
    // The default window is 12 months: 1 Jan - 31 Dec 2013 against 2012,
    // where only Old Ltd has a deal (700 on 31 Dec 2012): 100 against 700.
    assert_eq!(
        trend_columns(&[]),
        rows(&[("Big AB", "41", ""), ("Old Ltd", "333", "-85.7"), ("Steady", "121", ""), ("New Co", "0", "")])
    );
    // 90 days: 3 Oct - 31 Dec against 5 Jul - 2 Oct: Steady 0 against 250.
    assert_eq!(
        trend_columns(&["--window", "90d"]),
        rows(&[("Big AB", "41", ""), ("Old Ltd", "333", ""), ("Steady", "121", "-100.0"), ("New Co", "0", "")])
    );
}

#[test]
fn as_of_sets_the_end_of_the_trend_windows() {
    // --as-of 30 Sep 2013, 3 months: 1 Jul - 30 Sep against 31 Mar - 30 Jun.
    // Big AB: 300 against 500.50: -40.06 %; its last deal (20 Nov) is 51
    // days after the as-of day. New Co's (31 Dec) 92 days after.
    assert_eq!(
        trend_columns(&["--window", "3m", "--as-of", "2013-09-30"]),
        rows(&[("Big AB", "-51", "-40.1"), ("Old Ltd", "241", ""), ("Steady", "29", ""), ("New Co", "-92", "")])
    );
    let text =
        aov(&["customers", &fixture("edge/trend.csv"), "--window", "3m", "--as-of", "2013-09-30"]).ok().to_string();
    assert!(
        text.contains("Trend: 2013-07-01 to 2013-09-30 against 2013-03-31 to 2013-06-30; days since last deal to 2013-09-30 (--as-of).\n"),
        "{text}"
    );
}

#[test]
fn a_bad_window_is_a_usage_error() {
    for bad in ["12x", "0m", "m", "1.5m"] {
        let run = aov(&["customers", &fixture("edge/trend.csv"), "--window", bad]);
        assert_eq!(
            run.fails(2),
            format!(
                "aov: --window \"{bad}\" is not a window length; write a number and d, w, m or y, e.g. 12m or 90d\n"
            )
        );
    }
    let run = aov(&["customers", &fixture("edge/trend.csv"), "--window", "6m", "--register", "r.csv"]);
    assert!(run.fails(2).contains("cannot be used with"), "{run:?}");
}

#[test]
fn a_trend_window_reaching_before_last_is_warned_about() {
    // fixtures/deals.csv ends on 2014-12-30; --last 3 keeps October to
    // December 2014; a 2-month window before the last one starts on 31
    // August.
    let run = aov(&["customers", &fixture("deals.csv"), "--last", "3", "--window", "2m", "-f", "csv"]);
    assert_eq!(run.status, 0, "{run:?}");
    assert!(
        run.stderr.contains("aov: warning: the trend's earlier window starts on 2014-08-31, before the first day --last/--complete-only keeps (2014-10-01); its trend counts only the kept deals\n"),
        "{run:?}"
    );
    let run = aov(&["customers", &fixture("deals.csv"), "--last", "6", "--window", "1m", "-f", "csv"]);
    assert!(!run.stderr.contains("warning"), "{run:?}");
}
