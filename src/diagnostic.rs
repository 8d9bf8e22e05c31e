//! Problems found by any phase, and how they become miette reports.
//!
//! A phase records a [`Problem`]: a stable code, the arguments its message
//! needs and the spans it concerns. Words come later, from the catalogue in
//! [`crate::messages`], in the language the user asked for.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, SourceCode};

use crate::messages::{self, Lang, Word};
use crate::source::{SourceFile, Sources};
use crate::span::Span;

/// A state the code should never reach: a bug, reported instead of a panic.
pub const INTERNAL: &str = "jixiao::syntax::internal";

/// Problems writing output, shared by every command: a file names its
/// path; standard output has its own code, since a lost `> file` or a closed
/// pipe must not pass for success.
pub mod output {
    use std::path::Path;

    use super::Problem;

    pub const WRITE: &str = "jixiao::io::write";
    pub const STDOUT: &str = "jixiao::io::stdout";
    /// A folder to be filled that already holds files.
    pub const EXISTS: &str = "jixiao::io::exists";

    /// A thread the work needs that the system would not start.
    pub const MEMORY: &str = "jixiao::io::memory";

    /// The system refused a thread (a tight limit on virtual memory): in its
    /// own words, since std calls EAGAIN "operation would block".
    pub fn thread_refused(error: &std::io::Error) -> Problem {
        Problem::error(MEMORY).arg("reason", error)
    }

    /// A failed write to `path`, or to standard output when `None`.
    pub fn write_failed(path: Option<&Path>, error: &std::io::Error) -> Problem {
        match path {
            Some(path) => Problem::error(WRITE).arg("path", path.display()).arg_io("reason", error.kind()),
            None => Problem::error(STDOUT).arg_io("reason", error.kind()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// An argument of a message: text shown as it is (user text included,
/// never re-read as a template), or words that differ by language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Words { en: String, zh: String },
}

impl Arg {
    pub fn get(&self, lang: Lang) -> &str {
        match (self, lang) {
            (Arg::Text(t), _) => t,
            (Arg::Words { en, .. }, Lang::En) => en,
            (Arg::Words { zh, .. }, Lang::Zh) => zh,
        }
    }
}

/// One problem, before it is put into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub severity: Severity,
    pub args: Vec<(&'static str, Arg)>,
    /// The first span is the primary location; the catalogue labels each in order.
    pub spans: Vec<Span>,
    /// Edits that would mend the problem, for an editor or a script to apply.
    pub fixes: Vec<Fix>,
}

/// A machine-applicable fix: the text at `span` replaced by `replacement`
/// (a did-you-mean name, a half-width character, a missing space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

impl Problem {
    pub fn error(code: &'static str) -> Self {
        Problem { code, severity: Severity::Error, args: Vec::new(), spans: Vec::new(), fixes: Vec::new() }
    }

    pub fn warning(code: &'static str) -> Self {
        Problem { severity: Severity::Warning, ..Problem::error(code) }
    }

    pub fn arg(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((key, Arg::Text(value.to_string())));
        self
    }

    /// Words of the catalogue, their placeholders filled with `args`.
    pub fn arg_word(self, key: &'static str, word: Word, args: &[(&str, &str)]) -> Self {
        self.arg_in(key, word.fill(Lang::En, args), word.fill(Lang::Zh, args))
    }

    /// An argument that reads differently in each language, put together
    /// from words of the catalogue.
    pub(crate) fn arg_in(mut self, key: &'static str, en: impl fmt::Display, zh: impl fmt::Display) -> Self {
        self.args.push((key, Arg::Words { en: en.to_string(), zh: zh.to_string() }));
        self
    }

    /// Why an I/O operation failed, in words.
    pub fn arg_io(self, key: &'static str, kind: std::io::ErrorKind) -> Self {
        match messages::io_reason(kind) {
            Ok(word) => self.arg_word(key, word, &[]),
            Err(name) => self.arg(key, name),
        }
    }

    /// A noun of the rule language (`section`, `figure` …), in both languages.
    pub fn arg_noun(self, key: &'static str, noun: &str) -> Self {
        match messages::noun(noun) {
            Some(word) => self.arg_word(key, word, &[]),
            None => self.arg(key, noun),
        }
    }

    /// A fix: `replacement` in place of the text at `span`.
    pub fn fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fixes.push(Fix { span, replacement: replacement.into() });
        self
    }

    pub fn at(mut self, span: Span) -> Self {
        self.spans.push(span);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// An argument's text (the English words of a two-language one).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| *k == key).map(|(_, v)| v.get(Lang::En))
    }

    /// Puts the problem into words.
    pub fn render(&self, lang: Lang) -> Rendered {
        let text = messages::text(self.code, lang);
        let fill = |template: &str| messages::fill(template, &self.args, lang);
        let mut help = fill(text.help);
        if self.get("suggestion").is_some() {
            let extra = fill(Word::DidYouMean.text(lang));
            help = if help.is_empty() { extra } else { format!("{extra} {help}") };
        }
        // A refused batch record says where it is: `record 7, column 巡查: …`.
        let mut message = fill(text.message);
        if self.get("row").is_some() {
            let at = if self.get("column").is_some() { Word::AtRecordColumn } else { Word::AtRecord };
            message = format!("{}{message}", fill(at.text(lang)));
        }
        Rendered {
            code: self.code,
            severity: self.severity,
            message,
            help: (!help.is_empty()).then_some(help),
            labels: self
                .spans
                .iter()
                .enumerate()
                .map(|(i, span)| {
                    (
                        *span,
                        // Past the catalogue's labels the last one repeats (one per counted item).
                        text.labels.get(i).or(text.labels.last()).map(|l| fill(l)).unwrap_or_default(),
                    )
                })
                .collect(),
        }
    }
}

/// A problem in words.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<(Span, String)>,
}

/// A rendered problem with its source text, ready for miette.
#[derive(Debug)]
pub struct Report {
    rendered: Rendered,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
    /// A second place shown with its own source: no code, no severity word.
    is_related: bool,
}

impl Report {
    pub fn new(problem: &Problem, lang: Lang, sources: &Sources) -> Report {
        let rendered = problem.render(lang);
        let primary_file = rendered.labels.first().map(|(span, _)| span.file);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        for (i, (span, text)) in rendered.labels.iter().enumerate() {
            let label = (!text.is_empty()).then(|| text.clone());
            let labeled = if i == 0 {
                LabeledSpan::new_primary_with_span(label, span.range())
            } else {
                LabeledSpan::new_with_span(label, span.range())
            };
            if Some(span.file) == primary_file {
                labels.push(labeled);
            } else {
                // miette shows one file per report: a label in another file
                // becomes a related note on that file.
                related.push(Report {
                    rendered: Rendered {
                        code: problem.code,
                        severity: Severity::Warning,
                        message: text.clone(),
                        help: None,
                        labels: Vec::new(),
                    },
                    source: sources.get(span.file).map(Snippet::new),
                    labels: vec![LabeledSpan::new_primary_with_span(None, span.range())],
                    related: Vec::new(),
                    is_related: true,
                });
            }
        }
        let source = primary_file
            .and_then(|id| sources.get(id))
            .map(|f| Snippet { language: Some("jixiao"), ..Snippet::new(f) });
        Report { rendered, source, labels, related, is_related: false }
    }

