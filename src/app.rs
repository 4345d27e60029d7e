//! Running a command: one function per command takes its settings
//! (validated in `src/config.rs`), reads the inputs through `src/intake`,
//! builds the view in the core (`src/aggregate`) and renders it
//! (`src/render`); what the user should hear on stderr is worded in
//! `src/tell.rs`.

use std::io::{self, Write};

use crate::aggregate::customers::{customers, sellers};
use crate::aggregate::target::{below_target, checked_period};
use crate::aggregate::{Partials, Period, Report, build_lazy_yoy, build_with, build_yoy};
use crate::cli::{BreadthArgs, ChartArgs, Cli, Command, CustomersArgs, ExplainArgs, ReportArgs, SellersArgs, SqlArgs};
use crate::config::{CommonSettings, ExplainSettings, ReportSettings};
use crate::error::{Error, exit};
use crate::intake::engine::{load_engine_partials, load_from_postgres};
use crate::intake::{Loaded, load_through, load_view, unmatched_names, window_and_fold};
use crate::load::{self, Field};
use crate::model::{Dimension, fold_name};
use crate::pipeline::apply_window;
use crate::render::output::write_output;
use crate::render::titles::{chart_title_in, file_names};
use crate::render::{self, Grid, RenderOptions, views};
use crate::tell::{definition, tell};

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Report(args) => report(&args),
        Command::Customers(args) => customers_cmd(&args),
        Command::Sellers(args) => sellers_cmd(&args),
        Command::Explain(args) => explain_cmd(&args),
        Command::Breadth(args) => breadth_cmd(&args),
        Command::Sql(args) => sql_cmd(&args),
        Command::Chart(args) => chart_cmd(&args),
        Command::Quotes(args) => quotes_cmd(&args),
        Command::Completions(args) => completions_cmd(args.shell),
        Command::Man => man_cmd(),
    }
}

fn options(common: &CommonSettings, loaded: &Loaded, title: String) -> RenderOptions {
    RenderOptions {
        title,
        color: common.color,
        accounting: Some(loaded.accounting),
        excel_sv: common.excel_sv,
        notes: vec![definition(common)],
        width: common.width,
        lang: common.lang,
    }
}

fn emit(common: &CommonSettings, loaded: &Loaded, grid: &Grid, title: String) -> anyhow::Result<()> {
    let opts = options(common, loaded, title);
    write_output(common.output.as_deref(), |out| render::render_grid(grid, common.format, &opts, out))
}

fn report(args: &ReportArgs) -> anyhow::Result<i32> {
    let s = ReportSettings::from_args(args)?;
    let template =
        if s.stats { Partials::with_amounts(s.period, s.by.len()) } else { Partials::new(s.period, s.by.len()) };
    let window = s.common.window;
    let mut yoy_base = None;
    let loaded = match (&s.source, s.partials) {
        (Some(url), _) => load_from_postgres(&s, url)?,
        (None, true) => load_engine_partials(&s)?,
        (None, false) if s.yoy && (window.last.is_some() || window.complete_before.is_some()) => {
            let (loaded, base) = load_with_year_before(&s, template)?;
            yoy_base = Some(base);
            loaded
        }
        (None, false) => load_view(&s.common, template, &s.by, s.period)?,
    };
    tell(&loaded, &s.common, &mut io::stderr().lock())?;
    if s.fail_below.is_none() && yoy_base.is_none() && report_streamed(&s, &loaded)? {
        return Ok(exit::OK);
    }
    let mut report = build_yoy(&loaded.partials, &s.by, s.target, s.yoy).map_err(Error::from)?.named(&s.by_names);
    if let Some(base) = &yoy_base {
        yoy_from(&mut report, base, &s)?;
    }
    let labels: Vec<String> = report.rows.iter().filter_map(|r| r.period.clone()).collect();
    let mut sorted = labels.clone();
    sorted.sort();
    let range = [sorted.first().cloned().unwrap_or_default(), sorted.last().cloned().unwrap_or_default()];
    let opts = options(&s.common, &loaded, chart_title_in(&report, &s.common.files, &range, s.common.lang));
    let page = match s.common.format {
        render::Format::Html => Some(crate::aggregate::page::page(&report).map_err(Error::from)?),
        _ => None,
    };
    write_output(s.common.output.as_deref(), |out| {
        render::render(&report, page.as_ref(), s.common.format, &opts, out)
    })?;
    if let Some(limit) = s.fail_below {
        let checked = checked_period(s.period, s.common.window.complete_before);
        let below = below_target(&report, limit, checked.as_deref());
        if !below.is_empty() {
            let mut err = io::stderr().lock();
            let which = checked.map_or("the last period".to_string(), |p| format!("the last complete period ({p})"));
            writeln!(err, "aov: the AOV of {which} is below {}:", crate::aggregate::exact::round_decimal(limit, 2))?;
            for line in &below {
                writeln!(err, "aov:   {line}")?;
            }
            return Ok(exit::BELOW_TARGET);
        }
    }
    Ok(exit::OK)
}

