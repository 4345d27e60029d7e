//! End-to-end tests of `aov explain` over fixtures/edge/explain.csv, whose
//! decompositions were worked out by hand: February has two 1000 kr
//! licence deals and two 100 kr support deals (AOV 550); March one 800 kr
//! licence and three support deals (AOV 275).

mod common;
use common::{aov, fixture};

fn file() -> String {
    fixture("edge/explain.csv")
}

#[test]
fn by_any_column_with_mix_and_rate() {
    let run = aov(&["explain", &file(), "--by", "product", "--format", "csv"]);
    // Licens: w 1/2 -> 1/4: mix = -1/4 * (1000 + 800) / 2 = -225; rate = -200 * (1/2 + 1/4) / 2 = -75.
    // Support: w 1/2 -> 3/4 at 100: mix = +25. Sum -275 = 275 - 550.
    assert_eq!(
        run.ok(),
        "product,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
         Licens,2,1,1000.00,800.00,-225.00,-75.00,-300.00\n\
         Support,2,3,100.00,100.00,25.00,0.00,25.00\n\
         TOTAL,4,4,550.00,275.00,-200.00,-75.00,-275.00\n\
         MEDIAN,4,4,550.00,100.00,,,-450.00\n\
         WITHOUT_BASE_LARGEST,3,4,400.00,275.00,,,-125.00\n\
         WITHOUT_CURRENT_LARGEST,4,3,550.00,100.00,,,-450.00\n"
    );
}

#[test]
fn the_table_says_it_in_words() {
    let run = aov(&["explain", &file(), "--by", "product"]);
    let text = run.ok();
    assert!(text.starts_with("AOV 2013-03 against 2013-02, by product:\n"), "{text}");
    assert!(
        text.contains(
            // Without one of February's 1000s: 400 -> 275, -125 (-31.25 %), under half of -275.
            "AOV fell 275.00 (-50.0 %); the median went from 550.00 to 100.00: one deal of 1,000.00 with A on 2013-02-01 \
             was 45.5 % of 2013-02's total; without it AOV fell 31.3 %.\n\
             Of that: -200.00 because a larger share of deals fell in product values with a lower AOV (mix), \
             -75.00 because deals within each product were smaller (rate).\nLargest contributors: Licens (-300.00), Support (+25.00).\n"
        ),
        "{text}"
    );
}

