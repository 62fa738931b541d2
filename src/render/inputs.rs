//! What each output file reads, declared once.
//!
//! Every kind of output file has one typed description of its inputs, gathered from the site
//! and its prepared bodies and views. Rendering reads a file's inputs and nothing else of the
//! site, and a file's cache key is the hash of the same inputs, so a key cannot forget
//! something the file shows. What every file reads alike (the configuration, the templates a
//! page extends, the UI strings, the site-wide context) is not part of the inputs: the preview
//! guards it as a whole.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

use crate::body::markdown::Rendered;
use crate::images::Format;
use crate::load::config::{FeedFormat, Target};
use crate::load::post::Post;
use crate::render::plan::{FeedScope, Job, LINKS_PATH, page_range};
use crate::render::prepare::{Prepared, PreparedPost};
use crate::render::views;
use crate::share::ShareLink;
use crate::site::public::Site;
use crate::theme::layers::StaticFile;

/// The templates that render one kind of output file; every other template is shared.
pub(crate) const PAGE_TEMPLATES: [&str; 11] = [
    "card.svg",
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

/// The inputs of one output file.
#[derive(Hash)]
pub(crate) enum Inputs<'a> {
    /// A post's page.
    Post(PostPage<'a>),
    /// A standalone page.
    Page(PageInputs<'a>),
    /// A page of the home listing.
    Index(Listing<'a>),
    /// The list of a taxonomy's terms.
    TaxonomyList(TermList<'a>),
    /// A page of one term's listing.
    Term(TermPage<'a>),
    /// A page of the listing of curated link posts.
    Links(Listing<'a>),
    /// The list of years, each with its posts.
    ArchiveList(Vec<YearEntries<'a>>),
    /// One year's archive.
    Archive(YearPage<'a>),
    /// The not-found page.
    NotFound,
    /// A redirect: where it leads.
    Alias(Cow<'a, Target>),
    /// A feed.
    Feed(FeedInputs<'a>, FeedFormat),
    /// `sitemap.xml`.
    Sitemap(Vec<SitemapEntry<'a>>),
    /// `robots.txt`.
    Robots,
    /// The highlighting stylesheet.
    HighlightCss,
    /// The share icons.
    ShareIcons,
    /// A theme or site static file.
    Static(StaticInput<'a>),
    /// A content file copied as is.
    Asset(OnDisk<'a>),
    /// A post's social card: the post and the fonts it is drawn with.
    Card(Shown<'a>, Fonts<'a>),
    /// A site image at one width in one format: its source file and the parameters.
    Variant(OnDisk<'a>, u32, Format),
}

impl Inputs<'_> {
    /// The page template that renders this file, if it is a page.
    pub(crate) fn template(&self) -> Option<&'static str> {
        Some(match self {
            Inputs::Post(_) => "post.html",
            Inputs::Page(_) => "page.html",
            Inputs::Index(_) => "index.html",
            Inputs::TaxonomyList(_) => "taxonomy_list.html",
            Inputs::Term(_) => "taxonomy_term.html",
            Inputs::Links(_) => "links.html",
            Inputs::ArchiveList(_) => "archive_list.html",
            Inputs::Archive(_) => "archive.html",
            Inputs::NotFound => "404.html",
            Inputs::Alias(_) => "alias.html",
            Inputs::Card(..) => "card.svg",
            _ => return None,
        })
    }
}

/// A post as a page reads it whole: the post, its rendered body, its view and share links.
/// It hashes as the post's source and its view.
#[derive(Clone, Copy)]
pub(crate) struct Shown<'a> {
    post: &'a Post,
    prepared: &'a PreparedPost,
}

impl<'a> Shown<'a> {
    /// The post.
    pub(crate) fn post(&self) -> &'a Post {
        self.post
    }

    /// Its rendered body.
    pub(crate) fn body(&self) -> &'a Rendered {
        &self.prepared.body
    }

    /// Its template view.
    pub(crate) fn view(&self) -> &'a Value {
        &self.prepared.views.view
    }

    /// Its card, when the theme renders cards.
    pub(crate) fn card(&self) -> Option<&'a str> {
        self.prepared.views.card.as_deref()
    }

    /// Its share links.
    pub(crate) fn share(&self) -> &'a [ShareLink] {
        &self.prepared.share
    }

    /// What was prepared for it, where feeds keep its feed HTML.
    pub(crate) fn prepared(&self) -> &'a PreparedPost {
        self.prepared
    }
}

impl Hash for Shown<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // The body and share links follow from the source under the guard; the view also
        // depends on the clock (scheduled, stale), which its digest captures.
        self.post.fingerprint.hash(h);
        self.prepared.digest().whole.hash(h);
    }
}

/// A standalone page: its source, rendered body and readers' comments. It hashes as its
/// source and comments.
pub(crate) struct PageInputs<'a> {
    /// The page.
    pub(crate) page: &'a Post,
    /// Its rendered body.
    pub(crate) body: &'a Rendered,
    /// Its readers' comments (the page shows the published ones).
    pub(crate) comments: &'a [crate::load::comments::Comment],
}

impl Hash for PageInputs<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // The body follows from the source under the guard; the comments file is another.
        self.page.fingerprint.hash(h);
        self.comments.hash(h);
    }
}

