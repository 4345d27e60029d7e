//! End-to-end tests of the output and shell contract (issue 17, and the
//! "Files destroyed" part of issue 15): the format taken from `-o FILE`,
//! `-o -`, `--fail-below` in cron's traps, file modes, links, outputs that
//! would destroy an input, completions, the man page and help width.
//!
//! Expected figures are worked out by hand from the three deals below.

mod common;
use common::{Run, aov_in, root};

use std::fs;
use std::path::{Path, PathBuf};

/// Jan: 100 + 300 = 400 over 2 deals, AOV 200; Feb: 250 over 1, AOV 250,
/// change +50 (+25.0 %).
const DEALS: &str = "date,customer,seller,amount\n\
                     2013-01-05,Acme AB,Eva,100\n\
                     2013-01-20,Beta AB,Olle,300\n\
                     2013-02-03,Acme AB,Eva,250\n";
const CSV: &str = "period,deals,total,aov,aov_change,aov_change_pct\n\
                   2013-01,2,400.00,200.00,,\n\
                   2013-02,1,250.00,250.00,50.00,25.0\n";

/// A folder of its own holding deals.csv.
fn workdir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let deals = dir.path().join("deals.csv");
    fs::write(&deals, DEALS).expect("deals written");
    (dir, deals)
}

fn run(dir: &Path, args: &[&str]) -> Run {
    aov_in(dir, args, None)
}

