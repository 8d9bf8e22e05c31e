//! Data → the values a project's rules read, checked against the rules:
//! units, percents, counts, levels, unknown and missing ids.

use foldhash::{HashMap, HashMapExt};

use rust_decimal::Decimal;

use crate::data::{self, Node, NodeValue, ProjectData, codes};
use crate::diagnostic::Problem;
use crate::exact::Ratio;
use crate::model::{self, CheckedRules, ExprKind, Target, Unit};
use crate::span::Span;
use crate::suggest::closest;

use crate::model::expr::Shown;

#[derive(Clone, Debug)]
pub enum Actual {
    /// `printed`: the data's text when it was a bound (`"≥80%"`), scored at the bound.
    Number {
        value: Ratio,
        percent: bool,
        printed: Option<String>,
    },
    Level {
        level: usize,
        fraction: Ratio,
    },
    /// A deadline's actual: done on a date, or not done.
    Deadline(crate::model::admit::Lateness),
    /// A checklist's items met, by position.
    Items(Vec<usize>),
}

impl Actual {
    pub fn shown(&self) -> Option<Shown> {
        match self {
            Actual::Number { value, percent, .. } => Some(Shown { value: *value, percent: *percent }),
            Actual::Level { .. } | Actual::Deadline(_) | Actual::Items(_) => None,
        }
    }
}

/// The data, in the rules' positions.
pub struct Bound {
    pub figures: Vec<Option<Shown>>,
    pub figure_spans: Vec<Option<Span>>,
    pub actuals: Vec<Option<Actual>>,
    pub actual_spans: Vec<Option<Span>>,
    pub reasons: Vec<Option<String>>,
    pub evidence: Vec<Option<String>>,
    pub funds: Vec<(String, Decimal)>,
    /// Data ids these rules do not score (lenient binding only).
    pub set_aside: Vec<String>,
}

impl Bound {
    /// Where in the data file the figures an expression reads were written.
    pub fn figure_spans_in(&self, expr: &model::Expr) -> Vec<Span> {
        self.value_spans_in(expr, |_| true)
    }

    /// Where the values an expression reads were written, for those that
    /// are 0: the culprits of a division by zero.
    pub fn zero_spans_in(&self, expr: &model::Expr) -> Vec<Span> {
        self.value_spans_in(expr, |v| v.is_some_and(|s| s.value.is_zero()))
    }

    fn value_spans_in(&self, expr: &model::Expr, keep: impl Fn(Option<Shown>) -> bool) -> Vec<Span> {
        let mut spans = Vec::new();
        model::walk(expr, &mut |e| match e.node {
            ExprKind::Figure(i) if keep(self.figures.get(i).copied().flatten()) => {
                spans.extend(self.figure_spans.get(i).copied().flatten())
            }
            ExprKind::Indicator(i) if keep(self.actuals.get(i).and_then(|a| a.as_ref()).and_then(Actual::shown)) => {
                spans.extend(self.actual_spans.get(i).copied().flatten())
            }
            _ => {}
        });
        spans.dedup();
        spans
    }

    /// A problem for each figure an expression reads that the data lacks.
    pub fn missing_figures(&self, expr: &model::Expr, project: &model::Project, data: &ProjectData) -> Vec<Problem> {
        let mut problems = Vec::new();
        model::walk(expr, &mut |e| {
            if let ExprKind::Figure(i) = e.node
                && self.figures.get(i).copied().flatten().is_none()
            {
                let figure = &project.figures[i];
                problems.push(
                    Problem::error(codes::MISSING_FIGURE)
                        .arg("name", &figure.name.node)
                        .at(data.project.span)
                        .at(figure.name.span),
                );
            }
        });
        problems.dedup();
        problems
    }
}

pub fn unknown_project(rules: &CheckedRules, data: &ProjectData) -> Problem {
    let names: Vec<String> = rules.projects().iter().map(|p| p.name.node.clone()).collect();
    let same_name = rules.projects().iter().any(|p| p.name.node == data.project.node);
    let mut problem = Problem::error(codes::UNKNOWN_PROJECT)
        .arg("project", &data.project.node)
        .arg("year", data.year.node)
        .arg("known", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "));
    if !same_name && let Some(s) = closest(&data.project.node, names.iter().map(String::as_str)) {
        problem = problem.arg("suggestion", s);
    }
    problem.at(if same_name { data.year.span } else { data.project.span })
}

/// Data written for another version of the rules (a year-to-year diff):
/// keys follow declared renames, what these rules do not know is set aside,
/// and what the data lacks leaves an indicator unscored instead of failing.
#[derive(Clone, Debug, Default)]
pub struct Leniency {
    /// (id in the data, id in these rules).
    pub renames: Vec<(String, String)>,
}

/// Each name's first place in `names`: data of 10⁵ indicators is bound
/// by lookups, not by scanning the rules' names for every key.
fn first_places<'a>(names: &[&'a str]) -> HashMap<&'a str, usize> {
    let mut at = HashMap::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        at.entry(*name).or_insert(i);
    }
    at
}

