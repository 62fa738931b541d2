//! What the last in-memory render made, and the keys that tell which of it still holds.
//!
//! Every output file gets a key: a hash of its inputs, as the render stage declares them
//! (`render::inputs`), the same value its rendering reads. A file whose key is
//! the same as last time has the same bytes, so the preview reuses it instead of rendering it
//! again. What every page reads (the configuration, the shared templates, the UI strings, the
//! site-wide context) goes into one guard instead: when it changes, nothing is reused.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::body::markdown::Rendered;
use crate::hash::{Quick, QuickMap, QuickSet};
use crate::load::config::Config;
use crate::load::post::Post;
use crate::render::inputs::{Inputs, PAGE_TEMPLATES};
use crate::render::pages::Content;
use crate::render::plan::Planned;
use crate::render::prepare::{PreparedPost, Reuse, ViewDigest};
use crate::render::views::PostViews;
use crate::theme::layers::Theme;

/// What a post's view is made from besides the configuration: the post, and what the clock
/// decides (scheduled, stale, how old).
pub(crate) fn view_key(post: &Post, config: &Config, now: DateTime<Utc>) -> (u64, u64) {
    let mut h = DefaultHasher::new();
    post.date.is_some_and(|d| d > now).hash(&mut h);
    crate::site::freshness::freshness(post, config.stale_after, now).hash(&mut h);
    (post.fingerprint, h.finish())
}

/// A rendered output file and the key of what it was rendered from.
#[derive(Debug, Clone)]
pub(crate) struct MemoFile {
    /// Hash of the file's inputs.
    pub(crate) key: u64,
    /// The file's content.
    pub(crate) content: Held,
}

/// What the preview keeps of a file: its bytes, or, for a card or a resized photo, the image
/// cache's file that holds them (thousands of cards would otherwise fill the memory).
#[derive(Debug, Clone)]
pub(crate) enum Held {
    /// The bytes.
    Bytes(Arc<[u8]>),
    /// A file of the image cache.
    Cached(Arc<Path>),
}

impl Held {
    /// The bytes; `None` when a cached file has gone.
    pub(crate) fn read(&self) -> Option<Arc<[u8]>> {
        match self {
            Held::Bytes(bytes) => Some(Arc::clone(bytes)),
            Held::Cached(file) => std::fs::read(file).ok().map(Arc::from),
        }
    }

    /// Whether two hold the same bytes, known without reading a cached file: the cache names
    /// each file by what it holds.
    pub(crate) fn same(&self, other: &Held) -> bool {
        match (self, other) {
            // Most files are the very same bytes: the pointers are compared first.
            (Held::Bytes(a), Held::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Held::Cached(a), Held::Cached(b)) => a == b,
            _ => false,
        }
    }
}

impl From<Content> for Held {
    fn from(content: Content) -> Held {
        match content {
            Content::Bytes(bytes) => Held::Bytes(bytes.into()),
            Content::Cached(file) => Held::Cached(file.into()),
        }
    }
}

/// What rendering made of each post, kept for the next render under the same guard.
#[derive(Debug, Default)]
pub(crate) struct Caches {
    /// The guard they were made under.
    pub(crate) guard: u64,
    /// Rendered bodies by post fingerprint.
    pub(crate) bodies: QuickMap<u64, Arc<Rendered>>,
    /// Template views and their digests by [`view_key`].
    pub(crate) views: QuickMap<(u64, u64), (Arc<PostViews>, ViewDigest)>,
}

impl Caches {
    /// Caches for `guard`: these, or empty ones when they were made under another.
    pub(crate) fn under(&mut self, guard: u64) -> &Caches {
        if self.guard != guard {
            *self = Caches {
                guard,
                ..Caches::default()
            };
        }
        self
    }

    /// Keeps what a render made: `posts` with their bodies, their views by
    /// key, and pages with their bodies. Entries of posts that are gone
    /// are dropped once they outnumber the live ones.
    pub(crate) fn keep<'p>(
        &mut self,
        posts: impl Iterator<Item = (&'p Post, &'p PreparedPost)>,
        pages: impl Iterator<Item = (&'p Post, &'p Arc<Rendered>)>,
        views: impl Iterator<Item = ((u64, u64), &'p PreparedPost)>,
    ) {
        let mut live = QuickSet::default();
        for (post, prepared) in posts {
            live.insert(post.fingerprint);
            self.bodies
                .entry(post.fingerprint)
                .or_insert_with(|| Arc::clone(&prepared.body));
        }
        for (page, body) in pages {
            live.insert(page.fingerprint);
            self.bodies
                .entry(page.fingerprint)
                .or_insert_with(|| Arc::clone(body));
        }
        let mut live_views = 0;
        for (key, prepared) in views {
            live_views += 1;
            self.views
                .entry(key)
                .or_insert_with(|| (Arc::clone(&prepared.views), prepared.digest()));
        }
        if self.bodies.len() > 2 * live.len() + 64 {
            self.bodies.retain(|f, _| live.contains(f));
        }
        if self.views.len() > 2 * live_views + 64 {
            self.views.retain(|(f, _), _| live.contains(f));
        }
    }
}

