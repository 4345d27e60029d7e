//! Who has the potential: customers ranked by total with their share of
//! revenue and an ABC class, and the seller view built on those classes.
//!
//! Both views start from partials at their own grain: one cell per
//! customer (or per seller and customer), bucketed by period only when a
//! period window needs it. The cells carry their first and last deal day,
//! and the amounts are kept compactly for the medians: per customer, and
//! per seller only (not per cell) for the seller view.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::amounts::Amounts;
use super::exact::Ratio;
use super::partials::{Overflow, Partials, exact_add, key_currency, key_values, split_key};
pub use super::trend::TrendWindows;
use super::trend::{Windows, totals_of};

/// ABC class of a customer by cumulative share of revenue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    A,
    B,
    C,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::A => "A",
            Class::B => "B",
            Class::C => "C",
        }
    }
}

/// The class of a customer whose predecessors in rank order hold `before`
/// of the grand total: A under 80 %, B under 95 %, else C. The largest
/// customer (nothing before it) is always A.
pub fn class_of(before: &Ratio, grand: &Ratio) -> Class {
    if before.is_zero() {
        return Class::A;
    }
    let share = match before.div(grand) {
        Some(s) if grand.signum() == std::cmp::Ordering::Greater => s,
        _ => return Class::C,
    };
    if share < Ratio::mean(Decimal::from(4), 5).expect("4/5") {
        Class::A
    } else if share < Ratio::mean(Decimal::from(19), 20).expect("19/20") {
        Class::B
    } else {
        Class::C
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRow {
    /// 1 for the biggest customer (per currency).
    pub rank: usize,
    pub customer: String,
    pub currency: String,
    pub deals: u64,
    pub total: Decimal,
    pub aov: Option<Ratio>,
    pub median: Option<Ratio>,
    /// total / grand total x 100.
    pub share_pct: Option<Ratio>,
    /// The shares of this and every bigger customer.
    pub cum_share_pct: Option<Ratio>,
    pub class: Class,
    pub first_deal: NaiveDate,
    pub last_deal: NaiveDate,
    /// Days from the last deal to the as-of day, when the partials kept a
    /// trend (negative when the last deal is after a given `--as-of`).
    pub days_since_last: Option<i64>,
    /// The total in the last trend window and in the preceding one.
    pub window_totals: Option<[Decimal; 2]>,
    /// The last window's total against the preceding one's, in percent of
    /// the preceding; `None` when that was 0 (or no trend was kept).
    pub trend_pct: Option<Ratio>,
}

/// Class A at a glance, per currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassSummary {
    pub currency: String,
    pub customers: usize,
    pub a_customers: usize,
    pub a_share_pct: Option<Ratio>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customers {
    pub show_currency: bool,
    /// With partials that kept a trend (`Partials::with_trend`).
    pub trend: Option<TrendWindows>,
    pub rows: Vec<CustomerRow>,
    pub summaries: Vec<ClassSummary>,
}

/// One customer's figures before ranking.
struct Acc<'a> {
    deals: u64,
    total: Decimal,
    /// The customer's cells' amounts (one cell per period bucket).
    amounts: Vec<&'a Amounts>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// Totals in the last trend window and the preceding one.
    windows: [Decimal; 2],
}

fn hundred() -> Ratio {
    Ratio::from_int(100)
}

/// The median of amounts kept in several cells, by selection on one
/// scratch copy.
fn median(parts: &[&Amounts], scratch: &mut Amounts) -> Option<Ratio> {
    scratch.clear();
    for a in parts {
        scratch.extend_values(a);
    }
    scratch.select(&[(1, 2)]).map(|s| s.percentiles.into_iter().next().expect("one point"))
}

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Rank customers. `partials` are grouped by `customer_at` among their
/// dimensions (the others are summed over), in any period bucketing (one
/// bucket, `All`, unless a period window needs more), with the deals' days
/// and, for the medians, the amounts per cell.
pub fn customers(partials: &Partials, customer_at: usize, top: Option<usize>) -> Result<Customers, Overflow> {
    let mut accs: FastMap<(&str, &str), Acc<'_>> = FastMap::default();
    // The trend: each cell's totals in the two windows, summed from its
    // amounts' days and added to its customer.
    let trend = partials.trend_windows();
    let days = trend.as_ref().map(|t| Windows::of(t.windows));
    for cell in partials.cells() {
        let currency = key_currency(cell.group);
        let customer = key_values(cell.group).nth(customer_at).unwrap_or("");
        let acc = accs.entry((currency, customer)).or_insert_with(|| Acc {
            deals: 0,
            total: Decimal::ZERO,
            amounts: Vec::new(),
            first: None,
            last: None,
            windows: [Decimal::ZERO; 2],
        });
        acc.deals += cell.part.deals;
        acc.total = exact_add(acc.total, cell.part.total)
            .ok_or_else(|| Overflow { group: format!("\"{customer}\""), period: "all".into() })?;
        if let Some(a) = cell.amounts {
            acc.amounts.push(a);
            if let Some(w) = &days {
                let over = || Overflow { group: format!("\"{customer}\""), period: "the trend windows".into() };
                // Every amount of partials with a trend has its day.
                let [last, before] = totals_of(a, w).ok_or_else(over)?;
                acc.windows[0] = exact_add(acc.windows[0], last).ok_or_else(over)?;
                acc.windows[1] = exact_add(acc.windows[1], before).ok_or_else(over)?;
            }
        }
        if let Some((first, last)) = cell.days {
            acc.first = acc.first.min(Some(first)).or(Some(first));
            acc.last = acc.last.max(Some(last));
        }
    }
    let mut list: Vec<((&str, &str), Acc<'_>)> = accs.into_iter().collect();
    // Currencies apart, in order; within one, the biggest customer first.
    list.sort_unstable_by(|((ca, na), a), ((cb, nb), b)| {
        ca.cmp(cb).then(b.total.cmp(&a.total)).then_with(|| na.cmp(nb))
    });
    let mut rows = Vec::new();
    let mut summaries = Vec::new();
    let mut scratch = Amounts::default();
    let mut rest = &list[..];
    let show_currency = list.first().is_some_and(|((c, _), _)| list.iter().any(|((d, _), _)| d != c));
    while let Some(((currency, _), _)) = rest.first() {
        let n = rest.iter().take_while(|((c, _), _)| c == currency).count();
        let (this, next) = rest.split_at(n);
        rest = next;
        let grand = this.iter().try_fold(Decimal::ZERO, |s, (_, a)| exact_add(s, a.total));
        let grand =
            Ratio::from_decimal(grand.ok_or_else(|| Overflow { group: "all customers".into(), period: "all".into() })?);
        let mut before = Ratio::from_int(0);
        let mut a_count = 0;
        let mut a_total = Ratio::from_int(0);
        for (i, ((_, customer), acc)) in this.iter().enumerate() {
            let total = Ratio::from_decimal(acc.total);
            let class = class_of(&before, &grand);
            let share = |r: &Ratio| {
                if grand.signum() == std::cmp::Ordering::Greater {
                    r.div(&grand).map(|s| s.mul(&hundred()))
                } else {
                    None
                }
            };
            let cum = before.add(&total);
            if class == Class::A {
                a_count += 1;
                a_total = a_total.add(&total);
            }
            if top.is_none_or(|t| i < t) {
                rows.push(CustomerRow {
                    rank: i + 1,
                    share_pct: share(&total),
                    cum_share_pct: share(&cum),
                    class,
                    aov: Ratio::mean(acc.total, acc.deals),
                    median: median(&acc.amounts, &mut scratch),
                    customer: customer.to_string(),
                    currency: currency.to_string(),
                    deals: acc.deals,
                    total: acc.total,
                    first_deal: acc.first.expect("a customer has a deal"),
                    last_deal: acc.last.expect("a customer has a deal"),
                    days_since_last: trend.as_ref().zip(acc.last).map(|(t, last)| (t.as_of - last).num_days()),
                    window_totals: trend.as_ref().map(|_| acc.windows),
                    trend_pct: trend
                        .as_ref()
                        .and_then(|_| crate::aggregate::trend::trend(acc.windows[0], acc.windows[1])),
                });
            }
            before = cum;
        }
        let a_share_pct = if grand.signum() == std::cmp::Ordering::Greater {
            a_total.div(&grand).map(|s| s.mul(&hundred()))
        } else {
            None
        };
        summaries.push(ClassSummary {
            currency: currency.to_string(),
            customers: n,
            a_customers: a_count,
            a_share_pct,
        });
    }
    Ok(Customers { show_currency, trend, rows, summaries })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerRow {
    pub seller: String,
    pub currency: String,
    pub deals: u64,
    pub total: Decimal,
    pub aov: Option<Ratio>,
    pub median: Option<Ratio>,
    /// Distinct customers.
    pub customers: usize,
    pub a_deals_pct: Option<Ratio>,
    pub b_deals_pct: Option<Ratio>,
    pub c_deals_pct: Option<Ratio>,
    /// The seller's AOV minus the AOV of all deals (same currency).
    pub vs_team: Option<Ratio>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sellers {
    pub show_currency: bool,
    pub rows: Vec<SellerRow>,
}

/// The ABC class of every customer, per (currency, customer), from their
/// totals: ranked biggest first, ties by name, as `customers` ranks them.
fn classes<'a>(totals: FastMap<(&'a str, &'a str), Decimal>) -> Result<FastMap<(&'a str, &'a str), Class>, Overflow> {
    let mut list: Vec<((&str, &str), Decimal)> = totals.into_iter().collect();
    list.sort_unstable_by(|((ca, na), a), ((cb, nb), b)| ca.cmp(cb).then(b.cmp(a)).then_with(|| na.cmp(nb)));
    let mut out = FastMap::default();
    let mut rest = &list[..];
    while let Some(((currency, _), _)) = rest.first() {
        let n = rest.iter().take_while(|((c, _), _)| c == currency).count();
        let (this, next) = rest.split_at(n);
        rest = next;
        let grand = this.iter().try_fold(Decimal::ZERO, |s, (_, t)| exact_add(s, *t));
        let grand =
            Ratio::from_decimal(grand.ok_or_else(|| Overflow { group: "all customers".into(), period: "all".into() })?);
        let mut before = Ratio::from_int(0);
        for (key, total) in this {
            out.insert(*key, class_of(&before, &grand));
            before = before.add(&Ratio::from_decimal(*total));
        }
    }
    Ok(out)
}

/// One row per seller. `partials` are grouped by (seller, customer), in
/// any period bucketing; customer classes are computed over all of them
/// (a customer's total is the sum over its sellers). The medians come from
/// amounts kept per seller (`Partials::with_amounts_by(.., 0)`) or per cell.
pub fn sellers(partials: &Partials) -> Result<Sellers, Overflow> {
    assert_eq!(partials.width(), 2);
    let overflow = |name: &str| Overflow { group: format!("\"{name}\""), period: "all".into() };
    let mut customer_totals: FastMap<(&str, &str), Decimal> = FastMap::default();
    for cell in partials.cells() {
        let customer = key_values(cell.group).nth(1).unwrap_or("");
        let t = customer_totals.entry((key_currency(cell.group), customer)).or_default();
        *t = exact_add(*t, cell.part.total).ok_or_else(|| overflow(customer))?;
    }
    let class = classes(customer_totals)?;
    struct S<'a> {
        deals: u64,
        total: Decimal,
        /// The seller's amounts kept per value, in parts (not copied: a
        /// copy of every amount was the biggest memory of `aov sellers`).
        value_amounts: Vec<&'a Amounts>,
        cell_amounts: Vec<&'a Amounts>,
        customers: usize,
        by_class: [u64; 3],
    }
    let mut accs: FastMap<(&str, &str), S<'_>> = FastMap::default();
    let mut team: BTreeMap<&str, (u64, Decimal)> = BTreeMap::new();
    // A (seller, customer) group may have a cell per period: count its
    // customer once.
    let mut counted = vec![false; partials.groups()];
    for cell in partials.cells() {
        let currency = key_currency(cell.group);
        let mut values = key_values(cell.group);
        let (seller, customer) = (values.next().unwrap_or(""), values.next().unwrap_or(""));
        let s = accs.entry((currency, seller)).or_insert_with(|| S {
            deals: 0,
            total: Decimal::ZERO,
            value_amounts: Vec::new(),
            cell_amounts: Vec::new(),
            customers: 0,
            by_class: [0; 3],
        });
        s.deals += cell.part.deals;
        s.total = exact_add(s.total, cell.part.total).ok_or_else(|| overflow(seller))?;
        if let Some(a) = cell.amounts {
            s.cell_amounts.push(a);
        }
        if !std::mem::replace(&mut counted[cell.id as usize], true) {
            s.customers += 1;
        }
        let c = class.get(&(currency, customer)).copied().unwrap_or(Class::C);
        s.by_class[c as usize] += cell.part.deals;
        let t = team.entry(currency).or_default();
        t.0 += cell.part.deals;
        t.1 = exact_add(t.1, cell.part.total).ok_or_else(|| overflow(seller))?;
    }
    for (key, _, amounts) in partials.amounts_by_value() {
        let (seller, currency) = split_key(key);
        if let Some(s) = accs.get_mut(&(currency, seller[0])) {
            s.value_amounts.push(amounts);
        }
    }
    let show_currency = team.len() > 1;
    let mut scratch = Amounts::default();
    let mut rows: Vec<SellerRow> = accs
        .into_iter()
        .map(|((currency, seller), s)| {
            let (td, tt) = team[currency];
            let aov = Ratio::mean(s.total, s.deals);
            let team_aov = Ratio::mean(tt, td);
            let pct = |n: u64| Ratio::new((n as i64).into(), (s.deals as i64).into()).map(|r| r.mul(&hundred()));
            let median = if s.cell_amounts.is_empty() {
                median(&s.value_amounts, &mut scratch)
            } else {
                median(&s.cell_amounts, &mut scratch)
            };
            SellerRow {
                vs_team: aov.as_ref().zip(team_aov.as_ref()).map(|(a, t)| a.sub(t)),
                a_deals_pct: pct(s.by_class[0]),
                b_deals_pct: pct(s.by_class[1]),
                c_deals_pct: pct(s.by_class[2]),
                median,
                customers: s.customers,
                aov,
                seller: seller.to_string(),
                currency: currency.to_string(),
                deals: s.deals,
                total: s.total,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.currency.cmp(&b.currency).then(b.total.cmp(&a.total)).then_with(|| a.seller.cmp(&b.seller)));
    Ok(Sellers { show_currency, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::Period;
    use std::str::FromStr;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::from_str(s).unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn r1(r: &Option<Ratio>) -> String {
        r.as_ref().map(|r| r.round(1).to_string()).unwrap_or_default()
    }

    #[test]
    fn abc_boundaries_are_exclusive() {
        let grand = Ratio::from_int(100);
        assert_eq!(class_of(&Ratio::from_int(0), &grand), Class::A);
        assert_eq!(class_of(&Ratio::from_decimal(dec("79.99")), &grand), Class::A);
        assert_eq!(class_of(&Ratio::from_int(80), &grand), Class::B); // exactly 80 % before: B
        assert_eq!(class_of(&Ratio::from_decimal(dec("94.99")), &grand), Class::B);
        assert_eq!(class_of(&Ratio::from_int(95), &grand), Class::C);
    }

    #[test]
    fn ranks_shares_and_classes() {
        // Totals: Big 80, Mid 15, Small 4, Tiny 1 (grand 100).
        let mut p = Partials::with_amounts(Period::Day, 1);
        for (c, day, a) in [
            ("Big", "2013-01-05", "50"),
            ("Big", "2013-03-01", "30"),
            ("Mid", "2013-02-01", "15"),
            ("Small", "2013-01-02", "4"),
            ("Tiny", "2013-01-09", "1"),
        ] {
            p.add(&[c], "", d(day), dec(a)).unwrap();
        }
        let v = customers(&p, 0, None).unwrap();
        let got: Vec<_> = v
            .rows
            .iter()
            .map(|r| {
                (
                    r.rank,
                    r.customer.as_str(),
                    r1(&r.share_pct),
                    r1(&r.cum_share_pct),
                    r.class.name(),
                    r.first_deal.to_string(),
                    r.last_deal.to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "Big", "80.0".into(), "80.0".into(), "A", "2013-01-05".into(), "2013-03-01".into()),
                // 80 % before Mid: exactly the boundary, so B.
                (2, "Mid", "15.0".into(), "95.0".into(), "B", "2013-02-01".into(), "2013-02-01".into()),
                // 95 % before Small: C.
                (3, "Small", "4.0".into(), "99.0".into(), "C", "2013-01-02".into(), "2013-01-02".into()),
                (4, "Tiny", "1.0".into(), "100.0".into(), "C", "2013-01-09".into(), "2013-01-09".into()),
            ]
        );
        assert_eq!(v.rows[0].median.as_ref().unwrap().round(2).to_string(), "40.00");
        assert_eq!((v.summaries[0].a_customers, r1(&v.summaries[0].a_share_pct)), (1, "80.0".into()));
        let top = customers(&p, 0, Some(2)).unwrap();
        assert_eq!(top.rows.len(), 2);
        assert_eq!(r1(&top.rows[1].cum_share_pct), "95.0");
    }

    #[test]
    fn sellers_by_class_and_against_the_team() {
        // Customers: Big 80 (A), Mid 15 (B), Small 5 (C). Team: 5 deals, 100 -> AOV 20.
        let mut p = Partials::with_amounts(Period::Day, 2);
        for (s, c, a) in [
            ("Eva", "Big", "50"),
            ("Eva", "Big", "30"),
            ("Eva", "Small", "5"),
            ("Olle", "Mid", "10"),
            ("Olle", "Mid", "5"),
        ] {
            p.add(&[s, c], "", d("2013-01-01"), dec(a)).unwrap();
        }
        let v = sellers(&p).unwrap();
        let got: Vec<_> = v
            .rows
            .iter()
            .map(|r| {
                (
                    r.seller.as_str(),
                    r.deals,
                    r.customers,
                    r1(&r.a_deals_pct),
                    r1(&r.b_deals_pct),
                    r1(&r.c_deals_pct),
                    r.vs_team.as_ref().unwrap().round(2).to_string(),
                )
            })
            .collect();
        // Eva: 85/3 = 28.333 -> +8.33 against 20; 2 of 3 deals with A, 1 with C.
        // Olle: 15/2 = 7.5 -> -12.50.
        assert_eq!(
            got,
            vec![
                ("Eva", 3, 2, "66.7".into(), "0.0".into(), "33.3".into(), "8.33".into()),
                ("Olle", 2, 1, "0.0".into(), "100.0".into(), "0.0".into(), "-12.50".into())
            ]
        );
    }
}
