//! The site built in memory for `tribune serve`, rebuilt incrementally: a rebuild reads only the
//! files that changed, keeps what they do not touch (parsed posts, rendered bodies, views,
//! related posts, compiled templates), and renders only the output files whose inputs changed.

use std::ffi::OsString;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::error::{self, Errors, Result};
use crate::hash::{QuickMap, QuickSet};
use crate::images::cache::ImageCache;
use crate::load::config::Config;
use crate::load::corpus::Corpus;
use crate::load::post::{self, Post};
use crate::load::source;
use crate::options::BuildOptions;
use crate::render::context;
use crate::render::inputs::{Gather, Inputs};
use crate::render::pages::Renderer;
use crate::render::plan::{self, Planned};
use crate::render::prepare::{Afterwards, Makers, Prepared};
use crate::serve::memo::{self, Caches, Held, Known, Memo, MemoFile, Paths};
use crate::site::public::{Related, Site};
use crate::theme::layers::Theme;
use crate::theme::templates::Templates;

/// A site built in memory.
#[derive(Debug)]
pub struct Preview {
    options: BuildOptions,
    memo: Arc<Memo>,
    parsed: Parsed,
    related: Related,
    templates: Compiled,
    caches: Caches,
    /// Each language's search index, as the last build left it.
    search: Vec<crate::search::index::Index>,
    /// The Hugo shortcode hints of each post and page as last parsed.
    hints: PostHints,
    /// The theme as the last build loaded it, under the settings it was loaded with.
    theme: Option<(u64, Arc<Theme>)>,
}

/// The Hugo shortcode hints of each post and page, by the parse they were read from: a save
/// reads again only the bodies it changed, not every body of the site.
#[derive(Debug, Default)]
struct PostHints(QuickMap<usize, (Arc<Post>, Vec<error::Diagnostic>)>);

impl PostHints {
    /// The notes on `corpus`'s content, the site at `root`, an unchanged file's remembered.
    fn notes(&mut self, corpus: &Corpus, root: &Path) -> Vec<error::Diagnostic> {
        // A parse is known by its address, which the map holds: no other can take it meanwhile.
        let address = |post: &Arc<Post>| Arc::as_ptr(post) as usize;
        let fresh: QuickMap<usize, (Arc<Post>, Vec<error::Diagnostic>)> = corpus
            .posts
            .par_iter()
            .chain(corpus.pages.par_iter())
            .map(|post| {
                let hints = match self.0.get(&address(post)) {
                    Some((_, hints)) => hints.clone(),
                    None => crate::body::hugo::post_hints(post),
                };
                (address(post), (Arc::clone(post), hints))
            })
            .collect();
        let notes = crate::body::notes::content_notes_with(corpus, root, |post| {
            fresh
                .get(&address(post))
                .map_or_else(Vec::new, |(_, hints)| hints.clone())
        });
        self.0 = fresh;
        notes
    }
}

/// The templates compiled by an earlier rebuild, with the hash of what they were compiled from.
#[derive(Default)]
struct Compiled(Option<(u64, Arc<Templates>)>);

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Compiled")
    }
}

impl Compiled {
    /// The templates of `theme`, compiled again only when a template or the configuration
    /// changed.
    fn compile(&mut self, theme: &Theme, config: &Config, settings: u64) -> Result<Arc<Templates>> {
        let mut h = DefaultHasher::new();
        settings.hash(&mut h);
        for (name, source) in &theme.templates {
            (name, &source.text, &source.origin).hash(&mut h);
        }
        let key = h.finish();
        match &self.0 {
            Some((known, templates)) if *known == key => Ok(Arc::clone(templates)),
            _ => {
                let templates = Arc::new(Templates::compile(theme, config)?);
                self.0 = Some((key, Arc::clone(&templates)));
                Ok(templates)
            }
        }
    }
}

/// Posts parsed by earlier rebuilds, by file, with the file's size and modification time then.
#[derive(Debug, Default)]
struct Parsed {
    /// Hash of the configuration they were parsed under.
    guard: u64,
    /// By absolute path, as bytes: every save looks each of the site's files up twice, and a
    /// `Path` hashes and compares component by component.
    posts: QuickMap<OsString, (PostStamp, Arc<Post>)>,
    /// What `content/` held at the last good rebuild.
    listing: Option<source::Listing>,
    /// The size and modification time of every other file under `content/` then.
    assets: Vec<Option<Stamp>>,
}

