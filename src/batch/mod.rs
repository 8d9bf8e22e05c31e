//! Batch scoring: many project-year records from CSV or JSON Lines, read,
//! scored and written in chunks (bounded memory), in parallel, in input
//! order. A bad record is refused with its row and column and the batch
//! goes on; nothing is scored as zero.

pub mod generate;
mod program;
pub mod projects;
pub mod records;

use std::io::{BufRead, Write};

use crate::diagnostic::Problem;
use crate::exact::Ratio;
use crate::messages::Word;
use crate::model::CheckedRules;
use crate::sink::Sink;
pub use program::{Column, Program, Scratch, Slot};
use records::Block;

pub mod codes {
    pub const MISSING_VALUE: &str = "jixiao::batch::missing_value";
    pub const UNKNOWN_COLUMN: &str = "jixiao::batch::unknown_column";
    pub const MISSING_COLUMN: &str = "jixiao::batch::missing_column";
    pub const NOT_ONE_PROJECT: &str = "jixiao::batch::not_one_project";
    pub const OTHER_PROJECT: &str = "jixiao::batch::other_project";
    pub const BAD_RECORD: &str = "jixiao::batch::bad_record";
    pub const CELL_COUNT: &str = "jixiao::batch::cell_count";
    pub const UNKNOWN_OUTPUT_COLUMN: &str = "jixiao::batch::unknown_output_column";
    pub const TOO_DEEP: &str = "jixiao::batch::too_deep";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

pub struct Options {
    pub input: Format,
    pub output: Format,
    pub jobs: usize,
    pub strict: bool,
    /// Output columns to keep, in this order (default: all).
    pub columns: Option<Vec<String>>,
    /// Where the output goes, for messages: a file, or standard output.
    pub sink: Option<std::path::PathBuf>,
    /// Bytes of input per block ([`BLOCK`] unless a test asks for less).
    pub block: usize,
    /// Report each record's warnings through [`Events::warned`], not only
    /// their count.
    pub warnings: bool,
}

impl Default for Options {
    /// CSV in and out, one worker, every column, standard output.
    fn default() -> Options {
        Options {
            input: Format::Csv,
            output: Format::Csv,
            jobs: 1,
            strict: false,
            columns: None,
            sink: None,
            block: BLOCK,
            warnings: false,
        }
    }
}

/// What a batch reports as it goes, besides its output.
pub trait Events {
    /// A record was refused: the problem (with its row) and the record as read.
    fn refused(&mut self, problem: Problem, record: &str);
    /// A scored record's warning (with its row), when [`Options::warnings`] asks.
    fn warned(&mut self, _problem: Problem) {}
    /// Records read so far.
    fn progress(&mut self, _records: u64) {}
}

/// A closure takes the refusals; nothing else is reported.
impl<F: FnMut(Problem)> Events for F {
    fn refused(&mut self, problem: Problem, _record: &str) {
        self(problem)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    pub scored: u64,
    pub refused: u64,
    pub warnings: u64,
}

/// What one worker made of its share of a block.
#[derive(Default)]
struct Part {
    /// The scored lines, as written out (text by construction).
    text: Vec<u8>,
    /// Refusals, by the record's index within the piece, with the record as read.
    problems: Vec<(usize, Problem, String)>,
    /// Warnings of scored records, by index (only when asked for).
    warned: Vec<(usize, Problem)>,
    /// Where the text stood at the first refusal (for --strict), and the
    /// records scored and warnings counted until then.
    cut: Option<Cut>,
    records: usize,
    scored: u64,
    warnings: u64,
}

/// A part as it stood at its first refusal.
#[derive(Clone, Copy)]
struct Cut {
    text: usize,
    scored: u64,
    warnings: u64,
}

/// Bytes of input per chunk: enough to make handing it over cheap, few
/// enough that no worker waits long for another and memory stays bounded
/// (chunks in flight are most of batch scoring's memory: with mimalloc, 1 MiB
/// ones took 29 MB from a file, these 20 MB, at the same speed).
pub const BLOCK: usize = 1 << 19;

/// Records on their way to a worker: their place in the input, the number
/// of the first, and the records — or the read error met there, reported
/// in its turn.
struct Chunk {
    seq: u64,
    first_row: u64,
    block: std::io::Result<Block>,
    /// A written chunk's buffer, for this one's lines.
    text: Vec<u8>,
}

/// What a worker made of a chunk.
enum Done {
    Scored(Part),
    Unread(std::io::Error),
    /// The worker failed (or the batch was stopping).
    Failed,
}

/// The one project a batch scores: the rules must declare exactly one.
pub fn project(rules: &CheckedRules) -> Result<usize, Problem> {
    match rules.projects().len() {
        1 => Ok(0),
        n => Err(Problem::error(codes::NOT_ONE_PROJECT).arg("count", n)),
    }
}

/// One input record: a CSV record (cells by input column, its buffer reused
/// from chunk to chunk), or a JSON object's keys and values.
enum Rec<'a> {
    Csv(records::Cells<'a>),
    Json(Vec<String>, Vec<String>),
}

/// Where each input column goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Project,
    Year,
    Organization,
    Input(usize),
    /// A column the rules do not read, passed through to the output
    /// (`--columns` names it): the position in `Layout::passed`.
    Pass(usize),
}

struct Layout {
    targets: Vec<Target>,
    has_project: bool,
    has_year: bool,
    /// Input columns passed through to the output, by name.
    passed: Vec<String>,
}

impl Layout {
    /// Where each passed-through column stands among a CSV record's cells.
    fn passed_cells(&self) -> Vec<usize> {
        (0..self.passed.len())
            .map(|k| self.targets.iter().position(|t| *t == Target::Pass(k)).unwrap_or(usize::MAX))
            .collect()
    }
}

fn layout(header: &[String], program: &Program, chosen: &Option<Vec<String>>) -> Result<Layout, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut targets = Vec::new();
    let mut passed = Vec::new();
    for name in header {
        let name = name.trim_start_matches('\u{feff}').trim();
        let target = match name {
            "project" | "项目" => Target::Project,
            "year" | "年度" => Target::Year,
            "organization" | "单位" => Target::Organization,
            _ => match program.columns.iter().position(|c| c.name == name) {
                Some(i) => Target::Input(i),
                // An id column the output should carry: `--columns 项目编号,total`.
                None if chosen.as_ref().is_some_and(|c| c.iter().any(|n| n == name)) => {
                    passed.push(name.to_string());
                    Target::Pass(passed.len() - 1)
                }
                None => {
                    let mut p = Problem::error(codes::UNKNOWN_COLUMN).arg("column", name);
                    let known = program.columns.iter().map(|c| c.name.as_str());
                    if let Some(s) = crate::suggest::closest(name, known) {
                        p = p.arg("suggestion", s);
                    }
                    problems.push(p);
                    continue;
                }
            },
        };
        targets.push(target);
    }
    let missing: Vec<&str> = program
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !targets.contains(&Target::Input(*i)))
        .map(|(_, c)| c.name.as_str())
        .collect();
    if !missing.is_empty() {
        problems.push(Problem::error(codes::MISSING_COLUMN).arg("columns", missing.join(", ")));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let has_project = targets.contains(&Target::Project);
    let has_year = targets.contains(&Target::Year);
    Ok(Layout { targets, has_project, has_year, passed })
}

