//! Reading money exactly from the ways people and programs write it.
//!
//! `25 000,50 kr`, `1.234,56`, `1'234.56`, `(1 234,50)` and `1 234,50-` are
//! all amounts. Whether `.` or `,` is the decimal separator is decided once
//! per column (see `evidence`), never value by value, because `1.234` alone
//! could be either. Parsing is our own, digit by digit, so nothing is ever
//! rounded: a value that cannot be held exactly is refused.

use rust_decimal::Decimal;

/// Which character separates the decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DecimalStyle {
    /// `1,234.56`
    Point,
    /// `1.234,56` or `1 234,56`
    Comma,
}

impl DecimalStyle {
    pub fn other(self) -> DecimalStyle {
        match self {
            DecimalStyle::Point => DecimalStyle::Comma,
            DecimalStyle::Comma => DecimalStyle::Point,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DecimalStyle::Point => "decimal point",
            DecimalStyle::Comma => "decimal comma",
        }
    }
}

/// The most integer digits an amount may have: 13 (under ten trillion).
/// With at most `MAX_DECIMALS` decimals, a billion such amounts still add up
/// exactly in a 96-bit decimal.
pub const MAX_INTEGER_DIGITS: usize = 13;
/// The most decimals an amount may have (trailing zeros do not count).
pub const MAX_DECIMALS: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("cannot read {0:?} as an amount")]
    Invalid(String),
    #[error(
        "{0:?} has more than {MAX_INTEGER_DIGITS} digits before the decimals; amounts that large are refused so that every sum stays exact"
    )]
    TooLarge(String),
    #[error("{0:?} has more than {MAX_DECIMALS} decimals; it is refused rather than rounded")]
    TooPrecise(String),
    #[error("{value:?} uses a {}, but the column uses a {} (as {decided_by:?} on line {line} shows)", .style.other().name(), .style.name())]
    Mixed { value: String, style: DecimalStyle, decided_by: String, line: u64 },
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t')
}

const CURRENCY_WORDS: [&str; 11] = ["sek", "eur", "usd", "nok", "dkk", "gbp", "chf", "kr.", "kr", ":-", ",-"];
const CURRENCY_SIGNS: [char; 4] = ['€', '$', '£', '¤'];

/// A currency written in an amount (`100 EUR`, `$100`, `100 kr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// An ISO code, or a sign that names one currency (`€`, `£`).
    Code(&'static str),
    /// `kr`, `kr.` or `:-`: a krona (SEK unless the currency column names
    /// another krona).
    Krona,
    /// `$`: a dollar (USD unless the currency column names another dollar).
    Dollar,
}

const KRONOR: [&str; 4] = ["SEK", "NOK", "DKK", "ISK"];
const DOLLARS: [&str; 8] = ["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD"];

impl Written {
    fn of_word(w: &str) -> Option<Written> {
        Some(match w {
            "sek" => Written::Code("SEK"),
            "eur" => Written::Code("EUR"),
            "usd" => Written::Code("USD"),
            "nok" => Written::Code("NOK"),
            "dkk" => Written::Code("DKK"),
            "gbp" => Written::Code("GBP"),
            "chf" => Written::Code("CHF"),
            "kr." | "kr" | ":-" => Written::Krona,
            _ => return None, // ",-" says only that there are no decimals
        })
    }

    fn of_sign(c: char) -> Option<Written> {
        match c {
            '€' => Some(Written::Code("EUR")),
            '£' => Some(Written::Code("GBP")),
            '$' => Some(Written::Dollar),
            _ => None,
        }
    }

    /// The deal's currency, given what the currency column says (upper
    /// case, empty when there is none); `Err` with the currency the amount
    /// names when the two disagree.
    pub fn with_column(self, column: &str) -> Result<String, &'static str> {
        let (default, family): (&'static str, &[&str]) = match self {
            Written::Code(c) => (c, &[]),
            Written::Krona => ("SEK", &KRONOR),
            Written::Dollar => ("USD", &DOLLARS),
        };
        if column.is_empty() {
            Ok(default.to_string())
        } else if column == default || family.contains(&column) {
            Ok(column.to_string())
        } else {
            Err(match self {
                Written::Code(c) => c,
                Written::Krona => "kronor",
                Written::Dollar => "dollars",
            })
        }
    }
}
const MINUS: [char; 2] = ['-', '\u{2212}'];

