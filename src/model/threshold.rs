//! Where a method reaches a score: the exact actual, solved piece by piece.
//!
//! A scoring method, with its target, points and arguments fixed, is a
//! function of the actual alone. Built from `+ - × /`, comparisons, `if`,
//! `min`, `max`, `abs` and `clamp`, it is made of pieces on which it is a
//! line or a linear fraction `(a·x + b) / (c·x + d)` (`points × target /
//! actual` is one). Each piece is solved exactly for the level asked, so
//! the point-loss ledger says 1500, not the 1501 that trying actuals near
//! the constants finds for `min(points, 2 × points × actual / target)`.
//! A method outside that form (`actual × actual`) gives no answer here and
//! the caller falls back to trying actuals.

use std::cmp::Ordering;

use crate::exact::Ratio;
use crate::model::expr;
use crate::model::{BinaryOp, CompareOp, Expr, ExprKind};

/// The least (or greatest) actual at which a method reaches a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Reached at this actual.
    At(Ratio),
    /// Reached for every actual beyond this bound, never at it (`if actual
    /// > target then points`): there is no least value to name.
    Beyond(Ratio),
    /// No actual of 0 or more reaches it.
    Never,
}

/// What is fixed while the actual varies.
pub struct Fixed<'a> {
    pub target: Ratio,
    pub points: Ratio,
    pub params: &'a [Ratio],
}

/// The least actual (`upward`; the greatest otherwise) at which `method`
/// is at least `level`; `None` when the method is not of the solvable form.
/// The method is taken as monotonic the way the checker proved its
/// direction: rising with the actual when `upward`, falling otherwise.
pub fn reach(method: &Expr, fixed: &Fixed, level: Ratio, upward: bool) -> Option<Reach> {
    Solver::new(method, fixed, upward)?.reach(level)
}

/// A method cut into its pieces once, then solved for as many levels as
/// asked (the ledger asks for full points and for where rounding gets there).
pub struct Solver {
    /// In the order the walk meets them: up from 0 when `upward`, else down.
    pieces: Vec<(Stretch, Value)>,
    upward: bool,
}

impl Solver {
    /// `None` when the method is not made of pieces this module solves.
    pub fn new(method: &Expr, fixed: &Fixed, upward: bool) -> Option<Solver> {
        let mut pieces = pieces(method, Stretch::ALL, fixed)?;
        pieces.sort_by(|(a, _), (b, _)| a.cmp_start(b));
        if !upward {
            pieces.reverse();
        }
        Some(Solver { pieces, upward })
    }

    /// As [`reach`].
    pub fn reach(&self, level: Ratio) -> Option<Reach> {
        for &(stretch, value) in &self.pieces {
            let Value::Number(f) = value else { return None };
            if let Some(found) = piece_reach(stretch, f, level, self.upward) {
                return Some(found);
            }
        }
        Some(Reach::Never)
    }
}

/// Where on one piece `f` first reaches `level`, walking up or down.
fn piece_reach(s: Stretch, f: Frac, level: Ratio, upward: bool) -> Option<Reach> {
    // The end the walk enters the piece from, and whether it belongs to it.
    let (entry, closed) = if upward { (Some(s.lo), s.lo_closed) } else { (s.hi, s.hi_closed) };
    let at_entry = |holds: bool| match (entry, holds) {
        (Some(e), true) if closed => Some(Reach::At(e)),
        (Some(e), true) => Some(Reach::Beyond(e)),
        // An unbounded piece walked down from infinity: no greatest actual.
        (None, true) => Some(Reach::Never),
        (_, false) => None,
    };
    let rising = f.rising()?;
    let flat = f.constant().or_else(|| rising.is_none().then(|| f.at(s.inner())).flatten());
    if let Some(c) = flat {
        return at_entry(c >= level);
    }
    let rising = rising.unwrap_or(true);
    // Where f crosses the level: (a − level·c)·x = level·d − b.
    let slope = f.a.checked_sub(level.checked_mul(f.c).ok()?).ok()?;
    let offset = level.checked_mul(f.d).ok()?.checked_sub(f.b).ok()?;
    if slope.is_zero() {
        // f − level keeps one sign on the piece: above everywhere or nowhere.
        return at_entry(f.at(s.inner()).is_some_and(|v| v >= level));
    }
    let x = offset.checked_div(slope).ok()?;
    if rising == upward {
        // f rises along the walk: at or above the level from x on.
        if s.contains(x) {
            return Some(Reach::At(x));
        }
        let whole_piece_past_x = if upward { x <= s.lo } else { s.hi.is_some_and(|h| x >= h) };
        at_entry(whole_piece_past_x)
    } else {
        // f falls along the walk: at or above the level only until x.
        match entry.map(|e| if upward { e.cmp(&x) } else { x.cmp(&e) }) {
            Some(Ordering::Less) | None => at_entry(true),
            Some(Ordering::Equal) if closed => at_entry(true),
            _ => None,
        }
    }
}

