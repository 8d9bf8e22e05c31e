//! How `check`, `eval` and `fmt` grow with the size of their input, shape by shape:
//! indicators in one file, project files in a folder, else-if branches in a
//! method, constants in a method, files in a chain of `use`s (`fmt` lays out the
//! files named, not those they `use`). Each shape is
//! generated at three sizes, each command run through the release binary
//! (the fastest of three runs), and the series printed with its growth: the
//! time per unit at each size against the smallest (1.0× is linear).
//!
//! Run: `cargo bench --bench scaling` (about a minute on two cores).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "benchmarks fail loudly")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The generated projects' scheme (the seed reports' conventions), with
/// `total` points.
fn scheme(total: u64) -> String {
    jixiao::batch::projects::SCHEME.replace("total 100", &format!("total {total}"))
}

/// A generated case: the rule files to check and the data files to evaluate.
struct Case {
    rules: Vec<PathBuf>,
    data: Vec<PathBuf>,
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn data(project: &str, actuals: &[(String, String)]) -> String {
    let mut out = format!("project = \"{project}\"\nyear = 2024\n[actual]\n");
    for (id, value) in actuals {
        writeln!(out, "\"{id}\" = {value}").unwrap();
    }
    out
}

/// One project of `n` indicators of the benchmark's kinds, a point each.
fn indicators(dir: &Path, n: u64) -> Case {
    let mut rules = scheme(n);
    let mut actuals = Vec::new();
    writeln!(rules, "project 大项目 {{\n    year 2024\n    section 产出指标 points {n} {{").unwrap();
    for i in 0..n {
        let line = match i % 4 {
            0 => format!("indicator 数量{i} {{ target >= {} 台; points 1 }}", 100 + i % 900),
            1 => format!("indicator 费用{i} {{ target <= {} 万元; points 1 }}", 50 + i % 100),
            2 => format!("indicator 合格率{i} {{ target >= 9{}%; points 1 }}", i % 10),
            _ => format!("indicator 培训{i} {{ target >= 12 次; points 1; method per_unit(1, 0.5) }}"),
        };
        writeln!(rules, "        {line}").unwrap();
        let id = line.split_whitespace().nth(1).unwrap().to_string();
        let value = match i % 4 {
            2 => format!("\"{}.5%\"", 80 + i % 20),
            _ => format!("{}", (i * 37) % 1200),
        };
        actuals.push((id, value));
    }
    rules.push_str("    }\n}\n");
    write(&dir.join("rules/big.jx"), &rules);
    write(&dir.join("data/big.toml"), &data("大项目", &actuals));
    Case { rules: vec![dir.join("rules/big.jx")], data: vec![dir.join("data/big.toml")] }
}

/// `n` project files of twelve indicators with their data (`generate --projects`).
fn projects(dir: &Path, n: u64) -> Case {
    let status = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["generate", "--projects", &n.to_string(), "--out"])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let mut data: Vec<PathBuf> = std::fs::read_dir(dir.join("data")).unwrap().map(|e| e.unwrap().path()).collect();
    data.sort();
    Case { rules: vec![dir.join("rules")], data }
}

/// A method of `n` else-if branches (the scheme's own methods have none
/// here: a file holds at most 10 000 `if`s), used by one indicator.
fn else_if(dir: &Path, n: u64) -> Case {
    let mut body = String::new();
    for k in (1..=n).rev() {
        write!(body, "if actual >= {k} then points * {k} / {n} else ").unwrap();
    }
    body.push('0');
    let rules = format!(
        "scheme 链方案 {{\n    total 100\n    unit 次: count\n    round score half_up 0.01\n    method steps = {body}\n    default >= steps\n    grade 合格 >= 60%; grade 差 otherwise\n}}\nproject 链 {{\n    year 2024\n    section 产出指标 points 100 {{\n        indicator 甲 {{ target >= {n} 次; points 100 }}\n    }}\n}}\n"
    );
    write(&dir.join("rules/chain.jx"), &rules);
    write(&dir.join("data/chain.toml"), &data("链", &[("甲".into(), (n / 2).to_string())]));
    Case { rules: vec![dir.join("rules/chain.jx")], data: vec![dir.join("data/chain.toml")] }
}

