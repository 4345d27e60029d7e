//! The lines every view says on stderr: what was counted and what was left
//! out and why, conversions, unknown statuses, skipped rows, and the
//! footer's definition of the AOV. They format what loading counted; they
//! compute nothing.

use std::io::{self, Write};

use crate::config::CommonSettings;
use crate::intake::Loaded;
use crate::model::{Filter, Tally};
use crate::render;
use crate::status::StatusRule;

/// Say on stderr what happened to the rows that were not used.
pub fn tell(loaded: &Loaded, common: &CommonSettings, err: &mut dyn Write) -> io::Result<()> {
    for name in &loaded.empty_inputs {
        writeln!(err, "aov: note: {name} has no rows")?;
    }
    for note in &loaded.notes {
        writeln!(err, "aov: {note}")?;
    }
    if !common.quiet && (common.verbose || loaded.tally.says_something()) {
        writeln!(err, "aov: {}", counted_line(&loaded.tally, &common.filter))?;
    }
    if let Some(line) = converted_line(&loaded.tally, common.rates.as_ref().map(|r| r.target.as_str())) {
        writeln!(err, "aov: {line}")?;
    }
    if let Some(w) = unknown_statuses(&loaded.tally) {
        writeln!(err, "aov: warning: {w}")?;
    }
    for w in &loaded.warnings {
        writeln!(err, "aov: warning: {}", crate::error::printable(w))?;
    }
    if loaded.accounting.used == 0 && loaded.accounting.read > 0 {
        for (flag, names) in [("--customer", &common.names_given[0]), ("--seller", &common.names_given[1])] {
            if !names.is_empty() {
                let names: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                writeln!(err, "aov: warning: no deal in the selection matches {flag} {}", names.join(" or "))?;
            }
        }
    }
    if loaded.duplicates > 0 {
        let n = loaded.duplicates;
        writeln!(
            err,
            "aov: note: dropped {n} row{} identical to an earlier one (--drop-duplicate-rows)",
            if n == 1 { "" } else { "s" }
        )?;
    }
    let a = loaded.accounting;
    if a.rejected > 0 {
        writeln!(err, "aov: warning: skipped {} bad row{}:", a.rejected, if a.rejected == 1 { "" } else { "s" })?;
        for (reason, n) in &loaded.skipped {
            writeln!(err, "aov:   {n} x {}", crate::error::printable(reason))?;
        }
    }
    // The table prints the accounting in its footer; anything else here.
    if common.verbose && (common.chart || common.format != render::Format::Table) {
        writeln!(err, "{}", rows_line(&a))?;
    }
    Ok(())
}

/// What `--currency` converted: how many deals from which currencies, and
/// the dates of the rates used.
pub fn converted_line(t: &Tally, target: Option<&str>) -> Option<String> {
    let target = target?;
    if t.converted.is_empty() {
        return Some(format!("no deal needed converting into {target} (--currency)"));
    }
    let n: u64 = t.converted.values().map(|c| c.deals).sum();
    let parts: Vec<String> = t
        .converted
        .iter()
        .map(|(c, v)| {
            let dates = if v.first_rate == v.last_rate {
                format!("rate of {}", v.first_rate)
            } else {
                format!("rates of {} to {}", v.first_rate, v.last_rate)
            };
            format!("{} from {c} ({dates})", v.deals)
        })
        .collect();
    Some(format!("converted {} into {target}: {}", count(n, "deal"), parts.join(", ")))
}

/// The footer line that states what the AOV is made of.
pub fn definition(common: &CommonSettings) -> String {
    use crate::render::lang::Counted;
    let shown: Vec<String>;
    let counted = match &common.filter.status {
        StatusRule::Won => Counted::Won,
        StatusRule::All => Counted::All,
        StatusRule::Chosen(_) => {
            shown = common.filter_status_values.iter().map(|v| v.trim().to_string()).collect();
            Counted::Chosen(&shown)
        }
    };
    let words = common.lang.strings();
    (words.definition)(words, counted, common.filter.include_credits)
}

