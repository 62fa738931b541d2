//! What templates see: serializable views built once per post and shared by every page.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::markdown::Rendered;
use crate::post::Post;
use crate::site::Site;

/// Link to a term of a taxonomy.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermLink {
    /// Display name.
    pub(crate) name: String,
    /// URL segment.
    pub(crate) slug: String,
    /// Root-relative path.
    pub(crate) path: String,
}

/// A post as templates see it (documented in the README).
#[derive(Debug, Serialize)]
struct PostView<'a> {
    title: &'a str,
    slug: &'a str,
    path: String,
    url: String,
    date: Option<String>,
    date_display: Option<String>,
    updated: Option<String>,
    updated_display: Option<String>,
    year: Option<i32>,
    description: Option<&'a str>,
    summary: &'a str,
    has_more: bool,
    tags: Vec<TermLink>,
    themes: Vec<TermLink>,
    taxonomies: BTreeMap<&'a str, Vec<TermLink>>,
    authors: &'a [String],
    image: Option<String>,
    image_path: Option<String>,
    image_alt: Option<&'a str>,
    lang: &'a str,
    word_count: usize,
    reading_time: usize,
    draft: bool,
    extra: &'a Value,
}

/// Every post's view as JSON, built once: listing pages clone these instead of re-serializing.
pub(crate) fn post_view(post: &Post, rendered: &Rendered, config: &Config) -> Value {
    let lang = post.lang.as_deref().unwrap_or(&config.language);
    let taxonomies: BTreeMap<&str, Vec<TermLink>> = config
        .taxonomies
        .iter()
        .map(|key| (key.as_str(), term_links(post, key, config)))
        .collect();
    let view = PostView {
        title: &post.title,
        slug: &post.slug,
        path: config.base.link(&post.path),
        url: config.base.absolute(&post.path),
        date: post.date.map(|d| d.to_rfc3339()),
        date_display: post.date.map(|d| display_date(d, config)),
        updated: post.updated.map(|d| d.to_rfc3339()),
        updated_display: post.updated.map(|d| display_date(d, config)),
        year: post.local_date(config).map(|d| chrono::Datelike::year(&d)),
        description: post.description.as_deref(),
        summary: &rendered.summary,
        has_more: rendered.has_more,
        tags: taxonomies.get("tags").cloned().unwrap_or_default(),
        themes: taxonomies.get("themes").cloned().unwrap_or_default(),
        taxonomies: taxonomies.clone(),
        authors: &post.authors,
        image: post
            .image
            .as_deref()
            .map(|i| image_url(i, &post.path, config)),
        image_path: post
            .image
            .as_deref()
            .map(|i| image_link(i, &post.path, config)),
        image_alt: post.image_alt.as_deref(),
        lang,
        word_count: rendered.word_count,
        reading_time: rendered.reading_time,
        draft: post.draft,
        extra: &post.extra,
    };
    serde_json::to_value(view).expect("post views serialize")
}

fn term_links(post: &Post, key: &str, config: &Config) -> Vec<TermLink> {
    post.taxonomies
        .get(key)
        .into_iter()
        .flatten()
        .map(|name| {
            let slug = crate::slug::slugify(name);
            TermLink {
                path: config.base.link(&format!("{key}/{slug}/")),
                name: name.clone(),
                slug,
            }
        })
        .collect()
}

/// The site path of an image of the site's own (`/x.png` from the site root, `x.png` beside the
/// page), or None for an external URL.
fn image_site_path(image: &str, page_path: &str) -> Option<String> {
    if image.contains("://") {
        None
    } else if let Some(rooted) = image.strip_prefix('/') {
        Some(rooted.to_string())
    } else {
        Some(format!("{page_path}{image}"))
    }
}

/// An image as an absolute URL, for metadata and feeds.
pub(crate) fn image_url(image: &str, page_path: &str, config: &Config) -> String {
    image_site_path(image, page_path)
        .map_or_else(|| image.to_string(), |p| config.base.absolute(&p))
}

/// An image as a link for pages: root-relative for the site's own files, so a preview on
/// another host still shows them.
fn image_link(image: &str, page_path: &str, config: &Config) -> String {
    image_site_path(image, page_path).map_or_else(|| image.to_string(), |p| config.base.link(&p))
}

/// A date as readers of the site's language write it, in the site's time zone (dates are part
/// of the page chrome, which speaks the site's language even around a post in another): "23 novembre 2026".
pub(crate) fn display_date(date: DateTime<FixedOffset>, config: &Config) -> String {
    let local = date.with_timezone(&config.zone);
    let code = config.language.replace('-', "_");
    let primary = code.split('_').next().unwrap_or("en").to_ascii_lowercase();
    let (default_region, pattern) = match primary.as_str() {
        "fr" => ("fr_FR", "%-d %B %Y"),
        "de" => ("de_DE", "%-d. %B %Y"),
        "es" => ("es_ES", "%-d de %B de %Y"),
        "pt" => ("pt_PT", "%-d de %B de %Y"),
        "it" => ("it_IT", "%-d %B %Y"),
        "nl" => ("nl_NL", "%-d %B %Y"),
        _ => ("en_US", "%B %-d, %Y"),
    };
    let locale = chrono::Locale::try_from(code.as_str())
        .or_else(|_| chrono::Locale::try_from(default_region))
        .unwrap_or(chrono::Locale::en_US);
    local.format_localized(pattern, locale).to_string()
}

/// Variables every template receives.
#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    language: &'a str,
    base_url: String,
    base_path: &'a str,
    extra: &'a Value,
    taxonomies: Vec<Value>,
    pages: Vec<Value>,
}

/// The base context shared by every page of a build.
pub(crate) fn base_context(site: &Site<'_>, strings: &BTreeMap<String, String>) -> tera::Context {
    let config = site.config;
    let site_view = SiteView {
        title: &config.title,
        description: &config.description,
        author: &config.author,
        language: &config.language,
        base_url: config.base.url(),
        base_path: &config.base.path,
        extra: &config.extra,
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| {
                serde_json::json!({
                    "key": t.key,
                    "title": taxonomy_title(&t.key, strings),
                    "path": config.base.link(&t.path()),
                })
            })
            .collect(),
        pages: site
            .pages
            .iter()
            .map(|p| serde_json::json!({ "title": p.title, "path": config.base.link(&p.path) }))
            .collect(),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_view);
    ctx.insert("t", strings);
    ctx.insert("lang", &config.language);
    ctx.insert(
        "build_year",
        &chrono::Datelike::year(&site.clock.now().with_timezone(&config.zone)),
    );
    ctx
}

/// A taxonomy's title in the site's language: the theme string of its key, else the key.
pub(crate) fn taxonomy_title(key: &str, strings: &BTreeMap<String, String>) -> String {
    strings.get(key).cloned().unwrap_or_else(|| {
        let mut c = key.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    })
}
