//! Sticky posts, the site menu, redirects from `site.toml` and comments on pages.

use crate::Site;

/// A French site listing `per_page` posts a page.
fn site_with(per_page: usize, more: &str) -> Site {
    Site::with_config(&format!(
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n{more}[build]\nposts_per_page = {per_page}\n"
    ))
}

/// The posts a listing page shows, in order, by the slug of their link.
fn listed(html: &str) -> Vec<String> {
    html.split("class=\"card-title\"")
        .skip(1)
        .map(|card| {
            let href = card
                .split("href=\"/posts/")
                .nth(1)
                .expect("a link to a post");
            href[..href.find('/').unwrap()].to_string()
        })
        .collect()
}

/// Five posts `p1` (oldest) to `p5`, all tagged `x`; those in `sticky` are sticky.
fn five_posts(site: &Site, sticky: &[&str]) {
    for n in 1..=5 {
        let name = format!("p{n}");
        let pin = if sticky.contains(&name.as_str()) {
            "\nsticky = true"
        } else {
            ""
        };
        site.post(
            &name,
            &format!("title = \"P{n}\"\ndate = 2026-01-0{n}\ntags = [\"x\"]{pin}"),
            "Texte.\n",
        );
    }
}

/// The posts of every page of the home listing, page by page.
fn home_pages(site: &Site) -> Vec<Vec<String>> {
    let mut pages = vec![listed(&site.read("index.html"))];
    for n in 2.. {
        let page = format!("page/{n}/index.html");
        if !site.has(&page) {
            break;
        }
        pages.push(listed(&site.read(&page)));
    }
    pages
}

#[test]
fn a_sticky_post_leads_the_first_home_page_and_pagination_skips_and_repeats_nothing() {
    let site = site_with(2, "");
    five_posts(&site, &["p2"]);
    site.build();
    assert_eq!(
        home_pages(&site),
        [vec!["p2", "p5"], vec!["p4", "p3"], vec!["p1"]]
    );
    let home = site.read("index.html");
    assert_eq!(
        home.matches("<span class=\"badge badge-sticky\">Épinglé</span>")
            .count(),
        1,
        "{home}"
    );
    let pinned = &home[home.find("card--sticky").unwrap()..];
    assert!(
        pinned.find("badge-sticky").unwrap() < pinned.find("href=\"/posts/p5/\"").unwrap(),
        "the badge is on the sticky post's card"
    );
    // Every other listing keeps the order of dates, without a badge.
    for other in [
        "tags/x/index.html",
        "page/2/index.html",
        "archive/2026/index.html",
    ] {
        assert!(!site.read(other).contains("badge-sticky"), "{other}");
    }
    assert_eq!(listed(&site.read("tags/x/index.html")), ["p5", "p4"]);
    assert_eq!(listed(&site.read("tags/x/page/2/index.html")), ["p3", "p2"]);
    let feed = site.read("rss.xml");
    let order: Vec<usize> = ["p5", "p4", "p3", "p2", "p1"]
        .iter()
        .map(|p| feed.find(&format!("/posts/{p}/</link>")).unwrap())
        .collect();
    assert!(order.is_sorted(), "the feed stays newest first");
    let posts = site.read("posts/p3/index.html");
    assert!(
        posts.contains("href=\"/posts/p2/\" rel=\"prev\"")
            && posts.contains("href=\"/posts/p4/\" rel=\"next\""),
        "previous and next follow the dates"
    );
}

#[test]
fn sticky_posts_come_newest_first_and_may_fill_more_than_the_first_page() {
    let site = site_with(2, "");
    five_posts(&site, &["p1", "p3"]);
    site.build();
    assert_eq!(
        home_pages(&site),
        [vec!["p3", "p1"], vec!["p5", "p4"], vec!["p2"]]
    );
    five_posts(&site, &["p1", "p2", "p4"]);
    site.build();
    let pages = home_pages(&site);
    assert_eq!(pages, [vec!["p4", "p2"], vec!["p1", "p5"], vec!["p3"]]);
    assert_eq!(
        site.read("page/2/index.html")
            .matches("badge-sticky")
            .count(),
        1,
        "a sticky post pushed to page 2 is still marked"
    );
}