pub fn bind(
    _rules: &CheckedRules,
    project: &model::Project,
    scheme: &model::Scheme,
    data: &ProjectData,
    lenient: Option<&Leniency>,
) -> Result<Bound, Vec<Problem>> {
    let mut problems = Vec::new();
    let n = project.indicators.len();
    let mut bound = Bound {
        figures: vec![None; project.figures.len()],
        figure_spans: vec![None; project.figures.len()],
        actuals: vec![None; n],
        actual_spans: vec![None; n],
        reasons: vec![None; n],
        evidence: vec![None; n],
        funds: Vec::new(),
        set_aside: Vec::new(),
    };
    let renamed = |key: &str| -> String {
        lenient
            .and_then(|l| l.renames.iter().find(|(old, _)| old == key))
            .map(|(_, new)| new.clone())
            .unwrap_or_else(|| key.to_string())
    };

    for (key, node) in &data.funds {
        match data::number(node) {
            Ok(number) if number.percent => {
                problems.push(Problem::error(codes::PERCENT_UNEXPECTED).arg("unit", "万元").at(node.span))
            }
            Ok(number) if number.value.is_sign_negative() && !number.value.is_zero() => {
                problems.push(Problem::error(codes::NEGATIVE).arg("found", number.value).at(node.span));
            }
            Ok(number) => bound.funds.push((key.node.clone(), number.value.normalize())),
            Err(p) => problems.push(p),
        }
    }

    // Figures come from [figures], or from [funds] when the rules declare them.
    let figure_names: Vec<&str> = project.figures.iter().map(|f| f.name.node.as_str()).collect();
    let figure_at = first_places(&figure_names);
    for (key, node) in &data.figures {
        match figure_at.get(key.node.as_str()).copied() {
            // Another version's raw figures are simply not read.
            None if lenient.is_some() => {}
            Some(i) => {
                let figure = &project.figures[i];
                if let Some(v) = read_number(node, &figure.unit, &figure.name.node, figure.name.span, &mut problems) {
                    bound.figures[i] = Some(v);
                    bound.figure_spans[i] = Some(node.span);
                }
            }
            None => problems.push(unknown_id(key, "figure", figure_names.iter().copied())),
        }
    }
    let fund_keys: Vec<&str> = data.funds.iter().map(|(k, _)| k.node.as_str()).collect();
    let fund_at = first_places(&fund_keys);
    for (i, figure) in project.figures.iter().enumerate() {
        if bound.figures[i].is_some() {
            continue;
        }
        if let Some((_, node)) = fund_at.get(figure.name.node.as_str()).and_then(|&k| data.funds.get(k))
            && let Some(v) = read_number(node, &figure.unit, &figure.name.node, figure.name.span, &mut problems)
        {
            bound.figures[i] = Some(v);
            bound.figure_spans[i] = Some(node.span);
        }
    }

    let ids: Vec<&str> = project.indicators.iter().map(|i| i.id.node.as_str()).collect();
    let id_at = first_places(&ids);
    let mut given = vec![false; n];
    for (key, node) in &data.actual {
        let id = renamed(&key.node);
        let Some(i) = id_at.get(id.as_str()).copied() else {
            match lenient {
                Some(_) => bound.set_aside.push(key.node.clone()),
                None => problems.push(unknown_id(key, "indicator", ids.iter().copied())),
            }
            continue;
        };
        given[i] = true;
        let indicator = &project.indicators[i];
        if let Some(rule) = &indicator.derived {
            match lenient {
                Some(_) => bound.set_aside.push(key.node.clone()),
                None => {
                    problems.push(Problem::error(codes::DERIVED_GIVEN).arg("id", &key.node).at(node.span).at(rule.span))
                }
            }
            continue;
        }
        bound.actual_spans[i] = Some(node.span);
        bound.actuals[i] = match &indicator.target {
            Target::Numeric { .. } if indicator.deadline.is_some() || !indicator.checklist.is_empty() => {
                let placed = |p: Problem| if p.spans.is_empty() { p.at(node.span) } else { p };
                read_dated_or_listed(node, indicator).map_err(|p| problems.push(placed(p))).ok()
            }
            Target::Numeric { unit, value, .. } if met_word(node, scheme).is_some() => {
                // A word the scheme says means "met" (`完成`): scored as the target.
                let printed = met_word(node, scheme).map(str::to_string);
                Some(Actual::Number { value: Ratio::from_decimal(*value), percent: *unit == Unit::Percent, printed })
            }
            Target::Numeric { unit, span, .. } => {
                // A bound (`"≥80%"`) is scored at the bound and printed as written.
                let bound = match &node.value {
                    NodeValue::String(text) => data::bound_text(text).map(|number| (text.trim(), number)),
                    _ => None,
                };
                let shown = match bound {
                    Some((_, number)) => {
                        let read = data::number_text(number)
                            .ok_or_else(|| data::why_not_a_number(number, format!("`{number}`")).at(node.span));
                        let admitted = read.and_then(|n| {
                            crate::model::admit::admit(n, unit, &indicator.id.node).map_err(|p| p.at(node.span))
                        });
                        admitted.map_err(|p| problems.push(p)).ok()
                    }
                    None => read_number(node, unit, &indicator.id.node, *span, &mut problems),
                };
                let printed = bound.map(|(text, _)| text.to_string());
                shown.map(|s| Actual::Number { value: s.value, percent: s.percent, printed })
            }
            Target::Level { .. } => read_level(node, scheme, &mut problems),
        };
    }
    for (indicator, given) in project.indicators.iter().zip(given) {
        if indicator.derived.is_none() && !given && lenient.is_none() {
            problems.push(
                Problem::error(codes::MISSING_ACTUAL)
                    .arg("id", &indicator.id.node)
                    .at(data.project.span)
                    .at(indicator.id.span),
            );
        }
    }

    // What the report claims must name sections and indicators the rules
    // know (a report for another version is not these rules' to judge).
    if lenient.is_none() {
        let sections: Vec<&str> = project.sections.iter().map(|s| s.name.node.as_str()).collect();
        for (name, _) in &data.claims.sections {
            if !sections.contains(&name.node.as_str()) {
                problems.push(unknown_id(name, "section", sections.iter().copied()));
            }
        }
        let groups: Vec<&str> =
            project.sections.iter().flat_map(|s| s.groups.iter()).map(|g| g.name.node.as_str()).collect();
        for (name, _) in &data.claims.groups {
            if !groups.contains(&name.node.as_str()) {
                problems.push(unknown_id(name, "group", groups.iter().copied()));
            }
        }
        for (id, _) in &data.claims.indicators {
            if !id_at.contains_key(id.node.as_str()) {
                problems.push(unknown_id(id, "indicator", ids.iter().copied()));
            }
        }
    }

    for (texts, into) in [(&data.reasons, &mut bound.reasons), (&data.evidence, &mut bound.evidence)] {
        for (key, text) in texts {
            let id = renamed(&key.node);
            match id_at.get(id.as_str()).copied() {
                Some(i) => into[i] = Some(text.node.clone()),
                None if lenient.is_some() => {}
                None => problems.push(unknown_id(key, "indicator", ids.iter().copied())),
            }
        }
    }

    // A funds value read as a figure too would be reported twice.
    let mut unique: Vec<Problem> = Vec::with_capacity(problems.len());
    for p in problems {
        if !unique.contains(&p) {
            unique.push(p);
        }
    }
    if unique.iter().any(Problem::is_error) { Err(unique) } else { Ok(bound) }
}

