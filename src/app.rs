//! Running a command: load every input into partials, apply the period
//! window and name folding, build the view, render it, and say on stderr
//! what the user should know.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};

use crate::aggregate::customers::{customers, sellers};
use crate::aggregate::{Partials, Period, Report, build_lazy, build_with};
use crate::cli::{ChartArgs, Cli, Command, CustomersArgs, ExplainArgs, ReportArgs, SellersArgs, SqlArgs};
use crate::config::{CommonSettings, ReportSettings};
use crate::error::{Error, exit};
use crate::load::{self, Field, InputFormat, source};
use crate::model::{Dimension, RowAccounting, Tally};
use crate::pipeline::{Collector, Filter, apply_window, fold_name};
use crate::render::output::write_output;
use crate::render::{self, Grid, RenderOptions, views};
use crate::status::StatusRule;

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Report(args) => report(&args),
        Command::Customers(args) => customers_cmd(&args),
        Command::Sellers(args) => sellers_cmd(&args),
        Command::Explain(args) => explain_cmd(&args),
        Command::Sql(args) => sql_cmd(&args),
        Command::Chart(args) => chart_cmd(&args),
        Command::Completions(args) => completions_cmd(args.shell),
        Command::Man => man_cmd(),
    }
}

/// What loading produced.
pub struct Loaded {
    pub partials: Partials,
    pub accounting: RowAccounting,
    /// Skipped rows per reason.
    pub skipped: BTreeMap<String, u64>,
    /// Inputs that had a header but no rows.
    pub empty_inputs: Vec<String>,
    /// What was counted, and why the rest was left out.
    pub tally: Tally,
    /// Identical rows dropped, and warnings for stderr.
    pub duplicates: u64,
    pub warnings: Vec<String>,
    /// How files were read (layouts, amounts made from columns...).
    pub notes: Vec<String>,
}

/// Read every input into `partials`, grouped by `by`.
pub fn load_partials(common: &CommonSettings, partials: Partials, by: &[Dimension]) -> Result<Loaded, Error> {
    say_settings_file(common);
    let input = &common.input;
    let mut required = vec![Field::Amount, Field::Date];
    if by.contains(&Dimension::Customer) || !common.filter.customers.is_empty() {
        required.push(Field::Customer);
    }
    if by.contains(&Dimension::Seller) || !common.filter.sellers.is_empty() {
        required.push(Field::Seller);
    }
    if matches!(common.filter.status, StatusRule::Chosen(_)) {
        required.push(Field::Status);
    }
    let mut collector = Collector::new(partials, by, common.filter.clone(), input.skip_bad_rows);
    if let Some(path) = &input.rejects {
        let file = File::create(path).map_err(|source| Error::Open { path: path.display().to_string(), source })?;
        collector
            .write_rejects_to(Box::new(BufWriter::new(file)))
            .map_err(|source| Error::Open { path: path.display().to_string(), source })?;
    }
    let mut empty_inputs = Vec::new();
    let fast_ok = common.fast_path && !collector.keeps_amounts() && !by.contains(&Dimension::Segment);
    for path in &common.files {
        let before = collector.accounting.read;
        if fast_ok {
            if let Some(plan) = load::fast::plan(path, input, &required)? {
                let opts = load::fast::RunOptions {
                    period: collector.period(),
                    by,
                    filter: &common.filter,
                    threads: common.threads,
                    block_size: common.block_size,
                    skip_bad_rows: input.skip_bad_rows,
                    progress: !common.quiet,
                };
                match load::fast::run(&plan, &opts)? {
                    load::fast::Outcome::Done(out) => {
                        collector.set_file(&plan.name);
                        let flow = collector.absorb(out.partials, out.accounting, &out.tally, out.errors);
                        if collector.accounting.read == before {
                            empty_inputs.push(plan.name.clone());
                        }
                        if flow.is_break() || (out.stopped && !input.skip_bad_rows) {
                            break;
                        }
                        continue;
                    }
                    load::fast::Outcome::Abandoned(why) => {
                        if common.verbose {
                            eprintln!("aov: {}: read by the general reader: {why}", plan.name);
                        }
                    }
                }
            }
        }
        let flow = if path != "-" && source::detect_format(path, b"") == InputFormat::Excel {
            // Workbooks are read from the file itself.
            collector.set_file(path);
            load::excel::read(path, input.sheet.as_deref(), &input.columns, &required, &input.read, &mut collector)?
        } else if path != "-" && source::detect_format(path, b"") == InputFormat::Parquet {
            collector.set_file(path);
            load::parquet::read(path, &input.columns, &required, &input.read, &mut collector)?
        } else {
            let opened = source::open(path, input.encoding)?;
            collector.set_file(&opened.name);
            match source::detect_format(path, &opened.head) {
                InputFormat::Csv => {
                    load::csv::read(opened, input.delimiter, &input.columns, &required, &input.read, &mut collector)?
                }
                InputFormat::Json => load::json::read(opened, &input.columns, &required, &input.read, &mut collector)?,
                InputFormat::Excel | InputFormat::Parquet => {
                    return Err(Error::File {
                        path: opened.name,
                        message: "a workbook or Parquet file is read from a file with its own name (.xlsx, .ods, .parquet), not from standard input or gzip".into(),
                    });
                }
            }
        };
        if collector.accounting.read == before {
            empty_inputs.push(source::display_name(path));
        }
        if flow.is_break() {
            break;
        }
    }
    let crate::pipeline::Collected { partials, accounting, skipped, tally, duplicates, warnings, notes } =
        collector.finish()?;
    Ok(Loaded { partials, accounting, skipped, empty_inputs, tally, duplicates, warnings, notes })
}

