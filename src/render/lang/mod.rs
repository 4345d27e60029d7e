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
    /// How a people format shows a blank group's name (`(no customer)`,
    /// `(no product)`, as the readers name it); `None` keeps it.
    pub blank_group: fn(&str) -> Option<String>,
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
    /// Column names for pages (HTML), where even English shows words; a
    /// field not listed falls back to `headers`, then to its name.
    pub labels: &'static [(&'static str, &'static str)],
    /// Long words of the labels with soft hyphens where they may break on
    /// a narrow page (a phone), so that a browser never cuts them at an
    /// arbitrary letter.
    pub hyphens: &'static [(&'static str, &'static str)],
    /// The chart's value axis and legend words.
    pub chart: ChartWords,
    /// The HTML page's summary words.
    pub summary: SummaryWords,
    /// The page's `lang` attribute.
    pub html_lang: &'static str,
    /// explain's first sentence: how the AOV moved from one period to the
    /// next (`AOV fell 275.00 SEK (-50.0 %)`).
    pub moved: fn(&Strings, &Move<'_>) -> String,
    /// explain's first sentence for a seller against the team
    /// (`Eva's AOV is 120.00 SEK above the team's (+8.0 %)`).
    pub against_team: fn(&Strings, &str, &Move<'_>) -> String,
    /// The title of a chart or page: what is shown, from which files,
    /// over which periods.
    pub title: fn(&Strings, &Title<'_>) -> String,
    /// Period names (`month`) as words of the language.
    pub periods: &'static [(&'static str, &'static str)],
    /// `and`, between grouping fields in a title.
    pub and: &'static str,
    /// explain's heading and reasons.
    pub explain: ExplainWords,
    /// The customers and sellers views, and subtotals.
    pub views: ViewWords,
    /// explain's medians and largest deals (issue 19).
    pub outliers: crate::render::explain::OutlierWords,
}

/// The words of the customers and sellers views and of the subtotal
/// lines of grouped HTML reports.
#[derive(Debug)]
pub struct ViewWords {
    /// The customers page's title, given the file names.
    pub customers_title: fn(&str) -> String,
    /// The sellers page's title, given the file names.
    pub sellers_title: fn(&str) -> String,
    /// `customers --by COLUMN`'s title, given the column and the files.
    pub ranked_title: fn(&str, &str) -> String,
    /// `sellers --by COLUMN`'s title, given the column and the files.
    pub sellers_by_title: fn(&str, &str) -> String,
    /// The words of the customers view's lines that name customers, and
    /// what they become when `--by COLUMN` ranks that column's values.
    pub customer_words: fn(&str) -> Vec<(&'static str, String)>,
    /// The same for the sellers view's words that name the seller.
    pub seller_words: fn(&str) -> Vec<(&'static str, String)>,
    /// "Class A (SEK): 14 of 60 customers bring 80.9 % of revenue.", given
    /// the currency (empty: not shown), the A customers, all customers and
    /// the share already written with its `%` (None: undefined).
    pub class_a: fn(&str, &str, &str, u64, Option<String>) -> String,
    /// What the classes mean.
    pub classes: &'static str,
    /// What the sellers' share and vs_team columns mean.
    pub sellers_note: &'static str,
    /// The first cell of a group's subtotal line.
    pub subtotal: &'static str,
    /// "Trend: A to B against C to D; days since last deal to E (whose).",
    /// given the two windows' bounds, the as-of day and whether `--as-of`
    /// gave it.
    pub trend: fn([&str; 4], &str, bool) -> String,
}

/// The words of `aov explain` around the numbers.
pub struct ExplainWords {
    /// The line above the table, from the seller compared (if any), the
    /// current and base period labels and the segment column.
    pub heading: fn(&Strings, Option<&str>, &str, &str, &str) -> String,
    /// What a positive and a negative mix and rate effect mean, for the
    /// segment column and the seller compared: `[mix up, mix down, rate
    /// up, rate down]`.
    pub reasons: fn(&str, Option<&str>) -> [String; 4],
    pub because: &'static str,
    pub nothing_from: &'static str,
    pub mix: &'static str,
    pub rate: &'static str,
    /// Before the segments that moved the AOV most.
    pub largest: &'static str,
    /// The first cell of the totals line.
    pub total: &'static str,
}

/// What a title names.
pub struct Title<'a> {
    /// The period's name (`month`, `all`).
    pub period: &'a str,
    /// The grouping fields (`customer`), in order.
    pub by: &'a [&'a str],
    /// The input files' names, joined.
    pub files: &'a str,
    /// The first and last period shown, when there are any.
    pub first: Option<&'a str>,
    pub last: Option<&'a str>,
}

impl Title<'_> {
    /// `, 2012-01 to 2014-12` with `to` the language's word, or `, 2012-01`, or nothing.
    pub fn range(&self, to: &str) -> String {
        match (self.first, self.last) {
            (Some(a), Some(b)) if a != b => format!(", {a} {to} {b}"),
            (Some(a), _) if !a.is_empty() => format!(", {a}"),
            _ => String::new(),
        }
    }
}

/// A change of AOV, rounded for printing: money to 2 decimals, the
/// percentage to 1.
pub struct Move<'a> {
    pub change: Fixed,
    pub pct: Option<Fixed>,
    /// The AOV after (said when it did not move).
    pub current: Fixed,
    pub currency: &'a str,
}

