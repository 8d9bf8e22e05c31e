//! No number without a reason: inputs that used to print a wrong number
//! without a word, crash, or report success when output was lost. Each test
//! failed before its fix.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use common::{jixiao, jixiao_in, stderr, stdout};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of the bundled rules and examples to edit.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-trust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for folder in ["rules/2018", "examples/2018"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        for entry in std::fs::read_dir(common::root().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            // The files only (examples/2018/golden/ holds the golden evaluations).
            if path.is_file() {
                std::fs::copy(&path, dir.join(folder).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const QS: [&str; 4] =
    ["rules/2018/quality-supervision.jx", "--data", "examples/2018/quality-supervision.toml", "--lang"];

fn eval_qs(dir: &Path) -> Output {
    jixiao_in(dir, &[&["eval"], &QS[..], &["en"]].concat())
}

// 1. A plain number never meets a percent or a ratio.

#[test]
fn a_plain_target_is_never_compared_with_a_percent_in_data() {
    let dir = workspace("plain-data");
    edit(&dir.join("rules/2018/quality-supervision.jx"), "target >= 99%; points 8", "target >= 99; points 8");
    let out = eval_qs(&dir);
    assert_eq!(out.status.code(), Some(2), "scored 0.08 of 8 before: {}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("jixiao::data::plain_target"), "{err}");
    assert!(err.contains("quality-supervision.toml") && err.contains("quality-supervision.jx"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_plain_target_is_never_compared_with_a_derived_ratio() {
    let dir = workspace("plain-ratio");
    let rules = dir.join("rules/2018/quality-supervision.jx");
    edit(&rules, "target >= 100%\n            points 20", "target >= 1\n            points 20");
    let out = jixiao_in(&dir, &["check", "rules/2018/quality-supervision.jx", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("jixiao::check::plain_target"), "{}", stderr(&out));
}

#[test]
fn plain_figures_divided_are_a_ratio_and_percents_for_plain_figures_are_refused() {
    let rules = |target: &str| {
        format!(
            "scheme S {{\n total 10\n round score half_up 0.01\n method p = if actual >= target then points else points * actual / target\n default >= p\n grade A otherwise\n}}\nproject P {{\n year 2018\n figure a\n figure b\n section S points 10 {{\n  indicator I {{ target {target}; points 10; actual = a / b }}\n }}\n}}\n"
        )
    };
    let checked = jixiao::check::check_source("p.jx", &rules(">= 1"));
    assert!(checked.problems.iter().any(|p| p.code == "jixiao::check::plain_target"), "{:?}", checked.problems);
    let data = "project = \"P\"\nyear = 2018\n[figures]\na = 9\nb = \"10%\"\n";
    let refused = common::evaluate(&rules(">= 80%"), data).unwrap_err();
    assert!(refused.iter().any(|p| p.code == "jixiao::data::plain_target"), "{refused:?}");
    let scored =
        common::evaluate(&rules(">= 80%"), "project = \"P\"\nyear = 2018\n[figures]\na = 9\nb = 10\n").unwrap();
    assert_eq!(scored.total.score.to_string(), "10");
}

// 2. Negative values are refused: methods are proven for actuals of 0 and up.

#[test]
fn negative_percents_and_plain_numbers_are_refused() {
    for (indicator, actual) in [
        ("target >= 80%", "\"-80%\""),
        ("target <= 5%", "\"-500%\""),
        ("target >= 10", "-5"),
        ("target <= 10", "\"-0.5\""),
    ] {
        let rules = common::one_indicator("", indicator);
        let refused = common::evaluate(&rules, &common::data(actual)).unwrap_err();
        assert!(refused.iter().any(|p| p.code == "jixiao::data::negative"), "{indicator} {actual}: {refused:?}");
    }
}

#[test]
fn a_negative_satisfaction_rate_in_the_seed_is_refused() {
    let dir = workspace("negative");
    edit(
        &dir.join("examples/2018/quality-supervision.toml"),
        "\"群众安全满意率\" = \"80.0%\"",
        "\"群众安全满意率\" = \"-80%\"",
    );
    let out = eval_qs(&dir);
    assert_eq!(out.status.code(), Some(2), "scored −20 before: {}", stdout(&out));
    assert!(stderr(&out).contains("jixiao::data::negative"), "{}", stderr(&out));
}

#[test]
fn a_negative_derived_rate_is_refused() {
    let rules = "scheme S {\n total 10\n unit 件: count\n round score half_up 0.01\n method p = if actual <= target then points else points * target / actual\n default <= p\n grade A otherwise\n}\nproject P {\n year 2018\n figure a %\n figure b %\n section S points 10 {\n  indicator I { target <= 5%; points 10; actual = a - b }\n }\n}\n";
    let refused =
        common::evaluate(rules, "project = \"P\"\nyear = 2018\n[figures]\na = \"1%\"\nb = \"6%\"\n").unwrap_err();
    assert!(refused.iter().any(|p| p.code == "jixiao::eval::negative_derived"), "{refused:?}");
}

// 6. Printing a large exact value never panics.

#[test]
fn huge_values_print_instead_of_crashing() {
    let dir = workspace("huge");
    let data = dir.join("examples/2018/comprehensive-affairs.toml");
    let text = std::fs::read_to_string(&data).unwrap();
    let text = text.replace("\"全年执行数\" = 357.04", "\"全年执行数\" = 100000000000000000000000");
    let text = text.replace("\"到位资金\" = 439.53", "\"到位资金\" = 3");
    std::fs::write(&data, text).unwrap();
    let args =
        ["rules/2018/comprehensive-affairs.jx", "--data", "examples/2018/comprehensive-affairs.toml", "--lang", "en"];
    for command in ["eval", "explain", "audit"] {
        let out = jixiao_in(&dir, &[&[command][..], &args[..]].concat());
        assert!(matches!(out.status.code(), Some(0..=2)), "{command} crashed: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{command}: {}", stderr(&out));
    }
    let out =
        jixiao_in(&dir, &["diff", "rules/2018", "rules/2018", "--data", "examples/2018/comprehensive-affairs.toml"]);
    assert!(!stderr(&out).contains("panicked"), "diff: {}", stderr(&out));
}

#[test]
fn checking_a_method_against_a_huge_target_prints_the_counterexample() {
    let rules = common::one_indicator(
        "method third = if actual >= target then points else actual / 3",
        "target >= 10000000000000000000000000000 次; method third",
    );
    let checked = jixiao::check::check_source("p.jx", &rules);
    let rendered: Vec<String> = checked.problems.iter().map(|p| p.render(jixiao::messages::Lang::En).message).collect();
    assert!(!rendered.is_empty(), "the method exceeds the points for actuals above 30");
}

// 7. A write error on standard output is a coded error and a nonzero exit.

#[test]
fn a_full_disk_behind_stdout_is_an_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let qs = ["rules/2018/quality-supervision.jx", "--data", "examples/2018/quality-supervision.toml"];
    let runs: Vec<Vec<&str>> = vec![
        [&["eval"][..], &qs[..], &["--format", "json"]].concat(),
        [&["explain"][..], &qs[..]].concat(),
        [&["audit"][..], &qs[..]].concat(),
        vec!["diff", "rules/2018", "rules/2019"],
        vec!["generate", "benches/rules/twenty.jx", "--records", "100"],
        vec!["eval", "rules/2018/quality-supervision.jx", "--data", "tests/fixtures/batch/good.csv"],
    ];
    for args in runs {
        let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(&args)
            .args(["--lang", "en"])
            .current_dir(common::root())
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} exited 0 with its output lost");
        assert!(stderr(&out).contains("jixiao::io::stdout"), "{args:?}: {}", stderr(&out));
    }
}

// 8. Nothing is replaced unless the run succeeds; no temporaries are left.

#[test]
fn a_strict_batch_that_stops_replaces_nothing() {
    let dir = workspace("strict");
    let out_file = dir.join("scores.csv");
    std::fs::write(&out_file, "yesterday's scores\n").unwrap();
    let records = common::root().join("tests/fixtures/batch/refused.csv");
    let out = jixiao(&[
        "eval",
        "rules/2018/quality-supervision.jx",
        "--data",
        records.to_str().unwrap(),
        "--strict",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("refused"), "stopped by a refused record: {}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "yesterday's scores\n");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporaries left: {left:?}");
}

#[test]
fn a_killed_run_s_temporary_is_removed_by_the_next_run() {
    let dir = workspace("stale");
    let out_file = dir.join("table.txt");
    // A process id that cannot be running: above Linux's maximum.
    let stale = dir.join(".table.txt.4294967295.tmp");
    std::fs::write(&stale, "half a table").unwrap();
    let out = eval_with_output(&dir, &out_file);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    if Path::new("/proc/self").exists() {
        assert!(!stale.exists(), "the stale temporary is still there");
    }
    assert!(std::fs::read_to_string(&out_file).unwrap().contains("96.64"));
}

fn eval_with_output(dir: &Path, out_file: &Path) -> Output {
    jixiao_in(dir, &[&["eval"], &QS[..], &["en", "-o", out_file.to_str().unwrap()]].concat())
}

#[test]
fn a_batch_write_error_names_the_file() {
    let records = common::root().join("tests/fixtures/batch/good.csv");
    let out = jixiao(&[
        "eval",
        "rules/2018/quality-supervision.jx",
        "--data",
        records.to_str().unwrap(),
        "-o",
        "/nonexistent-folder/scores.csv",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("/nonexistent-folder/scores.csv") && err.contains("jixiao::io::write"), "{err}");
}

// 10. The output file's extension chooses the format; a contradiction is refused.

#[test]
fn the_output_extension_chooses_the_format() {
    let dir = workspace("extension");
    let xlsx = dir.join("自评表.xlsx");
    let out = eval_with_output(&dir, &xlsx);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK", "a workbook is a zip file");
    let html = dir.join("自评表.html");
    eval_with_output(&dir, &html);
    assert!(std::fs::read_to_string(&html).unwrap().starts_with("<!DOCTYPE html>"));
    let out =
        jixiao_in(&dir, &[&["eval"], &QS[..], &["en", "--format", "html", "-o", xlsx.to_str().unwrap()]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("jixiao::cli::format_mismatch"), "{}", stderr(&out));
    let audit = dir.join("audit.xlsx");
    let out = jixiao_in(
        &dir,
        &["audit", "rules/2018", "--data", "examples/2018/quality-supervision.toml", "-o", audit.to_str().unwrap()],
    );
    // Audit writes a workbook too now (a summary and every finding); exit 1 for the finding.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(&std::fs::read(&audit).unwrap()[..2], b"PK");
}

// 9. Text from rule and data files never reaches a CSV as a formula.

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let rules = common::one_indicator("", "target >= 10 次");
    for (reason, cell) in [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
    ] {
        let data = format!("{}[reasons]\nI = {}\n", common::data("5"), toml_string(reason));
        let evaluation = common::evaluate(&rules, &data).unwrap();
        let csv = jixiao::report::csv::render(&[evaluation], jixiao::messages::Lang::En);
        let row = csv.lines().nth(1).unwrap();
        assert!(row.contains(&format!(",{cell},")), "{reason:?} → {row}");
        // The deviation is a number and keeps its sign.
        assert!(row.contains(",-50.0%,"), "{row}");
    }
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

// 3. The ledger's full_at is solved exactly, piece by piece.

fn full_at(method: &str, indicator: &str, actual: &str) -> (Option<String>, Option<String>) {
    let rules = common::one_indicator(method, indicator);
    let evaluation = common::evaluate(&rules, &common::data(actual)).unwrap();
    let loss = evaluation.indicator("I").unwrap().loss.clone().unwrap();
    let full = match loss.full_at {
        Some(jixiao::eval::FullAt::Actual(d)) => Some(d.to_string()),
        other => other.map(|o| format!("{o:?}")),
    };
    (full, loss.printed_at.map(|d| d.to_string()))
}

#[test]
fn full_points_at_a_kink_between_constants() {
    let double = "method double = min(points, 2 * points * actual / target)";
    // It said 1501: full points start at half the target.
    assert_eq!(full_at(double, "target >= 3000 次; method double", "1000").0.as_deref(), Some("1500"));
    // 3001 / 2 = 1500.5 is no count: the least whole count is 1501.
    assert_eq!(full_at(double, "target >= 3001 次; method double", "1000").0.as_deref(), Some("1501"));
}

#[test]
fn full_points_for_the_seed_methods_and_where_the_printed_score_is_full() {
    // 10 × x / 3000 rounds to 10.00 from 9.995: x ≥ 2998.5, so 2999 counts.
    assert_eq!(full_at("", "target >= 3000 次", "2072"), (Some("3000".to_string()), Some("2999".to_string())));
    // The inverse method: full at the target and below; printed full up to 10 × 120 / 9.995.
    let (full, printed) = full_at("", "target <= 120 万元", "130");
    assert_eq!(full.as_deref(), Some("120"));
    assert!(printed.unwrap().starts_with("120.060030015"));
}

#[test]
fn full_points_only_beyond_a_bound_says_so() {
    let above = "method above = if actual > target then points else 0";
    let (full, _) = full_at(above, "target >= 50%; method above", "\"40%\"");
    assert_eq!(full.as_deref(), Some("Beyond { bound: 0.5, above: true }"));
    // For a count, the least whole count above the bound.
    assert_eq!(full_at(above, "target >= 5 次; method above", "2").0.as_deref(), Some("6"));
}

// Clear words: explain quotes a derived actual's formula whole.

#[test]
fn explain_keeps_the_parentheses_of_a_derived_formula() {
    let out = jixiao(&[
        "explain",
        "rules/2018/business-administration.jx",
        "--data",
        "examples/2018/business-administration.toml",
        "--indicator",
        "年报率",
        "--lang",
        "en",
    ]);
    let text = stdout(&out);
    assert!(text.contains("actual     (已年报企业 + 已年报个体户) / (应年报企业 + 应年报个体户) = (49116"), "{text}");
}

// Clear words: encodings, full-width characters, units in values, sizes.

#[test]
fn gbk_and_utf16_files_are_named_with_how_to_convert() {
    for (file, looks_like) in [("gbk.toml", "GBK"), ("utf16.toml", "UTF-16")] {
        let path = format!("tests/fixtures/encoding/{file}");
        let out = jixiao(&["eval", "tests/fixtures/data/rules.jx", "--data", &path, "--lang", "en"]);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.contains("jixiao::io::encoding") && err.contains(looks_like) && err.contains("iconv -f"), "{err}");
        assert!(!err.contains("check the path"), "{err}");
    }
}

#[test]
fn data_values_get_the_hints_rule_files_get() {
    let rules = common::one_indicator("", "target >= 10 次");
    for (actual, code) in [
        ("\"８０\"", "jixiao::data::full_width"),
        ("\"80次\"", "jixiao::data::unit_in_value"),
        ("1e30", "jixiao::data::too_large"),
        ("\"123456789012345678901234567890\"", "jixiao::data::too_large"),
        ("\"n/a\"", "jixiao::data::not_a_number"),
    ] {
        let refused = common::evaluate(&rules, &common::data(actual)).unwrap_err();
        assert_eq!(refused[0].code, code, "{actual}");
    }
    let curly = "project = \"P\"\nyear = 2018\n[actual]\nI = “80”\n";
    let refused = common::evaluate(&rules, curly).unwrap_err();
    assert_eq!((refused[0].code, refused[0].get("instead")), ("jixiao::data::full_width", Some("\"")));
}

/// A unit written in a value is not the rule's: `80台` for a target in 次
/// must not be told that 台 is the unit the rule file declares.
#[test]
fn a_unit_written_in_a_value_is_not_called_the_declared_one() {
    let rules = common::one_indicator("", "target >= 10 次");
    let refused = common::evaluate(&rules, &common::data("\"80台\"")).unwrap_err();
    assert_eq!(refused[0].code, "jixiao::data::unit_in_value");
    for lang in [jixiao::messages::Lang::En, jixiao::messages::Lang::Zh] {
        let help = refused[0].render(lang).help.unwrap_or_default();
        assert!(help.contains("`80`"), "{help}");
        assert!(!help.contains("(台)") && !help.contains("（台）"), "{help}");
    }
}

#[test]
fn a_missing_rules_root_and_usage_errors_are_reported_in_the_asked_format() {
    let out = jixiao(&["check", "rules/2018", "--rules-root", "/no/such/root", "--error-format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let line: serde_json::Value = serde_json::from_str(stderr(&out).lines().next().unwrap()).unwrap();
    assert_eq!(line["code"], "jixiao::cli::rules_root");
    let out = jixiao(&["eval", "rules/2018", "--error-format", "json", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    let line: serde_json::Value = serde_json::from_str(stderr(&out).trim()).unwrap();
    assert_eq!(line["code"], "jixiao::cli::usage");
    assert!(line["message"].as_str().unwrap().contains("--data"), "{line}");
}

// One scoring core: eval and batch cannot disagree.

#[test]
fn eval_and_batch_agree_on_what_cannot_be_computed() {
    let dir = workspace("core");
    // A check dividing by a figure of 0: a warning in both (eval stopped with
    // exit 2; batch scored the record without a word).
    let out = jixiao(&[
        "eval",
        "tests/fixtures/eval/expect_zero.jx",
        "--data",
        "tests/fixtures/eval/expect_zero.toml",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("jixiao::eval::expect_uncomputable"));
    let out = jixiao(&[
        "eval",
        "tests/fixtures/eval/expect_zero.jx",
        "--data",
        "tests/fixtures/batch/expect-zero.csv",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 records, 1 scored, 0 refused, 1 warnings"), "{}", stderr(&out));

    // A figure of 1e-28 drives the derived rate beyond a decimal: refused by
    // both (batch scored it 0).
    let tiny = "0.0000000000000000000000000001";
    let toml = dir.join("tiny.toml");
    std::fs::write(
        &toml,
        format!("project = \"执行项目\"\nyear = 2018\n[funds]\n\"全年执行数\" = 357.04\n\"到位资金\" = {tiny}\n"),
    )
    .unwrap();
    let out = jixiao(&["eval", "tests/fixtures/eval/tiny.jx", "--data", toml.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("jixiao::eval::overflow"), "{}", stderr(&out));
    let csv = dir.join("tiny.csv");
    std::fs::write(&csv, format!("project,year,全年执行数,到位资金\n执行项目,2018,357.04,{tiny}\n")).unwrap();
    let out = jixiao(&["eval", "tests/fixtures/eval/tiny.jx", "--data", csv.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("jixiao::eval::overflow") && stderr(&out).contains("0 scored, 1 refused"),
        "{}",
        stderr(&out)
    );
}

// No English in Chinese output where the words are ours.

#[test]
fn chinese_reports_carry_no_english_labels() {
    let dir = workspace("zh");
    edit(&dir.join("examples/2018/quality-supervision.toml"), "total = 96.64", "total = 99");
    let out = jixiao_in(
        &dir,
        &[
            "audit",
            "rules/2018/quality-supervision.jx",
            "--data",
            "examples/2018/quality-supervision.toml",
            "--lang",
            "zh",
        ],
    );
    let text = stdout(&out);
    assert!(text.contains("总分 · 得分") && !text.contains("total"), "{text}");
    let out = jixiao_in(
        &dir,
        &[
            "audit",
            "rules/2018/quality-supervision.jx",
            "--data",
            "examples/2018/quality-supervision.toml",
            "--lang",
            "zh",
            "--format",
            "markdown",
        ],
    );
    let text = stdout(&out);
    assert!(text.contains("分值:重点单位巡查") && !text.contains("points:"), "{text}");
    let out = jixiao(&["diff", "rules/2018", "rules/2019", "--format", "markdown", "--lang", "zh"]);
    let text = stdout(&out);
    assert!(text.contains("| 三级指标 |") && !text.contains("| indicator |"), "{text}");
    let out = jixiao(&[
        "eval",
        "rules/2018/quality-supervision.jx",
        "--data",
        "tests/fixtures/batch/good.csv",
        "--lang",
        "zh",
    ]);
    assert!(stderr(&out).contains("警告") && !stderr(&out).contains("提示"), "{}", stderr(&out));
}

#[test]
fn a_batch_whose_trace_file_cannot_be_written_replaces_nothing() {
    let Ok(_) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let dir = workspace("trace-full");
    let out_file = dir.join("scores.csv");
    std::fs::write(&out_file, "yesterday's scores\n").unwrap();
    let records = common::root().join("tests/fixtures/batch/refused.csv");
    let out = jixiao(&[
        "eval",
        "rules/2018/quality-supervision.jx",
        "--data",
        records.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
        "--refused",
        "/dev/full",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("jixiao::io::write"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "yesterday's scores\n", "the output was replaced");
}
