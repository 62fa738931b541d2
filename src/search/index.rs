//! One language's search index: its documents and the stems that find them, split into the
//! files the search page fetches (see the README's "Search" section for the format).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::search::analyze::{stem, words};

/// The most characters of a post's text a result's excerpt is taken from.
const TEXT_CHARS: usize = 3000;
/// Documents per term shard: about 15 KB of compressed postings each at 10,000 posts.
const DOCS_PER_SHARD: usize = 25;
/// Documents per prefix file.
const DOCS_PER_PREFIX_FILE: usize = 100;
/// Most shards and prefix files of one index.
const MAX_FILES: usize = 1024;
/// From this many documents, a stem found in more than [`COMMON_SHARE`] of them is not indexed:
/// it would find everything and weigh as much as the rest of a query's files.
const COMMON_FROM: usize = 50;
/// See [`COMMON_FROM`].
const COMMON_SHARE: f64 = 0.4;

/// How much a word counts in each field of a post.
const TITLE: f64 = 8.0;
/// See [`TITLE`].
const TERMS: f64 = 5.0;
/// See [`TITLE`].
const DESCRIPTION: f64 = 3.0;
/// See [`TITLE`].
const AUTHORS: f64 = 2.0;
/// See [`TITLE`].
const BODY: f64 = 1.0;

/// A post as the search index reads it.
pub(crate) struct Source<'a> {
    /// Its title.
    pub(crate) title: &'a str,
    /// Its description.
    pub(crate) description: Option<&'a str>,
    /// Its terms of every taxonomy.
    pub(crate) terms: Vec<&'a str>,
    /// Its authors.
    pub(crate) authors: &'a [String],
    /// Its body, as HTML.
    pub(crate) html: &'a str,
    /// The language its words are stemmed in.
    pub(crate) lang: &'a str,
}

/// What a result shows of a post: the file `d/{id}.json`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub(crate) struct Shown {
    /// Its title.
    pub(crate) title: String,
    /// Root-relative link.
    pub(crate) url: String,
    /// Publication day, `2024-01-29`.
    pub(crate) date: String,
    /// The same, as pages show it.
    pub(crate) date_display: String,
    /// Its language.
    pub(crate) lang: String,
    /// Its tags.
    pub(crate) tags: Vec<String>,
    /// The start of its text, for the excerpt.
    pub(crate) text: String,
}

/// One language's index.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// `meta.json`.
    pub(crate) meta: Meta,
    /// `s/{k}.json`: postings by stem, each encoded as the file has it.
    pub(crate) shards: Vec<BTreeMap<String, Vec<u32>>>,
    /// `p/{k}.json`: stems and their document frequency, by their first two characters.
    pub(crate) prefixes: Vec<BTreeMap<String, u32>>,
}

/// `meta.json`: what the search page reads first.
#[derive(Debug, Default, Serialize, Hash)]
pub(crate) struct Meta {
    /// The format's version.
    pub(crate) version: u32,
    /// The language.
    pub(crate) lang: String,
    /// Documents.
    pub(crate) count: usize,
    /// Term shards.
    pub(crate) shards: usize,
    /// Prefix files.
    pub(crate) prefixes: usize,
    /// Stems too frequent to be indexed, sorted.
    pub(crate) common: Vec<String>,
}

/// How many term shards and prefix files an index of `count` documents has: known before the
/// index is built, so the build can plan its files.
pub(crate) fn file_counts(count: usize) -> (usize, usize) {
    (
        count.div_ceil(DOCS_PER_SHARD).clamp(1, MAX_FILES),
        count.div_ceil(DOCS_PER_PREFIX_FILE).clamp(1, MAX_FILES),
    )
}

/// FNV-1a, 32 bits: the page's script picks files with the same function.
pub(crate) fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The file a stem's postings are in, of `shards`.
pub(crate) fn shard_of(stem: &str, shards: usize) -> usize {
    fnv1a(stem.as_bytes()) as usize % shards
}

