//! `tribune import wordpress` on what real exports hold: whatever WordPress writes imports and
//! builds with no hand edit, and no path in an export reads outside the uploads folder.

use crate::{Rng, Site};

/// A WXR 1.2 export of the blog `https://old.example` holding `items`.
fn export(items: &str) -> String {
    export_with("xmlns:wp=\"http://wordpress.org/export/1.2/\"", "wp", items)
}

/// An export whose WordPress namespace is declared by `declaration` and written `prefix:`.
fn export_with(declaration: &str, prefix: &str, items: &str) -> String {
    let items = items
        .replace("<wp:", &format!("<{prefix}:"))
        .replace("</wp:", &format!("</{prefix}:"));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" {declaration}>
<channel>
<title>Old blog</title>
<link>https://old.example</link>
<{prefix}:wxr_version>1.2</{prefix}:wxr_version>
<{prefix}:base_site_url>https://wordpress.com/</{prefix}:base_site_url>
<{prefix}:base_blog_url>https://old.example</{prefix}:base_blog_url>
{items}
</channel>
</rss>
"#
    )
}

/// One published post.
fn post(id: u64, title: &str, name: &str, content: &str) -> String {
    item(id, "post", title, name, "2012-01-02 10:00:00", content, 0)
}

/// One item of any type.
fn item(
    id: u64,
    kind: &str,
    title: &str,
    name: &str,
    date: &str,
    content: &str,
    parent: u64,
) -> String {
    format!(
        r#"<item>
<title><![CDATA[{title}]]></title>
<link>https://old.example/2012/01/02/{name}/</link>
<dc:creator><![CDATA[admin]]></dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{name}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_parent>{parent}</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[{kind}]]></wp:post_type>
<wp:is_sticky>0</wp:is_sticky>
{attachment}
</item>
"#,
        status = if kind == "attachment" {
            "inherit"
        } else {
            "publish"
        },
        attachment = if kind == "attachment" {
            format!("<wp:attachment_url><![CDATA[{content}]]></wp:attachment_url>")
        } else {
            String::new()
        },
    )
}

/// Imports `xml` into `site`, then builds it: both must succeed.
fn import_and_build(site: &Site, xml: &str, extra: &[&str]) -> crate::Run {
    site.file("export.xml", xml);
    let export = site.root().join("export.xml");
    let mut args = vec!["import", "wordpress", export.to_str().unwrap()];
    args.extend(extra);
    let run = site.run(&args).ok();
    site.build();
    run
}

#[test]
fn uploads_never_lead_outside_their_folder() {
    let site = Site::new();
    site.file("secret.txt", "TOP SECRET");
    site.file("backup/uploads/2012/01/ok.txt", "fine");
    let inside = crate::images::jpeg(4, 3);
    site.bytes("backup/uploads/2012/01/photo.jpg", &inside);
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("secret.txt"),
        site.root().join("backup/uploads/2012/01/link.jpg"),
    )
    .unwrap();
    let body = [
        "<img src=\"https://old.example/wp-content/uploads/2012/01/photo.jpg\" alt=\"ok\">",
        "<img src=\"https://old.example/wp-content/uploads/../../secret.txt\" alt=\"a\">",
        "<img src=\"https://old.example/wp-content/uploads/2012/%2e%2e/%2E%2E/../secret.txt\" alt=\"b\">",
        "<img src=\"https://old.example/wp-content/uploads//etc/hostname\" alt=\"c\">",
        "<img src=\"https://old.example/wp-content/uploads/2012/01/link.jpg\" alt=\"d\">",
        "<img src=\"https://old.example/wp-content/uploads/..%5c..%5csecret.txt\" alt=\"e\">",
    ]
    .join("\n\n");
    let xml = export(
        &(format!(
            "{}{}",
            post(1, "Photos", "photos", &body),
            item(
                2,
                "attachment",
                "Passwd",
                "passwd",
                "2012-01-02 10:00:00",
                "https://old.example/wp-content/uploads/../../../../etc/passwd",
                1
            ),
        ) + &item(
            3,
            "page",
            "Studio",
            "studio",
            "2012-01-02 10:00:00",
            "<img src=\"https://old.example/wp-content/uploads/2012/01/photo.jpg\" alt=\"The studio\">",
            0,
        )),
    );
    let uploads = site.root().join("backup/uploads");
    let run = import_and_build(&site, &xml, &["--uploads", uploads.to_str().unwrap()]);
    assert!(run.stderr.matches("refused").count() >= 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("outside the uploads folder"),
        "{}",
        run.stderr
    );
    for (path, bytes) in site.tree("content").into_iter().chain(site.tree("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("TOP SECRET"), "{path}");
        assert!(!text.contains("root:x:0"), "{path}");
    }
    assert_eq!(site.tree("content")["posts/photos/photo.jpg"], inside);
    // A page's media go where its relative links find them.
    assert_eq!(site.tree("content")["studio/photo.jpg"], inside);
    assert!(site.has("studio/photo.jpg"));
    assert!(site.read("studio/index.html").contains("photo.jpg"));
}

