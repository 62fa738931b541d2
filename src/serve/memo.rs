//! What the last in-memory render made, and the keys that tell which of it still holds.
//!
//! Every output file gets a key: a hash of everything its rendering reads. A file whose key is
//! the same as last time has the same bytes, so the preview reuses it instead of rendering it
//! again. What every page reads (the configuration, the shared templates, the UI strings, the
//! site-wide context) goes into one guard instead: when it changes, nothing is reused.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use serde_json::Value;

use chrono::{DateTime, Utc};

use crate::body::markdown::Rendered;
use crate::load::config::Config;
use crate::load::post::Post;
use crate::render::plan::{FeedScope, Job, Planned, page_range};
use crate::share::ShareLink;
use crate::site::public::Site;
use crate::theme::layers::{StaticFile, Theme};

/// The templates that render one kind of output file; every other template is shared.
pub(crate) const PAGE_TEMPLATES: [&str; 10] = [
    "post.html",
    "page.html",
    "index.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "links.html",
    "archive_list.html",
    "archive.html",
    "404.html",
    "alias.html",
];

/// A post's template view and its hash.
#[derive(Debug, Clone)]
pub(crate) struct View {
    /// The view.
    pub(crate) value: Arc<Value>,
    /// Its hash, which the keys of the files showing the post are made of.
    pub(crate) hash: u64,
    /// The hash of what other posts' pages show of it (related, previous, next).
    pub(crate) brief: u64,
    /// The hash of its entry in a yearly archive.
    pub(crate) entry: u64,
}

impl View {
    /// Hashes a new view.
    pub(crate) fn new(value: Arc<Value>) -> View {
        let mut h = DefaultHasher::new();
        hash_json(&value, &mut h);
        let hash = h.finish();
        let fields = |names: &[&str]| {
            let mut h = DefaultHasher::new();
            for &field in names {
                hash_json(&value[field], &mut h);
            }
            h.finish()
        };
        View {
            hash,
            brief: fields(&crate::render::context::BRIEF),
            entry: fields(&crate::render::context::ARCHIVE_ENTRY),
            value,
        }
    }
}

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
    /// The file's bytes.
    pub(crate) bytes: Arc<[u8]>,
}

/// What rendering made of each post, kept for the next render under the same guard.
#[derive(Debug, Default)]
pub(crate) struct Caches {
    /// The guard they were made under.
    pub(crate) guard: u64,
    /// Rendered bodies by post fingerprint.
    pub(crate) bodies: HashMap<u64, Arc<Rendered>>,
    /// Share links by post fingerprint.
    pub(crate) shares: HashMap<u64, Arc<Vec<ShareLink>>>,
    /// Template views by [`view_key`].
    pub(crate) views: HashMap<(u64, u64), View>,
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

