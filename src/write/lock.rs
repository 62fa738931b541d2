//! One build at a time per site: two builds writing the same output and `.tribune/` at once
//! would each undo the other's work.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::error::{Diagnostic, Result};

/// The lock file, under the site root.
pub(crate) const LOCK_FILE: &str = ".tribune/lock";

/// Held for as long as a build runs; the system releases it when the process ends, however it
/// ends, so a killed build never leaves the site locked.
pub(crate) struct BuildLock {
    _file: File,
}

impl BuildLock {
    /// Takes the site's lock, or refuses when another build holds it.
    pub(crate) fn take(root: &Path) -> Result<BuildLock> {
        let path = root.join(LOCK_FILE);
        let io =
            |e: std::io::Error| Diagnostic::io(Path::new(LOCK_FILE), "open the build lock", &e);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(BuildLock { _file: file }),
            Err(TryLockError::WouldBlock) => {
                Err(Diagnostic::input("another build of this site is running")
                    .at(LOCK_FILE)
                    .hint("wait for it to finish, then build again")
                    .as_io()
                    .into())
            }
            Err(TryLockError::Error(e)) => Err(io(e).into()),
        }
    }
}