/// Write the report with its rows made as they are written, when its
/// format allows (the machine formats; a table by group without
/// `--stats`): memory stays at the size of the partials, whatever the
/// number of groups. `false` when the report must be held whole.
fn report_streamed(s: &ReportSettings, loaded: &Loaded) -> anyhow::Result<bool> {
    let format = s.common.format;
    let lazy_table = format == render::Format::Table && !s.by.is_empty() && !s.stats;
    if !render::streams(format) && !lazy_table {
        return Ok(false);
    }
    let (report, rows) = build_lazy_yoy(&loaded.partials, &s.by, s.target, s.yoy).map_err(Error::from)?;
    let report = report.named(&s.by_names);
    let opts = options(&s.common, loaded, String::new());
    if lazy_table {
        // A table by group (a row per customer and month: millions of rows)
        // makes its rows twice, to measure the columns and to write them.
        // Not with --stats: making each row's statistics twice costs more
        // time than holding them. On a terminal too narrow for the table,
        // it is made whole to be fitted.
        let whole = || {
            build_yoy(&loaded.partials, &s.by, s.target, s.yoy).map(|r| r.named(&s.by_names)).map_err(io::Error::other)
        };
        write_output(s.common.output.as_deref(), |out| render::render_table_lazy(&report, rows, &opts, whole, out))?;
    } else {
        write_output(s.common.output.as_deref(), |out| render::render_stream(&report, rows, format, &opts, out))?;
    }
    Ok(true)
}

/// `--yoy` with `--last` or `--complete-only`: the window leaves last
/// year's periods out of the report, but not out of the comparison. Load
/// without the window (names folded over all of it), keep those partials
/// as the base of the year-over-year change, then apply the window.
fn load_with_year_before(s: &ReportSettings, template: Partials) -> Result<(Loaded, Partials), Error> {
    let mut unwindowed = s.common.clone();
    unwindowed.window = crate::model::Window::default();
    let mut loaded = load_view(&unwindowed, template, &s.by, s.period)?;
    let base = loaded.partials.clone();
    apply_window(&mut loaded.partials, s.period, &s.common.window, &mut loaded.accounting, &mut loaded.tally);
    Ok((loaded, base))
}

/// Take each row's year-over-year change from the report of `base` (the
/// same rows, and the periods the window left out).
fn yoy_from(report: &mut Report, base: &Partials, s: &ReportSettings) -> Result<(), Error> {
    let full = build_yoy(base, &s.by, s.target, true)?;
    let changes: std::collections::HashMap<(&[String], &str, Option<&str>), &crate::aggregate::ReportRow> =
        full.rows.iter().map(|r| ((&r.group[..], r.currency.as_str(), r.period.as_deref()), r)).collect();
    for row in &mut report.rows {
        if let Some(f) = changes.get(&(&row.group[..], row.currency.as_str(), row.period.as_deref())) {
            row.yoy_change.clone_from(&f.yoy_change);
            row.yoy_change_pct.clone_from(&f.yoy_change_pct);
        }
    }
    Ok(())
}

