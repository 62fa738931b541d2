//! `tribune build`: the site into its output folder, the social queue into `social/`, the
//! status into `.tribune/status.json`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::body::{links, notes};
use crate::command::count;
use crate::command::progress::Progress;
use crate::command::terminal::Terminal;
use crate::error::{self, Diagnostic, Errors, Result};
use crate::images::cache::ImageCache;
use crate::load::config::Config;
use crate::load::corpus::Corpus;
use crate::options::BuildOptions;
use crate::render::{self, prepare::Afterwards};
use crate::site::public::Site;
use crate::site::status::{self, STATUS_FILE, StatusFile};
use crate::social::derive;
use crate::social::write::write_queue;
use crate::write::cache;
use crate::write::lock::BuildLock;
use crate::write::output::{self, WriteReport};

/// Builds the site and prints what it did; returns the exit code.
pub(crate) fn run(options: &BuildOptions, terminal: &Terminal) -> Result<u8> {
    let started = Instant::now();
    let progress = Progress::new(terminal.interactive());
    let result = build(options, &progress);
    progress.clear();
    let report = match result {
        Ok(report) => report,
        Err(errors) => {
            let n = errors.0.len();
            terminal.errors(&errors);
            // A bad command line is told as such, not as a failed build.
            if errors.exit_code() != error::EXIT_USAGE {
                eprintln!(
                    "Build failed with {}; the output folder was left as it was.",
                    count(n, "error")
                );
            }
            return Ok(errors.exit_code());
        }
    };
    for warning in &report.warnings {
        terminal.warning(warning);
    }
    print_report(&report, started.elapsed(), terminal);
    Ok(error::EXIT_OK)
}

/// What a build did.
struct BuildReport {
    /// Posts in the output.
    posts: usize,
    /// Standalone pages in the output.
    pages: usize,
    /// Every post's status at the build clock, whatever the output includes.
    status: StatusFile,
    /// Problems that did not stop the build.
    warnings: Vec<Diagnostic>,
    /// The output folder.
    output: PathBuf,
    /// Where the status was written.
    status_path: PathBuf,
    /// Items in the social queue and the folder it was written to, when the site has channels.
    queue: Option<(usize, PathBuf)>,
    /// Files written, unchanged and removed.
    files: WriteReport,
    /// The build clock.
    now: String,
    /// Whether the build found its inputs as the last build left them, and rendered nothing.
    cached: bool,
}

fn print_report(report: &BuildReport, took: Duration, terminal: &Terminal) {
    let s = &report.status;
    terminal.detail(format_args!("Build clock: {}.", report.now));
    if report.cached {
        terminal.detail("Nothing changed since the last build: no page was rendered.");
    }
    terminal.say(format_args!(
        "Built {} and {} into {} ({} written, {} unchanged, {} removed) in {}.",
        count(report.posts, "post"),
        count(report.pages, "page"),
        report.output.display(),
        count(report.files.written, "file"),
        report.files.unchanged,
        report.files.removed,
        seconds(took)
    ));
    terminal.say(format_args!(
        "Content: {} published, {} scheduled, {}, {} expired, {} stale.",
        s.published,
        s.scheduled,
        count(s.drafts, "draft"),
        s.expired,
        s.stale
    ));
    match &s.next_change {
        Some(next) => terminal.say(format_args!("Next change at {}: {}.", next.at, next.what)),
        None => terminal.say("Next change: none scheduled."),
    }
    terminal.say(format_args!(
        "Status written to {}.",
        report.status_path.display()
    ));
    if let Some((items, dir)) = &report.queue {
        terminal.say(format_args!(
            "Social queue: {} written to {}.",
            count(*items, "item"),
            dir.display()
        ));
    }
}

/// A duration as people read it in a summary: `0.42 s`, `12.3 s`, `2 min 5 s`.
fn seconds(took: Duration) -> String {
    let s = took.as_secs_f64();
    if s < 10.0 {
        format!("{s:.2} s")
    } else if s < 60.0 {
        format!("{s:.1} s")
    } else {
        format!("{} min {} s", took.as_secs() / 60, took.as_secs() % 60)
    }
}

