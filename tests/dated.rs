//! Deadlines and checklists at their edges: what a review of the first
//! version found (each failed before its fix).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use common::jixiao;

const RULES: &str = r#"
scheme 时限方案 {
    total 20
    round score half_up 0.01
    method on_time = if actual <= 0 then points else points * 50%
    default by on_time
    grade 合格 otherwise
}
project 时限项目 {
    year 2021
    section 产出指标 points 20 {
        indicator 完工 { target by 2021-10-31; points 10 }
        indicator 管理 {
            target checklist deduct 2 { 监理 "委托第三方监理"; 抽检 "开展质量抽检、复检"; 台账 "建立台账" }
            points 10
        }
    }
}
"#;

fn score_of(items: &str) -> Result<String, Vec<String>> {
    let data =
        format!("project = \"时限项目\"\nyear = 2021\n[actual]\n\"完工\" = \"2021-10-01\"\n\"管理\" = {items}\n");
    match common::evaluate(RULES, &data) {
        Ok(e) => Ok(e.indicator("管理").unwrap().score.normalize().to_string()),
        Err(problems) => Err(problems.iter().map(|p| p.code.to_string()).collect()),
    }
}

#[test]
fn a_checklist_can_say_none_met_and_a_wording_may_hold_a_separator() {
    assert_eq!(score_of("\"无\""), Ok("4".into()), "none of three: 10 − 3 × 2");
    assert_eq!(score_of("[]"), Ok("4".into()));
    // The whole text is one item's wording, though it holds a `、`.
    assert_eq!(score_of("\"开展质量抽检、复检\""), Ok("6".into()), "one of three: 10 − 2 × 2");
    assert_eq!(score_of("\"监理、台账\""), Ok("8".into()));
    // An empty element names no item: refused, not dropped.
    assert_eq!(score_of("[\"监理\", \"\"]"), Err(vec!["jixiao::data::shape".into()]));
}

#[test]
fn checklist_items_that_data_could_not_tell_apart_are_refused() {
    for items in [
        r#"a "b"; b "乙""#,  // an id that is another item's wording
        r#"a "同"; b "同""#, // two items with one wording
        r#"a ""; b "乙""#,   // no wording at all
    ] {
        let rules = RULES.replace(r#"监理 "委托第三方监理"; 抽检 "开展质量抽检、复检"; 台账 "建立台账""#, items);
        let checked = jixiao::check::check_source("test.jx", &rules);
        assert!(
            checked.problems.iter().any(|p| p.code == "jixiao::check::checklist"),
            "{items}: {:?}",
            checked.problems
        );
    }
}

#[test]
fn a_group_with_points_is_declared_once_in_its_section() {
    let rules = RULES.replace(
        "        indicator 完工 { target by 2021-10-31; points 10 }\n",
        "        group 时效 points 5 { indicator 完工 { target by 2021-10-31; points 5 } }\n        group 时效 points 5 { indicator 完工2 { target by 2021-10-31; points 5 } }\n",
    );
    let checked = jixiao::check::check_source("test.jx", &rules);
    assert!(checked.problems.iter().any(|p| p.code == "jixiao::check::duplicate"), "{:?}", checked.problems);
}

#[test]
fn a_deadline_method_that_never_takes_points_is_refused() {
    let rules = RULES.replace("default by on_time", "method always = points\n    default by always");
    let checked = jixiao::check::check_source("test.jx", &rules);
    assert!(checked.problems.iter().any(|p| p.code == "jixiao::check::deadline_method"), "{:?}", checked.problems);
}

#[test]
fn generated_records_are_all_scored_and_jsonl_takes_item_arrays() {
    let dir = common::temp("dated-batch");
    let rules = dir.join("rules.jx");
    std::fs::write(&rules, RULES).unwrap();
    let out = jixiao(&["generate", rules.to_str().unwrap(), "--records", "2000"]);
    assert!(out.status.success());
    let csv = dir.join("records.csv");
    std::fs::write(&csv, &out.stdout).unwrap();
    let scored = jixiao(&["eval", rules.to_str().unwrap(), "--data", csv.to_str().unwrap(), "--columns", "total"]);
    let summary = String::from_utf8_lossy(&scored.stderr).to_string();
    assert!(scored.status.success() && summary.contains("0 refused"), "{summary}");

    let jsonl = dir.join("records.jsonl");
    std::fs::write(
        &jsonl,
        "{\"project\":\"时限项目\",\"year\":2021,\"完工\":\"2021-11-05\",\"管理\":[\"监理\",\"抽检\"]}\n\
         {\"project\":\"时限项目\",\"year\":2021,\"完工\":\"未完成\",\"管理\":[]}\n",
    )
    .unwrap();
    let out =
        jixiao(&["eval", rules.to_str().unwrap(), "--data", jsonl.to_str().unwrap(), "--columns", "完工,管理,total"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // 5 days late: 10 × 50%; one item missing: 10 − 2. Not done: 0; none met: 10 − 6.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "完工,管理,total\n5,8,13\n0,4,4\n");
}

#[test]
fn the_json_ledger_names_the_deadline_and_every_item() {
    let data = "project = \"时限项目\"\nyear = 2021\n[actual]\n\"完工\" = \"2021-11-05\"\n\"管理\" = [\"监理\"]\n";
    let evaluation = common::evaluate(RULES, data).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&jixiao::report::json::render(std::slice::from_ref(&evaluation))).unwrap();
    let indicators = &json["sections"][0]["indicators"];
    assert_eq!(indicators[0]["loss"]["full_at"], "2021-10-31");
    assert_eq!(indicators[0]["days_late"], "5");
    assert_eq!(indicators[1]["loss"]["full_at"], "监理、抽检、台账");
}
