//! The amount parser never panics, and what it accepts prints back and
//! reads again to the same value.
#![no_main]
use aov::load::amount::{evidence, is_ambiguous, parse_amount, DecimalStyle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = evidence(s);
    let _ = is_ambiguous(s);
    for style in [DecimalStyle::Point, DecimalStyle::Comma] {
        if let Ok(d) = parse_amount(s, style) {
            let text = d.to_string();
            let back = parse_amount(&text, DecimalStyle::Point).expect("a parsed amount prints as a readable one");
            assert_eq!(back, d, "{s:?} -> {text}");
        }
    }
    // The fast path agrees with the general parser on what both accept.
    if let Some(v) = aov::load::fast::fast_amount(data, b'.') {
        let d = parse_amount(s, DecimalStyle::Point).expect("the general parser reads what the fast path reads");
        assert_eq!(rust_decimal::Decimal::from_i128_with_scale(v, 6), d, "{s:?}");
    }
});
