//! Printing an explanation: the segment rows, the TOTAL line, and in the
//! table a few plain sentences a sales manager can act on.

use std::io::{self, Write};

use serde_json::{Map, Value as Json};

use crate::aggregate::explain::Explanation;
use crate::aggregate::outliers::{Largest, Outliers, Which};
use crate::aggregate::{Fixed, Ratio};
use crate::render::json::{object, to_json};
use crate::render::lang::{Lang, Move, Strings};
use crate::render::{Format, Grid, MONEY_DECIMALS, PCT_DECIMALS, RenderOptions, Value, money_r, pct_r, text};

/// What is compared, for the words under the table.
#[derive(Clone, Debug)]
pub struct Framing {
    /// The `--by` column as given (customer, seller, product...).
    pub segment: String,
    /// `Some(seller)` when one seller is compared against the team.
    pub seller: Option<String>,
    pub base_label: String,
    pub current_label: String,
}

/// The words around each side's median and largest deal (issue 19).
pub struct OutlierWords {
    /// The totals line of the medians.
    pub median: &'static str,
    /// The totals line of the change without a side's largest deal, from
    /// the side's label.
    pub without: fn(&str) -> String,
    /// The other side when a seller is compared against the team.
    pub team: &'static str,
    /// The line naming a side's largest deal.
    pub largest: fn(&Strings, &DealLine<'_>) -> String,
    /// The sentence said first when one deal accounts for most of the change.
    pub sentence: fn(&Strings, &OneDeal<'_>) -> String,
    /// What the mix and rate sentence begins with after that one.
    pub of_that: &'static str,
}

/// A side's largest deal, rounded for printing.
pub struct DealLine<'a> {
    /// The side's label (`2013-11`).
    pub side: &'a str,
    pub amount: Fixed,
    pub currency: &'a str,
    pub customer: &'a str,
    pub date: chrono::NaiveDate,
    /// Its share of the side's total, in percent.
    pub share: Option<Fixed>,
}

/// What the first sentence says when one deal accounts for most of the
/// change.
pub struct OneDeal<'a> {
    /// `AOV fell 2,810.00 (-55.0 %)`.
    pub moved: String,
    pub base_median: Fixed,
    pub current_median: Fixed,
    /// The median moved by at most a tenth of the AOV's change.
    pub median_steady: bool,
    pub deal: DealLine<'a>,
    /// The change without the deal, and in percent of the base AOV then.
    pub without: Fixed,
    pub without_pct: Option<Fixed>,
}

/// `28.0 %`, no sign.
pub fn share(w: &Strings, f: &Fixed) -> String {
    format!("{}{}%", w.number(f), w.pct_space)
}

fn m(r: &Ratio) -> Value {
    Value::Money(r.round(MONEY_DECIMALS))
}

/// The grid: one row per segment, then one TOTAL row per currency. People's
/// formats show TOTAL as a totals line; machine formats as a last row.
pub fn grid(list: &[Explanation], framing: &Framing, machine: bool) -> Grid {
    grid_in(list, framing, machine, Lang::En)
}

