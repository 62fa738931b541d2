//! RSS 2.0, Atom 1.0 and JSON Feed 1.1, written from the same items.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::body::markdown::{self, Rendered};
use crate::load::config::{Config, FeedFormat};
use crate::load::post::Post;

/// One feed: its channel data and its newest items.
pub(crate) struct FeedInput<'a> {
    /// Feed title.
    pub(crate) title: String,
    /// The language it is in, with the site's title, description and author in it.
    pub(crate) language: &'a crate::load::config::Language,
    /// Absolute URL of the HTML page the feed follows.
    pub(crate) home_url: String,
    /// Absolute URL of the feed itself.
    pub(crate) self_url: String,
    /// Items, newest first, already cut to the configured limit, each with its feed HTML
    /// (see [`item_html`]).
    pub(crate) items: Vec<(&'a Post, &'a str)>,
    /// Used when there are no items: the build clock, so output stays reproducible.
    pub(crate) fallback_updated: DateTime<FixedOffset>,
}

/// A post's body as feeds carry it: full or summary as configured, without page furniture,
/// every link absolute. The same for every feed the post is in, so it is made once.
pub(crate) fn item_html(post: &Post, rendered: &Rendered, config: &Config) -> String {
    let body = if config.feeds.full_content {
        &rendered.html
    } else {
        &rendered.summary
    };
    let body = markdown::strip_decorative(body);
    markdown::absolutize(
        &body,
        &config.base.origin,
        &config.base.absolute(&post.path),
    )
}

struct Item<'a> {
    post: &'a Post,
    url: String,
    html: &'a str,
    published: DateTime<FixedOffset>,
    updated: DateTime<FixedOffset>,
}

/// The feed in `format`.
pub(crate) fn write(format: FeedFormat, feed: &FeedInput<'_>, config: &Config) -> Vec<u8> {
    let items: Vec<Item<'_>> = feed
        .items
        .iter()
        .map(|(post, html)| {
            let url = config.base.absolute(&post.path);
            let published = post.date.unwrap_or(feed.fallback_updated);
            Item {
                html,
                url,
                published,
                updated: post.updated.unwrap_or(published).max(published),
                post,
            }
        })
        .collect();
    // The newest change among the items, never the wall clock: rebuilding unchanged content
    // must give the same bytes.
    let updated = items
        .iter()
        .map(|i| i.updated)
        .max()
        .unwrap_or(feed.fallback_updated);
    match format {
        FeedFormat::Rss => rss(feed, &items, updated, config),
        FeedFormat::Atom => atom(feed, &items, updated, config),
        FeedFormat::Json => json(feed, &items, config).into_bytes(),
    }
}

