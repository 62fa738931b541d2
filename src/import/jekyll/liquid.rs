//! The Liquid of a Jekyll post's text as what it showed: `{% raw %}` as literal text,
//! `{% highlight %}` as fenced code, `{% post_url %}` and `{% link %}` as links to the imported
//! posts, `site.*` and `page.*` values, simple includes inlined; what needs Jekyll's templates
//! to run is kept as visible text, with a warning naming its file and line.

use std::path::Path;

use crate::import::generator::{Doc, Links};
use crate::import::shortcodes::fenced;

/// What converting a body reads.
pub(crate) struct Context<'a> {
    /// The document.
    pub(crate) doc: &'a Doc,
    /// Where every document went.
    pub(crate) links: &'a Links,
    /// The site's `_config.yml`.
    pub(crate) site: &'a toml::Table,
    /// The page's front matter as written.
    pub(crate) page: &'a toml::Table,
    /// The Jekyll site's folder, for `_includes/`.
    pub(crate) src: &'a Path,
    /// Static files copied, by path from the site's root (`assets/a.pdf`).
    pub(crate) statics: &'a std::collections::HashSet<String>,
}

/// Block tags, whose text runs to `{% endNAME %}`.
const BLOCKS: [&str; 11] = [
    "raw",
    "comment",
    "highlight",
    "capture",
    "if",
    "for",
    "unless",
    "case",
    "codeblock",
    "blockquote",
    "tablerow",
];

/// A tag as read: its name, what follows, the bytes it takes.
struct Tag<'t> {
    name: &'t str,
    args: &'t str,
    len: usize,
}

/// Reads the `{% … %}` tag at the start of `text`.
fn read(text: &str) -> Option<Tag<'_>> {
    let end = text.get(2..)?.find("%}")? + 2;
    let inner = text[2..end]
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    let (name, args) = inner
        .split_once(char::is_whitespace)
        .map_or((inner, ""), |(n, a)| (n, a.trim()));
    Some(Tag {
        name,
        args,
        len: end + 2,
    })
}

/// Where `{% endNAME %}` closes the block `name` opened before `text`: its start and length.
fn end_of(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = 0;
    let end_name = format!("end{name}");
    while let Some(found) = text[at..].find("{%").map(|f| at + f) {
        let tag = read(&text[found..])?;
        if tag.name == end_name {
            if depth == 0 {
                return Some((found, tag.len));
            }
            depth -= 1;
        } else if tag.name == name && name != "raw" && name != "comment" {
            depth += 1;
        }
        at = found + tag.len;
    }
    None
}

