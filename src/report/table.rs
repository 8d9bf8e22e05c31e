//! The 自评表 in the terminal, with Chinese text aligned by display width.

use std::borrow::Cow;
use std::fmt::Write;

use super::{actual_text, decimal, deviation_text, percent, target_text};
use crate::eval::Evaluation;
use crate::messages::{Lang, Word};

/// Columns padded to the widest cell by display width (a Chinese character
/// takes two columns); numbers right-aligned.
struct Grid<'a> {
    rows: Vec<Row<'a>>,
}

/// A row's cells borrow what the evaluation already holds.
enum Row<'a> {
    Cells([Cow<'a, str>; 8]),
    Rule,
}

const EMPTY: Cow<'static, str> = Cow::Borrowed("");

const RIGHT: [bool; 8] = [false, false, false, true, true, true, true, true];

/// The widest a column may grow before its text wraps onto more lines, so
/// long official wordings do not push the figures off the screen.
const MAX_WIDTH: [usize; 8] = [12, 14, 34, 22, 22, 8, 8, 9];

/// Splits text into lines of at most `width` display columns.
fn wrap(text: &str, width: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && used > 0 {
            lines.push(&text[start..at]);
            (start, used) = (at, 0);
        }
        used += w;
    }
    lines.push(&text[start..]);
    lines
}

impl Grid<'_> {
    /// Written straight into `out`: 2 000 projects' tables are a fair part
    /// of evaluating them, and most cells fit their column on one line.
    fn render(&self, out: &mut String) {
        // Each cell's display width, measured once.
        let measured: Vec<Option<[usize; 8]>> = self
            .rows
            .iter()
            .map(|row| match row {
                Row::Cells(cells) => Some(cells.each_ref().map(|c| super::width(c))),
                Row::Rule => None,
            })
            .collect();
        let mut widths = [0usize; 8];
        for cells in measured.iter().flatten() {
            for (i, width) in widths.iter_mut().enumerate() {
                *width = (*width).max(cells[i].min(MAX_WIDTH[i]));
            }
        }
        let full: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        let rule = "─".repeat(full);
        for (row, measured) in self.rows.iter().zip(&measured) {
            let (Row::Cells(cells), Some(measured)) = (row, measured) else {
                out.push_str(&rule);
                out.push('\n');
                continue;
            };
            let cell = |i: usize| cells[i].as_ref();
            if (0..8).all(|i| measured[i] <= widths[i].max(1)) {
                line(out, &widths, |i| (cell(i), measured[i]));
                continue;
            }
            let wrapped: Vec<Vec<&str>> = (0..8).map(|i| wrap(cell(i), widths[i].max(1))).collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                line(out, &widths, |i| {
                    let text = wrapped[i].get(k).copied().unwrap_or("");
                    (text, super::width(text))
                });
            }
        }
    }
}

/// One line of the grid: each cell padded to its column, trailing blanks cut.
/// `cell` gives each cell's text and display width.
fn line<'a>(out: &mut String, widths: &[usize; 8], cell: impl Fn(usize) -> (&'a str, usize)) {
    let start = out.len();
    for (i, width) in widths.iter().enumerate() {
        let (text, text_width) = cell(i);
        let pad = width.saturating_sub(text_width);
        if i > 0 {
            out.push_str("  ");
        }
        if RIGHT[i] {
            spaces(out, pad);
            out.push_str(text);
        } else {
            out.push_str(text);
            spaces(out, pad);
        }
    }
    let kept = out[start..].trim_end().len();
    out.truncate(start + kept);
    out.push('\n');
}

/// `n` spaces, a run at a time rather than a character at a time.
fn spaces(out: &mut String, mut n: usize) {
    const RUN: &str = "                                                                ";
    while n > 0 {
        let k = n.min(RUN.len());
        out.push_str(&RUN[..k]);
        n -= k;
    }
}

