//! Running a command: load every input into partials, build the report,
//! render it, and say on stderr what the user should know.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::Context;

use crate::aggregate::{self, Partials, Period};
use crate::cli::{Cli, Command, ReportArgs};
use crate::config::{InputSettings, ReportSettings};
use crate::error::{Error, exit};
use crate::load::{self, Field, InputFormat, source};
use crate::model::{Dimension, RowAccounting};
use crate::pipeline::{Collector, Filter};
use crate::render::{self, RenderOptions};

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Report(args) => report(&args),
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
}

/// Read every input into one set of partials.
pub fn load_partials(
    files: &[String],
    period: Period,
    by: &[Dimension],
    filter: &Filter,
    input: &InputSettings,
) -> Result<Loaded, Error> {
    let mut required = vec![Field::Amount, Field::Date];
    if by.contains(&Dimension::Customer) {
        required.push(Field::Customer);
    }
    if by.contains(&Dimension::Seller) {
        required.push(Field::Seller);
    }
    let mut collector = Collector::new(Partials::new(period, by.len()), by, filter.clone(), input.skip_bad_rows);
    if let Some(path) = &input.rejects {
        let file = File::create(path).map_err(|source| Error::Open { path: path.display().to_string(), source })?;
        collector
            .write_rejects_to(Box::new(BufWriter::new(file)))
            .map_err(|source| Error::Open { path: path.display().to_string(), source })?;
    }
    let mut empty_inputs = Vec::new();
    for path in files {
        if path != "-" && source::detect_format(path, b"") == InputFormat::Excel {
            // Workbooks are read from the file itself.
            let before = collector.accounting.read;
            collector.set_file(path);
            let flow = load::excel::read(
                path,
                input.sheet.as_deref(),
                &input.columns,
                &required,
                &input.read,
                &mut collector,
            )?;
            if collector.accounting.read == before {
                empty_inputs.push(path.clone());
            }
            if flow.is_break() {
                break;
            }
            continue;
        }
        let opened = source::open(path, input.encoding)?;
        let name = opened.name.clone();
        let before = collector.accounting.read;
        collector.set_file(&name);
        let flow = match source::detect_format(path, &opened.head) {
            InputFormat::Csv => {
                load::csv::read(opened, input.delimiter, &input.columns, &required, &input.read, &mut collector)?
            }
            InputFormat::Json => load::json::read(opened, &input.columns, &required, &input.read, &mut collector)?,
            InputFormat::Excel => {
                return Err(Error::File { path: name, message: "a workbook is read from a file with its own name (.xlsx, .xls, .ods), not from standard input or gzip".into() });
            }
        };
        if collector.accounting.read == before {
            empty_inputs.push(name);
        }
        if flow == ControlFlow::Break(()) {
            break;
        }
    }
    let (partials, accounting, skipped) = collector.finish()?;
    Ok(Loaded { partials, accounting, skipped, empty_inputs })
}

/// Say on stderr what happened to the rows that were not used.
pub fn tell(loaded: &Loaded, verbose: bool, err: &mut dyn Write) -> io::Result<()> {
    for name in &loaded.empty_inputs {
        writeln!(err, "aov: note: {name} has no rows")?;
    }
    let a = loaded.accounting;
    if a.rejected > 0 {
        writeln!(err, "aov: warning: skipped {} bad row{}:", a.rejected, if a.rejected == 1 { "" } else { "s" })?;
        for (reason, n) in &loaded.skipped {
            writeln!(err, "aov:   {n} x {reason}")?;
        }
    }
    if verbose {
        writeln!(
            err,
            "aov: rows: {} read, {} used, {} filtered out, {} rejected",
            a.read, a.used, a.filtered, a.rejected
        )?;
    }
    Ok(())
}

fn report(args: &ReportArgs) -> anyhow::Result<i32> {
    let settings = ReportSettings::from_args(args)?;
    let loaded = load_partials(&settings.files, settings.period, &settings.by, &settings.filter, &settings.input)?;
    tell(&loaded, settings.verbose && settings.format != render::Format::Table, &mut io::stderr().lock())?;
    let report = aggregate::build(&loaded.partials, &settings.by).map_err(Error::from)?;
    let options =
        RenderOptions { color: settings.color, accounting: Some(loaded.accounting), excel_sv: settings.excel_sv };
    write_output(settings.output.as_deref(), |out| render::render(&report, settings.format, &options, out))?;
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
