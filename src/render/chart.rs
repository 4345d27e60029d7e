//! The AOV trend as a picture: one line per group (the largest by total,
//! the rest folded into "other"), the number of deals as bars on a second
//! axis, the target as a line. SVG by default, PNG on request. Drawn with
//! plotters; the font is built in, so a chart looks the same everywhere.
//!
//! Line heights are floats because they are coordinates on a picture; every
//! number written on the chart is an exact figure rounded the usual way.
//! Words and numbers follow the chosen language; the legend sits in a band
//! under the plot, never over a point; the y scale holds every value;
//! the time axis is labelled at natural boundaries (see
//! `aggregate::chart::ticks`), the last period always. Above four lines
//! (or with `Layout::SmallMultiples`) each line gets a small plot of its
//! own with its own deals as bars, on a shared AOV scale. PNG text is drawn by
//! `glyphs` (plotters drops glyph bearings).

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

/// How the groups share the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Layout {
    /// Small multiples above four lines, else one plot.
    #[default]
    Auto,
    /// Every line in one plot.
    Single,
    /// One small plot per line, on the same AOV scale, each with its own
    /// deals as bars (on a scale of its own, labelled).
    SmallMultiples,
}

/// More lines than this and `Layout::Auto` draws small multiples.
pub const MAX_LINES_IN_ONE_PLOT: usize = 4;

/// The most small plots one chart draws (`--top` keeps fewer groups).
pub const MAX_SMALL_PLOTS: usize = 60;

/// The tallest default picture, as `--size` allows.
const MAX_HEIGHT: u32 = 8000;

/// What to draw.
#[derive(Clone, Debug)]
pub struct ChartSpec {
    /// The caption above the plot; none when empty (a page's heading
    /// already says it).
    pub title: String,
    /// How many groups get their own line; the rest are "other".
    pub top: usize,
    pub target: Option<Decimal>,
    pub width: u32,
    pub height: u32,
    /// The language of the chart's words and numbers.
    pub lang: Lang,
    pub layout: Layout,
}

pub use crate::aggregate::chart::{ChartData, Series, chart_data};

/// Whether `data` is drawn as small multiples under `layout`.
pub fn multiples(data: &ChartData, layout: Layout) -> bool {
    match layout {
        Layout::Auto => data.series.len() > MAX_LINES_IN_ONE_PLOT,
        Layout::Single => false,
        Layout::SmallMultiples => data.series.len() > 1,
    }
}

/// Columns of the small multiples of `panels` plots on `width` pixels.
fn columns(panels: usize, width: u32) -> usize {
    let by_width = (width / 300).max(if width < 600 { 2 } else { 1 }) as usize;
    by_width.min(panels).max(1)
}

/// A chart's height when `--size` does not give one: small multiples of
/// many groups get rows of at least 200 px, so that 20 plots do not become
/// strips; one plot, or a few, `single` px.
pub fn default_height(data: &ChartData, layout: Layout, width: u32, single: u32) -> u32 {
    if multiples(data, layout) {
        let rows = data.series.len().div_ceil(columns(data.series.len(), width)) as u32;
        (rows * 200 + 80).clamp(single, MAX_HEIGHT)
    } else {
        single
    }
}

/// A chart's height for a phone's `width`: small multiples get rows of
/// 170 px (two plots a row), one plot `single` px.
pub fn phone_height(data: &ChartData, layout: Layout, width: u32, single: u32) -> u32 {
    if multiples(data, layout) {
        let rows = data.series.len().div_ceil(columns(data.series.len(), width)) as u32;
        rows * 170 + 40
    } else {
        single
    }
}

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

/// About how wide `text` is at plotters' font `size` in the built-in
/// font (plotters draws size 15 as 12.1 px; a digit is 0.64 em wide).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.55
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

const BAR: RGBColor = RGBColor(200, 200, 200);

