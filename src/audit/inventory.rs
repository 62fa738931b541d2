//! `tribune audit`: the inventory of a site's content, for the editor and for CI.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use chrono::{DateTime, Datelike, FixedOffset};
use serde::Serialize;

use crate::body::links;
use crate::load::config::Config;
use crate::load::corpus::Corpus;
use crate::load::post::Post;
use crate::site::freshness;
use crate::site::public::Site;
use crate::site::schedule::Status;
use crate::slug;

/// Version of the JSON schema below; bumped when a field changes meaning or disappears.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// Everything the audit found. Serialized as is by `--json` (documented in the README).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct AuditReport {
    /// Schema version.
    pub(crate) schema: u32,
    /// Site title.
    pub(crate) site: String,
    /// The audit clock in the site's time zone, to the minute, RFC 3339.
    pub(crate) now: String,
    /// How many posts are in each state.
    pub(crate) totals: Totals,
    /// Published posts per theme, most first, then by name.
    pub(crate) by_theme: Vec<Count>,
    /// Published posts per tag, most first, then by name.
    pub(crate) by_tag: Vec<Count>,
    /// Published posts per month (`2026-11`), oldest month first, months without posts included.
    pub(crate) by_month: Vec<Count>,
    /// Scheduled posts, soonest first.
    pub(crate) scheduled: Vec<PostRef>,
    /// Drafts, by file.
    pub(crate) drafts: Vec<PostRef>,
    /// Expired posts, most recently expired first.
    pub(crate) expired: Vec<PostRef>,
    /// Published posts past their freshness limit or review date, oldest first. Evergreen
    /// posts are never stale, on their page or here.
    pub(crate) stale: Vec<Freshness>,
    /// Published posts whose review falls due within 30 days, soonest first (evergreen posts
    /// never fall due).
    pub(crate) review_soon: Vec<Freshness>,
    /// Published posts without a description.
    pub(crate) missing_description: Vec<PostRef>,
    /// Published posts without an image.
    pub(crate) missing_image: Vec<PostRef>,
    /// Published posts without tags.
    pub(crate) missing_tags: Vec<PostRef>,
    /// Tags carried by one published post only.
    pub(crate) tags_used_once: Vec<String>,
    /// Internal links that lead nowhere public.
    pub(crate) broken_links: Vec<BrokenLink>,
    /// Titles longer than 70 characters, too long to share whole.
    pub(crate) long_titles: Vec<PostRef>,
    /// On a site in several languages, what each language but the default lacks or lags
    /// behind, in the configuration's order; left out of the JSON on a one-language site.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) translations: Vec<Translations>,
    /// Number of findings that `--strict` treats as problems: stale posts, missing
    /// descriptions, broken links and long titles.
    pub(crate) problems: usize,
}

/// Post counts by state.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Totals {
    /// Public now.
    pub(crate) published: usize,
    /// Dated after now.
    pub(crate) scheduled: usize,
    /// Marked `draft`.
    pub(crate) drafts: usize,
    /// Past their `expires` date.
    pub(crate) expired: usize,
    /// Published and past their freshness limit or review date.
    pub(crate) stale: usize,
    /// Standalone pages.
    pub(crate) pages: usize,
}

/// A name and a number.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Count {
    /// Term name or month.
    pub(crate) name: String,
    /// Posts.
    pub(crate) count: usize,
}

/// A post, as the audit lists it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct PostRef {
    /// Title.
    pub(crate) title: String,
    /// Source file, relative to the site root.
    pub(crate) file: String,
    /// Absolute URL it has (or will have).
    pub(crate) url: String,
    /// Publication date, RFC 3339, when it has one.
    pub(crate) date: Option<String>,
    /// The date that matters for this list (expiry for expired posts), RFC 3339.
    pub(crate) when: Option<String>,
    /// Title length in characters (for long titles).
    pub(crate) length: Option<usize>,
}

/// A post's freshness.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Freshness {
    /// The post.
    pub(crate) post: PostRef,
    /// Latest of publication, `updated` and `reviewed`, RFC 3339.
    pub(crate) last_touched: String,
    /// Days since `last_touched`.
    pub(crate) age_days: i64,
    /// When the post turns (or turned) stale, RFC 3339, if the site sets a limit.
    pub(crate) stale_at: Option<String>,
    /// The post's `review_by` date, RFC 3339.
    pub(crate) review_by: Option<String>,
    /// Marked `evergreen`.
    pub(crate) evergreen: bool,
}

/// A link from a post to a page that is not public.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct BrokenLink {
    /// The post holding the link, relative to the site root.
    pub(crate) file: String,
    /// The link as written.
    pub(crate) target: String,
    /// `missing`, `draft`, `scheduled` or `expired`.
    pub(crate) reason: String,
    /// The file the link points at, when it exists.
    pub(crate) target_file: Option<String>,
}

