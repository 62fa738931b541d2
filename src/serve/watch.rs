//! Watches the site's files and turns bursts of file-system events into one batch of changes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::error::{Diagnostic, Result};
use crate::load::config::CONFIG_FILE;
use crate::load::folders::Folder;
use crate::load::source::is_ignored;

/// How long the files must stay quiet before a batch is handed over: an editor's save (a
/// temporary file, a rename, a metadata change) arrives as several events within milliseconds.
const QUIET: Duration = Duration::from_millis(10);

/// The longest a batch waits for quiet, so that a long copy still shows progress.
const LONGEST: Duration = Duration::from_secs(1);

/// A running watch over one site.
pub(crate) struct Watcher {
    root: PathBuf,
    inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

/// What a batch of events says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Batch {
    /// Changed files relative to the site root, `/`-separated, sorted.
    pub(crate) paths: BTreeSet<String>,
    /// Whether `paths` holds every change; false when the watch lost events.
    pub(crate) complete: bool,
}

impl Watcher {
    /// Starts watching the site at `root` (absolute).
    pub(crate) fn start(root: &Path) -> Result<Watcher> {
        let (tx, events) = channel();
        let inner = notify::recommended_watcher(move |event| {
            // The receiver only goes away when serving stops.
            let _ = tx.send(event);
        })
        .map_err(|e| watch_error(root, &e))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            inner,
            events,
        };
        // The root itself, not its subfolders: it holds site.toml, and the build's own
        // output and caches must not wake the watcher.
        watcher
            .inner
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, &e))?;
        for folder in Folder::ALL.map(Folder::name) {
            watcher.watch_folder(folder)?;
        }
        Ok(watcher)
    }

    fn watch_folder(&mut self, folder: &str) -> Result<()> {
        let path = self.root.join(folder);
        if path.is_dir() {
            self.inner
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, &e))?;
        }
        Ok(())
    }

    /// Waits up to `timeout` for a change to the site's files, then for the burst it starts to
    /// settle. None when nothing changed.
    pub(crate) fn next(&mut self, timeout: Duration) -> Option<Batch> {
        let mut batch = Batch {
            paths: BTreeSet::new(),
            complete: true,
        };
        let first = match self.events.recv_timeout(timeout) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        self.take(first, &mut batch);
        let start = Instant::now();
        while start.elapsed() < LONGEST {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => self.take(event, &mut batch),
                Err(_) => break,
            }
        }
        (!batch.paths.is_empty()).then_some(batch)
    }

    fn take(&mut self, event: notify::Result<notify::Event>, batch: &mut Batch) {
        let Ok(event) = event else {
            // The watch lost events (an overflowing queue): check every file.
            batch.paths.insert(CONFIG_FILE.to_string());
            batch.complete = false;
            return;
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        if event.need_rescan() {
            batch.complete = false;
        }
        for path in &event.paths {
            let Some(relative) = self.relevant(path) else {
                continue;
            };
            // A watched folder created while serving is watched from then on; what was put in
            // it before the watch began is found by checking every file.
            if Folder::ALL.iter().any(|f| f.name() == relative) && path.is_dir() {
                let _ = self.watch_folder(&relative);
                batch.complete = false;
            }
            batch.paths.insert(relative);
        }
    }

    /// `path` relative to the root when the build reads it.
    fn relevant(&self, path: &Path) -> Option<String> {
        let relative = path.strip_prefix(&self.root).ok()?;
        let mut parts = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy());
        let first = parts.next()?;
        if !(first == CONFIG_FILE || Folder::ALL.iter().any(|f| f.name() == first)) {
            return None;
        }
        // Editors' swap, backup and temporary files, anywhere in the path.
        if relative
            .components()
            .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
        {
            return None;
        }
        Some(crate::load::source::slash_path(relative))
    }
}

fn watch_error(path: &Path, e: &notify::Error) -> crate::error::Errors {
    Diagnostic::input(format!("cannot watch the site's files: {e}"))
        .at(path)
        .as_io()
        .into()
}
