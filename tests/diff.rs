//! `jixiao diff`: changes on the checked models, and their effect on scores.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::path::{Path, PathBuf};

use jixiao::diff::{self, Field, Kind, ProjectDiff};
use jixiao::messages::Lang;
use jixiao::model::CheckedRules;
use jixiao::source::Sources;

fn rules(path: &Path) -> CheckedRules {
    let checked = jixiao::check::check_files(&[path.to_path_buf()], None);
    checked.rules.unwrap_or_else(|| panic!("{}: {:?}", path.display(), checked.problems))
}

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/diff").join(name)
}

fn with_data(old: &CheckedRules, new: &CheckedRules, data: &[PathBuf]) -> Vec<ProjectDiff> {
    let mut diffs = diff::diff(old, new);
    let mut sources = Sources::new();
    for path in data {
        let data = jixiao::data::read(path, &mut sources).unwrap();
        let entry = diffs.iter_mut().find(|d| d.name == data.project.node).unwrap();
        entry.impact = Some(diff::impact(old, new, entry, &data).unwrap());
    }
    diffs
}

#[test]
fn identical_versions_have_no_changes() {
    let base = rules(&fixture("base.jx"));
    assert!(diff::diff(&base, &base).iter().all(|d| d.changes.is_empty()));
}

#[test]
fn layout_comments_keywords_and_order_change_nothing() {
    let diffs = diff::diff(&rules(&fixture("base.jx")), &rules(&fixture("reformatted.jx")));
    assert!(diffs[0].changes.is_empty(), "{:#?}", diffs[0].changes);
}

#[test]
fn one_target_changed_and_its_effect() {
    let root = common::root();
    let dir = std::env::temp_dir().join(format!("jixiao-diff-{}", std::process::id())).join("rules");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root.join("rules/2018/scheme.jx"), dir.join("scheme.jx")).unwrap();
    let text = std::fs::read_to_string(root.join("rules/2018/quality-supervision.jx")).unwrap();
    let changed = text.replace("target >= 3000 台", "target >= 2500 台");
    assert_ne!(text, changed);
    std::fs::write(dir.join("quality-supervision.jx"), changed).unwrap();

    let old = rules(&root.join("rules/2018/quality-supervision.jx"));
    let new = rules(&dir.join("quality-supervision.jx"));
    let diffs = with_data(&old, &new, &[root.join("examples/2018/quality-supervision.toml")]);
    let changes = &diffs[0].changes;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!((changes[0].kind, changes[0].field.map(Field::name)), (Kind::Changed, Some("target")));
    assert_eq!((changes[0].old.as_deref(), changes[0].new.as_deref()), (Some("3000"), Some("2500")));

    let impact = diffs[0].impact.as_ref().unwrap();
    let indicator = &impact.indicators.iter().find(|(id, _)| id == "日常监管巡查").unwrap().1;
    assert_eq!(
        (indicator.old.unwrap().to_string(), indicator.new.unwrap().to_string()),
        ("2.76".into(), "3.32".into())
    );
    let section = &impact.sections.iter().find(|(name, _)| name == "产出指标").unwrap().1;
    assert_eq!((section.old.unwrap().to_string(), section.new.unwrap().to_string()), ("36.64".into(), "37.2".into()));
    assert_eq!(impact.total.old.unwrap().to_string(), "96.64");
    assert_eq!(impact.total.new.unwrap().normalize().to_string(), "97.2", "97.20");
    assert!(!impact.partial);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn each_kind_of_change_is_reported_as_what_it_is() {
    let old = rules(&fixture("base.jx"));
    let new = rules(&fixture("every-kind.jx"));
    let diffs = with_data(&old, &new, &[fixture("data.toml")]);
    let kinds: Vec<(Kind, Option<&str>, Option<&str>)> =
        diffs[0].changes.iter().map(|c| (c.kind, c.indicator.as_deref(), c.field.map(Field::name))).collect();
    assert!(kinds.contains(&(Kind::Renamed, Some("专题培训"), None)), "{kinds:?}");
    assert!(kinds.contains(&(Kind::Removed, Some("事故"), None)));
    assert!(kinds.contains(&(Kind::Added, Some("投诉处置"), None)));
    assert!(kinds.contains(&(Kind::Moved, Some("检查率"), Some("group"))));
    assert!(kinds.contains(&(Kind::Changed, None, Some("methods"))));
    assert!(kinds.contains(&(Kind::Changed, Some("巡查"), Some("method"))), "the method change reaches each indicator");
    let added = diffs[0].changes.iter().find(|c| c.kind == Kind::Added).unwrap();
    assert_eq!(added.suggestion.as_deref(), Some("renamed from 事故"), "an undeclared rename is suggested");
    let impact = diffs[0].impact.as_ref().unwrap();
    assert!(impact.partial);
    assert_eq!(impact.missing, ["投诉处置"]);
    insta::assert_snapshot!("every_kind_table", jixiao::report::diff::table(&diffs, Lang::En));
    insta::assert_snapshot!("every_kind_json", jixiao::report::diff::json(&diffs, "base.jx", "every-kind.jx"));
}

