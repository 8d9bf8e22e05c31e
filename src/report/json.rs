//! `--format json`: the `jixiao.evaluation/1` contract (README, "Command line").

use serde::Serialize;

use crate::eval::{ActualValue, Evaluation, FullAt, IndicatorResult, TargetValue};
use crate::exact::canonical;
use crate::sink::Sink;

/// Appends `text` as one JSON string, quoted and escaped (RFC 8259: quotes,
/// backslashes and control characters; everything else as it is, UTF-8). The one
/// JSON Lines string writer of batch output and generated records; it
/// allocates nothing and cannot fail.
pub fn push_string<S: Sink>(out: &mut S, text: &str) {
    out.push('"');
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Another control character: four hex digits.
            c => {
                out.push_str("\\u00");
                for nibble in [c as u32 >> 4, c as u32 & 0xf] {
                    out.push_byte(b"0123456789abcdef"[nibble as usize & 0xf]);
                }
            }
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out.push('"');
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    #[serde(flatten)]
    evaluation: EvaluationJson<'a>,
}

/// The `jixiao.evaluations/1` document as serde lays it out: `render`
/// writes the same text with each project laid out on its own core.
#[cfg(test)]
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
    /// With sections counted apart added back; only when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    with_apart: Option<String>,
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
    /// Counted apart from the total; only written when it is.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    apart: bool,
    score: String,
    rate: Option<String>,
    indicators: Vec<IndicatorJson<'a>>,
    /// Groups with points of their own; only written when there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    groups: Vec<GroupJson<'a>>,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    name: &'a str,
    points: String,
    score: String,
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
    /// The data's text when it gave the actual as a bound (`≥80%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    printed_actual: Option<&'a str>,
    derived: bool,
    fraction: Option<String>,
    points: String,
    method: Option<&'a str>,
    score: String,
    deviation: Option<String>,
    /// A deadline's days after it; null when the work was not done.
    #[serde(skip_serializing_if = "Option::is_none")]
    days_late: Option<Option<String>>,
    /// A checklist's items, each with whether it was met.
    #[serde(skip_serializing_if = "Option::is_none")]
    checklist: Option<ChecklistJson<'a>>,
    loss: Option<LossJson>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct ChecklistJson<'a> {
    deduct: String,
    items: Vec<ItemJson<'a>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    wording: &'a str,
    met: bool,
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
        TargetValue::Deadline { by } => (Some("<="), by.clone(), None, None),
        TargetValue::Checklist { items, .. } => {
            (None, items.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join("、"), None, None)
        }
    };
    let (actual, derived, fraction) = match &i.actual {
        ActualValue::Number { value, derived, .. } => (canonical(*value), *derived, None),
        ActualValue::Level { name, fraction } => (name.clone(), false, Some(canonical(*fraction))),
        ActualValue::Date { done, .. } => {
            (done.clone().unwrap_or_else(|| crate::model::admit::UNDONE[0].to_string()), false, None)
        }
        ActualValue::Items { met, .. } => (met.join("、"), false, None),
    };
    let checklist = match (&i.target, &i.actual) {
        (TargetValue::Checklist { items, deduct }, ActualValue::Items { met, .. }) => Some(ChecklistJson {
            deduct: canonical(*deduct),
            items: items.iter().map(|(id, wording)| ItemJson { id, wording, met: met.contains(id) }).collect(),
        }),
        _ => None,
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
        printed_actual: match &i.actual {
            ActualValue::Number { printed, .. } => printed.as_deref(),
            _ => None,
        },
        derived,
        fraction,
        points: canonical(i.points),
        method: i.method.as_deref(),
        score: canonical(i.score),
        deviation: i.deviation.map(canonical),
        days_late: match &i.actual {
            ActualValue::Date { days_late, .. } => Some(days_late.map(canonical)),
            _ => None,
        },
        checklist,
        loss: i.loss.as_ref().map(|l| LossJson {
            points: canonical(l.points),
            full_at: l.full_at.as_ref().and_then(|f| match (f, &i.target) {
                // 0 days late is the deadline; 0 items missing is every item.
                (FullAt::Actual(_), TargetValue::Deadline { by }) => Some(by.clone()),
                (FullAt::Actual(_), TargetValue::Checklist { items, .. }) => {
                    Some(items.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join("、"))
                }
                (f, _) => match f {
                    FullAt::Actual(d) => Some(canonical(*d)),
                    FullAt::Level(name) => Some(name.clone()),
                    FullAt::Beyond { .. } => None,
                },
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
            with_apart: e.total.with_apart.map(canonical),
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
                apart: s.apart,
                score: canonical(s.score),
                rate: s.rate.map(canonical),
                indicators: s.indicators.iter().map(indicator).collect(),
                groups: s
                    .groups
                    .iter()
                    .map(|g| GroupJson { name: &g.name, points: canonical(g.points), score: canonical(g.score) })
                    .collect(),
            })
            .collect(),
    }
}

/// One evaluation, or a batch of several, as pretty JSON with a final newline.
pub fn render(evaluations: &[Evaluation]) -> String {
    let document = |e: &Evaluation| {
        // Serializing these plain structs cannot fail; an empty object is the fallback.
        serde_json::to_string_pretty(&Document { schema: "jixiao.evaluation/1", evaluation: evaluation(e) })
            .unwrap_or_else(|_| "{}".to_string())
    };
    let mut text = match evaluations {
        [one] => document(one),
        [] => "{\n  \"schema\": \"jixiao.evaluations/1\",\n  \"projects\": []\n}".to_string(),
        // Each project laid out on its own core, then indented into the list as
        // serde_json would (its strings hold no line breaks: they are escaped).
        many => {
            let projects = crate::parallel::map(
                many,
                || (),
                |e, _| {
                    let mut out = String::new();
                    for (i, line) in document(e).lines().enumerate() {
                        if i > 0 {
                            out.push('\n');
                        }
                        out.push_str("    ");
                        out.push_str(line);
                    }
                    out
                },
            );
            format!("{{\n  \"schema\": \"jixiao.evaluations/1\",\n  \"projects\": [\n{}\n  ]\n}}", projects.join(",\n"))
        }
    };
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn several_projects_laid_out_apart_read_as_serde_would_write_them() {
        #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
        let rules = crate::check::check_source(
            "r.jx",
            "scheme 示例方案 {\n total 10\n unit 台: count\n round score half_up 0.01\n\
             method proportional = if actual >= target then points else points * actual / target\n\
             default >= proportional\n grade 优秀 >= 90%; grade 差 otherwise\n}\n\
             project 巡查项目 {\n year 2018\n goal \"第一行\\n第二行 \\\"引号\\\"\"\n\
             section 产出指标 points 10 {\n indicator 巡查 \"巡查台数\" { target >= 3000 台; points 10 }\n }\n}\n",
        );
        let rules = rules.rules.unwrap();
        let data = crate::data::parse(
            "project = \"巡查项目\"\nyear = 2018\n[actual]\n\"巡查\" = 2072\n",
            crate::span::FileId(1),
            crate::data::Syntax::Toml,
        )
        .unwrap();
        let one = crate::eval::evaluate(&rules, &data).unwrap();
        let many = vec![one.clone(), one.clone(), one];
        let whole = super::Batch {
            schema: "jixiao.evaluations/1",
            projects: many
                .iter()
                .map(|e| super::Document { schema: "jixiao.evaluation/1", evaluation: super::evaluation(e) })
                .collect(),
        };
        let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        assert_eq!(super::render(&many), expected);
        let none = serde_json::to_string_pretty(&super::Batch { schema: "jixiao.evaluations/1", projects: vec![] });
        assert_eq!(super::render(&[]), none.unwrap() + "\n");
    }

    proptest::proptest! {
        /// Any text comes back as itself, on one line.
        #[test]
        fn a_string_reads_back_as_itself(text in proptest::prelude::any::<String>()) {
            let mut out = String::new();
            super::push_string(&mut out, &text);
            proptest::prop_assert!(!out.contains(['\n', '\r']));
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text.as_str());
            // Batch lines are bytes: the same text.
            let mut bytes = Vec::new();
            super::push_string(&mut bytes, &text);
            proptest::prop_assert_eq!(bytes, out.into_bytes());
        }
    }

    #[test]
    fn escapes_what_json_requires() {
        let mut out = String::new();
        super::push_string(&mut out, "a\"b\\c\n\u{1f}重点");
        assert_eq!(out, r#""a\"b\\c\n\u001f重点""#);
    }
}
