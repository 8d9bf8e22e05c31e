//! Model × data → evaluation, in exact arithmetic, with a trace of every step.
//!
//! The numbers come from the project's plan ([`crate::model::plan`]), the
//! one scoring core that batch scoring runs too; this module binds a data
//! file to it, and turns what the plan computed into the 自评表's figures,
//! each with its trace, and the plan's refusals and warnings into
//! diagnostics with the places in the rules and the data.

mod bind;
pub use bind::{Leniency, unknown_project};
pub mod result;

use rust_decimal::Decimal;

use crate::data::ProjectData;
use crate::data::reported::Printed;
use crate::diagnostic::Problem;
use crate::exact::{ArithError, Ratio};
use crate::model::admit::Lateness;
use crate::model::expr::{self, Env, Names, Shown};
use crate::model::plan::{self, Plan, Refusal, Scratch, Warning};
use crate::model::threshold;
use crate::model::{self, CheckedRules, Direction, ExprKind, Scoring, Target, Unit};
use crate::span::Span;
pub use plan::codes;
pub use result::*;

/// Evaluates the project `data` names against the checked rules.
pub fn evaluate(rules: &CheckedRules, data: &ProjectData) -> Result<Evaluation, Vec<Problem>> {
    evaluate_as(rules, data, Mode::Traces, &Shared::default())
}

/// Which of [`evaluate`], [`evaluate_figures`] and [`evaluate_submission`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Traces,
    Figures,
    Submission,
}

/// What evaluations against the same rules can share instead of each
/// working it out again: where a method, as an indicator uses it, gives
/// full points (the point-loss ledger's solution; a year's projects share
/// many targets). One per thread; keyed by places in one set of rules, so
/// it forgets what it holds when given other rules.
#[derive(Default)]
pub struct Shared {
    rules: std::cell::Cell<Option<u64>>,
    full_at: std::cell::RefCell<rustc_hash::FxHashMap<LossKey, Solution>>,
}

impl Shared {
    /// Ready for `rules`: emptied if it held another set's solutions.
    fn serve(&self, rules: &CheckedRules) {
        if self.rules.replace(Some(rules.identity)) != Some(rules.identity) {
            self.full_at.borrow_mut().clear();
        }
    }
}

/// Where full points are first reached, and where the printed score first
/// shows them when rounding gets there earlier.
type Solution = (Option<FullAt>, Option<Decimal>);

/// Everything a ledger line's solution depends on: the scheme (its methods
/// and its rounding), the method, the direction, target, points and
/// arguments, and whether only whole actuals can be reported.
type LossKey = (usize, usize, Direction, Ratio, Ratio, Vec<Ratio>, bool);

/// [`evaluate`], [`evaluate_figures`] or [`evaluate_submission`], as `mode`
/// says, with what earlier evaluations against the same rules found.
pub fn evaluate_as(
    rules: &CheckedRules,
    data: &ProjectData,
    mode: Mode,
    shared: &Shared,
) -> Result<Evaluation, Vec<Problem>> {
    match mode {
        Mode::Traces => evaluate_project(rules, data, false, true, shared),
        Mode::Figures => evaluate_project(rules, data, false, false, shared),
        Mode::Submission => evaluate_project(rules, data, true, true, shared),
    }
}

/// As [`evaluate`], for documents that print the figures (the 自评表, JSON,
/// Markdown, CSV, HTML, Excel): each trace keeps its exact and rounded score
/// but not its words — the rule, its inputs, the conditions passed and the
/// formula with values, a tenth of evaluating a year's projects. `explain`,
/// audits and rule tests, which print traces, use [`evaluate`].
pub fn evaluate_figures(rules: &CheckedRules, data: &ProjectData) -> Result<Evaluation, Vec<Problem>> {
    evaluate_as(rules, data, Mode::Figures, &Shared::default())
}

/// Evaluates a submitted report for an audit: as [`evaluate`], except that
/// a derived actual whose figures the submission does not state is scored
/// from the actual it printed (`[reported.indicators.X] actual`), with a
/// warning (`jixiao::eval::printed_actual`) that says so.
pub fn evaluate_submission(rules: &CheckedRules, data: &ProjectData) -> Result<Evaluation, Vec<Problem>> {
    evaluate_as(rules, data, Mode::Submission, &Shared::default())
}

