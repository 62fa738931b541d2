//! Markdown to HTML: heading ids, highlighted code, site-relative links, summary and word count.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd, html};

use crate::body::dialect::options;
use crate::body::{autolink, footnotes, highlight};
use crate::images::Format;
use crate::images::markup::Picture;
use crate::load::pictures::Pictures;
use crate::slug;

/// A body rendered to HTML, with what listings and feeds need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rendered {
    /// The whole body.
    pub(crate) html: String,
    /// Text before `<!-- more -->`, else the description, else the first paragraph.
    pub(crate) summary: String,
    /// Whether the body holds more than the summary.
    pub(crate) has_more: bool,
    /// Words in the text (code excluded).
    pub(crate) word_count: usize,
    /// Minutes to read, at least one.
    pub(crate) reading_time: usize,
    /// Plain text of the pull quotes: `[pullquote]` ones, then those of the front matter.
    pub(crate) pullquotes: Vec<String>,
}

/// The images of a body that are published at several widths.
pub(crate) struct BodyImages<'a> {
    /// The images, by URL as written.
    pub(crate) pictures: &'a Pictures,
    /// The configured widths.
    pub(crate) widths: &'a [u32],
    /// Whether the first image loads at once: it is the first of the page (no cover above it).
    pub(crate) eager_first: bool,
}

/// Renders `markdown`; root-relative links (`/posts/x/`) get the site's `base_path` in front.
/// Reading time is counted at the reading speed of `lang`. Code blocks are highlighted when
/// `highlight` is set, and plain otherwise. The body's own JPEG and PNG `images` become
/// responsive pictures.
pub(crate) fn render(
    markdown: &str,
    base_path: &str,
    description: Option<&str>,
    lang: &str,
    highlight: bool,
    images: Option<&BodyImages<'_>>,
) -> Rendered {
    // Prose makes about an event every few dozen bytes: room for them at once spares the
    // list being copied each time it doubles.
    let mut events = Vec::with_capacity(markdown.len() / 24 + 16);
    events.extend(Parser::new_ext(markdown, options()));
    let events = transform(events, base_path, highlight, lang, images);
    let events = footnotes::number(autolink::link_bare_urls(events), lang);

    // Code blocks are already single HTML events here, so only prose is counted.
    let mut word_count = 0;
    let mut more_at = None;
    let mut first_paragraph = None;
    let mut paragraph_start = None;
    // Elements open at each point, so that a summary cut inside a paragraph can be closed.
    let mut open: Vec<TagEnd> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Text(t) => word_count += t.split_whitespace().count(),
            Event::Html(h) | Event::InlineHtml(h) if more_at.is_none() && is_more(h) => {
                more_at = Some((i, open.clone()));
            }
            Event::Start(tag) => {
                if matches!(tag, Tag::Paragraph) && paragraph_start.is_none() {
                    paragraph_start = Some(i);
                }
                open.push(tag.to_end());
            }
            Event::End(end) => {
                if matches!(end, TagEnd::Paragraph) && first_paragraph.is_none() {
                    first_paragraph = paragraph_start.map(|s| (s, i + 1));
                }
                open.pop();
            }
            _ => {}
        }
    }

    let mut body = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut body, events.iter().cloned());
    let (summary, has_more) = match (more_at, description, first_paragraph) {
        (Some((i, open)), _, _) => {
            let mut cut = events[..i].to_vec();
            cut.extend(open.into_iter().rev().map(Event::End));
            (to_html(&cut), true)
        }
        (None, Some(d), _) => {
            let mut s = String::from("<p>");
            // The description stands in for the body: its apostrophes curl as the body's do.
            let d = crate::body::typography::typeset(d, false);
            pulldown_cmark_escape::escape_html_body_text(&mut s, &d)
                .expect("writing to a String cannot fail");
            s.push_str("</p>\n");
            (s, !events.is_empty())
        }
        (None, None, Some((start, end))) => (
            to_html(&events[start..end]),
            events[end..].iter().any(is_visible),
        ),
        (None, None, None) => (String::new(), !events.is_empty()),
    };
    Rendered {
        html: body,
        summary,
        has_more,
        word_count,
        reading_time: word_count
            .div_ceil(crate::locale::locale(lang).words_per_minute)
            .max(1),
        pullquotes: Vec::new(),
    }
}

