//! URLs that run a script or open a document the site did not write (`javascript:`,
//! `vbscript:`, `file:`, `data:`), recognised as a browser reads them, and removed from the
//! attributes of rendered HTML.
//!
//! A browser skips spaces and control characters before a URL, drops tabs and line breaks
//! anywhere in it, and, in HTML, decodes character references first:
//! `&#106;ava&Tab;script&colon;` runs as `javascript:`. Everything here reads URLs that way, so
//! no spelling gets past.
//!
//! `data:image/…` stays in an image's source (`src` and `srcset` of `<img>` and `<source>`),
//! where a browser only ever decodes it as a picture; but not `data:image/svg+xml`: an SVG is a
//! document that may hold scripts, which run when the same URL is opened as a page (Firefox
//! refuses to open it for that reason), and a site's drawings can be files.

use std::borrow::Cow;

/// Where a URL is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A link, a frame, a form, a player…: no `data:` URL at all.
    Link,
    /// An image's source, which may also be a `data:image/…` picture (not SVG).
    Image,
}

/// A URL's scheme, lower-cased; a longer one than any Tribune knows is cut short, so that it
/// equals none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scheme {
    /// Its first bytes.
    bytes: [u8; Scheme::MAX],
    /// How many of them are used.
    len: usize,
}

impl Scheme {
    /// The longest scheme kept whole: longer than `javascript`.
    const MAX: usize = 16;

    /// The scheme, such as `https`.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII letters, digits and `+-.` are ever stored.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

/// The scheme of `url` as a browser reads it (`JaVa\tscript:` is `javascript`); `None` for a
/// relative URL. `url` is already decoded (from Markdown or front matter, not raw HTML).
pub(crate) fn scheme(url: &str) -> Option<Scheme> {
    if !url.contains(':') {
        return None;
    }
    read_scheme(&mut Parsed::new(url.chars()))
}

/// Whether `url` (already decoded) would run code or open a document the site did not write.
pub(crate) fn is_unsafe(url: &str, place: Place) -> bool {
    url.contains(':') && unsafe_chars(url.chars(), place)
}

/// Whether the URL made of `chars` (as written, before the browser's clean-up) is unsafe.
fn unsafe_chars(chars: impl Iterator<Item = char>, place: Place) -> bool {
    let mut chars = Parsed::new(chars);
    let Some(scheme) = read_scheme(&mut chars) else {
        return false;
    };
    match scheme.as_str() {
        "javascript" | "vbscript" | "file" => true,
        "data" => place == Place::Link || !is_raster_image(chars),
        _ => false,
    }
}

/// Whether the rest of a `data:` URL, after its colon, starts with an image type other than
/// SVG (`image/png;base64,…`).
fn is_raster_image(chars: impl Iterator<Item = char>) -> bool {
    let mut essence = [0u8; 32];
    let mut len = 0;
    for c in chars.skip_while(char::is_ascii_whitespace) {
        if matches!(c, ',' | ';') {
            break;
        }
        if len == essence.len() || !c.is_ascii() {
            return false;
        }
        essence[len] = c.to_ascii_lowercase() as u8;
        len += 1;
    }
    let essence = &essence[..len];
    essence.starts_with(b"image/") && !essence.windows(3).any(|w| w == b"svg")
}

/// Reads the scheme at the start of `chars`, leaving them after its colon.
fn read_scheme(chars: &mut impl Iterator<Item = char>) -> Option<Scheme> {
    let mut scheme = Scheme {
        bytes: [0; Scheme::MAX],
        len: 0,
    };
    let first = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    scheme.bytes[0] = first.to_ascii_lowercase() as u8;
    scheme.len = 1;
    for c in chars {
        match c {
            ':' => return Some(scheme),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                if scheme.len < Scheme::MAX {
                    scheme.bytes[scheme.len] = c.to_ascii_lowercase() as u8;
                    scheme.len += 1;
                }
            }
            _ => return None,
        }
    }
    None
}

/// A URL's characters as the browser's URL parser takes them: spaces and control characters
/// before it skipped, tabs and line breaks dropped wherever they are.
struct Parsed<I> {
    /// The characters as written.
    chars: I,
    /// Whether the first character that counts has been seen.
    started: bool,
}

