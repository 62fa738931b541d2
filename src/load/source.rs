//! Walks `content/` and reads every file, checking UTF-8 and normalising line ends.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{self, Diagnostic, Result};

/// Where content lives, under the site root.
pub(crate) const CONTENT_DIR: &str = "content";
/// Where posts live, under `content/`.
pub(crate) const POSTS_DIR: &str = "posts";

/// Whether a Markdown file is a dated post or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SourceKind {
    /// Under `content/posts/`.
    Post,
    /// Anywhere else under `content/`.
    Page,
}

/// A Markdown file read from `content/`.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the site root, for messages: `content/posts/x.md`.
    pub(crate) path: PathBuf,
    /// Path relative to `content/`, with `/` separators: `posts/x.md`.
    pub(crate) content_path: String,
    /// Post or page.
    pub(crate) kind: SourceKind,
    /// Whether the file is a bundle's `index.md`, whose folder holds its assets.
    pub(crate) bundle: bool,
    /// Text with the byte-order mark removed and line ends as `\n`.
    pub(crate) text: String,
    /// The post's or page's comments file, when it has one: its path relative to the site
    /// root, and its text.
    pub(crate) comments: Option<(PathBuf, String)>,
}

/// A file copied as is: a bundle's image, or any non-Markdown file under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    /// Absolute path on disk.
    pub(crate) source: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub(crate) content_path: String,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub(crate) struct Content {
    /// Markdown files, sorted by path.
    pub(crate) files: Vec<SourceFile>,
    /// Other files, sorted by path.
    pub(crate) assets: Vec<Asset>,
    /// Comments files beside no post or page (relative to the site root), sorted.
    pub(crate) stray_comments: Vec<PathBuf>,
}

/// Hidden files and folders a site publishes from the top of its `static/` folder (or its
/// theme's): the well-known locations of RFC 8615, where browsers, hosts and other servers look
/// for `security.txt`, Mastodon's and Matrix's discovery files and domain proofs; Apache's
/// `.htaccess`; and the files GitHub Pages (`.nojekyll`) and Codeberg Pages (`.domains`) read.
pub(crate) const PUBLISHED_HIDDEN: [&str; 4] =
    [".well-known", ".htaccess", ".nojekyll", ".domains"];

/// Whether a file or folder, named by its path from the site's root or from a theme's folder
/// (`static/.well-known/x`), is left out of the build: what [`is_ignored`] leaves out anywhere
/// along it, but [`PUBLISHED_HIDDEN`] at the top of `static/`.
pub(crate) fn is_left_out<'a>(path: impl IntoIterator<Item = &'a str>) -> bool {
    let mut in_static = false;
    path.into_iter().enumerate().any(|(depth, name)| {
        in_static |= depth == 0 && name == "static";
        is_ignored(name) && !(in_static && depth == 1 && PUBLISHED_HIDDEN.contains(&name))
    })
}

/// Editors' swap, backup and lock files, and hidden files: never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// A Markdown file found under `content/`, not read yet.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Absolute path.
    pub(crate) abs: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub(crate) content_path: String,
    /// Its comments file, when there is one (absolute path).
    pub(crate) comments: Option<PathBuf>,
}

/// What `content/` holds, by name only.
#[derive(Debug, Clone, Default)]
pub(crate) struct Listing {
    /// Markdown files, sorted by path.
    pub(crate) markdown: Vec<Found>,
    /// Other files, sorted by path.
    pub(crate) assets: Vec<Asset>,
    /// Comments files beside no post or page (relative to the site root), sorted.
    pub(crate) stray_comments: Vec<PathBuf>,
}

/// Reads `root/content/`; a site without it simply has no content.
pub(crate) fn load(root: &Path) -> Result<Content> {
    let listing = scan(root)?;
    let files = error::collect(
        listing
            .markdown
            .into_par_iter()
            .map(|found| {
                read(
                    root,
                    &found.abs,
                    found.content_path,
                    found.comments.as_deref(),
                )
            })
            .collect::<Vec<_>>(),
    )?;
    Ok(Content {
        files,
        assets: listing.assets,
        stray_comments: listing.stray_comments,
    })
}

