//! Writes artifacts into the output folder, and only there. Every page is rendered before
//! this runs, so a failed build never touches the previous output; then each changed file is
//! replaced atomically (temporary file, then rename) and stale files are removed.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::relative;
use crate::error::{Diagnostic, Result};
use crate::load::config::Config;
use crate::render::pages::Artifact;

/// A file Tribune leaves in every output folder it writes, so it knows the folder is its own.
pub(crate) const MARKER: &str = ".tribune-output";
const MARKER_TEXT: &str = "This folder is written by Tribune; each build replaces its content.\n";
const TEMP_SUFFIX: &str = ".tribune-tmp";

/// What a write changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WriteReport {
    /// Files created or replaced.
    pub(crate) written: usize,
    /// Files already up to date.
    pub(crate) unchanged: usize,
    /// Stale files removed.
    pub(crate) removed: usize,
}

/// Refuses an output folder that is not Tribune's to replace: the site root or a folder
/// above it, a source folder, or a folder holding files Tribune did not write.
pub(crate) fn check(config: &Config) -> std::result::Result<(), Diagnostic> {
    let out = resolve(&config.output);
    let root = resolve(&config.root);
    let shown = relative(&config.root, &config.output);
    let refuse = |why: String| {
        Err(Diagnostic::input(format!(
            "refusing to use `{}` as the output folder: {why}",
            shown.display()
        ))
        .hint("choose another folder with `--output` or `[build] output`")
        .as_io())
    };
    if root.starts_with(&out) {
        return refuse("it is the site folder or contains it".to_string());
    }
    for source in ["content", "themes", "templates", "static"] {
        if out.starts_with(root.join(source)) {
            return refuse(format!("it is inside the site's `{source}` folder"));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return refuse("it is a file".to_string());
        }
        let has_marker = out.join(MARKER).is_file();
        let empty = std::fs::read_dir(&out)
            .map_err(|e| Diagnostic::io(&shown, "read", &e))?
            .next()
            .is_none();
        if !has_marker && !empty {
            return refuse(format!(
                "it holds files that Tribune did not write (no {MARKER} file)"
            ));
        }
    }
    Ok(())
}

/// The absolute, symlink-free form of `path`, also when its last parts do not exist yet.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Where changed files wait, inside the output folder, until every page of the build is done.
const STAGING_DIR: &str = ".tribune-staging";

/// One output file of the build, staged or found unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Staged {
    /// Path relative to the output folder.
    pub(crate) path: String,
    /// Whether it differs from the file already there.
    pub(crate) changed: bool,
}

/// The output of one build in the making. Changed files are written to a staging folder inside
/// the output folder as they are rendered, so memory does not grow with the site; [`commit`]
/// moves them into place and removes stale files. A build that fails drops its `Staging`, which
/// removes the staging folder and leaves the previous output as it was.
///
/// [`commit`]: Staging::commit
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    root: PathBuf,
    created_out: bool,
    /// Whether the output folder held nothing but the marker: then no file can be stale.
    was_empty: bool,
    committed: bool,
}

