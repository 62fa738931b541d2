//! WordPress shortcodes in an export's HTML, as a Tribune site reads them.
//!
//! WordPress treats `[name …]` as a shortcode only when a plugin registered `name`; anything
//! else is text. So: the shortcodes the default theme renders are kept, their attributes
//! written the one way the build reads (`key="value"`); the common ones it has no template for
//! are converted (syntax-highlighter code to fenced code, video and map tags to link cards,
//! contact forms to a note); every other bracket is escaped, so it reads as WordPress showed it.

use crate::import::text::decode_entities;
use crate::theme::templates::Kind;

/// Shortcodes the default theme renders, and whether each wraps a body (`[caption]…[/caption]`)
/// or stands alone (`[gallery …]`). WordPress also closes its players (`[video …][/video]`);
/// the theme's players take no body, so such a closing tag is dropped.
const KEPT: [(&str, bool); 7] = [
    ("caption", true),
    ("wp_caption", true),
    ("embed", true),
    ("pullquote", true),
    ("gallery", false),
    ("audio", false),
    ("video", false),
];

/// Shortcodes of video, audio and map services that WordPress.com and Jetpack expand into a
/// player: each becomes a link card to the same address.
const EMBEDS: [(&str, &str); 14] = [
    ("youtube", "https://www.youtube.com/watch?v="),
    ("vimeo", "https://vimeo.com/"),
    ("dailymotion", "https://www.dailymotion.com/video/"),
    ("ted", "https://www.ted.com/talks/"),
    ("soundcloud", ""),
    ("spotify", ""),
    ("googlemaps", ""),
    ("googlevideo", ""),
    ("tweet", "https://twitter.com/i/status/"),
    ("twitter", ""),
    ("instagram", ""),
    ("flickr", ""),
    ("slideshare", ""),
    ("scribd", ""),
];

/// Code shortcodes of WordPress.com and of the SyntaxHighlighter plugins, which also accept the
/// language as the tag's name (`[python]…[/python]`).
const CODE: [&str; 3] = ["sourcecode", "code", "source"];

/// Languages the SyntaxHighlighter plugins accept as a tag's name.
const LANGUAGE_TAGS: [&str; 30] = [
    "as3",
    "actionscript3",
    "bash",
    "shell",
    "coldfusion",
    "cpp",
    "c",
    "csharp",
    "css",
    "delphi",
    "diff",
    "erlang",
    "groovy",
    "java",
    "javafx",
    "javascript",
    "js",
    "jscript",
    "objc",
    "perl",
    "php",
    "powershell",
    "python",
    "py",
    "ruby",
    "rust",
    "scala",
    "sql",
    "vb",
    "xml",
];

/// Typographic quotes as WordPress's editor writes them in entities.
const TYPESET_QUOTES: [(&str, &str); 8] = [
    ("&#8220;", "“"),
    ("&#8221;", "”"),
    ("&#8243;", "″"),
    ("&#8216;", "‘"),
    ("&#8217;", "’"),
    ("&#8242;", "′"),
    ("&rdquo;", "”"),
    ("&ldquo;", "“"),
];

/// The longest tag read, in bytes: a gallery of a few hundred ids.
const MAX_TAG: usize = 8192;

/// A shortcode tag as WordPress reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag {
    /// Its name, lower-cased.
    pub(crate) name: String,
    /// `key=value` attributes, in order, keys lower-cased.
    pub(crate) named: Vec<(String, String)>,
    /// Values without a key (`[audio https://…/a.mp3]`).
    pub(crate) positional: Vec<String>,
    /// `[/name]`.
    pub(crate) closing: bool,
    /// `[name … /]`.
    pub(crate) self_closing: bool,
    /// Its length in the text, brackets included.
    pub(crate) len: usize,
}

