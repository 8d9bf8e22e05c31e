//! Every fixture under tests/fixtures: `err/` files must fail with the code
//! their first line names, `warn/` files must warn with it and nothing
//! worse, `ok/` files must be clean. Each is snapshotted rendered in both
//! languages (unicode, no colour, width 80).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::path::Path;

use jixiao::diagnostic::render_human;
use jixiao::messages::Lang;

/// The code a fixture's first line promises: `// expect: jixiao::check::cycle`.
fn expected_code(text: &str) -> Option<&str> {
    text.lines().next()?.strip_prefix("// expect:").map(str::trim)
}

fn relative(path: &Path) -> std::path::PathBuf {
    path.strip_prefix(common::root()).unwrap_or(path).to_path_buf()
}

fn rendered(path: &Path) -> (jixiao::check::Checked, String) {
    let checked = jixiao::check::check_files(&[relative(path)], None);
    let mut text = String::new();
    for lang in [Lang::En, Lang::Zh] {
        text.push_str(&render_human(&checked.problems, lang, &checked.sources, false, 80));
    }
    (checked, text)
}

#[test]
fn failing_fixtures() {
    insta::glob!("fixtures/{check,parse}/err/*.jx", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let code = expected_code(&source).unwrap_or_else(|| panic!("{}: no `// expect:` line", path.display()));
        let (checked, text) = rendered(path);
        assert!(checked.has_errors(), "{}: accepted", path.display());
        assert!(checked.problems.iter().any(|p| p.code == code), "{}: no {code} in\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn warning_fixtures() {
    insta::glob!("fixtures/check/warn/*.jx", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let code = expected_code(&source).unwrap();
        let (checked, text) = rendered(path);
        assert!(!checked.has_errors(), "{}: {text}", path.display());
        assert!(checked.problems.iter().any(|p| p.code == code), "{}: no {code} in\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn clean_fixtures() {
    insta::glob!("fixtures/check/ok/*.jx", |path| {
        let (checked, text) = rendered(path);
        assert!(checked.problems.is_empty(), "{}: {text}", path.display());
    });
}

#[test]
fn chinese_keywords_evaluate_like_english_ones() {
    let rules = std::fs::read_to_string(common::root().join("tests/fixtures/check/ok/chinese-keywords.jx")).unwrap();
    let data = "project = \"质量技术监督项目\"\nyear = 2018\n[funds]\n\"全年执行数\" = 190\n\"到位资金\" = 200\n\
                [actual]\n\"日常监管巡查\" = 2072\n\"培训\" = 15\n\"重大安全事故\" = 0\n\"质量提升\" = \"达成\"\n";
    let evaluation = common::evaluate(&rules, data).unwrap();
    let scores: Vec<String> = evaluation.indicators().map(|i| i.score.to_string()).collect();
    // 20 × 0.95; 20 × 2072 / 3000 = 13.8133…; 20 − 5 × 0.5; full; full.
    assert_eq!(scores, ["19", "13.81", "17.5", "20", "20"]);
    assert_eq!(evaluation.total.score.to_string(), "90.31");
    assert_eq!(evaluation.total.grade.as_deref(), Some("优秀"));
}

#[test]
fn json_data_reads_like_toml() {
    let root = common::root();
    let checked = jixiao::check::check_files(&[root.join("rules/2018/quality-supervision.jx")], None);
    let rules = checked.rules.unwrap();
    let json = r#"{
        "project": "质量技术监督项目", "year": 2018,
        "funds": {"到位资金": 200.00, "全年执行数": 200, "全年预算数": 200},
        "figures": {"标准化质量计量管理": 140.00, "特种设备监管": 60},
        "actual": {
            "日常监管巡查": 2072, "重点单位巡查": "188", "投诉现场处置": 1284, "群众性活动": 30,
            "质量专题培训": 20, "湖北名牌申报": 28, "重点使用单位检查率": "100.0%", "医疗器具合格率": "100%",
            "重大产品质量安全事故": 0, "重大安全事故": 0, "群众安全满意率": "80.0%"
        }
    }"#;
    let data = jixiao::data::parse(json, jixiao::span::FileId(9), jixiao::data::Syntax::Json).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    assert_eq!(evaluation.total.score.to_string(), "96.64");
}

/// Evaluates a data fixture against tests/fixtures/data/rules.jx.
fn evaluate_fixture(
    path: &Path,
) -> (Result<Vec<jixiao::diagnostic::Problem>, Vec<jixiao::diagnostic::Problem>>, String) {
    evaluate_fixture_with("tests/fixtures/data/rules.jx", path)
}

/// Evaluates a data fixture against the rule file `rules` (from the crate root).
fn evaluate_fixture_with(
    rules: &str,
    path: &Path,
) -> (Result<Vec<jixiao::diagnostic::Problem>, Vec<jixiao::diagnostic::Problem>>, String) {
    let checked = jixiao::check::check_files(&[relative(&common::root().join(rules))], None);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let rules = checked.rules.unwrap();
    let mut sources = checked.sources;
    let result = jixiao::data::read(&relative(path), &mut sources).and_then(|d| jixiao::eval::evaluate(&rules, &d));
    let problems = match &result {
        Ok(evaluation) => evaluation.warnings.clone(),
        Err(problems) => problems.clone(),
    };
    let mut text = String::new();
    for lang in [Lang::En, Lang::Zh] {
        text.push_str(&render_human(&problems, lang, &sources, false, 80));
    }
    (result.map(|e| e.warnings), text)
}

fn expected_data_code(path: &Path) -> String {
    let source = std::fs::read_to_string(path).unwrap();
    let first = source.lines().next().unwrap_or("");
    if path.extension().is_some_and(|e| e == "json") {
        // JSON has no comments: the file name is the code's kind.
        let kind = path.file_stem().unwrap().to_string_lossy();
        return format!("jixiao::data::{kind}");
    }
    first
        .strip_prefix("# expect:")
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|| panic!("{}: no `# expect:`", path.display()))
}

#[test]
fn failing_data_fixtures() {
    insta::glob!("fixtures/data/err/*.{toml,json}", |path| {
        let code = expected_data_code(path);
        let (result, text) = evaluate_fixture(path);
        let problems = result.expect_err("the data must be refused");
        assert!(problems.iter().any(|p| p.code == code), "{}: no {code} in\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn failing_dated_data_fixtures() {
    // Deadlines' dates and checklists' items, against their own rules.
    insta::glob!("fixtures/dated/err/*.toml", |path| {
        let code = expected_data_code(path);
        let (result, text) = evaluate_fixture_with("tests/fixtures/dated/rules.jx", path);
        let problems = result.expect_err("the data must be refused");
        assert!(problems.iter().any(|p| p.code == code), "{}: no {code} in\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn warning_data_fixtures() {
    insta::glob!("fixtures/data/warn/*.toml", |path| {
        let code = expected_data_code(path);
        let (result, text) = evaluate_fixture(path);
        let warnings = result.unwrap_or_else(|p| panic!("{}: refused: {p:?}", path.display()));
        assert!(warnings.iter().any(|p| p.code == code), "{}: no {code} in\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn review_fixtures() {
    // Each asks its one review rule (and perhaps others); never a refusal.
    insta::glob!("fixtures/review/*.toml", |path| {
        let code = expected_data_code(path);
        let (result, text) = evaluate_fixture_with("tests/fixtures/review/rules.jx", path);
        let warnings = result.unwrap_or_else(|p| panic!("{}: refused: {p:?}", path.display()));
        assert!(warnings.iter().any(|p| p.code == code), "{}: no {code} in\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn clean_data_fixtures() {
    insta::glob!("fixtures/data/ok/*.toml", |path| {
        let (result, text) = evaluate_fixture(path);
        assert_eq!(result.map(|w| w.len()), Ok(0), "{text}");
    });
}
