//! Deciding how to read a file from its header and its first rows.
//!
//! Headers alone say too little: a `State` column may hold US states or
//! deal stages, an export may have no amount column but a quantity and a
//! unit price, or be a Shopify or PayPal export whose rows are not all
//! sales. Every reader (and the fast path's plan) hands the header and a
//! sample of the first rows here, and gets back the column map and a
//! `Recipe` for the row parser: how the amount is made, which rows a known
//! layout leaves out, and what to say on stderr about it.

use std::collections::{BTreeSet, HashMap};

use crate::error::Error;
use crate::load::amount::{self, DecimalStyle};
use crate::load::columns::{ColumnMap, Field, base, map_headers, normalize};
use crate::load::date::{self, DateOrder};
use crate::load::expr::Expr;
use crate::load::layout::{self, Layout, Test};
use crate::load::rows::{ReadOptions, RowParser, Sink};
use crate::status::Vocabulary;

/// How many rows of a file's head recognition looks at (and no more than
/// `source::SNIFF_BYTES` of text, so the fast path's plan sees the same).
pub const SAMPLE_ROWS: usize = 500;

/// Whether known layouts are recognised (`--export-layout`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LayoutChoice {
    /// Recognise a layout by its headers.
    #[default]
    Auto,
    /// `--export-layout none`: read every file as a plain table.
    Off,
    /// `--export-layout NAME`: read as this layout.
    Named(String),
}

/// A row rule resolved to a column index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowRule {
    pub column: usize,
    pub test: Test,
    pub reason: &'static str,
}

/// What the row parser does beyond reading one column per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recipe {
    /// The amount made from columns (quantity x unit price, `--amount`).
    pub amount: Option<Expr>,
    /// Rows that fail a rule are not sales: filtered out with its reason.
    pub rules: Vec<RowRule>,
    /// Later lines of an order: (order column, the column they leave
    /// empty, or `None` when any repeat of the order is a later line).
    pub later_lines: Option<(usize, Option<usize>)>,
    /// Why dates that do not show their order are read day first.
    pub day_first_hint: Option<String>,
}

impl Recipe {
    /// True when the file is read exactly as its columns say (the fast
    /// path can read it).
    pub fn is_plain(&self) -> bool {
        self.amount.is_none() && self.rules.is_empty() && self.later_lines.is_none()
    }

    /// Whether a row is a sale by the rules; `Err(reason)` when not.
    pub fn check(&self, fields: &[&str], style: DecimalStyle) -> Result<(), &'static str> {
        for rule in &self.rules {
            let value = fields.get(rule.column).map_or("", |v| v.trim());
            let ok = match rule.test {
                Test::OneOf(list) => list.iter().any(|w| layout::fold(w) == layout::fold(value)),
                Test::NoneOf(list) => !list.iter().any(|w| layout::fold(w) == layout::fold(value)),
                Test::Empty => value.is_empty(),
                Test::Positive => amount::parse_amount(value, style).is_ok_and(|a| a > rust_decimal::Decimal::ZERO),
            };
            if !ok {
                return Err(rule.reason);
            }
        }
        Ok(())
    }
}

/// What recognition decided for one file.
#[derive(Clone, Debug)]
pub struct Recognized {
    pub map: ColumnMap,
    pub recipe: Recipe,
    /// Lines for stderr (without the `aov: ` prefix).
    pub notes: Vec<String>,
    pub layout: Option<&'static Layout>,
}

const QUANTITY: &[&str] = &[
    "quantity",
    "qty",
    "lineitem_quantity",
    "antal",
    "mängd",
    "antall",
    "kpl",
    "määrä",
    "lukumäärä",
    "menge",
    "anzahl",
    "quantité",
    "qté",
    "cantidad",
    "aantal",
    "hoeveelheid",
    "quantità",
    "qta",
];

const UNIT_PRICE: &[&str] = &[
    "unit_price",
    "price_each",
    "price_per_unit",
    "price",
    "lineitem_price",
    "à_pris",
    "a_pris",
    "á_pris",
    "styckpris",
    "enhetspris",
    "pris",
    "stykpris",
    "enhedspris",
    "yksikköhinta",
    "hinta",
    "einzelpreis",
    "stückpreis",
    "preis",
    "prix_unitaire",
    "prix",
    "precio_unitario",
    "precio",
    "stukprijs",
    "eenheidsprijs",
    "prijs",
    "prezzo_unitario",
    "prezzo",
];

