//! What a deal's status says: a closed sale, a lost quote, an open one, or a
//! voided order.
//!
//! AOV is the average of closed sales. Exports write their statuses in many
//! ways (`Closed Won`, `closedwon`, `paid`, `Betald`, `Gewonnen`), so the
//! tool keeps one vocabulary of the common words, in the languages its users
//! write, that every reader and every view classes a value by. `aov.toml`
//! can add words of its own (`[status] won = ["Levererad"]`).

use std::collections::HashMap;
use std::fmt;

/// The class of a status value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusClass {
    /// A closed sale: counted by default.
    Won,
    /// A quote the customer said no to.
    Lost,
    /// Not decided yet (pipeline).
    Open,
    /// Voided, cancelled, refunded or failed: never a sale.
    Void,
}

impl StatusClass {
    pub const ALL: [StatusClass; 4] = [StatusClass::Won, StatusClass::Lost, StatusClass::Open, StatusClass::Void];

    pub fn name(self) -> &'static str {
        match self {
            StatusClass::Won => "won",
            StatusClass::Lost => "lost",
            StatusClass::Open => "open",
            StatusClass::Void => "void",
        }
    }

    /// The class named `s` (as in `aov.toml`'s `[status]` table).
    pub fn from_name(s: &str) -> Option<StatusClass> {
        StatusClass::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for StatusClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Built-in words, compared after `normalize` (lower case, letters and
/// digits only), so `Closed Won`, `closed_won` and `ClosedWon` are one word.
const WON: &[&str] = &[
    // English, and what CRMs, shops and payment providers write
    "won",
    "closed won",
    "closedwon",
    "win",
    "paid",
    "succeeded",
    "success",
    "successful",
    "completed",
    "complete",
    "settled",
    "fulfilled",
    "fulfillment",
    "shipped",
    "delivered",
    "invoiced",
    "captured",
    "authorised and captured",
    "sale",
    "sold",
    "accepted",
    "approved",
    "partially paid",
    "partially refunded",
    // Adyen settlement details, WooCommerce
    "settled bulk",
    "wc-completed",
    // Swedish
    "vunnen",
    "vunnet",
    "vunna",
    "betald",
    "betalt",
    "betalad",
    "avslutad",
    "avslutat",
    "levererad",
    "levererat",
    "fakturerad",
    "fakturerat",
    "genomförd",
    "accepterad",
    "godkänd",
    // Norwegian, Danish
    "vunnet",
    "betalt",
    "fullført",
    "vundet",
    "gennemført",
    "leveret",
    "faktureret",
    // Finnish
    "voitettu",
    "maksettu",
    "valmis",
    "toimitettu",
    // German
    "gewonnen",
    "bezahlt",
    "abgeschlossen",
    "geliefert",
    "erledigt",
    // French, Spanish, Italian, Dutch
    "gagné",
    "gagne",
    "payé",
    "paye",
    "terminé",
    "ganado",
    "ganada",
    "pagado",
    "pagada",
    "completado",
    "vinto",
    "vinta",
    "pagato",
    "completato",
    "gewonnen",
    "betaald",
    "voltooid",
    "geleverd",
];

const LOST: &[&str] = &[
    "lost",
    "closed lost",
    "closedlost",
    "loss",
    "rejected",
    "declined",
    "refused",
    "disqualified",
    "out sold",
    "outsold",
    "unqualified",
    "förlorad",
    "förlorat",
    "förlorade",
    "nej",
    "avböjd",
    "tapt",
    "tabt",
    "hävitty",
    "hävinnyt",
    "verloren",
    "abgelehnt",
    "perdu",
    "perdue",
    "refusé",
    "perdido",
    "perdida",
    "rechazado",
    "perso",
    "persa",
    "rifiutato",
    "verloren",
    "afgewezen",
];

const OPEN: &[&str] = &[
    "open",
    "new",
    "lead",
    "prospecting",
    "prospect",
    "engaging",
    "qualification",
    "qualified",
    "qualify",
    "needs analysis",
    "value proposition",
    "id decision makers",
    "perception analysis",
    "proposal",
    "proposal price quote",
    "proposal/price quote",
    "quote",
    "quoted",
    "negotiation",
    "negotiation review",
    "negotiation/review",
    "discovery",
    "proposal/quote",
    "proposal quote",
    "demo",
    "evaluation",
    "solution",
    "closing",
    "forecast",
    "in progress",
    "pending",
    "draft",
    "sent",
    "appointment scheduled",
    "qualified to buy",
    "presentation scheduled",
    "decision maker bought in",
    "contract sent",
    "develop",
    "propose",
    "pipeline",
    "commit",
    "best case",
    "authorized",
    "authorised",
    "unpaid",
    "unfulfilled",
    // Adyen settlement details, WooCommerce
    "sent for settle",
    "on-hold",
    "wc-pending",
    "wc-processing",
    "wc-on-hold",
    "on hold",
    "processing",
    // Swedish and the other languages
    "öppen",
    "öppet",
    "offert",
    "offererad",
    "förhandling",
    "pågående",
    "ny",
    "utkast",
    "skickad",
    "obetald",
    "åben",
    "tilbud",
    "avoin",
    "tarjous",
    "offen",
    "angebot",
    "verhandlung",
    "neu",
    "ouvert",
    "devis",
    "abierto",
    "presupuesto",
    "aperto",
    "preventivo",
    "offerte",
];

const VOID: &[&str] = &[
    "void",
    "voided",
    "cancelled",
    "canceled",
    "cancel",
    "refunded",
    "refund",
    "failed",
    "failure",
    "reversed",
    "chargeback",
    "charged back",
    "refunded bulk",
    "chargeback reversed",
    "wc-cancelled",
    "wc-refunded",
    "wc-failed",
    "disputed",
    "expired",
    "denied",
    "deleted",
    "returned",
    "credited",
    "makulerad",
    "makulerat",
    "annullerad",
    "annullerat",
    "krediterad",
    "krediterat",
    "återbetald",
    "återbetalt",
    "avbruten",
    "misslyckad",
    "kansellert",
    "annulleret",
    "refundert",
    "peruttu",
    "hyvitetty",
    "storniert",
    "erstattet",
    "fehlgeschlagen",
    "annulé",
    "annule",
    "remboursé",
    "cancelado",
    "reembolsado",
    "annullato",
    "rimborsato",
    "geannuleerd",
    "terugbetaald",
];

/// A status value with case, spaces and punctuation taken out.
pub fn normalize(value: &str) -> String {
    value.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The words statuses are classed by: the built-in ones and any added in
/// `aov.toml`. An added word takes precedence over a built-in one.
#[derive(Clone, Debug)]
pub struct Vocabulary {
    words: HashMap<String, StatusClass>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::builtin()
    }
}

impl Vocabulary {
    pub fn builtin() -> Vocabulary {
        let mut words = HashMap::new();
        for (class, list) in
            [(StatusClass::Won, WON), (StatusClass::Lost, LOST), (StatusClass::Open, OPEN), (StatusClass::Void, VOID)]
        {
            for w in list {
                words.insert(normalize(w), class);
            }
        }
        Vocabulary { words }
    }

    /// Add words of the user's own to a class.
    pub fn extend<'a>(&mut self, class: StatusClass, values: impl IntoIterator<Item = &'a str>) {
        for v in values {
            let key = normalize(v);
            if !key.is_empty() {
                self.words.insert(key, class);
            }
        }
    }

    /// The (normalised) words of a class, sorted.
    pub fn words_of(&self, class: StatusClass) -> Vec<String> {
        let mut w: Vec<String> = self.words.iter().filter(|(_, c)| **c == class).map(|(w, _)| w.clone()).collect();
        w.sort();
        w
    }

    /// The class of a status value, or `None` when the word is not known.
    pub fn class(&self, value: &str) -> Option<StatusClass> {
        let key = normalize(value);
        if key.is_empty() {
            return None;
        }
        self.words.get(&key).copied()
    }

    /// Whether the distinct values of a column look like statuses: most of
    /// them are known words. A column of US states, products or names is
    /// not a status column even when its header says `State` or `Type`.
    pub fn looks_like_statuses<'a>(&self, distinct: impl IntoIterator<Item = &'a str>) -> bool {
        let (mut known, mut all) = (0usize, 0usize);
        for v in distinct {
            if normalize(v).is_empty() {
                continue;
            }
            all += 1;
            if self.class(v).is_some() {
                known += 1;
            }
        }
        known > 0 && known * 2 >= all
    }
}