fn strip_prefix_ci<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let head = s.get(..word.len())?;
    head.eq_ignore_ascii_case(word).then(|| &s[word.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(word.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(word).then(|| &s[..cut])
}

/// Split a raw value into its sign and the bare number (digits and
/// separators), dropping currency words and signs around it.
fn split_sign(raw: &str) -> Result<(bool, &str), AmountError> {
    split_currency(raw).map(|(negative, s, _)| (negative, s))
}

/// `split_sign`, and the currency the value names, if any (two different
/// ones make the value invalid).
fn split_currency(raw: &str) -> Result<(bool, &str, Option<Written>), AmountError> {
    match split_plain(raw) {
        Some(split) => Ok(split),
        None => split_general(raw),
    }
}

/// `split_currency` for any value: peel spaces, signs and currencies.
fn split_general(raw: &str) -> Result<(bool, &str, Option<Written>), AmountError> {
    let invalid = || AmountError::Invalid(raw.to_string());
    let mut s = raw.trim_matches(is_space);
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    let mut negative = false;
    let mut signs = 0;
    let mut written: Option<Written> = None;
    let mut clash = false;
    let mut note = |w: Option<Written>| {
        if let Some(w) = w {
            clash |= written.is_some_and(|old| old != w);
            written = Some(w);
        }
    };
    if let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        signs += 1;
        s = inner.trim_matches(is_space);
    }
    // Peel signs and currency words off both ends until nothing changes.
    loop {
        let before = s;
        for w in CURRENCY_WORDS {
            if let Some(t) = strip_prefix_ci(s, w) {
                s = t;
                note(Written::of_word(w));
            }
            if let Some(t) = strip_suffix_ci(s, w) {
                s = t;
                note(Written::of_word(w));
            }
        }
        s = s.trim_matches(is_space);
        if let Some(t) = s.strip_prefix(MINUS) {
            negative = true;
            signs += 1;
            s = t;
        } else if let Some(t) = s.strip_prefix('+') {
            signs += 1;
            s = t;
        } else if let Some(t) = s.strip_suffix(MINUS) {
            negative = true;
            signs += 1;
            s = t;
        }
        while let Some(c) = s.chars().next().filter(|c| CURRENCY_SIGNS.contains(c)) {
            note(Written::of_sign(c));
            s = &s[c.len_utf8()..];
        }
        while let Some(c) = s.chars().next_back().filter(|c| CURRENCY_SIGNS.contains(c)) {
            note(Written::of_sign(c));
            s = &s[..s.len() - c.len_utf8()];
        }
        s = s.trim_matches(is_space);
        if s == before {
            break;
        }
    }
    if signs > 1 || s.is_empty() || clash {
        return Err(invalid());
    }
    let first_last_digit =
        s.chars().next().is_some_and(|c| c.is_ascii_digit()) && s.chars().last().is_some_and(|c| c.is_ascii_digit());
    let allowed = s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '\'' || is_space(c));
    if !first_last_digit || !allowed {
        return Err(invalid());
    }
    Ok((negative, s, written))
}

/// The common case of `split_currency`, decided from the bytes alone: a
/// bare number (`1234.50`, `-1,234.50`: ASCII digits first and last,
/// only digits and `.` `,` `'` between, perhaps one leading `-`) has no
/// space to trim, no currency word or sign and one sign at most, so the
/// general loop would return it as it is. `None` for anything else.
fn split_plain(raw: &str) -> Option<(bool, &str, Option<Written>)> {
    let (negative, s) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let b = s.as_bytes();
    let plain = b.first().is_some_and(u8::is_ascii_digit)
        && b.last().is_some_and(u8::is_ascii_digit)
        && b.iter().all(|&c| c.is_ascii_digit() || c == b'.' || c == b',' || c == b'\'');
    plain.then_some((negative, s, None))
}

/// What one value says about the column's decimal separator: `None` when it
/// says nothing (`25000`, `1 234`), is ambiguous (`1.234`, `1,500`), or is
/// no amount in the style it points to (`1.2.3`): a row that is then
/// refused settles nothing, in either reader.
pub fn evidence(raw: &str) -> Option<DecimalStyle> {
    let style = raw_evidence(raw)?;
    parse_amount(raw, style).is_ok().then_some(style)
}

/// Whether the value shows the other style than `style`: `evidence(raw)
/// == Some(style.other())`, with the value read only when its separators
/// point that way.
pub fn shows_other(raw: &str, style: DecimalStyle) -> bool {
    let other = style.other();
    raw_evidence(raw) == Some(other) && parse_amount(raw, other).is_ok()
}

