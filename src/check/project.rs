//! Checking a project against its scheme: names, targets, units, points,
//! methods, derived actuals and their cycles, expects.

use foldhash::{HashMap, HashMapExt};

use rust_decimal::Decimal;

use crate::diagnostic::{Problem, Severity};
use crate::exact::Ratio;
use crate::model::{self, Direction, Scoring, Target, Unit};
use crate::span::{Name, Span, Spanned};
use crate::syntax::ast::{self, IndicatorItem, ProjectItem};

use super::codes;
use super::duplicate;
use super::expr::{Dim, ProjectNames, Resolver, Scope};
use super::scheme::unknown_method;
use crate::suggest::closest;

/// An indicator's pieces, gathered before names can be resolved.
struct Draft<'a> {
    ast: &'a ast::Indicator,
    group: Option<Name>,
    section: usize,
    target: Option<Target>,
    points: Option<Spanned<Decimal>>,
    method: Option<(&'a Name, &'a [Spanned<Decimal>])>,
    actual: Option<&'a ast::Expr>,
    renamed_from: Option<Name>,
    deadline: Option<crate::date::Date>,
    /// A checklist's deduction per missing item, and its items.
    checklist: Option<(Ratio, Vec<model::ChecklistItem>)>,
}

/// What a project's items say, each once, before names are resolved.
#[derive(Default)]
struct Items<'a> {
    year: Option<Spanned<i32>>,
    /// A year was written but is not a year: reported already.
    year_written: bool,
    organization: Option<Spanned<String>>,
    goal: Option<Spanned<String>>,
    submitted: Option<Spanned<String>>,
    figures: Vec<model::Figure>,
    budget: Option<&'a Name>,
    expects: Vec<&'a ast::Expr>,
    sections: Vec<model::Section>,
    drafts: Vec<Draft<'a>>,
}

/// Derived actuals resolved against every id and figure.
struct Derived {
    rules: Vec<Option<model::Expr>>,
    order: Vec<usize>,
}

pub fn check_project(
    project: &ast::Project,
    text: &str,
    scheme: &model::Scheme,
    scheme_index: usize,
    analyses: &mut Analyses,
    problems: &mut Vec<Problem>,
) -> Option<model::Project> {
    let before = problems.iter().filter(|p| p.is_error()).count();
    let items = gather(project, scheme, problems);
    let Some(year) = items.year else {
        if !items.year_written {
            problems.push(
                Problem::error(codes::MISSING_ITEM)
                    .arg("item", "year")
                    .arg("owner", &project.name.node)
                    .at(project.name.span),
            );
        }
        return None;
    };
    let Items { organization, goal, submitted, figures, budget, expects, sections, drafts, .. } = items;
    check_ids(&drafts, &figures, problems);
    // A table as submitted keeps its printed points: a sum that does not add
    // up is a warning here and a finding of `audit`.
    let severity = if submitted.is_some() { Severity::Warning } else { Severity::Error };
    check_points(project, &sections, &drafts, scheme, severity, problems);

    // What a name in an expression may be: an indicator (with its target's unit) or a figure.
    let index: Vec<(Name, Option<Unit>)> = drafts
        .iter()
        .map(|d| {
            let unit = match &d.target {
                Some(Target::Numeric { unit, .. }) => Some(unit.clone()),
                Some(Target::Level { .. }) => None,
                None => Some(Unit::None),
            };
            (d.ast.id.clone(), unit)
        })
        .collect();
    let mut used_figures = vec![false; figures.len()];
    let names = ProjectNames::new(&figures, &index);
    let derived = resolve_derived(&drafts, &names, scheme, &mut used_figures, problems);
    let expects = resolve_expects(&expects, &names, &mut used_figures, problems);
    for (figure, used) in figures.iter().zip(&used_figures) {
        if !used {
            problems.push(Problem::warning(codes::UNUSED_FIGURE).arg("name", &figure.name.node).at(figure.name.span));
        }
    }

    let budget = budget.and_then(|b| match drafts.iter().position(|d| d.ast.id.node == b.node) {
        Some(i) => Some(i),
        None => {
            problems.push(unknown("indicator", b, drafts.iter().map(|d| d.ast.id.node.as_str())));
            None
        }
    });
    let indicators = indicators(drafts, derived.rules, text, scheme, problems);
    check_methods(&indicators, scheme, scheme_index, analyses, problems);
    if problems.iter().filter(|p| p.is_error()).count() > before {
        return None;
    }
    Some(model::Project {
        name: project.name.clone(),
        year,
        organization: organization.map(|o| o.node),
        goal: goal.map(|g| g.node),
        submitted: submitted.map(|s| s.node),
        scheme: scheme_index,
        figures,
        sections,
        indicators,
        budget,
        expects,
        derived_order: derived.order,
    })
}

