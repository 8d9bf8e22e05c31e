//! The mapping report: for each submission, the files written, every value
//! placed and where it came from, what was assumed, refused, ambiguous or
//! inconsistent — as text for a person, as JSON (`jixiao.import/1`) for tools.

use std::fmt::Write as _;

use serde_json::{Value as Json, json};

use super::write::Imported;
use super::{Note, NoteKind};
use crate::messages::{Lang, Word};

/// One submission's outcome, with the paths written.
pub struct Outcome<'a> {
    pub imported: &'a Imported,
    pub written: Vec<String>,
}

fn kind_word(kind: NoteKind, lang: Lang) -> &'static str {
    match kind {
        NoteKind::Assumed => Word::NoteAssumed,
        NoteKind::Refused => Word::NoteRefused,
        NoteKind::Ambiguous => Word::NoteAmbiguous,
        NoteKind::Inconsistent => Word::NoteInconsistent,
    }
    .text(lang)
}

fn message(note: &Note, lang: Lang) -> String {
    let rendered = note.problem.render(lang);
    rendered.message
}

/// Counts of (placed, assumed, refused, ambiguous, inconsistent).
pub fn counts(imported: &Imported) -> [usize; 5] {
    let count = |k: NoteKind| imported.notes.iter().filter(|n| n.kind == k).count();
    [
        imported.placed.len(),
        count(NoteKind::Assumed),
        count(NoteKind::Refused),
        count(NoteKind::Ambiguous),
        count(NoteKind::Inconsistent),
    ]
}

/// `240 placed, 19 assumed, …` in the report's language.
fn counts_text(c: [usize; 5], lang: Lang) -> String {
    let n: Vec<String> = c.iter().map(usize::to_string).collect();
    let keys = ["placed", "assumed", "refused", "ambiguous", "inconsistent"];
    let args: Vec<(&str, &str)> = keys.iter().zip(&n).map(|(k, v)| (*k, v.as_str())).collect();
    Word::ImportCounts.fill(lang, &args)
}

pub fn text(outcomes: &[Outcome<'_>], lang: Lang) -> String {
    let mut out = String::new();
    let mut totals = [0usize; 5];
    for o in outcomes {
        let i = o.imported;
        let s = &i.submission;
        let year = s.year.as_ref().map_or("-".to_string(), |y| y.value.to_string());
        let _ = writeln!(out, "{} · {} ({year}) · {}", s.file.display(), s.name(), s.at.text(lang));
        for path in &o.written {
            let _ = writeln!(out, "  → {path}");
        }
        let c = counts(i);
        for (t, n) in totals.iter_mut().zip(c) {
            *t += n;
        }
        let _ = writeln!(out, "  {}", counts_text(c, lang));
        for note in &i.notes {
            let _ = writeln!(
                out,
                "  {:<6} {}  {}  [{}]  {}",
                kind_word(note.kind, lang),
                note.at.text(lang),
                if lang == Lang::Zh { super::subject_words(&note.subject).1 } else { note.subject.clone() },
                note.problem.code,
                message(note, lang)
            );
        }
        for p in &i.placed {
            let (en, zh) = super::subject_words(&p.subject);
            let subject = if lang == Lang::Zh { zh } else { en };
            let _ = writeln!(out, "    {:<28} {:<24} {}", subject, p.value, p.at.text(lang));
        }
        out.push('\n');
    }
    let submissions = outcomes.len().to_string();
    let counts = counts_text(totals, lang);
    let _ = writeln!(out, "{}", Word::ImportTotals.fill(lang, &[("submissions", &submissions), ("counts", &counts)]));
    out
}

pub fn json(outcomes: &[Outcome<'_>], lang: Lang) -> String {
    let submissions: Vec<Json> = outcomes
        .iter()
        .map(|o| {
            let i = o.imported;
            let s = &i.submission;
            let c = counts(i);
            json!({
                "file": s.file.display().to_string(),
                "at": s.at,
                "project": s.project.as_ref().map(|p| p.value.clone()),
                "year": s.year.as_ref().map(|y| y.value),
                "written": o.written,
                "counts": {"placed": c[0], "assumed": c[1], "refused": c[2], "ambiguous": c[3], "inconsistent": c[4]},
                "placed": i.placed.iter().map(|p| json!({"subject": p.subject, "value": p.value, "at": p.at})).collect::<Vec<_>>(),
                "notes": i.notes.iter().map(|n| json!({
                    "kind": n.kind,
                    "code": n.problem.code,
                    "subject": n.subject,
                    "found": n.found,
                    "at": n.at,
                    "message": message(n, lang),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = json!({"schema": "jixiao.import/1", "submissions": submissions});
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
