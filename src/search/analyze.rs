//! Text as the search index and the search page's script both see it: folded words and their
//! stems. The script (`search.js` of the default theme) does exactly the same, step by step, so
//! a reader's query meets the words of the index; both are checked against one table of cases.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// French elisions: `l'audit` is indexed as `audit`.
const ELISIONS: [&str; 13] = [
    "l", "d", "j", "m", "t", "n", "s", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// The words of `text`, folded: lower case, without accents, French elisions and English
/// possessives removed; words of one character are left out.
pub(crate) fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut run = String::new();
    for c in folded.chars().chain(std::iter::once(' ')) {
        if c == '\'' || is_word_char(c) {
            run.push(c);
        } else if !run.is_empty() {
            if let Some(word) = clean(&run) {
                out.push(word);
            }
            run.clear();
        }
    }
    out
}

/// Lower case, decomposed, without combining marks; ligatures spelled out, apostrophes plain.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '’' | 'ʼ' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// Letters and digits, as `\p{L}` and `\p{N}` are in the script.
fn is_word_char(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
    )
}

/// A run of letters, digits and apostrophes as a word: elision and possessive removed, the
/// other apostrophes dropped; None when less than two characters are left.
fn clean(run: &str) -> Option<String> {
    let run = run.trim_matches('\'');
    let run = match run.split_once('\'') {
        Some((head, rest)) if ELISIONS.contains(&head) && !rest.is_empty() => rest,
        _ => run,
    };
    let run = run.strip_suffix("'s").unwrap_or(run);
    let word: String = run.chars().filter(|&c| c != '\'').collect();
    (word.chars().count() >= 2).then_some(word)
}

/// The stem of a folded `word` in `lang`: plurals and the simplest inflections of French and
/// English removed, so `communautes` meets `communauté`; other languages keep their words.
pub(crate) fn stem(word: &str, lang: &str) -> String {
    let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
    let mut w: Vec<char> = word.chars().collect();
    let ends = |w: &[char], suffix: &str| {
        let s: Vec<char> = suffix.chars().collect();
        w.len() >= s.len() && w[w.len() - s.len()..] == s[..]
    };
    match primary.as_str() {
        "fr" => {
            // `chevaux` is `cheval`, but `bateaux` is `bateau`.
            if w.len() > 5 && ends(&w, "aux") && !ends(&w, "eaux") {
                w.truncate(w.len() - 3);
                w.extend(['a', 'l']);
            } else if w.len() > 3 && (ends(&w, "s") || ends(&w, "x")) {
                w.pop();
            }
            if w.len() > 3 && ends(&w, "e") {
                w.pop();
            }
        }
        "en" => {
            if w.len() > 4 && ends(&w, "ies") && !ends(&w, "eies") && !ends(&w, "aies") {
                w.truncate(w.len() - 3);
                w.push('y');
            } else if w.len() > 3 && ends(&w, "s") && !ends(&w, "us") && !ends(&w, "ss") {
                w.pop();
            }
            if w.len() > 5 && ends(&w, "ing") {
                w.truncate(w.len() - 3);
            } else if w.len() > 4 && ends(&w, "ed") {
                w.truncate(w.len() - 2);
            }
            if w.len() > 3 && ends(&w, "e") {
                w.pop();
            }
        }
        _ => {}
    }
    w.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_elisions_and_possessives() {
        assert_eq!(
            words("L’audit d'un cœur ÉCRIRE, Camille's post: a 42"),
            ["audit", "un", "coeur", "ecrire", "camille", "post", "42"]
        );
        assert_eq!(words("aujourd'hui"), ["aujourdhui"]);
    }

    /// The table the search page's script is tested against too.
    #[test]
    fn agrees_with_the_shared_table_of_cases() {
        let table: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../tests/search_cases.json"))
                .expect("the table is JSON");
        assert!(table.len() >= 20);
        for case in table {
            let (text, lang) = (
                case["text"].as_str().unwrap(),
                case["lang"].as_str().unwrap(),
            );
            let stems: Vec<String> = words(text).iter().map(|w| stem(w, lang)).collect();
            let expected: Vec<&str> = case["stems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            assert_eq!(stems, expected, "{text} ({lang})");
        }
    }

    #[test]
    fn stems_plurals_and_inflections() {
        assert_eq!(stem("communautes", "fr"), stem("communaute", "fr"));
        assert_eq!(stem("journaux", "fr"), "journal");
        assert_eq!(stem("writing", "en"), "writ");
        assert_eq!(stem("write", "en"), "writ");
        assert_eq!(stem("stories", "en"), "story");
        assert_eq!(stem("houses", "de"), "houses");
    }
}
