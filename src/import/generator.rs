//! What the Hugo and Jekyll imports share: the other site's posts and pages, once each engine
//! has read them, as the files of a Tribune site, with their old addresses kept as aliases.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::error::{Diagnostic, Result};
use crate::import::addresses::{is_relative, path_on};
use crate::import::dead_links;
use crate::import::front::{self, Mapped, When, Written};
use crate::import::plan::{Data, Plan, SITE_PATHS};
use crate::import::{Counted, Report};
use crate::slug;

/// A post or page of the other site, read by its engine's importer.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    /// Its file, relative to the other site's folder (`content/post/a.md`): how messages name it.
    pub(crate) source: String,
    /// A post (dated, listed) rather than a page.
    pub(crate) post: bool,
    /// Its front matter in Tribune's terms.
    pub(crate) mapped: Mapped,
    /// Its text as written, front matter removed.
    pub(crate) body: String,
    /// File line of the body's first line.
    pub(crate) body_line: usize,
    /// The name the slug is made from when the front matter gives none (a file's or folder's).
    pub(crate) name: String,
    /// The title when the front matter gives none.
    pub(crate) default_title: String,
    /// The date when the front matter gives none (Jekyll's file name, a draft's last change).
    pub(crate) fallback_date: Option<When>,
    /// Kept unpublished whatever its front matter says (Jekyll's `_drafts/`).
    pub(crate) draft: bool,
    /// Its address on the old site, as a site path (`2019/03/a/`, `about.html`).
    pub(crate) old_url: Option<String>,
    /// For a page: its place under `content/`, without `.md` (`about`, `docs/install`).
    pub(crate) page_path: String,
    /// The files of its bundle: name in the bundle, and where it is now.
    pub(crate) resources: Vec<(String, PathBuf)>,
    /// For a translation: its language, and its original's `source`.
    pub(crate) translation: Option<(String, String)>,
}

/// Where each post and page went: what links and references to them resolve with.
#[derive(Debug, Default)]
pub(crate) struct Links {
    /// New address (`/posts/a/`) by source file, relative to the other site's folder.
    pub(crate) by_source: HashMap<String, String>,
    /// New address by old site path (`2019/03/a/`).
    pub(crate) by_old: HashMap<String, String>,
}

impl Links {
    /// The new address of a source file named the way references name one: its path, from
    /// the content folder or not, with or without its extension, or its file name alone.
    pub(crate) fn find(&self, reference: &str) -> Option<&String> {
        let wanted = reference
            .trim()
            .trim_start_matches("./")
            .trim_start_matches('/');
        let wanted = wanted.split('#').next().unwrap_or(wanted);
        let stem = |s: &str| -> String {
            let s = s
                .strip_suffix("/index.md")
                .or_else(|| s.strip_suffix("/_index.md"))
                .unwrap_or(s);
            s.rsplit_once('.')
                .filter(|(_, ext)| !ext.contains('/'))
                .map_or(s, |(a, _)| a)
                .trim_end_matches('/')
                .to_string()
        };
        let wanted_stem = stem(wanted);
        if let Some(found) = self.by_source.get(wanted) {
            return Some(found);
        }
        let mut best: Option<(&String, &String)> = None;
        for (source, new) in &self.by_source {
            let s = stem(source);
            let hit = s == wanted_stem
                || s.ends_with(&format!("/{wanted_stem}"))
                || source.ends_with(&format!("/{wanted}"));
            if hit && best.is_none_or(|(b, _)| source < b) {
                best = Some((source, new));
            }
        }
        best.map(|(_, new)| new).or_else(|| {
            self.by_old
                .get(&slug::site_path(&format!("/{wanted}")).unwrap_or_default())
        })
    }
}

/// The Tribune site an import writes into, as the Hugo and Jekyll imports read it.
pub(crate) struct Target<'a> {
    /// Its time zone, when the other site names none.
    pub(crate) zone: Tz,
    /// Its permalink pattern.
    pub(crate) permalink: &'a str,
    /// The build clock.
    pub(crate) now: chrono::DateTime<chrono::Utc>,
}

/// What planning reads besides the documents.
pub(crate) struct Settings<'a> {
    /// The site's time zone.
    pub(crate) zone: Tz,
    /// The site's permalink pattern.
    pub(crate) permalink: &'a str,
    /// Files the import copies into the site (`static/img/a.png`): a cover image must be one.
    pub(crate) statics: &'a HashSet<String>,
    /// The build clock, to tell a scheduled post.
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    /// The old site's address (`https://example.org/blog/`), when its settings give it.
    pub(crate) base: Option<&'a str>,
    /// The site's own shortcodes the import carries over, and whether each takes a body.
    pub(crate) shortcodes: &'a [(String, bool)],
    /// Old addresses of lists (`/tags/rust.html`) and where they lead now.
    pub(crate) redirects: &'a BTreeMap<String, String>,
    /// How the old engine made a heading's id from its words.
    pub(crate) ids: HeadingIds,
}

