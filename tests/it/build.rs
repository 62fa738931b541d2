//! What a successful build produces.

use crate::Site;

fn blog() -> Site {
    let site = Site::new();
    site.post(
        "gerer-une-communaute",
        "title = \"Gérer une communauté, c’est quoi ?\"\ndate = 2026-03-02T09:30\ntags = [\"Community management\", \"réseaux sociaux\"]\nthemes = [\"Métiers du Web\"]",
        "Le CM est un \"porte-parole\"...\n\n<!-- more -->\n\n## Fédérer\n\nTexte[^1] avec [un lien](/posts/ecrire/) et ![image](photo.png).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n```nonexistent\nplain <code>\n```\n\n[^1]: Une note.\n",
    );
    site.post(
        "ecrire",
        "title = \"Writing for the web\"\ndate = 2025-01-10\nlang = \"en\"\ntags = [\"writing\", \"réseaux sociaux\"]\nthemes = [\"Writing\"]\ndescription = \"How to write & be read.\"",
        "~~Old~~ new.\n\n- [x] done\n- [ ] todo\n",
    );
    site.post(
        "brouillon",
        "title = \"Secret draft\"\ndate = 2026-01-01\ndraft = true\ntags = [\"secret-tag\"]",
        "Draft body.\n",
    );
    site.post(
        "futur",
        "title = \"Future post\"\ndate = 2027-01-15T09:00\ntags = [\"future-tag\"]",
        "Not yet.\n",
    );
    site.file(
        "content/about.md",
        "+++\ntitle = \"À propos\"\n+++\nQui écrit ici.\n",
    );
    site
}

#[test]
fn builds_every_expected_file_and_nothing_else() {
    let site = blog();
    let run = site.build();
    assert!(
        run.stdout.contains("Built 2 posts and 1 page into"),
        "{}",
        run.stdout
    );
    let files: Vec<String> = site.tree("public").into_keys().collect();
    let mut expected = vec![
        ".tribune-output",
        "404.html",
        "about/index.html",
        "archive/2025/index.html",
        "archive/2026/index.html",
        "archive/index.html",
        "atom.xml",
        "feed.json",
        "highlight.css",
        "index.html",
        "posts/ecrire/card.png",
        "posts/ecrire/index.html",
        "posts/gerer-une-communaute/card.png",
        "posts/gerer-une-communaute/index.html",
        "robots.txt",
        "rss.xml",
        "search.js",
        "search/d/0.json",
        "search/d/1.json",
        "search/index.html",
        "search/meta.json",
        "search/p/0.json",
        "search/s/0.json",
        "share-icons.svg",
        "sitemap.xml",
        "style.css",
        "tags/index.html",
        "themes/index.html",
    ];
    let terms = [
        "tags/community-management",
        "tags/reseaux-sociaux",
        "tags/writing",
        "themes/metiers-du-web",
        "themes/writing",
    ];
    let term_files: Vec<String> = terms
        .iter()
        .flat_map(|t| {
            ["atom.xml", "feed.json", "index.html", "rss.xml"].map(|f| format!("{t}/{f}"))
        })
        .collect();
    expected.extend(term_files.iter().map(String::as_str));
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn drafts_and_future_posts_never_leak() {
    let site = blog();
    site.build();
    for (path, bytes) in site.tree("public") {
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "Secret draft",
            "brouillon",
            "secret-tag",
            "Future post",
            "futur",
            "future-tag",
        ] {
            assert!(!text.contains(secret), "{path} mentions {secret}");
        }
    }
}

#[test]
fn drafts_flag_includes_drafts() {
    let site = blog();
    site.run(&["build", "--drafts"]).ok();
    assert!(
        site.read("posts/brouillon/index.html")
            .contains("Secret draft")
    );
    assert!(site.has("tags/secret-tag/index.html"));
    assert!(!site.has("posts/futur/index.html"));
}

