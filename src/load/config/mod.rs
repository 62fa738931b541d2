//! `site.toml`: read once into a validated, immutable [`Config`].

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::clock::Span;
use std::collections::{BTreeMap, BTreeSet};

use crate::error::{self, Diagnostic, Errors, Result};

mod languages;
mod navigation;
mod social;
mod toml_error;
use crate::slug;
pub(crate) use languages::{Language, Missing};
pub(crate) use navigation::{MenuEntry, Redirect, Target};
use social::RawSocial;
pub(crate) use social::{Channel, Network, Publishing, SocialConfig, Visibility};
pub(crate) use toml_error::{
    DATE_FORMS, Wanted, diagnostic as toml_diagnostic, mistyped, value_words,
};

/// The largest count a setting takes (posts per page, feed items): more makes pages nobody
/// can read and builds that do not end.
const MAX_COUNT: i64 = 1000;

pub(crate) use crate::load::folders::CONFIG_FILE;

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
    /// Default author name.
    pub(crate) author: String,
    /// Language code of the site (`fr`, `en`, …): its default language.
    pub(crate) language: String,
    /// Every language the site publishes in, the default first: one without `[languages]`.
    pub(crate) languages: Vec<Language>,
    /// Whether `site.toml` declares `[languages]`: posts in them then live under `/CODE/`.
    pub(crate) multilingual: bool,
    /// What readers of a language see of posts not translated into it.
    pub(crate) missing_translations: Missing,
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
    /// Share blocks.
    pub(crate) share: ShareConfig,
    /// Narrow no-break spaces in French text (on by default for French sites).
    pub(crate) french_spacing: bool,
    /// Whether code blocks are highlighted (`[markdown] highlight`).
    pub(crate) highlight: bool,
    /// Whether bodies keep URLs that run scripts (`javascript:`…) as written
    /// (`[markdown] unsafe`); off, such URLs are removed.
    pub(crate) unsafe_urls: bool,
    /// Widths images are resized to (`[images] widths`), ascending, without duplicates.
    pub(crate) image_widths: Vec<u32>,
    /// Whether each post gets a social card (`[images] cards`, on unless a site turns it off).
    pub(crate) cards: bool,
    /// Whether each language has a search page and index (`[search] enabled`, on by default).
    pub(crate) search: bool,
    /// Age after which a post not updated or reviewed is stale.
    pub(crate) stale_after: Option<crate::clock::Span>,
    /// The social-post queue, when the site declares channels.
    pub(crate) social: Option<SocialConfig>,
    /// The site menu (`[[menu]]`), in order, when the site declares one; otherwise the theme
    /// makes its own navigation.
    pub(crate) menu: Option<Vec<MenuEntry>>,
    /// Redirects from old addresses (`[redirects]`), by old address.
    pub(crate) redirects: Vec<Redirect>,
    /// Free table for templates.
    pub(crate) extra: serde_json::Value,
    /// Hash of what the configuration was read from (folder, text, command-line settings):
    /// two configurations with the same fingerprint are the same.
    pub(crate) fingerprint: u64,
}

/// Share blocks under posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShareConfig {
    /// Whether posts get a share block.
    pub(crate) enabled: bool,
    /// Platforms, in display order.
    pub(crate) platforms: Vec<crate::share::Platform>,
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

/// Why a `base_url` (or `--base-url`) cannot be the address a site is deployed at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("base_url `{written}` {error}")]
pub(crate) struct BaseUrlError {
    /// The address as written.
    written: String,
    /// What is wrong with it.
    error: UrlError,
}