/// Words that make a header money-like (a word of the header starts or
/// ends with one of them).
const MONEY: &[&str] = &[
    "price", "gross", "net", "value", "amount", "total", "sum", "revenue", "paid", "payment", "pris", "belopp",
    "värde", "summa", "beløp", "beløb", "verdi", "værdi", "hinta", "arvo", "brutto", "bruto", "netto", "betrag",
    "preis", "wert", "prix", "montant", "valeur", "precio", "importe", "valor", "prijs", "bedrag", "waarde", "prezzo",
    "importo", "valore",
];

/// Header words that say the file is written in a language that puts the
/// day first (every one but English): a date column with no day above 12
/// is then read day first.
const DAY_FIRST_WORDS: &[&str] = &[
    "datum",
    "belopp",
    "kund",
    "säljare",
    "summa",
    "dato",
    "beløp",
    "beløb",
    "kunde",
    "päivämäärä",
    "asiakas",
    "betrag",
    "rechnungsdatum",
    "bestelldatum",
    "montant",
    "fecha",
    "importe",
    "cliente",
    "bedrag",
    "klant",
    "data_ordine",
    "importo",
    "totale",
    "fakturadatum",
    "orderdatum",
    "antal",
    "menge",
];

fn header_index(bases: &[String], norms: &[String], names: &[&str], taken: &[usize]) -> Option<usize> {
    for name in names {
        let hits: Vec<usize> =
            (0..norms.len()).filter(|&i| (norms[i] == *name || bases[i] == *name) && !taken.contains(&i)).collect();
        if let [i] = hits.as_slice() {
            return Some(*i);
        }
    }
    None
}

fn quoted(map: &ColumnMap, i: usize) -> String {
    format!("\"{}\"", map.headers[i].trim())
}

