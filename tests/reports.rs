//! Documents people read: Markdown, CSV, HTML and Excel carry the same
//! figures as the evaluation, and the point-loss ledger adds up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use calamine::{Data, Reader, Xlsx};
use jixiao::eval::{Evaluation, FullAt};
use jixiao::messages::Lang;
use jixiao::source::Sources;
use rust_decimal::Decimal;

const PROJECTS: [&str; 4] =
    ["comprehensive-affairs", "business-administration", "food-drug-safety", "quality-supervision"];

fn evaluate(slug: &str) -> Evaluation {
    let root = common::root();
    let rules = jixiao::check::check_files(&[root.join("rules/2018")], None).rules.unwrap();
    let mut sources = Sources::new();
    let data = jixiao::data::read(&root.join(format!("examples/2018/{slug}.toml")), &mut sources).unwrap();
    jixiao::eval::evaluate(&rules, &data).unwrap()
}

/// Documents made from an evaluation without the traces' words are the same
/// documents: no figure depends on a trace's text.
#[test]
fn figures_alone_make_the_same_documents() {
    let root = common::root();
    let rules = jixiao::check::check_files(&[root.join("rules/2018")], None).rules.unwrap();
    for slug in PROJECTS {
        let mut sources = Sources::new();
        let data = jixiao::data::read(&root.join(format!("examples/2018/{slug}.toml")), &mut sources).unwrap();
        let full = [jixiao::eval::evaluate(&rules, &data).unwrap()];
        let figures = [jixiao::eval::evaluate_figures(&rules, &data).unwrap()];
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(jixiao::report::table::render(&figures[0], lang), jixiao::report::table::render(&full[0], lang));
            assert_eq!(jixiao::report::markdown::render(&figures, lang), jixiao::report::markdown::render(&full, lang));
            assert_eq!(jixiao::report::csv::render(&figures, lang), jixiao::report::csv::render(&full, lang));
            assert_eq!(jixiao::report::html::render(&figures, lang), jixiao::report::html::render(&full, lang));
        }
        assert_eq!(jixiao::report::json::render(&figures), jixiao::report::json::render(&full), "{slug}");
        for (f, t) in figures[0].indicators().zip(full[0].indicators()) {
            assert_eq!((f.score, f.trace.exact, f.trace.rounded), (t.score, t.trace.exact, t.trace.rounded));
            assert!(f.trace.formula.is_empty() && f.trace.inputs.is_empty() && f.trace.derivation.is_none());
            assert!(!t.trace.formula.is_empty(), "{slug} {}: the full trace has its words", t.id);
        }
    }
}

#[test]
fn the_ledger_of_quality_supervision() {
    let e = evaluate("quality-supervision");
    let losses: Vec<(String, String, Option<FullAt>)> = e
        .indicators()
        .filter_map(|i| i.loss.as_ref().map(|l| (i.id.clone(), l.points.to_string(), l.full_at.clone())))
        .collect();
    assert_eq!(
        losses,
        [
            ("日常监管巡查".into(), "1.24".into(), Some(FullAt::Actual(Decimal::from(3000)))),
            ("重点单位巡查".into(), "2.12".into(), Some(FullAt::Actual(Decimal::from(400)))),
        ]
    );
}

#[test]
fn losses_add_up_to_the_points_missed() {
    for slug in PROJECTS {
        let e = evaluate(slug);
        let lost: Decimal = e.indicators().filter_map(|i| i.loss.as_ref()).map(|l| l.points).sum();
        assert_eq!(lost, e.total.points - e.total.score, "{slug}");
        for i in e.indicators() {
            assert_eq!(i.loss.is_some(), i.score < i.points, "{slug} {}", i.id);
        }
    }
    // The budget rate of comprehensive-affairs: full points at 100% of the funds in place.
    let e = evaluate("comprehensive-affairs");
    let budget = e.indicator("预算执行率").unwrap().loss.clone().unwrap();
    assert_eq!(budget.points.to_string(), "3.75");
    assert_eq!(budget.full_at, Some(FullAt::Actual(Decimal::ONE)));
}

#[test]
fn markdown_csv_and_html_snapshots() {
    for slug in PROJECTS {
        let e = vec![evaluate(slug)];
        insta::assert_snapshot!(format!("markdown_{slug}"), jixiao::report::markdown::render(&e, Lang::Zh));
        insta::assert_snapshot!(format!("csv_{slug}"), jixiao::report::csv::render(&e, Lang::Zh));
        insta::assert_snapshot!(format!("html_{slug}"), jixiao::report::html::render(&e, Lang::Zh));
    }
}

