//! The parallel reader must give byte-identical results to one thread and
//! to the general reader: on quoted line breaks, on block boundaries
//! falling anywhere, with bad rows, and on random files.

mod common;
use common::{aov, aov_in, fixture, root};
use proptest::prelude::*;

/// stdout, stderr and status of a run.
fn outcome(args: &[&str]) -> (String, String, i32) {
    let run = aov(args);
    (run.stdout, run.stderr, run.status)
}

fn same_everywhere(file: &str, extra: &[&str]) {
    let mut base = vec!["report", file];
    base.extend_from_slice(extra);
    let with = |more: &[&str]| {
        let mut a = base.clone();
        a.extend_from_slice(more);
        outcome(&a)
    };
    let general = with(&["--no-fast-path"]);
    assert_eq!(with(&["--threads", "1"]), general, "one thread");
    for block in ["16", "61", "100", "997", "65536"] {
        assert_eq!(with(&["--threads", "2", "--block-size", block]), general, "two threads, blocks of {block}");
        assert_eq!(with(&["--threads", "3", "--block-size", block]), general, "three threads, blocks of {block}");
    }
}

/// `same_everywhere` for any command (`customers`, `sellers`, `explain`).
fn view_same_everywhere(command: &str, file: &str, extra: &[&str]) {
    let mut base = vec![command, file];
    base.extend_from_slice(extra);
    let with = |more: &[&str]| {
        let mut a = base.clone();
        a.extend_from_slice(more);
        outcome(&a)
    };
    let general = with(&["--no-fast-path"]);
    assert_eq!(general.2, 0, "{command} {extra:?}: {general:?}");
    assert_eq!(with(&["--threads", "1"]), general, "{command} {extra:?}: one thread");
    for block in ["61", "997"] {
        for threads in ["2", "3"] {
            let got = with(&["--threads", threads, "--block-size", block]);
            assert_eq!(got, general, "{command} {extra:?}: {threads} threads, blocks of {block}");
        }
    }
}

#[test]
fn views_keeping_days_and_amounts_read_the_same_on_the_fast_path() {
    // Names in two spellings (folded together), two currencies, and
    // amounts too large for an i64 in millionths (kept as exact decimals).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("views.csv");
    let mut text = String::from("date,customer,seller,amount,currency\n");
    for i in 0..500u32 {
        let customer = match i % 7 {
            0 => "Acme AB".to_string(),
            1 => "ACME AB".to_string(),
            k => format!("\"Kund {k}, AB\""),
        };
        let seller = ["Eva", "Olle", "Åsa"][(i % 3) as usize];
        let amount = if i % 97 == 5 {
            format!("999999999999{}.9{}", i % 10, i % 10)
        } else {
            format!("{}.{:02}", i * 37 % 5000, i % 100)
        };
        let currency = if i % 11 == 0 { "eur" } else { "SEK" };
        let (month, day) = (i % 12 + 1, i % 28 + 1);
        text.push_str(&format!("2013-{month:02}-{day:02},{customer},{seller},{amount},{currency}\n"));
    }
    std::fs::write(&path, text).unwrap();
    let f = path.to_str().unwrap();
    view_same_everywhere("customers", f, &["--format", "csv"]);
    view_same_everywhere("customers", f, &["--format", "csv", "--last", "3"]);
    view_same_everywhere("sellers", f, &["--format", "csv"]);
    view_same_everywhere("sellers", f, &["--format", "csv", "--period", "quarter", "--last", "2"]);
    view_same_everywhere("report", f, &["--stats", "--format", "csv"]);
    view_same_everywhere("report", f, &["--stats", "--by", "seller", "--period", "quarter", "--format", "json"]);
    view_same_everywhere("explain", f, &["--by", "customer", "--format", "csv"]);
    view_same_everywhere("explain", f, &["--by", "customer", "--seller", "ÅSA", "--format", "csv"]);
    let crm = fixture("edge/crm.csv");
    view_same_everywhere("customers", &crm, &["--format", "csv"]);
    view_same_everywhere("sellers", &crm, &["--format", "csv", "--exclude-credits"]);
}

#[test]
fn quoted_line_breaks_and_crlf_on_every_block_boundary() {
    let f = fixture("edge/quoted.csv");
    same_everywhere(&f, &["--by", "customer", "--period", "month", "--format", "csv"]);
    same_everywhere(&f, &["--by", "seller,customer", "--period", "week"]);
    same_everywhere(&f, &["--period", "all", "--exclude-credits", "--customer", "acme ab", "--format", "json"]);
    // The reader's three ways of accumulating: per period only, per name
    // over the whole selection, and the general table.
    same_everywhere(&f, &["--period", "day", "--format", "csv"]);
    same_everywhere(&f, &["--by", "customer", "--period", "all", "--format", "csv"]);
    same_everywhere(&f, &["--by", "seller", "--period", "all", "--from", "2013-01-01", "--format", "csv"]);
}

