use std::path::{Path, PathBuf};

use super::{Exit, Global, output};
use jixiao::diagnostic::Problem;

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: New,
}

#[derive(clap::Subcommand, Debug)]
pub enum New {
    /// A project's rules that pass `check`, to fill in.
    Project {
        /// The project's name.
        name: String,
        /// The scheme file the project uses.
        #[arg(long)]
        scheme: PathBuf,
        /// Take the sections and groups (and their points) of this project's rule file.
        #[arg(long)]
        like: Option<PathBuf>,
        /// The budget year (default: this year).
        #[arg(long)]
        year: Option<i32>,
        /// Write to this file (atomically) instead of stdout; `use` is made relative to it.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// The data file a unit fills in for a project of the rules.
    Data {
        /// Rule files or folders of them.
        #[arg(required = true)]
        rules: Vec<PathBuf>,
        /// The project (needed when the rules hold several).
        #[arg(long)]
        project: Option<String>,
        /// Its year (when the rules hold several years of it).
        #[arg(long)]
        year: Option<i32>,
        /// Write to this file (atomically) instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

pub const NO_SUCH_PROJECT: &str = "jixiao::cli::no_such_project";

impl NewArgs {
    pub fn run(&self, global: &Global) -> Exit {
        match &self.what {
            New::Project { name, scheme, like, year, output } => {
                let mut paths = vec![scheme.clone()];
                paths.extend(like.iter().cloned());
                let checked = jixiao::check::check_files(&paths, global.rules_root_for(&paths).as_deref());
                let Some(rules) = checked.rules.clone() else {
                    output::report(&checked.problems, &checked.sources, global);
                    return Exit::Failed;
                };
                if rules.schemes().len() != 1 {
                    let problem = Problem::error(jixiao::import::codes::FORMAT)
                        .arg("path", scheme.display())
                        .arg("reason", "the scheme and --like must see exactly one scheme");
                    output::report(&[problem], &checked.sources, global);
                    return Exit::Failed;
                }
                let like_project = like.as_ref().and_then(|_| rules.projects().first());
                if like.is_some() && like_project.is_none() {
                    let problem = Problem::error(NO_SUCH_PROJECT)
                        .arg_word("which", jixiao::messages::Word::NoSuchProject, &[("project", "--like")])
                        .arg("known", "-");
                    output::report(&[problem], &checked.sources, global);
                    return Exit::Failed;
                }
                let year = year.unwrap_or_else(this_year);
                // A name the rule file can hold, and a year it accepts, or nothing is written.
                let name: String = name.chars().filter(|c| !c.is_control() && *c != '`').collect();
                let name = name.trim().to_string();
                if name.is_empty() || !(1900..=9999).contains(&year) {
                    let problem = Problem::error(jixiao::check::codes::TEST_VALUE)
                        .arg("what", if name.is_empty() { "NAME" } else { "--year" })
                        .arg("expected", "a project name, and a year from 1900 to 9999");
                    output::report(&[problem], &checked.sources, global);
                    return Exit::Failed;
                }
                if rules.schemes()[0].defaults[0].is_none() {
                    let problem = Problem::error(jixiao::check::codes::NO_DEFAULT_METHOD)
                        .arg("direction", ">=")
                        .arg("id", "指标1");
                    output::report(&[problem], &checked.sources, global);
                    return Exit::Failed;
                }
                let use_path = relative(scheme, output.as_deref());
                let text = jixiao::skeleton::project(&name, year, &rules, 0, &use_path, like_project);
                output::emit(&text, output.as_deref(), &checked.sources, global)
            }
            New::Data { rules, project, year, output } => {
                let checked = jixiao::check::check_files(rules, global.rules_root_for(rules).as_deref());
                let Some(checked_rules) = checked.rules.clone() else {
                    output::report(&checked.problems, &checked.sources, global);
                    return Exit::Failed;
                };
                let candidates: Vec<&jixiao::model::Project> = checked_rules
                    .projects()
                    .iter()
                    .filter(|p| project.as_ref().is_none_or(|n| &p.name.node == n))
                    .filter(|p| year.is_none_or(|y| p.year.node == y))
                    .collect();
                let [one] = candidates.as_slice() else {
                    let known: Vec<String> =
                        checked_rules.projects().iter().map(|p| format!("{} ({})", p.name.node, p.year.node)).collect();
                    let problem = match project {
                        Some(asked) => Problem::error(NO_SUCH_PROJECT).arg_word(
                            "which",
                            jixiao::messages::Word::NoSuchProject,
                            &[("project", asked)],
                        ),
                        None => Problem::error(NO_SUCH_PROJECT).arg_word(
                            "which",
                            jixiao::messages::Word::SeveralProjects,
                            &[],
                        ),
                    };
                    let problem = problem.arg("known", known.join(", "));
                    output::report(&[problem], &checked.sources, global);
                    return Exit::Failed;
                };
                let text = jixiao::skeleton::data(&checked_rules, one);
                output::emit(&text, output.as_deref(), &checked.sources, global)
            }
        }
    }
}

fn this_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    // Days since 1970 to a year, near enough for a default (the 1st of January aside).
    1970 + (secs / 86_400 * 400 / 146_097) as i32
}

/// The scheme's path as the new file's `use` sees it: relative to the
/// output's folder (or the working folder for stdout).
fn relative(scheme: &Path, output: Option<&Path>) -> String {
    let base = output.and_then(Path::parent).filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let (Ok(scheme), Ok(base)) = (scheme.canonicalize(), base.canonicalize()) else {
        return scheme.display().to_string();
    };
    let s: Vec<_> = scheme.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = s.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); b.len() - common];
    parts.extend(s[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}
