//! What pages are made from besides the site and the theme: every body rendered and every
//! post's template view (with its card), made once and shared by every page.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use crate::body::compose::BodyRenderer;
use crate::body::markdown::Rendered;
use crate::error::{self, Errors, Result};
use crate::load::post::Post;
use crate::render::context;
use crate::render::views::{CardHtmlContext, PostViews};
use crate::site::public::Site;
use crate::theme::templates::{self, Bases, Layers, Templates};
use rayon::prelude::*;

/// What an earlier render made and may still hold. A full build has nothing to reuse
/// ([`Nothing`]); the preview keeps what it made.
pub(crate) trait Reuse: Sync {
    /// The rendered body of `post`, when it is known.
    fn body(&self, post: &Post) -> Option<Arc<Rendered>>;
    /// The views of the site's `i`th post, and their digest, when they are known.
    fn view(&self, i: usize) -> Option<(Arc<PostViews>, ViewDigest)>;
}

/// Nothing to reuse: everything is made anew.
pub(crate) struct Nothing;

impl Reuse for Nothing {
    fn body(&self, _: &Post) -> Option<Arc<Rendered>> {
        None
    }
    fn view(&self, _: usize) -> Option<(Arc<PostViews>, ViewDigest)> {
        None
    }
}

/// Hashes of a post's view, as other pages read it: whole, as a brief (related, previous,
/// next) and as a yearly archive entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ViewDigest {
    /// The whole view.
    pub(crate) whole: u64,
    /// Its brief.
    pub(crate) brief: u64,
    /// Its archive entry.
    pub(crate) entry: u64,
}

impl ViewDigest {
    /// Hashes `views`.
    pub(crate) fn of(views: &PostViews) -> ViewDigest {
        let mut h = DefaultHasher::new();
        hash_json(&views.view, &mut h);
        views.card.hash(&mut h);
        let of = |part: &dyn Fn(&mut DefaultHasher)| {
            let mut h = DefaultHasher::new();
            part(&mut h);
            h.finish()
        };
        ViewDigest {
            whole: h.finish(),
            brief: of(&|h| views.brief().hash(h)),
            entry: of(&|h| views.entry().hash(h)),
        }
    }
}

/// Every body rendered and every post's view, in the site's order.
pub(crate) struct Prepared {
    /// The site's posts, prepared.
    pub(crate) posts: Vec<PreparedPost>,
    /// Rendered bodies of the site's pages.
    pub(crate) pages: Vec<Arc<Rendered>>,
}

/// One post, ready for every page that shows it.
pub(crate) struct PreparedPost {
    /// Its rendered body.
    pub(crate) body: Arc<Rendered>,
    /// Its template views, with its card.
    pub(crate) views: Arc<PostViews>,
    /// The digest of its view, computed the first time a cache key asks (a full build never
    /// does).
    digest: OnceLock<ViewDigest>,
    /// Its body with absolute links, made the first time a feed lists it.
    feed_html: OnceLock<String>,
}

impl PreparedPost {
    /// The digest of its view.
    pub(crate) fn digest(&self) -> ViewDigest {
        *self.digest.get_or_init(|| ViewDigest::of(&self.views))
    }

    /// Its body as feeds carry it, made once for every feed that lists it.
    pub(crate) fn feed_html(&self, make: impl FnOnce() -> String) -> &str {
        self.feed_html.get_or_init(make)
    }
}

/// What a body, a view or a card is rendered with.
pub(crate) struct Makers<'a> {
    /// The public site.
    pub(crate) site: &'a Site<'a>,
    /// Compiled templates, for shortcodes and cards.
    pub(crate) templates: &'a Templates,
    /// Variables every template receives, in each language pages speak.
    pub(crate) bases: &'a Bases,
    /// The build clock.
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    /// What becomes of a post's Markdown once its body is rendered.
    pub(crate) markdown: Afterwards,
}

/// What becomes of a post's Markdown once its body is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Afterwards {
    /// Kept, for what reads it again: the preview's next save, `check`'s links.
    Kept,
    /// Let go of, by a build that reads it no more: at 100,000 posts it was the largest part
    /// of the build's memory.
    Released,
}

