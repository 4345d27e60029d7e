//! Quotes and the hit rate: how many quotes turn into deals, and whether
//! the won ones are the big or the small ones.
//!
//! A quote is won, lost or open (void ones never reach here). Quotes are
//! counted per group, currency and period into a `QuoteBook`; the view
//! built from it carries, per row, the counts and exact values of each
//! class and the ratios between them, unrounded until printed. A group is
//! a list of values named by the view (customer, seller, or any column
//! later), so the book knows nothing of which columns they came from.
//! Quotes without a date (open ones not yet decided) belong to no period:
//! they are counted in the totals only.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::{Overflow, exact_add};
use super::period::{Period, PeriodKey};
use crate::status::StatusClass;

/// What one group, currency and period holds: quotes of each class and
/// their values. A lost or open quote may have no value; won ones always
/// have one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuoteCounts {
    pub won: u64,
    pub lost: u64,
    pub open: u64,
    pub won_value: Decimal,
    pub lost_value: Decimal,
    pub open_value: Decimal,
    /// Lost and open quotes that have a value (the AOVs divide by these).
    pub lost_valued: u64,
    pub open_valued: u64,
    /// Input rows behind these quotes (an order's lines are one quote).
    pub rows: u64,
}

impl QuoteCounts {
    /// Count one quote of `class` worth `amount` (when known). `None` when
    /// a sum would overflow.
    pub fn add(&mut self, class: StatusClass, amount: Option<Decimal>) -> Option<()> {
        let (count, value, valued) = match class {
            StatusClass::Won => (&mut self.won, &mut self.won_value, None),
            StatusClass::Lost => (&mut self.lost, &mut self.lost_value, Some(&mut self.lost_valued)),
            StatusClass::Open => (&mut self.open, &mut self.open_value, Some(&mut self.open_valued)),
            StatusClass::Void => return Some(()),
        };
        *count += 1;
        self.rows += 1;
        if let Some(a) = amount {
            *value = exact_add(*value, a)?;
            if let Some(v) = valued {
                *v += 1;
            }
        }
        Some(())
    }

    pub fn merge(&mut self, o: &QuoteCounts) -> Option<()> {
        self.won += o.won;
        self.lost += o.lost;
        self.open += o.open;
        self.won_value = exact_add(self.won_value, o.won_value)?;
        self.lost_value = exact_add(self.lost_value, o.lost_value)?;
        self.open_value = exact_add(self.open_value, o.open_value)?;
        self.lost_valued += o.lost_valued;
        self.open_valued += o.open_valued;
        self.rows += o.rows;
        Some(())
    }

    /// Decided quotes: won + lost.
    pub fn decided(&self) -> u64 {
        self.won + self.lost
    }

    pub fn all(&self) -> u64 {
        self.won + self.lost + self.open
    }

    /// won / (won + lost) x 100; `None` with nothing decided.
    pub fn hit_rate_pct(&self) -> Option<Ratio> {
        pct(Ratio::from_int(i128::from(self.won)), Ratio::from_int(i128::from(self.decided())))
    }

    /// won value / (won + lost) value x 100; `None` when that sum is zero.
    pub fn value_hit_rate_pct(&self) -> Option<Ratio> {
        let won = Ratio::from_decimal(self.won_value);
        pct(won.clone(), won.add(&Ratio::from_decimal(self.lost_value)))
    }
}

fn pct(part: Ratio, whole: Ratio) -> Option<Ratio> {
    part.div(&whole).map(|r| r.mul(&Ratio::from_int(100)))
}

/// (group values, currency).
type GroupKey = (Vec<String>, String);

/// Quotes counted per group, currency and period, and those without a date.
#[derive(Clone, Debug)]
pub struct QuoteBook {
    period: Period,
    cells: BTreeMap<GroupKey, BTreeMap<PeriodKey, QuoteCounts>>,
    undated: BTreeMap<GroupKey, QuoteCounts>,
}