    /// Keeps what a render made: `posts` with their bodies, share links and views (keys and
    /// views in the same order), and pages with their bodies. Entries of posts that are gone
    /// are dropped once they outnumber the live ones.
    pub(crate) fn keep<'p>(
        &mut self,
        posts: impl Iterator<Item = (&'p Post, &'p Arc<Rendered>, &'p Arc<Vec<ShareLink>>)>,
        pages: impl Iterator<Item = (&'p Post, &'p Arc<Rendered>)>,
        views: impl Iterator<Item = ((u64, u64), View)>,
    ) {
        let mut live = std::collections::HashSet::new();
        for (post, body, share) in posts {
            live.insert(post.fingerprint);
            self.bodies
                .entry(post.fingerprint)
                .or_insert_with(|| Arc::clone(body));
            self.shares
                .entry(post.fingerprint)
                .or_insert_with(|| Arc::clone(share));
        }
        for (page, body) in pages {
            live.insert(page.fingerprint);
            self.bodies
                .entry(page.fingerprint)
                .or_insert_with(|| Arc::clone(body));
        }
        let mut live_views = 0;
        for (key, view) in views {
            live_views += 1;
            self.views.entry(key).or_insert(view);
        }
        if self.bodies.len() > 2 * live.len() + 64 {
            self.bodies.retain(|f, _| live.contains(f));
            self.shares.retain(|f, _| live.contains(f));
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
    pub(crate) index: HashMap<Arc<str>, usize>,
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

/// Hashes what every page reads. `settings` is the configuration file's text and the
/// command-line settings; `base` is the site-wide template context.
pub(crate) fn guard(settings: &impl Hash, theme: &Theme, base: &tera::Context) -> u64 {
    let mut h = DefaultHasher::new();
    settings.hash(&mut h);
    theme.strings.hash(&mut h);
    for (name, source) in &theme.templates {
        if !own_template(name, theme) {
            name.hash(&mut h);
            source.text.hash(&mut h);
        }
    }
    hash_json(&base.clone().into_json(), &mut h);
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

/// Computes the key of every planned file.
pub(crate) struct Keys<'a> {
    /// The public site.
    pub(crate) site: &'a Site<'a>,
    /// The theme, for page templates and static files.
    pub(crate) theme: &'a Theme,
    /// Per post (same order as `site.posts`): the hash of its fingerprint and its view.
    pub(crate) posts: Vec<u64>,
    /// Per post: the hash of its brief view.
    pub(crate) briefs: Vec<u64>,
    /// Per post: the hash of its archive entry.
    pub(crate) entries: Vec<u64>,
}

impl<'a> Keys<'a> {
    /// Keys over `site`, whose posts' views are `views` (same order).
    pub(crate) fn new(site: &'a Site<'a>, theme: &'a Theme, views: &[View]) -> Keys<'a> {
        let posts = site
            .posts
            .iter()
            .zip(views)
            .map(|(post, view)| {
                let mut h = DefaultHasher::new();
                (post.fingerprint, view.hash).hash(&mut h);
                h.finish()
            })
            .collect();
        Keys {
            site,
            theme,
            posts,
            briefs: views.iter().map(|view| view.brief).collect(),
            entries: views.iter().map(|view| view.entry).collect(),
        }
    }

    /// The key of one planned file.
    pub(crate) fn key(&self, planned: &Planned) -> u64 {
        let site = self.site;
        let config = site.config;
        let per_page = config.posts_per_page;
        let mut h = DefaultHasher::new();
        planned.file.hash(&mut h);
        let posts = |indexes: &mut dyn Iterator<Item = usize>, h: &mut DefaultHasher| {
            for i in indexes {
                self.posts[i].hash(h);
            }
        };
        let page = |list: &[usize], n: usize, h: &mut DefaultHasher| {
            (list.len(), n).hash(h);
            posts(
                &mut list[page_range(list.len(), per_page, n)].iter().copied(),
                h,
            );
        };
        match &planned.job {
            Job::Post(i) => {
                self.template("post.html", &mut h);
                self.posts[*i].hash(&mut h);
                // Of its neighbours and related posts, the page shows only their brief.
                let neighbours = [i.checked_sub(1), Some(i + 1)];
                let around = neighbours
                    .into_iter()
                    .flatten()
                    .filter(|&j| j < site.posts.len());
                for j in around.chain(site.related[*i].iter().copied()) {
                    (j, self.briefs[j]).hash(&mut h);
                }
                (*i == 0, *i + 1 == site.posts.len()).hash(&mut h);
            }
            Job::Page(i) => {
                self.template("page.html", &mut h);
                site.pages[*i].fingerprint.hash(&mut h);
            }
            Job::Index(n) => {
                self.template("index.html", &mut h);
                let count = site.posts.len();
                (count, n).hash(&mut h);
                posts(&mut page_range(count, per_page, *n), &mut h);
            }
            Job::TaxonomyList(t) => {
                self.template("taxonomy_list.html", &mut h);
                for term in &site.taxonomies[*t].terms {
                    (&term.name, &term.slug, term.posts.len()).hash(&mut h);
                }
            }
            Job::Term(t, i, n) => {
                self.template("taxonomy_term.html", &mut h);
                let term = &site.taxonomies[*t].terms[*i];
                (&term.name, &term.slug).hash(&mut h);
                page(&term.posts, *n, &mut h);
            }
            Job::Links(n) => {
                self.template("links.html", &mut h);
                page(&site.links, *n, &mut h);
            }
            Job::ArchiveList => {
                self.template("archive_list.html", &mut h);
                self.years(&mut h);
            }
            Job::Archive(y) => {
                self.template("archive.html", &mut h);
                self.years(&mut h);
                // It shows archive entries only: a new body does not change it.
                for &i in &site.years[*y].1 {
                    self.entries[i].hash(&mut h);
                }
            }
            Job::NotFound => self.template("404.html", &mut h),
            Job::Alias(target) => {
                self.template("alias.html", &mut h);
                target.hash(&mut h);
            }
            Job::Feed(scope, _) => {
                let limit = config.feeds.limit;
                let count = match scope {
                    FeedScope::Site => {
                        posts(&mut (0..site.posts.len()).take(limit), &mut h);
                        site.posts.len()
                    }
                    FeedScope::Term(t, i) => {
                        let term = &site.taxonomies[*t].terms[*i];
                        term.name.hash(&mut h);
                        posts(&mut term.posts.iter().copied().take(limit), &mut h);
                        term.posts.len()
                    }
                };
                if count == 0 {
                    // An empty feed is dated by the clock.
                    site.clock.now().hash(&mut h);
                }
            }
            Job::Sitemap => {
                // It shows paths and dates only.
                for p in &site.posts {
                    (&p.path, p.date, p.updated).hash(&mut h);
                }
                for p in &site.pages {
                    p.fingerprint.hash(&mut h);
                }
                for taxonomy in &site.taxonomies {
                    for term in &taxonomy.terms {
                        (&term.name, term.posts.first()).hash(&mut h);
                    }
                }
                self.years(&mut h);
                site.links.is_empty().hash(&mut h);
            }
            Job::Robots | Job::HighlightCss | Job::ShareIcons => {}
            Job::Static(key) => match &self.theme.statics[key] {
                // Built into the binary: the same for the whole run.
                StaticFile::Embedded(_) => {}
                StaticFile::File(abs) => file_stamp(abs, &mut h),
            },
            Job::Asset(i) => file_stamp(&site.assets[*i].asset.source, &mut h),
        }
        h.finish()
    }

    /// Adds the text of a page template; the templates it extends are in the guard.
    fn template(&self, name: &str, h: &mut DefaultHasher) {
        if let Some(source) = self.theme.templates.get(name) {
            source.text.hash(h);
        }
    }

    fn years(&self, h: &mut DefaultHasher) {
        for (year, posts) in &self.site.years {
            (year, posts.len()).hash(h);
        }
    }
}

/// Files up to this size are known by their bytes, not only by their size and modification
/// time: a stylesheet saved twice within one timestamp tick, at the same length, still counts
/// as changed.
const HASHED_UP_TO: u64 = 256 * 1024;

/// A file's identity on disk: path, size and modification time, and the bytes of a small file.
fn file_stamp(path: &std::path::Path, h: &mut DefaultHasher) {
    path.hash(h);
    if let Ok(meta) = std::fs::metadata(path) {
        meta.len().hash(h);
        meta.modified().ok().hash(h);
        if meta.len() <= HASHED_UP_TO {
            std::fs::read(path).ok().hash(h);
        }
    }
}

/// Feeds a JSON value to a hasher without building its text.
fn hash_json(value: &Value, h: &mut DefaultHasher) {
    struct Feed<'a>(&'a mut DefaultHasher);
    impl std::io::Write for Feed<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    serde_json::to_writer(Feed(h), value).expect("JSON values serialize");
}
