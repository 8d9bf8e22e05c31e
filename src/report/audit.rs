//! Audit results: a terminal table, Markdown, and the `jixiao.audit/1` JSON.

use std::fmt::Write;

use serde::Serialize;

use super::pad;
use crate::audit::{Audit, CrossFinding, Field, Finding, Severity, Value, percent_text};
use crate::messages::{Lang, Word};

/// A value for people: percents to one decimal of a percent, as reports print them.
fn shown(value: &Option<Value>) -> String {
    match value {
        Some(v) if v.percent => {
            let rounded = v
                .text
                .parse::<rust_decimal::Decimal>()
                .map(|d| d.round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_string());
            percent_text(&rounded.unwrap_or_else(|_| v.text.clone()), v.signed)
        }
        Some(v) => v.text.clone(),
        None => "—".to_string(),
    }
}

/// What a finding is about, in the reader's language: the indicator (with
/// its wording), the section, or the total.
fn subject(f: &Finding, lang: Lang) -> String {
    match (&f.indicator, f.scope) {
        (Some(id), _) if *id != f.name => format!("{id} {}", f.name),
        (Some(id), _) => id.clone(),
        (None, crate::audit::Scope::Total) => Word::Total.text(lang).to_string(),
        (None, _) => f.name.clone(),
    }
}

/// A cause id for people: `points:重点单位巡查` reads `分值:重点单位巡查` in Chinese.
fn cause_text(cause: &str, lang: Lang) -> String {
    match cause.split_once(':') {
        Some((kind, rest)) => match Field::parse(kind) {
            Some(field) => format!("{}:{rest}", field.word().text(lang)),
            None => cause.to_string(),
        },
        None => cause.to_string(),
    }
}

/// Findings in the order they are shown: those sharing a cause together,
/// each group where its first member stands.
fn grouped(findings: &[Finding]) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = Vec::new();
    for f in findings {
        if out.iter().any(|o| std::ptr::eq(*o, f)) {
            continue;
        }
        out.push(f);
        if let Some(cause) = &f.cause {
            out.extend(findings.iter().filter(|g| !std::ptr::eq(*g, f) && g.cause.as_ref() == Some(cause)));
        }
    }
    out
}

pub fn summary(audit: &Audit, lang: Lang) -> String {
    let count = |severity: Severity, one: Word, many: Word| {
        let n = audit.count(severity);
        (if n == 1 { one } else { many }).fill(lang, &[("n", &n.to_string())])
    };
    let errors = count(Severity::Error, Word::OneError, Word::Errors);
    let warnings = count(Severity::Warning, Word::OneWarning, Word::Warnings);
    let notes = count(Severity::Note, Word::OneNote, Word::Notes);
    let year = audit.year.to_string();
    let args = [
        ("project", audit.project.as_str()),
        ("year", &year),
        ("errors", &errors),
        ("warnings", &warnings),
        ("notes", &notes),
    ];
    Word::AuditSummary.fill(lang, &args)
}

pub fn table(audits: &[Audit], cross: &[CrossFinding], lang: Lang) -> String {
    let mut out = String::new();
    for audit in audits {
        let _ = writeln!(out, "{} · {} · {}", audit.project, audit.year, Word::AuditTitle.text(lang));
        if audit.findings.is_empty() {
            let _ = writeln!(out, "  {}", Word::AuditAgrees.text(lang));
        }
        let mut last_cause: Option<&str> = None;
        for f in grouped(&audit.findings) {
            let subject = subject(f, lang);
            let linked = f.cause.is_some() && f.cause.as_deref() == last_cause;
            let marker = if linked { "  ↳" } else { "  " };
            let (reported, computed) = (Word::ReportedValue.text(lang), Word::ComputedValue.text(lang));
            let severity = pad(f.severity.word().text(lang), 8);
            let field = f.field.word().text(lang);
            if f.reported.is_some() || f.computed.is_some() {
                let alternative = match &f.alternative {
                    None => String::new(),
                    Some(_) => Word::OtherBasisValue.fill(lang, &[("value", &shown(&f.alternative))]),
                };
                let _ = writeln!(
                    out,
                    "{marker}{severity} {subject} · {field}: {reported} {}, {computed} {}{alternative}",
                    shown(&f.reported),
                    shown(&f.computed),
                );
            } else if f.indicator.is_some() {
                let _ = writeln!(out, "{marker}{severity} {subject} · {field}");
            } else {
                let _ = writeln!(out, "{marker}{severity} {field}");
            }
            let _ = writeln!(out, "             {}", f.message.get(lang));
            last_cause = f.cause.as_deref();
        }
        let _ = writeln!(out, "  {}\n", summary(audit, lang));
    }
    if !cross.is_empty() {
        let _ = writeln!(out, "{}", Word::AcrossProjects.text(lang));
        for c in cross {
            let _ = writeln!(out, "  {} {}", pad(Severity::Warning.word().text(lang), 8), c.message.get(lang));
        }
        out.push('\n');
    }
    if audits.len() > 1 {
        for audit in audits {
            let _ = writeln!(out, "{}", summary(audit, lang));
        }
    }
    out
}