#[test]
fn post_pages_have_content_metadata_and_links() {
    let site = blog();
    site.build();
    let html = site.read("posts/gerer-une-communaute/index.html");
    assert!(html.contains("Gérer une communauté, c’est quoi ?"));
    assert!(html.contains("2 mars 2026"), "French date");
    assert!(html.contains("datetime=\"2026-03-02T09:30:00+01:00\""));
    assert!(html.contains("<h2 id=\"federer\">"));
    assert!(html.contains("“porte-parole”…"), "smart punctuation");
    assert!(html.contains("<table>"));
    assert!(html.contains("<div class=\"footnotes\">\n<ol>"));
    assert!(
        html.contains("class=\"footnote-back\""),
        "notes link back to their call"
    );
    assert!(html.contains(
        "<pre class=\"code hl-code\" data-lang=\"rust\" tabindex=\"0\"><code><span class=\"hl-source hl-rust\">"
    ));
    assert!(
        html.contains("plain &lt;code&gt;"),
        "unknown language is plain, escaped code"
    );
    assert!(html.contains("href=\"/tags/community-management/\""));
    assert!(html.contains("href=\"/themes/metiers-du-web/\""));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://example.org/posts/gerer-une-communaute/\">"
    ));
    assert!(html.contains("type=\"application/rss+xml\""));
    assert!(html.contains("<html lang=\"fr\""));

    let en = site.read("posts/ecrire/index.html");
    assert!(
        en.contains("<html lang=\"en\""),
        "an English post is an English page"
    );
    assert!(
        en.contains("January 10, 2025"),
        "its date is in its own language"
    );
    assert!(en.contains("<del>Old</del>"));
    assert!(en.contains("type=\"checkbox\""));
}

#[test]
fn listings_show_summaries_and_terms() {
    let site = blog();
    site.build();
    let home = site.read("index.html");
    assert!(home.contains("porte-parole"), "summary before the marker");
    assert!(!home.contains("Une note."), "not the rest of the post");
    assert!(
        home.contains("How to write &amp; be read."),
        "description as summary"
    );
    let tag = site.read("tags/reseaux-sociaux/index.html");
    assert!(tag.contains("Gérer une communauté") && tag.contains("Writing for the web"));
    assert!(
        tag.contains("href=\"https://example.org/tags/reseaux-sociaux/rss.xml\""),
        "term feed autodiscovery"
    );
    let tags = site.read("tags/index.html");
    assert!(tags.contains("Community management") && tags.contains("writing"));
    assert!(
        site.read("archive/2025/index.html")
            .contains("Writing for the web")
    );
    assert!(site.read("about/index.html").contains("Qui écrit ici."));
}

#[test]
fn listings_show_each_post_card_from_the_card_template() {
    let site = blog();
    site.file(
        "templates/card.html",
        "<article class=\"card\">{{ post.title }} · {{ post.reading_time }}</article>",
    );
    site.file(
        "templates/post.html",
        "{{ page.card | default(value=\"no card\") }}",
    );
    site.build();
    let card = "<article class=\"card\">Writing for the web · 1</article>";
    assert!(site.read("index.html").contains(card));
    assert!(site.read("tags/reseaux-sociaux/index.html").contains(card));
    assert_eq!(
        site.read("posts/ecrire/index.html"),
        "no card",
        "a post's own page does not carry its card"
    );
}

#[test]
fn highlighting_can_be_turned_off() {
    let site = blog();
    site.build();
    assert!(site.has("highlight.css"));
    assert!(site.read("index.html").contains("highlight.css"));
    assert!(
        site.read("posts/gerer-une-communaute/index.html")
            .contains("class=\"hl-")
    );

    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[markdown]\nhighlight = false\n",
    );
    site.build();
    assert!(
        !site.has("highlight.css"),
        "no stylesheet without highlighting"
    );
    assert!(!site.read("index.html").contains("highlight.css"));
    let post = site.read("posts/gerer-une-communaute/index.html");
    assert!(
        post.contains(
            "<pre class=\"code hl-code\" data-lang=\"rust\" tabindex=\"0\"><code>fn main() {}\n</code></pre>"
        ),
        "{post}"
    );
    assert!(!post.contains("class=\"hl-"), "no highlighting classes");
}

