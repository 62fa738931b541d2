//! A streaming reader of WordPress exports (WXR 1.0 to 1.2): one pass over the XML, keeping only
//! the fields an import uses. Commenters' e-mail addresses and IP addresses are never read.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::name::{Namespace, QName, ResolveResult};
use quick_xml::reader::NsReader;

use crate::error::Diagnostic;
use crate::import::text::{decode_entities, strip_tags};

/// What an export holds that an import uses.
#[derive(Debug, Default)]
pub(crate) struct Export {
    /// The old blog's address, without a trailing slash: `wp:base_blog_url`, else the
    /// channel's `link`, else `wp:base_site_url` (which is `https://wordpress.com` for every
    /// WordPress.com blog, and the network's address for a multisite one).
    pub(crate) site_url: String,
    /// `wp:base_site_url`, kept apart: only a fallback for [`Export::site_url`].
    base_site_url: String,
    /// `wp:base_blog_url`, kept apart: the first choice for [`Export::site_url`].
    base_blog_url: String,
    /// The channel's `link`.
    channel_link: String,
    /// Each category's parent, by slug (`metiers-du-web` → `communication`), for the old
    /// archive addresses, which chain them.
    pub(crate) category_parents: HashMap<String, String>,
    /// Categories, tags and other terms by id, for the menu entries that point to them:
    /// (taxonomy, slug, name).
    pub(crate) terms: HashMap<u64, (String, String, String)>,
    /// Display names by login.
    pub(crate) authors: HashMap<String, String>,
    /// Display names by author id (comments name their author by user id).
    pub(crate) author_ids: HashMap<u64, String>,
    /// Every item, in file order.
    pub(crate) items: Vec<Item>,
    /// Whether the file declared a WXR version (a plain RSS feed does not).
    pub(crate) wxr: bool,
}

/// One `<item>`: a post, page, attachment or anything else WordPress stores as a post.
#[derive(Debug, Default, Clone)]
pub(crate) struct Item {
    /// Its place in the export: what tells two items apart, since some files that call
    /// themselves exports repeat ids.
    pub(crate) index: usize,
    /// `wp:post_id`.
    pub(crate) id: u64,
    /// Title, entities decoded.
    pub(crate) title: String,
    /// The permalink.
    pub(crate) link: String,
    /// Author login.
    pub(crate) creator: String,
    /// Body HTML.
    pub(crate) content: String,
    /// Manual excerpt.
    pub(crate) excerpt: String,
    /// Local date, `YYYY-MM-DD HH:MM:SS`.
    pub(crate) date: String,
    /// GMT date, or `0000-00-00 00:00:00` for drafts.
    pub(crate) date_gmt: String,
    /// GMT date of the last change.
    pub(crate) modified_gmt: String,
    /// Slug; empty for drafts never saved with one.
    pub(crate) name: String,
    /// `publish`, `draft`, `pending`, `future`, `private`, `trash`, `inherit`...
    pub(crate) status: String,
    /// Parent item id (pages, attachments).
    pub(crate) parent: u64,
    /// `wp:menu_order`: the order of a page, of a gallery's attached images, of a menu entry.
    pub(crate) menu_order: i64,
    /// Whether the post is sticky (shown first on the blog's home page).
    pub(crate) sticky: bool,
    /// `post`, `page`, `attachment`, `nav_menu_item`...
    pub(crate) kind: String,
    /// Whether a password protects it (the password itself is not kept).
    pub(crate) protected: bool,
    /// Terms: (taxonomy, slug, name).
    pub(crate) terms: Vec<(String, String, String)>,
    /// Post meta the import uses: `_thumbnail_id`, `_wp_attached_file`, `_wp_attachment_image_alt`.
    pub(crate) meta: HashMap<String, String>,
    /// Where an attachment's file was.
    pub(crate) attachment_url: String,
    /// WordPress's cached embed HTML (`_oembed_…` meta), where embeds' titles are.
    pub(crate) oembeds: Vec<String>,
    /// Comments, pingbacks and trackbacks.
    pub(crate) comments: Vec<WpComment>,
}

