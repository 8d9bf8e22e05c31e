//! The one scoring core: a project compiled once into a plan, which `eval`,
//! `explain`, `audit`, `diff` and batch scoring all run.
//!
//! Compiling resolves what does not change from record to record: points
//! and targets as exact values, each method specialised to its indicator
//! (target, points and arguments folded in), the tenfold bounds, the
//! section points. Running the plan on one record's values computes the
//! derived actuals in dependency order, every score, its rounding, the
//! section subtotals, the total, the grade, and the warnings — or the one
//! reason the record cannot be scored. Nothing here allocates per record
//! beyond the warnings list. Refusals stay typed for the callers to put
//! into words with the places they know; a warning's words (without
//! places) are made once here, for eval and batch alike.

use crate::exact::{ArithError, Ratio};
use crate::messages::Word;
use crate::model::expr::{self, Env, Failure, Shown};
use crate::model::kernel::Kernel;
use crate::model::threshold::Fixed;
use crate::model::{self, BinaryOp, CheckedRules, Direction, ExprKind as E, Review, Scoring, Target, Unit};
use crate::span::{Span, Spanned};

/// The codes of what scoring finds. (They keep the `eval` prefix: they
/// are what evaluating reports, in `eval` and batch alike.)
pub mod codes {
    pub const DIVISION_BY_ZERO: &str = "jixiao::eval::division_by_zero";
    pub const OVERFLOW: &str = "jixiao::eval::overflow";
    pub const EXPECT_FAILED: &str = "jixiao::eval::expect_failed";
    pub const EXPECT_UNCOMPUTABLE: &str = "jixiao::eval::expect_uncomputable";
    pub const NO_GRADE: &str = "jixiao::eval::no_grade";
    pub const TENFOLD: &str = "jixiao::eval::tenfold";
    pub const NEGATIVE_DERIVED: &str = "jixiao::eval::negative_derived";
    pub const PRINTED_ACTUAL: &str = "jixiao::eval::printed_actual";
    pub const SCORE_RANGE: &str = "jixiao::eval::score_range";
}

/// The largest magnitude a 28-digit decimal holds: a derived actual beyond
/// it cannot be shown or traced, so it is refused, never scored.
const MAX_DECIMAL: Ratio = match Ratio::new_const(79_228_162_514_264_337_593_543_950_335, 1) {
    Some(r) => r,
    None => Ratio::ONE,
};

/// Whether a value is beyond what a decimal holds: a 64-bit numerator
/// never is, and is told without a wide comparison per record.
fn beyond_decimal(value: Ratio) -> bool {
    i64::try_from(value.parts().0).is_err() && value.abs().is_ok_and(|a| a > MAX_DECIMAL)
}

pub struct Plan<'a> {
    pub project: &'a model::Project,
    pub scheme: &'a model::Scheme,
    pub points: Vec<Ratio>,
    /// Each numeric indicator's target, as a method reads it.
    pub targets: Vec<Option<Shown>>,
    /// Each method-scored indicator's method, specialised to it.
    bodies: Vec<Option<model::Expr>>,
    /// The same, compiled to whole-number arithmetic where it can be;
    /// empty until [`Plan::compiled`] (worth it for many records, not one).
    kernels: Vec<Option<Kernel>>,
    /// Ten times a positive `>=` target: an actual above it is a warning.
    tenfold: Vec<Option<Ratio>>,
    /// The lowest total of each grade, bands on the rate turned into points.
    grade_mins: Vec<Option<Ratio>>,
    pub section_points: Vec<Ratio>,
    pub total_points: Ratio,
    /// Figure and indicator names, for showing formulas with their values.
    figure_names: Vec<String>,
    indicator_names: Vec<String>,
}