impl BaseUrl {
    /// Parses an absolute `http(s)://` URL.
    pub(crate) fn parse(text: &str) -> std::result::Result<BaseUrl, BaseUrlError> {
        let text = text.trim();
        let refuse = |error| BaseUrlError {
            written: text.to_string(),
            error,
        };
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| refuse(UrlError::Scheme))?;
        if text.contains(['?', '#', ' ']) {
            return Err(refuse(UrlError::NotABase));
        }
        web_url(text).map_err(refuse)?;
        let scheme_len = text.len() - rest.len();
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
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
        format!("{}{}", self.path, crate::href::path(site_path))
    }

    /// Absolute URL of a site path such as `posts/x/` (no leading slash).
    pub(crate) fn absolute(&self, site_path: &str) -> String {
        format!(
            "{}{}{}",
            self.origin,
            self.path,
            crate::href::path(site_path)
        )
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
    languages: Option<BTreeMap<Spanned<String>, languages::RawLanguage>>,
    #[serde(default)]
    default_language_in_subdir: bool,
    #[serde(default)]
    missing_translations: Missing,
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
    images: RawImages,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    social: Option<RawSocial>,
    #[serde(default)]
    menu: Option<Vec<navigation::RawMenuEntry>>,
    #[serde(default)]
    redirects: BTreeMap<Spanned<String>, Spanned<String>>,
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
struct RawFreshness {
    stale_after: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    highlight: Option<bool>,
    #[serde(rename = "unsafe")]
    unsafe_urls: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawImages {
    widths: Option<Spanned<Vec<i64>>>,
    cards: Option<bool>,
}

/// Widths images are resized to when `[images] widths` is not set.
pub(crate) const DEFAULT_IMAGE_WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

impl RawImages {
    /// `[images] widths`: each between 16 and 8192 pixels; sorted, duplicates dropped.
    fn validate(&self, problems: &mut Problems) -> Vec<u32> {
        let Some(written) = &self.widths else {
            return DEFAULT_IMAGE_WIDTHS.to_vec();
        };
        let mut widths = Vec::new();
        for &w in written.get_ref() {
            match u32::try_from(w) {
                Ok(w) if (16..=8192).contains(&w) => widths.push(w),
                _ => {
                    let d = problems.at(written.span(), format!("image width {w} is out of range"));
                    problems.push(d.hint("each width is a number of pixels between 16 and 8192"));
                }
            }
        }
        widths.sort_unstable();
        widths.dedup();
        widths
    }
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
        crate::load::folders::check(root)?;
        let path = root.join(CONFIG_FILE);
        if let Err(e) = std::fs::metadata(&path)
            && e.kind() == std::io::ErrorKind::NotFound
        {
            return Err(
                Diagnostic::input(format!("no {CONFIG_FILE} in `{}`", root.display()))
                    .hint("run Tribune in a site folder, pass `--root DIR`, or create a site.toml there")
                    .into(),
            );
        }
        let bytes = crate::load::source::read_text_input(&path, Path::new(CONFIG_FILE))?;
        let text = crate::load::source::decode(bytes).map_err(|d| d.at(CONFIG_FILE))?;
        Config::parse(root, &text, overrides)
    }

    /// Validates the text of a `site.toml`.
    pub(crate) fn parse(root: &Path, text: &str, overrides: &Overrides) -> Result<Config> {
        let file = Path::new(CONFIG_FILE);
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| toml_diagnostic(&e, text, file, 1))?;
        let mut problems = Problems {
            text,
            found: Vec::new(),
        };
        // Problems are reported in the order of these calls: keep it when adding a table.
        for (key, text) in [
            ("title", &raw.title),
            ("description", &raw.description),
            ("author", &raw.author),
        ] {
            if let Some((_, c)) = crate::load::source::forbidden_char(text) {
                problems.push(Diagnostic::input(format!(
                    "`{key}` holds a control character (U+{:04X}) that pages and feeds cannot carry",
                    u32::from(c)
                )).at(CONFIG_FILE));
            }
        }
        let base = base_url(&raw.base_url, overrides, &mut problems);
        let zone = zone(raw.timezone.as_ref(), &mut problems);
        let language = language(raw.language.as_ref(), &mut problems);
        let languages = languages::languages(
            Language {
                code: language.clone(),
                line: None,
                title: raw.title.clone(),
                description: raw.description.clone(),
                author: raw.author.clone(),
                image: raw.image.clone().filter(|i| !i.trim().is_empty()),
                image_alt: raw.image_alt.clone(),
                menu: None,
                prefix: String::new(),
                terms: BTreeMap::new(),
            },
            raw.languages.as_ref(),
            raw.default_language_in_subdir,
            &mut problems,
        );
        let theme = theme(raw.theme.as_ref(), &mut problems);
        let build = raw.build.validate(root, overrides, &mut problems);
        let feeds = raw.feeds.validate(&mut problems);
        let taxonomies = taxonomies(raw.taxonomies.as_ref(), &mut problems);
        let share = raw.share.validate(&mut problems);
        let french_spacing = raw.typography.french_spacing(&language);
        let stale_after = raw.freshness.validate(&mut problems);
        let image_widths = raw.images.validate(&mut problems);
        let social = raw
            .social
            .as_ref()
            .map(|social| social.validate(root, &languages, &mut problems));
        if let (Some(queue), Some(raw_social)) = (&social, &raw.social) {
            raw_social.check_private(root, &queue.output, &build.output, &mut problems);
        }
        let menu = raw
            .menu
            .as_deref()
            .map(|entries| navigation::menu(entries, &mut problems));
        let redirects = navigation::redirects(&raw.redirects, &mut problems);
        problems.into_result()?;
        Ok(Config {
            fingerprint: fingerprint(root, text, overrides),
            root: root.to_path_buf(),
            title: raw.title,
            author: raw.author,
            language,
            languages,
            multilingual: raw.languages.is_some(),
            missing_translations: raw.missing_translations,
            zone,
            base,
            theme,
            output: build.output,
            posts_per_page: build.posts_per_page,
            permalink: build.permalink,
            feeds,
            taxonomies,
            share,
            french_spacing,
            highlight: raw.markdown.highlight(),
            unsafe_urls: raw.markdown.unsafe_urls.unwrap_or(false),
            image_widths,
            cards: raw.images.cards.unwrap_or(true),
            search: raw.search.enabled.unwrap_or(true),
            stale_after,
            social,
            menu,
            redirects,
            extra: serde_json::to_value(raw.extra).unwrap_or(serde_json::Value::Null),
        })
    }
}

