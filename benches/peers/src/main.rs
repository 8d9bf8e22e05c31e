//! The same scoring on the same records by three engines, side by side:
//! (a) jixiao, (b) GoRules' zen-expression (each indicator's formula
//! compiled once, division last, unrounded, then rounded by the same helper
//! as the hand-written loop), (c) a hand-written rust_decimal loop — the
//! practical limit for exact decimal scoring. Prints per-core throughput,
//! the ratios, and checks that all three agree on every rounded score.
//!
//! Run: `cargo run --release --manifest-path benches/peers/Cargo.toml [RECORDS]`

use std::time::Instant;

use jixiao::batch::{self, Format, Program};
use jixiao::model::{Scoring, Target};
use rust_decimal::{Decimal, RoundingStrategy};
use zen_expression::vm::VM;
use zen_expression::{Expression, Variable};

/// How an indicator scores, with its constants, for the peers.
#[derive(Clone, Copy)]
enum Kind {
    /// Full at or above target, else in proportion.
    Proportional,
    /// Full at or under target, else target / actual.
    Inverse,
    /// Points less a deduction per unit short, floor 0.
    PerUnit { step: Decimal, deduction: Decimal },
    /// Points × the level's fraction.
    Level,
    /// Proportional on spend / funds (the budget rate), division last.
    Budget,
}

struct Indicator {
    kind: Kind,
    target: Decimal,
    points: Decimal,
    /// Input columns read: the actual, or spend and funds for the budget rate.
    inputs: Vec<usize>,
}

fn round(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize()
}

/// The hand-written loop: plain Decimal arithmetic, division last.
fn hand(ind: &Indicator, v: &[Decimal]) -> Decimal {
    let (t, p) = (ind.target, ind.points);
    let raw = match ind.kind {
        Kind::Proportional => {
            let a = v[ind.inputs[0]];
            if a >= t { p } else { p * a / t }
        }
        Kind::Inverse => {
            let a = v[ind.inputs[0]];
            if a <= t {
                p
            } else if t.is_zero() {
                Decimal::ZERO
            } else {
                p * t / a
            }
        }
        Kind::PerUnit { step, deduction } => {
            let a = v[ind.inputs[0]];
            let short = (t - a).max(Decimal::ZERO);
            (p - short * deduction / step).max(Decimal::ZERO)
        }
        Kind::Level => p * v[ind.inputs[0]],
        Kind::Budget => {
            let (spend, funds) = (v[ind.inputs[0]], v[ind.inputs[1]]);
            if spend >= funds * t { p } else { p * spend / (funds * t) }
        }
    };
    round(raw)
}

/// The zen formula of each kind, division last.
fn zen_source(kind: Kind) -> &'static str {
    match kind {
        Kind::Proportional => "actual >= target ? points : points * actual / target",
        Kind::Inverse => "actual <= target ? points : (target == 0 ? 0 : points * target / actual)",
        Kind::PerUnit { .. } => "max([points - max([target - actual, 0]) * deduction / step, 0])",
        Kind::Level => "points * actual",
        Kind::Budget => "spend >= funds * target ? points : points * spend / (funds * target)",
    }
}

fn number(v: &Variable) -> Decimal {
    match v {
        Variable::Number(d) => *d,
        other => panic!("zen gave {other:?}"),
    }
}

