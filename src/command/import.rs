//! `tribune import wordpress EXPORT.xml`: a WordPress site's posts, pages, comments and media
//! into `content/`; `tribune import hugo SRC` and `tribune import jekyll SRC`: a Hugo or
//! Jekyll site's; then a report of what came in and what did not.

use std::path::Path;

use crate::cli::{SiteArgs, WordpressArgs};
use crate::command::count;
use crate::command::terminal::Terminal;
use crate::error::{self, Diagnostic, Result};
use crate::import::{Counted, Report, download, plan, site_toml, write, wxr};
use crate::options::SiteOptions;

/// Imports the export and prints the report; returns the exit code.
pub(crate) fn run(options: &SiteOptions, args: &WordpressArgs, terminal: &Terminal) -> Result<u8> {
    let (config, _) = options.load()?;
    let shown = args.export.as_path();
    let export = wxr::read(&args.export, shown)?;
    if !export.wxr {
        return Err(Diagnostic::input(
            "this file is not a WordPress export (it has no wp:wxr_version)",
        )
        .at(shown)
        .hint("in WordPress, use Tools > Export > All content")
        .into());
    }
    if let Some(dir) = args.uploads.as_deref().filter(|d| !d.is_dir()) {
        return Err(
            Diagnostic::usage(format!("--uploads: {} is not a folder", dir.display())).into(),
        );
    }
    let downloader = args
        .download_media
        .then(|| download::Downloader::new(&config.root));
    let settings = plan::Settings {
        zone: config.zone,
        permalink: &config.permalink,
        uploads: args.uploads.as_deref(),
        download: downloader.as_ref(),
        taxonomies: &config.taxonomies,
        feed: config.feeds.formats.first().map(|f| f.file_name()),
    };
    let mut planned = plan::plan(export, &settings);
    apply(&config.root, "wordpress", &mut planned, args.force)?;
    print(&planned.report, Some(args.download_media), terminal);
    Ok(error::EXIT_OK)
}

/// The engines whose site folder `tribune import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    /// `tribune import hugo`.
    Hugo,
    /// `tribune import jekyll`.
    Jekyll,
}

/// Imports a Hugo or Jekyll site and prints the report; returns the exit code.
pub(crate) fn run_site(
    options: &SiteOptions,
    args: &SiteArgs,
    engine: Engine,
    terminal: &Terminal,
) -> Result<u8> {
    let (config, clock) = options.load()?;
    if !args.source.is_dir() {
        return Err(Diagnostic::usage(format!(
            "{} is not a folder: give the other site's folder",
            args.source.display()
        ))
        .into());
    }
    let source = args.source.canonicalize().unwrap_or(args.source.clone());
    if config.root.canonicalize().ok().as_deref() == Some(source.as_path()) {
        return Err(Diagnostic::usage(
            "the site to import is this one: run the import from a new site (`tribune init`), with --root",
        )
        .into());
    }
    let target = crate::import::generator::Target {
        zone: config.zone,
        permalink: &config.permalink,
        now: clock.now(),
    };
    let (mut planned, name) = match engine {
        Engine::Hugo => (crate::import::hugo::plan(&source, &target)?, "hugo"),
        Engine::Jekyll => (crate::import::jekyll::plan(&source, &target)?, "jekyll"),
    };
    apply(&config.root, name, &mut planned, args.force)?;
    print(&planned.report, None, terminal);
    Ok(error::EXIT_OK)
}

/// Writes an import's files into the site at `root` and adds its settings, menu and old
/// addresses to `site.toml`, as init's starter files allow; the report says what was done.
fn apply(root: &Path, engine: &str, planned: &mut plan::Plan, force: bool) -> Result<()> {
    write::write(
        root,
        engine,
        &planned.files,
        force,
        &crate::command::init::is_sample,
        &mut planned.report,
    )?;
    site_toml::add(
        root,
        &planned.additions,
        &crate::command::init::starter_settings(),
        &mut planned.report,
    )
}

/// Prints the report: counts, then what was kept, left out or missing. `download` is
/// WordPress's `--download-media`, `None` for an import without comments or uploads.
fn print(report: &Report, download: Option<bool>, terminal: &Terminal) {
    let posts = format!(
        "{}, {}, {} and {}",
        count(report.count(Counted::Post), "post"),
        count(report.count(Counted::Page), "page"),
        count(report.count(Counted::Draft), "draft"),
        count(report.count(Counted::Scheduled), "scheduled post"),
    );
    terminal.say(match download {
        Some(_) => format!(
            "Imported {posts}; {}, and {} awaiting moderation.",
            count(report.comments, "comment"),
            report.pending
        ),
        None => format!("Imported {posts}."),
    });
    let args_download = download == Some(true);
    terminal.say(format!(
        "Wrote {}; {} already up to date.",
        count(report.written, "file"),
        report.unchanged
    ));
    if let Some(added) = &report.site_toml {
        terminal.say(added);
    }
    for (kept, edited) in &report.kept {
        terminal.warn(&if *edited {
            format!("{kept} was edited since the last import: kept as it is (--force overwrites it)")
        } else {
            format!("{kept} already exists and was not made by an import: kept as it is, and the export's version not imported (--force overwrites it)")
        });
    }
    group(terminal, "Needs a look", &report.warnings, |text| {
        terminal.warn(text)
    });
    group(terminal, "Left out", &report.left_out, |text| {
        terminal.say(format!("    {text}"))
    });
    if !report.refused.is_empty() {
        for r in &report.refused {
            terminal.warn(&format!("refused: {r}"));
        }
    }
    if !report.missing.is_empty() {
        terminal.say(format!(
            "Media not found in the uploads folder{} ({}), still linked to their old address:",
            if args_download { " nor downloaded" } else { "" },
            report.missing.len()
        ));
        for m in &report.missing {
            terminal.say(format!("  {m}"));
        }
    }
}

/// Prints a part of the report by kind of thing, with counts: each thing too when its kind
/// has a few, else with `--verbose`, so that a large export's report stays readable.
fn group(
    terminal: &Terminal,
    title: &str,
    entries: &[(&'static str, String)],
    show: impl Fn(&str),
) {
    /// How many entries of one kind are listed without `--verbose`.
    const FEW: usize = 5;
    if entries.is_empty() {
        return;
    }
    let mut kinds: Vec<&'static str> = entries.iter().map(|e| e.0).collect();
    kinds.sort_unstable();
    kinds.dedup();
    terminal.say(format!("{title} ({}):", entries.len()));
    for kind in kinds {
        let of_kind: Vec<&String> = entries
            .iter()
            .filter(|e| e.0 == kind)
            .map(|e| &e.1)
            .collect();
        terminal.say(format!("  {} {kind}", of_kind.len()));
        for text in &of_kind {
            if of_kind.len() <= FEW {
                show(text);
            } else {
                terminal.detail(format!("    {text}"));
            }
        }
    }
}
