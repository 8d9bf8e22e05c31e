//! Diff results: a terminal table, Markdown, and the `jixiao.diff/1` JSON.

use std::fmt::Write;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diff::{Change, Delta, Field, Impact, Kind, ProjectDiff};
use crate::exact::canonical;
use crate::messages::{Lang, Word};

/// A changed value for people: whether a section counts in the total, in
/// the reader's language; anything else as the rules write it.
fn shown(c: &Change, value: Option<&str>, lang: Lang) -> Option<String> {
    let value = value?;
    Some(match (c.field, value) {
        (Some(Field::Apart), "apart") => Word::Apart.text(lang).to_string(),
        (Some(Field::Apart), _) => Word::Counted.text(lang).to_string(),
        _ => value.to_string(),
    })
}

fn subject(c: &Change, lang: Lang) -> String {
    c.indicator.clone().or_else(|| c.section.clone()).unwrap_or_else(|| c.scope.word().text(lang).to_string())
}

fn signed(d: Option<Decimal>) -> String {
    match d {
        Some(d) if d > Decimal::ZERO => format!("+{}", canonical(d)),
        Some(d) => canonical(d),
        None => "—".into(),
    }
}

fn opt(d: Option<Decimal>) -> String {
    d.map(canonical).unwrap_or_else(|| "—".into())
}

fn change_line(c: &Change, lang: Lang) -> String {
    let field = c.field.map(|f| format!(" · {}", f.word().text(lang))).unwrap_or_default();
    let (old, new) = (shown(c, c.old.as_deref(), lang), shown(c, c.new.as_deref(), lang));
    let values = match (&old, &new) {
        (Some(o), Some(n)) => format!(": {o} → {n}"),
        (Some(o), None) if c.kind == Kind::Removed && c.field.is_some() => format!(": {o}"),
        (None, Some(n)) if c.kind == Kind::Added && c.field.is_some() => format!(": {n}"),
        _ => String::new(),
    };
    let suggestion =
        c.suggestion.as_ref().map(|name| Word::RenameSuggestion.fill(lang, &[("name", name)])).unwrap_or_default();
    format!("{} {}{field}{values}{suggestion}", super::pad(c.kind.word().text(lang), 8), subject(c, lang))
}

fn impact_lines(impact: &Impact, lang: Lang, out: &mut String) {
    let [title, total, grade, partial] = [Word::Impact, Word::Total, Word::Grade, Word::Partial].map(|w| w.text(lang));
    let _ = writeln!(out, "  {title}");
    for (id, d) in &impact.indicators {
        if d.old != d.new {
            let _ = writeln!(out, "    {id}: {} → {} ({})", opt(d.old), opt(d.new), signed(d.delta()));
        }
    }
    for (name, d) in &impact.sections {
        if d.old != d.new {
            let _ = writeln!(out, "    {name}: {} → {} ({})", opt(d.old), opt(d.new), signed(d.delta()));
        }
    }
    let t = &impact.total;
    let _ = writeln!(out, "    {total}: {} → {} ({})", opt(t.old), opt(t.new), signed(t.delta()));
    let g = |g: &Option<String>| g.clone().unwrap_or_else(|| "—".into());
    let _ = writeln!(out, "    {grade}: {} → {}", g(&impact.grade.0), g(&impact.grade.1));
    if impact.partial {
        let _ = writeln!(out, "    {partial}: {}", impact.missing.join(", "));
    }
    for (side, id) in &impact.set_aside {
        let note = if *side == "old" { Word::SetAsideOld } else { Word::SetAsideNew };
        let _ = writeln!(out, "    {}", note.fill(lang, &[("id", id)]));
    }
}

pub fn table(diffs: &[ProjectDiff], lang: Lang) -> String {
    let mut out = String::new();
    for d in diffs {
        let years = format!(
            "{} → {}",
            d.year_old.map(|y| y.to_string()).unwrap_or("—".into()),
            d.year_new.map(|y| y.to_string()).unwrap_or("—".into())
        );
        let _ = writeln!(out, "{} · {years}", d.name);
        if d.changes.is_empty() {
            let _ = writeln!(out, "  {}", Word::NoChanges.text(lang));
        }
        for c in &d.changes {
            let _ = writeln!(out, "  {}", change_line(c, lang));
        }
        if let Some(impact) = &d.impact {
            impact_lines(impact, lang, &mut out);
        }
        out.push('\n');
    }
    out
}