/// `grid`, its words (heading, sentences, totals) in `lang`.
pub fn grid_in(list: &[Explanation], framing: &Framing, machine: bool, lang: Lang) -> Grid {
    let words = lang.strings();
    let show_currency = list.len() > 1;
    let mut columns = vec![framing.segment.clone()];
    if show_currency {
        columns.push("currency".into());
    }
    for c in ["base_deals", "current_deals", "base_aov", "current_aov", "mix", "rate", "effect"] {
        columns.push(c.into());
    }
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for e in list {
        for r in &e.rows {
            let mut row = vec![text(&r.segment)];
            if show_currency {
                row.push(text(&e.currency));
            }
            row.extend([
                Value::Count(r.base_deals),
                Value::Count(r.current_deals),
                money_r(&r.base_aov),
                money_r(&r.current_aov),
                m(&r.mix),
                m(&r.rate),
                Value::Change(r.effect.round(MONEY_DECIMALS)),
            ]);
            rows.push(row);
        }
        let s = &e.summary;
        let mut total = vec![text(if machine { "TOTAL" } else { words.explain.total })];
        if show_currency {
            total.push(text(&e.currency));
        }
        total.extend([
            Value::Count(s.base_deals),
            Value::Count(s.current_deals),
            m(&s.base_aov),
            m(&s.current_aov),
            m(&s.mix),
            m(&s.rate),
            Value::Change(s.change.round(MONEY_DECIMALS)),
        ]);
        if machine {
            rows.push(total)
        } else {
            totals.push(total)
        }
        if let Some(o) = &e.outliers {
            let (base, current) = side_labels(framing, words);
            let lines = [
                (
                    if machine { "MEDIAN".to_string() } else { words.outliers.median.to_string() },
                    [
                        Value::Count(o.base.deals),
                        Value::Count(o.current.deals),
                        money_r(&o.base.median),
                        money_r(&o.current.median),
                    ],
                    &o.median_change,
                ),
                (
                    if machine { "WITHOUT_BASE_LARGEST".to_string() } else { (words.outliers.without)(base) },
                    [
                        Value::Count(o.base.deals.saturating_sub(1)),
                        Value::Count(o.current.deals),
                        money_r(&o.base.aov_without_largest),
                        money_r(&o.current.aov),
                    ],
                    &o.change_without_base_largest,
                ),
                (
                    if machine { "WITHOUT_CURRENT_LARGEST".to_string() } else { (words.outliers.without)(current) },
                    [
                        Value::Count(o.base.deals),
                        Value::Count(o.current.deals.saturating_sub(1)),
                        money_r(&o.base.aov),
                        money_r(&o.current.aov_without_largest),
                    ],
                    &o.change_without_current_largest,
                ),
            ];
            for (label, cells, change) in lines {
                let mut row = vec![text(label)];
                if show_currency {
                    row.push(text(&e.currency));
                }
                row.extend(cells);
                row.extend([
                    Value::Empty,
                    Value::Empty,
                    change.as_ref().map_or(Value::Empty, |c| Value::Change(c.round(MONEY_DECIMALS))),
                ]);
                if machine { rows.push(row) } else { totals.push(row) }
            }
        }
    }
    let epilogue = if machine {
        Vec::new()
    } else {
        list.iter().flat_map(|e| sentences_in(e, framing, show_currency, words)).collect()
    };
    let heading = (words.explain.heading)(
        words,
        framing.seller.as_deref(),
        &framing.current_label,
        &framing.base_label,
        &framing.segment,
    );
    Grid { columns, thin: vec![false; rows.len()], rows, totals, preamble: vec![heading], epilogue }
}

/// The two sides' names for the outlier lines: the periods, or the team
/// and the seller compared.
fn side_labels<'a>(f: &'a Framing, w: &'a Strings) -> (&'a str, &'a str) {
    match &f.seller {
        Some(seller) => (w.outliers.team, seller.as_str()),
        None => (f.base_label.as_str(), f.current_label.as_str()),
    }
}

fn deal_line<'a>(l: &'a Largest, side: &'a str, currency: &'a str) -> DealLine<'a> {
    DealLine {
        side,
        amount: crate::aggregate::exact::round_decimal(l.amount, MONEY_DECIMALS),
        currency,
        customer: &l.customer,
        date: l.date,
        share: l.share_pct.as_ref().map(|p| p.round(PCT_DECIMALS)),
    }
}

/// The sentence said first when one deal accounts for most of the change.
fn one_deal_sentence(o: &Outliers, moved: String, f: &Framing, cur: &str, w: &Strings) -> Option<String> {
    let (base, current) = side_labels(f, w);
    let (deal, side, without, without_pct) = match o.dominant? {
        Which::Base => {
            (o.base.largest.as_ref()?, base, &o.change_without_base_largest, &o.change_pct_without_base_largest)
        }
        Which::Current => (
            o.current.largest.as_ref()?,
            current,
            &o.change_without_current_largest,
            &o.change_pct_without_current_largest,
        ),
    };
    let one = OneDeal {
        moved,
        base_median: o.base.median.as_ref()?.round(MONEY_DECIMALS),
        current_median: o.current.median.as_ref()?.round(MONEY_DECIMALS),
        median_steady: o.median_steady,
        deal: deal_line(deal, side, cur),
        without: without.as_ref()?.round(MONEY_DECIMALS),
        without_pct: without_pct.as_ref().map(|p| p.round(PCT_DECIMALS)),
    };
    Some((w.outliers.sentence)(w, &one))
}

