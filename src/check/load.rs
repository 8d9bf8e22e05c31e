//! Reading rule files and following their `use` imports.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::diagnostic::Problem;
use crate::source::Sources;
use crate::span::{FileId, Span};
use crate::syntax::{self, ast};

use super::codes;

/// A parsed file and the files it imports.
pub struct Unit {
    pub file: FileId,
    pub ast: ast::File,
    pub imports: Vec<FileId>,
}

pub struct Loader {
    pub sources: Sources,
    pub units: Vec<Unit>,
    pub problems: Vec<Problem>,
    /// Files being loaded, to catch circular imports.
    loading: HashSet<PathBuf>,
    /// Every file read so far, by its canonical path.
    loaded: HashMap<PathBuf, FileId>,
    /// Files read and parsed ahead (in parallel), not yet reached by a load.
    preparsed: HashMap<PathBuf, (FileId, Parsed)>,
    /// Texts that stand for files on disk (an editor's unsaved buffers), by
    /// canonical path.
    pub overlay: HashMap<PathBuf, String>,
    /// Paths already resolved to their canonical form: 2 000 projects that
    /// `use` one scheme resolve its path once, not 2 000 times (a lookup of
    /// every folder on the way each time).
    /// Keyed by the path exactly as written: `a.jx/` is not `a.jx` (a file
    /// named with a trailing slash is an error), though `Path` compares them equal.
    canonical: HashMap<OsString, PathBuf>,
}

type Parsed = Result<ast::File, Vec<Problem>>;

impl Loader {
    pub fn new(sources: Sources) -> Self {
        Loader {
            sources,
            units: Vec::new(),
            problems: Vec::new(),
            loading: HashSet::new(),
            loaded: HashMap::new(),
            preparsed: HashMap::new(),
            overlay: HashMap::new(),
            canonical: HashMap::new(),
        }
    }

    fn canonical(&mut self, path: &Path) -> std::io::Result<PathBuf> {
        if let Some(known) = self.canonical.get(path.as_os_str()) {
            return Ok(known.clone());
        }
        let canonical = path.canonicalize()?;
        self.canonical.insert(path.as_os_str().to_owned(), canonical.clone());
        Ok(canonical)
    }

    /// Reads and parses regular files ahead of [`Loader::load_root`], on every
    /// core: a folder of 2 000 projects is mostly parsing. They take their
    /// places in the sources in the order given; a file that cannot be read
    /// here is left for the load to report.
    pub fn preload(&mut self, paths: &[PathBuf]) {
        // Each folder resolved once: a file that is not itself a link is its
        // canonical folder and its name (one lookup, not one per folder on the way).
        let mut folders: HashMap<&Path, Option<PathBuf>> = HashMap::new();
        for path in paths {
            let folder = path.parent().unwrap_or(Path::new(""));
            if !folders.contains_key(folder) {
                let shown = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
                folders.insert(folder, self.canonical(shown).ok());
            }
        }
        let overlay = &self.overlay;
        let read = crate::parallel::map(
            paths,
            || (),
            |path, _| {
                let found = std::fs::symlink_metadata(path).ok()?;
                let folder = folders.get(path.parent().unwrap_or(Path::new(""))).cloned().flatten();
                let canonical = match (found.is_symlink(), folder, path.file_name()) {
                    (false, Some(folder), Some(name)) => folder.join(name),
                    _ => path.canonicalize().ok()?,
                };
                // An editor's buffer is the file: read by the load, not from disk.
                if overlay.contains_key(&canonical) {
                    return None;
                }
                // A pipe or a device is read (or refused) by the load itself, never ahead.
                let target = if found.is_symlink() { std::fs::metadata(&canonical).ok()? } else { found };
                if !target.is_file() {
                    return None;
                }
                let text = crate::source::read_text_sized(&canonical, target.len()).ok()?;
                Some((canonical, text))
            },
        );
        let mut to_parse = Vec::new();
        // Each map grows by the folder at once, not by doubling.
        self.canonical.reserve(paths.len());
        self.preparsed.reserve(paths.len());
        self.loaded.reserve(paths.len());
        for (given, (path, text)) in paths.iter().zip(read).filter_map(|(given, read)| Some((given, read?))) {
            self.canonical.insert(given.as_os_str().to_owned(), path.clone());
            if self.preparsed.contains_key(&path) || self.loaded.contains_key(&path) {
                continue;
            }
            let file = self.sources.add(&path, text);
            self.preparsed.insert(path.clone(), (file, Ok(ast::File::default())));
            to_parse.push((path, file));
        }
        let sources = &self.sources;
        let parsed = crate::parallel::map(&to_parse, || (), |(_, file), _| syntax::parse(sources.text(*file), *file));
        for ((path, file), ast) in to_parse.into_iter().zip(parsed) {
            self.preparsed.insert(path, (file, ast));
        }
    }

