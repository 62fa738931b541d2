//! Exports of the social queue for tools that schedule or show posts: an iCalendar feed and
//! two bulk-upload CSV files.
//!
//! Every export keeps the items in the order given and depends only on its arguments, so a
//! rebuild from the same sources writes the same bytes.
//!
//! **iCalendar** ([`ics`], RFC 5545):
//! - the calendar carries `VERSION:2.0`, `PRODID:-//Tribune//Social queue//EN`,
//!   `CALSCALE:GREGORIAN`, `METHOD:PUBLISH` and `X-WR-CALNAME` (the calendar name);
//! - one `VEVENT` per item: `UID:<item id>@tribune`, `DTSTAMP` (the build clock, passed in,
//!   never the wall clock), `DTSTART` in UTC as `YYYYMMDDTHHMMSSZ`, `DURATION:PT15M`,
//!   `SUMMARY:[<channel>] <kind>: <title>`, `DESCRIPTION:<text>` + blank line + `<link>`,
//!   `URL:<link>` and `CATEGORIES:<channel>,<kind>`;
//! - TEXT values (calendar name, UID, summary, description, categories) escape `\`, `;` and
//!   `,` with a backslash and write line breaks (LF, CRLF or CR) as `\n`; other control
//!   characters but tab are dropped, as RFC 5545 forbids them; `:` stays as is;
//! - the URL and the time stamp are not TEXT, so they are not escaped, but control
//!   characters are dropped from them too, as they would break the line structure;
//! - lines end with CRLF; a line longer than 75 octets is folded with CRLF and one space, so
//!   that no physical line exceeds 75 octets (the first carries 75 octets of content, each
//!   continuation a space and at most 74); folds fall only between UTF-8 characters.
//!
//! **Buffer CSV** ([`csv_buffer`]), for Buffer's bulk upload, which puts every row of a file
//! on the channels chosen when uploading it (so the queue writes one file per channel): a
//! header row `Text,Image URL,Tags,Posting Time`, then one row per item: the post text as it
//! is to be published, the image URL (empty when there is none), the channel key as a tag, and
//! the posting time as `YYYY-MM-DD HH:MM`, 24-hour, in the item's local time (the offset
//! written in its `at`); seconds are dropped.
//!
//! **Hootsuite CSV** ([`csv_hootsuite`]), for the bulk composer, which reads columns by
//! position, wants no header row and posts every row to the accounts chosen when uploading
//! (one file per channel again): `Date,Message`, the date as `DD/MM/YYYY HH:MM`, 24-hour, in
//! the item's local time. Hootsuite takes times on 5-minute steps only, so a time between two
//! steps is moved to the next one (18:07 becomes 18:10), never earlier than planned. The
//! message carries the link where the text has it; the optional third column, a link that
//! Hootsuite would add to the message once more, stays out. Choose the day-first date format
//! when uploading.
//!
//! Both CSV files follow RFC 4180: comma separators, CRLF after every row, and a field in
//! double quotes, with its quotes doubled, when it holds `,`, `"`, CR or LF. Line breaks
//! inside a post's text are kept as they are, inside the quotes.
//!
use chrono::{DateTime, FixedOffset, Utc};

use crate::load::config::Network;

/// One planned social post.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct QueueItem {
    /// Stable id: "<article-id>:<kind>:<index>:<channel>", e.g. "posts/cm/:announce:0:mastodon".
    pub(crate) id: String,
    /// The channel's network, written as its key: "x", "mastodon", "bluesky"…
    pub(crate) channel: Network,
    /// What the item says about its article.
    pub(crate) kind: Kind,
    /// Scheduled time, written in RFC 3339 with its offset, e.g. "2026-11-24T09:00:00+01:00".
    #[serde(serialize_with = "rfc3339")]
    pub(crate) at: DateTime<FixedOffset>,
    /// IANA zone name of the site, e.g. "Europe/Paris".
    pub(crate) zone: String,
    /// The post text, ready to publish.
    pub(crate) text: String,
    /// Its length as the channel counts it.
    pub(crate) length: usize,
    /// The channel's length limit.
    pub(crate) limit: usize,
    /// Bluesky: the text's UTF-8 bytes, which Bluesky also limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) bytes: Option<usize>,
    /// Bluesky: the most UTF-8 bytes a post may have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) byte_limit: Option<usize>,
    /// Bluesky: the links, tags and mentions of `text` as its app marks them; empty elsewhere.
    pub(crate) facets: Vec<Facet>,
    /// LinkedIn: the text escaped for the `commentary` of LinkedIn's Posts API, whose "little
    /// text format" reserves `| { } @ [ ] ( ) < > # \ * _ ~`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) commentary: Option<String>,
    /// Absolute URL of the article.
    pub(crate) link: String,
    /// Absolute URL of the article's image, if any.
    pub(crate) image: Option<String>,
    /// Article id: its site path, e.g. "posts/cm/".
    pub(crate) article: String,
    /// Title of the article.
    pub(crate) title: String,
    /// Source file of the article.
    pub(crate) path: String,
}

