//! A workspace: where a bureau keeps its rules and its data. A file
//! `jixiao.toml` at the workspace's root says so:
//!
//! ```toml
//! rules = ["rules"]              # folders of rule files; `use` stays inside the one a file is in
//! data = ["examples", "data"]    # folders of data files (TOML or JSON)
//! lang = "zh"                    # messages and tables, unless --lang says otherwise
//! ```
//!
//! Without one, the nearest folder named `rules` is the rules root and its
//! siblings `examples/` and `data/` hold the data. The language server,
//! `serve` and the command line read the same file.

use std::path::{Path, PathBuf};

use crate::data::{Node, NodeValue};
use crate::diagnostic::Problem;
use crate::messages::{Lang, Word};
use crate::source::Sources;
use crate::span::Span;

/// The workspace file's name.
pub const FILE_NAME: &str = "jixiao.toml";

pub mod codes {
    /// `jixiao.toml` does not read: bad TOML, an unknown key, a wrong value.
    pub const INVALID: &str = "jixiao::workspace::invalid";
    /// A folder `jixiao.toml` names does not exist.
    pub const MISSING_FOLDER: &str = "jixiao::workspace::missing_folder";
    /// `serve` was pointed at a folder with no rules in it.
    pub const NO_RULES: &str = "jixiao::workspace::no_rules";
}

/// Where rules and data are, all paths canonical.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// The folder holding `jixiao.toml`, or the one above the rules folder.
    pub root: PathBuf,
    /// `jixiao.toml`, when the workspace has one.
    pub file: Option<PathBuf>,
    /// Folders of rule files, each a root `use` may not leave.
    pub rules: Vec<PathBuf>,
    /// Folders of data files.
    pub data: Vec<PathBuf>,
    /// The language `jixiao.toml` asks for.
    pub lang: Option<Lang>,
}

/// The data folders looked for beside a rules folder when no file names them.
const DATA_FOLDERS: [&str; 2] = ["examples", "data"];

impl Workspace {
    /// The workspace `start` (a file or a folder) lies in: the nearest
    /// `jixiao.toml` above it, else the nearest folder named `rules` (or
    /// holding one). `Ok(None)` when there is neither; the file's problems
    /// (with it added to `sources`) when it does not read.
    pub fn find(start: &Path, sources: &mut Sources) -> Result<Option<Workspace>, Vec<Problem>> {
        let Ok(start) = start.canonicalize() else { return Ok(None) };
        if let Some(file) = start.ancestors().map(|a| a.join(FILE_NAME)).find(|f| f.is_file()) {
            return Workspace::read(&file, sources).map(Some);
        }
        let rules = start.ancestors().find_map(|a| {
            if a.file_name().is_some_and(|n| n == "rules") && a.is_dir() {
                Some(a.to_path_buf())
            } else {
                Some(a.join("rules")).filter(|r| r.is_dir())
            }
        });
        Ok(rules.map(Workspace::around))
    }

    /// The workspace `serve` is pointed at: the folder's `jixiao.toml`, its
    /// `rules/`, or the folder itself when it is named `rules`; else the
    /// workspace it lies in.
    pub fn find_at(folder: &Path, sources: &mut Sources) -> Result<Option<Workspace>, Vec<Problem>> {
        let Ok(folder) = folder.canonicalize() else { return Ok(None) };
        if folder.join(FILE_NAME).is_file() {
            return Workspace::read(&folder.join(FILE_NAME), sources).map(Some);
        }
        if folder.join("rules").is_dir() {
            return Ok(Some(Workspace::around(folder.join("rules"))));
        }
        Workspace::find(&folder, sources)
    }

    /// The workspace of a rules folder with no `jixiao.toml`: data beside it.
    pub fn around(rules: PathBuf) -> Workspace {
        let rules = rules.canonicalize().unwrap_or(rules);
        let root = rules.parent().map_or_else(|| rules.clone(), Path::to_path_buf);
        Workspace { data: data_beside(&root), root, file: None, rules: vec![rules], lang: None }
    }

