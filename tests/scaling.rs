//! Shapes whose checking once grew with the square of their size (or
//! waited forever): each is checked and scored here at a size that took
//! minutes before. How the time grows is measured in `benches/scaling.rs`,
//! never asserted here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::time::{Duration, Instant};

/// A method of `branches` else-ifs: full points from `branches`, a step
/// less for each one below — except at `dip`, which gives almost nothing
/// (more actual, fewer points).
fn chain(branches: u32, dip: Option<u32>) -> String {
    let mut body = String::new();
    for k in (1..=branches).rev() {
        let value = if Some(k) == dip { "points / 1000".to_string() } else { format!("points * {k} / {branches}") };
        body.push_str(&format!("if actual >= {k} then {value} else "));
    }
    body.push('0');
    format!("method steps = {body}")
}

#[test]
fn an_else_if_chain_of_four_thousand_branches_checks_and_scores() {
    // Through the binary: its worker thread has the stack such a chain needs.
    let dir = common::temp("chain");
    std::fs::write(dir.join("chain.jx"), common::one_indicator(&chain(4000, None), "target >= 4000 次; method steps"))
        .unwrap();
    std::fs::write(dir.join("chain.toml"), common::data("2000")).unwrap();
    let out = common::jixiao_in(&dir, &["eval", "chain.jx", "--data", "chain.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(json["total"]["score"], "5", "{json}");
}

#[test]
fn five_thousand_duplicate_ids_are_each_reported() {
    let dir = common::temp("duplicates");
    let mut text = common::one_indicator("", "target >= 1 次");
    let extra: String = (0..5000).map(|i| format!("        indicator D{i} {{ target >= 1 次; points 0 }}\n")).collect();
    let at = text.find("        indicator I").unwrap();
    text.insert_str(at, &format!("{extra}{extra}"));
    std::fs::write(dir.join("many.jx"), text).unwrap();
    let out = common::jixiao_in(&dir, &["check", "many.jx", "--error-format", "plain"]);
    let duplicates = common::stderr(&out).lines().filter(|l| l.contains("jixiao::check::duplicate]")).count();
    assert_eq!(duplicates, 5000);
}

#[test]
fn a_chain_of_two_thousand_used_files_checks() {
    let dir = common::temp("use-chain").join("rules");
    std::fs::create_dir_all(&dir).unwrap();
    let scheme = common::one_indicator("", "target >= 1 次");
    let scheme = &scheme[..scheme.find("project P").unwrap()];
    std::fs::write(dir.join("s0.jx"), scheme).unwrap();
    for i in 1..2000 {
        let project = format!(
            "use \"s{}.jx\"\nproject P{i} {{\n    year 2018\n    section S points 10 {{\n        indicator I {{ target >= 1 次; points 10 }}\n    }}\n}}\n",
            i - 1
        );
        std::fs::write(dir.join(format!("s{i}.jx")), project).unwrap();
    }
    let out = common::jixiao_in(&dir, &["check", "s1999.jx"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
}

/// A `use` of a named pipe would wait for a writer that never comes.
#[cfg(unix)]
#[test]
fn a_use_of_a_pipe_is_refused_not_waited_on() {
    let dir = common::temp("fifo").join("rules");
    std::fs::create_dir_all(&dir).unwrap();
    let made = std::process::Command::new("mkfifo").arg(dir.join("pipe.jx")).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("warning: mkfifo is not available; skipped");
        return;
    }
    let text = format!("use \"pipe.jx\"\n{}", common::one_indicator("", "target >= 1 次"));
    std::fs::write(dir.join("main.jx"), text).unwrap();
    let stderr = common::stderr(&within_a_minute(&dir, &["check", "main.jx"]));
    assert!(stderr.contains("jixiao::check::import_missing") && stderr.contains("not a regular file"), "{stderr}");
    // Found in a folder, the pipe itself is refused too (and the file using it).
    let stderr = common::stderr(&within_a_minute(&dir, &["check", "."]));
    assert!(stderr.contains("jixiao::io::unreadable") && stderr.contains("not a regular file"), "{stderr}");
    let stderr = common::stderr(&within_a_minute(&dir, &["fmt", "--check", "."]));
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

/// Runs jixiao in `dir`; a run that has not ended after a minute is waiting
/// on something it should have refused. (Not a measure of speed: a refusal
/// comes at once, a wait never ends.)
#[cfg(unix)]
fn within_a_minute(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .args(["--lang", "en", "--error-format", "plain"])
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("jixiao {args:?} waited on a pipe");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_generated_folder_of_projects_checks_and_every_project_scores() {
    let dir = common::temp("projects").join("year");
    let out = common::jixiao(&["generate", "--projects", "40", "--seed", "7", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let out = common::jixiao(&["check", dir.join("rules").to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut args = vec!["eval".to_string(), dir.join("rules").display().to_string(), "--data".into()];
    let mut data: Vec<String> =
        std::fs::read_dir(dir.join("data")).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    data.sort();
    args.extend(data);
    args.extend(["--format".into(), "json".into()]);
    let out = common::jixiao(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", common::stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let projects = json["projects"].as_array().unwrap();
    // Every project, in the order of its data file, with a total.
    let names: Vec<&str> = projects.iter().map(|p| p["project"]["name"].as_str().unwrap()).collect();
    let expected: Vec<String> = (1..=40).map(|n| format!("生成项目{n:05}")).collect();
    assert_eq!(names, expected);
    assert!(projects.iter().all(|p| p["total"]["score"].is_string()));
    // Into a folder that already holds them: refused, nothing replaced.
    let again = common::jixiao(&["generate", "--projects", "1", "--out", dir.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(common::stderr(&again).contains("jixiao::io::exists"));
}

#[test]
fn a_method_that_dips_is_refused_when_small_and_named_when_too_large_to_try_everywhere() {
    let dir = common::temp("dip");
    for (branches, dip, name) in [(30, 11, "small.jx"), (700, 333, "large.jx")] {
        let rules =
            common::one_indicator(&chain(branches, Some(dip)), &format!("target >= {branches} 次; method steps"));
        std::fs::write(dir.join(name), rules).unwrap();
    }
    let small = common::jixiao_in(&dir, &["check", "small.jx", "--error-format", "plain"]);
    assert!(!small.status.success());
    assert!(common::stderr(&small).contains("jixiao::check::method_direction"), "{}", common::stderr(&small));
    // Too large to try at every place: never silent.
    let large = common::jixiao_in(&dir, &["check", "large.jx", "--error-format", "plain"]);
    let stderr = common::stderr(&large);
    assert!(
        stderr.contains("jixiao::check::method_sampled") || stderr.contains("jixiao::check::method_direction"),
        "{stderr}"
    );
}

/// A file of a terabyte (sparse: it costs no disk) is refused by its length
/// before a byte of it is read; reading it would fill memory. The run is
/// capped at 2 GB of memory, so a reader that tries ends on the cap
/// ("out of memory"), not on the machine's last gigabyte.
#[cfg(unix)]
#[test]
fn a_file_too_large_to_hold_is_refused_before_it_is_read() {
    let dir = common::temp("huge").join("rules");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.jx"), common::one_indicator("", "target >= 1 次")).unwrap();
    let huge = std::fs::File::create(dir.join("data.toml")).unwrap();
    if huge.set_len(1 << 40).is_err() {
        eprintln!("warning: this file system holds no 1 TB sparse file; skipped");
        return;
    }
    // A rule file as large, found in the folder (a hard link: the same file).
    std::fs::hard_link(dir.join("data.toml"), dir.join("huge.jx")).ok();
    let capped = |args: &str| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 2000000; exec \"$0\" {args} --lang en --error-format plain"))
            .arg(env!("CARGO_BIN_EXE_jixiao"))
            .current_dir(&dir)
            .output()
            .unwrap();
        (out.status.code(), common::stderr(&out))
    };
    let (code, stderr) = capped("eval p.jx --data data.toml");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("jixiao::io::unreadable") && stderr.contains("1099511627776 bytes, more than the 1024 MiB"),
        "{stderr}"
    );
    if dir.join("huge.jx").exists() {
        let (code, stderr) = capped("check .");
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("more than the 1024 MiB"), "{stderr}");
    }
    // A terabyte, however sparse, is not left behind for tools that read it.
    std::fs::remove_dir_all(dir.parent().unwrap_or(&dir)).ok();
}
