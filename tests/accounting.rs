//! Property tests of the row accounting and of splitting input: for random
//! files with good, bad and filtered rows, read = used + filtered + rejected,
//! the used rows are exactly the deals reported, and splitting the rows
//! over several files (or shuffling them) changes nothing.

mod common;
use common::{aov_in, root};
use proptest::prelude::*;

/// (day offset, customer, amount text); amounts sometimes bad.
fn rows() -> impl Strategy<Value = Vec<(u16, u8, String)>> {
    let amount = prop_oneof![
        6 => (-5_000i64..500_000).prop_map(|c| format!("{}.{:02}", c / 100, (c % 100).abs())),
        1 => Just("oops".to_string()),
    ];
    proptest::collection::vec((0u16..400, 0u8..4, amount), 1..60)
}

fn write(dir: &std::path::Path, name: &str, rows: &[(u16, u8, String)]) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2013, 1, 1).unwrap();
    let mut s = String::from("date,customer,amount\n");
    for (d, c, a) in rows {
        s.push_str(&format!("{},C{c},{a}\n", start + chrono::Days::new(u64::from(*d))));
    }
    let path = dir.join(name);
    std::fs::write(&path, s).unwrap();
    path.to_str().unwrap().to_string()
}

/// (read, used, filtered, rejected) from `--verbose`.
fn counts(stderr: &str) -> (u64, u64, u64, u64) {
    let line = stderr.lines().find(|l| l.starts_with("aov: rows: ")).expect("an accounting line");
    let n: Vec<u64> =
        line.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).map(|t| t.parse().unwrap()).collect();
    (n[0], n[1], n[2], n[3])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn every_row_is_used_filtered_or_rejected(rows in rows(), cut in 0usize..60, seed in any::<u64>()) {
        // A file whose rows in the date range are all bad or credit notes
        // leaves no deal, and skipping every row is bad data (status 65,
        // tested in tests/statuses.rs); here at least one deal is used.
        prop_assume!(rows.iter().any(|r| r.2 != "oops" && !r.2.starts_with('-') && (31..=333).contains(&r.0)));
        let dir = tempfile::tempdir().unwrap();
        let whole = write(dir.path(), "all.csv", &rows);
        let args = |files: &[&str]| {
            let mut a = vec!["report"];
            a.extend_from_slice(files);
            a.extend(["--by", "customer", "--period", "all", "--format", "csv", "--skip-bad-rows", "-v", "--from", "2013-02-01", "--to", "2013-11-30"]);
            a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
        };
        let run = |files: &[&str]| {
            let a = args(files);
            let r = aov_in(&root(), &a.iter().map(String::as_str).collect::<Vec<_>>(), None);
            assert_eq!(r.status, 0, "{r:?}");
            r
        };
        let one = run(&[&whole]);
        let (read, used, filtered, rejected) = counts(&one.stderr);
        prop_assert_eq!(read, rows.len() as u64);
        prop_assert_eq!(read, used + filtered + rejected);
        // A bad row that the date range leaves out is filtered, not
        // rejected (its date can be read): 2013-02-01 is day 31 and
        // 2013-11-30 day 333 after 2013-01-01.
        let bad = rows.iter().filter(|r| r.2 == "oops" && (31..=333).contains(&r.0)).count() as u64;
        prop_assert_eq!(rejected, bad);
        // The deals in the report are the rows used.
        let deals: u64 = one.stdout.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse::<u64>().unwrap()).sum();
        prop_assert_eq!(deals, used);

        // Split into two files, second part shuffled: the same report and counts.
        let cut = cut.min(rows.len());
        let mut second = rows[cut..].to_vec();
        let mut s = seed | 1;
        for i in (1..second.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            second.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let a = write(dir.path(), "a.csv", &rows[..cut]);
        let b = write(dir.path(), "b.csv", &second);
        let two = run(&[&a, &b]);
        prop_assert_eq!(&two.stdout, &one.stdout);
        prop_assert_eq!(counts(&two.stderr), (read, used, filtered, rejected));
    }
}