/// A record that cannot be read, for a reason in both languages; the
/// caller adds its row.
fn record_problem(reason: Word, args: &[(&str, &str)]) -> Problem {
    Problem::error(codes::BAD_RECORD).arg_word("reason", reason, args)
}

fn bad_record(row: u64, reason: &str) -> Problem {
    Problem::error(codes::BAD_RECORD).arg("row", row).arg("reason", reason)
}

/// One JSON object: its keys and their values as text (numbers as written).
fn json_record(line: &str) -> Result<(Vec<String>, Vec<String>), Problem> {
    if crate::data::tree::too_deep(line, false).is_some() {
        // The parser recurses per level: a record nested this deep would
        // overflow a worker's stack and lose the whole batch.
        return Err(Problem::error(codes::TOO_DEEP).arg("limit", crate::data::tree::MAX_NESTING));
    }
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
    };
    let parsed = jsonc_parser::parse_to_ast(line, &Default::default(), &options).map_err(|e| {
        // The JSON parser's own words, in English only.
        Problem::error(codes::BAD_RECORD).arg("reason", e.kind())
    })?;
    let Some(jsonc_parser::ast::Value::Object(object)) = parsed.value else {
        return Err(record_problem(Word::NotJsonObject, &[]));
    };
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for prop in object.properties {
        let key = prop.name.into_string();
        if keys.contains(&key) {
            return Err(record_problem(Word::GivenTwice, &[("key", &key)]));
        }
        keys.push(key);
        values.push(match prop.value {
            jsonc_parser::ast::Value::StringLit(s) => s.value.into_owned(),
            jsonc_parser::ast::Value::NumberLit(n) => n.value.to_string(),
            jsonc_parser::ast::Value::BooleanLit(b) => b.value.to_string(),
            jsonc_parser::ast::Value::NullKeyword(_) => "null".to_string(),
            // As written: a checklist's items met (the program reads the JSON).
            jsonc_parser::ast::Value::Array(a) => line.get(a.range.start..a.range.end).unwrap_or("[…]").to_string(),
            jsonc_parser::ast::Value::Object(_) => "{…}".to_string(),
        });
    }
    Ok((keys, values))
}

