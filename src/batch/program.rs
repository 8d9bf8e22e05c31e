//! A project compiled for scoring many records: input columns resolved to
//! positions, constants converted once, and a scratch space reused from one
//! record to the next, so the loop neither allocates nor looks up a name.
//!
//! Scoring uses the same evaluator and rounding as `eval`, so every record
//! scores exactly as the single-project evaluation would.

use crate::data::{self, Number};
use crate::diagnostic::Problem;
use crate::eval::expr::{self, Env, Failure, Shown};
use crate::exact::{ArithError, Ratio};
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
        let targets = project
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
        Program { project, scheme, columns, points, targets, total_points }
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
        let text = text.trim();
        match column.slot {
            Slot::Figure(i) => {
                let unit = &self.project.figures[i].unit;
                scratch.figures[i] = Some(number(text, unit).map_err(refuse)?);
            }
            Slot::Actual(i) => match &self.project.indicators[i].target {
                Target::Numeric { unit, .. } => scratch.values[i] = Some(number(text, unit).map_err(refuse)?),
                Target::Level { .. } => {
                    // `达成`, or a level that is a range with its fraction: `部分达成 70%`.
                    let (name, fraction) = match text.rsplit_once(char::is_whitespace) {
                        Some((name, f)) if f.ends_with(['%', '％']) => {
                            let n = data::number_text(f).ok_or_else(|| refuse(not_a_number(f)))?;
                            (name.trim(), Some(Ratio::from_decimal(n.value)))
                        }
                        _ => (text, None),
                    };
                    let (_, f) = crate::eval::admit_level(name, fraction, self.scheme).map_err(refuse)?;
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
            let percent = self.project.indicators[i].unit() == Some(&Unit::Percent);
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
                    let body = &self.scheme.methods[*method].body;
                    let tenfold = target.value.checked_mul(Ratio::from_int(10)).ok();
                    if let (Some(a), Some(t), Target::Numeric { direction: model::Direction::AtLeast, .. }) =
                        (actual, tenfold, &indicator.target)
                        && target.value > Ratio::ZERO
                        && a.value > t
                    {
                        scratch.warnings += 1;
                    }
                    expr::number(body, &env).map_err(|f| match f {
                        Failure::Arith(e, _) => arith(e),
                        Failure::NeedsData => arith(ArithError::Overflow),
                    })?
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
            if crate::eval::expect_holds(condition, &env) == Ok(false) {
                scratch.warnings += 1;
            }
        }
        let grade = self.scheme.grades.iter().position(|g| g.min.is_none_or(|m| total >= m));
        Ok(Scored { total, grade })
    }
}

fn not_a_number(text: &str) -> Problem {
    Problem::error(data::codes::NOT_A_NUMBER).arg("found", format!("\"{text}\""))
}

fn number(text: &str, unit: &Unit) -> Result<Shown, Problem> {
    let parsed: Number = data::number_text(text).ok_or_else(|| not_a_number(text))?;
    crate::eval::admit(parsed, unit)
}
