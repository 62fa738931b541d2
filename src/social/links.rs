//! Where the networks see links in a post, for counting them as a network does.
//!
//! X counts with twitter-text and Mastodon with its Ruby version, whose URL rules Mastodon
//! adjusts; both find URLs with one regular expression scanned over the text. This module
//! follows that expression step by step, in the order its backtracking tries things, so that
//! it finds the same URLs, with the same ends: [`Flavor::X`] is twitter-text's Java rule,
//! [`Flavor::Mastodon`] Mastodon's. A URL:
//!
//! - starts after a character that is not a letter, a digit, `@`, `$` or `#` (or at the start);
//! - has an optional scheme: `http://` or `https://` (Mastodon also `dat`, `dweb`, `ipfs`,
//!   `ipns`, `ssb`, `gopher`, `gemini`);
//! - has a host of dot-separated labels ending with a known top-level domain (see
//!   [`crate::social::tlds`]) or a punycode label; on X, labels are ASCII letters and digits,
//!   Latin letters with accents, `-` and `_` (a host of other letters needs a scheme), on
//!   Mastodon any letter;
//! - then an optional port, path and query, whose last character must be one that rarely ends
//!   a sentence: `example.com/a.` ends before the dot, `…/Paris_(ville)` keeps its parentheses.
//!
//! A URL without a scheme after `-`, `_`, `.` or `/` does not count, nor one whose host has a
//! label longer than 63 characters once in punycode, nor one longer than 4,096 characters.
//! `t.co` links end after their slug (at most 40 characters) and query.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use crate::social::tlds::{self, Tlds};

/// Whose URL rules to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// twitter-text's: X counts every URL it finds as 23, with or without a scheme.
    X,
    /// Mastodon's: it counts only URLs with a scheme as 23.
    Mastodon,
}

/// A URL found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    /// Its bytes in the text.
    pub(crate) range: Range<usize>,
    /// Whether it starts with a scheme (`https://`).
    pub(crate) scheme: bool,
}

/// One match of the URL expression, before the extractor's own checks.
struct Match {
    /// Byte of the character before the URL, if there is one.
    before: Option<usize>,
    /// Where the URL starts.
    start: usize,
    /// Where the expression's match ends.
    end: usize,
    /// The host's bytes.
    host: Range<usize>,
    /// Whether a scheme was matched.
    scheme: bool,
}

/// A set of characters, as a regular expression's class.
type CharClass = fn(char) -> bool;

/// The longest URL twitter-text accepts, in UTF-16 units with its scheme.
const MAX_URL_LENGTH: usize = 4096;

/// The longest `t.co` slug.
const MAX_TCO_SLUG: usize = 40;

/// The longest host label, in ASCII once encoded.
const MAX_LABEL: usize = 63;

/// The URLs of `text` that `flavor`'s network counts as links, in order.
///
/// X counts URLs with and without a scheme; Mastodon only those with one, so only those are
/// returned for it (the others still take their place in the scan, as in Mastodon).
pub(crate) fn links(text: &str, flavor: Flavor) -> Vec<Link> {
    let needed = match flavor {
        Flavor::X => '.',
        Flavor::Mastodon => ':',
    };
    let mut found = Vec::new();
    if !text.contains(needed) {
        return found;
    }
    let mut from = 0;
    while let Some(m) = next_match(text, from, flavor) {
        from = m.end;
        if let Some(link) = accept(text, &m, flavor) {
            found.push(link);
        }
    }
    found
}

/// The next match of the URL expression at or after byte `from`.
fn next_match(text: &str, from: usize, flavor: Flavor) -> Option<Match> {
    let mut s = from;
    loop {
        let c = text[s..].chars().next();
        if let Some(c) = c.filter(|&c| precedes_url(c)) {
            let start = s + c.len_utf8();
            if let Some(m) = url_at(text, start, flavor) {
                return Some(Match {
                    before: Some(s),
                    ..m
                });
            }
        }
        let line_start = s == 0 || (flavor == Flavor::Mastodon && text[..s].ends_with('\n'));
        if line_start && let Some(m) = url_at(text, s, flavor) {
            return Some(m);
        }
        s += c?.len_utf8();
    }
}

