//! Hand-checked vectors, twitter-text's conformance cases, and a property test of shortening.

use super::*;

/// Asserts the length of `text` on every network: X, Mastodon, Bluesky, Threads, LinkedIn.
fn assert_lengths(text: &str, expected: [usize; 5]) {
    let order = [
        Network::X,
        Network::Mastodon,
        Network::Bluesky,
        Network::Threads,
        Network::LinkedIn,
    ];
    let actual = order.map(|network| length(text, network));
    assert_eq!(
        actual, expected,
        "lengths of {text:?} as [X, Mastodon, Bluesky, Threads, LinkedIn]"
    );
}

/// Plain ASCII weighs 1 per character everywhere.
#[test]
fn plain_ascii() {
    assert_lengths("Hello, world!", [13, 13, 13, 13, 13]);
    assert_lengths("", [0, 0, 0, 0, 0]);
}

/// French accents, guillemets and the typographic apostrophe weigh 1 on X.
#[test]
fn french() {
    // L ’ é t é ␠ « ␠ d é j à ␠ » ␠ f i n i = 19 characters; « » é à are below U+10FF and
    // ’ U+2019 in U+2010–U+201F, so 19 × 1 on X too.
    let text = "L\u{2019}\u{E9}t\u{E9} \u{AB} d\u{E9}j\u{E0} \u{BB} fini";
    assert_lengths(text, [19, 19, 19, 19, 19]);
}

/// CJK weighs 2 on X and 1 elsewhere.
#[test]
fn cjk() {
    // 日本語のテキスト: 8 characters above U+10FF → 16 on X.
    assert_lengths("日本語のテキスト", [16, 8, 8, 8, 8]);
}

/// Emoji: 2 per sequence on X, one grapheme, their UTF-8 bytes on Threads, UTF-16 on LinkedIn.
#[test]
fn emoji() {
    // 👍 U+1F44D: 4 UTF-8 bytes, 2 UTF-16 units.
    assert_lengths("👍", [2, 1, 1, 4, 2]);
    // 👩‍💻 U+1F469 U+200D U+1F4BB: 4 + 3 + 4 = 11 bytes, 2 + 1 + 2 = 5 units.
    assert_lengths("👩\u{200D}💻", [2, 1, 1, 11, 5]);
    // 🇫🇷: 8 bytes, 4 units.
    assert_lengths("🇫🇷", [2, 1, 1, 8, 4]);
    // ☺︎ U+263A U+FE0E: text style, so no emoji: 2 + 2 on X; 3 + 3 bytes... but no emoji on
    // Threads either, so 1 + 1 units.
    assert_lengths("☺\u{FE0E}", [4, 1, 1, 2, 2]);
    // © alone is text (1 on X); with U+FE0F it is an emoji (2).
    assert_lengths("\u{A9}", [1, 1, 1, 1, 1]);
    assert_lengths("\u{A9}\u{FE0F}", [2, 1, 1, 5, 2]);
}

/// Every URL is 23 on X; on Mastodon only those with a scheme; in full elsewhere.
#[test]
fn urls() {
    // "Voir " 5 + 23 + " et " 4 + 23 = 55 on X and Mastodon; the first URL is 53 characters and
    // the second 14, so 5 + 53 + 4 + 14 = 76 elsewhere.
    let text = "Voir https://example.org/un-article-tres-long-sur-le-sujet et http://ex.fr/a";
    assert_lengths(text, [55, 55, 76, 76, 76]);
    // "(" 1 + 23 + ")." 2 = 26: the closing ")" and "." are not part of the URL.
    assert_lengths("(https://example.org/a).", [26, 26, 24, 24, 24]);
    // Without a scheme, X still sees six URLs (6 × 23 + 5 spaces = 143); Mastodon sees none.
    let bare = "GOV.UK example.com t.co/abc web.dev README.md ASP.NET";
    assert_lengths(bare, [143, 53, 53, 53, 53]);
    // .local is no known top-level domain: "Lire " 5 + 26 characters everywhere.
    assert_lengths("Lire https://intranet.local/a/b", [31, 31, 31, 31, 31]);
}

