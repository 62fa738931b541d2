//! Internal links of a text: which pages of the site it points at, so links to pages that are
//! not public (or do not exist) can be reported.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::load::config::BaseUrl;
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::site::public::Site;
use crate::site::schedule::Status;

/// A link of a text that points into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InternalLink {
    /// As written.
    pub(crate) written: String,
    /// Site path it resolves to, without leading slash: `posts/x/`.
    pub(crate) path: String,
    /// Byte offset of the link in the text.
    pub(crate) offset: usize,
}

/// A link or image of a text, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    /// The destination, as written.
    pub(crate) dest: String,
    /// Byte range of the link or image in the text.
    pub(crate) span: std::ops::Range<usize>,
    /// Whether it is an image.
    pub(crate) image: bool,
}

/// Every link and image of `markdown`, in text order.
pub(crate) fn links(markdown: &str) -> Vec<Link> {
    Parser::new_ext(markdown, crate::body::dialect::options())
        .into_offset_iter()
        .filter_map(|(event, span)| match event {
            // `<someone@example.org>` is an e-mail address, which Markdown links with `mailto:`.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => Some(Link {
                dest: format!("mailto:{dest_url}"),
                span,
                image: false,
            }),
            Event::Start(Tag::Link { dest_url, .. }) => Some(Link {
                dest: dest_url.to_string(),
                span,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => Some(Link {
                dest: dest_url.to_string(),
                span,
                image: true,
            }),
            _ => None,
        })
        .collect()
}

/// The links and images of `markdown` that point into the site, resolved from the page at
/// `page_path`. Links to other sites, `mailto:` and same-page anchors are left out.
pub(crate) fn internal_links(markdown: &str, page_path: &str, base: &BaseUrl) -> Vec<InternalLink> {
    links(markdown)
        .into_iter()
        .filter_map(|link| {
            let path = resolve(&link.dest, page_path, base)?;
            Some(InternalLink {
                written: link.dest,
                path,
                offset: link.span.start,
            })
        })
        .collect()
}

/// The site path a link leads to, or None when it leaves the site.
pub(crate) fn resolve(dest: &str, page_path: &str, base: &BaseUrl) -> Option<String> {
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    if dest.is_empty() {
        return None;
    }
    let rooted = if let Some(rest) = dest.strip_prefix(&base.url()) {
        format!("/{rest}")
    } else if dest.starts_with("//") || dest.contains(':') {
        return None;
    } else if let Some(rest) = dest.strip_prefix('/') {
        // Writers link from the site root; on a site under /blog/ both forms are seen.
        let inside = rest
            .strip_prefix(base.path.trim_start_matches('/'))
            .filter(|_| base.path != "/");
        format!("/{}", inside.unwrap_or(rest))
    } else {
        format!("/{page_path}{dest}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in rooted.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if segment == ".." {
            parts.pop()?;
        } else {
            parts.push(segment);
        }
    }
    let mut path = parts.join("/");
    let is_file = parts.last().is_some_and(|last| last.contains('.'));
    if let Some(dir) = path.strip_suffix("index.html") {
        path = dir.to_string();
    } else if !is_file && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// Links from public posts to posts that are not public at `now` (drafts, scheduled or expired):
/// a warning naming both files each.
pub(crate) fn unpublished_links(
    site: &Site<'_>,
    corpus: &Corpus,
    now: DateTime<Utc>,
) -> Vec<Diagnostic> {
    let by_path = corpus.by_path();
    let public = site.paths();
    // A link can only reach a page by naming the last segment of its path: texts that name no
    // page out of public view (most sites have a few drafts at most) need no Markdown parse.
    let hidden: Vec<&str> = by_path
        .keys()
        .filter(|path| !public.contains(*path))
        .filter_map(|path| path.trim_end_matches('/').rsplit('/').next())
        .filter(|segment| !segment.is_empty())
        .collect();
    if hidden.is_empty() {
        return Vec::new();
    }
    let names = aho_corasick::AhoCorasick::new(&hidden).expect("plain strings make a matcher");
    let sources: Vec<&Post> = site.posts.iter().chain(&site.pages).copied().collect();
    sources
        .par_iter()
        .filter(|post| names.is_match(post.body.text().as_str()))
        .flat_map_iter(|post| {
            internal_links(&post.body.text(), &post.path, &site.config.base)
                .into_iter()
                .filter(|link| !public.contains(link.path.as_str()))
                .filter_map(|link| {
                    let target = by_path.get(link.path.as_str())?;
                    let status = Status::of(target, now);
                    Some(
                        Diagnostic::input(format!(
                            "links to {}, which is {} ({})",
                            link.written,
                            status.describe(),
                            target.source.display()
                        ))
                        .at(&post.source)
                        .hint("readers would find no page there: remove the link or publish the post first"),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_into_the_site() {
        let base = BaseUrl::parse("https://e.org/blog/").unwrap();
        let r = |d| resolve(d, "posts/a/", &base);
        assert_eq!(r("/posts/b/").as_deref(), Some("posts/b/"));
        assert_eq!(r("/blog/posts/b").as_deref(), Some("posts/b/"));
        assert_eq!(
            r("https://e.org/blog/posts/b/#x").as_deref(),
            Some("posts/b/")
        );
        assert_eq!(r("../b/").as_deref(), Some("posts/b/"));
        assert_eq!(r("cover.png").as_deref(), Some("posts/a/cover.png"));
        assert_eq!(r("/posts/b/index.html").as_deref(), Some("posts/b/"));
        assert_eq!(r("https://other.org/x"), None);
        assert_eq!(r("mailto:a@b.c"), None);
        assert_eq!(r("#note"), None);
        assert_eq!(r("../../../../x"), None);
    }

    #[test]
    fn finds_links_and_images() {
        let base = BaseUrl::parse("https://e.org/").unwrap();
        let links = internal_links(
            "[a](/posts/b/) ![i](x.png) [e](https://o.org/) <someone@example.org>",
            "posts/a/",
            &base,
        );
        let paths: Vec<&str> = links.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(paths, ["posts/b/", "posts/a/x.png"]);
    }
}
