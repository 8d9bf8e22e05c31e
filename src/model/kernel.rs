//! A method specialised to one indicator, compiled to whole-number
//! arithmetic: the fast path of scoring.
//!
//! [`threshold::formula`] gives a method, with its target, points and
//! arguments fixed, as pieces of the actual on each of which it is one
//! linear fraction `(a·x + b) / (c·x + d)` — every seed method is. With the
//! constants scaled to whole numbers, the score at an actual `n / m` is
//! `(a·n + b·m) / (c·n + d·m)`: a comparison or two to find the piece, four
//! products and two sums, no tree to walk, no `Result` per node. The value
//! is the exact fraction the tree walk gives (a test holds them equal);
//! where a number leaves 64 bits, or the method is not of the form, the
//! caller walks the tree.

use super::Expr;
use super::threshold::{self, Fixed};
use crate::exact::Ratio;

/// A method at one indicator, as pieces in order of the actual.
#[derive(Clone, Debug)]
pub struct Kernel {
    /// Where each piece but the last ends, in order.
    ends: Box<[Bound]>,
    /// Each piece's fraction.
    pieces: Box<[Piece]>,
    /// Every value is within 0..=points: no score needs checking.
    within_points: bool,
}

/// One linear fraction `(a·x + b) / (c·x + d)` in whole numbers.
#[derive(Clone, Copy, Debug)]
struct Piece {
    a: i64,
    b: i64,
    c: i64,
    d: i64,
}

/// `num / den` (`den > 0`), and whether the piece below it holds it.
#[derive(Clone, Copy, Debug)]
struct Bound {
    num: i64,
    den: i64,
    closed: bool,
}

impl Kernel {
    /// The method with `fixed`, compiled; `None` when it is not made of
    /// linear fractions, or its constants do not fit 64 bits.
    pub fn compile(method: &Expr, fixed: &Fixed) -> Option<Kernel> {
        let pieces = threshold::formula(method, fixed)?;
        // The pieces must cover every actual of 0 and up, each once.
        let first = pieces.first()?;
        if !first.lo.is_zero() || !first.lo_closed || pieces.last()?.hi.is_some() {
            return None;
        }
        for pair in pieces.windows(2) {
            let (below, above) = (pair[0], pair[1]);
            if below.hi != Some(above.lo) || below.hi_closed == above.lo_closed {
                return None;
            }
        }
        let within_points = pieces.iter().all(|p| within(p, fixed.points).unwrap_or(false));
        let ends = pieces
            .iter()
            .filter_map(|p| p.hi.map(|h| (h, p.hi_closed)))
            .map(|(h, closed)| small_parts(h).map(|(num, den)| Bound { num, den, closed }))
            .collect::<Option<Box<[Bound]>>>()?;
        let fractions = pieces
            .iter()
            .map(|p| {
                let [a, b, c, d] = whole_numbers([p.a, p.b, p.c, p.d])?;
                // A line's denominator positive: its fraction needs no sign turned.
                if c == 0 && d < 0 {
                    return Some(Piece { a: a.checked_neg()?, b: b.checked_neg()?, c, d: d.checked_neg()? });
                }
                Some(Piece { a, b, c, d })
            })
            .collect::<Option<Box<[Piece]>>>()?;
        Some(Kernel { ends, pieces: fractions, within_points })
    }

    /// Whether every score the kernel gives is within 0..=points.
    pub fn within_points(&self) -> bool {
        self.within_points
    }

    /// The method at `actual`, exactly; `None` when the actual is below 0
    /// or a number leaves the range this path keeps to.
    #[inline]
    pub fn at(&self, actual: Ratio) -> Option<Ratio> {
        let (n, m) = actual.parts();
        let (n, m) = (i64::try_from(n).ok()?, i64::try_from(m).ok()?);
        if n < 0 {
            return None;
        }
        // The piece is the number of ends the actual is past: counted
        // without a branch, as are the products below, so an actual on
        // either side of a target costs the same (a mispredicted branch
        // would cost more than the arithmetic).
        let past = |h: &Bound| {
            let (x, end) = (wide(n, h.den), wide(h.num, m));
            usize::from((x > end) | ((x == end) & !h.closed))
        };
        let p = self.pieces.get(self.ends.iter().map(past).sum::<usize>())?;
        // Products of 64-bit numbers fit 128 bits; only sums can overflow.
        let top = wide(p.a, n).checked_add(wide(p.b, m))?;
        let bottom = wide(p.c, n).checked_add(wide(p.d, m))?;
        Ratio::raw(top, bottom).ok()
    }
}

