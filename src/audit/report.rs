//! `tribune audit --html`: the audit as one page an editor can open, print or mail around,
//! with no script and nothing fetched from elsewhere.

use std::fmt::Write;

use crate::audit::inventory::{AuditReport, BrokenLink, Count, Freshness, PostRef};

/// Longest list of tags shown; the long tail only matters as a number.
const TOP_TAGS: usize = 30;
/// Under this age a stale post's age reads better in days than in months.
const DAYS_BEFORE_MONTHS: i64 = 90;

/// Every piece of text the page shows, in one language.
struct Labels {
    /// Language code used when the site's own cannot go in `<html lang>`.
    code: &'static str,
    /// Whether 0 takes the singular, as in French.
    zero_is_singular: bool,
    /// Colon with the spacing the language wants before it.
    colon: &'static str,
    /// Percent sign with the spacing the language wants before it.
    percent: &'static str,
    /// Page title, before the site's name.
    title: &'static str,
    /// Before the audit date.
    audited_on: &'static str,
    /// Name of the table of contents.
    contents: &'static str,
    /// Summary card: published posts.
    published: &'static str,
    /// Summary card: scheduled posts.
    scheduled: &'static str,
    /// Summary card: drafts.
    drafts: &'static str,
    /// Summary card: expired posts.
    expired: &'static str,
    /// Summary card: stale posts.
    stale: &'static str,
    /// Summary card: standalone pages.
    pages: &'static str,
    /// Summary card: problems.
    problems: &'static str,
    /// What counts as a problem; `{flag}` stands for the command-line flag.
    problems_note: &'static str,
    /// Said by every empty section.
    nothing: &'static str,
    /// A post, singular.
    post_one: &'static str,
    /// Posts, plural.
    post_many: &'static str,
    /// A day, singular.
    day_one: &'static str,
    /// Days, plural.
    day_many: &'static str,
    /// A month, singular.
    month_one: &'static str,
    /// Months, plural.
    month_many: &'static str,
    /// Month names, January first.
    month_names: [&'static str; 12],
    /// Heading of the month chart.
    by_month: &'static str,
    /// Month chart summary; `{total}`, `{n}`, `{first}`, `{last}`, `{max}` and `{peak}` are filled in.
    by_month_summary: &'static str,
    /// Heading of the freshness chart.
    freshness: &'static str,
    /// Freshness segment: neither stale nor due soon.
    fresh: &'static str,
    /// Freshness segment: review due within 30 days.
    soon: &'static str,
    /// Total under the freshness chart; `{total}` is filled in.
    in_all: &'static str,
    /// Heading: posts per theme.
    by_theme: &'static str,
    /// Column: theme.
    theme: &'static str,
    /// Heading: posts per tag.
    by_tag: &'static str,
    /// Column: tag.
    tag: &'static str,
    /// Tags left out of the table, one; `{n}` is filled in.
    more_one: &'static str,
    /// Tags left out of the table, several; `{n}` is filled in.
    more_many: &'static str,
    /// Column: month.
    month: &'static str,
    /// Column: post count.
    posts: &'static str,
    /// Heading: scheduled posts.
    scheduled_posts: &'static str,
    /// Column: date.
    date: &'static str,
    /// Column: title.
    post_title: &'static str,
    /// Column: source file.
    file: &'static str,
    /// Heading: expired posts.
    expired_posts: &'static str,
    /// Column: expiry date.
    expired_on: &'static str,
    /// Heading: stale posts.
    stale_posts: &'static str,
    /// Order of the stale list.
    oldest_first: &'static str,
    /// Column: last publication, update or review.
    last_touched: &'static str,
    /// Column: age.
    age: &'static str,
    /// Mark of an evergreen post.
    evergreen: &'static str,
    /// Heading: reviews due soon.
    review_soon: &'static str,
    /// Column: when the review falls due.
    due: &'static str,
    /// Heading: missing metadata.
    missing: &'static str,
    /// Subheading: no description.
    no_description: &'static str,
    /// Subheading: no image.
    no_image: &'static str,
    /// Subheading: no tags.
    no_tags: &'static str,
    /// Heading: tags used once.
    tags_once: &'static str,
    /// Heading: broken internal links.
    broken: &'static str,
    /// Column: the link as written.
    link: &'static str,
    /// Column: why it is broken.
    reason: &'static str,
    /// Reason: no page there.
    missing_page: &'static str,
    /// Reason: the target is a draft.
    draft_page: &'static str,
    /// Reason: the target is not out yet.
    scheduled_page: &'static str,
    /// Reason: the target has expired.
    expired_page: &'static str,
    /// Heading: long titles.
    long_titles: &'static str,
    /// Why long titles are listed.
    long_titles_note: &'static str,
    /// Column: title length.
    length: &'static str,
    /// Footer, before the schema version.
    generated: &'static str,
}

/// French, with its typography: thin no-break spaces before `; : ! ?` and inside « ».
const FR: Labels = Labels {
    code: "fr",
    zero_is_singular: true,
    colon: "\u{202F}:",
    percent: "\u{202F}%",
    title: "Audit éditorial",
    audited_on: "Audit du",
    contents: "Sommaire",
    published: "Publiés",
    scheduled: "Programmés",
    drafts: "Brouillons",
    expired: "Expirés",
    stale: "Périmés",
    pages: "Pages",
    problems: "Problèmes",
    problems_note: "Comptent comme problèmes pour «\u{202F}{flag}\u{202F}»\u{202F}: \
                    billets périmés, descriptions manquantes, liens cassés et titres trop longs.",
    nothing: "Rien à signaler",
    post_one: "billet",
    post_many: "billets",
    day_one: "jour",
    day_many: "jours",
    month_one: "mois",
    month_many: "mois",
    month_names: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    by_month: "Billets par mois",
    by_month_summary: "{total} sur {n}, de {first} à {last}\u{202F}; au plus {max} en {peak}.",
    freshness: "Fraîcheur des billets publiés",
    fresh: "À jour",
    soon: "À revoir bientôt",
    in_all: "{total} au total",
    by_theme: "Billets par thème",
    theme: "Thème",
    by_tag: "Billets par étiquette",
    tag: "Étiquette",
    more_one: "… et {n} autre",
    more_many: "… et {n} autres",
    month: "Mois",
    posts: "Billets",
    scheduled_posts: "Billets programmés",
    date: "Date",
    post_title: "Titre",
    file: "Fichier",
    expired_posts: "Billets expirés",
    expired_on: "Expiré le",
    stale_posts: "Périmés ou à revoir",
    oldest_first: "Du plus ancien au plus récent. Les billets intemporels n’y sont jamais périmés, \
                   mais méritent une relecture.",
    last_touched: "Dernière mise à jour",
    age: "Âge",
    evergreen: "intemporel",
    review_soon: "À revoir dans les 30 jours",
    due: "Échéance",
    missing: "Métadonnées manquantes",
    no_description: "Sans description",
    no_image: "Sans image",
    no_tags: "Sans étiquette",
    tags_once: "Étiquettes d’un seul billet",
    broken: "Liens internes cassés",
    link: "Lien",
    reason: "Raison",
    missing_page: "page inexistante",
    draft_page: "brouillon",
    scheduled_page: "programmé",
    expired_page: "expiré",
    long_titles: "Titres trop longs",
    long_titles_note: "Plus de 70 caractères\u{202F}: trop longs pour être partagés en entier.",
    length: "Longueur",
    generated: "Rapport généré par Tribune, schéma",
};

/// English.
const EN: Labels = Labels {
    code: "en",
    zero_is_singular: false,
    colon: ":",
    percent: "%",
    title: "Editorial audit",
    audited_on: "Audited on",
    contents: "Contents",
    published: "Published",
    scheduled: "Scheduled",
    drafts: "Drafts",
    expired: "Expired",
    stale: "Stale",
    pages: "Pages",
    problems: "Problems",
    problems_note: "Problems, as “{flag}” counts them: stale posts, missing descriptions, \
                    broken links and long titles.",
    nothing: "Nothing to report",
    post_one: "post",
    post_many: "posts",
    day_one: "day",
    day_many: "days",
    month_one: "month",
    month_many: "months",
    month_names: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    by_month: "Posts per month",
    by_month_summary: "{total} over {n}, {first} to {last}; peak of {max} in {peak}.",
    freshness: "Freshness of published posts",
    fresh: "Fresh",
    soon: "Review due soon",
    in_all: "{total} in all",
    by_theme: "Posts per theme",
    theme: "Theme",
    by_tag: "Posts per tag",
    tag: "Tag",
    more_one: "… and {n} more",
    more_many: "… and {n} more",
    month: "Month",
    posts: "Posts",
    scheduled_posts: "Scheduled posts",
    date: "Date",
    post_title: "Title",
    file: "File",
    expired_posts: "Expired posts",
    expired_on: "Expired on",
    stale_posts: "Stale or due for review",
    oldest_first: "Oldest first. Evergreen posts are never stale, but deserve a reread.",
    last_touched: "Last touched",
    age: "Age",
    evergreen: "evergreen",
    review_soon: "Review due within 30 days",
    due: "Due",
    missing: "Missing metadata",
    no_description: "No description",
    no_image: "No image",
    no_tags: "No tags",
    tags_once: "Tags used once",
    broken: "Broken internal links",
    link: "Link",
    reason: "Reason",
    missing_page: "no such page",
    draft_page: "draft",
    scheduled_page: "scheduled",
    expired_page: "expired",
    long_titles: "Long titles",
    long_titles_note: "Over 70 characters: too long to share whole.",
    length: "Length",
    generated: "Generated by Tribune, schema",
};

/// The page's style: light and dark, phone to desktop, and paper.
const CSS: &str = r#":root{color-scheme:light dark;--bg:#fff;--fg:#1c1d20;--mut:#5b606a;--line:#e1e3e8;--card:#f5f6f8;--link:#1a5bc4;--bar:#4a78d0;--ok:#2f8a48;--soon:#c48600;--bad:#c23b2b}
@media screen and (prefers-color-scheme:dark){:root{--bg:#141518;--fg:#e6e7ea;--mut:#a3a8b1;--line:#2f3238;--card:#1d1f24;--link:#8fb6ff;--bar:#6d95e6;--ok:#5cb873;--soon:#e3aa35;--bad:#ef7764}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:62rem;margin-left:auto;margin-right:auto;padding-left:1rem;padding-right:1rem}
header{padding-top:2rem}
h1{font-size:clamp(1.5rem,4.5vw,2.2rem);line-height:1.2;margin:0 0 .25rem;letter-spacing:-.01em;text-wrap:balance}
h2{font-size:1.3rem;line-height:1.3;margin:2.5rem 0 .75rem;padding-top:1rem;border-top:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
a{color:var(--link)}
.when,.note,.more,.empty{color:var(--mut)}
.empty{font-style:italic}
.n{display:inline-block;min-width:1.7em;padding:0 .45em;margin-left:.4em;border-radius:1em;background:var(--card);border:1px solid var(--line);color:var(--mut);font-size:.78em;font-weight:600;text-align:center;vertical-align:.12em}
.warn .n{background:var(--bad);border-color:var(--bad);color:#fff}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(7.5rem,1fr));gap:.6rem;margin:1.25rem 0 .75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.55rem .8rem}
.card dt{font-size:.78rem;color:var(--mut);text-transform:uppercase;letter-spacing:.04em}
.card dd{margin:0;font-size:1.75rem;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums}
.card.bad{border-color:var(--bad)}
.card.bad dd{color:var(--bad)}
.card.ok dd{color:var(--ok)}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0;margin:1.25rem 0 0}
nav a{display:inline-block;padding:.2rem .65rem;border:1px solid var(--line);border-radius:1rem;text-decoration:none;font-size:.88rem}
nav a:hover,nav a:focus-visible{background:var(--card)}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;color:var(--mut);border-bottom:2px solid var(--line)}
tbody th{font-weight:500;min-width:9rem}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.day{white-space:nowrap;font-variant-numeric:tabular-nums}
code{font:.85em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:break-word}
.nw{white-space:nowrap}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.scroll:focus-visible{outline:2px solid var(--link);outline-offset:2px}
.meter{display:inline-block;width:6rem;height:.55rem;margin-right:.6rem;border-radius:1rem;background:var(--card);border:1px solid var(--line);vertical-align:.05em;overflow:hidden}
.meter span{display:block;height:100%;background:var(--bar)}
.v{display:inline-block;min-width:2.5em}
.badge{display:inline-block;margin-left:.4rem;padding:0 .45rem;border-radius:1rem;font-size:.75rem;border:1px solid var(--ok);color:var(--ok);white-space:nowrap}
.target{display:block;color:var(--mut);font-size:.85em}
.chart{display:block;width:100%;height:auto;overflow:visible}
.chart text{font-size:12px;fill:var(--mut)}
.bar{fill:var(--bar)}
.bar:hover{fill:var(--link)}
.axis{stroke:var(--mut);stroke-width:1}
.grid{stroke:var(--line);stroke-dasharray:4 4}
.stack{display:block;width:100%;height:2.25rem;border-radius:.4rem}
.fresh{fill:var(--ok);background:var(--ok)}
.soon{fill:var(--soon);background:var(--soon)}
.stale{fill:var(--bad);background:var(--bad)}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;padding:0;margin:.75rem 0}
.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.45rem;border-radius:.2rem;vertical-align:-.05em}
.tags{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0}
.tags li{border:1px solid var(--line);border-radius:1rem;padding:.1rem .65rem;font-size:.9rem}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
footer{margin-top:3rem;padding:1rem 0 2rem;border-top:1px solid var(--line);color:var(--mut);font-size:.85rem}
@media (max-width:40rem){.chart text{font-size:22px}th,td{padding:.35rem .4rem}.meter{width:3rem}.card dd{font-size:1.45rem}.card:last-child{grid-column:1/-1}nav ul{gap:.3rem}nav a{padding:.1rem .5rem;font-size:.82rem}}
@media print{body{font-size:10pt}nav{display:none}header{padding-top:0}h2{break-after:avoid}tr,.card,.legend{break-inside:avoid}.scroll{overflow:visible}a{color:inherit;text-decoration:none}.sw,.meter span,.card,.n{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"#;

/// The audit as a self-contained HTML page: inline CSS and SVG charts, no script, no external request.
pub(crate) fn render(report: &AuditReport, lang: &str) -> String {
    let l = labels(lang);
    let title = if report.site.trim().is_empty() {
        l.title.to_string()
    } else {
        format!("{} — {}", l.title, report.site)
    };
    let sections = sections(report, l);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        esc(&html_lang(lang, l)),
        esc(&title)
    );
    header(&mut out, report, l, &title);
    out.push_str("<nav class=\"wrap\" aria-label=\"");
    out.push_str(&esc(l.contents));
    out.push_str("\"><ul>\n");
    for s in &sections {
        let _ = write!(out, "<li><a href=\"#{}\">{}", s.id, esc(s.title));
        if let Some(n) = s.count {
            let _ = write!(out, " <span class=\"n\">{n}</span>");
        }
        out.push_str("</a></li>\n");
    }
    out.push_str("</ul></nav>\n<main class=\"wrap\">\n");
    for s in &sections {
        let warn = if s.warn { " class=\"warn\"" } else { "" };
        let _ = write!(out, "<section id=\"{}\">\n<h2{warn}>{}", s.id, esc(s.title));
        if let Some(n) = s.count {
            let _ = write!(out, " <span class=\"n\">{n}</span>");
        }
        out.push_str("</h2>\n");
        out.push_str(&s.body);
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "</main>\n<footer class=\"wrap\"><p>{} {}.</p></footer>\n</body>\n</html>\n",
        esc(l.generated),
        report.schema
    );
    out
}

/// French for any French locale, English for everything else.
fn labels(lang: &str) -> &'static Labels {
    if lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("fr")) {
        &FR
    } else {
        &EN
    }
}

