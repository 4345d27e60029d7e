//! The export layouts of well-known systems, as data: which column is what,
//! and which rows are sales.
//!
//! A Shopify orders export, a PayPal activity download or a Salesforce
//! opportunity report each have a fixed set of headers and their own idea
//! of a row: an order line, a fee, a currency conversion, an open quote.
//! Read as a plain table they give a confident wrong AOV. A `Layout` names
//! the headers that recognise it (its signature), the column of each
//! field, and the row rules that say which rows are sales; the rows a rule
//! leaves out are counted as filtered out, with the rule's reason. The
//! header names and status values come from each system's documentation
//! and public sample exports; they are compared as `columns::base` writes
//! them (lower case, words joined by `_`, units in parentheses dropped).

use crate::load::columns::Field;

/// What a rule asks of a column's value for the row to be a sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    /// One of these values (compared without case, spaces, `-` or `_`).
    OneOf(&'static [&'static str]),
    /// None of these values.
    NoneOf(&'static [&'static str]),
    /// The value is empty.
    Empty,
    /// The value is an amount above zero.
    Positive,
}

/// A row rule: rows whose `column` fails `test` are not sales.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub column: &'static str,
    pub test: Test,
    /// Why such a row is left out, as the row accounting says it.
    pub reason: &'static str,
}