impl<I> Parsed<I> {
    /// Reads `chars`.
    fn new(chars: I) -> Parsed<I> {
        Parsed {
            chars,
            started: false,
        }
    }
}

impl<I: Iterator<Item = char>> Iterator for Parsed<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            let c = self.chars.next()?;
            if matches!(c, '\t' | '\n' | '\r') || (!self.started && c <= ' ') {
                continue;
            }
            self.started = true;
            return Some(c);
        }
    }
}

/// The characters of an HTML attribute value as written, with character references decoded:
/// numeric ones and the named ones that can spell a scheme, with or without their `;`.
struct Decoded<'a> {
    /// What is left to read.
    rest: &'a str,
}

/// Named references that can change how a URL's scheme or a `data:` type reads.
const NAMED: [(&str, char); 14] = [
    ("Tab", '\t'),
    ("NewLine", '\n'),
    ("colon", ':'),
    ("sol", '/'),
    ("plus", '+'),
    ("period", '.'),
    ("comma", ','),
    ("semi", ';'),
    ("amp", '&'),
    ("quot", '"'),
    ("apos", '\''),
    ("lt", '<'),
    ("gt", '>'),
    ("nbsp", '\u{a0}'),
];

impl Iterator for Decoded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = self.rest.chars().next()?;
        if c == '&'
            && let Some((decoded, len)) = reference(self.rest)
        {
            self.rest = &self.rest[len..];
            return Some(decoded);
        }
        self.rest = &self.rest[c.len_utf8()..];
        Some(c)
    }
}

/// The character of the reference that starts `text` (at its `&`), and its length in bytes.
fn reference(text: &str) -> Option<(char, usize)> {
    let bytes = text.as_bytes();
    let semicolon = |end: usize| end + usize::from(bytes.get(end) == Some(&b';'));
    if bytes.get(1) == Some(&b'#') {
        let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let radix = if hex { 16 } else { 10 };
        let digits = bytes[start..]
            .iter()
            .take_while(|b| char::from(**b).is_digit(radix))
            .count();
        if digits == 0 {
            return None;
        }
        let value = bytes[start..start + digits].iter().fold(0u32, |n, b| {
            let digit = char::from(*b).to_digit(radix).unwrap_or(0);
            n.saturating_mul(radix).saturating_add(digit)
        });
        // As browsers do: nothing, a surrogate or too large a number is U+FFFD.
        let c = char::from_u32(value)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}');
        return Some((c, semicolon(start + digits)));
    }
    NAMED.iter().find_map(|(name, c)| {
        text[1..]
            .starts_with(name)
            .then(|| (*c, semicolon(1 + name.len())))
    })
}

/// How an attribute holds URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// One URL (`href`, `src`…).
    Url,
    /// Candidates `URL descriptor`, separated by commas (`srcset`).
    Candidates,
    /// URLs separated by spaces (`ping`, `archive`).
    Spaced,
    /// URLs separated by semicolons (an SVG animation's `values`).
    Semicolons,
    /// A refresh's delay then its URL (`<meta http-equiv="refresh" content="0; url=…">`).
    Refresh,
    /// A document of its own (`<iframe srcdoc>`), whose tags are checked in turn.
    Document,
}

/// What the attribute `name` (lower-cased) of an element `element` holds, if it holds URLs.
fn holds(element: &[u8], name: &[u8]) -> Option<Holds> {
    Some(match name {
        b"href" | b"src" | b"action" | b"formaction" | b"poster" | b"cite" | b"background"
        | b"xlink:href" | b"data" | b"longdesc" | b"manifest" | b"codebase" | b"classid"
        | b"lowsrc" | b"dynsrc" | b"icon" | b"profile" | b"to" | b"from" => Holds::Url,
        b"srcset" | b"imagesrcset" => Holds::Candidates,
        b"ping" | b"archive" => Holds::Spaced,
        b"values" => Holds::Semicolons,
        b"content" if element == b"meta" => Holds::Refresh,
        b"srcdoc" => Holds::Document,
        _ => return None,
    })
}

