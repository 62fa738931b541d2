//! Emoji sequences as twitter-text finds them, which X counts as 2 each, and Threads by their
//! UTF-8 bytes.
//!
//! twitter-text lists the emoji of its Unicode version one by one. The rules below give the
//! same sequences for those, from the Unicode emoji properties (Unicode 18 here), and count
//! newer sequences as X documents them: 2 each, however many code points they join.
//!
//! - a keycap: `#`, `*` or a digit, an optional U+FE0F, then U+20E3 (`1️⃣`);
//! - a flag: two regional indicators (`🇫🇷`), or a black flag with tag characters (`🏴󠁧󠁢󠁳󠁣󠁴󠁿`);
//! - an emoji character, with U+FE0F when it has a text form (`☺️`), and a skin tone when it
//!   takes one (`👍🏽`); `©` and `®` are emoji only with U+FE0F, and no character followed by
//!   U+FE0E (the text-style selector: `☺︎`) is an emoji;
//! - any of these joined to the next by U+200D (`👩‍💻`, `🏳️‍🌈`).

use std::ops::Range;

use unicode_properties::emoji::{EmojiStatus, UnicodeEmoji};

/// Zero-width joiner, which glues emoji into one sequence.
const ZWJ: char = '\u{200D}';
/// Variation selector 16: the emoji form of a character that also has a text form.
const EMOJI_STYLE: char = '\u{FE0F}';
/// Variation selector 15: the text form.
const TEXT_STYLE: char = '\u{FE0E}';
/// The keycap mark.
const KEYCAP: char = '\u{20E3}';
/// Cancel tag, which ends a tag sequence.
const CANCEL_TAG: char = '\u{E007F}';

/// Characters shown as emoji by default that also have a text form, so that U+FE0F after them
/// belongs to the emoji (Unicode's emoji-variation-sequences).
const DEFAULT_EMOJI_WITH_TEXT_FORM: &[u32] = &[
    0x231A, 0x231B, 0x25FD, 0x25FE, 0x2614, 0x2615, 0x2648, 0x2649, 0x264A, 0x264B, 0x264C, 0x264D,
    0x264E, 0x264F, 0x2650, 0x2651, 0x2652, 0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD,
    0x26BE, 0x26C4, 0x26C5, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2B1B, 0x2B1C,
    0x2B50, 0x2B55, 0x1F004, 0x1F21A, 0x1F22F,
];

/// The regions whose two regional indicators make a flag (Unicode's RGI flag sequences).
const FLAGS: &[&str] = &[
    "AC", "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
    "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR",
    "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM",
    "CN", "CO", "CP", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DG", "DJ", "DK", "DM", "DO",
    "DZ", "EA", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "EU", "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT",
    "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "IC", "ID", "IE", "IL", "IM", "IN", "IO",
    "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR",
    "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC",
    "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU",
    "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
    "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK",
    "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TA", "TC", "TD", "TF", "TG",
    "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "UN",
    "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA",
    "ZM", "ZW",
];

/// The emoji sequences of `text`, left to right, as byte ranges.
pub(crate) fn sequences(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        match sequence_end(text, at) {
            Some(end) => {
                found.push(at..end);
                at = end;
            }
            None => at += c.len_utf8(),
        }
    }
    found
}

/// The end of the emoji sequence starting at byte `at`, if one does.
pub(crate) fn sequence_end(text: &str, at: usize) -> Option<usize> {
    let mut end = element_end(text, at)?;
    while let Some(rest) = text[end..].strip_prefix(ZWJ) {
        match element_end(text, text.len() - rest.len()) {
            Some(next) => end = next,
            None => break,
        }
    }
    Some(end)
}

