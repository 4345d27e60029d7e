//! The data of a chart: a report folded into one line per large group (the
//! rest summed as "other") and the deals per period, for one currency.
//!
//! Built here, not in the renderer, so that drawing only draws. One pass
//! over the report's rows: a row's group is looked up only when it differs
//! from the row before (a report lists each group's rows together), and the
//! sums per (series, period) sit in one dense array.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::{Overflow, exact_add};
use super::period::PeriodKey;
use super::report::{Report, ReportRow};

/// A series ready to draw: a name and the AOV per period (None: no deals).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub aov: Vec<Option<Ratio>>,
}

/// The chart's data: period labels, series, and deals per period.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    pub deals: Vec<u64>,
    pub currency: String,
}

fn name_of(group: &[String]) -> String {
    if group.is_empty() { "AOV".to_string() } else { group.join(" / ") }
}

/// Fold a report into chart data for one currency (the one with the most
/// deals): the `top` largest groups by total, the rest summed as "other".
/// Linear in the rows and groups.
pub fn chart_data(report: &Report, top: usize) -> Result<ChartData, Overflow> {
    let mut deals_per_currency: BTreeMap<&str, u64> = BTreeMap::new();
    for t in &report.totals {
        deals_per_currency.insert(&t.currency, t.deals);
    }
    let currency = deals_per_currency.iter().max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c))).map_or("", |(c, _)| c);
    let key = |r: &ReportRow| r.period.as_deref().and_then(|p| report.period.parse_label(p)).unwrap_or(PeriodKey(0));
    // Each row's period key and group number (groups in report order, the
    // biggest total first).
    let mut groups: HashMap<&[String], usize> = HashMap::new();
    let mut names: Vec<&[String]> = Vec::new();
    let mut rows: Vec<(&ReportRow, PeriodKey, usize)> = Vec::new();
    let mut last: Option<(&[String], usize)> = None;
    for r in report.rows.iter().filter(|r| r.currency == currency) {
        let g = match last {
            Some((group, g)) if group == &r.group[..] => g,
            _ => *groups.entry(&r.group[..]).or_insert_with(|| {
                names.push(&r.group[..]);
                names.len() - 1
            }),
        };
        last = Some((&r.group[..], g));
        rows.push((r, key(r), g));
    }
    let (Some(first), Some(last)) = (rows.iter().map(|r| r.1).min(), rows.iter().map(|r| r.1).max()) else {
        return Ok(ChartData {
            labels: Vec::new(),
            series: Vec::new(),
            deals: Vec::new(),
            currency: currency.to_string(),
        });
    };
    let n = (last.0 - first.0 + 1) as usize;
    let labels: Vec<String> = (0..n).map(|i| report.period.label(PeriodKey(first.0 + i as i64))).collect();
    let shown = names.len().min(top.max(1));
    let count = if names.len() > shown { shown + 1 } else { shown };
    // (series, period) -> deals, total
    let mut sums = vec![(0u64, Decimal::ZERO); count * n];
    let mut deals = vec![0u64; n];
    for (r, k, g) in &rows {
        let s = (*g).min(shown);
        let i = (k.0 - first.0) as usize;
        let e = &mut sums[s * n + i];
        e.0 += r.deals;
        e.1 = exact_add(e.1, r.total).ok_or_else(|| Overflow {
            group: if s < shown { name_of(names[s]) } else { "other".into() },
            period: labels[i].clone(),
        })?;
        deals[i] += r.deals;
    }
    let series = (0..count)
        .map(|s| Series {
            name: if s < shown { name_of(names[s]) } else { "other".into() },
            aov: (0..n).map(|i| Ratio::mean(sums[s * n + i].1, sums[s * n + i].0)).collect(),
        })
        .collect();
    Ok(ChartData { labels, series, deals, currency: currency.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Partials, Period, build};
    use crate::model::Dimension;
    use chrono::NaiveDate;
    use std::str::FromStr;

    fn aov(r: &Option<Ratio>) -> String {
        r.as_ref().map_or("-".into(), |r| r.round(2).to_string())
    }

    #[test]
    fn the_largest_groups_get_lines_and_the_rest_is_other() {
        let mut p = Partials::new(Period::Month, 1);
        for (c, day, a) in [
            ("Big", "2013-01-05", "100"),
            ("Big", "2013-03-01", "50"),
            ("Mid", "2013-01-20", "40"),
            ("Small", "2013-01-02", "4"),
            ("Tiny", "2013-03-09", "1"),
            ("Tiny", "2013-03-10", "2"),
        ] {
            let day = NaiveDate::from_str(day).unwrap();
            p.add(&[c], "", day, Decimal::from_str(a).unwrap()).unwrap();
        }
        let report = build(&p, &[Dimension::Customer]).unwrap();
        let data = chart_data(&report, 2).unwrap();
        assert_eq!(data.labels, ["2013-01", "2013-02", "2013-03"]);
        // Other = Small + Tiny: January 4 / 1, March (1 + 2) / 2 = 1.50.
        let got: Vec<(String, Vec<String>)> =
            data.series.iter().map(|s| (s.name.clone(), s.aov.iter().map(aov).collect())).collect();
        let want = [("Big", ["100.00", "-", "50.00"]), ("Mid", ["40.00", "-", "-"]), ("other", ["4.00", "-", "1.50"])];
        assert_eq!(got, want.map(|(n, a)| (n.to_string(), a.map(String::from).to_vec())));
        assert_eq!(data.deals, [3, 0, 3]);
        // Without --by: one line named AOV.
        let mut all = Partials::new(Period::Month, 0);
        all.add(&[], "", NaiveDate::from_str("2013-05-01").unwrap(), Decimal::from(7)).unwrap();
        let data = chart_data(&build(&all, &[]).unwrap(), 5).unwrap();
        assert_eq!((data.series.len(), data.series[0].name.as_str()), (1, "AOV"));
    }
}
