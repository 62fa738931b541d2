//! French typography for rendered HTML and plain text, as the Imprimerie nationale's *Lexique
//! des règles typographiques* sets it: a narrow no-break space (espace fine insécable) before
//! `; ! ? ‽`, a no-break word space (espace-mot insécable) before `:` and `%` and inside `« »`;
//! applied to text only.

/// NARROW NO-BREAK SPACE, the espace fine insécable French puts before `; ! ?`.
const NNBSP: char = '\u{202F}';

/// NO-BREAK SPACE, the espace-mot insécable French puts before `:` and `%` and inside `« »`.
const NBSP: char = '\u{A0}';

/// Typesets text shown outside a post's body (a title, a description, a theme string): curly
/// apostrophes in every language, as the body gets, and French spacing when `french`. The text
/// may hold inline HTML; it is left alone.
pub(crate) fn typeset(text: &str, french: bool) -> String {
    let curly = curly_apostrophes(text);
    if french {
        french_spacing(&curly)
    } else {
        curly
    }
}

/// Typewriter apostrophes between letters (`l'été`, `don't`) become `’`; quotes around
/// words are left, since their meaning is the author's.
fn curly_apostrophes(text: &str) -> String {
    if !text.contains('\'') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_tag = false;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        let between_letters = i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        if c == '\'' && !in_tag && between_letters {
            out.push('’');
        } else {
            out.push(c);
        }
    }
    out
}

/// Applies French spacing rules to the text of `html`: a narrow no-break space before
/// `; : ! ? ‽` and inside `« »`, never inside tags, comments, code-like elements, URLs or entities.
pub(crate) fn french_spacing(html: &str) -> String {
    Spacer {
        html,
        // A few spaces are added per paragraph at most; the slack avoids most regrowth.
        out: String::with_capacity(html.len() + html.len() / 64 + 16),
        prev: None,
        ws: None,
        drop_ws: false,
        protected: 0,
        token_start: true,
    }
    .run()
}

/// One pass over the HTML, copying it to `out` and adding spaces only where the rules ask.
struct Spacer<'a> {
    /// The whole input.
    html: &'a str,
    /// The result so far.
    out: String,
    /// Last text character seen, entities decoded; `None` at the start of a block, where a
    /// paragraph opening with `»` or `:` must not get a space.
    prev: Option<char>,
    /// Where in `out` the whitespace ending the text so far begins; only whitespace and inline
    /// markup follow it, so `quoi <em>?</em>` can still be fixed without touching the tag.
    ws: Option<usize>,
    /// Set after `«`: its space is already written, so source whitespace that follows is dropped.
    drop_ws: bool,
    /// Open `code`, `pre`, `kbd` and `samp` elements; their text is copied as is.
    protected: usize,
    /// Whether the next text character begins a whitespace-delimited token (a URL candidate).
    token_start: bool,
}

/// What a `<` opens.
enum Markup {
    /// A comment, doctype, CDATA section or processing instruction: invisible to the reader.
    Other,
    /// A start tag; `name` is a byte range of the input.
    Open {
        /// Byte range of the tag name in the input.
        name: (usize, usize),
        /// Whether the tag ends with `/>`.
        self_closing: bool,
    },
    /// An end tag; `name` is a byte range of the input.
    Close {
        /// Byte range of the tag name in the input.
        name: (usize, usize),
    },
}

