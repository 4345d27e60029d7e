//! Finding the columns that matter by their headers.
//!
//! Exports name the same thing many ways (`Belopp`, `Deal Amount`, `order
//! total`), in English and Swedish. A header is compared after trimming,
//! lower-casing and treating spaces, hyphens and underscores alike. A flag
//! such as `--amount-col` names a column outright.

use std::collections::HashMap;

/// A column the tool understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Amount,
    Date,
    Customer,
    Seller,
    Currency,
    Order,
    Status,
    /// Any column named by `aov explain --by` (the first of `--by`).
    Segment,
    /// A further column named by `--by` (`Dimension::Column`).
    Column(u8),
    /// A row id that is not an order id (invoice or transaction number):
    /// duplicates are warned about.
    Id,
    /// The product (or product group) of an order line, for `aov breadth`:
    /// looked for only when a command asks for it (not in `ALL`).
    Product,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Amount,
        Field::Date,
        Field::Customer,
        Field::Seller,
        Field::Currency,
        Field::Order,
        Field::Status,
        Field::Id,
    ];

    /// A column `--by` names only to group by (the segment and the further
    /// columns): it may also be the column of another field (`--by status`
    /// groups by the status column the status rule reads).
    pub fn groups_only(self) -> bool {
        matches!(self, Field::Segment | Field::Column(_))
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::Amount => "amount",
            Field::Date => "date",
            Field::Customer => "customer",
            Field::Seller => "seller",
            Field::Currency => "currency",
            Field::Order => "order",
            Field::Status => "status",
            Field::Segment => "segment",
            Field::Column(_) => "column",
            Field::Id => "id",
            Field::Product => "product",
        }
    }

    pub fn flag(self) -> &'static str {
        match self {
            Field::Amount => "--amount-col",
            Field::Date => "--date-col",
            Field::Customer => "--customer-col",
            Field::Seller => "--seller-col",
            Field::Currency => "--currency-col",
            Field::Order => "--order-col",
            Field::Status => "--status-col",
            Field::Segment | Field::Column(_) => "--by",
            Field::Id => "--order-col",
            Field::Product => "--product-col",
        }
    }

    /// Header names recognised for this field, most specific first, as
    /// `normalize` writes them. English, Swedish, Norwegian, Danish,
    /// Finnish, German, French, Spanish, Dutch and Italian.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Amount => &[
                "amount",
                "value",
                "total",
                "order_value",
                "belopp",
                "summa",
                "ordervärde",
                "deal_amount",
                "deal_value",
                "order_total",
                "total_amount",
                "amount_sek",
                "net_amount",
                "order_amount",
                "grand_total",
                "total_price",
                "revenue",
                "sales",
                "close_value",
                "closed_value",
                "won_amount",
                "sale_amount",
                "sales_amount",
                "invoice_amount",
                "invoice_total",
                "amount_total",
                "total_incl_vat",
                "total_inc_vat",
                "ordersumma",
                "totalbelopp",
                "totalt",
                "totalt_belopp",
                "nettobelopp",
                "affärsvärde",
                "värde",
                "försäljning",
                "fakturabelopp",
                "amount_(sek)",
                "belopp_(kr)",
                "belopp_kr",
                "summa_kr",
                // Norwegian, Danish
                "beløp",
                "totalbeløp",
                "beløb",
                "totalbeløb",
                "omsætning",
                "omsetning",
                // Finnish
                "summa_yhteensä",
                "yhteensä",
                "kokonaissumma",
                "loppusumma",
                "myynti",
                // German
                "betrag",
                "gesamtbetrag",
                "summe",
                "gesamtsumme",
                "umsatz",
                "auftragswert",
                "rechnungsbetrag",
                // French
                "montant",
                "montant_total",
                "montant_ttc",
                "total_ttc",
                "chiffre_d'affaires",
                // Spanish
                "importe",
                "importe_total",
                "monto",
                "total_venta",
                "ventas",
                // Dutch
                "bedrag",
                "totaalbedrag",
                "totaal",
                "omzet",
                // Italian
                "importo",
                "importo_totale",
                "totale",
                "fatturato",
            ],
            Field::Date => &[
                "date",
                "order_date",
                "close_date",
                "datum",
                "orderdatum",
                "closed_date",
                "closedate",
                "closed_at",
                "created_at",
                "created",
                "created_date",
                "creation_date",
                "date_created",
                "create_date",
                "deal_date",
                "won_date",
                "won_time",
                "date_closed",
                "invoice_date",
                "payment_date",
                "sale_date",
                "sales_date",
                "fakturadatum",
                "affärsdatum",
                "stängningsdatum",
                "avslutsdatum",
                "beställningsdatum",
                "order_created",
                "purchase_date",
                "transaction_date",
                // Norwegian, Danish
                "dato",
                "ordredato",
                "fakturadato",
                "salgsdato",
                // Finnish
                "päivämäärä",
                "pvm",
                "tilauspäivä",
                "laskun_päivämäärä",
                // German
                "bestelldatum",
                "rechnungsdatum",
                "auftragsdatum",
                "belegdatum",
                // French
                "date_de_commande",
                "date_de_facture",
                "date_facture",
                // Spanish
                "fecha",
                "fecha_de_pedido",
                "fecha_pedido",
                "fecha_factura",
                // Dutch
                "factuurdatum",
                "besteldatum",
                // Italian
                "data_ordine",
                "data_fattura",
            ],
            Field::Customer => &[
                "customer",
                "client",
                "account",
                "kund",
                "customer_name",
                "account_name",
                "client_name",
                "company",
                "company_name",
                "customer_id",
                "account_id",
                "client_id",
                "kundnamn",
                "kundnr",
                "kundnummer",
                "företag",
                "företagsnamn",
                "organisation",
                "organization",
                "buyer",
                "billing_name",
                "kund_namn",
                "klient",
                // Norwegian, Danish
                "kunde",
                "kundenavn",
                "kundenummer",
                // Finnish
                "asiakas",
                "asiakkaan_nimi",
                "asiakasnumero",
                // German
                "kundenname",
                "kundennummer",
                "firma",
                // French, Spanish, Dutch, Italian
                "nom_du_client",
                "nom_client",
                "cliente",
                "nombre_cliente",
                "nombre_del_cliente",
                "klant",
                "klantnaam",
                "nome_cliente",
            ],
            Field::Seller => &[
                "seller",
                "salesperson",
                "sales_rep",
                "owner",
                "säljare",
                "deal_owner",
                "account_owner",
                "opportunity_owner",
                "owner_name",
                "owner_id",
                "seller_id",
                "salesperson_id",
                "sales_rep_id",
                "sales_agent",
                "rep",
                "sales_person",
                "salesman",
                "sales_representative",
                "ansvarig",
                "säljansvarig",
                "kundansvarig",
                "handläggare",
                "assigned_to",
                "agent",
                "selger",
                "sælger",
                "myyjä",
                "verkäufer",
                "vertriebsmitarbeiter",
                "vendeur",
                "commercial",
                "vendedor",
                "comercial",
                "verkoper",
                "venditore",
            ],
            Field::Currency => &[
                "currency",
                "valuta",
                "currency_code",
                "valutakod",
                "curr",
                "währung",
                "valuutta",
                "devise",
                "moneda",
                "divisa",
            ],
            Field::Order => &[
                "order_id",
                "deal_id",
                "order",
                "ordernr",
                "affärsnr",
                "order_number",
                "order_no",
                "ordernummer",
                "affärsnummer",
                "deal_number",
                "order_nr",
                "ordrenummer",
                "ordrenr",
                "tilausnumero",
                "bestellnummer",
                "auftragsnummer",
                "numéro_de_commande",
                "número_de_pedido",
                "bestelnummer",
                "numero_ordine",
            ],
            Field::Status => &[
                "status",
                "stage",
                "state",
                "deal_stage",
                "stage_name",
                "deal_status",
                "order_status",
                "financial_status",
                "payment_status",
                "opportunity_stage",
                "sales_stage",
                "pipeline_stage",
                "status_reason",
                "type",
                "affärsstatus",
                "orderstatus",
                "betalstatus",
                "betalningsstatus",
                "fas",
                "säljfas",
                "tila",
                "vaihe",
                "zahlungsstatus",
                "phase",
                "statut",
                "étape",
                "estado",
                "etapa",
                "fase",
                "stato",
            ],
            Field::Segment | Field::Column(_) => &[],
            Field::Product => &[
                "product",
                "product_name",
                "product_group",
                "article",
                "artikel",
                "artikelnamn",
                "produkt",
                "produktnamn",
                "produktgrupp",
                "item",
                "item_name",
                "sku",
                "category",
                "product_category",
                "kategori",
                "varugrupp",
            ],
            Field::Id => &[
                "id",
                "invoice_id",
                "invoice_number",
                "invoice_no",
                "invoice",
                "transaction_id",
                "receipt_number",
                "fakturanr",
                "fakturanummer",
                "verifikationsnummer",
                "laskunumero",
                "rechnungsnummer",
                "numéro_de_facture",
                "número_de_factura",
                "factuurnummer",
                "numero_fattura",
            ],
        }
    }
}