fn raw_evidence(raw: &str) -> Option<DecimalStyle> {
    let (_, s) = split_sign(raw).ok()?;
    // Byte counts: `matches` searched for a char, slower for every amount.
    let dots = s.bytes().filter(|&b| b == b'.').count();
    let commas = s.bytes().filter(|&b| b == b',').count();
    let other = |c: char| if c == '.' { DecimalStyle::Comma } else { DecimalStyle::Point };
    let same = |c: char| if c == '.' { DecimalStyle::Point } else { DecimalStyle::Comma };
    match (dots, commas) {
        (0, 0) => None,
        (d, c) if d > 0 && c > 0 => {
            let last = s.rfind(['.', ',']).map(|i| s.as_bytes()[i] as char)?;
            Some(same(last))
        }
        (d, c) => {
            let (n, sep) = if d > 0 { (d, '.') } else { (c, ',') };
            if n > 1 {
                return Some(other(sep));
            }
            let (int, frac) = s.split_once(sep)?;
            let int_digits = int.chars().filter(|c| c.is_ascii_digit()).count();
            let grouped = int.contains(|c: char| is_space(c) || c == '\'');
            // "1.234" could be a thousand or one and a bit; anything else
            // after or before the separator tells which it is.
            if frac.len() != 3 || grouped || int_digits > 3 || int == "0" { Some(same(sep)) } else { None }
        }
    }
}

/// True when the value has a separator whose meaning depends on the column.
pub fn is_ambiguous(raw: &str) -> bool {
    evidence(raw).is_none() && raw.contains(['.', ','])
}

/// The currency written in an amount, if it names one (`100 EUR`).
pub fn written_currency(raw: &str) -> Option<Written> {
    split_currency(raw).ok()?.2
}

/// Parse an amount, given the column's decimal style.
pub fn parse_amount(raw: &str, style: DecimalStyle) -> Result<Decimal, AmountError> {
    parse_amount_currency(raw, style).map(|(d, _)| d)
}

/// Parse an amount and the currency written in it (`100 EUR`).
pub fn parse_amount_currency(raw: &str, style: DecimalStyle) -> Result<(Decimal, Option<Written>), AmountError> {
    let invalid = || AmountError::Invalid(raw.trim().to_string());
    let (negative, s, written) = split_currency(raw)?;
    let (dec_sep, other_sep) = match style {
        DecimalStyle::Point => ('.', ','),
        DecimalStyle::Comma => (',', '.'),
    };
    if let Some(d) = plain_amount(negative, s, dec_sep as u8) {
        return Ok((d, written));
    }
    let (int, frac) = match s.split_once(dec_sep) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let frac = frac.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (frac.is_empty() && s.contains(dec_sep)) {
        return Err(invalid());
    }
    // Integer part: digits in groups of three after the first, one kind of
    // group separator at most.
    let mut group_sep: Option<char> = None;
    let mut groups: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in int.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        let kind = if is_space(c) { ' ' } else { c };
        if kind != ' ' && kind != '\'' && kind != other_sep {
            return Err(invalid());
        }
        if group_sep.is_some_and(|g| g != kind) {
            return Err(invalid());
        }
        group_sep = Some(kind);
        groups.push(&int[start..i]);
        start = i + c.len_utf8();
    }
    groups.push(&int[start..]);
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(invalid());
        }
    }
    let int_digits: String = groups.concat();
    let significant = int_digits.trim_start_matches('0');
    if significant.len() > MAX_INTEGER_DIGITS {
        return Err(AmountError::TooLarge(raw.trim().to_string()));
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > MAX_DECIMALS {
        return Err(AmountError::TooPrecise(raw.trim().to_string()));
    }
    let mut mantissa: i128 = 0;
    for b in significant.bytes().chain(frac.bytes()) {
        mantissa = mantissa * 10 + i128::from(b - b'0');
    }
    if negative {
        mantissa = -mantissa;
    }
    Ok((Decimal::from_i128_with_scale(mantissa, frac.len() as u32), written))
}