impl Staging {
    /// Checks the output folder and opens a fresh staging folder in it.
    pub(crate) fn open(config: &Config) -> Result<Staging> {
        check(config)?;
        let out = config.output.clone();
        let io = |p: &Path, e: std::io::Error| {
            Diagnostic::io(&relative(&config.root, p), "create folder", &e)
        };
        let created_out = !out.exists();
        std::fs::create_dir_all(&out).map_err(|e| io(&out, e))?;
        let was_empty = std::fs::read_dir(&out)
            .map_err(|e| io(&out, e))?
            .flatten()
            .all(|entry| entry.file_name() == MARKER || entry.file_name() == STAGING_DIR);
        let dir = out.join(STAGING_DIR);
        // A build killed halfway may have left its staging folder behind.
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| io(&dir, e))?;
        Ok(Staging {
            out,
            dir,
            root: config.root.clone(),
            created_out,
            was_empty,
            committed: false,
        })
    }

    fn io(&self, p: &Path, action: &str, e: std::io::Error) -> Diagnostic {
        Diagnostic::io(&relative(&self.root, p), action, &e)
    }

    /// Stages `artifact` unless the output already holds the same bytes.
    pub(crate) fn stage(&self, artifact: Artifact) -> Result<Staged> {
        let rel = Path::new(&artifact.path);
        // The plan only makes safe paths; this guard keeps a bug from ever escaping the folder.
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(Diagnostic::input(format!(
                "internal error: unsafe output path `{}`",
                artifact.path
            ))
            .into());
        }
        let changed = !std::fs::read(self.out.join(rel)).is_ok_and(|old| old == artifact.bytes);
        if changed {
            let dest = self.dir.join(rel);
            let parent = dest.parent().expect("a staged file has a parent");
            std::fs::create_dir_all(parent).map_err(|e| self.io(parent, "create folder", e))?;
            std::fs::write(&dest, &artifact.bytes).map_err(|e| self.io(&dest, "write", e))?;
        }
        Ok(Staged {
            path: artifact.path,
            changed,
        })
    }

    /// Moves the staged files into place and removes every file that is not part of the build.
    pub(crate) fn commit(mut self, staged: &[Staged]) -> Result<WriteReport> {
        let out = self.out.clone();
        let marker = out.join(MARKER);
        if !marker.is_file() {
            std::fs::write(&marker, MARKER_TEXT).map_err(|e| self.io(&marker, "write", e))?;
        }
        let mut report = WriteReport::default();
        // A folder the output does not have yet moves in with one rename: a first build makes
        // a handful of renames instead of one per file.
        let mut whole: HashSet<&str> = HashSet::new();
        for file in staged.iter().filter(|f| f.changed) {
            if let Some((top, _)) = file.path.split_once('/')
                && !whole.contains(top)
                && !out.join(top).exists()
            {
                whole.insert(top);
            }
        }
        for top in &whole {
            let dest = out.join(top);
            std::fs::rename(self.dir.join(top), &dest).map_err(|e| self.io(&dest, "write", e))?;
        }
        let mut changed = Vec::new();
        for file in staged {
            if !file.changed {
                report.unchanged += 1;
            } else if file
                .path
                .split_once('/')
                .is_some_and(|(top, _)| whole.contains(top))
            {
                report.written += 1;
            } else {
                changed.push((self.dir.join(&file.path), out.join(&file.path)));
            }
        }
        // Folders first, in order (a file may stand where a folder must go); then the renames,
        // which are independent of each other.
        let mut parents: Vec<&Path> = changed
            .iter()
            .filter_map(|(_, dest)| dest.parent())
            .collect();
        parents.sort();
        parents.dedup();
        for (_, dest) in &changed {
            if dest.is_dir() {
                std::fs::remove_dir_all(dest)
                    .map_err(|e| self.io(dest, "replace a folder by a file", e))?;
            }
        }
        for parent in parents {
            make_dirs(&out, parent).map_err(|e| self.io(parent, "create folder", e))?;
        }
        // A rename within one folder tree is atomic: readers see the old file or the new one.
        let renamed: Vec<Result<()>> = changed
            .par_iter()
            .map(|(from, dest)| {
                std::fs::rename(from, dest).map_err(|e| self.io(dest, "write", e).into())
            })
            .collect();
        crate::error::collect(renamed)?;
        report.written += changed.len();
        if !self.was_empty {
            report.removed = self.remove_stale(staged, marker)?;
        }
        self.committed = true;
        std::fs::remove_dir_all(&self.dir)
            .map_err(|e| self.io(&self.dir, "remove the staging folder", e))?;
        Ok(report)
    }

    /// Removes every file of the output folder that is not part of the build, and the folders
    /// left empty; returns how many files went.
    fn remove_stale(&self, staged: &[Staged], marker: PathBuf) -> Result<usize> {
        let out = &self.out;
        let mut keep: HashSet<PathBuf> = HashSet::with_capacity(staged.len() + 1);
        keep.insert(marker);
        keep.extend(staged.iter().map(|file| out.join(&file.path)));
        let mut removed = 0;
        let staging = self.dir.clone();
        for entry in WalkDir::new(out).min_depth(1).contents_first(true) {
            let entry = entry.map_err(|e| {
                Diagnostic::input(format!("cannot read: {e}"))
                    .at(relative(&self.root, out))
                    .as_io()
            })?;
            let path = entry.path();
            if path.starts_with(&staging) {
                continue;
            }
            if entry.file_type().is_dir() {
                // Only empty folders go; `remove_dir` fails harmlessly on the others.
                let _ = std::fs::remove_dir(path);
            } else if !keep.contains(path) {
                std::fs::remove_file(path).map_err(|e| self.io(path, "remove stale file", e))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
            if self.created_out {
                let _ = std::fs::remove_dir(&self.out);
            }
        }
    }
}

/// Writes one file of Tribune's own under the site root (the build status), atomically.
pub(crate) fn write_file(root: &Path, rel: &Path, bytes: &[u8]) -> Result<()> {
    let dest = root.join(rel);
    let io =
        |p: &Path, e: std::io::Error| Diagnostic::io(rel, &format!("write {}", p.display()), &e);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    if std::fs::read(&dest).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let mut temp = dest.clone().into_os_string();
    temp.push(TEMP_SUFFIX);
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, bytes).map_err(|e| io(&temp, e))?;
    std::fs::rename(&temp, &dest).map_err(|e| io(&dest, e))?;
    Ok(())
}

/// Creates `dir` under `out`, replacing any file that stands where a folder must go.
fn make_dirs(out: &Path, dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut current = out.to_path_buf();
    for part in dir
        .strip_prefix(out)
        .expect("inside the output folder")
        .components()
    {
        current.push(part);
        if current.is_file() || current.is_symlink() {
            std::fs::remove_file(&current)?;
        }
        if !current.is_dir() {
            std::fs::create_dir(&current)?;
        }
    }
    Ok(())
}
