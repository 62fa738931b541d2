//! Publication on schedule, expiry, freshness, the build status and the audit.

use crate::Site;

/// A site with one post of each state; each carries a marker that must never leak.
fn calendar() -> Site {
    let site = Site::with_config(
        "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n[freshness]\nstale_after = \"18 months\"\n",
    );
    site.post(
        "publie",
        "title = \"Publié\"\ndate = 2026-11-01\ntags = [\"public\"]",
        "Visible.\n",
    );
    site.post("brouillon", "title = \"Brouillon MARKER-DRAFT\"\ndate = 2026-10-01\ndraft = true\ntags = [\"tag-draft\"]\naliases = [\"/alias-draft/\"]", "MARKER-DRAFT\n");
    site.post("programme", "title = \"Programmé MARKER-FUTURE\"\ndate = 2026-11-23T14:00\ntags = [\"tag-future\"]\naliases = [\"/alias-future/\"]", "MARKER-FUTURE\n");
    site.post("expire", "title = \"Expiré MARKER-EXPIRED\"\ndate = 2026-01-01\nexpires = 2026-06-30\ntags = [\"tag-expired\"]\naliases = [\"/alias-expired/\"]", "MARKER-EXPIRED\n");
    site.post(
        "ancien",
        "title = \"Ancien\"\ndate = 2024-01-01\ndescription = \"Vieux.\"",
        "Vieux.\n",
    );
    site.post(
        "revu",
        "title = \"Revu\"\ndate = 2024-01-01\nreviewed = 2026-09-01",
        "Revu.\n",
    );
    site.post(
        "eternel",
        "title = \"Éternel\"\ndate = 2020-01-01\nevergreen = true",
        "Toujours vrai.\n",
    );
    site
}

fn posts_in(site: &Site) -> Vec<String> {
    let mut posts: Vec<String> = site
        .tree("public")
        .into_keys()
        .filter_map(|p| {
            p.strip_prefix("posts/")?
                .strip_suffix("/index.html")
                .map(str::to_string)
        })
        .collect();
    posts.sort();
    posts
}

#[test]
fn only_due_unexpired_non_draft_posts_are_published() {
    let site = calendar();
    let run = site.build();
    assert_eq!(posts_in(&site), ["ancien", "eternel", "publie", "revu"]);
    assert!(
        run.stdout
            .contains("Content: 4 published, 1 scheduled, 1 draft, 1 expired, 1 stale."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Next change at 2026-11-23T14:00:00+01:00: due: Programmé MARKER-FUTURE (content/posts/programme.md)."), "{}", run.stdout);
}

#[test]
fn nothing_unpublished_leaks_into_any_file() {
    let site = calendar();
    site.build();
    for (path, bytes) in site.tree("public") {
        let text = String::from_utf8_lossy(&bytes);
        for marker in [
            "MARKER",
            "tag-draft",
            "tag-future",
            "tag-expired",
            "alias-",
            "brouillon",
            "/programme/",
            "expire",
        ] {
            assert!(!text.contains(marker), "{path} contains {marker}");
            assert!(!path.contains(marker), "{path} is named after {marker}");
        }
    }
}

#[test]
fn a_post_appears_once_the_clock_passes_its_date_and_goes_when_it_expires() {
    let site = calendar();
    site.run(&["build", "--now", "2026-11-23T13:59"]).ok();
    assert!(!site.has("posts/programme/index.html"));
    site.run(&["build", "--now", "2026-11-23T14:00"]).ok();
    assert!(
        site.has("posts/programme/index.html"),
        "due at 14:00 Paris time"
    );
    assert!(site.read("rss.xml").contains("MARKER-FUTURE"));
    site.run(&["build", "--now", "2026-05-01"]).ok();
    assert!(
        site.has("posts/expire/index.html"),
        "not expired yet in May"
    );
    site.run(&["build", "--now", "2026-07-01"]).ok();
    assert!(
        !site.has("posts/expire/index.html") && !site.has("alias-expired/index.html"),
        "gone after expiry"
    );
}

#[test]
fn preview_flags_include_scheduled_and_expired_posts() {
    let site = calendar();
    site.run(&["build", "--future", "--expired"]).ok();
    assert_eq!(
        posts_in(&site),
        ["ancien", "eternel", "expire", "programme", "publie", "revu"]
    );
}

#[test]
fn dates_follow_the_site_zone_across_daylight_saving() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://e.org/\"\ntimezone = \"Europe/Paris\"\n",
    );
    site.post("ete", "title = \"Été\"\ndate = 2026-07-01T09:00", "x\n");
    site.post("hiver", "title = \"Hiver\"\ndate = 2026-12-01T09:00", "x\n");
    site.run(&["build", "--now", "2026-07-01T07:00:00Z"]).ok();
    assert!(
        site.has("posts/ete/index.html"),
        "09:00 in Paris is 07:00 UTC in summer"
    );
    site.run(&["build", "--now", "2026-12-01T07:30:00Z"]).ok();
    assert!(
        !site.has("posts/hiver/index.html"),
        "but 08:00 UTC in winter"
    );
    site.run(&["build", "--now", "2026-12-01T08:00:00Z"]).ok();
    assert!(site.has("posts/hiver/index.html"));
    site.post("trou", "title = \"Trou\"\ndate = 2026-03-29T02:30", "x\n");
    site.run(&["build"]).fails(
        1,
        &["content/posts/trou.md:3: `date`: `2026-03-29T02:30` does not exist in Europe/Paris"],
    );
}

