//! Reading deal dates from the shapes exports use.
//!
//! ISO dates and timestamps are read as written (the calendar date before
//! any time or zone). `15.03.2013` is day first; `03/04/2013` could be
//! either, so the order is decided once per column from the values (a first
//! number above 12 settles it) or by `--date-format`. Years have four
//! digits in a sane range, or two in `6/1/11` and `02.03.24` (as Excel
//! writes dates in a CSV, read with Excel's window: 00-29 are 2000-2029,
//! 30-99 are 1930-1999); `24-02-05` or an Excel serial number never turns
//! into a date by accident.

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
    #[error(
        "{0:?} has a two-digit year that cannot be read here (write the year with four digits, or as D/M/YY or D.M.YY)"
    )]
    TwoDigitYear(String),
    #[error("{0:?} looks like an Excel serial number, not a date; export the column as dates")]
    Serial(String),
    #[error("{0:?} is a date written without separators, which aov does not guess at; write it as YYYY-MM-DD")]
    Compact(String),
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
        // A time must follow, a real one: HH:MM[:SS[.fff]], then perhaps
        // AM/PM or a zone (Z, UTC, +01, +0100, +01:00).
        if time_of(&t[d.len() + 1..]).is_none() {
            return Err(invalid());
        }
    }
    if d.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !d.contains('-')
        && !d.contains('/')
        && d.matches('.').count() <= 1
    {
        // 41348 or 41348.5: a spreadsheet serial number. 20130305: a date
        // without separators.
        let int = d.split('.').next().unwrap_or("");
        let compact = d.len() == 8
            && int.len() == 8
            && NaiveDate::from_ymd_opt(
                int[..4].parse().unwrap_or(0),
                int[4..6].parse().unwrap_or(0),
                int[6..].parse().unwrap_or(0),
            )
            .is_some();
        return Err(if compact {
            DateError::Compact(t.to_string())
        } else if (4..=6).contains(&int.len()) && d.len() <= 12 {
            DateError::Serial(t.to_string())
        } else {
            invalid()
        });
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
    let y = match (digits(parts[2], 2, 2), sep) {
        // `6/1/11` and `02.03.24`, as Excel writes dates in a CSV: its
        // window puts 00-29 in 2000-2029 and 30-99 in 1930-1999.
        (Some(yy), '/' | '.') => excel_year(yy),
        (Some(_), _) => return Err(DateError::TwoDigitYear(t.to_string())),
        (None, _) => digits(parts[2], 4, 4)
            .ok_or_else(|| if parts[2].len() < 4 { DateError::Year(t.to_string()) } else { invalid() })?
            as i32,
    };
    Ok(match sep {
        '.' => Shape::Dmy(y, b, a),
        _ => Shape::Slashed(a, b, y),
    })
}

/// The year Excel reads for a two-digit year.
fn excel_year(yy: u32) -> i32 {
    if yy < 30 { 2000 + yy as i32 } else { 1900 + yy as i32 }
}

/// Whether the value is a date with a two-digit year (`6/1/11 12:05`).
pub fn has_two_digit_year(raw: &str) -> bool {
    if parse_iso_fast(raw.as_bytes()).is_some() {
        return false; // the common case: an ISO date
    }
    let t = raw.trim();
    let d = date_part(t);
    match d.bytes().find(|b| matches!(b, b'/' | b'.')) {
        Some(sep) => {
            let parts: Vec<&str> = d.split(sep as char).collect();
            parts.len() == 3 && parts[0].len() <= 2 && digits(parts[2], 2, 2).is_some()
        }
        None => false,
    }
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
    if parse_iso_fast(raw.as_bytes()).is_some() {
        return None; // year first: nothing to settle
    }
    let order = match shape(raw).ok()? {
        Shape::Slashed(a, b, _) if a > 12 && b <= 12 => DateOrder::DayFirst,
        Shape::Slashed(a, b, _) if b > 12 && a <= 12 => DateOrder::MonthFirst,
        _ => return None,
    };
    parse_date(raw, Some(order)).is_ok().then_some(order)
}

