//! Swedish: Swedish headers and sentences, `1 234 567,89` with a no-break
//! space between thousands, `−` (U+2212) for minus, `kr` for kronor.

use super::{ChartWords, Counted, ExplainWords, Move, Strings, SummaryWords, Title, ViewWords};
use crate::render::explain::{DealLine, OneDeal, OutlierWords, share};

pub const STRINGS: Strings = Strings {
    code: "sv",
    blank_group: |name| {
        let column = name.strip_prefix("(no ")?.strip_suffix(')')?;
        Some(match column {
            "customer" => "(ingen kund)".to_string(),
            "seller" => "(ingen säljare)".to_string(),
            other => format!("(ingen {other})"),
        })
    },
    group: "\u{a0}",
    decimal: ",",
    minus: "\u{2212}",
    pct_space: "\u{a0}",
    headers: &[
        ("period", "Period"),
        ("deals", "Affärer"),
        ("total", "Summa"),
        ("aov", "Snittordervärde"),
        ("aov_change", "Förändring"),
        ("aov_change_pct", "Förändring %"),
        ("target_gap", "Mot mål"),
        ("currency", "Valuta"),
        ("customer", "Kund"),
        ("seller", "Säljare"),
        ("segment", "Segment"),
        ("trend", "Trend"),
        ("median", "Median"),
        ("p25", "P25"),
        ("p75", "P75"),
        ("p90", "P90"),
        ("min", "Min"),
        ("max", "Max"),
        ("top_deal_pct", "Största affär %"),
        ("share_pct", "Andel %"),
        ("cum_share_pct", "Kumulativ andel %"),
        ("class", "Klass"),
        ("rank", "Rang"),
        ("first_deal", "Första affär"),
        ("last_deal", "Senaste affär"),
        ("days_since_last", "Dagar sedan senaste"),
        ("a_deals_pct", "A-affärer %"),
        ("b_deals_pct", "B-affärer %"),
        ("c_deals_pct", "C-affärer %"),
        ("customers", "Kunder"),
        ("base_deals", "Affärer före"),
        ("current_deals", "Affärer nu"),
        ("base_aov", "Snittordervärde före"),
        ("current_aov", "Snittordervärde nu"),
        ("change", "Förändring"),
        ("change_pct", "Förändring %"),
        ("mix", "Mixeffekt"),
        ("rate", "Nivåeffekt"),
        ("effect", "Effekt"),
        ("vs_team", "Mot teamet"),
    ],
    currencies: &[("SEK", "kr")],
    total: "Summa",
    or: "eller",
    no_deals: "Inga affärer i urvalet.",
    trend: "Trend för snittordervärdet",
    trend_scale: "staplar från 0",
    thin: |s, n| format!("° färre än {} affärer: för få för att snittordervärdet ska säga mycket.", s.count(n)),
    rows: |s, [read, used, filtered, rejected]| {
        format!(
            "Rader: {} lästa, {} använda, {} bortfiltrerade, {} avvisade.",
            s.count(read),
            s.count(used),
            s.count(filtered),
            s.count(rejected)
        )
    },
    definition: |s, counted, credits| {
        let statuses = match counted {
            Counted::Won => "avslutade affärer (vunna statusar)".to_string(),
            Counted::All => "alla statusar".to_string(),
            Counted::Chosen(v) => format!("status {}", v.join(&format!(" {} ", s.or))),
        };
        let credits = if credits { "kreditnotor (negativa belopp) medräknade" } else { "kreditnotor utelämnade" };
        format!(
            "Snittordervärde = summan av de räknade affärerna / deras antal; räknat: {statuses}, {credits}; avrundat till närmaste, hälften bort från noll."
        )
    },
    labels: &[],
    hyphens: &[
        ("Snittordervärde", "Snitt\u{ad}order\u{ad}värde"),
        ("Kumulativ", "Kumu\u{ad}lativ"),
        ("Mixeffekt", "Mix\u{ad}effekt"),
        ("Nivåeffekt", "Nivå\u{ad}effekt"),
    ],
    views: ViewWords {
        customers_title: |files| format!("Kunder efter summa: {files}"),
        sellers_title: |files| format!("Säljare: {files}"),
        ranked_title: |name, files| format!("{name} efter summa: {files}"),
        sellers_by_title: |name, files| format!("Säljare efter {name}: {files}"),
        customer_words: |name| {
            vec![
                (" kunderna ", format!(" {name}-värdena ")),
                (" kunder ", format!(" {name}-värden ")),
                (" kund ", format!(" {name}-värde ")),
            ]
        },
        seller_words: |name| vec![("säljarens", format!("{name}-värdets"))],
        class_a: |of, a, n, count, share| {
            let of = if of.is_empty() { String::new() } else { format!(" ({of})") };
            let share = share.unwrap_or_else(|| "en odefinierad andel".into());
            let kunder = if count == 1 { "kund" } else { "kunder" };
            format!("Klass A{of}: {a} av {n} {kunder} står för {share} av intäkterna.")
        },
        classes: "Klasser: A så länge de större kunderna står för under 80 % av intäkterna, B under 95 %, C resten.",
        sellers_note: "A-/B-/C-affärer %: andelen av säljarens affärer med kunder i klass A, B, C; Mot teamet: säljarens snittordervärde minus snittordervärdet för alla affärer.",
        subtotal: "Delsumma",
        trend: |[a, b, c, d], as_of, given| {
            let whose = if given { "--as-of" } else { "den sista affärsdagen" };
            format!("Trend: {a}–{b} mot {c}–{d}; dagar sedan senaste affär till {as_of} ({whose}).")
        },
    },
    chart: ChartWords {
        aov: "Snittordervärde",
        deals: "affärer",
        target: "mål",
        other: "övriga",
        clipped: |n| {
            if n == 1 {
                "1 punkt ligger utanför diagrammet".to_string()
            } else {
                format!("{n} punkter ligger utanför diagrammet")
            }
        },
    },
    summary: SummaryWords {
        latest: "Senaste perioden",
        change: "förändring mot perioden före",
        yoy: "mot samma period året före",
        target_met: "målet nått",
        target_missed: "målet inte nått",
    },
    html_lang: "sv",
    moved: |s, m: &Move<'_>| {
        if m.change.is_negative() {
            format!("Snittordervärdet sjönk {}{}", m.size_in(s), m.pct_in(s))
        } else if m.change.is_positive() {
            format!("Snittordervärdet steg {}{}", m.size_in(s), m.pct_in(s))
        } else {
            format!("Snittordervärdet låg kvar på {}{}", s.amount(&m.current, m.currency), m.pct_in(s))
        }
    },
    against_team: |s, seller, m: &Move<'_>| {
        let whose = genitive(seller);
        if m.change.is_negative() {
            format!("{whose} snittordervärde är {} under teamets{}", m.size_in(s), m.pct_in(s))
        } else if m.change.is_positive() {
            format!("{whose} snittordervärde är {} över teamets{}", m.size_in(s), m.pct_in(s))
        } else {
            format!("{whose} snittordervärde är i nivå med teamets{}", m.pct_in(s))
        }
    },
    title: |s, t: &Title<'_>| {
        let by = if t.by.is_empty() { String::new() } else { format!(" per {}", s.by_words(t.by)) };
        let per = if t.period == "all" { "totalt".to_string() } else { format!("per {}", s.period(t.period)) };
        format!("Snittordervärde {per}{by}: {}{}", t.files, t.range("till"))
    },
    periods: &[
        ("day", "dag"),
        ("week", "vecka"),
        ("month", "månad"),
        ("quarter", "kvartal"),
        ("half", "halvår"),
        ("year", "år"),
        ("all", "hela perioden"),
    ],
    and: "och",
    explain: ExplainWords {
        heading: |s, seller, current, base, segment| {
            let seg = s.header(segment).to_lowercase();
            match seller {
                Some(name) => format!("{name} mot teamet, {current} (snittordervärde per {seg}):"),
                None => format!("Snittordervärde {current} mot {base}, per {seg}:"),
            }
        },
        reasons: |segment, seller| match (segment, seller) {
            ("customer", Some(name)) => {
                let g = genitive(name);
                [
                    format!("{g} affärer går till kunder med större order"),
                    format!("{g} affärer går till kunder med mindre order"),
                    format!("{g} kunder köper mer per affär än teamets"),
                    format!("{g} kunder köper mindre per affär än teamets"),
                ]
            }
            ("customer", None) => [
                "en större andel av affärerna gick till kunder med större order".to_string(),
                "en större andel av affärerna gick till kunder med mindre order".to_string(),
                "kunderna köpte mer per affär".to_string(),
                "kunderna köpte mindre per affär".to_string(),
            ],
            ("seller", _) => [
                "en större andel av affärerna stängdes av säljare med större affärer".to_string(),
                "en större andel av affärerna stängdes av säljare med mindre affärer".to_string(),
                "säljarna stängde större affärer än förut".to_string(),
                "säljarna stängde mindre affärer än förut".to_string(),
            ],
            (other, _) => [
                format!("en större andel av affärerna föll på värden av {other} med högre snittordervärde"),
                format!("en större andel av affärerna föll på värden av {other} med lägre snittordervärde"),
                format!("affärerna inom varje värde av {other} var större"),
                format!("affärerna inom varje värde av {other} var mindre"),
            ],
        },
        because: "eftersom",
        nothing_from: "inget från",
        mix: "mix",
        rate: "nivå",
        largest: "Största bidrag",
        total: "SUMMA",
    },
    // explain names the outliers (issue 19)
    outliers: OutlierWords {
        median: "Median",
        without: |side| format!("Utan största affären, {side}"),
        team: "teamet",
        largest: |s, d: &DealLine<'_>| {
            let share = d.share.as_ref().map_or(String::new(), |p| format!(", {} av totalen", share(s, p)));
            format!(
                "Största affären, {}: {} med {} den {}{share}.",
                d.side,
                s.amount(&d.amount, d.currency),
                d.customer,
                d.date
            )
        },
        of_that: "Därav",
        sentence: |s, o: &OneDeal<'_>| {
            let median = if o.median_steady {
                format!(
                    "medianen rörde sig knappt ({} \u{2192} {})",
                    s.number(&o.base_median),
                    s.number(&o.current_median)
                )
            } else {
                format!("medianen gick från {} till {}", s.number(&o.base_median), s.number(&o.current_median))
            };
            let d = &o.deal;
            let share =
                d.share.as_ref().map_or(String::new(), |p| format!(" var {} av totalen för {}", share(s, p), d.side));
            let size = match &o.without_pct {
                Some(p) => format!("{}{}%", s.magnitude(p), s.pct_space),
                None => s.with_currency(s.magnitude(&o.without), d.currency),
            };
            let without = if o.without.is_negative() {
                format!("utan den sjönk snittordervärdet {size}")
            } else if o.without.is_positive() {
                format!("utan den steg snittordervärdet {size}")
            } else {
                "utan den låg snittordervärdet kvar".to_string()
            };
            format!(
                "{}; {median}: en affär på {} med {} den {}{share}; {without}.",
                o.moved,
                s.amount(&d.amount, d.currency),
                d.customer,
                d.date
            )
        },
    },
};

/// A Swedish genitive: `Evas`, but `Lars` and `Klaus` (a name ending in
/// s, x or z takes no further s).
fn genitive(name: &str) -> String {
    if name.ends_with(['s', 'x', 'z', 'S', 'X', 'Z']) { name.to_string() } else { format!("{name}s") }
}