#[test]
fn links_to_unpublished_posts_warn_or_fail_with_strict() {
    let site = calendar();
    site.post(
        "publie",
        "title = \"Publié\"\ndate = 2026-11-01",
        "Bientôt : [la suite](/posts/programme/).\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("warning: content/posts/publie.md: links to /posts/programme/, which is scheduled (content/posts/programme.md)"),
        "{}",
        run.stderr
    );
    let before = site.tree("public");
    site.run(&["build", "--strict"]).fails(
        1,
        &["error: content/posts/publie.md: links to /posts/programme/, which is scheduled"],
    );
    assert_eq!(site.tree("public"), before);
}

#[test]
fn stale_posts_show_a_banner_but_keep_their_feed_dates() {
    let site = calendar();
    site.build();
    let old = site.read("posts/ancien/index.html");
    assert!(old.contains("class=\"stale-notice\""), "{old}");
    assert!(
        old.contains("Cet article date de plus de 2\u{a0}ans")
            || old.contains("Cet article date de plus de 2 ans"),
        "{old}"
    );
    assert!(
        !site.read("posts/revu/index.html").contains("stale-notice"),
        "a review restarts the clock"
    );
    assert!(
        !site
            .read("posts/eternel/index.html")
            .contains("stale-notice"),
        "evergreen posts are never called stale"
    );
    assert!(
        !site
            .read("posts/publie/index.html")
            .contains("stale-notice")
    );
    let feed = atom_syndication::Feed::read_from(site.read("atom.xml").as_bytes()).unwrap();
    let entry = feed
        .entries
        .iter()
        .find(|e| e.title.value == "Ancien")
        .unwrap();
    assert_eq!(entry.updated.to_rfc3339(), "2024-01-01T00:00:00+01:00");
}