#[test]
fn what_wordpress_writes_builds_with_no_hand_edit() {
    let site = Site::new();
    let long = "a".repeat(250);
    let longer = "b".repeat(300);
    let xml = export(&[
        post(1, "", "", "Just a quick thought about <em>asides</em> and status updates today."),
        post(
            2,
            "Quotes",
            "quotes",
            "Text [pullquote cite=\"Jean &quot;Le Grand&quot; Dupont\"]Big words.[/pullquote] after.\n\n<!-- wp:pullquote -->\n<figure class=\"wp-block-pullquote\"><blockquote><p>Said.</p><cite>Jean \"Le Grand\" Dupont</cite></blockquote></figure>\n<!-- /wp:pullquote -->",
        ),
        item(3, "post", "Ides", "ides", "-0044-03-15 10:00:00", "Caesar.", 0),
        post(4, "Nul\u{1}title", "nul", "Control\u{8} characters."),
        post(5, "Long", &long, "A long slug."),
        post(6, "Longer", &longer, "A longer slug."),
        post(
            7,
            "Title <em>With</em> Markup",
            "markup",
            "See [caption](https://example.com/caption) and [gallery](https://example.com/g).\n\nMy [mysqld] section, [local] and [email=me@example.org]x[/email].\n\n[youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ]\n\n[googlemaps https://maps.google.com/maps?q=Paris&amp;z=14]\n\n[contact-form][contact-field label=\"Name\" type=\"name\" required=\"1\"/][/contact-form]\n\n[unknown-plugin foo=\"bar\"]inside[/unknown-plugin]\n\n[caption id=\"x\" align=\"alignleft\"]never closed\n\n<img src=\"file:///C:/Users/me/Temp/Image.png\" alt=\"\">Pasted.",
        ),
        post(
            8,
            "Code",
            "code",
            "WordPress.com code:\n\n[sourcecode language=\"r\"]\nx &lt;- c(1, 2)\nif (a &amp;&amp; b) print(\"[x]\")\n[/sourcecode]\n\n[code]plain [text][/code]\n\nClassic:\n\n<code>line one\nline two</code>\n\nInline <code>[local]</code> code.",
        ),
        post(
            9,
            "Media",
            "media",
            "[gallery columns=2 link=file]\n\n[audio https://old.example/wp-content/uploads/2012/01/song.mp3]\n\n[video width=\"640\" mp4=\"https://old.example/clip.mp4\"][/video]",
        ),
        post(
            12,
            "Blocks",
            "blocks",
            "<!-- wp:audio {\"id\":12} -->\n<figure class=\"wp-block-audio\"><audio controls src=\"https://old.example/wp-content/uploads/2012/01/talk.mp3\"></audio><figcaption>The talk</figcaption></figure>\n<!-- /wp:audio -->\n\n<!-- wp:video -->\n<figure class=\"wp-block-video\"><video controls src=\"https://old.example/movie.mp4\"></video></figure>\n<!-- /wp:video -->\n\n<!-- wp:embed {\"url\":\"https://vimeo.com/123456\",\"type\":\"video\"} -->\n<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\nhttps://vimeo.com/123456\n</div><figcaption>A film by Someone</figcaption></figure>\n<!-- /wp:embed -->",
        ),
        item(
            10,
            "attachment",
            "First",
            "first",
            "2012-01-02 10:00:00",
            "https://old.example/wp-content/uploads/2012/01/first.jpg",
            9,
        ),
        item(
            11,
            "attachment",
            "Second",
            "second",
            "2012-01-02 10:00:00",
            "https://old.example/wp-content/uploads/2012/01/second.png",
            9,
        ),
    ]
    .concat());
    let run = import_and_build(&site, &xml, &[]);
    assert!(run.stderr.contains("has no title"), "{}", run.stderr);
    assert!(run.stderr.contains("contact form"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("an image on the author's computer (file:///C:/Users/me/Temp/Image.png)"),
        "{}",
        run.stderr
    );
    site.run(&["check"]).ok();
    let page = |slug: &str| site.read(&format!("posts/{slug}/index.html"));
    let aside = page("post-1");
    assert!(
        aside.contains("Just a quick thought about asides"),
        "{aside}"
    );
    let quotes = page("quotes");
    assert!(
        quotes.contains("Jean \"Le Grand\" Dupont")
            || quotes.contains("Jean &quot;Le Grand&quot; Dupont"),
        "{quotes}"
    );
    assert!(page("nul").contains("Nultitle"));
    assert!(site.has(&format!("posts/{}/index.html", &long[..192])));
    let markup = page("markup");
    assert!(
        markup.contains("<h1 class=\"post-title\">Title With Markup</h1>"),
        "{markup}"
    );
    // WordPress showed Markdown as it was written.
    assert!(markup.contains("[caption]("), "{markup}");
    assert!(markup.contains("[gallery]("), "{markup}");
    assert!(
        markup.contains("[mysqld]") && markup.contains("[local]"),
        "{markup}"
    );
    assert!(
        markup.contains("[email=me@example.org]x[/email]"),
        "{markup}"
    );
    assert!(
        markup.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""),
        "{markup}"
    );
    assert!(
        markup.contains("maps.google.com/maps?q=Paris&amp;z=14"),
        "{markup}"
    );
    assert!(!markup.contains("&amp;amp;"), "{markup}");
    assert!(
        !markup.contains("file:") && !markup.contains("<img alt"),
        "{markup}"
    );
    assert!(markup.contains("A contact form stood here"), "{markup}");
    assert!(
        markup.contains("[unknown-plugin foo=") && markup.contains("]inside[/unknown-plugin]"),
        "{markup}"
    );
    assert!(
        markup.contains("[caption id=") && markup.contains("alignleft”]never closed"),
        "{markup}"
    );
    let code = page("code");
    assert!(
        code.contains("language-r") || code.contains("data-lang=\"r\""),
        "{code}"
    );
    // Highlighted: the code's characters as written, between the highlighter's spans.
    assert!(
        code.contains("&lt;-") && code.contains("&amp;&amp;"),
        "{code}"
    );
    assert!(code.contains("[x]"), "{code}");
    assert!(code.contains("plain [text]"), "{code}");
    assert!(code.contains("line one\nline two"), "{code}");
    assert!(!code.contains("line one\\"), "{code}");
    assert!(code.contains("<code>[local]</code>"), "{code}");
    let media = page("media");
    assert!(media.contains("gallery--columns-2"), "{media}");
    assert!(
        media.contains("first.jpg") && media.contains("second.png"),
        "{media}"
    );
    assert!(media.contains("<audio controls preload=\"none\" src=\"https://old.example/wp-content/uploads/2012/01/song.mp3\""), "{media}");
    let blocks = page("blocks");
    assert!(blocks.contains("<audio controls preload=\"none\" src=\"https://old.example/wp-content/uploads/2012/01/talk.mp3\""), "{blocks}");
    assert!(
        media.contains("<video controls preload=\"none\" src=\"https://old.example/clip.mp4\""),
        "{media}"
    );
    assert!(blocks.contains("The talk"), "{blocks}");
    assert!(
        blocks.contains("<video controls preload=\"none\" src=\"https://old.example/movie.mp4\""),
        "{blocks}"
    );
    // The embed's caption is a paragraph of its own, not glued onto its address.
    assert!(
        blocks.contains("href=\"https://vimeo.com/123456\""),
        "{blocks}"
    );
    assert!(blocks.contains("<p>A film by Someone</p>"), "{blocks}");
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            for raw in [
                "[gallery columns",
                "[audio https",
                "[video width",
                "[sourcecode",
                "[youtube",
                "[contact-form",
                "[/caption]",
            ] {
                assert!(!html.contains(raw), "{path} shows {raw}");
            }
        }
    }
}

