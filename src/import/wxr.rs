//! A streaming reader of WordPress exports (WXR 1.0 to 1.2): one pass over the XML, keeping only
//! the fields an import uses. Commenters' e-mail addresses and IP addresses are never read.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::error::Diagnostic;

/// What an export holds that an import uses.
#[derive(Debug, Default)]
pub(crate) struct Export {
    /// `wp:base_site_url`, else the channel's `link`, without a trailing slash.
    pub(crate) site_url: String,
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

/// Post meta worth keeping.
const KEPT_META: [&str; 3] = [
    "_thumbnail_id",
    "_wp_attached_file",
    "_wp_attachment_image_alt",
];

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
}

/// Parses an export from `input`; an error is a byte offset and a message.
pub(crate) fn parse(input: impl BufRead) -> Result<Export, (u64, String)> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut state = State::default();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| (reader.error_position(), e.to_string()))?;
        let at = reader.buffer_position();
        match event {
            Event::Start(e) => {
                let mut name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "encoded" {
                    // `content:encoded` and `excerpt:encoded` differ only by their prefix.
                    name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                }
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
                let text = std::mem::take(&mut state.text);
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
    Ok(state.export)
}

impl State {
    /// An element opens: a new record for an item, comment or author.
    fn open(&mut self, name: &str) {
        self.text.clear();
        match name {
            "item" => self.item = Some(Item::default()),
            "comment" if self.item.is_some() => self.comment = Some(WpComment::default()),
            "author" if self.item.is_none() => self.author = Default::default(),
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
            if name == "comment"
                && let (Some(c), Some(item)) = (self.comment.take(), self.item.as_mut())
            {
                item.comments.push(c);
            }
            return;
        }
        if let Some(item) = self.item.as_mut() {
            match (parent.as_str(), name) {
                ("postmeta", "meta_key") => self.meta_key = text,
                ("postmeta", "meta_value") => {
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
                && let Some(item) = self.item.take()
            {
                self.export.items.push(item);
            }
            return;
        }
        match (parent.as_str(), name) {
            ("channel", "link") if self.export.site_url.is_empty() => {
                self.export.site_url = text.trim().trim_end_matches('/').to_string();
            }
            ("channel", "base_site_url") => {
                self.export.site_url = text.trim().trim_end_matches('/').to_string();
            }
            ("channel", "wxr_version") => self.export.wxr = true,
            ("author", "author_login") => self.author.0 = text,
            ("author", "author_display_name") => self.author.1 = text,
            ("author", "author_id") => self.author.2 = text.trim().parse().unwrap_or(0),
            ("channel", "author") => {
                let (login, name, id) = std::mem::take(&mut self.author);
                let name = if name.trim().is_empty() {
                    login.clone()
                } else {
                    decode_entities(name.trim())
                };
                self.export.author_ids.insert(id, name.clone());
                self.export.authors.insert(login, name);
            }
            _ => {}
        }
    }
}

/// A field of an item.
fn item_field(item: &mut Item, name: &str, text: String) {
    let number = |t: &str| t.trim().parse::<u64>().unwrap_or(0);
    match name {
        "title" => item.title = decode_entities(text.trim()),
        "link" => item.link = text.trim().to_string(),
        "creator" => item.creator = text.trim().to_string(),
        "content:encoded" => item.content = text,
        "excerpt:encoded" => item.excerpt = text,
        "post_id" => item.id = number(&text),
        "post_date" => item.date = text.trim().to_string(),
        "post_date_gmt" => item.date_gmt = text.trim().to_string(),
        "post_modified_gmt" => item.modified_gmt = text.trim().to_string(),
        "post_name" => item.name = text.trim().to_string(),
        "status" => item.status = text.trim().to_string(),
        "post_parent" => item.parent = number(&text),
        "post_type" => item.kind = text.trim().to_string(),
        "post_password" => item.protected = !text.is_empty(),
        "attachment_url" => item.attachment_url = text.trim().to_string(),
        _ => {}
    }
}

/// A field of a comment.
fn comment_field(c: &mut WpComment, name: &str, text: String) {
    let number = |t: &str| t.trim().parse::<u64>().unwrap_or(0);
    match name {
        "comment_id" => c.id = number(&text),
        "comment_author" => c.author = decode_entities(text.trim()),
        "comment_author_url" => c.author_url = text.trim().to_string(),
        "comment_date" => c.date = text.trim().to_string(),
        "comment_date_gmt" => c.date_gmt = text.trim().to_string(),
        "comment_content" => c.content = text,
        "comment_approved" => c.approved = text.trim().to_string(),
        "comment_type" => c.kind = text.trim().to_string(),
        "comment_parent" => c.parent = number(&text),
        "comment_user_id" => c.user_id = number(&text),
        // `comment_author_email` and `comment_author_IP` are private: never kept.
        _ => {}
    }
}

/// HTML entities in a plain-text field (WordPress stores `&amp;` in term names, `&laquo;` in
/// pingback titles): decoded once, so `&amp;` shows as `&`, never `&amp;amp;`.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        match end.filter(|&e| rest[e..].starts_with(';')) {
            Some(e) => match entity(&rest[1..e]) {
                Some(c) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            },
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity name (without `&` and `;`) stands for, for the entities WordPress
/// writes in titles and names.
fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "ccedil" => 'ç',
        "copy" => '©',
        "euro" => '€',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_entities_of_names() {
        assert_eq!(
            decode_entities("Ateliers &amp; formations"),
            "Ateliers & formations"
        );
        assert_eq!(decode_entities("A &laquo; B &#8230; &x"), "A « B … &x");
        assert_eq!(decode_entities("Q&R & co"), "Q&R & co");
    }

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
