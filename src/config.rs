//! Validated settings, built once from the command line and the team's
//! settings file (`aov.toml` in the current folder, or `--config FILE`).
//! A flag beats the file, the file beats the built-in default. Everything
//! after this point can trust the settings: dates are in order, groupings
//! are distinct, colour is decided, and input options are in the loaders'
//! own types.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Deserialize;

use crate::aggregate::Period;
use rust_decimal::Decimal;

use crate::cli::{
    BreadthArgs, ByArg, ChartCommonArgs, ColorArg, CommonArgs, DateFormatArg, EncodingArg, FilterArgs, FormatArg,
    InputArgs, LangArg, OutputArgs, PeriodArg, QuotesArgs, ReportArgs, TalkArgs,
};
use crate::error::Error;
use crate::load::{DateOrder, DecimalStyle, Encoding, Field, InputOptions, ReadOptions};
use crate::model::Dimension;
use crate::model::{Filter, Window, fold_name};
use crate::render::Format;
use crate::render::lang::Lang;

/// The language: the flag, else the locale (when it names a language aov
/// speaks), else the settings file, else English.
pub fn decide_lang(flag: Option<LangArg>, locale: Option<Lang>, file: Option<LangArg>) -> Lang {
    let of = |a: LangArg| match a {
        LangArg::Sv => Lang::Sv,
        LangArg::En => Lang::En,
    };
    flag.map(of).or(locale).or(file.map(of)).unwrap_or_default()
}

/// The most parsing threads: more only cost memory (a block buffer
/// each) and thread start-up; `--threads 100000` is taken as this many.
pub const MAX_THREADS: usize = 64;

/// The settings file looked for in the current folder.
pub const CONFIG_FILE: &str = "aov.toml";

/// The settings file: how one export is read, and default report options.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
    /// `comma` or `point`.
    pub decimal: Option<String>,
    /// `dmy`, `mdy` or `ymd`.
    pub date_format: Option<String>,
    pub timezone: Option<String>,
    pub sheet: Option<String>,
    pub skip_bad_rows: Option<bool>,
    /// A known export layout, or `none` (as `--export-layout`); the key
    /// `layout` (its name before `--layout` became the chart's) still works.
    #[serde(alias = "layout")]
    pub export_layout: Option<String>,
    /// The language of the output, `sv` or `en` (as `--lang`), used when
    /// the environment's locale names neither.
    pub lang: Option<String>,
    /// Convert every deal into this currency, at the rates of `rates`.
    pub currency: Option<String>,
    pub rates: Option<PathBuf>,
    #[serde(default)]
    pub columns: ColumnsConfig,
    #[serde(default)]
    pub report: ReportDefaults,
    #[serde(default)]
    pub status: StatusWords,
}

/// `[status]`: words of the user's own for each status class, added to the
/// built-in vocabulary (`won = ["Levererad"]`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusWords {
    #[serde(default)]
    pub won: Vec<String>,
    #[serde(default)]
    pub lost: Vec<String>,
    #[serde(default)]
    pub open: Vec<String>,
    #[serde(default)]
    pub void: Vec<String>,
}

impl StatusWords {
    /// The built-in vocabulary with these words added.
    pub fn vocabulary(&self) -> crate::status::Vocabulary {
        use crate::status::StatusClass;
        let mut v = crate::status::Vocabulary::builtin();
        for (class, words) in [
            (StatusClass::Won, &self.won),
            (StatusClass::Lost, &self.lost),
            (StatusClass::Open, &self.open),
            (StatusClass::Void, &self.void),
        ] {
            v.extend(class, words.iter().map(String::as_str));
        }
        v
    }
}

/// `[columns]`: headers of the columns, as `--amount-col` and friends.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnsConfig {
    pub amount: Option<String>,
    pub date: Option<String>,
    pub customer: Option<String>,
    pub seller: Option<String>,
    pub currency: Option<String>,
    pub order: Option<String>,
    pub status: Option<String>,
}

/// `[report]`: default options of `aov report`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDefaults {
    pub period: Option<String>,
    pub by: Option<Vec<String>>,
    pub format: Option<String>,
}

impl FileConfig {
    /// `--config FILE`, else `./aov.toml` when it exists, else nothing.
    pub fn load(explicit: Option<&Path>) -> Result<(FileConfig, Option<PathBuf>), Error> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None if Path::new(CONFIG_FILE).is_file() => PathBuf::from(CONFIG_FILE),
            None => return Ok((FileConfig::default(), None)),
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|source| Error::Open { path: path.display().to_string(), source })?;
        let config: FileConfig = toml::from_str(&text)
            .map_err(|e| Error::Usage(format!("{}: {}", path.display(), e.message().trim_end().replace('\n', "; "))))?;
        Ok((config, Some(path)))
    }
}

/// Parse a setting from the file with the same names as its flag.
fn setting<T: ValueEnum>(file: &Option<PathBuf>, key: &str, value: &str) -> Result<T, Error> {
    T::from_str(value, true).map_err(|_| {
        let valid: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        let file = file.as_ref().map_or(CONFIG_FILE.to_string(), |p| p.display().to_string());
        Error::Usage(format!("{file}: {key} = \"{value}\" is not one of: {}", valid.join(", ")))
    })
}