/// Lists `root/content/` without reading the files.
pub(crate) fn scan(root: &Path) -> Result<Listing> {
    let dir = root.join(CONTENT_DIR);
    let mut listing = Listing::default();
    let mut comments = std::collections::HashSet::new();
    if !dir.is_dir() {
        return Ok(listing);
    }
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map(|p| error::relative(root, p))
                .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
            Diagnostic::input(format!("cannot read: {e}"))
                .at(path)
                .as_io()
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let content_path = slash_path(
            entry
                .path()
                .strip_prefix(&dir)
                .expect("walked under content/"),
        );
        if is_comments(&content_path) {
            // Read with their post, never copied to the site.
            comments.insert(entry.into_path());
            continue;
        }
        if content_path.ends_with(".md") {
            listing.markdown.push(Found {
                abs: entry.into_path(),
                content_path,
                comments: None,
            });
        } else {
            listing.assets.push(Asset {
                source: entry.into_path(),
                content_path,
            });
        }
    }
    if !comments.is_empty() {
        for found in &mut listing.markdown {
            found.comments = beside(&found.abs).filter(|c| comments.remove(c));
        }
        let mut strays: Vec<PathBuf> = comments
            .into_iter()
            .map(|c| error::relative(root, &c))
            .collect();
        strays.sort();
        listing.stray_comments = strays;
    }
    Ok(listing)
}

/// Reads one Markdown file found by [`scan`], and its comments file when it has one.
pub(crate) fn read(
    root: &Path,
    abs: &Path,
    content_path: String,
    comments: Option<&Path>,
) -> Result<SourceFile> {
    let path = error::relative(root, abs);
    let text = decode(read_text_input(abs, &path)?).map_err(|d| d.at(&path))?;
    let kind = if content_path.starts_with(&format!("{POSTS_DIR}/")) {
        SourceKind::Post
    } else {
        SourceKind::Page
    };
    let bundle = kind == SourceKind::Post && content_path.ends_with("/index.md");
    // Most posts have no comments: the listing says so, without asking the file system.
    let comments = match comments {
        // Gone since the listing: no comments, as if it had never been.
        Some(file) if !file.exists() => None,
        Some(file) => {
            let shown = error::relative(root, file);
            let text = decode(read_text_input(file, &shown)?).map_err(|d| d.at(&shown))?;
            Some((shown, text))
        }
        None => None,
    };
    Ok(SourceFile {
        path,
        content_path,
        kind,
        bundle,
        text,
        comments,
    })
}

/// The most bytes a text input (a post, a page, its comments, a template, `site.toml`) may
/// have: ten times a long novel, and still read and rendered in about a second.
pub(crate) const TEXT_LIMIT: u64 = 16 * 1024 * 1024;

/// The bytes of the text input at `abs` (shown as `shown`), refused past [`TEXT_LIMIT`] before
/// they are read.
pub(crate) fn read_text_input(abs: &Path, shown: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |e: &std::io::Error| Diagnostic::io(shown, "read", e);
    let file = std::fs::File::open(abs).map_err(|e| io(&e))?;
    // Sized from the start: grown by doubling, a post's buffer is copied at each step and
    // ends with up to twice its bytes reserved.
    let size = file.metadata().map_or(0, |m| m.len()).min(TEXT_LIMIT + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // A file that grows while it is read is held to the limit too.
    file.take(TEXT_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(&e))?;
    if bytes.len() as u64 > TEXT_LIMIT {
        let size = std::fs::metadata(abs).map_or(bytes.len() as u64, |m| m.len());
        return Err(Diagnostic::input(format!(
            "the file is {} MB; a text file may have at most {} MB",
            size.div_ceil(1024 * 1024),
            TEXT_LIMIT / (1024 * 1024)
        ))
        .at(shown)
        .hint("split it, or move what it holds into static/ and link to it")
        .into());
    }
    Ok(bytes)
}

/// UTF-8 text without a byte-order mark and with `\n` line ends.
pub(crate) fn decode(bytes: Vec<u8>) -> std::result::Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..good].iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::input("the file is not valid UTF-8")
            .line(line)
            .hint("save the file as UTF-8 in your editor")
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    // Old Mac files end lines with a lone `\r`.
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if let Some((at, c)) = forbidden_char(&text) {
        let line = text[..at].matches('\n').count() + 1;
        return Err(Diagnostic::input(format!(
            "the file holds a control character (U+{:04X}) that pages and feeds cannot carry",
            u32::from(c)
        ))
        .line(line)
        .hint("delete it: such characters are invisible in most editors"));
    }
    Ok(text)
}

