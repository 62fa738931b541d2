//! `tribune audit --html`: the audit as one page an editor can open, print or mail around,
//! with no script and nothing fetched from elsewhere.
//!
//! The page is the theme's `audit.html` (with its parts in `audit_macros.html` and its styles in
//! `audit.css`), its words are the theme's `audit_*` strings: a site restyles, translates or
//! rewrites the report as it does its pages. This module renders the template with the report
//! shaped by [`crate::audit::view`].

use std::collections::BTreeMap;

use tera::Context;

use crate::audit::inventory::AuditReport;
use crate::audit::view::View;
use crate::error::Result;
use crate::theme::templates::Templates;

/// The theme's template of the report.
pub(crate) const TEMPLATE: &str = crate::theme::templates::AUDIT_TEMPLATE;

/// The audit as a self-contained HTML page, from the theme's `audit.html` with the site's UI
/// `strings` (`t` in the template) in the site's language `lang`, the site's other languages
/// named by `language_names` (by code), with French spacing when `french`.
pub(crate) fn render(
    report: &AuditReport,
    templates: &Templates,
    strings: &BTreeMap<String, String>,
    language_names: &BTreeMap<String, String>,
    lang: &str,
    french: bool,
) -> Result<String> {
    /// What `audit.html` reads.
    #[derive(serde::Serialize)]
    struct AuditContext<'a> {
        /// The site's interface strings.
        t: &'a BTreeMap<String, String>,
        /// The report's language, for `<html lang>`.
        lang: String,
        /// The report as the page shows it.
        audit: View<'a>,
    }
    let context = Context::from_serialize(&AuditContext {
        t: strings,
        lang: html_lang(lang),
        audit: View::new(report, lang, language_names),
    })
    .expect("the audit's context serializes");
    let html = templates.render_file(TEMPLATE, &context, "the audit report")?;
    // Titles, the site's name and the theme's words meet in the report: typeset them all as
    // the site's pages are.
    Ok(if french {
        crate::body::typography::french_spacing(&html)
    } else {
        html
    })
}

