//! A project compiled for scoring many records: input columns resolved to
//! positions, constants converted once, and a scratch space reused from one
//! record to the next, so the loop neither allocates nor looks up a name.
//!
//! Scoring uses the same evaluator and rounding as `eval`, so every record
//! scores exactly as the single-project evaluation would.

use crate::data::{self, Number};
use crate::diagnostic::Problem;
use crate::exact::{ArithError, Ratio};
use crate::model::expr::{self, Env, Failure, Shown};
use crate::model::{self, CheckedRules, Scoring, Target, Unit};

/// What a column of the input feeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A figure (raw input of a derived actual or an expect).
    Figure(usize),
    /// A reported actual.
    Actual(usize),
}

/// A column the records must have.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub slot: Slot,
}

pub struct Program<'a> {
    pub project: &'a model::Project,
    scheme: &'a model::Scheme,
    pub columns: Vec<Column>,
    points: Vec<Ratio>,
    targets: Vec<Option<Shown>>,
    /// Each indicator's method, specialised to its target, points and arguments.
    bodies: Vec<Option<model::Expr>>,
    /// Ten times a positive `>=` target: an actual above it is a warning.
    tenfold: Vec<Option<Ratio>>,
    total_points: Ratio,
}

/// The working memory of one worker, reused for every record.
pub struct Scratch {
    figures: Vec<Option<Shown>>,
    values: Vec<Option<Shown>>,
    levels: Vec<Option<Ratio>>,
    /// The rounded score of each indicator, in the project's order.
    pub scores: Vec<Ratio>,
    /// Failing expects and tenfold actuals seen: counted, never refused.
    pub warnings: usize,
}

/// A record's result.
pub struct Scored {
    pub total: Ratio,
    pub grade: Option<usize>,
}

/// Why a record was refused: the column and the problem (without a span:
/// the caller adds the row).
pub struct Refusal {
    pub column: Option<String>,
    pub problem: Problem,
}

