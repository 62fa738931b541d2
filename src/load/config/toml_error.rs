//! TOML mistakes of `site.toml` and front matter, said in a writer's words: a value of the
//! wrong type names the kind of value wanted ("a whole number", "true or false") instead of a
//! Rust type, a quoted number or boolean is told to lose its quotes, and a date TOML cannot
//! read shows the forms it can.

use std::path::Path;

use crate::error::{self, Diagnostic};

/// Keys whose value is a date or a time, in front matter (under every accepted spelling).
const DATE_KEYS: [&str; 12] = [
    "date",
    "publishDate",
    "publish_date",
    "updated",
    "lastmod",
    "last_modified_at",
    "reviewed",
    "review_by",
    "expires",
    "expiryDate",
    "expiry_date",
    "at",
];

/// The forms of a date TOML reads, as the hint for a date it cannot read says them.
pub(crate) const DATE_FORMS: &str = "dates are written 2026-12-06, 2026-12-06T09:30:00 (in the site's time \
                          zone) or 2026-12-06T09:30:00+01:00 (with an offset)";

/// A TOML error of `text` (the file `path`, whose line `first_line` the text starts on) as a
/// diagnostic with the file and line, in the writer's words.
pub(crate) fn diagnostic(
    err: &toml::de::Error,
    text: &str,
    path: &Path,
    first_line: usize,
) -> Diagnostic {
    let mut d = error::from_toml(err, text, path, first_line);
    let span = err.span().unwrap_or(0..0);
    let value = text.get(span.clone()).unwrap_or("").trim();
    let line = line_around(text, span.start);
    let key = keys(err).or_else(|| key_of_line(line).map(str::to_string));
    if let Some((message, hint)) = wrong_type(err.message(), key.as_deref(), value, line) {
        d.message = message;
        d.hint = hint;
    } else if let Some(hint) = date_hint(err.message(), key.as_deref(), line) {
        if let Some(key) = &key {
            d.message = format!("`{key}`: {}", d.message);
        }
        d.hint = Some(hint);
    }
    d
}

/// The dotted path of the key whose value is wrong, as the TOML reader knows it
/// (`build.posts_per_page`).
fn keys(err: &toml::de::Error) -> Option<String> {
    // The reader prints the path of keys only when it has no text to show the place in.
    let mut bare = err.clone();
    bare.set_input(None);
    let shown = bare.to_string();
    let path = shown
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("in `")?.strip_suffix('`'))?;
    (!path.is_empty()).then(|| path.to_string())
}

/// The line of `text` holding byte `offset`, without its line end.
fn line_around(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end].trim_end_matches('\r')
}

/// The key of a `key = value` line.
fn key_of_line(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.contains(['[', ' ', '\t'])).then_some(key)
}

/// The value of a `key = value` line, without a comment after it.
fn value_of_line(line: &str) -> Option<&str> {
    let (_, value) = line.split_once('=')?;
    let value = value.split(" #").next().unwrap_or(value).trim();
    (!value.is_empty()).then_some(value)
}

/// Serde's "invalid type: string \"10\", expected i64" as a message and a hint in words:
/// "`build.posts_per_page` must be a whole number, not a string", "remove the quotes".
fn wrong_type(
    message: &str,
    key: Option<&str>,
    value: &str,
    line: &str,
) -> Option<(String, Option<String>)> {
    let (found, wanted) = message
        .strip_prefix("invalid type: ")?
        .split_once(", expected ")?;
    let wanted = wanted_words(wanted)?;
    let found_words = found_words(found, value)?;
    let subject = key.map_or("this value".to_string(), |k| format!("`{k}`"));
    let message = format!("{subject} must be {}, not {found_words}", wanted.words());
    let short = key.map_or("", |k| k.rsplit('.').next().unwrap_or(k));
    // `key = value` when the value stands alone on its key's line, else the value alone.
    let written = |v: &str| {
        if !short.is_empty()
            && key_of_line(line) == Some(short)
            && value_of_line(line) == Some(value)
        {
            format!("{short} = {v}")
        } else {
            v.to_string()
        }
    };
    Some((message, hint(wanted, value, &written)))
}

