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
    let home = site.read("index.html");
    assert!(
        home.contains("lang=\"en\">January 29, 2026</time>"),
        "an English date in a French listing says its language: {home}"
    );
    let french = site.read("posts/bonjour/index.html");
    assert!(french.contains(">29 janvier 2026</time>"), "{french}");
    assert!(french.contains("Aller au contenu"), "{french}");
    assert!(french.contains("Oui\u{202f}!"), "{french}");
    assert!(french.contains(">Étiquettes</a>"), "{french}");
    assert!(french.contains("<p class=\"site-title\">"), "{french}");
}

/// `new --lang` writes the post's language, with its hints in that language; a code that is
/// not one is refused.
#[test]
fn new_writes_the_language_it_is_given() {
    let site = Site::new();
    site.run(&["new", "Hello there", "--lang", "en"]).ok();
    let text = std::fs::read_to_string(site.root().join("content/posts/hello-there.md")).unwrap();
    assert!(text.contains("\nlang = \"en\"\n"), "{text}");
    assert!(text.contains("One sentence for listings"), "{text}");
    site.run(&["new", "Bonjour", "--lang", "fr"]).ok();
    let text = std::fs::read_to_string(site.root().join("content/posts/bonjour.md")).unwrap();
    assert!(
        !text.contains("lang ="),
        "the site's language needs no line: {text}"
    );
    site.run(&["new", "Hallo", "--lang", "german"]).fails(
        2,
        &["--lang: `german` is not a language code such as `fr`, `en` or `fr-CA`"],
    );
    assert!(!site.root().join("content/posts/hallo.md").exists());
}

/// `check` warns about a post in a language the theme has no strings in, at its `lang` line.
#[test]
fn check_warns_about_a_language_the_theme_does_not_speak() {
    let site = Site::new();
    site.post(
        "hallo",
        "title = \"Hallo\"\ndate = 2026-01-29\nlang = \"nl\"",
        "Text.\n",
    );
    site.post(
        "hello",
        "title = \"Hello\"\ndate = 2026-01-29\nlang = \"en-GB\"",
        "Text.\n",
    );
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr
            .contains("content/posts/hallo.md:4: the theme has no interface strings in `nl`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("i18n/nl.toml"), "{}", run.stderr);
    assert!(!run.stderr.contains("hello.md"), "{}", run.stderr);
    site.file("i18n/nl.toml", "home = \"Startpagina\"\n");
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr.contains("hallo.md"), "{}", run.stderr);
}
