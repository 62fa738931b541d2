//! Skips rendering when nothing a build reads has changed since the last one: the same
//! binary, options, files (by size and modification time), clock-dependent state (which posts
//! are public, which are stale and how old), and an output folder exactly as that build left it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::load::config::{CONFIG_FILE, Config};
use crate::load::folders::Folder;
use crate::site::freshness;
use crate::site::public::Site;

/// Where the fingerprint of the last build is kept, under the site root.
pub(crate) const CACHE_FILE: &str = ".tribune/cache.json";

/// The last build, as the cache file records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// Hash of everything the build read.
    pub(crate) inputs: String,
    /// Hash of the output folder it left.
    pub(crate) output: String,
    /// Files in the output folder.
    pub(crate) files: usize,
    /// Pages the build made (the output's files but Tribune's marker).
    pub(crate) pages: usize,
}

/// A hash of everything that decides a build's output. `options` is the command line's part.
pub(crate) fn inputs(config: &Config, site: &Site<'_>, options: &impl Hash) -> String {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // A rebuilt binary may render differently under the same version number.
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.metadata().ok())
    {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    options.hash(&mut h);
    config.output.hash(&mut h);
    hash_tree(&config.root.join(CONFIG_FILE), &mut h);
    for folder in Folder::ALL {
        hash_tree(&config.root.join(folder.name()), &mut h);
    }
    let now = site.clock.now();
    chrono::Datelike::year(&now.with_timezone(&config.zone)).hash(&mut h);
    for post in site.posts.iter().chain(&site.pages) {
        post.path.hash(&mut h);
        if let Some(f) = freshness::freshness(post, config.stale_after, now) {
            (f.stale, f.needs_review, f.age_days).hash(&mut h);
        }
    }
    if site.posts.is_empty() {
        // Empty feeds are dated by the clock itself.
        now.timestamp().hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// A hash of the files under `dir` (path, size, modification time) and their count.
pub(crate) fn output(dir: &Path) -> (String, usize) {
    let (sum, count) = tree(dir);
    fingerprint(sum, count)
}

/// The fingerprint [`output`] gives a folder whose files' [`mark`]s add up to `sum`.
pub(crate) fn fingerprint(sum: u64, count: usize) -> (String, usize) {
    (format!("{sum:016x}"), count)
}

/// What a file adds to the fingerprint of the folder it is in: a hash of its `/`-separated
/// path in that folder, its size and its modification time. Marks are added up, so that the
/// sum is the same however the files are visited: a walk finds them folder by folder, in
/// parallel, and a build knows them as it writes them, without walking its output again.
pub(crate) fn mark(path: &str, meta: &std::fs::Metadata) -> u64 {
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    meta.len().hash(&mut h);
    meta.modified().ok().hash(&mut h);
    h.finish()
}

fn hash_tree(path: &Path, h: &mut DefaultHasher) -> usize {
    let (sum, count) = tree(path);
    sum.hash(h);
    count
}

/// The sum of the [`mark`]s of the files under `path`, and their count. Folders are read in
/// parallel: an output holds tens of thousands of files, and this runs while nothing else
/// does. Symbolic links inside are left out; `path` itself is followed.
fn tree(path: &Path) -> (u64, usize) {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => (mark("", &meta), 1),
        Ok(meta) if meta.is_dir() => folder_sum(path, ""),
        _ => (0, 0),
    }
}

/// [`tree`] of the folder `path`, which is at `prefix` in the tree. Its entries are asked what
/// they are through the folder, as it was read, rather than each by its whole path from the
/// root: the kernel then looks up one name for each, not every folder above it.
fn folder_sum(path: &Path, prefix: &str) -> (u64, usize) {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(path)
        .map(|dir| dir.flatten().collect())
        .unwrap_or_default();
    entries
        .par_iter()
        .map(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let inside = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            match entry.file_type() {
                Ok(kind) if kind.is_file() => entry
                    .metadata()
                    .map_or((0, 0), |meta| (mark(&inside, &meta), 1)),
                Ok(kind) if kind.is_dir() => folder_sum(&entry.path(), &inside),
                _ => (0, 0),
            }
        })
        .reduce(|| (0, 0), |a, b| (a.0.wrapping_add(b.0), a.1 + b.1))
}

/// The record of the last build, if its inputs were `inputs` and the output folder is still
/// as it left it.
pub(crate) fn fresh(root: &Path, inputs: &str, output_dir: &Path) -> Option<Record> {
    let text = std::fs::read_to_string(root.join(CACHE_FILE)).ok()?;
    let record: Record = serde_json::from_str(&text).ok()?;
    if record.inputs != inputs {
        return None;
    }
    let (output, files) = output(output_dir);
    (record.output == output && record.files == files).then_some(record)
}