/// A glimpse of another post: its brief.
pub(crate) struct Brief<'a>(&'a PreparedPost);

impl<'a> Brief<'a> {
    /// The brief, as templates see it.
    pub(crate) fn view(&self) -> &'a views::Brief {
        &self.0.views.brief
    }
}

impl Hash for Brief<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.digest().brief.hash(h);
    }
}

/// A post's line in a yearly archive.
pub(crate) struct Entry<'a>(&'a PreparedPost);

impl<'a> Entry<'a> {
    /// The line, as templates see it.
    pub(crate) fn view(&self) -> &'a views::ArchiveEntry {
        &self.0.views.entry
    }
}

impl Hash for Entry<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.digest().entry.hash(h);
    }
}

/// A post's page: the post, its neighbours and related posts as briefs.
#[derive(Hash)]
pub(crate) struct PostPage<'a> {
    /// The post.
    pub(crate) post: Shown<'a>,
    /// The older post, if any.
    pub(crate) prev: Option<Brief<'a>>,
    /// The newer post, if any.
    pub(crate) next: Option<Brief<'a>>,
    /// Related posts.
    pub(crate) related: Vec<Brief<'a>>,
    /// Its readers' comments (the page shows the published ones).
    pub(crate) comments: &'a [crate::load::comments::Comment],
}

/// One page of a listing of posts.
#[derive(Hash)]
pub(crate) struct Listing<'a> {
    /// Site path of the listing's first page (`""`, `tags/rust/`).
    pub(crate) base: Cow<'a, str>,
    /// Posts in the whole listing.
    pub(crate) count: usize,
    /// This page's number, 1-based.
    pub(crate) number: usize,
    /// This page's posts.
    pub(crate) posts: Vec<Shown<'a>>,
    /// On the home page's first page: old query addresses (`p=24`) and the site path each
    /// leads to, sorted; empty elsewhere.
    pub(crate) old_queries: Vec<(&'a str, &'a str)>,
}

/// A taxonomy as its pages name it.
#[derive(Hash)]
pub(crate) struct TaxonomyRef<'a> {
    /// Its key (`tags`).
    pub(crate) key: &'a str,
    /// Its site path.
    pub(crate) path: String,
}

/// A term as listings name it.
#[derive(Hash)]
pub(crate) struct TermRef<'a> {
    /// Display name.
    pub(crate) name: &'a str,
    /// URL segment.
    pub(crate) slug: &'a str,
    /// Posts with the term.
    pub(crate) count: usize,
    /// Site path of its first page.
    pub(crate) path: String,
}

/// The list of a taxonomy's terms.
#[derive(Hash)]
pub(crate) struct TermList<'a> {
    /// The taxonomy.
    pub(crate) taxonomy: TaxonomyRef<'a>,
    /// Its terms.
    pub(crate) terms: Vec<TermRef<'a>>,
}

