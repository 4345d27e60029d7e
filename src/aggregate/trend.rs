//! A customer's trend: its total in the last window (`--window 12m`) up to
//! the as-of day set against the window before it, so that a big customer
//! drifting away stands out in `aov customers`.
//!
//! The windows end on the as-of day: the one given, or the last deal day of
//! the data, known only once everything is read. So nothing can be summed
//! while reading. Instead the view's amount store, which keeps every amount
//! for the medians anyway, keeps each amount's day beside it (4 bytes a
//! deal: `Amounts::push_micros_on`), and the windows' totals are summed
//! from it once the as-of day is known. (A store of its own held every deal
//! of the two windows again, 16 bytes each, and kept the parallel workers
//! from merging by id.)

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::amounts::{Amounts, Dated};
use super::exact::Ratio;
use super::partials::{day_number, exact_add};
use super::potential::Span;

/// What a trend needs from the partials: its window, the as-of day given
/// (`--as-of`), and the latest deal day of periods a window dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trend {
    pub span: Span,
    /// The as-of day given; else the latest deal day counts.
    pub fixed: Option<NaiveDate>,
    /// The latest deal day of cells dropped by a period window (`--last`,
    /// `--complete-only`): the as-of day is the last deal day of all the
    /// deals read, not only of those kept.
    dropped_latest: Option<NaiveDate>,
}

/// The trend windows a view's rows were measured in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendWindows {
    /// The as-of day, and whether it was given (else the last deal day).
    pub as_of: NaiveDate,
    pub given: bool,
    /// The last window and the preceding one, (first day, last day) each.
    pub windows: [(NaiveDate, NaiveDate); 2],
}

/// The two windows as day numbers: (first, last) of the last window, then
/// of the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows([(i32, i32); 2]);

impl Trend {
    pub fn new(span: Span, fixed: Option<NaiveDate>) -> Trend {
        Trend { span, fixed, dropped_latest: None }
    }

    /// Note the latest deal day of cells about to be dropped.
    pub fn note_dropped(&mut self, latest: Option<NaiveDate>) {
        self.dropped_latest = self.dropped_latest.max(latest);
    }

    /// The same trend, with what `other` dropped as well (a merge).
    pub fn merge(&mut self, other: &Trend) {
        self.note_dropped(other.dropped_latest);
    }

    /// The as-of day: the one given, else the latest deal day of the cells
    /// kept (`latest_kept`) or dropped.
    pub fn as_of(&self, latest_kept: Option<NaiveDate>) -> Option<NaiveDate> {
        self.fixed.or_else(|| latest_kept.max(self.dropped_latest))
    }
}

impl Windows {
    /// The windows of dates (see `trend_windows`) as day numbers.
    pub fn of(windows: [(NaiveDate, NaiveDate); 2]) -> Windows {
        Windows(windows.map(|(a, b)| (day_number(a), day_number(b))))
    }

    /// Whether day number `day` is in the last window and in the one
    /// before (at most one: they do not overlap). No branch: every amount
    /// of every customer passes here.
    #[inline]
    fn hits(&self, day: i32) -> [bool; 2] {
        self.0.map(|(a, b)| (a <= day) & (day <= b))
    }
}

/// The totals of a store's amounts in the last window and the one
/// before, part by part; `None` when an amount has no day (a store kept
/// without them) or a total does not fit exactly.
pub fn totals_of(amounts: &Amounts, windows: &Windows) -> Option<[Decimal; 2]> {
    let mut sums = [Decimal::ZERO; 2];
    for part in amounts.dated()? {
        let [a, b] = window_totals(part, windows)?;
        sums = [exact_add(sums[0], a)?, exact_add(sums[1], b)?];
    }
    Some(sums)
}

/// The totals of one part's dated amounts in the last window and the one
/// before; `None` when a total does not fit exactly.
fn window_totals(amounts: Dated<'_>, windows: &Windows) -> Option<[Decimal; 2]> {
    match amounts {
        Dated::Cents(days, cents) => scaled_totals(days, cents, 2, windows),
        Dated::Micros(days, micros) => scaled_totals(days, micros, 6, windows),
        Dated::Exact(days, values) => {
            let mut sums = [Decimal::ZERO; 2];
            for (day, d) in days.iter().zip(values) {
                for (sum, hit) in sums.iter_mut().zip(windows.hits(*day)) {
                    if hit {
                        *sum = exact_add(*sum, *d)?;
                    }
                }
            }
            Some(sums)
        }
    }
}

/// The window totals of amounts held as integers of `scale` decimals,
/// summed in `i128` (no overflow: a deal's amount is at most an `i64`).
fn scaled_totals<T: Copy + Into<i128>>(
    days: &[i32],
    values: &[T],
    scale: u32,
    windows: &Windows,
) -> Option<[Decimal; 2]> {
    let mut sums = [0i128; 2];
    for (&day, &v) in days.iter().zip(values) {
        let [last, before] = windows.hits(day);
        let v: i128 = v.into();
        sums[0] += v * i128::from(last);
        sums[1] += v * i128::from(before);
    }
    let dec = |v: i128| Decimal::try_from_i128_with_scale(v, scale).ok().map(|d| d.normalize());
    Some([dec(sums[0])?, dec(sums[1])?])
}

