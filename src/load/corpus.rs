//! Every valid post and page of the site, sorted, with no two on one URL.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{self, Diagnostic, Errors, Result};
use crate::hash::{BuildQuick, QuickMap, QuickSet};
use crate::load::config::Config;
use crate::load::post::{self, Post};
use crate::load::source::{Asset, Content, SourceKind};

/// All content, whatever its status, validated as a whole.
#[derive(Debug)]
pub(crate) struct Corpus {
    /// Posts, newest first (then by source path, so order never depends on the file system).
    pub(crate) posts: Vec<Arc<Post>>,
    /// Standalone pages, by path.
    pub(crate) pages: Vec<Arc<Post>>,
    /// Files copied as they are.
    pub(crate) assets: Vec<Asset>,
    /// Comments files beside no post.
    pub(crate) stray_comments: Vec<PathBuf>,
}

impl Corpus {
    /// Reads the site's `content/` folder and parses it.
    pub(crate) fn read(config: &Config) -> Result<Corpus> {
        Corpus::build(crate::load::source::load(&config.root)?, config)
    }

    /// Parses every file, then checks what only the whole can tell: URL collisions.
    pub(crate) fn build(content: Content, config: &Config) -> Result<Corpus> {
        // Each file's text is dropped once parsed, so that texts and posts are not all held
        // at once: at 100,000 posts that peak was 1.7 GB.
        let parsed = content
            .files
            .into_par_iter()
            .map(|f| post::parse(&f, config))
            .collect::<Vec<_>>();
        let all = error::collect(parsed)?;
        let mut corpus =
            Corpus::from_posts(all.into_iter().map(Arc::new).collect(), content.assets)?;
        corpus.stray_comments = content.stray_comments;
        Ok(corpus)
    }

    /// Sorts parsed posts and pages and checks what only the whole can tell: URL collisions,
    /// of pages and of terms.
    pub(crate) fn from_posts(all: Vec<Arc<Post>>, assets: Vec<Asset>) -> Result<Corpus> {
        // Three walks of every post, each on its own core when one is free: the preview makes
        // them on every save.
        let (collisions, (terms, translations)) = rayon::join(
            || check_collisions(&all),
            || rayon::join(|| check_terms(&all), || check_translations(&all)),
        );
        error::collect([collisions, terms, translations])?;
        let (mut posts, mut pages): (Vec<_>, Vec<_>) =
            all.into_iter().partition(|p| p.kind == SourceKind::Post);
        posts.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.source.cmp(&b.source)));
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Corpus {
            posts,
            pages,
            assets,
            stray_comments: Vec::new(),
        })
    }
}

impl Corpus {
    /// Every post and page by its site path.
    pub(crate) fn by_path(&self) -> QuickMap<&str, &Post> {
        self.posts
            .iter()
            .chain(&self.pages)
            .map(|p| (p.path.as_str(), &**p))
            .collect()
    }
}

