//! Splits `+++` front matter from the body and reads it into raw, untyped-by-meaning fields.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{self, Diagnostic};
use crate::load::config::toml_diagnostic;

/// A file split in two, with the line numbers needed to report errors in the file's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub(crate) front: &'a str,
    /// File line of the front matter's first line.
    pub(crate) front_line: usize,
    /// The Markdown after the closing `+++`.
    pub(crate) body: &'a str,
    /// File line of the body's first line.
    pub(crate) body_line: usize,
}

/// Splits `text` at its `+++` fences.
pub(crate) fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "+++" {
        let d = Diagnostic::input("missing front matter: the file must start with a `+++` line")
            .line(1);
        return Err(if first.trim_end() == "---" {
            d.hint("Tribune reads TOML front matter between `+++` lines, not YAML between `---`; `tribune import hugo SITE` or `tribune import jekyll SITE` converts a whole site")
        } else {
            d.hint("start the file with `+++`, then `title = \"…\"`, then `+++`")
        });
    }
    let after_open = first.len() + 1;
    let mut offset = after_open.min(text.len());
    for (line, l) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if l.trim_end() == "+++" {
            let body_start = offset + l.len();
            return Ok(Split {
                front: &text[after_open.min(text.len())..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(
        Diagnostic::input("the front matter opened on line 1 is never closed by a `+++` line")
            .line(1),
    )
}

/// Front matter as written. Aliases accept Hugo, Zola and Jekyll spellings so imported posts build.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFrontMatter {
    /// Title (required).
    pub(crate) title: Option<Spanned<String>>,
    /// Publication date.
    pub(crate) date: Option<Spanned<toml::Value>>,
    /// Hugo's publication date; wins over `date` when both are given.
    #[serde(rename = "publishDate", alias = "publish_date")]
    pub(crate) publish_date: Option<Spanned<toml::Value>>,
    /// Last content change.
    #[serde(alias = "lastmod", alias = "last_modified_at")]
    pub(crate) updated: Option<Spanned<toml::Value>>,
    /// Last time the post was checked and found still true.
    pub(crate) reviewed: Option<Spanned<toml::Value>>,
    /// Date by which the post must be reviewed.
    pub(crate) review_by: Option<Spanned<toml::Value>>,
    /// Time after which the post leaves the site.
    #[serde(alias = "expiryDate", alias = "expiry_date")]
    pub(crate) expires: Option<Spanned<toml::Value>>,
    /// Never called stale on the page; may be recycled on social media.
    #[serde(default)]
    pub(crate) evergreen: bool,
    /// One-paragraph description.
    #[serde(alias = "summary")]
    pub(crate) description: Option<String>,
    /// Tags: a list of names, or one name.
    pub(crate) tags: Option<Spanned<toml::Value>>,
    /// Themes (editorial topics): a list of names, or one name.
    #[serde(alias = "categories")]
    pub(crate) themes: Option<Spanned<toml::Value>>,
    /// Any declared taxonomy, Zola style: `[taxonomies] tags = […]`.
    pub(crate) taxonomies: Option<Spanned<BTreeMap<String, toml::Value>>>,
    /// Excluded from the build unless `--drafts`.
    #[serde(default)]
    pub(crate) draft: bool,
    /// Pinned at the top of the home page (WordPress's name).
    #[serde(default)]
    pub(crate) sticky: bool,
    /// Last URL segment, instead of the file name.
    pub(crate) slug: Option<Spanned<String>>,
    /// Author names: a list, or one name.
    pub(crate) authors: Option<Spanned<toml::Value>>,
    /// One author name.
    pub(crate) author: Option<String>,
    /// Cover and social-card image.
    pub(crate) image: Option<Spanned<String>>,
    /// Text alternative of `image`.
    pub(crate) image_alt: Option<String>,
    /// Old URL paths that redirect to this page.
    pub(crate) aliases: Option<Spanned<Vec<String>>>,
    /// Language of the text, when it is not the site's.
    pub(crate) lang: Option<Spanned<String>>,
    /// What the post's translations share, when their file names do not say it (Hugo's
    /// `translationKey`).
    #[serde(alias = "translationKey")]
    pub(crate) translation_key: Option<Spanned<String>>,
    /// Source URL of a curated link post.
    pub(crate) link: Option<Spanned<String>>,
    /// Where the editor found the link (a name or a URL).
    pub(crate) via: Option<String>,
    /// Pull quotes beyond those written with `[pullquote]`.
    pub(crate) pullquotes: Option<Vec<String>>,
    /// Share block override: `share = false`, or a table with `text`, `hashtags`, `off`.
    pub(crate) share: Option<Spanned<toml::Value>>,
    /// Social queue: `social = false`, or a table with `skip` and `[[social.posts]]`.
    pub(crate) social: Option<Spanned<toml::Value>>,
    /// Free table for templates.
    #[serde(default)]
    pub(crate) extra: toml::Table,
}

/// Parses front matter TOML; errors are located on the file's lines. Every unknown key is
/// reported, not only the first, and the rest is read without them: the value comes with
/// those problems, so the caller reports the others of the file in the same run. Keys naming
/// one of the site's `taxonomies` are sent to the `[taxonomies]` table.
pub(crate) fn parse(
    split: &Split<'_>,
    path: &Path,
    taxonomies: &[String],
) -> Result<(RawFrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let located = |e: &toml::de::Error| toml_diagnostic(e, split.front, path, split.front_line);
    let first = match toml::from_str(split.front) {
        Ok(raw) => return Ok((raw, Vec::new())),
        Err(e) => e,
    };
    // Only a file with a problem gets here. Each key is tried alone, so that every unknown
    // one is found whatever the order serde meets them in; the rest is then read without them.
    let Ok(mut table) = toml::de::DeTable::parse(split.front) else {
        return Err(vec![located(&first)]);
    };
    let mut unknown = Vec::new();
    let mut keys: Vec<_> = table.get_ref().keys().cloned().collect();
    keys.sort_by_key(|k| k.span().start);
    for key in keys {
        let mut alone = toml::de::DeTable::new();
        if let Some(value) = table.get_ref().get(key.get_ref().as_ref()) {
            alone.insert(key.clone(), value.clone());
        }
        let Err(e) = RawFrontMatter::deserialize(toml::de::Deserializer::from(toml::Spanned::new(
            0..split.front.len(),
            alone,
        ))) else {
            continue;
        };
        if unknown_field(e.message()).is_none() {
            continue;
        }
        let name = key.get_ref().to_string();
        table.get_mut().remove(name.as_str());
        let (column, width) = error::columns_of(split.front, key.span());
        unknown.push(
            Diagnostic::input(format!("unknown field `{name}`"))
                .at(path)
                .line(line_at(split, key.span()))
                .columns(column, width)
                .hint(unknown_key_hint(&name, e.message(), taxonomies)),
        );
    }
    match RawFrontMatter::deserialize(toml::de::Deserializer::from(table)) {
        Ok(raw) if !unknown.is_empty() => Ok((raw, unknown)),
        Ok(_) => Err(vec![located(&first)]),
        Err(e) => {
            unknown.push(located(&e));
            Err(unknown)
        }
    }
}

/// The key of serde's "unknown field `x`, expected …".
fn unknown_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("unknown field `")?
        .split_once('`')
        .map(|(key, _)| key)
}

/// Where an unknown key should go: a declared taxonomy into `[taxonomies]`, a near miss to
/// the key it resembles, anything else into `[extra]`.
fn unknown_key_hint(key: &str, message: &str, taxonomies: &[String]) -> String {
    if taxonomies.iter().any(|t| t == key) {
        return format!(
            "`{key}` is a taxonomy of this site: list its terms in the `[taxonomies]` table, \
             after the other keys: [taxonomies] {key} = [\"…\"]"
        );
    }
    let expected = message.split('`').skip(3).step_by(2);
    let known = expected.chain(taxonomies.iter().map(String::as_str));
    match error::closest(key, known) {
        Some(best)
            if taxonomies.iter().any(|t| t == best) && best != "tags" && best != "themes" =>
        {
            format!("did you mean `{best}`? It goes in the `[taxonomies]` table")
        }
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "Tribune has no `{key}` key; data of your own for templates goes in the `[extra]` \
             table, after the other keys: [extra] {key} = …"
        ),
    }
}

