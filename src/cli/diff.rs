use std::path::PathBuf;

use super::{Exit, Global, output};
use jixiao::diagnostic::Problem;
use jixiao::{check, diff, report};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The earlier rules: a file or a folder (a year, such as rules/2018).
    pub old: PathBuf,
    /// The later rules.
    pub new: PathBuf,
    /// Data to score under both versions, matched to projects by name.
    #[arg(long, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Output format (default: from `-o`'s extension, else table).
    #[arg(long, value_enum)]
    pub format: Option<super::ReportFormat>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

impl DiffArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let format = match output::choose_format(self.format, self.output.as_deref(), super::ReportFormat::Table) {
            Ok(f) => f,
            Err(problem) => {
                output::report(&[problem], &jixiao::source::Sources::new(), global);
                return Exit::Failed;
            }
        };
        let old = check::check_files(
            std::slice::from_ref(&self.old),
            global.rules_root_for(std::slice::from_ref(&self.old)).as_deref(),
        );
        let new = check::check_files(
            std::slice::from_ref(&self.new),
            global.rules_root_for(std::slice::from_ref(&self.new)).as_deref(),
        );
        let (Some(old_rules), Some(new_rules)) = (&old.rules, &new.rules) else {
            output::report(&old.problems, &old.sources, global);
            output::report(&new.problems, &new.sources, global);
            return Exit::Failed;
        };
        let mut diffs = diff::diff(old_rules, new_rules);
        let mut sources = new.sources.clone();
        let mut problems: Vec<Problem> = Vec::new();
        for path in &self.data {
            let data = match jixiao::data::read(path, &mut sources) {
                Ok(d) => d,
                Err(p) => {
                    problems.extend(p);
                    continue;
                }
            };
            let Some(entry) = diffs.iter_mut().find(|d| d.name == data.project.node) else {
                problems.push(jixiao::eval::unknown_project(new_rules, &data));
                continue;
            };
            match diff::impact(old_rules, new_rules, entry, &data) {
                Ok(impact) => entry.impact = Some(impact),
                Err(p) => problems.extend(p),
            }
        }
        if problems.iter().any(Problem::is_error) {
            output::report(&problems, &sources, global);
            return Exit::Failed;
        }
        let lang = global.lang();
        let text = match format {
            super::ReportFormat::Table => report::diff::table(&diffs, lang),
            super::ReportFormat::Markdown => report::diff::markdown(&diffs, lang),
            super::ReportFormat::Json => {
                report::diff::json(&diffs, &self.old.display().to_string(), &self.new.display().to_string())
            }
        };
        let written = output::emit(&text, self.output.as_deref(), &sources, global);
        if written != Exit::Success {
            return written;
        }
        if diffs.iter().all(|d| d.changes.is_empty()) { Exit::Success } else { Exit::Found }
    }
}
