//! End-to-end tests of `aov customers --register` (issue 19: the coach's
//! first lever, customers with potential). fixtures/potential/deals.csv:
//! Acme AB 1000 + 500 (spelled "acme ab" once), Bolaget 3000, Cafe Nord
//! 200, Gone HB 300 + 100 (not in the register): 5100 in all.
//! fixtures/potential/register.csv (Swedish, `;`): "ACME  AB" 60 000,
//! Bolaget 5 000, Cafe Nord 10 000, Dala Trä 25 000 (no deals): 100 000.
//! By size: ACME AB (nothing before it) A; Dala Trä (60 % before) A; Cafe
//! Nord (85 %) B; Bolaget (95 %, not under) C.

mod common;
use common::{aov, fixture};

fn args(extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ["customers".to_string(), fixture("potential/deals.csv"), "--register".into()].to_vec();
    v.push(fixture("potential/register.csv"));
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn run(extra: &[&str]) -> common::Run {
    let a = args(extra);
    aov(&a.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn sales_beside_the_register_by_folded_name() {
    let r = run(&["--format", "csv"]);
    // 1500/60000, 0/25000, 200/10000, 3000/5000.
    assert_eq!(
        r.ok(),
        "customer,deals,total,potential,sales_per_potential,potential_class\n\
         ACME AB,2,1500.00,60000.00,0.0250,A\n\
         Dala Trä,0,0.00,25000.00,0.0000,A\n\
         Cafe Nord,1,200.00,10000.00,0.0200,B\n\
         Bolaget,1,3000.00,5000.00,0.6000,C\n\
         Gone HB,2,400.00,,,\n"
    );
    assert_eq!(
        r.stderr,
        format!(
            "aov: warning: 2 deals of 1 customer not in the register {}: \"Gone HB\"\n\
             aov: note: 1 register customer has no deals (listed with 0 deals)\n",
            fixture("potential/register.csv")
        )
    );
}

#[test]
fn the_table_names_the_under_worked_potential() {
    // Class A (ACME AB and Dala Trä) bring 1500 of 5100: 29.41... %.
    let out = run(&[]).ok().to_string();
    assert!(out.starts_with("Under-worked: 2 customers in potential class A bring 29.4 % of sales.\n"), "{out}");
    // The English table groups thousands with a comma.
    assert!(out.contains(" Dala Trä        0       0.00   25,000.00                0.0000   A\n"), "{out}");
    assert!(out.contains("potential: the register's \"Omsättning\""), "{out}");
}

#[test]
fn json_and_top() {
    let r = run(&["--format", "json", "--top", "2"]);
    let v: serde_json::Value = serde_json::from_str(r.ok()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[1]["customer"], "Dala Trä");
    assert_eq!(v[1]["deals"], 0);
    assert_eq!(v[0]["sales_per_potential"].to_string(), "0.0250");
}

#[test]
fn a_register_without_a_size_column_is_bad_data() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.csv"), "Kund,Ort\nAcme AB,Lund\n").unwrap();
    let reg = dir.path().join("r.csv").display().to_string();
    let err = aov(&["customers", &fixture("potential/deals.csv"), "--register", &reg]).fails(65).to_string();
    assert!(err.contains("no size column found in the register") && err.contains("--potential-col"), "{err}");
    std::fs::write(dir.path().join("r.csv"), "Kund,Storlek\nAcme AB,12\nacme ab,3\n").unwrap();
    let err = aov(&["customers", &fixture("potential/deals.csv"), "--register", &reg, "--potential-col", "storlek"])
        .fails(65)
        .to_string();
    assert!(err.contains("line 3: acme ab is in the register twice (also line 2)"), "{err}");
}

#[test]
fn potential_col_needs_a_register() {
    let err = aov(&["customers", &fixture("potential/deals.csv"), "--potential-col", "x"]).fails(2).to_string();
    assert!(err.contains("--register"), "{err}");
}

#[test]
fn sellers_share_of_deals_with_potential_class_a() {
    // Eva: Acme AB 1000 (A), Bolaget 3000 (C), Gone HB 300 and 100 (not in
    // the register): 1 of 4. Olle: acme ab 500 (A), Cafe Nord 200 (B): 1 of 2.
    let reg = fixture("potential/register.csv");
    let r = aov(&["sellers", &fixture("potential/deals.csv"), "--register", &reg, "--format", "csv"]);
    assert_eq!(
        r.ok(),
        "seller,deals,total,aov,median,customers,a_deals_pct,b_deals_pct,c_deals_pct,vs_team,potential_a_deals_pct\n\
         Eva,4,4400.00,1100.00,650.00,3,50.0,50.0,0.0,250.00,25.0\n\
         Olle,2,700.00,350.00,350.00,2,50.0,0.0,50.0,-500.00,50.0\n"
    );
    // Without a register the view is as before.
    let r = aov(&["sellers", &fixture("potential/deals.csv"), "--format", "csv"]);
    assert!(
        r.ok().starts_with("seller,deals,total,aov,median,customers,a_deals_pct,b_deals_pct,c_deals_pct,vs_team\n")
    );
}

#[test]
fn a_workbook_register_is_read_from_the_sheet_with_the_size_column() {
    // fixtures/shapes/deals.xlsx: the first sheet ("Info") has no such
    // column; "Affärer" has Kund and Ordervärde, and Holm, Karlsson & Co AB
    // on its rows 3 and 5 (one row per deal, so not a register).
    let err = aov(&[
        "customers",
        &fixture("potential/deals.csv"),
        "--register",
        &fixture("shapes/deals.xlsx"),
        "--potential-col",
        "Ordervärde",
    ])
    .fails(65)
    .to_string();
    assert!(err.contains("line 5: Holm, Karlsson & Co AB is in the register twice (also line 3)"), "{err}");
}

#[test]
fn sellers_share_of_class_a_deals_is_the_same_from_every_reader() {
    // The register's classes by size (100 000 in all): ACME AB 60 000 with
    // nothing before it (A), Dala Trä 25 000 with 60 % before (A), Cafe Nord
    // 10 000 with 85 % before (B), Bolaget 5 000 with 95 % before (C). Eva
    // has 1 of 4 deals with an A customer (25 %), Olle 1 of 2 (50 %).
    let reg = fixture("potential/register.csv");
    let deals = fixture("potential/deals.csv");
    for reader in [&[][..], &["--no-fast-path"], &["--threads", "2", "--block-size", "64"]] {
        let mut args = vec!["sellers", deals.as_str(), "--register", reg.as_str(), "--format", "csv"];
        args.extend_from_slice(reader);
        let run = aov(&args);
        let shares: Vec<String> =
            run.ok().lines().skip(1).map(|l| l.split(',').next_back().unwrap().to_string()).collect();
        assert_eq!(shares, ["25.0", "50.0"], "{reader:?}");
    }
}