/// A file's size and modification time.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// The stamps of a post's Markdown file and of its comments file: a post is read again when
/// either changes.
type PostStamp = (Stamp, Option<Stamp>);

fn post_stamp(md: &Path) -> Option<PostStamp> {
    Some((stamp(md)?, source::beside(md).and_then(|c| stamp(&c))))
}

/// What one rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Files rendered (the others were reused).
    pub rendered: usize,
    /// Files in the site.
    pub files: usize,
    /// Files whose bytes changed, appeared or disappeared, sorted.
    pub changed: Vec<String>,
    /// What the content holds that Tribune points out without stopping (Hugo shortcodes, a
    /// Hugo `post/` folder), as a build warns about it.
    pub notes: Vec<crate::error::Diagnostic>,
}

/// The files of one build, shared with the requests that read them while the next one runs.
#[derive(Debug, Clone, Default)]
pub struct Snapshot(Arc<Memo>);

impl Snapshot {
    /// The bytes of `file` (relative to the output folder: `posts/x/index.html`).
    pub fn get(&self, file: &str) -> Option<Arc<[u8]>> {
        self.0.get(file)?.content.read()
    }

    /// Whether the site has `file`, without reading it.
    pub fn has(&self, file: &str) -> bool {
        self.0.get(file).is_some()
    }

    /// Every file's path, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.0.paths.order.iter().map(|p| &**p).collect();
        paths.sort_unstable();
        paths
    }
}

impl Preview {
    /// A preview of the site `options` describe; nothing is built until [`Preview::rebuild`].
    pub fn new(options: BuildOptions) -> Preview {
        Preview {
            options,
            memo: Arc::default(),
            parsed: Parsed::default(),
            related: Related::default(),
            templates: Compiled::default(),
            caches: Caches::default(),
            search: Vec::new(),
            hints: PostHints::default(),
            theme: None,
        }
    }

