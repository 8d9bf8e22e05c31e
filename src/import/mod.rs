//! `jixiao import`: what units submit — 自评表 workbooks and narrative
//! reports — read into the engine's own files.
//!
//! ```text
//! workbook / narrative ─ read (→ Submission: every value with where it came from)
//!   ─ write (→ rules and data text, against the approved rules or as submitted)
//! ```
//!
//! Readers know layouts and sentences, never rules; writers know rules,
//! never layouts. Every value keeps its origin (a line, or a sheet and cell)
//! so the mapping report can say where it came from, what was assumed and
//! what was refused.

pub mod narrative;
pub mod report;
pub mod value;
pub mod workbook;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Serialize;

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Origin {
    /// A line of a narrative report (1-based).
    Line { line: usize },
    /// A paragraph of a Word document (1-based).
    Paragraph { paragraph: usize },
    /// A cell of a workbook, as Excel names it (`B7`).
    Cell { sheet: String, cell: String },
    /// The file as a whole (a value it does not state).
    File,
}

impl Origin {
    /// As the mapping report prints it in `lang`.
    pub fn text(&self, lang: crate::messages::Lang) -> String {
        match (self, lang) {
            (Origin::Line { line }, crate::messages::Lang::Zh) => format!("第 {line} 行"),
            (Origin::Paragraph { paragraph }, crate::messages::Lang::Zh) => format!("第 {paragraph} 段"),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Line { line } => write!(f, "line {line}"),
            Origin::Paragraph { paragraph } => write!(f, "paragraph {paragraph}"),
            Origin::Cell { sheet, cell } => write!(f, "{sheet}!{cell}"),
            Origin::File => f.write_str("-"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed<T> {
    pub value: T,
    pub at: Origin,
}

impl<T> Placed<T> {
    pub fn new(value: T, at: Origin) -> Self {
        Placed { value, at }
    }
}

/// The four amounts of the funds block (万元).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fund {
    /// 年初预算数
    Initial,
    /// 全年预算数 (after adjustments)
    Annual,
    /// 到位资金
    InPlace,
    /// 全年执行数
    Executed,
}

impl Fund {
    pub const ALL: [Fund; 4] = [Fund::Initial, Fund::Annual, Fund::InPlace, Fund::Executed];

    /// The name the rule files and data files use.
    pub fn name(self) -> &'static str {
        match self {
            Fund::Initial => "年初预算数",
            Fund::Annual => "全年预算数",
            Fund::InPlace => "到位资金",
            Fund::Executed => "全年执行数",
        }
    }
}

/// One project's self-evaluation as submitted: the figures it printed,
/// nothing computed.
#[derive(Clone, Debug)]
pub struct Submission {
    /// The file it came from.
    pub file: PathBuf,
    /// Where it begins in the file.
    pub at: Origin,
    pub project: Option<Placed<String>>,
    pub year: Option<Placed<i32>>,
    pub organization: Option<Placed<String>>,
    pub funds: Vec<(Fund, Placed<Decimal>)>,
    /// Raw figures a table lists by name (a 基础数据 block), as printed.
    pub figures: Vec<(String, Placed<String>)>,
    pub goal: Option<Placed<String>>,
    pub result: Option<Placed<String>>,
    pub sections: Vec<Section>,
    pub total: Option<Placed<String>>,
    pub grade: Option<Placed<String>>,
    /// Text to look for figures in (a narrative's sentences), with their places.
    pub prose: Vec<Placed<String>>,
    /// What the reader assumed or refused.
    pub notes: Vec<Note>,
}

impl Submission {
    pub fn new(file: &Path, at: Origin) -> Self {
        Submission {
            file: file.to_path_buf(),
            at,
            project: None,
            year: None,
            organization: None,
            funds: Vec::new(),
            figures: Vec::new(),
            goal: None,
            result: None,
            sections: Vec::new(),
            total: None,
            grade: None,
            prose: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn fund(&self, fund: Fund) -> Option<&Placed<Decimal>> {
        self.funds.iter().find(|(f, _)| *f == fund).map(|(_, v)| v)
    }

    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.sections.iter().flat_map(|s| s.rows.iter())
    }

    /// The project's name, or what to call it when the file gives none:
    /// one line, no backticks, the same in the rules and the data.
    pub fn name(&self) -> String {
        let name = match &self.project {
            Some(p) => p.value.clone(),
            None => self.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        name.chars().filter(|c| !c.is_control() && *c != '`').collect::<String>().trim().to_string()
    }
}

/// A section (一级指标) as printed.
#[derive(Clone, Debug)]
pub struct Section {
    pub name: Placed<String>,
    /// Printed points, score and rate (text as printed: `39.79`, `99.5%`).
    pub points: Option<Placed<String>>,
    pub score: Option<Placed<String>>,
    pub rate: Option<Placed<String>>,
    /// The budget-execution section (预算执行).
    pub budget: bool,
    pub rows: Vec<Row>,
}

impl Section {
    pub fn new(name: Placed<String>) -> Self {
        Section { name, points: None, score: None, rate: None, budget: false, rows: Vec::new() }
    }
}

/// An indicator row (三级指标) as printed: texts, not yet values.
#[derive(Clone, Debug)]
pub struct Row {
    pub group: Option<Placed<String>>,
    pub wording: Placed<String>,
    pub target: Option<Placed<String>>,
    pub actual: Option<Placed<String>>,
    pub points: Option<Placed<String>>,
    pub score: Option<Placed<String>>,
    pub deviation: Option<Placed<String>>,
    pub reason: Option<Placed<String>>,
    /// A 指标性质 / 指标方向 column's word (正向, 反向).
    pub direction: Option<Placed<String>>,
}

impl Row {
    pub fn new(wording: Placed<String>) -> Self {
        Row {
            group: None,
            wording,
            target: None,
            actual: None,
            points: None,
            score: None,
            deviation: None,
            reason: None,
            direction: None,
        }
    }
}

/// What the mapping report says besides the values placed: a code and its
/// words from the catalogue (in both languages), where, and about what.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub kind: NoteKind,
    /// What it is about (`日常监管巡查 target`).
    pub subject: String,
    /// The text as found.
    pub found: String,
    pub at: Origin,
    /// The code and the message's arguments.
    pub problem: crate::diagnostic::Problem,
}

impl Note {
    pub fn new(
        kind: NoteKind,
        code: &'static str,
        subject: impl Into<String>,
        found: impl Into<String>,
        at: Origin,
    ) -> Self {
        let (subject, found) = (subject.into(), found.into());
        let (en, zh) = subject_words(&subject);
        // A paragraph quoted whole would drown the message; the report's JSON keeps it.
        let short: String = match found.chars().count() > 40 {
            true => found.chars().take(39).chain(['…']).collect(),
            false => found.clone(),
        };
        let problem = crate::diagnostic::Problem::warning(code).arg_in("subject", en, zh).arg("found", short);
        Note { kind, subject, found, at, problem }
    }

    /// An argument in each language.
    pub fn words(mut self, key: &'static str, en: impl fmt::Display, zh: impl fmt::Display) -> Self {
        self.problem = self.problem.arg_in(key, en, zh);
        self
    }

    pub fn arg(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.problem = self.problem.arg(key, value);
        self
    }
}

/// A note's subject in each language: `培训 actual` is `培训 实际完成值`.
pub fn subject_words(subject: &str) -> (String, String) {
    const NOUNS: &[(&str, &str)] = &[
        ("project", "项目"),
        ("indicator", "指标"),
        ("section", "一级指标"),
        ("workbook", "工作簿"),
        ("indicators", "指标表"),
        ("numbers", "数值"),
        ("row", "行"),
        ("sheet", "工作表"),
        ("year", "年度"),
        ("goal result", "总体目标完成情况"),
        ("goal", "总体目标"),
        ("organization", "项目单位"),
        ("reported total", "报告总分"),
        ("reported grade", "报告等级"),
    ];
    const FIELDS: &[(&str, &str)] = &[
        (" actual", " 实际完成值"),
        (" target", " 目标值"),
        (" points", " 分值"),
        (" score", " 得分"),
        (" rate", " 得分率"),
        (" deviation", " 偏差率"),
        (" reason", " 偏差原因"),
    ];
    if let Some((_, zh)) = NOUNS.iter().find(|(en, _)| *en == subject) {
        return (subject.to_string(), (*zh).to_string());
    }
    for (en, zh) in FIELDS {
        if let Some(head) = subject.strip_suffix(en) {
            return (subject.to_string(), format!("{head}{zh}"));
        }
    }
    (subject.to_string(), subject.to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// Read, but with a convention the file does not state.
    Assumed,
    /// Not read: the rest still comes through.
    Refused,
    /// More than one candidate: listed, none chosen.
    Ambiguous,
    /// The submission disagrees with itself (printed points that do not add up).
    Inconsistent,
}

/// Codes of the mapping report, one per kind of refusal or assumption.
pub mod codes {
    pub const VALUE: &str = "jixiao::import::value";
    pub const NO_TABLE: &str = "jixiao::import::no_table";
    pub const NO_PROJECT: &str = "jixiao::import::no_project";
    pub const UNMATCHED: &str = "jixiao::import::unmatched";
    pub const AMBIGUOUS: &str = "jixiao::import::ambiguous";
    pub const NOT_SUBMITTED: &str = "jixiao::import::not_submitted";
    pub const DIRECTION: &str = "jixiao::import::direction";
    pub const LEVEL: &str = "jixiao::import::level";
    pub const UNIT: &str = "jixiao::import::unit";
    pub const POINTS_SUM: &str = "jixiao::import::points_sum";
    pub const DOUBLE: &str = "jixiao::import::double";
    pub const FUNDS: &str = "jixiao::import::funds";
    pub const FIGURE: &str = "jixiao::import::figure";
    pub const READ_AS: &str = "jixiao::import::read_as";
    pub const FORMAT: &str = "jixiao::import::format";
    pub const HIDDEN: &str = "jixiao::import::hidden";
    pub const TOO_LARGE: &str = "jixiao::import::too_large";
    pub const BEYOND: &str = "jixiao::import::beyond";
    pub const DUPLICATE: &str = "jixiao::import::duplicate";
    pub const PERCENT: &str = "jixiao::import::percent";
    pub const EXISTS: &str = "jixiao::import::exists";
}

/// A file too large to be a submission: refused before it is read.
pub fn too_large(path: &Path, limit: u64) -> crate::diagnostic::Problem {
    crate::diagnostic::Problem::error(codes::TOO_LARGE).arg("path", path.display()).arg("limit", limit >> 20)
}

/// Reads one submitted file: a workbook or a narrative, by its extension.
pub fn read(path: &Path) -> Result<Vec<Submission>, crate::diagnostic::Problem> {
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => workbook::read(path),
        "docx" => narrative::read_docx(path),
        _ => narrative::read_text(path),
    }
}
