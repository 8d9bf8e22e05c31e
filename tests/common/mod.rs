//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, reason = "test helpers")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jixiao::eval::Evaluation;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real binary, run in `dir`, without colour.
pub fn jixiao_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// The real binary, run from the repository root.
pub fn jixiao(args: &[&str]) -> Output {
    jixiao_in(&root(), args)
}

/// The real binary with `input` on its standard input, from the repository root.
pub fn jixiao_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    // A binary that stops reading early closes the pipe: what it printed still counts.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Checks rule text and evaluates TOML data text against it.
pub fn evaluate(rules: &str, data: &str) -> Result<Evaluation, Vec<jixiao::diagnostic::Problem>> {
    let checked = jixiao::check::check_source("test.jx", rules);
    let Some(rules) = checked.rules else { return Err(checked.problems) };
    let data = jixiao::data::parse(data, jixiao::span::FileId(1), jixiao::data::Syntax::Toml)?;
    jixiao::eval::evaluate(&rules, &data)
}

/// A one-indicator project under a scheme with the seed's conventions,
/// plus whatever the test adds to the scheme.
pub fn one_indicator(scheme_extra: &str, indicator: &str) -> String {
    format!(
        r#"scheme S {{
    total 10
    unit 次 家: count
    unit 万元: amount
    round score half_up 0.01
    round rate half_up 0.1%
    round deviation half_up 0.1%
    method proportional = if actual >= target then points else points * actual / target
    method inverse = if actual <= target then points else if target == 0 then 0 else points * target / actual
    method exact = if actual == target then points else 0
    default >= proportional
    default <= inverse
    default == exact
    level 达成 100% "达成预期指标" "合格"
    level 部分达成 [60%, 80%)
    level 未达成 [0%, 60%)
    grade 优秀 >= 9
    grade 差 otherwise
    {scheme_extra}
}}
project P {{
    year 2018
    section S points 10 {{
        indicator I {{ {indicator}; points 10 }}
    }}
}}
"#
    )
}

pub fn data(actual: &str) -> String {
    format!("project = \"P\"\nyear = 2018\n[actual]\nI = {actual}\n")
}

/// The score of the single indicator `I`.
pub fn score(scheme_extra: &str, indicator: &str, actual: &str) -> String {
    let evaluation = evaluate(&one_indicator(scheme_extra, indicator), &data(actual)).expect("evaluates");
    evaluation.indicator("I").unwrap().score.to_string()
}

/// A fresh folder for one test's files, under the system's temporary folder.
pub fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies a folder and everything below it.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
