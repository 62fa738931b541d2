//! The `[languages]` tables of `site.toml`: the languages a site publishes in, where each one
//! lives, and what a reader of one sees when a page was not translated.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::Problems;

/// One language the site publishes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Language {
    /// Its code as written (`en`, `pt-BR`).
    pub(crate) code: String,
    /// The line of its table in `site.toml`, when it has one.
    pub(crate) line: Option<usize>,
    /// Site title in this language.
    pub(crate) title: String,
    /// Site description in this language.
    pub(crate) description: String,
    /// Default author name in this language.
    pub(crate) author: String,
    /// Default social image in this language (a site path or a URL), if any.
    pub(crate) image: Option<String>,
    /// Its text alternative in this language.
    pub(crate) image_alt: Option<String>,
    /// The site menu in this language (`[[languages.CODE.menu]]`), when it has its own;
    /// otherwise the site's.
    pub(crate) menu: Option<Vec<super::MenuEntry>>,
    /// Site path of its home: `""` at the root, else its code in lower case (`en/`).
    pub(crate) prefix: String,
    /// Terms of the default language (by name) and their name in this language, so the two
    /// term pages are each other's translation.
    pub(crate) terms: BTreeMap<String, String>,
}

/// What a reader of one language sees of a post or page that exists only in another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Missing {
    /// Nothing: the language's listings hold its own posts only.
    #[default]
    Absent,
    /// The original, in the default language, listed with a notice and its own `lang`.
    Original,
}

/// One `[languages.CODE]` table.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    author: Option<String>,
    image: Option<String>,
    image_alt: Option<String>,
    menu: Option<Vec<super::navigation::RawMenuEntry>>,
    #[serde(default)]
    terms: BTreeMap<String, String>,
}

/// The site's languages, the default first and the others in the order `site.toml` declares
/// them. The default language is the site's own `language`, with the site's title,
/// description and author unless its own table overrides them.
pub(super) fn languages(
    default: Language,
    declared: Option<&BTreeMap<Spanned<String>, RawLanguage>>,
    default_in_subdir: bool,
    problems: &mut Problems,
) -> Vec<Language> {
    let site = default.clone();
    let mut default = default;
    let mut others: Vec<Language> = Vec::new();
    // In the order of the file, so a clash is reported at the table that comes second.
    let mut tables: Vec<_> = declared.into_iter().flatten().collect();
    tables.sort_by_key(|(code, _)| code.span().start);
    for (code, raw) in tables {
        let written = code.get_ref();
        if !crate::locale::is_language_tag(written) {
            let d = problems
                .at(
                    code.span(),
                    format!("`[languages.{written}]`: `{written}` is not a language code"),
                )
                .hint("name each table with a BCP 47 code such as `en`, `de` or `pt-BR`");
            problems.push(d);
            continue;
        }
        let language = Language {
            code: written.clone(),
            line: Some(problems.line(code.span())),
            title: raw.title.clone().unwrap_or_else(|| site.title.clone()),
            description: raw
                .description
                .clone()
                .unwrap_or_else(|| site.description.clone()),
            author: raw.author.clone().unwrap_or_else(|| site.author.clone()),
            image: raw
                .image
                .clone()
                .filter(|i| !i.trim().is_empty())
                .or_else(|| site.image.clone()),
            image_alt: raw.image_alt.clone().or_else(|| site.image_alt.clone()),
            menu: raw
                .menu
                .as_deref()
                .map(|entries| super::navigation::menu(entries, problems)),
            prefix: format!("{}/", written.to_ascii_lowercase()),
            terms: raw.terms.clone(),
        };
        if written.eq_ignore_ascii_case(&site.code) {
            if !raw.terms.is_empty() {
                problems.push_at(
                    code.span(),
                    format!(
                        "`[languages.{written}]` is the default language: its terms are the ones \
                         other languages translate"
                    ),
                );
            }
            default = Language {
                prefix: default.prefix,
                code: default.code,
                ..language
            };
        } else if let Some(same) = others.iter().find(|l| l.prefix == language.prefix) {
            problems.push_at(
                code.span(),
                format!(
                    "`[languages.{written}]` and `[languages.{}]` would both live under /{}",
                    same.code, language.prefix
                ),
            );
        } else {
            others.push(language);
        }
    }
    if default_in_subdir {
        default.prefix = format!("{}/", default.code.to_ascii_lowercase());
    }
    std::iter::once(default).chain(others).collect()
}
