//! The command line, declared with clap and nothing else: commands, flags
//! and their value lists. Validation and defaults that depend on each other
//! live in `config.rs`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "aov",
    version,
    about = "Average order value (AOV) of closed deals: per period, customer and seller, with the trend.",
    long_about = "Average order value (AOV) of closed deals: the total value of the deals divided by their \
number, per period, per customer and per seller, with the change from the period before.\n\n\
Amounts are exact decimals from input to output and are rounded only when printed, half away \
from zero, like a spreadsheet's ROUND.",
    after_help = "Exit status: 0 success, 2 usage error, 3 below --fail-below, 65 bad data, 66 an input cannot be opened, 1 anything else.",
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// AOV per period (and per customer or seller) with the change from the previous period.
    #[command(
        after_help = "Examples:\n  aov report deals.csv --period month\n  aov report deals.csv --by customer --period week --from 2013-01-01 --to 2013-06-30\n  aov report jan.csv feb.csv --by seller --format csv > aov.csv\n  aov report deals.csv --last 2 --complete-only --fail-below 1500   # for cron"
    )]
    Report(ReportArgs),
    /// Customers ranked by total, with their share of revenue and ABC class.
    #[command(
        after_help = "Examples:\n  aov customers deals.csv --top 20\n  aov customers deals.csv --from 2013-01-01 --format csv\n\nEvery amount of every customer is held in memory (for the median)."
    )]
    Customers(CustomersArgs),
    /// One row per seller: AOV, customers worked, and the share of deals with A, B and C customers.
    #[command(
        after_help = "Examples:\n  aov sellers deals.csv\n  aov sellers deals.csv --status won --format markdown\n\nEvery amount of every seller is held in memory (for the median)."
    )]
    Sellers(SellersArgs),
    /// Why did AOV change? Split the change between two periods into mix and rate, segment by segment.
    #[command(
        after_help = "Examples:\n  aov explain deals.csv --by customer                       # the last two months with deals\n  aov explain deals.csv --by seller --base 2013-02 --current 2013-03\n  aov explain deals.csv --by product --period quarter --top 5\n  aov explain deals.csv --by customer --period all --base-from 2012-01-01 --base-to 2012-06-30 --current-from 2013-01-01 --current-to 2013-06-30\n  aov explain deals.csv --by customer --seller Eva           # Eva against the whole team"
    )]
    Explain(ExplainArgs),
    /// Offer breadth: distinct products per deal, and what deals of more products are worth (per seller or customer with --by).
    #[command(
        after_help = "Examples:\n  aov breadth fixtures/lines.csv\n  aov breadth fixtures/lines.csv --by seller --period quarter\n  aov breadth lines.csv --product-col Artikelgrupp --order-col Ordernr\n\nWhile reading, one key and the set of distinct products of every order are held in memory (a repeated product costs nothing), and every deal's amount (for the medians)."
    )]
    Breadth(BreadthArgs),
    /// Print the query that computes exact partials on your own engine (Spark, Trino, BigQuery, Snowflake, PostgreSQL, DuckDB, ClickHouse).
    #[command(
        after_help = "Examples:\n  aov sql --dialect postgres --table sales.deals --by customer > partials.sql\n  psql -f partials.sql --csv > partials.csv && aov report --partials partials.csv --by customer --period month\n  aov sql --dialect duckdb --table deals --period week > weekly.sql   # one row per ISO week: read with --period week or all"
    )]
    Sql(SqlArgs),
    /// Draw the AOV trend: one line per group, deals as bars, the target as a line (SVG, or PNG with -o FILE.png).
    #[command(
        after_help = "Examples:\n  aov chart deals.csv -o aov.svg\n  aov chart deals.csv --by seller --top 5 --target 4000 -o sellers.png"
    )]
    Chart(ChartArgs),
    /// Quotes and the hit rate: won, lost and open quotes per period, and the value of the won against the lost.
    #[command(
        after_help = "Examples:\n  aov quotes quotes.csv\n  aov quotes quotes.csv --by seller --period quarter\n  aov quotes quotes.csv --last 1 --complete-only --fail-below 25%   # for cron\n\nNeeds a status column: won, lost, open and void are classed by the same vocabulary as the report's (void ones are left out)."
    )]
    Quotes(QuotesArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on standard output.
    #[command(
        after_help = "Examples:\n  aov completions bash > ~/.local/share/bash-completion/completions/aov\n  aov completions zsh > ~/.zfunc/_aov\n  aov completions fish > ~/.config/fish/completions/aov.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of aov and every subcommand on standard output.
    #[command(after_help = "Example:\n  aov man > ~/.local/share/man/man1/aov.1 && man aov")]
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// What every view takes: inputs, which deals, how to read, where to write.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Input files (CSV, JSON, Excel; `-` reads standard input). Several files are read as one data set.
    #[arg(value_name = "FILE", required = true, help_heading = None)]
    pub files: Vec<String>,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where and how a view is written (the tables and machine formats).
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Write to FILE instead of standard output (`-`), atomically: a cron job never sees half a report. The format follows the extension (.csv .tsv .json .jsonl .ndjson .md .html).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format (default: from the -o extension, else table).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<FormatArg>,

    /// CSV that Swedish Excel opens right by double-click: `;` between fields, decimal comma, UTF-8 with a BOM (implies --format csv).
    #[arg(long)]
    pub excel_sv: bool,

    /// When to colour the table: auto (on a terminal, unless NO_COLOR or TERM=dumb), always, never.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,

    #[command(flatten)]
    pub talk: TalkArgs,
}