/// The Liquid of `text`, converted; problems go to `warnings`.
pub(crate) fn convert(
    text: &str,
    cx: &Context<'_>,
    warnings: &mut Vec<(&'static str, String)>,
) -> String {
    convert_from(text, cx.doc.body_line, cx, warnings, 0)
}

/// [`convert`] of a part of the text that starts on file line `first_line`, `depth` includes
/// deep.
fn convert_from(
    text: &str,
    first_line: usize,
    cx: &Context<'_>,
    warnings: &mut Vec<(&'static str, String)>,
    depth: usize,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = text[at..].find('{').map(|f| at + f) {
        let rest = &text[found..];
        let line = first_line + text[..found].matches('\n').count();
        let where_ = format!("{}:{line}", cx.doc.source);
        if rest.starts_with("{{") {
            let Some(end) = rest.find("}}") else {
                out.push_str(&text[at..found + 2]);
                at = found + 2;
                continue;
            };
            out.push_str(&text[at..found]);
            let inner = rest[2..end].trim_matches('-').trim();
            at = found + end + 2;
            match output(inner, cx) {
                Some(value) => out.push_str(&value),
                None => {
                    warnings.push((
                        "Liquid Tribune cannot run, kept as text",
                        format!("{where_}: {}", &rest[..end + 2]),
                    ));
                    out.push_str(&rest[..end + 2]);
                }
            }
            continue;
        }
        if !rest.starts_with("{%") {
            out.push_str(&text[at..found + 1]);
            at = found + 1;
            continue;
        }
        let Some(tag) = read(rest) else {
            out.push_str(&text[at..found + 2]);
            at = found + 2;
            continue;
        };
        out.push_str(&text[at..found]);
        at = found + tag.len;
        let shown = &rest[..tag.len];
        // A block's text, up to its end tag.
        let mut inner = "";
        let mut whole = shown.to_string();
        // A plugin's tag is a block when its end tag follows (`{% figure %}…{% endfigure %}`).
        let block = BLOCKS.contains(&tag.name)
            || (!tag.name.starts_with("end")
                && !tag.name.is_empty()
                && text[at..].contains(&format!("end{}", tag.name)));
        if block && let Some((start, len)) = end_of(&text[at..], tag.name) {
            inner = &text[at..at + start];
            whole = text[found..at + start + len].to_string();
            at += start + len;
        }
        let inner_line = line + shown.matches('\n').count();
        let keep = |warnings: &mut Vec<(&'static str, String)>, what: &'static str| {
            warnings.push((what, format!("{where_}: {shown}")));
            whole.clone()
        };
        let converted = match tag.name {
            "raw" => inner.to_string(),
            "comment" => String::new(),
            "highlight" | "codeblock" => {
                let mut words = tag.args.split_whitespace();
                let language = words
                    .next()
                    .map(|l| l.trim_start_matches("lang:"))
                    .filter(|l| !l.contains(':') && !l.contains('"'))
                    .unwrap_or("");
                if tag.args.contains("linenos") {
                    warnings.push((
                        "code shown without its line numbers",
                        format!("{where_}: Tribune's code blocks have no line numbers"),
                    ));
                }
                let code = convert_from(inner, inner_line, cx, warnings, depth);
                fenced(&code, &language.to_ascii_lowercase())
            }
            "post_url" => {
                match cx.links.find(tag.args.trim()) {
                    Some(new) => new.clone(),
                    None => {
                        warnings.push((
                        "links to posts not imported",
                        format!("{where_}: {shown} names no imported post; it leads to the home page"),
                    ));
                        "/".into()
                    }
                }
            }
            "link" => {
                let path = tag.args.trim().trim_start_matches('/');
                match cx.links.find(path) {
                    Some(new) => new.clone(),
                    None if cx.statics.contains(&format!("static/{path}")) => format!("/{path}"),
                    None => {
                        warnings.push((
                            "links to pages not imported",
                            format!("{where_}: {shown} names no imported page; it leads to the home page"),
                        ));
                        "/".into()
                    }
                }
            }
            "include" | "include_relative" | "include_cached" => match include(&tag, cx, depth) {
                Some(text) => convert_from(&text, inner_line, cx, warnings, depth + 1),
                None => keep(warnings, "includes Tribune cannot inline, kept as text"),
            },
            "youtube" | "vimeo" | "gist" | "tweet" | "twitter" | "instagram" => {
                match embed(tag.name, tag.args) {
                    Some(url) => format!("\n\n[embed]{url}[/embed]\n\n"),
                    None => keep(warnings, "plugin tags Tribune cannot run, kept as text"),
                }
            }
            "img" | "image" => match image(tag.args) {
                Some(md) => md,
                None => keep(warnings, "plugin tags Tribune cannot run, kept as text"),
            },
            "blockquote" => {
                let quoted = convert_from(inner, inner_line, cx, warnings, depth);
                let mut out = String::from("\n\n");
                for l in quoted.trim().lines() {
                    out.push_str(&format!("> {l}\n"));
                }
                if !tag.args.is_empty() {
                    out.push_str(&format!(">\n> — {}\n", tag.args));
                }
                out.push('\n');
                out
            }
            "figure" => {
                let inner = convert_from(inner, inner_line, cx, warnings, depth);
                let caption = argument(tag.args, "caption").unwrap_or_default();
                if caption.is_empty() {
                    format!("\n\n{}\n\n", inner.trim())
                } else {
                    format!(
                        "\n\n[caption]{} {}[/caption]\n\n",
                        inner.trim(),
                        caption.replace('\n', " ")
                    )
                }
            }
            _ if !inner.is_empty()
                && !matches!(
                    tag.name,
                    "if" | "for" | "unless" | "case" | "capture" | "tablerow"
                ) =>
            {
                warnings.push((
                    "plugin blocks kept as their text",
                    format!(
                        "{where_}: {shown}: its text is kept, without what the plugin did with it"
                    ),
                ));
                format!(
                    "\n\n{}\n\n",
                    convert_from(inner, inner_line, cx, warnings, depth).trim()
                )
            }
            "assign" | "capture" | "if" | "unless" | "for" | "case" | "tablerow" | "increment"
            | "decrement" | "cycle" => keep(warnings, "Liquid Tribune cannot run, kept as text"),
            _ => keep(warnings, "plugin tags Tribune cannot run, kept as text"),
        };
        out.push_str(&converted);
    }
    out.push_str(&text[at..]);
    out
}

/// An output tag's value: `site.*` and `page.*` values, string literals, through the filters
/// that only make addresses (`relative_url`, `absolute_url`, `prepend: site.baseurl`).
fn output(inner: &str, cx: &Context<'_>) -> Option<String> {
    let mut parts = inner.split('|').map(str::trim);
    let head = parts.next()?;
    let value = if let Some(literal) = head
        .strip_prefix('"')
        .and_then(|h| h.strip_suffix('"'))
        .or_else(|| head.strip_prefix('\'').and_then(|h| h.strip_suffix('\'')))
    {
        literal.to_string()
    } else if let Some(key) = head.strip_prefix("site.") {
        match key {
            "baseurl" | "base_url" => String::new(),
            "url" => cx
                .site
                .get("url")
                .and_then(|u| u.as_str())
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string(),
            "time" => return None,
            // Liquid shows nothing for a value the site does not have.
            _ => lookup(cx.site, key).map_or(Some(String::new()), scalar)?,
        }
    } else if let Some(key) = head.strip_prefix("page.") {
        match key {
            "url" => cx
                .links
                .by_source
                .get(&cx.doc.source)
                .cloned()
                .unwrap_or_default(),
            "title" => cx.doc.mapped.title.clone().unwrap_or_default(),
            _ => lookup(cx.page, key).map_or(Some(String::new()), scalar)?,
        }
    } else {
        return None;
    };
    for filter in parts {
        let name = filter.split(':').next().unwrap_or("").trim();
        match name {
            "relative_url" | "absolute_url" | "uri_escape" | "strip" => {}
            "prepend" if filter.contains("site.baseurl") => {}
            _ => return None,
        }
    }
    Some(value)
}

/// A tag's `name:"value"` argument (jekyll-figure's `caption:"…"`), its quotes taken off.
fn argument(args: &str, name: &str) -> Option<String> {
    let at = args.find(&format!("{name}:"))? + name.len() + 1;
    let rest = args[at..].trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let end = rest[1..].find(quote)? + 1;
    Some(rest[1..end].to_string())
}

/// A value by a dotted key.
fn lookup<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// A value shown as text; a list or table has no such form.
fn scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(_) | toml::Value::Array(_) => None,
        other => Some(other.to_string()),
    }
}

/// The text of an include, with `{{ include.x }}` filled in from the tag's parameters; `None`
/// when the file is missing or needs Liquid beyond that.
fn include(tag: &Tag<'_>, cx: &Context<'_>, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let mut words = tag.args.split_whitespace();
    let name = words.next()?;
    if name.contains("{{") || name.contains("..") {
        return None;
    }
    let path = if tag.name == "include_relative" {
        let dir = cx.doc.source.rsplit_once('/').map_or("", |(d, _)| d);
        cx.src.join(dir).join(name)
    } else {
        cx.src.join("_includes").join(name)
    };
    let text = std::fs::read_to_string(path).ok()?;
    let mut params: Vec<(String, String)> = Vec::new();
    let rest = tag.args[name.len()..].trim();
    let mut chars = rest;
    while let Some(eq) = chars.find('=') {
        let key = chars[..eq].trim().to_string();
        let after = chars[eq + 1..].trim_start();
        let (value, len) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = after[1..].find(q)? + 1;
                (after[1..end].to_string(), end + 1)
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (output(&after[..end], cx)?, end)
            }
        };
        params.push((key, value));
        chars = &after[len..];
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}")? + at;
        let inner = rest[at + 2..end].trim_matches('-').trim();
        let key = inner.strip_prefix("include.")?;
        let (key, filters) = key
            .split_once('|')
            .map_or((key, ""), |(k, f)| (k.trim(), f));
        if !filters.trim().is_empty() {
            return None;
        }
        let value = params
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str());
        out.push_str(value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    if out.contains("{%") {
        return None;
    }
    Some(out)
}

