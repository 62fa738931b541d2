//! WordPress-style shortcodes (`[pullquote]…[/pullquote]`, `[share]`), expanded in the Markdown
//! source before it is rendered, through the theme's `shortcodes/NAME.html` templates.
//!
//! A shortcode written inside a paragraph annotates the running text: its body stays where it
//! is, and the template's output is placed just before the paragraph (a pull quote is a copy
//! of words the reader also finds in the text). A shortcode that is a paragraph of its own is
//! replaced by the template's output. Templates get `inline` to tell the two apart.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::body::markdown::BodyImages;
use crate::error::Diagnostic;
use crate::images::Format;
use crate::images::markup::Picture;
use crate::theme::templates::{self, Kind, Templates};

/// One shortcode found in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    /// Its name.
    pub(crate) name: String,
    /// Its attributes, by name.
    pub(crate) attrs: BTreeMap<String, String>,
    /// Byte range of the opening (or only) tag.
    pub(crate) open: Range<usize>,
    /// Byte range of the closing tag, for paired shortcodes.
    pub(crate) close: Option<Range<usize>>,
}

impl Node {
    /// The whole shortcode, tags included.
    pub(crate) fn span(&self) -> Range<usize> {
        self.open.start..self.close.as_ref().map_or(self.open.end, |c| c.end)
    }

    /// The text between the tags.
    pub(crate) fn body(&self) -> Range<usize> {
        self.open.end..self.close.as_ref().map_or(self.open.end, |c| c.start)
    }
}

/// A problem at a byte offset of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    /// Where.
    pub(crate) offset: usize,
    /// Length in bytes of what is wrong there; 0 when only the place is known.
    pub(crate) len: usize,
    /// What.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) hint: Option<String>,
}

struct Tag_ {
    name: String,
    attrs: BTreeMap<String, String>,
    closing: bool,
    self_closing: bool,
    range: Range<usize>,
}

/// Finds the outermost shortcodes of `text`, ignoring code spans and code blocks. Nested
/// shortcodes are found again when their parent's body is expanded. The first problem, if any,
/// is the error.
pub(crate) fn parse(
    text: &str,
    kind: &dyn Fn(&str) -> Option<Kind>,
) -> Result<Vec<Node>, ParseError> {
    let theme = Theme { kind, names: &[] };
    parse_with(text, &theme, 0, &mut None).map_err(|mut problems| problems.swap_remove(0))
}

/// What the parser knows of the theme's shortcodes.
struct Theme<'a> {
    /// Whether a name is a shortcode, and of which kind.
    kind: &'a dyn Fn(&str) -> Option<Kind>,
    /// Every shortcode's name, for suggestions.
    names: &'a [&'a str],
}

impl Theme<'_> {
    /// The problem of the unknown shortcode `name`, written at the byte range `tag`, with the
    /// known name it resembles.
    fn unknown(&self, name: &str, tag: Range<usize>) -> ParseError {
        let hint = match crate::error::closest(name, self.names.iter().copied()) {
            Some(best) => format!("did you mean `[{best}]`?"),
            None => "each shortcode renders through a template: add templates/shortcodes/NAME.html"
                .to_string(),
        };
        ParseError {
            offset: tag.start,
            len: tag.len(),
            message: format!("unknown shortcode `{name}`"),
            hint: Some(hint),
        }
    }
}

/// Unknown shortcodes reported in one text at most: past this many, the rest is noise.
const MAX_UNKNOWN: usize = 100;

