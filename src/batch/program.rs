//! A project's plan fed from batch columns: each input column resolved to
//! the figure or actual it fills, cells read straight into the plan's
//! scratch space, so the loop neither allocates nor looks up a name.
//! Scoring is the plan's, the same as `eval`'s.

use crate::data::{self, Number};
use crate::diagnostic::Problem;
use crate::exact::{ArithError, Ratio};
use crate::model::expr::Shown;
use crate::model::plan::{self, Plan, Refusal as PlanRefusal, Warning};
use crate::model::{CheckedRules, Target, Unit, UnitKind};

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
    /// How a plain number in it is taken without the general path, when
    /// nothing else (a date, a list, a word for "met") can stand there.
    plain: Option<Plain>,
}

/// What the unit asks of a plain number: a percent or not, and a whole
/// number (a count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Plain {
    percent: bool,
    whole: bool,
}

impl Plain {
    fn of(unit: &Unit) -> Option<Plain> {
        match unit {
            Unit::Percent => Some(Plain { percent: true, whole: false }),
            Unit::None | Unit::Per { .. } => Some(Plain { percent: false, whole: false }),
            Unit::Named { kind, .. } => Some(Plain { percent: false, whole: *kind == UnitKind::Count }),
            Unit::DaysLate | Unit::Missing => None,
        }
    }

    /// The common cell: digits with at most one point between them, and
    /// `%` when the unit is a percent, read in one pass into the value
    /// [`number`] gives. `None` for anything else — a sign, a space, a
    /// unit, a fraction for a count — which the general path reads or refuses.
    fn read(self, text: &str) -> Option<Shown> {
        let bytes = text.as_bytes();
        let digits = if self.percent { bytes.strip_suffix(b"%")? } else { bytes };
        // 18 characters at most: 18 digits fit 64 bits.
        if digits.is_empty() || digits.len() > 18 {
            return None;
        }
        let (mut num, mut point) = (0i64, None);
        for (k, &b) in digits.iter().enumerate() {
            let digit = b.wrapping_sub(b'0');
            if digit < 10 {
                num = num * 10 + i64::from(digit);
            } else if b == b'.' && point.is_none() && k > 0 {
                point = Some(k);
            } else {
                return None;
            }
        }
        let places = match point {
            None => 0,
            Some(k) if k + 1 < digits.len() && !self.whole => digits.len() - k - 1,
            Some(_) => return None,
        };
        // A digit before the point: 16 places at most, and 10^16 × 100 fits.
        let den = POWERS_OF_TEN[places] * if self.percent { 100 } else { 1 };
        Some(Shown { value: Ratio::new_const(i128::from(num), i128::from(den))?, percent: self.percent })
    }
}

/// 10^k for k up to 16: a plain number's places.
const POWERS_OF_TEN: [i64; 17] = {
    let mut powers = [1i64; 17];
    let mut k = 1;
    while k < 17 {
        powers[k] = powers[k - 1] * 10;
        k += 1;
    }
    powers
};

pub struct Program<'a> {
    pub plan: Plan<'a>,
    pub project: &'a crate::model::Project,
    pub columns: Vec<Column>,
    /// Whether a word the scheme says means "met" reads as a number: then
    /// a cell must be compared with those words before it is read as one.
    met_is_number: bool,
}

/// The working memory of one worker, reused for every record.
pub struct Scratch {
    pub plan: plan::Scratch,
    /// Warnings seen over all records: counted, never refused.
    pub warnings: usize,
}

/// A record's result.
pub struct Scored {
    pub total: Ratio,
    pub grade: Option<usize>,
    /// The total with sections counted apart added back.
    pub with_apart: Ratio,
}

/// Why a record was refused: the column and the problem (without a span:
/// the caller adds the row).
pub struct Refusal {
    pub column: Option<String>,
    pub problem: Problem,
}

