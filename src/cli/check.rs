use std::path::PathBuf;

use super::{Exit, Global, output};
use jixiao::check;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Rule files or folders of them.
    #[arg(required = true)]
    pub rules: Vec<PathBuf>,
}

impl CheckArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let checked = check::check_files(&self.rules, global.rules_root_for(&self.rules).as_deref());
        output::report(&checked.problems, &checked.sources, global);
        let unreadable = checked
            .problems
            .iter()
            .any(|p| matches!(p.code, check::codes::FILE_UNREADABLE | check::codes::NO_RULE_FILES));
        if unreadable {
            Exit::Failed
        } else if checked.has_errors() {
            Exit::Found
        } else {
            Exit::Success
        }
    }
}
