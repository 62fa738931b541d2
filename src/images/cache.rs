//! The cache of derived images under `.tribune/images/`: one file per variant or card, named by
//! the hash of what it is made from (a source's bytes and the parameters, a card's SVG text), so
//! an unchanged image is never encoded twice. Entries are spread over 256 folders by the first
//! two digits of their names: two threads writing cards then seldom wait on one folder's lock,
//! and no folder grows to tens of thousands of names. A build links its output to these files instead of
//! copying them, and removes the entries it no longer uses once it is done.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use crate::images::{Format, ImageError, derive, derive_all};

/// The file, in the cache folder, that remembers the digest of each source image by its size
/// and modification time, so a rebuild does not read every photo again to know it unchanged.
const INDEX: &str = "sources.tsv";

/// Bumped when variants are encoded differently, so old entries are not reused.
const ENCODING: u32 = 6;

/// A derived image: a file of the cache that holds it, or its bytes when the cache does not keep
/// it (the preview and `check` write nothing; a cache folder may not be writable).
#[derive(Debug)]
pub(crate) enum Derived {
    /// A file of the cache.
    Cached(PathBuf),
    /// The bytes themselves.
    Bytes(Vec<u8>),
}

impl Derived {
    /// The bytes, read from the cache when they are there.
    pub(crate) fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        match self {
            Derived::Cached(file) => std::fs::read(file),
            Derived::Bytes(bytes) => Ok(bytes),
        }
    }
}

/// What the index knows of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Known {
    len: u64,
    modified: u128,
    digest: u128,
}

/// The derived images of one build: where they are kept, and which entries it used.
#[derive(Debug)]
pub(crate) struct ImageCache {
    /// The cache folder.
    dir: PathBuf,
    /// Digests of source files: known from earlier builds, then those this build read.
    known: HashMap<PathBuf, Known>,
    /// Digests this build used or computed.
    digests: Mutex<HashMap<PathBuf, Known>>,
    /// Names of the entries this build used.
    used: Mutex<HashSet<OsString>>,
    /// The files behind the entries [`ImageCache::lookup`] found, by inode: a card's name by
    /// its drawing is linked to its name by its inputs, and a build that finds the second
    /// keeps the first, which the preview looks cards up by (its addresses differ).
    found: Mutex<HashSet<u64>>,
    /// Whether images made now are kept (a build) or only used (the preview, `check`, which
    /// write nothing).
    keeps: bool,
    /// Each source whose variants are being made, or were, together, by its digest.
    batches: Mutex<HashMap<u128, Arc<OnceLock<()>>>>,
}

impl ImageCache {
    /// The cache folder, under the site root.
    pub(crate) const FOLDER: &str = ".tribune/images";

    /// The cache of the site at `root`, with what earlier builds left in it, for a build: what
    /// it makes is kept there.
    pub(crate) fn open(root: &Path) -> ImageCache {
        let dir = root.join(Self::FOLDER);
        let known = std::fs::read_to_string(dir.join(INDEX))
            .map(|text| text.lines().filter_map(parse_index_line).collect())
            .unwrap_or_default();
        ImageCache {
            dir,
            known,
            digests: Mutex::default(),
            used: Mutex::default(),
            found: Mutex::default(),
            keeps: true,
            batches: Mutex::default(),
        }
    }

    /// The cache of the site at `root`, read only: what the builds left is used, what is
    /// missing is made and handed over as bytes, and nothing is written.
    pub(crate) fn reading(root: &Path) -> ImageCache {
        ImageCache {
            keeps: false,
            ..ImageCache::open(root)
        }
    }

    /// The image `key` describes: the cache's file when it holds it, else made by `make` and
    /// kept there. A cache that cannot be written only costs the next build time.
    pub(crate) fn derived(
        &self,
        key: &impl Hash,
        ext: &str,
        make: impl FnOnce() -> Result<Vec<u8>, ImageError>,
    ) -> Result<Derived, ImageError> {
        let dir = &self.dir;
        let name = entry_name(key, ext);
        let file = dir.join(&name);
        lock(&self.used).insert(name);
        if file.is_file() {
            return Ok(Derived::Cached(file));
        }
        let bytes = make()?;
        if self.keeps {
            let mut temp = file.clone().into_os_string();
            temp.push(&*TEMP_SUFFIX);
            let written = in_folder(Path::new(&temp), || std::fs::write(&temp, &bytes));
            if written.is_ok() && std::fs::rename(&temp, &file).is_ok() {
                return Ok(Derived::Cached(file));
            }
            let _ = std::fs::remove_file(&temp);
        }
        Ok(Derived::Bytes(bytes))
    }

    /// The cache's file for `key`, when it holds one.
    pub(crate) fn lookup(&self, key: &impl Hash, ext: &str) -> Option<Derived> {
        let name = entry_name(key, ext);
        let file = self.dir.join(&name);
        self.found(&file).then(|| {
            lock(&self.used).insert(name);
            Derived::Cached(file)
        })
    }

