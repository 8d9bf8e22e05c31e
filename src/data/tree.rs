//! TOML and JSON read into one tree that keeps every value's span and the
//! literal text of every number (no number passes through `f64`).

use jsonc_parser::ast as json;

use crate::diagnostic::Problem;
use crate::messages::Word;
use crate::span::{FileId, Name, Span, Spanned};

use super::codes;

#[derive(Clone, Debug)]
pub struct Node {
    pub span: Span,
    pub value: NodeValue,
}

#[derive(Clone, Debug)]
pub enum NodeValue {
    Table(Vec<(Name, Node)>),
    Array(Vec<Node>),
    /// A number as written (`357.04`, `1_000`, `1e3`), not yet converted.
    Number(String),
    String(String),
    Bool(bool),
    /// A TOML date as written (`2019-12-20`): only a deadline's actual.
    Date(String),
    /// `null` and the like: never valid in a data file.
    Other(&'static str),
}

impl Node {
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Table(_) => "table",
            NodeValue::Array(_) => "array",
            NodeValue::Number(_) => "number",
            NodeValue::String(_) => "string",
            NodeValue::Bool(_) => "boolean",
            NodeValue::Date(_) => "date",
            NodeValue::Other(t) => t,
        }
    }

    pub fn as_table(&self) -> Option<&[(Name, Node)]> {
        match &self.value {
            NodeValue::Table(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_table()?.iter().find(|(k, _)| k.node == key).map(|(_, v)| v)
    }
}

/// The deepest nesting of arrays and tables a data file or record may have:
/// real data nests three or four levels; the parsers recurse per level.
pub const MAX_NESTING: usize = 64;

/// Where `text` nests arrays and tables deeper than [`MAX_NESTING`],
/// outside strings and comments (`#` comments when `toml`).
pub fn too_deep(text: &str, toml: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                // A string: to its closing quote (a backslash escapes in "…").
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' && quote == b'"' { 2 } else { 1 };
                }
            }
            b'#' if toml => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

fn nesting_problem(file: FileId, at: usize) -> Problem {
    Problem::error(codes::TOO_DEEP).arg("limit", MAX_NESTING).at(Span::new(file, at, at + 1))
}

pub fn parse_toml(text: &str, file: FileId) -> Result<Node, Problem> {
    if let Some(at) = too_deep(text, true) {
        return Err(nesting_problem(file, at));
    }
    let table = toml::de::DeTable::parse(text).map_err(|e| {
        let span = e.span().map(|r| Span::new(file, r.start, r.end)).unwrap_or(Span::new(file, 0, 0));
        if let Some(problem) = full_width_near(text, span) {
            return problem;
        }
        // Chinese keys written bare are the commonest TOML mistake: say so.
        let code = if e.message().contains("unquoted key") { codes::UNQUOTED_KEY } else { codes::SYNTAX };
        Problem::error(code).arg("format", "TOML").arg("reason", e.message().trim()).at(span)
    })?;
    let span = table.span();
    Ok(toml_table(table.into_inner(), Span::new(file, span.start, span.end), text, file))
}

fn toml_table(table: toml::de::DeTable<'_>, span: Span, text: &str, file: FileId) -> Node {
    let mut entries = Vec::new();
    for (key, value) in table {
        let key_span = key.span();
        let name = Spanned::new(key.into_inner().into_owned(), Span::new(file, key_span.start, key_span.end));
        entries.push((name, toml_value(value, text, file)));
    }
    // Keep the file's order, so output follows what the author wrote.
    entries.sort_by_key(|(k, _): &(Name, Node)| k.span.start);
    Node { span, value: NodeValue::Table(entries) }
}

fn toml_value(value: toml::Spanned<toml::de::DeValue<'_>>, text: &str, file: FileId) -> Node {
    use toml::de::DeValue;
    let range = value.span();
    let span = Span::new(file, range.start, range.end);
    let literal = || text.get(range.clone()).unwrap_or("").to_string();
    let value = match value.into_inner() {
        DeValue::String(s) => NodeValue::String(s.into_owned()),
        DeValue::Integer(i) if i.radix() == 10 => NodeValue::Number(literal()),
        DeValue::Integer(_) => NodeValue::Other("non-decimal integer"),
        DeValue::Float(_) => NodeValue::Number(literal()),
        DeValue::Boolean(b) => NodeValue::Bool(b),
        DeValue::Datetime(_) => NodeValue::Date(literal()),
        DeValue::Array(items) => NodeValue::Array(items.into_iter().map(|v| toml_value(v, text, file)).collect()),
        DeValue::Table(t) => return toml_table(t, span, text, file),
    };
    Node { span, value }
}