/// Whether `c` may stand right before a URL.
fn precedes_url(c: char) -> bool {
    !(c.is_ascii_alphanumeric()
        || matches!(
            c,
            '@' | '＠' | '$' | '#' | '＃' | '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}'
        ))
}

/// A URL starting at byte `start`, with its scheme if it has one that leads somewhere.
fn url_at(text: &str, start: usize, flavor: Flavor) -> Option<Match> {
    if let Some(scheme) = scheme_length(&text[start..], flavor)
        && let Some(m) = url_after(text, start, start + scheme, flavor)
    {
        return Some(m);
    }
    url_after(text, start, start, flavor)
}

/// The rest of a URL whose host starts at byte `host`.
fn url_after(text: &str, start: usize, host: usize, flavor: Flavor) -> Option<Match> {
    let host_end = match flavor {
        Flavor::X => host_x(text, host),
        Flavor::Mastodon => labels_then_tld(text, host, is_ruby_domain_char, false),
    }?;
    let mut end = host_end;
    let rest = &text[end..];
    if let Some(digits) = rest.strip_prefix(':') {
        let port = digits.len()
            - digits
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        if port > 0 {
            end += 1 + port;
        }
    }
    if text[end..].starts_with('/') {
        end = path_end(text, end + 1, flavor);
    }
    if text[end..].starts_with('?')
        && let Some(query) = query_end(text, end + 1, flavor)
    {
        end = query;
    }
    Some(Match {
        before: None,
        start,
        end,
        host: host..host_end,
        scheme: host > start,
    })
}

/// Length of the scheme and `://` that `text` starts with.
fn scheme_length(text: &str, flavor: Flavor) -> Option<usize> {
    let schemes: &[&str] = match flavor {
        Flavor::X => &["https", "http"],
        Flavor::Mastodon => &[
            "https", "http", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini",
        ],
    };
    let bytes = text.as_bytes();
    schemes.iter().find_map(|scheme| {
        let head = bytes.get(..scheme.len() + 3)?;
        (head[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes()) && head.ends_with(b"://"))
            .then_some(head.len())
    })
}

/// The end of an X host at byte `at`: labels and a known top-level domain; after `http(s)://`,
/// also one label of any letters and a known top-level domain.
fn host_x(text: &str, at: usize) -> Option<usize> {
    if let Some(end) = labels_then_tld(text, at, is_x_domain_char, true) {
        return Some(end);
    }
    let before = &text.as_bytes()[..at];
    let after_scheme = [&b"http://"[..], b"https://"].iter().any(|scheme| {
        before.len() >= scheme.len()
            && before[before.len() - scheme.len()..].eq_ignore_ascii_case(scheme)
    });
    if !after_scheme {
        return None;
    }
    if let Some(end) = label_end(text, at, is_x_domain_char, false)
        .and_then(|tld| tlds::tld_end(text, tld, Tlds::Country))
    {
        return Some(end);
    }
    label_end(text, at, is_unicode_domain_char, false)
        .and_then(|tld| tlds::tld_end(text, tld, Tlds::Any))
}

/// The end of subdomains, a domain and its top-level domain at byte `at`: as many subdomains
/// as possible, then fewer until the rest is a domain with a known top-level domain.
fn labels_then_tld(
    text: &str,
    at: usize,
    class: fn(char) -> bool,
    punycode_dash: bool,
) -> Option<usize> {
    let mut starts = vec![at];
    while let Some(next) = starts.last().and_then(|&s| label_end(text, s, class, true)) {
        starts.push(next);
    }
    starts.iter().rev().find_map(|&label| {
        let tld = label_end(text, label, class, false)?;
        tlds::tld_end(text, tld, Tlds::Any).or_else(|| punycode_end(text, tld, punycode_dash))
    })
}

/// The byte after the dot of the label at `at`: `class` characters, with inner `-` (and `_`
/// when `underscore`), ending with a `class` character and a dot.
fn label_end(text: &str, at: usize, class: fn(char) -> bool, underscore: bool) -> Option<usize> {
    let mut chars = text[at..].char_indices();
    let (_, first) = chars.next()?;
    if !class(first) {
        return None;
    }
    let mut last = first;
    for (offset, c) in chars {
        if class(c) || c == '-' || (underscore && c == '_') {
            last = c;
            continue;
        }
        return (c == '.' && class(last)).then_some(at + offset + 1);
    }
    None
}