/// What a run says on stderr.
#[derive(Debug, Args, Default)]
pub struct TalkArgs {
    /// Print row accounting (read, used, filtered, rejected) and the settings file read on stderr.
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// Print no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Language of tables, Markdown, HTML, charts and sentences: sv (Swedish words, 1 234,56) or en (default: from LC_ALL, LC_MESSAGES or LANG, then `lang` in aov.toml, else en). csv, tsv, json and jsonl never change.
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,
}

/// The shared options of `aov chart`: a picture has no format, colour or
/// CSV dialect to choose.
#[derive(Debug, Args)]
pub struct ChartCommonArgs {
    /// Input files (CSV, JSON, Excel; `-` reads standard input). Several files are read as one data set.
    #[arg(value_name = "FILE", required = true, help_heading = None)]
    pub files: Vec<String>,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub output: ChartOutputArgs,
}

/// Where a chart is written.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Output")]
pub struct ChartOutputArgs {
    /// Write the chart to FILE (atomically): PNG for FILE.png, else SVG. Default: SVG on standard output (`-`).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub talk: TalkArgs,
}

/// Which deals count.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Which deals")]
pub struct FilterArgs {
    /// First day to include (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub from: Option<NaiveDate>,

    /// Last day to include (YYYY-MM-DD), inclusive.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub to: Option<NaiveDate>,

    /// Only this customer (repeatable; letter case and spacing do not matter).
    #[arg(long, value_name = "NAME")]
    pub customer: Vec<String>,

    /// Only this seller (repeatable; letter case and spacing do not matter). With `explain --by customer`: compare this seller against the team.
    #[arg(long, value_name = "NAME")]
    pub seller: Vec<String>,

    /// Only deals with this status, exactly (repeatable; needs a status column); `all` counts every status. Default: closed sales (won, paid, completed...) by the built-in vocabulary.
    #[arg(long, value_name = "VALUE")]
    pub status: Vec<String>,

    /// Count credit notes (deals below zero) too; by default they are left out and counted on stderr.
    #[arg(long, conflicts_with = "exclude_credits")]
    pub include_credits: bool,

    /// Leave out credit notes (the default; kept so that scripts using it still run).
    #[arg(long, hide_short_help = true)]
    pub exclude_credits: bool,

    /// Keep only the last N periods (of --period), ending with the latest period that has deals.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub last: Option<u32>,

    /// The day "now" is, for --complete-only (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub as_of: Option<NaiveDate>,

    /// Leave out the still-running period that contains --as-of (and any later one).
    #[arg(long)]
    pub complete_only: bool,

    /// Keep names that differ only in letter case apart.
    #[arg(long)]
    pub case_sensitive: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "What to report")]
pub struct ReportArgs {
    /// Length of a period (default: month); `all` makes one bucket of the whole selection.
    #[arg(long, short = 'p', value_enum)]
    pub period: Option<PeriodArg>,