impl Config {
    /// The site language a text in `lang` is published in: the declared language of that
    /// code, else of its primary subtag (`en-GB` on an `en` site), else the default.
    pub(crate) fn edition_of(&self, lang: &str) -> usize {
        if !self.multilingual {
            return 0;
        }
        let primary = |code: &str| code.split('-').next().unwrap_or(code).to_ascii_lowercase();
        self.languages
            .iter()
            .position(|l| l.code.eq_ignore_ascii_case(lang))
            .or_else(|| {
                self.languages
                    .iter()
                    .position(|l| primary(&l.code) == primary(lang))
            })
            .unwrap_or(0)
    }
}

/// Why an address is not a web address Tribune can write as it is; said after the address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum UrlError {
    /// Another scheme, or none.
    #[error("must start with https:// or http://")]
    Scheme,
    /// A port that is not a number.
    #[error("has a bad port `{0}`")]
    Port(String),
    /// No host, or a host with characters no host has.
    #[error("has no valid host")]
    Host,
    /// A character a URL cannot hold, escaped when it is invisible.
    #[error("holds `{0}`, which a URL cannot hold")]
    Character(String),
    /// A query, a fragment or a space, where a base address has none.
    #[error("must not contain a query, a fragment or spaces")]
    NotABase,
}

/// Checks that `text` is a web address Tribune can write into pages and feeds as it is: an
/// `http(s)://` URL with a host, and none of the characters a URL may not hold (spaces,
/// quotes, `<>`, control characters). Says what is wrong otherwise.
pub(crate) fn web_url(text: &str) -> std::result::Result<(), UrlError> {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return Err(UrlError::Scheme);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || port.is_empty() => {
            if !port.chars().all(|c| c.is_ascii_digit()) {
                return Err(UrlError::Port(port.to_string()));
            }
            host
        }
        _ => authority,
    };
    let host_ok = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':');
    if host.is_empty() || host.starts_with('.') || !host.chars().all(host_ok) {
        return Err(UrlError::Host);
    }
    match text
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c))
    {
        Some(c) if c.is_control() || c.is_whitespace() => {
            Err(UrlError::Character(c.escape_default().to_string()))
        }
        Some(c) => Err(UrlError::Character(c.to_string())),
        None => Ok(()),
    }
}

/// `path` without its `.` parts, for comparing folders as written.
fn lexical(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// What is wrong with a `site.toml`, gathered so that one run reports every problem.
struct Problems<'t> {
    /// The file's text, to turn byte offsets into line numbers.
    text: &'t str,
    /// Problems, in the order they were found.
    found: Vec<Diagnostic>,
}

