//! A site in several languages: each language under its own folder, translations linked to
//! each other as search engines read them, feeds and listings per language.

use std::collections::BTreeSet;

use crate::Site;

/// French by default, English under /en/, with English theme terms translated.
const BILINGUAL: &str = "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\ndescription = \"Notes en français\"\n\n[languages.en]\ntitle = \"The Notebook\"\ndescription = \"Notes in English\"\nterms = { \"logiciel libre\" = \"free software\" }\n";

/// A bilingual site: a translated post, a French-only post, an English-only post, a
/// translated bundle sharing its image, and a translated page.
fn bilingual(config: &str) -> Site {
    let site = Site::with_config(config);
    site.post(
        "bonjour",
        "title = \"Bonjour le monde\"\ndate = 2026-01-29T09:00:00+01:00\ntags = [\"logiciel libre\", \"rust\"]",
        "Un texte en français.\n",
    );
    site.post(
        "bonjour.en",
        "title = \"Hello world\"\ndate = 2026-01-29T09:00:00+01:00\ntags = [\"free software\", \"rust\"]",
        "A text in English.\n",
    );
    site.post(
        "seul",
        "title = \"Seulement en français\"\ndate = 2026-02-01T09:00:00+01:00\ntags = [\"cuisine\"]",
        "Rien.\n",
    );
    site.post(
        "only",
        "title = \"English only\"\ndate = 2026-02-03T09:00:00+01:00\nlang = \"en\"",
        "Nothing.\n",
    );
    site.file(
        "content/posts/voyage/index.md",
        "+++\ntitle = \"Voyage\"\ndate = 2026-03-01T09:00:00+01:00\n+++\n![Une photo](photo.png)\n",
    );
    site.file(
        "content/posts/voyage/index.en.md",
        "+++\ntitle = \"Journey\"\nslug = \"journey\"\ndate = 2026-03-01T09:00:00+01:00\n+++\n![A photo](photo.png)\n",
    );
    site.bytes("content/posts/voyage/photo.png", &crate::png(40, 30));
    site.file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nQui.\n",
    );
    site.file(
        "content/a-propos.en.md",
        "+++\ntitle = \"About\"\nslug = \"about\"\n+++\nWho.\n",
    );
    site
}

/// The `hreflang` alternates of a page: language and URL.
fn alternates(html: &str) -> BTreeSet<(String, String)> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|rest| {
            let (lang, rest) = rest.split_once('"').unwrap();
            let url = rest
                .split_once("href=\"")
                .unwrap()
                .1
                .split_once('"')
                .unwrap()
                .0;
            (lang.to_string(), url.to_string())
        })
        .collect()
}

