//! Sparklines: the AOV of a group's periods as ▁▂▃▄▅▆▇█, for the table
//! only (never in csv, tsv, json or markdown, where they would be noise).
//! Heights are computed from the exact AOVs on a scale from zero (the
//! label says so), so a change of 1 % is a change of at most one bar, not
//! a collapse; a period without deals is a space, so gaps in time stay
//! visible.

use crate::aggregate::{PeriodKey, Ratio, Report, ReportRow};

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One bar per period from the first to the last key, `None` a gap. The
/// scale runs from zero (or from the lowest value, when it is below zero)
/// to the highest value (or zero, when every value is below it).
pub fn sparkline(values: &[Option<Ratio>]) -> String {
    let known: Vec<&Ratio> = values.iter().flatten().collect();
    let (Some(min), Some(max)) = (known.iter().min(), known.iter().max()) else { return String::new() };
    let zero = Ratio::from_int(0);
    let low = if **min < zero { (*min).clone() } else { zero.clone() };
    let high = if **max > zero { (*max).clone() } else { zero };
    let span = high.sub(&low);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if span.is_zero() => BARS[0],
            Some(v) => {
                // level = round((v - low) / span * 7), exactly
                let level = v.sub(&low).div(&span).expect("span is not zero").mul(&Ratio::from_int(7)).round(0);
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
    fn heights_from_zero_to_the_highest() {
        assert_eq!(sparkline(&[r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7)]), "▁▂▃▄▅▆▇█");
        // 100/200*7 = 3.5 -> 4 (half away from zero); 150/200*7 = 5.25 -> 5.
        assert_eq!(sparkline(&[r(100), None, r(200), r(150)]), "▅ █▆");
        assert_eq!(sparkline(&[r(5), r(5)]), "██");
        assert_eq!(sparkline(&[r(0), r(0)]), "▁▁");
        assert_eq!(sparkline(&[None]), "");
        assert_eq!(sparkline(&[r(-10), r(10)]), "▁█");
        // Below zero: from the lowest to zero; -5 is 5/10*7 = 3.5 -> 4.
        assert_eq!(sparkline(&[r(-10), r(-5)]), "▁▅");
    }

    #[test]
    fn a_change_of_one_percent_is_not_a_swing() {
        // 100 and 101 from zero: 100/101*7 = 6.93 -> 7, the same bar.
        assert_eq!(sparkline(&[r(100), r(101)]), "██");
        // 50 % down is half the height: 7 -> 3.5 -> 4.
        assert_eq!(sparkline(&[r(550), r(275)]), "█▅");
    }
}
