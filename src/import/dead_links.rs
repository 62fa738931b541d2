//! Links of imported Markdown that lead nowhere, on the old site as on the new: a part of a
//! page the page never had (`#172`, left by a comment plugin), a page of the old site that
//! was not among its files (moved away before the import). Their words stay, without the
//! link, and the report names each, so that the new site's check starts clean and a person
//! knows what was already broken. A link to a page that lost only the part it named leads to
//! the page.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::import::Report;
use crate::slug;

/// The report's heading for links made text.
pub(crate) const DEAD: &str = "links that led nowhere on the old site either, kept as text";

/// Ids every post page has besides its body's (the default theme's), and footnotes' prefixes.
const PAGE_IDS: [&str; 3] = ["main", "comments", "top"];

/// What the imported site will have, as links to it are checked.
#[derive(Debug, Default)]
pub(crate) struct Known<'a> {
    /// Each imported document's new address (`/posts/a/`), with the anchors its page has.
    pub(crate) pages: HashMap<String, HashSet<String>>,
    /// Site paths of the other files the import copies (`img/a.png`) and of the old
    /// addresses it keeps as aliases or redirects (`2019/03/a/`, `tags/rust.html`).
    pub(crate) paths: HashSet<String>,
    /// The page each kept old address (`/2019/03/a/`) leads to (`/posts/a/`).
    pub(crate) moved: HashMap<String, String>,
    /// The old site's host and path (`example.org/blog`), when its settings give it.
    pub(crate) base: Option<&'a str>,
}

/// The anchors of a page made from `markdown`: its headings' ids, as the build gives them,
/// and the ids and names of its HTML.
pub(crate) fn anchors(markdown: &str) -> HashSet<String> {
    let mut found: HashSet<String> = crate::body::markdown::heading_ids(markdown)
        .into_iter()
        .collect();
    for attribute in ["id=", "name="] {
        let mut rest = markdown;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                found.insert(rest[1..1 + end].to_string());
            }
        }
    }
    found
}

/// The page whose links are mended.
pub(crate) struct Page<'a> {
    /// Its new address (`/posts/a/`).
    pub(crate) address: &'a str,
    /// Its file on the old site, as the report names it.
    pub(crate) source: &'a str,
    /// The names of the files of its bundle, which relative links may name.
    pub(crate) files: &'a [String],
}

