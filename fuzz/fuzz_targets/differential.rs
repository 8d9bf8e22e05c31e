//! Eval and batch on the same record must agree: the same scores and total,
//! or both refuse. Records are built from fuzzed values — zero, tiny, huge,
//! negative, missing, malformed — for the seed's quality-supervision rules.
#![no_main]

mod common;

use jixiao::batch::{self, Options, Program};
use libfuzzer_sys::fuzz_target;

/// A cell from a fuzzed choice: edge values first, then free text.
fn cell(choice: u8, free: &str, percent: bool) -> String {
    let value = match choice % 12 {
        0 => "0".to_string(),
        1 => "0.0000000000000000000000000001".to_string(),
        2 => "99999999999999999999999999".to_string(),
        3 => "-1".to_string(),
        4 => String::new(),
        5 => "n/a".to_string(),
        6 => "1e3".to_string(),
        _ => free.chars().filter(|c| c.is_ascii_digit() || *c == '.').take(12).collect(),
    };
    if percent && !value.is_empty() && choice % 3 != 0 { format!("{value}%") } else { value }
}

fuzz_target!(|input: (Vec<u8>, String)| {
    let (choices, free) = input;
    let rules = common::rules();
    let program = Program::new(rules, 0);
    let project = program.project;
    let cells: Vec<(String, String)> = program
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let percent = match c.slot {
                batch::Slot::Actual(k) => project.indicators[k].unit() == Some(&jixiao::model::Unit::Percent),
                batch::Slot::Figure(k) => project.figures[k].unit == jixiao::model::Unit::Percent,
            };
            let qualitative = matches!(c.slot, batch::Slot::Actual(k) if project.indicators[k].unit().is_none());
            let value =
                if qualitative { "达成".to_string() } else { cell(*choices.get(i).unwrap_or(&7), &free, percent) };
            (c.name.clone(), value)
        })
        .collect();

    // Batch: one CSV record.
    let header: Vec<&str> = cells.iter().map(|(n, _)| n.as_str()).collect();
    let row: Vec<&str> = cells.iter().map(|(_, v)| v.as_str()).collect();
    let csv = format!("{}\n{}\n", header.join(","), row.join(","));
    let options = Options { columns: Some(vec!["total".to_string()]), ..Options::default() };
    let mut out = Vec::new();
    let Ok(summary) =
        batch::run(&program, csv.as_bytes(), &mut out, &options, &mut |_: jixiao::diagnostic::Problem| {})
    else {
        return;
    };
    let batch_total = String::from_utf8_lossy(&out).lines().nth(1).map(String::from);

    // Eval: the same values as a data file.
    let mut toml = format!("project = \"{}\"\nyear = {}\n[actual]\n", project.name.node, project.year.node);
    let mut figures = String::from("[figures]\n");
    for (c, (name, value)) in program.columns.iter().zip(&cells) {
        let line = format!("\"{name}\" = \"{value}\"\n");
        match c.slot {
            batch::Slot::Actual(_) => toml.push_str(&line),
            batch::Slot::Figure(_) => figures.push_str(&line),
        }
    }
    toml.push_str(&figures);
    let data = jixiao::data::parse(&toml, jixiao::span::FileId(1), jixiao::data::Syntax::Toml);
    let eval_total = data.ok().and_then(|d| jixiao::eval::evaluate(rules, &d).ok()).map(|e| e.total.score.to_string());

    match (summary.scored, batch_total, eval_total) {
        (1, Some(b), Some(e)) => assert_eq!(b, e, "batch and eval scored {csv:?} differently"),
        (0, None, None) => {}
        (_, b, e) => panic!("batch {b:?} and eval {e:?} disagree on whether {csv:?} can be scored"),
    }
});
