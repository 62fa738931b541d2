//! A post's media: the uploads it shows, copied beside it from the uploads folder of a backup
//! or fetched from the old site, never read from outside the folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::import::Report;
use crate::import::download::Downloader;
use crate::slug;

/// Where media are found.
pub(crate) struct Sources<'a> {
    /// The `wp-content/uploads` folder of a backup.
    pub(crate) uploads: Option<&'a Path>,
    /// Fetches what the folder lacks from the old site (`--download-media`).
    pub(crate) download: Option<&'a Downloader>,
    /// The old blog's address, for root-relative links.
    pub(crate) site_url: &'a str,
}

/// A post's media: the uploads it refers to, copied beside it when the uploads folder has them.
#[derive(Default)]
pub(crate) struct Media {
    /// File name in the bundle, and where it comes from.
    pub(crate) copies: BTreeMap<String, PathBuf>,
}

impl Media {
    /// The name under which `url` is linked from the post: a file of the bundle when the
    /// uploads folder has it (a resized copy falls back to its original), else the URL.
    pub(crate) fn take(&mut self, url: &str, sources: &Sources<'_>, report: &mut Report) -> String {
        let Some(relative) = upload_path(url) else {
            return url.to_string();
        };
        let found = match sources.uploads {
            None => None,
            Some(dir) => match inside(dir, &relative) {
                Ok(found) => found,
                Err(why) => {
                    report.refused.push(format!("{url}: {why}"));
                    return url.to_string();
                }
            },
        };
        // A root-relative address pointed into the old site.
        let url = match url.starts_with('/') && !url.starts_with("//") {
            true => format!("{}{url}", sources.site_url),
            false => url.to_string(),
        };
        // The bundle's file is named as the upload was (the original, for a resized copy).
        let file_name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
        let (found, why) = match (found, sources.download) {
            (Some(source), _) => (file_name(&source).map(|n| (source, n)), None),
            (None, Some(downloader)) => match downloader.fetch(&url) {
                Ok(source) => {
                    let wanted = relative.rsplit('/').next().unwrap_or(&relative);
                    (Some((source, wanted.to_string())), None)
                }
                Err(why) => (None, Some(why)),
            },
            (None, None) => (None, None),
        };
        match found {
            Some((source, wanted)) => {
                let name = self.name_for(&source, &wanted);
                self.copies.insert(name.clone(), source);
                name
            }
            None => {
                let listed = match why {
                    Some(why) => format!("{url} ({why})"),
                    None => url.clone(),
                };
                if !report.missing.contains(&listed) {
                    report.missing.push(listed);
                }
                url
            }
        }
    }

    /// The bundle's name for the file `source`, which the post knew as `wanted`: made safe, and
    /// told apart from another upload of the same name (`2011/02/a.jpg` and `2012/05/a.jpg`).
    fn name_for(&self, source: &Path, wanted: &str) -> String {
        let mut name = safe_file_name(wanted);
        // A Markdown or TOML file would be read as a page or as comments, not copied.
        if [".md", ".markdown", ".toml"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(ext))
        {
            name.push_str(".txt");
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_string(), format!(".{ext}")),
            None => (name.clone(), String::new()),
        };
        let mut n = 2;
        while self.copies.get(&name).is_some_and(|s| s != source)
            || RESERVED_NAMES.contains(&name.as_str())
        {
            name = format!("{stem}-{n}{ext}");
            n += 1;
        }
        name
    }

    /// `body` with each link to an upload pointing at its copy.
    pub(crate) fn rewrite(
        &mut self,
        body: &str,
        sources: &Sources<'_>,
        report: &mut Report,
    ) -> String {
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(at) = rest.find("/wp-content/uploads/") {
            let start = rest[..at]
                .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '\'' | '<' | '='))
                .map_or(0, |s| s + 1);
            let end = rest[at..]
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>' | '|' | ']')
                })
                .map_or(rest.len(), |e| at + e);
            let url = &rest[start..end];
            out.push_str(&rest[..start]);
            if url.starts_with("http") || url.starts_with('/') {
                let taken = self.take(url, sources, report);
                out.push_str(&taken);
            } else {
                out.push_str(url);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

/// Names a bundle's media file may not take: the post's own files.
const RESERVED_NAMES: [&str; 2] = ["index.md", "comments.toml"];

/// The path of an upload under the uploads folder, from its URL: what follows
/// `/wp-content/uploads/`, or the path of a WordPress.com file address
/// (`https://blog.files.wordpress.com/2011/02/a.jpg`); percent-escapes decoded, query and
/// fragment dropped. `None` for any other URL.
fn upload_path(url: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let relative = match url.split_once("/wp-content/uploads/") {
        Some((_, relative)) => relative,
        None => {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))?;
            let (host, path) = rest.split_once('/')?;
            if !host.ends_with(".files.wordpress.com") {
                return None;
            }
            path
        }
    };
    let decoded = percent_encoding::percent_decode_str(relative).decode_utf8_lossy();
    Some(decoded.into_owned())
}

