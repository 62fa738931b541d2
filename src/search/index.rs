//! One language's search index: its documents and the stems that find them, split into the
//! files the search page fetches (see the README's "Search" section for the format).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::search::analyze::{each_word, each_word_of_html, stem};

/// The most characters of a post's text a result's excerpt is taken from.
const TEXT_CHARS: usize = 3000;
/// Documents per term shard: about 15 KB of compressed postings each at 10,000 posts.
const DOCS_PER_SHARD: usize = 25;
/// Posts weighed at once.
const CHUNK: usize = 512;
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

/// The stems of one post and their weights.
fn weigh(source: &Source<'_>) -> Vec<(String, u32)> {
    let mut counts: HashMap<String, [u32; 5], Fnv> = HashMap::with_capacity_and_hasher(512, Fnv);
    let mut add = |text: &str, field: usize| {
        each_word(text, |word| {
            let stem = stem(word, source.lang);
            match counts.get_mut(stem.as_ref()) {
                Some(tf) => tf[field] += 1,
                None => {
                    let mut tf = [0; 5];
                    tf[field] = 1;
                    counts.insert(stem.into_owned(), tf);
                }
            }
        });
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
    each_word_of_html(source.html, |word| {
        let stem = stem(word, source.lang);
        match counts.get_mut(stem.as_ref()) {
            Some(tf) => tf[4] += 1,
            None => {
                counts.insert(stem.into_owned(), [0, 0, 0, 0, 1]);
            }
        }
    });
    let boosts = [TITLE, TERMS, DESCRIPTION, AUTHORS, BODY];
    counts
        .into_iter()
        .filter(|(stem, _)| stem.chars().nth(1).is_some())
        .map(|(stem, tf)| {
            let w: f64 = tf
                .iter()
                .zip(boosts)
                .filter(|(tf, _)| **tf > 0)
                .map(|(tf, boost)| boost * (1.0 + f64::from(*tf).ln()))
                .sum();
            (stem, ((w * 10.0).round() as u32).max(1))
        })
        .collect()
}

/// FNV-1a as a hasher for the index's maps of words: millions of short keys, hashed faster
/// than with the default hasher, and no one chooses them to collide (they are the site's own).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv;

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0x811c_9dc5)
    }
}

/// The state of [`Fnv`].
pub(crate) struct FnvHasher(u32);

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
}

/// The text of rendered HTML, in one pass over its bytes: tags become spaces, the entities
/// HTML escaping writes their characters, and runs of ASCII white space one space.
#[cfg(test)]
pub(crate) fn plain_text(html: &str) -> String {
    plain_text_up_to(html, usize::MAX)
}

/// [`plain_text`], stopping once it holds `limit` characters: an excerpt needs the start only.
fn plain_text_up_to(html: &str, limit: usize) -> String {
    const ENTITIES: [(&[u8], &[u8]); 6] = [
        (b"&lt;", b"<"),
        (b"&gt;", b">"),
        (b"&quot;", b"\""),
        (b"&#39;", b"'"),
        (b"&nbsp;", "\u{a0}".as_bytes()),
        (b"&amp;", b"&"),
    ];
    let bytes = html.as_bytes();
    let mut text: Vec<u8> = Vec::with_capacity(bytes.len().min(limit.saturating_mul(2)));
    // Characters in `text`: each byte that does not continue a character starts one.
    let mut chars = 0;
    fn push(text: &mut Vec<u8>, chars: &mut usize, more: &[u8]) {
        *chars += more.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        text.extend_from_slice(more);
    }
    let mut at = 0;
    // Past the limit, only the rest of the last character.
    while at < bytes.len() && (chars < limit || bytes[at] & 0xC0 == 0x80) {
        match bytes[at] {
            b'<' => {
                at = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |end| at + end + 1);
                if text.last().is_some_and(|&b| b != b' ') {
                    push(&mut text, &mut chars, b" ");
                }
            }
            b'&' => {
                let rest = &bytes[at..];
                match ENTITIES.iter().find(|(name, _)| rest.starts_with(name)) {
                    Some((name, decoded)) => {
                        push(&mut text, &mut chars, decoded);
                        at += name.len();
                    }
                    None => {
                        push(&mut text, &mut chars, b"&");
                        at += 1;
                    }
                }
            }
            b if b.is_ascii_whitespace() => {
                if text.last().is_some_and(|&b| b != b' ') {
                    push(&mut text, &mut chars, b" ");
                }
                at += 1;
            }
            _ => {
                push(&mut text, &mut chars, &bytes[at..=at]);
                at += 1;
            }
        }
    }
    if text.last() == Some(&b' ') {
        text.pop();
    }
    // Whole characters were copied or dropped, never split.
    String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The start of a post's text, at most [`TEXT_CHARS`] characters, cut at a word.