/// The first character of `text` that XML 1.0 cannot carry (a control character other than
/// tab and line ends, or U+FFFE, U+FFFF), with its byte offset.
pub(crate) fn forbidden_char(text: &str) -> Option<(usize, char)> {
    // A byte scan: every file of a site passes here, and these characters are rare.
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        // Runs with no byte to look at are passed eight bytes at a time, where a byte at a
        // time took a test each; a word that may hold one (a line end does) is read byte by byte.
        while let Some(word) = bytes.get(from..from + CHUNK)
            && !may_hold_forbidden(u64::from_le_bytes(word.try_into().expect("eight bytes")))
        {
            from += CHUNK;
        }
        let end = (from + CHUNK).min(bytes.len());
        let Some(found) = bytes[from..end].iter().position(|&b| may_be_forbidden(b)) else {
            if end == bytes.len() {
                return None;
            }
            from = end;
            continue;
        };
        let at = from + found;
        match bytes[at] {
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
            0xEF if bytes.get(at + 1) == Some(&0xBF)
                && matches!(bytes.get(at + 2), Some(0xBE | 0xBF)) =>
            {
                return text[at..].chars().next().map(|c| (at, c));
            }
            0xEF => from = at + 1,
            b => return Some((at, char::from(b))),
        }
    }
}

/// Bytes [`forbidden_char`] tests at once.
const CHUNK: usize = 8;

/// Whether the eight bytes of `word` may hold one [`forbidden_char`] stops at: true for any
/// byte below 0x20 or equal to 0xEF (and, with one, at times for the bytes after it).
const fn may_hold_forbidden(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // A byte below n: subtracting n borrows into its high bit, which was clear.
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS;
    let xored = word ^ (ONES * 0xEF);
    let ef = xored.wrapping_sub(ONES) & !xored & HIGH_BITS;
    below_space | ef != 0
}

/// Whether [`forbidden_char`] stops at byte `b`: a control character but tab and line ends,
/// or 0xEF, which U+FFFE and U+FFFF start with.
const fn may_be_forbidden(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF
}

// Readers' comments live beside their post or page, under names of their own.

/// The comments file of a bundle, or of a page written as a folder's `index.md`.
pub(crate) const BUNDLE_FILE: &str = "comments.toml";
/// The suffix of the comments file of a single-file post or page.
pub(crate) const SUFFIX: &str = ".comments.toml";

/// Whether a content path (`posts/x/comments.toml`, `posts/x.comments.toml`) is comments.
pub(crate) fn is_comments(content_path: &str) -> bool {
    content_path.ends_with(SUFFIX)
        || content_path == BUNDLE_FILE
        || content_path.ends_with(&format!("/{BUNDLE_FILE}"))
}

/// The comments file of the Markdown file `md` (any path form).
pub(crate) fn beside(md: &Path) -> Option<PathBuf> {
    let name = md.file_name()?.to_str()?;
    if name == "index.md" {
        Some(md.with_file_name(BUNDLE_FILE))
    } else {
        let stem = name.strip_suffix(".md")?;
        Some(md.with_file_name(format!("{stem}{SUFFIX}")))
    }
}

/// The Markdown file a comments file belongs to.
pub(crate) fn owner(comments: &Path) -> Option<PathBuf> {
    let name = comments.file_name()?.to_str()?;
    if name == BUNDLE_FILE {
        Some(comments.with_file_name("index.md"))
    } else {
        let stem = name.strip_suffix(SUFFIX)?;
        Some(comments.with_file_name(format!("{stem}.md")))
    }
}

