//! One generic term index, for tags, themes and any taxonomy a site declares.

use crate::hash::QuickMap;
use crate::load::config::Config;
use crate::load::post::Post;
use crate::slug;

/// A taxonomy with its terms, sorted by slug.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    /// Name as declared: `tags`, `themes`, `series`.
    pub(crate) key: String,
    /// Site path of its language's home: `""` or `en/`.
    pub(crate) prefix: String,
    /// Terms in use by public posts.
    pub(crate) terms: Vec<Term>,
}

/// One term and the posts that carry it.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// Display name: the spelling of the newest post that uses the term.
    pub(crate) name: String,
    /// URL segment.
    pub(crate) slug: String,
    /// Indexes into the site's post list, newest first.
    pub(crate) posts: Vec<usize>,
}

impl Taxonomy {
    /// Indexes `posts` (newest first) by the terms they carry for `key`. Spellings that share a
    /// slug ("Rust", "rust") are one term.
    pub(crate) fn index(key: &str, posts: &[&Post]) -> Taxonomy {
        let mut terms: Vec<Term> = Vec::new();
        let mut by_slug: QuickMap<String, usize> = QuickMap::default();
        // Thousands of posts share a few dozen spellings: slugify each once.
        let mut by_name: QuickMap<&str, usize> = QuickMap::default();
        for (i, post) in posts.iter().enumerate() {
            for name in post.taxonomies.get(key).into_iter().flatten() {
                let t = match by_name.get(name.as_str()) {
                    Some(&t) => t,
                    None => {
                        let slug = slug::slugify(name);
                        let t = *by_slug.entry(slug.clone()).or_insert_with(|| {
                            terms.push(Term {
                                name: name.clone(),
                                slug,
                                posts: Vec::new(),
                            });
                            terms.len() - 1
                        });
                        by_name.insert(name, t);
                        t
                    }
                };
                terms[t].posts.push(i);
            }
        }
        terms.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
        Taxonomy {
            key: key.to_string(),
            prefix: String::new(),
            terms,
        }
    }

    /// Site path of the taxonomy's listing: `tags/`, `en/tags/`.
    pub(crate) fn path(&self) -> String {
        format!("{}{}/", self.prefix, self.key)
    }

    /// Site path of the first page of its `i`th term: `tags/rust/`, `en/tags/rust/`.
    pub(crate) fn term_path(&self, i: usize) -> String {
        format!("{}{}/{}/", self.prefix, self.key, self.terms[i].slug)
    }
}

/// The slug, in edition `to`, of the term whose slug is `slug` in edition `from`: terms of
/// the default language are translated by each other language's `terms` table
/// (`[languages.en.terms] "logiciel libre" = "free software"`), and a term no table names
/// keeps its slug, so `rust` is `rust` in every language.
pub(crate) fn translated_slug(config: &Config, (from, slug): (usize, &str), to: usize) -> String {
    // Back to the default language, then out to the other.
    let original = match config.languages.get(from).filter(|_| from != 0) {
        Some(language) => language
            .terms
            .iter()
            .find(|(_, translated)| slug::slugify(translated) == slug)
            .map_or_else(|| slug.to_string(), |(original, _)| slug::slugify(original)),
        None => slug.to_string(),
    };
    match config.languages.get(to).filter(|_| to != 0) {
        Some(language) => language
            .terms
            .iter()
            .find(|(original_name, _)| slug::slugify(original_name) == original)
            .map_or(original, |(_, translated)| slug::slugify(translated)),
        None => original,
    }
}
