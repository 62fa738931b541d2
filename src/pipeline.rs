//! One build, from the site folder to the output folder: load, then render, then write.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use rayon::prelude::*;

use crate::body::compose::BodyRenderer;
use crate::body::links;
use crate::body::markdown::Rendered;
use crate::build::cache;
use crate::build::output;
pub use crate::build::output::WriteReport;
use crate::clock::Clock;
use crate::error::{self, Diagnostic, Errors, Result};
use crate::load::config::{Config, Overrides, SocialConfig};
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::load::source;
use crate::render::context;
use crate::render::pages::Renderer;
use crate::render::plan;
use crate::serve::memo::Caches;
use crate::share::ShareLink;
use crate::site::freshness;
use crate::site::public::{Site, Visibility};
use crate::site::schedule::{self, Status};
use crate::social::derive::{self, Queue};
use crate::social::export::{self, QueueItem};
use crate::social::length;
use crate::theme::layers::Theme;
use crate::theme::templates::Templates;

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
    /// Include posts dated after the build clock.
    pub future: bool,
    /// Include posts past their `expires` time.
    pub expired: bool,
    /// Treat warnings (links to posts that are not public) as errors.
    pub strict: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Posts in the output.
    pub posts: usize,
    /// Standalone pages in the output.
    pub pages: usize,
    /// Every post's status at the build clock, whatever the output includes.
    pub status: StatusFile,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// The output folder.
    pub output: PathBuf,
    /// Where the status was written.
    pub status_path: PathBuf,
    /// Items in the social queue and the folder it was written to, when the site has channels.
    pub queue: Option<(usize, PathBuf)>,
    /// Files written, unchanged and removed.
    pub files: WriteReport,
}

/// The state of the content at the build clock, also written as JSON to `.tribune/status.json`
/// so that a CI job can tell when to rebuild.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct StatusFile {
    /// The build clock, RFC 3339.
    pub now: String,
    /// Posts public now.
    pub published: usize,
    /// Posts dated after now.
    pub scheduled: usize,
    /// Drafts.
    pub drafts: usize,
    /// Posts past their `expires` time.
    pub expired: usize,
    /// Published posts past their freshness limit or review date.
    pub stale: usize,
    /// The next time the site changes by itself, if it will.
    pub next_change: Option<NextChangeView>,
}

/// When the site next changes, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NextChangeView {
    /// RFC 3339.
    pub at: String,
    /// What happens then.
    pub what: String,
}

/// Where the build status goes, under the site root: outside the output, since it speaks of
/// posts that are not public yet.
pub const STATUS_FILE: &str = ".tribune/status.json";

/// The configuration of the site at `root` with `overrides`, and the clock it runs at: `now`,
/// else `SOURCE_DATE_EPOCH`, else the system clock.
fn load_site(
    root: &Path,
    overrides: &Overrides,
    now: Option<&str>,
    source_date_epoch: Option<&str>,
) -> Result<(Config, Clock)> {
    let config = Config::load(root, overrides)?;
    let clock = Clock::resolve(now, source_date_epoch, config.zone)?;
    Ok((config, clock))
}

impl BuildOptions {
    /// The site's configuration with the command line's settings, and the build clock.
    pub(crate) fn load(&self) -> Result<(Config, Clock)> {
        load_site(
            &self.root,
            &self.overrides,
            self.now.as_deref(),
            self.source_date_epoch.as_deref(),
        )
    }

    /// What the build shows besides published posts.
    pub(crate) fn visibility(&self) -> Visibility {
        Visibility {
            drafts: self.drafts,
            future: self.future,
            expired: self.expired,
        }
    }
}