/// Output columns: optional project and year, total, grade, then each indicator.
fn output_columns(program: &Program, layout: &Layout, chosen: &Option<Vec<String>>) -> Result<Vec<Out>, Problem> {
    let mut all: Vec<(String, Out)> = Vec::new();
    if layout.has_project {
        all.push(("project".into(), Out::Project));
    }
    if layout.has_year {
        all.push(("year".into(), Out::Year));
    }
    all.push(("record".into(), Out::Record));
    all.push(("total".into(), Out::Total));
    // Only for a project with a section apart: other outputs stay as they were.
    if program.project.sections.iter().any(|s| s.apart) {
        all.push(("total_with_apart".into(), Out::TotalWithApart));
    }
    all.push(("grade".into(), Out::Grade));
    for (i, indicator) in program.project.indicators.iter().enumerate() {
        all.push((indicator.id.node.clone(), Out::Score(i)));
    }
    for (k, name) in layout.passed.iter().enumerate() {
        all.push((name.clone(), Out::Pass(k)));
    }
    // By default, what the output always had: no record numbers.
    let Some(chosen) = chosen else {
        return Ok(all.into_iter().map(|(_, o)| o).filter(|o| *o != Out::Record).collect());
    };
    chosen
        .iter()
        .map(|name| {
            all.iter().find(|(n, _)| n == name).map(|(_, o)| *o).ok_or_else(|| {
                let mut p = Problem::error(codes::UNKNOWN_OUTPUT_COLUMN).arg("column", name);
                if let Some(s) = crate::suggest::closest(name, all.iter().map(|(n, _)| n.as_str())) {
                    p = p.arg("suggestion", s);
                }
                p
            })
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Out {
    Project,
    Year,
    /// The record's number in the input (1 for the first record).
    Record,
    /// An input column passed through.
    Pass(usize),
    Total,
    /// The total with sections counted apart added back.
    TotalWithApart,
    Grade,
    Score(usize),
}

fn out_name<'a>(program: &'a Program<'a>, layout: &'a Layout, out: Out) -> &'a str {
    match out {
        Out::Project => "project",
        Out::Year => "year",
        Out::Record => "record",
        Out::Pass(k) => layout.passed.get(k).map(String::as_str).unwrap_or(""),
        Out::Total => "total",
        Out::TotalWithApart => "total_with_apart",
        Out::Grade => "grade",
        Out::Score(i) => &program.project.indicators[i].id.node,
    }
}

use crate::report::csv::push_text as csv_field;

use crate::report::json::push_string as json_string;

fn push_decimal(out: &mut Vec<u8>, r: Ratio) {
    if r.write_decimal(out) {
        return;
    }
    match r.to_decimal(28) {
        Ok(d) => out.extend_from_slice(d.normalize().to_string().as_bytes()),
        Err(_) => out.extend_from_slice(b"overflow"),
    }
}

/// How records are laid out, in and out.
struct Shape<'a> {
    layout: &'a Layout,
    columns: &'a [Out],
    format: Format,
    /// Cell positions of the passed-through columns (CSV), found once.
    passed_cells: &'a [usize],
    /// The project's year as records write it, made once.
    year: &'a str,
    /// The project's name and year as CSV fields, made once: what nearly
    /// every record carries.
    project_field: &'a [u8],
    year_field: &'a [u8],
}

