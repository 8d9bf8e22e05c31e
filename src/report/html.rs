//! The 自评表 as one self-contained HTML page: no external assets and no
//! scripts, printable on A4, with inline SVG charts (score rate per section,
//! points lost per indicator) that read in black and white.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::form::{Form, Headings, Row};
use super::percent;
use crate::eval::Evaluation;
use crate::messages::{Lang, Word};

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color: #000; margin: 2em; line-height: 1.4; }
h1 { font-size: 1.4em; margin: 0 0 .4em; }
h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: .9em; }
th, td { border: 1px solid #000; padding: .25em .45em; vertical-align: top; }
th { background: #e6e6e6; font-weight: bold; white-space: nowrap; }
table.form td:nth-child(-n+2), tr.subtotal td, tr.total td { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.subtotal td, tr.total td { font-weight: bold; background: #f2f2f2; }
table.meta th { width: 9em; text-align: left; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption { font-size: .9em; margin-bottom: .3em; font-weight: bold; }
article + article { break-before: page; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { margin: 0; font-size: 10pt; }
  tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
}
"#;

pub fn render(evaluations: &[Evaluation], lang: Lang) -> String {
    let h = Headings { lang };
    let mut out = String::new();
    let title = match evaluations {
        [one] => format!("{} · {} · {}", one.project, one.year, h.title()),
        _ => h.title().to_string(),
    };
    let html_lang = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    if evaluations.len() > 1 {
        let _ = writeln!(out, "<section class=\"summary\">\n<h1>{}</h1>\n<table>\n<thead><tr>", h.summary());
        for c in h.summary_columns() {
            let _ = write!(out, "<th>{c}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for e in evaluations {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&e.project),
                e.year,
                e.total.score,
                esc(e.total.grade.as_deref().unwrap_or("—"))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    for e in evaluations {
        article(&mut out, &Form::new(e), &h);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn article(out: &mut String, f: &Form, h: &Headings) {
    let _ = writeln!(out, "<article class=\"project\">\n<h1>{} · {} · {}</h1>", esc(&f.project), f.year, h.title());
    out.push_str("<table class=\"meta\">\n");
    if let Some(org) = &f.organization {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", h.word(Word::Organization), esc(org));
    }
    if !f.funds.is_empty() {
        let funds: Vec<String> = f.funds.iter().map(|(k, v)| format!("{} {}", esc(k), v.normalize())).collect();
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", h.word(Word::Funds), funds.join("；"));
    }
    if let Some((points, rate, score)) = &f.budget {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td>{} {points}；{} {}；{} {score}</td></tr>",
            h.word(Word::Budget),
            h.word(Word::Points),
            h.word(Word::Execution),
            esc(rate),
            h.word(Word::Score)
        );
    }
    for (key, value) in [(Word::Goal, &f.goal), (Word::Result, &f.result)] {
        if let Some(v) = value {
            let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", h.word(key), esc(v));
        }
    }
    out.push_str("</table>\n<table class=\"form\">\n<thead><tr>");
    for c in h.columns() {
        let _ = write!(out, "<th>{c}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &f.rows {
        match row {
            Row::Indicator(l) => {
                let _ = write!(out, "<tr class=\"indicator\" data-indicator=\"{}\">", esc(&l.id));
                if l.section_rows > 0 {
                    let _ = write!(out, "<td rowspan=\"{}\">{}</td>", l.section_rows, esc(&l.section));
                }
                if l.group_rows > 0 {
                    let _ = write!(out, "<td rowspan=\"{}\">{}</td>", l.group_rows, esc(&l.group));
                }
                let _ = writeln!(
                    out,
                    "<td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    esc(&l.name),
                    esc(&l.target),
                    esc(&l.actual),
                    l.points,
                    l.score,
                    esc(&l.deviation_text),
                    esc(&l.reason)
                );
            }
            Row::Subtotal { section, points, score, rate, apart } => {
                let rate = rate.map(|r| format!("{} {}", h.word(Word::Rate), percent(r, false))).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "<tr class=\"subtotal\"><td>{}</td><td>{}</td><td colspan=\"3\">{rate}</td><td class=\"num\">{points}</td><td class=\"num\">{score}</td><td></td><td></td></tr>",
                    esc(section),
                    h.subtotal(*apart)
                );
            }
        }
    }
    let rate = f.total_rate.map(|r| format!("{} {}", h.word(Word::Rate), percent(r, false))).unwrap_or_default();
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot><tr class=\"total\"><td colspan=\"2\">{}</td><td colspan=\"3\">{rate}；{} <span class=\"grade\">{}</span></td><td class=\"num\">{}</td><td class=\"num\" id=\"total-score\">{}</td><td></td><td></td></tr></tfoot>\n</table>",
        h.word(Word::Total),
        h.word(Word::Grade),
        esc(f.grade.as_deref().unwrap_or("—")),
        f.total_points,
        f.total_score
    );
    if let Some(with_apart) = f.total_with_apart {
        let _ = writeln!(out, "<p class=\"with-apart\">{}: <b>{with_apart}</b></p>", h.word(Word::TotalWithApart));
    }
    rates_chart(out, f, h);
    if !f.ledger.is_empty() {
        losses_chart(out, f, h);
        let _ = writeln!(out, "<h2>{}</h2>\n<table class=\"ledger\">\n<thead><tr>", h.ledger());
        for c in h.ledger_columns() {
            let _ = write!(out, "<th>{c}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for l in &f.ledger {
            let full = h.full_at(l);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&l.name),
                l.points,
                esc(&full)
            );
        }
        let _ = writeln!(
            out,
            "</tbody>\n<tfoot><tr class=\"total\"><td>{}</td><td class=\"num\">{}</td><td></td></tr></tfoot>\n</table>",
            h.word(Word::Total),
            f.lost()
        );
    }
    out.push_str("</article>\n");
}

/// Horizontal bars: a label column, a bar scaled to `max`, the value's text.
fn bars(out: &mut String, class: &str, caption: &str, items: &[(String, Decimal, String)], max: Decimal) {
    let (label_w, bar_w, row_h) = (260, 300, 24);
    let height = row_h * items.len() + 10;
    let width = label_w + bar_w + 90;
    let _ = writeln!(
        out,
        "<figure class=\"chart {class}\">\n<figcaption>{}</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n<title>{}</title>\n<defs><pattern id=\"hatch-{class}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000\" stroke-width=\"2\"/></pattern></defs>",
        esc(caption),
        esc(caption)
    );
    for (i, (label, value, text)) in items.iter().enumerate() {
        let y = 5 + i * row_h;
        let fraction = value.checked_div(max).unwrap_or(Decimal::ZERO).clamp(Decimal::ZERO, Decimal::ONE);
        let length = fraction.checked_mul(Decimal::from(bar_w)).unwrap_or(Decimal::ZERO).round().to_string();
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{bar_w}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/><rect class=\"bar\" x=\"{label_w}\" y=\"{}\" width=\"{length}\" height=\"{}\" fill=\"url(#hatch-{class})\" stroke=\"#000\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            label_w - 6,
            y + 16,
            esc(label),
            y + 3,
            row_h - 8,
            y + 3,
            row_h - 8,
            label_w + bar_w + 6,
            y + 16,
            esc(text)
        );
    }
    out.push_str("</svg>\n</figure>\n");
}

fn rates_chart(out: &mut String, f: &Form, h: &Headings) {
    let caption = h.word(Word::RatesChart);
    let items: Vec<(String, Decimal, String)> =
        f.section_rates.iter().map(|(name, rate)| (name.clone(), *rate, percent(*rate, false))).collect();
    bars(out, "rates", caption, &items, Decimal::ONE);
}

fn losses_chart(out: &mut String, f: &Form, h: &Headings) {
    let caption = h.word(Word::LossesChart);
    let max = f.ledger.iter().map(|l| l.points).max().unwrap_or(Decimal::ONE);
    let items: Vec<(String, Decimal, String)> =
        f.ledger.iter().map(|l| (l.name.clone(), l.points, l.points.to_string())).collect();
    bars(out, "losses", caption, &items, max);
}
