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
        return decimal(fraction.normalize());
    };
    if sign && p.is_zero() {
        return "0".to_string();
    }
    let mut text = String::with_capacity(16);
    if sign && p.is_sign_positive() {
        text.push('+');
    }
    push_decimal(&mut text, p);
    if p.scale() == 0 {
        text.push_str(".0");
    }
    text.push('%');
    text
}

/// `value.to_string()`: see [`push_decimal`].
pub fn decimal(value: Decimal) -> String {
    let mut text = String::with_capacity(24);
    push_decimal(&mut text, value);
    text
}

/// Writes `value` as its `Display` does (every digit of its scale, `-` on a
/// negative zero too), without the formatting machinery when its digits fit
/// 64 bits — every figure of a report: a table of 2 000 projects prints
/// some 80 000 numbers.
pub fn push_decimal(out: &mut String, value: Decimal) {
    let Ok(mut n) = u64::try_from(value.mantissa().unsigned_abs()) else {
        let _ = std::fmt::Write::write_fmt(out, format_args!("{value}"));
        return;
    };
    let mut digits = [b'0'; 48];
    let mut start = digits.len();
    while n > 0 {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    // At least the scale's digits: 0.05 is 5 at scale 2.
    let scale = value.scale() as usize;
    start = start.min(digits.len() - scale);
    let point = digits.len() - scale;
    if value.is_sign_negative() {
        out.push('-');
    }
    if start == point {
        out.push('0');
    }
    let text = |range: std::ops::Range<usize>| std::str::from_utf8(&digits[range]).unwrap_or_default();
    out.push_str(text(start..point));
    if scale > 0 {
        out.push('.');
        out.push_str(text(point..digits.len()));
    }
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
        TargetValue::Numeric { direction, value, unit } => {
            let figure =
                if unit.as_deref() == Some("%") { percent(*value, false) } else { quantity(*value, unit.as_deref()) };
            let mut text = String::with_capacity(figure.len() + 3);
            text.push_str(direction_symbol(*direction));
            text.push_str(&figure);
            text
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
                let mut text = decimal(p);
                // One place always, as `{:.1}` prints it.
                if p.scale() == 0 {
                    text.push_str(".0");
                }
                text.push('%');
                text
            }
            None => decimal(value.normalize()),
        },
        Some(u) => {
            let mut text = decimal(value.normalize());
            text.push(' ');
            text.push_str(u);
            text
        }
        None => decimal(value.normalize()),
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
        Some(g) => {
            let mut label = String::with_capacity(name.len() + 8);
            label.push_str(name);
            label.push_str(" (");
            push_decimal(&mut label, g.points);
            label.push(')');
            label
        }
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    #[test]
    fn decimals_print_as_display_does() {
        for text in [
            "0",
            "0.00",
            "-0",
            "-0.0",
            "0.05",
            "-0.05",
            "12",
            "12.340",
            "-3000",
            "99.95",
            "0.0000000000000000000000000001",
        ] {
            let value: Decimal = text.parse().unwrap();
            assert_eq!(super::decimal(value), value.to_string(), "{text}");
        }
        assert_eq!(super::decimal(Decimal::MAX), Decimal::MAX.to_string());
        assert_eq!(super::decimal(-Decimal::ZERO), "-0");
    }

    proptest::proptest! {
        /// Any mantissa and scale, within 64 bits or beyond.
        #[test]
        fn decimals_print_as_display_does_for_any(lo: u32, mid: u32, hi in proptest::prop_oneof![proptest::strategy::Just(0u32), proptest::prelude::any::<u32>()], negative: bool, scale in 0u32..=28) {
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            proptest::prop_assert_eq!(super::decimal(value), value.to_string());
        }

        /// A percent's one place, as `{:.1}` printed it.
        #[test]
        fn quantities_in_percent_keep_one_place(lo: u32, mid: u32, hi in 0u32..1 << 20, negative: bool, scale in 0u32..=28) {
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            let Some(p) = value.checked_mul(Decimal::ONE_HUNDRED) else { return Ok(()) };
            let p = p.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            proptest::prop_assert_eq!(super::quantity(value, Some("%")), format!("{p:.1}%"));
        }

        /// Counting printable ASCII by bytes measures what unicode-width measures.
        #[test]
        fn widths_are_unicode_widths(text in "[ -~]{0,20}|[ -~一-龥，。％\\t]{0,12}") {
            proptest::prop_assert_eq!(super::width(&text), unicode_width::UnicodeWidthStr::width(text.as_str()));
        }
    }
}
