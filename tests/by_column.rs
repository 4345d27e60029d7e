//! `--by COLUMN`: any header (or several) as a group in report, chart, quotes,
//! customers, sellers and sql, over fixtures/by_column.csv (12 deals by
//! hand: product with case and spacing variants and a blank, region,
//! Produktgrupp with å/ä/ö in mixed case) and fixtures/by_column_quotes.csv.
//!
//! The deals, by hand (seller alternates Eva, Olle from line 2):
//!   Widget 100 (Jan) + widget 300 (Jan) + 200 (Feb) + 150 + 125 (Mar) = 5 deals, 875
//!   Gadget 1000 + "  Gadget " 500 (Jan) + 700 (Feb) + 900 (Mar)      = 4 deals, 3100
//!   Gizmo 50 (Feb) + 75 (Mar)                                        = 2 deals, 125
//!   blank product 250 (Feb)                                          = 1 deal, 250
//!   Nord: 100, 1000, 50, 700, 75, 125 = 6 deals, 2050 (Eva 1800 / 3, Olle 250 / 3)
//!   Syd: 300, 500, 200, 250, 150, 900 = 6 deals, 2300 (Eva 1250 / 3, Olle 1050 / 3)
//!   Småförpackning 875 / 5, Storsäck 3100 / 4, Övrigt 50 + 250 + 75 = 375 / 3
//!   all: 12 deals, 4350, AOV 362.50

mod common;
use common::{aov, fixture};

fn deals() -> String {
    fixture("by_column.csv")
}

fn quotes() -> String {
    fixture("by_column_quotes.csv")
}

