//! Bluesky's facets: the links, tags, cashtags and mentions its app marks in a post.
//!
//! A Bluesky post carries its rich text as byte ranges beside the text, and the app makes them
//! with `RichText.detectFacets` from `@atproto/api`. A post published with other ranges would
//! read differently from the same text typed in the app, so its rules are reproduced exactly,
//! quirks included (checked against `tests/bluesky_facets.json`, made with the library itself):
//!
//! - **Mentions**: `@` at the start, after a space or `(`, then the longest run of ASCII letters,
//!   digits, `.` and `-` that ends at a word boundary, kept when its last label is a known
//!   top-level domain (see [`tlds::bluesky_domain`]) or it ends in `.test`.
//! - **Links**: at the start, after a space or `(`, either `http://` or `https://` (in any case,
//!   but a link is made only when it starts with lower-case `http`) and everything up to the
//!   next space, or a domain of ASCII letters and digits (no hyphen) with a known top-level
//!   domain and everything after it up to the next space, given `https://`. One final
//!   `.,;:!?` is dropped, then a final `)` when the link holds no `(`.
//! - **Tags**: `#` or `＃` at the start or after a space, not followed by U+FE0F, then the run of
//!   characters up to a space or an invisible separator; the run needs a character that is
//!   neither an ASCII digit nor punctuation, its final punctuation is dropped, and it may have
//!   at most 64 graphemes (and, which the library does not check, 640 bytes).
//! - **Cashtags**: `$` at the start, after a space or `(`, then an ASCII letter and at most four
//!   letters or digits, followed by the end, a space or `.,;:!?)"'’`; a tag `$` and the
//!   letters in capitals.
//!
//! "Space" is JavaScript's `\s`, which is not Rust's `char::is_whitespace`: it has U+FEFF and
//! lacks U+0085. Facets are in the order of their first byte.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use crate::social::export::{Facet, Feature};
use crate::social::tlds;

/// The most graphemes in a tag. The library 0.19.19 counts UTF-16 units, its later versions
/// and the post record's schema count graphemes: a tag of 33 to 64 emoji is taken by the
/// network, and marked here.
const TAG_GRAPHEMES: usize = 64;

/// The most UTF-8 bytes in a tag, as the post record's schema has it. The library does not
/// check it, but a record with a longer tag is refused whole, and 64 graphemes can be more:
/// a letter with five accents is 11 bytes.
const TAG_BYTES: usize = 640;

/// The most letters and digits in a cashtag's ticker.
const TICKER_LENGTH: usize = 5;

/// What may follow a cashtag's ticker, besides a space and the end of the text.
const TICKER_FOLLOWERS: &[char] = &['.', ',', ';', ':', '!', '?', ')', '"', '\'', '\u{2019}'];

/// What a link loses once at its end: the sentence's punctuation.
const LINK_TRAILING: &[char] = &['.', ',', ';', ':', '!', '?'];

/// The facets Bluesky's app finds in `text`, in the order of their first byte.
pub(crate) fn detect(text: &str) -> Vec<Facet> {
    let mut facets = mentions(text);
    facets.extend(links(text));
    facets.extend(tags(text));
    facets.extend(cashtags(text));
    // No two kinds start on the same character, so the order by first byte is the library's.
    facets.sort_by_key(|facet| facet.byte_start);
    facets
}

/// Whether a space of JavaScript's `\s` (Unicode spaces, line ends and U+FEFF).
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Whether an entity may start at byte `at`: at the start of the text or after a space, or
/// after `(` when `after_paren`.
fn opens(text: &str, at: usize, after_paren: bool) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| is_js_space(c) || (after_paren && c == '('))
}

