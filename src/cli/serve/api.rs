//! What the workbench page asks of the engine: the workspace's files, a
//! rule file checked and evaluated as typed, explanations, documents to
//! download, `diff`, `audit`, and saving. Each answer is JSON (documents
//! are bytes); paths are relative to the workspace's root.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::json;

use jixiao::check::{self, Checked};
use jixiao::diagnostic::Problem;
use jixiao::eval::Evaluation;
use jixiao::messages::Lang;
use jixiao::source::Sources;
use jixiao::workspace::Workspace;

/// An answer: status, content type, body, and a file name for a download.
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub download: Option<String>,
}

impl Answer {
    pub fn json(status: u16, value: &serde_json::Value) -> Answer {
        Answer { status, content_type: "application/json", body: value.to_string().into_bytes(), download: None }
    }

    pub fn error(status: u16, message: &str) -> Answer {
        Answer::json(status, &json!({ "error": message }))
    }
}

pub struct Api {
    pub workspace: Workspace,
    pub lang: Lang,
    /// Checks and evaluations running now: no more than the cores at once,
    /// so many large requests queue rather than take all memory.
    running: (Mutex<usize>, std::sync::Condvar),
    /// Held while a save checks the version on disk and writes.
    saving: Mutex<()>,
    /// Each data file's project and year, while its modification time stays.
    index: Mutex<HashMap<PathBuf, (SystemTime, Named)>>,
}

/// The project and year a data file names (none when it does not read).
type Named = Option<(String, i64)>;

/// A rule file as the editor holds it.
#[derive(Deserialize)]
pub struct Edited {
    pub path: String,
    pub text: String,
    /// The data file to evaluate it with (else the first that matches).
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    /// For downloads: html, xlsx, csv or markdown.
    #[serde(default)]
    pub format: Option<String>,
}

#[derive(Deserialize)]
pub struct Save {
    pub path: String,
    pub text: String,
    /// The version the editor loaded; a file changed since is not overwritten.
    pub version: String,
    #[serde(default)]
    pub format: bool,
}

/// A test of the edited file, and how each of its expectations failed.
#[derive(Serialize)]
struct TestOutcome {
    name: String,
    line: usize,
    failures: Vec<TestFailure>,
}

#[derive(Serialize)]
struct TestFailure {
    line: usize,
    subject: String,
    expected: String,
    computed: String,
}

impl Api {
    pub fn new(workspace: Workspace, lang: Lang) -> Api {
        Api {
            workspace,
            lang,
            index: Mutex::new(HashMap::new()),
            saving: Mutex::new(()),
            running: (Mutex::new(0), std::sync::Condvar::new()),
        }
    }

