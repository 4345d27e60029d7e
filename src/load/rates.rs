//! Exchange rates by date, for `--currency CODE --rates FILE`: one AOV in
//! one currency from deals in several.
//!
//! A deal in another currency is converted at the rate of its deal date:
//! that day's rate or the latest one before it (weekends and bank
//! holidays have none), at most `MAX_GAP_DAYS` earlier. Three layouts are
//! read, each recognised by its header:
//! - plain CSV `date,currency,rate` (the target currency per one unit, an
//!   optional `unit` column for rates quoted per 100 units);
//! - the Riksbank's CSV download (`Period;Grupp;Serie;Värde`, or the
//!   English `Period;Group;Series;Value`: kronor per unit, the series named
//!   `EUR`, `100 JPY` or `SEKEURPMI`, decimal comma, `n/a` for no rate);
//! - the ECB's `eurofxref-hist.csv` (`Date,USD,JPY,...`: units per one
//!   euro, `N/A` for no rate). Other crosses go through the euro: the rate
//!   of C in T is (T per euro) / (C per euro), rounded half away from zero
//!   to `CROSS_DECIMALS` decimals; a rate of the euro itself is exact.
//!
//! A converted amount is the exact product of the amount and the rate.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// How many days before a deal its rate may be.
pub const MAX_GAP_DAYS: i64 = 7;
/// Decimals of a cross rate through the euro.
pub const CROSS_DECIMALS: u32 = 10;

/// Which layout a rates file had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatesLayout {
    Plain,
    Riksbank,
    Ecb,
}

/// Rates of each currency in the target currency, by date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateTable {
    /// The currency every deal is converted into (upper case).
    pub target: String,
    pub layout: RatesLayout,
    /// Per currency: target units per one unit, by the date of the rate.
    rates: HashMap<String, BTreeMap<NaiveDate, Decimal>>,
}

/// Why a deal could not be converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoRate {
    /// The file has no rate of this currency at all.
    Currency,
    /// None on the day or up to `MAX_GAP_DAYS` before it; the latest
    /// earlier one, if any.
    OutOfReach(Option<NaiveDate>),
}

impl RateTable {
    /// The rate of `currency` for a deal of `date`, and the date of that
    /// rate. The target currency itself has none (nothing to convert).
    pub fn rate(&self, currency: &str, date: NaiveDate) -> Result<(Decimal, NaiveDate), NoRate> {
        let by_date = self.rates.get(currency).ok_or(NoRate::Currency)?;
        match by_date.range(..=date).next_back() {
            Some((d, r)) if (date - *d).num_days() <= MAX_GAP_DAYS => Ok((*r, *d)),
            Some((d, _)) => Err(NoRate::OutOfReach(Some(*d))),
            None => Err(NoRate::OutOfReach(None)),
        }
    }

    /// `amount` in `currency` on `date`, in the target currency: `None`
    /// when it is in the target currency already (or has none); else the
    /// exact product and the date of the rate used.
    pub fn convert(
        &self,
        amount: Decimal,
        currency: &str,
        date: NaiveDate,
    ) -> Option<Result<(Decimal, NaiveDate), String>> {
        if currency.is_empty() || currency == self.target {
            return None;
        }
        Some(match self.rate(currency, date) {
            Ok((rate, on)) => crate::model::money::exact_mul(amount, rate)
                .map(|a| (a, on))
                .ok_or_else(|| format!("{amount} {currency} at {rate} is more than can be held exactly")),
            Err(NoRate::Currency) => {
                Err(format!("the rates file has no {currency} rate (to {}); its deal date is {date}", self.target))
            }
            Err(NoRate::OutOfReach(before)) => Err(format!(
                "no {currency} rate on {date} or up to {MAX_GAP_DAYS} days before it{}",
                before.map_or(String::new(), |d| format!(" (the latest earlier one is of {d})"))
            )),
        })
    }

    /// The currencies the table has rates of.
    pub fn currencies(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.rates.keys().map(String::as_str).collect();
        v.sort();
        v
    }
}