/// [`parse`] of a text that lies inside `depth` other shortcodes, keeping in `outline` the
/// Markdown outline it may need, for the expansion to reuse. Every unknown shortcode is
/// reported, in the order of the text; any other problem stops the parse.
fn parse_with(
    text: &str,
    theme: &Theme<'_>,
    depth: usize,
    outline: &mut Option<Outline>,
) -> Result<Vec<Node>, Vec<ParseError>> {
    let kind = theme.kind;
    let mut stack: Vec<Tag_> = Vec::new();
    let mut nodes = Vec::new();
    let mut unknown: Vec<ParseError> = Vec::new();
    // Unknown shortcodes opened with attributes, whose closing tags are not reported again.
    let mut unknown_open: Vec<String> = Vec::new();
    // The last bare `[name]` of each unknown name: read as prose, until a `[/name]` shows it
    // was meant as a shortcode, and the place to point at.
    let mut bare: Vec<(String, Range<usize>)> = Vec::new();
    let mut may_hold_code = None;
    let mut at = 0;
    while let Some(found) = text[at..].find('[') {
        let start = at + found;
        at = start + 1;
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            continue;
        }
        let Some(tag) = read_tag(text, start) else {
            continue;
        };
        let known = kind(&tag.name);
        let explicit = tag.closing || tag.self_closing || !tag.attrs.is_empty();
        // `[sic]` or a link's text is prose; only shortcode-only syntax makes it an error.
        let followed_by_link = text[tag.range.end..].starts_with(['(', '[', ':']);
        let prose = known.is_none() && (!explicit || followed_by_link);
        // `[caption](https://…)` links to a page about captions: a bare name before a link's
        // destination or label is the link's text, even when a shortcode has that name.
        if prose || (!explicit && is_link_text(text, &tag, &kind)) {
            if prose && !tag.closing {
                match bare.iter_mut().find(|(name, _)| *name == tag.name) {
                    Some(last) => last.1 = tag.range,
                    None => bare.push((tag.name, tag.range)),
                }
            }
            continue;
        }
        // Finding code spans takes a Markdown parse: only texts that may hold both code and a
        // shortcode pay for it.
        let code = may_hold_code
            .get_or_insert_with(|| may_hold_code_at_all(text))
            .then(|| &outline.get_or_insert_with(|| Outline::of(text)).code);
        if let Some(r) = code.into_iter().flatten().find(|r| r.contains(&start)) {
            at = r.end;
            continue;
        }
        if known.is_none() {
            at = tag.range.end;
            let reported = match unknown_open.iter().rposition(|n| *n == tag.name) {
                Some(i) if tag.closing => {
                    unknown_open.remove(i);
                    true
                }
                _ => false,
            };
            if !reported {
                if !tag.closing && !tag.self_closing {
                    unknown_open.push(tag.name.clone());
                }
                let opened = tag
                    .closing
                    .then(|| bare.iter().position(|(name, _)| *name == tag.name))
                    .flatten()
                    .map(|i| bare.swap_remove(i).1);
                unknown.push(theme.unknown(&tag.name, opened.unwrap_or(tag.range)));
                if unknown.len() == MAX_UNKNOWN {
                    return Err(unknown);
                }
            }
            continue;
        }
        at = tag.range.end;
        if tag.closing {
            match stack.iter().rposition(|open| open.name == tag.name) {
                None => {
                    // An opening tag that could not be read is the likelier mistake.
                    let unread = text[..start].rfind(&format!("[{} ", tag.name));
                    return Err(stop(
                        unknown,
                        match unread {
                            Some(offset) => ParseError {
                                offset,
                                len: 0,
                                message: format!("this `[{} …]` tag cannot be read", tag.name),
                                hint: Some(
                                    "write each attribute as key=\"value\", quotes closed, on one line"
                                        .to_string(),
                                ),
                            },
                            None => ParseError {
                                offset: start,
                                len: 0,
                                message: format!(
                                    "`[/{}]` closes a shortcode that was never opened",
                                    tag.name
                                ),
                                hint: None,
                            },
                        },
                    ));
                }
                Some(i) => {
                    if let Some(inner) = stack[i + 1..]
                        .iter()
                        .find(|t| kind(&t.name) == Some(Kind::Paired))
                    {
                        return Err(stop(
                            unknown,
                            ParseError {
                                offset: inner.range.start,
                                len: 0,
                                message: format!(
                                    "shortcode `[{}]` is not closed before `[/{}]` (shortcodes must nest)",
                                    inner.name, tag.name
                                ),
                                hint: None,
                            },
                        ));
                    }
                    stack.truncate(i + 1);
                    let open = stack.pop().expect("found above");
                    if stack.is_empty() {
                        nodes.push(Node {
                            name: open.name,
                            attrs: open.attrs,
                            open: open.range,
                            close: Some(tag.range),
                        });
                    }
                }
            }
        } else if tag.self_closing || known == Some(Kind::Single) {
            if stack.is_empty() {
                nodes.push(Node {
                    name: tag.name,
                    attrs: tag.attrs,
                    open: tag.range,
                    close: None,
                });
            }
        } else {
            // Refused as soon as it is opened: each level would read the rest of the text again.
            if depth + stack.len() + 1 >= MAX_NESTING {
                return Err(stop(
                    unknown,
                    ParseError {
                        offset: start,
                        len: 0,
                        message: format!("shortcodes nested more than {MAX_NESTING} deep"),
                        hint: Some("close each shortcode before opening the next one".to_string()),
                    },
                ));
            }
            stack.push(tag);
        }
    }
    if let Some(open) = stack.into_iter().next() {
        return Err(stop(
            unknown,
            ParseError {
                offset: open.range.start,
                len: 0,
                message: format!(
                    "shortcode `[{}]` is never closed by `[/{}]`",
                    open.name, open.name
                ),
                hint: None,
            },
        ));
    }
    if unknown.is_empty() {
        Ok(nodes)
    } else {
        Err(unknown)
    }
}