/// The project's items, each kind checked for being said twice; sections
/// and their indicators drafted.
fn gather<'a>(project: &'a ast::Project, scheme: &model::Scheme, problems: &mut Vec<Problem>) -> Items<'a> {
    let mut items = Items::default();
    for item in &project.items {
        match item {
            ProjectItem::Year(y) => {
                if let Some(first) = &items.year {
                    problems.push(duplicate("year", "year", y.span, first.span));
                    continue;
                }
                match y.node.normalize().to_string().parse::<i32>().ok() {
                    Some(v) if (1900..=9999).contains(&v) => items.year = Some(Spanned::new(v, y.span)),
                    _ => {
                        problems.push(Problem::error(codes::YEAR).arg("year", y.node).at(y.span));
                        items.year_written = true;
                    }
                }
            }
            ProjectItem::Organization(o) => set_once(&mut items.organization, o, "organization", problems),
            ProjectItem::Goal(g) => set_once(&mut items.goal, g, "goal", problems),
            ProjectItem::Submitted(s) => set_once(&mut items.submitted, s, "submitted", problems),
            // Tests are checked once every project is (`check::tests`).
            ProjectItem::Test(_) => {}
            ProjectItem::Figure { name, unit } => {
                if let Some(first) = items.figures.iter().find(|f| f.name.node == name.node) {
                    problems.push(duplicate("figure", &name.node, name.span, first.name.span));
                    continue;
                }
                let unit = match unit {
                    None => Unit::None,
                    Some(u) => resolve_unit(&u.node, u.span, scheme, problems).unwrap_or(Unit::None),
                };
                items.figures.push(model::Figure { name: name.clone(), unit });
            }
            ProjectItem::Budget(b) => match items.budget {
                Some(first) => problems.push(duplicate("budget", &b.node, b.span, first.span)),
                None => items.budget = Some(b),
            },
            ProjectItem::Expect(e) => items.expects.push(e),
            ProjectItem::Section(section) => {
                if let Some(first) = items.sections.iter().find(|s| s.name.node == section.name.node) {
                    problems.push(duplicate("section", &section.name.node, section.name.span, first.name.span));
                    continue;
                }
                if section.points.node > max_points() {
                    problems.push(
                        Problem::error(codes::POINTS_RANGE)
                            .arg("points", section.points.node.normalize())
                            .at(section.points.span),
                    );
                }
                let index = items.sections.len();
                let start = items.drafts.len();
                let mut groups = Vec::new();
                for group in &section.groups {
                    let first = items.drafts.len();
                    for indicator in &group.indicators {
                        items.drafts.push(draft(indicator, group.name.clone(), index, scheme, problems));
                    }
                    if let (Some(name), Some(points)) = (&group.name, &group.points) {
                        if let Some(first) = groups.iter().find(|g: &&model::Group| g.name.node == name.node) {
                            problems.push(duplicate("group", &name.node, name.span, first.name.span));
                        }
                        if points.node > max_points() {
                            problems.push(
                                Problem::error(codes::POINTS_RANGE)
                                    .arg("points", points.node.normalize())
                                    .at(points.span),
                            );
                        }
                        groups.push(model::Group {
                            name: name.clone(),
                            points: points.clone(),
                            indicators: first..items.drafts.len(),
                        });
                    }
                }
                items.sections.push(model::Section {
                    name: section.name.clone(),
                    points: section.points.clone(),
                    apart: section.apart.is_some(),
                    indicators: start..items.drafts.len(),
                    groups,
                });
            }
        }
    }
    items
}

