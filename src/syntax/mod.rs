//! Text → AST: the grammar, the syntax tree, and the lowering between them.

pub mod ast;
pub mod ends;
pub mod error;
pub mod grammar;
pub mod lower;

pub use lower::parse;

/// Whether `word` reads as a plain name (not a keyword, nothing to quote).
pub fn is_plain_name(word: &str) -> bool {
    use pest::Parser;
    grammar::JixiaoParser::parse(grammar::Rule::plain_name, word)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_span().end() == word.len())
}

/// A name as the rules write it: plain when it can be, else in backticks.
pub fn written_name(name: &str) -> String {
    if is_plain_name(name) { name.to_string() } else { format!("`{name}`") }
}
