//! Project data: the figures a unit reports, read from TOML or JSON with a
//! span for every value.

pub mod reported;
pub mod tree;

use std::path::Path;

use rust_decimal::Decimal;

use crate::diagnostic::Problem;
use crate::messages::Word;
use crate::source::Sources;
use crate::span::{FileId, Name, Span, Spanned};
pub use tree::{Node, NodeValue};

pub mod codes {
    pub use crate::source::UNREADABLE;
    pub const SYNTAX: &str = "jixiao::data::syntax";
    pub const UNQUOTED_KEY: &str = "jixiao::data::unquoted_key";
    pub const SHAPE: &str = "jixiao::data::shape";
    pub const MISSING_KEY: &str = "jixiao::data::missing_key";
    pub const UNKNOWN_SECTION: &str = "jixiao::data::unknown_section";
    pub const DUPLICATE_KEY: &str = "jixiao::data::duplicate_key";
    pub const NOT_A_NUMBER: &str = "jixiao::data::not_a_number";
    pub const FULL_WIDTH: &str = "jixiao::data::full_width";
    pub const UNIT_IN_VALUE: &str = "jixiao::data::unit_in_value";
    pub const TOO_LARGE: &str = "jixiao::data::too_large";
    pub const TOO_DEEP: &str = "jixiao::data::too_deep";
    pub const PERCENT_EXPECTED: &str = "jixiao::data::percent_expected";
    pub const PERCENT_UNEXPECTED: &str = "jixiao::data::percent_unexpected";
    pub const PLAIN_TARGET: &str = "jixiao::data::plain_target";
    pub const COUNT: &str = "jixiao::data::count";
    pub const NEGATIVE: &str = "jixiao::data::negative";
    pub const UNKNOWN_LEVEL: &str = "jixiao::data::unknown_level";
    pub const FRACTION_RANGE: &str = "jixiao::data::fraction_range";
    pub const FRACTION_MISSING: &str = "jixiao::data::fraction_missing";
    pub const LEVEL_EXPECTED: &str = "jixiao::data::level_expected";
    pub const DERIVED_GIVEN: &str = "jixiao::data::derived_given";
    pub const MISSING_ACTUAL: &str = "jixiao::data::missing_actual";
    pub const MISSING_FIGURE: &str = "jixiao::data::missing_figure";
    pub const GOLDEN: &str = "jixiao::data::golden";
    pub const UNKNOWN_ID: &str = "jixiao::data::unknown_id";
    pub const UNKNOWN_PROJECT: &str = "jixiao::data::unknown_project";
    pub const REPORTED: &str = "jixiao::data::reported";
    pub const DATE: &str = "jixiao::data::date";
    pub const CHECKLIST_ITEM: &str = "jixiao::data::checklist_item";
    pub const CHECKLIST_TWICE: &str = "jixiao::data::checklist_twice";
}

/// One project's reported figures for one year.
#[derive(Clone, Debug)]
pub struct ProjectData {
    pub file: FileId,
    pub project: Spanned<String>,
    pub year: Spanned<i64>,
    pub funds: Vec<(Name, Node)>,
    pub goal_result: Option<Spanned<String>>,
    pub actual: Vec<(Name, Node)>,
    pub figures: Vec<(Name, Node)>,
    pub reasons: Vec<(Name, Spanned<String>)>,
    /// Evidence (佐证材料) for indicators, by id.
    pub evidence: Vec<(Name, Spanned<String>)>,
    /// What the submitted report claims, kept as written for audits.
    pub reported: Option<Node>,
    /// The same, read: every printed figure with its span.
    pub claims: reported::Reported,
}

/// `text` as a TOML basic string, for the data files jixiao writes
/// (`jixiao import`, `jixiao new data`).
pub fn toml_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number read from data: its value and whether it was written as a percent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number {
    /// A percent is stored as its fraction (`"80.0%"` is 0.8).
    pub value: Decimal,
    pub percent: bool,
}

/// How a data file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

impl Syntax {
    /// `.json` is JSON; anything else TOML.
    pub fn of(path: &Path) -> Syntax {
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) { Syntax::Json } else { Syntax::Toml }
    }
}

/// Reads a data file (`.json` as JSON, anything else as TOML) into `sources`.
pub fn read(path: &Path, sources: &mut Sources) -> Result<ProjectData, Vec<Problem>> {
    let text = read_text(path)?;
    let file = sources.add(path, text);
    parse(sources.text(file), file, Syntax::of(path))
}

