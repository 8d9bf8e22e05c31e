//! The demo scheme (rules/demo): conventions other real schemes use, with
//! every score checked by hand (see the comments in the rule file).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use jixiao::source::Sources;

#[test]
fn demo_scores_match_the_hand_calculation() {
    let root = common::root();
    let checked = jixiao::check::check_files(&[root.join("rules/demo")], None);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let rules = checked.rules.unwrap();
    let mut sources = Sources::new();
    let data = jixiao::data::read(&root.join("examples/demo/road-maintenance.toml"), &mut sources).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    let scores: Vec<(String, String)> =
        evaluation.indicators().map(|i| (i.id.clone(), i.score.normalize().to_string())).collect();
    let expected = [
        ("预算执行率", "8"),       // 90.0% sits on the 90% tier: 10 × 0.8
        ("路面修复面积", "10.49"), // 12 × 52425 / 60000 = 10.485 → 10.49 (half away from zero)
        ("汛前专项检查", "3.5"),   // per_unit(1, 0.5): 6 − 5 × 0.5
        ("井盖更换", "8"),
        ("养护质量达标率", "11.53"),
        ("外包养护费用", "10.87"), // inverse: 12 × 120 / 132.5
        ("重大安全事故", "8"),
        ("市容改善", "4.2"), // 部分达成 at 70%
        ("长效机制", "5.4"), // 达成 at 90%
        ("群众满意度", "19.75"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(scores, expected);
    let sections: Vec<String> = evaluation.sections.iter().map(|s| format!("{} {:?}", s.score, s.rate)).collect();
    assert_eq!(sections, ["8 Some(0.8)", "44.39 Some(0.888)", "37.35 Some(0.934)"]);
    assert_eq!(evaluation.total.score.to_string(), "89.74");
    assert_eq!(evaluation.total.grade.as_deref(), Some("优"), "85 is this scheme's top band; 2018's would say 良好");
    insta::assert_snapshot!("json_demo", jixiao::report::json::render(&[evaluation]));
}
