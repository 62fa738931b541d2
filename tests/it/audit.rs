//! The HTML audit report: a theme template that speaks the site's language and that a site
//! restyles, translates or replaces like any other.

use crate::Site;

/// A site in `language` with one published post.
fn site(language: &str) -> Site {
    let site = Site::with_config(&format!(
        "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"{language}\"\n"
    ));
    site.post(
        "un",
        "title = \"Un\"\ndate = 2026-11-01\ntags = [\"seul\"]",
        "Texte.\n",
    );
    site
}

/// `tribune audit --html` on `site`, and the report it wrote.
fn report(site: &Site) -> String {
    let path = site.root().join("report.html");
    site.run(&["audit", "--html", path.to_str().unwrap()]).ok();
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_report_speaks_the_site_language() {
    let fr = report(&site("fr"));
    assert!(fr.contains("<html lang=\"fr\">"), "{fr}");
    assert!(fr.contains("<h1>Audit éditorial — Carnet</h1>"));
    assert!(fr.contains("novembre 2026\u{A0}: 1 billet<"));
    assert!(fr.contains("Étiquettes d’un seul billet"));
    assert!(!fr.contains("Editorial audit"));

    let en = report(&site("en-GB"));
    assert!(en.contains("<html lang=\"en-GB\">"), "{en}");
    assert!(en.contains("<h1>Editorial audit — Carnet</h1>"));
    assert!(en.contains("November 2026: 1 post<"));
    assert!(en.contains("Tags used once"));
    assert!(!en.contains("Audit éditorial"));
}

#[test]
fn the_report_is_one_page_with_its_styles_inline() {
    let html = report(&site("fr"));
    assert!(
        html.contains("<style>\n:root{"),
        "the theme's audit.css, inlined"
    );
    assert!(!html.contains("<link") && !html.contains("<script") && !html.contains("src="));
    assert!(
        !html.contains("{#") && !html.contains("{%"),
        "no template tag left"
    );
}

#[test]
fn a_site_restyles_the_report_with_its_own_css() {
    let site = site("fr");
    site.file(
        "templates/audit.css",
        "body{background:papayawhip}\n@media print{nav{display:none}}\n",
    );
    let html = report(&site);
    assert!(
        html.contains(
            "<style>body{background:papayawhip}\n@media print{nav{display:none}}\n</style>"
        )
    );
    assert!(
        !html.contains("--bad:"),
        "the default styles are replaced whole"
    );
    assert!(html.contains("<h1>Audit éditorial — Carnet</h1>"));
}

#[test]
fn a_site_translates_the_report_key_by_key() {
    let site = site("fr");
    site.file(
        "i18n/fr.toml",
        "audit_title = \"Bilan du carnet\"\naudit_nothing = \"Rien\u{A0}!\"\n",
    );
    let html = report(&site);
    assert!(html.contains("<h1>Bilan du carnet — Carnet</h1>"), "{html}");
    assert!(
        html.contains("<p class=\"empty\">Rien\u{202F}!</p>"),
        "a site's own strings are typeset too"
    );
    assert!(
        html.contains("Étiquettes d’un seul billet"),
        "the other strings stay the theme's"
    );
}

#[test]
fn a_site_replaces_the_report_template() {
    let site = site("en");
    site.file(
        "templates/audit.html",
        "<!DOCTYPE html>\n<title>{{ t.audit_title }}</title>\n<p>{{ t.audit_published }}: {{ audit.totals.published }}</p>\n",
    );
    let html = report(&site);
    assert_eq!(
        html,
        "<!DOCTYPE html>\n<title>Editorial audit</title>\n<p>Published: 1</p>\n"
    );
}

#[test]
fn a_broken_report_template_fails_the_report_only() {
    let site = site("en");
    site.file("templates/audit.html", "<p>{{ audit.nothing_here }}</p>\n");
    let path = site.root().join("report.html");
    site.run(&["audit", "--html", path.to_str().unwrap()])
        .fails(
            1,
            &["templates/audit.html", "the audit report", "nothing_here"],
        );
    site.build();
}

#[test]
fn the_terminal_audit_does_not_need_the_templates() {
    let site = site("en");
    site.file("templates/audit.html", "<p>{% if %}</p>\n");
    let run = site.run(&["audit"]).ok();
    assert!(run.stdout.contains("Published 1,"), "{}", run.stdout);
    // One post without a description: one problem, in the singular.
    assert!(run.stdout.ends_with("\n1 problem\n"), "{}", run.stdout);
    let path = site.root().join("report.html");
    site.run(&["audit", "--html", path.to_str().unwrap()])
        .fails(1, &["audit.html"]);
    assert!(!path.exists());
}

#[test]
fn the_report_writes_dates_as_the_site_language_does() {
    let fr = report(&site("fr"));
    assert!(
        fr.contains(
            "Audit du <time datetime=\"2026-11-23T12:00:00+00:00\">23 novembre 2026 à 12:00</time>"
        ),
        "{fr}"
    );
    assert!(!fr.contains(">2026-11-23"), "{fr}");
    let en = report(&site("en"));
    assert!(
        en.contains(
            "Audited on <time datetime=\"2026-11-23T12:00:00+00:00\">November 23, 2026 at 12:00</time>"
        ),
        "{en}"
    );
}

#[test]
fn evergreen_posts_are_never_stale_nor_a_problem() {
    let site = Site::with_config(
        "title = \"Carnet\"\nbase_url = \"https://example.org/\"\n[freshness]\nstale_after = \"1 year\"\n",
    );
    site.post(
        "toujours",
        "title = \"Toujours vrai\"\ndate = 2020-01-01\nevergreen = true\ndescription = \"D.\"\ntags = [\"a\"]",
        "Texte.\n",
    );
    let run = site.run(&["audit", "--json"]).ok();
    let audit: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(audit["totals"]["stale"], 0);
    assert_eq!(audit["stale"], serde_json::json!([]));
    assert_eq!(audit["problems"], 0);
    let run = site.run(&["audit", "--strict"]).ok();
    assert!(
        run.stdout
            .contains("Stale or due for review, oldest first (0)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("\n0 problems\n"), "{}", run.stdout);

    site.post(
        "vieux",
        "title = \"Vieux\"\ndate = 2020-01-01\ndescription = \"D.\"\ntags = [\"a\"]",
        "Texte.\n",
    );
    let run = site.run(&["audit", "--strict"]).fails(1, &[]);
    assert!(
        run.stdout
            .contains("Stale or due for review, oldest first (1)\n"),
        "{}",
        run.stdout
    );
}