/// One record's values and everything scoring makes of them; reused from
/// record to record.
#[derive(Clone, Debug)]
pub struct Scratch {
    pub figures: Vec<Option<Shown>>,
    /// Each indicator's actual: reported, or derived by [`Plan::run`].
    pub values: Vec<Option<Shown>>,
    /// Each qualitative indicator's level fraction.
    pub levels: Vec<Option<Ratio>>,
    /// Each indicator's score before and after rounding; `None` when it
    /// was not scored (lenient runs only).
    pub exact: Vec<Option<Ratio>>,
    pub scores: Vec<Ratio>,
    pub sections: Vec<Ratio>,
    /// The sections counted in the total.
    pub total: Ratio,
    /// The sections counted apart from it (`apart`).
    pub apart: Ratio,
    /// The grade's position in the scheme.
    pub grade: Option<usize>,
    pub warnings: Vec<Warning>,
    /// Whether the record carries texts (a data file does, batch records
    /// do not): review rules that read them are skipped otherwise.
    pub texts: bool,
    /// Each indicator: the data gives a reason (偏差原因).
    pub explained: Vec<bool>,
    /// Each indicator: the data gives evidence (佐证).
    pub evidenced: Vec<bool>,
    /// Each deadline: the data says it was not done (未完成), which scores 0.
    pub undone: Vec<bool>,
    /// Each derived actual: what a submitted report printed for it, scored
    /// when the record lacks the figures to derive it (audits only).
    pub stand_ins: Vec<Option<Shown>>,
}

/// Legal but suspicious: reported, never a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The indicator's actual is more than ten times its `>=` target.
    Tenfold(usize),
    /// The project's expect at this position does not hold.
    ExpectFailed(usize),
    /// The project's expect at this position cannot be computed.
    ExpectUncomputable(usize, ArithError),
    /// No grade band takes the total.
    NoGrade,
    /// The scheme's review rule at `rule` asks about the indicator.
    Review { rule: usize, indicator: usize },
    /// The derived actual lacked its figures: the printed actual was scored.
    PrintedActual(usize),
}

/// Why a record cannot be scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A derived actual (`derived`) or a score could not be computed at
    /// `at`, in the indicator's rule or method.
    Arith { indicator: usize, error: ArithError, at: Span, derived: bool },
    /// A derived actual came to less than zero.
    NegativeDerived { indicator: usize, value: Ratio },
    /// A method the checker could not prove left 0..=points.
    ScoreRange { indicator: usize, score: Ratio },
    /// A derived actual reads a figure the record does not have.
    NeedsData { indicator: usize },
    /// A value binding guarantees was absent: a bug, not the data.
    Missing { indicator: usize },
}