/// A known export layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The name `--export-layout` takes.
    pub key: &'static str,
    /// How stderr names it: "a Shopify orders export".
    pub title: &'static str,
    /// Sets of headers that recognise it: all of one set must be present.
    pub signatures: &'static [&'static [&'static str]],
    /// The column of each field: the first of the headers present. Fields
    /// not listed are not taken from this file (except ids and columns
    /// named by flags).
    pub roles: &'static [(Field, &'static [&'static str])],
    /// Rows that are not sales.
    pub rules: &'static [Rule],
    /// An order written on several lines whose later lines leave this
    /// column empty (or repeat it, with `None`): (order column, column).
    /// Such later lines are left out; the order's first line carries its
    /// values.
    pub later_lines: Option<(&'static str, Option<&'static str>)>,
    /// What one deal is and what is left out, for stderr and the README.
    pub summary: &'static str,
}

/// Every known layout.
pub const LAYOUTS: &[Layout] = &[
    Layout {
        key: "shopify",
        title: "a Shopify orders export",
        signatures: &[&["name", "financial_status", "total", "created_at", "lineitem_quantity"]],
        roles: &[
            (Field::Amount, &["total"]),
            (Field::Date, &["created_at"]),
            (Field::Customer, &["email", "billing_name"]),
            (Field::Currency, &["currency"]),
        ],
        rules: &[
            Rule { column: "financial_status", test: Test::NoneOf(&["voided"]), reason: "voided order" },
            Rule { column: "cancelled_at", test: Test::Empty, reason: "cancelled order" },
        ],
        later_lines: Some(("name", Some("total"))),
        summary: "one deal per order (\"Name\"), valued at \"Total\", voided and cancelled orders left out",
    },
    Layout {
        key: "woocommerce",
        title: "a WooCommerce orders export",
        signatures: &[
            &["order_number", "order_date", "order_status", "order_total"],
            &["order_number", "order_date", "status", "order_total", "order_currency"],
        ],
        roles: &[
            (Field::Amount, &["order_total", "order_total_amount"]),
            (Field::Date, &["order_date", "date_paid", "paid_date"]),
            (Field::Customer, &["customer_email", "billing_email", "customer_id", "customer_user"]),
            (Field::Currency, &["order_currency", "currency"]),
        ],
        rules: &[
            Rule {
                column: "order_status",
                test: Test::OneOf(&["completed", "processing", "wc-completed", "wc-processing"]),
                reason: "order not paid (status other than completed or processing)",
            },
            Rule {
                column: "status",
                test: Test::OneOf(&["completed", "processing", "wc-completed", "wc-processing"]),
                reason: "order not paid (status other than completed or processing)",
            },
        ],
        later_lines: Some(("order_number", None)),
        summary: "one deal per order (\"Order Number\"), valued at its order total, only completed and processing orders",
    },
    Layout {
        key: "stripe",
        title: "a Stripe payments export",
        signatures: &[
            &["created_date", "amount", "amount_refunded", "currency", "status", "captured"],
            &["created", "amount", "amount_refunded", "currency", "status", "captured"],
        ],
        roles: &[
            (Field::Amount, &["amount"]),
            (Field::Date, &["created_date", "created"]),
            (Field::Customer, &["customer_email", "customer_id", "customer_description"]),
            (Field::Currency, &["currency"]),
        ],
        rules: &[Rule {
            column: "status",
            test: Test::OneOf(&["paid"]),
            reason: "charge not Paid (failed, refunded...)",
        }],
        later_lines: None,
        summary: "one deal per charge, valued at \"Amount\", dated by \"Created date (UTC)\", only Paid charges",
    },
    Layout {
        key: "paypal",
        title: "a PayPal activity download",
        signatures: &[&["date", "type", "status", "currency", "gross", "fee", "net"]],
        roles: &[
            (Field::Amount, &["gross"]),
            (Field::Date, &["date"]),
            (Field::Customer, &["from_email_address", "name"]),
            (Field::Currency, &["currency"]),
        ],
        rules: &[
            Rule {
                column: "type",
                test: Test::OneOf(&[
                    "website payment",
                    "general payment",
                    "express checkout payment",
                    "mobile payment",
                    "subscription payment",
                    "shopping cart payment",
                    "donation payment",
                    // older downloads name incoming payments "... Received"
                    "payment received",
                    "web accept payment received",
                    "shopping cart payment received",
                    "express checkout payment received",
                    "subscription payment received",
                    "recurring payment received",
                    "mobile payment received",
                ]),
                reason: "not a customer payment (conversion, withdrawal, hold, fee...)",
            },
            Rule { column: "status", test: Test::OneOf(&["completed"]), reason: "payment not completed" },
            Rule { column: "gross", test: Test::Positive, reason: "payment not incoming (gross not above 0)" },
        ],
        later_lines: None,
        summary: "one deal per incoming payment (Type \"Website Payment\" or \"General Payment\", Status Completed, Gross above 0), valued at \"Gross\", currencies kept apart",
    },
    Layout {
        key: "adyen",
        title: "an Adyen settlement details report",
        signatures: &[&[
            "psp_reference",
            "merchant_reference",
            "creation_date",
            "type",
            "gross_currency",
            "gross_credit",
        ]],
        roles: &[
            (Field::Amount, &["gross_credit"]),
            (Field::Date, &["creation_date"]),
            (Field::Currency, &["gross_currency"]),
            (Field::Customer, &["shopper_reference", "shopper_email"]),
        ],
        rules: &[Rule {
            column: "type",
            test: Test::OneOf(&["settled"]),
            reason: "not a settled payment (refund, fee, payout...)",
        }],
        later_lines: None,
        summary: "one deal per Settled payment, valued at \"Gross Credit (GC)\", dated by \"Creation Date\"; refunds, fees and payouts left out",
    },
    Layout {
        key: "salesforce",
        title: "a Salesforce opportunities export",
        signatures: &[&["stage_name", "close_date", "amount"], &["opportunity_name", "stage", "close_date", "amount"]],
        roles: &[
            (Field::Amount, &["amount"]),
            (Field::Date, &["close_date"]),
            (Field::Customer, &["account_name", "account_id"]),
            (Field::Seller, &["opportunity_owner", "owner_name", "owner_full_name", "owner_id"]),
            (Field::Status, &["stage_name", "stage"]),
            (Field::Currency, &["opportunity_currency", "currency_iso_code", "amount_currency"]),
        ],
        rules: &[],
        later_lines: None,
        summary: "one deal per opportunity, valued at \"Amount\", dated by its close date, counted by its stage (\"Closed Won\")",
    },
    Layout {
        key: "hubspot",
        title: "a HubSpot deals export",
        signatures: &[&["record_id", "deal_name", "deal_stage", "close_date", "amount"]],
        roles: &[
            (Field::Amount, &["amount", "amount_in_company_currency"]),
            (Field::Date, &["close_date"]),
            (Field::Customer, &["associated_company", "company_name", "associated_company_ids"]),
            (Field::Seller, &["deal_owner"]),
            (Field::Status, &["deal_stage"]),
            (Field::Currency, &["currency"]),
        ],
        rules: &[],
        later_lines: None,
        summary: "one deal per HubSpot deal, valued at \"Amount\", dated by \"Close Date\", counted by \"Deal Stage\" (\"Closed Won\")",
    },
    Layout {
        key: "pipedrive",
        title: "a Pipedrive deals export",
        signatures: &[&["deal_title", "deal_value", "deal_status"], &["title", "value", "status", "won_time"]],
        roles: &[
            (Field::Amount, &["deal_value", "value"]),
            (
                Field::Date,
                &["deal_won_time", "won_time", "deal_deal_closed_on", "deal_closed_on", "deal_expected_close_date"],
            ),
            (Field::Customer, &["deal_organization", "organization", "deal_contact_person"]),
            (Field::Seller, &["deal_owner", "owner"]),
            (Field::Status, &["deal_status", "status"]),
            (Field::Currency, &["deal_currency", "currency"]),
        ],
        rules: &[],
        later_lines: None,
        summary: "one deal per Pipedrive deal, valued at its value, dated by its won time, counted by its status (won)",
    },
    Layout {
        key: "dynamics",
        title: "a Microsoft Dynamics 365 opportunities export",
        signatures: &[
            &["topic", "potential_customer", "est_revenue"],
            &["estimatedvalue", "statecode", "estimatedclosedate"],
        ],
        roles: &[
            (Field::Amount, &["actual_revenue", "actualvalue", "est_revenue", "estimatedvalue"]),
            (Field::Date, &["actual_close_date", "actualclosedate", "est_close_date", "estimatedclosedate"]),
            (Field::Customer, &["potential_customer", "account", "customerid", "parentaccountid"]),
            (Field::Seller, &["owner", "ownerid"]),
            (Field::Status, &["status"]),
            (Field::Currency, &["currency", "transactioncurrencyid"]),
        ],
        rules: &[Rule {
            column: "statecode",
            test: Test::OneOf(&["1", "won"]),
            reason: "opportunity not won (statecode)",
        }],
        later_lines: None,
        summary: "one deal per opportunity, valued at its actual revenue, dated by its actual close date, counted by its status (Won)",
    },
    Layout {
        key: "fortnox",
        title: "a Fortnox invoice list",
        signatures: &[&["document_number", "customer_number", "invoice_date", "total", "cancelled"]],
        roles: &[
            (Field::Amount, &["total"]),
            (Field::Date, &["invoice_date"]),
            (Field::Customer, &["customer_name", "customer_number"]),
            (Field::Currency, &["currency"]),
        ],
        rules: &[Rule {
            column: "cancelled",
            test: Test::NoneOf(&["true", "1", "yes", "ja"]),
            reason: "cancelled invoice",
        }],
        later_lines: None,
        summary: "one deal per invoice (\"DocumentNumber\"), valued at \"Total\", dated by \"InvoiceDate\", cancelled invoices left out",
    },
    Layout {
        key: "visma",
        title: "a Visma eAccounting invoice list",
        signatures: &[&["invoice_number", "invoice_date", "invoice_customer_name", "total_amount"]],
        roles: &[
            (Field::Amount, &["total_amount_invoice_currency", "total_amount"]),
            (Field::Date, &["invoice_date"]),
            (Field::Customer, &["invoice_customer_name", "customer_number"]),
            (Field::Currency, &["currency_code", "invoice_currency_code"]),
        ],
        rules: &[],
        later_lines: None,
        summary: "one deal per invoice (\"InvoiceNumber\"), valued at its total, dated by \"InvoiceDate\"",
    },
];

/// The layout `--export-layout` names.
pub fn by_key(key: &str) -> Option<&'static Layout> {
    LAYOUTS.iter().find(|l| l.key.eq_ignore_ascii_case(key.trim()))
}