#[test]
fn old_addresses_come_from_the_blog_not_the_network() {
    let site = Site::new();
    let greek = "%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2";
    let xml = export(
        &[
            post(1, "Hello", "hello", "Hi."),
            post(2, "Επίπεδο 2", greek, "Γεια."),
        ]
        .concat(),
    );
    import_and_build(&site, &xml, &[]);
    let hello = String::from_utf8(site.tree("content")["posts/hello/index.md"].clone()).unwrap();
    assert!(hello.contains("\"/2012/01/02/hello/\""), "{hello}");
    assert!(site.has("2012/01/02/hello/index.html"));
    assert!(
        site.has("2012/01/02/επίπεδο-2/index.html"),
        "{:?}",
        site.tree("public").keys().collect::<Vec<_>>()
    );
}

#[test]
fn another_prefix_for_the_wordpress_namespace_is_read_and_another_namespace_is_not() {
    let site = Site::new();
    let xml = export_with(
        "xmlns:wordpress=\"http://wordpress.org/export/1.2/\" xmlns:wp=\"https://example.org/not-wordpress/\"",
        "wordpress",
        &post(1, "Prefixed", "prefixed", "Read."),
    )
    // Elements of another namespace that happens to be bound to `wp:` are not WordPress's.
    .replace(
        "</item>",
        "<wp:post_type>attachment</wp:post_type><wp:status>trash</wp:status></item>",
    );
    import_and_build(&site, &xml, &[]);
    assert!(site.read("posts/prefixed/index.html").contains("Read."));
}

