//! End-to-end tests of the views a sales manager acts from: customers,
//! sellers, distribution statistics, filters, windows, targets and the
//! cron exit status. fixtures/edge/crm.csv has eight deals whose names are
//! spelled several ways (letter case, a double space, NFD, a zero-width
//! space, a no-break space); every figure below was worked out by hand.

mod common;
use common::{aov, fixture};

fn crm() -> String {
    fixture("edge/crm.csv")
}

const STATUS_NOTE: &str =
    "has a status column (\"status\"); deals of every status are counted (choose with --status)\n";

#[test]
fn customers_are_ranked_with_shares_and_abc_classes() {
    let run = aov(&["customers", &crm(), "--format", "csv"]);
    // Acme AB: 1000 + 500 + 300 + 200 = 2000 of 2650 (75.47 %), median of 200 300 500 1000 = 400.
    // Zeta HB: 100 + 400 = 500 (18.87 %), 75.47 % before it: A. Malmö Fisk: 200 - 50: 94.34 % before: B.
    assert_eq!(
        run.ok(),
        "rank,customer,deals,total,aov,median,share_pct,cum_share_pct,class,first_deal,last_deal\n\
         1,Acme AB,4,2000.00,500.00,400.00,75.5,75.5,A,2013-01-05,2013-01-20\n\
         2,Zeta HB,2,500.00,250.00,250.00,18.9,94.3,A,2013-02-03,2013-03-01\n\
         3,Malmö Fisk,2,150.00,75.00,75.00,5.7,100.0,B,2013-02-01,2013-02-02\n"
    );
    assert!(run.stderr.ends_with(STATUS_NOTE), "{run:?}");
    let run = aov(&["customers", &crm(), "--top", "1"]);
    let text = run.ok();
    assert!(text.starts_with("Class A: 2 of 3 customers bring 94.3 % of revenue.\n"), "{text}");
    assert!(text.contains("Acme AB") && !text.contains("Zeta"), "{text}");
}

#[test]
fn sellers_show_their_customer_mix_and_distance_to_the_team() {
    let run = aov(&["sellers", &crm(), "--format", "csv"]);
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
    let run = aov(&["report", &crm(), "--by", "customer", "--period", "all", "--format", "csv", "--case-sensitive"]);
    assert_eq!(
        run.ok(),
        "customer,deals,total,aov,aov_change,aov_change_pct\n\
         Acme AB,2,1200.00,600.00,,\nACME AB,1,500.00,500.00,,\nZeta HB,2,500.00,250.00,,\n\
         acme ab,1,300.00,300.00,,\nMalmö Fisk,2,150.00,75.00,,\n"
    );
}

#[test]
fn stats_add_the_distribution_columns() {
    let run = aov(&["report", &crm(), "--period", "all", "--stats", "--format", "csv"]);
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
    check(&["--status", "won"], "6,1950.00,325.00,,", "8 read, 6 used, 2 filtered out, 0 rejected");
    check(&["--status", "WON", "--status", "open"], "7,2350.00,335.71,,", "8 read, 7 used, 1 filtered out, 0 rejected");
    check(&["--exclude-credits"], "7,2700.00,385.71,,", "8 read, 7 used, 1 filtered out, 0 rejected");
    check(&["--customer", "ACME ab"], "4,2000.00,500.00,,", "8 read, 4 used, 4 filtered out, 0 rejected");
    check(
        &["--seller", "eva", "--customer", "zeta hb"],
        "2,500.00,250.00,,",
        "8 read, 2 used, 6 filtered out, 0 rejected",
    );
}

#[test]
fn last_and_complete_only_keep_a_window_of_periods() {
    let run = aov(&["report", &crm(), "--format", "csv", "--last", "2", "-v"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-02,3,250.00,83.33,,\n2013-03,1,400.00,400.00,316.67,380.0\n"
    );
    assert!(run.stderr.ends_with("aov: rows: 8 read, 4 used, 4 filtered out, 0 rejected\n"), "{run:?}");
    let run = aov(&["report", &crm(), "--format", "csv", "--complete-only", "--as-of", "2013-03-15"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct\n2013-01,4,2000.00,500.00,,\n2013-02,3,250.00,83.33,-416.67,-83.3\n"
    );
    let run = aov(&["report", &crm(), "--format", "csv", "--last", "1", "--complete-only", "--as-of", "2013-03-15"]);
    assert_eq!(run.ok(), "period,deals,total,aov,aov_change,aov_change_pct\n2013-02,3,250.00,83.33,,\n");
    let run = aov(&["report", &crm(), "--period", "all", "--last", "1"]);
    assert!(run.fails(2).contains("use them with a --period other than all"), "{run:?}");
}

#[test]
fn target_gap_and_fail_below_for_cron() {
    let run = aov(&["report", &crm(), "--format", "csv", "--target", "300"]);
    assert_eq!(
        run.ok(),
        "period,deals,total,aov,aov_change,aov_change_pct,target_gap\n\
         2013-01,4,2000.00,500.00,,,200.00\n2013-02,3,250.00,83.33,-416.67,-83.3,-216.67\n2013-03,1,400.00,400.00,316.67,380.0,100.00\n"
    );
    let run = aov(&["report", &crm(), "--format", "csv", "--fail-below", "500"]);
    assert_eq!(run.status, 3, "{run:?}");
    assert!(run.stdout.ends_with("2013-03,1,400.00,400.00,316.67,380.0\n"), "the report is still printed: {run:?}");
    assert!(
        run.stderr
            .ends_with("aov: the AOV of the last period is below 500.00:\naov:   all deals, 2013-03: AOV 400.00\n"),
        "{run:?}"
    );
    let run = aov(&["report", &crm(), "--format", "csv", "--fail-below", "400"]);
    assert_eq!(run.status, 0, "400 is not below 400: {run:?}");
    // With --by, any group's last period: Olle's last month (Feb) is 150 / 2 = 75.
    let run = aov(&["report", &crm(), "--by", "seller", "--format", "csv", "--fail-below", "100"]);
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
