//! Exact length rules of social networks, for the posting queue derived from blog posts.
//!
//! Each network counts a post its own way, and a post one unit too long is refused, so the
//! rules are reproduced exactly rather than approximated by `str::len` or `chars().count()`:
//!
//! - **X**: twitter-text 3's weighted length. The text is put in NFC; each URL (with or
//!   without a scheme, see [`crate::social::links`]) counts 23; each emoji sequence (see
//!   [`crate::social::emoji`]) 2; every other code point 1 in U+0000–U+10FF, U+2000–U+200D,
//!   U+2010–U+201F and U+2032–U+2037, 2 elsewhere. X refuses U+FFFE, U+FEFF and U+FFFF.
//! - **Mastodon**: the post with each URL that has a scheme replaced by 23 characters and each
//!   `@user@domain` by `@user`, in grapheme clusters (Mastodon's `StatusLengthValidator`).
//! - **Bluesky**: grapheme clusters, URLs in full, and at most 3,000 UTF-8 bytes (the post
//!   record's schema sets both).
//! - **Threads**: 500 characters, each emoji counting its UTF-8 bytes (Meta's Threads API
//!   documentation); other characters count as UTF-16 units, which is also how Buffer counts.
//! - **LinkedIn**: 3,000 characters, counted as UTF-16 units (the unit of LinkedIn's API, and
//!   of Buffer's check): an emoji or a character beyond the Basic Multilingual Plane counts 2.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::load::config::Network;
use crate::social::emoji;
use crate::social::links::{self, Flavor};

/// What a link costs on X and Mastodon, whatever its length: both count the t.co-sized stand-in.
const LINK_LENGTH: usize = 23;

/// twitter-text's `scale`: weights are in hundredths of a character.
const X_SCALE: usize = 100;

/// twitter-text's `defaultWeight`, for code points outside the light ranges and for emoji.
const X_DEFAULT_WEIGHT: usize = 200;

/// twitter-text v3's ranges of weight 100 (one character); everything else weighs 200.
const X_LIGHT_RANGES: [(u32, u32); 4] = [
    (0x0000, 0x10FF),
    (0x2000, 0x200D),
    (0x2010, 0x201F),
    (0x2032, 0x2037),
];

/// Code points X refuses in a post.
const X_INVALID: [char; 3] = ['\u{FFFE}', '\u{FEFF}', '\u{FFFF}'];

/// Most UTF-8 bytes in a Bluesky post.
pub(crate) const BLUESKY_BYTES: usize = 3000;

/// Punctuation that reads badly right before the added ellipsis.
const CUT_TRAILING: &[char] = &[',', ';', ':', '-', '–', '—', '…'];

/// LinkedIn's "little text format" reserved characters.
const LINKEDIN_RESERVED: &[char] = &[
    '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '\\', '*', '_', '~',
];

/// The ellipsis that marks a shortened text.
const ELLIPSIS: &str = "…";

impl Network {
    /// How the network counts, for messages.
    pub(crate) fn rule(self) -> &'static str {
        match self {
            Network::X => "X's weighted length: a URL counts 23, CJK and emoji 2",
            Network::Mastodon => "Mastodon's count: a URL counts 23",
            Network::Bluesky => "Bluesky's count in graphemes, URLs in full",
            Network::Threads => "Threads' count: emoji count their UTF-8 bytes",
            Network::LinkedIn => "LinkedIn's count in UTF-16 units",
        }
    }
}

/// The length of `text` as `network` counts it.
pub(crate) fn length(text: &str, network: Network) -> usize {
    match network {
        Network::X => x_weighted_length(text, true),
        Network::Mastodon => mastodon_countable(text).graphemes(true).count(),
        Network::Bluesky => text.graphemes(true).count(),
        Network::Threads => threads_length(text),
        Network::LinkedIn => text.encode_utf16().count(),
    }
}

/// Why `network` would refuse `text` with this `limit`, or `None` when it takes it.
pub(crate) fn refusal(text: &str, network: Network, limit: usize) -> Option<String> {
    let length = length(text, network);
    if length > limit {
        return Some(format!("{length} long; the limit is {limit}"));
    }
    match network {
        Network::Bluesky if text.len() > BLUESKY_BYTES => Some(format!(
            "{} bytes long; the limit is {BLUESKY_BYTES} bytes",
            text.len()
        )),
        Network::X => text
            .nfc()
            .find(|c| X_INVALID.contains(c))
            .map(|c| format!("holds U+{:04X}, which X refuses", u32::from(c))),
        Network::Bluesky | Network::Mastodon | Network::Threads | Network::LinkedIn => None,
    }
}

