//! The views templates see, built from the site: each post's once, shared by every page that
//! shows it, and the variables every page receives.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::body::markdown::Rendered;
use crate::hash::QuickMap;
use crate::images::{self, markup::Picture};
use crate::load::config::Config;
use crate::load::post::Post;
use crate::render::comments::LdPerson;
use crate::render::views::{
    BaseContext, CommentsView, MenuLink, PageLink, PostPageFields, PostPageView, PostView,
    PostViews, SharedTermLink, SiteView, SocialCard, TaxonomyView, TermLink, TermsByKey,
};
use crate::share::{self, ShareLink};
use crate::site::public::Site;
use crate::theme::templates::Bases;

/// Every view of a post, built once: listing pages copy its serialized view instead of
/// serializing it again, and other posts' pages show its brief. It holds what listings show;
/// [`post_page`] adds what only the post's page needs. The card is rendered later, from it.
pub(crate) fn post_views<'a>(
    post: &'a Post,
    rendered: &Rendered,
    config: &Config,
    now: DateTime<Utc>,
    links: &TermLinks<'a>,
) -> PostViews {
    let lang = post.lang.as_deref().unwrap_or(&config.language);
    // Titles and descriptions are text the reader sees like the body: same typography.
    let french = config.french_spacing && crate::locale::is_french(lang);
    let typeset = |text: &str| crate::body::typography::typeset(text, french);
    let title = typeset(&post.title);
    let taxonomies = links.of(post, config);
    let image = post
        .image
        .as_deref()
        .map(|i| image_url(i, &post.path, config));
    let image_path = post
        .image
        .as_deref()
        .map(|i| image_link(i, &post.path, config));
    let cover = cover_picture(post, image_path.as_deref());
    let view = PostView {
        title,
        slug: post.slug.clone(),
        path: config.base.link(&post.path),
        url: config.base.absolute(&post.path),
        date: post.date.map(|d| d.to_rfc3339()),
        date_display: post.date.map(|d| display_date(d, lang, config)),
        updated: post.updated.map(|d| d.to_rfc3339()),
        updated_display: post.updated.map(|d| display_date(d, lang, config)),
        year: post.local_date(config).map(|d| chrono::Datelike::year(&d)),
        description: post.description.as_deref().map(typeset),
        // Listings show the summary away from the post's folder: a picture or link written
        // relative to the post (a bundle's `photo.png`) is made relative to the site root.
        summary: crate::body::markdown::absolutize(
            &rendered.summary,
            "",
            &config.base.link(&post.path),
        ),
        has_more: rendered.has_more,
        tags: taxonomies.get("tags").unwrap_or_default().to_vec(),
        themes: taxonomies.get("themes").unwrap_or_default().to_vec(),
        taxonomies,
        authors: post.authors.clone(),
        image,
        image_srcset: cover
            .as_ref()
            .map(|p| p.srcset(&config.image_widths, p.format)),
        image_webp_srcset: cover
            .as_ref()
            .map(|p| p.srcset(&config.image_widths, images::Format::Webp)),
        image_path,
        image_alt: post.image_alt.clone(),
        lang: lang.to_string(),
        site_language: config
            .languages
            .get(post.edition)
            .map_or(lang, |l| &l.code)
            .to_string(),
        word_count: rendered.word_count,
        reading_time: rendered.reading_time,
        draft: post.draft,
        sticky: post.sticky,
        scheduled: post.date.is_some_and(|d| d > now),
        link: post.link.clone(),
        via: post.via.clone(),
        via_url: post
            .via
            .as_deref()
            .filter(|v| v.starts_with("https://") || v.starts_with("http://"))
            .map(str::to_string),
        pullquotes: rendered.pullquotes.clone(),
        image_width: post.image_size.map(|s| s.0),
        image_height: post.image_size.map(|s| s.1),
        freshness: crate::site::freshness::freshness(post, config.stale_after, now),
        evergreen: post.evergreen,
        expires: post.expires.map(|d| d.to_rfc3339()),
        extra: post.extra.clone(),
    };
    PostViews { view, card: None }
}

/// The cover as a picture published at several widths, when it is a JPEG or PNG of the site's
/// own (`image_file`): beside the post or from the site root, in `content/` or `static/`, each
/// is published at every width.
fn cover_picture<'a>(post: &Post, path: Option<&'a str>) -> Option<Picture<'a>> {
    post.image_file.as_ref()?;
    Some(Picture {
        src: path?,
        format: images::source_format(post.image.as_deref()?)?,
        size: post.image_size?,
        alt: "",
        title: "",
        eager: true,
    })
}

