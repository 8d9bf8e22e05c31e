//! `jixiao generate`: deterministic synthetic records for any rule file —
//! values spread around each target, with exact hits, zero actuals and
//! values far above — so tests and benchmarks need no stored data.

use std::io::Write;

use super::{Format, Program, Slot};
use crate::exact::Ratio;
use crate::model::{self, LevelFraction, Target, Unit, UnitKind};
use crate::report::csv::push_field;
use crate::report::json::push_string;

/// A small, fast, seedable generator (SplitMix64): the same seed gives the
/// same records on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `p` (0..=1, in millionths).
    fn chance(&mut self, millionths: u64) -> bool {
        self.below(1_000_000) < millionths
    }
}

/// A value as a cell: `2072`, `357.04`, `80.5%`.
fn cell(value: Ratio, unit: &Unit) -> String {
    match unit {
        Unit::Percent => {
            let p = value.checked_mul(Ratio::from_int(100)).unwrap_or(value);
            format!("{}%", p.to_decimal(1).map(|d| d.normalize().to_string()).unwrap_or_default())
        }
        Unit::Named { kind: UnitKind::Count, .. } => value.to_decimal(0).map(|d| d.to_string()).unwrap_or_default(),
        _ => value.to_decimal(2).map(|d| d.normalize().to_string()).unwrap_or_default(),
    }
}

/// An actual around the target: an exact hit, zero, far above, or spread
/// between half and one and a half times the target.
fn around(target: Ratio, rng: &mut Rng) -> Ratio {
    let base = if target.is_zero() { Ratio::from_int(10) } else { target };
    match rng.below(10) {
        0 => target,
        1 => Ratio::ZERO,
        2 => base.checked_mul(Ratio::from_int(3)).unwrap_or(base),
        _ => {
            let factor = Ratio::new(500 + rng.below(1001) as i128, 1000).unwrap_or(Ratio::ONE);
            if target.is_zero() {
                Ratio::from_int(rng.below(3) as i128)
            } else {
                base.checked_mul(factor).unwrap_or(base)
            }
        }
    }
}

/// A figure: positive, so a derived actual never divides by zero.
fn figure(unit: &Unit, rng: &mut Rng) -> Ratio {
    match unit {
        Unit::Percent => Ratio::new(500 + rng.below(501) as i128, 1000).unwrap_or(Ratio::ONE),
        Unit::Named { kind: UnitKind::Count, .. } => Ratio::from_int(1 + rng.below(100_000) as i128),
        _ => Ratio::new(100 + rng.below(100_000) as i128, 100).unwrap_or(Ratio::ONE),
    }
}

/// A day around a deadline: on it, up to 60 days either side, or not done.
fn deadline_cell(deadline: Option<crate::date::Date>, rng: &mut Rng) -> String {
    let Some(deadline) = deadline else { return String::new() };
    if rng.below(10) == 0 {
        return crate::model::admit::UNDONE[0].to_string();
    }
    let shift = rng.below(121) as i64 - 60;
    // Walk the calendar a day at a time: dates here are never far apart.
    let mut day = deadline;
    for _ in 0..shift.unsigned_abs() {
        day = step(day, shift > 0).unwrap_or(day);
    }
    day.to_string()
}

fn step(day: crate::date::Date, forward: bool) -> Option<crate::date::Date> {
    use crate::date::Date;
    if forward {
        Date::new(day.year, day.month, day.day + 1)
            .or_else(|| Date::new(day.year, day.month + 1, 1))
            .or_else(|| Date::new(day.year + 1, 1, 1))
    } else if day.day > 1 {
        Date::new(day.year, day.month, day.day - 1)
    } else if day.month > 1 {
        (28..=31).rev().find_map(|d| Date::new(day.year, day.month - 1, d))
    } else {
        Date::new(day.year - 1, 12, 31)
    }
}

