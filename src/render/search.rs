//! Each language's search index as the build renders it, brought up to date from the
//! language's posts and their rendered bodies before the pages, on every core.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::body::markdown::Rendered;
use crate::load::config::Config;
use crate::load::post::Post;
use crate::render::prepare::Prepared;
use crate::search::index::{self, Index, Shown, Source};
use crate::site::public::Site;

/// Brings `indexes` (one per language, kept from an earlier build or empty) up to date with
/// `site`; `salt` is what every body is also made from (the theme and the settings), so
/// that a change to it makes every index anew.
pub(crate) fn update(indexes: &mut Vec<Index>, site: &Site<'_>, prepared: &Prepared, salt: u64) {
    indexes.resize_with(site.editions.len(), Index::default);
    for (edition, index) in site.editions.iter().zip(indexes.iter_mut()) {
        let keys: Vec<u64> = edition
            .search
            .iter()
            .map(|&i| {
                let mut h = DefaultHasher::new();
                (salt, site.posts[i].fingerprint).hash(&mut h);
                h.finish()
            })
            .collect();
        index.update(&edition.lang, &keys, |id| {
            let i = edition.search[id];
            let post = site.posts[i];
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
                html: &prepared.posts[i].body.html,
                lang: post.lang.as_deref().unwrap_or(&edition.lang),
            }
        });
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
