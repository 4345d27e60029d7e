//! The README's examples run as written: every line of a ```sh block that
//! starts with `aov ` is run with the built binary, from a folder that
//! holds this clone's fixtures/ (so the examples cannot drift from what
//! the binary does). A line expects status 0 unless its comment says
//! `status N`. Examples that need something a clone does not have (a
//! PostgreSQL server) are in ```shell blocks, which are not run.

mod common;

use std::path::Path;

/// An example command and the status its comment promises.
#[derive(Debug)]
struct Example {
    line: usize,
    command: String,
    status: i32,
}

/// The `aov ` lines of the ```sh blocks, with `\` continuations joined.
fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in readme.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let (start, text) = match pending.take() {
            Some((start, mut text)) => {
                text.push(' ');
                text.push_str(line);
                (start, text)
            }
            None if line.starts_with("aov ") => (i + 1, line.to_string()),
            None => continue,
        };
        if let Some(head) = text.strip_suffix('\\') {
            pending = Some((start, head.trim_end().to_string()));
            continue;
        }
        let status = text
            .split_once(" # ")
            .and_then(|(_, comment)| comment.split_once("status ").map(|(_, n)| n))
            .and_then(|n| n.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
            .unwrap_or(0);
        out.push(Example { line: start, command: text, status });
    }
    out
}

#[test]
fn the_examples_are_found() {
    let text = "```sh\naov report a.csv   # status 3: why\ncargo run\naov x \\\n    --y\n```\n```shell\naov no\n```\n";
    let found = examples(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].line, found[0].command.as_str(), found[0].status),
        (2, "aov report a.csv   # status 3: why", 3)
    );
    assert_eq!((found[1].line, found[1].command.as_str(), found[1].status), (4, "aov x --y", 0));
}

#[test]
fn every_readme_example_runs_as_written() {
    let root = common::root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let found = examples(&readme);
    assert!(found.len() >= 30, "only {} examples found in README.md", found.len());
    let bin = assert_cmd::cargo::cargo_bin("aov");
    let bin_dir = bin.parent().expect("the binary's folder");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin_dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    let path = std::env::join_paths(dirs).expect("a PATH");
    let mut failures = Vec::new();
    for ex in &found {
        let dir = tempfile::tempdir().expect("a folder");
        link_fixtures(&root.join("fixtures"), dir.path());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&ex.command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .output()
            .expect("sh runs");
        let status = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let panicked = stderr.contains("panicked");
        if status != ex.status || panicked {
            failures.push(format!(
                "README.md:{}: {}\n  status {status}, expected {}\n  stderr: {}",
                ex.line,
                ex.command,
                ex.status,
                stderr.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} examples failed:\n{}", failures.len(), found.len(), failures.join("\n"));
}

#[cfg(unix)]
fn link_fixtures(fixtures: &Path, dir: &Path) {
    std::os::unix::fs::symlink(fixtures, dir.join("fixtures")).expect("fixtures linked");
}

#[cfg(not(unix))]
fn link_fixtures(fixtures: &Path, dir: &Path) {
    let _ = (fixtures, dir);
    panic!("the README examples are run on Unix");
}