/// What every command shares: inputs, filters, output.
#[derive(Clone, Debug)]
pub struct CommonSettings {
    pub files: Vec<String>,
    pub filter: Filter,
    /// Convert every deal into one currency at dated rates (`--currency
    /// --rates`).
    pub rates: Option<std::sync::Arc<crate::load::rates::RateTable>>,
    /// The `--status` values as given, for the footer.
    pub filter_status_values: Vec<String>,
    /// `--customer` and `--seller` names as written, in the order of
    /// `filter.customers` and `filter.sellers` (for messages).
    pub names_given: [Vec<String>; 2],
    pub window: Window,
    pub format: Format,
    pub excel_sv: bool,
    /// The language of the formats people read: `--lang`, the locale,
    /// `lang` in aov.toml, else English.
    pub lang: Lang,
    /// The file to write; `None` is standard output (also for `-o -`).
    pub output: Option<PathBuf>,
    /// `aov chart`: a picture, which has no footer for the row accounting.
    pub chart: bool,
    /// `aov chart`: a PNG picture (for `-o FILE.png`) rather than SVG.
    pub png: bool,
    pub color: bool,
    /// The terminal's width when the table is printed on one (a wider
    /// table is made to fit); `None` for files and pipes.
    pub width: Option<usize>,
    pub verbose: bool,
    pub quiet: bool,
    pub threads: usize,
    pub block_size: usize,
    pub fast_path: bool,
    pub input: InputOptions,
    /// The settings file, its path when one was read.
    pub file: FileConfig,
    pub file_path: Option<PathBuf>,
    /// True when the settings file was named with `--config` (not found
    /// in the current folder).
    pub file_named: bool,
}

/// The shared flags of a view, whichever struct of `cli` holds them.
pub trait SharedArgs {
    fn files(&self) -> &[String];
    fn filter(&self) -> &FilterArgs;
    fn input(&self) -> &InputArgs;
    fn talk(&self) -> &TalkArgs;
    /// The output flags; `None` for a chart, which has only `-o`.
    fn output(&self) -> Option<&OutputArgs>;
    fn output_path(&self) -> Option<&Path>;
    fn is_chart(&self) -> bool {
        self.output().is_none()
    }
}

impl SharedArgs for CommonArgs {
    fn files(&self) -> &[String] {
        &self.files
    }
    fn filter(&self) -> &FilterArgs {
        &self.filter
    }
    fn input(&self) -> &InputArgs {
        &self.input
    }
    fn talk(&self) -> &TalkArgs {
        &self.output.talk
    }
    fn output(&self) -> Option<&OutputArgs> {
        Some(&self.output)
    }
    fn output_path(&self) -> Option<&Path> {
        self.output.output.as_deref()
    }
}

impl SharedArgs for ChartCommonArgs {
    fn files(&self) -> &[String] {
        &self.files
    }
    fn filter(&self) -> &FilterArgs {
        &self.filter
    }
    fn input(&self) -> &InputArgs {
        &self.input
    }
    fn talk(&self) -> &TalkArgs {
        &self.output.talk
    }
    fn output(&self) -> Option<&OutputArgs> {
        None
    }
    fn output_path(&self) -> Option<&Path> {
        self.output.output.as_deref()
    }
}

impl CommonSettings {
    pub fn from_args(args: &impl SharedArgs) -> Result<CommonSettings, Error> {
        CommonSettings::from_args_with(args, false)
    }

    /// `from_args`, where `as_of_alone` lets `--as-of` stand without
    /// `--complete-only` (a view with a use of its own for it).
    pub fn from_args_with(args: &impl SharedArgs, as_of_alone: bool) -> Result<CommonSettings, Error> {
        let (file, file_path) = FileConfig::load(args.input().config.as_deref())?;
        let f = args.filter();
        if let (Some(from), Some(to)) = (f.from, f.to) {
            if from > to {
                return Err(Error::Usage(format!("--from {from} is after --to {to}; the range would be empty")));
            }
        }
        if f.as_of.is_some() && !f.complete_only && !as_of_alone {
            return Err(Error::Usage("--as-of only matters with --complete-only".into()));
        }
        let stdin_count = args.files().iter().filter(|f| *f == "-").count();
        if stdin_count > 1 {
            return Err(Error::Usage("standard input (-) can be read only once".into()));
        }
        // `-o -` is standard output.
        let output = args.output_path().filter(|p| *p != Path::new("-")).map(Path::to_path_buf);
        let rejects = args.input().rejects.as_deref();
        check_outputs(args.files(), output.as_deref(), rejects)?;
        let (format, excel_sv, color_arg) = match args.output() {
            Some(o) => {
                let from_file =
                    file.report.format.as_ref().map(|f| setting::<FormatArg>(&file_path, "format", f)).transpose()?;
                let format = format(decide_format(output.as_deref(), o.format, from_file, o.excel_sv)?);
                (format, o.excel_sv, o.color.unwrap_or(ColorArg::Auto))
            }
            None => (Format::Table, false, ColorArg::Never),
        };
        if let Some(p) = output.as_deref().filter(|_| args.is_chart()) {
            if let Some(f) = format_of_extension(p) {
                return Err(Error::Usage(format!(
                    "-o {} asks for {}, but a chart is a picture: name an .svg or .png file",
                    p.display(),
                    format_name(f)
                )));
            }
        }
        let png = args.is_chart() && output.as_deref().is_some_and(|p| extension(p).as_deref() == Some("png"));
        let to_terminal = output.is_none() && std::io::stdout().is_terminal();
        let color = format == Format::Table
            && match color_arg {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => to_terminal && colour_allowed_by_env(),
            };
        let clean = |names: &[String]| -> Vec<String> {
            names
                .iter()
                .map(|n| {
                    let mut s = String::new();
                    crate::model::clean_name(n, &mut s);
                    fold_name(&s, f.case_sensitive)
                })
                .collect()
        };
        let (customers, sellers) = (clean(&f.customer), clean(&f.seller));
        let rates = rate_table(args.input(), &file, &file_path, [("-o", output.as_deref()), ("--rejects", rejects)])?;
        let filter = Filter {
            from: f.from,
            to: f.to,
            hits: std::sync::Arc::new(crate::model::NameHits::new(customers.len(), sellers.len())),
            customers,
            sellers,
            status: crate::status::StatusRule::from_values(&f.status),
            vocabulary: file.status.vocabulary(),
            include_credits: f.include_credits,
            case_sensitive: f.case_sensitive,
        };
        let window = Window {
            last: f.last,
            complete_before: f.complete_only.then(|| f.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())),
        };
        let lang = decide_lang(
            args.talk().lang,
            Lang::from_env(|k| std::env::var(k).ok()),
            file.lang.as_deref().map(|l| setting::<LangArg>(&file_path, "lang", l)).transpose()?,
        );
        let input = args.input();
        Ok(CommonSettings {
            files: args.files().to_vec(),
            filter,
            rates,
            filter_status_values: f.status.clone(),
            names_given: [
                f.customer.iter().map(|n| n.trim().to_string()).collect(),
                f.seller.iter().map(|n| n.trim().to_string()).collect(),
            ],
            window,
            format,
            excel_sv,
            lang,
            output,
            chart: args.is_chart(),
            png,
            color,
            width: (format == Format::Table && to_terminal)
                .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
                .flatten(),
            verbose: args.talk().verbose,
            quiet: args.talk().quiet,
            threads: input
                .threads
                .map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |n| n as usize)
                .min(MAX_THREADS),
            block_size: input.block_size.unwrap_or(1 << 20).max(16),
            fast_path: !input.no_fast_path,
            input: input_settings(input, &file, &file_path)?,
            file,
            file_named: input.config.is_some(),
            file_path,
        })
    }

    /// The line `-v` prints about the settings file (or the note printed
    /// without `-v` when `./aov.toml` was applied without being named).
    pub fn settings_file_note(&self) -> Option<String> {
        match (&self.file_path, self.file_named, self.verbose) {
            (Some(p), true, true) => Some(format!("aov: settings read from {} (--config)", p.display())),
            (Some(p), false, _) => Some(format!(
                "aov: note: settings read from ./{} in the current folder (--config FILE names another)",
                p.display()
            )),
            _ => None,
        }
    }

    /// The period a command counts in: the flag, the file, or month.
    pub fn period(&self, flag: Option<PeriodArg>) -> Result<Period, Error> {
        let arg = match (flag, &self.file.report.period) {
            (Some(p), _) => p,
            (None, Some(p)) => setting(&self.file_path, "period", p)?,
            (None, None) => PeriodArg::Month,
        };
        let p = period(arg);
        if p == Period::All && (self.window.last.is_some() || self.window.complete_before.is_some()) {
            return Err(Error::Usage(
                "--last and --complete-only count periods; use them with a --period other than all".into(),
            ));
        }
        Ok(p)
    }
}

