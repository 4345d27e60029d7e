//! `aov chart` and `--format html`: the SVG is parsed as XML and checked
//! for its series, points and labels; PNG output is a PNG; the HTML page is
//! self-contained (nothing it would fetch) and holds the chart and table.
//! Sparklines appear only in the table format.

mod common;
use common::{aov, fixture};

fn svg(args: &[&str]) -> String {
    let mut a = vec!["chart"];
    a.extend_from_slice(args);
    aov(&a).ok().to_string()
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

#[test]
fn the_svg_has_one_line_per_group_bars_labels_and_title() {
    let text = svg(&[&fixture("deals.csv"), "--by", "seller", "--top", "3", "--period", "quarter", "--target", "5000"]);
    let doc = roxmltree::Document::parse(&text).expect("the chart is well-formed XML");
    assert!(doc.root_element().has_tag_name("svg"));
    let t = texts(&doc);
    for want in [
        "AOV per quarter by seller: deals.csv, 2012-Q1 to 2014-Q4",
        "Erik Eriksson",
        "Mikael Lindström",
        "Åsa Gustafsson",
        "other",
        "target 5,000",
        "2012-Q1",
        "2014-Q4",
        "AOV",
    ] {
        assert!(t.iter().any(|x| x == want), "no text {want:?} in {t:?}");
    }
    // 3 sellers + other, no gaps in quarters: per series colour one line
    // with a point per quarter and one legend swatch; the target likewise.
    for colour in ["#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#C80000"] {
        let points: Vec<usize> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("polyline") && n.attribute("stroke").is_some_and(|s| s.eq_ignore_ascii_case(colour))
            })
            .map(|n| n.attribute("points").unwrap().split_whitespace().count())
            .collect();
        let want = if colour == "#C80000" { 2 } else { 12 };
        assert_eq!(points, vec![want, 2], "{colour}");
    }
    // With groups, no bars: the team's deals under one seller's line
    // would mislead (only the background rectangles are left).
    assert!(!t.iter().any(|x| x == "deals"), "{t:?}");
    assert!(doc.descendants().filter(|n| n.has_tag_name("rect")).count() < 12);
}

/// The y of the (last) text `want` in the chart.
fn text_y(doc: &roxmltree::Document, want: &str) -> f64 {
    let n = doc.descendants().rfind(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some(want));
    n.unwrap_or_else(|| panic!("no text {want:?}")).attribute("y").unwrap().parse().unwrap()
}

#[test]
fn every_point_lies_inside_the_plot_and_the_legend_below_it() {
    // A daily chart, whose spikes once ran past the top of the plot.
    for args in [
        vec![
            fixture("deals.csv"),
            "--period".into(),
            "day".into(),
            "--from".into(),
            "2013-01-01".into(),
            "--to".into(),
            "2013-03-31".into(),
        ],
        vec![fixture("deals.csv"), "--period".into(), "quarter".into(), "--target".into(), "5000".into()],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let text = svg(&args);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let t = texts(&doc);
        // The value axis starts at 0: its label is the plot's bottom edge;
        // the title is above the plot.
        let zero = doc.descendants().find(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some("0"));
        let bottom: f64 = zero.unwrap().attribute("y").unwrap().parse().unwrap();
        let top = text_y(&doc, t[0].as_str()) + 20.0;
        let circles: Vec<(f64, f64)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .map(|n| (n.attribute("cx").unwrap().parse().unwrap(), n.attribute("cy").unwrap().parse().unwrap()))
            .collect();
        assert!(!circles.is_empty());
        for (x, y) in &circles {
            assert!(*y >= top && *y <= bottom + 0.5, "a point at y {y} outside {top}..{bottom}");
            assert!(*x > 95.0 && *x < 1024.0 - 70.0, "a point at x {x}");
        }
        // The legend ("AOV") is under the x axis labels, not over the plot.
        let first_label = t.iter().find(|x| x.starts_with("2013-")).unwrap();
        assert!(text_y(&doc, "AOV") > text_y(&doc, first_label), "{t:?}");
        assert!(t.iter().any(|x| x == "deals"), "bars without groups: {t:?}");
    }
}

