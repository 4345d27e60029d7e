//! Running a command: load every input into partials, apply the period
//! window and name folding, build the view, render it, and say on stderr
//! what the user should know.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;

use crate::aggregate::customers::{customers, sellers};
use crate::aggregate::{Partials, Period, Report, build_with};
use crate::cli::{Cli, Command, CustomersArgs, ReportArgs, SellersArgs};
use crate::config::{CommonSettings, ReportSettings};
use crate::error::{Error, exit};
use crate::load::{self, Field, InputFormat, source};
use crate::model::{Dimension, RowAccounting};
use crate::pipeline::{Collector, apply_window, fold_name};
use crate::render::{self, Grid, RenderOptions, views};

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Report(args) => report(&args),
        Command::Customers(args) => customers_cmd(&args),
        Command::Sellers(args) => sellers_cmd(&args),
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
    /// Inputs with a status column.
    pub with_status: Vec<String>,
}

/// Read every input into `partials`, grouped by `by`.
pub fn load_partials(common: &CommonSettings, partials: Partials, by: &[Dimension]) -> Result<Loaded, Error> {
    let input = &common.input;
    let mut required = vec![Field::Amount, Field::Date];
    if by.contains(&Dimension::Customer) || !common.filter.customers.is_empty() {
        required.push(Field::Customer);
    }
    if by.contains(&Dimension::Seller) || !common.filter.sellers.is_empty() {
        required.push(Field::Seller);
    }
    if !common.filter.statuses.is_empty() {
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
    for path in &common.files {
        let before = collector.accounting.read;
        let flow = if path != "-" && source::detect_format(path, b"") == InputFormat::Excel {
            // Workbooks are read from the file itself.
            collector.set_file(path);
            load::excel::read(path, input.sheet.as_deref(), &input.columns, &required, &input.read, &mut collector)?
        } else {
            let opened = source::open(path, input.encoding)?;
            collector.set_file(&opened.name);
            match source::detect_format(path, &opened.head) {
                InputFormat::Csv => {
                    load::csv::read(opened, input.delimiter, &input.columns, &required, &input.read, &mut collector)?
                }
                InputFormat::Json => load::json::read(opened, &input.columns, &required, &input.read, &mut collector)?,
                InputFormat::Excel => {
                    return Err(Error::File {
                        path: opened.name,
                        message: "a workbook is read from a file with its own name (.xlsx, .xls, .ods), not from standard input or gzip".into(),
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
    let with_status = std::mem::take(&mut collector.with_status);
    let (partials, accounting, skipped) = collector.finish()?;
    Ok(Loaded { partials, accounting, skipped, empty_inputs, with_status })
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
    apply_window(&mut loaded.partials, period, &common.window, &mut loaded.accounting);
    if !by.is_empty() {
        let case_sensitive = common.filter.case_sensitive;
        loaded.partials = loaded.partials.fold_groups(|s| fold_name(s, case_sensitive))?;
    }
    Ok(loaded)
}

/// Say on stderr what happened to the rows that were not used.
pub fn tell(loaded: &Loaded, common: &CommonSettings, err: &mut dyn Write) -> io::Result<()> {
    for name in &loaded.empty_inputs {
        writeln!(err, "aov: note: {name} has no rows")?;
    }
    if common.filter.statuses.is_empty() {
        for file in &loaded.with_status {
            writeln!(err, "aov: note: {file}; deals of every status are counted (choose with --status)")?;
        }
    }
    let a = loaded.accounting;
    if a.rejected > 0 {
        writeln!(err, "aov: warning: skipped {} bad row{}:", a.rejected, if a.rejected == 1 { "" } else { "s" })?;
        for (reason, n) in &loaded.skipped {
            writeln!(err, "aov:   {n} x {reason}")?;
        }
    }
    if common.verbose && common.format != render::Format::Table {
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
    let statuses = if common.filter.statuses.is_empty() {
        "every status".to_string()
    } else {
        format!("status {}", common.filter.statuses.join(" or "))
    };
    let credits =
        if common.filter.exclude_credits { "credit notes left out" } else { "credit notes (negative amounts) counted" };
    format!(
        "AOV = total of the counted deals / their number; counted: {statuses}, {credits}; rounded half away from zero."
    )
}

fn options(common: &CommonSettings, loaded: &Loaded) -> RenderOptions {
    RenderOptions {
        color: common.color,
        accounting: Some(loaded.accounting),
        excel_sv: common.excel_sv,
        notes: vec![definition(common)],
    }
}

fn emit(common: &CommonSettings, loaded: &Loaded, grid: &Grid) -> anyhow::Result<()> {
    let opts = options(common, loaded);
    write_output(common.output.as_deref(), |out| render::render_grid(grid, common.format, &opts, out))
}

fn report(args: &ReportArgs) -> anyhow::Result<i32> {
    let s = ReportSettings::from_args(args)?;
    let template =
        if s.stats { Partials::with_amounts(s.period, s.by.len()) } else { Partials::new(s.period, s.by.len()) };
    let loaded = load_view(&s.common, template, &s.by, s.period)?;
    tell(&loaded, &s.common, &mut io::stderr().lock())?;
    let report = build_with(&loaded.partials, &s.by, s.target).map_err(Error::from)?;
    emit(&s.common, &loaded, &render::report_grid(&report))?;
    if let Some(limit) = s.fail_below {
        let below = below_target(&report, limit);
        if !below.is_empty() {
            let mut err = io::stderr().lock();
            writeln!(
                err,
                "aov: the AOV of the last period is below {}:",
                crate::aggregate::exact::round_decimal(limit, 2)
            )?;
            for line in &below {
                writeln!(err, "aov:   {line}")?;
            }
            return Ok(exit::BELOW_TARGET);
        }
    }
    Ok(exit::OK)
}

/// The groups whose last period has an AOV below `limit` (or no deals).
pub fn below_target(report: &Report, limit: rust_decimal::Decimal) -> Vec<String> {
    let limit = crate::aggregate::Ratio::from_decimal(limit);
    let mut last: BTreeMap<(Vec<String>, String), &crate::aggregate::ReportRow> = BTreeMap::new();
    for row in &report.rows {
        last.insert((row.group.clone(), row.currency.clone()), row);
    }
    let mut out = Vec::new();
    for row in report.rows.iter().filter(|r| std::ptr::eq(*r, last[&(r.group.clone(), r.currency.clone())])) {
        let below = row.aov.as_ref().is_none_or(|a| *a < limit);
        if below {
            let mut who: Vec<String> = row.group.clone();
            if report.show_currency {
                who.push(row.currency.clone());
            }
            let name = if who.is_empty() { "all deals".to_string() } else { who.join(" / ") };
            let aov = row.aov.as_ref().map_or("no deals".to_string(), |a| format!("AOV {}", a.round(2)));
            out.push(format!("{name}, {}: {aov}", row.period.as_deref().unwrap_or("all")));
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
    emit(&common, &loaded, &views::customers_grid(&view))?;
    Ok(exit::OK)
}

fn sellers_cmd(args: &SellersArgs) -> anyhow::Result<i32> {
    let common = CommonSettings::from_args(&args.common)?;
    let period = common.period(args.period)?;
    let by = [Dimension::Seller, Dimension::Customer];
    let loaded = load_view(&common, Partials::with_amounts(Period::Day, 2), &by, period)?;
    tell(&loaded, &common, &mut io::stderr().lock())?;
    let view = sellers(&loaded.partials).map_err(Error::from)?;
    emit(&common, &loaded, &views::sellers_grid(&view))?;
    Ok(exit::OK)
}

/// Write to stdout, or to `path` atomically: into a temporary file in the
/// same folder, renamed over `path` only once complete.
pub fn write_output(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let shown = path.display().to_string();
            let tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write {shown}"))?;
            let mut out = BufWriter::new(tmp);
            write(&mut out).with_context(|| format!("cannot write {shown}"))?;
            let tmp = out.into_inner().map_err(|e| e.into_error()).with_context(|| format!("cannot write {shown}"))?;
            tmp.as_file().sync_all().with_context(|| format!("cannot write {shown}"))?;
            tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot write {shown}"))?;
        }
    }
    Ok(())
}