/// The problems of a parse that stops at `last`, after the unknown shortcodes found before,
/// in the order of the text.
fn stop(mut unknown: Vec<ParseError>, last: ParseError) -> Vec<ParseError> {
    unknown.push(last);
    unknown.sort_by_key(|p| p.offset);
    unknown
}

/// Whether the bare `[name]` of `tag` is the text of a link: followed by a destination
/// `(…)` or a label `[…]` (which is not itself a shortcode, as in `[share][pullquote]…`), or
/// the label of a reference definition, `[name]: URL` at the start of a line.
fn is_link_text(text: &str, tag: &Tag_, kind: &dyn Fn(&str) -> Option<Kind>) -> bool {
    let after = &text[tag.range.end..];
    match after.as_bytes().first() {
        Some(b'(') => true,
        // A label holds no bracket: `[caption][![photo](a.jpg)](a-large.jpg) …` opens a
        // caption around a linked image.
        Some(b'[') => {
            let label = &after[1..];
            let is_label = label
                .find(']')
                .is_some_and(|end| label.find('[').is_none_or(|nested| nested > end));
            is_label && read_tag(text, tag.range.end).is_none_or(|next| kind(&next.name).is_none())
        }
        Some(b':') => {
            let line = &text[..tag.range.start];
            let indent = &line[line.rfind('\n').map_or(0, |i| i + 1)..];
            indent.len() <= 3 && indent.bytes().all(|b| b == b' ')
        }
        _ => false,
    }
}

/// Reads `[name attr="v"]`, `[/name]` or `[name /]` at `start`.
fn read_tag(text: &str, start: usize) -> Option<Tag_> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    if !bytes.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
    {
        i += 1;
    }
    let name = text[name_start..i].to_string();
    let mut attrs = BTreeMap::new();
    let mut self_closing = false;
    loop {
        let ws = i;
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        match bytes.get(i)? {
            b']' => break,
            b'/' if !closing && bytes.get(i + 1) == Some(&b']') => {
                self_closing = true;
                i += 1;
                break;
            }
            c if c.is_ascii_alphabetic() && i > ws && !closing => {
                let key_start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
                {
                    i += 1;
                }
                let key = text[key_start..i].to_string();
                if bytes.get(i) != Some(&b'=') {
                    return None;
                }
                i += 1;
                let quote = *bytes.get(i)?;
                if quote != b'"' && quote != b'\'' {
                    return None;
                }
                let value_start = i + 1;
                let len = text[value_start..].find(quote as char)?;
                let value = &text[value_start..value_start + len];
                if value.contains('\n') {
                    return None;
                }
                attrs.insert(key, value.to_string());
                i = value_start + len + 1;
            }
            _ => return None,
        }
    }
    Some(Tag_ {
        name,
        attrs,
        closing,
        self_closing,
        range: start..i + 1,
    })
}

