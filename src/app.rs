//! Running a command: load every input into partials, apply the period
//! window and name folding, build the view, render it, and say on stderr
//! what the user should know.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;

use crate::aggregate::customers::{customers, sellers};
use crate::aggregate::{Partials, Period, Report, build_lazy, build_with};
use crate::cli::{ChartArgs, Cli, Command, CustomersArgs, ExplainArgs, ReportArgs, SellersArgs, SqlArgs};
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
        Command::Explain(args) => explain_cmd(&args),
        Command::Sql(args) => sql_cmd(&args),
        Command::Chart(args) => chart_cmd(&args),
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
    /// Identical rows dropped, and warnings for stderr.
    pub duplicates: u64,
    pub warnings: Vec<String>,
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
    let fast_ok = common.fast_path && !collector.keeps_amounts() && !by.contains(&Dimension::Segment);
    let mut seen_files = SeenFiles::default();
    for path in &common.files {
        if let Some(first) = seen_files.repeat(path) {
            let name = source::display_name(path);
            let message = if name == first {
                format!("{name} is given twice; it is read once")
            } else {
                format!("{name} is the same file as {first}; it is read once")
            };
            load::Sink::warn(&mut collector, message);
            continue;
        }
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
                        let flow = collector.absorb(out.partials, out.accounting, out.errors);
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
    let with_status = std::mem::take(&mut collector.with_status);
    let warnings = std::mem::take(&mut collector.warnings);
    let duplicates = collector.duplicates;
    let (partials, accounting, skipped) = collector.finish()?;
    Ok(Loaded { partials, accounting, skipped, empty_inputs, with_status, duplicates, warnings })
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
    Ok(loaded)
}

/// Apply the period window (counted in `period`), then make spellings of a
/// name that differ only in case one name (unless `--case-sensitive`),
/// shown in the most frequent spelling. Folding is skipped when a cheap
/// check shows no two spellings fold together (always so without `--by`).
fn window_and_fold(loaded: &mut Loaded, common: &CommonSettings, period: Period) -> Result<(), Error> {
    apply_window(&mut loaded.partials, period, &common.window, &mut loaded.accounting);
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
    if common.filter.statuses.is_empty() {
        for file in &loaded.with_status {
            writeln!(err, "aov: note: {file}; deals of every status are counted (choose with --status)")?;
        }
    }
    for w in &loaded.warnings {
        writeln!(err, "aov: warning: {}", crate::error::printable(w))?;
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
    let opts = options(&s.common, &loaded, chart_title(&report, &s.common.files, &range));
    write_output(s.common.output.as_deref(), |out| render::render(&report, s.common.format, &opts, out))?;
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
        last.insert((row.group.to_vec(), row.currency.clone()), row);
    }
    let mut out = Vec::new();
    for row in report.rows.iter().filter(|r| std::ptr::eq(*r, last[&(r.group.to_vec(), r.currency.clone())])) {
        let below = row.aov.as_ref().is_none_or(|a| *a < limit);
        if below {
            let mut who: Vec<String> = row.group.to_vec();
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
    let mut loaded = load_view(&common, Partials::new(Period::Day, by.len()), &by, period)?;
    if dim == Dimension::Segment {
        // The segment column is a user's column: keep its header as written.
        loaded.with_status.clear();
    }
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
    if !f.customers.is_empty() || !f.sellers.is_empty() || !f.statuses.is_empty() || f.exclude_credits {
        return Err(Error::Usage("with --partials or --source, filter in the query instead (a WHERE clause)".into()));
    }
    Ok(())
}

/// Window and name folding on partials from an engine.
fn finish_partials(s: &ReportSettings, partials: Partials, accounting: RowAccounting) -> Result<Loaded, Error> {
    let mut loaded = Loaded {
        partials,
        accounting,
        skipped: BTreeMap::new(),
        empty_inputs: Vec::new(),
        with_status: Vec::new(),
        duplicates: 0,
        warnings: Vec::new(),
    };
    window_and_fold(&mut loaded, &s.common, s.period)?;
    Ok(loaded)
}

/// Run the partials query on PostgreSQL and read the result straight into
/// partials (NUMERIC decoded into exact decimals). The FILEs are tables.
fn load_from_postgres(s: &ReportSettings, url: &str) -> Result<Loaded, Error> {
    check_pushdown(s)?;
    let input = &s.common.input;
    let col = |f: Field, default: &str| input.columns.get(&f).cloned().unwrap_or_else(|| default.to_string());
    let tz = input.read.timezone.map(|t| t.name().to_string());
    let db_err = |e: postgres::Error| Error::Open { path: url.to_string(), source: io::Error::other(e.to_string()) };
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(db_err)?;
    let mut partials = Partials::new(s.period, s.by.len());
    let mut accounting = RowAccounting::default();
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
            accounting.read += deals;
            accounting.used += deals;
            let group: Vec<&str> = names.iter().map(String::as_str).collect();
            partials.add_bucket(&group, &currency, day, &crate::aggregate::Partial { deals, total, rows: deals })?;
        }
    }
    finish_partials(s, partials, accounting)
}

/// The report's partials from files an engine computed.
fn load_engine_partials(s: &ReportSettings) -> Result<Loaded, Error> {
    check_pushdown(s)?;
    let f = &s.common.filter;
    let mut partials = Partials::new(s.period, s.by.len());
    let mut accounting = RowAccounting::default();
    for path in &s.common.files {
        load::partials::read(path, &s.by, (f.from, f.to), &mut partials, &mut accounting)?;
    }
    finish_partials(s, partials, accounting)
}

/// The title of a chart: what is shown, from which files, over which periods.
pub fn chart_title(report: &Report, files: &[String], labels: &[String]) -> String {
    let by = if report.by.is_empty() {
        String::new()
    } else {
        format!(" by {}", report.by.iter().map(|d| d.name()).collect::<Vec<_>>().join(" and "))
    };
    let names: Vec<String> = files
        .iter()
        .map(|f| std::path::Path::new(f).file_name().map_or(f.clone(), |n| n.to_string_lossy().into_owned()))
        .collect();
    let range = match (labels.first(), labels.last()) {
        (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
        (Some(a), _) if !a.is_empty() => format!(", {a}"),
        _ => String::new(),
    };
    format!("AOV per {}{by}: {}{range}", report.period, names.join(", "))
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
        title: chart_title(&report, &common.files, &data.labels),
        top: args.top,
        target: args.target,
        width: args.size.0,
        height: args.size.1,
    };
    let png = common.output.as_ref().is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("png")));
    let bytes =
        if png { render::chart::png(&data, &spec) } else { render::chart::svg(&data, &spec).map(String::into_bytes) };
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

/// Write to stdout, or to `path` atomically: into a temporary file in the
/// same folder, renamed over `path` only once complete (but for a device or
/// a pipe, which is written in place).
pub fn write_output(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
        // A device or a pipe (`-o /dev/stdout`, a FIFO) is written in place:
        // renaming a finished file over it would replace it.
        Some(path) if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
            let shown = path.display().to_string();
            let file =
                std::fs::OpenOptions::new().write(true).open(path).with_context(|| format!("cannot write {shown}"))?;
            let mut out = BufWriter::new(file);
            write(&mut out).with_context(|| format!("cannot write {shown}"))?;
            out.flush().with_context(|| format!("cannot write {shown}"))?;
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