/// How an engine makes a heading's id from its words: lower case, spaces as hyphens,
/// punctuation dropped, and letters of any script kept or left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadingIds {
    /// Hugo's (as GitHub's), from the heading's words: `## Démarrer vite` is `#démarrer-vite`.
    Unicode,
    /// kramdown's own, from the heading as written: ASCII letters and digits only, from the
    /// first letter: `#dmarrer-vite`.
    Ascii,
    /// kramdown's reading GitHub-flavoured Markdown (Jekyll's default), from the heading as
    /// written: letters of any script, digits, `_` and `-` kept, spaces as hyphens:
    /// `## 2. Démarrer vite` is `#2-démarrer-vite`.
    Gfm,
}

/// A body converted by the engine: the Markdown, given the addresses of every document.
pub(crate) type Convert<'a> = dyn Fn(&Doc, &Links, &mut Report) -> String + 'a;

/// Plans the files of `docs` into `plan`: posts under `content/posts/`, pages at their old
/// place, each with its bundle's files and its old addresses as aliases; returns where each
/// went.
pub(crate) fn plan(
    docs: Vec<Doc>,
    settings: &Settings<'_>,
    convert: &Convert<'_>,
    plan: &mut Plan,
) -> Links {
    let zone = settings.zone;
    let mut docs = docs;
    // A post without a date cannot be listed: it becomes a page at its old address.
    for doc in &mut docs {
        if doc.post && doc.mapped.date.is_none() && doc.fallback_date.is_none() {
            doc.post = false;
            plan.report.warnings.push((
                "posts without a date, imported as pages",
                format!(
                    "{}: no date; imported as a page at its old address",
                    doc.source
                ),
            ));
        }
    }
    respell_terms(&mut docs, plan);
    let mut slugs = HashSet::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut new_paths: Vec<String> = Vec::with_capacity(docs.len());
    let mut files: Vec<String> = Vec::with_capacity(docs.len());
    let mut links = Links::default();
    let index_of: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.source.as_str(), i))
        .collect();
    for doc in &docs {
        // A translation's place is its original's, settled below.
        if doc.translation.is_some() {
            new_paths.push(String::new());
            files.push(String::new());
            continue;
        }
        let (path, file) = if doc.post {
            let base = doc
                .mapped
                .slug
                .as_deref()
                .map(slug::slugify)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| slug::slugify(&doc.name));
            let mut base = if base.is_empty() {
                "post".to_string()
            } else {
                base
            };
            base.truncate(slug::MAX_SEGMENT - 8);
            let base = base.trim_end_matches('-').to_string();
            let mut candidate = base.clone();
            let mut n = 2;
            while !slugs.insert(candidate.clone()) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            let when = doc
                .mapped
                .date
                .or(doc.fallback_date)
                .map(|w| w.in_zone(zone));
            let when = when.unwrap_or_else(|| settings.now.with_timezone(&zone));
            let path = crate::load::post::permalink(settings.permalink, &candidate, when);
            let file = if doc.resources.is_empty() {
                format!("content/posts/{candidate}.md")
            } else {
                format!("content/posts/{candidate}/index.md")
            };
            (path, file)
        } else {
            let mut segments: Vec<String> = doc
                .page_path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    let s = slug::slugify(s);
                    if s.is_empty() { "page".into() } else { s }
                })
                .collect();
            if segments.is_empty() {
                segments.push("page".into());
            }
            let last = segments.len() - 1;
            let base = segments[last].clone();
            let mut n = 2;
            while taken.contains(&segments.join("/")) || SITE_PATHS.contains(&segments[0].as_str())
            {
                if segments.len() > 1 && SITE_PATHS.contains(&segments[0].as_str()) {
                    segments[0] = format!("{}-{n}", segments[0]);
                } else {
                    segments[last] = format!("{base}-{n}");
                }
                n += 1;
            }
            let joined = segments.join("/");
            let path = format!("{joined}/");
            let file = if doc.resources.is_empty() {
                format!("content/{joined}.md")
            } else {
                format!("content/{joined}/index.md")
            };
            (path, file)
        };
        taken.insert(path.trim_end_matches('/').to_string());
        links
            .by_source
            .insert(doc.source.clone(), format!("/{path}"));
        if let Some(old) = &doc.old_url {
            links
                .by_old
                .entry(old.clone())
                .or_insert(format!("/{path}"));
        }
        new_paths.push(path);
        files.push(file);
    }
    for (i, doc) in docs.iter().enumerate() {
        let Some((code, original)) = &doc.translation else {
            continue;
        };
        let Some(&at) = index_of.get(original.as_str()) else {
            continue;
        };
        let path = format!("{code}/{}", new_paths[at]);
        let file = match files[at].strip_suffix(".md") {
            Some(stem) => format!("{stem}.{code}.md"),
            None => files[at].clone(),
        };
        links
            .by_source
            .insert(doc.source.clone(), format!("/{path}"));
        if let Some(old) = &doc.old_url {
            links
                .by_old
                .entry(old.clone())
                .or_insert(format!("/{path}"));
        }
        new_paths[i] = path;
        files[i] = file;
    }
    let outputs: HashSet<String> = new_paths.iter().map(|p| slug::output_file(p)).collect();
    let mut aliases_taken: HashSet<String> = HashSet::new();
    let mut all_aliases: Vec<Vec<String>> = Vec::with_capacity(docs.len());
    for (doc, path) in docs.iter().zip(&new_paths) {
        let mut aliases = Vec::new();
        let mut candidates: Vec<String> = doc.old_url.iter().cloned().collect();
        candidates.extend(doc.mapped.aliases.iter().filter_map(|a| {
            let a = a.trim();
            if a.contains("://") {
                return None;
            }
            // Hugo reads an alias without a leading slash from the page's own folder.
            let absolute = if a.starts_with('/') {
                a.to_string()
            } else {
                let dir = doc
                    .old_url
                    .as_deref()
                    .and_then(|o| o.trim_end_matches('/').rsplit_once('/'))
                    .map_or("", |(d, _)| d);
                format!("/{dir}/{a}")
            };
            let decoded = percent_encoding::percent_decode_str(&absolute)
                .decode_utf8_lossy()
                .into_owned();
            slug::site_path(&decoded).ok()
        }));
        for old in candidates {
            let out = slug::output_file(&old);
            if out == slug::output_file(path) || outputs.contains(&out) {
                continue;
            }
            // A list Tribune makes itself, in the page's language too (`/fr/search/`).
            let own = doc
                .translation
                .as_ref()
                .and_then(|(code, _)| old.strip_prefix(&format!("{code}/")))
                .unwrap_or(&old);
            let first = own.split('/').next().unwrap_or("");
            if SITE_PATHS.contains(&first)
                && !own.contains('.')
                && first == own.trim_end_matches('/')
            {
                continue;
            }
            if !aliases_taken.insert(out) {
                plan.report.warnings.push((
                    "old addresses shared by two files",
                    format!(
                        "{}: /{old} is another file's old address too: kept for the first",
                        doc.source
                    ),
                ));
                continue;
            }
            aliases.push(format!("/{old}"));
        }
        all_aliases.push(aliases);
    }
    let mut bodies: Vec<String> = Vec::with_capacity(docs.len());
    for doc in &docs {
        let mut report = std::mem::take(&mut plan.report);
        let body = convert(doc, &links, &mut report);
        plan.report = report;
        let body = own_links(&body, doc, settings, &links);
        let kind = |name: &str| {
            crate::import::shortcodes::kind(name).or_else(|| {
                settings
                    .shortcodes
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, paired)| {
                        if *paired {
                            crate::theme::templates::Kind::Paired
                        } else {
                            crate::theme::templates::Kind::Single
                        }
                    })
            })
        };
        let body = crate::import::shortcodes::accepted_with(body, &kind);
        bodies.push(tidy(&literal_outside_code(&keep_heading_ids(
            &body,
            settings.ids,
        ))));
    }
    let drafts: Vec<bool> = docs.iter().map(|d| d.draft || d.mapped.draft).collect();
    let known = known(&new_paths, &bodies, &drafts, &all_aliases, settings);
    for ((((doc, path), file), aliases), body) in docs
        .iter()
        .zip(&new_paths)
        .zip(files)
        .zip(&all_aliases)
        .zip(&bodies)
    {
        let files: Vec<String> = doc.resources.iter().map(|(name, _)| name.clone()).collect();
        let page = dead_links::Page {
            address: &format!("/{path}"),
            source: &doc.source,
            files: &files,
        };
        let body = dead_links::mend(body, &page, &known, &mut plan.report);
        let title = doc
            .mapped
            .title
            .clone()
            .unwrap_or_else(|| doc.default_title.clone());
        let title = if title.trim().is_empty() {
            doc.name.clone()
        } else {
            title
        };
        let image = doc.mapped.image.as_deref().and_then(|image| {
            let found = if image.starts_with("http://") || image.starts_with("https://") {
                true
            } else if let Some(rooted) = image.strip_prefix('/') {
                let rooted = percent_encoding::percent_decode_str(rooted).decode_utf8_lossy();
                settings.statics.contains(&format!("static/{rooted}"))
            } else {
                doc.resources.iter().any(|(name, _)| name == image)
            };
            if !found {
                plan.report.warnings.push((
                    "cover images not found, left out",
                    format!(
                        "{}: its image {image} is not among the files imported",
                        doc.source
                    ),
                ));
            }
            found.then_some(image)
        });
        let date = if doc.post {
            doc.mapped.date.or(doc.fallback_date)
        } else {
            doc.mapped.date
        };
        let draft = doc.draft || doc.mapped.draft;
        let own_slug = if doc.post {
            path.trim_end_matches('/').rsplit('/').next()
        } else {
            None
        };
        let written = Written {
            title: &title,
            date,
            slug: own_slug,
            draft,
            image,
            aliases,
        };
        let mut text = front::write(&doc.mapped, &written);
        text.push('\n');
        text.push_str(body.trim_start_matches('\n'));
        let counted = if draft {
            Counted::Draft
        } else if !doc.post {
            Counted::Page
        } else if date.is_some_and(|d| d.in_zone(zone).with_timezone(&chrono::Utc) > settings.now) {
            Counted::Scheduled
        } else {
            Counted::Post
        };
        plan.report.items.push((file.clone(), counted));
        let dir = file
            .strip_suffix("index.md")
            .map(str::to_string)
            .unwrap_or_default();
        for (name, source) in &doc.resources {
            plan.files
                .insert(format!("{dir}{name}"), Data::Copy(source.clone()));
        }
        plan.files.insert(file, Data::Text(text));
    }
    links
}

