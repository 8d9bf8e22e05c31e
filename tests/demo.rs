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

/// The central-template demo (rules/central): the budget row apart from the
/// total, grade bands on the score rate, whole-step deductions.
#[test]
fn central_template_demo_matches_the_hand_calculation() {
    let root = common::root();
    let checked = jixiao::check::check_files(&[root.join("rules/central")], None);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let rules = checked.rules.unwrap();
    let mut sources = Sources::new();
    let data = jixiao::data::read(&root.join("examples/central/elderly-care.toml"), &mut sources).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    let scores: Vec<(&str, String)> =
        evaluation.indicators().map(|i| (i.id.as_str(), i.score.normalize().to_string())).collect();
    assert_eq!(
        scores,
        [
            ("预算执行率", "9.5".to_string()), // 10 × 285 / 300 / 100%
            ("服务人次", "9.5".to_string()),   // 10 × 11400 / 12000
            ("服务覆盖率", "15".to_string()),
            ("人均服务成本", "9.6".to_string()), // 250 元/人次 (285 万元 / 11400 人次): 10 × 240 / 250
            ("服务差错率", "9".to_string()),     // 2.5 steps over → 2 whole steps × 3
            ("老人满意度", "19.11".to_string()), // 20 × 86 / 90 = 19.111…
            ("受益老人数", "20".to_string()),
        ]
    );
    let sections: Vec<String> =
        evaluation.sections.iter().map(|s| format!("{} {} {:?}", s.score, s.apart, s.rate)).collect();
    assert_eq!(sections, ["9.5 true Some(0.95)", "43.1 false Some(0.862)", "39.11 false Some(0.978)"]);
    // The total is over the 90 indicator points only; the budget row is added back apart.
    assert_eq!(evaluation.total.points.to_string(), "90");
    assert_eq!(evaluation.total.score.to_string(), "82.21");
    assert_eq!(evaluation.total.rate.map(|r| r.to_string()).as_deref(), Some("0.913"));
    assert_eq!(evaluation.total.with_apart.map(|w| w.to_string()).as_deref(), Some("91.71"));
    assert_eq!(evaluation.total.grade.as_deref(), Some("优"), "91.3% of the points; a band of 90 points says 良");

    // The report totals the budget row in: a note naming the convention, not an error.
    let audit = jixiao::audit::audit(&evaluation, &data);
    let total: Vec<_> = audit.findings.iter().filter(|f| f.scope == jixiao::audit::Scope::Total).collect();
    assert_eq!(total.len(), 1, "{total:?}");
    assert_eq!(total[0].severity, jixiao::audit::Severity::Note);
    assert!(total[0].message.zh.contains("预算执行"), "{}", total[0].message.zh);
    assert!(audit.is_clean());

    insta::assert_snapshot!("json_central", jixiao::report::json::render(std::slice::from_ref(&evaluation)));
    insta::assert_snapshot!("table_central", jixiao::report::table::render(&evaluation, jixiao::messages::Lang::Zh));
}

