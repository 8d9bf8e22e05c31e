//! The command line: one struct per subcommand, each with `run()`.

mod audit;
mod batch;
mod check;
mod diff;
mod eval;
mod explain;
mod fmt;
mod import;
mod lsp;
mod new;
pub mod output;
mod serve;
mod test;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use jixiao::messages::Lang;

/// jixiao — rules-as-data for budget-project performance evaluation (绩效自评).
#[derive(Parser, Debug)]
#[command(name = "jixiao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Language of messages and tables (default: the workspace file's `lang`, else from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// How diagnostics are written to stderr.
    #[arg(long, global = true, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
    /// The folder `use` may not leave (default: the workspace file's rules folder, else the nearest ancestor named `rules`).
    #[arg(long, global = true)]
    pub rules_root: Option<PathBuf>,
    /// The workspace the current folder lies in (`jixiao.toml`), when it has one.
    #[arg(skip)]
    pub workspace: Option<jixiao::workspace::Workspace>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFormat {
    /// Graphical reports with the source and labels.
    Human,
    /// One line per problem: `file:line:column: severity[code]: message`.
    Plain,
    /// One JSON object per line, for editors and CI.
    Json,
}

/// The formats of `audit` and `diff`.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ReportFormat {
    /// For the terminal.
    Table,
    /// The JSON contract (`jixiao.audit/1`, `jixiao.diff/1`).
    Json,
    /// A Markdown working paper.
    Markdown,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate rule files.
    Check(check::CheckArgs),
    /// Evaluate projects' data against their rules and print the 自评表.
    Eval(eval::EvalArgs),
    /// Show the calculation behind each score.
    Explain(explain::ExplainArgs),
    /// Recompute submitted reports and list every figure they got wrong.
    Audit(audit::AuditArgs),
    /// What changed between two versions of the rules, and its effect on scores.
    Diff(diff::DiffArgs),
    /// Read submitted 自评表 workbooks and narrative reports into data
    /// files (against approved rules) or rules and data (as submitted).
    Import(import::ImportArgs),
    /// Lay rule files out in the one canonical layout (comments kept).
    Fmt(fmt::FmtArgs),
    /// Run the rules' tests, and compare data files' evaluations with their golden files.
    Test(test::TestArgs),
    /// Files to start from: a project's rules, or the data a unit fills in.
    New(new::NewArgs),
    /// Deterministic synthetic records for a rule file (for tests and benchmarks).
    Generate(batch::GenerateArgs),
    /// A language server on standard input and output, for editors.
    Lsp(lsp::LspArgs),
    /// A local web workbench: rules, data and the 自评表 side by side in a browser.
    Serve(serve::ServeArgs),
}

/// How a command ended (the exit codes README.md lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// It did its job.
    Success = 0,
    /// It ran and found something (errors in rule files).
    Found = 1,
    /// It could not do its job.
    Failed = 2,
}

impl Global {
    pub fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => self.workspace.as_ref().and_then(|w| w.lang).unwrap_or_else(lang_from_env),
        }
    }

    /// The language for a workspace a command found itself (`serve`, `lsp`):
    /// `--lang`, else that workspace's, else the locale's.
    pub fn lang_in(&self, workspace: Option<Lang>) -> Lang {
        match (self.lang, workspace) {
            (None, Some(lang)) => lang,
            _ => self.lang(),
        }
    }

    /// The folder `use` may not leave for these rule files: `--rules-root`,
    /// else the workspace's rules folder the first of them lies in (none:
    /// the loader takes the nearest folder named `rules`).
    pub fn rules_root_for(&self, rules: &[PathBuf]) -> Option<PathBuf> {
        if let Some(root) = &self.rules_root {
            return Some(root.clone());
        }
        let workspace = self.workspace.as_ref().filter(|w| w.file.is_some())?;
        rules.iter().find_map(|r| workspace.rules_root_of(r)).map(std::path::Path::to_path_buf)
    }
}

fn lang_from_env() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if locale.starts_with("zh") { Lang::Zh } else { Lang::En }
}

