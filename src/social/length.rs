//! Exact length rules of social networks, for the posting queue derived from blog posts.
//!
//! Each network counts a post its own way, and a post one unit too long is refused, so the
//! rules are reproduced exactly rather than approximated by `str::len` or `chars().count()`.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// A social network's way of counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counter {
    /// X (Twitter): twitter-text v3 weighted length.
    X,
    /// Mastodon: grapheme clusters; a URL with a scheme counts 23; `@user@domain` counts as `@user`.
    Mastodon,
    /// Bluesky: grapheme clusters, URLs counted in full.
    Bluesky,
    /// LinkedIn and Threads: characters (Unicode scalar values) — LinkedIn limit 3000, Threads 500.
    Chars,
}

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

/// Closing characters that end a URL only when the URL has no matching opener.
const URL_CLOSERS: [(char, char); 6] = [
    (')', '('),
    (']', '['),
    ('>', '<'),
    ('»', '«'),
    ('”', '“'),
    ('’', '‘'),
];

/// Punctuation that ends a sentence around a URL far more often than it ends the URL itself.
const URL_TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', '"', '\'', '…'];

/// Punctuation that reads badly right before the added ellipsis.
const CUT_TRAILING: &[char] = &[',', ';', ':', '-', '–', '—', '…'];

/// LinkedIn's "little text format" reserved characters.
const LINKEDIN_RESERVED: &[char] = &[
    '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '\\', '*', '_', '~',
];

/// The ellipsis that marks a shortened text.
const ELLIPSIS: &str = "…";

/// The length of `text` as `counter` counts it.
pub(crate) fn length(text: &str, counter: Counter) -> usize {
    match counter {
        Counter::X => x_length(text),
        Counter::Mastodon => mastodon_countable(text).graphemes(true).count(),
        Counter::Bluesky => text.graphemes(true).count(),
        Counter::Chars => text.chars().count(),
    }
}

/// Byte ranges of the URLs in `text` (http:// or https:// up to whitespace, minus trailing punctuation like `.,;:!?)»”’` that is not part of a balanced pair), for Bluesky link facets and for never cutting a URL.
pub(crate) fn urls(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        // An ASCII byte is always a char boundary, so slicing at `at` below is safe.
        let Some(scheme) = scheme_length(&bytes[at..]) else {
            at += 1;
            continue;
        };
        // "xhttp://" is a word that happens to contain a scheme, not a link.
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            at += 1;
            continue;
        }
        let rest = &text[at..];
        let raw_end = at + rest.find(char::is_whitespace).unwrap_or(rest.len());
        let end = at + trim_url_end(&text[at..raw_end]);
        if end > at + scheme {
            found.push(at..end);
        }
        at = raw_end.max(at + 1);
    }
    found
}

/// `text` with LinkedIn's "little text format" reserved characters escaped with a backslash: | { } @ [ ] ( ) < > # \ * _ ~
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

/// Shortens `text` to at most `budget` as `counter` counts it, at a word boundary, ending with "…"
/// (the ellipsis counts). Never cuts inside a URL or a word; returns None if not even one word + "…" fits.
///
/// A text that already fits is returned unchanged, without an ellipsis.
pub(crate) fn shorten(text: &str, budget: usize, counter: Counter) -> Option<String> {
    if length(text, counter) <= budget {
        return Some(text.to_owned());
    }
    let links = urls(text);
    let mut best = None;
    for cut in cut_points(text) {
        if links.iter().any(|link| link.start < cut && cut < link.end) {
            continue;
        }
        let Some(candidate) = with_ellipsis(&text[..cut], &links) else {
            continue;
        };
        // A longer prefix never counts less, so the first one over budget ends the search.
        if length(&candidate, counter) > budget {
            break;
        }
        best = Some(candidate);
    }
    best
}

/// twitter-text v3 `parseTweet(...).weightedLength` with emoji parsing on.
fn x_length(text: &str) -> usize {
    // twitter-text counts the NFC form, so a decomposed "é" costs what a precomposed one does.
    let normalized: String = text.nfc().collect();
    let mut weight = 0;
    let mut from = 0;
    for link in urls(&normalized) {
        weight += x_weight(&normalized[from..link.start]) + LINK_LENGTH * X_SCALE;
        from = link.end;
    }
    weight += x_weight(&normalized[from..]);
    weight / X_SCALE
}

