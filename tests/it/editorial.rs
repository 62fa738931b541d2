//! Pull quotes, share blocks, metadata, link posts, French typography, highlighted code, and
//! what Tribune tells a writer coming from Hugo.

use crate::{NOW, Site, png};

fn seed_like() -> Site {
    let site = Site::with_config(
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\nauthor = \"Camille\"\n[share]\nvia = \"carnet\"\nplatforms = [\"x\", \"mastodon\", \"email\", \"copy\"]\n",
    );
    site.post(
        "cm",
        "title = \"Fédération & engagement : « #1 » du CM\"\ndate = 2019-03-14T09:30\ntags = [\"community management\", \"Web 2.0\"]\nthemes = [\"Métiers du Web\"]",
        "Le CM parle au nom de sa marque. [pullquote]Fédération d’une part, *Engagement* d’autre part.[/pullquote] C’est la formule.\n\nGérer une communauté, c’est quoi? Voici `a : b ?` en code.\n\n```text\n[pullquote]reste tel quel[/pullquote] : ici ?\n```\n\nCet article vous a plu? Partagez-le.\n\n[share]\n",
    );
    site
}

#[test]
fn inline_pull_quotes_are_read_once() {
    let site = seed_like();
    site.build();
    let html = site.read("posts/cm/index.html");
    let aside = html
        .find("<aside class=\"pullquote")
        .expect("a pull quote aside");
    let text = html.find("Le CM parle au nom de sa marque. Fédération d’une part, <em>Engagement</em> d’autre part. C’est la formule.");
    assert!(
        text.is_some(),
        "the quoted words stay in the running text:\n{html}"
    );
    let next = html
        .find("Gérer une communauté")
        .expect("the next paragraph");
    assert!(
        text.unwrap() < next && next < aside,
        "the copy comes after the paragraph that follows its own, not beside its sentence"
    );
    assert!(
        html[aside..].starts_with("<aside class=\"pullquote")
            && html[aside..aside + 200].contains("aria-hidden=\"true\"")
    );
    assert!(
        html.contains("[pullquote]reste tel quel[/pullquote]"),
        "code blocks keep shortcode syntax"
    );
    let feed = site.read("rss.xml");
    assert!(
        !feed.contains("aria-hidden"),
        "feeds leave decorative copies out"
    );
    assert_eq!(feed.matches("Fédération d’une part").count(), 1);
    assert!(
        !feed.contains("class=&quot;share&quot;") && !feed.contains("class=\"share\""),
        "and share blocks"
    );
}

#[test]
fn pull_quotes_reach_templates_and_front_matter_adds_more() {
    let site = seed_like();
    site.post(
        "autre",
        "title = \"Autre\"\ndate = 2020-01-01\npullquotes = [\"Une phrase à retenir.\"]",
        "[pullquote]Seule en son paragraphe.[/pullquote]\n",
    );
    site.file(
        "templates/post.html",
        "{% for q in page.pullquotes %}<q>{{ q }}</q>{% endfor %}",
    );
    site.build();
    assert_eq!(
        site.read("posts/cm/index.html"),
        "<q>Fédération d’une part, Engagement d’autre part.</q>"
    );
    assert_eq!(
        site.read("posts/autre/index.html"),
        "<q>Seule en son paragraphe.</q><q>Une phrase à retenir.</q>"
    );
}

#[test]
fn a_standalone_pull_quote_is_the_only_copy() {
    let site = seed_like();
    site.post(
        "seule",
        "title = \"Seule\"\ndate = 2020-01-01",
        "Avant.\n\n[pullquote cite=\"Camille\"]Seule en son paragraphe.[/pullquote]\n\nAprès.\n",
    );
    site.build();
    let html = site.read("posts/seule/index.html");
    let aside = &html[html.find("<aside class=\"pullquote").unwrap()..];
    let aside = &aside[..aside.find("</aside>").unwrap()];
    assert!(!aside.contains("aria-hidden"), "{aside}");
    assert!(aside.contains("Seule en son paragraphe.") && aside.contains("Camille"));
    assert_eq!(html.matches("Seule en son paragraphe.").count(), 1);
}

