//! Customer potential: a register's size of each customer (turnover,
//! employees, an estimate) set beside what the customer buys, so that the
//! large customers with little business stand out. The coach's first
//! lever is to work the customers with the most potential, not the ones on
//! the travel route.
//!
//! Pure: the caller gives each customer's sales (by folded name) and the
//! register's entries (folded the same way); this module classes the
//! register by size as ABC classes customers by sales (A while the bigger
//! ones hold under 80 % of the register's total size, B under 95 %, else
//! C), joins the two, and says which deals' customers the register lacks.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::customers::{Class, Customers, Sellers, class_of};
use super::exact::Ratio;
use super::partials::{Partials, exact_add};
use crate::model::fold_name;

/// One customer's sales, keyed by the folded name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sales {
    pub shown: String,
    pub deals: u64,
    pub total: Decimal,
}

/// A customer of the register: its name as written and its size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sized {
    pub shown: String,
    pub potential: Decimal,
}

/// One customer of the joined view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PotentialRow {
    /// The register's spelling when it has the customer, else the deals'.
    pub customer: String,
    pub deals: u64,
    pub total: Decimal,
    pub potential: Option<Decimal>,
    /// total / potential; `None` without a potential or when it is 0.
    pub sales_per_potential: Option<Ratio>,
    pub potential_class: Option<Class>,
}

/// The joined view and what the join could not match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Potential {
    /// Potential class first (A, B, C, then customers not in the
    /// register), biggest potential first within a class.
    pub rows: Vec<PotentialRow>,
    /// Customers of class A, and their share of all sales x 100.
    pub a_customers: usize,
    pub a_sales_pct: Option<Ratio>,
    /// Register customers without a deal.
    pub untouched: usize,
    /// Customers with deals that the register lacks, and their deals.
    pub missing_customers: usize,
    pub missing_deals: u64,
}

/// The potential class of every register customer, by size.
pub fn classes(register: &HashMap<String, Sized>) -> HashMap<String, Class> {
    let mut ranked: Vec<(&String, &Sized)> = register.iter().collect();
    ranked.sort_by(|a, b| b.1.potential.cmp(&a.1.potential).then_with(|| a.0.cmp(b.0)));
    let grand = ranked.iter().fold(Ratio::from_int(0), |acc, (_, s)| acc.add(&Ratio::from_decimal(s.potential)));
    let mut before = Ratio::from_int(0);
    let mut out = HashMap::new();
    for (key, s) in ranked {
        out.insert(key.clone(), class_of(&before, &grand));
        before = before.add(&Ratio::from_decimal(s.potential));
    }
    out
}

/// Join `sales` and `register` (both keyed by folded name).
pub fn join(sales: &HashMap<String, Sales>, register: &HashMap<String, Sized>) -> Option<Potential> {
    let class = classes(register);
    let mut grand = Decimal::ZERO;
    let mut a_sales = Decimal::ZERO;
    let mut keys: BTreeMap<&String, ()> = BTreeMap::new();
    for k in sales.keys().chain(register.keys()) {
        keys.insert(k, ());
    }
    let mut rows = Vec::new();
    let (mut missing_customers, mut missing_deals, mut untouched) = (0, 0, 0);
    for key in keys.keys() {
        let s = sales.get(*key);
        let r = register.get(*key);
        let (deals, total) = s.map_or((0, Decimal::ZERO), |s| (s.deals, s.total));
        grand = exact_add(grand, total)?;
        let c = class.get(*key).copied();
        if c == Some(Class::A) {
            a_sales = exact_add(a_sales, total)?;
        }
        match (s, r) {
            (Some(s), None) => {
                missing_customers += 1;
                missing_deals += s.deals;
            }
            (None, Some(_)) => untouched += 1,
            _ => {}
        }
        let potential = r.map(|r| r.potential);
        rows.push(PotentialRow {
            customer: r.map_or_else(|| s.map(|s| s.shown.clone()).unwrap_or_default(), |r| r.shown.clone()),
            deals,
            total,
            potential,
            sales_per_potential: potential
                .filter(|p| !p.is_zero())
                .and_then(|p| Ratio::from_decimal(total).div(&Ratio::from_decimal(p))),
            potential_class: c,
        });
    }
    rows.sort_by(|a, b| {
        let rank = |c: Option<Class>| c.map_or(3, |c| c as u8);
        rank(a.potential_class)
            .cmp(&rank(b.potential_class))
            .then_with(|| b.potential.cmp(&a.potential))
            .then_with(|| b.total.cmp(&a.total))
            .then_with(|| a.customer.cmp(&b.customer))
    });
    let a_customers = class.values().filter(|c| **c == Class::A).count();
    let a_sales_pct =
        Ratio::from_decimal(a_sales).div(&Ratio::from_decimal(grand)).map(|r| r.mul(&Ratio::from_int(100)));
    Some(Potential { rows, a_customers, a_sales_pct, untouched, missing_customers, missing_deals })
}