/// A comment as the export gives it, without e-mail or IP address.
#[derive(Debug, Default, Clone)]
pub(crate) struct WpComment {
    /// `wp:comment_id`.
    pub(crate) id: u64,
    /// Author name.
    pub(crate) author: String,
    /// Author's web site.
    pub(crate) author_url: String,
    /// Local date.
    pub(crate) date: String,
    /// GMT date.
    pub(crate) date_gmt: String,
    /// Text, HTML.
    pub(crate) content: String,
    /// `1`, `0` (pending), `spam`, `trash`.
    pub(crate) approved: String,
    /// `comment` (or empty), `pingback`, `trackback`.
    pub(crate) kind: String,
    /// Comment it answers, 0 for none.
    pub(crate) parent: u64,
    /// Registered user who wrote it, 0 for none.
    pub(crate) user_id: u64,
}

/// Post meta worth keeping: a post's block-editor footnotes and cover, an attachment's file and
/// alt text, a menu entry's target.
const KEPT_META: [&str; 9] = [
    "footnotes",
    "_thumbnail_id",
    "_wp_attached_file",
    "_wp_attachment_image_alt",
    "_menu_item_type",
    "_menu_item_object",
    "_menu_item_object_id",
    "_menu_item_url",
    "_menu_item_menu_item_parent",
];

/// The prefix an element of namespace `uri` stands for in what follows: exports bind
/// WordPress's namespaces to `wp:`, `excerpt:`, `content:` and `dc:`, but the URI, not the
/// prefix, says what an element is. Each WXR version has its own URIs
/// (`http://wordpress.org/export/1.0/` to `1.2/`, and `…/1.2/excerpt/`).
fn namespace_prefix(uri: &[u8]) -> Option<&'static str> {
    // WordPress.com's own theme test data writes them with `https://`.
    let uri = uri
        .strip_prefix(b"https://".as_slice())
        .map_or(uri, |rest| rest);
    let uri = uri
        .strip_prefix(b"http://".as_slice())
        .map_or(uri, |rest| rest);
    if let Some(rest) = uri.strip_prefix(b"wordpress.org/export/".as_slice()) {
        return Some(if rest.ends_with(b"/excerpt/") {
            "excerpt"
        } else {
            "wp"
        });
    }
    match uri {
        b"purl.org/rss/1.0/modules/content/" => Some("content"),
        b"purl.org/dc/elements/1.1/" => Some("dc"),
        _ => None,
    }
}