#[test]
fn csv_opens_in_excel() {
    let text = jixiao::report::csv::render(&[evaluate("quality-supervision")], Lang::Zh);
    assert!(text.starts_with('\u{feff}'), "a BOM tells Excel it is UTF-8");
    assert!(text.contains(",日常监管巡查设备台数,≥3000 台,2072 台,4,2.76,-30.9%,"), "{text}");
}

#[test]
fn html_structure() {
    let evaluations: Vec<Evaluation> = PROJECTS.iter().map(|s| evaluate(s)).collect();
    let html = jixiao::report::html::render(&evaluations, Lang::Zh);
    let dom = tl::parse(&html, tl::ParserOptions::default()).unwrap();
    let parser = dom.parser();
    let count = |selector: &str| dom.query_selector(selector).map(|q| q.count()).unwrap_or(0);
    assert_eq!(count("article.project"), 4);
    assert_eq!(count("table.form"), 4);
    assert_eq!(count("section.summary"), 1, "several projects begin with a summary");
    assert_eq!(count("figure.chart"), 8, "a rate chart and a loss chart each (every project lost some points)");
    assert_eq!(count("svg"), 8);
    assert_eq!(count("rect.bar"), 3 * 4 + 5, "a bar per section and per indicator that lost points");
    assert_eq!(count("tr.indicator"), 46, "one row per indicator of the four reports");
    assert_eq!(count("link") + count("script") + count("img"), 0, "self-contained, no scripts");
    let totals: Vec<String> = dom
        .query_selector("#total-score")
        .unwrap()
        .map(|h| h.get(parser).unwrap().inner_text(parser).to_string())
        .collect();
    assert_eq!(totals, ["96.25", "99.79", "99.94", "96.64"]);
    assert!(html.contains("@page { size: A4"), "printable on A4");
}

#[test]
fn xlsx_reads_back() {
    let evaluations: Vec<Evaluation> = PROJECTS.iter().map(|s| evaluate(s)).collect();
    let bytes = jixiao::report::xlsx::render(&evaluations, Lang::Zh).unwrap();
    assert_eq!(bytes, jixiao::report::xlsx::render(&evaluations, Lang::Zh).unwrap(), "the same input, the same bytes");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        ["汇总", "市场局综合事务管理专项", "工商行政管理事务专项", "食品药品安全专项", "质量技术监督项目"]
    );
    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(summary.get_value((4, 2)), Some(&Data::Float(96.64)));
    let sheet = book.worksheet_range("质量技术监督项目").unwrap();
    let row = sheet.rows().find(|r| r.get(2) == Some(&Data::String("日常监管巡查设备台数".into()))).unwrap();
    assert_eq!(row[3], Data::Float(3000.0), "targets are numbers, direction and unit in the number format");
    assert_eq!(row[4], Data::Float(2072.0), "actuals are numbers");
    assert_eq!(row[5], Data::Float(4.0), "points are numbers");
    assert_eq!(row[6], Data::Float(2.76), "scores are the printed, rounded numbers");
    assert_eq!(row[7], Data::Float(-0.309), "deviations are fractions shown as percents");
    let funds = sheet.rows().position(|r| r.first() == Some(&Data::String("项目资金（万元）".into()))).unwrap();
    let names: Vec<&Data> = sheet.rows().nth(funds).unwrap()[1..].iter().filter(|d| **d != Data::Empty).collect();
    let amounts: Vec<&Data> = sheet.rows().nth(funds + 1).unwrap()[1..].iter().filter(|d| **d != Data::Empty).collect();
    assert_eq!(names.len(), amounts.len(), "a name over each amount");
    assert!(amounts.iter().all(|a| matches!(a, Data::Float(_))), "amounts are numbers: {amounts:?}");
    let total = sheet.rows().find(|r| r.first() == Some(&Data::String("总分".into()))).unwrap();
    assert_eq!(total[6], Data::Float(96.64));
}

/// Every indicator explained at once reads as `explain --indicator` gives it.
#[test]
fn each_explanation_is_the_one_explain_gives_for_its_indicator() {
    for slug in PROJECTS {
        let e = evaluate(slug);
        let each = jixiao::report::explain::each(&e, Lang::Zh);
        assert_eq!(each.len(), e.indicators().count());
        for (id, text) in each {
            assert_eq!(text, jixiao::report::explain::render(&e, Some(id), Lang::Zh), "{slug} {id}");
        }
    }
}