/// Scores one record and appends its line (without the newline) to
/// `line`; a refusal otherwise, with nothing appended.
fn score_record(
    program: &Program,
    shape: &Shape,
    record: &Rec,
    row: u64,
    scratch: &mut Scratch,
    line: &mut Vec<u8>,
) -> Result<(), program::Refusal> {
    let Shape { layout, columns, format, passed_cells, year: expected_year, project_field, year_field } = *shape;
    let mut project = "";
    let mut year = "";
    let missing =
        |name: &str| program::Refusal { column: Some(name.to_string()), problem: Problem::error(codes::MISSING_VALUE) };
    match record {
        Rec::Csv(cells) => {
            // A cell too many or too few shifts every value after it: refuse the record.
            if cells.len() != layout.targets.len() {
                return Err(program::Refusal {
                    column: None,
                    problem: Problem::error(codes::CELL_COUNT)
                        .arg("found", cells.len())
                        .arg("expected", layout.targets.len()),
                });
            }
            for (target, cell) in layout.targets.iter().zip(cells.iter()) {
                match target {
                    Target::Project => project = cell,
                    Target::Year => year = cell,
                    Target::Organization | Target::Pass(_) => {}
                    Target::Input(c) => {
                        let column = &program.columns[*c];
                        // The common cell first: a plain number, nothing around it.
                        if program.read_plain(column, cell, scratch) {
                            continue;
                        }
                        if cell.trim_ascii().is_empty() {
                            return Err(missing(&column.name));
                        }
                        program.read(column, cell, scratch)?;
                    }
                }
            }
        }
        Rec::Json(keys, cells) => {
            for column in &program.columns {
                match keys.iter().position(|k| *k == column.name) {
                    Some(i) if !cells[i].trim().is_empty() => program.read(column, &cells[i], scratch)?,
                    _ => return Err(missing(&column.name)),
                }
            }
            for (k, v) in keys.iter().zip(cells) {
                match k.as_str() {
                    "project" | "项目" => project = v,
                    "year" | "年度" => year = v,
                    _ => {}
                }
            }
        }
    }
    let other_year = year != expected_year && !year.trim().is_empty() && year.trim() != expected_year;
    if (!project.is_empty() && project != program.project.name.node) || other_year {
        let shown = |name: &str, year: &str| {
            if year.trim().is_empty() { name.to_string() } else { format!("{name} {}", year.trim()) }
        };
        return Err(program::Refusal {
            column: Some(if other_year { "year" } else { "project" }.into()),
            problem: Problem::error(codes::OTHER_PROJECT)
                .arg("project", shown(if project.is_empty() { &program.project.name.node } else { project }, year))
                .arg("expected", format!("{} {expected_year}", program.project.name.node)),
        });
    }
    let scored = program.score(scratch)?;
    // A passed-through column's cell, by its position among them.
    let passed = |k: usize| -> &str {
        match record {
            Rec::Csv(cells) => passed_cells.get(k).and_then(|i| cells.get(*i)).unwrap_or(""),
            Rec::Json(keys, cells) => layout
                .passed
                .get(k)
                .and_then(|name| keys.iter().position(|key| key == name))
                .map(|i| cells[i].as_str())
                .unwrap_or(""),
        }
    };
    match format {
        Format::Csv => {
            for (n, out) in columns.iter().enumerate() {
                if n > 0 {
                    line.push(b',');
                }
                match out {
                    Out::Project if project == program.project.name.node => line.extend_from_slice(project_field),
                    Out::Project => csv_field(line, project),
                    Out::Year if year == expected_year => line.extend_from_slice(year_field),
                    Out::Year => csv_field(line, year),
                    Out::Record => line.extend_from_slice(row.to_string().as_bytes()),
                    Out::Pass(k) => csv_field(line, passed(*k)),
                    Out::Total => push_decimal(line, scored.total),
                    Out::TotalWithApart => push_decimal(line, scored.with_apart),
                    Out::Grade => csv_field(line, scored.grade.map(|g| program.grade_name(g)).unwrap_or("")),
                    Out::Score(i) => push_decimal(line, scratch.plan.scores[*i]),
                }
            }
        }
        Format::Jsonl => {
            // Top-level fields in the order chosen; the scores together in
            // one object, where the first score column stands.
            line.push(b'{');
            let mut first = true;
            let mut scores_written = false;
            for out in columns {
                if matches!(out, Out::Score(_)) && scores_written {
                    continue;
                }
                if !first {
                    line.push(b',');
                }
                first = false;
                match out {
                    Out::Score(_) => {
                        scores_written = true;
                        line.push_str("\"scores\":{");
                        let mut first_score = true;
                        for score in columns {
                            let Out::Score(i) = score else { continue };
                            if !first_score {
                                line.push(b',');
                            }
                            first_score = false;
                            json_string(line, out_name(program, layout, *score));
                            line.push_str(":\"");
                            push_decimal(line, scratch.plan.scores[*i]);
                            line.push(b'"');
                        }
                        line.push(b'}');
                    }
                    Out::Project => {
                        line.push_str("\"project\":");
                        json_string(line, project);
                    }
                    Out::Record => {
                        line.push_str("\"record\":");
                        line.push_str(&row.to_string());
                    }
                    Out::Pass(k) => {
                        json_string(line, out_name(program, layout, *out));
                        line.push(b':');
                        json_string(line, passed(*k));
                    }
                    Out::Year => {
                        line.push_str("\"year\":");
                        match year.trim().parse::<i64>() {
                            Ok(y) => line.push_str(&y.to_string()),
                            Err(_) => json_string(line, year),
                        }
                    }
                    Out::Total => {
                        line.push_str("\"total\":\"");
                        push_decimal(line, scored.total);
                        line.push(b'"');
                    }
                    Out::TotalWithApart => {
                        line.push_str("\"total_with_apart\":\"");
                        push_decimal(line, scored.with_apart);
                        line.push(b'"');
                    }
                    Out::Grade => {
                        line.push_str("\"grade\":");
                        json_string(line, scored.grade.map(|g| program.grade_name(g)).unwrap_or(""));
                    }
                }
            }
            line.push(b'}');
        }
    }
    Ok(())
}