/// What links of the imported bodies may lead to: each page with its anchors, the files
/// copied, and the old addresses kept.
fn known<'a>(
    new_paths: &[String],
    bodies: &[String],
    drafts: &[bool],
    aliases: &[Vec<String>],
    settings: &Settings<'a>,
) -> dead_links::Known<'a> {
    // A draft was never published: a link to it led nowhere on the old site either.
    let pages = new_paths
        .iter()
        .zip(bodies)
        .zip(drafts)
        .filter(|(_, draft)| !**draft)
        .map(|((path, body), _)| (format!("/{path}"), dead_links::anchors(body)))
        .collect();
    let statics = settings
        .statics
        .iter()
        .filter_map(|file| file.strip_prefix("static/"))
        .map(str::to_string);
    let published = || aliases.iter().zip(drafts).filter(|(_, draft)| !**draft);
    let kept = published()
        .flat_map(|(olds, _)| olds)
        .chain(settings.redirects.keys())
        .map(|old| old.trim_start_matches('/').to_string());
    let paths = statics
        .chain(kept)
        .flat_map(|p| [p.trim_end_matches('/').to_string(), p])
        .collect();
    let moved = aliases
        .iter()
        .zip(new_paths)
        .zip(drafts)
        .filter(|(_, draft)| !**draft)
        .flat_map(|((olds, path), _)| {
            olds.iter()
                .map(move |old| (old.clone(), format!("/{path}")))
        })
        .collect();
    let base = settings.base.map(|b| {
        let b = b.trim_end_matches('/');
        b.split_once("://").map_or(b, |(_, rest)| rest)
    });
    dead_links::Known {
        pages,
        paths,
        moved,
        base,
    }
}

