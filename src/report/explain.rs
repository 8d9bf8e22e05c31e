//! `jixiao explain`: the calculation behind each score, step by step.

use std::fmt::Write;

use super::{Words, deviation_text};
use crate::eval::{Chosen, Evaluation, IndicatorResult};
use crate::messages::Lang;

pub fn render(evaluation: &Evaluation, only: Option<&str>, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} · {} · {}", evaluation.project, evaluation.year, evaluation.scheme);
    for section in &evaluation.sections {
        for indicator in &section.indicators {
            if only.is_some_and(|id| id != indicator.id) {
                continue;
            }
            out.push('\n');
            one(&mut out, indicator, &section.name, lang);
        }
    }
    out
}

fn one(out: &mut String, i: &IndicatorResult, section: &str, lang: Lang) {
    let w = Words { lang };
    let place = match &i.group {
        Some(g) => format!("{section} › {g}"),
        None => section.to_string(),
    };
    let _ = writeln!(out, "{} · {}  ({place})", i.id, i.name);
    let label = |key: &str| {
        let word = w.get(key);
        format!("  {word}{}", " ".repeat(11usize.saturating_sub(unicode_width::UnicodeWidthStr::width(word))))
    };
    let t = &i.trace;
    if let Some(d) = &t.derivation {
        let shown = if d.percent {
            match d.value.checked_mul(crate::exact::Ratio::from_int(100)) {
                Ok(p) => format!("{p}%"),
                Err(_) => d.value.to_string(),
            }
        } else {
            d.value.to_string()
        };
        let _ = writeln!(out, "{}{} = {} = {shown}", label("derived"), d.rule.trim(), d.substituted);
    }
    match (&i.method, t.chosen_by) {
        (Some(m), Chosen::Default(direction)) => {
            let _ = writeln!(out, "{}{m} ({} {})", label("method"), w.get("default_for"), direction.symbol());
        }
        (Some(m), _) => {
            let _ = writeln!(out, "{}{m} ({})", label("method"), w.get("named"));
        }
        (None, _) => {
            let _ = writeln!(out, "{}{}", label("method"), w.get("level_scoring"));
        }
    }
    if i.method.is_some() {
        let _ = writeln!(out, "{}{}", label("rule"), t.rule);
    }
    // The method's own words (`actual`, `target`, `points`) in the staff's language.
    let name = |k: &str| -> String {
        match (lang, k) {
            (Lang::Zh, "actual") => "完成值".into(),
            (Lang::Zh, "target") => "目标值".into(),
            (Lang::Zh, "points") => "分值".into(),
            _ => k.to_string(),
        }
    };
    let values: Vec<String> = t.inputs.iter().map(|(k, v)| format!("{} = {v}", name(k))).collect();
    let _ = writeln!(out, "{}{}", label("values"), values.join(", "));
    for (condition, holds) in &t.conditions {
        let verdict = if *holds { w.get("holds") } else { w.get("fails") };
        let _ = writeln!(out, "{}{condition}: {verdict}", label("condition"));
    }
    let exact = t.exact.is_exact_in(28) && t.exact.to_decimal(28).is_ok_and(|d| d == t.rounded);
    let line = match (exact, t.formula == t.rounded.to_string()) {
        (true, true) => t.formula.clone(),
        (true, false) => format!("{} = {}", t.formula, t.rounded),
        (false, _) => format!("{} = {} → {}", t.formula, t.exact, t.rounded),
    };
    let _ = writeln!(out, "{}{line}", label("formula"));
    let _ = writeln!(out, "{}{}", label("deviation"), deviation_text(i));
}
