//! What is public when: each post's status at the build clock, and the next time the site will
//! change by itself (a post falling due, expiring or turning stale).

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::load::config::Config;
use crate::load::post::Post;
use crate::site::freshness;

/// Where a post stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    /// Public.
    Published,
    /// Marked `draft`.
    Draft,
    /// Dated after now.
    Scheduled,
    /// Past its `expires` time.
    Expired,
}

impl Status {
    /// The status of `post` at `now`: a draft is a draft whatever its dates.
    pub(crate) fn of(post: &Post, now: DateTime<Utc>) -> Status {
        if post.draft {
            Status::Draft
        } else if post.date.is_some_and(|d| d > now) {
            Status::Scheduled
        } else if post.expires.is_some_and(|e| e <= now) {
            Status::Expired
        } else {
            Status::Published
        }
    }

    /// The word for it in messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Draft => "a draft",
            Status::Scheduled => "scheduled",
            Status::Expired => "expired",
        }
    }
}

/// The next time the site changes with no edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NextChange {
    /// When, RFC 3339.
    pub(crate) at: String,
    /// What happens: "due: Title (content/posts/x.md)".
    pub(crate) what: String,
}

/// The earliest event after `now` among every post: one falling due, expiring, or turning stale
/// or due for review.
pub(crate) fn next_change<'a>(
    posts: impl IntoIterator<Item = &'a Post>,
    config: &Config,
    now: DateTime<Utc>,
) -> Option<NextChange> {
    let mut events: Vec<(DateTime<FixedOffset>, String)> = Vec::new();
    for post in posts.into_iter().filter(|p| !p.draft) {
        let name = format!("{} ({})", post.title, post.source.display());
        if let Some(date) = post.date.filter(|d| *d > now) {
            events.push((date, format!("due: {name}")));
        }
        if let Some(end) = post.expires.filter(|e| *e > now) {
            events.push((end, format!("expires: {name}")));
        }
        if Status::of(post, now) == Status::Published
            && let Some(f) = freshness::freshness(post, config.stale_after, now)
        {
            if let Some(at) = f.stale_at.filter(|at| *at > now && !post.evergreen) {
                events.push((at, format!("turns stale: {name}")));
            }
            if let Some(by) = f.review_by.filter(|by| *by > now) {
                events.push((by, format!("review due: {name}")));
            }
        }
    }
    events.sort();
    events.into_iter().next().map(|(at, what)| NextChange {
        at: at.to_rfc3339(),
        what,
    })
}