/// Whether Markdown could read any code in `text`: a code span needs a backtick, a fenced
/// block a backtick or `~~~`, and an indented block a tab or four spaces in a row (after a
/// quote's `>` or a list's marker too). Most prose has none, and needs no parse to know it.
fn may_hold_code_at_all(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2(b'`', b'\t', bytes).is_some()
        || memchr::memmem::find(bytes, b"~~~").is_some()
        || memchr::memmem::find(bytes, b"    ").is_some()
}

/// What shortcode expansion needs of a text's Markdown structure, from one parse.
struct Outline {
    /// Byte ranges of code spans and code blocks, where brackets are never shortcodes.
    code: Vec<Range<usize>>,
    /// Byte ranges of the top-level blocks (paragraphs, lists, quotes…), where an inline
    /// shortcode's output can go without breaking the structure around it, and whether each
    /// is a paragraph.
    blocks: Vec<(Range<usize>, bool)>,
}

impl Outline {
    fn of(text: &str) -> Outline {
        let mut depth = 0usize;
        let mut outline = Outline {
            code: Vec::new(),
            blocks: Vec::new(),
        };
        for (event, range) in
            Parser::new_ext(text, crate::body::dialect::options()).into_offset_iter()
        {
            if matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))) {
                outline.code.push(range.clone());
            }
            match event {
                Event::Start(tag) => {
                    if depth == 0 {
                        outline.blocks.push((range, matches!(tag, Tag::Paragraph)));
                    }
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ if depth == 0 => outline.blocks.push((range, false)),
                _ => {}
            }
        }
        outline
    }
}

/// Whether `span` is a paragraph of its own: only blank space around it up to blank lines.
pub(crate) fn stands_alone(text: &str, span: &Range<usize>) -> bool {
    let before = &text[..span.start];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before[line_start..].trim().is_empty() {
        return false;
    }
    let prev_blank = before[..line_start].trim_end_matches(' ').ends_with("\n\n")
        || before[..line_start].trim().is_empty();
    let after = &text[span.end..];
    let line_end = after.find('\n').unwrap_or(after.len());
    if !after[..line_end].trim().is_empty() {
        return false;
    }
    let rest = &after[line_end..];
    let next_blank = rest.trim().is_empty()
        || rest.trim_start_matches(' ').starts_with("\n\n")
        || rest.starts_with("\n\n");
    prev_blank && next_blank
}

/// Why an expansion failed.
#[derive(Debug)]
pub(crate) enum Problem {
    /// Bad shortcode syntax at byte offsets of the expanded text, in their order.
    At(Vec<ParseError>),
    /// A shortcode template failed.
    Template(Diagnostic),
}

/// The Markdown with every shortcode expanded, and the pull quotes found on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Expanded {
    /// Markdown holding the shortcodes' HTML.
    pub(crate) markdown: String,
    /// Plain text of each `[pullquote]`, in order.
    pub(crate) pullquotes: Vec<String>,
}

/// Expands shortcodes with the theme's templates.
pub(crate) struct Expander<'a> {
    /// Compiled templates (`shortcodes/NAME.html`).
    pub(crate) templates: &'a Templates,
    /// Variables of the page the text belongs to: `site`, `t`, `lang`, `page`. Each
    /// shortcode lays its own over them while its template renders.
    pub(crate) context: std::cell::RefCell<&'a mut tera::Context>,
    /// Site path of the page, for template error messages.
    pub(crate) site_path: &'a str,
    /// The page's own images published at several widths, for figures and galleries.
    pub(crate) images: Option<&'a BodyImages<'a>>,
    /// The site's base path, for the pictures' root-relative URLs.
    pub(crate) base_path: &'a str,
    /// What shortcode templates know of those images (see [`picture_data`]), made once a page.
    pub(crate) pictures: &'a BTreeMap<String, PictureData>,
}

