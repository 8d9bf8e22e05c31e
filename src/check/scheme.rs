//! Checking a scheme: units, rounding, methods, defaults, levels, grades.

use rust_decimal::Decimal;

use crate::diagnostic::Problem;
use crate::exact::Ratio;
use crate::model::{self, Direction, LevelFraction, Rounding, UnitKind};
use crate::span::{Name, Spanned};
use crate::syntax::ast::{self, RoundWhat, SchemeItem};

use super::codes;
use super::duplicate;
use super::expr::{Resolver, Scope};
use crate::suggest::closest;

pub fn check_scheme(scheme: &ast::Scheme, text: &str, problems: &mut Vec<Problem>) -> Option<model::Scheme> {
    let before = problems.iter().filter(|p| p.is_error()).count();
    let mut total: Option<Spanned<Decimal>> = None;
    let mut rounding = Rounding::default();
    let mut units: Vec<(Name, UnitKind)> = Vec::new();
    let mut methods: Vec<model::Method> = Vec::new();
    let mut defaults_written: Vec<(Spanned<Direction>, Name)> = Vec::new();
    let mut deadline_default: Option<(crate::span::Span, Name)> = None;
    let mut levels: Vec<model::Level> = Vec::new();
    let mut grades: Vec<model::Grade> = Vec::new();
    let mut bound_spans = Vec::new();
    let mut met: Vec<Spanned<String>> = Vec::new();
    let mut scales = Vec::new();
    let mut pending_scales = Vec::new();
    let mut reviews: Vec<Spanned<model::Review>> = Vec::new();
    let mut rounds_seen: Vec<(RoundWhat, crate::span::Span)> = Vec::new();

    for item in &scheme.items {
        match item {
            SchemeItem::Total(t) => {
                if let Some(first) = &total {
                    problems.push(duplicate("total", "total", t.span, first.span));
                } else {
                    total = Some(t.clone());
                }
            }
            SchemeItem::Unit { names, kind } => {
                for name in names {
                    if name.node == "%" {
                        problems.push(Problem::error(codes::PERCENT_BUILT_IN).at(name.span));
                    } else if let Some((first, _)) = units.iter().find(|(n, _)| n.node == name.node) {
                        problems.push(duplicate("unit", &name.node, name.span, first.span));
                    } else {
                        units.push((name.clone(), kind.node));
                    }
                }
            }
            SchemeItem::Round { what, step } => {
                if let Some((_, first)) = rounds_seen.iter().find(|(w, _)| *w == what.node) {
                    problems.push(duplicate("round", round_name(what.node), what.span, *first));
                    continue;
                }
                rounds_seen.push((what.node, what.span));
                if step.node <= Decimal::ZERO {
                    problems.push(Problem::error(codes::ROUND_STEP).at(step.span));
                    continue;
                }
                let step = Some(Ratio::from_decimal(step.node));
                match what.node {
                    RoundWhat::Score => rounding.score = step,
                    RoundWhat::Rate => rounding.rate = step,
                    RoundWhat::Deviation => rounding.deviation = step,
                }
            }
            SchemeItem::Method { name, params, body } => {
                if let Some(first) = methods.iter().find(|m| m.name.node == name.node) {
                    problems.push(duplicate("method", &name.node, name.span, first.name.span));
                    continue;
                }
                for (i, p) in params.iter().enumerate() {
                    if let Some(first) = params[..i].iter().find(|q| q.node == p.node) {
                        problems.push(duplicate("parameter", &p.node, p.span, first.span));
                    }
                }
                let mut resolver = Resolver::new(Scope::Method { params }, problems);
                if let Some((body, _)) = resolver.number(body) {
                    let text = model::rule_text(text.get(body.span.range()).unwrap_or(""));
                    methods.push(model::Method { name: name.clone(), params: params.clone(), body, text });
                }
            }
            SchemeItem::Default { direction, method } => defaults_written.push((direction.clone(), method.clone())),
            SchemeItem::Level { name, fraction, printed } => {
                if let Some(first) = levels.iter().find(|l| l.name.node == name.node) {
                    problems.push(duplicate("level", &name.node, name.span, first.name.span));
                    continue;
                }
                let fraction = match fraction {
                    ast::LevelFraction::Fixed(q) => {
                        check_fraction(q, problems);
                        LevelFraction::Fixed(Ratio::from_decimal(q.node.value))
                    }
                    ast::LevelFraction::Range { low, low_closed, high, high_closed } => {
                        check_fraction(low, problems);
                        check_fraction(high, problems);
                        if low.node.value > high.node.value
                            || (low.node.value == high.node.value && !(*low_closed && *high_closed))
                        {
                            problems.push(Problem::error(codes::LEVEL_RANGE).at(low.span.to(high.span)));
                        }
                        LevelFraction::Range {
                            low: Ratio::from_decimal(low.node.value),
                            low_closed: *low_closed,
                            high: Ratio::from_decimal(high.node.value),
                            high_closed: *high_closed,
                        }
                    }
                };
                levels.push(model::Level {
                    name: name.clone(),
                    fraction,
                    printed: printed.iter().map(|p| p.node.clone()).collect(),
                });
            }
            SchemeItem::Scale { from, to } => pending_scales.push((from, to)),
            SchemeItem::DeadlineDefault { by, method } => match &deadline_default {
                Some((first, _)) => problems.push(duplicate("default", "by", *by, *first)),
                None => deadline_default = Some((*by, method.clone())),
            },
            // The scheme's tests are checked with every other test (`check::tests`).
            SchemeItem::Test(_) => {}
            SchemeItem::Review(review) => {
                let r = |d: Decimal| Ratio::from_decimal(d);
                let (rule, sensible) = match review.node {
                    ast::Review::Reason => (model::Review::Reason, true),
                    ast::Review::Evidence => (model::Review::Evidence, true),
                    ast::Review::Overshoot(k) => (model::Review::Overshoot(r(k)), k > Decimal::ONE),
                    ast::Review::Above(x) => (model::Review::Above(r(x)), x > Decimal::ZERO),
                    ast::Review::Deviation(x) => (model::Review::Deviation(r(x)), x > Decimal::ZERO),
                    ast::Review::Budget(x) => (model::Review::Budget(r(x)), x > Decimal::ZERO && x <= Decimal::ONE),
                };
                let same_kind = |a: &model::Review| std::mem::discriminant(a) == std::mem::discriminant(&rule);
                if let Some(first) = reviews.iter().find(|f| same_kind(&f.node)) {
                    problems.push(duplicate("review", &rule.text(), review.span, first.span));
                } else if !sensible {
                    problems.push(Problem::error(codes::REVIEW).at(review.span));
                } else {
                    reviews.push(Spanned::new(rule, review.span));
                }
            }
            SchemeItem::Met(words) => {
                for word in words {
                    match met.iter().find(|w: &&Spanned<String>| w.node == word.node) {
                        Some(first) => problems.push(duplicate("name", &word.node, word.span, first.span)),
                        None => met.push(word.clone()),
                    }
                }
            }
            SchemeItem::Grade { name, min } => {
                if let Some(first) = grades.iter().find(|g| g.name.node == name.node) {
                    problems.push(duplicate("grade", &name.node, name.span, first.name.span));
                    continue;
                }
                if let Some(last) = grades.last()
                    && last.min.is_none()
                {
                    problems.push(
                        Problem::error(codes::GRADE_ORDER).arg("name", &name.node).at(name.span).at(last.name.span),
                    );
                }
                let min = match min {
                    Some(ast::GradeBound { direction, value, percent }) => {
                        if direction.node != Direction::AtLeast {
                            problems.push(Problem::error(codes::GRADE_DIRECTION).at(direction.span));
                        }
                        let ratio = Ratio::from_decimal(value.node);
                        let bound = if *percent { model::Bound::Rate(ratio) } else { model::Bound::Points(ratio) };
                        match grades.iter().rev().find_map(|g| g.min.map(|m| (g, m))) {
                            // One scale for every band: a rate and a total cannot be ordered.
                            Some((first, previous))
                                if matches!(previous, model::Bound::Rate(_))
                                    != matches!(bound, model::Bound::Rate(_)) =>
                            {
                                problems.push(Problem::error(codes::GRADE_MIXED).at(value.span).at(first.name.span));
                            }
                            Some((previous, model::Bound::Points(p) | model::Bound::Rate(p))) if ratio >= p => {
                                problems.push(
                                    Problem::error(codes::GRADE_ORDER)
                                        .arg("name", &name.node)
                                        .at(value.span)
                                        .at(previous.name.span),
                                );
                            }
                            _ => {}
                        }
                        bound_spans.push(value.span);
                        Some(bound)
                    }
                    None => None,
                };
                grades.push(model::Grade { name: name.clone(), min });
            }
        }
    }

    let mut defaults = [None; 3];
    let mut default_spans: [Option<crate::span::Span>; 3] = [None; 3];
    for (direction, method) in &defaults_written {
        let slot = match direction.node {
            Direction::AtLeast => 0,
            Direction::AtMost => 1,
            Direction::Exactly => 2,
            Direction::Assign => {
                problems.push(Problem::error(codes::ASSIGN_DIRECTION).at(direction.span));
                continue;
            }
        };
        if let Some(first) = default_spans[slot] {
            problems.push(duplicate("default", direction.node.symbol(), direction.span, first));
            continue;
        }
        default_spans[slot] = Some(direction.span);
        match methods.iter().position(|m| m.name.node == method.node) {
            Some(i) => defaults[slot] = Some(i),
            None => problems.push(unknown_method(&method.node, method.span, &methods)),
        }
        if let Some(i) = defaults[slot]
            && !methods[i].params.is_empty()
        {
            problems.push(
                Problem::error(codes::DEFAULT_WITH_PARAMS)
                    .arg("name", &method.node)
                    .at(method.span)
                    .at(methods[i].name.span),
            );
        }
    }

    let deadline_default = deadline_default.and_then(|(_, method)| {
        let Some(i) = methods.iter().position(|m| m.name.node == method.node) else {
            problems.push(unknown_method(&method.node, method.span, &methods));
            return None;
        };
        if !methods[i].params.is_empty() {
            problems.push(
                Problem::error(codes::DEFAULT_WITH_PARAMS)
                    .arg("name", &method.node)
                    .at(method.span)
                    .at(methods[i].name.span),
            );
        }
        Some(i)
    });

    if let Some(t) = &total
        && t.node > super::project::max_points()
    {
        problems.push(Problem::error(codes::POINTS_RANGE).arg("points", t.node.normalize()).at(t.span));
    }
    let Some(total) = total else {
        problems.push(
            Problem::error(codes::MISSING_ITEM)
                .arg("item", "total")
                .arg("owner", &scheme.name.node)
                .at(scheme.name.span),
        );
        return None;
    };
    // Scales after every unit is known, wherever they were written.
    for (from, to) in pending_scales {
        // A declared unit's name and kind; `%` and units per unit do not scale.
        let unit = |q: &Spanned<ast::Quantity>| match &q.node.unit {
            Some(ast::UnitName::Named(n)) => {
                units.iter().find(|(u, _): &&(Name, UnitKind)| u.node == n.node).map(|(_, k)| (n.node.clone(), *k))
            }
            _ => None,
        };
        match (unit(from), unit(to)) {
            (Some((a, ka)), Some((b, kb)))
                if ka == kb && a != b && from.node.value > Decimal::ZERO && to.node.value > Decimal::ZERO =>
            {
                let factor = Ratio::from_decimal(to.node.value).checked_div(Ratio::from_decimal(from.node.value));
                if let Ok(factor) = factor {
                    scales.push(model::Scale { from: a, to: b, factor });
                }
            }
            _ => problems.push(Problem::error(codes::SCALE).at(from.span).at(to.span)),
        }
    }
    // Bands in points mean a total of 100: 96 of 110 is not 优秀 at 90.
    let on_points = grades.iter().any(|g| matches!(g.min, Some(model::Bound::Points(_))));
    if on_points
        && total.node != Decimal::ONE_HUNDRED
        && let Some(first) = bound_spans.first()
    {
        problems
            .push(Problem::warning(codes::GRADE_POINTS).arg("total", total.node.normalize()).at(*first).at(total.span));
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    if errors > before {
        return None;
    }
    let met = met.into_iter().map(|w| w.node).collect();
    Some(model::Scheme {
        name: scheme.name.clone(),
        total,
        rounding,
        units,
        methods,
        defaults,
        deadline_default,
        levels,
        grades,
        met,
        scales,
        reviews,
    })
}

fn round_name(what: RoundWhat) -> &'static str {
    match what {
        RoundWhat::Score => "score",
        RoundWhat::Rate => "rate",
        RoundWhat::Deviation => "deviation",
    }
}

fn check_fraction(q: &Spanned<ast::Quantity>, problems: &mut Vec<Problem>) {
    let in_range = q.node.value >= Decimal::ZERO && q.node.value <= Decimal::ONE;
    if !matches!(q.node.unit, Some(ast::UnitName::Percent)) || !in_range {
        problems.push(Problem::error(codes::LEVEL_FRACTION).at(q.span));
    }
}

pub fn unknown_method(name: &str, span: crate::span::Span, methods: &[model::Method]) -> Problem {
    let mut problem = Problem::error(codes::UNKNOWN_NAME).arg_noun("kind", "method").arg("name", name);
    if let Some(s) = closest(name, methods.iter().map(|m| m.name.node.as_str())) {
        problem = problem.arg("suggestion", s).fix(span, crate::syntax::written_name(s));
    }
    problem.at(span)
}
