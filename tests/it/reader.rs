//! What a reader sees on the default theme's pages: one share row, no empty bands, meta lines
//! that wrap cleanly, archives that list posts, responsive and sized covers, typeset comments.

use crate::Site;

#[test]
fn an_svg_cover_has_its_width_and_height() {
    let site = Site::new();
    site.file(
        "content/posts/schema/index.md",
        "+++\ntitle = \"Schéma\"\ndate = 2026-01-01\nimage = \"cover.svg\"\nimage_alt = \"Un schéma\"\n+++\nTexte.\n",
    )
    .file(
        "content/posts/schema/cover.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630"><rect width="1200" height="630"/></svg>"#,
    )
    .file(
        "content/posts/plan.md",
        "+++\ntitle = \"Plan\"\ndate = 2026-01-02\nimage = \"/images/plan.svg\"\n+++\nTexte.\n",
    )
    .file(
        "static/images/plan.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="800px" viewBox="0 0 400 300"/>"#,
    );
    site.build();
    let page = site.read("posts/schema/index.html");
    assert!(
        page.contains(r#"<img src="/posts/schema/cover.svg" alt="Un schéma" width="1200" height="630" decoding="async">"#),
        "{page}"
    );
    let page = site.read("posts/plan/index.html");
    assert!(
        page.contains(
            r#"<img src="/images/plan.svg" alt="" width="800" height="600" decoding="async">"#
        ),
        "{page}"
    );
}

/// The declarations of the first rule of `css` whose selector list holds `selector`.
fn rule<'a>(css: &'a str, selector: &str) -> &'a str {
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("a closed rule");
        // Comments and at-rules before the selector are cut at their last `}` or `*/`.
        let head = &rest[..open];
        let head = head[head.rfind(['}', '/']).map_or(0, |i| i + 1)..].trim();
        if head.split(',').any(|s| s.trim() == selector) {
            return &rest[open + 1..close];
        }
        rest = &rest[open + 1..];
    }
    panic!("no rule for {selector}")
}

/// The value of `property` in a rule's declarations.
fn declared<'a>(declarations: &'a str, property: &str) -> Option<&'a str> {
    declarations.split(';').find_map(|d| {
        let (name, value) = d.split_once(':')?;
        (name.trim() == property).then(|| value.trim())
    })
}

#[test]
fn the_demo_post_with_share_in_its_text_has_one_share_row() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = "content/posts/community-manager-un-metier-captivant";
    let site = Site::new();
    for file in [".md", ".comments.toml"] {
        let text = std::fs::read_to_string(root.join(format!("{name}{file}"))).unwrap();
        site.file(&format!("{name}{file}"), &text);
    }
    site.post("sans", "title = \"Sans\"\ndate = 2026-01-01", "Texte.\n");
    site.build();
    let html = site.read("posts/community-manager-un-metier-captivant/index.html");
    assert_eq!(html.matches("<nav class=\"share\"").count(), 1, "{html}");
    // Where the author put it, in the text.
    let share = html.find("<nav class=\"share\"").unwrap();
    assert!(share < html.find("class=\"post-footer\"").unwrap());
    // A post that places none gets one after its text.
    let html = site.read("posts/sans/index.html");
    assert_eq!(html.matches("<nav class=\"share\"").count(), 1, "{html}");
}

#[test]
fn an_empty_link_post_shows_no_reading_time_and_no_empty_band() {
    let site = Site::new();
    site.post(
        "lien",
        "title = \"Un lien\"\ndate = 2026-01-02\nlink = \"https://example.com/article\"",
        "",
    )
    .post(
        "texte",
        "title = \"Texte\"\ndate = 2026-01-01",
        "Trois mots ici.\n",
    );
    site.build();
    let page = site.read("posts/lien/index.html");
    assert!(!page.contains("min de lecture"), "{page}");
    assert!(!page.contains("post-content"), "{page}");
    let home = site.read("index.html");
    let card = &home[home.find("card--link").unwrap()..];
    let card = &card[..card.find("</article>").unwrap()];
    assert!(!card.contains("min de lecture"), "{card}");
    assert!(!card.contains("card-summary"), "{card}");
    // A post with words keeps its reading time and its text.
    let page = site.read("posts/texte/index.html");
    assert!(page.contains("1&nbsp;min de lecture"), "{page}");
    assert!(
        page.contains("<div class=\"prose post-content\">"),
        "{page}"
    );
    assert_eq!(home.matches("card-summary").count(), 1, "{home}");
}

