//! The 自评表 as an Excel workbook: one sheet per project in the official
//! layout (and a summary sheet first when there are several), numbers
//! stored as numbers — the rounded values the table prints — with number
//! formats, merged section and group cells, and widths that fit Chinese.
//! The creation date is fixed, so the same input gives the same bytes.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::form::{Form, Headings, Row};
use crate::eval::Evaluation;
use crate::messages::{Lang, Word};

/// A printed decimal as the spreadsheet's number. Scores were computed
/// exactly; this is only the file format's representation of the rounded
/// figure (2.76 reads back as 2.76).
fn number(d: Decimal) -> f64 {
    d.normalize().to_string().parse().unwrap_or(0.0)
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    bold: Format,
    score: Format,
    score_bold: Format,
    percent: Format,
    percent_bold: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: cell.clone().set_bold().set_background_color("#E6E6E6").set_align(FormatAlign::Center),
            text: cell.clone(),
            bold: cell.clone().set_bold(),
            score: cell.clone().set_num_format("0.00"),
            score_bold: cell.clone().set_num_format("0.00").set_bold(),
            percent: cell.clone().set_num_format("0.0%"),
            percent_bold: cell.set_num_format("0.0%").set_bold(),
        }
    }
}

/// Widths by column, grown to the widest text written.
struct Widths([usize; 9]);

impl Widths {
    fn fit(&mut self, col: u16, text: &str) {
        if let Some(w) = self.0.get_mut(usize::from(col)) {
            *w = (*w).max(text.width().min(48));
        }
    }
}

pub fn render(evaluations: &[Evaluation], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let h = Headings { lang };
    let f = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?));
    let mut names: Vec<String> = Vec::new();
    if evaluations.len() > 1 {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(h.summary(), &mut names))?;
        for (col, title) in (0u16..).zip(h.summary_columns()) {
            sheet.write_string_with_format(0, col, title, &f.header)?;
        }
        for (row, e) in (1u32..).zip(evaluations) {
            sheet.write_string_with_format(row, 0, &e.project, &f.text)?;
            sheet.write_number_with_format(row, 1, e.year, &f.text)?;
            sheet.write_number_with_format(row, 2, number(e.total.score), &f.score)?;
            sheet.write_string_with_format(row, 3, e.total.grade.as_deref().unwrap_or("—"), &f.text)?;
        }
        let widest = evaluations.iter().map(|e| e.project.width()).max().unwrap_or(10);
        sheet.set_column_width(0, (widest + 2) as f64)?;
    }
    for e in evaluations {
        let form = Form::new(e);
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&form.project, &mut names))?;
        project_sheet(sheet, &form, &h, &f)?;
    }
    workbook.save_to_buffer()
}

/// An audit of many projects as the workbook an audit office files: a
/// summary sheet (project, unit, reported and computed totals, their
/// difference, findings by severity; largest difference first) and a
/// sheet of every finding.
pub fn audit(
    audits: &[crate::audit::Audit],
    cross: &[crate::audit::CrossFinding],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    use super::audit::{by_difference, finding_columns, finding_rows, summary_columns};
    let f = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?));
    let summary = workbook.add_worksheet();
    summary.set_name(Word::AuditSummarySheet.text(lang))?;
    let mut widths = [8usize; 9];
    for (col, title) in (0u16..).zip(summary_columns(lang)) {
        summary.write_string_with_format(0, col, title, &f.header)?;
        widths[usize::from(col)] = widths[usize::from(col)].max(title.width());
    }
    for (row, a) in (1u32..).zip(by_difference(audits)) {
        summary.write_string_with_format(row, 0, &a.project, &f.text)?;
        summary.write_number_with_format(row, 1, a.year, &f.text)?;
        summary.write_string_with_format(row, 2, a.organization.as_deref().unwrap_or(""), &f.text)?;
        match a.reported_total {
            Some(t) => summary.write_number_with_format(row, 3, number(t), &f.score)?,
            None => summary.write_string_with_format(row, 3, "—", &f.text)?,
        };
        summary.write_number_with_format(row, 4, number(a.computed_total), &f.score)?;
        match a.difference() {
            Some(d) => summary.write_number_with_format(row, 5, number(d), &f.score)?,
            None => summary.write_string_with_format(row, 5, "—", &f.text)?,
        };
        let counts = [crate::audit::Severity::Error, crate::audit::Severity::Warning, crate::audit::Severity::Note];
        for (col, severity) in (6u16..).zip(counts) {
            summary.write_number_with_format(row, col, a.count(severity) as f64, &f.text)?;
        }
        widths[0] = widths[0].max(a.project.width());
        widths[2] = widths[2].max(a.organization.as_deref().unwrap_or("").width());
    }
    for (col, w) in (0u16..).zip(widths) {
        summary.set_column_width(col, (w.min(48) + 2) as f64)?;
    }
    let findings = workbook.add_worksheet();
    findings.set_name(Word::AuditFindingsSheet.text(lang))?;
    let mut widths = [8usize; 9];
    for (col, title) in (0u16..).zip(finding_columns(lang)) {
        findings.write_string_with_format(0, col, title, &f.header)?;
        widths[usize::from(col)] = widths[usize::from(col)].max(title.width());
    }
    for (row, cells) in (1u32..).zip(finding_rows(audits, cross, lang)) {
        for (col, cell) in (0u16..).zip(cells.iter()) {
            findings.write_string_with_format(row, col, cell, &f.text)?;
            widths[usize::from(col)] = widths[usize::from(col)].max(cell.width());
        }
    }
    for (col, w) in (0u16..).zip(widths) {
        findings.set_column_width(col, (w.min(60) + 2) as f64)?;
    }
    workbook.save_to_buffer()
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
    let mut candidate = clean.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{clean}({n})");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