impl Tag {
    /// The value of attribute `key`.
    pub(crate) fn attr(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The tag written as the build reads it: `[name key="value"]`, a value holding `"`
    /// quoted with `'`, or its `"` turned typographic when it holds both.
    pub(crate) fn written(&self) -> String {
        if self.closing {
            return format!("[/{}]", self.name);
        }
        let mut out = format!("[{}", self.name);
        for (key, value) in &self.named {
            let value = value.replace(['\n', '\r', '\t'], " ");
            let (quote, value) = match (value.contains('"'), value.contains('\'')) {
                (false, _) => ('"', value),
                (true, false) => ('\'', value),
                (true, true) => ('"', value.replace('"', "”")),
            };
            out.push_str(&format!(" {key}={quote}{value}{quote}"));
        }
        if self.self_closing {
            out.push_str(" /");
        }
        out.push(']');
        out
    }
}

/// Reads the shortcode tag at the start of `text` (`[name …]`, `[/name]`, `[name=value]`), as
/// WordPress's own parser does: a name of letters, digits, `_` and `-`, then attributes up to
/// the first `]`, which no attribute may hold. Entities in attributes are decoded, and the
/// typographic quotes an editor may have put around a value count as quotes.
pub(crate) fn read(text: &str) -> Option<Tag> {
    let rest = text.strip_prefix('[')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    // A tag ends on its line: a bracket left open never costs a scan of the whole post.
    let window = &rest.as_bytes()[..rest.len().min(MAX_TAG)];
    let end = window.iter().position(|&b| b == b']' || b == b'\n')?;
    if end < name_len || window[end] != b']' {
        return None;
    }
    let after_name = &rest[name_len..end];
    if !(after_name.is_empty() || after_name.starts_with([' ', '\t', '/', '=', '\u{a0}'])) {
        return None;
    }
    if after_name.contains('[') {
        return None;
    }
    let len = text.len() - rest.len() + end + 1;
    let name = rest[..name_len].to_ascii_lowercase();
    if closing {
        return after_name.trim().is_empty().then_some(Tag {
            name,
            named: Vec::new(),
            positional: Vec::new(),
            closing,
            self_closing: false,
            len,
        });
    }
    // Quotes typeset by the editor may stand as entities around a value; other entities
    // belong to the values, decoded once they are read.
    let mut attrs = after_name.to_string();
    for (entity, quote) in TYPESET_QUOTES {
        if attrs.contains(entity) {
            attrs = attrs.replace(entity, quote);
        }
    }
    let self_closing = attrs.trim_end().ends_with('/');
    if self_closing {
        attrs = attrs.trim_end().trim_end_matches('/').to_string();
    }
    let (mut named, mut positional) = attributes(&attrs);
    for (_, value) in &mut named {
        *value = decode_entities(value);
    }
    for value in &mut positional {
        *value = decode_entities(value);
    }
    Some(Tag {
        name,
        named,
        positional,
        closing,
        self_closing,
        len,
    })
}

/// WordPress's attribute grammar: `key="v"`, `key='v'`, `key=v`, `"v"`, `'v'` and `v`; an
/// `=value` right after the name (`[youtube=https://…]`) is a value without a key.
fn attributes(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut named = Vec::new();
    let mut positional = Vec::new();
    let mut rest = text.trim_start_matches('=');
    if text.starts_with('=') {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        positional.push(unquote(&rest[..end]).0.to_string());
        rest = &rest[end..];
    }
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace());
        if rest.is_empty() {
            break;
        }
        let key_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let after_key = rest[key_len..].trim_start();
        if key_len > 0 && after_key.starts_with('=') {
            let key = rest[..key_len].to_ascii_lowercase();
            let (value, used) = unquote(after_key[1..].trim_start());
            // The build reads keys that start with a letter.
            if key.starts_with(|c: char| c.is_ascii_alphabetic()) && key.is_ascii() {
                named.push((key, value.to_string()));
            }
            rest = &after_key[1..].trim_start()[used..];
        } else {
            let (value, used) = unquote(rest);
            positional.push(value.to_string());
            rest = &rest[used.max(1)..];
        }
    }
    (named, positional)
}

/// The value at the start of `text`, quoted or not, and how many bytes it took.
fn unquote(text: &str) -> (&str, usize) {
    let Some(open) = text.chars().next() else {
        return ("", 0);
    };
    let closers: &[char] = match open {
        '"' => &['"'],
        '\'' => &['\''],
        '“' | '”' | '″' => &['”', '″', '“'],
        '‘' | '’' | '′' => &['’', '′', '‘'],
        _ => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            return (&text[..end], end);
        }
    };
    let body = &text[open.len_utf8()..];
    match body.find(closers) {
        Some(end) => {
            let close_len = body[end..].chars().next().map_or(1, char::len_utf8);
            (&body[..end], open.len_utf8() + end + close_len)
        }
        None => (body, text.len()),
    }
}

/// What to do with a shortcode found in a post.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Treatment {
    /// One the theme renders: kept, written as the build reads it; `true` when it wraps a body.
    Keep(bool),
    /// A closing tag WordPress writes and the theme does not need (`[/video]`): dropped.
    Drop,
    /// A video, audio or map service's: a link card to this address.
    Embed(String),
    /// Text that only looks like a shortcode: escaped.
    Text,
}

/// How the import treats `tag`.
pub(crate) fn treatment(tag: &Tag) -> Treatment {
    if let Some(&(_, paired)) = KEPT.iter().find(|(n, _)| *n == tag.name) {
        return match (tag.closing, paired) {
            (true, false) => Treatment::Drop,
            _ => Treatment::Keep(paired),
        };
    }
    if let Some((_, base)) = EMBEDS.iter().find(|(n, _)| *n == tag.name) {
        if tag.closing {
            return Treatment::Drop;
        }
        let value = ["url", "src", "id", "href"]
            .iter()
            .find_map(|k| tag.attr(k))
            .or(tag.positional.first().map(String::as_str))
            .unwrap_or("")
            .trim();
        if value.is_empty() {
            return Treatment::Text;
        }
        let url = if value.starts_with("http://") || value.starts_with("https://") {
            value.to_string()
        } else if base.is_empty() {
            return Treatment::Text;
        } else {
            format!("{base}{value}")
        };
        return Treatment::Embed(url);
    }
    Treatment::Text
}

/// How the default theme takes shortcode `name`, as the build's parser asks it.
pub(crate) fn kind(name: &str) -> Option<Kind> {
    KEPT.iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, paired)| if paired { Kind::Paired } else { Kind::Single })
}

