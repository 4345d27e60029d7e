//! Offer breadth: how many distinct products each deal holds, and what
//! wider deals are worth. The coach's second lever is to widen the range of
//! products discussed with each customer; this view measures it.
//!
//! Two parts, both pure. `OrderProducts` keeps, per open order (keyed by
//! its id, and by its seller in a view by seller), the set of distinct
//! products its lines named: a repeated product is counted once. Memory is
//! one key and one small set of product ids per order, plus one entry per
//! distinct product name; a further line of a product already in its order
//! costs nothing, so memory grows with orders and products, not rows.
//! `BreadthAcc` then takes each deal with its number of products and sums
//! deals and amounts per (currency, period, group, breadth); it keeps every
//! amount, for the medians, so it grows with the number of deals.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::{Overflow, exact_add};
use super::period::{Period, PeriodKey};
use super::stats::percentile;

/// The distinct products of every order, as its lines come in.
#[derive(Clone, Debug, Default)]
pub struct OrderProducts {
    /// Order key -> its index in `sets`.
    orders: HashMap<String, u32>,
    /// Product name -> id.
    products: HashMap<String, u32>,
    /// Per order: the ids of its distinct products, sorted.
    sets: Vec<Vec<u32>>,
}

impl OrderProducts {
    pub fn new() -> OrderProducts {
        OrderProducts::default()
    }

    /// The index of `order` (dense, from 0), a new one for an order not
    /// seen before.
    pub fn order(&mut self, order: &str) -> u32 {
        match self.orders.get(order) {
            Some(&i) => i,
            None => {
                let i = self.sets.len() as u32;
                self.orders.insert(order.to_string(), i);
                self.sets.push(Vec::new());
                i
            }
        }
    }

    /// A line of the order at `index` (from `order`) naming `product`.
    pub fn add(&mut self, index: u32, product: &str) {
        let next = self.products.len() as u32;
        let product = match self.products.get(product) {
            Some(&id) => id,
            None => {
                self.products.insert(product.to_string(), next);
                next
            }
        };
        if let Some(set) = self.sets.get_mut(index as usize) {
            if let Err(at) = set.binary_search(&product) {
                set.insert(at, product);
            }
        }
    }

    /// The number of distinct products of the order at `index`.
    pub fn breadth(&self, index: u32) -> Option<u32> {
        self.sets.get(index as usize).map(|s| s.len() as u32)
    }

    /// The number of orders seen.
    pub fn orders(&self) -> usize {
        self.sets.len()
    }
}

/// A deal's breadth, as the view groups it: 1, 2, 3, or 4 or more products.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Breadth {
    One,
    Two,
    Three,
    FourOrMore,
}

impl Breadth {
    pub const ALL: [Breadth; 4] = [Breadth::One, Breadth::Two, Breadth::Three, Breadth::FourOrMore];

    /// The bucket of a deal with `products` distinct products (a deal has
    /// at least one).
    pub fn of(products: u32) -> Breadth {
        match products {
            0 | 1 => Breadth::One,
            2 => Breadth::Two,
            3 => Breadth::Three,
            _ => Breadth::FourOrMore,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Breadth::One => "1",
            Breadth::Two => "2",
            Breadth::Three => "3",
            Breadth::FourOrMore => "4+",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The deals of one breadth bucket.
#[derive(Clone, Debug, Default)]
struct Bucket {
    deals: u64,
    total: Decimal,
    amounts: Vec<Decimal>,
}

/// The deals of one (currency, period, group).
#[derive(Clone, Debug, Default)]
struct GroupAcc {
    buckets: [Bucket; 4],
    /// The sum of the deals' numbers of distinct products.
    products: u64,
}

/// Deals with their breadth, summed exactly per (currency, period, group).
#[derive(Clone, Debug)]
pub struct BreadthAcc {
    period: Period,
    cells: BTreeMap<(String, PeriodKey, String), GroupAcc>,
}

/// One row of the overview: the deals of one breadth in one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreadthRow {
    /// The period's label; `None` with `--period all`.
    pub period: Option<String>,
    pub currency: String,
    pub breadth: Breadth,
    pub deals: u64,
    /// deals / the period's deals x 100.
    pub share_pct: Option<Ratio>,
    pub aov: Option<Ratio>,
    pub median: Option<Ratio>,
}

/// Deals per breadth, per period (and currency).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    pub rows: Vec<BreadthRow>,
    pub show_currency: bool,
    pub show_period: bool,
    /// Every deal has one product (each deal is one row, most often).
    pub all_single: bool,
}

/// One row of the view by seller (or customer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    pub period: Option<String>,
    pub group: String,
    pub currency: String,
    pub deals: u64,
    pub aov: Option<Ratio>,
    /// The mean number of distinct products per deal.
    pub avg_products: Option<Ratio>,
    /// Deals of two or more products / deals x 100.
    pub multi_product_pct: Option<Ratio>,
    /// The AOV of the deals of one product, and of those of more.
    pub single_aov: Option<Ratio>,
    pub multi_aov: Option<Ratio>,
}