fn evaluate_project(
    rules: &CheckedRules,
    data: &ProjectData,
    stand_in: bool,
    traces: bool,
    shared: &Shared,
) -> Result<Evaluation, Vec<Problem>> {
    let Some(index) = rules.find_project(&data.project.node, data.year.node) else {
        return Err(vec![bind::unknown_project(rules, data)]);
    };
    shared.serve(rules);
    let plan = Plan::new(rules, index);
    let bound = bind::bind(rules, plan.project, plan.scheme, data, None)?;
    Evaluator {
        project: plan.project,
        scheme: plan.scheme,
        plan: &plan,
        data,
        bound,
        lenient: false,
        stand_in,
        traces,
        shared,
    }
    .run()
}

/// Evaluates data written for another version of the rules, against the
/// project at `index` whatever year the data names: renamed keys follow the
/// renames, unknown ones are set aside, and indicators the data cannot
/// score are listed as unscored instead of failing.
pub fn evaluate_lenient(
    rules: &CheckedRules,
    index: usize,
    data: &ProjectData,
    leniency: &Leniency,
) -> Result<Evaluation, Vec<Problem>> {
    if rules.projects().get(index).is_none() {
        return Err(vec![bind::unknown_project(rules, data)]);
    }
    let plan = Plan::new(rules, index);
    let bound = bind::bind(rules, plan.project, plan.scheme, data, Some(leniency))?;
    let evaluator = Evaluator {
        project: plan.project,
        scheme: plan.scheme,
        plan: &plan,
        data,
        bound,
        lenient: true,
        stand_in: false,
        traces: true,
        shared: &Shared::default(),
    };
    evaluator.run()
}

struct Evaluator<'a> {
    plan: &'a Plan<'a>,
    project: &'a model::Project,
    scheme: &'a model::Scheme,
    data: &'a ProjectData,
    bound: bind::Bound,
    /// Data for another version of the rules: see [`evaluate_lenient`].
    lenient: bool,
    /// A submission's printed actuals stand in: see [`evaluate_submission`].
    stand_in: bool,
    /// Traces written out in words: see [`evaluate_figures`].
    traces: bool,
    /// What evaluations against these rules share: see [`Shared`].
    shared: &'a Shared,
}

/// What scoring one indicator gives, before it becomes a row.
struct Scored {
    target: TargetValue,
    actual: ActualValue,
    method: Option<String>,
    trace: Trace,
    deviation: Option<Decimal>,
    exact: Exact,
}

fn arith_problem(error: ArithError, rule: Span, data_spans: &[Span]) -> Problem {
    let code = match error {
        ArithError::DivisionByZero => codes::DIVISION_BY_ZERO,
        ArithError::Overflow => codes::OVERFLOW,
    };
    let mut problem = Problem::error(code).at(rule);
    for span in data_spans {
        problem = problem.at(*span);
    }
    problem
}

fn round(value: Ratio, step: Option<Ratio>, span: Span) -> Result<Ratio, Problem> {
    match step {
        Some(step) => value.round_to(step).map_err(|e| arith_problem(e, span, &[])),
        None => Ok(value),
    }
}

fn decimal(value: Ratio, span: Span) -> Result<Decimal, Problem> {
    value.to_decimal(28).map_err(|e| arith_problem(e, span, &[]))
}

