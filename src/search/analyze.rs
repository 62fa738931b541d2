//! Text as the search index and the search page's script both see it: folded words and their
//! stems. The script (`search.js` of the default theme) does exactly the same, step by step, so
//! a reader's query meets the words of the index; both are checked against one table of cases.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// French elisions: `l'audit` is indexed as `audit`.
const ELISIONS: [&str; 13] = [
    "l", "d", "j", "m", "t", "n", "s", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// The words of `text`, folded: lower case, without accents, French elisions and English
/// possessives removed; words of one character are left out.
#[cfg(test)]
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, |word| out.push(word.to_string()));
    out
}

/// Calls `found` with each word of `text`, as [`words`] gives them, without making a string
/// for each: an index reads millions of words.
pub(crate) fn each_word(text: &str, found: impl FnMut(&str)) {
    let mut words = Words::new(found);
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        at = words.take(text, at);
    }
    words.end();
}

/// Calls `found` with each word of the text of rendered `html`: as [`each_word`] on its text,
/// tags and the entities escaping writes separating words, read in one pass.
pub(crate) fn each_word_of_html(html: &str, found: impl FnMut(&str)) {
    let mut words = Words::new(found);
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'<' => {
                let end =
                    memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |end| at + end + 1);
                if separates(&bytes[at..end]) {
                    words.end();
                }
                at = end;
            }
            b'&' if html[at..].starts_with("&#39;") => {
                words.run.push('\'');
                words.quote = true;
                at += 5;
            }
            b'&' => {
                words.end();
                let rest = &html[at..];
                at += ["&lt;", "&gt;", "&quot;", "&nbsp;", "&amp;"]
                    .iter()
                    .find(|entity| rest.starts_with(**entity))
                    .map_or(1, |entity| entity.len());
            }
            _ => at = words.take(html, at),
        }
    }
    words.end();
}

/// Whether an HTML tag (`<p>`, `</em>`) separates the text around it, as a block's edges and
/// line breaks do; an inline element (`<em>`, `<a>`) does not: `<em>auto</em>nomie` is one
/// word, and no space comes before the comma of `<a>lien</a>,`.
pub(crate) fn separates(tag: &[u8]) -> bool {
    let name = tag.strip_prefix(b"<").unwrap_or(tag);
    let name = name.strip_prefix(b"/").unwrap_or(name);
    let end = name
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    !crate::html::is_inline(&name[..end])
}

/// Unicode's General Punctuation block (spaces, dashes, quotes, the ellipsis): none of its
/// characters is a letter or a digit, so each ends a word, but for the apostrophe `’`.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206f}';

/// [`ASCII_CLASS`] of a byte that is no ASCII letter or digit.
const OTHER: u8 = 0;
/// [`ASCII_CLASS`] of a lower-case ASCII letter or a digit: as a word has it.
const LOWER: u8 = 1;
/// [`ASCII_CLASS`] of an upper-case ASCII letter.
const UPPER: u8 = 2;
/// The class of each byte, looked up once per byte rather than tested in ranges: a text's
/// bytes are the index's most frequent step.
const ASCII_CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            class[b] = LOWER;
        } else if c.is_ascii_uppercase() {
            class[b] = UPPER;
        }
        b += 1;
    }
    class
};

/// Words being read: the current run of letters, digits and apostrophes, and where each
/// finished word goes.
struct Words<F> {
    /// The run so far, folded.
    run: String,
    /// Whether it holds an apostrophe: most words have none, and need no more work.
    quote: bool,
    /// Called with each word.
    found: F,
}

impl<F: FnMut(&str)> Words<F> {
    fn new(found: F) -> Self {
        Words {
            run: String::new(),
            quote: false,
            found,
        }
    }

    /// Reads the character of `text` at byte `at`; returns where the next one starts.
    fn take(&mut self, text: &str, at: usize) -> usize {
        let b = text.as_bytes()[at];
        // Most text is ASCII: it needs neither decomposition nor the Unicode tables.
        if b.is_ascii() {
            if ASCII_CLASS[usize::from(b)] != OTHER {
                return self.take_ascii(text, at);
            } else if b == b'\'' {
                self.run.push('\'');
                self.quote = true;
            } else {
                self.end();
            }
            return at + 1;
        }
        let c = text[at..].chars().next().unwrap_or(' ');
        // French text has a typographic apostrophe every few words (`l’été`), and quotes,
        // dashes and ellipses often: they skip the Unicode tables.
        if c == '’' {
            self.run.push('\'');
            self.quote = true;
            return at + c.len_utf8();
        }
        if GENERAL_PUNCTUATION.contains(&c) {
            self.end();
            return at + c.len_utf8();
        }
        match latin().get((c as usize).wrapping_sub(0x80)) {
            Some(Latin::Letters(folded)) => self.run.push_str(folded),
            Some(Latin::Ends) => self.end(),
            _ => self.fold(c),
        }
        at + c.len_utf8()
    }

