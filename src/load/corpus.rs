//! Every valid post and page of the site, sorted, with no two on one URL.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{self, Diagnostic, Errors, Result};
use crate::load::config::Config;
use crate::load::post::{self, Post};
use crate::load::source::{Asset, Content, SourceKind};

/// All content, whatever its status, validated as a whole.
#[derive(Debug)]
pub(crate) struct Corpus {
    /// Posts, newest first (then by source path, so order never depends on the file system).
    pub(crate) posts: Vec<Arc<Post>>,
    /// Standalone pages, by path.
    pub(crate) pages: Vec<Arc<Post>>,
    /// Files copied as they are.
    pub(crate) assets: Vec<Asset>,
    /// Comments files beside no post.
    pub(crate) stray_comments: Vec<PathBuf>,
}

impl Corpus {
    /// Reads the site's `content/` folder and parses it.
    pub(crate) fn read(config: &Config) -> Result<Corpus> {
        Corpus::build(crate::load::source::load(&config.root)?, config)
    }

    /// Parses every file, then checks what only the whole can tell: URL collisions.
    pub(crate) fn build(content: Content, config: &Config) -> Result<Corpus> {
        let parsed = content
            .files
            .par_iter()
            .map(|f| post::parse(f, config))
            .collect::<Vec<_>>();
        let all = error::collect(parsed)?;
        let mut corpus =
            Corpus::from_posts(all.into_iter().map(Arc::new).collect(), content.assets)?;
        corpus.stray_comments = content.stray_comments;
        Ok(corpus)
    }

    /// Sorts parsed posts and pages and checks what only the whole can tell: URL collisions.
    pub(crate) fn from_posts(all: Vec<Arc<Post>>, assets: Vec<Asset>) -> Result<Corpus> {
        check_collisions(&all)?;
        let (mut posts, mut pages): (Vec<_>, Vec<_>) =
            all.into_iter().partition(|p| p.kind == SourceKind::Post);
        posts.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.source.cmp(&b.source)));
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Corpus {
            posts,
            pages,
            assets,
            stray_comments: Vec::new(),
        })
    }
}

impl Corpus {
    /// Every post and page by its site path.
    pub(crate) fn by_path(&self) -> std::collections::HashMap<&str, &Post> {
        self.posts
            .iter()
            .chain(&self.pages)
            .map(|p| (p.path.as_str(), &**p))
            .collect()
    }
}

/// Two pages on one URL (a page's own or an alias) is an error naming every file involved.
fn check_collisions(all: &[Arc<Post>]) -> Result<()> {
    // The common case, no clash, is told without building the messages.
    let mut seen: HashSet<&str> = HashSet::with_capacity(all.len());
    let clash = all
        .iter()
        .flat_map(|p| {
            std::iter::once(&p.path)
                .chain(&p.aliases)
                .chain(&p.query_aliases)
        })
        .any(|path| !seen.insert(path));
    if !clash {
        return Ok(());
    }
    let mut owners: BTreeMap<&str, Vec<(PathBuf, bool)>> = BTreeMap::new();
    for p in all {
        owners
            .entry(p.path.as_str())
            .or_default()
            .push((p.source.clone(), false));
        for alias in p.aliases.iter().chain(&p.query_aliases) {
            owners
                .entry(alias.as_str())
                .or_default()
                .push((p.source.clone(), true));
        }
    }
    let problems: Vec<Diagnostic> = owners
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(path, files)| {
            let list = files
                .iter()
                .map(|(f, alias)| {
                    format!("{}{}", f.display(), if *alias { " (alias)" } else { "" })
                })
                .collect::<Vec<_>>()
                .join(", ");
            Diagnostic::input(format!(
                "{} files want the URL /{path}: {list}",
                files.len()
            ))
            .at(&files[0].0)
            .hint("give one of them another `slug`, or remove the alias")
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Errors(problems))
    }
}
