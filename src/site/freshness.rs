//! Whether a post is still fresh: age since it was last touched, review dates, evergreen posts.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::clock::Span;
use crate::load::post::Post;

/// What templates and the audit know of a post's freshness.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub(crate) struct Freshness {
    /// Past its freshness limit or review date, and not evergreen: the page says so.
    pub(crate) stale: bool,
    /// Needs a look: stale, or evergreen and past the limit, or past `review_by`.
    pub(crate) needs_review: bool,
    /// Latest of publication, update and review.
    #[serde(serialize_with = "rfc3339")]
    pub(crate) last_touched: DateTime<FixedOffset>,
    /// Whole days since `last_touched`.
    pub(crate) age_days: i64,
    /// Whole years since `last_touched`.
    pub(crate) age_years: i64,
    /// When the post turns stale by age, if the site sets a limit.
    #[serde(serialize_with = "rfc3339_opt")]
    pub(crate) stale_at: Option<DateTime<FixedOffset>>,
    /// The review date, if any.
    #[serde(serialize_with = "rfc3339_opt")]
    pub(crate) review_by: Option<DateTime<FixedOffset>>,
    /// Last review, if any.
    #[serde(serialize_with = "rfc3339_opt")]
    pub(crate) reviewed: Option<DateTime<FixedOffset>>,
    /// Marked evergreen.
    pub(crate) evergreen: bool,
}

fn rfc3339<S: serde::Serializer>(d: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_rfc3339())
}

fn rfc3339_opt<S: serde::Serializer>(
    d: &Option<DateTime<FixedOffset>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_rfc3339()),
        None => s.serialize_none(),
    }
}

/// The freshness of a dated post at `now`; `stale_after` is the site's limit.
pub(crate) fn freshness(
    post: &Post,
    stale_after: Option<Span>,
    now: DateTime<Utc>,
) -> Option<Freshness> {
    let date = post.date?;
    // `updated` says the content changed, `reviewed` that it was checked: either restarts the clock.
    let last_touched = [Some(date), post.updated, post.reviewed]
        .into_iter()
        .flatten()
        .max()?;
    let age = now.signed_duration_since(last_touched);
    let stale_at = stale_after.map(|s| s.after(last_touched));
    let too_old = stale_at.is_some_and(|at| at <= now);
    let review_due = post
        .review_by
        .is_some_and(|by| by <= now && post.reviewed.is_none_or(|r| r < by));
    let needs_review = too_old || review_due;
    Some(Freshness {
        stale: needs_review && !post.evergreen,
        needs_review,
        last_touched,
        age_days: age.num_days(),
        age_years: age.num_days() / 365,
        stale_at,
        review_by: post.review_by,
        reviewed: post.reviewed,
        evergreen: post.evergreen,
    })
}
