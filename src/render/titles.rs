//! The titles of the views: the file names, and a report's or chart's
//! title (what is shown, from which files, over which periods), in the
//! output's language. Formatting only.

use crate::aggregate::Report;
use crate::render::lang;

/// The file names, for titles.
pub fn file_names(files: &[String]) -> String {
    files
        .iter()
        .map(|f| std::path::Path::new(f).file_name().map_or(f.clone(), |n| n.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The title of a chart: what is shown, from which files, over which periods.
pub fn chart_title(report: &Report, files: &[String], labels: &[String]) -> String {
    chart_title_in(report, files, labels, lang::Lang::En)
}

/// `chart_title` in `lang`.
pub fn chart_title_in(report: &Report, files: &[String], labels: &[String], lang: lang::Lang) -> String {
    let by: Vec<&str> = report.by_names.iter().map(String::as_str).collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| std::path::Path::new(f).file_name().map_or(f.clone(), |n| n.to_string_lossy().into_owned()))
        .collect();
    let files = names.join(", ");
    let words = lang.strings();
    let title = lang::Title {
        period: report.period.name(),
        by: &by,
        files: &files,
        first: labels.first().map(String::as_str),
        last: labels.last().map(String::as_str),
    };
    (words.title)(words, &title)
}