/// Whether the attribute value `raw` (as written, references not decoded) holds an unsafe URL.
fn unsafe_value(raw: &str, holds: Holds, place: Place, depth: usize) -> bool {
    // A scheme needs a colon, written or as a reference.
    if !raw.contains([':', '&']) {
        return false;
    }
    let chars = || Decoded { rest: raw };
    let split = |separator: fn(char) -> bool| {
        let mut chars = chars().peekable();
        while chars.peek().is_some() {
            let url = chars.by_ref().take_while(|&c| !separator(c));
            if unsafe_chars(url, place) {
                return true;
            }
        }
        false
    };
    match holds {
        Holds::Url => unsafe_chars(chars(), place),
        Holds::Spaced => split(|c| c.is_ascii_whitespace()),
        Holds::Semicolons => split(|c| c == ';'),
        Holds::Candidates => {
            // A candidate's URL runs to the first space; its descriptor to the next comma.
            let mut chars = chars().peekable();
            loop {
                while chars
                    .next_if(|c| c.is_ascii_whitespace() || *c == ',')
                    .is_some()
                {}
                if chars.peek().is_none() {
                    return false;
                }
                let mut url = chars.by_ref().take_while(|c| !c.is_ascii_whitespace());
                if unsafe_chars(url.by_ref(), place) {
                    return true;
                }
                url.for_each(drop);
                let mut depth = 0usize;
                for c in chars.by_ref() {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        ',' if depth == 0 => break,
                        _ => {}
                    }
                }
            }
        }
        Holds::Refresh => {
            let value: String = chars().collect();
            let url = value
                .split_once([';', ','])
                .map_or("", |(_, url)| url)
                .trim_start_matches(|c: char| c.is_ascii_whitespace());
            let url = match url.get(..3) {
                Some(word) if word.eq_ignore_ascii_case("url") => url[3..]
                    .trim_start_matches(|c: char| c.is_ascii_whitespace())
                    .strip_prefix('=')
                    .unwrap_or(url),
                _ => url,
            };
            let url = url.trim_start_matches(|c: char| c.is_ascii_whitespace());
            is_unsafe(url.trim_start_matches(['"', '\'']), Place::Link)
        }
        Holds::Document => {
            let document: String = chars().collect();
            depth >= MAX_DEPTH || matches!(clean_at(&document, depth + 1), Cow::Owned(_))
        }
    }
}

/// How many documents inside attributes (`srcdoc` in `srcdoc`) are read before one is taken
/// as unsafe whole.
const MAX_DEPTH: usize = 4;

/// `html` without any attribute that holds an unsafe URL: the element stays, so a link keeps
/// its text and an image its `alt`. Unchanged, and not copied, when there is none.
///
/// Tags are read as an HTML parser reads them, so a tag written over several lines, an
/// attribute without quotes or one glued to the last are all seen; comments are skipped, and
/// the text of `<script>`, `<style>`, `<textarea>`, `<title>` and the like is read as text
/// (as browsers do), then once more as tags, in case a reader takes it so.
pub(crate) fn clean_html(html: &str) -> Cow<'_, str> {
    clean_at(html, 0)
}

