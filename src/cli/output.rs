//! Writing diagnostics to stderr and results to stdout or a file.

use std::io::{IsTerminal, Write};
use std::path::Path;

use serde::Serialize;

use super::{ErrorFormat, Global};
use crate::diagnostic::{Problem, Severity, render_human};
use crate::messages::Lang;
use crate::source::Sources;

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
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    span: Option<[u32; 2]>,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
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
        ErrorFormat::Plain | ErrorFormat::Json => {
            let mut out = String::new();
            for problem in problems {
                let rendered = problem.render(lang);
                let severity = match rendered.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let primary = rendered.labels.first().map(|(span, _)| {
                    let (line, column) = sources.line_col(span.file, span.start as usize);
                    (sources.name(span.file), line, column, span)
                });
                if format == ErrorFormat::Plain {
                    if let Some((file, line, column, _)) = primary {
                        out.push_str(&format!("{file}:{line}:{column}: "));
                    }
                    out.push_str(&format!("{severity}[{}]: {}", rendered.code, rendered.message));
                    if let Some(help) = &rendered.help {
                        out.push_str(&format!(" ({help})"));
                    }
                    out.push('\n');
                } else {
                    let labels = rendered
                        .labels
                        .iter()
                        .map(|(span, label)| {
                            let (line, column) = sources.line_col(span.file, span.start as usize);
                            JsonLabel {
                                file: sources.name(span.file),
                                line,
                                column,
                                span: [span.start, span.end],
                                label,
                            }
                        })
                        .collect();
                    let json = JsonDiagnostic {
                        code: rendered.code,
                        severity,
                        message: &rendered.message,
                        help: rendered.help.as_deref(),
                        file: primary.map(|p| p.0),
                        line: primary.map(|p| p.1),
                        column: primary.map(|p| p.2),
                        span: primary.map(|p| [p.3.start, p.3.end]),
                        labels,
                    };
                    out.push_str(&serde_json::to_string(&json).unwrap_or_default());
                    out.push('\n');
                }
            }
            out
        }
    }
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

/// A temporary file beside `path`, renamed over it when complete.
pub fn temp_path(path: &Path) -> std::path::PathBuf {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `text` to `path` atomically: a temporary file beside it, then a
/// rename, so a reader never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if !replaceable(path) {
        return std::fs::OpenOptions::new().write(true).open(path)?.write_all(bytes);
    }
    let path = landing(path);
    let temp = temp_path(&path);
    let result = (|| {
        // A fresh file (never one planted at the temporary name), with the
        // permissions of the file it replaces.
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
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

/// Prints to stdout, or writes the file given with `-o`.
pub fn emit(text: &str, output: Option<&Path>, sources: &Sources, global: &Global) -> super::Exit {
    match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            super::Exit::Success
        }
        Some(path) => match write_atomic(path, text.as_bytes()) {
            Ok(()) => super::Exit::Success,
            Err(e) => {
                let problem = Problem::error("jixiao::io::write")
                    .arg("path", path.display())
                    .arg("reason", format!("{:?}", e.kind()));
                report(&[problem], sources, global);
                super::Exit::Failed
            }
        },
    }
}