    /// Group by customer, seller, or columns of the input by their headers (`product`, `region,seller`, `region,product`), in the order given.
    #[arg(long, value_name = "COLUMN", value_delimiter = ',')]
    pub by: Vec<String>,

    /// Add the distribution of deal sizes: median, p25, p75, p90, min, max, top_deal_pct (holds every amount in memory).
    #[arg(long)]
    pub stats: bool,

    /// Add a target_gap column (aov - AMOUNT); the table marks the periods that reached it.
    #[arg(long, value_name = "AMOUNT", value_parser = parse_money)]
    pub target: Option<rust_decimal::Decimal>,

    /// Add aov_yoy_change and aov_yoy_change_pct: the AOV against the same period one year earlier (ISO week: the same week number; day: the same date).
    #[arg(long)]
    pub yoy: bool,

    /// Exit with status 3 when the AOV of the last period (of any group with --by) is below AMOUNT or it has no deals; with --complete-only that is the last complete period before --as-of.
    #[arg(long, value_name = "AMOUNT", value_parser = parse_money)]
    pub fail_below: Option<rust_decimal::Decimal>,

    /// The FILEs are partials an engine computed with the query `aov sql` prints (CSV: day, the --by columns, currency, deals, total).
    #[arg(long)]
    pub partials: bool,

    /// Run the partials query on this PostgreSQL database (postgresql://...); the FILEs are then table names.
    #[arg(long, value_name = "URL", conflicts_with = "partials")]
    pub source: Option<String>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "What to report")]
pub struct QuotesArgs {
    /// Length of a period (default: month); `all` makes one bucket of the whole selection.
    #[arg(long, short = 'p', value_enum)]
    pub period: Option<PeriodArg>,

    /// Group by customer, seller, or columns of the input by their headers (`product`, `region,seller`, `region,product`), in the order given.
    #[arg(long, value_name = "COLUMN", value_delimiter = ',')]
    pub by: Vec<String>,

    /// Add a target_gap column (hit_rate_pct - PCT, in percentage points), e.g. 30 or 30%.
    #[arg(long, value_name = "PCT", value_parser = parse_pct)]
    pub target: Option<rust_decimal::Decimal>,

    /// Exit with status 3 when the hit rate of the last period (of any group with --by) is below PCT or nothing was decided in it, e.g. 25%.
    #[arg(long, value_name = "PCT", value_parser = parse_pct)]
    pub fail_below: Option<rust_decimal::Decimal>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "What to report")]
pub struct CustomersArgs {
    /// Keep the first N customers (shares stay relative to all customers).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Rank the values of another column the way customers are ranked: `seller`, or a column of the input by its header (`product`, `region`).
    #[arg(long, value_name = "COLUMN")]
    pub by: Option<String>,

    /// A customer register (CSV or Excel: the customer and a size such as turnover or employees): adds potential, sales_per_potential and potential_class, and lists register customers without deals.
    #[arg(long, value_name = "FILE")]
    pub register: Option<String>,

    /// The register's size column. Default: found by its header (potential, omsättning, antal anställda, turnover, employees, revenue...).
    #[arg(long, value_name = "NAME", requires = "register")]
    pub potential_col: Option<String>,

    /// The period --last and --complete-only count in (default: month).
    #[arg(long, short = 'p', value_enum)]
    pub period: Option<PeriodArg>,

    /// The trend window (without --register): trend sets each customer's total in the last LENGTH up to the as-of day (--as-of, else the last deal day) against the LENGTH before it; e.g. 12m, 6m, 90d, 8w, 1y.
    #[arg(long, value_name = "LENGTH", default_value = "12m", conflicts_with = "register")]
    pub window: String,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "What to report")]
pub struct ExplainArgs {
    /// The segment: customer, seller, or any column of the input by its header (product, region...).
    #[arg(long, value_name = "COLUMN", required = true)]
    pub by: String,

    /// Length of the periods compared (default: month).
    #[arg(long, short = 'p', value_enum)]
    pub period: Option<PeriodArg>,

    /// The base period, as labelled in the report (2013-02, 2013-W07, 2013-Q1...). Default: the one before --current with deals.
    #[arg(long, value_name = "PERIOD")]
    pub base: Option<String>,

