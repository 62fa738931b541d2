//! The social-post queue: a posting calendar derived from the posts on every build. Each
//! article is announced at the first posting slot after it goes live, followed up with its pull
//! quotes, announced again when updated, and recycled when it is evergreen or old but fresh.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, FixedOffset, LocalResult, TimeDelta, TimeZone, Utc};
use serde::Serialize;

use crate::body::shortcodes;
use crate::error::{Diagnostic, Errors, Result};
use crate::load::config::{Channel, Config, Network, SocialConfig};
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::site::freshness;
use crate::site::schedule::Status;
use crate::social::export::{Kind, QueueItem};
use crate::social::{facets, length};
use crate::theme::layers::Theme;
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
    kind: Kind,
    index: usize,
    channel: &'a Channel,
    wanted: DateTime<FixedOffset>,
    body: String,
    fixed_time: bool,
    /// For a hand-written text, the file line of its `text`.
    hand_written: Option<usize>,
}

/// Derives the queue of every channel from `now` to the horizon.
pub(crate) fn derive(
    corpus: &Corpus,
    config: &Config,
    social: &SocialConfig,
    templates: &Templates,
    theme: &Theme,
    now: DateTime<Utc>,
) -> Result<Queue> {
    derive_since(corpus, config, social, templates, theme, now, now)
}

/// [`derive`], keeping the items planned from `since` on, before `now` too: those that were
/// due while nobody published.
pub(crate) fn derive_since(
    corpus: &Corpus,
    config: &Config,
    social: &SocialConfig,
    templates: &Templates,
    theme: &Theme,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<Queue> {
    let now_local = now.with_timezone(&config.zone).fixed_offset();
    let since_local = since.min(now).with_timezone(&config.zone).fixed_offset();
    let mut versions: HashMap<&str, Vec<&Post>> = HashMap::new();
    // Only a site with languages has translations: elsewhere a shared `translation_key` ties
    // nothing together, and each post is announced on its own.
    if config.multilingual {
        for post in &corpus.posts {
            versions
                .entry(post.translation_key.as_str())
                .or_default()
                .push(post);
        }
    }
    let derivation = Derivation {
        config,
        social,
        templates,
        strings: theme.edition_strings(config),
        versions,
        now,
        since_local,
        earliest: since_local - TimeDelta::days(LOOKBACK_DAYS),
        horizon: social.horizon.after(now_local),
    };
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for post in &corpus.posts {
        derivation.add_post(post, &mut candidates);
    }
    // A stable sort: candidates that tie keep the order they were added in.
    candidates.sort_by(|a, b| a.order().cmp(&b.order()));
    let (mut items, mut problems) = derivation.schedule(&candidates);
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

impl Candidate<'_> {
    /// The order candidates take slots in: by wanted time, then their kind (in the order
    /// [`Kind`] declares them: hand-written texts first), then article, index and channel.
    fn order(&self) -> (DateTime<FixedOffset>, Kind, &String, usize, Network) {
        (
            self.wanted,
            self.kind,
            &self.post.path,
            self.index,
            self.channel.network,
        )
    }
}

/// Something a post wants to say, and when, before it is given channels.
struct Wanted {
    /// What it says about the post.
    kind: Kind,
    /// Rank among the post's items of that kind.
    index: usize,
    /// When the post wants it out.
    at: DateTime<FixedOffset>,
    /// The description or quote it carries.
    body: String,
}

/// What a queue is derived from besides the posts, and the time range it covers.
struct Derivation<'a> {
    /// The site's configuration.
    config: &'a Config,
    /// Its `[social]` table.
    social: &'a SocialConfig,
    /// The theme's templates, for shortcodes and the texts of items.
    templates: &'a Templates,
    /// The theme's strings in each of the site's languages, by edition.
    strings: Vec<BTreeMap<String, String>>,
    /// The versions of each post in the site's languages, by translation key (none on a site
    /// without languages).
    versions: HashMap<&'a str, Vec<&'a Post>>,
    /// The clock.
    now: DateTime<Utc>,
    /// The first time an item of the queue may have, in the site's time zone: the clock,
    /// unless earlier items are asked for.
    since_local: DateTime<FixedOffset>,
    /// The earliest time an item may want and still take a slot.
    earliest: DateTime<FixedOffset>,
    /// The last time the queue goes to.
    horizon: DateTime<FixedOffset>,
}