/// Two posts (or pages) given as one post's version in one language are an error naming
/// both: `x.md` with `lang = "en"` beside `x.en.md`, or one `translation_key` written twice.
fn check_translations(all: &[Arc<Post>]) -> Result<()> {
    let mut seen: QuickMap<(usize, &str, SourceKind), &Post> =
        QuickMap::with_capacity_and_hasher(all.len(), BuildQuick);
    let mut problems = Vec::new();
    for post in all {
        let key = (post.edition, post.translation_key.as_str(), post.kind);
        if let Some(first) = seen.insert(key, post) {
            let (first, second) = if first.source < post.source {
                (first, &**post)
            } else {
                (&**post, first)
            };
            let lang = second.lang.as_deref().unwrap_or("the default language");
            problems.push(
                Diagnostic::input(format!(
                    "{} and {} are both the {lang} version of one {}",
                    first.source.display(),
                    second.source.display(),
                    if post.kind == SourceKind::Post {
                        "post"
                    } else {
                        "page"
                    },
                ))
                .at(&second.source)
                .hint(
                    "give each translation its own language (its file name or `lang`), or a \
                     `translation_key` of its own",
                ),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Errors(problems))
    }
}

/// Where a term is given: its name, and the files and lines of the posts that give it.
struct TermUses<'a> {
    /// The name as first written.
    name: &'a str,
    /// What every spelling of it has in common (see [`post::term_word`]).
    word: String,
    /// Each post giving it, with the line.
    at: Vec<(&'a std::path::Path, usize)>,
}

/// How many of a term's uses a message names.
const USES_NAMED: usize = 2;

/// Two names of one taxonomy that would share a term page (`C#` and `C++` both make
/// `/tags/c/`) are an error naming both and where each is used; the second would vanish into
/// the first. Spellings of one name (`Rust`, `rust`) are one term.
fn check_terms(all: &[Arc<Post>]) -> Result<()> {
    // Thousands of posts share a few dozen names: the names of each language's taxonomies
    // are gathered in one walk, each is slugged once, and only the pages two words share are
    // looked at again, with their places (this runs on every save in the preview).
    let mut names_of: Vec<((usize, &str), QuickSet<&str>)> = Vec::new();
    for post in all.iter().filter(|p| p.kind == SourceKind::Post) {
        for (key, names) in &post.taxonomies {
            let group = (post.edition, key.as_str());
            let at = match names_of.iter().position(|(g, _)| *g == group) {
                Some(at) => at,
                None => {
                    names_of.push((group, QuickSet::default()));
                    names_of.len() - 1
                }
            };
            names_of[at].1.extend(names.iter().map(String::as_str));
        }
    }
    let mut slugs: QuickMap<&str, (String, String)> = QuickMap::default();
    for name in names_of.iter().flat_map(|(_, names)| names) {
        slugs
            .entry(name)
            .or_insert_with(|| (crate::slug::slugify(name), post::term_word(name)));
    }
    // Each language has its own term pages.
    let mut words_of_page: QuickMap<(usize, &str, &str), Vec<&str>> = QuickMap::default();
    for ((edition, key), names) in &names_of {
        for name in names {
            let (slug, word) = &slugs[name];
            let words = words_of_page.entry((*edition, key, slug)).or_default();
            if !words.contains(&word.as_str()) {
                words.push(word);
            }
        }
    }
    if words_of_page.values().all(|words| words.len() < 2) {
        return Ok(());
    }
    let mut by_page: BTreeMap<(usize, &str, String), Vec<TermUses<'_>>> = BTreeMap::new();
    let mut posts: Vec<&Post> = all
        .iter()
        .map(|p| &**p)
        .filter(|p| p.kind == SourceKind::Post)
        .collect();
    posts.sort_by(|a, b| a.source.cmp(&b.source));
    for post in posts {
        for (key, name, line) in post.terms() {
            let (slug, word) = &slugs[name];
            if words_of_page[&(post.edition, key, slug.as_str())].len() < 2 {
                continue;
            }
            let words = by_page
                .entry((post.edition, key, slug.clone()))
                .or_default();
            match words.iter_mut().find(|w| w.word == *word) {
                Some(uses) => uses.at.push((&post.source, line)),
                None => words.push(TermUses {
                    name,
                    word: word.clone(),
                    at: vec![(&post.source, line)],
                }),
            }
        }
    }
    let problems: Vec<Diagnostic> = by_page
        .iter()
        .filter(|(_, words)| words.len() > 1)
        .flat_map(|((_, key, slug), words)| {
            let first = &words[0];
            words[1..].iter().map(move |other| {
                let (file, line) = other.at[0];
                Diagnostic::input(format!(
                    "the {key} `{}` and `{}` both make the page /{key}/{slug}/: `{}` is given in {}, `{}` in {}",
                    first.name,
                    other.name,
                    first.name,
                    places(&first.at),
                    other.name,
                    places(&other.at),
                ))
                .at(file)
                .line(line)
                .hint(match respelling(other.name, slug) {
                    Some(name) => format!(
                        "only letters and digits make a term's address: name one of them \
                         otherwise (`{name}`, say), or write both the same way"
                    ),
                    None => "only letters and digits make a term's address: name one of them \
                             otherwise, or write both the same way"
                        .to_string(),
                })
            })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Errors(problems))
    }
}

/// `name` with the signs that make no address spelled out (`C#` as `C-sharp`), when that
/// gives it an address other than `slug`.
pub(crate) fn respelling(name: &str, slug: &str) -> Option<String> {
    let spelled = name
        .replace('#', "-sharp")
        .replace('+', "-plus")
        .replace('&', " and ");
    let spelled = spelled.split_whitespace().collect::<Vec<_>>().join(" ");
    (crate::slug::slugify(&spelled) != slug).then_some(spelled)
}

/// "content/posts/a.md:4, content/posts/b.md:2 and 3 more".
fn places(at: &[(&std::path::Path, usize)]) -> String {
    let named: Vec<String> = at
        .iter()
        .take(USES_NAMED)
        .map(|(file, line)| format!("{}:{line}", file.display()))
        .collect();
    match at.len().saturating_sub(USES_NAMED) {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}

/// Two pages on one URL (a page's own or an alias) is an error naming every file involved.
fn check_collisions(all: &[Arc<Post>]) -> Result<()> {
    // The common case, no clash, is told without building the messages.
    let mut seen: QuickSet<&str> = QuickSet::with_capacity_and_hasher(all.len(), BuildQuick);
    let clash = all
        .iter()
        .flat_map(|p| {
            std::iter::once(&p.path)
                .chain(&p.aliases)
                .chain(&p.query_aliases)
        })
        .any(|path| !seen.insert(path));
    if !clash {
        return Ok(());
    }
    let mut owners: BTreeMap<&str, Vec<(PathBuf, bool)>> = BTreeMap::new();
    for p in all {
        owners
            .entry(p.path.as_str())
            .or_default()
            .push((p.source.clone(), false));
        for alias in p.aliases.iter().chain(&p.query_aliases) {
            owners
                .entry(alias.as_str())
                .or_default()
                .push((p.source.clone(), true));
        }
    }
    let problems: Vec<Diagnostic> = owners
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(path, files)| {
            let list = files
                .iter()
                .map(|(f, alias)| {
                    format!("{}{}", f.display(), if *alias { " (alias)" } else { "" })
                })
                .collect::<Vec<_>>()
                .join(", ");
            Diagnostic::input(format!(
                "{} files want the URL /{path}: {list}",
                files.len()
            ))
            .at(&files[0].0)
            .hint("give one of them another `slug`, or remove the alias")
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Errors(problems))
    }
}
