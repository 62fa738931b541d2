//! The audit of a site in several languages: what each language has not translated yet, and
//! the translations whose original changed after them.

use crate::Site;

/// A French site with English: one post translated and up to date, one never translated, one
/// translated before its original was updated, one whose translation is still a draft, and an
/// untranslated page.
fn bilingual() -> Site {
    let site = Site::with_config(
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n\
         timezone = \"Europe/Paris\"\n\n[languages.en]\ntitle = \"The Notebook\"\n",
    );
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-03-10",
        "Texte.\n",
    );
    site.post(
        "bonjour.en",
        "title = \"Hello there\"\ndate = 2026-03-12",
        "Text.\n",
    );
    site.post(
        "inedit",
        "title = \"Pas encore traduit\"\ndate = 2026-04-02",
        "Texte.\n",
    );
    site.post(
        "vieux",
        "title = \"Vieux billet\"\ndate = 2026-01-01\nupdated = 2026-05-01",
        "Texte revu.\n",
    );
    site.post(
        "vieux.en",
        "title = \"Old translation\"\ndate = 2026-01-05",
        "Text.\n",
    );
    site.post(
        "chantier",
        "title = \"En chantier\"\ndate = 2026-02-01",
        "Texte.\n",
    );
    site.post(
        "chantier.en",
        "title = \"Work in progress\"\ndate = 2026-02-03\ndraft = true",
        "Text.\n",
    );
    site.file(
        "content/about.md",
        "+++\ntitle = \"À propos\"\n+++\nTexte.\n",
    );
    site
}

/// The lines of `text` from the one starting with `heading` to the next blank line.
fn block<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n{heading}"))
        .unwrap_or_else(|| panic!("no {heading:?} in:\n{text}"))
        + 1;
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e);
    &text[start..end]
}

#[test]
fn the_terminal_lists_missing_and_outdated_translations_per_language() {
    let site = bilingual();
    let out = site.run(&["audit"]).ok().stdout;

    let missing = block(&out, "Missing translations into en (");
    assert!(
        missing.starts_with("Missing translations into en (3)\n"),
        "{missing}"
    );
    assert!(
        missing.contains("2026-04-02  Pas encore traduit  (content/posts/inedit.md)"),
        "{missing}"
    );
    assert!(
        missing.contains("En chantier  (content/posts/chantier.md)"),
        "a draft translation is not there for readers yet: {missing}"
    );
    assert!(
        missing.contains("À propos  (content/about.md)"),
        "pages too: {missing}"
    );
    assert!(!missing.contains("Bonjour"), "{missing}");
    assert!(!missing.contains("Vieux billet"), "{missing}");

    let stale = block(&out, "Translations into en older than their original (");
    assert!(
        stale.starts_with("Translations into en older than their original (1)\n"),
        "{stale}"
    );
    assert!(
        stale.contains("2026-01-05  Old translation  (content/posts/vieux.en.md)"),
        "{stale}"
    );
    assert!(
        stale.contains("original changed 2026-05-01: Vieux billet  (content/posts/vieux.md)"),
        "{stale}"
    );
    assert!(
        !stale.contains("Hello there") && !stale.contains("Bonjour"),
        "an up-to-date translation is not listed: {stale}"
    );
    assert!(
        !out.contains("into fr"),
        "the default language is the original: {out}"
    );
}

#[test]
fn the_report_and_the_json_list_them_too() {
    let site = bilingual();
    let path = site.root().join("report.html");
    site.run(&["audit", "--html", path.to_str().unwrap()]).ok();
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(
        html.contains("<a href=\"#translations-missing\">Traductions manquantes <span class=\"n\">3</span></a>"),
        "{html}"
    );
    let start = html
        .find("<section id=\"translations-missing\">")
        .expect("a section of missing translations");
    let sections = &html[start..html.find("</main>").unwrap()];
    let (missing, stale) = sections.split_at(
        sections
            .find("<section id=\"translations-stale\">")
            .expect("a section of outdated translations"),
    );
    assert!(
        missing
            .contains("<h3 id=\"translations-missing-en\"><span lang=\"en\">English</span> (en)"),
        "{missing}"
    );
    assert!(
        missing.contains(
            "<a href=\"https://example.org/posts/inedit/\">Pas encore traduit</a></th><td class=\"day\">2 avril 2026</td>"
        ),
        "{missing}"
    );
    assert!(!missing.contains("Bonjour"), "{missing}");
    assert!(
        stale.contains("<a href=\"https://example.org/en/posts/vieux/\">Old translation</a></th><td class=\"day\">5 janvier 2026</td>"),
        "{stale}"
    );
    assert!(
        stale.contains("<a href=\"https://example.org/posts/vieux/\">Vieux billet</a></td><td class=\"day\">1 mai 2026</td>"),
        "{stale}"
    );
    assert!(!stale.contains("Hello there"), "{stale}");

    let run = site.run(&["audit", "--json"]).ok();
    let audit: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let english = &audit["translations"][0];
    assert_eq!(english["lang"], "en");
    let files: Vec<&str> = english["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "content/posts/inedit.md",
            "content/posts/chantier.md",
            "content/about.md"
        ]
    );
    let stale = &english["stale"];
    assert_eq!(stale.as_array().unwrap().len(), 1, "{stale}");
    assert_eq!(stale[0]["translation"]["file"], "content/posts/vieux.en.md");
    assert_eq!(stale[0]["translation"]["when"], "2026-01-05T00:00:00+01:00");
    assert_eq!(stale[0]["original"]["file"], "content/posts/vieux.md");
    assert_eq!(stale[0]["original"]["when"], "2026-05-01T00:00:00+02:00");
    assert_eq!(
        audit["problems"], 6,
        "translation work is no problem for --strict, only the missing descriptions are"
    );
}

#[test]
fn a_site_in_one_language_has_no_translation_section() {
    for config in [
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n",
        // Declaring only the default language still makes one language.
        "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n\n[languages.fr]\ntitle = \"Le Carnet\"\n",
    ] {
        let site = Site::with_config(config);
        site.post(
            "bonjour",
            "title = \"Bonjour\"\ndate = 2026-03-10",
            "Texte.\n",
        );
        let out = site.run(&["audit"]).ok().stdout;
        assert!(!out.contains("ranslation"), "{out}");
        assert!(
            out.contains("(over 70 characters) (0)\n\n1 problem\n"),
            "{out}"
        );
        let json = site.run(&["audit", "--json"]).ok().stdout;
        assert!(!json.contains("translations"), "{json}");
        let path = site.root().join("report.html");
        site.run(&["audit", "--html", path.to_str().unwrap()]).ok();
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(!html.contains("translations-"), "{html}");
        assert!(!html.contains("Traductions"), "{html}");
    }
}