/// The end of a punycode top-level domain (`xn--p1ai`) at byte `at`.
fn punycode_end(text: &str, at: usize, dash: bool) -> Option<usize> {
    let rest = text
        .get(at..at + 4)
        .filter(|p| p.eq_ignore_ascii_case("xn--"))?;
    let tail = &text[at + rest.len()..];
    let run = tail.len()
        - tail
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || (dash && c == '-'))
            .len();
    (run > 0).then_some(at + 4 + run)
}

/// The end of a path whose first character after `/` is at byte `at`: the path runs over path
/// characters and balanced parentheses, and ends after the last character that may end one.
fn path_end(text: &str, at: usize, flavor: Flavor) -> usize {
    let (inner, ends): (CharClass, CharClass) = match flavor {
        Flavor::X => (is_x_path_char, is_x_path_end),
        Flavor::Mastodon => (is_mastodon_path_char, is_mastodon_path_end),
    };
    let mut pos = at;
    let mut best = at;
    while let Some(c) = text[pos..].chars().next() {
        if inner(c) {
            pos += c.len_utf8();
            if ends(c) {
                best = pos;
            }
        } else if let Some(end) = parens_end(text, pos, inner) {
            // Mastodon's rule ends a path with parentheses only when twitter-text's would.
            if flavor == Flavor::X || parens_end(text, pos, is_ruby_path_char) == Some(end) {
                best = end;
            }
            pos = end;
        } else {
            break;
        }
    }
    best
}

/// The end of balanced parentheses at byte `at`, one level of nesting at most.
fn parens_end(text: &str, at: usize, inner: fn(char) -> bool) -> Option<usize> {
    let run =
        |from: usize| from + text[from..].len() - text[from..].trim_start_matches(inner).len();
    let open = text[at..].strip_prefix('(').map(|_| at + 1)?;
    let first = run(open);
    let rest = &text[first..];
    if first > open && rest.starts_with(')') {
        return Some(first + 1);
    }
    let nested = rest.strip_prefix('(').map(|_| first + 1)?;
    let nested_end = run(nested);
    if nested_end == nested || !text[nested_end..].starts_with(')') {
        return None;
    }
    let after = run(nested_end + 1);
    text[after..].starts_with(')').then_some(after + 1)
}

/// The end of a query whose first character after `?` is at byte `at`, if it has one.
fn query_end(text: &str, at: usize, flavor: Flavor) -> Option<usize> {
    let (inner, ends): (CharClass, CharClass) = match flavor {
        Flavor::X => (is_query_char, is_query_end),
        Flavor::Mastodon => (
            |c| is_query_char(c) || c == '^' || is_mastodon_unicode(c),
            |c| is_query_end(c) || is_mastodon_unicode(c),
        ),
    };
    let mut best = None;
    for (offset, c) in text[at..].char_indices() {
        if !inner(c) {
            break;
        }
        if ends(c) {
            best = Some(at + offset + c.len_utf8());
        }
    }
    best
}

/// The extractor's checks on a match: the character before a URL without a scheme, `t.co`
/// slugs, the host's labels and the URL's length.
fn accept(text: &str, m: &Match, flavor: Flavor) -> Option<Link> {
    if !m.scheme {
        let before = m.before.and_then(|b| text[b..].chars().next());
        if flavor == Flavor::Mastodon || before.is_some_and(|c| matches!(c, '-' | '_' | '.' | '/'))
        {
            return None;
        }
    }
    let mut end = m.end;
    if m.scheme
        && let Some(tco) = tco_end(text, m.start, m.end, flavor)
    {
        end = tco?;
    }
    let url_units: usize = text[m.start..end].encode_utf16().count();
    let host = &text[m.host.clone()];
    let encoded = encoded_host_length(host)?;
    let host_units = host.encode_utf16().count();
    let scheme_units = if m.scheme { 0 } else { "https://".len() };
    let length = match flavor {
        Flavor::X => url_units - host_units + encoded,
        Flavor::Mastodon => url_units + encoded.saturating_sub(host_units),
    };
    (length + scheme_units <= MAX_URL_LENGTH).then_some(Link {
        range: m.start..end,
        scheme: m.scheme,
    })
}

