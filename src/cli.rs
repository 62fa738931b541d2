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
    /// Print nothing but errors (for cron jobs and scripts).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what is done.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Colour the labels of messages: on a terminal only (auto, honouring NO_COLOR), always or never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, even in a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// Tribune's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site in DIR (default: the --root folder), ready to build and deploy.
    Init(InitArgs),
    /// Write a new post (or page) with its front matter, and print its path.
    New(NewArgs),
    /// Find every problem a build would stop on, and more, without writing anything.
    Check(CheckArgs),
    /// Build the site into its output folder (public/ by default).
    Build(BuildArgs),
    /// Inventory the content: states, terms, freshness, missing metadata, broken links.
    Audit(AuditArgs),
    /// Show the social-post calendar derived from the posts.
    Queue(QueueArgs),
    /// Post the queue's due items to the channels that have a `service` (Bluesky, Mastodon).
    Publish(PublishArgs),
    /// Preview the site: build it in memory, serve it, rebuild and reload pages on every save.
    Serve(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell).
    Completions(CompletionsArgs),
    /// Bring in the content of another engine: `tribune import wordpress EXPORT.xml`,
    /// `tribune import hugo SITE`, `tribune import jekyll SITE`.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// What `tribune import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (Tools > Export > All content): posts, pages, comments, media.
    Wordpress(WordpressArgs),
    /// A Hugo site's folder: settings, posts, pages, bundles, static files, shortcodes.
    Hugo(SiteArgs),
    /// A Jekyll site's folder: settings, posts, drafts, pages, assets, Liquid tags.
    Jekyll(SiteArgs),
}

/// Arguments of `tribune import hugo` and `tribune import jekyll`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The other site's folder (it is only read).
    #[arg(value_name = "SRC")]
    pub source: PathBuf,
    /// Overwrite files edited since the last import.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `tribune import wordpress`.
#[derive(Debug, Args)]
pub struct WordpressArgs {
    /// The export file (WXR 1.0 to 1.2).
    #[arg(value_name = "EXPORT.xml")]
    pub export: PathBuf,
    /// The `wp-content/uploads` folder of a backup: media are copied beside their posts.
    #[arg(long, value_name = "DIR")]
    pub uploads: Option<PathBuf>,
    /// Fetch the media the uploads folder does not have from the old site, over HTTP(S).
    #[arg(long)]
    pub download_media: bool,
    /// Overwrite files edited since the last import.
    #[arg(long)]
    pub force: bool,
}

/// Languages `tribune init` writes a site in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StarterLanguage {
    /// French.
    Fr,
    /// English.
    En,
}

/// Options of `tribune init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in; it must be empty or not exist yet.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The language of the site and of its starter texts; `fr,en` makes a site in both, French
    /// first (the default) and English under /en/.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "en")]
    pub language: Vec<StarterLanguage>,
}

/// Options of `tribune new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The title; the file name is made from it (`Été 2026` gives `ete-2026.md`).
    #[arg(value_name = "TITLE")]
    pub title: String,
    /// Write a bundle, `content/posts/<slug>/index.md`, whose folder holds the post's images.
    #[arg(long)]
    pub bundle: bool,
    /// The publication date (default: now, in the site's time zone); a future date schedules the post.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Mark the post as a draft.
    #[arg(long)]
    pub draft: bool,
    /// Make a curated link post pointing to this URL.
    #[arg(long, value_name = "URL", conflicts_with = "page")]
    pub link: Option<String>,
    /// Write a standalone page, `content/<slug>.md`, instead of a post.
    #[arg(long, conflicts_with = "bundle")]
    pub page: bool,
    /// The language it is written in, when it is not the site's (`en`, `fr-CA`).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Write the `--lang` translation of this post or page, beside it (`bonjour.md` gives
    /// `bonjour.en.md`), on a site that declares `[languages.CODE]`.
    #[arg(long, value_name = "FILE", requires = "lang", conflicts_with_all = ["bundle", "page", "link"])]
    pub translate: Option<PathBuf>,
}

/// Options of `tribune check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also check links to other sites (over the network; results cached in .tribune/).
    #[arg(long)]
    pub external: bool,
    /// Seconds to wait for each external link.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,
}

/// Shells `tribune completions` writes for.
pub type Shell = clap_complete::Shell;

/// Options of `tribune completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
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
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..=36_600))]
    pub days: Option<i64>,
    /// Only this channel (x, mastodon, bluesky, linkedin, threads).
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,
    /// Deployment URL the items link to, overriding base_url (as `build --base-url`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: QueueFormat,
}

/// Options of `tribune publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Say what would be posted, where, and why each other item is not; post nothing (no
    /// secret needed).
    #[arg(long)]
    pub dry_run: bool,
    /// Only this channel (bluesky or mastodon).
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,
    /// Deployment URL the items link to, overriding base_url (as `build --base-url`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
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