/// The file at `relative` under the uploads folder `dir`, or its original size; `Ok(None)`
/// when neither exists; an error when the path would lead outside the folder (`..`, an
/// absolute path, a symbolic link to elsewhere), which is never read.
fn inside(dir: &Path, relative: &str) -> Result<Option<PathBuf>, String> {
    let escapes = relative.starts_with(['/', '\\'])
        || relative.contains('\\')
        || relative.contains('\0')
        || Path::new(relative).components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if escapes {
        return Err("the path leads outside the uploads folder: not read".to_string());
    }
    let root = dir
        .canonicalize()
        .map_err(|e| format!("the uploads folder cannot be read: {e}"))?;
    for candidate in [relative.to_string(), original_size(relative)] {
        let path = dir.join(&candidate);
        if !path.is_file() {
            continue;
        }
        let real = path
            .canonicalize()
            .map_err(|e| format!("the file cannot be read: {e}"))?;
        if !real.starts_with(&root) {
            return Err(
                "the file is a link to a place outside the uploads folder: not read".to_string(),
            );
        }
        return Ok(Some(real));
    }
    Ok(None)
}

/// A file name a bundle can hold and a URL can carry: no separators, no leading dot, no
/// control characters, at most [`slug::MAX_SEGMENT`] bytes (the extension kept).
fn safe_file_name(name: &str) -> String {
    let mut clean: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '-'
            } else {
                c
            }
        })
        .collect();
    while clean.starts_with('.') {
        clean.remove(0);
    }
    if clean.len() > slug::MAX_SEGMENT {
        let (stem, ext) = clean.rsplit_once('.').unwrap_or((clean.as_str(), ""));
        let keep = slug::MAX_SEGMENT.saturating_sub(ext.len() + 1);
        let mut cut = keep.min(stem.len());
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        clean = format!("{}.{ext}", &stem[..cut]);
    }
    if clean.is_empty() {
        "media".to_string()
    } else {
        clean
    }
}

/// `2011/02/board-1024x683.jpg` as `2011/02/board.jpg`: WordPress's resized copies.
fn original_size(path: &str) -> String {
    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
    if let Some((base, size)) = stem.rsplit_once('-')
        && let Some((w, h)) = size.split_once('x')
        && !w.is_empty()
        && !h.is_empty()
        && w.bytes().chain(h.bytes()).all(|b| b.is_ascii_digit())
    {
        return format!("{base}.{ext}");
    }
    path.to_string()
}

/// Whether an attachment's address is an image a gallery shows (not a PDF or a sound).
pub(crate) fn is_image(url: &str) -> bool {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resized_copies_fall_back_to_their_original() {
        assert_eq!(original_size("2011/02/t-e-1024x683.jpg"), "2011/02/t-e.jpg");
        assert_eq!(original_size("2011/02/atelier.jpg"), "2011/02/atelier.jpg");
    }
}
