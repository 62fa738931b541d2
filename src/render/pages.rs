//! Renders planned jobs to bytes, in parallel; nothing here touches the output folder.

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Context;

use crate::body::highlight;
use crate::error::{self, Diagnostic, Result};
use crate::images::cache::{Derived, ImageCache};
use crate::load::config::{Config, FeedFormat};
use crate::render::cards;
use crate::render::context;
use crate::render::feeds::{self, FeedInput};
use crate::render::inputs::{
    Brief, Entry, FeedInputs, Gather, Inputs, Listing, OnDisk, PageInputs, Place, PostPage,
    SitemapEntry, StaticInput, TaxonomyRef, TermRef,
};
use crate::render::plan::{Planned, listing_path, page_count};
use crate::render::sitemap;
use crate::render::views::{
    AliasContext, Alternate, ArchiveContext, Chrome, FeedLink, LanguageLink, LanguageRootContext,
    ListedPost, ListingContext, PageContext, PageView, Pagination, PostContext, SearchContext,
    SearchView, TaxonomyView, TermView, TermsContext, YearView,
};
use crate::theme::layers::{StaticFile, Theme};
use crate::theme::templates::{self, Bases, Layers, Own, Templates};

/// What an output file holds: its bytes, or the file of the image cache that holds them (an
/// image or a card, linked into the output rather than copied).
pub(crate) type Content = Derived;

/// A page's variables: its language's shared ones, `base`, and its typed context `own`, which
/// is laid over them when it renders (see [`Layers`]).
fn on<'b>(base: &'b Context, own: &impl serde::Serialize) -> (&'b Context, Own) {
    (base, templates::own(own))
}

/// One output file and its content.
#[derive(Debug)]
pub(crate) struct Artifact {
    /// Path relative to the output folder, `/`-separated.
    pub(crate) path: String,
    /// Content.
    pub(crate) content: Content,
}

/// What every file's rendering reads alike; the rest comes from the file's [`Inputs`].
pub(crate) struct Renderer<'a> {
    /// The configuration.
    pub(crate) config: &'a Config,
    /// Compiled templates.
    pub(crate) templates: &'a Templates,
    /// UI strings of each of the site's languages, the default first.
    pub(crate) strings: Vec<BTreeMap<String, String>>,
    /// Variables shared by every template, in each language pages speak.
    pub(crate) bases: Bases,
    /// The fonts of social cards, loaded at the first.
    pub(crate) fonts: cards::FontCache,
    /// What every social card reads alike (nothing without cards).
    pub(crate) card_shared: cards::Shared,
    /// Where derived images are kept between builds (the preview keeps none: its memo holds
    /// them in memory).
    pub(crate) images: &'a ImageCache,
}

/// The most jobs one thread takes at once before the others may take the rest.
const JOBS_PER_RUN: usize = 16;

