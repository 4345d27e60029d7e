//! Property tests of the invariants the report rests on, over random deals:
//! group totals add up to the grand total, deals add up to the rows used,
//! splitting or shuffling the input changes nothing, and every printed AOV
//! equals an integer-arithmetic reference rounded half away from zero.

use aov::aggregate::{Partials, Period, build};
use aov::model::Dimension;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// (customer index, day offset, amount in cents)
fn deals() -> impl Strategy<Value = Vec<(u8, u16, i64)>> {
    proptest::collection::vec((0u8..6, 0u16..800, -50_000i64..5_000_000), 0..200)
}

fn day(offset: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 11, 1).unwrap() + chrono::Days::new(u64::from(offset))
}

fn partials(rows: &[(u8, u16, i64)], period: Period) -> Partials {
    let mut p = Partials::new(period, 1);
    for (c, d, cents) in rows {
        let name = format!("C{c}");
        p.add(&[&name], "", day(*d), Decimal::new(*cents, 2)).unwrap();
    }
    p
}

/// Round total_cents / (100 n) to cents, half away from zero, with integers.
fn reference_aov(total_cents: i64, n: i64) -> String {
    let t = i128::from(total_cents);
    let n = i128::from(n);
    let q = (2 * t.abs() + n) / (2 * n);
    let q = if t < 0 { -q } else { q };
    let sign = if q < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", q.abs() / 100, q.abs() % 100)
}

proptest! {
    #[test]
    fn group_totals_add_up_to_the_grand_total(rows in deals(), p in prop::sample::select(Period::ALL.to_vec())) {
        let report = build(&partials(&rows, p), &[Dimension::Customer]).unwrap();
        let sums = aov::aggregate::report::sum_rows(&report);
        let cents: i64 = rows.iter().map(|r| r.2).sum();
        if rows.is_empty() {
            prop_assert!(report.totals.is_empty());
        } else {
            prop_assert_eq!(sums[""].0, rows.len() as u64);
            prop_assert_eq!(sums[""].1, Decimal::new(cents, 2));
            prop_assert_eq!(report.totals[0].total, Decimal::new(cents, 2));
            prop_assert_eq!(report.totals[0].deals, rows.len() as u64);
        }
    }

    #[test]
    fn splitting_and_shuffling_change_nothing(rows in deals(), cut in 0usize..200, seed in any::<u64>()) {
        let whole = build(&partials(&rows, Period::Week), &[Dimension::Customer]).unwrap();
        let cut = cut.min(rows.len());
        let mut shuffled = rows.clone();
        // a deterministic shuffle from the seed
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut left = partials(&shuffled[..cut], Period::Week);
        left.merge(partials(&shuffled[cut..], Period::Week)).unwrap();
        prop_assert_eq!(build(&left, &[Dimension::Customer]).unwrap(), whole);
    }

    #[test]
    fn every_aov_matches_an_integer_reference(rows in deals()) {
        let report = build(&partials(&rows, Period::Month), &[Dimension::Customer]).unwrap();
        for row in &report.rows {
            let cents: Vec<i64> = rows
                .iter()
                .filter(|(c, d, _)| format!("C{c}") == row.group[0] && Period::Month.label(Period::Month.key(day(*d))) == *row.period.as_ref().unwrap())
                .map(|r| r.2)
                .collect();
            prop_assert_eq!(row.deals, cents.len() as u64);
            let printed = row.aov.as_ref().unwrap().round(2).to_string();
            prop_assert_eq!(printed, reference_aov(cents.iter().sum(), cents.len() as i64));
        }
    }
}

#[test]
fn reference_rounding_is_half_away_from_zero() {
    assert_eq!(reference_aov(2001, 2), "10.01"); // 10.005
    assert_eq!(reference_aov(-2001, 2), "-10.01");
    assert_eq!(reference_aov(1, 3), "0.00");
    assert_eq!(reference_aov(-1, 3), "0.00");
}

proptest! {
    /// The mix/rate decomposition has no residual: the effects add up to
    /// the AOV change exactly, whatever the segments and amounts.
    #[test]
    fn explain_effects_add_up_to_the_change_exactly(
        base in proptest::collection::vec((0u8..5, -10_000i64..1_000_000), 1..60),
        current in proptest::collection::vec((0u8..5, -10_000i64..1_000_000), 1..60),
    ) {
        use aov::aggregate::explain::{explain, segments_from};
        let names = ["A", "B", "C", "D", "E"];
        let b: Vec<(&str, Decimal)> = base.iter().map(|(s, c)| (names[*s as usize], Decimal::new(*c, 2))).collect();
        let c: Vec<(&str, Decimal)> = current.iter().map(|(s, c)| (names[*s as usize], Decimal::new(*c, 2))).collect();
        let e = explain("", &segments_from(&b, &c)).unwrap();
        let zero = aov::aggregate::Ratio::from_int(0);
        let effects = e.rows.iter().fold(zero.clone(), |s, r| s.add(&r.effect));
        prop_assert_eq!(&effects, &e.summary.change);
        prop_assert_eq!(e.summary.mix.add(&e.summary.rate), e.summary.change.clone());
        let b_total: i64 = base.iter().map(|x| x.1).sum();
        let c_total: i64 = current.iter().map(|x| x.1).sum();
        let want = aov::aggregate::Ratio::mean(Decimal::new(c_total, 2), current.len() as u64).unwrap()
            .sub(&aov::aggregate::Ratio::mean(Decimal::new(b_total, 2), base.len() as u64).unwrap());
        prop_assert_eq!(e.summary.change, want);
    }
}