/// Compare headers the way people mean them: trimmed, lower case, with
/// spaces, hyphens and underscores alike, and camelCase or run-together
/// capitals split into words (`InvoiceDate` and `invoice date`,
/// `CustomerID` and `customer_id` are one header).
pub fn normalize(header: &str) -> String {
    let t = header.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len() + 4);
    let mut gap = false;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() || c == '-' || c == '_' || c == '.' {
            gap = true;
            continue;
        }
        // A capital starts a word after a small letter (`invoiceDate`), or
        // before a small letter after capitals (`IDNumber`).
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c.is_uppercase()
            && prev.is_some_and(|p| p.is_lowercase() || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase())))
        {
            gap = true;
        }
        if gap && !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        gap = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// A normalised header without what it says in parentheses or brackets (a
/// unit, a currency or a time zone): `Amount (SEK)` is `amount`,
/// `Created date (UTC)` is `created_date`.
pub fn base(header: &str) -> String {
    let mut kept = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                kept.push(' ');
            }
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let n = normalize(&kept);
    let n = n.trim_end_matches(['.', ':']).to_string();
    if n.is_empty() { normalize(header) } else { n }
}

/// Where each field is, by column index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub headers: Vec<String>,
    found: HashMap<Field, usize>,
}

impl ColumnMap {
    pub fn get(&self, field: Field) -> Option<usize> {
        self.found.get(&field).copied()
    }

