use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Exit, Global, output};
use jixiao::messages::{Lang, Word};
use jixiao::source::Sources;
use jixiao::testing::{self, Drift, Outcome};

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Rule files or folders holding tests (default: `rules`).
    pub rules: Vec<PathBuf>,
    /// Data files whose evaluations must equal their golden files
    /// (`golden/<name>.json` beside each).
    #[arg(long, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// (Re)write the golden files, after printing what changes.
    #[arg(long)]
    pub update: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TestFormat,
    /// Which indicators, method branches, levels and grade bands the tests exercised.
    #[arg(long)]
    pub coverage: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    /// For the terminal: a line per failure with its trace, then the count.
    Table,
    /// `jixiao.test/1`, for tools.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

/// A golden file's check.
struct Golden {
    data: PathBuf,
    path: PathBuf,
    /// `None` when the golden file is missing.
    drifts: Option<Vec<Drift>>,
}

impl TestArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let lang = global.lang();
        let roots = if self.rules.is_empty() { vec![PathBuf::from("rules")] } else { self.rules.clone() };
        let checked = jixiao::check::check_files(&roots, global.rules_root_for(&roots).as_deref());
        let Some(rules) = checked.rules.clone() else {
            output::report(&checked.problems, &checked.sources, global);
            return Exit::Failed;
        };
        let mut sources = checked.sources.clone();
        let (outcomes, coverage) = testing::run(&rules, &mut sources, lang);
        let coverage = self.coverage.then(|| testing::coverage_report(&rules, &coverage));

        let mut goldens = Vec::new();
        for data in &self.data {
            let project_data = match jixiao::data::read(data, &mut sources) {
                Ok(d) => d,
                Err(problems) => {
                    output::report(&problems, &sources, global);
                    return Exit::Failed;
                }
            };
            let evaluation = match jixiao::eval::evaluate(&rules, &project_data) {
                Ok(e) => e,
                Err(problems) => {
                    output::report(&problems, &sources, global);
                    return Exit::Failed;
                }
            };
            let now = jixiao::report::json::render(std::slice::from_ref(&evaluation));
            let path = testing::golden_path(data);
            let drifts = match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let golden: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
                    let current: serde_json::Value = serde_json::from_str(&now).unwrap_or(serde_json::Value::Null);
                    Some(testing::drifts(&golden, &current))
                }
                Err(_) => None,
            };
            let changed = drifts.as_ref().is_none_or(|d| !d.is_empty());
            if self.update && changed {
                if let Some(parent) = path.parent()
                    && let Err(e) = std::fs::create_dir_all(parent)
                {
                    output::report(&[jixiao::diagnostic::output::write_failed(Some(parent), &e)], &sources, global);
                    return Exit::Failed;
                }
                if let Err(e) = output::write_atomic(&path, now.as_bytes()) {
                    output::report(&[jixiao::diagnostic::output::write_failed(Some(&path), &e)], &sources, global);
                    return Exit::Failed;
                }
            }
            goldens.push(Golden { data: data.clone(), path, drifts });
        }

        let failed_tests = outcomes.iter().filter(|o| !o.passed()).count();
        // With --update a drift is written, not failed.
        let failed_goldens = if self.update {
            0
        } else {
            goldens.iter().filter(|g| g.drifts.as_ref().is_none_or(|d| !d.is_empty())).count()
        };
        let text = match self.format {
            TestFormat::Table => {
                let mut text = table(&outcomes, &goldens, &sources, self.update, lang);
                if let Some(c) = &coverage {
                    text.push_str(&coverage_table(c, lang));
                }
                text
            }
            TestFormat::Json => json(&outcomes, &goldens, &sources, coverage.as_ref()),
            TestFormat::Junit => junit(&outcomes, &goldens, &sources),
        };
        let exit = output::emit(&text, None, &sources, global);
        if exit == Exit::Failed {
            Exit::Failed
        } else if failed_tests + failed_goldens > 0 {
            Exit::Found
        } else {
            Exit::Success
        }
    }
}

/// (passed, failed) over tests and golden files.
fn counts(outcomes: &[Outcome], goldens: &[Golden]) -> (usize, usize) {
    let passed = outcomes.iter().filter(|o| o.passed()).count()
        + goldens.iter().filter(|g| g.drifts.as_ref().is_some_and(|d| d.is_empty())).count();
    (passed, outcomes.len() + goldens.len() - passed)
}

/// `file:line` of a span.
fn place(sources: &Sources, span: jixiao::span::Span) -> String {
    let (line, _) = sources.line_col(span.file, span.start as usize);
    format!("{}:{line}", sources.name(span.file))
}

