//! English: field names as headers (they are also the csv and json
//! columns), `1,234,567.89`.

use super::{Counted, Strings};

pub const STRINGS: Strings = Strings {
    code: "en",
    group: ",",
    decimal: ".",
    minus: "-",
    pct_space: " ",
    headers: &[],
    currencies: &[],
    total: "Total",
    or: "or",
    no_deals: "No deals in the selection.",
    trend: "AOV trend",
    trend_scale: "bars from 0",
    thin: |s, n| format!("° fewer than {} deals: too few for the AOV to say much.", s.count(n)),
    rows: |s, [read, used, filtered, rejected]| {
        format!(
            "Rows: {} read, {} used, {} filtered out, {} rejected.",
            s.count(read),
            s.count(used),
            s.count(filtered),
            s.count(rejected)
        )
    },
    definition: |s, counted, credits| {
        let statuses = match counted {
            Counted::Won => "closed sales (won statuses)".to_string(),
            Counted::All => "every status".to_string(),
            Counted::Chosen(v) => format!("status {}", v.join(&format!(" {} ", s.or))),
        };
        let credits = if credits { "credit notes (negative amounts) counted" } else { "credit notes left out" };
        format!(
            "AOV = total of the counted deals / their number; counted: {statuses}, {credits}; rounded half away from zero."
        )
    },
};
