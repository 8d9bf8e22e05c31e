//! `[reported]`: what a submitted report claims, kept with spans so an
//! audit can point at each printed figure.

use rust_decimal::Decimal;

use super::{Node, NodeValue, codes, number, shape};
use crate::diagnostic::Problem;
use crate::messages::Word;
use crate::span::{Name, Spanned};

/// A figure as the report printed it.
#[derive(Clone, Debug, PartialEq)]
pub enum Printed {
    Number(Decimal),
    /// A percent, as its fraction (`"91.6%"` is 0.916), with the decimal
    /// places the report printed it to, as a fraction (`"91.6%"`: 3); a
    /// deviation printed `0` means exactly 0 (`None`).
    Percent {
        value: Decimal,
        places: Option<u32>,
    },
    /// Words: a qualitative target or actual (`"达成预期指标"`), a grade.
    Text(String),
}

#[derive(Clone, Debug, Default)]
pub struct Reported {
    pub total: Option<Spanned<Printed>>,
    pub grade: Option<Spanned<Printed>>,
    pub sections: Vec<(Name, ReportedFigures)>,
    /// Groups (二级指标) with points of their own.
    pub groups: Vec<(Name, ReportedFigures)>,
    pub indicators: Vec<(Name, ReportedFigures)>,
}

impl Reported {
    /// Whether the report printed any figure at all.
    pub fn claims_anything(&self) -> bool {
        self.total.is_some()
            || self.grade.is_some()
            || self.sections.iter().any(|(_, f)| !f.fields.is_empty())
            || self.groups.iter().any(|(_, f)| !f.fields.is_empty())
            || self.indicators.iter().any(|(_, f)| !f.fields.is_empty())
    }
}

/// The printed figures of one section or indicator, by field name.
#[derive(Clone, Debug, Default)]
pub struct ReportedFigures {
    pub fields: Vec<(Name, Spanned<Printed>)>,
}

impl ReportedFigures {
    pub fn get(&self, field: &str) -> Option<&Spanned<Printed>> {
        self.fields.iter().find(|(k, _)| k.node == field).map(|(_, v)| v)
    }
}

/// What each field may hold.
#[derive(Clone, Copy)]
enum Kind {
    Number,
    Percent,
    /// A number, a percent, or words.
    Any,
    Text,
}

const SECTION_FIELDS: &[(&str, Kind)] = &[("points", Kind::Number), ("score", Kind::Number), ("rate", Kind::Percent)];
const GROUP_FIELDS: &[(&str, Kind)] = &[("points", Kind::Number), ("score", Kind::Number)];
const INDICATOR_FIELDS: &[(&str, Kind)] = &[
    ("target", Kind::Any),
    ("points", Kind::Number),
    ("actual", Kind::Any),
    ("score", Kind::Number),
    ("deviation", Kind::Percent),
];

pub fn read(node: &Node, problems: &mut Vec<Problem>) -> Reported {
    let mut reported = Reported::default();
    let Some(entries) = node.as_table() else {
        problems.push(shape(node, Word::ShapeTable));
        return reported;
    };
    for (key, value) in entries {
        match key.node.as_str() {
            "total" => reported.total = printed(value, Kind::Number, problems),
            "grade" => reported.grade = printed(value, Kind::Text, problems),
            "sections" => reported.sections = figures(value, SECTION_FIELDS, problems),
            "groups" => reported.groups = figures(value, GROUP_FIELDS, problems),
            "indicators" => reported.indicators = figures(value, INDICATOR_FIELDS, problems),
            _ => problems.push(super::unknown_key(key, &["total", "grade", "sections", "groups", "indicators"])),
        }
    }
    reported
}

fn figures(node: &Node, fields: &[(&str, Kind)], problems: &mut Vec<Problem>) -> Vec<(Name, ReportedFigures)> {
    let Some(entries) = node.as_table() else {
        problems.push(shape(node, Word::ShapeTable));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, table) in entries {
        let Some(items) = table.as_table() else {
            problems.push(shape(table, Word::ShapeTable));
            continue;
        };
        let mut figures = ReportedFigures::default();
        for (field, value) in items {
            match fields.iter().find(|(f, _)| *f == field.node) {
                Some((_, kind)) => figures.fields.extend(printed(value, *kind, problems).map(|p| (field.clone(), p))),
                None => problems.push(super::unknown_key(field, &fields.iter().map(|(f, _)| *f).collect::<Vec<_>>())),
            }
        }
        out.push((name.clone(), figures));
    }
    out
}

fn printed(node: &Node, kind: Kind, problems: &mut Vec<Problem>) -> Option<Spanned<Printed>> {
    let as_number = number(node).ok();
    let value = match (kind, &node.value, as_number) {
        (Kind::Text | Kind::Any, NodeValue::String(s), None) => Some(Printed::Text(s.clone())),
        (Kind::Text, NodeValue::String(s), Some(_)) => Some(Printed::Text(s.clone())),
        (Kind::Number | Kind::Any, _, Some(n)) if !n.percent => Some(Printed::Number(n.value)),
        (Kind::Percent | Kind::Any, _, Some(n)) if n.percent => {
            Some(Printed::Percent { value: n.value, places: Some(percent_places(node)) })
        }
        // A deviation of 0 is printed without a percent sign, and means exactly 0.
        (Kind::Percent, _, Some(n)) if n.value.is_zero() => {
            Some(Printed::Percent { value: Decimal::ZERO, places: None })
        }
        _ => None,
    };
    match value {
        Some(v) => Some(Spanned::new(v, node.span)),
        None => {
            let expected = match kind {
                Kind::Number => Word::ReportedNumber,
                Kind::Percent => Word::ReportedPercent,
                Kind::Any => Word::ReportedAny,
                Kind::Text => Word::Text,
            };
            problems.push(Problem::error(codes::REPORTED).arg_word("expected", expected, &[]).at(node.span));
            None
        }
    }
}

/// Decimal places of a printed percent, as a fraction: `"91.6%"` → 3, `"97%"` → 2.
fn percent_places(node: &Node) -> u32 {
    let text = match &node.value {
        NodeValue::String(s) => s.as_str(),
        _ => "",
    };
    let digits = text.trim().trim_end_matches(['%', '％']);
    let decimals = digits.split_once('.').map(|(_, f)| f.chars().take_while(char::is_ascii_digit).count()).unwrap_or(0);
    u32::try_from(decimals).unwrap_or(0) + 2
}