/// Each (seller, currency)'s share of deals with customers of potential
/// class A x 100, from (seller, currency, folded customer, deals) cells.
pub fn a_deals_pct<'a>(
    cells: impl Iterator<Item = (&'a str, &'a str, String, u64)>,
    classes: &HashMap<String, Class>,
) -> HashMap<(String, String), Option<Ratio>> {
    let mut counts: HashMap<(String, String), (u64, u64)> = HashMap::new();
    for (seller, currency, customer, deals) in cells {
        let e = counts.entry((seller.to_string(), currency.to_string())).or_default();
        e.0 += deals;
        if classes.get(&customer) == Some(&Class::A) {
            e.1 += deals;
        }
    }
    counts
        .into_iter()
        .map(|(k, (all, a))| {
            let pct = Ratio::new(i128::from(a).into(), i128::from(all).into()).map(|r| r.mul(&Ratio::from_int(100)));
            (k, pct)
        })
        .collect()
}

/// The length of a trend window (`--window 12m`): days, weeks, months or
/// years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Days(u32),
    Months(u32),
}

impl Span {
    /// `90d`, `8w`, `12m` or `1y` (a positive whole number and its unit).
    pub fn parse(s: &str) -> Result<Span, String> {
        let t = s.trim().to_lowercase();
        let bad = || format!("\"{s}\" is not a window length; write a number and d, w, m or y, e.g. 12m or 90d");
        let unit = t.chars().last().ok_or_else(bad)?;
        let n: u32 = t[..t.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        match unit {
            'd' => Ok(Span::Days(n)),
            'w' => n.checked_mul(7).map(Span::Days).ok_or_else(bad),
            'm' => Ok(Span::Months(n)),
            'y' => n.checked_mul(12).map(Span::Months).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    /// The day `self` before `day` (a month back from 31 March is the last
    /// day of February).
    pub fn before(self, day: NaiveDate) -> Option<NaiveDate> {
        match self {
            Span::Days(n) => day.checked_sub_days(chrono::Days::new(u64::from(n))),
            Span::Months(n) => day.checked_sub_months(chrono::Months::new(n)),
        }
    }
}

/// The trend windows ending on `as_of`: the current one (after
/// `as_of - span`, up to and with `as_of`) and the preceding one of equal
/// length, each as (first day, last day).
pub fn trend_windows(as_of: NaiveDate, span: Span) -> Option<[(NaiveDate, NaiveDate); 2]> {
    // Both counted back from `as_of`: a month back from 28 February
    // would reach 28 January, not the end of January.
    let start = span.before(as_of)?;
    let twice = match span {
        Span::Days(n) => Span::Days(n.checked_mul(2)?),
        Span::Months(n) => Span::Months(n.checked_mul(2)?),
    };
    let earlier = twice.before(as_of)?;
    Some([(start.succ_opt()?, as_of), (earlier.succ_opt()?, start)])
}

/// A customer's trend: its total in the current window against the
/// preceding one, in percent of the preceding; `None` when that was 0.
pub fn trend_pct(current: Decimal, previous: Decimal) -> Option<Ratio> {
    let prev = Ratio::from_decimal(previous);
    Ratio::from_decimal(current).sub(&prev).div(&prev.abs()).map(|r| r.mul(&Ratio::from_int(100)))
}

/// Whole days from `last` to `as_of` (0 on the day itself).
pub fn days_since(last: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - last).num_days()
}

/// The register's entries (name as written, size), keyed by the folded
/// name as the deals' names are.
fn sizes<'a>(entries: impl IntoIterator<Item = (&'a str, Decimal)>, case_sensitive: bool) -> HashMap<String, Sized> {
    entries
        .into_iter()
        .map(|(name, potential)| (fold_name(name, case_sensitive), Sized { shown: name.to_string(), potential }))
        .collect()
}