/// The output file of an absolute URL of the site.
fn file_of(url: &str) -> String {
    let path = url.strip_prefix("https://example.org/").unwrap();
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn each_language_has_its_pages_linked_to_their_translations() {
    let site = bilingual(BILINGUAL);
    site.build();

    // Each language has its own home, listings and feeds.
    for file in [
        "index.html",
        "en/index.html",
        "posts/bonjour/index.html",
        "en/posts/bonjour/index.html",
        "en/posts/only/index.html",
        "posts/seul/index.html",
        "posts/voyage/index.html",
        "en/posts/journey/index.html",
        "a-propos/index.html",
        "en/about/index.html",
        "en/archive/index.html",
        "en/archive/2026/index.html",
        "en/tags/free-software/index.html",
        "en/tags/rust/index.html",
        "en/rss.xml",
        "en/atom.xml",
        "en/feed.json",
        "en/404.html",
        "404.html",
    ] {
        assert!(site.has(file), "{file}");
    }
    assert!(!site.has("en/posts/seul/index.html"));
    assert!(!site.has("posts/only/index.html"));
    assert!(!site.has("en/tags/cuisine/index.html"));
    // A bundle's files are beside each of its versions.
    assert!(site.has("posts/voyage/photo.png"));
    assert!(site.has("en/posts/journey/photo.png"));

    // Every page's alternates are absolute, include the page itself and x-default, lead to
    // pages that exist, and are the same set on each version (reciprocal).
    let mut pages_with_alternates = 0;
    for (path, bytes) in site.tree("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let found = alternates(&html);
        if found.is_empty() {
            continue;
        }
        pages_with_alternates += 1;
        let canonical = html
            .split_once("<link rel=\"canonical\" href=\"")
            .unwrap()
            .1
            .split_once('"')
            .unwrap()
            .0;
        assert!(
            found.iter().any(|(_, url)| url == canonical),
            "{path} lists itself: {found:?}"
        );
        assert!(
            found.iter().any(|(lang, _)| lang == "x-default"),
            "{path}: {found:?}"
        );
        for (lang, url) in &found {
            assert!(url.starts_with("https://example.org/"), "{path}: {url}");
            let target = file_of(url);
            assert!(site.has(&target), "{path} → {url}");
            if lang != "x-default" {
                assert_eq!(
                    alternates(&site.read(&target)),
                    found,
                    "{path} and {target} list the same versions"
                );
            }
        }
    }
    assert!(pages_with_alternates >= 10, "{pages_with_alternates}");

    let french = site.read("posts/bonjour/index.html");
    assert!(french.contains("<html lang=\"fr\">"), "{french}");
    assert!(
        french.contains(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/posts/bonjour/\">"
        ),
        "{french}"
    );
    assert!(
        french.contains(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/posts/bonjour/\">"
        ),
        "{french}"
    );
    let english = site.read("en/posts/bonjour/index.html");
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(english.contains(">January 29, 2026</time>"), "{english}");
    assert!(english.contains("The Notebook"), "{english}");
    assert!(!english.contains("janvier"), "{english}");
    assert!(
        english.contains("href=\"/en/tags/free-software/\""),
        "{english}"
    );
    // The same spelling in two languages links to each language's own term page.
    assert!(english.contains("href=\"/en/tags/rust/\""), "{english}");
    assert!(french.contains("href=\"/tags/rust/\""), "{french}");
    assert!(!french.contains("/en/tags/"), "{french}");
    // The switcher: named, each link in its own language, to the translation.
    assert!(english.contains("<nav class=\"language-nav\" aria-label=\"Languages\">"));
    assert!(
        english.contains("<a href=\"/posts/bonjour/\" lang=\"fr\" hreflang=\"fr\">Français</a>")
    );
    assert!(english.contains(
        "<a href=\"/en/posts/bonjour/\" lang=\"en\" hreflang=\"en\" aria-current=\"true\">English</a>"
    ));

    // A page with no translation has no alternates; its switcher leads to the other home.
    let alone = site.read("posts/seul/index.html");
    assert!(alternates(&alone).is_empty(), "{alone}");
    assert!(alone.contains("<a href=\"/en/\" lang=\"en\" hreflang=\"en\">English</a>"));
    let only = site.read("en/posts/only/index.html");
    assert!(alternates(&only).is_empty(), "{only}");
    assert!(only.contains(">February 3, 2026</time>"), "{only}");

    // Translated terms are linked; a term with the same name in both is too.
    let free = alternates(&site.read("en/tags/free-software/index.html"));
    assert!(free.contains(&(
        "fr".to_string(),
        "https://example.org/tags/logiciel-libre/".to_string()
    )));
    let rust = alternates(&site.read("tags/rust/index.html"));
    assert!(rust.contains(&(
        "en".to_string(),
        "https://example.org/en/tags/rust/".to_string()
    )));

    // Each language's home lists its own posts only; its feeds too.
    let home = site.read("en/index.html");
    assert!(home.contains("English only") && home.contains("Hello world"));
    assert!(!home.contains("Seulement en français") && !home.contains("Bonjour le monde"));
    // A bundle's picture in a listing's summary is found from the listing too.
    assert!(
        home.contains("src=\"/en/posts/journey/photo.png\""),
        "{home}"
    );
    let rss = site.read("en/rss.xml");
    assert!(rss.contains("<language>en</language>"), "{rss}");
    assert!(rss.contains("<title>The Notebook</title>"), "{rss}");
    assert_eq!(rss.matches("<item>").count(), 3, "{rss}");
    assert!(
        rss.contains("https://example.org/en/posts/bonjour/"),
        "{rss}"
    );
    assert!(!rss.contains("Seulement"), "{rss}");
    let french_feed = site.read("atom.xml");
    assert!(french_feed.contains("Seulement en français"));
    assert!(!french_feed.contains("English only"));
    let json = site.read("en/feed.json");
    assert!(json.contains("\"language\": \"en\""), "{json}");

    // The sitemap names every version with its alternates.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains("<loc>https://example.org/en/posts/only/</loc>"));
    assert!(sitemap.contains(
        "<url><loc>https://example.org/en/posts/bonjour/</loc><lastmod>2026-01-29T09:00:00+01:00</lastmod><xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/posts/bonjour/\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/posts/bonjour/\"/><xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/posts/bonjour/\"/></url>"
    ), "{sitemap}");
    assert!(sitemap.contains("<url><loc>https://example.org/posts/seul/</loc><lastmod>2026-02-01T09:00:00+01:00</lastmod></url>"), "{sitemap}");
}

#[test]
fn the_default_language_can_have_its_own_folder_and_the_root_sends_readers_to_theirs() {
    let site = bilingual(&format!("default_language_in_subdir = true\n{BILINGUAL}"));
    site.build();
    assert!(site.has("fr/index.html"));
    assert!(site.has("fr/posts/bonjour/index.html"));
    assert!(site.has("en/posts/bonjour/index.html"));
    assert!(site.has("fr/rss.xml"));
    assert!(!site.has("posts/bonjour/index.html"));
    assert!(!site.has("rss.xml"));
    let root = site.read("index.html");
    assert!(root.contains("location.replace"), "{root}");
    assert!(
        root.contains("<a class=\"button\" href=\"/fr/\" lang=\"fr\" hreflang=\"fr\">Français</a>"),
        "{root}"
    );
    assert!(root.contains("href=\"/en/\""), "{root}");
    // The root is the homes' x-default; a post's is its default-language version.
    let home = alternates(&site.read("en/index.html"));
    assert!(home.contains(&("x-default".to_string(), "https://example.org/".to_string())));
    let post = alternates(&site.read("en/posts/bonjour/index.html"));
    assert!(post.contains(&(
        "x-default".to_string(),
        "https://example.org/fr/posts/bonjour/".to_string()
    )));
    assert!(site.has("404.html"));
}

#[test]
fn untranslated_posts_can_be_listed_in_their_original_language_with_a_notice() {
    let site = bilingual(&format!("missing_translations = \"original\"\n{BILINGUAL}"));
    site.build();
    let home = site.read("en/index.html");
    assert!(home.contains("Seulement en français"), "{home}");
    assert!(
        home.contains("href=\"/posts/seul/\""),
        "no copy of the page: {home}"
    );
    assert!(home.contains("Not translated yet"), "{home}");
    assert!(!site.has("en/posts/seul/index.html"));
    // An English post's neighbours are English posts.
    let only = site.read("en/posts/only/index.html");
    assert!(only.contains("Hello world"), "{only}");
    assert!(!only.contains("Seulement en français"), "{only}");
    // The French home has no such notice; the English feed keeps English posts only.
    assert!(!site.read("index.html").contains("Pas encore traduit"));
    assert!(!site.read("en/rss.xml").contains("Seulement"));
}

#[test]
fn a_site_without_languages_keeps_every_post_at_its_place() {
    let site = Site::new();
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-01-01",
        "Texte.\n",
    );
    site.post(
        "notes.en",
        "title = \"Notes\"\ndate = 2026-01-02\nlang = \"en\"",
        "Text.\n",
    );
    site.build();
    assert!(site.has("posts/notes-en/index.html") || site.has("posts/notes.en/index.html"));
    assert!(!site.has("en/index.html"));
    let html = site.read("posts/bonjour/index.html");
    assert!(alternates(&html).is_empty(), "{html}");
    assert!(!html.contains("language-nav"), "{html}");
    assert!(!site.read("sitemap.xml").contains("xhtml"));
}

