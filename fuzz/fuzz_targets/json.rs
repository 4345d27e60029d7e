//! JSON and JSON Lines on arbitrary bytes: never a panic; every object is
//! used, filtered out or rejected; and the same bytes read as JSON Lines
//! give the same accounting whichever way they are split into files.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for name in ["input.json", "input.jsonl"] {
        let path = common::scratch(name);
        std::fs::write(&path, data).unwrap();
        let _ = common::report(path.to_str().unwrap(), &[]);
        let _ = common::report(path.to_str().unwrap(), &["--decimal-comma", "--timezone", "Europe/Stockholm"]);
    }
});