/// Run the binary through `sh -c` with a umask.
fn with_umask(dir: &Path, umask: &str, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("aov");
    let mut cmd = std::process::Command::new("sh");
    cmd.current_dir(dir).arg("-c").arg(format!("umask {umask}; exec \"$0\" \"$@\"")).arg(&bin).args(args);
    let out = cmd.output().expect("sh runs");
    Run {
        cmd: format!("umask {umask}; aov {}", args.join(" ")),
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn csv_and_tsv_files_get_their_format_from_the_extension() {
    let (dir, _) = workdir();
    run(dir.path(), &["report", "deals.csv", "-o", "aov.csv"]).ok();
    assert_eq!(fs::read_to_string(dir.path().join("aov.csv")).unwrap(), CSV);
    run(dir.path(), &["report", "deals.csv", "-o", "AOV.TSV"]).ok();
    assert_eq!(fs::read_to_string(dir.path().join("AOV.TSV")).unwrap(), CSV.replace(',', "\t"));
}

#[test]
fn json_jsonl_and_ndjson_files_get_their_format_from_the_extension() {
    let (dir, _) = workdir();
    run(dir.path(), &["report", "deals.csv", "-o", "aov.json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(dir.path().join("aov.json")).unwrap()).unwrap();
    let rows = v.as_array().expect("a JSON array");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["period"], "2013-02");
    assert_eq!(rows[1]["aov"].to_string(), "250.00");
    for name in ["aov.jsonl", "aov.ndjson"] {
        run(dir.path(), &["report", "deals.csv", "-o", name]).ok();
        let text = fs::read_to_string(dir.path().join(name)).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2, "{name}: {text}");
        assert_eq!(lines[0]["period"], "2013-01");
        assert_eq!(lines[0]["total"].to_string(), "400.00");
    }
}

#[test]
fn markdown_and_html_files_get_their_format_from_the_extension() {
    let (dir, _) = workdir();
    run(dir.path(), &["report", "deals.csv", "-o", "aov.md"]).ok();
    let md = fs::read_to_string(dir.path().join("aov.md")).unwrap();
    assert!(md.starts_with("| period |"), "{md}");
    assert!(md.contains("| 2013-02 |"), "{md}");
    for name in ["aov.html", "aov.htm"] {
        run(dir.path(), &["report", "deals.csv", "-o", name]).ok();
        let html = fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(html.to_lowercase().starts_with("<!doctype html>"), "{name}: {html}");
        assert!(html.contains("2013-02"));
    }
}

#[test]
fn an_unknown_extension_keeps_the_table() {
    let (dir, _) = workdir();
    run(dir.path(), &["report", "deals.csv", "-o", "aov.txt"]).ok();
    let text = fs::read_to_string(dir.path().join("aov.txt")).unwrap();
    assert!(text.contains("───"), "{text}");
    assert!(text.contains(" 2013-02 "), "{text}");
}

#[test]
fn a_format_that_disagrees_with_the_extension_is_a_usage_error_naming_both() {
    let (dir, _) = workdir();
    let err = run(dir.path(), &["report", "deals.csv", "--format", "json", "-o", "aov.csv"]).fails(2).to_string();
    assert!(err.contains("--format json") && err.contains("-o aov.csv") && err.contains("csv"), "{err}");
    assert_eq!(names(dir.path()), ["deals.csv"]);
    // Agreeing is fine.
    run(dir.path(), &["report", "deals.csv", "--format", "csv", "-o", "aov.csv"]).ok();
    assert_eq!(fs::read_to_string(dir.path().join("aov.csv")).unwrap(), CSV);
}

#[test]
fn a_picture_extension_outside_chart_is_a_usage_error() {
    let (dir, _) = workdir();
    let err = run(dir.path(), &["report", "deals.csv", "-o", "aov.png"]).fails(2).to_string();
    assert!(err.contains("aov chart"), "{err}");
}

#[test]
fn excel_sv_alone_writes_swedish_csv() {
    let (dir, _) = workdir();
    let out = run(dir.path(), &["report", "deals.csv", "--excel-sv"]);
    let expected = "\u{feff}period;deals;total;aov;aov_change;aov_change_pct\n\
                    2013-01;2;400,00;200,00;;\n\
                    2013-02;1;250,00;250,00;50,00;25,0\n";
    assert_eq!(out.ok(), expected);
    let err = run(dir.path(), &["report", "deals.csv", "--excel-sv", "--format", "json"]).fails(2).to_string();
    assert!(err.contains("--excel-sv") && err.contains("--format json"), "{err}");
}

#[test]
fn dash_is_standard_output_not_a_file() {
    let (dir, _) = workdir();
    let out = run(dir.path(), &["report", "deals.csv", "-o", "-", "--format", "csv"]);
    assert_eq!(out.ok(), CSV);
    assert_eq!(names(dir.path()), ["deals.csv"]);
}

#[test]
fn fail_below_passes_when_the_last_period_meets_the_target() {
    let (dir, _) = workdir();
    // Feb's AOV is 250.
    let out = run(dir.path(), &["report", "deals.csv", "--fail-below", "250", "--format", "csv"]);
    assert_eq!(out.ok(), CSV);
    let out = run(dir.path(), &["report", "deals.csv", "--fail-below", "250.01", "--format", "csv"]);
    assert_eq!(out.status, 3, "{out:?}");
    assert_eq!(out.stdout, CSV);
    assert!(out.stderr.contains("all deals, 2013-02: AOV 250.00"), "{out:?}");
}

#[test]
fn fail_below_fails_on_an_export_without_rows() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.csv"), "date,customer,seller,amount\n").unwrap();
    let out = run(dir.path(), &["report", "empty.csv", "--fail-below", "1500"]);
    assert_eq!(out.status, 3, "{out:?}");
    assert!(out.stderr.contains("empty.csv has no rows"), "{out:?}");
    assert!(out.stderr.contains("no deals"), "{out:?}");
}

#[test]
fn fail_below_fails_when_the_filter_matches_nothing_and_says_which_name() {
    let (dir, _) = workdir();
    let out = run(dir.path(), &["report", "deals.csv", "--customer", "Nobody AB", "--fail-below", "1"]);
    assert_eq!(out.status, 3, "{out:?}");
    assert!(out.stderr.contains("no deal in the selection matches --customer \"Nobody AB\""), "{out:?}");
    // One name of two matches nothing: said, and the other still counts.
    let out = run(
        dir.path(),
        &["report", "deals.csv", "--by", "seller", "--seller", "eva", "--seller", "Evaa", "--fail-below", "1"],
    );
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stderr.contains("matches --seller \"Evaa\""), "{out:?}");
    assert!(!out.stderr.contains("\"eva\""), "{out:?}");
    // Also in the other views, and for machine formats.
    let out =
        run(dir.path(), &["customers", "deals.csv", "--customer", "acme ab", "--customer", "Acme A", "-f", "csv"]);
    assert_eq!(out.status, 0, "{out:?}");
    // Acme AB's two deals count; Beta AB's is left out by --customer.
    assert_eq!(
        out.stderr,
        "aov: counted 2 deals; left out 1 by --customer\naov: warning: no deal in the selection matches --customer \"Acme A\"\n"
    );
    // And in views not grouped by the name: the report of all periods, by
    // seller, with one customer of two misspelt.
    for by in [&[][..], &["--by", "seller"][..]] {
        let mut args = vec!["report", "deals.csv", "--customer", "acme ab", "--customer", "Acme A", "-f", "csv"];
        args.extend(by);
        let out = run(dir.path(), &args);
        assert_eq!(out.status, 0, "{out:?}");
        assert!(
            out.stderr.ends_with("aov: warning: no deal in the selection matches --customer \"Acme A\"\n"),
            "{out:?}"
        );
        assert!(!out.stderr.contains("\"acme ab\""), "{out:?}");
    }
}

