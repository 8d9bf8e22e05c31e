//! The 自评表 as Markdown, for attaching to a report.

use std::fmt::Write;

use super::form::{Form, Headings, Row};
use super::percent;
use crate::eval::Evaluation;
use crate::messages::{Lang, Word};

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(evaluations: &[Evaluation], lang: Lang) -> String {
    let h = Headings { lang };
    let mut out = String::new();
    if evaluations.len() > 1 {
        let _ = writeln!(out, "# {}\n", h.summary());
        let _ = writeln!(out, "| {} |\n|---|---|---:|---|", h.summary_columns().join(" | "));
        for e in evaluations {
            let grade = e.total.grade.as_deref().unwrap_or("—");
            let _ = writeln!(out, "| {} | {} | {} | {grade} |", cell(&e.project), e.year, e.total.score);
        }
        out.push('\n');
    }
    for e in evaluations {
        one(&mut out, &Form::new(e), &h);
    }
    out
}

fn one(out: &mut String, f: &Form, h: &Headings) {
    let _ = writeln!(out, "## {} · {} · {}\n", cell(&f.project), f.year, h.title());
    if let Some(org) = &f.organization {
        let _ = writeln!(out, "- {}: {}", h.word(Word::Organization), cell(org));
    }
    let _ = writeln!(out, "- {}: {}", h.word(Word::Scheme), cell(&f.scheme));
    if !f.funds.is_empty() {
        let funds: Vec<String> = f.funds.iter().map(|(k, v)| format!("{k} {}", v.normalize())).collect();
        let _ = writeln!(out, "- {}: {}", h.word(Word::Funds), funds.join("; "));
    }
    if let Some((points, rate, score)) = &f.budget {
        let _ = writeln!(
            out,
            "- {}: {} {points}; {} {rate}; {} {score}",
            h.word(Word::Budget),
            h.word(Word::Points),
            h.word(Word::Execution),
            h.word(Word::Score)
        );
    }
    if let Some(goal) = &f.goal {
        let _ = writeln!(out, "- {}: {}", h.word(Word::Goal), cell(goal));
    }
    if let Some(result) = &f.result {
        let _ = writeln!(out, "- {}: {}", h.word(Word::Result), cell(result));
    }
    let _ = writeln!(out, "\n| {} |", h.columns().join(" | "));
    let _ = writeln!(out, "|---|---|---|---|---|---:|---:|---:|---|");
    for row in &f.rows {
        match row {
            Row::Indicator(l) => {
                let s = if l.section_rows > 0 { cell(&l.section) } else { String::new() };
                let g = if l.group_rows > 0 { cell(&l.group) } else { String::new() };
                let _ = writeln!(
                    out,
                    "| {s} | {g} | {} | {} | {} | {} | {} | {} | {} |",
                    cell(&l.name),
                    cell(&l.target),
                    cell(&l.actual),
                    l.points,
                    l.score,
                    l.deviation_text,
                    cell(&l.reason)
                );
            }
            Row::Subtotal { points, score, rate, apart, .. } => {
                let rate = rate.map(|r| format!("{} {}", h.word(Word::Rate), percent(r, false))).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "|  | **{}** | {rate} |  |  | **{points}** | **{score}** |  |  |",
                    h.subtotal(*apart)
                );
            }
        }
    }
    let rate = f.total_rate.map(|r| format!("{} {}", h.word(Word::Rate), percent(r, false))).unwrap_or_default();
    let grade = f.grade.as_deref().unwrap_or("—");
    let _ = writeln!(
        out,
        "| **{}** |  | {rate}; {} **{grade}** |  |  | **{}** | **{}** |  |  |\n",
        h.word(Word::Total),
        h.word(Word::Grade),
        f.total_points,
        f.total_score
    );
    if let Some(with_apart) = f.total_with_apart {
        let _ = writeln!(out, "{}: **{with_apart}**\n", h.word(Word::TotalWithApart));
    }
    if !f.ledger.is_empty() {
        let _ = writeln!(out, "### {}\n", h.ledger());
        let _ = writeln!(out, "| {} |\n|---|---:|---|", h.ledger_columns().join(" | "));
        for l in &f.ledger {
            let full = h.full_at(l);
            let _ = writeln!(out, "| {} | {} | {} |", cell(&l.name), l.points, cell(&full));
        }
        let _ = writeln!(out, "| **{}** | **{}** |  |\n", h.word(Word::Total), f.lost());
    }
}