/// The address a video, gist or post tag of a plugin shows.
fn embed(name: &str, args: &str) -> Option<String> {
    let first = args.split_whitespace().next()?.trim_matches(['"', '\'']);
    if first.starts_with("http") {
        return Some(first.to_string());
    }
    Some(match name {
        "youtube" => format!("https://www.youtube.com/watch?v={first}"),
        "vimeo" => format!("https://vimeo.com/{first}"),
        "gist" if first.contains('/') => format!("https://gist.github.com/{first}"),
        "gist" => format!("https://gist.github.com/{first}"),
        "instagram" => format!("https://www.instagram.com/p/{first}/"),
        _ => return None,
    })
}

/// Octopress's `{% img [class] src [width height] ["title" ["alt"]] %}` as a Markdown image.
fn image(args: &str) -> Option<String> {
    let src = args
        .split_whitespace()
        .find(|w| w.starts_with('/') || w.starts_with("http") || w.contains('.'))?;
    let quoted: Vec<&str> = args.split('"').skip(1).step_by(2).collect();
    let alt = quoted.last().copied().unwrap_or("").replace(['[', ']'], "");
    Some(format!("![{alt}]({src})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_tags_are_text() {
        let doc = Doc::default();
        let links = Links::default();
        let empty = toml::Table::new();
        let statics = std::collections::HashSet::new();
        let cx = Context {
            doc: &doc,
            links: &links,
            site: &empty,
            page: &empty,
            src: Path::new("/nonexistent"),
            statics: &statics,
        };
        let mut warnings = Vec::new();
        assert_eq!(convert("a {%} b {{ c", &cx, &mut warnings), "a {%} b {{ c");
    }

    #[test]
    fn converts_the_liquid_of_a_post() {
        let doc = Doc {
            source: "_posts/2020-01-02-a.md".into(),
            body_line: 4,
            ..Doc::default()
        };
        let mut links = Links::default();
        links
            .by_source
            .insert("_posts/2019-05-06-b.md".into(), "/posts/b/".into());
        let site: toml::Table =
            toml::from_str("url = \"https://old.example\"\ntitle = \"Old\"").unwrap();
        let page: toml::Table = toml::from_str("hero = \"H\"").unwrap();
        let statics = std::collections::HashSet::new();
        let cx = Context {
            doc: &doc,
            links: &links,
            site: &site,
            page: &page,
            src: Path::new("/nonexistent"),
            statics: &statics,
        };
        let mut warnings = Vec::new();
        let md = convert(
            "See [b]({% post_url 2019-05-06-b %}) on {{ site.title }} ({{ site.url }}{{ site.baseurl }}/x), {{ page.hero }}.\n{% raw %}{{ literal }} {% tag %}{% endraw %}\n{% comment %}gone{% endcomment %}\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n![i]({{ \"/a.png\" | relative_url }})\n{% include missing.html %}\n{% if x %}y{% endif %}",
            &cx,
            &mut warnings,
        );
        assert!(
            md.contains("[b](/posts/b/) on Old (https://old.example/x), H."),
            "{md}"
        );
        assert!(md.contains("{{ literal }} {% tag %}\n\n"), "{md}");
        assert!(!md.contains("gone"));
        assert!(md.contains("```ruby\nputs 1\n```"));
        assert!(md.contains("![i](/a.png)"));
        assert!(md.contains("{% include missing.html %}"));
        assert!(md.contains("{% if x %}y{% endif %}"));
        let found: Vec<&str> = warnings.iter().map(|w| w.1.as_str()).collect();
        assert!(
            found.contains(&"_posts/2020-01-02-a.md:11: {% include missing.html %}"),
            "{found:?}"
        );
        assert!(
            found.contains(&"_posts/2020-01-02-a.md:12: {% if x %}"),
            "{found:?}"
        );
    }
}
