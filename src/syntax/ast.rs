//! The typed syntax tree of a rule file. Every node keeps its span.

use rust_decimal::Decimal;

use crate::span::{Name, Span, Spanned};

#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    pub uses: Vec<Spanned<String>>,
    pub schemes: Vec<Scheme>,
    pub projects: Vec<Project>,
    /// Tests of a test file (a project's own are among its items).
    pub tests: Vec<Test>,
}

/// `test "name" { … }`: what the rules must give for some figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub name: Spanned<String>,
    pub items: Vec<TestItem>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TestItem {
    Project { name: Name, year: Option<Spanned<Decimal>> },
    Data(Spanned<String>),
    Points { id: Name, points: Spanned<Decimal> },
    Target { id: Name, direction: Spanned<Direction>, quantity: Spanned<Quantity> },
    Given { what: Spanned<Given>, name: Name, value: Spanned<TestValue> },
    Should { subject: Spanned<Subject>, expected: Spanned<Expected>, within: Option<Spanned<Decimal>> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given {
    Actual,
    Figure,
    Reason,
}

/// A value a test gives: a number (a percent as its fraction), text, or a name.
#[derive(Clone, Debug, PartialEq)]
pub enum TestValue {
    Number { value: Decimal, percent: bool, text: String },
    Text(String),
    Name(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    Score(Name),
    Deviation(Name),
    Actual(Name),
    Subtotal(Name),
    Total,
    Rate,
    Grade,
    Result,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    Value(TestValue),
    Refused(Spanned<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scheme {
    pub name: Name,
    pub items: Vec<SchemeItem>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SchemeItem {
    /// A test of the scheme itself: one indicator, `指标`, worth the total.
    Test(Test),
    Total(Spanned<Decimal>),
    Unit {
        names: Vec<Name>,
        kind: Spanned<UnitKind>,
    },
    Round {
        what: Spanned<RoundWhat>,
        step: Spanned<Decimal>,
    },
    Method {
        name: Name,
        params: Vec<Name>,
        body: Expr,
    },
    Default {
        direction: Spanned<Direction>,
        method: Name,
    },
    /// `default by on_time`: the method for deadlines.
    DeadlineDefault {
        by: Span,
        method: Name,
    },
    Level {
        name: Name,
        fraction: LevelFraction,
        printed: Vec<Spanned<String>>,
    },
    Grade {
        name: Name,
        min: Option<GradeBound>,
    },
    /// Words that mean a numeric target was met.
    Met(Vec<Spanned<String>>),
    /// `scale 1 万元 = 10000 元`.
    Scale {
        from: Spanned<Quantity>,
        to: Spanned<Quantity>,
    },
    /// `review reason`: a review rule.
    Review(Spanned<Review>),
}

/// What a review rule asks of a record; percents as fractions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Review {
    /// A score below full points needs a reason.
    Reason,
    /// A qualitative target claimed in full needs evidence.
    Evidence,
    /// An actual at or above `k` times its `>=` target.
    Overshoot(Decimal),
    /// A percent actual above this.
    Above(Decimal),
    /// A deviation beyond ± this.
    Deviation(Decimal),
    /// Budget execution below this needs a reason.
    Budget(Decimal),
}

/// `>= 90` (a total in points) or `>= 90%` (a score rate, `value` 0.9).
#[derive(Clone, Debug, PartialEq)]
pub struct GradeBound {
    pub direction: Spanned<Direction>,
    pub value: Spanned<Decimal>,
    pub percent: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Count,
    Amount,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundWhat {
    Score,
    Rate,
    Deviation,
}

/// A target direction. `Assign` is `=` written where `==` was meant; the
/// checker refuses it with help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    AtLeast,
    AtMost,
    Exactly,
    Assign,
}

impl Direction {
    pub fn symbol(self) -> &'static str {
        match self {
            Direction::AtLeast => ">=",
            Direction::AtMost => "<=",
            Direction::Exactly => "==",
            Direction::Assign => "=",
        }
    }
}

/// A number as written, with its unit: `3000 台`, `97%` (value 0.97).
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Option<UnitName>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UnitName {
    Percent,
    Named(Name),
    /// `万元/人次`: a cost per unit, from two declared units.
    Per(Name, Name),
}

#[derive(Clone, Debug, PartialEq)]
pub enum LevelFraction {
    Fixed(Spanned<Quantity>),
    Range { low: Spanned<Quantity>, low_closed: bool, high: Spanned<Quantity>, high_closed: bool },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    pub name: Name,
    pub items: Vec<ProjectItem>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ProjectItem {
    Year(Spanned<Decimal>),
    Organization(Spanned<String>),
    Goal(Spanned<String>),
    Test(Test),
    /// Where the table was submitted (`submitted "…"`): an imported table as printed.
    Submitted(Spanned<String>),
    Figure {
        name: Name,
        unit: Option<Spanned<UnitName>>,
    },
    Budget(Name),
    Expect(Expr),
    Section(Section),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub name: Name,
    pub points: Spanned<Decimal>,
    /// `apart`: counted apart from the total.
    pub apart: Option<Span>,
    pub groups: Vec<Group>,
}

/// Indicators written directly in a section form a group without a name.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: Option<Name>,
    /// `points 20`: the group's own points.
    pub points: Option<Spanned<Decimal>>,
    pub indicators: Vec<Indicator>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub id: Name,
    pub wording: Option<Spanned<String>>,
    pub items: Vec<IndicatorItem>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IndicatorItem {
    Target(Spanned<Target>),
    Points(Spanned<Decimal>),
    Method { name: Name, args: Vec<Spanned<Decimal>> },
    Actual(Expr),
    Renamed(Name),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Numeric {
        direction: Spanned<Direction>,
        quantity: Spanned<Quantity>,
    },
    Level {
        level: Name,
        printed: Option<Spanned<String>>,
    },
    /// `by 2019-12-31`; `None` when the date does not exist (reported).
    Deadline {
        date: Spanned<Option<crate::date::Date>>,
    },
    /// `checklist deduct 0.5 { 制度 "制定管理办法" … }`.
    Checklist {
        deduct: Spanned<Decimal>,
        items: Vec<(Name, Option<Spanned<String>>)>,
    },
}

pub type Expr = Spanned<ExprKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal; `percent` keeps how it was written (`97%` is 0.97).
    Number {
        value: Decimal,
        percent: bool,
        text: String,
    },
    Variable(Variable),
    Name(String),
    Negate(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variable {
    Actual,
    Target,
    Points,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    AtLeast,
    AtMost,
    Equal,
    NotEqual,
    Greater,
    Less,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Min,
    Max,
    Abs,
    Clamp,
    /// The greatest whole number not above: "每超过一个百分点扣 1 分" in whole points.
    Floor,
    /// The least whole number not below.
    Ceil,
}

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    Exactly(usize),
    AtLeast(usize),
}

impl Arity {
    pub fn allows(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::AtLeast(k) => n >= k,
        }
    }

    /// The least number of arguments, as diagnostics name it.
    pub fn least(self) -> usize {
        match self {
            Arity::Exactly(k) | Arity::AtLeast(k) => k,
        }
    }
}

/// What a function computes is in `model::function`.
impl Function {
    pub const ALL: [Function; 6] =
        [Function::Min, Function::Max, Function::Abs, Function::Clamp, Function::Floor, Function::Ceil];

    /// The English and Chinese spellings; the grammar's `function` rule lists the same.
    pub fn spellings(self) -> [&'static str; 2] {
        match self {
            Function::Min => ["min", "最小"],
            Function::Max => ["max", "最大"],
            Function::Abs => ["abs", "绝对值"],
            Function::Clamp => ["clamp", "限定"],
            Function::Floor => ["floor", "向下取整"],
            Function::Ceil => ["ceil", "向上取整"],
        }
    }

    pub fn arity(self) -> Arity {
        match self {
            Function::Min | Function::Max => Arity::AtLeast(2),
            Function::Abs | Function::Floor | Function::Ceil => Arity::Exactly(1),
            Function::Clamp => Arity::Exactly(3),
        }
    }

    /// The spelling that `explain`, `diff` and canonical text print.
    pub fn name(self) -> &'static str {
        self.spellings()[0]
    }

    pub fn from_spelling(word: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.spellings().contains(&word))
    }
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "×",
            BinaryOp::Divide => "/",
        }
    }
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::AtLeast => ">=",
            CompareOp::AtMost => "<=",
            CompareOp::Equal => "==",
            CompareOp::NotEqual => "!=",
            CompareOp::Greater => ">",
            CompareOp::Less => "<",
        }
    }
}
