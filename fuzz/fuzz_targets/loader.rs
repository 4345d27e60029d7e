//! The whole loader on arbitrary bytes: it never panics, and the parallel
//! reader (tiny blocks, two threads) makes exactly the report the general
//! reader makes, or hands the file over to it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fn report(path: &str, extra: &[&str]) -> Option<String> {
    use clap::Parser;
    let mut args = vec!["aov", "report", path, "--by", "customer", "--period", "week", "--format", "csv", "--skip-bad-rows", "-q"];
    args.extend_from_slice(extra);
    let cli = aov::cli::Cli::try_parse_from(args).ok()?;
    let aov::cli::Command::Report(r) = cli.command else { return None };
    let settings = aov::config::ReportSettings::from_args(&r).ok()?;
    let template = aov::aggregate::Partials::new(settings.period, settings.by.len());
    let loaded = aov::intake::load_view(&settings.common, template, &settings.by, settings.period).ok()?;
    let report = aov::aggregate::build(&loaded.partials, &settings.by).ok()?;
    let mut out = Vec::new();
    aov::render::render(&report, None, aov::render::Format::Csv, &Default::default(), &mut out).ok()?;
    Some(format!("{}|{:?}", String::from_utf8(out).ok()?, loaded.accounting))
}

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("aov-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("input.csv");
    std::fs::write(&path, data).unwrap();
    let p = path.to_str().unwrap();
    let general = report(p, &["--no-fast-path"]);
    let fast = report(p, &["--threads", "2", "--block-size", "16"]);
    assert_eq!(general, fast);
});
