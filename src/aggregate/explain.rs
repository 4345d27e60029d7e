//! Why did AOV change? The change between two sides (two periods, or one
//! seller against the team) split, segment by segment, into mix (deals
//! moved between segments of different AOV) and rate (the same segment's
//! AOV moved).
//!
//! For segment s on each side: n = its deals, w = n / the side's deals, a =
//! its AOV. A segment missing from a side takes the other side's AOV there,
//! so its whole contribution is mix. Then
//!     mix  = (w_cur - w_base) (a_base + a_cur) / 2
//!     rate = (a_cur - a_base) (w_base + w_cur) / 2
//! and the effects (mix + rate) add up exactly to AOV_cur - AOV_base: this
//! symmetric midpoint form has no residual term. Everything is an exact
//! ratio; rounding happens when printed.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::exact::Ratio;
use chrono::NaiveDate;

use super::partials::{Overflow, Partial, Partials, exact_add, key_currency, key_values};
use super::period::{Period, PeriodKey};

/// One segment's deals on the two sides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SegmentInput {
    pub base: Partial,
    pub current: Partial,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentRow {
    pub segment: String,
    pub base_deals: u64,
    pub current_deals: u64,
    /// `None` when the segment has no deals on that side.
    pub base_aov: Option<Ratio>,
    pub current_aov: Option<Ratio>,
    pub mix: Ratio,
    pub rate: Ratio,
    pub effect: Ratio,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub base_deals: u64,
    pub current_deals: u64,
    pub base_aov: Ratio,
    pub current_aov: Ratio,
    pub change: Ratio,
    /// change / |base AOV| x 100; `None` when the base AOV is zero.
    pub change_pct: Option<Ratio>,
    pub mix: Ratio,
    pub rate: Ratio,
}

/// The decomposition for one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub currency: String,
    /// Sorted by |effect|, largest first.
    pub rows: Vec<SegmentRow>,
    pub summary: Summary,
    /// Each side's median and largest deal, and the change without it,
    /// when the partials kept the deals (`Partials::with_deals`).
    pub outliers: Option<super::outliers::Outliers>,
}