impl QuoteBook {
    pub fn new(period: Period) -> QuoteBook {
        QuoteBook { period, cells: BTreeMap::new(), undated: BTreeMap::new() }
    }

    pub fn period(&self) -> Period {
        self.period
    }

    /// Count a quote; `date` `None` for one without a date.
    pub fn add(
        &mut self,
        group: &[&str],
        currency: &str,
        date: Option<chrono::NaiveDate>,
        class: StatusClass,
        amount: Option<Decimal>,
    ) -> Result<(), Overflow> {
        self.add_rows(group, currency, date, class, amount, 1)
    }

    /// `add`, for a quote made of `rows` input rows (an order's lines).
    pub fn add_rows(
        &mut self,
        group: &[&str],
        currency: &str,
        date: Option<chrono::NaiveDate>,
        class: StatusClass,
        amount: Option<Decimal>,
        rows: u64,
    ) -> Result<(), Overflow> {
        let key = (group.iter().map(|s| s.to_string()).collect::<Vec<_>>(), currency.to_string());
        let overflow = || Overflow { group: format!("\"{}\"", group.join(" / ")), period: "the quotes".into() };
        // With one bucket for the whole selection, a quote without a date
        // belongs in it too.
        let counts = match (date, self.period) {
            (Some(d), _) => self.cells.entry(key).or_default().entry(self.period.key(d)).or_default(),
            (None, Period::All) => self.cells.entry(key).or_default().entry(PeriodKey(0)).or_default(),
            (None, _) => self.undated.entry(key).or_default(),
        };
        counts.add(class, amount).ok_or_else(overflow)?;
        counts.rows += rows.saturating_sub(1);
        Ok(())
    }

    /// Keep the dated periods `keep` says yes to; what is dropped comes
    /// back (for the row accounting).
    pub fn retain_periods(&mut self, keep: impl Fn(PeriodKey) -> bool) -> QuoteCounts {
        let mut dropped = QuoteCounts::default();
        for periods in self.cells.values_mut() {
            periods.retain(|k, c| {
                let kept = keep(*k);
                if !kept {
                    dropped.merge(c);
                }
                kept
            });
        }
        self.cells.retain(|_, p| !p.is_empty());
        dropped
    }

    /// The latest period with quotes.
    pub fn last_key(&self) -> Option<PeriodKey> {
        self.cells.values().filter_map(|p| p.keys().next_back()).max().copied()
    }
}

/// One line of the view: a group in a period (or, for totals, a currency).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotesRow {
    pub group: Vec<String>,
    /// Empty when the input has no currency.
    pub currency: String,
    /// `None` for `--period all` and for totals.
    pub period: Option<String>,
    pub counts: QuoteCounts,
    pub hit_rate_pct: Option<Ratio>,
    pub value_hit_rate_pct: Option<Ratio>,
    pub won_aov: Option<Ratio>,
    pub lost_aov: Option<Ratio>,
    /// hit_rate_pct - target, in percentage points (with `--target`).
    pub target_gap: Option<Ratio>,
}

impl QuotesRow {
    fn new(
        group: Vec<String>,
        currency: String,
        period: Option<String>,
        c: QuoteCounts,
        target: &Option<Ratio>,
    ) -> Self {
        let hit = c.hit_rate_pct();
        QuotesRow {
            target_gap: match (&hit, target) {
                (Some(h), Some(t)) => Some(h.sub(t)),
                _ => None,
            },
            group,
            currency,
            period,
            hit_rate_pct: hit,
            value_hit_rate_pct: c.value_hit_rate_pct(),
            won_aov: Ratio::mean(c.won_value, c.won),
            lost_aov: Ratio::mean(c.lost_value, c.lost_valued),
            counts: c,
        }
    }
}

/// The quotes view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotes {
    /// The names of the group columns (`customer`, `seller`...).
    pub by: Vec<String>,
    pub period: Period,
    /// More than one currency: each has its rows and a currency column.
    pub show_currency: bool,
    pub rows: Vec<QuotesRow>,
    /// One per currency, with the quotes that have no date.
    pub totals: Vec<QuotesRow>,
    /// The target hit rate, when one was given.
    pub target: Option<Decimal>,
    /// Quotes without a date (in the totals only).
    pub undated: u64,
}

