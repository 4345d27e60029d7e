//! The `aov` binary: parse, run, map the result to an exit status.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match aov::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let code = match aov::app::run(cli) {
        Ok(code) => code,
        Err(err) if aov::error::is_broken_pipe(&err) => aov::error::exit::OK,
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            for line in aov::error::messages(&err).join(": ").lines() {
                let _ = writeln!(stderr, "aov: {line}");
            }
            aov::error::exit_code(&err)
        }
    };
    ExitCode::from(code as u8)
}