    /// The field a column index holds, if any.
    pub fn get_index_field(&self, index: usize) -> Option<Field> {
        self.found.iter().find(|(_, i)| **i == index).map(|(f, _)| *f)
    }

    /// The header of a column, as written in the file.
    pub fn header(&self, field: Field) -> &str {
        self.get(field).map(|i| self.headers[i].trim()).unwrap_or(field.name())
    }

    /// The index of a column named by its header (any column, for `--by`
    /// on a column of the user's choice).
    pub fn find(&self, name: &str) -> Option<usize> {
        let want = normalize(name);
        self.headers
            .iter()
            .position(|h| normalize(h) == want)
            .or_else(|| self.headers.iter().position(|h| base(h) == want))
    }

    /// Put `field` at column `index` (or take it away with `None`).
    pub fn set(&mut self, field: Field, index: Option<usize>) {
        match index {
            Some(i) => {
                self.found.retain(|f, at| *f == field || *at != i || f.groups_only());
                self.found.insert(field, i);
            }
            None => {
                self.found.remove(&field);
            }
        }
    }
}

/// Map headers to fields. `named` holds the columns given by flags;
/// `required` the fields this run needs.
pub fn map_columns(
    headers: &[String],
    named: &HashMap<Field, String>,
    required: &[Field],
) -> Result<ColumnMap, String> {
    let mut map = map_headers(headers, named)?;
    map.find_requested(required)?;
    map.check_required(required)?;
    Ok(map)
}