/// [`clean_html`] for a document `depth` attributes deep.
fn clean_at(html: &str, depth: usize) -> Cow<'_, str> {
    if !may_hold_unsafe_url(html.as_bytes()) {
        return Cow::Borrowed(html);
    }
    let mut cleaner = Cleaner {
        html,
        removed: Vec::new(),
        depth,
        raw_text_seen: false,
    };
    // Once as browsers read HTML, once with every element's text read as tags, as a reader
    // that runs no scripts reads a `<noscript>`, or a browser an SVG's `<style>`: whichever
    // way a text is read, no link in it escapes.
    cleaner.run(true);
    if cleaner.raw_text_seen {
        cleaner.run(false);
    }
    if cleaner.removed.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut removed = cleaner.removed;
    removed.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for range in removed {
        if range.end > copied {
            out.push_str(&html[copied..range.start.max(copied)]);
            copied = range.end;
        }
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Whether `html` may hold an unsafe URL: a colon after the name of an unsafe scheme, or a
/// reference that could spell one (`&#…`, `&colon;`, `&Tab;`, `&NewLine;`, also encoded once
/// more as in a `srcdoc`). Most pages have neither, and need no reading of their tags.
fn may_hold_unsafe_url(html: &[u8]) -> bool {
    memchr::memchr2_iter(b':', b'&', html).any(|at| {
        if html[at] == b'&' {
            let mut rest = &html[at + 1..];
            while let Some(after) = rest.strip_prefix(b"amp") {
                rest = after.strip_prefix(b";").unwrap_or(after);
            }
            return [&b"#"[..], b"colon", b"Tab", b"NewLine"]
                .iter()
                .any(|p| rest.starts_with(p));
        }
        // No named reference spells a letter: a scheme before a colon is written as it is,
        // maybe with tabs and line breaks, which URLs lose.
        let mut name = [0u8; 10];
        let mut len = 0;
        for &b in html[..at].iter().rev() {
            if matches!(b, b'\t' | b'\n' | b'\r') {
                continue;
            }
            if !b.is_ascii_alphanumeric() || len == name.len() {
                break;
            }
            name[name.len() - 1 - len] = b.to_ascii_lowercase();
            len += 1;
        }
        let name = &name[name.len() - len..];
        [&b"javascript"[..], b"vbscript", b"file", b"data"]
            .iter()
            .any(|scheme| name.ends_with(scheme))
    })
}

/// Elements whose text an HTML parser reads as text, not tags.
const RAW_TEXT: [&[u8]; 10] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
    b"plaintext",
];

/// A tag or attribute name, lower-cased, when it is short enough to be one Tribune knows.
#[derive(Clone, Copy)]
struct Name {
    /// Its bytes.
    bytes: [u8; Name::MAX],
    /// How many are used.
    len: usize,
}

impl Name {
    /// The longest name any check needs (`imagesrcset`, `xlink:href`).
    const MAX: usize = 12;

    /// `bytes` lower-cased; `None` when too long to matter.
    fn of(bytes: &[u8]) -> Option<Name> {
        let mut name = Name {
            bytes: [0; Name::MAX],
            len: bytes.len(),
        };
        name.bytes.get_mut(..bytes.len())?.copy_from_slice(bytes);
        name.bytes.make_ascii_lowercase();
        Some(name)
    }

    /// The name.
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// Whether `b` is a space between attributes.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// A tag as read: where it ends, its lower-cased name, and whether its `>` was found.
struct Read {
    /// The position after it.
    end: usize,
    /// Its name, if short enough to matter.
    name: Option<Name>,
    /// Whether it ends before the text does.
    closed: bool,
}

/// Reads HTML for the attributes that hold unsafe URLs.
struct Cleaner<'a> {
    /// The HTML.
    html: &'a str,
    /// Byte ranges to leave out: each such attribute, with the space before it.
    removed: Vec<std::ops::Range<usize>>,
    /// How many documents inside attributes this one is.
    depth: usize,
    /// Whether an element whose text is not read as tags was met: only then can a second
    /// reading, with it read as tags, find more.
    raw_text_seen: bool,
}

