use std::path::{Path, PathBuf};

use super::{Exit, Global, output};
use jixiao::diagnostic::Problem;
use jixiao::import::report::{self, Outcome};
use jixiao::import::value::Direction;
use jixiao::import::write::{self, Imported, Mode, Options};
use jixiao::import::{self as import, NoteKind};
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

impl ImportArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let lang = global.lang();
        let sources = Sources::new();
        let checked = match &self.scheme {
            Some(scheme) => jixiao::check::check_files(std::slice::from_ref(scheme), global.rules_root.as_deref()),
            None => jixiao::check::check_files(&self.rules, global.rules_root.as_deref()),
        };
        let Some(rules) = checked.rules.clone() else {
            output::report(&checked.problems, &checked.sources, global);
            return Exit::Failed;
        };
        if let Err(e) = std::fs::create_dir_all(&self.out) {
            output::report(&[jixiao::diagnostic::output::write_failed(Some(&self.out), &e)], &sources, global);
            return Exit::Failed;
        }
        let mode = match &self.scheme {
            Some(scheme_path) => {
                if rules.schemes().len() != 1 || !rules.projects().is_empty() {
                    let problem = Problem::error(import::codes::FORMAT)
                        .arg("path", scheme_path.display())
                        .arg("reason", "a --scheme file declares exactly one scheme and no project");
                    output::report(&[problem], &sources, global);
                    return Exit::Failed;
                }
                match copy_scheme(&checked.sources, scheme_path, &self.out) {
                    Ok(name) => Mode::Scheme { rules: &rules, use_path: name },
                    Err(problem) => {
                        output::report(&[problem], &sources, global);
                        return Exit::Failed;
                    }
                }
            }
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
        // Two submissions of one name: the year, then a number, tells them apart.
        let mut stems: Vec<String> = Vec::new();
        let mut outcomes: Vec<(usize, Vec<String>)> = Vec::new();
        for (k, i) in imported.iter().enumerate() {
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

/// Copies the scheme (and what it `use`s, by the same relative paths) into
/// `out`, so the folder checks as it stands; returns the path to `use`.
fn copy_scheme(sources: &Sources, scheme: &Path, out: &Path) -> Result<String, Problem> {
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
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        output::write_atomic(&target, file.text.as_bytes())
            .map_err(|e| jixiao::diagnostic::output::write_failed(Some(&target), &e))?;
    }
    Ok(scheme.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "scheme.jx".into()))
}