/// Whether a piece's values all lie within 0..=points: a linear fraction is
/// monotonic where its denominator is not 0, so its values lie between
/// those at the piece's ends (its limit, when the piece has no upper end).
/// `None` when that cannot be told.
fn within(p: &threshold::Piece, points: Ratio) -> Option<bool> {
    let at = |x: Ratio| {
        let top = p.a.checked_mul(x).ok()?.checked_add(p.b).ok()?;
        let bottom = p.c.checked_mul(x).ok()?.checked_add(p.d).ok()?;
        top.checked_div(bottom).ok()
    };
    let far = match p.hi {
        Some(hi) => at(hi)?,
        None if !p.c.is_zero() => p.a.checked_div(p.c).ok()?,
        None if p.a.is_zero() => p.b.checked_div(p.d).ok()?,
        // Rises or falls without end.
        None => return Some(false),
    };
    let near = at(p.lo)?;
    let inside = |v: Ratio| !v.is_negative() && v <= points;
    Some(inside(near) && inside(far))
}

/// `x·y`, from 64-bit factors: one multiplication where two 128-bit
/// factors would take three.
#[inline]
fn wide(x: i64, y: i64) -> i128 {
    i128::from(x) * i128::from(y)
}

/// A value's reduced numerator and denominator, when both fit 64 bits.
fn small_parts(r: Ratio) -> Option<(i64, i64)> {
    let r = r.reduced();
    Some((i64::try_from(r.numer()).ok()?, i64::try_from(r.denom()).ok()?))
}