    /// The current period. Default: the last period with deals.
    #[arg(long, value_name = "PERIOD")]
    pub current: Option<String>,

    /// First day of the base side (with --period all).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub base_from: Option<NaiveDate>,
    /// Last day of the base side (with --period all).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub base_to: Option<NaiveDate>,
    /// First day of the current side (with --period all).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub current_from: Option<NaiveDate>,
    /// Last day of the current side (with --period all).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub current_to: Option<NaiveDate>,

    /// Show the N largest segments and fold the rest into one `other` row.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub top: Option<u32>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "What to report")]
pub struct ChartArgs {
    /// Length of a period (default: month).
    #[arg(long, short = 'p', value_enum)]
    pub period: Option<PeriodArg>,

    /// One line per customer, seller, or value of a column of the input by its header (`product`; `region,seller` for one line per pair).
    #[arg(long, value_name = "COLUMN", value_delimiter = ',')]
    pub by: Vec<String>,

    /// Lines for the N largest groups by total; the rest are one "other" line.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top: usize,

    /// Draw the target AOV as a line.
    #[arg(long, value_name = "AMOUNT", value_parser = parse_money)]
    pub target: Option<rust_decimal::Decimal>,

    /// Picture size in pixels, WIDTHxHEIGHT. Default 1000x560, taller for small multiples of many groups (rows of 200 px).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,

    /// How the lines share the picture: auto (small multiples above four lines), single (every line in one plot) or small-multiples (one small plot per line on the same AOV scale, each with its own deals as bars).
    #[arg(long, value_enum, value_name = "LAYOUT", default_value = "auto")]
    pub layout: ChartLayoutArg,

    #[command(flatten)]
    pub common: ChartCommonArgs,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s.split_once('x').ok_or("write the size as WIDTHxHEIGHT, e.g. 1000x560")?;
    match (w.parse::<u32>(), h.parse::<u32>()) {
        (Ok(w), Ok(h)) if (200..=8000).contains(&w) && (150..=8000).contains(&h) => Ok((w, h)),
        _ => Err("the size must be between 200x150 and 8000x8000 pixels".into()),
    }
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The engine's SQL dialect.
    #[arg(long, value_enum)]
    pub dialect: crate::sql::Dialect,

    /// The table (or view) holding the deals, e.g. sales.deals.
    #[arg(long, value_name = "NAME")]
    pub table: String,

    /// Group by customer, seller, or columns of the table by their names (`product`, `region,product`), as `aov report --by`.
    #[arg(long, value_name = "COLUMN", value_delimiter = ',')]
    pub by: Vec<String>,

    /// First day to include (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub from: Option<NaiveDate>,

    /// Last day to include (YYYY-MM-DD), inclusive.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub to: Option<NaiveDate>,

    /// The date column is a timestamp: take its calendar date in this IANA zone.
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// The column holding the amount.
    #[arg(long, value_name = "COLUMN", default_value = "amount")]
    pub amount_col: String,
    /// The column holding the deal date.
    #[arg(long, value_name = "COLUMN", default_value = "date")]
    pub date_col: String,
    /// The column holding the customer.
    #[arg(long, value_name = "COLUMN", default_value = "customer")]
    pub customer_col: String,
    /// The column holding the seller.
    #[arg(long, value_name = "COLUMN", default_value = "seller")]
    pub seller_col: String,
    /// The column holding the currency code (none by default).
    #[arg(long, value_name = "COLUMN")]
    pub currency_col: Option<String>,
    /// The column holding an order id: lines sharing one are summed to one deal first.
    #[arg(long, value_name = "COLUMN")]
    pub order_col: Option<String>,
    /// The column holding the deal status: only closed sales (the built-in won words) count, or those named with --status.
    #[arg(long, value_name = "COLUMN")]
    pub status_col: Option<String>,
    /// Only deals with this status (repeatable; needs --status-col); `all` counts every status.
    #[arg(long, value_name = "VALUE", requires = "status_col")]
    pub status: Vec<String>,
    /// Count credit notes (deals below zero, after summing an order's lines); by default the query leaves them out.
    #[arg(long)]
    pub include_credits: bool,
    /// Bucket the days in the engine: one row per period (dated by its first day: the Monday of an ISO week, the first of a month, quarter, half or year) and group; `all` one row per group. Default: day. Read such partials with the same --period or a coarser one that nests (month partials as quarter, half, year or all; week partials as week or all).
    #[arg(long, short = 'p', value_enum, value_name = "PERIOD")]
    pub period: Option<PeriodArg>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "What to report")]
