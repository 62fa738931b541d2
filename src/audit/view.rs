//! The audit report's view: what the theme's `audit.html` reads as `audit`, the
//! [`AuditReport`] in the order and shape the page shows it, numbers and chart geometry
//! included, so that the template only places them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::audit::inventory::{
    AuditReport, BrokenLink, Count, Freshness, PostRef, StaleTranslation, Totals, Translations,
};

/// Longest list of tags shown; the long tail only matters as a number.
const TOP_TAGS: usize = 30;
/// Under this age a stale post's age reads better in days than in months.
const DAYS_BEFORE_MONTHS: i64 = 90;

/// What `audit.html` reads as `audit`: the report in the order and shape the page shows it.
#[derive(Debug, Serialize)]
pub(super) struct View<'a> {
    /// The site's name, when it has one.
    site: Option<&'a str>,
    /// The audit date in the site's language: "6 décembre 2026".
    day: String,
    /// The audit time in the site's zone, `HH:MM`.
    time: &'a str,
    /// The audit moment, RFC 3339, for `<time datetime>`.
    now: &'a str,
    /// Schema version of the report.
    schema: u32,
    /// Posts by state, for the summary cards.
    totals: &'a Totals,
    /// Findings that `--strict` fails on.
    problems: usize,
    /// Every section, in page order, for the table of contents and the headings.
    sections: Vec<Section>,
    /// The chart of posts per month; none without posts.
    months: Option<Months>,
    /// The freshness bar; none without published posts.
    freshness: Option<Fresh>,
    /// Posts per theme.
    themes: Counts<'a>,
    /// Posts per tag, the most used first.
    tags: Counts<'a>,
    /// Scheduled posts, dated by their publication.
    scheduled: Vec<Row<'a>>,
    /// Drafts.
    drafts: Vec<Row<'a>>,
    /// Expired posts, dated by their expiry.
    expired: Vec<Row<'a>>,
    /// Stale posts, oldest first.
    stale: Vec<Aged<'a>>,
    /// Posts whose review falls due within 30 days.
    review_soon: Vec<Aged<'a>>,
    /// Posts without a description, an image or tags, one group each.
    missing: Vec<Missing<'a>>,
    /// Tags carried by one post only.
    tags_once: &'a [String],
    /// Internal links that lead nowhere public; the template words their `reason`.
    broken_links: &'a [BrokenLink],
    /// Titles too long to share whole.
    long_titles: Vec<Row<'a>>,
    /// What each language but the default lacks or lags behind; none on a one-language site.
    translations: Vec<Language<'a>>,
}

/// A part of the page, as its heading and the table of contents show it.
#[derive(Debug, Serialize)]
struct Section {
    /// Anchor, also the table of contents' link; the template picks the body by it.
    id: &'static str,
    /// Key of its heading among the theme's strings.
    title: &'static str,
    /// Entries, for the badge next to the heading; none for the charts.
    count: Option<usize>,
    /// Whether it holds entries that count as problems.
    warn: bool,
}

/// A list of names with their post counts, drawn as bars.
#[derive(Debug, Serialize)]
struct Counts<'a> {
    /// The rows shown.
    rows: Vec<Bar<'a>>,
    /// Names left out after the rows shown.
    more: usize,
}

/// A name, its post count and its bar.
#[derive(Debug, Serialize)]
struct Bar<'a> {
    /// Theme or tag.
    name: &'a str,
    /// Posts.
    count: usize,
    /// Length of its bar, in percent of the longest.
    width: usize,
}

/// A post in a list.
#[derive(Debug, Serialize)]
struct Row<'a> {
    /// Title.
    title: &'a str,
    /// Where the title links to: a public post's web address, never anything a click could run.
    url: Option<&'a str>,
    /// The date that matters for the list, in the site's language.
    day: Option<String>,
    /// Source file, relative to the site root.
    file: &'a str,
    /// Title length in characters.
    length: usize,
}

/// A published post with its freshness.
#[derive(Debug, Serialize)]
struct Aged<'a> {
    /// The post.
    post: Row<'a>,
    /// Latest of publication, update and review, in the site's language.
    last_touched: String,
    /// Age since then, in days or in months (see `in_months`).
    age: usize,
    /// Whether `age` counts months: an editor weighs a long age more easily in months.
    in_months: bool,
    /// Marked `evergreen`.
    evergreen: bool,
    /// When its review falls due, the nearer of its two deadlines, in the site's language.
    due: Option<String>,
}

