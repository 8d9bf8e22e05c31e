//! Any data text evaluated against the seed's quality-supervision rules:
//! a score within 0..=points for each indicator, or coded refusals.
#![no_main]

use std::sync::OnceLock;

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

fuzz_target!(|text: &str| {
    let Ok(data) = jixiao::data::parse(text, jixiao::span::FileId(1), false) else { return };
    match jixiao::eval::evaluate(rules(), &data) {
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