impl<'a> Program<'a> {
    pub fn new(rules: &'a CheckedRules, index: usize) -> Program<'a> {
        let project = &rules.projects()[index];
        let scheme = rules.scheme_of(project);
        let mut columns = Vec::new();
        for (i, indicator) in project.indicators.iter().enumerate() {
            if indicator.derived.is_none() {
                columns.push(Column { name: indicator.id.node.clone(), slot: Slot::Actual(i) });
            }
        }
        for (i, figure) in project.figures.iter().enumerate() {
            columns.push(Column { name: figure.name.node.clone(), slot: Slot::Figure(i) });
        }
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
        let total_points = project
            .sections
            .iter()
            .map(|s| Ratio::from_decimal(s.points.node))
            .fold(Ratio::ZERO, |a, b| a.checked_add(b).unwrap_or(a));
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
                (Target::Numeric { direction: model::Direction::AtLeast, .. }, Some(t)) if t.value > Ratio::ZERO => {
                    t.value.checked_mul(Ratio::from_int(10)).ok()
                }
                _ => None,
            })
            .collect();
        Program { project, scheme, columns, points, targets, bodies, tenfold, total_points }
    }

    pub fn scratch(&self) -> Scratch {
        let n = self.project.indicators.len();
        Scratch {
            figures: vec![None; self.project.figures.len()],
            values: vec![None; n],
            levels: vec![None; n],
            scores: vec![Ratio::ZERO; n],
            warnings: 0,
        }
    }

    pub fn grade_name(&self, grade: usize) -> &str {
        self.scheme.grades.get(grade).map(|g| g.name.node.as_str()).unwrap_or("")
    }

    pub fn total_points(&self) -> Ratio {
        self.total_points
    }

    /// Reads one cell into the scratch space.
    pub fn read(&self, column: &Column, text: &str, scratch: &mut Scratch) -> Result<(), Refusal> {
        let refuse = |problem: Problem| Refusal { column: Some(column.name.clone()), problem };
        let text = text.trim_ascii();
        match column.slot {
            Slot::Figure(i) => {
                let unit = &self.project.figures[i].unit;
                scratch.figures[i] = Some(number(text, unit, &column.name).map_err(refuse)?);
            }
            Slot::Actual(i) => match &self.project.indicators[i].target {
                Target::Numeric { unit, .. } => {
                    scratch.values[i] = Some(number(text, unit, &column.name).map_err(refuse)?)
                }
                Target::Level { .. } => {
                    // `达成`, or a level that is a range with its fraction: `部分达成 70%`.
                    let (name, fraction) = match text.rsplit_once(char::is_whitespace) {
                        Some((name, f)) if f.ends_with(['%', '％']) => {
                            let n = data::number_text(f).ok_or_else(|| refuse(not_a_number(f)))?;
                            (name.trim(), Some(Ratio::from_decimal(n.value)))
                        }
                        _ => (text, None),
                    };
                    let (_, f) = crate::model::admit::admit_level(name, fraction, self.scheme).map_err(refuse)?;
                    scratch.levels[i] = Some(f);
                }
            },
        }
        Ok(())
    }

    /// Scores the record read into `scratch`.
    pub fn score(&self, scratch: &mut Scratch) -> Result<Scored, Refusal> {
        let arith = |e: ArithError| {
            let code = match e {
                ArithError::DivisionByZero => crate::eval::codes::DIVISION_BY_ZERO,
                ArithError::Overflow => crate::eval::codes::OVERFLOW,
            };
            Refusal { column: None, problem: Problem::error(code) }
        };
        for &i in &self.project.derived_order {
            let Some(rule) = &self.project.indicators[i].derived else { continue };
            let env = Env { figures: &scratch.figures, indicators: &scratch.values, ..Env::EMPTY };
            let value = expr::number(rule, &env).map_err(|f| match f {
                Failure::Arith(e, _) => arith(e),
                Failure::NeedsData => arith(ArithError::Overflow),
            })?;
            let unit = self.project.indicators[i].unit();
            if value.is_negative() {
                let problem = Problem::error(crate::eval::codes::NEGATIVE_DERIVED)
                    .arg("id", &self.project.indicators[i].id.node)
                    .arg("value", value);
                return Err(Refusal { column: None, problem });
            }
            let percent = unit == Some(&Unit::Percent);
            scratch.values[i] = Some(Shown { value, percent });
        }
        let step = self.scheme.rounding.score;
        let mut total = Ratio::ZERO;
        for (i, indicator) in self.project.indicators.iter().enumerate() {
            let points = self.points[i];
            let exact = match (&indicator.scoring, self.targets[i]) {
                (Scoring::Method { method, args, .. }, Some(target)) => {
                    let actual = scratch.values[i];
                    let env = Env { actual, target: Some(target), points: Some(points), params: args, ..Env::EMPTY };
                    // The specialised body, built for every method-scored indicator.
                    let body = self.bodies[i].as_ref().unwrap_or(&self.scheme.methods[*method].body);
                    if let (Some(a), Some(t)) = (actual, self.tenfold[i])
                        && a.value > t
                    {
                        scratch.warnings += 1;
                    }
                    let score = expr::number(body, &env).map_err(|f| match f {
                        Failure::Arith(e, _) => arith(e),
                        Failure::NeedsData => arith(ArithError::Overflow),
                    })?;
                    if score.is_negative() || score > points {
                        let problem = Problem::error(crate::eval::codes::SCORE_RANGE)
                            .arg("id", &indicator.id.node)
                            .arg("score", score)
                            .arg("points", points)
                            .arg("method", &self.scheme.methods[*method].name.node);
                        return Err(Refusal { column: None, problem });
                    }
                    score
                }
                _ => {
                    let fraction = scratch.levels[i].unwrap_or(Ratio::ZERO);
                    points.checked_mul(fraction).map_err(arith)?
                }
            };
            let rounded = match step {
                Some(step) => exact.round_to(step).map_err(arith)?,
                None => exact,
            };
            scratch.scores[i] = rounded;
            total = total.checked_add(rounded).map_err(arith)?;
        }
        for condition in &self.project.expects {
            let env = Env { figures: &scratch.figures, indicators: &scratch.values, ..Env::EMPTY };
            if crate::model::expr::expect_holds(condition, &env) == Ok(false) {
                scratch.warnings += 1;
            }
        }
        let grade = self.scheme.grades.iter().position(|g| g.min.is_none_or(|m| total >= m));
        Ok(Scored { total, grade })
    }
}

fn not_a_number(text: &str) -> Problem {
    data::why_not_a_number(text, format!("\"{text}\""))
}

fn number(text: &str, unit: &Unit, name: &str) -> Result<Shown, Problem> {
    // The common cell, a plain decimal or percent, without a Decimal between.
    let (body, percent) = match text.strip_suffix('%') {
        Some(body) => (body.trim_ascii_end(), true),
        None => (text, false),
    };
    if let Some(value) = Ratio::parse_plain(body) {
        let value =
            if percent { value.checked_div(Ratio::from_int(100)).map_err(|_| not_a_number(text))? } else { value };
        return crate::model::admit::admit_ratio(value, percent, unit, name);
    }
    let parsed: Number = data::number_text(text).ok_or_else(|| not_a_number(text))?;
    crate::model::admit::admit(parsed, unit, name)
}

/// A method specialised to one indicator: `target`, `points` and the
/// arguments replaced by their values, constant parts computed once, and
/// products and quotients of constants gathered into one factor
/// (`points * actual / target` becomes `actual * (4/3000)`). The arithmetic
/// is exact, so regrouping cannot change a score; a division by a constant
/// zero is left in place, to fail only where the original would.
pub(crate) fn specialise(expr: &model::Expr, target: Ratio, points: Ratio, params: &[Ratio]) -> model::Expr {
    use model::{BinaryOp, ExprKind as E};
    let constant = |value: Ratio| E::Const { value, text: String::new() };
    let as_const = |e: &model::Expr| match e.node {
        E::Const { value, .. } => Some(value),
        _ => None,
    };
    let wrap = |node: E| crate::span::Spanned::new(node, expr.span);
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
            match crate::model::expr::constant_condition(&c) {
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
