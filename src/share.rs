//! Share links for a post: plain links to each platform's own share page.
//!
//! Plain links rather than share widgets, so a page sends nothing to any platform, loads no
//! script and sets no cookie until the reader chooses to share.

/// One share link of a post.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct ShareLink {
    /// The platform, written as its key.
    pub(crate) platform: Platform,
    /// Brand name of the platform; "email" and "copy" for the two that templates localise.
    pub(crate) name: &'static str,
    /// The share URL, already percent-encoded; templates still escape it for HTML.
    pub(crate) href: String,
    /// Inline SVG icon: 24×24 viewBox, `currentColor`, hidden from assistive technology. Pages
    /// draw it from the shared [`sprite`] file instead, so it is not serialized.
    #[serde(skip)]
    pub(crate) icon: &'static str,
}

/// What to share.
pub(crate) struct ShareInput<'a> {
    /// Absolute URL of the post.
    pub(crate) url: &'a str,
    /// The post's share text, or its title.
    pub(crate) text: &'a str,
    /// Hashtag words without '#', as made by [`hashtag`].
    pub(crate) hashtags: &'a [String],
    /// The site's X account, without '@'.
    pub(crate) via: Option<&'a str>,
    /// The site's Mastodon instance host, e.g. "mastodon.social"; `None` lets the reader pick one.
    pub(crate) mastodon_instance: Option<&'a str>,
}

/// A place a reader can share a post to. Adding one is adding a variant: its key, name, icon
/// and link are then asked for by the compiler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Platform {
    /// X, formerly Twitter.
    X,
    /// Mastodon, or any Fediverse server with a `/share` page.
    Mastodon,
    /// Bluesky.
    Bluesky,
    /// LinkedIn.
    LinkedIn,
    /// Facebook.
    Facebook,
    /// Reddit.
    Reddit,
    /// Hacker News.
    HackerNews,
    /// WhatsApp.
    WhatsApp,
    /// Telegram.
    Telegram,
    /// An e-mail with the title and link.
    Email,
    /// The post's own address, to copy.
    Copy,
}

impl Platform {
    /// Every platform, in the default order.
    pub(crate) const ALL: [Platform; 11] = [
        Platform::X,
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::LinkedIn,
        Platform::Facebook,
        Platform::Reddit,
        Platform::HackerNews,
        Platform::WhatsApp,
        Platform::Telegram,
        Platform::Email,
        Platform::Copy,
    ];

    /// The key that names it in `site.toml`, templates and the icon sprite.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::LinkedIn => "linkedin",
            Platform::Facebook => "facebook",
            Platform::Reddit => "reddit",
            Platform::HackerNews => "hackernews",
            Platform::WhatsApp => "whatsapp",
            Platform::Telegram => "telegram",
            Platform::Email => "email",
            Platform::Copy => "copy",
        }
    }

    /// Brand name; "email" and "copy" for the two that templates localise.
    fn name(self) -> &'static str {
        match self {
            Platform::X => "X",
            Platform::Mastodon => "Mastodon",
            Platform::Bluesky => "Bluesky",
            Platform::LinkedIn => "LinkedIn",
            Platform::Facebook => "Facebook",
            Platform::Reddit => "Reddit",
            Platform::HackerNews => "Hacker News",
            Platform::WhatsApp => "WhatsApp",
            Platform::Telegram => "Telegram",
            Platform::Email => "email",
            Platform::Copy => "copy",
        }
    }

    /// Its icon, as an inline SVG.
    fn icon(self) -> &'static str {
        match self {
            Platform::X => ICON_X,
            Platform::Mastodon => ICON_MASTODON,
            Platform::Bluesky => ICON_BLUESKY,
            Platform::LinkedIn => ICON_LINKEDIN,
            Platform::Facebook => ICON_FACEBOOK,
            Platform::Reddit => ICON_REDDIT,
            Platform::HackerNews => ICON_HACKERNEWS,
            Platform::WhatsApp => ICON_WHATSAPP,
            Platform::Telegram => ICON_TELEGRAM,
            Platform::Email => ICON_EMAIL,
            Platform::Copy => ICON_COPY,
        }
    }

    /// The platform named by `key`, or what to suggest instead of it.
    pub(crate) fn parse_known(key: &str) -> Result<Platform, crate::error::UnknownName> {
        if let Some(platform) = Platform::ALL.into_iter().find(|p| p.key() == key) {
            return Ok(platform);
        }
        let keys = Platform::ALL.map(Platform::key);
        let lower = key.to_lowercase();
        let hint = if lower.starts_with("twit") {
            "Twitter is now X: did you mean `x`?".to_string()
        } else if let Some(platform) = Platform::ALL.into_iter().find(|p| {
            p.key() == lower
                || p.name().to_lowercase() == lower
                || lower == "mail" && *p == Platform::Email
        }) {
            format!("did you mean `{}`?", platform.key())
        } else {
            match crate::error::closest(&lower, keys) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known platforms: {}", keys.join(", ")),
            }
        };
        Err(crate::error::UnknownName {
            what: "share platform",
            name: key.to_string(),
            hint,
        })
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Instance-picker page used for Mastodon when the site names no instance.
///
/// Mastodon has no instance-independent share URL: its `web+mastodon:` protocol handler was
/// removed in 2018 (mastodon/mastodon#8127) and the remote share dialog asked for instead
/// (mastodon/mastodon#9373) was never built. Share₂Fedi is open source, asks only for the
/// reader's instance, then sends them to that instance's `/share` page, and also serves
/// Misskey, Friendica and other Fediverse servers.
const FEDIVERSE_PICKER: &str = "https://s2f.kytta.dev/";

