//! Writes artifacts into the output folder, and only there (and into its staging folder beside
//! it). The new site is assembled aside and replaces the old one in one atomic rename, so a
//! build that fails, or is stopped at any moment, leaves the old site whole.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::relative;
use crate::error::{Diagnostic, Result};
use crate::load::config::Config;
use crate::load::folders::Folder;
use crate::render::pages::{Artifact, Content};
use crate::write::cache;

/// A file Tribune leaves in every output folder it writes, so it knows the folder is its own.
pub(crate) const MARKER: &str = ".tribune-output";
const MARKER_TEXT: &str = "This folder is written by Tribune; each build replaces its content.\n";
const TEMP_SUFFIX: &str = ".tribune-tmp";

/// What a write changed.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteReport {
    /// Files created or replaced.
    pub(crate) written: usize,
    /// Files already up to date.
    pub(crate) unchanged: usize,
    /// Stale files removed.
    pub(crate) removed: usize,
    /// Why the previous output could not be deleted once the new one was in place.
    pub(crate) leftover: Option<Diagnostic>,
}

/// Refuses an output folder that is not Tribune's to replace: the site root or a folder
/// above it, a source folder, or a folder holding files Tribune did not write.
pub(crate) fn check(config: &Config) -> std::result::Result<(), Diagnostic> {
    let out = resolve(&config.output);
    let root = resolve(&config.root);
    let shown = match relative(&config.root, &config.output) {
        p if p.as_os_str().is_empty() => PathBuf::from("."),
        p => p,
    };
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
    for source in Folder::ALL.map(Folder::name) {
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

/// Where a build assembles the new output: a hidden folder beside the output folder, on the
/// same file system, so that the finished site replaces the old one in a single rename.
pub(crate) fn staging_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| std::ffi::OsString::from("output"), |n| n.to_os_string());
    let mut staging = std::ffi::OsString::from(".");
    staging.push(name);
    staging.push(".tribune-staging");
    out.with_file_name(staging)
}

/// One output file of the build, staged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Staged {
    /// Path relative to the output folder.
    pub(crate) path: String,
    /// Whether it differs from the file already there.
    pub(crate) changed: bool,
    /// Its part of the output's fingerprint: see [`cache::mark`].
    pub(crate) mark: u64,
}

/// The output of one build in the making: the whole new site, assembled in a staging folder
/// beside the output folder as pages are rendered (files that did not change are hard links to
/// the old ones, so they keep their dates and cost no copy). [`commit`] swaps the two folders in
/// one atomic rename and then deletes the old site, so at every moment, whatever stops the
/// build, the output folder holds the old site or the new one, never a mix, and never a staging
/// folder a deploy would publish. A build that fails drops its `Staging`, which removes the
/// staging folder; one that is killed leaves it for the next build to remove.
///
/// [`commit`]: Staging::commit
pub(crate) struct Staging {
    /// The output folder, symbolic links resolved.
    out: PathBuf,
    /// Whether the output folder holds a site: with none, no file is compared with an old one.
    old_site: bool,
    /// The new site in the making.
    dir: PathBuf,
    /// The folders of the staging folder made so far: thousands of files share a few folders,
    /// and asking the file system for each again costs two calls a file.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// The marker file's part of the output's fingerprint.
    marker: u64,
    root: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks the output folder and opens a fresh staging folder beside it.
    pub(crate) fn open(config: &Config) -> Result<Staging> {
        check(config)?;
        let out = resolve(&config.output);
        let dir = staging_path(&out);
        let io = |p: &Path, e: std::io::Error| {
            Diagnostic::io(&relative(&config.root, p), "create folder", &e)
        };
        // A build killed halfway may have left its staging folder, or the old site, behind.
        if dir.symlink_metadata().is_ok() {
            remove_tree(&dir, |_| false).map_err(|e| io(&dir, e))?;
        }
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| io(&dir, e))?;
        let mut staging = Staging {
            old_site: out.is_dir(),
            out,
            dir,
            folders: std::sync::Mutex::default(),
            marker: 0,
            root: config.root.clone(),
            committed: false,
        };
        let marker = staging.dir.join(MARKER);
        let meta = staging.write_new(&marker, MARKER_TEXT.as_bytes())?;
        staging.marker = cache::mark(MARKER, &meta);
        Ok(staging)
    }

    fn io(&self, p: &Path, action: &str, e: std::io::Error) -> Diagnostic {
        Diagnostic::io(&relative(&self.root, p), action, &e)
    }

    /// Writes a new file and returns what it is, asked through the file just written.
    fn write_new(&self, dest: &Path, bytes: &[u8]) -> Result<std::fs::Metadata> {
        let written = std::fs::File::create(dest).and_then(|mut file| {
            file.write_all(bytes)?;
            file.metadata()
        });
        Ok(written.map_err(|e| self.io(dest, "write", e))?)
    }

    /// Stages `artifact`: a link to the file already in the output when it holds the same
    /// bytes, a link to the image cache's file for a derived image, else the new bytes.
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
        let old = self.out.join(rel);
        let dest = self.dir.join(rel);
        if let Some(parent) = dest.parent()
            && !self.folders.lock().is_ok_and(|f| f.contains(parent))
        {
            std::fs::create_dir_all(parent).map_err(|e| self.io(parent, "create folder", e))?;
            if let Ok(mut folders) = self.folders.lock() {
                folders.insert(parent.to_path_buf());
            }
        }
        let (changed, meta) = match &artifact.content {
            Content::Bytes(bytes) => {
                let same = if self.old_site {
                    same_content(&old, bytes)
                } else {
                    None
                };
                let changed = same.is_none();
                // A file system without hard links gets a copy.
                let meta = match same {
                    Some(meta) if std::fs::hard_link(&old, &dest).is_ok() => meta,
                    _ => self.write_new(&dest, bytes)?,
                };
                (changed, meta)
            }
            Content::Cached(file) => {
                let changed = !self.old_site || (!same_file(&old, file) && !same_bytes(&old, file));
                // Linked, a derived image costs neither a read nor a write; the cache may be on
                // another file system than the output, or on one without links.
                if std::fs::hard_link(file, &dest).is_err()
                    && (changed || std::fs::hard_link(&old, &dest).is_err())
                {
                    std::fs::copy(file, &dest).map_err(|e| self.io(&dest, "write", e))?;
                }
                let meta = dest.metadata().map_err(|e| self.io(&dest, "write", e))?;
                (changed, meta)
            }
        };
        Ok(Staged {
            mark: cache::mark(&artifact.path, &meta),
            path: artifact.path,
            changed,
        })
    }

    /// The fingerprint [`cache::output`] will find for the output once `staged` is committed,
    /// known without walking it.
    pub(crate) fn fingerprint(&self, staged: &[Staged]) -> (String, usize) {
        let sum = staged
            .iter()
            .fold(self.marker, |sum, file| sum.wrapping_add(file.mark));
        cache::fingerprint(sum, staged.len() + 1)
    }

    /// Puts the new site in place of the old one, in one rename, then deletes the old one while
    /// `meanwhile` runs (it may read the new site); returns what changed and what `meanwhile`
    /// returned.
    pub(crate) fn commit<T: Send>(
        mut self,
        staged: &[Staged],
        meanwhile: impl FnOnce() -> T + Send,
    ) -> Result<(WriteReport, T)> {
        let written = staged.iter().filter(|f| f.changed).count();
        let mut report = WriteReport {
            written,
            unchanged: staged.len() - written,
            ..WriteReport::default()
        };
        if self.out.symlink_metadata().is_err() {
            std::fs::rename(&self.dir, &self.out).map_err(|e| self.io(&self.out, "write", e))?;
            self.committed = true;
            return Ok((report, meanwhile()));
        }
        swap(&self.dir, &self.out).map_err(|e| self.io(&self.out, "replace", e))?;
        self.committed = true;
        // The old site is now in the staging folder: delete it, counting the files the new
        // site dropped.
        let kept: HashSet<&str> = staged.iter().map(|f| f.path.as_str()).collect();
        let is_stale = |file: &Path| {
            let rel = file.strip_prefix(&self.dir).unwrap_or(file);
            rel != Path::new(MARKER) && !kept.contains(slash(rel).as_str())
        };
        let (removed, then) = rayon::join(|| remove_tree(&self.dir, is_stale), meanwhile);
        match removed {
            Ok(removed) => report.removed = removed,
            Err(e) => {
                report.leftover = Some(
                    self.io(&self.dir, "remove the previous output", e)
                        .hint("the new site is in place; the next build removes this folder"),
                )
            }
        }
        Ok((report, then))
    }
}