    /// Reads the ASCII letters and digits from byte `at` at once, most words' whole text: a
    /// word that ends there is found as it stands, without being copied, when it has no
    /// capital.
    fn take_ascii(&mut self, text: &str, at: usize) -> usize {
        let bytes = text.as_bytes();
        let mut end = at;
        let mut capital = false;
        while let Some(&b) = bytes.get(end) {
            match ASCII_CLASS[usize::from(b)] {
                LOWER => {}
                UPPER => capital = true,
                _ => break,
            }
            end += 1;
        }
        let segment = &text[at..end];
        // What follows may go on with the word: an apostrophe, an accented letter, an inline
        // tag or an entity.
        let ends = bytes
            .get(end)
            .is_none_or(|&b| b.is_ascii() && !matches!(b, b'\'' | b'<' | b'&'));
        if ends && self.run.is_empty() && !capital {
            if segment.len() > 1 {
                (self.found)(segment);
            }
            // The space after a word, the most frequent byte, needs nothing more.
            if bytes.get(end) == Some(&b' ') {
                return end + 1;
            }
        } else {
            let from = self.run.len();
            self.run.push_str(segment);
            if capital {
                self.run[from..].make_ascii_lowercase();
            }
            if ends {
                self.end();
            }
        }
        end
    }

    /// Folds one character that is not ASCII into the run.
    fn fold(&mut self, c: char) {
        for lower in c.to_lowercase() {
            for c in std::iter::once(lower).nfd() {
                match c {
                    c if is_combining_mark(c) => {}
                    'œ' => self.run.push_str("oe"),
                    'æ' => self.run.push_str("ae"),
                    'ß' => self.run.push_str("ss"),
                    // The script lowers a whole text at once, which writes a final sigma.
                    'ς' => self.run.push('σ'),
                    '’' | 'ʼ' => {
                        self.run.push('\'');
                        self.quote = true;
                    }
                    c if is_word_char(c) => self.run.push(c),
                    _ => self.end(),
                }
            }
        }
    }

    /// Ends the current run: its word, if it makes one, is found.
    fn end(&mut self) {
        if self.run.is_empty() {
            return;
        }
        if !self.quote {
            if self.run.len() > 1 && self.run.chars().nth(1).is_some() {
                (self.found)(&self.run);
            }
        } else if let Some(word) = clean(&self.run) {
            (self.found)(&word);
        }
        self.run.clear();
        self.quote = false;
    }
}

/// What folding a character from U+0080 to U+024F does, made once by [`Words::fold`]
/// itself: the decomposition tables are then read once per character, not once per
/// occurrence.
enum Latin {
    /// It folds to these letters only (most accented letters of European languages).
    Letters(Box<str>),
    /// It ends the word, as a no-break space or `«` does.
    Ends,
    /// Anything else: it is folded as it comes.
    Other,
}

/// [`Latin`] of each character from U+0080 to U+024F.
fn latin() -> &'static [Latin] {
    static TABLE: std::sync::OnceLock<Vec<Latin>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80..0x250_u32)
            .map(|code| {
                let Some(c) = char::from_u32(code) else {
                    return Latin::Other;
                };
                let mut words = Words::new(|_: &str| {});
                words.fold(c);
                if !words.run.is_empty() && !words.quote && words.run.chars().all(is_word_char) {
                    return Latin::Letters(words.run.clone().into_boxed_str());
                }
                // A word before it is found and nothing is left of it.
                let mut ended = 0;
                let mut words = Words::new(|_: &str| ended += 1);
                words.run.push_str("ab");
                words.fold(c);
                let left = words.run.is_empty() && !words.quote;
                if ended == 1 && left {
                    Latin::Ends
                } else {
                    Latin::Other
                }
            })
            .collect()
    })
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
fn clean(run: &str) -> Option<Cow<'_, str>> {
    let mut word = run.trim_matches('\'');
    if let Some((head, rest)) = word.split_once('\'')
        && ELISIONS.contains(&head)
        && !rest.is_empty()
    {
        word = rest;
    }
    word = word.strip_suffix("'s").unwrap_or(word);
    let word = if word.contains('\'') {
        Cow::Owned(word.chars().filter(|&c| c != '\'').collect())
    } else {
        Cow::Borrowed(word)
    };
    word.chars().nth(1).is_some().then_some(word)
}

/// The stem of a folded `word` in `lang`: see [`Stemmer`].
#[cfg(test)]
pub(crate) fn stem<'w>(word: &'w str, lang: &str) -> Cow<'w, str> {
    Stemmer::of(lang).stem(word)
}

/// How words of one language lose their plurals and simplest inflections, so `communautes`
/// meets `communauté`: chosen once per text rather than once per word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stemmer {
    /// French.
    French,
    /// English.
    English,
    /// Any other language: words are kept as they are.
    None,
}

impl Stemmer {
    /// The stemmer of a language tag (`fr`, `en-GB`).
    pub(crate) fn of(lang: &str) -> Stemmer {
        let primary = lang.split('-').next().unwrap_or(lang);
        if primary.eq_ignore_ascii_case("fr") {
            Stemmer::French
        } else if primary.eq_ignore_ascii_case("en") {
            Stemmer::English
        } else {
            Stemmer::None
        }
    }