/// twitter-text's `parseTweet(text).weightedLength`, with its emoji parsing on or off.
pub(crate) fn x_weighted_length(text: &str, emoji_parsing: bool) -> usize {
    let text: String = text.nfc().collect();
    let links = links::links(&text, Flavor::X);
    let emoji = if emoji_parsing {
        emoji::sequences(&text)
    } else {
        Vec::new()
    };
    let (mut links, mut emoji) = (links.iter().peekable(), emoji.iter().peekable());
    let mut weight = 0;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        // Entities found by the scans count only where the walk reaches their first character.
        while links.next_if(|l| l.range.start < at).is_some() {}
        while emoji.next_if(|e| e.start < at).is_some() {}
        if let Some(link) = links.next_if(|l| l.range.start == at) {
            weight += LINK_LENGTH * X_SCALE;
            at = link.range.end;
        } else if let Some(sequence) = emoji.next_if(|e| e.start == at) {
            weight += X_DEFAULT_WEIGHT;
            at = sequence.end;
        } else {
            weight += x_char_weight(c);
            at += c.len_utf8();
        }
    }
    weight / X_SCALE
}

/// Weight in hundredths of a character of one code point outside a URL or an emoji.
fn x_char_weight(c: char) -> usize {
    let code = u32::from(c);
    if X_LIGHT_RANGES
        .iter()
        .any(|&(low, high)| (low..=high).contains(&code))
    {
        X_SCALE
    } else {
        X_DEFAULT_WEIGHT
    }
}

/// Mastodon's `countable_text`: each link with a scheme becomes 23 placeholders and each
/// `@user@domain` becomes `@user`; where they overlap, the one that starts first wins.
fn mastodon_countable(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let mut entities: Vec<(Range<usize>, String)> = links::links(text, Flavor::Mastodon)
        .into_iter()
        .map(|link| (link.range, "x".repeat(LINK_LENGTH)))
        .collect();
    entities.extend(mastodon_mentions(text));
    entities.sort_by_key(|(range, _)| range.start);
    let mut countable = String::with_capacity(text.len());
    let mut from = 0;
    for (range, replacement) in entities {
        if range.start < from {
            continue;
        }
        countable.push_str(&text[from..range.start]);
        countable.push_str(&replacement);
        from = range.end;
    }
    countable.push_str(&text[from..]);
    countable
}

/// Mastodon's mentions (`Account::MENTION_RE`, skipping those followed by `@`, an accented
/// Latin letter or `://`), each with what it counts as: `@user` for `@user@domain`.
fn mastodon_mentions(text: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find('@') {
        let start = from + offset;
        let Some((user_end, end)) = mention_at(text, start) else {
            from = start + 1;
            continue;
        };
        let after = &text[end..];
        let ends_badly = after.starts_with(['@', '＠'])
            || after.starts_with("://")
            || after.chars().next().is_some_and(is_latin_accent);
        if !ends_badly {
            found.push((start..end, text[start..user_end].to_string()));
        }
        from = end;
    }
    found
}

/// For an `@` at byte `start` that opens a mention, the ends of `@user` and of the mention.
///
/// Mirrors `(?<![=/[:word:]])@(user(?:@domain)?)`: not after `=`, `/` or a word character;
/// the user is ASCII letters, digits and `_`, with inner runs of `.` and `-`; the domain is
/// word characters with inner runs of `.` and `-`.
fn mention_at(text: &str, start: usize) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || is_mark(c);
    if text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c == '=' || c == '/' || is_word(c))
    {
        return None;
    }
    let is_user = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let user_end = dotted_run_end(text, start + 1, is_user)?;
    let end = text[user_end..]
        .strip_prefix('@')
        .and_then(|_| dotted_run_end(text, user_end + 1, is_word))
        .unwrap_or(user_end);
    Some((user_end, end))
}

/// The end of `class` characters at byte `at` with inner runs of `.` and `-` (never last).
fn dotted_run_end(text: &str, at: usize, class: impl Fn(char) -> bool) -> Option<usize> {
    let mut end = None;
    let mut pos = at;
    let mut chars = text[at..].chars().peekable();
    loop {
        let word_start = pos;
        while let Some(c) = chars.next_if(|&c| class(c)) {
            pos += c.len_utf8();
        }
        if pos == word_start {
            // A run of dots that no word follows belongs to the sentence.
            return end;
        }
        end = Some(pos);
        let mut separators = 0;
        while let Some(c) = chars.next_if(|&c| c == '.' || c == '-') {
            separators += c.len_utf8();
        }
        if separators == 0 {
            return end;
        }
        pos += separators;
    }
}