pub struct BreadthArgs {
    /// The product (or product group) column. Default: found by its header (product, article, artikel, produkt, item, sku, category, produktgrupp...).
    #[arg(long, value_name = "NAME")]
    pub product_col: Option<String>,

    /// One row per seller (or customer): avg_products, multi_product_pct, single_aov, multi_aov.
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,

    /// Length of a period (default: month); `all` makes one bucket of the whole selection.
    #[arg(long, short = 'p', value_enum)]
    pub period: Option<PeriodArg>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "What to report")]
pub struct SellersArgs {
    /// The period --last and --complete-only count in (default: month).
    #[arg(long, short = 'p', value_enum)]
    pub period: Option<PeriodArg>,

    /// One row per value of a column of the input (by its header, e.g. `region`) in the seller's place: its AOV, customers worked and the share of deals with A, B and C customers.
    #[arg(long, value_name = "COLUMN")]
    pub by: Option<String>,

    /// A customer register (as for `aov customers --register`): adds potential_a_deals_pct, each seller's share of deals with customers of potential class A.
    #[arg(long, value_name = "FILE")]
    pub register: Option<String>,

    /// The register's size column (default: found by its header).
    #[arg(long, value_name = "NAME", requires = "register")]
    pub potential_col: Option<String>,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// How inputs are read.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Read settings from FILE (TOML) instead of ./aov.toml; flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// Convert zoned timestamps to this IANA time zone's calendar date (e.g. Europe/Stockholm).
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// Make the report from the good rows; count skipped rows on stderr by reason.
    #[arg(long)]
    pub skip_bad_rows: bool,

    /// Drop rows identical in every field to an earlier row (counted as filtered out, and said on stderr).
    #[arg(long)]
    pub drop_duplicate_rows: bool,

    /// Write every skipped row to FILE as CSV (file, line, reason, the original fields).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// Field delimiter (`,` `;` `tab` `|`); detected from the header line by default.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// The sheet of a workbook (.xlsx, .xls, .ods) to read; the first by default.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Text encoding; detected by default (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else Windows-1252).
    #[arg(long, value_enum, value_name = "NAME")]
    pub encoding: Option<EncodingArg>,

    /// Amounts use a decimal comma (`1 234,50`), whatever the file suggests.
    #[arg(long, conflicts_with = "decimal_point")]
    pub decimal_comma: bool,

    /// Amounts use a decimal point (`1,234.50`), whatever the file suggests.
    #[arg(long)]
    pub decimal_point: bool,

    /// Day/month order of dates like 03/04/2013: `dmy` (day first) or `mdy` (month first).
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_format: Option<DateFormatArg>,

    /// The column holding the amount (by header).
    #[arg(long, value_name = "HEADER")]
    pub amount_col: Option<String>,
    /// The column holding the deal date.
    #[arg(long, value_name = "HEADER")]
    pub date_col: Option<String>,
    /// The column holding the customer.
    #[arg(long, value_name = "HEADER")]
    pub customer_col: Option<String>,
    /// The column holding the seller.
    #[arg(long, value_name = "HEADER")]
    pub seller_col: Option<String>,
    /// The column holding the currency code.
    #[arg(long, value_name = "HEADER")]
    pub currency_col: Option<String>,
    /// The column holding an order id: rows sharing one are lines of one order.
    #[arg(long, value_name = "HEADER")]
    pub order_col: Option<String>,
    /// The column holding the deal status (won, lost...).
    #[arg(long, value_name = "HEADER")]
    pub status_col: Option<String>,

    /// Convert every deal into this currency (e.g. SEK) at the rate of its deal date, from --rates FILE.
    #[arg(long, value_name = "CODE", requires = "rates")]
    pub currency: Option<String>,

    /// Exchange rates by date: CSV date,currency,rate[,unit], the Riksbank's CSV download, or the ECB's eurofxref-hist.csv.
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,

    /// Threads that parse big CSV files (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,