    /// Reads a `jixiao.toml`.
    pub fn read(file: &Path, sources: &mut Sources) -> Result<Workspace, Vec<Problem>> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            vec![Problem::error(crate::source::UNREADABLE).arg("path", file.display()).arg_io("reason", e.kind())]
        })?;
        Workspace::parse(file, text, sources)
    }

    /// A `jixiao.toml` from its text (as an editor holds it), its folders
    /// relative to `file`.
    pub fn parse(file: &Path, text: String, sources: &mut Sources) -> Result<Workspace, Vec<Problem>> {
        let id = sources.add(file, text);
        let parent = file.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let root = parent.canonicalize().unwrap_or(parent);
        let table = crate::data::tree::parse_toml(sources.text(id), id).map_err(|p| vec![p])?;
        let NodeValue::Table(entries) = table.value else { return Err(vec![invalid(table.span, Word::WorkspaceKey)]) };
        let mut workspace = Workspace {
            root: root.clone(),
            file: Some(file.to_path_buf()),
            rules: Vec::new(),
            data: Vec::new(),
            lang: None,
        };
        let mut problems = Vec::new();
        let mut rules_given = false;
        for (key, value) in &entries {
            match key.node.as_str() {
                "rules" => {
                    rules_given = true;
                    workspace.rules = folders(&root, value, &mut problems);
                }
                "data" => workspace.data = folders(&root, value, &mut problems),
                "lang" => match &value.value {
                    NodeValue::String(s) if s == "zh" => workspace.lang = Some(Lang::Zh),
                    NodeValue::String(s) if s == "en" => workspace.lang = Some(Lang::En),
                    _ => problems.push(invalid(value.span, Word::WorkspaceLang)),
                },
                other => {
                    let mut problem = invalid(key.span, Word::WorkspaceKey);
                    if let Some(s) = crate::suggest::closest(other, ["rules", "data", "lang"]) {
                        problem = problem.arg("suggestion", s).fix(key.span, s);
                    }
                    problems.push(problem);
                }
            }
        }
        if !rules_given {
            // The conventional layout, when the file only sets the language.
            workspace.rules = root.join("rules").canonicalize().ok().filter(|r| r.is_dir()).into_iter().collect();
            workspace.data = data_beside(&root);
        }
        if problems.is_empty() { Ok(workspace) } else { Err(problems) }
    }

    /// The rules folder `path` lies in.
    pub fn rules_root_of(&self, path: &Path) -> Option<&Path> {
        let path = path.canonicalize().ok()?;
        self.rules.iter().find(|r| path.starts_with(r)).map(PathBuf::as_path)
    }

    /// Every rule file (`*.jx`, tests too), sorted.
    pub fn rule_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for folder in &self.rules {
            walk(folder, &|p| p.extension().is_some_and(|e| e == "jx"), &mut out);
        }
        out
    }

    /// The rule files in one folder and below (links not followed), sorted.
    pub fn rule_files_in(folder: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        walk(folder, &|p| p.extension().is_some_and(|e| e == "jx"), &mut out);
        out
    }

    /// Every data file (TOML or JSON; golden files left out), sorted.
    pub fn data_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for folder in &self.data {
            walk(folder, &is_data, &mut out);
        }
        out
    }
}

/// The conventional data folders beside a workspace's root, canonical.
fn data_beside(root: &Path) -> Vec<PathBuf> {
    DATA_FOLDERS.iter().filter_map(|d| root.join(d).canonicalize().ok()).filter(|d| d.is_dir()).collect()
}

/// A project's data (TOML or JSON), not rules.
pub fn is_data(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"))
}

fn walk(dir: &Path, wanted: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    // Every file, however many: a file left out of a bureau's year would
    // just be missing. Links are not followed, so no walk goes round for ever.
    for path in entries {
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        // Symbolic links are not followed: a link to `/` would list the machine.
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if meta.is_dir() && !hidden && path.file_name().is_none_or(|n| n != "golden") {
            walk(&path, wanted, out);
        } else if meta.is_file() && wanted(&path) && path.file_name().is_none_or(|n| n != FILE_NAME) {
            out.push(path);
        }
    }
}

