//! Writing diagnostics to stderr and results to stdout or a file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{ErrorFormat, Global};
use jixiao::diagnostic::{Problem, Severity, render_human};
use jixiao::messages::Lang;
use jixiao::source::Sources;

/// Writes problems to stderr in the chosen format.
pub fn report(problems: &[Problem], sources: &Sources, global: &Global) {
    if problems.is_empty() {
        return;
    }
    let text = format_problems(problems, sources, global.lang(), global.error_format, color());
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    span: Option<[u32; 2]>,
    labels: Vec<JsonLabel<'a>>,
    /// Machine-applicable edits (`span` in bytes of `file`), when the
    /// problem has any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    file: String,
    line: usize,
    column: usize,
    span: [u32; 2],
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: String,
    line: usize,
    column: usize,
    span: [u32; 2],
    label: &'a str,
}

pub fn format_problems(
    problems: &[Problem],
    sources: &Sources,
    lang: Lang,
    format: ErrorFormat,
    color: bool,
) -> String {
    match format {
        ErrorFormat::Human => render_human(problems, lang, sources, color, 100),
        ErrorFormat::Json => {
            let name = |file| sources.name(file).to_string();
            problems.iter().map(|p| format!("{}\n", json_diagnostic(p, sources, lang, &name))).collect()
        }
        ErrorFormat::Plain => {
            let mut out = String::new();
            for problem in problems {
                let rendered = problem.render(lang);
                let severity = match rendered.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                if let Some((span, _)) = rendered.labels.first() {
                    let (line, column) = sources.line_col(span.file, span.start as usize);
                    out.push_str(&format!("{}:{line}:{column}: ", sources.name(span.file)));
                }
                out.push_str(&format!("{severity}[{}]: {}", rendered.code, rendered.message));
                if let Some(help) = &rendered.help {
                    out.push_str(&format!(" ({help})"));
                }
                out.push('\n');
            }
            out
        }
    }
}

/// One problem as the `--error-format json` contract writes it, each file
/// called by `name` (the command line: as it was named; `serve`: by its
/// place in the workspace).
pub fn json_diagnostic(
    problem: &Problem,
    sources: &Sources,
    lang: Lang,
    name: &dyn Fn(jixiao::span::FileId) -> String,
) -> serde_json::Value {
    let rendered = problem.render(lang);
    let severity = match rendered.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = |span: jixiao::span::Span| {
        let (line, column) = sources.line_col(span.file, span.start as usize);
        (name(span.file), line, column, [span.start, span.end])
    };
    let primary = rendered.labels.first().map(|(span, _)| place(*span));
    let labels = rendered
        .labels
        .iter()
        .map(|(span, label)| {
            let (file, line, column, span) = place(*span);
            JsonLabel { file, line, column, span, label }
        })
        .collect();
    let fixes = problem
        .fixes
        .iter()
        .map(|fix| {
            let (file, line, column, span) = place(fix.span);
            JsonFix { file, line, column, span, replacement: &fix.replacement }
        })
        .collect();
    let (file, line, column, span) = match primary {
        Some((file, line, column, span)) => (Some(file), Some(line), Some(column), Some(span)),
        None => (None, None, None, None),
    };
    let json = JsonDiagnostic {
        code: rendered.code,
        severity,
        message: &rendered.message,
        help: rendered.help.as_deref(),
        file,
        line,
        column,
        span,
        labels,
        fixes,
    };
    serde_json::to_value(&json).unwrap_or_default()
}

