//! Review rules (`review …` / `复核 …`): legal but worth a question — a
//! warning in `eval` with its own code, a finding in `audit`, never a
//! refusal. Every expected warning below is worked out by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::jixiao;

const RULES: &str = include_str!("fixtures/review/rules.jx");

/// The codes and ids of an evaluation's review warnings, in order.
fn reviews(data: &str) -> Vec<(String, String)> {
    let evaluation = common::evaluate(RULES, data).expect("evaluates");
    evaluation
        .warnings
        .iter()
        .filter(|p| p.code.starts_with("jixiao::review::"))
        .map(|p| (p.code.trim_start_matches("jixiao::review::").to_string(), p.get("id").unwrap().to_string()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn each_review_rule_asks_where_it_should_and_nowhere_else() {
    // 执行率 85%: 17 of 20 points, below 90% and no reason → reason, budget.
    // 巡查 300 家 of 100: three times the target → target_low; deviation +200% → deviation.
    // 检查 40 家 of 100: 8 of 20, no reason → reason; deviation −60% → deviation.
    // 满意度 120%: above 100% → above; deviation +33.3% is within ±50%.
    // 装修 达成 without evidence → evidence.
    let data = r#"project = "复核项目"
year = 2024
[actual]
"执行率" = "85%"
"巡查" = 300
"检查" = 40
"满意度" = "120%"
"装修" = "达成"
"#;
    // Rules in written order, each over the indicators in order.
    let expected = pairs(&[
        ("reason", "执行率"),
        ("reason", "检查"),
        ("evidence", "装修"),
        ("target_low", "巡查"),
        ("above", "满意度"),
        ("deviation", "巡查"),
        ("deviation", "检查"),
        ("budget", "执行率"),
    ]);
    assert_eq!(reviews(data), expected);
}

#[test]
fn reasons_and_evidence_answer_the_rules_that_read_them() {
    let data = r#"project = "复核项目"
year = 2024
[actual]
"执行率" = "85%"
"巡查" = 100
"检查" = 40
"满意度" = "90%"
"装修" = "达成"
[reasons]
"执行率" = "两所装修列入拆迁范围"
"检查" = "   "
[evidence]
"装修" = "验收报告（附件 3）"
"#;
    // A blank reason answers nothing: 检查 is still asked; its −60% deviation too.
    assert_eq!(reviews(data), pairs(&[("reason", "检查"), ("deviation", "检查")]));
}

#[test]
fn at_the_limits_nothing_is_asked() {
    // +50% and −50% are not beyond ±50% (150 家 is below 3 × 100); 100% is
    // not above 100%; 90% is not below 90%; 装修's shortfall has its reason.
    let data = r#"project = "复核项目"
year = 2024
[actual]
"执行率" = "90%"
"巡查" = 150
"检查" = 50
"满意度" = "100%"
"装修" = { level = "未达成", fraction = "50%" }
[reasons]
"执行率" = "—"
"检查" = "人员不足"
"装修" = "工期顺延"
"#;
    assert_eq!(reviews(data), pairs(&[]));
}

#[test]
fn removing_a_shortfalls_reason_from_a_seed_report_gives_a_reason_warning() {
    let root = common::root();
    let seed = std::fs::read_to_string(root.join("examples/2018/quality-supervision.toml")).unwrap();
    // The line under `[reasons]` only: `[actual]` has the same key.
    let mut table = "";
    let mut kept = String::new();
    for line in seed.lines() {
        if line.starts_with('[') {
            table = line;
        }
        if !(table == "[reasons]" && line.starts_with("\"日常监管巡查\" =")) {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    assert_ne!(kept.lines().count(), seed.lines().count(), "the seed gives that reason");
    let dir = common::temp("review-seed");
    let data = dir.join("quality-supervision.toml");
    std::fs::write(&data, kept).unwrap();

    let with = jixiao(&["eval", "rules/2018", "--data", "examples/2018/quality-supervision.toml", "--lang", "en"]);
    assert!(!String::from_utf8_lossy(&with.stderr).contains("jixiao::review::"), "the seed explains both");
    let without = jixiao(&["eval", "rules/2018", "--data", data.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(without.status.code(), Some(0), "a review is a warning, never a refusal");
    let stderr = String::from_utf8_lossy(&without.stderr);
    assert!(stderr.contains("jixiao::review::reason"), "{stderr}");
    assert!(stderr.contains("`日常监管巡查` scored"), "{stderr}");
    assert!(!stderr.contains("`重点单位巡查` scored"), "its reason is still there: {stderr}");
}

#[test]
fn batch_asks_only_what_a_record_can_answer() {
    // Records carry no reasons or evidence: those rules are skipped, the
    // others are asked record by record.
    let dir = common::temp("review-batch");
    let rules = dir.join("rules.jx");
    std::fs::write(
        &rules,
        RULES
            .replace("indicator 装修 { target 达成; points 20 }", "")
            .replace("indicator 满意度 { target >= 90%; points 20 }", "indicator 满意度 { target >= 90%; points 40 }"),
    )
    .unwrap();
    let csv = dir.join("records.csv");
    std::fs::write(&csv, "执行率,巡查,检查,满意度\n85%,300,40,120%\n95%,100,100,95%\n").unwrap();
    let warnings = dir.join("warnings.jsonl");
    let out = jixiao(&[
        "eval",
        rules.to_str().unwrap(),
        "--data",
        csv.to_str().unwrap(),
        "--warnings",
        warnings.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let codes: Vec<(u64, String)> = std::fs::read_to_string(&warnings)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|w| (w["record"].as_u64().unwrap(), w["code"].as_str().unwrap().to_string()))
        .collect();
    let expected: Vec<(u64, String)> = [(1, "target_low"), (1, "above"), (1, "deviation"), (1, "deviation")]
        .iter()
        .map(|(r, c)| (*r, format!("jixiao::review::{c}")))
        .collect();
    assert_eq!(codes, expected);
}