/// The library's mentions: handles as written, not yet resolved to a DID.
fn mentions(text: &str) -> Vec<Facet> {
    let is_handle = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    // JavaScript's `\b` without the `u` flag: ASCII letters, digits and `_` make words.
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find('@') {
        let at = from + offset;
        from = at + 1;
        if !opens(text, at, true) {
            continue;
        }
        let start = at + 1;
        let run = text[start..]
            .find(|c: char| !is_handle(c))
            .map_or(text.len(), |n| start + n);
        // The regular expression gives characters back until the handle ends at a word
        // boundary: `@carnet.fr.` ends before its dot. The run is ASCII, so bytes are characters.
        let Some(end) = (start + 1..=run).rev().find(|&end| {
            is_word(text[..end].chars().next_back()) != is_word(text[end..].chars().next())
        }) else {
            continue;
        };
        from = end;
        let handle = &text[start..end];
        if tlds::bluesky_domain(handle) || handle.ends_with(".test") {
            found.push(Facet {
                byte_start: at,
                byte_end: end,
                feature: Feature::Mention {
                    handle: handle.to_string(),
                },
            });
        }
    }
    found
}

/// The library's links.
fn links(text: &str) -> Vec<Facet> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let Some((token_end, uri)) = opens(text, at, true).then(|| link_at(text, at)).flatten()
        else {
            at += c.len_utf8();
            continue;
        };
        let start = at;
        // A match the library then rejects still uses up its characters.
        at = token_end;
        let Some(mut uri) = uri else {
            continue;
        };
        let mut end = token_end;
        if uri.ends_with(LINK_TRAILING) {
            uri.pop();
            end -= 1;
        }
        if uri.ends_with(')') && !uri.contains('(') {
            uri.pop();
            end -= 1;
        }
        found.push(Facet {
            byte_start: start,
            byte_end: end,
            feature: Feature::Link { uri },
        });
    }
    found
}

/// Whether the library's link expression matches at byte `at` (after its opening): the end of
/// the match, and the link's URI unless the library then rejects it.
fn link_at(text: &str, at: usize) -> Option<(usize, Option<String>)> {
    let rest = &text[at..];
    let token_end = at + rest.find(is_js_space).unwrap_or(rest.len());
    let token = &text[at..token_end];
    let has_prefix = |prefix: &str| {
        token
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && token.len() > prefix.len()
    };
    if has_prefix("https://") || has_prefix("http://") {
        // The expression ignores case, the check after it does not: `HTTPS://…` is no link.
        return Some((
            token_end,
            token.starts_with("http").then(|| token.to_string()),
        ));
    }
    let domain = bare_domain_len(token)?;
    let uri = tlds::bluesky_domain(&token[..domain]).then(|| format!("https://{token}"));
    Some((token_end, uri))
}

/// The length of the domain starting `token`: an ASCII letter, letters and digits, then one
/// or more labels of a dot and letters and digits. A hyphen ends it.
fn bare_domain_len(token: &str) -> Option<usize> {
    let bytes = token.as_bytes();
    let label_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| from + n)
    };
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let mut at = label_end(1);
    let mut end = None;
    while bytes.get(at) == Some(&b'.') {
        let next = label_end(at + 1);
        if next == at + 1 {
            break;
        }
        end = Some(next);
        at = next;
    }
    end
}

/// Whether `c` is Unicode punctuation (`\p{P}`).
fn is_punctuation(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Punctuation
}

/// Whether `c` ends a tag: a space, or a soft hyphen, word joiner or zero-width character.
fn ends_tag(c: char) -> bool {
    is_js_space(c)
        || matches!(
            c,
            '\u{AD}' | '\u{2060}' | '\u{200A}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{20E2}'
        )
}

/// The library's hashtags.
fn tags(text: &str) -> Vec<Facet> {
    let mut found = Vec::new();
    for (at, hash) in text.char_indices() {
        if !matches!(hash, '#' | '＃') || !opens(text, at, false) {
            continue;
        }
        let body_start = at + hash.len_utf8();
        let rest = &text[body_start..];
        // `#` and U+FE0F begin the keycap emoji #️⃣, not a tag.
        if rest.starts_with('\u{FE0F}') {
            continue;
        }
        let body = &rest[..rest.find(ends_tag).unwrap_or(rest.len())];
        if !body
            .chars()
            .any(|c| !c.is_ascii_digit() && !is_punctuation(c))
        {
            continue;
        }
        let tag = body.trim_end_matches(is_punctuation);
        if tag.len() > TAG_BYTES || tag.graphemes(true).count() > TAG_GRAPHEMES {
            continue;
        }
        found.push(Facet {
            byte_start: at,
            byte_end: body_start + tag.len(),
            feature: Feature::Tag {
                tag: tag.to_string(),
            },
        });
    }
    found
}