#[test]
fn drafts_and_future_posts_stay_hidden_when_sticky() {
    let site = site_with(10, "");
    five_posts(&site, &[]);
    site.post(
        "brouillon",
        "title = \"Brouillon\"\ndate = 2026-02-01\ndraft = true\nsticky = true",
        "Texte.\n",
    );
    site.post(
        "demain",
        "title = \"Demain\"\ndate = 2027-02-01\nsticky = true",
        "Texte.\n",
    );
    site.build();
    assert_eq!(home_pages(&site), [vec!["p5", "p4", "p3", "p2", "p1"]]);
    assert!(!site.read("index.html").contains("badge-sticky"));
    assert!(!site.has("posts/brouillon/index.html") && !site.has("posts/demain/index.html"));
}

#[test]
fn templates_know_which_posts_are_sticky_and_pages_ignore_the_key() {
    let site = site_with(10, "");
    five_posts(&site, &["p1"]);
    site.file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\nsticky = true\n+++\nMoi.\n",
    );
    site.file(
        "templates/index.html",
        "{% for p in posts %}{{ p.slug }}={{ p.sticky }} {% endfor %}",
    );
    site.build();
    assert_eq!(
        site.read("index.html"),
        "p1=true p5=false p4=false p3=false p2=false "
    );
    assert!(site.has("a-propos/index.html"));
}

#[test]
fn an_english_site_says_pinned() {
    let site = Site::with_config("title = \"Notes\"\nbase_url = \"https://example.org/\"\n");
    five_posts(&site, &["p3"]);
    site.build();
    assert!(
        site.read("index.html")
            .contains("<span class=\"badge badge-sticky\">Pinned</span>")
    );
}

#[test]
fn sticky_must_be_true_or_false() {
    let site = site_with(10, "");
    site.post(
        "oui",
        "title = \"Oui\"\ndate = 2026-01-01\nsticky = \"yes\"",
        "Texte.\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/posts/oui.md:4: `sticky` must be true or false, not a string"],
    );
}

/// Two published comments, a reply and one awaiting moderation.
const COMMENTS: &str = "[[comment]]\nid = \"1\"\nauthor = \"Léa\"\nurl = \"https://lea.example.net/\"\ndate = 2026-03-01T10:00:00+01:00\ntext = \"Merci <b>beaucoup</b> !\"\n\n[[comment]]\nid = \"2\"\nparent = \"1\"\nauthor = \"Camille\"\nteam = true\ndate = 2026-03-02T10:00:00+01:00\ntext = \"Avec plaisir.\"\n\n[[comment]]\nid = \"3\"\nauthor = \"Spam\"\npublished = false\ntext = \"Achetez !\"\n";

/// The comments section of a page.
pub(crate) fn comments_section(html: &str) -> &str {
    let start = html
        .find("<section class=\"comments\"")
        .expect("a comments section");
    let end = start + html[start..].find("</section>").unwrap() + "</section>".len();
    &html[start..end]
}

#[test]
fn pages_show_their_readers_comments_as_posts_do() {
    let site = site_with(10, "");
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-02-01",
        "Texte.\n",
    )
    .file("content/posts/billet.comments.toml", COMMENTS)
    .file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    )
    .file("content/a-propos.comments.toml", COMMENTS)
    .file(
        "content/guide/index.md",
        "+++\ntitle = \"Guide\"\n+++\nLire.\n",
    )
    .file("content/guide/comments.toml", COMMENTS);
    let run = site.build();
    assert!(!run.stderr.contains("belong to no"), "{}", run.stderr);
    let post = site.read("posts/billet/index.html");
    for page in ["a-propos/index.html", "guide/index.html"] {
        let html = site.read(page);
        let section = comments_section(&html);
        assert_eq!(section, comments_section(&post), "{page}");
        assert!(section.contains("<span class=\"comments-count\">(2)</span>"));
        assert!(section.contains("rel=\"nofollow ugc\">Léa</a>"));
        assert!(section.contains("&lt;b&gt;beaucoup&lt;/b&gt;"), "{section}");
        assert!(section.contains("comment--depth-2 comment--team"));
        assert!(
            !html.contains("Achetez"),
            "unpublished comments are never shown"
        );
    }
    for (path, _) in site.tree("public") {
        assert!(!path.ends_with(".toml"), "{path}");
    }
    site.run(&["check"]).ok();
}

#[test]
fn a_page_without_published_comments_has_no_comments_section() {
    let site = site_with(10, "");
    site.file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    )
    .file(
        "content/a-propos.comments.toml",
        "[[comment]]\nid = \"3\"\nauthor = \"Spam\"\npublished = false\ntext = \"Achetez !\"\n",
    );
    site.build();
    let html = site.read("a-propos/index.html");
    assert!(!html.contains("class=\"comments\"") && !html.contains("Achetez"));
}