/// Map headers to fields, by flags first and then by aliases, without
/// asking for any field.
pub fn map_headers(headers: &[String], named: &HashMap<Field, String>) -> Result<ColumnMap, String> {
    let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let bases: Vec<String> = headers.iter().map(|h| base(h)).collect();
    let mut found: HashMap<Field, usize> = HashMap::new();
    // Columns named by flags first; then aliases, among the columns left.
    // A header is compared as written first, then without its unit in
    // parentheses.
    for (field, name) in named {
        let want = normalize(name);
        let mut hits: Vec<usize> = (0..norm.len()).filter(|&i| norm[i] == want).collect();
        if hits.is_empty() {
            hits = (0..norm.len()).filter(|&i| bases[i] == want).collect();
        }
        match hits.as_slice() {
            [i] => {
                found.insert(*field, *i);
            }
            [] => {
                return Err(format!(
                    "{} names the column \"{name}\", but the headers are: {}",
                    field.flag(),
                    list(headers)
                ));
            }
            _ => return Err(format!("the header \"{name}\" appears {} times; rename one of them", hits.len())),
        }
    }
    for field in Field::ALL {
        if found.contains_key(&field) {
            continue;
        }
        for alias in field.aliases() {
            let free = |i: &usize| !found.iter().any(|(f, &t)| t == *i && !f.groups_only());
            let mut hits: Vec<usize> = (0..norm.len()).filter(|&i| norm[i] == *alias && free(&i)).collect();
            if hits.is_empty() {
                hits = (0..norm.len()).filter(|&i| bases[i] == *alias && free(&i)).collect();
            }
            match hits.as_slice() {
                [] => continue,
                [i] => {
                    found.insert(field, *i);
                    break;
                }
                _ => {
                    return Err(format!(
                        "the header \"{}\" appears {} times, so the {} column is ambiguous; rename one or name it with {}",
                        headers[hits[0]].trim(),
                        hits.len(),
                        field.name(),
                        field.flag()
                    ));
                }
            }
        }
    }
    Ok(ColumnMap { headers: headers.to_vec(), found })
}

