//! The `[social]` table of `site.toml`: channels, posting slots and pacing of the queue.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{CONFIG_FILE, Language, Problems, folder_problem, lexical};
use crate::clock::Span;
use crate::error::{self, Diagnostic};
use crate::load::folders::Folder;

/// How far ahead the social calendar may look, in days.
const MAX_HORIZON_DAYS: i64 = 731;

/// The social-post queue: channels, posting slots and pacing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SocialConfig {
    /// Channels, by name.
    pub(crate) channels: Vec<Channel>,
    /// Posting days.
    pub(crate) days: Vec<chrono::Weekday>,
    /// Posting times on those days, in the site's time zone.
    pub(crate) times: Vec<chrono::NaiveTime>,
    /// How far ahead the queue goes.
    pub(crate) horizon: Span,
    /// Most items a day on one channel.
    pub(crate) max_per_day: usize,
    /// Least time between two items about one article on one channel.
    pub(crate) min_gap: Span,
    /// Time between an announcement and each pull-quote follow-up.
    pub(crate) pullquote_spacing: Span,
    /// Age from which a post that is not stale comes back.
    pub(crate) recycle_after: Span,
    /// Time between two recyclings of a post.
    pub(crate) recycle_every: Span,
    /// Most recyclings of one post, if limited.
    pub(crate) recycle_max: Option<usize>,
    /// Least time before the same text returns on the same channel.
    pub(crate) repeat_interval: Span,
    /// Keep accents in hashtags (`#RéseauxSociaux`) or strip them (`#ReseauxSociaux`).
    pub(crate) hashtag_accents: bool,
    /// Folder of the queue files, absolute (outside the public output by default).
    pub(crate) output: PathBuf,
    /// How late `tribune publish` still posts a due item.
    pub(crate) publish_window: chrono::TimeDelta,
}

/// One social network account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Channel {
    /// The network it posts to; its key names the channel.
    pub(crate) network: Network,
    /// Longest text, as the network counts it.
    pub(crate) limit: usize,
    /// Most hashtags in a text.
    pub(crate) hashtags: usize,
    /// An account to mention in every text, such as `@tribune@mastodon.social`.
    pub(crate) mention: Option<String>,
    /// The site languages it speaks (indexes into the configuration's languages), in the
    /// order it prefers them: every one, the default first, unless `languages` says otherwise.
    pub(crate) languages: Vec<usize>,
    /// Where `tribune publish` posts its items, when the channel has a `service`.
    pub(crate) publishing: Option<Publishing>,
}

/// The account `tribune publish` posts a channel's items to, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Publishing {
    /// The server's address, without a final `/`: a Bluesky PDS or a Mastodon instance.
    pub(crate) service: String,
    /// The account: a Bluesky handle or DID (required there); unused on Mastodon, whose token
    /// names its account.
    pub(crate) account: Option<String>,
    /// Mastodon: who sees the posts.
    pub(crate) visibility: Visibility,
    /// Mastodon: a quote goes out with the post's card attached as an image.
    pub(crate) attach_card: bool,
    /// Mastodon: items at least five minutes ahead are handed to the server's own scheduler.
    pub(crate) schedule_ahead: bool,
}

/// Who sees a Mastodon post, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    /// Everyone, on public timelines too.
    Public,
    /// Everyone, off public timelines.
    Unlisted,
    /// Followers only.
    Private,
}

impl Visibility {
    /// The API's word for it.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
        }
    }
}

/// A social network Tribune writes a queue for. Adding one is adding a variant: every match
/// over networks (limits, counting rules, messages, exports) then asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Network {
    /// X: twitter-text's weighted length.
    X,
    /// Mastodon: grapheme clusters, links 23, remote mentions as local ones.
    Mastodon,
    /// Bluesky: grapheme clusters and UTF-8 bytes.
    Bluesky,
    /// LinkedIn: UTF-16 units.
    LinkedIn,
    /// Threads: UTF-16 units, emoji by their UTF-8 bytes.
    Threads,
}

impl Network {
    /// Every network, in the order messages list them.
    pub(crate) const ALL: [Network; 5] = [
        Network::X,
        Network::Mastodon,
        Network::Bluesky,
        Network::LinkedIn,
        Network::Threads,
    ];