    /// Runs `work` when fewer checks and evaluations than cores are running.
    pub fn heavy<T>(&self, work: impl FnOnce() -> T) -> T {
        /// Gives the place back however `work` ends (a panic too).
        struct Place<'a>(&'a (Mutex<usize>, std::sync::Condvar));
        impl Drop for Place<'_> {
            fn drop(&mut self) {
                *self.0.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) -= 1;
                self.0.1.notify_one();
            }
        }
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let (count, freed) = &self.running;
        let mut running = count.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *running >= cores {
            running = freed.wait(running).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *running += 1;
        drop(running);
        let _place = Place(&self.running);
        work()
    }

    /// The language asked for (the workspace's when none); `None` for one jixiao does not speak.
    fn lang(&self, asked: Option<&str>) -> Option<Lang> {
        match asked {
            Some("zh") => Some(Lang::Zh),
            Some("en") => Some(Lang::En),
            Some(_) => None,
            None => Some(self.lang),
        }
    }

    /// A path of the page's as a file inside the workspace's rule or data
    /// folders (`rules_only`: rule folders), canonical; None for anything
    /// else (`..`, links out, other folders).
    fn inside(&self, relative: &str, rules_only: bool) -> Option<PathBuf> {
        let path = self.below_root(relative)?;
        // What the workspace lists, nothing more: rule files in rules folders, data files in
        // data folders, none hidden (`.git/config`, `.env`) or under `golden/`.
        let listed = |folder: &PathBuf| {
            path.strip_prefix(folder).is_ok_and(|below| {
                below.components().all(|c| {
                    let name = c.as_os_str().to_string_lossy();
                    !name.starts_with('.') && name != "golden"
                })
            })
        };
        let rule = path.extension().is_some_and(|e| e == "jx") && self.workspace.rules.iter().any(listed);
        let data = !rules_only && jixiao::workspace::is_data(&path) && self.workspace.data.iter().any(listed);
        (rule || data).then_some(path).filter(|p| p.is_file())
    }

    /// A path the page names, below the workspace's root (names only: no
    /// `..`, no absolute path), canonical.
    fn below_root(&self, relative: &str) -> Option<PathBuf> {
        let relative = Path::new(relative);
        if relative.is_absolute() || relative.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            return None;
        }
        self.workspace.root.join(relative).canonicalize().ok()
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.workspace.root).unwrap_or(path).display().to_string()
    }

    /// The workspace: its rule files, data files, year folders and language.
    pub fn workspace(&self) -> Answer {
        let rules: Vec<String> = self.workspace.rule_files().iter().map(|p| self.relative(p)).collect();
        let data: Vec<String> = self.workspace.data_files().iter().map(|p| self.relative(p)).collect();
        let mut folders = Vec::new();
        for root in &self.workspace.rules {
            let Ok(entries) = std::fs::read_dir(root) else { continue };
            // Folders only, not links to folders (diff does not follow them out).
            let mut inner: Vec<String> = entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| self.relative(&e.path()))
                .collect();
            inner.sort();
            // A rules folder of years offers its years; one without, itself.
            if inner.is_empty() {
                folders.push(self.relative(root));
            }
            folders.extend(inner);
        }
        let lang = self.lang.code();
        let name = self.workspace.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Answer::json(200, &json!({ "name": name, "rules": rules, "data": data, "folders": folders, "lang": lang }))
    }

    /// A file's text and version.
    pub fn file(&self, relative: &str) -> Answer {
        let Some(path) = self.inside(relative, false) else {
            return Answer::error(404, "no such file in the workspace");
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Answer::json(200, &json!({ "path": relative, "version": version(&text), "text": text })),
            Err(e) => Answer::error(500, &e.to_string()),
        }
    }

    /// The rule file as typed: checked (with the files it uses, as on
    /// disk), and when it checks, evaluated with the matching data.
    fn check(&self, edited: &Edited) -> Result<(Checked, PathBuf), Answer> {
        let Some(path) = self.inside(&edited.path, true) else {
            return Err(Answer::error(404, "no such rule file in the workspace"));
        };
        let overlay = HashMap::from([(path.clone(), edited.text.clone())]);
        Ok((check::check_files_with(std::slice::from_ref(&path), &self.workspace.rules, overlay), path))
    }

    /// The data files of the rules' projects and years.
    fn matching(&self, rules: &jixiao::model::CheckedRules) -> Vec<PathBuf> {
        let wanted: Vec<(String, i64)> =
            rules.projects().iter().map(|p| (p.name.node.clone(), i64::from(p.year.node))).collect();
        let files: Vec<(PathBuf, SystemTime)> = self
            .workspace
            .data_files()
            .into_iter()
            .map(|p| {
                let modified = std::fs::metadata(&p).and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH);
                (p, modified)
            })
            .collect();
        // Files new or changed since they were read are read again outside the lock:
        // other requests do not wait behind a folder being read.
        let stale: Vec<&(PathBuf, SystemTime)> = {
            let index = self.index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            files.iter().filter(|(p, m)| index.get(p).is_none_or(|(seen, _)| seen != m)).collect()
        };
        let read: Vec<(PathBuf, SystemTime, Named)> = stale
            .into_iter()
            .map(|(path, modified)| {
                let named = jixiao::data::read(path, &mut Sources::new()).ok().map(|d| (d.project.node, d.year.node));
                (path.clone(), *modified, named)
            })
            .collect();
        let mut index = self.index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (path, modified, named) in read {
            index.insert(path, (modified, named));
        }
        files
            .into_iter()
            .filter(|(p, _)| index.get(p).is_some_and(|(_, named)| named.as_ref().is_some_and(|n| wanted.contains(n))))
            .map(|(p, _)| p)
            .collect()
    }

    /// Checks and evaluates: the diagnostics, the data files that match,
    /// and the evaluation of the chosen one.
    fn evaluate(&self, edited: &Edited) -> Result<Evaluated, Answer> {
        let (checked, path) = self.check(edited)?;
        let Checked { rules, sources, problems } = checked;
        let mut evaluated = Evaluated {
            sources,
            problems,
            tests: Vec::new(),
            tests_not_run: None,
            data: Vec::new(),
            chosen: None,
            evaluation: None,
        };
        let Some(rules) = rules else { return Ok(evaluated) };
        let lang = self.lang(edited.lang.as_deref()).unwrap_or(self.lang);
        match self.run_tests(&rules, &mut evaluated.sources, &path, lang) {
            Ok(tests) => evaluated.tests = tests,
            Err(reason) => evaluated.tests_not_run = Some(reason),
        }
        let data = self.matching(&rules);
        evaluated.data = data.iter().map(|p| self.relative(p)).collect();
        // A data file asked for that is not the workspace's is refused; one
        // that no longer matches (the project's name just edited) gives way
        // to the first that does.
        let asked = match edited.data.as_deref() {
            Some(d) => {
                Some(self.inside(d, false).ok_or_else(|| Answer::error(404, "no such data file in the workspace"))?)
            }
            None => None,
        };
        let chosen = asked.filter(|d| data.contains(d)).or_else(|| data.first().cloned());
        let Some(chosen) = chosen else { return Ok(evaluated) };
        evaluated.chosen = Some(self.relative(&chosen));
        match jixiao::data::read(&chosen, &mut evaluated.sources) {
            Ok(project_data) => match jixiao::eval::evaluate(&rules, &project_data) {
                Ok(evaluation) => {
                    evaluated.problems.extend(evaluation.warnings.iter().cloned());
                    evaluated.evaluation = Some(evaluation);
                }
                Err(problems) => evaluated.problems.extend(problems),
            },
            Err(problems) => evaluated.problems.extend(problems),
        }
        Ok(evaluated)
    }

    /// The tests the edited file declares, run as `jixiao test` runs them
    /// (each failure placed at its expectation); none when it declares
    /// none; not run, and why, when a test would read data from outside
    /// the workspace (the page reads nothing else).
    fn run_tests(
        &self,
        rules: &jixiao::model::CheckedRules,
        sources: &mut Sources,
        path: &Path,
        lang: Lang,
    ) -> Result<Vec<TestOutcome>, &'static str> {
        let own = |span: jixiao::span::Span| sources.get(span.file).is_some_and(|f| f.path == path);
        if !rules.tests().iter().any(|t| own(t.span)) {
            return Ok(Vec::new());
        }
        let folders = [&self.workspace.rules[..], &self.workspace.data[..]].concat();
        let outside = rules
            .tests()
            .iter()
            .filter_map(|t| t.data.as_ref())
            .any(|d| d.node.canonicalize().map_or(true, |p| !folders.iter().any(|f| p.starts_with(f))));
        if outside {
            return Err("a test reads a data file outside the workspace: run `jixiao test` for these tests");
        }
        let (outcomes, _) = jixiao::testing::run(rules, sources, lang);
        Ok(outcomes
            .into_iter()
            .filter(|o| sources.get(o.span.file).is_some_and(|f| f.path == path))
            .map(|o| TestOutcome {
                name: o.name,
                line: sources.line_col(o.span.file, o.span.start as usize).0,
                failures: o
                    .failures
                    .into_iter()
                    .map(|f| TestFailure {
                        line: sources.line_col(f.span.file, f.span.start as usize).0,
                        subject: f.subject,
                        expected: f.expected,
                        computed: f.computed,
                    })
                    .collect(),
            })
            .collect())
    }

    /// The page's answer to each edit.
    pub fn evaluation(&self, edited: &Edited) -> Answer {
        let Some(lang) = self.lang(edited.lang.as_deref()) else { return Answer::error(400, "lang is zh or en") };
        let evaluated = match self.evaluate(edited) {
            Ok(e) => e,
            Err(answer) => return answer,
        };
        let diagnostics = self.diagnostics(&evaluated.problems, &evaluated.sources, lang);
        let mut answer = json!({
            "diagnostics": diagnostics,
            "tests": evaluated.tests,
            "tests_not_run": evaluated.tests_not_run,
            "data": evaluated.data,
            "chosen": evaluated.chosen,
        });
        if let Some(e) = &evaluated.evaluation {
            let explain: serde_json::Map<String, serde_json::Value> = jixiao::report::explain::each(e, lang)
                .into_iter()
                .map(|(id, text)| (id.to_string(), text.into()))
                .collect();
            answer["total"] = e.total.score.to_string().into();
            answer["points"] = e.total.points.normalize().to_string().into();
            answer["grade"] = e.total.grade.clone().into();
            answer["form"] = jixiao::report::html::render(std::slice::from_ref(e), lang).into();
            answer["explain"] = explain.into();
        }
        Answer::json(200, &answer)
    }

    /// The evaluated 自评表 as a document.
    pub fn download(&self, edited: &Edited) -> Answer {
        let Some(lang) = self.lang(edited.lang.as_deref()) else { return Answer::error(400, "lang is zh or en") };
        let evaluated = match self.evaluate(edited) {
            Ok(e) => e,
            Err(answer) => return answer,
        };
        let Some(e) = evaluated.evaluation else {
            return Answer::error(422, "the rules do not evaluate: see the diagnostics");
        };
        let evaluations = std::slice::from_ref(&e);
        let name = format!("{}-{}", e.project, e.year);
        let (body, content_type, ext) = match edited.format.as_deref() {
            Some("html") => {
                (jixiao::report::html::render(evaluations, lang).into_bytes(), "text/html; charset=utf-8", "html")
            }
            Some("csv") => {
                (jixiao::report::csv::render(evaluations, lang).into_bytes(), "text/csv; charset=utf-8", "csv")
            }
            Some("markdown") => {
                (jixiao::report::markdown::render(evaluations, lang).into_bytes(), "text/markdown; charset=utf-8", "md")
            }
            Some("xlsx") => match jixiao::report::xlsx::render(evaluations, lang) {
                Ok(bytes) => (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
                Err(e) => return Answer::error(500, &e.to_string()),
            },
            _ => return Answer::error(400, "the format is html, xlsx, csv or markdown"),
        };
        Answer { status: 200, content_type, body, download: Some(format!("{name}.{ext}")) }
    }

    /// `diff` of two rule folders, scored on the data of the earlier year.
    pub fn diff(&self, old: &str, new: &str, lang: Option<&str>) -> Answer {
        let Some(lang) = self.lang(lang) else { return Answer::error(400, "lang is zh or en") };
        let (Some(old_path), Some(new_path)) = (self.folder(old), self.folder(new)) else {
            return Answer::error(404, "no such rules folder in the workspace");
        };
        // The files listed without following links: a link out of the workspace is not read.
        let old_checked =
            check::check_files(&Workspace::rule_files_in(&old_path), self.workspace.rules_root_of(&old_path));
        let new_checked =
            check::check_files(&Workspace::rule_files_in(&new_path), self.workspace.rules_root_of(&new_path));
        let (Some(old_rules), Some(new_rules)) = (&old_checked.rules, &new_checked.rules) else {
            let mut diagnostics = self.diagnostics(&old_checked.problems, &old_checked.sources, lang);
            diagnostics.extend(self.diagnostics(&new_checked.problems, &new_checked.sources, lang));
            return Answer::json(200, &json!({ "diagnostics": diagnostics }));
        };
        let mut diffs = jixiao::diff::diff(old_rules, new_rules);
        let mut sources = new_checked.sources.clone();
        // A data file that cannot be scored under both says why, beside the changes.
        let mut problems = Vec::new();
        for path in self.matching(old_rules) {
            let data = match jixiao::data::read(&path, &mut sources) {
                Ok(data) => data,
                Err(p) => {
                    problems.extend(p);
                    continue;
                }
            };
            let Some(entry) = diffs.iter_mut().find(|d| d.name == data.project.node && d.impact.is_none()) else {
                continue;
            };
            match jixiao::diff::impact(old_rules, new_rules, entry, &data) {
                Ok(impact) => entry.impact = Some(impact),
                Err(p) => problems.extend(p),
            }
        }
        let diagnostics = self.diagnostics(&problems, &sources, lang);
        Answer::json(200, &json!({ "text": jixiao::report::diff::table(&diffs, lang), "diagnostics": diagnostics }))
    }

    /// `audit` of a submitted data file against the workspace's rules.
    pub fn audit(&self, data: &str, lang: Option<&str>) -> Answer {
        let Some(lang) = self.lang(lang) else { return Answer::error(400, "lang is zh or en") };
        let Some(path) = self.inside(data, false).filter(|p| jixiao::workspace::is_data(p)) else {
            return Answer::error(404, "no such data file in the workspace");
        };
        let checked = check::check_files_with(&self.workspace.rule_files(), &self.workspace.rules, HashMap::new());
        let Some(rules) = checked.rules else {
            let diagnostics = self.diagnostics(&checked.problems, &checked.sources, lang);
            return Answer::json(200, &json!({ "diagnostics": diagnostics }));
        };
        let mut sources = checked.sources;
        let result = jixiao::data::read(&path, &mut sources)
            .and_then(|d| jixiao::eval::evaluate_submission(&rules, &d).map(|e| (d, e)));
        let (data, evaluation) = match result {
            Ok(done) => done,
            Err(problems) => {
                return Answer::json(200, &json!({ "diagnostics": self.diagnostics(&problems, &sources, lang) }));
            }
        };
        if !data.claims.claims_anything() {
            let problem = Problem::error(jixiao::audit::NOTHING_REPORTED).at(data.project.span);
            return Answer::json(200, &json!({ "diagnostics": self.diagnostics(&[problem], &sources, lang) }));
        }
        let audit = jixiao::audit::audit(&evaluation, &data);
        let text = jixiao::report::audit::table(std::slice::from_ref(&audit), &[], lang);
        Answer::json(200, &json!({ "text": text, "clean": audit.is_clean(), "diagnostics": [] }))
    }

    /// Saves a rule file atomically, unless it changed on disk since the
    /// editor loaded it; laid out by the formatter when asked.
    pub fn save(&self, save: &Save) -> Answer {
        // One save at a time: two tabs at one version cannot both pass the check.
        let _one = self.saving.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(path) = self.inside(&save.path, true) else {
            let gone = self.inside_folder(&save.path).is_some_and(|p| !p.exists());
            return match gone {
                true => Answer::error(410, "the file no longer exists on disk: copy your text before leaving the page"),
                false => Answer::error(403, "only rule files inside the rules folders are saved"),
            };
        };
        let on_disk = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => return Answer::error(500, &e.to_string()),
        };
        if version(&on_disk) != save.version {
            return Answer::json(
                409,
                &json!({ "error": "the file changed on disk since it was loaded", "disk": on_disk, "version": version(&on_disk) }),
            );
        }
        let text = if save.format {
            match jixiao::format::format(&save.text, jixiao::format::Keywords::AsWritten) {
                Some(formatted) => formatted,
                None => return Answer::error(422, "the file does not parse, so it cannot be formatted"),
            }
        } else {
            save.text.clone()
        };
        // A browser's text area has only `\n`: a file written with `\r\n` keeps them.
        let text = if on_disk.contains("\r\n") { text.replace("\r\n", "\n").replace('\n', "\r\n") } else { text };
        match crate::cli::output::write_atomic(&path, text.as_bytes()) {
            Ok(()) => Answer::json(200, &json!({ "path": save.path, "version": version(&text), "text": text })),
            Err(e) => Answer::error(500, &e.to_string()),
        }
    }

    /// A path whose folder is inside the rules folders (the file itself may be gone).
    fn inside_folder(&self, relative: &str) -> Option<PathBuf> {
        let rel = Path::new(relative);
        let name = rel.file_name()?;
        let folder = self.folder(&rel.parent()?.to_string_lossy())?;
        Some(folder.join(name))
    }

    /// A folder inside the rules folders.
    fn folder(&self, relative: &str) -> Option<PathBuf> {
        let path = self.below_root(relative)?;
        (path.is_dir() && self.workspace.rules.iter().any(|r| path.starts_with(r))).then_some(path)
    }

    /// Problems as the command line's JSON diagnostics, files named by their place in the workspace.
    fn diagnostics(&self, problems: &[Problem], sources: &Sources, lang: Lang) -> Vec<serde_json::Value> {
        let name = |file| sources.get(file).map(|f| self.relative(&f.path)).unwrap_or_default();
        problems.iter().map(|p| crate::cli::output::json_diagnostic(p, sources, lang, &name)).collect()
    }
}

struct Evaluated {
    sources: Sources,
    problems: Vec<Problem>,
    /// The rule file's own tests, when it has any and they could run.
    tests: Vec<TestOutcome>,
    /// Why the file's tests were not run, when it has tests and they were not.
    tests_not_run: Option<&'static str>,
    /// The data files that match the rules' projects and years.
    data: Vec<String>,
    chosen: Option<String>,
    evaluation: Option<Evaluation>,
}

/// A file's version: a hash of its text and its length (the modification
/// time alone misses two saves within its resolution). A conflict check
/// within one run of the server, not a signature.
pub fn version(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}-{}", hasher.finish(), text.len())
}