/// A page of one term's listing.
#[derive(Hash)]
pub(crate) struct TermPage<'a> {
    /// The taxonomy.
    pub(crate) taxonomy: TaxonomyRef<'a>,
    /// The term.
    pub(crate) term: TermRef<'a>,
    /// This page of its posts.
    pub(crate) listing: Listing<'a>,
}

/// A year and how many posts it has.
#[derive(Hash)]
pub(crate) struct YearCount {
    /// The year.
    pub(crate) year: i32,
    /// Its posts.
    pub(crate) count: usize,
}

/// A year and its posts' entries, as the list of years shows them.
#[derive(Hash)]
pub(crate) struct YearEntries<'a> {
    /// The year.
    pub(crate) year: i32,
    /// Its posts.
    pub(crate) entries: Vec<Entry<'a>>,
}

/// One year's archive: its entries and the list of years.
#[derive(Hash)]
pub(crate) struct YearPage<'a> {
    /// The year.
    pub(crate) year: i32,
    /// Every year.
    pub(crate) years: Vec<YearCount>,
    /// The year's posts.
    pub(crate) entries: Vec<Entry<'a>>,
}

/// A feed: its title, its page, its newest posts.
#[derive(Hash)]
pub(crate) struct FeedInputs<'a> {
    /// The feed's title.
    pub(crate) title: Cow<'a, str>,
    /// Site path of the page the feed follows.
    pub(crate) home: String,
    /// Its newest posts.
    pub(crate) items: Vec<Shown<'a>>,
    /// The clock, which dates a feed without posts, and only such a feed.
    pub(crate) empty_since: Option<DateTime<Utc>>,
}

/// A page of the sitemap and when it last changed.
#[derive(Hash)]
pub(crate) struct SitemapEntry<'a> {
    /// Site path.
    pub(crate) path: Cow<'a, str>,
    /// Last change, if known.
    pub(crate) changed: Option<DateTime<FixedOffset>>,
}

/// A static file of the theme or the site.
pub(crate) struct StaticInput<'a>(pub(crate) &'a StaticFile);

impl Hash for StaticInput<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self.0 {
            // Built into the binary: the same for the whole run.
            StaticFile::Embedded(bytes) => (bytes.as_ptr() as usize, bytes.len()).hash(h),
            StaticFile::File(abs) => OnDisk(abs).hash(h),
        }
    }
}

/// The theme's fonts, as files.
pub(crate) struct Fonts<'a>(pub(crate) &'a std::collections::BTreeMap<String, StaticFile>);

impl Hash for Fonts<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for (name, file) in self.0 {
            name.hash(h);
            StaticInput(file).hash(h);
        }
    }
}

/// A file read from disk as it is.
pub(crate) struct OnDisk<'a>(pub(crate) &'a Path);

/// Files up to this size are known by their bytes, not only by their size and modification
/// time: a stylesheet saved twice within one timestamp tick, at the same length, still counts
/// as changed.
const HASHED_UP_TO: u64 = 256 * 1024;

impl Hash for OnDisk<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.hash(h);
        if let Ok(meta) = std::fs::metadata(self.0) {
            meta.len().hash(h);
            meta.modified().ok().hash(h);
            if meta.len() <= HASHED_UP_TO {
                std::fs::read(self.0).ok().hash(h);
            }
        }
    }
}

/// Gathers the inputs of planned files from the site and what was prepared for it.
pub(crate) struct Gather<'a> {
    /// The public site.
    pub(crate) site: &'a Site<'a>,
    /// Its bodies and views.
    pub(crate) prepared: &'a Prepared,
    /// The theme's and the site's static files.
    pub(crate) statics: &'a std::collections::BTreeMap<String, StaticFile>,
    /// The theme's fonts.
    pub(crate) fonts: &'a std::collections::BTreeMap<String, StaticFile>,
}