#[test]
fn review_dates_make_posts_due() {
    let site = calendar();
    site.post(
        "arevoir",
        "title = \"À revoir\"\ndate = 2026-10-01\nreview_by = 2026-11-20",
        "x\n",
    );
    site.post(
        "bientot",
        "title = \"Bientôt\"\ndate = 2026-10-01\nreview_by = 2026-12-10",
        "x\n",
    );
    site.build();
    assert!(
        site.read("posts/arevoir/index.html")
            .contains("stale-notice")
    );
    let audit: serde_json::Value =
        serde_json::from_str(&site.run(&["audit", "--json"]).ok().stdout).unwrap();
    let soon: Vec<&str> = audit["review_soon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["post"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(soon, ["Bientôt"]);
}

#[test]
fn the_status_file_tells_ci_when_to_rebuild() {
    let site = calendar();
    site.build();
    let status: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.root().join(".tribune/status.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(status["published"], 4);
    assert_eq!(status["scheduled"], 1);
    assert_eq!(status["next_change"]["at"], "2026-11-23T14:00:00+01:00");
    assert!(
        !site.tree("public").keys().any(|k| k.contains("status")),
        "the status stays out of the output"
    );
}

#[test]
fn the_audit_lists_the_inventory() {
    let site = calendar();
    site.post(
        "long",
        &format!(
            "title = \"{}\"\ndate = 2026-11-02\ntags = [\"public\"]",
            "Un titre beaucoup trop long pour être partagé en entier sur les réseaux sociaux"
        ),
        "[cassé](/posts/nulle-part/) [ok](/tags/public/) [bientôt](/posts/programme/)\n",
    );
    let run = site.run(&["audit", "--json"]).ok();
    let audit: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(audit["schema"], 1);
    assert_eq!(audit["totals"]["published"], 5);
    assert_eq!(audit["totals"]["scheduled"], 1);
    assert_eq!(audit["totals"]["drafts"], 1);
    assert_eq!(audit["totals"]["expired"], 1);
    let titles = |key: &str| -> Vec<String> {
        audit[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                p["title"]
                    .as_str()
                    .unwrap_or_else(|| p["post"]["title"].as_str().unwrap())
                    .to_string()
            })
            .collect()
    };
    assert_eq!(titles("scheduled"), ["Programmé MARKER-FUTURE"]);
    assert_eq!(titles("drafts"), ["Brouillon MARKER-DRAFT"]);
    assert_eq!(titles("expired"), ["Expiré MARKER-EXPIRED"]);
    assert_eq!(
        titles("stale"),
        ["Ancien"],
        "an evergreen post is never stale"
    );
    assert_eq!(
        titles("long_titles"),
        ["Un titre beaucoup trop long pour être partagé en entier sur les réseaux sociaux"]
    );
    assert_eq!(audit["tags_used_once"], serde_json::json!([]));
    let broken: Vec<(String, String)> = audit["broken_links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["target"].as_str().unwrap().to_string(),
                l["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        broken,
        [
            ("/posts/nulle-part/".to_string(), "missing".to_string()),
            ("/posts/programme/".to_string(), "scheduled".to_string())
        ]
    );
    assert_eq!(
        audit["by_tag"][0],
        serde_json::json!({"name": "public", "count": 2})
    );
    assert_eq!(
        audit["by_month"].as_array().unwrap().len(),
        83,
        "every month from January 2020 to November 2026"
    );

    let text = site.run(&["audit"]).ok().stdout;
    assert!(
        text.contains("Broken internal links (2)")
            && text.contains("/posts/nulle-part/ -> missing"),
        "{text}"
    );
    site.run(&["audit", "--strict"]).fails(1, &[]);
    let report = site.root().join("report.html");
    site.run(&["audit", "--html", report.to_str().unwrap()])
        .ok();
    let html = std::fs::read_to_string(report).unwrap();
    assert!(
        html.contains("<svg") && !html.contains("<script"),
        "charts without scripts"
    );
}

#[test]
fn audit_json_is_stable() {
    let site = calendar();
    let one = site.run(&["audit", "--json"]).ok().stdout;
    let two = site.run(&["audit", "--json"]).ok().stdout;
    assert_eq!(one, two);
    let golden = r#""totals": {
    "published": 4,
    "scheduled": 1,
    "drafts": 1,
    "expired": 1,
    "stale": 1,
    "pages": 0
  }"#;
    assert!(one.contains(golden), "{one}");
}

#[test]
fn audit_json_matches_the_reviewed_golden_file() {
    let site = calendar();
    let json = site.run(&["audit", "--json"]).ok().stdout;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/golden/audit.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        json, golden,
        "the audit JSON changed: review it, then rerun with UPDATE_GOLDEN=1"
    );
}
