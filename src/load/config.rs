//! `site.toml`: read once into a validated, immutable [`Config`].

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::clock::Span;
use std::collections::BTreeMap;

use crate::error::{self, Diagnostic, Errors, Result};
use crate::slug;

/// The configuration file's name, at the site root.
pub(crate) const CONFIG_FILE: &str = "site.toml";

/// Settings given on the command line that win over `site.toml`.
#[derive(Debug, Clone, Default, Hash)]
pub struct Overrides {
    /// `--output`: where the site is written.
    pub output: Option<PathBuf>,
    /// `--base-url`: the URL the site is deployed at.
    pub base_url: Option<String>,
}

/// A site's validated configuration.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The site folder.
    pub(crate) root: PathBuf,
    /// Site title.
    pub(crate) title: String,
    /// One-line description, used by feeds and the home page.
    pub(crate) description: String,
    /// Default author name.
    pub(crate) author: String,
    /// Language code of the site (`fr`, `en`, …).
    pub(crate) language: String,
    /// Time zone of dates written without an offset.
    pub(crate) zone: Tz,
    /// Where the site is deployed.
    pub(crate) base: BaseUrl,
    /// Name of the theme folder under `themes/`.
    pub(crate) theme: String,
    /// Output folder, absolute.
    pub(crate) output: PathBuf,
    /// Posts on each page of the home page and of term pages.
    pub(crate) posts_per_page: usize,
    /// URL pattern of posts.
    pub(crate) permalink: String,
    /// Feed settings.
    pub(crate) feeds: FeedConfig,
    /// Declared taxonomies, in order (`tags`, `themes` by default).
    pub(crate) taxonomies: Vec<String>,
    /// Default social image (as written: a site path or a URL), for pages without their own.
    pub(crate) image: Option<String>,
    /// Text alternative of the default image.
    pub(crate) image_alt: Option<String>,
    /// Share blocks.
    pub(crate) share: ShareConfig,
    /// Narrow no-break spaces in French text (on by default for French sites).
    pub(crate) french_spacing: bool,
    /// Whether code blocks are highlighted (`[markdown] highlight`).
    pub(crate) highlight: bool,
    /// Age after which a post not updated or reviewed is stale.
    pub(crate) stale_after: Option<crate::clock::Span>,
    /// The social-post queue, when the site declares channels.
    pub(crate) social: Option<SocialConfig>,
    /// Free table for templates.
    pub(crate) extra: serde_json::Value,
    /// Hash of what the configuration was read from (folder, text, command-line settings):
    /// two configurations with the same fingerprint are the same.
    pub(crate) fingerprint: u64,
}

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
    /// `x`, `mastodon`, `bluesky`, `linkedin` or `threads`.
    pub(crate) name: String,
    /// Longest text, as the network counts it.
    pub(crate) limit: usize,
    /// Most hashtags in a text.
    pub(crate) hashtags: usize,
    /// An account to mention in every text, such as `@tribune@mastodon.social`.
    pub(crate) mention: Option<String>,
}

/// Social networks Tribune knows, with their default limits.
pub(crate) const CHANNELS: [(&str, usize); 5] = [
    ("x", 280),
    ("mastodon", 500),
    ("bluesky", 300),
    ("linkedin", 3000),
    ("threads", 500),
];

/// Share blocks under posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShareConfig {
    /// Whether posts get a share block.
    pub(crate) enabled: bool,
    /// Platforms, in display order.
    pub(crate) platforms: Vec<String>,
    /// The site's account on X, without `@`.
    pub(crate) via: Option<String>,
    /// A Mastodon instance to share to; otherwise readers pick theirs.
    pub(crate) mastodon_instance: Option<String>,
}

/// The deployment URL, split so links can be root-relative or absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// Scheme and host, without a trailing slash: `https://example.org`.
    pub(crate) origin: String,
    /// Path with leading and trailing slash: `/` or `/blog/`.
    pub(crate) path: String,
}