#[test]
fn fail_below_with_complete_only_checks_the_last_complete_period_even_without_deals() {
    let (dir, _) = workdir();
    // As of 2013-03-10 the last complete month is 2013-02 (AOV 250).
    let ok = ["report", "deals.csv", "--complete-only", "--as-of", "2013-03-10", "--fail-below", "200"];
    run(dir.path(), &ok).ok();
    // As of 2013-04-10 it is 2013-03, which has no deals: a stale export.
    let stale =
        ["report", "deals.csv", "--last", "1", "--complete-only", "--as-of", "2013-04-10", "--fail-below", "200"];
    let out = run(dir.path(), &stale);
    assert_eq!(out.status, 3, "{out:?}");
    assert!(out.stderr.contains("2013-03: no deals (the last are from 2013-02)"), "{out:?}");
    // Per group: Beta AB has no deals in 2013-02, Acme AB has 250.
    let by =
        ["report", "deals.csv", "--by", "customer", "--complete-only", "--as-of", "2013-03-01", "--fail-below", "1"];
    let out = run(dir.path(), &by);
    assert_eq!(out.status, 3, "{out:?}");
    assert!(out.stderr.contains("Beta AB, 2013-02: no deals (the last are from 2013-01)"), "{out:?}");
    assert!(!out.stderr.contains("Acme AB"), "{out:?}");
}

#[cfg(unix)]
#[test]
fn a_new_file_follows_the_umask() {
    let (dir, _) = workdir();
    with_umask(dir.path(), "022", &["report", "deals.csv", "-o", "a.csv"]).ok();
    assert_eq!(mode(&dir.path().join("a.csv")), 0o644);
    with_umask(dir.path(), "077", &["report", "deals.csv", "-o", "b.csv"]).ok();
    assert_eq!(mode(&dir.path().join("b.csv")), 0o600);
    with_umask(dir.path(), "002", &["report", "deals.csv", "-o", "c.csv"]).ok();
    assert_eq!(mode(&dir.path().join("c.csv")), 0o664);
    assert_eq!(names(dir.path()), ["a.csv", "b.csv", "c.csv", "deals.csv"]);
}

#[cfg(unix)]
#[test]
fn an_existing_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = workdir();
    for (name, before) in [("a.csv", 0o644), ("b.csv", 0o664), ("c.csv", 0o640)] {
        let p = dir.path().join(name);
        fs::write(&p, "old\n").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(before)).unwrap();
        with_umask(dir.path(), "077", &["report", "deals.csv", "-o", name]).ok();
        assert_eq!(mode(&p), before, "{name}");
        assert_eq!(fs::read_to_string(&p).unwrap(), CSV);
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_written_through() {
    let (dir, _) = workdir();
    fs::create_dir(dir.path().join("reports")).unwrap();
    std::os::unix::fs::symlink("reports/2013.csv", dir.path().join("latest.csv")).unwrap();
    run(dir.path(), &["report", "deals.csv", "-o", "latest.csv"]).ok();
    let link = dir.path().join("latest.csv");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert_eq!(fs::read_to_string(dir.path().join("reports/2013.csv")).unwrap(), CSV);
    assert_eq!(names(&dir.path().join("reports")), ["2013.csv"]);
}

