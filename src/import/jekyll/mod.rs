//! A Jekyll site: `_config.yml`, `_posts/` (in any folder, nested or not), `_drafts/`, pages,
//! static files and `assets/`, and the Liquid of its text, as a Tribune site's.

/// Liquid as Tribune's Markdown.
pub(crate) mod liquid;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate, Timelike};
use chrono_tz::Tz;

use crate::error::{Diagnostic, Result};
use crate::import::Report;
use crate::import::front::{self, Engine, When};
use crate::import::generator::{self, Doc, Links, get, get_str, read_table};
use crate::import::plan::Plan;
use crate::import::site_toml::{MenuEntry, Setting};

/// Files Jekyll renders as posts and pages.
const CONTENT: [&str; 7] = ["md", "markdown", "mkd", "mkdn", "mdown", "html", "htm"];
/// What Jekyll leaves out of every site.
const EXCLUDED: [&str; 10] = [
    "_site",
    "node_modules",
    "vendor",
    "Gemfile",
    "Gemfile.lock",
    "gemfiles",
    "package.json",
    "package-lock.json",
    "Rakefile",
    "_config.yml",
];
/// Folders of the old theme and of Jekyll's own.
const THEME_DIRS: [&str; 6] = [
    "_layouts",
    "_includes",
    "_sass",
    "_data",
    "_plugins",
    "_site",
];

/// A post's file name, `2019-03-05-title.md`: its day and title.
fn post_name(name: &str) -> Option<(NaiveDate, String, String)> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.len() < 12 || !stem.is_char_boundary(10) || !stem.is_char_boundary(11) {
        return None;
    }
    let day = NaiveDate::parse_from_str(&stem[..10], "%Y-%m-%d").ok()?;
    let title = stem[10..].strip_prefix('-')?;
    Some((day, title.to_string(), ext.to_ascii_lowercase()))
}

