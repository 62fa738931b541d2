//! One language's search index: its documents and the stems that find them, split into the
//! files the search page fetches (see the README's "Search" section for the format).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::hash::{BuildQuick, fnv1a, quick};
use crate::search::analyze::{Stemmer, each_word, each_word_of_html};

/// The most characters of a post's text a result's excerpt is taken from.
const TEXT_CHARS: usize = 3000;
/// Documents per term shard: about 15 KB of compressed postings each at 10,000 posts.
const DOCS_PER_SHARD: usize = 25;
/// Posts weighed at once.
const CHUNK: usize = 512;
/// Posts of a chunk whose stems one core sorts by shard.
const RUN: usize = CHUNK / 4;
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

/// One language's index: its postings, and its files as the site serves them. Kept from one
/// build of the preview to the next, an edit changes only the files its words are in.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// The language its words are stemmed in.
    lang: String,
    /// What each document was made from, by id: an unchanged one is not read again.
    keys: Vec<u64>,
    /// Per term shard, each stem's documents and weights, documents in order.
    postings: Vec<Postings>,
    /// The stems too frequent to be indexed, sorted.
    common: Vec<Box<str>>,
    /// `meta.json`.
    pub(crate) meta: File,
    /// `s/{k}.json`.
    pub(crate) shards: Vec<File>,
    /// `p/{k}.json`.
    pub(crate) prefixes: Vec<File>,
}

/// A file of the index: its bytes and their hash, which its cache key reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct File {
    /// The JSON text.
    pub(crate) bytes: std::sync::Arc<[u8]>,
    /// A hash of it.
    pub(crate) hash: u64,
}

impl std::hash::Hash for File {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // The bytes are known by their hash: hashing them again would cost as much as
        // writing them.
        self.hash.hash(h);
    }
}

impl File {
    fn of(value: &impl Serialize) -> File {
        let bytes = serde_json::to_vec(value).expect("search files serialize");
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&bytes, &mut h);
        File {
            hash: std::hash::Hasher::finish(&h),
            bytes: bytes.into(),
        }
    }
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

/// The file a stem's postings are in, of `shards`.
pub(crate) fn shard_of(stem: &str, shards: usize) -> usize {
    fnv1a(stem.as_bytes()) as usize % shards
}

/// The prefix file of a stem, of `files`: by its first two characters.
pub(crate) fn prefix_file_of(stem: &str, files: usize) -> usize {
    let end = stem.char_indices().nth(2).map_or(stem.len(), |(i, _)| i);
    fnv1a(&stem.as_bytes()[..end]) as usize % files
}

/// The stems of one post and their weights: the stems end to end in one string, and where
/// each ends with its weight. A post has hundreds of stems, an index millions: one string per
/// post rather than one per stem.
#[derive(Default)]
struct Weighed {
    /// The stems, one after the other.
    text: String,
    /// Each stem's end in `text`, and its weight.
    stems: Vec<(u32, u32)>,
}

impl Weighed {
    /// Each stem and its weight.
    fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        let mut start = 0;
        self.stems.iter().map(move |&(end, w)| {
            let stem = &self.text[start..end as usize];
            start = end as usize;
            (stem, w)
        })
    }
}

/// What weighing posts works in, kept by each thread from one post to the next: every word
/// it met with the number of its stem, so that a word is stemmed once and then counted with
/// one look-up, and the counts of the post being weighed.
#[derive(Default)]
struct Counts {
    /// The number of each word's stem, by the word's hash (see [`Counts::add`]).
    words: hashbrown::HashTable<(u64, u32)>,
    /// Numbers into `stem_ends`, by the hash of their stem.
    stems: hashbrown::HashTable<u32>,
    /// The stems met, one after the other.
    stem_text: String,
    /// Where each stem ends in `stem_text`: it starts where the one before ends.
    stem_ends: Vec<u32>,
    /// The post's count of each stem in each field, by the stem's number.
    tf: Vec<[u32; 5]>,
    /// The numbers of the post's stems, in the order they came.
    seen: Vec<u32>,
}