/// Read a rates file's text into a table of rates in `target`.
pub fn parse(text: &str, target: &str) -> Result<RateTable, String> {
    let target = target.trim().to_ascii_uppercase();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The Riksbank's header may follow lines of its own.
    let head: Vec<&str> = text.lines().take(10).collect();
    if let Some(i) = head.iter().position(|l| is_riksbank_header(l)) {
        let from: usize = text.split_inclusive('\n').take(i).map(str::len).sum();
        return riksbank(&rows(&text[from..], b';', i)?, &target);
    }
    let rows = rows(text, b',', 0)?;
    let (_, header) = rows.first().ok_or("the rates file is empty")?;
    let header: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if header.first().map(String::as_str) == Some("date") && header.iter().any(|h| h == "usd") {
        return ecb(&rows, &target);
    }
    plain(&rows, &target, &header)
}

/// The records of `text` (quoted fields as in any CSV), each with the line
/// it starts on, blank ones passed over; `skipped` lines come before it.
fn rows(text: &str, delimiter: u8, skipped: usize) -> Result<Vec<(usize, Vec<String>)>, String> {
    use crate::load::records::{Record, Records};
    let mut reader = Records::new(text.as_bytes(), delimiter);
    let mut rec = Record::default();
    let mut out = Vec::new();
    loop {
        match reader.read(&mut rec) {
            Ok(false) => return Ok(out),
            Ok(true) if rec.is_blank() => {}
            Ok(true) => out.push((
                skipped + rec.line as usize,
                rec.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect(),
            )),
            Err(e) => return Err(format!("line {}: {}", skipped + rec.line as usize, e.reason())),
        }
    }
}

fn is_riksbank_header(line: &str) -> bool {
    let cols: Vec<String> = line.split(';').map(|c| c.trim().trim_matches('"').to_lowercase()).collect();
    cols.len() >= 4
        && matches!(cols[0].as_str(), "period" | "datum" | "date")
        && cols.iter().any(|c| c == "serie" || c == "series")
        && cols.iter().any(|c| c == "värde" || c == "value")
}

fn day(s: &str, line: usize) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("line {line}: \"{}\" is not a date of the form YYYY-MM-DD", s.trim()))
}

/// A rate written with a decimal point or comma, above zero.
fn number(s: &str, line: usize) -> Result<Decimal, String> {
    let t = s.trim().replace(',', ".");
    match t.parse::<Decimal>() {
        Ok(d) if d > Decimal::ZERO => Ok(d.normalize()),
        _ => Err(format!("line {line}: \"{}\" is not a rate above zero", s.trim())),
    }
}

fn is_missing(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t.eq_ignore_ascii_case("n/a") || t == "-"
}

/// A currency code: three letters.
fn code(s: &str) -> Option<String> {
    let t = s.trim();
    (t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic())).then(|| t.to_ascii_uppercase())
}

fn insert(rates: &mut HashMap<String, BTreeMap<NaiveDate, Decimal>>, c: String, d: NaiveDate, r: Decimal) {
    rates.entry(c).or_default().insert(d, r);
}

fn plain(rows: &[(usize, Vec<String>)], target: &str, header: &[String]) -> Result<RateTable, String> {
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(di), Some(ci), Some(ri)) = (col("date"), col("currency"), col("rate")) else {
        return Err(format!(
            "the rates file's header is \"{}\"; write it as date,currency,rate (and optionally unit), or give the Riksbank's or the ECB's file as downloaded",
            rows[0].1.join(",").trim()
        ));
    };
    let ui = col("unit");
    let mut rates = HashMap::new();
    for (line, f) in &rows[1..] {
        let line = *line;
        let get = |i: usize| f.get(i).map_or("", String::as_str);
        let c = code(get(ci)).ok_or_else(|| format!("line {line}: \"{}\" is not a currency code", get(ci).trim()))?;
        let mut r = number(get(ri), line)?;
        if let Some(u) = ui.filter(|u| !get(*u).trim().is_empty()) {
            r = r.checked_div(number(get(u), line)?).ok_or_else(|| format!("line {line}: the unit is too small"))?;
        }
        insert(&mut rates, c, day(get(di), line)?, r);
    }
    Ok(RateTable { target: target.to_string(), layout: RatesLayout::Plain, rates })
}

