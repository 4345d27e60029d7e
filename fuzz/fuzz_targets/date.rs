//! The date parser never panics; what it accepts is a real day in the
//! allowed years, and the fast path agrees with it.
#![no_main]
use aov::load::date::{evidence, is_ambiguous, parse_date, DateOrder, YEARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = evidence(s);
    let _ = is_ambiguous(s);
    for order in [None, Some(DateOrder::DayFirst), Some(DateOrder::MonthFirst)] {
        if let Ok(d) = parse_date(s, order) {
            use chrono::Datelike;
            assert!(YEARS.contains(&d.year()), "{s:?} -> {d}");
        }
    }
    if let Some((y, m, d)) = aov::load::fast::fast_date(data) {
        let g = parse_date(s, None).expect("the general parser reads what the fast path reads");
        use chrono::Datelike;
        assert_eq!((g.year(), g.month(), g.day()), (y, m, d));
    }
});