/// `body` with its links to the old site's pages, by their full address, from its root or
/// relative to the page, inline or in reference definitions, leading to where those pages went.
fn own_links(body: &str, doc: &Doc, settings: &Settings<'_>, links: &Links) -> String {
    let base = settings.base.map(|b| {
        let b = b.trim_end_matches('/');
        b.split_once("://").map_or(b, |(_, rest)| rest).to_string()
    });
    let base_path = base
        .as_deref()
        .and_then(|b| b.split_once('/'))
        .map_or(String::new(), |(_, p)| format!("/{p}"));
    let new_address = |dest: &str| -> Option<String> {
        let full = base.as_deref().and_then(|b| path_on(b, dest));
        let relative;
        let path = match full {
            Some(p) => p,
            None if dest.starts_with('/') && !dest.starts_with("//") => dest
                .strip_prefix(base_path.as_str())
                .filter(|p| p.starts_with('/'))
                .unwrap_or(dest),
            None if is_relative(dest) => {
                // A link to a source file (`../other.md`), as GitHub and Jekyll's
                // relative-links plugin read it, else to a page from the old page's address.
                let (file, fragment) = dest.split_once('#').unwrap_or((dest, ""));
                let source_dir = doc.source.rsplit_once('/').map_or("", |(d, _)| d);
                let found = [".md", ".markdown", ".mdown", ".mkd"]
                    .iter()
                    .any(|ext| file.ends_with(ext))
                    .then(|| links.find(&joined(source_dir, file)))
                    .flatten();
                if let Some(new) = found {
                    return Some(with_fragment(new.clone(), fragment));
                }
                let old_dir = doc
                    .old_url
                    .as_deref()
                    .map_or("", |o| o.rsplit_once('/').map_or("", |(d, _)| d));
                relative = format!("/{}", joined(old_dir, dest));
                relative.as_str()
            }
            None => return None,
        };
        let (path, fragment) = path.split_once('#').map_or((path, ""), |(p, f)| (p, f));
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let site = slug::site_path(&decoded).unwrap_or_default();
        if site.is_empty() {
            return Some(with_fragment("/".to_string(), fragment));
        }
        // Old links name a page with or without its slash or `.html`, or by its file.
        let bare = site.trim_end_matches('/');
        let bare = bare.strip_suffix(".html").unwrap_or(bare);
        links
            .by_old
            .get(&site)
            .or_else(|| links.by_old.get(&format!("{bare}/")))
            .or_else(|| links.by_old.get(&format!("{bare}.html")))
            .or_else(|| links.find(bare).filter(|_| !bare.is_empty()))
            .or_else(|| settings.redirects.get(&format!("/{site}")))
            .cloned()
            .or_else(|| {
                settings
                    .statics
                    .contains(&format!("static/{site}"))
                    .then(|| format!("/{site}"))
            })
            .map(|new| with_fragment(new, fragment))
    };
    let written = |new: String, angled: bool| {
        if angled || new.contains(' ') {
            format!("<{new}>")
        } else {
            new
        }
    };
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let (dest, len, angled) = crate::import::plan::destination(rest);
        // One leading nowhere is left as written: dead_links makes it text, and names it.
        if let Some(new) = new_address(dest) {
            out.push_str(&written(new, angled));
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    // Reference definitions: `[label]: /old/address/ "Title"` on a line of its own.
    if !out.contains("]:") {
        return out;
    }
    let code = code_ranges(&out);
    let mut mended = String::with_capacity(out.len());
    let mut offset = 0;
    for line in out.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let definition = (indent <= 3 && line[indent..].starts_with('['))
            .then(|| line[indent..].find("]:"))
            .flatten()
            .filter(|_| !code.iter().any(|r| r.contains(&at)));
        let Some(close) = definition else {
            mended.push_str(line);
            continue;
        };
        let after = indent + close + 2;
        let spaces = line[after..].len() - line[after..].trim_start_matches([' ', '\t']).len();
        let (dest, len, angled) = crate::import::plan::destination(&line[after + spaces..]);
        match new_address(dest).filter(|_| !dest.is_empty()) {
            Some(new) => {
                mended.push_str(&line[..after + spaces]);
                mended.push_str(&written(new, angled));
                mended.push_str(&line[after + spaces + len..]);
            }
            None => mended.push_str(line),
        }
    }
    mended
}

