//! Helpers for running the binary: each run reports its command, status,
//! stdout and stderr when an assertion fails.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

pub struct Run {
    pub cmd: String,
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n$ {}\nstatus: {}\n--- stdout\n{}--- stderr\n{}", self.cmd, self.status, self.stdout, self.stderr)
    }
}

impl Run {
    /// Assert success and return stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.status, 0, "{self:?}");
        &self.stdout
    }
    pub fn fails(&self, status: i32) -> &str {
        assert_eq!(self.status, status, "{self:?}");
        assert!(self.stdout.is_empty(), "a failed run printed a report: {self:?}");
        &self.stderr
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> String {
    root().join("fixtures").join(name).display().to_string()
}

/// Run `aov` with `args` in the project folder, with no colour settings
/// and no locale (so English) from the environment.
pub fn aov(args: &[&str]) -> Run {
    aov_in(&root(), args, None)
}

pub fn aov_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("aov").expect("binary built");
    cmd.current_dir(dir).args(args).env_remove("NO_COLOR").env_remove("TERM");
    cmd.env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("LANG");
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let out: Output = cmd.output().expect("aov runs");
    Run {
        cmd: format!("aov {}", args.join(" ")),
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
