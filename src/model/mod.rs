//! The validated rulebook: the only thing evaluation accepts.
//!
//! Names are resolved to positions and constants converted once, so a model
//! can be evaluated again and again without looking up a string.

pub mod admit;
pub mod expr;
mod function;
pub mod kernel;
pub mod method;
pub mod plan;
pub mod threshold;

use std::ops::Range;

use rust_decimal::Decimal;

use crate::exact::Ratio;
use crate::source::Sources;
use crate::span::{Name, Span, Spanned};
pub use crate::syntax::ast::{BinaryOp, CompareOp, Direction, Function, UnitKind};

/// Methods of every shape the scoring core treats apart, for the tests of
/// the tree walk and of the kernels: compiled ones, ones that divide by the
/// actual, a staircase.
#[cfg(test)]
pub(crate) const SAMPLE_METHODS: &str = "scheme S { total 10
    method proportional = if actual >= target then points else points * actual / target
    method inverse = if actual <= target then points else if target == 0 then 0 else points * target / actual
    method per_unit(step, deduction) = max(points - max(target - actual, 0) / step * deduction, 0)
    method bands = if actual >= target then points else if actual >= target * 0.8 then points * 0.6 else 0
    method ratio = points * min(actual / target, 1)
    method divides = if actual == 0 then points else min(points, points * target / actual)
    method clamped = clamp(points * actual / (target / 2 + 1), 0, points)
    method strict = if actual > target then points else 0
    method distance = points - min(abs(actual - target), points)
    method rounded = min(floor(actual / target * 10) / 10 * points, points)
}";

/// Rule files that passed the checker. Only [`crate::check`] can build one.
#[derive(Debug, Clone)]
pub struct CheckedRules {
    pub(crate) sources: Sources,
    pub(crate) schemes: Vec<Scheme>,
    pub(crate) projects: Vec<Project>,
    pub(crate) tests: Vec<Test>,
    /// Each project's position by name, with its year: a bureau's year has
    /// thousands of projects, each data file looks its own up.
    by_name: foldhash::HashMap<String, Vec<(i64, usize)>>,
    /// Which rules these are, for what is worked out once per rules
    /// (`eval::Shared`): every set built gets its own (a clone, the same
    /// rules, keeps it).
    pub(crate) identity: u64,
}

/// A test of the rules (`test "…" { … }`), resolved against its project.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: Spanned<String>,
    pub span: Span,
    /// The project's position in [`CheckedRules::projects`].
    pub project: usize,
    /// A data file to start from, resolved against the test's file.
    pub data: Option<Spanned<std::path::PathBuf>>,
    /// Points and targets for this test only: (indicator, value).
    pub points: Vec<(usize, Spanned<Decimal>)>,
    pub targets: Vec<(usize, Direction, Spanned<Decimal>)>,
    pub givens: Vec<TestGiven>,
    pub expectations: Vec<Expectation>,
    /// A scheme's own test scores a project made for it (see
    /// `check::tests::scheme_project`); `project` is then not an index.
    pub synthetic: Option<Box<Project>>,
}

#[derive(Debug, Clone)]
pub struct TestGiven {
    pub what: crate::syntax::ast::Given,
    pub name: Name,
    pub value: Spanned<crate::syntax::ast::TestValue>,
}

/// `score 日常监管巡查 should be 2.76 within 0.01`.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub subject: crate::syntax::ast::Subject,
    pub expected: crate::syntax::ast::Expected,
    pub within: Option<Decimal>,
    pub span: Span,
}

impl CheckedRules {
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    pub fn schemes(&self) -> &[Scheme] {
        &self.schemes
    }

    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    pub fn tests(&self) -> &[Test] {
        &self.tests
    }

    /// The same rules with a test's points and targets in place, and the
    /// project a scheme's test scores; the test's project's place in them.
    pub fn with_overrides(&self, test: &Test) -> (CheckedRules, usize) {
        let mut rules = self.clone();
        let index = match &test.synthetic {
            Some(project) => {
                rules.projects.push((**project).clone());
                rules.index_project(rules.projects.len() - 1);
                rules.projects.len() - 1
            }
            None => test.project,
        };
        let test = Test { project: index, ..test.clone() };
        let test = &test;
        if let Some(project) = rules.projects.get_mut(test.project) {
            for (i, points) in &test.points {
                project.indicators[*i].points.node = points.node;
            }
            let defaults = self.schemes[project.scheme].defaults;
            for (i, direction, value) in &test.targets {
                let indicator = &mut project.indicators[*i];
                if let Target::Numeric { direction: d, value: v, .. } = &mut indicator.target {
                    *d = *direction;
                    *v = value.node;
                }
                // A method the rule did not name is the scheme's default for the new direction.
                let slot = match direction {
                    Direction::AtLeast => 0,
                    Direction::AtMost => 1,
                    // `=` is refused by the checker before a test can run.
                    Direction::Exactly | Direction::Assign => 2,
                };
                if let Scoring::Method { method, explicit: false, .. } = &mut indicator.scoring
                    && let Some(default) = defaults[slot]
                {
                    *method = default;
                }
            }
        }
        (rules, index)
    }

