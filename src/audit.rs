//! Audit: recompute a submitted self-evaluation and compare every figure it
//! claims under `[reported]` with what the rules and data give.
//!
//! Percents compare at the precision the report printed them (a printed
//! 81.2% agrees with 81.23…%); points, scores and counts compare exactly; a
//! deviation printed `0` means exactly 0, except that it agrees with a
//! qualitative indicator at full points. A qualitative indicator's target
//! and actual are the report's words and are not compared.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::data::reported::{Printed, ReportedFigures};
use crate::data::{self, ProjectData};
use crate::diagnostic::Problem;
use crate::eval::{ActualValue, Evaluation, IndicatorResult, TargetValue};
use crate::exact::{Ratio, canonical};
use crate::messages::{Lang, Word};
use crate::model::{CheckedRules, ExprKind};
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Changes a score, a subtotal, the total or the grade.
    Error,
    /// A displayed figure only.
    Warning,
    /// A question for the auditor, not a discrepancy.
    Note,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl Severity {
    pub fn word(self) -> Word {
        match self {
            Severity::Error => Word::Error,
            Severity::Warning => Word::Warning,
            Severity::Note => Word::Note,
        }
    }
}

/// What a finding compares: a figure the report printed, or the report as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Reported,
    Points,
    Score,
    Target,
    Actual,
    Deviation,
    Rate,
    Grade,
    Expect,
    Evidence,
    /// A review rule of the scheme (`review reason`).
    Review,
}

impl Field {
    const ALL: [Field; 11] = [
        Field::Reported,
        Field::Points,
        Field::Score,
        Field::Target,
        Field::Actual,
        Field::Deviation,
        Field::Rate,
        Field::Grade,
        Field::Expect,
        Field::Evidence,
        Field::Review,
    ];

    /// The name in `[reported]` tables, JSON and cause ids.
    pub fn name(self) -> &'static str {
        match self {
            Field::Reported => "reported",
            Field::Points => "points",
            Field::Score => "score",
            Field::Target => "target",
            Field::Actual => "actual",
            Field::Deviation => "deviation",
            Field::Rate => "rate",
            Field::Grade => "grade",
            Field::Expect => "expect",
            Field::Evidence => "evidence",
            Field::Review => "review",
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn word(self) -> Word {
        match self {
            Field::Reported => Word::Reported,
            Field::Points => Word::Points,
            Field::Score => Word::Score,
            Field::Target => Word::Target,
            Field::Actual => Word::Actual,
            Field::Deviation => Word::Deviation,
            Field::Rate => Word::Rate,
            Field::Grade => Word::Grade,
            Field::Expect => Word::Expect,
            Field::Evidence => Word::Evidence,
            Field::Review => Word::Review,
        }
    }

    /// A cause id shared by the findings one wrong figure explains: `points:重点单位巡查`.
    pub fn cause(self, subject: &str) -> String {
        format!("{}:{subject}", self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Indicator,
    Section,
    Group,
    Total,
    Expect,
    Project,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Indicator => "indicator",
            Scope::Section => "section",
            Scope::Group => "group",
            Scope::Total => "total",
            Scope::Expect => "expect",
            Scope::Project => "project",
        }
    }
}

/// Words in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words {
    pub en: String,
    pub zh: String,
}

impl Words {
    fn new(en: impl Into<String>, zh: impl Into<String>) -> Words {
        Words { en: en.into(), zh: zh.into() }
    }

