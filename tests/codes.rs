//! Every diagnostic code the source declares has words in both languages
//! and a fixture that triggers it; the catalogue holds nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use jixiao::messages::CATALOGUE;

/// Codes that no input can trigger, with the reason.
const UNTRIGGERABLE: &[(&str, &str)] = &[
    ("jixiao::syntax::internal", "the lowering lost a pair the grammar guarantees: a bug, not an input"),
    (
        "jixiao::io::memory",
        "needs a limit on virtual memory too tight for any thread, which depends on the machine: tests/cli.rs renders it",
    ),
];

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn codes_in_source() -> BTreeSet<String> {
    let mut files = Vec::new();
    walk(&common::root().join("src"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
        let text = std::fs::read_to_string(file).unwrap();
        for piece in text.split('"').skip(1).step_by(2) {
            let parts: Vec<&str> = piece.split("::").collect();
            let is_code = parts.len() == 3
                && parts[0] == "jixiao"
                && parts[1..].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            if is_code {
                codes.insert(piece.to_string());
            }
        }
    }
    codes
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.contains(' '))
        .collect()
}

#[test]
fn the_catalogue_covers_every_code_in_both_languages() {
    let declared = codes_in_source();
    let catalogued: BTreeSet<String> = CATALOGUE.iter().map(|e| e.code.to_string()).collect();
    let missing: Vec<_> = declared.difference(&catalogued).collect();
    assert!(missing.is_empty(), "codes without words: {missing:?}");
    let dead: Vec<_> = catalogued.difference(&declared).collect();
    assert!(dead.is_empty(), "words for codes the source never uses: {dead:?}");
    for entry in CATALOGUE {
        for (en, zh) in [(entry.en.message, entry.zh.message), (entry.en.help, entry.zh.help)] {
            assert_eq!(en.is_empty(), zh.is_empty(), "{}: a translation is missing", entry.code);
            assert_eq!(placeholders(en), placeholders(zh), "{}: the languages take different arguments", entry.code);
        }
        assert!(!entry.en.message.is_empty(), "{}: no message", entry.code);
        assert_eq!(entry.en.labels.len(), entry.zh.labels.len(), "{}: labels differ", entry.code);
        assert!(!entry.en.message.ends_with('.'), "{}: messages have no full stop", entry.code);
    }
}

fn fixture_codes() -> BTreeSet<String> {
    let mut files = Vec::new();
    walk(&common::root().join("tests/fixtures"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let first = text.lines().next().unwrap_or("");
        if let Some(code) = first.strip_prefix("// expect:").or_else(|| first.strip_prefix("# expect:")) {
            codes.insert(code.trim().to_string());
        } else if file.extension().is_some_and(|e| e == "json") && file.parent().is_some_and(|p| p.ends_with("err")) {
            codes.insert(format!("jixiao::data::{}", file.file_stem().unwrap().to_string_lossy()));
        }
    }
    codes
}

#[test]
fn every_code_has_a_fixture() {
    let fixtures = fixture_codes();
    let missing: Vec<_> = codes_in_source()
        .into_iter()
        .filter(|c| !fixtures.contains(c) && !UNTRIGGERABLE.iter().any(|(u, _)| u == c))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture under tests/fixtures: {missing:?}");
}

/// tests/fixtures/cli/err/*.args: `# expect: CODE`, `# exit: N`, optionally
/// `# stdout: FILE`, then the arguments, run through the real binary in
/// both languages.
#[test]
fn command_line_fixtures() {
    insta::glob!("fixtures/cli/err/*.args", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let code = lines.next().and_then(|l| l.strip_prefix("# expect:")).unwrap().trim();
        let exit: i32 = lines.next().and_then(|l| l.strip_prefix("# exit:")).unwrap().trim().parse().unwrap();
        let mut line = lines.next().unwrap();
        // `# stdout: /dev/full`: standard output goes to that file.
        let stdout = line.strip_prefix("# stdout:").map(str::trim);
        if stdout.is_some() {
            line = lines.next().unwrap();
        }
        let args: Vec<&str> = line.split_whitespace().collect();
        let mut stderr = String::new();
        for lang in ["en", "zh"] {
            let mut command = Command::new(env!("CARGO_BIN_EXE_jixiao"));
            command.args(&args).args(["--lang", lang]).current_dir(common::root()).env("NO_COLOR", "1");
            if let Some(path) = stdout {
                command.stdout(std::fs::OpenOptions::new().write(true).open(path).unwrap());
            }
            let out = command.output().unwrap();
            assert_eq!(out.status.code(), Some(exit), "{}", path.display());
            stderr.push_str(&String::from_utf8_lossy(&out.stderr));
        }
        assert!(stderr.contains(code), "{}: no {code} in\n{stderr}", path.display());
        insta::assert_snapshot!(stderr);
    });
}

/// Every placeholder of every message a fixture produces is filled: no
/// snapshot holds a `{name}` the catalogue meant to replace.
#[test]
fn every_placeholder_is_filled() {
    let mut names = BTreeSet::new();
    for entry in CATALOGUE {
        for text in [entry.en.message, entry.en.help, entry.zh.message, entry.zh.help] {
            names.extend(placeholders(text).into_iter().map(|n| format!("{{{n}}}")));
        }
    }
    let mut files = Vec::new();
    walk(&common::root().join("tests/snapshots"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let body = text.split("\n---\n").nth(1).unwrap_or(&text);
        for name in &names {
            assert!(!body.contains(name.as_str()), "{}: {name} was not filled", file.display());
        }
    }
}

/// User text is copied as written, never read again as a template, and a
/// character that once separated the languages is just a character.
#[test]
fn user_text_in_messages_is_verbatim() {
    use jixiao::diagnostic::Problem;
    use jixiao::messages::Lang;
    let problem = Problem::error("jixiao::io::unreadable")
        .arg("path", "data/{reason}.toml")
        .arg_io("reason", std::io::ErrorKind::NotFound);
    assert_eq!(problem.render(Lang::En).message, "cannot read `data/{reason}.toml`: no such file or folder");
    let problem = Problem::error("jixiao::data::unknown_id")
        .arg_noun("kind", "indicator")
        .arg("id", "重点单位巡查{suggestion}\u{1f}x")
        .arg("suggestion", "重点单位巡查");
    for lang in [Lang::En, Lang::Zh] {
        let message = problem.render(lang).message;
        assert!(message.contains("重点单位巡查{suggestion}\u{1f}x"), "{message}");
        assert_eq!(message.matches("重点单位巡查").count(), 1, "{message}");
    }
}