fn unknown_id<'a>(key: &crate::span::Name, kind: &str, known: impl IntoIterator<Item = &'a str>) -> Problem {
    let mut problem = Problem::error(codes::UNKNOWN_ID).arg_noun("kind", kind).arg("id", &key.node);
    if let Some(s) = closest(&key.node, known) {
        problem = problem.arg("suggestion", s).fix(key.span, data::key_text(key, s));
    }
    problem.at(key.span)
}

/// The data's text when it is one of the scheme's words for a met target.
/// A deadline's date (a TOML date or text) or a checklist's items met (a
/// list, or one text separated by `、` `,` `;`).
fn read_dated_or_listed(node: &Node, indicator: &model::Indicator) -> Result<Actual, Problem> {
    use crate::model::admit;
    match (&node.value, indicator.deadline) {
        (NodeValue::String(text) | NodeValue::Date(text), Some(deadline)) => {
            admit::lateness(text, deadline).map(Actual::Deadline)
        }
        (_, Some(_)) => Err(data::shape(node, crate::messages::Word::ShapeDate)),
        (NodeValue::String(text), None) => admit::items_in_text(text, &indicator.checklist).map(Actual::Items),
        (NodeValue::Array(list), None) => {
            let mut names = Vec::new();
            for item in list {
                // Each element one item: an empty one is a mistake, not "nothing".
                match item.as_str().map(str::trim) {
                    Some(name) if !name.is_empty() => names.push(name),
                    Some(_) => return Err(data::shape(item, crate::messages::Word::ChecklistItemName)),
                    None => return Err(data::shape(item, crate::messages::Word::Text)),
                }
            }
            admit::items_met(names, &indicator.checklist).map(Actual::Items)
        }
        (_, None) => Err(data::shape(node, crate::messages::Word::ShapeItems)),
    }
}

