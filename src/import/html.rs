//! WordPress post HTML (the classic editor's, with its implied paragraphs, and the block
//! editor's, with its `<!-- wp:… -->` comments) into clean Markdown, keeping shortcodes as
//! shortcodes.

use std::sync::OnceLock;

use crate::import::shortcodes;
use crate::import::text::{decode_entities, strip_tags};

/// Tokens that stand for what the HTML-to-Markdown pass must not touch; letters only, so
/// nothing in them is escaped.
const TOKEN: &str = "QTRIBUNEKEEP";

/// Block-level tags around which the classic editor implies paragraph breaks.
const BLOCKS: [&str; 16] = [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "div",
    "figure",
    "hr",
    "p",
    "li",
];

/// The HTML-to-Markdown converter, set up once: dashes for lists, fenced code, no scripts.
fn converter() -> &'static htmd::HtmlToMarkdown {
    static CONVERTER: OnceLock<htmd::HtmlToMarkdown> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        htmd::HtmlToMarkdown::builder()
            .options(htmd::options::Options {
                bullet_list_marker: htmd::options::BulletListMarker::Dash,
                ul_bullet_spacing: 1,
                ol_number_spacing: 1,
                hr_style: htmd::options::HrStyle::Dashes,
                br_style: htmd::options::BrStyle::Backslash,
                ..Default::default()
            })
            .skip_tags(vec!["script", "style", "iframe", "object", "embed", "form"])
            .build()
    })
}

/// A post's or comment's HTML as Markdown.
pub(crate) fn to_markdown(html: &str) -> String {
    convert(html, &Context::default(), &mut Vec::new())
}

/// A reader's comment's HTML as Markdown: WordPress runs no shortcode in comments, so every
/// bracket stays the text it was, and a video address is a link, not a player.
pub(crate) fn comment_markdown(html: &str) -> String {
    let context = Context {
        comment: true,
        ..Context::default()
    };
    convert(html, &context, &mut Vec::new())
}

/// What converting a post's HTML needs from the rest of the export.
#[derive(Default)]
pub(crate) struct Context<'a> {
    /// A reader's comment, where WordPress runs no shortcode.
    pub(crate) comment: bool,
    /// Every `#fragment` some link of the export points to: the elements with those ids keep
    /// them.
    pub(crate) fragments: Option<&'a std::collections::HashSet<String>>,
    /// The post's block-editor footnotes (its `footnotes` meta, JSON), which its text only
    /// refers to.
    pub(crate) footnotes: Option<&'a str>,
}

/// A post's HTML as Markdown; `notes` gets what a person should look at (a contact form that
/// a static site cannot keep).
pub(crate) fn convert(html: &str, context: &Context<'_>, notes: &mut Vec<String>) -> String {
    let mut kept: Vec<String> = Vec::new();
    let (html, footnotes) = block_footnotes(html, context.footnotes, &mut kept);

    // A link to `http://` alone leads nowhere: its words stay.
    let html = &html
        .replace("href=\"http://\"", "")
        .replace("href=\"https://\"", "");
    let html = &match context.comment {
        true => html.to_string(),
        false => code_and_forms(html, &mut kept, notes),
    };
    let html = &pre_blocks(html, &mut kept);
    let html = &without_local_images(html, notes);
    let html = &anchors(html, context.fragments, &mut kept);
    let block_editor = html.contains("<!-- wp:");
    let mut text = if block_editor {
        blocks(html, &mut kept)
    } else {
        html.replace("<!--more-->", &keep(&mut kept, "<!-- more -->".into()))
    };
    if !block_editor {
        text = autop(&code_blocks(&text));
    }
    text = media_elements(&text, &mut kept);
    if !context.comment {
        text = bare_urls(&text, &mut kept);
    }
    text = protect_shortcodes(&text, context.comment, &mut kept);
    // Markup nested deeper than any editor writes would exhaust the converter's stack: such
    // a text keeps its words only.
    let markdown = if nesting(&text) > MAX_NESTING {
        strip_tags(&text)
    } else {
        converter().convert(&text).unwrap_or_else(|_| text.clone())
    };
    let markdown = restore(&markdown, &kept);
    let markdown = outline(&escape_broken_lines(markdown.trim()));
    shortcodes::accepted(markdown + "\n" + &footnotes)
}