/// One plot's parts and sizes.
struct Plot<'a> {
    caption: Option<(&'a str, u32)>,
    /// (series number, series): the lines.
    lines: Vec<(usize, &'a Series)>,
    /// Deals as bars, on the secondary axis.
    bars: Option<&'a [u64]>,
    y: (f64, f64),
    max_deals: f64,
    target: Option<f64>,
    font: u32,
    margin: u32,
    left: u32,
    right: u32,
    axis_names: bool,
}

fn draw_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    data: &ChartData,
    plot: &Plot,
    words: &Strings,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let n = data.labels.len().max(1);
    let x_range = -0.5..(n as f64 - 0.5);
    let font = plot.font;
    let mut builder = ChartBuilder::on(area);
    if let Some((caption, size)) = plot.caption {
        builder.caption(caption, ("sans-serif", size));
    }
    let mut chart = builder
        .margin(plot.margin)
        .x_label_area_size(font * 2)
        .y_label_area_size(plot.left)
        .right_y_label_area_size(plot.right)
        .build_cartesian_2d(x_range.clone(), plot.y.0..plot.y.1)
        .map_err(|e| err(&e))?
        .set_secondary_coord(x_range, 0.0..plot.max_deals);
    let unit = if data.currency.is_empty() { String::new() } else { format!(" ({})", words.currency(&data.currency)) };
    let y_labels = ((area.dim_in_pixel().1 / (font * 3)) as usize).clamp(2, 10);
    let money = |y: &f64| money_label(*y, words);
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .label_style(("sans-serif", font))
        .axis_desc_style(("sans-serif", font))
        .x_labels(0)
        .y_labels(y_labels)
        .y_label_formatter(&money);
    if plot.axis_names {
        mesh.y_desc(format!("{}{unit}", words.chart.aov));
    }
    mesh.draw().map_err(|e| err(&e))?;
    if let Some(bars) = plot.bars {
        let mut axes = chart.configure_secondary_axes();
        axes.label_style(("sans-serif", font))
            .axis_desc_style(("sans-serif", font))
            .y_labels(y_labels)
            .y_label_formatter(&money);
        if plot.axis_names {
            axes.y_desc(words.chart.deals);
        }
        axes.draw().map_err(|e| err(&e))?;
        let bar = BAR.mix(0.6);
        chart
            .draw_secondary_series(
                bars.iter()
                    .enumerate()
                    .filter(|(_, d)| **d > 0)
                    .map(|(i, d)| Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, *d as f64)], bar.filled())),
            )
            .map_err(|e| err(&e))?;
    }
    // The time axis: ticks at natural boundaries, as many as fit.
    let (x0, bottom) = chart.backend_coord(&(-0.5, plot.y.0));
    let (x1, _) = chart.backend_coord(&(n as f64 - 0.5, plot.y.0));
    let widest = data.labels.iter().map(|l| text_width(l, f64::from(font))).fold(1.0, f64::max);
    let room = (widest + 8.0) / (f64::from((x1 - x0).max(1)) / n as f64);
    let (ax, ay) = area.get_base_pixel();
    let tick_style = TextStyle::from(("sans-serif", font).into_font()).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Top,
    ));
    for i in crate::aggregate::chart::ticks(&data.starts, room) {
        let (x, _) = chart.backend_coord(&(i as f64, plot.y.0));
        let (x, y) = (x - ax, bottom - ay);
        area.draw(&PathElement::new(vec![(x, y), (x, y + 5)], BLACK)).map_err(|e| err(&e))?;
        area.draw(&Text::new(data.labels[i].clone(), (x, y + 7), tick_style.clone())).map_err(|e| err(&e))?;
    }
    // Markers only while they stand apart.
    let marker = if f64::from((x1 - x0).max(1)) / n as f64 >= 5.0 { 3 } else { 0 };
    for (s, series) in &plot.lines {
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
            let size = if run.len() == 1 { 3 } else { marker };
            chart.draw_series(LineSeries::new(run, color.stroke_width(2)).point_size(size)).map_err(|e| err(&e))?;
        }
    }
    if let Some(t) = plot.target {
        let red = RGBColor(200, 0, 0);
        chart
            .draw_series(LineSeries::new(vec![(-0.5, t), (n as f64 - 0.5, t)], red.stroke_width(1)))
            .map_err(|e| err(&e))?;
    }
    Ok(())
}

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
    let small = multiples(data, spec.layout);
    // The deals as bars: for a single line, or in each small plot its
    // group's own; never the whole team's under one group's line.
    let bars = small || data.series.len() <= 1;
    let name_of = |series: &Series| match series.name.as_str() {
        // The two names the core gives (no group; the groups beyond --top).
        "AOV" if data.series.len() == 1 => words.chart.aov.to_string(),
        "other" => words.chart.other.to_string(),
        n => n.to_string(),
    };
    // The legend: the bars, each series (small plots carry their names),
    // the target; in a band of its own under the plot.
    let mut legend: Vec<(String, RGBColor, bool)> = Vec::new();
    if bars {
        legend.push((words.chart.deals.to_string(), BAR, true));
    }
    if small {
        // The small plots carry no axis names: the legend says what the
        // lines are, in which currency.
        let unit =
            if data.currency.is_empty() { String::new() } else { format!(" ({})", words.currency(&data.currency)) };
        legend.push((format!("{}{unit}", words.chart.aov), RGBColor(90, 90, 90), false));
    } else {
        for (s, series) in data.series.iter().enumerate() {
            legend.push((name_of(series), COLORS[s % COLORS.len()], false));
        }
    }
    let target = spec.target.map(|t| t.to_string().parse::<f64>().unwrap_or(0.0));
    if let Some(t) = target {
        legend.push((format!("{} {}", words.chart.target, money_label(t, words)), RGBColor(200, 0, 0), false));
    }
    let per_row = ((width.saturating_sub(40)) / 180).max(1) as usize;
    let band = legend_height(legend.len(), per_row).min(height / 3);
    let (plots, below) = root.split_vertically(height.saturating_sub(band));
    // Every value inside the plot: the scale holds them all, and the
    // target; small plots share it, so their heights compare.
    let values: Vec<f64> = data.series.iter().flat_map(|s| s.aov.iter().flatten().map(to_f64)).collect();
    let lo = values.iter().copied().chain(target).fold(f64::INFINITY, f64::min).min(0.0);
    let hi = values.iter().copied().chain(target).fold(f64::NEG_INFINITY, f64::max).max(1.0) * 1.1;
    // A phone's chart: no title (the page has it), narrower label areas.
    let narrow = width < 600;
    if small {
        let plots = if narrow || spec.title.is_empty() {
            plots
        } else {
            plots.titled(&spec.title, ("sans-serif", 20)).map_err(|e| err(&e))?
        };
        let cols = columns(data.series.len(), width);
        let rows = data.series.len().div_ceil(cols);
        // 14 px (a 13 px comma reads as a point in PNG); a phone's SVG
        // 13 px, still 10.9 CSS px at a phone's width.
        let font = if narrow { 13 } else { 14 };
        for (s, (series, cell)) in data.series.iter().zip(plots.split_evenly((rows, cols))).enumerate() {
            let name = name_of(series);
            // Each plot's bars on its own labelled scale: "other" holds
            // many groups' deals and would flatten everyone else's.
            let max_deals = series.deals.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.2;
            let plot = Plot {
                caption: Some((&name, font + 2)),
                lines: vec![(s, series)],
                bars: Some(&series.deals),
                y: (lo, hi),
                max_deals,
                target,
                font,
                margin: if narrow { 4 } else { 8 },
                left: if narrow { 56 } else { 60 },
                right: if narrow { 28 } else { 34 },
                axis_names: false,
            };
            draw_plot(&cell, data, &plot, words)?;
        }
    } else {
        let max_deals = data.deals.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.2;
        let (left, right) = if narrow { (62, if bars { 40 } else { 8 }) } else { (90, 70) };
        let plot = Plot {
            caption: (!narrow && !spec.title.is_empty()).then_some((spec.title.as_str(), 20)),
            lines: data.series.iter().enumerate().collect(),
            bars: bars.then_some(&data.deals[..]),
            y: (lo, hi),
            max_deals,
            target,
            font: 15,
            margin: if narrow { 8 } else { 15 },
            left,
            right,
            axis_names: true,
        };
        draw_plot(&plots, data, &plot, words)?;
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