impl Evaluator<'_> {
    fn run(self) -> Result<Evaluation, Vec<Problem>> {
        let names = self.plan.names();

        // The data, in the plan's places; then the plan scores it.
        let mut s = self.plan.scratch();
        s.figures.clone_from(&self.bound.figures);
        s.texts = true;
        for (i, (reason, evidence)) in self.bound.reasons.iter().zip(&self.bound.evidence).enumerate() {
            // A blank text answers nothing.
            s.explained[i] = reason.as_ref().is_some_and(|r| !r.trim().is_empty());
            s.evidenced[i] = evidence.as_ref().is_some_and(|e| !e.trim().is_empty());
        }
        for (i, actual) in self.bound.actuals.iter().enumerate() {
            match actual {
                Some(bind::Actual::Number { value, percent, .. }) => {
                    s.values[i] = Some(Shown { value: *value, percent: *percent })
                }
                Some(bind::Actual::Level { fraction, .. }) => s.levels[i] = Some(*fraction),
                Some(bind::Actual::Deadline(Lateness::Done { days_late, .. })) => {
                    s.values[i] = Some(Shown { value: Ratio::from_int(i128::from(*days_late)), percent: false })
                }
                Some(bind::Actual::Deadline(Lateness::Undone)) => s.undone[i] = true,
                Some(bind::Actual::Items(met)) => {
                    let missing = self.project.indicators[i].checklist.len().saturating_sub(met.len());
                    s.values[i] = Some(Shown { value: Ratio::from_int(missing as i128), percent: false })
                }
                None => {}
            }
        }
        if self.stand_in {
            for (i, indicator) in self.project.indicators.iter().enumerate() {
                if indicator.derived.is_none() {
                    continue;
                }
                let printed = self.data.claims.indicators.iter().find(|(id, _)| id.node == indicator.id.node);
                s.stand_ins[i] = match printed.and_then(|(_, f)| f.get("actual")).map(|p| &p.node) {
                    Some(Printed::Number(n)) => Some(Shown { value: Ratio::from_decimal(*n), percent: false }),
                    Some(Printed::Percent { value, .. }) => {
                        Some(Shown { value: Ratio::from_decimal(*value), percent: true })
                    }
                    _ => None,
                };
            }
        }
        if let Err(refusals) = self.plan.run(&mut s, self.lenient) {
            let mut problems: Vec<Problem> = refusals.into_iter().flat_map(|r| self.refusal(r)).collect();
            problems.dedup();
            return Err(problems);
        }
        let warnings: Vec<Problem> = s.warnings.iter().map(|w| self.warning(*w, &s)).collect();

        let mut sections = Vec::with_capacity(self.project.sections.len());
        let mut unscored = Vec::new();
        for (j, section) in self.project.sections.iter().enumerate() {
            let mut indicators = Vec::with_capacity(section.indicators.len());
            for i in section.indicators.clone() {
                if s.exact[i].is_none() {
                    // A lenient run could not score it.
                    unscored.push(self.project.indicators[i].id.node.clone());
                    continue;
                }
                indicators.push(self.indicator(i, &s, &names).map_err(|p| vec![p])?);
            }
            let span = section.name.span;
            let mut groups = Vec::with_capacity(section.groups.len());
            for group in &section.groups {
                let sum = s.scores[group.indicators.clone()]
                    .iter()
                    .try_fold(Ratio::ZERO, |a, b| a.checked_add(*b))
                    .map_err(|e| vec![arith_problem(e, group.name.span, &[])])?;
                groups.push(GroupResult {
                    name: group.name.node.clone(),
                    points: group.points.node.normalize(),
                    score: decimal(sum, group.name.span).map_err(|p| vec![p])?,
                });
            }
            sections.push(SectionResult {
                name: section.name.node.clone(),
                points: section.points.node.normalize(),
                apart: section.apart,
                score: decimal(s.sections[j], span).map_err(|p| vec![p])?,
                rate: self.rate(s.sections[j], self.plan.section_points[j], span).map_err(|p| vec![p])?,
                indicators,
                groups,
            });
        }
        let span = self.project.name.span;
        let budget_bases = self.budget_bases(&s.values, &names);
        Ok(Evaluation {
            project: self.project.name.node.clone(),
            year: self.project.year.node,
            organization: self.project.organization.clone(),
            scheme: self.scheme.name.node.clone(),
            total: Total {
                points: decimal(self.plan.total_points, span).map_err(|p| vec![p])?,
                score: decimal(s.total, span).map_err(|p| vec![p])?,
                rate: self.rate(s.total, self.plan.total_points, span).map_err(|p| vec![p])?,
                grade: s.grade.map(|g| self.plan.grade_name(g).to_string()),
                with_apart: match self.project.sections.iter().any(|s| s.apart) {
                    true => Some(
                        decimal(s.total.checked_add(s.apart).map_err(|e| vec![arith_problem(e, span, &[])])?, span)
                            .map_err(|p| vec![p])?,
                    ),
                    false => None,
                },
            },
            sections,
            funds: self.bound.funds.clone(),
            figures: self
                .project
                .figures
                .iter()
                .zip(&self.bound.figures)
                .filter_map(|(f, v)| {
                    let v = (*v)?;
                    Some((f.name.node.clone(), v.value.to_decimal(28).ok()?.normalize(), v.percent))
                })
                .collect(),
            budget: self.project.budget.map(|b| self.project.indicators[b].id.node.clone()),
            goal: Goal {
                target: self.project.goal.clone(),
                result: self.data.goal_result.as_ref().map(|g| g.node.clone()),
            },
            warnings,
            budget_bases,
            unscored,
            set_aside: self.bound.set_aside.clone(),
        })
    }

    /// Why the plan refused, with the places in the rules and the data.
    fn refusal(&self, refusal: Refusal) -> Vec<Problem> {
        let indicator = &self.project.indicators[refusal.indicator()];
        let span = indicator.id.span;
        let problem = match refusal {
            Refusal::Arith { error, at, derived: true, .. } => {
                let culprits = indicator.derived.as_ref().map(|rule| self.culprits(error, rule)).unwrap_or_default();
                arith_problem(error, at, &culprits)
            }
            Refusal::Arith { error, at, derived: false, .. } => {
                let target = match &indicator.target {
                    Target::Numeric { span, .. } | Target::Level { span, .. } => *span,
                };
                arith_problem(error, at, &[span, target])
            }
            Refusal::NegativeDerived { value, .. } => {
                let mut problem =
                    Problem::error(codes::NEGATIVE_DERIVED).arg("id", &indicator.id.node).arg("value", value);
                if let Some(rule) = &indicator.derived {
                    problem = problem.at(rule.span);
                    for data in self.bound.figure_spans_in(rule) {
                        problem = problem.at(data);
                    }
                }
                problem
            }
            Refusal::ScoreRange { indicator: i, score } => {
                let (method, body) = match &indicator.scoring {
                    Scoring::Method { method, .. } => {
                        let m = &self.scheme.methods[*method];
                        (m.name.node.clone(), m.body.span)
                    }
                    Scoring::Level | Scoring::Checklist { .. } => (String::new(), span),
                };
                Problem::error(codes::SCORE_RANGE)
                    .arg("id", &indicator.id.node)
                    .arg("score", score)
                    .arg("points", self.plan.points[i])
                    .arg("method", method)
                    .at(body)
                    .at(self.bound.actual_spans[i].unwrap_or(span))
            }
            Refusal::NeedsData { .. } => {
                return match &indicator.derived {
                    Some(rule) => self.bound.missing_figures(rule, self.project, self.data),
                    None => vec![Problem::error(crate::diagnostic::INTERNAL).arg("rule", "derived").at(span)],
                };
            }
            // Binding guarantees every value the plan reads.
            Refusal::Missing { .. } => Problem::error(crate::diagnostic::INTERNAL).arg("rule", "scoring").at(span),
        };
        vec![problem]
    }

    /// A warning of the plan, with its places in the rules and the data.
    fn warning(&self, warning: Warning, s: &Scratch) -> Problem {
        let problem = self.plan.warning(warning, s);
        match warning {
            Warning::Tenfold(i) => {
                let indicator = &self.project.indicators[i];
                let target_span = match &indicator.target {
                    Target::Numeric { span, .. } | Target::Level { span, .. } => *span,
                };
                problem.at(target_span).at(self.bound.actual_spans[i].unwrap_or(indicator.id.span))
            }
            Warning::NoGrade => problem.at(self.project.name.span),
            Warning::PrintedActual(i) => {
                let indicator = &self.project.indicators[i];
                let printed = self
                    .data
                    .claims
                    .indicators
                    .iter()
                    .find(|(id, _)| id.node == indicator.id.node)
                    .and_then(|(_, f)| f.get("actual"))
                    .map(|p| p.span);
                let problem = problem.at(printed.unwrap_or(indicator.id.span));
                match &indicator.derived {
                    Some(rule) => problem.at(rule.span),
                    None => problem,
                }
            }
            Warning::Review { rule, indicator: i } => {
                let indicator = &self.project.indicators[i];
                problem.at(self.scheme.reviews[rule].span).at(self.bound.actual_spans[i].unwrap_or(indicator.id.span))
            }
            Warning::ExpectFailed(k) => {
                let condition = &self.project.expects[k];
                self.bound.figure_spans_in(condition).into_iter().fold(problem.at(condition.span), Problem::at)
            }
            Warning::ExpectUncomputable(k, error) => {
                let condition = &self.project.expects[k];
                self.culprits(error, condition).into_iter().fold(problem.at(condition.span), Problem::at)
            }
        }
    }

    /// For a budget rate written `A / B`: each holding `expect A == C` (or
    /// `C == A`) with C other than B gives the rate on basis C.
    fn budget_bases(&self, values: &[Option<Shown>], names: &Names) -> Vec<BudgetBasis> {
        let Some(budget) = self.project.budget else { return Vec::new() };
        let Some(rule) = &self.project.indicators[budget].derived else { return Vec::new() };
        let ExprKind::Binary(model::BinaryOp::Divide, numerator, denominator) = &rule.node else { return Vec::new() };
        let env = Env { figures: &self.bound.figures, indicators: values, ..Env::EMPTY };
        let mut bases = Vec::new();
        for condition in &self.project.expects {
            let ExprKind::Compare(model::CompareOp::Equal, left, right) = &condition.node else { continue };
            let other = if left.node.same(&numerator.node) {
                right
            } else if right.node.same(&numerator.node) {
                left
            } else {
                continue;
            };
            if other.node.same(&denominator.node) || expr::expect_holds(condition, &env) != Ok(true) {
                continue;
            }
            let (Ok(top), Ok(basis)) = (expr::number(numerator, &env), expr::number(other, &env)) else { continue };
            let Ok(rate) = top.checked_div(basis) else { continue };
            bases.push(BudgetBasis {
                expect: expr::substitute(condition, &env, names, 0),
                basis: expr::substitute(other, &env, names, 0),
                basis_value: basis,
                rate,
                span: condition.span,
            });
        }
        bases
    }

    /// The data values behind an arithmetic failure: the zeros of a division
    /// by zero, every value read for an overflow.
    fn culprits(&self, error: ArithError, expr: &model::Expr) -> Vec<Span> {
        match error {
            ArithError::DivisionByZero => self.bound.zero_spans_in(expr),
            ArithError::Overflow => self.bound.figure_spans_in(expr),
        }
    }

    fn rate(&self, score: Ratio, points: Ratio, span: Span) -> Result<Option<Decimal>, Problem> {
        if points.is_zero() {
            return Ok(None);
        }
        let rate = score.checked_div(points).map_err(|e| arith_problem(e, span, &[]))?;
        Ok(Some(decimal(round(rate, self.scheme.rounding.rate, span)?, span)?))
    }

    /// One indicator's row of the 自评表 and its trace, from what the plan
    /// computed.
    fn indicator(&self, i: usize, s: &Scratch, names: &Names) -> Result<IndicatorResult, Problem> {
        let indicator = &self.project.indicators[i];
        let span = indicator.id.span;
        let points = self.plan.points[i];
        let reason = self.bound.reasons[i].clone();
        let internal = || Problem::error(crate::diagnostic::INTERNAL).arg("rule", "scoring").at(span);
        let exact = s.exact[i].ok_or_else(internal)?;
        let rounded = s.scores[i];
        let derivation = match &indicator.derived {
            Some(rule) if self.traces => {
                let env = Env { figures: &s.figures, indicators: &s.values, ..Env::EMPTY };
                let value = s.values[i].ok_or_else(internal)?;
                Some(Derivation {
                    rule: indicator.derived_text.clone().unwrap_or_default(),
                    substituted: expr::substitute(rule, &env, names, 0),
                    value: value.value,
                    percent: value.percent,
                })
            }
            _ => None,
        };
        let scored = match (&indicator.target, &indicator.scoring) {
            (_, Scoring::Checklist { deduct }) => {
                let Some(bind::Actual::Items(met)) = &self.bound.actuals[i] else { return Err(internal()) };
                let ids = |keep: bool| -> Vec<String> {
                    let items = indicator.checklist.iter().enumerate();
                    items.filter(|(k, _)| met.contains(k) == keep).map(|(_, c)| c.id.node.clone()).collect()
                };
                let (met, missing) = (ids(true), ids(false));
                let deduct_text = Ratio::canonical(*deduct);
                Scored {
                    target: TargetValue::Checklist {
                        items: indicator.checklist.iter().map(|c| (c.id.node.clone(), c.wording.clone())).collect(),
                        deduct: decimal(*deduct, span)?,
                    },
                    method: None,
                    trace: Trace {
                        derivation: None,
                        rule: format!("max(points - {deduct_text} × missing, 0)"),
                        chosen_by: Chosen::Checklist,
                        inputs: vec![
                            ("met".to_string(), met.join("、")),
                            ("missing".to_string(), missing.join("、")),
                            ("points".to_string(), points.to_string()),
                        ],
                        conditions: Vec::new(),
                        formula: format!("max({points} - {deduct_text} × {}, 0)", missing.len()),
                        exact,
                        rounded: decimal(rounded, span)?,
                    },
                    deviation: None,
                    exact: Exact { actual: Some(Ratio::from_int(missing.len() as i128)), deviation: None },
                    actual: ActualValue::Items { met, missing },
                }
            }
            (_, Scoring::Method { method, args, explicit }) if indicator.deadline.is_some() => {
                let (Some(bind::Actual::Deadline(lateness)), Some(deadline)) =
                    (&self.bound.actuals[i], indicator.deadline)
                else {
                    return Err(internal());
                };
                let m = &self.scheme.methods[*method];
                let by = deadline.to_string();
                let mut inputs = vec![("deadline".to_string(), by.clone())];
                let (done, days_late, conditions, formula) = match *lateness {
                    Lateness::Done { date, days_late } => {
                        let late = Shown { value: Ratio::from_int(i128::from(days_late)), percent: false };
                        let on_time = Shown { value: Ratio::ZERO, percent: false };
                        let env = Env::method(late, on_time, points, args);
                        let (conditions, formula) = expr::explain(&m.body, &env, names);
                        inputs.push(("done".to_string(), date.to_string()));
                        inputs.push(("actual".to_string(), format!("{days_late} 天")));
                        inputs.push(("target".to_string(), "<= 0 天".to_string()));
                        (Some(date.to_string()), Some(Decimal::from(days_late)), conditions, formula)
                    }
                    // Not done: 0, whatever the method.
                    Lateness::Undone => {
                        inputs.push(("done".to_string(), crate::model::admit::UNDONE[0].to_string()));
                        (None, None, Vec::new(), format!("{} → 0", crate::model::admit::UNDONE[0]))
                    }
                };
                inputs.push(("points".to_string(), points.to_string()));
                for (p, a) in m.params.iter().zip(args.iter()) {
                    inputs.push((p.node.clone(), a.to_string()));
                }
                Scored {
                    target: TargetValue::Deadline { by },
                    method: Some(m.name.node.clone()),
                    trace: Trace {
                        derivation: None,
                        rule: m.text.clone(),
                        chosen_by: if *explicit { Chosen::Named } else { Chosen::DeadlineDefault },
                        inputs,
                        conditions,
                        formula,
                        exact,
                        rounded: decimal(rounded, span)?,
                    },
                    deviation: None,
                    exact: Exact { actual: days_late.map(Ratio::from_decimal), deviation: None },
                    actual: ActualValue::Date { done, days_late },
                }
            }
            (
                Target::Numeric { direction, value: target_value, unit, .. },
                Scoring::Method { method, args, explicit },
            ) => {
                let (Some(actual), Some(target)) = (s.values[i], self.plan.targets[i]) else {
                    return Err(internal());
                };
                let m = &self.scheme.methods[*method];
                // The trace walks the method as written, on the same values.
                let env = Env::method(actual, target, points, args);
                let (conditions, formula) =
                    if self.traces { expr::explain(&m.body, &env, names) } else { Default::default() };
                let with_unit = |s: Shown| match unit.label() {
                    Some(u) if *unit != Unit::Percent => format!("{} {u}", s.text()),
                    _ => s.text(),
                };
                let mut inputs = Vec::new();
                if self.traces {
                    inputs.push(("actual".to_string(), with_unit(actual)));
                    inputs.push(("target".to_string(), format!("{} {}", direction.symbol(), with_unit(target))));
                    inputs.push(("points".to_string(), points.to_string()));
                    for (p, a) in m.params.iter().zip(args.iter()) {
                        inputs.push((p.node.clone(), a.to_string()));
                    }
                }
                let deviation = self.deviation(actual.value, target.value, span)?;
                Scored {
                    target: TargetValue::Numeric {
                        direction: *direction,
                        value: target_value.normalize(),
                        unit: unit.label().map(String::from),
                    },
                    actual: ActualValue::Number {
                        value: decimal(actual.value, span)?,
                        derived: indicator.derived.is_some(),
                        printed: match &self.bound.actuals[i] {
                            Some(bind::Actual::Number { printed, .. }) => printed.clone(),
                            _ => None,
                        },
                    },
                    method: Some(m.name.node.clone()),
                    trace: Trace {
                        derivation,
                        rule: if self.traces { m.text.clone() } else { String::new() },
                        chosen_by: if *explicit { Chosen::Named } else { Chosen::Default(*direction) },
                        inputs,
                        conditions,
                        formula,
                        exact,
                        rounded: decimal(rounded, span)?,
                    },
                    deviation: deviation.map(|(_, rounded)| rounded),
                    exact: Exact { actual: Some(actual.value), deviation: deviation.map(|(exact, _)| exact) },
                }
            }
            (Target::Level { level, printed, .. }, _) => {
                let Some(bind::Actual::Level { level: achieved, fraction }) = &self.bound.actuals[i] else {
                    return Err(Problem::error(crate::data::codes::MISSING_ACTUAL)
                        .arg("id", &indicator.id.node)
                        .at(span));
                };
                let target_level = &self.scheme.levels[*level];
                let achieved_level = &self.scheme.levels[*achieved];
                let shown_fraction = Shown { value: *fraction, percent: true };
                Scored {
                    target: TargetValue::Level { name: target_level.name.node.clone(), printed: printed.clone() },
                    actual: ActualValue::Level {
                        name: achieved_level.name.node.clone(),
                        fraction: decimal(*fraction, span)?,
                    },
                    method: None,
                    trace: Trace {
                        derivation: None,
                        rule: format!("points × {}", achieved_level.name.node),
                        chosen_by: Chosen::Level,
                        inputs: vec![
                            ("actual".to_string(), format!("{} ({})", achieved_level.name.node, shown_fraction.text())),
                            ("target".to_string(), target_level.name.node.clone()),
                            ("points".to_string(), points.to_string()),
                        ],
                        conditions: Vec::new(),
                        formula: format!("{} × {}", points, shown_fraction.text()),
                        exact,
                        rounded: decimal(rounded, span)?,
                    },
                    deviation: None,
                    exact: Exact { actual: None, deviation: None },
                }
            }
            // The checker never builds this pairing; say so rather than blame the data.
            (Target::Numeric { .. }, Scoring::Level) => {
                return Err(Problem::error(crate::diagnostic::INTERNAL).arg("rule", "scoring").at(span));
            }
        };
        let Scored { target, actual, method, mut trace, deviation, exact } = scored;
        if !self.traces {
            // Levels, checklists and deadlines write theirs cheaply: dropped
            // too, so a trace without words is never half written.
            trace = Trace {
                derivation: None,
                rule: String::new(),
                inputs: Vec::new(),
                conditions: Vec::new(),
                formula: String::new(),
                ..trace
            };
        }
        Ok(IndicatorResult {
            id: indicator.id.node.clone(),
            name: indicator.wording.clone(),
            group: indicator.group.as_ref().map(|g| g.node.clone()),
            target,
            actual,
            points: indicator.points.node.normalize(),
            method,
            score: trace.rounded,
            deviation,
            exact,
            loss: self.loss(indicator, trace.rounded),
            reason,
            evidence: self.bound.evidence[i].clone(),
            trace,
        })
    }

    /// The points an indicator lost and what would have earned them all.
    fn loss(&self, indicator: &model::Indicator, score: Decimal) -> Option<Loss> {
        let points = indicator.points.node;
        if score >= points {
            return None;
        }
        let lost = (points - score).normalize();
        // Every item of a checklist gives full points.
        if matches!(indicator.scoring, Scoring::Checklist { .. }) {
            return Some(Loss { points: lost, full_at: Some(FullAt::Actual(Decimal::ZERO)), printed_at: None });
        }
        let (Target::Numeric { direction, value, unit, .. }, Scoring::Method { method, args, .. }) =
            (&indicator.target, &indicator.scoring)
        else {
            let full = self.scheme.levels.iter().find(|l| l.fraction.contains(Ratio::ONE));
            return Some(Loss {
                points: lost,
                full_at: full.map(|l| FullAt::Level(l.name.node.clone())),
                printed_at: None,
            });
        };
        let (target, points) = (Ratio::from_decimal(*value), Ratio::from_decimal(points));
        let whole = matches!(unit, Unit::Named { kind: model::UnitKind::Count, .. });
        let key: LossKey = (self.project.scheme, *method, *direction, target, points, args.clone(), whole);
        if let Some((full_at, printed_at)) = self.shared.full_at.borrow().get(&key).cloned() {
            return Some(Loss { points: lost, full_at, printed_at });
        }
        let method = &self.scheme.methods[*method];
        let upward = *direction != Direction::AtMost;
        let fixed = threshold::Fixed { target, points, params: args };
        let pieces = threshold::Solver::new(&method.body, &fixed, upward);
        let solver = Threshold { method, direction: *direction, target, points, params: args, whole, upward, pieces };
        let full_at = solver.full_at();
        // Where the printed score reaches full points, when rounding gets there first.
        let printed_at = self.scheme.rounding.score.and_then(|step| {
            let half = step.checked_div(Ratio::from_int(2)).ok()?;
            let level = points.checked_sub(half).ok()?;
            match (solver.reach(level)?, &full_at) {
                (threshold::Reach::At(p), Some(FullAt::Actual(f))) if Ratio::from_decimal(*f) != p => {
                    p.to_decimal(28).ok()
                }
                _ => None,
            }
        });
        self.shared.full_at.borrow_mut().insert(key, (full_at.clone(), printed_at));
        Some(Loss { points: lost, full_at, printed_at })
    }

    /// (actual − target) / target; 0 when both are 0, none when only the target is.
    /// The deviation, exact and rounded as the scheme says.
    fn deviation(&self, actual: Ratio, target: Ratio, span: Span) -> Result<Option<(Ratio, Decimal)>, Problem> {
        if target.is_zero() {
            return Ok(actual.is_zero().then_some((Ratio::ZERO, Decimal::ZERO)));
        }
        let d =
            actual.checked_sub(target).and_then(|d| d.checked_div(target)).map_err(|e| arith_problem(e, span, &[]))?;
        Ok(Some((d, decimal(round(d, self.scheme.rounding.deviation, span)?, span)?)))
    }
}

