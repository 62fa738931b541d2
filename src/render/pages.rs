//! Renders planned jobs to bytes, in parallel; nothing here touches the output folder.

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

use crate::body::highlight;
use crate::body::markdown::Rendered;
use crate::error::{self, Diagnostic, Result};
use crate::load::config::FeedFormat;
use crate::render::context::{self, put};
use crate::render::feeds::{self, FeedInput};
use crate::render::plan::{FeedScope, Job, Planned, listing_path, page_count, page_range};
use crate::render::sitemap;
use crate::site::public::Site;
use crate::theme::layers::{StaticFile, Theme};
use crate::theme::templates::Templates;

/// One output file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Artifact {
    /// Path relative to the output folder, `/`-separated.
    pub(crate) path: String,
    /// Content.
    pub(crate) bytes: Vec<u8>,
}

/// What rendering reads: the public site, its rendered bodies and the compiled theme.
pub(crate) struct Renderer<'a> {
    /// The public site.
    pub(crate) site: &'a Site<'a>,
    /// Rendered bodies of `site.posts`, same order.
    pub(crate) posts: &'a [Arc<Rendered>],
    /// Rendered bodies of `site.pages`, same order.
    pub(crate) pages: &'a [Arc<Rendered>],
    /// Template views of `site.posts`, same order, without content.
    pub(crate) views: &'a [Arc<Value>],
    /// Feed HTML of `site.posts`, made the first time a feed needs it.
    pub(crate) feed_html: Vec<std::sync::OnceLock<String>>,
    /// Share links of `site.posts`, same order.
    pub(crate) shares: &'a [Arc<Vec<crate::share::ShareLink>>],
    /// Compiled templates.
    pub(crate) templates: &'a Templates,
    /// Theme files.
    pub(crate) theme: &'a Theme,
    /// Variables shared by every template.
    pub(crate) base: Context,
}