    /// Bytes per block of the parallel reader (for tests; default 1 MiB).
    #[arg(long, hide = true)]
    pub block_size: Option<usize>,

    /// Read every file with the general reader (for tests and comparisons).
    #[arg(long, hide = true)]
    pub no_fast_path: bool,

    /// Read files as this known export layout (shopify, woocommerce, stripe, paypal, adyen, salesforce, hubspot, pipedrive, dynamics, fortnox, visma), or `none` to read every file as a plain table; recognised by the headers by default.
    #[arg(long, value_name = "NAME")]
    pub export_layout: Option<String>,
    /// The amount as sums, differences and products of columns and decimal constants, computed exactly, e.g. 'Quantity*UnitPrice' or 'price+freight_value' (quote headers with spaces: '"Unit Price"*Qty').
    #[arg(long, value_name = "EXPR", conflicts_with = "amount_col")]
    pub amount: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Day,
    Week,
    Month,
    Quarter,
    Half,
    Year,
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Customer,
    Seller,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Markdown,
    /// A self-contained HTML page: the chart and the table.
    Html,
}

/// `aov chart --layout`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChartLayoutArg {
    /// Small multiples above four lines, else one plot.
    Auto,
    /// Every line in one plot.
    Single,
    /// One small plot per line.
    SmallMultiples,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Swedish.
    Sv,
    /// English.
    En,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "windows-1252", alias = "cp1252", alias = "latin1")]
    Windows1252,
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DateFormatArg {
    /// Day first: 15/03/2013.
    Dmy,
    /// Month first: 03/15/2013.
    Mdy,
    /// Year first: 2013-03-15 (the default reading; accepted for completeness).
    Ymd,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::load::date::parse_date(s, None)
        .ok()
        .filter(|_| s.len() == 10 && s.as_bytes()[4] == b'-')
        .ok_or_else(|| format!("\"{s}\" is not a date of the form YYYY-MM-DD, e.g. 2013-06-30"))
}

pub fn parse_money(s: &str) -> Result<rust_decimal::Decimal, String> {
    crate::load::amount::parse_amount(s, crate::load::DecimalStyle::Point)
        .map_err(|e| format!("{e}; give an amount such as 1500 or 1500.50"))
}

/// A percentage such as `25`, `25%` or `25.5 %`, between 0 and 100.
pub fn parse_pct(s: &str) -> Result<rust_decimal::Decimal, String> {
    let t = s.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    let bad = || format!("\"{s}\" is not a percentage; give one such as 25 or 25%");
    let d = crate::load::amount::parse_amount(t, crate::load::DecimalStyle::Point).map_err(|_| bad())?;
    if d.is_sign_negative() || d > rust_decimal::Decimal::from(100) {
        return Err(format!("\"{s}\" is not between 0 % and 100 %"));
    }
    Ok(d)
}

pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => Ok(s.as_bytes()[0]),
        _ => Err(format!("\"{s}\" is not a delimiter: give one character such as , ; | or the word tab")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn by_takes_a_list() {
        let cli = Cli::try_parse_from(["aov", "report", "a.csv", "--by", "customer,seller"]).unwrap();
        let Command::Report(args) = cli.command else { panic!("report") };
        assert_eq!(args.by, vec!["customer".to_string(), "seller".to_string()]);
        assert_eq!(args.period, None);
        assert_eq!(args.common.output.format, None);
    }

    #[test]
    fn dates_must_be_iso() {
        assert!(Cli::try_parse_from(["aov", "report", "a.csv", "--from", "2013-02-30"]).is_err());
        assert!(Cli::try_parse_from(["aov", "report", "a.csv", "--from", "15.03.2013"]).is_err());
        assert!(Cli::try_parse_from(["aov", "report", "a.csv", "--to", "2013-06-30"]).is_ok());
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_pct("25%"), Ok(rust_decimal::Decimal::from(25)));
        assert_eq!(parse_pct("25 %"), Ok(rust_decimal::Decimal::from(25)));
        assert_eq!(parse_pct("12.5"), Ok(rust_decimal::Decimal::new(125, 1)));
        assert!(parse_pct("150%").is_err());
        assert!(parse_pct("-1").is_err());
        assert!(parse_pct("a lot").is_err());
    }

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter(";;").is_err());
    }
}
