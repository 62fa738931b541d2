//! The default theme's interface strings: every language it ships says every thing English
//! says, and a site written in one of them gets its pages in it.

use std::collections::BTreeSet;
use std::path::Path;

use crate::Site;

/// Each string file of the default theme, by language code, as the table it holds.
fn shipped_tables() -> Vec<(String, toml::Table)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    let mut tables: Vec<(String, toml::Table)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let code = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (code, table)
        })
        .collect();
    tables.sort_by(|a, b| a.0.cmp(&b.0));
    tables
}

#[test]
fn every_shipped_language_has_exactly_the_keys_of_english() {
    let tables = shipped_tables();
    let codes: Vec<&str> = tables.iter().map(|(code, _)| code.as_str()).collect();
    for wanted in ["de", "en", "es", "fr"] {
        assert!(
            codes.contains(&wanted),
            "no i18n/{wanted}.toml in {codes:?}"
        );
    }
    let english: BTreeSet<&String> = tables
        .iter()
        .find(|(code, _)| code == "en")
        .map(|(_, table)| table.keys().collect())
        .unwrap();
    let mut problems = Vec::new();
    for (code, table) in &tables {
        let keys: BTreeSet<&String> = table.keys().collect();
        for missing in english.difference(&keys) {
            problems.push(format!("{code}.toml lacks `{missing}`"));
        }
        for extra in keys.difference(&english) {
            problems.push(format!("{code}.toml has `{extra}`, which en.toml has not"));
        }
        for (key, value) in table {
            match value.as_str() {
                Some(text) if !text.trim().is_empty() => {}
                Some(_) => problems.push(format!("{code}.toml: `{key}` is empty")),
                None => problems.push(format!("{code}.toml: `{key}` is not a string")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The home page of a site in `language` with one post titled `title`, cut by a "more" mark.
fn home(language: &str, title: &str) -> String {
    let site = Site::with_config(&format!(
        "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"{language}\"\n"
    ));
    site.post(
        "one",
        &format!("title = \"{title}\"\ndate = 2026-11-01"),
        "Intro.\n\n<!-- more -->\n\nText.\n",
    );
    site.build();
    site.read("index.html")
}

#[test]
fn a_german_site_has_its_pages_in_german() {
    let html = home("de", "Hallo Welt");
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(html.contains(">Startseite</a>"), "{html}");
    assert!(html.contains("Zum Inhalt springen"), "{html}");
    assert!(
        html.contains(">Weiterlesen<span class=\"visually-hidden\">: „Hallo Welt“</span>"),
        "German quotation marks around the title: {html}"
    );
    assert!(!html.contains("Read more"), "{html}");
    assert!(!html.contains("Skip to content"), "{html}");
}

#[test]
fn a_spanish_site_has_its_pages_in_spanish() {
    let html = home("es", "Hola mundo");
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(html.contains(">Inicio</a>"), "{html}");
    assert!(html.contains("Saltar al contenido"), "{html}");
    assert!(
        html.contains(">Seguir leyendo<span class=\"visually-hidden\">: «Hola mundo»</span>"),
        "Spanish angle quotes around the title: {html}"
    );
    assert!(!html.contains("Read more"), "{html}");
    assert!(!html.contains("Skip to content"), "{html}");
}