/// A side without deals cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error("the {0} side has no deals, so there is nothing to compare")]
    EmptySide(&'static str),
    #[error("the sum of the {0} side is too large to add up exactly")]
    Overflow(&'static str),
}

fn zero() -> Ratio {
    Ratio::from_int(0)
}

fn half(r: Ratio) -> Ratio {
    r.div(&Ratio::from_int(2)).expect("2 is not zero")
}

/// Decompose the AOV change over `segments` (name -> both sides).
pub fn explain(currency: &str, segments: &BTreeMap<String, SegmentInput>) -> Result<Explanation, ExplainError> {
    let side_total = |pick: fn(&SegmentInput) -> &Partial, name: &'static str| -> Result<Partial, ExplainError> {
        let mut sum = Partial::default();
        for s in segments.values() {
            sum.merge(pick(s)).ok_or(ExplainError::Overflow(name))?;
        }
        Ok(sum)
    };
    let base = side_total(|s| &s.base, "base")?;
    let current = side_total(|s| &s.current, "current")?;
    let base_aov = Ratio::mean(base.total, base.deals).ok_or(ExplainError::EmptySide("base"))?;
    let current_aov = Ratio::mean(current.total, current.deals).ok_or(ExplainError::EmptySide("current"))?;
    let n_b = Ratio::from_int(i128::from(base.deals));
    let n_c = Ratio::from_int(i128::from(current.deals));

    let mut rows: Vec<SegmentRow> = segments
        .iter()
        .map(|(name, s)| {
            let a_b = Ratio::mean(s.base.total, s.base.deals);
            let a_c = Ratio::mean(s.current.total, s.current.deals);
            // A missing side takes the other side's AOV: its effect is all mix.
            let (ab, ac) = match (&a_b, &a_c) {
                (Some(b), Some(c)) => (b.clone(), c.clone()),
                (Some(b), None) => (b.clone(), b.clone()),
                (None, Some(c)) => (c.clone(), c.clone()),
                (None, None) => (zero(), zero()),
            };
            let w_b = Ratio::from_int(i128::from(s.base.deals)).div(&n_b).expect("base has deals");
            let w_c = Ratio::from_int(i128::from(s.current.deals)).div(&n_c).expect("current has deals");
            let mix = half(w_c.sub(&w_b).mul(&ab.add(&ac)));
            let rate = half(ac.sub(&ab).mul(&w_b.add(&w_c)));
            SegmentRow {
                segment: name.clone(),
                base_deals: s.base.deals,
                current_deals: s.current.deals,
                base_aov: a_b,
                current_aov: a_c,
                effect: mix.add(&rate),
                mix,
                rate,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.effect.abs().cmp(&a.effect.abs()).then_with(|| a.segment.cmp(&b.segment)));
    let mix = rows.iter().fold(zero(), |s, r| s.add(&r.mix));
    let rate = rows.iter().fold(zero(), |s, r| s.add(&r.rate));
    let change = current_aov.sub(&base_aov);
    let change_pct = change.div(&base_aov.abs()).map(|r| r.mul(&Ratio::from_int(100)));
    Ok(Explanation {
        currency: currency.to_string(),
        rows,
        summary: Summary {
            base_deals: base.deals,
            current_deals: current.deals,
            base_aov,
            current_aov,
            change,
            change_pct,
            mix,
            rate,
        },
        outliers: None,
    })
}

/// Keep the `n` largest segments and fold the rest into one `other` row
/// whose figures are the sums of its members, so every total still holds.
pub fn fold_top(e: &mut Explanation, n: usize, segments: &BTreeMap<String, SegmentInput>) {
    if e.rows.len() <= n {
        return;
    }
    let rest = e.rows.split_off(n);
    let mut base = Partial::default();
    let mut current = Partial::default();
    let (mut mix, mut rate) = (zero(), zero());
    for r in &rest {
        if let Some(s) = segments.get(&r.segment) {
            base.deals += s.base.deals;
            base.total = exact_add(base.total, s.base.total).unwrap_or(base.total);
            current.deals += s.current.deals;
            current.total = exact_add(current.total, s.current.total).unwrap_or(current.total);
        }
        mix = mix.add(&r.mix);
        rate = rate.add(&r.rate);
    }
    e.rows.push(SegmentRow {
        segment: "other".into(),
        base_deals: base.deals,
        current_deals: current.deals,
        base_aov: Ratio::mean(base.total, base.deals),
        current_aov: Ratio::mean(current.total, current.deals),
        effect: mix.add(&rate),
        mix,
        rate,
    });
}

/// Convenience for tests and library users: sides from (segment, amount) lists.
pub fn segments_from(base: &[(&str, Decimal)], current: &[(&str, Decimal)]) -> BTreeMap<String, SegmentInput> {
    let mut m: BTreeMap<String, SegmentInput> = BTreeMap::new();
    for (s, a) in base {
        m.entry(s.to_string()).or_default().base.merge(&Partial { deals: 1, total: *a, rows: 1 }).expect("fits");
    }
    for (s, a) in current {
        m.entry(s.to_string()).or_default().current.merge(&Partial { deals: 1, total: *a, rows: 1 }).expect("fits");
    }
    m
}

/// The deals each side of a comparison takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sides {
    /// Two periods of the partials' own bucketing (base, current).
    Periods(PeriodKey, PeriodKey),
    /// Two day ranges, each inclusive (base from, to, current from, to),
    /// over partials bucketed by day.
    Days([NaiveDate; 4]),
}

/// Why the default sides could not be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideError {
    /// No deals at all.
    NoDeals,
    /// No period with deals before the current one.
    NothingBefore(PeriodKey),
}

/// The sides by period: `current` (else the last period with deals) and
/// `base` (else the last period with deals before the current one; against
/// the team, the current period itself). One pass over the cells, which are
/// bucketed by the period compared.
pub fn period_sides(
    partials: &Partials,
    base: Option<PeriodKey>,
    current: Option<PeriodKey>,
    against_team: bool,
) -> Result<Sides, SideError> {
    let current = match current {
        Some(c) => c,
        None => partials.last_key().ok_or(SideError::NoDeals)?,
    };
    let base = match base {
        Some(b) => b,
        None if against_team => current,
        None => {
            partials.cells().map(|c| c.key).filter(|k| *k < current).max().ok_or(SideError::NothingBefore(current))?
        }
    };
    Ok(Sides::Periods(base, current))
}

