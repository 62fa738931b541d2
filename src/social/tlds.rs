//! The top-level domains twitter-text and Bluesky know, for telling a domain from a word with a
//! dot.
//!
//! twitter-text's lists are `tlds/generic.txt` and `tlds/country.txt`, written from its
//! conformance suite by `tests/data/twitter-text/convert.py` (Apache License 2.0, see
//! `tests/data/twitter-text/`). Mastodon's counter uses the same lists: it is built on
//! twitter-text's Ruby library.
//!
//! Bluesky's app checks against another list, the npm package `tlds` (1.261.0):
//! `tlds/bluesky.txt` (MIT License, see `tlds/bluesky-LICENSE`). It lacks 143 of twitter-text's
//! domains (`active`, `an`, `bl`…) and has 7 that twitter-text lacks (`music`, `spa`…), so each
//! network is checked against its own.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Generic top-level domains: `com`, `dev`, `みんな`…
static GENERIC: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("tlds/generic.txt").lines().collect());

/// Country-code top-level domains: `uk`, `co`, `md`, `中国`…
static COUNTRY: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("tlds/country.txt").lines().collect());

/// The top-level domains of the npm package `tlds`, which Bluesky's app checks against.
static BLUESKY: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("tlds/bluesky.txt").lines().collect());

/// Whether Bluesky's app takes `name` for a domain: its last label, after a dot, is in the
/// `tlds` package's list as typed (the list is in lower case, so `example.COM` is not).
pub(crate) fn bluesky_domain(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, tld)| BLUESKY.contains(tld))
}

/// The longest top-level domain in either of twitter-text's lists, in characters.
const LONGEST: usize = 24;

/// Which list a top-level domain must come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tlds {
    /// Generic first, then country codes, as twitter-text tries them.
    Any,
    /// Country codes only.
    Country,
}

/// The end of the top-level domain starting at byte `at` of `text`, if one does.
///
/// Like twitter-text, ASCII letters match in any case, a longer domain wins over a shorter one
/// (`嘉里大酒店` over `嘉里`), and a domain must not run on into a letter, a digit, `@`, `+` or
/// `-`: `example.comm` has none, `example.com.` has `com`.
pub(crate) fn tld_end(text: &str, at: usize, lists: Tlds) -> Option<usize> {
    let mut name = String::new();
    let mut ends = Vec::new();
    for (offset, c) in text[at..].char_indices().take(LONGEST) {
        if c == '.' || c.is_whitespace() {
            break;
        }
        name.push(c.to_ascii_lowercase());
        ends.push((name.len(), at + offset + c.len_utf8()));
    }
    let sets: &[&HashSet<&str>] = match lists {
        Tlds::Any => &[&GENERIC, &COUNTRY],
        Tlds::Country => &[&COUNTRY],
    };
    sets.iter().find_map(|set| {
        ends.iter().rev().find_map(|&(len, end)| {
            (set.contains(&name[..len]) && ends_domain(text, end)).then_some(end)
        })
    })
}

/// Whether the character at byte `at` (if any) may follow a top-level domain.
fn ends_domain(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, '@' | '+' | '-')))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ends of the domains found at 0.
    fn end(text: &str, lists: Tlds) -> Option<&str> {
        tld_end(text, 0, lists).map(|e| &text[..e])
    }

    #[test]
    fn longest_known_domain_not_running_on() {
        assert_eq!(end("com", Tlds::Any), Some("com"));
        assert_eq!(end("COM/x", Tlds::Any), Some("COM"));
        assert_eq!(end("comm", Tlds::Any), None);
        assert_eq!(end("com-x", Tlds::Any), None);
        assert_eq!(end("uk.", Tlds::Any), Some("uk"));
        assert_eq!(end("嘉里大酒店です", Tlds::Any), Some("嘉里大酒店"));
        assert_eq!(end("dev", Tlds::Country), None);
        assert_eq!(end("co", Tlds::Country), Some("co"));
        assert_eq!(end("local", Tlds::Any), None);
    }

    #[test]
    fn bluesky_domains_by_their_last_label_as_typed() {
        assert!(bluesky_domain("carnet.fr"));
        assert!(
            bluesky_domain("a.b.music"),
            "in the tlds package, not in twitter-text"
        );
        assert!(
            !bluesky_domain("a.active"),
            "in twitter-text, not in the tlds package"
        );
        assert!(!bluesky_domain("example.COM"));
        assert!(!bluesky_domain("example.com."));
        assert!(!bluesky_domain("com"));
        assert!(
            bluesky_domain(".com"),
            "Bluesky's check looks only at what ends the name"
        );
    }
}
