//! What an evaluation produces: the self-evaluation table's figures, each
//! with the trace that explains it.

use rust_decimal::Decimal;

use crate::diagnostic::Problem;
use crate::exact::Ratio;
use crate::model::Direction;

#[derive(Clone, Debug)]
pub struct Evaluation {
    pub project: String,
    pub year: i32,
    pub organization: Option<String>,
    pub scheme: String,
    pub total: Total,
    pub sections: Vec<SectionResult>,
    /// The data's funds block, in the order written.
    pub funds: Vec<(String, Decimal)>,
    /// The raw figures the data gives (`[figures]`, or funds the rules
    /// declare as figures): name, value (a percent as its fraction), percent.
    pub figures: Vec<(String, Decimal, bool)>,
    /// The budget-execution indicator's id.
    pub budget: Option<String>,
    pub goal: Goal,
    /// Legal but suspicious: failed expects, implausible actuals.
    pub warnings: Vec<Problem>,
    /// Other denominators the rules' own checks offer for the budget rate.
    pub budget_bases: Vec<BudgetBasis>,
    /// Indicators the data could not score (data for another version only).
    pub unscored: Vec<String>,
    /// Data ids these rules do not score, set aside (another version only).
    pub set_aside: Vec<String>,
}

/// An `expect` that holds says the budget rate's numerator equals another
/// quantity: on that basis the rate would be `rate`. A question for an
/// auditor, not a discrepancy.
#[derive(Clone, Debug)]
pub struct BudgetBasis {
    /// The expect, with values: `357.04 == 439.53 + 27.09 - 109.58`.
    pub expect: String,
    /// The other quantity, with values, and its value.
    pub basis: String,
    pub basis_value: Ratio,
    pub rate: Ratio,
    pub span: crate::span::Span,
}

impl Evaluation {
    pub fn indicators(&self) -> impl Iterator<Item = &IndicatorResult> {
        self.sections.iter().flat_map(|s| s.indicators.iter())
    }

    pub fn indicator(&self, id: &str) -> Option<&IndicatorResult> {
        self.indicators().find(|i| i.id == id)
    }
}

#[derive(Clone, Debug)]
pub struct Total {
    /// The points of the sections counted in the total.
    pub points: Decimal,
    pub score: Decimal,
    pub rate: Option<Decimal>,
    pub grade: Option<String>,
    /// With sections counted apart (`apart`) added back; `None` when
    /// there are none.
    pub with_apart: Option<Decimal>,
}

#[derive(Clone, Debug, Default)]
pub struct Goal {
    pub target: Option<String>,
    pub result: Option<String>,
}

#[derive(Clone, Debug)]
pub struct SectionResult {
    pub name: String,
    pub points: Decimal,
    /// Counted apart from the total.
    pub apart: bool,
    pub score: Decimal,
    pub rate: Option<Decimal>,
    pub indicators: Vec<IndicatorResult>,
    /// Its groups with points of their own (二级指标分值), in order.
    pub groups: Vec<GroupResult>,
}

/// A group with points of its own, and the sum of its indicators' scores.
#[derive(Clone, Debug)]
pub struct GroupResult {
    pub name: String,
    pub points: Decimal,
    pub score: Decimal,
}

#[derive(Clone, Debug)]
pub struct IndicatorResult {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub target: TargetValue,
    pub actual: ActualValue,
    pub points: Decimal,
    /// The method's name; `None` for a qualitative indicator.
    pub method: Option<String>,
    pub score: Decimal,
    pub deviation: Option<Decimal>,
    /// Unrounded values, for comparing with printed figures.
    pub exact: Exact,
    /// Below full points: the points lost and what would have earned them.
    pub loss: Option<Loss>,
    pub reason: Option<String>,
    /// Evidence the data gives (佐证材料).
    pub evidence: Option<String>,
    pub trace: Trace,
}

#[derive(Clone, Debug)]
pub enum TargetValue {
    Numeric {
        direction: Direction,
        value: Decimal,
        unit: Option<String>,
    },
    Level {
        name: String,
        printed: Option<String>,
    },
    /// `by 2019-12-31`: the deadline, as `2019-12-31`.
    Deadline {
        by: String,
    },
    /// The checklist's items (id, wording) and the points each missing one deducts.
    Checklist {
        items: Vec<(String, String)>,
        deduct: Decimal,
    },
}

#[derive(Clone, Debug)]
pub enum ActualValue {
    /// The value scored: reported, or derived (rounded to 28 places to show).
    Number {
        value: Decimal,
        derived: bool,
        /// As the data printed it, when that was a bound (`≥80%`).
        printed: Option<String>,
    },
    Level {
        name: String,
        fraction: Decimal,
    },
    /// A deadline's actual: the day it was done and the days after the
    /// deadline (0 when on time); both `None` when it was not done.
    Date {
        done: Option<String>,
        days_late: Option<Decimal>,
    },
    /// A checklist's items met and missing, by id.
    Items {
        met: Vec<String>,
        missing: Vec<String>,
    },
}

/// Points an indicator lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    pub points: Decimal,
    /// The actual (or level) at which the method gives full points; `None`
    /// when no actual in the declared range does.
    pub full_at: Option<FullAt>,
    /// The actual from which the printed (rounded) score shows full points,
    /// when that comes before `full_at` (a score of 3.996 prints as 4.00).
    pub printed_at: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FullAt {
    Actual(Decimal),
    Level(String),
    /// Full points for every actual beyond `bound` (above it when `above`,
    /// below it otherwise), never at it: there is no least actual to name.
    Beyond {
        bound: Decimal,
        above: bool,
    },
}

/// The exact actual and deviation (none for a qualitative indicator).
#[derive(Clone, Copy, Debug)]
pub struct Exact {
    pub actual: Option<Ratio>,
    pub deviation: Option<Ratio>,
}

/// Every step behind one score. Made by [`super::evaluate_figures`], only the
/// exact and rounded scores and how the method was chosen are kept.
#[derive(Clone, Debug)]
pub struct Trace {
    /// For a derived actual: the rule, the rule with values, and the value.
    pub derivation: Option<Derivation>,
    /// The method's name and its rule text; for a level, the level's name.
    pub rule: String,
    /// Why the method was chosen: named by the indicator, or the default.
    pub chosen_by: Chosen,
    /// The values the method read, by name.
    pub inputs: Vec<(String, String)>,
    /// Conditions passed through, with values, and whether each held.
    pub conditions: Vec<(String, bool)>,
    /// The formula that gave the score, with values in place.
    pub formula: String,
    pub exact: Ratio,
    pub rounded: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chosen {
    Named,
    Default(Direction),
    /// The scheme's `default by`, for a deadline.
    DeadlineDefault,
    Level,
    Checklist,
}

#[derive(Clone, Debug)]
pub struct Derivation {
    pub rule: String,
    pub substituted: String,
    pub value: Ratio,
    pub percent: bool,
}