pub(crate) fn excerpt_text(html: &str) -> String {
    let text = plain_text_up_to(html, TEXT_CHARS + 1);
    match text.char_indices().nth(TEXT_CHARS) {
        None => text,
        Some((end, _)) => {
            let cut = text[..end].rfind(' ').unwrap_or(end);
            text[..cut].to_string()
        }
    }
}

/// One shard's stems, each with its posts and weights, posts in order.
type Postings = HashMap<Box<str>, Vec<(u32, u32)>, Fnv>;

/// The index of `sources`, oldest first.
pub(crate) fn build(lang: &str, sources: Vec<Source<'_>>) -> Index {
    let count = sources.len();
    let (shard_count, prefix_count) = file_counts(count);
    // Each shard's stems and their postings, filled a chunk of posts at a time: the stems of
    // every post at once would weigh more than the index itself.
    let mut postings: Vec<Postings> = (0..shard_count).map(|_| HashMap::default()).collect();
    for (chunk, sources) in (0u32..).zip(sources.chunks(CHUNK)) {
        let weighed: Vec<Vec<(String, u32)>> = sources.par_iter().map(weigh).collect();
        let mut scattered: Vec<Vec<(String, u32, u32)>> = vec![Vec::new(); shard_count];
        for (offset, stems) in (0u32..).zip(weighed) {
            let id = chunk * CHUNK as u32 + offset;
            for (stem, w) in stems {
                scattered[shard_of(&stem, shard_count)].push((stem, id, w));
            }
        }
        postings
            .par_iter_mut()
            .zip(scattered)
            .for_each(|(shard, found)| {
                for (stem, id, w) in found {
                    shard
                        .entry(stem.into_boxed_str())
                        .or_default()
                        .push((id, w));
                }
            });
    }
    // A stem most posts have would find everything and weigh more than the rest of a query.
    let common_at = (count as f64 * COMMON_SHARE) as usize;
    let is_common = |list: &[(u32, u32)]| count >= COMMON_FROM && list.len() > common_at;
    let shards: Vec<BTreeMap<String, Vec<u32>>> = postings
        .par_iter()
        .map(|shard| {
            shard
                .iter()
                .filter(|(_, list)| !is_common(list))
                .map(|(stem, list)| {
                    let mut encoded = Vec::with_capacity(list.len() * 2);
                    let mut last = 0;
                    for &(id, w) in list {
                        encoded.push(id - last);
                        encoded.push(w);
                        last = id;
                    }
                    (stem.to_string(), encoded)
                })
                .collect()
        })
        .collect();
    let mut prefixes: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); prefix_count];
    let mut common: Vec<String> = Vec::new();
    for (stem, list) in postings.iter().flatten() {
        if is_common(list) {
            common.push(stem.to_string());
        } else {
            prefixes[prefix_file_of(stem, prefix_count)]
                .insert(stem.to_string(), list.len() as u32);
        }
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
    fn words_of_html_are_the_words_of_its_text() {
        let html =
            "<p>L&#39;audit d’<em>été</em>&amp;co, <a href=\"x\">Œuvres</a></p>\n<p>ÉCRIRE</p>";
        let mut of_html = Vec::new();
        each_word_of_html(html, |w| of_html.push(w.to_string()));
        let mut of_text = Vec::new();
        each_word(&plain_text(html), |w| of_text.push(w.to_string()));
        assert_eq!(of_html, of_text);
        assert_eq!(of_html, ["audit", "ete", "co", "oeuvres", "ecrire"]);
    }

    #[test]
    fn text_of_html_keeps_words_apart() {
        assert_eq!(
            plain_text("<p>One&amp;two</p><p>three</p>"),
            "One&two three"
        );
    }
}
