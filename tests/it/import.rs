//! `tribune import wordpress`: the real export of the seed's blog, and small exports written
//! for one case each.

use crate::Site;

const SEED: &str = "../shared/wordpress/community-manager-export.xml";

fn seed_export() -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    path.is_file().then_some(path)
}

fn import(site: &Site, export: &std::path::Path, extra: &[&str]) -> crate::Run {
    let mut args = vec!["import", "wordpress", export.to_str().unwrap()];
    args.extend(extra);
    site.run(&args)
}

#[test]
fn the_seed_blog_comes_in_with_its_states_comments_and_old_urls() {
    let Some(export) = seed_export() else {
        return;
    };
    let site = Site::new();
    let run = import(&site, &export, &[]).ok();
    assert!(
        run.stdout.contains("Imported 3 posts, 2 pages, 3 drafts and 1 scheduled post; 4 comments, and 1 awaiting moderation."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 spam comments\n    comment 2954 on post 24\n")
    );
    assert!(
        run.stdout
            .contains("site.toml: added the blog's menu (1 entry)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("item 63 (wp_block)"));
    assert!(run.stderr.contains("is private: imported as a draft"));
    assert!(run.stderr.contains("has a password: imported as a draft"));
    let content = site.tree("content");
    let text = |p: &str| String::from_utf8(content[p].clone()).unwrap();
    let cm = text("posts/community-manager-un-metier-captivant/index.md");
    assert!(cm.contains("date = 2011-03-14T09:30:00+01:00"), "{cm}");
    assert!(
        cm.contains("aliases = [\"/2011/03/community-manager-un-metier-captivant/\", \"/?p=24\"]")
    );
    assert!(cm.contains("tags = [\"(corporate) blogging\", \"Communication Web\", \"conseil éditorial\", \"Web 2.0\"]"));
    assert!(cm.contains("[pullquote]Fédération d’une part"));
    // Links between imported posts follow them to their new paths; others stay as written.
    assert!(cm.contains("(https://carnet.example.org/2011/02/les-metiers-du-web-2-0/)"));
    let lessons = text("posts/five-editorial-lessons-from-eight-years-of-blogging/index.md");
    assert!(
        lessons.contains("](/posts/community-manager-un-metier-captivant/)"),
        "{lessons}"
    );
    let private = text("posts/calendrier-editorial-du-2e-trimestre-notes-internes/index.md");
    assert!(
        private.contains("date = 2011-03-28T11:00:00+02:00") && private.contains("draft = true")
    );
    let draft = text("posts/la-curation-de-contenu-mode-d-emploi/index.md");
    assert!(draft.contains("date = 2011-04-02T18:12:44+02:00") && draft.contains("draft = true"));
    let protected = text("posts/compte-rendu-atelier-client-du-9-mai/index.md");
    assert!(protected.contains("draft = true") && !protected.contains("plume2011"));
    let future = text("posts/dix-sept-ans-de-billets-ce-que-ce-blog-ma-appris/index.md");
    assert!(future.contains("date = 2027-11-02T08:00:00+01:00") && !future.contains("draft"));
    let gallery = text("posts/atelier-ecrire-pour-le-web-retour-en-images/index.md");
    assert!(
        gallery.contains("themes = [\"Ateliers & formations\"]"),
        "{gallery}"
    );
    assert!(gallery.contains(
        "[embed title=\"Interview à la pause café\"]https://www.youtube.com/watch?v=YYYYYYYYYYY[/embed]"
    ));
    assert!(gallery.contains("<!-- more -->"));
    assert!(content.contains_key("a-propos.md"));
    assert!(content.contains_key("a-propos/charte-editoriale-moderation.md"));
    let comments = text("posts/community-manager-un-metier-captivant/comments.toml");
    assert!(comments.contains("parent = \"41\"") && comments.contains("kind = \"pingback\""));
    assert!(comments.contains("Q&R clients, newsletter & co") && comments.contains("🎉"));
    assert!(!comments.contains("2954") && comments.contains("published = false"));
    assert!(comments.contains("Les métiers du Web en 2011 « Le carnet de Julie"));

    site.build();
    let page = site.read("posts/community-manager-un-metier-captivant/index.html");
    assert!(page.contains("\"commentCount\":4"), "{page}");
    assert!(page.contains("id=\"comment-42\"") && page.contains("href=\"#comment-41\""));
    assert!(page.contains("rel=\"nofollow ugc\""));
    assert!(!page.contains("Karim"), "a pending comment is not shown");
    let home = site.read("index.html");
    assert!(
        home.contains("\"p=24\":\"/posts/community-manager-un-metier-captivant/\""),
        "{home}"
    );
    assert!(home.contains("\"page_id=3\":\"/a-propos/charte-editoriale-moderation/\""));
    assert!(
        !home.contains("p=31"),
        "a draft's old address leads nowhere"
    );
    let gallery = site.read("posts/atelier-ecrire-pour-le-web-retour-en-images/index.html");
    assert!(
        gallery.contains("<figcaption>Légende de la photo</figcaption>"),
        "{gallery}"
    );
    assert!(gallery.contains("class=\"gallery"));
    assert!(gallery.contains("<span class=\"embed-card-title\">Interview à la pause café</span>"));
    assert!(!gallery.contains("<iframe") && !gallery.contains("youtube.com/embed"));
    let output = site.tree("public");
    for (path, bytes) in output.iter().chain(&site.tree("content")) {
        let text = String::from_utf8_lossy(bytes);
        for private in [
            "lionel.s@example.net",
            "sophie@atelier-plume",
            "karim.b@example.org",
            "192.0.2.",
            "203.0.113.",
            "seo.backlinks",
            "best seo backlinks",
        ] {
            assert!(!text.contains(private), "{path} holds {private}");
        }
        if path.ends_with(".xml") || path.ends_with(".json") {
            assert!(
                !text.contains("Lionel S"),
                "{path}: comments stay out of feeds"
            );
        }
    }
    assert!(!site.has("posts/community-manager-un-metier-captivant/comments.toml"));
}

const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">
<channel>
<title>Small</title><link>https://old.example.com</link>
<wp:wxr_version>1.1</wp:wxr_version>
<item><title>Hello</title><link>https://old.example.com/2020/01/hello/</link>
<content:encoded><![CDATA[First line.

<script>alert(1)</script>Bye.]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>5</wp:post_id><wp:post_date>2020-01-02 10:00:00</wp:post_date><wp:post_date_gmt>2020-01-02 09:00:00</wp:post_date_gmt>
<wp:post_name>hello</wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Eve</wp:comment_author><wp:comment_author_email>eve@evil.example</wp:comment_author_email>
<wp:comment_date_gmt>2020-01-03 09:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Nice <script>steal()</script><img src=x onerror=alert(1)> <a href="javascript:alert(2)">win</a> [youtube abc123]]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>
</channel>
</rss>
"#;

#[test]
fn comment_html_is_neutralised() {
    let site = Site::new();
    site.file("export.xml", SMALL);
    let export = site.root().join("export.xml");
    import(&site, &export, &[]).ok();
    site.build();
    let page = site.read("posts/hello/index.html");
    assert!(page.contains("Nice"));
    // WordPress runs no shortcode in comments: it shows as written.
    assert!(page.contains("[youtube abc123]"), "{page}");
    for bad in [
        "<script>steal",
        "onerror=alert",
        "javascript:",
        "<script>alert",
    ] {
        assert!(!page.contains(bad), "{bad} in\n{page}");
    }
}

#[test]
fn malformed_xml_is_an_error_with_its_line_and_writes_nothing() {
    let site = Site::new();
    let broken = SMALL.replace("</item>", "</itme>");
    site.file("export.xml", &broken);
    let export = site.root().join("export.xml");
    import(&site, &export, &[]).fails(1, &["export.xml:15", "not well-formed XML"]);
    assert!(site.tree("content").is_empty());
    site.file("cut.xml", &SMALL[..SMALL.len() / 2]);
    let cut = site.root().join("cut.xml");
    import(&site, &cut, &[]).fails(1, &["cut short"]);
    assert!(site.tree("content").is_empty());
}

#[test]
fn a_second_import_keeps_an_edited_post_unless_forced() {
    let site = Site::new();
    site.file("export.xml", SMALL);
    let export = site.root().join("export.xml");
    import(&site, &export, &[]).ok();
    let again = import(&site, &export, &[]).ok();
    assert!(
        again
            .stdout
            .contains("Wrote 0 files; 2 already up to date."),
        "{}",
        again.stdout
    );
    let post = "content/posts/hello/index.md";
    let edited = std::fs::read_to_string(site.root().join(post)).unwrap() + "\nMy edit.\n";
    site.file(post, &edited);
    let run = import(&site, &export, &[]).ok();
    assert!(
        run.stderr
            .contains("content/posts/hello/index.md was edited since the last import")
    );
    assert!(
        std::fs::read_to_string(site.root().join(post))
            .unwrap()
            .contains("My edit.")
    );
    import(&site, &export, &["--force"]).ok();
    assert!(
        !std::fs::read_to_string(site.root().join(post))
            .unwrap()
            .contains("My edit.")
    );
}

#[test]
fn wordpress_importer_test_files_import_or_fail_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/wordpress/wordpress-importer-data");
    if !dir.is_dir() {
        return;
    }
    for (name, ok) in [
        ("valid-wxr-1.0.xml", true),
        ("valid-wxr-1.1.xml", true),
        ("small-export.xml", true),
        ("crazy-cdata.xml", true),
        ("slashes.xml", true),
        ("term-formats.xml", true),
        ("test-serialized-comment-meta.xml", true),
        ("malformed.xml", false),
    ] {
        let site = Site::new();
        let run = import(&site, &dir.join(name), &[]);
        if ok {
            assert_eq!(run.code, 0, "{name}: {}", run.stderr);
            site.run(&["build", "--drafts"]).ok();
        } else {
            assert_ne!(run.code, 0, "{name}");
            assert!(site.tree("content").is_empty(), "{name}");
        }
    }
}

#[test]
fn hugo_shortcodes_and_folder_get_a_warning_with_the_tribune_equivalent() {
    let site = Site::new();
    site.post(
        "hugo",
        "title = \"Hugo\"\ndate = 2026-01-10",
        "Intro.\n\n{{< youtube abc123 >}}\n\n{{< highlight html >}}\n<b>x</b>\n{{< /highlight >}}\n\nIn code: `{{< figure src=\"a.jpg\" >}}`\n\n```\n{{% notice %}}\n```\n\n{{< figure src=\"a.jpg\" title=\"A\" >}}\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("content/posts/hugo.md:7"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Hugo shortcode `{{< youtube abc123 >}}`")
    );
    assert!(
        run.stderr
            .contains("[embed]https://www.youtube.com/watch?v=ID")
    );
    assert!(run.stderr.contains("content/posts/hugo.md:9"));
    assert!(run.stderr.contains("a fenced block"));
    assert!(run.stderr.contains("content/posts/hugo.md:19"));
    assert!(
        run.stderr
            .contains("hint: write a figure with its caption: [caption]![text](a.jpg) A[/caption]")
    );
    assert!(!run.stderr.contains("notice"), "{}", run.stderr);
    site.run(&["build", "--strict"])
        .fails(1, &["Hugo shortcode `{{< youtube abc123 >}}`"]);
    let hugo = Site::new();
    hugo.file("content/post/old.md", "+++\ntitle = \"Old\"\n+++\nText.");
    let run = hugo.build();
    assert!(
        run.stderr
            .contains("content/post: this looks like Hugo's posts folder"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("rename the folder to content/posts/"));
    assert!(run.stderr.contains("`tribune import hugo SITE`"));
    // The hint holds whatever else the site has: a new site's content/posts/ too.
    hugo.post("welcome", "title = \"Welcome\"\ndate = 2026-01-01", "Hi.\n");
    let run = hugo.build();
    assert!(
        run.stderr
            .contains("content/post: this looks like Hugo's posts folder"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("move its files into content/posts/"));
}

#[test]
fn media_are_copied_beside_their_posts_and_missing_ones_listed() {
    let Some(export) = seed_export() else {
        return;
    };
    let site = Site::new();
    // The backup has the original of the resized copy a post links to, and lacks one file.
    let image = crate::images::jpeg(4, 3);
    site.bytes("backup/uploads/2011/02/tableau-editorial.jpg", &image);
    let uploads = site.root().join("backup/uploads");
    let run = import(&site, &export, &["--uploads", uploads.to_str().unwrap()]).ok();
    assert!(
        run.stdout
            .contains("https://carnet.example.org/wp-content/uploads/2011/02/atelier.jpg")
    );
    assert!(
        !run.stdout.contains("tableau-editorial-1024x683.jpg"),
        "{}",
        run.stdout
    );
    let content = site.tree("content");
    assert_eq!(
        content["posts/five-editorial-lessons-from-eight-years-of-blogging/tableau-editorial.jpg"],
        image
    );
    let post = String::from_utf8(
        content["posts/five-editorial-lessons-from-eight-years-of-blogging/index.md"].clone(),
    )
    .unwrap();
    assert!(post.contains("](tableau-editorial.jpg)"), "{post}");
    site.build();
    assert!(
        site.has("posts/five-editorial-lessons-from-eight-years-of-blogging/tableau-editorial.jpg")
    );
}

#[test]
fn comments_beside_no_post_or_page_get_a_warning_and_reach_no_file() {
    let site = Site::new();
    site.post("a", "title = \"A\"\ndate = 2026-01-10", "Text.");
    let comment = "[[comment]]\nid = \"1\"\nauthor = \"Léa\"\ntext = \"Lost words.\"\n";
    site.file("content/posts/gone.comments.toml", comment)
        .file("content/about.md", "+++\ntitle = \"About\"\n+++\nMe.")
        .file("content/about.comments.toml", comment);
    let run = site.build();
    assert!(
        run.stderr
            .contains("content/posts/gone.comments.toml: these comments belong to no post"),
        "{}",
        run.stderr
    );
    // A page's comments are its own.
    assert!(
        !run.stderr.contains("content/about.comments.toml"),
        "{}",
        run.stderr
    );
    assert!(site.read("about/index.html").contains("Lost words"));
    for (path, bytes) in site.tree("public") {
        assert!(
            path == "about/index.html" || !String::from_utf8_lossy(&bytes).contains("Lost words"),
            "{path}"
        );
        assert!(!path.ends_with(".toml"), "{path}");
    }
    site.run(&["check"]).ok();
}

#[test]
fn wordpress_shortcodes_render_without_third_party_requests() {
    let site = Site::new();
    site.post(
        "media",
        "title = \"Media\"\ndate = 2026-01-10",
        "[caption align=\"alignright\"][![Board](board.jpg)](https://example.org/big.jpg) The board[/caption]\n\n[embed]https://vimeo.com/123?a=1&b=2[/embed]\n\n[audio mp3=\"ep.mp3\"]\n\n[video mp4=\"clip.mp4\" poster=\"clip.jpg\" width=\"640\"]\n\n[gallery images=\"a.jpg|b.jpg\" alts=\"A|B\"]\n\n[embed]javascript:alert(1)[/embed]\n",
    );
    site.build();
    let page = site.read("posts/media/index.html");
    assert!(
        page.contains("<figure class=\"wp-caption wp-caption--right\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "<a href=\"https://example.org/big.jpg\"><img src=\"board.jpg\" alt=\"Board\" /></a>"
        ),
        "{page}"
    );
    assert!(page.contains("<figcaption>The board</figcaption>"));
    assert!(
        page.contains("href=\"https://vimeo.com/123?a=1&amp;b=2\""),
        "{page}"
    );
    assert!(page.contains("<span class=\"embed-card-host\">vimeo.com</span>"));
    assert!(page.contains("<audio controls preload=\"none\" src=\"ep.mp3\">"));
    assert!(page.contains(
        "<video controls preload=\"none\" src=\"clip.mp4\" poster=\"clip.jpg\" width=\"640\">"
    ));
    assert!(page.contains("<img src=\"b.jpg\" alt=\"B\" loading=\"lazy\" decoding=\"async\">"));
    assert!(!page.contains("href=\"javascript:"), "{page}");
    assert!(!page.contains("<iframe"));
}

#[test]
fn an_existing_file_of_the_site_is_kept_and_named() {
    let site = Site::new();
    site.file("export.xml", SMALL);
    site.file(
        "content/posts/hello/index.md",
        "+++\ntitle = \"Mine\"\ndate = 2026-01-01\n+++\nMine.",
    );
    let export = site.root().join("export.xml");
    let run = import(&site, &export, &[]).ok();
    assert!(
        run.stderr.contains("content/posts/hello/index.md already exists and was not made by an import: kept as it is, and the export's version not imported (--force overwrites it)"),
        "{}",
        run.stderr
    );
    // The summary counts what came in, not what a file of the site's own kept out.
    assert!(run.stdout.starts_with("Imported 0 posts"), "{}", run.stdout);
    assert!(
        std::fs::read_to_string(site.root().join("content/posts/hello/index.md"))
            .unwrap()
            .contains("Mine.")
    );
}