/// About the size of an XML feed of `items`: their HTML, escaped (each `<` and `>` takes four
/// bytes), and the elements around it. Written into a buffer of that size, a feed of full posts
/// is not copied again each time it outgrows it.
fn written_size(items: &[Item<'_>]) -> usize {
    items
        .iter()
        .map(|i| i.html.len() * 5 / 4 + 1024)
        .sum::<usize>()
        + 4096
}

fn authors<'a>(post: &'a Post, site_author: &'a str) -> Vec<&'a str> {
    if post.authors.is_empty() && !site_author.is_empty() {
        vec![site_author]
    } else {
        post.authors.iter().map(String::as_str).collect()
    }
}

fn terms<'a>(post: &'a Post, config: &'a Config) -> impl Iterator<Item = &'a String> {
    config
        .taxonomies
        .iter()
        .filter_map(|k| post.taxonomies.get(k))
        .flatten()
}

fn rss(
    feed: &FeedInput<'_>,
    items: &[Item<'_>],
    updated: DateTime<FixedOffset>,
    config: &Config,
) -> Vec<u8> {
    // The self link RSS readers expect is an Atom element; written as an extension so the
    // rss crate needs no Atom support of its own.
    let self_link = rss::extension::Extension {
        name: "atom:link".to_string(),
        attrs: [
            ("href".to_string(), feed.self_url.clone()),
            ("rel".to_string(), "self".to_string()),
            ("type".to_string(), FeedFormat::Rss.mime().to_string()),
        ]
        .into(),
        ..Default::default()
    };
    let channel = rss::Channel {
        title: feed.title.clone(),
        link: feed.home_url.clone(),
        description: if feed.language.description.is_empty() {
            feed.language.title.clone()
        } else {
            feed.language.description.clone()
        },
        language: Some(feed.language.code.clone()),
        last_build_date: Some(updated.to_rfc2822()),
        generator: Some("Tribune".to_string()),
        namespaces: [(
            "atom".to_string(),
            "http://www.w3.org/2005/Atom".to_string(),
        )]
        .into(),
        extensions: [(
            "atom".to_string(),
            [("link".to_string(), vec![self_link])].into(),
        )]
        .into(),
        items: items
            .iter()
            .map(|i| rss::Item {
                title: Some(i.post.title.clone()),
                // A curated link points readers at its source; the guid keeps the permalink.
                link: Some(i.post.link.clone().unwrap_or_else(|| i.url.clone())),
                description: Some(i.html.to_string()),
                guid: Some(rss::Guid {
                    value: i.url.clone(),
                    permalink: true,
                }),
                pub_date: Some(i.published.to_rfc2822()),
                categories: terms(i.post, config)
                    .map(|t| rss::Category {
                        name: t.clone(),
                        domain: None,
                    })
                    .collect(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    // Written as bytes: a feed of full posts weighs hundreds of kilobytes, and its text form
    // would be checked and copied once more.
    let mut out = channel
        .write_to(Vec::with_capacity(written_size(items)))
        .expect("writing a feed to memory cannot fail");
    out.push(b'\n');
    out
}

/// The Atom feed. Written with quick-xml rather than a feed crate: each entry's HTML goes into
/// CDATA sections, as RSS's does, instead of being escaped byte by byte (the costliest part of
/// a feed of full posts), and nothing is copied into a feed's structure first.
fn atom(
    feed: &FeedInput<'_>,
    items: &[Item<'_>],
    updated: DateTime<FixedOffset>,
    config: &Config,
) -> Vec<u8> {
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(written_size(items)));
    write_atom(&mut writer, feed, items, updated, config)
        .expect("writing a feed to memory cannot fail");
    let mut out = writer.into_inner();
    out.push(b'\n');
    out
}

/// Writes [`atom`]'s feed, its elements in the order of RFC 4287's schema.
fn write_atom(
    w: &mut quick_xml::Writer<Vec<u8>>,
    feed: &FeedInput<'_>,
    items: &[Item<'_>],
    updated: DateTime<FixedOffset>,
    config: &Config,
) -> std::io::Result<()> {
    use quick_xml::events::{BytesCData, BytesDecl, BytesText, Event};
    type W = quick_xml::Writer<Vec<u8>>;
    fn text(w: &mut W, name: &str, value: &str) -> std::io::Result<()> {
        w.create_element(name)
            .write_text_content(BytesText::new(value))?;
        Ok(())
    }
    fn link(w: &mut W, href: &str, rel: &str, mime: Option<&str>) -> std::io::Result<()> {
        let element = w
            .create_element("link")
            .with_attribute(("href", href))
            .with_attribute(("rel", rel));
        match mime {
            Some(mime) => element.with_attribute(("type", mime)).write_empty()?,
            None => element.write_empty()?,
        };
        Ok(())
    }
    fn author(w: &mut W, name: &str) -> std::io::Result<()> {
        w.create_element("author")
            .write_inner_content(|w| text(w, "name", name))?;
        Ok(())
    }
    w.write_event(Event::Decl(BytesDecl::new("1.0", None, None)))?;
    w.get_mut().push(b'\n');
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xml:lang", feed.language.code.as_str()))
        .write_inner_content(|w| {
            text(w, "title", &feed.title)?;
            text(w, "id", &feed.self_url)?;
            text(w, "updated", &updated.to_rfc3339())?;
            // Atom requires an author for every entry; with no author named, the site signs.
            author(
                w,
                if feed.language.author.is_empty() {
                    &feed.language.title
                } else {
                    &feed.language.author
                },
            )?;
            text(w, "generator", "Tribune")?;
            link(w, &feed.self_url, "self", Some(FeedFormat::Atom.mime()))?;
            link(w, &feed.home_url, "alternate", Some("text/html"))?;
            if !feed.language.description.is_empty() {
                text(w, "subtitle", &feed.language.description)?;
            }
            for i in items {
                w.create_element("entry").write_inner_content(|w| {
                    text(w, "title", &i.post.title)?;
                    text(w, "id", &i.url)?;
                    text(w, "updated", &i.updated.to_rfc3339())?;
                    for name in authors(i.post, &feed.language.author) {
                        author(w, name)?;
                    }
                    for term in terms(i.post, config) {
                        w.create_element("category")
                            .with_attribute(("term", crate::slug::slugify(term).as_str()))
                            .with_attribute(("label", term.as_str()))
                            .write_empty()?;
                    }
                    match &i.post.link {
                        Some(source) => {
                            link(w, source, "alternate", None)?;
                            link(w, &i.url, "related", Some("text/html"))?;
                        }
                        None => link(w, &i.url, "alternate", Some("text/html"))?,
                    }
                    text(w, "published", &i.published.to_rfc3339())?;
                    if let Some(description) = &i.post.description {
                        text(w, "summary", description)?;
                    }
                    let content = w.create_element("content");
                    let content = match &i.post.lang {
                        Some(lang) => content.with_attribute(("xml:lang", lang.as_str())),
                        None => content,
                    };
                    content
                        .with_attribute(("type", "html"))
                        .write_inner_content(|w| {
                            // A `]]>` in the text ends one section and opens the next.
                            for section in BytesCData::escaped(i.html) {
                                w.write_event(Event::CData(section))?;
                            }
                            Ok(())
                        })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_url: Option<&'a str>,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

fn json(feed: &FeedInput<'_>, items: &[Item<'_>], config: &Config) -> String {
    let out = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.home_url,
        feed_url: &feed.self_url,
        description: (!feed.language.description.is_empty())
            .then_some(feed.language.description.as_str()),
        language: &feed.language.code,
        authors: if feed.language.author.is_empty() {
            vec![]
        } else {
            vec![JsonAuthor {
                name: &feed.language.author,
            }]
        },
        items: items
            .iter()
            .map(|i| JsonItem {
                id: &i.url,
                url: &i.url,
                external_url: i.post.link.as_deref(),
                title: &i.post.title,
                content_html: i.html,
                summary: i.post.description.as_deref(),
                image: i
                    .post
                    .image
                    .as_deref()
                    .map(|img| crate::render::context::image_url(img, &i.post.path, config)),
                date_published: i.published.to_rfc3339(),
                date_modified: i.post.updated.map(|u| u.to_rfc3339()),
                authors: authors(i.post, &feed.language.author)
                    .into_iter()
                    .map(|name| JsonAuthor { name })
                    .collect(),
                tags: terms(i.post, config).map(String::as_str).collect(),
                language: i.post.lang.as_deref(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("feeds serialize");
    text.push('\n');
    text
}
