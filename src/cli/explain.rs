use std::path::PathBuf;

use super::{Exit, Global, output};
use jixiao::diagnostic::Problem;
use jixiao::report;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// Rule files or folders of them.
    #[arg(required = true)]
    pub rules: Vec<PathBuf>,
    /// The project's data file.
    #[arg(long, required = true)]
    pub data: PathBuf,
    /// Explain only this indicator (its id).
    #[arg(long)]
    pub indicator: Option<String>,
}

impl ExplainArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let super::eval::Evaluated { evaluations, sources, warnings, .. } = match super::eval::evaluate_all(
            &self.rules,
            std::slice::from_ref(&self.data),
            jixiao::eval::Mode::Traces,
            global,
        ) {
            Ok(done) => done,
            Err(super::eval::Refused { sources, problems }) => {
                output::report(&problems, &sources, global);
                return Exit::Failed;
            }
        };
        output::report(&warnings, &sources, global);
        let Some(evaluation) = evaluations.first() else {
            return Exit::Failed;
        };
        if let Some(id) = &self.indicator
            && evaluation.indicator(id).is_none()
        {
            let mut problem =
                Problem::error("jixiao::cli::unknown_indicator").arg("id", id).arg("project", &evaluation.project);
            if let Some(s) = jixiao::suggest::closest(id, evaluation.indicators().map(|i| i.id.as_str())) {
                problem = problem.arg("suggestion", s);
            }
            output::report(&[problem], &sources, global);
            return Exit::Failed;
        }
        let text = report::explain::render(evaluation, self.indicator.as_deref(), global.lang());
        output::emit(&text, None, &sources, global)
    }
}