/// A CSV record with a field that is not UTF-8 text.
fn field_problem(error: records::FieldError) -> Problem {
    let (word, field) = match error {
        records::FieldError::NotUtf8(field) => (Word::FieldNotUtf8, field),
        records::FieldError::AfterQuote(field) => (Word::FieldAfterQuote, field),
    };
    record_problem(word, &[("field", &field.to_string())])
}

/// Parses and scores the records of a block; refusals carry their index
/// within it until the writer knows the row.
fn score_piece(
    program: &Program,
    layout: &Layout,
    columns: &[Out],
    options: &Options,
    block: &Block,
    first_row: u64,
    mut text: Vec<u8>,
) -> Part {
    let mut scratch = program.scratch();
    text.clear();
    text.reserve(block.bytes.len());
    let mut part = Part { text, ..Part::default() };
    let passed_cells = layout.passed_cells();
    let year = program.project.year.node.to_string();
    let (mut project_field, mut year_field) = (Vec::new(), Vec::new());
    csv_field(&mut project_field, &program.project.name.node);
    csv_field(&mut year_field, &year);
    let shape = Shape {
        layout,
        columns,
        format: options.output,
        passed_cells: &passed_cells,
        year: &year,
        project_field: &project_field,
        year_field: &year_field,
    };
    let mut score = |part: &mut Part, record: Result<&Rec, Problem>, raw: &[u8]| {
        let index = part.records;
        part.records += 1;
        let row = first_row + index as u64;
        // The line goes straight into the part's text: a refusal appends nothing.
        let outcome = match record {
            Ok(record) => score_record(program, &shape, record, row, &mut scratch, &mut part.text)
                .map_err(|r| (r.column, r.problem)),
            Err(problem) => Err((None, problem)),
        };
        match outcome {
            Ok(()) => {
                part.text.push(b'\n');
                part.scored += 1;
                if options.warnings {
                    for w in &scratch.plan.warnings {
                        part.warned.push((index, program.warning(*w, &scratch)));
                    }
                }
            }
            Err((column, problem)) => {
                part.cut.get_or_insert(Cut {
                    text: part.text.len(),
                    scored: part.scored,
                    warnings: scratch.warnings as u64,
                });
                let problem = match column {
                    Some(c) => problem.arg("column", c),
                    None => problem,
                };
                part.problems.push((index, problem, String::from_utf8_lossy(raw).into_owned()));
            }
        }
    };
    // Checked whole once: a record is then text without checking it again.
    let text = simdutf8::basic::from_utf8(&block.bytes).ok();
    let mut fields = records::Fields::default();
    let mut start = 0;
    for end in &block.ends {
        let from = start;
        let bytes = records::trim_break(&block.bytes[start..end.at]);
        start = end.at;
        if end.broken {
            let limit = records::MAX_RECORD.to_string();
            score(&mut part, Err(record_problem(Word::RecordUnreadable, &[("limit", &limit)])), bytes);
            continue;
        }
        // Blank lines are not records.
        if records::is_blank(bytes) {
            continue;
        }
        match options.input {
            Format::Csv => {
                let read = match text.and_then(|t| t.get(from..from + bytes.len())) {
                    Some(record) => fields.read_text(record),
                    None => fields.read(bytes),
                };
                match read {
                    Ok(cells) => score(&mut part, Ok(&Rec::Csv(cells)), bytes),
                    Err(error) => score(&mut part, Err(field_problem(error)), bytes),
                }
            }
            Format::Jsonl => {
                let text = String::from_utf8_lossy(bytes);
                match json_record(&text) {
                    Ok((keys, values)) => score(&mut part, Ok(&Rec::Json(keys, values)), bytes),
                    Err(p) => score(&mut part, Err(p), bytes),
                }
            }
        }
    }
    part.warnings = scratch.warnings as u64;
    part
}