/// One indicator's method as a function of the actual, solved for the
/// actual at which it reaches a score.
struct Threshold<'a> {
    method: &'a model::Method,
    direction: Direction,
    target: Ratio,
    points: Ratio,
    params: &'a [Ratio],
    /// Counts: only whole actuals can be reported.
    whole: bool,
    /// The least actual for `>=` and `==`, the greatest for `<=`.
    upward: bool,
    /// The method cut into pieces once for every level asked; `None` when
    /// it is not of that form.
    pieces: Option<threshold::Solver>,
}

impl Threshold<'_> {
    fn full_at(&self) -> Option<FullAt> {
        match self.reach(self.points) {
            Some(threshold::Reach::At(x)) => x.to_decimal(28).ok().map(FullAt::Actual),
            Some(threshold::Reach::Beyond(bound)) => {
                bound.to_decimal(28).ok().map(|bound| FullAt::Beyond { bound, above: self.upward })
            }
            Some(threshold::Reach::Never) => None,
            // Not solvable piece by piece: try the places the method can change.
            None => {
                crate::model::method::full_points_at(self.method, self.direction, self.target, self.points, self.params)
                    .and_then(|a| a.to_decimal(28).ok())
                    .map(FullAt::Actual)
            }
        }
    }

    /// Where the method reaches `level`, solved exactly, moved to a whole
    /// actual for counts, and confirmed by evaluating the method there.
    fn reach(&self, level: Ratio) -> Option<threshold::Reach> {
        let found = self.pieces.as_ref()?.reach(level)?;
        let candidate = match (found, self.whole) {
            (threshold::Reach::At(x), false) => x,
            (threshold::Reach::At(x), true) => whole_from(x, self.upward, true)?,
            (threshold::Reach::Beyond(b), true) => whole_from(b, self.upward, false)?,
            (other, _) => return Some(other),
        };
        (self.value_at(candidate)? >= level).then_some(threshold::Reach::At(candidate))
    }

    fn value_at(&self, actual: Ratio) -> Option<Ratio> {
        crate::model::method::value_at(self.method, actual, self.target, self.points, self.params).ok()
    }
}

/// The first whole number from `x` on (`upward`) or back (otherwise),
/// counting `x` itself only when `inclusive`.
fn whole_from(x: Ratio, upward: bool, inclusive: bool) -> Option<Ratio> {
    let (n, d) = (x.numer(), x.denom());
    let floor = n.div_euclid(d);
    let ceil = if n.rem_euclid(d) == 0 { floor } else { floor.checked_add(1)? };
    let whole = match (upward, inclusive) {
        (true, true) => ceil,
        (true, false) => floor.checked_add(1)?,
        (false, true) => floor,
        (false, false) => ceil.checked_sub(1)?,
    };
    (whole >= 0).then(|| Ratio::from_int(whole))
}
