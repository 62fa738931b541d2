//! Front matter of Hugo and Jekyll files (YAML, TOML or JSON) read into one table, its keys
//! mapped onto Tribune's, and written back as Tribune's TOML.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// A file cut at its front matter: the keys read, the body, and the file line the body
/// starts on.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// The front matter's keys; empty for a file without front matter.
    pub(crate) table: toml::Table,
    /// What follows the front matter.
    pub(crate) body: String,
    /// Whether the file had front matter at all (Jekyll copies a file without it as it is).
    pub(crate) has_front: bool,
    /// File line of the body's first line.
    pub(crate) body_line: usize,
}

/// Reads a file's front matter, whichever of YAML (`---`), TOML (`+++`) or JSON (`{`) it is
/// written in; a byte-order mark, CRLF line ends and blank lines before it are accepted.
/// The error says what is wrong and on which line of the file.
pub(crate) fn parse(text: &str) -> Result<Parsed, (String, usize)> {
    // Old files hold control characters pages and feeds cannot carry, as old databases do.
    let text = &crate::import::text::clean(text.to_string());
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let mut start = 0;
    let mut line = 1;
    for l in text.split_inclusive('\n') {
        if !l.trim().is_empty() {
            break;
        }
        start += l.len();
        line += 1;
    }
    let rest = &text[start..];
    let first = rest.lines().next().unwrap_or("").trim_end();
    let fence = match first {
        "---" => "---",
        "+++" => "+++",
        _ if first.starts_with('{') => return json(rest, line),
        _ => {
            return Ok(Parsed {
                body: text.clone(),
                body_line: 1,
                ..Parsed::default()
            });
        }
    };
    let open = first.len() + 1;
    let mut offset = open.min(rest.len());
    for (close_line, l) in (line + 1..).zip(rest[offset..].split_inclusive('\n')) {
        let t = l.trim_end();
        if t == fence || (fence == "---" && t == "...") {
            let front = &rest[open.min(rest.len())..offset];
            let table = if fence == "---" {
                yaml(front, line + 1)?
            } else {
                toml::from_str::<toml::Table>(front).map_err(|e| {
                    let at = e
                        .span()
                        .map_or(0, |s| front[..s.start].matches('\n').count());
                    (e.message().to_string(), line + 1 + at)
                })?
            };
            return Ok(Parsed {
                table,
                body: rest[offset + l.len()..].to_string(),
                has_front: true,
                body_line: close_line + 1,
            });
        }
        offset += l.len();
    }
    Err((
        format!("the front matter opened by `{fence}` is never closed"),
        line,
    ))
}

/// JSON front matter: the object the file starts with.
fn json(rest: &str, line: usize) -> Result<Parsed, (String, usize)> {
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
    let value = match stream.next() {
        Some(Ok(value)) => value,
        Some(Err(e)) => return Err((e.to_string(), line + e.line().saturating_sub(1))),
        None => return Err(("empty JSON front matter".into(), line)),
    };
    let end = stream.byte_offset();
    let body = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
    let table = match from_json(value) {
        Some(toml::Value::Table(t)) => t,
        _ => return Err(("the JSON front matter is not an object".into(), line)),
    };
    Ok(Parsed {
        table,
        body: body.to_string(),
        has_front: true,
        body_line: line + rest[..end].matches('\n').count() + 1,
    })
}

