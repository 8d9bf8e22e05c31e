//! The official 项目支出绩效自评表, laid out once from an evaluation, so
//! every document format prints the same rows. Layout only: the figures are
//! the evaluation's.

use rust_decimal::Decimal;

use super::{actual_text, deviation_text, percent, target_text};
use crate::eval::{ActualValue, Evaluation, FullAt, IndicatorResult, TargetValue};
use crate::messages::{Lang, Word};

/// One line of the indicator table.
#[derive(Clone, Debug)]
pub enum Row {
    Indicator(Box<Line>),
    Subtotal { section: String, points: Decimal, score: Decimal, rate: Option<Decimal>, apart: bool },
}

/// An indicator's line.
#[derive(Clone, Debug)]
pub struct Line {
    pub section: String,
    pub group: String,
    /// On the first line of a section (of a run of one group): how many
    /// indicator lines it spans, for merged cells; 0 on the lines after.
    pub section_rows: usize,
    pub group_rows: usize,
    /// The indicator's id in the rules (a page links a row to its explanation).
    pub id: String,
    pub name: String,
    pub target: String,
    pub actual: String,
    /// The target as a number a spreadsheet can compute with, and the
    /// number format that prints it as `target` does; `None` for words.
    pub target_number: Option<(Decimal, String)>,
    pub actual_number: Option<(Decimal, String)>,
    pub points: Decimal,
    pub score: Decimal,
    /// The deviation as a fraction, when the indicator has one.
    pub deviation: Option<Decimal>,
    pub deviation_text: String,
    pub reason: String,
    /// Below full points: what was lost (also in the form's ledger).
    pub lost: Option<Lost>,
}

/// One line of the point-loss ledger.
#[derive(Clone, Debug)]
pub struct Lost {
    pub id: String,
    pub name: String,
    pub points: Decimal,
    /// `3000 台`, a level name, `>3000 台`, or `None` when nothing gives
    /// full points.
    pub full_at: Option<String>,
    /// `2997 台` when the printed score is full from there, before `full_at`.
    pub printed_at: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Form {
    pub project: String,
    pub year: i32,
    pub organization: Option<String>,
    pub scheme: String,
    pub funds: Vec<(String, Decimal)>,
    /// Raw figures (name, value, percent) that are not funds.
    pub figures: Vec<(String, Decimal, bool)>,
    /// The budget-execution indicator: points, execution rate (as printed), score.
    pub budget: Option<(Decimal, String, Decimal)>,
    pub goal: Option<String>,
    pub result: Option<String>,
    pub rows: Vec<Row>,
    pub total_points: Decimal,
    pub total_score: Decimal,
    pub total_rate: Option<Decimal>,
    /// The total with sections counted apart added back, when there are any.
    pub total_with_apart: Option<Decimal>,
    pub grade: Option<String>,
    pub ledger: Vec<Lost>,
    /// Section score rates, for charts: (name, rate as a fraction).
    pub section_rates: Vec<(String, Decimal)>,
}

fn full_at_text(indicator: &IndicatorResult, full_at: &FullAt) -> String {
    match full_at {
        FullAt::Level(level) => level.clone(),
        FullAt::Actual(value) => value_text(indicator, *value),
        FullAt::Beyond { bound, above } => {
            format!("{}{}", if *above { ">" } else { "<" }, value_text(indicator, *bound))
        }
    }
}

/// A threshold shown to four decimals (of a percent, for percents), rounded
/// toward the side where it holds: up for `>=`, down for `<=`.
fn inward(indicator: &IndicatorResult, value: Decimal) -> Decimal {
    use rust_decimal::RoundingStrategy::{ToNegativeInfinity, ToPositiveInfinity};
    let (places, down) = match &indicator.target {
        TargetValue::Numeric { unit, direction, .. } => {
            (if unit.as_deref() == Some("%") { 6 } else { 4 }, *direction == crate::model::Direction::AtMost)
        }
        _ => (4, false),
    };
    value.round_dp_with_strategy(places, if down { ToNegativeInfinity } else { ToPositiveInfinity })
}

/// A spreadsheet number format: `prefix` and `unit` as literal text around
/// the number, a percent to the places it needs.
fn number_format(prefix: &str, unit: Option<&str>, value: Decimal, percent_places: Option<u32>) -> String {
    let quoted = |t: &str| if t.is_empty() { String::new() } else { format!("\"{}\"", t.replace('"', "")) };
    match unit {
        Some("%") => {
            // 99.95% keeps its two places; a printed actual has one.
            let places = percent_places.unwrap_or_else(|| value.normalize().scale().saturating_sub(2));
            let decimals = if places == 0 { String::new() } else { format!(".{}", "0".repeat(places as usize)) };
            format!("{}0{decimals}%", quoted(prefix))
        }
        Some(u) => format!("{}General{}", quoted(prefix), quoted(&format!(" {u}"))),
        None => format!("{}General", quoted(prefix)),
    }
}

/// A numeric target as a number with its direction and unit in the format.
fn target_number(indicator: &IndicatorResult) -> Option<(Decimal, String)> {
    match &indicator.target {
        TargetValue::Numeric { direction, value, unit } => {
            let prefix = super::direction_symbol(*direction);
            Some((*value, number_format(prefix, unit.as_deref(), *value, None)))
        }
        _ => None,
    }
}

/// A numeric actual (not a bound printed as words) as a number; percents
/// print to one decimal, as the reports do.
fn actual_number(indicator: &IndicatorResult) -> Option<(Decimal, String)> {
    match (&indicator.actual, &indicator.target) {
        (ActualValue::Number { value, printed: None, .. }, TargetValue::Numeric { unit, .. }) => {
            let places = (unit.as_deref() == Some("%")).then_some(1);
            Some((*value, number_format("", unit.as_deref(), *value, places)))
        }
        _ => None,
    }
}

fn value_text(indicator: &IndicatorResult, value: Decimal) -> String {
    match &indicator.target {
        // Full points at 0 days late, 0 items missing: the deadline, every item.
        TargetValue::Deadline { by } => by.clone(),
        TargetValue::Checklist { items, .. } => format!("{0}/{0}", items.len()),
        TargetValue::Numeric { unit: Some(u), .. } if u == "%" => percent(value, false),
        TargetValue::Numeric { unit: Some(u), .. } => format!("{} {u}", value.normalize()),
        _ => value.normalize().to_string(),
    }
}

/// What an indicator lost and where it would have earned full points.
fn lost(ind: &IndicatorResult) -> Option<Lost> {
    ind.loss.as_ref().map(|loss| Lost {
        id: ind.id.clone(),
        name: ind.name.clone(),
        points: loss.points,
        full_at: loss.full_at.as_ref().map(|f| full_at_text(ind, f)),
        printed_at: loss.printed_at.map(|p| value_text(ind, inward(ind, p))),
    })
}

/// The point-loss ledger: it explains the total, so a section apart is not in it.
pub fn ledger(e: &Evaluation) -> Vec<Lost> {
    e.sections.iter().filter(|s| !s.apart).flat_map(|s| s.indicators.iter().filter_map(lost)).collect()
}

impl Form {
    pub fn new(e: &Evaluation) -> Form {
        let mut rows = Vec::new();
        for section in &e.sections {
            let group_of = |i: &IndicatorResult| super::group_label(section, i);
            for (i, ind) in section.indicators.iter().enumerate() {
                let group = group_of(ind);
                let opens_group = i == 0 || group_of(&section.indicators[i - 1]) != group;
                let group_rows = if opens_group {
                    section.indicators[i..].iter().take_while(|j| group_of(j) == group).count()
                } else {
                    0
                };
                let lost = lost(ind);
                rows.push(Row::Indicator(Box::new(Line {
                    section: section.name.clone(),
                    group,
                    section_rows: if i == 0 { section.indicators.len() } else { 0 },
                    group_rows,
                    id: ind.id.clone(),
                    name: ind.name.clone(),
                    target: target_text(ind),
                    actual: actual_text(ind),
                    target_number: target_number(ind),
                    actual_number: actual_number(ind),
                    points: ind.points,
                    score: ind.score,
                    deviation: ind.deviation,
                    deviation_text: deviation_text(ind),
                    reason: ind.reason.clone().unwrap_or_default(),
                    lost,
                })));
            }
            rows.push(Row::Subtotal {
                section: section.name.clone(),
                points: section.points,
                score: section.score,
                rate: section.rate,
                apart: section.apart,
            });
        }
        Form {
            project: e.project.clone(),
            year: e.year,
            organization: e.organization.clone(),
            scheme: e.scheme.clone(),
            funds: e.funds.clone(),
            figures: e.figures.iter().filter(|(name, _, _)| !e.funds.iter().any(|(f, _)| f == name)).cloned().collect(),
            budget: e.budget.as_deref().and_then(|b| e.indicator(b)).map(|b| (b.points, actual_text(b), b.score)),
            goal: e.goal.target.clone(),
            result: e.goal.result.clone(),
            rows,
            total_points: e.total.points,
            total_score: e.total.score,
            total_rate: e.total.rate,
            total_with_apart: e.total.with_apart,
            grade: e.total.grade.clone(),
            ledger: ledger(e),
            section_rates: e.sections.iter().filter_map(|s| s.rate.map(|r| (s.name.clone(), r))).collect(),
        }
    }