impl Spacer<'_> {
    /// Walks the input once and returns the spaced HTML.
    fn run(mut self) -> String {
        let bytes = self.html.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            i = if bytes[i] == b'<' {
                match scan_markup(self.html, i) {
                    Some((end, markup)) => self.markup(i, end, markup),
                    None if self.protected > 0 => self.protected_text(i),
                    None => self.text(i),
                }
            } else if self.protected > 0 {
                self.protected_text(i)
            } else {
                self.plain_stretch(i).unwrap_or_else(|| self.text(i))
            };
        }
        self.out
    }

    /// Copies in one go the stretch of text at `i` that no rule acts on: words and whitespace up
    /// to the token holding the next character a rule looks at (markup, an entity, high
    /// punctuation, guillemets, no-break spaces), which is left to [`Spacer::text`] from its
    /// start, since that token may be a URL. Leaves the state that copying unit by unit would;
    /// `None` when there is nothing to copy so.
    fn plain_stretch(&mut self, i: usize) -> Option<usize> {
        if self.drop_ws {
            return None;
        }
        let rest = &self.html[i..];
        let (stop, stopper) =
            find_special(rest).map_or((rest.len(), None), |(at, c)| (at, Some(c)));
        let ends_token = match stopper {
            None => true,
            Some(c) => c == '<' || is_space(c),
        };
        let end = if ends_token {
            stop
        } else {
            rest[..stop].rfind(is_ascii_space).map_or(0, |at| at + 1)
        };
        if end == 0 {
            return None;
        }
        let stretch = &rest[..end];
        let out_start = self.out.len();
        self.out.push_str(stretch);
        let trailing = stretch.len() - stretch.trim_end_matches(is_ascii_space).len();
        if trailing == 0 {
            self.prev = stretch.chars().next_back();
            self.ws = None;
            self.token_start = false;
        } else {
            let words = &stretch[..stretch.len() - trailing];
            if let Some(last) = words.chars().next_back() {
                self.prev = Some(last);
                self.ws = None;
            }
            if self.ws.is_none() && self.prev.is_some() {
                self.ws = Some(out_start + words.len());
            }
            if self.prev.is_some() {
                self.prev = Some(' ');
            }
            self.token_start = true;
        }
        Some(i + end)
    }

    /// Copies one tag or comment and updates the context it implies; returns where to resume.
    fn markup(&mut self, start: usize, end: usize, markup: Markup) -> usize {
        self.out.push_str(&self.html[start..end]);
        self.token_start = true;
        match markup {
            Markup::Other => end,
            Markup::Open { name, self_closing } => {
                let name = &self.html[name.0..name.1];
                if !self_closing && is_raw_text(name) {
                    // Script and style bodies are not HTML: a `<` there is not a tag.
                    let close = find_end_tag(self.html, end, name);
                    self.out.push_str(&self.html[end..close]);
                    self.reset_block();
                    return close;
                }
                if !self_closing && is_protected(name) {
                    self.protected += 1;
                }
                if !crate::html::is_inline(name.as_bytes()) {
                    self.reset_block();
                }
                end
            }
            Markup::Close { name } => {
                let name = &self.html[name.0..name.1];
                if is_protected(name) {
                    self.protected = self.protected.saturating_sub(1);
                }
                if !crate::html::is_inline(name.as_bytes()) {
                    self.reset_block();
                }
                end
            }
        }
    }

    /// Forgets the text context, so nothing is added at the start of a new block.
    fn reset_block(&mut self) {
        self.prev = None;
        self.ws = None;
        self.drop_ws = false;
    }

    /// Copies text inside code-like elements unchanged, remembering its last character so that
    /// `<code>Option</code>?` is spaced like any word.
    fn protected_text(&mut self, i: usize) -> usize {
        // Step over the whole first character: it may be longer than one byte.
        let first = self.html[i..].chars().next().map_or(1, char::len_utf8);
        let end = self.html[i + first..]
            .find('<')
            .map_or(self.html.len(), |p| i + first + p);
        self.push_verbatim(i, end);
        end
    }

    /// Copies `html[start..end]` unchanged, as opaque text.
    fn push_verbatim(&mut self, start: usize, end: usize) {
        let segment = &self.html[start..end];
        self.out.push_str(segment);
        self.prev = last_text_char(segment).or(self.prev);
        self.ws = None;
        self.drop_ws = false;
    }

    /// Handles the text unit at `i` (a character, an entity, a run of marks, a URL or a run of
    /// plain ASCII) and returns where to resume.
    fn text(&mut self, i: usize) -> usize {
        if self.token_start {
            self.token_start = false;
            let end = token_end(self.html, i);
            if end > i && is_url(&self.html[i..end]) {
                self.push_verbatim(i, end);
                return end;
            }
        }
        let (c, len, entity) = unit_at(self.html, i);
        let mut next = i + len;
        if is_space(c) {
            // A run of ASCII whitespace is handled as one unit, like each of its characters.
            if c.is_ascii() {
                next = i + plain_run(&self.html.as_bytes()[i..], |b| {
                    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
                });
            }
            self.space(i, next);
            return next;
        }
        if !entity {
            match c {
                '«' => {
                    self.open_guillemet();
                    return next;
                }
                '»' => {
                    self.close_guillemet();
                    return next;
                }
                c if is_mark(c) => return self.marks(i),
                '%' => return self.percent(i),
                _ => {}
            }
        }
        // Most text is ASCII words and ordinary punctuation, where every character only copies
        // itself and becomes the previous one: copying a whole run in one slice keeps the pass cheap.
        let bytes = self.html.as_bytes();
        let mut end = next;
        if is_plain(bytes[i]) {
            end = i + plain_run(&bytes[i..], is_plain);
        }
        let last = if end > next {
            char::from(bytes[end - 1])
        } else {
            c
        };
        self.out.push_str(&self.html[i..end]);
        self.prev = Some(last);
        self.ws = None;
        self.drop_ws = false;
        end
    }

    /// Copies (or drops, right after `«`) one whitespace unit, tracking the run it belongs to.
    fn space(&mut self, i: usize, next: usize) {
        self.token_start = true;
        if self.drop_ws {
            return;
        }
        // Leading whitespace of a block is left alone: it precedes no visible text.
        if self.ws.is_none() && self.prev.is_some() {
            self.ws = Some(self.out.len());
        }
        self.out.push_str(&self.html[i..next]);
        if self.prev.is_some() {
            self.prev = Some(' ');
        }
    }

    /// Replaces the pending whitespace with one no-break `space`, keeping any inline markup in
    /// it; false if there is none.
    fn replace_ws(&mut self, space: char) -> bool {
        let Some(start) = self.ws.take() else {
            return false;
        };
        // The tail is short (whitespace, perhaps a few inline tags or a comment), so rebuilding
        // it is cheap; every whitespace run in it must go or a wide space would remain.
        let tail = self.out.split_off(start);
        self.out.push(space);
        let mut i = 0;
        while i < tail.len() {
            if tail.as_bytes()[i] == b'<'
                && let Some((end, _)) = scan_markup(&tail, i)
            {
                self.out.push_str(&tail[i..end]);
                i = end;
                continue;
            }
            let (c, len, _) = unit_at(&tail, i);
            if !is_space(c) {
                self.out.push_str(&tail[i..i + len]);
            }
            i += len;
        }
        true
    }

    /// Writes `«` and its space; the source's own whitespace after it is then dropped.
    fn open_guillemet(&mut self) {
        self.out.push('«');
        self.ws = Some(self.out.len());
        self.out.push(NBSP);
        self.drop_ws = true;
        self.prev = Some(NBSP);
    }

    /// Writes `»` with exactly one no-break space before it.
    fn close_guillemet(&mut self) {
        if !self.replace_ws(NBSP) && self.prev.is_some_and(|p| !is_space(p)) {
            self.out.push(NBSP);
        }
        self.out.push('»');
        self.prev = Some('»');
        self.drop_ws = false;
    }

    /// Writes the `%` at `i`, with a no-break space before it when it follows a number
    /// (`27%`, `27 %`) and ends the word.
    fn percent(&mut self, i: usize) -> usize {
        if ends_word(self.html, i + 1) {
            let digit_before = match self.ws {
                Some(at) => self.out[..at].ends_with(|c: char| c.is_ascii_digit()),
                None => self.prev.is_some_and(|p| p.is_ascii_digit()),
            };
            if digit_before && !self.replace_ws(NBSP) {
                self.out.push(NBSP);
            }
        }
        self.out.push('%');
        self.prev = Some('%');
        self.ws = None;
        self.drop_ws = false;
        i + 1
    }

    /// Handles a run of `; : ! ? ‽` starting at `i`, spacing it only when it ends a word.
    fn marks(&mut self, i: usize) -> usize {
        let mut end = i;
        let mut last = ' ';
        let space = if self.html[i..].starts_with(':') {
            NBSP
        } else {
            NNBSP
        };
        for c in self.html[i..].chars() {
            if !is_mark(c) {
                break;
            }
            last = c;
            end += c.len_utf8();
        }
        // `std::io`, `10:30`, `?query=1` and `C:\` continue a token: they are not punctuation.
        if ends_word(self.html, end) {
            let spaced = self.replace_ws(space);
            if !spaced
                && self
                    .prev
                    .is_some_and(|p| p.is_alphabetic() || is_closing(p))
            {
                self.out.push(space);
            }
        }
        self.out.push_str(&self.html[i..end]);
        self.prev = Some(last);
        self.ws = None;
        self.drop_ws = false;
        end
    }
}