#[test]
fn generated_exports_import_into_what_the_build_accepts() {
    const TITLES: [&str; 10] = [
        "",
        "Plain",
        "A &amp; B",
        "Quote \"this\"",
        "<strong>Bold</strong> title",
        "Ctrl\u{7}char",
        "Nested [shortcode] title",
        "   ",
        "Тест по-русски",
        "中文标题",
    ];
    const NAMES: [&str; 8] = [
        "",
        "plain",
        "%e4%b8%ad%e6%96%87",
        "a-b-c",
        "..",
        ".hidden",
        "x/y",
        "UPPER case",
    ];
    const DATES: [&str; 6] = [
        "2012-01-02 10:00:00",
        "0000-00-00 00:00:00",
        "-0044-03-15 10:00:00",
        "2012-13-45 99:00:00",
        "1999-12-31 23:59:59",
        "",
    ];
    const PIECES: [&str; 24] = [
        "Plain text.",
        "[caption id=\"a\"]<img src=\"x.jpg\"> cap[/caption]",
        "[caption]open",
        "[/pullquote]",
        "[pullquote cite=\"a \"b\" c\"]q[/pullquote]",
        "[gallery]",
        "[gallery ids=\"9,99\"]",
        "[audio]",
        "[video src=\"a.mp4\"][/video]",
        "[embed]not a url[/embed]",
        "[sourcecode]",
        "[code lang=\"js\"]var a = '[x]';[/code]",
        "<code>a\n\nb</code>",
        "<pre>[gallery]</pre>",
        "[[escaped]]",
        "[x]: http://example.org",
        "[ref][1]",
        "<!-- wp:audio --><audio></audio><!-- /wp:audio -->",
        "<!-- wp:embed --><figure><div>https://youtu.be/x</div></figure><!-- /wp:embed -->",
        "\u{0}",
        "&#0; &bogus; &amp;",
        "<div><div><p>deep</p></div>",
        "[share]",
        "[contact-form]",
    ];
    let mut rng = Rng(7);
    for round in 0..12 {
        let mut items = String::new();
        for id in 1..=6u64 {
            let content: Vec<&str> = (0..4).map(|_| rng.pick(&PIECES)).collect();
            let kind = rng.pick(&["post", "post", "page"]);
            items.push_str(&item(
                id,
                kind,
                rng.pick(&TITLES),
                rng.pick(&NAMES),
                rng.pick(&DATES),
                &content.join("\n\n"),
                0,
            ));
        }
        let site = Site::new();
        site.file("export.xml", &export(&items));
        let export = site.root().join("export.xml");
        let run = site.run(&["import", "wordpress", export.to_str().unwrap()]);
        assert_eq!(run.code, 0, "round {round}: {}\n{items}", run.stderr);
        let build = site.run(&["build", "--drafts"]);
        assert_eq!(build.code, 0, "round {round}: {}\n{items}", build.stderr);
    }
}