/// Mastodon's own rule, checked by hand against its `countable_text`.
#[test]
fn mastodon_vectors() {
    let mastodon = |text: &str| length(text, Network::Mastodon);
    // "Merci " 6 + "@camille" 8 + " !" 2; the domain is free.
    assert_eq!(mastodon("Merci @camille@mastodon.social !"), 16);
    // The sentence's dot is not part of the domain: "@camille" 8 + "." 1.
    assert_eq!(mastodon("@camille@mastodon.social."), 9);
    // After a word character it is an address: 21 in full.
    assert_eq!(mastodon("x@camille@example.org"), 21);
    // Inside a URL it is part of the URL: 23.
    assert_eq!(mastodon("https://example.org/@camille@mastodon.social"), 23);
    // "<" 1 + 23 + ">" 1: the path stops at ">".
    assert_eq!(mastodon("<https://example.org/a>"), 25);
    // Mastodon's paths take any letter: 23, where X stops at 日 (23 + 4 = 27).
    assert_eq!(mastodon("https://ja.wikipedia.org/wiki/日本"), 23);
    assert_eq!(length("https://ja.wikipedia.org/wiki/日本", Network::X), 27);
    // Other schemes Mastodon links: 23.
    assert_eq!(mastodon("gemini://example.org/x"), 23);
    // One grapheme for a family; 23 for the link whatever its accents.
    assert_eq!(
        mastodon("👨\u{200D}👩\u{200D}👧 https://example.org/été"),
        25
    );
}

/// Bluesky: graphemes and bytes, both limits.
#[test]
fn bluesky_vectors() {
    // "Café" 4 graphemes, 5 bytes; " " 1; 👩‍💻 1 grapheme, 11 bytes; " " 1; the URL 21
    // characters and 22 bytes (é is 2).
    let text = "Café 👩\u{200D}💻 https://example.org/é";
    assert_eq!(length(text, Network::Bluesky), 28);
    assert_eq!(text.len(), 5 + 1 + 11 + 1 + 22);
    // 120 families of four: 120 graphemes of 25 bytes, exactly 3,000 bytes; one more is
    // refused for its bytes though far under 300 graphemes.
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    assert_eq!(family.len(), 25);
    assert_eq!(refusal(&family.repeat(120), Network::Bluesky, 300), None);
    assert_eq!(
        refusal(&family.repeat(121), Network::Bluesky, 300).as_deref(),
        Some("3025 bytes long; the limit is 3000 bytes")
    );
    assert_eq!(
        refusal(&"e\u{301}".repeat(301), Network::Bluesky, 300).as_deref(),
        Some("301 long; the limit is 300")
    );
}

/// X refuses three code points.
#[test]
fn x_refusals() {
    assert_eq!(
        refusal("a\u{FEFF}b", Network::X, 280).as_deref(),
        Some("holds U+FEFF, which X refuses")
    );
    assert_eq!(refusal(&"a".repeat(280), Network::X, 280), None);
    assert_eq!(
        refusal(&"a".repeat(281), Network::X, 280).as_deref(),
        Some("281 long; the limit is 280")
    );
}

/// LinkedIn's escaping, for its API only.
#[test]
fn linkedin_reserved() {
    assert_eq!(
        linkedin_escape("|{}@[]()<>#\\*_~"),
        "\\|\\{\\}\\@\\[\\]\\(\\)\\<\\>\\#\\\\\\*\\_\\~"
    );
    assert_eq!(linkedin_escape("Été 2024 : a_b"), "Été 2024 : a\\_b");
}

/// Cut versions: at each space, with "…", dangling punctuation dropped, no cut in "10 000".
#[test]
fn cut_versions_at_words() {
    assert_eq!(
        cut_versions("Bonjour, tout le\u{A0}monde et 10\u{A0}000 lecteurs"),
        [
            "Bonjour…",
            "Bonjour, tout…",
            "Bonjour, tout le\u{A0}monde…",
            "Bonjour, tout le\u{A0}monde et…",
            "Bonjour, tout le\u{A0}monde et 10\u{A0}000…"
        ]
    );
    // The ellipsis is kept apart from a link, which would otherwise take it in.
    assert_eq!(
        cut_versions("Lisez https://example.org/a puis GOV.UK ensuite"),
        [
            "Lisez…",
            "Lisez https://example.org/a …",
            "Lisez https://example.org/a puis…",
            "Lisez https://example.org/a puis GOV.UK …"
        ]
    );
}

/// `fit` tries the whole body, then cuts, then drops hashtags, then the body.
#[test]
fn fit_order() {
    let render = |body: &str, tags: bool| -> Result<String, ()> {
        Ok(format!("T — {body} L{}", if tags { " #a #b" } else { "" }))
    };
    let fits = |max: usize| move |t: &str| t.chars().count() <= max;
    let body = "un deux trois";
    assert_eq!(
        fit(body, render, fits(100)),
        Ok(Some("T — un deux trois L #a #b".into()))
    );
    assert_eq!(
        fit(body, render, fits(22)),
        Ok(Some("T — un deux… L #a #b".into()))
    );
    assert_eq!(
        fit(body, render, fits(17)),
        Ok(Some("T — un… L #a #b".into()))
    );
    assert_eq!(
        fit(body, render, fits(14)),
        Ok(Some("T — un deux… L".into()))
    );
    assert_eq!(fit(body, render, fits(6)), Ok(Some("T —  L".into())));
    assert_eq!(fit(body, render, fits(5)), Ok(None));
}

