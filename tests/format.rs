//! `jixiao fmt`: the laws over every bundled rule file and generated ones —
//! idempotent, the checked model unchanged, no comment lost — and a
//! scrambled copy restored exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::path::{Path, PathBuf};

use jixiao::format::{Keywords, comment_texts, format};
use proptest::prelude::*;

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jx") {
            out.push(path);
        }
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The diagnostics a text gives, by code: formatting must not change them.
fn codes(name: &str, text: &str) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> =
        jixiao::check::check_source(name, text).problems.iter().map(|p| p.code).collect();
    codes.sort_unstable();
    codes
}

#[test]
fn every_bundled_rule_file_is_formatted() {
    let mut files = Vec::new();
    rule_files(&common::root().join("rules"), &mut files);
    assert!(files.len() > 10);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let formatted = format(&text, Keywords::AsWritten).unwrap();
        assert!(formatted == text, "{} is not formatted: run `jixiao fmt rules`", file.display());
    }
}

#[test]
fn laws_over_every_rule_file_and_fixture() {
    let mut files = Vec::new();
    rule_files(&common::root().join("rules"), &mut files);
    rule_files(&common::root().join("tests/fixtures"), &mut files);
    rule_files(&common::root().join("benches/rules"), &mut files);
    let mut formatted_count = 0;
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let Some(once) = format(&text, Keywords::AsWritten) else { continue };
        formatted_count += 1;
        let name = file.display().to_string();
        assert_eq!(format(&once, Keywords::AsWritten).unwrap(), once, "{name}: fmt(fmt(x)) = fmt(x)");
        assert_eq!(sorted(comment_texts(&once)), sorted(comment_texts(&text)), "{name}: no comment lost");
        assert_eq!(codes(&name, &once), codes(&name, &text), "{name}: the same diagnostics");
    }
    assert!(formatted_count > 100, "{formatted_count}");
}

#[test]
fn the_checked_rules_are_the_same_model_after_formatting() {
    for folder in ["rules/2018", "rules/2019", "rules/demo", "rules/central"] {
        let dir = std::env::temp_dir().join(format!("jixiao-format-{}", std::process::id())).join("rules").join(folder);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Vec::new();
        rule_files(&common::root().join(folder), &mut files);
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            // Spelt in the other language and reformatted: the same rules.
            let converted = format(&text, Keywords::Zh).unwrap();
            std::fs::write(dir.join(file.file_name().unwrap()), converted).unwrap();
        }
        let before = jixiao::check::check_files(&[common::root().join(folder)], None).rules.unwrap();
        let after = jixiao::check::check_files(std::slice::from_ref(&dir), None);
        let after = after.rules.unwrap_or_else(|| panic!("{folder}: {:?}", after.problems));
        let changes = jixiao::diff::diff(&before, &after);
        assert!(changes.iter().all(|p| p.changes.is_empty()), "{folder}: {changes:?}");
    }
}