impl<'a> Plan<'a> {
    pub fn new(rules: &'a CheckedRules, index: usize) -> Plan<'a> {
        let project = &rules.projects()[index];
        let scheme = rules.scheme_of(project);
        let points: Vec<Ratio> = project.indicators.iter().map(|i| Ratio::from_decimal(i.points.node)).collect();
        let targets: Vec<Option<Shown>> = project
            .indicators
            .iter()
            .map(|i| match &i.target {
                Target::Numeric { value, unit, .. } => {
                    Some(Shown { value: Ratio::from_decimal(*value), percent: *unit == Unit::Percent })
                }
                Target::Level { .. } => None,
            })
            .collect();
        let bodies = project
            .indicators
            .iter()
            .enumerate()
            .map(|(i, indicator)| match (&indicator.scoring, targets[i]) {
                (Scoring::Method { method, args, .. }, Some(target)) => {
                    Some(specialise(&scheme.methods[*method].body, target.value, points[i], args))
                }
                _ => None,
            })
            .collect();
        let tenfold = project
            .indicators
            .iter()
            .zip(&targets)
            .map(|(indicator, target)| match (&indicator.target, target) {
                (Target::Numeric { direction: Direction::AtLeast, .. }, Some(t)) if t.value > Ratio::ZERO => {
                    t.value.checked_mul(Ratio::from_int(10)).ok()
                }
                _ => None,
            })
            .collect();
        let section_points: Vec<Ratio> = project.sections.iter().map(|s| Ratio::from_decimal(s.points.node)).collect();
        // The checker bounds points, so their sum fits.
        let total_points = section_points
            .iter()
            .zip(&project.sections)
            .filter(|(_, s)| !s.apart)
            .fold(Ratio::ZERO, |a, (b, _)| a.checked_add(*b).unwrap_or(a));
        // A rate of 90% out of 110 points is 99 points, exactly: the checker bounds both.
        let grade_mins = scheme
            .grades
            .iter()
            .map(|g| g.min.map(|m| m.points_of(total_points).unwrap_or(Ratio::from_int(i128::from(i64::MAX)))))
            .collect();
        let figure_names = project.figures.iter().map(|f| f.name.node.clone()).collect();
        let indicator_names = project.indicators.iter().map(|i| i.id.node.clone()).collect();
        Plan {
            project,
            scheme,
            points,
            targets,
            bodies,
            kernels: Vec::new(),
            tenfold,
            grade_mins,
            section_points,
            total_points,
            figure_names,
            indicator_names,
        }
    }

    /// The plan with each method compiled to a [`Kernel`] where it can be:
    /// the same scores, faster, for a plan that runs many records (batch).
    /// A data file's one record is scored as fast without.
    pub fn compiled(mut self) -> Plan<'a> {
        self.kernels = self
            .project
            .indicators
            .iter()
            .enumerate()
            .map(|(i, indicator)| match (&indicator.scoring, self.targets[i]) {
                (Scoring::Method { method, args, .. }, Some(target)) => {
                    let fixed = Fixed { target: target.value, points: self.points[i], params: args };
                    Kernel::compile(&self.scheme.methods[*method].body, &fixed)
                }
                _ => None,
            })
            .collect();
        self
    }

    pub fn scratch(&self) -> Scratch {
        let n = self.project.indicators.len();
        Scratch {
            figures: vec![None; self.project.figures.len()],
            values: vec![None; n],
            levels: vec![None; n],
            exact: vec![None; n],
            scores: vec![Ratio::ZERO; n],
            sections: vec![Ratio::ZERO; self.project.sections.len()],
            total: Ratio::ZERO,
            apart: Ratio::ZERO,
            grade: None,
            warnings: Vec::new(),
            texts: false,
            explained: vec![false; n],
            evidenced: vec![false; n],
            undone: vec![false; n],
            stand_ins: vec![None; n],
        }
    }

