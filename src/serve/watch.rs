//! Watches the site's files and turns bursts of file-system events into one batch of changes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::error::{Diagnostic, Result};
use crate::load::config::CONFIG_FILE;
use crate::load::folders::Folder;
use crate::load::source::{is_ignored, is_left_out};

/// How long the files must stay quiet before a batch is handed over: an editor's save (a
/// temporary file, a rename, a metadata change) arrives as several events within milliseconds.
const QUIET: Duration = Duration::from_millis(10);

/// How long a burst is waited on once every file it wrote is whole (closed after writing, or
/// moved into place): only for the events already on their way. Where the system reports no
/// closing (only Linux does), a burst waits for quiet.
const SETTLED: Duration = Duration::from_millis(1);

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
        let mut burst = Burst::default();
        let first = match self.events.recv_timeout(timeout) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        self.take(first, &mut burst);
        let start = Instant::now();
        while start.elapsed() < LONGEST {
            let wait = if burst.whole() { SETTLED } else { QUIET };
            match self.events.recv_timeout(wait) {
                Ok(event) => self.take(event, &mut burst),
                Err(_) => break,
            }
        }
        (!burst.batch.paths.is_empty()).then_some(burst.batch)
    }

    fn take(&mut self, event: notify::Result<notify::Event>, burst: &mut Burst) {
        let Ok(event) = event else {
            // The watch lost events (an overflowing queue): check every file.
            burst.batch.paths.insert(CONFIG_FILE.to_string());
            burst.batch.complete = false;
            return;
        };
        // The build's own reading opens and closes files: of all accesses, only a close after
        // writing says anything, that the file is whole.
        if let EventKind::Access(access) = event.kind
            && access != AccessKind::Close(AccessMode::Write)
        {
            return;
        }
        if event.need_rescan() {
            burst.batch.complete = false;
        }
        for path in &event.paths {
            let Some(relative) = relevant(&self.root, path) else {
                continue;
            };
            // A watched folder created while serving is watched from then on; what was put in
            // it before the watch began is found by checking every file.
            if Folder::ALL.iter().any(|f| f.name() == relative) && path.is_dir() {
                let _ = self.watch_folder(&relative);
                burst.batch.complete = false;
            }
            burst.take(&event.kind, relative);
        }
    }
}

/// The changes of one burst of events, and the files it is still writing.
#[derive(Debug)]
struct Burst {
    batch: Batch,
    /// Files written to and not yet closed, relative to the root.
    writing: BTreeSet<String>,
}

impl Default for Burst {
    fn default() -> Burst {
        Burst {
            batch: Batch {
                paths: BTreeSet::new(),
                complete: true,
            },
            writing: BTreeSet::new(),
        }
    }
}

impl Burst {
    /// An event of `kind` on the relevant file `relative`.
    fn take(&mut self, kind: &EventKind, relative: String) {
        match kind {
            // Closed after writing: whole, and its change already in the batch.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                self.writing.remove(&relative);
                return;
            }
            // Any other access is a read: no change.
            EventKind::Access(_) => return,
            // Moved into place or away, made as a folder, removed, or its metadata changed:
            // nothing more is on its way.
            EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Metadata(_))
            | EventKind::Create(CreateKind::Folder)
            | EventKind::Remove(_) => {
                self.writing.remove(&relative);
            }
            // Anything else may still be on its way: a write, a new file, or a kind the
            // system does not tell.
            _ => {
                self.writing.insert(relative.clone());
            }
        }
        self.batch.paths.insert(relative);
    }

    /// Whether every file the burst wrote is closed or in place.
    fn whole(&self) -> bool {
        self.writing.is_empty()
    }
}

/// `path` relative to the root when the build reads it.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let names: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    let first = names.first()?;
    if !(first == CONFIG_FILE || Folder::ALL.iter().any(|f| f.name() == first)) {
        return None;
    }
    // Editors' swap, backup and temporary files, anywhere in the path; a theme's files are
    // named from its folder.
    let (theme, within) = if first == Folder::Themes.name() {
        names.split_at(names.len().min(2))
    } else {
        names.split_at(0)
    };
    if theme.iter().any(|name| is_ignored(name)) || is_left_out(within.iter().map(|n| n.as_ref())) {
        return None;
    }
    Some(crate::load::source::slash_path(relative))
}

fn watch_error(path: &Path, e: &notify::Error) -> crate::error::Errors {
    Diagnostic::input(format!("cannot watch the site's files: {e}"))
        .at(path)
        .as_io()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, MetadataKind, RemoveKind, RenameMode};

    fn burst(events: &[(EventKind, &str)]) -> Burst {
        let mut burst = Burst::default();
        for (kind, path) in events {
            burst.take(kind, (*path).to_string());
        }
        burst
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSED: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const POST: &str = "content/posts/a.md";

    #[test]
    fn editors_files_and_hidden_files_but_static_well_known_are_not_watched() {
        let root = Path::new("/site");
        let seen = |rel: &str| relevant(root, &root.join(rel));
        assert_eq!(seen(POST).as_deref(), Some(POST));
        assert_eq!(seen("content/posts/.a.md.swp"), None);
        assert_eq!(seen("static/.hidden/key"), None);
        assert_eq!(seen("public/index.html"), None);
        let proof = "static/.well-known/security.txt";
        assert_eq!(seen(proof).as_deref(), Some(proof));
        let theme = "themes/plain/static/.well-known/x";
        assert_eq!(seen(theme).as_deref(), Some(theme));
        assert_eq!(seen("static/.well-known/.x.swp"), None);
        assert_eq!(seen("content/.well-known/x.md"), None);
        assert_eq!(seen("static/css/static/.htaccess"), None);
        assert_eq!(seen("themes/.old/static/x.css"), None);
    }

    #[test]
    fn a_save_is_whole_once_its_file_is_closed_after_writing() {
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let writing = burst(&[(open, POST), (WRITE, POST), (WRITE, POST)]);
        assert!(!writing.whole());
        let saved = burst(&[(open, POST), (WRITE, POST), (WRITE, POST), (CLOSED, POST)]);
        assert!(saved.whole());
        assert_eq!(saved.batch.paths, BTreeSet::from([POST.to_string()]));
        // Two files: whole only when both are closed.
        let other = "content/posts/b.md";
        let one_left = burst(&[(WRITE, POST), (WRITE, other), (CLOSED, POST)]);
        assert!(!one_left.whole());
    }

    #[test]
    fn a_file_moved_into_place_removed_or_touched_is_whole_and_a_read_is_no_change() {
        let new_file = EventKind::Create(CreateKind::File);
        let moved_in = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        let saved = burst(&[(new_file, POST), (WRITE, POST), (moved_in, POST)]);
        assert!(saved.whole());
        let removed = burst(&[(EventKind::Remove(RemoveKind::File), POST)]);
        assert!(removed.whole());
        let touched = burst(&[(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
            POST,
        )]);
        assert!(touched.whole());
        assert!(!touched.batch.paths.is_empty());
        // Reading a file (the build does) changes nothing, and a kind the system does not
        // tell is waited on.
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert!(burst(&[(read, POST)]).batch.paths.is_empty());
        assert!(!burst(&[(EventKind::Any, POST)]).whole());
    }
}