/// Ids are unique across the project, and distinct from figure names, so
/// a name in an expression means one thing.
fn check_ids(drafts: &[Draft], figures: &[model::Figure], problems: &mut Vec<Problem>) {
    let mut figure_at: HashMap<&str, Span> = HashMap::with_capacity(figures.len());
    for f in figures {
        figure_at.entry(f.name.node.as_str()).or_insert(f.name.span);
    }
    let mut first_at: HashMap<&str, Span> = HashMap::with_capacity(drafts.len());
    for d in drafts {
        let id = &d.ast.id;
        if let Some(&first) = first_at.get(id.node.as_str()) {
            problems.push(duplicate("indicator", &id.node, id.span, first));
            continue;
        }
        first_at.insert(&id.node, id.span);
        if let Some(&figure) = figure_at.get(id.node.as_str()) {
            problems.push(duplicate("name", &id.node, id.span, figure));
        }
    }
}

/// Each derived actual resolved, its unit against its target's, and an
/// order that computes every one after those it uses (cycles refused).
fn resolve_derived(
    drafts: &[Draft],
    names: &ProjectNames,
    scheme: &model::Scheme,
    used_figures: &mut [bool],
    problems: &mut Vec<Problem>,
) -> Derived {
    let mut rules: Vec<Option<model::Expr>> = vec![None; drafts.len()];
    let mut edges: Vec<Vec<(usize, Span)>> = vec![Vec::new(); drafts.len()];
    for (i, d) in drafts.iter().enumerate() {
        let Some(expr) = d.actual else { continue };
        if let Some(Target::Level { .. }) = d.target {
            problems.push(Problem::error(codes::QUALITATIVE_DERIVED).arg("id", &d.ast.id.node).at(expr.span));
            continue;
        }
        if d.deadline.is_some() || d.checklist.is_some() {
            problems.push(Problem::error(codes::NOT_DERIVED).arg("id", &d.ast.id.node).at(expr.span));
            continue;
        }
        let mut resolver = Resolver::new(Scope::Project(names), problems);
        let resolved = resolver.number(expr);
        let (uses, figs) = (std::mem::take(&mut resolver.uses_indicators), std::mem::take(&mut resolver.uses_figures));
        for f in figs {
            used_figures[f] = true;
        }
        edges[i] = uses;
        if let (Some((resolved, dim)), Some(Target::Numeric { unit, span, .. })) = (resolved, &d.target) {
            let want = Dim::of(unit);
            if dim == Dim::Rate && want == Dim::Plain {
                // `>= 1` against a ratio: 99% would be read as 0.99 of 1.
                problems.push(Problem::error(codes::PLAIN_TARGET).arg("id", &d.ast.id.node).at(*span).at(expr.span));
            } else if let (Dim::Unit(from), Dim::Unit(to)) = (&dim, &want)
                && from != to
                && let Some(factor) = scheme.conversion(from, to)
            {
                // 万元/人次 into 元/人次 by the scheme's scale: the factor is part of the rule
                // and shows in every trace.
                let text = Ratio::canonical(factor);
                let factor = model::Expr::new(model::ExprKind::Const { value: factor, text }, expr.span);
                let converted =
                    model::ExprKind::Binary(model::BinaryOp::Multiply, Box::new(resolved), Box::new(factor));
                rules[i] = Some(model::Expr::new(converted, expr.span));
                continue;
            } else if !dim.fits(&want) {
                let ((actual_en, actual_zh), (target_en, target_zh)) = (dim.describe(), want.describe());
                problems.push(
                    Problem::error(codes::UNIT_MISMATCH)
                        .arg_in("actual", actual_en, actual_zh)
                        .arg_in("target", target_en, target_zh)
                        .at(expr.span)
                        .at(*span),
                );
            }
            rules[i] = Some(resolved);
        }
    }
    let order = order_derived(drafts, &edges, problems);
    Derived { rules, order }
}

