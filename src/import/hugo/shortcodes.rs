//! Hugo shortcodes (`{{< name … >}}`, `{{% name … %}}`) as what Tribune has: figures, link
//! cards, fenced code, links to the imported posts, and the site's own simple shortcodes as
//! Tribune shortcodes; escaped ones (`{{</* x */>}}`) as the text they show.

use std::collections::BTreeMap;

use crate::import::generator::{Doc, Links};
use crate::import::shortcodes::fenced;

/// A shortcode of the old site's own, read from its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Own {
    /// Simple enough to be a Tribune shortcode; whether it takes a body.
    Simple {
        /// Whether its template uses `.Inner`.
        paired: bool,
    },
    /// Logic Tribune cannot run: kept as text, with a warning.
    Complex,
}

/// What converting a body reads.
pub(crate) struct Context<'a> {
    /// The document.
    pub(crate) doc: &'a Doc,
    /// Where every document went.
    pub(crate) links: &'a Links,
    /// The site's `params`.
    pub(crate) params: &'a toml::Table,
    /// The front matter as written, for `param`.
    pub(crate) page: &'a toml::Table,
    /// The site's own shortcodes, by name.
    pub(crate) own: &'a BTreeMap<String, Own>,
}

/// One shortcode tag as written.
#[derive(Debug, Clone)]
struct Tag {
    /// `<` or `%`.
    delimiter: char,
    /// The name, `/name` for a closing tag.
    name: String,
    /// Positional arguments.
    positional: Vec<String>,
    /// Named arguments.
    named: Vec<(String, String)>,
    /// Escaped: `{{</* … */>}}`, shown as written.
    escaped: Option<String>,
    /// Ends with `/>}}`: no closing tag to look for.
    self_closed: bool,
    /// Bytes it takes.
    len: usize,
}

impl Tag {
    /// A named argument, else the positional one at `at`.
    fn arg(&self, name: &str, at: Option<usize>) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| at.and_then(|i| self.positional.get(i)).map(String::as_str))
    }
}

/// Reads the tag at the start of `text` (`{{<` or `{{%`).
fn read(text: &str) -> Option<Tag> {
    let delimiter = text[2..].chars().next()?;
    let close = if delimiter == '<' { ">}}" } else { "%}}" };
    let end = text[3..].find(close)? + 3;
    let inner = text[3..end].trim();
    // A tag does not hold another one's opening: `"{{<"` in code is text.
    if inner.contains("{{") {
        return None;
    }
    let len = end + close.len();
    if let Some(escaped) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
        return Some(Tag {
            delimiter,
            name: String::new(),
            positional: Vec::new(),
            named: Vec::new(),
            escaped: Some(format!(
                "{{{{{delimiter} {} {}}}}}",
                escaped.trim(),
                &close[..1]
            )),
            self_closed: true,
            len,
        });
    }
    // `{{</ name >}}` closes like `{{< /name >}}`.
    let closing_spaced = inner
        .strip_prefix('/')
        .map(|rest| format!("/{}", rest.trim_start()));
    let inner = closing_spaced.as_deref().unwrap_or(inner);
    let (inner, self_closed) = match inner.strip_suffix('/') {
        Some(i) => (i.trim_end(), true),
        None => (inner, false),
    };
    let mut words = Vec::new();
    let mut chars = inner.char_indices().peekable();
    while let Some(&(_, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            if c == '"' || c == '`' {
                chars.next();
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if escaped {
                        word.push(d);
                        escaped = false;
                    } else if d == '\\' && c == '"' {
                        escaped = true;
                    } else if d == c {
                        break;
                    } else {
                        word.push(d);
                    }
                }
                continue;
            }
            word.push(c);
            chars.next();
        }
        words.push(word);
    }
    let mut words = words.into_iter();
    let name = words.next()?;
    if name.is_empty() || name.starts_with('{') {
        return None;
    }
    let mut tag = Tag {
        delimiter,
        name,
        positional: Vec::new(),
        named: Vec::new(),
        escaped: None,
        self_closed,
        len,
    };
    // `key="value"` was read as one word `key=value`, its quotes taken off.
    let raw_named = inner.contains('=');
    for word in words {
        match word.split_once('=') {
            Some((k, v))
                if raw_named
                    && !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
            {
                tag.named.push((k.to_string(), v.to_string()))
            }
            _ => tag.positional.push(word),
        }
    }
    Some(tag)
}

