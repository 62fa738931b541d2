//! What Tribune knows of HTML's elements where it reads the HTML it made: which of them sit
//! inside a line of text rather than start a block of their own.

/// Whether the element named `name` (in any case) is phrasing content that does not break the
/// text flow, so that `<strong>Note</strong>:` is one word followed by a colon and
/// `<em>auto</em>nomie` one word; any other element starts a new block of text.
pub(crate) fn is_inline(name: &[u8]) -> bool {
    // Every tag of every body passes here: matched in lower case at once, not name by name.
    let mut lower = [0u8; 6];
    let Some(lower) = lower.get_mut(..name.len()) else {
        return false;
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"var"
            | b"wbr"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_elements_are_known_in_any_case() {
        for name in ["a", "Abbr", "STRONG", "wbr", "Small", "var", "samp"] {
            assert!(super::is_inline(name.as_bytes()), "{name}");
        }
        for name in ["", "p", "section", "strongs", "blockquote", "é", "br"] {
            assert!(!super::is_inline(name.as_bytes()), "{name}");
        }
    }
}
