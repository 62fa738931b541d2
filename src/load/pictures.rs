//! The images a post's body shows: which are the site's own JPEG and PNG files, and their size.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::images::{self, Format};
use crate::load::config::Config;

/// The site's own raster images a body shows, by URL as written, with their format and size
/// as shown.
pub(crate) type Pictures = BTreeMap<String, (Format, (u32, u32))>;

/// The site's own JPEG and PNG images of `body` (of the post at `source`), measured; one that
/// cannot be read is a problem naming it.
pub(crate) fn pictures(
    body: &str,
    config: &Config,
    bundle_dir: Option<&str>,
    source: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Pictures {
    let mut pictures = Pictures::new();
    // Most posts have no image: they cost one search or two, not a second parse.
    let markdown = body.contains("![").then(|| {
        pulldown_cmark::Parser::new(body).filter_map(|event| match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
    });
    let urls = markdown.into_iter().flatten().chain(gallery_images(body));
    for url in urls {
        let Some(format) = images::source_format(&url) else {
            continue;
        };
        if pictures.contains_key(&url) {
            continue;
        }
        let Some(file) = local_file(&url, config, bundle_dir) else {
            continue;
        };
        match images::probe_file(&file) {
            Ok(size) => {
                pictures.insert(url, (format, size));
            }
            Err(why) => problems.push(
                Diagnostic::input(format!("image `{url}` is {why}"))
                    .at(crate::error::relative(&config.root, &file))
                    .hint(format!(
                        "replace the file, or remove it from {}",
                        source.display()
                    )),
            ),
        }
    }
    pictures
}

/// The images a `[gallery]` shortcode of `body` lists in its `images` attribute (`a.jpg|b.jpg`),
/// found without parsing the shortcodes, which happens later: a wrong guess only costs a look
/// at a file.
fn gallery_images(body: &str) -> impl Iterator<Item = String> + '_ {
    // Every body is searched: the SIMD search keeps that a small part of reading it.
    memchr::memmem::find_iter(body.as_bytes(), b"[gallery").flat_map(move |at| {
        let tag = &body[at..];
        let tag = &tag[..tag.find(']').unwrap_or(tag.len())];
        let listed = ["images=\"", "images='"].iter().find_map(|open| {
            let start = tag.find(open)? + open.len();
            let quote = open.chars().last()?;
            let len = tag[start..].find(quote)?;
            Some(&tag[start..start + len])
        });
        listed
            .unwrap_or_default()
            .split('|')
            .map(|url| url.trim().to_string())
            .filter(|url| !url.is_empty())
            .collect::<Vec<_>>()
    })
}

/// The file of an image of `content/`, which is published at several widths, written as a URL
/// in a post: beside a bundle's page, or from the site root (`/images/x.png`). `None` for other
/// URLs, files of `static/` (copied as they are) and files that do not exist (the link checker
/// reports those).
fn local_file(url: &str, config: &Config, bundle_dir: Option<&str>) -> Option<PathBuf> {
    if url.contains("://")
        || url.starts_with("//")
        || url.contains("..")
        || url.contains(['?', '#'])
    {
        return None;
    }
    let file = match (url.strip_prefix('/'), bundle_dir) {
        (Some(rooted), _) => config.root.join("content").join(rooted),
        (None, Some(dir)) => config.root.join("content").join(dir).join(url),
        (None, None) => return None,
    };
    file.is_file().then_some(file)
}
