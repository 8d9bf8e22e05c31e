//! `jixiao audit` on the seed: exactly the real problems, nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use jixiao::audit::{self, Audit, Severity};
use jixiao::messages::Lang;
use jixiao::source::Sources;

const PROJECTS: [&str; 4] =
    ["comprehensive-affairs", "business-administration", "food-drug-safety", "quality-supervision"];

fn audit_of(slugs: &[&str]) -> (Vec<Audit>, Vec<audit::CrossFinding>) {
    let root = common::root();
    let rules = jixiao::check::check_files(&[root.join("rules/2018")], None).rules.unwrap();
    let mut sources = Sources::new();
    let data: Vec<_> = slugs
        .iter()
        .map(|s| jixiao::data::read(&root.join(format!("examples/2018/{s}.toml")), &mut sources).unwrap())
        .collect();
    let evaluations: Vec<_> = data.iter().map(|d| jixiao::eval::evaluate(&rules, d).unwrap()).collect();
    let audits = data.iter().zip(&evaluations).map(|(d, e)| audit::audit(e, d)).collect();
    let pairs: Vec<_> = data.iter().zip(&evaluations).collect();
    (audits, if slugs.len() > 1 { audit::cross_project(&rules, &pairs) } else { Vec::new() })
}

/// (severity, subject, field) of each finding.
fn summary(audit: &Audit) -> Vec<(Severity, String, &'static str)> {
    audit
        .findings
        .iter()
        .map(|f| (f.severity, f.indicator.clone().unwrap_or_else(|| f.name.clone()), f.field.name()))
        .collect()
}

#[test]
fn quality_supervision_the_printed_five_points() {
    let (audits, _) = audit_of(&["quality-supervision"]);
    assert_eq!(summary(&audits[0]), [(Severity::Error, "重点单位巡查".to_string(), "points")]);
    let finding = &audits[0].findings[0];
    assert_eq!(
        finding.message.en,
        "reported points 5 make 产出指标 add up to 41 of 40; the reported score 1.88 = 4 × 188 / 400 follows from 4 points"
    );
    assert_eq!(finding.cause.as_deref(), Some("points:重点单位巡查"));
}

#[test]
fn food_drug_safety_two_deviations_and_two_narrative_percentages() {
    let (audits, _) = audit_of(&["food-drug-safety"]);
    let found = summary(&audits[0]);
    assert_eq!(found[0], (Severity::Warning, "快速检测".to_string(), "deviation"));
    assert_eq!(found[1], (Severity::Warning, "监督抽检".to_string(), "deviation"));
    assert_eq!(found.len(), 5, "{found:?}");
    assert!(found[2..4].iter().all(|(s, _, field)| *s == Severity::Warning && *field == "expect"));
    // The report gives no reason for the one shortfall: the scheme's `review reason` asks.
    assert_eq!(found[4], (Severity::Warning, "抽检合格率".to_string(), "review"));
    assert_eq!(audits[0].findings[4].code, Some("jixiao::review::reason"));
    let deviation = &audits[0].findings[0];
    assert_eq!(deviation.reported.as_ref().unwrap().text, "0.41");
    assert_eq!(deviation.computed.as_ref().unwrap().text, "0.413");
}

#[test]
fn comprehensive_affairs_only_a_note_on_the_budget_basis() {
    let (audits, _) = audit_of(&["comprehensive-affairs"]);
    assert_eq!(summary(&audits[0]), [(Severity::Note, "预算执行率".to_string(), "actual")]);
    assert!(audits[0].is_clean());
    assert!(audits[0].findings[0].message.en.contains("it would be 100.0%"));
    // The report printed 81.2% and the rules give 81.2%; 100% is the other
    // basis, not what was computed (it used to read "reported —, computed 100.0%").
    let note = &audits[0].findings[0];
    assert_eq!(note.reported.as_ref().map(|v| v.text.as_str()), Some("0.812"));
    assert!(note.computed.as_ref().unwrap().text.starts_with("0.8123"), "{:?}", note.computed);
    assert_eq!(note.alternative.as_ref().map(|v| v.text.as_str()), Some("1"));
    let table = jixiao::report::audit::table(&audits, &[], Lang::Zh);
    assert!(table.contains("报告 81.2%, 计算 81.2%, 另一口径 100.0%"), "{table}");
    let json = jixiao::report::audit::json(&audits, &[], Lang::En);
    assert!(json.contains("\"alternative\": \"1\""), "{json}");
}