/// Builds the site at `options.root`.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let (config, clock) = options.load()?;
    output::check(&config)?;
    // The theme does not depend on the content: it is compiled while the content loads.
    let (corpus, compiled) = rayon::join(
        || Corpus::build(source::load(&config.root)?, &config),
        || {
            let theme = Theme::load(&config)?;
            Templates::compile(&theme, &config).map(|templates| (theme, templates))
        },
    );
    let corpus = corpus?;
    let site = Site::new(&corpus, &config, clock, options.visibility());
    let now = clock.now();
    let warnings = links::unpublished_links(&site, &corpus, now);
    if options.strict && !warnings.is_empty() {
        return Err(Errors(warnings));
    }
    let (theme, templates) = compiled?;
    // The queue is derived before anything is written, so its errors also leave the output as it was.
    let queue = match &config.social {
        Some(social) => Some((
            social,
            derive::derive(&corpus, &config, social, &templates, &theme.strings, now)?,
        )),
        None => None,
    };
    let flags = (
        options.overrides.base_url.as_deref(),
        options.drafts,
        options.future,
        options.expired,
    );
    let inputs = cache::inputs(&config, &site, &flags);
    let files = match cache::fresh(&config.root, &inputs, &config.output) {
        Some(record) => WriteReport {
            unchanged: record.pages,
            ..WriteReport::default()
        },
        None => {
            let (files, pages) = render(&config, &site, &theme, &templates, now)?;
            let (output, count) = cache::output(&config.output);
            let record = cache::Record {
                inputs,
                output,
                files: count,
                pages,
            };
            let json = serde_json::to_string(&record).expect("the cache record serializes");
            output::write_file(&config.root, Path::new(cache::CACHE_FILE), json.as_bytes())?;
            files
        }
    };

    if let Some((social, queue)) = &queue {
        write_queue(&config, social, queue, now)?;
    }
    let status = status(&corpus, &config, now);
    let status_path = config.root.join(STATUS_FILE);
    let json = serde_json::to_string_pretty(&status).expect("the status serializes") + "\n";
    output::write_file(&config.root, Path::new(STATUS_FILE), json.as_bytes())?;
    Ok(BuildReport {
        posts: site.posts.len(),
        pages: site.pages.len(),
        status,
        warnings,
        output: config.output.clone(),
        status_path,
        queue: queue.map(|(social, queue)| (queue.items.len(), social.output.clone())),
        files,
    })
}