/// What a queue item says about its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// A text the author wrote in front matter.
    Custom,
    /// The article is out.
    Announce,
    /// The article changed since it went out.
    Update,
    /// One of its pull quotes, as a follow-up.
    Pullquote,
    /// The article again, later, while it is fresh or evergreen.
    Recycle,
}

impl Kind {
    /// The word that names it in the queue, its ids and its texts' template (`social/KIND.txt`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Custom => "custom",
            Kind::Announce => "announce",
            Kind::Update => "update",
            Kind::Pullquote => "pullquote",
            Kind::Recycle => "recycle",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Writes a time as RFC 3339 with its own offset, as the queue's readers expect.
fn rfc3339<S: serde::Serializer>(at: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339())
}

/// One facet of a post's text as Bluesky's app marks it: a UTF-8 byte range and what it is.
///
/// Written as `{"byte_start", "byte_end", "kind", …}` with `uri` for a link, `tag` for a tag and
/// `handle` for a mention.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Facet {
    /// Offset of the facet's first byte in the text.
    pub(crate) byte_start: usize,
    /// Offset just past the facet's last byte.
    pub(crate) byte_end: usize,
    /// What the range is.
    #[serde(flatten)]
    pub(crate) feature: Feature,
}

/// What a facet marks, as Bluesky's `app.bsky.richtext.facet` features.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Feature {
    /// A link, to `uri` (with `https://` added to a bare domain).
    Link {
        /// The link's target.
        uri: String,
    },
    /// A hashtag, without its `#`, or a cashtag, with its `$` and in capitals (`$EUR`).
    Tag {
        /// The tag as Bluesky stores it.
        tag: String,
    },
    /// A mention of a handle, as written and without its `@`; publishing resolves it to a DID.
    Mention {
        /// The handle.
        handle: String,
    },
}

/// The product identifier written in every calendar.
const PRODID: &str = "-//Tribune//Social queue//EN";

/// How long an event lasts: calendars hide zero-length events or draw them as a sliver.
const DURATION: &str = "PT15M";

/// The longest physical line RFC 5545 allows, in octets, without its CRLF.
const LINE_OCTETS: usize = 75;

/// The queue as an iCalendar (RFC 5545) calendar: one VEVENT per item.
pub(crate) fn ics(items: &[QueueItem], calendar_name: &str, now_utc: &str) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: &str| push_folded(&mut out, name, value);
    line("BEGIN", "VCALENDAR");
    line("VERSION", "2.0");
    line("PRODID", PRODID);
    line("CALSCALE", "GREGORIAN");
    line("METHOD", "PUBLISH");
    line("X-WR-CALNAME", &escape_text(calendar_name));
    let stamp = strip_controls(now_utc);
    for item in items {
        let at = item.at;
        let start = at.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string();
        let summary = format!("[{}] {}: {}", item.channel, item.kind, item.title);
        let description = format!("{}\n\n{}", item.text, item.link);
        let categories = format!("{},{}", item.channel, item.kind);
        line("BEGIN", "VEVENT");
        line("UID", &format!("{}@tribune", escape_text(&item.id)));
        line("DTSTAMP", &stamp);
        line("DTSTART", &start);
        line("DURATION", DURATION);
        line("SUMMARY", &escape_text(&summary));
        line("DESCRIPTION", &escape_text(&description));
        line("URL", &strip_controls(&item.link));
        line("CATEGORIES", &categories);
        line("END", "VEVENT");
    }
    line("END", "VCALENDAR");
    out
}

/// Buffer-style CSV.
pub(crate) fn csv_buffer(items: &[QueueItem]) -> String {
    let mut out = String::new();
    push_row(&mut out, &["Text", "Image URL", "Tags", "Posting Time"]);
    for item in items {
        let at = item.at;
        let time = at.format("%Y-%m-%d %H:%M").to_string();
        let image = item.image.as_deref().unwrap_or("");
        push_row(&mut out, &[&item.text, image, item.channel.key(), &time]);
    }
    out
}

