//! `eval` on a batch of records, and `generate`.

use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::eval::{EvalArgs, Format, RecordFormat};
use super::{Exit, Global, output};
use jixiao::batch::{self, Options, Program};
use jixiao::check;
use jixiao::diagnostic::Problem;
use jixiao::messages::Word;
use jixiao::source::Sources;

/// An `eval` whose data is a batch of records.
pub struct BatchRun<'a> {
    args: &'a EvalArgs,
    input: &'a PathBuf,
    format: batch::Format,
}

impl<'a> BatchRun<'a> {
    /// A `.csv`, a `.jsonl` or `-` makes a batch.
    pub fn detect(args: &'a EvalArgs) -> Option<BatchRun<'a>> {
        let input = args.data.first()?;
        let ext = input.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let format = match (input.as_os_str() == "-", ext.as_deref()) {
            (true, _) => args.data_format.into(),
            (false, Some("csv")) => batch::Format::Csv,
            (false, Some("jsonl")) => batch::Format::Jsonl,
            _ => return None,
        };
        Some(BatchRun { args, input, format })
    }

    pub fn run(&self, format: Format, global: &Global) -> Exit {
        let fail = |problems: Vec<Problem>, sources: &Sources| {
            output::report(&problems, sources, global);
            Exit::Failed
        };
        let out_format = match format {
            Format::Csv => batch::Format::Csv,
            Format::Jsonl => batch::Format::Jsonl,
            other => {
                let name = format!("{other:?}").to_lowercase();
                return fail(vec![Problem::error("jixiao::batch::format").arg("format", name)], &Sources::new());
            }
        };
        if self.args.data.len() > 1 {
            return fail(vec![Problem::error("jixiao::batch::one_input")], &Sources::new());
        }
        let checked = check::check_files(&self.args.rules, global.rules_root_for(&self.args.rules).as_deref());
        let Some(rules) = &checked.rules else { return fail(checked.problems, &checked.sources) };
        let index = match batch::project(rules) {
            Ok(i) => i,
            Err(p) => return fail(vec![p], &checked.sources),
        };
        let program = Program::new(rules, index);
        let reader: Box<dyn BufRead + Send> = if self.input.as_os_str() == "-" {
            Box::new(BufReader::with_capacity(1 << 20, std::io::stdin()))
        } else {
            match std::fs::File::open(self.input) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 20, f)),
                Err(e) => {
                    let p = Problem::error(jixiao::source::UNREADABLE)
                        .arg("path", self.input.display())
                        .arg_io("reason", e.kind());
                    return fail(vec![p], &checked.sources);
                }
            }
        };
        let options = Options {
            input: self.format,
            output: out_format,
            jobs: self.args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)),
            strict: self.args.strict,
            columns: self.args.columns.clone(),
            sink: self.args.output.clone(),
            block: batch::BLOCK,
            warnings: self.args.warnings.is_some(),
        };
        let sources = checked.sources.clone();
        let trace = |path: &Option<PathBuf>| path.as_deref().map(output::Pending::create).transpose();
        let (warned, refused) = match (trace(&self.args.warnings), trace(&self.args.refused)) {
            (Ok(w), Ok(r)) => (w, r),
            (Err(e), _) => return fail(vec![output_failed(self.args.warnings.as_deref(), &e)], &sources),
            (_, Err(e)) => return fail(vec![output_failed(self.args.refused.as_deref(), &e)], &sources),
        };
        let mut events = Trace {
            sources: &sources,
            global,
            warned: warned.zip(self.args.warnings.clone()).map(|(p, path)| (p, String::new(), path)),
            refused: refused.zip(self.args.refused.clone()).map(|(p, path)| (p, String::new(), path)),
            bar: progress_bar(),
            failed: None,
        };
        // Written to a temporary file beside -o and renamed only when the run
        // succeeds (a --strict run stopped by a refusal replaces nothing), or
        // streamed to stdout.
        let result = match &self.args.output {
            Some(path) => match output::Pending::create(path) {
                Ok(mut pending) => {
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, pending.file());
                    let summary = batch::run(&program, reader, &mut w, &options, &mut events);
                    let flushed = w.flush().map_err(|e| vec![output_failed(Some(path), &e)]);
                    drop(w);
                    match summary.and_then(|s| flushed.map(|()| s)) {
                        Ok(s) if s.refused > 0 && self.args.strict => Ok(s),
                        // The trace files first: a run whose trace was lost has failed,
                        // and a failed run replaces nothing.
                        Ok(s) => match events.finish() {
                            Err(problem) => Err(vec![problem]),
                            Ok(()) => pending.commit().map(|()| s).map_err(|e| vec![output_failed(Some(path), &e)]),
                        },
                        Err(p) => Err(p),
                    }
                }
                Err(e) => Err(vec![output_failed(Some(path), &e)]),
            },
            None => {
                let stdout = std::io::stdout();
                let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
                let summary = batch::run(&program, reader, &mut w, &options, &mut events);
                let flushed = w.flush().map_err(|e| vec![output_failed(None, &e)]);
                summary.and_then(|s| flushed.map(|()| s))
            }
        };
        if let Some(bar) = events.bar.take() {
            bar.finish_and_clear();
        }
        // The trace files hold what the run found, whether or not it finished.
        if let Err(problem) = events.finish() {
            return fail(vec![problem], &sources);
        }
        let summary = match result {
            Ok(s) => s,
            Err(problems) => return fail(problems, &sources),
        };
        let counts = [summary.records, summary.scored, summary.refused, summary.warnings].map(|n| n.to_string());
        let names = ["records", "scored", "refused", "warnings"];
        let args: Vec<(&str, &str)> = names.into_iter().zip(counts.iter().map(String::as_str)).collect();
        eprintln!("{}", Word::BatchSummary.fill(global.lang(), &args));
        match (summary.refused, self.args.strict) {
            (0, _) => Exit::Success,
            (_, true) => Exit::Failed,
            _ => Exit::Found,
        }
    }
}

