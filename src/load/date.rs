//! Reading deal dates from the shapes exports use.
//!
//! ISO dates and timestamps are read as written (the calendar date before
//! any time or zone). `15.03.2013` is day first; `03/04/2013` could be
//! either, so the order is decided once per column from the values (a first
//! number above 12 settles it) or by `--date-format`. Years must have four
//! digits in a sane range, so `24-02-05` or an Excel serial number never
//! turns into a date by accident.

use chrono::NaiveDate;

/// The order of day and month in `NN/NN/YYYY` dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `15/03/2013`
    DayFirst,
    /// `03/15/2013`
    MonthFirst,
}

/// The years a deal date may have.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("the date is empty")]
    Empty,
    #[error("cannot read {0:?} as a date (expected YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or MM/DD/YYYY)")]
    Invalid(String),
    #[error("{0:?} is not a day of the calendar")]
    NoSuchDay(String),
    #[error("{0:?} has a year outside 1900-2199")]
    Year(String),
    #[error("{0:?} looks like an Excel serial number, not a date; export the column as dates")]
    Serial(String),
    #[error("{0:?} could be day first or month first; say which with --date-format dmy or --date-format mdy")]
    Ambiguous(String),
}

/// A date split into its numbers, before day and month are told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Year first: certain.
    Ymd(i32, u32, u32),
    /// Day first by convention (`15.03.2013`).
    Dmy(i32, u32, u32),
    /// `a/b/yyyy`: day and month not yet told apart.
    Slashed(u32, u32, i32),
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// The date part of a value: everything before a time (`T` or a space
/// followed by a digit and a colon somewhere after).
fn date_part(s: &str) -> &str {
    let cut = s.find(['T', ' ']).unwrap_or(s.len());
    &s[..cut]
}

fn shape(raw: &str) -> Result<Shape, DateError> {
    let t = raw.trim_matches(|c: char| c.is_whitespace());
    if t.is_empty() {
        return Err(DateError::Empty);
    }
    let invalid = || DateError::Invalid(t.to_string());
    let d = date_part(t);
    if d.len() < t.len() {
        let rest = &t[d.len() + 1..];
        // A time must follow: HH:MM with an optional rest (seconds, zone).
        let ok = rest.len() >= 5 && rest.as_bytes()[2] == b':' && digits(&rest[..2], 2, 2).is_some();
        if !ok {
            return Err(invalid());
        }
    }
    if d.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !d.contains('-')
        && !d.contains('/')
        && d.matches('.').count() <= 1
    {
        // 41348 or 41348.5: a spreadsheet serial number.
        return Err(if d.len() >= 4 && d.len() <= 12 { DateError::Serial(t.to_string()) } else { invalid() });
    }
    let sep = d.bytes().find(|b| matches!(b, b'-' | b'/' | b'.')).ok_or_else(invalid)? as char;
    let parts: Vec<&str> = d.split(sep).collect();
    if parts.len() != 3 {
        return Err(invalid());
    }
    if parts[0].len() == 4 {
        let y = digits(parts[0], 4, 4).ok_or_else(invalid)? as i32;
        let m = digits(parts[1], 1, 2).ok_or_else(invalid)?;
        let day = digits(parts[2], 1, 2).ok_or_else(invalid)?;
        return Ok(Shape::Ymd(y, m, day));
    }
    let a = digits(parts[0], 1, 2).ok_or_else(invalid)?;
    let b = digits(parts[1], 1, 2).ok_or_else(invalid)?;
    let y = digits(parts[2], 4, 4)
        .ok_or_else(|| if parts[2].len() < 4 { DateError::Year(t.to_string()) } else { invalid() })? as i32;
    Ok(match sep {
        '.' => Shape::Dmy(y, b, a),
        _ => Shape::Slashed(a, b, y),
    })
}

fn make(raw: &str, y: i32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    if !YEARS.contains(&y) {
        return Err(DateError::Year(raw.trim().to_string()));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DateError::NoSuchDay(raw.trim().to_string()))
}

