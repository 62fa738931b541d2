//! Social: the posting calendar derived from the posts.
//!
//! In: the corpus (scheduled posts included: the queue announces them), the configuration, the
//! theme's social templates and the clock. Out: a queue of items, each within its network's
//! length, and its exports (JSON, iCalendar, Buffer and Hootsuite CSV).

pub(crate) mod derive;
pub(crate) mod emoji;
pub(crate) mod export;
pub(crate) mod facets;
pub(crate) mod length;
pub(crate) mod links;
pub(crate) mod tlds;
pub(crate) mod write;
