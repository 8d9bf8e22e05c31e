//! Evaluating resolved expressions exactly, and writing them out with the
//! values substituted, for explanations.

use crate::exact::{ArithError, Ratio};
use crate::model::{BinaryOp, CompareOp, Expr, ExprKind};
use crate::span::Span;

/// The values an expression can read. `None` is a value not known here
/// (the checker evaluates expressions that need no data).
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub actual: Option<Shown>,
    pub target: Option<Shown>,
    pub points: Option<Ratio>,
    pub params: &'a [Ratio],
    pub figures: &'a [Option<Shown>],
    pub indicators: &'a [Option<Shown>],
}

impl Env<'static> {
    pub const EMPTY: Env<'static> =
        Env { actual: None, target: None, points: None, params: &[], figures: &[], indicators: &[] };
}

impl<'a> Env<'a> {
    /// What a scoring method reads: the actual, the target, the points and
    /// its arguments.
    pub fn method(actual: Shown, target: Shown, points: Ratio, params: &'a [Ratio]) -> Env<'a> {
        Env { actual: Some(actual), target: Some(target), points: Some(points), params, figures: &[], indicators: &[] }
    }
}

/// A value and whether to show it as a percent.
#[derive(Clone, Copy, Debug)]
pub struct Shown {
    pub value: Ratio,
    pub percent: bool,
}

impl Shown {
    pub fn plain(value: Ratio) -> Shown {
        Shown { value, percent: false }
    }

    pub fn text(self) -> String {
        let mut text = String::new();
        self.write_to(&mut text);
        text
    }

    /// [`Shown::text`], appended to `out`.
    pub fn write_to(self, out: &mut String) {
        use std::fmt::Write;
        let _ = match self.percent.then(|| self.value.checked_mul(Ratio::from_int(100)).ok()).flatten() {
            Some(p) => write!(out, "{p}%"),
            None => write!(out, "{}", self.value),
        };
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Number(Ratio),
    Bool(bool),
}

/// Why an expression has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// It reads something not known here.
    NeedsData,
    Arith(ArithError, Span),
}

pub fn eval(expr: &Expr, env: &Env) -> Result<Value, Failure> {
    match &expr.node {
        ExprKind::Compare(..) => Ok(Value::Bool(condition(expr, env)?)),
        ExprKind::If(c, a, b) => {
            if condition(c, env)? {
                eval(a, env)
            } else {
                eval(b, env)
            }
        }
        _ => Ok(Value::Number(number(expr, env)?)),
    }
}

/// An expression's number; a comparison counts 1 when it holds, else 0
/// (the checker only lets numbers stand where numbers are expected).
/// Numbers and conditions recurse apart, with no `Value` in between:
/// batch scoring runs this per indicator and record.
pub fn number(expr: &Expr, env: &Env) -> Result<Ratio, Failure> {
    let arith = |e: ArithError| Failure::Arith(e, expr.span);
    let known = |v: Option<Shown>| v.map(|s| s.value).ok_or(Failure::NeedsData);
    match &expr.node {
        ExprKind::Const { value, .. } => Ok(*value),
        ExprKind::Actual => known(env.actual),
        ExprKind::Target => known(env.target),
        ExprKind::Points => env.points.ok_or(Failure::NeedsData),
        ExprKind::Param(i) => env.params.get(*i).copied().ok_or(Failure::NeedsData),
        ExprKind::Figure(i) => known(env.figures.get(*i).copied().flatten()),
        ExprKind::Indicator(i) => known(env.indicators.get(*i).copied().flatten()),
        ExprKind::Negate(inner) => number(inner, env)?.checked_neg().map_err(arith),
        ExprKind::Binary(op, l, r) => arithmetic(*op, number(l, env)?, number(r, env)?).map_err(arith),
        ExprKind::Compare(..) => Ok(if condition(expr, env)? { Ratio::ONE } else { Ratio::ZERO }),
        ExprKind::If(c, a, b) => {
            if condition(c, env)? {
                number(a, env)
            } else {
                number(b, env)
            }
        }
        ExprKind::Call(f, args) => super::function::exact(*f, args, env, expr),
    }
}

/// One arithmetic operation, exactly. (Inlined: scoring calls it per node.)
#[inline]
pub fn arithmetic(op: BinaryOp, l: Ratio, r: Ratio) -> Result<Ratio, crate::exact::ArithError> {
    match op {
        BinaryOp::Add => l.checked_add(r),
        BinaryOp::Subtract => l.checked_sub(r),
        BinaryOp::Multiply => l.checked_mul(r),
        BinaryOp::Divide => l.checked_div(r),
    }
}

/// Whether an expression holds; a number holds when it is not 0.
pub fn condition(expr: &Expr, env: &Env) -> Result<bool, Failure> {
    match &expr.node {
        ExprKind::Compare(op, l, r) => Ok(compare(*op, number(l, env)?, number(r, env)?)),
        ExprKind::If(c, a, b) => {
            if condition(c, env)? {
                condition(a, env)
            } else {
                condition(b, env)
            }
        }
        _ => Ok(!number(expr, env)?.is_zero()),
    }
}

pub fn compare(op: CompareOp, l: Ratio, r: Ratio) -> bool {
    match op {
        CompareOp::AtLeast => l >= r,
        CompareOp::AtMost => l <= r,
        CompareOp::Equal => l == r,
        CompareOp::NotEqual => l != r,
        CompareOp::Greater => l > r,
        CompareOp::Less => l < r,
    }
}

/// The conditions an evaluation passed through and the formula it ended in,
/// each written with values in place of names.
pub fn explain(expr: &Expr, env: &Env, names: &Names) -> (Vec<(String, bool)>, String) {
    let mut steps = Vec::new();
    let mut current = expr;
    while let ExprKind::If(c, a, b) = &current.node {
        let holds = condition(c, env).unwrap_or(false);
        steps.push((substitute(c, env, names, 0), holds));
        current = if holds { a } else { b };
    }
    (steps, substitute(current, env, names, 0))
}

/// Names to show for figures and indicators when a value is unknown.
pub struct Names<'a> {
    pub figures: &'a [String],
    pub indicators: &'a [String],
}