/// Whether two paths are one file (two hard links to it).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (a.metadata(), b.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether two paths are one file: never known without Unix's inode numbers.
#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// What the file at `path` is, if it holds `bytes`: a file of another size is not read.
fn same_content(path: &Path, bytes: &[u8]) -> Option<std::fs::Metadata> {
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if meta.len() != bytes.len() as u64 {
        return None;
    }
    let mut old = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut old).ok()?;
    (old == bytes).then_some(meta)
}

/// Whether two files hold the same bytes.
fn same_bytes(a: &Path, b: &Path) -> bool {
    let len = |p: &Path| p.metadata().map(|m| m.len()).ok();
    len(a).is_some_and(|n| len(b) == Some(n))
        && matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

/// `path` with `/` separators.
fn slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Removes a folder and everything in it, files in parallel (an old site can hold tens of
/// thousands of them); returns how many of its files `count` selects.
fn remove_tree(dir: &Path, count: impl Fn(&Path) -> bool + Sync) -> std::io::Result<usize> {
    if !dir.is_dir() || dir.is_symlink() {
        std::fs::remove_file(dir)?;
        return Ok(0);
    }
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).contents_first(true) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    let counted = files
        .par_iter()
        .map(|file| std::fs::remove_file(file).map(|()| usize::from(count(file))))
        .sum::<std::io::Result<usize>>()?;
    // Deepest first: each folder is empty by the time its turn comes.
    for folder in folders {
        std::fs::remove_dir(&folder)?;
    }
    Ok(counted)
}

/// Exchanges two folders in one atomic rename, so that no reader ever finds neither.
#[cfg(target_os = "linux")]
fn swap(new: &Path, out: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let cstring =
        |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (from, to) = (cstring(new)?, cstring(out)?);
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        // Older kernels and some file systems cannot exchange: two renames then.
        Some(libc::ENOSYS | libc::EINVAL) => swap_in_two(new, out),
        _ => Err(e),
    }
}

/// Exchanges two folders with two renames, where one atomic exchange is not available: for an
/// instant the output folder does not exist, but it never holds a mix of two sites.
#[cfg(not(target_os = "linux"))]
fn swap(new: &Path, out: &Path) -> std::io::Result<()> {
    swap_in_two(new, out)
}

fn swap_in_two(new: &Path, out: &Path) -> std::io::Result<()> {
    let mut aside = new.as_os_str().to_os_string();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    std::fs::rename(out, &aside)?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(e);
    }
    std::fs::rename(&aside, new)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir, |_| false);
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