impl<'a> Gather<'a> {
    /// The inputs of `job`.
    pub(crate) fn inputs(&self, job: &'a Job) -> Inputs<'a> {
        let site = self.site;
        match job {
            Job::Post(i) => Inputs::Post(self.post_page(*i)),
            Job::Card(i) => Inputs::Card(self.shown(*i), Fonts(self.fonts)),
            Job::Page(i) => Inputs::Page(PageInputs {
                page: site.pages[*i],
                body: &self.prepared.pages[*i],
                comments: &site.pages[*i].comments,
            }),
            Job::Index(n) => {
                let mut listing = self.page_of(Cow::Borrowed(""), &site.home, *n);
                if *n == 1 {
                    listing.old_queries = site
                        .posts
                        .iter()
                        .chain(&site.pages)
                        .flat_map(|p| {
                            p.query_aliases
                                .iter()
                                .map(|q| (q.as_str(), p.path.as_str()))
                        })
                        .collect();
                    listing.old_queries.sort_unstable();
                }
                Inputs::Index(listing)
            }
            Job::TaxonomyList(t) => Inputs::TaxonomyList(self.term_list(*t)),
            Job::Term(t, i, n) => Inputs::Term(self.term_page(*t, *i, *n)),
            Job::Links(n) => {
                Inputs::Links(self.page_of(Cow::Borrowed(LINKS_PATH), &site.links, *n))
            }
            Job::ArchiveList => Inputs::ArchiveList(
                (0..self.site.years.len())
                    .map(|y| self.year_entries(y))
                    .collect(),
            ),
            Job::Archive(y) => Inputs::Archive(self.year_page(*y)),
            Job::NotFound => Inputs::NotFound,
            Job::Alias(page) => Inputs::Alias(Cow::Owned(Target::Site {
                path: page.clone(),
                rest: String::new(),
            })),
            Job::Redirect(i) => Inputs::Alias(Cow::Borrowed(&site.config.redirects[*i].to)),
            Job::Feed(scope, format) => Inputs::Feed(self.feed(*scope), *format),
            Job::Sitemap => Inputs::Sitemap(self.sitemap()),
            Job::Robots => Inputs::Robots,
            Job::HighlightCss => Inputs::HighlightCss,
            Job::ShareIcons => Inputs::ShareIcons,
            Job::Static(key) => Inputs::Static(StaticInput(&self.statics[key])),
            Job::Asset(i) => Inputs::Asset(OnDisk(&site.assets[*i].asset.source)),
            Job::Variant(v) => Inputs::Variant(
                OnDisk(&site.assets[v.asset].asset.source),
                v.width,
                v.format,
            ),
            Job::CoverVariant(v) => Inputs::Variant(OnDisk(&v.file), v.width, v.format),
        }
    }

    /// The site's `i`th post, whole.
    fn shown(&self, i: usize) -> Shown<'a> {
        Shown {
            post: self.site.posts[i],
            prepared: &self.prepared.posts[i],
        }
    }