impl Renderer<'_> {
    /// Renders every job, reporting every failure.
    /// Each artifact goes to `sink` as soon as it is made (the output's staging), so the build
    /// never holds every page in memory at once.
    pub(crate) fn render_all<T: Send>(
        &self,
        jobs: &[Planned],
        sink: impl Fn(Artifact) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        let results: Vec<Result<T>> = jobs
            .par_iter()
            .map(|p| {
                let bytes = self.render(p).map_err(error::Errors::from)?;
                sink(Artifact {
                    path: p.file.clone(),
                    bytes,
                })
            })
            .collect();
        error::collect(results)
    }

    fn render(&self, planned: &Planned) -> std::result::Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let config = site.config;
        let path = planned.site_path.as_str();
        let html = |name: &str, ctx: Context| self.templates.render_bytes(name, &ctx, path);
        match &planned.job {
            Job::Post(i) => {
                let mut view = Value::clone(&self.views[*i]);
                if let Some(fields) = view.as_object_mut() {
                    fields.remove("card");
                }
                view["content"] = Value::String(self.posts[*i].html.clone());
                context::page_extras(&mut view, site.posts[*i], &self.shares[*i], config);
                let brief = |j: usize| context::pick(&self.views[j], &context::BRIEF);
                let related: Vec<Value> = site.related[*i].iter().map(|&j| brief(j)).collect();
                let mut ctx = self.page_context(path, None);
                ctx.insert("lang", &view["lang"]);
                ctx.insert(
                    "locale",
                    &crate::locale::og_locale(view["lang"].as_str().unwrap_or(&config.language)),
                );
                put(&mut ctx, "page", view);
                put(&mut ctx, "related", Value::Array(related));
                // Posts run newest first: the previous post is the next index.
                ctx.insert("prev", &(*i + 1 < site.posts.len()).then(|| brief(*i + 1)));
                ctx.insert("next", &(*i > 0).then(|| brief(*i - 1)));
                html("post.html", ctx)
            }
            Job::Page(i) => {
                let page = site.pages[*i];
                let view = json!({
                    "title": page.title,
                    "path": config.base.link(&page.path),
                    "url": config.base.absolute(&page.path),
                    "description": page.description,
                    "content": self.pages[*i].html,
                    "lang": page.lang.as_deref().unwrap_or(&config.language),
                    "extra": page.extra,
                });
                let mut ctx = self.page_context(path, None);
                ctx.insert("lang", &view["lang"]);
                ctx.insert(
                    "locale",
                    &crate::locale::og_locale(view["lang"].as_str().unwrap_or(&config.language)),
                );
                put(&mut ctx, "page", view);
                html("page.html", ctx)
            }
            Job::Index(n) => {
                let count = site.posts.len();
                let mut ctx = self.page_context(path, None);
                self.add_listing(&mut ctx, page_range(count, config.posts_per_page, *n));
                ctx.insert("pagination", &self.pagination("", count, *n));
                html("index.html", ctx)
            }
            Job::TaxonomyList(t) => {
                let taxonomy = &site.taxonomies[*t];
                let terms: Vec<Value> = taxonomy
                    .terms
                    .iter()
                    .map(|term| {
                        json!({
                            "name": term.name, "slug": term.slug, "count": term.posts.len(),
                            "path": config.base.link(&term.path(&taxonomy.key)),
                        })
                    })
                    .collect();
                let mut ctx = self.page_context(path, None);
                ctx.insert("taxonomy", &self.taxonomy_view(*t));
                ctx.insert("terms", &terms);
                html("taxonomy_list.html", ctx)
            }
            Job::Term(t, i, n) => {
                let taxonomy = &site.taxonomies[*t];
                let term = &taxonomy.terms[*i];
                let base = term.path(&taxonomy.key);
                let mut ctx = self.page_context(path, Some((term.name.as_str(), base.as_str())));
                self.add_listing(&mut ctx, self.page_of(&term.posts, *n));
                ctx.insert("pagination", &self.pagination(&base, term.posts.len(), *n));
                ctx.insert("taxonomy", &self.taxonomy_view(*t));
                ctx.insert(
                    "term",
                    &json!({ "name": term.name, "slug": term.slug, "count": term.posts.len(), "path": config.base.link(&base) }),
                );
                html("taxonomy_term.html", ctx)
            }
            Job::Links(n) => {
                let mut ctx = self.page_context(path, None);
                self.add_listing(&mut ctx, self.page_of(&site.links, *n));
                ctx.insert(
                    "pagination",
                    &self.pagination(crate::render::plan::LINKS_PATH, site.links.len(), *n),
                );
                html("links.html", ctx)
            }
            Job::ArchiveList => {
                let mut ctx = self.page_context(path, None);
                ctx.insert("years", &self.years());
                html("archive_list.html", ctx)
            }
            Job::Archive(y) => {
                let (year, posts) = &site.years[*y];
                // A year can hold thousands of posts: the archive gets their entries only.
                let entries: Vec<Value> = posts
                    .iter()
                    .map(|&i| context::pick(&self.views[i], &context::ARCHIVE_ENTRY))
                    .collect();
                let mut ctx = self.page_context(path, None);
                ctx.insert("year", year);
                put(&mut ctx, "posts", Value::Array(entries));
                ctx.insert("years", &self.years());
                html("archive.html", ctx)
            }
            Job::NotFound => html("404.html", self.page_context(path, None)),
            Job::Alias(target) => {
                let mut ctx = self.base.clone();
                ctx.insert("target", &config.base.absolute(target));
                ctx.insert("canonical", &config.base.absolute(target));
                html("alias.html", ctx)
            }
            Job::Feed(scope, format) => Ok(self.feed(*scope, *format, path)),
            Job::Sitemap => Ok(sitemap::sitemap(&self.sitemap_entries()).into_bytes()),
            Job::Robots => Ok(sitemap::robots(&config.base.absolute("sitemap.xml")).into_bytes()),
            Job::HighlightCss => Ok(highlight::stylesheet().into_bytes()),
            Job::ShareIcons => Ok(crate::share::sprite().into_bytes()),
            Job::Static(key) => match &self.theme.statics[key] {
                StaticFile::Embedded(bytes) => Ok(bytes.to_vec()),
                StaticFile::File(abs) => read(abs, &config.root),
            },
            Job::Asset(i) => read(&site.assets[*i].asset.source, &config.root),
        }
    }

    /// The shared context plus what every HTML page has: canonical URL and feed links, the
    /// term's own feeds first on a term page.
    fn page_context(&self, path: &str, term: Option<(&str, &str)>) -> Context {
        let config = self.site.config;
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

    /// Page `n` of `list` (indexes into the site's posts).
    fn page_of<'l>(&self, list: &'l [usize], n: usize) -> impl Iterator<Item = usize> + 'l {
        let per_page = self.site.config.posts_per_page;
        list[page_range(list.len(), per_page, n)].iter().copied()
    }

    /// Adds the views of `posts` (indexes into the site's posts) as `posts`.
    fn add_listing(&self, ctx: &mut Context, posts: impl Iterator<Item = usize>) {
        let views = posts.map(|i| Value::clone(&self.views[i])).collect();
        put(ctx, "posts", Value::Array(views));
    }

    fn pagination(&self, base: &str, count: usize, n: usize) -> Value {
        let total = page_count(count, self.site.config.posts_per_page);
        let link = |k: usize| self.site.config.base.link(&listing_path(base, k));
        json!({
            "current": n,
            "total": total,
            "prev": (n > 1).then(|| link(n - 1)),
            "next": (n < total).then(|| link(n + 1)),
        })
    }

    fn taxonomy_view(&self, t: usize) -> Value {
        let taxonomy = &self.site.taxonomies[t];
        json!({
            "key": taxonomy.key,
            "title": context::taxonomy_title(&taxonomy.key, &self.theme.strings),
            "path": self.site.config.base.link(&taxonomy.path()),
        })
    }

    fn years(&self) -> Vec<Value> {
        self.site
            .years
            .iter()
            .map(|(year, posts)| json!({ "year": year, "count": posts.len(), "path": self.site.config.base.link(&format!("archive/{year}/")) }))
            .collect()
    }

    fn feed(&self, scope: FeedScope, format: FeedFormat, path: &str) -> Vec<u8> {
        let site = self.site;
        let config = site.config;
        let (title, home, indexes): (String, String, Vec<usize>) = match scope {
            FeedScope::Site => (
                config.title.clone(),
                String::new(),
                (0..site.posts.len()).collect(),
            ),
            FeedScope::Term(t, i) => {
                let taxonomy = &site.taxonomies[t];
                let term = &taxonomy.terms[i];
                (
                    format!("{} · {}", config.title, term.name),
                    term.path(&taxonomy.key),
                    term.posts.clone(),
                )
            }
        };
        let input = FeedInput {
            title,
            home_url: config.base.absolute(&home),
            self_url: config.base.absolute(path),
            items: indexes
                .into_iter()
                .take(config.feeds.limit)
                .map(|i| {
                    let html = self.feed_html[i]
                        .get_or_init(|| feeds::item_html(site.posts[i], &self.posts[i], config));
                    (site.posts[i], html.as_str())
                })
                .collect(),
            fallback_updated: site.clock.now().fixed_offset(),
        };
        feeds::write(format, &input, config)
    }

    fn sitemap_entries(&self) -> Vec<(String, Option<String>)> {
        let site = self.site;
        let base = &site.config.base;
        let newest = site
            .posts
            .first()
            .and_then(|p| p.updated.max(p.date))
            .map(|d| d.to_rfc3339());
        let mut entries = vec![(base.absolute(""), newest)];
        for p in &site.posts {
            entries.push((
                base.absolute(&p.path),
                p.updated.max(p.date).map(|d| d.to_rfc3339()),
            ));
        }
        for p in &site.pages {
            entries.push((
                base.absolute(&p.path),
                p.updated.or(p.date).map(|d| d.to_rfc3339()),
            ));
        }
        for taxonomy in &site.taxonomies {
            entries.push((base.absolute(&taxonomy.path()), None));
            for term in &taxonomy.terms {
                let newest = term
                    .posts
                    .first()
                    .and_then(|&i| site.posts[i].updated.max(site.posts[i].date));
                entries.push((
                    base.absolute(&term.path(&taxonomy.key)),
                    newest.map(|d| d.to_rfc3339()),
                ));
            }
        }
        if !site.links.is_empty() {
            entries.push((base.absolute(crate::render::plan::LINKS_PATH), None));
        }
        entries.push((base.absolute("archive/"), None));
        for (year, _) in &site.years {
            entries.push((base.absolute(&format!("archive/{year}/")), None));
        }
        entries
    }
}

fn feed_link(format: FeedFormat, title: &str, url: &str) -> Value {
    json!({ "kind": format.name(), "mime": format.mime(), "title": format!("{title} ({})", format.name().to_uppercase()), "url": url })
}

fn read(abs: &std::path::Path, root: &std::path::Path) -> std::result::Result<Vec<u8>, Diagnostic> {
    std::fs::read(abs)
        .map_err(|e| Diagnostic::io(&crate::load::source::relative(root, abs), "read", &e))
}
