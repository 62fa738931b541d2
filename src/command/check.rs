//! `tribune check`: everything a build would stop on, and more, found without writing
//! anything (but the cache of `--external`). It reads in stages, as a build does: `site.toml`,
//! then every content file (all their problems at once); once those load, it renders the whole
//! site in memory, drafts and scheduled posts included, and follows every link.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::audit::external::{self, Outcome};
use crate::audit::links::{self, External, Targets};
use crate::body::highlight;
use crate::cli::CheckArgs;
use crate::command::count;
use crate::command::terminal::Terminal;
use crate::error::{self, Diagnostic, Errors, Result};
use crate::images::cache::ImageCache;
use crate::load::corpus::Corpus;
use crate::options::SiteOptions;
use crate::render::pages::Content;
use crate::render::prepare::Afterwards;
use crate::render::{self, plan};
use crate::site::public::{Site, Visibility};
use crate::social::derive;
use crate::write::output;

/// Checks the site and prints every problem; returns the exit code.
pub(crate) fn run(options: &SiteOptions, args: &CheckArgs, terminal: &Terminal) -> Result<u8> {
    let started = Instant::now();
    options.check_command_line(&Default::default())?;
    let found = match check(options, args) {
        Ok(found) => found,
        // A stage that cannot finish (site.toml, the content, the theme) stops the rest.
        Err(Errors(problems)) => Found {
            problems,
            warnings: Vec::new(),
            posts: None,
            external: 0,
        },
    };
    report(found, started.elapsed(), terminal)
}

/// What a check found, and what it read.
struct Found {
    /// Problems: the exit code is 1 when there is one.
    problems: Vec<Diagnostic>,
    /// What is worth a look but does not stop a build.
    warnings: Vec<Diagnostic>,
    /// Posts and pages read, when the content loaded.
    posts: Option<(usize, usize)>,
    /// Links to other sites asked about.
    external: usize,
}

/// A warning for each post or page whose `lang` the theme has no strings in: its page would
/// show the interface in English.
fn unspoken_languages(corpus: &Corpus, theme: &crate::theme::layers::Theme) -> Vec<Diagnostic> {
    corpus
        .posts
        .iter()
        .chain(&corpus.pages)
        .filter_map(|p| {
            let lang = p.lang.as_deref()?;
            if theme.speaks(lang) {
                return None;
            }
            let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
            let mut d = Diagnostic::input(format!(
                "the theme has no interface strings in `{lang}`: this page shows its menus and dates' words in English"
            ))
            .at(&p.source)
            .hint(format!(
                "translate the theme's i18n/en.toml into i18n/{primary}.toml in the site folder"
            ));
            if let Some(line) = p.lang_line {
                d = d.line(line);
            }
            Some(d)
        })
        .collect()
}

/// A warning for each declared language the theme has no strings in, at its table in
/// `site.toml`, and for each translation named after an original that does not exist
/// (`x.en.md` without `x.md`): it is published as a post in its language alone.
fn translation_warnings(
    corpus: &Corpus,
    config: &crate::load::config::Config,
    theme: &crate::theme::layers::Theme,
) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = config
        .languages
        .iter()
        .skip(1)
        .filter(|l| !theme.speaks(&l.code))
        .map(|l| {
            let primary = l.code.split('-').next().unwrap_or(&l.code).to_ascii_lowercase();
            let mut d = Diagnostic::input(format!(
                "the theme has no interface strings in `{}`: its pages show their menus and dates' words in English",
                l.code
            ))
            .at(crate::load::config::CONFIG_FILE)
            .hint(format!(
                "translate the theme's i18n/en.toml into i18n/{primary}.toml in the site folder"
            ));
            if let Some(line) = l.line {
                d = d.line(line);
            }
            d
        })
        .collect();
    let originals: std::collections::HashSet<(&str, crate::load::source::SourceKind)> = corpus
        .posts
        .iter()
        .chain(&corpus.pages)
        .filter(|p| p.edition == 0)
        .map(|p| (p.translation_key.as_str(), p.kind))
        .collect();
    for p in corpus.posts.iter().chain(&corpus.pages) {
        if p.named_translation && !originals.contains(&(p.translation_key.as_str(), p.kind)) {
            let original =
                std::path::Path::new(crate::load::source::CONTENT_DIR).join(&p.translation_key);
            warnings.push(
                Diagnostic::input(format!(
                    "this translation has no original ({} does not exist): it is published in its own language only",
                    original.display()
                ))
                .at(&p.source)
                .hint(format!(
                    "add {}, or name the file without its language and set `lang = \"{}\"`",
                    original.display(),
                    p.lang.as_deref().unwrap_or_default()
                )),
            );
        }
    }
    warnings
}

