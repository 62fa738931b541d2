//! `tribune completions SHELL`: a completion script for the shell, on standard output.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error;

/// Prints the completion script of `args.shell`; returns the exit code.
pub(crate) fn run(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "tribune", &mut std::io::stdout());
    error::EXIT_OK
}
