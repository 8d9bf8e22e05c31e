//! Any data text evaluated against the seed's quality-supervision rules:
//! a score within 0..=points for each indicator, or coded refusals.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(data) = jixiao::data::parse(text, jixiao::span::FileId(1), jixiao::data::Syntax::Toml) else { return };
    match jixiao::eval::evaluate(common::rules(), &data) {
        Ok(evaluation) => {
            for i in evaluation.indicators() {
                assert!(i.score >= rust_decimal::Decimal::ZERO && i.score <= i.points, "{} {}", i.id, i.score);
                if let Some(loss) = &i.loss {
                    assert!(loss.points <= i.points);
                }
            }
        }
        Err(problems) => assert!(problems.iter().all(|p| p.code.starts_with("jixiao::"))),
    }
});