/// Finds every problem of the site at `options`.
fn check(options: &SiteOptions, args: &CheckArgs) -> Result<Found> {
    let (config, clock) = options.load()?;
    let now = clock.now();
    let corpus = Corpus::read(&config)?;
    let (theme, templates) = crate::theme::compile(&config)?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut warnings = crate::body::notes::content_notes(&corpus, &config.root);
    warnings.extend(unspoken_languages(&corpus, &theme));
    warnings.extend(translation_warnings(&corpus, &config, &theme));
    if config.highlight {
        warnings.extend(
            corpus
                .posts
                .iter()
                .chain(&corpus.pages)
                .flat_map(|p| highlight::unknown_languages(p)),
        );
    }
    let mut keep = |result: Result<()>| {
        if let Err(Errors(found)) = result {
            problems.extend(found);
        }
    };
    keep(output::check(&config).map_err(Errors::from));

    // Every post rendered, whatever its state: a draft's broken shortcode breaks the build
    // that publishes it, and anchors are looked up in what readers will get.
    let everything = Visibility {
        drafts: true,
        future: true,
        expired: true,
    };
    let site = Site::new(&corpus, &config, clock, everything);
    let ids = Mutex::new(HashMap::new());
    // What the last build drew is not drawn again; `check` writes nothing.
    let images = ImageCache::reading(&config.root);
    keep(
        render::render_site(
            &site,
            &theme,
            &templates,
            &images,
            // The links are checked in the Markdown afterwards.
            Afterwards::Kept,
            |_| {},
            |artifact| {
                if let (true, Content::Bytes(bytes)) =
                    (artifact.path.ends_with(".html"), &artifact.content)
                {
                    let found = links::html_ids(&String::from_utf8_lossy(bytes));
                    let path = links::site_path(&artifact.path).to_string();
                    ids.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(path, found);
                }
                Ok(())
            },
        )
        .map(|_| ()),
    );
    let public = Site::new(&corpus, &config, clock, Visibility::default());
    let outputs = match plan::plan(&public, &theme) {
        Ok(planned) => planned.into_iter().map(|p| p.site_path).collect(),
        Err(Errors(found)) => {
            problems.extend(found);
            Default::default()
        }
    };
    let targets = Targets {
        outputs,
        ids: ids.into_inner().unwrap_or_else(|e| e.into_inner()),
    };
    let (found, external) = links::check(&corpus, &config, now, &targets);
    problems.extend(found);
    problems.extend(links::declared_links(
        &config,
        &corpus,
        &public,
        Some(&targets.outputs),
    ));
    if let Some(social) = &config.social
        && let Err(Errors(found)) =
            derive::derive(&corpus, &config, social, &templates, &theme, now)
    {
        problems.extend(found);
    }
    let mut checked_external = 0;
    if args.external {
        let timeout = Duration::from_secs(args.timeout);
        let (found, unsure, asked) = check_external(&config.root, &external, timeout, now)?;
        problems.extend(found);
        warnings.extend(unsure);
        checked_external = asked;
    }
    Ok(Found {
        problems,
        warnings,
        posts: Some((corpus.posts.len(), corpus.pages.len())),
        external: checked_external,
    })
}

/// Prints the warnings and the problems, file by file and line by line, then a summary that
/// counts both; returns the exit code.
fn report(found: Found, took: Duration, terminal: &Terminal) -> Result<u8> {
    let Found {
        mut problems,
        mut warnings,
        posts,
        external,
    } = found;
    for list in [&mut warnings, &mut problems] {
        list.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        list.dedup();
    }
    for w in &warnings {
        terminal.warning(w);
    }
    let read = match posts {
        Some((posts, pages)) => format!(
            " ({} and {}{} checked)",
            count(posts, "post"),
            count(pages, "page"),
            if external > 0 {
                format!(", {}", count(external, "external link"))
            } else {
                String::new()
            }
        ),
        None => "; links are checked once these are fixed".to_string(),
    };
    if problems.is_empty() {
        let found = match warnings.len() {
            0 => "No problems found".to_string(),
            n => format!("No errors, {}", count(n, "warning")),
        };
        terminal.say(format_args!(
            "{found}{read} in {:.2} s.",
            took.as_secs_f64()
        ));
        return Ok(error::EXIT_OK);
    }
    let files = problems
        .iter()
        .filter_map(|d| d.path.as_ref())
        .collect::<BTreeSet<_>>()
        .len();
    let errors = Errors(problems);
    terminal.errors(&errors);
    let and_warnings = match warnings.len() {
        0 => String::new(),
        n => format!(", and {}", count(n, "warning")),
    };
    eprintln!(
        "Found {} in {}{and_warnings}{read}.",
        count(errors.0.len(), "problem"),
        count(files.max(1), "file"),
    );
    Ok(errors.exit_code())
}

/// Asks about every link to another site; returns the broken ones as problems, those the site
/// would not tell about as warnings, and how many distinct links were asked about.
fn check_external(
    root: &std::path::Path,
    found: &[External],
    timeout: Duration,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<Diagnostic>, Vec<Diagnostic>, usize)> {
    let urls: Vec<String> = found.iter().map(|e| e.url.clone()).collect();
    let outcomes = external::check(root, &urls, external::Settings { timeout }, now)?;
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    for link in found {
        let at = |message: String| {
            Diagnostic::input(message)
                .at(&link.file)
                .line(link.line)
                .columns(link.columns.0, link.columns.1)
        };
        match outcomes.get(&link.url) {
            Some(Outcome::Broken(why)) => {
                problems.push(at(format!("the link to {} is broken: {why}", link.url)));
            }
            Some(Outcome::Unsure(why)) => {
                warnings.push(at(format!("could not check {}: {why}", link.url)));
            }
            _ => {}
        }
    }
    Ok((problems, warnings, outcomes.len()))
}
