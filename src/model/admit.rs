//! Reported values as the rules require them: the unit's kind, the sign,
//! percent or not, and a qualitative level by name. The same admission for
//! project data files and batch cells.

use crate::data::{self, codes};
use crate::diagnostic::Problem;
use crate::exact::Ratio;
use crate::model::expr::Shown;
use crate::model::{self, Unit, UnitKind};
use crate::suggest::closest;

/// A number as the unit requires: a percent for `%`, a whole non-negative
/// number for a count, a non-negative one for an amount, no percent for a
/// plain number. The problem has no span yet: the caller knows where the
/// number was written.
pub fn admit(number: data::Number, unit: &Unit, name: &str) -> Result<Shown, Problem> {
    admit_ratio(Ratio::from_decimal(number.value), number.percent, unit, name)
}

/// [`admit`] for a value already read as a fraction.
pub fn admit_ratio(value: Ratio, percent: bool, unit: &Unit, name: &str) -> Result<Shown, Problem> {
    admissible(value, percent, unit, name)?;
    Ok(Shown { value, percent })
}

/// Whether [`admit_ratio`] takes the value, without handing it back: batch
/// reading keeps the value it has (a value passed back through a `Result`
/// was stored in halves and read back whole, a stall per cell).
pub fn admissible(value: Ratio, percent: bool, unit: &Unit, name: &str) -> Result<(), Problem> {
    let shown = || Shown { value, percent };
    match unit {
        Unit::Percent if !percent => {
            // 0.8 was probably meant as 80%; 80 as 80%.
            let fraction = value.abs().is_ok_and(|a| a <= Ratio::ONE);
            let as_percent = if fraction { value.checked_mul(Ratio::from_int(100)).unwrap_or(value) } else { value };
            return Err(Problem::error(codes::PERCENT_EXPECTED).arg("found", value).arg("percent", as_percent));
        }
        // 99.5% against `>= 99` would be read as 0.995 of 99.
        Unit::None if percent => {
            return Err(Problem::error(codes::PLAIN_TARGET).arg("found", shown().text()).arg("name", name));
        }
        Unit::Named { name, .. } | Unit::Per { name } if percent => {
            return Err(Problem::error(codes::PERCENT_UNEXPECTED).arg("unit", name));
        }
        Unit::Named { name, kind: UnitKind::Count } if value.is_negative() || !value.is_integer() => {
            return Err(Problem::error(codes::COUNT).arg("found", value).arg("unit", name));
        }
        _ => {}
    }
    // Methods are proven in range for actuals of 0 and up: a negative
    // percent or number would score below 0 or above the points.
    if value.is_negative() {
        return Err(Problem::error(codes::NEGATIVE).arg("found", shown().text()));
    }
    Ok(())
}

/// A level by name (or a name a report prints for it), with the chosen
/// fraction for a level that is a range.
pub fn admit_level(name: &str, fraction: Option<Ratio>, scheme: &model::Scheme) -> Result<(usize, Ratio), Problem> {
    let found = scheme
        .levels
        .iter()
        .position(|l| l.name.node == name)
        .or_else(|| scheme.levels.iter().position(|l| l.printed.iter().any(|p| p == name)));
    let Some(level) = found else {
        let mut problem = Problem::error(codes::UNKNOWN_LEVEL)
            .arg("level", name)
            .arg("known", scheme.levels.iter().map(|l| format!("`{}`", l.name.node)).collect::<Vec<_>>().join(", "));
        if let Some(s) = closest(name, scheme.levels.iter().map(|l| l.name.node.as_str())) {
            problem = problem.arg("suggestion", s);
        }
        return Err(problem);
    };
    let declared = &scheme.levels[level];
    match (declared.fraction, fraction) {
        (model::LevelFraction::Fixed(f), None) => Ok((level, f)),
        (range, Some(f)) if range.contains(f) => Ok((level, f)),
        (_, Some(f)) => Err(Problem::error(codes::FRACTION_RANGE)
            .arg("level", &declared.name.node)
            .arg("fraction", Shown { value: f, percent: true }.text())),
        (range @ model::LevelFraction::Range { .. }, None) => Err(Problem::error(codes::FRACTION_MISSING)
            .arg("level", &declared.name.node)
            .arg("example", Shown { value: range.example(), percent: true }.text())),
    }
}

/// What a deadline's data says: the day the work was done, or that it was not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lateness {
    /// Done on `date`, `days_late` after the deadline (0 when on time or early).
    Done {
        date: crate::date::Date,
        days_late: i64,
    },
    Undone,
}

/// Words that say a deadline's work was not done: scored 0.
pub const UNDONE: [&str; 3] = ["未完成", "尚未完成", "not done"];

/// A deadline's actual from its text: a date in any form [`crate::date::Date::parse`]
/// reads, or one of [`UNDONE`].
pub fn lateness(text: &str, deadline: crate::date::Date) -> Result<Lateness, Problem> {
    let text = text.trim();
    if UNDONE.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        return Ok(Lateness::Undone);
    }
    match crate::date::Date::parse(text) {
        Some(date) => Ok(Lateness::Done { date, days_late: deadline.days_until(date).max(0) }),
        None => Err(Problem::error(codes::DATE).arg("found", text).arg("deadline", deadline.to_string())),
    }
}

/// The separators a list of checklist items may be written with in one text.
pub const ITEM_SEPARATORS: [char; 5] = ['、', ',', '，', ';', '；'];

/// Words that say no checklist item was met, where a text or a cell
/// cannot be left empty (an empty batch cell is a missing value).
pub const NONE_MET: [&str; 4] = ["无", "none", "—", "-"];

/// The checklist items met, from one text: a wording as written (it may
/// itself hold a separator), one of [`NONE_MET`], or ids and wordings
/// separated by `、` `,` `;`.
pub fn items_in_text(text: &str, items: &[model::ChecklistItem]) -> Result<Vec<usize>, Problem> {
    let text = text.trim();
    if let Some(i) = items.iter().position(|i| i.wording == text || i.id.node == text) {
        return Ok(vec![i]);
    }
    if NONE_MET.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        return Ok(Vec::new());
    }
    items_met(text.split(ITEM_SEPARATORS), items)
}

/// The checklist items met, by id or wording, each once. The problem has
/// no span: the caller knows where the list was written.
pub fn items_met<'a>(
    names: impl IntoIterator<Item = &'a str>,
    items: &[model::ChecklistItem],
) -> Result<Vec<usize>, Problem> {
    let mut met = Vec::new();
    for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
        let Some(i) = items.iter().position(|i| i.id.node == name || i.wording == name) else {
            let known = items.iter().map(|i| format!("`{}`", i.id.node)).collect::<Vec<_>>().join(", ");
            let mut problem = Problem::error(codes::CHECKLIST_ITEM).arg("item", name).arg("known", known);
            if let Some(s) = closest(name, items.iter().map(|i| i.id.node.as_str())) {
                problem = problem.arg("suggestion", s);
            }
            return Err(problem);
        };
        if met.contains(&i) {
            return Err(Problem::error(codes::CHECKLIST_TWICE).arg("item", name));
        }
        met.push(i);
    }
    Ok(met)
}