    pub fn scheme_of(&self, project: &Project) -> &Scheme {
        // The checker only builds projects whose scheme index is valid.
        &self.schemes[project.scheme.min(self.schemes.len().saturating_sub(1))]
    }

    /// The project a data file names, by name and year (the first so declared).
    pub fn find_project(&self, name: &str, year: i64) -> Option<usize> {
        self.by_name.get(name)?.iter().find(|(y, _)| *y == year).map(|(_, i)| *i)
    }

    pub(crate) fn new(sources: Sources, schemes: Vec<Scheme>, projects: Vec<Project>, tests: Vec<Test>) -> Self {
        static BUILT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let identity = BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut rules = CheckedRules { sources, schemes, projects, tests, by_name: Default::default(), identity };
        for index in 0..rules.projects.len() {
            rules.index_project(index);
        }
        rules
    }

    fn index_project(&mut self, index: usize) {
        let project = &self.projects[index];
        self.by_name.entry(project.name.node.clone()).or_default().push((i64::from(project.year.node), index));
    }
}

#[derive(Debug, Clone)]
pub struct Scheme {
    pub name: Name,
    pub total: Spanned<Decimal>,
    pub rounding: Rounding,
    pub units: Vec<(Name, UnitKind)>,
    pub methods: Vec<Method>,
    /// The default method for `>=`, `<=` and `==`.
    pub defaults: [Option<usize>; 3],
    /// The default method for deadlines (`default by on_time`).
    pub deadline_default: Option<usize>,
    pub levels: Vec<Level>,
    pub grades: Vec<Grade>,
    /// Words that mean a numeric target was met (`met "完成"`): scored as the target.
    pub met: Vec<String>,
    /// How declared units relate (`scale 1 万元 = 10000 元`).
    pub scales: Vec<Scale>,
    /// Questions to ask of every record (`review reason`), in written order.
    pub reviews: Vec<Spanned<Review>>,
}

/// A review rule: legal but worth a question — a warning in `eval`, a
/// finding in `audit`, never a refusal. Percents as fractions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// A score below full points needs a reason (偏差原因) in the data.
    Reason,
    /// A qualitative target claimed in full needs evidence text.
    Evidence,
    /// An actual at or above `k` times its `>=` target: a target set too low.
    Overshoot(Ratio),
    /// A percent actual above this (a satisfaction or pass rate over 100%).
    Above(Ratio),
    /// A deviation beyond ± this.
    Deviation(Ratio),
    /// Budget execution below this needs a reason.
    Budget(Ratio),
}

impl Review {
    /// The code of what it finds.
    pub fn code(self) -> &'static str {
        match self {
            Review::Reason => "jixiao::review::reason",
            Review::Evidence => "jixiao::review::evidence",
            Review::Overshoot(_) => "jixiao::review::target_low",
            Review::Above(_) => "jixiao::review::above",
            Review::Deviation(_) => "jixiao::review::deviation",
            Review::Budget(_) => "jixiao::review::budget",
        }
    }

    /// As a rule file writes it, in English: `actual > 100%`.
    pub fn text(self) -> String {
        let percent = |r: Ratio| match r.checked_mul(Ratio::from_int(100)) {
            Ok(p) => format!("{}%", Ratio::canonical(p)),
            Err(_) => Ratio::canonical(r),
        };
        match self {
            Review::Reason => "reason".into(),
            Review::Evidence => "evidence".into(),
            Review::Overshoot(k) => format!("actual >= {} × target", Ratio::canonical(k)),
            Review::Above(x) => format!("actual > {}", percent(x)),
            Review::Deviation(x) => format!("deviation > {}", percent(x)),
            Review::Budget(x) => format!("budget < {}", percent(x)),
        }
    }

    /// Whether it reads texts the data file gives (reasons, evidence),
    /// which batch records do not carry.
    pub fn reads_texts(self) -> bool {
        matches!(self, Review::Reason | Review::Evidence | Review::Budget(_))
    }
}