/// The rates of `--currency CODE --rates FILE` (or `currency` and `rates`
/// in the settings file, a relative path there read from the file's folder).
/// No output may be the rates file (it is an input too).
fn rate_table(
    input: &InputArgs,
    file: &FileConfig,
    file_path: &Option<PathBuf>,
    outputs: [(&str, Option<&Path>); 2],
) -> Result<Option<std::sync::Arc<crate::load::rates::RateTable>>, Error> {
    let from_file = |p: &PathBuf| match file_path.as_ref().and_then(|f| f.parent()) {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p.clone(),
    };
    let currency = input.currency.clone().or_else(|| file.currency.clone());
    let rates = input.rates.clone().or_else(|| file.rates.as_ref().map(from_file));
    match (currency, rates) {
        (None, None) => Ok(None),
        (Some(c), _) if c.trim().len() != 3 || !c.trim().bytes().all(|b| b.is_ascii_alphabetic()) => {
            Err(Error::Usage(format!("--currency \"{c}\" is not a currency code; give three letters such as SEK")))
        }
        (Some(c), Some(r)) => {
            for (flag, out) in outputs {
                if out.is_some_and(|o| same_file(o, &r)) {
                    return Err(Error::Usage(format!(
                        "{flag} {} is the --rates file: writing it would destroy it; choose another file",
                        r.display()
                    )));
                }
            }
            Ok(Some(std::sync::Arc::new(crate::load::rates::read(&r, &c)?)))
        }
        (Some(_), None) => Err(Error::Usage("--currency needs --rates FILE (or rates in aov.toml)".into())),
        (None, Some(_)) => Err(Error::Usage("--rates needs --currency CODE, the currency to convert into".into())),
    }
}

/// Everything `aov report` needs to run.
#[derive(Clone, Debug)]
pub struct ReportSettings {
    pub common: CommonSettings,
    pub period: Period,
    pub by: Vec<Dimension>,
    /// The group columns' names, as the output names them.
    pub by_names: Vec<String>,
    pub stats: bool,
    pub target: Option<Decimal>,
    pub fail_below: Option<Decimal>,
    /// Compare each period with the same period a year earlier.
    pub yoy: bool,
    /// `--source URL`: run the partials query on PostgreSQL.
    pub source: Option<String>,
    /// `--partials`: the inputs are partials an engine computed.
    pub partials: bool,
}

impl ReportSettings {
    pub fn from_args(args: &ReportArgs) -> Result<ReportSettings, Error> {
        let mut common = CommonSettings::from_args(&args.common)?;
        let (by, by_names) = if !args.by.is_empty() {
            group_by(&args.by, &mut common)?
        } else {
            let names = common.file.report.by.clone().unwrap_or_default();
            let file = common.file_path.as_ref().map_or(CONFIG_FILE.to_string(), |p| p.display().to_string());
            group_by(&names, &mut common).map_err(|e| match e {
                Error::Usage(m) => Error::Usage(format!("{file}: by = {names:?}: {m}")),
                other => other,
            })?
        };
        let period = common.period(args.period)?;
        if args.yoy && period == Period::All {
            return Err(Error::Usage("--yoy compares periods; use it with a --period other than all".into()));
        }
        Ok(ReportSettings {
            period,
            by,
            by_names,
            stats: args.stats,
            target: args.target,
            fail_below: args.fail_below,
            yoy: args.yoy,
            source: args.source.clone(),
            partials: args.partials,
            common,
        })
    }
}