/// Imports the Jekyll site at `src` into a plan.
pub(crate) fn plan(src: &Path, settings: &generator::Target<'_>) -> Result<Plan> {
    let config_file = ["_config.yml", "_config.yaml", "_config.toml"]
        .into_iter()
        .find(|f| src.join(f).is_file());
    let has_posts = src.join("_posts").is_dir();
    let config = match config_file {
        Some(file) => read_table(&src.join(file), Path::new(file))?,
        None if has_posts => toml::Table::new(),
        None => {
            return Err(Diagnostic::input(
                "this folder is not a Jekyll site: it has no _config.yml nor _posts/ folder",
            )
            .at(src)
            .into());
        }
    };
    let mut plan = Plan::default();
    // `source` names the folder the site is read from; a build step may make it from another
    // (`.tmp/src` from `src`), whose name is tried next.
    let root = match get_str(&config, "source") {
        Some(source) => {
            let named = src.join(source);
            let last = Path::new(source).file_name().map(|n| src.join(n));
            if named.is_dir() {
                named
            } else {
                last.filter(|l| l.is_dir())
                    .unwrap_or_else(|| src.to_path_buf())
            }
        }
        None => src.to_path_buf(),
    };
    let src = root.as_path();
    let included: Vec<String> = get(&config, "include")
        .and_then(|e| e.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(|s| s.trim_matches('/').to_string()))
                .collect()
        })
        .unwrap_or_default();
    let zone: Tz = get_str(&config, "timezone")
        .and_then(|z| z.parse().ok())
        .unwrap_or(settings.zone);
    let style = get_str(&config, "permalink").unwrap_or("date").to_string();
    let collections = get(&config, "collections");
    let posts_permalink = collections
        .and_then(|c| c.as_table())
        .and_then(|c| c.get("posts"))
        .and_then(|p| p.as_table())
        .and_then(|p| get_str(p, "permalink"))
        .map(str::to_string);
    // Collections whose documents Jekyll publishes, with their permalink pattern.
    let published: HashMap<String, String> = match collections {
        Some(toml::Value::Table(t)) => t
            .iter()
            .filter(|(name, _)| *name != "posts")
            .filter_map(|(name, c)| {
                let c = c.as_table()?;
                (c.get("output").and_then(|o| o.as_bool()) == Some(true)).then(|| {
                    let pattern = get_str(c, "permalink")
                        .unwrap_or("/:collection/:path:output_ext")
                        .to_string();
                    (name.clone(), pattern)
                })
            })
            .collect(),
        _ => HashMap::new(),
    };
    let collection_names: Vec<String> = match collections {
        Some(toml::Value::Table(t)) => t.keys().filter(|k| *k != "posts").cloned().collect(),
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let excluded: Vec<String> = get(&config, "exclude")
        .and_then(|e| e.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(|s| s.trim_end_matches('/').to_string()))
                .collect()
        })
        .unwrap_or_default();
    let defaults: Vec<toml::Table> = get(&config, "defaults")
        .and_then(|d| d.as_array())
        .map(|a| a.iter().filter_map(|d| d.as_table().cloned()).collect())
        .unwrap_or_default();

    let mut docs: Vec<Doc> = Vec::new();
    let mut tables: Vec<toml::Table> = Vec::new();
    let mut statics: HashSet<String> = HashSet::new();
    let mut walker = walkdir::WalkDir::new(src).sort_by_file_name().into_iter();
    let mut collection_files: BTreeMap<String, usize> = BTreeMap::new();
    let mut redirect_pages: Vec<(String, String, String)> = Vec::new();
    // The old addresses of the lists the theme made, which now lead to the archive.
    let mut lists: Vec<String> = Vec::new();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if entry.depth() == 0 {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(src)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let name = entry.file_name().to_string_lossy().to_string();
        let is_dir = entry.file_type().is_dir();
        let skip = (name.starts_with('.') && !included.contains(&name))
            || name.starts_with('#')
            || name.ends_with('~')
            || (entry.depth() == 1
                && (EXCLUDED.contains(&name.as_str()) || name.starts_with("_config")))
            || excluded
                .iter()
                .any(|e| rel == *e || rel.starts_with(&format!("{e}/")));
        if skip {
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        if is_dir {
            if let Some(collection) = name.strip_prefix('_')
                && name != "_posts"
                && name != "_drafts"
                && !included.contains(&name)
            {
                if published.contains_key(collection) {
                    continue;
                }
                if collection_names.iter().any(|c| c == collection) {
                    let n = walkdir::WalkDir::new(entry.path())
                        .into_iter()
                        .filter_map(|e| e.ok())
                        .filter(|e| e.file_type().is_file())
                        .count();
                    collection_files.insert(rel.clone(), n);
                } else if !THEME_DIRS.contains(&name.as_str()) && entry.depth() == 1 {
                    plan.report
                        .left_out
                        .push(("folders Jekyll does not publish", format!("{rel}/")));
                }
                walker.skip_current_dir();
            }
            continue;
        }
        let segments: Vec<&str> = rel.split('/').collect();
        let in_posts = segments.iter().position(|s| *s == "_posts");
        let in_drafts = segments.iter().position(|s| *s == "_drafts");
        let ext = name
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        let read = || -> std::result::Result<front::Parsed, (String, usize)> {
            let bytes = std::fs::read(entry.path()).map_err(|e| (e.to_string(), 1))?;
            front::parse(&String::from_utf8_lossy(&bytes))
        };
        let collection = segments[0]
            .strip_prefix('_')
            .filter(|c| published.contains_key(*c))
            .map(|c| (c.to_string(), published[c].clone()));
        let kind = if in_posts.is_some() {
            "posts"
        } else if in_drafts.is_some() {
            "drafts"
        } else if collection.is_some() {
            "collection"
        } else {
            "pages"
        };
        if kind == "posts" || kind == "drafts" || kind == "collection" {
            if !CONTENT.contains(&ext.as_str()) {
                // Jekyll copies the other files of `_posts/` where they are.
                generator::copy_static(&mut plan, &mut statics, &rel, entry.path().to_path_buf());
                continue;
            }
        } else if !CONTENT.contains(&ext.as_str()) {
            let starts_with_front = std::fs::read(entry.path())
                .map(|b| {
                    let b = b.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(&b);
                    b.starts_with(b"---\n") || b.starts_with(b"---\r\n")
                })
                .unwrap_or(false);
            if starts_with_front {
                plan.report.left_out.push((
                    "files the old theme made (feeds, sitemaps, styles)",
                    format!("{rel}: Liquid for Jekyll's templates; Tribune makes its own feeds and sitemap"),
                ));
            } else {
                generator::copy_static(&mut plan, &mut statics, &rel, entry.path().to_path_buf());
            }
            continue;
        }
        let parsed = match read() {
            Ok(p) => p,
            Err((message, line)) => {
                plan.report.warnings.push((
                    "files whose front matter cannot be read, not imported",
                    format!("{rel}:{line}: {message}"),
                ));
                continue;
            }
        };
        if (kind == "pages" || kind == "collection") && !parsed.has_front {
            generator::copy_static(&mut plan, &mut statics, &rel, entry.path().to_path_buf());
            continue;
        }
        let mut table = parsed.table;
        for default in &defaults {
            let scope = default.get("scope").and_then(|s| s.as_table());
            let path = scope.and_then(|s| get_str(s, "path")).unwrap_or("");
            let of_type = scope.and_then(|s| get_str(s, "type"));
            let path_ok = path.is_empty() || rel.starts_with(path.trim_start_matches('/'));
            let type_ok = of_type.is_none_or(|t| t == kind || (t == "posts" && kind == "drafts"));
            if path_ok
                && type_ok
                && let Some(values) = default.get("values").and_then(|v| v.as_table())
            {
                for (k, v) in values {
                    table.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        let mut mapped = front::map(&table, Engine::Jekyll, &[]);
        if let Some(target) = get_str(&table, "redirect_to").map(str::to_string) {
            mapped.extra.remove("redirect_to");
            let old = mapped
                .permalink
                .clone()
                .unwrap_or_else(|| format!("/{rel}"));
            let old = old
                .strip_suffix(".md")
                .map_or(old.clone(), |o| format!("{o}.html"));
            redirect_pages.push((rel.clone(), old, target));
            continue;
        }
        let (stem, _) = name.rsplit_once('.').unwrap_or((&name, ""));
        let html = matches!(ext.as_str(), "html" | "htm");
        let body = parsed.body;
        let mut doc = Doc {
            source: rel.clone(),
            body_line: parsed.body_line,
            ..Doc::default()
        };
        match kind {
            "posts" => {
                let Some((day, title, _)) = post_name(&name) else {
                    plan.report.left_out.push((
                        "files in _posts not named as posts",
                        format!("{rel}: Jekyll reads a post only from a name such as 2019-03-05-title.md"),
                    ));
                    continue;
                };
                let folder_categories: Vec<String> = segments[..in_posts.unwrap_or(0)]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let date = mapped.date.unwrap_or(When::Day(day));
                let slug_title = mapped.slug.clone().unwrap_or_else(|| title.clone());
                let pattern = mapped
                    .permalink
                    .clone()
                    .or_else(|| posts_permalink.clone())
                    .unwrap_or_else(|| style.clone());
                let mut categories = folder_categories.clone();
                categories.extend(mapped.themes.iter().cloned());
                doc.old_url = Some(post_url(
                    &pattern,
                    date.in_zone(zone),
                    &slug_title,
                    &categories,
                    &ext,
                ));
                doc.fallback_date = Some(When::Day(day));
                doc.name = title.clone();
                doc.default_title = crate::import::hugo::title_case(&title);
                doc.post = true;
                for c in folder_categories {
                    if !mapped.themes.iter().any(|t| t.eq_ignore_ascii_case(&c)) {
                        mapped.themes.push(c);
                    }
                }
            }
            "drafts" => {
                let modified = entry
                    .metadata()
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .map(|t| chrono::DateTime::<chrono::Utc>::from(t).with_timezone(&zone));
                doc.fallback_date = modified.map(|m| {
                    When::Local(
                        m.naive_local()
                            .with_nanosecond(0)
                            .unwrap_or(m.naive_local()),
                    )
                });
                doc.name = stem.to_string();
                doc.default_title = crate::import::hugo::title_case(stem);
                doc.post = true;
                doc.draft = true;
            }
            "collection" => {
                let (name_of_collection, pattern) = collection.clone().unwrap_or_default();
                let path = rel
                    .split_once('/')
                    .map_or(rel.as_str(), |(_, p)| p)
                    .rsplit_once('.')
                    .map_or(rel.as_str(), |(p, _)| p);
                let pattern = mapped.permalink.clone().unwrap_or(pattern);
                let title = mapped.slug.clone().unwrap_or_else(|| stem.to_string());
                let mut old = pattern
                    .replace(":collection", &name_of_collection)
                    .replace(":path", path)
                    .replace(":name", stem)
                    .replace(":title", &title)
                    .replace(":output_ext", ".html");
                while old.contains("//") {
                    old = old.replace("//", "/");
                }
                let old = old.trim_start_matches('/');
                let old = old.strip_suffix("index.html").unwrap_or(old).to_string();
                let old = old
                    .strip_suffix("/index/")
                    .map_or(old.clone(), |o| format!("{o}/"));
                doc.old_url = crate::slug::site_path(&format!("/{old}")).ok();
                doc.page_path = old
                    .trim_end_matches('/')
                    .trim_end_matches(".html")
                    .to_string();
                if doc.page_path.is_empty() {
                    doc.page_path = name_of_collection.clone();
                }
                doc.name = stem.to_string();
                doc.default_title = crate::import::hugo::title_case(stem);
            }
            _ => {
                let listing = makes_a_list(&body);
                let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
                if listing || (dir.is_empty() && (stem == "index" || stem == "404")) {
                    let why = if listing {
                        "a list of posts made by Liquid; Tribune's home page, archive and term pages list them"
                    } else if stem == "404" {
                        "Tribune writes its own 404 page"
                    } else {
                        "the home page; Tribune's lists the posts"
                    };
                    plan.report.left_out.push((
                        "lists and pages the old theme made",
                        format!("{rel}: {why}"),
                    ));
                    if listing && !(dir.is_empty() && stem == "index") {
                        lists.push(mapped.permalink.clone().unwrap_or_else(|| {
                            if dir.is_empty() {
                                format!("/{stem}/")
                            } else {
                                format!("/{dir}/{stem}/")
                            }
                        }));
                    }
                    continue;
                }
                let pretty = style == "pretty" || style.ends_with('/');
                let old = match &mapped.permalink {
                    Some(p) => p.trim_start_matches('/').to_string(),
                    None => {
                        let base = if stem == "index" {
                            String::new()
                        } else if pretty && !html {
                            format!("{stem}/")
                        } else {
                            format!("{stem}.html")
                        };
                        if dir.is_empty() {
                            base
                        } else {
                            format!("{dir}/{base}")
                        }
                    }
                };
                let old = old.strip_suffix("index.html").unwrap_or(&old).to_string();
                if old.is_empty() || old == "404.html" || old == "404/" {
                    plan.report.left_out.push((
                        "lists and pages the old theme made",
                        format!(
                            "{rel}: {}",
                            if old.is_empty() {
                                "the home page; Tribune's lists the posts"
                            } else {
                                "Tribune writes its own 404 page"
                            }
                        ),
                    ));
                    continue;
                }
                doc.old_url = crate::slug::site_path(&format!("/{old}")).ok();
                doc.page_path = old
                    .trim_end_matches('/')
                    .trim_end_matches(".html")
                    .trim_end_matches(".htm")
                    .to_string();
                if doc.page_path.is_empty() {
                    doc.page_path = stem.to_string();
                }
                doc.name = stem.to_string();
                doc.default_title = crate::import::hugo::title_case(
                    doc.page_path.rsplit('/').next().unwrap_or(stem),
                );
            }
        }
        doc.body = body;
        doc.mapped = mapped;
        tables.push(table);
        docs.push(doc);
    }
    for (dir, n) in collection_files {
        plan.report.left_out.push((
            "collections",
            format!("{dir}/: {n} files of a collection; copy what should be posts into _posts/ and import again, or make them pages"),
        ));
    }
    for dir in THEME_DIRS
        .iter()
        .filter(|d| src.join(d).is_dir() && **d != "_site")
    {
        plan.report
            .left_out
            .push(("folders of the old theme", format!("{dir}/")));
    }
    generator::note_keys(&docs, &mut plan.report);

    let page_tables: HashMap<String, toml::Table> = docs
        .iter()
        .zip(tables)
        .map(|(d, t)| (d.source.clone(), t))
        .collect();
    let old_base = get_str(&config, "url").map(|url| {
        let path = get_str(&config, "baseurl").unwrap_or("").trim_matches('/');
        format!("{}/{path}", url.trim_end_matches('/'))
    });
    let gen_settings = generator::Settings {
        zone,
        permalink: settings.permalink,
        statics: &statics,
        now: settings.now,
        base: old_base.as_deref(),
        shortcodes: &[],
        redirects: &BTreeMap::new(),
        ids: heading_ids(&config),
    };
    let empty = toml::Table::new();
    let convert = |doc: &Doc, links: &Links, report: &mut Report| -> String {
        let cx = liquid::Context {
            doc,
            links,
            site: &config,
            page: page_tables.get(&doc.source).unwrap_or(&empty),
            src,
            statics: &statics,
        };
        let text = liquid::convert(&doc.body, &cx, &mut report.warnings);
        let text = if doc.source.ends_with(".html") || doc.source.ends_with(".htm") {
            crate::import::html::to_markdown(&text)
        } else {
            text
        };
        kramdown(&text)
    };
    let links = generator::plan(docs, &gen_settings, &convert, &mut plan);

    for (title, url) in menu_entries(src, &config) {
        let lists: HashMap<String, String> = HashMap::new();
        match generator::menu_url(&url, &links, &lists) {
            Some(url) => plan.additions.menu.push(MenuEntry { title, url }),
            None => plan.report.left_out.push((
                "menu entries to what was not imported",
                format!("\"{title}\" ({url}): it leads to nothing imported"),
            )),
        }
    }
    let mut redirects = BTreeMap::new();
    if !statics.contains("static/feed.xml") && !links.by_old.contains_key("feed.xml") {
        redirects.insert("/feed.xml".to_string(), "/rss.xml".to_string());
    }
    for old in lists {
        if let Ok(path) = crate::slug::site_path(&old)
            && !links.by_old.contains_key(&path)
            && !statics.contains(&format!("static/{}", crate::slug::output_file(&path)))
        {
            redirects.insert(format!("/{path}"), "/archive/".to_string());
        }
    }
    for (rel, old, target) in redirect_pages {
        let target = if target.starts_with("http") {
            Some(target.clone())
        } else {
            generator::menu_url(&target, &links, &HashMap::new())
        };
        match (crate::slug::site_path(&old), target) {
            (Ok(path), Some(target)) if !links.by_old.contains_key(&path) => {
                redirects.insert(format!("/{path}"), target);
            }
            _ => plan.report.left_out.push((
                "redirect pages that lead to nothing imported",
                format!("{rel}: {old}"),
            )),
        }
    }
    plan.additions.redirects = redirects;
    plan.additions.source = "the Jekyll site";
    plan.additions.settings = site_settings(&config, &mut plan.report);
    Ok(plan)
}

/// Whether a page's text is a list Liquid makes of the posts (a blog's index, an archive, a
/// tag list),
/// outside `{% raw %}` and code, where a page about Jekyll shows such loops.
fn makes_a_list(body: &str) -> bool {
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("{% raw %}").or_else(|| rest.find("{%- raw -%}")) {
        text.push_str(&rest[..at]);
        rest = rest[at..]
            .find("endraw")
            .map_or("", |end| &rest[at + end..]);
    }
    text.push_str(rest);
    let code = generator::code_ranges(&text);
    [
        "paginator",
        "site.posts",
        "site.tags",
        "site.categories",
        "{% for",
    ]
    .iter()
    .any(|marker| {
        text.match_indices(marker)
            .any(|(at, _)| !code.iter().any(|r| r.contains(&at)))
    })
}

/// A post's address under a Jekyll permalink style or pattern, as a site path.
fn post_url(
    pattern: &str,
    date: chrono::DateTime<Tz>,
    title: &str,
    categories: &[String],
    ext: &str,
) -> String {
    let pattern = match pattern {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    };
    let categories: Vec<String> = {
        let mut seen = Vec::new();
        for c in categories {
            let c = c.to_lowercase().replace(' ', "-");
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        seen
    };
    let title: String = title
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    let output_ext = if CONTENT.contains(&ext) { ".html" } else { "" };
    let mut tokens: Vec<(&str, String)> = vec![
        (":categories", categories.join("/")),
        (":year", format!("{:04}", date.year())),
        (":short_year", format!("{:02}", date.year() % 100)),
        (":month", format!("{:02}", date.month())),
        (":i_month", date.month().to_string()),
        (":short_month", date.format("%b").to_string()),
        (":long_month", date.format("%B").to_string()),
        (":day", format!("{:02}", date.day())),
        (":i_day", date.day().to_string()),
        (":y_day", format!("{:03}", date.ordinal())),
        (":week", format!("{:02}", date.iso_week().week())),
        (":short_day", date.format("%a").to_string()),
        (":long_day", date.format("%A").to_string()),
        (":hour", format!("{:02}", date.hour())),
        (":minute", format!("{:02}", date.minute())),
        (":second", format!("{:02}", date.second())),
        (":title", title.clone()),
        (":slug", title.to_lowercase()),
        (":name", title.clone()),
        (":output_ext", output_ext.to_string()),
    ];
    tokens.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    let mut out = pattern.to_string();
    for (token, value) in tokens {
        out = out.replace(token, &value);
    }
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    let out = out.trim_start_matches('/');
    let out = out.strip_suffix("index.html").unwrap_or(out);
    out.to_string()
}

/// How the site's kramdown named headings: as GitHub does when it reads GitHub-flavoured
/// Markdown, Jekyll's default, and in ASCII only when the site sets `input: kramdown`.
fn heading_ids(config: &toml::Table) -> generator::HeadingIds {
    let input = get(config, "kramdown")
        .and_then(|k| k.get("input"))
        .and_then(|i| i.as_str())
        .unwrap_or("GFM");
    if input.eq_ignore_ascii_case("kramdown") {
        generator::HeadingIds::Ascii
    } else {
        generator::HeadingIds::Gfm
    }
}

/// kramdown's attribute lists (`{: .class}`, `{:toc}`) and its table of contents, which
/// Tribune's Markdown would show as text, left out; an id given to a heading (`{: #v4-0}` on the
/// line after it) is kept, in the form Tribune reads (`## Title {#v4-0}`).
fn kramdown(text: &str) -> String {
    if !text.contains("{:") {
        return text.to_string();
    }
    let code = generator::code_ranges(text);
    let mut out = String::with_capacity(text.len());
    let mut offset = 0;
    let mut previous_heading: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let in_code = code.iter().any(|r| r.contains(&offset));
        offset += line.len();
        if !in_code && trimmed.starts_with("{:") && trimmed.ends_with('}') {
            let id = trimmed[2..trimmed.len() - 1]
                .split_whitespace()
                .find_map(|w| w.strip_prefix('#'))
                .filter(|id| !id.is_empty() && !id.contains(['{', '}']));
            if let (Some(id), Some(at)) = (id, previous_heading.take()) {
                let heading = out[at..].trim_end().to_string();
                out.truncate(at);
                out.push_str(&format!("{heading} {{#{id}}}\n"));
            }
            continue;
        }
        previous_heading = None;
        if !in_code && trimmed.starts_with("* TOC") {
            continue;
        }
        if !in_code
            && let Some(at) = line.rfind("{:")
            && line[at..].trim_end().ends_with('}')
        {
            out.push_str(line[..at].trim_end());
            out.push('\n');
            continue;
        }
        if !in_code && trimmed.starts_with('#') && !trimmed.ends_with('}') {
            previous_heading = Some(out.len());
        }
        out.push_str(line);
    }
    out
}

/// The site's menu as written: minima's `header_pages`, else `_data/navigation.yml`'s `main`
/// (or its list).
fn menu_entries(src: &Path, config: &toml::Table) -> Vec<(String, String)> {
    if let Some(pages) = get(config, "header_pages").and_then(|p| p.as_array()) {
        return pages
            .iter()
            .filter_map(|p| p.as_str())
            .map(|p| {
                let stem = p.rsplit('/').next().unwrap_or(p);
                let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
                (crate::import::hugo::title_case(stem), p.to_string())
            })
            .collect();
    }
    for file in [
        "_data/navigation.yml",
        "_data/navigation.yaml",
        "_data/menu.yml",
    ] {
        let path = src.join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(&text) else {
            continue;
        };
        let Some(value) = docs.into_iter().next().and_then(front::from_yaml) else {
            continue;
        };
        let list = match &value {
            toml::Value::Array(a) => a.clone(),
            toml::Value::Table(t) => t
                .get("main")
                .and_then(|m| m.as_array())
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        return list
            .iter()
            .filter_map(|e| e.as_table())
            .filter_map(|e| {
                let title = ["title", "name", "text"]
                    .iter()
                    .find_map(|k| get_str(e, k))?;
                let url = ["url", "link", "href"].iter().find_map(|k| get_str(e, k))?;
                Some((title.to_string(), url.to_string()))
            })
            .collect();
    }
    Vec::new()
}

/// The Jekyll site's settings as Tribune's, and a note of each one that has no equivalent.
fn site_settings(config: &toml::Table, report: &mut Report) -> Vec<Setting> {
    let mut out = Vec::new();
    let string = |s: &str| toml::Value::String(s.to_string());
    if let Some(title) = get_str(config, "title") {
        out.push(Setting {
            table: None,
            key: "title",
            value: string(title),
        });
    }
    if let Some(d) = get_str(config, "description").or_else(|| get_str(config, "tagline")) {
        out.push(Setting {
            table: None,
            key: "description",
            value: string(d),
        });
    }
    if let Some(url) = get_str(config, "url").filter(|u| u.starts_with("http")) {
        let base = get_str(config, "baseurl").unwrap_or("").trim_matches('/');
        let url = url.trim_end_matches('/');
        let full = if base.is_empty() {
            format!("{url}/")
        } else {
            format!("{url}/{base}/")
        };
        out.push(Setting {
            table: None,
            key: "base_url",
            value: string(&full),
        });
    }
    if let Some(code) = get_str(config, "lang").or_else(|| get_str(config, "locale")) {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase();
        if primary.len() >= 2 && primary.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push(Setting {
                table: None,
                key: "language",
                value: string(&primary),
            });
        }
    }
    if let Some(zone) = get_str(config, "timezone").filter(|z| z.parse::<Tz>().is_ok()) {
        out.push(Setting {
            table: None,
            key: "timezone",
            value: string(zone),
        });
    }
    let author = get(config, "author").and_then(|a| match a {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(t) => get_str(t, "name").map(str::to_string),
        _ => None,
    });
    if let Some(author) = author.filter(|a| !a.trim().is_empty()) {
        out.push(Setting {
            table: None,
            key: "author",
            value: string(author.trim()),
        });
    }
    if let Some(n) = get(config, "paginate")
        .and_then(|n| n.as_integer())
        .filter(|n| (1..=1000).contains(n))
    {
        out.push(Setting {
            table: Some("build".into()),
            key: "posts_per_page",
            value: toml::Value::Integer(n),
        });
    }
    const MAPPED: [&str; 16] = [
        "title",
        "description",
        "tagline",
        "url",
        "baseurl",
        "lang",
        "locale",
        "timezone",
        "author",
        "paginate",
        "permalink",
        "collections",
        "defaults",
        "exclude",
        "include",
        "header_pages",
    ];
    for key in config.keys() {
        if !MAPPED.contains(&key.as_str()) {
            report
                .left_out
                .push(("settings with no Tribune equivalent", format!("`{key}`")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_keep_their_jekyll_addresses() {
        let zone: Tz = "UTC".parse().unwrap();
        let date = When::Day(NaiveDate::from_ymd_opt(2019, 3, 5).unwrap()).in_zone(zone);
        let cats = ["Blog".to_string(), "News Items".to_string()];
        assert_eq!(
            post_url("date", date, "Hello", &cats, "md"),
            "blog/news-items/2019/03/05/Hello.html"
        );
        assert_eq!(
            post_url("pretty", date, "hello", &[], "md"),
            "2019/03/05/hello/"
        );
        assert_eq!(
            post_url("none", date, "hello", &[], "markdown"),
            "hello.html"
        );
        assert_eq!(
            post_url("/:year/:month/:day/:title", date, "hello", &[], "md"),
            "2019/03/05/hello"
        );
        assert_eq!(
            post_url("/blog/:title/index.html", date, "hello", &[], "md"),
            "blog/hello/"
        );
        assert_eq!(
            post_name("2019-03-05-a-b.md").map(|p| p.1),
            Some("a-b".into())
        );
        assert_eq!(post_name("notes.md"), None);
        assert_eq!(post_name("2019-03-0é-x.md"), None);
    }

    #[test]
    fn kramdown_marks_are_left_out() {
        assert_eq!(
            kramdown(
                "* TOC\n{:toc}\n\nText\n{: .note}\n![a](b.png){: width=\"3\"}\n```\n{: kept}\n```\n"
            ),
            "\nText\n![a](b.png)\n```\n{: kept}\n```\n"
        );
    }
}