/// The text of a data file, not yet parsed (so that many can be read at once).
pub fn read_text(path: &Path) -> Result<String, Vec<Problem>> {
    // A golden file is an evaluation to compare with (`jixiao test`), never data.
    // Only the folder right above: a user's own folder named `golden` higher up holds data as any other.
    if path.parent().and_then(Path::file_name).is_some_and(|name| name == "golden") {
        return Err(vec![Problem::error(codes::GOLDEN).arg("path", path.display())]);
    }
    crate::source::read_text(path).map_err(|e| vec![e.problem(codes::UNREADABLE, path)])
}

/// Parses data text already held in `sources`.
pub fn parse(text: &str, file: FileId, syntax: Syntax) -> Result<ProjectData, Vec<Problem>> {
    let root = match syntax {
        Syntax::Json => tree::parse_json(text, file),
        Syntax::Toml => tree::parse_toml(text, file),
    }
    .map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let Some(entries) = root.as_table() else {
        return Err(vec![shape(&root, Word::ShapeProjectData)]);
    };
    let whole = root.span;
    let mut project = None;
    let mut year = None;
    let mut data = ProjectData {
        file,
        project: Spanned::new(String::new(), whole),
        year: Spanned::new(0, whole),
        funds: Vec::new(),
        goal_result: None,
        actual: Vec::new(),
        figures: Vec::new(),
        reasons: Vec::new(),
        evidence: Vec::new(),
        reported: None,
        claims: reported::Reported::default(),
    };
    check_duplicates(entries, &mut problems);
    for (key, value) in entries {
        match key.node.as_str() {
            "project" => match value.as_str() {
                Some(s) => project = Some(Spanned::new(s.to_string(), value.span)),
                None => problems.push(shape(value, Word::ShapeProjectName)),
            },
            "year" => match number(value).ok().and_then(|n| year_of(n.value)) {
                Some(y) => year = Some(Spanned::new(y, value.span)),
                None => problems.push(shape(value, Word::ShapeYear)),
            },
            "funds" => data.funds = table(value, &mut problems),
            "actual" => data.actual = table(value, &mut problems),
            "figures" => data.figures = table(value, &mut problems),
            "goal" => {
                for (k, v) in table(value, &mut problems) {
                    match (k.node.as_str(), v.as_str()) {
                        ("result", Some(s)) => data.goal_result = Some(Spanned::new(s.to_string(), v.span)),
                        ("result", None) => problems.push(shape(&v, Word::Text)),
                        _ => problems.push(unknown_key(&k, &["result"])),
                    }
                }
            }
            "reasons" => data.reasons = texts(value, &mut problems),
            "evidence" => data.evidence = texts(value, &mut problems),
            "reported" => {
                data.claims = reported::read(value, &mut problems);
                data.reported = Some(value.clone());
            }
            _ => problems.push(unknown_key(
                key,
                &["project", "year", "funds", "goal", "actual", "figures", "reasons", "evidence", "reported"],
            )),
        }
    }
    match project {
        Some(p) => data.project = p,
        None => problems.push(Problem::error(codes::MISSING_KEY).arg("key", "project").at(Span::new(file, 0, 0))),
    }
    match year {
        Some(y) => data.year = y,
        None => problems.push(Problem::error(codes::MISSING_KEY).arg("key", "year").at(Span::new(file, 0, 0))),
    }
    if problems.iter().any(Problem::is_error) { Err(problems) } else { Ok(data) }
}

fn year_of(value: Decimal) -> Option<i64> {
    if value.fract().is_zero() { value.normalize().to_string().parse().ok() } else { None }
}

fn table(node: &Node, problems: &mut Vec<Problem>) -> Vec<(Name, Node)> {
    match node.as_table() {
        Some(entries) => {
            check_duplicates(entries, problems);
            entries.to_vec()
        }
        None => {
            problems.push(shape(node, Word::ShapeTable));
            Vec::new()
        }
    }
}

/// A table of texts by indicator id (`[reasons]`, `[evidence]`).
fn texts(node: &Node, problems: &mut Vec<Problem>) -> Vec<(Name, Spanned<String>)> {
    let mut out = Vec::new();
    for (k, v) in table(node, problems) {
        match v.as_str() {
            Some(s) => out.push((k, Spanned::new(s.to_string(), v.span))),
            None => problems.push(shape(&v, Word::Text)),
        }
    }
    out
}

fn check_duplicates(entries: &[(Name, Node)], problems: &mut Vec<Problem>) {
    let mut first_at: foldhash::HashMap<&str, Span> =
        foldhash::HashMap::with_capacity_and_hasher(entries.len(), Default::default());
    for (k, _) in entries {
        match first_at.get(k.node.as_str()) {
            Some(&first) => {
                problems.push(Problem::error(codes::DUPLICATE_KEY).arg("key", &k.node).at(k.span).at(first))
            }
            None => {
                first_at.insert(&k.node, k.span);
            }
        }
    }
}