fn met_word<'a>(node: &'a Node, scheme: &model::Scheme) -> Option<&'a str> {
    match &node.value {
        NodeValue::String(text) => Some(text.trim()).filter(|t| scheme.met.iter().any(|w| w == t)),
        _ => None,
    }
}

/// A number as the unit requires: a percent string for `%`, a whole
/// non-negative number for a count, a non-negative one for an amount.
/// `plain` is where a plain number was declared: the rule file's place
/// that a percent given for it contradicts.
fn read_number(node: &Node, unit: &Unit, name: &str, plain: Span, problems: &mut Vec<Problem>) -> Option<Shown> {
    let admitted = data::number(node).and_then(|number| {
        crate::model::admit::admit(number, unit, name).map_err(|p| {
            let p = p.at(node.span);
            if p.code == codes::PLAIN_TARGET { p.at(plain) } else { p }
        })
    });
    admitted.map_err(|p| problems.push(p)).ok()
}

/// A level by its name or a printed name (`"达成"`, `"合格"`), or a table
/// `{ level = "部分达成", fraction = "70%" }` for a level with a range.
fn read_level(node: &Node, scheme: &model::Scheme, problems: &mut Vec<Problem>) -> Option<Actual> {
    let (name_node, fraction_node) = match &node.value {
        NodeValue::String(_) => (node, None),
        NodeValue::Table(_) => match node.get("level") {
            Some(level) => (level, node.get("fraction")),
            None => {
                problems.push(Problem::error(codes::LEVEL_EXPECTED).at(node.span));
                return None;
            }
        },
        _ => {
            problems.push(Problem::error(codes::LEVEL_EXPECTED).at(node.span));
            return None;
        }
    };
    let Some(name) = name_node.as_str() else {
        problems.push(Problem::error(codes::LEVEL_EXPECTED).at(name_node.span));
        return None;
    };
    let fraction = match fraction_node.map(data::number) {
        None => None,
        Some(Ok(n)) if n.percent => Some(Ratio::from_decimal(n.value)),
        Some(Ok(_)) => {
            let at = fraction_node.map(|f| f.span).unwrap_or(node.span);
            let text = fraction_node.map(node_text).unwrap_or_default();
            let as_percent = data::number_text(&text)
                .filter(|n| n.value.abs() <= rust_decimal::Decimal::ONE)
                .and_then(|n| n.value.checked_mul(rust_decimal::Decimal::ONE_HUNDRED))
                .map(|p| p.normalize().to_string())
                .unwrap_or_else(|| text.clone());
            problems.push(Problem::error(codes::PERCENT_EXPECTED).arg("found", text).arg("percent", as_percent).at(at));
            return None;
        }
        Some(Err(p)) => {
            problems.push(p);
            return None;
        }
    };
    match crate::model::admit::admit_level(name.trim(), fraction, scheme) {
        Ok((level, fraction)) => Some(Actual::Level { level, fraction }),
        Err(problem) => {
            let declared = scheme.levels.iter().find(|l| problem.get("level") == Some(l.name.node.as_str()));
            let problem = match (problem.code, declared) {
                (codes::FRACTION_RANGE, Some(d)) => problem.at(fraction_node.unwrap_or(node).span).at(d.name.span),
                (codes::FRACTION_MISSING, Some(d)) => problem.at(node.span).at(d.name.span),
                _ => problem.at(name_node.span),
            };
            problems.push(problem);
            None
        }
    }
}

fn node_text(node: &Node) -> String {
    match &node.value {
        NodeValue::Number(t) | NodeValue::String(t) => t.clone(),
        _ => node.type_name().to_string(),
    }
}