/// Renders every page of `site` and writes the output; returns what was written and how many
/// pages the site has.
fn render(
    config: &Config,
    site: &Site<'_>,
    theme: &Theme,
    templates: &Templates,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(WriteReport, usize)> {
    let base = context::base_context(site, &theme.strings);
    let prepared = Prepared::new(site, templates, &base, now, &Caches::default(), None)?;
    let jobs = plan::plan(site, theme)?;
    let renderer = prepared.renderer(site, templates, theme, base);
    let staging = output::Staging::open(config)?;
    let staged = renderer.render_all(&jobs, |artifact| staging.stage(artifact))?;
    drop(renderer);
    // Freeing every body and view takes a noticeable part of a large build, and nothing waits
    // on it.
    std::thread::spawn(move || drop(prepared));
    Ok((staging.commit(&staged)?, jobs.len()))
}

/// A post's view with its `card`: the theme's card template rendered once with the view as
/// `post`, for every listing page that shows the post.
fn with_card(
    view: serde_json::Value,
    ctx: &mut tera::Context,
    templates: &Templates,
    path: &str,
) -> Result<serde_json::Value> {
    if !templates.cards() {
        return Ok(view);
    }
    context::put(ctx, "post", view);
    let card = templates.render(crate::theme::templates::CARD_TEMPLATE, ctx, path);
    let mut view = ctx.remove("post").expect("inserted above");
    view["card"] = serde_json::Value::String(card?);
    Ok(view)
}

/// What pages are made from, besides the site and the theme: every body rendered, every post's
/// template view and share links.
pub(crate) struct Prepared {
    /// Rendered bodies of the site's posts, same order.
    pub(crate) posts: Vec<Arc<Rendered>>,
    /// Rendered bodies of the site's pages, same order.
    pub(crate) pages: Vec<Arc<Rendered>>,
    /// Template views of the site's posts.
    pub(crate) views: Vec<Arc<serde_json::Value>>,
    /// Share links of the site's posts.
    pub(crate) shares: Vec<Arc<Vec<ShareLink>>>,
}

impl Prepared {
    /// Renders every body and makes every view, but those an earlier render left in `known`
    /// (views are found by `view_keys`, one per post of the site).
    pub(crate) fn new(
        site: &Site<'_>,
        templates: &Templates,
        base: &tera::Context,
        now: chrono::DateTime<chrono::Utc>,
        known: &Caches,
        view_keys: Option<&[(u64, u64)]>,
    ) -> Result<Prepared> {
        let config = site.config;
        let bodies = BodyRenderer {
            config,
            templates,
            base,
        };
        let shares: Vec<_> = site
            .posts
            .par_iter()
            .map(|p| match known.shares.get(&p.fingerprint) {
                Some(links) => Arc::clone(links),
                None => Arc::new(context::share_links(p, config)),
            })
            .collect();
        let render = |p: &Post, share: &[ShareLink]| match known.bodies.get(&p.fingerprint) {
            Some(body) => Ok(Arc::clone(body)),
            None => bodies.render(p, share).map(Arc::new),
        };
        let posts = error::collect(
            site.posts
                .par_iter()
                .zip(&shares)
                .map(|(p, s)| render(p, s))
                .collect::<Vec<_>>(),
        );
        let pages = error::collect(
            site.pages
                .par_iter()
                .map(|p| render(p, &[]))
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
        let views = error::collect(
            site.posts
                .par_iter()
                .zip(&posts)
                .enumerate()
                // One context per thread: cloning the shared one for each card would cost
                // about as much as rendering it.
                .map_init(
                    || base.clone(),
                    |ctx, (i, (p, r))| {
                        let known = view_keys.and_then(|keys| known.views.get(&keys[i]));
                        match known {
                            Some(view) => Ok(Arc::clone(&view.value)),
                            None => {
                                let view = context::post_view(p, r, config, now);
                                with_card(view, ctx, templates, &p.path).map(Arc::new)
                            }
                        }
                    },
                )
                .collect::<Vec<_>>(),
        )?;
        Ok(Prepared {
            posts,
            pages,
            views,
            shares,
        })
    }

    /// A renderer over these bodies and views.
    pub(crate) fn renderer<'a>(
        &'a self,
        site: &'a Site<'a>,
        templates: &'a Templates,
        theme: &'a Theme,
        base: tera::Context,
    ) -> Renderer<'a> {
        Renderer {
            site,
            posts: &self.posts,
            pages: &self.pages,
            views: &self.views,
            shares: &self.shares,
            feed_html: self.posts.iter().map(|_| OnceLock::new()).collect(),
            templates,
            theme,
            base,
        }
    }
}

/// Writes the queue files: JSON (the source of truth), iCalendar and the two CSV layouts.
fn write_queue(
    config: &Config,
    social: &SocialConfig,
    queue: &Queue,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let dir = social
        .output
        .strip_prefix(&config.root)
        .unwrap_or(&social.output);
    let files = [
        (
            "queue.json",
            serde_json::to_string_pretty(queue).expect("the queue serializes") + "\n",
        ),
        (
            "queue.ics",
            export::ics(
                &queue.items,
                &config.title,
                &now.format("%Y%m%dT%H%M%SZ").to_string(),
            ),
        ),
        (
            "buffer.csv",
            export::csv_buffer(&linkedin_escaped(&queue.items)),
        ),
        (
            "hootsuite.csv",
            export::csv_hootsuite(&linkedin_escaped(&queue.items)),
        ),
    ];
    for (name, text) in files {
        output::write_file(&config.root, &dir.join(name), text.as_bytes())?;
    }
    Ok(())
}

/// Items as bulk tools receive them: LinkedIn texts with their format's reserved characters escaped.
pub(crate) fn linkedin_escaped(items: &[QueueItem]) -> Vec<QueueItem> {
    items
        .iter()
        .map(|item| {
            let mut item = item.clone();
            if item.channel == "linkedin" {
                item.text = length::linkedin_escape(&item.text);
            }
            item
        })
        .collect()
}