/// `aov quotes`: won, lost and open quotes per period, and the hit rate.
fn quotes_cmd(args: &crate::cli::QuotesArgs) -> anyhow::Result<i32> {
    use crate::quoting::{below_hit_rate, load_quotes, relabel, tell_quotes};
    let s = crate::config::QuotesSettings::from_args(args)?;
    let loaded = load_quotes(&s.common, s.period, &s.by)?;
    tell_quotes(&loaded, &s.common, &mut io::stderr().lock())?;
    let mut view = crate::aggregate::quotes::quotes(&loaded.sink.book, &s.by_names, s.target).map_err(Error::from)?;
    relabel(&mut view, &loaded.sink.shown_names());
    let opts = RenderOptions {
        title: format!("Quotes and hit rate: {}", file_names(&s.common.files)),
        color: s.common.color,
        accounting: Some(loaded.sink.accounting),
        excel_sv: s.common.excel_sv,
        notes: Vec::new(),
        width: s.common.width,
        lang: s.common.lang,
    };
    let grid = render::quotes::quotes_grid(&view);
    write_output(s.common.output.as_deref(), |out| render::render_grid(&grid, s.common.format, &opts, out))?;
    let Some(limit) = s.fail_below else { return Ok(exit::OK) };
    let checked = checked_period(s.period, s.common.window.complete_before);
    let below = below_hit_rate(&view, limit, checked.as_deref());
    if below.is_empty() {
        return Ok(exit::OK);
    }
    let mut err = io::stderr().lock();
    let which = checked.map_or("the last period".to_string(), |p| format!("the last complete period ({p})"));
    writeln!(err, "aov: the hit rate of {which} is below {} %:", crate::aggregate::exact::round_decimal(limit, 1))?;
    for line in &below {
        writeln!(err, "aov:   {line}")?;
    }
    Ok(exit::BELOW_TARGET)
}

/// The buckets a view over whole customers or sellers is computed in: one
/// (`All`) unless a period window (`--last`, `--complete-only`) must drop
/// periods, then `period` itself. Never days: the cells keep their first
/// and last deal day.
fn view_grain(common: &CommonSettings, period: Period) -> Period {
    if common.window.last.is_some() || common.window.complete_before.is_some() { period } else { Period::All }
}

fn customers_cmd(args: &CustomersArgs) -> anyhow::Result<i32> {
    let s = crate::config::CustomersSettings::from_args(args)?;
    let (common, period, dim, name) = (&s.common, s.period, s.dim, &s.name);
    let grain = view_grain(common, period);
    let mut partials = Partials::with_amounts(grain, 1).needing_days();
    if let Some((span, as_of)) = s.trend {
        partials = partials.with_trend(span, as_of);
    }
    let mut loaded = load_view(common, partials, &[dim], period)?;
    tell(&loaded, common, &mut io::stderr().lock())?;
    if let Some(register) = &s.register {
        return potential_cmd(&s, &loaded, register);
    }
    let view = customers(&loaded.partials, 0, s.top).map_err(Error::from)?;
    // A period window (--last) can leave the earlier trend window without
    // the deals it would hold: say so rather than show a trend from a part.
    let windowed = common.window.last.is_some() || common.window.complete_before.is_some();
    let p = loaded.partials.period();
    let kept_from = loaded.partials.cells().map(|c| c.key).min().and_then(|k| p.first_day(k));
    loaded.partials.release_amounts();
    if let (Some(t), Some(first), true) = (&view.trend, kept_from, windowed) {
        if t.windows[1].0 < first && !common.quiet {
            eprintln!(
                "aov: warning: the trend's earlier window starts on {}, before the first day --last/--complete-only keeps ({first}); its trend counts only the kept deals",
                t.windows[1].0
            );
        }
    }
    let mut grid = views::customers_grid_in(&view, common.lang);
    let title = if dim == Dimension::Customer {
        (common.lang.strings().views.customers_title)(&file_names(&common.files))
    } else {
        let words = &common.lang.strings().views;
        rename_column(&mut grid, "customer", name, &(words.customer_words)(name));
        (words.ranked_title)(name, &file_names(&common.files))
    };
    emit(common, &loaded, &grid, title)?;
    Ok(exit::OK)
}

