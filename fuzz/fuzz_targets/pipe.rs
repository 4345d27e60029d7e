//! Non-seekable input: the same bytes through a named pipe (read once, by
//! the general reader) make exactly the report they make from a regular
//! file (which the parallel reader may take); and the record reader cuts
//! the same records whether its input comes whole or a few bytes a read.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Read;

#[path = "common.rs"]
mod common;

/// A reader that hands out at most `step` bytes at a time, as a pipe may.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.data.len().min(self.step).min(buf.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn records(input: impl std::io::BufRead) -> Vec<String> {
    use aov::load::records::{Record, Records};
    let mut r = Records::new(input, b',');
    let mut rec = Record::default();
    let mut out = Vec::new();
    loop {
        match r.read(&mut rec) {
            Ok(true) => out.push(format!("{}:{:?}", rec.line, rec.iter().collect::<Vec<_>>())),
            Ok(false) => break,
            Err(e) => {
                out.push(format!("{e:?}"));
                if !matches!(e, aov::load::records::RecordError::Runaway { .. }) {
                    break;
                }
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let step = 1 + data.first().copied().unwrap_or(0) as usize % 7;
    let whole = records(data);
    let trickled = records(std::io::BufReader::with_capacity(3, Trickle { data, step }));
    assert_eq!(whole, trickled);

    let file = common::scratch("input.csv");
    std::fs::write(&file, data).unwrap();
    let fifo = common::scratch("input.fifo");
    if !fifo.exists() {
        let ok = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "mkfifo");
    }
    let bytes = data.to_vec();
    let writer_path = fifo.clone();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = std::sync::Arc::clone(&done);
    let writer = std::thread::spawn(move || {
        use std::os::unix::fs::OpenOptionsExt;
        // Opened without blocking (O_NONBLOCK), retried until the reader
        // has the FIFO open, or given up once the report is over (when it
        // was refused before opening the FIFO).
        const O_NONBLOCK: i32 = 0o4000;
        loop {
            match std::fs::OpenOptions::new().write(true).custom_flags(O_NONBLOCK).open(&writer_path) {
                Ok(mut f) => {
                    // At most 4096 bytes: they fit the pipe's buffer.
                    let _ = std::io::Write::write_all(&mut f, &bytes);
                    return;
                }
                Err(_) if stop.load(std::sync::atomic::Ordering::Relaxed) => return,
                Err(_) => std::thread::sleep(std::time::Duration::from_micros(200)),
            }
        }
    });
    let piped = common::report(fifo.to_str().unwrap(), &[]);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    let regular = common::report(file.to_str().unwrap(), &["--threads", "2", "--block-size", "16"]);
    // Names in messages differ; the reports must not.
    assert_eq!(piped.map(|s| s.replace("input.fifo", "input.csv")), regular);
});