/// One kind of missing metadata.
#[derive(Debug, Serialize)]
struct Missing<'a> {
    /// Anchor of its subheading.
    id: &'static str,
    /// Key of its subheading among the theme's strings.
    title: &'static str,
    /// The posts that lack it.
    posts: Vec<Row<'a>>,
}

/// What one language lacks of the default language's published posts and pages.
#[derive(Debug, Serialize)]
struct Language<'a> {
    /// Its code, as `site.toml` writes it.
    lang: &'a str,
    /// Its name in its own words (the theme's `language_name` in it), when the theme has one.
    name: Option<&'a str>,
    /// Its code in lower case, for the anchors of its subheadings.
    id: String,
    /// Posts and pages not translated into it, dated by their publication.
    missing: Vec<Row<'a>>,
    /// Its translations older than their original's last change.
    stale: Vec<Behind<'a>>,
}

/// A translation and its original, each dated by its `updated`, else its publication.
#[derive(Debug, Serialize)]
struct Behind<'a> {
    /// The translation.
    translation: Row<'a>,
    /// The original, changed after it.
    original: Row<'a>,
}

/// The chart of posts per month, in a fixed box that the browser scales to the page width.
#[derive(Debug, Serialize)]
struct Months {
    /// Posts over every month.
    total: usize,
    /// Months in the chart.
    count: usize,
    /// Posts in the busiest month, the top of the scale.
    max: usize,
    /// The first month's name.
    first: String,
    /// The last month's name.
    last: String,
    /// The busiest month's name, the first one on a tie.
    peak: String,
    /// Coordinates of the box, the axes and the scale.
    frame: Frame,
    /// One bar per month, oldest first.
    bars: Vec<MonthBar>,
    /// A tick and a label at each January.
    years: Vec<Year>,
}

/// Fixed coordinates of the month chart, as they go into the SVG.
#[derive(Debug, Serialize)]
struct Frame {
    /// Width of the box.
    width: String,
    /// Height of the box.
    height: String,
    /// Left end of the axis.
    left: String,
    /// Right end of the axis and of the top grid line.
    right: String,
    /// Top of the tallest bar.
    top: String,
    /// The axis, where bars stand.
    base: String,
    /// Right edge of the scale's numbers.
    scale_x: String,
    /// Baseline of the scale's top number.
    scale_top: String,
    /// Lower end of a year's tick.
    tick: String,
    /// Baseline of the years.
    year_y: String,
}

/// A month's bar.
#[derive(Debug, Serialize)]
struct MonthBar {
    /// Left edge.
    x: String,
    /// Top edge.
    y: String,
    /// Width.
    width: String,
    /// Height.
    height: String,
    /// The month's name: "mars 2024".
    name: String,
    /// Posts that month.
    count: usize,
}

/// A year's mark under the axis.
#[derive(Debug, Serialize)]
struct Year {
    /// Where its tick stands.
    x: String,
    /// Where its label is anchored.
    text_x: String,
    /// `start`, or `end` near the right edge, so the label never runs off the chart.
    anchor: &'static str,
    /// The year.
    year: String,
}

/// Published posts split into fresh, due soon and stale, as one stacked bar.
#[derive(Debug, Serialize)]
struct Fresh {
    /// Published posts.
    total: usize,
    /// Width of the bar's box, which its parts share.
    width: usize,
    /// Fresh, due soon and stale, in this order.
    parts: Vec<Part>,
}

/// A segment of the freshness bar.
#[derive(Debug, Serialize)]
struct Part {
    /// Its class, which gives its colour.
    class: &'static str,
    /// Key of its name among the theme's strings.
    label: &'static str,
    /// Posts.
    count: usize,
    /// Share of the published posts, a whole percentage without its sign.
    percent: String,
    /// Left edge in the bar's box.
    x: usize,
    /// Width in the bar's box.
    width: usize,
}

