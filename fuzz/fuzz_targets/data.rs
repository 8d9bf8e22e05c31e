//! Any text as a project data file, TOML or JSON: read without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, &str)| {
    let (json, text) = input;
    let syntax = if json { jixiao::data::Syntax::Json } else { jixiao::data::Syntax::Toml };
    if let Err(problems) = jixiao::data::parse(text, jixiao::span::FileId(0), syntax) {
        assert!(problems.iter().all(|p| p.code.starts_with("jixiao::")));
    }
});
