//! `jixiao test`: the rules' own tests and golden evaluations, through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use common::{jixiao, stdout};

use std::path::{Path, PathBuf};

/// A copy of `rules/` (tests included) whose data paths still reach `examples/`.
fn rules_copy(name: &str) -> PathBuf {
    // Named `rules`, so the copy is its own rules root as the original is.
    let dir = std::env::temp_dir().join(format!("jixiao-rule-tests-{}-{name}", std::process::id())).join("rules");
    let _ = std::fs::remove_dir_all(&dir);
    copy(&common::root().join("rules"), &dir);
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy(&path, &target);
        } else {
            let text = std::fs::read_to_string(&path).unwrap();
            let examples = common::root().join("examples");
            std::fs::write(&target, text.replace("\"../../examples", &format!("\"{}", examples.display()))).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_bundled_rules_pass_their_tests_and_golden_files() {
    let o = jixiao(&[
        "test",
        "rules",
        "--data",
        "examples/2018/business-administration.toml",
        "examples/2018/comprehensive-affairs.toml",
        "examples/2018/food-drug-safety.toml",
        "examples/2018/quality-supervision.toml",
        "--lang",
        "en",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.trim_end().ends_with(" passed, 0 failed"), "{out}");
}

#[test]
fn a_changed_expectation_fails_with_its_trace() {
    let rules = rules_copy("expectation");
    edit(
        &rules.join("2018/quality-supervision.test.jx"),
        "score 日常监管巡查 should be 2.76",
        "score 日常监管巡查 should be 2.77",
    );
    let o = jixiao(&["test", rules.to_str().unwrap(), "--lang", "en"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("score 日常监管巡查") && out.contains("expected 2.77, computed 2.76"), "{out}");
    assert!(out.contains("4 × 2072 / 3000 = 2.762666… → 2.76"), "the explain trace: {out}");
    // In Chinese, what was stated is in Chinese too.
    let o = jixiao(&["test", rules.to_str().unwrap(), "--lang", "zh"]);
    let out = stdout(&o);
    assert!(out.contains("得分 日常监管巡查") && out.contains("应为 2.77，实为 2.76"), "{out}");
}

#[test]
fn a_changed_target_names_every_figure_that_moved_in_the_golden_file() {
    let rules = rules_copy("target");
    edit(&rules.join("2018/quality-supervision.jx"), "target >= 3000 台", "target >= 2500 台");
    let o = jixiao(&[
        "test",
        rules.join("2018").to_str().unwrap(),
        "--data",
        "examples/2018/quality-supervision.toml",
        "--lang",
        "en",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    // The drift table, without the count (which grows with the bundled tests).
    let drift = out.split("≠").nth(1).unwrap();
    let drift = &drift[..drift.find(" passed, ").and_then(|i| drift[..i].rfind('\n')).unwrap_or(drift.len())];
    for (place, field) in [
        ("日常监管巡查", "score"),
        ("日常监管巡查", "deviation"),
        ("日常监管巡查", "target"),
        ("产出指标", "score"),
        ("total", "score"),
        ("total", "rate"),
    ] {
        assert!(drift.lines().any(|l| l.split_whitespace().take(2).eq([place, field])), "{place} {field} in:\n{drift}");
    }
    insta::assert_snapshot!("golden_drift", drift);
}

#[test]
fn update_writes_golden_files_and_then_they_pass() {
    let dir = std::env::temp_dir().join(format!("jixiao-rule-tests-{}-update", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("quality-supervision.toml");
    std::fs::copy(common::root().join("examples/2018/quality-supervision.toml"), &data).unwrap();
    let o = jixiao(&["test", "rules/2018", "--data", data.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "no golden file yet: {}", stdout(&o));
    let o = jixiao(&["test", "rules/2018", "--data", data.to_str().unwrap(), "--update", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(dir.join("golden/quality-supervision.json").is_file());
    let o = jixiao(&["test", "rules/2018", "--data", data.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // The golden file is no data file.
    let o = jixiao(&["eval", "rules/2018", "--data", dir.join("golden/quality-supervision.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // A folder named `golden` higher up is the user's own: its data reads.
    let own = dir.join("golden/2018");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::copy(&data, own.join("quality-supervision.toml")).unwrap();
    let o = jixiao(&["eval", "rules/2018", "--data", own.join("quality-supervision.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn tests_in_chinese_keywords_with_overrides_tolerances_and_refusals() {
    let dir = std::env::temp_dir().join(format!("jixiao-rule-tests-{}-zh", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // The scheme without its own tests: the four below are all the tests here.
    let scheme = std::fs::read_to_string(common::root().join("rules/2018/scheme.jx")).unwrap();
    let scheme = format!("{}}}\n", &scheme[..scheme.find("    // The scheme's own tests").unwrap()]);
    std::fs::write(dir.join("scheme.jx"), scheme).unwrap();
    std::fs::copy(common::root().join("rules/2018/quality-supervision.jx"), dir.join("quality-supervision.jx"))
        .unwrap();
    let data = common::root().join("examples/2018/quality-supervision.toml");
    let tests = format!(
        r#"引用 "quality-supervision.jx"

测试 "目标降到 2000 台" {{
    数据文件 "{data}"
    目标值 日常监管巡查 >= 2000 台
    得分 日常监管巡查 应为 4
    总分 应为 97.88
}}

测试 "分值改为 5" {{
    数据文件 "{data}"
    分值 重点单位巡查 = 5
    得分 重点单位巡查 应为 2.35
    总分 应为 97.1 误差 0.01
}}

test "a missing actual is refused" {{
    actual 日常监管巡查 = 2072
    result should be refused "jixiao::data::missing_actual"
}}

test "a figure and an actual given" {{
    data "{data}"
    figure 全年执行数 = 150
    actual 群众安全满意率 = 79%
    score 群众安全满意率 should be 19.75
    actual 预算执行率 should be 75%
    score 预算执行率 should be 15
    grade should be 优秀
}}
"#,
        data = data.display()
    );
    std::fs::write(dir.join("qs.test.jx"), tests).unwrap();
    let o = jixiao(&["test", dir.to_str().unwrap(), "--lang", "zh"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("4 项通过，0 项未通过"), "{out}");
    // JUnit and JSON for machines.
    let o = jixiao(&["test", dir.to_str().unwrap(), "--format", "junit"]);
    let xml = stdout(&o);
    assert!(xml.contains("<testsuite name=\"jixiao\" tests=\"4\" failures=\"0\">"), "{xml}");
    let o = jixiao(&["test", dir.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["passed"], 4);
    assert_eq!(json["schema"], "jixiao.test/1");
    // Coverage: the method branches these tests took, the grades they reached.
    let o = jixiao(&["test", dir.to_str().unwrap(), "--coverage", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let branches = json["coverage"]["branches"].as_array().unwrap();
    let proportional = branches.iter().find(|b| b["method"] == "proportional").unwrap();
    assert_eq!((proportional["then"].as_bool(), proportional["else"].as_bool()), (Some(true), Some(true)));
    let zero_target = branches.iter().find(|b| b["condition"] == "target == 0").unwrap();
    assert_eq!(zero_target["then"], false, "no test gives an inverse indicator a target of 0 and an actual above it");
    assert!(
        json["coverage"]["grades"].as_array().unwrap().iter().any(|g| g["grade"] == "优秀" && g["reached"] == true)
    );
    let o = jixiao(&["test", dir.to_str().unwrap(), "--coverage", "--lang", "en"]);
    let out = stdout(&o);
    assert!(out.contains("✗ inverse  if target == 0"), "{out}");
}

#[test]
fn a_test_on_another_projects_data_fails_instead_of_evaluating_that_project() {
    let rules = rules_copy("wrong-project");
    let examples = common::root().join("examples/2018/quality-supervision.toml");
    let test = format!(
        "use \"food-drug-safety.jx\"\nuse \"quality-supervision.jx\"\n\ntest \"wrong data\" {{\n    project 食品药品安全专项\n    data \"{}\"\n    total should be 96.64\n}}\n",
        examples.display()
    );
    std::fs::write(rules.join("2018/wrong.test.jx"), test).unwrap();
    let o = jixiao(&["test", rules.join("2018").to_str().unwrap(), "--lang", "en"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("data") && out.contains("expected 食品药品安全专项 (2018), computed 质量技术监督项目 (2018)"),
        "{out}"
    );
}

#[test]
fn junit_holds_no_control_characters_and_skeletons_refuse_what_cannot_check() {
    let rules = rules_copy("junit");
    let test = "use \"quality-supervision.jx\"\n\ntest \"bell\u{7} <&> \" {\n    data \"../../examples/2018/quality-supervision.toml\"\n    total should be 96.64\n}\n";
    std::fs::write(
        rules.join("2018/bell.test.jx"),
        test.replace("../../examples", common::root().join("examples").to_str().unwrap()),
    )
    .unwrap();
    let o = jixiao(&["test", rules.join("2018").to_str().unwrap(), "--format", "junit"]);
    let xml = stdout(&o);
    assert!(!xml.contains('\u{7}') && xml.contains("bell  &lt;&amp;&gt; "), "{xml}");
    // `new project`: a year no rule file accepts is refused, a backtick in the name dropped.
    let o = jixiao(&["new", "project", "x", "--scheme", "rules/2018/scheme.jx", "--year", "1"]);
    assert_eq!(o.status.code(), Some(2));
    let o = jixiao(&["new", "project", "a`b", "--scheme", "rules/2018/scheme.jx", "--year", "2022"]);
    assert!(stdout(&o).contains("project ab {"), "{}", stdout(&o));
}

#[test]
fn new_data_keeps_a_wording_with_a_line_break_in_one_comment() {
    let dir = std::env::temp_dir().join(format!("jixiao-rule-tests-{}-newline", std::process::id())).join("rules");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(common::root().join("rules/2018/scheme.jx"), dir.join("scheme.jx")).unwrap();
    std::fs::write(
        dir.join("p.jx"),
        "use \"scheme.jx\"\nproject P {\n    year 2020\n    section 产出指标 points 100 {\n        indicator 甲 \"第一行\\n第二行\" { target >= 1 次; points 100 }\n    }\n}\n",
    )
    .unwrap();
    let o = jixiao(&["new", "data", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(jixiao::data::parse(&text, jixiao::span::FileId(0), jixiao::data::Syntax::Toml).is_ok(), "{text}");
}