impl Cleaner<'_> {
    /// Reads the tags of the HTML; with `raw_text`, the text of elements such as `<script>`
    /// is text, as browsers read it.
    fn run(&mut self, raw_text: bool) {
        let bytes = self.html.as_bytes();
        let mut at = 0;
        while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
            at += found + 1;
            match bytes.get(at) {
                Some(b'!') if bytes[at..].starts_with(b"!--") => {
                    at = comment_end(bytes, at + 3);
                }
                Some(b'!' | b'?') => at = after(bytes, at, b'>'),
                Some(b'/') => match bytes.get(at + 1) {
                    // An end tag's attributes are ignored, but they decide where it ends.
                    Some(c) if c.is_ascii_alphabetic() => at = self.tag(at + 1, false).end,
                    Some(b'>') => at += 2,
                    _ => at = after(bytes, at, b'>'),
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    let read = self.tag(at, true);
                    at = read.end;
                    if let Some(name) = read.name.filter(|_| raw_text && read.closed)
                        && RAW_TEXT.contains(&name.as_bytes())
                    {
                        self.raw_text_seen = true;
                        at = text_end(bytes, at, name.as_bytes());
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads the tag whose name starts at `at`, noting the attributes of a start tag
    /// (`check`) that hold unsafe URLs.
    fn tag(&mut self, at: usize, check: bool) -> Read {
        let html = self.html;
        let bytes = html.as_bytes();
        let mut i = at;
        while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
            i += 1;
        }
        let element = Name::of(&bytes[at..i]);
        loop {
            let space_start = i;
            while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
                i += 1;
            }
            match bytes.get(i) {
                None => {
                    return Read {
                        end: i,
                        name: element,
                        closed: false,
                    };
                }
                Some(b'>') => {
                    return Read {
                        end: i + 1,
                        name: element,
                        closed: true,
                    };
                }
                _ => {}
            }
            let name_start = i;
            i += 1;
            while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=')
            {
                i += 1;
            }
            let name_end = i;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                // No value: what follows is the next attribute.
                i = name_end;
                continue;
            }
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let (value, end) = match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => match memchr::memchr(quote, &bytes[i + 1..]) {
                    Some(len) => (i + 1..i + 1 + len, i + len + 2),
                    // Unclosed, the value runs on into whatever the page puts after.
                    None => (i + 1..bytes.len(), bytes.len()),
                },
                _ => {
                    let len = bytes[i..]
                        .iter()
                        .position(|&b| is_space(b) || b == b'>')
                        .unwrap_or(bytes.len() - i);
                    (i..i + len, i + len)
                }
            };
            i = end;
            // Most values hold no colon and no reference: no scheme, nothing more to read.
            if !check || memchr::memchr2(b':', b'&', &bytes[value.clone()]).is_none() {
                continue;
            }
            let (Some(element), Some(name)) = (element, Name::of(&bytes[name_start..name_end]))
            else {
                continue;
            };
            let Some(holds) = holds(element.as_bytes(), name.as_bytes()) else {
                continue;
            };
            let image = matches!(element.as_bytes(), b"img" | b"image" | b"source")
                && matches!(name.as_bytes(), b"src" | b"srcset");
            let place = if image { Place::Image } else { Place::Link };
            if unsafe_value(&html[value], holds, place, self.depth) {
                // The space before goes too, unless it keeps the next attribute apart.
                let glued = bytes.get(end).is_some_and(|&b| !is_space(b) && b != b'>');
                let start = if glued { name_start } else { space_start };
                self.removed.push(start..end);
            }
        }
    }
}

/// Where the comment whose text starts at `at` ends (after its `-->`; `<!-->` ends at once).
fn comment_end(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at..];
    if rest.starts_with(b">") {
        return at + 1;
    }
    if rest.starts_with(b"->") {
        return at + 2;
    }
    let mut i = at;
    while let Some(found) = memchr::memchr(b'-', &bytes[i..]) {
        let dash = i + found;
        if bytes[dash..].starts_with(b"-->") {
            return dash + 3;
        }
        if bytes[dash..].starts_with(b"--!>") {
            return dash + 4;
        }
        i = dash + 1;
    }
    bytes.len()
}

/// The position just after the next `byte` from `at`, or the end.
fn after(bytes: &[u8], at: usize, byte: u8) -> usize {
    memchr::memchr(byte, &bytes[at..]).map_or(bytes.len(), |p| at + p + 1)
}

