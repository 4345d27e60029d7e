// Shared by the loader targets: run a report through the library, as the
// binary would, and return its CSV and the row accounting.

pub fn report(path: &str, extra: &[&str]) -> Option<String> {
    use clap::Parser;
    let mut args = vec!["aov", "report", path, "--by", "customer", "--period", "week", "--format", "csv", "--skip-bad-rows", "-q"];
    args.extend_from_slice(extra);
    let cli = aov::cli::Cli::try_parse_from(args).ok()?;
    let aov::cli::Command::Report(r) = cli.command else { return None };
    let settings = aov::config::ReportSettings::from_args(&r).ok()?;
    let template = aov::aggregate::Partials::new(settings.period, settings.by.len());
    let loaded = aov::intake::load_view(&settings.common, template, &settings.by, settings.period).ok()?;
    let a = loaded.accounting;
    assert_eq!(a.read, a.used + a.filtered + a.rejected, "every row is used, filtered out or rejected");
    let report = aov::aggregate::build(&loaded.partials, &settings.by).ok()?;
    let mut out = Vec::new();
    aov::render::render(&report, None, aov::render::Format::Csv, &Default::default(), &mut out).ok()?;
    Some(format!("{}|{:?}", String::from_utf8(out).ok()?, loaded.accounting))
}

/// A file of this process's own, with the given name.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("aov-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(name)
}