/// Say which settings file was read: with `-v` always, and without it
/// when `./aov.toml` was applied without being named.
fn say_settings_file(common: &CommonSettings) {
    if let Some(line) = common.settings_file_note() {
        eprintln!("{line}");
    }
}

/// Load, then apply the period window (counted in `period`) and merge names
/// that differ only in letter case.
pub fn load_view(
    common: &CommonSettings,
    partials: Partials,
    by: &[Dimension],
    period: Period,
) -> Result<Loaded, Error> {
    let mut loaded = load_partials(common, partials, by)?;
    window_and_fold(&mut loaded, common, period)?;
    let unmatched = unmatched_names(&loaded, common, by);
    loaded.warnings.extend(unmatched);
    Ok(loaded)
}

/// A `--customer` or `--seller` name that no deal in the selection has,
/// for the dimensions the partials are grouped by (most often a typo).
/// When no deal at all is left, `tell` says so for every name instead.
fn unmatched_names(loaded: &Loaded, common: &CommonSettings, by: &[Dimension]) -> Vec<String> {
    let mut out = Vec::new();
    if loaded.accounting.used == 0 {
        return out;
    }
    for (i, dim) in by.iter().enumerate() {
        let (flag, wanted, given) = match dim {
            Dimension::Customer => ("--customer", &common.filter.customers, &common.names_given[0]),
            Dimension::Seller => ("--seller", &common.filter.sellers, &common.names_given[1]),
            Dimension::Segment => continue,
        };
        // (folded, as written)
        let mut missing: Vec<(&String, &String)> = wanted.iter().zip(given).collect();
        for cell in loaded.partials.cells() {
            if missing.is_empty() {
                break;
            }
            if let Some(name) = cell.split().0.get(i) {
                let name = fold_name(name, common.filter.case_sensitive);
                missing.retain(|(n, _)| **n != name);
            }
        }
        out.extend(missing.into_iter().map(|(_, n)| format!("no deal in the selection matches {flag} \"{n}\"")));
    }
    out
}