#[test]
fn a_draft_pages_comments_appear_nowhere() {
    let site = site_with(10, "");
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-02-01",
        "Texte.\n",
    )
    .file(
        "content/cache.md",
        "+++\ntitle = \"Caché\"\ndraft = true\n+++\nMoi.\n",
    )
    .file("content/cache.comments.toml", COMMENTS);
    let run = site.build();
    assert!(!run.stderr.contains("belong to no"), "{}", run.stderr);
    for (path, bytes) in site.tree("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Avec plaisir"),
            "{path}"
        );
    }
}

#[test]
fn a_pages_comments_file_is_checked_like_a_posts() {
    let site = site_with(10, "");
    site.file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    )
    .file(
        "content/a-propos.comments.toml",
        "[[comment]]\nid = \"1\"\ntext = \"a\"\n\n[[comment]]\nid = \"2\"\nparent = \"9\"\n",
    );
    site.run(&["build"]).fails(
        1,
        &["content/a-propos.comments.toml:6: comment `2` answers comment `9`, which is not in the file"],
    );
}

#[test]
fn comments_beside_nothing_still_get_a_warning() {
    let site = site_with(10, "");
    site.file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    )
    .file("content/perdu.comments.toml", COMMENTS);
    let run = site.build();
    assert!(
        run.stderr.contains(
            "content/perdu.comments.toml: these comments belong to no post or page: they are shown nowhere"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_preview_shows_a_pages_comments_as_they_are_edited() {
    let site = site_with(10, "");
    site.file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    );
    let options = tribune::BuildOptions {
        root: site.root().to_path_buf(),
        overrides: tribune::Overrides::default(),
        now: Some(crate::NOW.to_string()),
        source_date_epoch: None,
        drafts: false,
        future: false,
        expired: false,
        strict: false,
    };
    let page = |preview: &tribune::Preview| {
        let bytes = preview.snapshot().get("a-propos/index.html").unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let mut told = tribune::Preview::new(options.clone());
    let mut checked = tribune::Preview::new(options.clone());
    told.rebuild().unwrap();
    checked.rebuild().unwrap();
    assert!(!page(&told).contains("class=\"comments\""));
    site.file("content/a-propos.comments.toml", COMMENTS);
    let changed = [site.root().join("content/a-propos.comments.toml")];
    told.rebuild_after(&changed).unwrap();
    checked.rebuild().unwrap();
    let mut fresh = tribune::Preview::new(options);
    fresh.rebuild().unwrap();
    assert!(page(&fresh).contains("Avec plaisir."));
    assert_eq!(page(&told), page(&fresh));
    assert_eq!(page(&checked), page(&fresh));
}

/// The links of the header's navigation, in order, as `(href, aria-current)`.
fn nav(html: &str) -> Vec<(String, String)> {
    let Some(start) = html.find("<nav class=\"site-nav\"") else {
        return Vec::new();
    };
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let href = item[..item.find('"').unwrap()].to_string();
            let tag = &item[..item.find('>').unwrap()];
            let current = tag
                .split("aria-current=\"")
                .nth(1)
                .map_or("", |c| &c[..c.find('"').unwrap()]);
            (href, current.to_string())
        })
        .collect()
}

/// A menu of four entries: the home page, two pages and another site.
const MENU: &str = "[[menu]]\ntitle = \"Accueil\"\nurl = \"/\"\n\n[[menu]]\ntitle = \"Guide\"\nurl = \"/guide/\"\n\n[[menu]]\ntitle = \"À propos\"\nurl = \"/a-propos\"\n\n[[menu]]\ntitle = \"Ailleurs\"\nurl = \"https://ailleurs.example.net/\"\n\n";

/// A site with `MENU` and the pages it leads to, under `base_url`.
fn menu_site(base_url: &str) -> Site {
    let site = Site::with_config(&format!(
        "title = \"Le Carnet\"\nbase_url = \"{base_url}\"\nlanguage = \"fr\"\n{MENU}"
    ));
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-02-01\ntags = [\"x\"]",
        "Texte.\n",
    )
    .file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    )
    .file(
        "content/guide/index.md",
        "+++\ntitle = \"Guide\"\n+++\nLire.\n",
    )
    .file(
        "content/guide/etape.md",
        "+++\ntitle = \"Étape\"\n+++\nUne.\n",
    )
    .file(
        "content/mentions.md",
        "+++\ntitle = \"Mentions\"\n+++\nLégal.\n",
    );
    site
}

