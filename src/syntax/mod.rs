//! Text → AST: the grammar, the syntax tree, and the lowering between them.

pub mod ast;
pub mod error;
pub mod grammar;
pub mod lower;

pub use lower::parse;
