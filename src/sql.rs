//! The partials query for the user's own engine.
//!
//! Engines disagree on what matters for money: averages of decimals come
//! back as floats, some truncate, rounding modes differ, week numbering and
//! time zones differ. So the engine is asked only for exact, mergeable
//! figures: per calendar day and group key, `COUNT(*)` and `SUM` of the
//! amount cast to an exact decimal. `aov report --partials` then maps days
//! to its own periods, divides and rounds with its own rules, and the
//! result equals the single-machine report by construction. With
//! `--period`, the engine buckets the days itself (one row per period and
//! group, dated by the period's first day), by plain date arithmetic: days
//! since Monday 1970-01-05 modulo 7 for ISO weeks, months since 1970-01
//! for months, quarters, halves and years; never an engine's own week
//! function, whose numbering differs. Such partials say their grain in a
//! `period` column. Hand-written
//! templates for this one query shape, one per dialect, are simpler to
//! check than a general SQL builder.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::aggregate::period::Period;
use crate::model::Dimension;

/// The engines `aov sql` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Spark,
    Trino,
    Bigquery,
    Snowflake,
    Postgres,
    Duckdb,
    Clickhouse,
}

/// Which columns hold what, and what to group by.
#[derive(Clone, Debug)]
pub struct Query {
    pub table: String,
    pub date: String,
    pub amount: String,
    pub customer: Option<String>,
    pub seller: Option<String>,
    pub currency: Option<String>,
    pub order: Option<String>,
    pub by: Vec<Dimension>,
    /// The columns `Dimension::Segment` and `Dimension::Column` group by
    /// (`aov sql --by region,product`), also the names of their output
    /// columns, in order.
    pub segment: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Convert timestamps to this zone's calendar date.
    pub timezone: Option<String>,
    /// Count credit notes (deals below zero, after summing an order's lines).
    pub include_credits: bool,
    /// The status column and the statuses that count (normalised words, as
    /// `crate::status::normalize` makes them); `None` counts every row.
    pub status: Option<(String, Vec<String>)>,
    /// The period the engine buckets the days into (`Day`: none, as before).
    pub period: Period,
}