/// `page` of a post's own page: its `view` with what only that page shows (listings never
/// carry it, which keeps every listing page's context small: share icons alone weigh kilobytes
/// a post).
pub(crate) fn post_page<'a>(
    view: &'a PostView,
    post: &'a Post,
    body: &'a Rendered,
    share: &'a [ShareLink],
    comments: &[&'a crate::load::comments::Comment],
    config: &Config,
) -> PostPageView<'a> {
    let lang = post.lang.as_deref().unwrap_or(&config.language);
    let card = social_card(post, config);
    let image = post
        .image
        .as_deref()
        .map(|i| image_url(i, &post.path, config))
        .or_else(|| card.clone());
    PostPageView {
        view,
        own: PostPageFields {
            content: &body.html,
            social_card: card.map(|url| SocialCard {
                url,
                alt: &post.title,
                width: crate::images::card::WIDTH,
                height: crate::images::card::HEIGHT,
            }),
            share,
            jsonld: json_ld(post, image.as_deref(), lang, comments, config),
        },
        comments: comments_view(comments, lang, config),
    }
}

/// The published `comments` of a post or page in `lang`, the same on both, so one component
/// prints them.
pub(crate) fn comments_view<'a>(
    comments: &[&'a crate::load::comments::Comment],
    lang: &str,
    config: &Config,
) -> CommentsView<'a> {
    if comments.is_empty() {
        return CommentsView::default();
    }
    CommentsView {
        comment_count: Some(comments.len()),
        comments: Some(crate::render::comments::thread(comments, lang, config)),
    }
}

/// Absolute URL of a post's social card, as its page shares it: cards are on and the post sets
/// no `image` of its own.
pub(crate) fn social_card(post: &Post, config: &Config) -> Option<String> {
    post.image.is_none().then(|| card_url(post, config))?
}

/// Absolute URL of a post's social card, when cards are on.
pub(crate) fn card_url(post: &Post, config: &Config) -> Option<String> {
    if !config.cards || post.kind != crate::load::source::SourceKind::Post {
        return None;
    }
    crate::render::plan::card_path(post).map(|p| config.base.absolute(&p))
}

/// Absolute URL of the image a post is announced with in the social queue: its card when the
/// post has no `image` or the card shows it (a photo of the site, with the title beside it),
/// else its `image` (an address elsewhere, an SVG).
pub(crate) fn queue_image(post: &Post, config: &Config) -> Option<String> {
    let card = card_url(post, config).filter(|_| post.image.is_none() || post.image_file.is_some());
    card.or_else(|| Some(image_url(post.image.as_deref()?, &post.path, config)))
}

/// Share links of a post: none for pages, or when the site or the post turns them off.
pub(crate) fn share_links(post: &Post, config: &Config) -> Vec<ShareLink> {
    if !config.share.enabled || post.share.off || post.kind != crate::load::source::SourceKind::Post
    {
        return Vec::new();
    }
    let hashtags: Vec<String> = match &post.share.hashtags {
        // Hashtags written for sharing are taken as written, without their `#`.
        Some(tags) => tags
            .iter()
            .map(|t| {
                t.trim()
                    .trim_start_matches('#')
                    .replace(char::is_whitespace, "")
            })
            .collect(),
        None => post
            .taxonomies
            .get("tags")
            .into_iter()
            .flatten()
            .map(|t| share::hashtag(t))
            .collect(),
    };
    let hashtags: Vec<String> = hashtags.into_iter().filter(|h| !h.is_empty()).collect();
    let url = config.base.absolute(&post.path);
    let input = share::ShareInput {
        url: &url,
        text: post.share.text.as_deref().unwrap_or(&post.title),
        hashtags: &hashtags,
        via: config.share.via.as_deref(),
        mastodon_instance: config.share.mastodon_instance.as_deref(),
    };
    share::links(&input, &config.share.platforms)
}