#[test]
fn share_links_are_encoded_exactly() {
    let site = seed_like();
    site.build();
    let html = site.read("posts/cm/index.html");
    let x = "https://x.com/intent/tweet?text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM&amp;url=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F&amp;hashtags=CommunityManagement,Web20&amp;via=carnet";
    assert!(html.contains(x), "X link not found in:\n{html}");
    assert!(html.contains("https://s2f.kytta.dev/?text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM%20https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F%20%23CommunityManagement%20%23Web20"));
    assert!(html.contains("mailto:?subject=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM&amp;body=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F"));
    assert!(
        !html.contains("linkedin.com"),
        "only the configured platforms"
    );
    assert_eq!(
        html.matches("class=\"share\"").count(),
        1,
        "the [share] in the text stands for the block after the post"
    );
    assert!(!html.contains("<script src"), "no third-party script");
}

#[test]
fn share_blocks_can_be_turned_off() {
    let site = seed_like();
    site.post(
        "discret",
        "title = \"Discret\"\ndate = 2020-01-01\nshare = false",
        "Rien.\n",
    );
    site.post("texte", "title = \"Texte\"\ndate = 2020-01-02\n[share]\ntext = \"Lisez ça\"\nhashtags = [\"maison\"]", "Rien.\n");
    site.build();
    assert!(
        !site
            .read("posts/discret/index.html")
            .contains("x.com/intent")
    );
    let html = site.read("posts/texte/index.html");
    assert!(html.contains("text=Lisez%20%C3%A7a&amp;url="), "{html}");
    assert!(html.contains("hashtags=maison"));
}

#[test]
fn metadata_is_complete_and_escaped() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\nlanguage = \"fr\"\nimage = \"/card.png\"\n[images]\ncards = false\n",
    );
    site.post(
        "meta",
        "title = \"</script><b>x</b>\"\ndate = 2026-01-01T10:00\nupdated = 2026-02-01\ndescription = \"Un \\\"résumé\\\"\"\ntags = [\"a\", \"b\"]",
        "x\n",
    );
    site.bytes("static/card.png", &png(1200, 630));
    site.build();
    let html = site.read("posts/meta/index.html");
    assert!(
        html.contains("<meta property=\"og:type\" content=\"article\">"),
        "{html}"
    );
    assert!(
        html.contains(
            "<meta property=\"og:title\" content=\"&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;\">"
        )
    );
    assert!(html.contains("<meta property=\"og:description\" content=\"Un &quot;résumé&quot;\">"));
    assert!(html.contains("<meta property=\"og:image\" content=\"https://e.org/card.png\">"));
    assert!(html.contains("<meta property=\"og:locale\" content=\"fr_FR\">"));
    assert!(html.contains(
        "<meta property=\"article:published_time\" content=\"2026-01-01T10:00:00+00:00\">"
    ));
    assert!(html.contains(
        "<meta property=\"article:modified_time\" content=\"2026-02-01T00:00:00+00:00\">"
    ));
    assert!(html.contains("<meta property=\"article:tag\" content=\"b\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let json = &html[start..start + html[start..].find("</script>").unwrap()];
    assert!(!json.contains('<'), "nothing can close the script: {json}");
    let ld: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "</script><b>x</b>");
    assert_eq!(ld["image"], "https://e.org/card.png");
}

#[test]
fn cover_images_of_the_site_have_their_size() {
    let site = Site::new();
    site.file(
        "content/posts/img/index.md",
        "+++\ntitle = \"Img\"\ndate = 2026-01-01\nimage = \"cover.png\"\n+++\nx\n",
    );
    site.bytes("content/posts/img/cover.png", &png(800, 400));
    site.build();
    let html = site.read("posts/img/index.html");
    assert!(
        html.contains("<meta property=\"og:image:width\" content=\"800\">"),
        "{html}"
    );
    assert!(html.contains("<meta property=\"og:image:height\" content=\"400\">"));
}