/// Whether an HTML comment is the summary marker, `<!-- more -->` or `<!--more-->`.
fn is_more(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|c| c.strip_suffix("-->"))
        .is_some_and(|c| c.trim() == "more")
}

/// Renders events to HTML.
fn to_html(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    html::push_html(&mut s, events.iter().cloned());
    s
}

fn is_visible(event: &Event<'_>) -> bool {
    !matches!(event, Event::SoftBreak | Event::HardBreak)
        && !matches!(event, Event::Text(t) if t.trim().is_empty())
}

/// Gives headings unique ids, highlights code blocks and prefixes root-relative links.
fn transform<'a>(
    events: Vec<Event<'a>>,
    base_path: &str,
    highlight: bool,
    lang: &str,
    images: Option<&BodyImages<'_>>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut ids = Ids::default();
    let mut first_image = true;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(heading_id(id.as_ref(), &events[i + 1..end], &mut ids)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                out.push(code_block(kind, &events[i + 1..end], highlight));
                // The block's text and end are inside the HTML event now.
                i = end + 1;
                continue;
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                out.push(Event::Start(with_site_link(tag, base_path)));
            }
            Event::Start(tag @ Tag::Image { .. }) => {
                let eager = first_image && images.is_some_and(|im| im.eager_first);
                first_image = false;
                if let Some((html, next)) = take_picture(&events, i, base_path, images, eager) {
                    out.push(html);
                    i = next;
                    continue;
                }
                out.push(Event::Start(with_site_link(tag, base_path)));
            }
            // A wide table scrolls inside its own box, which keyboard users must reach too.
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(
                    "<div class=\"table-scroll\" tabindex=\"0\">".into(),
                ));
                out.push(events[i].clone());
            }
            Event::End(TagEnd::Table) => {
                out.push(events[i].clone());
                out.push(Event::Html("</div>\n".into()));
            }
            // A task's box is read-only; its name says its state in the post's language.
            Event::TaskListMarker(done) => {
                out.push(Event::InlineHtml(task_box(*done, lang).into()))
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out
}

/// A task list's checkbox, disabled, named by its state.
fn task_box(done: bool, lang: &str) -> String {
    let french = crate::locale::is_french(lang);
    let (checked, name) = match (done, french) {
        (true, true) => (" checked", "fait"),
        (false, true) => ("", "à faire"),
        (true, false) => (" checked", "done"),
        (false, false) => ("", "to do"),
    };
    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{name}\"> ")
}

/// A shortcode's body as HTML, its own images as responsive pictures (loaded when scrolled
/// to: a figure is rarely the top of a page).
pub(crate) fn fragment_html(
    markdown: &str,
    base_path: &str,
    images: Option<&BodyImages<'_>>,
) -> String {
    let mut html = String::new();
    // Most posts have no image of their own: their shortcodes need no second pass.
    if images.is_none() {
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
        return html;
    }
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((html, next)) = take_picture(&events, i, base_path, images, false) {
            out.push(html);
            i = next;
            continue;
        }
        out.push(events[i].clone());
        i += 1;
    }
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// The `<picture>` of the image whose events start at `i`, and the index of the event after
/// it; `None` when no image published at several widths starts there.
fn take_picture<'a>(
    events: &[Event<'_>],
    i: usize,
    base_path: &str,
    images: Option<&BodyImages<'_>>,
    eager: bool,
) -> Option<(Event<'a>, usize)> {
    let images = images?;
    let Event::Start(Tag::Image {
        dest_url, title, ..
    }) = &events[i]
    else {
        return None;
    };
    let found = *images.pictures.get(dest_url.as_ref())?;
    let end = find_end(events, i, |e| matches!(e, Event::End(TagEnd::Image)));
    let alt = &events[i + 1..end];
    let html = picture(
        alt,
        dest_url,
        title,
        base_path,
        (images.widths, found),
        eager,
    );
    Some((html, end + 1))
}