#[test]
fn the_last_period_has_its_label_and_swedish_words_in_swedish() {
    // 36 months: every third is labelled, and the last (2014-12) too.
    let text = svg(&[&fixture("deals.csv"), "--lang", "sv"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let t = texts(&doc);
    for want in [
        "2012-01",
        "2014-12",
        "Snittordervärde",
        "affärer",
        "Snittordervärde per månad: deals.csv, 2012-01 till 2014-12",
    ] {
        assert!(t.iter().any(|x| x == want), "no text {want:?} in {t:?}");
    }
    assert!(!t.iter().any(|x| x == "2014-10"), "2014-10 would crowd 2014-12: {t:?}");
    // Swedish thousands: a no-break space.
    assert!(t.iter().any(|x| x == "2\u{a0}000"), "{t:?}");
}

#[test]
fn a_gap_in_a_group_breaks_its_line() {
    // Small HB has deals in January and March only: two runs of one point.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.csv");
    std::fs::write(&path, "date,customer,amount\n2013-01-05,Big,100\n2013-02-05,Big,100\n2013-03-05,Big,100\n2013-01-06,Small HB,10\n2013-03-06,Small HB,30\n").unwrap();
    let text = svg(&[path.to_str().unwrap(), "--by", "customer"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let points: Vec<usize> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|n| n.attribute("points").unwrap().split_whitespace().count())
        .collect();
    // Big: 3 points; Small HB: 1 + 1; legend swatches: 2 each.
    assert_eq!(points.iter().filter(|p| **p == 3).count(), 1, "{points:?}");
    assert_eq!(points.iter().filter(|p| **p == 1).count(), 2, "{points:?}");
}

#[test]
fn png_output_is_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aov.png");
    let run = aov(&["chart", &fixture("deals.csv"), "-o", path.to_str().unwrap(), "--size", "640x400"]);
    run.ok();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // width and height in the IHDR chunk
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 640);
    assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 400);
    let run = aov(&["chart", &fixture("deals.csv"), "--period", "all"]);
    assert!(run.fails(2).contains("a chart needs a time axis"));
}

#[test]
fn html_is_self_contained_with_chart_and_table() {
    let run = aov(&["report", &fixture("deals.csv"), "--by", "seller", "--period", "quarter", "--format", "html"]);
    let page = run.ok();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg") && page.contains("<table>") && page.contains("<meta name=\"viewport\""));
    assert!(
        page.contains("<title>AOV per quarter by seller: deals.csv, 2012-Q1 to 2014-Q4</title>"),
        "{}",
        &page[..400]
    );
    // Nothing to fetch: no scripts, links, imports, images or remote URLs
    // (the SVG namespace is a name, not a request).
    let stripped = page.replace("http://www.w3.org/2000/svg", "");
    for banned in ["<script", "<link", "@import", "url(", "src=", "href=", "http://", "https://"] {
        assert!(!stripped.contains(banned), "the page holds {banned}");
    }
    for cmd in [&["customers"][..], &["sellers"], &["explain", "--by", "customer"]] {
        let mut a = cmd.to_vec();
        let f = fixture("deals.csv");
        a.insert(1, &f);
        a.extend(["--format", "html"]);
        let page = aov(&a).ok().to_string();
        assert!(page.contains("<table>") && page.ends_with("</html>\n"), "{cmd:?}");
    }
}