#[test]
fn separators_of_meta_lines_stay_with_what_follows_them() {
    let site = Site::new();
    site.post(
        "vieux",
        "title = \"Vieux\"\ndate = 2019-01-02\nupdated = 2020-05-01\nauthors = [\"Camille Martin\"]\nthemes = [\"Curation\", \"Outils\"]\ntags = [\"x\"]",
        "Un texte.\n",
    )
    .post(
        "lien",
        "title = \"Lien\"\ndate = 2026-01-02\nlink = \"https://example.com/a\"\nvia = \"Jonas\"\nthemes = [\"Curation\"]",
        "Vu.\n",
    );
    site.build();
    for page in [
        "posts/vieux/index.html",
        "posts/lien/index.html",
        "index.html",
        "tags/x/index.html",
    ] {
        let html = site.read(page);
        let mut seen = 0;
        // A line may break at the space before a "·", never after it: the dot is held to what
        // follows by a no-break space, and the space before it is the separator's own (no
        // other whitespace before it, which would be the one a browser keeps).
        for (at, _) in html.match_indices("<span class=\"meta-sep\"") {
            let sep = &html[at..];
            assert!(
                sep.starts_with(
                    "<span class=\"meta-sep\"> <span aria-hidden=\"true\">·</span>&nbsp;</span>"
                ) && !html[..at].ends_with(char::is_whitespace),
                "{page}: {}",
                sep.chars().take(100).collect::<String>()
            );
            seen += 1;
        }
        let kicker = "<span class=\"kicker-sep\" aria-hidden=\"true\">";
        for (at, _) in html.match_indices(kicker) {
            assert!(
                html[at + kicker.len()..].starts_with(" /&nbsp;</span>"),
                "{page}"
            );
            seen += 1;
        }
        assert!(seen >= 2, "{page}");
    }
}

#[test]
fn inline_code_sits_tight_in_the_text() {
    let site = Site::new();
    site.post(
        "code",
        "title = \"Code\"\ndate = 2026-01-01",
        "Le champ (`title`).\n",
    );
    site.build();
    assert!(
        site.read("posts/code/index.html")
            .contains("(<code>title</code>)")
    );
    let css = site.read("style.css");
    for selector in [".prose :not(pre) > code", ".comment-text :not(pre) > code"] {
        let padding = declared(rule(&css, selector), "padding").expect("a padding");
        // The inline padding is the second value (or the only one): a hairline, not a space.
        let values: Vec<&str> = padding.split_whitespace().collect();
        let inline = values.get(1).or(values.first()).unwrap();
        let em: f64 = inline.trim_end_matches("em").parse().unwrap();
        assert!(
            inline.ends_with("em") && em <= 0.15,
            "{selector}: padding {padding}"
        );
    }
}

#[test]
fn the_archive_lists_every_post_by_year() {
    let site = Site::new();
    site.post("a", "title = \"Premier\"\ndate = 2025-03-04", "Texte.\n")
        .post("b", "title = \"Deuxième\"\ndate = 2026-01-05", "Texte.\n")
        .post("c", "title = \"Troisième\"\ndate = 2026-02-06", "Texte.\n")
        .post(
            "d",
            "title = \"Brouillon\"\ndate = 2026-02-07\ndraft = true",
            "Texte.\n",
        );
    site.build();
    let html = site.read("archive/index.html");
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {html}"))
    };
    let order = [
        at("<a href=\"/archive/2026/\">2026</a>"),
        at("<a href=\"/posts/c/\" lang=\"fr\">Troisième</a>"),
        at("<a href=\"/posts/b/\" lang=\"fr\">Deuxième</a>"),
        at("<a href=\"/archive/2025/\">2025</a>"),
        at("<a href=\"/posts/a/\" lang=\"fr\">Premier</a>"),
    ];
    assert!(order.is_sorted(), "newest year and post first: {html}");
    assert!(
        html.contains(
            "<time datetime=\"2025-03-04T00:00:00+01:00\" lang=\"fr\">4 mars 2025</time>"
        )
    );
    assert!(html.contains("2&nbsp;articles") && html.contains("1&nbsp;article"));
    assert!(html.contains("<a href=\"#year-2025\">2025</a>"), "{html}");
    assert!(!html.contains("Brouillon"), "{html}");
}

