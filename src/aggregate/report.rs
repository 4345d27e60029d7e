//! The AOV report as data: one view row per group and period with its
//! deals, exact total, AOV and change from the preceding period.
//!
//! This is where the rules of the report live (which periods are listed,
//! what the change is measured against, in which order rows come) so that
//! every renderer prints the same numbers and only decides how they look.
//! Nothing here rounds: AOVs and changes are exact ratios until printed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

use super::amounts::Amounts;
use super::exact::Ratio;
use super::partials::{GroupCell, Overflow, Partial, Partials, exact_add};
use super::period::{Period, PeriodKey};
use super::stats::{Stats, stats_of};
use crate::model::Dimension;

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    /// The `--by` values, in the order of `Report::by` (shared by the
    /// group's rows).
    pub group: std::sync::Arc<[String]>,
    /// The currency code, empty when the input has none.
    pub currency: String,
    /// The period label; `None` for `--period all`.
    pub period: Option<String>,
    pub deals: u64,
    pub total: Decimal,
    /// total / deals; `None` when there are no deals.
    pub aov: Option<Ratio>,
    /// This AOV minus the preceding period's AOV of the same group.
    pub change: Option<Ratio>,
    /// change / |previous AOV| x 100.
    pub change_pct: Option<Ratio>,
    /// This AOV minus the AOV of the same period one year earlier, and
    /// that change / |last year's AOV| x 100 (with `--yoy`).
    pub yoy_change: Option<Ratio>,
    pub yoy_change_pct: Option<Ratio>,
    /// The distribution of the amounts (with `--stats`).
    pub stats: Option<Box<Stats>>,
    /// aov - target (with `--target`).
    pub target_gap: Option<Ratio>,
}

/// The whole selection, per currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotalRow {
    pub currency: String,
    pub deals: u64,
    pub total: Decimal,
    pub aov: Option<Ratio>,
    pub stats: Option<Stats>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub period: Period,
    pub by: Vec<Dimension>,
    /// The group columns' names, as the output names them: the dimension's
    /// name, or for a column of the user's choice its header (`product`).
    pub by_names: Vec<String>,
    /// True when the deals carry more than one currency: each then gets its
    /// own rows and a `currency` column.
    pub show_currency: bool,
    pub rows: Vec<ReportRow>,
    pub totals: Vec<TotalRow>,
    /// Rows carry distribution statistics.
    pub with_stats: bool,
    /// The AOV target, when one was given.
    pub target: Option<Decimal>,
    /// Rows carry the change against the same period a year earlier.
    pub yoy: bool,
}

impl Report {
    /// The report with its group columns named `names` (one per `by`).
    pub fn named(mut self, names: &[String]) -> Report {
        debug_assert_eq!(names.len(), self.by.len());
        self.by_names = names.to_vec();
        self
    }

    pub fn has_period_column(&self) -> bool {
        self.period != Period::All
    }
}

/// Turn partials into the report. `by` names the dimensions the partials
/// were grouped by, in order.
pub fn build(partials: &Partials, by: &[Dimension]) -> Result<Report, Overflow> {
    build_with(partials, by, None)
}

/// `build`, with a target AOV to measure each row against. Rows carry
/// statistics when the partials kept the amounts.
pub fn build_with(partials: &Partials, by: &[Dimension], target: Option<Decimal>) -> Result<Report, Overflow> {
    build_yoy(partials, by, target, false)
}

/// `build_with`, and with `yoy` each row's change against the same period
/// one year earlier (`Period::year_before`).
pub fn build_yoy(
    partials: &Partials,
    by: &[Dimension],
    target: Option<Decimal>,
    yoy: bool,
) -> Result<Report, Overflow> {
    let (mut report, rows) = build_lazy_yoy(partials, by, target, yoy)?;
    report.rows = rows.collect();
    Ok(report)
}