impl<'a> View<'a> {
    /// The view of the report `r`, with dates and month names in the site's language `lang`,
    /// and the site's other languages named by `language_names` (by code).
    pub(super) fn new(
        r: &'a AuditReport,
        lang: &str,
        language_names: &'a BTreeMap<String, String>,
    ) -> View<'a> {
        let post_rows = |list: &'a [PostRef], public: bool| -> Vec<Row<'a>> {
            list.iter()
                .map(|p| Row::new(p, public, p.date.as_deref(), lang))
                .collect()
        };
        let dated_rows = |list: &'a [PostRef]| -> Vec<Row<'a>> {
            list.iter()
                .map(|p| Row::new(p, false, p.when.as_deref().or(p.date.as_deref()), lang))
                .collect()
        };
        let names = crate::locale::locale(lang).names;
        View {
            site: Some(r.site.as_str()).filter(|s| !s.trim().is_empty()),
            day: day(&r.now, lang),
            time: r.now.get(11..16).unwrap_or(""),
            now: &r.now,
            schema: r.schema,
            totals: &r.totals,
            problems: r.problems,
            sections: sections(r),
            months: Months::new(&r.by_month, names),
            freshness: Fresh::new(r),
            themes: Counts::new(&r.by_theme, usize::MAX),
            tags: Counts::new(&r.by_tag, TOP_TAGS),
            scheduled: dated_rows(&r.scheduled),
            drafts: post_rows(&r.drafts, false),
            expired: dated_rows(&r.expired),
            stale: r.stale.iter().map(|f| Aged::new(f, lang)).collect(),
            review_soon: r.review_soon.iter().map(|f| Aged::new(f, lang)).collect(),
            missing: vec![
                Missing {
                    id: "no-description",
                    title: "audit_no_description",
                    posts: post_rows(&r.missing_description, true),
                },
                Missing {
                    id: "no-image",
                    title: "audit_no_image",
                    posts: post_rows(&r.missing_image, true),
                },
                Missing {
                    id: "no-tags",
                    title: "audit_no_tags",
                    posts: post_rows(&r.missing_tags, true),
                },
            ],
            tags_once: &r.tags_used_once,
            broken_links: &r.broken_links,
            long_titles: post_rows(&r.long_titles, true),
            translations: r
                .translations
                .iter()
                .map(|t| Language::new(t, lang, language_names))
                .collect(),
        }
    }
}

impl<'a> Language<'a> {
    /// The view of what `t` lacks, dated in `lang`, named from `names`.
    fn new(t: &'a Translations, lang: &str, names: &'a BTreeMap<String, String>) -> Language<'a> {
        let dated = |p: &'a PostRef| Row::new(p, true, p.when.as_deref(), lang);
        Language {
            lang: &t.lang,
            name: names.get(&t.lang).map(String::as_str),
            id: t.lang.to_ascii_lowercase(),
            missing: t
                .missing
                .iter()
                .map(|p| Row::new(p, true, p.date.as_deref(), lang))
                .collect(),
            stale: t
                .stale
                .iter()
                .map(
                    |StaleTranslation {
                         translation,
                         original,
                     }| Behind {
                        translation: dated(translation),
                        original: dated(original),
                    },
                )
                .collect(),
        }
    }
}

/// Every section, in page order.
fn sections(r: &AuditReport) -> Vec<Section> {
    let missing = r.missing_description.len() + r.missing_image.len() + r.missing_tags.len();
    let section = |id, title, count: Option<usize>, warn: bool| Section {
        id,
        title,
        count,
        warn: warn && count.is_some_and(|n| n > 0),
    };
    let mut list = vec![
        section("months", "audit_by_month", None, false),
        section("freshness", "audit_freshness", None, false),
        section("themes", "audit_by_theme", Some(r.by_theme.len()), false),
        section("tags", "audit_by_tag", Some(r.by_tag.len()), false),
        section(
            "scheduled",
            "audit_scheduled_posts",
            Some(r.scheduled.len()),
            false,
        ),
        section("drafts", "audit_drafts", Some(r.drafts.len()), false),
        section(
            "expired",
            "audit_expired_posts",
            Some(r.expired.len()),
            false,
        ),
        section("stale", "audit_stale_posts", Some(r.stale.len()), true),
        section(
            "review-soon",
            "audit_review_soon",
            Some(r.review_soon.len()),
            false,
        ),
        // Only missing descriptions are problems; images and tags are advice.
        section(
            "missing",
            "audit_missing",
            Some(missing),
            !r.missing_description.is_empty(),
        ),
        section(
            "tags-once",
            "audit_tags_once",
            Some(r.tags_used_once.len()),
            false,
        ),
        section(
            "broken-links",
            "audit_broken",
            Some(r.broken_links.len()),
            true,
        ),
        section(
            "long-titles",
            "audit_long_titles",
            Some(r.long_titles.len()),
            true,
        ),
    ];
    // A site in one language has nothing to translate: no section, not even an empty one.
    if !r.translations.is_empty() {
        let count = |f: fn(&Translations) -> usize| Some(r.translations.iter().map(f).sum());
        list.push(section(
            "translations-missing",
            "audit_translations_missing",
            count(|t| t.missing.len()),
            false,
        ));
        list.push(section(
            "translations-stale",
            "audit_translations_stale",
            count(|t| t.stale.len()),
            false,
        ));
    }
    list
}