#[test]
fn the_sample_file_and_the_shapes() {
    for (f, extra) in [
        ("deals.csv", &["--by", "customer", "--period", "quarter"][..]),
        ("deals.csv", &["--by", "seller", "--format", "csv", "--from", "2013-02-03", "--to", "2014-01-31"]),
        ("shapes/sv_excel.csv", &["--by", "customer", "--format", "csv"]),
        ("shapes/swiss.csv", &["--by", "seller", "--format", "csv"]),
        ("shapes/us_crm.csv", &["--format", "csv"]),
        ("edge/crm.csv", &["--by", "customer", "--status", "won", "--format", "csv"]),
        ("edge/negatives.csv", &["--format", "csv"]),
        ("edge/decided_late.csv", &["--format", "csv"]),
    ] {
        same_everywhere(&fixture(f), extra);
    }
}

#[test]
fn bad_rows_stop_the_same_way() {
    for f in ["edge/bad_amount.csv", "edge/mixed_decimals.csv", "edge/ambiguous_dates.csv"] {
        same_everywhere(&fixture(f), &["--format", "csv"]);
        same_everywhere(&fixture(f), &["--format", "csv", "--skip-bad-rows"]);
    }
    // Many bad rows: the first five in file order are shown.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many_bad.csv");
    let mut text = String::from("date,amount\n");
    for i in 0..400 {
        text.push_str(&if i % 7 == 3 {
            format!("2013-01-{:02},x{i}\n", i % 28 + 1)
        } else {
            format!("2013-01-{:02},{i}\n", i % 28 + 1)
        });
    }
    std::fs::write(&path, text).unwrap();
    same_everywhere(path.to_str().unwrap(), &["--format", "csv"]);
    let run = aov(&["report", path.to_str().unwrap(), "--threads", "2", "--block-size", "40"]);
    assert!(run.fails(65).ends_with(
        "aov: stopped after the first 5 bad rows; no report was made (--skip-bad-rows reports from the good rows)\n"
    ));
    assert!(
        run.stderr
            .starts_with(&format!("aov: {}:5: column \"amount\": cannot read \"x3\" as an amount\n", path.display())),
        "{run:?}"
    );
}

/// A random CSV file: names with delimiters, quotes and line breaks (and
/// stray quotes written as they come), amounts and dates in several shapes
/// (some bad, some ambiguous until a later row settles the column's style,
/// some naming a currency), ragged rows, CRLF or LF, blank lines.
fn random_csv() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "Acme AB",
        "ACME AB",
        "Bolt, HB",
        "Say \"hi\"",
        "Two\nlines",
        "Malmö",
        " Zeta ",
        "",
        "Norrlands Bygg och Anläggning Aktiebolag",
        "Norrlands Bygg och Anläggning  Aktiebolag",
        "A \"long\" name with quotes, over 31 bytes",
    ]);
    let amount = prop_oneof![
        8 => (-100_000i64..10_000_000).prop_map(|c| format!("{}.{:02}", c / 100, (c % 100).abs())),
        4 => (-1000i64..100_000).prop_map(|n| n.to_string()),
        1 => Just("abc".to_string()),
        1 => Just("1e3".to_string()),
        1 => Just("".to_string()),
        // Ambiguous until the column's style is settled, or settling it.
        2 => Just("1.234".to_string()),
        1 => Just("\"1,5\"".to_string()),
        1 => Just("\"1.234,56\"".to_string()),
        1 => Just("1.2.3".to_string()),
        // Currencies written in the amount.
        1 => Just("100 kr".to_string()),
        1 => Just("$5".to_string()),
    ];
    let date = prop_oneof![
        8 => (2011i32..2015, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => Just("2013-02-30".to_string()),
        1 => (1u32..29, 1u32..13).prop_map(|(d, m)| format!("{d:02}.{m:02}.2013")),
        // Day/month order: ambiguous, settling, impossible.
        1 => Just("03/04/2013".to_string()),
        1 => Just("13/04/2013".to_string()),
        1 => Just("04/13/2013".to_string()),
        1 => Just("31/02/2013".to_string()),
        1 => Just("2013-03-15T25:00:00".to_string()),
    ];
    // 0: a row as written; 1: a field too many; 2: a field too few; 3: a
    // stray quote written as it comes.
    let shape = prop_oneof![12 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)];
    let row = (date, name, amount, any::<bool>(), shape);
    (proptest::collection::vec(row, 0..80), any::<bool>(), 0u8..3).prop_map(|(rows, crlf, blank_every)| {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut s = format!("date,customer,amount{nl}");
        for (i, (date, name, amount, quote, shape)) in rows.iter().enumerate() {
            let needs = name.contains([',', '"', '\n']) || *quote;
            let name = if needs { format!("\"{}\"", name.replace('"', "\"\"")) } else { name.to_string() };
            match shape {
                1 => s.push_str(&format!("{date},{name},{amount},extra{nl}")),
                2 => s.push_str(&format!("{date},{name}{nl}")),
                3 if *quote => s.push_str(&format!("{date},\"Acme\" AB,{amount}{nl}")),
                3 => s.push_str(&format!("{date},TV 24\" screen,{amount}{nl}")),
                _ => s.push_str(&format!("{date},{name},{amount}{nl}")),
            }
            if blank_every > 0 && i % (blank_every as usize * 7) == 0 {
                s.push_str(nl);
            }
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_files_read_alike(text in random_csv(), block in 16usize..200, skip in any::<bool>(), shape in 0usize..3) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, &text).unwrap();
        let p = path.to_str().unwrap();
        let shape: &[&str] = match shape {
            0 => &["--by", "customer", "--period", "week"],
            1 => &["--by", "customer", "--period", "all"],
            _ => &["--period", "month"],
        };
        let mut args = vec!["report", p, "--format", "csv"];
        args.extend_from_slice(shape);
        if skip {
            args.push("--skip-bad-rows");
        }
        let run = |more: &[&str]| {
            let mut a = args.clone();
            a.extend_from_slice(more);
            let r = aov_in(&root(), &a, None);
            (r.stdout, r.stderr, r.status)
        };
        let general = run(&["--no-fast-path"]);
        let b = block.to_string();
        prop_assert_eq!(run(&["--threads", "2", "--block-size", &b]), general.clone());
        prop_assert_eq!(run(&["--threads", "1", "--block-size", &b]), general.clone());
        // Through a pipe: the same report, the same messages (but for the name).
        let mut piped = args.clone();
        piped[1] = "-";
        let r = aov_in(&root(), &piped, Some(text.as_bytes()));
        prop_assert_eq!((r.stdout, r.stderr.replace("<stdin>", p), r.status), general);
    }
}