/// The site's language as a BCP 47 tag, or the labels' own when it is not one.
fn html_lang(lang: &str, l: &Labels) -> String {
    let tag: String = lang
        .trim()
        .chars()
        .map(|c| if c == '_' { '-' } else { c })
        .collect();
    if !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        tag
    } else {
        l.code.to_string()
    }
}

/// Text made safe for HTML content and quoted attributes.
fn esc(s: &str) -> String {
    crate::theme::templates::escape(s)
}

/// The `YYYY-MM-DD` part of an RFC 3339 date.
fn day(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

/// `template` with each `{key}` replaced; values are numbers and month names, never user text.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

/// "3 posts", "1 billet", "0 billet": French puts 0 in the singular.
fn plural(l: &Labels, n: usize, one: &str, many: &str) -> String {
    let single = n == 1 || (n == 0 && l.zero_is_singular);
    format!("{n} {}", if single { one } else { many })
}

/// "avril 2023" from "2023-04", or the name as is when it is not a month.
fn month_name(l: &Labels, ym: &str) -> String {
    let month = ym.get(5..7).and_then(|m| m.parse::<usize>().ok());
    match (ym.get(..4), month) {
        (Some(year), Some(m @ 1..=12)) => format!("{} {year}", l.month_names[m - 1]),
        _ => ym.to_string(),
    }
}

/// An age in days while short, then in months, which an editor weighs more easily.
fn age(l: &Labels, days: i64) -> String {
    if days < DAYS_BEFORE_MONTHS {
        let n = usize::try_from(days).unwrap_or(0);
        plural(l, n, l.day_one, l.day_many)
    } else {
        let n = usize::try_from(days / 30).unwrap_or(0);
        plural(l, n, l.month_one, l.month_many)
    }
}

/// `n` of `total` as a whole percentage, with the language's spacing; plain text.
fn percent(l: &Labels, n: usize, total: usize) -> String {
    let p = (n * 100 + total / 2).checked_div(total).unwrap_or(0);
    // Rounding must not make one post vanish ("0 %") or make a part look like the whole.
    match p {
        0 if n > 0 => format!("<1{}", l.percent),
        100 if n < total => format!(">99{}", l.percent),
        _ => format!("{p}{}", l.percent),
    }
}

/// Only web addresses become links, so a strange URL cannot run anything when clicked.
fn linkable(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/')
}

/// The page header: title, date, summary cards.
fn header(out: &mut String, report: &AuditReport, l: &Labels, title: &str) {
    let t = &report.totals;
    let now = esc(day(&report.now));
    let _ = write!(
        out,
        "<header class=\"wrap\">\n<h1>{}</h1>\n<p class=\"when\">{} <time datetime=\"{now}\">{now}</time></p>\n<dl class=\"cards\">\n",
        esc(title),
        esc(l.audited_on)
    );
    let cards = [
        (l.published, t.published, ""),
        (l.scheduled, t.scheduled, ""),
        (l.drafts, t.drafts, ""),
        (l.expired, t.expired, ""),
        (l.stale, t.stale, if t.stale > 0 { " bad" } else { "" }),
        (l.pages, t.pages, ""),
        (
            l.problems,
            report.problems,
            if report.problems > 0 { " bad" } else { " ok" },
        ),
    ];
    for (label, n, class) in cards {
        let _ = writeln!(
            out,
            "<div class=\"card{class}\"><dt>{}</dt><dd>{n}</dd></div>",
            esc(label)
        );
    }
    // The flag must not break across lines at its hyphens, so it goes in its own element.
    let (before, after) = l
        .problems_note
        .split_once("{flag}")
        .unwrap_or((l.problems_note, ""));
    let _ = write!(
        out,
        "</dl>\n<p class=\"note\">{}<code class=\"nw\">--strict</code>{}</p>\n</header>\n",
        esc(before),
        esc(after)
    );
}

/// One part of the page: anchor, heading, number of entries, and its HTML.
struct Section {
    /// Anchor, also the table of contents' link.
    id: &'static str,
    /// Heading.
    title: &'static str,
    /// Entries, for the badge next to the heading.
    count: Option<usize>,
    /// Whether its entries count as problems.
    warn: bool,
    /// Everything under the heading.
    body: String,
}

/// Every section, in page order.
fn sections(r: &AuditReport, l: &Labels) -> Vec<Section> {
    let missing = r.missing_description.len() + r.missing_image.len() + r.missing_tags.len();
    let section = |id, title, count: Option<usize>, warn: bool, body| Section {
        id,
        title,
        count,
        warn: warn && count.is_some_and(|n| n > 0),
        body,
    };
    vec![
        section("months", l.by_month, None, false, month_chart(r, l)),
        section("freshness", l.freshness, None, false, freshness_chart(r, l)),
        section(
            "themes",
            l.by_theme,
            Some(r.by_theme.len()),
            false,
            count_table("themes", l.by_theme, l.theme, &r.by_theme, usize::MAX, l),
        ),
        section(
            "tags",
            l.by_tag,
            Some(r.by_tag.len()),
            false,
            count_table("tags", l.by_tag, l.tag, &r.by_tag, TOP_TAGS, l),
        ),
        section(
            "scheduled",
            l.scheduled_posts,
            Some(r.scheduled.len()),
            false,
            dated_table("scheduled", l.scheduled_posts, l.date, &r.scheduled, l),
        ),
        section(
            "drafts",
            l.drafts,
            Some(r.drafts.len()),
            false,
            post_table("drafts", l.drafts, &r.drafts, false, l),
        ),
        section(
            "expired",
            l.expired_posts,
            Some(r.expired.len()),
            false,
            dated_table("expired", l.expired_posts, l.expired_on, &r.expired, l),
        ),
        section(
            "stale",
            l.stale_posts,
            Some(r.stale.len()),
            true,
            stale_table(&r.stale, l),
        ),
        section(
            "review-soon",
            l.review_soon,
            Some(r.review_soon.len()),
            false,
            review_table(&r.review_soon, l),
        ),
        section(
            "missing",
            l.missing,
            Some(missing),
            !r.missing_description.is_empty(),
            missing_tables(r, l),
        ),
        section(
            "tags-once",
            l.tags_once,
            Some(r.tags_used_once.len()),
            false,
            tag_list(&r.tags_used_once, l),
        ),
        section(
            "broken-links",
            l.broken,
            Some(r.broken_links.len()),
            true,
            broken_table(&r.broken_links, l),
        ),
        section(
            "long-titles",
            l.long_titles,
            Some(r.long_titles.len()),
            true,
            long_table(&r.long_titles, l),
        ),
    ]
}

/// What an empty section says.
fn empty(l: &Labels) -> String {
    format!("<p class=\"empty\">{}</p>\n", esc(l.nothing))
}

/// A table column.
struct Col {
    /// Heading.
    head: &'static str,
    /// Class of its cells.
    class: &'static str,
    /// Whether its cells name their row.
    row_head: bool,
}

/// A column of text.
const fn col(head: &'static str) -> Col {
    Col {
        head,
        class: "",
        row_head: false,
    }
}

/// A column of dates.
const fn day_col(head: &'static str) -> Col {
    Col {
        head,
        class: "day",
        row_head: false,
    }
}

/// A column of numbers.
const fn num_col(head: &'static str) -> Col {
    Col {
        head,
        class: "num",
        row_head: false,
    }
}

/// The column that names each row.
const fn head_col(head: &'static str) -> Col {
    Col {
        head,
        class: "",
        row_head: true,
    }
}

/// A table in a box that scrolls sideways on narrow screens; cells are HTML already escaped.
fn table(out: &mut String, id: &str, caption: &str, cols: &[Col], rows: &[Vec<String>]) {
    // A scrolling box must take the focus so keyboards can scroll it, and a focused box needs a name.
    let _ = writeln!(
        out,
        "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-c\">"
    );
    table_only(out, Some(id), caption, cols, rows, "");
    out.push_str("</div>\n");
}

/// A bare table with its caption hidden, giving its caption an id when `id` is set.
fn table_only(
    out: &mut String,
    id: Option<&str>,
    caption: &str,
    cols: &[Col],
    rows: &[Vec<String>],
    class: &str,
) {
    let caption_id = id.map(|id| format!(" id=\"{id}-c\"")).unwrap_or_default();
    let _ = write!(
        out,
        "<table{}>\n<caption{caption_id} class=\"sr-only\">{}</caption>\n<thead><tr>",
        class_attr(class),
        esc(caption)
    );
    for c in cols {
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{}</th>",
            class_attr(c.class),
            esc(c.head)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (c, cell) in cols.iter().zip(row) {
            let (open, close) = if c.row_head {
                ("th scope=\"row\"", "th")
            } else {
                ("td", "td")
            };
            let _ = write!(out, "<{open}{}>{cell}</{close}>", class_attr(c.class));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// ` class="…"`, or nothing for no class.
fn class_attr(class: &str) -> String {
    if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    }
}

/// A post's title, linked to its page when the page is public.
fn title_cell(p: &PostRef, public: bool) -> String {
    if public && linkable(&p.url) {
        format!("<a href=\"{}\">{}</a>", esc(&p.url), esc(&p.title))
    } else {
        esc(&p.title)
    }
}

/// A path, allowed to wrap after its slashes rather than anywhere, for narrow screens.
fn file_cell(file: &str) -> String {
    format!("<code>{}</code>", esc(file).replace('/', "/<wbr>"))
}

/// A date, or a dash when there is none.
fn day_cell(date: Option<&str>) -> String {
    date.map_or_else(|| "—".to_string(), |d| esc(day(d)))
}

/// Names and counts with a bar each, cut after `limit` rows.
fn count_table(
    id: &str,
    caption: &str,
    head: &'static str,
    list: &[Count],
    limit: usize,
    l: &Labels,
) -> String {
    if list.is_empty() {
        return empty(l);
    }
    let max = list.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let rows: Vec<Vec<String>> = list
        .iter()
        .take(limit)
        .map(|c| {
            let width = c.count * 100 / max;
            vec![
                esc(&c.name),
                format!("<span class=\"meter\" aria-hidden=\"true\"><span style=\"width:{width}%\"></span></span><span class=\"v\">{}</span>", c.count),
            ]
        })
        .collect();
    let mut out = String::new();
    table(
        &mut out,
        id,
        caption,
        &[head_col(head), num_col(l.posts)],
        &rows,
    );
    let rest = list.len().saturating_sub(limit);
    if rest > 0 {
        let template = if rest == 1 { l.more_one } else { l.more_many };
        let _ = writeln!(
            out,
            "<p class=\"more\">{}</p>",
            esc(&fill(template, &[("n", &rest.to_string())]))
        );
    }
    out
}

/// Posts that are not public, with the date that matters for the list.
fn dated_table(
    id: &str,
    caption: &str,
    date_head: &'static str,
    list: &[PostRef],
    l: &Labels,
) -> String {
    if list.is_empty() {
        return empty(l);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|p| {
            vec![
                day_cell(p.when.as_deref().or(p.date.as_deref())),
                title_cell(p, false),
                file_cell(&p.file),
            ]
        })
        .collect();
    let mut out = String::new();
    table(
        &mut out,
        id,
        caption,
        &[day_col(date_head), head_col(l.post_title), col(l.file)],
        &rows,
    );
    out
}

/// Posts by title, date and file.
fn post_table(id: &str, caption: &str, list: &[PostRef], public: bool, l: &Labels) -> String {
    if list.is_empty() {
        return empty(l);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|p| {
            vec![
                title_cell(p, public),
                day_cell(p.date.as_deref()),
                file_cell(&p.file),
            ]
        })
        .collect();
    let mut out = String::new();
    table(
        &mut out,
        id,
        caption,
        &[head_col(l.post_title), day_col(l.date), col(l.file)],
        &rows,
    );
    out
}

/// Stale posts, oldest first as the audit sorts them.
fn stale_table(list: &[Freshness], l: &Labels) -> String {
    if list.is_empty() {
        return empty(l);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|f| {
            let mut title = title_cell(&f.post, true);
            if f.evergreen {
                let _ = write!(title, "<span class=\"badge\">{}</span>", esc(l.evergreen));
            }
            vec![
                title,
                esc(day(&f.last_touched)),
                esc(&age(l, f.age_days)),
                file_cell(&f.post.file),
            ]
        })
        .collect();
    let mut out = format!("<p class=\"note\">{}</p>\n", esc(l.oldest_first));
    table(
        &mut out,
        "stale",
        l.stale_posts,
        &[
            head_col(l.post_title),
            day_col(l.last_touched),
            num_col(l.age),
            col(l.file),
        ],
        &rows,
    );
    out
}

/// Posts whose review falls due soon, with the nearer of their two deadlines.
fn review_table(list: &[Freshness], l: &Labels) -> String {
    if list.is_empty() {
        return empty(l);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|f| {
            let due = [f.stale_at.as_deref(), f.review_by.as_deref()]
                .into_iter()
                .flatten()
                .map(day)
                .min();
            vec![
                title_cell(&f.post, true),
                day_cell(due),
                esc(day(&f.last_touched)),
                file_cell(&f.post.file),
            ]
        })
        .collect();
    let mut out = String::new();
    table(
        &mut out,
        "review-soon",
        l.review_soon,
        &[
            head_col(l.post_title),
            day_col(l.due),
            day_col(l.last_touched),
            col(l.file),
        ],
        &rows,
    );
    out
}

/// Missing descriptions, images and tags, one subsection each.
fn missing_tables(r: &AuditReport, l: &Labels) -> String {
    let mut out = String::new();
    for (id, title, list) in [
        ("no-description", l.no_description, &r.missing_description),
        ("no-image", l.no_image, &r.missing_image),
        ("no-tags", l.no_tags, &r.missing_tags),
    ] {
        let _ = writeln!(
            out,
            "<h3 id=\"{id}\">{} <span class=\"n\">{}</span></h3>",
            esc(title),
            list.len()
        );
        out.push_str(&post_table(&format!("{id}-t"), title, list, true, l));
    }
    out
}

/// Tags used once, as a list: there is nothing else to say about each.
fn tag_list(tags: &[String], l: &Labels) -> String {
    if tags.is_empty() {
        return empty(l);
    }
    let mut out = String::from("<ul class=\"tags\">\n");
    for t in tags {
        let _ = writeln!(out, "<li>{}</li>", esc(t));
    }
    out.push_str("</ul>\n");
    out
}

/// Broken links with the reason in words.
fn broken_table(list: &[BrokenLink], l: &Labels) -> String {
    if list.is_empty() {
        return empty(l);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|b| {
            let reason = match b.reason.as_str() {
                "missing" => l.missing_page,
                "draft" => l.draft_page,
                "scheduled" => l.scheduled_page,
                "expired" => l.expired_page,
                other => other,
            };
            let mut target = file_cell(&b.target);
            if let Some(file) = &b.target_file {
                let _ = write!(
                    target,
                    "<span class=\"target\">→ {}</span>",
                    file_cell(file)
                );
            }
            vec![file_cell(&b.file), target, esc(reason)]
        })
        .collect();
    let mut out = String::new();
    table(
        &mut out,
        "broken-links",
        l.broken,
        &[head_col(l.file), col(l.link), col(l.reason)],
        &rows,
    );
    out
}

/// Titles too long to share, with their length.
fn long_table(list: &[PostRef], l: &Labels) -> String {
    if list.is_empty() {
        return empty(l);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|p| {
            let length = p.length.unwrap_or_else(|| p.title.chars().count());
            vec![title_cell(p, true), length.to_string(), file_cell(&p.file)]
        })
        .collect();
    let mut out = format!("<p class=\"note\">{}</p>\n", esc(l.long_titles_note));
    table(
        &mut out,
        "long-titles",
        l.long_titles,
        &[head_col(l.post_title), num_col(l.length), col(l.file)],
        &rows,
    );
    out
}

/// Bar chart of posts per month, drawn in a fixed box that the browser scales to the page width.
fn month_chart(r: &AuditReport, l: &Labels) -> String {
    const W: f64 = 720.0;
    const H: f64 = 220.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 8.0;
    const TOP: f64 = 14.0;
    const BOTTOM: f64 = 34.0;
    // Wide enough for a year label at the phone font size, so it never runs off the edge.
    const YEAR_ROOM: f64 = 56.0;
    let months = &r.by_month;
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return empty(l);
    };
    let max = months.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let peak = months.iter().find(|c| c.count == max).unwrap_or(first);
    let total: usize = months.iter().map(|c| c.count).sum();
    let base = H - BOTTOM;
    let plot_h = base - TOP;
    // A few months would make wide slabs; cap the slot so they still look like bars.
    let slot = ((W - LEFT - RIGHT) / months.len() as f64).min(36.0);
    let bar = if slot >= 3.0 { slot * 0.78 } else { slot };
    let summary = format!(
        "{}{} {}",
        l.by_month,
        l.colon,
        fill(
            l.by_month_summary,
            &[
                ("total", &plural(l, total, l.post_one, l.post_many)),
                ("n", &plural(l, months.len(), l.month_one, l.month_many)),
                ("first", &month_name(l, &first.name)),
                ("last", &month_name(l, &last.name)),
                ("max", &plural(l, max, l.post_one, l.post_many)),
                ("peak", &month_name(l, &peak.name)),
            ],
        )
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"chart\" id=\"chart-months\" viewBox=\"0 0 {W} {H}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        esc(&summary)
    );
    let _ = writeln!(
        out,
        "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{}\" y2=\"{TOP}\"/>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>\n<text x=\"{}\" y=\"{base}\" text-anchor=\"end\">0</text>",
        W - RIGHT,
        LEFT - 6.0,
        TOP + 4.0,
        LEFT - 6.0,
    );
    let mut years = String::new();
    for (i, c) in months.iter().enumerate() {
        let x = LEFT + i as f64 * slot + (slot - bar) / 2.0;
        let h = c.count as f64 / max as f64 * plot_h;
        let _ = writeln!(
            out,
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\"><title>{}{} {}</title></rect>",
            base - h,
            esc(&month_name(l, &c.name)),
            l.colon,
            plural(l, c.count, l.post_one, l.post_many)
        );
        if c.name.ends_with("-01") {
            let (anchor, tx) = if x + YEAR_ROOM > W {
                ("end", x + bar)
            } else {
                ("start", x)
            };
            let _ = writeln!(
                years,
                "<line class=\"axis\" x1=\"{x:.1}\" y1=\"{base}\" x2=\"{x:.1}\" y2=\"{}\"/><text x=\"{tx:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                base + 6.0,
                H - 8.0,
                esc(c.name.get(..4).unwrap_or(&c.name))
            );
        }
    }
    out.push_str(&years);
    let _ = writeln!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\"/>\n</svg>",
        W - RIGHT
    );
    // Years are marked in January only, so the ends of the series need saying; the label
    // above already says it to screen readers.
    let _ = writeln!(
        out,
        "<p class=\"note\" aria-hidden=\"true\">{} – {}</p>",
        esc(&month_name(l, &first.name)),
        esc(&month_name(l, &last.name))
    );
    // The picture says nothing to a screen reader beyond its label; the table carries the data.
    let rows: Vec<Vec<String>> = months
        .iter()
        .map(|c| vec![esc(&month_name(l, &c.name)), c.count.to_string()])
        .collect();
    // Hidden, so it must not sit in a focusable scrolling box that keyboards would land on.
    table_only(
        &mut out,
        None,
        l.by_month,
        &[head_col(l.month), num_col(l.posts)],
        &rows,
        "sr-only",
    );
    out
}

/// Published posts split into fresh, due soon and stale, as one stacked bar with a legend.
fn freshness_chart(r: &AuditReport, l: &Labels) -> String {
    const W: usize = 1000;
    let total = r.totals.published;
    if total == 0 {
        return empty(l);
    }
    let stale = r.totals.stale;
    let soon = r.review_soon.len();
    let fresh = total.saturating_sub(stale).saturating_sub(soon);
    let parts = [
        ("fresh", l.fresh, fresh),
        ("soon", l.soon, soon),
        ("stale", l.stale, stale),
    ];
    // The two lists are disjoint today; dividing by the parts' sum keeps the bar in its box
    // should that ever change.
    let sum = (fresh + soon + stale).max(1);
    let described: Vec<String> = parts
        .iter()
        .map(|(_, label, n)| format!("{label}{} {n} ({})", l.colon, percent(l, *n, total)))
        .collect();
    let in_all = fill(
        l.in_all,
        &[("total", &plural(l, total, l.post_one, l.post_many))],
    );
    let summary = format!(
        "{}{} {}, {in_all}.",
        l.freshness,
        l.colon,
        described.join(", ")
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"stack\" viewBox=\"0 0 {W} 40\" width=\"100%\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{}\">",
        esc(&summary)
    );
    let mut before = 0;
    for ((class, _, n), text) in parts.iter().zip(&described) {
        if *n == 0 {
            continue;
        }
        // Edges from cumulative counts, so rounding never leaves a gap or overshoots the end.
        let x = before * W / sum;
        before += n;
        let width = before * W / sum - x;
        let _ = writeln!(
            out,
            "<rect class=\"{class}\" x=\"{x}\" y=\"0\" width=\"{width}\" height=\"40\"><title>{}</title></rect>",
            esc(text)
        );
    }
    out.push_str("</svg>\n<ul class=\"legend\">\n");
    for ((class, label, n), _) in parts.iter().zip(&described) {
        let _ = writeln!(
            out,
            "<li><span class=\"sw {class}\"></span>{}{} <strong>{n}</strong> ({})</li>",
            esc(label),
            l.colon,
            esc(&percent(l, *n, total))
        );
    }
    let _ = writeln!(out, "</ul>\n<p class=\"note\">{}</p>", esc(&in_all));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::inventory::Totals;

    /// A post with a title and a file.
    fn post(title: &str, file: &str) -> PostRef {
        PostRef {
            title: title.to_string(),
            file: file.to_string(),
            url: format!("https://example.org/{file}/"),
            date: Some("2024-03-05T09:00:00+01:00".to_string()),
            ..Default::default()
        }
    }

    /// A report with something in every list.
    fn sample() -> AuditReport {
        let months = ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03"];
        AuditReport {
            schema: 1,
            site: "Le <Blog> & « Co »".to_string(),
            now: "2024-06-01T12:00:00+00:00".to_string(),
            totals: Totals {
                published: 10,
                scheduled: 1,
                drafts: 1,
                expired: 1,
                stale: 2,
                pages: 3,
            },
            by_theme: vec![Count {
                name: "Politique".to_string(),
                count: 6,
            }],
            by_tag: (0..35)
                .map(|i| Count {
                    name: format!("tag{i:02}"),
                    count: 40 - i,
                })
                .collect(),
            by_month: months
                .iter()
                .enumerate()
                .map(|(i, m)| Count {
                    name: m.to_string(),
                    count: i,
                })
                .collect(),
            scheduled: vec![post("Demain", "content/demain.md")],
            drafts: vec![post("Brouillon", "content/draft.md")],
            expired: vec![post("Vieux", "content/vieux.md")],
            stale: vec![Freshness {
                post: post("Ancien", "content/ancien.md"),
                last_touched: "2022-01-01T00:00:00+00:00".to_string(),
                age_days: 880,
                evergreen: true,
                ..Default::default()
            }],
            review_soon: vec![Freshness {
                post: post("Bientôt", "content/bientot.md"),
                last_touched: "2024-01-01T00:00:00+00:00".to_string(),
                age_days: 150,
                review_by: Some("2024-06-20T00:00:00+00:00".to_string()),
                ..Default::default()
            }],
            missing_description: vec![post("Sans", "content/sans.md")],
            tags_used_once: vec!["rare".to_string()],
            broken_links: vec![BrokenLink {
                file: "content/a.md".to_string(),
                target: "/b/".to_string(),
                reason: "draft".to_string(),
                target_file: Some("content/b.md".to_string()),
            }],
            problems: 4,
            ..Default::default()
        }
    }

    #[test]
    fn hostile_text_is_escaped() {
        let mut report = sample();
        report.drafts[0].title = "</style><script>alert('x')</script> & \"q\"".to_string();
        report.missing_description[0].url = "javascript:alert(1)".to_string();
        let html = render(&report, "en");
        assert!(!html.contains("<script"));
        assert!(!html.contains("</style><"));
        assert!(html.contains(
            "&lt;/style&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        ));
        assert!(html.contains("Le &lt;Blog&gt; &amp; « Co »"));
        assert!(!html.contains("href=\"javascript:"));
        assert_eq!(esc("<&>\"'"), "&lt;&amp;&gt;&quot;&#39;");
    }

    #[test]
    fn french_labels() {
        let html = render(&sample(), "fr-CA");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr-CA\">"));
        assert!(html.contains("<h1>Audit éditorial — Le &lt;Blog&gt; &amp; « Co »</h1>"));
        assert!(html.contains("Audit du <time datetime=\"2024-06-01\">2024-06-01</time>"));
        assert!(html.contains("«\u{202F}<code class=\"nw\">--strict</code>\u{202F}»\u{202F}:"));
        assert!(html.contains("Étiquettes d’un seul billet"));
        assert!(html.contains("brouillon"));
        assert!(html.contains("29 mois"));
        assert!(html.contains("… et 5 autres"));
        assert!(html.contains("mars 2024\u{202F}: 4 billets"));
        assert!(html.contains("janvier 2024\u{202F}: 2 billets"));
        assert!(html.contains("novembre 2023\u{202F}: 0 billet<"));
        assert!(!html.contains("Editorial audit"));
    }

    #[test]
    fn english_labels() {
        let html = render(&sample(), "en");
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<h1>Editorial audit — Le &lt;Blog&gt; &amp; « Co »</h1>"));
        assert!(html.contains("Audited on"));
        assert!(html.contains(">draft<"));
        assert!(html.contains("29 months"));
        assert!(html.contains("… and 5 more"));
        assert!(html.contains("November 2023: 0 posts<"));
        assert!(!html.contains("Rien à signaler"));
        assert_eq!(labels("FR").code, "fr");
        assert_eq!(labels("de").code, "en");
        assert_eq!(html_lang("\"><x", &EN), "en");
    }

    #[test]
    fn empty_report_says_nothing_to_report() {
        let report = AuditReport::default();
        let en = render(&report, "en");
        assert!(en.contains("Nothing to report"));
        assert!(!en.contains("<svg"));
        assert!(en.ends_with("</html>\n"));
        assert!(render(&report, "fr").contains("Rien à signaler"));
        assert!(render(&report, "").contains("<html lang=\"en\">"));
    }

    #[test]
    fn one_bar_per_month() {
        let mut report = sample();
        report.by_month = (0..75)
            .map(|i| Count {
                name: format!("{:04}-{:02}", 2019 + i / 12, i % 12 + 1),
                count: i % 7,
            })
            .collect();
        let html = render(&report, "en");
        let start = html.find("id=\"chart-months\"").expect("month chart");
        let chart = &html[start..start + html[start..].find("</svg>").expect("chart end")];
        assert_eq!(chart.matches("<rect").count(), 75);
        assert_eq!(chart.matches("<title>").count(), 75);
        assert_eq!(
            chart.matches("text-anchor=\"start\">20").count()
                + chart.matches("text-anchor=\"end\">20").count(),
            7
        );
        assert!(chart.contains("viewBox=\"0 0 720 220\" width=\"100%\""));
    }

    #[test]
    fn no_script_anywhere() {
        for lang in ["fr", "en"] {
            for report in [sample(), AuditReport::default()] {
                let html = render(&report, lang);
                assert!(!html.to_lowercase().contains("<script"));
                assert!(!has_event_handler(&html), "no event handler attribute");
            }
        }
    }

    /// Whether some ` on…=` attribute hides in the page.
    fn has_event_handler(html: &str) -> bool {
        html.match_indices(" on").any(|(i, _)| {
            let rest = &html[i + 3..];
            let name = rest.chars().take_while(char::is_ascii_alphabetic).count();
            name > 0 && rest[name..].starts_with('=')
        })
    }

    #[test]
    fn output_is_deterministic() {
        let report = sample();
        assert_eq!(render(&report, "fr"), render(&report.clone(), "fr"));
        assert_eq!(render(&report, "en"), render(&report, "en"));
    }

    #[test]
    fn dates_and_ages() {
        assert_eq!(day("2024-03-05T09:00:00+01:00"), "2024-03-05");
        assert_eq!(day("2024"), "2024");
        assert_eq!(age(&FR, 1), "1 jour");
        assert_eq!(age(&EN, 0), "0 days");
        assert_eq!(age(&EN, 400), "13 months");
        assert_eq!(month_name(&FR, "2024-08"), "août 2024");
        assert_eq!(month_name(&EN, "oops"), "oops");
    }
}