/// An amount with its sign and currency, in the language of `w`.
fn signed(w: &Strings, r: &Ratio, currency: &str) -> String {
    w.with_currency(w.signed(&r.round(MONEY_DECIMALS)), currency)
}

/// Two or three sentences: what happened, why, and who contributed most.
pub fn sentences(e: &Explanation, f: &Framing, show_currency: bool) -> Vec<String> {
    sentences_in(e, f, show_currency, Lang::En.strings())
}

/// `sentences` in the language of `w`.
pub fn sentences_in(e: &Explanation, f: &Framing, show_currency: bool, w: &Strings) -> Vec<String> {
    let s = &e.summary;
    let cur = e.currency.as_str();
    let prefix = if show_currency { format!("{cur}: ") } else { String::new() };
    let moved = Move {
        change: s.change.round(MONEY_DECIMALS),
        pct: s.change_pct.as_ref().map(|p| p.round(PCT_DECIMALS)),
        current: s.current_aov.round(MONEY_DECIMALS),
        currency: cur,
    };
    let what = match &f.seller {
        Some(seller) => format!("{prefix}{}", (w.against_team)(w, seller, &moved)),
        None => format!("{prefix}{}", (w.moved)(w, &moved)),
    };
    let [mix_up, mix_down, rate_up, rate_down] = (w.explain.reasons)(f.segment.as_str(), f.seller.as_deref());
    let part = |r: &Ratio, up: &str, down: &str, label: &str| -> String {
        let f = r.round(MONEY_DECIMALS);
        let because = w.explain.because;
        if f.is_negative() {
            format!("{} {because} {down} ({label})", signed(w, r, cur))
        } else if f.is_positive() {
            format!("{} {because} {up} ({label})", signed(w, r, cur))
        } else {
            format!("{} {label}", w.explain.nothing_from)
        }
    };
    let mut out = Vec::new();
    if let Some(o) = &e.outliers {
        let moved_only = match &f.seller {
            Some(seller) => (w.against_team)(w, seller, &moved),
            None => (w.moved)(w, &moved),
        };
        if let Some(first) = one_deal_sentence(o, format!("{prefix}{moved_only}"), f, cur, w) {
            out.push(first);
        }
    }
    // Said once: after the one-deal sentence, the split begins "Of that".
    let what = if out.is_empty() { what } else { format!("{prefix}{}", w.outliers.of_that) };
    out.push(format!(
        "{what}: {}, {}.",
        part(&s.mix, &mix_up, &mix_down, w.explain.mix),
        part(&s.rate, &rate_up, &rate_down, w.explain.rate)
    ));
    let top: Vec<String> = e
        .rows
        .iter()
        .filter(|r| {
            let f = r.effect.round(MONEY_DECIMALS);
            f.is_positive() || f.is_negative()
        })
        .take(3)
        .map(|r| format!("{} ({})", r.segment, signed(w, &r.effect, cur)))
        .collect();
    if !top.is_empty() {
        out.push(format!("{}: {}.", w.explain.largest, top.join(", ")));
    }
    if let Some(o) = &e.outliers {
        let (base, current) = side_labels(f, w);
        for (side, label) in [(&o.base, base), (&o.current, current)] {
            if let Some(l) = &side.largest {
                out.push(format!("{prefix}{}", (w.outliers.largest)(w, &deal_line(l, label, cur))));
            }
        }
    }
    out
}