#[test]
fn paginates_home_and_term_pages() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\n[build]\nposts_per_page = 2\n",
    );
    for i in 1..=5 {
        site.post(
            &format!("p{i}"),
            &format!("title = \"Post number {i}\"\ndate = 2026-01-0{i}\ntags = [\"all\"]"),
            "Body.\n",
        );
    }
    site.build();
    assert!(
        site.has("page/2/index.html")
            && site.has("page/3/index.html")
            && !site.has("page/4/index.html")
    );
    assert!(site.read("index.html").contains("Post number 5"));
    assert!(site.read("page/3/index.html").contains("Post number 1"));
    assert!(site.read("page/2/index.html").contains("href=\"/page/3/\""));
    assert!(site.has("tags/all/page/3/index.html"));
    assert!(
        site.read("tags/all/page/2/index.html")
            .contains("href=\"/tags/all/\"")
    );
}

#[test]
fn a_sub_path_base_url_reaches_every_link() {
    let site = blog();
    site.run(&["build", "--base-url", "https://user.github.io/blog/"])
        .ok();
    let html = site.read("posts/gerer-une-communaute/index.html");
    assert!(
        html.contains("href=\"/blog/posts/ecrire/\""),
        "content links follow the base path"
    );
    assert!(html.contains("href=\"/blog/style.css\""));
    assert!(html.contains("href=\"/blog/tags/reseaux-sociaux/\""));
    assert!(html.contains("https://user.github.io/blog/posts/gerer-une-communaute/"));
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("href=\"/posts/"),
                "{path} has a link that ignores the base path"
            );
            assert!(
                !text.contains("href=\"/tags/"),
                "{path} has a link that ignores the base path"
            );
        }
    }
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://user.github.io/blog/posts/ecrire/</loc>")
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://user.github.io/blog/sitemap.xml")
    );
}

#[test]
fn aliases_redirect_to_the_new_url() {
    let site = Site::new();
    site.post(
        "new",
        "title = \"Moved\"\ndate = 2026-01-01\naliases = [\"/2019/03/old-url/\", \"/old.html\"]",
        "x\n",
    );
    site.build();
    let redirect = site.read("2019/03/old-url/index.html");
    assert!(
        redirect.contains("url=https://example.org/posts/new/"),
        "{redirect}"
    );
    assert!(
        site.read("old.html")
            .contains("https://example.org/posts/new/")
    );
}

#[test]
fn bundles_copy_their_files_beside_the_page_and_static_files_are_copied() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\n[build]\npermalink = \"/:year/:month/:slug/\"\n",
    );
    site.file(
        "content/posts/voyage/index.md",
        "+++\ntitle = \"Voyage\"\ndate = 2026-05-04\nimage = \"cover.png\"\n+++\n![c](cover.png)\n",
    );
    site.bytes("content/posts/voyage/cover.png", &crate::png(40, 20));
    site.file(
        "content/posts/cache/index.md",
        "+++\ntitle = \"Caché\"\ndate = 2026-05-04\ndraft = true\n+++\nx\n",
    );
    site.bytes("content/posts/cache/secret.png", b"SECRET");
    site.bytes("static/favicon.ico", b"ICO");
    site.build();
    let cover = std::fs::read(site.root().join("public/2026/05/voyage/cover.png")).unwrap();
    let cover = image::load_from_memory(&cover).unwrap();
    assert_eq!((cover.width(), cover.height()), (40, 20));
    let page = site.read("2026/05/voyage/index.html");
    assert!(
        page.contains("<img src=\"/2026/05/voyage/cover.png\""),
        "{page}"
    );
    assert!(
        page.contains("content=\"https://e.org/2026/05/voyage/cover.png\""),
        "{page}"
    );
    assert!(
        !site.tree("public").values().any(|b| b == b"SECRET"),
        "a draft bundle's files stay out"
    );
    assert!(site.has("favicon.ico"));
}

#[test]
fn a_static_file_without_an_extension_keeps_its_name() {
    let site = blog();
    site.file("static/CNAME", "blog.example.org\n");
    site.build();
    assert_eq!(
        std::fs::read_to_string(site.root().join("public/CNAME")).unwrap(),
        "blog.example.org\n"
    );
    assert!(!site.root().join("public/CNAME/index.html").exists());
}

