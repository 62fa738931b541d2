//! Writes artifacts into the output folder, and only there. Every page is rendered before
//! this runs, so a failed build never touches the previous output; then each changed file is
//! replaced atomically (temporary file, then rename) and stale files are removed.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Result};
use crate::render::Artifact;
use crate::source::relative;

/// A file Tribune leaves in every output folder it writes, so it knows the folder is its own.
pub(crate) const MARKER: &str = ".tribune-output";
const MARKER_TEXT: &str = "This folder is written by Tribune; each build replaces its content.\n";
const TEMP_SUFFIX: &str = ".tribune-tmp";

/// What a write changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
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

/// Writes `artifacts` into `config.output` and removes every other file there.
pub(crate) fn write(config: &Config, artifacts: &[Artifact]) -> Result<WriteReport> {
    check(config)?;
    let out = &config.output;
    let shown = |p: &Path| relative(&config.root, p);
    let io = |p: &Path, action: &str, e: std::io::Error| Diagnostic::io(&shown(p), action, &e);
    std::fs::create_dir_all(out).map_err(|e| io(out, "create the output folder", e))?;
    let marker = out.join(MARKER);
    if !marker.is_file() {
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| io(&marker, "write", e))?;
    }

    let mut report = WriteReport::default();
    let mut keep: HashSet<PathBuf> = HashSet::with_capacity(artifacts.len() + 1);
    keep.insert(marker);
    for artifact in artifacts {
        let rel = Path::new(&artifact.path);
        // The plan only makes safe paths; this guard keeps a bug from ever escaping the folder.
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(Diagnostic::input(format!(
                "internal error: unsafe output path `{}`",
                artifact.path
            ))
            .into());
        }
        let dest = out.join(rel);
        keep.insert(dest.clone());
        if std::fs::read(&dest).is_ok_and(|old| old == artifact.bytes) {
            report.unchanged += 1;
            continue;
        }
        if dest.is_dir() {
            std::fs::remove_dir_all(&dest)
                .map_err(|e| io(&dest, "replace a folder by a file", e))?;
        }
        let parent = dest.parent().expect("an output file has a parent");
        make_dirs(out, parent).map_err(|e| io(parent, "create folder", e))?;
        let mut temp = dest.clone().into_os_string();
        temp.push(TEMP_SUFFIX);
        let temp = PathBuf::from(temp);
        std::fs::write(&temp, &artifact.bytes).map_err(|e| io(&temp, "write", e))?;
        std::fs::rename(&temp, &dest).map_err(|e| io(&dest, "write", e))?;
        report.written += 1;
    }

    for entry in WalkDir::new(out).min_depth(1).contents_first(true) {
        let entry = entry.map_err(|e| {
            Diagnostic::input(format!("cannot read: {e}"))
                .at(shown(out))
                .as_io()
        })?;
        let path = entry.path();
        if entry.file_type().is_dir() {
            // Only empty folders go; `remove_dir` fails harmlessly on the others.
            let _ = std::fs::remove_dir(path);
        } else if !keep.contains(path) {
            std::fs::remove_file(path).map_err(|e| io(path, "remove stale file", e))?;
            report.removed += 1;
        }
    }
    Ok(report)
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
