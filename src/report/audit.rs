//! Audit results: a terminal table, Markdown, and the `jixiao.audit/1` JSON.

use std::fmt::Write;

use serde::Serialize;

use super::pad;
use crate::audit::{Audit, CrossFinding, Finding, Severity, Value, percent_text};
use crate::messages::Lang;

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

fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Note, Lang::En) => "note",
        (Severity::Error, Lang::Zh) => "错误",
        (Severity::Warning, Lang::Zh) => "警告",
        (Severity::Note, Lang::Zh) => "提示",
    }
}

fn field_word(field: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return field;
    }
    match field {
        "target" => "目标值",
        "points" => "分值",
        "actual" => "实际完成值",
        "score" => "得分",
        "deviation" => "偏差率",
        "rate" => "得分率",
        "grade" => "等级",
        "expect" => "核对",
        "evidence" => "佐证",
        "total" => "总分",
        "reported" => "报告数值",
        other => other,
    }
}

/// What a finding is about, in the reader's language: the indicator (with
/// its wording), the section, or the total.
fn subject(f: &Finding, lang: Lang) -> String {
    match (&f.indicator, f.scope) {
        (Some(id), _) if *id != f.name => format!("{id} {}", f.name),
        (Some(id), _) => id.clone(),
        (None, crate::audit::Scope::Total) => field_word("total", lang).to_string(),
        (None, _) => f.name.clone(),
    }
}

/// A cause id for people: `points:重点单位巡查` reads `分值:重点单位巡查` in Chinese.
fn cause_text(cause: &str, lang: Lang) -> String {
    match cause.split_once(':') {
        Some((kind, rest)) => format!("{}:{rest}", field_word(kind, lang)),
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
    let (e, w, n) = (audit.count(Severity::Error), audit.count(Severity::Warning), audit.count(Severity::Note));
    match lang {
        Lang::En => {
            let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            format!(
                "{} · {}: {}, {}, {}",
                audit.project,
                audit.year,
                plural(e, "error"),
                plural(w, "warning"),
                plural(n, "note")
            )
        }
        Lang::Zh => format!("{} · {}：错误 {e} 项，警告 {w} 项，提示 {n} 项", audit.project, audit.year),
    }
}

pub fn table(audits: &[Audit], cross: &[CrossFinding], lang: Lang) -> String {
    let mut out = String::new();
    for audit in audits {
        let title = match lang {
            Lang::En => "audit",
            Lang::Zh => "审核",
        };
        let _ = writeln!(out, "{} · {} · {title}", audit.project, audit.year);
        if audit.findings.is_empty() {
            let none = match lang {
                Lang::En => "  the report agrees with the rules and data",
                Lang::Zh => "  报告与规则和数据一致",
            };
            let _ = writeln!(out, "{none}");
        }
        let mut last_cause: Option<&str> = None;
        for f in grouped(&audit.findings) {
            let subject = subject(f, lang);
            let linked = f.cause.is_some() && f.cause.as_deref() == last_cause;
            let marker = if linked { "  ↳" } else { "  " };
            let (reported, computed) = match lang {
                Lang::En => ("reported", "computed"),
                Lang::Zh => ("报告", "计算"),
            };
            if f.reported.is_some() || f.computed.is_some() {
                let alternative = match (&f.alternative, lang) {
                    (None, _) => String::new(),
                    (Some(_), Lang::En) => format!(", other basis {}", shown(&f.alternative)),
                    (Some(_), Lang::Zh) => format!(", 另一口径 {}", shown(&f.alternative)),
                };
                let _ = writeln!(
                    out,
                    "{marker}{} {subject} · {}: {reported} {}, {computed} {}{alternative}",
                    pad(severity_word(f.severity, lang), 8),
                    field_word(f.field, lang),
                    shown(&f.reported),
                    shown(&f.computed),
                );
            } else {
                let _ =
                    writeln!(out, "{marker}{} {}", pad(severity_word(f.severity, lang), 8), field_word(f.field, lang));
            }
            let _ = writeln!(out, "             {}", f.message.get(lang));
            last_cause = f.cause.as_deref();
        }
        let _ = writeln!(out, "  {}\n", summary(audit, lang));
    }
    if !cross.is_empty() {
        let title = match lang {
            Lang::En => "across projects",
            Lang::Zh => "跨项目",
        };
        let _ = writeln!(out, "{title}");
        for c in cross {
            let _ = writeln!(out, "  {} {}", pad(severity_word(Severity::Warning, lang), 8), c.message.get(lang));
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

fn md(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn markdown(audits: &[Audit], cross: &[CrossFinding], lang: Lang) -> String {
    let mut out = String::new();
    let head = match lang {
        Lang::En => "| severity | indicator | field | reported | computed | cause | explanation |",
        Lang::Zh => "| 级别 | 指标 | 项目 | 报告值 | 计算值 | 原因编号 | 说明 |",
    };
    for audit in audits {
        let _ = writeln!(out, "## {} · {}\n", audit.project, audit.year);
        let _ = writeln!(out, "{}\n", summary(audit, lang));
        if audit.findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{head}\n|---|---|---|---|---|---|---|");
        for f in grouped(&audit.findings) {
            let subject = match f.scope {
                crate::audit::Scope::Total => field_word("total", lang).to_string(),
                _ => f.indicator.clone().unwrap_or_else(|| f.name.clone()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                severity_word(f.severity, lang),
                md(&subject),
                field_word(f.field, lang),
                md(&shown(&f.reported)),
                md(&shown(&f.computed)),
                f.cause.as_deref().map(|c| md(&cause_text(c, lang))).unwrap_or_default(),
                md(f.message.get(lang)),
            );
        }
        out.push('\n');
    }
    if !cross.is_empty() {
        let title = match lang {
            Lang::En => "## Across projects",
            Lang::Zh => "## 跨项目",
        };
        let _ = writeln!(out, "{title}\n");
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
                field: f.field,
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
                        field: "evidence",
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
