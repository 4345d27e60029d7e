//! What an HTML page of a report shows beyond its rows: the chart's data
//! (the largest groups, the rest as "other") and each group's subtotal.
//! Computed here, with its overflow an error like any other, so that the
//! page's renderer only formats.

use super::chart::{ChartData, chart_data};
use super::partials::Overflow;
use super::report::Report;
use super::subtotals::{Subtotal, subtotals};

/// The groups a page's chart draws by name; the rest are summed as one.
pub const PAGE_CHART_TOP: usize = 5;

/// A report page's chart and subtotals.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// `None` for a report without periods or without deals.
    pub chart: Option<ChartData>,
    pub subtotals: Vec<Subtotal>,
}

/// The page of `report`.
pub fn page(report: &Report) -> Result<Page, Overflow> {
    let chart = if report.has_period_column() {
        Some(chart_data(report, PAGE_CHART_TOP)?).filter(|d| !d.labels.is_empty())
    } else {
        None
    };
    Ok(Page { chart, subtotals: subtotals(report)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Partials, Period, build};
    use crate::model::Dimension;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    fn add(p: &mut Partials, group: &[&str], month: u32, amount: i64) {
        p.add(group, "", NaiveDate::from_ymd_opt(2024, month, 1).unwrap(), Decimal::new(amount, 0)).unwrap();
    }

    #[test]
    fn a_page_by_seller_has_a_chart_and_a_subtotal_per_seller() {
        let mut p = Partials::new(Period::Month, 1);
        add(&mut p, &["Anna"], 1, 100);
        add(&mut p, &["Anna"], 2, 300);
        add(&mut p, &["Bo"], 1, 50);
        let page = page(&build(&p, &[Dimension::Seller]).unwrap()).unwrap();
        let chart = page.chart.expect("a chart over two months");
        assert_eq!(chart.labels, ["2024-01", "2024-02"]);
        // Anna: 2 deals, 400, AOV 200; Bo: 1 deal, 50.
        let sums: Vec<(u64, Decimal)> = page.subtotals.iter().map(|s| (s.deals, s.total)).collect();
        assert_eq!(sums, [(2, Decimal::new(400, 0)), (1, Decimal::new(50, 0))]);
        assert_eq!(page.subtotals[0].aov.as_ref().map(|r| r.round(2).to_string()), Some("200.00".to_string()));
    }

    #[test]
    fn a_page_over_the_whole_selection_has_no_chart() {
        let mut p = Partials::new(Period::All, 0);
        add(&mut p, &[], 1, 100);
        let page = page(&build(&p, &[]).unwrap()).unwrap();
        assert_eq!(page.chart, None);
        assert!(page.subtotals.is_empty());
    }
}
