//! AST → validated model. Resolves names and imports, checks units, points
//! and cycles, and collects every problem instead of stopping at the first.

mod expr;
mod load;
pub mod method;
mod project;
mod scheme;
mod tests;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::Problem;
use crate::model::CheckedRules;
use crate::source::Sources;
use crate::span::{FileId, Span};

pub mod codes {
    pub use crate::source::UNREADABLE as FILE_UNREADABLE;
    pub const NO_RULE_FILES: &str = "jixiao::io::no_rule_files";
    pub const IMPORT_MISSING: &str = "jixiao::check::import_missing";
    pub const IMPORT_OUTSIDE_ROOT: &str = "jixiao::check::import_outside_root";
    pub const IMPORT_CYCLE: &str = "jixiao::check::import_cycle";
    pub const EMPTY_FILE: &str = "jixiao::check::empty_file";
    pub const NO_SCHEME: &str = "jixiao::check::no_scheme";
    pub const AMBIGUOUS_SCHEME: &str = "jixiao::check::ambiguous_scheme";
    pub const DUPLICATE: &str = "jixiao::check::duplicate";
    pub const TEST_PROJECT: &str = "jixiao::check::test_project";
    pub const TEST_DATA: &str = "jixiao::check::test_data";
    pub const TEST_VALUE: &str = "jixiao::check::test_value";
    pub const TEST_EMPTY: &str = "jixiao::check::test_empty";
    pub const DUPLICATE_PROJECT: &str = "jixiao::check::duplicate_project";
    pub const UNKNOWN_NAME: &str = "jixiao::check::unknown_name";
    pub const UNKNOWN_UNIT: &str = "jixiao::check::unknown_unit";
    pub const MISSING_ITEM: &str = "jixiao::check::missing_item";
    pub const POINTS_SUM: &str = "jixiao::check::points_sum";
    pub const TOTAL_SUM: &str = "jixiao::check::total_sum";
    pub const ASSIGN_DIRECTION: &str = "jixiao::check::assign_direction";
    pub const PERCENT_BUILT_IN: &str = "jixiao::check::percent_built_in";
    pub const ROUND_STEP: &str = "jixiao::check::round_step";
    pub const LEVEL_FRACTION: &str = "jixiao::check::level_fraction";
    pub const LEVEL_RANGE: &str = "jixiao::check::level_range";
    pub const GRADE_ORDER: &str = "jixiao::check::grade_order";
    pub const GRADE_DIRECTION: &str = "jixiao::check::grade_direction";
    pub const GRADE_MIXED: &str = "jixiao::check::grade_mixed";
    pub const SCALE: &str = "jixiao::check::scale";
    pub const REVIEW: &str = "jixiao::check::review";
    pub const CHECKLIST: &str = "jixiao::check::checklist";
    pub const DATED_IN_EXPRESSION: &str = "jixiao::check::dated_in_expression";
    pub const DEADLINE_METHOD: &str = "jixiao::check::deadline_method";
    pub const NOT_DERIVED: &str = "jixiao::check::not_derived";
    pub const GROUP_POINTS_SUM: &str = "jixiao::check::group_points_sum";
    pub const GRADE_POINTS: &str = "jixiao::check::grade_points";
    pub const DEFAULT_WITH_PARAMS: &str = "jixiao::check::default_with_params";
    pub const NO_DEFAULT_METHOD: &str = "jixiao::check::no_default_method";
    pub const ARITY: &str = "jixiao::check::arity";
    pub const YEAR: &str = "jixiao::check::year";
    pub const UNIT_MISMATCH: &str = "jixiao::check::unit_mismatch";
    pub const PLAIN_TARGET: &str = "jixiao::check::plain_target";
    pub const UNIT_ARITHMETIC: &str = "jixiao::check::unit_arithmetic";
    pub const NOT_A_NUMBER: &str = "jixiao::check::not_a_number";
    pub const NOT_A_CONDITION: &str = "jixiao::check::not_a_condition";
    pub const VARIABLE_OUTSIDE_METHOD: &str = "jixiao::check::variable_outside_method";
    pub const QUALITATIVE_IN_EXPRESSION: &str = "jixiao::check::qualitative_in_expression";
    pub const QUALITATIVE_DERIVED: &str = "jixiao::check::qualitative_derived";
    pub const QUALITATIVE_METHOD: &str = "jixiao::check::qualitative_method";
    pub const CYCLE: &str = "jixiao::check::cycle";
    pub const EXPECT_FAILS: &str = "jixiao::check::expect_fails";
    pub const UNUSED_FIGURE: &str = "jixiao::check::unused_figure";
    pub const ZERO_POINTS: &str = "jixiao::check::zero_points";
    pub const POINTS_RANGE: &str = "jixiao::check::points_range";
    pub const DIVISION_BY_ZERO: &str = "jixiao::check::division_by_zero";
    pub const METHOD_RANGE: &str = "jixiao::check::method_range";
    pub const METHOD_DIRECTION: &str = "jixiao::check::method_direction";
    pub const TARGET_ZERO: &str = "jixiao::check::target_zero";
    pub const METHOD_UNPROVEN: &str = "jixiao::check::method_unproven";
    pub const METHOD_SAMPLED: &str = "jixiao::check::method_sampled";
}

