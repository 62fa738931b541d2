//! Tribune turns Markdown posts with TOML front matter into an editorial blog with feeds.
//!
//! The folders follow the data, one way: `load` reads `site.toml` and `content/` into a valid
//! corpus; `site` keeps what is public at the build clock; `theme` loads and compiles the
//! templates; `body` turns each post's Markdown into HTML; `render` plans every output file,
//! gathers what each one reads and renders it to bytes; `build` writes them atomically. Beside
//! the build, `social` derives the posting queue and `audit` the content inventory; `serve`
//! keeps a build in memory and re-renders only what an edit touched. `command` has one file per
//! command, each composing the stages it needs. The shared basics (`cli`, `error`, `clock`,
//! `slug`, `locale`, `share`, `href`, `unsafe_url`) sit at the top.

pub mod cli;
pub mod clock;
pub mod error;
mod href;
mod locale;
mod share;
mod slug;
mod unsafe_url;

mod audit;
mod body;
mod build;
mod images;
mod import;
mod load;
mod render;
mod serve;
mod site;
mod social;
mod theme;

mod command;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod testing;

pub use load::config::Overrides;
pub use serve::preview::{Preview, Rebuilt, Snapshot};
pub use site::options::{BuildOptions, SiteOptions};

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: cli::Cli) -> u8 {
    command::run(cli)
}