/// How many shortcodes one text may hold, side by side: far more than any post, and few
/// enough that a page stays a page.
pub(crate) const MAX_SHORTCODES: usize = 1000;

/// How deep shortcodes may nest: each level reads its body again, and no text needs more.
pub(crate) const MAX_NESTING: usize = 16;

impl Expander<'_> {
    /// Expands every shortcode of `text`.
    pub(crate) fn expand(&self, text: &str) -> Result<Expanded, Problem> {
        let mut pullquotes = Vec::new();
        let markdown = self.level(text, 0, 0, &mut pullquotes)?;
        Ok(Expanded {
            markdown,
            pullquotes,
        })
    }

    /// Expands the shortcodes of `text`, which starts at `base` in the body and lies inside
    /// `depth` other shortcodes.
    fn level(
        &self,
        text: &str,
        base: usize,
        depth: usize,
        pullquotes: &mut Vec<String>,
    ) -> Result<String, Problem> {
        let kind = |name: &str| self.templates.shortcode(name);
        let names: Vec<&str> = self.templates.shortcode_names().collect();
        let theme = Theme {
            kind: &kind,
            names: &names,
        };
        let mut outline = None;
        let nodes = parse_with(text, &theme, depth, &mut outline).map_err(|problems| {
            Problem::At(
                problems
                    .into_iter()
                    .map(|e| ParseError {
                        offset: base + e.offset,
                        ..e
                    })
                    .collect(),
            )
        })?;
        if nodes.is_empty() {
            return Ok(text.to_string());
        }
        if let Some(node) = nodes.get(MAX_SHORTCODES) {
            return Err(Problem::At(vec![ParseError {
                offset: base + node.span().start,
                len: 0,
                message: format!("more than {MAX_SHORTCODES} shortcodes in one text"),
                hint: Some("each one renders a block of its own: split the post".to_string()),
            }]));
        }
        // Only a shortcode inside a paragraph needs to know where the next blocks start.
        let mut blocks = outline.map(|o| o.blocks);
        // (position, order, end, replacement): insertions before a block sort before an edit
        // that starts at the same place.
        let mut edits: Vec<(usize, u8, usize, String)> = Vec::new();
        for node in &nodes {
            let inner = match node.close {
                Some(_) => self.level(
                    &text[node.body()],
                    base + node.body().start,
                    depth + 1,
                    pullquotes,
                )?,
                None => String::new(),
            };
            let body = body_html(&inner, self.base_path, self.images);
            if node.name == "pullquote" {
                pullquotes.push(plain_text(&body));
            }
            let span = node.span();
            let alone = stands_alone(text, &span);
            let own = templates::own(&ShortcodeContext {
                name: &node.name,
                body: &body,
                attrs: &node.attrs,
                inline: !alone,
                pictures: self.pictures,
            });
            let template = format!("shortcodes/{}.html", node.name);
            let html = templates::overlay(&mut self.context.borrow_mut(), own, |ctx| {
                self.templates.render(&template, ctx, self.site_path)
            })
            .map_err(Problem::Template)?;
            // A blank line would end the HTML block early and turn the rest into Markdown.
            let html: String = html
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            if alone {
                edits.push((span.start, 1, span.end, format!("{html}\n")));
            } else {
                let blocks = blocks.get_or_insert_with(|| Outline::of(text).blocks);
                match insertion_point(text, blocks, &nodes, span.start) {
                    Some(at) => edits.push((at, 0, at, format!("{html}\n\n"))),
                    None => edits.push((text.len(), 2, text.len(), format!("\n\n{html}\n"))),
                }
                edits.push((span.start, 1, span.end, inner));
            }
        }
        edits.sort_by_key(|e| (e.0, e.1));
        let mut out = String::with_capacity(text.len() + 256);
        let mut at = 0;
        for (start, _, end, replacement) in edits {
            // Edits never overlap; should one ever start inside the last, it waits for its end
            // rather than cut the text out of order.
            let (start, end) = (start.max(at), end.max(at));
            out.push_str(&text[at..start]);
            out.push_str(&replacement);
            at = end;
        }
        out.push_str(&text[at..]);
        Ok(out)
    }
}