/// One piece of a method: on actuals from `lo` to `hi` (no end when
/// `None`), each end in or out, the method is `(a·x + b) / (c·x + d)`, a
/// denominator that is not 0 there.
#[derive(Clone, Copy, Debug)]
pub(super) struct Piece {
    pub lo: Ratio,
    pub lo_closed: bool,
    pub hi: Option<Ratio>,
    pub hi_closed: bool,
    pub a: Ratio,
    pub b: Ratio,
    pub c: Ratio,
    pub d: Ratio,
}

/// The method as pieces in order of the actual, covering every actual of
/// 0 and up; `None` when it is not of the form.
pub(super) fn formula(method: &Expr, fixed: &Fixed) -> Option<Vec<Piece>> {
    let mut pieces = pieces(method, Stretch::ALL, fixed)?;
    pieces.sort_by(|(a, _), (b, _)| a.cmp_start(b));
    pieces
        .into_iter()
        .map(|(s, value)| match value {
            Value::Number(f) => Some(Piece {
                lo: s.lo,
                lo_closed: s.lo_closed,
                hi: s.hi,
                hi_closed: s.hi_closed,
                a: f.a,
                b: f.b,
                c: f.c,
                d: f.d,
            }),
            Value::Truth(_) => None,
        })
        .collect()
}

/// `(a·x + b) / (c·x + d)`, with a denominator that is not 0 on its piece.
#[derive(Clone, Copy, Debug)]
pub(super) struct Frac {
    a: Ratio,
    b: Ratio,
    c: Ratio,
    d: Ratio,
}

impl Frac {
    pub(super) fn constant_of(v: Ratio) -> Frac {
        Frac { a: Ratio::ZERO, b: v, c: Ratio::ZERO, d: Ratio::ONE }
    }

    const ACTUAL: Frac = Frac { a: Ratio::ONE, b: Ratio::ZERO, c: Ratio::ZERO, d: Ratio::ONE };

    pub(super) fn constant(self) -> Option<Ratio> {
        (self.a.is_zero() && self.c.is_zero()).then(|| self.b.checked_div(self.d).ok()).flatten()
    }

    fn linear(self) -> bool {
        self.c.is_zero()
    }

    fn at(self, x: Ratio) -> Option<Ratio> {
        let top = self.a.checked_mul(x).ok()?.checked_add(self.b).ok()?;
        let bottom = self.c.checked_mul(x).ok()?.checked_add(self.d).ok()?;
        top.checked_div(bottom).ok()
    }

    /// Whether f rises with x, from the sign of a·d − b·c (a linear
    /// fraction is monotonic wherever its denominator is not 0); `None`
    /// inside when that is 0 and f is constant. `None` outside on overflow.
    fn rising(self) -> Option<Option<bool>> {
        let det = self.a.checked_mul(self.d).ok()?.checked_sub(self.b.checked_mul(self.c).ok()?).ok()?;
        Some((!det.is_zero()).then(|| !det.is_negative()))
    }

    pub(super) fn neg(self) -> Option<Frac> {
        Some(Frac { a: self.a.checked_neg().ok()?, b: self.b.checked_neg().ok()?, ..self })
    }

