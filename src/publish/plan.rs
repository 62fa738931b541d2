//! The publishing plan: every item `tribune publish` has seen, with the time and text it was
//! planned with and whether it went out. It is kept in `.tribune/publish.json` between runs,
//! so an item keeps its time and text while its post keeps its text, and an item whose time
//! passed while nobody published is still known. Losing it is harmless: the networks are asked
//! what was already posted before anything is posted again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;
use crate::social::export::QueueItem;

/// The plan's file, in the site's `.tribune/` folder.
pub(crate) const PLAN_FILE: &str = ".tribune/publish.json";
/// The plan's format.
const VERSION: u32 = 1;
/// How long an item is remembered after its time: longer than any publishing window.
const MEMORY_DAYS: i64 = 30;

/// The plan: items by id.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Plan {
    /// Its format.
    version: u32,
    /// Every item known, by queue id.
    pub(crate) items: BTreeMap<String, Planned>,
}

/// One item as it was planned, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Planned {
    /// The channel: `bluesky` or `mastodon`.
    pub(crate) channel: String,
    /// What it says about its post: announce, pullquote…
    pub(crate) kind: String,
    /// When it goes out.
    pub(crate) at: DateTime<FixedOffset>,
    /// Its text.
    pub(crate) text: String,
    /// The post's address.
    pub(crate) link: String,
    /// The post's title.
    pub(crate) title: String,
    /// The post's description.
    pub(crate) description: String,
    /// The address of the post's card or image.
    pub(crate) image: Option<String>,
    /// Its alternative text.
    pub(crate) image_alt: String,
    /// The post's language.
    pub(crate) lang: String,
    /// The post's file.
    pub(crate) path: String,
    /// Where it went, once posted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sent: Option<Sent>,
    /// Mastodon: the server's scheduled post holding it, when handed over ahead of time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scheduled: Option<String>,
}

/// A post made on a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Sent {
    /// When Tribune saw it posted.
    pub(crate) at: DateTime<Utc>,
    /// The network's name for it: an `at://` URI or a status id.
    pub(crate) id: String,
}

/// What a post's item needs besides the queue item: the post's description, language and
/// image's alternative text.
pub(crate) struct Article<'a> {
    /// The description.
    pub(crate) description: &'a str,
    /// The language.
    pub(crate) lang: &'a str,
    /// The alternative text of its card or image.
    pub(crate) image_alt: &'a str,
}

/// A change the merge made to an item planned earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Its post changed its text: it has a new text and time.
    Replanned {
        /// The item.
        id: String,
        /// Its file.
        path: String,
        /// Its old time.
        was: DateTime<FixedOffset>,
        /// Its new time.
        now: DateTime<FixedOffset>,
        /// The scheduled status that held its old text, to cancel.
        scheduled: Option<String>,
    },
    /// Its post no longer wants it (unpublished, edited, or off this channel).
    Withdrawn {
        /// The item.
        id: String,
        /// Its file.
        path: String,
        /// The scheduled status that held it, to cancel.
        scheduled: Option<String>,
    },
}

/// Where an item stands at the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Its time has come, within the window: it goes out now.
    Due,
    /// Its time has not come.
    NotYet,
    /// Its time passed longer ago than the window: it stays unposted.
    TooLate,
    /// It went out.
    Sent,
}

impl Planned {
    /// The item's plan, from the queue.
    pub(crate) fn of(item: &QueueItem, article: &Article<'_>) -> Planned {
        Planned {
            channel: item.channel.key().to_string(),
            kind: item.kind.key().to_string(),
            at: item.at,
            text: item.text.clone(),
            link: item.link.clone(),
            title: item.title.clone(),
            description: article.description.to_string(),
            image: item.image.clone(),
            image_alt: article.image_alt.to_string(),
            lang: article.lang.to_string(),
            path: item.path.clone(),
            sent: None,
            scheduled: None,
        }
    }

    /// Where the item stands at `now`, given how late an item may still go out.
    pub(crate) fn state(&self, now: DateTime<Utc>, window: TimeDelta) -> State {
        if self.sent.is_some() {
            State::Sent
        } else if self.at > now {
            State::NotYet
        } else if now - self.at.with_timezone(&Utc) > window {
            State::TooLate
        } else {
            State::Due
        }
    }
}