/// Builds the site at `options.root`, counting rendered files on `progress`.
fn build(options: &BuildOptions, progress: &Progress) -> Result<BuildReport> {
    let (config, clock) = options.load()?;
    output::check(&config)?;
    let _lock = BuildLock::take(&config.root)?;
    // The theme does not depend on the content: it is compiled while the content loads.
    let (corpus, compiled) =
        rayon::join(|| Corpus::read(&config), || crate::theme::compile(&config));
    let corpus = corpus?;
    let site = Site::new(&corpus, &config, clock, options.visibility());
    let now = clock.now();
    let mut warnings = links::unpublished_links(&site, &corpus, now);
    warnings.extend(crate::audit::links::declared_links(
        &config, &corpus, &site, None,
    ));
    warnings.extend(notes::content_notes(&corpus, &config.root));
    if options.strict && !warnings.is_empty() {
        return Err(Errors(warnings));
    }
    let (theme, templates) = compiled?;
    // The queue is derived before anything is written, so its errors also leave the output as it was.
    let queue = match &config.social {
        Some(social) => Some((
            social,
            derive::derive(&corpus, &config, social, &templates, &theme, now)?,
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
    let fresh = cache::fresh(&config.root, &inputs, &config.output);
    let cached = fresh.is_some();
    // Every page is rendered into the staging folder before anything else is written, and the
    // output is replaced last: whatever fails before that leaves it as it was.
    let images = ImageCache::open(&config.root);
    let staged = match fresh {
        Some(_) => None,
        None => {
            let staging = output::Staging::open(&config)?;
            let staged = render::render_site(
                &site,
                &theme,
                &templates,
                &images,
                // Nothing reads the Markdown once the bodies are rendered.
                Afterwards::Released,
                |total| progress.planned(total),
                |artifact| {
                    let staged = staging.stage(artifact);
                    progress.step();
                    staged
                },
            )?;
            Some((staging, staged))
        }
    };
    if let Some((social, queue)) = &queue {
        write_queue(&config, social, queue, now)?;
    }
    let status = status::status(&corpus, &config, now);
    let status_path = config.root.join(STATUS_FILE);
    let json = serde_json::to_string_pretty(&status).expect("the status serializes") + "\n";
    output::write_file(&config.root, Path::new(STATUS_FILE), json.as_bytes())?;
    let files = match (staged, fresh) {
        (Some((staging, staged)), _) => {
            let output = staging.fingerprint(&staged);
            let (files, (recorded, pruned)) = staging.commit(&staged, || {
                let recorded = record_cache(&config, inputs, output, staged.len());
                // Only a build that rendered every file knows which derived images are in use.
                let pruned = images.finish().map_err(|e| {
                    Diagnostic::io(Path::new(ImageCache::FOLDER), "clean up", &e)
                        .hint("the site is built; the next build tries again")
                });
                (recorded, pruned)
            })?;
            warnings.extend(files.leftover.clone());
            warnings.extend(recorded.err());
            warnings.extend(pruned.err());
            files
        }
        (None, record) => WriteReport {
            unchanged: record.map_or(0, |r| r.pages),
            ..WriteReport::default()
        },
    };
    Ok(BuildReport {
        posts: site.posts.len(),
        pages: site.pages.len(),
        status,
        warnings,
        output: config.output.clone(),
        status_path,
        queue: queue.map(|(social, queue)| (queue.items.len(), social.output.clone())),
        files,
        now: now.with_timezone(&config.zone).to_rfc3339(),
        cached,
    })
}

/// Records what the build read and the output it left, so that the next build with the same
/// inputs skips rendering. It runs once the new site is in place: a failure only costs the
/// next build its shortcut.
fn record_cache(
    config: &Config,
    inputs: String,
    (output, files): (String, usize),
    pages: usize,
) -> std::result::Result<(), Diagnostic> {
    let record = cache::Record {
        inputs,
        output,
        files,
        pages,
    };
    let json = serde_json::to_string(&record).expect("the cache record serializes");
    output::write_file(&config.root, Path::new(cache::CACHE_FILE), json.as_bytes()).map_err(
        |errors| {
            errors
                .0
                .into_iter()
                .next()
                .expect("an error has a diagnostic")
        },
    )
}