    /// The last good build.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot(Arc::clone(&self.memo))
    }

    /// Builds the site again from its files, checking every file's size and modification time.
    /// On error the last good build stays as it was.
    pub fn rebuild(&mut self) -> Result<Rebuilt> {
        self.build(None)
    }

    /// Builds the site again after `changes` (absolute paths of the files and folders that
    /// changed, as a file watcher reports them): only those Markdown files are read again.
    /// A change under `content/` to anything but a Markdown file (a cover image, a folder) has
    /// the content listed and read again.
    pub fn rebuild_after(&mut self, changes: &[PathBuf]) -> Result<Rebuilt> {
        self.build(Some(changes))
    }

    /// The theme: the last build's when only content changed since, read again otherwise.
    /// Most saves change a post, and reading the theme's files was about a fifteenth of such
    /// a save's work at 1,000 posts.
    fn theme(
        last: &mut Option<(u64, Arc<Theme>)>,
        config: &Config,
        changes: Option<&[PathBuf]>,
    ) -> Result<Arc<Theme>> {
        let content = config.root.join(source::CONTENT_DIR);
        let only_content =
            changes.is_some_and(|changes| changes.iter().all(|p| p.starts_with(&content)));
        if let Some((settings, theme)) = last
            && only_content
            && *settings == config.fingerprint
        {
            return Ok(Arc::clone(theme));
        }
        // Forgotten first: a theme that fails to load is read again at the next save.
        *last = None;
        let theme = Arc::new(Theme::load(config)?);
        *last = Some((config.fingerprint, Arc::clone(&theme)));
        Ok(theme)
    }

    fn build(&mut self, changes: Option<&[PathBuf]>) -> Result<Rebuilt> {
        let options = &self.options;
        let (config, clock) = options.load()?;
        let settings = config.fingerprint;
        let corpus = self.parsed.corpus(&config, settings, changes)?;
        let notes = self.hints.notes(&corpus, &config.root);
        let site = Site::reusing(
            &corpus,
            &config,
            clock,
            options.visibility(),
            Some(&self.related),
        );
        let theme = Preview::theme(&mut self.theme, &config, changes)?;
        let templates = self.templates.compile(&theme, &config, settings)?;
        let bases = context::bases(&site, &theme);

        let settings = (settings, options.drafts, options.future, options.expired);
        let guard = memo::guard(&settings, &theme, &bases);
        let now = clock.now();
        let view_keys: Vec<(u64, u64)> = site
            .posts
            .par_iter()
            .map(|post| memo::view_key(post, &config, now))
            .collect();
        let makers = Makers {
            site: &site,
            templates: &templates,
            bases: &bases,
            now,
            markdown: Afterwards::Kept,
        };
        let known = Known {
            caches: self.caches.under(guard),
            view_keys: &view_keys,
        };
        let prepared = Prepared::new(&makers, &known)?;
        // The indexes of the last build are brought up to date: an edit changes the files
        // of its own words only. A change of theme or settings makes them anew. Both walks
        // are mostly one thread's work: each gets a core.
        let mut search = std::mem::take(&mut self.search);
        let (jobs, ()) = rayon::join(
            || plan::plan(&site, &theme),
            || {
                if config.search {
                    crate::render::search::update(&mut search, &site, &prepared, guard);
                } else {
                    search.clear();
                }
            },
        );
        let jobs = jobs.inspect_err(|_| self.search = std::mem::take(&mut search))?;
        let gather = Gather::new(&site, &prepared, &theme, &search);
        let inputs: Vec<Inputs<'_>> = jobs.par_iter().map(|p| gather.inputs(&p.job)).collect();
        let page_templates = memo::page_templates(&theme);
        let keys: Vec<u64> = jobs
            .par_iter()
            .zip(&inputs)
            .map(|(p, inputs)| memo::key(p, inputs, &page_templates))
            .collect();
        // The build's image cache, read only: a card or a photo the last build made is not made
        // again, and the memo holds its file rather than its bytes.
        let images = ImageCache::reading(&config.root);
        let renderer = Renderer::new(&config, &theme, &templates, bases, &images);
        let outcome = Rebuilt {
            notes,
            ..self.render(&jobs, &inputs, keys, guard, &renderer)?
        };
        drop(inputs);
        self.search = search;

        self.caches.keep(
            site.posts.iter().copied().zip(&prepared.posts),
            site.pages.iter().copied().zip(&prepared.pages),
            view_keys.into_iter().zip(&prepared.posts),
        );
        self.related = site.related.clone();
        // What this save made and needs no more, off the way to the browser.
        crate::memory::free_elsewhere((jobs, prepared));
        Ok(outcome)
    }

    /// Renders the files whose key changed since the last good build, keeps the others, and
    /// makes the result the last good build.
    fn render(
        &mut self,
        jobs: &[Planned],
        inputs: &[Inputs<'_>],
        keys: Vec<u64>,
        guard: u64,
        renderer: &Renderer<'_>,
    ) -> Result<Rebuilt> {
        let nothing = Memo::default();
        let previous = self.memo.valid_for(guard).unwrap_or(&nothing);
        // A rebuild that plans the same files as the last one (any edit that adds, removes or
        // moves no page) finds each file's previous self at the same position.
        let old = Arc::clone(&self.memo);
        let same_plan = old.paths.order.len() == jobs.len()
            && jobs
                .iter()
                .zip(&old.paths.order)
                .all(|(p, path)| p.file == **path);
        let paths = if same_plan {
            Arc::clone(&old.paths)
        } else {
            Arc::new(Paths::new(
                jobs.iter().map(|p| Arc::from(p.file.as_str())).collect(),
            ))
        };
        let at = |memo: &'_ Memo, k: usize| -> Option<MemoFile> {
            if same_plan {
                memo.files.get(k).cloned()
            } else {
                memo.get(&jobs[k].file).cloned()
            }
        };
        let before: Vec<Option<MemoFile>> = (0..jobs.len()).map(|k| at(previous, k)).collect();
        let stale: Vec<usize> = (0..jobs.len())
            .filter(|&k| before[k].as_ref().is_none_or(|f| f.key != keys[k]))
            .collect();
        let fresh = error::collect(
            stale
                .par_iter()
                .map(|&k| renderer.render(&jobs[k], &inputs[k]).map_err(Errors::from))
                .collect::<Vec<_>>(),
        )?;

        let mut files: Vec<MemoFile> = before
            .into_iter()
            .zip(keys)
            .map(|(file, key)| MemoFile {
                key,
                content: file.map_or_else(|| Held::Bytes(Arc::from(&[][..])), |f| f.content),
            })
            .collect();
        for (&k, content) in stale.iter().zip(fresh) {
            files[k].content = content.into();
        }
        let mut changed: Vec<String> = (0..jobs.len())
            .filter(|&k| at(&old, k).is_none_or(|f| !f.content.same(&files[k].content)))
            .map(|k| jobs[k].file.clone())
            .collect();
        if !same_plan {
            changed.extend(
                old.paths
                    .order
                    .iter()
                    .filter(|path| !paths.index.contains_key(&***path))
                    .map(|path| path.to_string()),
            );
        }
        changed.sort_unstable();
        self.memo = Arc::new(Memo {
            guard,
            paths,
            files,
        });
        Ok(Rebuilt {
            rendered: stale.len(),
            files: jobs.len(),
            changed,
            notes: Vec::new(),
        })
    }
}

