//! What each built-in function of the rule language computes, three ways:
//! on exact numbers (scoring), on intervals (the checker's proof that a
//! method stays within its points) and piece by piece (the exact
//! full-points solver). Every match here is on [`Function`] with no
//! catch-all, so a new function does not compile until it says all three.
//! Its spellings and arity are in `syntax::ast::Function`, its keyword in
//! the grammar's `function` rule.

use super::CompareOp;
use super::expr::{self, Env, Failure};
use super::method::Interval;
use super::threshold::{Fixed, Frac, Stretch, Value, compare, pick, pieces};
use super::{Expr, Function};
use crate::exact::Ratio;

/// The function on exact numbers. Arguments are evaluated in order, with
/// no collecting into a Vec: batch scoring calls this per record.
pub fn exact(f: Function, args: &[Expr], env: &Env, at: &Expr) -> Result<Ratio, Failure> {
    exact_with(f, args, at, |a| expr::number(a, env))
}

/// [`exact`], each argument's value given by `number` (batch scoring reads
/// a specialised body at one actual without building an environment).
pub fn exact_with(
    f: Function,
    args: &[Expr],
    at: &Expr,
    number: impl Fn(&Expr) -> Result<Ratio, Failure>,
) -> Result<Ratio, Failure> {
    let arg = |i: usize| args.get(i).ok_or(Failure::NeedsData).and_then(&number);
    match f {
        Function::Abs => arg(0)?.abs().map_err(|e| Failure::Arith(e, at.span)),
        Function::Min | Function::Max => {
            let mut best = arg(0)?;
            for a in &args[1..] {
                let x = number(a)?;
                if (f == Function::Min && x < best) || (f == Function::Max && x > best) {
                    best = x;
                }
            }
            Ok(best)
        }
        Function::Floor => Ok(floor(arg(0)?)),
        Function::Ceil => ceil(arg(0)?).map_err(|e| Failure::Arith(e, at.span)),
        Function::Clamp => {
            let (x, lo, hi) = (arg(0)?, arg(1)?, arg(2)?);
            Ok(if x < lo {
                lo
            } else if x > hi {
                hi
            } else {
                x
            })
        }
    }
}

/// The function on sets of numbers: everything it can give when each
/// argument is anywhere in its interval.
pub fn interval(f: Function, args: &[Interval]) -> Interval {
    let Some((&first, rest)) = args.split_first() else { return Interval::EVERYTHING };
    match f {
        Function::Abs => first.abs(),
        Function::Min => rest.iter().fold(first, |m, x| m.min(*x)),
        Function::Max => rest.iter().fold(first, |m, x| m.max(*x)),
        Function::Clamp => match rest {
            [lo, hi] => first.clamp(*lo, *hi),
            _ => Interval::EVERYTHING,
        },
        // Step functions are non-decreasing: the ends' steps bound every step between.
        Function::Floor => first.monotone(|r| Some(floor(r))),
        Function::Ceil => first.monotone(|r| ceil(r).ok()),
    }
}

/// The function on a stretch of actuals, as pieces in order of the actual
/// on each of which it is one linear-fractional formula; `None` when it
/// cannot be said that way.
pub(super) fn split(f: Function, args: &[Expr], s: Stretch, k: &Fixed) -> Option<Vec<(Stretch, Value)>> {
    let number = |v: Value| match v {
        Value::Number(x) => Some(x),
        Value::Truth(_) => None,
    };
    let truth = |v: Value| match v {
        Value::Truth(t) => Some(t),
        Value::Number(_) => None,
    };
    match f {
        Function::Abs => {
            let mut out = Vec::new();
            for (piece, value) in pieces(args.first()?, s, k)? {
                let v = number(value)?;
                out.extend(pick(piece, v, v.neg()?, true)?);
            }
            Some(out)
        }
        Function::Min | Function::Max => {
            let larger = f == Function::Max;
            let (first, rest) = args.split_first()?;
            let mut acc = pieces(first, s, k)?;
            for next in rest {
                let mut out = Vec::new();
                for (piece, value) in acc {
                    let x = number(value)?;
                    for (inner, other) in pieces(next, piece, k)? {
                        out.extend(pick(inner, x, number(other)?, larger)?);
                    }
                }
                acc = out;
            }
            Some(acc)
        }
        // Constant pieces stay one piece; a piece on which the argument
        // moves is a staircase, left to the caller's search of actuals.
        Function::Floor | Function::Ceil => {
            let mut out = Vec::new();
            for (piece, value) in pieces(args.first()?, s, k)? {
                let v = number(value)?.constant()?;
                let stepped = if f == Function::Floor { floor(v) } else { ceil(v).ok()? };
                out.push((piece, Value::Number(Frac::constant_of(stepped))));
            }
            Some(out)
        }
        Function::Clamp => {
            // As `exact` reads it: below `lo` it is `lo`, else above `hi` it is
            // `hi`, else `x` — which is not `min(max(x, lo), hi)` when lo > hi.
            let [x, lo, hi] = args else { return None };
            let mut out = Vec::new();
            for (piece, value) in pieces(x, s, k)? {
                let v = number(value)?;
                for (inner, low) in pieces(lo, piece, k)? {
                    let low = number(low)?;
                    for (part, below) in compare(CompareOp::Less, inner, v, low)? {
                        if truth(below)? {
                            out.push((part, Value::Number(low)));
                            continue;
                        }
                        for (last, high) in pieces(hi, part, k)? {
                            let high = number(high)?;
                            for (end, above) in compare(CompareOp::Greater, last, v, high)? {
                                out.push((end, Value::Number(if truth(above)? { high } else { v })));
                            }
                        }
                    }
                }
            }
            Some(out)
        }
    }
}

/// The greatest whole number not above `r`.
fn floor(r: Ratio) -> Ratio {
    Ratio::from_int(r.numer().div_euclid(r.denom()))
}

/// The least whole number not below `r`.
fn ceil(r: Ratio) -> Result<Ratio, crate::exact::ArithError> {
    floor(r.checked_neg()?).checked_neg()
}