/// JSON: `{"segments": [...], "summary": {...}}`; with several currencies
/// `summary` is an array with one object per currency.
pub fn json(list: &[Explanation], framing: &Framing) -> Json {
    let g = grid(list, framing, true);
    let per = g.columns.len();
    let mut segments = Vec::new();
    let mut summaries = Vec::new();
    let mut i = 0;
    for e in list {
        for _ in &e.rows {
            segments.push(Json::Object(object(&g.columns, &g.rows[i][..per])));
            i += 1;
        }
        let s = &e.summary;
        let mut o = Map::new();
        if list.len() > 1 {
            o.insert("currency".into(), Json::String(e.currency.clone()));
        }
        o.insert("base".into(), Json::String(framing.base_label.clone()));
        o.insert("current".into(), Json::String(framing.current_label.clone()));
        o.insert("base_deals".into(), to_json(&Value::Count(s.base_deals)));
        o.insert("current_deals".into(), to_json(&Value::Count(s.current_deals)));
        o.insert("base_aov".into(), to_json(&m(&s.base_aov)));
        o.insert("current_aov".into(), to_json(&m(&s.current_aov)));
        o.insert("change".into(), to_json(&m(&s.change)));
        o.insert("change_pct".into(), to_json(&pct_r(&s.change_pct)));
        o.insert("mix".into(), to_json(&m(&s.mix)));
        o.insert("rate".into(), to_json(&m(&s.rate)));
        if let Some(x) = &e.outliers {
            outlier_json(x, &mut o);
        }
        summaries.push(Json::Object(o));
        i += 1; // the TOTAL row
    }
    let mut top = Map::new();
    top.insert("segments".into(), Json::Array(segments));
    top.insert("summary".into(), if summaries.len() == 1 { summaries.remove(0) } else { Json::Array(summaries) });
    Json::Object(top)
}

/// The outlier figures in JSON's `summary`.
fn outlier_json(x: &Outliers, o: &mut Map<String, Json>) {
    let largest = |l: &Option<Largest>| match l {
        None => Json::Null,
        Some(l) => {
            let mut d = Map::new();
            d.insert("customer".into(), Json::String(l.customer.clone()));
            d.insert("date".into(), Json::String(l.date.to_string()));
            d.insert("amount".into(), to_json(&crate::render::money(l.amount)));
            d.insert("share_pct".into(), to_json(&pct_r(&l.share_pct)));
            Json::Object(d)
        }
    };
    o.insert("base_median".into(), to_json(&money_r(&x.base.median)));
    o.insert("current_median".into(), to_json(&money_r(&x.current.median)));
    o.insert("median_change".into(), to_json(&money_r(&x.median_change)));
    o.insert("base_largest".into(), largest(&x.base.largest));
    o.insert("current_largest".into(), largest(&x.current.largest));
    o.insert("base_aov_without_largest".into(), to_json(&money_r(&x.base.aov_without_largest)));
    o.insert("current_aov_without_largest".into(), to_json(&money_r(&x.current.aov_without_largest)));
    o.insert("change_without_base_largest".into(), to_json(&money_r(&x.change_without_base_largest)));
    o.insert("change_pct_without_base_largest".into(), to_json(&pct_r(&x.change_pct_without_base_largest)));
    o.insert("change_without_current_largest".into(), to_json(&money_r(&x.change_without_current_largest)));
    o.insert("change_pct_without_current_largest".into(), to_json(&pct_r(&x.change_pct_without_current_largest)));
    let dominant = match x.dominant {
        Some(Which::Base) => Json::String("base".into()),
        Some(Which::Current) => Json::String("current".into()),
        None => Json::Null,
    };
    o.insert("one_deal_dominates".into(), dominant);
}

pub fn render(
    list: &[Explanation],
    framing: &Framing,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json(list, framing))?;
            out.write_all(b"\n")
        }
        Format::Table | Format::Markdown | Format::Html => {
            crate::render::render_grid(&grid_in(list, framing, false, options.lang), format, options, out)
        }
        _ => crate::render::render_grid(&grid(list, framing, true), format, options, out),
    }
}
