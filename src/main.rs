//! The `jixiao` binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() {
    let cli = jixiao::cli::Cli::parse();
    let exit = jixiao::cli::run(cli);
    std::process::exit(exit as i32);
}