/// Weight in hundredths of a character of a link-free stretch of text.
fn x_weight(text: &str) -> usize {
    text.graphemes(true)
        .map(|cluster| {
            if is_emoji_cluster(cluster) {
                X_DEFAULT_WEIGHT
            } else {
                cluster.chars().map(x_char_weight).sum()
            }
        })
        .sum()
}

/// Weight in hundredths of a character of one code point outside an emoji.
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

/// Whether a grapheme cluster is an emoji sequence, which X counts as 2 whatever its code points.
///
/// Approximates Unicode's Extended_Pictographic with its main ranges plus flags and keycaps;
/// the few symbols this over-includes weigh 2 on X anyway.
fn is_emoji_cluster(cluster: &str) -> bool {
    let mut chars = cluster.chars().peekable();
    let Some(&first) = chars.peek() else {
        return false;
    };
    if matches!(first, '0'..='9' | '#' | '*') {
        chars.next();
        chars.next_if_eq(&'\u{FE0F}');
        return chars.next() == Some('\u{20E3}');
    }
    let mut previous = None;
    for c in cluster.chars() {
        // © and ® are emoji only in emoji presentation; bare, they are ordinary text.
        if c == '\u{FE0F}' && matches!(previous, Some('\u{A9}' | '\u{AE}')) {
            return true;
        }
        if is_pictographic(c) {
            return true;
        }
        previous = Some(c);
    }
    false
}

/// Whether `c` falls in the approximated Extended_Pictographic ranges (regional indicators included).
fn is_pictographic(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1F000..=0x1FAFF
            | 0x2600..=0x27BF
            | 0x2300..=0x23FF
            | 0x2B00..=0x2BFF
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
            | 0x203C
            | 0x2049
            | 0x2122
            | 0x2139
            | 0x2194..=0x21AA
            | 0x24C2
            | 0x25AA..=0x25FE
    )
}

/// Mastodon's `countable_text`: each link becomes 23 placeholders and `@user@domain` becomes `@user`.
fn mastodon_countable(text: &str) -> String {
    let mut countable = String::with_capacity(text.len());
    let mut from = 0;
    for link in urls(text) {
        push_shortened_mentions(&mut countable, text, from..link.start);
        countable.extend(std::iter::repeat_n('x', LINK_LENGTH));
        from = link.end;
    }
    push_shortened_mentions(&mut countable, text, from..text.len());
    countable
}

/// Appends `text[span]` with each remote mention cut down to its local part.
fn push_shortened_mentions(out: &mut String, text: &str, span: Range<usize>) {
    let mut at = span.start;
    while let Some(offset) = text[at..span.end].find('@') {
        let start = at + offset;
        let Some((user_end, mention_end)) = remote_mention(text, start, span.end) else {
            out.push_str(&text[at..=start]);
            at = start + 1;
            continue;
        };
        out.push_str(&text[at..user_end]);
        at = mention_end;
    }
    out.push_str(&text[at..span.end]);
}

/// For an `@` at `start` that opens `@user@domain`, the ends of `@user` and of the whole mention.
///
/// Mirrors Mastodon's `MENTION_RE`: not after `=`, `/` or a word character; the user part is
/// `[a-z0-9_]` with inner `.` and `-`; the domain is word characters joined by `.` and `-`.
fn remote_mention(text: &str, start: usize, limit: usize) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    if text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c == '=' || c == '/' || is_word(c))
    {
        return None;
    }
    let bytes = &text.as_bytes()[..limit];
    let is_user_edge = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut user_end = start + 1;
    while user_end < bytes.len()
        && (is_user_edge(bytes[user_end]) || b".-".contains(&bytes[user_end]))
    {
        user_end += 1;
    }
    // The user part cannot end with "." or "-": those belong to the sentence.
    while user_end > start + 1 && !is_user_edge(bytes[user_end - 1]) {
        user_end -= 1;
    }
    if user_end == start + 1 || bytes.get(user_end) != Some(&b'@') {
        return None;
    }
    let mut domain_end = user_end + 1;
    let mut end = None;
    let mut rest = text[domain_end..limit].char_indices().peekable();
    loop {
        let word_start = domain_end;
        while let Some((_, c)) = rest.next_if(|&(_, c)| is_word(c)) {
            domain_end += c.len_utf8();
        }
        if domain_end == word_start {
            break;
        }
        end = Some(domain_end);
        while let Some((_, c)) = rest.next_if(|&(_, c)| c == '.' || c == '-') {
            domain_end += c.len_utf8();
        }
    }
    end.map(|end| (user_end, end))
}

