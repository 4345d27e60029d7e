//! The layers point one way: readers (`src/load`) and the core
//! (`src/aggregate`) both rest on the model; the core reads no files and
//! knows no flags; renderers only format the core's views. These tests read
//! the modules' `crate::` paths (outside their unit tests) and fail when a
//! module reaches into a layer it must not know.

use std::collections::BTreeSet;
use std::path::Path;

/// Every `crate::name` a module names outside its `#[cfg(test)]` part,
/// per file under `src/<layer>`.
fn uses(layer: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(layer)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            let mut names = BTreeSet::new();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != layer {
                    names.insert(name);
                }
            }
            let file = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().display().to_string();
            out.push((file, names));
        }
    }
    out.sort();
    out
}

/// The files of `layer` that name a module outside `allowed`, with what.
fn outside(layer: &str, allowed: &[&str]) -> Vec<String> {
    uses(layer)
        .into_iter()
        .flat_map(|(file, names)| {
            names.into_iter().filter(|n| !allowed.contains(&n.as_str())).map(move |n| format!("{file}: crate::{n}"))
        })
        .collect()
}

#[test]
fn the_scan_sees_what_a_module_uses() {
    // A check that finds nothing would pass for any code: the readers name
    // the model, and the renderers the core.
    assert!(uses("load").iter().any(|(_, n)| n.contains("model")));
    assert!(uses("render").iter().any(|(_, n)| n.contains("aggregate")));
}

#[test]
fn the_model_rests_on_nothing_but_errors_and_the_status_words() {
    assert_eq!(outside("model", &["error", "status"]), Vec::<String>::new());
}

#[test]
fn the_core_reads_no_files_and_knows_no_flags() {
    assert_eq!(outside("aggregate", &["error", "model", "status"]), Vec::<String>::new());
}

#[test]
fn readers_know_neither_the_flags_nor_the_collectors() {
    // The partials an engine computed go to the core through
    // `model::Buckets`, and the fast CSV path's interned deals through
    // `model::IdSink`: no reader names the core.
    assert_eq!(outside("load", &["error", "model", "status", "sql"]), Vec::<String>::new());
}

#[test]
fn renderers_format_the_core_s_views_and_read_nothing() {
    assert_eq!(outside("render", &["aggregate", "model", "error", "status"]), Vec::<String>::new());
}