#[test]
fn a_cover_from_static_is_offered_at_every_width_like_one_beside_its_post() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\nlanguage = \"fr\"\n[images]\nwidths = [480]\ncards = false\n",
    );
    let photo = crate::png(1000, 500);
    site.bytes("static/images/port.png", &photo)
        .post(
            "statique",
            "title = \"Statique\"\ndate = 2026-01-01\nimage = \"/images/port.png\"\nimage_alt = \"Le port\"",
            "Texte.\n",
        )
        .post(
            "meme",
            "title = \"Même\"\ndate = 2026-01-02\nimage = \"/images/port.png\"",
            "Texte.\n",
        )
        .bytes("content/images/plage.png", &crate::png(600, 300))
        .post(
            "contenu",
            "title = \"Contenu\"\ndate = 2026-01-03\nimage = \"/images/plage.png\"",
            "Texte.\n",
        )
        .file(
            "content/posts/album/index.md",
            "+++\ntitle = \"Album\"\ndate = 2026-01-04\nimage = \"port.png\"\nimage_alt = \"Le port\"\n+++\nTexte.\n",
        )
        .bytes("content/posts/album/port.png", &photo);
    site.build();
    let picture = |dir: &str| {
        format!(
            r#"<picture><source type="image/webp" srcset="{dir}port-480w.webp 480w, {dir}port.webp 1000w" sizes="(max-width: 46rem) 100vw, 46rem"><img src="{dir}port.png" srcset="{dir}port-480w.png 480w, {dir}port.png 1000w" sizes="(max-width: 46rem) 100vw, 46rem" alt="Le port" width="1000" height="500" decoding="async"></picture>"#
        )
    };
    let bundle = site.read("posts/album/index.html");
    assert!(bundle.contains(&picture("/posts/album/")), "{bundle}");
    let page = site.read("posts/statique/index.html");
    assert!(page.contains(&picture("/images/")), "{page}");
    for file in ["port-480w.png", "port-480w.webp", "port.webp"] {
        assert!(site.has(&format!("images/{file}")), "{file}");
    }
    // The static file itself is copied as it is.
    assert_eq!(site.tree("public")["images/port.png"], photo);
    let page = site.read("posts/contenu/index.html");
    assert!(
        page.contains(r#"srcset="/images/plage-480w.webp 480w, /images/plage.webp 600w""#),
        "{page}"
    );
    site.run(&["check"]).ok();
}

#[test]
fn comments_are_typeset_like_the_body_in_the_page_s_language() {
    let site = Site::new();
    let comment = "[[comment]]\nid = \"1\"\nauthor = \"Léa\"\ndate = 2026-01-02T10:00:00\ntext = \"Merci à vous! C'est clair: \\\"oui\\\".\"\n";
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-01-01",
        "Merci à vous!\n",
    )
    .file("content/posts/billet.comments.toml", comment)
    .post(
        "post",
        "title = \"Post\"\ndate = 2026-01-01\nlang = \"en\"",
        "Thanks!\n",
    )
    .file("content/posts/post.comments.toml", comment);
    site.build();
    let html = site.read("posts/billet/index.html");
    assert!(html.contains("<p>Merci à vous\u{202F}!</p>"), "the body");
    let section = crate::site_features::comments_section(&html);
    assert!(
        section.contains("<p>Merci à vous\u{202F}! C’est clair\u{A0}: “oui”.</p>"),
        "{section}"
    );
    let html = site.read("posts/post/index.html");
    let section = crate::site_features::comments_section(&html);
    assert!(
        section.contains("<p>Merci à vous! C’est clair: “oui”.</p>"),
        "{section}"
    );
}

#[test]
fn a_code_block_in_a_comment_scrolls_inside_its_own_box() {
    let site = Site::new();
    let line = "x".repeat(200);
    site.post("billet", "title = \"Billet\"\ndate = 2026-01-01", "Texte.\n")
        .file(
            "content/posts/billet.comments.toml",
            &format!("[[comment]]\nid = \"1\"\nauthor = \"Léa\"\ntext = \"\"\"\nVoici :\n\n```\n{line}\n```\n\"\"\"\n"),
        );
    site.build();
    let html = site.read("posts/billet/index.html");
    let section = crate::site_features::comments_section(&html);
    // The body's code block: a box that scrolls, and that a keyboard can reach to scroll it.
    assert!(
        section.contains(&format!(
            "<pre class=\"code hl-code\" tabindex=\"0\"><code>{line}\n</code></pre>"
        )),
        "{section}"
    );
    let css = site.read("style.css");
    let pre = rule(&css, "pre.code");
    assert_eq!(declared(pre, "overflow-x"), Some("auto"), "{pre}");
}

#[test]
fn the_demo_and_the_readme_show_drafts_with_serve_drafts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = vec![std::fs::read_to_string(root.join("README.md")).unwrap()];
    for entry in std::fs::read_dir(root.join("content/posts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    let mut said = 0;
    for text in &texts {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // A `tribune serve` that a comment (above or beside it) says shows drafts.
            let comment = [Some(line), i.checked_sub(1).and_then(|p| lines.get(p))];
            let about_drafts = comment
                .iter()
                .flatten()
                .any(|l| l.contains('#') && l.to_lowercase().contains("draft"));
            if line.trim_start().starts_with("tribune serve") && about_drafts {
                assert!(line.contains("--drafts"), "{line}");
                said += 1;
            }
        }
    }
    assert!(said > 0, "the demo shows how to preview drafts");
}