/// Length of a leading `http://` or `https://`, in any case.
fn scheme_length(bytes: &[u8]) -> Option<usize> {
    ["https://", "http://"].into_iter().find_map(|scheme| {
        let head = bytes.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme.as_bytes())
            .then_some(scheme.len())
    })
}

/// Length of `candidate` once the punctuation that closes the surrounding sentence is dropped.
fn trim_url_end(candidate: &str) -> usize {
    let mut url = candidate;
    while let Some(last) = url.chars().next_back() {
        let strip = if URL_TRAILING.contains(&last) {
            true
        } else if let Some(&(closer, opener)) =
            URL_CLOSERS.iter().find(|(closer, _)| *closer == last)
        {
            // Wikipedia-style "…/Paris_(ville)" keeps its ")"; "(see https://…)" does not.
            url.matches(closer).count() > url.matches(opener).count()
        } else {
            false
        };
        if !strip {
            break;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
    url.len()
}

/// Byte offsets where a word ends and a breakable space begins.
fn cut_points(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut previous = None;
    text.char_indices().filter_map(move |(at, c)| {
        let cut = is_breakable_space(c) && previous.is_some_and(|p| !is_breakable_space(p));
        previous = Some(c);
        cut.then_some(at)
    })
}

/// Whitespace where a line may break; no-break spaces glue "10 000" and "mot :" together.
fn is_breakable_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// `prefix` without trailing spaces and dangling punctuation, plus the ellipsis; `None` if nothing is left.
fn with_ellipsis(prefix: &str, links: &[Range<usize>]) -> Option<String> {
    let mut end = prefix.len();
    while let Some(last) = prefix[..end].chars().next_back() {
        // A URL's last character is part of its address, whatever it looks like.
        if links.iter().any(|link| link.start < end && end <= link.end) {
            break;
        }
        if !(last.is_whitespace() || CUT_TRAILING.contains(&last)) {
            break;
        }
        end -= last.len_utf8();
    }
    if end == 0 {
        return None;
    }
    // Glued to a URL, the ellipsis would be linked as part of its address by some clients.
    let separator = if links.iter().any(|link| link.end == end) {
        " "
    } else {
        ""
    };
    Some(format!("{}{separator}{ELLIPSIS}", &prefix[..end]))
}

#[cfg(test)]
mod tests {
    //! Hand-checked vectors: each comment shows how the expected value was counted.

    use super::*;

    /// Asserts the length of `text` under every counter, in the order X, Mastodon, Bluesky, Chars.
    fn assert_lengths(text: &str, expected: [usize; 4]) {
        let counters = [
            Counter::X,
            Counter::Mastodon,
            Counter::Bluesky,
            Counter::Chars,
        ];
        let actual = counters.map(|counter| length(text, counter));
        assert_eq!(
            actual, expected,
            "lengths of {text:?} as [X, Mastodon, Bluesky, Chars]"
        );
    }

    /// The text of each range, for readable assertions on `urls`.
    fn url_texts(text: &str) -> Vec<&str> {
        urls(text).into_iter().map(|range| &text[range]).collect()
    }

    /// Shortens and checks the result against the budget before handing it back.
    fn shortened(text: &str, budget: usize, counter: Counter) -> Option<String> {
        let result = shorten(text, budget, counter);
        if let Some(short) = &result {
            assert!(
                length(short, counter) <= budget,
                "{short:?} is over {budget} on {counter:?}"
            );
        }
        result
    }

    /// Plain ASCII weighs 1 per character everywhere.
    #[test]
    fn plain_ascii() {
        // "Hello, world!" is 13 ASCII characters, all in U+0000–U+10FF (weight 1 on X).
        assert_lengths("Hello, world!", [13, 13, 13, 13]);
        assert_lengths("", [0, 0, 0, 0]);
    }

    /// French accents, guillemets and the typographic apostrophe weigh 1 on X.
    #[test]
    fn french() {
        // L ’ é t é ␠ « ␠ d é j à ␠ » ␠ f i n i = 19 characters; é U+00E9, à U+00E0, « U+00AB,
        // » U+00BB are in U+0000–U+10FF and ’ U+2019 in U+2010–U+201F, so 19 × 1 on X too.
        let text = "L\u{2019}\u{E9}t\u{E9} \u{AB} d\u{E9}j\u{E0} \u{BB} fini";
        assert_lengths(text, [19, 19, 19, 19]);
    }

    /// CJK weighs 2 on X and 1 grapheme elsewhere.
    #[test]
    fn cjk() {
        // 日本語のテキスト: 8 ideographs and kana, all above U+10FF → 8 × 2 = 16 on X.
        assert_lengths("日本語のテキスト", [16, 8, 8, 8]);
        // "Tribune " 8 × 1 + 日本 2 × 2 = 12 on X; 10 graphemes and characters.
        assert_lengths("Tribune 日本", [12, 10, 10, 10]);
    }

    /// Each emoji sequence weighs 2 on X and is one grapheme.
    #[test]
    fn emoji() {
        // 👍 U+1F44D: 2 on X; 1 grapheme; 1 char.
        assert_lengths("👍", [2, 1, 1, 1]);
        // 👍🏽 U+1F44D U+1F3FD: one cluster → 2 on X; 2 chars.
        assert_lengths("👍🏽", [2, 1, 1, 2]);
        // 👩‍💻 U+1F469 U+200D U+1F4BB: one cluster → 2 (not 2 + 1 + 2); 3 chars.
        assert_lengths("👩\u{200D}💻", [2, 1, 1, 3]);
        // 🇫🇷 U+1F1EB U+1F1F7: one flag cluster → 2; 2 chars.
        assert_lengths("🇫🇷", [2, 1, 1, 2]);
        // 1️⃣ "1" U+FE0F U+20E3: one keycap cluster → 2 (not 1 + 2 + 2); 3 chars.
        assert_lengths("1\u{FE0F}\u{20E3}", [2, 1, 1, 3]);
        // a 👍 b: 1 + 2 + 1 = 4 on X; 3 graphemes.
        assert_lengths("a👍b", [4, 3, 3, 3]);
        // 👍👍: two clusters → 2 + 2.
        assert_lengths("👍👍", [4, 2, 2, 2]);
        // © U+00A9 is text (weight 1) unless U+FE0F makes it an emoji (2 in total).
        assert_lengths("\u{A9}", [1, 1, 1, 1]);
        assert_lengths("\u{A9}\u{FE0F}", [2, 1, 1, 2]);
    }

    /// The emoji approximation accepts sequences and rejects plain text.
    #[test]
    fn emoji_clusters() {
        assert!(is_emoji_cluster("#\u{20E3}"));
        assert!(is_emoji_cluster("☀\u{FE0F}"));
        assert!(!is_emoji_cluster("1"));
        assert!(!is_emoji_cluster("e\u{301}"));
        assert!(!is_emoji_cluster("\u{AE}"));
        assert!(!is_emoji_cluster(""));
    }

    /// Every URL is 23 on X and Mastodon, and its full length on Bluesky and LinkedIn.
    #[test]
    fn several_urls() {
        // "Voir " 5 + URL + " et " 4 + URL: 5 + 23 + 4 + 23 = 55 on X and Mastodon.
        // Bluesky/Chars: the first URL is "https://" 8 + "example.org" 11 + the path
        // "/un" 3 "-article" 8 "-tres" 5 "-long" 5 "-sur" 4 "-le" 3 "-sujet" 6 = 53; the second
        // "http://" 7 + "ex.fr" 5 + "/a" 2 = 14 (shorter than 23, still 23 on X); 5 + 53 + 4 + 14 = 76.
        let text = "Voir https://example.org/un-article-tres-long-sur-le-sujet et http://ex.fr/a";
        assert_lengths(text, [55, 55, 76, 76]);
        // "(" 1 + URL 23 + ")." 2 = 26: the closing ")" and "." are not part of the URL.
        assert_lengths("(https://example.org/a).", [26, 26, 24, 24]);
    }

    /// A decomposed é counts 1 on X because twitter-text normalises to NFC first.
    #[test]
    fn decomposed_accent() {
        // "e" U+0301 → NFC "é" U+00E9 → 1 (2 without NFC); one grapheme; 2 scalar values.
        assert_lengths("e\u{301}", [1, 1, 1, 2]);
        // "Caf" 3 + "é" 1 = 4 on X.
        assert_lengths("Cafe\u{301}", [4, 4, 4, 5]);
    }

    /// Mastodon counts a remote mention as its local part only.
    #[test]
    fn mastodon_mentions() {
        // "@camille" is 8; the "@mastodon.social" domain is free.
        assert_eq!(length("@camille@mastodon.social", Counter::Mastodon), 8);
        // Elsewhere it is "@" 1 + "camille" 7 + "@" 1 + "mastodon.social" 15 = 24.
        assert_eq!(length("@camille@mastodon.social", Counter::Bluesky), 24);
        // "Merci " 6 + 8 + " !" 2 = 16; on X the mention is counted in full: 6 + 24 + 2 = 32.
        assert_lengths("Merci @camille@mastodon.social !", [32, 16, 32, 32]);
        // A local mention costs what it shows: "@camille" 8 + "." 1.
        assert_eq!(length("@camille.", Counter::Mastodon), 9);
        // After a word character it is an address, not a mention: 21 in full.
        assert_eq!(length("x@camille@example.org", Counter::Mastodon), 21);
        // The sentence's final "." is not part of the domain: "@camille" 8 + "." 1.
        assert_eq!(length("@camille@mastodon.social.", Counter::Mastodon), 9);
        // Inside a URL it stays part of the URL: 23.
        assert_eq!(
            length(
                "https://example.org/@camille@mastodon.social",
                Counter::Mastodon
            ),
            23
        );
    }

    /// URL ranges stop before sentence punctuation and unbalanced closers.
    #[test]
    fn url_ranges() {
        // "Lisez " is 6 bytes; "https://example.org/a" is 21 → 6..27, then "." (27).
        // ". Et " 27..32, "«" is 2 bytes 32..34, the URL 34..55, "»" 55..57.
        // " ou (" 57..62; "https://fr.wikipedia.org/wiki/Paris_(ville)" is 8 + 16 + 6 + 13 = 43 →
        // 62..105; its ")" is balanced by "(", the next ")" (105) is not, nor is " !" after it.
        let text = "Lisez https://example.org/a. Et \u{AB}https://example.org/b\u{BB} ou \
                    (https://fr.wikipedia.org/wiki/Paris_(ville)) !";
        assert_eq!(urls(text), vec![6..27, 34..55, 62..105]);
        assert_eq!(
            url_texts(text),
            [
                "https://example.org/a",
                "https://example.org/b",
                "https://fr.wikipedia.org/wiki/Paris_(ville)"
            ]
        );
        // Case-insensitive scheme; a trailing "?!" and a closing ” are sentence punctuation.
        assert_eq!(url_texts("HTTPS://Example.org?!"), ["HTTPS://Example.org"]);
        assert_eq!(url_texts("“http://example.org”"), ["http://example.org"]);
        // A scheme alone, or inside a word, is no URL.
        assert!(urls("https:// et xhttps://example.org").is_empty());
        // A URL ends at a no-break space as at any whitespace.
        assert_eq!(
            url_texts("\u{AB}\u{202F}https://example.org\u{202F}\u{BB}"),
            ["https://example.org"]
        );
    }

    /// Every reserved character gets a backslash; others pass through.
    #[test]
    fn linkedin_reserved() {
        assert_eq!(
            linkedin_escape("|{}@[]()<>#\\*_~"),
            "\\|\\{\\}\\@\\[\\]\\(\\)\\<\\>\\#\\\\\\*\\_\\~"
        );
        assert_eq!(linkedin_escape("Été 2024 : a_b"), "Été 2024 : a\\_b");
    }

    /// Cuts at a word boundary, adds "…", and keeps a text that fits as it is.
    #[test]
    fn shorten_words() {
        // "Bonjour…" 7 + 1 = 8 ≤ 12; "Bonjour tout…" 12 + 1 = 13 > 12.
        assert_eq!(
            shortened("Bonjour tout le monde", 12, Counter::Chars).as_deref(),
            Some("Bonjour…")
        );
        // 13 ≤ 13.
        assert_eq!(
            shortened("Bonjour tout le monde", 13, Counter::Chars).as_deref(),
            Some("Bonjour tout…")
        );
        // 21 characters fit in 21: unchanged, no ellipsis.
        assert_eq!(
            shortened("Bonjour tout le monde", 21, Counter::Chars).as_deref(),
            Some("Bonjour tout le monde")
        );
        // The comma before the cut is dropped: "Bonjour…" 8 rather than "Bonjour,…".
        assert_eq!(
            shortened("Bonjour, tout le monde", 10, Counter::Chars).as_deref(),
            Some("Bonjour…")
        );
        // No cut at a no-break space: "10 000" is one word; "Il y a…" 6 + 1 = 7.
        assert_eq!(
            shortened("Il y a 10\u{A0}000 lecteurs", 12, Counter::Chars).as_deref(),
            Some("Il y a…")
        );
        // X: "日本語…" is 3 × 2 + "…" U+2026 (outside the light ranges) 2 = 8 ≤ 10;
        // "日本語 テキスト…" is 6 + 1 + 8 + 2 = 17 > 10.
        assert_eq!(
            shortened("日本語 テキスト です", 10, Counter::X).as_deref(),
            Some("日本語…")
        );
    }

    /// Returns None when not even the first word and the ellipsis fit.
    #[test]
    fn shorten_impossible() {
        // One 25-character word has no boundary to cut at.
        assert_eq!(
            shortened("Anticonstitutionnellement", 10, Counter::Chars),
            None
        );
        // "Bonjour…" is 8 > 5.
        assert_eq!(shortened("Bonjour tout", 5, Counter::Chars), None);
        // A lone URL longer than the budget on Bluesky cannot be cut.
        assert_eq!(
            shortened("https://example.org/very-long", 10, Counter::Bluesky),
            None
        );
    }

    /// A URL is kept whole or dropped whole, and the budget is each network's own.
    #[test]
    fn shorten_urls() {
        // URL: 53 characters, 23 on X and Mastodon. The whole text is 6 + 23 + 15 = 44 on X.
        let text = "Lisez https://example.org/un-article-tres-long-sur-le-sujet puis commentez";
        let url = "https://example.org/un-article-tres-long-sur-le-sujet";
        // X: "Lisez " 6 + 23 + " " 1 + "…" 2 = 32 ≤ 35; "Lisez URL puis…" 6 + 23 + 5 + 2 = 36 > 35.
        assert_eq!(
            shortened(text, 35, Counter::X),
            Some(format!("Lisez {url} …"))
        );
        // Mastodon: "Lisez URL puis…" 6 + 23 + 5 + 1 = 35 ≤ 35.
        assert_eq!(
            shortened(text, 35, Counter::Mastodon),
            Some(format!("Lisez {url} puis…"))
        );
        // Bluesky and Chars: "Lisez URL …" is 6 + 53 + 2 = 61 > 35, so only "Lisez…" 6.
        assert_eq!(
            shortened(text, 35, Counter::Bluesky).as_deref(),
            Some("Lisez…")
        );
        assert_eq!(
            shortened(text, 35, Counter::Chars).as_deref(),
            Some("Lisez…")
        );
        // Bluesky at 61: "Lisez URL …" exactly fits, the URL whole.
        assert_eq!(
            shortened(text, 61, Counter::Bluesky),
            Some(format!("Lisez {url} …"))
        );
        // X emoji: "Bravo 👍…" is 5 + 1 + 2 + 2 = 10 ≤ 10; "… à" would be 10 + 2 = 12.
        assert_eq!(
            shortened("Bravo 👍 à toutes et à tous", 10, Counter::X).as_deref(),
            Some("Bravo 👍…")
        );
    }
}