/// The trend of a total: the last window's against the preceding one, in
/// percent of the preceding; `None` when the preceding window's total is 0
/// (no deals then).
pub fn trend(last: Decimal, before: Decimal) -> Option<Ratio> {
    super::potential::trend_pct(last, before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::potential::trend_windows;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn dated(deals: &[(NaiveDate, &str)]) -> Amounts {
        let mut a = Amounts::default();
        for (d, x) in deals {
            a.push_on(dec(x), day_number(*d));
        }
        a
    }

    #[test]
    fn sums_per_window_ending_on_the_as_of_day() {
        // Window 1 month, as of 31 March: last window 1-31 March, the one
        // before 1-28 February; January is in neither.
        let w = trend_windows(day(2014, 3, 31), Span::Months(1)).unwrap();
        assert_eq!(w, [(day(2014, 3, 1), day(2014, 3, 31)), (day(2014, 2, 1), day(2014, 2, 28))]);
        let a = dated(&[(day(2014, 1, 15), "999"), (day(2014, 2, 1), "100"), (day(2014, 3, 31), "30")]);
        assert_eq!(totals_of(&a, &Windows::of(w)), Some([dec("30"), dec("100")]));
        assert_eq!(trend(dec("30"), dec("100")), Ratio::new((-70).into(), 1.into()));
        assert_eq!(trend(dec("5"), dec("0")), None);
    }

    #[test]
    fn a_later_deal_than_a_fixed_as_of_day_is_in_no_window() {
        // Window 10 days, as of 20 January: last 11-20, before 1-10.
        let w = Windows::of(trend_windows(day(2014, 1, 20), Span::Days(10)).unwrap());
        let a = dated(&[
            (day(2014, 1, 21), "7"),
            (day(2014, 1, 11), "1.5"),
            (day(2014, 1, 10), "2"),
            (day(2014, 1, 20), "0.5"),
            (day(2013, 12, 31), "9"),
        ]);
        assert_eq!(totals_of(&a, &w), Some([dec("2"), dec("2")]));
    }

    #[test]
    fn amounts_beyond_millionths_are_summed_exactly() {
        // 9 999 999 999 999.5 is more millionths than an i64 holds: the
        // store turns to exact decimals and keeps the days.
        let w = Windows::of(trend_windows(day(2014, 1, 20), Span::Days(10)).unwrap());
        let mut a = dated(&[(day(2014, 1, 15), "9999999999999.5"), (day(2014, 1, 15), "0.25")]);
        a.push_micros_on(1_250_000, day_number(day(2014, 1, 12)));
        a.push_micros_on(-500_000, day_number(day(2014, 1, 5)));
        assert!(matches!(a.dated().as_deref(), Some([Dated::Exact(..)])));
        assert_eq!(totals_of(&a, &w), Some([dec("10000000000001"), dec("-0.5")]));
    }

    #[test]
    fn parts_of_every_kind_add_up_in_the_windows() {
        // Windows: the last 10 days to 2014-01-20 (Jan 11-20), the 10
        // before (Jan 1-10).
        let w = Windows::of(trend_windows(day(2014, 1, 20), Span::Days(10)).unwrap());
        // Cents: 1.25 (last), 2.50 (before).
        let mut a = dated(&[(day(2014, 1, 12), "1.25"), (day(2014, 1, 5), "2.50")]);
        // Millionths: 0.000001 (last) turns its part into millionths.
        let mut b = dated(&[(day(2014, 1, 13), "3")]);
        b.push_micros_on(1, day_number(day(2014, 1, 14)));
        // Exact: 0.0000001 (before), and 7 outside both windows.
        let c = dated(&[(day(2014, 1, 6), "0.0000001"), (day(2013, 12, 1), "7")]);
        assert!(matches!(b.dated().as_deref(), Some([Dated::Micros(..)])));
        assert!(matches!(c.dated().as_deref(), Some([Dated::Exact(..)])));
        a.append(b);
        a.append(c);
        assert!(matches!(a.dated().as_deref(), Some([Dated::Cents(..), Dated::Micros(..), Dated::Exact(..)])));
        // last: 1.25 + 3 + 0.000001; before: 2.50 + 0.0000001
        assert_eq!(totals_of(&a, &w), Some([dec("4.250001"), dec("2.5000001")]));
    }

    #[test]
    fn days_are_kept_only_while_every_amount_has_one() {
        let mut a = dated(&[(day(2014, 1, 1), "1")]);
        let mut b = dated(&[(day(2014, 1, 2), "2")]);
        a.extend(&b);
        // Whole cents are kept as hundredths.
        assert_eq!(a.dated(), Some(vec![Dated::Cents(&[735_234, 735_235], &[100, 200])]));
        b.push(dec("3"));
        assert!(b.dated().is_none());
        a.extend(&b);
        assert!(a.dated().is_none());
        // A selection reorders the amounts, so it forgets their days.
        let mut c = dated(&[(day(2014, 1, 1), "5"), (day(2014, 1, 2), "1")]);
        c.select(&[(1, 2)]);
        assert!(c.dated().is_none());
    }

    #[test]
    fn the_as_of_day_is_the_given_one_or_the_latest_kept_or_dropped() {
        let mut t = Trend::new(Span::Months(12), None);
        assert_eq!(t.as_of(Some(day(2014, 5, 1))), Some(day(2014, 5, 1)));
        t.note_dropped(Some(day(2014, 6, 3)));
        t.note_dropped(None);
        assert_eq!(t.as_of(Some(day(2014, 5, 1))), Some(day(2014, 6, 3)));
        let given = Trend::new(Span::Months(12), Some(day(2013, 1, 1)));
        assert_eq!(given.as_of(Some(day(2014, 5, 1))), Some(day(2013, 1, 1)));
    }
}