/// `address#fragment`, or the address alone when there is no fragment.
fn with_fragment(address: String, fragment: &str) -> String {
    if fragment.is_empty() {
        address
    } else {
        format!("{address}#{fragment}")
    }
}

/// `path` read from the folder `dir` (`a/b`), `.` and `..` resolved; never above the root.
fn joined(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    joined
}

/// Notes the front-matter keys that have no Tribune equivalent: kept under `[extra]`, or left
/// out when they only told the old theme what to do; one line for each key.
pub(crate) fn note_keys(docs: &[Doc], report: &mut Report) {
    let mut extra: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    let mut dropped: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    for doc in docs {
        for key in doc.mapped.extra.keys() {
            extra.entry(key.clone()).or_insert((0, &doc.source)).0 += 1;
        }
        for key in &doc.mapped.dropped {
            dropped.entry(key.clone()).or_insert((0, &doc.source)).0 += 1;
        }
    }
    for (key, (n, first)) in extra {
        report.warnings.push((
            "front-matter keys kept under [extra] for templates",
            format!(
                "`{key}` in {n} file{} (first: {first})",
                if n == 1 { "" } else { "s" }
            ),
        ));
    }
    for (key, (n, first)) in dropped {
        report.left_out.push((
            "front-matter keys of the old theme",
            format!(
                "`{key}` in {n} file{} (first: {first})",
                if n == 1 { "" } else { "s" }
            ),
        ));
    }
}