/// Every weighted-length case of twitter-text's conformance suite.
#[test]
fn twitter_text_weighted_lengths() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../../tests/data/twitter-text/weighted.json"))
            .expect("the vendored cases parse");
    assert_eq!(cases.len(), 44);
    for case in cases {
        let text = case["text"].as_str().unwrap_or_default();
        let emoji = case["section"] != "WeightedTweetsCounterTest";
        assert_eq!(
            x_weighted_length(text, emoji) as u64,
            case["weightedLength"].as_u64().unwrap_or_default(),
            "{}: {}",
            case["section"],
            case["description"]
        );
    }
}

/// Every URL-extraction case of twitter-text's conformance suite, top-level domains included.
#[test]
fn twitter_text_urls() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../../tests/data/twitter-text/urls.json"))
            .expect("the vendored cases parse");
    assert_eq!(cases.len(), 1682);
    for case in cases {
        let text = case["text"].as_str().unwrap_or_default();
        let found = links::links(text, Flavor::X);
        let urls: Vec<&str> = found.iter().map(|l| &text[l.range.clone()]).collect();
        let expected: Vec<&str> = case["urls"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u.as_str())
            .collect();
        assert_eq!(
            urls, expected,
            "{}: {}",
            case["section"], case["description"]
        );
        if let Some(indices) = case["indices"].as_array() {
            // The suite gives indices in code points.
            let at = |byte: usize| text[..byte].chars().count() as u64;
            let got: Vec<[u64; 2]> = found
                .iter()
                .map(|l| [at(l.range.start), at(l.range.end)])
                .collect();
            let want: Vec<[u64; 2]> = indices
                .iter()
                .map(|i| [i[0].as_u64().unwrap_or(0), i[1].as_u64().unwrap_or(0)])
                .collect();
            assert_eq!(got, want, "indices: {}", case["description"]);
        }
    }
}

/// A small deterministic generator (xorshift), so the property test needs no dependency and
/// gives the same texts on every run.
struct Rng(u64);

impl Rng {
    /// The next number below `n`.
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Pieces of hard texts: bare domains, URLs, emoji, CJK, French punctuation.
const PIECES: &[&str] = &[
    "GOV.UK",
    "example.com",
    "t.co/abc",
    "web.dev",
    "README.md",
    "ASP.NET",
    "https://example.org/a-b",
    "https://fr.wikipedia.org/wiki/Paris_(ville)",
    "http://intranet.local/x",
    "«\u{202F}citation\u{202F}»",
    "l’été",
    "—",
    ";",
    "!",
    "?",
    "…",
    "👩\u{200D}💻",
    "☺\u{FE0E}",
    "🇫🇷",
    "👍🏽",
    "1\u{FE0F}\u{20E3}",
    "日本語",
    "テキスト",
    "café",
    "e\u{301}",
    "@camille@mastodon.social",
    "#RéseauxSociaux",
    "mot",
    "phrase",
    "10\u{A0}000",
];

/// Shortening never gives a text over its limit, on any network, on random mixed texts.
#[test]
fn shortening_never_exceeds_the_limit() {
    let mut rng = Rng(0x5EED_7A1B_u64);
    let networks = Network::ALL;
    for _ in 0..400 {
        let mut piece = || PIECES[rng.below(PIECES.len())];
        let title: Vec<&str> = (0..3).map(|_| piece()).collect();
        let body: Vec<&str> = (0..40).map(|_| piece()).collect();
        let title = title.join(" ");
        let body = body.join(" ");
        for network in networks {
            let limit = 40 + rng.below(260);
            let render = |body: &str, tags: bool| -> Result<String, ()> {
                let tags = if tags { "\n\n#Un #Deux" } else { "" };
                let dash = if body.is_empty() { "" } else { " — " };
                Ok(format!(
                    "{title}{dash}{body}\n\nhttps://example.org/posts/x/{tags}"
                ))
            };
            let fits = |text: &str| refusal(text, network, limit).is_none();
            if let Ok(Some(text)) = fit(&body, render, fits) {
                assert!(
                    refusal(&text, network, limit).is_none(),
                    "{network:?} {limit}: {text:?}"
                );
                assert!(
                    text.contains("https://example.org/posts/x/"),
                    "the link stays: {text:?}"
                );
            } else {
                let bare = format!("{title}\n\nhttps://example.org/posts/x/");
                assert!(
                    refusal(&bare, network, limit).is_some(),
                    "{network:?}: {bare:?} fits"
                );
            }
        }
    }
}