/// Share links for `platforms`, in their order.
pub(crate) fn links(input: &ShareInput<'_>, platforms: &[Platform]) -> Vec<ShareLink> {
    let encoded = Encoded {
        text: encode(input.text.trim()),
        url: encode(input.url),
        status: std::cell::OnceCell::new(),
    };
    platforms
        .iter()
        .map(|&p| link(input, &encoded, p))
        .collect()
}

/// A post's values as query values, encoded once for every platform that takes them.
struct Encoded {
    /// The share text.
    text: String,
    /// The post's URL.
    url: String,
    /// The text, URL and hashtags as one status (see [`status_text`]), made when first asked.
    status: std::cell::OnceCell<String>,
}

/// The share link for one platform.
fn link(input: &ShareInput<'_>, encoded: &Encoded, platform: Platform) -> ShareLink {
    let text = input.text.trim();
    let url = input.url;
    let status = || encoded.status.get_or_init(|| status_text(input)).as_str();
    let (text_value, url_value) = (encoded.text.as_str(), encoded.url.as_str());
    let href = match platform {
        Platform::X => {
            // X documents a comma-separated list; each tag is encoded but the commas stay literal.
            let tags = words(input.hashtags)
                .map(encode)
                .collect::<Vec<_>>()
                .join(",");
            let via = input.via.map(str::trim).unwrap_or_default();
            with_query(
                "https://x.com/intent/tweet",
                &[
                    ("text", text_value),
                    ("url", url_value),
                    ("hashtags", &tags),
                    ("via", &encode(via.trim_start_matches('@'))),
                ],
            )
        }
        Platform::Mastodon => {
            // Mastodon's /share page takes a single text; putting the URL and tags in it also
            // suits other Fediverse servers that implement /share?text= without `url`.
            match input.mastodon_instance.and_then(instance_host) {
                Some(host) => with_query(&format!("https://{host}/share"), &[("text", status())]),
                None => with_query(FEDIVERSE_PICKER, &[("text", status())]),
            }
        }
        Platform::Bluesky => {
            // The compose intent has no url or tags parameter, so they go into the text.
            with_query("https://bsky.app/intent/compose", &[("text", status())])
        }
        Platform::LinkedIn => {
            // LinkedIn takes only the URL and reads the title from the page's Open Graph tags.
            with_query(
                "https://www.linkedin.com/sharing/share-offsite/",
                &[("url", url_value)],
            )
        }
        Platform::Facebook => {
            // sharer.php, unlike the Share Dialog, needs no Facebook app id.
            with_query(
                "https://www.facebook.com/sharer/sharer.php",
                &[("u", url_value)],
            )
        }
        Platform::Reddit => with_query(
            "https://www.reddit.com/submit",
            &[("url", url_value), ("title", text_value)],
        ),
        Platform::HackerNews => with_query(
            "https://news.ycombinator.com/submitlink",
            &[("u", url_value), ("t", text_value)],
        ),
        Platform::WhatsApp => with_query(
            "https://wa.me/",
            &[("text", &encode(&join_words(&[text, url])))],
        ),
        Platform::Telegram => with_query(
            "https://t.me/share/url",
            &[("url", url_value), ("text", text_value)],
        ),
        Platform::Email => {
            // RFC 6068 wants %20 for spaces: mail clients show a '+' as it is.
            with_query("mailto:", &[("subject", text_value), ("body", url_value)])
        }
        // Copying needs a script, so the link is the post itself: it works as a plain link,
        // and templates can show it in a read-only field for the reader to copy.
        Platform::Copy => url.to_owned(),
    };
    ShareLink {
        platform,
        name: platform.name(),
        href,
        icon: platform.icon(),
    }
}