/// Whether what follows a run of marks at `at` lets it be read as punctuation.
fn ends_word(html: &str, at: usize) -> bool {
    if at >= html.len() || html.as_bytes()[at] == b'<' {
        return true;
    }
    let (c, _, _) = unit_at(html, at);
    is_space(c) || is_closing(c) || matches!(c, '.' | ',' | '…')
}

/// Recognises markup at `i` (a `<`): returns where it ends and what it is, or `None` when the
/// `<` is plain text.
fn scan_markup(html: &str, i: usize) -> Option<(usize, Markup)> {
    let bytes = html.as_bytes();
    let rest = &bytes[i..];
    let until = |from: usize, needle: &str| {
        html[from..]
            .find(needle)
            .map_or(html.len(), |p| from + p + needle.len())
    };
    if rest.starts_with(b"<!--") {
        return Some((until(i + 4, "-->"), Markup::Other));
    }
    if rest.starts_with(b"<![CDATA[") {
        return Some((until(i + 9, "]]>"), Markup::Other));
    }
    match rest.get(1) {
        Some(b'!' | b'?') => Some((until(i + 2, ">"), Markup::Other)),
        Some(b'/') if rest.get(2).is_some_and(u8::is_ascii_alphabetic) => {
            let name = (i + 2, name_end(bytes, i + 2));
            Some((tag_end(bytes, name.1), Markup::Close { name }))
        }
        Some(c) if c.is_ascii_alphabetic() => {
            let name = (i + 1, name_end(bytes, i + 1));
            let end = tag_end(bytes, name.1);
            let self_closing = end >= 2 && bytes[end - 1] == b'>' && bytes[end - 2] == b'/';
            Some((end, Markup::Open { name, self_closing }))
        }
        _ => None,
    }
}

