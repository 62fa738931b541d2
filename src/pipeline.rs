//! One build, from the site folder to the output folder: load, then render, then write.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::clock::Clock;
use crate::config::{Config, Overrides};
use crate::context;
use crate::corpus::Corpus;
use crate::error::Result;
use crate::markdown::{self, Rendered};
use crate::output;
pub use crate::output::WriteReport;
use crate::plan;
use crate::post::Post;
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
    let templates = Templates::compile(&theme)?;

    let posts = render_bodies(&site.posts, &config);
    let pages = render_bodies(&site.pages, &config);
    let views: Vec<_> = site
        .posts
        .par_iter()
        .zip(&posts)
        .map(|(p, r)| context::post_view(p, r, &config))
        .collect();
    let jobs = plan::plan(&site, &theme)?;
    let renderer = Renderer {
        site: &site,
        posts: &posts,
        pages: &pages,
        views: &views,
        templates: &templates,
        theme: &theme,
        base: context::base_context(&site, &theme.strings),
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

fn render_bodies(posts: &[&Post], config: &Config) -> Vec<Rendered> {
    posts
        .par_iter()
        .map(|p| markdown::render(&p.body, &config.base.path, p.description.as_deref()))
        .collect()
}
