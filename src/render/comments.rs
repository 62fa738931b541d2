//! A post's published comments as its page shows them: threaded (a reply under what it
//! answers), dated in the page's language, their text as safe HTML typeset for that
//! language, as its body is; and as JSON-LD.

use std::collections::HashMap;

use serde::Serialize;

use crate::body::comments::{Style, to_html};
use crate::load::comments::{Comment, Kind};
use crate::load::config::Config;

/// How deep replies are indented on the page; deeper ones sit at this depth, in order.
const MAX_DEPTH: usize = 6;

/// The published comments, oldest first (then in file order).
pub(crate) fn published(comments: &[Comment]) -> Vec<&Comment> {
    let mut list: Vec<&Comment> = comments.iter().filter(|c| c.published).collect();
    list.sort_by_key(|c| c.date);
    list
}

/// The thread of `comments` (already [`published`]) in reading order: each comment followed by
/// its replies, each with its `depth` (1 for a comment on the post, at most [`MAX_DEPTH`]) and
/// the anchor of the comment it answers. A reply whose parent is not shown is a top-level one.
/// The text is typeset for `lang`, the language of the page that shows it.
pub(crate) fn thread<'a>(
    comments: &[&'a Comment],
    lang: &str,
    config: &Config,
) -> Vec<CommentView<'a>> {
    let style = Style {
        french: config.french_spacing && crate::locale::is_french(lang),
        highlight: config.highlight,
    };
    let shown: HashMap<&str, usize> = comments
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let parent_of = |i: usize| {
        comments[i]
            .parent
            .as_deref()
            .and_then(|p| shown.get(p).copied())
            .filter(|&p| p != i)
    };
    let mut children: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for i in 0..comments.len() {
        children.entry(parent_of(i)).or_default().push(i);
    }
    let mut out = Vec::with_capacity(comments.len());
    let mut seen = vec![false; comments.len()];
    // Depth-first, without recursion: a long thread cannot exhaust the stack.
    let mut stack: Vec<(usize, usize)> = children
        .get(&None)
        .into_iter()
        .flatten()
        .rev()
        .map(|&i| (i, 1))
        .collect();
    // A cycle of parents has no root: its comments are shown at the top level.
    let mut orphans = 0..comments.len();
    while let Some((i, depth)) = stack
        .pop()
        .or_else(|| orphans.by_ref().find(|&i| !seen[i]).map(|i| (i, 1)))
    {
        if seen[i] {
            continue;
        }
        seen[i] = true;
        let parent = parent_of(i).filter(|_| depth > 1).map(|p| comments[p]);
        out.push(leaf(comments[i], depth, parent, (style, lang), config));
        for &k in children.get(&Some(i)).into_iter().flatten().rev() {
            stack.push((k, (depth + 1).min(MAX_DEPTH)));
        }
    }
    out
}

/// The id of a comment's element on the page.
fn anchor(c: &Comment) -> String {
    format!("comment-{}", crate::slug::slugify(&c.id))
}

/// One comment as templates see it.
#[derive(Debug, Serialize)]
pub(crate) struct CommentView<'a> {
    /// Its id in `comments.toml`.
    id: &'a str,
    /// The id of its element on the page.
    anchor: String,
    /// 1 for a comment on the post, more for replies.
    depth: usize,
    /// The element of the comment it answers.
    parent_anchor: Option<String>,
    /// Who wrote the comment it answers.
    parent_author: Option<&'a str>,
    /// Who wrote it.
    author: &'a str,
    /// Their site.
    url: Option<&'a str>,
    /// When, RFC 3339.
    date: Option<String>,
    /// When, in the site's language.
    date_display: Option<String>,
    /// A comment, a pingback or a trackback.
    kind: Kind,
    /// Written by the site's team.
    team: bool,
    /// Its text, as safe HTML.
    html: String,
}

/// One comment as the template sees it, its text typeset in `style`.
fn leaf<'a>(
    c: &'a Comment,
    depth: usize,
    parent: Option<&'a Comment>,
    (style, lang): (Style, &str),
    config: &Config,
) -> CommentView<'a> {
    CommentView {
        id: &c.id,
        anchor: anchor(c),
        depth,
        parent_anchor: parent.map(anchor),
        parent_author: parent.map(|p| p.author.as_str()),
        author: &c.author,
        url: c.url.as_deref(),
        date: c.date.map(|d| d.to_rfc3339()),
        date_display: c
            .date
            .map(|d| crate::locale::format_date(d, config.zone, lang, None)),
        kind: c.kind,
        team: c.team,
        html: to_html(&c.text, style),
    }
}

/// A schema.org `Comment`, its fields in the order of their names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LdComment<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    author: LdPerson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_created: Option<String>,
    /// "pingback" or "trackback"; nothing for a comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Kind>,
    text: String,
}

/// The schema.org `Comment`s of a post's JSON-LD.
pub(crate) fn json_ld<'a>(comments: &[&'a Comment]) -> Vec<LdComment<'a>> {
    comments
        .iter()
        .map(|c| LdComment {
            kind: "Comment",
            author: LdPerson::with_url(&c.author, c.url.as_deref()),
            date_created: c.date.map(|d| d.to_rfc3339()),
            name: (c.kind != Kind::Comment).then_some(c.kind),
            text: crate::body::shortcodes::plain_text(&to_html(&c.text, Style::default()))
                .trim()
                .to_string(),
        })
        .collect()
}

/// A schema.org `Person`.
#[derive(Serialize)]
pub(crate) struct LdPerson<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

impl<'a> LdPerson<'a> {
    /// A person known by name.
    pub(crate) fn named(name: &'a str) -> LdPerson<'a> {
        LdPerson {
            kind: "Person",
            name,
            url: None,
        }
    }

    /// A person known by name and site.
    pub(crate) fn with_url(name: &'a str, url: Option<&'a str>) -> LdPerson<'a> {
        LdPerson {
            url,
            ..LdPerson::named(name)
        }
    }
}