#[test]
fn an_unwritable_folder_is_named_as_the_user_wrote_it() {
    let (dir, _) = workdir();
    let out = run(dir.path(), &["report", "deals.csv", "-o", "no/such/folder/aov.csv"]);
    let err = out.fails(1);
    assert!(err.starts_with("aov: cannot write no/such/folder/aov.csv: "), "{err}");
    assert!(!err.contains(".aov-") && !err.contains(".tmp"), "{err}");
}

/// `args` must be refused with status 2, the message naming `words`, and
/// deals.csv left byte for byte as it was.
fn refused(dir: &Path, args: &[&str], words: &[&str]) {
    let out = run(dir, args);
    let err = out.fails(2);
    for w in words {
        assert!(err.contains(w), "{w}: {out:?}");
    }
    assert_eq!(fs::read_to_string(dir.join("deals.csv")).unwrap(), DEALS, "{out:?}");
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let (dir, _) = workdir();
    let d = dir.path();
    refused(d, &["report", "deals.csv", "-o", "deals.csv"], &["-o deals.csv", "the input deals.csv"]);
    refused(d, &["report", "deals.csv", "-o", "./deals.csv"], &["-o ./deals.csv", "deals.csv"]);
    refused(d, &["report", "deals.csv", "--rejects", "deals.csv"], &["--rejects deals.csv", "the input deals.csv"]);
    refused(d, &["customers", "deals.csv", "--rejects", "deals.csv"], &["--rejects deals.csv"]);
    refused(d, &["chart", "deals.csv", "-o", "deals.csv"], &["-o deals.csv", "the input"]);
    refused(d, &["report", "deals.csv", "-o", "r.csv", "--rejects", "r.csv"], &["-o r.csv", "--rejects r.csv"]);
    assert_eq!(names(d), ["deals.csv"]);
}

#[cfg(unix)]
#[test]
fn an_output_that_is_an_input_through_a_link_is_refused() {
    let (dir, _) = workdir();
    let d = dir.path();
    std::os::unix::fs::symlink("deals.csv", d.join("link.csv")).unwrap();
    fs::hard_link(d.join("deals.csv"), d.join("hard.csv")).unwrap();
    refused(d, &["report", "deals.csv", "-o", "link.csv"], &["-o link.csv", "the input deals.csv"]);
    refused(d, &["report", "link.csv", "-o", "deals.csv"], &["-o deals.csv", "the input link.csv"]);
    refused(d, &["report", "deals.csv", "-o", "hard.csv"], &["-o hard.csv", "the input deals.csv"]);
    refused(d, &["report", "hard.csv", "--rejects", "deals.csv"], &["--rejects deals.csv", "the input hard.csv"]);
    refused(d, &["report", "deals.csv", "-o", "x.csv", "--rejects", "x.csv"], &["-o x.csv"]);
}

#[cfg(unix)]
#[test]
fn an_interrupted_write_leaves_no_temporary_file() {
    use std::fmt::Write as _;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    // One group per customer and day: the table takes a while to lay out,
    // long enough to interrupt it while the temporary file exists.
    let mut deals = String::from("date,customer,seller,amount\n");
    for i in 0..60_000 {
        writeln!(deals, "2013-01-{:02},Customer {i},Eva,{}", i % 28 + 1, 100 + i % 900).unwrap();
    }
    fs::write(dir.path().join("deals.csv"), &deals).unwrap();
    for (signal, status) in [("INT", 130), ("TERM", 143)] {
        let bin = assert_cmd::cargo::cargo_bin("aov");
        let mut child = std::process::Command::new(bin)
            .current_dir(dir.path())
            .args(["report", "deals.csv", "--by", "customer", "--period", "day", "-o", "aov.txt", "-q"])
            .spawn()
            .unwrap();
        let started = Instant::now();
        let temp = loop {
            let found = names(dir.path()).into_iter().find(|n| n.starts_with(".aov-"));
            if let Some(t) = found {
                break t;
            }
            assert!(child.try_wait().unwrap().is_none(), "finished before it could be interrupted");
            assert!(started.elapsed() < Duration::from_secs(60), "no temporary file appeared");
            std::thread::sleep(Duration::from_millis(5));
        };
        let kill =
            std::process::Command::new("kill").args([format!("-{signal}"), child.id().to_string()]).status().unwrap();
        assert!(kill.success());
        let code = child.wait().unwrap().code();
        assert_eq!(code, Some(status), "{signal}");
        assert_eq!(names(dir.path()), ["deals.csv"], "{signal}: {temp} was left behind");
    }
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = aov_in(&root(), &["completions", shell], None);
        let script = out.ok();
        assert!(script.contains("fail-below"), "{shell}");
        assert!(script.contains("customers"), "{shell}");
    }
}