/// Where the block of an inline shortcode that starts at `at` goes, so that readers do not meet
/// its copy right beside its own sentence: after the first paragraph that follows the one
/// holding it (past a heading, say), at the start of the next block's line; `None` for the end
/// of the text. When that place lies inside
/// another shortcode, the block goes before the line holding `at`, or before that shortcode's
/// own block when the line starts inside one (a pull quote spanning paragraphs).
fn insertion_point(
    text: &str,
    blocks: &[(Range<usize>, bool)],
    nodes: &[Node],
    at: usize,
) -> Option<usize> {
    let inside_node = |p: usize| {
        nodes
            .iter()
            .map(Node::span)
            .find(|span| span.start < p && p < span.end)
    };
    if let Some(k) = blocks.iter().position(|(b, _)| b.contains(&at)) {
        // After the first paragraph among the next three blocks (past a heading, say), else
        // after the next block.
        let mut skip = (k + 1..blocks.len().min(k + 4))
            .find(|&j| blocks[j].1)
            .map_or(2, |j| j - k + 1);
        // A paragraph ending with a colon introduces what follows: never part them.
        while k + skip < blocks.len()
            && text[blocks[k + skip - 1].0.clone()]
                .trim_end()
                .ends_with(':')
        {
            skip += 1;
        }
        // Nothing after it: the end of the text.
        let (next, _) = blocks.get(k + skip)?;
        let line_start = text[..next.start].rfind('\n').map_or(0, |i| i + 1);
        if inside_node(line_start).is_none() && line_start > at {
            return Some(line_start);
        }
    }
    before(text, blocks, nodes, at)
}

/// The start of the line of the block holding `at`, or, when that line starts inside another
/// shortcode, before that shortcode's own block.
fn before(text: &str, blocks: &[(Range<usize>, bool)], nodes: &[Node], at: usize) -> Option<usize> {
    let mut at = at;
    loop {
        let block = blocks
            .iter()
            .find(|(b, _)| b.contains(&at))
            .map_or(at, |(b, _)| b.start);
        let line_start = text[..block].rfind('\n').map_or(0, |i| i + 1);
        match nodes
            .iter()
            .map(Node::span)
            .find(|span| span.start < line_start && line_start < span.end)
        {
            Some(span) => at = span.start,
            None => return Some(line_start),
        }
    }
}

/// Plain text of the `[pullquote]`s of `text`, without rendering anything else (for posts that
/// are not rendered in this build, such as scheduled ones the social queue announces).
pub(crate) fn pullquotes(text: &str, kind: &dyn Fn(&str) -> Option<Kind>) -> Vec<String> {
    let theme = Theme { kind, names: &[] };
    pullquotes_within(text, &theme, 0)
}

/// [`pullquotes`] of a text that lies inside `depth` other shortcodes.
fn pullquotes_within(text: &str, theme: &Theme<'_>, depth: usize) -> Vec<String> {
    let Ok(nodes) = parse_with(text, theme, depth, &mut None) else {
        return Vec::new();
    };
    nodes
        .iter()
        .flat_map(|node| {
            let body = &text[node.body()];
            let mut quotes = if node.name == "pullquote" {
                vec![plain_text(&inline_html(body))]
            } else {
                Vec::new()
            };
            quotes.extend(pullquotes_within(body, theme, depth + 1));
            quotes
        })
        .collect()
}