/// Round `thousandths / 1000 / n` to cents, half away from zero.
fn cents_of(thousandths: i128, n: i128) -> String {
    let q = (2 * 10 * thousandths.abs() + 100 * n) / (2 * 100 * n);
    let q = if thousandths < 0 { -q } else { q };
    let sign = if q < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", q.abs() / 100, q.abs() % 100)
}

/// A delimited file whose good rows' amounts are known exactly, written in
/// one decimal style (some of them ambiguous on their own, `1.234`), mixed
/// with rows that are refused and show the other style: ragged rows, and
/// amounts that are no amount in either style. Returns the text, the good
/// rows' total in thousandths, their count and the count of refused rows.
fn styled_file() -> impl Strategy<Value = (String, i128, i128, usize)> {
    // (kind, whole part, thousandths): kind 0 plain, 1 ambiguous, 2 ragged
    // with the other style, 3 a bad amount, 4 a bad date beside an amount
    // in the other style.
    let kind = prop_oneof![6 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8), 1 => Just(4u8)];
    let row = (kind, 0i64..100_000, 0i64..1000);
    (any::<bool>(), proptest::collection::vec(row, 1..60)).prop_map(|(comma, rows)| {
        let (d, sep, other) = if comma { (';', ',', '.') } else { (',', '.', ',') };
        let mut text = format!("date{d}customer{d}amount\n");
        let (mut total, mut good, mut bad) = (0i128, 0i128, 0usize);
        for (i, (kind, whole, frac)) in rows.iter().enumerate() {
            let date = format!("2014-0{}-1{}", i % 9 + 1, i % 10);
            let q = |s: String| if s.contains(d) { format!("\"{s}\"") } else { s };
            match kind {
                0 => {
                    // whole.frac written with two decimals (frac / 10 cents)
                    let cents = frac / 10;
                    text.push_str(&format!("{date}{d}C{d}{}\n", q(format!("{whole}{sep}{cents:02}"))));
                    total += i128::from(whole * 1000 + cents * 10);
                    good += 1;
                }
                1 => {
                    // "1.234": in point style 1.234, in comma style 1234
                    let (a, b) = (whole % 999 + 1, frac);
                    text.push_str(&format!("{date}{d}C{d}{}\n", q(format!("{a}.{b:03}"))));
                    total += if comma { i128::from((a * 1000 + b) * 1000) } else { i128::from(a * 1000 + b) };
                    good += 1;
                }
                2 => {
                    text.push_str(&format!("{date}{d}C{d}{}{d}extra\n", q(format!("{whole}{other}5"))));
                    bad += 1;
                }
                3 => {
                    text.push_str(&format!("{date}{d}C{d}{}\n", q(format!("{whole}{other}5{sep}5{other}5"))));
                    bad += 1;
                }
                _ => {
                    text.push_str(&format!("2014-02-30{d}C{d}{}\n", q(format!("{whole}{other}5"))));
                    bad += 1;
                }
            }
        }
        (text, total, good, bad)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// With --skip-bad-rows, both readers, from a file and a pipe, give the
    /// total worked out from the rows as written: no refused row settles
    /// the column's decimal style.
    #[test]
    fn refused_rows_settle_no_style_in_either_reader((text, total, good, bad) in styled_file(), block in 16usize..300) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, &text).unwrap();
        let p = path.to_str().unwrap();
        let want = if good == 0 {
            "deals,total,aov,aov_change,aov_change_pct\n".to_string()
        } else {
            format!("deals,total,aov,aov_change,aov_change_pct\n{good},{},{},,\n", cents_of(total, 1), cents_of(total, good))
        };
        let b = block.to_string();
        for extra in [&["--no-fast-path"][..], &["--threads", "2", "--block-size", &b], &["--threads", "1"]] {
            let mut args = vec!["report", p, "--period", "all", "--format", "csv", "--skip-bad-rows"];
            args.extend_from_slice(extra);
            let run = assert_cmd::Command::cargo_bin("aov").unwrap().args(&args).output().unwrap();
            let stdout = String::from_utf8_lossy(&run.stdout);
            let stderr = String::from_utf8_lossy(&run.stderr);
            // Every row bad: nothing is left to report, which is bad data.
            let all_bad = good == 0 && bad > 0;
            prop_assert_eq!(run.status.code(), Some(if all_bad { 65 } else { 0 }), "{}", stderr);
            if good > 0 {
                prop_assert_eq!(stdout.as_ref(), want.as_str(), "{:?}", extra);
            }
            if all_bad {
                let every = format!("every row that would count is bad ({bad} bad row");
                prop_assert!(stderr.contains(&every), "{}", stderr);
            } else if bad > 0 {
                let skipped = format!("skipped {bad} bad row");
                prop_assert!(stderr.contains(&skipped), "{}", stderr);
            }
        }
        let mut piped = assert_cmd::Command::cargo_bin("aov").unwrap();
        piped.args(["report", "-", "--period", "all", "--format", "csv", "--skip-bad-rows"]).write_stdin(text.clone());
        let run = piped.output().unwrap();
        if good > 0 {
            let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
            prop_assert_eq!(stdout, want, "pipe");
        }
    }
}