#[test]
fn chinese_diffs_name_scheme_changes_in_chinese() {
    let old = rules(&fixture("base.jx"));
    let new = rules(&fixture("every-kind.jx"));
    let diffs = with_data(&old, &new, &[fixture("data.toml")]);
    for text in [jixiao::report::diff::table(&diffs, Lang::Zh), jixiao::report::diff::markdown(&diffs, Lang::Zh)] {
        // The methods change has no indicator or section: its subject is the scheme.
        let line = text.lines().find(|l| l.contains("计分方法") && !l.contains("巡查")).unwrap();
        assert!(line.contains("方案") && !line.contains("scheme"), "{line}");
    }
}

#[test]
fn rules_2018_against_2019_with_the_2018_data() {
    let root = common::root();
    let old = rules(&root.join("rules/2018"));
    let new = rules(&root.join("rules/2019"));
    let data: Vec<PathBuf> =
        ["business-administration", "comprehensive-affairs", "food-drug-safety", "quality-supervision"]
            .iter()
            .map(|s| root.join(format!("examples/2018/{s}.toml")))
            .collect();
    let diffs = with_data(&old, &new, &data);
    assert_eq!(diffs.len(), 4);
    assert!(diffs.iter().all(|d| !d.changes.is_empty()));
    insta::assert_snapshot!("2018_2019_table", jixiao::report::diff::table(&diffs, Lang::Zh));
    insta::assert_snapshot!("2018_2019_markdown", jixiao::report::diff::markdown(&diffs, Lang::En));
}