/// For a `t.co` URL, the end of its slug and query, or `None` inside when the slug is too long
/// to be one.
fn tco_end(text: &str, start: usize, end: usize, flavor: Flavor) -> Option<Option<usize>> {
    let url = &text[start..end];
    let scheme = scheme_length(url, Flavor::X)?;
    let rest = &url[scheme..];
    if !rest
        .get(..5)
        .is_some_and(|h| h.eq_ignore_ascii_case("t.co/"))
    {
        return None;
    }
    let slug = rest[5..].len()
        - rest[5..]
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
            .len();
    if slug == 0 {
        return None;
    }
    if slug > MAX_TCO_SLUG {
        return Some(None);
    }
    let mut tco = start + scheme + 5 + slug;
    if flavor == Flavor::X
        && text[tco..end].starts_with('?')
        && let Some(query) = query_end(&text[..end], tco + 1, Flavor::X)
    {
        tco = query;
    }
    Some(Some(tco))
}

/// The length of `host` once each label is in ASCII (IDNA's ToASCII), in characters, or `None`
/// when a label cannot be encoded or is longer than 63 characters.
fn encoded_host_length(host: &str) -> Option<usize> {
    let mut total = 0;
    for (i, label) in host
        .split(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'])
        .enumerate()
    {
        total += usize::from(i > 0) + encoded_label_length(label)?;
    }
    Some(total)
}

/// The length of one host label in ASCII, as IDNA's ToASCII (with unassigned code points
/// allowed) gives it.
fn encoded_label_length(label: &str) -> Option<usize> {
    let length = if label.is_ascii() {
        label.len()
    } else {
        let prepared: String = label
            .nfkc()
            .flat_map(char::to_lowercase)
            .filter(|&c| !is_mapped_to_nothing(c))
            .collect();
        if prepared.chars().any(is_prohibited) || !bidi_ok(&prepared) {
            return None;
        }
        if prepared.is_ascii() {
            prepared.len()
        } else {
            if prepared
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
            {
                return None;
            }
            4 + punycode_length(&prepared)
        }
    };
    (1..=MAX_LABEL).contains(&length).then_some(length)
}

/// Whether nameprep (RFC 3491) removes `c`.
fn is_mapped_to_nothing(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{34F}' | '\u{1806}' | '\u{180B}'..='\u{180D}' | '\u{200B}'..='\u{200D}'
            | '\u{2060}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
    )
}

/// Whether nameprep forbids `c` in a host: spaces, controls, private use, non-characters,
/// display-changing and tagging characters.
fn is_prohibited(c: char) -> bool {
    let code = u32::from(c);
    c.is_whitespace()
        || c.is_control()
        || matches!(
            code,
            0x06DD | 0x070F | 0x180E | 0x2028..=0x202E | 0x2061..=0x2063 | 0x206A..=0x206F
                | 0x2FF0..=0x2FFB | 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xFFF9..=0xFFFD
                | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F | 0xF0000..=0x10FFFF
                | 0x0340 | 0x0341 | 0x200E | 0x200F
        )
        || code & 0xFFFE == 0xFFFE
}

/// Nameprep's rule for right-to-left labels: no left-to-right letter, and a right-to-left
/// letter first and last (the scripts' blocks stand in for the bidirectional classes).
fn bidi_ok(label: &str) -> bool {
    let rtl = |c: char| matches!(u32::from(c), 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFE | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF);
    if !label.chars().any(rtl) {
        return true;
    }
    let ltr = |c: char| c.is_alphabetic() && !rtl(c);
    !label.chars().any(ltr)
        && label.chars().next().is_some_and(rtl)
        && label.chars().next_back().is_some_and(rtl)
}

