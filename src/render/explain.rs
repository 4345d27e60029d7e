//! Printing an explanation: the segment rows, the TOTAL line, and in the
//! table a few plain sentences a sales manager can act on.

use std::io::{self, Write};

use serde_json::{Map, Value as Json};

use crate::aggregate::Ratio;
use crate::aggregate::explain::Explanation;
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
        if machine { rows.push(total) } else { totals.push(total) }
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
    let mut out = vec![format!(
        "{what}: {}, {}.",
        part(&s.mix, &mix_up, &mix_down, w.explain.mix),
        part(&s.rate, &rate_up, &rate_down, w.explain.rate)
    )];
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
        summaries.push(Json::Object(o));
        i += 1; // the TOTAL row
    }
    let mut top = Map::new();
    top.insert("segments".into(), Json::Array(segments));
    top.insert("summary".into(), if summaries.len() == 1 { summaries.remove(0) } else { Json::Array(summaries) });
    Json::Object(top)
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
