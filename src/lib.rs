//! jixiao: rules-as-data for budget-project performance evaluation (绩效自评).
//!
//! Policy staff write indicators, targets, points, scoring methods and grade
//! bands as rule files; jixiao checks them, evaluates them against each
//! project's reported figures in exact arithmetic, and explains every score.
//! The phases are modules and data flows one way:
//!
//! ```text
//! source ─ syntax (grammar → AST) ─ check (→ CheckedRules) ─ eval / batch (× data, through
//!   model::plan, the one scoring core) ─ report / audit / diff
//! ```
//!
//! ```
//! let rules = jixiao::check::check_source(
//!     "demo.jx",
//!     r#"
//!     scheme 示例方案 {
//!         total 10
//!         unit 台: count
//!         round score half_up 0.01
//!         method proportional = if actual >= target then points else points * actual / target
//!         default >= proportional
//!         grade 优秀 >= 9; grade 差 otherwise
//!     }
//!     project 质量技术监督项目 {
//!         year 2018
//!         section 产出指标 points 10 {
//!             indicator 日常监管巡查 "日常监管巡查设备台数" { target >= 3000 台; points 10 }
//!         }
//!     }"#,
//! );
//! let rules = rules.rules.expect("the rules check clean");
//! let data = jixiao::data::parse(
//!     "project = \"质量技术监督项目\"\nyear = 2018\n[actual]\n\"日常监管巡查\" = 2072\n",
//!     jixiao::span::FileId(1),
//!     jixiao::data::Syntax::Toml,
//! )
//! .expect("the data reads");
//! let evaluation = jixiao::eval::evaluate(&rules, &data).expect("it evaluates");
//! let score = &evaluation.indicator("日常监管巡查").expect("scored").score;
//! assert_eq!(score.to_string(), "6.91"); // 10 × 2072 / 3000 = 6.9066… → 6.91
//! assert_eq!(evaluation.total.grade.as_deref(), Some("差"));
//! ```

pub mod audit;
pub mod batch;
pub mod check;
pub mod data;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod exact;
pub mod format;
pub mod import;
pub mod messages;
pub mod model;
pub mod parallel;
pub mod report;
pub mod sink;
pub mod skeleton;
pub mod source;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod testing;
pub mod workspace;
