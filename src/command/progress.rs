//! A progress line for long builds, on a terminal only: a build that ends within a second
//! shows none, and a log (CI, a pipe, `--quiet`) never gets one.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a build runs before it shows progress.
const DELAY: Duration = Duration::from_secs(1);
/// Least time between two redraws.
const EVERY: Duration = Duration::from_millis(100);

/// Files rendered out of those planned, drawn on standard error now and then.
#[derive(Debug)]
pub(crate) struct Progress {
    /// Whether to draw at all.
    on: bool,
    /// When the work started.
    started: Instant,
    /// Files planned.
    total: AtomicUsize,
    /// Files rendered.
    done: AtomicUsize,
    /// Whether a line was drawn, to clear it at the end.
    drawn: AtomicBool,
    /// When the line was last drawn; rendering threads skip drawing while another draws.
    last: Mutex<Instant>,
}

impl Progress {
    /// Progress that draws only when `on`.
    pub(crate) fn new(on: bool) -> Progress {
        let now = Instant::now();
        Progress {
            on,
            started: now,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            drawn: AtomicBool::new(false),
            last: Mutex::new(now),
        }
    }

    /// Sets the number of files to render.
    pub(crate) fn planned(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Counts one rendered file, and redraws when it is time.
    pub(crate) fn step(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.on || self.started.elapsed() < DELAY {
            return;
        }
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if last.elapsed() < EVERY && self.drawn.load(Ordering::Relaxed) {
            return;
        }
        *last = Instant::now();
        let total = self.total.load(Ordering::Relaxed).max(done);
        let mut err = std::io::stderr().lock();
        // Carriage return and "erase line": the next draw replaces this one.
        let _ = write!(
            err,
            "\r\x1b[2K  Rendering {done} of {total} files ({}%)",
            done * 100 / total
        );
        let _ = err.flush();
        self.drawn.store(true, Ordering::Relaxed);
    }

    /// Erases the line, if one was drawn.
    pub(crate) fn clear(&self) {
        if self.drawn.load(Ordering::Relaxed) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
