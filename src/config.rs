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
    ByArg, ColorArg, CommonArgs, DateFormatArg, EncodingArg, FormatArg, InputArgs, PeriodArg, ReportArgs,
};
use crate::error::Error;
use crate::load::{DateOrder, DecimalStyle, Encoding, Field, ReadOptions};
use crate::model::Dimension;
use crate::pipeline::{Filter, Window, fold_name};
use crate::render::Format;

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
    #[serde(default)]
    pub columns: ColumnsConfig,
    #[serde(default)]
    pub report: ReportDefaults,
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

/// How inputs are read.
#[derive(Clone, Debug, Default)]
pub struct InputSettings {
    pub delimiter: Option<u8>,
    pub encoding: Option<Encoding>,
    pub read: ReadOptions,
    /// Columns named by flags or the settings file.
    pub columns: HashMap<Field, String>,
    pub skip_bad_rows: bool,
    pub rejects: Option<PathBuf>,
    /// The spreadsheet sheet to read (default: the first).
    pub sheet: Option<String>,
}

/// What every command shares: inputs, filters, output.
#[derive(Clone, Debug)]
pub struct CommonSettings {
    pub files: Vec<String>,
    pub filter: Filter,
    pub window: Window,
    pub format: Format,
    pub excel_sv: bool,
    pub output: Option<PathBuf>,
    pub color: bool,
    pub verbose: bool,
    pub quiet: bool,
    pub threads: usize,
    pub block_size: usize,
    pub fast_path: bool,
    pub input: InputSettings,
    /// The settings file, its path when one was read.
    pub file: FileConfig,
    pub file_path: Option<PathBuf>,
}

impl CommonSettings {
    pub fn from_args(args: &CommonArgs) -> Result<CommonSettings, Error> {
        let (file, file_path) = FileConfig::load(args.input.config.as_deref())?;
        let f = &args.filter;
        if let (Some(from), Some(to)) = (f.from, f.to) {
            if from > to {
                return Err(Error::Usage(format!("--from {from} is after --to {to}; the range would be empty")));
            }
        }
        if f.as_of.is_some() && !f.complete_only {
            return Err(Error::Usage("--as-of only matters with --complete-only".into()));
        }
        let stdin_count = args.files.iter().filter(|f| *f == "-").count();
        if stdin_count > 1 {
            return Err(Error::Usage("standard input (-) can be read only once".into()));
        }
        let format_arg = match (args.format, &file.report.format) {
            (Some(f), _) => f,
            (None, Some(f)) => setting(&file_path, "format", f)?,
            (None, None) => FormatArg::Table,
        };
        let format = format(format_arg);
        if args.excel_sv && format != Format::Csv {
            return Err(Error::Usage("--excel-sv shapes CSV output; use it with --format csv".into()));
        }
        let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
        let color = format == Format::Table
            && match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => to_terminal && colour_allowed_by_env(),
            };
        let clean = |names: &[String]| -> Vec<String> {
            names
                .iter()
                .map(|n| {
                    let mut s = String::new();
                    crate::load::rows::clean_name(n, &mut s);
                    fold_name(&s, f.case_sensitive)
                })
                .collect()
        };
        let filter = Filter {
            from: f.from,
            to: f.to,
            customers: clean(&f.customer),
            sellers: clean(&f.seller),
            statuses: f.status.iter().map(|s| s.trim().to_lowercase()).collect(),
            exclude_credits: f.exclude_credits,
            case_sensitive: f.case_sensitive,
        };
        let window = Window {
            last: f.last,
            complete_before: f.complete_only.then(|| f.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())),
        };
        Ok(CommonSettings {
            files: args.files.clone(),
            filter,
            window,
            format,
            excel_sv: args.excel_sv,
            output: args.output.clone(),
            color,
            verbose: args.verbose,
            quiet: args.quiet,
            threads: args
                .threads
                .map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |n| n as usize)
                .min(MAX_THREADS),
            block_size: args.block_size.max(16),
            fast_path: !args.no_fast_path,
            input: input_settings(&args.input, &file, &file_path)?,
            file,
            file_path,
        })
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

/// Everything `aov report` needs to run.
#[derive(Clone, Debug)]
pub struct ReportSettings {
    pub common: CommonSettings,
    pub period: Period,
    pub by: Vec<Dimension>,
    pub stats: bool,
    pub target: Option<Decimal>,
    pub fail_below: Option<Decimal>,
}

impl ReportSettings {
    pub fn from_args(args: &ReportArgs) -> Result<ReportSettings, Error> {
        let common = CommonSettings::from_args(&args.common)?;
        let by_args: Vec<ByArg> = if !args.by.is_empty() {
            args.by.clone()
        } else {
            let names = common.file.report.by.clone().unwrap_or_default();
            names.iter().map(|n| setting::<ByArg>(&common.file_path, "by", n)).collect::<Result<_, _>>()?
        };
        let by = dimensions(&by_args)?;
        let period = common.period(args.period)?;
        Ok(ReportSettings { period, by, stats: args.stats, target: args.target, fail_below: args.fail_below, common })
    }
}

pub fn dimensions(by: &[ByArg]) -> Result<Vec<Dimension>, Error> {
    let mut out: Vec<Dimension> = Vec::new();
    for b in by {
        let d = match b {
            ByArg::Customer => Dimension::Customer,
            ByArg::Seller => Dimension::Seller,
        };
        if out.contains(&d) {
            return Err(Error::Usage(format!("--by names {d} twice")));
        }
        out.push(d);
    }
    Ok(out)
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

pub fn input_settings(a: &InputArgs, file: &FileConfig, file_path: &Option<PathBuf>) -> Result<InputSettings, Error> {
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
    Ok(InputSettings {
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
            seen_rows: Default::default(),
        },
        columns,
        // Asking for a rejects file means the run goes on past bad rows.
        skip_bad_rows: a.skip_bad_rows || a.rejects.is_some() || file.skip_bad_rows.unwrap_or(false),
        rejects: a.rejects.clone(),
        sheet: a.sheet.clone().or(file.sheet.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
