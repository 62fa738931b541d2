//! The cache of derived images under `.tribune/images/`: one file per variant, named by the hash
//! of its source's bytes and its parameters, so an unchanged image is never encoded twice.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::images::{Format, derive};

/// The cache folder, under the site root.
pub(crate) const DIR: &str = ".tribune/images";

/// Bumped when variants are encoded differently, so old entries are not reused.
const ENCODING: u32 = 1;

/// The cache file of a variant: two differently seeded hashes, so that two variants never
/// share a name in practice.
fn entry(root: &Path, source: &[u8], width: u32, format: Format) -> PathBuf {
    let part = |seed: u8| {
        let mut h = DefaultHasher::new();
        (seed, ENCODING, source, width, format).hash(&mut h);
        h.finish()
    };
    root.join(DIR)
        .join(format!("{:016x}{:016x}.{}", part(1), part(2), format.ext()))
}

/// The variant of `source` at `width` in `format`: from the cache when it holds it, else
/// derived and kept there. A cache that cannot be written only costs the next build time.
pub(crate) fn variant(
    root: &Path,
    source: &[u8],
    width: u32,
    format: Format,
) -> Result<Vec<u8>, String> {
    let file = entry(root, source, width, format);
    if let Ok(bytes) = std::fs::read(&file) {
        return Ok(bytes);
    }
    let bytes = derive(source, width, format)?;
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
