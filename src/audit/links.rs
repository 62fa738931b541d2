//! Every link of the content followed: to a page or file the site makes, to an anchor that
//! page has, to a post that is public when the linking post is. Links to other sites are listed,
//! where they are written, for the network check.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::body::links::{self, Link};
use crate::error::{self, Diagnostic};
use crate::hash::QuickMap;
use crate::load::config::{CONFIG_FILE, Config, Target};
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::site::public::Site;
use crate::site::schedule::Status;

/// What links can lead to.
#[derive(Debug, Default)]
pub(crate) struct Targets {
    /// Site paths of the files a build at the clock makes.
    pub(crate) outputs: HashSet<String>,
    /// The ids of each HTML page, by site path, rendered with every post visible.
    pub(crate) ids: HashMap<String, HashSet<String>>,
}

/// A link to another site, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct External {
    /// The URL.
    pub(crate) url: String,
    /// The file.
    pub(crate) file: PathBuf,
    /// The line in the file.
    pub(crate) line: usize,
    /// Column and width on that line.
    pub(crate) columns: (usize, usize),
}

/// The problems of every internal link of `corpus`, and its links to other sites.
pub(crate) fn check(
    corpus: &Corpus,
    config: &Config,
    now: DateTime<Utc>,
    targets: &Targets,
) -> (Vec<Diagnostic>, Vec<External>) {
    let by_path = corpus.by_path();
    let found: Vec<(Vec<Diagnostic>, Vec<External>)> = corpus
        .posts
        .par_iter()
        .chain(corpus.pages.par_iter())
        .map(|post| {
            let checker = Checker {
                post,
                config,
                now,
                targets,
                by_path: &by_path,
            };
            checker.links()
        })
        .collect();
    let mut problems = Vec::new();
    let mut external = Vec::new();
    for (p, e) in found {
        problems.extend(p);
        external.extend(e);
    }
    (problems, external)
}

/// Follows the links of one post.
struct Checker<'a> {
    /// The post whose links are followed.
    post: &'a Post,
    /// The configuration.
    config: &'a Config,
    /// The clock.
    now: DateTime<Utc>,
    /// What links can lead to.
    targets: &'a Targets,
    /// Every post and page of the corpus, by site path.
    by_path: &'a QuickMap<&'a str, &'a Post>,
}

impl Checker<'_> {
    /// The problems of the post's internal links, and its links to other sites.
    fn links(&self) -> (Vec<Diagnostic>, Vec<External>) {
        let mut problems = Vec::new();
        let mut external = Vec::new();
        for link in links::links(&self.post.body.text()) {
            let (line, columns) = self.place(&link);
            let problem = if let Some(anchor) = link.dest.strip_prefix('#') {
                self.anchor(&self.post.path, anchor, &link.dest)
            } else if let Some(path) =
                links::resolve(&link.dest, &self.post.path, &self.config.base)
            {
                self.internal(&link, &path)
            } else {
                if link.dest.starts_with("https://") || link.dest.starts_with("http://") {
                    external.push(External {
                        url: link.dest.clone(),
                        file: self.post.source.clone(),
                        line,
                        columns,
                    });
                }
                None
            };
            if let Some(p) = problem {
                problems.push(p.line(line).columns(columns.0, columns.1));
            }
        }
        (problems, external)
    }

    /// The file line of a link, and its columns there.
    fn place(&self, link: &Link) -> (usize, (usize, usize)) {
        let body = self.post.body.text();
        let line = self.post.body_line + error::line_of(&body, link.span.start) - 1;
        (line, error::columns_of(&body, link.span.clone()))
    }

    /// What is wrong with a link into the site, leading to site path `path`.
    fn internal(&self, link: &Link, path: &str) -> Option<Diagnostic> {
        let anchor = link.dest.split_once('#').map(|(_, a)| a);
        if let Some(target) = self.by_path.get(path) {
            if let Some(problem) = self.unpublished(link, target) {
                return Some(problem);
            }
        } else if !self.targets.outputs.contains(path) {
            return Some(self.missing(link, path));
        }
        anchor.and_then(|a| self.anchor(path, a, &link.dest))
    }

    /// A link to a post that is not public when the linking post is: never from a draft
    /// (drafts often go out together), else at the later of now and the post's own date.
    fn unpublished(&self, link: &Link, target: &Post) -> Option<Diagnostic> {
        let source = self.post;
        if source.draft || source.expires.is_some_and(|e| e <= self.now) {
            return None;
        }
        let at = source
            .date
            .map_or(self.now, |d| d.with_timezone(&Utc).max(self.now));
        let status = Status::of(target, at);
        if status == Status::Published {
            return None;
        }
        let when = if at > self.now {
            " when this post goes live"
        } else {
            ""
        };
        Some(
            self.problem(format!(
                "links to {}, which is {}{when} ({})",
                link.dest,
                status.describe(),
                target.source.display()
            ))
            .hint("readers would find no page there: remove the link, or publish that post first"),
        )
    }

    /// A link to nothing the site makes.
    fn missing(&self, link: &Link, path: &str) -> Diagnostic {
        let what = if link.image { "an image" } else { "a page" };
        let d = self.problem(format!(
            "links to {}, but the site has no such {}",
            link.dest,
            if link.image || path.contains('.') {
                "file"
            } else {
                "page"
            }
        ));
        missing_hint(d, &self.targets.outputs, path, what)
    }

    /// A link to an anchor `page` does not have.
    fn anchor(&self, page: &str, anchor: &str, written: &str) -> Option<Diagnostic> {
        let ids = self.targets.ids.get(page)?;
        let anchor = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
        if anchor.is_empty() || ids.contains(anchor.as_ref()) {
            return None;
        }
        let best = error::closest(&anchor, ids.iter().map(String::as_str));
        let d = self.problem(format!(
            "links to {written}, but that page has no `{anchor}` anchor"
        ));
        Some(match best {
            Some(id) => d.hint(format!("did you mean #{id}?")),
            None => d.hint("headings get their id from their text: `## Mon titre` is #mon-titre"),
        })
    }

    /// A problem in this post, to be placed on the link's line.
    fn problem(&self, message: String) -> Diagnostic {
        Diagnostic::input(message).at(&self.post.source)
    }
}