    /// The stem of a folded `word`. Every rule cuts an ASCII ending, so lengths are counted
    /// once and moved with the cuts.
    pub(crate) fn stem(self, word: &str) -> Cow<'_, str> {
        // Every rule looks at the last letter first: most words end in none of these.
        let last = word.as_bytes().last().copied().unwrap_or(0);
        let ruled = match self {
            Stemmer::French => matches!(last, b's' | b'x' | b'e'),
            Stemmer::English => matches!(last, b's' | b'g' | b'd' | b'e'),
            Stemmer::None => false,
        };
        if !ruled {
            return Cow::Borrowed(word);
        }
        let french = self == Stemmer::French;
        let mut w: &str = word;
        let mut len = if word.is_ascii() {
            word.len()
        } else {
            word.chars().count()
        };
        let mut added: Option<&'static str> = None;
        let cut = |w: &mut &str, len: &mut usize, n: usize| {
            *w = &w[..w.len() - n];
            *len -= n;
        };
        if french {
            if len > 5 && w.ends_with("aux") && !w.ends_with("eaux") {
                cut(&mut w, &mut len, 3);
                added = Some("al");
                len += 2;
            } else if len > 3 && (w.ends_with('s') || w.ends_with('x')) {
                cut(&mut w, &mut len, 1);
            }
            if added.is_none() && len > 3 && w.ends_with('e') {
                cut(&mut w, &mut len, 1);
            }
        } else {
            if len > 4 && w.ends_with("ies") && !w.ends_with("eies") && !w.ends_with("aies") {
                cut(&mut w, &mut len, 3);
                added = Some("y");
                len += 1;
            } else if len > 3 && w.ends_with('s') && !w.ends_with("us") && !w.ends_with("ss") {
                cut(&mut w, &mut len, 1);
            }
            if added.is_none() {
                if len > 5 && w.ends_with("ing") {
                    cut(&mut w, &mut len, 3);
                } else if len > 4 && w.ends_with("ed") {
                    cut(&mut w, &mut len, 2);
                }
                if len > 3 && w.ends_with('e') {
                    cut(&mut w, &mut len, 1);
                }
            }
        }
        match added {
            Some(ending) => Cow::Owned(format!("{w}{ending}")),
            None => Cow::Borrowed(w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inline elements join the text around them, in any case and with attributes; the others,
    /// and names that only begin like an inline one, separate it.
    #[test]
    fn only_inline_tags_join_words() {
        for tag in [
            "<em>",
            "</EM>",
            "<strong class=\"x\">",
            "<a href=\"/\">",
            "</a>",
            "<wbr/>",
        ] {
            assert!(!separates(tag.as_bytes()), "{tag}");
        }
        for tag in [
            "<p>",
            "</P>",
            "<br>",
            "<strongest>",
            "<abbreviation>",
            "<div id=a>",
            "<!-- -->",
            "<>",
        ] {
            assert!(separates(tag.as_bytes()), "{tag}");
        }
    }

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
            let stems: Vec<String> = words(text)
                .iter()
                .map(|w| stem(w, lang).into_owned())
                .collect();
            let expected: Vec<&str> = case["stems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            assert_eq!(stems, expected, "{text} ({lang})");
        }
    }

    /// The rules of `words` read literally, a whole text at a time, as the script does.
    fn words_as_specified(text: &str) -> Vec<String> {
        let folded: String = text
            .to_lowercase()
            .nfd()
            .filter(|&c| !is_combining_mark(c))
            .collect::<String>()
            .replace('œ', "oe")
            .replace('æ', "ae")
            .replace('ß', "ss")
            .replace('ς', "σ")
            .replace(['’', 'ʼ'], "'");
        folded
            .split(|c: char| !(is_word_char(c) || c == '\''))
            .filter_map(|run| clean(run).map(|w| w.into_owned()))
            .collect()
    }

    /// The shortcuts taken for ASCII runs and accented Latin letters give the words the rules
    /// give, on texts mixing everything they treat apart.
    #[test]
    fn shortcuts_give_the_specified_words() {
        let pieces = [
            "a", "Z", "q", "7", "'", "’", " ", ",", "-", "é", "É", "Œ", "ß", "ñ", "İ", "Σ", "ς",
            "Ω", "ǅ", "\u{a0}", "\u{301}", "ﬁ", "l'", "qu’", "'s", "漢", "🙂", "<", "&", "«", "…",
            "—", "‘", "\u{200b}", "\u{203f}",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(words(&text), words_as_specified(&text), "{text:?}");
        }
    }

    /// Each character the shortcuts know, from accented letters to the General Punctuation
    /// block, inside and between words.
    #[test]
    fn every_shortcut_character_gives_the_specified_words() {
        let known = (0x80..0x250)
            .chain(0x2000..0x2070)
            .filter_map(char::from_u32);
        for c in known {
            for text in [format!("ab{c}cd"), format!("l{c}été {c}Ab")] {
                assert_eq!(words(&text), words_as_specified(&text), "{text:?}");
            }
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