#[test]
fn the_menu_of_site_toml_is_the_whole_navigation_in_its_order() {
    let site = menu_site("https://example.org/");
    site.build();
    let expected = |current: [&str; 4]| -> Vec<(String, String)> {
        [
            "/",
            "/guide/",
            "/a-propos/",
            "https://ailleurs.example.net/",
        ]
        .iter()
        .zip(current)
        .map(|(h, c)| (h.to_string(), c.to_string()))
        .collect()
    };
    let home = site.read("index.html");
    assert_eq!(nav(&home), expected(["page", "", "", ""]), "{home}");
    assert!(home.contains(">À propos</a></li>") && !home.contains(">Mentions</a>"));
    assert_eq!(
        nav(&site.read("a-propos/index.html")),
        expected(["", "", "page", ""])
    );
    assert_eq!(
        nav(&site.read("guide/index.html")),
        expected(["", "page", "", ""])
    );
    assert_eq!(
        nav(&site.read("guide/etape/index.html")),
        expected(["", "true", "", ""]),
        "a page under an entry's is in its section"
    );
    assert_eq!(
        nav(&site.read("tags/x/index.html")),
        expected(["", "", "", ""])
    );
    site.run(&["check"]).ok();
}

#[test]
fn menu_links_follow_the_base_path() {
    let site = menu_site("https://example.org/blog/");
    site.build();
    let hrefs: Vec<String> = nav(&site.read("a-propos/index.html"))
        .into_iter()
        .map(|(href, _)| href)
        .collect();
    assert_eq!(
        hrefs,
        [
            "/blog/",
            "/blog/guide/",
            "/blog/a-propos/",
            "https://ailleurs.example.net/"
        ]
    );
}

#[test]
fn without_a_menu_the_navigation_lists_the_pages_and_an_empty_menu_removes_it() {
    let site = site_with(10, "");
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-02-01",
        "Texte.\n",
    )
    .file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    );
    site.build();
    let hrefs: Vec<String> = nav(&site.read("index.html"))
        .into_iter()
        .map(|(href, _)| href)
        .collect();
    assert_eq!(hrefs, ["/", "/archive/", "/a-propos/"]);
    let site = site_with(10, "menu = []\n");
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-02-01",
        "Texte.\n",
    );
    site.build();
    let home = site.read("index.html");
    assert!(!home.contains("<nav class=\"site-nav\""), "{home}");
}

#[test]
fn menu_entries_are_checked_where_they_are_written() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[[menu]]\ntitle = \" \"\nurl = \"/\"\n\n[[menu]]\ntitle = \"Relatif\"\nurl = \"a-propos/\"\n\n[[menu]]\ntitle = \"Script\"\nurl = \"javascript:alert(1)\"\n\n[[menu]]\ntitle = \"Sortie\"\nurl = \"/../etc/\"\n",
    );
    site.run(&["build"]).fails(
        1,
        &[
            "site.toml:5: a menu entry's `title` is empty",
            "site.toml:10: menu entry `url`: `a-propos/` must be a path on this site starting with `/`, such as /about/, or an address starting with https://",
            "site.toml:14: menu entry `url`: `javascript:alert(1)` must be a path on this site",
            "site.toml:18: menu entry `url`: `/../etc/`: `..` would leave the output folder",
        ],
    );
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[[menu]]\ntitle = \"Lien\"\nlink = \"/\"\n",
    );
    site.run(&["build"])
        .fails(1, &["site.toml:6:", "unknown field `link`"]);
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[[menu]]\ntitle = \"Sans adresse\"\n",
    );
    site.run(&["build"])
        .fails(1, &["site.toml:", "missing field `url`"]);
}