/// A responsive `<picture>` for an image of the body; `alt` holds the events of its text.
fn picture<'a>(
    alt: &[Event<'_>],
    dest: &CowStr<'_>,
    title: &str,
    base_path: &str,
    (widths, (format, size)): (&[u32], (Format, (u32, u32))),
    eager: bool,
) -> Event<'a> {
    let text: String = alt
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let escape = |text: &str| {
        let mut s = String::new();
        pulldown_cmark_escape::escape_html(&mut s, text).expect("writing to a String cannot fail");
        s
    };
    let src = escape(&site_link(dest, base_path));
    let html = Picture {
        src: &src,
        format,
        size,
        alt: &escape(&text),
        title: &escape(title),
        eager,
    }
    .html(widths);
    Event::InlineHtml(html.into())
}

/// The ids the headings of `markdown` get, in order, as the page made from it has them: what
/// a link to a part of the page may name.
pub(crate) fn heading_ids(markdown: &str) -> Vec<String> {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let mut ids = Ids::default();
    let mut found = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { id, .. }) = event {
            let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
            found.push(heading_id(id.as_ref(), &events[i + 1..end], &mut ids).to_string());
        }
    }
    found
}

/// A heading's id: the one written in `{#…}`, else one made from its text that no heading
/// before it has.
fn heading_id<'a>(
    written: Option<&CowStr<'a>>,
    content: &[Event<'_>],
    taken: &mut Ids,
) -> CowStr<'a> {
    match written {
        Some(id) => {
            taken.used.insert(id.to_string());
            id.clone()
        }
        None => CowStr::from(unique_id(&heading_text(content), taken)),
    }
}

/// The heading ids of a page so far.
#[derive(Default)]
struct Ids {
    /// Every id given.
    used: HashSet<String>,
    /// For each id made from a heading's text, the next number to try after it: a page of
    /// thousands of headings named alike numbers each in one step, not by counting again.
    next: HashMap<String, usize>,
}

/// A code block as one HTML event, highlighted in the language of its fence if `highlight`.
pub(crate) fn code_block<'a>(
    kind: &CodeBlockKind<'_>,
    content: &[Event<'_>],
    highlight: bool,
) -> Event<'a> {
    let code: String = content
        .iter()
        .filter_map(|e| {
            if let Event::Text(t) = e {
                Some(t.as_ref())
            } else {
                None
            }
        })
        .collect();
    let lang = match kind {
        CodeBlockKind::Fenced(info) => highlight::fence_language(info),
        CodeBlockKind::Indented => "",
    };
    Event::Html(highlight::code_block(&code, lang, highlight).into())
}

/// A link or image tag whose destination follows the site's base path (see [`site_link`]).
fn with_site_link<'a>(tag: &Tag<'a>, base_path: &str) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type: *link_type,
            dest_url: site_link(dest_url, base_path),
            title: title.clone(),
            id: id.clone(),
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type: *link_type,
            dest_url: site_link(dest_url, base_path),
            title: title.clone(),
            id: id.clone(),
        },
        other => other.clone(),
    }
}

fn find_end(events: &[Event<'_>], start: usize, is_end: impl Fn(&Event<'_>) -> bool) -> usize {
    events[start..]
        .iter()
        .position(is_end)
        .map_or(events.len() - 1, |p| start + p)
}

