//! jixiao: rules-as-data for budget-project performance evaluation (绩效自评).

pub mod check;
pub mod cli;
pub mod data;
pub mod diagnostic;
pub mod eval;
pub mod exact;
pub mod messages;
pub mod model;
pub mod report;
pub mod source;
pub mod span;
pub mod syntax;