/// What clap refused, put into a diagnostic when `--error-format` asks
/// for plain or JSON lines (a program reading stderr expects its format for
/// every error); `None` leaves clap's own report. The arguments are scanned
/// by hand: they did not parse.
pub fn usage_error(error: &clap::Error, args: &[String]) -> Option<String> {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return None;
    }
    let value_of = |flag: &str| {
        args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix(flag) {
            Some("") => args.get(i + 1).cloned(),
            Some(rest) => rest.strip_prefix('=').map(String::from),
            None => None,
        })
    };
    let format = match value_of("--error-format").as_deref() {
        Some("json") => ErrorFormat::Json,
        Some("plain") => ErrorFormat::Plain,
        _ => return None,
    };
    let lang = match value_of("--lang").as_deref() {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => lang_from_env(),
    };
    let rendered = error.render().to_string();
    // The first paragraph: the error and what it lists (missing arguments).
    let paragraph: Vec<&str> = rendered.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
    let joined = paragraph.join(" ");
    let message = joined.strip_prefix("error: ").unwrap_or(&joined);
    let problem = jixiao::diagnostic::Problem::error(USAGE).arg("message", message);
    Some(output::format_problems(&[problem], &jixiao::source::Sources::new(), lang, format, false))
}

/// `%XX` escapes as bytes (and `+` as a space, in a query): addresses the
/// language server and the workbench are given.
pub fn percent_decoded(text: &str, plus_as_space: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%').then(|| text.get(i + 1..i + 3)).flatten();
        match (bytes[i], escaped.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
                continue;
            }
            (b'+', None) if plus_as_space => out.push(b' '),
            (b, None) => out.push(b),
        }
        i += 1;
    }
    out
}

/// The code of a command line clap could not parse.
pub const USAGE: &str = "jixiao::cli::usage";

/// No thread to run the command could start: said, not a silent exit.
pub fn cannot_start(global: &Global, error: &std::io::Error) -> Exit {
    output::report(&[jixiao::diagnostic::output::thread_refused(error)], &jixiao::source::Sources::new(), global);
    Exit::Failed
}

pub fn run(mut cli: Cli) -> Exit {
    // A workspace file in the current folder or above sets the language
    // and the rules roots; one that does not read stops every command but
    // the two that find their own workspace (`serve`, from its argument;
    // `lsp`, from each file opened: an editor could not say why it stopped).
    let own_workspace = matches!(cli.command, Command::Serve(_) | Command::Lsp(_));
    if let Ok(here) = std::env::current_dir()
        && !own_workspace
    {
        let mut sources = jixiao::source::Sources::new();
        match jixiao::workspace::Workspace::find(&here, &mut sources) {
            Ok(found) => cli.global.workspace = found.filter(|w| w.file.is_some()),
            Err(problems) => {
                output::report(&problems, &sources, &cli.global);
                return Exit::Failed;
            }
        }
    }
    if let Some(root) = &cli.global.rules_root
        && !root.is_dir()
    {
        // A mistyped root would silently let `use` reach anywhere, or nowhere.
        let problem = jixiao::diagnostic::Problem::error("jixiao::cli::rules_root").arg("path", root.display());
        output::report(&[problem], &jixiao::source::Sources::new(), &cli.global);
        return Exit::Failed;
    }
    match &cli.command {
        Command::Check(args) => args.run(&cli.global),
        Command::Eval(args) => args.run(&cli.global),
        Command::Explain(args) => args.run(&cli.global),
        Command::Audit(args) => args.run(&cli.global),
        Command::Diff(args) => args.run(&cli.global),
        Command::Generate(args) => args.run(&cli.global),
        Command::Import(args) => args.run(&cli.global),
        Command::New(args) => args.run(&cli.global),
        Command::Test(args) => args.run(&cli.global),
        Command::Fmt(args) => args.run(&cli.global),
        Command::Lsp(args) => args.run(&cli.global),
        Command::Serve(args) => args.run(&cli.global),
    }
}