/// A schema.org `BlogPosting`, serialized so that no field can close the script element that
/// holds it.
fn json_ld(
    post: &Post,
    image: Option<&str>,
    lang: &str,
    comments: &[&crate::load::comments::Comment],
    config: &Config,
) -> String {
    let url = config.base.absolute(&post.path);
    let authors: Vec<LdPerson<'_>> = if post.authors.is_empty() {
        [config.author.as_str()]
            .into_iter()
            .filter(|a| !a.is_empty())
            .map(LdPerson::named)
            .collect()
    } else {
        post.authors.iter().map(|a| LdPerson::named(a)).collect()
    };
    let image = image.map(str::to_string).or_else(|| {
        let language = config.languages.get(post.edition)?;
        language.image.as_deref().map(|i| image_url(i, "", config))
    });
    let ld = LdPosting {
        context: "https://schema.org",
        kind: "BlogPosting",
        author: (!authors.is_empty()).then_some(authors),
        comment: (!comments.is_empty()).then(|| crate::render::comments::json_ld(comments)),
        comment_count: (!comments.is_empty()).then_some(comments.len()),
        date_modified: post.updated.or(post.date).map(|d| d.to_rfc3339()),
        date_published: post.date.map(|d| d.to_rfc3339()),
        description: post.description.as_deref(),
        headline: &post.title,
        image,
        in_language: lang,
        keywords: post.taxonomies.get("tags"),
        main_entity_of_page: &url,
        publisher: LdOrganization {
            kind: "Organization",
            name: &config.title,
            url: config.base.url(),
        },
        url: &url,
    };
    let text = serde_json::to_string(&ld).expect("JSON-LD serializes");
    // `<` as an escape can never start `</script>` or `<!--`; the JSON means the same.
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A schema.org `BlogPosting`, its fields in the order of their names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LdPosting<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Vec<LdPerson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<Vec<crate::render::comments::LdComment<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<&'a Vec<String>>,
    main_entity_of_page: &'a str,
    publisher: LdOrganization<'a>,
    url: &'a str,
}

/// A schema.org `Organization`.
#[derive(Serialize)]
struct LdOrganization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// The links to the terms of the posts whose views are being made, one per language,
/// taxonomy and spelling: posts share them instead of each holding copies, which at 100,000
/// posts came to about a tenth of a build's memory.
pub(crate) struct TermLinks<'a> {
    /// The declared taxonomies' keys, sorted.
    keys: Vec<Arc<str>>,
    /// Each link, by language, key and spelling.
    links: QuickMap<(usize, &'a str, &'a str), Arc<SharedTermLink>>,
}