impl Dialect {
    /// Quote an identifier.
    pub fn ident(self, name: &str) -> String {
        let simple = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match self {
            // Snowflake stores unquoted names in upper case: quoting a plain
            // name would make it case-sensitive and miss the column.
            Dialect::Snowflake if simple => name.to_string(),
            Dialect::Spark | Dialect::Bigquery | Dialect::Clickhouse => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A table name: dotted parts quoted one by one (`sales.deals`).
    pub fn table(self, name: &str) -> String {
        match self {
            Dialect::Bigquery => format!("`{}`", name.replace('`', "")),
            _ => name.split('.').map(|p| self.ident(p)).collect::<Vec<_>>().join("."),
        }
    }

    /// The exact decimal type the amounts are summed as.
    pub fn decimal(self) -> &'static str {
        match self {
            Dialect::Bigquery => "BIGNUMERIC",
            Dialect::Clickhouse => "Decimal(38, 6)",
            Dialect::Snowflake => "NUMBER(38, 6)",
            _ => "DECIMAL(38, 6)",
        }
    }

    fn cast_amount(self, col: &str) -> String {
        format!("CAST({col} AS {})", self.decimal())
    }

    /// The calendar date of `col`, in `tz` when given.
    fn day(self, col: &str, tz: Option<&str>) -> String {
        let lit = |s: &str| format!("'{}'", s.replace('\'', "''"));
        match (self, tz) {
            (Dialect::Clickhouse, None) => format!("toDate({col})"),
            (Dialect::Clickhouse, Some(z)) => format!("toDate({col}, {})", lit(z)),
            (_, None) => format!("CAST({col} AS DATE)"),
            (Dialect::Postgres, Some(z)) => format!("CAST(({col} AT TIME ZONE {}) AS DATE)", lit(z)),
            (Dialect::Duckdb, Some(z)) => format!("CAST(timezone({}, {col}) AS DATE)", lit(z)),
            (Dialect::Trino, Some(z)) => format!("CAST({col} AT TIME ZONE {} AS DATE)", lit(z)),
            (Dialect::Spark, Some(z)) => format!("to_date(from_utc_timestamp({col}, {}))", lit(z)),
            (Dialect::Bigquery, Some(z)) => format!("DATE({col}, {})", lit(z)),
            (Dialect::Snowflake, Some(z)) => format!("CAST(CONVERT_TIMEZONE({}, {col}) AS DATE)", lit(z)),
        }
    }

    /// The whole number of days from `from` (a date literal) to `col`.
    fn days_between(self, from: &str, col: &str) -> String {
        match self {
            Dialect::Postgres => format!("({col} - {from})"),
            Dialect::Duckdb | Dialect::Trino => format!("date_diff('day', {from}, {col})"),
            Dialect::Spark => format!("datediff({col}, {from})"),
            Dialect::Bigquery => format!("DATE_DIFF({col}, {from}, DAY)"),
            Dialect::Snowflake => format!("DATEDIFF('day', {from}, {col})"),
            Dialect::Clickhouse => format!("dateDiff('day', {from}, {col})"),
        }
    }

    /// `n` modulo `m`, never negative (days before the origin).
    fn modulo(self, n: &str, m: u32) -> String {
        match self {
            Dialect::Spark => format!("pmod({n}, {m})"),
            Dialect::Bigquery | Dialect::Snowflake | Dialect::Trino => format!("MOD(MOD({n}, {m}) + {m}, {m})"),
            _ => format!("((({n}) % {m} + {m}) % {m})"),
        }
    }

    /// `col` less `n` whole days.
    fn minus_days(self, col: &str, n: &str) -> String {
        match self {
            Dialect::Postgres | Dialect::Duckdb => format!("CAST({col} - CAST({n} AS INTEGER) AS DATE)"),
            Dialect::Trino => format!("date_add('day', -({n}), {col})"),
            Dialect::Spark => format!("date_sub({col}, CAST({n} AS INT))"),
            Dialect::Bigquery => format!("DATE_SUB({col}, INTERVAL {n} DAY)"),
            Dialect::Snowflake => format!("DATEADD('day', -({n}), {col})"),
            Dialect::Clickhouse => format!("subtractDays({col}, {n})"),
        }
    }

    /// The date `n` months after `from` (a date literal, a first of month).
    fn plus_months(self, from: &str, n: &str) -> String {
        match self {
            Dialect::Postgres => format!("CAST({from} + CAST({n} AS INTEGER) * INTERVAL '1 month' AS DATE)"),
            Dialect::Duckdb => format!("CAST({from} + to_months(CAST({n} AS INTEGER)) AS DATE)"),
            Dialect::Trino => format!("date_add('month', {n}, {from})"),
            Dialect::Spark => format!("add_months({from}, CAST({n} AS INT))"),
            Dialect::Bigquery => format!("DATE_ADD({from}, INTERVAL {n} MONTH)"),
            Dialect::Snowflake => format!("DATEADD('month', {n}, {from})"),
            Dialect::Clickhouse => format!("addMonths({from}, {n})"),
        }
    }

    /// A whole number from `EXTRACT` (PostgreSQL's is NUMERIC).
    fn extract(self, part: &str, col: &str) -> String {
        let int = match self {
            Dialect::Bigquery => "INT64",
            Dialect::Clickhouse => "Int64",
            Dialect::Spark => "INT",
            _ => "INTEGER",
        };
        format!("CAST(EXTRACT({part} FROM {col}) AS {int})")
    }

    /// The first day of the period holding the date `col`, by plain date
    /// arithmetic (`None` for `Day` and `All`, which need no bucket).
    fn period_start(self, period: Period, col: &str) -> Option<String> {
        let months_per = match period {
            Period::Day | Period::All => return None,
            Period::Week => {
                // 1970-01-05 was a Monday: a week starts where the days since
                // it are a multiple of 7.
                let days = self.days_between(&self.date_literal(ymd(1970, 1, 5)), col);
                return Some(self.minus_days(col, &self.modulo(&days, 7)));
            }
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Half => 6,
            Period::Year => 12,
        };
        let months = format!("(({} - 1970) * 12 + {} - 1)", self.extract("YEAR", col), self.extract("MONTH", col));
        let start = if months_per == 1 { months } else { format!("({months} - {})", self.modulo(&months, months_per)) };
        Some(self.plus_months(&self.date_literal(ymd(1970, 1, 1)), &start))
    }

    fn date_literal(self, d: NaiveDate) -> String {
        match self {
            Dialect::Clickhouse => format!("toDate('{d}')"),
            _ => format!("DATE '{d}'"),
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

/// The partials query: one row per calendar day and group key with
/// `deals` and the exact `total`. Orders made of several lines are summed
/// What a status comparison in SQL drops, one `REPLACE` each.
const STATUS_PUNCTUATION: [&str; 31] = [
    " ", "\t", "_", "-", "/", ".", ",", "(", ")", "!", ":", ";", "&", "+", "#", "*", "?", "%", "$", "@", "~", "`", "^",
    "|", "<", ">", "=", "[", "]", "{", "}",
];

/// to orders first, dated by their earliest line.
pub fn partials_query(d: Dialect, q: &Query) -> String {
    let id = |c: &str| d.ident(c);
    let mut keys: Vec<(String, &str)> = Vec::new(); // (expression in the inner rows, output name)
    for dim in &q.by {
        match dim {
            Dimension::Customer => keys.push((id(q.customer.as_deref().unwrap_or("customer")), "customer")),
            Dimension::Seller => keys.push((id(q.seller.as_deref().unwrap_or("seller")), "seller")),
            Dimension::Segment => {
                if let Some(col) = q.segment.first() {
                    keys.push((id(col), col));
                }
            }
            Dimension::Column(i) => {
                if let Some(col) = q.segment.get(usize::from(*i) + 1) {
                    keys.push((id(col), col));
                }
            }
        }
    }
    if let Some(c) = &q.currency {
        keys.push((format!("UPPER(TRIM({}))", id(c)), "currency"));
    }
    let day = d.day(&id(&q.date), q.timezone.as_deref());
    let amount = d.cast_amount(&id(&q.amount));
    let mut filters = Vec::new();
    if let Some(f) = q.from {
        filters.push(format!("{day} >= {}", d.date_literal(f)));
    }
    if let Some(t) = q.to {
        filters.push(format!("{day} <= {}", d.date_literal(t)));
    }

    // The deal rows: either the table's rows, or its order lines summed.
    // Statuses are compared as aov compares them: lower case, without
    // spaces and the usual punctuation, in plain SQL every dialect has.
    let mut inner_where = String::new();
    if let Some((col, words)) = &q.status {
        let mut e = format!("LOWER(TRIM({}))", id(col));
        // White space and ASCII punctuation, as `status::normalize` drops
        // them (`Closed (Won)`, `Won!`, `closed-won`, a tab); quotes and
        // backslashes are left alone, as dialects escape them differently,
        // and so is what is not ASCII (an en dash, a check mark).
        for c in STATUS_PUNCTUATION {
            e = format!("REPLACE({e}, '{c}', '')");
        }
        let list: Vec<String> = words.iter().map(|w| format!("'{}'", w.replace('\'', "''"))).collect();
        let _ = write!(inner_where, "\n  WHERE {e} IN ({})", list.join(", "));
    }
    let mut inner = String::new();
    let key_cols: String = keys.iter().map(|(e, n)| format!(",\n    {e} AS {}", id(n))).collect();
    match &q.order {
        None => {
            let _ = write!(
                inner,
                "SELECT\n    {day} AS day{key_cols},\n    {amount} AS amount\n  FROM {}{inner_where}",
                d.table(&q.table)
            );
        }
        Some(order) => {
            let group: String = keys.iter().map(|(e, _)| format!(", {e}")).collect();
            let _ = write!(
                inner,
                "SELECT\n    MIN({day}) AS day{key_cols},\n    SUM({amount}) AS amount\n  FROM {}{inner_where}\n  GROUP BY {}{group}",
                d.table(&q.table),
                id(order)
            );
        }
    }
    let outer_keys: String = keys.iter().map(|(_, n)| format!(", {}", id(n))).collect();
    let outer: Vec<String> = filters.iter().map(|f| f.replace(&day, "day")).collect();
    let where_clause = if outer.is_empty() { String::new() } else { format!("\nWHERE {}", outer.join(" AND ")) };
    // Credit notes (deals below zero, after an order's lines are summed) are
    // left out of deals and total, and counted apart so that the report
    // says what it left out, as it does from the deals themselves.
    let zero = format!("CAST(0 AS {})", d.decimal());
    let sums = if q.include_credits {
        "COUNT(*) AS deals, SUM(amount) AS total".to_string()
    } else {
        format!(
            "SUM(CASE WHEN amount >= 0 THEN 1 ELSE 0 END) AS deals, \
             SUM(CASE WHEN amount >= 0 THEN amount ELSE {zero} END) AS total, \
             SUM(CASE WHEN amount < 0 THEN 1 ELSE 0 END) AS credits, \
             SUM(CASE WHEN amount < 0 THEN amount ELSE {zero} END) AS credit_total"
        )
    };
    let head = "-- Export the result as CSV and run: aov report --partials FILE ...\n";
    let grain = q.period.name();
    if q.period == Period::All {
        // One row per group, dated by its first deal; without groups, no
        // row at all when nothing is selected (rather than one of NULLs).
        let names: Vec<String> = keys.iter().map(|(_, n)| id(n)).collect();
        let (group, order) = if names.is_empty() {
            ("HAVING COUNT(*) > 0\n".to_string(), String::new())
        } else {
            (format!("GROUP BY {}\n", names.join(", ")), format!("ORDER BY {}\n", names.join(", ")))
        };
        return format!(
            "-- aov partials: per group over the whole selection, the count and the exact sum.\n{head}\
             SELECT MIN(day) AS day, '{grain}' AS period{outer_keys}, {sums}\n\
             FROM (\n  {inner}\n) deals{where_clause}\n{group}{order}"
        );
    }
    if let Some(start) = d.period_start(q.period, "day") {
        // The days bucketed in a middle query, after the date filters, under
        // a name of their own (some engines let an alias shadow a column).
        let inner = inner.replace('\n', "\n  ");
        let where_clause = where_clause.replace('\n', "\n  ");
        let middle_keys: String = keys.iter().map(|(_, n)| format!(",\n    {}", id(n))).collect();
        return format!(
            "-- aov partials: per {grain} (dated by its first day) and group, the count and the exact sum.\n{head}\
             SELECT period_start AS day, '{grain}' AS period{outer_keys}, {sums}\n\
             FROM (\n  SELECT\n    {start} AS period_start{middle_keys},\n    amount\n  \
             FROM (\n    {inner}\n  ) deals{where_clause}\n) deals\n\
             GROUP BY period_start{outer_keys}\n\
             ORDER BY period_start{outer_keys}\n"
        );
    }
    format!(
        "-- aov partials: per calendar day and group, the count and the exact sum.\n{head}\
         SELECT day{outer_keys}, {sums}\n\
         FROM (\n  {inner}\n) deals{where_clause}\n\
         GROUP BY day{outer_keys}\n\
         ORDER BY day{outer_keys}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn query() -> Query {
        Query {
            table: "sales.deals".into(),
            date: "close_date".into(),
            amount: "amount".into(),
            customer: Some("customer".into()),
            seller: None,
            currency: Some("currency".into()),
            order: None,
            by: vec![Dimension::Customer],
            segment: Vec::new(),
            from: NaiveDate::from_ymd_opt(2013, 1, 1),
            to: None,
            timezone: None,
            include_credits: false,
            status: None,
            period: Period::Day,
        }
    }

    #[test]
    fn postgres_query_reads_as_written() {
        let sql = partials_query(Dialect::Postgres, &query());
        assert!(
            sql.contains(
                "SELECT day, \"customer\", \"currency\", SUM(CASE WHEN amount >= 0 THEN 1 ELSE 0 END) AS deals"
            ),
            "{sql}"
        );
        assert!(sql.contains("CAST(\"amount\" AS DECIMAL(38, 6)) AS amount"), "{sql}");
        assert!(sql.contains("FROM \"sales\".\"deals\""), "{sql}");
        assert!(sql.contains("WHERE day >= DATE '2013-01-01'\n"), "{sql}");
        assert!(sql.contains("SUM(CASE WHEN amount < 0 THEN 1 ELSE 0 END) AS credits"), "{sql}");
    }

    #[test]
    fn statuses_and_credit_notes_are_pushed_down() {
        let mut q = query();
        q.from = None;
        q.include_credits = true;
        assert!(!partials_query(Dialect::Duckdb, &q).contains("WHERE"));
        q.status = Some(("Stage".into(), vec!["closedwon".into(), "o'k".into()]));
        let sql = partials_query(Dialect::Duckdb, &q);
        let mut e = "LOWER(TRIM(\"Stage\"))".to_string();
        for c in " \t_-/.,()!:;&+#*?%$@~`^|<>=[]{}".chars() {
            e = format!("REPLACE({e}, '{c}', '')");
        }
        assert!(sql.contains(&format!("WHERE {e} IN ('closedwon', 'o''k')")), "{sql}");
        assert!(sql.contains("REPLACE(REPLACE(REPLACE(LOWER(TRIM(\"Stage\")), ' ', ''), '\t', ''), '_', '')"), "{sql}");
        assert_eq!(sql.matches("REPLACE(").count(), 31, "{sql}");
    }

    /// The arithmetic the queries write, done here on numbers: the first
    /// day of every date's period from 1900 to 2100 equals the one aov's
    /// own calendar gives (ISO weeks across week 53 and year ends included).
    #[test]
    fn the_bucket_arithmetic_is_the_calendar() {
        let monday = ymd(1970, 1, 5);
        let posmod = |n: i64, m: i64| ((n % m) + m) % m;
        let mut d = ymd(1900, 1, 1);
        while d < ymd(2100, 1, 1) {
            let days = (d - monday).num_days();
            let week = d - chrono::Duration::days(posmod(days, 7));
            assert_eq!(Some(week), Period::Week.first_day(Period::Week.key(d)), "{d}");
            let months = (i64::from(d.year()) - 1970) * 12 + i64::from(d.month()) - 1;
            for (p, n) in [(Period::Month, 1), (Period::Quarter, 3), (Period::Half, 6), (Period::Year, 12)] {
                let k = months - posmod(months, n);
                let start = ymd(1970 + k.div_euclid(12) as i32, k.rem_euclid(12) as u32 + 1, 1);
                assert_eq!(Some(start), p.first_day(p.key(d)), "{d} {p:?}");
            }
            d = d.succ_opt().unwrap();
        }
        // By hand: Thursday 2015-12-31 is in ISO week 2015-W53, from Monday
        // 2015-12-28; Sunday 2016-01-03 too; 2013-08-17 is in Q3 and H2.
        assert_eq!(Period::Week.first_day(Period::Week.key(ymd(2016, 1, 3))), Some(ymd(2015, 12, 28)));
        assert_eq!(Period::Quarter.first_day(Period::Quarter.key(ymd(2013, 8, 17))), Some(ymd(2013, 7, 1)));
        assert_eq!(Period::Half.first_day(Period::Half.key(ymd(2013, 8, 17))), Some(ymd(2013, 7, 1)));
    }

    #[test]
    fn a_period_query_buckets_in_a_middle_query() {
        let mut q = query();
        q.period = Period::Quarter;
        let sql = partials_query(Dialect::Duckdb, &q);
        assert!(sql.starts_with("-- aov partials: per quarter (dated by its first day)"), "{sql}");
        assert!(sql.contains("SELECT period_start AS day, 'quarter' AS period, \"customer\", \"currency\", "), "{sql}");
        assert!(sql.contains("GROUP BY period_start, \"customer\", \"currency\"\n"), "{sql}");
        // The date filter is on the days, inside, before bucketing.
        assert!(sql.contains("  ) deals\n  WHERE day >= DATE '2013-01-01'\n) deals\n"), "{sql}");
        q.period = Period::All;
        q.by.clear();
        q.currency = None;
        let sql = partials_query(Dialect::Postgres, &q);
        assert!(sql.contains("SELECT MIN(day) AS day, 'all' AS period, SUM("), "{sql}");
        assert!(sql.ends_with("WHERE day >= DATE '2013-01-01'\nHAVING COUNT(*) > 0\n"), "{sql}");
    }

    #[test]
    fn identifiers_are_quoted_per_dialect() {
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::Postgres.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Bigquery.table("proj.ds.deals"), "`proj.ds.deals`");
        assert_eq!(Dialect::Snowflake.ident("customer"), "customer");
        assert_eq!(Dialect::Snowflake.ident("Kund namn"), "\"Kund namn\"");
    }
}