#[test]
fn languages_and_translations_are_checked() {
    let site = bilingual(&format!(
        "{BILINGUAL}\n[languages.english]\ntitle = \"x\"\n"
    ));
    site.run(&["build"]).fails(
        1,
        &[
            "site.toml:",
            "`[languages.english]`: `english` is not a language code",
        ],
    );

    // Two tables for one folder, and terms on the default language's table.
    let site = bilingual(&format!(
        "{BILINGUAL}\n[languages.EN]\ntitle = \"x\"\n[languages.fr]\nterms = {{ \"a\" = \"b\" }}\n"
    ));
    site.run(&["build"]).fails(
        1,
        &[
            "site.toml:12: `[languages.EN]` and `[languages.en]` would both live under /en/",
            "site.toml:14: `[languages.fr]` is the default language: its terms are the ones other languages translate",
        ],
    );

    // An empty translation key.
    let site = bilingual(BILINGUAL);
    site.post(
        "vide",
        "title = \"Vide\"\ndate = 2026-01-29\ntranslation_key = \" \"",
        "x\n",
    );
    site.run(&["build"])
        .fails(1, &["content/posts/vide.md:4: `translation_key` is empty"]);

    // Two English versions of one post: an error naming both files.
    let site = bilingual(BILINGUAL);
    site.post(
        "bonjour2",
        "title = \"Hi\"\ndate = 2026-01-29\nlang = \"en\"\ntranslation_key = \"posts/bonjour.md\"",
        "x\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/posts/bonjour.en.md and content/posts/bonjour2.md are both the en version of one post"],
    );

    // A file name and a `lang` that disagree.
    let site = bilingual(BILINGUAL);
    site.post(
        "hallo.en",
        "title = \"Hallo\"\ndate = 2026-01-29\nlang = \"de\"",
        "x\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/posts/hallo.en.md:4: `lang = \"de\"` contradicts the file name, which says `en`"],
    );

    // A translation whose original is missing, and a language the theme has no strings in.
    let site = bilingual(&format!(
        "{BILINGUAL}\n[languages.nl]\ntitle = \"Het Notitieboek\"\n"
    ));
    site.post("solo.en", "title = \"Solo\"\ndate = 2026-01-29", "x\n");
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr.contains("content/posts/solo.en.md: this translation has no original (content/posts/solo.md does not exist)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("site.toml:12: the theme has no interface strings in `nl`"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_writes_a_translation_beside_its_original() {
    let site = bilingual(BILINGUAL);
    site.run(&[
        "new",
        "Alone no more",
        "--translate",
        "content/posts/seul.md",
        "--lang",
        "en",
    ])
    .ok();
    let text = std::fs::read_to_string(site.root().join("content/posts/seul.en.md")).unwrap();
    assert!(text.contains("title = \"Alone no more\"\nslug = \"alone-no-more\"\ndate = 2026-02-01T09:00:00+01:00\n"), "{text}");
    site.build();
    assert!(site.has("en/posts/alone-no-more/index.html"));
    site.run(&[
        "new",
        "Hola",
        "--translate",
        "content/posts/seul.md",
        "--lang",
        "es",
    ])
    .fails(
        2,
        &["--lang: `es` is not one of the site's other languages (en)"],
    );
    // An original that is not there, and a site in one language.
    site.run(&[
        "new",
        "Nowhere",
        "--translate",
        "content/posts/nowhere.md",
        "--lang",
        "en",
    ])
    .fails(3, &["content/posts/nowhere.md", "content/posts/bonjour.md"]);
    let single = Site::new();
    single.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-01-01",
        "Texte.\n",
    );
    single
        .run(&[
            "new",
            "Hello",
            "--translate",
            "content/posts/bonjour.md",
            "--lang",
            "en",
        ])
        .fails(2, &["declare [languages.en] in site.toml first"]);
    assert!(!single.root().join("content/posts/bonjour.en.md").exists());
}