use jixiao::diagnostic::output::write_failed as output_failed;

/// What a batch reports as it goes: refusals to stderr, and each warning
/// and refused record to the JSON Lines files asked for.
struct Trace<'a> {
    sources: &'a Sources,
    global: &'a Global,
    /// The `--warnings` file, the lines not yet written to it, its path.
    warned: Option<(output::Pending, String, PathBuf)>,
    refused: Option<(output::Pending, String, PathBuf)>,
    bar: Option<indicatif::ProgressBar>,
    /// The first write to a trace file that failed.
    failed: Option<(PathBuf, std::io::Error)>,
}

impl Trace<'_> {
    /// One JSON object for a warning or a refusal, with its record number.
    fn line(&self, problem: &Problem, input: Option<&str>) -> String {
        let rendered = problem.render(self.global.lang());
        let record: Option<u64> = problem.get("row").and_then(|r| r.parse().ok());
        let mut object = serde_json::json!({
            "record": record,
            "code": problem.code,
            "message": rendered.message,
        });
        if let (Some(input), Some(map)) = (input, object.as_object_mut()) {
            map.insert("input".to_string(), serde_json::Value::String(input.to_string()));
        }
        let mut line = object.to_string();
        line.push('\n');
        line
    }

    fn write(
        slot: &mut Option<(output::Pending, String, PathBuf)>,
        line: &str,
        failed: &mut Option<(PathBuf, std::io::Error)>,
    ) {
        let Some((pending, buffer, path)) = slot else { return };
        buffer.push_str(line);
        if buffer.len() > 1 << 16 {
            if let Err(e) = pending.file().write_all(buffer.as_bytes()) {
                failed.get_or_insert((path.clone(), e));
            }
            buffer.clear();
        }
    }

    /// Writes what is buffered and puts the files in place; once (a second
    /// call finds nothing left to do).
    fn finish(&mut self) -> Result<(), Problem> {
        for slot in [self.warned.take(), self.refused.take()] {
            let Some((mut pending, buffer, path)) = slot else { continue };
            let written = pending.file().write_all(buffer.as_bytes()).and_then(|()| pending.commit());
            if let Err(e) = written {
                return Err(output_failed(Some(&path), &e));
            }
        }
        match self.failed.take() {
            Some((path, e)) => Err(output_failed(Some(&path), &e)),
            None => Ok(()),
        }
    }
}

