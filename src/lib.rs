//! jixiao: rules-as-data for budget-project performance evaluation (绩效自评).

pub mod diagnostic;
pub mod messages;
pub mod source;
pub mod span;
pub mod syntax;
