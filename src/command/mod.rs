//! Commands: one file per `tribune` command, each composing the stages it needs and printing
//! what it did through the [`terminal::Terminal`]. To add a command, add its arguments to
//! `cli`, a file here with a `run` that returns the exit code, and its line in [`run`].

mod audit;
mod build;
mod check;
mod completions;
mod import;
pub(crate) mod init;
mod new;
mod progress;
mod publish;
mod queue;
mod serve;
mod terminal;

use crate::cli::{Cli, Command};
use crate::error;
use crate::load::config::Overrides;
use crate::options::{BuildOptions, SiteOptions};

use terminal::Terminal;

/// Runs a parsed command line; returns the process exit code.
pub(crate) fn run(cli: Cli) -> u8 {
    let terminal = Terminal::new(&cli);
    let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let site = SiteOptions {
        root: cli.root,
        now: cli.now,
        source_date_epoch,
    };
    let result = match cli.command {
        Command::Build(args) => build::run(
            &BuildOptions {
                root: site.root,
                overrides: Overrides {
                    output: args.output,
                    base_url: args.base_url,
                },
                now: site.now,
                source_date_epoch: site.source_date_epoch,
                drafts: args.drafts,
                future: args.future,
                expired: args.expired,
                strict: args.strict,
            },
            &terminal,
        ),
        Command::Init(args) => init::run(&site, &args, &terminal),
        Command::New(args) => new::run(&site, &args, &terminal),
        Command::Check(args) => check::run(&site, &args, &terminal),
        Command::Queue(args) => queue::run(&site, &args),
        Command::Publish(args) => publish::run(&site, &args, &terminal),
        Command::Serve(args) => serve::run(
            serve::ServeOptions {
                root: site.root,
                now: site.now,
                source_date_epoch: site.source_date_epoch,
                bind: args.bind,
                port: args.port,
                drafts: args.drafts,
                open: args.open,
            },
            &terminal,
        )
        .map(|()| error::EXIT_OK),
        Command::Audit(args) => audit::run(&site, &args),
        Command::Completions(args) => Ok(completions::run(&args)),
        Command::Import(crate::cli::ImportCommand::Hugo(args)) => {
            import::run_site(&site, &args, import::Engine::Hugo, &terminal)
        }
        Command::Import(crate::cli::ImportCommand::Jekyll(args)) => {
            import::run_site(&site, &args, import::Engine::Jekyll, &terminal)
        }
        Command::Import(crate::cli::ImportCommand::Wordpress(args)) => {
            import::run(&site, &args, &terminal)
        }
    };
    match result {
        Ok(code) => code,
        Err(errors) => {
            terminal.errors(&errors);
            errors.exit_code()
        }
    }
}

/// "1 post", "2 posts".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