/// Indentation and spaces between tokens scrambled (strings and comments
/// untouched): the formatter restores the file exactly.
fn scramble(text: &str, seed: u64) -> String {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start();
        out.push_str(&" ".repeat(next() % 9));
        let mut in_string = None;
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            match (in_string, c) {
                (None, '/') if chars.peek() == Some(&'/') => {
                    out.push(c);
                    out.extend(chars.by_ref());
                    break;
                }
                (None, '"' | '`' | '“') => {
                    in_string = Some(if c == '“' { '”' } else { c });
                    out.push(c);
                }
                (Some(close), _) if c == close => {
                    in_string = None;
                    out.push(c);
                }
                (None, ' ') => {
                    while chars.peek() == Some(&' ') {
                        chars.next();
                    }
                    out.push_str(&" ".repeat(1 + next() % 3));
                }
                _ => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_scrambled_copy_is_restored_exactly() {
    let mut files = Vec::new();
    rule_files(&common::root().join("rules"), &mut files);
    for (k, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file).unwrap();
        let scrambled = scramble(&text, k as u64 + 1);
        assert_ne!(scrambled, text);
        let restored = format(&scrambled, Keywords::AsWritten).unwrap();
        assert!(
            restored == text,
            "{}:\n{}",
            file.display(),
            jixiao::format::unified_diff("restored", &text, &restored)
        );
    }
}

/// A small project, generated: indicators with targets, points, derived
/// actuals, comments in odd places, blank lines and odd spacing.
fn project_text() -> impl Strategy<Value = String> {
    let indicator = (0u32..4, 1u32..50, 1u32..5000, prop::bool::ANY, prop::bool::ANY, 0usize..3).prop_map(
        |(kind, points, target, comment, derived, spaces)| {
            let pad = " ".repeat(spaces + 1);
            let target = match kind {
                0 => format!("target >={pad}{target} 次"),
                1 => format!("target <= {}%", target % 100),
                2 => format!("target>={target}次"),
                _ => "target 达成 \"达成预期指标\"".to_string(),
            };
            let derived = if derived && kind < 3 { format!(";{pad}actual = 甲 + 乙 * 2") } else { String::new() };
            let comment = if comment { "  // 说明" } else { "" };
            (target, points, derived, comment)
        },
    );
    prop::collection::vec(indicator, 1..6).prop_map(|inds| {
        let total: u32 = inds.iter().map(|(_, p, _, _)| p).sum();
        let mut text = String::from(
            "// 生成的规则\nscheme S {\n  total TOTAL\n unit 次: count\n    method proportional = if actual >= target then points else points * actual / target\n  method inverse = if actual <= target then points else if target == 0 then 0 else points * target / actual\n   default >= proportional\n default <= inverse\n  level 达成 100% \"达成预期指标\"\n   grade 优 >= 90\n grade 差 otherwise\n}\n\n\n\nproject P {\n year 2020\n  figure 甲 次\n figure 乙 次\n  section 产出指标 points TOTAL {\n",
        )
        .replace("TOTAL", &total.to_string());
        for (i, (target, points, derived, comment)) in inds.iter().enumerate() {
            text.push_str(&format!("      indicator 指标{i} \"第{i}个指标\" {{ {target}; points {points}{derived} }}{comment}\n"));
            if i % 2 == 1 {
                text.push_str("\n\n   // 一组\n");
            }
        }
        text.push_str("  }\n}\n");
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn laws_over_generated_rules(text in project_text()) {
        let once = format(&text, Keywords::AsWritten).unwrap();
        prop_assert_eq!(format(&once, Keywords::AsWritten).unwrap(), once.clone());
        prop_assert_eq!(sorted(comment_texts(&once)), sorted(comment_texts(&text)));
        prop_assert_eq!(codes("g.jx", &once), codes("g.jx", &text));
        let en = format(&format(&text, Keywords::Zh).unwrap(), Keywords::En).unwrap();
        prop_assert_eq!(codes("g.jx", &en), codes("g.jx", &text));
    }
}

#[test]
fn the_command_line_checks_writes_and_converts() {
    // Standard input is empty unless the command reads `-`.
    let run = |args: &[&str], stdin: Option<&str>| common::jixiao_with_input(args, stdin.unwrap_or(""));
    let o = run(&["fmt", "--check", "rules"], None);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    // A scrambled copy: --check shows a diff and changes nothing; fmt restores it.
    let dir = std::env::temp_dir().join(format!("jixiao-fmt-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original = std::fs::read_to_string(common::root().join("rules/2018/scheme.jx")).unwrap();
    let file = dir.join("scheme.jx");
    std::fs::write(&file, scramble(&original, 7)).unwrap();
    let o = run(&["fmt", "--check", file.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("@@ "), "a unified diff");
    assert_ne!(std::fs::read_to_string(&file).unwrap(), original, "--check changes nothing");
    let o = run(&["fmt", file.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    // Standard input to standard output, keywords converted.
    let o = run(
        &["fmt", "--keywords", "zh", "-"],
        Some("scheme S {\n  total 10\n grade 优 >= 9\n  grade 差 otherwise\n}\n"),
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "方案 S {\n    总分 10\n    等级 优 >= 9\n    等级 差 其他\n}\n");
    // A file that does not parse is not touched, and says why.
    let broken = dir.join("broken.jx");
    std::fs::write(&broken, "scheme S { total }\n").unwrap();
    let o = run(&["fmt", broken.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("jixiao::syntax::parse"));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "scheme S { total }\n");
}

#[test]
fn a_comment_inside_an_if_chain_stays_with_its_branch() {
    let text = std::fs::read_to_string(common::root().join("tests/fixtures/format/F02-if-chain-comments.jx")).unwrap();
    let formatted = format(&text, Keywords::AsWritten).unwrap();
    for (branch, comment) in [("then points ", "// full"), ("points * 0.9", "// 90% band"), ("else 0", "// nothing")] {
        let line = formatted.lines().find(|l| l.contains(branch)).unwrap();
        assert!(line.contains(comment), "{comment} after {branch}:\n{formatted}");
    }
    // Standard input with --check: a diff and 1, not the formatted text and 0.
    let o = common::jixiao_with_input(&["fmt", "--check", "-"], &text);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("--- -"));
}