/// Writes a chunk's scored lines and reports its refusals and warnings;
/// hands back the lines' buffer for another chunk, or `None` when `strict`
/// stopped at a refused record (what came before it is written).
fn deliver<W: Write>(
    part: Part,
    summary: &mut Summary,
    output: &mut W,
    options: &Options,
    events: &mut dyn Events,
) -> Result<Option<Vec<u8>>, Vec<Problem>> {
    let io = |e: std::io::Error| vec![crate::diagnostic::output::write_failed(options.sink.as_deref(), &e)];
    let first_row = summary.records + 1;
    let row = |index: usize| first_row + index as u64;
    if options.strict
        && let (Some(cut), Some((index, first, record))) = (part.cut, part.problems.first().cloned())
    {
        // Stop at the first refused record: what came before it stands,
        // with its warnings. (Its records, not its lines: a cell passed
        // through may hold a line break.)
        output.write_all(&part.text[..cut.text]).map_err(io)?;
        output.flush().map_err(io)?;
        summary.scored += cut.scored;
        summary.warnings += cut.warnings;
        for (i, problem) in part.warned.into_iter().filter(|(i, _)| *i < index) {
            events.warned(problem.arg("row", row(i)));
        }
        summary.refused += 1;
        summary.records = summary.scored + summary.refused;
        events.refused(first.arg("row", row(index)), &record);
        return Ok(None);
    }
    output.write_all(&part.text).map_err(io)?;
    summary.scored += part.scored;
    summary.warnings += part.warnings;
    for (index, problem) in part.warned {
        events.warned(problem.arg("row", row(index)));
    }
    for (index, problem, record) in part.problems {
        summary.refused += 1;
        events.refused(problem.arg("row", row(index)), &record);
    }
    summary.records += part.records as u64;
    events.progress(summary.records);
    Ok(Some(part.text))
}