#[test]
fn link_posts_point_at_their_source() {
    let site = Site::new();
    site.post("lien", "title = \"Un lien\"\ndate = 2026-01-01\nlink = \"https://source.example/article?a=1&b=2\"\nvia = \"https://ami.example/\"", "Mon commentaire.\n");
    site.post("billet", "title = \"Un billet\"\ndate = 2025-01-01", "x\n");
    site.build();
    let html = site.read("posts/lien/index.html");
    assert!(
        html.contains("href=\"https://source.example/article?a=1&amp;b=2\""),
        "{html}"
    );
    assert!(html.contains("href=\"https://ami.example/\""));
    assert!(site.read("links/index.html").contains("Un lien"));
    assert!(!site.read("links/index.html").contains("Un billet"));

    let channel = rss::Channel::read_from(site.read("rss.xml").as_bytes()).unwrap();
    let item = &channel.items[0];
    assert_eq!(
        item.link.as_deref(),
        Some("https://source.example/article?a=1&b=2")
    );
    assert_eq!(
        item.guid.as_ref().unwrap().value,
        "https://example.org/posts/lien/"
    );
    assert_eq!(
        channel.items[1].link.as_deref(),
        Some("https://example.org/posts/billet/")
    );

    let atom = atom_syndication::Feed::read_from(site.read("atom.xml").as_bytes()).unwrap();
    let links = &atom.entries[0].links;
    assert!(
        links
            .iter()
            .any(|l| l.rel == "alternate" && l.href == "https://source.example/article?a=1&b=2")
    );
    assert!(
        links
            .iter()
            .any(|l| l.rel == "related" && l.href == "https://example.org/posts/lien/")
    );

    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(
        json["items"][0]["external_url"],
        "https://source.example/article?a=1&b=2"
    );
    assert_eq!(json["items"][0]["url"], "https://example.org/posts/lien/");
    assert!(json["items"][1].get("external_url").is_none());
}

#[test]
fn posts_link_to_related_and_neighbouring_posts() {
    let site = Site::new();
    site.post(
        "a",
        "title = \"Alpha\"\ndate = 2026-01-01\ntags = [\"x\", \"y\"]",
        "a\n",
    );
    site.post(
        "b",
        "title = \"Bravo\"\ndate = 2026-01-02\ntags = [\"x\", \"y\"]",
        "b\n",
    );
    site.post(
        "c",
        "title = \"Charlie\"\ndate = 2026-01-03\ntags = [\"x\"]",
        "c\n",
    );
    site.post("d", "title = \"Delta\"\ndate = 2026-01-04", "d\n");
    site.file("templates/post.html", "{% for r in related %}[{{ r.title }}]{% endfor %}|{% if prev %}{{ prev.title }}{% endif %}|{% if next %}{{ next.title }}{% endif %}");
    site.build();
    assert_eq!(site.read("posts/a/index.html"), "[Bravo][Charlie]||Bravo");
    assert_eq!(
        site.read("posts/c/index.html"),
        "[Bravo][Alpha]|Bravo|Delta"
    );
    assert_eq!(site.read("posts/d/index.html"), "|Charlie|");
}

#[test]
fn french_text_gets_narrow_no_break_spaces_but_code_does_not() {
    let site = seed_like();
    site.build();
    let html = site.read("posts/cm/index.html");
    assert!(html.contains("c’est quoi\u{202F}?"), "{html}");
    assert!(html.contains("<code>a : b ?</code>"));
    assert!(
        html.contains("Fédération &amp; engagement\u{A0}: «\u{A0}#1\u{A0}» du CM"),
        "titles too"
    );
    assert!(
        html.contains("href=\"https://x.com/intent/tweet?text="),
        "attributes untouched"
    );
}

#[test]
fn english_posts_and_sites_keep_english_spacing() {
    let site =
        Site::with_config("title = \"T\"\nbase_url = \"https://e.org/\"\nlanguage = \"en\"\n");
    site.post(
        "q",
        "title = \"Why?\"\ndate = 2026-01-01",
        "Really ? Yes: no.\n",
    );
    site.build();
    assert!(
        site.read("posts/q/index.html")
            .contains("Really ? Yes: no.")
    );
}

