//! Hugo content that would pass silently: `{{< … >}}` and `{{% … %}}` shortcodes, which
//! Tribune does not run (they would show as paragraph text, the HTML inside a `highlight`
//! becoming live markup), and a `content/post/` folder, which Tribune reads as pages. Each
//! hint names `tribune import hugo`, which converts a whole Hugo site.

use std::path::Path;
use std::sync::Arc;

use crate::error::Diagnostic;
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::load::source::{CONTENT_DIR, POSTS_DIR};

/// Warnings for the Hugo shortcodes of every post and page, `of_post` giving each one's own
/// (as [`post_hints`] does, or from what it remembers of an unchanged file), and for a Hugo
/// `post/` folder.
pub(crate) fn hints(
    corpus: &Corpus,
    root: &Path,
    of_post: impl Fn(&Arc<Post>) -> Vec<Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Every body is read on each build: in parallel.
    let mut found: Vec<Diagnostic> = corpus
        .posts
        .par_iter()
        .chain(corpus.pages.par_iter())
        .flat_map_iter(&of_post)
        .collect();
    let content = root.join(CONTENT_DIR);
    // Whatever else the site holds (a new site has content/posts/ already): a `post/` folder
    // of Markdown files is Hugo's.
    let hugo_posts = walkdir::WalkDir::new(content.join("post"))
        .into_iter()
        .filter_map(|e| e.ok())
        .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"));
    if hugo_posts {
        let hint = if content.join(POSTS_DIR).is_dir() {
            "move its files into content/posts/ to publish them as dated posts"
        } else {
            "rename the folder to content/posts/ to publish them as dated posts"
        };
        found.push(
            Diagnostic::input(
                "this looks like Hugo's posts folder: Tribune reads its files as pages, not posts",
            )
            .at(Path::new(CONTENT_DIR).join("post"))
            .hint(format!("{hint}; `tribune import hugo SITE` brings a whole Hugo site in, front matter and shortcodes converted")),
        );
    }
    found
}

/// Warnings for the Hugo shortcodes of one post's or page's body.
pub(crate) fn post_hints(post: &Post) -> Vec<Diagnostic> {
    if memchr::memmem::find(post.body.text().as_bytes(), b"{{").is_none() {
        return Vec::new();
    }
    shortcodes(post)
}

/// The Hugo shortcodes of one post's body, outside code.
fn shortcodes(post: &Post) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    let markdown = post.body.text();
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        let mut at = 0;
        while let Some(start) = line[at..].find("{{").map(|s| at + s) {
            at = start + 2;
            let open = &line[start..];
            if !(open.starts_with("{{<") || open.starts_with("{{%")) {
                continue;
            }
            // Inside a code span (an odd number of backticks before it) it is an example.
            if line[..start].matches('`').count() % 2 == 1 {
                continue;
            }
            let inner = open[3..].trim_start();
            if inner.starts_with('/') {
                continue;
            }
            let name: String = inner
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let end = open
                .find(">}}")
                .or_else(|| open.find("%}}"))
                .map_or(open.len(), |e| e + 3);
            found.push(
                Diagnostic::input(format!(
                    "Hugo shortcode `{}`: Tribune does not run Hugo shortcodes, it would show as text",
                    &open[..end]
                ))
                .at(&post.source)
                .line(post.body_line + i)
                .hint(format!(
                    "{}; `tribune import hugo SITE` converts a Hugo site's shortcodes",
                    equivalent(&name, &open[..end])
                )),
            );
        }
    }
    found
}

/// What to write instead of the Hugo shortcode `name`, written `shortcode`, in Tribune.
fn equivalent(name: &str, shortcode: &str) -> String {
    match name {
        "figure" => {
            let src = attribute(shortcode, "src").unwrap_or("image.jpg");
            let alt = attribute(shortcode, "alt").unwrap_or("text");
            let caption = attribute(shortcode, "caption")
                .or_else(|| attribute(shortcode, "title"))
                .unwrap_or("Caption");
            format!("write a figure with its caption: [caption]![{alt}]({src}) {caption}[/caption]")
        }
        "youtube" | "vimeo" => format!(
            "write [embed]https://{}/…[/embed]: a link card to the video",
            if name == "youtube" { "www.youtube.com/watch?v=ID" } else { "vimeo.com/ID" }
        ),
        "highlight" => "write a fenced block: ```html on its own line, the code, then ```".into(),
        "ref" | "relref" => "link to the page's path: [text](/posts/slug/)".into(),
        "gist" | "tweet" | "x" | "instagram" => "link to it: [text](https://…)".into(),
        _ => "write it in Markdown, or as a Tribune shortcode [name] with a template templates/shortcodes/NAME.html".into(),
    }
}

/// The value of `key="…"` in a Hugo shortcode, if it is there and not empty.
fn attribute<'a>(shortcode: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = shortcode;
    while let Some(at) = rest.find(key) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + key.len()..].trim_start();
        rest = &rest[at + key.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value = &value[1..];
        return value[..value.find(quote)?]
            .trim()
            .split('\n')
            .next()
            .filter(|v| !v.is_empty());
    }
    None
}