    /// The names a formula shows its figures and indicators by.
    pub fn names(&self) -> expr::Names<'_> {
        expr::Names { figures: &self.figure_names, indicators: &self.indicator_names }
    }

    pub fn grade_name(&self, grade: usize) -> &str {
        self.scheme.grades.get(grade).map(|g| g.name.node.as_str()).unwrap_or("")
    }

    /// Scores the record in `s`. Strict, the first refusal stops it (after
    /// every derived actual was tried: all their refusals are returned).
    /// `lenient` (data written for another version of the rules) leaves an
    /// indicator it cannot score unscored instead.
    pub fn run(&self, s: &mut Scratch, lenient: bool) -> Result<(), Vec<Refusal>> {
        s.warnings.clear();
        self.derive(s, lenient)?;
        s.total = Ratio::ZERO;
        s.apart = Ratio::ZERO;
        let step = self.scheme.rounding.score;
        for (j, section) in self.project.sections.iter().enumerate() {
            let mut sum = Ratio::ZERO;
            for i in section.indicators.clone() {
                let Some(exact) = self.score(i, s, lenient).map_err(|r| vec![r])? else {
                    s.exact[i] = None;
                    continue;
                };
                let rounded = match step {
                    Some(step) => exact.round_to(step).map_err(|e| vec![self.arith(i, e)])?,
                    None => exact,
                };
                s.exact[i] = Some(exact);
                s.scores[i] = rounded;
                sum = sum.checked_add(rounded).map_err(|e| vec![self.arith(i, e)])?;
            }
            s.sections[j] = sum;
            let counted = if section.apart { &mut s.apart } else { &mut s.total };
            *counted = counted.checked_add(sum).map_err(|e| vec![self.arith(section.indicators.start, e)])?;
        }
        s.grade = self.grade_mins.iter().position(|m| m.is_none_or(|m| s.total >= m));
        if s.grade.is_none() && !self.scheme.grades.is_empty() {
            s.warnings.push(Warning::NoGrade);
        }
        for (k, condition) in self.project.expects.iter().enumerate() {
            let env = Env { figures: &s.figures, indicators: &s.values, ..Env::EMPTY };
            match expr::expect_holds(condition, &env) {
                Ok(true) => {}
                Ok(false) => s.warnings.push(Warning::ExpectFailed(k)),
                // A check that cannot be computed is a warning, never a refusal.
                Err(Failure::Arith(e, _)) => s.warnings.push(Warning::ExpectUncomputable(k, e)),
                // Reads a figure the data lacks: binding reports it in strict runs.
                Err(Failure::NeedsData) => {}
            }
        }
        self.review(s);
        Ok(())
    }

    /// The scheme's review rules, each asked of every scored indicator.
    fn review(&self, s: &mut Scratch) {
        for (k, rule) in self.scheme.reviews.iter().enumerate() {
            if rule.node.reads_texts() && !s.texts {
                continue;
            }
            for (i, indicator) in self.project.indicators.iter().enumerate() {
                if s.exact[i].is_none() {
                    continue;
                }
                let numeric = match (&indicator.target, self.targets[i], s.values[i]) {
                    (Target::Numeric { direction, .. }, Some(target), Some(actual)) => {
                        Some((*direction, target.value, actual.value))
                    }
                    _ => None,
                };
                let asks = match rule.node {
                    Review::Reason => s.scores[i] < self.points[i] && !s.explained[i],
                    Review::Evidence => {
                        matches!(indicator.target, Target::Level { .. })
                            && s.levels[i] == Some(Ratio::ONE)
                            && !s.evidenced[i]
                    }
                    Review::Overshoot(times) => numeric.is_some_and(|(direction, target, actual)| {
                        direction == Direction::AtLeast
                            && target > Ratio::ZERO
                            && target.checked_mul(times).is_ok_and(|limit| actual >= limit)
                    }),
                    Review::Above(limit) => {
                        indicator.unit() == Some(&Unit::Percent) && numeric.is_some_and(|(_, _, actual)| actual > limit)
                    }
                    Review::Deviation(limit) => numeric.is_some_and(|(_, target, actual)| {
                        !target.is_zero()
                            && actual
                                .checked_sub(target)
                                .and_then(|d| d.checked_div(target))
                                .and_then(Ratio::abs)
                                .is_ok_and(|d| d > limit)
                    }),
                    Review::Budget(limit) => {
                        self.project.budget == Some(i)
                            && numeric.is_some_and(|(_, _, actual)| actual < limit)
                            && !s.explained[i]
                    }
                };
                if asks {
                    s.warnings.push(Warning::Review { rule: k, indicator: i });
                }
            }
        }
    }

    /// Derived actuals, each after what it reads.
    fn derive(&self, s: &mut Scratch, lenient: bool) -> Result<(), Vec<Refusal>> {
        let mut refusals = Vec::new();
        for &i in &self.project.derived_order {
            let indicator = &self.project.indicators[i];
            let Some(rule) = &indicator.derived else { continue };
            s.values[i] = None;
            let env = Env { figures: &s.figures, indicators: &s.values, ..Env::EMPTY };
            match expr::number(rule, &env) {
                // Methods are proven for actuals of 0 and up.
                Ok(value) if value.is_negative() => refusals.push(Refusal::NegativeDerived { indicator: i, value }),
                Ok(value) if beyond_decimal(value) => refusals.push(Refusal::Arith {
                    indicator: i,
                    error: ArithError::Overflow,
                    at: rule.span,
                    derived: true,
                }),
                Ok(value) => s.values[i] = Some(Shown { value, percent: indicator.unit() == Some(&Unit::Percent) }),
                Err(Failure::Arith(error, at)) => {
                    refusals.push(Refusal::Arith { indicator: i, error, at, derived: true })
                }
                // A submission that does not state the figures: its printed actual.
                Err(Failure::NeedsData) if s.stand_ins[i].is_some() => {
                    s.values[i] = s.stand_ins[i];
                    s.warnings.push(Warning::PrintedActual(i));
                }
                // What reads a failed derived actual fails with it: say it once.
                Err(Failure::NeedsData) if lenient || !refusals.is_empty() => {}
                Err(Failure::NeedsData) => refusals.push(Refusal::NeedsData { indicator: i }),
            }
        }
        if refusals.is_empty() { Ok(()) } else { Err(refusals) }
    }

    /// One indicator's exact score; `None` when a lenient run cannot score it.
    fn score(&self, i: usize, s: &mut Scratch, lenient: bool) -> Result<Option<Ratio>, Refusal> {
        let points = self.points[i];
        // The common case first: a compiled method at a reported actual.
        if let Some(Some(kernel)) = self.kernels.get(i)
            && !s.undone[i]
            && let Some(actual) = s.values[i]
            && let Some(score) = kernel.at(actual.value)
        {
            if self.tenfold[i].is_some_and(|t| actual.value > t) {
                s.warnings.push(Warning::Tenfold(i));
            }
            if !kernel.within_points() && (score.is_negative() || score > points) {
                return Err(Refusal::ScoreRange { indicator: i, score });
            }
            return Ok(Some(score));
        }
        let indicator = &self.project.indicators[i];
        let exact = match (&indicator.scoring, self.targets[i], &self.bodies[i]) {
            // Not done by any date: no method reads it.
            (Scoring::Method { .. }, _, _) if s.undone[i] => Ratio::ZERO,
            (Scoring::Checklist { deduct }, _, _) => {
                let Some(missing) = s.values[i] else {
                    return if lenient { Ok(None) } else { Err(Refusal::Missing { indicator: i }) };
                };
                let deducted = deduct.checked_mul(missing.value).map_err(|e| self.arith(i, e))?;
                points.checked_sub(deducted).map_err(|e| self.arith(i, e))?.max(Ratio::ZERO)
            }
            (Scoring::Method { args, .. }, Some(target), Some(body)) => {
                let Some(actual) = s.values[i] else {
                    return if lenient { Ok(None) } else { Err(Refusal::Missing { indicator: i }) };
                };
                if self.tenfold[i].is_some_and(|t| actual.value > t) {
                    s.warnings.push(Warning::Tenfold(i));
                }
                // What the kernel could not take: the tree.
                let score =
                    at_actual(body, actual, || Env::method(actual, target, points, args)).map_err(|f| match f {
                        Failure::Arith(error, at) => Refusal::Arith { indicator: i, error, at, derived: false },
                        // A method reads only actual, target, points and its arguments.
                        Failure::NeedsData => Refusal::Missing { indicator: i },
                    })?;
                if score.is_negative() || score > points {
                    return Err(Refusal::ScoreRange { indicator: i, score });
                }
                score
            }
            (Scoring::Level, None, _) => {
                let Some(fraction) = s.levels[i] else {
                    return if lenient { Ok(None) } else { Err(Refusal::Missing { indicator: i }) };
                };
                points.checked_mul(fraction).map_err(|e| self.arith(i, e))?
            }
            // The checker never pairs these otherwise.
            _ => return Err(Refusal::Missing { indicator: i }),
        };
        Ok(Some(exact))
    }

    fn arith(&self, i: usize, error: ArithError) -> Refusal {
        Refusal::Arith { indicator: i, error, at: self.project.indicators[i].id.span, derived: false }
    }
}

