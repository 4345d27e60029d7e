//! The language people read a report in: its words (headers, labels,
//! footer lines) and its way of writing numbers, one file per language
//! behind one struct, so a third language is one more file and one more
//! `Lang` variant. Only the formats people read use it (table, Markdown,
//! HTML, charts, explain's sentences); csv, tsv, json and jsonl keep their
//! English column names and plain numbers, whatever the language.

pub mod en;
pub mod sv;

use crate::aggregate::Fixed;
use crate::render::Value;

/// A language of the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Sv,
}

impl Lang {
    /// The words and number style of the language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &en::STRINGS,
            Lang::Sv => &sv::STRINGS,
        }
    }

    /// The language a locale value names (`sv`, `sv_SE.UTF-8`, `sv-FI`,
    /// `en_GB`); `None` for `C`, `POSIX` and languages aov does not speak.
    pub fn from_locale(value: &str) -> Option<Lang> {
        let code: String = value.trim().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        match code.to_ascii_lowercase().as_str() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the environment: the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty decides, as in
    /// POSIX; `None` when it names no language aov speaks (`C`, `de_DE`).
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| get(k).filter(|v| !v.trim().is_empty()))
            .and_then(|v| Lang::from_locale(&v))
    }
}

/// What the status filter counted, for the footer's definition line.
#[derive(Clone, Copy, Debug)]
pub enum Counted<'a> {
    /// The won statuses (the default).
    Won,
    /// Every status (`--status all`).
    All,
    /// The `--status` values given, joined by the language's "or".
    Chosen(&'a [String]),
}