/// `markdown` as the build's shortcode parser accepts it: each bracket it would refuse (a tag
/// left open, a closing tag alone, a name without a template) is escaped, so it reads as text,
/// as WordPress showed it. The conversion gets almost every case right; this makes sure of it.
pub(crate) fn accepted(markdown: String) -> String {
    accepted_with(markdown, &kind)
}

/// [`accepted`] for a site that has shortcodes of its own besides the default theme's: `kind`
/// tells them.
pub(crate) fn accepted_with(markdown: String, kind: &dyn Fn(&str) -> Option<Kind>) -> String {
    /// Escapes tried before giving up: each one fixes a bracket, and no post holds more.
    const MAX_FIXES: usize = 1000;
    let mut markdown = markdown;
    for _ in 0..MAX_FIXES {
        let Err(e) = crate::body::shortcodes::parse(&markdown, kind) else {
            break;
        };
        if !markdown[e.offset..].starts_with('[') {
            break;
        }
        markdown.insert(e.offset, '\\');
    }
    markdown
}

/// Whether `name` is a code shortcode (`[sourcecode]`, `[code]`, or a language's name).
pub(crate) fn is_code(name: &str) -> bool {
    CODE.contains(&name) || LANGUAGE_TAGS.contains(&name)
}

/// The fence language of a code shortcode: its `language` or `lang` attribute, else its name
/// when that is a language; SyntaxHighlighter's aliases as the build's highlighter names them.
pub(crate) fn code_language(tag: &Tag) -> String {
    let named = tag
        .attr("language")
        .or_else(|| tag.attr("lang"))
        .map(str::to_string)
        .or_else(|| (!CODE.contains(&tag.name.as_str())).then(|| tag.name.clone()))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let language = match named.as_str() {
        "js" | "jscript" => "javascript",
        "py" => "python",
        "shell" | "sh" => "bash",
        "csharp" | "c-sharp" => "cs",
        "as3" | "actionscript3" => "actionscript",
        "objc" => "objective-c",
        "vb" => "vbnet",
        "plain" | "text" => "",
        other => other,
    };
    language
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '_'))
        .collect()
}

/// `code` as a fenced code block, its fence longer than any run of backticks inside.
pub(crate) fn fenced(code: &str, language: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let code = code.trim_matches('\n');
    format!("\n\n{fence}{language}\n{code}\n{fence}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_attribute_form() {
        let tag = read("[gallery columns=2 ids=\"1, 2\" link='file' size=”large″]").unwrap();
        assert_eq!(tag.name, "gallery");
        assert_eq!(tag.attr("columns"), Some("2"));
        assert_eq!(tag.attr("ids"), Some("1, 2"));
        assert_eq!(tag.attr("link"), Some("file"));
        assert_eq!(tag.attr("size"), Some("large"));
        let audio = read("[audio https://ex.org/a.mp3]").unwrap();
        assert_eq!(audio.positional, vec!["https://ex.org/a.mp3"]);
        let yt = read("[youtube=http://www.youtube.com/watch?v=abc&w=640]").unwrap();
        assert_eq!(
            treatment(&yt),
            Treatment::Embed("http://www.youtube.com/watch?v=abc&w=640".into())
        );
        assert_eq!(read("[email=a@b.c]").unwrap().positional, vec!["a@b.c"]);
        assert!(read("[ not a tag]").is_none());
        assert!(read("[1abc]").is_none());
        assert!(read("[open").is_none());
    }

    #[test]
    fn writes_what_the_build_reads() {
        let tag = read("[pullquote cite=\"Jean &quot;Le Grand&quot; Dupont\"]").unwrap();
        assert_eq!(tag.written(), "[pullquote cite='Jean \"Le Grand\" Dupont']");
        let both = read("[pullquote cite='l&#039;a &quot;b&quot;']").unwrap();
        assert_eq!(both.written(), "[pullquote cite=\"l'a ”b”\"]");
        let audio = read("[video mp4=x.mp4 /]").unwrap();
        assert_eq!(audio.written(), "[video mp4=\"x.mp4\" /]");
    }

    #[test]
    fn treats_known_embedded_and_unknown_tags() {
        let t = |s: &str| treatment(&read(s).unwrap());
        assert_eq!(t("[caption id=\"a\"]"), Treatment::Keep(true));
        assert_eq!(t("[/video]"), Treatment::Drop);
        assert_eq!(
            t("[vimeo 1234]"),
            Treatment::Embed("https://vimeo.com/1234".into())
        );
        assert_eq!(t("[mysqld]"), Treatment::Text);
        assert_eq!(t("[contact-field label=\"x\"]"), Treatment::Text);
    }

    #[test]
    fn code_languages_and_fences() {
        let tag = read("[sourcecode language=\"R\"]").unwrap();
        assert_eq!(code_language(&tag), "r");
        assert_eq!(code_language(&read("[py]").unwrap()), "python");
        assert_eq!(code_language(&read("[code]").unwrap()), "");
        assert_eq!(fenced("a ``` b", "x"), "\n\n````x\na ``` b\n````\n\n");
    }
}
