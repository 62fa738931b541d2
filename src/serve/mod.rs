//! Serve: the site kept in memory and rebuilt incrementally, for `tribune serve`.
//!
//! In: the build options and the paths a file watcher reports. Out: the files of the last good
//! build in memory (a [`preview::Preview`] re-renders only the files whose inputs changed,
//! `memo` keeps what it made and the keys that tell), answered over HTTP with a live-reload
//! script, and the error of a save that broke the build.

pub(crate) mod http;
pub(crate) mod memo;
pub(crate) mod preview;
pub(crate) mod reload;
pub(crate) mod state;
pub(crate) mod watch;
pub(crate) mod wire;