/// Most words a thread keeps between posts: a site's vocabulary is far smaller, but a
/// preview runs for days. Tests start over far sooner, so that doing so is tried.
const WORDS_KEPT: usize = if cfg!(test) { 64 } else { 1 << 20 };

impl Counts {
    /// Counts the stem of `word`, in `stemmer`'s language, once more in `field`. A word is
    /// known by its 64-bit hash alone, the stemmer mixed in: two of a site's words sharing
    /// one is about as likely as a disk returning a wrong byte, and no look-up then compares
    /// the words themselves.
    fn add(&mut self, word: &str, stemmer: Stemmer, field: usize) {
        let hash = quick(word.as_bytes()) ^ STEMMER_SALT[stemmer as usize];
        let stem = match self.words.find(hash, |&(h, _)| h == hash) {
            Some(&(_, stem)) => stem,
            None => {
                let stem = self.stem_number(&stemmer.stem(word));
                self.words.insert_unique(hash, (hash, stem), |&(h, _)| h);
                stem
            }
        };
        let tf = &mut self.tf[stem as usize];
        if *tf == [0; 5] {
            self.seen.push(stem);
        }
        tf[field] += 1;
    }

    /// Stem number `i`.
    fn stem(&self, i: u32) -> &str {
        nth_of(&self.stem_text, &self.stem_ends, i)
    }

    /// The number of `stem`, given to it when first met.
    fn stem_number(&mut self, stem: &str) -> u32 {
        let hash = quick(stem.as_bytes());
        if let Some(&i) = self.stems.find(hash, |&i| self.stem(i) == stem) {
            return i;
        }
        self.stem_text.push_str(stem);
        self.stem_ends.push(self.stem_text.len() as u32);
        self.tf.push([0; 5]);
        let i = (self.stem_ends.len() - 1) as u32;
        let (text, ends) = (&self.stem_text, &self.stem_ends);
        self.stems
            .insert_unique(hash, i, |&i| quick(nth_of(text, ends, i).as_bytes()));
        i
    }
}

/// String number `i` of strings stored end to end in `text`, each ending where `ends` says.
fn nth_of<'t>(text: &'t str, ends: &[u32], i: u32) -> &'t str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start as usize..ends[i] as usize]
}

/// Mixed into a word's hash, by stemmer: a word of two languages has a stem in each.
const STEMMER_SALT: [u64; 3] = [0, 0x9e37_79b9_7f4a_7c15, 0x6a09_e667_f3bc_c909];

thread_local! {
    /// Each thread's [`Counts`].
    static COUNTS: std::cell::RefCell<Counts> = std::cell::RefCell::default();
}

