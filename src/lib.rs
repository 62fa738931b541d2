//! Tribune turns Markdown posts with TOML front matter into an editorial blog with feeds.
//!
//! The folders follow the data, one way: `load` reads `site.toml` and `content/` into a valid
//! corpus; `site` keeps what is public at the build clock; `theme` loads and compiles the
//! templates; `body` turns each post's Markdown into HTML; `images` resizes photos and draws
//! social cards, cached by their inputs; `render` plans every output file, gathers what each one
//! reads and renders it to bytes; `write` puts them on disk atomically, with the cache that lets
//! an unchanged rebuild skip rendering. Beside the build, `social` derives the posting queue and
//! `audit` the content inventory; `serve` keeps a build in memory and re-renders only what an
//! edit touched; `import` turns another engine's export into a site's files. `command` has one
//! file per command, each composing the stages it needs from the `options` its command line
//! resolved to. The shared basics (`cli`, `options`, `error`, `clock`, `slug`, `locale`,
//! `share`, `href`, `unsafe_url`) sit at the top.

pub mod cli;
pub mod clock;
pub mod error;
mod hash;
mod href;
mod html;
mod locale;
pub mod memory;

// The unit tests render templates whose memory the guard bounds through this allocator.
#[cfg(test)]
#[global_allocator]
static ALLOCATOR: memory::Counting = memory::Counting;
mod options;
mod share;
mod slug;
mod unsafe_url;

mod audit;
mod body;
mod images;
mod import;
mod load;
mod publish;
mod render;
mod search;
mod serve;
mod site;
mod social;
mod theme;
mod write;

mod command;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod testing;

pub use load::config::Overrides;
pub use options::{BuildOptions, SiteOptions};
pub use serve::preview::{Preview, Rebuilt, Snapshot};

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: cli::Cli) -> u8 {
    command::run(cli)
}
