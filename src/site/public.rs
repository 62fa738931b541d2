//! The public view of the corpus for one build: renderers receive only this, so drafts and
//! posts not yet due cannot reach a page, a feed or the sitemap.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chrono::Datelike;
use rayon::prelude::*;

use crate::clock::Clock;
use crate::hash::{QuickMap, QuickSet};
use crate::load::config::Config;
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::load::source::Asset;
use crate::site::taxonomy::{Taxonomy, Term};

/// What goes into the public view besides published posts.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Visibility {
    /// Include drafts (`--drafts`).
    pub(crate) drafts: bool,
    /// Include posts dated after now (`--future`).
    pub(crate) future: bool,
    /// Include posts past their `expires` time (`--expired`).
    pub(crate) expired: bool,
}

impl Visibility {
    /// Whether a post with these dates is public in this build.
    pub(crate) fn shows(self, post: &Post, now: chrono::DateTime<chrono::Utc>) -> bool {
        (self.drafts || !post.draft)
            && (self.future || post.date.is_none_or(|d| d <= now))
            && (self.expired || post.expires.is_none_or(|e| e > now))
    }
}

/// Where an asset is copied to.
#[derive(Debug, Clone)]
pub(crate) struct PlacedAsset<'a> {
    /// The file.
    pub(crate) asset: &'a Asset,
    /// Output site path.
    pub(crate) path: String,
}

/// Everything public in this build.
#[derive(Debug)]
pub(crate) struct Site<'a> {
    /// The configuration.
    pub(crate) config: &'a Config,
    /// The build clock.
    pub(crate) clock: Clock,
    /// Public posts of every language, newest first.
    pub(crate) posts: Vec<&'a Post>,
    /// Public standalone pages of every language.
    pub(crate) pages: Vec<&'a Post>,
    /// What each language publishes, in the order of the configuration's languages (one for
    /// a site without `[languages]`).
    pub(crate) editions: Vec<Edition>,
    /// For each post, up to three others that share the most terms, newest first on ties.
    pub(crate) related: Related,
    /// Files to copy: loose content files and the bundles of public posts.
    pub(crate) assets: Vec<PlacedAsset<'a>>,
    /// Every public post and page by its translation key, with its versions in each language.
    versions: QuickMap<&'a str, Vec<Version<'a>>>,
}

/// One language version of a post or page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Version<'a> {
    /// Index into the site's editions.
    pub(crate) edition: usize,
    /// The post or page.
    pub(crate) post: &'a Post,
}

/// What one language of the site publishes: its home, listings, taxonomies and archive.
#[derive(Debug)]
pub(crate) struct Edition {
    /// Site path of its home: `""` or `en/`.
    pub(crate) prefix: String,
    /// Its language code.
    pub(crate) lang: String,
    /// Its posts, newest first, as indexes into the site's posts: its own, and the originals
    /// of posts not translated into it when the site shows them.
    pub(crate) posts: Vec<usize>,
    /// The home listing's order, as indexes into the site's posts: sticky posts first (newest
    /// first), then the others, newest first.
    pub(crate) home: Vec<usize>,
    /// Its standalone pages, as indexes into the site's pages.
    pub(crate) pages: Vec<usize>,
    /// One index per declared taxonomy, in declaration order, of its own posts.
    pub(crate) taxonomies: Vec<Taxonomy>,
    /// Curated link posts, as indexes into the site's posts.
    pub(crate) links: Vec<usize>,
    /// Years with posts, newest first, each with indexes into the site's posts.
    pub(crate) years: Vec<(i32, Vec<usize>)>,
    /// The posts its search index finds, oldest first (empty without search): a new post
    /// takes the next number, so the others keep theirs.
    pub(crate) search: Vec<usize>,
}