fn project_sheet(sheet: &mut Worksheet, form: &Form, h: &Headings, f: &Formats) -> Result<(), XlsxError> {
    let mut widths = Widths([8; 9]);
    // The head of the official form: title, year, project name — so the
    // workbook reads back through `jixiao import`.
    sheet.merge_range(0, 0, 0, 8, h.title(), &f.title)?;
    let year = h.word(Word::YearLine).replace("{year}", &form.year.to_string());
    sheet.merge_range(1, 0, 1, 8, &year, &f.text)?;
    let mut row = 2u32;
    // A labelled line of text across the sheet.
    let line = |sheet: &mut Worksheet, row: &mut u32, label: &str, value: &str| -> Result<(), XlsxError> {
        sheet.write_string_with_format(*row, 0, label, &f.bold)?;
        sheet.merge_range(*row, 1, *row, 8, value, &f.text)?;
        *row += 1;
        Ok(())
    };
    line(sheet, &mut row, h.word(Word::ProjectName), &form.project)?;
    if let Some(org) = &form.organization {
        line(sheet, &mut row, h.word(Word::Organization), org)?;
    }
    // The funds block as the template has it: a name over each amount, in cells.
    if !form.funds.is_empty() {
        sheet.write_string_with_format(row, 0, h.word(Word::Funds), &f.bold)?;
        for (col, (name, amount)) in (1u16..).zip(form.funds.iter().take(8)) {
            sheet.write_string_with_format(row, col, name, &f.header)?;
            sheet.write_number_with_format(row + 1, col, number(*amount), &f.score)?;
            widths.fit(col, name);
        }
        sheet.write_string_with_format(row + 1, 0, "", &f.text)?;
        row += 2;
    }
    // The raw figures derived actuals are computed from, a name over each value.
    for chunk in form.figures.chunks(8) {
        sheet.write_string_with_format(row, 0, h.word(Word::Figures), &f.bold)?;
        for (col, (name, value, percent)) in (1u16..).zip(chunk) {
            sheet.write_string_with_format(row, col, name, &f.header)?;
            let format = if *percent { &f.percent } else { &f.score };
            sheet.write_number_with_format(row + 1, col, number(*value), format)?;
            widths.fit(col, name);
        }
        sheet.write_string_with_format(row + 1, 0, "", &f.text)?;
        row += 2;
    }
    if let Some((points, rate, score)) = &form.budget {
        sheet.write_string_with_format(row, 0, h.word(Word::Budget), &f.bold)?;
        let cells = [(h.word(Word::Points), *points), (h.word(Word::Score), *score)];
        sheet.write_string_with_format(row, 1, cells[0].0, &f.header)?;
        sheet.write_number_with_format(row, 2, number(cells[0].1), &f.score)?;
        sheet.write_string_with_format(row, 3, h.word(Word::Execution), &f.header)?;
        sheet.write_string_with_format(row, 4, rate, &f.text)?;
        sheet.write_string_with_format(row, 5, cells[1].0, &f.header)?;
        sheet.write_number_with_format(row, 6, number(cells[1].1), &f.score)?;
        row += 1;
    }
    if let Some(goal) = &form.goal {
        line(sheet, &mut row, h.word(Word::Goal), goal)?;
    }
    if let Some(result) = &form.result {
        line(sheet, &mut row, h.word(Word::Result), result)?;
    }
    row += 1;
    for (col, title) in (0u16..).zip(h.columns()) {
        sheet.write_string_with_format(row, col, title, &f.header)?;
        widths.fit(col, title);
    }
    row += 1;

    for r in &form.rows {
        match r {
            Row::Indicator(l) => {
                // Section and group cells merge down over the lines they span.
                if l.section_rows > 0 {
                    merge(sheet, row, row + l.section_rows as u32 - 1, 0, &l.section, &f.text)?;
                    widths.fit(0, &l.section);
                }
                if l.group_rows > 0 {
                    merge(sheet, row, row + l.group_rows as u32 - 1, 1, &l.group, &f.text)?;
                    widths.fit(1, &l.group);
                }
                sheet.write_string_with_format(row, 2, &l.name, &f.text)?;
                // Numbers stay numbers (direction and unit in the number format), so
                // the workbook can be computed with and read back.
                for (col, text, number_cell) in [(3, &l.target, &l.target_number), (4, &l.actual, &l.actual_number)] {
                    match number_cell {
                        Some((value, format)) => {
                            let format = f.text.clone().set_num_format(format);
                            sheet.write_number_with_format(row, col, number(*value), &format)?
                        }
                        None => sheet.write_string_with_format(row, col, text, &f.text)?,
                    };
                }
                sheet.write_number_with_format(row, 5, number(l.points), &f.score)?;
                sheet.write_number_with_format(row, 6, number(l.score), &f.score)?;
                match l.deviation {
                    Some(d) => sheet.write_number_with_format(row, 7, number(d), &f.percent)?,
                    None => sheet.write_string_with_format(row, 7, &l.deviation_text, &f.text)?,
                };
                sheet.write_string_with_format(row, 8, &l.reason, &f.text)?;
                for (col, text) in [(2, &l.name), (3, &l.target), (4, &l.actual), (8, &l.reason)] {
                    widths.fit(col, text);
                }
            }
            Row::Subtotal { points, score, rate, apart, .. } => {
                sheet.write_string_with_format(row, 1, h.subtotal(*apart), &f.bold)?;
                sheet.write_string_with_format(row, 2, h.word(Word::Rate), &f.bold)?;
                match rate {
                    Some(r) => sheet.write_number_with_format(row, 3, number(*r), &f.percent_bold)?,
                    None => sheet.write_string_with_format(row, 3, "", &f.bold)?,
                };
                sheet.write_number_with_format(row, 5, number(*points), &f.score_bold)?;
                sheet.write_number_with_format(row, 6, number(*score), &f.score_bold)?;
            }
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, h.word(Word::Total), &f.bold)?;
    sheet.write_string_with_format(row, 2, h.word(Word::Rate), &f.bold)?;
    if let Some(r) = form.total_rate {
        sheet.write_number_with_format(row, 3, number(r), &f.percent_bold)?;
    }
    let grade = format!("{} {}", h.word(Word::Grade), form.grade.as_deref().unwrap_or("—"));
    sheet.write_string_with_format(row, 4, &grade, &f.bold)?;
    sheet.write_number_with_format(row, 5, number(form.total_points), &f.score_bold)?;
    sheet.write_number_with_format(row, 6, number(form.total_score), &f.score_bold)?;
    if let Some(with_apart) = form.total_with_apart {
        row += 1;
        sheet.write_string_with_format(row, 0, h.word(Word::TotalWithApart), &f.bold)?;
        sheet.write_number_with_format(row, 6, number(with_apart), &f.score_bold)?;
    }
    row += 2;

    if !form.ledger.is_empty() {
        sheet.write_string_with_format(row, 0, h.ledger(), &f.title)?;
        row += 1;
        for (col, title) in [2u16, 5, 6].into_iter().zip(h.ledger_columns()) {
            sheet.write_string_with_format(row, col, title, &f.header)?;
        }
        row += 1;
        for l in &form.ledger {
            sheet.write_string_with_format(row, 2, &l.name, &f.text)?;
            sheet.write_number_with_format(row, 5, number(l.points), &f.score)?;
            sheet.write_string_with_format(row, 6, h.full_at(l), &f.text)?;
            row += 1;
        }
        sheet.write_string_with_format(row, 2, h.word(Word::Total), &f.bold)?;
        sheet.write_number_with_format(row, 5, number(form.lost()), &f.score_bold)?;
    }
    for (col, width) in (0u16..).zip(widths.0) {
        sheet.set_column_width(col, (width + 2) as f64)?;
    }
    Ok(())
}

/// Writes a label over rows `first..=last` of one column, merged when it spans several.
fn merge(sheet: &mut Worksheet, first: u32, last: u32, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
    if first == last {
        sheet.write_string_with_format(first, col, text, format)?;
    } else {
        sheet.merge_range(first, col, last, col, text, format)?;
    }
    Ok(())
}
