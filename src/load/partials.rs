//! Reading partials that an engine computed (`aov sql` prints the query):
//! one row per calendar day and group key with `deals` and the exact
//! `total`. They go into the same partials a raw file makes, so the report
//! is the same. Partials the engine bucketed (`aov sql --period`) say
//! their grain in a `period` column and hold each period's first day; they
//! read at that period or a coarser one that nests, never a finer one.

use rust_decimal::Decimal;

use crate::error::{Error, RowError};
use crate::load::columns::normalize;
use crate::load::rows::clean_name;
use crate::load::source::{self, Opened};
use crate::model::{Buckets, Period, RowAccounting, Tally};

/// How partials are read: grouped by `by`, days within `range`, converted
/// at `rates`, and whether the query counted credit notes.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    /// The group columns by their names (`customer`, `seller`, `product`).
    pub by: &'a [String],
    pub range: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    pub rates: Option<&'a crate::load::rates::RateTable>,
    pub include_credits: bool,
    /// The report's period: partials of a finer grain cannot make it.
    pub period: Period,
}

/// Months in a period of whole months (`None` for day, week and all).
fn months(p: Period) -> Option<u32> {
    match p {
        Period::Month => Some(1),
        Period::Quarter => Some(3),
        Period::Half => Some(6),
        Period::Year => Some(12),
        Period::Day | Period::Week | Period::All => None,
    }
}

/// Whether every bucket of `period` is a whole number of buckets of
/// `grain`, so that partials made at `grain` can make a report by `period`:
/// days make anything, anything makes all; months make quarters, halves
/// and years, quarters make halves and years, halves make years; weeks
/// (which straddle months and years) make only weeks.
pub fn nests(grain: Period, period: Period) -> bool {
    match (grain, period) {
        (Period::Day, _) | (_, Period::All) => true,
        _ if grain == period => true,
        _ => matches!((months(grain), months(period)), (Some(g), Some(p)) if p > g && p % g == 0),
    }
}

/// The grain named in a `period` cell (empty: day, as old partials are).
fn grain_of(cell: &str) -> Option<Period> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Some(Period::Day);
    }
    Period::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(cell))
}

/// What partials of `grain` refuse for a report by `period` within
/// `range`, at `rates` (a usage error: the flags ask what they cannot give).
fn check_grain(
    name: &str,
    grain: Period,
    period: Period,
    range: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    converting: bool,
) -> Result<(), Error> {
    let g = grain.name();
    if !nests(grain, period) {
        return Err(Error::Usage(format!(
            "{name}: these partials are per {g} (their \"period\" column), too coarse for --period {}; use --period {g} or a coarser one whose periods are whole {g}s, or make the partials with `aov sql --period {}`",
            period.name(),
            period.name()
        )));
    }
    if grain == Period::Day {
        return Ok(());
    }
    if converting {
        return Err(Error::Usage(format!(
            "{name}: these partials are per {g}, and --currency converts at each day's rate; make them per day (`aov sql` without --period), or convert in the query"
        )));
    }
    let start = |d: chrono::NaiveDate| grain.first_day(grain.key(d));
    let end = |d: chrono::NaiveDate| grain.first_day(grain.key(d).next()).and_then(|n| n.pred_opt());
    let from_ok = range.0.is_none_or(|f| start(f) == Some(f));
    let to_ok = range.1.is_none_or(|t| end(t) == Some(t));
    if !from_ok || !to_ok {
        return Err(Error::Usage(format!(
            "{name}: these partials are per {g}, so --from must be the first day of a {g} and --to the last day of one; or give --from and --to to `aov sql`, which filters the days"
        )));
    }
    Ok(())
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
    partials: &mut dyn Buckets,
    accounting: &mut RowAccounting,
    tally: &mut Tally,
) -> Result<(), Error> {
    let Reading { by, range, rates, include_credits, period } = *how;
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
    // The grain the engine bucketed by; without the column, days.
    let grain_i = find("period");
    let mut grain: Option<Period> = None;
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
        if let Some(i) = grain_i {
            let this = grain_of(&record[i]).ok_or_else(|| {
                bad("period", format!("{:?} is not a period (day, week, month, quarter, half, year, all)", &record[i]))
            })?;
            match grain {
                None => {
                    check_grain(&name, this, period, range, rates.is_some())?;
                    grain = Some(this);
                }
                Some(g) if g != this => {
                    return Err(bad(
                        "period",
                        format!("{:?} after rows per {}: one partials file holds one period", &record[i], g.name()),
                    ));
                }
                Some(_) => {}
            }
            if !matches!(this, Period::Day | Period::All) && this.first_day(this.key(day)) != Some(day) {
                return Err(bad(
                    "day",
                    format!(
                        "{day} is not the first day of a {}, as the query `aov sql --period` makes it",
                        this.name()
                    ),
                ));
            }
        }
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
            tally.add_credit_total(&currency, Some(credit_total));
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
        partials.add_bucket(&group, &currency, day, deals, total)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Period::*;

    #[test]
    fn periods_nest_as_the_calendar_does() {
        for p in Period::ALL {
            assert!(nests(Day, p), "{p:?}");
            assert!(nests(p, All), "{p:?}");
            assert!(nests(p, p), "{p:?}");
        }
        for (grain, period) in
            [(Month, Quarter), (Month, Half), (Month, Year), (Quarter, Half), (Quarter, Year), (Half, Year)]
        {
            assert!(nests(grain, period), "{grain:?} {period:?}");
            assert!(!nests(period, grain), "{period:?} {grain:?}");
        }
        for p in [Day, Month, Quarter, Half, Year] {
            assert!(!nests(Week, p), "{p:?}");
            assert!(!nests(p, Week) || p == Day, "{p:?}");
        }
        for p in [Day, Week, Month, Quarter, Half, Year] {
            assert!(!nests(All, p), "{p:?}");
        }
    }

    #[test]
    fn a_grain_is_named_or_blank() {
        assert_eq!(grain_of(""), Some(Day));
        assert_eq!(grain_of(" Week "), Some(Week));
        assert_eq!(grain_of("quarter"), Some(Quarter));
        assert_eq!(grain_of("fortnight"), None);
    }

    #[test]
    fn converting_needs_day_partials() {
        let err = check_grain("p.csv", Month, Month, (None, None), true).unwrap_err();
        assert!(err.to_string().contains("--currency converts at each day's rate"), "{err}");
        assert!(check_grain("p.csv", Day, Month, (None, None), true).is_ok());
        let d = |s: &str| s.parse::<chrono::NaiveDate>().ok();
        // ISO week 1 of 2015 runs from Monday 2014-12-29 to Sunday 2015-01-04.
        assert!(check_grain("p.csv", Week, Week, (d("2014-12-29"), d("2015-01-04")), false).is_ok());
        assert!(check_grain("p.csv", Week, Week, (d("2015-01-01"), None), false).is_err());
        assert!(check_grain("p.csv", Half, Year, (d("2013-07-01"), d("2013-12-31")), false).is_ok());
        assert!(check_grain("p.csv", All, All, (d("2013-01-01"), None), false).is_err());
    }
}