impl Problems<'_> {
    /// A problem at the byte range `span` of the file, not recorded yet.
    fn at(&self, span: Range<usize>, message: impl std::fmt::Display) -> Diagnostic {
        let (column, width) = error::columns_of(self.text, span.clone());
        Diagnostic::input(message.to_string())
            .at(Path::new(CONFIG_FILE))
            .line(error::line_of(self.text, span.start))
            .columns(column, width)
    }

    /// The file line where the byte range `span` starts.
    fn line(&self, span: Range<usize>) -> usize {
        error::line_of(self.text, span.start)
    }

    /// Records a problem.
    fn push(&mut self, problem: Diagnostic) {
        self.found.push(problem);
    }

    /// Records a problem at the byte range `span` of the file.
    fn push_at(&mut self, span: Range<usize>, message: impl std::fmt::Display) {
        let problem = self.at(span, message);
        self.push(problem);
    }

    /// The number in `value` when it is at least 1 and at most [`MAX_COUNT`], else `default`
    /// (with a problem if given).
    fn positive(&mut self, value: Option<&Spanned<i64>>, default: usize, key: &str) -> usize {
        match value {
            None => default,
            Some(v) if (1..=MAX_COUNT).contains(v.get_ref()) => *v.get_ref() as usize,
            Some(v) => {
                self.push_at(
                    v.span(),
                    format!("{key} must be from 1 to {MAX_COUNT}, not {}", v.get_ref()),
                );
                default
            }
        }
    }

    /// The span of time written in `value`, or a problem naming `key`.
    fn span(&mut self, value: &Spanned<String>, key: &str) -> Option<Span> {
        Span::parse(value.get_ref())
            .map_err(|e| self.push_at(value.span(), format!("{key}: {e}")))
            .ok()
    }

    /// Every problem found, if there is one.
    fn into_result(self) -> Result<()> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(Errors(self.found))
        }
    }
}

/// The deployment URL: `--base-url`, else `base_url`. After a problem, a placeholder lets the
/// other checks go on.
fn base_url(written: &Spanned<String>, overrides: &Overrides, problems: &mut Problems) -> BaseUrl {
    let base = match &overrides.base_url {
        Some(url) => BaseUrl::parse(url).map_err(|e| Diagnostic::usage(format!("--base-url: {e}"))),
        None => BaseUrl::parse(written.get_ref()).map_err(|e| problems.at(written.span(), e)),
    };
    base.unwrap_or_else(|d| {
        problems.push(d);
        BaseUrl::parse("https://invalid/").expect("a valid literal")
    })
}

/// The `timezone` key: UTC by default.
fn zone(name: Option<&Spanned<String>>, problems: &mut Problems) -> Tz {
    let Some(name) = name else {
        return Tz::UTC;
    };
    name.get_ref().parse::<Tz>().unwrap_or_else(|_| {
        let d = problems
            .at(
                name.span(),
                format!("unknown time zone `{}`", name.get_ref()),
            )
            .hint("use an IANA name such as `Europe/Paris` or `America/Montreal`");
        problems.push(d);
        Tz::UTC
    })
}

/// The `language` key: `en` by default. A bad code is kept as written, since French spacing
/// still looks at it.
fn language(lang: Option<&Spanned<String>>, problems: &mut Problems) -> String {
    let Some(lang) = lang else {
        return "en".to_string();
    };
    let code = lang.get_ref();
    if !crate::locale::is_language_tag(code) {
        let d = problems
            .at(lang.span(), format!("`{code}` is not a language code"))
            .hint("write a code such as `fr`, `en` or `fr-CA`");
        problems.push(d);
    }
    code.clone()
}

/// The `theme` key: `default` by default.
fn theme(name: Option<&Spanned<String>>, problems: &mut Problems) -> String {
    let Some(name) = name else {
        return "default".to_string();
    };
    if let Err(e) = slug::check_segment(name.get_ref()) {
        problems.push_at(name.span(), format!("theme name {e}"));
    }
    name.get_ref().clone()
}

/// Why `name` cannot name a taxonomy, when it cannot: it is no URL segment, or one the site
/// uses for pages of its own.
pub(crate) fn taxonomy_refusal(name: &str) -> Option<String> {
    match slug::check_segment(name) {
        Err(e) => Some(format!("taxonomy name {e}")),
        Ok(()) if RESERVED.contains(&name) => Some(format!(
            "`{name}` cannot be a taxonomy: the site uses /{name}/ already"
        )),
        Ok(()) => None,
    }
}

/// The `taxonomies` key: `tags` and `themes` by default. Each name makes a top-level folder,
/// so it must be a URL segment the site does not use already, declared once.
fn taxonomies(list: Option<&Spanned<Vec<String>>>, problems: &mut Problems) -> Vec<String> {
    let Some(list) = list else {
        return vec!["tags".to_string(), "themes".to_string()];
    };
    for name in list.get_ref() {
        if let Some(why) = taxonomy_refusal(name) {
            problems.push_at(list.span(), why);
        }
    }
    let mut seen = BTreeSet::new();
    for name in list.get_ref() {
        if !seen.insert(name) {
            problems.push_at(list.span(), format!("taxonomy `{name}` is declared twice"));
        }
    }
    list.get_ref().clone()
}

