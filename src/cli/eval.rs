use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, Global, output};
use jixiao::check;
use jixiao::data::{ProjectData, Syntax};
use jixiao::diagnostic::Problem;
use jixiao::eval::{Evaluation, Mode};
use jixiao::model::CheckedRules;
use jixiao::parallel;
use jixiao::report;
use jixiao::source::Sources;
use jixiao::span::FileId;

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Rule files or folders of them.
    #[arg(required = true)]
    pub rules: Vec<PathBuf>,
    /// Data files (TOML or JSON), each matched to its project by name and
    /// year; or one batch of records (`.csv`, `.jsonl`, or `-` for stdin).
    #[arg(long, required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Output format (default: from `-o`'s extension, else table; csv for a batch).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The format of batch records read from stdin (`--data -`).
    #[arg(long, value_enum, default_value = "csv")]
    pub data_format: RecordFormat,
    /// Batch: worker threads (default: every core; at most four a core).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Batch: stop at the first refused record.
    #[arg(long)]
    pub strict: bool,
    /// Batch: output columns, comma-separated (project, year, record, total, grade, indicator ids,
    /// and any input column to pass through, such as an id).
    #[arg(long, value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
    /// Batch: write each warning here, one JSON object per line (record, code, message).
    #[arg(long, value_name = "FILE")]
    pub warnings: Option<PathBuf>,
    /// Batch: write each refused record here, one JSON object per line (record, code, message, input).
    #[arg(long, value_name = "FILE")]
    pub refused: Option<PathBuf>,
}

/// How batch records are written, as the command line names it: the one
/// choice of `--data-format` and `generate --format`.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RecordFormat {
    Csv,
    Jsonl,
}