/// True when the value's meaning depends on the column's order.
pub fn is_ambiguous(raw: &str) -> bool {
    if parse_iso_fast(raw.as_bytes()).is_some() {
        return false; // year first: certain
    }
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

/// A time of day after a date: (hour, minute, second, zone offset in
/// seconds east of UTC when a zone is written). `None` when it is not a
/// time: hour 25, minute 61 and zone +99:00 are not.
fn time_of(rest: &str) -> Option<(u32, u32, u32, Option<i32>)> {
    let b = rest.as_bytes();
    let num = |i: usize| -> Option<u32> { digits(rest.get(i..i + 2)?, 2, 2) };
    // The hour in one digit or two (Excel writes `8:26`).
    let p = b.iter().take(3).position(|c| *c == b':').filter(|p| (1..=2).contains(p))?;
    let (h, m) = (digits(rest.get(..p)?, 1, 2)?, num(p + 1)?);
    let mut i = p + 3;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = num(i + 1)?;
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            i += 1 + n;
        }
    }
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let zone = rest[i..].trim_start_matches(' ');
    let offset = match zone {
        "" => None,
        _ if zone.eq_ignore_ascii_case("am") || zone.eq_ignore_ascii_case("pm") => {
            if !(1..=12).contains(&h) {
                return None;
            }
            None
        }
        "Z" | "z" => Some(0),
        _ if zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt") => Some(0),
        _ => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = &zone[1..];
            if !z.is_ascii() {
                return None;
            }
            let (zh, zm) = match z.len() {
                2 => (digits(z, 2, 2)?, 0),
                4 => (digits(&z[..2], 2, 2)?, digits(&z[2..], 2, 2)?),
                5 if z.as_bytes()[2] == b':' => (digits(&z[..2], 2, 2)?, digits(&z[3..], 2, 2)?),
                _ => return None,
            };
            // Real zones lie within 14 hours of UTC; ISO allows up to 18.
            if zh > 18 || zm > 59 || zh * 60 + zm > 18 * 60 {
                return None;
            }
            Some(sign * (zh * 3600 + zm * 60) as i32)
        }
    };
    Some((h, m, sec.min(59), offset))
}

