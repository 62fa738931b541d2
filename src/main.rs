//! The `tribune` command: parses arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ExitCode::from(tribune::run(tribune::cli::Cli::parse()))
}