/// The audits an auditor should open first: the largest difference between
/// the reported and the computed total, then the most errors and warnings;
/// reports without a printed total after those with one.
pub fn by_difference(audits: &[Audit]) -> Vec<&Audit> {
    let mut sorted: Vec<&Audit> = audits.iter().collect();
    sorted.sort_by(|a, b| {
        let size = |x: &Audit| x.difference().map(|d| d.abs());
        let weight = |x: &Audit| (x.count(Severity::Error), x.count(Severity::Warning));
        size(b).cmp(&size(a)).then_with(|| weight(b).cmp(&weight(a)))
    });
    sorted
}

/// The summary sheet's headings.
pub fn summary_columns(lang: Lang) -> [&'static str; 9] {
    [
        Word::ColumnProject,
        Word::ColumnYear,
        Word::ColumnOrganization,
        Word::ColumnReportedTotal,
        Word::ColumnComputedTotal,
        Word::ColumnDifference,
        Word::ColumnErrors,
        Word::ColumnWarnings,
        Word::ColumnNotes,
    ]
    .map(|w| w.text(lang))
}

/// The words over one finding's cells ([`finding_cells`]).
const FINDING_COLUMNS: [Word; 7] = [
    Word::ColumnSeverity,
    Word::ColumnSubject,
    Word::ColumnField,
    Word::ColumnReported,
    Word::ColumnComputed,
    Word::ColumnCause,
    Word::ColumnExplanation,
];

/// The findings sheet's headings: the project and year, then a finding's.
pub fn finding_columns(lang: Lang) -> [&'static str; 9] {
    let mut columns = [Word::ColumnProject.text(lang), Word::ColumnYear.text(lang), "", "", "", "", "", "", ""];
    for (slot, word) in columns[2..].iter_mut().zip(FINDING_COLUMNS) {
        *slot = word.text(lang);
    }
    columns
}

/// One finding as a row: severity, subject, field, reported, computed, cause, explanation.
fn finding_cells(f: &Finding, lang: Lang) -> [String; 7] {
    let subject = match f.scope {
        crate::audit::Scope::Total => Word::Total.text(lang).to_string(),
        _ => f.indicator.clone().unwrap_or_else(|| f.name.clone()),
    };
    [
        f.severity.word().text(lang).to_string(),
        subject,
        f.field.word().text(lang).to_string(),
        shown(&f.reported),
        shown(&f.computed),
        f.cause.as_deref().map(|c| cause_text(c, lang)).unwrap_or_default(),
        f.message.get(lang).to_string(),
    ]
}

/// One finding's cells, in [`finding_columns`] order; findings across
/// projects (shared evidence) as rows of their own.
pub fn finding_rows(audits: &[Audit], cross: &[CrossFinding], lang: Lang) -> Vec<[String; 9]> {
    let mut rows = Vec::new();
    for audit in by_difference(audits) {
        for f in grouped(&audit.findings) {
            let [a, b, c, d, e, g, h] = finding_cells(f, lang);
            rows.push([audit.project.clone(), audit.year.to_string(), a, b, c, d, e, g, h]);
        }
    }
    for c in cross {
        let mut projects: Vec<&str> = c.uses.iter().map(|(p, _)| p.as_str()).collect();
        projects.dedup();
        rows.push([
            projects.join("、"),
            String::new(),
            Severity::Warning.word().text(lang).to_string(),
            c.figure.clone(),
            Field::Evidence.word().text(lang).to_string(),
            c.value.clone(),
            "—".to_string(),
            cause_text(&c.cause, lang),
            c.message.get(lang).to_string(),
        ]);
    }
    rows
}

/// The summary sheet's cells for one audit: totals as printed, `—` when
/// the report printed none.
pub fn summary_row(audit: &Audit) -> [String; 9] {
    let total = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_else(|| "—".into());
    [
        audit.project.clone(),
        audit.year.to_string(),
        audit.organization.clone().unwrap_or_default(),
        total(audit.reported_total),
        total(Some(audit.computed_total)),
        total(audit.difference()),
        audit.count(Severity::Error).to_string(),
        audit.count(Severity::Warning).to_string(),
        audit.count(Severity::Note).to_string(),
    ]
}