    fn add(self, o: Frac) -> Option<Frac> {
        if let Some(k) = o.constant() {
            // (a x + b) / (c x + d) + k = ((a + k c) x + (b + k d)) / (c x + d)
            let a = self.a.checked_add(k.checked_mul(self.c).ok()?).ok()?;
            let b = self.b.checked_add(k.checked_mul(self.d).ok()?).ok()?;
            return Some(Frac { a, b, ..self });
        }
        if self.constant().is_some() {
            return o.add(self);
        }
        if self.linear() && o.linear() {
            let a = self.a.checked_div(self.d).ok()?.checked_add(o.a.checked_div(o.d).ok()?).ok()?;
            let b = self.b.checked_div(self.d).ok()?.checked_add(o.b.checked_div(o.d).ok()?).ok()?;
            return Some(Frac { a, b, c: Ratio::ZERO, d: Ratio::ONE });
        }
        if self.c == o.c && self.d == o.d {
            return Some(Frac { a: self.a.checked_add(o.a).ok()?, b: self.b.checked_add(o.b).ok()?, ..self });
        }
        None
    }

    fn mul(self, o: Frac) -> Option<Frac> {
        if let Some(k) = o.constant() {
            return Some(Frac { a: self.a.checked_mul(k).ok()?, b: self.b.checked_mul(k).ok()?, ..self });
        }
        if self.constant().is_some() {
            return o.mul(self);
        }
        None
    }

    /// `self / o` on stretch `s`; `None` when the result leaves the form or
    /// its denominator can be 0 on `s`.
    fn div(self, o: Frac, s: Stretch) -> Option<Frac> {
        let result = if let Some(k) = o.constant() {
            if k.is_zero() {
                return None;
            }
            Frac { c: self.c.checked_mul(k).ok()?, d: self.d.checked_mul(k).ok()?, ..self }
        } else if let Some(m) = self.constant() {
            // m / ((a x + b) / (c x + d)) = m (c x + d) / (a x + b)
            Frac { a: m.checked_mul(o.c).ok()?, b: m.checked_mul(o.d).ok()?, c: o.a, d: o.b }
        } else if self.linear() && o.linear() {
            // ((a x + b) / d) / ((e x + f) / g) = g (a x + b) / (d (e x + f))
            Frac {
                a: self.a.checked_mul(o.d).ok()?,
                b: self.b.checked_mul(o.d).ok()?,
                c: self.d.checked_mul(o.a).ok()?,
                d: self.d.checked_mul(o.b).ok()?,
            }
        } else {
            return None;
        };
        result.denominator_clear_on(s).then_some(result)
    }

    fn denominator_clear_on(self, s: Stretch) -> bool {
        if self.c.is_zero() {
            return !self.d.is_zero();
        }
        match self.d.checked_neg().and_then(|n| n.checked_div(self.c)) {
            Ok(root) => !s.touches(root),
            Err(_) => false,
        }
    }

    /// Where the numerator is 0, if it crosses 0 at one place.
    fn numerator_root(self) -> Option<Ratio> {
        if self.a.is_zero() {
            return None;
        }
        self.b.checked_neg().and_then(|n| n.checked_div(self.a)).ok()
    }
}

/// Actuals from `lo` to `hi` (no end when `None`), each end in or out.
#[derive(Clone, Copy, Debug)]
pub(super) struct Stretch {
    lo: Ratio,
    lo_closed: bool,
    hi: Option<Ratio>,
    hi_closed: bool,
}

impl Stretch {
    /// Actuals are 0 or more.
    const ALL: Stretch = Stretch { lo: Ratio::ZERO, lo_closed: true, hi: None, hi_closed: false };

    fn contains(self, x: Ratio) -> bool {
        let above = match x.cmp(&self.lo) {
            Ordering::Greater => true,
            Ordering::Equal => self.lo_closed,
            Ordering::Less => false,
        };
        let below = match self.hi.map(|h| x.cmp(&h)) {
            None | Some(Ordering::Less) => true,
            Some(Ordering::Equal) => self.hi_closed,
            Some(Ordering::Greater) => false,
        };
        above && below
    }

    /// Whether `x` is in the stretch or at one of its ends.
    fn touches(self, x: Ratio) -> bool {
        x >= self.lo && self.hi.is_none_or(|h| x <= h)
    }

    /// A point inside: the midpoint, one past the start when unbounded, or
    /// the point itself.
    fn inner(self) -> Ratio {
        match self.hi {
            Some(h) if h == self.lo => h,
            Some(h) => self.lo.checked_add(h).and_then(|s| s.checked_div(Ratio::from_int(2))).unwrap_or(self.lo),
            None => self.lo.checked_add(Ratio::ONE).unwrap_or(self.lo),
        }
    }