/// Where the closing tag of `name` is in `text`, from its start, and its length; shortcodes of
/// the same name nested inside are skipped.
fn closing(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find("{{").map(|f| at + f) {
        let rest = &text[found..];
        at = found + 2;
        if !(rest.starts_with("{{<") || rest.starts_with("{{%")) {
            continue;
        }
        let Some(tag) = read(rest) else { continue };
        if tag.escaped.is_some() {
            at = found + tag.len;
            continue;
        }
        if tag.name == format!("/{name}") {
            if depth == 0 {
                return Some((found, tag.len));
            }
            depth -= 1;
        } else if tag.name == name && !tag.self_closed {
            depth += 1;
        }
        at = found + tag.len;
    }
    None
}

/// The shortcodes of `text`, converted; problems go to the report.
pub(crate) fn convert(
    text: &str,
    cx: &Context<'_>,
    warnings: &mut Vec<(&'static str, String)>,
) -> String {
    convert_from(text, cx.doc.body_line, cx, warnings)
}

/// [`convert`] of a part of the body that starts on file line `first_line`.
fn convert_from(
    text: &str,
    first_line: usize,
    cx: &Context<'_>,
    warnings: &mut Vec<(&'static str, String)>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = text[at..].find("{{").map(|f| at + f) {
        let rest = &text[found..];
        if !(rest.starts_with("{{<") || rest.starts_with("{{%")) {
            out.push_str(&text[at..found + 2]);
            at = found + 2;
            continue;
        }
        let Some(tag) = read(rest) else {
            out.push_str(&text[at..found + 3]);
            at = found + 3;
            continue;
        };
        out.push_str(&text[at..found]);
        at = found + tag.len;
        if let Some(literal) = &tag.escaped {
            out.push_str(literal);
            continue;
        }
        let line = first_line + text[..found].matches('\n').count();
        let where_ = format!("{}:{line}", cx.doc.source);
        if tag.name.starts_with('/') {
            warnings.push((
                "shortcodes closed but never opened, left out",
                format!("{where_}: {}", &text[found..found + tag.len]),
            ));
            continue;
        }
        // The body of a paired shortcode: up to its closing tag.
        let inner = if tag.self_closed {
            None
        } else {
            closing(&text[at..], &tag.name).map(|(start, len)| {
                let inner = &text[at..at + start];
                at += start + len;
                inner
            })
        };
        let shown = &text[found..found + tag.len];
        let inner_line = line + shown.matches('\n').count();
        out.push_str(&one(&tag, inner, shown, &where_, inner_line, cx, warnings));
    }
    out.push_str(&text[at..]);
    out
}

/// One shortcode as Tribune writes it.
fn one(
    tag: &Tag,
    inner: Option<&str>,
    shown: &str,
    where_: &str,
    inner_line: usize,
    cx: &Context<'_>,
    warnings: &mut Vec<(&'static str, String)>,
) -> String {
    let converted_inner = |w: &mut Vec<(&'static str, String)>| {
        inner
            .map(|i| convert_from(i, inner_line, cx, w))
            .unwrap_or_default()
    };
    let embed = |url: String| format!("\n\n[embed]{url}[/embed]\n\n");
    match tag.name.as_str() {
        "figure" => {
            let Some(src) = tag.arg("src", Some(0)) else {
                return String::new();
            };
            let alt = tag
                .arg("alt", None)
                .or_else(|| tag.arg("title", None))
                .unwrap_or("")
                .replace(['[', ']'], "");
            let mut image = format!("![{alt}]({})", destination(src));
            if let Some(link) = tag.arg("link", None) {
                image = format!("[{image}]({})", destination(link));
            }
            let caption = [tag.arg("title", None), tag.arg("caption", None)]
                .into_iter()
                .flatten()
                .filter(|c| !c.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" — ");
            let attribution = tag.arg("attr", None).unwrap_or("");
            let caption = [caption.as_str(), attribution]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if caption.is_empty() {
                format!("\n\n{image}\n\n")
            } else {
                format!(
                    "\n\n[caption]{image} {}[/caption]\n\n",
                    caption.replace('\n', " ")
                )
            }
        }
        _ if tag.name.ends_with(".inline") => {
            warnings.push((
                "inline shortcodes left out",
                format!(
                    "{where_}: {shown} defines a template in the text, which Tribune does not run"
                ),
            ));
            String::new()
        }
        "youtube" | "youtube_simple" => match tag.arg("id", Some(0)) {
            Some(id) => embed(format!("https://www.youtube.com/watch?v={id}")),
            None => String::new(),
        },
        "vimeo" | "vimeo_simple" => match tag.arg("id", Some(0)) {
            Some(id) => embed(format!("https://vimeo.com/{id}")),
            None => String::new(),
        },
        "x" | "tweet" | "twitter" | "x_simple" | "twitter_simple" => {
            let user = tag.arg("user", None);
            match (user, tag.arg("id", Some(0))) {
                (Some(user), Some(id)) => embed(format!("https://x.com/{user}/status/{id}")),
                (None, Some(id)) if id.chars().all(|c| c.is_ascii_digit()) => {
                    embed(format!("https://x.com/i/status/{id}"))
                }
                (None, Some(id)) => match tag.positional.get(1) {
                    Some(status) => embed(format!("https://x.com/{id}/status/{status}")),
                    None => String::new(),
                },
                _ => String::new(),
            }
        }
        "instagram" | "instagram_simple" => match tag.arg("id", Some(0)) {
            Some(id) => embed(format!("https://www.instagram.com/p/{id}/")),
            None => String::new(),
        },
        "gist" => match (tag.arg("user", Some(0)), tag.arg("id", Some(1))) {
            (Some(user), Some(id)) => embed(format!("https://gist.github.com/{user}/{id}")),
            _ => String::new(),
        },
        "highlight" => {
            let language = tag.arg("lang", Some(0)).unwrap_or("");
            let options = tag.arg("options", Some(1)).unwrap_or("");
            if options.contains("linenos") && !matches!(options, "linenos=false") {
                warnings.push((
                    "code shown without its line numbers",
                    format!("{where_}: Tribune's code blocks have no line numbers"),
                ));
            }
            fenced(inner.unwrap_or(""), &fence_language(language))
        }
        "ref" | "relref" => {
            let target = tag.arg("path", Some(0)).unwrap_or("");
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, format!("#{a}")),
                None => (target, String::new()),
            };
            if path.is_empty() {
                return anchor;
            }
            match cx.links.find(path) {
                Some(new) => format!("{new}{anchor}"),
                None => {
                    warnings.push((
                        "references to pages not imported",
                        format!(
                            "{where_}: {shown} names no imported page; it leads to the home page"
                        ),
                    ));
                    "/".to_string()
                }
            }
        }
        "param" => {
            let key = tag.arg("name", Some(0)).unwrap_or("");
            let found = lookup(cx.page, key)
                .or_else(|| {
                    lookup(
                        cx.page
                            .get("params")
                            .and_then(|p| p.as_table())
                            .unwrap_or(&toml::Table::new()),
                        key,
                    )
                })
                .or_else(|| lookup(cx.params, key));
            match found {
                Some(value) => value,
                None => {
                    warnings.push((
                        "parameters not found",
                        format!("{where_}: {shown} names no parameter of the page or the site"),
                    ));
                    String::new()
                }
            }
        }
        "details" => {
            let summary = tag.arg("summary", None).unwrap_or("Details");
            let open = if tag.arg("open", None).is_some_and(|o| o == "true") {
                " open"
            } else {
                ""
            };
            format!(
                "\n\n<details{open}><summary>{}</summary>\n\n{}\n\n</details>\n\n",
                summary.replace('<', "&lt;"),
                converted_inner(warnings).trim()
            )
        }
        "comment" => String::new(),
        name => match cx.own.get(name) {
            Some(Own::Simple { paired }) => {
                let mut written = format!("[{name}");
                let attrs = tag
                    .positional
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("arg{i}"), v.clone()))
                    .chain(tag.named.iter().cloned());
                for (k, v) in attrs {
                    let v = v.replace('\n', " ");
                    if v.contains('"') {
                        written.push_str(&format!(" {k}='{}'", v.replace('\'', "’")));
                    } else {
                        written.push_str(&format!(" {k}=\"{v}\""));
                    }
                }
                if *paired {
                    format!("{written}]{}[/{name}]", converted_inner(warnings))
                } else {
                    format!("{written} /]")
                }
            }
            _ => {
                warnings.push((
                    "shortcodes Tribune cannot run, kept as text",
                    format!("{where_}: {shown}"),
                ));
                match inner {
                    Some(_) => format!(
                        "{shown}{}{{{{{d} /{name} {}}}}}",
                        converted_inner(warnings),
                        if tag.delimiter == '<' { '>' } else { '%' },
                        d = tag.delimiter
                    ),
                    None => shown.to_string(),
                }
            }
        },
    }
}

