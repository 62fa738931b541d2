//! Readers' comments, kept as content beside their post or page: `comments.toml` in the folder
//! of a bundle (or of a page written as `index.md`), or `<name>.comments.toml` beside a
//! single-file post or page `<name>.md`.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::clock;
use crate::error::{self, Diagnostic, Errors, Result};
use crate::load::config::toml_diagnostic;

/// A warning for each comments file that no post or page takes: its comments are shown nowhere.
pub(crate) fn strays(files: &[std::path::PathBuf]) -> Vec<Diagnostic> {
    files
        .iter()
        .map(|f| {
            Diagnostic::input("these comments belong to no post or page: they are shown nowhere")
                .at(f)
                .hint("comments go in <name>.comments.toml beside <name>.md, or in comments.toml beside an index.md")
        })
        .collect()
}

/// What kind of response a comment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// Written on the site.
    Comment,
    /// Another site's link to the post, announced by pingback or trackback.
    Pingback,
    /// Another site's response, announced by Webmention.
    Webmention,
}

/// One comment, valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Comment {
    /// Its id, unique in the file.
    pub(crate) id: String,
    /// The id of the comment it answers.
    pub(crate) parent: Option<String>,
    /// Who wrote it.
    pub(crate) author: String,
    /// Their web site.
    pub(crate) url: Option<String>,
    /// When.
    pub(crate) date: Option<DateTime<FixedOffset>>,
    /// Comment, pingback or webmention.
    pub(crate) kind: Kind,
    /// Text, Markdown (rendered without raw HTML).
    pub(crate) text: String,
    /// False while it awaits moderation: never shown.
    pub(crate) published: bool,
    /// Written by a member of the site's team.
    pub(crate) team: bool,
}

/// A comments file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    comment: Vec<RawComment>,
}

/// A comment as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComment {
    id: toml::Value,
    parent: Option<toml::Value>,
    #[serde(default)]
    author: String,
    url: Option<String>,
    date: Option<toml::Value>,
    kind: Option<Kind>,
    #[serde(default)]
    text: String,
    published: Option<bool>,
    #[serde(default)]
    team: bool,
}

/// An id written as a string or a number.
fn id_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

/// The comments of a post's or page's source file: none when it has no comments file.
pub(crate) fn of(
    file: &crate::load::source::SourceFile,
    zone: chrono_tz::Tz,
) -> Result<std::sync::Arc<[Comment]>> {
    match &file.comments {
        Some((path, text)) => parse(text, path, zone).map(Into::into),
        None => Ok(Vec::new().into()),
    }
}

/// Parses the comments file `path` (relative to the site root, for messages).
pub(crate) fn parse(text: &str, path: &Path, zone: chrono_tz::Tz) -> Result<Vec<Comment>> {
    let raw: RawFile =
        toml::from_str(text).map_err(|e| Errors::from(toml_diagnostic(&e, text, path, 1)))?;
    let line_of = |id: &str| {
        text.find(&format!("id = \"{id}\""))
            .or_else(|| text.find(&format!("id = {id}")))
            .map_or(1, |at| error::line_of(text, at))
    };
    let mut problems = Vec::new();
    let mut comments: Vec<Comment> = Vec::with_capacity(raw.comment.len());
    let mut seen = std::collections::HashSet::new();
    for c in raw.comment {
        let id = id_text(&c.id);
        let at = |message: String| Diagnostic::input(message).at(path).line(line_of(&id));
        if id.is_empty() || !seen.insert(id.clone()) {
            problems.push(at(format!("two comments have the id `{id}`")));
            continue;
        }
        let date = match &c.date {
            None => None,
            Some(v) => {
                let written = match v {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match clock::parse_time(&written, zone) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        problems.push(at(format!("comment `{id}`: date {e}")));
                        None
                    }
                }
            }
        };
        let url = c.url.filter(|u| !u.trim().is_empty());
        if let Some(u) = &url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            problems.push(at(format!(
                "comment `{id}`: url `{u}` must start with https:// or http://"
            )));
        }
        comments.push(Comment {
            parent: c.parent.as_ref().map(id_text).filter(|p| !p.is_empty()),
            author: c.author.trim().to_string(),
            url,
            date,
            kind: c.kind.unwrap_or(Kind::Comment),
            text: c.text,
            published: c.published.unwrap_or(true),
            team: c.team,
            id,
        });
    }
    for c in &comments {
        if let Some(p) = &c.parent
            && !seen.contains(p)
        {
            problems.push(
                Diagnostic::input(format!(
                    "comment `{}` answers comment `{p}`, which is not in the file",
                    c.id
                ))
                .at(path)
                .line(line_of(&c.id)),
            );
        }
    }
    if problems.is_empty() {
        Ok(comments)
    } else {
        Err(Errors(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_threads_and_flags() {
        let text = "[[comment]]\nid = 1\nauthor = \"A\"\ntext = \"hi\"\ndate = 2020-01-02T10:00:00+01:00\n\n[[comment]]\nid = \"2\"\nparent = 1\nauthor = \"B\"\ntext = \"yes\"\npublished = false\nkind = \"pingback\"\n";
        let c = parse(text, Path::new("c.toml"), chrono_tz::UTC).unwrap();
        assert_eq!(c[1].parent.as_deref(), Some("1"));
        assert!(!c[1].published && c[0].published);
        assert_eq!(c[1].kind, Kind::Pingback);
    }

    #[test]
    fn names_the_line_of_a_lost_parent() {
        let text =
            "[[comment]]\nid = \"1\"\ntext = \"a\"\n\n[[comment]]\nid = \"2\"\nparent = \"9\"\n";
        let e = parse(text, Path::new("c.toml"), chrono_tz::UTC).unwrap_err();
        assert_eq!(e.0[0].line, Some(6));
        assert!(e.0[0].message.contains("`9`"));
    }
}
