//! Feeds, parsed back with feed-reading crates.

use crate::Site;

fn site() -> Site {
    let site = Site::with_config(
        "title = \"Carnet & Co\"\nbase_url = \"https://example.org/blog/\"\nlanguage = \"fr\"\nauthor = \"Camille\"\n[feeds]\nlimit = 2\n",
    );
    site.file("content/posts/b/index.md", "+++\ntitle = \"Liens <et> « guillemets »\"\ndate = 2026-02-01T10:00:00+01:00\ntags = [\"web\"]\n+++\nVoir [l’autre](/posts/a/), [ici](#note) et ![img](cover.png).\n");
    site.bytes("content/posts/b/cover.png", &crate::png(40, 20));
    site.post(
        "a",
        "title = \"Premier\"\ndate = 2026-01-01\ntags = [\"web\"]\nupdated = 2026-03-01",
        "Un.\n",
    );
    site.post("old", "title = \"Ancien\"\ndate = 2020-01-01", "Vieux.\n");
    site.build();
    site
}

#[test]
fn rss_is_valid_with_absolute_links() {
    let site = site();
    let channel = rss::Channel::read_from(site.read("rss.xml").as_bytes()).unwrap();
    assert_eq!(channel.title, "Carnet & Co");
    assert_eq!(channel.link, "https://example.org/blog/");
    assert_eq!(channel.items.len(), 2, "the limit applies");
    let item = &channel.items[0];
    assert_eq!(item.title.as_deref(), Some("Liens <et> « guillemets »"));
    assert_eq!(
        item.link.as_deref(),
        Some("https://example.org/blog/posts/b/")
    );
    assert_eq!(
        item.guid.as_ref().unwrap().value,
        "https://example.org/blog/posts/b/"
    );
    let html = item.description.as_deref().unwrap();
    assert!(
        html.contains("href=\"https://example.org/blog/posts/a/\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://example.org/blog/posts/b/#note\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"https://example.org/blog/posts/b/cover.png\""),
        "{html}"
    );
    assert_eq!(
        item.pub_date.as_deref(),
        Some("Sun, 1 Feb 2026 10:00:00 +0100")
    );
}

#[test]
fn atom_is_valid_and_dated_by_content() {
    let site = site();
    let feed = atom_syndication::Feed::read_from(site.read("atom.xml").as_bytes()).unwrap();
    assert_eq!(feed.title.value, "Carnet & Co");
    assert_eq!(feed.entries.len(), 2);
    assert_eq!(
        feed.updated.to_rfc3339(),
        "2026-03-01T00:00:00+00:00",
        "the newest update, not the clock"
    );
    assert_eq!(
        feed.entries[1].updated.to_rfc3339(),
        "2026-03-01T00:00:00+00:00"
    );
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel == "self" && l.href == "https://example.org/blog/atom.xml")
    );
}

#[test]
fn atom_carries_each_post_whole_in_its_own_language() {
    let site = site();
    site.post(
        "cdata",
        "title = \"Fin de section ]]> & <balise>\"\ndate = 2026-04-01\nlang = \"en\"\ndescription = \"Un & deux\"",
        "Du <span title=\"a]]>b\">code brut</span> et `x < y`.\n",
    );
    site.build();
    let text = site.read("atom.xml");
    let feed = atom_syndication::Feed::read_from(text.as_bytes()).unwrap();
    let entry = &feed.entries[0];
    assert_eq!(entry.title.value, "Fin de section ]]> & <balise>");
    assert_eq!(entry.summary.as_ref().unwrap().value, "Un & deux");
    let content = entry.content.as_ref().unwrap();
    assert_eq!(content.content_type.as_deref(), Some("html"));
    assert_eq!(content.lang.as_deref(), Some("en"));
    let html = content.value.as_deref().unwrap();
    assert!(
        html.contains("<span title=\"a]]>b\">code brut</span>")
            && html.contains("<code>x &lt; y</code>"),
        "{html}"
    );
    assert_eq!(
        entry
            .authors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["Camille"]
    );
    assert_eq!(entry.categories.len(), 0);
    assert!(
        feed.entries[1]
            .categories
            .iter()
            .any(|c| c.term == "web" && c.label.as_deref() == Some("web"))
    );
}

#[test]
fn json_feed_is_valid() {
    let site = site();
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://example.org/blog/feed.json");
    assert_eq!(feed["items"][0]["url"], "https://example.org/blog/posts/b/");
    assert_eq!(feed["items"][0]["tags"][0], "web");
    assert_eq!(feed["items"].as_array().unwrap().len(), 2);
}

#[test]
fn each_term_has_its_own_feeds() {
    let site = site();
    let channel = rss::Channel::read_from(site.read("tags/web/rss.xml").as_bytes()).unwrap();
    assert_eq!(channel.title, "Carnet & Co · web");
    assert_eq!(channel.link, "https://example.org/blog/tags/web/");
    assert_eq!(channel.items.len(), 2);
    assert!(site.has("tags/web/atom.xml") && site.has("tags/web/feed.json"));
}

#[test]
fn summary_feeds_carry_summaries() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\ncontent = \"summary\"\nformats = [\"rss\"]\n",
    );
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-01",
        "Intro.\n\n<!-- more -->\n\nSuite secrète.\n",
    );
    site.build();
    let rss = site.read("rss.xml");
    assert!(rss.contains("Intro.") && !rss.contains("Suite secrète."));
    assert!(!site.has("atom.xml") && !site.has("feed.json"));
}
