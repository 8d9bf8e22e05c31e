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
    // limits) from overflowing it. Under a tight limit on virtual memory a
    // smaller one is taken rather than none (only the deepest rules need
    // the large one); when none can start, that is said.
    let global = cli.global.clone();
    let cli = std::sync::Mutex::new(Some(cli));
    let exit = std::thread::scope(|scope| {
        let run = || || cli.lock().ok().and_then(|mut c| c.take()).map_or(cli::Exit::Failed, cli::run);
        match jixiao::parallel::spawn_shrinking(scope, &[256 << 20, 64 << 20, 16 << 20], run) {
            Ok(worker) => match worker.join() {
                Ok(exit) => exit as i32,
                // A panic has said what went wrong.
                Err(_) => 2,
            },
            Err(error) => cli::cannot_start(&global, &error) as i32,
        }
    });
    std::process::exit(exit);
}