impl BaseUrl {
    /// Parses an absolute `http(s)://` URL.
    pub(crate) fn parse(text: &str) -> std::result::Result<BaseUrl, String> {
        let text = text.trim();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url `{text}` must start with https:// or http://"))?;
        if text.contains(['?', '#', ' ']) {
            return Err(format!(
                "base_url `{text}` must not contain a query, a fragment or spaces"
            ));
        }
        let scheme_len = text.len() - rest.len();
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err(format!("base_url `{text}` has no host"));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: format!("{}{host}", &text[..scheme_len]),
            path,
        })
    }

    /// The full base URL, with a trailing slash.
    pub(crate) fn url(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }

    /// Root-relative link to a site path such as `posts/x/` (no leading slash).
    pub(crate) fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path)
    }

    /// Absolute URL of a site path such as `posts/x/` (no leading slash).
    pub(crate) fn absolute(&self, site_path: &str) -> String {
        format!("{}{}{}", self.origin, self.path, site_path)
    }
}

/// Feed formats Tribune writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FeedFormat {
    /// RSS 2.0, `rss.xml`.
    Rss,
    /// Atom 1.0, `atom.xml`.
    Atom,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

impl FeedFormat {
    /// File name of the feed in its folder.
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// Media type for autodiscovery links.
    pub(crate) fn mime(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    /// Short name, as written in `site.toml`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss",
            FeedFormat::Atom => "atom",
            FeedFormat::Json => "json",
        }
    }
}