/// Everything `aov quotes` needs to run.
#[derive(Clone, Debug)]
pub struct QuotesSettings {
    pub common: CommonSettings,
    pub period: Period,
    pub by: Vec<Dimension>,
    /// The group columns' names, as the output names them.
    pub by_names: Vec<String>,
    /// The target hit rate and the one below which the run fails, in percent.
    pub target: Option<Decimal>,
    pub fail_below: Option<Decimal>,
}

impl QuotesSettings {
    pub fn from_args(args: &QuotesArgs) -> Result<QuotesSettings, Error> {
        let mut common = CommonSettings::from_args(&args.common)?;
        if !args.common.filter.status.is_empty() {
            return Err(Error::Usage(
                "aov quotes counts every status class (won, lost, open; void left out); leave out --status, or name words in [status] in aov.toml".into(),
            ));
        }
        let (by, by_names) = group_by(&args.by, &mut common)?;
        let period = common.period(args.period)?;
        Ok(QuotesSettings { by_names, by, period, target: args.target, fail_below: args.fail_below, common })
    }
}

/// The extension of `path`, lower-cased.
fn extension(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// The format a file's extension asks for, if it names one.
pub fn format_of_extension(path: &Path) -> Option<FormatArg> {
    Some(match extension(path)?.as_str() {
        "csv" => FormatArg::Csv,
        "tsv" | "tab" => FormatArg::Tsv,
        "json" => FormatArg::Json,
        "jsonl" | "ndjson" => FormatArg::Jsonl,
        "md" | "markdown" => FormatArg::Markdown,
        "html" | "htm" => FormatArg::Html,
        _ => return None,
    })
}

fn format_name(f: FormatArg) -> String {
    f.to_possible_value().map_or_else(|| format!("{f:?}"), |v| v.get_name().to_string())
}

/// The output format: `--format`, else the extension of `-o FILE`, else
/// CSV for `--excel-sv`, else the settings file, else the table. A
/// `--format` (or `--excel-sv`) that disagrees with the extension is a
/// usage error naming both.
pub fn decide_format(
    output: Option<&Path>,
    flag: Option<FormatArg>,
    from_file: Option<FormatArg>,
    excel_sv: bool,
) -> Result<FormatArg, Error> {
    if let Some(path) = output {
        if matches!(extension(path).as_deref(), Some("svg" | "png")) {
            return Err(Error::Usage(format!(
                "-o {} asks for a picture; draw one with `aov chart ... -o {}`",
                path.display(),
                path.display()
            )));
        }
    }
    let by_extension = output.and_then(|p| format_of_extension(p).map(|f| (p, f)));
    if let (Some(flag), Some((path, ext))) = (flag, by_extension) {
        if flag != ext {
            return Err(Error::Usage(format!(
                "--format {} disagrees with -o {}, which is written as {}; leave out one of them",
                format_name(flag),
                path.display(),
                format_name(ext)
            )));
        }
    }
    let chosen = flag.or(by_extension.map(|(_, f)| f)).or(excel_sv.then_some(FormatArg::Csv)).or(from_file);
    let chosen = chosen.unwrap_or(FormatArg::Table);
    if excel_sv && chosen != FormatArg::Csv {
        let why = match (flag, by_extension) {
            (Some(f), _) => format!("--format {}", format_name(f)),
            (None, Some((p, _))) => format!("-o {}", p.display()),
            (None, None) => format!("format = \"{}\" in the settings file", format_name(chosen)),
        };
        return Err(Error::Usage(format!("--excel-sv writes CSV, but {why} asks for {}", format_name(chosen))));
    }
    Ok(chosen)
}

/// Whether two paths name one file: the same device and inode when both
/// exist (so also through symbolic and hard links), else the same place.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        (Err(_), Err(_)) => place(a) == place(b),
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => place(a) == place(b),
        _ => false,
    }
}

/// Where a path that may not exist yet would be: its folder resolved.
fn place(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.join(p.file_name().unwrap_or(p.as_os_str()))
}

/// No output may destroy an input: refuse `-o` or `--rejects` naming one of
/// the inputs (also through a link), and `-o` naming the rejects file.
/// Checked before anything is read or created.
pub fn check_outputs(files: &[String], output: Option<&Path>, rejects: Option<&Path>) -> Result<(), Error> {
    for (flag, out) in [("-o", output), ("--rejects", rejects)] {
        let Some(out) = out else { continue };
        for input in files.iter().filter(|f| *f != "-") {
            if same_file(out, Path::new(input)) {
                return Err(Error::Usage(format!(
                    "{flag} {} is the input {input}: writing it would destroy the input; choose another file",
                    out.display()
                )));
            }
        }
    }
    if let (Some(o), Some(r)) = (output, rejects) {
        if same_file(o, r) {
            return Err(Error::Usage(format!(
                "-o {} and --rejects {} are the same file; give them different names",
                o.display(),
                r.display()
            )));
        }
    }
    Ok(())
}

/// What `aov breadth` needs: the shared settings (with the product column
/// named, when given), the period, and the one dimension of `--by`.
#[derive(Clone, Debug)]
pub struct BreadthSettings {
    pub common: CommonSettings,
    pub period: Period,
    pub by: Option<Dimension>,
}

impl BreadthSettings {
    pub fn from_args(args: &BreadthArgs) -> Result<BreadthSettings, Error> {
        let mut common = CommonSettings::from_args(&args.common)?;
        if let Some(name) = &args.product_col {
            common.input.columns.insert(Field::Product, name.clone());
        }
        let period = common.period(args.period)?;
        let by = args.by.map(|b| match b {
            ByArg::Customer => Dimension::Customer,
            ByArg::Seller => Dimension::Seller,
        });
        Ok(BreadthSettings { common, period, by })
    }
}