/// What one language lacks of the default language's published posts and pages.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Translations {
    /// The language's code, as `site.toml` writes it.
    pub(crate) lang: String,
    /// Published posts and pages of the default language with no published version in this
    /// one: posts newest first, then pages by file.
    pub(crate) missing: Vec<PostRef>,
    /// Published translations whose original changed after them, the longest behind first.
    pub(crate) stale: Vec<StaleTranslation>,
}

/// A translation older than the last change of its original.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct StaleTranslation {
    /// The translation; `when` is its `updated`, else its date.
    pub(crate) translation: PostRef,
    /// The original; `when` is its `updated`, else its date, later than the translation's.
    pub(crate) original: PostRef,
}

/// Days ahead in which a coming review is listed.
const REVIEW_SOON_DAYS: i64 = 30;
/// Longest title that can be shared whole.
const MAX_TITLE: usize = 70;

/// Audits every post of `corpus` at the time of `site`, its public view at that time.
/// `outputs` holds the site path of every page a build makes, so links to anything else are
/// broken.
pub(crate) fn audit(corpus: &Corpus, site: &Site, outputs: &HashSet<String>) -> AuditReport {
    let (config, now) = (site.config, site.clock.now());
    let post_ref = |post: &Post, when: Option<DateTime<FixedOffset>>| reference(config, post, when);
    let mut report = AuditReport {
        schema: SCHEMA_VERSION,
        site: config.title.clone(),
        // Seconds would be noise in a report read by people: the minute, in the site's zone.
        now: now
            .with_timezone(&config.zone)
            .format("%Y-%m-%dT%H:%M:00%:z")
            .to_string(),
        ..Default::default()
    };
    report.totals.pages = corpus.pages.len();

    let mut themes: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut tags: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut months: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    let mut stale: Vec<(DateTime<FixedOffset>, Freshness)> = Vec::new();
    let mut soon: Vec<(DateTime<FixedOffset>, Freshness)> = Vec::new();
    let by_path = corpus.by_path();

    for post in &corpus.posts {
        match Status::of(post, now) {
            Status::Draft => {
                report.totals.drafts += 1;
                report.drafts.push(post_ref(post, None));
                continue;
            }
            Status::Scheduled => {
                report.totals.scheduled += 1;
                report.scheduled.push(post_ref(post, post.date));
                continue;
            }
            Status::Expired => {
                report.totals.expired += 1;
                report.expired.push(post_ref(post, post.expires));
                continue;
            }
            Status::Published => report.totals.published += 1,
        }
        for (key, counts) in [("themes", &mut themes), ("tags", &mut tags)] {
            for name in post.taxonomies.get(key).into_iter().flatten() {
                counts
                    .entry(slug::slugify(name))
                    .or_insert_with(|| (name.clone(), 0))
                    .1 += 1;
            }
        }
        if let Some(day) = post.local_date(config) {
            *months.entry((day.year(), day.month())).or_default() += 1;
        }
        // An evergreen post is never stale, so never a problem nor a review coming.
        if let Some(f) = freshness::freshness(post, config.stale_after, now)
            && !f.evergreen
        {
            let entry = Freshness {
                post: post_ref(post, None),
                last_touched: f.last_touched.to_rfc3339(),
                age_days: f.age_days,
                stale_at: f.stale_at.map(|d| d.to_rfc3339()),
                review_by: f.review_by.map(|d| d.to_rfc3339()),
                evergreen: f.evergreen,
            };
            if f.needs_review {
                stale.push((f.last_touched, entry));
            } else {
                let horizon = now + chrono::TimeDelta::days(REVIEW_SOON_DAYS);
                let next = [f.stale_at, f.review_by]
                    .into_iter()
                    .flatten()
                    .filter(|d| *d <= horizon)
                    .min();
                if let Some(next) = next {
                    soon.push((next, entry));
                }
            }
        }
        if post.description.is_none() {
            report.missing_description.push(post_ref(post, None));
        }
        if post.image.is_none() {
            report.missing_image.push(post_ref(post, None));
        }
        if post.taxonomies.get("tags").is_none_or(Vec::is_empty) {
            report.missing_tags.push(post_ref(post, None));
        }
        let length = post.title.chars().count();
        if length > MAX_TITLE {
            report.long_titles.push(PostRef {
                length: Some(length),
                ..post_ref(post, None)
            });
        }
        for link in links::internal_links(&post.body.text(), &post.path, &config.base) {
            let target = by_path.get(link.path.as_str());
            let reason = match target.map(|t| Status::of(t, now)) {
                Some(Status::Published) => continue,
                Some(Status::Draft) => "draft",
                Some(Status::Scheduled) => "scheduled",
                Some(Status::Expired) => "expired",
                None if outputs.contains(&link.path) => continue,
                None => "missing",
            };
            report.broken_links.push(BrokenLink {
                file: post.source.display().to_string(),
                target: link.written,
                reason: reason.to_string(),
                target_file: target.map(|t| t.source.display().to_string()),
            });
        }
    }

    report.totals.stale = stale.len();
    stale.sort_by_key(|(touched, f)| (*touched, f.post.file.clone()));
    report.stale = stale.into_iter().map(|(_, f)| f).collect();
    soon.sort_by_key(|(next, f)| (*next, f.post.file.clone()));
    report.review_soon = soon.into_iter().map(|(_, f)| f).collect();
    report
        .scheduled
        .sort_by(|a, b| a.when.cmp(&b.when).then(a.file.cmp(&b.file)));
    report.drafts.sort_by(|a, b| a.file.cmp(&b.file));
    report
        .expired
        .sort_by(|a, b| b.when.cmp(&a.when).then(a.file.cmp(&b.file)));
    report.tags_used_once = tags
        .values()
        .filter(|(_, n)| *n == 1)
        .map(|(name, _)| name.clone())
        .collect();
    report.by_theme = ranked(themes);
    report.by_tag = ranked(tags);
    report.by_month = month_series(&months);
    report.translations = translations(site);
    // Translation work is the editors' backlog, not a fault of the site: a language may
    // publish only part of the site on purpose, so none of it fails `--strict`.
    report.problems = report.stale.len()
        + report.missing_description.len()
        + report.broken_links.len()
        + report.long_titles.len();
    report
}