    /// Whether `file` is in the cache, noting the file behind it when it is.
    fn found(&self, file: &Path) -> bool {
        let Ok(meta) = std::fs::metadata(file) else {
            return false;
        };
        #[cfg(unix)]
        if meta.is_file() {
            use std::os::unix::fs::MetadataExt;
            lock(&self.found).insert(meta.ino());
        }
        meta.is_file()
    }

    /// Files `made` under `key` too, when it is a file of the cache and this cache keeps what it
    /// makes: one image known by two keys (a card by its inputs and by its drawing), with no
    /// second copy.
    pub(crate) fn alias(&self, key: &impl Hash, ext: &str, made: &Derived) {
        let (Derived::Cached(file), true) = (made, self.keeps) else {
            return;
        };
        let name = entry_name(key, ext);
        let alias = self.dir.join(&name);
        // Linked without looking first: an alias is made just after its key was missed.
        let linked = match in_folder(&alias, || std::fs::hard_link(file, &alias)) {
            Err(e) => e.kind() == std::io::ErrorKind::AlreadyExists && alias.is_file(),
            Ok(()) => true,
        };
        if linked {
            lock(&self.used).insert(name);
        }
    }

    /// The variant of the image `source` at `width` in `format`. With `configured`, the
    /// widths the site publishes, every variant of `source` is made at the first one missing
    /// (see [`derive_all`]): the others of the build then find theirs here.
    pub(crate) fn variant(
        &self,
        source: &Path,
        width: u32,
        format: Format,
        configured: Option<&[u32]>,
    ) -> Result<Derived, ImageError> {
        let read = || std::fs::read(source).map_err(ImageError::Unreadable);
        let digest = self.source_digest(source)?;
        let key = (digest, width, format);
        let own = super::source_format(&source.to_string_lossy());
        if let (Some(configured), Some(own), true) = (configured, own, self.keeps) {
            if let Some(hit) = self.lookup(&key, format.ext()) {
                return Ok(hit);
            }
            let batch = Arc::clone(lock(&self.batches).entry(digest).or_default());
            batch.get_or_init(|| {
                // A source that cannot be read or decoded is reported below, by the variant
                // made alone, in the words every variant of it gets.
                let made = read().and_then(|bytes| derive_all(&bytes, own, configured));
                for (width, format, bytes) in made.into_iter().flatten() {
                    let _ = self.derived(&(digest, width, format), format.ext(), || Ok(bytes));
                }
            });
            if let Some(hit) = self.lookup(&key, format.ext()) {
                return Ok(hit);
            }
        }
        self.derived(&key, format.ext(), || derive(&read()?, width, format))
    }

    /// The digest of `source`'s bytes: from the index while its size and modification time are
    /// those it had, else read now.
    pub(crate) fn source_digest(&self, source: &Path) -> Result<u128, ImageError> {
        let meta = std::fs::metadata(source).map_err(ImageError::Unreadable)?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let fits = |k: &Known| k.len == meta.len() && k.modified == modified;
        if let Some(k) = lock(&self.digests).get(source).filter(|k| fits(k)) {
            return Ok(k.digest);
        }
        let known = match self.known.get(source).filter(|k| fits(k)) {
            Some(k) => *k,
            None => {
                let bytes = std::fs::read(source).map_err(ImageError::Unreadable)?;
                Known {
                    len: meta.len(),
                    modified,
                    digest: digest(&bytes),
                }
            }
        };
        lock(&self.digests).insert(source.to_path_buf(), known);
        Ok(known.digest)
    }

    /// Whether `entry` is a file this build found under another name.
    fn found_under_another_name(&self, entry: &std::fs::DirEntry) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirEntryExt;
            lock(&self.found).contains(&entry.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = entry;
            false
        }
    }

    /// Once a build is in place: keeps the digests it used for the next, and removes the
    /// entries it did not use (images no longer in the site, cards of old titles). Returns how
    /// many were removed.
    pub(crate) fn finish(&self) -> std::io::Result<usize> {
        let dir = &self.dir;
        if !self.keeps {
            return Ok(0);
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(0);
        };
        let used = lock(&self.used);
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if name == INDEX {
                continue;
            }
            if !entry.file_type()?.is_dir() {
                // An entry of an older layout, or a temporary file a stopped build left.
                std::fs::remove_file(entry.path())?;
                removed += 1;
                continue;
            }
            let mut kept = false;
            for inner in std::fs::read_dir(entry.path())? {
                let inner = inner?;
                let mut relative = name.clone();
                relative.push("/");
                relative.push(inner.file_name());
                if used.contains(&relative) || self.found_under_another_name(&inner) {
                    kept = true;
                } else {
                    std::fs::remove_file(inner.path())?;
                    removed += 1;
                }
            }
            if !kept {
                std::fs::remove_dir(entry.path())?;
            }
        }
        let mut index = String::new();
        for (path, k) in lock(&self.digests).iter() {
            if let Some(path) = path.to_str().filter(|p| !p.contains(['\t', '\n'])) {
                index.push_str(&format!(
                    "{:032x}\t{}\t{}\t{path}\n",
                    k.digest, k.len, k.modified
                ));
            }
        }
        if index.is_empty() {
            let _ = std::fs::remove_file(dir.join(INDEX));
        } else {
            let temp = dir.join(format!("{INDEX}.{}.tmp", std::process::id()));
            std::fs::write(&temp, index)?;
            std::fs::rename(&temp, dir.join(INDEX))?;
        }
        Ok(removed)
    }
}

