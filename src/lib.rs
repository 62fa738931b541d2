//! Tribune turns Markdown posts with TOML front matter into an editorial blog with feeds.
//!
//! The data flows one way: `config` and `source` load the site, `corpus` validates it,
//! `site` selects what is public, `markdown` renders bodies, `plan` lists the output files,
//! `render` makes their bytes and `output` writes them.

pub mod cli;
pub mod clock;
pub mod config;
pub mod error;
pub mod pipeline;

mod body;
mod context;
mod corpus;
mod feeds;
mod frontmatter;
mod highlight;
mod locale;
mod markdown;
mod output;
mod plan;
mod post;
mod render;
mod share;
mod shortcodes;
mod site;
mod sitemap;
mod slug;
mod source;
mod taxonomy;
mod templates;
mod theme;
mod typography;

use cli::{Cli, Command};
use config::Overrides;
use pipeline::BuildOptions;

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Build(args) => {
            let options = BuildOptions {
                root: cli.root,
                overrides: Overrides {
                    output: args.output,
                    base_url: args.base_url,
                },
                now: cli.now,
                source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
                drafts: args.drafts,
            };
            match pipeline::build(&options) {
                Ok(report) => {
                    println!(
                        "Built {} and {} into {} ({} written, {} unchanged, {} removed).",
                        count(report.posts, "post"),
                        count(report.pages, "page"),
                        report.output.display(),
                        count(report.files.written, "file"),
                        report.files.unchanged,
                        report.files.removed
                    );
                    if report.drafts_hidden > 0 || report.scheduled > 0 {
                        println!(
                            "Left out: {} and {}.",
                            count(report.drafts_hidden, "draft"),
                            count(report.scheduled, "scheduled post")
                        );
                    }
                    error::EXIT_OK
                }
                Err(errors) => {
                    eprint!("{errors}");
                    let n = errors.0.len();
                    eprintln!(
                        "Build failed with {n} error{}; the output folder was left as it was.",
                        if n == 1 { "" } else { "s" }
                    );
                    errors.exit_code()
                }
            }
        }
    }
}

/// "1 post", "2 posts".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
