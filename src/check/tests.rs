//! Tests of the rules (`test "…" { … }`): each resolved against its project
//! — ids, figures, sections and grades it names exist, the values it gives
//! are of the indicator's kind, the expectations are of the subject's kind.

use std::path::Path;

use super::codes;
use crate::diagnostic::Problem;
use crate::model::{self, Target, Unit};
use crate::span::{Span, Spanned};
use crate::suggest::closest;
use crate::syntax::ast::{self, Expected, Given, Subject, TestItem, TestValue};

fn unknown<'a>(kind: &str, name: &crate::span::Name, candidates: impl IntoIterator<Item = &'a str>) -> Problem {
    let mut problem = Problem::error(codes::UNKNOWN_NAME).arg_noun("kind", kind).arg("name", &name.node);
    if let Some(s) = closest(&name.node, candidates) {
        problem = problem.arg("suggestion", s);
    }
    problem.at(name.span)
}

/// A value of the wrong kind for what it is given to or compared with.
fn wrong(span: Span, what: &str, expected_en: &str, expected_zh: &str) -> Problem {
    Problem::error(codes::TEST_VALUE).arg("what", what).arg_in("expected", expected_en, expected_zh).at(span)
}

/// The unit a test's number is written with (`2999 万元` → 万元), if any.
fn unit_written(value: &TestValue) -> Option<String> {
    let TestValue::Number { text, percent: false, .. } = value else { return None };
    let unit: String =
        text.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '－' | '+')).trim().to_string();
    (!unit.is_empty()).then_some(unit)
}

/// Whether a number written with `unit` fits an indicator measured in `indicator`.
fn unit_fits(unit: &str, indicator: &model::Indicator) -> bool {
    matches!(indicator.unit(), Some(Unit::Named { name, .. } | Unit::Per { name }) if name == unit)
}

/// The project a scheme's own tests score: one section and one indicator,
/// `指标`, worth the scheme's total, `target >= 1` (plain) by the default
/// method for `>=` — tests set its target, points and actual as they need.
pub fn scheme_project(scheme: &model::Scheme, index: usize, span: Span) -> Option<model::Project> {
    let method = scheme.defaults[0]?;
    let name = |text: &str| Spanned::new(text.to_string(), span);
    let indicator = model::Indicator {
        id: name("指标"),
        wording: "指标".into(),
        group: None,
        section: 0,
        target: Target::Numeric {
            direction: model::Direction::AtLeast,
            value: rust_decimal::Decimal::ONE,
            unit: Unit::None,
            span,
        },
        points: scheme.total.clone(),
        scoring: model::Scoring::Method { method, args: Vec::new(), explicit: false },
        derived: None,
        derived_text: None,
        renamed_from: None,
        deadline: None,
        checklist: Vec::new(),
    };
    Some(model::Project {
        name: scheme.name.clone(),
        year: Spanned::new(2000, span),
        organization: None,
        goal: None,
        submitted: None,
        scheme: index,
        figures: Vec::new(),
        sections: vec![model::Section {
            name: name("指标"),
            points: scheme.total.clone(),
            apart: false,
            indicators: 0..1,
            groups: Vec::new(),
        }],
        indicators: vec![indicator],
        budget: None,
        expects: Vec::new(),
        derived_order: Vec::new(),
    })
}

