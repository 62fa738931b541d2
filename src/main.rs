//! The `tribune` command: parses arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: tribune::memory::Counting = tribune::memory::Counting;

fn main() -> ExitCode {
    // Like other command-line tools, end quietly when the reader of the output goes away
    // (`tribune queue | head`) instead of failing on the closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tribune::memory::without_huge_pages();
    ExitCode::from(tribune::run(tribune::cli::Cli::parse()))
}
