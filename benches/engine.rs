//! Speed of the engine: parse + check of a 20-indicator rule file, one
//! record, and 100 000 records through the batch path.
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

criterion_group!(benches, engine);
criterion_main!(benches);