#[test]
fn a_section_counted_apart_and_its_effect_on_the_total() {
    let root = common::root();
    let dir = std::env::temp_dir().join(format!("jixiao-diff-apart-{}", std::process::id())).join("rules");
    std::fs::create_dir_all(&dir).unwrap();
    let scheme = std::fs::read_to_string(root.join("rules/central/scheme.jx")).unwrap();
    std::fs::write(dir.join("scheme.jx"), scheme.replace("total 90 ", "total 100 ")).unwrap();
    let text = std::fs::read_to_string(root.join("rules/central/elderly-care.jx")).unwrap();
    let counted = text.replace("points 10 apart {", "points 10 {");
    assert_ne!(text, counted);
    std::fs::write(dir.join("elderly-care.jx"), counted).unwrap();

    let old = rules(&root.join("rules/central"));
    let new = rules(&dir);
    let diffs = with_data(&old, &new, &[root.join("examples/central/elderly-care.toml")]);
    let changes: Vec<_> =
        diffs[0].changes.iter().map(|c| (c.field.map(Field::name), c.old.clone(), c.new.clone())).collect();
    assert!(changes.contains(&(Some("apart"), Some("apart".into()), Some("counted".into()))), "{changes:?}");
    assert!(changes.contains(&(Some("total"), Some("90".into()), Some("100".into()))), "{changes:?}");
    let impact = diffs[0].impact.as_ref().unwrap();
    assert_eq!(impact.total.old.unwrap().to_string(), "82.21");
    assert_eq!(impact.total.new.unwrap().to_string(), "91.71", "the budget row now counts");
    let table = jixiao::report::diff::table(&diffs, Lang::Zh);
    assert!(table.contains("是否计入总分: 单列 → 计入总分"), "{table}");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn a_review_rule_added_is_a_scheme_change_that_moves_no_score() {
    let root = common::root();
    let dir = common::temp("diff-review").join("2018");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(root.join("rules/2018")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let scheme = std::fs::read_to_string(dir.join("scheme.jx")).unwrap();
    let stricter = scheme.replace("review reason\n", "review reason\n    复核 偏差率 > 30%\n");
    assert_ne!(scheme, stricter);
    std::fs::write(dir.join("scheme.jx"), stricter).unwrap();

    let diffs = with_data(
        &rules(&root.join("rules/2018")),
        &rules(&dir),
        &[root.join("examples/2018/quality-supervision.toml")],
    );
    let changes: Vec<_> =
        diffs[0].changes.iter().map(|c| (c.field.map(Field::name), c.old.clone(), c.new.clone())).collect();
    let expected = (
        Some("reviews"),
        Some("actual > 100%; reason".to_string()),
        Some("actual > 100%; deviation > 30%; reason".to_string()),
    );
    assert!(changes.contains(&expected), "{changes:?}");
    let scored = diffs.iter().find(|d| d.name == "质量技术监督项目").unwrap();
    let impact = scored.impact.as_ref().unwrap();
    assert_eq!(impact.total.old, impact.total.new, "a review asks, it never scores");
    let table = jixiao::report::diff::table(&diffs, Lang::Zh);
    assert!(table.contains("复核规则"), "{table}");
}

#[test]
fn a_deadline_moved_and_a_checklist_item_dropped_show_as_target_changes_with_their_impact() {
    let root = common::root();
    let dir = common::temp("diff-dated").join("central");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root.join("rules/central/scheme.jx"), dir.join("scheme.jx")).unwrap();
    let text = std::fs::read_to_string(root.join("rules/central/village-roads.jx")).unwrap();
    let changed = text
        .replace("target by 2021年10月;", "target by 2021-11-30;")
        .replace("                    公示 \"施工信息公示\"\n", "");
    assert_ne!(text, changed);
    std::fs::write(dir.join("village-roads.jx"), changed).unwrap();

    let old = jixiao::check::check_files(&[root.join("rules/central/village-roads.jx")], None).rules.unwrap();
    let new = jixiao::check::check_files(&[dir.join("village-roads.jx")], None).rules.unwrap();
    let diffs = with_data(&old, &new, &[root.join("examples/central/village-roads.toml")]);
    let changes: Vec<_> = diffs[0]
        .changes
        .iter()
        .filter(|c| c.field == Some(Field::Target))
        .map(|c| {
            (
                c.indicator.clone().unwrap_or_default(),
                c.old.clone().unwrap_or_default(),
                c.new.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert!(changes.contains(&("主体完工".into(), "by 2021-10-31".into(), "by 2021-11-30".into())), "{changes:?}");
    assert!(
        changes.iter().any(|(id, old, new)| id == "质量管理" && old.contains("公示") && !new.contains("公示")),
        "{changes:?}"
    );
    // 20 days late becomes on time (5 → 10); the dropped item was the missing one (4 → 6).
    let impact = diffs[0].impact.as_ref().unwrap();
    assert_eq!(impact.total.old.unwrap().to_string(), "81.33");
    assert_eq!(impact.total.new.unwrap().to_string(), "88.33");
}
