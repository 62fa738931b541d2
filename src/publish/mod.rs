//! Publishing the queue: the items whose time has come go to the channels that have a
//! `service` (Bluesky and Mastodon), each at most once. The plan (`plan`) holds every item's
//! time and text still and records what went out; the networks (`bluesky`, `mastodon`) are
//! asked what they already have before anything is posted, so neither a lost plan nor a run
//! killed halfway posts an item twice.

pub(crate) mod bluesky;
pub(crate) mod http;
pub(crate) mod mastodon;
pub(crate) mod plan;

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};

use crate::load::config::{Channel, Network, Publishing};
use crate::publish::bluesky::{Bluesky, Outcome};
use crate::publish::http::Failure;
use crate::publish::mastodon::{Extras, Mastodon};
use crate::publish::plan::{Plan, Planned, Sent, State};

/// The least time ahead Mastodon schedules a status.
const SCHEDULE_MIN: TimeDelta = TimeDelta::minutes(5);
/// How far ahead items are handed to Mastodon's scheduler.
const SCHEDULE_MAX: TimeDelta = TimeDelta::days(7);
/// The largest image attached to a Mastodon status, in bytes.
const MAX_MEDIA: u64 = 8 << 20;

/// The environment variable holding a channel's secret.
pub(crate) fn secret_variable(network: Network) -> String {
    format!("TRIBUNE_{}_SECRET", network.key().to_ascii_uppercase())
}

/// What happened to one item, as the run goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// It was posted: where.
    Posted(String, String),
    /// It was handed to the server's scheduler.
    Scheduled(String, String),
    /// It was already on the network.
    Found(String, String),
    /// It would be posted (a dry run).
    WouldPost(String),
    /// Its time has not come.
    NotYet(String),
    /// Its time passed longer ago than the window.
    TooLate(String),
    /// It went out on an earlier run.
    AlreadySent(String),
    /// It failed and is tried again at the next run.
    Failed(String, Failure),
    /// It mentions a handle the network does not know: the mention stays plain text.
    UnknownHandle(String),
}

/// Where a run takes images from: the built site when it has them, else their address.
pub(crate) struct Images {
    /// The site's address, as items' image addresses begin.
    pub(crate) base: String,
    /// The output folder.
    pub(crate) output: PathBuf,
}

impl Images {
    /// The bytes and type of the image at `url`, at most `limit` bytes.
    fn read(&self, url: &str, limit: u64, client: &http::Client) -> Option<(Vec<u8>, String)> {
        let kind = mime_guess::from_path(url.split(['?', '#']).next().unwrap_or(url))
            .first_raw()
            .unwrap_or("image/png")
            .to_string();
        let local = url
            .strip_prefix(self.base.trim_end_matches('/'))
            .map(|path| {
                let path = percent_encoding::percent_decode_str(path.trim_start_matches('/'))
                    .decode_utf8_lossy()
                    .into_owned();
                self.output.join(path)
            })
            .filter(|p| {
                !p.components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            });
        if let Some(bytes) = local.and_then(|p| std::fs::read(p).ok()) {
            return (bytes.len() as u64 <= limit).then_some((bytes, kind));
        }
        client.fetch(url, limit).ok().flatten().map(|b| (b, kind))
    }
}

/// A session on one channel.
enum Session {
    Bluesky(Bluesky),
    Mastodon(Mastodon),
}

