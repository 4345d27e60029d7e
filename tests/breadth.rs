//! End-to-end tests of `aov breadth` (issue 19: the coach's second lever,
//! the breadth of the offer). fixtures/lines.csv has six orders in 14
//! lines, worked out by hand:
//!
//! | order | month   | seller | customer  | lines | distinct products          | amount |
//! |-------|---------|--------|-----------|-------|----------------------------|--------|
//! | 1001  | 2013-01 | Eva    | Acme AB   | 3     | 2 (Chairs twice, as chairs) | 2400   |
//! | 1002  | 2013-01 | Olle   | Bolaget   | 1     | 1                          | 300    |
//! | 1003  | 2013-01 | Eva    | Acme AB   | 2     | 1 (Chairs twice)           | 1000   |
//! | 1004  | 2013-02 | Olle   | Cafe Nord | 4     | 4                          | 2000   |
//! | 1005  | 2013-02 | Eva    | Bolaget   | 3     | 2 (Lamps twice)            | 500    |
//! | 1006  | 2013-02 | Olle   | Acme AB   | 1     | 1                          | 700    |

mod common;
use common::{aov, aov_in, fixture};

fn lines() -> String {
    fixture("lines.csv")
}

#[test]
fn deals_per_breadth_over_the_whole_selection() {
    // One product: 300, 1000, 700 (3 of 6, AOV 2000/3, median 700); two:
    // 2400, 500 (AOV and median 1450); three: none; four or more: 2000.
    let run = aov(&["breadth", &lines(), "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "products,deals,share_pct,aov,median\n\
         1,3,50.0,666.67,700.00\n\
         2,2,33.3,1450.00,1450.00\n\
         3,0,0.0,,\n\
         4+,1,16.7,2000.00,2000.00\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn deals_per_breadth_per_month() {
    let run = aov(&["breadth", &lines(), "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "period,products,deals,share_pct,aov,median\n\
         2013-01,1,2,66.7,650.00,650.00\n\
         2013-01,2,1,33.3,2400.00,2400.00\n\
         2013-01,3,0,0.0,,\n\
         2013-01,4+,0,0.0,,\n\
         2013-02,1,1,33.3,700.00,700.00\n\
         2013-02,2,1,33.3,500.00,500.00\n\
         2013-02,3,0,0.0,,\n\
         2013-02,4+,1,33.3,2000.00,2000.00\n"
    );
}

#[test]
fn breadth_per_seller() {
    // Eva: 2400 (2), 1000 (1), 500 (2): 5/3 products, 2 of 3 multi, single
    // 1000, multi (2400 + 500) / 2. Olle: 300 (1), 2000 (4), 700 (1): 6/3,
    // 1 of 3, single (300 + 700) / 2, multi 2000.
    let run = aov(&["breadth", &lines(), "--by", "seller", "--period", "all", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "seller,deals,aov,avg_products,multi_product_pct,single_aov,multi_aov\n\
         Eva,3,1300.00,1.67,66.7,1000.00,1450.00\n\
         Olle,3,1000.00,2.00,33.3,500.00,2000.00\n"
    );
}

#[test]
fn breadth_per_customer_of_one_seller() {
    // Eva's deals: Acme AB 2400 (2) and 1000 (1); Bolaget 500 (2).
    let run = aov(&["breadth", &lines(), "--by", "customer", "--seller", "eva", "--period", "all", "-f", "csv"]);
    assert_eq!(
        run.ok(),
        "customer,deals,aov,avg_products,multi_product_pct,single_aov,multi_aov\n\
         Acme AB,2,1700.00,1.50,50.0,1000.00,2400.00\n\
         Bolaget,1,500.00,2.00,100.0,,500.00\n"
    );
    // Olle's six lines (1002, 1004 x 4, 1006) are left out by the filter.
    assert_eq!(run.stderr, "aov: counted 3 deals; left out 6 by --seller\n");
}

#[test]
fn json_carries_the_same_figures() {
    let run = aov(&["breadth", &lines(), "--by", "seller", "--period", "all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(v[0]["seller"], "Eva");
    assert_eq!(v[0]["avg_products"].to_string(), "1.67");
    assert_eq!(v[1]["multi_aov"].to_string(), "2000.00");
    assert_eq!(v[1]["single_aov"].to_string(), "500.00");
    let run = aov(&["breadth", &lines(), "--period", "all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(v[2]["products"], "3");
    assert_eq!(v[2]["aov"], serde_json::Value::Null);
    assert_eq!(v[3]["share_pct"].to_string(), "16.7");
}

#[test]
fn every_deal_one_row_is_breadth_one_said_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.csv"), "date,customer,Artikel,amount\n2013-01-02,A,x,10\n2013-01-03,B,y,30\n")
        .unwrap();
    let run = aov_in(dir.path(), &["breadth", "d.csv", "--period", "all", "-f", "csv"], None);
    assert_eq!(
        run.ok(),
        "products,deals,share_pct,aov,median\n1,2,100.0,20.00,20.00\n2,0,0.0,,\n3,0,0.0,,\n4+,0,0.0,,\n"
    );
    assert_eq!(
        run.stderr,
        "aov: note: every deal has one product, so breadth is 1 for all: each deal is one row (name the order id column with --order-col when rows are lines of orders)\n"
    );
}

#[test]
fn the_product_column_by_its_swedish_header_or_named() {
    let dir = tempfile::tempdir().unwrap();
    // Order 7: two lines of group Stolar and one of Bord (2 products);
    // order 8: one line (1).
    let csv = "Ordernr;Datum;Kund;Produktgrupp;Artikelgrupp;Belopp\n\
               7;2013-01-02;A;Stolar;S1;100\n7;2013-01-02;A;Stolar;S2;50\n7;2013-01-02;A;Bord;B1;250\n\
               8;2013-01-05;B;Bord;B1;200\n";
    std::fs::write(dir.path().join("o.csv"), csv).unwrap();
    let run = aov_in(dir.path(), &["breadth", "o.csv", "--period", "all", "-f", "csv"], None);
    assert_eq!(
        run.ok(),
        "products,deals,share_pct,aov,median\n1,1,50.0,200.00,200.00\n2,1,50.0,400.00,400.00\n3,0,0.0,,\n4+,0,0.0,,\n"
    );
    // By article instead, order 7 holds three.
    let run = aov_in(
        dir.path(),
        &["breadth", "o.csv", "--period", "all", "-f", "csv", "--product-col", "artikelgrupp"],
        None,
    );
    assert_eq!(
        run.ok(),
        "products,deals,share_pct,aov,median\n1,1,50.0,200.00,200.00\n2,0,0.0,,\n3,1,50.0,400.00,400.00\n4+,0,0.0,,\n"
    );
}

#[test]
fn no_product_column_is_bad_data_naming_the_flag() {
    let err = aov(&["breadth", &fixture("deals.csv")]).fails(65).to_string();
    assert!(err.contains("no product column found"), "{err}");
    assert!(err.contains("--product-col"), "{err}");
    let err = aov(&["breadth", &lines(), "--product-col", "Artikel"]).fails(65).to_string();
    assert!(err.contains("--product-col names the column \"Artikel\""), "{err}");
}

#[test]
fn lost_orders_and_rejected_lines_add_no_product() {
    let dir = tempfile::tempdir().unwrap();
    // Order 1 is lost (left out, 2 rows). Order 2's second line names
    // another customer: rejected, so order 2 keeps one product (Bord).
    let csv = "order_id,date,customer,status,product,amount\n\
               1,2013-01-02,A,lost,Stol,100\n1,2013-01-02,A,lost,Bord,100\n\
               2,2013-01-03,B,won,Bord,300\n2,2013-01-03,C,won,Stol,100\n\
               3,2013-01-04,B,won,Stol,100\n3,2013-01-04,B,won,Bord,500\n";
    std::fs::write(dir.path().join("s.csv"), csv).unwrap();
    let run = aov_in(dir.path(), &["breadth", "s.csv", "--period", "all", "-f", "csv", "--skip-bad-rows"], None);
    assert_eq!(
        run.ok(),
        "products,deals,share_pct,aov,median\n1,1,50.0,300.00,300.00\n2,1,50.0,600.00,600.00\n3,0,0.0,,\n4+,0,0.0,,\n"
    );
    assert!(run.stderr.contains("left out 2 (lost 2)"), "{}", run.stderr);
    assert!(run.stderr.contains("skipped 1 bad row"), "{}", run.stderr);
}

#[test]
fn an_order_of_two_sellers_is_one_deal_each_by_seller() {
    let dir = tempfile::tempdir().unwrap();
    // Order 5: Eva sells Stol and Bord, Olle Lampa: Eva's deal has two
    // products, Olle's one.
    let csv = "order_id,date,customer,seller,product,amount\n\
               5,2013-01-02,A,Eva,Stol,100\n5,2013-01-02,A,Olle,Lampa,40\n5,2013-01-02,A,eva,Bord,60\n";
    std::fs::write(dir.path().join("t.csv"), csv).unwrap();
    let run = aov_in(dir.path(), &["breadth", "t.csv", "--by", "seller", "--period", "all", "-f", "csv"], None);
    assert_eq!(
        run.ok(),
        "seller,deals,aov,avg_products,multi_product_pct,single_aov,multi_aov\n\
         Eva,1,160.00,2.00,100.0,,160.00\n\
         Olle,1,40.00,1.00,0.0,40.00,\n"
    );
    assert!(run.stderr.contains("1 order has lines of several sellers"), "{}", run.stderr);
}

#[test]
fn every_format_of_the_seller_view() {
    let args = |f: &'static str| {
        vec![
            "breadth".to_string(),
            lines(),
            "--by".into(),
            "seller".into(),
            "-p".into(),
            "all".into(),
            "-f".into(),
            f.into(),
        ]
    };
    let run = |f| {
        let a = args(f);
        aov(&a.iter().map(String::as_str).collect::<Vec<_>>()).ok().to_string()
    };
    assert_eq!(
        run("jsonl"),
        "{\"seller\":\"Eva\",\"deals\":3,\"aov\":1300.00,\"avg_products\":1.67,\"multi_product_pct\":66.7,\"single_aov\":1000.00,\"multi_aov\":1450.00}\n\
         {\"seller\":\"Olle\",\"deals\":3,\"aov\":1000.00,\"avg_products\":2.00,\"multi_product_pct\":33.3,\"single_aov\":500.00,\"multi_aov\":2000.00}\n"
    );
    assert_eq!(
        run("tsv"),
        "seller\tdeals\taov\tavg_products\tmulti_product_pct\tsingle_aov\tmulti_aov\n\
         Eva\t3\t1300.00\t1.67\t66.7\t1000.00\t1450.00\nOlle\t3\t1000.00\t2.00\t33.3\t500.00\t2000.00\n"
    );
    let md = run("markdown");
    assert!(
        md.starts_with("| seller | deals | aov | avg_products | multi_product_pct | single_aov | multi_aov |\n"),
        "{md}"
    );
    // English markdown groups thousands with a comma.
    assert!(md.contains("| Olle | 3 | 1,000.00 | 2.00 | 33.3 | 500.00 | 2,000.00 |\n"), "{md}");
    let html = run("html");
    assert!(html.contains("Offer breadth: lines.csv"), "{html}");
    assert!(html.contains("<td class=\"n\">1,000.00</td><td class=\"n\">1,450.00</td>"), "{html}");
    let table = run("table");
    assert!(
        table.contains(" Eva         3°   1,300.00           1.67                66.7     1,000.00    1,450.00\n"),
        "{table}"
    );
}

#[test]
fn order_lines_from_json() {
    let dir = tempfile::tempdir().unwrap();
    // Order 9: SKU A1 twice and B2 (2 products, 60); order 10: C3 (5).
    let json = r#"[
        {"order_id": "9", "date": "2013-05-02", "customer": "A", "sku": "A1", "amount": "10"},
        {"order_id": "9", "date": "2013-05-02", "customer": "A", "sku": "A1", "amount": "20"},
        {"order_id": "9", "date": "2013-05-03", "customer": "A", "sku": "B2", "amount": "30"},
        {"order_id": "10", "date": "2013-05-04", "customer": "B", "sku": "C3", "amount": "5"}
    ]"#;
    std::fs::write(dir.path().join("l.json"), json).unwrap();
    let run = aov_in(dir.path(), &["breadth", "l.json", "-f", "csv"], None);
    assert_eq!(
        run.ok(),
        "period,products,deals,share_pct,aov,median\n\
         2013-05,1,1,50.0,5.00,5.00\n2013-05,2,1,50.0,60.00,60.00\n2013-05,3,0,0.0,,\n2013-05,4+,0,0.0,,\n"
    );
}