impl Plan<'_> {
    /// A warning as a problem, without places: batch reports it by row,
    /// eval adds the places in the rules and the data.
    pub fn warning(&self, warning: Warning, s: &Scratch) -> crate::diagnostic::Problem {
        use crate::diagnostic::Problem;
        let project = self.project;
        let names = self.names();
        let env = Env { figures: &s.figures, indicators: &s.values, ..Env::EMPTY };
        let shown = |v: Option<Shown>| v.map(Shown::text).unwrap_or_default();
        match warning {
            Warning::Tenfold(i) => Problem::warning(codes::TENFOLD)
                .arg("id", &project.indicators[i].id.node)
                .arg("actual", shown(s.values[i]))
                .arg("target", shown(self.targets[i])),
            Warning::PrintedActual(i) => {
                let indicator = &project.indicators[i];
                Problem::warning(codes::PRINTED_ACTUAL)
                    .arg("id", &indicator.id.node)
                    .arg("actual", shown(s.values[i]))
                    .arg("formula", indicator.derived_text.as_deref().unwrap_or_default())
            }
            Warning::NoGrade => Problem::warning(codes::NO_GRADE).arg(
                "score",
                s.total.to_decimal(28).map(crate::exact::canonical).unwrap_or_else(|_| s.total.to_string()),
            ),
            Warning::ExpectFailed(k) => {
                let condition = &project.expects[k];
                // What the left side comes to: `(4944 - 3500) / 3500 = 41.257142…%`.
                let left = match &condition.node {
                    E::Compare(_, left, right) => {
                        let percent = matches!(&right.node, E::Const { text, .. } if text.ends_with(['%', '％']));
                        let value = expr::number(left, &env).map(|value| Shown { value, percent }.text());
                        format!("{} = {}", expr::substitute(left, &env, &names, 0), value.unwrap_or_default())
                    }
                    _ => expr::substitute(condition, &env, &names, 0),
                };
                Problem::warning(codes::EXPECT_FAILED)
                    .arg("expect", expr::substitute(condition, &env, &names, 0))
                    .arg("left", left)
            }
            Warning::Review { rule, indicator: i } => {
                let review = self.scheme.reviews[rule].node;
                let indicator = &project.indicators[i];
                let score = |r: Ratio| r.to_decimal(28).map(crate::exact::canonical).unwrap_or_else(|_| r.to_string());
                let limit = match review {
                    Review::Overshoot(k) => score(k),
                    Review::Above(x) | Review::Deviation(x) | Review::Budget(x) => {
                        Shown { value: x, percent: true }.text()
                    }
                    Review::Reason | Review::Evidence => String::new(),
                };
                let deviation = match (s.values[i], self.targets[i]) {
                    (Some(a), Some(t)) if !t.value.is_zero() => a
                        .value
                        .checked_sub(t.value)
                        .and_then(|d| d.checked_div(t.value))
                        .map(|d| {
                            let text = Shown { value: d, percent: true }.text();
                            if d > Ratio::ZERO { format!("+{text}") } else { text }
                        })
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let level = match &indicator.target {
                    Target::Level { level, .. } => {
                        self.scheme.levels.get(*level).map(|l| l.name.node.clone()).unwrap_or_default()
                    }
                    Target::Numeric { .. } => String::new(),
                };
                Problem::warning(review.code())
                    .arg("id", &indicator.id.node)
                    .arg("rule", review.text())
                    .arg("actual", shown(s.values[i]))
                    .arg("target", shown(self.targets[i]))
                    .arg("score", score(s.scores[i]))
                    .arg("points", score(self.points[i]))
                    .arg("limit", limit)
                    .arg("deviation", deviation)
                    .arg("level", level)
            }
            Warning::ExpectUncomputable(k, error) => {
                let reason = match error {
                    ArithError::DivisionByZero => Word::DividesByZero,
                    ArithError::Overflow => Word::ValueTooLarge,
                };
                Problem::warning(codes::EXPECT_UNCOMPUTABLE)
                    .arg("expect", expr::substitute(&project.expects[k], &env, &names, 0))
                    .arg_word("reason", reason, &[])
            }
        }
    }
}