/// The prefix file of a stem, of `files`: by its first two characters.
pub(crate) fn prefix_file_of(stem: &str, files: usize) -> usize {
    let end = stem.char_indices().nth(2).map_or(stem.len(), |(i, _)| i);
    fnv1a(&stem.as_bytes()[..end]) as usize % files
}

/// The stems of one post and their weights, sorted by stem.
fn weigh(source: &Source<'_>) -> Vec<(String, u32)> {
    let mut counts: HashMap<String, [u32; 5]> = HashMap::new();
    let mut add = |text: &str, field: usize| {
        for word in words(text) {
            counts.entry(stem(&word, source.lang)).or_default()[field] += 1;
        }
    };
    add(source.title, 0);
    for term in &source.terms {
        add(term, 1);
    }
    if let Some(description) = source.description {
        add(description, 2);
    }
    for author in source.authors {
        add(author, 3);
    }
    add(&plain_text(source.html), 4);
    let boosts = [TITLE, TERMS, DESCRIPTION, AUTHORS, BODY];
    let mut weighed: Vec<(String, u32)> = counts
        .into_iter()
        .filter(|(stem, _)| stem.chars().count() >= 2)
        .map(|(stem, tf)| {
            let w: f64 = tf
                .iter()
                .zip(boosts)
                .filter(|(tf, _)| **tf > 0)
                .map(|(tf, boost)| boost * (1.0 + f64::from(*tf).ln()))
                .sum();
            (stem, ((w * 10.0).round() as u32).max(1))
        })
        .collect();
    weighed.sort_unstable();
    weighed
}

/// The text of rendered HTML: tags become spaces, entities their characters.
pub(crate) fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of a post's text, at most [`TEXT_CHARS`] characters, cut at a word.
pub(crate) fn excerpt_text(html: &str) -> String {
    let text = plain_text(html);
    match text.char_indices().nth(TEXT_CHARS) {
        None => text,
        Some((end, _)) => {
            let cut = text[..end].rfind(' ').unwrap_or(end);
            text[..cut].to_string()
        }
    }
}

/// The index of `sources`, oldest first.
pub(crate) fn build(lang: &str, sources: Vec<Source<'_>>) -> Index {
    let count = sources.len();
    let (shard_count, prefix_count) = file_counts(count);
    let weighed: Vec<Vec<(String, u32)>> = sources.par_iter().map(weigh).collect();
    // Each stem's postings, ids ascending as documents come in order.
    let mut postings: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
    for (id, stems) in (0u32..).zip(&weighed) {
        for (stem, w) in stems {
            postings.entry(stem.as_str()).or_default().push((id, *w));
        }
    }
    let common_at = (count as f64 * COMMON_SHARE) as usize;
    let mut common: Vec<String> = Vec::new();
    let mut shards: Vec<BTreeMap<String, Vec<u32>>> = vec![BTreeMap::new(); shard_count];
    let mut prefixes: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); prefix_count];
    for (stem, list) in postings {
        if count >= COMMON_FROM && list.len() > common_at {
            common.push(stem.to_string());
            continue;
        }
        let mut encoded = Vec::with_capacity(list.len() * 2);
        let mut last = 0;
        for (id, w) in &list {
            encoded.push(id - last);
            encoded.push(*w);
            last = *id;
        }
        shards[shard_of(stem, shard_count)].insert(stem.to_string(), encoded);
        prefixes[prefix_file_of(stem, prefix_count)].insert(stem.to_string(), list.len() as u32);
    }
    common.sort_unstable();
    Index {
        meta: Meta {
            version: 1,
            lang: lang.to_string(),
            count,
            shards: shard_count,
            prefixes: prefix_count,
            common,
        },
        shards,
        prefixes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_the_script_does() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn text_of_html_keeps_words_apart() {
        assert_eq!(
            plain_text("<p>One&amp;two</p><p>three</p>"),
            "One&two three"
        );
    }
}
