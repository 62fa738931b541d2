//! Term names as the new site writes them: two terms of one taxonomy that the old site kept
//! apart (`C` and `C++`) but whose names make one address on the new one (`/tags/c/`) would
//! stop the build, so one of them is spelled out.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::load::corpus::respelling;
use crate::load::post::term_word;
use crate::slug::slugify;

/// The new spelling of each term name that needs one, by taxonomy key and name.
#[derive(Debug, Default)]
pub(crate) struct Respelled(HashMap<(String, String), String>);

impl Respelled {
    /// Finds the names among `terms` (taxonomy key, name) that share an address with another
    /// term of their taxonomy. Names Tribune reads as one term (`Rust`, `rust`) stay as they
    /// are; of the others, the first in name order keeps its spelling and each next one has
    /// its signs spelled out (`C++` as `C-plus-plus`), else a number after it.
    pub(crate) fn of<'a>(terms: impl IntoIterator<Item = (&'a str, &'a str)>) -> Respelled {
        let mut by_page: BTreeMap<(&str, String), BTreeMap<String, BTreeSet<&str>>> =
            BTreeMap::new();
        for (key, name) in terms {
            by_page
                .entry((key, slugify(name)))
                .or_default()
                .entry(term_word(name))
                .or_default()
                .insert(name);
        }
        let mut taken: HashSet<(&str, String)> = by_page.keys().cloned().collect();
        let mut respelled = HashMap::new();
        for ((key, slug), words) in &by_page {
            for names in words.values().skip(1) {
                let first = names.first().copied().unwrap_or_default();
                let mut spelled = respelling(first, slug).unwrap_or_else(|| first.to_string());
                let mut n = 2;
                while !taken.insert((*key, slugify(&spelled))) {
                    spelled = format!("{first} {n}");
                    n += 1;
                }
                for name in names {
                    respelled.insert((key.to_string(), name.to_string()), spelled.clone());
                }
            }
        }
        Respelled(respelled)
    }

    /// How the new site writes the term `name` of the taxonomy `key`.
    pub(crate) fn name<'n>(&'n self, key: &str, name: &'n str) -> &'n str {
        self.0
            .get(&(key.to_string(), name.to_string()))
            .map_or(name, String::as_str)
    }

    /// Each respelled name and its new spelling, in name order, for the import's report.
    pub(crate) fn changes(&self) -> Vec<String> {
        let mut changes: Vec<String> = self
            .0
            .iter()
            .map(|((key, name), new)| format!("{key}: `{name}` is written `{new}`"))
            .collect();
        changes.sort();
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::Respelled;

    #[test]
    fn terms_that_would_share_a_page_are_told_apart() {
        let terms = [
            ("tags", "C"),
            ("tags", "C++"),
            ("tags", "C#"),
            ("tags", "c"),
            ("tags", "Rust"),
            ("tags", "rust"),
            ("themes", "C++"),
            ("tags", "a!"),
            ("tags", "a?"),
        ];
        let respelled = Respelled::of(terms);
        assert_eq!(respelled.name("tags", "C"), "C");
        assert_eq!(respelled.name("tags", "c"), "c");
        assert_eq!(respelled.name("tags", "C#"), "C-sharp");
        assert_eq!(respelled.name("tags", "C++"), "C-plus-plus");
        assert_eq!(respelled.name("tags", "Rust"), "Rust");
        assert_eq!(respelled.name("themes", "C++"), "C++");
        assert_eq!(respelled.name("tags", "a!"), "a!");
        assert_eq!(respelled.name("tags", "a?"), "a? 2");
        assert_eq!(respelled.changes().len(), 3);
    }
}