/// The outcome of checking: every problem, and the model when there was no error.
pub struct Checked {
    pub sources: Sources,
    pub problems: Vec<Problem>,
    pub rules: Option<CheckedRules>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// `first` declared something; `again` declares it a second time.
pub(crate) fn duplicate(kind: &str, name: &str, again: Span, first: Span) -> Problem {
    Problem::error(codes::DUPLICATE).arg_noun("kind", kind).arg("name", name).at(again).at(first)
}

/// Expands folders into the `.jx` files below them, sorted.
pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_jx(path, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    out
}

/// A `.jx` found in a folder that is a pipe, a socket or a device: read, it
/// would be waited on or never end. (Named on the command line, it is read:
/// the user asked for it.)
pub fn found_not_a_file(path: &Path) -> Option<Problem> {
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    special.then(|| {
        Problem::error(codes::FILE_UNREADABLE).arg("path", path.display()).arg_word(
            "reason",
            crate::messages::Word::IoNotAFile,
            &[],
        )
    })
}

fn collect_jx(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        // The listing tells a file's kind; only a link is looked through.
        let is_dir = match entry.file_type() {
            Ok(kind) if !kind.is_symlink() => kind.is_dir(),
            _ => path.is_dir(),
        };
        if is_dir {
            collect_jx(&path, out);
        } else if path.extension().is_some_and(|e| e == "jx") {
            out.push(path);
        }
    }
}

/// Reads, parses and checks rule files (folders are searched for `.jx`).
pub fn check_files(paths: &[PathBuf], rules_root: Option<&Path>) -> Checked {
    let roots: Vec<PathBuf> = rules_root.map(Path::to_path_buf).into_iter().collect();
    check_files_with(paths, &roots, HashMap::new())
}