impl ColumnMap {
    /// Find, by their aliases among the columns still free, the fields
    /// only some commands look for (the product of `aov breadth`) when
    /// `required` asks for them and no flag named them.
    pub fn find_requested(&mut self, required: &[Field]) -> Result<(), String> {
        let norm: Vec<String> = self.headers.iter().map(|h| normalize(h)).collect();
        let bases: Vec<String> = self.headers.iter().map(|h| base(h)).collect();
        for &field in required.iter().filter(|f| !Field::ALL.contains(f)) {
            if self.found.contains_key(&field) {
                continue;
            }
            for alias in field.aliases() {
                let free = |i: &usize| !self.found.iter().any(|(f, &t)| t == *i && !f.groups_only());
                let mut hits: Vec<usize> = (0..norm.len()).filter(|&i| norm[i] == *alias && free(&i)).collect();
                if hits.is_empty() {
                    hits = (0..norm.len()).filter(|&i| bases[i] == *alias && free(&i)).collect();
                }
                match hits.as_slice() {
                    [] => continue,
                    [i] => {
                        self.found.insert(field, *i);
                        break;
                    }
                    _ => {
                        return Err(format!(
                            "the header \"{}\" appears {} times, so the {} column is ambiguous; rename one or name it with {}",
                            self.headers[hits[0]].trim(),
                            hits.len(),
                            field.name(),
                            field.flag()
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// An error naming the fields of `required` that no column holds.
    pub fn check_required(&self, required: &[Field]) -> Result<(), String> {
        let (headers, found) = (&self.headers, &self.found);
        let missing: Vec<Field> = required.iter().copied().filter(|f| !found.contains_key(f)).collect();
        if let Some(first) = missing.first() {
            let names: Vec<&str> = missing.iter().map(|f| f.name()).collect();
            return Err(format!(
                "no {} column found; the headers are: {}; name the column with {}{}",
                names.join(" or "),
                list(headers),
                first.flag(),
                if missing.len() > 1 {
                    format!(" (and {})", missing[1..].iter().map(|f| f.flag()).collect::<Vec<_>>().join(", "))
                } else {
                    String::new()
                }
            ));
        }
        Ok(())
    }
}

fn list(headers: &[String]) -> String {
    if headers.is_empty() {
        return "(none)".into();
    }
    headers.iter().map(|h| format!("\"{}\"", h.trim())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_product_column_only_when_asked_for() {
        let headers = h(&["Datum", "Belopp", "Produktgrupp (kod)"]);
        let m = map_columns(&headers, &HashMap::new(), &[Field::Amount]).unwrap();
        assert_eq!(m.get(Field::Product), None);
        let m = map_columns(&headers, &HashMap::new(), &[Field::Amount, Field::Product]).unwrap();
        assert_eq!(m.get(Field::Product), Some(2));
        for (header, found) in [("SKU", true), ("Item", true), ("Artikel", true), ("Category", true), ("Kund", false)] {
            let mut m = map_columns(&h(&["date", "amount", header]), &HashMap::new(), &[]).unwrap();
            m.find_requested(&[Field::Product]).unwrap();
            assert_eq!(m.get(Field::Product) == Some(2), found, "{header}");
        }
        let err = map_columns(&h(&["date", "amount"]), &HashMap::new(), &[Field::Product]).unwrap_err();
        assert!(err.contains("no product column found") && err.contains("--product-col"), "{err}");
        let err = map_columns(&h(&["date", "amount", "sku", "SKU"]), &HashMap::new(), &[Field::Product]).unwrap_err();
        assert!(err.contains("appears 2 times"), "{err}");
    }

    #[test]
    fn normalizes_headers() {
        assert_eq!(normalize("  Close Date "), "close_date");
        assert_eq!(normalize("\u{feff}Order-Date"), "order_date");
        assert_eq!(normalize("ORDERVÄRDE"), "ordervärde");
        assert_eq!(normalize("sales  rep"), "sales_rep");
    }

    #[test]
    fn finds_english_and_swedish_headers() {
        let m = map_columns(
            &h(&["Datum", "Kund", "Säljare", "Belopp", "Valuta"]),
            &HashMap::new(),
            &[Field::Amount, Field::Date],
        )
        .unwrap();
        assert_eq!(m.get(Field::Date), Some(0));
        assert_eq!(m.get(Field::Customer), Some(1));
        assert_eq!(m.get(Field::Seller), Some(2));
        assert_eq!(m.get(Field::Amount), Some(3));
        assert_eq!(m.get(Field::Currency), Some(4));
        let m =
            map_columns(&h(&["Close Date", "Deal Amount", "Deal Owner", "Company"]), &HashMap::new(), &[Field::Amount])
                .unwrap();
        assert_eq!(
            (m.get(Field::Date), m.get(Field::Amount), m.get(Field::Seller), m.get(Field::Customer)),
            (Some(0), Some(1), Some(2), Some(3))
        );
    }

    #[test]
    fn headers_as_people_write_them() {
        let cases: &[(&str, Option<Field>)] = &[
            // camelCase and run-together words
            ("InvoiceDate", Some(Field::Date)),
            ("CloseDate", Some(Field::Date)),
            ("CustomerID", Some(Field::Customer)),
            ("OwnerId", Some(Field::Seller)),
            ("StageName", Some(Field::Status)),
            ("InvoiceNo", Some(Field::Id)),
            ("OrderID", Some(Field::Order)),
            // units and zones in parentheses
            ("Created date (UTC)", Some(Field::Date)),
            ("Amount (SEK)", Some(Field::Amount)),
            ("Belopp (kr)", Some(Field::Amount)),
            ("Deal - Value", Some(Field::Amount)),
            // the languages
            ("Beløp", Some(Field::Amount)),
            ("Beløb", Some(Field::Amount)),
            ("Summa yhteensä", Some(Field::Amount)),
            ("Päivämäärä", Some(Field::Date)),
            ("Asiakas", Some(Field::Customer)),
            ("Gesamtbetrag", Some(Field::Amount)),
            ("Rechnungsdatum", Some(Field::Date)),
            ("Verkäufer", Some(Field::Seller)),
            ("Montant TTC", Some(Field::Amount)),
            ("Date de commande", Some(Field::Date)),
            ("Importe", Some(Field::Amount)),
            ("Fecha", Some(Field::Date)),
            ("Cliente", Some(Field::Customer)),
            ("Bedrag", Some(Field::Amount)),
            ("Factuurdatum", Some(Field::Date)),
            ("Klant", Some(Field::Customer)),
            ("Importo", Some(Field::Amount)),
            ("Data ordine", Some(Field::Date)),
            ("Venditore", Some(Field::Seller)),
            ("Valuta", Some(Field::Currency)),
            ("Financial Status", Some(Field::Status)),
            ("Payment Status", Some(Field::Status)),
            ("close_value", Some(Field::Amount)),
            ("sales_agent", Some(Field::Seller)),
            ("Unit price", None),
            ("Description", None),
        ];
        for (header, want) in cases {
            let m = map_headers(&h(&[header]), &HashMap::new()).unwrap();
            assert_eq!(m.get_index_field(0), *want, "{header:?} -> {}", normalize(header));
        }
        assert_eq!(normalize("InvoiceDate"), "invoice_date");
        assert_eq!(normalize("CustomerID"), "customer_id");
        assert_eq!(normalize("IDNumber"), "id_number");
        assert_eq!(normalize("ORDERVÄRDE"), "ordervärde");
        assert_eq!(normalize("Est. Revenue"), "est_revenue");
        assert_eq!(base("Gross Credit (GC)"), "gross_credit");
        assert_eq!(base("Created date (UTC)"), "created_date");
        assert_eq!(base("(x)"), "(x)");
    }

    #[test]
    fn a_unit_in_parentheses_tells_two_columns_apart_when_named() {
        let named = HashMap::from([(Field::Amount, "Amount (EUR)".to_string())]);
        let m = map_columns(&h(&["date", "Amount (SEK)", "Amount (EUR)"]), &named, &[Field::Amount]).unwrap();
        assert_eq!(m.get(Field::Amount), Some(2));
        // Two columns that differ only by their unit are ambiguous unnamed.
        let err = map_columns(&h(&["date", "Amount (SEK)", "Amount (EUR)"]), &HashMap::new(), &[Field::Amount]);
        assert!(err.unwrap_err().contains("appears 2 times"));
    }

    #[test]
    fn flags_name_columns() {
        let named = HashMap::from([(Field::Amount, "Netto".to_string())]);
        let m = map_columns(&h(&["date", "Netto", "amount"]), &named, &[Field::Amount]).unwrap();
        assert_eq!(m.get(Field::Amount), Some(1));
        let err = map_columns(&h(&["date", "x"]), &named, &[Field::Amount]).unwrap_err();
        assert_eq!(err, "--amount-col names the column \"Netto\", but the headers are: \"date\", \"x\"");
    }

    #[test]
    fn missing_columns_list_the_headers() {
        let err = map_columns(&h(&["when", "what"]), &HashMap::new(), &[Field::Amount, Field::Date]).unwrap_err();
        assert_eq!(
            err,
            "no amount or date column found; the headers are: \"when\", \"what\"; name the column with --amount-col (and --date-col)"
        );
    }

    #[test]
    fn duplicate_headers_are_refused() {
        let err = map_columns(&h(&["date", "amount", "Amount"]), &HashMap::new(), &[Field::Amount]).unwrap_err();
        assert!(err.starts_with("the header \"amount\" appears 2 times"), "{err}");
    }

    #[test]
    fn a_named_column_wins_over_an_alias() {
        let named = HashMap::from([(Field::Customer, "owner".to_string())]);
        let m = map_columns(&h(&["date", "amount", "owner"]), &named, &[]).unwrap();
        assert_eq!(m.get(Field::Customer), Some(2));
        assert_eq!(m.get(Field::Seller), None);
    }

    #[test]
    fn a_column_named_to_group_by_is_still_found_for_its_field() {
        // `--by Kund,status`: the customer and the status are still found.
        let named = HashMap::from([(Field::Segment, "Kund".to_string()), (Field::Column(0), "status".to_string())]);
        let mut m = map_columns(&h(&["datum", "belopp", "Kund", "status"]), &named, &[Field::Amount]).unwrap();
        assert_eq!((m.get(Field::Segment), m.get(Field::Column(0))), (Some(2), Some(3)));
        assert_eq!((m.get(Field::Customer), m.get(Field::Status)), (Some(2), Some(3)));
        // Setting the status column (found by its values) keeps the group.
        m.set(Field::Status, Some(3));
        assert_eq!(m.get(Field::Column(0)), Some(3));
    }
}