/// Decide how to read a file with `headers`, from its `sample` rows.
pub fn recognize(
    headers: &[String],
    sample: &[Vec<String>],
    named: &HashMap<Field, String>,
    required: &[Field],
    options: &ReadOptions,
) -> Result<Recognized, String> {
    let mut map = map_headers(headers, named)?;
    let norms: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let bases: Vec<String> = headers.iter().map(|h| base(h)).collect();
    let mut recipe = Recipe::default();
    let mut notes = Vec::new();
    // Columns of money when none can be chosen alone (for the error).
    let mut money: Vec<usize> = Vec::new();
    let values = |i: usize| sample.iter().filter_map(move |r| r.get(i)).map(|v| v.trim()).filter(|v| !v.is_empty());
    // Whether a column's sampled values are all amounts (or all dates), and
    // it has some.
    let all_of = |i: usize, read: &dyn Fn(&str) -> bool| {
        let mut n = 0;
        values(i).all(|v| {
            n += 1;
            read(v)
        }) && n > 0
    };
    let all_amounts = |i: usize| {
        all_of(i, &|v| {
            amount::parse_amount(v, DecimalStyle::Point).is_ok() || amount::parse_amount(v, DecimalStyle::Comma).is_ok()
        })
    };
    let all_dates = |i: usize| {
        all_of(i, &|v| {
            date::parse_date(v, Some(DateOrder::DayFirst)).is_ok()
                || date::parse_date(v, Some(DateOrder::MonthFirst)).is_ok()
        })
    };

    // A known layout.
    let layout = match &options.layout {
        LayoutChoice::Off => None,
        LayoutChoice::Auto => layout::recognise(&bases),
        LayoutChoice::Named(key) => Some(
            layout::by_key(key)
                .ok_or_else(|| format!("--export-layout {key}: no such layout; the layouts are: {}", layout::keys()))?,
        ),
    };
    if let Some(l) = layout {
        let forced = matches!(options.layout, LayoutChoice::Named(_));
        for field in
            [Field::Amount, Field::Date, Field::Customer, Field::Seller, Field::Currency, Field::Order, Field::Status]
        {
            if named.contains_key(&field) {
                continue;
            }
            let names = l.roles.iter().find(|(f, _)| *f == field).map_or(&[][..], |(_, n)| *n);
            let at = header_index(&bases, &norms, names, &[]);
            if at.is_none() && forced && matches!(field, Field::Amount | Field::Date) {
                return Err(format!(
                    "--export-layout {}: no {} column of {} (one of {}) among the headers",
                    l.key,
                    field.name(),
                    l.title,
                    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                ));
            }
            map.set(field, at);
        }
        for rule in l.rules {
            if let Some(i) = header_index(&bases, &norms, &[rule.column], &[]) {
                recipe.rules.push(RowRule { column: i, test: rule.test, reason: rule.reason });
            }
        }
        if let Some((order, blank)) = l.later_lines {
            if let Some(o) = header_index(&bases, &norms, &[order], &[]) {
                let b = blank.and_then(|b| header_index(&bases, &norms, &[b], &[]));
                if blank.is_none() || b.is_some() {
                    recipe.later_lines = Some((o, b));
                }
            }
        }
        notes.push(format!("read as {}: {}", l.title, l.summary));
    }

    // The status column: by its header and by its values.
    if !named.contains_key(&Field::Status) && layout.is_none() {
        let vocabulary = options.vocabulary.as_deref().cloned().unwrap_or_else(Vocabulary::builtin);
        let taken: Vec<usize> =
            Field::ALL.iter().filter(|f| **f != Field::Status).filter_map(|f| map.get(*f)).collect();
        let mut pick = None;
        'aliases: for alias in Field::Status.aliases() {
            for i in 0..headers.len() {
                if (norms[i] == *alias || bases[i] == *alias) && !taken.contains(&i) {
                    let distinct: BTreeSet<&str> = values(i).collect();
                    if vocabulary.looks_like_statuses(distinct.iter().copied()) {
                        pick = Some(i);
                        break 'aliases;
                    }
                }
            }
        }
        map.set(Field::Status, pick);
    }

    // The amount: an expression, quantity x unit price, or the one
    // money-like column.
    if let Some(text) = &options.amount_expr {
        let e = Expr::parse(text, headers)?;
        let lead = *e.columns().first().ok_or_else(|| format!("--amount '{text}' names no column"))?;
        notes.push(format!("a row's amount is {}, computed exactly (--amount)", e.display(headers)));
        map.set(Field::Amount, Some(lead));
        recipe.amount = Some(e);
    } else if map.get(Field::Amount).is_none() && required.contains(&Field::Amount) {
        let taken: Vec<usize> = Field::ALL.iter().filter_map(|f| map.get(*f)).collect();
        let q = header_index(&bases, &norms, QUANTITY, &taken);
        let p = q.and_then(|q| {
            let mut t = taken.clone();
            t.push(q);
            header_index(&bases, &norms, UNIT_PRICE, &t)
        });
        if let (Some(q), Some(p)) = (q, p) {
            let e = Expr::Mul(Box::new(Expr::Column(q)), Box::new(Expr::Column(p)));
            notes.push(format!(
                "no amount column: a line's amount is {} x {}, computed exactly (--amount or --amount-col choose another)",
                quoted(&map, q),
                quoted(&map, p)
            ));
            map.set(Field::Amount, Some(p));
            recipe.amount = Some(e);
            // Lines with a quantity and a price are lines of an invoice or
            // an order: its number groups them.
            if map.get(Field::Order).is_none() && !named.contains_key(&Field::Id) {
                if let Some(id) = map.get(Field::Id) {
                    let repeats = {
                        let mut seen = std::collections::HashSet::new();
                        values(id).any(|v| !seen.insert(v))
                    };
                    if repeats {
                        notes.push(format!(
                            "the rows are invoice lines: one deal per {} (their sum); --order-col names another order column",
                            quoted(&map, id)
                        ));
                        map.set(Field::Order, Some(id));
                    }
                }
            }
        } else {
            let candidates: Vec<usize> = (0..headers.len())
                .filter(|i| !taken.contains(i))
                .filter(|&i| bases[i].split('_').any(|w| MONEY.iter().any(|m| w.starts_with(m) || w.ends_with(m))))
                .filter(|&i| all_amounts(i))
                .collect();
            // Columns of whole numbers under a money-like name (a payment's
            // sequence number, its instalments) give way to one with cents.
            let with_cents: Vec<usize> =
                candidates.iter().copied().filter(|&i| values(i).any(|v| v.contains(['.', ',']))).collect();
            let candidates = if candidates.len() > 1 && with_cents.len() == 1 { with_cents } else { candidates };
            if candidates.len() > 1 {
                money = candidates.clone();
            }
            if let [i] = candidates.as_slice() {
                notes.push(format!(
                    "no amount header: {} is the only column of money under a money-like name, so it is read as the amount (--amount-col names another)",
                    quoted(&map, *i)
                ));
                map.set(Field::Amount, Some(*i));
            }
        }
    }

    // An amount found by its header beside another header of the amount's
    // names (`net amount` and `total`): say which one is read.
    if let (Some(a), false, false, None) =
        (map.get(Field::Amount), named.contains_key(&Field::Amount), layout.is_some(), &recipe.amount)
    {
        let taken: Vec<usize> = Field::ALL.iter().filter_map(|f| map.get(*f)).collect();
        let others: Vec<usize> = (0..headers.len())
            .filter(|i| !taken.contains(i))
            .filter(|&i| Field::Amount.aliases().iter().any(|n| norms[i] == *n || bases[i] == *n))
            .filter(|&i| all_amounts(i))
            .collect();
        if !others.is_empty() {
            let names: Vec<String> = others.iter().map(|&i| quoted(&map, i)).collect();
            notes.push(format!(
                "the amount is read from {}; {} {} an amount too (--amount-col names another)",
                quoted(&map, a),
                names.join(" and "),
                if others.len() == 1 { "looks like" } else { "look like" }
            ));
        }
    }

    // The date: the one column of dates.
    if map.get(Field::Date).is_none() && required.contains(&Field::Date) {
        let taken: Vec<usize> = Field::ALL.iter().filter_map(|f| map.get(*f)).collect();
        let candidates: Vec<usize> =
            (0..headers.len()).filter(|i| !taken.contains(i)).filter(|&i| all_dates(i)).collect();
        if let [i] = candidates.as_slice() {
            notes.push(format!(
                "no date header: {} is the only column of dates, so it is read as the date (--date-col names another)",
                quoted(&map, *i)
            ));
            map.set(Field::Date, Some(*i));
        }
    }

    // Headers in a language that writes the day first.
    recipe.day_first_hint = bases
        .iter()
        .zip(headers)
        .find(|(b, _)| DAY_FIRST_WORDS.contains(&b.as_str()))
        .map(|(_, h)| format!("the headers are not in English (\"{}\")", h.trim()));

    map.find_requested(required)?;
    map.check_required(required).map_err(|e| {
        if map.get(Field::Amount).is_none() && money.len() > 1 {
            let names: Vec<String> = money.iter().map(|&i| quoted(&map, i)).collect();
            let plain: Vec<&str> = money.iter().map(|&i| map.headers[i].trim()).collect();
            format!(
                "{e}; the columns of money are {}: name one with --amount-col, or add them up with --amount (e.g. --amount '{}')",
                names.join(", "),
                plain.join("+")
            )
        } else {
            e
        }
    })?;
    Ok(Recognized { map, recipe, notes, layout })
}