/// Evaluations that share what they worked out (one `Shared` per worker)
/// give every ledger line exactly as an evaluation alone does, whichever
/// project comes first: projects that differ in anything the solution
/// depends on (the target, a count against an amount, the direction, the
/// points, the method's arguments) never take each other's.
#[test]
fn shared_ledger_solutions_are_each_indicators_own() {
    let share = "method share(k) = if actual >= target * k then points else 0";
    let scheme = common::one_indicator(share, "target >= 1 次");
    let scheme = &scheme[..scheme.find("project P").unwrap_or_default()];
    // Project, its indicator I, I's actual; F also has K, 5 points always met.
    let indicators = [
        ("A", "target >= 90%; points 10", "\"80%\""),
        ("B", "target >= 90%; points 10", "\"70%\""),
        ("C", "target >= 90 次; points 10", "80"),
        ("D", "target >= 90 万元; points 10", "80"),
        ("E", "target <= 90 万元; points 10", "95"),
        ("F", "target >= 90%; points 5", "\"80%\""),
        ("G", "target >= 95%; points 10", "\"80%\""),
        ("H", "target >= 90 次; points 10; method share(0.95)", "80"),
        ("J", "target >= 90 次; points 10; method share(1)", "80"),
        ("L", "target >= 90 万元; points 10; method share(0.95)", "80"),
    ];
    let projects: String = indicators
        .iter()
        .map(|(p, decl, _)| {
            let k = if *p == "F" { "indicator K { target >= 1 次; points 5 }" } else { "" };
            format!("project {p} {{ year 2018\n section S points 10 {{ indicator I {{ {decl} }} {k} }} }}\n")
        })
        .collect();
    let checked = jixiao::check::check_source("shared.jx", &format!("{scheme}{projects}"));
    let errors: Vec<&str> = checked.problems.iter().filter(|p| p.is_error()).map(|p| p.code).collect();
    let rules = checked.rules.unwrap_or_else(|| panic!("{errors:?}"));
    let data: Vec<jixiao::data::ProjectData> = indicators
        .iter()
        .map(|(p, _, actual)| {
            let text = format!("project = \"{p}\"\nyear = 2018\n[actual]\nI = {actual}\nK = 1\n");
            let text = if *p == "F" { text } else { text.replace("K = 1\n", "") };
            jixiao::data::parse(&text, jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap()
        })
        .collect();
    let alone: Vec<_> = data.iter().map(|d| jixiao::eval::evaluate_figures(&rules, d).unwrap()).collect();
    let ledger = |e: &jixiao::eval::Evaluation| {
        e.indicators().map(|i| i.loss.as_ref().map(|l| (l.points, l.full_at.clone(), l.printed_at))).collect::<Vec<_>>()
    };
    assert!(alone.iter().all(|e| ledger(e)[0].is_some()), "every project lost points");
    for order in [data.iter().collect::<Vec<_>>(), data.iter().rev().collect()] {
        let shared = jixiao::eval::Shared::default();
        for d in order {
            let together = jixiao::eval::evaluate_as(&rules, d, jixiao::eval::Mode::Figures, &shared).unwrap();
            let own = alone.iter().find(|e| e.project == together.project).unwrap();
            assert_eq!(ledger(&together), ledger(own), "{}", own.project);
        }
    }
}

/// A `Shared` given other rules forgets what it held: the same places in
/// two sets of rules (the first method of the first scheme) need not be
/// the same method.
#[test]
fn shared_solutions_are_forgotten_for_other_rules() {
    let first = common::one_indicator("", "target >= 90%");
    let proportional = "method proportional = if actual >= target then points else points * actual / target";
    assert!(first.contains(proportional));
    let second = first.replace(proportional, &proportional.replace("actual >= target", "actual >= target * 0.5"));
    let data =
        jixiao::data::parse(&common::data("\"40%\""), jixiao::span::FileId(1), jixiao::data::Syntax::Toml).unwrap();
    let shared = jixiao::eval::Shared::default();
    for text in [&first, &second, &first] {
        let rules = jixiao::check::check_source("p.jx", text).rules.unwrap();
        let alone = jixiao::eval::evaluate_figures(&rules, &data).unwrap();
        let together = jixiao::eval::evaluate_as(&rules, &data, jixiao::eval::Mode::Figures, &shared).unwrap();
        let full_at =
            |e: &jixiao::eval::Evaluation| e.indicator("I").and_then(|i| i.loss.clone()).and_then(|l| l.full_at);
        assert!(full_at(&alone).is_some());
        assert_eq!(full_at(&together), full_at(&alone));
    }
}
