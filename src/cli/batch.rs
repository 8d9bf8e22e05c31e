//! `eval` on a batch of records, and `generate`.

use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;

use clap::ValueEnum;

use super::eval::{BatchFormat, EvalArgs, Format};
use super::{Exit, Global, output};
use crate::batch::{self, Options, Program};
use crate::check;
use crate::diagnostic::Problem;
use crate::messages::Lang;
use crate::source::Sources;

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
            (true, _) => match args.data_format {
                BatchFormat::Csv => batch::Format::Csv,
                BatchFormat::Jsonl => batch::Format::Jsonl,
            },
            (false, Some("csv")) => batch::Format::Csv,
            (false, Some("jsonl")) => batch::Format::Jsonl,
            _ => return None,
        };
        Some(BatchRun { args, input, format })
    }

    pub fn run(&self, global: &Global) -> Exit {
        let fail = |problems: Vec<Problem>, sources: &Sources| {
            output::report(&problems, sources, global);
            Exit::Failed
        };
        let out_format = match self.args.format {
            None | Some(Format::Csv) => batch::Format::Csv,
            Some(Format::Jsonl) => batch::Format::Jsonl,
            Some(other) => {
                let name = format!("{other:?}").to_lowercase();
                return fail(vec![Problem::error("jixiao::batch::format").arg("format", name)], &Sources::new());
            }
        };
        if self.args.data.len() > 1 {
            return fail(vec![Problem::error("jixiao::batch::one_input")], &Sources::new());
        }
        let checked = check::check_files(&self.args.rules, global.rules_root.as_deref());
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
                    let p = Problem::error("jixiao::io::unreadable")
                        .arg("path", self.input.display())
                        .arg("reason", format!("{:?}", e.kind()));
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
        };
        let sources = checked.sources.clone();
        let mut refused = |p: Problem| output::report(&[p], &sources, global);
        let bar = progress_bar();
        let mut progress = |n: u64| {
            if let Some(bar) = &bar {
                bar.set_position(n);
            }
        };
        // Written to a temporary file beside -o and renamed at the end, or streamed to stdout.
        let result = match &self.args.output {
            Some(path) if !output::replaceable(path) => match std::fs::OpenOptions::new().write(true).open(path) {
                Ok(file) => {
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
                    batch::run(&program, reader, &mut w, &options, &mut refused, &mut progress)
                }
                Err(e) => Err(vec![write_problem(path, e.kind())]),
            },
            Some(path) => {
                let path = &output::landing(path);
                let temp = output::temp_path(path);
                let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp);
                let written = created.map_err(|e| e.kind()).and_then(|file| {
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
                    let summary = batch::run(&program, reader, &mut w, &options, &mut refused, &mut progress);
                    let file = w.into_inner().map_err(|e| e.error().kind())?;
                    // On disk before the rename, so a crash never leaves a short file in place.
                    file.sync_all().map_err(|e| e.kind())?;
                    if let Ok(old) = std::fs::metadata(path) {
                        std::fs::set_permissions(&temp, old.permissions()).map_err(|e| e.kind())?;
                    }
                    Ok(summary)
                });
                match written {
                    Ok(Ok(summary)) => match std::fs::rename(&temp, path) {
                        Ok(()) => Ok(summary),
                        Err(e) => {
                            let _ = std::fs::remove_file(&temp);
                            Err(vec![write_problem(path, e.kind())])
                        }
                    },
                    Ok(Err(p)) => {
                        let _ = std::fs::remove_file(&temp);
                        Err(p)
                    }
                    Err(kind) => {
                        let _ = std::fs::remove_file(&temp);
                        Err(vec![write_problem(path, kind)])
                    }
                }
            }
            None => {
                let stdout = std::io::stdout();
                let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
                batch::run(&program, reader, &mut w, &options, &mut refused, &mut progress)
            }
        };
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        let summary = match result {
            Ok(s) => s,
            Err(problems) => return fail(problems, &sources),
        };
        let line = match global.lang() {
            Lang::En => format!(
                "{} records, {} scored, {} refused, {} warnings",
                summary.records, summary.scored, summary.refused, summary.warnings
            ),
            Lang::Zh => format!(
                "共 {} 条记录，计分 {} 条，拒绝 {} 条，提示 {} 条",
                summary.records, summary.scored, summary.refused, summary.warnings
            ),
        };
        eprintln!("{line}");
        match (summary.refused, self.args.strict) {
            (0, _) => Exit::Success,
            (_, true) => Exit::Failed,
            _ => Exit::Found,
        }
    }
}

fn write_problem(path: &std::path::Path, kind: std::io::ErrorKind) -> Problem {
    Problem::error("jixiao::io::write").arg("path", path.display()).arg("reason", format!("{kind:?}"))
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
    #[arg(required = true)]
    pub rules: Vec<PathBuf>,
    /// How many records.
    #[arg(long)]
    pub records: u64,
    /// The seed: the same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: GenerateFormat,
    /// The share of records with a refusable value (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    pub invalid_rate: f64,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum GenerateFormat {
    Csv,
    Jsonl,
}

impl GenerateArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let checked = check::check_files(&self.rules, global.rules_root.as_deref());
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
        let format = match self.format {
            GenerateFormat::Csv => batch::Format::Csv,
            GenerateFormat::Jsonl => batch::Format::Jsonl,
        };
        // A rate, not a score: the one place a float is fine. In millionths from here on.
        let invalid = (self.invalid_rate.clamp(0.0, 1.0) * 1_000_000.0).round() as u64;
        let mut buffer: Vec<u8> = Vec::new();
        let result = match &self.output {
            Some(_) => {
                batch::generate::generate(&program, scheme, self.records, self.seed, invalid, format, &mut buffer)
            }
            None => {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
                batch::generate::generate(&program, scheme, self.records, self.seed, invalid, format, &mut w)
            }
        };
        if let Err(e) = result {
            output::report(&[write_problem(std::path::Path::new("-"), e.kind())], &checked.sources, global);
            return Exit::Failed;
        }
        match &self.output {
            Some(path) => match output::write_atomic(path, &buffer) {
                Ok(()) => Exit::Success,
                Err(e) => {
                    output::report(&[write_problem(path, e.kind())], &checked.sources, global);
                    Exit::Failed
                }
            },
            None => Exit::Success,
        }
    }
}