fn table(outcomes: &[Outcome], goldens: &[Golden], sources: &Sources, update: bool, lang: Lang) -> String {
    let mut out = String::new();
    for o in outcomes.iter().filter(|o| !o.passed()) {
        let _ = writeln!(out, "✗ {}  {} · {}", place(sources, o.span), o.project, o.name);
        let mut traced: Vec<&str> = Vec::new();
        for f in &o.failures {
            let at = place(sources, f.span);
            let args =
                [("subject", f.subject.as_str()), ("at", &at), ("expected", &f.expected), ("computed", &f.computed)];
            let _ = writeln!(out, "    {}", Word::TestFailure.fill(lang, &args));
            // One trace per indicator: the next failure on it points back.
            if let Some(trace) = f.trace.as_deref().filter(|t| !traced.contains(t)) {
                traced.push(trace);
                for line in trace.lines().filter(|l| !l.trim().is_empty()) {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    for g in goldens {
        match &g.drifts {
            None if update => {
                let _ = writeln!(out, "+ {} → {}", g.data.display(), g.path.display());
            }
            None => {
                let golden = g.path.display().to_string();
                let _ =
                    writeln!(out, "✗ {}: {}", g.data.display(), Word::TestNoGolden.fill(lang, &[("golden", &golden)]));
            }
            Some(d) if d.is_empty() => {}
            Some(d) => {
                let mark = if update { "~" } else { "✗" };
                let _ = writeln!(out, "{mark} {} ≠ {}", g.data.display(), g.path.display());
                let header =
                    [Word::DriftPlace, Word::DriftField, Word::DriftExpected, Word::DriftNow].map(|w| w.text(lang));
                let rows: Vec<[&str; 4]> = d
                    .iter()
                    .map(|d| [d.place.as_str(), d.field.as_str(), d.expected.as_str(), d.now.as_str()])
                    .collect();
                let width = |c: usize| {
                    rows.iter().chain([&header]).map(|r| unicode_width::UnicodeWidthStr::width(r[c])).max().unwrap_or(0)
                };
                let widths = [width(0), width(1), width(2), width(3)];
                for row in std::iter::once(&header).chain(&rows) {
                    let cells: Vec<String> = row.iter().zip(widths).map(|(c, w)| jixiao::report::pad(c, w)).collect();
                    let _ = writeln!(out, "    {}", cells.join("  ").trim_end());
                }
            }
        }
    }
    let (passed, failed) = counts(outcomes, goldens);
    let written = goldens.iter().filter(|g| g.drifts.as_ref().is_none_or(|d| !d.is_empty())).count();
    let (passed, failed, updated) =
        (passed.to_string(), (failed - if update { written } else { 0 }).to_string(), written.to_string());
    let args = [("passed", passed.as_str()), ("failed", &failed), ("updated", &updated)];
    let count = if update { Word::TestCountUpdated } else { Word::TestCount };
    let _ = writeln!(out, "{}", count.fill(lang, &args));
    out
}

fn coverage_table(c: &testing::CoverageReport, lang: Lang) -> String {
    let mark = |b: bool| if b { "✓" } else { "✗" };
    let mut out = String::new();
    let (named, total) = (c.named.to_string(), c.indicators.to_string());
    let _ = writeln!(out, "\n{}", Word::CoverageTitle.text(lang));
    let _ = writeln!(out, "  {}", Word::CoverageNamed.fill(lang, &[("named", &named), ("total", &total)]));
    if !c.unnamed.is_empty() {
        let list: Vec<String> = c.unnamed.iter().map(|(p, i)| format!("{p} · {i}")).collect();
        let _ = writeln!(out, "    {} {}", Word::CoverageUnnamed.text(lang), list.join(", "));
    }
    let covered = c.branches.iter().filter(|b| b.then && b.otherwise).count().to_string();
    let branches = c.branches.len().to_string();
    let _ = writeln!(out, "  {}", Word::CoverageBranches.fill(lang, &[("covered", &covered), ("total", &branches)]));
    let mut scheme = "";
    for b in &c.branches {
        if b.scheme != scheme {
            scheme = &b.scheme;
            let _ = writeln!(out, "    {scheme}");
        }
        let line = b.line.to_string();
        let args = [
            ("mark", mark(b.then && b.otherwise)),
            ("method", b.method.as_str()),
            ("condition", b.condition.as_str()),
            ("line", line.as_str()),
            ("then", mark(b.then)),
            ("else", mark(b.otherwise)),
        ];
        let _ = writeln!(out, "      {}", Word::CoverageBranch.fill(lang, &args));
    }
    // Levels and grade bands, scheme by scheme.
    for (label, rows) in [(Word::CoverageLevels, &c.levels), (Word::CoverageGrades, &c.grades)] {
        let mut schemes: Vec<&str> = rows.iter().map(|(s, _, _)| s.as_str()).collect();
        schemes.dedup();
        for scheme in schemes {
            let marks: Vec<String> =
                rows.iter().filter(|(s, _, _)| s == scheme).map(|(_, l, r)| format!("{l} {}", mark(*r))).collect();
            let _ = writeln!(out, "  {} · {scheme}  {}", label.text(lang), marks.join("  "));
        }
    }
    out
}

fn json(
    outcomes: &[Outcome],
    goldens: &[Golden],
    sources: &Sources,
    coverage: Option<&testing::CoverageReport>,
) -> String {
    use serde_json::json;
    let tests: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            json!({
                "name": o.name,
                "project": o.project,
                "at": place(sources, o.span),
                "passed": o.passed(),
                "failures": o.failures.iter().map(|f| json!({
                    "subject": f.subject,
                    "expected": f.expected,
                    "computed": f.computed,
                    "at": place(sources, f.span),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let golden: Vec<serde_json::Value> = goldens
        .iter()
        .map(|g| {
            json!({
                "data": g.data.display().to_string(),
                "golden": g.path.display().to_string(),
                "missing": g.drifts.is_none(),
                "drifts": g.drifts.iter().flatten().map(|d| json!({
                    "place": d.place, "field": d.field, "expected": d.expected, "now": d.now,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let (passed, failed) = counts(outcomes, goldens);
    let mut value =
        json!({"schema": "jixiao.test/1", "tests": tests, "golden": golden, "passed": passed, "failed": failed});
    if let Some(c) = coverage {
        value["coverage"] = json!({
            "indicators": {"named": c.named, "total": c.indicators,
                "unnamed": c.unnamed.iter().map(|(p, i)| json!({"project": p, "id": i})).collect::<Vec<_>>()},
            "branches": c.branches.iter().map(|b| json!({
                "scheme": b.scheme, "method": b.method, "condition": b.condition, "line": b.line,
                "then": b.then, "else": b.otherwise,
            })).collect::<Vec<_>>(),
            "levels": c.levels.iter().map(|(s, l, r)| json!({"scheme": s, "level": l, "reached": r})).collect::<Vec<_>>(),
            "grades": c.grades.iter().map(|(s, g, r)| json!({"scheme": s, "grade": g, "reached": r})).collect::<Vec<_>>(),
        });
    }
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// Text for XML: markup escaped; control characters, which XML 1.0 cannot hold, as spaces.
fn xml(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && !matches!(c, '\n' | '\t') { ' ' } else { c })
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit(outcomes: &[Outcome], goldens: &[Golden], sources: &Sources) -> String {
    let mut cases = String::new();
    let mut failures = 0;
    for o in outcomes {
        let _ = write!(
            cases,
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
            xml(&o.project),
            xml(&o.name),
            xml(&place(sources, o.span))
        );
        if o.passed() {
            cases.push_str("/>\n");
            continue;
        }
        failures += 1;
        cases.push_str(">\n");
        for f in &o.failures {
            let message = format!("{}: expected {}, computed {}", f.subject, f.expected, f.computed);
            let _ = writeln!(
                cases,
                "      <failure message=\"{}\">{}</failure>",
                xml(&message),
                xml(f.trace.as_deref().unwrap_or(""))
            );
        }
        cases.push_str("    </testcase>\n");
    }
    for g in goldens {
        let _ = write!(cases, "    <testcase classname=\"golden\" name=\"{}\"", xml(&g.data.display().to_string()));
        match &g.drifts {
            Some(d) if d.is_empty() => cases.push_str("/>\n"),
            _ => {
                failures += 1;
                let detail: Vec<String> = g
                    .drifts
                    .iter()
                    .flatten()
                    .map(|d| format!("{} {}: expected {}, now {}", d.place, d.field, d.expected, d.now))
                    .collect();
                let message = if g.drifts.is_none() { "no golden file".to_string() } else { "drifted".to_string() };
                let _ = writeln!(
                    cases,
                    ">\n      <failure message=\"{message}\">{}</failure>\n    </testcase>",
                    xml(&detail.join("\n"))
                );
            }
        }
    }
    let total = outcomes.len() + goldens.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"jixiao\" tests=\"{total}\" failures=\"{failures}\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}