/// Resolves one test of `project` (at `index`), written in the file at `file`.
pub fn check_test(
    test: &ast::Test,
    file: &Path,
    index: usize,
    project: &model::Project,
    scheme: &model::Scheme,
    problems: &mut Vec<Problem>,
) -> Option<model::Test> {
    let before = problems.iter().filter(|p| p.is_error()).count();
    let ids = || project.indicators.iter().map(|i| i.id.node.as_str());
    let indicator = |name: &crate::span::Name, problems: &mut Vec<Problem>| -> Option<usize> {
        let found = project.indicator(&name.node);
        if found.is_none() {
            problems.push(unknown("indicator", name, ids()));
        }
        found
    };
    let mut out = model::Test {
        name: test.name.clone(),
        span: test.span,
        project: index,
        data: None,
        points: Vec::new(),
        targets: Vec::new(),
        givens: Vec::new(),
        expectations: Vec::new(),
        synthetic: None,
    };
    for item in &test.items {
        match item {
            TestItem::Project { .. } => {}
            TestItem::Data(path) => {
                let resolved = file.parent().unwrap_or(Path::new(".")).join(&path.node);
                // A copy of the rules elsewhere still checks: the test fails when it runs.
                if !resolved.is_file() {
                    problems.push(Problem::warning(codes::TEST_DATA).arg("path", &path.node).at(path.span));
                }
                out.data = Some(Spanned::new(resolved, path.span));
            }
            TestItem::Points { id, points } => {
                if let Some(i) = indicator(id, problems) {
                    out.points.push((i, points.clone()));
                }
            }
            TestItem::Target { id, direction, quantity } => {
                let Some(i) = indicator(id, problems) else { continue };
                let ind = &project.indicators[i];
                let unit_agrees = match (&ind.target, &quantity.node.unit) {
                    (Target::Numeric { unit: Unit::Percent, .. }, Some(ast::UnitName::Percent)) => true,
                    (Target::Numeric { unit: Unit::Named { name, .. }, .. }, Some(ast::UnitName::Named(n))) => {
                        *name == n.node
                    }
                    (Target::Numeric { unit: Unit::None, .. }, None) => true,
                    (Target::Numeric { unit: Unit::Per { name }, .. }, Some(ast::UnitName::Per(a, b))) => {
                        *name == format!("{}/{}", a.node, b.node)
                    }
                    (Target::Numeric { unit: Unit::Named { .. } | Unit::Per { .. }, .. }, None) => true,
                    _ => false,
                };
                let numeric =
                    matches!(ind.target, Target::Numeric { .. }) && ind.deadline.is_none() && ind.checklist.is_empty();
                let model_direction = match direction.node {
                    ast::Direction::AtLeast => Some(model::Direction::AtLeast),
                    ast::Direction::AtMost => Some(model::Direction::AtMost),
                    ast::Direction::Exactly => Some(model::Direction::Exactly),
                    ast::Direction::Assign => None,
                };
                match (numeric && unit_agrees, model_direction) {
                    (true, Some(d)) => out.targets.push((i, d, Spanned::new(quantity.node.value, quantity.span))),
                    _ => problems.push(wrong(
                        quantity.span,
                        &id.node,
                        "a numeric target in the indicator's own unit, after >=, <= or ==",
                        "与该指标单位相同的数值目标，前面写 >=、<= 或 ==",
                    )),
                }
            }
            TestItem::Given { what, name, value } => {
                match what.node {
                    Given::Figure => {
                        if !project.figures.iter().any(|f| f.name.node == name.node) {
                            problems.push(unknown(
                                "figure",
                                name,
                                project.figures.iter().map(|f| f.name.node.as_str()),
                            ));
                            continue;
                        }
                    }
                    Given::Actual => {
                        let Some(i) = indicator(name, problems) else { continue };
                        if let Some(unit) = unit_written(&value.node)
                            && !unit_fits(&unit, &project.indicators[i])
                        {
                            problems.push(wrong(
                                value.span,
                                &name.node,
                                "a value in the indicator's own unit",
                                "以该指标自身单位计的数值",
                            ));
                            continue;
                        }
                        if project.indicators[i].derived.is_some() {
                            problems.push(wrong(
                                value.span,
                                &name.node,
                                "no actual: it is derived — give the figures it reads",
                                "不能直接给出：它由基础数据计算，请给出基础数据",
                            ));
                            continue;
                        }
                    }
                    Given::Reason => {
                        if indicator(name, problems).is_none() {
                            continue;
                        }
                    }
                }
                out.givens.push(model::TestGiven { what: what.node, name: name.clone(), value: value.clone() });
            }
            TestItem::Should { subject, expected, within } => {
                let number = |v: &Expected| matches!(v, Expected::Value(TestValue::Number { percent: false, .. }));
                let percent = |v: &Expected| {
                    matches!(v, Expected::Value(TestValue::Number { percent: true, .. }))
                        || matches!(v, Expected::Value(TestValue::Number { value, .. }) if value.is_zero())
                };
                // Points have no unit; an actual's unit is the indicator's.
                let unit = match &expected.node {
                    Expected::Value(v) => unit_written(v),
                    Expected::Refused(_) => None,
                };
                let unit_ok = match (&subject.node, &unit) {
                    (_, None) => true,
                    (Subject::Actual(id), Some(u)) => {
                        project.indicator(&id.node).is_some_and(|i| unit_fits(u, &project.indicators[i]))
                    }
                    _ => false,
                };
                if !unit_ok {
                    problems.push(wrong(
                        expected.span,
                        "should be",
                        "a value without another unit",
                        "不带其他单位的数值",
                    ));
                    continue;
                }
                let ok = match &subject.node {
                    Subject::Score(id) => indicator(id, problems).map(|_| number(&expected.node)),
                    Subject::Deviation(id) => indicator(id, problems).map(|_| percent(&expected.node)),
                    Subject::Actual(id) => indicator(id, problems).map(|_| matches!(expected.node, Expected::Value(_))),
                    Subject::Subtotal(name) => match project.sections.iter().any(|s| s.name.node == name.node) {
                        true => Some(number(&expected.node)),
                        false => {
                            problems.push(unknown(
                                "section",
                                name,
                                project.sections.iter().map(|s| s.name.node.as_str()),
                            ));
                            None
                        }
                    },
                    Subject::Total => Some(number(&expected.node)),
                    Subject::Rate => Some(percent(&expected.node)),
                    Subject::Grade => Some(match &expected.node {
                        Expected::Value(TestValue::Name(g) | TestValue::Text(g)) => {
                            scheme.grades.iter().any(|x| x.name.node == *g)
                        }
                        _ => false,
                    }),
                    Subject::Result => Some(matches!(expected.node, Expected::Refused(_))),
                };
                match ok {
                    Some(true) => {}
                    Some(false) => {
                        let (en, zh) = match &subject.node {
                            Subject::Score(_) | Subject::Subtotal(_) | Subject::Total => ("a number of points", "分数"),
                            Subject::Deviation(_) | Subject::Rate => ("a percent", "百分数"),
                            Subject::Grade => ("one of the scheme's grades", "方案中的等级"),
                            Subject::Result => ("refused \"jixiao::…\" with a code", "拒绝 \"jixiao::…\" 及其代码"),
                            Subject::Actual(_) => ("a value", "数值"),
                        };
                        problems.push(wrong(expected.span, "should be", en, zh));
                        continue;
                    }
                    None => continue,
                }
                if let Some(w) = within.as_ref().filter(|w| w.node.is_sign_negative() && !w.node.is_zero()) {
                    problems.push(wrong(w.span, "within", "a tolerance of 0 or more", "不小于 0 的误差"));
                    continue;
                }
                if let (Some(w), false) = (within, number(&expected.node) || percent(&expected.node)) {
                    problems.push(wrong(w.span, "within", "a tolerance only after a number", "误差只能跟在数值之后"));
                    continue;
                }
                out.expectations.push(model::Expectation {
                    subject: subject.node.clone(),
                    expected: expected.node.clone(),
                    within: within.as_ref().map(|w| w.node),
                    span: subject.span.to(expected.span),
                });
            }
        }
    }
    let failed = problems.iter().filter(|p| p.is_error()).count() > before;
    if out.expectations.is_empty() && !failed {
        problems.push(Problem::warning(codes::TEST_EMPTY).arg("name", &test.name.node).at(test.name.span));
    }
    if failed { None } else { Some(out) }
}
