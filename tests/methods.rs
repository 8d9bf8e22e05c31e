//! Every scoring convention at its edges, on one-indicator projects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use common::{data, evaluate, one_indicator, score};

#[test]
fn proportional_at_its_edges() {
    assert_eq!(score("", "target >= 3000 次", "3000"), "10", "exact hit");
    assert_eq!(score("", "target >= 3000 次", "2072"), "6.91", "shortfall: 10 × 2072 / 3000 = 6.906…");
    assert_eq!(score("", "target >= 3000 次", "9000"), "10", "exceeded: full points, never more");
    assert_eq!(score("", "target >= 3000 次", "0"), "0", "nothing done");
    assert_eq!(score("", "target >= 0 次", "0"), "10", "zero target is met by anything");
}

#[test]
fn percent_targets_use_the_exact_ratio() {
    assert_eq!(score("", "target >= 97%", "\"95.0%\""), "9.79");
    assert_eq!(score("", "target >= 100%", "\"81.2%\""), "8.12");
}

#[test]
fn inverse_at_its_edges() {
    assert_eq!(score("", "target <= 0 次", "0"), "10", "no bad events");
    assert_eq!(score("", "target <= 0 次", "1"), "0", "a bad event against a zero target");
    assert_eq!(score("", "target <= 120 万元", "120"), "10", "at target");
    assert_eq!(score("", "target <= 120 万元", "100"), "10", "under target");
    assert_eq!(score("", "target <= 120 万元", "132.5"), "9.06", "overrun: 10 × 120 / 132.5");
}

#[test]
fn exact_equality() {
    assert_eq!(score("", "target == 4 次", "4"), "10");
    assert_eq!(score("", "target == 4 次", "5"), "0");
}

#[test]
fn per_unit_deduction_with_a_floor() {
    let method = "method per_unit(step, deduction) = max(points - max(target - actual, 0) / step * deduction, 0)";
    let rule = "target >= 12 次; method per_unit(1, 0.5)";
    assert_eq!(score(method, rule, "12"), "10", "met");
    assert_eq!(score(method, rule, "7"), "7.5", "5 short × 0.5");
    assert_eq!(score(method, rule, "0"), "4", "12 short × 0.5 = 6 off");
    let steep = "target >= 12 次; method per_unit(1, 2)";
    assert_eq!(score(method, steep, "0"), "0", "never below 0");
}

#[test]
fn whole_steps_deduct_whole_points() {
    // 每超过一个百分点扣 1 分 in whole points: 2.5 points over loses 2, not 2.5.
    let method = "method over(step, per) = max(points - floor(max(actual - target, 0) / step) * per, 0)";
    let rule = "target <= 5%; method over(1%, 1)";
    assert_eq!(score(method, rule, "\"5%\""), "10", "at target");
    assert_eq!(score(method, rule, "\"5.99%\""), "10", "under one whole step over");
    assert_eq!(score(method, rule, "\"6%\""), "9", "one whole step");
    assert_eq!(score(method, rule, "\"7.5%\""), "8", "two whole steps, the half dropped");
    assert_eq!(score(method, rule, "\"40%\""), "0", "never below 0");
    // Each started step counts: ceil, in Chinese.
    let method = "method started(step, per) = max(points - 向上取整(max(actual - target, 0) / step) * per, 0)";
    let rule = "target <= 5%; method started(1%, 1)";
    assert_eq!(score(method, rule, "\"5%\""), "10");
    assert_eq!(score(method, rule, "\"5.01%\""), "9", "a started step counts");
    assert_eq!(score(method, rule, "\"7%\""), "8");
}

#[test]
fn tiered_budget_execution() {
    let method = "method tiered = if actual >= 95% then points else if actual >= 90% then points * 0.8 else if actual >= 80% then points * 0.6 else 0";
    let rule = "target >= 100%; method tiered";
    assert_eq!(score(method, rule, "\"95%\""), "10");
    assert_eq!(score(method, rule, "\"90%\""), "8", "a tier boundary belongs to the upper tier");
    assert_eq!(score(method, rule, "\"89.9%\""), "6");
    assert_eq!(score(method, rule, "\"79.9%\""), "0");
}

#[test]
fn qualitative_levels() {
    assert_eq!(score("", "target 达成", "\"达成\""), "10");
    assert_eq!(score("", "target 达成", "\"合格\""), "10", "a printed name of the level");
    assert_eq!(score("", "target 达成", "{ level = \"部分达成\", fraction = \"70%\" }"), "7");
    assert_eq!(score("", "target 达成", "{ level = \"未达成\", fraction = \"0%\" }"), "0");
}

#[test]
fn a_level_fraction_outside_its_range_is_refused() {
    let rules = one_indicator("", "target 达成");
    let problems = evaluate(&rules, &data("{ level = \"部分达成\", fraction = \"80%\" }")).unwrap_err();
    assert_eq!(problems[0].code, "jixiao::data::fraction_range");
    let problems = evaluate(&rules, &data("\"部分达成\"")).unwrap_err();
    assert_eq!(problems[0].code, "jixiao::data::fraction_missing");
}

