//! What a scoring method does over every actual an indicator could report.
//!
//! For each indicator the target, points and arguments are known; only the
//! actual is not (it is ≥ 0). The method is evaluated over intervals of the
//! actual, split at the values its conditions compare against, to prove
//! that the score stays within 0..=points. Where the proof fails, concrete
//! actuals are tried: a score outside the range, a larger actual scoring
//! less under `>=` (more under `<=`), or a division by a target of 0 is an
//! error with that counterexample; a failed proof without one is a warning.

use std::cmp::Ordering;

use crate::exact::{ArithError, Ratio};
use crate::model::expr::{self as concrete, Env, Failure, Shown};
use crate::model::{self, BinaryOp, CompareOp, Direction, ExprKind};

/// An extended rational bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ext {
    NegInf,
    Fin(Ratio),
    PosInf,
}

impl Ext {
    fn cmp(self, other: Ext) -> Ordering {
        match (self, other) {
            (Ext::Fin(a), Ext::Fin(b)) => a.cmp(&b),
            (a, b) if a == b => Ordering::Equal,
            (Ext::NegInf, _) | (_, Ext::PosInf) => Ordering::Less,
            _ => Ordering::Greater,
        }
    }

    fn neg(self) -> Option<Ext> {
        Some(match self {
            Ext::NegInf => Ext::PosInf,
            Ext::PosInf => Ext::NegInf,
            Ext::Fin(r) => Ext::Fin(r.checked_neg().ok()?),
        })
    }

    fn sign(self) -> Ordering {
        self.cmp(Ext::Fin(Ratio::ZERO))
    }

    fn add(self, other: Ext) -> Option<Ext> {
        match (self, other) {
            (Ext::Fin(a), Ext::Fin(b)) => a.checked_add(b).ok().map(Ext::Fin),
            (Ext::PosInf, Ext::NegInf) | (Ext::NegInf, Ext::PosInf) => None,
            (Ext::Fin(_), inf) | (inf, Ext::Fin(_)) => Some(inf),
            (a, _) => Some(a),
        }
    }

    fn mul(self, other: Ext) -> Option<Ext> {
        match (self, other) {
            (Ext::Fin(a), Ext::Fin(b)) => a.checked_mul(b).ok().map(Ext::Fin),
            (a, b) => Some(match a.sign() as i8 * b.sign() as i8 {
                0 => Ext::Fin(Ratio::ZERO),
                1 => Ext::PosInf,
                _ => Ext::NegInf,
            }),
        }
    }
}

/// A set of numbers `[lo, hi]`, each end open or closed.
#[derive(Clone, Copy, Debug)]
pub(super) struct Interval {
    lo: Ext,
    lo_open: bool,
    hi: Ext,
    hi_open: bool,
}

const EVERYTHING: Interval = Interval::EVERYTHING;

impl Interval {
    pub(super) const EVERYTHING: Interval = Interval { lo: Ext::NegInf, lo_open: true, hi: Ext::PosInf, hi_open: true };

    fn point(r: Ratio) -> Interval {
        Interval { lo: Ext::Fin(r), lo_open: false, hi: Ext::Fin(r), hi_open: false }
    }

    fn closed(lo: Ext, hi: Ext) -> Interval {
        Interval { lo, lo_open: false, hi, hi_open: false }
    }

    fn as_point(self) -> Option<Ratio> {
        match (self.lo, self.hi) {
            (Ext::Fin(a), Ext::Fin(b)) if a == b => Some(a),
            _ => None,
        }
    }

    fn union(self, o: Interval) -> Interval {
        let (lo, lo_open) = match self.lo.cmp(o.lo) {
            Ordering::Less => (self.lo, self.lo_open),
            Ordering::Greater => (o.lo, o.lo_open),
            Ordering::Equal => (self.lo, self.lo_open && o.lo_open),
        };
        let (hi, hi_open) = match self.hi.cmp(o.hi) {
            Ordering::Greater => (self.hi, self.hi_open),
            Ordering::Less => (o.hi, o.hi_open),
            Ordering::Equal => (self.hi, self.hi_open && o.hi_open),
        };
        Interval { lo, lo_open, hi, hi_open }
    }