/// What one value says about the column's day/month order: only a value
/// that is a date in that order (`31/02/2013` settles nothing, so a row
/// that is then refused decides nothing, in either reader).
pub fn evidence(raw: &str) -> Option<DateOrder> {
    let order = match shape(raw).ok()? {
        Shape::Slashed(a, b, _) if a > 12 && b <= 12 => DateOrder::DayFirst,
        Shape::Slashed(a, b, _) if b > 12 && a <= 12 => DateOrder::MonthFirst,
        _ => return None,
    };
    parse_date(raw, Some(order)).is_ok().then_some(order)
}

/// True when the value's meaning depends on the column's order.
pub fn is_ambiguous(raw: &str) -> bool {
    matches!(shape(raw), Ok(Shape::Slashed(a, b, _)) if a <= 12 && b <= 12 && a != b)
}

/// Parse a date; `order` decides `a/b/yyyy` values (`None`: only an
/// unambiguous one is accepted).
pub fn parse_date(raw: &str, order: Option<DateOrder>) -> Result<NaiveDate, DateError> {
    match shape(raw)? {
        Shape::Ymd(y, m, d) | Shape::Dmy(y, m, d) => make(raw, y, m, d),
        Shape::Slashed(a, b, y) => {
            let order = match order {
                Some(o) => o,
                None if a == b => DateOrder::DayFirst,
                None if a > 12 && b <= 12 => DateOrder::DayFirst,
                None if b > 12 && a <= 12 => DateOrder::MonthFirst,
                None => return Err(DateError::Ambiguous(raw.trim().to_string())),
            };
            match order {
                DateOrder::DayFirst => make(raw, y, b, a),
                DateOrder::MonthFirst => make(raw, y, a, b),
            }
        }
    }
}

/// The calendar date of a zoned ISO timestamp (`2013-03-15T23:30:00-05:00`,
/// `...Z`) in time zone `tz`; `None` when the value carries no zone (it is
/// then read as written).
pub fn zoned_date(raw: &str, tz: chrono_tz::Tz) -> Option<NaiveDate> {
    let t = raw.trim();
    if t.len() < 16 || !t.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut s = t.replacen(' ', "T", 1);
    if s.ends_with('Z') || s.ends_with('z') {
        s.pop();
        s.push_str("+00:00");
    }
    const FORMATS: [&str; 4] =
        ["%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"];
    FORMATS
        .iter()
        .find_map(|f| chrono::DateTime::parse_from_str(&s, f).ok())
        .map(|dt| dt.with_timezone(&tz).date_naive())
}

/// Parse an ISO `YYYY-MM-DD` date from bytes, the common case, without
/// allocating; `None` when the value has any other shape.
pub fn parse_iso_fast(b: &[u8]) -> Option<NaiveDate> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || (b.len() > 10 && b[10] != b'T' && b[10] != b' ') {
        return None;
    }
    let n = |i: usize, len: usize| -> Option<u32> {
        let mut v = 0u32;
        for &c in &b[i..i + len] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    if b.len() > 10 {
        return None; // timestamps take the general path, which checks the time
    }
    let y = n(0, 4)? as i32;
    if !YEARS.contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, n(5, 2)?, n(8, 2)?)
}

#[cfg(test)]
mod tests {
    use super::DateOrder::*;
    use super::*;

    fn ok(raw: &str, order: Option<DateOrder>) -> String {
        parse_date(raw, order).unwrap_or_else(|e| panic!("{raw:?}: {e}")).to_string()
    }