/// Whether a folder written in `site.toml` would lead out of the site folder.
fn leaves_site(dir: &str) -> bool {
    Path::new(dir).is_absolute() || dir.split(['/', '\\']).any(|s| s == "..")
}

/// What is wrong with a folder written in `site.toml`, if anything: it leads out of the site,
/// or holds a character no folder name has (a NUL would only fail when the build writes).
fn folder_problem(dir: &str) -> Option<&'static str> {
    if leaves_site(dir) {
        Some("must stay inside the site folder")
    } else if dir.chars().any(char::is_control) {
        Some("holds a control character, which no folder name has")
    } else {
        None
    }
}

/// The `[build]` table, validated.
struct BuildSettings {
    /// Output folder, absolute.
    output: PathBuf,
    /// Posts on each page of listings.
    posts_per_page: usize,
    /// URL pattern of posts.
    permalink: String,
}

impl RawBuild {
    /// Checks `[build]`: `public/`, 10 posts a page and `/posts/:slug/` by default;
    /// `--output` wins over `output`.
    fn validate(
        &self,
        root: &Path,
        overrides: &Overrides,
        problems: &mut Problems,
    ) -> BuildSettings {
        let output = match (&overrides.output, &self.output) {
            (Some(dir), _) => root.join(dir),
            (None, Some(dir)) => {
                if let Some(why) = folder_problem(dir.get_ref()) {
                    let d = problems
                        .at(
                            dir.span(),
                            format!("output folder `{}` {why}", dir.get_ref().escape_debug()),
                        )
                        .hint("use `--output` to build somewhere else");
                    problems.push(d);
                }
                root.join(dir.get_ref())
            }
            (None, None) => root.join("public"),
        };
        let posts_per_page = problems.positive(self.posts_per_page.as_ref(), 10, "posts_per_page");
        let permalink = match &self.permalink {
            None => "/posts/:slug/".to_string(),
            Some(p) => {
                if let Err(e) = check_permalink(p.get_ref()) {
                    problems.push_at(p.span(), e);
                }
                p.get_ref().clone()
            }
        };
        BuildSettings {
            output,
            posts_per_page,
            permalink,
        }
    }
}

impl RawFeeds {
    /// Checks `[feeds]`: every format, 20 items and whole bodies by default.
    fn validate(self, problems: &mut Problems) -> FeedConfig {
        let limit = problems.positive(self.limit.as_ref(), 20, "limit");
        let full_content = match &self.content {
            None => true,
            Some(c) if c.get_ref() == "full" => true,
            Some(c) if c.get_ref() == "summary" => false,
            Some(c) => {
                problems.push_at(
                    c.span(),
                    format!(
                        "feeds.content must be \"full\" or \"summary\", not \"{}\"",
                        c.get_ref()
                    ),
                );
                true
            }
        };
        let mut formats = self
            .formats
            .unwrap_or_else(|| vec![FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json]);
        formats.sort();
        formats.dedup();
        FeedConfig {
            formats,
            limit,
            full_content,
        }
    }
}

impl RawMarkdown {
    /// `[markdown] highlight`: on by default.
    fn highlight(&self) -> bool {
        self.highlight.unwrap_or(true)
    }
}

impl RawTypography {
    /// `[typography] french_spacing`: on by default for French sites.
    fn french_spacing(&self, language: &str) -> bool {
        self.french_spacing
            .unwrap_or_else(|| language.to_ascii_lowercase().starts_with("fr"))
    }
}

impl RawShare {
    /// Checks `[share]`: on, with every platform, by default.
    fn validate(self, problems: &mut Problems) -> ShareConfig {
        let platforms = share_platforms(self.platforms.as_ref(), problems);
        let mastodon_instance = self
            .mastodon_instance
            .as_ref()
            .map(|instance| mastodon_host(instance, problems));
        ShareConfig {
            enabled: self.enabled.unwrap_or(true),
            platforms,
            via: self
                .via
                .map(|v| v.trim_start_matches('@').to_string())
                .filter(|v| !v.is_empty()),
            mastodon_instance,
        }
    }
}

/// `share.platforms`: every known platform by default; unknown ones are problems.
fn share_platforms(
    list: Option<&Spanned<Vec<String>>>,
    problems: &mut Problems,
) -> Vec<crate::share::Platform> {
    use crate::share::Platform;
    let Some(list) = list else {
        return Platform::ALL.to_vec();
    };
    let mut platforms = Vec::new();
    for p in list.get_ref() {
        match Platform::parse_known(p) {
            Ok(platform) => platforms.push(platform),
            Err(unknown) => {
                let d = problems
                    .at(list.span(), format!("unknown share platform `{p}`"))
                    .hint(unknown.hint);
                problems.push(d);
            }
        }
    }
    platforms
}