#[test]
fn dates_are_localized_through_the_date_filter() {
    let site = Site::new();
    site.post("d", "title = \"D\"\ndate = 2026-11-23T09:00", "x\n");
    site.file("templates/post.html", "{{ page.date | date }}|{{ page.date | date(lang=\"en\") }}|{{ page.date | date(format=\"%A %-d %B\", lang=\"de\") }}");
    site.build();
    assert_eq!(
        site.read("posts/d/index.html"),
        "23 novembre 2026|November 23, 2026|Montag 23 November"
    );
}

#[test]
fn sites_override_and_add_shortcodes_and_strings() {
    let site = Site::new();
    site.file(
        "templates/shortcodes/callout.html",
        "<div class=\"callout\">{{ body | safe }}</div>",
    );
    site.file(
        "templates/shortcodes/pullquote.html",
        "<blockquote class=\"mine\">{{ body | safe }}</blockquote>",
    );
    site.file("i18n/fr.toml", "read_more = \"Continuer\"\n");
    site.post("s", "title = \"S\"\ndate = 2026-01-01", "Intro.\n\n[callout]**Attention**[/callout]\n\n[pullquote]Q[/pullquote]\n\n<!-- more -->\n\nSuite.\n");
    site.build();
    let html = site.read("posts/s/index.html");
    assert!(
        html.contains("<div class=\"callout\"><strong>Attention</strong></div>"),
        "{html}"
    );
    assert!(html.contains("<blockquote class=\"mine\">Q</blockquote>"));
    assert!(site.read("index.html").contains("Continuer"));
}

#[test]
fn shortcode_errors_name_the_file_and_line() {
    let site = Site::new();
    site.post("ok", "title = \"Ok\"\ndate = 2026-01-01", "x\n");
    site.build();
    let before = site.tree("public");
    site.post(
        "bad",
        "title = \"Bad\"\ndate = 2026-01-01",
        "Un.\n\nDeux [pullquote]jamais fermé.\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/posts/bad.md:7: shortcode `[pullquote]` is never closed by `[/pullquote]`"],
    );
    site.post("bad", "title = \"Bad\"\ndate = 2026-01-01", "[inconnu /]\n");
    site.run(&["build"])
        .fails(1, &["content/posts/bad.md:5: unknown shortcode `inconnu`"]);
    site.post(
        "bad",
        "title = \"Bad\"\ndate = 2026-01-01",
        "[pullquote]a [share /][/share][/pullquote]\n",
    );
    site.run(&["build"]).fails(1, &["content/posts/bad.md:5:"]);
    assert_eq!(site.tree("public"), before);
}

#[test]
fn a_link_named_like_a_shortcode_stays_a_link() {
    let site = Site::new();
    site.post(
        "liens",
        "title = \"Liens\"\ndate = 2026-01-01",
        "Voir [caption](https://example.org/c) et [gallery](https://example.org/g), \
         puis [pullquote][ref].\n\n[ref]: https://example.org/p\n",
    );
    site.build();
    let html = site.read("posts/liens/index.html");
    for link in [
        r#"<a href="https://example.org/c">caption</a>"#,
        r#"<a href="https://example.org/g">gallery</a>"#,
        r#"<a href="https://example.org/p">pullquote</a>"#,
    ] {
        assert!(html.contains(link), "{link} in {html}");
    }
    assert!(!html.contains("class=\"gallery"), "{html}");
}

#[test]
fn the_seed_article_renders_with_its_pull_quote_share_block_tags_and_french_date() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::new();
    let seed = std::fs::read_to_string(
        root.join("content/posts/community-manager-un-metier-captivant.md"),
    )
    .unwrap();
    site.file(
        "content/posts/community-manager-un-metier-captivant.md",
        &seed,
    );
    site.build();
    let html = site.read("posts/community-manager-un-metier-captivant/index.html");
    assert!(html.contains("<aside class=\"pullquote"), "pull quote");
    assert!(html.contains("Fédération d’une part, Engagement d’autre part."));
    assert!(!html.contains("[pullquote]"), "no raw shortcode left");
    assert!(html.contains("class=\"share\""), "share block");
    assert!(html.contains("href=\"/tags/web-2-0/\""), "tags");
    assert!(html.contains("14 mars 2019"), "French date");
}