/// Which statuses count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StatusRule {
    /// Closed sales (won) by the vocabulary; a value the vocabulary does not
    /// know counts, and is named on stderr.
    #[default]
    Won,
    /// Every status (`--status all`).
    All,
    /// Exactly these values (`--status VALUE`), compared after `normalize`.
    Chosen(Vec<String>),
}

/// What the rule decided for one status value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Counted,
    /// Counted, but the vocabulary does not know the word.
    CountedUnknown,
    LeftOut,
}

impl StatusRule {
    /// The rule for the `--status` values given (`all` alone means all).
    pub fn from_values(values: &[String]) -> StatusRule {
        if values.is_empty() {
            StatusRule::Won
        } else if values.iter().any(|v| v.trim().eq_ignore_ascii_case("all")) {
            StatusRule::All
        } else {
            StatusRule::Chosen(values.iter().map(|v| normalize(v)).collect())
        }
    }

    /// The normalised statuses that count, for a query that keeps them
    /// itself (`aov sql`, `report --source`); `None` when every status
    /// counts. A query cannot set unknown words apart until the end of the
    /// input, so under `Won` it keeps exactly the vocabulary's won words.
    pub fn counted_words(&self, vocabulary: &Vocabulary) -> Option<Vec<String>> {
        match self {
            StatusRule::All => None,
            StatusRule::Chosen(words) => Some(words.clone()),
            StatusRule::Won => Some(vocabulary.words_of(StatusClass::Won)),
        }
    }