/// `share.mastodon_instance` reduced to its host name, as people paste whole URLs.
fn mastodon_host(instance: &Spanned<String>, problems: &mut Problems) -> String {
    let host = instance
        .get_ref()
        .trim()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_string();
    if host.is_empty() || host.contains(['/', ' ', '?', '#']) {
        problems.push_at(
            instance.span(),
            format!(
                "mastodon_instance `{}` must be a host name such as `mastodon.social`",
                instance.get_ref()
            ),
        );
    }
    host
}

impl RawFreshness {
    /// Checks `[freshness]`: posts never go stale unless `stale_after` is set.
    fn validate(&self, problems: &mut Problems) -> Option<Span> {
        self.stale_after
            .as_ref()
            .and_then(|s| problems.span(s, "freshness.stale_after"))
    }
}

/// Top-level folders the site generates itself, which a taxonomy cannot take.
const RESERVED: [&str; 4] = ["page", "archive", "posts", "links"];

/// Why a permalink pattern cannot give every post its own address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum PermalinkError {
    /// Not a folder path.
    #[error("permalink `{0}` must start and end with `/`")]
    Slashes(String),
    /// Every post of a day (or of all time) would share a URL.
    #[error("permalink `{0}` must contain `:slug`, or two posts would share a URL")]
    NoSlug(String),
    /// A placeholder Tribune does not fill in.
    #[error(
        "permalink `{0}` uses an unknown placeholder: the known ones are :year, :month, :day and :slug"
    )]
    Placeholder(String),
    /// A segment that cannot be a folder name.
    #[error("permalink `{pattern}`: segment {error}")]
    Segment {
        /// The pattern as written.
        pattern: String,
        /// What is wrong with the segment.
        error: slug::SegmentError,
    },
}

/// Checks a permalink pattern such as `/:year/:month/:slug/`.
fn check_permalink(pattern: &str) -> std::result::Result<(), PermalinkError> {
    if !pattern.starts_with('/') || !pattern.ends_with('/') {
        return Err(PermalinkError::Slashes(pattern.to_string()));
    }
    if !pattern.contains(":slug") {
        return Err(PermalinkError::NoSlug(pattern.to_string()));
    }
    for segment in pattern.trim_matches('/').split('/') {
        let mut literal = segment.to_string();
        for token in [":year", ":month", ":day", ":slug"] {
            literal = literal.replace(token, "x");
        }
        if literal.contains(':') {
            return Err(PermalinkError::Placeholder(pattern.to_string()));
        }
        if let Err(error) = slug::check_segment(&literal) {
            return Err(PermalinkError::Segment {
                pattern: pattern.to_string(),
                error,
            });
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
    fn folders_stay_inside_the_site() {
        assert!(!leaves_site("public"));
        assert!(!leaves_site("out/..site"));
        assert!(leaves_site("../elsewhere"));
        assert!(leaves_site("out\\..\\..\\elsewhere"));
        assert!(leaves_site("/var/www"));
    }

    #[test]
    fn checks_permalinks() {
        assert!(check_permalink("/:year/:month/:slug/").is_ok());
        assert!(check_permalink("/posts/:slug/").is_ok());
        assert!(
            check_permalink("/../:slug/")
                .unwrap_err()
                .to_string()
                .contains("leave the output folder")
        );
        assert!(check_permalink("/:slug").is_err());
        assert!(
            check_permalink("/:week/:slug/")
                .unwrap_err()
                .to_string()
                .contains("unknown placeholder")
        );
    }

    #[test]
    fn web_addresses_need_a_host_and_no_unsafe_character() {
        for good in [
            "https://example.org/",
            "http://example.org:8080/blog/",
            "https://[::1]:1111/",
            "https://exemple.fr/été?q=1#x",
        ] {
            assert_eq!(web_url(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("ftp://example.org/", "must start with"),
            ("http://", "no valid host"),
            ("https://.example.org/", "no valid host"),
            ("https://example.org:80a/", "bad port"),
            ("https://example.org/a b", "cannot hold"),
            ("https://example.org/\"><script>", "cannot hold"),
            ("https://ex<ample.org/", "no valid host"),
        ] {
            let e = web_url(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