/// `markdown` with the template marks that are left outside code (`{% … %}`, `{{< … >}}`,
/// `{{% … %}}`: text the old site showed as it is, or tags kept for a person to look at)
/// written as code spans, so that the page shows them as code and holds none raw in its text.
pub(crate) fn literal_outside_code(markdown: &str) -> String {
    if !markdown.contains("{%") && !markdown.contains("{{<") && !markdown.contains("{{%") {
        return markdown.to_string();
    }
    let code = code_ranges(markdown);
    let html = html_ranges(markdown);
    let mut out = String::with_capacity(markdown.len() + 16);
    let bytes = markdown.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        let close = match (bytes[i], bytes[i + 1], bytes.get(i + 2)) {
            (b'{', b'%', _) => Some("%}"),
            (b'{', b'{', Some(b'<')) => Some(">}}"),
            (b'{', b'{', Some(b'%')) => Some("%}}"),
            _ => None,
        };
        let Some(close) = close.filter(|_| !code.iter().any(|r| r.contains(&i))) else {
            i += 1;
            continue;
        };
        let line_end = markdown[i..].find('\n').map_or(markdown.len(), |e| i + e);
        out.push_str(&markdown[last..i]);
        // Inside HTML a code span is not one: the mark is written with an entity there.
        let in_html = html.iter().any(|r| r.contains(&i));
        match markdown[i..line_end].find(close).filter(|_| !in_html) {
            Some(end) => {
                let end = i + end + close.len();
                let mark = &markdown[i..end];
                let longest = mark.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let ticks = "`".repeat(longest + 1);
                out.push_str(&format!("{ticks} {mark} {ticks}"));
                last = end;
                i = end;
            }
            None => {
                out.push_str("&#123;");
                last = i + 1;
                i += 1;
            }
        }
    }
    out.push_str(&markdown[last..]);
    out
}

/// `markdown` with each heading keeping the id the old engine gave it (see [`HeadingIds`])
/// where Tribune's would differ, so that links to a part of a page still land there. Like
/// kramdown and Hugo, a heading whose id an earlier one has gets it with `-1`, `-2`… after.
pub(crate) fn keep_heading_ids(markdown: &str, ids: HeadingIds) -> String {
    let code = code_ranges(markdown);
    let mut out = String::with_capacity(markdown.len());
    let mut offset = 0;
    // How many headings before have had each id.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in markdown.split_inclusive('\n') {
        let in_code = code.iter().any(|r| r.contains(&offset));
        offset += line.len();
        let trimmed = line.trim_end();
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        let text = trimmed[hashes..].trim();
        if in_code
            || !(1..=6).contains(&hashes)
            || !trimmed[hashes..].starts_with(' ')
            || text.ends_with('}')
            || text.is_empty()
        {
            out.push_str(line);
            continue;
        }
        let shown = text.trim_end_matches('#').trim();
        // Goldmark names a heading from its words; kramdown from the heading as written.
        let mut plain = String::new();
        let mut rest = shown;
        // A link's words, not its address.
        while let Some(at) = rest.find("](") {
            plain.push_str(&rest[..at]);
            rest = rest[at..].find(')').map_or("", |end| &rest[at + end + 1..]);
        }
        plain.push_str(rest);
        let old: String = match ids {
            HeadingIds::Gfm => shown
                .to_lowercase()
                .chars()
                .filter_map(|c| match c {
                    ' ' | '\t' => Some('-'),
                    c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                    _ => None,
                })
                .collect(),
            HeadingIds::Unicode => plain
                .chars()
                .filter_map(|c| {
                    if c.is_whitespace() {
                        Some('-')
                    } else if c.is_alphanumeric() || c == '-' || c == '_' {
                        Some(c.to_lowercase().next().unwrap_or(c))
                    } else {
                        None
                    }
                })
                .collect(),
            HeadingIds::Ascii => shown
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-'))
                .skip_while(|c| !c.is_ascii_alphabetic())
                .map(|c| {
                    if c == ' ' {
                        '-'
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect(),
        };
        let ours = slug::slugify(&plain);
        if old.is_empty() {
            out.push_str(line);
            continue;
        }
        let earlier = seen.entry(old.clone()).or_insert(0);
        *earlier += 1;
        if *earlier == 1 && old == ours {
            out.push_str(line);
            continue;
        }
        let old = match *earlier {
            1 => old,
            n => format!("{old}-{}", n - 1),
        };
        out.push_str(&format!("{} {{#{old}}}\n", trimmed));
    }
    out
}

/// `markdown` without the runs of blank lines that converted tags leave, outside code.
fn tidy(markdown: &str) -> String {
    if !markdown.contains("\n\n\n") {
        return markdown.to_string();
    }
    let code = code_ranges(markdown);
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let in_code = code.iter().any(|r| r.contains(&offset));
        offset += line.len();
        if line.trim().is_empty() && !in_code {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
    }
    out
}

/// The byte ranges of a Markdown text's HTML blocks.
fn html_ranges(markdown: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => Some(range),
            _ => None,
        })
        .collect()
}