impl<'a> Program<'a> {
    pub fn new(rules: &'a CheckedRules, index: usize) -> Program<'a> {
        let plan = Plan::new(rules, index).compiled();
        let project = plan.project;
        let met_is_number = plan.scheme.met.iter().any(|w| plain_number(w.trim_ascii()).is_some());
        let mut columns = Vec::new();
        for (i, indicator) in project.indicators.iter().enumerate() {
            if indicator.derived.is_none() {
                let plain = match &indicator.target {
                    Target::Numeric { unit, .. }
                        if indicator.deadline.is_none() && indicator.checklist.is_empty() && !met_is_number =>
                    {
                        Plain::of(unit)
                    }
                    _ => None,
                };
                columns.push(Column { name: indicator.id.node.clone(), slot: Slot::Actual(i), plain });
            }
        }
        for (i, figure) in project.figures.iter().enumerate() {
            let plain = Plain::of(&figure.unit);
            columns.push(Column { name: figure.name.node.clone(), slot: Slot::Figure(i), plain });
        }
        Program { plan, project, columns, met_is_number }
    }

    pub fn scratch(&self) -> Scratch {
        Scratch { plan: self.plan.scratch(), warnings: 0 }
    }

    pub fn grade_name(&self, grade: usize) -> &str {
        self.plan.grade_name(grade)
    }

    pub fn total_points(&self) -> Ratio {
        self.plan.total_points
    }

    /// Reads a cell that is a plain number for its column's unit, as
    /// [`Program::read`] would; false, with nothing read, for any other.
    #[inline]
    pub fn read_plain(&self, column: &Column, text: &str, scratch: &mut Scratch) -> bool {
        let Some(value) = column.plain.and_then(|p| p.read(text)) else { return false };
        let s = &mut scratch.plan;
        match column.slot {
            Slot::Figure(i) => s.figures[i] = Some(value),
            Slot::Actual(i) => s.values[i] = Some(value),
        }
        true
    }

    /// Reads one cell into the scratch space.
    pub fn read(&self, column: &Column, text: &str, scratch: &mut Scratch) -> Result<(), Refusal> {
        let text = text.trim_ascii();
        if self.read_plain(column, text, scratch) {
            return Ok(());
        }
        self.read_any(column, text, scratch)
    }

    /// [`Program::read`] of any cell: a number with a unit or a sign, a
    /// word, a level, a date, a list — or a refusal saying why not.
    #[inline(never)]
    fn read_any(&self, column: &Column, text: &str, scratch: &mut Scratch) -> Result<(), Refusal> {
        let s = &mut scratch.plan;
        let refuse = |problem: Problem| Refusal { column: Some(column.name.clone()), problem };
        match column.slot {
            Slot::Figure(i) => {
                let unit = &self.project.figures[i].unit;
                s.figures[i] = Some(number(text, unit, &column.name).map_err(refuse)?);
            }
            Slot::Actual(i) if self.project.indicators[i].deadline.is_some() => {
                self.read_dated_or_listed(i, text, s).map_err(refuse)?
            }
            Slot::Actual(i) if !self.project.indicators[i].checklist.is_empty() => {
                self.read_dated_or_listed(i, text, s).map_err(refuse)?
            }
            Slot::Actual(i) => match &self.project.indicators[i].target {
                // The common cell, a plain number, first: it is neither a word nor a bound.
                Target::Numeric { unit, .. }
                    if !self.met_is_number
                        && let Some((value, percent)) = plain_number(text) =>
                {
                    crate::model::admit::admissible(value, percent, unit, &column.name).map_err(refuse)?;
                    s.values[i] = Some(Shown { value, percent });
                }
                // A word the scheme says means "met" (`完成`): scored as the target, as eval does.
                Target::Numeric { .. } if self.plan.scheme.met.iter().any(|w| w == text) => {
                    s.values[i] = self.plan.targets[i];
                }
                Target::Numeric { unit, .. } => {
                    // An actual printed as a bound (`≥80%`) is scored at the bound, as eval does.
                    let text = data::bound_text(text).unwrap_or(text);
                    s.values[i] = Some(number(text, unit, &column.name).map_err(refuse)?)
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
                    let (_, f) = crate::model::admit::admit_level(name, fraction, self.plan.scheme).map_err(refuse)?;
                    s.levels[i] = Some(f);
                }
            },
        }
        Ok(())
    }

    /// A deadline's date (or 未完成) as the days after it, or a checklist's
    /// items met (separated by `、` `,` `;`) as the number missing, as eval
    /// reads them.
    fn read_dated_or_listed(&self, i: usize, text: &str, s: &mut plan::Scratch) -> Result<(), Problem> {
        use crate::model::admit::{self, Lateness};
        let indicator = &self.project.indicators[i];
        let count = |n: usize| Some(Shown { value: Ratio::from_int(n as i128), percent: false });
        if let Some(deadline) = indicator.deadline {
            let lateness = admit::lateness(text, deadline)?;
            s.undone[i] = lateness == Lateness::Undone;
            s.values[i] = match lateness {
                Lateness::Done { days_late, .. } => {
                    Some(Shown { value: Ratio::from_int(i128::from(days_late)), percent: false })
                }
                Lateness::Undone => None,
            };
        } else {
            // A JSON Lines record may give the items as an array, as a data file does.
            let met = match serde_json::from_str::<Vec<String>>(text) {
                Ok(list) if text.starts_with('[') => {
                    admit::items_met(list.iter().map(String::as_str), &indicator.checklist)?
                }
                _ => admit::items_in_text(text, &indicator.checklist)?,
            };
            s.values[i] = count(indicator.checklist.len().saturating_sub(met.len()));
        }
        Ok(())
    }

    /// Scores the record read into `scratch`, by the plan.
    pub fn score(&self, scratch: &mut Scratch) -> Result<Scored, Refusal> {
        let s = &mut scratch.plan;
        if let Err(refusals) = self.plan.run(s, false) {
            let first = refusals.first().copied().unwrap_or(PlanRefusal::Missing { indicator: 0 });
            return Err(Refusal { column: None, problem: self.refusal(first) });
        }
        // Warnings are counted per record; a failing check and a tenfold
        // actual both count, the same as eval lists them.
        scratch.warnings += s.warnings.iter().filter(|w| !matches!(w, Warning::NoGrade)).count();
        // Both fit: the checker bounds every section's points.
        Ok(Scored { total: s.total, grade: s.grade, with_apart: s.total.checked_add(s.apart).unwrap_or(s.total) })
    }

    /// A record's warning, without places (the caller adds the row).
    pub fn warning(&self, warning: Warning, scratch: &Scratch) -> Problem {
        self.plan.warning(warning, &scratch.plan)
    }

    /// The rounded score of each indicator, in the project's order.
    pub fn scores<'s>(&self, scratch: &'s Scratch) -> &'s [Ratio] {
        &scratch.plan.scores
    }

    /// A refusal in words, without spans: batch names rows, not places.
    fn refusal(&self, refusal: PlanRefusal) -> Problem {
        let id = |i: usize| self.project.indicators[i].id.node.clone();
        match refusal {
            PlanRefusal::Arith { error, .. } => Problem::error(match error {
                ArithError::DivisionByZero => plan::codes::DIVISION_BY_ZERO,
                ArithError::Overflow => plan::codes::OVERFLOW,
            }),
            PlanRefusal::NegativeDerived { indicator, value } => {
                Problem::error(plan::codes::NEGATIVE_DERIVED).arg("id", id(indicator)).arg("value", value)
            }
            PlanRefusal::ScoreRange { indicator, score } => {
                let method = match &self.project.indicators[indicator].scoring {
                    crate::model::Scoring::Method { method, .. } => self.plan.scheme.methods[*method].name.node.clone(),
                    crate::model::Scoring::Level | crate::model::Scoring::Checklist { .. } => String::new(),
                };
                Problem::error(plan::codes::SCORE_RANGE)
                    .arg("id", id(indicator))
                    .arg("score", score)
                    .arg("points", self.plan.points[indicator])
                    .arg("method", method)
            }
            // Every column is read before scoring: a gap here is a bug.
            PlanRefusal::NeedsData { indicator } | PlanRefusal::Missing { indicator } => {
                Problem::error(crate::diagnostic::INTERNAL).arg("rule", format!("scoring {}", id(indicator)))
            }
        }
    }
}