/// The names `--export-layout` takes, for messages.
pub fn keys() -> String {
    let mut v: Vec<&str> = LAYOUTS.iter().map(|l| l.key).collect();
    v.push("none");
    v.join(", ")
}

/// The layout whose signature the headers (as `columns::base` writes them)
/// carry; the most specific one when several do.
pub fn recognise(bases: &[String]) -> Option<&'static Layout> {
    let has = |h: &str| bases.iter().any(|b| b == h);
    LAYOUTS
        .iter()
        .filter_map(|l| {
            l.signatures.iter().filter(|sig| sig.iter().all(|h| has(h))).map(|sig| (sig.len(), l)).max_by_key(|x| x.0)
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, l)| l)
}

/// Compare values as the rules do: lower case, letters and digits only.
pub fn fold(value: &str) -> String {
    value.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::columns::base;

    fn bases(headers: &str) -> Vec<String> {
        headers.split(',').map(base).collect()
    }

    #[test]
    fn each_layout_is_recognised_by_its_real_headers() {
        let cases = [
            (
                "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Cancelled at",
                "shopify",
            ),
            ("Order Number,Order Status,Order Date,Customer Email,Order Total,Order Currency", "woocommerce"),
            ("order_id,order_number,order_date,status,order_total,order_currency,billing_email", "woocommerce"),
            (
                "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Fee,Status,Customer ID,Customer Email",
                "stripe",
            ),
            ("Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,Transaction ID", "paypal"),
            (
                "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,Creation Date,TimeZone,Type,Gross Currency,Gross Debit (GC),Gross Credit (GC)",
                "adyen",
            ),
            ("Id,AccountId,Name,StageName,Amount,Probability,CloseDate,IsClosed,IsWon,OwnerId", "salesforce"),
            ("Opportunity Name,Account Name,Stage,Amount,Close Date,Opportunity Owner", "salesforce"),
            ("Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Pipeline", "hubspot"),
            (
                "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Status,Deal - Won time,Deal - Owner",
                "pipedrive",
            ),
            (
                "Topic,Potential Customer,Status,Status Reason,Est. Close Date,Est. Revenue,Actual Revenue,Owner",
                "dynamics",
            ),
            (
                "DocumentNumber,CustomerNumber,CustomerName,InvoiceDate,DueDate,Total,Currency,Cancelled,Booked",
                "fortnox",
            ),
            ("InvoiceNumber,InvoiceDate,InvoiceCustomerName,TotalAmount,CurrencyCode", "visma"),
        ];
        for (headers, key) in cases {
            assert_eq!(recognise(&bases(headers)).map(|l| l.key), Some(key), "{headers}");
        }
    }

    #[test]
    fn plain_tables_fit_no_layout() {
        for headers in [
            "date,customer,seller,amount",
            "Row ID,Order ID,Order Date,Customer ID,State,Sales,Quantity",
            "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value",
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        ] {
            assert_eq!(recognise(&bases(headers)), None, "{headers}");
        }
    }

    #[test]
    fn every_role_and_rule_column_is_written_as_base_writes_it() {
        for l in LAYOUTS {
            for (_, names) in l.roles {
                for n in *names {
                    assert_eq!(base(n), *n, "{}: {n}", l.key);
                }
            }
            for r in l.rules {
                assert_eq!(base(r.column), r.column, "{}", l.key);
            }
            for sig in l.signatures {
                for n in *sig {
                    assert_eq!(base(n), *n, "{}: {n}", l.key);
                }
            }
        }
        assert_eq!(by_key("Shopify").map(|l| l.key), Some("shopify"));
        assert!(keys().ends_with("visma, none"));
    }
}