/// The byte ranges of a Markdown text's code spans and code blocks.
pub(crate) fn code_ranges(markdown: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut ranges = Vec::new();
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// A settings file of the other site (`hugo.toml`, `_config.yml`, `params.json`) as a table;
/// an error names the file and line.
pub(crate) fn read_table(path: &Path, shown: &Path) -> Result<toml::Table> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::io(shown, "read", &e))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let result = match extension {
        "toml" => toml::from_str::<toml::Table>(&text).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |s| crate::error::line_of(&text, s.start));
            (e.message().to_string(), line)
        }),
        "json" => serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| (e.to_string(), e.line()))
            .map(|v| match front::from_json(v) {
                Some(toml::Value::Table(t)) => t,
                _ => toml::Table::new(),
            }),
        _ => front::yaml(&text, 1),
    };
    result.map_err(|(message, line)| {
        Diagnostic::input(format!("cannot read the settings: {message}"))
            .at(shown)
            .line(line)
            .into()
    })
}

/// A key of a table, whatever its capitals (Hugo's settings are read so).
pub(crate) fn get<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    table.get(key).or_else(|| {
        table
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A string setting, trimmed, when it has words.
pub(crate) fn get_str<'a>(table: &'a toml::Table, key: &str) -> Option<&'a str> {
    get(table, key)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Files Tribune writes at the root of the output itself: the other site's own are not copied.
const OUTPUTS: [&str; 9] = [
    "index.html",
    "404.html",
    "rss.xml",
    "atom.xml",
    "feed.json",
    "sitemap.xml",
    "robots.txt",
    "search.json",
    "alias.html",
];

/// Plans a copy of the file `from` to `static/<path>`, unless the site makes that file itself.
pub(crate) fn copy_static(
    plan: &mut Plan,
    statics: &mut HashSet<String>,
    path: &str,
    from: PathBuf,
) {
    let first = path.split('/').next().unwrap_or("");
    if OUTPUTS.contains(&path)
        || (path.contains('/') && SITE_PATHS.contains(&first) && first != "images")
    {
        plan.report.left_out.push((
            "files where the site writes its own",
            format!("{path}: Tribune makes this address itself"),
        ));
        return;
    }
    let target = format!("static/{path}");
    statics.insert(target.clone());
    plan.files.insert(target, Data::Copy(from));
}

/// Spells out the terms of `docs` that would share a page with another term of their
/// taxonomy (see [`Respelled`]), and says which in the report.
///
/// [`Respelled`]: crate::import::terms::Respelled
fn respell_terms(docs: &mut [Doc], plan: &mut Plan) {
    let respelled = crate::import::terms::Respelled::of(docs.iter().flat_map(|doc| {
        let m = &doc.mapped;
        m.tags
            .iter()
            .map(|n| ("tags", n.as_str()))
            .chain(m.themes.iter().map(|n| ("themes", n.as_str())))
            .chain(
                m.taxonomies
                    .iter()
                    .flat_map(|(key, names)| names.iter().map(move |n| (key.as_str(), n.as_str()))),
            )
    }));
    let changes = respelled.changes();
    if changes.is_empty() {
        return;
    }
    for doc in docs.iter_mut() {
        let m = &mut doc.mapped;
        for name in &mut m.tags {
            *name = respelled.name("tags", name).to_string();
        }
        for name in &mut m.themes {
            *name = respelled.name("themes", name).to_string();
        }
        for (key, names) in &mut m.taxonomies {
            for name in names {
                *name = respelled.name(key, name).to_string();
            }
        }
    }
    for change in changes {
        plan.report
            .warnings
            .push(("terms renamed so that each keeps a page of its own", change));
    }
}

/// A menu entry's address on the new site: another site's as it is, a path of the old site
/// where its page went, a list where the new site has it; `None` when nothing leads there.
pub(crate) fn menu_url(
    url: &str,
    links: &Links,
    lists: &HashMap<String, String>,
) -> Option<String> {
    let url = url.trim();
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:") {
        return url.starts_with("http").then(|| url.to_string());
    }
    let path = url.split(['#', '?']).next().unwrap_or(url);
    if path.trim_matches('/').is_empty() {
        return Some("/".into());
    }
    let site = slug::site_path(&format!("/{}", path.trim_start_matches('/'))).ok()?;
    let with_slash = if site.ends_with('/') || site.contains('.') {
        site.clone()
    } else {
        format!("{site}/")
    };
    links
        .by_old
        .get(&with_slash)
        .or_else(|| links.by_old.get(&site))
        .cloned()
        .or_else(|| lists.get(with_slash.trim_end_matches('/')).cloned())
        .or_else(|| links.find(path).cloned())
}

