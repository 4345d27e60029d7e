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
    let writer = std::thread::spawn(move || {
        // Opening blocks until the reader opens; a reader that stops early
        // makes the write fail, which is fine.
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(writer_path) {
            let _ = std::io::Write::write_all(&mut f, &bytes);
        }
    });
    let piped = common::report(fifo.to_str().unwrap(), &[]);
    // The reader must open the FIFO for the writer to finish: when the
    // command line was refused before opening it, open it here.
    if piped.is_none() && !writer.is_finished() {
        let _ = std::fs::File::open(&fifo).map(|mut f| std::io::copy(&mut f, &mut std::io::sink()));
    }
    writer.join().unwrap();
    let regular = common::report(file.to_str().unwrap(), &["--threads", "2", "--block-size", "16"]);
    // Names in messages differ; the reports must not.
    assert_eq!(piped.map(|s| s.replace("input.fifo", "input.csv")), regular);
});