    #[test]
    fn every_shape() {
        let cases: &[(&str, Option<DateOrder>, &str)] = &[
            ("2013-03-15", None, "2013-03-15"),
            ("2013-3-5", None, "2013-03-05"),
            ("2013-03-15T14:22:00+01:00", None, "2013-03-15"),
            ("2013-03-15T23:59:59Z", None, "2013-03-15"),
            ("2013-03-15 14:22", None, "2013-03-15"),
            ("2013/03/15", None, "2013-03-15"),
            ("15.03.2013", None, "2013-03-15"),
            ("15.03.2013 10:00", None, "2013-03-15"),
            ("15/03/2013", None, "2013-03-15"),
            ("03/15/2013", None, "2013-03-15"),
            ("03/04/2013", Some(DayFirst), "2013-04-03"),
            ("03/04/2013", Some(MonthFirst), "2013-03-04"),
            ("04/04/2013", None, "2013-04-04"),
            ("15-03-2013", None, "2013-03-15"),
            (" 2013-03-15 ", None, "2013-03-15"),
            ("2012-02-29", None, "2012-02-29"),
        ];
        for (raw, order, want) in cases {
            assert_eq!(ok(raw, *order), *want, "{raw:?}");
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(parse_date("", None), Err(DateError::Empty));
        assert!(matches!(parse_date("2013-02-30", None), Err(DateError::NoSuchDay(_))));
        assert!(matches!(parse_date("2013-02-29", None), Err(DateError::NoSuchDay(_))));
        assert!(matches!(parse_date("24-02-05", None), Err(DateError::Year(_))));
        assert!(matches!(parse_date("0024-02-05", None), Err(DateError::Year(_))));
        assert!(matches!(parse_date("2300-02-05", None), Err(DateError::Year(_))));
        assert!(matches!(parse_date("05/02/24", None), Err(DateError::Year(_))));
        assert!(matches!(parse_date("41348", None), Err(DateError::Serial(_))));
        assert!(matches!(parse_date("41348.5", None), Err(DateError::Serial(_))));
        assert!(matches!(parse_date("03/04/2013", None), Err(DateError::Ambiguous(_))));
        assert!(matches!(parse_date("13/13/2013", Some(DayFirst)), Err(DateError::NoSuchDay(_))));
        assert!(matches!(parse_date("yesterday", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("2013-03-15X", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("2013-03-15 noon", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("2013-03", None), Err(DateError::Invalid(_))));
    }

    #[test]
    fn evidence_per_value() {
        assert_eq!(evidence("15/03/2013"), Some(DayFirst));
        assert_eq!(evidence("03/15/2013"), Some(MonthFirst));
        assert_eq!(evidence("03/04/2013"), None);
        assert_eq!(evidence("2013-03-04"), None);
        assert_eq!(evidence("31/02/2013"), None);
        assert_eq!(evidence("02/31/2013"), None);
        assert_eq!(evidence("13/02/1850"), None);
        assert!(is_ambiguous("03/04/2013"));
        assert!(!is_ambiguous("04/04/2013"));
        assert!(!is_ambiguous("15.03.2013"));
    }

    #[test]
    fn zoned_timestamps_convert_only_when_asked() {
        let sthlm: chrono_tz::Tz = "Europe/Stockholm".parse().unwrap();
        // 23:30 in New York on the 15th is 05:30 on the 16th in Stockholm.
        assert_eq!(zoned_date("2013-03-15T23:30:00-05:00", sthlm).unwrap().to_string(), "2013-03-16");
        assert_eq!(zoned_date("2013-03-15 23:30Z", sthlm).unwrap().to_string(), "2013-03-16");
        assert_eq!(zoned_date("2013-03-15T22:59:59Z", sthlm).unwrap().to_string(), "2013-03-15");
        // Summer time: UTC+2 from the last Sunday of March.
        assert_eq!(zoned_date("2013-06-30T22:30:00+00:00", sthlm).unwrap().to_string(), "2013-07-01");
        assert_eq!(zoned_date("2013-03-15T23:30:00", sthlm), None);
        assert_eq!(zoned_date("2013-03-15", sthlm), None);
        // Without --timezone the date is the one written.
        assert_eq!(parse_date("2013-03-15T23:30:00-05:00", None).unwrap().to_string(), "2013-03-15");
    }

    #[test]
    fn fast_path_agrees() {
        for s in ["2013-03-15", "2012-02-29", "1999-12-31"] {
            assert_eq!(parse_iso_fast(s.as_bytes()), parse_date(s, None).ok());
        }
        for s in ["2013-02-30", "2013-3-15", "24-02-05xx", "2013-03-15T10:00", "0024-02-05"] {
            assert_eq!(parse_iso_fast(s.as_bytes()), None, "{s}");
        }
    }
}