impl<'a> Counts<'a> {
    /// The first `limit` of `list`, with bars scaled to the largest count.
    fn new(list: &'a [Count], limit: usize) -> Counts<'a> {
        let max = list.iter().map(|c| c.count).max().unwrap_or(0).max(1);
        Counts {
            rows: list
                .iter()
                .take(limit)
                .map(|c| Bar {
                    name: &c.name,
                    count: c.count,
                    width: c.count * 100 / max,
                })
                .collect(),
            more: list.len().saturating_sub(limit),
        }
    }
}

impl<'a> Row<'a> {
    /// `post` dated by `date` in `lang`, its title linked when the post is `public`.
    fn new(post: &'a PostRef, public: bool, date: Option<&str>, lang: &str) -> Row<'a> {
        Row {
            title: &post.title,
            url: Some(post.url.as_str()).filter(|u| public && linkable(u)),
            day: date.map(|d| day(d, lang)),
            file: &post.file,
            length: post.length.unwrap_or_else(|| post.title.chars().count()),
        }
    }
}

impl<'a> Aged<'a> {
    /// A published post's row with its age and its review date, dated in `lang`.
    fn new(f: &'a Freshness, lang: &str) -> Aged<'a> {
        let in_months = f.age_days >= DAYS_BEFORE_MONTHS;
        let age = if in_months {
            f.age_days / 30
        } else {
            f.age_days
        };
        Aged {
            post: Row::new(&f.post, true, f.post.date.as_deref(), lang),
            last_touched: day(&f.last_touched, lang),
            age: usize::try_from(age).unwrap_or(0),
            in_months,
            evergreen: f.evergreen,
            due: [f.stale_at.as_deref(), f.review_by.as_deref()]
                .into_iter()
                .flatten()
                .min_by_key(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
                .map(|d| day(d, lang)),
        }
    }
}

impl Months {
    /// The chart of `months`, named with the month names of `names`; none without months.
    fn new(months: &[Count], names: chrono::Locale) -> Option<Months> {
        const W: f64 = 720.0;
        const H: f64 = 220.0;
        const LEFT: f64 = 44.0;
        const RIGHT: f64 = 8.0;
        const TOP: f64 = 14.0;
        const BOTTOM: f64 = 34.0;
        // Wide enough for a year label at the phone font size, so it never runs off the edge.
        const YEAR_ROOM: f64 = 56.0;
        let (first, last) = (months.first()?, months.last()?);
        let max = months.iter().map(|c| c.count).max().unwrap_or(0).max(1);
        let peak = months.iter().find(|c| c.count == max).unwrap_or(first);
        let base = H - BOTTOM;
        let plot_h = base - TOP;
        // A few months would make wide slabs; cap the slot so they still look like bars.
        let slot = ((W - LEFT - RIGHT) / months.len() as f64).min(36.0);
        let bar = if slot >= 3.0 { slot * 0.78 } else { slot };
        let mut bars = Vec::with_capacity(months.len());
        let mut years = Vec::new();
        for (i, c) in months.iter().enumerate() {
            let x = LEFT + i as f64 * slot + (slot - bar) / 2.0;
            let h = c.count as f64 / max as f64 * plot_h;
            bars.push(MonthBar {
                x: format!("{x:.1}"),
                y: format!("{:.1}", base - h),
                width: format!("{bar:.1}"),
                height: format!("{h:.1}"),
                name: month_name(&c.name, names),
                count: c.count,
            });
            if c.name.ends_with("-01") {
                let (anchor, text_x) = if x + YEAR_ROOM > W {
                    ("end", x + bar)
                } else {
                    ("start", x)
                };
                years.push(Year {
                    x: format!("{x:.1}"),
                    text_x: format!("{text_x:.1}"),
                    anchor,
                    year: c.name.get(..4).unwrap_or(&c.name).to_string(),
                });
            }
        }
        Some(Months {
            total: months.iter().map(|c| c.count).sum(),
            count: months.len(),
            max,
            first: month_name(&first.name, names),
            last: month_name(&last.name, names),
            peak: month_name(&peak.name, names),
            frame: Frame {
                width: W.to_string(),
                height: H.to_string(),
                left: LEFT.to_string(),
                right: (W - RIGHT).to_string(),
                top: TOP.to_string(),
                base: base.to_string(),
                scale_x: (LEFT - 6.0).to_string(),
                scale_top: (TOP + 4.0).to_string(),
                tick: (base + 6.0).to_string(),
                year_y: (H - 8.0).to_string(),
            },
            bars,
            years,
        })
    }
}

impl Fresh {
    /// The freshness bar of the published posts; none without any.
    fn new(r: &AuditReport) -> Option<Fresh> {
        const W: usize = 1000;
        let total = r.totals.published;
        if total == 0 {
            return None;
        }
        let stale = r.totals.stale;
        let soon = r.review_soon.len();
        let fresh = total.saturating_sub(stale).saturating_sub(soon);
        // The two lists are disjoint today; dividing by the parts' sum keeps the bar in its box
        // should that ever change.
        let sum = (fresh + soon + stale).max(1);
        let mut before = 0;
        let parts = [
            ("fresh", "audit_fresh", fresh),
            ("soon", "audit_soon", soon),
            ("stale", "audit_stale", stale),
        ]
        .into_iter()
        .map(|(class, label, count)| {
            // Edges from cumulative counts, so rounding never leaves a gap or overshoots the end.
            let x = before * W / sum;
            before += count;
            Part {
                class,
                label,
                count,
                percent: percent(count, total),
                x,
                width: before * W / sum - x,
            }
        })
        .collect();
        Some(Fresh {
            total,
            width: W,
            parts,
        })
    }
}

/// The day of an RFC 3339 date, in its own offset as the report gives it, written as pages
/// write dates in `lang`: "6 décembre 2026"; the text as is when it is no date.
fn day(rfc3339: &str, lang: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(date) => crate::locale::long_day(date.date_naive(), lang),
        Err(_) => rfc3339.get(..10).unwrap_or(rfc3339).to_string(),
    }
}

/// "avril 2023" from "2023-04" with French `names`, or the name as is when it is not a month.
fn month_name(ym: &str, names: chrono::Locale) -> String {
    let month = ym.get(5..7).and_then(|m| m.parse::<u32>().ok());
    let name = month.and_then(|m| chrono::NaiveDate::from_ymd_opt(2000, m, 1));
    match (ym.get(..4), name) {
        (Some(year), Some(date)) => format!("{} {year}", date.format_localized("%B", names)),
        _ => ym.to_string(),
    }
}

/// `n` of `total` as a whole percentage without its sign, which the language spaces its way.
fn percent(n: usize, total: usize) -> String {
    let p = (n * 100 + total / 2).checked_div(total).unwrap_or(0);
    // Rounding must not make one post vanish ("0 %") or make a part look like the whole.
    match p {
        0 if n > 0 => "<1".to_string(),
        100 if n < total => ">99".to_string(),
        _ => p.to_string(),
    }
}

/// Only web addresses become links, so a strange URL cannot run anything when clicked.
fn linkable(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_month_names() {
        assert_eq!(day("2024-03-05T09:00:00+01:00", "fr"), "5 mars 2024");
        assert_eq!(day("2024-03-05T23:30:00-05:00", "en"), "March 5, 2024");
        assert_eq!(day("2024", "fr"), "2024");
        let fr = crate::locale::locale("fr").names;
        assert_eq!(month_name("2024-08", fr), "août 2024");
        assert_eq!(month_name("oops", fr), "oops");
        let en = crate::locale::locale("en").names;
        assert_eq!(month_name("2024-12", en), "December 2024");
    }

    #[test]
    fn percentages_never_hide_a_post_nor_round_to_the_whole() {
        assert_eq!(percent(1, 1000), "<1");
        assert_eq!(percent(999, 1000), ">99");
        assert_eq!(percent(7, 10), "70");
        assert_eq!(percent(0, 0), "0");
    }
}
