//! Footnotes as readers expect them: numbered in the order they are called, gathered at the end
//! of the post, each with an id of its own and a link back to where it was called.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Moves footnote definitions to a numbered list at the end of `events`, links each call to its
/// note and each note back to its first call. Text in `lang` labels the back links. Notes never
/// called are left out; calls to notes never written stay as typed.
pub(crate) fn number<'a>(events: Vec<Event<'a>>, lang: &str) -> Vec<Event<'a>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
    {
        return events;
    }
    let (mut body, mut notes) = split(events);
    let mut order: Vec<CowStr<'a>> = Vec::new();
    let mut calls: HashMap<CowStr<'a>, usize> = HashMap::new();
    for event in &mut body {
        let Event::FootnoteReference(label) = event else {
            continue;
        };
        if !notes.contains_key(label) {
            *event = Event::Text(format!("[^{label}]").into());
            continue;
        }
        let n = match order.iter().position(|l| l == label) {
            Some(at) => at + 1,
            None => {
                order.push(label.clone());
                order.len()
            }
        };
        let count = calls.entry(label.clone()).or_default();
        *count += 1;
        let id = anchor(label);
        // A note called twice keeps one id per call, so that the page holds no duplicate.
        let call_id = if *count == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{count}")
        };
        *event = Event::InlineHtml(
            format!(
                "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"{call_id}\">{n}</a></sup>"
            )
            .into(),
        );
    }
    if order.is_empty() {
        return body;
    }
    body.push(Event::Html("<div class=\"footnotes\">\n<ol>\n".into()));
    for (i, label) in order.iter().enumerate() {
        let id = anchor(label);
        let mut note = notes.remove(label).unwrap_or_default();
        let back = Event::InlineHtml(
            format!(
                " <a href=\"#fnref-{id}\" class=\"footnote-back\" aria-label=\"{}\">↩\u{FE0E}</a>",
                back_label(lang, i + 1)
            )
            .into(),
        );
        // The back link ends the note's last paragraph rather than sitting on a line of its own.
        match note.last() {
            Some(Event::End(TagEnd::Paragraph)) => {
                let at = note.len() - 1;
                note.insert(at, back);
            }
            _ => note.push(back),
        }
        body.push(Event::Html(format!("<li id=\"fn-{id}\">\n").into()));
        body.extend(note);
        body.push(Event::Html("</li>\n".into()));
    }
    body.push(Event::Html("</ol>\n</div>\n".into()));
    body
}

/// The events outside footnote definitions, and each definition's content by label.
type Split<'a> = (Vec<Event<'a>>, HashMap<CowStr<'a>, Vec<Event<'a>>>);

/// Separates the running text from the footnote definitions.
fn split(events: Vec<Event<'_>>) -> Split<'_> {
    let mut body = Vec::with_capacity(events.len());
    let mut notes = HashMap::new();
    let mut current: Option<(CowStr<'_>, Vec<Event<'_>>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => current = Some((label, Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, content)) = current.take() {
                    notes.entry(label).or_insert(content);
                }
            }
            event => match &mut current {
                Some((_, content)) => content.push(event),
                None => body.push(event),
            },
        }
    }
    (body, notes)
}

/// A label as an id fragment: letters, digits, `-` and `_` kept, anything else a `-`.
fn anchor(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The accessible name of a note's back link.
fn back_label(lang: &str, n: usize) -> String {
    if crate::locale::is_french(lang) {
        format!("Retour à l’appel de note {n}")
    } else {
        format!("Back to reference {n}")
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Parser, html};

    fn render(markdown: &str, lang: &str) -> String {
        let events = Parser::new_ext(markdown, crate::body::dialect::options()).collect();
        let mut out = String::new();
        html::push_html(&mut out, super::number(events, lang).into_iter());
        out
    }

    #[test]
    fn notes_are_numbered_linked_and_linked_back() {
        let html = render(
            "Un[^b] deux[^Note A] trois[^b] quatre[^x].\n\n[^Note A]: Note *A*.\n[^b]: Note B.\n[^unused]: Jamais.\n",
            "fr",
        );
        assert!(
            html.contains(
                "Un<sup class=\"footnote-ref\"><a href=\"#fn-b\" id=\"fnref-b\">1</a></sup>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#fn-note-a\" id=\"fnref-note-a\">2</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#fn-b\" id=\"fnref-b-2\">1</a>"),
            "{html}"
        );
        assert!(html.contains("quatre[^x]."), "{html}");
        let list = &html[html.find("<div class=\"footnotes\">\n<ol>").unwrap()..];
        assert!(
            list.find("id=\"fn-b\"") < list.find("id=\"fn-note-a\""),
            "{list}"
        );
        assert!(list.contains("<p>Note <em>A</em>. <a href=\"#fnref-note-a\" class=\"footnote-back\" aria-label=\"Retour à l’appel de note 2\">"), "{list}");
        assert!(!html.contains("Jamais"), "{html}");
    }
}