#[test]
fn check_reports_a_menu_entry_that_leads_nowhere_and_build_one_to_a_draft() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[[menu]]\ntitle = \"Contact\"\nurl = \"/contacts/\"\n\n[[menu]]\ntitle = \"Bientôt\"\nurl = \"/bientot/\"\n\n[[menu]]\ntitle = \"Flux\"\nurl = \"/rss.xml\"\n",
    );
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-02-01",
        "Texte.\n",
    )
    .file(
        "content/contact.md",
        "+++\ntitle = \"Contact\"\n+++\nÉcrire.\n",
    )
    .file(
        "content/bientot.md",
        "+++\ntitle = \"Bientôt\"\ndraft = true\n+++\nPlus tard.\n",
    );
    site.run(&["check"]).fails(
        1,
        &[
            "site.toml:6: menu entry `Contact` leads to /contacts/, but the site has no such page",
            "hint: did you mean /contact/?",
            "site.toml:10: menu entry `Bientôt` leads to /bientot/, which is a draft (content/bientot.md)",
            "Found 2 problems in 1 file",
        ],
    );
    let run = site.build();
    assert!(
        run.stderr.contains(
            "warning: site.toml:10: menu entry `Bientôt` leads to /bientot/, which is a draft (content/bientot.md)"
        ),
        "{}",
        run.stderr
    );
    site.run(&["build", "--strict"]).fails(
        1,
        &["site.toml:10: menu entry `Bientôt` leads to /bientot/, which is a draft"],
    );
    let run = site.run(&["build", "--drafts"]).ok();
    assert!(!run.stderr.contains("menu entry"), "{}", run.stderr);
}

/// Redirects of old WordPress addresses, to a taxonomy, a feed, an archive, another site and
/// an anchor of a page.
const REDIRECTS: &str = "[redirects]\n\"/category/news/\" = \"/themes/news/\"\n\"/feed/\" = \"/rss.xml\"\n\"/2011/03/\" = \"/archive/2011/\"\n\"/ailleurs/\" = \"https://example.net/x\"\n\"/vieux\" = \"/a-propos/#equipe\"\n\"/autre-ancien/\" = \"/posts/billet/\"\n";

/// A site with `REDIRECTS` and what they lead to, under `base_url`.
fn redirect_site(base_url: &str) -> Site {
    let site = Site::with_config(&format!(
        "title = \"Le Carnet\"\nbase_url = \"{base_url}\"\nlanguage = \"fr\"\n{REDIRECTS}"
    ));
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2011-03-02\nthemes = [\"News\"]\naliases = [\"/ancien/\"]",
        "Texte.\n",
    )
    .file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\n## Équipe {#equipe}\n",
    );
    site
}

/// Where a redirect page sends its reader.
fn refresh(html: &str) -> &str {
    let at = html.find("content=\"0; url=").expect("a refresh") + "content=\"0; url=".len();
    &html[at..at + html[at..].find('"').unwrap()]
}

#[test]
fn redirects_are_written_as_alias_pages() {
    let site = redirect_site("https://example.org/");
    site.build();
    for (page, target) in [
        (
            "category/news/index.html",
            "https://example.org/themes/news/",
        ),
        ("feed/index.html", "https://example.org/rss.xml"),
        ("2011/03/index.html", "https://example.org/archive/2011/"),
        ("ailleurs/index.html", "https://example.net/x"),
        ("vieux/index.html", "https://example.org/a-propos/#equipe"),
    ] {
        let html = site.read(page);
        assert_eq!(refresh(&html), target, "{page}");
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")),
            "{page}"
        );
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
    assert_eq!(
        site.read("autre-ancien/index.html"),
        site.read("ancien/index.html"),
        "a redirect's page is an alias's"
    );
    assert!(!site.read("sitemap.xml").contains("category"));
    site.run(&["check"]).ok();
}

#[test]
fn a_redirect_to_a_feed_announces_the_feed() {
    let site = redirect_site("https://example.org/");
    site.build();
    let feed = site.read("feed/index.html");
    assert!(
        feed.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Le Carnet (RSS)\" href=\"https://example.org/rss.xml\">"),
        "{feed}"
    );
    for page in ["category/news/index.html", "ancien/index.html"] {
        assert!(!site.read(page).contains("rel=\"alternate\""), "{page}");
    }
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[redirects]\n\"/feed/atom/\" = \"/atom.xml\"\n\"/feed/json/\" = \"https://feeds.example.net/feed.json\"\n",
    );
    site.build();
    assert!(site.read("feed/atom/index.html").contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"T (ATOM)\" href=\"https://example.org/atom.xml\">"
    ));
    assert!(site.read("feed/json/index.html").contains(
        "type=\"application/feed+json\" title=\"T (JSON)\" href=\"https://feeds.example.net/feed.json\""
    ));
}

#[test]
fn redirects_lead_under_the_base_path() {
    let site = redirect_site("https://example.org/blog/");
    site.build();
    assert_eq!(
        refresh(&site.read("category/news/index.html")),
        "https://example.org/blog/themes/news/"
    );
    assert_eq!(
        refresh(&site.read("ailleurs/index.html")),
        "https://example.net/x"
    );
}

