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

use crate::body::markdown::Rendered;
use crate::images::Format;
use crate::load::config::{FeedFormat, Target};
use crate::load::post::Post;
use crate::render::plan::{Ed, FeedScope, Job, LINKS_PATH, SEARCH_PATH, SearchFile, page_range};
use crate::render::prepare::{Prepared, PreparedPost};
use crate::render::views::{self, PostView};
use crate::site::public::{Edition, Site};
use crate::theme::layers::StaticFile;

/// The templates that render one kind of output file; every other template is shared.
pub(crate) const PAGE_TEMPLATES: [&str; 13] = [
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
    "language_root.html",
    "search.html",
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
    ArchiveList(Place<'a>, Vec<YearEntries<'a>>),
    /// One year's archive.
    Archive(YearPage<'a>),
    /// The not-found page.
    NotFound(Place<'a>),
    /// The root page that sends readers to their language's home.
    LanguageRoot,
    /// A language's search page.
    SearchPage(Place<'a>),
    /// A file of a language's search index made from the whole index: its meta data, a term
    /// shard or a prefix file.
    SearchIndex(&'a crate::search::index::File),
    /// What a search result shows of one post.
    SearchDoc(Shown<'a>),
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
            Inputs::ArchiveList(..) => "archive_list.html",
            Inputs::Archive(_) => "archive.html",
            Inputs::NotFound(_) => "404.html",
            Inputs::LanguageRoot => "language_root.html",
            Inputs::SearchPage(_) => "search.html",
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
    pub(crate) fn view(&self) -> &'a PostView {
        &self.prepared.views.view
    }

    /// Its card, when the theme renders cards.
    pub(crate) fn card(&self) -> Option<&'a str> {
        self.prepared.views.card.as_deref()
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

/// Where a page stands among the site's languages: the language whose chrome it wears, and
/// its versions in every language, itself included (none when it has no translation).
#[derive(Hash, Default)]
pub(crate) struct Place<'a> {
    /// The edition it belongs to.
    pub(crate) edition: Ed,
    /// Its versions: each language's code and the version's site path.
    pub(crate) versions: Vec<(&'a str, Cow<'a, str>)>,
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
    /// Its language and translations.
    pub(crate) place: Place<'a>,
}

impl Hash for PageInputs<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // The body follows from the source under the guard; the comments file is another.
        self.page.fingerprint.hash(h);
        self.comments.hash(h);
        self.place.hash(h);
    }
}

/// A glimpse of another post: its brief.
pub(crate) struct Brief<'a>(&'a PreparedPost);

impl<'a> Brief<'a> {
    /// The brief, as templates see it.
    pub(crate) fn view(&self) -> views::Brief<'a> {
        self.0.views.brief()
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
    pub(crate) fn view(&self) -> views::ArchiveEntry<'a> {
        self.0.views.entry()
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
    /// Its language and translations.
    pub(crate) place: Place<'a>,
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
    /// Its language and, on a first page, its versions in other languages.
    pub(crate) place: Place<'a>,
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
    /// Its language and versions in other languages.
    pub(crate) place: Place<'a>,
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
    /// Its language and versions in other languages.
    pub(crate) place: Place<'a>,
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
    /// The language it is in.
    pub(crate) edition: Ed,
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
    /// Its versions in every language, itself included, when it has translations.
    pub(crate) versions: Vec<(&'a str, Cow<'a, str>)>,
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
    /// Each language's search index, up to date.
    pub(crate) search: &'a [crate::search::index::Index],
}

impl<'a> Gather<'a> {
    /// Gathers from `site`, what was `prepared` for it, `theme`'s files and the languages'
    /// search indexes.
    pub(crate) fn new(
        site: &'a Site<'a>,
        prepared: &'a Prepared,
        theme: &'a crate::theme::layers::Theme,
        search: &'a [crate::search::index::Index],
    ) -> Gather<'a> {
        Gather {
            site,
            prepared,
            statics: &theme.statics,
            fonts: &theme.fonts,
            search,
        }
    }

    /// The inputs of `job`.
    pub(crate) fn inputs(&'a self, job: &'a Job) -> Inputs<'a> {
        let site = self.site;
        match job {
            Job::Post(i) => Inputs::Post(self.post_page(*i)),
            Job::Card(i) => Inputs::Card(self.shown(*i), Fonts(self.fonts)),
            Job::Page(i) => {
                let page = site.pages[*i];
                Inputs::Page(PageInputs {
                    page,
                    body: &self.prepared.pages[*i],
                    comments: &page.comments,
                    place: self.place_of(page),
                })
            }
            Job::Index(e, n) => {
                let edition = &site.editions[*e];
                let mut listing =
                    self.page_of(*e, Cow::Borrowed(&edition.prefix), &edition.home, *n);
                if *n == 1 {
                    listing.place.versions = self.home_versions();
                }
                // Old query addresses (`/?p=24`) reach the site's root only.
                if *n == 1 && edition.prefix.is_empty() {
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
            Job::TaxonomyList(e, t) => Inputs::TaxonomyList(self.term_list(*e, *t)),
            Job::Term(e, t, i, n) => Inputs::Term(self.term_page(*e, *t, *i, *n)),
            Job::Links(e, n) => {
                let edition = &site.editions[*e];
                let base = Cow::Owned(format!("{}{LINKS_PATH}", edition.prefix));
                let mut listing = self.page_of(*e, base, &edition.links, *n);
                if *n == 1 {
                    listing.place.versions = self.links_versions();
                }
                Inputs::Links(listing)
            }
            Job::ArchiveList(e) => Inputs::ArchiveList(
                Place {
                    edition: *e,
                    versions: self.archive_versions(),
                },
                (0..site.editions[*e].years.len())
                    .map(|y| self.year_entries(*e, y))
                    .collect(),
            ),
            Job::Archive(e, y) => Inputs::Archive(self.year_page(*e, *y)),
            Job::NotFound(e) => Inputs::NotFound(Place {
                edition: *e,
                versions: Vec::new(),
            }),
            Job::LanguageRoot => Inputs::LanguageRoot,
            Job::SearchPage(e) => Inputs::SearchPage(Place {
                edition: *e,
                versions: self.every_edition(|_, other| {
                    Some(Cow::Owned(format!("{}{SEARCH_PATH}", other.prefix)))
                }),
            }),
            Job::SearchDoc(e, id) => Inputs::SearchDoc(self.shown(site.editions[*e].search[*id])),
            Job::Search(e, file) => {
                let index = &self.search[*e];
                Inputs::SearchIndex(match file {
                    SearchFile::Meta => &index.meta,
                    SearchFile::Shard(k) => &index.shards[*k],
                    SearchFile::Prefix(k) => &index.prefixes[*k],
                })
            }
            Job::Alias(page) => Inputs::Alias(Cow::Owned(Target::Site {
                path: page.clone(),
                rest: String::new(),
            })),
            Job::Redirect(i) => Inputs::Alias(Cow::Borrowed(&site.config.redirects[*i].to)),
            Job::Feed(e, scope, format) => Inputs::Feed(self.feed(*e, *scope), *format),
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

    /// Where a post or page stands: its edition and its public versions.
    fn place_of(&self, post: &'a Post) -> Place<'a> {
        let site = self.site;
        let versions = site.versions(post);
        Place {
            edition: post.edition,
            versions: if versions.len() > 1 {
                versions
                    .iter()
                    .map(|v| {
                        (
                            site.editions[v.edition].lang.as_str(),
                            Cow::Borrowed(v.post.path.as_str()),
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// The versions of a page every language may have, at the path `path_in` gives for each
    /// language (by its index) that has it; none unless two languages do.
    fn every_edition(
        &self,
        path_in: impl Fn(Ed, &'a Edition) -> Option<Cow<'a, str>>,
    ) -> Vec<(&'a str, Cow<'a, str>)> {
        let versions: Vec<(&str, Cow<str>)> = self
            .site
            .editions
            .iter()
            .enumerate()
            .filter_map(|(k, edition)| Some((edition.lang.as_str(), path_in(k, edition)?)))
            .collect();
        if versions.len() > 1 {
            versions
        } else {
            Vec::new()
        }
    }

    /// Every language's list of the `t`th taxonomy's terms.
    fn taxonomy_versions(&self, t: usize) -> Vec<(&'a str, Cow<'a, str>)> {
        self.every_edition(|_, other| Some(Cow::Owned(other.taxonomies[t].path())))
    }

    /// Every language's home.
    fn home_versions(&self) -> Vec<(&'a str, Cow<'a, str>)> {
        self.every_edition(|_, other| Some(Cow::Borrowed(&other.prefix)))
    }

    /// Every language's archive.
    fn archive_versions(&self) -> Vec<(&'a str, Cow<'a, str>)> {
        self.every_edition(|_, other| Some(Cow::Owned(format!("{}archive/", other.prefix))))
    }

    /// The links page of every language that has links.
    fn links_versions(&self) -> Vec<(&'a str, Cow<'a, str>)> {
        self.every_edition(|_, other| {
            (!other.links.is_empty()).then(|| Cow::Owned(format!("{}{LINKS_PATH}", other.prefix)))
        })
    }

    /// The archive of `year` in every language that published in it.
    fn year_versions(&self, year: i32) -> Vec<(&'a str, Cow<'a, str>)> {
        self.every_edition(|_, other| {
            other
                .years
                .iter()
                .any(|(y, _)| *y == year)
                .then(|| Cow::Owned(format!("{}archive/{year}/", other.prefix)))
        })
    }

    /// The page of edition `e`'s term `i` of taxonomy `t` in every language that has the
    /// term or its translation.
    fn term_versions(&self, e: Ed, t: usize, i: usize) -> Vec<(&'a str, Cow<'a, str>)> {
        let slug = self.site.editions[e].taxonomies[t].terms[i].slug.as_str();
        self.every_edition(|k, other| {
            let taxonomy = &other.taxonomies[t];
            let wanted = crate::site::taxonomy::translated_slug(self.site.config, (e, slug), k);
            let found = taxonomy
                .terms
                .binary_search_by(|term| term.slug.as_str().cmp(&wanted))
                .ok()?;
            Some(Cow::Owned(taxonomy.term_path(found)))
        })
    }

    fn post_page(&self, i: usize) -> PostPage<'a> {
        let site = self.site;
        let post = site.posts[i];
        // Neighbours are the nearest posts written in the post's own language (a language's
        // list may also hold originals not translated into it).
        let listed = &site.editions[post.edition].posts;
        let at = listed.binary_search(&i).unwrap_or_else(|at| at);
        let same = |j: &&usize| site.posts[**j].edition == post.edition;
        PostPage {
            post: self.shown(i),
            // Posts run newest first: the previous post comes after it in the list.
            prev: listed[at..]
                .iter()
                .skip(1)
                .find(same)
                .map(|&j| self.brief(j)),
            next: listed[..at].iter().rev().find(same).map(|&j| self.brief(j)),
            related: site.related[i].iter().map(|&j| self.brief(j)).collect(),
            comments: &post.comments,
            place: self.place_of(post),
        }
    }

    /// Page `n` of the listing of `list` (indexes into the site's posts) in edition `e`.
    fn page_of(&self, e: Ed, base: Cow<'a, str>, list: &[usize], n: usize) -> Listing<'a> {
        let range = page_range(list.len(), self.site.config.posts_per_page, n);
        Listing {
            base,
            count: list.len(),
            number: n,
            posts: list[range].iter().map(|&i| self.shown(i)).collect(),
            old_queries: Vec::new(),
            place: Place {
                edition: e,
                versions: Vec::new(),
            },
        }
    }

    fn taxonomy(&self, e: Ed, t: usize) -> TaxonomyRef<'a> {
        let taxonomy = &self.site.editions[e].taxonomies[t];
        TaxonomyRef {
            key: &taxonomy.key,
            path: taxonomy.path(),
        }
    }

    fn term(&self, e: Ed, t: usize, i: usize) -> TermRef<'a> {
        let taxonomy = &self.site.editions[e].taxonomies[t];
        let term = &taxonomy.terms[i];
        TermRef {
            name: &term.name,
            slug: &term.slug,
            count: term.posts.len(),
            path: taxonomy.term_path(i),
        }
    }

    fn term_list(&self, e: Ed, t: usize) -> TermList<'a> {
        TermList {
            taxonomy: self.taxonomy(e, t),
            terms: (0..self.site.editions[e].taxonomies[t].terms.len())
                .map(|i| self.term(e, t, i))
                .collect(),
            place: Place {
                edition: e,
                versions: self.taxonomy_versions(t),
            },
        }
    }

    fn term_page(&self, e: Ed, t: usize, i: usize, n: usize) -> TermPage<'a> {
        let term = self.term(e, t, i);
        let posts = &self.site.editions[e].taxonomies[t].terms[i].posts;
        let mut listing = self.page_of(e, Cow::Owned(term.path.clone()), posts, n);
        if n == 1 {
            listing.place.versions = self.term_versions(e, t, i);
        }
        TermPage {
            taxonomy: self.taxonomy(e, t),
            term,
            listing,
        }
    }

    fn years(&self, e: Ed) -> Vec<YearCount> {
        self.site.editions[e]
            .years
            .iter()
            .map(|(year, posts)| YearCount {
                year: *year,
                count: posts.len(),
            })
            .collect()
    }

    fn year_page(&self, e: Ed, y: usize) -> YearPage<'a> {
        let YearEntries { year, entries } = self.year_entries(e, y);
        YearPage {
            place: Place {
                edition: e,
                versions: self.year_versions(year),
            },
            year,
            years: self.years(e),
            entries,
        }
    }

    /// Edition `e`'s `y`th year with its posts: a year can hold thousands of posts, so the
    /// archive gets their entries only.
    fn year_entries(&self, e: Ed, y: usize) -> YearEntries<'a> {
        let (year, posts) = &self.site.editions[e].years[y];
        YearEntries {
            year: *year,
            entries: posts
                .iter()
                .map(|&i| Entry(&self.prepared.posts[i]))
                .collect(),
        }
    }

    fn feed(&self, e: Ed, scope: FeedScope) -> FeedInputs<'a> {
        let site = self.site;
        let config = site.config;
        let edition = &site.editions[e];
        let title = &config.languages[e].title;
        let limit = config.feeds.limit;
        let (title, home, items): (Cow<'a, str>, String, Vec<Shown<'a>>) = match scope {
            // A language's feed carries its own posts only, not the originals its listings
            // may show.
            FeedScope::Site => (
                Cow::Borrowed(title),
                edition.prefix.clone(),
                edition
                    .posts
                    .iter()
                    .filter(|&&i| site.posts[i].edition == e)
                    .take(limit)
                    .map(|&i| self.shown(i))
                    .collect(),
            ),
            FeedScope::Term(t, i) => {
                let taxonomy = &edition.taxonomies[t];
                let term = &taxonomy.terms[i];
                (
                    Cow::Owned(format!("{title} · {}", term.name)),
                    taxonomy.term_path(i),
                    term.posts
                        .iter()
                        .take(limit)
                        .map(|&i| self.shown(i))
                        .collect(),
                )
            }
        };
        FeedInputs {
            edition: e,
            title,
            home,
            empty_since: items.is_empty().then(|| site.clock.now()),
            items,
        }
    }

    fn sitemap(&self) -> Vec<SitemapEntry<'a>> {
        let site = self.site;
        let entry = |path: Cow<'a, str>, changed, versions| SitemapEntry {
            path,
            changed,
            versions,
        };
        let newest = |p: &Post| p.updated.max(p.date);
        let mut entries = Vec::new();
        for (e, edition) in site.editions.iter().enumerate() {
            let own_newest = edition
                .posts
                .iter()
                .map(|&i| site.posts[i])
                .find(|p| p.edition == e)
                .and_then(newest);
            entries.push(entry(
                Cow::Borrowed(edition.prefix.as_str()),
                own_newest,
                self.home_versions(),
            ));
        }
        for p in &site.posts {
            entries.push(entry(
                Cow::Borrowed(&p.path),
                newest(p),
                self.place_of(p).versions,
            ));
        }
        for p in &site.pages {
            entries.push(entry(
                Cow::Borrowed(&p.path),
                p.updated.or(p.date),
                self.place_of(p).versions,
            ));
        }
        for (e, edition) in site.editions.iter().enumerate() {
            for (t, taxonomy) in edition.taxonomies.iter().enumerate() {
                entries.push(entry(
                    Cow::Owned(taxonomy.path()),
                    None,
                    self.taxonomy_versions(t),
                ));
                for (i, term) in taxonomy.terms.iter().enumerate() {
                    let changed = term.posts.first().and_then(|&i| newest(site.posts[i]));
                    let versions = self.term_versions(e, t, i);
                    entries.push(entry(Cow::Owned(taxonomy.term_path(i)), changed, versions));
                }
            }
            if !edition.links.is_empty() {
                entries.push(entry(
                    Cow::Owned(format!("{}{LINKS_PATH}", edition.prefix)),
                    None,
                    self.links_versions(),
                ));
            }
            entries.push(entry(
                Cow::Owned(format!("{}archive/", edition.prefix)),
                None,
                self.archive_versions(),
            ));
            for (year, _) in &edition.years {
                entries.push(entry(
                    Cow::Owned(format!("{}archive/{year}/", edition.prefix)),
                    None,
                    self.year_versions(*year),
                ));
            }
        }
        entries
    }
}