/// Turns a tag into a hashtag word: UpperCamelCase of its words, accents kept, punctuation dropped.
///
/// Returns an empty string when no letter is left, since no platform links a hashtag made of
/// digits alone ("#2024" stays plain text on X and Mastodon).
pub(crate) fn hashtag(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    // Apostrophes join rather than split, so "don't" gives "Dont", not "DonT".
    for word in tag.split(|c: char| !is_word_char(c) && !is_apostrophe(c)) {
        let mut chars = word.chars().filter(|&c| !is_apostrophe(c));
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            // The rest is kept as written so that acronyms ("SEO") survive.
            out.extend(chars);
        }
    }
    if out.chars().any(char::is_alphabetic) {
        out
    } else {
        String::new()
    }
}

/// Whether `c` belongs in a hashtag word.
fn is_word_char(c: char) -> bool {
    // Combining accents count so that decomposed text (as macOS file names give) keeps its
    // accents instead of being split at each one.
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Whether `c` is an apostrophe, typewriter or typographic.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    crate::href::query_value(value)
}

/// Appends encoded `name=value` pairs to `base`, leaving out empty values rather than
/// sending blank fields.
fn with_query(base: &str, params: &[(&str, &str)]) -> String {
    let mut href = String::with_capacity(
        base.len()
            + params
                .iter()
                .map(|(n, v)| n.len() + v.len() + 2)
                .sum::<usize>(),
    );
    href.push_str(base);
    let mut separator = '?';
    for (name, value) in params.iter().filter(|(_, value)| !value.is_empty()) {
        href.push(separator);
        href.push_str(name);
        href.push('=');
        href.push_str(value);
        separator = '&';
    }
    href
}

/// The non-empty hashtag words.
fn words(hashtags: &[String]) -> impl Iterator<Item = &str> {
    hashtags
        .iter()
        .map(|tag| tag.trim())
        .filter(|tag| !tag.is_empty())
}

/// `parts` joined by single spaces, skipping empty ones.
fn join_words(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "TEXT URL #tag1 #tag2", encoded, for platforms whose composer takes a single text.
fn status_text(input: &ShareInput<'_>) -> String {
    let tags = words(input.hashtags)
        .map(|tag| format!("#{tag}"))
        .collect::<Vec<_>>()
        .join(" ");
    encode(&join_words(&[input.text.trim(), input.url, &tags]))
}

/// The host of a configured Mastodon instance, `None` when blank.
fn instance_host(instance: &str) -> Option<&str> {
    // Tolerates a pasted address ("https://mastodon.social/") as well as a bare host.
    let host = instance.trim();
    let host = host
        .strip_prefix("https://")
        .or_else(|| host.strip_prefix("http://"))
        .unwrap_or(host)
        .trim_end_matches('/');
    (!host.is_empty()).then_some(host)
}

/// Wraps icon shapes in the `<svg>` element every icon shares.
/// Site path of the icon sprite.
pub(crate) const SPRITE_PATH: &str = "share-icons.svg";

/// Every icon as a `<symbol>` of one SVG file, named by platform, so pages reference icons
/// (`share-icons.svg#mastodon`) instead of repeating kilobytes of paths in every post.
pub(crate) fn sprite() -> String {
    let input = ShareInput {
        url: "",
        text: "",
        hashtags: &[],
        via: None,
        mastodon_instance: None,
    };
    let mut out = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">\n");
    for link in links(&input, &Platform::ALL) {
        let body = link
            .icon
            .split_once('>')
            .map_or("", |(_, rest)| rest)
            .trim_end_matches("</svg>");
        out.push_str(&format!(
            "<symbol id=\"{}\" viewBox=\"0 0 24 24\">{body}</symbol>\n",
            link.platform
        ));
    }
    out.push_str("</svg>\n");
    out
}