/// The common case of `parse_amount_currency`: digits, perhaps the
/// decimal separator and more digits, within the limits. The same value as
/// the general rules give (leading zeros and the decimals' trailing zeros
/// do not count); `None` for anything else, which the general rules read
/// or refuse.
fn plain_amount(negative: bool, s: &str, dec_sep: u8) -> Option<Decimal> {
    let b = s.as_bytes();
    let (int, frac) = match b.iter().position(|&c| c == dec_sep) {
        Some(i) => (&b[..i], &b[i + 1..]),
        None => (b, &b[b.len()..]),
    };
    let digits = |p: &[u8]| p.iter().all(u8::is_ascii_digit);
    if int.is_empty() || !digits(int) || !digits(frac) || (frac.is_empty() && int.len() < b.len()) {
        return None;
    }
    let lead = int.iter().take_while(|&&c| c == b'0').count();
    let significant = &int[lead..];
    let frac = &frac[..frac.len() - frac.iter().rev().take_while(|&&c| c == b'0').count()];
    if significant.len() > MAX_INTEGER_DIGITS || frac.len() > MAX_DECIMALS {
        return None;
    }
    let mut mantissa: i128 = 0;
    for &c in significant.iter().chain(frac) {
        mantissa = mantissa * 10 + i128::from(c - b'0');
    }
    if negative {
        mantissa = -mantissa;
    }
    Some(Decimal::from_i128_with_scale(mantissa, frac.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::DecimalStyle::{Comma, Point};
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_plain_number_splits_as_the_general_loop_splits_it(s in "[-+ ()0-9.,'€$a-z:]{0,8}") {
            if let Some(quick) = split_plain(&s) {
                proptest::prop_assert_eq!(Ok(quick), split_general(&s));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_plain_amount_reads_as_the_general_rules_read_it(s in "-?[0-9]{0,16}([.,][0-9]{0,9})?", comma: bool) {
            let style = if comma { Comma } else { Point };
            let sep = if comma { b',' } else { b'.' };
            let (negative, bare) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s.as_str()),
            };
            if let Some(quick) = plain_amount(negative, bare, sep) {
                // Against the rules below the quick path, digit by digit.
                let general = general_amount(&s, style);
                proptest::prop_assert_eq!(Some(quick), general);
                proptest::prop_assert_eq!(quick.scale(), general.unwrap().scale());
            }
        }
    }

    /// The value by the rules, worked out on the text without the quick
    /// path: integer digits without leading zeros (at most 13), decimals
    /// without trailing zeros (at most 6).
    fn general_amount(s: &str, style: DecimalStyle) -> Option<Decimal> {
        let sep = if style == Comma { ',' } else { '.' };
        let (negative, t) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
        let (int, frac) = t.split_once(sep).unwrap_or((t, ""));
        let (int, frac) = (int.trim_start_matches('0'), frac.trim_end_matches('0'));
        if int.len() > 13 || frac.len() > 6 {
            return None;
        }
        let digits =
            format!("{}{int}{}{frac}", if negative { "-" } else { "" }, if frac.is_empty() { "" } else { "." });
        let digits = if int.is_empty() { digits.replacen('.', "0.", 1) } else { digits };
        let digits = if digits == "-" || digits.is_empty() { "0".to_string() } else { digits };
        digits.parse::<Decimal>().ok()
    }

    proptest::proptest! {
        #[test]
        fn showing_the_other_style_is_evidence_of_it(s in "[-0-9., 'a-z]{0,10}", comma: bool) {
            let style = if comma { Comma } else { Point };
            proptest::prop_assert_eq!(shows_other(&s, style), evidence(&s) == Some(style.other()));
        }
    }

    #[test]
    fn plain_numbers_are_seen_at_once() {
        assert_eq!(split_plain("1234.50"), Some((false, "1234.50", None)));
        assert_eq!(split_plain("-1,234.50"), Some((true, "1,234.50", None)));
        assert_eq!(split_plain("1'234"), Some((false, "1'234", None)));
        for s in ["", "-", "--5", "5-", " 5", "5 kr", "$5", "(5)", ".5", "5.", "+5", "1 234"] {
            assert_eq!(split_plain(s), None, "{s:?}");
        }
    }

    fn ok(raw: &str, style: DecimalStyle) -> String {
        parse_amount(raw, style).unwrap_or_else(|e| panic!("{raw:?}: {e}")).to_string()
    }

    #[test]
    fn every_written_form() {
        let cases: &[(&str, DecimalStyle, &str)] = &[
            ("25000", Point, "25000"),
            ("25000", Comma, "25000"),
            ("25 000", Comma, "25000"),
            ("25 000,50", Comma, "25000.5"),
            ("25 000,50 kr", Comma, "25000.5"),
            ("25000kr", Comma, "25000"),
            ("SEK 1 234", Comma, "1234"),
            ("1\u{a0}234,50", Comma, "1234.5"),
            ("1\u{202f}234,50", Comma, "1234.5"),
            ("1.234,56", Comma, "1234.56"),
            ("1'234.56", Point, "1234.56"),
            ("1,234.56", Point, "1234.56"),
            ("€1.234,56", Comma, "1234.56"),
            ("-1 234,50", Comma, "-1234.5"),
            ("\u{2212}1 234,50", Comma, "-1234.5"),
            ("(1 234,50)", Comma, "-1234.5"),
            ("1 234,50-", Comma, "-1234.5"),
            ("-€1.234,56", Comma, "-1234.56"),
            ("1 029kr", Comma, "1029"),
            ("764,17kr", Comma, "764.17"),
            ("1.234", Comma, "1234"),
            ("1.234", Point, "1.234"),
            ("0.10", Point, "0.1"),
            ("+5", Point, "5"),
            ("100:-", Comma, "100"),
            ("1.234.567,5", Comma, "1234567.5"),
            ("9999999999999.999999", Point, "9999999999999.999999"),
            ("1.50000000", Point, "1.5"),
            ("-0", Point, "0"),
        ];
        for (raw, style, want) in cases {
            assert_eq!(ok(raw, *style), *want, "{raw:?}");
        }
    }

    #[test]
    fn refusals() {
        let bad: &[(&str, DecimalStyle)] = &[
            ("abc", Point),
            ("1_000", Point),
            ("1e3", Point),
            ("1.2.3", Point),
            ("12,34", Point),
            ("1 23", Comma),
            ("1,234.56", Comma),
            ("--5", Point),
            ("(-5)", Point),
            ("5.", Point),
            (".5", Point),
            ("kr", Comma),
            ("1 234'567", Point),
            ("0x10", Point),
            ("NaN", Point),
        ];
        for (raw, style) in bad {
            assert!(matches!(parse_amount(raw, *style), Err(AmountError::Invalid(_))), "{raw:?} should be invalid");
        }
        assert_eq!(parse_amount("  ", Point), Err(AmountError::Empty));
        assert!(matches!(parse_amount("10000000000000", Point), Err(AmountError::TooLarge(_))));
        assert!(matches!(parse_amount("12345678901234567890123456789", Point), Err(AmountError::TooLarge(_))));
        assert!(matches!(parse_amount("1.1234567", Point), Err(AmountError::TooPrecise(_))));
    }

    #[test]
    fn currencies_written_in_the_amount() {
        let cases: &[(&str, Option<Written>)] = &[
            ("100 EUR", Some(Written::Code("EUR"))),
            ("SEK 100", Some(Written::Code("SEK"))),
            ("$100", Some(Written::Dollar)),
            ("100 kr", Some(Written::Krona)),
            ("100:-", Some(Written::Krona)),
            ("€1.234,56", Some(Written::Code("EUR"))),
            ("-£5", Some(Written::Code("GBP"))),
            ("100,-", None),
            ("100", None),
            ("¤100", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_amount_currency(raw, Comma).unwrap().1, *want, "{raw:?}");
        }
        assert!(parse_amount_currency("€100 SEK", Point).is_err());
        assert_eq!(Written::Krona.with_column(""), Ok("SEK".into()));
        assert_eq!(Written::Krona.with_column("NOK"), Ok("NOK".into()));
        assert_eq!(Written::Krona.with_column("EUR"), Err("kronor"));
        assert_eq!(Written::Dollar.with_column("CAD"), Ok("CAD".into()));
        assert_eq!(Written::Code("EUR").with_column("SEK"), Err("EUR"));
        assert_eq!(Written::Code("EUR").with_column("EUR"), Ok("EUR".into()));
    }

    #[test]
    fn evidence_per_value() {
        let cases: &[(&str, Option<DecimalStyle>)] = &[
            ("25000", None),
            ("25 000", None),
            ("1.234", None),
            ("1,500", None),
            ("1.5", Some(Point)),
            ("1,5", Some(Comma)),
            ("1.234,56", Some(Comma)),
            ("1,234.56", Some(Point)),
            ("1.234.567", Some(Comma)),
            ("1,234,567", Some(Point)),
            ("25 000,50 kr", Some(Comma)),
            ("1234.567", Some(Point)),
            ("0,123", Some(Comma)),
            ("1 234,567", Some(Comma)),
            ("1.2345", Some(Point)),
            ("abc", None),
            // Evidence only from a value that is an amount in that style.
            ("1.2.3", None),
            ("1,23,4", None),
        ];
        for (raw, want) in cases {
            assert_eq!(evidence(raw), *want, "{raw:?}");
        }
        assert!(is_ambiguous("1.234"));
        assert!(!is_ambiguous("1234"));
    }
}
