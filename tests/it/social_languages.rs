//! The social queue of a site in several languages: each channel speaks some of them, and
//! announces each post once, in the language it prefers.

use crate::Site;

/// A French site with an English edition; Bluesky speaks English only, X English then French,
/// Mastodon every language of the site.
const BILINGUAL: &str = "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n\
[languages.en]\ntitle = \"Notebook\"\n\
[social]\nhorizon = \"21 days\"\nmax_per_day = 3\npullquote_spacing = \"2 days\"\nrecycle_after = \"1 year\"\n\
[social.channels.bluesky]\nlanguages = [\"en\"]\n\
[social.channels.x]\nlanguages = [\"en\", \"fr\"]\n\
[social.channels.mastodon]\n";

/// The bilingual site with a translated post, a French-only one, an English-only one and a
/// post whose French original is still a draft.
fn site() -> Site {
    let site = Site::with_config(BILINGUAL);
    // Now is Monday 2026-11-23 13:00 in Paris: every post goes live on Tuesday.
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-11-24T08:00\npullquotes = [\"Le fond compte.\"]",
        "Texte.\n",
    );
    site.post(
        "bonjour.en",
        "title = \"Hello\"\ndate = 2026-11-24T08:00\npullquotes = [\"Substance matters.\"]",
        "Text.\n",
    );
    site.post(
        "seulement",
        "title = \"Seulement en français\"\ndate = 2026-11-24T08:30",
        "Texte.\n",
    );
    site.post(
        "only",
        "title = \"Only in English\"\ndate = 2026-11-24T09:30\nlang = \"en\"",
        "Text.\n",
    );
    site.post(
        "brouillon",
        "title = \"Brouillon\"\ndate = 2026-11-24T10:00\ndraft = true",
        "Texte.\n",
    );
    site.post(
        "brouillon.en",
        "title = \"Draft\"\ndate = 2026-11-24T10:00",
        "Text.\n",
    );
    site
}

/// The items of `channel` in the queue: id without its channel, text and link, by id.
fn items(queue: &serde_json::Value, channel: &str) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["channel"] == channel)
        .map(|i| {
            let id = i["id"].as_str().unwrap();
            (
                id.strip_suffix(&format!(":{channel}")).unwrap().to_string(),
                i["text"].as_str().unwrap().to_string(),
                i["link"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The ids of `items`.
fn ids(items: &[(String, String, String)]) -> Vec<&str> {
    items.iter().map(|(id, _, _)| id.as_str()).collect()
}

#[test]
fn each_channel_announces_each_post_once_in_a_language_it_speaks() {
    let site = site();
    let run = site.run(&["queue", "--format", "json"]).ok();
    let queue: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();

    let bluesky = items(&queue, "bluesky");
    assert_eq!(
        ids(&bluesky),
        [
            "en/posts/bonjour/:announce:0",
            "en/posts/bonjour/:pullquote:0",
            "en/posts/brouillon/:announce:0",
            "en/posts/only/:announce:0",
        ],
        "English versions only, and nothing about the French-only post"
    );
    let (_, text, link) = &bluesky[0];
    assert_eq!(link, "https://example.org/en/posts/bonjour/");
    assert_eq!(text, "Hello\n\nhttps://example.org/en/posts/bonjour/");
    let (_, quote, _) = &bluesky[1];
    assert!(
        quote.starts_with("“Substance matters.”\n\nHello https://example.org/en/posts/bonjour/"),
        "the English pull quote, in English quotation marks: {quote}"
    );

    let mastodon = items(&queue, "mastodon");
    assert_eq!(
        ids(&mastodon),
        [
            "en/posts/brouillon/:announce:0",
            "en/posts/only/:announce:0",
            "posts/bonjour/:announce:0",
            "posts/bonjour/:pullquote:0",
            "posts/seulement/:announce:0",
        ],
        "every post once: the translated one in French, the default language; a version \
         that is not announced leaves its place to another"
    );
    let (_, text, link) = &mastodon[2];
    assert_eq!(link, "https://example.org/posts/bonjour/");
    assert_eq!(text, "Bonjour\n\nhttps://example.org/posts/bonjour/");
    let (_, quote, _) = &mastodon[3];
    assert!(
        quote.starts_with(
            "«\u{A0}Le fond compte.\u{A0}»\n\nBonjour https://example.org/posts/bonjour/"
        ),
        "{quote}"
    );

    assert_eq!(
        ids(&items(&queue, "x")),
        [
            "en/posts/bonjour/:announce:0",
            "en/posts/bonjour/:pullquote:0",
            "en/posts/brouillon/:announce:0",
            "en/posts/only/:announce:0",
            "posts/seulement/:announce:0",
        ],
        "English first, French when the post has no English version"
    );
}

#[test]
fn a_channel_language_the_site_does_not_have_is_an_error_at_its_line() {
    let site = Site::with_config(&BILINGUAL.replace(
        "languages = [\"en\", \"fr\"]",
        "languages = [\"en\", \"de\"]",
    ));
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-11-24T08:00",
        "x\n",
    );
    site.run(&["queue"]).fails(
        1,
        &[
            "site.toml:15",
            "`de` is not a language of this site, whose languages are fr, en",
        ],
    );
}
