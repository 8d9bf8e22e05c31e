//! Resolving names in expressions, and checking their kinds and units.

use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::Problem;
use crate::exact::Ratio;
use crate::messages::{Lang, Word};
use crate::model::{self, Unit};
use crate::span::{Name, Span, Spanned};
use crate::syntax::ast::{self, BinaryOp, ExprKind, Variable};

use super::codes;
use crate::suggest::closest;

/// What names an expression may use.
pub enum Scope<'a> {
    /// A scheme method: `actual`, `target`, `points` and its parameters.
    Method { params: &'a [Name] },
    /// A derived actual or an `expect`: figures and other indicators' actuals.
    Project(&'a ProjectNames<'a>),
}

/// The names a project's expressions may use: its figures and its indicators
/// (with their targets' units), each found by its name in one lookup — a
/// project of 10⁵ indicators resolves its expressions without scanning them.
pub struct ProjectNames<'a> {
    figures: &'a [model::Figure],
    indicators: &'a [(Name, Option<Unit>)],
    figure_at: HashMap<&'a str, usize>,
    indicator_at: HashMap<&'a str, usize>,
}

impl<'a> ProjectNames<'a> {
    pub fn new(figures: &'a [model::Figure], indicators: &'a [(Name, Option<Unit>)]) -> Self {
        // The first declaration of a name wins; a second is the checker's `duplicate`.
        let mut figure_at = HashMap::with_capacity(figures.len());
        for (i, f) in figures.iter().enumerate() {
            figure_at.entry(f.name.node.as_str()).or_insert(i);
        }
        let mut indicator_at = HashMap::with_capacity(indicators.len());
        for (i, (id, _)) in indicators.iter().enumerate() {
            indicator_at.entry(id.node.as_str()).or_insert(i);
        }
        ProjectNames { figures, indicators, figure_at, indicator_at }
    }
}

/// The dimension of a numeric value: a plain number, a rate (a percent, or
/// a quotient of like quantities), a value in a unit, or a literal that fits
/// any of them. A plain number never meets a rate: `>= 1` against
/// `全年执行数 / 到位资金` would read 100% as 1 and 99% as 0.99 of a point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dim {
    Any,
    Plain,
    Rate,
    Unit(String),
}

impl Dim {
    pub fn of(unit: &Unit) -> Dim {
        match unit {
            Unit::None => Dim::Plain,
            Unit::Percent => Dim::Rate,
            Unit::Named { name, .. } | Unit::Per { name } => Dim::Unit(name.clone()),
            Unit::DaysLate | Unit::Missing => Dim::Unit(unit.label().unwrap_or_default().to_string()),
        }
    }

    /// The words for this dimension, English and Chinese: a unit's name as written.
    pub fn describe(&self) -> (String, String) {
        let word = match self {
            Dim::Any | Dim::Plain => Word::PlainNumber,
            Dim::Rate => Word::PercentOrRatio,
            Dim::Unit(u) => return (u.clone(), u.clone()),
        };
        (word.text(Lang::En).into(), word.text(Lang::Zh).into())
    }

    /// Whether a value of this dimension can stand where `other` is expected.
    pub fn fits(&self, other: &Dim) -> bool {
        matches!((self, other), (Dim::Any, _) | (_, Dim::Any)) || self == other
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Number(Dim),
    Condition,
}

pub struct Resolver<'a> {
    pub scope: Scope<'a>,
    pub problems: &'a mut Vec<Problem>,
    /// Indicators the expression reads, for cycle detection.
    pub uses_indicators: Vec<(usize, Span)>,
    pub uses_figures: Vec<usize>,
}

impl<'a> Resolver<'a> {
    pub fn new(scope: Scope<'a>, problems: &'a mut Vec<Problem>) -> Self {
        Resolver { scope, problems, uses_indicators: Vec::new(), uses_figures: Vec::new() }
    }

    /// Resolves a numeric expression.
    pub fn number(&mut self, expr: &ast::Expr) -> Option<(model::Expr, Dim)> {
        let (resolved, kind) = self.resolve(expr)?;
        match kind {
            Kind::Number(dim) => Some((resolved, dim)),
            Kind::Condition => {
                self.problems.push(Problem::error(codes::NOT_A_NUMBER).at(expr.span));
                None
            }
        }
    }

    /// Resolves a condition (a comparison).
    pub fn condition(&mut self, expr: &ast::Expr) -> Option<model::Expr> {
        let (resolved, kind) = self.resolve(expr)?;
        match kind {
            Kind::Condition => Some(resolved),
            Kind::Number(_) => {
                self.problems.push(Problem::error(codes::NOT_A_CONDITION).at(expr.span));
                None
            }
        }
    }