    /// The key that names it in `site.toml`, front matter, the command line and the queue.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Mastodon => "mastodon",
            Network::Bluesky => "bluesky",
            Network::LinkedIn => "linkedin",
            Network::Threads => "threads",
        }
    }

    /// The network's own limit on a post's length, as it counts it.
    pub(crate) fn default_limit(self) -> usize {
        match self {
            Network::X => 280,
            Network::Mastodon => 500,
            Network::Bluesky => 300,
            Network::LinkedIn => 3000,
            Network::Threads => 500,
        }
    }

    /// The network named by `key`, exactly as written.
    pub(crate) fn parse(key: &str) -> Option<Network> {
        Network::ALL.into_iter().find(|n| n.key() == key)
    }

    /// The network named by `key`, or what to suggest instead of it.
    pub(crate) fn parse_known(key: &str) -> std::result::Result<Network, error::UnknownName> {
        Network::parse(key).ok_or_else(|| error::UnknownName {
            what: "social channel",
            name: key.to_string(),
            hint: unknown_channel_hint(key),
        })
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSocial {
    output: Option<Spanned<String>>,
    horizon: Option<Spanned<String>>,
    max_per_day: Option<usize>,
    min_gap: Option<Spanned<String>>,
    pullquote_spacing: Option<Spanned<String>>,
    recycle_after: Option<Spanned<String>>,
    recycle_every: Option<Spanned<String>>,
    recycle_max: Option<usize>,
    repeat_interval: Option<Spanned<String>>,
    hashtag_accents: Option<bool>,
    publish_window: Option<Spanned<String>>,
    #[serde(default)]
    schedule: RawSchedule,
    #[serde(default)]
    channels: BTreeMap<String, RawChannel>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    days: Option<Spanned<Vec<String>>>,
    times: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    limit: Option<usize>,
    hashtags: Option<usize>,
    mention: Option<String>,
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    service: Option<Spanned<String>>,
    account: Option<Spanned<String>>,
    visibility: Option<Spanned<String>>,
    attach_card: Option<Spanned<bool>>,
    schedule_ahead: Option<Spanned<bool>>,
}

impl RawSocial {
    /// Checks `[social]` with its schedule and channels, whose languages must be among the
    /// site's `languages`.
    pub(super) fn validate(
        &self,
        root: &Path,
        languages: &[Language],
        problems: &mut Problems,
    ) -> SocialConfig {
        let mut span = |value: &Option<Spanned<String>>, default: Span, key: &str| {
            value
                .as_ref()
                .and_then(|v| problems.span(v, key))
                .unwrap_or(default)
        };
        let horizon = span(&self.horizon, Span::Days(28), "social.horizon");
        let min_gap = span(&self.min_gap, Span::Days(1), "social.min_gap");
        let pullquote_spacing = span(
            &self.pullquote_spacing,
            Span::Days(7),
            "social.pullquote_spacing",
        );
        let recycle_after = span(&self.recycle_after, Span::Months(6), "social.recycle_after");
        let recycle_every = span(&self.recycle_every, Span::Days(90), "social.recycle_every");
        let repeat_interval = span(
            &self.repeat_interval,
            Span::Days(30),
            "social.repeat_interval",
        );
        if let Some(written) = &self.horizon
            && horizon.after_days() > MAX_HORIZON_DAYS
        {
            problems.push_at(
                written.span(),
                format!(
                    "social.horizon: `{}` is too far: the calendar looks at most two years ahead",
                    written.get_ref()
                ),
            );
        }
        let channels = channels(&self.channels, languages, problems);
        let days = self.schedule.days(problems);
        let times = self.schedule.times(problems);
        let output = self.output(root, problems);
        let publish_window = match &self.publish_window {
            None => chrono::TimeDelta::hours(24),
            Some(written) => window(written.get_ref()).unwrap_or_else(|| {
                problems.push_at(
                    written.span(),
                    format!(
                        "social.publish_window: `{}` is not a length of time: write \"24 hours\", \"90 minutes\" or \"3 days\" (at most {MAX_WINDOW_DAYS} days)",
                        written.get_ref()
                    ),
                );
                chrono::TimeDelta::hours(24)
            }),
        };
        SocialConfig {
            channels,
            days,
            times,
            horizon,
            max_per_day: self.max_per_day.unwrap_or(2).max(1),
            min_gap,
            pullquote_spacing,
            recycle_after,
            recycle_every,
            recycle_max: self.recycle_max,
            repeat_interval,
            hashtag_accents: self.hashtag_accents.unwrap_or(true),
            output,
            publish_window,
        }
    }

    /// The queue announces posts that are not public yet: its folder may be neither published
    /// (inside the output) nor read as the site's sources.
    pub(super) fn check_private(
        &self,
        root: &Path,
        queue: &Path,
        output: &Path,
        problems: &mut Problems,
    ) {
        let queue = lexical(queue);
        let public = Folder::ALL
            .into_iter()
            .map(Folder::name)
            .map(|folder| {
                (
                    lexical(&root.join(folder)),
                    format!("the site's `{folder}` folder"),
                )
            })
            .chain([(
                lexical(output),
                "the output folder, which is published".to_string(),
            )]);
        for (folder, what) in public {
            if queue.starts_with(&folder) {
                let message = match &self.output {
                    Some(dir) => format!("social.output `{}` is inside {what}", dir.get_ref()),
                    None => format!("the social queue's folder is inside {what}"),
                };
                let problem = match &self.output {
                    Some(dir) => problems.at(dir.span(), message),
                    None => Diagnostic::input(message).at(CONFIG_FILE),
                };
                problems.push(problem.hint(
                    "the queue announces posts before they are public: keep it in `social/` or another folder of its own",
                ));
                return;
            }
        }
    }

    /// `social.output`: `social/` in the site folder by default, and never outside it.
    fn output(&self, root: &Path, problems: &mut Problems) -> PathBuf {
        let Some(dir) = &self.output else {
            return root.join("social");
        };
        if let Some(why) = folder_problem(dir.get_ref()) {
            problems.push_at(
                dir.span(),
                format!("social.output `{}` {why}", dir.get_ref().escape_debug()),
            );
        }
        root.join(dir.get_ref())
    }
}

impl RawSchedule {
    /// `social.schedule.days`: Monday to Friday by default.
    fn days(&self, problems: &mut Problems) -> Vec<chrono::Weekday> {
        let Some(list) = &self.days else {
            return vec![
                chrono::Weekday::Mon,
                chrono::Weekday::Tue,
                chrono::Weekday::Wed,
                chrono::Weekday::Thu,
                chrono::Weekday::Fri,
            ];
        };
        list.get_ref()
            .iter()
            .filter_map(|d| {
                d.parse::<chrono::Weekday>()
                    .map_err(|_| {
                        problems.push_at(
                            list.span(),
                            format!("`{d}` is not a day: write mon, tue, wed…"),
                        )
                    })
                    .ok()
            })
            .collect()
    }

    /// `social.schedule.times`: 09:00 by default.
    fn times(&self, problems: &mut Problems) -> Vec<chrono::NaiveTime> {
        let Some(list) = &self.times else {
            return vec![chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("a valid time")];
        };
        list.get_ref()
            .iter()
            .filter_map(|t| {
                chrono::NaiveTime::parse_from_str(t, "%H:%M")
                    .map_err(|_| {
                        problems.push_at(
                            list.span(),
                            format!("`{t}` is not a time: write 09:00 or 12:30"),
                        )
                    })
                    .ok()
            })
            .collect()
    }
}

/// The `[social.channels.*]` tables: networks Tribune knows, with their default limits.
fn channels(
    tables: &BTreeMap<String, RawChannel>,
    languages: &[Language],
    problems: &mut Problems,
) -> Vec<Channel> {
    let mut channels = Vec::new();
    for (name, c) in tables {
        match Network::parse_known(name) {
            Ok(network) => channels.push(Channel {
                network,
                limit: c.limit.unwrap_or(network.default_limit()),
                hashtags: c.hashtags.unwrap_or(3),
                mention: c.mention.clone().filter(|m| !m.trim().is_empty()),
                languages: c.languages(name, languages, problems),
                publishing: c.publishing(name, network, problems),
            }),
            Err(unknown) => problems.push(
                Diagnostic::input(format!("unknown social channel `{name}`"))
                    .at(Path::new(CONFIG_FILE))
                    .hint(unknown.hint),
            ),
        }
    }
    channels
}

/// The longest `publish_window`: the queue looks back a week for items that still want out.
const MAX_WINDOW_DAYS: i64 = 7;

/// `publish_window`: `N minutes`, `N hours` or `N days`, in English or French, up to a week.
fn window(text: &str) -> Option<chrono::TimeDelta> {
    let mut parts = text.split_whitespace();
    let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let n: i64 = n.parse().ok().filter(|n| *n > 0)?;
    let span = match unit.to_lowercase().trim_end_matches('s') {
        "minute" => chrono::TimeDelta::try_minutes(n)?,
        "hour" | "heure" => chrono::TimeDelta::try_hours(n)?,
        "day" | "jour" => chrono::TimeDelta::try_days(n)?,
        _ => return None,
    };
    (span <= chrono::TimeDelta::days(MAX_WINDOW_DAYS)).then_some(span)
}

impl RawChannel {
    /// What `tribune publish` needs of channel `name`: nothing without a `service`; Bluesky
    /// also needs the `account`, and the Mastodon options are refused elsewhere.
    fn publishing(
        &self,
        name: &str,
        network: Network,
        problems: &mut Problems,
    ) -> Option<Publishing> {
        let mastodon_only = [
            ("visibility", self.visibility.as_ref().map(Spanned::span)),
            ("attach_card", self.attach_card.as_ref().map(Spanned::span)),
            (
                "schedule_ahead",
                self.schedule_ahead.as_ref().map(Spanned::span),
            ),
        ];
        if network != Network::Mastodon {
            for (key, span) in &mastodon_only {
                if let Some(span) = span {
                    problems.push_at(
                        span.clone(),
                        format!("social.channels.{name}.{key} is a Mastodon setting"),
                    );
                }
            }
        }
        let service = self.service.as_ref()?;
        if !matches!(network, Network::Bluesky | Network::Mastodon) {
            let problem = problems
                .at(
                    service.span(),
                    format!(
                        "social.channels.{name}.service: Tribune publishes to Bluesky and Mastodon only"
                    ),
                )
                .hint(format!(
                    "remove `service`: the {name} queue is written to the queue's folder for you to upload"
                ));
            problems.push(problem);
            return None;
        }
        let address = service.get_ref().trim().trim_end_matches('/');
        let host = address
            .strip_prefix("https://")
            .or_else(|| address.strip_prefix("http://"))
            .unwrap_or("");
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '/' || c == '?') {
            problems.push_at(
                service.span(),
                format!(
                    "social.channels.{name}.service `{}` must be a server's address, such as {}",
                    service.get_ref(),
                    if network == Network::Bluesky {
                        "https://bsky.social"
                    } else {
                        "https://mastodon.social"
                    }
                ),
            );
            return None;
        }
        let account = self
            .account
            .as_ref()
            .map(|a| a.get_ref().trim().trim_start_matches('@').to_string())
            .filter(|a| !a.is_empty());
        if network == Network::Bluesky && account.is_none() {
            let problem = problems
                .at(
                    service.span(),
                    format!("social.channels.{name} has a `service` but no `account`"),
                )
                .hint("add the account to post as: account = \"yourname.bsky.social\" (a handle or a DID)");
            problems.push(problem);
            return None;
        }
        let visibility = match self.visibility.as_ref() {
            None => Visibility::Public,
            Some(v) => match v.get_ref().as_str() {
                "public" => Visibility::Public,
                "unlisted" => Visibility::Unlisted,
                "private" => Visibility::Private,
                other => {
                    problems.push_at(
                        v.span(),
                        format!(
                            "social.channels.{name}.visibility `{other}`: write public, unlisted or private"
                        ),
                    );
                    Visibility::Public
                }
            },
        };
        Some(Publishing {
            service: address.to_string(),
            account,
            visibility,
            attach_card: self.attach_card.as_ref().is_some_and(|b| *b.get_ref()),
            schedule_ahead: self.schedule_ahead.as_ref().is_some_and(|b| *b.get_ref()),
        })
    }

    /// `languages` of channel `name`: site languages, each once, in the order written; when it
    /// is not written, every language of the site, the default first.
    fn languages(&self, name: &str, site: &[Language], problems: &mut Problems) -> Vec<usize> {
        let Some(list) = &self.languages else {
            return (0..site.len()).collect();
        };
        if list.get_ref().is_empty() {
            let problem = problems
                .at(
                    list.span(),
                    format!(
                        "social.channels.{name}.languages is empty: the channel would announce nothing"
                    ),
                )
                .hint("remove `languages` for a channel that speaks every language of the site");
            problems.push(problem);
            return Vec::new();
        }
        let codes: Vec<&str> = site.iter().map(|l| l.code.as_str()).collect();
        let mut editions = Vec::new();
        for code in list.get_ref() {
            let written = code.get_ref();
            match site
                .iter()
                .position(|l| l.code.eq_ignore_ascii_case(written))
            {
                Some(edition) if !editions.contains(&edition) => editions.push(edition),
                Some(_) => {}
                None => {
                    let hint = error::closest(written, codes.iter().copied()).map_or_else(
                        || format!("declare it in site.toml with a `[languages.{written}]` table"),
                        |b| format!("did you mean `{b}`?"),
                    );
                    let problem = problems
                        .at(
                            code.span(),
                            format!(
                                "social.channels.{name}.languages: `{written}` is not a language of this site, whose languages are {}",
                                codes.join(", ")
                            ),
                        )
                        .hint(hint);
                    problems.push(problem);
                }
            }
        }
        editions
    }
}

/// What to suggest instead of a channel name Tribune does not know.
fn unknown_channel_hint(name: &str) -> String {
    let names = Network::ALL.map(Network::key);
    if name.to_ascii_lowercase().starts_with("twit") {
        "Twitter is the channel `x`".to_string()
    } else {
        error::closest(name, names).map_or_else(
            || format!("known channels: {}", names.join(", ")),
            |b| format!("did you mean `{b}`?"),
        )
    }
}