/// End of a tag name starting at `from`.
fn name_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
        .map_or(bytes.len(), |p| from + p)
}

/// Index just past the `>` closing a tag, skipping `>` inside quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    // Attribute values (long addresses among them) are jumped over, not read byte by byte.
    while let Some(found) = memchr::memchr3(b'>', b'"', b'\'', &bytes[at..]) {
        let p = at + found;
        let quote = bytes[p];
        if quote == b'>' {
            return p + 1;
        }
        // Quotes only open a value after `=`; elsewhere they are stray characters.
        let opens_value = bytes[from..p]
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b'=');
        at = p + 1;
        if opens_value {
            match memchr::memchr(quote, &bytes[at..]) {
                Some(close) => at += close + 1,
                None => return bytes.len(),
            }
        }
    }
    bytes.len()
}

/// Start of the end tag `</name` at or after `from`, or the end of the input.
fn find_end_tag(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(p) = html[at..].find("</") {
        let start = at + p;
        let name_start = start + 2;
        let name_stop = name_start + name.len();
        if bytes.len() >= name_stop
            && bytes[name_start..name_stop].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(name_stop)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            return start;
        }
        at = name_start;
    }
    html.len()
}

/// Elements whose content is not HTML and is skipped whole.
fn is_raw_text(name: &str) -> bool {
    ["script", "style", "textarea"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// Elements whose text is code or machine output, never respaced.
fn is_protected(name: &str) -> bool {
    ["code", "pre", "kbd", "samp"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// End of the whitespace-delimited token starting at `i` (a tag also ends it).
fn token_end(html: &str, i: usize) -> usize {
    let bytes = html.as_bytes();
    let mut j = i;
    while j < bytes.len() {
        match bytes[j] {
            b' ' | b'\t' | b'\n' | b'\r' | b'<' => break,
            // Non-ASCII and `&` may start a no-break space or its entity; everything else is
            // checked one byte at a time.
            b'&' | 0x80.. => {
                let (c, len, _) = unit_at(html, j);
                if is_space(c) {
                    break;
                }
                j += len;
            }
            _ => j += 1,
        }
    }
    j
}

/// Whether a token is a URL, left alone because `:` and `?` there are syntax.
fn is_url(token: &str) -> bool {
    let starts = |prefix: &str| {
        token
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    // Every form but `www.` has a colon; most tokens are words without one.
    if !token.as_bytes().contains(&b':') {
        return starts("www.");
    }
    starts("http://")
        || starts("https://")
        || starts("mailto:")
        || starts("www.")
        || token.contains("://")
}

/// The text unit at `i`: its character (an entity decoded), its byte length, and whether it
/// is an entity.
fn unit_at(html: &str, i: usize) -> (char, usize, bool) {
    let bytes = html.as_bytes();
    let first = bytes[i];
    if first.is_ascii() {
        if first == b'&'
            && let Some(end) = entity_end(bytes, i)
        {
            return (decode_entity(&html[i + 1..end - 1]), end - i, true);
        }
        return (char::from(first), 1, false);
    }
    let c = html[i..].chars().next().unwrap_or_default();
    (c, c.len_utf8(), false)
}

/// Index just past an entity `&#?[A-Za-z0-9]+;` starting at `i`, if there is one.
fn entity_end(bytes: &[u8], i: usize) -> Option<usize> {
    // Real entity names are short; the cap keeps a stray `&` from scanning far.
    const LONGEST: usize = 32;
    let mut j = i + 1;
    if bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    let body = j;
    while j < bytes.len() && j - body < LONGEST && bytes[j].is_ascii_alphanumeric() {
        j += 1;
    }
    (j > body && bytes.get(j) == Some(&b';')).then_some(j + 1)
}

/// The character an entity body (between `&` and `;`) stands for, as far as spacing cares;
/// unknown names give a neutral character that triggers nothing.
fn decode_entity(body: &str) -> char {
    const NEUTRAL: char = '\u{FFFD}';
    if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        return code.and_then(char::from_u32).unwrap_or(NEUTRAL);
    }
    match body {
        "nbsp" => '\u{A0}',
        "thinsp" => '\u{2009}',
        "quot" => '"',
        "apos" => '\'',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "rpar" => ')',
        "rsqb" => ']',
        "hellip" => '…',
        _ if [
            "acute", "grave", "circ", "uml", "cedil", "tilde", "ring", "lig", "slash",
        ]
        .iter()
        .any(|accent| body.len() > accent.len() && body.ends_with(accent)) =>
        {
            // `&eacute;` and friends are letters.
            'a'
        }
        _ => NEUTRAL,
    }
}

/// Last character of a copied segment, an entity at its end decoded.
fn last_text_char(segment: &str) -> Option<char> {
    let bytes = segment.as_bytes();
    if bytes.last() == Some(&b';') {
        let window = bytes.len().saturating_sub(36);
        if let Some(amp) = bytes[window..].iter().rposition(|b| *b == b'&') {
            let amp = window + amp;
            if entity_end(bytes, amp) == Some(bytes.len()) {
                return Some(decode_entity(&segment[amp + 1..bytes.len() - 1]));
            }
        }
    }
    segment.chars().next_back()
}

/// Whitespace that the rules replace with a narrow no-break space.
fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{A0}' | '\u{202F}' | '\u{2009}'
    )
}

/// Characters some rule acts on, or that may start markup or an entity; text between them is
/// only copied.
fn is_special(c: char) -> bool {
    matches!(c, '<' | '&' | '«' | '»' | '%')
        || is_mark(c)
        || (is_space(c) && !is_ascii_space(c))
        || (c.is_ascii_control() && !is_ascii_space(c))
}

/// The first character of `text` that [`is_special`], and where. Bytes are checked, not
/// characters: every special character outside ASCII starts with the byte 0xC2 or 0xE2.
fn find_special(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = bytes[from..]
        .iter()
        .position(|&b| MAY_START_SPECIAL[usize::from(b)])
    {
        let at = from + found;
        let c = text[at..].chars().next()?;
        if is_special(c) {
            return Some((at, c));
        }
        from = at + 1;
    }
    None
}

/// The bytes a character that [`is_special`] can start with: every special ASCII character
/// exactly, and the first bytes of those outside ASCII (0xC2 and 0xE2), which other characters
/// share. Looked up, a body's bytes are passed over a few times faster than by asking each.
const MAY_START_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        table[b] = matches!(c, '<' | '&' | '%' | ';' | ':' | '!' | '?')
            || (c.is_ascii_control() && !matches!(c, ' ' | '\t' | '\n' | '\r'));
        b += 1;
    }
    table[0xC2] = true;
    table[0xE2] = true;
    table
};

