//! PNG charts against committed reference pictures (tests/png/*.png),
//! by a tolerant pixel diff: the pictures are decoded (the `image` crate
//! the program already uses) and compared pixel by pixel; a pixel differs
//! when one of its channels is more than `CHANNEL` (48 of 255) apart, and
//! a picture matches when at most `SHARE` (0.2 %) of its pixels differ.
//! That absorbs antialiasing and rounding that moves a glyph's edge by a
//! shade, but not a moved line, a lost label or a bar of another height
//! (each is hundreds of pixels). Each reference was looked at as a
//! picture when it was made.
//!
//! To remake the references after a deliberate change, run
//! `AOV_BLESS_PNG=1 cargo test --test png`, look at every changed
//! picture, and commit them. A failing comparison leaves the picture it
//! got in target/png-diff/ to look at.

mod common;
use common::{aov, fixture, root};

/// A channel further apart than this makes a pixel differ.
const CHANNEL: u8 = 48;
/// The share of differing pixels a match allows.
const SHARE: f64 = 0.002;

fn decode(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png).expect("a PNG").to_rgb8()
}

/// How many pixels of `a` and `b` differ (all of them when the sizes do).
fn differing(a: &image::RgbImage, b: &image::RgbImage) -> usize {
    if a.dimensions() != b.dimensions() {
        return (a.width() * a.height()).max(b.width() * b.height()) as usize;
    }
    a.pixels().zip(b.pixels()).filter(|(p, q)| p.0.iter().zip(q.0).any(|(x, y)| x.abs_diff(y) > CHANNEL)).count()
}

fn matches(a: &image::RgbImage, b: &image::RgbImage) -> bool {
    (differing(a, b) as f64) <= SHARE * f64::from(a.width() * a.height())
}

/// Draw `args` as a PNG and return its bytes.
fn draw(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chart.png");
    let mut a = vec!["chart"];
    a.extend_from_slice(args);
    a.extend(["-o", path.to_str().unwrap()]);
    aov(&a).ok();
    std::fs::read(&path).unwrap()
}

fn check(name: &str, args: &[&str]) {
    let got = draw(args);
    let reference = root().join("tests/png").join(format!("{name}.png"));
    if std::env::var_os("AOV_BLESS_PNG").is_some() {
        std::fs::write(&reference, &got).unwrap();
        return;
    }
    let want = std::fs::read(&reference).unwrap_or_else(|e| panic!("{}: {e}", reference.display()));
    let (got_img, want_img) = (decode(&got), decode(&want));
    if !matches(&got_img, &want_img) {
        let out = root().join("target/png-diff");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(format!("{name}.png")), &got).unwrap();
        panic!(
            "{name}: {} of {} pixels differ from {} (the picture drawn is in target/png-diff/{name}.png)",
            differing(&got_img, &want_img),
            got_img.width() * got_img.height(),
            reference.display()
        );
    }
}

#[test]
fn the_monthly_chart_matches_its_reference() {
    check("month", &[&fixture("deals.csv"), "--target", "5000", "--size", "800x450"]);
}

#[test]
fn the_swedish_weekly_chart_matches_its_reference() {
    check("week_sv", &[&fixture("deals.csv"), "--period", "week", "--lang", "sv", "--size", "800x450"]);
}

#[test]
fn the_small_multiples_match_their_reference() {
    check("sellers", &[&fixture("deals.csv"), "--by", "seller", "--period", "quarter", "--size", "900x600"]);
}

#[test]
fn the_daily_chart_holds_its_spikes_like_its_reference() {
    check(
        "day",
        &[&fixture("deals.csv"), "--period", "day", "--from", "2013-01-01", "--to", "2013-06-30", "--size", "800x450"],
    );
}

#[test]
fn the_diff_tells_a_changed_chart_from_its_reference() {
    // The same chart with another target line, and one a month shorter:
    // both differ well beyond the tolerance; the same chart drawn again
    // matches exactly.
    let args = [fixture("deals.csv"), "--target".into(), "5000".into(), "--size".into(), "800x450".into()];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let base = decode(&draw(&args));
    assert_eq!(differing(&base, &decode(&draw(&args))), 0);
    let mut moved = args.clone();
    moved[2] = "6000";
    let other = decode(&draw(&moved));
    assert!(!matches(&base, &other), "{} pixels differ", differing(&base, &other));
    let shorter =
        decode(&draw(&[&fixture("deals.csv"), "--target", "5000", "--size", "800x450", "--to", "2014-11-30"]));
    assert!(!matches(&base, &shorter), "{} pixels differ", differing(&base, &shorter));
    // A pixel a shade off is no difference; a pixel far off is one.
    let mut shade = base.clone();
    let p = shade.get_pixel_mut(10, 10);
    p.0[0] = p.0[0].saturating_sub(CHANNEL);
    assert_eq!(differing(&base, &shade), 0);
    let mut far = base.clone();
    far.get_pixel_mut(10, 10).0 = [0, 0, 0];
    assert_eq!(differing(&base, &far), 1);
}
