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

/// What the tests exercised (`jixiao test --coverage`).
#[derive(Debug, Default)]
pub struct Coverage {
    /// (project, indicator) that an expectation names.
    pub named: Vec<(usize, usize)>,
    /// (scheme, method, the `if`'s span, the arm taken: `true` for then).
    pub arms: Vec<(usize, usize, Span, bool)>,
    /// (scheme, level) an actual reached.
    pub levels: Vec<(usize, String)>,
    /// (scheme, grade) a total reached.
    pub grades: Vec<(usize, String)>,
}

/// Runs every test of `rules`; data files are read into `sources`.
pub fn run(rules: &CheckedRules, sources: &mut Sources, lang: Lang) -> (Vec<Outcome>, Coverage) {
    let mut coverage = Coverage::default();
    let outcomes = rules.tests().iter().map(|t| run_one(rules, t, sources, lang, &mut coverage)).collect();
    (outcomes, coverage)
}

fn run_one(rules: &CheckedRules, test: &Test, sources: &mut Sources, lang: Lang, coverage: &mut Coverage) -> Outcome {
    // The model is copied only for a test that changes it.
    let changed;
    let (rules, index) = if test.points.is_empty() && test.targets.is_empty() && test.synthetic.is_none() {
        (rules, test.project)
    } else {
        changed = rules.with_overrides(test);
        (&changed.0, changed.1)
    };
    let project = &rules.projects()[index];
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
    // A data file of another project would evaluate that project instead.
    if data.project.node != project.name.node || data.year.node != i64::from(project.year.node) {
        outcome.failures.push(Failure {
            subject: "data".into(),
            expected: format!("{} ({})", project.name.node, project.year.node),
            computed: format!("{} ({})", data.project.node, data.year.node),
            trace: None,
            span: test.data.as_ref().map_or(test.span, |d| d.span),
        });
        return outcome;
    }
    let evaluated = crate::eval::evaluate(rules, &data);
    for expectation in &test.expectations {
        if let Subject::Score(id) | Subject::Deviation(id) | Subject::Actual(id) = &expectation.subject
            && let Some(i) = project.indicator(&id.node)
            && test.synthetic.is_none()
            && !coverage.named.contains(&(test.project, i))
        {
            coverage.named.push((test.project, i));
        }
    }
    if let Ok(e) = &evaluated {
        exercised(rules, index, e, coverage);
    }
    for expectation in &test.expectations {
        let subject = subject_text(&expectation.subject, lang);
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

/// The method branches, levels and grade an evaluation went through.
fn exercised(rules: &CheckedRules, index: usize, e: &Evaluation, coverage: &mut Coverage) {
    let project = &rules.projects()[index];
    let scheme = &rules.schemes()[project.scheme];
    if let Some(grade) = &e.total.grade
        && !coverage.grades.contains(&(project.scheme, grade.clone()))
    {
        coverage.grades.push((project.scheme, grade.clone()));
    }
    for result in e.indicators() {
        let Some(indicator) = project.indicator(&result.id).map(|i| &project.indicators[i]) else { continue };
        if let ActualValue::Level { name, .. } = &result.actual
            && !coverage.levels.contains(&(project.scheme, name.clone()))
        {
            coverage.levels.push((project.scheme, name.clone()));
        }
        let crate::model::Scoring::Method { method, args, .. } = &indicator.scoring else { continue };
        let (Some(actual), crate::model::Target::Numeric { value, unit, .. }) =
            (result.exact.actual, &indicator.target)
        else {
            continue;
        };
        let percent = *unit == crate::model::Unit::Percent;
        let target = crate::exact::Ratio::from_decimal(*value);
        let env = crate::model::expr::Env::method(
            crate::model::expr::Shown { value: actual, percent },
            crate::model::expr::Shown { value: target, percent },
            crate::exact::Ratio::from_decimal(indicator.points.node),
            args,
        );
        let mut taken = Vec::new();
        arms(&scheme.methods[*method].body, &env, &mut taken);
        for (span, arm) in taken {
            let entry = (project.scheme, *method, span, arm);
            if !coverage.arms.contains(&entry) {
                coverage.arms.push(entry);
            }
        }
    }
}

/// The `if`s an evaluation of `expr` passes, and the arm each takes.
fn arms(expr: &crate::model::Expr, env: &crate::model::expr::Env, out: &mut Vec<(Span, bool)>) {
    use crate::model::ExprKind;
    match &expr.node {
        ExprKind::If(c, then, otherwise) => {
            arms(c, env, out);
            let Ok(holds) = crate::model::expr::condition(c, env) else { return };
            out.push((expr.span, holds));
            arms(if holds { then } else { otherwise }, env, out);
        }
        ExprKind::Negate(x) => arms(x, env, out),
        ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) => {
            arms(a, env, out);
            arms(b, env, out);
        }
        ExprKind::Call(_, xs) => xs.iter().for_each(|x| arms(x, env, out)),
        _ => {}
    }
}

/// Every `if` of an expression, in order.
pub fn ifs(expr: &crate::model::Expr) -> Vec<&crate::model::Expr> {
    let mut found: Vec<&crate::model::Expr> = Vec::new();
    collect_ifs(expr, &mut found);
    found
}

fn collect_ifs<'a>(expr: &'a crate::model::Expr, out: &mut Vec<&'a crate::model::Expr>) {
    use crate::model::ExprKind;
    match &expr.node {
        ExprKind::If(c, a, b) => {
            out.push(expr);
            collect_ifs(c, out);
            collect_ifs(a, out);
            collect_ifs(b, out);
        }
        ExprKind::Negate(x) => collect_ifs(x, out),
        ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) => {
            collect_ifs(a, out);
            collect_ifs(b, out);
        }
        ExprKind::Call(_, xs) => xs.iter().for_each(|x| collect_ifs(x, out)),
        _ => {}
    }
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