impl batch::Events for Trace<'_> {
    fn refused(&mut self, problem: Problem, record: &str) {
        let line = self.line(&problem, Some(record.trim_end_matches(['\r', '\n'])));
        Self::write(&mut self.refused, &line, &mut self.failed);
        output::report(&[problem], self.sources, self.global);
    }

    fn warned(&mut self, problem: Problem) {
        let line = self.line(&problem, None);
        Self::write(&mut self.warned, &line, &mut self.failed);
    }

    fn progress(&mut self, records: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(records);
        }
    }
}

/// A progress bar on stderr when it is a terminal; nothing otherwise.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} records scored ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    Some(bar)
}

#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// The rule file of the project to make records for.
    #[arg(required_unless_present = "projects")]
    pub rules: Vec<PathBuf>,
    /// How many records.
    #[arg(long, required_unless_present = "projects")]
    pub records: Option<u64>,
    /// Instead of records: a folder of this many projects, each its own rule
    /// file of twelve indicators (`rules/`) with its data file (`data/`).
    #[arg(long, conflicts_with_all = ["rules", "records", "invalid_rate", "output"], requires = "out")]
    pub projects: Option<u64>,
    /// The folder `--projects` writes into: new or empty.
    #[arg(long, requires = "projects")]
    pub out: Option<PathBuf>,
    /// The seed: the same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: RecordFormat,
    /// The share of records with a refusable value (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    pub invalid_rate: f64,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

impl GenerateArgs {
    pub fn run(&self, global: &Global) -> Exit {
        if let (Some(projects), Some(out)) = (self.projects, &self.out) {
            return write_project_folder(projects, self.seed, out, global);
        }
        let records = self.records.unwrap_or(0);
        let checked = check::check_files(&self.rules, global.rules_root_for(&self.rules).as_deref());
        let Some(rules) = &checked.rules else {
            output::report(&checked.problems, &checked.sources, global);
            return Exit::Failed;
        };
        let index = match batch::project(rules) {
            Ok(i) => i,
            Err(p) => {
                output::report(&[p], &checked.sources, global);
                return Exit::Failed;
            }
        };
        let program = Program::new(rules, index);
        let scheme = rules.scheme_of(program.project);
        let format = self.format.into();
        // A rate, not a score: the one place a float is fine. In millionths from here on.
        let invalid = (self.invalid_rate.clamp(0.0, 1.0) * 1_000_000.0).round() as u64;
        let mut buffer: Vec<u8> = Vec::new();
        let result = match &self.output {
            Some(_) => batch::generate::generate(&program, scheme, records, self.seed, invalid, format, &mut buffer),
            None => {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
                batch::generate::generate(&program, scheme, records, self.seed, invalid, format, &mut w)
            }
        };
        if let Err(e) = result {
            // Only standard output is written while generating; a file is written below.
            output::report(&[output_failed(None, &e)], &checked.sources, global);
            return Exit::Failed;
        }
        match &self.output {
            Some(path) => match output::write_atomic(path, &buffer) {
                Ok(()) => Exit::Success,
                Err(e) => {
                    output::report(&[output_failed(Some(path), &e)], &checked.sources, global);
                    Exit::Failed
                }
            },
            None => Exit::Success,
        }
    }
}

/// `generate --projects N --out DIR`: every file written atomically, into a
/// folder that is new or empty (nothing of the user's is replaced).
fn write_project_folder(projects: u64, seed: u64, out: &Path, global: &Global) -> Exit {
    let sources = Sources::new();
    let refused = match std::fs::read_dir(out).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Some(Problem::error(jixiao::diagnostic::output::EXISTS).arg("path", out.display())),
        Ok(false) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        // A file, or a folder that cannot be listed (it might hold files): not written into.
        Err(_) if out.is_file() => Some(output_failed(Some(out), &std::io::ErrorKind::AlreadyExists.into())),
        Err(e) => Some(output_failed(Some(out), &e)),
    };
    if let Some(problem) = refused {
        output::report(&[problem], &sources, global);
        return Exit::Failed;
    }
    for file in batch::projects::project_folder(projects, seed) {
        let path = out.join(&file.path);
        let written = match path.parent() {
            Some(dir) => std::fs::create_dir_all(dir).and_then(|()| output::write_atomic(&path, file.text.as_bytes())),
            None => output::write_atomic(&path, file.text.as_bytes()),
        };
        if let Err(e) = written {
            output::report(&[output_failed(Some(&path), &e)], &sources, global);
            return Exit::Failed;
        }
    }
    Exit::Success
}