#[test]
fn sparklines_only_in_the_table() {
    let table = aov(&["report", &fixture("edge/small.csv"), "--by", "customer", "--include-credits"]).ok().to_string();
    // Acme AB: Jan 150.005, Mar -30, Apr 323 (Feb missing: a space);
    // below zero, the bars span the lowest AOV to the highest.
    assert!(table.contains(" trend\n") || table.contains(" trend"), "{table}");
    // (150.005 + 30) / 353 * 7 = 3.57: the fifth bar.
    assert!(table.contains("▅ ▁█"), "{table}");
    let plain = aov(&["report", &fixture("edge/small.csv"), "--include-credits"]).ok().to_string();
    // Jan 116.67, Feb none, Mar 323.50, Apr 323.00, from zero:
    // 116.67 / 323.50 * 7 = 2.52 -> the fourth bar; 323 / 323.5 * 7 = 6.99.
    assert!(plain.contains("AOV trend (bars from 0): ▄ ██\n"), "{plain}");
    for format in ["csv", "tsv", "json", "jsonl", "markdown"] {
        let out = aov(&["report", &fixture("edge/small.csv"), "--by", "customer", "--format", format]).ok().to_string();
        assert!(!out.contains('▁') && !out.contains("trend"), "{format}: {out}");
    }
}

#[test]
fn the_swedish_page_answers_first_with_words_for_headers_and_key_columns_first() {
    let run = aov(&[
        "report",
        &fixture("deals.csv"),
        "--period",
        "quarter",
        "--target",
        "5000",
        "--format",
        "html",
        "--lang",
        "sv",
    ]);
    let page = run.ok().replace('\u{a0}', " ");
    assert!(page.contains("<html lang=\"sv\">"), "{}", &page[..200]);
    // 2014-Q4 from Python's fractions over deals.csv (credit notes left
    // out): AOV 5 038.65, 742.42 above 2014-Q3, +17.3 %; above 5 000.
    let summary = "<p class=\"summary\">Senaste perioden 2014-Q4: Snittordervärde 5 038,65; \
                   +742,42 (+17,3 %) förändring mot perioden före; målet nått.</p>";
    assert!(page.contains(summary), "{page}");
    // The summary comes before the chart, the chart before the table.
    let (s, c, t) = (page.find(summary).unwrap(), page.find("<figure").unwrap(), page.find("<table>").unwrap());
    assert!(s < c && c < t);
    // A chart for wide screens and one for phones.
    assert!(page.contains("<figure class=\"wide\"><svg") && page.contains("<figure class=\"narrow\"><svg"));
    // Words as headers, the field in a tooltip; period, aov and the change first.
    let head = &page[page.find("<thead>").unwrap()..page.find("</thead>").unwrap()];
    let titles: Vec<&str> = head.split("title=\"").skip(1).map(|h| &h[..h.find('"').unwrap()]).collect();
    assert_eq!(titles, ["period", "aov", "aov_change_pct", "aov_change", "deals", "total", "target_gap"]);
    // Soft hyphens between the word's parts, where a phone may break it.
    assert!(head.contains("<th class=\"n\" title=\"aov\">Snitt\u{ad}order\u{ad}värde</th>"), "{head}");
    assert!(page.contains("Rader: 3 000 lästa, 2 977 använda, 23 bortfiltrerade, 0 avvisade."), "{page}");
    // The first row, cells in that order: 2012-Q1, 5 767.20, no change.
    assert!(page.contains("<tr><td>2012-Q1</td><td class=\"n\">5 767,20</td><td class=\"n\"></td>"), "{page}");
    // The header stays in view.
    assert!(page.contains("thead th{position:sticky;top:0"));
}

#[test]
fn the_phone_chart_has_text_of_at_least_ten_pixels_at_its_width() {
    // The narrow chart is drawn 360 px wide, shown at a phone's width
    // (390 px less the page's padding, about 358 px): every font size in
    // it is at least 12 px, so at least 11.9 CSS px on the phone.
    let run = aov(&["report", &fixture("deals.csv"), "--period", "quarter", "--format", "html"]);
    let page = run.ok();
    let narrow = &page[page.find("<figure class=\"narrow\">").unwrap()..];
    let narrow = &narrow[..narrow.find("</figure>").unwrap()];
    let doc = roxmltree::Document::parse(&narrow["<figure class=\"narrow\">".len()..]).unwrap();
    assert_eq!(doc.root_element().attribute("width"), Some("360"));
    let sizes: Vec<f64> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.attribute("font-size").unwrap().parse().unwrap())
        .collect();
    assert!(!sizes.is_empty());
    for s in sizes {
        assert!(s * 358.0 / 360.0 >= 10.0, "text of {s} px");
    }
}

