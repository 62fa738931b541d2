//! The site built in memory for `tribune serve`, rebuilt incrementally: each rebuild loads the
//! site again, then renders only the files whose inputs changed and reuses the others.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::context;
use crate::corpus::Corpus;
use crate::error::Result;
use crate::memo::{self, Keys, Memo, MemoFile};
use crate::pipeline::{BuildOptions, Prepared};
use crate::plan::{self, Planned};
use crate::site::Site;
use crate::source;
use crate::templates::Templates;
use crate::theme::Theme;

/// A site built in memory.
#[derive(Debug)]
pub struct Preview {
    options: BuildOptions,
    memo: Arc<Memo>,
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
}

/// The files of one build, shared with the requests that read them while the next one runs.
#[derive(Debug, Clone, Default)]
pub struct Snapshot(Arc<Memo>);

impl Snapshot {
    /// The bytes of `file` (relative to the output folder: `posts/x/index.html`).
    pub fn get(&self, file: &str) -> Option<Arc<[u8]>> {
        self.0.files.get(file).map(|f| Arc::clone(&f.bytes))
    }

    /// Every file's path, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.0.files.keys().map(String::as_str).collect();
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
        }
    }

    /// The last good build.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot(Arc::clone(&self.memo))
    }

    /// Builds the site again from its files. On error the last good build stays as it was.
    pub fn rebuild(&mut self) -> Result<Rebuilt> {
        let options = &self.options;
        let (config, clock) = options.load()?;
        let corpus = Corpus::build(source::load(&config.root)?, &config)?;
        let site = Site::new(&corpus, &config, clock, options.visibility());
        let theme = Theme::load(&config)?;
        let templates = Templates::compile(&theme, &config)?;
        let base = context::base_context(&site, &theme.strings);

        let settings = (
            format!("{config:?}"),
            options.drafts,
            options.future,
            options.expired,
        );
        let guard = memo::guard(&settings, &theme, &base);
        let nothing = Memo::default();
        let previous = self.memo.valid_for(guard).unwrap_or(&nothing);
        let prepared = Prepared::new(&site, &templates, &base, clock.now(), &previous.bodies)?;
        let jobs = plan::plan(&site, &theme)?;
        let keys = Keys::new(&site, &theme, &prepared.views);
        let keyed: Vec<u64> = jobs.par_iter().map(|p| keys.key(p)).collect();
        let stale: Vec<Planned> = jobs
            .iter()
            .zip(&keyed)
            .filter(|(p, key)| previous.files.get(&p.file).is_none_or(|f| f.key != **key))
            .map(|(p, _)| p.clone())
            .collect();
        let renderer = prepared.renderer(&site, &templates, &theme, base);
        let mut fresh: HashMap<String, Vec<u8>> = renderer
            .render_all(&stale, Ok)?
            .into_iter()
            .map(|a| (a.path, a.bytes))
            .collect();

        let old = &self.memo.files;
        let mut changed = Vec::new();
        let mut files = HashMap::with_capacity(jobs.len());
        for (planned, key) in jobs.iter().zip(keyed) {
            let bytes: Arc<[u8]> = match fresh.remove(&planned.file) {
                Some(bytes) => bytes.into(),
                None => Arc::clone(&previous.files[&planned.file].bytes),
            };
            if old.get(&planned.file).is_none_or(|f| f.bytes != bytes) {
                changed.push(planned.file.clone());
            }
            files.insert(planned.file.clone(), MemoFile { key, bytes });
        }
        changed.extend(old.keys().filter(|f| !files.contains_key(*f)).cloned());
        changed.sort_unstable();

        let bodies = site
            .posts
            .iter()
            .zip(&prepared.posts)
            .chain(site.pages.iter().zip(&prepared.pages))
            .map(|(post, body)| (post.fingerprint, Arc::clone(body)))
            .collect();
        self.memo = Arc::new(Memo {
            guard,
            bodies,
            files,
        });
        Ok(Rebuilt {
            rendered: stale.len(),
            files: jobs.len(),
            changed,
        })
    }
}