impl<'a> TermLinks<'a> {
    /// The links to every term `posts` carry.
    pub(crate) fn new(posts: impl Iterator<Item = &'a Post>, config: &Config) -> TermLinks<'a> {
        let mut keys: Vec<Arc<str>> = config.taxonomies.iter().map(|k| Arc::from(&**k)).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut links = QuickMap::default();
        for post in posts {
            for (key, names) in &post.taxonomies {
                for name in names {
                    links
                        .entry((post.edition, key.as_str(), name.as_str()))
                        .or_insert_with(|| Arc::new(term_link(post.edition, key, name, config)));
                }
            }
        }
        TermLinks { keys, links }
    }

    /// `post`'s terms under every declared key.
    fn of(&self, post: &'a Post, config: &Config) -> TermsByKey {
        let terms = |key: &str| -> Vec<Arc<SharedTermLink>> {
            let names = post.taxonomies.get(key).into_iter().flatten();
            names
                .map(
                    |name| match self.links.get(&(post.edition, key, name.as_str())) {
                        Some(link) => Arc::clone(link),
                        None => Arc::new(term_link(post.edition, key, name, config)),
                    },
                )
                .collect()
        };
        TermsByKey(
            self.keys
                .iter()
                .map(|key| (Arc::clone(key), terms(key)))
                .collect(),
        )
    }
}

/// The link to the term `name` of taxonomy `key`, in edition `edition`.
fn term_link(edition: usize, key: &str, name: &str, config: &Config) -> SharedTermLink {
    let prefix = config
        .languages
        .get(edition)
        .map_or("", |l| l.prefix.as_str());
    let slug = crate::slug::slugify(name);
    SharedTermLink::new(TermLink {
        path: config.base.link(&format!("{prefix}{key}/{slug}/")),
        name: name.to_string(),
        slug,
    })
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
        .map_or_else(|| crate::href::written(image), |p| config.base.absolute(&p))
}

/// An image as a link for pages: root-relative for the site's own files, so a preview on
/// another host still shows them.
fn image_link(image: &str, page_path: &str, config: &Config) -> String {
    image_site_path(image, page_path)
        .map_or_else(|| crate::href::written(image), |p| config.base.link(&p))
}

/// A date in `lang` and the site's time zone: a post in another language than the site's has
/// its dates in its own, wherever it is shown.
pub(crate) fn display_date(date: DateTime<FixedOffset>, lang: &str, config: &Config) -> String {
    crate::locale::format_date(date, config.zone, lang, None)
}

/// The interface strings of `lang`, typeset as its text is.
pub(crate) fn page_strings(
    strings: &BTreeMap<String, String>,
    lang: &str,
    config: &Config,
) -> BTreeMap<String, String> {
    let french = config.french_spacing && crate::locale::is_french(lang);
    strings
        .iter()
        .map(|(k, v)| (k.clone(), crate::body::typography::typeset(v, french)))
        .collect()
}

/// The variables every template receives: in each of the site's languages, and in every other
/// language a post or page of one of them is written in.
pub(crate) fn bases(site: &Site<'_>, theme: &crate::theme::layers::Theme) -> Bases {
    let others: std::collections::BTreeSet<(usize, &str)> = site
        .posts
        .iter()
        .chain(&site.pages)
        .filter_map(|p| Some((p.edition, p.lang.as_deref()?)))
        .filter(|(e, lang)| *lang != site.editions[*e].lang)
        .collect();
    let mut digests = Vec::new();
    let editions = theme
        .edition_strings(site.config)
        .iter()
        .enumerate()
        .map(|(e, strings)| {
            let (base, digest) = base_context(site, e, strings, &site.editions[e].lang);
            digests.push(digest);
            base
        })
        .collect();
    let others = others
        .into_iter()
        .map(|(e, lang)| {
            let (base, digest) = base_context(site, e, &theme.strings_for(lang), lang);
            digests.push(digest);
            ((e, lang.to_string()), base)
        })
        .collect();
    let mut all = DefaultHasher::new();
    digests.hash(&mut all);
    Bases {
        editions,
        others,
        site_digest: digests[0],
        digest: all.finish(),
    }
}

/// The variables every template of a page of edition `e` in `lang` receives: the interface
/// strings and the taxonomies' titles in `lang`, typeset as its text is; the site's own words
/// in the edition's language, as they are.
fn base_context(
    site: &Site<'_>,
    e: usize,
    strings: &BTreeMap<String, String>,
    lang: &str,
) -> (tera::Context, u64) {
    let config = site.config;
    let edition = &site.editions[e];
    let language = &config.languages[e];
    // The site's own words are typeset like the posts they frame, in the edition's language.
    let french = config.french_spacing && crate::locale::is_french(&edition.lang);
    let typeset = |text: &str| crate::body::typography::typeset(text, french);
    let strings = &page_strings(strings, lang, config);
    let site_view = SiteView {
        title: typeset(&language.title),
        description: typeset(&language.description),
        author: &language.author,
        language: &edition.lang,
        base_url: config.base.url(),
        base_path: &config.base.path,
        home: config.base.link(&edition.prefix),
        search: config.search.then(|| {
            config.base.link(&format!(
                "{}{}",
                edition.prefix,
                crate::render::plan::SEARCH_PATH
            ))
        }),
        extra: &config.extra,
        // A taxonomy no public post uses gets no menu entry: it would lead to an empty page.
        taxonomies: edition
            .taxonomies
            .iter()
            .filter(|t| !t.terms.is_empty())
            .map(|t| taxonomy_view(&t.key, &t.path(), strings, config))
            .collect(),
        pages: edition
            .pages
            .iter()
            .map(|&i| PageLink {
                title: typeset(&site.pages[i].title),
                path: config.base.link(&site.pages[i].path),
            })
            .collect(),
        menu: language.menu.as_ref().or(config.menu.as_ref()).map(|menu| {
            menu.iter()
                .map(|entry| MenuLink {
                    title: typeset(&entry.title),
                    href: entry.to.link(&config.base),
                    external: entry.to.site_path().is_none(),
                })
                .collect()
        }),
        locale: crate::locale::og_locale(&edition.lang),
        image: language.image.as_deref().map(|i| image_url(i, "", config)),
        image_alt: language.image_alt.as_deref(),
        links_path: (!edition.links.is_empty()).then(|| {
            config.base.link(&format!(
                "{}{}",
                edition.prefix,
                crate::render::plan::LINKS_PATH
            ))
        }),
        highlight: config.highlight,
    };
    let base = BaseContext {
        site: site_view,
        t: strings,
        lang,
        build_year: chrono::Datelike::year(&site.clock.now().with_timezone(&config.zone)),
    };
    let mut digest = DefaultHasher::new();
    crate::render::prepare::hash_json(&base, &mut digest);
    let context = tera::Context::from_serialize(&base).expect("the shared variables serialize");
    (context, digest.finish())
}

/// A taxonomy whose list of terms is at site path `path`.
pub(crate) fn taxonomy_view(
    key: &str,
    path: &str,
    strings: &BTreeMap<String, String>,
    config: &Config,
) -> TaxonomyView {
    TaxonomyView {
        key: key.to_string(),
        title: taxonomy_title(key, strings),
        path: config.base.link(path),
    }
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