fn main() {
    let records: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let rules_path = root.join("benches/rules/twenty.jx");
    let rules = jixiao::check::check_files(&[rules_path], None).rules.expect("twenty.jx checks");
    let program = Program::new(&rules, 0);
    let project = program.project;
    let scheme = rules.scheme_of(project);

    // The records, generated once, as CSV cells.
    let mut csv = Vec::new();
    batch::generate::generate(&program, scheme, records, 42, 0, Format::Csv, &mut csv).expect("generate");
    let csv = String::from_utf8(csv).expect("utf-8");
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').skip(2).collect()).collect();
    let column = |name: &str| program.columns.iter().position(|c| c.name == name).expect("a column");

    // Each indicator's kind and constants, from the checked rules.
    let indicators: Vec<Indicator> = project
        .indicators
        .iter()
        .map(|i| {
            let points = i.points.node;
            match (&i.target, &i.scoring) {
                (Target::Numeric { value, .. }, Scoring::Method { method, args, .. }) => {
                    let name = scheme.methods[*method].name.node.as_str();
                    let (kind, inputs) = match (name, &i.derived) {
                        ("proportional", Some(_)) => (Kind::Budget, vec![column("全年执行数"), column("到位资金")]),
                        ("proportional", None) => (Kind::Proportional, vec![column(&i.id.node)]),
                        ("inverse", _) => (Kind::Inverse, vec![column(&i.id.node)]),
                        ("per_unit", _) => {
                            let arg = |k: usize| args[k].to_decimal(28).expect("an argument");
                            (Kind::PerUnit { step: arg(0), deduction: arg(1) }, vec![column(&i.id.node)])
                        }
                        other => panic!("no peer formula for {other:?}"),
                    };
                    Indicator { kind, target: *value, points, inputs }
                }
                _ => Indicator { kind: Kind::Level, target: Decimal::ONE, points, inputs: vec![column(&i.id.node)] },
            }
        })
        .collect();

    // The values the peers read: numbers (percents as fractions), levels as their fraction.
    let levels: Vec<(String, Decimal)> = scheme
        .levels
        .iter()
        .map(|l| {
            let f = match l.fraction {
                jixiao::model::LevelFraction::Fixed(f) => f,
                jixiao::model::LevelFraction::Range { low, .. } => low,
            };
            (l.name.node.clone(), f.to_decimal(28).expect("a fraction"))
        })
        .collect();
    let value = |cell: &str| -> Decimal {
        if let Some(n) = jixiao::data::number_text(cell) {
            return n.value;
        }
        match cell.rsplit_once(' ') {
            Some((_, f)) => jixiao::data::number_text(f).expect("a fraction").value,
            None => levels.iter().find(|(n, _)| n == cell).map(|(_, f)| *f).expect("a level"),
        }
    };
    let values: Vec<Vec<Decimal>> = rows.iter().map(|r| r.iter().map(|c| value(c)).collect()).collect();
    let evaluations = records as f64 * indicators.len() as f64;

    // (a) jixiao: records read into scratch space first; the timing is scoring.
    let mut scratches: Vec<_> = rows
        .iter()
        .map(|r| {
            let mut s = program.scratch();
            for (c, cell) in program.columns.iter().zip(r) {
                program.read(c, cell, &mut s).unwrap_or_else(|_| panic!("{cell}"));
            }
            s
        })
        .collect();
    let start = Instant::now();
    for s in &mut scratches {
        std::hint::black_box(program.score(s).map(|r| r.total).ok());
    }
    let jixiao_secs = start.elapsed().as_secs_f64();
    let jixiao_scores: Vec<Vec<Decimal>> = scratches
        .iter()
        .map(|s| program.scores(s).iter().map(|r| r.to_decimal(28).expect("a score").normalize()).collect())
        .collect();

    // (b) zen-expression: compiled once per indicator, one VM reused.
    let compiled: Vec<Expression<zen_expression::expression::Standard>> = indicators
        .iter()
        .map(|i| zen_expression::compile_expression(zen_source(i.kind)).expect("zen compiles"))
        .collect();
    let mut vm = VM::new();
    let start = Instant::now();
    let mut zen_scores = Vec::with_capacity(values.len());
    for v in &values {
        let mut row = Vec::with_capacity(indicators.len());
        for (ind, expr) in indicators.iter().zip(&compiled) {
            // The context as zen's own decimals (serde would make them strings).
            let context = Variable::empty_object();
            let set = |k: &str, d: Decimal| {
                context.dot_insert(k, Variable::Number(d));
            };
            set("target", ind.target);
            set("points", ind.points);
            match ind.kind {
                Kind::Budget => {
                    set("spend", v[ind.inputs[0]]);
                    set("funds", v[ind.inputs[1]]);
                }
                Kind::PerUnit { step, deduction } => {
                    set("actual", v[ind.inputs[0]]);
                    set("step", step);
                    set("deduction", deduction);
                }
                _ => set("actual", v[ind.inputs[0]]),
            }
            let out = expr.evaluate_with(context, &mut vm).expect("zen evaluates");
            row.push(round(number(&out)));
        }
        zen_scores.push(row);
    }
    let zen_secs = start.elapsed().as_secs_f64();

    // (c) the hand-written loop.
    let start = Instant::now();
    let hand_scores: Vec<Vec<Decimal>> =
        values.iter().map(|v| indicators.iter().map(|i| hand(i, v)).collect()).collect();
    let hand_secs = start.elapsed().as_secs_f64();

    let mut disagreements = 0;
    for ((j, z), h) in jixiao_scores.iter().zip(&zen_scores).zip(&hand_scores) {
        for ((a, b), c) in j.iter().zip(z).zip(h) {
            if a != b || a != c {
                disagreements += 1;
                if disagreements <= 5 {
                    eprintln!("disagree: jixiao {a}, zen {b}, hand {c}");
                }
            }
        }
    }
    let rate = |secs: f64| evaluations / secs / 1e6;
    println!("{records} records × {} indicators, one core each:", indicators.len());
    println!("  jixiao          {:>7.2} M evaluations/s ({jixiao_secs:.3} s)", rate(jixiao_secs));
    println!("  zen-expression  {:>7.2} M evaluations/s ({zen_secs:.3} s)", rate(zen_secs));
    println!("  hand-written    {:>7.2} M evaluations/s ({hand_secs:.3} s)", rate(hand_secs));
    println!("  jixiao / zen    {:>7.2}×", zen_secs / jixiao_secs);
    println!("  jixiao / limit  {:>7.2}×", hand_secs / jixiao_secs);
    println!("  rounded scores that disagree: {disagreements} of {}", evaluations as u64);
    if disagreements > 0 {
        std::process::exit(1);
    }
}