    pub fn verdict(&self, vocabulary: &Vocabulary, value: &str) -> Verdict {
        match self {
            StatusRule::All => Verdict::Counted,
            StatusRule::Chosen(keep) => {
                if keep.contains(&normalize(value)) {
                    Verdict::Counted
                } else {
                    Verdict::LeftOut
                }
            }
            StatusRule::Won => match vocabulary.class(value) {
                Some(StatusClass::Won) => Verdict::Counted,
                Some(_) => Verdict::LeftOut,
                None => Verdict::CountedUnknown,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_classed_in_every_spelling() {
        let v = Vocabulary::builtin();
        let cases = [
            ("Closed Won", Some(StatusClass::Won)),
            ("closedwon", Some(StatusClass::Won)),
            ("CLOSED_WON", Some(StatusClass::Won)),
            ("Won", Some(StatusClass::Won)),
            ("paid", Some(StatusClass::Won)),
            ("Succeeded", Some(StatusClass::Won)),
            ("Settled", Some(StatusClass::Won)),
            ("Betald", Some(StatusClass::Won)),
            ("Vunnen", Some(StatusClass::Won)),
            ("Gewonnen", Some(StatusClass::Won)),
            ("bezahlt", Some(StatusClass::Won)),
            ("Closed Lost", Some(StatusClass::Lost)),
            ("Lost", Some(StatusClass::Lost)),
            ("Förlorad", Some(StatusClass::Lost)),
            ("Prospecting", Some(StatusClass::Open)),
            ("Engaging", Some(StatusClass::Open)),
            ("Negotiation/Review", Some(StatusClass::Open)),
            ("Id. Decision Makers", Some(StatusClass::Open)),
            ("Offert", Some(StatusClass::Open)),
            ("Öppen", Some(StatusClass::Open)),
            ("voided", Some(StatusClass::Void)),
            ("Cancelled", Some(StatusClass::Void)),
            ("Refunded", Some(StatusClass::Void)),
            ("Failed", Some(StatusClass::Void)),
            ("Makulerad", Some(StatusClass::Void)),
            ("Krediterad", Some(StatusClass::Void)),
            // Values of the known layouts
            ("SettledBulk", Some(StatusClass::Won)),
            ("SentForSettle", Some(StatusClass::Open)),
            ("RefundedBulk", Some(StatusClass::Void)),
            ("wc-completed", Some(StatusClass::Won)),
            ("wc-on-hold", Some(StatusClass::Open)),
            ("wc-refunded", Some(StatusClass::Void)),
            ("partially_refunded", Some(StatusClass::Won)),
            ("Out-Sold", Some(StatusClass::Lost)),
            ("Decision Maker Bought-In", Some(StatusClass::Open)),
            ("Texas", None),
            ("", None),
            ("GTX Pro", None),
        ];
        for (value, class) in cases {
            assert_eq!(v.class(value), class, "{value:?}");
        }
    }

    #[test]
    fn the_settings_file_adds_words() {
        let mut v = Vocabulary::builtin();
        assert_eq!(v.class("Utskeppad"), None);
        v.extend(StatusClass::Won, ["Utskeppad"]);
        assert_eq!(v.class("utskeppad"), Some(StatusClass::Won));
        // An added word wins over a built-in one.
        v.extend(StatusClass::Void, ["Closed"]);
        assert_eq!(v.class("closed"), Some(StatusClass::Void));
    }

    #[test]
    fn a_column_of_states_is_not_a_status_column() {
        let v = Vocabulary::builtin();
        assert!(!v.looks_like_statuses(["Texas", "California", "Kentucky", "Ohio"]));
        assert!(!v.looks_like_statuses(["", " "]));
        assert!(v.looks_like_statuses(["Won", "Lost", "Engaging", "Prospecting"]));
        assert!(v.looks_like_statuses(["Closed Won", "Closed Lost", "Qualification", "Something"]));
        assert!(!v.looks_like_statuses(["Closed Won", "Foo", "Bar", "Baz"]));
    }

    #[test]
    fn rules() {
        let v = Vocabulary::builtin();
        let won = StatusRule::from_values(&[]);
        assert_eq!(won.verdict(&v, "Closed Won"), Verdict::Counted);
        assert_eq!(won.verdict(&v, "Closed Lost"), Verdict::LeftOut);
        assert_eq!(won.verdict(&v, "Prospecting"), Verdict::LeftOut);
        assert_eq!(won.verdict(&v, "Levererat till kund"), Verdict::CountedUnknown);
        let all = StatusRule::from_values(&["ALL".into()]);
        assert_eq!(all.verdict(&v, "Closed Lost"), Verdict::Counted);
        let chosen = StatusRule::from_values(&["closed lost".into(), "Won".into()]);
        assert_eq!(chosen.verdict(&v, "Closed Lost"), Verdict::Counted);
        assert_eq!(chosen.verdict(&v, "won"), Verdict::Counted);
        assert_eq!(chosen.verdict(&v, "Closed Won"), Verdict::LeftOut);
    }
}