impl Move<'_> {
    /// ` (+12.5 %)`, or nothing without a percentage.
    pub fn pct_in(&self, s: &Strings) -> String {
        self.pct.as_ref().map_or(String::new(), |p| format!(" ({})", s.pct(p)))
    }

    /// The size of the change with its currency, no sign.
    pub fn size_in(&self, s: &Strings) -> String {
        s.with_currency(s.magnitude(&self.change), self.currency)
    }
}

/// The words on a chart.
pub struct ChartWords {
    /// The value axis (the currency follows in brackets).
    pub aov: &'static str,
    /// The bars, and their axis.
    pub deals: &'static str,
    /// The target line's legend (the amount follows).
    pub target: &'static str,
    /// The groups beyond `--top`, as one line.
    pub other: &'static str,
    /// A note on the chart when values lie outside the plot, given how many.
    pub clipped: fn(usize) -> String,
}

/// The words of the summary at the top of a page.
pub struct SummaryWords {
    /// `Latest period`.
    pub latest: &'static str,
    /// `change from the period before`.
    pub change: &'static str,
    /// `year on year`.
    pub yoy: &'static str,
    pub target_met: &'static str,
    pub target_missed: &'static str,
}

impl Strings {
    /// A period's name as a word of the language.
    pub fn period<'a>(&self, name: &'a str) -> &'a str {
        self.periods.iter().find(|(n, _)| *n == name).map_or(name, |(_, w)| w)
    }

    /// The grouping fields as words, `customer and seller`, lower case.
    pub fn by_words(&self, by: &[&str]) -> String {
        let words: Vec<String> = by.iter().map(|f| self.header(f).to_lowercase()).collect();
        words.join(&format!(" {} ", self.and))
    }

    /// The column name a page (HTML) shows for field `column`.
    pub fn label<'a>(&self, column: &'a str) -> &'a str {
        self.labels.iter().find(|(f, _)| *f == column).map_or_else(|| self.header(column), |(_, h)| h)
    }

    /// `label`, with soft hyphens where its long words may break.
    pub fn breakable_label(&self, column: &str) -> String {
        self.hyphens.iter().fold(self.label(column).to_string(), |l, (word, parts)| l.replace(word, parts))
    }

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
        if f.is_negative() { format!("{}{}", self.minus, self.magnitude(f)) } else { self.magnitude(f) }
    }

    /// `number` without its sign.
    pub fn magnitude(&self, f: &Fixed) -> String {
        let (int, frac) = f.parts();
        let mut s = String::with_capacity(int.len() * 2 + frac.len() + 4);
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
        self.with_currency(self.number(f), currency)
    }

    /// `text` (a number) followed by the currency, the local way.
    pub fn with_currency(&self, text: String, currency: &str) -> String {
        if currency.is_empty() { text } else { format!("{text}\u{a0}{}", self.currency(currency)) }
    }

    /// A cell as Markdown shows it: the language's numbers, no markers.
    pub fn cell(&self, v: &Value) -> String {
        match v {
            Value::Text(s) => (self.blank_group)(s).unwrap_or_else(|| s.clone()),
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
    fn explains_first_sentence_in_both_languages() {
        let m = Move { change: f("-275"), pct: Some(f1("-50")), current: f("275"), currency: "SEK" };
        let nb = |t: String| t.replace('\u{a0}', " ");
        assert_eq!(
            nb((Lang::Sv.strings().moved)(Lang::Sv.strings(), &m)),
            "Snittordervärdet sjönk 275,00 kr (\u{2212}50,0 %)"
        );
        assert_eq!(nb((Lang::En.strings().moved)(Lang::En.strings(), &m)), "AOV fell 275.00 SEK (-50.0 %)");
        let up = Move { change: f("1250.5"), pct: Some(f1("8")), current: f("5000"), currency: "" };
        assert_eq!(nb((Lang::En.strings().moved)(Lang::En.strings(), &up)), "AOV rose 1,250.50 (+8.0 %)");
        assert_eq!(
            nb((Lang::Sv.strings().against_team)(Lang::Sv.strings(), "Eva", &up)),
            "Evas snittordervärde är 1 250,50 över teamets (+8,0 %)"
        );
        assert_eq!(
            nb((Lang::En.strings().against_team)(Lang::En.strings(), "Eva", &up)),
            "Eva's AOV is 1,250.50 above the team's (+8.0 %)"
        );
        let flat = Move { change: f("0"), pct: Some(f1("0")), current: f("500"), currency: "SEK" };
        assert_eq!(
            nb((Lang::Sv.strings().moved)(Lang::Sv.strings(), &flat)),
            "Snittordervärdet låg kvar på 500,00 kr (0,0 %)"
        );
        assert_eq!(
            nb((Lang::Sv.strings().against_team)(Lang::Sv.strings(), "Lars", &flat)),
            "Lars snittordervärde är i nivå med teamets (0,0 %)"
        );
    }

    #[test]
    fn titles_in_both_languages() {
        let t = Title {
            period: "month",
            by: &["customer", "seller"],
            files: "deals.csv",
            first: Some("2012-01"),
            last: Some("2014-12"),
        };
        assert_eq!(
            (Lang::En.strings().title)(Lang::En.strings(), &t),
            "AOV per month by customer and seller: deals.csv, 2012-01 to 2014-12"
        );
        assert_eq!(
            (Lang::Sv.strings().title)(Lang::Sv.strings(), &t),
            "Snittordervärde per månad per kund och säljare: deals.csv, 2012-01 till 2014-12"
        );
        let one =
            Title { period: "quarter", by: &[], files: "a.csv, b.csv", first: Some("2013-Q1"), last: Some("2013-Q1") };
        assert_eq!(
            (Lang::Sv.strings().title)(Lang::Sv.strings(), &one),
            "Snittordervärde per kvartal: a.csv, b.csv, 2013-Q1"
        );
        let all = Title { period: "all", by: &["seller"], files: "deals.csv", first: None, last: None };
        assert_eq!((Lang::En.strings().title)(Lang::En.strings(), &all), "AOV per all by seller: deals.csv");
        assert_eq!(
            (Lang::Sv.strings().title)(Lang::Sv.strings(), &all),
            "Snittordervärde totalt per säljare: deals.csv"
        );
    }

    #[test]
    fn headers_not_listed_keep_their_field_name() {
        assert_eq!(Lang::Sv.strings().header("aov"), "Snittordervärde");
        assert_eq!(Lang::Sv.strings().header("no_such_field"), "no_such_field");
        assert_eq!(Lang::En.strings().header("aov_change_pct"), "aov_change_pct");
        assert_eq!(Lang::En.strings().label("aov_change_pct"), "Change %");
        assert_eq!(Lang::Sv.strings().label("aov_change_pct"), "Förändring %");
        assert_eq!(Lang::En.strings().label("no_such_field"), "no_such_field");
    }
}