#[test]
fn redirects_are_checked_where_they_are_written() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[redirects]\n\"/../dehors/\" = \"/\"\n\"/\" = \"/archive/\"\n\"/?p=24\" = \"/posts/x/\"\n\"/relatif/\" = \"archive/\"\n\"/script/\" = \"javascript:alert(1)\"\n\"/boucle\" = \"/boucle/\"\n",
    );
    site.run(&["build"]).fails(
        1,
        &[
            "site.toml:5: redirect `/../dehors/`: `..` would leave the output folder",
            "site.toml:6: redirect `/` is the home page",
            "site.toml:7: redirect `/?p=24`: an old address with a query or a fragment cannot be a page of its own",
            "hint: an old address by id, /?p=24, goes in the `aliases` of the post it leads to",
            "site.toml:8: redirect `/relatif/`: `archive/` must be a path on this site starting with `/`",
            "site.toml:9: redirect `/script/`: `javascript:alert(1)` must be a path on this site",
            "site.toml:10: redirect `/boucle` leads to itself",
        ],
    );
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[redirects]\nold = 3\n",
    );
    site.run(&["build"]).fails(
        1,
        &["site.toml:5: `redirects.old` must be a string (text in quotes), not a whole number"],
    );
}

#[test]
fn a_redirect_on_another_pages_address_is_an_error_naming_site_toml() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[redirects]\n\"/tags/\" = \"/archive/\"\n\"/ancien/\" = \"/archive/\"\n",
    );
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-01-01\ntags = [\"x\"]\naliases = [\"/ancien/\"]",
        "Texte.\n",
    );
    site.run(&["build"]).fails(
        1,
        &[
            "site.toml:5: site.toml:5 (redirect), the tags list all write /tags/index.html",
            "site.toml:6: content/posts/billet.md (alias), site.toml:6 (redirect) all write /ancien/index.html",
        ],
    );
    site.run(&["check"]).fails(
        1,
        &["site.toml:5: site.toml:5 (redirect), the tags list all write /tags/index.html"],
    );
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[redirects]\n\"/vieux\" = \"/archive/\"\n\"/vieux/\" = \"/\"\n",
    );
    site.run(&["build"]).fails(
        1,
        &["site.toml:5 (redirect), site.toml:6 (redirect) all write /vieux/index.html"],
    );
}

#[test]
fn check_reports_a_redirect_that_leads_nowhere_and_build_one_to_a_draft() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[redirects]\n\"/tag/x/\" = \"/tags/xx/\"\n\"/bientot/\" = \"/posts/bientot/\"\n\"/ailleurs/\" = \"https://example.net/rien/\"\n",
    );
    site.post(
        "billet",
        "title = \"Billet\"\ndate = 2026-01-01\ntags = [\"x\"]",
        "Texte.\n",
    )
    .post(
        "bientot",
        "title = \"Bientôt\"\ndate = 2027-01-01",
        "Plus tard.\n",
    );
    site.run(&["check"]).fails(
        1,
        &[
            "site.toml:5: redirect `/tag/x/` leads to /tags/xx/, but the site has no such page",
            "hint: did you mean /tags/x/?",
            "site.toml:6: redirect `/bientot/` leads to /posts/bientot/, which is scheduled (content/posts/bientot.md)",
            "Found 2 problems in 1 file",
        ],
    );
    let run = site.build();
    assert!(
        run.stderr.contains(
            "warning: site.toml:6: redirect `/bientot/` leads to /posts/bientot/, which is scheduled"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("/tag/x/"), "{}", run.stderr);
    site.run(&["build", "--strict"]).fails(
        1,
        &["site.toml:6: redirect `/bientot/` leads to /posts/bientot/"],
    );
}

/// A value of the wrong type in a comments file is named in words, with the fix, as in
/// site.toml and front matter.
#[test]
fn a_mistyped_comments_value_says_what_to_write() {
    let site = site_with(10, "");
    site.file(
        "content/a-propos.md",
        "+++\ntitle = \"À propos\"\n+++\nMoi.\n",
    )
    .file(
        "content/a-propos.comments.toml",
        "[[comment]]\nid = \"1\"\ntext = \"a\"\npublished = \"false\"\n",
    );
    site.run(&["build"]).fails(
        1,
        &[
            "content/a-propos.comments.toml:4",
            "must be true or false, not a string",
            "remove the quotes",
        ],
    );
}