/// Where the text of the raw-text element `name` that starts at `at` ends: at its `</name`.
fn text_end(bytes: &[u8], at: usize, name: &[u8]) -> usize {
    if name == b"plaintext" {
        return bytes.len();
    }
    let mut i = at;
    while let Some(found) = memchr::memmem::find(&bytes[i..], b"</") {
        let lt = i + found;
        let candidate = &bytes[lt + 2..];
        let ends = candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name)
            && candidate
                .get(name.len())
                .is_none_or(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'));
        if ends {
            return lt;
        }
        i = lt + 2;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_spelling_of_a_dangerous_scheme() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}\u{8} javascript:alert(1)",
            "jav\tascript:alert(1)",
            "java\nscript:alert(1)",
            "java\r\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "file:///etc/passwd",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "data:image/png;base64,iVBORw0KGgo=",
        ] {
            assert!(is_unsafe(url, Place::Link), "{url:?}");
        }
        for url in [
            "https://example.org/a:b",
            "http://example.org/",
            "mailto:a@example.org",
            "tel:+33123456789",
            "#javascript:x",
            "/posts/javascript:x/",
            "posts/x.html",
            "./javascript:x",
            "java script:alert(1)",
            "javascript",
            "",
        ] {
            assert!(!is_unsafe(url, Place::Link), "{url:?}");
        }
    }

    #[test]
    fn only_raster_images_stay_as_data_in_an_image() {
        assert!(!is_unsafe(
            "data:image/png;base64,iVBORw0KGgo=",
            Place::Image
        ));
        assert!(!is_unsafe("DATA: Image/JPEG,xx", Place::Image));
        assert!(is_unsafe("data:image/svg+xml,<svg/>", Place::Image));
        assert!(is_unsafe(
            "data:IMAGE/SVG+XML;base64,PHN2Zz4=",
            Place::Image
        ));
        assert!(is_unsafe("data:text/html,<script>", Place::Image));
        assert!(is_unsafe("data:,x", Place::Image));
        assert!(is_unsafe("javascript:alert(1)", Place::Image));
    }

    #[test]
    fn reads_schemes_as_browsers_do() {
        let s = |url| scheme(url).map(|s| s.as_str().to_string());
        assert_eq!(s(" HTTPS://e.org").as_deref(), Some("https"));
        assert_eq!(s("ma\tilto:a@b.c").as_deref(), Some("mailto"));
        assert_eq!(s("/a:b"), None);
        assert_eq!(s("a b:c"), None);
        assert_eq!(
            s("averyveryverylongscheme:x").as_deref(),
            Some("averyveryverylon")
        );
    }

    #[test]
    fn decodes_character_references_in_attributes() {
        let decoded = |raw: &str| Decoded { rest: raw }.collect::<String>();
        assert_eq!(decoded("&#106;ava&#x73;cript&colon;"), "javascript:");
        assert_eq!(decoded("&#106ava&#X73;cript&colon"), "javascript:");
        assert_eq!(decoded("java&Tab;scr&NewLine;ipt&#58;"), "java\tscr\nipt:");
        assert_eq!(
            decoded("a&amp;b &unknown; &# &#x; &#0;"),
            "a&b &unknown; &# &#x; \u{FFFD}"
        );
        assert_eq!(decoded("&#99999999999999;é"), "\u{FFFD}é");
    }

    fn clean(html: &str) -> String {
        clean_html(html).into_owned()
    }

    #[test]
    fn removes_unsafe_url_attributes_and_keeps_the_rest() {
        assert_eq!(clean(r#"<a href="javascript:alert(1)">x</a>"#), "<a>x</a>");
        assert_eq!(
            clean(r#"<a title="t" HREF='&#106;avascript&colon;alert(1)' class="c">x</a>"#),
            r#"<a title="t" class="c">x</a>"#
        );
        assert_eq!(clean("<a href=java&Tab;script:alert(1)>x</a>"), "<a>x</a>");
        assert_eq!(
            clean("<a\nhref=\"jav\tascript:alert(1)\"\n>x</a>"),
            "<a\n>x</a>"
        );
        assert_eq!(
            clean(r#"<a title="x"href="javascript:y"class="z">t</a>"#),
            r#"<a title="x"class="z">t</a>"#
        );
        assert_eq!(
            clean(
                r#"<iframe src="data:text/html;base64,PHNjcmlwdD4="></iframe><form action="vbscript:x"><button formaction="file:///x">b</button></form>"#
            ),
            "<iframe></iframe><form><button>b</button></form>"
        );
        assert_eq!(
            clean(
                r#"<video src="javascript:a" poster="javascript:b"><a href="javascript:c">v</a></video>"#
            ),
            "<video><a>v</a></video>"
        );
        assert_eq!(
            clean(
                r##"<svg><a xlink:href="javascript:x">s</a><animate attributeName="href" values="#;javascript:x"/></svg>"##
            ),
            r#"<svg><a>s</a><animate attributeName="href" /></svg>"#
        );
        assert_eq!(
            clean(r#"<meta http-equiv="refresh" content="0; URL='javascript:x'">"#),
            r#"<meta http-equiv="refresh">"#
        );
        assert_eq!(
            clean(r#"<iframe srcdoc="<a href=&quot;javascript:x&quot;>x</a>"></iframe>"#),
            "<iframe></iframe>"
        );
    }

    #[test]
    fn keeps_safe_urls_and_pictures_untouched() {
        let html = r##"<p><a href="https://e.org/?a=1&amp;b=2">a</a> <a href="/posts/x/">b</a> <a href="mailto:a@b.c">c</a> <a href="tel:+331">d</a> <a href="#fn">e</a> <img src="data:image/png;base64,iVBORw0KGgo=" alt="p"> <picture><source srcset="data:image/webp;base64,UklGR 1x, b.webp 2x"><img src="a.png"></picture> <iframe srcdoc="<p>hi</p>"></iframe></p>"##;
        assert!(matches!(clean_html(html), Cow::Borrowed(_)));
        assert!(matches!(
            clean_html("<p>No colon here</p>"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn data_images_stay_only_as_image_sources() {
        assert_eq!(
            clean(
                r#"<a href="data:image/png;base64,AA">x</a><img src="data:image/svg+xml,&lt;svg/&gt;" alt="s"><img srcset="ok.png 1x, data:text/html,x 2x">"#
            ),
            r#"<a>x</a><img alt="s"><img>"#
        );
    }

    #[test]
    fn pages_without_a_hint_of_an_unsafe_url_are_not_read() {
        for html in [
            "<p>Voir <a href=\"https://e.org/a:b\">x</a> à 10:30, R&amp;D &amp; co.</p>",
            "<p>metadata&nbsp;: <code>x::y</code></p>",
        ] {
            assert!(!may_hold_unsafe_url(html.as_bytes()), "{html}");
        }
        for html in [
            "javascript:",
            "JAVA\tSCRIPT:",
            "xdata:",
            "&#106;",
            "&colon;",
            "&Tab;",
            "&NewLine",
            "&amp;#106;",
            "&amp;amp;colon;",
        ] {
            assert!(may_hold_unsafe_url(html.as_bytes()), "{html}");
        }
    }

    #[test]
    fn reads_comments_and_raw_text_as_browsers_do() {
        // Inside a comment there is no tag.
        let html = r#"<!-- <a href="javascript:x"> --><p>t</p>"#;
        assert!(matches!(clean_html(html), Cow::Borrowed(_)));
        // A quote in a script's text cannot hide the link after the script from the reader.
        assert_eq!(
            clean(
                r#"<script>var s = "<b title='";</script><a href="javascript:x">t</a><script>'";</script>"#
            ),
            r#"<script>var s = "<b title='";</script><a>t</a><script>'";</script>"#
        );
        // A style's text is tags inside an SVG: it is read both ways.
        assert_eq!(
            clean(r#"<svg><style><a href="javascript:x">t</a></style></svg>"#),
            r#"<svg><style><a>t</a></style></svg>"#
        );
        // Texts built to make a reader go back over them cost one reading each way.
        let long = "<script><a title='</script>&#1;".repeat(50_000);
        assert!(matches!(clean_html(&long), Cow::Borrowed(_)));
        let long = "<noscript><a title=\"</noscript>\" href=\"javascript:x\">".repeat(50_000);
        assert_eq!(
            clean(&long),
            "<noscript><a title=\"</noscript>\">".repeat(50_000)
        );
        // A tag whose quote is never closed takes in the page after it: it is checked too.
        assert_eq!(
            clean(r#"<p>t</p><a href="javascript:alert(1)//"#),
            "<p>t</p><a"
        );
        assert_eq!(clean("a < b: <"), "a < b: <");
        // A tag read in a script's text that runs past the script's end is read to its end.
        assert_eq!(
            clean(r#"<noscript><a title="</noscript>" href="javascript:x">t</a>"#),
            r#"<noscript><a title="</noscript>">t</a>"#
        );
    }
}
