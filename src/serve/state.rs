//! What requests read while the next rebuild runs: the last good build and the error of the
//! last save, if it broke, with the pages listening for reloads.

use std::sync::RwLock;

use crate::serve::preview::Snapshot;
use crate::serve::reload::Clients;

/// What requests read: the last good build and the error of the last save, if it broke.
#[derive(Default)]
pub(crate) struct Shared {
    state: RwLock<State>,
    /// Pages listening for reloads.
    pub(crate) clients: Clients,
}

#[derive(Default)]
struct State {
    snapshot: Option<Snapshot>,
    error: Option<String>,
}

impl Shared {
    /// The build to serve and the error to show over it.
    pub(crate) fn current(&self) -> (Option<Snapshot>, Option<String>) {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        (state.snapshot.clone(), state.error.clone())
    }

    /// Serves `snapshot` (unless `None`: the last good one stays) with `error` over it.
    pub(crate) fn set(&self, snapshot: Option<Snapshot>, error: Option<String>) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        if snapshot.is_some() {
            state.snapshot = snapshot;
        }
        state.error = error;
    }
}