fn not_a_number(text: &str) -> Problem {
    data::why_not_a_number(text, format!("\"{text}\""))
}

/// A plain decimal or percent (`2072`, `80.5%`), as its value and whether
/// it was a percent, without a `Decimal` between; `None` for anything else.
fn plain_number(text: &str) -> Option<(Ratio, bool)> {
    match text.strip_suffix('%') {
        Some(body) => {
            let value = Ratio::parse_plain(body.trim_ascii_end())?;
            Some((value.checked_div(Ratio::from_int(100)).ok()?, true))
        }
        None => Some((Ratio::parse_plain(text)?, false)),
    }
}

fn number(text: &str, unit: &Unit, name: &str) -> Result<Shown, Problem> {
    // The common cell, a plain decimal or percent.
    if let Some((value, percent)) = plain_number(text) {
        return crate::model::admit::admit_ratio(value, percent, unit, name);
    }
    let parsed: Number = data::number_text(text).ok_or_else(|| not_a_number(text))?;
    crate::model::admit::admit(parsed, unit, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general reading of a cell: a plain number, then the unit's admission.
    fn general(text: &str, unit: &Unit) -> Option<Shown> {
        let (value, percent) = plain_number(text)?;
        crate::model::admit::admit_ratio(value, percent, unit, "x").ok()
    }

    fn units() -> Vec<Unit> {
        let named = |kind| Unit::Named { name: "件".into(), kind };
        vec![
            Unit::None,
            Unit::Percent,
            named(UnitKind::Count),
            named(UnitKind::Amount),
            Unit::Per { name: "元/人".into() },
        ]
    }

    #[test]
    fn the_short_path_takes_plain_numbers_only() {
        let count = Plain::of(&units()[2]).unwrap();
        let percent = Plain::of(&Unit::Percent).unwrap();
        let read = |plain: Plain, text: &str| plain.read(text).map(|s| (s.value.parts(), s.percent));
        assert_eq!(read(count, "12"), Some(((12, 1), false)));
        // A fraction, a sign, a space or a unit: the general path reads or refuses it.
        for text in ["12.5", "12.0", "-1", "+1", "1 2", ".5", "5.", "1e3", "12件", ""] {
            assert_eq!(read(count, text), None, "{text}");
        }
        assert_eq!(read(percent, "80"), None);
        assert_eq!(read(percent, "80 %"), None);
        assert_eq!(read(percent, "80.5%"), Some(((805, 1000), true)));
        assert_eq!(read(count, "1234567890123456789"), None, "19 digits");
    }

    proptest::proptest! {
        /// Whatever the short path takes, it reads as the general path does:
        /// the same fraction, over the same denominator, percent or not.
        #[test]
        fn the_short_path_reads_as_the_general_one(text in "[0-9.%+ -]{0,7}|[0-9]{15,20}(\\.[0-9]{0,3})?%?") {
            for unit in units() {
                let Some(fast) = Plain::of(&unit).and_then(|p| p.read(&text)) else { continue };
                let general = general(&text, &unit);
                proptest::prop_assert_eq!(Some(fast.value.parts()), general.map(|s| s.value.parts()), "{} {:?}", text, unit);
                proptest::prop_assert_eq!(Some(fast.percent), general.map(|s| s.percent));
            }
        }
    }
}