/// Each `expect` resolved; one that fails whatever the data is refused.
fn resolve_expects(
    expects: &[&ast::Expr],
    names: &ProjectNames,
    used_figures: &mut [bool],
    problems: &mut Vec<Problem>,
) -> Vec<model::Expr> {
    let mut checked = Vec::new();
    for expr in expects {
        let mut resolver = Resolver::new(Scope::Project(names), problems);
        let resolved = resolver.condition(expr);
        let figs = std::mem::take(&mut resolver.uses_figures);
        let needs_data = !figs.is_empty() || !resolver.uses_indicators.is_empty();
        for f in figs {
            used_figures[f] = true;
        }
        if let Some(resolved) = resolved {
            if !needs_data && crate::model::expr::constant_condition(&resolved) == Some(false) {
                problems.push(Problem::error(codes::EXPECT_FAILS).at(expr.span));
            }
            checked.push(resolved);
        }
    }
    checked
}

/// The model's indicators: every draft with a target, points and a way to score.
fn indicators(
    drafts: Vec<Draft>,
    derived: Vec<Option<model::Expr>>,
    text: &str,
    scheme: &model::Scheme,
    problems: &mut Vec<Problem>,
) -> Vec<model::Indicator> {
    let mut indicators = Vec::with_capacity(drafts.len());
    for (d, derived) in drafts.into_iter().zip(derived) {
        let (Some(target), Some(points)) = (d.target, d.points) else {
            continue;
        };
        let scoring = match (&d.checklist, d.method) {
            (Some((deduct, _)), None) => Some(Scoring::Checklist { deduct: *deduct }),
            (Some(_), Some((name, _))) => {
                problems.push(
                    Problem::error(codes::CHECKLIST)
                        .arg("id", &d.ast.id.node)
                        .arg_word("why", crate::messages::Word::ChecklistMethod, &[])
                        .at(name.span),
                );
                None
            }
            // A deadline without a method of its own takes the scheme's `default by`.
            (None, None) if d.deadline.is_some() => match scheme.deadline_default {
                Some(i) => Some(Scoring::Method { method: i, args: Vec::new(), explicit: false }),
                None => {
                    problems.push(
                        Problem::error(codes::NO_DEFAULT_METHOD)
                            .arg("direction", "by")
                            .arg("id", &d.ast.id.node)
                            .at(target_span(&target)),
                    );
                    None
                }
            },
            _ => scoring(&target, d.method, d.ast, scheme, problems),
        };
        let Some(scoring) = scoring else { continue };
        indicators.push(model::Indicator {
            id: d.ast.id.clone(),
            wording: d.ast.wording.as_ref().map(|w| w.node.clone()).unwrap_or_else(|| d.ast.id.node.clone()),
            group: d.group,
            section: d.section,
            target,
            points,
            scoring,
            derived_text: derived.as_ref().map(|e| model::rule_text(text.get(e.span.range()).unwrap_or(""))),
            derived,
            renamed_from: d.renamed_from,
            deadline: d.deadline,
            checklist: d.checklist.map(|(_, items)| items).unwrap_or_default(),
        });
    }
    indicators
}

fn target_span(target: &Target) -> Span {
    match target {
        Target::Numeric { span, .. } | Target::Level { span, .. } => *span,
    }
}

fn set_once(slot: &mut Option<Spanned<String>>, value: &Spanned<String>, what: &str, problems: &mut Vec<Problem>) {
    match slot {
        Some(first) => problems.push(duplicate(what, what, value.span, first.span)),
        None => *slot = Some(value.clone()),
    }
}

fn unknown<'a>(kind: &str, name: &Name, candidates: impl IntoIterator<Item = &'a str>) -> Problem {
    let mut problem = Problem::error(codes::UNKNOWN_NAME).arg_noun("kind", kind).arg("name", &name.node);
    if let Some(s) = closest(&name.node, candidates) {
        problem = problem.arg("suggestion", s).fix(name.span, crate::syntax::written_name(s));
    }
    problem.at(name.span)
}

