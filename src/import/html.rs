//! WordPress post HTML (the classic editor's, with its implied paragraphs, and the block
//! editor's, with its `<!-- wp:… -->` comments) into clean Markdown, keeping shortcodes as
//! shortcodes.

use std::sync::OnceLock;

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
    let mut kept: Vec<String> = Vec::new();
    let block_editor = html.contains("<!-- wp:");
    let mut text = if block_editor {
        blocks(html, &mut kept)
    } else {
        html.replace("<!--more-->", &keep(&mut kept, "<!-- more -->".into()))
    };
    if !block_editor {
        text = autop(&text);
    }
    text = bare_urls(&text, &mut kept);
    text = protect_shortcodes(&text, &mut kept);
    // Markup nested deeper than any editor writes would exhaust the converter's stack: such
    // a text keeps its words only.
    let markdown = if nesting(&text) > MAX_NESTING {
        strip_tags(&text)
    } else {
        converter().convert(&text).unwrap_or_else(|_| text.clone())
    };
    let markdown = restore(&markdown, &kept);
    escape_broken_lines(markdown.trim()) + "\n"
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
            let url = strip_tags(&rest[..close]).trim().to_string();
            let shortcode = keep(kept, format!("[embed]{url}[/embed]"));
            out.push_str(&format!("\n\n<p>{shortcode}</p>\n\n"));
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
    let text = super::wxr::decode_entities(strip_tags(quote).trim());
    let cite = super::wxr::decode_entities(cite.trim()).replace('"', "”");
    if cite.is_empty() {
        format!("\n\n<p>[pullquote]{text}[/pullquote]</p>\n\n")
    } else {
        format!("\n\n<p>[pullquote cite=\"{cite}\"]{text}[/pullquote]</p>\n\n")
    }
}

/// Text without its tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
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

/// Replaces every shortcode tag (`[name …]`, `[/name]`) by a token, so the conversion neither
/// escapes its brackets nor its quotes.
fn protect_shortcodes(html: &str, kept: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('[') {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let name_start = usize::from(tag[1..].starts_with('/')) + 1;
        let name_len = tag[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(0);
        let after = &tag[name_start + name_len..];
        let end = tag.find(']').filter(|&e| !tag[..e].contains('\n'));
        match end {
            Some(end)
                if name_len > 0
                    && tag[name_start..].starts_with(|c: char| c.is_ascii_alphabetic())
                    && after.starts_with([' ', ']', '/']) =>
            {
                let original = super::wxr::decode_entities(&tag[..=end])
                    .replace(['\u{201c}', '\u{201d}', '\u{2033}'], "\"");
                out.push_str(&keep(kept, original));
                rest = &tag[end + 1..];
            }
            _ => {
                out.push('[');
                rest = &tag[1..];
            }
        }
    }
    out.push_str(rest);
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