/// Writes `expr` with every name replaced by its value.
pub fn substitute(expr: &Expr, env: &Env, names: &Names, outer: u8) -> String {
    let mut text = String::new();
    write_substituted(expr, env, names, outer, &mut text);
    text
}

/// [`substitute`] into `out`: one string for the whole expression, not one
/// per node (traces are a fair part of evaluating a year's projects).
fn write_substituted(expr: &Expr, env: &Env, names: &Names, outer: u8, out: &mut String) {
    use std::fmt::Write;
    // An `if` shows the branch taken, in the place of the whole.
    if let ExprKind::If(c, a, b) = &expr.node {
        let taken = if condition(c, env).unwrap_or(false) { a } else { b };
        return write_substituted(taken, env, names, outer, out);
    }
    let shown = |v: Option<Shown>, name: &str, out: &mut String| match v {
        Some(v) => v.write_to(out),
        None => out.push_str(name),
    };
    let own = crate::model::precedence(&expr.node);
    if own < outer {
        out.push('(');
    }
    match &expr.node {
        ExprKind::Const { text, .. } => out.push_str(text),
        ExprKind::Actual => shown(env.actual, "actual", out),
        ExprKind::Target => shown(env.target, "target", out),
        ExprKind::Points => match env.points {
            Some(p) => {
                let _ = write!(out, "{p}");
            }
            None => out.push_str("points"),
        },
        ExprKind::Param(i) => {
            if let Some(p) = env.params.get(*i) {
                let _ = write!(out, "{p}");
            }
        }
        ExprKind::Figure(i) => {
            shown(env.figures.get(*i).copied().flatten(), names.figures.get(*i).map(String::as_str).unwrap_or("?"), out)
        }
        ExprKind::Indicator(i) => shown(
            env.indicators.get(*i).copied().flatten(),
            names.indicators.get(*i).map(String::as_str).unwrap_or("?"),
            out,
        ),
        ExprKind::Negate(inner) => {
            out.push('-');
            write_substituted(inner, env, names, own, out);
        }
        ExprKind::Binary(op, l, r) => {
            write_substituted(l, env, names, own, out);
            let _ = write!(out, " {} ", op.symbol());
            // Right operands of - and / keep their parentheses.
            let right = own + u8::from(matches!(op, BinaryOp::Subtract | BinaryOp::Divide));
            write_substituted(r, env, names, right, out);
        }
        ExprKind::Compare(op, l, r) => {
            write_substituted(l, env, names, own + 1, out);
            let _ = write!(out, " {} ", op.symbol());
            write_substituted(r, env, names, own + 1, out);
        }
        ExprKind::Call(f, args) => {
            out.push_str(f.name());
            out.push('(');
            for (k, a) in args.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_substituted(a, env, names, 0, out);
            }
            out.push(')');
        }
        ExprKind::If(..) => {} // shown above by the branch taken
    }
    if own < outer {
        out.push(')');
    }
}

/// Whether a condition that reads no data holds (`None` when it reads data).
pub fn constant_condition(condition: &Expr) -> Option<bool> {
    expect_holds(condition, &Env::EMPTY).ok()
}

/// Whether an `expect` holds. A decimal or percent literal on the right
/// compares at its printed precision: `年报率 == 87.8%` holds for 87.82%.
pub fn expect_holds(check: &Expr, env: &Env) -> Result<bool, Failure> {
    if let ExprKind::Compare(op, left, right) = &check.node
        && let ExprKind::Const { value, text } = &right.node
        && let Some(step) = printed_precision(text)
    {
        let l = number(left, env)?;
        let l = l.round_to(step).map_err(|e| Failure::Arith(e, left.span))?;
        return Ok(compare(*op, l, *value));
    }
    condition(check, env)
}

fn printed_precision(text: &str) -> Option<Ratio> {
    let percent = text.ends_with('%') || text.ends_with('％');
    let digits = text.trim_end_matches(['%', '％']);
    // Characters, not bytes: full-width digits are three bytes each.
    let places = digits.split_once(['.', '．']).map(|(_, f)| f.chars().count()).unwrap_or(0);
    if places == 0 && !percent {
        return None;
    }
    let places = u32::try_from(places).ok()? + if percent { 2 } else { 0 };
    Ratio::new(1, 10i128.checked_pow(places)?).ok()
}