/// `markdown`, the body of `page`, with each link that leads nowhere made text and each
/// fragment its target lacks dropped; each link made text is named in `report`.
pub(crate) fn mend(
    markdown: &str,
    page: &Page<'_>,
    known: &Known<'_>,
    report: &mut Report,
) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let parser = Parser::new_ext(markdown, crate::body::dialect::options()).into_offset_iter();
    let mut open: Option<Open> = None;
    let mut depth = 0usize;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url,
                ..
            }) if open.is_none() => {
                // `<https://old.example.org/a/#part>` cites the old address: the address stays
                // as the words, the link leads to the page now.
                let on_old_site = known
                    .base
                    .and_then(|base| crate::import::addresses::path_on(base, &dest_url))
                    .filter(|path| path.starts_with('/'));
                let new = on_old_site.and_then(|path| match reach(path, page, known) {
                    Reach::Kept => Some(path.to_string()),
                    Reach::Page(new) => Some(new),
                    Reach::Nowhere => None,
                });
                if let Some(new) = new {
                    edits.push((range, format!("[{dest_url}](<{new}>)")));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) if open.is_none() && !matches!(link_type, LinkType::Autolink | LinkType::Email) => {
                open = Some(Open {
                    whole: range,
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    words: None,
                });
                depth = 0;
            }
            Event::End(TagEnd::Link) if open.is_some() && depth == 0 => {
                let Some(Open {
                    whole,
                    dest,
                    title,
                    words,
                }) = open.take()
                else {
                    continue;
                };
                let words = words.map_or("", |w| &markdown[w]);
                match reach(&dest, page, known) {
                    Reach::Kept => {}
                    Reach::Page(new) => {
                        let title = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" \"{}\"", title.replace('"', "\\\""))
                        };
                        edits.push((whole, format!("[{words}](<{new}>{title})")));
                    }
                    Reach::Nowhere => {
                        report
                            .warnings
                            .push((DEAD, format!("{}: {dest}", page.source)));
                        edits.push((whole, words.to_string()));
                    }
                }
            }
            _ if open.is_some() => {
                match event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if let Some(Open { words, .. }) = &mut open {
                    *words = Some(match words.take() {
                        None => range,
                        Some(w) => w.start.min(range.start)..w.end.max(range.end),
                    });
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return markdown.to_string();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for (range, text) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&markdown[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&markdown[at..]);
    out
}

/// The link being read.
struct Open {
    /// Where it is written, all of it.
    whole: Range<usize>,
    /// Its address.
    dest: String,
    /// Its title.
    title: String,
    /// Where its words are, when it has some.
    words: Option<Range<usize>>,
}

/// Where a link leads on the new site.
enum Reach {
    /// Where it is written to: somewhere, or outside the site.
    Kept,
    /// Elsewhere: to the page an old address led to, or to a page without the part it
    /// named, which the page does not have.
    Page(String),
    /// Nowhere.
    Nowhere,
}

/// Where `dest`, a link of `own`, leads.
fn reach(dest: &str, own: &Page<'_>, known: &Known<'_>) -> Reach {
    let on_old_site = known
        .base
        .and_then(|base| crate::import::addresses::path_on(base, dest));
    let path = match on_old_site {
        // Still written in full: no imported page had that address.
        Some(_) => return Reach::Nowhere,
        None if dest.starts_with('#') => dest,
        None if dest.starts_with('/') && !dest.starts_with("//") => dest,
        // Still relative: no imported page was found at it. A file (`photo.jpg`) may be one
        // of the page's own; a page (`../other/`, `other.md`) is not.
        None if crate::import::addresses::is_relative(dest) => {
            let file = dest.split(['#', '?']).next().unwrap_or(dest);
            let file = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
            let own_file = own.files.iter().any(|name| {
                *name == *file || file.starts_with(&format!("{name}/")) || name.starts_with(&*file)
            });
            return if own_file {
                Reach::Kept
            } else {
                Reach::Nowhere
            };
        }
        None => return Reach::Kept,
    };
    let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    let page = if path.is_empty() {
        own.address.to_string()
    } else {
        path.split(['?']).next().unwrap_or(path).to_string()
    };
    let decoded = percent_encoding::percent_decode_str(&page).decode_utf8_lossy();
    // An old address kept as an alias leads to its page, whose parts are known.
    let moved = known.moved.get(&*decoded).or_else(|| {
        known
            .moved
            .get(&format!("{}/", decoded.trim_end_matches('/')))
    });
    let (page, anchors) = match moved.and_then(|new| Some((new, known.pages.get(new)?))) {
        Some((new, anchors)) => (new.clone(), Some(anchors)),
        None => (page.clone(), known.pages.get(&*decoded)),
    };
    let Some(anchors) = anchors else {
        let site = slug::site_path(&decoded).unwrap_or_default();
        let first = site.split('/').next().unwrap_or("");
        let ours = site.is_empty()
            || crate::import::plan::SITE_PATHS.contains(&first)
            || known.paths.contains(&site)
            || known.paths.contains(site.trim_end_matches('/'))
            || [
                "atom.xml",
                "rss.xml",
                "feed.json",
                "sitemap.xml",
                "robots.txt",
            ]
            .contains(&site.as_str());
        return if ours { Reach::Kept } else { Reach::Nowhere };
    };
    let has = |f: &str| {
        anchors.contains(f)
            || PAGE_IDS.contains(&f)
            || f.starts_with("fn-")
            || f.starts_with("fnref-")
    };
    let fine = fragment.is_empty() || has(&fragment);
    match (fine, moved.is_some()) {
        (true, false) => Reach::Kept,
        (false, _) if path.is_empty() => Reach::Nowhere,
        (true, true) if !fragment.is_empty() => Reach::Page(format!("{page}#{fragment}")),
        _ => Reach::Page(page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known<'static> {
        let mut pages = HashMap::new();
        pages.insert(
            "/posts/a/".to_string(),
            anchors("## Démarrer {#start}\n\n## Plus loin\n\n<span id=\"note\"></span>"),
        );
        pages.insert("/posts/b/".to_string(), HashSet::new());
        Known {
            pages,
            paths: ["img/a.png".to_string(), "2019/03/b/".to_string()]
                .into_iter()
                .collect(),
            moved: [("/2019/03/b/".to_string(), "/posts/b/".to_string())]
                .into_iter()
                .collect(),
            base: Some("old.example.org"),
        }
    }

    fn page<'a>(files: &'a [String]) -> Page<'a> {
        Page {
            address: "/posts/a/",
            source: "content/a.md",
            files,
        }
    }

    #[test]
    fn anchors_are_heading_ids_and_html_ids() {
        let found = anchors("## Démarrer {#start}\n\n## Plus loin\n\n<a name='x'></a>");
        assert!(found.contains("start"));
        assert!(found.contains("plus-loin"));
        assert!(found.contains("x"));
    }

    #[test]
    fn links_that_lead_nowhere_become_their_words() {
        let mut report = Report::default();
        let text = "See [the reply](#172 \"2013\"), [the start](#start), \
                    [a **gone** page](https://old.example.org/blog/gone.html), \
                    [b](/posts/b/#nothing), [img](/img/a.png), [old](/2019/03/b/), \
                    [missing](/nowhere/), [out](https://elsewhere.org/#x) and [tag](/tags/rust/). \
                    [up](../gone/), [src](docs/team.md), [pdf](notes.pdf), [mail](mailto:a@b.c), [g](google.com). \
                    <https://old.example.org/2019/03/b/#nope>";
        let files = ["notes.pdf".to_string()];
        let mended = mend(text, &page(&files), &known(), &mut report);
        assert_eq!(
            mended,
            "See the reply, [the start](#start), a **gone** page, [b](</posts/b/>), \
             [img](/img/a.png), [old](</posts/b/>), missing, \
             [out](https://elsewhere.org/#x) and [tag](/tags/rust/). \
             up, src, [pdf](notes.pdf), [mail](mailto:a@b.c), g. \
             [https://old.example.org/2019/03/b/#nope](</posts/b/>)"
        );
        let named: Vec<&str> = report.warnings.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(
            named,
            [
                "content/a.md: #172",
                "content/a.md: https://old.example.org/blog/gone.html",
                "content/a.md: /nowhere/",
                "content/a.md: ../gone/",
                "content/a.md: docs/team.md",
                "content/a.md: google.com"
            ]
        );
    }

    #[test]
    fn code_and_images_are_left_alone() {
        let mut report = Report::default();
        let text = "`[x](#gone)`\n\n    [y](#gone)\n\n![z](/nowhere.png)\n";
        assert_eq!(mend(text, &page(&[]), &known(), &mut report), text);
        assert!(report.warnings.is_empty());
    }
}