/// A Markdown link destination: in angle brackets when it has a space.
fn destination(url: &str) -> String {
    if url.contains(' ') {
        format!("<{url}>")
    } else {
        url.to_string()
    }
}

/// A fence's language: a word the highlighter reads.
fn fence_language(language: &str) -> String {
    language
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '_'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A parameter's value as text, by a dotted key, case aside.
fn lookup(table: &toml::Table, key: &str) -> Option<String> {
    let mut parts = key.split('.');
    let first = parts.next()?;
    let mut value = table
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(first))
        .map(|(_, v)| v)?;
    for part in parts {
        value = value
            .as_table()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(part))
            .map(|(_, v)| v)?;
    }
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(_) | toml::Value::Array(_) => None,
        other => Some(other.to_string()),
    }
}

/// A site's own shortcode template, as Tribune's: `{{ .Get "x" }}`, `{{ .Get 0 }}` and
/// `{{ .Inner }}` become `{{ attrs.x }}`, `{{ attrs.arg0 }}` and `{{ body | safe }}`; any
/// other Go template logic makes it too complex to carry over.
pub(crate) fn template(hugo: &str) -> Option<(String, bool)> {
    let mut out = String::with_capacity(hugo.len());
    let mut rest = hugo;
    let mut paired = false;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}")? + at + 2;
        let action = rest[at + 2..end - 2].trim_matches('-').trim();
        let (action, filter) = match action.split_once('|') {
            Some((a, f)) => (a.trim(), Some(f.trim())),
            None => (action, None),
        };
        let filter = match filter {
            None => "",
            Some("safeHTML") => " | safe",
            // Tribune gives a shortcode's body rendered already.
            Some("markdownify") if action.starts_with(".Inner") => "",
            Some(_) => return None,
        };
        let value = if action == ".Inner" || action == ".Inner.Content" {
            paired = true;
            "body | safe".to_string()
        } else if let Some(arg) = action.strip_prefix(".Get ") {
            let arg = arg.trim();
            if let Some(name) = arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    || !name.starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    return None;
                }
                format!("attrs.{name} | default(value=\"\"){filter}")
            } else if let Ok(i) = arg.parse::<usize>() {
                format!("attrs.arg{i} | default(value=\"\"){filter}")
            } else {
                return None;
            }
        } else {
            return None;
        };
        out.push_str(&format!("{{{{ {value} }}}}"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    if out.contains("{%") {
        return None;
    }
    Some((out, paired))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, own: &BTreeMap<String, Own>) -> (String, Vec<(&'static str, String)>) {
        let doc = Doc {
            source: "content/post/a.md".into(),
            body_line: 5,
            ..Doc::default()
        };
        let mut links = Links::default();
        links
            .by_source
            .insert("content/post/b.md".into(), "/posts/b/".into());
        let params: toml::Table = toml::from_str("author = \"Ann\"").unwrap();
        let cx = Context {
            doc: &doc,
            links: &links,
            params: &params,
            page: &toml::Table::new(),
            own,
        };
        let mut warnings = Vec::new();
        (convert(text, &cx, &mut warnings), warnings)
    }

    #[test]
    fn converts_the_built_in_shortcodes() {
        let own = BTreeMap::new();
        let (md, _) = run(
            "{{< figure src=\"/a.jpg\" alt=\"A\" caption=\"The caption\" >}}\n{{< youtube w7Ft2ymGmfc >}}\n[b]({{< ref \"post/b.md\" >}}) by {{< param author >}}\n{{< highlight go \"linenos=table\" >}}\nfmt.Println(\"{{<\")\n{{< /highlight >}}\nShow {{</* gist u 1 */>}}\n{{< details summary=\"More\" >}}\nHidden *text*\n{{< /details >}}",
            &own,
        );
        assert!(
            md.contains("[caption]![A](/a.jpg) The caption[/caption]"),
            "{md}"
        );
        assert!(md.contains("[embed]https://www.youtube.com/watch?v=w7Ft2ymGmfc[/embed]"));
        assert!(md.contains("[b](/posts/b/) by Ann"), "{md}");
        assert!(md.contains("```go\nfmt.Println(\"{{<\")\n```"), "{md}");
        assert!(md.contains("Show {{< gist u 1 >}}"), "{md}");
        assert!(md.contains("<details><summary>More</summary>\n\nHidden *text*\n\n</details>"));
    }

    #[test]
    fn own_shortcodes_are_carried_over_or_named() {
        let own = BTreeMap::from([
            ("note".to_string(), Own::Simple { paired: true }),
            ("chart".to_string(), Own::Complex),
        ]);
        let (md, warnings) = run(
            "{{% note kind=\"tip\" %}}Read *this*{{% /note %}}\n\nx\n{{< chart 1 >}}",
            &own,
        );
        assert!(md.contains("[note kind=\"tip\"]Read *this*[/note]"), "{md}");
        assert!(md.contains("{{< chart 1 >}}"));
        assert_eq!(warnings[0].1, "content/post/a.md:8: {{< chart 1 >}}");
        assert_eq!(template("{{ .Get \"a\" | markdownify }}"), None);
        assert_eq!(
            template("<div class=\"{{ .Get \"kind\" }}\">{{ .Inner | markdownify }}</div>"),
            Some((
                "<div class=\"{{ attrs.kind | default(value=\"\") }}\">{{ body | safe }}</div>"
                    .to_string(),
                true
            ))
        );
        assert_eq!(template("{{ with .Get 0 }}{{ . }}{{ end }}"), None);
    }
}
