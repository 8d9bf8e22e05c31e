use std::path::PathBuf;

use super::{Exit, Global, output};
use jixiao::diagnostic::Problem;
use jixiao::format::{self, Keywords};
use jixiao::source::Sources;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Rule files or folders of them; `-` reads standard input and writes standard output.
    pub paths: Vec<PathBuf>,
    /// Change nothing: print a diff of what would change and exit 1 when a file is not formatted.
    #[arg(long)]
    pub check: bool,
    /// Write every keyword in one language.
    #[arg(long, value_enum)]
    pub keywords: Option<KeywordsArg>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum KeywordsArg {
    Zh,
    En,
}

impl FmtArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let keywords = match self.keywords {
            Some(KeywordsArg::Zh) => Keywords::Zh,
            Some(KeywordsArg::En) => Keywords::En,
            None => Keywords::AsWritten,
        };
        let paths = if self.paths.is_empty() { vec![PathBuf::from("rules")] } else { self.paths.clone() };
        if paths.len() == 1 && paths[0].as_os_str() == "-" {
            let mut text = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
                output::report(
                    &[Problem::error(jixiao::source::UNREADABLE).arg("path", "-").arg_io("reason", e.kind())],
                    &Sources::new(),
                    global,
                );
                return Exit::Failed;
            }
            return match format::format(&text, keywords) {
                // --check on standard input: the diff, and 1 when it is not formatted.
                Some(formatted) if self.check => {
                    if formatted == text {
                        return Exit::Success;
                    }
                    let _ = output::emit(&format::unified_diff("-", &text, &formatted), None, &Sources::new(), global);
                    Exit::Found
                }
                Some(formatted) => output::emit(&formatted, None, &Sources::new(), global),
                None => self.parse_problems("-", &text, global),
            };
        }
        let files = jixiao::check::expand(&paths);
        let mut unformatted = 0;
        let mut failed = false;
        let mut diffs = String::new();
        for file in &files {
            if !paths.contains(file)
                && let Some(problem) = jixiao::check::found_not_a_file(file)
            {
                output::report(&[problem], &Sources::new(), global);
                failed = true;
                continue;
            }
            let text = match jixiao::source::read_text(file) {
                Ok(t) => t,
                Err(e) => {
                    output::report(&[e.problem(jixiao::source::UNREADABLE, file)], &Sources::new(), global);
                    failed = true;
                    continue;
                }
            };
            let Some(formatted) = format::format(&text, keywords) else {
                self.parse_problems(&file.display().to_string(), &text, global);
                failed = true;
                continue;
            };
            if formatted == text {
                continue;
            }
            unformatted += 1;
            if self.check {
                diffs.push_str(&format::unified_diff(&file.display().to_string(), &text, &formatted));
            } else if let Err(e) = output::write_atomic(file, formatted.as_bytes()) {
                output::report(&[jixiao::diagnostic::output::write_failed(Some(file), &e)], &Sources::new(), global);
                failed = true;
            }
        }
        if self.check && !diffs.is_empty() {
            let _ = output::emit(&diffs, None, &Sources::new(), global);
        }
        if failed {
            Exit::Failed
        } else if self.check && unformatted > 0 {
            Exit::Found
        } else {
            Exit::Success
        }
    }

    /// A file that does not parse: its diagnostics, as `check` gives them.
    fn parse_problems(&self, name: &str, text: &str, global: &Global) -> Exit {
        let checked = jixiao::check::check_source(name, text);
        output::report(&checked.problems, &checked.sources, global);
        Exit::Failed
    }
}
