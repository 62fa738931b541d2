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
    site.run(&["build"])
        .fails(1, &["content/posts/oui.md:4:", "boolean"]);
}
