//! Import: another engine's site into the site's `content/`.
//!
//! In: a WordPress export (WXR), read in one streaming pass ([`wxr`]), and optionally the
//! `wp-content/uploads` folder of a backup; or the folder of a Hugo ([`hugo`]) or Jekyll
//! ([`jekyll`]) site, whose front matter [`front`] reads and whose posts and pages
//! [`generator`] places. Out: planned files ([`plan`]: posts as bundles with
//! their media and `comments.toml`, pages at their old paths, HTML turned into Markdown by
//! [`html`]), written through a staging folder and moved into `content/` ([`write`]), which
//! never overwrites a file edited since the last import; and a [`Report`] of what was done.

/// How an imported link reads its address.
pub(crate) mod addresses;
/// Links of imported Markdown that lead nowhere.
pub(crate) mod dead_links;
/// Media fetched from the old site.
pub(crate) mod download;
/// Front matter of other engines, read and written as Tribune's.
pub(crate) mod front;
/// What the Hugo and Jekyll imports share.
pub(crate) mod generator;
/// HTML to Markdown.
pub(crate) mod html;
/// A Hugo site.
pub(crate) mod hugo;
/// A Jekyll site.
pub(crate) mod jekyll;
/// A post's media, copied or fetched.
pub(crate) mod media;
/// Items to files.
pub(crate) mod plan;
/// WordPress shortcodes as the build reads them.
pub(crate) mod shortcodes;
/// The menu and old addresses, into `site.toml`.
pub(crate) mod site_toml;
/// Term names told apart where the new site's addresses would merge them.
pub(crate) mod terms;
/// Plain text out of HTML, and file digests.
pub(crate) mod text;
/// Staging, the manifest, the move into place.
pub(crate) mod write;
/// The export's reader.
pub(crate) mod wxr;

/// What an import did, for its closing summary.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Each post's or page's file, and what it counts as.
    pub(crate) items: Vec<(String, Counted)>,
    /// Published comments and pingbacks.
    pub(crate) comments: usize,
    /// Comments kept unpublished.
    pub(crate) pending: usize,
    /// Items and comments deliberately left out: what kind of thing, and which with why.
    pub(crate) left_out: Vec<(&'static str, String)>,
    /// What a person should look at: what kind of thing, and which, saying what to do.
    pub(crate) warnings: Vec<(&'static str, String)>,
    /// Media refused because their path leads outside the uploads folder, with why.
    pub(crate) refused: Vec<String>,
    /// Media the export refers to that the uploads folder did not have, by URL.
    pub(crate) missing: Vec<String>,
    /// Files left alone: edited since the last import (true), or never written by one (false).
    pub(crate) kept: Vec<(String, bool)>,
    /// Files written.
    pub(crate) written: usize,
    /// Files already as the export makes them.
    pub(crate) unchanged: usize,
    /// What was added to `site.toml`, if anything.
    pub(crate) site_toml: Option<String>,
}

/// What a post's or page's file counts as in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    /// A published post.
    Post,
    /// A published page.
    Page,
    /// A post or page imported as a draft.
    Draft,
    /// A post dated in the future.
    Scheduled,
}

impl Report {
    /// How many items of `kind` came in: those whose file was written or already there, not
    /// those a file of the site's own kept out.
    pub(crate) fn count(&self, kind: Counted) -> usize {
        self.items
            .iter()
            .filter(|(file, k)| {
                *k == kind && !self.kept.iter().any(|(f, edited)| f == file && !edited)
            })
            .count()
    }
}