#[test]
fn every_url_written_is_percent_encoded() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[share]\nplatforms = [\"x\", \"email\"]\n",
    );
    site.post(
        "ete",
        "title = \"Été\"\ndate = 2026-01-01\nimage = \"photo d'été.png\"\ndescription = \"D\"",
        "Text.\n",
    );
    site.bytes("content/posts/ete/photo d'été.png", &crate::png(4, 3));
    site.build();
    let encoded = "https://example.org/posts/ete/photo%20d'%C3%A9t%C3%A9.png";
    let html = site.read("posts/ete/index.html");
    assert!(
        html.contains(encoded) || html.contains(&encoded.replace('\'', "&#x27;")),
        "{html}"
    );
    assert!(!html.contains("photo d"), "no raw space in any URL: {html}");
    for feed in ["rss.xml", "atom.xml", "feed.json"] {
        assert!(!site.read(feed).contains("photo d"), "{feed}");
    }
}

#[test]
fn french_text_is_typeset_alike_whatever_its_source() {
    let site = Site::with_config(
        "title = \"L'atelier\"\ndescription = \"Bientôt : « Mé » à 27%\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n",
    );
    site.post(
        "a",
        "title = \"L'été : « oui »\"\ndate = 2026-01-01\ndescription = \"C'est 27% mieux ?\"",
        "L'été : « oui » à 27%.\n",
    );
    site.build();
    let html = site.read("posts/a/index.html");
    for want in [
        "L’atelier",
        "Bientôt\u{A0}: «\u{A0}Mé\u{A0}» à 27\u{A0}%",
        "L’été\u{A0}: «\u{A0}oui\u{A0}»",
        "C’est 27\u{A0}% mieux\u{202F}?",
        "à 27\u{A0}%.",
        "S’abonner\u{A0}:",
    ] {
        assert!(html.contains(want), "{want} in {html}");
    }
}

#[test]
fn atom_is_signed_by_the_site_when_nobody_is_named() {
    let site = Site::with_config("title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\n");
    site.post("a", "title = \"A\"\ndate = 2026-01-01", "Text.\n");
    site.build();
    let atom = site.read("atom.xml");
    assert!(
        atom.contains("<author><name>Le Carnet</name></author>"),
        "{atom}"
    );
}

#[test]
fn task_boxes_say_their_state_and_pull_quotes_skip_a_heading() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n",
    );
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-01",
        "- [x] relu\n- [ ] publié\n\nUn [pullquote]mot juste[/pullquote] ici.\n\n## Suite\n\nAprès le titre.\n\nFin.\n",
    );
    site.build();
    let html = site.read("posts/a/index.html");
    assert!(
        html.contains("<input type=\"checkbox\" disabled checked aria-label=\"fait\">"),
        "{html}"
    );
    assert!(
        html.contains("<input type=\"checkbox\" disabled aria-label=\"à faire\">"),
        "{html}"
    );
    let (heading, after, quote) = (
        html.find("<h2").unwrap(),
        html.find("Après le titre.").unwrap(),
        html.find("<aside class=\"pullquote").unwrap(),
    );
    assert!(heading < after && after < quote, "{html}");
}

/// The HTML of the code block fenced with `lang` in `html`.
fn code_of<'a>(html: &'a str, lang: &str) -> &'a str {
    let open = format!("data-lang=\"{lang}\" tabindex=\"0\"><code>");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no {lang} block in {html}"))
        + open.len();
    &html[start..start + html[start..].find("</code>").unwrap()]
}

