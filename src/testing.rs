//! `jixiao test`: the rules' own tests run, and data files' evaluations
//! compared with their golden files.
//!
//! A test starts from its data file (or from nothing), sets the figures,
//! actuals and reasons it gives, puts its points and targets in place, and
//! evaluates with the same engine as `eval`; each expectation is compared
//! exactly, or within the tolerance the test states.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::data::tree::{Node, NodeValue};
use crate::data::{ProjectData, Syntax};
use crate::diagnostic::Problem;
use crate::eval::{ActualValue, Evaluation};
use crate::messages::Lang;
use crate::model::{CheckedRules, Test};
use crate::source::Sources;
use crate::span::{Span, Spanned};
use crate::syntax::ast::{Expected, Given, Subject, TestValue};

/// One test's outcome.
#[derive(Debug)]
pub struct Outcome {
    pub name: String,
    pub project: String,
    pub span: Span,
    pub failures: Vec<Failure>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// An expectation the rules did not meet.
#[derive(Debug)]
pub struct Failure {
    /// What was stated (`score 日常监管巡查`).
    pub subject: String,
    pub expected: String,
    pub computed: String,
    /// How the computed value came about (`explain`), when it is a score.
    pub trace: Option<String>,
    pub span: Span,
}

/// Runs every test of `rules`; data files are read into `sources`.
pub fn run(rules: &CheckedRules, sources: &mut Sources, lang: Lang) -> Vec<Outcome> {
    rules.tests().iter().map(|t| run_one(rules, t, sources, lang)).collect()
}

fn run_one(rules: &CheckedRules, test: &Test, sources: &mut Sources, lang: Lang) -> Outcome {
    let project = &rules.projects()[test.project];
    let mut outcome = Outcome {
        name: test.name.node.clone(),
        project: project.name.node.clone(),
        span: test.span,
        failures: Vec::new(),
    };
    let data = match start(test, project, sources) {
        Ok(data) => data,
        Err(problems) => {
            outcome.failures.push(refusal_failure(&problems, test.span));
            return outcome;
        }
    };
    let rules = rules.with_overrides(test);
    let evaluated = crate::eval::evaluate(&rules, &data);
    for expectation in &test.expectations {
        let subject = subject_text(&expectation.subject);
        let failure = |expected: String, computed: String, trace: Option<String>| Failure {
            subject: subject.clone(),
            expected,
            computed,
            trace,
            span: expectation.span,
        };
        match (&expectation.expected, &evaluated) {
            (Expected::Refused(code), Err(problems)) => {
                if !problems.iter().any(|p| p.is_error() && p.code == code.node) {
                    outcome.failures.push(failure(format!("refused {}", code.node), codes(problems), None));
                }
            }
            (Expected::Refused(code), Ok(e)) => outcome.failures.push(failure(
                format!("refused {}", code.node),
                format!("total {}", e.total.score),
                None,
            )),
            (Expected::Value(_), Err(problems)) => {
                outcome.failures.push(failure(expected_text(&expectation.expected), codes(problems), None))
            }
            (Expected::Value(value), Ok(e)) => {
                let (computed, trace) = computed(&expectation.subject, e, lang);
                if !agrees(value, computed.as_ref(), expectation.within) {
                    let shown = computed.map(|c| c.text()).unwrap_or_else(|| "—".into());
                    outcome.failures.push(failure(expected_text(&expectation.expected), shown, trace));
                }
            }
        }
    }
    outcome
}

fn codes(problems: &[Problem]) -> String {
    let codes: Vec<&str> = problems.iter().filter(|p| p.is_error()).map(|p| p.code).collect();
    format!("refused {}", codes.join(", "))
}

fn refusal_failure(problems: &[Problem], span: Span) -> Failure {
    Failure { subject: "data".into(), expected: "evaluated".into(), computed: codes(problems), trace: None, span }
}

/// The data a test starts from, with what it gives set on top.
fn start(test: &Test, project: &crate::model::Project, sources: &mut Sources) -> Result<ProjectData, Vec<Problem>> {
    let mut data = match &test.data {
        Some(path) => crate::data::read(&path.node, sources)?,
        None => {
            let text = format!("project = {:?}\nyear = {}\n", project.name.node, project.year.node);
            let file = sources.add(Path::new(&format!("<test {}>", test.name.node)), text);
            crate::data::parse(sources.text(file), file, Syntax::Toml)?
        }
    };
    for given in &test.givens {
        let node = node_of(&given.value);
        let key = Spanned::new(given.name.node.clone(), given.name.span);
        let set = |entries: &mut Vec<(crate::span::Name, Node)>| {
            entries.retain(|(k, _)| k.node != key.node);
            entries.push((key.clone(), node.clone()));
        };
        match given.what {
            Given::Actual => set(&mut data.actual),
            Given::Figure => {
                // A figure given here wins over the same name among the funds.
                data.funds.retain(|(k, _)| k.node != key.node);
                set(&mut data.figures)
            }
            Given::Reason => {
                let text = match &given.value.node {
                    TestValue::Text(t) | TestValue::Name(t) => t.clone(),
                    TestValue::Number { text, .. } => text.clone(),
                };
                data.reasons.retain(|(k, _)| k.node != key.node);
                data.reasons.push((key.clone(), Spanned::new(text, given.value.span)));
            }
        }
    }
    Ok(data)
}

/// A test's value as a data file would hold it: a percent as text (`"95%"`).
fn node_of(value: &Spanned<TestValue>) -> Node {
    let v = match &value.node {
        TestValue::Number { percent: true, text, .. } => NodeValue::String(text.replace('％', "%")),
        TestValue::Number { value, .. } => NodeValue::Number(value.normalize().to_string()),
        TestValue::Text(t) | TestValue::Name(t) => NodeValue::String(t.clone()),
    };
    Node { span: value.span, value: v }
}

/// What the evaluation gives for a subject.
#[derive(Debug, Clone, PartialEq)]
enum Computed {
    Number(Decimal),
    Percent(Decimal),
    Words(String),
}

impl Computed {
    fn text(&self) -> String {
        match self {
            Computed::Number(n) => n.normalize().to_string(),
            Computed::Percent(p) => format!("{}%", (p * Decimal::ONE_HUNDRED).normalize()),
            Computed::Words(w) => w.clone(),
        }
    }
}

fn computed(subject: &Subject, e: &Evaluation, lang: Lang) -> (Option<Computed>, Option<String>) {
    let trace = |id: &str| Some(crate::report::explain::render(e, Some(id), lang));
    match subject {
        Subject::Score(id) => (e.indicator(&id.node).map(|i| Computed::Number(i.score)), trace(&id.node)),
        Subject::Deviation(id) => {
            (e.indicator(&id.node).and_then(|i| i.deviation).map(Computed::Percent), trace(&id.node))
        }
        Subject::Actual(id) => {
            let value = e.indicator(&id.node).and_then(|i| match &i.actual {
                ActualValue::Level { name, .. } => Some(Computed::Words(name.clone())),
                _ => {
                    let exact = i.exact.actual?.to_decimal(28).ok()?.normalize();
                    let percent =
                        matches!(&i.target, crate::eval::TargetValue::Numeric { unit: Some(u), .. } if u == "%");
                    Some(if percent { Computed::Percent(exact) } else { Computed::Number(exact) })
                }
            });
            (value, trace(&id.node))
        }
        Subject::Subtotal(name) => {
            (e.sections.iter().find(|s| s.name == name.node).map(|s| Computed::Number(s.score)), None)
        }
        Subject::Total => (Some(Computed::Number(e.total.score)), None),
        Subject::Rate => (e.total.rate.map(Computed::Percent), None),
        Subject::Grade => (e.total.grade.clone().map(Computed::Words), None),
        Subject::Result => (None, None),
    }
}

fn agrees(expected: &TestValue, computed: Option<&Computed>, within: Option<Decimal>) -> bool {
    let close = |a: Decimal, b: Decimal| match within {
        Some(w) => (a - b).abs() <= w,
        None => a == b,
    };
    match (expected, computed) {
        (TestValue::Number { value, percent: false, .. }, Some(Computed::Number(n))) => close(*value, *n),
        // A percent compares as its fraction; a tolerance in points of percent (`within 0.1%`).
        (TestValue::Number { value, .. }, Some(Computed::Percent(p))) => close(*value, *p),
        (TestValue::Name(w) | TestValue::Text(w), Some(Computed::Words(c))) => w == c,
        _ => false,
    }
}

fn subject_text(subject: &Subject) -> String {
    match subject {
        Subject::Score(id) => format!("score {}", id.node),
        Subject::Deviation(id) => format!("deviation {}", id.node),
        Subject::Actual(id) => format!("actual {}", id.node),
        Subject::Subtotal(name) => format!("subtotal {}", name.node),
        Subject::Total => "total".into(),
        Subject::Rate => "rate".into(),
        Subject::Grade => "grade".into(),
        Subject::Result => "result".into(),
    }
}

fn expected_text(expected: &Expected) -> String {
    match expected {
        Expected::Refused(code) => format!("refused {}", code.node),
        Expected::Value(TestValue::Number { text, .. }) => text.clone(),
        Expected::Value(TestValue::Text(t) | TestValue::Name(t)) => t.clone(),
    }
}

/// Where a data file's golden evaluation lives: `golden/<stem>.json` beside it.
pub fn golden_path(data: &Path) -> PathBuf {
    let stem = data.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    data.parent().unwrap_or(Path::new(".")).join("golden").join(format!("{stem}.json"))
}

/// One difference between a golden evaluation and today's.
#[derive(Debug, PartialEq)]
pub struct Drift {
    /// The indicator (or section, or `total`).
    pub place: String,
    pub field: String,
    pub expected: String,
    pub now: String,
}

/// Every field that differs between two evaluations in the `jixiao.evaluation/1`
/// JSON, indicator by indicator.
pub fn drifts(golden: &serde_json::Value, now: &serde_json::Value) -> Vec<Drift> {
    let mut out = Vec::new();
    compare(&mut out, "total", golden.get("total"), now.get("total"));
    let sections = |v: &serde_json::Value| v.get("sections").and_then(|s| s.as_array()).cloned().unwrap_or_default();
    let (gs, ns) = (sections(golden), sections(now));
    let name = |v: &serde_json::Value, key: &str| v.get(key).and_then(|n| n.as_str()).unwrap_or("").to_string();
    for g in &gs {
        let section = name(g, "name");
        let n = ns.iter().find(|n| name(n, "name") == section);
        compare(&mut out, &section, Some(g), n);
        let indicators = |v: Option<&serde_json::Value>| {
            v.and_then(|v| v.get("indicators")).and_then(|i| i.as_array()).cloned().unwrap_or_default()
        };
        let (gi, ni) = (indicators(Some(g)), indicators(n));
        for i in &gi {
            let id = name(i, "id");
            let now = ni.iter().find(|x| name(x, "id") == id);
            match now {
                Some(now) => compare(&mut out, &id, Some(i), Some(now)),
                None => out.push(Drift {
                    place: id,
                    field: "indicator".into(),
                    expected: "present".into(),
                    now: "—".into(),
                }),
            }
        }
        for i in &ni {
            let id = name(i, "id");
            if !gi.iter().any(|x| name(x, "id") == id) {
                out.push(Drift { place: id, field: "indicator".into(), expected: "—".into(), now: "present".into() });
            }
        }
    }
    out
}

/// The fields of one object (section, indicator, total) that differ.
fn compare(out: &mut Vec<Drift>, place: &str, a: Option<&serde_json::Value>, b: Option<&serde_json::Value>) {
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "—".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let (Some(a), Some(b)) = (a.and_then(|v| v.as_object()), b.and_then(|v| v.as_object())) else { return };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if matches!(key.as_str(), "indicators" | "sections" | "groups" | "trace" | "loss") {
            continue;
        }
        if a.get(key) != b.get(key) {
            out.push(Drift {
                place: place.to_string(),
                field: key.clone(),
                expected: text(a.get(key)),
                now: text(b.get(key)),
            });
        }
    }
}