/// Steps to round to; `None` keeps the exact value.
#[derive(Debug, Clone, Default)]
pub struct Rounding {
    pub score: Option<Ratio>,
    pub rate: Option<Ratio>,
    pub deviation: Option<Ratio>,
}

#[derive(Debug, Clone)]
pub struct Method {
    pub name: Name,
    pub params: Vec<Name>,
    pub body: Expr,
    /// The source text of the body, for explanations.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Level {
    pub name: Name,
    pub fraction: LevelFraction,
    /// Words a report may print for this level.
    pub printed: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelFraction {
    Fixed(Ratio),
    Range { low: Ratio, low_closed: bool, high: Ratio, high_closed: bool },
}

impl LevelFraction {
    /// A fraction the level admits, for help: a range's middle, to a whole
    /// percent where that stays inside (`[80%, 100%]` → 90%).
    pub fn example(self) -> Ratio {
        match self {
            LevelFraction::Fixed(x) => x,
            LevelFraction::Range { low, high, .. } => {
                let middle = low.checked_add(high).and_then(|s| s.checked_div(Ratio::from_int(2))).unwrap_or(low);
                let whole = Ratio::new(1, 100).and_then(|step| middle.round_to(step)).unwrap_or(middle);
                if self.contains(whole) { whole } else { middle }
            }
        }
    }