    fn cmp_start(&self, o: &Stretch) -> Ordering {
        // A closed start comes before an open one at the same place.
        self.lo.cmp(&o.lo).then(o.lo_closed.cmp(&self.lo_closed))
    }

    /// The stretch cut at `x` into the parts below, at and above it.
    fn split(self, x: Ratio) -> Vec<Stretch> {
        if !self.touches(x) {
            return vec![self];
        }
        let below = Stretch { hi: Some(x), hi_closed: false, ..self };
        let at = Stretch { lo: x, lo_closed: true, hi: Some(x), hi_closed: true };
        let above = Stretch { lo: x, lo_closed: false, ..self };
        [below, at, above].into_iter().filter(|s| !s.is_empty() && s.within(self)).collect()
    }

    fn is_empty(self) -> bool {
        match self.hi {
            None => false,
            Some(h) => h < self.lo || (h == self.lo && !(self.lo_closed && self.hi_closed)),
        }
    }

    /// Whether every point of `self` belongs to `outer`.
    fn within(self, outer: Stretch) -> bool {
        let start = self.lo > outer.lo || (self.lo == outer.lo && (outer.lo_closed || !self.lo_closed));
        let end = match (self.hi, outer.hi) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => a < b || (a == b && (outer.hi_closed || !self.hi_closed)),
        };
        start && end
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Value {
    Number(Frac),
    Truth(bool),
}

/// Beyond this many pieces a method is not worth solving this way.
const MAX_PIECES: usize = 512;

/// The method on `s`, as pieces in order of the actual.
pub(super) fn pieces(e: &Expr, s: Stretch, k: &Fixed) -> Option<Vec<(Stretch, Value)>> {
    let number = |v: Ratio| Some(vec![(s, Value::Number(Frac::constant_of(v)))]);
    let out = match &e.node {
        ExprKind::Const { value, .. } => number(*value)?,
        ExprKind::Target => number(k.target)?,
        ExprKind::Points => number(k.points)?,
        ExprKind::Param(i) => number(*k.params.get(*i)?)?,
        ExprKind::Actual => vec![(s, Value::Number(Frac::ACTUAL))],
        ExprKind::Figure(_) | ExprKind::Indicator(_) => return None,
        ExprKind::Negate(a) => map(pieces(a, s, k)?, |_, f| f.neg())?,
        ExprKind::Binary(op, a, b) => pairwise(a, b, s, k, |piece, x, y| {
            let value = match op {
                BinaryOp::Add => x.add(y)?,
                BinaryOp::Subtract => x.add(y.neg()?)?,
                BinaryOp::Multiply => x.mul(y)?,
                BinaryOp::Divide => x.div(y, piece)?,
            };
            Some(vec![(piece, Value::Number(value))])
        })?,
        ExprKind::Compare(op, a, b) => pairwise(a, b, s, k, |piece, x, y| compare(*op, piece, x, y))?,
        ExprKind::If(c, a, b) => {
            let mut out = Vec::new();
            for (piece, value) in pieces(c, s, k)? {
                let Value::Truth(t) = value else { return None };
                out.extend(pieces(if t { a } else { b }, piece, k)?);
            }
            out
        }
        ExprKind::Call(f, args) => super::function::split(*f, args, s, k)?,
    };
    (out.len() <= MAX_PIECES).then_some(out)
}

fn map(pieces: Vec<(Stretch, Value)>, f: impl Fn(Stretch, Frac) -> Option<Frac>) -> Option<Vec<(Stretch, Value)>> {
    pieces
        .into_iter()
        .map(|(s, v)| match v {
            Value::Number(x) => Some((s, Value::Number(f(s, x)?))),
            Value::Truth(_) => None,
        })
        .collect()
}

/// Both operands on every piece where each is one fraction.
fn pairwise(
    a: &Expr,
    b: &Expr,
    s: Stretch,
    k: &Fixed,
    combine: impl Fn(Stretch, Frac, Frac) -> Option<Vec<(Stretch, Value)>>,
) -> Option<Vec<(Stretch, Value)>> {
    let mut out = Vec::new();
    for (outer, x) in pieces(a, s, k)? {
        let Value::Number(x) = x else { return None };
        for (inner, y) in pieces(b, outer, k)? {
            let Value::Number(y) = y else { return None };
            out.extend(combine(inner, x, y)?);
        }
    }
    Some(out)
}

/// `x op y` on `s`: cut where `x − y` changes sign, then decide each part
/// at a point inside it (the sign is the same throughout a part).
pub(super) fn compare(op: CompareOp, s: Stretch, x: Frac, y: Frac) -> Option<Vec<(Stretch, Value)>> {
    let diff = x.add(y.neg()?)?;
    let parts = match diff.numerator_root() {
        Some(root) => s.split(root),
        None => vec![s],
    };
    parts
        .into_iter()
        .map(|part| {
            let (l, r) = (x.at(part.inner())?, y.at(part.inner())?);
            Some((part, Value::Truth(expr::compare(op, l, r))))
        })
        .collect()
}

/// The smaller or larger of two fractions, piece by piece.
pub(super) fn pick(s: Stretch, x: Frac, y: Frac, larger: bool) -> Option<Vec<(Stretch, Value)>> {
    let op = if larger { CompareOp::AtLeast } else { CompareOp::AtMost };
    compare(op, s, x, y)?
        .into_iter()
        .map(|(part, truth)| match truth {
            Value::Truth(t) => Some((part, Value::Number(if t { x } else { y }))),
            Value::Number(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(body: &str) -> Expr {
        let text = format!(
            "scheme S {{\n total 10\n unit 台: count\n method m = {body}\n default >= m\n grade A otherwise\n}}\n"
        );
        let checked = crate::check::check_source("s.jx", &text);
        let rules = checked.rules.unwrap_or_else(|| panic!("{:?}", checked.problems));
        rules.schemes()[0].methods[0].body.clone()
    }

    fn r(n: i128) -> Ratio {
        Ratio::from_int(n)
    }

    fn full(body: &str, target: i128, points: i128, upward: bool) -> Option<Reach> {
        let fixed = Fixed { target: r(target), points: r(points), params: &[] };
        reach(&method(body), &fixed, r(points), upward)
    }

    #[test]
    fn a_kink_between_the_constants_is_found_exactly() {
        // Full points from half the target: 1500, not 1501.
        assert_eq!(full("min(points, 2 * points * actual / target)", 3000, 4, true), Some(Reach::At(r(1500))));
    }

    #[test]
    fn the_seed_methods() {
        let proportional = "if actual >= target then points else points * actual / target";
        assert_eq!(full(proportional, 3000, 4, true), Some(Reach::At(r(3000))));
        let inverse = "if actual <= target then points else if target == 0 then 0 else points * target / actual";
        assert_eq!(full(inverse, 120, 10, false), Some(Reach::At(r(120))));
        assert_eq!(full("if actual == target then points else 0", 7, 10, true), Some(Reach::At(r(7))));
    }

    #[test]
    fn per_unit_deductions_and_clamps() {
        // 10 − (target − actual) × 0.5, floor 0: full from the target on.
        let per_unit = "max(points - max(target - actual, 0) * 0.5, 0)";
        assert_eq!(full(per_unit, 20, 10, true), Some(Reach::At(r(20))));
        let clamped = "clamp(points * actual / (target / 2), 0, points)";
        assert_eq!(full(clamped, 40, 10, true), Some(Reach::At(r(20))));
        assert_eq!(full("points - min(abs(actual - target), points)", 5, 10, true), Some(Reach::At(r(5))));
    }

    #[test]
    fn open_ends_and_unreachable_points() {
        assert_eq!(full("if actual > target then points else 0", 5, 10, true), Some(Reach::Beyond(r(5))));
        assert_eq!(full("min(points / 2, actual)", 5, 10, true), Some(Reach::Never));
    }

    #[test]
    fn what_is_not_of_the_form_gives_no_answer() {
        assert_eq!(full("min(points, actual * actual)", 5, 10, true), None);
    }

    #[test]
    fn a_level_below_the_points() {
        // The printed score rounds to 4.00 from 3.995: 4 × x / 3000 ≥ 3.995.
        let fixed = Fixed { target: r(3000), points: r(4), params: &[] };
        let proportional = method("if actual >= target then points else points * actual / target");
        let level = Ratio::new(3995, 1000).unwrap();
        assert_eq!(reach(&proportional, &fixed, level, true), Some(Reach::At(Ratio::new(11985, 4).unwrap())));
    }
}