impl<'a> Site<'a> {
    /// Selects what is public at `clock`'s time.
    pub(crate) fn new(
        corpus: &'a Corpus,
        config: &'a Config,
        clock: Clock,
        visibility: Visibility,
    ) -> Site<'a> {
        Site::reusing(corpus, config, clock, visibility, None)
    }

    /// The same, taking the related posts from `known_related` when the posts' terms are the
    /// same as when it was made.
    pub(crate) fn reusing(
        corpus: &'a Corpus,
        config: &'a Config,
        clock: Clock,
        visibility: Visibility,
        known_related: Option<&Related>,
    ) -> Site<'a> {
        let is_public = |p: &&Post| visibility.shows(p, clock.now());
        let posts: Vec<&Post> = corpus
            .posts
            .iter()
            .map(|p| &**p)
            .filter(is_public)
            .collect();
        let pages: Vec<&Post> = corpus
            .pages
            .iter()
            .map(|p| &**p)
            .filter(is_public)
            .collect();
        let mut versions: QuickMap<&str, Vec<Version>> = QuickMap::default();
        if config.multilingual {
            for &post in posts.iter().chain(&pages) {
                let list = versions.entry(post.translation_key.as_str()).or_default();
                // Two versions in one language: the newer is the translation; the corpus
                // check reports the other.
                if !list.iter().any(|v| v.edition == post.edition) {
                    list.push(Version {
                        edition: post.edition,
                        post,
                    });
                }
            }
            for list in versions.values_mut() {
                list.sort_by_key(|v| v.edition);
            }
        }
        let editions: Vec<Edition> = config
            .languages
            .iter()
            .enumerate()
            .map(|(e, language)| Edition::of(e, language, &posts, &pages, &versions, config))
            .collect();
        let all_taxonomies: Vec<&Taxonomy> = editions.iter().flat_map(|e| &e.taxonomies).collect();
        let related = Related::of(&posts, &all_taxonomies, known_related);

        // A bundle's files follow its post: out of the build when the post is, beside its page
        // (whatever the permalink) when it is in, and beside each of its translations' pages.
        // By address: hashing thousands of paths component by component costs milliseconds.
        let public: QuickSet<*const Post> = posts
            .iter()
            .chain(&pages)
            .map(|&p| p as *const Post)
            .collect();
        let mut bundles: QuickMap<&str, Vec<&str>> = QuickMap::default();
        for p in corpus.posts.iter().chain(&corpus.pages) {
            let Some(dir) = p.bundle_dir.as_deref() else {
                continue;
            };
            let pages = bundles.entry(dir).or_default();
            if public.contains(&(&**p as *const Post)) {
                pages.push(p.path.as_str());
            }
        }
        let assets = corpus
            .assets
            .iter()
            .flat_map(|asset| {
                let folders = asset
                    .content_path
                    .match_indices('/')
                    .map(|(i, _)| &asset.content_path[..=i]);
                let placed: Vec<PlacedAsset> = match folders
                    .into_iter()
                    .find_map(|dir| bundles.get(dir).map(|pages| (dir, pages)))
                {
                    Some((dir, pages)) => pages
                        .iter()
                        .map(|page| PlacedAsset {
                            asset,
                            path: format!("{page}{}", &asset.content_path[dir.len()..]),
                        })
                        .collect(),
                    None => vec![PlacedAsset {
                        asset,
                        path: asset.content_path.clone(),
                    }],
                };
                placed
            })
            .collect();

        Site {
            config,
            clock,
            posts,
            pages,
            editions,
            related,
            assets,
            versions,
        }
    }

    /// The site paths of every public post and page.
    pub(crate) fn paths(&self) -> QuickSet<&str> {
        self.posts
            .iter()
            .chain(&self.pages)
            .map(|p| p.path.as_str())
            .collect()
    }

    /// The public versions of `post` in every language, itself included, in the order of the
    /// site's languages; empty on a site without `[languages]`.
    pub(crate) fn versions(&self, post: &Post) -> &[Version<'a>] {
        self.versions
            .get(post.translation_key.as_str())
            .map_or(&[], Vec::as_slice)
    }
}

