//! Any text as a rule file: parsed and checked without a panic, and every
//! refusal coded.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let checked = jixiao::check::check_source("fuzz.jx", text);
    for problem in &checked.problems {
        assert!(problem.code.starts_with("jixiao::"), "{}", problem.code);
        let _ = problem.render(jixiao::messages::Lang::Zh);
    }
    if checked.rules.is_none() {
        assert!(checked.problems.iter().any(|p| p.is_error()), "refused without an error");
    }
});