/// A JSON value as TOML; `null` has none.
pub(crate) fn from_json(value: serde_json::Value) -> Option<toml::Value> {
    use serde_json::Value as J;
    Some(match value {
        J::Null => return None,
        J::Bool(b) => toml::Value::Boolean(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => toml::Value::String(s),
        J::Array(a) => toml::Value::Array(a.into_iter().filter_map(from_json).collect()),
        J::Object(o) => toml::Value::Table(
            o.into_iter()
                .filter_map(|(k, v)| Some((k, from_json(v)?)))
                .collect(),
        ),
    })
}

/// YAML text as a TOML table; `first_line` is the file line of its first line.
pub(crate) fn yaml(text: &str, first_line: usize) -> Result<toml::Table, (String, usize)> {
    let mut text = std::borrow::Cow::Borrowed(text);
    // Jekyll's YAML reader takes a key given twice, the last one winning: so does this one.
    let docs = loop {
        match yaml_rust2::YamlLoader::load_from_str(&text) {
            Ok(docs) => break docs,
            Err(e) => {
                let at = e.marker().line().saturating_sub(1);
                let error = (e.info().to_string(), first_line + at);
                // Go's and Ruby's YAML readers take a quoted value's next lines unindented,
                // and themes' example sites write them so: they are indented, once.
                if e.info().contains("indentation in quoted scalar") {
                    let indented = indent_quoted_continuations(&text);
                    if indented != *text {
                        text = std::borrow::Cow::Owned(indented);
                        continue;
                    }
                }
                let key = e
                    .info()
                    .strip_prefix("String(\"")
                    .and_then(|k| k.split_once("\")").map(|(k, _)| k.to_string()));
                let Some(key) = key.filter(|_| e.info().contains("duplicated key")) else {
                    return Err(error);
                };
                let prefix = format!("{key}:");
                let lines: Vec<&str> = text.lines().collect();
                let Some(first) = lines.iter().position(|l| l.starts_with(&prefix)) else {
                    return Err(error);
                };
                let kept: Vec<&str> = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != first)
                    .map(|(_, l)| *l)
                    .collect();
                text = std::borrow::Cow::Owned(kept.join("\n"));
            }
        }
    };
    match docs.into_iter().next().and_then(from_yaml) {
        Some(toml::Value::Table(t)) => Ok(t),
        None => Ok(toml::Table::new()),
        Some(_) => Err((
            "the front matter is not a list of `key: value`".into(),
            first_line,
        )),
    }
}

/// A YAML value as TOML; `null` has none.
pub(crate) fn from_yaml(value: yaml_rust2::Yaml) -> Option<toml::Value> {
    use yaml_rust2::Yaml as Y;
    Some(match value {
        Y::Null | Y::BadValue | Y::Alias(_) => return None,
        Y::Boolean(b) => toml::Value::Boolean(b),
        Y::Integer(i) => toml::Value::Integer(i),
        Y::Real(r) => match r.parse::<f64>() {
            Ok(f) if f.is_finite() => toml::Value::Float(f),
            _ => toml::Value::String(r),
        },
        Y::String(s) => toml::Value::String(s),
        Y::Array(a) => toml::Value::Array(a.into_iter().filter_map(from_yaml).collect()),
        Y::Hash(h) => toml::Value::Table(
            h.into_iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        Y::String(s) | Y::Real(s) => s,
                        Y::Integer(i) => i.to_string(),
                        Y::Boolean(b) => b.to_string(),
                        _ => return None,
                    };
                    Some((key, from_yaml(v)?))
                })
                .collect(),
        ),
    })
}

/// A date as written: a day, a time in the site's zone, or a time with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// `2019-03-05`.
    Day(NaiveDate),
    /// `2019-03-05T10:20:00`, in the site's zone.
    Local(NaiveDateTime),
    /// `2019-03-05T10:20:00+01:00`.
    Fixed(DateTime<FixedOffset>),
}

impl When {
    /// The time in `zone` (a day at midnight).
    pub(crate) fn in_zone(self, zone: Tz) -> DateTime<Tz> {
        let local = match self {
            When::Fixed(d) => return d.with_timezone(&zone),
            When::Day(d) => d.and_hms_opt(0, 0, 0).unwrap_or_default(),
            When::Local(t) => t,
        };
        zone.from_local_datetime(&local)
            .earliest()
            .unwrap_or_else(|| zone.from_utc_datetime(&local))
    }