impl Prepared {
    /// Renders every body and makes every view, but those `known` holds.
    pub(crate) fn new(makers: &Makers<'_>, known: &dyn Reuse) -> Result<Prepared> {
        let (bodies, pages) = makers.bodies(known)?;
        let views = makers.views(&bodies, known)?;
        let posts = bodies
            .into_iter()
            .zip(views)
            .map(|(body, (views, digest))| PreparedPost {
                body,
                views,
                digest: digest.map(OnceLock::from).unwrap_or_default(),
                feed_html: OnceLock::new(),
            })
            .collect();
        Ok(Prepared { posts, pages })
    }
}

/// Rendered bodies of a site's posts and of its pages.
type Bodies = (Vec<Arc<Rendered>>, Vec<Arc<Rendered>>);

impl<'a> Makers<'a> {
    /// The bodies of every post and page, reporting every failure of both.
    fn bodies(&self, known: &dyn Reuse) -> Result<Bodies> {
        let site = self.site;
        let renderer = BodyRenderer {
            config: site.config,
            templates: self.templates,
            bases: self.bases,
        };
        // A post's share links are made again for its page rather than kept: at 100,000 posts
        // they came to 280 MB.
        let render = |layers: &mut Layers<'a>, p: &&Post| match known.body(p) {
            Some(body) => Ok(body),
            None => {
                let share = context::share_links(p, site.config);
                let body = renderer.render(p, &share, layers);
                if self.markdown == Afterwards::Released {
                    p.body.release();
                }
                body.map(Arc::new)
            }
        };
        let all = |posts: &[&Post]| {
            let bodies = posts.par_iter().map_init(Layers::default, render);
            error::collect(bodies.collect::<Vec<_>>())
        };
        let posts = all(&site.posts);
        let pages = all(&site.pages);
        match (posts, pages) {
            (Ok(posts), Ok(pages)) => Ok((posts, pages)),
            (posts, pages) => Err(Errors(
                [posts.err(), pages.err()]
                    .into_iter()
                    .flatten()
                    .flat_map(|e| e.0)
                    .collect(),
            )),
        }
    }

    /// Every post's view with its card, and its digest when it was known.
    fn views(
        &self,
        bodies: &[Arc<Rendered>],
        known: &dyn Reuse,
    ) -> Result<Vec<(Arc<PostViews>, Option<ViewDigest>)>> {
        let site = self.site;
        // What an earlier render made, looked up once: the links are made only for the rest.
        let reused: Vec<_> = (0..site.posts.len())
            .into_par_iter()
            .map(|i| known.view(i))
            .collect();
        let fresh = site.posts.iter().zip(&reused).filter(|(_, r)| r.is_none());
        let links = context::TermLinks::new(fresh.map(|(p, _)| *p), site.config);
        error::collect(
            site.posts
                .par_iter()
                .zip(bodies)
                .zip(reused)
                .map_init(Layers::default, |layers, ((p, r), reused)| match reused {
                    Some((views, digest)) => Ok((views, Some(digest))),
                    None => {
                        let views = context::post_views(p, r, site.config, self.now, &links);
                        self.with_card(views, layers, p)
                            .map(|views| (Arc::new(views), None))
                    }
                })
                .collect::<Vec<_>>(),
        )
    }

    /// A post's views with its card: the theme's card template rendered once with the view as
    /// `post`, for every listing page that shows the post.
    fn with_card(
        &self,
        mut views: PostViews,
        layers: &mut Layers<'a>,
        post: &Post,
    ) -> Result<PostViews> {
        if !self.templates.cards() {
            return Ok(views);
        }
        // A post's card is shown in its own language's listings.
        let base = self.bases.edition(post.edition);
        let own = templates::own(&CardHtmlContext { post: &views.view });
        let card = layers.render(base, own, |ctx| {
            self.templates
                .render(templates::CARD_TEMPLATE, ctx, &post.path)
        })?;
        views.card = Some(card);
        Ok(views)
    }
}

/// Feeds a JSON value to a hasher without building its text.
pub(crate) fn hash_json(value: &impl serde::Serialize, h: &mut DefaultHasher) {
    struct Feed<'a>(&'a mut DefaultHasher);
    impl std::io::Write for Feed<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    serde_json::to_writer(Feed(h), value).expect("JSON values serialize");
}
