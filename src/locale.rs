//! Language codes to what depends on them: date formats and names, reading speed, and the
//! locale tag of Open Graph.

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;

/// What Tribune knows of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Locale {
    /// Month and day names.
    pub(crate) names: chrono::Locale,
    /// Long date pattern: "23 novembre 2026", "November 23, 2026".
    pub(crate) long_date: &'static str,
    /// Silent reading speed of non-fiction, in words a minute (Trauzettel-Klosinski and Dietz,
    /// "Standardized assessment of reading performance: the IReST", 2012).
    pub(crate) words_per_minute: usize,
}

/// The locale of a language code such as `fr`, `fr-CA` or `en_GB`; English for unknown ones.
pub(crate) fn locale(code: &str) -> Locale {
    let tag = code.replace('-', "_");
    let primary = tag.split('_').next().unwrap_or("en").to_ascii_lowercase();
    let (region, long_date, words_per_minute) = match primary.as_str() {
        "fr" => ("fr_FR", "%-d %B %Y", 195),
        "de" => ("de_DE", "%-d. %B %Y", 179),
        "es" => ("es_ES", "%-d de %B de %Y", 218),
        "pt" => ("pt_PT", "%-d de %B de %Y", 181),
        "it" => ("it_IT", "%-d %B %Y", 188),
        "nl" => ("nl_NL", "%-d %B %Y", 202),
        _ => ("en_US", "%B %-d, %Y", 228),
    };
    let names = chrono::Locale::try_from(tag.as_str())
        .or_else(|_| chrono::Locale::try_from(region))
        .unwrap_or(chrono::Locale::en_US);
    Locale {
        names,
        long_date,
        words_per_minute,
    }
}

/// The Open Graph locale tag of a language code: `fr` gives `fr_FR`, `en-GB` gives `en_GB`.
pub(crate) fn og_locale(code: &str) -> String {
    let tag = code.replace('-', "_");
    if tag.contains('_') {
        return tag;
    }
    format!("{:?}", locale(code).names)
}

/// Whether `code` has the shape of a language tag (BCP 47, as HTML's `lang` takes it): a
/// primary language of two or three letters, then subtags of one to eight letters or digits
/// joined by `-` (`fr`, `en-GB`, `zh-Hant-TW`). `english` or `fr_CA` are not.
pub(crate) fn is_language_tag(code: &str) -> bool {
    let mut subtags = code.split('-');
    let primary = subtags.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether text in this language follows French typography.
pub(crate) fn is_french(code: &str) -> bool {
    code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("fr"))
        && (code.len() == 2 || code[2..].starts_with(['-', '_']))
}

/// A date in `zone`, in `language`, with the long pattern or a strftime `pattern`.
pub(crate) fn format_date(
    date: DateTime<FixedOffset>,
    zone: Tz,
    language: &str,
    pattern: Option<&str>,
) -> String {
    let locale = locale(language);
    date.with_timezone(&zone)
        .format_localized(pattern.unwrap_or(locale.long_date), locale.names)
        .to_string()
}

/// A calendar day with the long pattern of `language`: "6 décembre 2026", "December 6, 2026".
pub(crate) fn long_day(day: chrono::NaiveDate, language: &str) -> String {
    let locale = locale(language);
    day.format_localized(locale.long_date, locale.names)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_have_their_shape() {
        for yes in ["fr", "en-GB", "zh-Hant-TW", "fil", "es-419"] {
            assert!(is_language_tag(yes), "{yes}");
        }
        for no in [
            "english",
            "fr_CA",
            "",
            "e",
            "en-",
            "en-toolongsubtag",
            "fr CA",
        ] {
            assert!(!is_language_tag(no), "{no}");
        }
    }

    #[test]
    fn formats_dates_in_six_languages() {
        let date = DateTime::parse_from_rfc3339("2026-11-23T09:00:00+01:00").unwrap();
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let long = |lang| format_date(date, paris, lang, None);
        assert_eq!(long("fr"), "23 novembre 2026");
        assert_eq!(long("en"), "November 23, 2026");
        assert_eq!(long("de"), "23. November 2026");
        assert_eq!(long("es"), "23 de noviembre de 2026");
        assert_eq!(long("it"), "23 novembre 2026");
        assert_eq!(long("pt"), "23 de novembro de 2026");
        assert_eq!(
            format_date(date, paris, "fr", Some("%A %-d %B")),
            "lundi 23 novembre"
        );
        assert_eq!(long_day(date.date_naive(), "fr"), "23 novembre 2026");
        assert_eq!(long_day(date.date_naive(), "de"), "23. November 2026");
    }

    #[test]
    fn knows_locale_tags_and_french() {
        assert_eq!(og_locale("fr"), "fr_FR");
        assert_eq!(og_locale("en-GB"), "en_GB");
        assert!(is_french("fr") && is_french("fr-CA") && !is_french("fro") && !is_french("en"));
    }
}
