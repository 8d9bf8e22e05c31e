use std::path::PathBuf;

use super::eval::{Evaluated, Refused};
use super::{Exit, Global, output};
use jixiao::audit;
use jixiao::report;

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Rule files or folders of them.
    #[arg(required = true)]
    pub rules: Vec<PathBuf>,
    /// Submitted data files with `[reported]`, each matched to its project.
    #[arg(long, required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Output format (default: from `-o`'s extension, else table). `xlsx`
    /// and `csv` give the documents an audit office files: a summary of
    /// every project (largest difference first) and every finding.
    #[arg(long, value_enum)]
    pub format: Option<AuditFormat>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// The formats of `audit`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum AuditFormat {
    /// For the terminal.
    Table,
    /// The JSON contract (`jixiao.audit/1`, `jixiao.audits/1` for several).
    Json,
    /// A Markdown working paper (a summary table first when there are several).
    Markdown,
    /// Every finding, one row each, with its project.
    Csv,
    /// A workbook: a summary sheet and a sheet of every finding (needs `-o`).
    Xlsx,
}

impl AuditArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let format = match output::choose_format(self.format, self.output.as_deref(), AuditFormat::Table) {
            Ok(f) => f,
            Err(problem) => {
                output::report(&[problem], &jixiao::source::Sources::new(), global);
                return Exit::Failed;
            }
        };
        let checked = jixiao::check::check_files(&self.rules, global.rules_root_for(&self.rules).as_deref());
        let Some(rules) = checked.rules.clone() else {
            output::report(&checked.problems, &checked.sources, global);
            return Exit::Failed;
        };
        // Checker warnings are not audit findings: they are not shown here.
        // A submission's printed actual stands in for a derived one whose
        // figures it does not state (a finding says so).
        let evaluated = super::eval::evaluate_each(
            &rules,
            checked.sources,
            &self.data,
            jixiao::eval::Mode::Submission,
            global.lang(),
        );
        let Evaluated { evaluations, sources, data, .. } = match evaluated {
            Ok(done) => done,
            Err(Refused { sources, problems }) => {
                output::report(&problems, &sources, global);
                return Exit::Failed;
            }
        };
        if !data.iter().any(|d| d.claims.claims_anything()) {
            let mut problem = jixiao::diagnostic::Problem::error(audit::NOTHING_REPORTED);
            for d in &data {
                problem = problem.at(d.project.span);
            }
            output::report(&[problem], &sources, global);
            return Exit::Failed;
        }
        let audits: Vec<_> = evaluations.iter().zip(&data).map(|(e, d)| audit::audit(e, d)).collect();
        let pairs: Vec<_> = data.iter().zip(&evaluations).collect();
        let cross = if audits.len() > 1 { audit::cross_project(&rules, &pairs) } else { Vec::new() };
        let lang = global.lang();
        let written = match format {
            AuditFormat::Table => {
                output::emit(&report::audit::table(&audits, &cross, lang), self.output.as_deref(), &sources, global)
            }
            AuditFormat::Json => {
                output::emit(&report::audit::json(&audits, &cross, lang), self.output.as_deref(), &sources, global)
            }
            AuditFormat::Markdown => {
                output::emit(&report::audit::markdown(&audits, &cross, lang), self.output.as_deref(), &sources, global)
            }
            AuditFormat::Csv => {
                output::emit(&report::audit::csv(&audits, &cross, lang), self.output.as_deref(), &sources, global)
            }
            AuditFormat::Xlsx => {
                output::emit_bytes(report::xlsx::audit(&audits, &cross, lang), self.output.as_deref(), &sources, global)
            }
        };
        if written != Exit::Success {
            return written;
        }
        if audits.iter().all(audit::Audit::is_clean) && cross.is_empty() { Exit::Success } else { Exit::Found }
    }
}
