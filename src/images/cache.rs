//! The cache of derived images under `.tribune/images/`: one file per variant, named by the hash
//! of its source's bytes and its parameters, so an unchanged image is never encoded twice.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::images::{Format, derive};

/// The cache folder, under the site root.
pub(crate) const DIR: &str = ".tribune/images";

/// Bumped when variants are encoded differently, so old entries are not reused.
const ENCODING: u32 = 2;

/// The cache file of what `key` describes: two differently seeded hashes, so that two
/// entries never share a name in practice.
fn entry(root: &Path, key: &impl Hash, ext: &str) -> PathBuf {
    let part = |seed: u8| {
        let mut h = DefaultHasher::new();
        (seed, ENCODING, key).hash(&mut h);
        h.finish()
    };
    root.join(DIR)
        .join(format!("{:016x}{:016x}.{ext}", part(1), part(2)))
}

/// The bytes `key` describes: from the cache under `root` when it holds them, else made and
/// kept there (without a root, simply made). A cache that cannot be written only costs the next
/// build time.
pub(crate) fn derived(
    root: Option<&Path>,
    key: &impl Hash,
    ext: &str,
    make: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    let Some(root) = root else {
        return make();
    };
    let file = entry(root, key, ext);
    if let Ok(bytes) = std::fs::read(&file) {
        return Ok(bytes);
    }
    let bytes = make()?;
    if let Some(dir) = file.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let mut temp = file.clone().into_os_string();
        temp.push(format!(".{}.tmp", std::process::id()));
        if std::fs::write(&temp, &bytes).is_ok() && std::fs::rename(&temp, &file).is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
    Ok(bytes)
}

/// The variant of `source` at `width` in `format`.
pub(crate) fn variant(
    root: Option<&Path>,
    source: &[u8],
    width: u32,
    format: Format,
) -> Result<Vec<u8>, String> {
    derived(root, &(source, width, format), format.ext(), || {
        derive(source, width, format)
    })
}
