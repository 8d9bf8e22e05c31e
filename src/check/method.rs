//! Method findings put into words: a counterexample or a missing proof,
//! at the indicator's target and the method's declaration.

use crate::diagnostic::Problem;
use crate::exact::Ratio;
use crate::model::{self, method::Finding};
use crate::span::Span;

use super::codes;

/// Turns a finding into a problem at the indicator's target, with the
/// method's declaration as a second place.
pub fn problem(finding: Finding, id: &str, method: &model::Method, target_span: Span, points: Ratio) -> Problem {
    let p = |r: Ratio| r.to_string();
    let base = |code| Problem::error(code).arg("id", id).arg("method", &method.name.node).arg("points", p(points));
    let problem = match finding {
        Finding::OutOfRange { actual, score } => {
            base(codes::METHOD_RANGE).arg("actual", p(actual)).arg("score", p(score))
        }
        Finding::WrongDirection { low, high } => base(codes::METHOD_DIRECTION)
            .arg("low", p(low.0))
            .arg("low_score", p(low.1))
            .arg("high", p(high.0))
            .arg("high_score", p(high.1)),
        Finding::DivisionByZero { actual } => base(codes::TARGET_ZERO).arg("actual", p(actual)),
        Finding::Unproven => Problem { severity: crate::diagnostic::Severity::Warning, ..base(codes::METHOD_UNPROVEN) },
        Finding::Sampled { tried, places } => Problem {
            severity: crate::diagnostic::Severity::Warning,
            ..base(codes::METHOD_SAMPLED).arg("tried", tried).arg("places", places)
        },
    };
    problem.at(target_span).at(method.name.span)
}