#[test]
fn report_by_product_folds_case_and_spacing_and_names_the_blank() {
    let run = aov(&["report", &deals(), "--by", "product", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "product,deals,total,aov,aov_change,aov_change_pct\n\
         Gadget,4,3100.00,775.00,,\n\
         Widget,5,875.00,175.00,,\n\
         (no product),1,250.00,250.00,,\n\
         Gizmo,2,125.00,62.50,,\n"
    );
    assert_eq!(run.stderr, "", "{run:?}");
}

#[test]
fn report_by_product_per_month_with_the_change() {
    let run = aov(&["report", &deals(), "--by", "product", "--format", "csv"]);
    // Gadget: 1500/2 = 750, then 700 (-50, -6.67 %), then 900 (+200, +28.57 %);
    // Widget: 400/2 = 200, 200 (0), 275/2 = 137.50 (-62.50, -31.25 % -> -31.3).
    assert_eq!(
        run.ok(),
        "product,period,deals,total,aov,aov_change,aov_change_pct\n\
         Gadget,2013-01,2,1500.00,750.00,,\n\
         Gadget,2013-02,1,700.00,700.00,-50.00,-6.7\n\
         Gadget,2013-03,1,900.00,900.00,200.00,28.6\n\
         Widget,2013-01,2,400.00,200.00,,\n\
         Widget,2013-02,1,200.00,200.00,0.00,0.0\n\
         Widget,2013-03,2,275.00,137.50,-62.50,-31.3\n\
         (no product),2013-02,1,250.00,250.00,,\n\
         Gizmo,2013-02,1,50.00,50.00,,\n\
         Gizmo,2013-03,1,75.00,75.00,25.00,50.0\n"
    );
}

#[test]
fn report_by_region_and_seller() {
    let run = aov(&["report", &deals(), "--by", "region,seller", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "region,seller,deals,total,aov,aov_change,aov_change_pct\n\
         Nord,Eva,3,1800.00,600.00,,\n\
         Syd,Eva,3,1250.00,416.67,,\n\
         Syd,Olle,3,1050.00,350.00,,\n\
         Nord,Olle,3,250.00,83.33,,\n"
    );
    // The other order names the columns in that order.
    let run = aov(&["report", &deals(), "--by", "seller,region", "--period", "all", "--format", "csv"]);
    assert!(
        run.ok().starts_with("seller,region,deals,total,aov,aov_change,aov_change_pct\nEva,Nord,3,1800.00,600.00,,\n")
    );
}

#[test]
fn report_by_a_swedish_header_in_json_and_tsv() {
    let run = aov(&["report", &deals(), "--by", "produktgrupp", "--period", "all", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    let got: Vec<(String, u64, String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["produktgrupp", "deals", "total", "aov", "aov_change", "aov_change_pct"]);
            (
                r["produktgrupp"].as_str().unwrap().to_string(),
                r["deals"].as_u64().unwrap(),
                r["total"].to_string(),
                r["aov"].to_string(),
            )
        })
        .collect();
    let want = [
        ("Storsäck", 4, "3100.00", "775.00"),
        ("Småförpackning", 5, "875.00", "175.00"),
        ("Övrigt", 3, "375.00", "125.00"),
    ];
    let want: Vec<(String, u64, String, String)> =
        want.iter().map(|(a, b, c, d)| (a.to_string(), *b, c.to_string(), d.to_string())).collect();
    assert_eq!(got, want);
    let run = aov(&["report", &deals(), "--by", "Produktgrupp", "--period", "quarter", "--format", "tsv"]);
    assert_eq!(
        run.ok(),
        "Produktgrupp\tperiod\tdeals\ttotal\taov\taov_change\taov_change_pct\n\
         Storsäck\t2013-Q1\t4\t3100.00\t775.00\t\t\n\
         Småförpackning\t2013-Q1\t5\t875.00\t175.00\t\t\n\
         Övrigt\t2013-Q1\t3\t375.00\t125.00\t\t\n"
    );
}

#[test]
fn markdown_jsonl_and_html_name_the_column() {
    let md = aov(&["report", &deals(), "--by", "region", "--period", "all", "--format", "markdown"]);
    assert!(md.ok().starts_with("| region | deals | total | aov |"), "{md:?}");
    assert!(md.ok().contains("| Syd | 6 | 2,300.00 | 383.33 |"), "{md:?}");
    assert!(md.ok().contains("| **Total** | **12** | **4,350.00** | **362.50** |"), "{md:?}");
    let jl = aov(&["report", &deals(), "--by", "region", "--period", "all", "--format", "jsonl"]);
    let first: serde_json::Value = serde_json::from_str(jl.ok().lines().next().unwrap()).unwrap();
    assert_eq!(first["region"], "Syd");
    assert_eq!(first["deals"], 6);
    let html = aov(&["report", &deals(), "--by", "region", "--period", "all", "--format", "html"]);
    assert!(html.ok().contains(">region</th>"), "{html:?}");
}

#[test]
fn table_by_product() {
    let run = aov(&["report", &deals(), "--by", "product", "--period", "all", "--color", "never"]);
    insta::assert_snapshot!("by_product_table", run.ok());
}

#[test]
fn customers_by_product_ranks_products_with_abc_class() {
    // Shares of 4350: Gadget 71.26 %, Widget 20.11 % (cum 91.38), the blank
    // 5.75 % (cum 97.13), Gizmo 2.87 %; A while the bigger hold under 80 %.
    // Days since the last deal to the data's last day (30 March): 15, 0,
    // 37, 21; no trend, as the 12 months before hold no deals.
    let run = aov(&["customers", &deals(), "--by", "product", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "rank,product,deals,total,aov,median,share_pct,cum_share_pct,class,first_deal,last_deal,days_since_last,trend\n\
         1,Gadget,4,3100.00,775.00,800.00,71.3,71.3,A,2013-01-20,2013-03-15,15,\n\
         2,Widget,5,875.00,175.00,150.00,20.1,91.4,A,2013-01-05,2013-03-30,0,\n\
         3,(no product),1,250.00,250.00,250.00,5.7,97.1,B,2013-02-21,2013-02-21,37,\n\
         4,Gizmo,2,125.00,62.50,62.50,2.9,100.0,C,2013-02-10,2013-03-09,21,\n"
    );
    let table = aov(&["customers", &deals(), "--by", "product"]);
    assert!(table.ok().contains("Class A: 2 of 4 product values bring 91.4 % of revenue."), "{table:?}");
    let run = aov(&["customers", &deals(), "--by", "product", "--register", &fixture("potential/register.csv")]);
    assert!(run.fails(2).contains("--register joins customers"), "{run:?}");
}

#[test]
fn sellers_by_region_puts_the_region_in_the_sellers_place() {
    // Customers by total: Beta 1650, Alfa 1425, Gamma 1275: all class A
    // (the bigger ones hold 0, 37.9 and 70.7 % of 4350). Medians: Syd
    // (250 + 300) / 2, Nord (100 + 125) / 2; vs_team against 362.50.
    let run = aov(&["sellers", &deals(), "--by", "region", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "region,deals,total,aov,median,customers,a_deals_pct,b_deals_pct,c_deals_pct,vs_team\n\
         Syd,6,2300.00,383.33,275.00,3,100.0,0.0,0.0,20.83\n\
         Nord,6,2050.00,341.67,112.50,2,100.0,0.0,0.0,-20.83\n"
    );
    let run = aov(&["sellers", &deals(), "--by", "customer"]);
    assert!(run.fails(2).contains("to rank customers use aov customers"), "{run:?}");
}

#[test]
fn quotes_by_region_and_by_region_and_seller() {
    // Nord (nord folded in): won 1000, lost 3000; Syd: won 500, lost 500,
    // open 800; the blank region: won 200.
    let run = aov(&["quotes", &quotes(), "--by", "region", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "region,quotes,won,lost,open,hit_rate_pct,won_value,lost_value,value_hit_rate_pct,won_aov,lost_aov,open_value\n\
         Nord,2,1,1,0,50.0,1000.00,3000.00,25.0,1000.00,3000.00,0.00\n\
         Syd,2,1,1,1,50.0,500.00,500.00,50.0,500.00,500.00,800.00\n\
         (no region),1,1,0,0,100.0,200.00,0.00,100.0,200.00,,0.00\n"
    );
    assert_eq!(run.stderr, "aov: counted 6 quotes (won 3, lost 2, open 1)\n");
    let run = aov(&["quotes", &quotes(), "--by", "region,seller", "--period", "all", "--format", "csv"]);
    let out = run.ok();
    assert!(out.starts_with("region,seller,quotes,"), "{run:?}");
    assert!(out.contains("\nNord,Olle,1,0,1,0,0.0,0.00,3000.00,0.0,,3000.00,0.00\n"), "{run:?}");
    assert!(out.contains("\nSyd,Eva,1,1,0,1,100.0,500.00,0.00,100.0,500.00,,800.00\n"), "{run:?}");
}

#[test]
fn chart_by_product_draws_a_line_per_product() {
    let run = aov(&["chart", &deals(), "--by", "product"]);
    let svg = run.ok();
    assert!(svg.contains("by product: by_column.csv, 2013-01 to 2013-03"), "{run:?}");
    for name in ["Gadget", "Widget", "Gizmo", "(no product)"] {
        assert!(svg.contains(&format!("\n{name}\n</text>")), "{name}: {run:?}");
    }
    assert!(!svg.contains("\nwidget\n"), "{run:?}");
    let run = aov(&["chart", &deals(), "--by", "region,seller"]);
    let svg = run.ok();
    assert!(svg.contains("by region and seller: by_column.csv"), "{run:?}");
    for name in ["Nord / Eva", "Nord / Olle", "Syd / Eva", "Syd / Olle"] {
        assert!(svg.contains(&format!("\n{name}\n</text>")), "{name}: {run:?}");
    }
}

#[test]
fn an_unknown_header_lists_the_headers() {
    // A column the file does not have is bad data for this file, as for
    // `explain --by` and `--amount-col`.
    for view in ["report", "customers", "sellers", "chart", "quotes"] {
        let file = if view == "quotes" { quotes() } else { deals() };
        let run = aov(&[view, &file, "--by", "kanal"]);
        let err = run.fails(65);
        assert!(err.contains("--by names the column \"kanal\", but the headers are: \"date\""), "{run:?}");
    }
}

#[test]
fn several_columns_at_once() {
    // Nord: Widget 100 + 125, Gadget 1000 + 700, Gizmo 50 + 75;
    // Syd: widget 300 + Widget 200 + 150, Gadget 500 + 900, the blank 250.
    let run = aov(&["report", &deals(), "--by", "region,product", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "region,product,deals,total,aov,aov_change,aov_change_pct\n\
         Nord,Gadget,2,1700.00,850.00,,\n\
         Syd,Gadget,2,1400.00,700.00,,\n\
         Syd,Widget,3,650.00,216.67,,\n\
         Syd,(no product),1,250.00,250.00,,\n\
         Nord,Widget,2,225.00,112.50,,\n\
         Nord,Gizmo,2,125.00,62.50,,\n"
    );
    // Three, with a seller between: Storsäck by Eva in Nord is 1000 + 700.
    let run = aov(&["report", &deals(), "--by", "produktgrupp,seller,region", "--period", "all", "--format", "csv"]);
    let out = run.ok();
    assert!(out.starts_with("produktgrupp,seller,region,deals,"), "{run:?}");
    assert!(out.contains("\nStorsäck,Eva,Nord,2,1700.00,850.00,,\n"), "{run:?}");
    assert!(out.contains("\nÖvrigt,Olle,Nord,2,125.00,62.50,,\n"), "{run:?}");
    assert_eq!(out.lines().count(), 10, "{run:?}");
    // A column that is also the status rule's: grouped by, and still read
    // as the status.
    let run = aov(&["quotes", &quotes(), "--by", "status", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "status,quotes,won,lost,open,hit_rate_pct,won_value,lost_value,value_hit_rate_pct,won_aov,lost_aov,open_value\n\
         Won,3,3,0,0,100.0,1700.00,0.00,100.0,566.67,,0.00\n\
         Lost,2,0,2,0,0.0,0.00,3500.00,0.0,,1750.00,0.00\n\
         Open,0,0,0,1,,0.00,0.00,,,,800.00\n"
    );
}

#[test]
fn refused_group_lists() {
    let run = aov(&["report", &deals(), "--by", "product,Product"]);
    assert!(run.fails(2).contains("--by names Product twice"), "{run:?}");
    let run = aov(&["report", &deals(), "--by", "period"]);
    assert!(run.fails(2).contains("the output has a period column of its own"), "{run:?}");
    let many: Vec<String> = (1..=17).map(|i| format!("c{i}")).collect();
    let many = many.join(",");
    let run = aov(&["report", &deals(), "--by", &many]);
    assert_eq!(
        run.fails(2),
        "aov: --by takes at most 16 columns besides customer and seller; \"c17\" is one too many\n"
    );
    let run = aov(&["customers", &deals(), "--by", "product,region"]);
    assert!(run.fails(2).contains("--by names one column here"), "{run:?}");
}

#[test]
fn the_counted_line_and_the_rows_are_unchanged() {
    let run = aov(&["report", &deals(), "--by", "product", "--period", "all", "-v"]);
    assert!(run.ok().contains("Rows: 12 read, 12 used, 0 filtered out, 0 rejected."), "{run:?}");
    assert!(run.stderr.contains("aov: counted 12 deals"), "{run:?}");
    // A filter leaves rows out as without --by.
    let run = aov(&["report", &deals(), "--by", "product", "--period", "all", "--seller", "eva", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "product,deals,total,aov,aov_change,aov_change_pct\n\
         Gadget,3,2600.00,866.67,,\n\
         Widget,3,450.00,150.00,,\n"
    );
}

#[test]
fn sql_groups_by_the_column_and_partials_read_it_back() {
    let text = aov(&["sql", "--dialect", "postgres", "--table", "deals", "--by", "product,seller"]).ok().to_string();
    assert!(text.contains("\"product\" AS \"product\""), "{text}");
    assert!(text.contains("GROUP BY day, \"product\", \"seller\""), "{text}");
    let text =
        aov(&["sql", "--dialect", "postgres", "--table", "deals", "--by", "region,customer,product"]).ok().to_string();
    assert!(text.contains("GROUP BY day, \"region\", \"customer\", \"product\""), "{text}");
    // Partials written by hand for fixtures/by_column.csv by product and
    // day, as the query returns them (the blank product is empty, as a
    // NULL is written in CSV).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.csv");
    std::fs::write(
        &path,
        "day,product,deals,total,credits,credit_total\n\
         2013-01-05,Widget,1,100.000000,0,0\n2013-01-12,widget,1,300.000000,0,0\n\
         2013-01-20,Gadget,1,1000.000000,0,0\n2013-01-28,Gadget,1,500.000000,0,0\n\
         2013-02-03,Widget,1,200.000000,0,0\n2013-02-10,Gizmo,1,50.000000,0,0\n\
         2013-02-14,Gadget,1,700.000000,0,0\n2013-02-21,,1,250.000000,0,0\n2013-03-02,Widget,1,150.000000,0,0\n\
         2013-03-09,Gizmo,1,75.000000,0,0\n2013-03-15,Gadget,1,900.000000,0,0\n\
         2013-03-30,Widget,1,125.000000,0,0\n",
    )
    .unwrap();
    let run =
        aov(&["report", "--partials", path.to_str().unwrap(), "--by", "product", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "product,deals,total,aov,aov_change,aov_change_pct\n\
         Gadget,4,3100.00,775.00,,\n\
         Widget,5,875.00,175.00,,\n\
         (no product),1,250.00,250.00,,\n\
         Gizmo,2,125.00,62.50,,\n"
    );
    // The same bytes as the report of the deals, per month too.
    for period in ["all", "month"] {
        let a =
            ["report", "--partials", path.to_str().unwrap(), "--by", "product", "--period", period, "--format", "csv"];
        let b = ["report", &deals(), "--by", "product", "--period", period, "--format", "csv"];
        assert_eq!(aov(&a).ok(), aov(&b).ok(), "{period}");
    }
}

#[test]
fn an_order_of_several_lines_is_grouped_by_its_first_line() {
    // Order A: Widget 10 + Gadget 20 = one deal of 30, under Widget.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.csv");
    std::fs::write(
        &path,
        "order,date,product,amount\nA,2013-01-01,Widget,10\nA,2013-01-01,Gadget,20\nB,2013-01-02,Gadget,5\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let run = aov(&["report", p, "--order-col", "order", "--by", "product", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "product,deals,total,aov,aov_change,aov_change_pct\nWidget,1,30.00,30.00,,\nGadget,1,5.00,5.00,,\n"
    );
}