/// A relative path with `/` separators, whatever the platform.
pub(crate) fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_crlf() {
        assert_eq!(
            decode(b"\xef\xbb\xbf+++\r\ntitle = \"x\"\r\n".to_vec()).unwrap(),
            "+++\ntitle = \"x\"\n"
        );
    }

    #[test]
    fn names_the_line_of_bad_utf8() {
        let d = decode(b"ok\nok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("UTF-8"));
    }

    #[test]
    fn ignores_editor_files() {
        for name in [".post.md.swp", "post.md~", "4913", ".#post.md", "#post.md#"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("post.md"));
    }

    #[test]
    fn pairs_files() {
        assert_eq!(
            beside(Path::new("p/x/index.md")).unwrap(),
            Path::new("p/x/comments.toml")
        );
        assert_eq!(
            beside(Path::new("p/x.md")).unwrap(),
            Path::new("p/x.comments.toml")
        );
        assert_eq!(
            owner(Path::new("p/x.comments.toml")).unwrap(),
            Path::new("p/x.md")
        );
        assert!(is_comments("posts/x/comments.toml") && !is_comments("posts/x/a.toml"));
    }

    #[test]
    fn only_the_hidden_files_static_publishes_from_its_top_are_kept() {
        let left_out = |path: &str| is_left_out(path.split('/'));
        for kept in [
            "static/.well-known/security.txt",
            "static/.htaccess",
            "static/.nojekyll",
            "static/.domains",
            "static/css/a.css",
            "content/posts/a.md",
        ] {
            assert!(!left_out(kept), "{kept}");
        }
        for out in [
            "static/.env",
            "static/.git/config",
            "static/.well-known/.x.swp",
            "static/css/.htaccess",
            "static/css/static/.htaccess",
            "content/.well-known/x.md",
            "templates/static/.well-known/x",
            ".well-known/x",
            "content/posts/#a.md#",
        ] {
            assert!(left_out(out), "{out}");
        }
    }

    #[test]
    fn finds_what_xml_cannot_carry() {
        assert_eq!(forbidden_char("tab\tand\nlines\r\n"), None);
        assert_eq!(forbidden_char("ｅ and \u{FFFD} are fine"), None);
        assert_eq!(forbidden_char("a\u{7}b"), Some((1, '\u{7}')));
        assert_eq!(forbidden_char("été\u{FFFE}"), Some((5, '\u{FFFE}')));
        assert_eq!(forbidden_char("\u{FFFF}"), Some((0, '\u{FFFF}')));
    }

    /// At any place in a text, on either side of a chunk's edge, the scan finds what a reading
    /// character by character finds.
    #[test]
    fn finds_forbidden_characters_wherever_they_are() {
        let slow = |text: &str| {
            text.char_indices().find(|&(_, c)| {
                (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                    || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            })
        };
        let base = "Un été\tà\r\nParis ’ «\u{FEFF}» ".repeat(6);
        for insert in ['\u{0}', '\u{1b}', '\u{FFFE}', '\u{FFFF}', '\u{F000}', 'x'] {
            for at in (0..base.len()).filter(|&i| base.is_char_boundary(i)) {
                let mut text = base.clone();
                text.insert(at, insert);
                assert_eq!(forbidden_char(&text), slow(&text), "{insert:?} at {at}");
            }
        }
        assert_eq!(forbidden_char(""), None);
    }

    /// A word with a byte below 0x20 or 0xEF is always one to read byte by byte.
    #[test]
    fn a_word_with_a_byte_to_look_at_is_never_passed() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let flagged = may_hold_forbidden(u64::from_le_bytes(word));
                assert!(flagged || !(b < 0x20 || b == 0xEF), "{b:#x} at {at}");
                assert!(
                    !flagged || b < 0x20 || b == 0xEF,
                    "{b:#x} at {at} among letters"
                );
            }
        }
    }
}