pub(crate) fn shape(node: &Node, expected: Word) -> Problem {
    let found = match node.type_name() {
        "table" => Some(Word::TypeTable),
        "array" => Some(Word::TypeArray),
        "number" => Some(Word::TypeNumber),
        "string" => Some(Word::TypeString),
        "boolean" => Some(Word::TypeBoolean),
        "date" => Some(Word::TypeDate),
        "null" => Some(Word::TypeNull),
        _ => None,
    };
    let problem = Problem::error(codes::SHAPE).arg_word("expected", expected, &[]);
    let problem = match found {
        Some(word) => problem.arg_word("found", word, &[]),
        None => problem.arg("found", node.type_name()),
    };
    problem.at(node.span)
}

pub(crate) fn unknown_key(key: &Name, known: &[&str]) -> Problem {
    let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let mut problem = Problem::error(codes::UNKNOWN_SECTION).arg("key", &key.node).arg("known", list);
    if let Some(s) = crate::suggest::closest(&key.node, known.iter().copied()) {
        problem = problem.arg("suggestion", s).fix(key.span, key_text(key, s));
    }
    problem.at(key.span)
}

/// `name` written as the key `key` was: bare when it was bare and `name`
/// can be, else in double quotes (a key's span holds its quotes).
pub(crate) fn key_text(key: &Name, name: &str) -> String {
    let was_bare = key.span.range().len() == key.node.len();
    let can_be_bare = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if was_bare && can_be_bare {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Reads a number from its literal text: a TOML or JSON number, or a string
/// such as `"2072"` or `"80.0%"` (spreadsheet exports quote everything).
pub fn number(node: &Node) -> Result<Number, Problem> {
    let not_a_number = || match &node.value {
        NodeValue::String(text) | NodeValue::Number(text) => why_not_a_number(text, describe(node)).at(node.span),
        _ => Problem::error(codes::NOT_A_NUMBER).arg("found", describe(node)).at(node.span),
    };
    match &node.value {
        NodeValue::Number(text) => decimal(text).map(|value| Number { value, percent: false }).ok_or_else(not_a_number),
        NodeValue::String(text) => {
            let text = text.trim();
            match text.strip_suffix('%').or_else(|| text.strip_suffix('％')) {
                Some(body) => decimal(body.trim())
                    .and_then(|v| crate::exact::shift(v, -2))
                    .map(|value| Number { value, percent: true })
                    .ok_or_else(not_a_number),
                None => decimal(text).map(|value| Number { value, percent: false }).ok_or_else(not_a_number),
            }
        }
        _ => Err(not_a_number()),
    }
}

/// Why `text` is not a number, as precisely as can be said: full-width
/// digits (`"８０％"`), a unit written in the value (`"215.5元"`), more
/// digits than a decimal holds (`1e30`), or simply not a number. `shown`
/// is how the value is quoted in the message.
pub fn why_not_a_number(text: &str, shown: String) -> Problem {
    let text = text.trim();
    let half: String = text.chars().map(half_width_digit).collect();
    if half != text && number_text(&half).is_some() {
        return Problem::error(codes::FULL_WIDTH).arg("found", text).arg("instead", half);
    }
    // A number followed by its unit: `215.5元`, `3000 台`.
    let split = text.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '_')));
    if let Some(at) = split.filter(|at| *at > 0) {
        let (digits, unit) = text.split_at(at);
        let unit = unit.trim();
        if number_text(digits).is_some() && !unit.is_empty() && unit.chars().all(char::is_alphabetic) {
            return Problem::error(codes::UNIT_IN_VALUE).arg("found", text).arg("number", digits).arg("unit", unit);
        }
    }
    if looks_like_a_number(text.trim_end_matches(['%', '％'])) {
        return Problem::error(codes::TOO_LARGE).arg("found", text);
    }
    Problem::error(codes::NOT_A_NUMBER).arg("found", shown)
}

/// Whether `text` is written as a number (`-12.5`, `1_000`, `1e30`), so a
/// failure to read it can only be its size.
fn looks_like_a_number(text: &str) -> bool {
    let text: String = text.chars().filter(|c| *c != '_').collect();
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (text.as_str(), None),
    };
    let digits = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    !(whole.is_empty() && fraction.is_empty()) && all_digits(whole) && all_digits(fraction) && exponent_ok
}

/// `８` → `8`, `％` → `%`, `．` → `.`: what a Chinese input method types
/// for the characters of a number.
fn half_width_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '％' => '%',
        '．' | '。' => '.',
        '－' => '-',
        '＋' => '+',
        other => other,
    }
}