/// Whitespace of the HTML source itself.
fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// ASCII that no rule looks at: neither markup, an entity, whitespace nor high punctuation.
fn is_plain(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'<' | b'&' | b';' | b':' | b'!' | b'?' | b'%')
}

/// Length of the run of bytes at the start of `bytes` that satisfy `keep`.
fn plain_run(bytes: &[u8], keep: impl Fn(u8) -> bool) -> usize {
    bytes.iter().position(|&b| !keep(b)).unwrap_or(bytes.len())
}

/// High punctuation that takes a narrow no-break space before it in French.
fn is_mark(c: char) -> bool {
    matches!(c, ';' | ':' | '!' | '?' | '‽')
}

/// Characters that close a phrase, after which punctuation is still spaced.
fn is_closing(c: char) -> bool {
    matches!(c, '»' | ')' | ']' | '”' | '’' | '"' | '\'' | '›')
}

#[cfg(test)]
mod tests {
    use super::{french_spacing, typeset};

    #[test]
    fn a_tag_ends_at_its_first_bracket_outside_quoted_values() {
        let ends = |tag: &str| super::tag_end(tag.as_bytes(), 2);
        assert_eq!(ends(r#"<a href="x>y" title='a>b'>z"#), 26);
        assert_eq!(ends(r#"<a href = "x>y">z"#), 16);
        // A quote that follows no `=` opens nothing.
        assert_eq!(ends(r#"<a "x>y">z"#), 6);
        assert_eq!(ends(r#"<a b="c" "d>e">z"#), 12);
        assert_eq!(ends(r#"<a href="never closed>"#), 22);
        assert_eq!(ends("<a"), 2);
    }

    #[test]
    fn the_byte_table_finds_every_special_character_and_no_other_ascii() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let first = c.encode_utf8(&mut [0; 4]).as_bytes()[0];
            if super::is_special(c) {
                assert!(super::MAY_START_SPECIAL[usize::from(first)], "{c:?}");
            } else if c.is_ascii() {
                assert!(!super::MAY_START_SPECIAL[usize::from(first)], "{c:?}");
            }
        }
    }

    /// Runs the rules, writing `_` for U+202F and `~` for U+00A0 in the result so expectations
    /// stay readable.
    fn fr(html: &str) -> String {
        assert!(
            !html.contains(['_', '~']),
            "test inputs must not contain `_` or `~`"
        );
        french_spacing(html)
            .replace('\u{202F}', "_")
            .replace('\u{A0}', "~")
    }

    #[test]
    fn space_before_question_mark_is_made_narrow() {
        assert_eq!(fr("<p>C’est quoi ?</p>"), "<p>C’est quoi_?</p>");
    }

    #[test]
    fn missing_space_before_question_mark_is_added() {
        assert_eq!(fr("<p>C’est quoi?</p>"), "<p>C’est quoi_?</p>");
    }

    #[test]
    fn colon_followed_by_text() {
        assert_eq!(fr("<p>Attention : ceci</p>"), "<p>Attention~: ceci</p>");
        assert_eq!(fr("<p>Attention: ceci</p>"), "<p>Attention~: ceci</p>");
    }

    #[test]
    fn semicolon_and_interrobang() {
        assert_eq!(fr("un ; deux; trois‽"), "un_; deux_; trois_‽");
    }

    #[test]
    fn guillemets_with_spaces() {
        assert_eq!(fr("<p>« bonjour »</p>"), "<p>«~bonjour~»</p>");
    }

    #[test]
    fn guillemets_without_spaces() {
        assert_eq!(fr("<p>«bonjour»</p>"), "<p>«~bonjour~»</p>");
    }

    #[test]
    fn guillemets_with_existing_no_break_spaces_are_not_doubled() {
        assert_eq!(
            fr("<p>«\u{A0}bonjour\u{A0}» «\u{202F}salut\u{202F}»</p>"),
            "<p>«~bonjour~» «~salut~»</p>"
        );
        assert_eq!(fr("<p>«&nbsp;bonjour&nbsp;»</p>"), "<p>«~bonjour~»</p>");
    }

    #[test]
    fn guillemets_around_inline_markup() {
        assert_eq!(
            fr("<p>« <em>bonjour</em> »</p>"),
            "<p>«~<em>bonjour</em>~»</p>"
        );
        assert_eq!(
            fr("<p>«<em>bonjour</em>»</p>"),
            "<p>«~<em>bonjour</em>~»</p>"
        );
    }

    #[test]
    fn closing_guillemet_opening_a_paragraph_is_left_alone() {
        assert_eq!(fr("<p>» suite</p>"), "<p>» suite</p>");
    }

    #[test]
    fn no_break_space_before_colon_is_kept() {
        assert_eq!(fr("<p>Note\u{A0}: ceci</p>"), "<p>Note~: ceci</p>");
        assert_eq!(fr("<p>Note&nbsp;: ceci</p>"), "<p>Note~: ceci</p>");
    }

    #[test]
    fn existing_narrow_space_is_kept_once() {
        assert_eq!(fr("<p>Note\u{202F}: ceci</p>"), "<p>Note~: ceci</p>");
        assert_eq!(fr("<p>Note \u{202F} : ceci</p>"), "<p>Note~: ceci</p>");
    }

    #[test]
    fn whitespace_run_with_newline_is_replaced() {
        assert_eq!(fr("<p>vraiment\n ?</p>"), "<p>vraiment_?</p>");
    }

    #[test]
    fn code_is_untouched() {
        assert_eq!(
            fr("<p>Tapez <code>a : b ?</code> ici</p>"),
            "<p>Tapez <code>a : b ?</code> ici</p>"
        );
        assert_eq!(
            fr("<pre><code>x ? y</code></pre>"),
            "<pre><code>x ? y</code></pre>"
        );
    }

    #[test]
    fn code_starting_with_a_multibyte_character_is_untouched() {
        let html =
            "<p>Voir <code>éditorial : ’x’ ?</code> puis <pre><code>« é » ?</code></pre></p>";
        assert_eq!(fr(html), html);
    }

    #[test]
    fn kbd_samp_script_style_textarea_are_untouched() {
        let html = "<kbd>a ?</kbd><samp>b :</samp><script>if (a < b) { x ? y : z; }</script>\
                    <style>a:hover { color: red !important; }</style>\
                    <textarea>« c ! »</textarea>";
        assert_eq!(fr(html), html);
    }

    #[test]
    fn text_after_code_is_still_spaced() {
        assert_eq!(
            fr("<p>La fonction <code>main</code> : elle</p>"),
            "<p>La fonction <code>main</code>~: elle</p>"
        );
        assert_eq!(
            fr("<p>Et <code>Option</code>?</p>"),
            "<p>Et <code>Option</code>_?</p>"
        );
    }

    #[test]
    fn uppercase_pre_is_untouched() {
        assert_eq!(
            fr("<PRE>x ? y : z</PRE><p>a ?</p>"),
            "<PRE>x ? y : z</PRE><p>a_?</p>"
        );
    }

    #[test]
    fn nested_markup_inside_pre_is_untouched() {
        assert_eq!(
            fr("<pre><code><span>x ?</span></code></pre><p>fin ?</p>"),
            "<pre><code><span>x ?</span></code></pre><p>fin_?</p>"
        );
    }

    #[test]
    fn attributes_are_untouched() {
        assert_eq!(
            fr(r#"<a href="/x?y=1" title="a : b">lien : ici</a>"#),
            r#"<a href="/x?y=1" title="a : b">lien~: ici</a>"#
        );
    }

    #[test]
    fn greater_than_inside_attribute_does_not_end_the_tag() {
        assert_eq!(
            fr(r#"<img alt="a > b : c ?"> d ?"#),
            r#"<img alt="a > b : c ?"> d_?"#
        );
    }

    #[test]
    fn long_plain_stretches_hand_over_to_the_rules() {
        assert_eq!(
            fr("<p>un deux trois &amp; quatre cinq\n  six ?  Sept « huit » ; neuf\u{A0}!</p>"),
            "<p>un deux trois &amp; quatre cinq\n  six_?  Sept «~huit~»_; neuf_!</p>"
        );
        assert_eq!(
            fr("<p>l’été dernier www.example.org?</p>"),
            "<p>l’été dernier www.example.org?</p>"
        );
    }

    #[test]
    fn urls_in_text_are_untouched() {
        assert_eq!(
            fr("<p>voir https://example.org/?a=1 : ici</p>"),
            "<p>voir https://example.org/?a=1~: ici</p>"
        );
        assert_eq!(
            fr("<p>écrire à mailto:moi@example.org? ou www.example.org/x?y! ou ftp://h:21/!</p>"),
            "<p>écrire à mailto:moi@example.org? ou www.example.org/x?y! ou ftp://h:21/!</p>"
        );
    }

    #[test]
    fn link_text_then_colon() {
        assert_eq!(
            fr(r#"<p><a href="https://example.org">le site</a>: voilà</p>"#),
            r#"<p><a href="https://example.org">le site</a>~: voilà</p>"#
        );
    }

    #[test]
    fn marks_inside_tokens_are_untouched() {
        let html = r"<p>À 10:30, a:b, C:\dossier, std::io, ?query=1, rouge !important</p>";
        assert_eq!(fr(html), html);
    }

    #[test]
    fn digit_before_mark_gets_no_space_but_whitespace_is_narrowed() {
        assert_eq!(
            fr("<p>étape 3: puis 4 : fin</p>"),
            "<p>étape 3: puis 4~: fin</p>"
        );
    }

    #[test]
    fn entities_are_text_not_punctuation() {
        assert_eq!(fr("<p>A &amp; B ; C</p>"), "<p>A &amp; B_; C</p>");
        assert_eq!(
            fr("<p>Tom&amp;Jerry, l&#39;eau, a&#x2F;b</p>"),
            "<p>Tom&amp;Jerry, l&#39;eau, a&#x2F;b</p>"
        );
    }

    #[test]
    fn entity_before_and_after_marks() {
        assert_eq!(
            fr("<p>&quot;Quoi&quot;? &quot;Non!&quot;</p>"),
            "<p>&quot;Quoi&quot;_? &quot;Non_!&quot;</p>"
        );
        assert_eq!(fr("<p>caf&eacute;?</p>"), "<p>caf&eacute;_?</p>");
        assert_eq!(fr("<p>a?&amp;b</p>"), "<p>a?&amp;b</p>");
    }

    #[test]
    fn repeated_marks_get_one_space() {
        assert_eq!(fr("<p>Non!!</p>"), "<p>Non_!!</p>");
        assert_eq!(fr("<p>Quoi?!</p>"), "<p>Quoi_?!</p>");
        assert_eq!(
            fr("<p>Quoi ?! Vraiment !!!</p>"),
            "<p>Quoi_?! Vraiment_!!!</p>"
        );
    }

    #[test]
    fn closing_characters_before_marks() {
        assert_eq!(
            fr("<p>« oui »? (vraiment)! « non »</p>"),
            "<p>«~oui~»_? (vraiment)_! «~non~»</p>"
        );
        assert_eq!(fr("<p>(vraiment?)</p>"), "<p>(vraiment_?)</p>");
    }

    #[test]
    fn comments_are_untouched() {
        assert_eq!(
            fr("<!-- quoi ? « x » --><p>quoi ?</p>"),
            "<!-- quoi ? « x » --><p>quoi_?</p>"
        );
        assert_eq!(fr("<p>quoi <!-- c --> ?</p>"), "<p>quoi_<!-- c -->?</p>");
    }

    #[test]
    fn space_before_inline_tag_is_replaced_in_place() {
        assert_eq!(
            fr("<p>quoi <strong>?</strong></p>"),
            "<p>quoi_<strong>?</strong></p>"
        );
        assert_eq!(fr("<p>quoi <em> </em>\n?</p>"), "<p>quoi_<em></em>?</p>");
        assert_eq!(
            fr("<p><strong>Attention</strong>: ceci</p>"),
            "<p><strong>Attention</strong>~: ceci</p>"
        );
    }

    #[test]
    fn block_boundaries_reset_the_context() {
        assert_eq!(fr("<p>fin</p><p>? début</p>"), "<p>fin</p><p>? début</p>");
        assert_eq!(fr("<li>\n: x</li>"), "<li>\n: x</li>");
    }

    #[test]
    fn doctype_and_unicode_pass_through() {
        let html = "<!DOCTYPE html>\n<html lang=\"fr\"><body><h1>Été — 日本</h1></body></html>\n";
        assert_eq!(fr(html), html);
    }

    #[test]
    fn unterminated_markup_is_copied() {
        assert_eq!(fr("<p>a ?</p><!-- x ?"), "<p>a_?</p><!-- x ?");
        assert_eq!(fr("a < b ?"), "a < b_?");
    }

    #[test]
    fn empty_and_plain_input() {
        assert_eq!(fr(""), "");
        assert_eq!(fr("rien à faire."), "rien à faire.");
        assert_eq!(fr("fin :"), "fin~:");
    }

    #[test]
    fn percent_after_a_number_gets_a_word_space() {
        assert_eq!(
            fr("<p>27% et 30 % ; 50&nbsp;%</p>"),
            "<p>27~% et 30~%_; 50~%</p>"
        );
        assert_eq!(
            fr("<p>le % seul, 100%-bio, https://x.org/a%20b</p>"),
            "<p>le % seul, 100%-bio, https://x.org/a%20b</p>"
        );
    }

    #[test]
    fn text_outside_bodies_is_typeset_like_them() {
        let t = typeset("L'été : « Mé » 27% d'avance !", true);
        assert_eq!(
            t,
            "L’été\u{A0}: «\u{A0}Mé\u{A0}» 27\u{A0}% d’avance\u{202F}!"
        );
        assert_eq!(
            typeset("Don't 'quote' <a title='x'>", false),
            "Don’t 'quote' <a title='x'>"
        );
    }
}

#[cfg(test)]
mod theme_tests {
    /// The default theme's French strings are already typeset: typesetting changes nothing.
    #[test]
    fn french_theme_strings_follow_the_same_rules() {
        let text = include_str!("../../themes/default/i18n/fr.toml");
        let strings: std::collections::BTreeMap<String, String> = toml::from_str(text).unwrap();
        for (key, value) in strings {
            assert_eq!(super::typeset(&value, true), value, "{key}");
        }
    }
}
