//! Slugs and URL-path safety: nothing a writer types can point outside the output folder.

/// An old query address of the site's home page, `/?p=24` or `/?page_id=2` (WordPress's
/// links by id), as `p=24`: one key of lowercase letters and underscores, one value of letters,
/// digits, `-` and `_`. Anything else is no query alias.
pub(crate) fn query_alias(alias: &str) -> Option<String> {
    let query = alias.trim().strip_prefix('/').unwrap_or(alias.trim());
    let (key, value) = query.strip_prefix('?')?.split_once('=')?;
    let key_ok = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let value_ok = !value.is_empty()
        && value.len() <= 100
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (key_ok && value_ok).then(|| format!("{key}={value}"))
}

/// A transliterated, lower-case, hyphenated slug: "Gérer une communauté, c’est quoi ?" gives
/// `gerer-une-communaute-c-est-quoi`.
pub(crate) fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// The longest URL segment, in bytes: file systems take names of up to 255.
pub(crate) const MAX_SEGMENT: usize = 200;

/// Why a path segment typed by a writer cannot be one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SegmentError {
    /// Nothing.
    #[error("is empty")]
    Empty,
    /// `.` or `..`.
    #[error("`{0}` would leave the output folder")]
    Relative(String),
    /// A `/` or `\\` inside.
    #[error("`{0}` contains a path separator, which could leave the output folder")]
    Separator(String),
    /// A leading dot.
    #[error("`{0}` starts with a dot, which makes a hidden file")]
    Hidden(String),
    /// More bytes than a file name takes.
    #[error("is {0} bytes long: at most {MAX_SEGMENT}, as file names go")]
    TooLong(usize),
    /// A control character or `:`.
    #[error("`{0}` contains a character that is not allowed in a path")]
    Forbidden(String),
}

/// Why a URL path typed by a writer is not a path of this site.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SitePathError {
    /// A full URL, with a scheme or a host.
    #[error("`{0}` must be a path on this site, such as /2019/03/old-post/")]
    NotOnSite(String),
    /// `/` itself.
    #[error("`{0}` is the home page")]
    Home(String),
    /// One of its segments.
    #[error("`{url}`: {error}")]
    Segment {
        /// The path as written.
        url: String,
        /// What is wrong with the segment.
        error: SegmentError,
    },
}

/// Checks one path segment typed by a writer (a slug, a theme or taxonomy name).
pub(crate) fn check_segment(segment: &str) -> Result<(), SegmentError> {
    if segment.is_empty() {
        return Err(SegmentError::Empty);
    }
    if segment == ".." || segment == "." {
        return Err(SegmentError::Relative(segment.to_string()));
    }
    if segment.contains(['/', '\\']) {
        return Err(SegmentError::Separator(segment.to_string()));
    }
    if segment.starts_with('.') {
        return Err(SegmentError::Hidden(segment.to_string()));
    }
    if segment.len() > MAX_SEGMENT {
        return Err(SegmentError::TooLong(segment.len()));
    }
    if segment.chars().any(|c| c.is_control() || c == ':') {
        return Err(SegmentError::Forbidden(segment.to_string()));
    }
    Ok(())
}

/// Turns a root-relative URL path typed by a writer (`/2019/03/old-post/`, `/old.html`) into a
/// site path without the leading slash, refusing anything that leaves the output folder.
pub(crate) fn site_path(url: &str) -> Result<String, SitePathError> {
    if url.contains("://") || url.starts_with("//") {
        return Err(SitePathError::NotOnSite(url.to_string()));
    }
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        return Err(SitePathError::Home(url.to_string()));
    }
    for segment in trimmed.trim_end_matches('/').split('/') {
        check_segment(segment).map_err(|error| SitePathError::Segment {
            url: url.to_string(),
            error,
        })?;
    }
    Ok(trimmed.to_string())
}

/// Output file of a site path: `posts/x/` is `posts/x/index.html`; `old.html` is itself.
pub(crate) fn output_file(site_path: &str) -> String {
    // Every output's name is made on every save of the preview: pushed, not formatted.
    let index = if site_path.is_empty() || site_path.ends_with('/') {
        "index.html"
    } else if site_path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        return site_path.to_string();
    } else {
        "/index.html"
    };
    let mut file = String::with_capacity(site_path.len() + index.len());
    file.push_str(site_path);
    file.push_str(index);
    file
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_aliases_are_one_simple_pair() {
        assert_eq!(query_alias("/?p=24").as_deref(), Some("p=24"));
        assert_eq!(query_alias("?page_id=2").as_deref(), Some("page_id=2"));
        for no in [
            "/2011/03/x/",
            "/?p=",
            "/?p=1&x=2",
            "/?P=1",
            "/?p=<b>",
            "/x?p=1",
        ] {
            assert_eq!(query_alias(no), None, "{no}");
        }
    }

    use super::*;

    #[test]
    fn slugs_are_transliterated() {
        assert_eq!(
            slugify("Gérer une communauté, c’est quoi ?"),
            "gerer-une-communaute-c-est-quoi"
        );
        assert_eq!(slugify("Vie privée"), "vie-privee");
    }

    #[test]
    fn refuses_escaping_segments() {
        assert!(
            check_segment("..")
                .unwrap_err()
                .to_string()
                .contains("leave the output folder")
        );
        assert!(check_segment("a/b").is_err());
        assert!(check_segment(".hidden").is_err());
        assert!(check_segment("ok-slug").is_ok());
    }

    #[test]
    fn maps_paths_to_files() {
        assert_eq!(site_path("/2019/03/old/").unwrap(), "2019/03/old/");
        assert!(site_path("/../etc/").is_err());
        assert!(site_path("https://example.org/x").is_err());
        assert_eq!(output_file("posts/x/"), "posts/x/index.html");
        assert_eq!(output_file("old.html"), "old.html");
        assert_eq!(output_file("old"), "old/index.html");
        assert_eq!(output_file(""), "index.html");
    }
}
