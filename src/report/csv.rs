//! The 自评表 as CSV: one row per indicator, UTF-8 with a BOM so Excel
//! opens Chinese text correctly; figures as the table prints them.

use super::form::{Form, Headings, Row};
use super::percent;
use crate::eval::Evaluation;
use crate::messages::{Lang, Word};
use crate::sink::Sink;

/// Appends words from rule or data files as one CSV field for people to
/// open in a spreadsheet. Text that a spreadsheet would run as a formula
/// (`=1+2`, `+`, `-`, `@`, a tab or a carriage return first) gets a leading
/// `'` (OWASP's rule for CSV injection). See [`push_field`].
pub fn push_text<S: Sink>(out: &mut S, text: &str) {
    push_field(out, text, true);
}

/// Appends one CSV field: quoted when it holds a separator, a quote or a
/// line break, quotes doubled; with `spreadsheet`, neutralised as
/// [`push_text`] says. Records meant to be read back by jixiao (`generate`)
/// pass `false`, so their ids and values stay as they are. The one CSV
/// escaping routine of reports, batch output and generated records.
pub fn push_field<S: Sink>(out: &mut S, text: &str, spreadsheet: bool) {
    let quoted = text.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if spreadsheet && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        out.push('\'');
    }
    if quoted {
        for c in text.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Words as a CSV field (see [`push_text`]).
fn field(text: &str) -> String {
    let mut out = String::new();
    push_text(&mut out, text);
    out
}

/// A figure the engine printed (`-30.9%`): quoted if it must be, never
/// prefixed, since it is a number, not a formula.
fn figure(text: &str) -> String {
    let mut out = String::new();
    push_field(&mut out, text, false);
    out
}

pub fn render(evaluations: &[Evaluation], lang: Lang) -> String {
    let h = Headings { lang };
    let mut out = String::from("\u{feff}");
    let project = [Word::Project, Word::Year].map(|w| h.word(w));
    let lost = [Word::PointsLost, Word::FullPointsAt].map(|w| h.word(w));
    let header: Vec<&str> = project.iter().chain(h.columns().iter()).chain(lost.iter()).copied().collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for e in evaluations {
        let form = Form::new(e);
        for row in &form.rows {
            let Row::Indicator(l) = row else { continue };
            let loss = l.lost.as_ref();
            let cells = [
                field(&form.project),
                form.year.to_string(),
                field(&l.section),
                field(&l.group),
                field(&l.name),
                field(&l.target),
                field(&l.actual),
                crate::report::decimal(l.points),
                crate::report::decimal(l.score),
                figure(&l.deviation_text),
                field(&l.reason),
                loss.map(|l| crate::report::decimal(l.points)).unwrap_or_default(),
                loss.filter(|l| l.full_at.is_some()).map(|l| field(&h.full_at(l))).unwrap_or_default(),
            ];
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        let total = [
            field(&form.project),
            form.year.to_string(),
            field(h.word(Word::Total)),
            String::new(),
            field(&format!("{} {}", h.word(Word::Grade), form.grade.as_deref().unwrap_or("—"))),
            String::new(),
            form.total_rate.map(|r| percent(r, false)).unwrap_or_default(),
            crate::report::decimal(form.total_points),
            crate::report::decimal(form.total_score),
            String::new(),
            String::new(),
            crate::report::decimal(form.lost()),
            String::new(),
        ];
        out.push_str(&total.join(","));
        out.push_str("\r\n");
        if let Some(with_apart) = form.total_with_apart {
            let mut cells = vec![String::new(); total.len()];
            cells[0] = field(&form.project);
            cells[1] = form.year.to_string();
            cells[2] = field(h.word(Word::TotalWithApart));
            cells[8] = crate::report::decimal(with_apart);
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
    }
    out
}
