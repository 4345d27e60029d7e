//! The AOV trend as a picture: one line per group (the largest by total,
//! the rest folded into "other"), the number of deals as bars on a second
//! axis, the target as a line. SVG by default, PNG on request. Drawn with
//! plotters; the font is built in, so a chart looks the same everywhere.
//!
//! Line heights are floats because they are coordinates on a picture; every
//! number written on the chart is an exact figure rounded the usual way.
//! Words and numbers follow the chosen language; the legend sits in a band
//! under the plot, never over a point; the last period always has its
//! label. PNG text is drawn by `glyphs` (plotters drops glyph bearings).

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::FontStyle;
use rust_decimal::Decimal;

use crate::aggregate::Ratio;
use crate::render::lang::{Lang, Strings};

static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

fn register_font() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, FONT);
    });
}

/// What to draw.
#[derive(Clone, Debug)]
pub struct ChartSpec {
    pub title: String,
    /// How many groups get their own line; the rest are "other".
    pub top: usize,
    pub target: Option<Decimal>,
    pub width: u32,
    pub height: u32,
    /// The language of the chart's words and numbers.
    pub lang: Lang,
}

pub use crate::aggregate::chart::{ChartData, Series, chart_data};

fn to_f64(r: &Ratio) -> f64 {
    r.round(2).to_string().parse().unwrap_or(0.0)
}

fn money_label(v: f64, words: &Strings) -> String {
    let d = Decimal::from_f64_retain(v).unwrap_or_default().round_dp(0);
    words.number(&crate::aggregate::exact::round_decimal(d, 0))
}

/// Height of the legend band under the plot, for `entries` entries in
/// rows of `per_row`.
fn legend_height(entries: usize, per_row: usize) -> u32 {
    (entries.div_ceil(per_row.max(1)) as u32) * 20 + 10
}

