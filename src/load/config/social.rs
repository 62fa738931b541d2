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

impl RawChannel {
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