/// Apply the period window (counted in `period`), then make spellings of a
/// name that differ only in case one name (unless `--case-sensitive`),
/// shown in the most frequent spelling. Folding is skipped when a cheap
/// check shows no two spellings fold together (always so without `--by`).
fn window_and_fold(loaded: &mut Loaded, common: &CommonSettings, period: Period) -> Result<(), Error> {
    let before = loaded.accounting.filtered;
    apply_window(&mut loaded.partials, period, &common.window, &mut loaded.accounting);
    loaded.tally.by_window += loaded.accounting.filtered - before;
    if !common.filter.case_sensitive && loaded.partials.may_fold_together() {
        let partials = std::mem::replace(&mut loaded.partials, Partials::new(period, 0));
        loaded.partials = partials.fold_groups(|s| fold_name(s, false))?;
    }
    Ok(())
}

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
    if let Some(w) = unknown_statuses(&loaded.tally) {
        writeln!(err, "aov: warning: {w}")?;
    }
    for w in &loaded.warnings {
        writeln!(err, "aov: warning: {w}")?;
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
            writeln!(err, "aov:   {n} x {reason}")?;
        }
    }
    // The table prints the accounting in its footer; anything else here.
    if common.verbose && (common.chart || common.format != render::Format::Table) {
        writeln!(
            err,
            "aov: rows: {} read, {} used, {} filtered out, {} rejected",
            a.read, a.used, a.filtered, a.rejected
        )?;
    }
    Ok(())
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
        match counted.as_slice() {
            [] => {}
            [one] => head.push_str(&format!(" with status \"{}\"", shown(one))),
            many => {
                let list: Vec<String> = many.iter().map(|s| format!("\"{}\" {}", shown(s), s.counted)).collect();
                head.push_str(&format!(" with status {}", list.join(", ")));
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
    if t.credits > 0 {
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
            "left out {n} {}: {} (--layout none reads every row)",
            if n == 1 { "row that is not a sale" } else { "rows that are not sales" },
            list.join("; ")
        ));
    }
    let mut filters = Vec::new();
    for (n, what) in [
        (t.by_date, "by --from/--to"),
        (t.by_customer, "by --customer"),
        (t.by_seller, "by --seller"),
        (t.by_window, "outside --last/--complete-only"),
    ] {
        if n > 0 {
            filters.push(format!("{n} {what}"));
        }
    }
    if !filters.is_empty() {
        parts.push(format!("left out {}", filters.join(", ")));
    }
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

