//! Speed of the engine: parse + check of a 20-indicator rule file, one
//! record, 100 000 records through the batch path, and scoring alone per
//! method shape (ten indicators of one method each).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "benchmarks fail loudly")]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jixiao::batch::{self, Format, Options, Program};

fn twenty() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/rules/twenty.jx")
}

fn records(rules: &jixiao::model::CheckedRules, n: u64) -> Vec<u8> {
    let program = Program::new(rules, 0);
    let mut csv = Vec::new();
    batch::generate::generate(&program, rules.scheme_of(program.project), n, 1, 0, Format::Csv, &mut csv).unwrap();
    csv
}

fn score(program: &Program, csv: &[u8], jobs: usize) -> Vec<u8> {
    let options = Options { jobs, ..Options::default() };
    let mut out = Vec::with_capacity(csv.len());
    batch::run(program, csv, &mut out, &options, &mut |_: jixiao::diagnostic::Problem| {}).unwrap();
    out
}

fn engine(c: &mut Criterion) {
    let path = twenty();
    c.bench_function("parse + check, 20 indicators", |b| {
        b.iter(|| black_box(jixiao::check::check_files(std::slice::from_ref(&path), None).rules.unwrap()))
    });

    let rules = jixiao::check::check_files(&[path], None).rules.unwrap();
    let program = Program::new(&rules, 0);
    let one = records(&rules, 1);
    c.bench_function("one record, 20 indicators", |b| b.iter(|| black_box(score(&program, &one, 1))));

    // Scoring alone: a record already read, scored again and again.
    let text = String::from_utf8(one.clone()).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').skip(2).collect();
    let mut scratch = program.scratch();
    for (column, cell) in program.columns.iter().zip(&row) {
        program.read(column, cell, &mut scratch).unwrap_or_else(|_| panic!("{cell}"));
    }
    let mut group = c.benchmark_group("scoring only");
    group.throughput(Throughput::Elements(20));
    group.bench_function("one record, 20 indicators", |b| {
        b.iter(|| black_box(program.score(&mut scratch).map(|s| s.total).ok()))
    });
    group.finish();

    let many = records(&rules, 100_000);
    let mut group = c.benchmark_group("100k records, 20 indicators");
    group.sample_size(10);
    group.throughput(Throughput::Elements(100_000 * 20));
    group.bench_function("1 core", |b| b.iter(|| black_box(score(&program, &many, 1))));
    group.bench_function("all cores", |b| {
        let jobs = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        b.iter(|| black_box(score(&program, &many, jobs)))
    });
    group.finish();
}

/// Each method shape the schemes use, with the direction its indicators
/// take and the target they are given.
const SHAPES: [(&str, &str, &str, &str); 7] = [
    ("proportional", ">=", "3000 台", "if actual >= target then points else points * actual / target"),
    (
        "inverse",
        "<=",
        "3000 台",
        "if actual <= target then points else if target == 0 then 0 else points * target / actual",
    ),
    ("per_unit(50, 1)", ">=", "3000 台", "max(points - max(target - actual, 0) / step * deduction, 0)"),
    (
        "bands",
        ">=",
        "3000 台",
        "if actual >= target then points else if actual >= target * 0.8 then points * 0.6 else 0",
    ),
    ("capped_ratio", ">=", "3000 台", "points * min(actual / target, 1)"),
    ("percent_target", ">=", "97.5%", "if actual >= target then points else points * actual / target"),
    ("floor_steps", ">=", "3000 台", "min(floor(actual / target * 10) / 10 * points, points)"),
];

/// Ten indicators scored by one method shape.
fn shape_rules(shape: &(&str, &str, &str, &str)) -> String {
    let (call, direction, target, body) = shape;
    let name = call.split('(').next().unwrap_or(call);
    let params = if call.contains('(') { "(step, deduction)" } else { "" };
    let mut text = format!(
        "scheme 形状 {{\n total 100\n unit 台: count\n round score half_up 0.01\n\
         method {name}{params} = {body}\n grade 优秀 >= 90%; grade 差 otherwise\n}}\n\
         project 形状项目 {{\n year 2024\n section 产出指标 points 100 {{\n"
    );
    for i in 0..10 {
        text.push_str(&format!("  indicator 指标{i} {{ target {direction} {target}; points 10; method {call} }}\n"));
    }
    text.push_str(" }\n}\n");
    text
}

fn shapes(c: &mut Criterion) {
    let mut group = c.benchmark_group("scoring only, per method shape");
    group.throughput(Throughput::Elements(10));
    for shape in &SHAPES {
        let checked = jixiao::check::check_source("shape.jx", &shape_rules(shape));
        let rules = checked.rules.unwrap_or_else(|| panic!("{}: {:?}", shape.0, checked.problems));
        let program = Program::new(&rules, 0);
        let text = String::from_utf8(records(&rules, 1)).unwrap();
        let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').skip(2).collect();
        let mut scratch = program.scratch();
        for (column, cell) in program.columns.iter().zip(&row) {
            program.read(column, cell, &mut scratch).unwrap_or_else(|_| panic!("{cell}"));
        }
        let name = shape.0.split('(').next().unwrap_or(shape.0);
        group.bench_function(name, |b| b.iter(|| black_box(program.score(&mut scratch).map(|s| s.total).ok())));
    }
    group.finish();
}

criterion_group!(benches, engine, shapes);
criterion_main!(benches);
