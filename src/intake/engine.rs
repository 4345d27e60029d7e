//! The report's partials from an engine rather than from deals: partials
//! files an engine computed (`--partials`, read by `load::partials`), and
//! the partials query run on PostgreSQL (`--source`: the query is built
//! here from the settings, `load::engine` runs it and reads its rows). What
//! the flags cannot push down is refused first; both end with the same
//! window and name folding as the files of deals.

use std::collections::BTreeMap;

use crate::aggregate::Partials;
use crate::config::ReportSettings;
use crate::error::Error;
use crate::intake::{Loaded, say_settings_file, window_and_fold};
use crate::load::{self, Field};
use crate::model::{RowAccounting, Tally};
use crate::status::StatusRule;

/// What `--partials` and `--source` cannot do: statistics need every
/// amount, and filters other than dates belong in the query.
pub fn check_pushdown(s: &ReportSettings, source: bool) -> Result<(), Error> {
    let f = &s.common.filter;
    // `--source` runs the query itself, with the statuses of --status.
    let chosen = matches!(f.status, StatusRule::Chosen(_)) && !source;
    if s.stats {
        return Err(Error::Usage(
            "--stats needs every amount (for medians and percentiles), which partials do not hold; run it on the deals themselves".into(),
        ));
    }
    if !f.customers.is_empty() || !f.sellers.is_empty() || chosen {
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
pub fn load_from_postgres(s: &ReportSettings, url: &str) -> Result<Loaded, Error> {
    check_pushdown(s, true)?;
    if s.common.rates.is_some() {
        return Err(Error::Usage("with --source, convert in the query instead of with --currency".into()));
    }
    say_settings_file(&s.common);
    let input = &s.common.input;
    let col = |f: Field, default: &str| input.columns.get(&f).cloned().unwrap_or_else(|| default.to_string());
    let tz = input.read.timezone.map(|t| t.name().to_string());
    // Only the statuses that count, when the status column is named; the
    // query cannot find one by its values as the readers do.
    let status = match input.columns.get(&Field::Status) {
        Some(col) => {
            let vocabulary = input.read.vocabulary.as_deref().cloned().unwrap_or_default();
            s.common.filter.status.counted_words(&vocabulary).map(|w| (col.clone(), w))
        }
        None => {
            if !s.common.quiet {
                eprintln!(
                    "aov: every row counts whatever its status: with --source, name the status column with --status-col to count closed sales only"
                );
            }
            None
        }
    };
    let q = crate::sql::Query {
        // Each table in turn (the FILEs).
        table: String::new(),
        date: col(Field::Date, "date"),
        amount: col(Field::Amount, "amount"),
        customer: Some(col(Field::Customer, "customer")),
        seller: Some(col(Field::Seller, "seller")),
        currency: input.columns.get(&Field::Currency).cloned(),
        order: input.columns.get(&Field::Order).cloned(),
        by: s.by.clone(),
        segment: crate::config::chosen_columns(&s.by, &s.by_names).into_iter().map(str::to_string).collect(),
        from: s.common.filter.from,
        to: s.common.filter.to,
        timezone: tz,
        include_credits: s.common.filter.include_credits,
        status,
        // The engine buckets the days into the report's periods.
        period: s.period,
    };
    let mut partials = Partials::new(s.period, s.by.len());
    let mut accounting = RowAccounting::default();
    let mut tally = Tally::default();
    load::engine::read_postgres(url, &s.common.files, &q, &s.by_names, &mut partials, &mut accounting, &mut tally)?;
    finish_partials(s, partials, accounting, tally)
}

/// The report's partials from files an engine computed.
pub fn load_engine_partials(s: &ReportSettings) -> Result<Loaded, Error> {
    check_pushdown(s, false)?;
    say_settings_file(&s.common);
    let f = &s.common.filter;
    let mut partials = Partials::new(s.period, s.by.len());
    let mut accounting = RowAccounting::default();
    let mut tally = Tally::default();
    for path in &s.common.files {
        let rates = s.common.rates.as_deref();
        let how = load::partials::Reading {
            by: &s.by_names,
            range: (f.from, f.to),
            rates,
            include_credits: f.include_credits,
            period: s.period,
        };
        load::partials::read_converted(path, &how, &mut partials, &mut accounting, &mut tally)?;
    }
    finish_partials(s, partials, accounting, tally)
}