pub fn parse_json(text: &str, file: FileId) -> Result<Node, Problem> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
    };
    // A byte-order mark becomes spaces of the same length, so spans still fit the text.
    let unmarked;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            unmarked = format!("   {rest}");
            unmarked.as_str()
        }
        None => text,
    };
    if let Some(at) = too_deep(text, false) {
        return Err(nesting_problem(file, at));
    }
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        let r = e.range();
        let span = Span::new(file, r.start, r.end);
        full_width_near(text, span)
            .unwrap_or_else(|| Problem::error(codes::SYNTAX).arg("format", "JSON").arg("reason", e.kind()).at(span))
    })?;
    match parsed.value {
        Some(value) => {
            let node = json_value(value, file);
            // JSON allows a key twice; a data file must not (which one would count?).
            match first_duplicate(&node) {
                Some((again, first, key)) => {
                    Err(Problem::error(super::codes::DUPLICATE_KEY).arg("key", key).at(again).at(first))
                }
                None => Ok(node),
            }
        }
        None => Err(Problem::error(codes::SYNTAX)
            .arg("format", "JSON")
            .arg_word("reason", Word::FileEmpty, &[])
            .at(Span::new(file, 0, 0))),
    }
}

fn json_value(value: json::Value<'_>, file: FileId) -> Node {
    let at = |r: jsonc_parser::common::Range| Span::new(file, r.start, r.end);
    match value {
        json::Value::StringLit(s) => Node { span: at(s.range), value: NodeValue::String(s.value.into_owned()) },
        json::Value::NumberLit(n) => Node { span: at(n.range), value: NodeValue::Number(n.value.to_string()) },
        json::Value::BooleanLit(b) => Node { span: at(b.range), value: NodeValue::Bool(b.value) },
        json::Value::NullKeyword(n) => Node { span: at(n.range), value: NodeValue::Other("null") },
        json::Value::Array(a) => Node {
            span: at(a.range),
            value: NodeValue::Array(a.elements.into_iter().map(|v| json_value(v, file)).collect()),
        },
        json::Value::Object(o) => {
            let entries = o
                .properties
                .into_iter()
                .map(|p| {
                    let (name, range) = match p.name {
                        json::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                        json::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    (Spanned::new(name, at(range)), json_value(p.value, file))
                })
                .collect();
            Node { span: at(o.range), value: NodeValue::Table(entries) }
        }
    }
}

/// The first key given twice in any object of the tree: where, where first, which.
fn first_duplicate(node: &Node) -> Option<(Span, Span, String)> {
    match &node.value {
        NodeValue::Table(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if let Some((first, _)) = entries[..i].iter().find(|(f, _)| f.node == k.node) {
                    return Some((k.span, first.span, k.node.clone()));
                }
                if let Some(found) = first_duplicate(v) {
                    return Some(found);
                }
            }
            None
        }
        NodeValue::Array(items) => items.iter().find_map(first_duplicate),
        _ => None,
    }
}

/// A full-width or curly character on the line of a syntax error, which a
/// Chinese input method types for `=`, `"` and the like: the likelier cause
/// than what the parser expected.
fn full_width_near(text: &str, error: Span) -> Option<Problem> {
    let at = (error.start as usize).min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(line_start..line_end)?;
    let (offset, c, instead) = line.char_indices().find_map(|(i, c)| half_width(c).map(|h| (i, c, h)))?;
    let start = line_start + offset;
    Some(Problem::error(codes::FULL_WIDTH).arg("found", c).arg("instead", instead).at(Span::new(
        error.file,
        start,
        start + c.len_utf8(),
    )))
}

fn half_width(c: char) -> Option<&'static str> {
    Some(match c {
        '＝' => "=",
        '“' | '”' | '＂' => "\"",
        '‘' | '’' => "'",
        '［' | '【' => "[",
        '］' | '】' => "]",
        '｛' => "{",
        '｝' => "}",
        '，' => ",",
        '：' => ":",
        '＃' => "#",
        _ => return None,
    })
}