impl Refusal {
    pub fn indicator(self) -> usize {
        match self {
            Refusal::Arith { indicator, .. }
            | Refusal::NegativeDerived { indicator, .. }
            | Refusal::ScoreRange { indicator, .. }
            | Refusal::NeedsData { indicator }
            | Refusal::Missing { indicator } => indicator,
        }
    }
}

/// A method specialised to one indicator: `target`, `points` and the
/// arguments replaced by their values, constant parts computed once, and
/// products and quotients of constants gathered into one factor
/// (`points * actual / target` becomes `actual * (4/3000)`). The arithmetic
/// is exact, so regrouping cannot change a score; a division by a constant
/// zero is left in place, to fail only where the original would.
pub fn specialise(expr: &model::Expr, target: Ratio, points: Ratio, params: &[Ratio]) -> model::Expr {
    let constant = |value: Ratio| E::Const { value, text: String::new() };
    let as_const = |e: &model::Expr| match e.node {
        E::Const { value, .. } => Some(value),
        _ => None,
    };
    let wrap = |node: E| Spanned::new(node, expr.span);
    let node = match &expr.node {
        E::Target => constant(target),
        E::Points => constant(points),
        E::Param(i) => match params.get(*i) {
            Some(v) => constant(*v),
            None => expr.node.clone(),
        },
        E::Negate(a) => {
            let a = specialise(a, target, points, params);
            match as_const(&a).map(Ratio::checked_neg) {
                Some(Ok(v)) => constant(v),
                _ => E::Negate(Box::new(a)),
            }
        }
        E::Binary(op, a, b) => {
            let (a, b) = (specialise(a, target, points, params), specialise(b, target, points, params));
            let folded = match (op, as_const(&a), as_const(&b)) {
                (BinaryOp::Add, Some(x), Some(y)) => x.checked_add(y).ok(),
                (BinaryOp::Subtract, Some(x), Some(y)) => x.checked_sub(y).ok(),
                (BinaryOp::Multiply, Some(x), Some(y)) => x.checked_mul(y).ok(),
                (BinaryOp::Divide, Some(x), Some(y)) if !y.is_zero() => x.checked_div(y).ok(),
                _ => None,
            };
            match folded {
                Some(v) => constant(v),
                None => regroup(*op, a, b).node,
            }
        }
        E::Compare(op, a, b) => E::Compare(
            *op,
            Box::new(specialise(a, target, points, params)),
            Box::new(specialise(b, target, points, params)),
        ),
        E::If(c, a, b) => {
            let c = specialise(c, target, points, params);
            let (a, b) = (specialise(a, target, points, params), specialise(b, target, points, params));
            // A condition on constants alone is decided here, once.
            match expr::constant_condition(&c) {
                Some(true) => return a,
                Some(false) => return b,
                None => E::If(Box::new(c), Box::new(a), Box::new(b)),
            }
        }
        E::Call(f, args) => E::Call(*f, args.iter().map(|a| specialise(a, target, points, params)).collect()),
        other => other.clone(),
    };
    wrap(node)
}

