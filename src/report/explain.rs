//! `jixiao explain`: the calculation behind each score, step by step.

use std::fmt::Write;

use super::deviation_text;
use crate::eval::{Chosen, Evaluation, IndicatorResult};
use crate::messages::{Lang, Word};

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

/// Each indicator's explanation on its own, as `render` with `only` gives
/// it, in one pass (a page that explains any row on click asks for all).
pub fn each(evaluation: &Evaluation, lang: Lang) -> Vec<(&str, String)> {
    let head = format!("{} · {} · {}\n", evaluation.project, evaluation.year, evaluation.scheme);
    let mut out = Vec::new();
    for section in &evaluation.sections {
        for indicator in &section.indicators {
            let mut text = format!("{head}\n");
            one(&mut text, indicator, &section.name, lang);
            out.push((indicator.id.as_str(), text));
        }
    }
    out
}

fn one(out: &mut String, i: &IndicatorResult, section: &str, lang: Lang) {
    let w = |word: Word| word.text(lang);
    let place = match &i.group {
        Some(g) => format!("{section} › {g}"),
        None => section.to_string(),
    };
    let _ = writeln!(out, "{} · {}  ({place})", i.id, i.name);
    let label = |word: Word| {
        let word = w(word);
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
        let _ = writeln!(out, "{}{} = {} = {shown}", label(Word::DerivedActual), d.rule.trim(), d.substituted);
    }
    match (&i.method, t.chosen_by) {
        (Some(m), Chosen::Default(direction)) => {
            let _ = writeln!(out, "{}{m} ({} {})", label(Word::Method), w(Word::DefaultFor), direction.symbol());
        }
        (Some(m), Chosen::DeadlineDefault) => {
            let _ = writeln!(out, "{}{m} ({} {})", label(Word::Method), w(Word::DefaultFor), w(Word::Deadlines));
        }
        (Some(m), _) => {
            let _ = writeln!(out, "{}{m} ({})", label(Word::Method), w(Word::Named));
        }
        (None, Chosen::Checklist) => {
            let _ = writeln!(out, "{}{}", label(Word::Method), w(Word::ChecklistScoring));
        }
        (None, _) => {
            let _ = writeln!(out, "{}{}", label(Word::Method), w(Word::LevelScoring));
        }
    }
    if i.method.is_some() || t.chosen_by == Chosen::Checklist {
        let _ = writeln!(out, "{}{}", label(Word::Rule), t.rule);
    }
    // The method's own words (`actual`, `target`, `points`) in the staff's language.
    let name = |k: &str| -> String {
        match k {
            "actual" => w(Word::ParamActual).into(),
            "target" => w(Word::ParamTarget).into(),
            "points" => w(Word::ParamPoints).into(),
            "deadline" => w(Word::ParamDeadline).into(),
            "done" => w(Word::ParamDone).into(),
            "met" => w(Word::ParamMet).into(),
            "missing" => w(Word::ParamMissing).into(),
            _ => k.to_string(),
        }
    };
    let values: Vec<String> = t.inputs.iter().map(|(k, v)| format!("{} = {v}", name(k))).collect();
    let _ = writeln!(out, "{}{}", label(Word::Values), values.join(", "));
    for (condition, holds) in &t.conditions {
        let verdict = if *holds { w(Word::Holds) } else { w(Word::Fails) };
        let _ = writeln!(out, "{}{condition}: {verdict}", label(Word::Condition));
    }
    let exact = t.exact.is_exact_in(28) && t.exact.to_decimal(28).is_ok_and(|d| d == t.rounded);
    let line = match (exact, t.formula == t.rounded.to_string()) {
        (true, true) => t.formula.clone(),
        (true, false) => format!("{} = {}", t.formula, t.rounded),
        (false, _) => format!("{} = {} → {}", t.formula, t.exact, t.rounded),
    };
    let _ = writeln!(out, "{}{line}", label(Word::Score));
    let _ = writeln!(out, "{}{}", label(Word::Deviation), deviation_text(i));
}