/// The file names, for titles.
fn file_names(files: &[String]) -> String {
    files
        .iter()
        .map(|f| std::path::Path::new(f).file_name().map_or(f.clone(), |n| n.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn options(common: &CommonSettings, loaded: &Loaded, title: String) -> RenderOptions {
    RenderOptions {
        title,
        color: common.color,
        accounting: Some(loaded.accounting),
        excel_sv: common.excel_sv,
        notes: vec![definition(common)],
        width: common.width,
        lang: common.lang,
    }
}

fn emit(common: &CommonSettings, loaded: &Loaded, grid: &Grid, title: String) -> anyhow::Result<()> {
    let opts = options(common, loaded, title);
    write_output(common.output.as_deref(), |out| render::render_grid(grid, common.format, &opts, out))
}

fn report(args: &ReportArgs) -> anyhow::Result<i32> {
    let s = ReportSettings::from_args(args)?;
    let template =
        if s.stats { Partials::with_amounts(s.period, s.by.len()) } else { Partials::new(s.period, s.by.len()) };
    let loaded = match (&args.source, args.partials) {
        (Some(url), _) => load_from_postgres(&s, url)?,
        (None, true) => load_engine_partials(&s)?,
        (None, false) => load_view(&s.common, template, &s.by, s.period)?,
    };
    tell(&loaded, &s.common, &mut io::stderr().lock())?;
    if render::streams(s.common.format) && s.fail_below.is_none() {
        // Rows are made as they are written: memory stays at the size of
        // the partials, whatever the number of groups.
        let (report, rows) = build_lazy(&loaded.partials, &s.by, s.target).map_err(Error::from)?;
        let opts = options(&s.common, &loaded, String::new());
        write_output(s.common.output.as_deref(), |out| {
            render::render_stream(&report, rows, s.common.format, &opts, out)
        })?;
        return Ok(exit::OK);
    }
    let report = build_with(&loaded.partials, &s.by, s.target).map_err(Error::from)?;
    let labels: Vec<String> = report.rows.iter().filter_map(|r| r.period.clone()).collect();
    let mut sorted = labels.clone();
    sorted.sort();
    let range = [sorted.first().cloned().unwrap_or_default(), sorted.last().cloned().unwrap_or_default()];
    let opts = options(&s.common, &loaded, chart_title_in(&report, &s.common.files, &range, s.common.lang));
    write_output(s.common.output.as_deref(), |out| render::render(&report, s.common.format, &opts, out))?;
    if let Some(limit) = s.fail_below {
        let checked = checked_period(&s);
        let below = below_target(&report, limit, checked.as_deref());
        if !below.is_empty() {
            let mut err = io::stderr().lock();
            let which = checked.map_or("the last period".to_string(), |p| format!("the last complete period ({p})"));
            writeln!(err, "aov: the AOV of {which} is below {}:", crate::aggregate::exact::round_decimal(limit, 2))?;
            for line in &below {
                writeln!(err, "aov:   {line}")?;
            }
            return Ok(exit::BELOW_TARGET);
        }
    }
    Ok(exit::OK)
}

/// With `--complete-only`, the period `--fail-below` checks: the last
/// complete one before `--as-of`, whether or not it has deals (so a stale
/// export fails). Without it, each group's last period with deals.
pub fn checked_period(s: &ReportSettings) -> Option<String> {
    let day = s.common.window.complete_before?;
    (s.period != Period::All).then(|| s.period.label(s.period.key(day).prev()))
}

/// The groups whose checked period has an AOV below `limit` or no deals:
/// each group's last period, or `checked` (a period label) when given. A
/// report without any deal is below whatever the limit.
pub fn below_target(report: &Report, limit: rust_decimal::Decimal, checked: Option<&str>) -> Vec<String> {
    if report.rows.is_empty() {
        return vec![format!("all deals, {}: no deals", checked.unwrap_or("the selection"))];
    }
    let limit = crate::aggregate::Ratio::from_decimal(limit);
    let mut last: BTreeMap<(Vec<String>, String), &crate::aggregate::ReportRow> = BTreeMap::new();
    for row in &report.rows {
        last.insert((row.group.to_vec(), row.currency.clone()), row);
    }
    let mut out = Vec::new();
    for row in report.rows.iter().filter(|r| std::ptr::eq(*r, last[&(r.group.to_vec(), r.currency.clone())])) {
        let mut who: Vec<String> = row.group.to_vec();
        if report.show_currency {
            who.push(row.currency.clone());
        }
        let name = if who.is_empty() { "all deals".to_string() } else { who.join(" / ") };
        let period = row.period.as_deref().unwrap_or("all");
        if let Some(p) = checked.filter(|p| *p != period) {
            out.push(format!("{name}, {p}: no deals (the last are from {period})"));
            continue;
        }
        if row.aov.as_ref().is_none_or(|a| *a < limit) {
            let aov = row.aov.as_ref().map_or("no deals".to_string(), |a| format!("AOV {}", a.round(2)));
            out.push(format!("{name}, {period}: {aov}"));
        }
    }
    out
}

fn customers_cmd(args: &CustomersArgs) -> anyhow::Result<i32> {
    let common = CommonSettings::from_args(&args.common)?;
    let period = common.period(args.period)?;
    let loaded = load_view(&common, Partials::with_amounts(Period::Day, 1), &[Dimension::Customer], period)?;
    tell(&loaded, &common, &mut io::stderr().lock())?;
    let view = customers(&loaded.partials, 0, args.top).map_err(Error::from)?;
    emit(
        &common,
        &loaded,
        &views::customers_grid(&view),
        format!("Customers by total: {}", file_names(&common.files)),
    )?;
    Ok(exit::OK)
}

fn sellers_cmd(args: &SellersArgs) -> anyhow::Result<i32> {
    let common = CommonSettings::from_args(&args.common)?;
    let period = common.period(args.period)?;
    let by = [Dimension::Seller, Dimension::Customer];
    let loaded = load_view(&common, Partials::with_amounts(Period::Day, 2), &by, period)?;
    tell(&loaded, &common, &mut io::stderr().lock())?;
    let view = sellers(&loaded.partials).map_err(Error::from)?;
    emit(&common, &loaded, &views::sellers_grid(&view), format!("Sellers: {}", file_names(&common.files)))?;
    Ok(exit::OK)
}

fn explain_cmd(args: &ExplainArgs) -> anyhow::Result<i32> {
    use crate::aggregate::PeriodKey;
    use crate::aggregate::explain::{SegmentInput, explain, fold_top};
    use std::collections::BTreeMap;

    let mut common = CommonSettings::from_args(&args.common)?;
    let period = common.period(args.period)?;
    let by_name = args.by.trim().to_string();
    let dim = match by_name.to_lowercase().as_str() {
        "customer" => Dimension::Customer,
        "seller" => Dimension::Seller,
        _ => {
            common.input.columns.insert(Field::Segment, by_name.clone());
            Dimension::Segment
        }
    };
    // --seller NAME with --by customer: that seller against the team.
    let subject = match common.filter.sellers.len() {
        0 => None,
        1 if dim == Dimension::Customer => Some(std::mem::take(&mut common.filter.sellers).remove(0)),
        1 => return Err(Error::Usage("--seller compares a seller against the team with --by customer".into()).into()),
        _ => return Err(Error::Usage("explain compares one --seller at a time".into()).into()),
    };
    if subject.is_some() && (args.base.is_some() || args.base_from.is_some() || args.base_to.is_some()) {
        return Err(Error::Usage(
            "with --seller the base is the whole team in the current period; leave out --base".into(),
        )
        .into());
    }
    let ranges = [args.base_from, args.base_to, args.current_from, args.current_to];
    let by: Vec<Dimension> = if subject.is_some() { vec![dim, Dimension::Seller] } else { vec![dim] };
    let loaded = load_view(&common, Partials::new(Period::Day, by.len()), &by, period)?;
    tell(&loaded, &common, &mut io::stderr().lock())?;

    // Which days belong to which side.
    enum Sides {
        Periods(PeriodKey, PeriodKey),
        Days([chrono::NaiveDate; 4]),
    }
    let key_of = |day: PeriodKey| Period::Day.first_day(day).map(|d| period.key(d)).unwrap_or(PeriodKey(0));
    let sides = if ranges.iter().any(Option::is_some) {
        match ranges {
            [Some(a), Some(b), Some(c), Some(d)] => {
                if a > b || c > d {
                    return Err(Error::Usage("a --*-from date is after its --*-to date".into()).into());
                }
                Sides::Days([a, b, c, d])
            }
            _ => {
                return Err(Error::Usage(
                    "give all four of --base-from, --base-to, --current-from and --current-to".into(),
                )
                .into());
            }
        }
    } else if period == Period::All {
        return Err(Error::Usage(
            "with --period all, name the sides with --base-from/--base-to and --current-from/--current-to".into(),
        )
        .into());
    } else {
        let parse = |label: &str, flag: &str| {
            period.parse_label(label).ok_or_else(|| {
                let example = period.label(period.key(chrono::NaiveDate::from_ymd_opt(2013, 3, 15).expect("a date")));
                Error::Usage(format!(
                    "{flag} {label} is not a {period} label; write it as in the report, e.g. {example}"
                ))
            })
        };
        let mut keys: Vec<PeriodKey> = loaded.partials.cells().map(|c| key_of(c.key)).collect();
        keys.sort();
        keys.dedup();
        let current = match &args.current {
            Some(l) => parse(l, "--current")?,
            None => *keys
                .last()
                .ok_or_else(|| Error::File { path: "the input".into(), message: "no deals to explain".into() })?,
        };
        let base = match (&args.base, &subject) {
            (Some(l), _) => parse(l, "--base")?,
            (None, Some(_)) => current,
            (None, None) => keys.iter().rev().find(|k| **k < current).copied().ok_or_else(|| Error::File {
                path: common.files.join(", "),
                message: format!(
                    "no period with deals before {}; name the periods with --base and --current",
                    period.label(current)
                ),
            })?,
        };
        Sides::Periods(base, current)
    };
    let (base_label, current_label) = match &sides {
        Sides::Periods(b, c) => (period.label(*b), period.label(*c)),
        Sides::Days([a, b, c, d]) => (format!("{a}..{b}"), format!("{c}..{d}")),
    };

    let mut per_currency: BTreeMap<String, BTreeMap<String, SegmentInput>> = BTreeMap::new();
    for cell in loaded.partials.cells() {
        let (group, currency) = cell.split();
        let day = Period::Day.first_day(cell.key).expect("a day");
        let (in_base, in_current) = match &sides {
            Sides::Periods(b, c) => (key_of(cell.key) == *b, key_of(cell.key) == *c),
            Sides::Days([a, b, c, d]) => (day >= *a && day <= *b, day >= *c && day <= *d),
        };
        let entry = per_currency.entry(currency.to_string()).or_default().entry(group[0].to_string()).or_default();
        let overflow =
            || Error::from(crate::aggregate::Overflow { group: group[0].to_string(), period: "the comparison".into() });
        match &subject {
            Some(name) => {
                if in_current {
                    entry.base.merge(cell.part).ok_or_else(overflow)?;
                    if fold_name(group[1], common.filter.case_sensitive) == *name {
                        entry.current.merge(cell.part).ok_or_else(overflow)?;
                    }
                }
            }
            None => {
                if in_base {
                    entry.base.merge(cell.part).ok_or_else(overflow)?;
                }
                if in_current {
                    entry.current.merge(cell.part).ok_or_else(overflow)?;
                }
            }
        }
    }
    // Segments with deals on neither side play no part.
    for segs in per_currency.values_mut() {
        segs.retain(|_, s| s.base.deals > 0 || s.current.deals > 0);
    }
    per_currency.retain(|_, segs| !segs.is_empty());
    if per_currency.is_empty() {
        return Err(Error::File {
            path: common.files.join(", "),
            message: format!("neither {base_label} nor {current_label} has deals, so there is nothing to compare"),
        }
        .into());
    }
    let seller_shown = subject
        .as_ref()
        .map(|s| args.common.filter.seller.first().map(|n| n.trim().to_string()).unwrap_or_else(|| s.clone()));
    let mut list = Vec::new();
    for (currency, segs) in &per_currency {
        let mut e = explain(currency, segs).map_err(|e| {
            let side = match &e {
                crate::aggregate::explain::ExplainError::EmptySide("base") => base_label.clone(),
                _ => current_label.clone(),
            };
            let who = match (&seller_shown, &e) {
                (Some(s), crate::aggregate::explain::ExplainError::EmptySide("current")) => format!("{s} in {side}"),
                _ => side,
            };
            Error::File {
                path: common.files.join(", "),
                message: format!("{who} has no deals, so there is nothing to compare"),
            }
        })?;
        if let Some(n) = args.top {
            fold_top(&mut e, n as usize, segs);
        }
        list.push(e);
    }
    let framing = crate::render::explain::Framing {
        segment: if dim == Dimension::Segment { by_name } else { dim.name().to_string() },
        seller: seller_shown,
        base_label,
        current_label,
    };
    let opts = options(&common, &loaded, format!("Why AOV changed: {}", file_names(&common.files)));
    write_output(common.output.as_deref(), |out| {
        crate::render::explain::render(&list, &framing, common.format, &opts, out)
    })?;
    Ok(exit::OK)
}

/// What `--partials` and `--source` cannot do: statistics need every
/// amount, and filters other than dates belong in the query.
fn check_pushdown(s: &ReportSettings) -> Result<(), Error> {
    let f = &s.common.filter;
    if s.stats {
        return Err(Error::Usage(
            "--stats needs every amount (for medians and percentiles), which partials do not hold; run it on the deals themselves".into(),
        ));
    }
    if !f.customers.is_empty() || !f.sellers.is_empty() || matches!(f.status, StatusRule::Chosen(_)) {
        return Err(Error::Usage("with --partials or --source, filter in the query instead (a WHERE clause)".into()));
    }
    Ok(())
}

/// Window and name folding on partials from an engine.
fn finish_partials(
    s: &ReportSettings,
    partials: Partials,
    accounting: RowAccounting,
    tally: Tally,
) -> Result<Loaded, Error> {
    let mut loaded = Loaded {
        partials,
        accounting,
        skipped: BTreeMap::new(),
        empty_inputs: Vec::new(),
        tally,
        duplicates: 0,
        warnings: Vec::new(),
        notes: Vec::new(),
    };
    window_and_fold(&mut loaded, &s.common, s.period)?;
    Ok(loaded)
}

/// Run the partials query on PostgreSQL and read the result straight into
/// partials (NUMERIC decoded into exact decimals). The FILEs are tables.
fn load_from_postgres(s: &ReportSettings, url: &str) -> Result<Loaded, Error> {
    check_pushdown(s)?;
    say_settings_file(&s.common);
    let input = &s.common.input;
    let col = |f: Field, default: &str| input.columns.get(&f).cloned().unwrap_or_else(|| default.to_string());
    let tz = input.read.timezone.map(|t| t.name().to_string());
    let db_err = |e: postgres::Error| Error::Open { path: url.to_string(), source: io::Error::other(e.to_string()) };
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(db_err)?;
    let mut partials = Partials::new(s.period, s.by.len());
    let mut accounting = RowAccounting::default();
    let mut tally = Tally::default();
    for table in &s.common.files {
        let q = crate::sql::Query {
            table: table.clone(),
            date: col(Field::Date, "date"),
            amount: col(Field::Amount, "amount"),
            customer: Some(col(Field::Customer, "customer")),
            seller: Some(col(Field::Seller, "seller")),
            currency: input.columns.get(&Field::Currency).cloned(),
            order: input.columns.get(&Field::Order).cloned(),
            by: s.by.clone(),
            from: s.common.filter.from,
            to: s.common.filter.to,
            timezone: tz.clone(),
            include_credits: s.common.filter.include_credits,
            status: None,
        };
        let sql = crate::sql::partials_query(crate::sql::Dialect::Postgres, &q);
        let rows = client
            .query(sql.as_str(), &[])
            .map_err(|e| Error::File { path: table.clone(), message: format!("the query failed: {e}") })?;
        let mut names: Vec<String> = vec![String::new(); s.by.len()];
        let mut currency = String::new();
        for row in rows {
            let bad = |e: postgres::Error| Error::File {
                path: table.clone(),
                message: format!("cannot read the query's result: {e}"),
            };
            let day: chrono::NaiveDate = row.try_get("day").map_err(bad)?;
            let deals: i64 = row.try_get("deals").map_err(bad)?;
            let total: rust_decimal::Decimal = row.try_get("total").map_err(bad)?;
            for (slot, d) in names.iter_mut().zip(&s.by) {
                let raw: Option<String> = row.try_get(d.name()).map_err(bad)?;
                crate::load::rows::clean_name(raw.as_deref().unwrap_or(""), slot);
            }
            if q.currency.is_some() {
                let raw: Option<String> = row.try_get("currency").map_err(bad)?;
                crate::load::rows::clean_name(raw.as_deref().unwrap_or(""), &mut currency);
            }
            let deals = deals as u64;
            if !q.include_credits {
                let credits: i64 = row.try_get("credits").map_err(bad)?;
                let credit_total: rust_decimal::Decimal = row.try_get("credit_total").map_err(bad)?;
                let credits = credits as u64;
                accounting.read += credits;
                accounting.filtered += credits;
                tally.credits += credits;
                let sum = tally.credit_sums.entry(currency.clone()).or_default();
                *sum = sum.checked_add(credit_total).unwrap_or(*sum);
            }
            if deals == 0 {
                continue; // a day and group with credit notes only
            }
            accounting.read += deals;
            accounting.used += deals;
            tally.counted += deals;
            let group: Vec<&str> = names.iter().map(String::as_str).collect();
            partials.add_bucket(&group, &currency, day, &crate::aggregate::Partial { deals, total, rows: deals })?;
        }
    }
    finish_partials(s, partials, accounting, tally)
}

/// The report's partials from files an engine computed.
fn load_engine_partials(s: &ReportSettings) -> Result<Loaded, Error> {
    check_pushdown(s)?;
    say_settings_file(&s.common);
    let f = &s.common.filter;
    let mut partials = Partials::new(s.period, s.by.len());
    let mut accounting = RowAccounting::default();
    let mut tally = Tally::default();
    for path in &s.common.files {
        load::partials::read(path, &s.by, (f.from, f.to), &mut partials, &mut accounting, &mut tally)?;
    }
    finish_partials(s, partials, accounting, tally)
}

/// The title of a chart: what is shown, from which files, over which periods.
pub fn chart_title(report: &Report, files: &[String], labels: &[String]) -> String {
    chart_title_in(report, files, labels, crate::render::lang::Lang::En)
}

/// `chart_title` in `lang`.
pub fn chart_title_in(report: &Report, files: &[String], labels: &[String], lang: crate::render::lang::Lang) -> String {
    let by: Vec<&str> = report.by.iter().map(|d| d.name()).collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| std::path::Path::new(f).file_name().map_or(f.clone(), |n| n.to_string_lossy().into_owned()))
        .collect();
    let files = names.join(", ");
    let words = lang.strings();
    let title = crate::render::lang::Title {
        period: report.period.name(),
        by: &by,
        files: &files,
        first: labels.first().map(String::as_str),
        last: labels.last().map(String::as_str),
    };
    (words.title)(words, &title)
}

fn chart_cmd(args: &ChartArgs) -> anyhow::Result<i32> {
    let common = CommonSettings::from_args(&args.common)?;
    let period = common.period(args.period)?;
    if period == Period::All {
        return Err(Error::Usage("a chart needs a time axis; use a --period other than all".into()).into());
    }
    let by = crate::config::dimensions(&args.by)?;
    let loaded = load_view(&common, Partials::new(period, by.len()), &by, period)?;
    tell(&loaded, &common, &mut io::stderr().lock())?;
    let report = build_with(&loaded.partials, &by, None).map_err(Error::from)?;
    let data = render::chart::chart_data(&report, args.top);
    if report.totals.len() > 1 {
        eprintln!(
            "aov: note: the deals are in several currencies; the chart shows {}, the one with the most deals",
            data.currency
        );
    }
    let spec = render::chart::ChartSpec {
        title: chart_title_in(&report, &common.files, &data.labels, common.lang),
        top: args.top,
        target: args.target,
        width: args.size.0,
        height: args.size.1,
    };
    let bytes = if common.png {
        render::chart::png(&data, &spec)
    } else {
        render::chart::svg(&data, &spec).map(String::into_bytes)
    };
    let bytes = bytes.map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
    write_output(common.output.as_deref(), |out| out.write_all(&bytes))?;
    Ok(exit::OK)
}

fn sql_cmd(args: &SqlArgs) -> anyhow::Result<i32> {
    let by = crate::config::dimensions(&args.by)?;
    let q = crate::sql::Query {
        table: args.table.clone(),
        date: args.date_col.clone(),
        amount: args.amount_col.clone(),
        customer: Some(args.customer_col.clone()),
        seller: Some(args.seller_col.clone()),
        currency: args.currency_col.clone(),
        order: args.order_col.clone(),
        by,
        from: args.from,
        to: args.to,
        timezone: args.timezone.clone(),
        include_credits: args.include_credits,
        status: args.status_col.as_ref().and_then(|col| {
            let words = match StatusRule::from_values(&args.status) {
                StatusRule::All => return None,
                StatusRule::Chosen(words) => words,
                StatusRule::Won => crate::status::Vocabulary::builtin().words_of(crate::status::StatusClass::Won),
            };
            Some((col.clone(), words))
        }),
    };
    if let Some(tz) = &q.timezone {
        tz.parse::<chrono_tz::Tz>().map_err(|_| {
            Error::Usage(format!("\"{tz}\" is not an IANA time zone name; try for example Europe/Stockholm"))
        })?;
    }
    let text = crate::sql::partials_query(args.dialect, &q);
    write_output(None, |out| out.write_all(text.as_bytes()))?;
    Ok(exit::OK)
}

/// `aov completions SHELL`: the completion script, on standard output.
fn completions_cmd(shell: crate::cli::ShellArg) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell = match shell {
        crate::cli::ShellArg::Bash => Shell::Bash,
        crate::cli::ShellArg::Zsh => Shell::Zsh,
        crate::cli::ShellArg::Fish => Shell::Fish,
        crate::cli::ShellArg::Powershell => Shell::PowerShell,
        crate::cli::ShellArg::Elvish => Shell::Elvish,
    };
    let mut cmd = Cli::command();
    write_output(None, |out| {
        clap_complete::generate(shell, &mut cmd, "aov", out);
        Ok(())
    })?;
    Ok(exit::OK)
}

/// `aov man`: one roff page for aov and every subcommand.
fn man_cmd() -> anyhow::Result<i32> {
    let page = crate::manual::page()?;
    write_output(None, |out| out.write_all(&page))?;
    Ok(exit::OK)
}