fn resolve_unit(unit: &ast::UnitName, span: Span, scheme: &model::Scheme, problems: &mut Vec<Problem>) -> Option<Unit> {
    match unit {
        ast::UnitName::Percent => Some(Unit::Percent),
        ast::UnitName::Per(a, b) => {
            let (a, b) = (
                resolve_unit(&ast::UnitName::Named(a.clone()), a.span, scheme, problems)?,
                resolve_unit(&ast::UnitName::Named(b.clone()), b.span, scheme, problems)?,
            );
            Some(Unit::Per { name: format!("{}/{}", a.label()?, b.label()?) })
        }
        ast::UnitName::Named(name) => match scheme.units.iter().find(|(n, _)| n.node == name.node) {
            Some((n, kind)) => Some(Unit::Named { name: n.node.clone(), kind: *kind }),
            None => {
                let mut problem = Problem::error(codes::UNKNOWN_UNIT).arg("name", &name.node);
                if let Some(s) = closest(&name.node, scheme.units.iter().map(|(n, _)| n.node.as_str())) {
                    problem = problem.arg("suggestion", s).fix(name.span, crate::syntax::written_name(s));
                }
                problems.push(problem.at(span));
                None
            }
        },
    }
}

fn draft<'a>(
    indicator: &'a ast::Indicator,
    group: Option<Name>,
    section: usize,
    scheme: &model::Scheme,
    problems: &mut Vec<Problem>,
) -> Draft<'a> {
    let mut d = Draft {
        ast: indicator,
        group,
        section,
        target: None,
        points: None,
        method: None,
        actual: None,
        renamed_from: None,
        deadline: None,
        checklist: None,
    };
    let mut target_span: Option<Span> = None;
    let mut method_span: Option<Span> = None;
    let mut actual_span: Option<Span> = None;
    for item in &indicator.items {
        match item {
            IndicatorItem::Target(t) => {
                if let Some(first) = target_span {
                    problems.push(duplicate("target", "target", t.span, first));
                    continue;
                }
                target_span = Some(t.span);
                d.target = match &t.node {
                    ast::Target::Numeric { direction, quantity } => {
                        if direction.node == Direction::Assign {
                            problems.push(Problem::error(codes::ASSIGN_DIRECTION).at(direction.span));
                        }
                        let unit = match &quantity.node.unit {
                            None => Some(Unit::None),
                            Some(u) => resolve_unit(u, quantity.span, scheme, problems),
                        };
                        unit.map(|unit| Target::Numeric {
                            direction: direction.node,
                            value: quantity.node.value,
                            unit,
                            span: quantity.span,
                        })
                    }
                    ast::Target::Deadline { date } => {
                        // On time is 0 days late: a `<=` target any method can read.
                        d.deadline = date.node;
                        date.node.map(|_| Target::Numeric {
                            direction: Direction::AtMost,
                            value: Decimal::ZERO,
                            unit: Unit::DaysLate,
                            span: t.span,
                        })
                    }
                    ast::Target::Checklist { deduct, items } => {
                        let checklist = checklist(indicator, deduct, items, problems);
                        let target = checklist.as_ref().map(|_| Target::Numeric {
                            direction: Direction::AtMost,
                            value: Decimal::ZERO,
                            unit: Unit::Missing,
                            span: t.span,
                        });
                        d.checklist = checklist;
                        target
                    }
                    ast::Target::Level { level, printed } => {
                        match scheme.levels.iter().position(|l| l.name.node == level.node) {
                            Some(i) => Some(Target::Level {
                                level: i,
                                printed: printed.as_ref().map(|p| p.node.clone()),
                                span: t.span,
                            }),
                            None => {
                                problems.push(unknown(
                                    "level",
                                    level,
                                    scheme.levels.iter().map(|l| l.name.node.as_str()),
                                ));
                                None
                            }
                        }
                    }
                };
            }
            IndicatorItem::Points(p) => match &d.points {
                Some(first) => problems.push(duplicate("points", "points", p.span, first.span)),
                None => d.points = Some(p.clone()),
            },
            IndicatorItem::Method { name, args } => {
                if let Some(first) = method_span {
                    problems.push(duplicate("method", &name.node, name.span, first));
                    continue;
                }
                method_span = Some(name.span);
                d.method = Some((name, args));
            }
            IndicatorItem::Actual(e) => {
                if let Some(first) = actual_span {
                    problems.push(duplicate("actual", "actual", e.span, first));
                    continue;
                }
                actual_span = Some(e.span);
                d.actual = Some(e);
            }
            IndicatorItem::Renamed(n) => d.renamed_from = Some(n.clone()),
        }
    }
    let missing = |item: &str| {
        Problem::error(codes::MISSING_ITEM).arg("item", item).arg("owner", &indicator.id.node).at(indicator.id.span)
    };
    if target_span.is_none() {
        problems.push(missing("target"));
    }
    match &d.points {
        Some(points) if points.node > max_points() => {
            problems.push(Problem::error(codes::POINTS_RANGE).arg("points", points.node.normalize()).at(points.span));
        }
        None => problems.push(missing("points")),
        Some(points) if points.node.is_zero() => {
            problems.push(Problem::warning(codes::ZERO_POINTS).arg("id", &indicator.id.node).at(points.span));
        }
        Some(_) => {}
    }
    d
}

