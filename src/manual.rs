//! The manual page: `aov man` prints one roff page (clap_mangen) that
//! covers the tool and each subcommand with all its options, so that a
//! packager installs one file and `man aov` answers every question `-h`
//! does.

use clap::CommandFactory;

use crate::cli::Cli;

/// The whole page: aov's own sections, then one section per subcommand
/// with its synopsis, description, options (under the same headings as
/// `-h`) and examples as subsections.
pub fn page() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut main = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut main)?;
    // The page opens with its title (`.TH`), as man(7) asks; roff's string
    // definitions that clap_mangen puts first follow it.
    let main = String::from_utf8_lossy(&main).into_owned();
    let (title, rest): (Vec<&str>, Vec<&str>) = main.lines().partition(|l| l.starts_with(".TH "));
    let mut out = Vec::new();
    for line in title.into_iter().chain(rest) {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    for sub in cmd.get_subcommands() {
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_uppercase();
        out.extend_from_slice(format!(".SH \"{name}\"\n").as_bytes());
        let man = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut section)?;
        }
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            man.render_extra_section(&mut section)?;
        }
        // The subcommand's sections become subsections of its own.
        let text = String::from_utf8_lossy(&section);
        for line in text.lines() {
            match line.strip_prefix(".SH ") {
                Some(rest) => out.extend_from_slice(format!(".SS {rest}\n").as_bytes()),
                None => {
                    out.extend_from_slice(line.as_bytes());
                    out.push(b'\n');
                }
            }
        }
    }
    Ok(out)
}