    /// The TOML value Tribune reads.
    pub(crate) fn toml(self) -> String {
        match self {
            When::Day(d) => d.format("%Y-%m-%d").to_string(),
            When::Local(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            When::Fixed(d) => d.to_rfc3339(),
        }
    }
}

/// Reads a date in the forms Hugo and Jekyll accept: TOML dates, RFC 3339, `2019-03-05
/// 10:20:30 +0100` (Jekyll's), with or without seconds, offset or time, quoted or not.
pub(crate) fn date(value: &toml::Value) -> Option<When> {
    let text = match value {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => return None,
    };
    let text = text.trim().trim_matches(['"', '\'']).trim();
    if text.len() < 10 || !text.is_char_boundary(10) {
        return None;
    }
    let day = NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").ok()?;
    let rest = text[10..].trim_start_matches(['T', 't', ' ']).trim();
    if rest.is_empty() {
        return Some(When::Day(day));
    }
    // The time, then an optional offset: `Z`, `+01:00`, `+0100`, ` +0100`, ` UTC`.
    let split = rest.find(['Z', 'z', '+', ' ', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(split);
    let time = time.split('.').next().unwrap_or(time);
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    let local = day.and_time(time);
    let zone = zone.trim();
    if zone.is_empty() {
        return Some(When::Local(local));
    }
    let offset = match zone {
        "Z" | "z" | "UTC" | "GMT" => Some(FixedOffset::east_opt(0)?),
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 4 && digits.len() != 2 {
                None
            } else {
                let hours: i32 = digits[..2].parse().ok()?;
                let minutes: i32 = digits.get(2..).unwrap_or("0").parse().unwrap_or(0);
                FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
            }
        }
    };
    match offset {
        Some(offset) => Some(When::Fixed(offset.from_local_datetime(&local).single()?)),
        None => Some(When::Local(local)),
    }
}

/// Which engine wrote the front matter: Jekyll reads a string of tags as words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    /// Hugo.
    Hugo,
    /// Jekyll.
    Jekyll,
}

/// A file's front matter in Tribune's terms, and what had no place there.
#[derive(Debug, Default, Clone)]
pub(crate) struct Mapped {
    /// `title`.
    pub(crate) title: Option<String>,
    /// `date`, or `publishDate` when both are given.
    pub(crate) date: Option<When>,
    /// `lastmod`, `last_modified_at`.
    pub(crate) updated: Option<When>,
    /// `expiryDate`.
    pub(crate) expires: Option<When>,
    /// `draft: true`, `published: false`.
    pub(crate) draft: bool,
    /// `tags`, `tag`.
    pub(crate) tags: Vec<String>,
    /// `categories`, `category`.
    pub(crate) themes: Vec<String>,
    /// Terms of the site's other taxonomies (`series`).
    pub(crate) taxonomies: BTreeMap<String, Vec<String>>,
    /// `aliases`, `redirect_from`: old addresses, as written.
    pub(crate) aliases: Vec<String>,
    /// `slug`.
    pub(crate) slug: Option<String>,
    /// Hugo's `url`.
    pub(crate) url: Option<String>,
    /// Jekyll's `permalink`.
    pub(crate) permalink: Option<String>,
    /// `description`, `summary`, `excerpt`.
    pub(crate) description: Option<String>,
    /// `image`, `images`, `cover`, `featured_image`…
    pub(crate) image: Option<String>,
    /// The image's text alternative, when the cover gives one.
    pub(crate) image_alt: Option<String>,
    /// `author`, `authors`.
    pub(crate) authors: Vec<String>,
    /// `link`, when it is a web address: a curated link post.
    pub(crate) link: Option<String>,
    /// `sticky`, `pin`.
    pub(crate) sticky: bool,
    /// Everything else, kept for templates under `[extra]`.
    pub(crate) extra: toml::Table,
    /// Keys that were read but are the old theme's business, not kept.
    pub(crate) dropped: Vec<String>,
}

/// Keys that only told the old theme or engine how to render the page.
const THEME_KEYS: [&str; 6] = ["layout", "type", "sitemap", "_build", "build", "cascade"];

/// A list of names: a TOML list, or one name (Jekyll: words separated by spaces).
fn names(value: &toml::Value, engine: Engine) -> Vec<String> {
    let one = |s: &str| -> Vec<String> {
        if engine == Engine::Jekyll && !s.contains(',') {
            s.split_whitespace().map(str::to_string).collect()
        } else if s.contains(',') {
            s.split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect()
        } else {
            vec![s.trim().to_string()]
        }
    };
    match value {
        toml::Value::String(s) => one(s),
        toml::Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                toml::Value::String(s) => Some(s.trim().to_string()),
                toml::Value::Integer(n) => Some(n.to_string()),
                toml::Value::Float(f) => Some(f.to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect(),
        toml::Value::Integer(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// A value as one line of text.
fn text(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
            Some(value.to_string())
        }
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

/// Whether a value says yes.
fn truthy(value: &toml::Value) -> Option<bool> {
    match value {
        toml::Value::Boolean(b) => Some(*b),
        toml::Value::String(s) => match s.trim() {
            "true" | "yes" => Some(true),
            "false" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Maps a front-matter table onto Tribune's keys; `taxonomies` are the site's own ones
/// besides tags and categories (`series`).
pub(crate) fn map(table: &toml::Table, engine: Engine, taxonomies: &[String]) -> Mapped {
    let mut m = Mapped::default();
    let mut publish = None;
    let mut summary = None;
    let mut excerpt = None;
    for (key, value) in table {
        let lower = key.to_ascii_lowercase();
        match lower.as_str() {
            "title" => m.title = text(value),
            "date" => m.date = date(value).or(m.date),
            "publishdate" | "pubdate" | "publish_date" => publish = date(value),
            "lastmod" | "last_modified_at" | "updated" | "modified" | "last_modified" => {
                m.updated = date(value)
            }
            "expirydate" | "expiry_date" | "expires" | "unpublishdate" => m.expires = date(value),
            "draft" => m.draft |= truthy(value) == Some(true),
            "published" => m.draft |= truthy(value) == Some(false),
            "tags" | "tag" => m.tags.extend(names(value, engine)),
            "categories" | "category" => m.themes.extend(names(value, engine)),
            "aliases" | "alias" | "redirect_from" => m.aliases.extend(names(value, Engine::Hugo)),
            "slug" => m.slug = text(value),
            "url" if engine == Engine::Hugo => m.url = text(value),
            "permalink" if engine == Engine::Jekyll => m.permalink = text(value),
            "description" => m.description = text(value),
            "summary" => summary = text(value),
            "excerpt" => excerpt = text(value),
            "author" | "authors" => m.authors.extend(authors(value)),
            "image" | "images" | "cover" | "featured_image" | "featuredimage" | "thumbnail"
            | "header" | "feature_image" | "cover_image"
                if m.image.is_none() =>
            {
                match image(value) {
                    Some((src, alt)) => {
                        m.image = Some(src);
                        m.image_alt = alt;
                    }
                    None => {
                        m.extra.insert(key.clone(), value.clone());
                    }
                }
            }
            "link" => match text(value).as_deref().and_then(web_link) {
                Some(url) => m.link = Some(url),
                None => {
                    m.extra.insert(key.clone(), value.clone());
                }
            },
            "sticky" | "pin" | "pinned" if truthy(value).is_some() => {
                m.sticky = truthy(value) == Some(true)
            }
            _ if taxonomies.iter().any(|t| t.eq_ignore_ascii_case(key)) => {
                let terms = names(value, engine);
                if !terms.is_empty() {
                    m.taxonomies.entry(lower.clone()).or_default().extend(terms);
                }
            }
            _ if THEME_KEYS.contains(&lower.as_str()) => m.dropped.push(key.clone()),
            _ => {
                m.extra.insert(key.clone(), value.clone());
            }
        }
    }
    if publish.is_some() {
        m.date = publish;
    }
    if m.description.is_none() {
        m.description = summary.or(excerpt);
    }
    dedup(&mut m.tags);
    dedup(&mut m.themes);
    m.authors.dedup();
    m
}

/// `text` with each line that goes on with a quoted value begun on the line above indented by
/// two spaces, when it was not indented at all.
fn indent_quoted_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut open = None;
    for line in text.lines() {
        if open.is_some() && !line.starts_with([' ', '\t']) {
            out.push_str("  ");
        }
        out.push_str(line);
        out.push('\n');
        open = quote_open_after(line, open);
    }
    out
}

/// The quote (`"` or `'`) still open at the end of YAML `line`, given the one open before it.
/// A quote opens a value only where one starts (after `key:`, `-`, `[`, `{`, `,` or at the
/// line's start): `title: l'audit` opens none.
fn quote_open_after(line: &str, mut open: Option<char>) -> Option<char> {
    let mut chars = line.chars().peekable();
    let mut value_starts = true;
    let mut after_space = true;
    while let Some(c) = chars.next() {
        match open {
            Some('"') => match c {
                '\\' => {
                    chars.next();
                }
                '"' => open = None,
                _ => {}
            },
            Some(_) => {
                // '' is a quote inside a single-quoted value.
                if c == '\'' && chars.next_if_eq(&'\'').is_none() {
                    open = None;
                }
            }
            None if (c == '"' || c == '\'') && value_starts => open = Some(c),
            None if c == '#' && after_space => break,
            None => {
                value_starts =
                    matches!(c, ':' | '-' | '[' | '{' | ',') || (c.is_whitespace() && value_starts);
            }
        }
        after_space = c.is_whitespace();
    }
    open
}

/// A link post's address as the old site's pages followed it, character references decoded
/// as a browser decodes an `href` (`https:&#x2F;&#x2F;…`); `None` when that is no address a
/// reader can follow, and the value stays under `[extra]` rather than failing the build.
fn web_link(written: &str) -> Option<String> {
    let url = crate::import::text::decode_entities(written.trim());
    crate::load::config::web_url(&url).ok().map(|()| url)
}

/// Names without repeats, in their order.
fn dedup(names: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.to_lowercase()));
}

/// Author names: `author: Name`, a list, or a table with `name`.
fn authors(value: &toml::Value) -> Vec<String> {
    match value {
        toml::Value::String(s) => vec![s.trim().to_string()],
        toml::Value::Array(items) => items.iter().flat_map(authors).collect(),
        toml::Value::Table(t) => t
            .get("name")
            .or_else(|| t.get("display_name"))
            .and_then(text)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// A cover image and its alternative text: a path, the first of a list, or a theme's table
/// (`cover: {image: …, alt: …}`, `header: {image: …}`).
fn image(value: &toml::Value) -> Option<(String, Option<String>)> {
    match value {
        toml::Value::String(s) => Some((s.trim().to_string(), None)).filter(|(s, _)| !s.is_empty()),
        toml::Value::Array(items) => items.iter().find_map(image),
        toml::Value::Table(t) => {
            let src = [
                "image",
                "src",
                "path",
                "url",
                "feature",
                "overlay_image",
                "teaser",
            ]
            .iter()
            .find_map(|k| t.get(*k).and_then(text))?;
            let alt = ["alt", "caption", "image_alt"]
                .iter()
                .find_map(|k| t.get(*k).and_then(text));
            Some((src, alt))
        }
        _ => None,
    }
}

/// A TOML string.
pub(crate) fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A TOML list of strings.
pub(crate) fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", inner.join(", "))
}

/// What a file's Tribune front matter says, decided by the importer.
#[derive(Debug, Default)]
pub(crate) struct Written<'a> {
    /// The title.
    pub(crate) title: &'a str,
    /// The date, required for posts.
    pub(crate) date: Option<When>,
    /// The slug, when the file name does not give it.
    pub(crate) slug: Option<&'a str>,
    /// Whether the file is a draft.
    pub(crate) draft: bool,
    /// The cover image as the site finds it, if it does.
    pub(crate) image: Option<&'a str>,
    /// Old addresses that lead here.
    pub(crate) aliases: &'a [String],
}

/// Tribune's TOML front matter, `+++` lines included.
pub(crate) fn write(mapped: &Mapped, written: &Written<'_>) -> String {
    let mut out = format!("+++\ntitle = {}\n", quote(written.title));
    let mut line = |key: &str, value: String| out.push_str(&format!("{key} = {value}\n"));
    if let Some(date) = written.date {
        line("date", date.toml());
    }
    if let Some(updated) = mapped.updated {
        line("updated", updated.toml());
    }
    if let Some(expires) = mapped.expires {
        line("expires", expires.toml());
    }
    if let Some(slug) = written.slug {
        line("slug", quote(slug));
    }
    if written.draft {
        line("draft", "true".into());
    }
    if mapped.sticky && !written.draft {
        line("sticky", "true".into());
    }
    if let Some(description) = &mapped.description {
        line("description", quote(description));
    }
    if !mapped.authors.is_empty() {
        line("authors", list(&mapped.authors));
    }
    if !mapped.tags.is_empty() {
        line("tags", list(&mapped.tags));
    }
    if !mapped.themes.is_empty() {
        line("themes", list(&mapped.themes));
    }
    if let Some(image) = written.image {
        line("image", quote(image));
        if let Some(alt) = &mapped.image_alt {
            line("image_alt", quote(alt));
        }
    }
    if let Some(link) = &mapped.link {
        line("link", quote(link));
    }
    if !written.aliases.is_empty() {
        line("aliases", list(written.aliases));
    }
    let mut tables = toml::Table::new();
    if !mapped.taxonomies.is_empty() {
        let t: toml::Table = mapped
            .taxonomies
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    toml::Value::Array(v.iter().cloned().map(toml::Value::String).collect()),
                )
            })
            .collect();
        tables.insert("taxonomies".into(), toml::Value::Table(t));
    }
    if !mapped.extra.is_empty() {
        tables.insert("extra".into(), toml::Value::Table(mapped.extra.clone()));
    }
    if !tables.is_empty() {
        out.push_str(&toml::to_string(&tables).unwrap_or_default());
    }
    out.push_str("+++\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_form_of_front_matter() {
        let yaml =
            parse("\u{feff}\n\n---\r\ntitle: \"A: b\"\r\ntags: [x, y]\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(yaml.table["title"].as_str(), Some("A: b"));
        assert_eq!(yaml.body, "Body\n");
        assert_eq!(yaml.body_line, 7);
        let toml = parse("+++\ntitle = \"T\"\ndate = 2019-03-05\n+++\nB").unwrap();
        assert_eq!(toml.table["title"].as_str(), Some("T"));
        let json = parse("{\n  \"title\": \"J\",\n  \"tags\": [\"a\"]\n}\nBody").unwrap();
        assert_eq!(json.table["title"].as_str(), Some("J"));
        assert_eq!(json.body, "Body");
        let none = parse("Just text").unwrap();
        assert!(!none.has_front && none.body == "Just text");
        let twice = parse("---\ntitle: a\ntitle: b\n---\n").unwrap();
        assert_eq!(twice.table["title"].as_str(), Some("b"));
        let (message, line) = parse("---\ntitle: x\n  bad: [\n---\n").unwrap_err();
        assert!(!message.is_empty() && line >= 2, "{message} {line}");
    }

    #[test]
    fn reads_dates_as_engines_write_them() {
        let s = |t: &str| date(&toml::Value::String(t.into())).map(When::toml);
        assert_eq!(s("2019-03-05").as_deref(), Some("2019-03-05"));
        assert_eq!(
            s("2019-03-05 10:20").as_deref(),
            Some("2019-03-05T10:20:00")
        );
        assert_eq!(
            s("2019-03-05 10:20:30 +0100").as_deref(),
            Some("2019-03-05T10:20:30+01:00")
        );
        assert_eq!(
            s("'2019-03-05T10:20:30-05:00'").as_deref(),
            Some("2019-03-05T10:20:30-05:00")
        );
        assert_eq!(
            s("2019-03-05T10:20:30.123Z").as_deref(),
            Some("2019-03-05T10:20:30+00:00")
        );
        assert_eq!(s("March 5"), None);
    }

    #[test]
    fn maps_the_keys_of_both_engines() {
        let table = yaml(
            "title: T\ntag: one two\ncategory: News\ncategories: [Dev]\npublished: false\nseries: S\nweight: 3\nlayout: post\nauthor: {name: Ann}\ncover: {image: c.jpg, alt: C}\n",
            1,
        )
        .unwrap();
        let m = map(&table, Engine::Jekyll, &["series".into()]);
        assert_eq!(m.tags, ["one", "two"]);
        assert_eq!(m.themes, ["Dev", "News"]);
        assert!(m.draft);
        assert_eq!(m.taxonomies["series"], ["S"]);
        assert_eq!(m.extra["weight"].as_integer(), Some(3));
        assert_eq!(m.dropped, ["layout"]);
        assert_eq!(m.authors, ["Ann"]);
        assert_eq!(m.image.as_deref(), Some("c.jpg"));
        let text = write(
            &m,
            &Written {
                title: "T",
                ..Written::default()
            },
        );
        let inner = text
            .strip_prefix("+++\n")
            .and_then(|t| t.strip_suffix("+++\n"));
        let back: toml::Table = toml::from_str(inner.unwrap()).unwrap();
        assert_eq!(back["extra"]["weight"].as_integer(), Some(3));
    }

    #[test]
    fn quoted_values_go_on_unindented_as_go_and_ruby_read_them() {
        let text = "title: l'audit\ndescription: \"Deux lignes, \\\"citées\\\"\net la suite.\"\nsummary: 'C''est\nfini.'\nurl: http://a.b/c # note\ntags: [\"un\", 'deux']\n";
        let t = yaml(text, 1).unwrap();
        assert_eq!(t["title"].as_str(), Some("l'audit"));
        assert_eq!(
            t["description"].as_str(),
            Some("Deux lignes, \"citées\" et la suite.")
        );
        assert_eq!(t["summary"].as_str(), Some("C'est fini."));
        assert_eq!(t["url"].as_str(), Some("http://a.b/c"));
        assert_eq!(t["tags"][1].as_str(), Some("deux"));
        // A value that never closes is still an error, at its line.
        let (why, line) = yaml("title: ok\ndescription: \"open\nstill\n", 3).unwrap_err();
        assert!(why.contains("quoted scalar"), "{why}");
        assert!(line >= 4, "{line}");
    }

    #[test]
    fn a_link_is_kept_as_a_browser_followed_it_or_under_extra() {
        let escaped = yaml("link: https:&#x2F;&#x2F;example.org&#x2F;a\n", 1).unwrap();
        let m = map(&escaped, Engine::Jekyll, &[]);
        assert_eq!(m.link.as_deref(), Some("https://example.org/a"));
        assert!(m.extra.is_empty());
        for broken in [
            "link: http://exa mple.org/\n",
            "link: https://\n",
            "link: /local\n",
        ] {
            let m = map(&yaml(broken, 1).unwrap(), Engine::Hugo, &[]);
            assert_eq!(m.link, None, "{broken}");
            assert!(m.extra.contains_key("link"), "{broken}");
        }
    }
}