/// A bar over `len` files on stderr, for a long folder when stderr is a
/// terminal; nothing otherwise (a pipe or a CI log gets no control codes).
pub fn files_progress(len: usize, lang: jixiao::messages::Lang) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if len < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    let template = format!("{{bar:30}} {}", jixiao::messages::Word::FilesProgress.text(lang));
    bar.set_style(
        indicatif::ProgressStyle::with_template(&template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Whether `path` may be replaced by renaming a file over it: it does not
/// exist yet, or is a regular file. A device or pipe (`/dev/null`,
/// `/dev/stdout`) is written to in place, never replaced.
pub fn replaceable(path: &Path) -> bool {
    std::fs::metadata(path).map(|m| m.is_file()).unwrap_or(true)
}

/// Where a write to `path` lands: the file a symbolic link points to, so
/// the link itself is kept.
pub fn landing(path: &Path) -> std::path::PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

/// The temporary name beside `path` that this process writes to:
/// `.NAME.PID.tmp`.
fn temp_path(path: &Path) -> PathBuf {
    let (dir, name) = dir_and_name(path);
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

fn dir_and_name(path: &Path) -> (PathBuf, String) {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    (dir.to_path_buf(), name)
}

/// Removes temporaries that an earlier run to the same path left behind
/// when it was killed: `.NAME.PID.tmp` whose process is gone (where the
/// system shows processes under `/proc`), or older than a day elsewhere.
fn remove_stale_temporaries(path: &Path) {
    let (dir, name) = dir_and_name(path);
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|f| f.strip_suffix(".tmp"))
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if pid == std::process::id().to_string() {
            continue;
        }
        let gone = if Path::new("/proc/self").exists() {
            !Path::new("/proc").join(pid).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        if gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// An output file being written: a temporary file beside the destination,
/// renamed over it by [`Pending::commit`]. Dropped without a commit (the
/// run failed, or was refused), the temporary is removed and the old file
/// stays as it was. A device or pipe (`/dev/null`, `/dev/stdout`) is
/// written in place: there is nothing to replace.
pub struct Pending {
    file: std::fs::File,
    /// `(temporary, destination)` when writing beside a regular file.
    rename: Option<(PathBuf, PathBuf)>,
}

impl Pending {
    pub fn create(path: &Path) -> std::io::Result<Pending> {
        if !replaceable(path) {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(Pending { file, rename: None });
        }
        let path = landing(path);
        remove_stale_temporaries(&path);
        let temp = temp_path(&path);
        // A fresh file, never one planted at the temporary name.
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        Ok(Pending { file, rename: Some((temp, path)) })
    }

    pub fn file(&mut self) -> &mut std::fs::File {
        &mut self.file
    }

    /// On disk, with the permissions of the file it replaces, then renamed
    /// over it: a reader never sees half a file.
    pub fn commit(mut self) -> std::io::Result<()> {
        self.file.flush()?;
        let Some((temp, path)) = self.rename.take() else { return Ok(()) };
        let result = (|| {
            self.file.sync_all()?;
            if let Ok(old) = std::fs::metadata(&path) {
                std::fs::set_permissions(&temp, old.permissions())?;
            }
            std::fs::rename(&temp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some((temp, _)) = &self.rename {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// Writes `bytes` to `path` atomically (see [`Pending`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut pending = Pending::create(path)?;
    pending.file().write_all(bytes)?;
    pending.commit()
}

/// The format an output file's name announces: `自评表.xlsx` is a workbook.
fn named_format(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "xlsx" => "xlsx",
        "html" | "htm" => "html",
        "md" | "markdown" => "markdown",
        "csv" => "csv",
        "json" => "json",
        "jsonl" | "ndjson" => "jsonl",
        "txt" => "table",
        _ => return None,
    })
}

/// The output format: the one asked for, else the one `-o`'s file name
/// announces, else `default`. A `--format` that contradicts the file name,
/// or a name announcing a format this command does not write, is refused:
/// a table in a file named `.xlsx` would open as a broken workbook.
pub fn choose_format<F: clap::ValueEnum + Copy>(
    given: Option<F>,
    output: Option<&Path>,
    default: F,
) -> Result<F, Problem> {
    let name = |f: F| f.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default();
    let Some((path, named)) = output.and_then(|p| named_format(p).map(|n| (p, n))) else {
        return Ok(given.unwrap_or(default));
    };
    let writable = F::value_variants().iter().copied().find(|f| name(*f) == named);
    match (given, writable) {
        (Some(g), _) if name(g) == named => Ok(g),
        (None, Some(f)) => Ok(f),
        (chosen, _) => {
            let available: Vec<String> = F::value_variants().iter().map(|f| format!("`{}`", name(*f))).collect();
            Err(Problem::error(FORMAT_MISMATCH)
                .arg("path", path.display())
                .arg("named", named)
                .arg("format", name(chosen.unwrap_or(default)))
                .arg("available", available.join(", ")))
        }
    }
}

pub const FORMAT_MISMATCH: &str = "jixiao::cli::format_mismatch";

/// Prints to stdout, or writes the file given with `-o`.
pub fn emit(text: &str, output: Option<&Path>, sources: &Sources, global: &Global) -> super::Exit {
    match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Ok(()) => super::Exit::Success,
                Err(e) => {
                    report(&[jixiao::diagnostic::output::write_failed(None, &e)], sources, global);
                    super::Exit::Failed
                }
            }
        }
        Some(path) => match write_atomic(path, text.as_bytes()) {
            Ok(()) => super::Exit::Success,
            Err(e) => {
                report(&[jixiao::diagnostic::output::write_failed(Some(path), &e)], sources, global);
                super::Exit::Failed
            }
        },
    }
}

/// A binary document (a workbook): to a file only, written atomically.
pub fn emit_bytes(
    bytes: Result<Vec<u8>, impl std::fmt::Display>,
    output: Option<&Path>,
    sources: &Sources,
    global: &Global,
) -> super::Exit {
    let Some(path) = output else {
        let problem = Problem::error("jixiao::cli::binary_needs_output").arg("format", "xlsx");
        report(&[problem], sources, global);
        return super::Exit::Failed;
    };
    let problem = match bytes {
        Ok(bytes) => match write_atomic(path, &bytes) {
            Ok(()) => return super::Exit::Success,
            Err(e) => jixiao::diagnostic::output::write_failed(Some(path), &e),
        },
        // The workbook writer's own words: it failed before any file was touched.
        Err(e) => Problem::error("jixiao::io::write").arg("path", path.display()).arg("reason", e),
    };
    report(&[problem], sources, global);
    super::Exit::Failed
}