/// What feeds contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FeedConfig {
    /// Formats written, site-wide and for every term.
    pub(crate) formats: Vec<FeedFormat>,
    /// Newest items per feed.
    pub(crate) limit: usize,
    /// Whole post bodies (true) or summaries.
    pub(crate) full_content: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    theme: Option<Spanned<String>>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    feeds: RawFeeds,
    #[serde(default)]
    taxonomies: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    image_alt: Option<String>,
    #[serde(default)]
    share: RawShare,
    #[serde(default)]
    typography: RawTypography,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    freshness: RawFreshness,
    #[serde(default)]
    social: Option<RawSocial>,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawShare {
    enabled: Option<bool>,
    platforms: Option<Spanned<Vec<String>>>,
    via: Option<String>,
    mastodon_instance: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSocial {
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
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFreshness {
    stale_after: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    highlight: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTypography {
    french_spacing: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    output: Option<Spanned<String>>,
    posts_per_page: Option<Spanned<i64>>,
    permalink: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    formats: Option<Vec<FeedFormat>>,
    limit: Option<Spanned<i64>>,
    content: Option<Spanned<String>>,
}

/// Hash of what a configuration is read from.
fn fingerprint(root: &Path, text: &str, overrides: &Overrides) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (root, text, overrides).hash(&mut h);
    h.finish()
}

impl Config {
    /// Reads and validates `site.toml` in `root`, reporting every problem at once.
    pub(crate) fn load(root: &Path, overrides: &Overrides) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Diagnostic::input(format!("no {CONFIG_FILE} in `{}`", root.display())).hint(
                    "run Tribune in a site folder, pass `--root DIR`, or create a site.toml there",
                )
            } else {
                Diagnostic::io(Path::new(CONFIG_FILE), "read the site configuration", &e)
            }
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Diagnostic::input("the file is not valid UTF-8").at(CONFIG_FILE))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        Config::parse(root, text, overrides)
    }

    /// Validates the text of a `site.toml`.
    pub(crate) fn parse(root: &Path, text: &str, overrides: &Overrides) -> Result<Config> {
        let file = Path::new(CONFIG_FILE);
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| error::from_toml(&e, text, file, 1))?;
        let mut problems = Vec::new();
        let at = |span: std::ops::Range<usize>, message: String| {
            Diagnostic::input(message)
                .at(file)
                .line(error::line_of(text, span.start))
        };

        let base = match &overrides.base_url {
            Some(url) => {
                BaseUrl::parse(url).map_err(|e| Diagnostic::input(format!("--base-url: {e}")))
            }
            None => BaseUrl::parse(raw.base_url.get_ref()).map_err(|e| at(raw.base_url.span(), e)),
        };
        let base = base.unwrap_or_else(|d| {
            problems.push(d);
            BaseUrl::parse("https://invalid/").expect("a valid literal")
        });

        let zone = match &raw.timezone {
            None => Tz::UTC,
            Some(name) => name.get_ref().parse::<Tz>().unwrap_or_else(|_| {
                let d = at(
                    name.span(),
                    format!("unknown time zone `{}`", name.get_ref()),
                )
                .hint("use an IANA name such as `Europe/Paris` or `America/Montreal`");
                problems.push(d);
                Tz::UTC
            }),
        };

        let language = match &raw.language {
            None => "en".to_string(),
            Some(lang) => {
                let ok = !lang.get_ref().is_empty()
                    && lang
                        .get_ref()
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !ok {
                    problems.push(
                        at(
                            lang.span(),
                            format!("`{}` is not a language code", lang.get_ref()),
                        )
                        .hint("write a code such as `fr`, `en` or `fr-CA`"),
                    );
                }
                lang.get_ref().clone()
            }
        };

        let theme = match &raw.theme {
            None => "default".to_string(),
            Some(name) => {
                if let Err(e) = slug::check_segment(name.get_ref()) {
                    problems.push(at(name.span(), format!("theme name {e}")));
                }
                name.get_ref().clone()
            }
        };

        let output = match (&overrides.output, &raw.build.output) {
            (Some(dir), _) => root.join(dir),
            (None, Some(dir)) => {
                if Path::new(dir.get_ref()).is_absolute()
                    || dir.get_ref().split(['/', '\\']).any(|s| s == "..")
                {
                    problems.push(
                        at(
                            dir.span(),
                            format!(
                                "output folder `{}` must stay inside the site folder",
                                dir.get_ref()
                            ),
                        )
                        .hint("use `--output` to build somewhere else"),
                    );
                }
                root.join(dir.get_ref())
            }
            (None, None) => root.join("public"),
        };

        let posts_per_page = positive(
            &raw.build.posts_per_page,
            10,
            "posts_per_page",
            &at,
            &mut problems,
        );

        let permalink = match &raw.build.permalink {
            None => "/posts/:slug/".to_string(),
            Some(p) => {
                if let Err(e) = check_permalink(p.get_ref()) {
                    problems.push(at(p.span(), e));
                }
                p.get_ref().clone()
            }
        };

        let limit = positive(&raw.feeds.limit, 20, "limit", &at, &mut problems);
        let full_content = match &raw.feeds.content {
            None => true,
            Some(c) if c.get_ref() == "full" => true,
            Some(c) if c.get_ref() == "summary" => false,
            Some(c) => {
                problems.push(at(
                    c.span(),
                    format!(
                        "feeds.content must be \"full\" or \"summary\", not \"{}\"",
                        c.get_ref()
                    ),
                ));
                true
            }
        };
        let mut formats = raw
            .feeds
            .formats
            .unwrap_or_else(|| vec![FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json]);
        formats.sort();
        formats.dedup();

        let taxonomies = match &raw.taxonomies {
            None => vec!["tags".to_string(), "themes".to_string()],
            Some(list) => {
                for name in list.get_ref() {
                    if let Err(e) = slug::check_segment(name) {
                        problems.push(at(list.span(), format!("taxonomy name {e}")));
                    } else if RESERVED.contains(&name.as_str()) {
                        problems.push(at(
                            list.span(),
                            format!(
                                "`{name}` cannot be a taxonomy: the site uses /{name}/ already"
                            ),
                        ));
                    }
                }
                let mut seen = std::collections::BTreeSet::new();
                for name in list.get_ref() {
                    if !seen.insert(name) {
                        problems.push(at(
                            list.span(),
                            format!("taxonomy `{name}` is declared twice"),
                        ));
                    }
                }
                list.get_ref().clone()
            }
        };

        let platforms = match &raw.share.platforms {
            None => crate::share::PLATFORMS
                .iter()
                .map(|p| p.to_string())
                .collect(),
            Some(list) => {
                for p in list.get_ref() {
                    if !crate::share::PLATFORMS.contains(&p.as_str()) {
                        let mut d = at(list.span(), format!("unknown share platform `{p}`"));
                        d = d.hint(
                            match error::closest(p, crate::share::PLATFORMS.iter().copied()) {
                                Some(best) => format!("did you mean `{best}`?"),
                                None => format!(
                                    "known platforms: {}",
                                    crate::share::PLATFORMS.join(", ")
                                ),
                            },
                        );
                        problems.push(d);
                    }
                }
                list.get_ref().clone()
            }
        };
        let mastodon_instance = raw.share.mastodon_instance.as_ref().map(|i| {
            let host = i
                .get_ref()
                .trim()
                .trim_start_matches("https://")
                .trim_end_matches('/')
                .to_string();
            if host.is_empty() || host.contains(['/', ' ', '?', '#']) {
                problems.push(at(
                    i.span(),
                    format!(
                        "mastodon_instance `{}` must be a host name such as `mastodon.social`",
                        i.get_ref()
                    ),
                ));
            }
            host
        });
        let share = ShareConfig {
            enabled: raw.share.enabled.unwrap_or(true),
            platforms,
            via: raw
                .share
                .via
                .map(|v| v.trim_start_matches('@').to_string())
                .filter(|v| !v.is_empty()),
            mastodon_instance,
        };
        let french_spacing = raw
            .typography
            .french_spacing
            .unwrap_or_else(|| language.to_ascii_lowercase().starts_with("fr"));

        let stale_after = raw.freshness.stale_after.as_ref().and_then(|s| {
            crate::clock::Span::parse(s.get_ref())
                .map_err(|e| problems.push(at(s.span(), format!("freshness.stale_after: {e}"))))
                .ok()
        });

        let social = raw.social.as_ref().map(|raw_social| {
            let mut span = |value: &Option<Spanned<String>>, default: Span, key: &str| match value {
                None => default,
                Some(v) => Span::parse(v.get_ref()).unwrap_or_else(|e| {
                    problems.push(at(v.span(), format!("social.{key}: {e}")));
                    default
                }),
            };
            let horizon = span(&raw_social.horizon, Span::Days(28), "horizon");
            let min_gap = span(&raw_social.min_gap, Span::Days(1), "min_gap");
            let pullquote_spacing = span(
                &raw_social.pullquote_spacing,
                Span::Days(7),
                "pullquote_spacing",
            );
            let recycle_after = span(&raw_social.recycle_after, Span::Months(6), "recycle_after");
            let recycle_every = span(&raw_social.recycle_every, Span::Days(90), "recycle_every");
            let repeat_interval = span(
                &raw_social.repeat_interval,
                Span::Days(30),
                "repeat_interval",
            );
            let mut channels = Vec::new();
            for (name, c) in &raw_social.channels {
                match CHANNELS.iter().find(|(known, _)| known == name) {
                    Some((_, limit)) => channels.push(Channel {
                        name: name.clone(),
                        limit: c.limit.unwrap_or(*limit),
                        hashtags: c.hashtags.unwrap_or(3),
                        mention: c.mention.clone().filter(|m| !m.trim().is_empty()),
                    }),
                    None => {
                        let names = CHANNELS.map(|(n, _)| n);
                        let hint = if name.to_ascii_lowercase().starts_with("twit") {
                            "Twitter is the channel `x`".to_string()
                        } else {
                            error::closest(name, names).map_or_else(
                                || format!("known channels: {}", names.join(", ")),
                                |b| format!("did you mean `{b}`?"),
                            )
                        };
                        problems.push(
                            Diagnostic::input(format!("unknown social channel `{name}`"))
                                .at(file)
                                .hint(hint),
                        );
                    }
                }
            }
            let days = match &raw_social.schedule.days {
                None => vec![
                    chrono::Weekday::Mon,
                    chrono::Weekday::Tue,
                    chrono::Weekday::Wed,
                    chrono::Weekday::Thu,
                    chrono::Weekday::Fri,
                ],
                Some(list) => list
                    .get_ref()
                    .iter()
                    .filter_map(|d| {
                        d.parse::<chrono::Weekday>()
                            .map_err(|_| {
                                problems.push(at(
                                    list.span(),
                                    format!("`{d}` is not a day: write mon, tue, wed…"),
                                ))
                            })
                            .ok()
                    })
                    .collect(),
            };
            let times = match &raw_social.schedule.times {
                None => vec![chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("a valid time")],
                Some(list) => list
                    .get_ref()
                    .iter()
                    .filter_map(|t| {
                        chrono::NaiveTime::parse_from_str(t, "%H:%M")
                            .map_err(|_| {
                                problems.push(at(
                                    list.span(),
                                    format!("`{t}` is not a time: write 09:00 or 12:30"),
                                ))
                            })
                            .ok()
                    })
                    .collect(),
            };
            let output = match &raw_social.output {
                None => root.join("social"),
                Some(dir) => {
                    if Path::new(dir.get_ref()).is_absolute()
                        || dir.get_ref().split(['/', '\\']).any(|s| s == "..")
                    {
                        problems.push(at(
                            dir.span(),
                            format!(
                                "social.output `{}` must stay inside the site folder",
                                dir.get_ref()
                            ),
                        ));
                    }
                    root.join(dir.get_ref())
                }
            };
            SocialConfig {
                channels,
                days,
                times,
                horizon,
                max_per_day: raw_social.max_per_day.unwrap_or(2).max(1),
                min_gap,
                pullquote_spacing,
                recycle_after,
                recycle_every,
                recycle_max: raw_social.recycle_max,
                repeat_interval,
                hashtag_accents: raw_social.hashtag_accents.unwrap_or(true),
                output,
            }
        });

        if !problems.is_empty() {
            return Err(Errors(problems));
        }
        Ok(Config {
            fingerprint: fingerprint(root, text, overrides),
            root: root.to_path_buf(),
            title: raw.title,
            description: raw.description,
            author: raw.author,
            language,
            zone,
            base,
            theme,
            output,
            posts_per_page,
            permalink,
            feeds: FeedConfig {
                formats,
                limit,
                full_content,
            },
            taxonomies,
            image: raw.image.filter(|i| !i.trim().is_empty()),
            image_alt: raw.image_alt,
            share,
            french_spacing,
            highlight: raw.markdown.highlight.unwrap_or(true),
            stale_after,
            social,
            extra: serde_json::to_value(raw.extra).unwrap_or(serde_json::Value::Null),
        })
    }
}