/// `aov customers`: the common settings and, without a register, the
/// trend window and its as-of day (`--as-of` given, else the last deal
/// day of the data).
pub struct CustomersSettings {
    pub common: CommonSettings,
    pub period: Period,
    pub trend: Option<(crate::aggregate::potential::Span, Option<chrono::NaiveDate>)>,
    /// The customer, or the column `--by` names, and its column's name.
    pub dim: Dimension,
    pub name: String,
    /// `--register FILE` and its potential column.
    pub register: Option<String>,
    pub potential_col: Option<String>,
    pub top: Option<usize>,
}

impl CustomersSettings {
    pub fn from_args(args: &crate::cli::CustomersArgs) -> Result<CustomersSettings, Error> {
        let common = CommonSettings::from_args_with(&args.common, true)?;
        let period = common.period(args.period)?;
        let span = crate::aggregate::potential::Span::parse(&args.window)
            .map_err(|e| Error::Usage(format!("--window {e}")))?;
        if args.register.is_some() && args.common.filter.as_of.is_some() && !args.common.filter.complete_only {
            return Err(Error::Usage("--as-of sets the trend's end, which --register does not show".into()));
        }
        let trend = args.register.is_none().then_some((span, args.common.filter.as_of));
        let mut common = common;
        // `--by product` ranks products the way customers are ranked.
        let (dim, name) = one_group(args.by.as_deref(), Dimension::Customer, &mut common)?;
        if args.register.is_some() && dim != Dimension::Customer {
            return Err(Error::Usage(format!("--register joins customers with the register; leave out --by {name}")));
        }
        Ok(CustomersSettings {
            common,
            period,
            trend,
            dim,
            name,
            register: args.register.clone(),
            potential_col: args.potential_col.clone(),
            top: args.top,
        })
    }
}

/// `aov sellers`: the common settings, the group in the seller's place
/// (`--by`) and the register of `--register`.
pub struct SellersSettings {
    pub common: CommonSettings,
    pub period: Period,
    /// The seller, or the column `--by` names, and its column's name.
    pub dim: Dimension,
    pub name: String,
    pub register: Option<String>,
    pub potential_col: Option<String>,
}

impl SellersSettings {
    pub fn from_args(args: &crate::cli::SellersArgs) -> Result<SellersSettings, Error> {
        let mut common = CommonSettings::from_args(&args.common)?;
        let period = common.period(args.period)?;
        // `--by region` puts the region in the seller's place.
        let (dim, name) = one_group(args.by.as_deref(), Dimension::Seller, &mut common)?;
        if dim == Dimension::Customer {
            return Err(Error::Usage(
                "aov sellers counts the customers each seller worked; to rank customers use aov customers".into(),
            ));
        }
        Ok(SellersSettings {
            common,
            period,
            dim,
            name,
            register: args.register.clone(),
            potential_col: args.potential_col.clone(),
        })
    }
}
/// The one group of `customers --by` or `sellers --by`: `default` without
/// the flag, else customer, seller or a column by its header, with the
/// name the output gives its column.
pub fn one_group(
    by: Option<&str>,
    default: Dimension,
    common: &mut CommonSettings,
) -> Result<(Dimension, String), Error> {
    let Some(name) = by else { return Ok((default, default.name().to_string())) };
    let list: Vec<String> = name.split(',').map(str::to_string).collect();
    if list.len() > 1 {
        return Err(Error::Usage(format!("--by names one column here, not {}", list.len())));
    }
    let (dims, names) = group_by(&list, common)?;
    match (dims.as_slice(), names.as_slice()) {
        ([d], [n]) => Ok((*d, n.clone())),
        _ => Err(Error::Usage("--by names one column here".into())),
    }
}

/// Everything `aov explain` needs to run, validated before reading: what
/// a segment is, and whether one seller is compared against the team.
#[derive(Clone, Debug)]
pub struct ExplainSettings {
    /// With a segment column inserted for `--by COLUMN`, and without the
    /// `--seller` filter when that seller is the subject.
    pub common: CommonSettings,
    pub period: Period,
    /// The segment dimension, and its name as written (for the header).
    pub dim: Dimension,
    pub segment: String,
    /// `--seller NAME` with `--by customer`: that seller (folded) against
    /// the team, and the name as written.
    pub subject: Option<String>,
    pub subject_shown: Option<String>,
    /// --base-from, --base-to, --current-from, --current-to as given.
    pub ranges: [Option<chrono::NaiveDate>; 4],
    /// --base and --current labels as given (read once the periods are known).
    pub base: Option<String>,
    pub current: Option<String>,
    pub top: Option<u32>,
}

impl ExplainSettings {
    pub fn from_args(args: &crate::cli::ExplainArgs) -> Result<ExplainSettings, Error> {
        let mut common = CommonSettings::from_args(&args.common)?;
        let period = common.period(args.period)?;
        let segment = args.by.trim().to_string();
        let dim = match segment.to_lowercase().as_str() {
            "customer" => Dimension::Customer,
            "seller" => Dimension::Seller,
            _ => {
                common.input.columns.insert(Field::Segment, segment.clone());
                Dimension::Segment
            }
        };
        let subject = match common.filter.sellers.len() {
            0 => None,
            1 if dim == Dimension::Customer => Some(std::mem::take(&mut common.filter.sellers).remove(0)),
            1 => return Err(Error::Usage("--seller compares a seller against the team with --by customer".into())),
            _ => return Err(Error::Usage("explain compares one --seller at a time".into())),
        };
        if subject.is_some() && (args.base.is_some() || args.base_from.is_some() || args.base_to.is_some()) {
            return Err(Error::Usage(
                "with --seller the base is the whole team in the current period; leave out --base".into(),
            ));
        }
        let subject_shown = subject
            .as_ref()
            .map(|s| args.common.filter.seller.first().map(|n| n.trim().to_string()).unwrap_or_else(|| s.clone()));
        Ok(ExplainSettings {
            common,
            period,
            dim,
            segment,
            subject,
            subject_shown,
            ranges: [args.base_from, args.base_to, args.current_from, args.current_to],
            base: args.base.clone(),
            current: args.current.clone(),
            top: args.top,
        })
    }