#[test]
fn a_data_file_without_reported_figures_is_a_note_not_agreement() {
    let root = common::root();
    let checked = jixiao::check::check_files(&[root.join("tests/fixtures/diff/base.jx")], None);
    let rules = checked.rules.unwrap();
    let mut sources = Sources::new();
    let data = jixiao::data::read(&root.join("tests/fixtures/diff/data.toml"), &mut sources).unwrap();
    let evaluation = jixiao::eval::evaluate(&rules, &data).unwrap();
    let audit = audit::audit(&evaluation, &data);
    assert_eq!(audit.findings.len(), 1);
    let note = &audit.findings[0];
    assert_eq!((note.severity, note.code), (Severity::Note, Some(audit::NOTHING_REPORTED)));
    let table = jixiao::report::audit::table(std::slice::from_ref(&audit), &[], Lang::Zh);
    assert!(!table.contains("报告与规则和数据一致"), "{table}");
    assert!(table.contains("没有可比对的内容"), "{table}");
}

#[test]
fn business_administration_agrees_but_gives_no_reason_for_its_shortfall() {
    let (audits, _) = audit_of(&["business-administration"]);
    // Every figure agrees; the one finding is the scheme's review rule: 结案率
    // scored 9.79 of 10 and the report gives no 偏差原因.
    let found = summary(&audits[0]);
    assert_eq!(found, [(Severity::Warning, "结案率".to_string(), "review")], "{:?}", audits[0].findings);
    let finding = &audits[0].findings[0];
    assert_eq!(finding.code, Some("jixiao::review::reason"));
    assert!(finding.message.zh.contains("数据未说明偏差原因"), "{}", finding.message.zh);
    assert!(finding.span.is_some(), "points at the actual in the data file");
}

#[test]
fn all_four_add_the_evidence_claimed_twice() {
    let (audits, cross) = audit_of(&PROJECTS);
    assert_eq!(audits.len(), 4);
    let figures: Vec<&str> = cross.iter().map(|c| c.figure.as_str()).collect();
    assert_eq!(figures, ["处理件数", "满意件数"]);
    for c in &cross {
        let projects: Vec<&str> = c.uses.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(projects, ["市场局综合事务管理专项", "工商行政管理事务专项"]);
    }
    assert_eq!(cross[0].cause, cross[1].cause, "one cause: the same 12315 evidence");
}

#[test]
fn audit_outputs() {
    for slug in PROJECTS {
        let (audits, cross) = audit_of(&[slug]);
        insta::assert_snapshot!(format!("table_{slug}"), jixiao::report::audit::table(&audits, &cross, Lang::En));
        insta::assert_snapshot!(format!("json_{slug}"), jixiao::report::audit::json(&audits, &cross, Lang::En));
    }
    let (audits, cross) = audit_of(&PROJECTS);
    insta::assert_snapshot!("table_all_zh", jixiao::report::audit::table(&audits, &cross, Lang::Zh));
    insta::assert_snapshot!("json_all", jixiao::report::audit::json(&audits, &cross, Lang::En));
    insta::assert_snapshot!("markdown_all", jixiao::report::audit::markdown(&audits, &cross, Lang::En));
}

/// Auditing a folder: the workbook an audit office files — a summary sheet
/// (largest difference between reported and computed totals first) and a
/// sheet of every finding; CSV gives the findings, Markdown starts with the summary.
#[test]
fn a_folder_of_reports_becomes_one_workbook_with_a_summary_and_every_finding() {
    use calamine::{Data, Reader, Xlsx};
    let (mut audits, cross) = audit_of(&PROJECTS);
    // One report that printed a wrong total, so the order by difference shows.
    audits[1].reported_total = Some(rust_decimal::Decimal::new(9879, 2));
    let bytes = jixiao::report::xlsx::audit(&audits, &cross, Lang::Zh).unwrap();
    assert_eq!(bytes, jixiao::report::xlsx::audit(&audits, &cross, Lang::Zh).unwrap(), "the same bytes");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "审核发现"]);
    let summary = book.worksheet_range("汇总").unwrap();
    let first: Vec<&Data> = summary.rows().nth(1).unwrap().iter().collect();
    assert_eq!(first[0], &Data::String("工商行政管理事务专项".into()), "the largest difference first");
    assert_eq!((first[3], first[4], first[5]), (&Data::Float(98.79), &Data::Float(99.79), &Data::Float(-1.0)));
    assert_eq!(summary.rows().count(), 5, "a heading and the four projects");
    let findings = book.worksheet_range("审核发现").unwrap();
    let total: usize = audits.iter().map(|a| a.findings.len()).sum::<usize>() + cross.len();
    assert_eq!(findings.rows().count(), total + 1, "every finding, and the heading");
    assert!(findings.rows().any(|r| r.get(3) == Some(&Data::String("重点单位巡查".into()))));

    let csv = jixiao::report::audit::csv(&audits, &cross, Lang::En);
    assert_eq!(csv.lines().count(), total + 1);
    assert!(csv.starts_with("project,year,severity,indicator,field,reported,computed,cause,explanation\n"), "{csv}");
    let markdown = jixiao::report::audit::markdown(&audits, &cross, Lang::En);
    assert!(markdown.starts_with("| project | year | unit | reported total |"), "{markdown}");
}