pub fn render(evaluation: &Evaluation, lang: Lang) -> String {
    let w = |word: Word| word.text(lang);
    let mut out = String::with_capacity(4096);
    let _ = writeln!(out, "{} · {} · {}", evaluation.project, evaluation.year, w(Word::Title));
    if let Some(org) = &evaluation.organization {
        let _ = writeln!(out, "{}: {org}", w(Word::Organization));
    }
    let _ = writeln!(out, "{}: {}", w(Word::Scheme), evaluation.scheme);
    if !evaluation.funds.is_empty() {
        let funds: Vec<String> = evaluation.funds.iter().map(|(k, v)| format!("{k} {}", v.normalize())).collect();
        let _ = writeln!(out, "{}: {}", w(Word::Funds), funds.join("  "));
    }
    if let Some(budget) = evaluation.budget.as_deref().and_then(|b| evaluation.indicator(b)) {
        let _ = writeln!(
            out,
            "{}: {} {}  {} {}  {} {}",
            w(Word::Budget),
            w(Word::Points),
            budget.points,
            w(Word::Execution),
            actual_text(budget),
            w(Word::Score),
            budget.score
        );
    }
    if let Some(goal) = &evaluation.goal.target {
        let _ = writeln!(out, "{}: {goal}", w(Word::Goal));
    }
    if let Some(result) = &evaluation.goal.result {
        let _ = writeln!(out, "{}: {result}", w(Word::Result));
    }
    out.push('\n');

    let mut grid = Grid { rows: Vec::new() };
    grid.rows.push(Row::Cells(
        [
            Word::Section,
            Word::Group,
            Word::Indicator,
            Word::Target,
            Word::Actual,
            Word::Points,
            Word::Score,
            Word::Deviation,
        ]
        .map(|k| Cow::Borrowed(w(k))),
    ));
    grid.rows.push(Row::Rule);
    for section in &evaluation.sections {
        let mut last_group: Option<String> = None;
        for (i, ind) in section.indicators.iter().enumerate() {
            let group = super::group_label(section, ind);
            let show_group = last_group.as_ref() != Some(&group);
            last_group = Some(group.clone());
            grid.rows.push(Row::Cells([
                if i == 0 { Cow::Borrowed(section.name.as_str()) } else { EMPTY },
                if show_group { Cow::Owned(group) } else { EMPTY },
                Cow::Borrowed(ind.name.as_str()),
                Cow::Owned(target_text(ind)),
                Cow::Owned(actual_text(ind)),
                Cow::Owned(decimal(ind.points)),
                Cow::Owned(decimal(ind.score)),
                Cow::Owned(deviation_text(ind)),
            ]));
        }
        grid.rows.push(Row::Cells([
            EMPTY,
            Cow::Borrowed(w(Word::Subtotal)),
            {
                let rate = section.rate.map(|r| format!("{} {}", w(Word::Rate), percent(r, false)));
                let apart = section.apart.then(|| w(Word::NotInTotal).to_string());
                Cow::Owned([rate, apart].into_iter().flatten().collect::<Vec<_>>().join("  "))
            },
            EMPTY,
            EMPTY,
            Cow::Owned(decimal(section.points)),
            Cow::Owned(decimal(section.score)),
            EMPTY,
        ]));
        grid.rows.push(Row::Rule);
    }
    grid.rows.push(Row::Cells([
        Cow::Borrowed(w(Word::Total)),
        EMPTY,
        Cow::Owned(format!(
            "{} {}  {} {}",
            w(Word::Rate),
            evaluation.total.rate.map(|r| percent(r, false)).unwrap_or_default(),
            w(Word::Grade),
            evaluation.total.grade.as_deref().unwrap_or("—")
        )),
        EMPTY,
        EMPTY,
        Cow::Owned(decimal(evaluation.total.points)),
        Cow::Owned(decimal(evaluation.total.score)),
        EMPTY,
    ]));
    if let Some(with_apart) = evaluation.total.with_apart {
        let mut cells = [EMPTY; 8];
        cells[2] = Cow::Borrowed(w(Word::TotalWithApart));
        cells[6] = Cow::Owned(decimal(with_apart));
        grid.rows.push(Row::Cells(cells));
    }
    grid.render(&mut out);

    let ledger = super::form::ledger(evaluation);
    if !ledger.is_empty() {
        let h = super::form::Headings { lang };
        let _ = writeln!(out, "\n{}:", h.ledger());
        let width = ledger.iter().map(|l| super::width(&l.name)).max().unwrap_or(0);
        for l in &ledger {
            let full = h.full_at(l);
            let [_, lost, at] = h.ledger_columns();
            let _ = writeln!(out, "  {}  {lost} {:>6}  {at} {full}", super::pad(&l.name, width), l.points.to_string());
        }
        let _ = writeln!(
            out,
            "  {}  {} {:>6}",
            super::pad(w(Word::Total), width),
            h.ledger_columns()[1],
            ledger.iter().map(|l| l.points).sum::<rust_decimal::Decimal>().to_string()
        );
    }

    let reasons: Vec<_> = evaluation.indicators().filter_map(|i| i.reason.as_ref().map(|r| (i, r))).collect();
    if !reasons.is_empty() {
        let _ = writeln!(out, "\n{}:", w(Word::Reasons));
        for (indicator, reason) in reasons {
            let _ = writeln!(out, "  {}: {reason}", indicator.name);
        }
    }
    out
}
