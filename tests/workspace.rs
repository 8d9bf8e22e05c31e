//! A workspace file (`jixiao.toml`) read by the command line: its rules
//! folders bound `use`, its language is the default, and one that does not
//! read stops every command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::path::Path;

const SCHEME: &str = r#"scheme 区级方案 {
    total 10
    unit 台: count
    round score half_up 0.01
    method proportional = if actual >= target then points else points * actual / target
    default >= proportional
    grade 优秀 >= 90%; grade 差 otherwise
}
"#;

const PROJECT: &str = r#"use "../共用/方案.jx"
project 巡查项目 {
    year 2018
    section 产出指标 points 10 {
        indicator 巡查 "日常监管巡查设备台数" { target >= 3000 台; points 10 }
    }
}
"#;

/// A workspace whose rules folder is not named `rules`: `规则/2018/项目.jx`
/// uses `规则/共用/方案.jx`, a sibling folder.
fn workspace(name: &str, file: &str) -> std::path::PathBuf {
    let dir = common::temp(name);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("规则/共用/方案.jx", SCHEME);
    write("规则/2018/项目.jx", PROJECT);
    write("数据/项目.toml", "project = \"巡查项目\"\nyear = 2018\n[actual]\n\"巡查\" = 2072\n");
    if !file.is_empty() {
        write("jixiao.toml", file);
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

#[test]
fn the_rules_folder_it_names_bounds_use() {
    // Without the file, `use` may not leave 规则/2018 (no folder named `rules` above it).
    let bare = workspace("bare", "");
    let (code, _, stderr) = run(&bare, &["check", "规则/2018/项目.jx"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("jixiao::check::import_outside_root"), "{stderr}");
    // With it, 规则 is the root: the scheme beside the year is in reach.
    let named = workspace("named", "rules = [\"规则\"]\ndata = [\"数据\"]\n");
    let (code, stdout, stderr) = run(&named, &["eval", "规则/2018/项目.jx", "--data", "数据/项目.toml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("6.91"), "{stdout}");
}

#[test]
fn its_language_is_the_default_and_lang_still_wins() {
    let dir = workspace("lang", "rules = \"规则\"\nlang = \"en\"\n");
    let (code, stdout, _) = run(&dir, &["eval", "规则/2018/项目.jx", "--data", "数据/项目.toml"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("self-evaluation") && !stdout.contains("总分"), "{stdout}");
    let (_, stdout, _) = run(&dir, &["eval", "规则/2018/项目.jx", "--data", "数据/项目.toml", "--lang", "zh"]);
    assert!(stdout.contains("总分"), "{stdout}");
}

#[test]
fn one_that_does_not_read_stops_every_command() {
    let dir = workspace("broken", "rules = [\"规则\"]\nlnag = \"en\"\n");
    for args in [&["check", "规则"][..], &["eval", "规则/2018/项目.jx", "--data", "数据/项目.toml"]] {
        let (code, stdout, stderr) = run(&dir, args);
        assert_eq!(code, 2, "{stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("jixiao::workspace::invalid") && stderr.contains("lang"), "{stderr}");
    }
    // `serve` pointed elsewhere is not stopped by the current folder's file.
    let elsewhere = workspace("elsewhere", "rules = \"规则\"\n");
    let (code, _, stderr) = run(&dir, &["serve", elsewhere.to_str().unwrap(), "--listen", "192.0.2.1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("jixiao::serve::bind") && !stderr.contains("jixiao::workspace::invalid"), "{stderr}");
}
