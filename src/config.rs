//! Validated settings, built once from the command line. Everything after
//! this point can trust them: dates are in order, groupings are distinct,
//! colour is decided, and input options are in the loaders' own types.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::aggregate::Period;
use crate::cli::{ByArg, ColorArg, DateFormatArg, EncodingArg, FormatArg, InputArgs, PeriodArg, ReportArgs};
use crate::error::Error;
use crate::load::{DateOrder, DecimalStyle, Encoding, Field, ReadOptions};
use crate::model::Dimension;
use crate::pipeline::Filter;
use crate::render::Format;

/// How inputs are read.
#[derive(Clone, Debug, Default)]
pub struct InputSettings {
    pub delimiter: Option<u8>,
    pub encoding: Option<Encoding>,
    pub read: ReadOptions,
    /// Columns named by flags.
    pub columns: HashMap<Field, String>,
    pub skip_bad_rows: bool,
    pub rejects: Option<PathBuf>,
}

/// Everything `aov report` needs to run.
#[derive(Clone, Debug)]
pub struct ReportSettings {
    pub files: Vec<String>,
    pub period: Period,
    pub by: Vec<Dimension>,
    pub filter: Filter,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub color: bool,
    pub verbose: bool,
    pub input: InputSettings,
}

impl ReportSettings {
    pub fn from_args(args: &ReportArgs) -> Result<ReportSettings, Error> {
        if let (Some(from), Some(to)) = (args.from, args.to) {
            if from > to {
                return Err(Error::Usage(format!("--from {from} is after --to {to}; the range would be empty")));
            }
        }
        let mut by: Vec<Dimension> = Vec::new();
        for b in &args.by {
            let d = match b {
                ByArg::Customer => Dimension::Customer,
                ByArg::Seller => Dimension::Seller,
            };
            if by.contains(&d) {
                return Err(Error::Usage(format!("--by names {d} twice")));
            }
            by.push(d);
        }
        let stdin_count = args.files.iter().filter(|f| *f == "-").count();
        if stdin_count > 1 {
            return Err(Error::Usage("standard input (-) can be read only once".into()));
        }
        let format = match args.format {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Markdown => Format::Markdown,
        };
        let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
        let color = format == Format::Table
            && match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => to_terminal && colour_allowed_by_env(),
            };
        Ok(ReportSettings {
            files: args.files.clone(),
            period: period(args.period),
            by,
            filter: Filter { from: args.from, to: args.to },
            format,
            output: args.output.clone(),
            color,
            verbose: args.verbose,
            input: input_settings(&args.input)?,
        })
    }
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

pub fn input_settings(a: &InputArgs) -> Result<InputSettings, Error> {
    let mut columns = HashMap::new();
    for (field, name) in [
        (Field::Amount, &a.amount_col),
        (Field::Date, &a.date_col),
        (Field::Customer, &a.customer_col),
        (Field::Seller, &a.seller_col),
        (Field::Currency, &a.currency_col),
        (Field::Order, &a.order_col),
    ] {
        if let Some(n) = name {
            if columns.values().any(|v: &String| v.eq_ignore_ascii_case(n)) {
                return Err(Error::Usage(format!("the column \"{n}\" is named by two --*-col flags")));
            }
            columns.insert(field, n.clone());
        }
    }
    let decimal = if a.decimal_comma {
        Some(DecimalStyle::Comma)
    } else if a.decimal_point {
        Some(DecimalStyle::Point)
    } else {
        None
    };
    let date_order = match a.date_format {
        Some(DateFormatArg::Dmy) => Some(DateOrder::DayFirst),
        Some(DateFormatArg::Mdy) => Some(DateOrder::MonthFirst),
        Some(DateFormatArg::Ymd) | None => None,
    };
    Ok(InputSettings {
        delimiter: a.delimiter,
        encoding: a.encoding.map(|e| match e {
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Windows1252 => Encoding::Windows1252,
            EncodingArg::Utf16 => Encoding::Utf16,
        }),
        read: ReadOptions { decimal, default_decimal: None, date_order },
        columns,
        // Asking for a rejects file means the run goes on past bad rows.
        skip_bad_rows: a.skip_bad_rows || a.rejects.is_some(),
        rejects: a.rejects.clone(),
    })
}
