//! A reader's comment to safe HTML: Markdown without raw HTML (it shows as text), links only
//! to web and mail addresses and marked `nofollow ugc`, images as their text. Nothing a
//! commenter writes can run a script, load a resource or restyle the page. It is typeset as a
//! post's body is: curly quotes and dashes, French spacing on a French page, and code blocks
//! made as the body's are (highlighted, scrolling in their own box).

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// How a comment is typeset: as the body of the page that shows it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Style {
    /// French spacing (the page is in French and the site spaces French).
    pub(crate) french: bool,
    /// Code blocks are highlighted in the language of their fence.
    pub(crate) highlight: bool,
}

/// Whether a link target is safe in a comment: a web or mail address, or a path of the site.
fn safe_url(url: &str) -> bool {
    crate::unsafe_url::scheme(url).is_none_or(|s| matches!(s.as_str(), "http" | "https" | "mailto"))
}

/// The HTML of a comment's Markdown text, typeset in `style`.
pub(crate) fn to_html(markdown: &str, style: Style) -> String {
    let mut links: Vec<bool> = Vec::new();
    // The code block being read: its kind and its text.
    let mut code: Option<(CodeBlockKind<'_>, Vec<Event<'_>>)> = None;
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let events = Parser::new_ext(markdown, options).filter_map(|event| {
        if let Some((_, text)) = &mut code {
            if !matches!(event, Event::End(TagEnd::CodeBlock)) {
                text.push(event);
                return None;
            }
            let (kind, text) = code.take()?;
            return Some(crate::body::markdown::code_block(
                &kind,
                &text,
                style.highlight,
            ));
        }
        Some(match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                code = Some((kind, Vec::new()));
                return None;
            }
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
    // Raw HTML is text here, and code blocks are escaped, so every `<a href` is one of the
    // links kept above.
    let html = html.replace("<a href=", "<a rel=\"nofollow ugc\" href=");
    if style.french {
        crate::body::typography::french_spacing(&html)
    } else {
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_scripts_handlers_and_javascript_links() {
        let html = to_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) [ok](https://example.org/?a=1&b=2) ![i](https://t.example/x.png)",
            Style::default(),
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
    fn french_comments_get_french_spacing_and_code_keeps_its_text() {
        let french = Style {
            french: true,
            highlight: false,
        };
        let html = to_html("Merci à vous! Et `a!` ou \"ceci\"...", french);
        assert_eq!(
            html,
            "<p>Merci à vous\u{202F}! Et <code>a!</code> ou “ceci”…</p>\n"
        );
        assert_eq!(to_html("Thanks!", Style::default()), "<p>Thanks!</p>\n");
        // A code block is the body's: escaped, in a box that scrolls, its text as written.
        assert_eq!(
            to_html("```\n<a href=x>a!</a>\n```\n", french),
            "<pre class=\"code hl-code\" tabindex=\"0\"><code>&lt;a href=x&gt;a!&lt;/a&gt;\n</code></pre>\n"
        );
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
