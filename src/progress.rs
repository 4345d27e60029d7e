//! A progress bar on stderr for inputs that take more than a second, only
//! when stderr is a terminal and `--quiet` is not given: stdout stays the
//! report, and a cron job's mail stays clean.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shown only after this long.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    enabled: bool,
    total: u64,
    done: u64,
    start: Instant,
    bar: Option<ProgressBar>,
    name: String,
}

impl Progress {
    /// A progress report over `total` bytes of `name`; silent unless
    /// `wanted` and stderr is a terminal.
    pub fn new(wanted: bool, total: u64, name: &str) -> Progress {
        Progress {
            enabled: wanted && std::io::stderr().is_terminal(),
            total,
            done: 0,
            start: Instant::now(),
            bar: None,
            name: name.to_string(),
        }
    }

    pub fn advance(&mut self, bytes: u64) {
        self.done += bytes;
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.start.elapsed() >= DELAY {
            let bar = ProgressBar::with_draw_target(Some(self.total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})")
                    .expect("a valid template"),
            );
            bar.set_message(self.name.clone());
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.done);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
