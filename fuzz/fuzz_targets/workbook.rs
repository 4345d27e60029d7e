//! Workbooks on arbitrary bytes (seeded with real .xlsx files): calamine
//! may refuse them, aov must never panic, and every row is used, filtered
//! out or rejected.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for name in ["input.xlsx", "input.ods", "input.parquet"] {
        let path = common::scratch(name);
        std::fs::write(&path, data).unwrap();
        let _ = common::report(path.to_str().unwrap(), &[]);
        let _ = common::report(path.to_str().unwrap(), &["--decimal-comma"]);
    }
});