/// The findings of every audit as CSV, one row each, largest difference
/// first (the summary is in the workbook and the Markdown).
pub fn csv(audits: &[Audit], cross: &[CrossFinding], lang: Lang) -> String {
    let mut out = String::new();
    let line = |out: &mut String, cells: &[&str]| {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            super::csv::push_field(out, cell, true);
        }
        out.push('\n');
    };
    line(&mut out, &finding_columns(lang));
    for row in finding_rows(audits, cross, lang) {
        line(&mut out, &row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out
}

fn md(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn markdown(audits: &[Audit], cross: &[CrossFinding], lang: Lang) -> String {
    let mut out = String::new();
    let head = format!("| {} |", FINDING_COLUMNS.map(|w| w.text(lang)).join(" | "));
    // Several projects: the summary first, largest difference first.
    if audits.len() > 1 {
        let _ = writeln!(out, "| {} |", summary_columns(lang).join(" | "));
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
        for audit in by_difference(audits) {
            let cells = summary_row(audit).map(|c| md(&c));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    for audit in audits {
        let _ = writeln!(out, "## {} · {}\n", audit.project, audit.year);
        let _ = writeln!(out, "{}\n", summary(audit, lang));
        if audit.findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{head}\n|---|---|---|---|---|---|---|");
        for f in grouped(&audit.findings) {
            let _ = writeln!(out, "| {} |", finding_cells(f, lang).map(|c| md(&c)).join(" | "));
        }
        out.push('\n');
    }
    if !cross.is_empty() {
        let _ = writeln!(out, "## {}\n", Word::AcrossProjectsHeading.text(lang));
        for c in cross {
            let _ = writeln!(out, "- {}", md(c.message.get(lang)));
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct FindingJson<'a> {
    indicator: Option<&'a str>,
    name: &'a str,
    scope: &'static str,
    field: &'static str,
    reported: Option<&'a str>,
    computed: Option<&'a str>,
    severity: &'static str,
    cause: Option<&'a str>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternative: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    name: &'a str,
    year: i32,
}

#[derive(Serialize)]
struct AuditJson<'a> {
    schema: &'static str,
    project: ProjectJson<'a>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct CrossJson<'a> {
    indicator: Option<&'a str>,
    name: &'a str,
    scope: &'static str,
    field: &'static str,
    reported: &'a str,
    computed: Option<&'a str>,
    severity: &'static str,
    cause: &'a str,
    message: &'a str,
    projects: Vec<&'a str>,
}

#[derive(Serialize)]
struct AuditsJson<'a> {
    schema: &'static str,
    projects: Vec<AuditJson<'a>>,
    findings: Vec<CrossJson<'a>>,
}

fn audit_json(audit: &Audit, lang: Lang) -> AuditJson<'_> {
    AuditJson {
        schema: "jixiao.audit/1",
        project: ProjectJson { name: &audit.project, year: audit.year },
        findings: audit
            .findings
            .iter()
            .map(|f| FindingJson {
                indicator: f.indicator.as_deref(),
                name: &f.name,
                scope: f.scope.name(),
                field: f.field.name(),
                reported: f.reported.as_ref().map(|v| v.text.as_str()),
                computed: f.computed.as_ref().map(|v| v.text.as_str()),
                severity: f.severity.name(),
                cause: f.cause.as_deref(),
                message: f.message.get(lang),
                alternative: f.alternative.as_ref().map(|v| v.text.as_str()),
                code: f.code,
            })
            .collect(),
    }
}

pub fn json(audits: &[Audit], cross: &[CrossFinding], lang: Lang) -> String {
    let text = match audits {
        [one] if cross.is_empty() => serde_json::to_string_pretty(&audit_json(one, lang)),
        many => serde_json::to_string_pretty(&AuditsJson {
            schema: "jixiao.audits/1",
            projects: many.iter().map(|a| audit_json(a, lang)).collect(),
            findings: cross
                .iter()
                .map(|c| {
                    let mut projects: Vec<&str> = c.uses.iter().map(|(p, _)| p.as_str()).collect();
                    projects.dedup();
                    CrossJson {
                        indicator: c.uses.first().map(|(_, i)| i.as_str()),
                        name: &c.figure,
                        scope: "project",
                        field: Field::Evidence.name(),
                        reported: &c.value,
                        computed: None,
                        severity: "warning",
                        cause: &c.cause,
                        message: c.message.get(lang),
                        projects,
                    }
                })
                .collect(),
        }),
    };
    let mut text = text.unwrap_or_default();
    text.push('\n');
    text
}