#[test]
fn links_lead_where_they_led_on_the_old_blog() {
    let site = Site::new();
    let xml = export(
        &[
            post(
                1,
                "Links",
                "links",
                "<a href=\"arg\">relative</a>, <a href=\"/about-old/\">old page</a>, <a href=\"www.iterm2.com\">no scheme</a>, <a href=\"#1\">nowhere</a>, <a href=\"#notes\">notes</a>, <a href=\"https://old.example/2012/01/02/other/#part\">other part</a>, <a href=\"/2012/01/02/other/#gone\">gone</a>, <a href=\"mailto:a@b.example\">mail</a>, &lt;someone@example.com&gt;\n\n<h2 id=\"notes\">Notes</h2>\n\nEnd.",
            ),
            post(2, "Other", "other", "<p id=\"part\">A part.</p>"),
            post(
                3,
                "Footnotes",
                "footnotes",
                "<!-- wp:paragraph -->\n<p>A claim<sup data-fn=\"f1\" class=\"fn\"><a href=\"#f1\" id=\"f1-link\">1</a></sup>.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:footnotes /-->",
            )
            .replace(
                "<wp:is_sticky>",
                "<wp:postmeta><wp:meta_key>footnotes</wp:meta_key><wp:meta_value><![CDATA[[{\"content\":\"The <em>source</em>.\",\"id\":\"f1\"}]]]></wp:meta_value></wp:postmeta>\n<wp:is_sticky>",
            ),
        ]
        .concat(),
    );
    import_and_build(&site, &xml, &[]);
    site.run(&["check"]).ok();
    let links = site.read("posts/links/index.html");
    for expected in [
        "href=\"https://old.example/2012/01/02/links/arg\">relative</a>",
        "href=\"https://old.example/about-old/\">old page</a>",
        "href=\"https://www.iterm2.com\">no scheme</a>",
        "href=\"#notes\">notes</a>",
        "id=\"notes\"",
        "href=\"/posts/other/#part\">other part</a>",
        "href=\"/posts/other/\">gone</a>",
        "href=\"mailto:a@b.example\">mail</a>",
    ] {
        assert!(links.contains(expected), "{expected}\n{links}");
    }
    assert!(
        links.contains(" nowhere,") && !links.contains("href=\"#1\""),
        "{links}"
    );
    assert!(site.read("posts/other/index.html").contains("id=\"part\""));
    let notes = site.read("posts/footnotes/index.html");
    assert!(notes.contains("The <em>source</em>."), "{notes}");
    assert!(!notes.contains("data-fn"), "{notes}");
}