/// Hootsuite bulk-composer CSV: date on a 5-minute step and message, no header.
pub(crate) fn csv_hootsuite(items: &[QueueItem]) -> String {
    let mut out = String::new();
    for item in items {
        let at = item.at;
        let date = five_minute_step(at).format("%d/%m/%Y %H:%M").to_string();
        push_row(&mut out, &[&date, &item.text]);
    }
    out
}

/// `at` moved forward to the next 5-minute step, seconds dropped, unless it is on one.
fn five_minute_step(at: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    use chrono::Timelike;
    let past = i64::from(at.minute() % 5) * 60 + i64::from(at.second());
    let start = at
        - chrono::TimeDelta::seconds(past)
        - chrono::TimeDelta::nanoseconds(i64::from(at.nanosecond()));
    if past == 0 && at.nanosecond() == 0 {
        start
    } else {
        start + chrono::TimeDelta::minutes(5)
    }
}

/// Escapes a TEXT value (RFC 5545, 3.3.11).
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // CRLF is one line break, not two.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            c if is_forbidden_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Drops the control characters a content line cannot hold from a value that is not TEXT.
fn strip_controls(value: &str) -> String {
    value
        .chars()
        .filter(|&c| !is_forbidden_control(c) && c != '\n' && c != '\r')
        .collect()
}

/// Whether RFC 5545's CONTROL rule excludes `c` from a value (tab is allowed).
fn is_forbidden_control(c: char) -> bool {
    c.is_ascii_control() && c != '\t'
}