#[test]
fn a_page_under_a_static_file_without_an_extension_is_refused() {
    let site = blog();
    site.file("static/notes", "plain text\n");
    site.file("content/notes/x.md", "+++\ntitle = \"X\"\n+++\nx\n");
    site.run(&["build"]).fails(
        1,
        &[
            "static file notes",
            "needs a folder for /notes/x/index.html",
        ],
    );
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let site = blog();
    site.file(
        "templates/post.html",
        "<h1>{{ page.title }}</h1><p>custom {{ page.reading_time }}</p>",
    );
    site.file("static/style.css", "body { color: red }");
    site.build();
    assert_eq!(
        site.read("posts/ecrire/index.html"),
        "<h1>Writing for the web</h1><p>custom 1</p>"
    );
    assert_eq!(site.read("style.css"), "body { color: red }");
    assert!(
        site.read("index.html").contains("Le Carnet"),
        "other templates still come from the theme"
    );
}

#[test]
fn imported_front_matter_spellings_are_accepted() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\ntaxonomies = [\"tags\", \"themes\", \"series\"]\n",
    );
    site.post(
        "hugo",
        "title = \"From Hugo\"\ndate = 2026-01-01\nlastmod = 2026-02-01\nsummary = \"Imported.\"\ncategories = [\"Essais\"]\nauthor = \"Ana\"",
        "x\n",
    );
    site.post(
        "zola",
        "title = \"From Zola\"\ndate = 2026-01-02\n[taxonomies]\ntags = [\"rust\"]\nseries = [\"Carnets\"]",
        "x\n",
    );
    site.build();
    assert!(site.has("themes/essais/index.html"));
    assert!(site.has("tags/rust/index.html"));
    assert!(site.has("series/carnets/index.html"));
    let feed = site.read("feed.json");
    assert!(
        feed.contains("\"date_modified\": \"2026-02-01T00:00:00+00:00\""),
        "{feed}"
    );
    assert!(feed.contains("\"summary\": \"Imported.\""));
    assert!(feed.contains("\"name\": \"Ana\""));
}

#[test]
fn reads_files_with_a_bom_and_crlf_line_ends() {
    let site = Site::new();
    site.bytes(
        "content/posts/win.md",
        "\u{feff}+++\r\ntitle = \"Windows\"\r\ndate = 2026-01-01\r\n+++\r\nLigne un.\r\n"
            .as_bytes(),
    );
    site.build();
    assert!(site.read("posts/win/index.html").contains("Ligne un."));
}

#[test]
fn same_input_and_clock_give_identical_output() {
    let site = blog();
    site.run(&["build", "--output", "one"]).ok();
    site.run(&["build", "--output", "two"]).ok();
    assert_eq!(site.tree("one"), site.tree("two"));
}

#[test]
fn a_site_without_content_still_builds() {
    let site = Site::new();
    site.build();
    assert!(site.has("index.html") && site.has("rss.xml") && site.has("404.html"));
}

#[test]
fn static_well_known_htaccess_and_host_files_are_published_and_other_hidden_files_are_not() {
    let site = blog();
    site.file("static/.htaccess", "ErrorDocument 404 /404.html\n");
    site.file("static/.nojekyll", "");
    site.file("static/css/.htaccess", "Options -Indexes\n");
    site.file(
        "static/.well-known/security.txt",
        "Contact: mailto:a@example.org\n",
    );
    site.file("static/.well-known/acme-challenge/token", "proof\n");
    site.file("static/.well-known/.DS_Store", "junk");
    site.file("static/.env", "SECRET=1\n");
    site.file("static/.git/config", "[core]\n");
    site.file("content/.well-known/x.md", "+++\ntitle = \"X\"\n+++\nx\n");
    site.build();
    let public = site.root().join("public");
    assert_eq!(
        std::fs::read_to_string(public.join(".well-known/security.txt")).unwrap(),
        "Contact: mailto:a@example.org\n"
    );
    assert_eq!(
        std::fs::read_to_string(public.join(".well-known/acme-challenge/token")).unwrap(),
        "proof\n"
    );
    assert!(public.join(".htaccess").is_file() && public.join(".nojekyll").is_file());
    assert!(!public.join("css/.htaccess").exists());
    assert!(!public.join(".well-known/.DS_Store").exists());
    assert!(!public.join(".env").exists());
    assert!(!public.join(".git").exists());
    assert!(!public.join(".well-known/x").exists());
}