#[test]
fn the_customers_page_has_a_pareto_chart_of_the_cumulative_share() {
    let run = aov(&["customers", &fixture("deals.csv"), "--format", "html", "--lang", "sv"]);
    let page = run.ok();
    let start = page.find("<figure class=\"pareto\">").expect("a Pareto chart") + "<figure class=\"pareto\">".len();
    let svg = &page[start..start + page[start..].find("</figure>").unwrap()];
    let doc = roxmltree::Document::parse(svg).unwrap();
    // 60 customers: one bar each, one point each on the cumulative line.
    let bars: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("rect")).collect();
    assert_eq!(bars.len(), 60);
    let line = doc.descendants().find(|n| n.has_tag_name("polyline")).unwrap();
    let ys: Vec<f64> =
        line.attribute("points").unwrap().split(' ').map(|p| p.split(',').nth(1).unwrap().parse().unwrap()).collect();
    assert_eq!(ys.len(), 60);
    // The plot runs from y 190 (0 %) to 20 (100 %): the first customer
    // holds 37.4 % (190 - 170 * 0.374 = 126.42), the last point is 100 %.
    assert!((ys[0] - 126.42).abs() < 0.01, "{}", ys[0]);
    assert!((ys[59] - 20.0).abs() < 0.01, "{}", ys[59]);
    assert!(ys.windows(2).all(|w| w[1] <= w[0]), "the cumulative share never falls");
    let t = texts(&doc);
    assert!(t.iter().any(|x| x == "80\u{a0}%"), "{t:?}");
    // The page keeps the view's column order (rank first).
    assert!(page.contains("<th class=\"n\" title=\"rank\">Rang</th><th title=\"customer\">Kund</th>"), "{page}");
}

#[test]
fn the_explain_page_answers_first_and_has_a_waterfall() {
    // tests/explain.rs works the numbers out: 550 -> 275, Licens -300,
    // Support +25.
    let run = aov(&["explain", &fixture("edge/explain.csv"), "--by", "product", "--format", "html"]);
    let page = run.ok();
    let answer = page.find("<p class=\"summary\">AOV fell 275.00 (-50.0 %)").expect("the answer");
    let (fig, table) = (page.find("<figure class=\"waterfall\">").unwrap(), page.find("<table>").unwrap());
    assert!(answer < fig && fig < table, "answer, waterfall, table");
    assert_eq!(page.matches("AOV fell 275.00").count(), 1, "the answer once");
    let start = fig + "<figure class=\"waterfall\">".len();
    let doc = roxmltree::Document::parse(&page[start..start + page[start..].find("</figure>").unwrap()]).unwrap();
    // Scale 0..550 over x 128..285: 550 ends at 285, 250 (550 - 300) at
    // 128 + 157 * 250 / 550 = 199.36, and 275 ends at 206.5.
    let bars: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .map(|n| {
            let x: f64 = n.attribute("x").unwrap().parse().unwrap();
            (x, x + n.attribute("width").unwrap().parse::<f64>().unwrap())
        })
        .collect();
    assert_eq!(bars.len(), 4, "base, Licens, Support, current");
    let near = |a: f64, b: f64| (a - b).abs() < 0.02;
    assert!(near(bars[0].0, 128.0) && near(bars[0].1, 285.0), "{bars:?}");
    assert!(near(bars[1].0, 199.36) && near(bars[1].1, 285.0), "{bars:?}");
    assert!(near(bars[2].0, 199.36) && near(bars[2].1, 206.5), "{bars:?}");
    assert!(near(bars[3].0, 128.0) && near(bars[3].1, 206.5), "{bars:?}");
    let t = texts(&doc);
    assert!(t.iter().any(|x| x == "Licens") && t.iter().any(|x| x == "-300.00 ▼"), "{t:?}");
}

/// The labels on the time axis (texts that start with a year), in order.
fn time_labels(text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).unwrap();
    texts(&doc)
        .into_iter()
        .filter(|t| t.len() >= 4 && t[..4].bytes().all(|b| b.is_ascii_digit()) && !t.contains(' '))
        .collect()
}