/// Some of a checklist's items, in order, separated by `、`.
fn checklist_cell(items: &[model::ChecklistItem], rng: &mut Rng) -> String {
    let met: Vec<&str> = items.iter().filter(|_| rng.below(4) != 0).map(|i| i.id.node.as_str()).collect();
    // An empty cell is a missing value: say "none met" in words.
    if met.is_empty() { crate::model::admit::NONE_MET[0].to_string() } else { met.join("、") }
}

fn level(scheme: &model::Scheme, rng: &mut Rng) -> String {
    let Some(l) = scheme.levels.get(rng.below(scheme.levels.len() as u64) as usize) else { return String::new() };
    match l.fraction {
        LevelFraction::Fixed(_) => l.name.node.clone(),
        LevelFraction::Range { low, low_closed, high, high_closed } => {
            // Whole percents inside the range, as written.
            let lo = low.checked_mul(Ratio::from_int(100)).ok().and_then(|r| r.to_decimal(0).ok()).unwrap_or_default();
            let hi = high.checked_mul(Ratio::from_int(100)).ok().and_then(|r| r.to_decimal(0).ok()).unwrap_or_default();
            let lo: i64 = lo.to_string().parse::<i64>().unwrap_or(0) + i64::from(!low_closed);
            let hi: i64 = hi.to_string().parse::<i64>().unwrap_or(100) - i64::from(!high_closed);
            let pick = if hi > lo { lo + rng.below((hi - lo + 1) as u64) as i64 } else { lo };
            format!("{} {pick}%", l.name.node)
        }
    }
}

/// Writes `records` records for the program's project.
pub fn generate(
    program: &Program,
    scheme: &model::Scheme,
    records: u64,
    seed: u64,
    invalid_millionths: u64,
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let project = program.project;
    let mut rng = Rng::new(seed);
    let names: Vec<&str> = program.columns.iter().map(|c| c.name.as_str()).collect();
    let mut line = String::new();
    if format == Format::Csv {
        line.push_str("project,year");
        for n in &names {
            line.push(',');
            push_field(&mut line, n, false);
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    let mut cells: Vec<String> = Vec::with_capacity(names.len());
    for _ in 0..records {
        cells.clear();
        for column in &program.columns {
            cells.push(match column.slot {
                Slot::Figure(i) => cell(figure(&project.figures[i].unit, &mut rng), &project.figures[i].unit),
                Slot::Actual(i) => match &project.indicators[i].target {
                    Target::Numeric { .. } if project.indicators[i].deadline.is_some() => {
                        deadline_cell(project.indicators[i].deadline, &mut rng)
                    }
                    Target::Numeric { .. } if !project.indicators[i].checklist.is_empty() => {
                        checklist_cell(&project.indicators[i].checklist, &mut rng)
                    }
                    Target::Numeric { value, unit, .. } => cell(around(Ratio::from_decimal(*value), &mut rng), unit),
                    Target::Level { .. } => level(scheme, &mut rng),
                },
            });
        }
        if invalid_millionths > 0 && rng.chance(invalid_millionths) && !cells.is_empty() {
            let at = rng.below(cells.len() as u64) as usize;
            cells[at] = ["n/a", "-1", ""][rng.below(3) as usize].to_string();
        }
        line.clear();
        match format {
            Format::Csv => {
                push_field(&mut line, &project.name.node, false);
                line.push(',');
                line.push_str(&project.year.node.to_string());
                for c in &cells {
                    line.push(',');
                    push_field(&mut line, c, false);
                }
            }
            Format::Jsonl => {
                line.push_str("{\"project\":");
                push_string(&mut line, &project.name.node);
                line.push_str(",\"year\":");
                line.push_str(&project.year.node.to_string());
                for (n, c) in names.iter().zip(&cells) {
                    line.push(',');
                    push_string(&mut line, n);
                    line.push(':');
                    push_string(&mut line, c);
                }
                line.push('}');
            }
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}
