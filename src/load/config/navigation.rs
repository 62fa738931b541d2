//! The links `site.toml` declares itself: the site menu (`[[menu]]`) and the redirects from old
//! addresses (`[redirects]`), each checked where it is written.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{BaseUrl, FeedFormat, Problems, web_url};
use crate::slug;

/// Why a link written in `site.toml` leads nowhere Tribune can check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum TargetError {
    /// A web address that cannot be written as it is.
    #[error("`{written}` {error}")]
    Web {
        /// The address as written.
        written: String,
        /// What is wrong with it.
        error: super::UrlError,
    },
    /// Neither a site path nor a web address.
    #[error(
        "`{0}` must be a path on this site starting with `/`, such as /about/, or an address starting with https://"
    )]
    Relative(String),
    /// A percent escape that decodes to no text.
    #[error("`{0}` holds an escape that is not UTF-8")]
    Escape(String),
    /// A path that leaves the site.
    #[error(transparent)]
    Path(#[from] slug::SitePathError),
}

/// Where a link written in `site.toml` leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// A page or file of the site.
    Site {
        /// Its site path, without the leading slash: `about/`, `rss.xml`, `""` for the home page.
        path: String,
        /// The query and fragment written after the path (`#team`), or nothing.
        rest: String,
    },
    /// Another site's address, as written.
    Web(String),
}

impl Target {
    /// Reads a site path (`/about/`, `/`, `/rss.xml`, `/about/#team`) or an `http(s)://`
    /// address; says what is wrong otherwise.
    fn parse(written: &str) -> Result<Target, TargetError> {
        let written = written.trim();
        if written.starts_with("https://") || written.starts_with("http://") {
            web_url(written).map_err(|error| TargetError::Web {
                written: written.to_string(),
                error,
            })?;
            return Ok(Target::Web(written.to_string()));
        }
        if !written.starts_with('/') || written.starts_with("//") {
            return Err(TargetError::Relative(written.to_string()));
        }
        let split = written.find(['?', '#']).unwrap_or(written.len());
        let (path, rest) = written.split_at(split);
        // Writers copy addresses from a browser, which escapes accents: both spellings lead to
        // one page.
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| TargetError::Escape(written.to_string()))?;
        if path.chars().all(|c| c == '/') {
            return Ok(Target::Site {
                path: String::new(),
                rest: rest.to_string(),
            });
        }
        let mut path = slug::site_path(&path)?;
        if let Some(folder) = path.strip_suffix("index.html") {
            path = folder.to_string();
        } else if !path.ends_with('/') && !path.rsplit('/').next().unwrap_or("").contains('.') {
            path.push('/');
        }
        Ok(Target::Site {
            path,
            rest: rest.to_string(),
        })
    }

    /// The site path it leads to, when it leads into the site.
    pub(crate) fn site_path(&self) -> Option<&str> {
        match self {
            Target::Site { path, .. } => Some(path),
            Target::Web(_) => None,
        }
    }

    /// The link for pages: root-relative (with the base path) inside the site.
    pub(crate) fn link(&self, base: &BaseUrl) -> String {
        match self {
            Target::Site { path, rest } => {
                format!("{}{}", base.link(path), crate::href::written(rest))
            }
            Target::Web(url) => crate::href::written(url),
        }
    }

    /// The absolute URL, for redirect pages.
    pub(crate) fn absolute(&self, base: &BaseUrl) -> String {
        match self {
            Target::Site { path, rest } => {
                format!("{}{}", base.absolute(path), crate::href::written(rest))
            }
            Target::Web(url) => crate::href::written(url),
        }
    }

    /// The feed it leads to, when its file is named as Tribune names feeds (`rss.xml`,
    /// `atom.xml`, `feed.json`), on this site or another.
    pub(crate) fn feed(&self) -> Option<FeedFormat> {
        let path = match self {
            Target::Site { path, .. } => path.as_str(),
            Target::Web(url) => url.split(['?', '#']).next().unwrap_or(""),
        };
        let name = path.rsplit('/').next().unwrap_or("");
        [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json]
            .into_iter()
            .find(|f| f.file_name() == name)
    }
}

/// One entry of the site menu.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct MenuEntry {
    /// The words shown.
    pub(crate) title: String,
    /// Where it leads.
    pub(crate) to: Target,
    /// Line of its `url` in `site.toml`.
    pub(crate) line: usize,
}

/// One redirect from an old address of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Redirect {
    /// The old address, as a site path: `category/news/`.
    pub(crate) from: String,
    /// Where it leads now.
    pub(crate) to: Target,
    /// Its line in `site.toml`.
    pub(crate) line: usize,
}

/// A `[[menu]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMenuEntry {
    /// The words shown.
    title: Spanned<String>,
    /// Where it leads.
    url: Spanned<String>,
}

/// `[[menu]]`: every entry, in order, each with a title and an address the site can link to.
pub(super) fn menu(raw: &[RawMenuEntry], problems: &mut Problems) -> Vec<MenuEntry> {
    let mut menu = Vec::with_capacity(raw.len());
    for entry in raw {
        let title = entry.title.get_ref().trim();
        if title.is_empty() {
            problems.push_at(entry.title.span(), "a menu entry's `title` is empty");
        } else if let Some((_, c)) = crate::load::source::forbidden_char(title) {
            problems.push_at(
                entry.title.span(),
                format!(
                    "a menu entry's `title` holds a control character (U+{:04X})",
                    u32::from(c)
                ),
            );
        }
        match Target::parse(entry.url.get_ref()) {
            Ok(to) => menu.push(MenuEntry {
                title: title.to_string(),
                to,
                line: problems.line(entry.url.span()),
            }),
            Err(e) => problems.push_at(entry.url.span(), format!("menu entry `url`: {e}")),
        }
    }
    menu
}