/// Everything a language says, and how it writes a number.
pub struct Strings {
    /// The `--lang` value.
    pub code: &'static str,
    /// Between groups of three integer digits.
    pub group: &'static str,
    /// Between the integer and the decimals.
    pub decimal: &'static str,
    /// Before a negative number.
    pub minus: &'static str,
    /// Between a percentage and `%`.
    pub pct_space: &'static str,
    /// Column headers for field names, where people's formats show other
    /// words; a field not listed is shown by its name.
    pub headers: &'static [(&'static str, &'static str)],
    /// Currency codes written the local way (`SEK` as `kr`) next to an amount.
    pub currencies: &'static [(&'static str, &'static str)],
    /// The first cell of a totals line.
    pub total: &'static str,
    /// `or`, between chosen statuses.
    pub or: &'static str,
    /// The table when nothing is left.
    pub no_deals: &'static str,
    /// The label of the sparkline line under the table.
    pub trend: &'static str,
    /// What the sparkline's scale starts from.
    pub trend_scale: &'static str,
    /// The note under a table with thin rows (`°`), given the threshold.
    pub thin: fn(&Strings, u64) -> String,
    /// The footer line of the row accounting: read, used, filtered, rejected.
    pub rows: fn(&Strings, [u64; 4]) -> String,
    /// The footer line saying what the AOV is made of.
    pub definition: fn(&Strings, Counted<'_>, bool) -> String,
}

impl Strings {
    /// The header shown for field `column`.
    pub fn header<'a>(&self, column: &'a str) -> &'a str {
        self.headers.iter().find(|(f, _)| *f == column).map_or(column, |(_, h)| h)
    }

    /// A currency code as written next to an amount.
    pub fn currency<'a>(&self, code: &'a str) -> &'a str {
        self.currencies.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map_or(code, |(_, s)| s)
    }

    /// `f` with grouped digits, the decimal mark and minus sign of the
    /// language, no plus sign: `1,234,567.89`, `−1 234 567,89`.
    pub fn number(&self, f: &Fixed) -> String {
        let (int, frac) = f.parts();
        let mut s = String::with_capacity(int.len() * 2 + frac.len() + 4);
        if f.is_negative() {
            s.push_str(self.minus);
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                s.push_str(self.group);
            }
            s.push(c);
        }
        if !frac.is_empty() {
            s.push_str(self.decimal);
            s.push_str(&frac);
        }
        s
    }

    /// `number`, with `+` before a positive value.
    pub fn signed(&self, f: &Fixed) -> String {
        if f.is_positive() { format!("+{}", self.number(f)) } else { self.number(f) }
    }

    /// A whole number, grouped.
    pub fn count(&self, n: u64) -> String {
        self.number(&crate::aggregate::exact::round_decimal(rust_decimal::Decimal::from(n), 0))
    }

    /// A percentage with its sign and `%`: `+10.8 %`, `−50,0 %`.
    pub fn pct(&self, f: &Fixed) -> String {
        format!("{}{}%", self.signed(f), self.pct_space)
    }

    /// An amount with its currency, the local way: `275,00 kr`, `275.00 SEK`.
    pub fn amount(&self, f: &Fixed, currency: &str) -> String {
        if currency.is_empty() {
            self.number(f)
        } else {
            format!("{}\u{a0}{}", self.number(f), self.currency(currency))
        }
    }

    /// A cell as Markdown shows it: the language's numbers, no markers.
    pub fn cell(&self, v: &Value) -> String {
        match v {
            Value::Text(s) => s.clone(),
            Value::Count(n) => self.count(*n),
            Value::Money(f) | Value::Pct(f) => self.number(f),
            Value::Change(f) | Value::ChangePct(f) | Value::Gap(f) => self.signed(f),
            Value::Empty => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn f(s: &str) -> Fixed {
        crate::aggregate::exact::round_decimal(rust_decimal::Decimal::from_str(s).unwrap(), 2)
    }

    fn f1(s: &str) -> Fixed {
        crate::aggregate::exact::round_decimal(rust_decimal::Decimal::from_str(s).unwrap(), 1)
    }

    #[test]
    fn swedish_numbers_have_a_no_break_space_a_comma_and_a_true_minus() {
        let sv = Lang::Sv.strings();
        assert_eq!(sv.number(&f("1234567.891")), "1\u{a0}234\u{a0}567,89");
        assert_eq!(sv.number(&f("-275")), "\u{2212}275,00");
        assert_eq!(sv.number(&f("999.5")), "999,50");
        assert_eq!(sv.pct(&f1("-50")), "\u{2212}50,0\u{a0}%");
        assert_eq!(sv.pct(&f1("10.84")), "+10,8\u{a0}%");
        assert_eq!(sv.amount(&f("-275"), "SEK"), "\u{2212}275,00\u{a0}kr");
        assert_eq!(sv.count(3000), "3\u{a0}000");
    }

    #[test]
    fn english_numbers_have_a_comma_between_thousands() {
        let en = Lang::En.strings();
        assert_eq!(en.number(&f("1234567.891")), "1,234,567.89");
        assert_eq!(en.number(&f("-1000")), "-1,000.00");
        assert_eq!(en.signed(&f("12.5")), "+12.50");
        assert_eq!(en.amount(&f("275"), "SEK"), "275.00\u{a0}SEK");
        assert_eq!(en.count(999), "999");
        assert_eq!(en.count(1000), "1,000");
    }

    #[test]
    fn the_environment_names_the_language_in_posix_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::from_env(env(&[("LANG", "sv_SE.UTF-8")])), Some(Lang::Sv));
        assert_eq!(Lang::from_env(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "sv_SE.UTF-8")])), Some(Lang::En));
        assert_eq!(Lang::from_env(env(&[("LC_ALL", ""), ("LC_MESSAGES", "sv_FI"), ("LANG", "en")])), Some(Lang::Sv));
        assert_eq!(Lang::from_env(env(&[("LANG", "C.UTF-8")])), None);
        assert_eq!(Lang::from_env(env(&[("LC_ALL", "de_DE"), ("LANG", "sv_SE")])), None);
        assert_eq!(Lang::from_env(env(&[])), None);
        assert_eq!(Lang::from_locale("sv-SE"), Some(Lang::Sv));
    }

    #[test]
    fn headers_not_listed_keep_their_field_name() {
        assert_eq!(Lang::Sv.strings().header("aov"), "Snittordervärde");
        assert_eq!(Lang::Sv.strings().header("no_such_field"), "no_such_field");
        assert_eq!(Lang::En.strings().header("aov_change_pct"), "aov_change_pct");
    }
}