/// The library's cashtags, as tags `$` and the ticker in capitals.
fn cashtags(text: &str) -> Vec<Facet> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('$') {
        if !opens(text, at, true) {
            continue;
        }
        let rest = &text[at + 1..];
        let len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let followed = rest[len..]
            .chars()
            .next()
            .is_none_or(|c| is_js_space(c) || TICKER_FOLLOWERS.contains(&c));
        if !(1..=TICKER_LENGTH).contains(&len)
            || !rest.starts_with(|c: char| c.is_ascii_alphabetic())
            || !followed
        {
            continue;
        }
        found.push(Facet {
            byte_start: at,
            byte_end: at + 1 + len,
            feature: Feature::Tag {
                tag: format!("${}", rest[..len].to_ascii_uppercase()),
            },
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tests/bluesky_facets.json`: texts and the facets `@atproto/api` finds in them.
    const TABLE: &str = include_str!("../../tests/bluesky_facets.json");

    /// One facet as the table writes it: start, end, kind, value.
    fn table_form(facet: &Facet) -> (usize, usize, &'static str, &str) {
        let (kind, value) = match &facet.feature {
            Feature::Link { uri } => ("link", uri.as_str()),
            Feature::Tag { tag } => ("tag", tag.as_str()),
            Feature::Mention { handle } => ("mention", handle.as_str()),
        };
        (facet.byte_start, facet.byte_end, kind, value)
    }

    #[test]
    fn every_text_of_the_table_gets_the_library_s_facets() {
        let table: serde_json::Value = serde_json::from_str(TABLE).expect("the table is JSON");
        let entries = table.as_array().expect("the table is an array");
        assert_eq!(entries.len(), 127);
        let mut wrong = Vec::new();
        for entry in entries {
            let text = entry["text"].as_str().expect("each entry has a text");
            let expected: Vec<(usize, usize, &str, &str)> = entry["facets"]
                .as_array()
                .expect("each entry has facets")
                .iter()
                .map(|f| {
                    let number = |key: &str| f[key].as_u64().expect("offsets are numbers") as usize;
                    let string = |key: &str| f[key].as_str().expect("kind and value are strings");
                    (
                        number("start"),
                        number("end"),
                        string("kind"),
                        string("value"),
                    )
                })
                .collect();
            let facets = detect(text);
            let got: Vec<_> = facets.iter().map(table_form).collect();
            if got != expected {
                wrong.push(format!(
                    "{text:?}\n  expected {expected:?}\n  got      {got:?}"
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of {} texts differ:\n{}",
            wrong.len(),
            entries.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn ranges_cover_what_the_facet_marks() {
        let text = "🆕 « Écrire » https://carnet.fr/x #écriture $eur (@ami.test)";
        let marked: Vec<&str> = detect(text)
            .iter()
            .map(|f| &text[f.byte_start..f.byte_end])
            .collect();
        assert_eq!(
            marked,
            ["https://carnet.fr/x", "#écriture", "$eur", "@ami.test"]
        );
    }

    #[test]
    fn javascript_spaces_open_entities() {
        // U+FEFF is a space to JavaScript, U+0085 is not.
        assert_eq!(detect("a\u{FEFF}#tag").len(), 1);
        assert_eq!(detect("a\u{85}#tag"), []);
    }

    #[test]
    fn tags_are_limited_in_graphemes_and_bytes() {
        let emoji = "👍🏽".repeat(64);
        assert_eq!(detect(&format!("#{emoji}")).len(), 1);
        assert_eq!(detect(&format!("#{emoji}👍🏽")), []);
        // The post record's schema also refuses a tag over 640 bytes.
        let accented = "a\u{300}\u{301}\u{302}\u{303}\u{304}";
        assert_eq!(detect(&format!("#{}", accented.repeat(58))).len(), 1);
        assert_eq!(detect(&format!("#{}", accented.repeat(59))), []);
    }

    #[test]
    fn overlapping_facets_are_all_kept_in_order() {
        let text = "http://x.com/(@ami.test";
        let kinds: Vec<_> = detect(text).iter().map(|f| table_form(f).2).collect();
        assert_eq!(kinds, ["link", "mention"]);
    }
}