impl Edition {
    /// What the `e`th language publishes.
    fn of(
        e: usize,
        language: &crate::load::config::Language,
        posts: &[&Post],
        pages: &[&Post],
        versions: &QuickMap<&str, Vec<Version>>,
        config: &Config,
    ) -> Edition {
        // An original is shown to readers of a language it was not translated into when the
        // site says so; its own page stays the only one.
        let shown_untranslated = |p: &Post| {
            e != 0
                && p.edition == 0
                && config.missing_translations == crate::load::config::Missing::Original
                && !versions
                    .get(p.translation_key.as_str())
                    .is_some_and(|list| list.iter().any(|v| v.edition == e))
        };
        let own: Vec<usize> = (0..posts.len())
            .filter(|&i| posts[i].edition == e)
            .collect();
        let listed: Vec<usize> = (0..posts.len())
            .filter(|&i| posts[i].edition == e || shown_untranslated(posts[i]))
            .collect();
        let own_posts: Vec<&Post> = own.iter().map(|&i| posts[i]).collect();
        let taxonomies: Vec<Taxonomy> = config
            .taxonomies
            .par_iter()
            .map(|key| {
                let mut taxonomy = Taxonomy::index(key, &own_posts);
                taxonomy.prefix = language.prefix.clone();
                for term in &mut taxonomy.terms {
                    for i in &mut term.posts {
                        *i = own[*i];
                    }
                }
                taxonomy
            })
            .collect();
        let links = listed
            .iter()
            .copied()
            .filter(|&i| posts[i].link.is_some())
            .collect();
        // One order paginated as a whole: page 1 holds the sticky posts and the newest of the
        // others, and the following pages go on from there, so no post is skipped or repeated.
        let (mut home, others): (Vec<usize>, Vec<usize>) =
            listed.iter().partition(|&&i| posts[i].sticky);
        home.extend(others);
        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for &i in &listed {
            if let Some(day) = posts[i].local_date(config) {
                by_year.entry(day.year()).or_default().push(i);
            }
        }
        let search = if config.search {
            own.iter().rev().copied().collect()
        } else {
            Vec::new()
        };
        Edition {
            search,
            prefix: language.prefix.clone(),
            lang: language.code.clone(),
            posts: listed,
            home,
            pages: (0..pages.len())
                .filter(|&i| pages[i].edition == e || shown_untranslated(pages[i]))
                .collect(),
            taxonomies,
            links,
            years: by_year.into_iter().rev().collect(),
        }
    }
}

/// How many related posts each post gets.
const RELATED: usize = 3;

/// Every post's related posts, with a hash of what they were computed from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Related {
    /// Hash of the terms' post lists.
    shape: u64,
    /// Per post, indexes into the site's posts.
    lists: Arc<Vec<Vec<usize>>>,
}

impl std::ops::Index<usize> for Related {
    type Output = Vec<usize>;

    fn index(&self, post: usize) -> &Vec<usize> {
        &self.lists[post]
    }
}

impl Related {
    /// The related posts of `posts`, from `known` when the terms' post lists are the same.
    fn of(posts: &[&Post], taxonomies: &[&Taxonomy], known: Option<&Related>) -> Related {
        let mut h = std::hash::DefaultHasher::new();
        posts.len().hash(&mut h);
        for taxonomy in taxonomies {
            for term in &taxonomy.terms {
                term.posts.hash(&mut h);
            }
        }
        let shape = h.finish();
        match known {
            Some(known) if known.shape == shape => known.clone(),
            _ => Related {
                shape,
                lists: Arc::new(related(posts.len(), taxonomies)),
            },
        }
    }
}

/// How many posts on each side of a post, in each of its terms (whose posts run in date order),
/// are candidates for its related posts. Counting every post of a term would make the cost grow
/// with the square of the site: each of 10 themes holds 10,000 posts of a 100,000-post site.
const RELATED_WINDOW: usize = 200;