#[test]
fn code_in_the_languages_writers_use_is_highlighted() {
    let site = Site::new();
    let blocks = [
        ("toml", "title = \"Bonjour\"\ndraft = true\n"),
        ("ts", "const n: number = 1;\n"),
        ("tsx", "const A = () => <div>a</div>;\n"),
        ("jsx", "const A = () => <div>a</div>;\n"),
        ("dockerfile", "FROM rust:1\nRUN cargo build\n"),
        ("swift", "let n = 1\n"),
        ("kotlin", "val n = 1\n"),
    ];
    let mut body: String = blocks
        .iter()
        .map(|(lang, code)| format!("```{lang}\n{code}```\n\n"))
        .collect();
    body.push_str("```console\n$ cargo build\n   Compiling tribune\n```\n");
    site.post("code", "title = \"Code\"\ndate = 2026-01-02", &body);
    site.build();
    let html = site.read("posts/code/index.html");
    for (lang, _) in blocks {
        assert!(
            code_of(&html, lang).contains("<span class=\"hl-"),
            "{lang}: {}",
            code_of(&html, lang)
        );
    }
    // A shell session: the prompt set apart, the command highlighted, what it prints as is.
    let session = code_of(&html, "console");
    assert!(
        session.starts_with("<span class=\"hl-comment hl-prompt\">$ </span><span class=\"hl-source hl-shell hl-bash\">"),
        "{session}"
    );
    assert!(
        session.ends_with("</span>   Compiling tribune\n"),
        "{session}"
    );
}

#[test]
fn the_demo_front_matter_is_highlighted_as_toml() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let post = "content/posts/why-we-moved-to-a-static-site.md";
    let site = Site::new();
    site.file(post, &std::fs::read_to_string(root.join(post)).unwrap());
    site.bytes(
        "content/images/collines.png",
        &std::fs::read(root.join("content/images/collines.png")).unwrap(),
    );
    site.build();
    let html = site.read("posts/why-we-moved-to-a-static-site/index.html");
    let toml = code_of(&html, "toml");
    assert!(
        toml.contains("<span class=\"hl-source hl-toml\">"),
        "{toml}"
    );
    assert!(toml.contains("hl-string"), "{toml}");
}

#[test]
fn a_hugo_figure_is_answered_with_a_captioned_figure() {
    let site = Site::new();
    site.bytes("content/posts/port/port.png", &png(40, 20));
    site.file(
        "content/posts/port/index.md",
        "+++\ntitle = \"Port\"\ndate = 2026-01-02\n+++\n{{< figure src=\"port.png\" alt=\"Le port\" caption=\"Le port au matin\" >}}\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains(
            "  hint: write a figure with its caption: [caption]![Le port](port.png) Le port au matin[/caption]; `tribune import hugo SITE`"
        ),
        "{}",
        run.stderr
    );
    // What it suggests makes a figure with its caption.
    site.file(
        "content/posts/port/index.md",
        "+++\ntitle = \"Port\"\ndate = 2026-01-02\n+++\n[caption]![Le port](port.png) Le port au matin[/caption]\n",
    );
    let run = site.build();
    assert!(!run.stderr.contains("Hugo"), "{}", run.stderr);
    let html = site.read("posts/port/index.html");
    assert!(html.contains("<figure class=\"wp-caption"), "{html}");
    assert!(
        html.contains("<figcaption>Le port au matin</figcaption>"),
        "{html}"
    );
}

#[test]
fn the_preview_points_out_what_a_build_warns_about() {
    let site = Site::new();
    site.file("content/post/old.md", "+++\ntitle = \"Old\"\n+++\nText.");
    let mut preview = tribune::Preview::new(tribune::BuildOptions {
        root: site.root().to_path_buf(),
        overrides: tribune::Overrides {
            output: None,
            base_url: Some("http://127.0.0.1:1111/".to_string()),
        },
        now: Some(NOW.to_string()),
        future: true,
        ..Default::default()
    });
    let rebuilt = preview.rebuild().unwrap();
    let [note] = rebuilt.notes.as_slice() else {
        panic!("one note: {:?}", rebuilt.notes);
    };
    assert_eq!(
        note.path.as_deref(),
        Some(std::path::Path::new("content/post"))
    );
    assert_eq!(
        note.message,
        "this looks like Hugo's posts folder: Tribune reads its files as pages, not posts"
    );
    assert_eq!(
        note.hint.as_deref(),
        Some(
            "rename the folder to content/posts/ to publish them as dated posts; `tribune import hugo SITE` brings a whole Hugo site in, front matter and shortcodes converted"
        )
    );
}