/// `post` as the audit lists it, with the date that matters for its list.
fn reference(config: &Config, post: &Post, when: Option<DateTime<FixedOffset>>) -> PostRef {
    PostRef {
        title: post.title.clone(),
        file: post.source.display().to_string(),
        url: config.base.absolute(&post.path),
        date: post.date.map(|d| d.to_rfc3339()),
        when: when.map(|d| d.to_rfc3339()),
        length: None,
    }
}

/// For each language but the default, the published posts and pages of the default language
/// it has no published version of, and its published versions older than their original's
/// last change; nothing on a site in one language.
fn translations(site: &Site) -> Vec<Translations> {
    let config = site.config;
    if !config.multilingual || config.languages.len() < 2 {
        return Vec::new();
    }
    let mut languages: Vec<Translations> = config.languages[1..]
        .iter()
        .map(|l| Translations {
            lang: l.code.clone(),
            ..Default::default()
        })
        .collect();
    let mut behind: Vec<Vec<(DateTime<FixedOffset>, StaleTranslation)>> =
        vec![Vec::new(); languages.len()];
    let changed = |p: &Post| p.updated.or(p.date);
    // Posts come newest first and pages by path, the order the lists keep.
    for &original in site.posts.iter().chain(&site.pages) {
        if original.edition != 0 {
            continue;
        }
        let versions = site.versions(original);
        // Two originals sharing a key: the site publishes one as the others' original and
        // `check` reports the other, which must not count a second time here.
        if versions
            .iter()
            .any(|v| v.edition == 0 && !std::ptr::eq(v.post, original))
        {
            continue;
        }
        for (i, language) in languages.iter_mut().enumerate() {
            let Some(version) = versions.iter().find(|v| v.edition == i + 1) else {
                language.missing.push(reference(config, original, None));
                continue;
            };
            // Undated pages cannot be compared: only a later date proves the original moved on.
            let (Some(original_at), Some(translated_at)) =
                (changed(original), changed(version.post))
            else {
                continue;
            };
            if original_at > translated_at {
                behind[i].push((
                    translated_at,
                    StaleTranslation {
                        translation: reference(config, version.post, Some(translated_at)),
                        original: reference(config, original, Some(original_at)),
                    },
                ));
            }
        }
    }
    for (language, mut stale) in languages.iter_mut().zip(behind) {
        stale.sort_by(|(a, x), (b, y)| {
            a.cmp(b)
                .then_with(|| x.translation.file.cmp(&y.translation.file))
        });
        language.stale = stale.into_iter().map(|(_, s)| s).collect();
    }
    languages
}

/// Counts, most first, then by name.
fn ranked(counts: BTreeMap<String, (String, usize)>) -> Vec<Count> {
    let mut list: Vec<Count> = counts
        .into_values()
        .map(|(name, count)| Count { name, count })
        .collect();
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    list
}