/// The problem of `key` (`share.off`) holding `value` where it takes `wanted`: the message and
/// the hint, as for a value serde refused.
pub(crate) fn mistyped(key: &str, wanted: Wanted, value: &toml::Value) -> (String, Option<String>) {
    let short = key.rsplit('.').next().unwrap_or(key);
    let message = format!(
        "`{key}` must be {}, not {}",
        wanted.words(),
        value_words(value)
    );
    let written = |v: &str| format!("{short} = {v}");
    (message, hint(wanted, &value.to_string(), &written))
}

/// What a TOML value is, in words: "a string", "a whole number", "`true`", "a list"…
pub(crate) fn value_words(value: &toml::Value) -> String {
    match value {
        toml::Value::String(_) => "a string".to_string(),
        toml::Value::Integer(_) => "a whole number".to_string(),
        toml::Value::Float(_) => "a decimal number".to_string(),
        toml::Value::Boolean(b) => format!("`{b}`"),
        toml::Value::Datetime(_) => "a date".to_string(),
        toml::Value::Array(_) => "a list".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

/// How to write `value` (as written in TOML) as the `wanted` kind, when that is clear;
/// `written` shows a value in place (`key = value`).
fn hint(wanted: Wanted, value: &str, written: &dyn Fn(&str) -> String) -> Option<String> {
    match (wanted, unquote(value)) {
        (Wanted::Whole, Some(inner)) if inner.trim().parse::<i64>().is_ok() => {
            Some(format!("remove the quotes: {}", written(inner.trim())))
        }
        (Wanted::Number, Some(inner)) if inner.trim().parse::<f64>().is_ok() => {
            Some(format!("remove the quotes: {}", written(inner.trim())))
        }
        (Wanted::Boolean, Some(inner)) if matches!(inner.trim(), "true" | "false") => {
            Some(format!("remove the quotes: {}", written(inner.trim())))
        }
        (Wanted::Boolean, _) => Some(format!(
            "write {} or {}, without quotes",
            written("true"),
            written("false")
        )),
        (Wanted::Text, None) if !value.is_empty() && !value.contains('\n') => Some(format!(
            "put it in quotes: {}",
            written(&format!("\"{}\"", value.replace('"', "\\\"")))
        )),
        (Wanted::List, Some(_)) => {
            Some(format!("write a list: {}", written(&format!("[{value}]"))))
        }
        _ => None,
    }
}

/// The kinds of value a key may want, as serde names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// An integer of any width.
    Whole,
    /// A float.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A string.
    Text,
    /// A sequence.
    List,
    /// A map or a struct.
    Table,
    /// A single character.
    Character,
}

impl Wanted {
    /// The kind in words.
    fn words(self) -> &'static str {
        match self {
            Wanted::Whole => "a whole number",
            Wanted::Number => "a number",
            Wanted::Boolean => "true or false",
            Wanted::Text => "a string (text in quotes)",
            Wanted::List => "a list, such as [\"a\", \"b\"]",
            Wanted::Table => "a table",
            Wanted::Character => "a single character",
        }
    }
}

/// What serde's "expected …" names, as a kind of value; none for what it does not say plainly.
fn wanted_words(expected: &str) -> Option<Wanted> {
    Some(match expected.trim() {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" => Wanted::Whole,
        "f32" | "f64" => Wanted::Number,
        "a boolean" => Wanted::Boolean,
        "a string" | "a borrowed string" => Wanted::Text,
        "a sequence" => Wanted::List,
        "a character" => Wanted::Character,
        e if e == "a map" || e.starts_with("struct ") => Wanted::Table,
        _ => return None,
    })
}