#[test]
fn time_ticks_fall_on_natural_boundaries_and_the_last_period_is_labelled() {
    let f = fixture("deals.csv");
    // Weeks 2011-W52 to 2015-W01: the year starts (week 1), the last week.
    let weeks = time_labels(&svg(&[&f, "--period", "week"]));
    assert_eq!(weeks, ["2012-W01", "2013-W01", "2014-W01", "2015-W01"]);
    // One year of weeks: quarter starts (the weeks that hold 1 April,
    // 1 July, 1 October: 2014-03-31, 2014-06-30, 2014-09-29).
    let weeks = time_labels(&svg(&[&f, "--period", "week", "--from", "2014-01-01"]));
    assert_eq!(weeks, ["2014-W01", "2014-W14", "2014-W27", "2014-W40", "2015-W01"]);
    // 36 months at 1000 px: every quarter start; 2014-10 would crowd the
    // last month, 2014-12.
    let months = time_labels(&svg(&[&f]));
    let mut want: Vec<String> =
        (2012..=2014).flat_map(|y| ["01", "04", "07", "10"].map(|m| format!("{y}-{m}"))).collect();
    want.retain(|m| m != "2014-10");
    want.push("2014-12".into());
    assert_eq!(months, want);
    // At 500 px, the year starts only.
    assert_eq!(time_labels(&svg(&[&f, "--size", "500x400"])), ["2012-01", "2013-01", "2014-01", "2014-12"]);
    // Days over three years: the year starts; the last day with deals.
    let days = time_labels(&svg(&[&f, "--period", "day"]));
    assert_eq!(days, ["2012-01-01", "2013-01-01", "2014-01-01", "2014-12-30"]);
    // A quarter of days: the month starts.
    let days = time_labels(&svg(&[&f, "--period", "day", "--from", "2013-01-01", "--to", "2013-03-31"]));
    assert_eq!(days, ["2013-01-01", "2013-02-01", "2013-03-01", "2013-03-31"]);
}

/// The grey deal bars in document order: (x centre, height).
fn bars(doc: &roxmltree::Document) -> Vec<(f64, f64)> {
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("rect") && n.attribute("fill") == Some("#C8C8C8") && n.attribute("opacity") == Some("0.6")
        })
        .map(|n| {
            let num = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
            (num("x") + num("width") / 2.0, num("height"))
        })
        .filter(|(_, h)| *h > 0.0)
        .collect()
}