/// Every month from the first to the last with posts, empty months included, so a chart shows gaps.
fn month_series(months: &BTreeMap<(i32, u32), usize>) -> Vec<Count> {
    let (Some(&(y0, m0)), Some(&(y1, m1))) = (months.keys().next(), months.keys().next_back())
    else {
        return Vec::new();
    };
    let mut series = Vec::new();
    let (mut y, mut m) = (y0, m0);
    while (y, m) <= (y1, m1) {
        series.push(Count {
            name: format!("{y:04}-{m:02}"),
            count: months.get(&(y, m)).copied().unwrap_or(0),
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    series
}

/// The day of an RFC 3339 date, `2026-11-23`, as the terminal lists it; nothing without one.
fn day(date: Option<&String>) -> &str {
    date.map_or("", |d| d.get(..10).unwrap_or(d))
}

/// The report as the terminal shows it.
pub(crate) fn terminal(report: &AuditReport) -> String {
    let mut out = String::new();
    let t = &report.totals;
    let when = report
        .now
        .get(..16)
        .unwrap_or(&report.now)
        .replace('T', " ");
    let zone = report.now.get(19..).unwrap_or("");
    let _ = writeln!(out, "Audit of {} at {when} ({zone})", report.site);
    let _ = writeln!(
        out,
        "Published {}, scheduled {}, drafts {}, expired {}, stale {}, pages {}\n",
        t.published, t.scheduled, t.drafts, t.expired, t.stale, t.pages
    );
    let counts = |out: &mut String, title: &str, list: &[Count]| {
        let _ = writeln!(out, "{title}");
        if list.is_empty() {
            let _ = writeln!(out, "  (none)");
        }
        let width = list
            .iter()
            .map(|c| c.name.chars().count())
            .max()
            .unwrap_or(0);
        for c in list {
            let pad = width - c.name.chars().count();
            let _ = writeln!(out, "  {}{}  {:>4}", c.name, " ".repeat(pad), c.count);
        }
        out.push('\n');
    };
    counts(&mut out, "Posts per theme", &report.by_theme);
    counts(&mut out, "Posts per tag", &report.by_tag);
    let months: Vec<Count> = report
        .by_month
        .iter()
        .filter(|c| c.count > 0)
        .cloned()
        .collect();
    counts(&mut out, "Posts per month", &months);
    let posts = |out: &mut String, title: &str, list: &[PostRef]| {
        let _ = writeln!(out, "{title} ({})", list.len());
        for p in list {
            let when = day(p.when.as_ref().or(p.date.as_ref()));
            let extra = p
                .length
                .map(|l| format!(" [{l} characters]"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {when:<10}  {}{extra}  ({})", p.title, p.file);
        }
        out.push('\n');
    };
    posts(&mut out, "Scheduled", &report.scheduled);
    posts(&mut out, "Drafts", &report.drafts);
    posts(&mut out, "Expired", &report.expired);
    let fresh = |out: &mut String, title: &str, list: &[Freshness]| {
        let _ = writeln!(out, "{title} ({})", list.len());
        for f in list {
            let mark = if f.evergreen { " [evergreen]" } else { "" };
            let _ = writeln!(
                out,
                "  {}  {} days  {}{mark}  ({})",
                &f.last_touched[..10],
                f.age_days,
                f.post.title,
                f.post.file
            );
        }
        out.push('\n');
    };
    fresh(
        &mut out,
        "Stale or due for review, oldest first",
        &report.stale,
    );
    fresh(&mut out, "Review due within 30 days", &report.review_soon);
    posts(
        &mut out,
        "Missing a description",
        &report.missing_description,
    );
    posts(&mut out, "Missing an image", &report.missing_image);
    posts(&mut out, "Missing tags", &report.missing_tags);
    let _ = writeln!(out, "Tags used once ({})", report.tags_used_once.len());
    if !report.tags_used_once.is_empty() {
        let _ = writeln!(out, "  {}", report.tags_used_once.join(", "));
    }
    out.push('\n');
    let _ = writeln!(out, "Broken internal links ({})", report.broken_links.len());
    for l in &report.broken_links {
        let to = l
            .target_file
            .as_deref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}: {} -> {}{to}", l.file, l.target, l.reason);
    }
    out.push('\n');
    posts(
        &mut out,
        "Titles too long to share (over 70 characters)",
        &report.long_titles,
    );
    for language in &report.translations {
        let lang = &language.lang;
        posts(
            &mut out,
            &format!("Missing translations into {lang}"),
            &language.missing,
        );
        let _ = writeln!(
            out,
            "Translations into {lang} older than their original ({})",
            language.stale.len()
        );
        for s in &language.stale {
            let (t, o) = (&s.translation, &s.original);
            let _ = writeln!(
                out,
                "  {:<10}  {}  ({})",
                day(t.when.as_ref()),
                t.title,
                t.file
            );
            let _ = writeln!(
                out,
                "  {:<10}  original changed {}: {}  ({})",
                "",
                day(o.when.as_ref()),
                o.title,
                o.file
            );
        }
        out.push('\n');
    }
    let _ = match report.problems {
        1 => writeln!(out, "1 problem"),
        n => writeln!(out, "{n} problems"),
    };
    out
}