    pub fn contains(self, f: Ratio) -> bool {
        match self {
            LevelFraction::Fixed(x) => f == x,
            LevelFraction::Range { low, low_closed, high, high_closed } => {
                (if low_closed { f >= low } else { f > low }) && (if high_closed { f <= high } else { f < high })
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub name: Name,
    /// The lowest total or rate with this grade; `None` for `otherwise`.
    pub min: Option<Bound>,
}

/// `1 from = factor to`.
#[derive(Debug, Clone)]
pub struct Scale {
    pub from: String,
    pub to: String,
    pub factor: Ratio,
}

impl Scheme {
    /// What a value in `from` is multiplied by to be in `to`: by a declared
    /// scale either way, and part by part for a unit per unit
    /// (万元/人次 → 元/人次 is 万元 → 元 over 人次 → 人次).
    pub fn conversion(&self, from: &str, to: &str) -> Option<Ratio> {
        if from == to {
            return Some(Ratio::ONE);
        }
        if let (Some((a, b)), Some((c, d))) = (from.split_once('/'), to.split_once('/')) {
            return self.conversion(a, c)?.checked_div(self.conversion(b, d)?).ok();
        }
        self.scales.iter().find_map(|s| match (s.from == from && s.to == to, s.from == to && s.to == from) {
            (true, _) => Some(s.factor),
            (_, true) => Ratio::ONE.checked_div(s.factor).ok(),
            _ => None,
        })
    }
}

/// A grade's lower bound: on the total in points, or on the score rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Points(Ratio),
    Rate(Ratio),
}

impl Bound {
    /// The lowest total this bound admits, out of `total` points.
    pub fn points_of(self, total: Ratio) -> Result<Ratio, crate::exact::ArithError> {
        match self {
            Bound::Points(p) => Ok(p),
            Bound::Rate(r) => r.checked_mul(total),
        }
    }

    /// As the rule file writes it: `90` or `90%`.
    pub fn text(self) -> String {
        match self {
            Bound::Points(p) => Ratio::canonical(p),
            Bound::Rate(r) => match r.checked_mul(Ratio::from_int(100)) {
                Ok(p) => format!("{}%", Ratio::canonical(p)),
                Err(_) => Ratio::canonical(r),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    pub name: Name,
    pub year: Spanned<i32>,
    pub organization: Option<String>,
    pub goal: Option<String>,
    /// Where an imported table was submitted: its points are as printed, and
    /// where they do not add up the checker warns instead of refusing.
    pub submitted: Option<String>,
    pub scheme: usize,
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
    pub indicators: Vec<Indicator>,
    pub budget: Option<usize>,
    pub expects: Vec<Expr>,
    /// Derived actuals in an order where each comes after what it uses.
    pub derived_order: Vec<usize>,
}

impl Project {
    pub fn indicator(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id.node == id)
    }
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub name: Name,
    pub unit: Unit,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub name: Name,
    pub points: Spanned<Decimal>,
    /// Scored and printed, but counted apart from the total (`apart`).
    pub apart: bool,
    pub indicators: Range<usize>,
    /// Its groups that have points of their own (`group 数量指标 points 20`).
    pub groups: Vec<Group>,
}

/// A second-level indicator (二级指标) with points of its own.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: Name,
    pub points: Spanned<Decimal>,
    /// Its indicators, a run inside the section's.
    pub indicators: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: Name,
    /// The official wording; the id when none is written.
    pub wording: String,
    pub group: Option<Name>,
    pub section: usize,
    pub target: Target,
    pub points: Spanned<Decimal>,
    pub scoring: Scoring,
    /// A derived actual; `None` when the data reports it.
    pub derived: Option<Expr>,
    /// The derived actual's formula as written, for explanations.
    pub derived_text: Option<String>,
    pub renamed_from: Option<Name>,
    /// A deadline (`target by 2019-12-31`): the target is then `<= 0` days
    /// late, and the data's date is read as the days after it.
    pub deadline: Option<crate::date::Date>,
    /// A checklist's items (`target checklist deduct 0.5 { … }`): the
    /// target is then `<= 0` items missing.
    pub checklist: Vec<ChecklistItem>,
}

#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub id: Name,
    /// The official wording; the id when none is written.
    pub wording: String,
}

impl Indicator {
    /// A deadline's or a checklist's target in the rule file's words
    /// (`by 2019-12-31`, `checklist 制度, 台账`); `None` for other targets.
    pub fn dated_or_listed(&self) -> Option<String> {
        if let Some(date) = self.deadline {
            return Some(format!("by {date}"));
        }
        if self.checklist.is_empty() {
            return None;
        }
        let items: Vec<String> = self
            .checklist
            .iter()
            .map(
                |i| if i.wording == i.id.node { i.id.node.clone() } else { format!("{} \"{}\"", i.id.node, i.wording) },
            )
            .collect();
        Some(format!("checklist {}", items.join(", ")))
    }

    pub fn unit(&self) -> Option<&Unit> {
        match &self.target {
            Target::Numeric { unit, .. } => Some(unit),
            Target::Level { .. } => None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Target {
    Numeric { direction: Direction, value: Decimal, unit: Unit, span: Span },
    Level { level: usize, printed: Option<String>, span: Span },
}

#[derive(Debug, Clone)]
pub enum Scoring {
    /// A scheme method, with its arguments; `explicit` when the indicator named it.
    Method { method: usize, args: Vec<Ratio>, explicit: bool },
    /// Points × the level's fraction.
    Level,
    /// Points less `deduct` for each checklist item missing, never below 0.
    Checklist { deduct: Ratio },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A plain number.
    None,
    Percent,
    Named {
        name: String,
        kind: UnitKind,
    },
    /// A quantity per unit (`万元/人次`): not negative, not whole.
    Per {
        name: String,
    },
    /// Days after a deadline (0 when on time): read from a date.
    DaysLate,
    /// Checklist items missing: read from the items met.
    Missing,
}

impl Unit {
    pub fn label(&self) -> Option<&str> {
        match self {
            Unit::None => None,
            Unit::Percent => Some("%"),
            Unit::Named { name, .. } | Unit::Per { name } => Some(name),
            Unit::DaysLate => Some("天"),
            Unit::Missing => Some("项"),
        }
    }
}

pub type Expr = Spanned<ExprKind>;

/// A resolved expression: every name is a position.
#[derive(Debug, Clone)]
pub enum ExprKind {
    Const { value: Ratio, text: String },
    Actual,
    Target,
    Points,
    Param(usize),
    Figure(usize),
    Indicator(usize),
    Negate(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
}

impl ExprKind {
    /// Whether two expressions are the same computation (spans aside).
    pub fn same(&self, other: &ExprKind) -> bool {
        use ExprKind as E;
        match (self, other) {
            (E::Const { value: a, .. }, E::Const { value: b, .. }) => a == b,
            (E::Actual, E::Actual) | (E::Target, E::Target) | (E::Points, E::Points) => true,
            (E::Param(a), E::Param(b)) | (E::Figure(a), E::Figure(b)) | (E::Indicator(a), E::Indicator(b)) => a == b,
            (E::Negate(a), E::Negate(b)) => a.node.same(&b.node),
            (E::Binary(o, a, b), E::Binary(p, c, d)) => o == p && a.node.same(&c.node) && b.node.same(&d.node),
            (E::Compare(o, a, b), E::Compare(p, c, d)) => o == p && a.node.same(&c.node) && b.node.same(&d.node),
            (E::If(a, b, c), E::If(d, e, f)) => a.node.same(&d.node) && b.node.same(&e.node) && c.node.same(&f.node),
            (E::Call(f, a), E::Call(g, b)) => {
                f == g && a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.node.same(&y.node))
            }
            _ => false,
        }
    }
}

/// Writes an expression in one canonical form: English keywords, `*` and
/// `/`, constants as plain decimals, parentheses only where needed. Two
/// expressions that differ only in layout, comments or keyword language
/// read the same.
pub fn canonical_text(expr: &Expr, params: &[Name], figures: &[Figure], indicators: &[Indicator]) -> String {
    fn go(e: &Expr, outer: u8, ctx: &(&[Name], &[Figure], &[Indicator])) -> String {
        let own = precedence(&e.node);
        let text = match &e.node {
            ExprKind::Const { value, .. } => {
                value.to_decimal(28).map(|d| d.normalize().to_string()).unwrap_or_else(|_| format!("{value:?}"))
            }
            ExprKind::Actual => "actual".into(),
            ExprKind::Target => "target".into(),
            ExprKind::Points => "points".into(),
            ExprKind::Param(i) => ctx.0.get(*i).map(|n| n.node.clone()).unwrap_or_default(),
            ExprKind::Figure(i) => ctx.1.get(*i).map(|f| f.name.node.clone()).unwrap_or_default(),
            ExprKind::Indicator(i) => ctx.2.get(*i).map(|n| n.id.node.clone()).unwrap_or_default(),
            ExprKind::Negate(a) => format!("-{}", go(a, own, ctx)),
            ExprKind::Binary(op, a, b) => {
                let symbol = match op {
                    BinaryOp::Add => "+",
                    BinaryOp::Subtract => "-",
                    BinaryOp::Multiply => "*",
                    BinaryOp::Divide => "/",
                };
                let right = own + u8::from(matches!(op, BinaryOp::Subtract | BinaryOp::Divide));
                format!("{} {symbol} {}", go(a, own, ctx), go(b, right, ctx))
            }
            ExprKind::Compare(op, a, b) => format!("{} {} {}", go(a, own + 1, ctx), op.symbol(), go(b, own + 1, ctx)),
            ExprKind::If(c, a, b) => format!("if {} then {} else {}", go(c, 0, ctx), go(a, 0, ctx), go(b, 0, ctx)),
            ExprKind::Call(f, args) => {
                format!("{}({})", f.name(), args.iter().map(|a| go(a, 0, ctx)).collect::<Vec<_>>().join(", "))
            }
        };
        if own < outer { format!("({text})") } else { text }
    }
    go(expr, 0, &(params, figures, indicators))
}

/// A rule's source text on one line, without comments, for explanations.
pub fn rule_text(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map(|i| &after[i..]).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map(|i| &after[i + 2..]).unwrap_or("");
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How tightly an expression binds, for writing it with the fewest parentheses.
pub fn precedence(e: &ExprKind) -> u8 {
    match e {
        ExprKind::If(..) => 0,
        ExprKind::Compare(..) => 1,
        ExprKind::Binary(BinaryOp::Add | BinaryOp::Subtract, ..) => 2,
        ExprKind::Binary(BinaryOp::Multiply | BinaryOp::Divide, ..) => 3,
        ExprKind::Negate(_) => 4,
        _ => 5,
    }
}

/// Calls `f` on an expression and every expression inside it, outermost first.
pub fn walk(expr: &Expr, f: &mut impl FnMut(&Expr)) {
    f(expr);
    match &expr.node {
        ExprKind::Negate(a) => walk(a, f),
        ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        ExprKind::If(a, b, c) => {
            walk(a, f);
            walk(b, f);
            walk(c, f);
        }
        ExprKind::Call(_, args) => args.iter().for_each(|a| walk(a, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(low: (i128, bool), high: (i128, bool), per: i128) -> LevelFraction {
        let r = |n| Ratio::new(n, per).unwrap();
        LevelFraction::Range { low: r(low.0), low_closed: low.1, high: r(high.0), high_closed: high.1 }
    }

    #[test]
    fn a_level_example_lies_inside_its_range() {
        // It always said 70%, which a level of [80%, 100%] refuses.
        assert_eq!(range((80, true), (100, true), 100).example(), Ratio::new(90, 100).unwrap());
        assert_eq!(range((60, true), (80, false), 100).example(), Ratio::new(70, 100).unwrap());
        // (99%, 100%): no whole percent inside, so the exact middle.
        let narrow = range((99, false), (100, false), 100);
        assert!(narrow.contains(narrow.example()));
        assert_eq!(narrow.example(), Ratio::new(995, 1000).unwrap());
    }
}