/// The end of one emoji (without joiners) at byte `at`.
fn element_end(text: &str, at: usize) -> Option<usize> {
    let mut chars = text[at..].chars();
    let first = chars.next()?;
    let second = chars.next();
    let mut end = at + first.len_utf8();
    if matches!(first, '#' | '*' | '0'..='9') {
        let mut rest = text[end..]
            .strip_prefix(EMOJI_STYLE)
            .unwrap_or(&text[end..]);
        rest = rest.strip_prefix(KEYCAP)?;
        return Some(text.len() - rest.len());
    }
    if is_regional_indicator(first) {
        // Two indicators of no region are two emoji, as twitter-text counts them.
        let flag = second.filter(|&c| is_regional_indicator(c) && is_flag(first, c));
        return Some(end + flag.map_or(0, char::len_utf8));
    }
    let status = first.emoji_status();
    if !first.is_emoji_char() || second == Some(TEXT_STYLE) {
        return None;
    }
    if matches!(first, '\u{A9}' | '\u{AE}') && second != Some(EMOJI_STYLE) {
        return None;
    }
    if second == Some(EMOJI_STYLE) && has_text_form(first, status) {
        end += EMOJI_STYLE.len_utf8();
    }
    if is_modifier_base(status)
        && let Some(tone) = text[end..]
            .chars()
            .next()
            .filter(|c| is_modifier(c.emoji_status()))
    {
        end += tone.len_utf8();
    }
    Some(tag_sequence_end(text, end).unwrap_or(end))
}

/// The end of tag characters closed by a cancel tag at byte `at` (subdivision flags).
fn tag_sequence_end(text: &str, at: usize) -> Option<usize> {
    let mut end = at;
    for c in text[at..].chars() {
        end += c.len_utf8();
        match c {
            CANCEL_TAG if end > at + CANCEL_TAG.len_utf8() => return Some(end),
            '\u{E0020}'..='\u{E007E}' => {}
            _ => return None,
        }
    }
    None
}

/// Whether U+FE0F after `c` selects its emoji form.
fn has_text_form(c: char, status: EmojiStatus) -> bool {
    !is_presentation(status) || DEFAULT_EMOJI_WITH_TEXT_FORM.contains(&u32::from(c))
}

/// Whether a character is shown as emoji by default.
fn is_presentation(status: EmojiStatus) -> bool {
    matches!(
        status,
        EmojiStatus::EmojiPresentation
            | EmojiStatus::EmojiPresentationAndModifierBase
            | EmojiStatus::EmojiPresentationAndEmojiComponent
            | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
    )
}

/// Whether a character takes a skin tone.
fn is_modifier_base(status: EmojiStatus) -> bool {
    matches!(
        status,
        EmojiStatus::EmojiModifierBase | EmojiStatus::EmojiPresentationAndModifierBase
    )
}

/// Whether a character is a skin tone.
fn is_modifier(status: EmojiStatus) -> bool {
    status == EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
}

/// Whether two regional indicators name a region with a flag.
fn is_flag(first: char, second: char) -> bool {
    let letter = |c: char| char::from(b'A' + (u32::from(c) - 0x1F1E6) as u8);
    let code: String = [letter(first), letter(second)].iter().collect();
    FLAGS.contains(&code.as_str())
}

/// Whether `c` is a regional indicator, half of a flag.
fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sequences of `text` as strings.
    fn found(text: &str) -> Vec<&str> {
        sequences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn sequences_as_twitter_text_finds_them() {
        assert_eq!(found("a👍b"), ["👍"]);
        assert_eq!(found("👍🏽👩\u{200D}💻"), ["👍🏽", "👩\u{200D}💻"]);
        assert_eq!(found("🇫🇷🇩🇪"), ["🇫🇷", "🇩🇪"]);
        assert_eq!(found("🇦🇦"), ["🇦", "🇦"]);
        assert_eq!(FLAGS.len(), 258);
        assert_eq!(
            found("1\u{FE0F}\u{20E3} 1\u{20E3} 1"),
            ["1\u{FE0F}\u{20E3}", "1\u{20E3}"]
        );
        assert_eq!(found("\u{A9} \u{A9}\u{FE0F}"), ["\u{A9}\u{FE0F}"]);
        // The text-style selector makes ☺ text; the emoji-style one joins it.
        assert_eq!(found("☺\u{FE0E} ☺\u{FE0F} ☺"), ["☺\u{FE0F}", "☺"]);
        // A default-emoji character without a text form keeps U+FE0F apart, as twitter-text does.
        assert_eq!(found("😀\u{FE0F}"), ["😀"]);
        assert_eq!(
            found("🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}").len(),
            1
        );
        assert_eq!(found("🏳\u{FE0F}\u{200D}🌈"), ["🏳\u{FE0F}\u{200D}🌈"]);
        // A joiner before a letter is no part of the emoji.
        assert_eq!(found("👩\u{200D}a"), ["👩"]);
        assert!(found("é — « » 日本").is_empty());
    }
}