/// A specialised method body at one actual: what `expr::number` gives
/// with the method's environment, without building that environment for
/// every indicator of every record (target, points and arguments are
/// already constants in the body). A function's arguments are read the
/// same way; anything else is left to `expr::number` with the environment
/// `env` builds.
fn at_actual<'e>(e: &model::Expr, actual: Shown, env: impl Fn() -> Env<'e> + Copy) -> Result<Ratio, Failure> {
    let arith = |error: ArithError| Failure::Arith(error, e.span);
    match &e.node {
        E::Const { value, .. } => Ok(*value),
        E::Actual => Ok(actual.value),
        E::Negate(a) => at_actual(a, actual, env)?.checked_neg().map_err(arith),
        E::Binary(op, l, r) => {
            expr::arithmetic(*op, at_actual(l, actual, env)?, at_actual(r, actual, env)?).map_err(arith)
        }
        E::If(c, a, b) => {
            if holds_at_actual(c, actual, env)? {
                at_actual(a, actual, env)
            } else {
                at_actual(b, actual, env)
            }
        }
        E::Call(f, args) => super::function::exact_with(*f, args, e, |a| at_actual(a, actual, env)),
        _ => expr::number(e, &env()),
    }
}

/// Whether a condition of a specialised body holds at one actual, as
/// `expr::condition` decides it.
fn holds_at_actual<'e>(e: &model::Expr, actual: Shown, env: impl Fn() -> Env<'e> + Copy) -> Result<bool, Failure> {
    match &e.node {
        E::Compare(op, l, r) => Ok(expr::compare(*op, at_actual(l, actual, env)?, at_actual(r, actual, env)?)),
        _ => expr::condition(e, &env()),
    }
}

