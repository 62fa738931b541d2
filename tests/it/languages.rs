//! A site in one language with posts in another: each page speaks its own.

use crate::Site;

/// On a French site, an English post's page has English dates, interface strings and
/// typography, and its comments are dated in English; a French post's page stays French.
#[test]
fn a_post_in_another_language_speaks_it_on_its_page() {
    let site = Site::new();
    site.post(
        "hello",
        "title = \"Hello there\"\ndate = 2026-01-29T09:00:00+01:00\nlang = \"en\"\ntags = [\"web\"]",
        "Is this English? Yes!\n\n[share]\n",
    );
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-01-29T09:00:00+01:00",
        "Est-ce du français ? Oui !\n",
    );
    site.file(
        "content/posts/hello.comments.toml",
        "[[comment]]\nid = 1\nauthor = \"Ann\"\ndate = 2026-02-03T10:00:00+01:00\ntext = \"Nice!\"\n",
    );
    site.build();
    let english = site.read("posts/hello/index.html");
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(english.contains(">January 29, 2026</time>"), "{english}");
    assert!(english.contains("Skip to content"), "{english}");
    assert!(!english.contains("janvier"), "{english}");
    assert!(!english.contains("Aller au contenu"), "{english}");
    assert!(english.contains("February 3, 2026"), "{english}");
    assert!(
        english.contains(">Tags</a>"),
        "taxonomy titles too: {english}"
    );
    assert!(!english.contains("Étiquettes"), "{english}");
    assert!(!english.contains("Partager"), "shortcodes too: {english}");
    assert!(
        english.contains("<p class=\"site-title\" lang=\"fr\">"),
        "the site's own words keep their language: {english}"
    );
    assert!(
        english.contains("Yes!"),
        "no French space before ! in English"
    );
    let french = site.read("posts/bonjour/index.html");
    assert!(french.contains(">29 janvier 2026</time>"), "{french}");
    assert!(french.contains("Aller au contenu"), "{french}");
    assert!(french.contains("Oui\u{202f}!"), "{french}");
    assert!(french.contains(">Étiquettes</a>"), "{french}");
    assert!(french.contains("<p class=\"site-title\">"), "{french}");
}