/// Headings renumbered into an outline under the page's title: WordPress themes let a post
/// start at `<h3>` or jump from `<h2>` to `<h5>`, which skips levels for screen readers and the
/// HTML checker. A heading is at most one level below the one before it, and the first is a
/// level 2 (the title is the page's level 1).
fn outline(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut previous = 1usize;
    let mut fence: Option<&str> = None;
    for (i, line) in markdown.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        match fence {
            Some(f) if trimmed.starts_with(f) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => {
                fence = Some(&trimmed[..3]);
            }
            None => {
                // A heading may sit in a quote (`> ### …`).
                let quoted = line.len() - line.trim_start_matches(['>', ' ']).len();
                let (prefix, heading) = line.split_at(quoted);
                let level = heading.bytes().take_while(|&b| b == b'#').count();
                if (1..=6).contains(&level) && heading[level..].starts_with(' ') {
                    let wanted = level.clamp(2, previous + 1);
                    previous = wanted;
                    out.push_str(prefix);
                    out.push_str(&"#".repeat(wanted));
                    out.push_str(&heading[level..]);
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    out
}

/// A line after a hard line break that would start a list, quote or heading (`+ le CM…`) is
/// text: its marker is escaped.
fn escape_broken_lines(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut after_break = false;
    for line in markdown.split('\n') {
        if !out.is_empty() {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let marker = trimmed.starts_with(['+', '-', '*', '>', '#'])
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if after_break && marker {
            out.push('\\');
            out.push_str(trimmed);
        } else if after_break {
            out.push_str(trimmed);
        } else {
            out.push_str(line);
        }
        after_break = line.ends_with('\\');
    }
    out
}

/// The deepest nesting of elements a text may have to be converted as HTML.
const MAX_NESTING: usize = 256;

/// How deep the elements of `html` nest, roughly: opening tags less closing ones.
fn nesting(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let bytes = html.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'<' {
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let end = html[i..].find('>').map_or(html.len(), |e| i + e);
                if !html[i..end].ends_with('/') {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

/// Stores `what` and returns the token standing for it.
fn keep(kept: &mut Vec<String>, what: String) -> String {
    kept.push(what);
    format!("{TOKEN}{}X", kept.len() - 1)
}

/// `text` with each token replaced by what it stands for.
fn restore(text: &str, kept: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(TOKEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + TOKEN.len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        match (
            after[..digits].parse::<usize>(),
            after[digits..].starts_with('X'),
        ) {
            (Ok(n), true) if n < kept.len() => {
                out.push_str(&kept[n]);
                rest = &after[digits + 1..];
            }
            _ => {
                out.push_str(TOKEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The block editor's markup: pull quotes and embeds become shortcodes, `<!--more-->` the
/// summary mark, a reusable block's reference stays as a comment, other block comments go.
fn blocks(html: &str, kept: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find("-->").map(|e| at + e + 3) else {
            out.push_str(&rest[at..]);
            return out;
        };
        let comment = &rest[at..end];
        let inner = comment[4..comment.len() - 3].trim();
        rest = &rest[end..];
        if inner == "more" {
            out.push_str(&keep(kept, "\n\n<!-- more -->\n\n".into()));
        } else if inner.starts_with("wp:pullquote") {
            let close = rest.find("<!-- /wp:pullquote -->").unwrap_or(rest.len());
            out.push_str(&pullquote(&rest[..close]));
            rest = rest[close..]
                .strip_prefix("<!-- /wp:pullquote -->")
                .unwrap_or("");
        } else if inner.starts_with("wp:embed") || inner.starts_with("wp:core-embed") {
            let close = rest.find("<!-- /wp:").unwrap_or(rest.len());
            let block = &rest[..close];
            let caption = element_text(block, "figcaption");
            // The URL is the block's attribute; the wrapper's text would glue the caption on.
            let url = block_attributes(inner)
                .and_then(|a| a.get("url").and_then(|u| u.as_str()).map(str::to_string))
                .or_else(|| element_text(block, "div"))
                .unwrap_or_else(|| strip_tags(block))
                .trim()
                .to_string();
            if url.starts_with("http://") || url.starts_with("https://") {
                let shortcode = keep(kept, format!("[embed]{url}[/embed]"));
                out.push_str(&format!("\n\n<p>{shortcode}</p>\n\n"));
            }
            if let Some(caption) = caption.filter(|c| !c.trim().is_empty()) {
                out.push_str(&format!("\n\n<p>{}</p>\n\n", caption.trim()));
            }
            rest = &rest[close..];
        } else if inner.starts_with("wp:image") {
            let close = rest.find("<!-- /wp:image -->").unwrap_or(rest.len());
            out.push_str(&figure(&rest[..close], kept));
            rest = &rest[close..];
        } else if inner.starts_with("wp:block ") {
            out.push_str(&keep(kept, format!("\n\n{comment}\n\n")));
        }
    }
    out.push_str(rest);
    out
}

/// An image block with a caption as a `[caption]` shortcode, as the classic editor wrote it;
/// without a caption, the image alone.
fn figure(html: &str, kept: &mut Vec<String>) -> String {
    let img = html
        .find("<img")
        .and_then(|at| html[at..].find('>').map(|e| &html[at..=at + e]));
    let Some(img) = img else {
        return html.to_string();
    };
    let caption = html.find("<figcaption").and_then(|at| {
        let start = at + html[at..].find('>')? + 1;
        let end = start + html[start..].find("</figcaption>")?;
        Some(html[start..end].trim())
    });
    match caption.filter(|c| !c.is_empty()) {
        Some(caption) => format!(
            "\n\n<p>{}{img} {caption}{}</p>\n\n",
            keep(kept, "[caption]".into()),
            keep(kept, "[/caption]".into())
        ),
        None => format!("\n\n<p>{img}</p>\n\n"),
    }
}

/// A pull quote block as a `[pullquote]` shortcode, its citation as `cite`.
fn pullquote(html: &str) -> String {
    let (quote, cite) = match html.find("<cite>") {
        Some(at) => {
            let end = html[at..].find("</cite>").map_or(html.len(), |e| at + e);
            (&html[..at], strip_tags(&html[at + 6..end]))
        }
        None => (html, String::new()),
    };
    let text = decode_entities(strip_tags(quote).trim());
    // Attributes are read with their entities decoded: a quote in the name stays a quote.
    let cite = decode_entities(cite.trim()).replace('"', "&quot;");
    if cite.is_empty() {
        format!("\n\n<p>[pullquote]{text}[/pullquote]</p>\n\n")
    } else {
        format!("\n\n<p>[pullquote cite=\"{cite}\"]{text}[/pullquote]</p>\n\n")
    }
}

/// The JSON attributes of a block comment (`wp:embed {"url":"…"}`).
fn block_attributes(comment: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let json = &comment[comment.find('{')?..=comment.rfind('}')?];
    serde_json::from_str(json).ok()
}

/// The inner HTML of the first `<name>` element of `html`.
fn element_text(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("<{name}"))?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find(&format!("</{name}>"))?;
    Some(html[start..end].to_string())
}

/// The value of attribute `name` in the start tag `tag`, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|a| from + a) {
        from = at + name.len();
        let before_ok = lower[..at].ends_with([' ', '\t', '\n']);
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = tag[tag.len() - after.len() + 1..].trim_start();
        let (quote, body) = match value.chars().next()? {
            q @ ('"' | '\'') => (Some(q), &value[1..]),
            _ => (None, value),
        };
        let end = match quote {
            Some(q) => body.find(q)?,
            None => body.find([' ', '>', '\t', '\n']).unwrap_or(body.len()),
        };
        return Some(decode_entities(&body[..end]));
    }
    None
}

/// `<audio>` and `<video>` elements (the block editor's players, or raw HTML) as the theme's
/// `[audio]` and `[video]` shortcodes, which the Markdown conversion would otherwise drop
/// along with the player.
fn media_elements(html: &str, kept: &mut Vec<String>) -> String {
    if !html.contains("<audio") && !html.contains("<video") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = ["<audio", "<video"]
            .iter()
            .filter_map(|t| rest.find(t).map(|at| (at, &t[1..])))
            .min();
        let Some((at, name)) = next else { break };
        let close = format!("</{name}>");
        let Some(end) = rest[at..].find(&close).map(|e| at + e + close.len()) else {
            break;
        };
        out.push_str(&rest[..at]);
        let element = &rest[at..end];
        let start_tag = &element[..element.find('>').unwrap_or(element.len())];
        let src = attribute(start_tag, "src").or_else(|| {
            element
                .find("<source")
                .and_then(|s| attribute(&element[s..], "src"))
        });
        if let Some(src) = src.filter(|s| !s.trim().is_empty()) {
            let mut tag = format!("[{name} src=\"{}\"", src.trim().replace('"', "%22"));
            if let Some(poster) = attribute(start_tag, "poster") {
                tag.push_str(&format!(" poster=\"{}\"", poster.replace('"', "%22")));
            }
            tag.push(']');
            out.push_str(&format!("\n\n<p>{}</p>\n\n", keep(kept, tag)));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `<code>` elements that hold several lines, outside `<pre>`, as preformatted blocks: the
/// classic editor's code listings, which would otherwise lose their line ends to paragraphs.
fn code_blocks(html: &str) -> String {
    if !html.contains("<code") {
        return html.to_string();
    }
    let pre: Vec<_> = code_ranges(html)
        .into_iter()
        .filter(|r| html[r.start..].starts_with("<pre"))
        .collect();
    let mut out = String::with_capacity(html.len() + 32);
    let mut at = 0;
    while let Some(start) = html[at..].find("<code").map(|s| at + s) {
        let Some(end) = html[start..].find("</code>").map(|e| start + e + 7) else {
            break;
        };
        out.push_str(&html[at..start]);
        let element = &html[start..end];
        if element.contains('\n') && !pre.iter().any(|r| r.contains(&start)) {
            out.push_str("<pre>");
            out.push_str(element);
            out.push_str("</pre>");
        } else {
            out.push_str(element);
        }
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// The classic editor's implied paragraphs (WordPress's `wpautop`): blank lines separate
/// paragraphs, a single line end is a line break, and block tags stand apart.
fn autop(html: &str) -> String {
    let mut spaced = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        spaced.push_str(&rest[..at]);
        let tag = &rest[at..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let name = tag[1..]
            .trim_start_matches('/')
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let block = BLOCKS.contains(&name.as_str()) && name != "li";
        if block && !tag.starts_with("</") {
            spaced.push_str("\n\n");
        }
        spaced.push_str(&tag[..end]);
        if block && (tag.starts_with("</") || name == "hr") {
            spaced.push_str("\n\n");
        }
        rest = &tag[end..];
    }
    spaced.push_str(rest);
    let mut out = String::with_capacity(spaced.len() + 64);
    let mut depth = 0usize;
    for chunk in spaced.split("\n\n") {
        let chunk = chunk.trim_matches(['\n', ' ', '\t']);
        if chunk.is_empty() {
            continue;
        }
        let starts_block = chunk.starts_with('<') && {
            let name = chunk[1..]
                .trim_start_matches('/')
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            BLOCKS.contains(&name.as_str())
        };
        // Inside a list, a quote or a preformatted block, the text belongs to it.
        if starts_block || depth > 0 {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br>\n"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
        for open in ["<ul", "<ol", "<pre", "<blockquote", "<table"] {
            depth += chunk.matches(open).count();
        }
        for close in ["</ul>", "</ol>", "</pre>", "</blockquote>", "</table>"] {
            depth = depth.saturating_sub(chunk.matches(close).count());
        }
    }
    out
}

/// A paragraph that is nothing but a video or audio address (WordPress embeds those) as an
/// `[embed]` shortcode.
fn bare_urls(html: &str, kept: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(html.len());
    for (i, para) in html.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        let inner = para
            .trim()
            .strip_prefix("<p>")
            .and_then(|p| p.strip_suffix("</p>"))
            .unwrap_or(para.trim());
        if is_embeddable(inner) {
            let shortcode = format!("[embed]{inner}[/embed]");
            out.push_str(&format!("<p>{}</p>", keep(kept, shortcode)));
        } else {
            out.push_str(para);
        }
    }
    out
}

/// Whether `text` is one address WordPress would embed.
pub(crate) fn is_embeddable(text: &str) -> bool {
    /// Sites whose addresses WordPress embeds when alone on a line.
    const HOSTS: [&str; 9] = [
        "youtube.com/",
        "youtu.be/",
        "vimeo.com/",
        "dailymotion.com/",
        "soundcloud.com/",
        "spotify.com/",
        "ted.com/",
        "flickr.com/",
        "peertube",
    ];
    let text = text.trim();
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
        && !text.contains(['<', '"'])
        && HOSTS.iter().any(|h| text.contains(h))
}

/// Byte ranges of `<pre>` and `<code>` elements, where brackets are code, never shortcodes.
fn code_ranges(html: &str) -> Vec<std::ops::Range<usize>> {
    let lower = html.to_ascii_lowercase();
    let mut ranges = Vec::new();
    for (open, close) in [("<pre", "</pre>"), ("<code", "</code>")] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(open).map(|a| from + a) {
            let next = lower.as_bytes().get(at + open.len());
            if !matches!(next, Some(b'>' | b' ' | b'\t' | b'\n')) {
                from = at + open.len();
                continue;
            }
            let end = lower[at..]
                .find(close)
                .map_or(html.len(), |e| at + e + close.len());
            ranges.push(at..end);
            from = end;
        }
    }
    ranges
}

/// Code shortcodes (`[sourcecode language="r"]…[/sourcecode]`) as fenced code, and contact
/// forms as a note, before anything reads the HTML around them: code keeps its lines and
/// characters as written. `notes` gets what a person should look at.
fn code_and_forms(html: &str, kept: &mut Vec<String>, notes: &mut Vec<String>) -> String {
    if !html.contains('[') {
        return html.to_string();
    }
    let code = code_ranges(html);
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = html[at..].find('[').map(|f| at + f) {
        out.push_str(&html[at..found]);
        at = found + 1;
        let Some(tag) = shortcodes::read(&html[found..]).filter(|t| !t.closing) else {
            out.push('[');
            continue;
        };
        let body_start = found + tag.len;
        let is_form = tag.name == "contact-form";
        if !(is_form || shortcodes::is_code(&tag.name)) {
            out.push('[');
            continue;
        }
        let close = format!("[/{}]", tag.name);
        let Some(end) = find_ignoring_case(&html[body_start..], &close).map(|e| body_start + e)
        else {
            out.push('[');
            continue;
        };
        if is_form {
            notes.push(
                "a contact form: a static site has no form handler; a note stands in its place"
                    .to_string(),
            );
            out.push_str(&keep(
                kept,
                "\n\n*A contact form stood here. This site is static: write to the author instead.*\n\n"
                    .to_string(),
            ));
        } else if code.iter().any(|r| r.contains(&found)) {
            // Already in a preformatted block: the code stays there, without its tags.
            out.push_str(&html[body_start..end]);
        } else {
            let text = html[body_start..end]
                .replace("<br />", "")
                .replace("<br/>", "")
                .replace("<br>", "");
            let text = decode_entities(&text);
            let language = shortcodes::code_language(&tag);
            out.push_str(&keep(kept, shortcodes::fenced(&text, &language)));
        }
        at = end + close.len();
    }
    out.push_str(&html[at..]);
    out
}

/// The targets of the text's own `#fragment` links (footnotes, tables of contents) kept as
/// anchors: the conversion to Markdown drops `id` and `name` attributes, and the links would
/// lead nowhere. Each becomes an empty `<span id>` at the start of its element.
fn anchors(
    html: &str,
    fragments: Option<&std::collections::HashSet<String>>,
    kept: &mut Vec<String>,
) -> String {
    let own = link_fragments(html);
    let ids = element_ids(html);
    if own.is_empty() && fragments.is_none_or(|f| !ids.iter().any(|id| f.contains(id))) {
        return html.to_string();
    }
    let mut targets: std::collections::HashSet<String> = ids
        .iter()
        .filter(|id| own.contains(*id) || fragments.is_some_and(|f| f.contains(*id)))
        .cloned()
        .collect();
    // A link to an anchor the page never had (`#1`, or one a plugin made as it showed the
    // page) leads nowhere: its words stay, without the link.
    let dangling: std::collections::HashSet<&String> =
        own.iter().filter(|f| !ids.contains(*f)).collect();
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let Some(end) = rest[at..].find('>').map(|e| at + e + 1) else {
            break;
        };
        let tag = &rest[at..end];
        let href = (tag.starts_with("<a ") || tag.starts_with("<A "))
            .then(|| attribute(tag, "href"))
            .flatten();
        if let Some(fragment) = href.as_deref().and_then(|h| h.strip_prefix('#'))
            && dangling.contains(&fragment.to_string())
        {
            out.push_str(&rest[..at]);
            out.push_str("<a>");
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
        if tag.starts_with("</") || tag.starts_with("<!") {
            continue;
        }
        let id = attribute(tag, "id").or_else(|| attribute(tag, "name"));
        let Some(id) = id.filter(|id| targets.remove(id.as_str())) else {
            continue;
        };
        let safe: String = id
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '<' | '>' | '&' | '{' | '}'))
            .collect();
        // A heading takes the id as its own (`## Title {#id}`): the build would otherwise give
        // it one made from its words, which may be the same.
        let heading = tag.len() > 3
            && matches!(tag.as_bytes()[1], b'h' | b'H')
            && (b'1'..=b'6').contains(&tag.as_bytes()[2]);
        let close = format!("</{}>", &tag[1..3]).to_ascii_lowercase();
        // Searched in place: lower-casing the rest of the text for each heading would cost its
        // length every time.
        match find_ignoring_case(rest, &close).filter(|_| heading) {
            Some(end) if !rest[..end].contains("<h") => {
                out.push_str(&rest[..end]);
                out.push_str(&keep(kept, format!(" {{#{safe}}}")));
                rest = &rest[end..];
            }
            _ => out.push_str(&keep(kept, format!("<span id=\"{safe}\"></span>"))),
        }
    }
    out.push_str(rest);
    out
}

/// The `#fragment`s of the text's own same-page links.
fn link_fragments(html: &str) -> std::collections::HashSet<String> {
    let mut found = std::collections::HashSet::new();
    for quote in ['"', '\''] {
        let open = format!("href={quote}#");
        let mut from = 0;
        while let Some(at) = html[from..].find(&open).map(|a| from + a + open.len()) {
            let end = html[at..].find(quote).map_or(html.len(), |e| at + e);
            found.insert(decode_entities(&html[at..end]));
            from = end;
        }
    }
    found
}

/// The `id` and `name` values of the text's elements: where a link may lead.
pub(crate) fn element_ids(html: &str) -> std::collections::HashSet<String> {
    let mut ids = std::collections::HashSet::new();
    for key in [" id=", " name="] {
        let mut from = 0;
        while let Some(at) = html[from..].find(key).map(|a| from + a) {
            from = at + key.len();
            let (Some(start), before) = (html[..at].rfind('<'), html[..at].rfind('>')) else {
                continue;
            };
            if before > Some(start) {
                continue;
            }
            // The tag alone: reading the rest of the text for each id would cost its length.
            let end = html[at..].find('>').map_or(html.len(), |e| at + e);
            let name = key.trim_start().trim_end_matches('=');
            if let Some(value) = attribute(&html[start..end], name) {
                ids.insert(value);
            }
        }
    }
    ids
}

/// Every `#fragment` a link of `html` points to, on its page or another.
pub(crate) fn fragments_of(html: &str, into: &mut std::collections::HashSet<String>) {
    for quote in ['"', '\''] {
        let open = format!("href={quote}");
        let mut from = 0;
        while let Some(at) = html[from..].find(&open).map(|a| from + a + open.len()) {
            let end = html[at..].find(quote).map_or(html.len(), |e| at + e);
            if let Some((_, fragment)) = html[at..end].split_once('#') {
                into.insert(decode_entities(fragment));
            }
            from = end;
        }
    }
}

/// The block editor's footnotes: each reference (`<sup data-fn="…" class="fn">`) as a Markdown
/// footnote reference, and the notes, kept in the post's meta rather than its text, as
/// Markdown footnotes to go after the text.
fn block_footnotes(html: &str, meta: Option<&str>, kept: &mut Vec<String>) -> (String, String) {
    #[derive(serde::Deserialize)]
    struct Note {
        id: String,
        content: String,
    }
    let notes: Vec<Note> = meta
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    if notes.is_empty() || !html.contains("data-fn=") {
        return (html.to_string(), String::new());
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut used = Vec::new();
    while let Some(at) = rest.find("<sup") {
        let Some(end) = rest[at..].find("</sup>").map(|e| at + e + 6) else {
            break;
        };
        out.push_str(&rest[..at]);
        let element = &rest[at..end];
        let start_tag = &element[..element.find('>').unwrap_or(element.len())];
        match attribute(start_tag, "data-fn").and_then(|id| notes.iter().position(|n| n.id == id)) {
            Some(n) => {
                out.push_str(&keep(kept, format!("[^{}]", n + 1)));
                used.push(n);
            }
            None => out.push_str(element),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    let out = out.replace("<!-- wp:footnotes /-->", "");
    let mut definitions = String::new();
    used.sort_unstable();
    used.dedup();
    for n in used {
        let text = to_markdown(&notes[n].content);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        definitions.push_str(&format!("\n[^{}]: {text}\n", n + 1));
    }
    (out, definitions)
}

/// Whether attribute `key` of `[audio]` or `[video]` names the file it plays.
fn is_media_source(key: &str) -> bool {
    matches!(
        key,
        "src" | "mp3" | "m4a" | "ogg" | "wav" | "wma" | "mp4" | "m4v" | "webm" | "ogv" | "flv"
    )
}

/// Preformatted blocks as fenced code, read here rather than by the Markdown conversion, which
/// turns a `<pre>` holding other elements into running text and its escaped `&lt;SP&gt;` into
/// tags. The language comes from the syntax-highlighting plugins' markup (WP-Syntax's
/// `<pre lang="python">`, SyntaxHighlighter's `<pre class="brush: php">`) or a
/// `language-…` class; such plugins keep the code raw, so `<tr>` in it is code, not a table.
fn pre_blocks(html: &str, kept: &mut Vec<String>) -> String {
    if !html.contains("<pre") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<pre") {
        let Some(open_end) = rest[at..].find('>').map(|e| at + e + 1) else {
            break;
        };
        let tag = &rest[at..open_end];
        let close = rest[open_end..].find("</pre>").map(|e| open_end + e);
        let (true, Some(close)) = (matches!(tag.as_bytes().get(4), Some(b'>' | b' ')), close)
        else {
            out.push_str(&rest[..open_end]);
            rest = &rest[open_end..];
            continue;
        };
        out.push_str(&rest[..at]);
        let inner = &rest[open_end..close];
        let raw_plugin = attribute(tag, "lang").is_some()
            || attribute(tag, "class").is_some_and(|c| c.contains("brush:"));
        let language = attribute(tag, "lang")
            .or_else(|| {
                let class = attribute(tag, "class")?;
                let brush = class.split_once("brush:")?.1.trim_start();
                Some(brush.split([';', ' ']).next().unwrap_or("").to_string())
            })
            .or_else(|| {
                let code = &inner[inner.find("<code")?..];
                let class = attribute(&code[..code.find('>')?], "class")?;
                class.split_whitespace().find_map(|c| {
                    c.strip_prefix("language-")
                        .or_else(|| c.strip_prefix("lang-"))
                        .map(str::to_string)
                })
            })
            .unwrap_or_default();
        // A plugin's listing is the code as typed; any other is HTML whose tags are markup.
        let text = if raw_plugin {
            inner.to_string()
        } else {
            strip_tags(&inner.replace("<br>", "\n").replace("<br />", "\n"))
        };
        let code = decode_entities(&text);
        let tag = shortcodes::Tag {
            name: "code".to_string(),
            named: vec![("lang".to_string(), language)],
            positional: Vec::new(),
            closing: false,
            self_closing: false,
            len: 0,
        };
        let language = shortcodes::code_language(&tag);
        out.push_str(&keep(kept, shortcodes::fenced(&code, &language)));
        rest = &rest[close + 6..];
    }
    out.push_str(rest);
    out
}

/// `html` without the images that pointed to a file on the author's own computer
/// (`<img src="file:///C:/…">`, pasted from a desktop editor): no reader ever saw them. Each is
/// named in `notes`.
fn without_local_images(html: &str, notes: &mut Vec<String>) -> String {
    if !html.contains("file:") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let src = attribute(&rest[at..end], "src").unwrap_or_default();
        out.push_str(&rest[..at]);
        if src.trim_start().to_ascii_lowercase().starts_with("file:") {
            notes.push(format!(
                "an image on the author's computer ({src}), which no reader saw: left out"
            ));
        } else {
            out.push_str(&rest[at..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where `needle` (ASCII) first occurs in `haystack`, whatever the case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Replaces every shortcode tag (`[name …]`, `[/name]`) by a token, so the conversion neither
/// escapes its brackets nor its quotes (all of them escaped text when `literal`): those the theme renders written as the build reads
/// them, those of video and map services as link cards, any other bracket escaped, so it
/// reads as WordPress showed it. A paired shortcode left open, or a closing tag with no
/// opening one, is text too: WordPress shows those as written.
fn protect_shortcodes(html: &str, literal: bool, kept: &mut Vec<String>) -> String {
    use shortcodes::Treatment;
    let code = code_ranges(html);
    let mut out = String::with_capacity(html.len());
    // (index in `kept`, name, wraps a body, is closing, the escaped text to fall back on)
    let mut paired: Vec<(usize, String, bool, String)> = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find('[').map(|f| at + f) {
        if let Some(r) = code.iter().find(|r| r.contains(&found)) {
            out.push_str(&html[at..r.end]);
            at = r.end;
            continue;
        }
        out.push_str(&html[at..found]);
        at = found + 1;
        let Some(tag) = shortcodes::read(&html[found..]) else {
            out.push('[');
            continue;
        };
        let len = tag.len;
        let original = &html[found..found + len];
        let escaped = format!("\\{}", original.replace('<', "&lt;"));
        // `[gallery](…)` is someone's Markdown, written where Markdown was not read: text.
        let link_text = !tag.closing
            && tag.named.is_empty()
            && tag.positional.is_empty()
            && html[found + tag.len..].starts_with(['(', '[']);
        let treatment = if link_text || literal {
            Treatment::Text
        } else {
            shortcodes::treatment(&tag)
        };
        let replacement = match treatment {
            Treatment::Keep(true) => {
                paired.push((kept.len(), tag.name.clone(), tag.closing, escaped));
                tag.written()
            }
            Treatment::Keep(false) => {
                // `[audio https://…/a.mp3]`: WordPress's players take their file by position too.
                let mut tag = tag;
                if matches!(tag.name.as_str(), "audio" | "video")
                    && !tag.named.iter().any(|(k, _)| is_media_source(k))
                    && let Some(src) = tag.positional.first().cloned()
                {
                    tag.named.push(("src".to_string(), src));
                }
                tag.written()
            }
            Treatment::Drop => String::new(),
            Treatment::Embed(url) => format!("[embed]{url}[/embed]"),
            Treatment::Text => escaped,
        };
        out.push_str(&keep(kept, replacement));
        at = found + len;
    }
    out.push_str(&html[at..]);
    // What the build cannot pair is text.
    let mut open: Vec<usize> = Vec::new();
    let mut unpaired: Vec<usize> = Vec::new();
    for (i, (_, name, closing, _)) in paired.iter().enumerate() {
        if !closing {
            open.push(i);
            continue;
        }
        match open.iter().rposition(|&o| paired[o].1 == *name) {
            Some(pos) => unpaired.extend(open.drain(pos..).skip(1)),
            None => unpaired.push(i),
        }
    }
    unpaired.extend(open);
    for i in unpaired {
        let (index, _, _, escaped) = &paired[i];
        kept[*index] = escaped.clone();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_paragraphs_and_blocks() {
        let md = to_markdown(
            "One &amp; two\nline\n\nThree <strong>bold</strong>\n<h2>Title</h2>\nAfter\n<ul>\n\t<li>a</li>\n\t<li>b</li>\n</ul>",
        );
        assert!(md.contains("One & two\\\nline\n\nThree **bold**"), "{md}");
        assert!(md.contains("## Title\n\nAfter\n\n- a\n- b"), "{md}");
    }

    #[test]
    fn keeps_shortcodes_and_more() {
        let md = to_markdown(
            "[caption id=\"attachment_1\" width=\"640\"]<img src=\"a.jpg\" alt=\"A_b\" /> Caption[/caption]\n\n<!--more-->\n\nText [pullquote]Said[/pullquote] end",
        );
        assert!(
            md.contains(
                "[caption id=\"attachment_1\" width=\"640\"]![A_b](a.jpg) Caption[/caption]"
            ),
            "{md}"
        );
        assert!(md.contains("<!-- more -->"), "{md}");
        assert!(md.contains("Text [pullquote]Said[/pullquote] end"), "{md}");
    }

    #[test]
    fn bare_video_lines_become_embeds() {
        let md = to_markdown("Look:\n\nhttps://www.youtube.com/watch?v=Y_Y\n\nEnd");
        assert!(
            md.contains("\n[embed]https://www.youtube.com/watch?v=Y_Y[/embed]\n"),
            "{md}"
        );
    }

    #[test]
    fn block_editor_pullquote_code_and_reusable_block() {
        let html = "<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:pullquote -->\n<figure class=\"wp-block-pullquote\"><blockquote><p>Big words.</p><cite>Claire</cite></blockquote></figure>\n<!-- /wp:pullquote -->\n\n<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>&lt;a>]]&gt;</code></pre>\n<!-- /wp:code -->\n\n<!-- wp:block {\"ref\":63} /-->";
        let md = to_markdown(html);
        assert!(
            md.contains("[pullquote cite=\"Claire\"]Big words.[/pullquote]"),
            "{md}"
        );
        assert!(md.contains("```\n<a>]]>\n```"), "{md}");
        assert!(md.contains("<!-- wp:block {\"ref\":63} /-->"), "{md}");
        assert!(!md.contains("wp:paragraph"), "{md}");
    }

    #[test]
    fn image_blocks_with_a_caption_are_captions_and_deep_markup_is_text() {
        let md = to_markdown(
            "<!-- wp:image {\"id\":13} -->\n<figure class=\"wp-block-image\"><img src=\"b.jpg\" alt=\"Board\"/><figcaption>Our board 📌</figcaption></figure>\n<!-- /wp:image -->",
        );
        assert!(
            md.contains("[caption]![Board](b.jpg) Our board 📌[/caption]"),
            "{md}"
        );
        let deep = format!("{}words{}", "<div>".repeat(5000), "</div>".repeat(5000));
        assert_eq!(to_markdown(&deep).trim(), "words");
    }

    #[test]
    fn scripts_are_dropped() {
        let md = to_markdown("Hi <script>alert(1)</script> there");
        assert!(!md.contains("alert"), "{md}");
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn headings_form_an_outline_under_the_title() {
        assert_eq!(
            outline("# A\n\n### B\n\n```\n# not\n```\n\n###### C\n\n## D"),
            "## A\n\n### B\n\n```\n# not\n```\n\n#### C\n\n## D"
        );
        assert_eq!(outline("#hashtag\n### x"), "#hashtag\n## x");
        assert_eq!(outline("> ### Quoted\n> text"), "> ## Quoted\n> text");
    }

    #[test]
    fn preformatted_text_is_code_whatever_it_holds() {
        let md = to_markdown(
            "<pre><strong><span style=\"color: red\">USER</span></strong> &lt;SP&gt; &lt;username&gt;\nPASS</pre>",
        );
        assert!(md.contains("```\nUSER <SP> <username>\nPASS\n```"), "{md}");
        let md = to_markdown("<pre><code class=\"language-rust\">fn main() {}</code></pre>");
        assert!(md.contains("```rust\nfn main() {}\n```"), "{md}");
    }

    #[test]
    fn plugin_listings_stay_code_and_headings_keep_their_ids() {
        let md = to_markdown(
            "<pre lang=\"python\">p = re.compile('<tr><td>(.*?)</td></tr>')\nx &lt; 1</pre>",
        );
        assert!(
            md.contains("```python\np = re.compile('<tr><td>(.*?)</td></tr>')\nx < 1\n```"),
            "{md}"
        );
        let md = to_markdown("<pre class=\"brush: php; gutter: false\">$a-&gt;b</pre>");
        assert!(md.contains("```php\n$a->b\n```"), "{md}");
        let md = to_markdown("<p><a href=\"#s\">go</a></p>\n<h2 id=\"s\">16:9</h2>\n<p>x</p>");
        assert!(md.contains("## 16:9 {#s}"), "{md}");
        let md = to_markdown("<a href=\"http://\">nothing</a>");
        assert_eq!(md.trim(), "nothing");
    }

    #[test]
    fn code_shortcodes_become_fenced_code() {
        let md = to_markdown(
            "text.</pre>\n<h4>INCORRECT</h4>\n[c]\n$j = 'foo'; // x\n[/c]\n<h4>CORRECT</h4>",
        );
        assert!(md.contains("```c\n$j = 'foo'; // x\n```"), "{md}");
        let md = to_markdown(
            "<h2>Solution</h2>\n[sourcecode language=\"diff\"]\n\n&lt;?php\n\n$a-&gt;b;\n[/sourcecode]\nafter",
        );
        assert!(md.contains("```diff\n<?php\n\n$a->b;\n```"), "{md}");
    }
}