    /// The dimensions the partials are grouped by: the segment, and the
    /// seller when one is compared against the team.
    pub fn by(&self) -> Vec<Dimension> {
        if self.subject.is_some() { vec![self.dim, Dimension::Seller] } else { vec![self.dim] }
    }

    /// True when the sides are day ranges (partials then by day).
    pub fn by_days(&self) -> bool {
        self.ranges.iter().any(Option::is_some)
    }

    /// What the sides were asked to be, for `aggregate::sides`.
    pub fn asked(&self) -> crate::aggregate::sides::Asked<'_> {
        crate::aggregate::sides::Asked {
            period: self.period,
            ranges: self.ranges,
            base: self.base.as_deref(),
            current: self.current.as_deref(),
            against_team: self.subject.is_some(),
        }
    }
}

/// Output columns of the views that a group column may not be named as.
const OWN_COLUMNS: [&str; 5] = ["period", "currency", "deals", "total", "aov"];

/// The groups of `--by`: `customer`, `seller` (as today), or columns of
/// the input by their headers, matched as `aov explain --by` matches it
/// (the first is named to the readers as the segment, the others as
/// `Field::Column`). Comes back with the output column names: the
/// dimension's name, or the header as written in `--by`.
pub fn group_by(names: &[String], common: &mut CommonSettings) -> Result<(Vec<Dimension>, Vec<String>), Error> {
    let groups = Groups::parse(names)?;
    for (i, header) in groups.columns().into_iter().enumerate() {
        let field = match i {
            0 => Field::Segment,
            n => Field::Column((n - 1) as u8),
        };
        common.input.columns.insert(field, header.to_string());
    }
    Ok((groups.by, groups.names))
}

/// The most columns of the input `--by` takes at once (besides customer
/// and seller).
pub const MAX_COLUMNS: usize = 16;

/// `--by` read: the dimensions in order and the output name of each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Groups {
    pub by: Vec<Dimension>,
    pub names: Vec<String>,
}

impl Groups {
    /// Read `--by` (a list of names); `customer` and `seller` in any letter
    /// case are those dimensions, anything else a column's header.
    pub fn parse(names: &[String]) -> Result<Groups, Error> {
        let mut g = Groups::default();
        for name in names {
            let name = name.trim();
            let lower = name.to_lowercase();
            if name.is_empty() {
                return Err(Error::Usage(
                    "--by names an empty column; write --by customer, --by seller or a header of the input, e.g. --by product".into(),
                ));
            }
            if OWN_COLUMNS.contains(&lower.as_str()) {
                return Err(Error::Usage(format!(
                    "--by {name}: the output has a {lower} column of its own; rename the input's column or name another"
                )));
            }
            if g.names.iter().any(|s| s.to_lowercase() == lower) {
                return Err(Error::Usage(format!("--by names {name} twice")));
            }
            let chosen = g.columns().len();
            let dim = match lower.as_str() {
                "customer" => Dimension::Customer,
                "seller" => Dimension::Seller,
                _ if chosen == 0 => Dimension::Segment,
                _ if chosen < MAX_COLUMNS => Dimension::Column((chosen - 1) as u8),
                _ => {
                    return Err(Error::Usage(format!(
                        "--by takes at most {MAX_COLUMNS} columns besides customer and seller; \"{name}\" is one too many"
                    )));
                }
            };
            g.by.push(dim);
            let chosen_column = matches!(dim, Dimension::Segment | Dimension::Column(_));
            g.names.push(if chosen_column { name.to_string() } else { dim.name().to_string() });
        }
        Ok(g)
    }

    /// The headers of the columns of the user's choice `--by` names, in
    /// order (the segment first).
    pub fn columns(&self) -> Vec<&str> {
        chosen_columns(&self.by, &self.names)
    }
}

/// Of `--by`'s dimensions and their output names, the names of the columns
/// of the user's choice, in order (the segment first).
pub fn chosen_columns<'a>(by: &[Dimension], names: &'a [String]) -> Vec<&'a str> {
    by.iter()
        .zip(names)
        .filter(|(d, _)| matches!(d, Dimension::Segment | Dimension::Column(_)))
        .map(|(_, n)| n.as_str())
        .collect()
}

/// NO_COLOR (any non-empty value) and TERM=dumb turn colour off.
fn colour_allowed_by_env() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !no_color && !dumb
}

pub fn period(p: PeriodArg) -> Period {
    match p {
        PeriodArg::Day => Period::Day,
        PeriodArg::Week => Period::Week,
        PeriodArg::Month => Period::Month,
        PeriodArg::Quarter => Period::Quarter,
        PeriodArg::Half => Period::Half,
        PeriodArg::Year => Period::Year,
        PeriodArg::All => Period::All,
    }
}

pub fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Csv => Format::Csv,
        FormatArg::Tsv => Format::Tsv,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Html => Format::Html,
    }
}