    fn resolve(&mut self, expr: &ast::Expr) -> Option<(model::Expr, Kind)> {
        let span = expr.span;
        let wrap = |kind: model::ExprKind| Spanned::new(kind, span);
        match &expr.node {
            ExprKind::Number { value, text, .. } => Some((
                wrap(model::ExprKind::Const { value: Ratio::from_decimal(*value), text: text.clone() }),
                Kind::Number(Dim::Any),
            )),
            ExprKind::Variable(v) => match self.scope {
                Scope::Method { .. } => {
                    let kind = match v {
                        Variable::Actual => model::ExprKind::Actual,
                        Variable::Target => model::ExprKind::Target,
                        Variable::Points => model::ExprKind::Points,
                    };
                    Some((wrap(kind), Kind::Number(Dim::Any)))
                }
                Scope::Project(_) => {
                    let name = match v {
                        Variable::Actual => "actual",
                        Variable::Target => "target",
                        Variable::Points => "points",
                    };
                    self.problems.push(Problem::error(codes::VARIABLE_OUTSIDE_METHOD).arg("name", name).at(span));
                    None
                }
            },
            ExprKind::Name(name) => self.name(name, span),
            ExprKind::Negate(inner) => {
                let (inner, dim) = self.number(inner)?;
                Some((wrap(model::ExprKind::Negate(Box::new(inner))), Kind::Number(dim)))
            }
            ExprKind::Binary(op, left, right) => {
                let l = self.number(left);
                let r = self.number(right);
                let ((l, ld), (r, rd)) = (l?, r?);
                if *op == BinaryOp::Divide
                    && let model::ExprKind::Const { value, .. } = &r.node
                    && value.is_zero()
                {
                    self.problems.push(Problem::error(codes::DIVISION_BY_ZERO).at(right.span));
                    return None;
                }
                let dim = self.combine(*op, &ld, &rd, span)?;
                Some((wrap(model::ExprKind::Binary(*op, Box::new(l), Box::new(r))), Kind::Number(dim)))
            }
            ExprKind::Compare(op, left, right) => {
                let l = self.number(left);
                let r = self.number(right);
                let ((l, ld), (r, rd)) = (l?, r?);
                if !ld.fits(&rd) {
                    self.unlike(&ld, &rd, span);
                    return None;
                }
                Some((wrap(model::ExprKind::Compare(*op, Box::new(l), Box::new(r))), Kind::Condition))
            }
            ExprKind::If(c, a, b) => {
                let c = self.condition(c);
                let a = self.number(a);
                let b = self.number(b);
                let (c, (a, ad), (b, bd)) = (c?, a?, b?);
                let dim = match (&ad, &bd) {
                    (Dim::Any, d) | (d, Dim::Any) => d.clone(),
                    _ if ad == bd => ad.clone(),
                    _ => {
                        self.unlike(&ad, &bd, span);
                        return None;
                    }
                };
                Some((wrap(model::ExprKind::If(Box::new(c), Box::new(a), Box::new(b))), Kind::Number(dim)))
            }
            ExprKind::Call(function, args) => {
                let arity = function.arity();
                if !arity.allows(args.len()) {
                    self.problems.push(
                        Problem::error(codes::ARITY)
                            .arg("name", function.name())
                            .arg("expected", arity.least())
                            .arg("found", args.len())
                            .at(span),
                    );
                    return None;
                }
                let mut resolved = Vec::new();
                let mut dim = Dim::Any;
                for arg in args {
                    let (e, d) = self.number(arg)?;
                    if !d.fits(&dim) {
                        self.unlike(&dim, &d, arg.span);
                        return None;
                    }
                    if dim == Dim::Any {
                        dim = d;
                    }
                    resolved.push(e);
                }
                Some((wrap(model::ExprKind::Call(*function, resolved)), Kind::Number(dim)))
            }
        }
    }

