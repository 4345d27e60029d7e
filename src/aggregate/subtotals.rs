//! Per-group subtotals of a grouped report over time: each group's deals,
//! exact total and AOV over all its periods, for the pages a person reads
//! (an HTML report by seller is hundreds of rows; a subtotal closes each
//! seller's block). Computed here so that the renderer only formats.

use rust_decimal::Decimal;

use super::exact::Ratio;
use super::partials::{Overflow, exact_add};
use super::report::Report;

/// One group's sums, closing its block of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Subtotal {
    /// The index of the group's last row in `Report::rows`.
    pub last_row: usize,
    pub deals: u64,
    pub total: Decimal,
    /// total / deals; `None` without deals.
    pub aov: Option<Ratio>,
    /// aov - target (with a target).
    pub target_gap: Option<Ratio>,
}

/// A subtotal per block of rows of one group and currency, in row order;
/// none for a report without groups or without periods (a group is then
/// one row already). Linear in the rows.
pub fn subtotals(report: &Report) -> Result<Vec<Subtotal>, Overflow> {
    if report.by.is_empty() || !report.has_period_column() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Subtotal> = Vec::new();
    let mut start = 0;
    while start < report.rows.len() {
        let first = &report.rows[start];
        let same = |r: &&super::ReportRow| r.group == first.group && r.currency == first.currency;
        let block: Vec<_> = report.rows[start..].iter().take_while(same).collect();
        let mut deals = 0u64;
        let mut total = Decimal::ZERO;
        for r in &block {
            deals += r.deals;
            total = exact_add(total, r.total)
                .ok_or_else(|| Overflow { group: first.group.join(" / "), period: "all".into() })?;
        }
        start += block.len();
        let aov = Ratio::mean(total, deals);
        let target_gap = match (&aov, report.target) {
            (Some(a), Some(t)) => Some(a.sub(&Ratio::from_decimal(t))),
            _ => None,
        };
        out.push(Subtotal { last_row: start - 1, deals, total, aov, target_gap });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Partials, Period, build};
    use crate::model::Dimension;
    use chrono::NaiveDate;
    use std::str::FromStr;

    #[test]
    fn each_group_block_gets_its_deals_total_and_aov() {
        let mut p = Partials::new(Period::Month, 1);
        for (s, day, a) in [
            ("Anna", "2013-01-05", "100.10"),
            ("Anna", "2013-01-06", "0.20"),
            ("Anna", "2013-03-01", "50"),
            ("Bo", "2013-02-20", "40"),
        ] {
            p.add(&[s], "", NaiveDate::from_str(day).unwrap(), Decimal::from_str(a).unwrap()).unwrap();
        }
        let mut report = build(&p, &[Dimension::Seller]).unwrap();
        report.target = Some(Decimal::from(60));
        let got = subtotals(&report).unwrap();
        // Against a target of 60: 50.10 - 60 = -9.90, 40 - 60 = -20.
        let gaps: Vec<String> = got.iter().map(|s| s.target_gap.as_ref().unwrap().round(2).to_string()).collect();
        assert_eq!(gaps, ["-9.90", "-20.00"]);
        let shown: Vec<(String, u64, String, String)> = got
            .iter()
            .map(|s| {
                let name = report.rows[s.last_row].group.join("/");
                (name, s.deals, s.total.to_string(), s.aov.as_ref().unwrap().round(2).to_string())
            })
            .collect();
        // Anna: 150.30 over 3 deals = 50.10; Bo: 40 over 1.
        let want = [("Anna", 3, "150.30", "50.10"), ("Bo", 1, "40", "40.00")];
        assert_eq!(shown, want.map(|(n, d, t, a)| (n.to_string(), d, t.to_string(), a.to_string())));
        // Without groups, nothing.
        let mut all = Partials::new(Period::Month, 0);
        all.add(&[], "", NaiveDate::from_str("2013-05-01").unwrap(), Decimal::from(7)).unwrap();
        assert!(subtotals(&build(&all, &[]).unwrap()).unwrap().is_empty());
    }
}