/// A checklist's items, each once, and its deduction, which must be positive.
fn checklist(
    indicator: &ast::Indicator,
    deduct: &Spanned<Decimal>,
    items: &[(Name, Option<Spanned<String>>)],
    problems: &mut Vec<Problem>,
) -> Option<(Ratio, Vec<model::ChecklistItem>)> {
    let before = problems.len();
    if items.is_empty() {
        problems.push(
            Problem::error(codes::CHECKLIST)
                .arg("id", &indicator.id.node)
                .arg_word("why", crate::messages::Word::ChecklistEmpty, &[])
                .at(indicator.id.span),
        );
    }
    if deduct.node <= Decimal::ZERO {
        problems.push(
            Problem::error(codes::CHECKLIST)
                .arg("id", &indicator.id.node)
                .arg_word("why", crate::messages::Word::ChecklistDeduct, &[])
                .at(deduct.span),
        );
    }
    let mut out: Vec<model::ChecklistItem> = Vec::new();
    for (id, wording) in items {
        if let Some(first) = out.iter().find(|i| i.id.node == id.node) {
            problems.push(duplicate("checklist item", &id.node, id.span, first.id.span));
            continue;
        }
        // Data names items by id or wording: each name must point at one item.
        let text = wording.as_ref().map(|w| w.node.as_str());
        let clash = out
            .iter()
            .find(|i| i.wording == id.node || Some(i.id.node.as_str()) == text || Some(i.wording.as_str()) == text);
        if text.is_some_and(|t| t.trim().is_empty()) || clash.is_some() {
            let mut problem = Problem::error(codes::CHECKLIST)
                .arg("id", &indicator.id.node)
                .arg_word("why", crate::messages::Word::ChecklistAmbiguous, &[])
                .at(wording.as_ref().map(|w| w.span).unwrap_or(id.span));
            if let Some(first) = clash {
                problem = problem.at(first.id.span);
            }
            problems.push(problem);
            continue;
        }
        out.push(model::ChecklistItem {
            id: id.clone(),
            wording: wording.as_ref().map(|w| w.node.clone()).unwrap_or_else(|| id.node.clone()),
        });
    }
    (problems.len() == before).then(|| (Ratio::from_decimal(deduct.node), out))
}