fn md(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn markdown(diffs: &[ProjectDiff], lang: Lang) -> String {
    let mut out = String::new();
    let columns = [
        Word::ColumnChange,
        Word::ColumnScope,
        Word::ColumnChanged,
        Word::ColumnDiffField,
        Word::ColumnOld,
        Word::ColumnNew,
    ];
    let head = format!("| {} |", columns.map(|w| w.text(lang)).join(" | "));
    for d in diffs {
        let _ = writeln!(out, "## {}\n", d.name);
        if !d.changes.is_empty() {
            let _ = writeln!(out, "{head}\n|---|---|---|---|---|---|");
            for c in &d.changes {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    c.kind.word().text(lang),
                    c.scope.word().text(lang),
                    md(&subject(c, lang)),
                    c.field.map(|f| f.word().text(lang)).unwrap_or(""),
                    md(&shown(c, c.old.as_deref(), lang).unwrap_or_default()),
                    md(&shown(c, c.new.as_deref(), lang).unwrap_or_default()),
                );
            }
            out.push('\n');
        }
        if let Some(impact) = &d.impact {
            let mut text = String::new();
            impact_lines(impact, lang, &mut text);
            let _ = writeln!(out, "```text\n{}```\n", text);
        }
    }
    out
}

#[derive(Serialize)]
struct DeltaJson {
    old: Option<String>,
    new: Option<String>,
    delta: Option<String>,
}

fn delta_json(d: &Delta) -> DeltaJson {
    DeltaJson { old: d.old.map(canonical), new: d.new.map(canonical), delta: d.delta().map(canonical) }
}

#[derive(Serialize)]
struct NamedDelta<'a> {
    #[serde(rename = "name")]
    name: &'a str,
    #[serde(flatten)]
    delta: DeltaJson,
}

#[derive(Serialize)]
struct IdDelta<'a> {
    id: &'a str,
    #[serde(flatten)]
    delta: DeltaJson,
}

#[derive(Serialize)]
struct GradeJson<'a> {
    old: Option<&'a str>,
    new: Option<&'a str>,
}

#[derive(Serialize)]
struct ImpactJson<'a> {
    total: DeltaJson,
    grade: GradeJson<'a>,
    partial: bool,
    missing: &'a [String],
    set_aside: Vec<SetAsideJson<'a>>,
    sections: Vec<NamedDelta<'a>>,
    indicators: Vec<IdDelta<'a>>,
}

#[derive(Serialize)]
struct SetAsideJson<'a> {
    version: &'a str,
    id: &'a str,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    kind: &'static str,
    scope: &'static str,
    indicator: Option<&'a str>,
    section: Option<&'a str>,
    field: Option<&'static str>,
    old: Option<&'a str>,
    new: Option<&'a str>,
    suggestion: Option<&'a str>,
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    name: &'a str,
    year_old: Option<i32>,
    year_new: Option<i32>,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    project: ProjectJson<'a>,
    changes: Vec<ChangeJson<'a>>,
    impact: Option<ImpactJson<'a>>,
}

#[derive(Serialize)]
struct DiffJson<'a> {
    schema: &'static str,
    old: &'a str,
    new: &'a str,
    projects: Vec<EntryJson<'a>>,
}

pub fn json(diffs: &[ProjectDiff], old: &str, new: &str) -> String {
    let doc = DiffJson {
        schema: "jixiao.diff/1",
        old,
        new,
        projects: diffs
            .iter()
            .map(|d| EntryJson {
                project: ProjectJson { name: &d.name, year_old: d.year_old, year_new: d.year_new },
                changes: d
                    .changes
                    .iter()
                    .map(|c| ChangeJson {
                        kind: c.kind.name(),
                        scope: c.scope.name(),
                        indicator: c.indicator.as_deref(),
                        section: c.section.as_deref(),
                        field: c.field.map(Field::name),
                        old: c.old.as_deref(),
                        new: c.new.as_deref(),
                        suggestion: c.suggestion.as_deref(),
                    })
                    .collect(),
                impact: d.impact.as_ref().map(|i| ImpactJson {
                    total: delta_json(&i.total),
                    grade: GradeJson { old: i.grade.0.as_deref(), new: i.grade.1.as_deref() },
                    partial: i.partial,
                    missing: &i.missing,
                    set_aside: i.set_aside.iter().map(|(v, id)| SetAsideJson { version: v, id }).collect(),
                    sections: i.sections.iter().map(|(n, d)| NamedDelta { name: n, delta: delta_json(d) }).collect(),
                    indicators: i.indicators.iter().map(|(id, d)| IdDelta { id, delta: delta_json(d) }).collect(),
                }),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