/// `x * c`, `c * x`, `x / c` and `(x * c) / d` as one multiplication by a
/// constant factor.
fn regroup(op: model::BinaryOp, a: model::Expr, b: model::Expr) -> model::Expr {
    use model::{BinaryOp, ExprKind as E};
    let span = a.span.to(b.span);
    let factor = |e: &model::Expr| match e.node {
        E::Const { value, .. } => Some(value),
        _ => None,
    };
    let times = |x: model::Expr, c: Ratio| {
        crate::span::Spanned::new(
            E::Binary(
                BinaryOp::Multiply,
                Box::new(x),
                Box::new(crate::span::Spanned::new(E::Const { value: c, text: String::new() }, span)),
            ),
            span,
        )
    };
    match (op, factor(&a), factor(&b)) {
        (BinaryOp::Multiply, Some(c), None) => return regroup(BinaryOp::Multiply, b, times_const(c, span)),
        (BinaryOp::Divide, None, Some(c)) if !c.is_zero() => {
            if let Ok(inverse) = Ratio::ONE.checked_div(c) {
                return regroup(BinaryOp::Multiply, a, times_const(inverse, span));
            }
        }
        (BinaryOp::Multiply, None, Some(c)) => {
            // (x * k) * c → x * (k * c)
            if let E::Binary(BinaryOp::Multiply, x, k) = &a.node
                && let Some(k) = factor(k)
                && let Ok(kc) = k.checked_mul(c)
            {
                return times((**x).clone(), kc);
            }
            return times(a, c);
        }
        _ => {}
    }
    crate::span::Spanned::new(E::Binary(op, Box::new(a), Box::new(b)), span)
}

fn times_const(c: Ratio, span: crate::span::Span) -> model::Expr {
    crate::span::Spanned::new(model::ExprKind::Const { value: c, text: String::new() }, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The specialised body read at one actual gives what the method gives
    /// with its whole environment: the same value, or the same failure.
    #[test]
    fn a_body_at_an_actual_is_the_method_in_its_environment() {
        let checked = crate::check::check_source("m.jx", crate::model::SAMPLE_METHODS);
        let rules = checked.rules.unwrap();
        let r = |n: i128, d: i128| Ratio::new(n, d).unwrap();
        let args = [r(1, 1), r(1, 2)];
        for method in &rules.schemes()[0].methods {
            for target in [r(0, 1), r(3000, 1), r(96, 100)] {
                let points = r(4, 1);
                let body = specialise(&method.body, target, points, &args);
                for actual in [r(0, 1), r(1, 3), r(2999, 1), r(3000, 1), r(97, 100), r(10_000, 1)] {
                    let shown = Shown::plain(actual);
                    let env = || Env::method(shown, Shown::plain(target), points, &args);
                    let fast = at_actual(&body, shown, env).map_err(|f| format!("{f:?}"));
                    let slow = expr::number(&method.body, &env()).map_err(|f| format!("{f:?}"));
                    assert_eq!(fast.is_ok(), slow.is_ok(), "{} at {actual}: {fast:?} {slow:?}", method.name.node);
                    if let (Ok(a), Ok(b)) = (fast, slow) {
                        assert_eq!(a, b, "{} at {actual}, target {target}", method.name.node);
                    }
                }
            }
        }
    }
}