/// What a shortcode template reads besides the page's variables.
#[derive(serde::Serialize)]
struct ShortcodeContext<'a> {
    /// The shortcode's name.
    name: &'a str,
    /// Its body, as HTML.
    body: &'a str,
    /// Its attributes, as written.
    attrs: &'a BTreeMap<String, String>,
    /// Whether it stands inside a paragraph rather than alone.
    inline: bool,
    /// The page's pictures (see [`picture_data`]).
    pictures: &'a BTreeMap<String, PictureData>,
}

/// One of a page's images published at several widths, as shortcode templates see it.
#[derive(Debug, serde::Serialize)]
pub(crate) struct PictureData {
    /// Its link.
    src: String,
    /// Width in pixels.
    width: u32,
    /// Height in pixels.
    height: u32,
    /// Every width, in its format.
    srcset: String,
    /// Every width, in WebP.
    webp_srcset: String,
}

/// What a shortcode template knows of each of the page's images published at several widths,
/// by URL as written, for a `<picture>`.
pub(crate) fn picture_data(
    images: Option<&BodyImages<'_>>,
    base_path: &str,
) -> BTreeMap<String, PictureData> {
    let Some(images) = images else {
        return BTreeMap::new();
    };
    let pictures = images.pictures.iter().map(|(url, &(format, size))| {
        let src = crate::body::markdown::site_link(&url.as_str().into(), base_path).to_string();
        let picture = Picture {
            src: &src,
            format,
            size,
            alt: "",
            title: "",
            eager: false,
        };
        let data = PictureData {
            srcset: picture.srcset(images.widths, format),
            webp_srcset: picture.srcset(images.widths, Format::Webp),
            src,
            width: size.0,
            height: size.1,
        };
        (url.clone(), data)
    });
    pictures.collect()
}

/// A shortcode body rendered as inline HTML: one paragraph loses its `<p>`.
fn inline_html(markdown: &str) -> String {
    body_html(markdown, "/", None)
}