/// Four fractions times their least common denominator, divided by the
/// numerators' greatest common divisor: the same ratio in whole numbers.
fn whole_numbers(values: [Ratio; 4]) -> Option<[i64; 4]> {
    let reduced = values.map(Ratio::reduced);
    let mut lcm: i128 = 1;
    for r in reduced {
        let den = r.denom();
        lcm = lcm.checked_mul(den / gcd(lcm, den))?;
    }
    let mut whole = [0i128; 4];
    for (w, r) in whole.iter_mut().zip(reduced) {
        *w = r.numer().checked_mul(lcm / r.denom())?;
    }
    let common = whole.iter().fold(0, |g, &w| gcd(g, w)).max(1);
    let mut out = [0i64; 4];
    for (o, w) in out.iter_mut().zip(whole) {
        *o = i64::try_from(w / common).ok()?;
    }
    Some(out)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    i128::try_from(a).unwrap_or(i128::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::expr::{self, Env, Shown};
    use proptest::prelude::*;

    fn rules() -> crate::model::CheckedRules {
        let checked = crate::check::check_source("m.jx", crate::model::SAMPLE_METHODS);
        checked.rules.unwrap_or_else(|| panic!("{:?}", checked.problems))
    }

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    /// Compiled or not; where compiled, the same value as the method in its
    /// environment, or a fallback (`None`) where that fails.
    fn agrees(method: &crate::model::Method, target: Ratio, points: Ratio, args: &[Ratio], actual: Ratio) {
        let fixed = Fixed { target, points, params: args };
        let Some(kernel) = Kernel::compile(&method.body, &fixed) else { return };
        let env = Env::method(Shown::plain(actual), Shown::plain(target), points, args);
        let slow = expr::number(&method.body, &env).ok();
        match (kernel.at(actual), slow) {
            (Some(fast), Some(slow)) => {
                assert_eq!(fast, slow, "{} at {actual}, target {target}", method.name.node)
            }
            (Some(fast), None) => panic!("{} at {actual}: kernel {fast}, the tree fails", method.name.node),
            (None, _) => {}
        }
    }

    #[test]
    fn the_seed_shapes_compile() {
        let rules = rules();
        let args = [r(1, 1), r(1, 2)];
        let compiled: Vec<&str> = rules.schemes()[0]
            .methods
            .iter()
            .filter(|m| {
                Kernel::compile(&m.body, &Fixed { target: r(3000, 1), points: r(4, 1), params: &args }).is_some()
            })
            .map(|m| m.name.node.as_str())
            .collect();
        // floor is a staircase, and `divides` divides by an actual that
        // reaches 0 at the open end of its piece (the solver does not take
        // such ends): both left to the tree walk.
        assert_eq!(
            compiled,
            ["proportional", "inverse", "per_unit", "bands", "ratio", "clamped", "strict", "distance"]
        );
    }

    #[test]
    fn equal_to_the_tree_at_the_ends_of_every_piece() {
        let rules = rules();
        let args = [r(1, 1), r(1, 2)];
        for method in &rules.schemes()[0].methods {
            for target in [r(0, 1), r(3000, 1), r(96, 100), r(1, 3)] {
                let points = r(4, 1);
                let mut actuals = vec![r(0, 1), r(1, 3), r(2999, 1), r(3000, 1), r(97, 100), r(10_000, 1), r(-1, 1)];
                // Each constant, just below, at and just above.
                for t in [target, target.checked_mul(r(8, 10)).unwrap(), target.checked_sub(points).unwrap()] {
                    for eps in [r(-1, 1000), r(0, 1), r(1, 1000)] {
                        actuals.push(t.checked_add(eps).unwrap());
                    }
                }
                for actual in actuals {
                    agrees(method, target, points, &args, actual);
                }
            }
        }
    }

    #[test]
    fn what_leaves_64_bits_falls_back() {
        let rules = rules();
        let proportional = &rules.schemes()[0].methods[0];
        let fixed = Fixed { target: r(3, 1), points: r(4, 1), params: &[] };
        let kernel = Kernel::compile(&proportional.body, &fixed).unwrap();
        assert_eq!(kernel.at(r(1, 1)), Some(r(4, 3)));
        assert_eq!(kernel.at(Ratio::from_int(1i128 << 70)), None);
        assert_eq!(kernel.at(r(-1, 1)), None);
    }

    #[test]
    fn a_kernel_knows_when_its_scores_stay_within_the_points() {
        let text = "scheme S { total 10
            method capped = if actual >= target then points else points * actual / target
            method uncapped = points * actual / target
            method below = points - actual
            method limit = points * target / (actual + target)
        }";
        let checked = crate::check::check_source("w.jx", text);
        let rules = checked.rules.unwrap_or_else(|| panic!("{:?}", checked.problems));
        let fixed = Fixed { target: r(80, 1), points: r(4, 1), params: &[] };
        let within: Vec<bool> = rules.schemes()[0]
            .methods
            .iter()
            .map(|m| Kernel::compile(&m.body, &fixed).unwrap().within_points())
            .collect();
        assert_eq!(within, [true, false, false, true]);
    }

    /// `clamp(x, lo, hi)` with lo above hi is `lo` below it, else `hi`: as
    /// the tree reads it, not `min(max(x, lo), hi)` (a review found batch
    /// scoring 5 where eval scored 8).
    #[test]
    fn a_clamp_whose_bounds_cross_reads_as_the_tree_does() {
        let text = "scheme S { total 10\n method swapped = clamp(points * actual / target, 8, 5)\n }";
        let checked = crate::check::check_source("c.jx", text);
        let rules = checked.rules.unwrap_or_else(|| panic!("{:?}", checked.problems));
        let method = &rules.schemes()[0].methods[0];
        let fixed = Fixed { target: r(80, 1), points: r(10, 1), params: &[] };
        let kernel = Kernel::compile(&method.body, &fixed).expect("compiled");
        assert_eq!(kernel.at(r(10, 1)), Some(r(8, 1)));
        for actual in [0, 10, 39, 40, 63, 64, 65, 80, 200] {
            agrees(method, r(80, 1), r(10, 1), &[], r(actual, 1));
        }
    }

    proptest! {
        /// Any target, points and actual (four decimals, as data gives them):
        /// the kernel's score is the tree's.
        #[test]
        fn equal_to_the_tree_anywhere(
            target in 0i64..2_000_000, points in 1i64..2_000, actual in 0i64..4_000_000,
            step in 1i64..5, deduction in 1i64..300,
        ) {
            let rules = rules();
            let args = [r(i128::from(step), 1), r(i128::from(deduction), 100)];
            for method in &rules.schemes()[0].methods {
                agrees(method, r(i128::from(target), 100), r(i128::from(points), 100), &args, r(i128::from(actual), 100));
            }
        }
    }
}
