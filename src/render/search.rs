//! Each language's search index as the build renders it: built once, the first time one of its
//! files is rendered, from the language's posts and their rendered bodies.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use crate::body::markdown::Rendered;
use crate::load::config::Config;
use crate::load::post::Post;
use crate::render::prepare::Prepared;
use crate::search::index::{self, Index, Shown, Source};
use crate::site::public::Site;

/// One language's index, known by what it is made from before it is made.
pub(crate) struct LazyIndex<'a> {
    /// The public site.
    site: &'a Site<'a>,
    /// Its rendered bodies.
    prepared: &'a Prepared,
    /// The edition.
    edition: usize,
    /// A hash of its posts' sources, in order: the index is a function of them.
    key: u64,
    /// The index, once a file needed it.
    built: OnceLock<Index>,
}

impl Hash for LazyIndex<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.key.hash(h);
    }
}

impl<'a> LazyIndex<'a> {
    /// The index of `site`'s `edition`th language, not built yet.
    pub(crate) fn of(site: &'a Site<'a>, prepared: &'a Prepared, edition: usize) -> Self {
        let mut h = DefaultHasher::new();
        for &i in &site.editions[edition].search {
            site.posts[i].fingerprint.hash(&mut h);
        }
        LazyIndex {
            site,
            prepared,
            edition,
            key: h.finish(),
            built: OnceLock::new(),
        }
    }

    /// The index, built at the first call.
    pub(crate) fn get(&self) -> &Index {
        let (site, prepared) = (self.site, self.prepared);
        self.built.get_or_init(|| {
            let edition = &site.editions[self.edition];
            let sources = edition
                .search
                .iter()
                .map(|&i| {
                    let post = site.posts[i];
                    let body = &prepared.posts[i].body;
                    Source {
                        title: &post.title,
                        description: post.description.as_deref(),
                        terms: site
                            .config
                            .taxonomies
                            .iter()
                            .filter_map(|key| post.taxonomies.get(key))
                            .flatten()
                            .map(String::as_str)
                            .collect(),
                        authors: &post.authors,
                        html: &body.html,
                        lang: post.lang.as_deref().unwrap_or(&edition.lang),
                    }
                })
                .collect();
            index::build(&edition.lang, sources)
        })
    }
}

/// What a search result shows of `post`.
pub(crate) fn shown(post: &Post, body: &Rendered, config: &Config) -> Shown {
    let lang = post.lang.as_deref().unwrap_or(&config.language);
    Shown {
        title: crate::body::typography::typeset(
            &post.title,
            config.french_spacing && crate::locale::is_french(lang),
        ),
        url: config.base.link(&post.path),
        date: post
            .local_date(config)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        date_display: post
            .date
            .map(|d| crate::render::context::display_date(d, lang, config))
            .unwrap_or_default(),
        lang: lang.to_string(),
        tags: post.taxonomies.get("tags").cloned().unwrap_or_default(),
        text: index::excerpt_text(&body.html),
    }
}