/// Length of the punycode encoding (RFC 3492) of `label`, without its `xn--` prefix.
fn punycode_length(label: &str) -> usize {
    const BASE: u32 = 36;
    let code_points: Vec<u32> = label.chars().map(u32::from).collect();
    let basic = code_points.iter().filter(|&&c| c < 0x80).count();
    let mut length = basic + usize::from(basic > 0);
    let (mut n, mut delta, mut bias) = (0x80_u32, 0_u64, 72_u32);
    let mut handled = basic;
    while handled < code_points.len() {
        let Some(&m) = code_points.iter().filter(|&&c| c >= n).min() else {
            break;
        };
        delta += u64::from(m - n) * (handled as u64 + 1);
        n = m;
        for &c in &code_points {
            if c < n {
                delta += 1;
            }
            if c == n {
                // Each delta is written as a variable-length number in base 36.
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = u64::from(k.saturating_sub(bias).clamp(1, 26));
                    length += 1;
                    if q < t {
                        break;
                    }
                    q = (q - t) / (u64::from(BASE) - t);
                    k += BASE;
                }
                bias = adapt(delta, handled as u64 + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    length
}

/// Punycode's bias adaptation (RFC 3492, 6.1).
fn adapt(delta: u64, points: u64, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > 455 {
        delta /= 35;
        k += 36;
    }
    k + (36 * delta / (delta + 38)) as u32
}

/// Latin letters with accents and combining accents, which twitter-text allows in hosts and paths.
fn is_latin_accent(c: char) -> bool {
    matches!(
        u32::from(c),
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x253 | 0x254 | 0x256 | 0x257 | 0x259 | 0x25B
            | 0x263 | 0x268 | 0x26F | 0x272 | 0x289 | 0x28B | 0x2BB | 0x300..=0x36F | 0x1E00..=0x1EFF
    )
}

/// A character of an X host label without a scheme: ASCII letters and digits, accented Latin.
fn is_x_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_latin_accent(c)
}

/// A character of an X host label after a scheme: anything but punctuation and spaces.
fn is_unicode_domain_char(c: char) -> bool {
    !(c.is_ascii_punctuation() || c.is_whitespace() || matches!(u32::from(c), 0x2000..=0x206F))
}

/// A character of a Mastodon host label: anything but punctuation, spaces, controls,
/// direction marks and the characters twitter-text refuses.
fn is_ruby_domain_char(c: char) -> bool {
    !(c.is_ascii_punctuation()
        || c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{180E}' | '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}'
        ))
}

/// A character inside an X path.
fn is_x_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!*';:=+,.$/%#[]-_~|&@\u{2013}".contains(c)
        || is_latin_accent(c)
        || is_cyrillic(c)
}

/// A character that may end an X path.
fn is_x_path_end(c: char) -> bool {
    c.is_ascii_alphanumeric() || "=_#/-+".contains(c) || is_latin_accent(c) || is_cyrillic(c)
}

/// A character inside a path by twitter-text's Ruby rule, which Mastodon keeps for the
/// parentheses that end a path.
fn is_ruby_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!*';:=+,.$/%#[]_~&|@-".contains(c)
        || is_latin_accent(c)
        || is_cyrillic(c)
        || matches!(
            c,
            '\u{2010}'
                ..='\u{2015}'
                    | '\u{2E3A}'
                    | '\u{2E3B}'
                    | '\u{301C}'
                    | '\u{FE58}'
                    | '\u{FE63}'
                    | '\u{FF0D}'
        )
}

/// A character inside a Mastodon path: anything but spaces, `<`, `>`, parentheses and `?`.
fn is_mastodon_path_char(c: char) -> bool {
    !(c.is_whitespace() || "<>()?".contains(c))
}

/// A character that may end a Mastodon path.
fn is_mastodon_path_end(c: char) -> bool {
    !(c.is_whitespace() || "()?!*\"'「」<>;:=,.$%[]~&|@".contains(c))
}

/// Cyrillic letters, which twitter-text allows in paths.
fn is_cyrillic(c: char) -> bool {
    matches!(u32::from(c), 0x400..=0x4FF)
}

/// A character inside a query.
fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!?*'();:&=+$/%#[]-_.,~|@".contains(c)
}

/// A character that may end a query.
fn is_query_end(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_&=#/-".contains(c)
}

/// The characters beyond ASCII that Mastodon allows in queries (RFC 3987's `ucschar`).
fn is_mastodon_unicode(c: char) -> bool {
    matches!(
        u32::from(c),
        0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF | 0xE000..=0xF8FF
    ) || (u32::from(c) >= 0x10000
        && u32::from(c) & 0xFFFF <= 0xFFFD
        && !(0xE0000..0xE1000).contains(&u32::from(c)))
}
