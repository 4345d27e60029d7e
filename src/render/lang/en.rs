//! English: field names as headers (they are also the csv and json
//! columns), `1,234,567.89`.

use super::{ChartWords, Counted, ExplainWords, Move, Strings, SummaryWords, Title, ViewWords};
use crate::render::explain::{DealLine, OneDeal, OutlierWords, share};

pub const STRINGS: Strings = Strings {
    code: "en",
    blank_group: |_| None,
    group: ",",
    decimal: ".",
    minus: "-",
    pct_space: " ",
    headers: &[],
    currencies: &[],
    total: "Total",
    or: "or",
    no_deals: "No deals in the selection.",
    trend: "AOV trend",
    trend_scale: "bars from 0",
    thin: |s, n| format!("° fewer than {} deals: too few for the AOV to say much.", s.count(n)),
    rows: |s, [read, used, filtered, rejected]| {
        format!(
            "Rows: {} read, {} used, {} filtered out, {} rejected.",
            s.count(read),
            s.count(used),
            s.count(filtered),
            s.count(rejected)
        )
    },
    definition: |s, counted, credits| {
        let statuses = match counted {
            Counted::Won => "closed sales (won statuses)".to_string(),
            Counted::All => "every status".to_string(),
            Counted::Chosen(v) => format!("status {}", v.join(&format!(" {} ", s.or))),
        };
        let credits = if credits { "credit notes (negative amounts) counted" } else { "credit notes left out" };
        format!(
            "AOV = total of the counted deals / their number; counted: {statuses}, {credits}; rounded half away from zero."
        )
    },
    hyphens: &[],
    labels: &[
        ("period", "Period"),
        ("deals", "Deals"),
        ("total", "Total"),
        ("aov", "AOV"),
        ("aov_change", "Change"),
        ("aov_change_pct", "Change %"),
        ("target_gap", "Against target"),
        ("currency", "Currency"),
        ("customer", "Customer"),
        ("seller", "Seller"),
        ("segment", "Segment"),
        ("median", "Median"),
        ("p25", "P25"),
        ("p75", "P75"),
        ("p90", "P90"),
        ("min", "Min"),
        ("max", "Max"),
        ("top_deal_pct", "Largest deal %"),
        ("share_pct", "Share %"),
        ("cum_share_pct", "Cumulative share %"),
        ("class", "Class"),
        ("rank", "Rank"),
        ("first_deal", "First deal"),
        ("last_deal", "Last deal"),
        ("days_since_last", "Days since last"),
        ("a_deals_pct", "A deals %"),
        ("b_deals_pct", "B deals %"),
        ("c_deals_pct", "C deals %"),
        ("customers", "Customers"),
        ("base_deals", "Deals before"),
        ("current_deals", "Deals now"),
        ("base_aov", "AOV before"),
        ("current_aov", "AOV now"),
        ("change", "Change"),
        ("change_pct", "Change %"),
        ("mix", "Mix effect"),
        ("rate", "Rate effect"),
        ("effect", "Effect"),
        ("vs_team", "Against the team"),
    ],
    views: ViewWords {
        customers_title: |files| format!("Customers by total: {files}"),
        sellers_title: |files| format!("Sellers: {files}"),
        ranked_title: |name, files| format!("{name} by total: {files}"),
        sellers_by_title: |name, files| format!("Sellers by {name}: {files}"),
        customer_words: |name| {
            vec![(" customers ", format!(" {name} values ")), (" customer ", format!(" {name} value "))]
        },
        seller_words: |name| vec![("seller's", format!("{name}'s"))],
        class_a: |of, a, n, count, share| {
            let of = if of.is_empty() { String::new() } else { format!(" ({of})") };
            let share = share.unwrap_or_else(|| "an undefined share".into());
            format!("Class A{of}: {a} of {n} customer{} bring {share} of revenue.", if count == 1 { "" } else { "s" })
        },
        classes: "Classes: A while the bigger customers hold under 80 % of revenue, B under 95 %, C the rest.",
        sellers_note: "a/b/c_deals_pct: share of the seller's deals with customers of class A, B, C; vs_team: the seller's AOV minus the AOV of all deals.",
        subtotal: "Subtotal",
        trend: |[a, b, c, d], as_of, given| {
            let whose = if given { "--as-of" } else { "the last deal day" };
            format!("Trend: {a} to {b} against {c} to {d}; days since last deal to {as_of} ({whose}).")
        },
    },
    chart: ChartWords {
        aov: "AOV",
        deals: "deals",
        target: "target",
        other: "other",
        clipped: |n| {
            if n == 1 {
                "1 point lies outside the chart".to_string()
            } else {
                format!("{n} points lie outside the chart")
            }
        },
    },
    summary: SummaryWords {
        latest: "Latest period",
        change: "change from the period before",
        yoy: "year on year",
        target_met: "target met",
        target_missed: "target not met",
    },
    html_lang: "en",
    moved: |s, m: &Move<'_>| {
        if m.change.is_negative() {
            format!("AOV fell {}{}", m.size_in(s), m.pct_in(s))
        } else if m.change.is_positive() {
            format!("AOV rose {}{}", m.size_in(s), m.pct_in(s))
        } else {
            format!("AOV stayed at {}{}", s.amount(&m.current, m.currency), m.pct_in(s))
        }
    },
    against_team: |s, seller, m: &Move<'_>| {
        if m.change.is_negative() {
            format!("{seller}'s AOV is {} below the team's{}", m.size_in(s), m.pct_in(s))
        } else if m.change.is_positive() {
            format!("{seller}'s AOV is {} above the team's{}", m.size_in(s), m.pct_in(s))
        } else {
            format!("{seller}'s AOV is level with the team's{}", m.pct_in(s))
        }
    },
    title: |s, t: &Title<'_>| {
        let by = if t.by.is_empty() { String::new() } else { format!(" by {}", s.by_words(t.by)) };
        format!("AOV per {}{by}: {}{}", s.period(t.period), t.files, t.range("to"))
    },
    periods: &[],
    and: "and",
    explain: ExplainWords {
        heading: |_, seller, current, base, segment| match seller {
            Some(s) => format!("{s} against the team, {current} (AOV by {segment}):"),
            None => format!("AOV {current} against {base}, by {segment}:"),
        },
        reasons: |segment, seller| match (segment, seller) {
            ("customer", Some(name)) => [
                format!("{name}'s deals go to customers with larger orders"),
                format!("{name}'s deals go to customers with smaller orders"),
                format!("{name}'s customers buy more per deal than the team's"),
                format!("{name}'s customers buy less per deal than the team's"),
            ],
            ("customer", None) => [
                "a larger share of deals went to customers with larger orders".to_string(),
                "a larger share of deals went to customers with smaller orders".to_string(),
                "customers bought more per deal".to_string(),
                "customers bought less per deal".to_string(),
            ],
            ("seller", _) => [
                "a larger share of deals was closed by sellers with larger deals".to_string(),
                "a larger share of deals was closed by sellers with smaller deals".to_string(),
                "sellers closed larger deals than before".to_string(),
                "sellers closed smaller deals than before".to_string(),
            ],
            (other, _) => [
                format!("a larger share of deals fell in {other} values with a higher AOV"),
                format!("a larger share of deals fell in {other} values with a lower AOV"),
                format!("deals within each {other} were larger"),
                format!("deals within each {other} were smaller"),
            ],
        },
        because: "because",
        nothing_from: "nothing from",
        mix: "mix",
        rate: "rate",
        largest: "Largest contributors",
        total: "TOTAL",
    },
    // explain names the outliers (issue 19)
    outliers: OutlierWords {
        median: "Median",
        without: |side| format!("Without {side}'s largest deal"),
        team: "the team",
        largest: |s, d: &DealLine<'_>| {
            let share = d.share.as_ref().map_or(String::new(), |p| format!(", {} of the total", share(s, p)));
            format!(
                "Largest deal, {}: {} with {} on {}{share}.",
                d.side,
                s.amount(&d.amount, d.currency),
                d.customer,
                d.date
            )
        },
        of_that: "Of that",
        sentence: |s, o: &OneDeal<'_>| {
            let median = if o.median_steady {
                format!(
                    "the median hardly moved ({} \u{2192} {})",
                    s.number(&o.base_median),
                    s.number(&o.current_median)
                )
            } else {
                format!("the median went from {} to {}", s.number(&o.base_median), s.number(&o.current_median))
            };
            let d = &o.deal;
            let share =
                d.share.as_ref().map_or(String::new(), |p| format!(" was {} of {}'s total", share(s, p), d.side));
            let size = match &o.without_pct {
                Some(p) => format!("{}{}%", s.magnitude(p), s.pct_space),
                None => s.with_currency(s.magnitude(&o.without), d.currency),
            };
            let without = if o.without.is_negative() {
                format!("without it AOV fell {size}")
            } else if o.without.is_positive() {
                format!("without it AOV rose {size}")
            } else {
                "without it AOV did not move".to_string()
            };
            format!(
                "{}; {median}: one deal of {} with {} on {}{share}; {without}.",
                o.moved,
                s.amount(&d.amount, d.currency),
                d.customer,
                d.date
            )
        },
    },
};