impl<'a> Derivation<'a> {
    /// Whether an item wanted at `t` may take a slot.
    fn in_window(&self, t: DateTime<FixedOffset>) -> bool {
        t >= self.earliest && t <= self.horizon
    }

    /// Whether `post` is announced on `channel` at all, whatever its versions.
    fn announced(&self, post: &Post, channel: &Channel) -> bool {
        !post.social.off
            && post.date.is_some()
            && !matches!(Status::of(post, self.now), Status::Draft | Status::Expired)
            && !post.social.skip.contains(&channel.network)
    }

    /// Whether `channel` speaks about `post` through this version: it speaks its language, and
    /// no version it would announce is in a language it puts first. So one channel never gets
    /// one post twice in two languages.
    fn speaks(&self, post: &Post, channel: &Channel) -> bool {
        let rank = |p: &Post| channel.languages.iter().position(|e| *e == p.edition);
        let Some(mine) = rank(post) else {
            return false;
        };
        self.versions
            .get(post.translation_key.as_str())
            .into_iter()
            .flatten()
            .filter(|other| self.announced(other, channel))
            .all(|other| rank(other).is_none_or(|theirs| theirs >= mine))
    }

    /// Adds what `post` wants to say on each of its channels to `candidates`.
    fn add_post(&self, post: &'a Post, candidates: &mut Vec<Candidate<'a>>) {
        let Some(live) = post.date else { return };
        let channels: Vec<&Channel> = self
            .social
            .channels
            .iter()
            .filter(|c| self.announced(post, c) && self.speaks(post, c))
            .collect();
        if channels.is_empty() {
            return;
        }
        for wanted in self.wanted(post, live) {
            if !self.in_window(wanted.at) {
                continue;
            }
            for channel in &channels {
                candidates.push(Candidate {
                    post,
                    kind: wanted.kind,
                    index: wanted.index,
                    channel,
                    wanted: wanted.at,
                    body: wanted.body.clone(),
                    fixed_time: false,
                    hand_written: None,
                });
            }
        }
        self.add_hand_written(post, live, &channels, candidates);
    }

    /// What a post that went live at `live` wants to say: its announcement, a follow-up per
    /// pull quote, a notice when it was updated since, and its recyclings.
    fn wanted(&self, post: &Post, live: DateTime<FixedOffset>) -> Vec<Wanted> {
        let kind = |name: &str| self.templates.shortcode(name);
        let mut quotes = shortcodes::pullquotes(&post.body.text(), &kind);
        quotes.extend(post.pullquotes.iter().cloned());
        let description = post.description.clone().unwrap_or_default();

        let mut wanted = vec![Wanted {
            kind: Kind::Announce,
            index: 0,
            at: live,
            body: description.clone(),
        }];
        let mut at = live;
        for (i, quote) in quotes.iter().enumerate() {
            at = self.social.pullquote_spacing.after(at);
            wanted.push(Wanted {
                kind: Kind::Pullquote,
                index: i,
                at,
                body: quote.clone(),
            });
        }
        if let Some(updated) = post.updated.filter(|u| *u > live) {
            wanted.push(Wanted {
                kind: Kind::Update,
                index: 0,
                at: updated,
                body: description.clone(),
            });
        }
        let texts: Vec<&String> = std::iter::once(&description)
            .chain(&quotes)
            .filter(|t| !t.is_empty())
            .collect();
        self.add_recyclings(post, live, &texts, &mut wanted);
        wanted
    }

    /// Adds the recyclings of a post to `wanted`, taking its `texts` in turn, while it is
    /// evergreen or fresh.
    fn add_recyclings(
        &self,
        post: &Post,
        live: DateTime<FixedOffset>,
        texts: &[&String],
        wanted: &mut Vec<Wanted>,
    ) {
        let social = self.social;
        // Recycling starts once a post is old enough (at once for evergreen ones) and keeps its
        // rhythm from there, so each occurrence has the same index on every build.
        let mut at = if post.evergreen {
            social.recycle_every.after(live)
        } else {
            social.recycle_after.after(live)
        };
        let mut k = 0;
        while at <= self.horizon && social.recycle_max.is_none_or(|max| k < max) {
            let fresh = freshness::freshness(post, self.config.stale_after, at.with_timezone(&Utc))
                .is_none_or(|f| !f.needs_review);
            if at >= self.earliest && (post.evergreen || fresh) {
                let body = texts
                    .get(k % texts.len().max(1))
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                wanted.push(Wanted {
                    kind: Kind::Recycle,
                    index: k,
                    at,
                    body,
                });
            }
            at = social.recycle_every.after(at);
            k += 1;
        }
    }