    pub fn rendered(&self) -> &Rendered {
        &self.rendered
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.is_related).then(|| Box::new(self.rendered.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        if self.is_related {
            return Some(miette::Severity::Advice);
        }
        Some(match self.rendered.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.rendered.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() { None } else { Some(Box::new(self.labels.iter().cloned())) }
    }

    // Places in other files are rendered after the report by `render_human`,
    // each as a plain labelled snippet: miette's own related reports carry a
    // severity header that reads as a second problem.
}

impl Report {
    /// The places this problem has in other files than its first.
    pub fn others(&self) -> &[Report] {
        &self.related
    }
}

/// A file's text as miette reads it, from the lines around the place shown.
/// miette's own reader counts lines from the start of the text, so a
/// thousand problems in a long generated file cost a thousand walks of it.
#[derive(Debug)]
struct Snippet {
    name: String,
    text: Arc<str>,
    line_starts: Arc<[usize]>,
    language: Option<&'static str>,
}

impl Snippet {
    fn new(file: &SourceFile) -> Snippet {
        Snippet { name: file.name.clone(), text: file.text.clone(), line_starts: file.line_starts(), language: None }
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // Start the text handed to miette at the first line it will show.
        let line = self.line_starts.partition_point(|&s| s <= span.offset()).saturating_sub(1);
        let first = line.saturating_sub(context_lines_before);
        let base = self.line_starts.get(first).copied().unwrap_or(0);
        let window = self.text.as_bytes().get(base..).unwrap_or(&[]);
        let local = miette::SourceSpan::new((span.offset() - base).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let shown = miette::SourceSpan::new((inner.span().offset() + base).into(), inner.span().len());
        let contents = miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            shown,
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        );
        Ok(Box::new(match self.language {
            Some(language) => contents.with_language(language),
            None => contents,
        }))
    }
}

/// Renders problems as miette's graphical report, one after another.
pub fn render_human(problems: &[Problem], lang: Lang, sources: &Sources, color: bool, width: usize) -> String {
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    for problem in problems {
        let report = Report::new(problem, lang, sources);
        if let Some(text) = without_snippet(problem, &report, sources) {
            out.push_str(&text);
            continue;
        }
        let mut one = String::new();
        if handler.render_report(&mut one, &report).is_err() {
            one = format!("{}: {}\n", problem.code, report.rendered.message);
        }
        out.push_str(one.trim_end());
        out.push_str("\n\n");
        for other in report.others() {
            let mut place = String::new();
            if handler.render_report(&mut place, other).is_ok() {
                out.push_str(place.trim_end());
                out.push_str("\n\n");
            }
        }
    }
    out
}

/// Source lines longer than this are not shown: a generated file's one-line
/// expression would print hundreds of kilobytes (and trips miette's layout).
const MAX_SHOWN_LINE: usize = 1000;

/// A problem whose places lie on lines too long to show, as its message,
/// each place as `file:line:column`, and its help.
fn without_snippet(problem: &Problem, report: &Report, sources: &Sources) -> Option<String> {
    let long = |span: &Span| {
        let text = sources.text(span.file);
        let at = (span.start as usize).min(text.len());
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        end - start > MAX_SHOWN_LINE
    };
    if !problem.spans.iter().any(long) {
        return None;
    }
    let rendered = report.rendered();
    let mark = match rendered.severity {
        Severity::Error => "×",
        Severity::Warning => "⚠",
    };
    let mut out = format!("{}\n\n  {mark} {}\n", rendered.code, rendered.message);
    for (span, label) in &rendered.labels {
        let (line, column) = sources.line_col(span.file, span.start as usize);
        let label = if label.is_empty() { String::new() } else { format!(" ({label})") };
        out.push_str(&format!("   at {}:{line}:{column}{label}\n", sources.name(span.file)));
    }
    if let Some(help) = &rendered.help {
        out.push_str(&format!("  help: {help}\n"));
    }
    out.push('\n');
    Some(out)
}

/// Sorts problems by file and position, errors and warnings interleaved, so
/// output reads top to bottom like the file.
pub fn sort(problems: &mut [Problem]) {
    problems.sort_by_key(|p| p.spans.first().map(|s| (s.file, s.start, s.end)));
}