/// What serde's "invalid type: …" found, in words; `value` is the text written, which tells a
/// date (a map to serde) from a table.
fn found_words(found: &str, value: &str) -> Option<String> {
    let words = if found.starts_with("string ") {
        "a string".to_string()
    } else if found.starts_with("integer ") {
        "a whole number".to_string()
    } else if found.starts_with("floating point ") {
        "a decimal number".to_string()
    } else if let Some(b) = found.strip_prefix("boolean ") {
        b.to_string()
    } else if found == "sequence" {
        "a list".to_string()
    } else if found == "map" && value.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        "a date".to_string()
    } else if found == "map" {
        "a table".to_string()
    } else {
        return None;
    };
    Some(words)
}

/// The text inside a one-line quoted string.
fn unquote(value: &str) -> Option<&str> {
    if value.starts_with("\"\"\"") || value.starts_with("'''") {
        return None;
    }
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
}

/// For a date TOML cannot read (`2026-12-6`, or `06/12/2026` given to a date key), the forms
/// it reads, with the date as it should be written when that is clear.
fn date_hint(message: &str, key: Option<&str>, line: &str) -> Option<String> {
    let about_dates = ["invalid date", "invalid time", "invalid offset"]
        .iter()
        .any(|p| message.starts_with(p));
    let date_key = key
        .map(|k| k.rsplit('.').next().unwrap_or(k))
        .is_some_and(|k| DATE_KEYS.contains(&k));
    if !(about_dates || date_key) {
        return None;
    }
    let guess = value_of_line(line).and_then(padded_date);
    Some(match guess {
        Some(date) => format!("write {date}; {DATE_FORMS}"),
        None => DATE_FORMS.to_string(),
    })
}