/// The stems of one post and their weights.
fn weigh(source: &Source<'_>) -> Weighed {
    COUNTS.with_borrow_mut(|counts| {
        if counts.words.len() > WORDS_KEPT {
            *counts = Counts::default();
        }
        let stemmer = Stemmer::of(source.lang);
        let mut add = |text: &str, field: usize| {
            each_word(text, |word| counts.add(word, stemmer, field));
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
        each_word_of_html(source.html, |word| counts.add(word, stemmer, 4));
        let boosts = [TITLE, TERMS, DESCRIPTION, AUTHORS, BODY];
        let mut weighed = Weighed {
            text: String::new(),
            stems: Vec::with_capacity(counts.seen.len()),
        };
        for &stem in &counts.seen {
            let tf = std::mem::take(&mut counts.tf[stem as usize]);
            let stem = counts.stem(stem);
            if stem.chars().nth(1).is_none() {
                continue;
            }
            let w: f64 = tf
                .iter()
                .zip(boosts)
                .filter(|(tf, _)| **tf > 0)
                .map(|(tf, boost)| boost * (1.0 + f64::from(*tf).ln()))
                .sum();
            weighed.text.push_str(stem);
            weighed.stems.push((
                weighed.text.len() as u32,
                ((w * 10.0).round() as u32).max(1),
            ));
        }
        counts.seen.clear();
        weighed
    })
}

/// The text of rendered HTML, in one pass over its bytes: tags become spaces, the entities
/// HTML escaping writes their characters, and runs of ASCII white space one space.
#[cfg(test)]
pub(crate) fn plain_text(html: &str) -> String {
    plain_text_up_to(html, usize::MAX).0
}

/// The entities HTML escaping writes, and their characters.
const ENTITIES: [(&str, &str); 6] = [
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&nbsp;", "\u{a0}"),
    ("&amp;", "&"),
];

/// [`plain_text`], stopping once it holds at least `limit` characters (the rest of a line of
/// text at most): an excerpt needs the start only. A line's words, one space apart, are copied
/// at once. Returns the text and its length in characters.
fn plain_text_up_to(html: &str, limit: usize) -> (String, usize) {
    let bytes = html.as_bytes();
    let mut text = String::with_capacity(html.len().min(limit.saturating_mul(2)));
    let mut chars = 0;
    // A space is owed: white space or a block's edge came since the last text.
    let mut space = false;
    let mut at = 0;
    while at < bytes.len() && chars < limit {
        let next = memchr::memchr2(b'<', b'&', &bytes[at..]).map_or(bytes.len(), |n| at + n);
        while at < next {
            if bytes[at].is_ascii_whitespace() {
                space = true;
                at += 1;
                continue;
            }
            // Words and the single spaces between them, up to other white space.
            let start = at;
            at = words_end(&bytes[..next], at);
            if space && !text.is_empty() {
                text.push(' ');
                chars += 1;
            }
            let words = &html[start..at];
            text.push_str(words);
            chars += words.bytes().filter(|&b| begins_char(b)).count();
            space = false;
        }
        let Some(&b) = bytes.get(at) else { break };
        if b == b'<' {
            let end = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |end| at + end + 1);
            space |= crate::search::analyze::separates(&bytes[at..end]);
            at = end;
        } else {
            let rest = &html[at..];
            let (name, decoded) = ENTITIES
                .iter()
                .find(|(name, _)| rest.starts_with(name))
                .copied()
                .unwrap_or(("&", "&"));
            if space && !text.is_empty() {
                text.push(' ');
                chars += 1;
            }
            text.push_str(decoded);
            chars += 1;
            space = false;
            at += name.len();
        }
    }
    (text, chars)
}

/// Where the words from `at` and the single spaces between them end in `bytes`: at white
/// space other than one space before a word. Bytes are looked at [`SPAN`] at once, which the
/// compiler does in a few instructions, while none of them ends the words.
fn words_end(bytes: &[u8], mut at: usize) -> usize {
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b) && b != 0x0b;
    let ends = |b: u8, next: u8| space(b) && (b != b' ' || space(next));
    while let Some(span) = bytes.get(at..at + SPAN + 1) {
        if span
            .iter()
            .zip(&span[1..])
            .fold(false, |any, (&b, &next)| any | ends(b, next))
        {
            break;
        }
        at += SPAN;
    }
    while at < bytes.len() && !ends(bytes[at], bytes.get(at + 1).copied().unwrap_or(b'\n')) {
        at += 1;
    }
    at
}

/// Bytes [`words_end`] looks at at once.
const SPAN: usize = 32;

/// The start of a post's text, at most [`TEXT_CHARS`] characters, cut at a word.
pub(crate) fn excerpt_text(html: &str) -> String {
    let (mut text, chars) = plain_text_up_to(html, TEXT_CHARS + 1);
    if chars > TEXT_CHARS {
        // The characters past the limit are the end of the last line read: they are counted
        // back from the end rather than the whole text from its start.
        let past = chars - TEXT_CHARS;
        let end = text
            .char_indices()
            .rev()
            .nth(past - 1)
            .map_or(0, |(i, _)| i);
        let cut = text[..end].rfind(' ').unwrap_or(end);
        text.truncate(cut);
    }
    text
}