    /// The ledger's points add up to total points − total score.
    pub fn lost(&self) -> Decimal {
        self.ledger.iter().map(|l| l.points).sum()
    }
}

/// The headings of the official form and its parts, by language.
pub struct Headings {
    pub lang: Lang,
}

impl Headings {
    pub fn title(&self) -> &'static str {
        self.word(Word::FormTitle)
    }

    pub fn columns(&self) -> [&'static str; 9] {
        [
            Word::Section,
            Word::Group,
            Word::Indicator,
            Word::AnnualTarget,
            Word::Actual,
            Word::Points,
            Word::Score,
            Word::Deviation,
            Word::Reason,
        ]
        .map(|w| self.word(w))
    }

    pub fn word(&self, word: Word) -> &'static str {
        word.text(self.lang)
    }

    /// A section's subtotal label: apart from the total or not.
    pub fn subtotal(&self, apart: bool) -> &'static str {
        self.word(if apart { Word::SubtotalApart } else { Word::Subtotal })
    }

    pub fn ledger(&self) -> &'static str {
        self.word(Word::Ledger)
    }

    pub fn ledger_columns(&self) -> [&'static str; 3] {
        [Word::Indicator, Word::PointsLost, Word::FullPointsAt].map(|w| self.word(w))
    }

    /// The ledger's "full points at" cell: the actual, or that none gives
    /// full points, and where the printed score is already full.
    pub fn full_at(&self, lost: &Lost) -> String {
        let full = lost.full_at.clone().unwrap_or_else(|| self.word(Word::NoFullPoints).into());
        match &lost.printed_at {
            None => full,
            Some(from) => Word::PrintedFullFrom.fill(self.lang, &[("full", &full), ("from", from)]),
        }
    }

    pub fn summary(&self) -> &'static str {
        self.word(Word::Summary)
    }

    pub fn summary_columns(&self) -> [&'static str; 4] {
        [Word::Project, Word::Year, Word::Total, Word::Grade].map(|w| self.word(w))
    }
}