/// Build the view. Without a group every period from the first to the
/// last with quotes is listed (per currency); with one, a group lists its
/// own periods. Groups with the most won value come first, ties by name.
pub fn quotes(book: &QuoteBook, by: &[String], target: Option<Decimal>) -> Result<Quotes, Overflow> {
    let period = book.period;
    let target_r = target.map(Ratio::from_decimal);
    let overflow = |g: &[String]| Overflow {
        group: if g.is_empty() { "all quotes".into() } else { format!("\"{}\"", g.join(" / ")) },
        period: "all periods".into(),
    };
    let keys: BTreeSet<&GroupKey> = book.cells.keys().chain(book.undated.keys()).collect();
    let currencies: BTreeSet<&str> = keys.iter().map(|(_, c)| c.as_str()).collect();
    let mut totals: BTreeMap<&str, QuoteCounts> = BTreeMap::new();
    let mut groups: Vec<(&GroupKey, QuoteCounts)> = Vec::new();
    for key in keys {
        let mut sum = QuoteCounts::default();
        for c in book.cells.get(key).into_iter().flat_map(|p| p.values()).chain(book.undated.get(key)) {
            sum.merge(c).ok_or_else(|| overflow(&key.0))?;
        }
        totals.entry(key.1.as_str()).or_default().merge(&sum).ok_or_else(|| overflow(&[]))?;
        groups.push((key, sum));
    }
    groups.sort_by(|(a, sa), (b, sb)| a.1.cmp(&b.1).then(sb.won_value.cmp(&sa.won_value)).then(a.0.cmp(&b.0)));
    let mut rows = Vec::new();
    for (key, _) in &groups {
        let Some(periods) = book.cells.get(*key) else { continue };
        let label = |k: PeriodKey| (period != Period::All).then(|| period.label(k));
        if by.is_empty() && period != Period::All {
            let (first, last) =
                (*periods.keys().next().expect("a period"), *periods.keys().next_back().expect("a period"));
            let mut k = first;
            while k <= last {
                let c = periods.get(&k).copied().unwrap_or_default();
                rows.push(QuotesRow::new(key.0.clone(), key.1.clone(), label(k), c, &target_r));
                k = k.next();
            }
        } else {
            for (k, c) in periods {
                rows.push(QuotesRow::new(key.0.clone(), key.1.clone(), label(*k), *c, &target_r));
            }
        }
    }
    let undated = book.undated.values().map(QuoteCounts::all).sum();
    Ok(Quotes {
        by: by.to_vec(),
        period,
        show_currency: currencies.len() > 1,
        rows,
        totals: totals
            .into_iter()
            .map(|(c, t)| QuotesRow::new(Vec::new(), c.to_string(), None, t, &target_r))
            .collect(),
        target,
        undated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::str::FromStr;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }
    fn dec(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }
    fn r(x: &Option<Ratio>, dp: u32) -> String {
        x.as_ref().map(|x| x.round(dp).to_string()).unwrap_or_default()
    }
    /// period|quotes|won|lost|open|hit|won_value|lost_value|value_hit|won_aov|lost_aov|open_value
    fn line(x: &QuotesRow) -> String {
        let c = &x.counts;
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            x.period.clone().unwrap_or_default(),
            c.decided(),
            c.won,
            c.lost,
            c.open,
            r(&x.hit_rate_pct, 1),
            c.won_value,
            c.lost_value,
            r(&x.value_hit_rate_pct, 1),
            r(&x.won_aov, 2),
            r(&x.lost_aov, 2),
            c.open_value
        )
    }

    use StatusClass::{Lost, Open, Won};

    #[test]
    fn every_class_counted_per_month() {
        let mut b = QuoteBook::new(Period::Month);
        for (day, class, amt) in [
            ("2013-01-05", Won, "100"),
            ("2013-01-06", Won, "200.01"),
            ("2013-01-07", Lost, "300"),
            ("2013-01-08", Open, "50"),
            // February: nothing decided, one open quote.
            ("2013-02-10", Open, "70"),
            // March: one lost without a value, one won.
            ("2013-03-01", Won, "90"),
        ] {
            b.add(&[], "", d(day), class, dec(amt)).unwrap();
        }
        b.add(&[], "", d("2013-03-02"), Lost, None).unwrap();
        // An open quote without a date: totals only.
        b.add(&[], "", None, Open, dec("1000")).unwrap();
        let v = quotes(&b, &[], None).unwrap();
        let lines: Vec<String> = v.rows.iter().map(line).collect();
        // January: 2 of 3 decided won: 66.666.. -> 66.7; value 300.01 / 600.01
        // = 50.0008.. -> 50.0; won AOV 150.005 -> 150.01.
        // March: 1 of 2 won -> 50.0; value 90 / (90 + 0) -> 100.0; the lost
        // quote has no value, so no lost AOV.
        assert_eq!(
            lines,
            vec![
                "2013-01|3|2|1|1|66.7|300.01|300|50.0|150.01|300.00|50",
                "2013-02|0|0|0|1||0|0||||70",
                "2013-03|2|1|1|0|50.0|90|0|100.0|90.00||0",
            ]
        );
        assert_eq!(v.undated, 1);
        assert_eq!(v.totals.len(), 1);
        // Totals: 3 won of 5 decided = 60 %; open 3 (one undated), 1120 open value.
        assert_eq!(line(&v.totals[0]), "|5|3|2|3|60.0|390.01|300|56.5|130.00|300.00|1120");
    }

    #[test]
    fn empty_sides_and_ties() {
        let mut b = QuoteBook::new(Period::All);
        // Ann: only lost: 0 %. Bo: only won: 100 %. Cy: only open: no hit rate.
        b.add(&["Ann"], "", d("2013-01-01"), Lost, dec("10")).unwrap();
        b.add(&["Bo"], "", d("2013-01-01"), Won, dec("10")).unwrap();
        b.add(&["Cy"], "", d("2013-01-01"), Open, dec("10")).unwrap();
        // Di ties with Bo on won value: by name after Bo.
        b.add(&["Di"], "", d("2013-01-02"), Won, dec("10.00")).unwrap();
        b.add(&["Di"], "", d("2013-01-02"), Lost, dec("-10.00")).unwrap();
        let v = quotes(&b, &["seller".to_string()], None).unwrap();
        let got: Vec<(String, String, String)> =
            v.rows.iter().map(|x| (x.group[0].clone(), r(&x.hit_rate_pct, 1), r(&x.value_hit_rate_pct, 1))).collect();
        // Di: won 10 and lost -10 add up to zero: no value hit rate.
        assert_eq!(
            got,
            vec![
                ("Bo".into(), "100.0".into(), "100.0".into()),
                ("Di".into(), "50.0".into(), "".into()),
                ("Ann".into(), "0.0".into(), "0.0".into()),
                ("Cy".into(), "".into(), "".into()),
            ]
        );
        // A half-point tie: 1 of 8 won = 12.5 exactly, printed 12.5; 1 of 16
        // = 6.25 -> 6.3 (half away from zero).
        let mut c = QuoteCounts::default();
        c.add(Won, dec("1")).unwrap();
        for _ in 0..15 {
            c.add(Lost, dec("1")).unwrap();
        }
        assert_eq!(r(&c.hit_rate_pct(), 1), "6.3");
    }

    #[test]
    fn target_gap_in_points_and_currencies_apart() {
        let mut b = QuoteBook::new(Period::Month);
        b.add(&[], "SEK", d("2013-01-01"), Won, dec("100")).unwrap();
        b.add(&[], "SEK", d("2013-01-02"), Lost, dec("100")).unwrap();
        b.add(&[], "SEK", d("2013-01-03"), Lost, dec("100")).unwrap();
        b.add(&[], "EUR", d("2013-02-01"), Won, dec("5")).unwrap();
        let v = quotes(&b, &[], Some(Decimal::from(25))).unwrap();
        assert!(v.show_currency);
        let got: Vec<(String, String, String)> =
            v.rows.iter().map(|x| (x.currency.clone(), r(&x.hit_rate_pct, 1), r(&x.target_gap, 1))).collect();
        // SEK: 1 of 3 = 33.33 %, 8.33 points above 25.
        assert_eq!(
            got,
            vec![("EUR".into(), "100.0".into(), "75.0".into()), ("SEK".into(), "33.3".into(), "8.3".into())]
        );
        assert_eq!(v.totals.iter().map(|t| t.currency.as_str()).collect::<Vec<_>>(), vec!["EUR", "SEK"]);
    }

    #[test]
    fn with_period_all_undated_quotes_are_in_the_one_row() {
        let mut b = QuoteBook::new(Period::All);
        b.add(&[], "", d("2013-01-01"), Won, dec("1")).unwrap();
        b.add(&[], "", None, Open, dec("5")).unwrap();
        let v = quotes(&b, &[], None).unwrap();
        assert_eq!((v.rows.len(), v.undated), (1, 0));
        assert_eq!((v.rows[0].counts.open, v.rows[0].counts.open_value), (1, Decimal::from(5)));
    }

    #[test]
    fn dropped_periods_come_back_counted() {
        let mut b = QuoteBook::new(Period::Month);
        b.add(&[], "", d("2013-01-01"), Won, dec("1")).unwrap();
        b.add(&[], "", d("2013-02-01"), Lost, dec("2")).unwrap();
        b.add(&[], "", d("2013-02-02"), Open, None).unwrap();
        let feb = Period::Month.key(d("2013-02-01").unwrap());
        assert_eq!(b.last_key(), Some(feb));
        let dropped = b.retain_periods(|k| k >= feb);
        assert_eq!((dropped.won, dropped.all()), (1, 1));
        assert_eq!(quotes(&b, &[], None).unwrap().rows.len(), 1);
    }

    proptest::proptest! {
        /// Group rows and the undated quotes add up to the totals, class by
        /// class, count and value, whatever the quotes.
        #[test]
        fn groups_add_up_to_the_totals(
            input in proptest::collection::vec((0usize..3, 0u8..3, proptest::option::of(0u32..40), proptest::option::of(-500i64..50_000)), 0..60)
        ) {
            let mut b = QuoteBook::new(Period::Month);
            let names = ["A", "B", "C"];
            let mut want = QuoteCounts::default();
            for (g, class, day, cents) in &input {
                let class = [Won, Lost, Open][*class as usize];
                // Won quotes always have a date and a value; the rest may not.
                let date = match (class, day) {
                    (Won, None) => d("2013-01-01"),
                    (_, Some(n)) => Some(NaiveDate::from_ymd_opt(2013, 1, 1).unwrap() + chrono::Days::new(u64::from(*n))),
                    (_, None) if class == Open => None,
                    _ => d("2013-01-01"),
                };
                let amount = match (class, cents) {
                    (Won, None) => Some(Decimal::ONE),
                    (_, c) => c.map(|c| Decimal::new(c, 2)),
                };
                b.add(&[names[*g]], "", date, class, amount).unwrap();
                want.add(class, amount).unwrap();
            }
            let v = quotes(&b, &["customer".to_string()], None).unwrap();
            let mut got = QuoteCounts::default();
            for r in &v.rows {
                got.merge(&r.counts).unwrap();
            }
            for c in b.undated.values() {
                got.merge(c).unwrap();
            }
            if input.is_empty() {
                proptest::prop_assert!(v.totals.is_empty());
            } else {
                proptest::prop_assert_eq!(v.totals.len(), 1);
                proptest::prop_assert_eq!(&v.totals[0].counts, &want);
            }
            proptest::prop_assert_eq!(got, want);
        }
    }
}