/// The calendar date of a zoned timestamp in time zone `tz`: ISO
/// (`2013-03-15T23:30:00-05:00`, `...Z`, `T23:30:00 -05:00`), Rails
/// (`2013-03-31 23:30:00 UTC`) and PostgreSQL (`2013-03-31 23:30:00+01`).
/// `None` when the value carries no zone (it is then read as written);
/// the converted date must still lie in 1900-2199.
pub fn zoned_date(raw: &str, tz: chrono_tz::Tz) -> Option<Result<NaiveDate, DateError>> {
    let t = raw.trim();
    let d = date_part(t);
    if d.len() >= t.len() {
        return None;
    }
    let (h, m, sec, offset) = time_of(&t[d.len() + 1..])?;
    let offset = offset?;
    let date = match shape(t) {
        Ok(Shape::Ymd(y, mo, day)) | Ok(Shape::Dmy(y, mo, day)) => match make(t, y, mo, day) {
            Ok(date) => date,
            Err(e) => return Some(Err(e)),
        },
        // Day and month not yet told apart, or no date: the general parser
        // says so.
        _ => return None,
    };
    let local = date.and_hms_opt(h, m, sec)?;
    let utc = local - chrono::Duration::seconds(i64::from(offset));
    let converted = chrono::TimeZone::from_utc_datetime(&tz, &utc).date_naive();
    use chrono::Datelike;
    Some(if YEARS.contains(&converted.year()) { Ok(converted) } else { Err(DateError::Year(t.to_string())) })
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
        assert!(matches!(parse_date("24-02-05", None), Err(DateError::TwoDigitYear(_))));
        assert!(matches!(parse_date("05-02-24", None), Err(DateError::TwoDigitYear(_))));
        assert!(matches!(parse_date("05/02/024", None), Err(DateError::Year(_))));
        assert!(matches!(parse_date("0024-02-05", None), Err(DateError::Year(_))));
        assert!(matches!(parse_date("2300-02-05", None), Err(DateError::Year(_))));
        assert!(matches!(parse_date("05/02/24", None), Err(DateError::Ambiguous(_))));
        assert!(matches!(parse_date("41348", None), Err(DateError::Serial(_))));
        assert!(matches!(parse_date("41348.5", None), Err(DateError::Serial(_))));
        assert!(matches!(parse_date("20130305", None), Err(DateError::Compact(_))));
        // Found by the date fuzz target: eight bytes with a point.
        assert!(matches!(parse_date("15.02013", None), Err(DateError::Serial(_) | DateError::Invalid(_))));
        // And a zone that is not ASCII.
        assert!(matches!(parse_date("2013-03-15T14:42-=\u{85}+", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("2013-03-15T14:42+0\u{e9}", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("1234567890", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("03/04/2013", None), Err(DateError::Ambiguous(_))));
        assert!(matches!(parse_date("13/13/2013", Some(DayFirst)), Err(DateError::NoSuchDay(_))));
        assert!(matches!(parse_date("yesterday", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("2013-03-15X", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("2013-03-15 noon", None), Err(DateError::Invalid(_))));
        assert!(matches!(parse_date("2013-03", None), Err(DateError::Invalid(_))));
    }

    #[test]
    fn two_digit_years_follow_excels_window() {
        let cases: &[(&str, Option<DateOrder>, &str)] = &[
            ("6/1/11 12:05", Some(MonthFirst), "2011-06-01"),
            ("6/1/11 12:05", Some(DayFirst), "2011-01-06"),
            ("02/03/24", Some(DayFirst), "2024-03-02"),
            ("12/31/29", None, "2029-12-31"),
            ("12/31/30", None, "1930-12-31"),
            ("31/12/99", None, "1999-12-31"),
            ("1/1/00", None, "2000-01-01"),
            ("15.03.13", None, "2013-03-15"),
            ("12/13/2010 8:26", None, "2010-12-13"),
        ];
        for (raw, order, want) in cases {
            assert_eq!(ok(raw, *order), *want, "{raw:?}");
        }
        assert_eq!(evidence("13/1/11"), Some(DayFirst));
        assert_eq!(evidence("1/13/11 09:00"), Some(MonthFirst));
        assert!(is_ambiguous("6/1/11 12:05"));
        assert!(has_two_digit_year("6/1/11 12:05"));
        assert!(has_two_digit_year("15.03.13"));
        assert!(!has_two_digit_year("15.03.2013"));
        assert!(!has_two_digit_year("2013-03-15"));
        let e = parse_date("24-02-05", None).unwrap_err().to_string();
        assert!(e.contains("two-digit year"), "{e}");
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
        let z = |s: &str| zoned_date(s, sthlm).map(|r| r.map(|d| d.to_string()));
        let day = |s: &str| Some(Ok(s.to_string()));
        assert_eq!(z("2013-03-15T23:30:00-05:00"), day("2013-03-16"));
        assert_eq!(z("2013-03-15 23:30Z"), day("2013-03-16"));
        assert_eq!(z("2013-03-15T22:59:59Z"), day("2013-03-15"));
        // Summer time: UTC+2 from the last Sunday of March.
        assert_eq!(z("2013-06-30T22:30:00+00:00"), day("2013-07-01"));
        // Rails, PostgreSQL and a space before the offset.
        assert_eq!(z("2013-03-30 23:30:00 UTC"), day("2013-03-31"));
        assert_eq!(z("2013-03-31 23:30:00+01"), day("2013-04-01"));
        assert_eq!(z("2013-03-31 23:30:00.123456+05:30"), day("2013-03-31"));
        assert_eq!(z("2013-03-15T23:30:00 -05:00"), day("2013-03-16"));
        assert_eq!(z("2013-03-15T23:30:00 -0500"), day("2013-03-16"));
        // The year check holds after conversion too.
        assert!(matches!(z("0024-03-15T10:00:00Z"), Some(Err(DateError::Year(_)))));
        assert!(matches!(z("2199-12-31T23:30:00-05:00"), Some(Err(DateError::Year(_)))));
        // Not times: refused, with or without --timezone.
        for bad in
            ["2013-03-15T25:00:00Z", "2013-03-15T10:61:00Z", "2013-03-15T10:00:00+99:00", "2013-03-15 10:00 noon"]
        {
            assert_eq!(z(bad), None, "{bad}");
            assert!(matches!(parse_date(bad, None), Err(DateError::Invalid(_))), "{bad}");
        }
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