#[test]
fn download_media_fetches_from_the_old_host_within_its_rules() {
    let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let port = server.server_addr().to_ip().unwrap().port();
    let photo = crate::images::jpeg(4, 3);
    let served = {
        let server = server.clone();
        let photo = photo.clone();
        std::thread::spawn(move || {
            let mut requests = 0;
            while let Ok(Some(request)) = server.recv_timeout(std::time::Duration::from_secs(20)) {
                requests += 1;
                let redirect = |to: &str| {
                    tiny_http::Response::empty(302).with_header(
                        tiny_http::Header::from_bytes("Location", to.as_bytes()).unwrap(),
                    )
                };
                let url = request.url().to_string();
                let _ = match url.as_str() {
                    "/wp-content/uploads/2012/01/photo.jpg"
                    | "/wp-content/uploads/2012/01/final.jpg" => {
                        request.respond(tiny_http::Response::from_data(photo.clone()))
                    }
                    "/wp-content/uploads/2012/01/moved.jpg" => {
                        request.respond(redirect("/wp-content/uploads/2012/01/final.jpg"))
                    }
                    "/wp-content/uploads/2012/01/evil.jpg" => {
                        request.respond(redirect("file:///etc/passwd"))
                    }
                    _ => request.respond(tiny_http::Response::empty(404)),
                };
            }
            requests
        })
    };
    let old = format!("http://127.0.0.1:{port}");
    let body = ["photo", "moved", "evil", "missing"]
        .map(|n| format!("<img src=\"{old}/wp-content/uploads/2012/01/{n}.jpg\" alt=\"{n}\">"))
        .join("\n\n");
    let xml = export(&post(1, "Media", "media", &body)).replace("https://old.example", &old);
    let site = Site::new();
    let run = import_and_build(&site, &xml, &["--download-media"]);
    let content = site.tree("content");
    assert_eq!(content["posts/media/photo.jpg"], photo);
    assert_eq!(content["posts/media/moved.jpg"], photo);
    assert!(
        !content
            .keys()
            .any(|k| k.contains("evil") || k.contains("missing"))
    );
    assert!(
        run.stdout
            .contains("evil.jpg (it redirects to another scheme (file:)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("missing.jpg (the site answered 404)"),
        "{}",
        run.stdout
    );
    let page = site.read("posts/media/index.html");
    assert!(
        page.contains("photo.jpg")
            && page.contains(&format!("{old}/wp-content/uploads/2012/01/missing.jpg"))
    );
    // A second import takes the files from its cache: nothing is asked again.
    site.file("export.xml", &xml);
    let export = site.root().join("export.xml");
    site.run(&[
        "import",
        "wordpress",
        export.to_str().unwrap(),
        "--download-media",
    ])
    .ok();
    server.unblock();
    let requests = served.join().unwrap();
    assert_eq!(
        requests,
        5 + 2,
        "photo, moved, final, evil, missing; then evil and missing again"
    );
}

#[test]
fn a_new_sites_sample_about_page_gives_way_to_the_blogs() {
    let dir = tempfile::tempdir().unwrap();
    let blog = dir.path().join("blog");
    let tribune = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tribune"))
            .args(args)
            .args(["--now", crate::NOW])
            .output()
            .unwrap()
    };
    assert!(
        tribune(&["init", blog.to_str().unwrap(), "--language", "en"])
            .status
            .success()
    );
    let export_path = dir.path().join("export.xml");
    let about = item(
        2,
        "page",
        "About me",
        "about",
        "2012-01-02 10:00:00",
        "I write here.",
        0,
    );
    std::fs::write(&export_path, export(&about)).unwrap();
    let root = blog.to_str().unwrap();
    let out = tribune(&[
        "import",
        "wordpress",
        export_path.to_str().unwrap(),
        "--root",
        root,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.starts_with("Imported 0 posts, 1 page"), "{stdout}");
    let page = std::fs::read_to_string(blog.join("content/about.md")).unwrap();
    assert!(page.contains("I write here."), "{page}");
    // A page the blogger wrote is theirs: the export's is not imported, and the summary says so.
    std::fs::write(
        blog.join("content/about.md"),
        "+++\ntitle = \"Mine\"\n+++\nMine.",
    )
    .unwrap();
    std::fs::remove_file(blog.join(".tribune/import/wordpress.json")).unwrap();
    let out = tribune(&[
        "import",
        "wordpress",
        export_path.to_str().unwrap(),
        "--root",
        root,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Imported 0 posts, 0 pages"), "{stdout}");
    assert!(
        std::fs::read_to_string(blog.join("content/about.md"))
            .unwrap()
            .contains("Mine.")
    );
}

#[test]
fn menus_old_archives_sticky_posts_and_page_comments_come_over() {
    let site = Site::new();
    let comment = "<wp:comment><wp:comment_id>7</wp:comment_id><wp:comment_author><![CDATA[Ada]]></wp:comment_author><wp:comment_author_email>ada@example.com</wp:comment_author_email><wp:comment_date_gmt>2012-01-03 09:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Lovely page.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>";
    let menu_item = |id: u64,
                     order: i64,
                     kind: &str,
                     object: &str,
                     target: &str,
                     url: &str,
                     parent: &str| {
        // WordPress names a custom link; an entry for a page or a category takes its name.
        let title = if kind == "custom" { "Home" } else { "" };
        format!(
            "<item><title><![CDATA[{title}]]></title><wp:post_id>{id}</wp:post_id><wp:status>publish</wp:status><wp:menu_order>{order}</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type><category domain=\"nav_menu\" nicename=\"main\"><![CDATA[Main]]></category>\
<wp:postmeta><wp:meta_key>_menu_item_type</wp:meta_key><wp:meta_value>{kind}</wp:meta_value></wp:postmeta>\
<wp:postmeta><wp:meta_key>_menu_item_object</wp:meta_key><wp:meta_value>{object}</wp:meta_value></wp:postmeta>\
<wp:postmeta><wp:meta_key>_menu_item_object_id</wp:meta_key><wp:meta_value>{target}</wp:meta_value></wp:postmeta>\
<wp:postmeta><wp:meta_key>_menu_item_url</wp:meta_key><wp:meta_value>{url}</wp:meta_value></wp:postmeta>\
<wp:postmeta><wp:meta_key>_menu_item_menu_item_parent</wp:meta_key><wp:meta_value>{parent}</wp:meta_value></wp:postmeta></item>"
        )
    };
    let categorised = post(1, "Pinned", "pinned", "Read me first.")
        .replace("<wp:is_sticky>0</wp:is_sticky>", "<wp:is_sticky>1</wp:is_sticky>")
        .replace(
            "<wp:post_id>",
            "<category domain=\"category\" nicename=\"news\"><![CDATA[News &amp; notes]]></category><category domain=\"post_tag\" nicename=\"caf%c3%a9\"><![CDATA[Café]]></category><wp:post_id>",
        );
    let page = item(
        2,
        "page",
        "About",
        "about-me",
        "2012-01-02 10:00:00",
        "Who I am.",
        0,
    )
    .replace("</item>", &format!("{comment}</item>"));
    let channel = "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News &amp; notes]]></wp:cat_name></wp:category>";
    let xml = export(
        &[
            channel.to_string(),
            categorised,
            item(
                4,
                "post",
                "Later",
                "later",
                "2012-02-01 10:00:00",
                "Newer.",
                0,
            ),
            page,
            menu_item(10, 1, "custom", "custom", "10", "https://old.example/", "0"),
            menu_item(11, 2, "post_type", "page", "2", "", "0"),
            menu_item(12, 3, "taxonomy", "category", "3", "", "0"),
            menu_item(
                13,
                4,
                "custom",
                "custom",
                "13",
                "https://elsewhere.example/",
                "11",
            ),
        ]
        .concat(),
    );
    let run = import_and_build(&site, &xml, &[]);
    assert!(
        run.stdout
            .contains("site.toml: added the blog's menu (3 entries)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 menu sub-entries"), "{}", run.stdout);
    site.run(&["check"]).ok();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    assert!(
        toml.contains("\"/category/news/\" = \"/themes/news-notes/\""),
        "{toml}"
    );
    assert!(toml.contains("\"/tag/café/\" = \"/tags/cafe/\""), "{toml}");
    assert!(toml.contains("\"/feed/\" = \"/rss.xml\""), "{toml}");
    assert!(
        toml.contains("\"/2012/01/\" = \"/archive/2012/\""),
        "{toml}"
    );
    // The old archives lead to the new ones.
    assert!(
        site.read("category/news/index.html")
            .contains("/themes/news-notes/")
    );
    assert!(site.read("feed/index.html").contains("rss.xml"));
    // The menu, in the blog's order.
    let home = site.read("index.html");
    let nav = &home[home.find("site-nav").unwrap()..];
    let (a, b, c) = (
        nav.find("href=\"/\"").unwrap(),
        nav.find("href=\"/about-me/\"").unwrap(),
        nav.find("href=\"/themes/news-notes/\"").unwrap(),
    );
    assert!(a < b && b < c, "{nav}");
    assert!(!nav[..nav.find("</nav>").unwrap()].contains("elsewhere.example"));
    // The sticky post comes first on the home page, though older.
    let pinned = home.find("posts/pinned/").unwrap();
    let later = home.find("posts/later/").unwrap();
    assert!(pinned < later);
    // The page keeps its comment, without the commenter's address.
    let about = site.read("about-me/index.html");
    assert!(about.contains("Lovely page."), "{about}");
    assert!(!about.contains("ada@example.com"));
    // Importing again changes nothing in site.toml.
    let export_path = site.root().join("export.xml");
    let again = site
        .run(&["import", "wordpress", export_path.to_str().unwrap()])
        .ok();
    assert!(!again.stdout.contains("site.toml"), "{}", again.stdout);
    assert_eq!(
        std::fs::read_to_string(site.root().join("site.toml")).unwrap(),
        toml
    );
}

#[test]
fn items_that_share_an_id_and_a_name_are_each_imported() {
    let site = Site::new();
    let same = |title: &str| {
        post(0, title, "post-format-standard", "Text.").replace(
            "<wp:post_id>0</wp:post_id>",
            "<wp:post_id>게시물</wp:post_id>",
        )
    };
    let xml = export(&[same("One"), same("Two"), same("Three")].concat());
    let run = import_and_build(&site, &xml, &[]);
    assert!(run.stdout.starts_with("Imported 3 posts"), "{}", run.stdout);
    let posts: Vec<String> = site
        .tree("content")
        .into_keys()
        .filter(|k| k.ends_with("index.md"))
        .collect();
    assert_eq!(posts.len(), 3, "{posts:?}");
    for title in ["One", "Two", "Three"] {
        assert!(
            site.tree("public")
                .values()
                .any(|page| String::from_utf8_lossy(page).contains(&format!(">{title}</h1>"))),
            "{title}"
        );
    }
}

#[test]
fn tags_that_would_share_a_page_each_keep_one_and_their_old_archives_follow() {
    let site = Site::new();
    let tagged = |id: u64, name: &str, tag: &str, nicename: &str| {
        post(id, name, name, "Text.").replace(
            "<wp:post_id>",
            &format!("<category domain=\"post_tag\" nicename=\"{nicename}\"><![CDATA[{tag}]]></category><wp:post_id>"),
        )
    };
    let xml = export(&[tagged(1, "one", "C", "c"), tagged(2, "two", "C++", "c-2")].concat());
    let run = import_and_build(&site, &xml, &[]);
    assert!(
        run.stderr.contains("tags: `C++` is written `C-plus-plus`"),
        "{}",
        run.stderr
    );
    assert!(site.read("tags/c/index.html").contains("one"));
    let plus = site.read("tags/c-plus-plus/index.html");
    assert!(
        plus.contains("two") && !plus.contains("/posts/one/"),
        "{plus}"
    );
    assert!(
        site.read("tag/c-2/index.html")
            .contains("/tags/c-plus-plus/")
    );
}