#[test]
fn division_order_cannot_change_a_score() {
    // DESIGN §1: 3 × (37 / 120) is 0.925 exactly and rounds to 0.93.
    let method = "method ratio_first = if actual >= target then points else points * (actual / target)";
    let rules = one_indicator(method, "target >= 120 次; method ratio_first").replace("points 10 }", "points 3 }");
    let rules = rules.replace("total 10", "total 3").replace("section S points 10", "section S points 3");
    let evaluation = evaluate(&rules, &data("37")).unwrap();
    assert_eq!(evaluation.indicator("I").unwrap().score.to_string(), "0.93");
}

#[test]
fn rates_round_half_away_from_zero() {
    // 39.94 / 40 = 99.85% is 99.9%, not banker's 99.8%.
    let rules = one_indicator("", "target >= 100 次").replace("points 10 }", "points 40 }");
    let rules = rules.replace("total 10", "total 40").replace("section S points 10", "section S points 40");
    let rules = rules.replace("round score half_up 0.01", "round score half_up 0.0001");
    let evaluation = evaluate(&rules, &data("99.85")).unwrap_err();
    assert_eq!(evaluation[0].code, "jixiao::data::count", "a count must be whole");
    let rules = rules.replace("target >= 100 次", "target >= 100");
    let evaluation = evaluate(&rules, &data("99.85")).unwrap();
    assert_eq!(evaluation.sections[0].score.to_string(), "39.94");
    assert_eq!(evaluation.sections[0].rate.unwrap().to_string(), "0.999");
}

#[test]
fn deviation_follows_the_formula() {
    let evaluation = evaluate(&one_indicator("", "target >= 3500 次"), &data("4944")).unwrap();
    assert_eq!(evaluation.indicator("I").unwrap().deviation.unwrap().to_string(), "0.413");
    let evaluation = evaluate(&one_indicator("", "target <= 0 次"), &data("0")).unwrap();
    assert_eq!(evaluation.indicator("I").unwrap().deviation.unwrap().to_string(), "0");
    let evaluation = evaluate(&one_indicator("", "target <= 0 次"), &data("2")).unwrap();
    assert_eq!(evaluation.indicator("I").unwrap().deviation, None, "undefined against a zero target");
}

#[test]
fn bad_data_values_are_refused_with_codes() {
    let rules = one_indicator("", "target >= 80%");
    let code = |actual: &str| evaluate(&rules, &data(actual)).unwrap_err()[0].code;
    assert_eq!(code("80"), "jixiao::data::percent_expected");
    assert_eq!(code("\"eighty\""), "jixiao::data::not_a_number");
    let rules = one_indicator("", "target >= 30 次");
    let code = |actual: &str| evaluate(&rules, &data(actual)).unwrap_err()[0].code;
    assert_eq!(code("-1"), "jixiao::data::count");
    assert_eq!(code("2.5"), "jixiao::data::count");
    assert_eq!(code("\"30%\""), "jixiao::data::percent_unexpected");
    assert_eq!(code("nan"), "jixiao::data::not_a_number");
}

#[test]
fn a_quoted_count_is_accepted() {
    assert_eq!(score("", "target >= 3000 次", "\"2072\""), "6.91");
}

#[test]
fn a_cost_per_unit_is_derived_and_compared_with_its_target() {
    // 万元 / 人次 is 万元/人次, the target's unit: 285 / 11400 = 0.025 万元 a visit.
    let rules = r#"
scheme S {
    total 10
    unit 人次: count
    unit 万元: amount
    round score half_up 0.01
    method inverse = if actual <= target then points else if target == 0 then 0 else points * target / actual
    default <= inverse
    grade A otherwise
}
project P {
    year 2021
    figure 全年执行数 万元
    figure 服务人次 人次
    section S points 10 {
        indicator I { target <= 0.02 万元/人次; points 10; actual = 全年执行数 / 服务人次 }
    }
}"#;
    let data = "project = \"P\"\nyear = 2021\n[figures]\n\"全年执行数\" = 285\n\"服务人次\" = 11400\n";
    let evaluation = evaluate(rules, data).expect("evaluates");
    // 10 × 0.02 / 0.025 = 8
    assert_eq!(evaluation.indicator("I").unwrap().score.to_string(), "8");
    assert_eq!(jixiao::report::target_text(evaluation.indicator("I").unwrap()), "≤0.02 万元/人次");
}

#[test]
fn a_declared_scale_converts_a_cost_per_unit_into_the_targets_unit() {
    // 285 万元 / 11400 人次 = 0.025 万元/人次 = 250 元/人次 by `scale 1 万元 = 10000 元`.
    let rules = r#"
scheme S {
    total 10
    unit 人次: count
    unit 万元 元: amount
    scale 1 万元 = 10000 元
    round score half_up 0.01
    method inverse = if actual <= target then points else if target == 0 then 0 else points * target / actual
    default <= inverse
    grade A otherwise
}
project P {
    year 2021
    figure 全年执行数 万元
    figure 服务人次 人次
    section S points 10 {
        indicator I { target <= 200 元/人次; points 10; actual = 全年执行数 / 服务人次 }
    }
}"#;
    let data = "project = \"P\"\nyear = 2021\n[figures]\n\"全年执行数\" = 285\n\"服务人次\" = 11400\n";
    let evaluation = evaluate(rules, data).expect("evaluates");
    let i = evaluation.indicator("I").unwrap();
    assert_eq!(jixiao::report::actual_text(i), "250 元/人次");
    assert_eq!(i.score.to_string(), "8", "10 × 200 / 250");
    assert!(i.trace.derivation.as_ref().unwrap().substituted.contains("× 10000"), "the scale shows in the trace");
}