/// `EUR`, `1 EUR`, `100 JPY`, `SEKEURPMI`: the currency and the units the
/// rate is quoted for.
fn riksbank_series(s: &str) -> Option<(String, Decimal)> {
    let t = s.trim();
    if let Some(c) = t.strip_prefix("SEK").and_then(|r| r.strip_suffix("PMI")).and_then(code) {
        return Some((c, Decimal::ONE));
    }
    match t.split_whitespace().collect::<Vec<_>>().as_slice() {
        [c] => Some((code(c)?, Decimal::ONE)),
        [n, c] => Some((code(c)?, n.parse::<Decimal>().ok().filter(|u| *u > Decimal::ZERO)?)),
        _ => None,
    }
}

fn riksbank(rows: &[(usize, Vec<String>)], target: &str) -> Result<RateTable, String> {
    if target != "SEK" {
        return Err(format!(
            "the Riksbank's rates are in kronor: use it with --currency SEK (not {target}), or give the ECB's file"
        ));
    }
    let header: Vec<String> = rows[0].1.iter().map(|c| c.trim().to_lowercase()).collect();
    let si = header.iter().position(|c| c == "serie" || c == "series").expect("checked");
    let vi = header.iter().position(|c| c == "värde" || c == "value").expect("checked");
    let mut rates = HashMap::new();
    for (line, f) in &rows[1..] {
        let line = *line;
        let get = |i: usize| f.get(i).map_or("", String::as_str);
        if is_missing(get(vi)) {
            continue;
        }
        let (c, unit) = riksbank_series(get(si)).ok_or_else(|| {
            format!("line {line}: the series \"{}\" names no currency (EUR, 100 JPY, SEKEURPMI)", get(si).trim())
        })?;
        let r = number(get(vi), line)?.checked_div(unit).ok_or_else(|| format!("line {line}: bad unit"))?;
        insert(&mut rates, c, day(get(0), line)?, r);
    }
    Ok(RateTable { target: target.to_string(), layout: RatesLayout::Riksbank, rates })
}

/// a / b rounded half away from zero to `dp` decimals, exactly (both
/// above zero).
pub fn divide_rounded(a: Decimal, b: Decimal, dp: u32) -> Option<Decimal> {
    let (ma, sa) = (a.mantissa(), a.scale());
    let (mb, sb) = (b.mantissa(), b.scale());
    // a / b = (ma / 10^sa) / (mb / 10^sb); times 10^dp:
    // ma * 10^(sb + dp) / (mb * 10^sa).
    let num = ma.checked_mul(10i128.checked_pow(sb + dp)?)?;
    let den = mb.checked_mul(10i128.checked_pow(sa)?)?;
    if den <= 0 || num < 0 {
        return None;
    }
    let (q, r) = (num / den, num % den);
    let q = if r * 2 >= den { q + 1 } else { q };
    Decimal::try_from_i128_with_scale(q, dp).ok().map(|d| d.normalize())
}

fn ecb(rows: &[(usize, Vec<String>)], target: &str) -> Result<RateTable, String> {
    let codes: Vec<Option<String>> = rows[0].1.iter().map(|h| code(h)).collect();
    if target != "EUR" && !codes.iter().any(|c| c.as_deref() == Some(target)) {
        return Err(format!("the ECB's file has no {target} column; --currency must be EUR or one of its currencies"));
    }
    let mut rates = HashMap::new();
    for (line, f) in &rows[1..] {
        let line = *line;
        let d = day(&f[0], line)?;
        let mut per_euro: Vec<(String, Decimal)> = Vec::new();
        for (i, v) in f.iter().enumerate().skip(1) {
            let Some(Some(c)) = codes.get(i) else { continue };
            if !is_missing(v) {
                per_euro.push((c.clone(), number(v, line)?));
            }
        }
        // Target units per euro that day (1 for the euro itself).
        let t = if target == "EUR" {
            Decimal::ONE
        } else {
            match per_euro.iter().find(|(c, _)| c == target) {
                Some((_, t)) => *t,
                None => continue, // no rate of the target that day
            }
        };
        if target != "EUR" {
            insert(&mut rates, "EUR".to_string(), d, t);
        }
        for (c, v) in per_euro {
            if c == target {
                continue;
            }
            let r = divide_rounded(t, v, CROSS_DECIMALS)
                .ok_or_else(|| format!("line {line}: the {c} cross rate cannot be computed exactly"))?;
            insert(&mut rates, c, d, r);
        }
    }
    Ok(RateTable { target: target.to_string(), layout: RatesLayout::Ecb, rates })
}