    /// Whether `path` (as given to [`Loader::preload`]) was read there: a
    /// regular file, its text in hand.
    pub fn preloaded(&self, path: &Path) -> bool {
        self.canonical.get(path.as_os_str()).is_some_and(|c| self.preparsed.contains_key(c))
    }

    /// Loads a file named on the command line, with everything it imports.
    pub fn load_root(&mut self, path: &Path, roots: &[PathBuf]) -> Option<FileId> {
        let canonical = match self.canonical(path) {
            Ok(p) => p,
            Err(e) => {
                self.problems.push(
                    Problem::error(codes::FILE_UNREADABLE).arg("path", path.display()).arg_io("reason", e.kind()),
                );
                return None;
            }
        };
        let roots: Vec<PathBuf> = roots.iter().map(|r| self.canonical(r).unwrap_or_else(|_| r.clone())).collect();
        let root = match roots.as_slice() {
            [] => default_root(&canonical),
            [one] => one.clone(),
            many => many.iter().find(|r| canonical.starts_with(r)).cloned().unwrap_or_else(|| default_root(&canonical)),
        };
        self.load(&canonical, &root, None)
    }

    fn load(&mut self, path: &Path, root: &Path, used_at: Option<Span>) -> Option<FileId> {
        if let Some(&id) = self.loaded.get(path) {
            if self.loading.contains(path) {
                let mut problem = Problem::error(codes::IMPORT_CYCLE).arg("path", self.sources.name(id));
                if let Some(span) = used_at {
                    problem = problem.at(span);
                }
                self.problems.push(problem);
            }
            return Some(id);
        }
        let (file, parsed) = match self.preparsed.remove(path) {
            Some(ready) => ready,
            None => {
                // A `use` of a pipe or a device would wait for a writer: refused.
                if let Some(span) = used_at
                    && std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
                {
                    self.problems.push(
                        Problem::error(codes::IMPORT_MISSING)
                            .arg("path", path.display())
                            .arg_word("reason", crate::messages::Word::IoNotAFile, &[])
                            .at(span),
                    );
                    return None;
                }
                let read = match self.overlay.get(path) {
                    Some(text) => Ok(text.clone()),
                    None => crate::source::read_text(path),
                };
                let text = match read {
                    Ok(t) => t,
                    Err(e) => {
                        let code = if used_at.is_some() { codes::IMPORT_MISSING } else { codes::FILE_UNREADABLE };
                        let mut problem = e.problem(code, path);
                        if let Some(span) = used_at {
                            problem = problem.at(span);
                        }
                        self.problems.push(problem);
                        return None;
                    }
                };
                let file = self.sources.add(path, text);
                (file, syntax::parse(self.sources.text(file), file))
            }
        };
        self.loaded.insert(path.to_path_buf(), file);
        let ast = match parsed {
            Ok(ast) => ast,
            Err(problems) => {
                self.problems.extend(problems);
                return Some(file);
            }
        };
        self.loading.insert(path.to_path_buf());
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut imports = Vec::new();
        for import in &ast.uses {
            let target = dir.join(&import.node);
            let Ok(resolved) = self.canonical(&target) else {
                self.problems.push(
                    Problem::error(codes::IMPORT_MISSING)
                        .arg("path", &import.node)
                        .arg_io("reason", std::io::ErrorKind::NotFound)
                        .at(import.span),
                );
                continue;
            };
            if !resolved.starts_with(root) {
                self.problems.push(
                    Problem::error(codes::IMPORT_OUTSIDE_ROOT)
                        .arg("path", &import.node)
                        .arg("root", crate::source::display_name(root))
                        .at(import.span),
                );
                continue;
            }
            imports.extend(self.load(&resolved, root, Some(import.span)));
        }
        self.loading.remove(path);
        self.units.push(Unit { file, ast, imports });
        Some(file)
    }
}

/// The nearest ancestor folder named `rules`, else the file's own folder.
fn default_root(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(file);
    dir.ancestors().find(|a| a.file_name().is_some_and(|n| n == "rules")).unwrap_or(dir).to_path_buf()
}