/// The second central-template project (rules/central/village-roads.jx):
/// 二级指标 with points, deadlines (one a month alone, one in Chinese
/// keywords), checklists (a list and a text), and the scheme's review rules.
#[test]
fn village_roads_demo_matches_the_hand_calculation() {
    let root = common::root();
    let checked = jixiao::check::check_files(&[root.join("rules/central")], None);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let rules = checked.rules.unwrap();
    let mut sources = Sources::new();
    let data = jixiao::data::read(&root.join("examples/central/village-roads.toml"), &mut sources).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    let scores: Vec<(&str, String)> =
        evaluation.indicators().map(|i| (i.id.as_str(), i.score.normalize().to_string())).collect();
    assert_eq!(
        scores,
        [
            ("预算执行率", "9.2".to_string()), // 10 × 460 / 500 / 100%
            ("改造道路", "18.33".to_string()), // 20 × 11 / 12 = 18.333…
            ("主体完工", "5".to_string()),     // 20 days after 2021-10-31: 10 × 50%
            ("竣工验收", "5".to_string()),     // on time
            ("质量管理", "4".to_string()),     // 公示 missing: 6 − 2
            ("制度建设", "4".to_string()),     // all three items
            ("合格率", "5".to_string()),
            ("通行条件", "20".to_string()),
            ("群众满意度", "20".to_string()),
        ]
    );
    let late = |id: &str| match &evaluation.indicator(id).unwrap().actual {
        jixiao::eval::ActualValue::Date { done, days_late } => (done.clone(), days_late.map(|d| d.to_string())),
        other => panic!("{other:?}"),
    };
    assert_eq!(late("主体完工"), (Some("2021-11-20".into()), Some("20".into())));
    assert_eq!(late("竣工验收"), (Some("2021-12-28".into()), Some("0".into())));
    assert_eq!(evaluation.indicator("主体完工").unwrap().deviation, None, "a date has no deviation rate");
    let groups: Vec<String> =
        evaluation.sections[1].groups.iter().map(|g| format!("{} {}/{}", g.name, g.score, g.points)).collect();
    assert_eq!(groups, ["数量指标 18.33/20", "时效指标 10/15", "质量指标 13/15"]);
    assert_eq!(evaluation.sections[1].score.to_string(), "41.33");
    assert_eq!(evaluation.total.score.to_string(), "81.33");
    assert_eq!(evaluation.total.rate.map(|r| r.to_string()).as_deref(), Some("0.904"));
    assert_eq!(evaluation.total.with_apart.map(|w| w.to_string()).as_deref(), Some("90.53"));
    assert_eq!(evaluation.total.grade.as_deref(), Some("优"));

    // 质量管理 lost 2 points without a reason: the one review warning, and the one audit finding.
    let reviews: Vec<(&str, Option<&str>)> = evaluation
        .warnings
        .iter()
        .filter(|w| w.code.starts_with("jixiao::review::"))
        .map(|w| (w.code, w.get("id")))
        .collect();
    assert_eq!(reviews, [("jixiao::review::reason", Some("质量管理"))]);
    let audit = jixiao::audit::audit(&evaluation, &data);
    let found: Vec<_> = audit.findings.iter().map(|f| (f.field.name(), f.indicator.as_deref())).collect();
    assert_eq!(found, [("review", Some("质量管理"))], "the reported total 81.33 agrees");

    insta::assert_snapshot!("json_village_roads", jixiao::report::json::render(std::slice::from_ref(&evaluation)));
    insta::assert_snapshot!(
        "table_village_roads",
        jixiao::report::table::render(&evaluation, jixiao::messages::Lang::Zh)
    );
}

/// Not done by any date scores 0, in eval and batch alike; a date in any
/// printed form is the same day.
#[test]
fn a_deadline_not_done_scores_zero_and_every_printed_form_is_one_day() {
    let root = common::root();
    let rules = jixiao::check::check_files(&[root.join("rules/central/village-roads.jx")], None).rules.unwrap();
    let base = std::fs::read_to_string(root.join("examples/central/village-roads.toml")).unwrap();
    for (written, score, days) in [
        ("\"未完成\"", "0", None),
        ("\"2021-11-20\"", "5", Some("20")),
        ("\"2021/11/20\"", "5", Some("20")),
        ("2021-11-20", "5", Some("20")),
        ("\"2021年10月\"", "10", Some("0")),
        ("\"2021年11月\"", "5", Some("30")),
        ("\"2021-10-31\"", "10", Some("0")),
        ("\"2021-11-01\"", "5", Some("1")),
    ] {
        let toml = base.replace("\"主体完工\" = \"2021年11月20日\"", &format!("\"主体完工\" = {written}"));
        assert_ne!(toml, base);
        let data = jixiao::data::parse(&toml, jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap();
        let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
        let indicator = evaluation.indicator("主体完工").unwrap();
        assert_eq!(indicator.score.normalize().to_string(), score, "{written}");
        let shown = match &indicator.actual {
            jixiao::eval::ActualValue::Date { days_late, .. } => days_late.map(|d| d.to_string()),
            other => panic!("{other:?}"),
        };
        assert_eq!(shown.as_deref(), days, "{written}");
    }
}

/// A report's group (二级指标) figures are audited like a section's.
#[test]
fn a_reported_group_score_that_does_not_add_up_is_an_audit_error() {
    let root = common::root();
    let rules = jixiao::check::check_files(&[root.join("rules/central/village-roads.jx")], None).rules.unwrap();
    let base = std::fs::read_to_string(root.join("examples/central/village-roads.toml")).unwrap();
    let toml = base.replace("points = 15\nscore = 13", "points = 16\nscore = 14");
    assert_ne!(toml, base);
    let data = jixiao::data::parse(&toml, jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    let audit = jixiao::audit::audit(&evaluation, &data);
    let groups: Vec<_> = audit
        .findings
        .iter()
        .filter(|f| f.scope == jixiao::audit::Scope::Group)
        .map(|f| (f.field.name(), f.reported.as_ref().unwrap().text.clone(), f.computed.as_ref().unwrap().text.clone()))
        .collect();
    assert_eq!(groups, [("points", "16".into(), "15".into()), ("score", "14".into(), "13".into())]);
}