/// File line of a span inside the front matter.
pub(crate) fn line_at(split: &Split<'_>, span: std::ops::Range<usize>) -> usize {
    split.front_line + error::line_of(split.front, span.start) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("+++\ntitle = \"x\"\n+++\nBody\n").unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn reports_missing_and_unclosed_fences() {
        assert!(
            split("title = 1")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(
            split("---\ntitle: x\n---\n")
                .unwrap_err()
                .hint
                .unwrap()
                .contains("TOML")
        );
        assert!(
            split("+++\ntitle = \"x\"\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn errors_carry_the_file_line() {
        let text = "+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n";
        let s = split(text).unwrap();
        let (_, unknown) = parse(&s, Path::new("content/posts/a.md"), &[]).unwrap();
        let d = &unknown[0];
        assert_eq!(d.line, Some(3));
        assert_eq!(d.columns, Some((1, 5)));
        assert!(d.message.contains("titel"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn reports_every_unknown_key_and_reads_the_rest() {
        let text =
            "+++\ntitle = \"x\"\nzzz = 1\nseries = [\"a\"]\ntgas = [\"b\"]\ntags = [\"c\"]\n+++\n";
        let s = split(text).unwrap();
        let (raw, unknown) = parse(
            &s,
            Path::new("a.md"),
            &["tags".to_string(), "series".to_string()],
        )
        .unwrap();
        assert!(raw.tags.is_some());
        let mut found: Vec<(usize, &str)> = unknown
            .iter()
            .map(|d| (d.line.unwrap(), d.hint.as_deref().unwrap()))
            .collect();
        found.sort();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.contains("[extra] zzz"), "{}", found[0].1);
        assert!(found[1].1.contains("[taxonomies] series"), "{}", found[1].1);
        assert_eq!(found[2].1, "did you mean `tags`?");
    }

    #[test]
    fn a_bad_value_after_an_unknown_key_is_still_an_error() {
        let s = split("+++\ntitle = \"x\"\nzzz = 1\ndraft = \"yes\"\n+++\n").unwrap();
        let problems = parse(&s, Path::new("a.md"), &[]).unwrap_err();
        let lines: Vec<_> = problems.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(3), Some(4)]);
    }
}