    fn name(&mut self, name: &str, span: Span) -> Option<(model::Expr, Kind)> {
        let wrap = |kind: model::ExprKind| Spanned::new(kind, span);
        match &self.scope {
            Scope::Method { params } => {
                if let Some(i) = params.iter().position(|p| p.node == name) {
                    return Some((wrap(model::ExprKind::Param(i)), Kind::Number(Dim::Any)));
                }
                let candidates = params.iter().map(|p| p.node.as_str()).chain(["actual", "target", "points"]);
                let mut problem = Problem::error(codes::UNKNOWN_NAME).arg_noun("kind", "parameter").arg("name", name);
                if let Some(s) = closest(name, candidates) {
                    problem = problem.arg("suggestion", s).fix(span, crate::syntax::written_name(s));
                }
                self.problems.push(problem.at(span));
                None
            }
            Scope::Project(names) => {
                let ProjectNames { figures, indicators, figure_at, indicator_at } = names;
                if let Some(&i) = figure_at.get(name) {
                    self.uses_figures.push(i);
                    return Some((wrap(model::ExprKind::Figure(i)), Kind::Number(Dim::of(&figures[i].unit))));
                }
                if let Some(&i) = indicator_at.get(name) {
                    let Some(unit) = &indicators[i].1 else {
                        self.problems.push(Problem::error(codes::QUALITATIVE_IN_EXPRESSION).arg("name", name).at(span));
                        return None;
                    };
                    // A date or a list of items has no number to compute with.
                    if matches!(unit, Unit::DaysLate | Unit::Missing) {
                        self.problems.push(Problem::error(codes::DATED_IN_EXPRESSION).arg("name", name).at(span));
                        return None;
                    }
                    self.uses_indicators.push((i, span));
                    return Some((wrap(model::ExprKind::Indicator(i)), Kind::Number(Dim::of(unit))));
                }
                let candidates = figures
                    .iter()
                    .map(|f| f.name.node.as_str())
                    .chain(indicators.iter().map(|(id, _)| id.node.as_str()));
                let mut problem =
                    Problem::error(codes::UNKNOWN_NAME).arg_noun("kind", "figure or indicator").arg("name", name);
                if let Some(s) = closest(name, candidates) {
                    problem = problem.arg("suggestion", s).fix(span, crate::syntax::written_name(s));
                }
                self.problems.push(problem.at(span));
                None
            }
        }
    }

    fn combine(&mut self, op: BinaryOp, l: &Dim, r: &Dim, span: Span) -> Option<Dim> {
        use Dim::{Any, Plain, Rate, Unit};
        let dim = match (op, l, r) {
            (BinaryOp::Add | BinaryOp::Subtract, Any, d) | (BinaryOp::Add | BinaryOp::Subtract, d, Any) => d.clone(),
            (BinaryOp::Add | BinaryOp::Subtract, a, b) if a == b => a.clone(),
            // A quantity scaled by a number or a rate keeps its unit.
            (BinaryOp::Multiply, Unit(u), Any | Plain | Rate) | (BinaryOp::Multiply, Any | Plain | Rate, Unit(u)) => {
                Unit(u.clone())
            }
            (BinaryOp::Multiply, Any, d) | (BinaryOp::Multiply, d, Any) => d.clone(),
            (BinaryOp::Multiply, Plain, Plain) => Plain,
            (BinaryOp::Multiply, Rate, Rate | Plain) | (BinaryOp::Multiply, Plain, Rate) => Rate,
            // Like over like is a rate: 万元 / 万元, 户 / 户, number / number.
            (BinaryOp::Divide, Unit(a), Unit(b)) if a == b => Rate,
            // A cost per unit: 万元 / 人次 is 万元/人次; and back, 万元/人次 × 人次 is 万元.
            (BinaryOp::Divide, Unit(a), Unit(b)) if !a.contains('/') && !b.contains('/') => Unit(format!("{a}/{b}")),
            (BinaryOp::Multiply, Unit(per), Unit(b)) | (BinaryOp::Multiply, Unit(b), Unit(per))
                if per.strip_suffix(b.as_str()).and_then(|a| a.strip_suffix('/')).is_some_and(|a| !a.is_empty()) =>
            {
                Unit(per[..per.len() - b.len() - 1].to_string())
            }
            (BinaryOp::Divide, Plain, Plain) | (BinaryOp::Divide, Rate, Rate) => Rate,
            (BinaryOp::Divide, Unit(u), Any | Plain | Rate) => Unit(u.clone()),
            (BinaryOp::Divide, d, Any) => d.clone(),
            (BinaryOp::Divide, Any, Plain | Rate) => Plain,
            (BinaryOp::Divide, Rate, Plain) => Rate,
            (BinaryOp::Divide, Plain, Rate) => Plain,
            _ => {
                let ((left_en, left_zh), (right_en, right_zh)) = (l.describe(), r.describe());
                self.problems.push(
                    Problem::error(codes::UNIT_ARITHMETIC)
                        .arg_in("left", left_en, left_zh)
                        .arg_in("right", right_en, right_zh)
                        .arg("op", op.symbol())
                        .at(span),
                );
                return None;
            }
        };
        Some(dim)
    }

    fn unlike(&mut self, a: &Dim, b: &Dim, span: Span) {
        let ((left_en, left_zh), (right_en, right_zh)) = (a.describe(), b.describe());
        self.problems.push(
            Problem::error(codes::UNIT_ARITHMETIC)
                .arg_in("left", left_en, left_zh)
                .arg_in("right", right_en, right_zh)
                .arg("op", "~")
                .at(span),
        );
    }
}