impl<'a> Renderer<'a> {
    /// A renderer with `theme`'s strings and `templates`.
    pub(crate) fn new(
        config: &'a Config,
        theme: &'a Theme,
        templates: &'a Templates,
        bases: Bases,
        images: &'a ImageCache,
    ) -> Renderer<'a> {
        let card_shared = if config.cards {
            cards::Shared::new(theme, bases.site_digest)
        } else {
            cards::Shared::default()
        };
        Renderer {
            config,
            templates,
            strings: theme.edition_strings(config),
            bases,
            fonts: cards::FontCache::default(),
            card_shared,
            images,
        }
    }

    /// Renders every job, reporting every failure.
    /// Each artifact goes to `sink` as soon as it is made (the output's staging), so the build
    /// never holds every page in memory at once.
    pub(crate) fn render_all<T: Send>(
        &self,
        jobs: &[Planned],
        gather: &Gather<'_>,
        sink: impl Fn(Artifact) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        let results: Vec<Result<T>> = jobs
            .par_iter()
            // Jobs differ a thousandfold (a photo's variants against a tag page): left to
            // itself, rayon splits the list in a few long runs, and one core may draw every
            // photo while the other waits. Runs of 16 jobs stay stealable.
            .with_max_len(JOBS_PER_RUN)
            // Shared variables copied once per run rather than for each page: for a card,
            // copying would cost about as much as drawing it from the cache.
            .map_init(Layers::default, |layers, p| {
                let content = self
                    .render_in(p, &gather.inputs(&p.job), layers)
                    .map_err(error::Errors::from)?;
                sink(Artifact {
                    path: p.file.clone(),
                    content,
                })
            })
            .collect();
        error::collect(results)
    }

    /// The content of one planned file, made from its inputs.
    pub(crate) fn render(
        &self,
        planned: &Planned,
        inputs: &Inputs<'_>,
    ) -> std::result::Result<Content, Diagnostic> {
        self.render_in(planned, inputs, &mut Layers::default())
    }

    /// [`Renderer::render`], with the shared variables kept in `layers`.
    fn render_in<'s>(
        &'s self,
        planned: &Planned,
        inputs: &Inputs<'_>,
        layers: &mut Layers<'s>,
    ) -> std::result::Result<Content, Diagnostic> {
        let config = self.config;
        let path = planned.site_path.as_str();
        let template = inputs.template().unwrap_or_default();
        let html = |layers: &mut Layers<'s>, (base, own): (&'s Context, Own)| {
            layers.render(base, own, |ctx| {
                self.templates
                    .render_bytes(template, ctx, path)
                    .map(Content::Bytes)
            })
        };
        let bytes = |bytes: Vec<u8>| Ok(Content::Bytes(bytes));
        match inputs {
            Inputs::Post(page) => html(layers, self.post_page(page, path)),
            Inputs::Page(page) => html(layers, self.plain_page(page, path)),
            Inputs::Index(listing) | Inputs::Links(listing) => {
                let old_queries = (!listing.old_queries.is_empty()).then(|| {
                    listing
                        .old_queries
                        .iter()
                        .map(|(q, p)| (q.to_string(), config.base.link(p)))
                        .collect()
                });
                html(
                    layers,
                    on(
                        self.bases.edition(listing.place.edition),
                        &ListingContext {
                            old_queries,
                            ..self.listing(self.chrome(path, &listing.place, None), listing)
                        },
                    ),
                )
            }
            Inputs::TaxonomyList(list) => html(
                layers,
                on(
                    self.bases.edition(list.place.edition),
                    &TermsContext {
                        chrome: self.chrome(path, &list.place, None),
                        taxonomy: self.taxonomy_view(&list.taxonomy, list.place.edition),
                        terms: list.terms.iter().map(|term| self.term_view(term)).collect(),
                    },
                ),
            ),
            Inputs::Term(page) => {
                let term = &page.term;
                let place = &page.listing.place;
                let chrome = self.chrome(path, place, Some((term.name, term.path.as_str())));
                html(
                    layers,
                    on(
                        self.bases.edition(place.edition),
                        &ListingContext {
                            taxonomy: Some(self.taxonomy_view(&page.taxonomy, place.edition)),
                            term: Some(self.term_view(term)),
                            ..self.listing(chrome, &page.listing)
                        },
                    ),
                )
            }
            Inputs::ArchiveList(place, years) => html(
                layers,
                on(
                    self.bases.edition(place.edition),
                    &ArchiveContext {
                        chrome: self.chrome(path, place, None),
                        years: years
                            .iter()
                            .map(|y| YearView {
                                posts: Some(y.entries.iter().map(Entry::view).collect()),
                                ..self.year(place.edition, y.year, y.entries.len())
                            })
                            .collect(),
                        year: None,
                        posts: None,
                    },
                ),
            ),
            Inputs::Archive(page) => html(
                layers,
                on(
                    self.bases.edition(page.place.edition),
                    &ArchiveContext {
                        chrome: self.chrome(path, &page.place, None),
                        years: page
                            .years
                            .iter()
                            .map(|y| self.year(page.place.edition, y.year, y.count))
                            .collect(),
                        year: Some(page.year),
                        posts: Some(page.entries.iter().map(Entry::view).collect()),
                    },
                ),
            ),
            Inputs::NotFound(place) => html(
                layers,
                on(
                    self.bases.edition(place.edition),
                    &self.chrome(path, place, None),
                ),
            ),
            Inputs::SearchPage(place) => html(
                layers,
                on(
                    self.bases.edition(place.edition),
                    &SearchContext {
                        chrome: self.chrome(path, place, None),
                        search: SearchView {
                            index: config.base.link(&format!(
                                "{}{}",
                                config.languages[place.edition].prefix,
                                crate::render::plan::SEARCH_PATH
                            )),
                        },
                    },
                ),
            ),
            Inputs::SearchIndex(file) => bytes(file.bytes.to_vec()),
            Inputs::SearchDoc(shown) => bytes(json(&crate::render::search::shown(
                shown.post(),
                shown.body(),
                config,
            ))),
            Inputs::LanguageRoot => html(layers, on(self.bases.site(), &self.language_root())),
            Inputs::Alias(target) => {
                let url = target.absolute(&config.base);
                // Feed readers do not follow a page's redirect, but find a feed it announces.
                let feeds = target
                    .feed()
                    .map(|format| feed_link(format, &config.title, &url))
                    .into_iter()
                    .collect();
                html(
                    layers,
                    on(
                        self.bases.site(),
                        &AliasContext {
                            chrome: Chrome {
                                canonical: url.clone(),
                                feeds,
                                alternates: Vec::new(),
                                languages: Vec::new(),
                            },
                            target: url,
                        },
                    ),
                )
            }
            Inputs::Feed(feed, format) => bytes(self.feed(feed, *format, path)),
            Inputs::Sitemap(entries) => {
                bytes(sitemap::sitemap(&self.sitemap_entries(entries)).into_bytes())
            }
            Inputs::Robots => {
                bytes(sitemap::robots(&config.base.absolute("sitemap.xml")).into_bytes())
            }
            Inputs::HighlightCss => bytes(highlight::stylesheet().into_bytes()),
            Inputs::ShareIcons => bytes(crate::share::sprite().into_bytes()),
            Inputs::Static(StaticInput(file)) => match file {
                StaticFile::Embedded(embedded) => bytes(embedded.to_vec()),
                StaticFile::File(abs) => read(abs, &config.root).map(Content::Bytes),
            },
            Inputs::Asset(OnDisk(abs)) => read(abs, &config.root).map(Content::Bytes),
            Inputs::Card(shown, fonts) => cards::draw(
                (layers, self.bases.edition(shown.post().edition)),
                (self.templates, &self.card_shared),
                shown,
                fonts,
                &self.fonts,
                (config, self.images),
                path,
            ),
            Inputs::Variant(OnDisk(abs), width, format) => {
                let configured = Some(config.image_widths.as_slice());
                self.images
                    .variant(abs, *width, *format, configured)
                    .map_err(|why| {
                        Diagnostic::input(format!("this image is {why}"))
                            .at(crate::error::relative(&config.root, abs))
                    })
            }
        }
    }

    /// A post's page: its whole view with its body, share links and metadata, its neighbours
    /// and related posts.
    fn post_page(&self, page: &PostPage<'_>, path: &str) -> (&Context, Own) {
        let config = self.config;
        let shown = &page.post;
        let post = shown.post();
        let lang = post.lang.as_deref().unwrap_or(&config.language);
        let comments = crate::render::comments::published(page.comments);
        let share = context::share_links(post, config);
        on(
            self.bases.of(post.edition, lang),
            &PostContext {
                chrome: self.chrome(path, &page.place, None),
                page: context::post_page(
                    shown.view(),
                    post,
                    shown.body(),
                    &share,
                    &comments,
                    config,
                ),
                lang,
                locale: crate::locale::og_locale(lang),
                related: page.related.iter().map(Brief::view).collect(),
                prev: page.prev.as_ref().map(Brief::view),
                next: page.next.as_ref().map(Brief::view),
            },
        )
    }

    /// A standalone page.
    fn plain_page(&self, inputs: &PageInputs<'_>, path: &str) -> (&Context, Own) {
        let config = self.config;
        let page = inputs.page;
        let lang = page.lang.as_deref().unwrap_or(&config.language);
        let french = config.french_spacing && crate::locale::is_french(lang);
        let typeset = |text: &str| crate::body::typography::typeset(text, french);
        let comments = crate::render::comments::published(inputs.comments);
        on(
            self.bases.of(page.edition, lang),
            &PageContext {
                chrome: self.chrome(path, &inputs.place, None),
                page: PageView {
                    title: typeset(&page.title),
                    path: config.base.link(&page.path),
                    url: config.base.absolute(&page.path),
                    description: page.description.as_deref().map(typeset),
                    content: &inputs.body.html,
                    lang,
                    extra: &page.extra,
                    comments: context::comments_view(&comments, lang, config),
                },
                lang,
                locale: crate::locale::og_locale(lang),
            },
        )
    }

    /// What every HTML page has: canonical URL and feed links (the term's own feeds first on
    /// a term page), its versions in other languages and the language switcher.
    fn chrome(&self, path: &str, place: &Place<'_>, term: Option<(&str, &str)>) -> Chrome {
        let config = self.config;
        let language = &config.languages[place.edition];
        let mut feeds = Vec::new();
        if let Some((name, base)) = term {
            for &f in &config.feeds.formats {
                feeds.push(feed_link(
                    f,
                    &format!("{} · {name}", language.title),
                    &config.base.absolute(&format!("{base}{}", f.file_name())),
                ));
            }
        }
        for &f in &config.feeds.formats {
            feeds.push(feed_link(
                f,
                &language.title,
                &config
                    .base
                    .absolute(&format!("{}{}", language.prefix, f.file_name())),
            ));
        }
        Chrome {
            canonical: config.base.absolute(path),
            feeds,
            alternates: self.alternates(place),
            languages: self.switcher(place),
        }
    }

    /// A page's `hreflang` alternates: each version, then `x-default`, the default language's
    /// version (the page that sends readers to their language, for the homes of a site whose
    /// every language has its folder), else the first.
    fn alternates(&self, place: &Place<'_>) -> Vec<Alternate> {
        let config = self.config;
        let Some((_, first)) = place.versions.first() else {
            return Vec::new();
        };
        let default = &config.languages[0];
        let default_version = place
            .versions
            .iter()
            .find(|(code, _)| *code == default.code)
            .map(|(_, path)| path);
        let x_default = match default_version {
            Some(path) if !default.prefix.is_empty() && **path == *default.prefix => "",
            Some(path) => path,
            None => first,
        };
        place
            .versions
            .iter()
            .map(|(code, path)| Alternate {
                hreflang: (*code).to_string(),
                url: config.base.absolute(path),
            })
            .chain(std::iter::once(Alternate {
                hreflang: "x-default".to_string(),
                url: config.base.absolute(x_default),
            }))
            .collect()
    }

    /// The language switcher of a page: each language, leading to the page's version in it,
    /// else to its home.
    fn switcher(&self, place: &Place<'_>) -> Vec<LanguageLink> {
        let config = self.config;
        if config.languages.len() < 2 {
            return Vec::new();
        }
        config
            .languages
            .iter()
            .enumerate()
            .map(|(e, language)| {
                let version = place
                    .versions
                    .iter()
                    .find(|(code, _)| *code == language.code);
                LanguageLink {
                    code: language.code.clone(),
                    name: self.strings[e]
                        .get("language_name")
                        .cloned()
                        .unwrap_or_else(|| language.code.clone()),
                    path: config
                        .base
                        .link(version.map_or(language.prefix.as_str(), |(_, p)| p)),
                    current: e == place.edition,
                    translated: version.is_some(),
                }
            })
            .collect()
    }

    /// The root page of a site whose every language has its folder.
    fn language_root(&self) -> LanguageRootContext {
        let place = Place {
            edition: 0,
            versions: self
                .config
                .languages
                .iter()
                .map(|l| {
                    (
                        l.code.as_str(),
                        std::borrow::Cow::Borrowed(l.prefix.as_str()),
                    )
                })
                .collect(),
        };
        LanguageRootContext {
            chrome: Chrome {
                canonical: self.config.base.absolute(""),
                feeds: Vec::new(),
                alternates: self.alternates(&place),
                languages: self.switcher(&place),
            },
        }
    }

    /// A listing page's posts (their whole views, with their cards) and its pagination.
    fn listing<'l>(&self, chrome: Chrome, listing: &'l Listing<'l>) -> ListingContext<'l> {
        ListingContext {
            chrome,
            posts: listing
                .posts
                .iter()
                .map(|shown| ListedPost {
                    view: shown.view(),
                    card: shown.card(),
                })
                .collect(),
            pagination: self.pagination(&listing.base, listing.count, listing.number),
            old_queries: None,
            taxonomy: None,
            term: None,
        }
    }

    fn pagination(&self, base: &str, count: usize, n: usize) -> Pagination {
        let total = page_count(count, self.config.posts_per_page);
        let link = |k: usize| self.config.base.link(&listing_path(base, k));
        Pagination {
            current: n,
            total,
            prev: (n > 1).then(|| link(n - 1)),
            next: (n < total).then(|| link(n + 1)),
        }
    }

    fn taxonomy_view(&self, taxonomy: &TaxonomyRef<'_>, edition: usize) -> TaxonomyView {
        context::taxonomy_view(
            taxonomy.key,
            &taxonomy.path,
            &self.strings[edition],
            self.config,
        )
    }

    fn term_view<'t>(&self, term: &'t TermRef<'t>) -> TermView<'t> {
        TermView {
            name: term.name,
            slug: term.slug,
            count: term.count,
            path: self.config.base.link(&term.path),
        }
    }

    /// A year of edition `edition` as archive pages link to it.
    fn year<'y>(&self, edition: usize, year: i32, count: usize) -> YearView<'y> {
        let prefix = &self.config.languages[edition].prefix;
        YearView {
            year,
            count,
            path: self.config.base.link(&format!("{prefix}archive/{year}/")),
            posts: None,
        }
    }

    fn feed(&self, feed: &FeedInputs<'_>, format: FeedFormat, path: &str) -> Vec<u8> {
        let config = self.config;
        let input = FeedInput {
            title: feed.title.to_string(),
            language: &config.languages[feed.edition],
            home_url: config.base.absolute(&feed.home),
            self_url: config.base.absolute(path),
            items: feed
                .items
                .iter()
                .map(|shown| {
                    let html = shown
                        .prepared()
                        .feed_html(|| feeds::item_html(shown.post(), shown.body(), config));
                    (shown.post(), html)
                })
                .collect(),
            // Every post has a date: only a feed without posts is dated by the clock.
            fallback_updated: feed.empty_since.unwrap_or_default().fixed_offset(),
        };
        feeds::write(format, &input, config)
    }

    fn sitemap_entries(&self, entries: &[SitemapEntry<'_>]) -> Vec<sitemap::Url> {
        let base = &self.config.base;
        entries
            .iter()
            .map(|e| sitemap::Url {
                loc: base.absolute(&e.path),
                lastmod: e.changed.map(|d| d.to_rfc3339()),
                alternates: self
                    .alternates(&Place {
                        edition: 0,
                        versions: e.versions.iter().map(|(c, p)| (*c, p.clone())).collect(),
                    })
                    .into_iter()
                    .map(|a| (a.hreflang, a.url))
                    .collect(),
            })
            .collect()
    }
}

/// A search file's bytes: compact JSON.
fn json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("search files serialize")
}

fn feed_link(format: FeedFormat, title: &str, url: &str) -> FeedLink {
    FeedLink {
        kind: format.name(),
        mime: format.mime(),
        title: format!("{title} ({})", format.name().to_uppercase()),
        url: url.to_string(),
    }
}

fn read(abs: &std::path::Path, root: &std::path::Path) -> std::result::Result<Vec<u8>, Diagnostic> {
    std::fs::read(abs).map_err(|e| Diagnostic::io(&crate::error::relative(root, abs), "read", &e))
}