    /// Adds the hand-written messages of a post to `candidates`: at their own time, or when the
    /// post goes live, on the channels they name (all by default).
    fn add_hand_written(
        &self,
        post: &'a Post,
        live: DateTime<FixedOffset>,
        channels: &[&'a Channel],
        candidates: &mut Vec<Candidate<'a>>,
    ) {
        for (i, hand) in post.social.posts.iter().enumerate() {
            let at = hand.at.unwrap_or(live);
            if !self.in_window(at) {
                continue;
            }
            for channel in channels
                .iter()
                .filter(|c| hand.channels.is_empty() || hand.channels.contains(&c.network))
            {
                candidates.push(Candidate {
                    post,
                    kind: Kind::Custom,
                    index: i,
                    channel,
                    wanted: at,
                    body: hand.text.clone(),
                    fixed_time: hand.at.is_some(),
                    hand_written: Some(hand.line),
                });
            }
        }
    }

    /// Gives each candidate, in order, the first slot its channel has free, and makes items of
    /// those from now on; texts that cannot fit their channel are problems.
    fn schedule(&self, candidates: &[Candidate<'a>]) -> (Vec<QueueItem>, Vec<Diagnostic>) {
        let social = self.social;
        let mut calendar = Calendar::default();
        let mut items = Vec::new();
        let mut problems = Vec::new();
        for c in candidates {
            let time = if c.fixed_time {
                Some(c.wanted)
            } else {
                first_slot(social, self.config, c.wanted, self.horizon, |slot| {
                    calendar.is_free(c, slot, social)
                })
            };
            let Some(time) = time else { continue };
            if c.post.expires.is_some_and(|e| time >= e) {
                continue;
            }
            // The default language's strings are always there: a site has at least that one.
            let strings = self.strings.get(c.post.edition).unwrap_or(&self.strings[0]);
            let text = match compose(c, self.config, self.templates, strings) {
                Ok(text) => text,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            if calendar.repeats(c, &text, time, social) {
                continue;
            }
            calendar.book(c, &text, time);
            // Past items still count above, so that what went out recently spaces what follows.
            if time < self.since_local {
                continue;
            }
            items.push(self.item(c, text, time));
        }
        (items, problems)
    }

    /// The queue item of candidate `c`, with its text and time.
    fn item(&self, c: &Candidate<'_>, text: String, time: DateTime<FixedOffset>) -> QueueItem {
        let config = self.config;
        let network = c.channel.network;
        let link = config.base.absolute(&c.post.path);
        let bluesky = network == Network::Bluesky;
        QueueItem {
            id: format!("{}:{}:{}:{}", c.post.path, c.kind, c.index, network),
            channel: network,
            kind: c.kind,
            at: time,
            zone: config.zone.name().to_string(),
            length: length::length(&text, network),
            limit: c.channel.limit,
            bytes: bluesky.then_some(text.len()),
            byte_limit: bluesky.then_some(length::BLUESKY_BYTES),
            facets: if bluesky {
                facets::detect(&text)
            } else {
                Vec::new()
            },
            commentary: (network == Network::LinkedIn).then(|| length::linkedin_escape(&text)),
            text,
            link,
            image: crate::render::context::queue_image(c.post, config),
            article: c.post.path.clone(),
            title: c.post.title.clone(),
            path: c.post.source.display().to_string(),
        }
    }
}

/// What the queue holds so far, per channel: the slots taken, items per day, the last item
/// about each article and the last time of each text.
#[derive(Default)]
struct Calendar<'a> {
    /// Slots taken, per channel: one item per slot, so two posts of one morning go out at two
    /// posting times rather than at the same minute.
    taken: HashSet<(Network, DateTime<FixedOffset>)>,
    /// Items per channel and day.
    per_day: HashMap<(Network, chrono::NaiveDate), usize>,
    /// Time of the last item per channel and article.
    last_about: HashMap<(Network, &'a str), DateTime<FixedOffset>>,
    /// Time of the last item per channel and text.
    last_text: HashMap<(Network, String), DateTime<FixedOffset>>,
}

impl<'a> Calendar<'a> {
    /// Whether `c`'s channel has room on the day of `slot`, and has been quiet about `c`'s
    /// article for long enough.
    fn is_free(
        &self,
        c: &Candidate<'a>,
        slot: DateTime<FixedOffset>,
        social: &SocialConfig,
    ) -> bool {
        let channel = c.channel.network;
        !self.taken.contains(&(channel, slot))
            && self
                .per_day
                .get(&(channel, slot.date_naive()))
                .copied()
                .unwrap_or(0)
                < social.max_per_day
            && self
                .last_about
                .get(&(channel, c.post.path.as_str()))
                .is_none_or(|last| social.min_gap.after(*last) <= slot)
    }

    /// Whether `text` went out on `c`'s channel too shortly before `time`.
    fn repeats(
        &self,
        c: &Candidate<'a>,
        text: &str,
        time: DateTime<FixedOffset>,
        social: &SocialConfig,
    ) -> bool {
        self.last_text
            .get(&(c.channel.network, text.to_string()))
            .is_some_and(|last| social.repeat_interval.after(*last) > time)
    }

    /// Records that `c` goes out with `text` at `time`.
    fn book(&mut self, c: &Candidate<'a>, text: &str, time: DateTime<FixedOffset>) {
        let channel = c.channel.network;
        self.taken.insert((channel, time));
        *self
            .per_day
            .entry((channel, time.date_naive()))
            .or_default() += 1;
        self.last_about
            .insert((channel, c.post.path.as_str()), time);
        self.last_text.insert((channel, text.to_string()), time);
    }
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

/// What a queue item's template (`social/KIND.txt`) reads.
#[derive(Serialize)]
struct TextContext<'a> {
    /// Interface strings of the language the post is published in.
    t: &'a BTreeMap<String, String>,
    /// The post's title.
    title: &'a str,
    /// The description or quote the item carries, perhaps shortened.
    body: &'a str,
    /// Absolute URL of the post.
    url: String,
    /// Its hashtags, `#`-prefixed and space-separated, or nothing.
    hashtags: String,
    /// The account every text of the channel mentions.
    mention: Option<&'a str>,
    /// What the item says about the post.
    kind: Kind,
    /// The network it goes to.
    channel: Network,
    /// The post's language.
    lang: &'a str,
}

/// The text of an item, made to fit its channel by the channel's own counter: the
/// description or quote is cut at a word first, then the hashtags go, then the body; a title
/// and link that cannot fit, or a hand-written text that does not, is an error naming the
/// file and line.
fn compose(
    c: &Candidate<'_>,
    config: &Config,
    templates: &Templates,
    strings: &BTreeMap<String, String>,
) -> std::result::Result<String, Diagnostic> {
    let network = c.channel.network;
    let limit = c.channel.limit;
    let channel = network.key();
    if let Some(line) = c.hand_written {
        return match length::refusal(&c.body, network, limit) {
            None => Ok(c.body.clone()),
            Some(why) => Err(Diagnostic::input(format!(
                "the hand-written text for {channel} is {why} ({})",
                network.rule()
            ))
            .at(&c.post.source)
            .line(line)
            .hint("shorten it, or send it to other channels with `channels`")),
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
    let render = |body: &str, with_hashtags: bool| -> std::result::Result<String, Diagnostic> {
        let tags = if with_hashtags {
            hashtags.join(" ")
        } else {
            String::new()
        };
        let ctx = tera::Context::from_serialize(&TextContext {
            t: strings,
            title: &c.post.title,
            body,
            url: config.base.absolute(&c.post.path),
            hashtags: tags,
            mention: c.channel.mention.as_deref(),
            kind: c.kind,
            channel: network,
            lang: c.post.lang.as_deref().unwrap_or(
                config
                    .languages
                    .get(c.post.edition)
                    .map_or(&config.language, |l| &l.code),
            ),
        })
        .expect("social texts' contexts serialize");
        templates
            .render(&format!("social/{}.txt", c.kind.key()), &ctx, &c.post.path)
            .map(|t| t.trim().to_string())
    };
    let fits = |text: &str| length::refusal(text, network, limit).is_none();
    if let Some(text) = length::fit(&c.body, render, fits)? {
        return Ok(text);
    }
    let bare = render("", false)?;
    let why = length::refusal(&bare, network, limit).unwrap_or_default();
    Err(Diagnostic::input(format!(
        "even the title and link of this post do not fit on {channel}: they are {why} ({})",
        network.rule()
    ))
    .at(&c.post.source)
    .line(c.post.title_line)
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
            item.at.format("%Y-%m-%d %H:%M"),
            item.channel.key(),
            item.kind.key(),
            item.length,
            item.limit
        );
    }
    out
}
