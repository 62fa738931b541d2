//! Plain text out of the export's HTML and names, and the digest that names files: the small
//! helpers every step of the import shares.

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

/// Text without its tags.
pub(crate) fn strip_tags(html: &str) -> String {
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

/// A stable 64-bit hash (FNV-1a) of a file's bytes, kept in the manifest across versions.
pub(crate) fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// `text` without the characters pages and feeds cannot carry (XML 1.0's forbidden control
/// characters, U+FFFE and U+FFFF, which the build refuses, and the controls HTML forbids),
/// which old databases hold; line ends as `\n`.
pub(crate) fn clean(text: String) -> String {
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if crate::load::source::forbidden_char(&text).is_none() && !has_html_controls(&text) {
        return text;
    }
    text.chars()
        .filter(|&c| {
            !((c < ' ' && !matches!(c, '\t' | '\n'))
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(c, '\u{fffe}' | '\u{ffff}'))
        })
        .collect()
}

/// Whether `text` holds a control character HTML forbids (U+007F to U+009F), which old
/// databases keep from pasted text.
fn has_html_controls(text: &str) -> bool {
    // Their UTF-8 forms: 7F, and C2 80 to C2 9F.
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == 0x7f || (w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1])))
        || text.ends_with('\u{7f}')
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
}