pub fn input_settings(a: &InputArgs, file: &FileConfig, file_path: &Option<PathBuf>) -> Result<InputOptions, Error> {
    let c = &file.columns;
    let mut columns = HashMap::new();
    for (field, flag, from_file) in [
        (Field::Amount, &a.amount_col, &c.amount),
        (Field::Date, &a.date_col, &c.date),
        (Field::Customer, &a.customer_col, &c.customer),
        (Field::Seller, &a.seller_col, &c.seller),
        (Field::Currency, &a.currency_col, &c.currency),
        (Field::Order, &a.order_col, &c.order),
        (Field::Status, &a.status_col, &c.status),
    ] {
        if let Some(n) = flag.as_ref().or(from_file.as_ref()) {
            if columns.values().any(|v: &String| v.eq_ignore_ascii_case(n)) {
                return Err(Error::Usage(format!("the column \"{n}\" is named for two fields")));
            }
            columns.insert(field, n.clone());
        }
    }
    let decimal = if a.decimal_comma {
        Some(DecimalStyle::Comma)
    } else if a.decimal_point {
        Some(DecimalStyle::Point)
    } else {
        match file.decimal.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None => None,
            Some("comma") => Some(DecimalStyle::Comma),
            Some("point") => Some(DecimalStyle::Point),
            Some(other) => {
                let f = file_path.as_ref().map_or(CONFIG_FILE.into(), |p| p.display().to_string());
                return Err(Error::Usage(format!("{f}: decimal = \"{other}\" is not one of: comma, point")));
            }
        }
    };
    let date_format = match (a.date_format, &file.date_format) {
        (Some(d), _) => Some(d),
        (None, Some(d)) => Some(setting::<DateFormatArg>(file_path, "date-format", d)?),
        _ => None,
    };
    let date_order = match date_format {
        Some(DateFormatArg::Dmy) => Some(DateOrder::DayFirst),
        Some(DateFormatArg::Mdy) => Some(DateOrder::MonthFirst),
        Some(DateFormatArg::Ymd) | None => None,
    };
    let encoding = match (a.encoding, &file.encoding) {
        (Some(e), _) => Some(e),
        (None, Some(e)) => Some(setting::<EncodingArg>(file_path, "encoding", e)?),
        _ => None,
    };
    let delimiter = match (a.delimiter, &file.delimiter) {
        (Some(d), _) => Some(d),
        (None, Some(d)) => Some(crate::cli::parse_delimiter(d).map_err(Error::Usage)?),
        _ => None,
    };
    let timezone = match a.timezone.as_ref().or(file.timezone.as_ref()) {
        None => None,
        Some(name) => Some(name.parse::<chrono_tz::Tz>().map_err(|_| {
            Error::Usage(format!("\"{name}\" is not an IANA time zone name; try for example Europe/Stockholm or UTC"))
        })?),
    };
    Ok(InputOptions {
        delimiter,
        encoding: encoding.map(|e| match e {
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Windows1252 => Encoding::Windows1252,
            EncodingArg::Utf16 => Encoding::Utf16,
        }),
        read: ReadOptions {
            decimal,
            default_decimal: None,
            date_order,
            timezone,
            drop_duplicate_rows: a.drop_duplicate_rows,
            layout: match a.export_layout.as_deref().or(file.export_layout.as_deref()).map(str::trim) {
                None => crate::load::recognize::LayoutChoice::Auto,
                Some(n) if n.eq_ignore_ascii_case("none") => crate::load::recognize::LayoutChoice::Off,
                Some(n) if crate::load::layout::by_key(n).is_some() => {
                    crate::load::recognize::LayoutChoice::Named(n.to_string())
                }
                Some(n) => {
                    return Err(Error::Usage(format!(
                        "--export-layout {n}: no such layout; the layouts are: {}",
                        crate::load::layout::keys()
                    )));
                }
            },
            amount_expr: a.amount.clone(),
            vocabulary: Some(std::sync::Arc::new(file.status.vocabulary())),
            seen_rows: Default::default(),
        },
        columns,
        // Asking for a rejects file means the run goes on past bad rows.
        skip_bad_rows: a.skip_bad_rows || a.rejects.is_some() || file.skip_bad_rows.unwrap_or(false),
        rejects: a.rejects.clone(),
        sheet: a.sheet.clone().or(file.sheet.clone()),
    })
}

/// The chart layout of `aov chart --layout`.
pub fn chart_layout(arg: crate::cli::ChartLayoutArg) -> crate::render::chart::Layout {
    use crate::cli::ChartLayoutArg as A;
    use crate::render::chart::Layout;
    match arg {
        A::Auto => Layout::Auto,
        A::Single => Layout::Single,
        A::SmallMultiples => Layout::SmallMultiples,
    }
}

/// `aov chart`: the common settings, the period (a time axis: never
/// `all`), the groups and how the picture is laid out.
pub struct ChartSettings {
    pub common: CommonSettings,
    pub period: Period,
    pub by: Vec<Dimension>,
    pub by_names: Vec<String>,
    pub top: usize,
    pub target: Option<Decimal>,
    pub size: Option<(u32, u32)>,
    pub layout: crate::render::chart::Layout,
}

impl ChartSettings {
    pub fn from_args(args: &crate::cli::ChartArgs) -> Result<ChartSettings, Error> {
        let mut common = CommonSettings::from_args(&args.common)?;
        let period = common.period(args.period)?;
        if period == Period::All {
            return Err(Error::Usage("a chart needs a time axis; use a --period other than all".into()));
        }
        let (by, by_names) = group_by(&args.by, &mut common)?;
        Ok(ChartSettings {
            common,
            period,
            by,
            by_names,
            top: args.top,
            target: args.target,
            size: args.size,
            layout: chart_layout(args.layout),
        })
    }
}

/// `aov sql`: the partials query for an engine, from its flags (and the
/// won words of aov.toml's `[status]`).
pub struct SqlSettings {
    pub dialect: crate::sql::Dialect,
    pub query: crate::sql::Query,
}

