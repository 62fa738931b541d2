//! The social-post queue: a posting calendar derived from the posts on every build. Each
//! article is announced at the first posting slot after it goes live, followed up with its pull
//! quotes, announced again when updated, and recycled when it is evergreen or old but fresh.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, FixedOffset, LocalResult, TimeDelta, TimeZone, Utc};
use serde::Serialize;

use crate::body::shortcodes;
use crate::error::{Diagnostic, Errors, Result};
use crate::load::config::{Channel, Config, SocialConfig};
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::site::freshness;
use crate::site::schedule::Status;
use crate::social::export::QueueItem;
use crate::social::length::{self, Counter};
use crate::theme::templates::Templates;

/// Version of the queue's JSON schema.
pub(crate) const SCHEMA_VERSION: u32 = 1;
/// How far back an item may be wanted and still take a slot: late items after a quiet spell
/// still go out, very old ones are history.
const LOOKBACK_DAYS: i64 = 7;

/// The queue file: its clock, zone and items in time order.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Queue {
    /// Schema version.
    pub(crate) schema: u32,
    /// The clock the queue was derived at, RFC 3339.
    pub(crate) now: String,
    /// IANA zone of the times.
    pub(crate) zone: String,
    /// Items from now to the horizon, by time then id.
    pub(crate) items: Vec<QueueItem>,
}

/// What a queue item says, before it has a time.
struct Candidate<'a> {
    post: &'a Post,
    kind: &'static str,
    index: usize,
    channel: &'a Channel,
    wanted: DateTime<FixedOffset>,
    body: String,
    fixed_time: bool,
    hand_written: bool,
}

/// Kinds in order of precedence when two want the same slot.
fn precedence(kind: &str) -> u8 {
    match kind {
        "custom" => 0,
        "announce" => 1,
        "update" => 2,
        "pullquote" => 3,
        _ => 4,
    }
}

