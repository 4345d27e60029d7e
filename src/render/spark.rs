//! Sparklines: the AOV of a group's periods as ▁▂▃▄▅▆▇█, for the table
//! only (never in csv, tsv, json or markdown, where they would be noise).
//! Heights are computed from the exact AOVs; a period without deals is a
//! space, so gaps in time stay visible.

use crate::aggregate::{PeriodKey, Ratio, Report, ReportRow};

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One bar per period from the first to the last key, `None` a gap.
pub fn sparkline(values: &[Option<Ratio>]) -> String {
    let known: Vec<&Ratio> = values.iter().flatten().collect();
    let (Some(min), Some(max)) = (known.iter().min(), known.iter().max()) else { return String::new() };
    let span = max.sub(min);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if span.is_zero() => BARS[3],
            Some(v) => {
                // level = round((v - min) / span * 7), exactly
                let level = v.sub(min).div(&span).expect("span is not zero").mul(&Ratio::from_int(7)).round(0);
                let i = level.to_string().parse::<usize>().unwrap_or(0).min(7);
                BARS[i]
            }
        })
        .collect()
}

/// The sparkline of consecutive rows of one group (with gaps for missing
/// periods between them).
pub fn group_sparkline(report: &Report, rows: &[ReportRow]) -> String {
    let keys: Vec<Option<PeriodKey>> =
        rows.iter().map(|r| r.period.as_deref().and_then(|p| report.period.parse_label(p))).collect();
    let (Some(Some(first)), Some(Some(last))) = (keys.first(), keys.last()) else { return String::new() };
    let mut values = Vec::new();
    let mut k = *first;
    let mut i = 0;
    while k <= *last && values.len() < 10_000 {
        if keys.get(i) == Some(&Some(k)) {
            values.push(rows[i].aov.clone());
            i += 1;
        } else {
            values.push(None);
        }
        k = k.next();
    }
    sparkline(&values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128) -> Option<Ratio> {
        Some(Ratio::from_int(n))
    }

    #[test]
    fn heights_from_lowest_to_highest() {
        assert_eq!(sparkline(&[r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7)]), "▁▂▃▄▅▆▇█");
        assert_eq!(sparkline(&[r(100), None, r(200), r(150)]), "▁ █▅");
        assert_eq!(sparkline(&[r(5), r(5)]), "▄▄");
        assert_eq!(sparkline(&[None]), "");
        assert_eq!(sparkline(&[r(-10), r(10)]), "▁█");
    }
}