/// Breadth per seller (or customer), per period (and currency).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ByGroup {
    pub rows: Vec<GroupRow>,
    pub show_currency: bool,
    pub show_period: bool,
    pub all_single: bool,
}

fn pct(part: u64, whole: u64) -> Option<Ratio> {
    Ratio::new(i128::from(part).into(), i128::from(whole).into()).map(|r| r.mul(&Ratio::from_int(100)))
}

fn median(amounts: &[Decimal]) -> Option<Ratio> {
    let mut sorted = amounts.to_vec();
    sorted.sort_unstable();
    percentile(&sorted, 1, 2)
}

impl BreadthAcc {
    pub fn new(period: Period) -> BreadthAcc {
        BreadthAcc { period, cells: BTreeMap::new() }
    }

    /// Add deals of `products` distinct products each, one per amount of
    /// `amounts` (which sum to `total`), in `group` (empty without a group).
    pub fn add(
        &mut self,
        group: &str,
        currency: &str,
        key: PeriodKey,
        products: u32,
        total: Decimal,
        amounts: &[Decimal],
    ) -> Result<(), Overflow> {
        let overflow = || Overflow { group: group.to_string(), period: self.period.label(key) };
        let cell = self.cells.entry((currency.to_string(), key, group.to_string())).or_default();
        let bucket = &mut cell.buckets[Breadth::of(products).index()];
        let deals = amounts.len() as u64;
        bucket.total = exact_add(bucket.total, total).ok_or_else(overflow)?;
        bucket.deals += deals;
        bucket.amounts.extend_from_slice(amounts);
        cell.products += u64::from(products.max(1)) * deals;
        Ok(())
    }

    fn show_currency(&self) -> bool {
        let mut currencies = self.cells.keys().map(|(c, _, _)| c);
        let first = currencies.next();
        currencies.any(|c| Some(c) != first)
    }

    fn all_single(&self) -> bool {
        self.cells.values().all(|c| c.buckets[1..].iter().all(|b| b.deals == 0))
    }

    fn label(&self, key: PeriodKey) -> Option<String> {
        (self.period != Period::All).then(|| self.period.label(key))
    }

    /// Deals per breadth, per (currency, period), every group together.
    /// Every breadth has a row, with 0 deals when none.
    pub fn overview(&self) -> Result<Overview, Overflow> {
        let mut per: BTreeMap<(&str, PeriodKey), [Bucket; 4]> = BTreeMap::new();
        for ((currency, key, _), cell) in &self.cells {
            let buckets = per.entry((currency.as_str(), *key)).or_default();
            for (into, from) in buckets.iter_mut().zip(&cell.buckets) {
                into.total = exact_add(into.total, from.total)
                    .ok_or_else(|| Overflow { group: "all deals".into(), period: self.period.label(*key) })?;
                into.deals += from.deals;
                into.amounts.extend_from_slice(&from.amounts);
            }
        }
        let mut rows = Vec::new();
        for ((currency, key), buckets) in &per {
            let deals: u64 = buckets.iter().map(|b| b.deals).sum();
            for b in Breadth::ALL {
                let bucket = &buckets[b.index()];
                rows.push(BreadthRow {
                    period: self.label(*key),
                    currency: currency.to_string(),
                    breadth: b,
                    deals: bucket.deals,
                    share_pct: pct(bucket.deals, deals),
                    aov: Ratio::mean(bucket.total, bucket.deals),
                    median: median(&bucket.amounts),
                });
            }
        }
        Ok(Overview {
            rows,
            show_currency: self.show_currency(),
            show_period: self.period != Period::All,
            all_single: self.all_single(),
        })
    }