/// [`check_files`], with texts that stand for some files on disk (by
/// canonical path): an editor's buffers, checked as they are typed. Each
/// file's `use` stays inside the root of `roots` it lies in (one root: that
/// root for every file; none, or none holding it: the nearest folder named
/// `rules`).
pub fn check_files_with(paths: &[PathBuf], roots: &[PathBuf], overlay: HashMap<PathBuf, String>) -> Checked {
    let files = expand(paths);
    let mut loader = load::Loader::new(Sources::new());
    loader.overlay = overlay;
    if files.is_empty() {
        loader.problems.push(
            Problem::error(codes::NO_RULE_FILES)
                .arg("path", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")),
        );
    }
    loader.preload(&files);
    for path in &files {
        // A file read ahead is known to be regular: no second look.
        if !paths.contains(path)
            && !loader.preloaded(path)
            && let Some(problem) = found_not_a_file(path)
        {
            loader.problems.push(problem);
            continue;
        }
        loader.load_root(path, roots);
    }
    let load::Loader { sources, units, mut problems, .. } = loader;
    let rules = build(&sources, &units, &mut problems);
    // Freed before the rules are used, so that evaluating reuses their memory.
    crate::parallel::drop_all(units);
    crate::diagnostic::sort(&mut problems);
    let rules = if problems.iter().any(Problem::is_error) { None } else { rules };
    Checked { sources, problems, rules }
}

/// Checks rule text held in memory (tests, editors). `name` is shown in diagnostics.
pub fn check_source(name: &str, text: &str) -> Checked {
    let mut sources = Sources::new();
    let file = sources.add(Path::new(name), text);
    let mut problems = Vec::new();
    let units = match crate::syntax::parse(sources.text(file), file) {
        Ok(ast) => vec![load::Unit { file, ast, imports: Vec::new() }],
        Err(p) => {
            problems.extend(p);
            Vec::new()
        }
    };
    let rules = build(&sources, &units, &mut problems);
    crate::diagnostic::sort(&mut problems);
    let rules = if problems.iter().any(Problem::is_error) { None } else { rules };
    Checked { sources, problems, rules }
}

fn build(sources: &Sources, units: &[load::Unit], problems: &mut Vec<Problem>) -> Option<CheckedRules> {
    let mut schemes = Vec::new();
    // Per unit, per scheme in its file: its index in `schemes`, or None when it did not check.
    let mut scheme_index: Vec<Vec<Option<usize>>> = Vec::new();
    for unit in units {
        let mut indices = Vec::new();
        for s in &unit.ast.schemes {
            let checked = scheme::check_scheme(s, sources.text(unit.file), problems);
            indices.push(checked.map(|c| {
                schemes.push(c);
                schemes.len() - 1
            }));
        }
        scheme_index.push(indices);
        if unit.ast.schemes.is_empty() && unit.ast.projects.is_empty() && unit.ast.tests.is_empty() {
            problems.push(Problem::error(codes::EMPTY_FILE).at(Span::new(unit.file, 0, 0)));
        }
    }
    let graph = Graph::new(units);
    let visible_schemes = graph.visible_schemes(units);
    // Which scheme scores each project; then the projects checked side by side.
    let mut jobs: Vec<(usize, usize, usize)> = Vec::new(); // (unit, position in its file, scheme)
    for (u, unit) in units.iter().enumerate() {
        if unit.ast.projects.is_empty() {
            continue;
        }
        // The schemes this file can see: its own and those it imports, transitively.
        let visible: Vec<(Span, Option<usize>)> = visible_schemes[u]
            .iter()
            .map(|&(owner, k)| (units[owner].ast.schemes[k].name.span, scheme_index[owner][k]))
            .collect();
        for (position, project) in unit.ast.projects.iter().enumerate() {
            match visible.as_slice() {
                [] => problems
                    .push(Problem::error(codes::NO_SCHEME).arg("project", &project.name.node).at(project.name.span)),
                [(_, Some(i))] => jobs.push((u, position, *i)),
                [(_, None)] => {} // the scheme's own errors are reported
                [first, second, ..] => problems.push(
                    Problem::error(codes::AMBIGUOUS_SCHEME)
                        .arg("project", &project.name.node)
                        .at(project.name.span)
                        .at(first.0)
                        .at(second.0),
                ),
            }
        }
    }
    let checked = crate::parallel::map(&jobs, project::Analyses::default, |&(u, position, scheme), analyses| {
        let unit = &units[u];
        let mut found = Vec::new();
        let project = &unit.ast.projects[position];
        let checked =
            project::check_project(project, sources.text(unit.file), &schemes[scheme], scheme, analyses, &mut found);
        (checked, found)
    });
    let mut projects: Vec<crate::model::Project> = Vec::new();
    // (file, position of the project in the file) → its place in `projects`.
    let mut project_index: foldhash::HashMap<(FileId, usize), usize> = Default::default();
    let mut declared: foldhash::HashMap<(String, i32), usize> = Default::default();
    for (&(u, position, _), (checked, found)) in jobs.iter().zip(checked) {
        problems.extend(found);
        let Some(p) = checked else { continue };
        let key = (p.name.node.clone(), p.year.node);
        if let Some(&first) = declared.get(&key) {
            let first: &crate::model::Project = &projects[first];
            problems.push(
                Problem::error(codes::DUPLICATE_PROJECT)
                    .arg("project", &p.name.node)
                    .arg("year", p.year.node)
                    .at(p.name.span)
                    .at(first.name.span),
            );
            continue;
        }
        declared.insert(key, projects.len());
        project_index.insert((units[u].file, position), projects.len());
        projects.push(p);
    }
    let mut tests = check_tests(sources, units, &graph, &schemes, &projects, &project_index, problems);
    // A scheme's own tests, each on a project made for it.
    for (unit, indices) in units.iter().zip(&scheme_index) {
        if indices.is_empty() {
            continue;
        }
        let path = sources.get(unit.file).map(|f| f.path.clone()).unwrap_or_default();
        for (scheme_ast, index) in unit.ast.schemes.iter().zip(indices) {
            let Some(index) = *index else { continue };
            for item in &scheme_ast.items {
                let crate::syntax::ast::SchemeItem::Test(test) = item else { continue };
                let Some(project) = tests::scheme_project(&schemes[index], index, test.name.span) else {
                    problems.push(
                        Problem::error(codes::NO_DEFAULT_METHOD)
                            .arg("direction", ">=")
                            .arg("id", "指标")
                            .at(test.name.span),
                    );
                    continue;
                };
                if let Some(mut checked) =
                    tests::check_test(test, &path, usize::MAX, &project, &schemes[index], problems)
                {
                    checked.synthetic = Some(Box::new(project));
                    tests.push(checked);
                }
            }
        }
    }
    // One name per test of a project (or scheme): a failure must say which test it is.
    for (k, test) in tests.iter().enumerate() {
        let same = |other: &crate::model::Test| {
            other.name.node == test.name.node
                && other.project == test.project
                && other.synthetic.as_ref().map(|p| p.scheme) == test.synthetic.as_ref().map(|p| p.scheme)
        };
        if let Some(first) = tests[..k].iter().find(|t| same(t)) {
            problems.push(
                Problem::error(codes::DUPLICATE)
                    .arg_noun("kind", "test")
                    .arg("name", &test.name.node)
                    .at(test.name.span)
                    .at(first.name.span),
            );
        }
    }
    Some(CheckedRules::new(sources.clone(), schemes, projects, tests))
}

/// Which file uses which, by place in the list of loaded units.
struct Graph {
    /// Per unit, the units it imports, in the order of its `use`s.
    imports: Vec<Vec<usize>>,
}

impl Graph {
    fn new(units: &[load::Unit]) -> Graph {
        let place: foldhash::HashMap<FileId, usize> = units.iter().enumerate().map(|(i, u)| (u.file, i)).collect();
        Graph {
            imports: units.iter().map(|u| u.imports.iter().filter_map(|f| place.get(f).copied()).collect()).collect(),
        }
    }

    /// A unit and every unit it uses, transitively, depth first (the last `use` first).
    fn reachable(&self, from: usize) -> Vec<usize> {
        let mut seen = HashSet::new();
        let mut order = Vec::new();
        let mut stack = vec![from];
        while let Some(u) = stack.pop() {
            if seen.insert(u) {
                order.push(u);
                stack.extend(self.imports[u].iter().copied());
            }
        }
        order
    }

    /// Per unit, the schemes it sees as (unit, position in its file), in the
    /// order of [`Graph::reachable`], at most two: a second one already makes
    /// a project's scheme ambiguous. Units are loaded after what they import,
    /// so each one's list is built from its imports' lists (a chain of 20 000
    /// `use`s no longer walks the chain from every file); a unit in an import
    /// cycle walks the graph.
    fn visible_schemes(&self, units: &[load::Unit]) -> Vec<Vec<(usize, usize)>> {
        let own = |u: usize| (0..units[u].ast.schemes.len()).map(move |k| (u, k));
        let mut visible: Vec<Vec<(usize, usize)>> = Vec::with_capacity(units.len());
        for u in 0..units.len() {
            let mut seen: Vec<(usize, usize)> = Vec::new();
            let add = |s: (usize, usize), seen: &mut Vec<(usize, usize)>| {
                if seen.len() < 2 && !seen.contains(&s) {
                    seen.push(s);
                }
            };
            if self.imports[u].iter().all(|&i| i < u) {
                for s in own(u) {
                    add(s, &mut seen);
                }
                for &i in self.imports[u].iter().rev() {
                    for &s in &visible[i] {
                        add(s, &mut seen);
                    }
                }
            } else {
                for r in self.reachable(u) {
                    for s in own(r) {
                        add(s, &mut seen);
                    }
                }
            }
            visible.push(seen);
        }
        visible
    }
}

/// Every test: a project's own, and a test file's, against the project it
/// names or the one project its `use`s make visible.
fn check_tests(
    sources: &Sources,
    units: &[load::Unit],
    graph: &Graph,
    schemes: &[crate::model::Scheme],
    projects: &[crate::model::Project],
    project_index: &foldhash::HashMap<(FileId, usize), usize>,
    problems: &mut Vec<Problem>,
) -> Vec<crate::model::Test> {
    let mut out = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let path = sources.get(unit.file).map(|f| f.path.clone()).unwrap_or_default();
        for (position, project) in unit.ast.projects.iter().enumerate() {
            let Some(&index) = project_index.get(&(unit.file, position)) else {
                continue;
            };
            for item in &project.items {
                if let crate::syntax::ast::ProjectItem::Test(test) = item {
                    let p = &projects[index];
                    out.extend(tests::check_test(test, &path, index, p, &schemes[p.scheme], problems));
                }
            }
        }
        if unit.ast.tests.is_empty() {
            continue;
        }
        // The projects this file can see: in itself and the files it uses, transitively.
        let seen: HashSet<FileId> = graph.reachable(u).into_iter().map(|r| units[r].file).collect();
        let visible: Vec<usize> = (0..projects.len()).filter(|&i| seen.contains(&projects[i].name.span.file)).collect();
        for test in &unit.ast.tests {
            let named = test.items.iter().find_map(|item| match item {
                crate::syntax::ast::TestItem::Project { name, year } => Some((name, year)),
                _ => None,
            });
            let candidates: Vec<usize> = visible
                .iter()
                .copied()
                .filter(|&i| match named {
                    Some((name, year)) => {
                        projects[i].name.node == name.node
                            && year
                                .as_ref()
                                .is_none_or(|y| rust_decimal::Decimal::from(projects[i].year.node) == y.node)
                    }
                    None => true,
                })
                .collect();
            let [index] = candidates.as_slice() else {
                let known: Vec<String> =
                    visible.iter().map(|&i| format!("{} ({})", projects[i].name.node, projects[i].year.node)).collect();
                let span = named.map_or(test.name.span, |(n, _)| n.span);
                problems.push(
                    Problem::error(codes::TEST_PROJECT)
                        .arg("test", &test.name.node)
                        .arg("known", if known.is_empty() { "-".to_string() } else { known.join(", ") })
                        .at(span),
                );
                continue;
            };
            let p = &projects[*index];
            out.extend(tests::check_test(test, &path, *index, p, &schemes[p.scheme], problems));
        }
    }
    out
}