impl From<RecordFormat> for jixiao::batch::Format {
    fn from(format: RecordFormat) -> Self {
        match format {
            RecordFormat::Csv => jixiao::batch::Format::Csv,
            RecordFormat::Jsonl => jixiao::batch::Format::Jsonl,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    /// The 自评表 for the terminal.
    Table,
    /// The `jixiao.evaluation/1` contract.
    Json,
    /// The 自评表 as Markdown.
    Markdown,
    /// One row per indicator, UTF-8 with a BOM for Excel.
    Csv,
    /// One self-contained page with charts, printable on A4.
    Html,
    /// An Excel workbook (needs `-o FILE`).
    Xlsx,
    /// Batch records: one JSON object per line.
    Jsonl,
}

/// Every data file evaluated, with the files read and the warnings found.
pub struct Evaluated {
    pub evaluations: Vec<Evaluation>,
    /// The data each evaluation came from, in the same order.
    pub data: Vec<ProjectData>,
    pub sources: Sources,
    pub warnings: Vec<Problem>,
}

/// Why nothing could be evaluated: every problem, with the files read.
pub struct Refused {
    pub sources: Sources,
    pub problems: Vec<Problem>,
}

/// Checks the rules and evaluates every data file; on any failure returns
/// the problems and nothing is printed but them.
/// `mode` is [`Mode::Traces`] where traces are printed, [`Mode::Figures`]
/// where only the figures are.
pub fn evaluate_all(rules: &[PathBuf], data: &[PathBuf], mode: Mode, global: &Global) -> Result<Evaluated, Refused> {
    let (kept, sources, warnings) =
        evaluate_all_into(rules, data, mode, global, |data, evaluation| (data, evaluation))?;
    let (data, evaluations) = kept.into_iter().unzip();
    Ok(Evaluated { evaluations, data, sources, warnings })
}

/// [`evaluate_all`], each evaluation (with its data) turned into what is
/// kept of it by `keep` on the worker that made it, in the data files' order.
pub fn evaluate_all_into<T: Send>(
    rules: &[PathBuf],
    data: &[PathBuf],
    mode: Mode,
    global: &Global,
    keep: impl Fn(ProjectData, Evaluation) -> T + Sync,
) -> Result<(Vec<T>, Sources, Vec<Problem>), Refused> {
    let checked = check::check_files(rules, global.rules_root_for(rules).as_deref());
    let checker_warnings: Vec<Problem> = checked.problems.iter().filter(|p| !p.is_error()).cloned().collect();
    let Some(rules) = checked.rules else {
        return Err(Refused { sources: checked.sources, problems: checked.problems });
    };
    // The checker's warnings go with a refusal too: an unproven method
    // explains a score out of range.
    let (kept, sources, mut warnings) = evaluate_each_into(&rules, checked.sources, data, mode, global.lang(), keep)
        .map_err(|mut refused| {
            refused.problems.extend(checker_warnings.iter().cloned());
            jixiao::diagnostic::sort(&mut refused.problems);
            refused
        })?;
    warnings.splice(0..0, checker_warnings);
    jixiao::parallel::drop_aside(rules);
    Ok((kept, sources, warnings))
}

/// Reads and evaluates each data file as `mode` says (a bar on stderr for
/// a long folder); every problem, or every evaluation. Each worker keeps
/// what its evaluations can share.
pub fn evaluate_each(
    rules: &CheckedRules,
    sources: Sources,
    data: &[PathBuf],
    mode: Mode,
    lang: jixiao::messages::Lang,
) -> Result<Evaluated, Refused> {
    let (kept, sources, warnings) =
        evaluate_each_into(rules, sources, data, mode, lang, |data, evaluation| (data, evaluation))?;
    let (data, evaluations) = kept.into_iter().unzip();
    Ok(Evaluated { evaluations, data, sources, warnings })
}

/// [`evaluate_each`], each evaluation (with its data) turned into what is
/// kept of it by `keep` as soon as it is made: a table printed from 2 000
/// evaluations need not hold them all (nor fault in their pages) before
/// printing the first.
pub fn evaluate_each_into<T: Send>(
    rules: &CheckedRules,
    mut sources: Sources,
    data: &[PathBuf],
    mode: Mode,
    lang: jixiao::messages::Lang,
    keep: impl Fn(ProjectData, Evaluation) -> T + Sync,
) -> Result<(Vec<T>, Sources, Vec<Problem>), Refused> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut kept = Vec::new();
    let bar = super::output::files_progress(data.len(), lang);
    // Read side by side, placed in the sources in the order given, then
    // parsed and evaluated side by side; results kept in that order.
    let texts = parallel::map(data, || (), |path, _| jixiao::data::read_text(path));
    let files: Vec<(&PathBuf, Result<FileId, Vec<Problem>>)> =
        data.iter().zip(texts).map(|(path, text)| (path, text.map(|t| sources.add(path, t)))).collect();
    let sources_read = &sources;
    let results = parallel::map(&files, jixiao::eval::Shared::default, |(path, file), shared| {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        let file = file.clone()?;
        let project_data = jixiao::data::parse(sources_read.text(file), file, Syntax::of(path))?;
        let evaluation = jixiao::eval::evaluate_as(rules, &project_data, mode, shared)?;
        let warnings = evaluation.warnings.clone();
        Ok::<_, Vec<Problem>>((warnings, keep(project_data, evaluation)))
    });
    for result in results {
        match result {
            Ok((found, each)) => {
                warnings.extend(found);
                kept.push(each);
            }
            Err(p) => problems.extend(p),
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if problems.iter().any(Problem::is_error) {
        problems.extend(warnings);
        jixiao::diagnostic::sort(&mut problems);
        return Err(Refused { sources, problems });
    }
    Ok((kept, sources, warnings))
}

impl EvalArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let batch = super::batch::BatchRun::detect(self);
        let default = if batch.is_some() { Format::Csv } else { Format::Table };
        let format = match output::choose_format(self.format, self.output.as_deref(), default) {
            Ok(f) => f,
            Err(problem) => {
                output::report(&[problem], &Sources::new(), global);
                return Exit::Failed;
            }
        };
        if let Some(batch) = batch {
            return batch.run(format, global);
        }
        if matches!(format, Format::Jsonl) {
            let problem = Problem::error("jixiao::batch::format").arg("format", "jsonl");
            output::report(&[problem], &Sources::new(), global);
            return Exit::Failed;
        }
        if matches!(format, Format::Table) {
            return self.tables(global);
        }
        let Evaluated { evaluations, sources, warnings, data } =
            match evaluate_all(&self.rules, &self.data, Mode::Figures, global) {
                Ok(done) => done,
                Err(Refused { sources, problems }) => {
                    output::report(&problems, &sources, global);
                    return Exit::Failed;
                }
            };
        // The data files read are not printed: freed beside the printing
        // (freed here, 2 000 of them held the table up by a fiftieth).
        parallel::drop_aside(data);
        output::report(&warnings, &sources, global);
        let lang = global.lang();
        let text = match format {
            Format::Jsonl => String::new(),
            Format::Json => report::json::render(&evaluations),
            // Answered above, laid out by the workers that evaluated them.
            Format::Table => return self.tables(global),
            Format::Markdown => report::markdown::render(&evaluations, lang),
            Format::Csv => report::csv::render(&evaluations, lang),
            Format::Html => report::html::render(&evaluations, lang),
            Format::Xlsx => return self.xlsx(&evaluations, &sources, global),
        };
        let exit = output::emit(&text, self.output.as_deref(), &sources, global);
        parallel::drop_aside((evaluations, sources, text));
        exit
    }

    /// One 自评表 per project, each laid out by the worker that evaluated
    /// it, which then frees the evaluation and its data.
    fn tables(&self, global: &Global) -> Exit {
        let lang = global.lang();
        let render = |_data: ProjectData, evaluation: Evaluation| report::table::render(&evaluation, lang);
        let (tables, sources, warnings) =
            match evaluate_all_into(&self.rules, &self.data, Mode::Figures, global, render) {
                Ok(done) => done,
                Err(Refused { sources, problems }) => {
                    output::report(&problems, &sources, global);
                    return Exit::Failed;
                }
            };
        output::report(&warnings, &sources, global);
        let text = tables.join("\n");
        let exit = output::emit(&text, self.output.as_deref(), &sources, global);
        parallel::drop_aside((tables, sources, text));
        exit
    }

    /// A binary format goes to a file only.
    fn xlsx(&self, evaluations: &[Evaluation], sources: &Sources, global: &Global) -> Exit {
        output::emit_bytes(report::xlsx::render(evaluations, global.lang()), self.output.as_deref(), sources, global)
    }
}