/// The segments of each currency on both sides: currency -> segment name ->
/// its deals per side. The segment is the partials' first dimension. With
/// `subject` (a seller against the team), the partials' second dimension is
/// the seller: the base is every deal of the current side, the current side
/// the deals of the sellers `subject` accepts. Segments with deals on
/// neither side are left out.
pub fn segments(
    partials: &Partials,
    sides: Sides,
    subject: Option<&dyn Fn(&str) -> bool>,
) -> Result<BTreeMap<String, BTreeMap<String, SegmentInput>>, Overflow> {
    let mut per_currency: BTreeMap<String, BTreeMap<String, SegmentInput>> = BTreeMap::new();
    for cell in partials.cells() {
        let (in_base, in_current) = match sides {
            Sides::Periods(b, c) => (cell.key == b, cell.key == c),
            Sides::Days([a, b, c, d]) => {
                let day = Period::Day.first_day(cell.key).expect("partials bucketed by day");
                (day >= a && day <= b, day >= c && day <= d)
            }
        };
        let (to_base, to_current) = match subject {
            Some(is_subject) => (in_current, in_current && is_subject(key_values(cell.group).nth(1).unwrap_or(""))),
            None => (in_base, in_current),
        };
        if !to_base && !to_current {
            continue;
        }
        let segment = key_values(cell.group).next().unwrap_or("");
        let overflow = || Overflow { group: segment.to_string(), period: "the comparison".into() };
        let currency = key_currency(cell.group);
        let segs = match per_currency.get_mut(currency) {
            Some(segs) => segs,
            None => per_currency.entry(currency.to_string()).or_default(),
        };
        let entry = match segs.get_mut(segment) {
            Some(e) => e,
            None => segs.entry(segment.to_string()).or_default(),
        };
        if to_base {
            entry.base.merge(cell.part).ok_or_else(overflow)?;
        }
        if to_current {
            entry.current.merge(cell.part).ok_or_else(overflow)?;
        }
    }
    for segs in per_currency.values_mut() {
        segs.retain(|_, s| s.base.deals > 0 || s.current.deals > 0);
    }
    per_currency.retain(|_, segs| !segs.is_empty());
    Ok(per_currency)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(n: i64) -> Decimal {
        Decimal::from(n)
    }
    fn m(r: &Ratio) -> String {
        r.round(2).to_string()
    }
    fn rows(e: &Explanation) -> Vec<(String, String, String, String)> {
        e.rows.iter().map(|r| (r.segment.clone(), m(&r.mix), m(&r.rate), m(&r.effect))).collect()
    }
    fn sums_hold(e: &Explanation) {
        let total = e.rows.iter().fold(zero(), |s, r| s.add(&r.effect));
        assert_eq!(total, e.summary.change, "effects add up to the change exactly");
        assert_eq!(e.summary.mix.add(&e.summary.rate), e.summary.change);
    }

    #[test]
    fn pure_mix() {
        // Big deals are 1000, small 100, on both sides. Base: 2 big, 2 small (AOV 550).
        // Current: 1 big, 3 small (AOV 325). Change -225, all mix.
        let s = segments_from(
            &[("Big", dec(1000)), ("Big", dec(1000)), ("Small", dec(100)), ("Small", dec(100))],
            &[("Big", dec(1000)), ("Small", dec(100)), ("Small", dec(100)), ("Small", dec(100))],
        );
        let e = explain("", &s).unwrap();
        // Big: w 0.5 -> 0.25: mix = -0.25 * 1000 = -250. Small: +0.25 * 100 = +25.
        assert_eq!(
            rows(&e),
            vec![
                ("Big".into(), "-250.00".into(), "0.00".into(), "-250.00".into()),
                ("Small".into(), "25.00".into(), "0.00".into(), "25.00".into())
            ]
        );
        assert_eq!(
            (m(&e.summary.base_aov), m(&e.summary.current_aov), m(&e.summary.change)),
            ("550.00".into(), "325.00".into(), "-225.00".into())
        );
        assert_eq!(m(&e.summary.rate), "0.00");
        sums_hold(&e);
    }

    #[test]
    fn pure_rate() {
        // Same shares (1 deal each); A's deal shrinks from 300 to 200.
        let s = segments_from(&[("A", dec(300)), ("B", dec(100))], &[("A", dec(200)), ("B", dec(100))]);
        let e = explain("", &s).unwrap();
        // rate_A = -100 * (0.5 + 0.5) / 2 = -50; change 150 - 200 = -50.
        assert_eq!(
            rows(&e),
            vec![
                ("A".into(), "0.00".into(), "-50.00".into(), "-50.00".into()),
                ("B".into(), "0.00".into(), "0.00".into(), "0.00".into())
            ]
        );
        assert_eq!(m(&e.summary.change), "-50.00");
        assert_eq!(e.summary.change_pct.as_ref().unwrap().round(1).to_string(), "-25.0");
        sums_hold(&e);
    }

    #[test]
    fn new_and_lost_segments_are_all_mix() {
        // Base: Old 100, Stay 100 (AOV 100). Current: Stay 100, New 400 (AOV 250).
        let s = segments_from(&[("Old", dec(100)), ("Stay", dec(100))], &[("Stay", dec(100)), ("New", dec(400))]);
        let e = explain("", &s).unwrap();
        // New: w 0 -> 0.5, a = 400 both sides: mix = 0.5 * 800 / 2 = 200, rate 0.
        // Old: w 0.5 -> 0, a = 100: mix = -0.5 * 200 / 2 = -50. Stay: 0.
        assert_eq!(
            rows(&e),
            vec![
                ("New".into(), "200.00".into(), "0.00".into(), "200.00".into()),
                ("Old".into(), "-50.00".into(), "0.00".into(), "-50.00".into()),
                ("Stay".into(), "0.00".into(), "0.00".into(), "0.00".into()),
            ]
        );
        assert!(e.rows[0].base_aov.is_none() && e.rows[1].current_aov.is_none());
        assert_eq!(m(&e.summary.change), "150.00");
        sums_hold(&e);
    }

    #[test]
    fn a_single_segment_is_all_rate() {
        let s = segments_from(&[("Only", dec(10)), ("Only", dec(20))], &[("Only", dec(40))]);
        let e = explain("", &s).unwrap();
        assert_eq!(rows(&e), vec![("Only".into(), "0.00".into(), "25.00".into(), "25.00".into())]);
        sums_hold(&e);
    }

    #[test]
    fn an_empty_side_is_an_error() {
        let s = segments_from(&[], &[("A", dec(1))]);
        assert_eq!(explain("", &s).unwrap_err(), ExplainError::EmptySide("base"));
        let s = segments_from(&[("A", dec(1))], &[]);
        assert_eq!(
            explain("", &s).unwrap_err().to_string(),
            "the current side has no deals, so there is nothing to compare"
        );
    }

    #[test]
    fn thirds_still_add_up_exactly() {
        // Weights of 1/3 and AOVs of 10/3: nothing terminates, the sums still hold.
        let s = segments_from(
            &[("A", dec(10)), ("B", dec(0)), ("B", dec(0))],
            &[("A", dec(7)), ("A", dec(3)), ("A", dec(1)), ("C", dec(5))],
        );
        let e = explain("", &s).unwrap();
        sums_hold(&e);
    }

    #[test]
    fn top_folds_the_rest_into_other() {
        let s = segments_from(&[("Old", dec(100)), ("Stay", dec(100))], &[("Stay", dec(100)), ("New", dec(400))]);
        let mut e = explain("", &s).unwrap();
        fold_top(&mut e, 1, &s);
        assert_eq!(
            rows(&e),
            vec![
                ("New".into(), "200.00".into(), "0.00".into(), "200.00".into()),
                ("other".into(), "-50.00".into(), "0.00".into(), "-50.00".into())
            ]
        );
        assert_eq!((e.rows[1].base_deals, e.rows[1].current_deals), (2, 1));
        assert_eq!(m(e.rows[1].base_aov.as_ref().unwrap()), "100.00");
        sums_hold(&e);
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Deals (segment, seller, day, amount) in partials of `period`.
    fn partials(period: Period, deals: &[(&str, &str, &str, i64)]) -> Partials {
        let mut p = Partials::new(period, 2);
        for (segment, seller, d, amount) in deals {
            p.add(&[segment, seller], "", day(d), dec(*amount)).unwrap();
        }
        p
    }

    fn sides_of(segs: &BTreeMap<String, BTreeMap<String, SegmentInput>>) -> Vec<(String, u64, String, u64, String)> {
        segs[""]
            .iter()
            .map(|(name, s)| {
                (name.clone(), s.base.deals, s.base.total.to_string(), s.current.deals, s.current.total.to_string())
            })
            .collect()
    }

    const DEALS: [(&str, &str, &str, i64); 6] = [
        ("Acme", "Eva", "2013-01-10", 100),
        ("Acme", "Olle", "2013-03-02", 40),
        ("Bolt", "Eva", "2013-03-31", 10),
        ("Bolt", "Olle", "2013-03-05", 30),
        ("Cora", "Eva", "2012-12-31", 7),
        ("Dove", "Olle", "2013-05-01", 5),
    ];

    #[test]
    fn default_sides_are_the_last_period_with_deals_and_the_one_with_deals_before() {
        let p = partials(Period::Month, &DEALS);
        let m = |s: &str| Period::Month.key(day(s));
        // May has deals, April none: March is the base.
        assert_eq!(period_sides(&p, None, None, false), Ok(Sides::Periods(m("2013-03-01"), m("2013-05-01"))));
        // Given a current period, the base is the last one with deals before it.
        assert_eq!(
            period_sides(&p, None, Some(m("2013-03-01")), false),
            Ok(Sides::Periods(m("2013-01-01"), m("2013-03-01")))
        );
        // Against the team, both sides are the current period.
        assert_eq!(period_sides(&p, None, None, true), Ok(Sides::Periods(m("2013-05-01"), m("2013-05-01"))));
        assert_eq!(
            period_sides(&p, None, Some(m("2012-12-01")), false),
            Err(SideError::NothingBefore(m("2012-12-01")))
        );
        assert_eq!(period_sides(&Partials::new(Period::Month, 2), None, None, false), Err(SideError::NoDeals));
    }

    #[test]
    fn segments_take_the_cells_of_each_side_and_leave_out_the_others() {
        let p = partials(Period::Month, &DEALS);
        let m = |s: &str| Period::Month.key(day(s));
        let segs = segments(&p, Sides::Periods(m("2013-01-01"), m("2013-03-01")), None).unwrap();
        // Acme: 100 in January, 40 in March; Bolt 10 + 30 in March; Cora
        // (December) and Dove (May) are on neither side.
        assert_eq!(
            sides_of(&segs),
            vec![("Acme".into(), 1, "100".into(), 1, "40".into()), ("Bolt".into(), 0, "0".into(), 2, "40".into())]
        );
    }

    #[test]
    fn day_ranges_cut_inside_periods() {
        let p = partials(Period::Day, &DEALS);
        // Base 2012-12-31..2013-01-10, current 2013-03-03..2013-03-31.
        let sides = Sides::Days([day("2012-12-31"), day("2013-01-10"), day("2013-03-03"), day("2013-03-31")]);
        let segs = segments(&p, sides, None).unwrap();
        assert_eq!(
            sides_of(&segs),
            vec![
                ("Acme".into(), 1, "100".into(), 0, "0".into()),
                ("Bolt".into(), 0, "0".into(), 2, "40".into()),
                ("Cora".into(), 1, "7".into(), 0, "0".into()),
            ]
        );
    }

    #[test]
    fn a_seller_against_the_team_in_the_current_period() {
        let p = partials(Period::Month, &DEALS);
        let march = Period::Month.key(day("2013-03-01"));
        let is_olle = |s: &str| s.to_lowercase() == "olle";
        let segs = segments(&p, Sides::Periods(march, march), Some(&is_olle)).unwrap();
        // The team in March: Acme 40 (Olle), Bolt 10 (Eva) + 30 (Olle).
        assert_eq!(
            sides_of(&segs),
            vec![("Acme".into(), 1, "40".into(), 1, "40".into()), ("Bolt".into(), 2, "40".into(), 1, "30".into())]
        );
        // A period with no deals on either side gives no segments.
        let june = Period::Month.key(day("2013-06-01"));
        assert!(segments(&p, Sides::Periods(june, june), None).unwrap().is_empty());
    }
}