impl Plan {
    /// The plan kept in `root`, or an empty one when there is none; the problem with one that
    /// cannot be read.
    pub(crate) fn read(root: &Path) -> Result<Plan, Diagnostic> {
        let path = root.join(PLAN_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Plan::default()),
            Err(e) => {
                return Err(Diagnostic::input(format!("cannot read the plan: {e}"))
                    .at(PLAN_FILE)
                    .as_io());
            }
        };
        let plan: Plan = serde_json::from_str(&text).map_err(|e| {
            Diagnostic::input(format!("the plan is not readable: {e}"))
                .at(PLAN_FILE)
                .line(e.line())
        })?;
        if plan.version != VERSION {
            return Err(Diagnostic::input(format!(
                "the plan is in format {}, this Tribune reads format {VERSION}",
                plan.version
            ))
            .at(PLAN_FILE));
        }
        Ok(plan)
    }

    /// Writes the plan into `root`, replacing the old one at once: a run killed while writing
    /// leaves the old plan or the new, never half of one.
    pub(crate) fn write(&self, root: &Path) -> Result<(), Diagnostic> {
        let path: PathBuf = root.join(PLAN_FILE);
        let partial = path.with_extension("json.partial");
        let text = serde_json::to_string_pretty(&Plan {
            version: VERSION,
            items: self.items.clone(),
        })
        .expect("the plan serializes");
        let fail = |e: std::io::Error| {
            Diagnostic::input(format!("cannot write the plan: {e}"))
                .at(PLAN_FILE)
                .as_io()
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        std::fs::write(&partial, text + "\n").map_err(fail)?;
        std::fs::rename(&partial, &path).map_err(fail)
    }

    /// Takes in the queue as derived now, from `since` on: new items are planned; an item
    /// planned earlier keeps its time and text unless its text changed (its post was edited),
    /// and one its post no longer wants is dropped unless it went out. Items from before
    /// `since` are not derived any more and stay as they are; items long past are forgotten.
    pub(crate) fn merge(
        &mut self,
        derived: Vec<(String, Planned)>,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
        channels: &[&str],
    ) -> Vec<Change> {
        let mut changes = Vec::new();
        let mut wanted: BTreeMap<String, Planned> = derived.into_iter().collect();
        let old = std::mem::take(&mut self.items);
        for (id, planned) in old {
            match wanted.remove(&id) {
                Some(_) if planned.sent.is_some() => {
                    self.items.insert(id, planned);
                }
                Some(fresh) if fresh.text != planned.text => {
                    changes.push(Change::Replanned {
                        id: id.clone(),
                        path: fresh.path.clone(),
                        was: planned.at,
                        now: fresh.at,
                        scheduled: planned.scheduled,
                    });
                    self.items.insert(id, fresh);
                }
                Some(_) => {
                    self.items.insert(id, planned);
                }
                None if planned.sent.is_some()
                    || planned.at.with_timezone(&Utc) < since
                    || !channels.contains(&planned.channel.as_str()) =>
                {
                    self.items.insert(id, planned);
                }
                None => changes.push(Change::Withdrawn {
                    id,
                    path: planned.path,
                    scheduled: planned.scheduled,
                }),
            }
        }
        self.items.extend(wanted);
        let forgotten = now - TimeDelta::days(MEMORY_DAYS);
        self.items
            .retain(|_, p| p.at.with_timezone(&Utc) >= forgotten);
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(at: &str, text: &str) -> Planned {
        Planned {
            channel: "bluesky".into(),
            kind: "announce".into(),
            at: DateTime::parse_from_rfc3339(at).unwrap(),
            text: text.into(),
            link: "https://example.org/posts/a/".into(),
            title: "A".into(),
            description: String::new(),
            image: None,
            image_alt: String::new(),
            lang: "fr".into(),
            path: "content/posts/a.md".into(),
            sent: None,
            scheduled: None,
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_planned_item_keeps_its_time_until_its_text_changes() {
        let mut plan = Plan::default();
        plan.merge(
            vec![("a".into(), planned("2026-03-02T09:00:00Z", "One"))],
            now(),
            now() - TimeDelta::hours(24),
            &["bluesky"],
        );
        // Derived again later, the item has moved: the plan keeps its time.
        let changes = plan.merge(
            vec![("a".into(), planned("2026-03-03T09:00:00Z", "One"))],
            now(),
            now() - TimeDelta::hours(24),
            &["bluesky"],
        );
        assert!(changes.is_empty());
        assert_eq!(plan.items["a"].at.to_rfc3339(), "2026-03-02T09:00:00+00:00");
        let changes = plan.merge(
            vec![("a".into(), planned("2026-03-03T09:00:00Z", "Two"))],
            now(),
            now() - TimeDelta::hours(24),
            &["bluesky"],
        );
        assert!(matches!(changes[..], [Change::Replanned { .. }]));
        assert_eq!(plan.items["a"].text, "Two");
    }

    #[test]
    fn a_sent_item_is_kept_and_an_unwanted_one_withdrawn() {
        let mut plan = Plan::default();
        plan.merge(
            vec![
                ("a".into(), planned("2026-03-02T09:00:00Z", "One")),
                ("b".into(), planned("2026-03-02T10:00:00Z", "Two")),
            ],
            now(),
            now() - TimeDelta::hours(24),
            &["bluesky"],
        );
        plan.items.get_mut("a").unwrap().sent = Some(Sent {
            at: now(),
            id: "x".into(),
        });
        let changes = plan.merge(
            Vec::new(),
            now(),
            now() - TimeDelta::hours(24),
            &["bluesky"],
        );
        assert!(plan.items.contains_key("a"));
        assert!(!plan.items.contains_key("b"));
        assert!(matches!(&changes[..], [Change::Withdrawn { id, .. }] if id == "b"));
    }

    #[test]
    fn states_follow_the_clock_and_the_window() {
        let window = TimeDelta::hours(24);
        assert_eq!(
            planned("2026-03-02T09:00:00Z", "").state(now(), window),
            State::Due
        );
        assert_eq!(
            planned("2026-03-02T13:00:00Z", "").state(now(), window),
            State::NotYet
        );
        assert_eq!(
            planned("2026-02-28T09:00:00Z", "").state(now(), window),
            State::TooLate
        );
    }
}