/// Related posts of each of `count` posts (in date order, newest first): most shared terms of
/// every taxonomy, then nearest in date, then newer. The candidates are the posts published
/// nearest to it in each of its terms, so a post that shares a rare term is found wherever it is.
fn related(count: usize, taxonomies: &[&Taxonomy]) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let terms: Vec<&Term> = taxonomies.iter().flat_map(|t| &t.terms).collect();
    // Per post: the ids of its terms, and the window of each term around it.
    let mut terms_of: Vec<Vec<u32>> = vec![Vec::new(); count];
    let mut windows: Vec<Vec<&[usize]>> = vec![Vec::new(); count];
    for (id, term) in (0u32..).zip(&terms) {
        for (at, &i) in term.posts.iter().enumerate() {
            // A post that lists a term twice is in its list twice.
            if terms_of[i].last() != Some(&id) {
                terms_of[i].push(id);
            }
            let from = at.saturating_sub(RELATED_WINDOW);
            let to = (at + RELATED_WINDOW + 1).min(term.posts.len());
            windows[i].push(&term.posts[from..to]);
        }
    }
    windows
        .par_iter()
        .enumerate()
        // Dense marks per thread (posts seen, terms of the post), reset after each post: a hash
        // set per post cost more than the whole rest of the load at 10,000 posts.
        .map_init(
            || (vec![false; count], vec![false; terms.len()], Vec::new()),
            |(seen, mine, candidates), (i, windows)| {
                for window in windows {
                    for &j in *window {
                        if j != i && !seen[j] {
                            seen[j] = true;
                            candidates.push(j);
                        }
                    }
                }
                for &t in &terms_of[i] {
                    mine[t as usize] = true;
                }
                // Smallest key first: most shared terms, then nearest in date, then newer
                // (a lower index is newer).
                let mut best: Vec<(usize, usize, usize)> = Vec::with_capacity(RELATED + 1);
                for &j in candidates.iter() {
                    seen[j] = false;
                    let shared = terms_of[j].iter().filter(|&&t| mine[t as usize]).count();
                    let candidate = (usize::MAX - shared, i.abs_diff(j), j);
                    if best.len() < RELATED || best.last().is_some_and(|b| candidate < *b) {
                        let at = best.partition_point(|b| *b < candidate);
                        best.insert(at, candidate);
                        best.truncate(RELATED);
                    }
                }
                for &t in &terms_of[i] {
                    mine[t as usize] = false;
                }
                candidates.clear();
                best.into_iter().map(|(_, _, j)| j).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy(terms: &[&[usize]]) -> Taxonomy {
        Taxonomy {
            key: "tags".to_string(),
            prefix: String::new(),
            terms: terms
                .iter()
                .enumerate()
                .map(|(n, posts)| Term {
                    name: format!("t{n}"),
                    slug: format!("t{n}"),
                    posts: posts.to_vec(),
                })
                .collect(),
        }
    }

    #[test]
    fn related_posts_share_most_terms_then_are_nearest_in_date() {
        // Post 2 shares two terms with post 4 and one with every other post.
        let tags = taxonomy(&[&[0, 1, 2, 3, 4, 5, 6], &[2, 4]]);
        let lists = related(7, &[&tags]);
        assert_eq!(lists[2], vec![4, 1, 3]);
        assert_eq!(lists[0], vec![1, 2, 3]);
        assert_eq!(lists[6], vec![5, 4, 3]);
    }

    #[test]
    fn related_posts_come_from_near_the_post_in_a_large_term() {
        let everything: Vec<usize> = (0..1000).collect();
        let tags = taxonomy(&[&everything, &[0, 999]]);
        let lists = related(1000, &[&tags]);
        // The rare shared term still finds the post at the other end of the site.
        assert_eq!(lists[999], vec![0, 998, 997]);
        // Candidates from the large term are its nearest posts, not the whole term.
        assert_eq!(lists[500], vec![499, 501, 498]);
        let far = 500 + RELATED_WINDOW + 1;
        let tags = taxonomy(&[&everything, &[500, far]]);
        assert_eq!(related(1000, &[&tags])[500], vec![far, 499, 501]);
    }
}