#[test]
fn the_bash_completion_is_valid_bash() {
    let dir = tempfile::tempdir().unwrap();
    let out = aov_in(&root(), &["completions", "bash"], None);
    let path = dir.path().join("aov.bash");
    fs::write(&path, out.ok()).unwrap();
    let check = std::process::Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(out.stdout.contains("complete -F _aov"), "{out:?}");
}

#[test]
fn the_man_page_covers_every_subcommand() {
    let out = aov_in(&root(), &["man"], None);
    let page = out.ok();
    assert!(page.starts_with(".TH aov 1"), "{}", &page[..page.len().min(200)]);
    let sections: Vec<&str> = page.lines().filter(|l| l.starts_with(".SH ")).collect();
    for sub in ["report", "customers", "sellers", "explain", "sql", "chart", "completions", "man"] {
        let heading = format!(".SH \"AOV {}\"", sub.to_uppercase());
        assert!(sections.contains(&heading.as_str()), "{heading} in {sections:?}");
    }
    // Each subcommand's options are there, under the headings of -h.
    assert!(page.contains("fail\\-below"), "report's --fail-below");
    assert!(page.contains(".SS \"WHICH DEALS\""));
    assert!(page.contains("base\\-from"), "explain's --base-from");
}

#[test]
fn help_fits_in_100_columns_off_a_terminal() {
    let subs = [
        vec!["--help"],
        vec!["report", "-h"],
        vec!["report", "--help"],
        vec!["customers", "-h"],
        vec!["sellers", "-h"],
        vec!["explain", "--help"],
        vec!["chart", "-h"],
        vec!["sql", "-h"],
    ];
    for args in subs {
        let mut cmd = assert_cmd::Command::cargo_bin("aov").unwrap();
        let out = cmd.args(&args).env_remove("COLUMNS").output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{args:?}: {} columns: {line}", line.chars().count());
        }
    }
}

#[test]
fn report_help_groups_flags_with_the_period_first() {
    let out = aov_in(&root(), &["report", "-h"], None);
    let help = out.ok();
    let at = |s: &str| help.find(s).unwrap_or_else(|| panic!("{s} in {help}"));
    assert!(at("What to report:") < at("Which deals:"));
    assert!(at("Which deals:") < at("Input:"));
    assert!(at("Input:") < at("Output:"));
    assert!(at("What to report:") < at("--period") && at("--period") < at("Which deals:"));
    assert!(at("Which deals:") < at("--customer") && at("--customer") < at("Input:"));
    assert!(at("Output:") < at("--format"));
}

#[test]
fn chart_help_lists_only_what_a_chart_uses() {
    let out = aov_in(&root(), &["chart", "-h"], None);
    let help = out.ok();
    for flag in ["--format", "--excel-sv", "--color", "--stats", "--fail-below"] {
        assert!(!help.contains(flag), "{flag} in chart -h:\n{help}");
    }
    for flag in ["--output", "--top", "--size", "--from", "--period"] {
        assert!(help.contains(flag), "{flag} missing from chart -h:\n{help}");
    }
    let err = aov_in(&root(), &["chart", "x.csv", "--format", "csv"], None).fails(2).to_string();
    assert!(err.contains("--format"), "{err}");
}

