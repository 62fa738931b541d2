//! Renders planned jobs to bytes, in parallel; nothing here touches the output folder.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

use crate::body::highlight;
use crate::error::{self, Diagnostic, Result};
use crate::images::cache::{Derived, ImageCache};
use crate::load::config::{Config, FeedFormat};
use crate::render::cards;
use crate::render::context::{self, put};
use crate::render::feeds::{self, FeedInput};
use crate::render::inputs::{
    Brief, Entry, FeedInputs, Gather, Inputs, Listing, OnDisk, PageInputs, PostPage, SitemapEntry,
    StaticInput, TaxonomyRef, YearCount,
};
use crate::render::plan::{Planned, listing_path, page_count};
use crate::render::sitemap;
use crate::theme::layers::{StaticFile, Theme};
use crate::theme::templates::Templates;

/// What an output file holds: its bytes, or the file of the image cache that holds them (an
/// image or a card, linked into the output rather than copied).
pub(crate) type Content = Derived;

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
    /// UI strings.
    pub(crate) strings: &'a BTreeMap<String, String>,
    /// Variables shared by every template.
    pub(crate) base: Context,
    /// The fonts of social cards, loaded at the first.
    pub(crate) fonts: cards::FontCache,
    /// What every social card reads alike (nothing without cards).
    pub(crate) card_shared: cards::Shared,
    /// Where derived images are kept between builds (the preview keeps none: its memo holds
    /// them in memory).
    pub(crate) images: &'a ImageCache,
}

impl<'a> Renderer<'a> {
    /// A renderer with `theme`'s strings and `templates`.
    pub(crate) fn new(
        config: &'a Config,
        theme: &'a Theme,
        templates: &'a Templates,
        base: Context,
        images: &'a ImageCache,
    ) -> Renderer<'a> {
        let card_shared = if config.cards {
            cards::Shared::new(theme, &base)
        } else {
            cards::Shared::default()
        };
        Renderer {
            config,
            templates,
            strings: &theme.strings,
            base,
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
            // One card context per thread: cloning the shared one for each card would cost
            // about as much as drawing it from the cache.
            .map_init(
                || None,
                |card_context, p| {
                    let content = self
                        .render_in(p, &gather.inputs(&p.job), card_context)
                        .map_err(error::Errors::from)?;
                    sink(Artifact {
                        path: p.file.clone(),
                        content,
                    })
                },
            )
            .collect();
        error::collect(results)
    }

    /// The content of one planned file, made from its inputs.
    pub(crate) fn render(
        &self,
        planned: &Planned,
        inputs: &Inputs<'_>,
    ) -> std::result::Result<Content, Diagnostic> {
        self.render_in(planned, inputs, &mut None)
    }