/// `problem`, about a link to `path` that leads to nothing, with a hint: the output whose name
/// is closest, else where to add `what` (`a page`, `an image`).
fn missing_hint(
    problem: Diagnostic,
    outputs: &HashSet<String>,
    path: &str,
    what: &str,
) -> Diagnostic {
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    let nearest = outputs
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            let name = p.trim_end_matches('/').rsplit('/').next().unwrap_or(p);
            (strsim::jaro_winkler(last, name), p)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)));
    match nearest {
        Some((_, p)) => problem.hint(format!("did you mean /{p}?")),
        None => problem.hint(format!(
            "check the address, or add {what} there (content/ or static/)"
        )),
    }
}

/// The links of `site.toml` into the site (menu entries, redirects), each with what it is in
/// words and its line.
fn declared(config: &Config) -> Vec<(String, &Target, usize)> {
    let menus = config.languages.iter().filter_map(|l| l.menu.as_ref());
    let menu = config.menu.iter().chain(menus).flatten().map(|entry| {
        (
            format!("menu entry `{}`", entry.title),
            &entry.to,
            entry.line,
        )
    });
    let redirects = config
        .redirects
        .iter()
        .map(|r| (format!("redirect `/{}`", r.from), &r.to, r.line));
    menu.chain(redirects).collect()
}

/// The problems of the links `site.toml` declares into the site: one to a post or page that
/// `public` does not show (a draft, scheduled or expired), and, given the site paths of every
/// output of the public site, one to nothing the site makes. Each names `site.toml` and the
/// line.
pub(crate) fn declared_links(
    config: &Config,
    corpus: &Corpus,
    public: &Site<'_>,
    outputs: Option<&HashSet<String>>,
) -> Vec<Diagnostic> {
    let by_path = corpus.by_path();
    let shown = public.paths();
    let mut problems = Vec::new();
    for (what, target, line) in declared(config) {
        let Some(path) = target.site_path() else {
            continue;
        };
        let at = |message: String| Diagnostic::input(message).at(CONFIG_FILE).line(line);
        if let Some(post) = by_path.get(path) {
            if !shown.contains(path) {
                let status = Status::of(post, public.clock.now());
                problems.push(
                    at(format!(
                        "{what} leads to /{path}, which is {} ({})",
                        status.describe(),
                        post.source.display()
                    ))
                    .hint("readers would find no page there: publish it, or change the address"),
                );
            }
        } else if let Some(outputs) = outputs
            && !outputs.contains(path)
        {
            let what_file = if path.is_empty() || path.ends_with('/') {
                "page"
            } else {
                "file"
            };
            let d = at(format!(
                "{what} leads to /{path}, but the site has no such {what_file}"
            ));
            // A redirect's own page is no address to suggest: it only sends readers on.
            let pages: HashSet<String> = outputs
                .iter()
                .filter(|p| !config.redirects.iter().any(|r| &r.from == *p))
                .cloned()
                .collect();
            problems.push(missing_hint(d, &pages, path, "a page"));
        }
    }
    problems
}

/// The ids of an HTML page: what `#anchors` can lead to.
pub(crate) fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find(" id=\"") {
        rest = &rest[at + 5..];
        let end = rest.find('"').unwrap_or(rest.len());
        ids.insert(rest[..end].to_string());
        rest = &rest[end..];
    }
    ids
}

/// The site path of an output file: `posts/x/index.html` is `posts/x/`.
pub(crate) fn site_path(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids() {
        let ids = html_ids(r#"<h2 id="a-b">x</h2><main id="main" class="x"><p data-id="no">"#);
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["a-b", "main"]);
    }

    #[test]
    fn maps_files_to_site_paths() {
        assert_eq!(site_path("posts/x/index.html"), "posts/x/");
        assert_eq!(site_path("index.html"), "");
        assert_eq!(site_path("rss.xml"), "rss.xml");
    }
}