    /// A word of the catalogue in both languages, its placeholders filled.
    fn of(word: Word, args: &[(&str, &str)]) -> Words {
        Words { en: word.fill(Lang::En, args), zh: word.fill(Lang::Zh, args) }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A value as found and as computed: canonical decimal text (percents as
/// fractions) or words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    /// Shown as a percent in tables.
    pub percent: bool,
    /// Shown with a sign (deviations).
    pub signed: bool,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub indicator: Option<String>,
    /// The indicator's official name, the section's name, the expect.
    pub name: String,
    pub scope: Scope,
    pub field: Field,
    pub reported: Option<Value>,
    pub computed: Option<Value>,
    pub severity: Severity,
    /// Findings with one cause share its id.
    pub cause: Option<String>,
    pub message: Words,
    /// Where the reported figure stands in the data file.
    pub span: Option<Span>,
    /// The same figure on another basis the rules offer (a budget rate
    /// over the adjusted budget), beside the one computed.
    pub alternative: Option<Value>,
    /// A stable code for findings about the audit itself (`nothing_reported`).
    pub code: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct Audit {
    pub project: String,
    pub year: i32,
    /// The implementing unit (单位), when the rules name it.
    pub organization: Option<String>,
    /// The total the report printed, when it printed one as a number.
    pub reported_total: Option<Decimal>,
    /// The total the rules give.
    pub computed_total: Decimal,
    pub findings: Vec<Finding>,
}

impl Audit {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// Reported less computed total; `None` when the report printed none.
    pub fn difference(&self) -> Option<Decimal> {
        self.reported_total.map(|r| r - self.computed_total)
    }

    /// Whether the report is consistent (notes allowed).
    pub fn is_clean(&self) -> bool {
        self.findings.iter().all(|f| f.severity == Severity::Note)
    }
}

/// The same figure (id, value, unit) feeding indicators of several projects.
#[derive(Clone, Debug)]
pub struct CrossFinding {
    pub figure: String,
    pub value: String,
    pub unit: Option<String>,
    /// (project, indicator id) pairs that use it.
    pub uses: Vec<(String, String)>,
    pub cause: String,
    pub message: Words,
}

/// The code of the note on a project whose data claims nothing, and of the
/// error when no project given claims anything.
pub const NOTHING_REPORTED: &str = "jixiao::audit::nothing_reported";
/// A section whose indicators' points do not add up to its own (a table as submitted).
pub const POINTS_SUM: &str = "jixiao::audit::points_sum";

/// One decimal of a percent, the precision reports print rates to.
const PERMILLE: Ratio = match Ratio::new_const(1, 1000) {
    Some(r) => r,
    None => Ratio::ONE,
};

fn printed_value(p: &Printed, signed: bool) -> Value {
    match p {
        Printed::Number(d) => Value { text: canonical(*d), percent: false, signed },
        Printed::Percent { value, .. } => Value { text: canonical(*value), percent: true, signed },
        Printed::Text(t) => Value { text: t.clone(), percent: false, signed: false },
    }
}

/// Whether a printed figure agrees with an exact value.
pub fn agrees(printed: &Printed, computed: Ratio) -> bool {
    match printed {
        Printed::Number(d) => Ratio::from_decimal(*d) == computed,
        Printed::Percent { value, places: Some(places) } => Ratio::new(1, 10i128.pow((*places).min(28)))
            .and_then(|step| computed.round_to(step))
            .is_ok_and(|r| r == Ratio::from_decimal(*value)),
        Printed::Percent { value, places: None } => Ratio::from_decimal(*value) == computed,
        Printed::Text(_) => false,
    }
}

struct Auditor<'a> {
    evaluation: &'a Evaluation,
    data: &'a ProjectData,
    findings: Vec<Finding>,
}

/// Compares the data file's `[reported]` with the evaluation.
pub fn audit(evaluation: &Evaluation, data: &ProjectData) -> Audit {
    let mut auditor = Auditor { evaluation, data, findings: Vec::new() };
    if !data.claims.claims_anything() {
        // Silence would read as "the report agrees"; there was nothing to compare.
        auditor.push(Finding {
            indicator: None,
            name: evaluation.project.clone(),
            scope: Scope::Project,
            field: Field::Reported,
            reported: None,
            computed: None,
            severity: Severity::Note,
            cause: None,
            message: Words::of(Word::NothingReported, &[]),
            span: Some(data.project.span),
            alternative: None,
            code: Some(NOTHING_REPORTED),
        });
    }
    auditor.indicators();
    auditor.sections();
    auditor.points_add_up();
    auditor.groups();
    auditor.total();
    auditor.expects();
    auditor.reviews();
    auditor.budget_bases();
    let reported_total = match data.claims.total.as_ref().map(|t| &t.node) {
        Some(Printed::Number(total)) => Some(*total),
        _ => None,
    };
    Audit {
        project: evaluation.project.clone(),
        year: evaluation.year,
        organization: evaluation.organization.clone(),
        reported_total,
        computed_total: evaluation.total.score,
        findings: auditor.findings,
    }
}

impl Auditor<'_> {
    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn indicators(&mut self) {
        let claims = &self.data.claims;
        for section in &self.evaluation.sections {
            for indicator in &section.indicators {
                let Some((_, printed)) = claims.indicators.iter().find(|(id, _)| id.node == indicator.id) else {
                    continue;
                };
                self.indicator(indicator, &section.name, printed);
            }
        }
    }

    fn indicator(&mut self, ind: &IndicatorResult, section: &str, printed: &ReportedFigures) {
        let numeric = matches!(ind.target, TargetValue::Numeric { .. });
        let percent = matches!(&ind.target, TargetValue::Numeric { unit: Some(u), .. } if u == "%");
        let finding = |field: Field, reported: &Printed, computed: Value, severity, message: Words| Finding {
            indicator: Some(ind.id.clone()),
            name: ind.name.clone(),
            scope: Scope::Indicator,
            field,
            reported: Some(printed_value(reported, field == Field::Deviation)),
            computed: Some(computed),
            severity,
            cause: None,
            message,
            span: printed.get(field.name()).map(|p| p.span),
            alternative: None,
            code: None,
        };

        if let Some(p) = printed.get("points")
            && !agrees(&p.node, Ratio::from_decimal(ind.points))
        {
            let mut f = finding(
                Field::Points,
                &p.node,
                Value { text: canonical(ind.points), percent: false, signed: false },
                Severity::Error,
                self.points_cause(ind, section, &p.node),
            );
            f.cause = Some(Field::Points.cause(&ind.id));
            self.push(f);
        }
        if let Some(p) = printed.get("score")
            && !agrees(&p.node, Ratio::from_decimal(ind.score))
        {
            let formula = format!("{} = {}", ind.trace.formula, ind.score);
            let mut f = finding(
                Field::Score,
                &p.node,
                Value { text: canonical(ind.score), percent: false, signed: false },
                Severity::Error,
                Words::of(Word::RulesGiveScore, &[("formula", &formula)]),
            );
            f.cause = Some(Field::Score.cause(&ind.id));
            self.push(f);
        }
        if numeric && let TargetValue::Numeric { value, .. } = &ind.target {
            if let Some(p) = printed.get("target")
                && !agrees(&p.node, Ratio::from_decimal(*value))
            {
                let f = finding(
                    Field::Target,
                    &p.node,
                    Value { text: canonical(*value), percent, signed: false },
                    Severity::Warning,
                    Words::of(Word::OtherTarget, &[]),
                );
                self.push(f);
            }
            // A bound the data gives as printed (`≥84%`) agrees with the same text.
            let same_bound = |p: &Printed| match (p, &ind.actual) {
                (Printed::Text(t), ActualValue::Number { printed: Some(x), .. }) => {
                    t.replace(' ', "") == x.replace(' ', "")
                }
                _ => false,
            };
            if let (Some(p), Some(actual)) = (printed.get("actual"), ind.exact.actual)
                && !agrees(&p.node, actual)
                && !same_bound(&p.node)
            {
                let f = finding(
                    Field::Actual,
                    &p.node,
                    Value { text: Ratio::canonical(actual), percent, signed: false },
                    Severity::Warning,
                    Words::of(Word::OtherActual, &[]),
                );
                self.push(f);
            }
        }
        // A deadline: the printed days agree when they are the same day, in any form.
        if let (TargetValue::Deadline { by }, ActualValue::Date { done, .. }) = (&ind.target, &ind.actual) {
            let same_day = |p: &Printed, day: Option<&str>| match p {
                Printed::Text(t) => match crate::date::Date::parse(t) {
                    Some(d) => day == Some(d.to_string().as_str()),
                    None => day.is_none() && crate::model::admit::UNDONE.contains(&t.trim()),
                },
                _ => false,
            };
            let undone = crate::model::admit::UNDONE[0];
            for (field, day) in [(Field::Target, Some(by.as_str())), (Field::Actual, done.as_deref())] {
                if let Some(p) = printed.get(field.name())
                    && !same_day(&p.node, day)
                {
                    let text = day.unwrap_or(undone).to_string();
                    let word = if field == Field::Target { Word::OtherTarget } else { Word::OtherActual };
                    let f = finding(
                        field,
                        &p.node,
                        Value { text, percent: false, signed: false },
                        Severity::Warning,
                        Words::of(word, &[]),
                    );
                    self.push(f);
                }
            }
        }
        if let Some(p) = printed.get("deviation") {
            let full_qualitative = !numeric && ind.score == ind.points;
            let agreed = match ind.exact.deviation {
                Some(d) => agrees(&p.node, d),
                None => full_qualitative && agrees(&p.node, Ratio::ZERO),
            };
            if !agreed {
                let computed = ind.exact.deviation.map(|d| {
                    let shown = ind.deviation.map(canonical).unwrap_or_else(|| Ratio::canonical(d));
                    Value { text: shown, percent: true, signed: true }
                });
                let explanation = match (&ind.actual, &ind.target) {
                    (ActualValue::Number { value: a, .. }, TargetValue::Numeric { value: t, .. }) if !t.is_zero() => {
                        let shown = computed.as_ref().map(|c| percent_text(&c.text, true)).unwrap_or_default();
                        Words::new(
                            format!("({} − {t}) / {t} = {shown}", a.normalize()),
                            format!("({} − {t}) / {t} = {shown}", a.normalize()),
                        )
                    }
                    _ => Words::of(Word::NoDeviation, &[]),
                };
                self.push(Finding {
                    computed,
                    ..finding(
                        Field::Deviation,
                        &p.node,
                        Value { text: String::new(), percent: true, signed: true },
                        Severity::Warning,
                        explanation,
                    )
                });
            }
        }
    }

    /// Why a printed points value is wrong: what it does to its section's
    /// sum, and whether the printed score follows from the rules' points.
    fn points_cause(&self, ind: &IndicatorResult, section: &str, printed: &Printed) -> Words {
        let mut causes = Vec::new();
        let shown = printed_value(printed, false).text;
        if let Some(s) = self.evaluation.sections.iter().find(|s| s.name == section) {
            let mut sum = Decimal::ZERO;
            for other in &s.indicators {
                let reported = self
                    .data
                    .claims
                    .indicators
                    .iter()
                    .find(|(id, _)| id.node == other.id)
                    .and_then(|(_, f)| f.get("points"))
                    .and_then(|p| match &p.node {
                        Printed::Number(d) => Some(*d),
                        _ => None,
                    });
                sum += reported.unwrap_or(other.points);
            }
            if sum != s.points {
                let (sum, of) = (canonical(sum), canonical(s.points));
                let args = [("points", shown.as_str()), ("section", section), ("sum", &sum), ("of", &of)];
                causes.push(Words::of(Word::PointsBreakSection, &args));
            }
        }
        if let Some(score) =
            self.data.claims.indicators.iter().find(|(id, _)| id.node == ind.id).and_then(|(_, f)| f.get("score"))
            && agrees(&score.node, Ratio::from_decimal(ind.score))
        {
            let (s, formula, points) = (canonical(ind.score), ind.trace.formula.clone(), canonical(ind.points));
            let args = [("score", s.as_str()), ("formula", &formula), ("points", &points)];
            causes.push(Words::of(Word::ScoreFollowsPoints, &args));
        }
        if causes.is_empty() {
            causes.push(Words::of(Word::RulesGivePoints, &[("points", &canonical(ind.points))]));
        }
        let join = |lang: Lang| {
            let parts: Vec<&str> = causes.iter().map(|c| c.get(lang)).collect();
            parts.join(Word::CauseSeparator.text(lang))
        };
        Words::new(join(Lang::En), join(Lang::Zh))
    }

    fn sections(&mut self) {
        for (name, printed) in &self.data.claims.sections {
            let Some(section) = self.evaluation.sections.iter().find(|s| s.name == name.node) else { continue };
            // A subtotal that is off shares the cause of the first indicator score that is.
            let cause = self
                .findings
                .iter()
                .find(|f| {
                    f.field == Field::Score && section.indicators.iter().any(|i| Some(&i.id) == f.indicator.as_ref())
                })
                .and_then(|f| f.cause.clone());
            let base = |field: Field, computed: Value, severity, message: Words| Finding {
                indicator: None,
                name: section.name.clone(),
                scope: Scope::Section,
                field,
                reported: printed.get(field.name()).map(|p| printed_value(&p.node, false)),
                computed: Some(computed),
                severity,
                cause: cause.clone(),
                message,
                span: printed.get(field.name()).map(|p| p.span),
                alternative: None,
                code: None,
            };
            let plain = |d: Decimal| Value { text: canonical(d), percent: false, signed: false };
            if let Some(p) = printed.get("points")
                && !agrees(&p.node, Ratio::from_decimal(section.points))
            {
                let f =
                    base(Field::Points, plain(section.points), Severity::Error, Words::of(Word::SectionPoints, &[]));
                self.push(Finding { cause: None, ..f });
            }
            if let Some(p) = printed.get("score")
                && !agrees(&p.node, Ratio::from_decimal(section.score))
            {
                let f = base(Field::Score, plain(section.score), Severity::Error, Words::of(Word::IndicatorSum, &[]));
                self.push(f);
            }
            if let Some(p) = printed.get("rate")
                && let Ok(rate) = Ratio::from_decimal(section.score).checked_div(Ratio::from_decimal(section.points))
                && !agrees(&p.node, rate)
            {
                let shown = section.rate.map(canonical).unwrap_or_else(|| Ratio::canonical(rate));
                let message = Words::new(
                    format!("{} / {} = {}", section.score, section.points, percent_text(&shown, false)),
                    format!("{} / {} = {}", section.score, section.points, percent_text(&shown, false)),
                );
                let f =
                    base(Field::Rate, Value { text: shown, percent: true, signed: false }, Severity::Warning, message);
                self.push(f);
            }
        }
    }

    /// A table as submitted keeps its printed points: where a section's
    /// indicators' points do not add up to the section's, the table
    /// contradicts itself (the checker only warned).
    fn points_add_up(&mut self) {
        for section in &self.evaluation.sections {
            let sum: Decimal = section.indicators.iter().map(|i| i.points).sum();
            if sum == section.points {
                continue;
            }
            let (sum, points) = (canonical(sum), canonical(section.points));
            self.push(Finding {
                indicator: None,
                name: section.name.clone(),
                scope: Scope::Section,
                field: Field::Points,
                reported: Some(Value { text: points.clone(), percent: false, signed: false }),
                computed: Some(Value { text: sum.clone(), percent: false, signed: false }),
                severity: Severity::Error,
                cause: None,
                message: Words::of(Word::IndicatorPointsSum, &[("sum", &sum), ("points", &points)]),
                span: None,
                alternative: None,
                code: Some(POINTS_SUM),
            });
        }
    }

    /// Groups with points of their own: the points and the sum of their scores.
    fn groups(&mut self) {
        for (name, printed) in &self.data.claims.groups {
            let found = self.evaluation.sections.iter().flat_map(|s| s.groups.iter()).find(|g| g.name == name.node);
            let Some(group) = found else { continue };
            let checks = [
                (Field::Points, group.points, Word::GroupPointsDiffer),
                (Field::Score, group.score, Word::IndicatorSum),
            ];
            for (field, computed, word) in checks {
                if let Some(p) = printed.get(field.name())
                    && !agrees(&p.node, Ratio::from_decimal(computed))
                {
                    self.push(Finding {
                        indicator: None,
                        name: group.name.clone(),
                        scope: Scope::Group,
                        field,
                        reported: Some(printed_value(&p.node, false)),
                        computed: Some(Value { text: canonical(computed), percent: false, signed: false }),
                        severity: Severity::Error,
                        cause: None,
                        message: Words::of(word, &[]),
                        span: Some(p.span),
                        alternative: None,
                        code: None,
                    });
                }
            }
        }
    }

    fn total(&mut self) {
        let total = &self.evaluation.total;
        let claims = &self.data.claims;
        let cause = self.findings.iter().find(|f| f.field == Field::Score).and_then(|f| f.cause.clone());
        let with_apart = total
            .with_apart
            .filter(|w| claims.total.as_ref().is_some_and(|p| agrees(&p.node, Ratio::from_decimal(*w))));
        if let (Some(p), Some(with_apart)) = (&claims.total, with_apart)
            && !agrees(&p.node, Ratio::from_decimal(total.score))
        {
            // The other convention of 财预〔2020〕10号 tables: the total with the budget row.
            let apart: Vec<&str> =
                self.evaluation.sections.iter().filter(|s| s.apart).map(|s| s.name.as_str()).collect();
            let fill = |lang: Lang| {
                let sections = apart.join(Word::PlaceSeparator.text(lang));
                let args = [
                    ("sections", sections.as_str()),
                    ("total", &canonical(total.score)),
                    ("with", &canonical(with_apart)),
                ];
                Word::TotalWithApartNote.fill(lang, &args)
            };
            self.push(Finding {
                indicator: None,
                name: "total".into(),
                scope: Scope::Total,
                field: Field::Score,
                reported: Some(printed_value(&p.node, false)),
                computed: Some(Value { text: canonical(total.score), percent: false, signed: false }),
                severity: Severity::Note,
                cause: None,
                message: Words::new(fill(Lang::En), fill(Lang::Zh)),
                span: Some(p.span),
                alternative: Some(Value { text: canonical(with_apart), percent: false, signed: false }),
                code: None,
            });
        } else if let Some(p) = &claims.total
            && !agrees(&p.node, Ratio::from_decimal(total.score))
        {
            self.push(Finding {
                indicator: None,
                name: "total".into(),
                scope: Scope::Total,
                field: Field::Score,
                reported: Some(printed_value(&p.node, false)),
                computed: Some(Value { text: canonical(total.score), percent: false, signed: false }),
                severity: Severity::Error,
                cause: cause.clone(),
                message: Words::of(Word::SectionSum, &[]),
                span: Some(p.span),
                alternative: None,
                code: None,
            });
        }
        if let Some(p) = &claims.grade {
            let computed = total.grade.clone().unwrap_or_default();
            if !matches!(&p.node, Printed::Text(t) if *t == computed) {
                self.push(Finding {
                    indicator: None,
                    name: "total".into(),
                    scope: Scope::Total,
                    field: Field::Grade,
                    reported: Some(printed_value(&p.node, false)),
                    computed: Some(Value { text: computed, percent: false, signed: false }),
                    severity: Severity::Error,
                    cause,
                    message: Words::of(Word::OtherGrade, &[("total", &total.score.to_string())]),
                    span: Some(p.span),
                    alternative: None,
                    code: None,
                });
            }
        }
    }

    /// Failing `expect`s on raw figures are findings of the audit.
    fn expects(&mut self) {
        let failed: Vec<&Problem> =
            self.evaluation.warnings.iter().filter(|p| p.code == crate::eval::codes::EXPECT_FAILED).collect();
        for problem in failed {
            let expect = problem.get("expect").unwrap_or_default().to_string();
            self.push(Finding {
                indicator: None,
                name: expect.clone(),
                scope: Scope::Expect,
                field: Field::Expect,
                reported: None,
                computed: None,
                severity: Severity::Warning,
                cause: None,
                message: Words::new(problem.render(Lang::En).message, problem.render(Lang::Zh).message),
                span: problem.spans.first().copied(),
                alternative: None,
                code: None,
            });
        }
    }

    /// What the scheme's review rules ask of the report (a shortfall
    /// without a reason, a rate over 100% …): findings with their codes.
    fn reviews(&mut self) {
        let asked: Vec<&Problem> = self
            .evaluation
            .warnings
            .iter()
            .filter(|p| p.code.starts_with("jixiao::review::") || p.code == crate::eval::codes::PRINTED_ACTUAL)
            .collect();
        for problem in asked {
            let id = problem.get("id").unwrap_or_default().to_string();
            let name = self.evaluation.indicator(&id).map(|i| i.name.clone()).unwrap_or_else(|| id.clone());
            self.push(Finding {
                indicator: Some(id),
                name,
                scope: Scope::Indicator,
                field: Field::Review,
                reported: None,
                computed: None,
                severity: Severity::Warning,
                cause: None,
                message: Words::new(problem.render(Lang::En).message, problem.render(Lang::Zh).message),
                // The value in the data file, when the data gave it.
                span: problem.spans.iter().copied().find(|s| s.file == self.data.file),
                alternative: None,
                code: Some(problem.code),
            });
        }
    }

    /// The budget rate on another basis its own checks offer: a note.
    fn budget_bases(&mut self) {
        let Some(id) = &self.evaluation.budget else { return };
        let Some(indicator) = self.evaluation.indicator(id) else { return };
        let Some(actual) = indicator.exact.actual else { return };
        for basis in &self.evaluation.budget_bases {
            if basis.rate == actual {
                continue;
            }
            let as_percent = |r: Ratio| percent_text(&Ratio::canonical(r.round_to(PERMILLE).unwrap_or(r)), false);
            let (rate, now) = (as_percent(basis.rate), as_percent(actual));
            let value = Ratio::canonical(basis.basis_value);
            let printed = self
                .data
                .claims
                .indicators
                .iter()
                .find(|(claimed, _)| claimed.node == indicator.id)
                .and_then(|(_, figures)| figures.get("actual"));
            self.push(Finding {
                indicator: Some(indicator.id.clone()),
                name: indicator.name.clone(),
                scope: Scope::Project,
                field: Field::Actual,
                // What the report printed for the rate, what the rules give, and
                // the rate on the other basis beside them.
                reported: printed.map(|p| printed_value(&p.node, false)),
                computed: Some(Value { text: Ratio::canonical(actual), percent: true, signed: false }),
                severity: Severity::Note,
                cause: None,
                message: Words::of(
                    Word::OtherBasis,
                    &[
                        ("now", &now),
                        ("expect", &basis.expect.to_string()),
                        ("basis", &basis.basis.to_string()),
                        ("value", &value),
                        ("rate", &rate),
                    ],
                ),
                span: Some(basis.span),
                alternative: Some(Value { text: Ratio::canonical(basis.rate), percent: true, signed: false }),
                code: None,
            });
        }
    }
}

/// `-0.309` → `-30.9%`; with `signed`, `+28.4%` and `0`.
pub fn percent_text(fraction: &str, signed: bool) -> String {
    match fraction.parse::<Decimal>() {
        Ok(d) => crate::report::percent(d, signed),
        Err(_) => fraction.to_string(),
    }
}

/// A figure as evidence: its id, value and unit.
type Evidence = (String, String, Option<String>);

/// The same evidence claimed by several projects: a figure from `[figures]`
/// with the same id, value and unit feeding an indicator in each.
pub fn cross_project(rules: &CheckedRules, projects: &[(&ProjectData, &Evaluation)]) -> Vec<CrossFinding> {
    let mut uses: BTreeMap<Evidence, Vec<(String, String)>> = BTreeMap::new();
    for (data, evaluation) in projects {
        let Some(index) = rules.find_project(&data.project.node, data.year.node) else { continue };
        let project = &rules.projects()[index];
        for indicator in &project.indicators {
            let Some(rule) = &indicator.derived else { continue };
            let mut figures = Vec::new();
            crate::model::walk(rule, &mut |e| {
                if let ExprKind::Figure(i) = e.node
                    && !figures.contains(&i)
                {
                    figures.push(i);
                }
            });
            for f in figures {
                let figure = &project.figures[f];
                let Some((_, node)) = data.figures.iter().find(|(k, _)| k.node == figure.name.node) else { continue };
                let Ok(number) = data::number(node) else { continue };
                let key = (figure.name.node.clone(), canonical(number.value), figure.unit.label().map(String::from));
                let entry = (evaluation.project.clone(), indicator.id.node.clone());
                let list = uses.entry(key).or_default();
                if !list.contains(&entry) {
                    list.push(entry);
                }
            }
        }
    }
    let mut findings = Vec::new();
    for ((figure, value, unit), list) in uses {
        let mut projects: Vec<&String> = list.iter().map(|(p, _)| p).collect();
        projects.sort();
        projects.dedup();
        if projects.len() < 2 {
            continue;
        }
        let unit_text = unit.clone().map(|u| format!(" {u}")).unwrap_or_default();
        let places: Vec<String> = list.iter().map(|(p, i)| format!("{i} ({p})")).collect();
        let cause = Field::Evidence.cause(&list.iter().map(|(p, i)| format!("{p}/{i}")).collect::<Vec<_>>().join("+"));
        findings.push(CrossFinding {
            message: {
                let evidence = format!("{value}{unit_text}");
                let fill = |lang: Lang| {
                    let places = places.join(Word::PlaceSeparator.text(lang));
                    Word::SharedEvidence.fill(lang, &[("figure", &figure), ("value", &evidence), ("places", &places)])
                };
                Words::new(fill(Lang::En), fill(Lang::Zh))
            },
            figure,
            value,
            unit,
            uses: list,
            cause,
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn r(n: i128, m: i128) -> Ratio {
        Ratio::new(n, m).unwrap()
    }

    #[test]
    fn percents_compare_at_their_printed_precision() {
        let printed = Printed::Percent { value: d("0.812"), places: Some(3) };
        assert!(agrees(&printed, r(35704, 43953)), "81.2% agrees with 81.23…%");
        let printed = Printed::Percent { value: d("0.41"), places: Some(3) };
        assert!(!agrees(&printed, r(1444, 3500)), "+41.0% does not agree with +41.26…%");
        let printed = Printed::Percent { value: d("0.01"), places: Some(3) };
        assert!(agrees(&printed, r(1, 99)), "+1.0% agrees with 1/99 = 1.01…%");
        let printed = Printed::Percent { value: d("0.97"), places: Some(2) };
        assert!(agrees(&printed, r(9743, 10000)), "97% is printed to whole percents");
    }

    #[test]
    fn numbers_and_a_printed_zero_compare_exactly() {
        assert!(!agrees(&Printed::Number(d("5")), r(23, 5)), "a printed 5 is not 4.6");
        assert!(agrees(&Printed::Number(d("1.88")), r(188, 100)));
        let zero = Printed::Percent { value: Decimal::ZERO, places: None };
        assert!(agrees(&zero, Ratio::ZERO));
        assert!(!agrees(&zero, r(1, 10000)), "a printed 0 means exactly 0");
    }
}
