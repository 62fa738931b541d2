//! Command-line arguments, parsed into option structs; no logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Tribune: a static-site generator for editorial blogs.
#[derive(Debug, Parser)]
#[command(name = "tribune", version, about)]
pub struct Cli {
    /// The site folder (holding site.toml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The build clock: a date or RFC 3339 time (default: SOURCE_DATE_EPOCH, else now).
    #[arg(long, global = true, value_name = "TIME")]
    pub now: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Tribune's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (public/ by default).
    Build(BuildArgs),
    /// Inventory the content: states, terms, freshness, missing metadata, broken links.
    Audit(AuditArgs),
    /// Show the social-post calendar derived from the posts.
    Queue(QueueArgs),
    /// Preview the site: build it in memory, serve it, rebuild and reload pages on every save.
    Serve(ServeArgs),
}

/// Options of `tribune serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on; the next free one is taken if it is in use (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback lets other machines read the site.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Include drafts (scheduled posts are always shown, with a badge).
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Output formats of `tribune queue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QueueFormat {
    /// A table for the terminal.
    Table,
    /// The queue's JSON.
    Json,
    /// Buffer-style CSV.
    Csv,
    /// iCalendar.
    Ics,
}

/// Options of `tribune queue`.
#[derive(Debug, Args)]
pub struct QueueArgs {
    /// Only the next N days.
    #[arg(long, value_name = "N")]
    pub days: Option<i64>,
    /// Only this channel (x, mastodon, bluesky, linkedin, threads).
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: QueueFormat,
}

/// Options of `tribune audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Print the report as JSON (schema in the README).
    #[arg(long)]
    pub json: bool,
    /// Also write a self-contained HTML report with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Exit with status 1 when the audit finds problems (for CI).
    #[arg(long)]
    pub strict: bool,
}

/// Options of `tribune build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: [build] output in site.toml, else public/).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Deployment URL, overriding base_url (e.g. https://user.github.io/blog/).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated after the build clock (for previews).
    #[arg(long)]
    pub future: bool,
    /// Include posts past their `expires` time.
    #[arg(long)]
    pub expired: bool,
    /// Fail on warnings, such as links to posts that are not public.
    #[arg(long)]
    pub strict: bool,
}
