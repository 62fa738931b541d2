//! One build, from the site folder to the output folder: load, then render, then write.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::body::BodyRenderer;
use crate::clock::Clock;
use crate::config::{Config, Overrides};
use crate::context;
use crate::corpus::Corpus;
use crate::error::{self, Errors, Result};
use crate::output;
pub use crate::output::WriteReport;
use crate::plan;
use crate::render::Renderer;
use crate::site::{Site, Visibility};
use crate::source;
use crate::templates::Templates;
use crate::theme::Theme;

/// Everything a build needs to know, resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Command-line settings that win over `site.toml`.
    pub overrides: Overrides,
    /// `--now`.
    pub now: Option<String>,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub source_date_epoch: Option<String>,
    /// Include drafts.
    pub drafts: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Public posts.
    pub posts: usize,
    /// Public standalone pages.
    pub pages: usize,
    /// Drafts left out.
    pub drafts_hidden: usize,
    /// Posts dated after the build time, left out.
    pub scheduled: usize,
    /// The output folder.
    pub output: PathBuf,
    /// Files written, unchanged and removed.
    pub files: WriteReport,
}

/// Builds the site at `options.root`.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let config = Config::load(&options.root, &options.overrides)?;
    let clock = Clock::resolve(
        options.now.as_deref(),
        options.source_date_epoch.as_deref(),
        config.zone,
    )?;
    output::check(&config)?;

    let corpus = Corpus::build(source::load(&config.root)?, &config)?;
    let site = Site::new(
        &corpus,
        &config,
        clock,
        Visibility {
            drafts: options.drafts,
        },
    );
    let theme = Theme::load(&config)?;
    let templates = Templates::compile(&theme, &config)?;
    let base = context::base_context(&site, &theme.strings);

    let bodies = BodyRenderer {
        config: &config,
        templates: &templates,
        base: &base,
    };
    let shares: Vec<_> = site
        .posts
        .iter()
        .map(|p| context::share_links(p, &config))
        .collect();
    let posts = error::collect(
        site.posts
            .par_iter()
            .zip(&shares)
            .map(|(p, s)| bodies.render(p, s))
            .collect::<Vec<_>>(),
    );
    let pages = error::collect(
        site.pages
            .par_iter()
            .map(|p| bodies.render(p, &[]))
            .collect::<Vec<_>>(),
    );
    let (posts, pages) = match (posts, pages) {
        (Ok(posts), Ok(pages)) => (posts, pages),
        (posts, pages) => {
            let problems = [posts.err(), pages.err()]
                .into_iter()
                .flatten()
                .flat_map(|e| e.0)
                .collect();
            return Err(Errors(problems));
        }
    };
    let views: Vec<_> = site
        .posts
        .par_iter()
        .zip(&posts)
        .zip(&shares)
        .map(|((p, r), s)| context::post_view(p, r, s, &config))
        .collect();
    let jobs = plan::plan(&site, &theme)?;
    let renderer = Renderer {
        site: &site,
        posts: &posts,
        pages: &pages,
        views: &views,
        templates: &templates,
        theme: &theme,
        base,
    };
    let artifacts = renderer.render_all(&jobs)?;
    let files = output::write(&config, &artifacts)?;

    let hidden_drafts = corpus
        .posts
        .iter()
        .filter(|p| p.draft && !options.drafts)
        .count();
    let scheduled = corpus
        .posts
        .iter()
        .filter(|p| p.date.is_some_and(|d| d > clock.now()))
        .count();
    Ok(BuildReport {
        posts: site.posts.len(),
        pages: site.pages.len(),
        drafts_hidden: hidden_drafts,
        scheduled,
        output: config.output.clone(),
        files,
    })
}