/// `12 deals` or `1 deal`.
fn count(n: u64, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The one line every view prints on stderr: what was counted, what was
/// left out and why, and the flag that changes it.
pub fn counted_line(t: &Tally, filter: &Filter) -> String {
    let mut parts = Vec::new();
    let by_count = |a: &&crate::model::StatusCount, b: &&crate::model::StatusCount| {
        b.counted.cmp(&a.counted).then(b.left_out.cmp(&a.left_out)).then(a.shown.cmp(&b.shown))
    };
    let shown =
        |s: &crate::model::StatusCount| if s.shown.is_empty() { "(empty)".to_string() } else { s.shown.clone() };
    if t.status_column {
        let mut counted: Vec<&crate::model::StatusCount> = t.statuses.values().filter(|s| s.counted > 0).collect();
        counted.sort_by(by_count);
        let mut head = format!("counted {}", count(t.counted, "deal"));
        // The statuses are counted as the rows are read, before a period
        // window (--last) leaves deals out: then they are "of" more deals.
        let read: u64 = counted.iter().map(|s| s.counted).sum();
        let statuses = match counted.as_slice() {
            [] => String::new(),
            [one] => format!("with status \"{}\"", shown(one)),
            many => {
                let list: Vec<String> = many.iter().map(|s| format!("\"{}\" {}", shown(s), s.counted)).collect();
                format!("with status {}", list.join(", "))
            }
        };
        if !statuses.is_empty() {
            if read == t.counted {
                head.push_str(&format!(" {statuses}"));
            } else {
                head.push_str(&format!(" (of {read} {statuses})"));
            }
        }
        parts.push(head);
        let mut out: Vec<&crate::model::StatusCount> = t.statuses.values().filter(|s| s.left_out > 0).collect();
        out.sort_by(|a, b| b.left_out.cmp(&a.left_out).then(a.shown.cmp(&b.shown)));
        let left: u64 = out.iter().map(|s| s.left_out).sum();
        if left > 0 {
            let mut list: Vec<String> = out.iter().take(6).map(|s| format!("{} {}", shown(s), s.left_out)).collect();
            if out.len() > 6 {
                list.push(format!("{} more", out.len() - 6));
            }
            parts.push(format!("left out {left} ({})", list.join(", ")));
        }
        match filter.status {
            StatusRule::All => parts.push("every status counted (--status all)".into()),
            _ => parts.push("--status all counts every status".into()),
        }
    } else {
        parts.push(format!("counted {}", count(t.counted, "deal")));
    }
    if t.credits > 0 && t.credit_sums_overflow {
        parts.push(format!(
            "left out {} whose total is too large to add up exactly (--include-credits counts them)",
            count(t.credits, "credit note")
        ));
    } else if t.credits > 0 {
        let sums: Vec<String> = t
            .credit_sums
            .iter()
            .map(|(c, s)| {
                let v = crate::aggregate::exact::round_decimal(*s, 2);
                if c.is_empty() { v.to_string() } else { format!("{v} {c}") }
            })
            .collect();
        parts.push(format!(
            "left out {} totalling {} (--include-credits counts them)",
            count(t.credits, "credit note"),
            sums.join(" + ")
        ));
    } else if t.credits_counted > 0 {
        parts.push(format!("{} counted (--include-credits)", count(t.credits_counted, "credit note")));
    }
    if !t.not_sales.is_empty() {
        let n: u64 = t.not_sales.values().sum();
        let list: Vec<String> = t.not_sales.iter().map(|(why, k)| format!("{k} {why}")).collect();
        parts.push(format!(
            "left out {n} {}: {} (--export-layout none reads every row)",
            if n == 1 { "row that is not a sale" } else { "rows that are not sales" },
            list.join("; ")
        ));
    }
    parts.extend(filtered_line([t.by_date, t.by_customer, t.by_seller, t.by_window]));
    parts.join("; ")
}

/// The warning for status values the vocabulary does not know: left out
/// when the column has known words too, counted when it has none.
pub fn unknown_statuses(t: &Tally) -> Option<String> {
    let amount = |s: &crate::model::StatusCount| s.counted + s.left_out;
    let mut unknown: Vec<&crate::model::StatusCount> =
        t.statuses.values().filter(|s| s.unknown && amount(s) > 0).collect();
    if unknown.is_empty() {
        return None;
    }
    unknown.sort_by(|a, b| amount(b).cmp(&amount(a)).then(a.shown.cmp(&b.shown)));
    let list: Vec<String> = unknown
        .iter()
        .take(8)
        .map(|s| format!("\"{}\" {}", if s.shown.is_empty() { "(empty)" } else { &s.shown }, amount(s)))
        .collect();
    let more = if unknown.len() > 8 { format!(" and {} more", unknown.len() - 8) } else { String::new() };
    let values = format!("{}{more}", list.join(", "));
    Some(if t.unknown_left_out {
        format!(
            "left out status values that are not known as won, lost, open or void: {values}; count them with --status VALUE (or --status all), or add them to [status] won in aov.toml"
        )
    } else {
        format!(
            "no status value is known as won, lost, open or void, so every deal counts: {values}; choose with --status VALUE, or name the classes in [status] in aov.toml"
        )
    })
}

/// What `customers --register` could not join: customers with deals that
/// the register (`file`) lacks, and register customers without deals.
pub fn tell_register(p: &crate::aggregate::potential::Potential, file: &str, err: &mut dyn Write) -> io::Result<()> {
    if p.missing_customers > 0 {
        let mut names: Vec<&str> =
            p.rows.iter().filter(|r| r.potential.is_none()).map(|r| r.customer.as_str()).collect();
        names.sort_unstable();
        let more = if names.len() > 5 { format!(" and {} more", names.len() - 5) } else { String::new() };
        let shown: Vec<String> = names.iter().take(5).map(|n| format!("\"{n}\"")).collect();
        writeln!(
            err,
            "aov: warning: {} deal{} of {} customer{} not in the register {}: {}{more}",
            p.missing_deals,
            if p.missing_deals == 1 { "" } else { "s" },
            p.missing_customers,
            if p.missing_customers == 1 { "" } else { "s" },
            file,
            shown.join(", ")
        )?;
    }
    if p.untouched > 0 {
        writeln!(
            err,
            "aov: note: {} register customer{} no deals (listed with 0 deals)",
            p.untouched,
            if p.untouched == 1 { " has" } else { "s have" }
        )?;
    }
    Ok(())
}

/// The `-v` line of the row accounting, for formats without a footer.
pub fn rows_line(a: &crate::model::RowAccounting) -> String {
    format!("aov: rows: {} read, {} used, {} filtered out, {} rejected", a.read, a.used, a.filtered, a.rejected)
}

/// "left out N by --from/--to, M by --customer, ..." for the rows each
/// filter left out (date, customer, seller, window), or `None` when none.
pub fn filtered_line([by_date, by_customer, by_seller, by_window]: [u64; 4]) -> Option<String> {
    let filters: Vec<String> = [
        (by_date, "by --from/--to"),
        (by_customer, "by --customer"),
        (by_seller, "by --seller"),
        (by_window, "outside --last/--complete-only"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    (!filters.is_empty()).then(|| format!("left out {}", filters.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_notes_are_totalled_per_currency_or_said_too_large() {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        let mut t = Tally { credits: 3, counted: 5, ..Tally::default() };
        t.add_credit_total("SEK", Some(d("-10.5")));
        t.add_credit_total("SEK", Some(d("-0.25")));
        t.add_credit_total("EUR", Some(d("-2")));
        let line = counted_line(&t, &Filter::default());
        assert!(line.contains("left out 3 credit notes totalling -2.00 EUR + -10.75 SEK"), "{line}");
        // A total that would need rounding is said to be too large, not
        // shown short; a merge carries that on.
        let mut big = Tally { credits: 1, ..Tally::default() };
        big.add_credit_total("SEK", Some(rust_decimal::Decimal::MIN));
        big.add_credit_total("SEK", Some(d("-0.5")));
        assert!(big.credit_sums_overflow);
        t.merge(&big);
        let line = counted_line(&t, &Filter::default());
        assert!(line.contains("left out 4 credit notes whose total is too large to add up exactly"), "{line}");
        // An amount that did not fit a decimal at all.
        let mut lost = Tally::default();
        lost.add_credit_total("", None);
        assert!(lost.credit_sums_overflow);
    }

    #[test]
    fn the_filtered_line_names_only_the_filters_that_left_rows_out() {
        assert_eq!(filtered_line([0, 0, 0, 0]), None);
        assert_eq!(
            filtered_line([3, 0, 12, 1]).as_deref(),
            Some("left out 3 by --from/--to, 12 by --seller, 1 outside --last/--complete-only")
        );
    }
}