#[test]
fn the_settings_file_in_the_current_folder_is_announced() {
    let (dir, _) = workdir();
    fs::write(dir.path().join("aov.toml"), "[report]\nformat = \"csv\"\n").unwrap();
    let out = run(dir.path(), &["report", "deals.csv"]);
    assert_eq!(out.ok(), CSV);
    assert_eq!(
        out.stderr,
        "aov: note: settings read from ./aov.toml in the current folder (--config FILE names another)\n"
    );
    fs::rename(dir.path().join("aov.toml"), dir.path().join("team.toml")).unwrap();
    let quiet = run(dir.path(), &["report", "deals.csv", "--config", "team.toml"]);
    assert_eq!(quiet.ok(), CSV);
    assert_eq!(quiet.stderr, "");
    let verbose = run(dir.path(), &["report", "deals.csv", "--config", "team.toml", "-v"]);
    assert_eq!(verbose.ok(), CSV);
    assert!(verbose.stderr.starts_with("aov: settings read from team.toml (--config)\n"), "{verbose:?}");
}

#[test]
fn a_table_to_a_pipe_is_never_cut() {
    let (dir, _) = workdir();
    let mut cmd = assert_cmd::Command::cargo_bin("aov").unwrap();
    let out = cmd
        .current_dir(dir.path())
        .args(["report", "deals.csv", "--by", "customer"])
        .env("COLUMNS", "30")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.lines().next().unwrap().ends_with("aov_change_pct   trend"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("wider than the terminal"));
}

#[test]
fn chart_format_follows_the_extension_and_dash_is_standard_output() {
    let (dir, _) = workdir();
    run(dir.path(), &["chart", "deals.csv", "-o", "aov.png"]).ok();
    let png = fs::read(dir.path().join("aov.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    run(dir.path(), &["chart", "deals.csv", "-o", "aov.svg"]).ok();
    let svg = fs::read_to_string(dir.path().join("aov.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(100)]);
    let out = run(dir.path(), &["chart", "deals.csv", "-o", "-", "-v"]);
    assert!(out.ok().starts_with("<svg"));
    // A picture has no footer: -v prints the accounting on stderr.
    assert!(out.stderr.contains("aov: rows: 3 read, 3 used, 0 filtered out, 0 rejected"), "{out:?}");
    assert_eq!(names(dir.path()), ["aov.png", "aov.svg", "deals.csv"]);
    let err = run(dir.path(), &["chart", "deals.csv", "-o", "aov.csv"]).fails(2).to_string();
    assert!(err.contains("-o aov.csv asks for csv, but a chart is a picture"), "{err}");
}

/// On a terminal (a pseudo-terminal of `script`, 60 columns wide) a wide
/// table leaves out the trend, shortens names and says so.
#[cfg(target_os = "linux")]
#[test]
fn a_table_wider_than_the_terminal_is_made_to_fit_and_says_so() {
    let (dir, _) = workdir();
    let long = "date,customer,seller,amount\n\
                2013-01-05,Åkerlunds Bygg och Måleri Aktiebolag i Norrland,Eva,100\n\
                2013-02-05,Åkerlunds Bygg och Måleri Aktiebolag i Norrland,Eva,300\n";
    fs::write(dir.path().join("long.csv"), long).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("aov");
    let inner = format!("stty rows 40 cols 60; exec {} report long.csv --by customer --color never", bin.display());
    let out = std::process::Command::new("script")
        .current_dir(dir.path())
        .args(["-qec", &inner, "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{text}");
    assert!(text.contains("aov: note: the table is wider than the terminal (60 columns): left out trend"), "{text}");
    let table: Vec<&str> = text.lines().filter(|l| !l.starts_with("aov: ") && l.contains(" 2013-0")).collect();
    assert_eq!(table.len(), 2, "{text}");
    for line in text.lines().filter(|l| !l.starts_with("aov: ") && !l.starts_with("AOV = ")) {
        assert!(line.chars().count() <= 60, "{} columns: {line}", line.chars().count());
    }
    assert!(table[0].contains("Åkerlunds Bygg"), "{text}");
    assert!(table[0].contains('…'), "{text}");
}