impl Parsed {
    /// The corpus of the files on disk, parsing only the Markdown files that are new or
    /// changed since they were last parsed. With `changes`, only those files count as changed;
    /// without, the content is listed again and every file's size and modification time checked.
    fn corpus(
        &mut self,
        config: &Config,
        guard: u64,
        changes: Option<&[PathBuf]>,
    ) -> Result<Corpus> {
        if guard != self.guard {
            self.posts.clear();
            self.guard = guard;
        }
        let content = config.root.join(source::CONTENT_DIR);
        let told = changes.map(|changes| {
            changes
                .iter()
                .filter(|p| p.starts_with(&content))
                .collect::<Vec<_>>()
        });
        let markdown_only = told.as_ref().is_some_and(|t| {
            t.iter().all(|p| {
                p.extension().is_some_and(|e| e == "md")
                    || source::is_comments(&p.to_string_lossy())
            })
        });
        let listing = match (told, self.listing.as_mut()) {
            (Some(told), Some(listing)) if markdown_only => {
                for path in told {
                    // A comments file is read with its post.
                    let path = &if p_is_comments(path) {
                        source::owner(path).unwrap_or_else(|| path.to_path_buf())
                    } else {
                        path.to_path_buf()
                    };
                    listing
                        .markdown
                        .retain(|f| f.abs.as_os_str() != path.as_os_str());
                    // Read again until it parses, even if this rebuild fails.
                    self.posts.remove(path.as_os_str());
                    if path.is_file() {
                        let relative = path.strip_prefix(&content).expect("inside content/");
                        listing.markdown.push(source::Found {
                            abs: path.clone(),
                            content_path: source::slash_path(relative),
                            comments: source::beside(path).filter(|c| c.is_file()),
                        });
                    }
                }
                listing
            }
            _ => {
                let listing = source::scan(&config.root)?;
                let assets: Vec<Option<Stamp>> =
                    listing.assets.iter().map(|a| stamp(&a.source)).collect();
                let same_assets = self
                    .listing
                    .as_ref()
                    .is_some_and(|known| known.assets == listing.assets);
                if !(same_assets && assets == self.assets) {
                    // An image's size is part of its post: read them all again.
                    self.posts.clear();
                }
                let present: QuickSet<&Path> =
                    listing.markdown.iter().map(|f| f.abs.as_path()).collect();
                self.posts.retain(|path, (then, _)| {
                    let path = Path::new(path);
                    present.contains(path) && post_stamp(path) == Some(*then)
                });
                self.assets = assets;
                self.listing.insert(listing)
            }
        };
        let known = &self.posts;
        let parsed: Vec<Result<(PathBuf, PostStamp, Post)>> = listing
            .markdown
            .par_iter()
            .filter(|f| !known.contains_key(f.abs.as_os_str()))
            .map(|found| {
                let stamp = post_stamp(&found.abs).unwrap_or_default();
                let file = source::read(
                    &config.root,
                    &found.abs,
                    found.content_path.clone(),
                    found.comments.as_deref(),
                )?;
                Ok((found.abs.clone(), stamp, post::parse(&file, config)?))
            })
            .collect();
        for (path, stamp, post) in error::collect(parsed)? {
            self.posts
                .insert(path.into_os_string(), (stamp, Arc::new(post)));
        }
        Corpus::from_posts(
            listing
                .markdown
                .iter()
                .map(|f| Arc::clone(&self.posts[f.abs.as_os_str()].1))
                .collect(),
            listing.assets.clone(),
        )
    }
}

/// Whether a changed path is a post's comments file.
fn p_is_comments(path: &Path) -> bool {
    source::is_comments(&path.to_string_lossy())
}