#[test]
fn new_and_lost_customers_are_mix() {
    let run = aov(&["explain", &file(), "--by", "customer", "--format", "csv"]);
    // B is lost (-1/4 * 2000 / 2 = -250), E is new (+1/4 * 200 / 2 = +25), A's deal shrank (rate -50).
    assert_eq!(
        run.ok(),
        "customer,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
         B,1,0,1000.00,,-250.00,0.00,-250.00\n\
         A,1,1,1000.00,800.00,0.00,-50.00,-50.00\n\
         E,0,1,,100.00,25.00,0.00,25.00\n\
         C,1,1,100.00,100.00,0.00,0.00,0.00\n\
         D,1,1,100.00,100.00,0.00,0.00,0.00\n\
         TOTAL,4,4,550.00,275.00,-225.00,-50.00,-275.00\n\
         MEDIAN,4,4,550.00,100.00,,,-450.00\n\
         WITHOUT_BASE_LARGEST,3,4,400.00,275.00,,,-125.00\n\
         WITHOUT_CURRENT_LARGEST,4,3,550.00,100.00,,,-450.00\n"
    );
    let run = aov(&["explain", &file(), "--by", "customer", "--top", "2", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        "customer,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
         B,1,0,1000.00,,-250.00,0.00,-250.00\n\
         A,1,1,1000.00,800.00,0.00,-50.00,-50.00\n\
         other,2,3,100.00,100.00,25.00,0.00,25.00\n\
         TOTAL,4,4,550.00,275.00,-225.00,-50.00,-275.00\n\
         MEDIAN,4,4,550.00,100.00,,,-450.00\n\
         WITHOUT_BASE_LARGEST,3,4,400.00,275.00,,,-125.00\n\
         WITHOUT_CURRENT_LARGEST,4,3,550.00,100.00,,,-450.00\n"
    );
}

#[test]
fn one_seller_against_the_team() {
    let run = aov(&["explain", &file(), "--by", "customer", "--seller", "olle", "--format", "csv"]);
    // Team in March: A 800, C, D, E 100 (AOV 275). Olle: C, D, E (AOV 100).
    // A: w 1/4 -> 0 at 800: mix -200. C, D, E: w 1/4 -> 1/3 at 100: mix 100/12 = 8.33 each.
    assert_eq!(
        run.ok(),
        "customer,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
         A,1,0,800.00,,-200.00,0.00,-200.00\n\
         C,1,1,100.00,100.00,8.33,0.00,8.33\n\
         D,1,1,100.00,100.00,8.33,0.00,8.33\n\
         E,1,1,100.00,100.00,8.33,0.00,8.33\n\
         TOTAL,4,3,275.00,100.00,-175.00,0.00,-175.00\n\
         MEDIAN,4,3,100.00,100.00,,,0.00\n\
         WITHOUT_BASE_LARGEST,3,3,100.00,100.00,,,0.00\n\
         WITHOUT_CURRENT_LARGEST,4,2,275.00,100.00,,,-175.00\n"
    );
    let run = aov(&["explain", &file(), "--by", "customer", "--seller", "Olle"]);
    assert!(
        // Without the team's 800 its AOV is 100, as Olle's: the deal is named first.
        run.ok().contains(
            "Olle's AOV is 175.00 below the team's (-63.6 %); the median hardly moved (100.00 \u{2192} 100.00): \
             one deal of 800.00 with A on 2013-03-01 was 72.7 % of the team's total; without it AOV did not move.\n\
             Of that: -175.00 because Olle's deals go to customers with smaller orders (mix), nothing from rate.\n"
        ),
        "{run:?}"
    );
}

#[test]
fn json_has_segments_and_a_summary() {
    let run = aov(&["explain", &file(), "--by", "product", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(v["segments"].as_array().unwrap().len(), 2);
    assert_eq!(v["segments"][0]["product"], "Licens");
    assert_eq!(v["segments"][0]["mix"].to_string(), "-225.00");
    let s = &v["summary"];
    assert_eq!((s["base"].as_str(), s["current"].as_str()), (Some("2013-02"), Some("2013-03")));
    assert_eq!(
        [&s["base_aov"], &s["current_aov"], &s["change"], &s["change_pct"], &s["mix"], &s["rate"]]
            .map(|x| x.to_string()),
        ["550.00", "275.00", "-275.00", "-50.0", "-200.00", "-75.00"]
    );
}

#[test]
fn date_ranges_with_period_all() {
    let ranges = [
        "--base-from",
        "2013-02-01",
        "--base-to",
        "2013-02-28",
        "--current-from",
        "2013-03-01",
        "--current-to",
        "2013-03-31",
    ];
    let mut args = vec!["explain", "FILE", "--by", "product", "--period", "all", "--format", "csv"];
    args.extend(ranges);
    let f = file();
    args[1] = &f;
    let by_range = aov(&args);
    let by_month =
        aov(&["explain", &file(), "--by", "product", "--base", "2013-02", "--current", "2013-03", "--format", "csv"]);
    assert_eq!(by_range.ok(), by_month.ok());
    let run = aov(&["explain", &file(), "--by", "product", "--period", "all"]);
    assert!(run.fails(2).contains("with --period all, name the sides"), "{run:?}");
}

#[test]
fn empty_sides_and_bad_labels_are_clear_errors() {
    let run = aov(&["explain", &file(), "--by", "product", "--base", "2013-01", "--current", "2013-03"]);
    assert_eq!(run.fails(65), format!("aov: {}: 2013-01 has no deals, so there is nothing to compare\n", file()));
    let run = aov(&["explain", &file(), "--by", "product", "--base", "2013-13"]);
    assert_eq!(run.fails(2), "aov: --base 2013-13 is not a month label; write it as in the report, e.g. 2013-03\n");
    let run = aov(&["explain", &file(), "--by", "region"]);
    assert!(run.fails(65).contains("--by names the column \"region\", but the headers are:"), "{run:?}");
}

#[test]
fn a_name_keeps_its_most_frequent_spelling_over_every_period_not_only_the_compared_two() {
    // "Acme AB" 30 deals in January; "ACME AB" 5 in February and 4 in March:
    // the compared months (February, March) hold only cells of the second
    // spelling, yet the name is shown as the first, the most frequent overall.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spellings.csv");
    let mut text = String::from("date,customer,seller,amount\n");
    for i in 0..30 {
        text.push_str(&format!("2013-01-{:02},Acme AB,Eva,{}\n", i % 28 + 1, 100 + i));
    }
    for (month, days, first) in [("02", 5, 50), ("03", 4, 70)] {
        for i in 0..days {
            text.push_str(&format!("2013-{month}-{:02},ACME AB,Eva,{}\n", i + 1, first + i));
        }
    }
    for (month, first) in [("02", 25), ("03", 20)] {
        for i in 0..3 {
            text.push_str(&format!("2013-{month}-{:02},Bolt,Olle,{}\n", i + 1, first + i));
        }
    }
    std::fs::write(&path, text).unwrap();
    // Acme: 50..54 = 260 / 5 = 52, 70..73 = 286 / 4 = 71.50; w 5/8 -> 4/7:
    // mix = (4/7 - 5/8)(52 + 71.5)/2 = -3.31, rate = 19.5 (5/8 + 4/7)/2 = 11.67.
    // Bolt: 78 / 3 = 26 -> 63 / 3 = 21; w 3/8 -> 3/7: mix 1.26, rate -2.01.
    // Totals 338 / 8 = 42.25 -> 349 / 7 = 49.857.
    for extra in [&[][..], &["--no-fast-path"], &["--threads", "2", "--block-size", "64"]] {
        let mut args = vec!["explain", path.to_str().unwrap(), "--by", "customer", "--format", "csv"];
        args.extend_from_slice(extra);
        assert_eq!(
            aov(&args).ok(),
            "customer,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
             Acme AB,5,4,52.00,71.50,-3.31,11.67,8.36\n\
             Bolt,3,3,26.00,21.00,1.26,-2.01,-0.75\n\
             TOTAL,8,7,42.25,49.86,-2.05,9.66,7.61\n\
             MEDIAN,8,7,50.50,70.00,,,19.50\n\
             WITHOUT_BASE_LARGEST,7,7,40.57,49.86,,,9.29\n\
             WITHOUT_CURRENT_LARGEST,8,6,42.25,46.00,,,3.75\n",
            "{extra:?}"
        );
    }
}

// Issue 19: explain names the outliers. Three hand-worked fixtures of one
// seller (so mix is 0 and the change is all rate).

fn outlier(name: &str) -> String {
    fixture(&format!("edge/outlier-{name}.csv"))
}

/// The same csv from the general reader and the parallel one.
fn csv_by_every_reader(file: &str) -> String {
    let mut out = None;
    for extra in [&[][..], &["--no-fast-path"], &["--threads", "2", "--block-size", "64"]] {
        let mut args = vec!["explain", file, "--by", "seller", "--format", "csv"];
        args.extend_from_slice(extra);
        let run = aov(&args);
        let text = run.ok().to_string();
        if let Some(first) = &out {
            assert_eq!(&text, first, "{extra:?}");
        }
        out = Some(text);
    }
    out.unwrap()
}

#[test]
fn one_deal_in_the_base_accounts_for_most_of_the_change() {
    // November: 100, 2000 (Acme AB, 14 Nov), 120: AOV 740, median 120.
    // December: 110, 131: AOV 120.50, median (110 + 131) / 2 = 120.50.
    // Change -619.50 (-619.5 / 740 = -83.7 %). Without the 2000: AOV 110,
    // change +10.50 (+9.5 %): the sign turns, so that deal is named first.
    // Without December's 131: 110 - 740 = -630.
    assert_eq!(
        csv_by_every_reader(&outlier("base")),
        "seller,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
         Eva,3,2,740.00,120.50,0.00,-619.50,-619.50\n\
         TOTAL,3,2,740.00,120.50,0.00,-619.50,-619.50\n\
         MEDIAN,3,2,120.00,120.50,,,0.50\n\
         WITHOUT_BASE_LARGEST,2,2,110.00,120.50,,,10.50\n\
         WITHOUT_CURRENT_LARGEST,3,1,740.00,110.00,,,-630.00\n"
    );
    let text = aov(&["explain", &outlier("base"), "--by", "seller"]).ok().to_string();
    // 2000 / 2220 = 90.09 %; 131 / 241 = 54.36 %.
    let first = "AOV fell 619.50 (-83.7 %); the median hardly moved (120.00 \u{2192} 120.50): one deal of 2,000.00 \
                 with Acme AB on 2013-11-14 was 90.1 % of 2013-11's total; without it AOV rose 9.5 %.\n\
                 Of that: nothing from mix, -619.50 because sellers closed smaller deals than before (rate).\n";
    assert!(text.contains(first), "{text}");
    assert!(
        text.contains("Largest deal, 2013-11: 2,000.00 with Acme AB on 2013-11-14, 90.1 % of the total.\n"),
        "{text}"
    );
    assert!(text.contains("Largest deal, 2013-12: 131.00 with B on 2013-12-03, 54.4 % of the total.\n"), "{text}");
    let sv = aov(&["explain", &outlier("base"), "--by", "seller", "--lang", "sv"]).ok().replace('\u{a0}', " ");
    assert!(
        sv.contains(
            "Snittordervärdet sjönk 619,50 (\u{2212}83,7 %); medianen rörde sig knappt (120,00 \u{2192} 120,50): en affär \
             på 2 000,00 med Acme AB den 2013-11-14 var 90,1 % av totalen för 2013-11; utan den steg snittordervärdet 9,5 %.\n"
        ),
        "{sv}"
    );
}

#[test]
fn one_deal_in_the_current_side_accounts_for_most_of_the_change() {
    // November: 100, 100 (AOV 100); December: 100, 1000 (C, 5 Dec), 100
    // (AOV 400, median 100). Change +300 (+300 %); without the 1000 it is 0.
    // November's largest is the earlier of its two 100s (A, 3 Nov): without
    // it the change stays +300.
    assert_eq!(
        csv_by_every_reader(&outlier("current")),
        "seller,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
         Eva,2,3,100.00,400.00,0.00,300.00,300.00\n\
         TOTAL,2,3,100.00,400.00,0.00,300.00,300.00\n\
         MEDIAN,2,3,100.00,100.00,,,0.00\n\
         WITHOUT_BASE_LARGEST,1,3,100.00,400.00,,,300.00\n\
         WITHOUT_CURRENT_LARGEST,2,2,100.00,100.00,,,0.00\n"
    );
    let text = aov(&["explain", &outlier("current"), "--by", "seller"]).ok().to_string();
    assert!(
        text.contains(
            "AOV rose 300.00 (+300.0 %); the median hardly moved (100.00 \u{2192} 100.00): one deal of 1,000.00 with C \
             on 2013-12-05 was 83.3 % of 2013-12's total; without it AOV did not move.\n"
        ),
        "{text}"
    );
    assert!(text.contains("Largest deal, 2013-11: 100.00 with A on 2013-11-03, 50.0 % of the total.\n"), "{text}");
}

#[test]
fn without_a_dominating_deal_the_sentences_are_unchanged() {
    // November 100, 200, 300 (AOV 200); December 300, 400, 500 (AOV 400):
    // +200. Without 300: 150 -> +250; without 500: 350 -> +150. Neither is
    // under half of +200 or turns it, so no deal is named first.
    assert_eq!(
        csv_by_every_reader(&outlier("none")),
        "seller,base_deals,current_deals,base_aov,current_aov,mix,rate,effect\n\
         Eva,3,3,200.00,400.00,0.00,200.00,200.00\n\
         TOTAL,3,3,200.00,400.00,0.00,200.00,200.00\n\
         MEDIAN,3,3,200.00,400.00,,,200.00\n\
         WITHOUT_BASE_LARGEST,2,3,150.00,400.00,,,250.00\n\
         WITHOUT_CURRENT_LARGEST,3,2,200.00,350.00,,,150.00\n"
    );
    let text = aov(&["explain", &outlier("none"), "--by", "seller"]).ok().to_string();
    assert!(!text.contains("one deal of"), "{text}");
    let sentences: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("AOV rose")).collect();
    assert_eq!(
        sentences[..4],
        [
            "AOV rose 200.00 (+100.0 %): nothing from mix, +200.00 because sellers closed larger deals than before (rate).",
            "Largest contributors: Eva (+200.00).",
            "Largest deal, 2013-11: 300.00 with C on 2013-11-03, 50.0 % of the total.",
            "Largest deal, 2013-12: 500.00 with C on 2013-12-03, 41.7 % of the total.",
        ]
    );
}

#[test]
fn json_summary_carries_the_outliers() {
    let run = aov(&["explain", &outlier("base"), "--by", "seller", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    let s = &v["summary"];
    let get = |k: &str| s[k].to_string();
    assert_eq!(
        ["base_median", "current_median", "median_change", "base_aov_without_largest", "current_aov_without_largest"]
            .map(get),
        ["120.00", "120.50", "0.50", "110.00", "110.00"]
    );
    assert_eq!(
        [
            "change_without_base_largest",
            "change_pct_without_base_largest",
            "change_without_current_largest",
            "change_pct_without_current_largest"
        ]
        .map(get),
        // -630 / 740 = -85.14 %.
        ["10.50", "9.5", "-630.00", "-85.1"]
    );
    assert_eq!(s["base_largest"]["customer"], "Acme AB");
    assert_eq!(s["base_largest"]["date"], "2013-11-14");
    assert_eq!(s["base_largest"]["amount"].to_string(), "2000.00");
    assert_eq!(s["base_largest"]["share_pct"].to_string(), "90.1");
    assert_eq!(s["current_largest"]["customer"], "B");
    assert_eq!(s["one_deal_dominates"], "base");
    let none = aov(&["explain", &outlier("none"), "--by", "seller", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(none.ok()).unwrap();
    assert_eq!(v["summary"]["one_deal_dominates"], serde_json::Value::Null);
}

#[test]
fn the_outlier_lines_in_the_table_and_markdown() {
    for format in ["table", "markdown"] {
        let run = aov(&["explain", &outlier("base"), "--by", "seller", "--format", format]);
        insta::assert_snapshot!(format!("explain_outliers_{format}"), run.ok());
    }
}

#[test]
fn the_largest_deal_without_a_customer_column_reads_alike_in_both_readers() {
    // January: 100 and 50 (S); February: 70 (S) and 20 (T). No customer
    // column: the largest deal of January, 100 on 1 January, is with
    // "(no customer)" in every reader.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("nocust.csv");
    std::fs::write(&f, "date,seller,amount\n2024-01-01,S,100\n2024-01-05,S,50\n2024-02-01,S,70\n2024-02-03,T,20\n")
        .unwrap();
    let f = f.to_str().unwrap();
    let runs: Vec<_> = [&[][..], &["--no-fast-path"]]
        .iter()
        .map(|extra| {
            let mut args = vec!["explain", f, "--by", "seller", "--format", "json"];
            args.extend_from_slice(extra);
            aov(&args)
        })
        .collect();
    assert!(runs[0].ok().contains("\"customer\": \"(no customer)\""), "{:?}", runs[0]);
    assert_eq!(runs[0].ok(), runs[1].ok());
}