/// A folder or a list of folders, relative to the workspace's root; each must exist.
fn folders(root: &Path, value: &Node, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    let items: Vec<&Node> = match &value.value {
        NodeValue::String(_) => vec![value],
        NodeValue::Array(items) => items.iter().collect(),
        _ => {
            problems.push(invalid(value.span, Word::WorkspaceFolders));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        let NodeValue::String(name) = &item.value else {
            problems.push(invalid(item.span, Word::WorkspaceFolders));
            continue;
        };
        match root.join(name).canonicalize() {
            // Inside the workspace only: its files are named by their place below the root.
            Ok(path) if path.is_dir() && !path.starts_with(root) => {
                problems.push(invalid(item.span, Word::WorkspaceOutside))
            }
            Ok(path) if path.is_dir() => out.push(path),
            _ => problems.push(Problem::error(codes::MISSING_FOLDER).arg("path", name).at(item.span)),
        }
    }
    out
}

fn invalid(span: Span, reason: Word) -> Problem {
    Problem::error(codes::INVALID).arg_word("reason", reason, &[]).at(span)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("jixiao-workspace-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn without_a_file_the_nearest_rules_folder_and_its_data_siblings() {
        let dir = scratch("bare");
        std::fs::create_dir_all(dir.join("rules/2018")).unwrap();
        std::fs::create_dir_all(dir.join("examples")).unwrap();
        let found = Workspace::find(&dir.join("rules/2018"), &mut Sources::new()).unwrap().unwrap();
        assert_eq!(found.rules, vec![dir.join("rules")]);
        assert_eq!(found.data, vec![dir.join("examples")]);
        assert!(found.file.is_none() && found.lang.is_none());
        // From the folder holding `rules/` too.
        let found = Workspace::find_at(&dir, &mut Sources::new()).unwrap().unwrap();
        assert_eq!(found.rules, vec![dir.join("rules")]);
    }

    #[test]
    fn a_file_names_folders_and_a_language() {
        let dir = scratch("file");
        std::fs::create_dir_all(dir.join("规则/2018")).unwrap();
        std::fs::create_dir_all(dir.join("报送")).unwrap();
        std::fs::write(dir.join(FILE_NAME), "rules = \"规则\"\ndata = [\"报送\"]\nlang = \"en\"\n").unwrap();
        let found = Workspace::find(&dir.join("规则/2018"), &mut Sources::new()).unwrap().unwrap();
        assert_eq!(found.rules, vec![dir.join("规则")]);
        assert_eq!(found.data, vec![dir.join("报送")]);
        assert_eq!(found.lang, Some(Lang::En));
        assert_eq!(found.rules_root_of(&dir.join("规则/2018")), Some(dir.join("规则").as_path()));
        assert_eq!(found.rules_root_of(&dir.join("报送")), None);
    }

    #[test]
    fn a_file_that_does_not_read_says_where() {
        let dir = scratch("bad");
        std::fs::write(dir.join(FILE_NAME), "rules = [\"nowhere\", 3]\ndata = true\nrulse = \"x\"\n").unwrap();
        let mut sources = Sources::new();
        let problems = Workspace::find(&dir, &mut sources).unwrap_err();
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [codes::MISSING_FOLDER, codes::INVALID, codes::INVALID, codes::INVALID]);
        // The misspelt key suggests its fix.
        assert_eq!(problems[3].fixes.first().map(|f| f.replacement.as_str()), Some("rules"));
    }

    #[test]
    fn every_file_is_listed_however_many() {
        let dir = scratch("many");
        std::fs::create_dir_all(dir.join("rules")).unwrap();
        std::fs::create_dir_all(dir.join("data")).unwrap();
        for i in 0..5_001 {
            std::fs::write(dir.join("data").join(format!("{i:05}.toml")), "").unwrap();
        }
        assert_eq!(Workspace::around(dir.join("rules")).data_files().len(), 5_001);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn its_folders_lie_inside_it() {
        let dir = scratch("outside");
        std::fs::create_dir_all(dir.join("ws/rules")).unwrap();
        std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
        std::fs::write(dir.join("ws").join(FILE_NAME), "rules = \"rules\"\ndata = \"../elsewhere\"\n").unwrap();
        let problems = Workspace::find(&dir.join("ws"), &mut Sources::new()).unwrap_err();
        assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), [codes::INVALID]);
    }

    #[test]
    fn listing_skips_golden_files_hidden_folders_and_links() {
        let dir = scratch("list");
        for file in ["rules/a.jx", "rules/.git/b.jx", "examples/a.toml", "examples/golden/a.json", "examples/b.txt"] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("/", dir.join("rules/root")).unwrap();
        let found = Workspace::around(dir.join("rules"));
        assert_eq!(found.rule_files(), vec![dir.join("rules/a.jx")]);
        assert_eq!(found.data_files(), vec![dir.join("examples/a.toml")]);
    }
}
