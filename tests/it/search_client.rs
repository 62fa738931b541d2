//! The search page's script, `themes/default/static/search.js`, run by Node: it analyses text
//! into the stems of the shared table `tests/search_cases.json` (the indexer is held to the same
//! table), finds each stem's shard and prefix file by FNV-1a, and ranks small hand-made indexes
//! as the search specification says.

use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value, json};

/// The script under test.
pub(crate) fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js")
}

/// The shared table of analysis cases: `[{"text", "lang", "stems"}]`.
fn cases() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search_cases.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `body` in Node, with `search` the script's exports and `input` this value; returns
/// the value `body` returns.
pub(crate) fn node(body: &str, input: &Value) -> Value {
    let program = format!(
        "const search = require(process.argv[1]);\n\
         const input = JSON.parse(process.argv[2]);\n\
         const output = (() => {{ {body} }})();\n\
         process.stdout.write(JSON.stringify(output));"
    );
    let out = Command::new("node")
        .arg("-e")
        .arg(program)
        .arg(script())
        .arg(input.to_string())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `node` ({e}): these tests need Node.js to run the search page's \
                 script; install it and put `node` on the PATH"
            )
        });
    assert!(
        out.status.success(),
        "node failed on search.js:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "node printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// FNV-1a, 32 bits, written from the specification independently of the script.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// The shard of `stem` among `shards`: FNV-1a of the whole stem.
fn shard(stem: &str, shards: u32) -> u32 {
    fnv1a(stem.as_bytes()) % shards
}

/// The prefix file of `stem` among `files`: FNV-1a of its first two characters.
fn prefix_file(stem: &str, files: u32) -> u32 {
    let head: String = stem.chars().take(2).collect();
    fnv1a(head.as_bytes()) % files
}

#[test]
fn the_script_analyses_text_as_the_shared_cases_say() {
    let cases = Value::Array(cases());
    let got = node(
        "return input.map(c => search.words(c.text).map(w => search.stem(w, c.lang)));",
        &cases,
    );
    let mut problems = Vec::new();
    for (case, got) in cases
        .as_array()
        .into_iter()
        .flatten()
        .zip(got.as_array().into_iter().flatten())
    {
        if &case["stems"] != got {
            problems.push(format!(
                "{} in {}: expected {}, got {got}",
                case["text"], case["lang"], case["stems"]
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "search.js disagrees with tests/search_cases.json:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_script_finds_each_stem_in_its_fnv1a_shard_and_prefix_file() {
    // Published FNV-1a test vectors: the reference above is right.
    assert_eq!(fnv1a(b""), 0x811c_9dc5);
    assert_eq!(fnv1a(b"a"), 0xe40c_292c);
    assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    let mut stems: Vec<String> = cases()
        .iter()
        .flat_map(|case| case["stems"].as_array().cloned().unwrap_or_default())
        .filter_map(|stem| stem.as_str().map(str::to_string))
        .collect();
    // Heads of several bytes, and one beyond the 16-bit range.
    stems.extend(["日本語", "éa", "\u{1d4b3}yz", "ab", "abc"].map(String::from));
    stems.sort();
    stems.dedup();
    let counts = [1u32, 2, 3, 7, 16, 1000];
    let got = node(
        "return input.stems.map(s => input.counts.map(n => [search.shardOf(s, n), search.prefixFileOf(s, n)]));",
        &json!({ "stems": stems, "counts": counts }),
    );
    for (stem, got) in stems.iter().zip(got.as_array().into_iter().flatten()) {
        let expected: Vec<[u32; 2]> = counts
            .iter()
            .map(|&n| [shard(stem, n), prefix_file(stem, n)])
            .collect();
        assert_eq!(
            got,
            &json!(expected),
            "[shard, prefix file] of {stem:?} among {counts:?}"
        );
    }
}

/// An English index of `count` posts (0 the oldest) in the files the indexer writes, from
/// each stem's postings as `(id, weight)`, with these `common` stems.
fn index(count: u32, common: &[&str], terms: &[(&str, &[(u32, u32)])]) -> Value {
    let (shard_count, prefix_count) = (4, 3);
    let mut shards = vec![Map::new(); shard_count as usize];
    let mut prefixes = vec![Map::new(); prefix_count as usize];
    for (stem, postings) in terms {
        let mut flat = Vec::new();
        let mut previous = 0;
        for &(id, weight) in *postings {
            flat.extend([id - previous, weight]);
            previous = id;
        }
        shards[shard(stem, shard_count) as usize].insert(stem.to_string(), json!(flat));
        prefixes[prefix_file(stem, prefix_count) as usize]
            .insert(stem.to_string(), json!(postings.len()));
    }
    json!({
        "meta": {
            "version": 1, "lang": "en", "count": count, "shards": shard_count,
            "prefixes": prefix_count, "common": common,
        },
        "shards": shards,
        "prefixes": prefixes,
    })
}

/// The ids `search.js` ranks for each query on `index`, checked against the expected ones.
fn ranks(index: &Value, queries: &[(&str, Vec<u32>)]) {
    let texts: Vec<&str> = queries.iter().map(|(q, _)| *q).collect();
    let got = node(
        "const { meta, shards, prefixes } = input.index;\n\
         return input.queries.map(q => search.rank(q, meta, shards, prefixes).map(r => r.id));",
        &json!({ "queries": texts, "index": index }),
    );
    for ((query, expected), got) in queries.iter().zip(got.as_array().into_iter().flatten()) {
        assert_eq!(got, &json!(expected), "results of {query:?}");
    }
}

#[test]
fn the_script_ranks_posts_matching_every_word_titles_first_then_newest() {
    // Weights as the indexer gives them: 80 for a word of the title once, 10 for one in the
    // body. "site" and "sites" are the stem "sit"; "the" is too frequent to be indexed.
    let index = index(
        5,
        &["the"],
        &[
            ("audit", &[(0, 80), (2, 10), (3, 10)]),
            ("sit", &[(0, 10), (2, 10), (3, 10), (4, 10)]),
            ("sitemap", &[(1, 15), (4, 10)]),
            ("test", &[(1, 80), (4, 10)]),
            ("testament", &[(2, 10)]),
        ],
    );
    ranks(
        &index,
        &[
            // Every word must match: post 4 has "site" but not "audit"; the title's weight puts
            // post 0 first although it is the oldest; posts 3 and 2 tie, the newer first.
            ("audit site", vec![0, 3, 2]),
            // The query is analysed as the text was: "Audits" is the stem "audit".
            ("Audits", vec![0, 3, 2]),
            // A space after the last word: whole words only, and equal scores, newest first.
            ("site ", vec![4, 3, 2, 0]),
            // No space: "site" also begins "sitemap", at 0.7 of its weight. Post 4 has both and
            // counts only the better one, so post 1 (sitemap alone, but heavier) comes first.
            ("site", vec![1, 4, 3, 2, 0]),
            // Only the last word is a prefix.
            ("testa", vec![2]),
            ("testa ", vec![]),
            ("audit testa", vec![2]),
            ("testa audit", vec![]),
            // A common word is left out of the query; alone, it finds nothing.
            ("the audit", vec![0, 3, 2]),
            ("the", vec![]),
            // A word the index lacks matches nothing; nor do one-letter or empty queries.
            ("zzz audit", vec![]),
            ("a", vec![]),
            ("", vec![]),
        ],
    );
}

#[test]
fn a_common_word_being_typed_still_begins_longer_words() {
    // "urban" is in most posts, so it is not indexed; "urbanism" is.
    let index = index(
        4,
        &["urban"],
        &[
            ("urbanism", &[(1, 10), (3, 10)]),
            ("audit", &[(0, 80), (3, 10)]),
        ],
    );
    ranks(
        &index,
        &[
            ("urban", vec![3, 1]),
            ("audit urban", vec![3]),
            // Typed whole (a space follows), the common word is left out.
            ("urban ", vec![]),
            ("urban audit", vec![0, 3]),
        ],
    );
}

#[test]
fn the_script_extends_the_last_word_to_its_eight_most_frequent_stems() {
    // Nine stems begin with "ma": seven in two posts each, then "mao" and "maori" in one
    // each; of those two, the shorter is kept.
    let index = index(
        10,
        &[],
        &[
            ("mar", &[(0, 10), (1, 10)]),
            ("mas", &[(0, 10), (2, 10)]),
            ("mat", &[(1, 10), (2, 10)]),
            ("mai", &[(3, 10), (4, 10)]),
            ("man", &[(3, 10), (5, 10)]),
            ("map", &[(4, 10), (5, 10)]),
            ("mad", &[(6, 10), (7, 10)]),
            ("mao", &[(8, 10)]),
            ("maori", &[(9, 10)]),
        ],
    );
    ranks(
        &index,
        &[
            // Post 9 has only "maori", the ninth: it is left out. Post 8's stem is the rarer,
            // so it weighs most; the others tie, newest first.
            ("ma", vec![8, 7, 6, 5, 4, 3, 2, 1, 0]),
            // "mao" itself counts in full, "maori" at 0.7.
            ("mao", vec![8, 9]),
        ],
    );
}

#[test]
fn the_script_shows_matched_words_in_an_excerpt_as_text() {
    let text = format!(
        "{}Our <b>audit</b> of the sites: l’audit. {}",
        "Lorem ipsum dolor amet. ".repeat(9),
        "Consectetur adipiscing elit. ".repeat(8)
    );
    let got = node(
        "const meta = { lang: 'en', common: [] };\n\
         const hit = search.matcher(search.plan(input.query, meta), 'en');\n\
         return search.excerpt(input.text, hit, 160);",
        &json!({ "query": "site audit", "text": text }),
    );
    let pieces: Vec<(String, bool)> = serde_json::from_value(got).unwrap();
    let marked: Vec<&str> = pieces
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(text, _)| text.as_str())
        .collect();
    // "Sites" has the stem of "site"; an elided article stays out of the mark.
    assert_eq!(marked, ["audit", "sites", "audit"], "{pieces:?}");
    let whole: String = pieces.iter().map(|(text, _)| text.as_str()).collect();
    assert!(whole.starts_with("… ") && whole.ends_with(" …"), "{whole}");
    assert!(
        whole.contains("<b>audit</b> of the sites: l’audit."),
        "{whole}"
    );
    let length = whole.chars().count();
    assert!(
        (120..=170).contains(&length),
        "{length} characters: {whole}"
    );
    // Documents' words reach the page as text nodes, never as HTML.
    let source = std::fs::read_to_string(script()).unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!source.contains(sink), "search.js uses {sink}");
    }
}