fn describe(node: &Node) -> String {
    match &node.value {
        NodeValue::String(s) => format!("\"{s}\""),
        NodeValue::Number(s) => s.clone(),
        _ => node.type_name().to_string(),
    }
}

/// A number from cell text: `2072`, `"80.0%"`, `1_000`; `None` if it is not one.
pub fn number_text(text: &str) -> Option<Number> {
    let text = text.trim();
    match text.strip_suffix('%').or_else(|| text.strip_suffix('％')) {
        Some(body) => crate::exact::shift(decimal(body.trim())?, -2).map(|value| Number { value, percent: true }),
        None => decimal(text).map(|value| Number { value, percent: false }),
    }
}

/// An actual printed as a bound (`≥80%`, `>= 3000`, `≤2%`): the number
/// after the sign. Reports print these where the unit did not give a figure.
pub fn bound_text(text: &str) -> Option<&str> {
    let text = text.trim();
    ["≥", ">=", "＞＝", "≤", "<=", "＜＝"].iter().find_map(|sign| text.strip_prefix(sign)).map(str::trim)
}

/// Decimal from literal text: `1_000`, `+3`, `1e3`; never `inf` or `nan`.
fn decimal(text: &str) -> Option<Decimal> {
    // The common case, a plain decimal, without allocating.
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') {
        return Decimal::from_str_exact(text).ok();
    }
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    let cleaned = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')) {
        return None;
    }
    match cleaned.split_once(['e', 'E']) {
        // `1.5e3`: the digits exactly, then the point moved; never rounded.
        Some((base, exponent)) => {
            let base = Decimal::from_str_exact(base).ok()?;
            let exponent: i64 = exponent.parse().ok()?;
            crate::exact::shift(base, exponent)
        }
        None => Decimal::from_str_exact(cleaned).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_literal_value() {
        let data = parse(
            "project = \"P\"\nyear = 2018\n[funds]\n\"全年执行数\" = 357.04\n[actual]\na = \"80.0%\"\nb = 1_000\nc = 1e3\n",
            FileId(0),
            Syntax::Toml,
        )
        .unwrap();
        assert_eq!(number(&data.funds[0].1).unwrap().value.to_string(), "357.04");
        assert_eq!(number(&data.actual[0].1).unwrap(), Number { value: Decimal::new(8, 1), percent: true });
        assert_eq!(number(&data.actual[1].1).unwrap().value, Decimal::from(1000));
        assert_eq!(number(&data.actual[2].1).unwrap().value, Decimal::from(1000));
    }

    #[test]
    fn json_numbers_are_exact() {
        let data = parse(r#"{"project": "P", "year": 2018, "funds": {"x": 357.04}}"#, FileId(0), Syntax::Json).unwrap();
        assert_eq!(number(&data.funds[0].1).unwrap().value.to_string(), "357.04");
    }

    #[test]
    fn inf_and_nan_are_not_numbers() {
        let data =
            parse("project = \"P\"\nyear = 2018\n[actual]\na = inf\nb = nan\n", FileId(0), Syntax::Toml).unwrap();
        assert!(number(&data.actual[0].1).is_err());
        assert!(number(&data.actual[1].1).is_err());
    }
}

#[cfg(test)]
mod exactness {
    use super::*;

    #[test]
    fn exponents_and_percents_are_exact_or_refused() {
        let n = |t: &str| number_text(t).map(|n| n.value.to_string());
        assert_eq!(n("1.5e3"), Some("1500".into()));
        assert_eq!(n("2072.4999999999999999999999999e0"), Some("2072.4999999999999999999999999".into()));
        assert_eq!(n("1.00000000000000000000000000001e0"), None, "more digits than a decimal holds");
        assert_eq!(n("97.5%"), Some("0.975".into()));
        assert_eq!(n("0.0000000000000000000000000001%"), None, "not rounded to 0");
        assert_eq!(n("1e400"), None);
    }

    #[test]
    fn only_numbers_are_called_too_large() {
        let code = |t: &str| why_not_a_number(t, t.to_string()).code;
        assert_eq!(code("1e30"), codes::TOO_LARGE);
        assert_eq!(code("123456789012345678901234567890"), codes::TOO_LARGE);
        // Not numbers at all: they used to be called too large.
        assert_eq!(code("1-2"), codes::NOT_A_NUMBER);
        assert_eq!(code("e"), codes::NOT_A_NUMBER);
        assert_eq!(code("1.2.3"), codes::NOT_A_NUMBER);
        assert_eq!(code("--5"), codes::NOT_A_NUMBER);
    }
}
