use std::path::{Path, PathBuf};

use super::{Exit, Global, output};
use jixiao::diagnostic::Problem;
use jixiao::import::report::{self, Outcome};
use jixiao::import::value::Direction;
use jixiao::import::write::{self, Imported, Mode, Options};
use jixiao::import::{self as import, Note, NoteKind};
use jixiao::source::Sources;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Submitted files: 自评表 workbooks (.xlsx, .xls, .ods) and narrative
    /// reports (.docx, .txt, .md). One file may hold several projects.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The folder to write the rule and data files into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Approved rule files or folders: each submission is matched to its
    /// project by name and year, and only its data file is written.
    #[arg(long, num_args = 1.., required_unless_present = "scheme", conflicts_with = "scheme")]
    pub rules: Vec<PathBuf>,
    /// A scheme file: each indicator table becomes a project's rules, as
    /// submitted, using a copy of the scheme written into `--out`.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// The direction of numeric targets printed without a symbol or a
    /// 指标性质 column (`>=` or `<=`); every target it applies to is listed.
    #[arg(long, value_parser = [">=", "<="])]
    pub assume: Option<String>,
    /// Write the mapping report as JSON (`jixiao.import/1`) to this file;
    /// standard output then gets the summary only.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// The first line of every file `import` writes: what it may replace.
const OURS: [&str; 2] = ["# Imported by jixiao", "// Imported by jixiao"];

impl ImportArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let lang = global.lang();
        let sources = Sources::new();
        let fail = |problem: Problem| {
            output::report(&[problem], &sources, global);
            Exit::Failed
        };
        if self.out.exists() && !self.out.is_dir() {
            return fail(
                Problem::error(import::codes::FORMAT)
                    .arg("path", self.out.display())
                    .arg("reason", "--out names a file; it must be a folder"),
            );
        }
        // The report must not land on a submission (it would replace it).
        if let Some(report) = &self.report
            && self.files.iter().any(|f| same_file(f, report))
        {
            return fail(Problem::error(import::codes::EXISTS).arg("path", report.display()));
        }
        let checked = match &self.scheme {
            Some(scheme) => jixiao::check::check_files(
                std::slice::from_ref(scheme),
                global.rules_root_for(std::slice::from_ref(scheme)).as_deref(),
            ),
            None => jixiao::check::check_files(&self.rules, global.rules_root_for(&self.rules).as_deref()),
        };
        let Some(rules) = checked.rules.clone() else {
            output::report(&checked.problems, &checked.sources, global);
            return Exit::Failed;
        };
        let scheme_name = match &self.scheme {
            Some(scheme_path) if rules.schemes().len() != 1 || !rules.projects().is_empty() => {
                return fail(
                    Problem::error(import::codes::FORMAT)
                        .arg("path", scheme_path.display())
                        .arg("reason", "a --scheme file declares exactly one scheme and no project"),
                );
            }
            Some(scheme_path) => {
                Some(scheme_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or("scheme.jx".into()))
            }
            None => None,
        };
        let mode = match &scheme_name {
            Some(name) => Mode::Scheme { rules: &rules, use_path: name.clone() },
            None => Mode::Rules(&rules),
        };
        let options = Options {
            assume: self.assume.as_deref().map(|a| if a == "<=" { Direction::AtMost } else { Direction::AtLeast }),
        };

        let mut failed = false;
        let mut imported: Vec<Imported> = Vec::new();
        let bar = output::files_progress(self.files.len(), lang);
        for file in &self.files {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            match import::read(file) {
                Ok(submissions) => {
                    // A file in which neither a project nor a table was found could not be read.
                    if submissions.iter().all(|s| s.project.is_none() && s.rows().next().is_none()) {
                        failed = true;
                    }
                    imported.extend(submissions.into_iter().map(|s| write::write(s, &mode, &options)));
                }
                Err(problem) => {
                    output::report(&[problem], &sources, global);
                    failed = true;
                }
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        mark_duplicates(&mut imported);

        let writable: Vec<bool> = imported.iter().map(|i| i.submission.rows().next().is_some()).collect();
        if let Err(e) = std::fs::create_dir_all(&self.out) {
            return fail(jixiao::diagnostic::output::write_failed(Some(&self.out), &e));
        }
        if let (Some(scheme_path), true) = (&self.scheme, writable.contains(&true))
            && let Err(problem) = copy_scheme(&checked.sources, scheme_path, &self.out)
        {
            return fail(problem);
        }

        // Two submissions of one name: the year, then a number, tells them apart;
        // no name is the scheme copy's.
        let mut stems: Vec<String> = scheme_name.iter().map(|n| n.trim_end_matches(".jx").to_string()).collect();
        let mut outcomes: Vec<(usize, Vec<String>)> = Vec::new();
        for (k, i) in imported.iter().enumerate() {
            if !writable[k] {
                outcomes.push((k, Vec::new()));
                continue;
            }
            let mut stem = i.stem.clone();
            if stems.contains(&stem)
                && let Some(y) = &i.submission.year
            {
                stem = format!("{stem}_{}", y.value);
            }
            let base = stem.clone();
            let mut n = 2;
            while stems.contains(&stem) {
                stem = format!("{base}_{n}");
                n += 1;
            }
            stems.push(stem.clone());
            let mut written = Vec::new();
            for (text, extension) in [(&i.rules, "jx"), (&i.data, "toml")] {
                let Some(text) = text else { continue };
                let path = self.out.join(format!("{stem}.{extension}"));
                if !replaceable_import(&path) || self.report.as_deref().is_some_and(|r| same_file(r, &path)) {
                    output::report(
                        &[Problem::error(import::codes::EXISTS).arg("path", path.display())],
                        &sources,
                        global,
                    );
                    failed = true;
                    continue;
                }
                if let Err(e) = output::write_atomic(&path, text.as_bytes()) {
                    output::report(&[jixiao::diagnostic::output::write_failed(Some(&path), &e)], &sources, global);
                    failed = true;
                    continue;
                }
                written.push(path.display().to_string());
            }
            outcomes.push((k, written));
        }
        let outcomes: Vec<Outcome<'_>> =
            outcomes.into_iter().map(|(k, written)| Outcome { imported: &imported[k], written }).collect();

        let text = report::text(&outcomes, lang);
        let exit = match &self.report {
            Some(path) => {
                let json = report::json(&outcomes, lang);
                if let Err(e) = output::write_atomic(path, json.as_bytes()) {
                    output::report(&[jixiao::diagnostic::output::write_failed(Some(path), &e)], &sources, global);
                    failed = true;
                }
                let summary = text.lines().last().unwrap_or_default().to_string() + "\n";
                output::emit(&summary, None, &sources, global)
            }
            None => output::emit(&text, None, &sources, global),
        };
        let unresolved = imported
            .iter()
            .flat_map(|i| &i.notes)
            .any(|n| matches!(n.kind, NoteKind::Refused | NoteKind::Ambiguous | NoteKind::Inconsistent));
        if failed || exit == Exit::Failed {
            Exit::Failed
        } else if unresolved {
            Exit::Found
        } else {
            Exit::Success
        }
    }
}