/// `build_with`, with the rows made one at a time as they are asked for:
/// the report comes back without rows, followed by them in order. A
/// renderer that writes each row as it comes keeps memory at the size of
/// the partials, however many groups there are (a report per customer over
/// a million customers). Everything that can fail is done before the first
/// row.
pub fn build_lazy<'a>(
    partials: &'a Partials,
    by: &[Dimension],
    target: Option<Decimal>,
) -> Result<(Report, LazyRows<'a>), Overflow> {
    build_lazy_yoy(partials, by, target, false)
}

/// `build_lazy`, with the year-over-year change when `yoy` is set.
pub fn build_lazy_yoy<'a>(
    partials: &'a Partials,
    by: &[Dimension],
    target: Option<Decimal>,
    yoy: bool,
) -> Result<(Report, LazyRows<'a>), Overflow> {
    assert_eq!(partials.width(), by.len());
    let period = partials.period();
    let with_stats = partials.keeps_amounts();
    let target_r = target.map(Ratio::from_decimal);

    // Each group's cells, chronological; amounts alongside when kept.
    let (group_list, mut flat) = partials.by_group();
    /// (group key, currency) and the range of its cells. The key's values
    /// are split out only when needed: a vector per group was megabytes
    /// for a report over many customers.
    type Group<'a> = ((&'a str, &'a str), std::ops::Range<usize>);
    let mut groups: Vec<Group<'_>> =
        group_list.into_iter().map(|(_, key, range)| ((key, super::partials::key_currency(key)), range)).collect();
    let currencies: BTreeSet<&str> = groups.iter().map(|((_, c), _)| *c).collect();
    // All amounts per currency for the totals' statistics: one copy, in
    // millionths, reordered in place by the selection.
    let mut all_amounts: HashMap<&str, Amounts> = HashMap::new();
    if with_stats {
        for ((_, currency), range) in &groups {
            for cell in &flat[range.clone()] {
                if let Some(a) = cell.amounts {
                    all_amounts.entry(currency).or_default().extend_values(a);
                }
            }
        }
    }

    // Without --by the time axis has no holes: every period from the first
    // to the last with deals, each currency from its own first to its own
    // last period (a currency used for two months of three years has no
    // rows of zeros around them).
    if by.is_empty() && period != Period::All && !groups.is_empty() {
        let mut filled = Vec::new();
        for (_, range) in groups.iter_mut() {
            let (first, last) = (flat[range.start].key, flat[range.end - 1].key);
            let have: BTreeMap<PeriodKey, GroupCell<'_>> = flat[range.clone()].iter().map(|c| (c.key, *c)).collect();
            let start = filled.len();
            let mut k = first;
            while k <= last {
                filled.push(have.get(&k).copied().unwrap_or(GroupCell::empty(k)));
                k = k.next();
            }
            *range = start..filled.len();
        }
        flat = filled;
    }

    // Currencies by rank (their order), looked up only when there are several.
    let rank: HashMap<&str, usize> = currencies.iter().enumerate().map(|(r, c)| (*c, r)).collect();
    let rank_of = |c: &str| if currencies.len() == 1 { 0 } else { rank[c] };
    let mut order: Vec<(usize, Partial)> = Vec::with_capacity(groups.len());
    let mut totals = vec![Partial::default(); currencies.len()];
    for (i, ((key, currency), range)) in groups.iter().enumerate() {
        let sum = match &flat[range.clone()] {
            [cell] => cell.part,
            cells => {
                let mut sum = Partial::default();
                for cell in cells {
                    sum.merge(&cell.part).ok_or_else(|| overflow(&super::partials::split_key(key).0, "all periods"))?;
                }
                sum
            }
        };
        totals[rank_of(currency)].merge(&sum).ok_or_else(|| overflow(&[], "all periods"))?;
        order.push((i, sum));
    }

    // Currencies apart; within one, the biggest group first; ties by name.
    // Unstable sorts are enough: no two groups tie (their names differ),
    // and they need no buffer. When every total has at most six decimals
    // (always for amounts read from files), each group gets an integer key
    // (currency rank, total in millionths) so that comparing is cheap:
    // comparing decimals of different scales, and currency strings, was
    // most of the time of sorting many groups.
    let names =
        |a: usize, b: usize| super::partials::key_values(groups[a].0.0).cmp(super::partials::key_values(groups[b].0.0));
    let order: Vec<usize> = if order.iter().all(|(_, p)| p.total.scale() <= 6) {
        let mut keyed: Vec<(u32, i128, u32)> = order
            .into_iter()
            .map(|(i, p)| {
                let millionths = p.total.mantissa() * 10i128.pow(6 - p.total.scale());
                (rank_of(groups[i].0.1) as u32, -millionths, i as u32)
            })
            .collect();
        keyed.sort_unstable_by(|(ca, ta, a), (cb, tb, b)| {
            ca.cmp(cb).then(ta.cmp(tb)).then_with(|| names(*a as usize, *b as usize))
        });
        keyed.into_iter().map(|(_, _, i)| i as usize).collect()
    } else {
        order.sort_unstable_by(|(a, sa), (b, sb)| {
            let currency = groups[*a].0.1.cmp(groups[*b].0.1);
            currency.then(sb.total.cmp(&sa.total)).then_with(|| names(*a, *b))
        });
        order.into_iter().map(|(i, _)| i).collect()
    };

    let totals = currencies
        .iter()
        .enumerate()
        .map(|(r, c)| {
            let t = totals[r];
            let st = all_amounts.get_mut(c).and_then(|a| stats_of(a, t.total));
            TotalRow {
                currency: c.to_string(),
                deals: t.deals,
                total: t.total,
                aov: Ratio::mean(t.total, t.deals),
                stats: st,
            }
        })
        .collect();

    let show_currency = currencies.len() > 1;
    let yoy = yoy && period != Period::All;
    let by_names = by.iter().map(|d| d.name().to_string()).collect();
    let report =
        Report { period, by: by.to_vec(), by_names, show_currency, rows: Vec::new(), totals, with_stats, target, yoy };
    let flat_len = flat.len();
    let rows = LazyRows {
        period,
        target: target_r,
        width: by.len(),
        flat,
        // In report order, so that rows are made reading it front to back.
        groups: order
            .into_iter()
            .map(|i| {
                let ((group, currency), range) = &groups[i];
                (*group, *currency, range.clone())
            })
            .collect(),
        next_group: 0,
        left: flat_len,
        yoy,
        range: 0..0,
        cells: 0..0,
        group: std::sync::Arc::new([]),
        currency: String::new(),
        prev: None,
    };
    Ok((report, rows))
}

