//! Renderers: layout only, no computing.

pub mod audit;
pub mod csv;
pub mod diff;
pub mod explain;
pub mod form;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;
pub mod xlsx;

use rust_decimal::Decimal;

use crate::eval::{ActualValue, IndicatorResult, TargetValue};
use crate::model::Direction;

/// Columns `text` takes in a terminal: a Chinese character two. Printable
/// ASCII (most cells: numbers) is counted by its bytes, the rest measured.
pub fn width(text: &str) -> usize {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        text.len()
    } else {
        unicode_width::UnicodeWidthStr::width(text)
    }
}

/// Pads to a display width (a Chinese character takes two columns).
pub fn pad(text: &str, width: usize) -> String {
    let used = self::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// `-0.309` → `-30.9%`, `0.916` → `91.6%`; with `sign`, `+28.4%`, and 0 as `0`.
pub fn percent(fraction: Decimal, sign: bool) -> String {
    // A fraction too large to show as a percent is shown as it is.
    let Some(p) = fraction.checked_mul(Decimal::ONE_HUNDRED).map(|p| p.normalize()) else {
        return fraction.normalize().to_string();
    };
    if sign && p.is_zero() {
        return "0".to_string();
    }
    let text = if p.scale() == 0 { format!("{p}.0") } else { p.to_string() };
    if sign && p.is_sign_positive() { format!("+{text}%") } else { format!("{text}%") }
}

pub fn direction_symbol(direction: Direction) -> &'static str {
    match direction {
        Direction::AtLeast => "≥",
        Direction::AtMost => "≤",
        Direction::Exactly | Direction::Assign => "=",
    }
}

/// A target as the 自评表 prints it: `≥3000 台`, `≥99.0%`, `完成一栋办公楼装修`.
pub fn target_text(indicator: &IndicatorResult) -> String {
    match &indicator.target {
        // A target prints as written (99.95% stays 99.95%); actuals print as the reports do.
        TargetValue::Numeric { direction, value, unit } if unit.as_deref() == Some("%") => {
            format!("{}{}", direction_symbol(*direction), percent(*value, false))
        }
        TargetValue::Numeric { direction, value, unit } => {
            format!("{}{}", direction_symbol(*direction), quantity(*value, unit.as_deref()))
        }
        TargetValue::Level { name, printed } => printed.clone().unwrap_or_else(|| name.clone()),
        TargetValue::Deadline { by } => format!("≤{by}"),
        // Every item: `3/3`.
        TargetValue::Checklist { items, .. } => format!("{0}/{0}", items.len()),
    }
}

/// An actual as the 自评表 prints it: percents to one decimal, like the reports.
pub fn actual_text(indicator: &IndicatorResult) -> String {
    match &indicator.actual {
        ActualValue::Number { printed: Some(printed), .. } => printed.clone(),
        ActualValue::Number { value, .. } => {
            let unit = match &indicator.target {
                TargetValue::Numeric { unit, .. } => unit.as_deref(),
                _ => None,
            };
            quantity(*value, unit)
        }
        ActualValue::Level { name, fraction } if *fraction == Decimal::ONE => name.clone(),
        ActualValue::Level { name, fraction } => format!("{name} {}", percent(*fraction, false)),
        ActualValue::Date { done: Some(date), .. } => date.clone(),
        ActualValue::Date { done: None, .. } => crate::model::admit::UNDONE[0].to_string(),
        ActualValue::Items { met, missing } => format!("{}/{}", met.len(), met.len() + missing.len()),
    }
}

fn quantity(value: Decimal, unit: Option<&str>) -> String {
    match unit {
        Some("%") => match value.checked_mul(Decimal::ONE_HUNDRED) {
            Some(p) => {
                let p = p.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
                format!("{p:.1}%")
            }
            None => value.normalize().to_string(),
        },
        Some(u) => format!("{} {u}", value.normalize()),
        None => value.normalize().to_string(),
    }
}

/// The deviation column: the formula's value; a fully achieved qualitative
/// indicator prints 0, as the reports do.
pub fn deviation_text(indicator: &IndicatorResult) -> String {
    match (&indicator.deviation, &indicator.target) {
        (Some(d), _) => percent(*d, true),
        // A deadline prints its days late.
        (None, TargetValue::Deadline { .. }) => match &indicator.actual {
            ActualValue::Date { days_late: Some(days), .. } if days.is_zero() => "0 天".to_string(),
            ActualValue::Date { days_late: Some(days), .. } => format!("+{days} 天"),
            _ => "—".to_string(),
        },
        (None, TargetValue::Level { .. }) if indicator.score == indicator.points => "0".to_string(),
        (None, _) => "—".to_string(),
    }
}

/// The 二级指标 cell of an indicator: the group's name, with its points
/// when the group has points of its own (`数量指标 (20)`).
pub fn group_label(section: &crate::eval::SectionResult, indicator: &crate::eval::IndicatorResult) -> String {
    let name = indicator.group.as_deref().unwrap_or("");
    match section.groups.iter().find(|g| g.name == name) {
        Some(g) => format!("{name} ({})", g.points),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// Counting printable ASCII by bytes measures what unicode-width measures.
        #[test]
        fn widths_are_unicode_widths(text in "[ -~]{0,20}|[ -~一-龥，。％\\t]{0,12}") {
            proptest::prop_assert_eq!(super::width(&text), unicode_width::UnicodeWidthStr::width(text.as_str()));
        }
    }
}
