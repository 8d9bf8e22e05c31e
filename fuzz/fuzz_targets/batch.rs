//! Any bytes as a batch of CSV or JSON Lines records against the seed's
//! quality-supervision rules: no panic, the same output for one worker and
//! two, and every record either scored or refused.
#![no_main]

mod common;

use jixiao::batch::{self, Format, Options, Program};
use libfuzzer_sys::fuzz_target;

const HEADER: &str = include_str!("../../tests/fixtures/batch/good.csv");

fuzz_target!(|input: (bool, &[u8])| {
    let (jsonl, body) = input;
    let program = Program::new(common::rules(), 0);
    let mut text = Vec::new();
    if !jsonl {
        text.extend_from_slice(HEADER.lines().next().unwrap_or("").as_bytes());
        text.push(b'\n');
    }
    text.extend_from_slice(body);
    let format = if jsonl { Format::Jsonl } else { Format::Csv };
    let run = |jobs: usize, block: usize| {
        let options = Options { input: format, jobs, block, ..Options::default() };
        let mut out = Vec::new();
        let mut refused = Vec::new();
        let summary =
            batch::run(&program, text.as_slice(), &mut out, &options, &mut |p: jixiao::diagnostic::Problem| {
                refused.push((p.code, p.get("row").map(String::from)))
            });
        (out, refused, summary.ok())
    };
    let one = run(1, batch::BLOCK);
    let two = run(2, 64);
    assert_eq!(one, two, "the output depends on how the input was split");
    if let Some(summary) = one.2 {
        assert_eq!(summary.records, summary.scored + summary.refused);
    }
});