macro_rules! icon {
    ($body:literal) => {
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="1em" height="1em" fill="currentColor" aria-hidden="true" focusable="false">"#,
            $body,
            "</svg>"
        )
    };
}

/// X: a heavy and a light stroke crossing.
const ICON_X: &str = icon!(r#"<path d="M3 3h5.5L21 21h-5.5zM18.9 3H21L5.1 21H3z"/>"#);

/// Mastodon: a speech bubble with an "m".
const ICON_MASTODON: &str = icon!(
    r#"<path fill-rule="evenodd" d="M7 3h10a4 4 0 0 1 4 4v7a4 4 0 0 1-4 4h-5c-2 0-3 1-3 2.5-3.5-.3-6-2.5-6-5.5V7a4 4 0 0 1 4-4zM7 14V9.5a2.5 2.5 0 0 1 5 0 2.5 2.5 0 0 1 5 0V14h-2V9.5a1 1 0 0 0-2 0V14h-2V9.5a1 1 0 0 0-2 0V14z"/>"#
);

/// Bluesky: a butterfly.
const ICON_BLUESKY: &str = icon!(
    r#"<path d="M12 10.6C10.6 7.8 7.1 3.9 4.4 3.4 3 3.1 2.4 4 2.4 5.4c0 1.2.5 4.8 1.4 5.7 1.2 1.3 3.5 1.5 5.1 1.1-2.3.7-4 2.3-2.7 4.4 1.4 2.2 4.2 1.8 5.8-2zm0 0c1.4-2.8 4.9-6.7 7.6-7.2 1.4-.3 2 .6 2 2 0 1.2-.5 4.8-1.4 5.7-1.2 1.3-3.5 1.5-5.1 1.1 2.3.7 4 2.3 2.7 4.4-1.4 2.2-4.2 1.8-5.8-2z"/>"#
);

/// LinkedIn: "in" cut out of a rounded square.
const ICON_LINKEDIN: &str = icon!(
    r#"<path fill-rule="evenodd" d="M4.5 2h15A2.5 2.5 0 0 1 22 4.5v15a2.5 2.5 0 0 1-2.5 2.5h-15A2.5 2.5 0 0 1 2 19.5v-15A2.5 2.5 0 0 1 4.5 2zm1.1 7.5h2.8V19H5.6zm4.9 9.5V9.5h2.8v1.3c.6-1 1.8-1.6 3.2-1.6 2.5 0 3.5 1.6 3.5 4.2V19h-2.9v-5c0-1.3-.5-2.1-1.6-2.1-1.2 0-2.2.9-2.2 2.4V19zM5.4 6.6a1.6 1.6 0 1 0 3.2 0 1.6 1.6 0 1 0-3.2 0z"/>"#
);

/// Facebook: a lower-case "f".
const ICON_FACEBOOK: &str = icon!(
    r#"<path d="M13.6 22v-8.2h2.8l.4-3.2h-3.2V8.6c0-.9.3-1.6 1.6-1.6h1.7V4.2c-.3 0-1.3-.1-2.5-.1-2.5 0-4.2 1.5-4.2 4.3v2.2H7.4v3.2h2.8V22z"/>"#
);

/// Reddit: an alien head with an antenna.
const ICON_REDDIT: &str = icon!(
    r#"<path fill-rule="evenodd" d="M4 14.5a8 5.5 0 1 0 16 0 8 5.5 0 1 0-16 0zm3.7-.9a1.3 1.3 0 1 0 2.6 0 1.3 1.3 0 1 0-2.6 0zm6 0a1.3 1.3 0 1 0 2.6 0 1.3 1.3 0 1 0-2.6 0zm-5.1 2.8c2 1.7 4.8 1.7 6.8 0l.5.7c-2.3 2-5.5 2-7.8 0z"/><path d="M2.7 11.4a1.9 1.9 0 1 0 3.8 0 1.9 1.9 0 1 0-3.8 0zm14.8 0a1.9 1.9 0 1 0 3.8 0 1.9 1.9 0 1 0-3.8 0zM16 4.6a1.6 1.6 0 1 0 3.2 0 1.6 1.6 0 1 0-3.2 0z"/><path d="M12 9.2 13 3.8l3 .7" fill="none" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/>"#
);

/// Hacker News: "Y" cut out of a square.
const ICON_HACKERNEWS: &str = icon!(
    r#"<path fill-rule="evenodd" d="M2 2h20v20H2zm5.2 4h2.3l2.5 4.9L14.5 6h2.3l-3.7 6.9V18h-2.2v-5.1z"/>"#
);

/// WhatsApp: a telephone handset in a speech bubble.
const ICON_WHATSAPP: &str = icon!(
    r#"<path d="M4 20l1.2-4.3A8.5 8.5 0 1 1 8.3 19z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/><path d="M9.2 7.6c.3-.3.8-.3 1 .1l1 1.7c.2.3.1.7-.1.9l-.7.6c.5 1.1 1.4 2 2.5 2.5l.6-.7c.2-.3.6-.3.9-.1l1.7 1c.4.2.4.7.1 1l-.9.9c-.6.6-1.6.7-2.4.3-2.1-1-3.8-2.7-4.8-4.8-.4-.8-.3-1.8.3-2.4z"/>"#
);

/// Telegram: a paper plane.
const ICON_TELEGRAM: &str = icon!(
    r#"<path fill-rule="evenodd" d="M21.4 3.6 2.9 10.8c-1 .4-1 1.3 0 1.6l4.6 1.4 1.8 5.5c.2.6.8.7 1.3.3l2.6-2.2 4.8 3.5c.6.4 1.3.1 1.5-.6l3.1-14.6c.2-1-.4-1.6-1.2-1.3zM9.6 17.6 9 13.9l8.3-6.4-6.9 7.3z"/>"#
);

/// E-mail: an envelope.
const ICON_EMAIL: &str = icon!(
    r#"<g fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"><rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3.5 6.5 8.5 7 8.5-7"/></g>"#
);

/// Copy: two overlapping sheets.
const ICON_COPY: &str = icon!(
    r#"<g fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"><rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2"/></g>"#
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The French title of the examples, with every character that needs encoding.
    const TITLE: &str = "Fédération & engagement : « #1 » du CM";
    /// The post URL of the examples.
    const URL: &str = "https://example.org/posts/cm/";
    /// `TITLE`, percent-encoded by hand.
    const TITLE_ENC: &str =
        "F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM";
    /// `URL`, percent-encoded by hand.
    const URL_ENC: &str = "https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F";
    /// "TITLE URL #CommunityManagement #réseauxsociaux", percent-encoded by hand.
    const STATUS_ENC: &str = "F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM%20https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F%20%23CommunityManagement%20%23r%C3%A9seauxsociaux";

    /// The example hashtags.
    fn tags() -> Vec<String> {
        vec!["CommunityManagement".into(), "réseauxsociaux".into()]
    }

    /// The href of `platform` for the example post.
    fn href(platform: &str, instance: Option<&str>) -> String {
        let tags = tags();
        let input = ShareInput {
            url: URL,
            text: TITLE,
            hashtags: &tags,
            via: Some("tribune"),
            mastodon_instance: instance,
        };
        let key = Platform::parse_known(platform).expect("a platform");
        let links = links(&input, &[key]);
        assert_eq!(links.len(), 1, "{platform}");
        assert_eq!(links[0].platform.key(), platform);
        links[0].href.clone()
    }

    #[test]
    fn hand_encoded_constants_agree_with_the_encoder() {
        assert_eq!(encode(TITLE), TITLE_ENC);
        assert_eq!(encode(URL), URL_ENC);
        assert!(STATUS_ENC.starts_with(TITLE_ENC));
    }

    #[test]
    fn x() {
        assert_eq!(
            href("x", None),
            "https://x.com/intent/tweet?text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM&url=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F&hashtags=CommunityManagement,r%C3%A9seauxsociaux&via=tribune"
        );
    }

    #[test]
    fn x_leaves_out_empty_hashtags_and_via() {
        let input = ShareInput {
            url: URL,
            text: "Hi",
            hashtags: &[String::new()],
            via: None,
            mastodon_instance: None,
        };
        assert_eq!(
            links(&input, &[Platform::X])[0].href,
            format!("https://x.com/intent/tweet?text=Hi&url={URL_ENC}")
        );
        let input = ShareInput {
            via: Some("@tribune"),
            ..input
        };
        assert!(
            links(&input, &[Platform::X])[0]
                .href
                .ends_with("&via=tribune")
        );
    }

    #[test]
    fn mastodon_with_an_instance() {
        assert_eq!(
            href("mastodon", Some("mastodon.social")),
            "https://mastodon.social/share?text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM%20https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F%20%23CommunityManagement%20%23r%C3%A9seauxsociaux"
        );
        assert_eq!(
            href("mastodon", Some(" https://mastodon.social/ ")),
            format!("https://mastodon.social/share?text={STATUS_ENC}")
        );
    }

    #[test]
    fn mastodon_without_an_instance() {
        let expected = "https://s2f.kytta.dev/?text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM%20https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F%20%23CommunityManagement%20%23r%C3%A9seauxsociaux";
        assert_eq!(href("mastodon", None), expected);
        assert_eq!(href("mastodon", Some("  ")), expected);
    }

    #[test]
    fn bluesky() {
        assert_eq!(
            href("bluesky", None),
            "https://bsky.app/intent/compose?text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM%20https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F%20%23CommunityManagement%20%23r%C3%A9seauxsociaux"
        );
    }

    #[test]
    fn linkedin() {
        assert_eq!(
            href("linkedin", None),
            "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F"
        );
    }

    #[test]
    fn facebook() {
        assert_eq!(
            href("facebook", None),
            "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F"
        );
    }

    #[test]
    fn reddit() {
        assert_eq!(
            href("reddit", None),
            "https://www.reddit.com/submit?url=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F&title=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM"
        );
    }

    #[test]
    fn hackernews() {
        assert_eq!(
            href("hackernews", None),
            "https://news.ycombinator.com/submitlink?u=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F&t=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM"
        );
    }

    #[test]
    fn whatsapp() {
        assert_eq!(
            href("whatsapp", None),
            "https://wa.me/?text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM%20https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F"
        );
    }

    #[test]
    fn telegram() {
        assert_eq!(
            href("telegram", None),
            "https://t.me/share/url?url=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F&text=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM"
        );
    }

    #[test]
    fn email() {
        assert_eq!(
            href("email", None),
            "mailto:?subject=F%C3%A9d%C3%A9ration%20%26%20engagement%20%3A%20%C2%AB%20%231%20%C2%BB%20du%20CM&body=https%3A%2F%2Fexample.org%2Fposts%2Fcm%2F"
        );
    }

    #[test]
    fn copy_is_the_post_itself() {
        assert_eq!(href("copy", None), URL);
    }

    #[test]
    fn plus_and_quotes_are_encoded() {
        assert_eq!(
            encode(r#"C++ "a" 'b' a+b=c"#),
            "C%2B%2B%20%22a%22%20%27b%27%20a%2Bb%3Dc"
        );
        assert_eq!(encode("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn order_follows_platforms() {
        let tags = tags();
        let input = ShareInput {
            url: URL,
            text: TITLE,
            hashtags: &tags,
            via: None,
            mastodon_instance: None,
        };
        let keys = |links: &[ShareLink]| links.iter().map(|l| l.platform).collect::<Vec<_>>();
        let chosen = [
            Platform::Email,
            Platform::X,
            Platform::Copy,
            Platform::Bluesky,
        ];
        assert_eq!(keys(&links(&input, &chosen)), chosen);
        assert_eq!(keys(&links(&input, &Platform::ALL)), Platform::ALL);
        assert!(links(&input, &[]).is_empty());
    }

    #[test]
    fn names() {
        let input = ShareInput {
            url: URL,
            text: TITLE,
            hashtags: &[],
            via: None,
            mastodon_instance: None,
        };
        let names = links(&input, &Platform::ALL)
            .iter()
            .map(|l| l.name)
            .collect::<Vec<_>>();
        assert_eq!(
            names,
            [
                "X",
                "Mastodon",
                "Bluesky",
                "LinkedIn",
                "Facebook",
                "Reddit",
                "Hacker News",
                "WhatsApp",
                "Telegram",
                "email",
                "copy"
            ]
        );
    }

    #[test]
    fn unknown_platforms_get_the_key_to_write() {
        let hint = |key: &str| Platform::parse_known(key).expect_err(key).hint;
        assert_eq!(hint("twitter"), "Twitter is now X: did you mean `x`?");
        assert_eq!(hint("Mastodon"), "did you mean `mastodon`?");
        assert_eq!(hint("Hacker News"), "did you mean `hackernews`?");
        assert_eq!(hint("mail"), "did you mean `email`?");
        assert_eq!(hint("linkdin"), "did you mean `linkedin`?");
        assert!(hint("myspace").starts_with("known platforms: x, mastodon,"));
        assert_eq!(Platform::parse_known("telegram"), Ok(Platform::Telegram));
    }

    #[test]
    fn hashtags() {
        let cases = [
            ("community management", "CommunityManagement"),
            ("réseaux sociaux", "RéseauxSociaux"),
            ("Web 2.0", "Web20"),
            ("2024 recap", "2024Recap"),
            ("SEO local", "SEOLocal"),
            ("bien-être", "BienÊtre"),
            ("état de l'art", "ÉtatDeLart"),
            ("don’t panic", "DontPanic"),
            ("#hashtag!", "Hashtag"),
            ("  spaced   out  ", "SpacedOut"),
            ("re\u{301}seaux sociaux", "Re\u{301}seauxSociaux"),
            ("Straße", "Straße"),
            ("straße", "Straße"),
            ("日本 語", "日本語"),
            ("", ""),
            ("   ", ""),
            ("?!… — «»", ""),
            ("2024", ""),
            ("2.0", ""),
        ];
        for (tag, expected) in cases {
            assert_eq!(hashtag(tag), expected, "{tag:?}");
        }
    }

    #[test]
    fn icons_are_small_self_contained_svg() {
        let input = ShareInput {
            url: URL,
            text: TITLE,
            hashtags: &[],
            via: None,
            mastodon_instance: None,
        };
        let links = links(&input, &Platform::ALL);
        assert_eq!(links.len(), Platform::ALL.len());
        for link in &links {
            let icon = link.icon;
            assert!(icon.len() < 1500, "{}: {} bytes", link.platform, icon.len());
            assert!(
                icon.starts_with("<svg ") && icon.ends_with("</svg>"),
                "{}",
                link.platform
            );
            for attribute in [
                r#"viewBox="0 0 24 24""#,
                r#"fill="currentColor""#,
                r#"aria-hidden="true""#,
                r#"focusable="false""#,
            ] {
                assert!(icon.contains(attribute), "{}: {attribute}", link.platform);
            }
            for external in ["href", "url(", "<image", "<script", "<style", "@import"] {
                assert!(!icon.contains(external), "{}: {external}", link.platform);
            }
            assert_well_formed(link.platform.key(), icon);
        }
    }

    /// Fails unless `svg` is well-formed XML with a single `<svg>` root.
    fn assert_well_formed(platform: &str, svg: &str) {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut depth = 0usize;
        let mut roots = 0;
        loop {
            match reader.read_event() {
                Ok(Event::Start(start)) => {
                    if depth == 0 {
                        roots += 1;
                        assert_eq!(start.name().as_ref(), b"svg", "{platform}");
                    }
                    depth += 1;
                }
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Empty(_)) => assert!(depth > 0, "{platform}: empty root"),
                Ok(Event::Eof) => break,
                Ok(Event::Text(text)) => {
                    assert!(text.iter().all(u8::is_ascii_whitespace), "{platform}");
                }
                Ok(other) => panic!("{platform}: unexpected {other:?}"),
                Err(error) => panic!("{platform}: {error}"),
            }
        }
        assert_eq!((depth, roots), (0, 1), "{platform}");
    }
}