#[test]
fn above_four_groups_each_gets_a_small_plot_with_its_own_deals() {
    // Five sellers by total: Eva 1000 (March: 1 deal), Anna 450 (January
    // 2, March 1), Cilla 400 (February 1), Bo 60 (one a month), Dan 21
    // (February 3).
    let f = fixture("charts/five_sellers.csv");
    let text = svg(&[&f, "--by", "seller"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let t = texts(&doc);
    for name in ["Eva", "Anna", "Cilla", "Bo", "Dan"] {
        assert_eq!(t.iter().filter(|x| *x == name).count(), 1, "{name} names its plot: {t:?}");
    }
    // Each plot's bars are its group's own deals, on its own scale (the
    // tallest bar of each plot as high as the others' tallest): Eva 1,
    // Anna 2 and 1 (half as high, two months apart), Cilla 1, Bo 1, 1, 1,
    // Dan 3.
    let b = bars(&doc);
    assert_eq!(b.len(), 8, "{b:?}");
    let h = b[0].1;
    let heights: Vec<f64> = b.iter().map(|(_, y)| y / h).collect();
    let want = [1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0];
    assert!(heights.iter().zip(want).all(|(a, b)| (a - b).abs() < 0.02), "{heights:?}");
    // Anna's bars stand two periods apart, Bo's one apart.
    let (anna, bo) = (b[2].0 - b[1].0, b[5].0 - b[4].0);
    assert!((anna - 2.0 * bo).abs() < 1.5, "{anna} {bo}");
    // One line per plot, each in its colour; the legend names no seller.
    let doc_lines = |colour: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(colour))
            .map(|n| n.attribute("points").unwrap().split_whitespace().count())
            .collect::<Vec<_>>()
    };
    // Anna (2nd colour): January and March, a gap between: two runs.
    assert_eq!(doc_lines("#FF7F0E"), [1, 1]);
    // Bo (4th): three months in a row.
    assert_eq!(doc_lines("#D62728"), [3]);
    assert_eq!(t.iter().filter(|x| *x == "deals").count(), 1, "the bars' legend once: {t:?}");

    // --layout single: one plot, five lines named in the legend, no bars
    // (they would be the whole team's).
    let text = svg(&[&f, "--by", "seller", "--layout", "single"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(bars(&doc).is_empty());
    assert!(!texts(&doc).iter().any(|x| x == "deals"));
    // --layout small-multiples with two lines (Eva, other).
    let text = svg(&[&f, "--by", "seller", "--top", "1", "--layout", "small-multiples"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let t = texts(&doc);
    assert!(t.iter().any(|x| x == "Eva") && t.iter().any(|x| x == "other"), "{t:?}");
    // Other = Anna, Cilla, Bo, Dan: January 3, February 5, March 2 deals.
    let heights: Vec<f64> = bars(&doc).iter().map(|(_, y)| *y).collect();
    assert_eq!(heights.len(), 4, "{heights:?}");
    let other = &heights[1..];
    assert!((other[0] / other[1] - 0.6).abs() < 0.02 && (other[2] / other[1] - 0.4).abs() < 0.02, "{other:?}");
    // A bad layout is a usage error naming the valid ones.
    let err = aov(&["chart", &f, "--layout", "grid"]).fails(2).to_string();
    assert!(err.contains("small-multiples") && err.contains("single"), "{err}");
}

#[test]
fn every_point_of_the_small_plots_lies_inside_the_picture_above_the_legend() {
    let text = svg(&[&fixture("deals.csv"), "--by", "seller", "--period", "quarter", "--target", "9000"]);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let legend = text_y(&doc, "deals");
    let circles: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .map(|n| (n.attribute("cx").unwrap().parse().unwrap(), n.attribute("cy").unwrap().parse().unwrap()))
        .collect();
    // 6 plots (5 sellers and other) of 12 quarters.
    assert_eq!(circles.len(), 72);
    for (x, y) in circles {
        assert!((0.0..1000.0).contains(&x) && y > 30.0 && y < legend - 20.0, "a point at {x}, {y}");
    }
    assert!(texts(&doc).iter().any(|x| x == "target 9,000"));
}

#[test]
fn a_grouped_html_report_closes_each_group_with_its_subtotal() {
    let f = fixture("charts/five_sellers.csv");
    let page = aov(&["report", &f, "--by", "seller", "--format", "html", "--lang", "sv"]).ok().replace('\u{a0}', " ");
    let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("<tr")).collect();
    // Each seller's months, then the seller's subtotal: deals, the exact
    // total and total / deals (Anna 450 / 3 = 150, Dan 21 / 3 = 7).
    let sub = |name: &str, aov: &str, deals: u64, total: &str| {
        format!(
            "<tr class=\"subtotal\"><td>{name}</td><td>Delsumma</td><td class=\"n\">{aov}</td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\">{deals}</td><td class=\"n\">{total}</td></tr>"
        )
    };
    let want = [
        ("Eva", 1, sub("Eva", "1 000,00", 1, "1 000,00")),
        ("Anna", 2, sub("Anna", "150,00", 3, "450,00")),
        ("Cilla", 1, sub("Cilla", "400,00", 1, "400,00")),
        ("Bo", 3, sub("Bo", "20,00", 3, "60,00")),
        ("Dan", 1, sub("Dan", "7,00", 3, "21,00")),
    ];
    let mut at = 0;
    for (name, months, line) in want {
        for _ in 0..months {
            assert!(rows[at].starts_with(&format!("<tr><td>{name}</td><td>2013-")), "{at}: {}", rows[at]);
            at += 1;
        }
        assert_eq!(rows[at], line);
        at += 1;
    }
    assert!(rows[at].starts_with("<tr class=\"total\">"), "{}", rows[at]);
    assert!(page.contains("thead th{position:sticky;top:0"));
    // With a target of 100, each subtotal's AOV against it: Anna 150 - 100,
    // Dan 7 - 100.
    let page = aov(&["report", &f, "--by", "seller", "--target", "100", "--format", "html"]).ok().to_string();
    assert!(page.contains("<td>Anna</td><td>Subtotal</td><td class=\"n\">150.00</td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\">3</td><td class=\"n\">450.00</td><td class=\"n\">+50.00 ✓</td></tr>"), "{page}");
    assert!(page.contains("<td>Dan</td><td>Subtotal</td><td class=\"n\">7.00</td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\">3</td><td class=\"n\">21.00</td><td class=\"n\">-93.00  </td></tr>"), "{page}");
    // Without groups, or over one period, no subtotals; other formats none.
    for args in [
        vec!["report", &f, "--format", "html"],
        vec!["report", &f, "--by", "seller", "--period", "all", "--format", "html"],
    ] {
        assert!(!aov(&args).ok().contains("class=\"subtotal\""), "{args:?}");
    }
    for format in ["table", "markdown", "csv"] {
        let out = aov(&["report", &f, "--by", "seller", "--format", format]).ok().to_string();
        assert!(!out.contains("Subtotal") && !out.contains("Delsumma"), "{format}");
    }
}

#[test]
fn the_phone_chart_of_a_grouped_report_is_small_plots_two_a_row_with_readable_text() {
    let page = aov(&["report", &fixture("deals.csv"), "--by", "seller", "--format", "html"]).ok().to_string();
    let narrow = &page[page.find("<figure class=\"narrow\">").unwrap() + "<figure class=\"narrow\">".len()..];
    let doc = roxmltree::Document::parse(&narrow[..narrow.find("</figure>").unwrap()]).unwrap();
    // Six plots, two a row: three rows of 170 px and the legend's 40.
    assert_eq!(doc.root_element().attribute("width"), Some("360"));
    assert_eq!(doc.root_element().attribute("height"), Some("550"));
    let t = texts(&doc);
    for name in ["Erik Eriksson", "Mikael Lindström", "other"] {
        assert!(t.iter().any(|x| x == name), "{name}: {t:?}");
    }
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let size: f64 = n.attribute("font-size").unwrap().parse().unwrap();
        assert!(size * 358.0 / 360.0 >= 10.0, "text of {size} px: {:?}", n.text());
    }
    // The page's heading names the chart; the charts repeat no caption.
    assert!(!t.iter().any(|x| x.starts_with("AOV per month")), "{t:?}");
}

#[test]
fn many_small_plots_get_a_taller_picture_and_too_many_are_refused() {
    // 20 sellers and "other": 21 plots, 3 a row at 1000 px, so 7 rows of
    // 200 px and 80 px for the title and legend: 1480 px high.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("t20.png");
    let run = aov(&["chart", &fixture("deals.csv"), "--by", "seller", "--top", "20", "-o", png.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{run:?}");
    let head = std::fs::read(&png).unwrap();
    let size = |at: usize| u32::from_be_bytes(head[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (1000, 1480));
    // 70 customers as small multiples: refused, exit 2.
    let csv = dir.path().join("many.csv");
    let mut text = String::from("date,customer,amount\n");
    for i in 0..70 {
        text.push_str(&format!("2013-01-0{},C{i},10\n2013-02-01,C{i},20\n", 1 + i % 9));
    }
    std::fs::write(&csv, text).unwrap();
    let run = aov(&["chart", csv.to_str().unwrap(), "--by", "customer", "--top", "100", "--layout", "small-multiples"]);
    assert!(
        run.fails(2).contains("70 small plots are too many for one picture (at most 60); keep fewer groups with --top"),
        "{run:?}"
    );
}
