//! Every post's status at the build clock, and the next time the site changes by itself: what a
//! CI job reads to decide when to build again.

use serde::Serialize;

use crate::load::config::Config;
use crate::load::corpus::Corpus;
use crate::site::freshness;
use crate::site::schedule::{self, Status};

/// The state of the content at the build clock, also written as JSON to `.tribune/status.json`
/// so that a CI job can tell when to rebuild.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct StatusFile {
    /// The build clock, RFC 3339.
    pub(crate) now: String,
    /// Posts public now.
    pub(crate) published: usize,
    /// Posts dated after now.
    pub(crate) scheduled: usize,
    /// Drafts.
    pub(crate) drafts: usize,
    /// Posts past their `expires` time.
    pub(crate) expired: usize,
    /// Published posts past their freshness limit or review date, evergreen ones aside.
    pub(crate) stale: usize,
    /// The next time the site changes by itself, if it will.
    pub(crate) next_change: Option<NextChangeView>,
}

/// When the site next changes, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct NextChangeView {
    /// RFC 3339.
    pub(crate) at: String,
    /// What happens then.
    pub(crate) what: String,
}

/// Where the build status goes, under the site root: outside the output, since it speaks of
/// posts that are not public yet.
pub(crate) const STATUS_FILE: &str = ".tribune/status.json";

/// Counts every post by status at `now` and finds the next change.
pub(crate) fn status(
    corpus: &Corpus,
    config: &Config,
    now: chrono::DateTime<chrono::Utc>,
) -> StatusFile {
    let mut counts = StatusFile {
        now: now.to_rfc3339(),
        ..Default::default()
    };
    for post in &corpus.posts {
        match Status::of(post, now) {
            Status::Published => {
                counts.published += 1;
                // Evergreen posts are never stale, here as on their page and in the audit.
                if freshness::freshness(post, config.stale_after, now).is_some_and(|f| f.stale) {
                    counts.stale += 1;
                }
            }
            Status::Draft => counts.drafts += 1,
            Status::Scheduled => counts.scheduled += 1,
            Status::Expired => counts.expired += 1,
        }
    }
    counts.next_change =
        schedule::next_change(corpus.posts.iter().map(|p| &**p), config, now).map(|n| {
            NextChangeView {
                at: n.at,
                what: n.what,
            }
        });
    counts
}