/// What an expectation states, in the words of the rule language's keywords.
fn subject_text(subject: &Subject, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let word = |en: &'static str, cn: &'static str| if zh { cn } else { en };
    match subject {
        Subject::Score(id) => format!("{} {}", word("score", "得分"), id.node),
        Subject::Deviation(id) => format!("{} {}", word("deviation", "偏差率"), id.node),
        Subject::Actual(id) => format!("{} {}", word("actual", "完成值"), id.node),
        Subject::Subtotal(name) => format!("{} {}", word("subtotal", "小计"), name.node),
        Subject::Total => word("total", "总分").into(),
        Subject::Rate => word("rate", "得分率").into(),
        Subject::Grade => word("grade", "等级").into(),
        Subject::Result => word("result", "结果").into(),
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

/// The coverage of the tests against everything they could exercise.
#[derive(Debug)]
pub struct CoverageReport {
    /// Indicators an expectation names, of all indicators of projects with tests.
    pub named: usize,
    pub indicators: usize,
    /// (project, indicator id) no expectation names.
    pub unnamed: Vec<(String, String)>,
    pub branches: Vec<Branch>,
    /// (scheme, level, reached) for schemes whose projects have level indicators.
    pub levels: Vec<(String, String, bool)>,
    /// (scheme, grade, reached).
    pub grades: Vec<(String, String, bool)>,
}

/// One `if` of a method in use, and which arms the tests took.
#[derive(Debug)]
pub struct Branch {
    pub scheme: String,
    pub method: String,
    /// The condition as written.
    pub condition: String,
    pub line: usize,
    pub then: bool,
    pub otherwise: bool,
}

pub fn coverage_report(rules: &CheckedRules, coverage: &Coverage) -> CoverageReport {
    let tested: Vec<usize> = {
        let mut t: Vec<usize> = rules.tests().iter().filter(|t| t.synthetic.is_none()).map(|t| t.project).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    let mut unnamed = Vec::new();
    let mut indicators = 0;
    for &p in &tested {
        let project = &rules.projects()[p];
        for (i, indicator) in project.indicators.iter().enumerate() {
            indicators += 1;
            if !coverage.named.contains(&(p, i)) {
                unnamed.push((format!("{} ({})", project.name.node, project.year.node), indicator.id.node.clone()));
            }
        }
    }
    // Methods in use: scored by an indicator of a tested project.
    let mut in_use: Vec<(usize, usize)> = Vec::new();
    let mut schemes: Vec<usize> = Vec::new();
    for &p in &tested {
        let project = &rules.projects()[p];
        if !schemes.contains(&project.scheme) {
            schemes.push(project.scheme);
        }
        for indicator in &project.indicators {
            if let crate::model::Scoring::Method { method, .. } = indicator.scoring
                && !in_use.contains(&(project.scheme, method))
            {
                in_use.push((project.scheme, method));
            }
        }
    }
    in_use.sort_unstable();
    let sources = rules.sources();
    let mut branches = Vec::new();
    for (s, m) in in_use {
        let scheme = &rules.schemes()[s];
        let method = &scheme.methods[m];
        for e in ifs(&method.body) {
            let crate::model::ExprKind::If(c, _, _) = &e.node else { continue };
            let text = sources.text(c.span.file);
            let condition = text.get(c.span.range()).unwrap_or("").to_string();
            let (line, _) = sources.line_col(c.span.file, c.span.start as usize);
            let taken = |arm: bool| coverage.arms.contains(&(s, m, e.span, arm));
            branches.push(Branch {
                scheme: scheme.name.node.clone(),
                method: method.name.node.clone(),
                condition,
                line,
                then: taken(true),
                otherwise: taken(false),
            });
        }
    }
    let mut levels = Vec::new();
    let mut grades = Vec::new();
    for &s in &schemes {
        let scheme = &rules.schemes()[s];
        let has_levels = tested.iter().any(|&p| {
            rules.projects()[p].scheme == s
                && rules.projects()[p].indicators.iter().any(|i| matches!(i.target, crate::model::Target::Level { .. }))
        });
        if has_levels {
            for level in &scheme.levels {
                let reached = coverage.levels.contains(&(s, level.name.node.clone()));
                levels.push((scheme.name.node.clone(), level.name.node.clone(), reached));
            }
        }
        for grade in &scheme.grades {
            let reached = coverage.grades.contains(&(s, grade.name.node.clone()));
            grades.push((scheme.name.node.clone(), grade.name.node.clone(), reached));
        }
    }
    CoverageReport { named: indicators - unnamed.len(), indicators, unnamed, branches, levels, grades }
}