/// Recognise a file and make its row parser; the notes and the columns go
/// to `sink`.
pub fn start(
    file: &str,
    headers: &[String],
    sample: &[Vec<String>],
    named: &HashMap<Field, String>,
    required: &[Field],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<RowParser, Error> {
    let r = recognize(headers, sample, named, required, options)
        .map_err(|message| Error::File { path: file.to_string(), message })?;
    for note in r.notes {
        sink.note(note);
    }
    let mut parser = RowParser::new(file, r.map, options).with_recipe(r.recipe);
    sink.columns(file, parser.columns());
    parser.use_names(sink.names_used());
    Ok(parser)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter().map(|r| h(r)).collect()
    }

    fn run(headers: &[&str], sample: &[&[&str]]) -> Recognized {
        recognize(&h(headers), &rows(sample), &HashMap::new(), &[Field::Amount, Field::Date], &ReadOptions::default())
            .unwrap()
    }

    #[test]
    fn two_amount_headers_say_which_one_is_read() {
        let r = run(&["date", "net amount", "total"], &[&["2013-01-01", "80", "100"]]);
        assert_eq!(r.map.get(Field::Amount), Some(2), "\"total\" comes first among the amount's names");
        assert_eq!(
            r.notes,
            vec![
                "the amount is read from \"total\"; \"net amount\" looks like an amount too (--amount-col names another)"
                    .to_string()
            ]
        );
        // Not when the other column holds no amounts, nor when it is named.
        let r = run(&["date", "net amount", "total"], &[&["2013-01-01", "n/a", "100"]]);
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        let named = HashMap::from([(Field::Amount, "net amount".to_string())]);
        let r = recognize(
            &h(&["date", "net amount", "total"]),
            &rows(&[&["2013-01-01", "80", "100"]]),
            &named,
            &[Field::Amount, Field::Date],
            &ReadOptions::default(),
        )
        .unwrap();
        assert!(r.notes.is_empty(), "{:?}", r.notes);
    }

    #[test]
    fn a_column_of_states_is_not_a_status_column() {
        let r = run(&["Order Date", "State", "Sales"], &[&["1/2/2020", "Kentucky", "1"], &["1/3/2020", "Texas", "2"]]);
        assert_eq!(r.map.get(Field::Status), None);
        let r = run(&["close_date", "deal_stage", "close_value"], &[&["1/2/2020", "Won", "1"], &["", "Engaging", ""]]);
        assert_eq!(r.map.get(Field::Status), Some(1));
        // Type holds statuses only when its values are statuses.
        let r = run(&["date", "Type", "amount"], &[&["2020-01-01", "Paid", "1"], &["2020-01-01", "Refunded", "1"]]);
        assert_eq!(r.map.get(Field::Status), Some(1));
        let r = run(&["date", "Type", "amount"], &[&["2020-01-01", "Hardware", "1"]]);
        assert_eq!(r.map.get(Field::Status), None);
    }

    #[test]
    fn quantity_times_unit_price_when_there_is_no_amount() {
        let r = run(
            &["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
            &[&["1", "2", "2011-01-01", "1,25", "7"], &["1", "1", "2011-01-01", "2,5", "7"]],
        );
        assert_eq!(r.recipe.amount, Some(Expr::Mul(Box::new(Expr::Column(1)), Box::new(Expr::Column(3)))));
        assert_eq!(r.map.get(Field::Amount), Some(3));
        assert_eq!(r.map.get(Field::Date), Some(2));
        assert_eq!(r.map.get(Field::Customer), Some(4));
        assert_eq!(r.map.get(Field::Order), Some(0), "repeating invoice numbers group the lines");
        assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
        assert!(r.notes[0].starts_with("no amount column: a line's amount is \"Quantity\" x \"UnitPrice\""));
        let r = run(&["Datum", "Antal", "À-pris"], &[&["2011-01-01", "2", "3"]]);
        assert_eq!(r.recipe.amount, Some(Expr::Mul(Box::new(Expr::Column(1)), Box::new(Expr::Column(2)))));
        for (q, p) in [
            ("Menge", "Einzelpreis"),
            ("Antall", "Enhetspris"),
            ("Antal", "Enhedspris"),
            ("Määrä", "Yksikköhinta"),
            ("Quantité", "Prix unitaire"),
            ("Cantidad", "Precio unitario"),
            ("Aantal", "Stukprijs"),
            ("Quantità", "Prezzo unitario"),
            ("Qty", "Unit Price"),
            ("Lineitem quantity", "Lineitem price"),
        ] {
            let r = run(&["Datum", q, p], &[&["2011-01-01", "2", "3"]]);
            assert_eq!(
                r.recipe.amount,
                Some(Expr::Mul(Box::new(Expr::Column(1)), Box::new(Expr::Column(2)))),
                "{q} x {p}"
            );
        }
    }

    #[test]
    fn the_one_money_column_and_the_one_date_column() {
        let r = run(&["when", "ref", "Gross"], &[&["2020-01-05", "A1", "10.50"], &["2020-01-06", "A2", "7"]]);
        assert_eq!(r.map.get(Field::Amount), Some(2));
        assert_eq!(r.map.get(Field::Date), Some(0));
        assert_eq!(r.notes.len(), 2);
        // Whole numbers give way to the one column with cents.
        let r = run(
            &["order_id", "payment_sequential", "payment_installments", "payment_value", "when"],
            &[&["a", "1", "3", "99.33", "2017-10-02 10:56:33"], &["b", "2", "1", "24.39", "2017-10-03 10:00:00"]],
        );
        assert_eq!(r.map.get(Field::Amount), Some(3));
        // Two money columns: no guess, the error stays.
        let err = recognize(
            &h(&["date", "Gross", "Net"]),
            &rows(&[&["2020-01-05", "10", "9"]]),
            &HashMap::new(),
            &[Field::Amount, Field::Date],
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(err.starts_with("no amount column found"), "{err}");
        assert!(
            err.ends_with("; the columns of money are \"Gross\", \"Net\": name one with --amount-col, or add them up with --amount (e.g. --amount 'Gross+Net')"),
            "{err}"
        );
        // A money-like name over text is not money.
        let err = recognize(
            &h(&["date", "Price list"]),
            &rows(&[&["2020-01-05", "Standard"]]),
            &HashMap::new(),
            &[Field::Amount, Field::Date],
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(err.starts_with("no amount column found"), "{err}");
    }

    #[test]
    fn an_amount_expression_names_its_columns() {
        let options = ReadOptions { amount_expr: Some("price+freight_value".into()), ..ReadOptions::default() };
        let r = recognize(
            &h(&["order_purchase_timestamp", "price", "freight_value"]),
            &[],
            &HashMap::new(),
            &[Field::Amount],
            &options,
        )
        .unwrap();
        assert_eq!(r.map.get(Field::Amount), Some(1));
        assert_eq!(r.notes, vec!["a row's amount is price + freight_value, computed exactly (--amount)".to_string()]);
        let options = ReadOptions { amount_expr: Some("price+freight".into()), ..ReadOptions::default() };
        let err = recognize(&h(&["date", "price"]), &[], &HashMap::new(), &[Field::Amount], &options).unwrap_err();
        assert_eq!(err, "--amount names the column \"freight\", but the headers are: \"date\", \"price\"");
    }

    #[test]
    fn a_layout_sets_the_columns_and_the_rules() {
        let r = run(
            &[
                "Date",
                "Time",
                "TimeZone",
                "Name",
                "Type",
                "Status",
                "Currency",
                "Gross",
                "Fee",
                "Net",
                "Transaction ID",
            ],
            &[],
        );
        assert_eq!(r.layout.map(|l| l.key), Some("paypal"));
        assert_eq!(r.map.get(Field::Amount), Some(7));
        assert_eq!(r.map.get(Field::Status), None, "the layout's rules decide");
        assert_eq!(r.recipe.rules.len(), 3);
        let fields = ["1/2/2016", "", "", "", "Website Payment", "Completed", "USD", "84", "", "", ""];
        assert_eq!(r.recipe.check(&fields, DecimalStyle::Point), Ok(()));
        let fields = ["1/2/2016", "", "", "", "General Withdrawal", "Pending", "EUR", "-50", "", "", ""];
        assert!(r.recipe.check(&fields, DecimalStyle::Point).unwrap_err().starts_with("not a customer payment"));
        let fields = ["1/2/2016", "", "", "", "Website Payment", "Completed", "USD", "-5", "", "", ""];
        assert!(r.recipe.check(&fields, DecimalStyle::Point).unwrap_err().starts_with("payment not incoming"));
        // --export-layout none reads it as a plain table.
        let options = ReadOptions { layout: LayoutChoice::Off, ..ReadOptions::default() };
        let err = recognize(
            &h(&["Date", "Type", "Status", "Currency", "Gross", "Fee", "Net"]),
            &[],
            &HashMap::new(),
            &[Field::Amount],
            &options,
        )
        .unwrap_err();
        assert!(err.starts_with("no amount column found"), "{err}");
        let options = ReadOptions { layout: LayoutChoice::Named("nosuch".into()), ..ReadOptions::default() };
        let err = recognize(&h(&["date"]), &[], &HashMap::new(), &[], &options).unwrap_err();
        assert!(err.starts_with("--export-layout nosuch: no such layout; the layouts are: shopify, "), "{err}");
    }

    #[test]
    fn day_first_languages() {
        let r = run(&["Datum", "Belopp"], &[]);
        assert_eq!(r.recipe.day_first_hint.as_deref(), Some("the headers are not in English (\"Datum\")"));
        let r = run(&["date", "amount"], &[]);
        assert_eq!(r.recipe.day_first_hint, None);
    }
}