fn heading_text(events: &[Event<'_>]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

fn unique_id(text: &str, taken: &mut Ids) -> String {
    let base = match slug::slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = taken.next.get(&base).copied().unwrap_or(1);
    while !taken.used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.next.insert(base, n);
    id
}

/// `/posts/x/` becomes `/blog/posts/x/` on a site deployed under `/blog/`.
pub(crate) fn site_link<'a>(dest: &CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if base_path != "/" && dest.starts_with('/') && !dest.starts_with("//") {
        CowStr::from(format!("{base_path}{}", &dest[1..]))
    } else {
        dest.clone()
    }
}

/// Makes every `href` and `src` in rendered HTML absolute, for feeds, where readers have no
/// page to resolve relative links against. `origin` is `https://host`; `page_url` is the
/// absolute URL of the page the HTML belongs to.
pub(crate) fn absolutize(html: &str, origin: &str, page_url: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    let absolute = |out: &mut String, url: &str| {
        if url.starts_with("//") || has_scheme(url) {
            out.push_str(url);
        } else if url.starts_with('/') {
            out.push_str(origin);
            out.push_str(url);
        } else {
            out.push_str(page_url);
            out.push_str(url);
        }
    };
    while let Some((pos, list)) = find_url_attribute(rest) {
        let (before, after) = rest.split_at(pos);
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        if list {
            // A `srcset`: candidates `URL WIDTHw` separated by commas.
            for (k, candidate) in value.split(", ").enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
                absolute(&mut out, url);
                if !descriptor.is_empty() {
                    out.push(' ');
                    out.push_str(descriptor);
                }
            }
        } else {
            absolute(&mut out, value);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Drops what belongs to the page, not to the text, from HTML meant for feeds: decorative
/// copies (`<aside … aria-hidden="true">`, such as inline pull quotes, which feed readers would
/// read twice) and navigation (`<nav>`, such as a share block with its form controls).
pub(crate) fn strip_decorative(html: &str) -> std::borrow::Cow<'_, str> {
    let mut html = std::borrow::Cow::Borrowed(html);
    // Note calls too: their notes are on the post's page only.
    for (tag, needed) in [
        ("aside", "aria-hidden=\"true\""),
        ("nav", ""),
        ("sup", "class=\"footnote-ref\""),
    ] {
        if html.contains(&format!("<{tag}")) {
            html = std::borrow::Cow::Owned(strip_elements(&html, tag, needed));
        }
    }
    html
}

/// Removes every `tag` element whose opening tag contains `needed`, nested ones included.
fn strip_elements(html: &str, tag: &str, needed: &str) -> String {
    let open_pattern = format!("<{tag}");
    let close_pattern = format!("</{tag}>");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(&open_pattern) {
        let tag_end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let name_end = rest.as_bytes().get(start + open_pattern.len()).copied();
        let is_tag = matches!(name_end, Some(b' ' | b'>' | b'\n' | b'\t' | b'/'));
        if !is_tag || !rest[start..tag_end].contains(needed) {
            out.push_str(&rest[..tag_end]);
            rest = &rest[tag_end..];
            continue;
        }
        out.push_str(&rest[..start]);
        let mut depth = 1;
        let mut at = tag_end;
        while depth > 0 {
            let open = rest[at..].find(&open_pattern).map(|p| at + p);
            let close = rest[at..].find(&close_pattern).map(|p| at + p);
            match (open, close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    at = o + open_pattern.len();
                }
                (_, Some(c)) => {
                    depth -= 1;
                    at = c + close_pattern.len();
                }
                (_, None) => {
                    at = rest.len();
                    break;
                }
            }
        }
        rest = rest[at..].trim_start_matches('\n');
    }
    out.push_str(rest);
    out
}

