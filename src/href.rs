//! Every URL Tribune writes goes through here, so that none carries a raw space, accent or
//! quote: site paths, URLs as authors wrote them, and query values.
//!
//! Built on `percent-encoding` rather than the `url` crate: Tribune only ever joins a checked
//! base URL with paths it made or was given, and never needs parsing, host normalisation or
//! IDNA, which would bring the ICU crates along.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters, so that no value can end its parameter
/// early ('&', '#', '+') whichever parser the platform uses.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query value.
pub(crate) fn query_value(value: &str) -> String {
    // Through `Cow` rather than `Display`: a clean value is copied once, without formatting.
    std::borrow::Cow::from(utf8_percent_encode(value, QUERY_VALUE)).into_owned()
}

/// A site path (`posts/été/photo d'été.png`) as a URL path: what RFC 3986 allows in a path
/// stays, the rest is percent-encoded. Existing `%XX` escapes are kept, so encoding twice
/// changes nothing.
pub(crate) fn path(site_path: &str) -> String {
    encode(site_path, b"/:@!$&'()*+,;=")
}

/// A URL as an author wrote it (`https://example.org/a b`): the same, keeping also the query
/// and fragment delimiters. A `#` inside the fragment, which no URL may hold there, is escaped.
pub(crate) fn written(url: &str) -> String {
    match url.split_once('#') {
        Some((before, fragment)) if fragment.contains('#') => format!(
            "{}#{}",
            encode(before, b"/:@!$&'()*+,;=?#[]"),
            encode(fragment, b"/:@!$&'()*+,;=?[]")
        ),
        _ => encode(url, b"/:@!$&'()*+,;=?#[]"),
    }
}

/// Percent-encodes every byte of `text` that is neither unreserved nor in `keep`.
fn encode(text: &str, keep: &[u8]) -> String {
    let bytes = text.as_bytes();
    let clean = |i: usize| {
        let b = bytes[i];
        b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || keep.contains(&b)
            || (b == b'%' && is_escape(bytes, i))
    };
    if (0..bytes.len()).all(clean) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, &b) in bytes.iter().enumerate() {
        if clean(i) {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// Whether the `%` at `i` starts a `%XX` escape.
fn is_escape(bytes: &[u8], i: usize) -> bool {
    bytes.len() > i + 2 && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_encode_spaces_and_accents_once() {
        let p = path("posts/été/photo d'été.png");
        assert_eq!(p, "posts/%C3%A9t%C3%A9/photo%20d'%C3%A9t%C3%A9.png");
        assert_eq!(path(&p), p);
        assert_eq!(path("posts/x/"), "posts/x/");
        assert_eq!(path("a\"b<c>%zz"), "a%22b%3Cc%3E%25zz");
    }

    #[test]
    fn written_urls_keep_query_and_fragment() {
        assert_eq!(
            written("https://ex.org/a b?q=1#é"),
            "https://ex.org/a%20b?q=1#%C3%A9"
        );
        assert_eq!(query_value("a b&c"), "a%20b%26c");
        assert_eq!(
            written("https://ex.org/a#doc/x#//apple_ref"),
            "https://ex.org/a#doc/x%23//apple_ref"
        );
    }
}
