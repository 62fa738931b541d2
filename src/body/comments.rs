//! A reader's comment to safe HTML: Markdown without raw HTML (it shows as text), links only
//! to web and mail addresses and marked `nofollow ugc`, images as their text. Nothing a
//! commenter writes can run a script, load a resource or restyle the page.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Whether a link target is safe in a comment: a web or mail address, or a path of the site.
fn safe_url(url: &str) -> bool {
    crate::unsafe_url::scheme(url).is_none_or(|s| matches!(s.as_str(), "http" | "https" | "mailto"))
}

/// The HTML of a comment's Markdown text.
pub(crate) fn to_html(markdown: &str) -> String {
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).filter_map(|event| {
        Some(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            }) => {
                let keep = safe_url(&dest_url);
                links.push(keep);
                if !keep {
                    return None;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title: CowStr::Borrowed(""),
                    id,
                })
            }
            Event::End(TagEnd::Link) => {
                if links.pop() == Some(true) {
                    Event::End(TagEnd::Link)
                } else {
                    return None;
                }
            }
            // An image would load from anywhere: its text stands for it.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => return None,
            Event::Start(Tag::Heading { .. }) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Paragraph),
            other => other,
        })
    });
    let mut html = String::with_capacity(markdown.len() * 5 / 4 + 16);
    pulldown_cmark::html::push_html(&mut html, events);
    // Raw HTML is text here, so every `<a href` is one of the links kept above.
    html.replace("<a href=", "<a rel=\"nofollow ugc\" href=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_scripts_handlers_and_javascript_links() {
        let html = to_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) [ok](https://example.org/?a=1&b=2) ![i](https://t.example/x.png)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            html.contains(
                "<a rel=\"nofollow ugc\" href=\"https://example.org/?a=1&amp;b=2\">ok</a>"
            ),
            "{html}"
        );
        assert!(html.contains("click"), "{html}");
    }

    #[test]
    fn hidden_schemes_are_caught() {
        assert!(!safe_url("java\tscript:alert(1)"));
        assert!(!safe_url(" JAVASCRIPT:x"));
        assert!(!safe_url("data:text/html,x"));
        assert!(safe_url("/posts/x/#c"));
        assert!(safe_url("mailto:a@b.example"));
    }
}