/// The site's language as a BCP 47 tag for `<html lang>`, or English when it is not one (the
/// configuration refuses such codes, so only a caller that skips it gets there).
fn html_lang(lang: &str) -> String {
    let tag: String = lang
        .trim()
        .chars()
        .map(|c| if c == '_' { '-' } else { c })
        .collect();
    if !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        tag
    } else {
        "en".to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::audit::inventory::{
        BrokenLink, Count, Freshness, PostRef, StaleTranslation, Totals, Translations,
    };
    use crate::load::config::{Config, Overrides};
    use crate::theme::layers::Theme;

    /// The report of a site in `lang` with the built-in theme only.
    fn render(report: &AuditReport, lang: &str) -> String {
        let text =
            format!("title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"{lang}\"\n");
        let root = Path::new("/nonexistent-site");
        let config = Config::parse(root, &text, &Overrides::default()).unwrap();
        let theme = Theme::load(&config).unwrap();
        let templates = Templates::compile(&theme, &config).unwrap();
        let french = crate::locale::is_french(lang);
        let names = BTreeMap::from([("en".to_string(), "English".to_string())]);
        super::render(report, &templates, &theme.strings, &names, lang, french).unwrap()
    }

    /// A post with a title and a file.
    fn post(title: &str, file: &str) -> PostRef {
        PostRef {
            title: title.to_string(),
            file: file.to_string(),
            url: format!("https://example.org/{file}/"),
            date: Some("2024-03-05T09:00:00+01:00".to_string()),
            ..Default::default()
        }
    }

    /// A report with something in every list.
    fn sample() -> AuditReport {
        let months = ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03"];
        AuditReport {
            schema: 1,
            site: "Le <Blog> & « Co »".to_string(),
            now: "2024-06-01T12:00:00+00:00".to_string(),
            totals: Totals {
                published: 10,
                scheduled: 1,
                drafts: 1,
                expired: 1,
                stale: 2,
                pages: 3,
            },
            by_theme: vec![Count {
                name: "Politique".to_string(),
                count: 6,
            }],
            by_tag: (0..35)
                .map(|i| Count {
                    name: format!("tag{i:02}"),
                    count: 40 - i,
                })
                .collect(),
            by_month: months
                .iter()
                .enumerate()
                .map(|(i, m)| Count {
                    name: m.to_string(),
                    count: i,
                })
                .collect(),
            scheduled: vec![post("Demain", "content/demain.md")],
            drafts: vec![post("Brouillon", "content/draft.md")],
            expired: vec![post("Vieux", "content/vieux.md")],
            stale: vec![Freshness {
                post: post("Ancien", "content/ancien.md"),
                last_touched: "2022-01-01T00:00:00+00:00".to_string(),
                age_days: 880,
                evergreen: true,
                ..Default::default()
            }],
            review_soon: vec![Freshness {
                post: post("Bientôt", "content/bientot.md"),
                last_touched: "2024-01-01T00:00:00+00:00".to_string(),
                age_days: 150,
                review_by: Some("2024-06-20T00:00:00+00:00".to_string()),
                ..Default::default()
            }],
            missing_description: vec![post("Sans", "content/sans.md")],
            tags_used_once: vec!["rare".to_string()],
            broken_links: vec![BrokenLink {
                file: "content/a.md".to_string(),
                target: "/b/".to_string(),
                reason: "draft".to_string(),
                target_file: Some("content/b.md".to_string()),
            }],
            translations: vec![Translations {
                lang: "en".to_string(),
                missing: vec![post("Seul", "content/seul.md")],
                stale: vec![StaleTranslation {
                    translation: PostRef {
                        when: Some("2024-01-05T00:00:00+00:00".to_string()),
                        ..post("Old", "content/vieux.en.md")
                    },
                    original: PostRef {
                        when: Some("2024-05-01T00:00:00+00:00".to_string()),
                        ..post("Vieux", "content/vieux.md")
                    },
                }],
            }],
            problems: 4,
            ..Default::default()
        }
    }

    #[test]
    fn hostile_text_is_escaped() {
        let mut report = sample();
        report.drafts[0].title = "</style><script>alert('x')</script> & \"q\"".to_string();
        report.missing_description[0].url = "javascript:alert(1)".to_string();
        report.translations[0].stale[0].translation.title = "<script>x</script>".to_string();
        report.translations[0].missing[0].url = "javascript:alert(2)".to_string();
        let html = render(&report, "en");
        assert!(!html.contains("<script"));
        assert!(!html.contains("</style><"));
        assert!(html.contains(
            "&lt;/style&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        ));
        assert!(html.contains("Le &lt;Blog&gt; &amp; « Co »"));
        assert!(!html.contains("href=\"javascript:"));
    }

    #[test]
    fn french_labels() {
        let html = render(&sample(), "fr-CA");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr-CA\">"));
        assert!(html.contains("<h1>Audit éditorial — Le &lt;Blog&gt; &amp; «\u{A0}Co\u{A0}»</h1>"));
        assert!(html.contains(
            "Audit du <time datetime=\"2024-06-01T12:00:00+00:00\">1 juin 2024 à 12:00</time>"
        ));
        assert!(html.contains("«\u{A0}<code class=\"nw\">--strict</code>\u{A0}»\u{A0}:"));
        assert!(html.contains("Étiquettes d’un seul billet"));
        assert!(html.contains("brouillon"));
        assert!(html.contains("29 mois"));
        assert!(html.contains("… et 5 autres"));
        assert!(html.contains("mars 2024\u{A0}: 4 billets"));
        assert!(html.contains("janvier 2024\u{A0}: 2 billets"));
        assert!(html.contains("novembre 2023\u{A0}: 0 billet<"));
        assert!(html.contains("(70\u{A0}%)"));
        assert!(!html.contains("Editorial audit"));
    }

    #[test]
    fn english_labels() {
        let html = render(&sample(), "en");
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<h1>Editorial audit — Le &lt;Blog&gt; &amp; « Co »</h1>"));
        assert!(html.contains("Audited on"));
        assert!(html.contains(">draft<"));
        assert!(html.contains("29 months"));
        assert!(html.contains("… and 5 more"));
        assert!(html.contains("November 2023: 0 posts<"));
        assert!(html.contains("(70%)"));
        assert!(!html.contains("Rien à signaler"));
        assert!(render(&sample(), "FR").contains("Audit éditorial"));
        assert!(render(&sample(), "nl").contains("Editorial audit"));
        assert_eq!(html_lang("\"><x"), "en");
        assert_eq!(html_lang("fr_CA"), "fr-CA");
    }

    #[test]
    fn translations_by_language_with_both_dates() {
        let html = render(&sample(), "fr");
        assert!(html.contains(
            "<h3 id=\"translations-stale-en\"><span lang=\"en\">English</span> (en) <span class=\"n\">1</span></h3>"
        ));
        assert!(html.contains(
            "Old</a></th><td class=\"day\">5 janvier 2024</td><td><a href=\"https://example.org/content/vieux.md/\">Vieux</a></td><td class=\"day\">1 mai 2024</td>"
        ));
        assert!(html.contains("Traductions manquantes <span class=\"n\">1</span>"));
        let one_language = AuditReport {
            translations: Vec::new(),
            ..sample()
        };
        assert!(!render(&one_language, "fr").contains("translations-"));
    }

    #[test]
    fn empty_report_says_nothing_to_report() {
        let report = AuditReport::default();
        let en = render(&report, "en");
        assert!(en.contains("Nothing to report"));
        assert!(!en.contains("<svg"));
        assert!(en.ends_with("</html>\n"));
        assert!(render(&report, "fr").contains("Rien à signaler"));
        assert_eq!(html_lang(""), "en");
    }

    #[test]
    fn one_bar_per_month() {
        let mut report = sample();
        report.by_month = (0..75)
            .map(|i| Count {
                name: format!("{:04}-{:02}", 2019 + i / 12, i % 12 + 1),
                count: i % 7,
            })
            .collect();
        let html = render(&report, "en");
        let start = html.find("id=\"chart-months\"").expect("month chart");
        let chart = &html[start..start + html[start..].find("</svg>").expect("chart end")];
        assert_eq!(chart.matches("<rect").count(), 75);
        assert_eq!(chart.matches("<title>").count(), 75);
        assert_eq!(
            chart.matches("text-anchor=\"start\">20").count()
                + chart.matches("text-anchor=\"end\">20").count(),
            7
        );
        assert!(chart.contains("viewBox=\"0 0 720 220\" width=\"100%\""));
    }

    #[test]
    fn no_script_anywhere() {
        for lang in ["fr", "en"] {
            for report in [sample(), AuditReport::default()] {
                let html = render(&report, lang);
                assert!(!html.to_lowercase().contains("<script"));
                assert!(!has_event_handler(&html), "no event handler attribute");
            }
        }
    }

    /// Whether some ` on…=` attribute hides in the page.
    fn has_event_handler(html: &str) -> bool {
        html.match_indices(" on").any(|(i, _)| {
            let rest = &html[i + 3..];
            let name = rest.chars().take_while(char::is_ascii_alphabetic).count();
            name > 0 && rest[name..].starts_with('=')
        })
    }

    #[test]
    fn output_is_deterministic() {
        let report = sample();
        assert_eq!(render(&report, "fr"), render(&report.clone(), "fr"));
        assert_eq!(render(&report, "en"), render(&report, "en"));
    }

    #[test]
    fn dates_and_ages() {
        let mut report = sample();
        report.stale[0].age_days = 1;
        assert!(render(&report, "fr").contains(">1 jour<"));
        report.stale[0].age_days = 0;
        assert!(render(&report, "en").contains(">0 days<"));
        assert!(render(&report, "fr").contains(">0 jour<"));
        report.stale[0].age_days = 400;
        assert!(render(&report, "en").contains(">13 months<"));
        assert!(render(&report, "fr").contains("<td class=\"day\">1 janvier 2022</td>"));
        assert!(render(&report, "en").contains("<td class=\"day\">January 1, 2022</td>"));
    }

    #[test]
    fn every_text_colour_reaches_four_and_a_half_to_one() {
        let (_, css) = crate::theme::layers::EMBEDDED
            .iter()
            .find(|(rel, _)| *rel == "templates/audit.css")
            .expect("built-in styles");
        let css = std::str::from_utf8(css).unwrap();
        // Text on its background: body text, notes, links, the evergreen badge, the cards'
        // numbers and the count on a warning heading.
        let pairs = [
            ("fg", "bg"),
            ("mut", "bg"),
            ("mut", "card"),
            ("link", "bg"),
            ("link", "card"),
            ("ok", "bg"),
            ("ok", "card"),
            ("bad", "card"),
            ("on-bad", "bad"),
        ];
        let light = css.find(":root{").unwrap();
        let dark = css.find("prefers-color-scheme:dark").unwrap();
        for (mode, at) in [("light", light), ("dark", dark)] {
            let rule = &css[at..at + css[at..].find('}').unwrap()];
            let colour = |name: &str| -> String {
                let start = rule.find(&format!("--{name}:#")).unwrap() + name.len() + 4;
                rule[start..]
                    .chars()
                    .take_while(char::is_ascii_hexdigit)
                    .collect()
            };
            for (text, back) in pairs {
                let ratio = crate::testing::contrast_ratio(&colour(text), &colour(back));
                assert!(ratio >= 4.5, "{mode}: --{text} on --{back} is {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn every_audit_string_is_in_english_and_french() {
        let keys = |lang: &str| -> Vec<String> {
            let file = format!("i18n/{lang}.toml");
            let (_, bytes) = crate::theme::layers::EMBEDDED
                .iter()
                .find(|(rel, _)| *rel == file)
                .expect("built-in strings");
            let table: BTreeMap<String, String> =
                toml::from_str(std::str::from_utf8(bytes).unwrap()).unwrap();
            table
                .into_keys()
                .filter(|k| k.starts_with("audit_"))
                .collect()
        };
        assert_eq!(keys("en"), keys("fr"));
        assert!(keys("en").len() > 60);
    }
}