    /// Breadth per group, per (currency, period), groups in name order.
    pub fn by_group(&self) -> Result<ByGroup, Overflow> {
        let mut rows = Vec::new();
        for ((currency, key, group), cell) in &self.cells {
            let overflow = || Overflow { group: group.clone(), period: self.period.label(*key) };
            let single = &cell.buckets[0];
            let mut multi = Bucket::default();
            for b in &cell.buckets[1..] {
                multi.deals += b.deals;
                multi.total = exact_add(multi.total, b.total).ok_or_else(overflow)?;
            }
            let deals = single.deals + multi.deals;
            let total = exact_add(single.total, multi.total).ok_or_else(overflow)?;
            rows.push((
                *key,
                GroupRow {
                    period: self.label(*key),
                    group: group.clone(),
                    currency: currency.clone(),
                    deals,
                    aov: Ratio::mean(total, deals),
                    avg_products: Ratio::new(i128::from(cell.products).into(), i128::from(deals).into()),
                    multi_product_pct: pct(multi.deals, deals),
                    single_aov: Ratio::mean(single.total, single.deals),
                    multi_aov: Ratio::mean(multi.total, multi.deals),
                },
            ));
        }
        // Chronological, then by name (the map is by currency first).
        rows.sort_by(|(ka, a), (kb, b)| {
            ka.cmp(kb).then_with(|| a.group.cmp(&b.group)).then_with(|| a.currency.cmp(&b.currency))
        });
        Ok(ByGroup {
            rows: rows.into_iter().map(|(_, r)| r).collect(),
            show_currency: self.show_currency(),
            show_period: self.period != Period::All,
            all_single: self.all_single(),
        })
    }
}

/// The segment value that stands for the order at `index` in partials
/// grouped by segment: a deal read from order lines is grouped by its
/// order, so its cell holds that one deal and its breadth can be looked up.
/// Deals of a single row (no order id) have the empty segment: one product.
pub fn order_segment(index: u32) -> String {
    index.to_string()
}

