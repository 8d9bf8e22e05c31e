//! Any two rule texts compared: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (old, new) = input;
    let old = jixiao::check::check_source("old.jx", old);
    let new = jixiao::check::check_source("new.jx", new);
    if let (Some(old), Some(new)) = (&old.rules, &new.rules) {
        let _ = jixiao::diff::diff(old, new);
    }
});