/// The end of the name of a file of the cache being written, unique to this process: the
/// process's id asked once rather than at every file.
static TEMP_SUFFIX: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!(".{}.tmp", std::process::id()));

/// `write`, which makes `file`, run again once `file`'s folder is made when it was missing: a
/// folder is made once, by the first entry it holds, not checked before every entry.
fn in_folder(file: &Path, write: impl Fn() -> std::io::Result<()>) -> std::io::Result<()> {
    match write() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(file.parent().unwrap_or(file))?;
            write()
        }
        done => done,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One line of the index: digest, size, modification time in nanoseconds, path.
fn parse_index_line(line: &str) -> Option<(PathBuf, Known)> {
    let mut parts = line.splitn(4, '\t');
    let digest = u128::from_str_radix(parts.next()?, 16).ok()?;
    let len = parts.next()?.parse().ok()?;
    let modified = parts.next()?.parse().ok()?;
    let path = PathBuf::from(parts.next()?);
    Some((
        path,
        Known {
            len,
            modified,
            digest,
        },
    ))
}

/// Two differently seeded hashes of `key`, so that two different keys never share a value in
/// practice.
fn digest(key: &(impl Hash + ?Sized)) -> u128 {
    let part = |seed: u8| {
        let mut h = DefaultHasher::new();
        (seed, ENCODING).hash(&mut h);
        key.hash(&mut h);
        h.finish()
    };
    (u128::from(part(1)) << 64) | u128::from(part(2))
}