/// Counts every post by status at `now` and finds the next change.
fn status(corpus: &Corpus, config: &Config, now: chrono::DateTime<chrono::Utc>) -> StatusFile {
    let mut counts = StatusFile {
        now: now.to_rfc3339(),
        ..Default::default()
    };
    for post in &corpus.posts {
        match Status::of(post, now) {
            Status::Published => {
                counts.published += 1;
                if freshness::freshness(post, config.stale_after, now)
                    .is_some_and(|f| f.needs_review)
                {
                    counts.stale += 1;
                }
            }
            Status::Draft => counts.drafts += 1,
            Status::Scheduled => counts.scheduled += 1,
            Status::Expired => counts.expired += 1,
        }
    }
    counts.next_change =
        schedule::next_change(corpus.posts.iter().map(|p| &**p), config, now).map(|n| {
            NextChangeView {
                at: n.at,
                what: n.what,
            }
        });
    counts
}

/// What the commands that only read the site (`audit`, `queue`) need.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// The site folder.
    pub root: PathBuf,
    /// `--now`.
    pub now: Option<String>,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub source_date_epoch: Option<String>,
}

impl SiteOptions {
    /// The site's configuration and the clock it runs at.
    fn load(&self) -> Result<(Config, Clock)> {
        load_site(
            &self.root,
            &Overrides::default(),
            self.now.as_deref(),
            self.source_date_epoch.as_deref(),
        )
    }
}

/// The audit in its three forms.
#[derive(Debug, Clone)]
pub struct AuditOutcome {
    /// JSON (see the README for the schema).
    pub json: String,
    /// The terminal report.
    pub text: String,
    /// The HTML report.
    pub html: String,
    /// Findings that `--strict` fails on.
    pub problems: usize,
}

/// Audits the site at `options.root`.
pub fn audit(options: &SiteOptions) -> Result<AuditOutcome> {
    let (config, clock) = options.load()?;
    let corpus = Corpus::build(source::load(&config.root)?, &config)?;
    // Links count as broken when a normal build would not make their target.
    let site = Site::new(&corpus, &config, clock, Visibility::default());
    let theme = Theme::load(&config)?;
    let outputs = plan::plan(&site, &theme)?
        .into_iter()
        .map(|p| p.site_path)
        .collect();
    let report = crate::audit::inventory::audit(&corpus, &config, clock.now(), &outputs);
    Ok(AuditOutcome {
        json: serde_json::to_string_pretty(&report).expect("the audit serializes"),
        text: crate::audit::inventory::terminal(&report),
        html: crate::audit::report::render(
            &report,
            &Templates::compile(&theme, &config)?,
            &theme.strings,
            &config.language,
        )?,
        problems: report.problems,
    })
}

/// The social queue of the site at `options.root`, limited to `days` ahead and one `channel`.
pub(crate) fn queue(
    options: &SiteOptions,
    days: Option<i64>,
    channel: Option<&str>,
) -> Result<(Queue, Config, Clock)> {
    let (config, clock) = options.load()?;
    let Some(social) = &config.social else {
        return Err(Diagnostic::input("this site has no social channels")
            .at(crate::load::config::CONFIG_FILE)
            .hint("declare some: [social.channels.mastodon], [social.channels.x]…")
            .into());
    };
    let corpus = Corpus::build(source::load(&config.root)?, &config)?;
    let theme = Theme::load(&config)?;
    let templates = Templates::compile(&theme, &config)?;
    let mut queue = derive::derive(
        &corpus,
        &config,
        social,
        &templates,
        &theme.strings,
        clock.now(),
    )?;
    let until = days.map(|d| clock.now() + chrono::TimeDelta::days(d));
    queue.items.retain(|item| {
        channel.is_none_or(|c| item.channel == c)
            && until.is_none_or(|u| {
                chrono::DateTime::parse_from_rfc3339(&item.at).is_ok_and(|at| at <= u)
            })
    });
    Ok((queue, config, clock))
}
