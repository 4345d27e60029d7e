//! The partials query run on PostgreSQL (`aov report --source URL`): its
//! rows, one per day and group, read straight into the core's partials
//! (NUMERIC decoded into exact decimals), as `partials.rs` reads the
//! partials files an engine wrote. Like it, this hands each row to the
//! core as a bucket ([`Buckets`], which the core's partials implement).

use std::io;

use crate::error::Error;
use crate::load::rows::blank_group;
use crate::model::{Buckets, RowAccounting, Tally, clean_name};
use crate::sql::{Dialect, Query, partials_query};

/// Run `query` on each of `tables` at `url` (grouped by the columns
/// `by_names`) and add its rows to `partials`, counting them in
/// `accounting` and `tally` (credit notes as left out unless the query
/// counts them).
pub fn read_postgres(
    url: &str,
    tables: &[String],
    query: &Query,
    by_names: &[String],
    partials: &mut dyn Buckets,
    accounting: &mut RowAccounting,
    tally: &mut Tally,
) -> Result<(), Error> {
    let db_err = |e: postgres::Error| Error::Open { path: url.to_string(), source: io::Error::other(e.to_string()) };
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(db_err)?;
    for table in tables {
        let q = Query { table: table.clone(), ..query.clone() };
        let sql = partials_query(Dialect::Postgres, &q);
        let rows = client
            .query(sql.as_str(), &[])
            .map_err(|e| Error::File { path: table.clone(), message: format!("the query failed: {e}") })?;
        let mut names: Vec<String> = vec![String::new(); by_names.len()];
        let mut currency = String::new();
        for row in rows {
            let bad = |e: postgres::Error| Error::File {
                path: table.clone(),
                message: format!("cannot read the query's result: {e}"),
            };
            let day: chrono::NaiveDate = row.try_get("day").map_err(bad)?;
            let deals: i64 = row.try_get("deals").map_err(bad)?;
            let total: rust_decimal::Decimal = row.try_get("total").map_err(bad)?;
            for (slot, column) in names.iter_mut().zip(by_names) {
                let raw: Option<String> = row.try_get(column.as_str()).map_err(bad)?;
                clean_name(raw.as_deref().unwrap_or(""), slot);
                if slot.is_empty() {
                    slot.push_str(&blank_group(column));
                }
            }
            if q.currency.is_some() {
                let raw: Option<String> = row.try_get("currency").map_err(bad)?;
                clean_name(raw.as_deref().unwrap_or(""), &mut currency);
            }
            let deals = deals as u64;
            if !q.include_credits {
                let credits: i64 = row.try_get("credits").map_err(bad)?;
                let credit_total: rust_decimal::Decimal = row.try_get("credit_total").map_err(bad)?;
                let credits = credits as u64;
                accounting.read += credits;
                accounting.filtered += credits;
                tally.credits += credits;
                tally.add_credit_total(&currency, Some(credit_total));
            }
            if deals == 0 {
                continue; // a day and group with credit notes only
            }
            accounting.read += deals;
            accounting.used += deals;
            tally.counted += deals;
            let group: Vec<&str> = names.iter().map(String::as_str).collect();
            partials.add_bucket(&group, &currency, day, deals, total)?;
        }
    }
    Ok(())
}
