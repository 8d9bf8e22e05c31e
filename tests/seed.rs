//! The four 2018 reports come out exactly: every score, subtotal, rate,
//! total and grade the reports print, compared with `[reported]` in each
//! data file, and the evaluations snapshotted as JSON and as tables.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use jixiao::data::{self, Node, NodeValue};
use jixiao::eval::Evaluation;
use jixiao::messages::Lang;
use jixiao::source::Sources;
use rust_decimal::Decimal;

const PROJECTS: [&str; 4] =
    ["comprehensive-affairs", "business-administration", "food-drug-safety", "quality-supervision"];

/// Figures the reports printed that do not follow from their own numbers;
/// the audit issue flags them. (project, indicator, field)
const REPORT_MISTAKES: [(&str, &str, &str); 3] = [
    ("food-drug-safety", "快速检测", "deviation"), // +41.0% printed, 1444 / 3500 = +41.3%
    ("food-drug-safety", "监督抽检", "deviation"), // +1.0% printed, 17 / 1800 = +0.9%
    ("quality-supervision", "重点单位巡查", "points"), // 5 printed; its score, subtotal and total follow from 4
];

fn evaluate(slug: &str) -> (Evaluation, data::ProjectData) {
    let root = common::root();
    let checked = jixiao::check::check_files(&[root.join(format!("rules/2018/{slug}.jx"))], None);
    assert!(!checked.has_errors(), "{slug}: {:?}", checked.problems);
    let rules = checked.rules.unwrap();
    let mut sources = Sources::new();
    let data = data::read(&root.join(format!("examples/2018/{slug}.toml")), &mut sources).unwrap();
    (jixiao::eval::evaluate(&rules, &data).unwrap(), data)
}

/// A reported value as a decimal: numbers as written, `"91.6%"` as 0.916,
/// `"+39.9%"` as 0.399, `"0"` as 0.
fn reported(node: &Node) -> Option<Decimal> {
    match &node.value {
        NodeValue::String(s) if s.trim_start_matches('+').parse::<Decimal>().is_err() && !s.ends_with('%') => None,
        NodeValue::String(s) => {
            let s = s.trim_start_matches('+');
            match s.strip_suffix('%') {
                Some(p) => Some(p.parse::<Decimal>().ok()? / Decimal::ONE_HUNDRED),
                None => s.parse().ok(),
            }
        }
        _ => data::number(node).ok().map(|n| n.value),
    }
}

#[test]
fn totals_and_grades() {
    for (slug, total) in PROJECTS.iter().zip(["96.25", "99.79", "99.94", "96.64"]) {
        let (evaluation, _) = evaluate(slug);
        assert_eq!(evaluation.total.score.to_string(), total, "{slug}");
        assert_eq!(evaluation.total.grade.as_deref(), Some("优秀"), "{slug}");
    }
}

#[test]
fn every_printed_figure_is_reproduced() {
    let mut compared = 0;
    let mut indicators = 0;
    for slug in PROJECTS {
        let (evaluation, data) = evaluate(slug);
        let reported_root = data.reported.as_ref().expect("every seed data file has [reported]");
        assert_eq!(reported(reported_root.get("total").unwrap()), Some(evaluation.total.score), "{slug} total");
        for section in &evaluation.sections {
            let Some(printed) = reported_root.get("sections").and_then(|s| s.get(&section.name)) else { continue };
            assert_eq!(reported(printed.get("score").unwrap()), Some(section.score), "{slug} {}", section.name);
            if let Some(rate) = printed.get("rate") {
                assert_eq!(reported(rate), section.rate, "{slug} {} rate", section.name);
                compared += 1;
            }
        }
        for indicator in evaluation.indicators() {
            indicators += 1;
            let printed = reported_root
                .get("indicators")
                .and_then(|i| i.get(&indicator.id))
                .unwrap_or_else(|| panic!("{slug}: no [reported.indicators.\"{}\"]", indicator.id));
            for (field, ours) in [
                ("score", Some(indicator.score)),
                ("points", Some(indicator.points)),
                ("deviation", Some(indicator.deviation.unwrap_or_default())),
            ] {
                let Some(theirs) = printed.get(field).and_then(reported) else { continue };
                let known = REPORT_MISTAKES.contains(&(slug, indicator.id.as_str(), field));
                assert_eq!(
                    ours != Some(theirs),
                    known,
                    "{slug} {} {field}: ours {ours:?}, printed {theirs}",
                    indicator.id
                );
                compared += 1;
            }
        }
    }
    assert_eq!(indicators, 46, "the four reports score 46 indicators");
    assert!(compared > 130, "compared {compared} figures");
}

#[test]
fn evaluations_as_json() {
    for slug in PROJECTS {
        let (evaluation, _) = evaluate(slug);
        insta::assert_snapshot!(format!("json_{slug}"), jixiao::report::json::render(&[evaluation]));
    }
}

#[test]
fn evaluations_as_tables() {
    for slug in PROJECTS {
        let (evaluation, _) = evaluate(slug);
        insta::assert_snapshot!(format!("table_{slug}"), jixiao::report::table::render(&evaluation, Lang::Zh));
    }
}

#[test]
fn explanations() {
    let (evaluation, _) = evaluate("quality-supervision");
    insta::assert_snapshot!(
        "explain_quality-supervision",
        jixiao::report::explain::render(&evaluation, None, Lang::En)
    );
    let (evaluation, _) = evaluate("comprehensive-affairs");
    let text = jixiao::report::explain::render(&evaluation, Some("预算执行率"), Lang::En);
    assert!(text.contains("357.04 / 439.53"), "{text}");
    assert!(text.contains("→ 16.25"), "{text}");
}

#[test]
fn every_rule_file_checks_clean() {
    let checked = jixiao::check::check_files(&[common::root().join("rules")], None);
    assert!(checked.problems.is_empty(), "{:#?}", checked.problems);
    assert!(checked.rules.unwrap().projects().len() >= 5);
}

#[test]
fn the_printed_five_points_breaks_the_section_sum() {
    let path = common::root().join("rules/2018/quality-supervision.jx");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replace("target >= 400 家; points 4", "target >= 400 家; points 5");
    assert_ne!(text, broken);
    let dir = std::env::temp_dir().join(format!("jixiao-seed-{}", std::process::id()));
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::copy(common::root().join("rules/2018/scheme.jx"), rules.join("scheme.jx")).unwrap();
    std::fs::write(rules.join("quality-supervision.jx"), broken).unwrap();
    let checked = jixiao::check::check_files(&[rules.join("quality-supervision.jx")], None);
    let codes: Vec<_> = checked.problems.iter().map(|p| p.code).collect();
    assert!(codes.contains(&"jixiao::check::points_sum"), "{codes:?}");
    let problem = checked.problems.iter().find(|p| p.code == "jixiao::check::points_sum").unwrap();
    assert_eq!(problem.render(Lang::En).message, "the indicators of 产出指标 add up to 41 points; the section has 40");
    let _ = std::fs::remove_dir_all(dir);
}