/// A shortcode body rendered as inline HTML, its `images` as pictures.
fn body_html(markdown: &str, base_path: &str, images: Option<&BodyImages<'_>>) -> String {
    let html = crate::body::markdown::fragment_html(markdown.trim(), base_path, images);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// The text of an HTML fragment, for pull quotes reused outside pages (social posts).
pub(crate) fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(name: &str) -> Option<Kind> {
        match name {
            "pullquote" | "callout" => Some(Kind::Paired),
            "share" => Some(Kind::Single),
            _ => None,
        }
    }

    /// Whenever Markdown reads code, the quick test says the text may hold some, and shortcode
    /// syntax inside that code stays text.
    #[test]
    fn the_quick_test_for_code_misses_none_markdown_finds() {
        let texts = [
            "a `[share]` b",
            "``x``",
            "```\n[share]\n```",
            "~~~\n[share]\n~~~",
            "text\n\n    [share]\n",
            "text\n\n\t[share]\n",
            "> quote\n>\n>     [share]\n",
            "- item\n\n      [share]\n",
            "1. item\n\n       [share]\n",
        ];
        for text in texts {
            assert!(!Outline::of(text).code.is_empty(), "{text:?}");
            assert!(may_hold_code_at_all(text), "{text:?}");
            assert!(parse(text, &kinds).unwrap().is_empty(), "{text:?}");
        }
        for prose in ["Un texte [share] sans code.", "a  b\n  c   d", "~~barré~~"] {
            assert!(Outline::of(prose).code.is_empty());
            assert!(!may_hold_code_at_all(prose), "{prose:?}");
        }
    }

    #[test]
    fn finds_paired_single_and_attributed_shortcodes() {
        let text = "a [pullquote align=\"left\" cite='Moi']x *y*[/pullquote] b [share] c [share /]";
        let nodes = parse(text, &kinds).unwrap();
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[0].name, "pullquote");
        assert_eq!(nodes[0].attrs["align"], "left");
        assert_eq!(nodes[0].attrs["cite"], "Moi");
        assert_eq!(&text[nodes[0].body()], "x *y*");
        assert_eq!(nodes[1].name, "share");
        assert!(nodes[2].close.is_none());
    }

    #[test]
    fn leaves_code_prose_and_links_alone() {
        let text = "`[pullquote]` and\n\n```\n[pullquote]\n```\n\n    [share]\n\n[sic] [link](/x) [ref][1] \\[share]";
        assert_eq!(parse(text, &kinds).unwrap(), vec![]);
    }

    #[test]
    fn a_link_whose_text_is_a_shortcode_name_is_a_link() {
        let text = "[pullquote](https://example.org/quotes) and [share][ref], [pullquote][]\n\n\
                    [share]: https://example.org/share\n   [pullquote]: /q\n";
        assert_eq!(parse(text, &kinds).unwrap(), vec![]);
        // Shortcode syntax still makes a shortcode, and two shortcodes may touch.
        let text =
            "[share /](x) [pullquote a=\"b\"](y)[/pullquote] [share][pullquote]z[/pullquote]";
        let names: Vec<String> = parse(text, &kinds)
            .unwrap()
            .into_iter()
            .map(|n| n.name)
            .collect();
        assert_eq!(names, ["share", "pullquote", "share", "pullquote"]);
        // A colon after a shortcode inside a line is text after it.
        let nodes = parse("Partager [share]: merci.", &kinds).unwrap();
        assert_eq!(nodes.len(), 1);
        // What follows in brackets is no label when it holds a bracket: a linked image.
        let text = "[callout][![Photo](a.jpg)](a-large.jpg) A photo[/callout]";
        let nodes = parse(text, &kinds).unwrap();
        assert_eq!(nodes.len(), 1);
        assert_eq!(
            &text[nodes[0].body()],
            "[![Photo](a.jpg)](a-large.jpg) A photo"
        );
    }

    #[test]
    fn nested_shortcodes_belong_to_their_parent() {
        let text = "[callout]a [pullquote]b[/pullquote][/callout]";
        let nodes = parse(text, &kinds).unwrap();
        assert_eq!(nodes.len(), 1);
        assert_eq!(&text[nodes[0].body()], "a [pullquote]b[/pullquote]");
    }

    #[test]
    fn reports_unknown_unclosed_and_misnested() {
        let err = parse("x [nope /]", &kinds).unwrap_err();
        assert_eq!(
            (err.offset, err.message.as_str()),
            (2, "unknown shortcode `nope`")
        );
        let err = parse("[nope]x[/nope]", &kinds).unwrap_err();
        assert_eq!(err.message, "unknown shortcode `nope`");
        let err = parse("a\n[pullquote]x", &kinds).unwrap_err();
        assert_eq!(
            (err.offset, err.message.as_str()),
            (
                2,
                "shortcode `[pullquote]` is never closed by `[/pullquote]`"
            )
        );
        let err = parse("[callout][pullquote]x[/callout][/pullquote]", &kinds).unwrap_err();
        assert!(
            err.message
                .contains("`[pullquote]` is not closed before `[/callout]`"),
            "{}",
            err.message
        );
        let err = parse("x[/callout]", &kinds).unwrap_err();
        assert!(err.message.contains("never opened"));
    }

    #[test]
    fn pull_quote_text_is_plain() {
        assert_eq!(
            inline_html("Fédération *d’une* part"),
            "Fédération <em>d’une</em> part"
        );
        assert_eq!(
            plain_text("Fédération <em>d’une</em> part &amp; co"),
            "Fédération d’une part & co"
        );
    }

    #[test]
    fn tells_standalone_from_inline() {
        let text = "Intro.\n\n[share]\n\nText [share] more.\n";
        let nodes = parse(text, &kinds).unwrap();
        assert!(stands_alone(text, &nodes[0].span()));
        assert!(!stands_alone(text, &nodes[1].span()));
    }
}