/// Whether two paths name one file (the second may not exist yet).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// A path import may write: new, or a file an earlier import wrote.
fn replaceable_import(path: &Path) -> bool {
    match std::fs::read_to_string(path) {
        Ok(text) => OURS.iter().any(|o| text.starts_with(o)),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// Submissions of one project and year in one import: each says so.
fn mark_duplicates(imported: &mut [Imported]) {
    let keys: Vec<(String, Option<i32>)> =
        imported.iter().map(|i| (i.submission.name(), i.submission.year.as_ref().map(|y| y.value))).collect();
    for (k, key) in keys.iter().enumerate() {
        let others: Vec<String> = keys
            .iter()
            .enumerate()
            .filter(|(j, other)| *j != k && *other == key)
            .map(|(j, _)| {
                let file = &imported[j].submission.file;
                let name =
                    file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
                format!("{name} ({})", imported[j].submission.at)
            })
            .collect();
        if !others.is_empty() {
            let s = &imported[k].submission;
            let note =
                Note::new(NoteKind::Ambiguous, import::codes::DUPLICATE, s.name(), others.join(", "), s.at.clone());
            imported[k].notes.push(note);
        }
    }
}

/// Copies the scheme (and what it `use`s, by the same relative paths) into
/// `out`, so the folder checks as it stands. A different file already there
/// (an approved scheme) is never replaced.
fn copy_scheme(sources: &Sources, scheme: &Path, out: &Path) -> Result<(), Problem> {
    let base = scheme.parent().unwrap_or(Path::new("."));
    let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    for file in sources.files() {
        let path = file.path.as_path();
        let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let Ok(relative) = absolute.strip_prefix(&base) else {
            return Err(Problem::error(import::codes::FORMAT)
                .arg("path", path.display())
                .arg("reason", "the scheme uses a file outside its own folder; copy them side by side first"));
        };
        let target = out.join(relative);
        match std::fs::read_to_string(&target) {
            Ok(existing) if existing == *file.text => continue,
            Ok(_) => return Err(Problem::error(import::codes::EXISTS).arg("path", target.display())),
            Err(_) => {}
        }
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        output::write_atomic(&target, file.text.as_bytes())
            .map_err(|e| jixiao::diagnostic::output::write_failed(Some(&target), &e))?;
    }
    Ok(())
}
