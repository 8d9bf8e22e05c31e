//! The `jixiao` binary: parse arguments, run, exit with the command's code.

mod cli;

use clap::Parser;

/// mimalloc, not glibc's malloc: checking and evaluating 2 000 projects
/// allocates from every core, where glibc grew each thread's heap a page at
/// a time (11 000 `mprotect` calls) and a sixth of the instructions were
/// malloc and free. Without transparent huge pages, which count 2 MiB of
/// resident memory for every huge page touched (batch scoring's peak was
/// twice glibc's with them, a third less than glibc's without).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => match cli::usage_error(&error, &args) {
            Some(text) => {
                eprint!("{text}");
                std::process::exit(2);
            }
            None => error.exit(),
        },
    };
    // Parsing, checking and evaluating recurse over expressions; a large
    // stack keeps deeply nested or very long ones (within the checker's
    // limits) from overflowing it.
    let global = cli.global.clone();
    let worker = std::thread::Builder::new().stack_size(256 << 20).spawn(move || cli::run(cli));
    let exit = match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(exit)) => exit as i32,
        // A panic has said what went wrong; a thread that could not start
        // (a tight `ulimit -v`) says so here.
        Ok(Err(_)) => 2,
        Err(error) => cli::cannot_start(&global, &error) as i32,
    };
    std::process::exit(exit);
}