/// Byte position just after the next ` href="` or ` src="`.
fn find_url_attribute(html: &str) -> Option<(usize, bool)> {
    // One forward scan over attribute values: searching for each attribute name in the whole
    // rest, at every link, made a long text cost the square of its links.
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&html.as_bytes()[from..], b"=\"") {
        let at = from + found;
        if html[..at].ends_with(" href") || html[..at].ends_with(" src") {
            return Some((at + 2, false));
        }
        if html[..at].ends_with(" srcset") {
            return Some((at + 2, true));
        }
        from = at + 2;
    }
    None
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids() {
        let r = render(
            "## Gérer une communauté\n\n## Gérer une communauté\n",
            "/",
            None,
            "en",
            true,
            None,
        );
        assert!(
            r.html.contains("<h2 id=\"gerer-une-communaute\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<h2 id=\"gerer-une-communaute-1\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn summary_stops_at_the_marker() {
        let r = render(
            "One two.\n\n<!-- more -->\n\nThree four five.\n",
            "/",
            Some("desc"),
            "en",
            true,
            None,
        );
        assert_eq!(r.summary, "<p>One two.</p>\n");
        assert!(r.has_more);
        assert_eq!(r.word_count, 5);
    }

    #[test]
    fn summary_falls_back_to_description_then_first_paragraph() {
        assert_eq!(
            render("Body.\n", "/", Some("A & B"), "en", true, None).summary,
            "<p>A &amp; B</p>\n"
        );
        let r = render("First.\n\nSecond.\n", "/", None, "en", true, None);
        assert_eq!(r.summary, "<p>First.</p>\n");
        assert!(r.has_more);
        assert!(!render("Only.\n", "/", None, "en", true, None).has_more);
    }

    #[test]
    fn more_marker_anywhere_in_a_paragraph_cuts_the_summary() {
        let r = render(
            "One *two<!--more--> three* four.\n\nFive.\n",
            "/",
            None,
            "en",
            true,
            None,
        );
        assert_eq!(r.summary, "<p>One <em>two</em></p>\n");
        assert!(r.has_more);
    }

    #[test]
    fn code_is_not_counted_and_is_highlighted() {
        let r = render(
            "Two words.\n\n```rust\nlet a = 1;\n```\n",
            "/",
            None,
            "en",
            true,
            None,
        );
        assert_eq!(r.word_count, 2);
        assert!(r.html.contains("data-lang=\"rust\""));
    }

    #[test]
    fn links_follow_the_base_path() {
        let r = render(
            "[a](/posts/x/) [b](https://e.org/) [c](#n)\n",
            "/blog/",
            None,
            "en",
            true,
            None,
        );
        assert!(r.html.contains("href=\"/blog/posts/x/\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://e.org/\""));
    }

    #[test]
    fn feeds_lose_decorative_copies_only() {
        let html = "<aside class=\"pullquote\" aria-hidden=\"true\"><p>Q</p></aside>\n<p>Q and more.</p><aside aria-label=\"x\">Kept</aside>";
        assert_eq!(
            strip_decorative(html),
            "<p>Q and more.</p><aside aria-label=\"x\">Kept</aside>"
        );
        let html = "<p>a</p><nav class=\"share\"><a href=\"x\">X</a></nav>\n<p>b</p><navigation>kept</navigation>";
        assert_eq!(
            strip_decorative(html),
            "<p>a</p><p>b</p><navigation>kept</navigation>"
        );
    }

    #[test]
    fn absolutizes_links_for_feeds() {
        let html = r##"<a href="/blog/posts/x/">a</a><img src="cover.svg" alt=""><a href="mailto:a@b.c">m</a><a href="#fn">f</a>"##;
        let out = absolutize(html, "https://e.org", "https://e.org/blog/posts/y/");
        assert_eq!(
            out,
            r##"<a href="https://e.org/blog/posts/x/">a</a><img src="https://e.org/blog/posts/y/cover.svg" alt=""><a href="mailto:a@b.c">m</a><a href="https://e.org/blog/posts/y/#fn">f</a>"##
        );
        let set = r#"<source srcset="a-480w.webp 480w, /b/a.webp 900w">"#;
        assert_eq!(
            absolutize(set, "https://e.org", "https://e.org/p/"),
            r#"<source srcset="https://e.org/p/a-480w.webp 480w, https://e.org/b/a.webp 900w">"#
        );
    }
}
