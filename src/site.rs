//! The public view of the corpus for one build: renderers receive only this, so drafts and
//! posts not yet due cannot reach a page, a feed or the sitemap.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chrono::Datelike;
use rayon::prelude::*;

use crate::clock::Clock;
use crate::config::Config;
use crate::corpus::Corpus;
use crate::post::Post;
use crate::source::Asset;
use crate::taxonomy::Taxonomy;

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
    /// Public posts, newest first.
    pub(crate) posts: Vec<&'a Post>,
    /// Public standalone pages.
    pub(crate) pages: Vec<&'a Post>,
    /// One index per declared taxonomy, in declaration order.
    pub(crate) taxonomies: Vec<Taxonomy>,
    /// Curated link posts, as indexes into `posts`.
    pub(crate) links: Vec<usize>,
    /// For each post, up to three others that share the most terms, newest first on ties.
    pub(crate) related: Related,
    /// Years with posts, newest first, each with indexes into `posts`.
    pub(crate) years: Vec<(i32, Vec<usize>)>,
    /// Files to copy: loose content files and the bundles of public posts.
    pub(crate) assets: Vec<PlacedAsset<'a>>,
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
        let taxonomies: Vec<Taxonomy> = config
            .taxonomies
            .par_iter()
            .map(|key| Taxonomy::index(key, &posts))
            .collect();
        let links = posts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.link.is_some())
            .map(|(i, _)| i)
            .collect();
        let related = Related::of(&posts, &taxonomies, known_related);

        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (i, p) in posts.iter().enumerate() {
            if let Some(day) = p.local_date(config) {
                by_year.entry(day.year()).or_default().push(i);
            }
        }
        let years = by_year.into_iter().rev().collect();

        // A bundle's files follow its post: out of the build when the post is, beside its page
        // (whatever the permalink) when it is in.
        // By address: hashing thousands of paths component by component costs milliseconds.
        let public: HashSet<*const Post> = posts
            .iter()
            .chain(&pages)
            .map(|&p| p as *const Post)
            .collect();
        let bundles: HashMap<&str, Option<&str>> = corpus
            .posts
            .iter()
            .chain(&corpus.pages)
            .filter_map(|p| {
                let dir = p.bundle_dir.as_deref()?;
                Some((
                    dir,
                    public
                        .contains(&(&**p as *const Post))
                        .then_some(p.path.as_str()),
                ))
            })
            .collect();
        let assets = corpus
            .assets
            .iter()
            .filter_map(|asset| {
                let folders = asset
                    .content_path
                    .match_indices('/')
                    .map(|(i, _)| &asset.content_path[..=i]);
                match folders
                    .into_iter()
                    .find_map(|dir| bundles.get(dir).map(|page| (dir, page)))
                {
                    Some((dir, Some(page))) => Some(PlacedAsset {
                        asset,
                        path: format!("{page}{}", &asset.content_path[dir.len()..]),
                    }),
                    Some((_, None)) => None,
                    None => Some(PlacedAsset {
                        asset,
                        path: asset.content_path.clone(),
                    }),
                }
            })
            .collect();

        Site {
            config,
            clock,
            posts,
            pages,
            taxonomies,
            links,
            related,
            years,
            assets,
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
    fn of(posts: &[&Post], taxonomies: &[Taxonomy], known: Option<&Related>) -> Related {
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
                lists: Arc::new(related(posts, taxonomies)),
            },
        }
    }
}

/// Related posts by shared terms of every taxonomy, then recency. Candidates come from the term
/// index, so the cost follows the posts that share a term, not the square of all posts.
fn related(posts: &[&Post], taxonomies: &[Taxonomy]) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let terms_of: Vec<Vec<&[usize]>> = {
        let mut terms: Vec<Vec<&[usize]>> = vec![Vec::new(); posts.len()];
        for taxonomy in taxonomies {
            for term in &taxonomy.terms {
                for &i in &term.posts {
                    terms[i].push(&term.posts);
                }
            }
        }
        terms
    };
    terms_of
        .par_iter()
        .enumerate()
        // One dense counter per thread, reset through the list of touched posts: counting with a
        // hash map per post cost more than the whole rest of the load at 10,000 posts.
        .map_init(
            || (vec![0u16; posts.len()], Vec::new()),
            |(shared, touched), (i, terms)| {
                for members in terms {
                    for &j in *members {
                        if j != i {
                            if shared[j] == 0 {
                                touched.push(j);
                            }
                            shared[j] = shared[j].saturating_add(1);
                        }
                    }
                }
                // Lower index is newer: most shared terms first, then the newest.
                let mut best: Vec<(u16, usize)> = Vec::with_capacity(RELATED + 1);
                for &j in touched.iter() {
                    let candidate = (shared[j], j);
                    let better = |b: &(u16, usize)| {
                        candidate.0 > b.0 || (candidate.0 == b.0 && candidate.1 < b.1)
                    };
                    if best.len() < RELATED || best.last().is_some_and(better) {
                        let at = best.iter().position(better).unwrap_or(best.len());
                        best.insert(at, candidate);
                        best.truncate(RELATED);
                    }
                    shared[j] = 0;
                }
                touched.clear();
                best.into_iter().map(|(_, j)| j).collect()
            },
        )
        .collect()
}