/// `[redirects]`: each old address a site path that stays in the output folder, as aliases
/// are, each new one an address the site can link to, other than the old one.
pub(super) fn redirects(
    raw: &BTreeMap<Spanned<String>, Spanned<String>>,
    problems: &mut Problems,
) -> Vec<Redirect> {
    let mut redirects = Vec::with_capacity(raw.len());
    for (from, to) in raw {
        let written = from.get_ref();
        if written.contains(['?', '#']) {
            let d = problems
                .at(
                    from.span(),
                    format!("redirect `{written}`: an old address with a query or a fragment cannot be a page of its own"),
                )
                .hint("an old address by id, /?p=24, goes in the `aliases` of the post it leads to");
            problems.push(d);
            continue;
        }
        let from_path = match slug::site_path(written) {
            Ok(path) => path,
            Err(e) => {
                problems.push_at(from.span(), format!("redirect {e}"));
                continue;
            }
        };
        let target = match Target::parse(to.get_ref()) {
            Ok(target) => target,
            Err(e) => {
                problems.push_at(to.span(), format!("redirect `{written}`: {e}"));
                continue;
            }
        };
        if target.site_path().map(|p| p.trim_end_matches('/'))
            == Some(from_path.trim_end_matches('/'))
        {
            problems.push_at(
                to.span(),
                format!("redirect `{written}` leads to itself: readers would go round in circles"),
            );
            continue;
        }
        redirects.push(Redirect {
            from: from_path,
            to: target,
            line: problems.line(from.span()),
        });
    }
    redirects
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str, rest: &str) -> Target {
        Target::Site {
            path: path.to_string(),
            rest: rest.to_string(),
        }
    }

    #[test]
    fn reads_site_paths_and_web_addresses() {
        assert_eq!(Target::parse("/").unwrap(), site("", ""));
        assert_eq!(Target::parse(" /about/ ").unwrap(), site("about/", ""));
        assert_eq!(Target::parse("/about").unwrap(), site("about/", ""));
        assert_eq!(Target::parse("/rss.xml").unwrap(), site("rss.xml", ""));
        assert_eq!(Target::parse("/a/index.html").unwrap(), site("a/", ""));
        assert_eq!(Target::parse("/a/#team").unwrap(), site("a/", "#team"));
        assert_eq!(Target::parse("/%C3%A9t%C3%A9/").unwrap(), site("été/", ""));
        assert_eq!(
            Target::parse("https://example.net/x").unwrap(),
            Target::Web("https://example.net/x".to_string())
        );
        for bad in [
            "about/",
            "//example.net/",
            "/../etc/",
            "mailto:a@example.net",
            "javascript:alert(1)",
            "https://",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn site_toml_declares_the_menu_with_its_lines() {
        let text = "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[[menu]]\ntitle = \"Home\"\nurl = \"/\"\n\n[[menu]]\ntitle = \"Elsewhere\"\nurl = \"https://example.net/\"\n";
        let config =
            super::super::Config::parse(std::path::Path::new("/site"), text, &Default::default())
                .unwrap();
        let menu = config.menu.unwrap();
        assert_eq!(
            menu.iter()
                .map(|e| (e.title.as_str(), e.line))
                .collect::<Vec<_>>(),
            [("Home", 6), ("Elsewhere", 10)]
        );
    }

    #[test]
    fn knows_feeds_by_their_file_name() {
        assert_eq!(site("rss.xml", "").feed(), Some(FeedFormat::Rss));
        assert_eq!(site("tags/x/atom.xml", "").feed(), Some(FeedFormat::Atom));
        assert_eq!(
            Target::Web("https://example.net/feed.json?x".to_string()).feed(),
            Some(FeedFormat::Json)
        );
        assert_eq!(site("sitemap.xml", "").feed(), None);
        assert_eq!(site("archive/", "").feed(), None);
    }

    #[test]
    fn site_toml_declares_redirects_with_their_lines() {
        let text = "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[redirects]\n\"/feed/\" = \"/rss.xml\"\n\"/2011/03/\" = \"/archive/2011/\"\n";
        let config =
            super::super::Config::parse(std::path::Path::new("/site"), text, &Default::default())
                .unwrap();
        let redirects: Vec<_> = config
            .redirects
            .iter()
            .map(|r| (r.from.as_str(), r.to.site_path().unwrap(), r.line))
            .collect();
        assert_eq!(
            redirects,
            [("2011/03/", "archive/2011/", 6), ("feed/", "rss.xml", 5)]
        );
    }

    #[test]
    fn links_follow_the_base_path() {
        let base = BaseUrl::parse("https://example.org/blog/").unwrap();
        assert_eq!(
            site("été/", "#a b").link(&base),
            "/blog/%C3%A9t%C3%A9/#a%20b"
        );
        assert_eq!(site("", "").link(&base), "/blog/");
        assert_eq!(site("", "").absolute(&base), "https://example.org/blog/");
    }
}
