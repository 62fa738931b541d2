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
    // Most posts have no image: they cost one search, not a second parse.
    if !body.contains("![") {
        return pictures;
    }
    let parser = pulldown_cmark::Parser::new(body);
    for event in parser {
        let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) = event
        else {
            continue;
        };
        let Some(format) = images::source_format(&dest_url) else {
            continue;
        };
        if pictures.contains_key(dest_url.as_ref()) {
            continue;
        }
        let Some(file) = local_file(&dest_url, config, bundle_dir) else {
            continue;
        };
        let size = std::fs::read(&file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| images::probe(&bytes));
        match size {
            Ok(size) => {
                pictures.insert(dest_url.to_string(), (format, size));
            }
            Err(why) => problems.push(
                Diagnostic::input(format!("image `{dest_url}` is {why}"))
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