    fn brief(&self, i: usize) -> Brief<'a> {
        Brief(&self.prepared.posts[i])
    }

    fn post_page(&self, i: usize) -> PostPage<'a> {
        let site = self.site;
        PostPage {
            post: self.shown(i),
            // Posts run newest first: the previous post is the next index.
            prev: (i + 1 < site.posts.len()).then(|| self.brief(i + 1)),
            next: (i > 0).then(|| self.brief(i - 1)),
            related: site.related[i].iter().map(|&j| self.brief(j)).collect(),
            comments: &site.posts[i].comments,
        }
    }

    /// Page `n` of a listing of `count` posts, holding the site's posts `on_page`.
    fn listing(
        &self,
        base: Cow<'a, str>,
        count: usize,
        on_page: impl Iterator<Item = usize>,
        number: usize,
    ) -> Listing<'a> {
        Listing {
            base,
            count,
            number,
            posts: on_page.map(|i| self.shown(i)).collect(),
            old_queries: Vec::new(),
        }
    }

    /// Page `n` of the listing of `list` (indexes into the site's posts).
    fn page_of(&self, base: Cow<'a, str>, list: &[usize], n: usize) -> Listing<'a> {
        let range = page_range(list.len(), self.site.config.posts_per_page, n);
        self.listing(base, list.len(), list[range].iter().copied(), n)
    }

    fn taxonomy(&self, t: usize) -> TaxonomyRef<'a> {
        let taxonomy = &self.site.taxonomies[t];
        TaxonomyRef {
            key: &taxonomy.key,
            path: taxonomy.path(),
        }
    }

    fn term(&self, t: usize, i: usize) -> TermRef<'a> {
        let taxonomy = &self.site.taxonomies[t];
        let term = &taxonomy.terms[i];
        TermRef {
            name: &term.name,
            slug: &term.slug,
            count: term.posts.len(),
            path: term.path(&taxonomy.key),
        }
    }

    fn term_list(&self, t: usize) -> TermList<'a> {
        TermList {
            taxonomy: self.taxonomy(t),
            terms: (0..self.site.taxonomies[t].terms.len())
                .map(|i| self.term(t, i))
                .collect(),
        }
    }

    fn term_page(&self, t: usize, i: usize, n: usize) -> TermPage<'a> {
        let term = self.term(t, i);
        let posts = &self.site.taxonomies[t].terms[i].posts;
        let listing = self.page_of(Cow::Owned(term.path.clone()), posts, n);
        TermPage {
            taxonomy: self.taxonomy(t),
            term,
            listing,
        }
    }

    fn years(&self) -> Vec<YearCount> {
        self.site
            .years
            .iter()
            .map(|(year, posts)| YearCount {
                year: *year,
                count: posts.len(),
            })
            .collect()
    }

    fn year_page(&self, y: usize) -> YearPage<'a> {
        let YearEntries { year, entries } = self.year_entries(y);
        YearPage {
            year,
            years: self.years(),
            entries,
        }
    }

    /// The site's `y`th year with its posts: a year can hold thousands of posts, so the
    /// archive gets their entries only.
    fn year_entries(&self, y: usize) -> YearEntries<'a> {
        let (year, posts) = &self.site.years[y];
        YearEntries {
            year: *year,
            entries: posts
                .iter()
                .map(|&i| Entry(&self.prepared.posts[i]))
                .collect(),
        }
    }

    fn feed(&self, scope: FeedScope) -> FeedInputs<'a> {
        let site = self.site;
        let config = site.config;
        let limit = config.feeds.limit;
        let (title, home, items): (Cow<'a, str>, String, Vec<Shown<'a>>) = match scope {
            FeedScope::Site => (
                Cow::Borrowed(&config.title),
                String::new(),
                (0..site.posts.len())
                    .take(limit)
                    .map(|i| self.shown(i))
                    .collect(),
            ),
            FeedScope::Term(t, i) => {
                let taxonomy = &site.taxonomies[t];
                let term = &taxonomy.terms[i];
                (
                    Cow::Owned(format!("{} · {}", config.title, term.name)),
                    term.path(&taxonomy.key),
                    term.posts
                        .iter()
                        .take(limit)
                        .map(|&i| self.shown(i))
                        .collect(),
                )
            }
        };
        FeedInputs {
            title,
            home,
            empty_since: items.is_empty().then(|| site.clock.now()),
            items,
        }
    }

    fn sitemap(&self) -> Vec<SitemapEntry<'a>> {
        let site = self.site;
        let entry = |path: Cow<'a, str>, changed| SitemapEntry { path, changed };
        let newest = |p: &Post| p.updated.max(p.date);
        let mut entries = vec![entry(
            Cow::Borrowed(""),
            site.posts.first().and_then(|p| newest(p)),
        )];
        for p in &site.posts {
            entries.push(entry(Cow::Borrowed(&p.path), newest(p)));
        }
        for p in &site.pages {
            entries.push(entry(Cow::Borrowed(&p.path), p.updated.or(p.date)));
        }
        for taxonomy in &site.taxonomies {
            entries.push(entry(Cow::Owned(taxonomy.path()), None));
            for term in &taxonomy.terms {
                let changed = term.posts.first().and_then(|&i| newest(site.posts[i]));
                entries.push(entry(Cow::Owned(term.path(&taxonomy.key)), changed));
            }
        }
        if !site.links.is_empty() {
            entries.push(entry(Cow::Borrowed(LINKS_PATH), None));
        }
        entries.push(entry(Cow::Borrowed("archive/"), None));
        for (year, _) in &site.years {
            entries.push(entry(Cow::Owned(format!("archive/{year}/")), None));
        }
        entries
    }
}