/// A case the random test found: rows bad in their date before the row
/// that settles the decimal comma. Both readers name the dates (the
/// parallel reader used to name the amounts' decimal point instead).
#[test]
fn rows_before_the_decimal_style_is_settled_fail_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.csv");
    std::fs::write(
        &path,
        "date,customer,amount\r\n31/02/2013,Acme AB,0.00\r\n31/02/2013,Acme AB,0.00\r\n31/02/2013,Acme AB,10.00\r\n\
         2011-01-01,\"Acme AB\",1.234,extra\r\n2013-02-30,\"Norrlands Bygg\",10013\r\n2011-12-21, Zeta ,100 kr\r\n\
         2013-03-08,\"Say \"\"hi\"\"\",\"1.234,56\"\r\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let runs: Vec<common::Run> = [&[][..], &["--no-fast-path"], &["--threads", "2", "--block-size", "99"]]
        .iter()
        .map(|extra| {
            let mut args = vec!["report", p, "--period", "all"];
            args.extend_from_slice(extra);
            common::aov(&args)
        })
        .collect();
    let first = format!("aov: {p}:2: column \"date\": \"31/02/2013\" is not a day of the calendar\n");
    for run in &runs {
        assert_eq!(run.status, 65, "{run:?}");
        assert!(run.stderr.starts_with(&first), "{run:?}");
        assert_eq!(run.stderr, runs[0].stderr, "{run:?}");
    }
}

#[test]
fn sparse_days_over_years_move_the_per_name_grid_to_a_map_and_read_the_same() {
    // 2 500 customers, each with a deal on a day of January 2010 and one on
    // 2018-03-20: a grid of one accumulator per customer and day from its
    // first deal to its last holds about 2 500 x 2 990 = 7.5M slots with
    // 5 000 deals, so a worker that reads more than 4M slots' worth of
    // customers moves to a map (less than a third full). One thread moves;
    // with two, the 64 KiB blocks give one worker more than 4M slots and the
    // other fewer, so a map and a grid are merged.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sparse.csv");
    let mut text = String::from("date,customer,amount\n");
    for i in 0..2500u32 {
        text.push_str(&format!("2010-01-{:02},K{i},{}.50\n", i % 28 + 1, i % 900 + 1));
        text.push_str(&format!("2018-03-20,K{i},1.00\n"));
    }
    std::fs::write(&path, text).unwrap();
    let f = path.to_str().unwrap();
    let args = ["--by", "customer", "--period", "day", "--format", "csv"];
    same_everywhere(f, &args);
    let mut all = vec!["report", f];
    all.extend_from_slice(&args);
    let run = aov(&all);
    let out = run.ok();
    // K7: 8.50 on 2010-01-08 and 1.00 on 2018-03-20; nothing in between.
    let k7: Vec<&str> = out.lines().filter(|l| l.starts_with("K7,")).collect();
    assert_eq!(k7.len(), 2, "{k7:?}");
    assert!(k7[0].starts_with("K7,2010-01-08,1,8.50,8.50"), "{k7:?}");
    assert!(k7[1].starts_with("K7,2018-03-20,1,1.00,1.00"), "{k7:?}");
    // One row per deal: 5 000 rows and the header.
    assert_eq!(out.lines().count(), 5001);
}