/// Deals with their breadth from partials grouped by (`group`?, segment),
/// the segment made by `order_segment` (empty for a deal of one row), that
/// keep every amount.
pub fn from_partials(
    partials: &super::Partials,
    products: &OrderProducts,
    grouped: bool,
) -> Result<BreadthAcc, Overflow> {
    let mut acc = BreadthAcc::new(partials.period());
    for cell in partials.cells() {
        let (values, currency) = cell.split();
        let group = if grouped { values.first().copied().unwrap_or("") } else { "" };
        let segment = values.last().copied().unwrap_or("");
        let breadth = if segment.is_empty() {
            1
        } else {
            segment.parse::<u32>().ok().and_then(|i| products.breadth(i)).unwrap_or(1)
        };
        let amounts = cell.amounts.map(|a| a.to_decimals()).unwrap_or_default();
        acc.add(group, currency, cell.key, breadth, cell.part.total, &amounts)?;
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    fn r(n: i128, den: i128) -> Option<Ratio> {
        Ratio::new(n.into(), den.into())
    }

    #[test]
    fn repeated_products_in_one_order_count_once() {
        let mut p = OrderProducts::new();
        let a = p.order("o1");
        for product in ["chair", "table", "chair", "chair"] {
            p.add(a, product);
        }
        assert_eq!(p.order("o1"), a);
        let b = p.order("o2");
        p.add(b, "chair");
        assert_ne!(a, b);
        assert_eq!(p.breadth(a), Some(2));
        assert_eq!(p.breadth(b), Some(1));
        assert_eq!(p.breadth(7), None);
        assert_eq!(p.orders(), 2);
    }

    #[test]
    fn deals_from_partials_grouped_by_order() {
        let mut p = OrderProducts::new();
        let o = p.order("A-1");
        p.add(o, "chair");
        p.add(o, "table");
        p.add(o, "chair");
        let day = chrono::NaiveDate::from_ymd_opt(2013, 3, 4).unwrap();
        let mut partials = super::super::Partials::with_amounts(Period::All, 2);
        // The order (three lines) and two deals of one row each.
        partials.add_deal(&["Eva", &order_segment(o)], "", day, d("700"), 3).unwrap();
        partials.add(&["Eva", ""], "", day, d("100")).unwrap();
        partials.add(&["Eva", ""], "", day, d("300")).unwrap();
        let v = from_partials(&partials, &p, true).unwrap().by_group().unwrap();
        assert_eq!(v.rows.len(), 1);
        assert_eq!(v.rows[0].deals, 3);
        assert_eq!(v.rows[0].avg_products, r(4, 3));
        assert_eq!(v.rows[0].single_aov, r(200, 1));
        assert_eq!(v.rows[0].multi_aov, r(700, 1));
        let o = from_partials(&partials, &p, false).unwrap().overview().unwrap();
        assert_eq!(o.rows[1].deals, 1);
        assert_eq!(o.rows[0].median, r(200, 1));
    }

    #[test]
    fn buckets_of_breadth() {
        let got: Vec<&str> = [1, 2, 3, 4, 9].iter().map(|n| Breadth::of(*n).label()).collect();
        assert_eq!(got, ["1", "2", "3", "4+", "4+"]);
    }

    /// One period: deals of 100 and 200 with one product, 600 with two,
    /// 900 with five.
    fn sample(period: Period) -> BreadthAcc {
        let mut acc = BreadthAcc::new(period);
        let k = period.key(chrono::NaiveDate::from_ymd_opt(2013, 3, 4).unwrap());
        acc.add("Eva", "", k, 1, d("300"), &[d("100"), d("200")]).unwrap();
        acc.add("Eva", "", k, 2, d("600"), &[d("600")]).unwrap();
        acc.add("Olle", "", k, 5, d("900"), &[d("900")]).unwrap();
        acc
    }

    #[test]
    fn overview_per_breadth() {
        let v = sample(Period::All).overview().unwrap();
        assert!(!v.show_period && !v.show_currency && !v.all_single);
        let got: Vec<(&str, u64)> = v.rows.iter().map(|r| (r.breadth.label(), r.deals)).collect();
        assert_eq!(got, [("1", 2), ("2", 1), ("3", 0), ("4+", 1)]);
        // 2 of 4 deals; AOV (100 + 200) / 2; median of 100 and 200.
        assert_eq!(v.rows[0].share_pct, r(50, 1));
        assert_eq!(v.rows[0].aov, r(150, 1));
        assert_eq!(v.rows[0].median, r(150, 1));
        assert_eq!(v.rows[1].share_pct, r(25, 1));
        assert_eq!(v.rows[2].aov, None);
        assert_eq!(v.rows[2].median, None);
        assert_eq!(v.rows[2].share_pct, r(0, 1));
        assert_eq!(v.rows[3].aov, r(900, 1));
    }

    #[test]
    fn by_group_single_and_multi() {
        let v = sample(Period::Month).by_group().unwrap();
        assert!(v.show_period);
        assert_eq!(v.rows.len(), 2);
        let eva = &v.rows[0];
        assert_eq!((eva.group.as_str(), eva.period.as_deref(), eva.deals), ("Eva", Some("2013-03"), 3));
        // (1 + 1 + 2) / 3 products; 1 of 3 deals has several.
        assert_eq!(eva.avg_products, r(4, 3));
        assert_eq!(eva.multi_product_pct, r(100, 3));
        assert_eq!(eva.aov, r(300, 1));
        assert_eq!(eva.single_aov, r(150, 1));
        assert_eq!(eva.multi_aov, r(600, 1));
        let olle = &v.rows[1];
        assert_eq!(olle.avg_products, r(5, 1));
        assert_eq!(olle.multi_product_pct, r(100, 1));
        assert_eq!(olle.single_aov, None);
    }

    #[test]
    fn one_row_deals_are_all_single() {
        let mut acc = BreadthAcc::new(Period::All);
        acc.add("", "SEK", PeriodKey(0), 1, d("10"), &[d("4"), d("6")]).unwrap();
        acc.add("", "EUR", PeriodKey(0), 1, d("5"), &[d("5")]).unwrap();
        let v = acc.overview().unwrap();
        assert!(v.all_single && v.show_currency);
        assert_eq!(v.rows.len(), 8);
        assert_eq!(v.rows[0].currency, "EUR");
        assert_eq!(v.rows[4].median, r(5, 1));
        assert_eq!(v.rows[4].share_pct, r(100, 1));
    }
}