/// Hugo's and Jekyll's way of making a term's address segment: lower case, spaces to hyphens,
/// other punctuation dropped.
pub(crate) fn urlize(name: &str) -> String {
    name.trim()
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some('-')
            } else if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '~') {
                Some(c)
            } else {
                None
            }
        })
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_headings_keep_their_ids_in_any_script() {
        assert_eq!(
            keep_heading_ids(
                "## App 启动\n## Démarrer vite\n## plain\n",
                HeadingIds::Unicode
            ),
            "## App 启动 {#app-启动}\n## Démarrer vite {#démarrer-vite}\n## plain\n"
        );
        assert_eq!(
            keep_heading_ids("## 2. Démarrer vite\n", HeadingIds::Ascii),
            "## 2. Démarrer vite {#dmarrer-vite}\n"
        );
    }

    #[test]
    fn headings_keep_the_ids_the_old_engine_gave_them() {
        assert_eq!(
            keep_heading_ids(
                "## Via GitHub.com\n## Plain words\n## Set {#x}\n```\n# Via a.b\n```\n",
                HeadingIds::Ascii
            ),
            "## Via GitHub.com {#via-githubcom}\n## Plain words\n## Set {#x}\n```\n# Via a.b\n```\n"
        );
    }

    #[test]
    fn a_heading_named_as_an_earlier_one_keeps_its_numbered_id() {
        // Two headings kramdown reads as `dll-`: the second was `dll--1`.
        assert_eq!(
            keep_heading_ids(
                "### 输出 DLL 文件\n### 引入 DLL 文件\n## Plain\n## Plain\n## Plain\n",
                HeadingIds::Ascii
            ),
            "### 输出 DLL 文件 {#dll-}\n### 引入 DLL 文件 {#dll--1}\n## Plain\n## Plain {#plain-1}\n## Plain {#plain-2}\n"
        );
    }

    #[test]
    fn jekyll_headings_read_as_github_flavoured_markdown_keep_kramdown_s_ids() {
        // As kramdown's GFM parser names them: from the heading as written, letters of any
        // script kept, repeats numbered.
        assert_eq!(
            keep_heading_ids(
                "### 输出 DLL 文件\n## 2. Démarrer vite\n## Voir [la doc](https://x.org/a)\n## Plain\n## Plain\n## variable_name\n",
                HeadingIds::Gfm
            ),
            "### 输出 DLL 文件 {#输出-dll-文件}\n## 2. Démarrer vite {#2-démarrer-vite}\n## Voir [la doc](https://x.org/a) {#voir-la-dochttpsxorga}\n## Plain\n## Plain {#plain-1}\n## variable_name {#variable_name}\n"
        );
    }

    #[test]
    fn blank_lines_are_tidied_outside_code() {
        assert_eq!(
            tidy("a\n\n\n\nb\n```\nc\n\n\nd\n```\n"),
            "a\n\nb\n```\nc\n\n\nd\n```\n"
        );
    }

    #[test]
    fn template_marks_outside_code_become_text() {
        let md = "Write {% raw %} and `{% x %}`:\n\n```\n{{< y >}}\n```\n\n{{% z %}}\n";
        assert_eq!(
            literal_outside_code(md),
            "Write ` {% raw %} ` and `{% x %}`:\n\n```\n{{< y >}}\n```\n\n` {{% z %}} `\n"
        );
    }

    #[test]
    fn references_find_files_by_any_of_their_names() {
        let mut links = Links::default();
        links
            .by_source
            .insert("content/post/hello.md".into(), "/posts/hello/".into());
        links
            .by_source
            .insert("content/post/trip/index.md".into(), "/posts/trip/".into());
        for r in [
            "hello",
            "post/hello.md",
            "/post/hello",
            "hello.md",
            "content/post/hello.md",
        ] {
            assert_eq!(
                links.find(r).map(String::as_str),
                Some("/posts/hello/"),
                "{r}"
            );
        }
        assert_eq!(links.find("trip").map(String::as_str), Some("/posts/trip/"));
        assert_eq!(links.find("nothing"), None);
    }
}
