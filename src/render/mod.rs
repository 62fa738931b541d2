//! Render: every output file of the public site, as bytes.
//!
//! In: the public site, its rendered bodies and the compiled theme. Out: the plan (every output
//! file as a job, listed once) and, for each job, its bytes: pages through the theme's templates,
//! feeds, the sitemap, copied files. Rendering writes nothing.

pub(crate) mod cards;
pub(crate) mod comments;
pub(crate) mod context;
pub(crate) mod extended;
pub(crate) mod feeds;
pub(crate) mod inputs;
pub(crate) mod pages;
pub(crate) mod plan;
pub(crate) mod prepare;
pub(crate) mod search;
pub(crate) mod sitemap;
pub(crate) mod views;

use crate::error::Result;
use crate::images::cache::ImageCache;
use crate::site::public::Site;
use crate::theme::layers::Theme;
use crate::theme::templates::Templates;

/// Renders every output file of `site` and hands each to `sink` as soon as it is made, so a
/// build never holds every page in memory at once; returns what `sink` returned, one per file.
/// `planned` learns how many files there will be before the first is rendered; derived images
/// are kept in `images`; the posts' Markdown is let go of once their bodies are rendered when
/// `markdown` says so.
pub(crate) fn render_site<T: Send>(
    site: &Site<'_>,
    theme: &Theme,
    templates: &Templates,
    images: &ImageCache,
    markdown: prepare::Afterwards,
    planned: impl FnOnce(usize),
    sink: impl Fn(pages::Artifact) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let bases = context::bases(site, theme);
    let makers = prepare::Makers {
        site,
        templates,
        bases: &bases,
        now: site.clock.now(),
        markdown,
    };
    let prepared = prepare::Prepared::new(&makers, &prepare::Nothing)?;
    let jobs = plan::plan(site, theme)?;
    planned(jobs.len());
    let mut indexes = Vec::new();
    if site.config.search {
        search::update(&mut indexes, site, &prepared, 0);
    }
    let gather = inputs::Gather::new(site, &prepared, theme, &indexes);
    let renderer = pages::Renderer::new(site.config, theme, templates, bases, images);
    let made = renderer.render_all(&jobs, &gather, sink);
    // Every body and view: a noticeable part of a large build.
    crate::memory::free_elsewhere(prepared);
    made
}