/// The rows of a report, made in order as they are asked for (see
/// [`build_lazy`]).
pub struct LazyRows<'a> {
    period: Period,
    target: Option<Ratio>,
    /// How many values a group has (`--by` dimensions).
    width: usize,
    /// Every group's cells, chronological within the group.
    flat: Vec<GroupCell<'a>>,
    /// (group key, currency, its cells in `flat`), in report order.
    groups: Vec<(&'a str, &'a str, std::ops::Range<usize>)>,
    /// The group whose rows come after the current group's.
    next_group: usize,
    /// Rows still to come (every cell is one row).
    left: usize,
    /// Compare each row with the same period a year earlier.
    yoy: bool,
    /// All of the current group's cells (for the year before).
    range: std::ops::Range<usize>,
    /// The current group's cells not yet made into rows, and what they share.
    cells: std::ops::Range<usize>,
    group: std::sync::Arc<[String]>,
    currency: String,
    /// The preceding row's period and AOV, for the change.
    prev: Option<(PeriodKey, Option<Ratio>)>,
}

impl Iterator for LazyRows<'_> {
    type Item = ReportRow;

    fn next(&mut self) -> Option<ReportRow> {
        let c = loop {
            if let Some(c) = self.cells.next() {
                break c;
            }
            let (key, currency, range) = self.groups.get(self.next_group)?.clone();
            self.next_group += 1;
            // Rows written and dropped before the next group leave the
            // shared values with no other owner: overwritten in place, a
            // report over many groups allocates nothing per group.
            let values = super::partials::key_values(key);
            match std::sync::Arc::get_mut(&mut self.group) {
                Some(group) if group.len() == self.width => {
                    for (slot, v) in group.iter_mut().zip(values) {
                        slot.clear();
                        slot.push_str(v);
                    }
                }
                _ => self.group = values.take(self.width).map(str::to_string).collect(),
            }
            self.currency.clear();
            self.currency.push_str(currency);
            self.cells = range.clone();
            self.range = range;
            self.prev = None;
        };
        self.left -= 1;
        let GroupCell { key, part, amounts, .. } = &self.flat[c];
        let aov = Ratio::mean(part.total, part.deals);
        let prev_aov = match &self.prev {
            Some((k, a)) if *k == key.prev() => a.clone(),
            _ => None,
        };
        let (change, change_pct) = match (&aov, &prev_aov) {
            (Some(cur), Some(old)) => change_of(cur, old),
            _ => (None, None),
        };
        let (yoy_change, yoy_change_pct) = match (&aov, self.year_before(*key)) {
            (Some(cur), Some(old)) => change_of(cur, &old),
            _ => (None, None),
        };
        let target_gap = match (&aov, &self.target) {
            (Some(a), Some(t)) => Some(a.sub(t)),
            _ => None,
        };
        self.prev = Some((*key, aov.clone()));
        Some(ReportRow {
            stats: amounts.and_then(|a| stats_of(&mut a.clone(), part.total)).map(Box::new),
            target_gap,
            group: self.group.clone(),
            currency: self.currency.clone(),
            period: (self.period != Period::All).then(|| self.period.label(*key)),
            deals: part.deals,
            total: part.total,
            aov,
            change,
            change_pct,
            yoy_change,
            yoy_change_pct,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for LazyRows<'_> {}

impl LazyRows<'_> {
    /// Start again from the first row (a table measures its columns on
    /// one pass over the rows and writes them on a second).
    pub fn rewind(&mut self) {
        self.next_group = 0;
        self.left = self.flat.len();
        self.range = 0..0;
        self.cells = 0..0;
        self.prev = None;
    }

    /// The AOV of the current group in the same period one year before
    /// `key`, when `--yoy` asks for it and that period has deals.
    fn year_before(&self, key: PeriodKey) -> Option<Ratio> {
        if !self.yoy {
            return None;
        }
        let earlier = self.period.year_before(key)?;
        let cells = &self.flat[self.range.clone()];
        let i = cells.binary_search_by_key(&earlier, |c| c.key).ok()?;
        Ratio::mean(cells[i].part.total, cells[i].part.deals)
    }
}

/// The change from `old` to `cur`, and as a percentage of |old| (none when
/// `old` is zero).
fn change_of(cur: &Ratio, old: &Ratio) -> (Option<Ratio>, Option<Ratio>) {
    let change = cur.sub(old);
    let pct = change.div(&old.abs()).map(|r| r.mul(&Ratio::from_int(100)));
    (Some(change), pct)
}

fn overflow(group: &[&str], period: &str) -> Overflow {
    Overflow {
        group: if group.is_empty() { "all deals".into() } else { format!("\"{}\"", group.join(" / ")) },
        period: period.to_string(),
    }
}

/// The exact sum of a report's row totals per currency: used by tests to
/// check that groups add up to the grand total.
pub fn sum_rows(report: &Report) -> BTreeMap<String, (u64, Decimal)> {
    let mut sums: BTreeMap<String, (u64, Decimal)> = BTreeMap::new();
    for row in &report.rows {
        let e = sums.entry(row.currency.clone()).or_default();
        e.0 += row.deals;
        e.1 = exact_add(e.1, row.total).expect("sum fits");
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::str::FromStr;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn money(r: &Option<Ratio>) -> String {
        r.as_ref().map(|r| r.round(2).to_string()).unwrap_or_default()
    }
    fn pct(r: &Option<Ratio>) -> String {
        r.as_ref().map(|r| r.round(1).to_string()).unwrap_or_default()
    }
    /// (group, currency, period, deals, total, aov, change, pct) as strings.
    fn lines(r: &Report) -> Vec<String> {
        r.rows
            .iter()
            .map(|x| {
                format!(
                    "{}|{}|{}|{}|{}|{}|{}|{}",
                    x.group.join("/"),
                    x.currency,
                    x.period.clone().unwrap_or_default(),
                    x.deals,
                    super::super::exact::round_decimal(x.total, 2),
                    money(&x.aov),
                    money(&x.change),
                    pct(&x.change_pct)
                )
            })
            .collect()
    }

    #[test]
    fn months_with_change_and_holes_filled() {
        let mut p = Partials::new(Period::Month, 0);
        for (day, amt) in [
            ("2013-01-03", "100"),
            ("2013-01-20", "200"),
            ("2013-03-01", "90"),
            ("2013-04-10", "120"),
            ("2013-04-11", "0.01"),
        ] {
            p.add(&[], "", d(day), dec(amt)).unwrap();
        }
        let r = build(&p, &[]).unwrap();
        // Jan: 300/2 = 150. Feb: empty, no aov. Mar: 90, no change (Feb empty).
        // Apr: 120.01/2 = 60.005 -> 60.01; change 60.005-90 = -29.995 -> -30.00;
        // pct -29.995/90*100 = -33.3277.. -> -33.3
        assert_eq!(
            lines(&r),
            vec![
                "||2013-01|2|300.00|150.00||",
                "||2013-02|0|0.00|||",
                "||2013-03|1|90.00|90.00||",
                "||2013-04|2|120.01|60.01|-30.00|-33.3",
            ]
        );
        assert_eq!(r.totals.len(), 1);
        assert_eq!(r.totals[0].deals, 5);
        assert_eq!(money(&r.totals[0].aov), "102.00"); // 510.01 / 5 = 102.002
        assert!(!r.show_currency);
    }

    #[test]
    fn change_uses_unrounded_aovs() {
        let mut p = Partials::new(Period::Month, 0);
        // Jan: 10.004 + 10.004 ... use two deals 10.00 and 10.01 -> 10.005 (prints 10.01)
        // Feb: 10.014/1 -> 10.01 printed; change 10.014 - 10.005 = 0.009 -> 0.01
        // (a change from rounded AOVs would print 0.00).
        p.add(&[], "", d("2013-01-01"), dec("10.00")).unwrap();
        p.add(&[], "", d("2013-01-02"), dec("10.01")).unwrap();
        p.add(&[], "", d("2013-02-01"), dec("10.014")).unwrap();
        let r = build(&p, &[]).unwrap();
        assert_eq!(lines(&r), vec!["||2013-01|2|20.01|10.01||", "||2013-02|1|10.01|10.01|0.01|0.1"]);
    }

    #[test]
    fn negative_previous_aov_and_zero_previous_aov() {
        let mut p = Partials::new(Period::Year, 0);
        p.add(&[], "", d("2012-05-01"), dec("-50")).unwrap(); // credit-note year
        p.add(&[], "", d("2013-05-01"), dec("25")).unwrap();
        p.add(&[], "", d("2014-05-01"), dec("10")).unwrap();
        p.add(&[], "", d("2014-05-02"), dec("-10")).unwrap(); // aov 0
        p.add(&[], "", d("2015-05-02"), dec("7")).unwrap();
        let r = build(&p, &[]).unwrap();
        // 2013: 25 - (-50) = 75; 75/|-50| = +150 %. 2014: 0 - 25 = -25, -100 %.
        // 2015: previous AOV is zero: change 7, no percentage.
        assert_eq!(
            lines(&r),
            vec![
                "||2012|1|-50.00|-50.00||",
                "||2013|1|25.00|25.00|75.00|150.0",
                "||2014|2|0.00|0.00|-25.00|-100.0",
                "||2015|1|7.00|7.00|7.00|",
            ]
        );
    }

    #[test]
    fn groups_list_only_their_periods_biggest_first() {
        let mut p = Partials::new(Period::Month, 1);
        p.add(&["Small"], "", d("2013-01-05"), dec("10")).unwrap();
        p.add(&["Small"], "", d("2013-03-05"), dec("30")).unwrap();
        p.add(&["Big"], "", d("2013-02-05"), dec("100")).unwrap();
        p.add(&["Big"], "", d("2013-03-05"), dec("50")).unwrap();
        let r = build(&p, &[Dimension::Customer]).unwrap();
        // Small has no February: March has no change (the preceding month is empty).
        assert_eq!(
            lines(&r),
            vec![
                "Big||2013-02|1|100.00|100.00||",
                "Big||2013-03|1|50.00|50.00|-50.00|-50.0",
                "Small||2013-01|1|10.00|10.00||",
                "Small||2013-03|1|30.00|30.00||",
            ]
        );
    }

    #[test]
    fn equal_totals_order_by_name() {
        let mut p = Partials::new(Period::All, 1);
        p.add(&["B"], "", d("2013-01-05"), dec("10")).unwrap();
        p.add(&["A"], "", d("2013-01-05"), dec("10")).unwrap();
        let r = build(&p, &[Dimension::Seller]).unwrap();
        assert_eq!(lines(&r), vec!["A|||1|10.00|10.00||", "B|||1|10.00|10.00||"]);
    }

    #[test]
    fn currencies_are_never_added_together() {
        let mut p = Partials::new(Period::Month, 0);
        p.add(&[], "SEK", d("2013-01-05"), dec("1000")).unwrap();
        p.add(&[], "EUR", d("2013-02-05"), dec("100")).unwrap();
        p.add(&[], "SEK", d("2013-02-06"), dec("500")).unwrap();
        let r = build(&p, &[]).unwrap();
        assert!(r.show_currency);
        assert_eq!(
            lines(&r),
            // EUR starts in its own first month, not in SEK's.
            vec![
                "|EUR|2013-02|1|100.00|100.00||",
                "|SEK|2013-01|1|1000.00|1000.00||",
                "|SEK|2013-02|1|500.00|500.00|-500.00|-50.0",
            ]
        );
        let totals: Vec<_> = r.totals.iter().map(|t| (t.currency.as_str(), t.deals, t.total)).collect();
        assert_eq!(totals, vec![("EUR", 1, dec("100")), ("SEK", 2, dec("1500"))]);
    }

    #[test]
    fn all_has_no_period_and_no_change() {
        let mut p = Partials::new(Period::All, 2);
        p.add(&["A", "S1"], "", d("2012-01-05"), dec("1")).unwrap();
        p.add(&["A", "S1"], "", d("2013-01-05"), dec("2")).unwrap();
        let r = build(&p, &[Dimension::Customer, Dimension::Seller]).unwrap();
        assert!(!r.has_period_column());
        assert_eq!(lines(&r), vec!["A/S1|||2|3.00|1.50||"]);
    }

    #[test]
    fn empty_input_gives_an_empty_report() {
        let p = Partials::new(Period::Month, 0);
        let r = build(&p, &[]).unwrap();
        assert!(r.rows.is_empty());
        assert!(r.totals.is_empty());
    }

    /// (period, aov, yoy change, yoy pct) of each row.
    fn yoy_lines(r: &Report) -> Vec<String> {
        r.rows
            .iter()
            .map(|x| {
                format!(
                    "{}|{}|{}|{}",
                    x.period.clone().unwrap_or_default(),
                    money(&x.aov),
                    money(&x.yoy_change),
                    pct(&x.yoy_change_pct)
                )
            })
            .collect()
    }

    #[test]
    fn year_over_year_months_with_missing_periods() {
        let mut p = Partials::new(Period::Month, 1);
        for (g, day, amt) in [
            ("A", "2012-03-10", "200"),
            ("A", "2012-03-11", "100"), // 2012-03: 150
            ("A", "2013-02-01", "80"),  // 2012-02 has no deals: no yoy
            ("A", "2013-03-05", "100.01"),
            ("A", "2013-03-06", "100"), // 2013-03: 100.005
            ("B", "2012-04-01", "50"),
            ("B", "2013-04-01", "75"), // +25, +50 %
        ] {
            p.add(&[g], "", d(day), dec(amt)).unwrap();
        }
        let r = build_yoy(&p, &[Dimension::Customer], None, true).unwrap();
        assert!(r.yoy);
        // A 2013-03: 100.005 - 150 = -49.995 -> -50.00 (half away from zero);
        // -49.995 / 150 x 100 = -33.33 -> -33.3.
        assert_eq!(
            yoy_lines(&r),
            vec![
                "2012-03|150.00||",
                "2013-02|80.00||",
                "2013-03|100.01|-50.00|-33.3",
                "2012-04|50.00||",
                "2013-04|75.00|25.00|50.0",
            ]
        );
        // Without --yoy nothing is compared.
        let plain = build_with(&p, &[Dimension::Customer], None).unwrap();
        assert!(!plain.yoy && plain.rows.iter().all(|r| r.yoy_change.is_none()));
    }

    #[test]
    fn year_over_year_weeks_and_days() {
        let mut w = Partials::new(Period::Week, 0);
        for (day, amt) in [
            ("2014-12-29", "10"), // 2015-W01
            ("2015-12-28", "30"), // 2015-W53: 2014 has no week 53
            ("2016-01-04", "12"), // 2016-W01 against 2015-W01: +2, +20 %
        ] {
            w.add(&[], "", d(day), dec(amt)).unwrap();
        }
        let r = build_yoy(&w, &[], None, true).unwrap();
        let lines = yoy_lines(&r);
        assert_eq!(lines.first().map(String::as_str), Some("2015-W01|10.00||"));
        assert!(lines.contains(&"2015-W53|30.00||".to_string()), "{lines:?}");
        assert_eq!(lines.last().map(String::as_str), Some("2016-W01|12.00|2.00|20.0"));

        let mut p = Partials::new(Period::Day, 0);
        for (day, amt) in [("2011-02-28", "3"), ("2012-02-28", "4"), ("2012-02-29", "9"), ("2013-03-01", "1")] {
            p.add(&[], "", d(day), dec(amt)).unwrap();
        }
        let r = build_yoy(&p, &[], None, true).unwrap();
        let rows: Vec<String> = yoy_lines(&r).into_iter().filter(|l| !l.contains("|||")).collect();
        // 2012-02-28 against 2011-02-28: +1, +33.3 %; 29 February against
        // nothing; 2013-03-01 against 2012-03-01, which has no deals.
        assert_eq!(
            rows,
            vec!["2011-02-28|3.00||", "2012-02-28|4.00|1.00|33.3", "2012-02-29|9.00||", "2013-03-01|1.00||"]
        );
    }

    #[test]
    fn year_over_year_has_no_meaning_for_all() {
        let mut p = Partials::new(Period::All, 0);
        p.add(&[], "", d("2012-01-01"), dec("1")).unwrap();
        let r = build_yoy(&p, &[], None, true).unwrap();
        assert!(!r.yoy);
    }
}