/// What the reader calls an element's namespace: `None` for RSS's own elements, which have
/// none; the prefix a known namespace stands for; the written prefix when no declaration binds
/// it (some exports forget `xmlns:excerpt`); `?` for any other namespace, whose elements no
/// field matches.
fn namespace(ns: &ResolveResult<'_>) -> Option<Cow<'static, str>> {
    match ns {
        ResolveResult::Unbound => None,
        ResolveResult::Bound(Namespace(uri)) => {
            Some(Cow::Borrowed(namespace_prefix(uri).unwrap_or("?")))
        }
        ResolveResult::Unknown(prefix) => {
            Some(Cow::Owned(String::from_utf8_lossy(prefix).into_owned()))
        }
    }
}

/// The name the reader gives an element: its local name, behind the prefix its namespace
/// stands for (`wp:post_id`, `content:encoded`, `dc:creator`, plain `title`).
fn element_name(prefix: Option<Cow<'static, str>>, qname: QName<'_>) -> String {
    let local = String::from_utf8_lossy(qname.local_name().as_ref()).into_owned();
    match prefix {
        None => local,
        Some(prefix) => format!("{prefix}:{local}"),
    }
}

/// Reads the export at `path`; `shown` names it in messages.
pub(crate) fn read(path: &Path, shown: &Path) -> Result<Export, Diagnostic> {
    let file = std::fs::File::open(path).map_err(|e| Diagnostic::io(shown, "read", &e))?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    parse(reader).map_err(|(offset, message)| {
        let line = line_at(path, offset);
        Diagnostic::input(format!("the export is not well-formed XML: {message}"))
            .at(shown)
            .line(line)
            .hint("export the site again from WordPress (Tools > Export); nothing was imported")
    })
}

/// The line of byte `offset` of the file.
fn line_at(path: &Path, offset: u64) -> usize {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return 1;
    };
    let mut bytes = Vec::new();
    // A line number is worth reading the file a second time, once, on error.
    if file.take(offset).read_to_end(&mut bytes).is_err() {
        return 1;
    }
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// Where the reader is: inside which element of which record.
#[derive(Default)]
struct State {
    export: Export,
    stack: Vec<String>,
    text: String,
    item: Option<Item>,
    comment: Option<WpComment>,
    meta_key: String,
    author: (String, String, u64),
    /// A category being read: its slug and its parent's.
    category: (String, String),
    /// A term being read (`wp:category`, `wp:tag`, `wp:term`): id, taxonomy, slug, name.
    term: (u64, String, String, String),
}

/// Parses an export from `input`; an error is a byte offset and a message.
pub(crate) fn parse(input: impl BufRead) -> Result<Export, (u64, String)> {
    let mut reader = NsReader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut state = State::default();
    loop {
        let (prefix, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((ns, event)) => (namespace(&ns), event),
            Err(e) => return Err((reader.error_position(), e.to_string())),
        };
        let at = reader.buffer_position();
        match event {
            Event::Start(e) => {
                let name = element_name(prefix, e.name());
                state.open(&name);
                if name == "category" && state.item.is_some() {
                    let attr = |key: &[u8]| {
                        e.try_get_attribute(key)
                            .ok()
                            .flatten()
                            .and_then(|a| {
                                String::from_utf8(a.value.to_vec())
                                    .ok()
                                    .map(|v| decode_entities(&v))
                            })
                            .unwrap_or_default()
                    };
                    let domain = attr(b"domain");
                    let nicename = attr(b"nicename");
                    if let Some(item) = state.item.as_mut() {
                        item.terms.push((domain, nicename, String::new()));
                    }
                }
                state.stack.push(name);
            }
            Event::End(_) => {
                let name = state.stack.pop().unwrap_or_default();
                let text = crate::import::text::clean(std::mem::take(&mut state.text));
                state.close(&name, text);
            }
            Event::Empty(_) => {}
            Event::Text(e) => {
                let text = e.decode().map_err(|e| (at, e.to_string()))?;
                state.text.push_str(&text);
            }
            Event::CData(e) => {
                let text = e.decode().map_err(|e| (at, e.to_string()))?;
                state.text.push_str(&text);
            }
            Event::GeneralRef(e) => match e.resolve_char_ref().map_err(|e| (at, e.to_string()))? {
                Some(c) => state.text.push(c),
                None => {
                    let name = e.decode().map_err(|e| (at, e.to_string()))?;
                    match &*name {
                        "amp" => state.text.push('&'),
                        "lt" => state.text.push('<'),
                        "gt" => state.text.push('>'),
                        "quot" => state.text.push('"'),
                        "apos" => state.text.push('\''),
                        other => {
                            return Err((at, format!("unknown entity `&{other};`")));
                        }
                    }
                }
            },
            Event::Eof => {
                if let Some(open) = state.stack.last() {
                    return Err((
                        at,
                        format!("the file ends inside <{open}>: it is cut short"),
                    ));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    let mut export = state.export;
    export.site_url = [
        &export.base_blog_url,
        &export.channel_link,
        &export.base_site_url,
    ]
    .into_iter()
    .map(|u| u.trim().trim_end_matches('/'))
    .find(|u| u.starts_with("http"))
    .unwrap_or_default()
    .to_string();
    Ok(export)
}

impl State {
    /// An element opens: a new record for an item, comment or author.
    fn open(&mut self, name: &str) {
        self.text.clear();
        match name {
            "item" => self.item = Some(Item::default()),
            "wp:comment" if self.item.is_some() => self.comment = Some(WpComment::default()),
            "wp:author" if self.item.is_none() => self.author = Default::default(),
            "wp:category" if self.item.is_none() => {
                self.category = Default::default();
                self.term = (0, "category".to_string(), String::new(), String::new());
            }
            "wp:tag" if self.item.is_none() => {
                self.term = (0, "post_tag".to_string(), String::new(), String::new());
            }
            "wp:term" if self.item.is_none() => self.term = Default::default(),
            _ => {}
        }
    }

    /// The element the current one sits in.
    fn parent(&self) -> &str {
        self.stack.last().map_or("", String::as_str)
    }

    /// An element closes with its text: the field goes to its record.
    fn close(&mut self, name: &str, text: String) {
        let parent = self.parent().to_string();
        if let Some(c) = self.comment.as_mut() {
            comment_field(c, name, text);
            if name == "wp:comment"
                && let (Some(c), Some(item)) = (self.comment.take(), self.item.as_mut())
            {
                item.comments.push(c);
            }
            return;
        }
        if let Some(item) = self.item.as_mut() {
            match (parent.as_str(), name) {
                ("wp:postmeta", "wp:meta_key") => self.meta_key = text,
                ("wp:postmeta", "wp:meta_value") => {
                    let key = std::mem::take(&mut self.meta_key);
                    if KEPT_META.contains(&key.as_str()) {
                        item.meta.insert(key, text);
                    } else if key.starts_with("_oembed_") && !key.starts_with("_oembed_time_") {
                        item.oembeds.push(text);
                    }
                }
                ("item", "category") => {
                    if let Some(last) = item.terms.last_mut() {
                        last.2 = decode_entities(&text);
                    }
                }
                ("item", _) => item_field(item, name, text),
                _ => {}
            }
            if name == "item"
                && let Some(mut item) = self.item.take()
            {
                item.index = self.export.items.len();
                self.export.items.push(item);
            }
            return;
        }
        let export = &mut self.export;
        match (parent.as_str(), name) {
            ("channel", "link") => export.channel_link = text,
            ("channel", "wp:base_site_url") => export.base_site_url = text,
            ("channel", "wp:base_blog_url") => export.base_blog_url = text,
            ("channel", "wp:wxr_version") => export.wxr = true,
            ("wp:author", "wp:author_login") => self.author.0 = text,
            ("wp:author", "wp:author_display_name") => self.author.1 = text,
            ("wp:author", "wp:author_id") => self.author.2 = text.trim().parse().unwrap_or(0),
            ("channel", "wp:author") => {
                let (login, name, id) = std::mem::take(&mut self.author);
                let name = if name.trim().is_empty() {
                    login.clone()
                } else {
                    decode_entities(name.trim())
                };
                export.author_ids.insert(id, name.clone());
                export.authors.insert(login, name);
            }
            ("wp:category", "wp:category_nicename") => {
                self.category.0 = text.trim().to_string();
                self.term.2 = text.trim().to_string();
            }
            ("wp:category", "wp:category_parent") => self.category.1 = text.trim().to_string(),
            ("wp:category", "wp:cat_name") => self.term.3 = decode_entities(text.trim()),
            ("wp:tag", "wp:tag_slug") | ("wp:term", "wp:term_slug") => {
                self.term.2 = text.trim().to_string();
            }
            ("wp:tag", "wp:tag_name") | ("wp:term", "wp:term_name") => {
                self.term.3 = decode_entities(text.trim());
            }
            ("wp:term", "wp:term_taxonomy") => self.term.1 = text.trim().to_string(),
            ("wp:category" | "wp:tag" | "wp:term", "wp:term_id") => {
                self.term.0 = text.trim().parse().unwrap_or(0);
            }
            ("channel", "wp:category") => {
                let (slug, parent) = std::mem::take(&mut self.category);
                if !slug.is_empty() && !parent.is_empty() {
                    export.category_parents.insert(slug, parent);
                }
                let (id, taxonomy, slug, name) = std::mem::take(&mut self.term);
                export.terms.insert(id, (taxonomy, slug, name));
            }
            ("channel", "wp:tag" | "wp:term") => {
                let (id, taxonomy, slug, name) = std::mem::take(&mut self.term);
                export.terms.insert(id, (taxonomy, slug, name));
            }
            _ => {}
        }
    }
}

/// A field of an item.
fn item_field(item: &mut Item, name: &str, text: String) {
    let number = |t: &str| t.trim().parse::<u64>().unwrap_or(0);
    match name {
        "title" => item.title = plain_title(&text),
        "link" => item.link = text.trim().to_string(),
        "dc:creator" => item.creator = text.trim().to_string(),
        "content:encoded" => item.content = text,
        "excerpt:encoded" => item.excerpt = text,
        "wp:post_id" => item.id = number(&text),
        "wp:post_date" => item.date = text.trim().to_string(),
        "wp:post_date_gmt" => item.date_gmt = text.trim().to_string(),
        "wp:post_modified_gmt" => item.modified_gmt = text.trim().to_string(),
        "wp:post_name" => item.name = text.trim().to_string(),
        "wp:status" => item.status = text.trim().to_string(),
        "wp:post_parent" => item.parent = number(&text),
        "wp:menu_order" => item.menu_order = text.trim().parse().unwrap_or(0),
        "wp:post_type" => item.kind = text.trim().to_string(),
        "wp:post_password" => item.protected = !text.is_empty(),
        "wp:is_sticky" => item.sticky = text.trim() == "1",
        "wp:attachment_url" => item.attachment_url = text.trim().to_string(),
        _ => {}
    }
}

/// A title as text: WordPress keeps titles as HTML (`Title <em>With</em> Markup`), a
/// Tribune title is plain.
fn plain_title(html: &str) -> String {
    let text = decode_entities(&strip_tags(html));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A field of a comment.
fn comment_field(c: &mut WpComment, name: &str, text: String) {
    let number = |t: &str| t.trim().parse::<u64>().unwrap_or(0);
    match name {
        "wp:comment_id" => c.id = number(&text),
        "wp:comment_author" => c.author = decode_entities(text.trim()),
        "wp:comment_author_url" => c.author_url = text.trim().to_string(),
        "wp:comment_date" => c.date = text.trim().to_string(),
        "wp:comment_date_gmt" => c.date_gmt = text.trim().to_string(),
        "wp:comment_content" => c.content = text,
        "wp:comment_approved" => c.approved = text.trim().to_string(),
        "wp:comment_type" => c.kind = text.trim().to_string(),
        "wp:comment_parent" => c.parent = number(&text),
        "wp:comment_user_id" => c.user_id = number(&text),
        // `comment_author_email` and `comment_author_IP` are private: never kept.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_export_is_an_error_with_its_place() {
        let xml = "<rss>\n<channel>\n<item><title>x</title>\n";
        let (_, message) = parse(xml.as_bytes()).unwrap_err();
        assert!(message.contains("cut short"), "{message}");
        let (at, _) = parse("<rss>\n<channel></rss>".as_bytes()).unwrap_err();
        assert!(at > 0);
    }

    #[test]
    fn never_keeps_emails_or_ips() {
        let xml = r#"<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><wp:post_id>1</wp:post_id>
<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author_email>a@b.example</wp:comment_author_email>
<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP><wp:comment_content><![CDATA[hi]]></wp:comment_content></wp:comment></item></channel></rss>"#;
        let export = parse(xml.as_bytes()).unwrap();
        let debug = format!("{export:?}");
        assert!(!debug.contains("a@b.example") && !debug.contains("192.0.2.1"));
        assert_eq!(export.items[0].comments[0].content, "hi");
    }
}