/// Whether byte `b` of UTF-8 text begins a character: it is no continuation byte.
fn begins_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// Stems of one shard met in a run of posts, each with its post and weight.
type Scattered<'a> = Vec<(&'a str, u32, u32)>;

/// One shard's stems, each with its posts and weights, posts in order.
type Postings = HashMap<Box<str>, Vec<(u32, u32)>, BuildQuick>;

/// Most changed documents an index takes one by one; past that it is made again.
const EDITS: usize = 64;

impl Index {
    /// Brings the index up to date with its documents, oldest first: `keys` says what each is
    /// made from, and `source` gives the one asked for. Unchanged documents are not read, and
    /// only the files a changed one's words are in are written again.
    pub(crate) fn update<'s>(
        &mut self,
        lang: &str,
        keys: &[u64],
        source: impl Fn(usize) -> Source<'s> + Sync,
    ) {
        let count = keys.len();
        let (shard_count, prefix_count) = file_counts(count);
        let changed: Vec<usize> = (0..count)
            .filter(|&id| self.keys.get(id) != Some(&keys[id]))
            .collect();
        let in_place = self.lang == lang
            && self.postings.len() == shard_count
            && self.prefixes.len() == prefix_count
            && count >= self.keys.len()
            && changed.len() <= EDITS;
        if !in_place {
            *self = Index::made(lang, count, &source);
        } else if !changed.is_empty() {
            let touched = self.edit(&changed, &source);
            self.write(count, Some(touched));
        }
        self.keys = keys.to_vec();
    }

    /// The index of `count` documents, made anew.
    fn made<'s>(lang: &str, count: usize, source: &(impl Fn(usize) -> Source<'s> + Sync)) -> Index {
        let (shard_count, prefix_count) = file_counts(count);
        // Each shard's stems and their postings, filled a chunk of posts at a time: the stems
        // of every post at once would weigh more than the index itself.
        let mut postings: Vec<Postings> = (0..shard_count).map(|_| HashMap::default()).collect();
        for start in (0..count).step_by(CHUNK) {
            let ids = start..(start + CHUNK).min(count);
            let weighed: Vec<Weighed> = ids
                .clone()
                .into_par_iter()
                .map(|id| weigh(&source(id)))
                .collect();
            // Each run of posts sorted by shard on its own core, then each shard filled from
            // the runs in order, so that its lists stay in the order of the posts.
            let runs: Vec<Vec<Scattered<'_>>> = weighed
                .par_chunks(RUN)
                .enumerate()
                .map(|(run, posts)| {
                    let mut scattered: Vec<Scattered<'_>> = vec![Vec::new(); shard_count];
                    let first = (start + run * RUN) as u32;
                    for (id, stems) in (first..).zip(posts) {
                        for (stem, w) in stems.iter() {
                            scattered[shard_of(stem, shard_count)].push((stem, id, w));
                        }
                    }
                    scattered
                })
                .collect();
            postings.par_iter_mut().enumerate().for_each(|(k, shard)| {
                for &(stem, id, w) in runs.iter().flat_map(|run| &run[k]) {
                    match shard.get_mut(stem) {
                        Some(list) => list.push((id, w)),
                        None => {
                            shard.insert(stem.into(), vec![(id, w)]);
                        }
                    }
                }
            });
        }
        let mut index = Index {
            lang: lang.to_string(),
            keys: Vec::new(),
            postings,
            common: Vec::new(),
            meta: File::default(),
            shards: vec![File::default(); shard_count],
            prefixes: vec![File::default(); prefix_count],
        };
        index.write(count, None);
        index
    }

    /// Takes the `changed` documents out and puts their new versions in; returns the stems
    /// whose documents changed.
    fn edit<'s>(
        &mut self,
        changed: &[usize],
        source: &(impl Fn(usize) -> Source<'s> + Sync),
    ) -> Vec<Box<str>> {
        let shard_count = self.postings.len();
        let mut touched: Vec<Box<str>> = Vec::new();
        let old = self.keys.len();
        let gone: Vec<u32> = changed
            .iter()
            .filter(|&&id| id < old)
            .map(|&id| id as u32)
            .collect();
        if !gone.is_empty() {
            // What a document had is not kept: its ids are looked for in every list, on every
            // core (a save of the preview waits for it).
            let emptied: Vec<Vec<Box<str>>> = self
                .postings
                .par_iter_mut()
                .map(|shard| {
                    let mut touched = Vec::new();
                    shard.retain(|stem, list| {
                        let before = list.len();
                        list.retain(|(id, _)| gone.binary_search(id).is_err());
                        if list.len() != before {
                            touched.push(stem.clone());
                        }
                        !list.is_empty()
                    });
                    touched
                })
                .collect();
            touched.extend(emptied.into_iter().flatten());
        }
        let weighed: Vec<(usize, Weighed)> = changed
            .par_iter()
            .map(|&id| (id, weigh(&source(id))))
            .collect();
        for (id, stems) in &weighed {
            for (stem, w) in stems.iter() {
                let list = self.postings[shard_of(stem, shard_count)]
                    .entry(stem.into())
                    .or_default();
                let at = list.partition_point(|(other, _)| *other < *id as u32);
                list.insert(at, (*id as u32, w));
                touched.push(stem.into());
            }
        }
        touched
    }

    /// Writes the files of an index of `count` documents again: all of them, or those of the
    /// `touched` stems (and of the stems
    /// that became common or stopped being so).
    fn write(&mut self, count: usize, touched: Option<Vec<Box<str>>>) {
        // A stem most posts have would find everything and weigh more than the rest of a query.
        let common_at = (count as f64 * COMMON_SHARE) as usize;
        let is_common = |list: &[(u32, u32)]| count >= COMMON_FROM && list.len() > common_at;
        let mut common: Vec<Box<str>> = self
            .postings
            .iter()
            .flatten()
            .filter(|(_, list)| is_common(list))
            .map(|(stem, _)| stem.clone())
            .collect();
        common.sort_unstable();
        let (shard_count, prefix_count) = (self.shards.len(), self.prefixes.len());
        let (mut shards, mut prefixes): (Vec<bool>, Vec<bool>) = match &touched {
            None => (vec![true; shard_count], vec![true; prefix_count]),
            Some(stems) => {
                let mut shards = vec![false; shard_count];
                let mut prefixes = vec![false; prefix_count];
                for stem in stems {
                    shards[shard_of(stem, shard_count)] = true;
                    prefixes[prefix_file_of(stem, prefix_count)] = true;
                }
                (shards, prefixes)
            }
        };
        // A stem that became common, or stopped being so, leaves or joins its files.
        for stem in common
            .iter()
            .filter(|s| self.common.binary_search(s).is_err())
            .chain(
                self.common
                    .iter()
                    .filter(|s| common.binary_search(s).is_err()),
            )
        {
            shards[shard_of(stem, shard_count)] = true;
            prefixes[prefix_file_of(stem, prefix_count)] = true;
        }
        let postings = &self.postings;
        let fresh: Vec<(usize, File)> = (0..shard_count)
            .into_par_iter()
            .filter(|&k| shards[k])
            .map(|k| {
                let encoded: BTreeMap<&str, Vec<u32>> = postings[k]
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
                        (&**stem, encoded)
                    })
                    .collect();
                (k, File::of(&encoded))
            })
            .collect();
        for (k, file) in fresh {
            self.shards[k] = file;
        }
        let mut by_prefix: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); prefix_count];
        for (stem, list) in postings.iter().flatten() {
            let k = prefix_file_of(stem, prefix_count);
            if prefixes[k] && !is_common(list) {
                by_prefix[k].insert(stem, list.len());
            }
        }
        for (k, stems) in by_prefix.iter().enumerate() {
            if prefixes[k] {
                self.prefixes[k] = File::of(stems);
            }
        }
        self.meta = File::of(&Meta {
            version: 1,
            lang: self.lang.clone(),
            count,
            shards: shard_count,
            prefixes: prefix_count,
            common: common.iter().map(|s| s.to_string()).collect(),
        });
        self.common = common;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread remembers the stems of the words it met: a word met again in a post of
    /// another language gets that language's stem.
    #[test]
    fn a_word_has_the_stem_of_each_posts_language() {
        let stems = |lang: &str| -> Vec<String> {
            let post = Source {
                title: "Writing",
                description: None,
                terms: vec![],
                authors: &[],
                html: "<p>writing houses</p>",
                lang,
            };
            weigh(&post).iter().map(|(s, _)| s.to_string()).collect()
        };
        assert_eq!(stems("fr"), ["writing", "hous"]);
        assert_eq!(stems("en"), ["writ", "hous"]);
        assert_eq!(stems("fr"), ["writing", "hous"]);
    }

    /// A thread that met too many words starts over, and weighs posts as before.
    #[test]
    fn a_thread_that_forgets_its_words_weighs_posts_alike() {
        fn weighed(html: &str, lang: &str) -> Vec<(String, u32)> {
            let post = Source {
                title: "Communauté",
                description: None,
                terms: vec![],
                authors: &[],
                html,
                lang,
            };
            weigh(&post)
                .iter()
                .map(|(s, n)| (s.to_string(), n))
                .collect()
        }
        let alone = weighed("<p>communautés</p>", "fr");
        let many: String = (0..2 * WORDS_KEPT)
            .map(|n| format!("<p>mot{n} communities</p>"))
            .collect();
        assert!(weighed(&many, "en").len() > WORDS_KEPT);
        assert!(COUNTS.with_borrow(|counts| counts.words.len() > WORDS_KEPT));
        // The next post is weighed by a thread that knows nothing else.
        assert_eq!(weighed("<p>communautés</p>", "fr"), alone);
        assert_eq!(COUNTS.with_borrow(|counts| counts.words.len()), 2);
        assert_eq!(alone[0].0, "communaut");
    }

    /// An index brought up to date edit by edit has the files of one made anew.
    #[test]
    fn an_updated_index_equals_one_made_anew() {
        let bodies: Vec<String> = (0..80)
            .map(|n| {
                format!(
                    "<p>Le texte {n}, les communautés et l’audit numéro{}.</p>",
                    n % 7
                )
            })
            .collect();
        fn source(bodies: &[String], id: usize) -> Source<'_> {
            Source {
                title: "Un titre",
                description: None,
                terms: Vec::new(),
                authors: &[],
                html: &bodies[id],
                lang: "fr",
            }
        }
        let files = |index: &Index| {
            (
                index.meta.bytes.to_vec(),
                index
                    .shards
                    .iter()
                    .map(|f| f.bytes.to_vec())
                    .collect::<Vec<_>>(),
                index
                    .prefixes
                    .iter()
                    .map(|f| f.bytes.to_vec())
                    .collect::<Vec<_>>(),
            )
        };
        let mut kept = Index::default();
        let mut bodies = bodies;
        let keys = |bodies: &[String]| -> Vec<u64> {
            bodies
                .iter()
                .map(|b| {
                    let mut h = std::hash::DefaultHasher::new();
                    std::hash::Hash::hash(b, &mut h);
                    std::hash::Hasher::finish(&h)
                })
                .collect()
        };
        kept.update("fr", &keys(&bodies), |id| source(&bodies, id));
        // An edit, a new post (same number of files), then a word every post gets.
        bodies[3] = "<p>Un mot nouveau : zythum.</p>".to_string();
        bodies.push("<p>Encore un billet, numéro3.</p>".to_string());
        for step in 0..2 {
            if step == 1 {
                for b in bodies.iter_mut().take(20) {
                    b.push_str("<p>numéro3</p>");
                }
            }
            kept.update("fr", &keys(&bodies), |id| source(&bodies, id));
            let mut fresh = Index::default();
            fresh.update("fr", &keys(&bodies), |id| source(&bodies, id));
            assert!(files(&kept) == files(&fresh), "step {step}");
        }
    }

    #[test]
    fn hashes_as_the_script_does() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn words_of_html_are_the_words_of_its_text() {
        let html = "<p>L&#39;audit d’<em>été</em>&amp;co, <a href=\"x\">Œuvres</a>, \
                    <em>auto</em>nomie</p>\n<p>ÉCRIRE</p><p>fin</p>";
        let mut of_html = Vec::new();
        each_word_of_html(html, |w| of_html.push(w.to_string()));
        let mut of_text = Vec::new();
        each_word(&plain_text(html), |w| of_text.push(w.to_string()));
        assert_eq!(of_html, of_text);
        assert_eq!(
            of_html,
            [
                "audit",
                "ete",
                "co",
                "oeuvres",
                "autonomie",
                "ecrire",
                "fin"
            ]
        );
    }

    /// The text of `html` as [`plain_text`] defines it, a character at a time.
    fn text_read_slowly(html: &str) -> String {
        let (mut text, mut space, mut rest) = (String::new(), false, html);
        while let Some(c) = rest.chars().next() {
            let (shown, len) = match c {
                '<' => {
                    let end = rest.find('>').map_or(rest.len(), |end| end + 1);
                    space |= crate::search::analyze::separates(&rest.as_bytes()[..end]);
                    rest = &rest[end..];
                    continue;
                }
                c if c.is_ascii_whitespace() => {
                    space = true;
                    rest = &rest[1..];
                    continue;
                }
                '&' => ENTITIES
                    .iter()
                    .find(|(name, _)| rest.starts_with(name))
                    .map_or(("&", 1), |(name, shown)| (*shown, name.len())),
                _ => (&rest[..c.len_utf8()], c.len_utf8()),
            };
            if space && !text.is_empty() {
                text.push(' ');
            }
            space = false;
            text.push_str(shown);
            rest = &rest[len..];
        }
        text
    }

    /// Text of tags, entities, white space and letters of one to four bytes, in any order and
    /// runs long enough to cross the spans read at once.
    #[test]
    fn text_of_html_is_the_text_read_a_character_at_a_time() {
        const PIECES: [&str; 17] = [
            "mot", "é", "日本", "🙂", " ", "  ", "\n", "\t\r ", "<p>", "</p>", "<em>", "</a>",
            "&amp;", "&#39;", "&", "&nbsp;", "\u{c}",
        ];
        let mut seed: u64 = 7;
        let mut long = 0;
        for case in 0..3000 {
            let mut html = String::new();
            let pieces = (case % 40) * (1 + case % 7) * if case % 10 == 0 { 30 } else { 3 };
            for _ in 0..pieces {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                html.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
            }
            let slowly = text_read_slowly(&html);
            assert_eq!(plain_text(&html), slowly, "{html:?}");
            // An excerpt is the text cut at the last space before its limit.
            let expected = match slowly.char_indices().nth(TEXT_CHARS) {
                None => &slowly[..],
                Some((end, _)) => {
                    long += 1;
                    &slowly[..slowly[..end].rfind(' ').unwrap_or(end)]
                }
            };
            assert_eq!(excerpt_text(&html), expected, "{html:?}");
        }
        assert!(long > 50, "{long} texts longer than an excerpt");
    }

    #[test]
    fn text_of_html_keeps_words_apart() {
        assert_eq!(
            plain_text("<p>One&amp;two</p><p>three, <a href=\"x\">four</a>, <em>fi</em>ve</p>"),
            "One&two three, four, five"
        );
    }
}