    /// [`Renderer::render`], drawing a card in `card_context` (the shared context, once cloned).
    fn render_in(
        &self,
        planned: &Planned,
        inputs: &Inputs<'_>,
        card_context: &mut Option<Context>,
    ) -> std::result::Result<Content, Diagnostic> {
        let config = self.config;
        let path = planned.site_path.as_str();
        let template = inputs.template().unwrap_or_default();
        let html = |ctx: Context| {
            self.templates
                .render_bytes(template, &ctx, path)
                .map(Content::Bytes)
        };
        let bytes = |bytes: Vec<u8>| Ok(Content::Bytes(bytes));
        match inputs {
            Inputs::Post(page) => html(self.post_page(page, path)),
            Inputs::Page(page) => html(self.plain_page(page, path)),
            Inputs::Index(listing) | Inputs::Links(listing) => {
                let mut ctx = self.page_context(path, None);
                self.add_listing(&mut ctx, listing);
                if !listing.old_queries.is_empty() {
                    let map: serde_json::Map<String, Value> = listing
                        .old_queries
                        .iter()
                        .map(|(q, p)| (q.to_string(), Value::String(config.base.link(p))))
                        .collect();
                    put(&mut ctx, "old_queries", Value::Object(map));
                }
                html(ctx)
            }
            Inputs::TaxonomyList(list) => {
                let terms: Vec<Value> = list
                    .terms
                    .iter()
                    .map(|term| {
                        json!({
                            "name": term.name, "slug": term.slug, "count": term.count,
                            "path": config.base.link(&term.path),
                        })
                    })
                    .collect();
                let mut ctx = self.page_context(path, None);
                ctx.insert("taxonomy", &self.taxonomy_view(&list.taxonomy));
                ctx.insert("terms", &terms);
                html(ctx)
            }
            Inputs::Term(page) => {
                let term = &page.term;
                let mut ctx = self.page_context(path, Some((term.name, term.path.as_str())));
                self.add_listing(&mut ctx, &page.listing);
                ctx.insert("taxonomy", &self.taxonomy_view(&page.taxonomy));
                ctx.insert(
                    "term",
                    &json!({ "name": term.name, "slug": term.slug, "count": term.count, "path": config.base.link(&term.path) }),
                );
                html(ctx)
            }
            Inputs::ArchiveList(years) => {
                let years: Vec<Value> = years
                    .iter()
                    .map(|y| {
                        let mut view = self.year(y.year, y.entries.len());
                        view["posts"] = y.entries.iter().map(Entry::value).collect();
                        view
                    })
                    .collect();
                let mut ctx = self.page_context(path, None);
                put(&mut ctx, "years", Value::Array(years));
                html(ctx)
            }
            Inputs::Archive(page) => {
                let entries: Vec<Value> = page.entries.iter().map(Entry::value).collect();
                let mut ctx = self.page_context(path, None);
                ctx.insert("year", &page.year);
                put(&mut ctx, "posts", Value::Array(entries));
                ctx.insert("years", &self.years(&page.years));
                html(ctx)
            }
            Inputs::NotFound => html(self.page_context(path, None)),
            Inputs::Alias(target) => {
                let url = target.absolute(&config.base);
                let mut ctx = self.base.clone();
                ctx.insert("target", &url);
                ctx.insert("canonical", &url);
                // Feed readers do not follow a page's redirect, but find a feed it announces.
                let feeds: Vec<Value> = target
                    .feed()
                    .map(|format| feed_link(format, &config.title, &url))
                    .into_iter()
                    .collect();
                ctx.insert("feeds", &feeds);
                html(ctx)
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
                card_context.get_or_insert_with(|| self.base.clone()),
                (self.templates, &self.card_shared),
                shown,
                fonts,
                &self.fonts,
                (config, self.images),
                path,
            ),
            Inputs::Variant(OnDisk(abs), width, format) => {
                self.images.variant(abs, *width, *format).map_err(|why| {
                    Diagnostic::input(format!("this image is {why}"))
                        .at(crate::error::relative(&config.root, abs))
                })
            }
        }
    }

    /// A post's page: its whole view with its body, share links and metadata, its neighbours
    /// and related posts.
    fn post_page(&self, page: &PostPage<'_>, path: &str) -> Context {
        let config = self.config;
        let shown = &page.post;
        let mut view = shown.view_of_its_own();
        view["content"] = Value::String(shown.body().html.clone());
        let comments = crate::render::comments::published(page.comments);
        context::page_extras(&mut view, shown.post(), shown.share(), &comments, config);
        let lang = shown.post().lang.as_deref().unwrap_or(&config.language);
        add_comments(&mut view, &comments, lang, config);
        let related: Vec<Value> = page.related.iter().map(Brief::value).collect();
        let mut ctx = self.page_of_its_own(path, view);
        put(&mut ctx, "related", Value::Array(related));
        ctx.insert("prev", &page.prev.as_ref().map(Brief::value));
        ctx.insert("next", &page.next.as_ref().map(Brief::value));
        ctx
    }

    /// A standalone page.
    fn plain_page(&self, inputs: &PageInputs<'_>, path: &str) -> Context {
        let config = self.config;
        let page = inputs.page;
        let lang = page.lang.as_deref().unwrap_or(&config.language);
        let french = config.french_spacing && crate::locale::is_french(lang);
        let typeset = |text: &str| crate::body::typography::typeset(text, french);
        let mut view = json!({
            "title": typeset(&page.title),
            "path": config.base.link(&page.path),
            "url": config.base.absolute(&page.path),
            "description": page.description.as_deref().map(typeset),
            "content": inputs.body.html,
            "lang": page.lang.as_deref().unwrap_or(&config.language),
            "extra": page.extra,
        });
        let comments = crate::render::comments::published(inputs.comments);
        add_comments(&mut view, &comments, lang, config);
        self.page_of_its_own(path, view)
    }