/// Scores every record of `input` and writes one line per scored record to
/// `output`, in input order. Refused records go to `refused` as they are
/// found; with `strict`, the first stops the batch. The input is read in
/// chunks of whole records, which the workers parse and score as they come;
/// their lines are written back in order.
pub fn run<R: BufRead + Send, W: Write>(
    program: &Program,
    mut input: R,
    output: &mut W,
    options: &Options,
    events: &mut dyn Events,
) -> Result<Summary, Vec<Problem>> {
    let io = |e: std::io::Error| vec![crate::diagnostic::output::write_failed(options.sink.as_deref(), &e)];
    let layout = match options.input {
        Format::Csv => {
            let mut head = Vec::new();
            input.read_until(b'\n', &mut head).map_err(|e| vec![bad_record(0, &e.to_string())])?;
            let mut fields = records::Fields::default();
            let cells =
                fields.read(records::trim_break(&head)).map_err(|error| vec![field_problem(error).arg("row", 0)])?;
            let header: Vec<String> = cells.iter().map(String::from).collect();
            layout(&header, program, &options.columns)?
        }
        // JSON Lines name their columns in every record.
        Format::Jsonl => Layout {
            targets: Vec::new(),
            has_project: true,
            has_year: true,
            // JSON Lines name their columns: any chosen name the rules do not read passes through.
            passed: options
                .columns
                .iter()
                .flatten()
                .filter(|name| {
                    !program.columns.iter().any(|c| c.name == **name)
                        && !matches!(name.as_str(), "project" | "year" | "record" | "total" | "grade")
                        && !program.project.indicators.iter().any(|i| i.id.node == **name)
                })
                .cloned()
                .collect(),
        },
    };
    let columns = output_columns(program, &layout, &options.columns).map_err(|p| vec![p])?;
    if options.output == Format::Csv {
        let mut head = String::new();
        for (n, out) in columns.iter().enumerate() {
            if n > 0 {
                head.push(',');
            }
            csv_field(&mut head, out_name(program, &layout, *out));
        }
        head.push('\n');
        output.write_all(head.as_bytes()).map_err(io)?;
    }

    // Workers beyond four a core would only wait, holding chunks in memory.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = options.jobs.clamp(1, 4 * cores);
    let mut summary = Summary::default();
    let format = options.input;
    let block_size = options.block.max(1);
    // A reader thread cuts the input into chunks of whole records, `jobs`
    // workers score whichever chunk is next, and this thread writes the
    // chunks' lines back in input order. No worker waits for another: a
    // chunk is small, and the next is there as soon as one is done. The
    // reader takes a credit per chunk and the writer returns it once the
    // chunk is written, so at most `in_flight` chunks are held, however
    // slow one of them is.
    let in_flight = 2 * jobs + 2;
    let (credits, credit) = std::sync::mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = credits.try_send(());
    }
    let (chunks, received) = std::sync::mpsc::channel::<Chunk>();
    let received = std::sync::Mutex::new(received);
    let (done, finished) = std::sync::mpsc::channel::<(u64, Done)>();
    // Blocks go back to the reader once scored, and buffers of lines once
    // written: their memory is reused, never freed on another thread.
    let (spare, spares) = std::sync::mpsc::channel::<Block>();
    let (spare_text, spare_texts) = std::sync::mpsc::channel::<Vec<u8>>();
    // Set when the writer stops early: the others stop taking work.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (received, stop, layout, columns) = (&received, &stop, &layout, &columns);
    std::thread::scope(|scope| {
        // Starts a worker, or says why the system would not. Workers are
        // started as chunks are read, so a short input never starts more
        // than it has chunks, however many jobs were asked for.
        let start = move || {
            let work = || {
                let (done, spare) = (done.clone(), spare.clone());
                move || {
                    // The lock is held while waiting for a chunk, not while scoring it.
                    let next = || received.lock().ok()?.recv().ok();
                    while let Some(chunk) = next() {
                        let outcome = match chunk.block {
                            _ if stop.load(std::sync::atomic::Ordering::Relaxed) => Done::Failed,
                            Err(e) => Done::Unread(e),
                            Ok(block) => {
                                let scored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    score_piece(program, layout, columns, options, &block, chunk.first_row, chunk.text)
                                }));
                                let _ = spare.send(block);
                                scored.map_or(Done::Failed, Done::Scored)
                            }
                        };
                        if done.send((chunk.seq, outcome)).is_err() {
                            break;
                        }
                    }
                }
            };
            // A large stack, as the main thread's: methods recurse (a smaller
            // one under a tight limit on virtual memory rather than none).
            crate::parallel::spawn_shrinking(scope, &[64 << 20, 16 << 20], work).map(|_| ())
        };
        if let Err(error) = start() {
            return Err(vec![crate::diagnostic::output::thread_refused(&error)]);
        }
        // A reader that cannot start drops the sender the workers wait on: they end.
        let reader = std::thread::Builder::new().spawn_scoped(scope, move || {
            let (mut sent, mut started) = (0u64, 1);
            let mut next_row = 1u64;
            while credit.recv().is_ok() && !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // Room for a block and the line that crosses its end, so it never doubles.
                let mut block = spares.try_recv().unwrap_or_else(|_| Block {
                    bytes: Vec::with_capacity(block_size + block_size / 4),
                    ends: Vec::new(),
                });
                let read = records::read_block(&mut input, &mut block, block_size, format);
                let text = spare_texts.try_recv().unwrap_or_default();
                let chunk = match read {
                    Ok(false) => break,
                    Ok(true) => {
                        let first_row = next_row;
                        next_row += records::count(&block, 0..block.ends.len());
                        Chunk { seq: sent, first_row, block: Ok(block), text }
                    }
                    Err(e) => Chunk { seq: sent, first_row: next_row, block: Err(e), text },
                };
                let failed = chunk.block.is_err();
                if chunks.send(chunk).is_err() {
                    break;
                }
                sent += 1;
                if failed {
                    break;
                }
                // One more worker while there are chunks for it (fewer, if the
                // system cannot start one: the others do the work).
                if sent > 1 && started < jobs && start().is_ok() {
                    started += 1;
                }
            }
            sent
        });
        let reader = match reader {
            Ok(reader) => reader,
            Err(error) => return Err(vec![crate::diagnostic::output::thread_refused(&error)]),
        };
        let mut written = 0u64;
        let delivered = (|| {
            // Chunks done out of turn wait here for the ones before them.
            let mut waiting = std::collections::BTreeMap::new();
            for (seq, outcome) in &finished {
                waiting.insert(seq, outcome);
                while let Some(outcome) = waiting.remove(&written) {
                    written += 1;
                    match outcome {
                        Done::Scored(part) => match deliver(part, &mut summary, output, options, events)? {
                            Some(text) => {
                                let _ = spare_text.send(text);
                            }
                            None => return Ok(()),
                        },
                        Done::Unread(e) => return Err(vec![bad_record(summary.records + 1, &e.to_string())]),
                        // A worker that failed would lose records silently: stop the batch instead.
                        Done::Failed => return Err(vec![bad_record(summary.records + 1, "a worker failed")]),
                    }
                    let _ = credits.try_send(());
                }
            }
            Ok(())
        })();
        // However the writer ended, the reader and the workers stop.
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        drop((credits, finished));
        let sent = reader.join();
        delivered?;
        // Every chunk read must have been written (or the batch stopped at a refusal).
        match sent {
            Ok(sent) if sent == written || (options.strict && summary.refused > 0) => Ok(()),
            _ => Err(vec![bad_record(summary.records + 1, "a worker failed")]),
        }
    })?;
    output.flush().map_err(io)?;
    Ok(summary)
}
