//! No input panics: every rule file and data file cut at every 7th byte is
//! either accepted or refused with at least one coded diagnostic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Cuts `text` at every 7th byte, moved back to a character boundary.
fn cuts(text: &str, step: usize) -> impl Iterator<Item = &str> {
    (0..text.len()).step_by(step).map(move |mut at| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        &text[..at]
    })
}

#[test]
fn cut_rule_files_never_panic() {
    let mut rules = Vec::new();
    files(&common::root().join("rules"), "jx", &mut rules);
    assert!(rules.len() >= 6);
    for path in rules {
        let text = std::fs::read_to_string(&path).unwrap();
        // Test files are long and of one shape: every 61st byte of them.
        let step = if path.to_string_lossy().ends_with(".test.jx") { 61 } else { 7 };
        for cut in cuts(&text, step) {
            let checked = jixiao::check::check_source("cut.jx", cut);
            if checked.rules.is_none() {
                assert!(
                    checked.problems.iter().any(|p| p.is_error() && p.code.starts_with("jixiao::")),
                    "{}: refused without a diagnostic at {} bytes",
                    path.display(),
                    cut.len()
                );
            }
            for problem in &checked.problems {
                let _ = jixiao::diagnostic::render_human(
                    std::slice::from_ref(problem),
                    jixiao::messages::Lang::Zh,
                    &checked.sources,
                    false,
                    80,
                );
            }
        }
    }
}

#[test]
fn cut_data_files_never_panic() {
    let checked = jixiao::check::check_files(&[common::root().join("rules")], None);
    let rules = checked.rules.unwrap();
    let mut data = Vec::new();
    files(&common::root().join("examples"), "toml", &mut data);
    assert!(data.len() >= 5);
    for path in data {
        let text = std::fs::read_to_string(&path).unwrap();
        for cut in cuts(&text, 7) {
            let result = jixiao::data::parse(cut, jixiao::span::FileId(0), jixiao::data::Syntax::Toml)
                .and_then(|d| jixiao::eval::evaluate(&rules, &d));
            if let Err(problems) = result {
                assert!(
                    problems.iter().any(|p| p.is_error() && p.code.starts_with("jixiao::")),
                    "{}: refused without a diagnostic at {} bytes",
                    path.display(),
                    cut.len()
                );
            }
        }
    }
}