    /// The context of a post's or a page's own page: `view` as `page`, and its language, which
    /// may not be the site's.
    fn page_of_its_own(&self, path: &str, view: Value) -> Context {
        let mut ctx = self.page_context(path, None);
        let lang = view["lang"].as_str().unwrap_or(&self.config.language);
        ctx.insert("locale", &crate::locale::og_locale(lang));
        ctx.insert("lang", &view["lang"]);
        put(&mut ctx, "page", view);
        ctx
    }

    /// The shared context plus what every HTML page has: canonical URL and feed links, the
    /// term's own feeds first on a term page.
    fn page_context(&self, path: &str, term: Option<(&str, &str)>) -> Context {
        let config = self.config;
        let mut feeds = Vec::new();
        if let Some((name, base)) = term {
            for &f in &config.feeds.formats {
                feeds.push(feed_link(
                    f,
                    &format!("{} · {name}", config.title),
                    &config.base.absolute(&format!("{base}{}", f.file_name())),
                ));
            }
        }
        for &f in &config.feeds.formats {
            feeds.push(feed_link(
                f,
                &config.title,
                &config.base.absolute(f.file_name()),
            ));
        }
        let mut ctx = self.base.clone();
        ctx.insert("canonical", &config.base.absolute(path));
        ctx.insert("feeds", &feeds);
        ctx
    }

    /// Adds a listing page's posts (their whole views) as `posts`, and its pagination.
    fn add_listing(&self, ctx: &mut Context, listing: &Listing<'_>) {
        let views = listing
            .posts
            .iter()
            .map(|shown| Value::clone(shown.view()))
            .collect();
        put(ctx, "posts", Value::Array(views));
        ctx.insert(
            "pagination",
            &self.pagination(&listing.base, listing.count, listing.number),
        );
    }

    fn pagination(&self, base: &str, count: usize, n: usize) -> Value {
        let total = page_count(count, self.config.posts_per_page);
        let link = |k: usize| self.config.base.link(&listing_path(base, k));
        json!({
            "current": n,
            "total": total,
            "prev": (n > 1).then(|| link(n - 1)),
            "next": (n < total).then(|| link(n + 1)),
        })
    }

    fn taxonomy_view(&self, taxonomy: &TaxonomyRef<'_>) -> Value {
        json!({
            "key": taxonomy.key,
            "title": context::taxonomy_title(taxonomy.key, self.strings),
            "path": self.config.base.link(&taxonomy.path),
        })
    }

    fn years(&self, years: &[YearCount]) -> Vec<Value> {
        years.iter().map(|y| self.year(y.year, y.count)).collect()
    }

    /// A year as archive pages link to it.
    fn year(&self, year: i32, count: usize) -> Value {
        json!({ "year": year, "count": count, "path": self.config.base.link(&format!("archive/{year}/")) })
    }

    fn feed(&self, feed: &FeedInputs<'_>, format: FeedFormat, path: &str) -> Vec<u8> {
        let config = self.config;
        let input = FeedInput {
            title: feed.title.to_string(),
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

    fn sitemap_entries(&self, entries: &[SitemapEntry<'_>]) -> Vec<(String, Option<String>)> {
        let base = &self.config.base;
        entries
            .iter()
            .map(|e| (base.absolute(&e.path), e.changed.map(|d| d.to_rfc3339())))
            .collect()
    }
}

/// Adds the published `comments` of a post or page in `lang` to its view, when it has any: the
/// same fields on both, so one template macro prints them.
fn add_comments(
    view: &mut Value,
    comments: &[&crate::load::comments::Comment],
    lang: &str,
    config: &Config,
) {
    if !comments.is_empty() {
        view["comment_count"] = Value::from(comments.len());
        view["comments"] = Value::Array(crate::render::comments::thread(comments, lang, config));
    }
}

fn feed_link(format: FeedFormat, title: &str, url: &str) -> Value {
    json!({ "kind": format.name(), "mime": format.mime(), "title": format!("{title} ({})", format.name().to_uppercase()), "url": url })
}

fn read(abs: &std::path::Path, root: &std::path::Path) -> std::result::Result<Vec<u8>, Diagnostic> {
    std::fs::read(abs).map_err(|e| Diagnostic::io(&crate::error::relative(root, abs), "read", &e))
}