/// Derives the queue of every channel from `now` to the horizon.
pub(crate) fn derive(
    corpus: &Corpus,
    config: &Config,
    social: &SocialConfig,
    templates: &Templates,
    strings: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<Queue> {
    let now_local = now.with_timezone(&config.zone).fixed_offset();
    let horizon = social.horizon.after(now_local);
    let earliest = now_local - TimeDelta::days(LOOKBACK_DAYS);
    let in_window = |t: DateTime<FixedOffset>| t >= earliest && t <= horizon;
    let kind = |name: &str| templates.shortcode(name);

    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for post in &corpus.posts {
        let status = Status::of(post, now);
        if post.social.off || matches!(status, Status::Draft | Status::Expired) {
            continue;
        }
        let Some(live) = post.date else { continue };
        let channels: Vec<&Channel> = social
            .channels
            .iter()
            .filter(|c| !post.social.skip.contains(&c.name))
            .collect();
        let mut quotes = shortcodes::pullquotes(&post.body, &kind);
        quotes.extend(post.pullquotes.iter().cloned());
        let description = post.description.clone().unwrap_or_default();

        let mut wanted: Vec<(&'static str, usize, DateTime<FixedOffset>, String)> =
            vec![("announce", 0, live, description.clone())];
        let mut at = live;
        for (i, quote) in quotes.iter().enumerate() {
            at = social.pullquote_spacing.after(at);
            wanted.push(("pullquote", i, at, quote.clone()));
        }
        if let Some(updated) = post.updated.filter(|u| *u > live) {
            wanted.push(("update", 0, updated, description.clone()));
        }
        let texts: Vec<&String> = std::iter::once(&description)
            .chain(&quotes)
            .filter(|t| !t.is_empty())
            .collect();
        // Recycling starts once a post is old enough (at once for evergreen ones) and keeps its
        // rhythm from there, so each occurrence has the same index on every build.
        let mut at = if post.evergreen {
            social.recycle_every.after(live)
        } else {
            social.recycle_after.after(live)
        };
        let mut k = 0;
        while at <= horizon && social.recycle_max.is_none_or(|max| k < max) {
            let fresh = freshness::freshness(post, config.stale_after, at.with_timezone(&Utc))
                .is_none_or(|f| !f.needs_review);
            if at >= earliest && (post.evergreen || fresh) {
                let body = texts
                    .get(k % texts.len().max(1))
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                wanted.push(("recycle", k, at, body));
            }
            at = social.recycle_every.after(at);
            k += 1;
        }
        for (kind_name, index, at, body) in wanted {
            if !in_window(at) {
                continue;
            }
            for channel in &channels {
                candidates.push(Candidate {
                    post,
                    kind: kind_name,
                    index,
                    channel,
                    wanted: at,
                    body: body.clone(),
                    fixed_time: false,
                    hand_written: false,
                });
            }
        }
        for (i, hand) in post.social.posts.iter().enumerate() {
            let at = hand.at.unwrap_or(live);
            if !in_window(at) {
                continue;
            }
            for channel in channels
                .iter()
                .filter(|c| hand.channels.is_empty() || hand.channels.contains(&c.name))
            {
                candidates.push(Candidate {
                    post,
                    kind: "custom",
                    index: i,
                    channel,
                    wanted: at,
                    body: hand.text.clone(),
                    fixed_time: hand.at.is_some(),
                    hand_written: true,
                });
            }
        }
    }
    candidates.sort_by(|a, b| {
        (
            a.wanted,
            precedence(a.kind),
            &a.post.path,
            a.index,
            &a.channel.name,
        )
            .cmp(&(
                b.wanted,
                precedence(b.kind),
                &b.post.path,
                b.index,
                &b.channel.name,
            ))
    });

    let mut per_day: HashMap<(&str, chrono::NaiveDate), usize> = HashMap::new();
    let mut last_about: HashMap<(&str, &str), DateTime<FixedOffset>> = HashMap::new();
    let mut last_text: HashMap<(&str, String), DateTime<FixedOffset>> = HashMap::new();
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for c in &candidates {
        let channel = c.channel.name.as_str();
        let time = if c.fixed_time {
            Some(c.wanted)
        } else {
            first_slot(social, config, c.wanted, horizon, |slot| {
                let day = slot.date_naive();
                per_day.get(&(channel, day)).copied().unwrap_or(0) < social.max_per_day
                    && last_about
                        .get(&(channel, c.post.path.as_str()))
                        .is_none_or(|last| social.min_gap.after(*last) <= slot)
            })
        };
        let Some(time) = time else { continue };
        if c.post.expires.is_some_and(|e| time >= e) {
            continue;
        }
        let text = match compose(c, config, templates, strings) {
            Ok(text) => text,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        if last_text
            .get(&(channel, text.clone()))
            .is_some_and(|last| social.repeat_interval.after(*last) > time)
        {
            continue;
        }
        *per_day.entry((channel, time.date_naive())).or_default() += 1;
        last_about.insert((channel, c.post.path.as_str()), time);
        last_text.insert((channel, text.clone()), time);
        if time < now_local {
            continue;
        }
        let counter = counter(channel);
        let link = config.base.absolute(&c.post.path);
        items.push(QueueItem {
            id: format!("{}:{}:{}:{}", c.post.path, c.kind, c.index, channel),
            channel: channel.to_string(),
            kind: c.kind.to_string(),
            at: time.to_rfc3339(),
            zone: config.zone.name().to_string(),
            length: length::length(&text, counter),
            limit: c.channel.limit,
            facets: if channel == "bluesky" {
                facets(&text)
            } else {
                Vec::new()
            },
            text,
            link,
            image: c
                .post
                .image
                .as_deref()
                .map(|i| crate::render::context::image_url(i, &c.post.path, config)),
            article: c.post.path.clone(),
            title: c.post.title.clone(),
            path: c.post.source.display().to_string(),
        });
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        problems.dedup();
        return Err(Errors(problems));
    }
    items.sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
    Ok(Queue {
        schema: SCHEMA_VERSION,
        now: now_local.to_rfc3339(),
        zone: config.zone.name().to_string(),
        items,
    })
}

/// The first posting slot at or after `wanted` (and before `horizon`) that `free` accepts.
fn first_slot(
    social: &SocialConfig,
    config: &Config,
    wanted: DateTime<FixedOffset>,
    horizon: DateTime<FixedOffset>,
    mut free: impl FnMut(DateTime<FixedOffset>) -> bool,
) -> Option<DateTime<FixedOffset>> {
    let mut times = social.times.clone();
    times.sort();
    let mut day = wanted.with_timezone(&config.zone).date_naive();
    while day <= horizon.with_timezone(&config.zone).date_naive() {
        if social.days.contains(&day.weekday()) {
            for time in &times {
                let slot = match config.zone.from_local_datetime(&day.and_time(*time)) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.fixed_offset(),
                    // A slot inside a daylight-saving gap does not exist that day.
                    LocalResult::None => continue,
                };
                if slot >= wanted && slot <= horizon && free(slot) {
                    return Some(slot);
                }
            }
        }
        day = day.succ_opt()?;
    }
    None
}

/// How a channel counts length.
fn counter(channel: &str) -> Counter {
    match channel {
        "x" => Counter::X,
        "mastodon" => Counter::Mastodon,
        "bluesky" => Counter::Bluesky,
        _ => Counter::Chars,
    }
}

/// Link facets for Bluesky: the byte range of each URL in the text.
fn facets(text: &str) -> Vec<crate::social::export::Facet> {
    length::urls(text)
        .into_iter()
        .map(|r| crate::social::export::Facet {
            byte_start: r.start,
            byte_end: r.end,
            uri: text[r].to_string(),
        })
        .collect()
}

/// The text of an item, made to fit its channel: the description or quote is shortened at a
/// word boundary first, then hashtags go, then the body; a title and link that cannot fit is an
/// error naming the post.
fn compose(
    c: &Candidate<'_>,
    config: &Config,
    templates: &Templates,
    strings: &BTreeMap<String, String>,
) -> std::result::Result<String, Diagnostic> {
    let counter = counter(&c.channel.name);
    let limit = c.channel.limit;
    if c.hand_written {
        let length = length::length(&c.body, counter);
        return if length <= limit {
            Ok(c.body.clone())
        } else {
            Err(Diagnostic::input(format!(
                "the hand-written {} post is {length} characters long; the limit is {limit}",
                c.channel.name
            ))
            .at(&c.post.source))
        };
    }
    let social = config.social.as_ref().expect("a queue needs [social]");
    let hashtags: Vec<String> = c
        .post
        .taxonomies
        .get("tags")
        .into_iter()
        .flatten()
        .map(|t| {
            let tag = crate::share::hashtag(t);
            if social.hashtag_accents {
                tag
            } else {
                deunicode::deunicode(&tag)
            }
        })
        .filter(|t| !t.is_empty())
        .take(c.channel.hashtags)
        .map(|t| format!("#{t}"))
        .collect();
    let render = |body: &str, hashtags: &[String]| -> std::result::Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert("t", strings);
        ctx.insert("title", &c.post.title);
        ctx.insert("body", body);
        ctx.insert("url", &config.base.absolute(&c.post.path));
        ctx.insert("hashtags", &hashtags.join(" "));
        ctx.insert("mention", &c.channel.mention);
        ctx.insert("kind", c.kind);
        ctx.insert("channel", &c.channel.name);
        ctx.insert("lang", c.post.lang.as_deref().unwrap_or(&config.language));
        templates
            .render(&format!("social/{}.txt", c.kind), &ctx, &c.post.path)
            .map(|t| t.trim().to_string())
    };
    let fits = |text: &str| length::length(text, counter) <= limit;
    for tags in [hashtags.as_slice(), &[]] {
        let text = render(&c.body, tags)?;
        if fits(&text) {
            return Ok(text);
        }
        if !c.body.is_empty() {
            let over = length::length(&text, counter) - limit;
            let budget = length::length(&c.body, counter).saturating_sub(over);
            if let Some(short) = length::shorten(&c.body, budget, counter) {
                let text = render(&short, tags)?;
                if fits(&text) {
                    return Ok(text);
                }
            }
        }
    }
    let text = render("", &[])?;
    if fits(&text) {
        return Ok(text);
    }
    Err(Diagnostic::input(format!(
        "even the title and link of this post do not fit on {} ({} of {limit} characters)",
        c.channel.name,
        length::length(&text, counter)
    ))
    .at(&c.post.source)
    .hint("shorten the title, or give this channel a hand-written text in [[social.posts]]"))
}

/// The queue as a terminal table: time, channel, kind, text preview, length and limit.
pub(crate) fn table(queue: &Queue) -> String {
    use std::fmt::Write;
    let mut out = format!("{} items, times in {}\n", queue.items.len(), queue.zone);
    for item in &queue.items {
        let flat = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let preview: String = flat.chars().take(60).collect();
        let more = if flat.chars().count() > 60 { "…" } else { "" };
        let _ = writeln!(
            out,
            "{}  {:<9} {:<9} {:>4}/{:<4} {preview}{more}",
            &item.at[..16.min(item.at.len())].replace('T', " "),
            item.channel,
            item.kind,
            item.length,
            item.limit
        );
    }
    out
}