/// Spellings of a channel column: case, spacing, å/ö, and a blank.
const KANAL: [&str; 8] = ["Webb", "webb", "  Webb ", "Butik", "BUTIK", "Telefon", "", "Ångö"];
/// And of a region column.
const REGION: [&str; 4] = ["Nord", "NORD", "Syd", ""];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `--by COLUMN` and `--by COLUMN,COLUMN`, end to end: the groups'
    /// deals and totals add up to the rows and their sum, spellings that
    /// fold together (trimmed, lower case) are one group (one row per
    /// period), and each group's total is the sum of its rows' amounts; a
    /// blank value is the group `(no kanal)`, `(no region)`.
    #[test]
    fn group_totals_by_any_column_add_up_to_the_grand_total(
        rows in proptest::collection::vec((0usize..KANAL.len(), 0usize..REGION.len(), 0u16..400, 1i64..1_000_000), 1..40),
        period in prop::sample::select(vec!["all", "month", "week"]),
        two in any::<bool>(),
    ) {
        let mut text = String::from("date,Kanal,Region,amount\n");
        for (k, r, d, cents) in &rows {
            text.push_str(&format!("{},{},{},{}\n", day(*d), KANAL[*k], REGION[*r], Decimal::new(*cents, 2)));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.csv");
        std::fs::write(&path, &text).unwrap();
        let by = if two { "kanal,region" } else { "kanal" };
        let run = assert_cmd::Command::cargo_bin("aov")
            .unwrap()
            .args(["report", path.to_str().unwrap(), "--by", by, "--period", period, "--format", "csv"])
            .output()
            .unwrap();
        prop_assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        let out = String::from_utf8(run.stdout).unwrap();
        let mut lines = out.lines();
        let header = lines.next().unwrap();
        prop_assert!(header.starts_with(&format!("{by},")), "{}", header);
        let col = |name: &str| header.split(',').position(|c| c == name);
        let (total_col, deals_col, period_col) = (col("total").unwrap(), col("deals").unwrap(), col("period"));
        let width = if two { 2 } else { 1 };
        let fold = |v: &str| v.trim().to_lowercase();
        let mut want: std::collections::BTreeMap<Vec<String>, (u64, i64)> = Default::default();
        for (k, r, _, cents) in &rows {
            let key = if two { vec![fold(KANAL[*k]), fold(REGION[*r])] } else { vec![fold(KANAL[*k])] };
            let e = want.entry(key).or_default();
            e.0 += 1;
            e.1 += cents;
        }
        let mut got: std::collections::BTreeMap<Vec<String>, (u64, i64)> = Default::default();
        let mut seen = std::collections::HashSet::new();
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            let key: Vec<String> = cells[..width]
                .iter()
                .map(|c| if *c == "(no kanal)" || *c == "(no region)" { String::new() } else { c.to_lowercase() })
                .collect();
            let fresh = seen.insert((key.clone(), period_col.map(|i| cells[i].to_string())));
            prop_assert!(fresh, "{} twice in\n{}", line, out);
            let e = got.entry(key).or_default();
            e.0 += cells[deals_col].parse::<u64>().unwrap();
            e.1 += i64::try_from(cells[total_col].parse::<Decimal>().unwrap() * Decimal::from(100)).unwrap();
        }
        let deals: u64 = got.values().map(|v| v.0).sum();
        let cents: i64 = got.values().map(|v| v.1).sum();
        prop_assert_eq!(deals, rows.len() as u64);
        prop_assert_eq!(cents, rows.iter().map(|r| r.3).sum::<i64>());
        prop_assert_eq!(got, want);
    }
}