const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    data: &ChartData,
    spec: &ChartSpec,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let words = spec.lang.strings();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (width, height) = root.dim_in_pixel();
    // The deals as bars only for a single line: with groups, the bars
    // would be the whole team's under one group's line.
    let bars = data.series.len() <= 1;
    // The legend: the bars, each series, the target; in a band of its own.
    let mut legend: Vec<(String, RGBColor, bool)> = Vec::new();
    if bars {
        legend.push((words.chart.deals.to_string(), RGBColor(200, 200, 200), true));
    }
    for (s, series) in data.series.iter().enumerate() {
        // The two names the core gives (no group; the groups beyond --top).
        let name = match series.name.as_str() {
            "AOV" if data.series.len() == 1 => words.chart.aov.to_string(),
            "other" => words.chart.other.to_string(),
            n => n.to_string(),
        };
        legend.push((name, COLORS[s % COLORS.len()], false));
    }
    let per_row = ((width.saturating_sub(40)) / 180).max(1) as usize;
    let band = legend_height(legend.len() + usize::from(spec.target.is_some()), per_row).min(height / 3);
    let (root, below) = root.split_vertically(height.saturating_sub(band));
    let n = data.labels.len().max(1);
    let values: Vec<f64> = data.series.iter().flat_map(|s| s.aov.iter().flatten().map(to_f64)).collect();
    let target = spec.target.map(|t| t.to_string().parse::<f64>().unwrap_or(0.0));
    let lo = values.iter().copied().chain(target).fold(f64::INFINITY, f64::min).min(0.0);
    let hi = values.iter().copied().chain(target).fold(f64::NEG_INFINITY, f64::max).max(1.0) * 1.1;
    let max_deals = data.deals.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.2;
    let x_range = -0.5..(n as f64 - 0.5);
    // A phone's chart: no title (the page has it), narrower label areas.
    let narrow = width < 600;
    let mut builder = ChartBuilder::on(&root);
    if !narrow {
        builder.caption(&spec.title, ("sans-serif", 20));
    }
    let (left, right) = if narrow { (62, if bars { 40 } else { 8 }) } else { (90, 70) };
    let mut chart = builder
        .margin(if narrow { 8 } else { 15 })
        .x_label_area_size(45)
        .y_label_area_size(left)
        .right_y_label_area_size(right)
        .build_cartesian_2d(x_range.clone(), lo..hi)
        .map_err(|e| err(&e))?
        .set_secondary_coord(x_range, 0.0..max_deals);
    let labels = &data.labels;
    // As many labels as fit, about 75 px each.
    let fit = ((width.saturating_sub(left + right) / 75) as usize).clamp(2, 12);
    let step = n.div_ceil(fit);
    let unit = if data.currency.is_empty() { String::new() } else { format!(" ({})", words.currency(&data.currency)) };
    let last = labels.len().saturating_sub(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 15))
        .x_labels(n.min(400))
        .x_label_formatter(&|x| {
            let i = x.round() as i64;
            if (x - i as f64).abs() < 1e-9
                && i >= 0
                && (i as usize) < labels.len()
                && ((i as usize).is_multiple_of(step) && (step == 1 || (i as usize) + step.div_ceil(2) < last)
                    || i as usize == last)
            {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_desc(format!("{}{unit}", words.chart.aov))
        .y_label_formatter(&|y| money_label(*y, words))
        .draw()
        .map_err(|e| err(&e))?;
    if bars {
        chart
            .configure_secondary_axes()
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 15))
            .y_desc(words.chart.deals)
            .y_label_formatter(&|y| money_label(*y, words))
            .draw()
            .map_err(|e| err(&e))?;
        let bar = RGBColor(200, 200, 200).mix(0.6);
        chart
            .draw_secondary_series(
                data.deals
                    .iter()
                    .enumerate()
                    .map(|(i, d)| Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, *d as f64)], bar.filled())),
            )
            .map_err(|e| err(&e))?;
    }
    for (s, series) in data.series.iter().enumerate() {
        let color = COLORS[s % COLORS.len()];
        // One polyline per run of periods with deals: gaps stay gaps.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in series.aov.iter().enumerate() {
            match v {
                Some(v) => runs.last_mut().expect("a run").push((i as f64, to_f64(v))),
                None if !runs.last().expect("a run").is_empty() => runs.push(Vec::new()),
                None => {}
            }
        }
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            chart.draw_series(LineSeries::new(run, color.stroke_width(2)).point_size(3)).map_err(|e| err(&e))?;
        }
    }
    if let Some(t) = target {
        let red = RGBColor(200, 0, 0);
        chart
            .draw_series(LineSeries::new(vec![(-0.5, t), (n as f64 - 0.5, t)], red.stroke_width(1)))
            .map_err(|e| err(&e))?;
        legend.push((format!("{} {}", words.chart.target, money_label(t, words)), red, false));
    }
    for (k, (name, color, is_bar)) in legend.iter().enumerate() {
        let (x, y) = (20 + (k % per_row) as i32 * 180, 10 + (k / per_row) as i32 * 20);
        if *is_bar {
            below.draw(&Rectangle::new([(x, y + 2), (x + 18, y + 12)], color.filled())).map_err(|e| err(&e))?;
        } else {
            below
                .draw(&PathElement::new(vec![(x, y + 7), (x + 18, y + 7)], color.stroke_width(2)))
                .map_err(|e| err(&e))?;
        }
        let shown: String =
            if name.chars().count() > 22 { name.chars().take(21).chain(['…']).collect() } else { name.clone() };
        below.draw(&Text::new(shown, (x + 24, y), ("sans-serif", 15))).map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// The chart as an SVG document.
pub fn svg(data: &ChartData, spec: &ChartSpec) -> Result<String, String> {
    register_font();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (spec.width, spec.height)).into_drawing_area();
        draw(root, data, spec)?;
    }
    Ok(out)
}

/// The chart as PNG bytes.
pub fn png(data: &ChartData, spec: &ChartSpec) -> Result<Vec<u8>, String> {
    register_font();
    let (w, h) = (spec.width, spec.height);
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let font = ab_glyph::FontRef::try_from_slice(FONT).map_err(|e| e.to_string())?;
        let inner = BitMapBackend::with_buffer(&mut rgb, (w, h));
        let root = crate::render::glyphs::Glyphs { inner, font }.into_drawing_area();
        draw(root, data, spec)?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&rgb, w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

use image::ImageEncoder as _;
