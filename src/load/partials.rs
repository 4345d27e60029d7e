//! Reading partials that an engine computed (`aov sql` prints the query):
//! one row per calendar day and group key with `deals` and the exact
//! `total`. They go into the same partials a raw file makes, so the report
//! is the same.

use rust_decimal::Decimal;

use crate::aggregate::{Partial, Partials};
use crate::error::{Error, RowError};
use crate::load::columns::normalize;
use crate::load::rows::clean_name;
use crate::load::source::{self, Opened};
use crate::model::{RowAccounting, Tally};

/// How partials are read: grouped by `by`, days within `range`, converted
/// at `rates`, and whether the query counted credit notes.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    /// The group columns by their names (`customer`, `seller`, `product`).
    pub by: &'a [String],
    pub range: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    pub rates: Option<&'a crate::load::rates::RateTable>,
    pub include_credits: bool,
}

/// Read one partials CSV into `partials` (grouped by `by`), keeping days
/// within `from..=to`, and converting each day's totals into `--currency`
/// at that day's rate when `rates` are given: the partials hold one day and
/// currency a row, so the converted total (the exact product of the total
/// and the rate) is the sum of the converted deals. `include_credits` must
/// say what the query did with credit notes (their `credits` column).
pub fn read_converted(
    path: &str,
    how: &Reading<'_>,
    partials: &mut Partials,
    accounting: &mut RowAccounting,
    tally: &mut Tally,
) -> Result<(), Error> {
    let Reading { by, range, rates, include_credits } = *how;
    let opened: Opened = source::open(path, None)?;
    let name = opened.name.clone();
    let delimiter = crate::load::csv::sniff_delimiter(&opened.head);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(opened.reader);
    let file_err = |message: String| Error::File { path: name.clone(), message };
    let headers: Vec<String> =
        reader.headers().map_err(|e| file_err(format!("cannot read the header: {e}")))?.iter().map(normalize).collect();
    let find = |col: &str| headers.iter().position(|h| h == col);
    let need = |col: &str| {
        find(col).ok_or_else(|| {
            file_err(format!(
                "a partials file needs the column \"{col}\" (it has: {}); make it with the query `aov sql` prints",
                headers.join(", ")
            ))
        })
    };
    let day_i = need("day")?;
    let deals_i = need("deals")?;
    let total_i = need("total")?;
    let by_i: Vec<usize> = by.iter().map(|c| need(&normalize(c))).collect::<Result<_, _>>()?;
    let currency_i = find("currency");
    // Credit notes the query left out, counted apart (absent with
    // `aov sql --include-credits`).
    let credits_i = find("credits").zip(find("credit_total"));
    match (credits_i.is_some(), include_credits) {
        (true, true) => {
            return Err(Error::Usage(format!(
                "{name}: these partials leave credit notes out (they have a \"credits\" column); to count them, make the partials with `aov sql --include-credits`"
            )));
        }
        (false, false) => {
            return Err(Error::Usage(format!(
                "{name}: these partials count credit notes (they have no \"credits\" column, as `aov sql --include-credits` makes them); add --include-credits, or make them with the query `aov sql` prints"
            )));
        }
        _ => {}
    }
    let mut record = csv::StringRecord::new();
    let mut names: Vec<String> = vec![String::new(); by.len()];
    let mut currency = String::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(file_err(format!("cannot read: {e}"))),
        }
        let line = record.position().map_or(0, |p| p.line());
        let bad = |column: &str, reason: String| {
            Error::Row(RowError { file: name.clone(), line, column: Some(column.to_string()), reason })
        };
        let day = crate::load::date::parse_date(&record[day_i], None).map_err(|e| bad("day", e.to_string()))?;
        let deals: u64 = record[deals_i]
            .trim()
            .parse()
            .map_err(|_| bad("deals", format!("{:?} is not a count", &record[deals_i])))?;
        // Engines print exact decimals; more decimals than an amount may have
        // are fine here, as these are sums.
        let total = Decimal::from_str_exact(record[total_i].trim())
            .map_err(|_| bad("total", format!("{:?} is not an exact decimal", &record[total_i])))?;
        let (credits, credit_total) = match credits_i {
            None => (0, Decimal::ZERO),
            Some((n, t)) => (
                record[n]
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| bad("credits", format!("{:?} is not a count", &record[n])))?,
                Decimal::from_str_exact(record[t].trim())
                    .map_err(|_| bad("credit_total", format!("{:?} is not an exact decimal", &record[t])))?,
            ),
        };
        accounting.read += deals + credits;
        if range.0.is_some_and(|f| day < f) || range.1.is_some_and(|t| day > t) {
            accounting.filtered += deals + credits;
            tally.by_date += deals + credits;
            continue;
        }
        clean_name(currency_i.map_or("", |i| &record[i]), &mut currency);
        currency.make_ascii_uppercase();
        let (total, credit_total) = match rates {
            None => (total, credit_total),
            Some(r) => {
                let mut convert = |value: Decimal, count: u64| match r.convert(value, &currency, day) {
                    None => Ok(value),
                    Some(Ok((v, on))) => {
                        tally.convert_n(&currency, on, count);
                        Ok(v)
                    }
                    Some(Err(reason)) => Err(bad("currency", reason)),
                };
                let total = convert(total, deals)?;
                let credit_total = if credits > 0 { convert(credit_total, 0)? } else { credit_total };
                currency.clone_from(&r.target);
                (total, credit_total)
            }
        };
        if credits > 0 {
            accounting.filtered += credits;
            tally.credits += credits;
            let sum = tally.credit_sums.entry(currency.clone()).or_default();
            *sum = sum.checked_add(credit_total).unwrap_or(*sum);
        }
        if deals == 0 {
            continue; // a day and group with credit notes only
        }
        accounting.used += deals;
        tally.counted += deals;
        for ((slot, i), column) in names.iter_mut().zip(&by_i).zip(by) {
            clean_name(&record[*i], slot);
            // A NULL or blank group value, as the readers of deals show it.
            if slot.is_empty() {
                slot.push_str(&crate::load::rows::blank_group(column));
            }
        }
        let group: Vec<&str> = names.iter().map(String::as_str).collect();
        partials.add_bucket(&group, &currency, day, &Partial { deals, total, rows: deals })?;
    }
    Ok(())
}