/// The name of the cache file of what `key` describes, under the cache folder: in the folder
/// named by its first two digits.
fn entry_name(key: &impl Hash, ext: &str) -> OsString {
    let name = format!("{:032x}.{ext}", digest(key));
    OsString::from(format!("{}/{name}", &name[..2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_made_once_then_linked_and_unused_ones_pruned() {
        let root = tempfile::tempdir().unwrap();
        let cache = ImageCache::open(root.path());
        let made = std::cell::Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            Ok(b"png".to_vec())
        };
        let first = cache.derived(&"a", "png", make).unwrap();
        let Derived::Cached(file) = first else {
            panic!("not kept: {first:?}")
        };
        assert_eq!(std::fs::read(&file).unwrap(), b"png");
        assert!(matches!(
            cache.derived(&"a", "png", make),
            Ok(Derived::Cached(f)) if f == file
        ));
        assert_eq!(made.get(), 1);
        assert_eq!(cache.finish().unwrap(), 0);

        let next = ImageCache::open(root.path());
        next.derived(&"b", "png", make).unwrap();
        assert_eq!(next.finish().unwrap(), 1);
        assert!(!file.exists());

        // One image under two keys: one file, both kept while used.
        let third = ImageCache::open(root.path());
        assert!(third.lookup(&"c", "png").is_none());
        let made = third.derived(&"b", "png", make).unwrap();
        third.alias(&"c", "png", &made);
        assert_eq!(third.finish().unwrap(), 0);
        let fourth = ImageCache::open(root.path());
        assert!(matches!(
            fourth.lookup(&"c", "png"),
            Some(Derived::Cached(_))
        ));
        assert_eq!(
            fourth.finish().unwrap(),
            0,
            "the other name of the file found stays"
        );
        assert!(ImageCache::open(root.path()).lookup(&"c", "png").is_some());
        assert!(ImageCache::open(root.path()).lookup(&"b", "png").is_some());
    }

    #[test]
    fn entries_are_spread_over_folders_and_emptied_folders_leave() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(ImageCache::FOLDER);
        std::fs::create_dir_all(&dir).unwrap();
        let old = dir.join(format!("{:032x}.png", 7));
        std::fs::write(&old, b"from an older layout").unwrap();
        let cache = ImageCache::open(root.path());
        let Ok(Derived::Cached(file)) = cache.derived(&"a", "png", || Ok(vec![1])) else {
            panic!("not kept")
        };
        let folder = file.parent().unwrap();
        assert_eq!(folder.parent().unwrap(), dir);
        let name = file.file_name().unwrap().to_str().unwrap();
        assert_eq!(folder.file_name().unwrap().to_str().unwrap(), &name[..2]);
        assert_eq!(cache.finish().unwrap(), 1);
        assert!(!old.exists() && file.exists());

        let next = ImageCache::open(root.path());
        next.derived(&"b", "png", || Ok(vec![2])).unwrap();
        next.finish().unwrap();
        assert!(!file.exists());
        let folders = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(
            folders, 1,
            "the folder of b's entry only (the index is not written)"
        );
    }

    #[test]
    fn a_folder_that_cannot_be_made_only_costs_the_next_build_time() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(ImageCache::FOLDER);
        std::fs::create_dir_all(&dir).unwrap();
        let name = entry_name(&"a", "png");
        let shard = dir.join(Path::new(&name).parent().unwrap());
        std::fs::write(&shard, b"a file where the entry's folder goes").unwrap();
        let cache = ImageCache::open(root.path());
        let made = cache.derived(&"a", "png", || Ok(vec![1])).unwrap();
        assert!(matches!(made, Derived::Bytes(b) if b == [1]));
        assert_eq!(cache.finish().unwrap(), 1, "the stray file leaves");
        let next = ImageCache::open(root.path());
        assert!(matches!(
            next.derived(&"a", "png", || Ok(vec![1])),
            Ok(Derived::Cached(_))
        ));
    }

    #[test]
    fn a_damaged_index_only_costs_reading_the_photos_again() {
        let root = tempfile::tempdir().unwrap();
        let photo = root.path().join("p.png");
        std::fs::write(&photo, b"one").unwrap();
        let dir = root.path().join(ImageCache::FOLDER);
        std::fs::create_dir_all(&dir).unwrap();
        let garbage = format!("zz\t1\t2\t{}\n\n\u{0}\t\t\n", photo.display());
        std::fs::write(dir.join(INDEX), garbage).unwrap();
        let cache = ImageCache::open(root.path());
        assert!(cache.known.is_empty());
        assert_eq!(
            cache.source_digest(&photo).unwrap(),
            digest(&b"one".to_vec())
        );
    }

    #[test]
    fn a_build_that_finds_a_card_by_its_inputs_keeps_its_drawing_for_the_preview() {
        let root = tempfile::tempdir().unwrap();
        let drawing = ("card", "<svg>…</svg>");
        let inputs = ("card", "the post as a build sees it");
        // A first build draws the card and links it under its inputs.
        let build = ImageCache::open(root.path());
        let made = build
            .derived(&drawing, "png", || Ok(b"png".to_vec()))
            .unwrap();
        build.alias(&inputs, "png", &made);
        build.finish().unwrap();
        // The next build finds it by its inputs, without rendering its drawing.
        let build = ImageCache::open(root.path());
        assert!(build.lookup(&inputs, "png").is_some());
        assert_eq!(build.finish().unwrap(), 0);
        // The preview, whose addresses differ, finds it by its drawing: nothing is drawn.
        let preview = ImageCache::reading(root.path());
        let found = preview
            .derived(&drawing, "png", || panic!("the card is drawn again"))
            .unwrap();
        assert!(matches!(found, Derived::Cached(_)), "{found:?}");
        // A build that shows the card no more removes it under both names.
        let build = ImageCache::open(root.path());
        assert_eq!(build.finish().unwrap(), 2);
        let preview = ImageCache::reading(root.path());
        let made = preview.derived(&drawing, "png", || Ok(vec![1])).unwrap();
        assert!(matches!(made, Derived::Bytes(_)), "{made:?}");
    }

    #[test]
    fn a_cache_opened_for_reading_writes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let cache = ImageCache::reading(root.path());
        let made = cache.derived(&"a", "png", || Ok(vec![1])).unwrap();
        assert!(matches!(made, Derived::Bytes(b) if b == [1]));
        assert_eq!(cache.finish().unwrap(), 0);
        assert!(!root.path().join(ImageCache::FOLDER).exists());
    }

    #[test]
    fn source_digests_follow_the_bytes_and_are_remembered() {
        let root = tempfile::tempdir().unwrap();
        let photo = root.path().join("p.png");
        std::fs::write(&photo, b"one").unwrap();
        let cache = ImageCache::open(root.path());
        let first = cache.source_digest(&photo).unwrap();
        assert_eq!(first, digest(&b"one".to_vec()));
        cache.derived(&"x", "png", || Ok(vec![1])).unwrap();
        cache.finish().unwrap();
        let next = ImageCache::open(root.path());
        assert_eq!(next.known.get(&photo).map(|k| k.digest), Some(first));
        std::fs::write(&photo, b"two!").unwrap();
        assert_ne!(next.source_digest(&photo).unwrap(), first);
    }
}