/// `2026-12-6T9:30` written with the two digits TOML wants in each part (`2026-12-06T09:30`),
/// when that makes a date TOML reads; none when nothing is to be padded or the date is not
/// one with padding either.
fn padded_date(raw: &str) -> Option<String> {
    let pad = |part: &str| -> Option<String> {
        (!part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("{part:0>2}"))
    };
    let (date, rest) = match raw.find(['T', 't', ' ']) {
        Some(i) => (&raw[..i], Some((&raw[i..i + 1], &raw[i + 1..]))),
        None => (raw, None),
    };
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = format!("{year}-{}-{}", pad(month)?, pad(day)?);
    if let Some((separator, time)) = rest {
        let (clock, offset) = match time.find(['+', '-', 'Z', 'z']) {
            Some(i) => time.split_at(i),
            None => (time, ""),
        };
        let clock: Vec<String> = clock.split(':').map(pad).collect::<Option<_>>()?;
        if !(2..=3).contains(&clock.len()) {
            return None;
        }
        out.push_str(separator);
        out.push_str(&clock.join(":"));
        match offset.split_at_checked(1) {
            None => {}
            Some((z, "")) if z.eq_ignore_ascii_case("z") => out.push('Z'),
            Some((sign, hours_minutes)) => {
                let (hours, minutes) = hours_minutes.split_once(':')?;
                out.push_str(&format!("{sign}{}:{}", pad(hours)?, pad(minutes)?));
            }
        }
    }
    let reads = toml::from_str::<toml::Table>(&format!("d = {out}"))
        .is_ok_and(|t| matches!(t.get("d"), Some(toml::Value::Datetime(_))));
    (reads && out != raw).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagnostic of a TOML text read as `T`.
    fn problem<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> Diagnostic {
        let err = toml::from_str::<T>(text).unwrap_err();
        diagnostic(&err, text, Path::new("site.toml"), 1)
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Build {
        posts_per_page: Option<toml::Spanned<i64>>,
        draft: Option<bool>,
        title: Option<String>,
        aliases: Option<Vec<String>>,
        ratio: Option<f64>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Site {
        build: Build,
    }

    #[test]
    fn a_quoted_number_loses_its_quotes() {
        let d = problem::<Site>("[build]\nposts_per_page = \"10\"\n");
        assert_eq!(
            d.message,
            "`build.posts_per_page` must be a whole number, not a string"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("remove the quotes: posts_per_page = 10")
        );
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn types_are_named_in_words() {
        let d = problem::<Build>("draft = \"true\"\n");
        assert_eq!(d.message, "`draft` must be true or false, not a string");
        assert_eq!(d.hint.as_deref(), Some("remove the quotes: draft = true"));
        let d = problem::<Build>("draft = \"oui\"\n");
        assert_eq!(
            d.hint.as_deref(),
            Some("write draft = true or draft = false, without quotes")
        );
        let d = problem::<Build>("title = 2026\n");
        assert_eq!(
            d.message,
            "`title` must be a string (text in quotes), not a whole number"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("put it in quotes: title = \"2026\"")
        );
        let d = problem::<Build>("title = true\n");
        assert_eq!(
            d.message,
            "`title` must be a string (text in quotes), not `true`"
        );
        let d = problem::<Build>("title = 2026-12-06\n");
        assert_eq!(
            d.message,
            "`title` must be a string (text in quotes), not a date"
        );
        let d = problem::<Build>("aliases = \"/old/\"\n");
        assert_eq!(
            d.message,
            "`aliases` must be a list, such as [\"a\", \"b\"], not a string"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("write a list: aliases = [\"/old/\"]")
        );
        let d = problem::<Build>("ratio = \"1.5\"\n");
        assert_eq!(d.message, "`ratio` must be a number, not a string");
        assert_eq!(d.hint.as_deref(), Some("remove the quotes: ratio = 1.5"));
        let d = problem::<Build>("posts_per_page = 1.5\n");
        assert_eq!(
            d.message,
            "`posts_per_page` must be a whole number, not a decimal number"
        );
        assert_eq!(d.hint, None);
    }

    #[test]
    fn a_date_toml_cannot_read_shows_the_forms_it_reads() {
        let d = problem::<toml::Table>("title = \"A\"\ndate = 2026-12-6\n");
        assert_eq!(d.line, Some(2));
        assert_eq!(
            d.message,
            "`date`: invalid date, expected a two-digit day (DD)"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "write 2026-12-06; dates are written 2026-12-06, 2026-12-06T09:30:00 (in the \
                 site's time zone) or 2026-12-06T09:30:00+01:00 (with an offset)"
            )
        );
        let d = problem::<toml::Table>("date = 06/12/2026\n");
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "dates are written 2026-12-06, 2026-12-06T09:30:00 (in the site's time zone) or \
                 2026-12-06T09:30:00+01:00 (with an offset)"
            )
        );
    }

    #[test]
    fn values_read_by_hand_are_named_alike() {
        let (message, hint) = mistyped(
            "share.off",
            Wanted::Boolean,
            &toml::Value::String("true".into()),
        );
        assert_eq!(message, "`share.off` must be true or false, not a string");
        assert_eq!(hint.as_deref(), Some("remove the quotes: off = true"));
        let (message, hint) = mistyped(
            "social.skip",
            Wanted::List,
            &toml::Value::String("x".into()),
        );
        assert_eq!(
            message,
            "`social.skip` must be a list, such as [\"a\", \"b\"], not a string"
        );
        assert_eq!(hint.as_deref(), Some("write a list: skip = [\"x\"]"));
        assert_eq!(value_words(&toml::Value::Integer(3)), "a whole number");
    }

    #[test]
    fn pads_dates_to_two_digits() {
        assert_eq!(padded_date("2026-12-6").as_deref(), Some("2026-12-06"));
        assert_eq!(
            padded_date("2026-1-6T9:30").as_deref(),
            Some("2026-01-06T09:30")
        );
        assert_eq!(
            padded_date("2026-12-06 9:30:00+1:00").as_deref(),
            Some("2026-12-06 09:30:00+01:00")
        );
        assert_eq!(padded_date("2026-12-06"), None);
        assert_eq!(padded_date("2026-13-6"), None);
        assert_eq!(padded_date("06/12/2026"), None);
    }
}
