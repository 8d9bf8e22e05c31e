//! Any bytes as a batch of CSV or JSON Lines records against the seed's
//! quality-supervision rules: no panic, the same output for one worker and
//! two, and every record either scored or refused.
#![no_main]

use std::sync::OnceLock;

use jixiao::batch::{self, Format, Options, Program};
use jixiao::model::CheckedRules;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static CheckedRules {
    static RULES: OnceLock<CheckedRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let text = concat!(
            include_str!("../../rules/2018/scheme.jx"),
            "\n",
            include_str!("../../rules/2018/quality-supervision.jx")
        )
        .replace("use \"scheme.jx\"", "");
        jixiao::check::check_source("rules.jx", &text).rules.expect("the seed rules check")
    })
}

const HEADER: &str = include_str!("../../tests/fixtures/batch/good.csv");

fuzz_target!(|input: (bool, &[u8])| {
    let (jsonl, body) = input;
    let program = Program::new(rules(), 0);
    let mut text = Vec::new();
    if !jsonl {
        text.extend_from_slice(HEADER.lines().next().unwrap_or("").as_bytes());
        text.push(b'\n');
    }
    text.extend_from_slice(body);
    let format = if jsonl { Format::Jsonl } else { Format::Csv };
    let run = |jobs: usize, block: usize| {
        let options = Options {
            input: format,
            output: Format::Csv,
            jobs,
            strict: false,
            columns: None,
            sink: None,
            block,
            warnings: false,
        };
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