/// A method with `n` constants, used by twenty indicators of different targets.
fn constants(dir: &Path, n: u64) -> Case {
    let mut sum = String::new();
    for k in 0..n {
        write!(sum, " + {k} / 1000000000").unwrap();
    }
    let mut rules = scheme(100).replace(
        "    default >= proportional",
        &format!("    method wide = points * min(actual / target{sum}, 1)\n    default >= wide"),
    );
    let mut actuals = Vec::new();
    rules.push_str("project 宽 {\n    year 2024\n    section 产出指标 points 100 {\n");
    for i in 0..20 {
        writeln!(rules, "        indicator 甲{i} {{ target >= {} 台; points 5 }}", 10 * (i + 1)).unwrap();
        actuals.push((format!("甲{i}"), (7 * i + 3).to_string()));
    }
    rules.push_str("    }\n}\n");
    write(&dir.join("rules/wide.jx"), &rules);
    write(&dir.join("data/wide.toml"), &data("宽", &actuals));
    Case { rules: vec![dir.join("rules/wide.jx")], data: vec![dir.join("data/wide.toml")] }
}

/// `n` files, each with a project, each using the one before; the first holds the scheme.
fn use_chain(dir: &Path, n: u64) -> Case {
    write(&dir.join("rules/f0.jx"), &scheme(100));
    for i in 1..n {
        write(
            &dir.join(format!("rules/f{i}.jx")),
            &format!(
                "use \"f{}.jx\"\nproject 链{i} {{\n    year 2024\n    section 产出指标 points 100 {{\n        indicator 甲 {{ target >= 10 台; points 100 }}\n    }}\n}}\n",
                i - 1
            ),
        );
    }
    let last = n - 1;
    write(&dir.join("data/last.toml"), &data(&format!("链{last}"), &[("甲".into(), "7".into())]));
    Case { rules: vec![dir.join(format!("rules/f{last}.jx"))], data: vec![dir.join("data/last.toml")] }
}

/// The fastest of three runs of `jixiao ARGS`, which must succeed.
fn time(args: &[&std::ffi::OsStr]) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_jixiao")).args(args).output().unwrap();
            let took = start.elapsed();
            assert!(out.status.success(), "{:?}: {}", args, String::from_utf8_lossy(&out.stderr));
            took
        })
        .min()
        .unwrap()
}

fn main() {
    // `cargo bench` passes `--bench`; a filter names the shapes to run.
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/scaling");
    type Shape = (&'static str, &'static str, fn(&Path, u64) -> Case, [u64; 3]);
    let shapes: [Shape; 5] = [
        ("indicators", "indicators in one file", indicators, [1_000, 10_000, 100_000]),
        ("projects", "project files, twelve indicators each", projects, [100, 1_000, 10_000]),
        ("else-if", "else-if branches in one method", else_if, [1_000, 3_000, 10_000]),
        ("constants", "constants in a method used by 20 indicators", constants, [100, 1_000, 5_000]),
        ("use-chain", "files in a chain of `use`s", use_chain, [100, 1_000, 10_000]),
    ];
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("check, eval and fmt through the release binary, fastest of three runs, {cores} cores");
    println!(
        "{:<11} {:>8}  {:>9} {:>7}  {:>9} {:>7}  {:>9} {:>7}",
        "shape", "size", "check", "growth", "eval", "growth", "fmt", "growth"
    );
    for (name, what, make, sizes) in shapes {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let mut first: Option<(f64, f64, f64, u64)> = None;
        for n in sizes {
            let dir = root.join(format!("{name}-{n}"));
            let _ = std::fs::remove_dir_all(&dir);
            let case = make(&dir, n);
            let mut check: Vec<&std::ffi::OsStr> = vec!["check".as_ref()];
            check.extend(case.rules.iter().map(|p| p.as_os_str()));
            let mut eval = check.clone();
            eval[0] = "eval".as_ref();
            eval.extend(["--format", "json", "--data"].map(std::ffi::OsStr::new));
            eval.extend(case.data.iter().map(|p| p.as_os_str()));
            let (c, e) = (time(&check).as_secs_f64(), time(&eval).as_secs_f64());
            // Last: the first run lays the files out in place, the others find them laid out.
            let mut fmt = check.clone();
            fmt[0] = "fmt".as_ref();
            let f = time(&fmt).as_secs_f64();
            let (c0, e0, f0, n0) = *first.get_or_insert((c, e, f, n));
            let growth = |t: f64, t0: f64| (t / n as f64) / (t0 / n0 as f64);
            println!(
                "{name:<11} {n:>8}  {c:>8.3}s {:>6.2}×  {e:>8.3}s {:>6.2}×  {f:>8.3}s {:>6.2}×",
                growth(c, c0),
                growth(e, e0),
                growth(f, f0)
            );
        }
        println!("{:<11} ({what})", "");
    }
}