    fn neg(self) -> Interval {
        match (self.hi.neg(), self.lo.neg()) {
            (Some(lo), Some(hi)) => Interval { lo, lo_open: self.hi_open, hi, hi_open: self.lo_open },
            _ => EVERYTHING,
        }
    }

    fn add(self, o: Interval) -> Interval {
        match (self.lo.add(o.lo), self.hi.add(o.hi)) {
            (Some(lo), Some(hi)) => {
                Interval { lo, lo_open: self.lo_open || o.lo_open, hi, hi_open: self.hi_open || o.hi_open }
            }
            _ => EVERYTHING,
        }
    }

    fn mul(self, o: Interval) -> Interval {
        if let Some(k) = o.as_point() {
            return self.scale(k);
        }
        if let Some(k) = self.as_point() {
            return o.scale(k);
        }
        let products = [self.lo.mul(o.lo), self.lo.mul(o.hi), self.hi.mul(o.lo), self.hi.mul(o.hi)];
        let mut bounds = Vec::with_capacity(4);
        for p in products {
            match p {
                Some(p) => bounds.push(p),
                None => return EVERYTHING,
            }
        }
        let lo = bounds.iter().copied().min_by(|a, b| a.cmp(*b)).unwrap_or(Ext::NegInf);
        let hi = bounds.iter().copied().max_by(|a, b| a.cmp(*b)).unwrap_or(Ext::PosInf);
        Interval::closed(lo, hi)
    }

    /// Multiplication by a constant keeps which ends are open.
    fn scale(self, k: Ratio) -> Interval {
        if k.is_zero() {
            return Interval::point(Ratio::ZERO);
        }
        let (Some(lo), Some(hi)) = (self.lo.mul(Ext::Fin(k)), self.hi.mul(Ext::Fin(k))) else { return EVERYTHING };
        if k.is_negative() {
            Interval { lo: hi, lo_open: self.hi_open, hi: lo, hi_open: self.lo_open }
        } else {
            Interval { lo, lo_open: self.lo_open, hi, hi_open: self.hi_open }
        }
    }

    fn div(self, o: Interval) -> Result<Interval, ArithError> {
        let positive = o.lo.sign() == Ordering::Greater || (o.lo.sign() == Ordering::Equal && o.lo_open);
        let negative = o.hi.sign() == Ordering::Less || (o.hi.sign() == Ordering::Equal && o.hi_open);
        if let Some(k) = o.as_point() {
            if k.is_zero() {
                return Err(ArithError::DivisionByZero);
            }
            return Ok(Ratio::ONE.checked_div(k).map(|r| self.scale(r)).unwrap_or(EVERYTHING));
        }
        if !positive && !negative {
            return Ok(EVERYTHING);
        }
        let recip = |e: Ext| match e {
            Ext::Fin(r) if r.is_zero() => Some(if positive { Ext::PosInf } else { Ext::NegInf }),
            Ext::Fin(r) => Ratio::ONE.checked_div(r).ok().map(Ext::Fin),
            _ => Some(Ext::Fin(Ratio::ZERO)),
        };
        match (recip(o.hi), recip(o.lo)) {
            (Some(lo), Some(hi)) => Ok(self.mul(Interval::closed(lo, hi))),
            _ => Ok(EVERYTHING),
        }
    }

    pub(super) fn min(self, o: Interval) -> Interval {
        let lo = if self.lo.cmp(o.lo) == Ordering::Less { (self.lo, self.lo_open) } else { (o.lo, o.lo_open) };
        let hi = if self.hi.cmp(o.hi) == Ordering::Less { (self.hi, self.hi_open) } else { (o.hi, o.hi_open) };
        Interval { lo: lo.0, lo_open: lo.1, hi: hi.0, hi_open: hi.1 }
    }

    /// Every value of a non-decreasing `f` on this set, ends closed (a
    /// superset where `f` jumps at an open end): for whole steps.
    pub(super) fn monotone(self, f: impl Fn(Ratio) -> Option<Ratio>) -> Interval {
        let end = |e: Ext| match e {
            Ext::Fin(r) => f(r).map(Ext::Fin),
            infinite => Some(infinite),
        };
        match (end(self.lo), end(self.hi)) {
            (Some(lo), Some(hi)) => Interval::closed(lo, hi),
            _ => EVERYTHING,
        }
    }