/// The customers view joined with a register: `None` when the sales'
/// total is too large to add up exactly.
pub fn join_view<'a>(
    view: &Customers,
    entries: impl IntoIterator<Item = (&'a str, Decimal)>,
    case_sensitive: bool,
) -> Option<Potential> {
    let sales: HashMap<String, Sales> = view
        .rows
        .iter()
        .map(|r| {
            let sales = Sales { shown: r.customer.clone(), deals: r.deals, total: r.total };
            (fold_name(&r.customer, case_sensitive), sales)
        })
        .collect();
    join(&sales, &sizes(entries, case_sensitive))
}

/// Each row of the sellers view: the share of its deals made with
/// customers of the register's class A (`None` without deals). `partials`
/// are the view's, one cell per (seller, customer).
pub fn sellers_a_deals<'a>(
    view: &Sellers,
    partials: &Partials,
    entries: impl IntoIterator<Item = (&'a str, Decimal)>,
    case_sensitive: bool,
) -> Vec<Option<Ratio>> {
    let classes = classes(&sizes(entries, case_sensitive));
    let cells = partials.cells().map(|c| {
        let (values, currency) = c.split();
        (values[0], currency, fold_name(values.get(1).copied().unwrap_or(""), case_sensitive), c.part.deals)
    });
    let shares = a_deals_pct(cells, &classes);
    view.rows.iter().map(|r| shares.get(&(r.seller.clone(), r.currency.clone())).cloned().flatten()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn register(v: &[(&str, &str)]) -> HashMap<String, Sized> {
        v.iter().map(|(n, p)| (n.to_lowercase(), Sized { shown: n.to_string(), potential: d(p) })).collect()
    }

    fn sales(v: &[(&str, u64, &str)]) -> HashMap<String, Sales> {
        v.iter().map(|(n, k, t)| (n.to_lowercase(), Sales { shown: n.to_string(), deals: *k, total: d(t) })).collect()
    }

    #[test]
    fn classes_by_size_as_abc_by_sales() {
        // 700 of 1000 before nothing: A; 700/1000 before the second: A;
        // 850/1000 before the third: B; 950/1000 before the last: C.
        let r = register(&[("Big", "700"), ("Mid", "150"), ("Small", "100"), ("Tiny", "50")]);
        let c = classes(&r);
        assert_eq!([c["big"], c["mid"], c["small"], c["tiny"]], [Class::A, Class::A, Class::B, Class::C]);
    }

    #[test]
    fn join_lists_untouched_and_missing() {
        let r = register(&[("Big AB", "700"), ("Mid", "150"), ("Small", "100"), ("Tiny", "50")]);
        // Big AB buys 100 (of all sales 1000); Mid nothing; Gone is not in
        // the register (2 deals).
        let s = sales(&[("BIG AB", 1, "100"), ("Small", 3, "600"), ("Tiny", 1, "100"), ("Gone", 2, "200")]);
        let p = join(&s, &r).unwrap();
        assert_eq!(p.a_customers, 2);
        assert_eq!(p.a_sales_pct, Ratio::new(10.into(), 1.into()));
        assert_eq!((p.untouched, p.missing_customers, p.missing_deals), (1, 1, 2));
        let names: Vec<&str> = p.rows.iter().map(|r| r.customer.as_str()).collect();
        assert_eq!(names, ["Big AB", "Mid", "Small", "Tiny", "Gone"]);
        assert_eq!(p.rows[0].sales_per_potential, Ratio::new(1.into(), 7.into()));
        assert_eq!(p.rows[1].deals, 0);
        assert_eq!(p.rows[1].sales_per_potential, Some(Ratio::from_int(0)));
        assert_eq!(p.rows[2].sales_per_potential, Ratio::new(6.into(), 1.into()));
        assert_eq!(p.rows[4].potential, None);
        assert_eq!(p.rows[4].potential_class, None);
    }

    #[test]
    fn a_view_joined_with_a_register_and_sellers_with_class_a() {
        use crate::aggregate::customers::{customers, sellers};
        use crate::aggregate::{Partials, Period};
        let day = NaiveDate::from_ymd_opt(2013, 1, 1).unwrap();
        let dec = |s: &str| s.parse::<Decimal>().unwrap();
        // Eva sells to Big (2 deals) and Small, Olle to Mid (2 deals).
        let mut p = Partials::with_amounts_by(Period::All, 2, 0);
        for (s, c, a) in [
            ("Eva", "Big AB", "50"),
            ("Eva", "Big AB", "30"),
            ("Eva", "Small", "5"),
            ("Olle", "Mid", "10"),
            ("Olle", "Mid", "5"),
        ] {
            p.add(&[s, c], "", day, dec(a)).unwrap();
        }
        // The register: BIG AB 700 (A: nothing before it), Mid 200 (A: 700
        // of 1000 before it), Small 100 (B: 900 of 1000 before it); spelled
        // in other cases than the deals.
        let entries = [("BIG AB", dec("700")), ("mid", dec("200")), ("SMALL", dec("100"))];
        let view = sellers(&p).unwrap();
        let shares = sellers_a_deals(&view, &p, entries, false);
        let got: Vec<(&str, Option<String>)> = view
            .rows
            .iter()
            .zip(&shares)
            .map(|(r, s)| (r.seller.as_str(), s.as_ref().map(|s| s.round(1).to_string())))
            .collect();
        // Eva: 2 of her 3 deals with Big AB (A); Olle: both with Mid (A).
        assert_eq!(got, [("Eva", Some("66.7".to_string())), ("Olle", Some("100.0".to_string()))]);
        // Case-sensitive names: no deal's customer is in the register.
        assert_eq!(sellers_a_deals(&view, &p, entries, true), [Some(Ratio::from_int(0)), Some(Ratio::from_int(0))]);

        let mut c = Partials::new(Period::All, 1);
        for (name, a) in [("Big AB", "80"), ("Small", "5"), ("Gone", "15")] {
            c.add(&[name], "", day, dec(a)).unwrap();
        }
        let joined = join_view(&customers(&c, 0, None).unwrap(), entries, false).unwrap();
        // The register's spelling where it has the customer; Mid bought
        // nothing (untouched); Gone is not in the register.
        let names: Vec<&str> = joined.rows.iter().map(|r| r.customer.as_str()).collect();
        assert_eq!(names, ["BIG AB", "mid", "SMALL", "Gone"]);
        assert_eq!((joined.untouched, joined.missing_customers, joined.missing_deals), (1, 1, 1));
    }

    #[test]
    fn window_lengths_and_trend() {
        assert_eq!(Span::parse("12m"), Ok(Span::Months(12)));
        assert_eq!(Span::parse("1Y"), Ok(Span::Months(12)));
        assert_eq!(Span::parse("2w"), Ok(Span::Days(14)));
        assert_eq!(Span::parse("90d"), Ok(Span::Days(90)));
        for bad in ["", "m", "0m", "12", "12x", "-3m"] {
            assert!(Span::parse(bad).is_err(), "{bad}");
        }
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            trend_windows(day(2014, 3, 31), Span::Months(1)),
            Some([(day(2014, 3, 1), day(2014, 3, 31)), (day(2014, 2, 1), day(2014, 2, 28))])
        );
        assert_eq!(
            trend_windows(day(2014, 6, 30), Span::Months(12)),
            Some([(day(2013, 7, 1), day(2014, 6, 30)), (day(2012, 7, 1), day(2013, 6, 30))])
        );
        assert_eq!(trend_pct(d("50"), d("200")), Ratio::new((-75).into(), 1.into()));
        assert_eq!(trend_pct(d("50"), d("0")), None);
        assert_eq!(days_since(day(2014, 2, 27), day(2014, 3, 1)), 2);
    }
}
