//! Intake: every input read into the core's partials through the
//! collector, then the period window and name folding applied. This is the
//! loader dispatcher (format detection, the fast path or the general
//! reader, the repeated-file check).
//!
//! It sits above `src/load` and `src/pipeline` rather than being
//! `load::read_all`, because the fast CSV path still returns finished
//! `aggregate::Partials` that the collector absorbs (`Collector::absorb`),
//! and because it reads the command's settings: a reader in `src/load`
//! would have to name the collector and the settings. Once the fast path
//! writes to a sink trait of `src/model`, this can move into `src/load`.
//! `engine.rs` sets up the sources that are not files of deals (partials an
//! engine computed, a PostgreSQL query), read by `load::partials` and
//! `load::engine`.

pub mod engine;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;

use crate::aggregate::cells::{Cells, ViewNeeds};
use crate::aggregate::{Partials, Period};
use crate::config::CommonSettings;
use crate::error::Error;
use crate::load::{self, Field, InputFormat, source};
use crate::model::{Dimension, RowAccounting, Tally, fold_name};
use crate::pipeline::{Collector, apply_window};
use crate::status::StatusRule;

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
    load_through(common, partials, by, &[], |c| c).map(|(loaded, ())| loaded)
}

/// `load_partials` through a sink made by `wrap` around the collector, which
/// looks at every deal on its way (`aov breadth`), with the `extra` columns
/// required; what the sink kept comes back beside.
pub fn load_through<S: crate::order_lines::Through>(
    common: &CommonSettings,
    partials: Partials,
    by: &[Dimension],
    extra: &[Field],
    wrap: impl FnOnce(Collector<'static>) -> S,
) -> Result<(Loaded, S::Rest), Error> {
    say_settings_file(common);
    let input = &common.input;
    let mut required = vec![Field::Amount, Field::Date];
    required.extend_from_slice(extra);
    if by.contains(&Dimension::Customer) || !common.filter.customers.is_empty() {
        required.push(Field::Customer);
    }
    if by.contains(&Dimension::Seller) || !common.filter.sellers.is_empty() {
        required.push(Field::Seller);
    }
    if matches!(common.filter.status, StatusRule::Chosen(_)) {
        required.push(Field::Status);
    }
    let view = ViewNeeds::of(&partials);
    let mut collector =
        Collector::new(partials, by, common.filter.clone(), input.skip_bad_rows).with_rates(common.rates.clone());
    if let Some(path) = &input.rejects {
        let file = File::create(path).map_err(|source| Error::Open { path: path.display().to_string(), source })?;
        collector
            .write_rejects_to(Box::new(BufWriter::new(file)))
            .map_err(|source| Error::Open { path: path.display().to_string(), source })?;
    }
    let mut sink = wrap(collector);
    let mut empty_inputs = Vec::new();
    let fast_ok = common.fast_path
        && !S::EACH_DEAL
        && !by.iter().any(|d| matches!(d, Dimension::Segment | Dimension::Column(_)))
        && common.rates.is_none();
    let mut seen_files = SeenFiles::default();
    for path in &common.files {
        if let Some(first) = seen_files.repeat(path) {
            let name = source::display_name(path);
            let message = if name == first {
                format!("{name} is given twice; it is read once")
            } else {
                format!("{name} is the same file as {first}; it is read once")
            };
            load::Sink::warn(sink.collector(), message);
            continue;
        }
        let before = sink.collector().accounting.read;
        if fast_ok {
            if let Some(plan) = load::fast::plan(path, input, &required)? {
                let period = sink.collector().period();
                let filter = &common.filter;
                let opts = load::fast::RunOptions {
                    filter,
                    threads: common.threads,
                    block_size: common.block_size,
                    skip_bad_rows: input.skip_bad_rows,
                    progress: !common.quiet,
                    cells: &|currency| Cells::new(period, by, currency, filter, view),
                };
                match load::fast::run(&plan, &opts)? {
                    load::fast::Outcome::Done(out) => {
                        sink.collector().set_file(&plan.name);
                        // The collector hears of the columns as from the general reader.
                        load::rows::Sink::columns(sink.collector(), &plan.name, plan.columns());
                        let flow = sink.collector().absorb(out.done, out.accounting, &out.tally, out.errors);
                        if sink.collector().accounting.read == before {
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
            sink.collector().set_file(path);
            load::excel::read(path, input.sheet.as_deref(), &input.columns, &required, &input.read, &mut sink)?
        } else if path != "-" && source::detect_format(path, b"") == InputFormat::Parquet {
            sink.collector().set_file(path);
            load::parquet::read(path, &input.columns, &required, &input.read, &mut sink)?
        } else {
            let opened = source::open(path, input.encoding)?;
            sink.collector().set_file(&opened.name);
            match source::detect_format(path, &opened.head) {
                InputFormat::Csv => {
                    load::csv::read(opened, input.delimiter, &input.columns, &required, &input.read, &mut sink)?
                }
                InputFormat::Json => load::json::read(opened, &input.columns, &required, &input.read, &mut sink)?,
                InputFormat::Excel | InputFormat::Parquet => {
                    return Err(Error::File {
                        path: opened.name,
                        message: "a workbook or Parquet file is read from a file with its own name (.xlsx, .ods, .parquet), not from standard input or gzip".into(),
                    });
                }
            }
        };
        if sink.collector().accounting.read == before {
            empty_inputs.push(source::display_name(path));
        }
        if flow.is_break() {
            break;
        }
    }
    let (collector, rest) = sink.into_parts();
    let crate::pipeline::Collected { partials, accounting, skipped, tally, duplicates, warnings, notes } =
        collector.finish()?;
    Ok((Loaded { partials, accounting, skipped, empty_inputs, tally, duplicates, warnings, notes }, rest))
}

/// Say which settings file was read: with `-v` always, and without it
/// when `./aov.toml` was applied without being named.
pub fn say_settings_file(common: &CommonSettings) {
    if let Some(line) = common.settings_file_note() {
        eprintln!("{line}");
    }
}

/// The inputs already read, by device and inode (so a file given twice,
/// through a symlink or a hard link, is one file), and standard input.
#[derive(Default)]
struct SeenFiles {
    ids: std::collections::HashMap<(u64, u64), String>,
    stdin: Option<String>,
}

impl SeenFiles {
    /// The earlier name of the same input, when `path` was read already.
    fn repeat(&mut self, path: &str) -> Option<String> {
        let name = source::display_name(path);
        if path == "-" || path == "/dev/stdin" {
            if let Some(first) = &self.stdin {
                return Some(first.clone());
            }
            self.stdin = Some(name);
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
            let id = (meta.dev(), meta.ino());
            if let Some(first) = self.ids.get(&id) {
                return Some(first.clone());
            }
            self.ids.insert(id, name);
        }
        None
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

/// A `--customer` or `--seller` name that no deal in the selection has
/// (most often a typo): by the groups when the partials are grouped by it,
/// else by the filter's hits (a row the filters before it kept had it:
/// rows left out by date or status, or by the customer filter for a
/// seller, do not count).
/// When no deal at all is left, `tell` says so for every name instead.
pub fn unmatched_names(loaded: &Loaded, common: &CommonSettings, by: &[Dimension]) -> Vec<String> {
    let mut out = Vec::new();
    if loaded.accounting.used == 0 {
        return out;
    }
    // Names no row had, in views not grouped by them.
    let f = &common.filter;
    for (seller, flag, wanted, given) in [
        (false, "--customer", &f.customers, &common.names_given[0]),
        (true, "--seller", &f.sellers, &common.names_given[1]),
    ] {
        let dim = if seller { Dimension::Seller } else { Dimension::Customer };
        if by.contains(&dim) {
            continue;
        }
        let had: Vec<&String> = (0..wanted.len()).filter(|&i| f.hits.hit(seller, i)).map(|i| &wanted[i]).collect();
        for (name, written) in wanted.iter().zip(given) {
            if !had.contains(&name) {
                out.push(format!("no deal in the selection matches {flag} \"{written}\""));
            }
        }
    }
    // Names no deal in the selection has, in views grouped by them.
    for (i, dim) in by.iter().enumerate() {
        let (flag, wanted, given) = match dim {
            Dimension::Customer => ("--customer", &common.filter.customers, &common.names_given[0]),
            Dimension::Seller => ("--seller", &common.filter.sellers, &common.names_given[1]),
            Dimension::Segment | Dimension::Column(_) => continue,
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
pub fn window_and_fold(loaded: &mut Loaded, common: &CommonSettings, period: Period) -> Result<(), Error> {
    apply_window(&mut loaded.partials, period, &common.window, &mut loaded.accounting, &mut loaded.tally);
    if !common.filter.case_sensitive && loaded.partials.may_fold_together() {
        let partials = std::mem::replace(&mut loaded.partials, Partials::new(period, 0));
        loaded.partials = partials.fold_groups(|s| fold_name(s, false))?;
    }
    Ok(())
}