/// Top-level folders the site generates itself, which a taxonomy cannot take.
const RESERVED: [&str; 4] = ["page", "archive", "posts", "links"];

fn positive(
    value: &Option<Spanned<i64>>,
    default: usize,
    key: &str,
    at: &impl Fn(std::ops::Range<usize>, String) -> Diagnostic,
    problems: &mut Vec<Diagnostic>,
) -> usize {
    match value {
        None => default,
        Some(v) if *v.get_ref() >= 1 => *v.get_ref() as usize,
        Some(v) => {
            problems.push(at(
                v.span(),
                format!("{key} must be at least 1, not {}", v.get_ref()),
            ));
            default
        }
    }
}

/// Checks a permalink pattern such as `/:year/:month/:slug/`.
fn check_permalink(pattern: &str) -> std::result::Result<(), String> {
    let bad = |why: &str| Err(format!("permalink `{pattern}` {why}"));
    if !pattern.starts_with('/') || !pattern.ends_with('/') {
        return bad("must start and end with `/`");
    }
    if !pattern.contains(":slug") {
        return bad("must contain `:slug`, or two posts would share a URL");
    }
    for segment in pattern.trim_matches('/').split('/') {
        let mut literal = segment.to_string();
        for token in [":year", ":month", ":day", ":slug"] {
            literal = literal.replace(token, "x");
        }
        if literal.contains(':') {
            return bad(
                "uses an unknown placeholder: the known ones are :year, :month, :day and :slug",
            );
        }
        if let Err(e) = slug::check_segment(&literal) {
            return Err(format!("permalink `{pattern}`: segment {e}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_base_urls() {
        let b = BaseUrl::parse("https://user.github.io/blog").unwrap();
        assert_eq!(b.origin, "https://user.github.io");
        assert_eq!(b.path, "/blog/");
        assert_eq!(
            b.absolute("posts/x/"),
            "https://user.github.io/blog/posts/x/"
        );
        assert_eq!(
            BaseUrl::parse("http://localhost:1111").unwrap().url(),
            "http://localhost:1111/"
        );
        assert!(BaseUrl::parse("example.org").is_err());
    }

    #[test]
    fn checks_permalinks() {
        assert!(check_permalink("/:year/:month/:slug/").is_ok());
        assert!(check_permalink("/posts/:slug/").is_ok());
        assert!(
            check_permalink("/../:slug/")
                .unwrap_err()
                .contains("leave the output folder")
        );
        assert!(check_permalink("/:slug").is_err());
        assert!(
            check_permalink("/:week/:slug/")
                .unwrap_err()
                .contains("unknown placeholder")
        );
    }
}