fn scoring(
    target: &Target,
    method: Option<(&Name, &[Spanned<Decimal>])>,
    indicator: &ast::Indicator,
    scheme: &model::Scheme,
    problems: &mut Vec<Problem>,
) -> Option<Scoring> {
    match (target, method) {
        (Target::Level { .. }, None) => Some(Scoring::Level),
        (Target::Level { .. }, Some((name, _))) => {
            problems.push(Problem::error(codes::QUALITATIVE_METHOD).arg("name", &name.node).at(name.span));
            None
        }
        (Target::Numeric { .. }, Some((name, args))) => {
            let Some(i) = scheme.methods.iter().position(|m| m.name.node == name.node) else {
                problems.push(unknown_method(&name.node, name.span, &scheme.methods));
                return None;
            };
            let m = &scheme.methods[i];
            if m.params.len() != args.len() {
                problems.push(
                    Problem::error(codes::ARITY)
                        .arg("name", &name.node)
                        .arg("expected", m.params.len())
                        .arg("found", args.len())
                        .at(name.span)
                        .at(m.name.span),
                );
                return None;
            }
            Some(Scoring::Method {
                method: i,
                args: args.iter().map(|a| Ratio::from_decimal(a.node)).collect(),
                explicit: true,
            })
        }
        (Target::Numeric { direction, span, .. }, None) => {
            let slot = match direction {
                Direction::AtLeast => 0,
                Direction::AtMost => 1,
                Direction::Exactly => 2,
                Direction::Assign => return None,
            };
            match scheme.defaults[slot] {
                Some(i) => Some(Scoring::Method { method: i, args: Vec::new(), explicit: false }),
                None => {
                    problems.push(
                        Problem::error(codes::NO_DEFAULT_METHOD)
                            .arg("direction", direction.symbol())
                            .arg("id", &indicator.id.node)
                            .at(*span),
                    );
                    None
                }
            }
        }
    }
}

/// A deadline's method reads days late: it must give full points on time
/// and less when very late (a `>=` method such as `proportional` gives full
/// points for any lateness).
fn check_deadline_method(
    indicator: &model::Indicator,
    method: &model::Method,
    args: &[Ratio],
    span: Span,
    problems: &mut Vec<Problem>,
) {
    use crate::messages::Word;
    let points = Ratio::from_decimal(indicator.points.node);
    let at = |days: i128| crate::model::method::value_at(method, Ratio::from_int(days), Ratio::ZERO, points, args);
    // A century late: any real deadline method has taken points by then.
    let why = match (at(0), at(36_500)) {
        (Ok(on_time), _) if on_time != points => Some(Word::DeadlineNotFullOnTime),
        (_, Ok(late)) if late == points => Some(Word::DeadlineNeverLate),
        _ => None,
    };
    if let Some(why) = why {
        problems.push(
            Problem::error(codes::DEADLINE_METHOD)
                .arg("id", &indicator.id.node)
                .arg("method", &method.name.node)
                .arg_word("why", why, &[])
                .at(span)
                .at(method.body.span),
        );
    }
}

/// Indicator points add up to their section's; sections add up to the total.
fn check_points(
    project: &ast::Project,
    sections: &[model::Section],
    drafts: &[Draft],
    scheme: &model::Scheme,
    severity: Severity,
    problems: &mut Vec<Problem>,
) {
    let sum_problem = |code| Problem { severity, ..Problem::error(code) };
    let mut total = Decimal::ZERO;
    for section in sections {
        let mut sum = Decimal::ZERO;
        for d in &drafts[section.indicators.clone()] {
            sum = sum.checked_add(d.points.as_ref().map(|p| p.node).unwrap_or_default()).unwrap_or(Decimal::MAX);
        }
        if sum != section.points.node && section.indicators.clone().all(|i| drafts[i].points.is_some()) {
            let mut problem = sum_problem(codes::POINTS_SUM)
                .arg("section", &section.name.node)
                .arg("sum", sum.normalize())
                .arg("points", section.points.node.normalize())
                .at(section.points.span);
            for d in &drafts[section.indicators.clone()] {
                if let Some(p) = &d.points {
                    problem = problem.at(p.span);
                }
            }
            problems.push(problem);
        }
        // A group with points of its own is checked like a section.
        for group in &section.groups {
            let points = &drafts[group.indicators.clone()];
            let sum = points.iter().fold(Decimal::ZERO, |a, d| {
                a.checked_add(d.points.as_ref().map(|p| p.node).unwrap_or_default()).unwrap_or(Decimal::MAX)
            });
            if sum != group.points.node && points.iter().all(|d| d.points.is_some()) {
                let mut problem = sum_problem(codes::GROUP_POINTS_SUM)
                    .arg("group", &group.name.node)
                    .arg("sum", sum.normalize())
                    .arg("points", group.points.node.normalize())
                    .at(group.points.span);
                for p in points.iter().filter_map(|d| d.points.as_ref()) {
                    problem = problem.at(p.span);
                }
                problems.push(problem);
            }
        }
        // A section apart is not part of the scheme's total.
        if !section.apart {
            total = total.checked_add(section.points.node).unwrap_or(Decimal::MAX);
        }
    }
    if total != scheme.total.node {
        let mut problem = sum_problem(codes::TOTAL_SUM)
            .arg("project", &project.name.node)
            .arg("sum", total.normalize())
            .arg("total", scheme.total.node.normalize())
            .at(project.name.span)
            .at(scheme.total.span);
        for s in sections.iter().filter(|s| !s.apart) {
            problem = problem.at(s.points.span);
        }
        problems.push(problem);
    }
}