/// The complete output of the last render, with what it takes to reuse it.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// Hash of what every page reads.
    pub(crate) guard: u64,
    /// The output files' paths, relative to the output folder, in plan order.
    pub(crate) paths: Arc<Paths>,
    /// The output files, in plan order.
    pub(crate) files: Vec<MemoFile>,
}

/// Output paths in plan order, and where each is in that order. Rebuilds that plan the same
/// files share it.
#[derive(Debug, Default)]
pub(crate) struct Paths {
    /// In plan order.
    pub(crate) order: Vec<Arc<str>>,
    /// The position of each.
    pub(crate) index: QuickMap<Arc<str>, usize>,
}

impl Paths {
    /// Indexes `order`.
    pub(crate) fn new(order: Vec<Arc<str>>) -> Paths {
        let index = order
            .iter()
            .enumerate()
            .map(|(k, path)| (Arc::clone(path), k))
            .collect();
        Paths { order, index }
    }
}

impl Memo {
    /// The file at `path`.
    pub(crate) fn get(&self, path: &str) -> Option<&MemoFile> {
        self.paths.index.get(path).map(|&k| &self.files[k])
    }

    /// The part of this memo that still holds under `guard`: everything, or nothing.
    pub(crate) fn valid_for(&self, guard: u64) -> Option<&Memo> {
        (self.guard == guard).then_some(self)
    }
}

/// Hashes what every page reads. `settings` is the configuration's fingerprint and the
/// command-line settings; `base` is the site-wide template context.
pub(crate) fn guard(
    settings: &impl Hash,
    theme: &Theme,
    bases: &crate::theme::templates::Bases,
) -> u64 {
    let mut h = DefaultHasher::new();
    settings.hash(&mut h);
    theme.string_tables.hash(&mut h);
    for (name, source) in &theme.templates {
        if !own_template(name, theme) {
            name.hash(&mut h);
            source.text.hash(&mut h);
        }
    }
    bases.digest.hash(&mut h);
    h.finish()
}

/// Whether a template's changes reach only the files of its own kind: it is a page template
/// and no other template names it (which an `include` or `extends` would need).
fn own_template(name: &str, theme: &Theme) -> bool {
    PAGE_TEMPLATES.contains(&name) && {
        let quoted = [format!("\"{name}\""), format!("'{name}'")];
        theme
            .templates
            .iter()
            .all(|(other, t)| other == name || quoted.iter().all(|q| !t.text.contains(q)))
    }
}

/// The hash of each page template's text, made once for every key that reads it: hashing a
/// template's text for each of 10,000 pages took a fifth of a save's time.
pub(crate) fn page_templates(theme: &Theme) -> QuickMap<&'static str, u64> {
    PAGE_TEMPLATES
        .iter()
        .filter_map(|&name| {
            let source = theme.templates.get(name)?;
            let mut h = DefaultHasher::new();
            source.text.hash(&mut h);
            Some((name, h.finish()))
        })
        .collect()
}

/// The key of one planned file: a hash of its path, its page template (by the hashes of
/// [`page_templates`]) and its inputs, the very inputs its rendering reads.
pub(crate) fn key(
    planned: &Planned,
    inputs: &Inputs<'_>,
    templates: &QuickMap<&'static str, u64>,
) -> u64 {
    let mut h = Quick::default();
    planned.file.hash(&mut h);
    // The templates a page template extends are in the guard.
    if let Some(text) = inputs.template().and_then(|name| templates.get(name)) {
        text.hash(&mut h);
    }
    inputs.hash(&mut h);
    h.finish()
}

/// What the caches hold for one render: bodies by post, views by the key of
/// each of the site's posts (same order as its posts).
pub(crate) struct Known<'a> {
    /// The caches.
    pub(crate) caches: &'a Caches,
    /// [`view_key`] of each of the site's posts.
    pub(crate) view_keys: &'a [(u64, u64)],
}

impl Reuse for Known<'_> {
    fn body(&self, post: &Post) -> Option<Arc<Rendered>> {
        self.caches.bodies.get(&post.fingerprint).cloned()
    }
    fn view(&self, i: usize) -> Option<(Arc<PostViews>, ViewDigest)> {
        self.caches.views.get(&self.view_keys[i]).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick(value: impl Hash) -> u64 {
        let mut h = Quick::default();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn keys_tell_near_inputs_apart() {
        let mut seen = QuickSet::default();
        for n in 0..100_000u32 {
            assert!(seen.insert(quick(format!("posts/{n}/index.html"))), "{n}");
            assert!(seen.insert(quick((n, "tags/rust/"))), "{n}");
        }
        assert_ne!(quick("ab"), quick("ab\0"));
        assert_ne!(quick(("a", "bc")), quick(("ab", "c")));
        assert_ne!(quick([0u8; 9]), quick([0u8; 10]));
        let raw = |bytes: &[u8]| {
            let mut h = Quick::default();
            h.write(bytes);
            h.finish()
        };
        assert_ne!(raw(&[0; 8]), raw(&[0; 16]));
    }
}
