//! The `tribune` command: parses arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

// Rendering allocates many small strings and maps on every thread; mimalloc serves them
// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(tribune::run(tribune::cli::Cli::parse()))
}
