//! Bare web addresses in a post's text become links, as readers expect from any editor.

use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// Turns every `http(s)://` address written as plain text in `events` into a link to itself;
/// text already inside a link, an image's description or code is left alone.
pub(crate) fn link_bare_urls(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    let mut out = Vec::with_capacity(events.len());
    // Links and images may nest (an image inside a link): a depth, not a flag.
    let mut inside = 0usize;
    for event in events {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => inside = inside.saturating_sub(1),
            Event::InlineHtml(h) if h.starts_with("<a ") || h.starts_with("<a>") => inside += 1,
            Event::InlineHtml(h) if h.starts_with("</a") => inside = inside.saturating_sub(1),
            Event::Text(text) if inside == 0 && text.contains("://") => {
                split(text, &finder, &mut out);
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// Pushes `text` as text and link events, one link per address found.
fn split<'a>(text: &str, finder: &LinkFinder, out: &mut Vec<Event<'a>>) {
    for span in finder.spans(text) {
        let part: CowStr<'a> = span.as_str().to_string().into();
        if span.kind().is_none() {
            out.push(Event::Text(part));
            continue;
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            // As a browser sends it: a `%` that starts no escape, or a space, is escaped.
            dest_url: crate::href::written(&part).into(),
            title: "".into(),
            id: "".into(),
        }));
        out.push(Event::Text(part));
        out.push(Event::End(TagEnd::Link));
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Parser, html};

    fn render(markdown: &str) -> String {
        let events = Parser::new_ext(markdown, crate::body::dialect::options()).collect();
        let mut out = String::new();
        html::push_html(&mut out, super::link_bare_urls(events).into_iter());
        out
    }

    #[test]
    fn bare_addresses_are_linked_once() {
        assert_eq!(
            render(
                "Voir https://example.org/a?b=1, puis [là](https://x.org/) et `https://c.org`.\n"
            ),
            "<p>Voir <a href=\"https://example.org/a?b=1\">https://example.org/a?b=1</a>, puis <a href=\"https://x.org/\">là</a> et <code>https://c.org</code>.</p>\n"
        );
        assert_eq!(
            render("[https://x.org/](https://x.org/) <https://y.org>\n"),
            "<p><a href=\"https://x.org/\">https://x.org/</a> <a href=\"https://y.org\">https://y.org</a></p>\n"
        );
        assert_eq!(
            render("http://x.org/page-%d.html\n"),
            "<p><a href=\"http://x.org/page-%25d.html\">http://x.org/page-%d.html</a></p>\n"
        );
    }
}