/// Name the grid's column `from` as `to` (a view's group column by the
/// header `--by` named), and say `to` where the lines around the table
/// speak of `words` (`customers`, `seller's`...), with what each becomes.
fn rename_column(grid: &mut Grid, from: &str, to: &str, words: &[(&'static str, String)]) {
    if let Some(c) = grid.columns.iter_mut().find(|c| c.as_str() == from) {
        *c = to.to_string();
    }
    for line in grid.preamble.iter_mut().chain(grid.epilogue.iter_mut()) {
        for (word, instead) in words {
            *line = line.replace(word, instead);
        }
    }
}

/// `aov customers --register FILE`: the customers' sales beside the
/// register's sizes, joined by folded name.
fn potential_cmd(s: &crate::config::CustomersSettings, loaded: &Loaded, path: &str) -> anyhow::Result<i32> {
    let common = &s.common;
    let view = customers(&loaded.partials, 0, None).map_err(Error::from)?;
    if view.show_currency {
        return Err(Error::Usage(
            "--register compares sales in one currency; choose the deals of one currency first".into(),
        )
        .into());
    }
    let customer_col = common.input.columns.get(&Field::Customer).map(String::as_str);
    let register = load::register::read(path, customer_col, s.potential_col.as_deref(), common.input.encoding)?;
    let entries = register.entries.iter().map(|e| (e.name.as_str(), e.potential));
    let mut p =
        crate::aggregate::potential::join_view(&view, entries, common.filter.case_sensitive).ok_or_else(|| {
            Error::File {
                path: common.files.join(", "),
                message: "the total of the sales is too large to add up exactly".into(),
            }
        })?;
    crate::tell::tell_register(&p, &register.file, &mut io::stderr().lock())?;
    if let Some(n) = s.top {
        p.rows.truncate(n);
    }
    emit(
        common,
        loaded,
        &render::potential::potential_grid(&p, &register.potential_header),
        format!("Customers and their potential: {}", file_names(&common.files)),
    )?;
    Ok(exit::OK)
}

fn sellers_cmd(args: &SellersArgs) -> anyhow::Result<i32> {
    let s = crate::config::SellersSettings::from_args(args)?;
    let (common, period, dim, name) = (&s.common, s.period, s.dim, &s.name);
    let by = [dim, Dimension::Customer];
    // One cell per (seller, customer); amounts per seller only.
    let grain = view_grain(common, period);
    let mut loaded = load_view(common, Partials::with_amounts_by(grain, 2, 0), &by, period)?;
    tell(&loaded, common, &mut io::stderr().lock())?;
    let view = sellers(&loaded.partials).map_err(Error::from)?;
    if s.register.is_none() {
        loaded.partials.release_amounts();
    }
    let mut grid = views::sellers_grid_in(&view, common.lang);
    if let Some(path) = &s.register {
        // Each seller's deals with customers of potential class A.
        let customer_col = common.input.columns.get(&Field::Customer).map(String::as_str);
        let register = load::register::read(path, customer_col, s.potential_col.as_deref(), common.input.encoding)?;
        let entries = register.entries.iter().map(|e| (e.name.as_str(), e.potential));
        let column = crate::aggregate::potential::sellers_a_deals(
            &view,
            &loaded.partials,
            entries,
            common.filter.case_sensitive,
        );
        grid = render::potential::with_a_deals(grid, &column);
    }
    let title = if dim == Dimension::Seller {
        (common.lang.strings().views.sellers_title)(&file_names(&common.files))
    } else {
        let words = &common.lang.strings().views;
        rename_column(&mut grid, "seller", name, &(words.seller_words)(name));
        (words.sellers_by_title)(name, &file_names(&common.files))
    };
    emit(common, &loaded, &grid, title)?;
    Ok(exit::OK)
}

/// `aov breadth`: each deal's number of distinct products, from its order
/// lines, per breadth or per seller (customer).
fn breadth_cmd(args: &BreadthArgs) -> anyhow::Result<i32> {
    let s = crate::config::BreadthSettings::from_args(args)?;
    let common = &s.common;
    // Grouped by the order each deal came from (see `order_lines`).
    let by: Vec<Dimension> = s.by.into_iter().chain([Dimension::Segment]).collect();
    let lines =
        |c| crate::order_lines::ProductLines::new(c, s.by == Some(Dimension::Seller), common.filter.case_sensitive);
    let template = Partials::with_amounts(s.period, by.len());
    let (mut loaded, products) = load_through(common, template, &by, &[Field::Product], lines)?;
    window_and_fold(&mut loaded, common, s.period)?;
    let unmatched = unmatched_names(&loaded, common, &by);
    loaded.warnings.extend(unmatched);
    tell(&loaded, common, &mut io::stderr().lock())?;
    let acc =
        crate::aggregate::breadth::from_partials(&loaded.partials, &products, s.by.is_some()).map_err(Error::from)?;
    let title = format!("Offer breadth: {}", file_names(&common.files));
    let (grid, all_single) = match s.by {
        None => {
            let v = acc.overview().map_err(Error::from)?;
            (render::breadth::overview_grid(&v), v.all_single)
        }
        Some(dim) => {
            let v = acc.by_group().map_err(Error::from)?;
            (render::breadth::by_group_grid(&v, dim), v.all_single)
        }
    };
    if all_single && loaded.accounting.used > 0 {
        eprintln!(
            "aov: note: every deal has one product, so breadth is 1 for all: {}",
            if products.orders() == 0 {
                "each deal is one row (name the order id column with --order-col when rows are lines of orders)"
            } else {
                "no order has lines of two products"
            }
        );
    }
    emit(common, &loaded, &grid, title)?;
    Ok(exit::OK)
}

fn explain_cmd(args: &ExplainArgs) -> anyhow::Result<i32> {
    use crate::aggregate::explain::{explain, fold_top, segments};
    let s = ExplainSettings::from_args(args)?;
    let common = &s.common;
    // Cells by the compared period (or by day for day ranges), never finer.
    let grain = if s.by_days() { Period::Day } else { s.period };
    let by = s.by();
    // The default sides are the two latest periods with deals: only their
    // cells are kept (unless a window drops periods after reading).
    let window = common.window.last.is_some() || common.window.complete_before.is_some();
    let latest_only = !s.by_days() && s.base.is_none() && s.current.is_none() && !window;
    let partials = Partials::new(grain, by.len());
    let partials = if latest_only { partials.keeping_latest() } else { partials };
    // Each side's median and largest deal: amounts kept only for the
    // periods compared when they are known before reading.
    let partials =
        partials.with_deals(s.subject.is_some().then_some(1), crate::aggregate::sides::kept_ranges(&s.asked()));
    let loaded = load_view(common, partials, &by, s.period)?;
    tell(&loaded, common, &mut io::stderr().lock())?;
    let sides = crate::aggregate::sides::choose(&s.asked(), &loaded.partials).map_err(|e| match e {
        e if e.is_usage() => Error::Usage(e.to_string()),
        crate::aggregate::sides::SidesError::NoDeals => {
            Error::File { path: "the input".into(), message: e.to_string() }
        }
        e => Error::File { path: common.files.join(", "), message: e.to_string() },
    })?;
    let (base_label, current_label) = match &sides {
        crate::aggregate::explain::Sides::Periods(b, c) => (s.period.label(*b), s.period.label(*c)),
        crate::aggregate::explain::Sides::Days([a, b, c, d]) => (format!("{a}..{b}"), format!("{c}..{d}")),
    };
    let is_subject =
        |seller: &str| s.subject.as_deref().is_some_and(|name| fold_name(seller, common.filter.case_sensitive) == name);
    let subject = s.subject.is_some().then_some(&is_subject as &dyn Fn(&str) -> bool);
    let per_currency = segments(&loaded.partials, sides, subject).map_err(Error::from)?;
    let files = || common.files.join(", ");
    if per_currency.is_empty() {
        let message = format!("neither {base_label} nor {current_label} has deals, so there is nothing to compare");
        return Err(Error::File { path: files(), message }.into());
    }
    let mut outliers = crate::aggregate::outliers::of_sides(&loaded.partials, sides, subject).unwrap_or_default();
    let mut list = Vec::new();
    for (currency, segs) in &per_currency {
        let mut e = explain(currency, segs).map_err(|e| {
            use crate::aggregate::explain::ExplainError;
            let side = match &e {
                ExplainError::EmptySide("base") => base_label.clone(),
                _ => current_label.clone(),
            };
            let who = match (&s.subject_shown, &e) {
                (Some(name), ExplainError::EmptySide("current")) => format!("{name} in {side}"),
                _ => side,
            };
            Error::File { path: files(), message: format!("{who} has no deals, so there is nothing to compare") }
        })?;
        if let Some(n) = s.top {
            fold_top(&mut e, n as usize, segs);
        }
        e.outliers = outliers.remove(currency);
        list.push(e);
    }
    let framing = crate::render::explain::Framing {
        segment: if s.dim == Dimension::Segment { s.segment.clone() } else { s.dim.name().to_string() },
        seller: s.subject_shown.clone(),
        base_label,
        current_label,
    };
    let opts = options(common, &loaded, format!("Why AOV changed: {}", file_names(&common.files)));
    write_output(common.output.as_deref(), |out| {
        crate::render::explain::render(&list, &framing, common.format, &opts, out)
    })?;
    Ok(exit::OK)
}

fn chart_cmd(args: &ChartArgs) -> anyhow::Result<i32> {
    let s = crate::config::ChartSettings::from_args(args)?;
    let (common, period, by) = (&s.common, s.period, &s.by);
    let loaded = load_view(common, Partials::new(period, by.len()), by, period)?;
    tell(&loaded, common, &mut io::stderr().lock())?;
    let report = build_with(&loaded.partials, by, None).map_err(Error::from)?.named(&s.by_names);
    let data = crate::aggregate::chart::chart_data(&report, s.top).map_err(Error::from)?;
    if report.totals.len() > 1 {
        eprintln!(
            "aov: note: the deals are in several currencies; the chart shows {}, the one with the most deals",
            data.currency
        );
    }
    let layout = s.layout;
    if render::chart::multiples(&data, layout) && data.series.len() > render::chart::MAX_SMALL_PLOTS {
        return Err(Error::Usage(format!(
            "{} small plots are too many for one picture (at most {}); keep fewer groups with --top, or draw one plot with --layout single",
            data.series.len(),
            render::chart::MAX_SMALL_PLOTS
        ))
        .into());
    }
    let (width, height) = s.size.unwrap_or_else(|| (1000, render::chart::default_height(&data, layout, 1000, 560)));
    let spec = render::chart::ChartSpec {
        title: chart_title_in(&report, &common.files, &data.labels, common.lang),
        top: s.top,
        target: s.target,
        width,
        height,
        lang: common.lang,
        layout,
    };
    let bytes = if common.png {
        render::chart::png(&data, &spec)
    } else {
        render::chart::svg(&data, &spec).map(String::into_bytes)
    };
    let bytes = bytes.map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
    write_output(common.output.as_deref(), |out| out.write_all(&bytes))?;
    Ok(exit::OK)
}

fn sql_cmd(args: &SqlArgs) -> anyhow::Result<i32> {
    let s = crate::config::SqlSettings::from_args(args)?;
    let text = crate::sql::partials_query(s.dialect, &s.query);
    write_output(None, |out| out.write_all(text.as_bytes()))?;
    Ok(exit::OK)
}

/// `aov completions SHELL`: the completion script, on standard output.
fn completions_cmd(shell: crate::cli::ShellArg) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell = match shell {
        crate::cli::ShellArg::Bash => Shell::Bash,
        crate::cli::ShellArg::Zsh => Shell::Zsh,
        crate::cli::ShellArg::Fish => Shell::Fish,
        crate::cli::ShellArg::Powershell => Shell::PowerShell,
        crate::cli::ShellArg::Elvish => Shell::Elvish,
    };
    let mut cmd = Cli::command();
    write_output(None, |out| {
        clap_complete::generate(shell, &mut cmd, "aov", out);
        Ok(())
    })?;
    Ok(exit::OK)
}

/// `aov man`: one roff page for aov and every subcommand.
fn man_cmd() -> anyhow::Result<i32> {
    let page = crate::manual::page()?;
    write_output(None, |out| out.write_all(&page))?;
    Ok(exit::OK)
}