impl SqlSettings {
    pub fn from_args(args: &crate::cli::SqlArgs) -> Result<SqlSettings, Error> {
        let groups = Groups::parse(&args.by)?;
        let q = crate::sql::Query {
            table: args.table.clone(),
            date: args.date_col.clone(),
            amount: args.amount_col.clone(),
            customer: Some(args.customer_col.clone()),
            seller: Some(args.seller_col.clone()),
            currency: args.currency_col.clone(),
            order: args.order_col.clone(),
            segment: groups.columns().into_iter().map(str::to_string).collect(),
            by: groups.by,
            from: args.from,
            to: args.to,
            timezone: args.timezone.clone(),
            include_credits: args.include_credits,
            period: args.period.map_or(Period::Day, period),
            status: match &args.status_col {
                // The won words of aov.toml's [status] too, as the readers use them.
                Some(col) => {
                    let vocabulary = FileConfig::load(None)?.0.status.vocabulary();
                    crate::status::StatusRule::from_values(&args.status)
                        .counted_words(&vocabulary)
                        .map(|w| (col.clone(), w))
                }
                None => None,
            },
        };
        if let Some(tz) = &q.timezone {
            tz.parse::<chrono_tz::Tz>().map_err(|_| {
                Error::Usage(format!("\"{tz}\" is not an IANA time zone name; try for example Europe/Stockholm"))
            })?;
        }
        Ok(SqlSettings { dialect: args.dialect, query: q })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_reads_customer_seller_and_columns_in_order() {
        let names = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let g = Groups::parse(&names(&[" Region", "SELLER", "product ", "Kanal"])).unwrap();
        use Dimension::*;
        assert_eq!(g.by, [Segment, Seller, Column(0), Column(1)]);
        assert_eq!(g.names, ["Region", "seller", "product", "Kanal"]);
        assert_eq!(g.columns(), ["Region", "product", "Kanal"]);
        let g = Groups::parse(&names(&["Customer"])).unwrap();
        assert!(g.columns().is_empty());
        assert_eq!((g.by, g.names), (vec![Customer], names(&["customer"])));
        assert!(Groups::parse(&names(&["customer", "CUSTOMER"])).unwrap_err().to_string().contains("twice"));
        assert!(Groups::parse(&names(&[" "])).unwrap_err().to_string().contains("empty column"));
        assert!(Groups::parse(&names(&["Total"])).unwrap_err().to_string().contains("a total column of its own"));
    }

    fn decide(
        out: Option<&str>,
        flag: Option<FormatArg>,
        file: Option<FormatArg>,
        sv: bool,
    ) -> Result<FormatArg, String> {
        decide_format(out.map(Path::new), flag, file, sv).map_err(|e| e.to_string())
    }

    #[test]
    fn the_format_comes_from_the_flag_the_extension_excel_sv_the_file_then_table() {
        use FormatArg::*;
        assert_eq!(decide(None, None, None, false), Ok(Table));
        assert_eq!(decide(None, None, Some(Json), false), Ok(Json));
        assert_eq!(decide(Some("a.CSV"), None, Some(Json), false), Ok(Csv));
        assert_eq!(decide(Some("r/a.ndjson"), None, None, false), Ok(Jsonl));
        assert_eq!(decide(Some("a.htm"), None, None, false), Ok(Html));
        assert_eq!(decide(Some("a.md"), None, None, false), Ok(Markdown));
        assert_eq!(decide(Some("a.tsv"), Some(Tsv), None, false), Ok(Tsv));
        assert_eq!(decide(Some("a.txt"), None, None, false), Ok(Table));
        assert_eq!(decide(Some("a.txt"), Some(Csv), None, false), Ok(Csv));
        assert_eq!(decide(Some("report"), None, Some(Markdown), false), Ok(Markdown));
        assert_eq!(decide(None, None, Some(Json), true), Ok(Csv));
        assert_eq!(decide(Some("a.csv"), None, None, true), Ok(Csv));
    }

    #[test]
    fn disagreements_are_usage_errors_naming_both() {
        use FormatArg::*;
        assert_eq!(
            decide(Some("a.csv"), Some(Json), None, false),
            Err("--format json disagrees with -o a.csv, which is written as csv; leave out one of them".into())
        );
        assert_eq!(
            decide(Some("a.json"), None, None, true),
            Err("--excel-sv writes CSV, but -o a.json asks for json".into())
        );
        assert_eq!(
            decide(None, Some(Tsv), None, true),
            Err("--excel-sv writes CSV, but --format tsv asks for tsv".into())
        );
        assert!(decide(Some("a.png"), None, None, false).unwrap_err().contains("aov chart"));
    }

    #[test]
    fn an_output_path_that_does_not_exist_yet_is_compared_by_place() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("r.csv");
        let b = dir.path().join(".").join("r.csv");
        assert!(same_file(&a, &b));
        assert!(!same_file(&a, &dir.path().join("s.csv")));
        std::fs::write(&a, "x").unwrap();
        // One exists, the other not: different files.
        assert!(!same_file(&a, &dir.path().join("s.csv")));
        assert!(same_file(&a, &b));
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = toml::from_str::<FileConfig>("delimter = \";\"").unwrap_err();
        assert!(err.message().contains("unknown field `delimter`"), "{}", err.message());
        let err = toml::from_str::<FileConfig>("[columns]\nbelopp = \"x\"").unwrap_err();
        assert!(err.message().contains("unknown field `belopp`"), "{}", err.message());
    }

    #[test]
    fn a_swedish_crm_config_reads() {
        let c: FileConfig = toml::from_str(
            "delimiter = \";\"\ndecimal = \"comma\"\ndate-format = \"dmy\"\ntimezone = \"Europe/Stockholm\"\n\
             [columns]\namount = \"Ordervärde exkl. moms\"\ndate = \"Fakturadatum\"\n[report]\nperiod = \"week\"\nby = [\"customer\"]\n",
        )
        .unwrap();
        let s = input_settings(&InputArgs::default(), &c, &None).unwrap();
        assert_eq!(s.delimiter, Some(b';'));
        assert_eq!(s.read.decimal, Some(DecimalStyle::Comma));
        assert_eq!(s.read.date_order, Some(DateOrder::DayFirst));
        assert_eq!(s.columns[&Field::Amount], "Ordervärde exkl. moms");
        assert_eq!(c.report.by, Some(vec!["customer".to_string()]));
    }
}