/// The most a rates file may hold.
const MAX_RATES_BYTES: u64 = 64 << 20;

/// Read the rates file at `path`.
pub fn read(path: &std::path::Path, target: &str) -> Result<RateTable, crate::error::Error> {
    let shown = path.display().to_string();
    // A rates file is small (the ECB's whole history is a few MiB): cap
    // what is read, so `--rates /dev/zero` ends in a message.
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|source| crate::error::Error::Open { path: shown.clone(), source })?;
    let mut bytes = Vec::new();
    file.take(MAX_RATES_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| crate::error::Error::Open { path: shown.clone(), source })?;
    if bytes.len() as u64 > MAX_RATES_BYTES {
        return Err(crate::error::Error::File {
            path: shown,
            message: format!(
                "the rates file is larger than {} MiB: this is not a file of rates",
                MAX_RATES_BYTES >> 20
            ),
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| crate::error::Error::File {
        path: shown.clone(),
        message: "the rates file is not UTF-8 text".into(),
    })?;
    parse(&text, target).map_err(|message| crate::error::Error::File { path: shown, message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn plain_rates_with_weekend_and_holiday_gaps() {
        // Friday 2013-03-29 was Good Friday and Monday 2013-04-01 Easter
        // Monday: Thursday's rate serves until Tuesday.
        let t = parse(
            "date,currency,rate,unit\n2013-03-28,EUR,8.3845,\n2013-04-02,EUR,8.3500,\n2013-03-28,JPY,6.90,100\n",
            "sek",
        )
        .unwrap();
        assert_eq!(t.layout, RatesLayout::Plain);
        assert_eq!(t.rate("EUR", d("2013-03-28")), Ok((dec("8.3845"), d("2013-03-28"))));
        assert_eq!(t.rate("EUR", d("2013-04-01")), Ok((dec("8.3845"), d("2013-03-28"))));
        assert_eq!(t.rate("EUR", d("2013-04-02")), Ok((dec("8.35"), d("2013-04-02"))));
        // Seven days back is in reach, eight is not.
        assert_eq!(t.rate("JPY", d("2013-04-04")).map(|r| r.0), Ok(dec("0.069")));
        assert_eq!(t.rate("JPY", d("2013-04-05")), Err(NoRate::OutOfReach(Some(d("2013-03-28")))));
        assert_eq!(t.rate("EUR", d("2013-03-27")), Err(NoRate::OutOfReach(None)));
        assert_eq!(t.rate("NOK", d("2013-03-28")), Err(NoRate::Currency));
        // 100 JPY = 6.90 SEK: 1234 JPY = 85.146 SEK exactly.
        assert_eq!(t.convert(dec("1234"), "JPY", d("2013-03-30")), Some(Ok((dec("85.146"), d("2013-03-28")))));
        assert_eq!(t.convert(dec("10"), "SEK", d("2013-03-30")), None);
        assert_eq!(t.convert(dec("10"), "", d("2013-03-30")), None);
        let e = t.convert(dec("10"), "EUR", d("2013-04-20")).unwrap().unwrap_err();
        assert_eq!(e, "no EUR rate on 2013-04-20 or up to 7 days before it (the latest earlier one is of 2013-04-02)");
    }

    #[test]
    fn half_cent_ties_after_conversion_are_exact() {
        // 10.05 EUR x 8.5 = 85.425 exactly (Python: Fraction("10.05") *
        // Fraction("8.5") == Fraction("85.425")), printed 85.43.
        let t = parse("date,currency,rate\n2013-01-02,EUR,8.5\n", "SEK").unwrap();
        let (a, _) = t.convert(dec("10.05"), "EUR", d("2013-01-02")).unwrap().unwrap();
        assert_eq!(a, dec("85.425"));
        assert_eq!(crate::aggregate::exact::round_decimal(a, 2).to_string(), "85.43");
        let (a, _) = t.convert(dec("-10.05"), "EUR", d("2013-01-02")).unwrap().unwrap();
        assert_eq!(crate::aggregate::exact::round_decimal(a, 2).to_string(), "-85.43");
    }

    #[test]
    fn riksbank_download() {
        let text = "Period;Grupp;Serie;Värde\n\
            2013-03-28;Valutor mot svenska kronor;EUR;8,3845\n\
            2013-03-28;Valutor mot svenska kronor;100 NOK;111,05\n\
            2013-03-29;Valutor mot svenska kronor;EUR;n/a\n\
            2013-04-02;Valutor mot svenska kronor;SEKUSDPMI;6,5010\n";
        let t = parse(text, "SEK").unwrap();
        assert_eq!(t.layout, RatesLayout::Riksbank);
        assert_eq!(t.rate("EUR", d("2013-03-31")), Ok((dec("8.3845"), d("2013-03-28"))));
        assert_eq!(t.rate("NOK", d("2013-03-28")).map(|r| r.0), Ok(dec("1.1105")));
        assert_eq!(t.rate("USD", d("2013-04-02")).map(|r| r.0), Ok(dec("6.501")));
        assert!(parse(text, "EUR").unwrap_err().contains("--currency SEK"));
        let bad = parse("Period;Group;Series;Value\n2013-03-28;x;Euro;8,3\n", "SEK").unwrap_err();
        assert!(bad.contains("line 2: the series \"Euro\" names no currency"), "{bad}");
        // Lines of its own before the header, quoted fields, CRLF: the line
        // numbers are the file's.
        let text = "Sökning\r\n\r\n\"Period\";\"Grupp\";\"Serie\";\"Värde\"\r\n\"2013-03-28\";\"Valutor; mot kronor\";\"EUR\";\"8,3845\"\r\n2013-03-29;x;Euro;8,3\r\n";
        let bad = parse(text, "SEK").unwrap_err();
        assert!(bad.contains("line 5: the series \"Euro\" names no currency"), "{bad}");
        let t = parse(&text[..text.find("2013-03-29").unwrap()], "SEK").unwrap();
        assert_eq!(t.rate("EUR", d("2013-03-28")), Ok((dec("8.3845"), d("2013-03-28"))));
    }

    #[test]
    fn plain_rates_with_quoted_fields() {
        let t = parse("date,currency,rate\n\"2013-01-02\",\"EUR\",\"8,5\"\n2013-01-03,NOK,\"1,10\"\n", "SEK").unwrap();
        assert_eq!(t.rate("EUR", d("2013-01-02")), Ok((dec("8.5"), d("2013-01-02"))));
        assert_eq!(t.rate("NOK", d("2013-01-03")), Ok((dec("1.1"), d("2013-01-03"))));
        let bad = parse("date,currency,rate\n2013-01-02,EUR,\"8.5\n", "SEK").unwrap_err();
        assert!(bad.contains("line 2: a quoted field starts on this line and is never closed"), "{bad}");
    }

    #[test]
    fn ecb_crosses_through_the_euro() {
        let text = "Date,USD,JPY,SEK,NOK,\n\
            2013-04-02,1.2850,120.45,8.3500,7.4560,\n\
            2013-03-28,1.2805,120.87,8.3845,7.4880,\n\
            2013-03-27,1.2806,N/A,N/A,7.4700,\n";
        let t = parse(text, "SEK").unwrap();
        assert_eq!(t.layout, RatesLayout::Ecb);
        // The euro itself: exact.
        assert_eq!(t.rate("EUR", d("2013-03-28")).map(|r| r.0), Ok(dec("8.3845")));
        // Python: Fraction("8.3845") / Fraction("1.2805") =
        // 6.54783287778211636... -> 6.5478328778 (10 decimals, half away).
        assert_eq!(t.rate("USD", d("2013-03-28")).map(|r| r.0), Ok(dec("6.5478328778")));
        // Fraction("8.35") / Fraction("7.456") = 1.11990343347639484... -> 1.1199034335
        assert_eq!(t.rate("NOK", d("2013-04-02")).map(|r| r.0), Ok(dec("1.1199034335")));
        // 8.3845 / 120.87 = 0.06936791594275... -> 0.0693679159
        assert_eq!(t.rate("JPY", d("2013-03-29")).map(|r| r.0), Ok(dec("0.0693679159")));
        // No SEK rate on 2013-03-27: no crosses that day.
        assert_eq!(t.rate("NOK", d("2013-03-27")), Err(NoRate::OutOfReach(None)));
        // Into euros: 1 / 7.456 = 0.13412017167381... -> 0.1341201717
        let e = parse(text, "EUR").unwrap();
        assert_eq!(e.rate("NOK", d("2013-04-02")).map(|r| r.0), Ok(dec("0.1341201717")));
        assert!(parse(text, "GBP").unwrap_err().contains("no GBP column"));
    }

    #[test]
    fn exact_rounded_division() {
        assert_eq!(divide_rounded(dec("1"), dec("3"), 10), Some(dec("0.3333333333")));
        assert_eq!(divide_rounded(dec("2"), dec("3"), 10), Some(dec("0.6666666667")));
        // A tie at the 11th decimal rounds away from zero: 1 / 16 to 3 dp.
        assert_eq!(divide_rounded(dec("1"), dec("16"), 3), Some(dec("0.063")));
        assert_eq!(divide_rounded(dec("8.3845"), dec("8.3845"), 10), Some(dec("1")));
    }

    #[test]
    fn plain_header_errors_say_what_to_write() {
        let e = parse("day,cur,value\n", "SEK").unwrap_err();
        assert!(e.contains("write it as date,currency,rate"), "{e}");
        let e = parse("date,currency,rate\n2013-01-01,EUR,abc\n", "SEK").unwrap_err();
        assert_eq!(e, "line 2: \"abc\" is not a rate above zero");
    }

    proptest::proptest! {
        /// The converted total of a day's deals is the sum of the converted
        /// deals (the products are exact), and a cross rate is within half
        /// a unit of the 10th decimal of the exact quotient.
        #[test]
        fn converted_totals_are_the_sums_of_the_converted_deals(
            cents in proptest::collection::vec(-1_000_000i64..100_000_000, 1..30),
            rate in 1u32..2_000_000,
            per_euro in 1u32..20_000_000,
        ) {
            let rate = Decimal::new(i64::from(rate), 4);
            let t = parse(&format!("date,currency,rate\n2013-01-02,EUR,{rate}\n"), "SEK").unwrap();
            let day = d("2013-01-04");
            let mut sum_of_converted = Decimal::ZERO;
            let mut total = Decimal::ZERO;
            for c in &cents {
                let a = Decimal::new(*c, 2);
                total += a;
                sum_of_converted += t.convert(a, "EUR", day).unwrap().unwrap().0;
            }
            proptest::prop_assert_eq!(t.convert(total, "EUR", day).unwrap().unwrap().0, sum_of_converted);
            let v = Decimal::new(i64::from(per_euro), 4);
            let q = divide_rounded(rate, v, CROSS_DECIMALS).unwrap();
            // |q - rate / v| <= 0.5e-10, i.e. |q * v - rate| <= 0.5e-10 * v.
            let err = (q * v - rate).abs();
            proptest::prop_assert!(err <= v * Decimal::new(5, 11), "{} / {} -> {}", rate, v, q);
        }
    }
}