    /// `clamp(self, lo, hi)` as scoring reads it: `lo` below `lo`, else
    /// `hi` above `hi`, else the value. Where the bounds can cross (`lo`
    /// above `hi`) that is not `min(max(x, lo), hi)`, but it is always one
    /// of `lo`, `hi` or a value between them.
    pub(super) fn clamp(self, lo: Interval, hi: Interval) -> Interval {
        let clamped = self.max(lo).min(hi);
        if lo.hi.cmp(hi.lo) == Ordering::Greater { clamped.union(lo).union(hi) } else { clamped }
    }

    pub(super) fn max(self, o: Interval) -> Interval {
        self.neg().min(o.neg()).neg()
    }

    pub(super) fn abs(self) -> Interval {
        if self.lo.sign() != Ordering::Less {
            self
        } else if self.hi.sign() != Ordering::Greater {
            self.neg()
        } else {
            let top = self.neg().hi;
            let hi = if top.cmp(self.hi) == Ordering::Greater { top } else { self.hi };
            Interval::closed(Ext::Fin(Ratio::ZERO), hi)
        }
    }

    /// Whether every member is below every member of `o` (strictly or not).
    fn below(self, o: Interval, strict: bool) -> bool {
        match self.hi.cmp(o.lo) {
            Ordering::Less => true,
            Ordering::Equal => !strict || self.hi_open || o.lo_open,
            Ordering::Greater => false,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Truth {
    Yes,
    No,
    Maybe,
}

fn compare(op: CompareOp, l: Interval, r: Interval) -> Truth {
    let yes_no = |yes: bool, no: bool| {
        if yes {
            Truth::Yes
        } else if no {
            Truth::No
        } else {
            Truth::Maybe
        }
    };
    let equal_point = l.as_point().is_some() && l.as_point() == r.as_point();
    let disjoint = l.below(r, true) || r.below(l, true);
    match op {
        CompareOp::AtLeast => yes_no(r.below(l, false), l.below(r, true)),
        CompareOp::Greater => yes_no(r.below(l, true), l.below(r, false)),
        CompareOp::AtMost => yes_no(l.below(r, false), r.below(l, true)),
        CompareOp::Less => yes_no(l.below(r, true), r.below(l, false)),
        CompareOp::Equal => yes_no(equal_point, disjoint),
        CompareOp::NotEqual => yes_no(disjoint, equal_point),
    }
}

/// The values the method reads, besides the actual.
struct Known<'a> {
    target: Ratio,
    points: Ratio,
    params: &'a [Ratio],
}

enum Abstract {
    Number(Interval),
    Truth(Truth),
}

fn eval(expr: &model::Expr, actual: Interval, k: &Known) -> Result<Abstract, ArithError> {
    let number = |e: &model::Expr| -> Result<Interval, ArithError> {
        match eval(e, actual, k)? {
            Abstract::Number(i) => Ok(i),
            Abstract::Truth(_) => Ok(EVERYTHING),
        }
    };
    Ok(Abstract::Number(match &expr.node {
        ExprKind::Const { value, .. } => Interval::point(*value),
        ExprKind::Actual => actual,
        ExprKind::Target => Interval::point(k.target),
        ExprKind::Points => Interval::point(k.points),
        ExprKind::Param(i) => k.params.get(*i).copied().map(Interval::point).unwrap_or(EVERYTHING),
        ExprKind::Figure(_) | ExprKind::Indicator(_) => EVERYTHING,
        ExprKind::Negate(a) => number(a)?.neg(),
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (number(a)?, number(b)?);
            match op {
                BinaryOp::Add => a.add(b),
                BinaryOp::Subtract => a.add(b.neg()),
                BinaryOp::Multiply => a.mul(b),
                BinaryOp::Divide => a.div(b)?,
            }
        }
        ExprKind::Compare(op, a, b) => return Ok(Abstract::Truth(compare(*op, number(a)?, number(b)?))),
        ExprKind::If(c, a, b) => {
            let truth = match eval(c, actual, k)? {
                Abstract::Truth(t) => t,
                Abstract::Number(_) => Truth::Maybe,
            };
            match truth {
                Truth::Yes => number(a)?,
                Truth::No => number(b)?,
                // Both branches may run; a division by zero in one is only possible.
                Truth::Maybe => match (number(a), number(b)) {
                    (Ok(x), Ok(y)) => x.union(y),
                    _ => EVERYTHING,
                },
            }
        }
        ExprKind::Call(f, args) => {
            let values = args.iter().map(number).collect::<Result<Vec<_>, _>>()?;
            super::function::interval(*f, &values)
        }
    }))
}

/// Every constant and argument the method compares or computes with, and
/// the target: the places where a method's behaviour can change.
fn breakpoints(expr: &model::Expr, k: &Known, out: &mut Vec<Ratio>) {
    model::walk(expr, &mut |e| match &e.node {
        ExprKind::Const { value, .. } => out.push(*value),
        ExprKind::Target => out.push(k.target),
        ExprKind::Param(i) => out.extend(k.params.get(*i)),
        _ => {}
    });
}

/// The outcome for one indicator.
#[derive(Clone)]
pub enum Finding {
    /// A concrete actual gives a score outside 0..=points.
    OutOfRange { actual: Ratio, score: Ratio },
    /// A larger actual gives fewer points under `>=`, or more under `<=`.
    WrongDirection { low: (Ratio, Ratio), high: (Ratio, Ratio) },
    /// The method divides by the target, which is 0.
    DivisionByZero { actual: Ratio },
    /// No counterexample, but no proof either.
    Unproven,
    /// Within range, but too large to try at every place where it can
    /// change: its direction was tried at `tried` of `places` actuals.
    Sampled { tried: usize, places: usize },
}

/// How much trying a method may cost: actuals tried × the nodes of its
/// body. Real methods cost a few thousand; a generated else-if chain of
/// thousands of branches would cost billions (every try evaluates the whole
/// body, so the work grew as the square of the chain). Past this, the
/// method is tried at [`MAX_TRIES`] actuals spread evenly over the places
/// where it can change, its pieces widened to span several (the range proof
/// stays a proof, only a coarser one), and the checker says so
/// ([`Finding::Sampled`]): a dip between two tries would go unseen.
const MAX_WORK: usize = 200_000;

/// The actuals, and the pieces, a method too large to try everywhere gets.
const MAX_TRIES: usize = 512;

/// Whether trying the method at `places` actuals would cost too much (and
/// trying fewer would leave some out).
fn too_large(places: usize, method: &model::Method) -> bool {
    places > MAX_TRIES && places.saturating_mul(size(method)) > MAX_WORK
}

/// How many nodes a method's body has.
fn size(method: &model::Method) -> usize {
    let mut n = 0;
    model::walk(&method.body, &mut |_| n += 1);
    n
}

/// At most `max` of the sorted `values`, evenly spread, the first and last kept.
fn spread(values: Vec<Ratio>, max: usize) -> Vec<Ratio> {
    if values.len() <= max {
        return values;
    }
    let last = values.len() - 1;
    let mut kept: Vec<Ratio> = (0..max).map(|i| values[i * last / (max - 1)]).collect();
    kept.dedup();
    kept
}

/// The places a method's behaviour can change (`cuts`: 0, the target, every
/// constant and argument, and each constant times the target), and
/// concrete actuals to try: every cut, its neighbours, midpoints, and far
/// beyond the last.
fn cuts_and_samples(method: &model::Method, k: &Known) -> (Vec<Ratio>, Vec<Ratio>) {
    let target = k.target;
    let mut cuts = vec![Ratio::ZERO];
    breakpoints(&method.body, k, &mut cuts);
    // A constant may be compared with actual / target: scale it by the target too.
    let scaled: Vec<Ratio> = cuts.iter().filter_map(|c| c.checked_mul(target).ok()).collect();
    cuts.extend(scaled);
    cuts.retain(|c| !c.is_negative());
    cuts.sort();
    cuts.dedup();

    let mut samples = Vec::new();
    for (i, c) in cuts.iter().enumerate() {
        samples.push(*c);
        samples.extend(c.checked_add(Ratio::ONE).ok());
        samples.extend(c.checked_sub(Ratio::ONE).ok().filter(|s| !s.is_negative()));
        if let Some(next) = cuts.get(i + 1)
            && let Ok(mid) = c.checked_add(*next).and_then(|s| s.checked_div(Ratio::from_int(2)))
        {
            samples.push(mid);
        }
    }
    let last = cuts.last().copied().unwrap_or(Ratio::ZERO);
    for factor in [2, 10, 1000] {
        samples.extend(last.max(Ratio::ONE).checked_mul(Ratio::from_int(factor)).ok());
    }
    samples.sort();
    samples.dedup();
    (cuts, samples)
}

/// The actual that would have earned full points: the least (for `>=`;
/// the greatest for `<=`) actual at which the method's unrounded value
/// equals the points, found by trying the places the method can change.
pub fn full_points_at(
    method: &model::Method,
    direction: Direction,
    target: Ratio,
    points: Ratio,
    params: &[Ratio],
) -> Option<Ratio> {
    let k = Known { target, points, params };
    let (_, mut samples) = cuts_and_samples(method, &k);
    if direction == Direction::AtMost {
        samples.reverse();
    }
    let full = |a: &Ratio| value_at(method, *a, target, points, params) == Ok(points);
    let large = too_large(samples.len(), method);
    match direction {
        // Too large to try everywhere (the checker said so): full points are
        // taken to hold on a last run of the samples, as the direction says,
        // and found by halving.
        Direction::AtLeast | Direction::AtMost if large => {
            let first = samples.partition_point(|a| !full(a));
            samples.get(first).copied().filter(full)
        }
        _ => samples.into_iter().find(full),
    }
}

/// What a method gives at one actual, the target, points and arguments fixed.
pub fn value_at(
    method: &model::Method,
    actual: Ratio,
    target: Ratio,
    points: Ratio,
    params: &[Ratio],
) -> Result<Ratio, Failure> {
    concrete::number(&method.body, &Env::method(Shown::plain(actual), Shown::plain(target), points, params))
}

/// Analyses a method as one indicator uses it.
pub fn analyse(
    method: &model::Method,
    direction: Direction,
    target: Ratio,
    points: Ratio,
    params: &[Ratio],
) -> Option<Finding> {
    let k = Known { target, points, params };
    let (cuts, samples) = cuts_and_samples(method, &k);
    let places = samples.len();
    let sampled = too_large(places, method);
    let (cuts, samples) = if sampled { (spread(cuts, MAX_TRIES), spread(samples, MAX_TRIES)) } else { (cuts, samples) };

    let mut scored = Vec::with_capacity(samples.len());
    for a in &samples {
        match value_at(method, *a, target, points, params) {
            Ok(score) => {
                if score.is_negative() || score > points {
                    return Some(Finding::OutOfRange { actual: *a, score });
                }
                scored.push((*a, score));
            }
            Err(Failure::Arith(ArithError::DivisionByZero, _)) if target.is_zero() => {
                return Some(Finding::DivisionByZero { actual: *a });
            }
            Err(_) => return Some(Finding::Unproven),
        }
    }
    for pair in scored.windows(2) {
        let (low, high) = (pair[0], pair[1]);
        let wrong = match direction {
            Direction::AtLeast => high.1 < low.1,
            Direction::AtMost => high.1 > low.1,
            Direction::Exactly | Direction::Assign => false,
        };
        if wrong {
            return Some(Finding::WrongDirection { low, high });
        }
    }

    // The proof: every actual at once when that is precise enough, else
    // every piece between cuts, and each cut itself.
    let range = Interval::closed(Ext::Fin(Ratio::ZERO), Ext::Fin(points));
    let within = |piece: Interval| match eval(&method.body, piece, &k) {
        Ok(Abstract::Number(score)) => {
            !score.lo.sign().is_lt() && score.hi.cmp(range.hi) != Ordering::Greater && score.hi != Ext::PosInf
        }
        _ => false,
    };
    if within(Interval { lo: Ext::Fin(Ratio::ZERO), lo_open: false, hi: Ext::PosInf, hi_open: true }) {
        return sampled.then_some(Finding::Sampled { tried: samples.len(), places });
    }
    let mut pieces = Vec::new();
    for (i, c) in cuts.iter().enumerate() {
        pieces.push(Interval::point(*c));
        let hi = cuts.get(i + 1).map(|n| Ext::Fin(*n)).unwrap_or(Ext::PosInf);
        pieces.push(Interval { lo: Ext::Fin(*c), lo_open: true, hi, hi_open: true });
    }
    let proven = pieces.into_iter().all(within);
    match (proven, sampled) {
        (false, _) => Some(Finding::Unproven),
        (true, true) => Some(Finding::Sampled { tried: samples.len(), places }),
        (true, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(body: &str, params: &[&str]) -> model::Method {
        let params_text = if params.is_empty() { String::new() } else { format!("({})", params.join(", ")) };
        let text = format!("scheme S {{ total 1\n method m{params_text} = {body} }}");
        let checked = crate::check::check_source("m.jx", &text);
        checked.rules.unwrap().schemes()[0].methods[0].clone()
    }

    fn r(n: i128) -> Ratio {
        Ratio::from_int(n)
    }

    const PROPORTIONAL: &str = "if actual >= target then points else points * actual / target";
    const INVERSE: &str = "if actual <= target then points else if target == 0 then 0 else points * target / actual";

    #[test]
    fn the_seed_methods_are_proven() {
        assert!(analyse(&method(PROPORTIONAL, &[]), Direction::AtLeast, r(3000), r(4), &[]).is_none());
        assert!(analyse(&method(INVERSE, &[]), Direction::AtMost, r(0), r(10), &[]).is_none());
        assert!(analyse(&method(INVERSE, &[]), Direction::AtMost, r(120), r(12), &[]).is_none());
        let per_unit = method("max(points - max(target - actual, 0) / step * deduction, 0)", &["step", "deduction"]);
        assert!(analyse(&per_unit, Direction::AtLeast, r(12), r(6), &[r(1), Ratio::new(1, 2).unwrap()]).is_none());
    }

    #[test]
    fn a_method_without_a_cap_gives_more_than_the_points() {
        let uncapped = method("points * actual / target", &[]);
        let Some(Finding::OutOfRange { score, .. }) = analyse(&uncapped, Direction::AtLeast, r(10), r(4), &[]) else {
            panic!("no counterexample")
        };
        assert!(score > r(4));
    }

    #[test]
    fn proportional_cannot_serve_a_lower_is_better_target() {
        let found = analyse(&method(PROPORTIONAL, &[]), Direction::AtMost, r(120), r(12), &[]);
        assert!(matches!(found, Some(Finding::WrongDirection { .. })));
    }

    /// A clamp whose bounds cross gives its lower bound below it (the
    /// interval was `min(max(x, lo), hi)`: 5 for `clamp(0, 12, 5)`, which is 12).
    #[test]
    fn a_clamp_whose_bounds_cross_is_its_lower_bound_below_it() {
        let [x, lo, hi] = [r(0), r(12), r(5)].map(Interval::point);
        let found = crate::model::function::interval(model::Function::Clamp, &[x, lo, hi]);
        assert_eq!(found.lo.cmp(Ext::Fin(r(5))), Ordering::Equal);
        assert_eq!(found.hi.cmp(Ext::Fin(r(12))), Ordering::Equal);
        // Bounds in order: as tight as before.
        let inside = crate::model::function::interval(model::Function::Clamp, &[Interval::point(r(7)), hi, lo]);
        assert_eq!(inside.as_point(), Some(r(7)));
    }

    #[test]
    fn dividing_by_a_zero_target_is_caught() {
        let unguarded = method("if actual <= target then points else points * target / actual * actual / target", &[]);
        assert!(matches!(
            analyse(&unguarded, Direction::AtMost, r(0), r(10), &[]),
            Some(Finding::DivisionByZero { .. })
        ));
    }
}