#[test]
fn init_makes_a_site_in_two_languages() {
    let site = Site::new();
    let dir = site.root().join("carnet");
    let dir = dir.to_str().unwrap();
    site.run(&["init", dir, "--language", "fr,en"]).ok();
    let config = std::fs::read_to_string(format!("{dir}/site.toml")).unwrap();
    assert!(config.contains("[languages.en]"), "{config}");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args(["build", "--root", dir, "--now", crate::NOW])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let english =
        std::fs::read_to_string(format!("{dir}/public/en/posts/welcome/index.html")).unwrap();
    assert!(english.contains("hreflang=\"fr\" href=\"https://example.org/posts/bienvenue/\""));
    assert!(std::path::Path::new(&format!("{dir}/public/en/about/index.html")).is_file());
}

#[test]
fn each_language_has_its_own_default_image_and_its_text() {
    let site = bilingual(&BILINGUAL.replace(
        "[languages.en]\n",
        "image = \"/carte.png\"\nimage_alt = \"Une carte du carnet\"\n\n[languages.en]\nimage = \"/card.png\"\nimage_alt = \"The notebook's card\"\n",
    ));
    site.bytes("static/carte.png", &crate::png(120, 63));
    site.bytes("static/card.png", &crate::png(120, 63));
    site.build();
    let french = site.read("index.html");
    assert!(french.contains("https://example.org/carte.png"), "{french}");
    assert!(french.contains("Une carte du carnet"), "{french}");
    let english = site.read("en/index.html");
    assert!(
        english.contains("https://example.org/card.png"),
        "{english}"
    );
    assert!(english.contains("The notebook&#39;s card"), "{english}");
    assert!(!english.contains("Une carte du carnet"), "{english}");
}

#[test]
fn each_language_may_have_its_own_menu() {
    let config = format!(
        "{BILINGUAL}\n[[languages.en.menu]]\ntitle = \"Home\"\nurl = \"/en/\"\n[[languages.en.menu]]\ntitle = \"About us\"\nurl = \"/en/about/\"\n\n[[menu]]\ntitle = \"Accueil\"\nurl = \"/\"\n[[menu]]\ntitle = \"À propos\"\nurl = \"/a-propos/\"\n"
    );
    let site = bilingual(&config);
    site.build();
    let english = site.read("en/index.html");
    assert!(english.contains(">About us</a>"), "{english}");
    assert!(!english.contains(">À propos</a>"), "{english}");
    let french = site.read("index.html");
    assert!(french.contains(">À propos</a>"), "{french}");
    assert!(!french.contains(">About us</a>"), "{french}");
    // A language's menu entry to nothing is found, at its line.
    let site = bilingual(&config.replace("/en/about/", "/en/nowhere/"));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("site.toml:17: menu entry `About us` leads to /en/nowhere/"),
        "{}",
        run.stderr
    );
}