/// Orders derived actuals so each comes after the indicators it reads;
/// a cycle is an error that shows the whole loop.
fn order_derived(drafts: &[Draft], edges: &[Vec<(usize, Span)>], problems: &mut Vec<Problem>) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut marks = vec![Mark::New; drafts.len()];
    let mut order = Vec::new();
    for start in 0..drafts.len() {
        if marks[start] != Mark::New || drafts[start].actual.is_none() {
            continue;
        }
        // Iterative depth-first search: (node, next edge to visit).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        marks[start] = Mark::Active;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(to, span)) = edges[node].get(*next) {
                *next += 1;
                match marks[to] {
                    Mark::New => {
                        marks[to] = Mark::Active;
                        stack.push((to, 0));
                    }
                    Mark::Active => {
                        let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let mut path: Vec<&str> =
                            stack[from..].iter().map(|(n, _)| drafts[*n].ast.id.node.as_str()).collect();
                        path.push(&drafts[to].ast.id.node);
                        problems.push(Problem::error(codes::CYCLE).arg("cycle", path.join(" → ")).at(span));
                    }
                    Mark::Done => {}
                }
            } else {
                marks[node] = Mark::Done;
                if drafts[node].actual.is_some() {
                    order.push(node);
                }
                stack.pop();
            }
        }
    }
    order
}

/// A method as an indicator uses it: the method, the direction, the target,
/// the points and the arguments.
type AnalysisKey = (usize, Direction, Ratio, Ratio, Vec<Ratio>);

/// What each method analysis found, kept across the projects of one scheme:
/// a bureau's thousands of projects use a handful of targets and points.
#[derive(Default)]
pub struct Analyses {
    /// By the scheme's place in the run and the method as used.
    found: rustc_hash::FxHashMap<(usize, AnalysisKey), Option<crate::model::method::Finding>>,
}

/// Each method, as each indicator uses it, stays within 0..=points and
/// serves the indicator's direction (see [`super::method`]).
fn check_methods(
    indicators: &[model::Indicator],
    scheme: &model::Scheme,
    scheme_index: usize,
    analyses: &mut Analyses,
    problems: &mut Vec<Problem>,
) {
    let mut seen: rustc_hash::FxHashSet<AnalysisKey> = Default::default();
    for indicator in indicators {
        let (Target::Numeric { direction, value, span, .. }, Scoring::Method { method, args, .. }) =
            (&indicator.target, &indicator.scoring)
        else {
            continue;
        };
        let key = (
            *method,
            *direction,
            Ratio::from_decimal(*value),
            Ratio::from_decimal(indicator.points.node),
            args.clone(),
        );
        if seen.contains(&key) {
            continue;
        }
        let m = &scheme.methods[*method];
        let cached = (scheme_index, key.clone());
        let finding = match analyses.found.get(&cached) {
            Some(known) => known.clone(),
            None => {
                let found = crate::model::method::analyse(m, key.1, key.2, key.3, args);
                analyses.found.insert(cached, found.clone());
                found
            }
        };
        if let Some(finding) = finding {
            problems.push(super::method::problem(finding, &indicator.id.node, m, *span, key.3));
        } else if indicator.deadline.is_some() {
            check_deadline_method(indicator, m, args, *span, problems);
        }
        seen.insert(key);
    }
}

/// The most points anything may be worth: far beyond any real scheme, far
/// below where sums of points could overflow.
pub(crate) fn max_points() -> Decimal {
    Decimal::from(1_000_000_000u64)
}