/// Posts the due items of `channel` from `plan`, saving the plan after each one through
/// `save`; tells each item's fate to `tell`. With `secret` absent, nothing is sent: the run
/// says what would be. Returns the failure that kept the channel from opening, if one did: an
/// item's failure is told with the item.
#[allow(clippy::too_many_arguments)]
pub(crate) fn publish_channel(
    plan: &mut Plan,
    channel: &Channel,
    publishing: &Publishing,
    secret: Option<&str>,
    now: DateTime<Utc>,
    window: TimeDelta,
    images: &Images,
    save: &mut dyn FnMut(&Plan) -> crate::error::Result<()>,
    tell: &mut dyn FnMut(&str, &Planned, Event),
) -> crate::error::Result<Option<Failure>> {
    let key = channel.network.key();
    let mut ids: Vec<String> = plan
        .items
        .iter()
        .filter(|(_, p)| p.channel == key)
        .map(|(id, _)| id.clone())
        .collect();
    ids.sort_by_key(|id| plan.items[id].at);
    let ahead = |p: &Planned| {
        publishing.schedule_ahead
            && channel.network == Network::Mastodon
            && p.at.with_timezone(&Utc) >= now + SCHEDULE_MIN
            && p.at.with_timezone(&Utc) <= now + SCHEDULE_MAX
    };
    // Most hourly runs have nothing due: they make no request at all.
    let work = ids.iter().any(|id| {
        let item = &plan.items[id];
        match item.state(now, window) {
            State::Due => true,
            State::NotYet => ahead(item) && item.scheduled.is_none(),
            _ => false,
        }
    });
    let Some(secret) = secret.filter(|_| work) else {
        for id in &ids {
            let item = &plan.items[id];
            let event = match item.state(now, window) {
                State::Due => Event::WouldPost(id.clone()),
                State::NotYet if ahead(item) && item.scheduled.is_none() => {
                    Event::WouldPost(id.clone())
                }
                State::NotYet => Event::NotYet(id.clone()),
                State::TooLate => Event::TooLate(id.clone()),
                State::Sent => Event::AlreadySent(id.clone()),
            };
            tell(id, item, event);
        }
        return Ok(None);
    };
    let session = match channel.network {
        Network::Bluesky => Bluesky::login(
            &publishing.service,
            publishing.account.as_deref().unwrap_or_default(),
            secret,
        )
        .map(Session::Bluesky),
        _ => Mastodon::login(&publishing.service, secret).map(Session::Mastodon),
    };
    let session = match session {
        Ok(session) => session,
        Err(failure) => return Ok(Some(failure)),
    };
    let client = http::Client::new(secret);
    for id in ids {
        let item = plan.items[&id].clone();
        let state = item.state(now, window);
        let scheduling = state == State::NotYet && ahead(&item);
        match state {
            State::Sent => {
                tell(&id, &item, Event::AlreadySent(id.clone()));
                continue;
            }
            State::TooLate => {
                tell(&id, &item, Event::TooLate(id.clone()));
                continue;
            }
            State::NotYet if !scheduling => {
                tell(&id, &item, Event::NotYet(id.clone()));
                continue;
            }
            _ => {}
        }
        if scheduling && item.scheduled.is_some() {
            tell(&id, &item, Event::NotYet(id.clone()));
            continue;
        }
        let result = match &session {
            Session::Bluesky(bluesky) => {
                post_bluesky(bluesky, &id, &item, images, &client).map(|(outcome, unknown)| {
                    for handle in unknown {
                        tell(&id, &item, Event::UnknownHandle(handle));
                    }
                    outcome
                })
            }
            Session::Mastodon(mastodon) => post_mastodon(
                mastodon, &id, &item, publishing, scheduling, images, &client,
            ),
        };
        match result {
            Ok(outcome) => {
                let (made, found) = match outcome {
                    Outcome::Posted(made) => (made, false),
                    Outcome::Found(made) => (made, true),
                };
                let entry = plan.items.get_mut(&id).expect("the item is in the plan");
                if let Some(scheduled) = made.strip_prefix("scheduled:") {
                    entry.scheduled = Some(scheduled.to_string());
                } else {
                    entry.sent = Some(Sent {
                        at: now,
                        id: made.clone(),
                    });
                    entry.scheduled = None;
                }
                save(plan)?;
                let event = match (found, made.starts_with("scheduled:")) {
                    (true, _) => Event::Found(id.clone(), made),
                    (false, true) => Event::Scheduled(id.clone(), made),
                    (false, false) => Event::Posted(id.clone(), made),
                };
                tell(&id, &item, event);
            }
            Err(failure) => {
                tell(&id, &item, Event::Failed(id.clone(), failure.clone()));
                // A refused secret or a server asking to wait refuses the next items too.
                if matches!(
                    failure,
                    Failure::Refused { .. } | Failure::RateLimited { .. } | Failure::Unavailable(_)
                ) {
                    return Ok(None);
                }
            }
        }
    }
    Ok(None)
}

/// Posts one item to Bluesky unless the account already has it; also returns the mentioned
/// handles that have no DID, left as plain text.
fn post_bluesky(
    bluesky: &Bluesky,
    id: &str,
    item: &Planned,
    images: &Images,
    client: &http::Client,
) -> Result<(Outcome, Vec<String>), Failure> {
    if let Some(found) = bluesky.find(id, item)? {
        return Ok((Outcome::Found(found), Vec::new()));
    }
    let thumb = item
        .image
        .as_deref()
        .and_then(|url| images.read(url, bluesky::MAX_THUMB, client));
    let mut unknown = Vec::new();
    let facets = bluesky::facets(&item.text, &mut |handle| {
        let did = bluesky.resolve(handle).ok().flatten();
        if did.is_none() {
            unknown.push(handle.to_string());
        }
        did
    });
    let outcome = bluesky.post(id, item, facets, thumb)?;
    Ok((outcome, unknown))
}

/// Posts one item to Mastodon, or schedules it, unless the account already has it.
fn post_mastodon(
    mastodon: &Mastodon,
    id: &str,
    item: &Planned,
    publishing: &Publishing,
    scheduling: bool,
    images: &Images,
    client: &http::Client,
) -> Result<Outcome, Failure> {
    if let Some(found) = mastodon.find(item)? {
        return Ok(Outcome::Found(found));
    }
    let media = (publishing.attach_card && item.kind == "pullquote")
        .then_some(item.image.as_deref())
        .flatten()
        .and_then(|url| images.read(url, MAX_MEDIA, client))
        .map(|(bytes, kind)| (bytes, kind, item.image_alt.clone()));
    mastodon.post(
        id,
        item,
        Extras {
            visibility: publishing.visibility,
            media,
            scheduled_at: scheduling.then(|| item.at.with_timezone(&Utc)),
        },
    )
}

/// Cancels the scheduled statuses of items that changed or went away.
pub(crate) fn cancel_scheduled(
    publishing: &Publishing,
    secret: &str,
    scheduled: &[String],
) -> Result<(), Failure> {
    if scheduled.is_empty() {
        return Ok(());
    }
    let mastodon = Mastodon::login(&publishing.service, secret)?;
    for id in scheduled {
        mastodon.cancel(id)?;
    }
    Ok(())
}
