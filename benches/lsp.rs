//! How soon diagnostics follow a keystroke: `jixiao lsp` (the release
//! binary) with `benches/rules/large.jx` open (2 000 indicators, written by
//! `scripts/large-rules`), one digit typed at a time into a target, the
//! whole text sent each time (full synchronisation, as VS Code does for
//! jixiao), the time until that text's diagnostics arrive.
//!
//! Run: `cargo bench --bench lsp`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "benchmarks fail loudly")]

#[path = "../tests/common/lsp_client.rs"]
mod lsp_client;

use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/lsp-bench/rules");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root.join("benches/rules/large.jx")).unwrap();
    let path = dir.join("large.jx");
    std::fs::write(&path, &text).unwrap();
    let uri = lsp_client::uri(&path);

    let mut client = lsp_client::Client::start(env!("CARGO_BIN_EXE_jixiao"));
    let start = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "jixiao", "version": 1, "text": text } }),
    );
    let first = client.diagnostics(&uri);
    let opened = start.elapsed();

    // Typing `2024` after the first target's `100`, a digit at a time, then deleting it again.
    let at = text.find("target >= 100 台").unwrap() + "target >= 100".len();
    let mut latencies = Vec::new();
    let mut typed = String::new();
    for (version, step) in (2..).zip(["2", "0", "2", "4", "", "", "", ""].iter().cycle().take(40)) {
        if step.is_empty() {
            typed.pop();
        } else {
            typed.push_str(step);
        }
        let mut edited = text.clone();
        edited.insert_str(at, &typed);
        let sent = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": edited }] }),
        );
        client.diagnostics(&uri);
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    client.stop();
    latencies.sort_by(f64::total_cmp);
    let at_share = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!(
        "benches/rules/large.jx ({} lines, 2 000 indicators): opened, diagnostics in {:.0} ms ({} found)",
        text.lines().count(),
        opened.as_secs_f64() * 1000.0,
        first.len()
    );
    println!(
        "after a keystroke, {} keystrokes: median {:.1} ms, 90th percentile {:.1} ms, slowest {:.1} ms",
        latencies.len(),
        at_share(0.5),
        at_share(0.9),
        latencies[latencies.len() - 1]
    );
}
