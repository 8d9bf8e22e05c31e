//! `--format json`: the `jixiao.evaluation/1` contract (README, "Command line").

use serde::Serialize;

use crate::eval::{ActualValue, Evaluation, FullAt, IndicatorResult, TargetValue};
use crate::exact::canonical;

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    #[serde(flatten)]
    evaluation: EvaluationJson<'a>,
}

#[derive(Serialize)]
struct Batch<'a> {
    schema: &'static str,
    projects: Vec<Document<'a>>,
}

#[derive(Serialize)]
struct EvaluationJson<'a> {
    project: ProjectJson<'a>,
    scheme: &'a str,
    total: TotalJson<'a>,
    funds: serde_json::Map<String, serde_json::Value>,
    budget: Option<&'a str>,
    goal: GoalJson<'a>,
    sections: Vec<SectionJson<'a>>,
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    name: &'a str,
    year: i32,
    organization: Option<&'a str>,
}

#[derive(Serialize)]
struct TotalJson<'a> {
    points: String,
    score: String,
    rate: Option<String>,
    grade: Option<&'a str>,
}

#[derive(Serialize)]
struct GoalJson<'a> {
    target: Option<&'a str>,
    result: Option<&'a str>,
}

#[derive(Serialize)]
struct SectionJson<'a> {
    name: &'a str,
    points: String,
    score: String,
    rate: Option<String>,
    indicators: Vec<IndicatorJson<'a>>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    id: &'a str,
    name: &'a str,
    group: Option<&'a str>,
    direction: Option<&'static str>,
    target: String,
    printed_target: Option<&'a str>,
    unit: Option<&'a str>,
    actual: String,
    derived: bool,
    fraction: Option<String>,
    points: String,
    method: Option<&'a str>,
    score: String,
    deviation: Option<String>,
    loss: Option<LossJson>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct LossJson {
    points: String,
    /// The actual (canonical decimal, a percent as a fraction) or level at
    /// which the method gives full points; null when none does.
    full_at: Option<String>,
    /// Where the printed (rounded) score is already full, when before `full_at`.
    #[serde(skip_serializing_if = "Option::is_none")]
    full_at_printed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
}

fn indicator(i: &IndicatorResult) -> IndicatorJson<'_> {
    let (direction, target, printed_target, unit) = match &i.target {
        TargetValue::Numeric { direction, value, unit } => {
            (Some(direction.symbol()), canonical(*value), None, unit.as_deref())
        }
        TargetValue::Level { name, printed } => (None, name.clone(), printed.as_deref(), None),
    };
    let (actual, derived, fraction) = match &i.actual {
        ActualValue::Number { value, derived } => (canonical(*value), *derived, None),
        ActualValue::Level { name, fraction } => (name.clone(), false, Some(canonical(*fraction))),
    };
    IndicatorJson {
        id: &i.id,
        name: &i.name,
        group: i.group.as_deref(),
        direction,
        target,
        printed_target,
        unit,
        actual,
        derived,
        fraction,
        points: canonical(i.points),
        method: i.method.as_deref(),
        score: canonical(i.score),
        deviation: i.deviation.map(canonical),
        loss: i.loss.as_ref().map(|l| LossJson {
            points: canonical(l.points),
            full_at: l.full_at.as_ref().and_then(|f| match f {
                FullAt::Actual(d) => Some(canonical(*d)),
                FullAt::Level(name) => Some(name.clone()),
                FullAt::Beyond { .. } => None,
            }),
            full_at_printed: l.printed_at.map(canonical),
            why: match &l.full_at {
                None => Some("no actual in the declared range gives full points".to_string()),
                Some(FullAt::Beyond { bound, above: true }) => {
                    Some(format!("full points for every actual above {}, never at it", canonical(*bound)))
                }
                Some(FullAt::Beyond { bound, above: false }) => {
                    Some(format!("full points for every actual below {}, never at it", canonical(*bound)))
                }
                Some(_) => None,
            },
        }),
        reason: i.reason.as_deref(),
    }
}

fn evaluation(e: &Evaluation) -> EvaluationJson<'_> {
    EvaluationJson {
        project: ProjectJson { name: &e.project, year: e.year, organization: e.organization.as_deref() },
        scheme: &e.scheme,
        total: TotalJson {
            points: canonical(e.total.points),
            score: canonical(e.total.score),
            rate: e.total.rate.map(canonical),
            grade: e.total.grade.as_deref(),
        },
        funds: e.funds.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(canonical(*v)))).collect(),
        budget: e.budget.as_deref(),
        goal: GoalJson { target: e.goal.target.as_deref(), result: e.goal.result.as_deref() },
        sections: e
            .sections
            .iter()
            .map(|s| SectionJson {
                name: &s.name,
                points: canonical(s.points),
                score: canonical(s.score),
                rate: s.rate.map(canonical),
                indicators: s.indicators.iter().map(indicator).collect(),
            })
            .collect(),
    }
}

/// One evaluation, or a batch of several, as pretty JSON with a final newline.
pub fn render(evaluations: &[Evaluation]) -> String {
    let text = match evaluations {
        [one] => serde_json::to_string_pretty(&Document { schema: "jixiao.evaluation/1", evaluation: evaluation(one) }),
        many => serde_json::to_string_pretty(&Batch {
            schema: "jixiao.evaluations/1",
            projects: many
                .iter()
                .map(|e| Document { schema: "jixiao.evaluation/1", evaluation: evaluation(e) })
                .collect(),
        }),
    };
    // Serializing these plain structs cannot fail; an empty document is the fallback.
    let mut text = text.unwrap_or_default();
    text.push('\n');
    text
}