/// Appends the content line `name:value` with its CRLF, folded to at most 75 octets a line.
fn push_folded(out: &mut String, name: &str, value: &str) {
    let line = format!("{name}:{value}");
    let mut rest = line.as_str();
    // The continuation's leading space takes one octet of the 75.
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Appends one CSV record with its CRLF.
fn push_row(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};

    /// French text with every character that needs escaping or quoting.
    const FRENCH: &str = "« L’été », enfin ; dit \"Zoé\".\nÀ lire :";

    /// A text long enough to fold, with a 2-, a 4- and a 3-octet character on fold boundaries.
    const LONG: &str = "Pourquoi le community management compte plus que jamais, cet été comme l’hiver : une voix humaine, des réponses très rapides 📣 et la confiance qui s’installe jour après jour, sans bruit ni d’ennui, à l’écoute de chacun.";

    /// The build clock of the examples.
    const NOW: &str = "20261123T120000Z";

    /// A queue item with the fields the exports ignore filled in.
    fn item(id: &str, channel: &str, kind: &str, at: &str, text: &str, link: &str) -> QueueItem {
        QueueItem {
            id: id.into(),
            channel: Network::parse(channel).expect("a network"),
            kind: [
                Kind::Custom,
                Kind::Announce,
                Kind::Update,
                Kind::Pullquote,
                Kind::Recycle,
            ]
            .into_iter()
            .find(|k| k.key() == kind)
            .expect("a kind"),
            at: DateTime::parse_from_rfc3339(at).expect("an RFC 3339 time"),
            zone: "Europe/Paris".into(),
            text: text.into(),
            length: text.chars().count(),
            limit: 500,
            bytes: None,
            byte_limit: None,
            facets: Vec::new(),
            commentary: None,
            link: link.into(),
            image: None,
            article: id.split(':').next().unwrap_or_default().into(),
            title: String::new(),
            path: "content/post.md".into(),
        }
    }

    /// The two-item queue of the exact-output tests.
    fn queue() -> Vec<QueueItem> {
        let mut ete = item(
            "posts/ete/:announce:0:mastodon",
            "mastodon",
            "announce",
            "2026-11-24T09:00:00+01:00",
            FRENCH,
            "https://ex.fr/ete/",
        );
        ete.title = "L’été, enfin".into();
        ete.image = Some("https://ex.fr/ete/cover.jpg".into());
        // Half past midnight in Paris is still the day before in UTC.
        let mut cm = item(
            "posts/cm/:pullquote:1:bluesky",
            "bluesky",
            "pullquote",
            "2026-11-25T00:30:00+01:00",
            LONG,
            "https://ex.fr/cm/",
        );
        cm.title = "Le CM, ça compte".into();
        vec![ete, cm]
    }

    /// Physical lines of `text`, split on LF with the CR before it dropped.
    fn physical_lines(text: &str) -> Vec<&[u8]> {
        let body = text
            .strip_suffix("\r\n")
            .expect("the last line ends with CRLF");
        body.as_bytes()
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .collect()
    }

    /// Fails unless every CR is followed by LF and every LF preceded by CR.
    fn assert_crlf_only(text: &str) {
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "lone CR at {i}");
            }
            if b == b'\n' {
                assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at {i}");
            }
        }
    }

    #[test]
    fn ics_exact_output() {
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Tribune//Social queue//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            r"X-WR-CALNAME:Tribune\, file sociale",
            "BEGIN:VEVENT",
            "UID:posts/ete/:announce:0:mastodon@tribune",
            "DTSTAMP:20261123T120000Z",
            "DTSTART:20261124T080000Z",
            "DURATION:PT15M",
            r"SUMMARY:[mastodon] announce: L’été\, enfin",
            r#"DESCRIPTION:« L’été »\, enfin \; dit "Zoé".\nÀ lire :\n\nhttps://ex"#,
            " .fr/ete/",
            "URL:https://ex.fr/ete/",
            "CATEGORIES:mastodon,announce",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:posts/cm/:pullquote:1:bluesky@tribune",
            "DTSTAMP:20261123T120000Z",
            "DTSTART:20261124T233000Z",
            "DURATION:PT15M",
            r"SUMMARY:[bluesky] pullquote: Le CM\, ça compte",
            r"DESCRIPTION:Pourquoi le community management compte plus que jamais\, cet ",
            r" été comme l’hiver : une voix humaine\, des réponses très rapides ",
            r" 📣 et la confiance qui s’installe jour après jour\, sans bruit ni d",
            r" ’ennui\, à l’écoute de chacun.\n\nhttps://ex.fr/cm/",
            "URL:https://ex.fr/cm/",
            "CATEGORIES:bluesky,pullquote",
            "END:VEVENT",
            "END:VCALENDAR",
        ];
        let expected = format!("{}\r\n", expected.join("\r\n"));
        assert_eq!(ics(&queue(), "Tribune, file sociale", NOW), expected);
    }

    #[test]
    fn ics_lines_are_crlf_folded_and_whole_utf8() {
        let out = ics(&queue(), "Tribune, file sociale", NOW);
        assert_crlf_only(&out);
        let lines = physical_lines(&out);
        assert_eq!(lines.len(), 31);
        for line in &lines {
            assert!(line.len() <= 75, "{} octets", line.len());
            assert!(std::str::from_utf8(line).is_ok(), "split UTF-8 character");
        }
        // Each fold fills its line: the character that went on would not have fitted, and the
        // test text puts characters of 2, 3 and 4 octets there.
        let mut widths = Vec::new();
        for pair in lines.windows(2) {
            let Some(rest) = pair[1].strip_prefix(b" ") else {
                continue;
            };
            let next = std::str::from_utf8(rest).unwrap().chars().next().unwrap();
            assert!(pair[0].len() + next.len_utf8() > 75, "fold too early");
            widths.push(next.len_utf8());
        }
        for width in [2, 3, 4] {
            assert!(
                widths.contains(&width),
                "no {width}-octet character at a fold"
            );
        }
        // Unfolding gives back the logical DESCRIPTION line.
        let unfolded = out.replace("\r\n ", "");
        let description = format!(
            "DESCRIPTION:{}\r\n",
            escape_text(&format!("{LONG}\n\nhttps://ex.fr/cm/"))
        );
        assert!(unfolded.contains(&description));
    }

    #[test]
    fn ics_parses_back() {
        let items = queue();
        let calendar: icalendar::Calendar = ics(&items, "Tribune, file sociale", NOW)
            .parse()
            .expect("a valid calendar");
        let events: Vec<_> = calendar
            .components
            .iter()
            .filter_map(CalendarComponent::as_event)
            .collect();
        assert_eq!(events.len(), 2);
        let starts = ["2026-11-24T08:00:00Z", "2026-11-24T23:30:00Z"];
        for ((event, item), start) in events.iter().zip(&items).zip(starts) {
            assert_eq!(
                event.get_uid(),
                Some(format!("{}@tribune", item.id).as_str())
            );
            let start = DateTime::parse_from_rfc3339(start)
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(
                event.get_start(),
                Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(start)))
            );
            assert_eq!(
                event.get_description(),
                Some(format!("{}\n\n{}", item.text, item.link).as_str())
            );
            assert_eq!(
                event.get_summary(),
                Some(format!("[{}] {}: {}", item.channel, item.kind, item.title).as_str())
            );
            assert_eq!(event.get_url(), Some(item.link.as_str()));
        }
    }

    #[test]
    fn ics_is_byte_identical_across_runs_and_empty_queue_is_a_bare_calendar() {
        assert_eq!(ics(&queue(), "Q", NOW), ics(&queue(), "Q", NOW));
        assert_eq!(
            ics(&[], "Q", NOW),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tribune//Social queue//EN\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Q\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn text_escaping() {
        assert_eq!(escape_text(r"a\b;c,d:e"), r"a\\b\;c\,d:e");
        assert_eq!(escape_text("1\r\n2\n3\r4"), r"1\n2\n3\n4");
        assert_eq!(escape_text("tab\there\u{7}\u{0}\u{7f}"), "tab\there");
        assert_eq!(
            strip_controls("https://a.b/\r\nX-EVIL:1"),
            "https://a.b/X-EVIL:1"
        );
    }

    #[test]
    fn folding_counts_octets_not_characters() {
        let mut out = String::new();
        push_folded(&mut out, "X", &"é".repeat(80));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        // "X:" and 36 "é" make 74 octets: a 37th would reach 76.
        assert_eq!(lines[0].len(), 74);
        assert_eq!(lines[1].len(), 75);
        assert!(lines.iter().skip(1).all(|l| l.starts_with(' ')));
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("X:{}\r\n", "é".repeat(80))
        );
        let mut exact = String::new();
        push_folded(&mut exact, "X", &"a".repeat(73));
        assert_eq!(exact.len(), 77, "75 octets stay on one line");
    }

    #[test]
    fn csv_buffer_exact_output() {
        let expected = concat!(
            "Text,Image URL,Tags,Posting Time\r\n",
            "\"« L’été », enfin ; dit \"\"Zoé\"\".\nÀ lire :\",https://ex.fr/ete/cover.jpg,mastodon,2026-11-24 09:00\r\n",
            "\"Pourquoi le community management compte plus que jamais, cet été comme l’hiver : une voix humaine, des réponses très rapides 📣 et la confiance qui s’installe jour après jour, sans bruit ni d’ennui, à l’écoute de chacun.\",,bluesky,2026-11-25 00:30\r\n",
        );
        assert_eq!(csv_buffer(&queue()), expected);
    }

    #[test]
    fn csv_hootsuite_exact_output() {
        let expected = concat!(
            "24/11/2026 09:00,\"« L’été », enfin ; dit \"\"Zoé\"\".\nÀ lire :\"\r\n",
            "25/11/2026 00:30,\"Pourquoi le community management compte plus que jamais, cet été comme l’hiver : une voix humaine, des réponses très rapides 📣 et la confiance qui s’installe jour après jour, sans bruit ni d’ennui, à l’écoute de chacun.\"\r\n",
        );
        assert_eq!(csv_hootsuite(&queue()), expected);
        assert_eq!(csv_hootsuite(&[]), "");
    }

    #[test]
    fn csv_quoting() {
        let mut out = String::new();
        push_row(
            &mut out,
            &[
                "plain",
                "",
                "a,b",
                "say \"hi\"",
                "cr\rhere",
                "lf\nhere",
                "semi;colon",
                "\"",
            ],
        );
        assert_eq!(
            out,
            "plain,,\"a,b\",\"say \"\"hi\"\"\",\"cr\rhere\",\"lf\nhere\",semi;colon,\"\"\"\"\r\n"
        );
    }

    #[test]
    fn csv_times_keep_the_local_offset_and_drop_seconds() {
        let mut late = item(
            "a:announce:0:x",
            "x",
            "announce",
            "2026-03-29T23:59:59-04:00",
            "t",
            "https://e/",
        );
        late.image = Some("https://e/i.png".into());
        assert_eq!(
            csv_buffer(&[late.clone()]),
            "Text,Image URL,Tags,Posting Time\r\nt,https://e/i.png,x,2026-03-29 23:59\r\n"
        );
        // Hootsuite takes 5-minute steps: 23:59:59 goes to the next day's 00:00.
        assert_eq!(csv_hootsuite(&[late]), "30/03/2026 00:00,t\r\n");
    }

    #[test]
    fn hootsuite_times_go_forward_to_five_minute_steps() {
        let step = |at: &str| {
            five_minute_step(DateTime::parse_from_rfc3339(at).unwrap())
                .format("%H:%M:%S")
                .to_string()
        };
        assert_eq!(step("2026-11-24T18:07:00+01:00"), "18:10:00");
        assert_eq!(step("2026-11-24T18:05:00+01:00"), "18:05:00");
        assert_eq!(step("2026-11-24T18:05:01+01:00"), "18:10:00");
        assert_eq!(step("2026-11-24T18:00:00+01:00"), "18:00:00");
        assert_eq!(step("2026-11-24T18:59:00+01:00"), "19:00:00");
    }
}