/// Whether `c` is a combining mark, which Ruby's `[[:word:]]` includes.
fn is_mark(c: char) -> bool {
    matches!(u32::from(c), 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Latin letters with accents, after which twitter-text does not end a mention.
fn is_latin_accent(c: char) -> bool {
    matches!(
        u32::from(c),
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x253 | 0x254 | 0x256 | 0x257 | 0x259 | 0x25B
            | 0x263 | 0x268 | 0x26F | 0x272 | 0x289 | 0x28B | 0x2BB | 0x300..=0x36F | 0x1E00..=0x1EFF
    )
}

/// Threads' length: each emoji sequence its UTF-8 bytes, other characters their UTF-16 units.
fn threads_length(text: &str) -> usize {
    let mut length = 0;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        match emoji::sequence_end(text, at) {
            Some(end) => {
                length += end - at;
                at = end;
            }
            None => {
                length += c.len_utf16();
                at += c.len_utf8();
            }
        }
    }
    length
}

/// `text` with LinkedIn's "little text format" reserved characters escaped with a backslash,
/// as the `commentary` of LinkedIn's Posts API needs it: | { } @ [ ] ( ) < > # \ * _ ~
pub(crate) fn linkedin_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if LINKEDIN_RESERVED.contains(&c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The first text made by `render` that `fits`: the whole body with hashtags; the body cut at
/// a word, as long as possible, with hashtags; the same two without hashtags; no body and no
/// hashtags. `None` when not even that fits.
///
/// `render(body, hashtags)` makes the text of a body, with or without the hashtags.
pub(crate) fn fit<E>(
    body: &str,
    mut render: impl FnMut(&str, bool) -> Result<String, E>,
    fits: impl Fn(&str) -> bool,
) -> Result<Option<String>, E> {
    let cuts = cut_versions(body);
    for hashtags in [true, false] {
        let whole = render(body, hashtags)?;
        if fits(&whole) {
            return Ok(Some(whole));
        }
        // Longer versions never count less, so the longest that fits is found by bisection.
        let (mut low, mut high) = (0, cuts.len());
        let mut best = None;
        while low < high {
            let middle = (low + high) / 2;
            let text = render(&cuts[middle], hashtags)?;
            if fits(&text) {
                best = Some(text);
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        if best.is_some() {
            return Ok(best);
        }
    }
    let bare = render("", false)?;
    Ok(fits(&bare).then_some(bare))
}

/// The shortened versions of `text`, shortest first: cut at each space between words, with
/// "…". A URL is never cut (they hold no spaces), and the ellipsis is kept apart from one.
pub(crate) fn cut_versions(text: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut previous = None;
    for (at, c) in text.char_indices() {
        let cut = is_breakable_space(c) && previous.is_some_and(|p| !is_breakable_space(p));
        previous = Some(c);
        if cut && let Some(version) = with_ellipsis(&text[..at]) {
            versions.push(version);
        }
    }
    versions
}

/// Whitespace where a line may break; no-break spaces glue "10 000" and "mot :" together.
fn is_breakable_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// `prefix` without trailing spaces and dangling punctuation, plus the ellipsis; `None` if
/// nothing is left.
fn with_ellipsis(prefix: &str) -> Option<String> {
    let last_word = prefix.rsplit(char::is_whitespace).next().unwrap_or(prefix);
    let ends_with_link = [Flavor::X, Flavor::Mastodon].into_iter().any(|flavor| {
        links::links(last_word, flavor)
            .last()
            .is_some_and(|l| l.range.end == last_word.len())
    }) || last_word.contains("://");
    // A link's last character is part of its address, whatever it looks like, and the ellipsis
    // glued to it would be read as part of it.
    let kept = if ends_with_link {
        prefix
    } else {
        prefix.trim_end_matches(|c: char| c.is_whitespace() || CUT_TRAILING.contains(&c))
    };
    if kept.is_empty() {
        return None;
    }
    let separator = if ends_with_link { " " } else { "" };
    Some(format!("{kept}{separator}{ELLIPSIS}"))
}

#[cfg(test)]
#[path = "length_tests.rs"]
mod tests;
