//! A Hugo site: its settings (`hugo.toml`, `config.*`, `config/_default/`), its content
//! (sections, `_index.md`, leaf bundles and their files), `static/`, and the shortcodes of its
//! text, as a Tribune site's.

/// Hugo's shortcodes as Tribune's.
pub(crate) mod shortcodes;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::Datelike;
use chrono_tz::Tz;

use crate::error::{Diagnostic, Result};
use crate::import::Report;
use crate::import::front::{self, Engine};
use crate::import::generator::{self, Doc, Links, get, get_str, read_table, urlize};
use crate::import::plan::{Data, Plan};
use crate::import::site_toml::{MenuEntry, Setting};
use shortcodes::Own;

/// Files Hugo reads as content.
const CONTENT: [&str; 5] = ["md", "markdown", "mdown", "html", "htm"];
/// Markup Hugo renders through external tools, which Tribune does not read.
const OTHER_MARKUP: [&str; 5] = ["adoc", "asciidoc", "org", "rst", "pdc"];

/// The Hugo site's settings, merged from every file that holds them.
fn config(src: &Path) -> Result<(toml::Table, Vec<String>)> {
    let mut table = toml::Table::new();
    let mut read = Vec::new();
    let names = ["hugo", "config"];
    let extensions = ["toml", "yaml", "yml", "json"];
    'root: for name in names {
        for ext in extensions {
            let file = format!("{name}.{ext}");
            let path = src.join(&file);
            if path.is_file() {
                table = read_table(&path, Path::new(&file))?;
                read.push(file);
                break 'root;
            }
        }
    }
    let dir = src.join("config/_default");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for path in files {
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            if !extensions.contains(&ext) {
                continue;
            }
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            // `menus.en.toml` holds the menus of one language, `languages.fr.toml` one
            // language's settings.
            let (key, language) = stem.split_once('.').unwrap_or((stem, ""));
            let key = key.to_ascii_lowercase();
            let shown = format!("config/_default/{stem}.{ext}");
            let part = read_table(&path, Path::new(&shown))?;
            read.push(shown);
            let default = get_str(&table, "defaultContentLanguage")
                .unwrap_or("en")
                .to_ascii_lowercase();
            if key == "hugo" || key == "config" {
                for (k, v) in part {
                    table.insert(k, v);
                }
                continue;
            }
            let part = if key == "languages" && !language.is_empty() {
                toml::Table::from_iter([(language.to_string(), toml::Value::Table(part))])
            } else if !language.is_empty() && !language.eq_ignore_ascii_case(&default) {
                continue;
            } else {
                part
            };
            let key = if key == "menu" {
                "menus".to_string()
            } else {
                key
            };
            let entry = table
                .entry(key)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let Some(into) = entry.as_table_mut() {
                for (k, v) in part {
                    into.insert(k, v);
                }
            }
        }
    }
    Ok((table, read))
}

/// One content file, as walked.
#[derive(Debug)]
struct File {
    /// Path under the content folder, `/`-separated; a page of another language's folder
    /// takes the place of a translation beside its original (`about.fr.md`).
    rel: String,
    /// Where it is.
    abs: PathBuf,
    /// Its path from the Hugo site's folder, when it is in another language's folder.
    shown: Option<String>,
}

/// Imports the Hugo site at `src` into `plan`.
pub(crate) fn plan(src: &Path, settings: &generator::Target<'_>) -> Result<Plan> {
    let (mut config, read) = config(src)?;
    // The default language's own settings (its title, its params) are the site's.
    let default_language = get_str(&config, "defaultContentLanguage")
        .unwrap_or("en")
        .to_ascii_lowercase();
    let own = get(&config, "languages")
        .and_then(|l| l.as_table())
        .and_then(|l| get(l, &default_language))
        .and_then(|l| l.as_table())
        .cloned()
        .unwrap_or_default();
    for (key, value) in own {
        match (config.get_mut(&key), value) {
            (Some(toml::Value::Table(into)), toml::Value::Table(part)) => {
                for (k, v) in part {
                    into.entry(k).or_insert(v);
                }
            }
            (None, value) if !key.eq_ignore_ascii_case("contentDir") => {
                config.insert(key, value);
            }
            _ => {}
        }
    }
    if read.is_empty() && !src.join("content").is_dir() {
        return Err(Diagnostic::input(
            "this folder is not a Hugo site: it has no hugo.toml, config.toml (or .yaml, .json) nor content/ folder",
        )
        .at(src)
        .into());
    }
    let mut plan = Plan::default();
    let params = get(&config, "params")
        .and_then(|p| p.as_table())
        .cloned()
        .unwrap_or_default();
    let zone: Tz = get_str(&config, "timezone")
        .and_then(|z| z.parse().ok())
        .unwrap_or(settings.zone);
    let languages: Vec<String> = get(&config, "languages")
        .and_then(|l| l.as_table())
        .map(|t| t.keys().map(|k| k.to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let mut content_dir = get_str(&config, "contentDir")
        .unwrap_or("content")
        .to_string();
    // The folders of the other languages' pages, by language code.
    let mut other_dirs: Vec<(String, String)> = Vec::new();
    if let Some(languages) = get(&config, "languages").and_then(|l| l.as_table()) {
        for (code, language) in languages {
            let Some(dir) = language.as_table().and_then(|t| get_str(t, "contentDir")) else {
                continue;
            };
            if code.eq_ignore_ascii_case(&default_language) {
                content_dir = dir.to_string();
            } else if src.join(dir).is_dir() {
                other_dirs.push((code.to_ascii_lowercase(), dir.trim_matches('/').to_string()));
            }
        }
    }
    // Hugo modules mount a folder as the content (`[[module.mounts]] source = "content/en"
    // target = "content"`), for a language given by `lang` or by `sites.matrix.languages`.
    let mounts = get(&config, "module")
        .and_then(|m| m.as_table())
        .and_then(|m| get(m, "mounts"))
        .and_then(|m| m.as_array());
    for mount in mounts.into_iter().flatten().filter_map(|m| m.as_table()) {
        let (Some(source), Some(target)) = (get_str(mount, "source"), get_str(mount, "target"))
        else {
            continue;
        };
        if target.trim_matches('/') != "content" {
            continue;
        }
        let mut langs: Vec<&str> = get_str(mount, "lang").into_iter().collect();
        if let Some(matrix) = get(mount, "sites")
            .and_then(|s| s.as_table())
            .and_then(|s| get(s, "matrix"))
            .and_then(|m| m.as_table())
            .and_then(|m| get(m, "languages"))
            .and_then(|l| l.as_array())
        {
            langs.extend(matrix.iter().filter_map(|l| l.as_str()));
        }
        let source = source.trim_matches('/');
        if langs.is_empty()
            || langs
                .iter()
                .any(|l| l.eq_ignore_ascii_case(&default_language))
        {
            content_dir = source.to_string();
        } else if src.join(source).is_dir() {
            for lang in langs {
                other_dirs.push((lang.to_ascii_lowercase(), source.to_string()));
            }
        }
    }
    // Hugo's `taxonomies`: singular = plural; tags and categories are Tribune's tags and themes.
    let taxonomies: Vec<String> = match get(&config, "taxonomies").and_then(|t| t.as_table()) {
        Some(t) => t
            .values()
            .filter_map(|v| v.as_str())
            .map(str::to_ascii_lowercase)
            .filter(|p| p != "tags" && p != "categories")
            .filter(|p| {
                // One Tribune could not declare (`archive`, its own list of every post): its
                // values stay in each post's `[extra]`.
                let refused = crate::load::config::taxonomy_refusal(p);
                if let Some(why) = &refused {
                    plan.report.left_out.push((
                        "taxonomies Tribune cannot have",
                        format!("`{p}`: {why}; its values are kept under [extra]"),
                    ));
                }
                refused.is_none()
            })
            .collect(),
        None => Vec::new(),
    };
    let ugly = get(&config, "uglyURLs").and_then(|v| v.as_bool()) == Some(true);
    let lower = get(&config, "disablePathToLower").and_then(|v| v.as_bool()) != Some(true);
    let permalinks = get(&config, "permalinks")
        .and_then(|p| p.as_table())
        .cloned()
        .unwrap_or_default();

    let content = src.join(&content_dir);
    let mut files: Vec<File> = files_in(&content, &[])
        .map(|(rel, abs)| File {
            rel,
            abs,
            shown: None,
        })
        .collect();
    // A page of another language's folder is that language's version of the default
    // language's page at the same place, as a translation beside it would be.
    for (code, dir) in &other_dirs {
        for (rel, abs) in files_in(&src.join(dir), &[]) {
            let Some((stem, ext)) = rel
                .rsplit_once('.')
                .filter(|(_, ext)| CONTENT.contains(&ext.to_ascii_lowercase().as_str()))
            else {
                continue;
            };
            files.push(File {
                rel: format!("{stem}.{code}.{ext}"),
                abs,
                shown: Some(format!("{dir}/{rel}")),
            });
        }
    }
    let stem_of = |rel: &str| -> (String, String) {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        (stem.to_string(), ext.to_ascii_lowercase())
    };
    let is_content = |rel: &str| CONTENT.contains(&stem_of(rel).1.as_str());
    // A file's language: `about.fr.md`, when `fr` is one of the site's.
    let language_of = |rel: &str| -> Option<String> {
        let (stem, _) = stem_of(rel);
        let (_, code) = stem.rsplit_once('.')?;
        let code = code.to_ascii_lowercase();
        languages.contains(&code).then_some(code)
    };
    let base_stem = |rel: &str| -> String {
        let (stem, _) = stem_of(rel);
        match language_of(rel) {
            Some(_) => stem
                .rsplit_once('.')
                .map_or(stem.clone(), |(s, _)| s.to_string()),
            None => stem,
        }
    };
    let dir_of = |rel: &str| {
        rel.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    let leaf_dirs: BTreeSet<String> = files
        .iter()
        .filter(|f| is_content(&f.rel) && base_stem(&f.rel) == "index")
        .map(|f| dir_of(&f.rel))
        .collect();
    let leaf_of = |rel: &str| -> Option<String> {
        let mut dir = dir_of(rel);
        loop {
            if leaf_dirs.contains(&dir) {
                return Some(dir);
            }
            dir = dir.rsplit_once('/')?.0.to_string();
        }
    };

    // Posts live in the site's main sections: as it names them, else the section with most pages.
    let mut main_sections: Vec<String> = get(&params, "mainSections")
        .or_else(|| get(&params, "mainsections"))
        .map(|v| match v {
            toml::Value::Array(a) => a
                .iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect(),
            toml::Value::String(s) => vec![s.clone()],
            _ => Vec::new(),
        })
        .unwrap_or_default();
    if main_sections.is_empty() {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for f in &files {
            // Translations would count a section once per language.
            if is_content(&f.rel)
                && language_of(&f.rel).is_none()
                && f.rel.contains('/')
                && !base_stem(&f.rel).starts_with('_')
                && (leaf_of(&f.rel).is_none() || base_stem(&f.rel) == "index")
            {
                *counts
                    .entry(f.rel.split('/').next().unwrap_or("").to_string())
                    .or_default() += 1;
            }
        }
        if let Some((section, _)) = counts
            .iter()
            .max_by_key(|(s, n)| (**n, s.starts_with("post")))
        {
            main_sections.push(section.clone());
        }
    }

    let mut own: BTreeMap<String, Own> = BTreeMap::new();
    let theme = get_str(&config, "theme").map(str::to_string).or_else(|| {
        get(&config, "theme")
            .and_then(|t| t.as_array())
            .and_then(|a| a.first())
            .and_then(|t| t.as_str())
            .map(str::to_string)
    });
    let mut shortcode_dirs = vec![
        src.join("layouts/shortcodes"),
        src.join("layouts/_shortcodes"),
    ];
    if let Some(theme) = &theme {
        shortcode_dirs.push(src.join("themes").join(theme).join("layouts/shortcodes"));
        shortcode_dirs.push(src.join("themes").join(theme).join("layouts/_shortcodes"));
    }
    for dir in &shortcode_dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        entries.sort();
        for path in entries {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(name) = name.strip_suffix(".html") else {
                continue;
            };
            if own.contains_key(name) || crate::import::shortcodes::kind(name).is_some() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            match shortcodes::template(&text) {
                Some((template, paired)) if !matches!(name, "pullquote" | "share") => {
                    own.insert(name.to_string(), Own::Simple { paired });
                    plan.files.insert(
                        format!("templates/shortcodes/{name}.html"),
                        Data::Text(template),
                    );
                }
                _ => {
                    own.insert(name.to_string(), Own::Complex);
                }
            }
        }
    }

    let mut docs: Vec<Doc> = Vec::new();
    let mut raw: Vec<(toml::Table, bool)> = Vec::new();
    // Addresses the posts' sections were listed at, by their `url`.
    let mut section_urls: Vec<String> = Vec::new();
    let mut statics: HashSet<String> = HashSet::new();
    let mut resources: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    for f in &files {
        let (_, ext) = stem_of(&f.rel);
        if let Some(leaf) = leaf_of(&f.rel)
            && !(is_content(&f.rel) && base_stem(&f.rel) == "index" && dir_of(&f.rel) == leaf)
        {
            let name = f.rel[leaf.len()..].trim_start_matches('/').to_string();
            resources
                .entry(leaf)
                .or_default()
                .push((name, f.abs.clone()));
            continue;
        }
        if OTHER_MARKUP.contains(&ext.as_str()) {
            plan.report.left_out.push((
                "files in markup Tribune does not read",
                format!("{content_dir}/{}: {ext} is rendered by an external tool; convert it to Markdown", f.rel),
            ));
            continue;
        }
        if !is_content(&f.rel) {
            generator::copy_static(&mut plan, &mut statics, &f.rel, f.abs.clone());
            continue;
        }
        let source = f
            .shown
            .clone()
            .unwrap_or_else(|| format!("{content_dir}/{}", f.rel));
        // A translation beside its original (`about.fr.md`) stays one, in Tribune's terms.
        let translation = language_of(&f.rel)
            .filter(|code| *code != default_language)
            .map(|code| {
                let (stem, _) = stem_of(&f.rel);
                let original =
                    f.rel
                        .replacen(&format!("{stem}."), &format!("{}.", base_stem(&f.rel)), 1);
                (code, format!("{content_dir}/{original}"))
            });
        let bytes = match std::fs::read(&f.abs) {
            Ok(b) => b,
            Err(e) => return Err(Diagnostic::io(Path::new(&source), "read", &e).into()),
        };
        let text = String::from_utf8_lossy(&bytes);
        let parsed = match front::parse(&text) {
            Ok(p) => p,
            Err((message, line)) => {
                plan.report.warnings.push((
                    "files whose front matter cannot be read, not imported",
                    format!("{source}:{line}: {message}"),
                ));
                continue;
            }
        };
        let table = parsed.table;
        let headless = get(&table, "headless").and_then(|v| v.as_bool()) == Some(true);
        let never = ["build", "_build"].iter().any(|k| {
            get(&table, k)
                .and_then(|b| b.as_table())
                .and_then(|b| get(b, "render"))
                .is_some_and(|r| {
                    matches!(r.as_str(), Some("never" | "false")) || r.as_bool() == Some(false)
                })
        });
        if headless || never {
            plan.report.left_out.push((
                "pages Hugo does not publish",
                format!("{source}: headless, or never rendered"),
            ));
            continue;
        }
        let base = base_stem(&f.rel);
        let dir = dir_of(&f.rel);
        let section = if f.rel.contains('/') {
            f.rel.split('/').next().unwrap_or("").to_string()
        } else {
            String::new()
        };
        let mut mapped = front::map(&table, Engine::Hugo, &taxonomies);
        // An alias without a leading slash is read from the page's folder of the content.
        for alias in &mut mapped.aliases {
            if !alias.starts_with('/') && !alias.contains("://") {
                let folder = if base == "index" || base == "_index" {
                    dir.rsplit_once('/').map_or("", |(p, _)| p)
                } else {
                    dir.as_str()
                };
                *alias = format!("/{folder}/{alias}/").replace("//", "/");
            }
        }
        let is_index = base == "_index";
        if is_index && (dir.is_empty() || main_sections.contains(&dir)) {
            if let Some(url) = mapped.url.as_deref().filter(|_| !dir.is_empty()) {
                section_urls.push(url.trim_matches('/').to_lowercase());
            }
            plan.report.left_out.push((
                "lists of the old site",
                format!(
                    "{source}: the list of {}; Tribune's home page and archive list the posts",
                    if dir.is_empty() {
                        "the home page".to_string()
                    } else {
                        format!("the section {dir}")
                    }
                ),
            ));
            continue;
        }
        let post = !is_index && main_sections.contains(&section);
        let bundle = base == "index";
        let name = if bundle || is_index {
            dir.rsplit('/').next().unwrap_or(&dir).to_string()
        } else {
            base.clone()
        };
        // Hugo's default address: the folders, then the slug or the file's name.
        let last = mapped.slug.clone().unwrap_or_else(|| name.clone());
        let parent = if bundle || is_index {
            dir.rsplit_once('/').map_or("", |(p, _)| p).to_string()
        } else {
            dir.clone()
        };
        let mut old = if is_index {
            format!("{dir}/")
        } else {
            let pattern = [
                get(&permalinks, &section),
                get(&permalinks, "page")
                    .and_then(|p| p.as_table())
                    .and_then(|p| get(p, &section)),
            ]
            .into_iter()
            .flatten()
            .find_map(|p| p.as_str())
            .map(str::to_string);
            match pattern {
                Some(pattern) => {
                    let url = expand(&pattern, &mapped, &name, &section, &dir, zone);
                    // With `uglyURLs`, a pattern's page is a `.html` file.
                    match url.strip_suffix('/').filter(|_| ugly) {
                        Some(stem) if !stem.is_empty() => format!("{stem}.html"),
                        _ => url,
                    }
                }
                None => {
                    let joined = [parent.as_str(), urlize_keep_case(&last).as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("/");
                    if ugly {
                        format!("{joined}.html")
                    } else {
                        format!("{joined}/")
                    }
                }
            }
        };
        if let Some(url) = &mapped.url {
            old = url.trim_start_matches('/').to_string();
            if !old.ends_with('/') && !old.contains('.') {
                old.push('/');
            }
        }
        if let Some((code, _)) = &translation
            && mapped.url.is_none()
        {
            old = format!("{code}/{old}");
        }
        if lower {
            old = old.to_lowercase();
        }
        let old = crate::slug::site_path(&format!("/{old}")).ok();
        let page_path = match &old {
            Some(old) => old
                .trim_end_matches('/')
                .trim_end_matches(".html")
                .to_string(),
            None => f.rel.trim_end_matches(&format!(".{ext}")).to_string(),
        };
        let body = if matches!(ext.as_str(), "html" | "htm") {
            crate::import::html::to_markdown(&parsed.body)
        } else {
            parsed.body
        };
        if mapped.title.is_none() && !post {
            mapped.title = Some(title_case(&name));
        }
        docs.push(Doc {
            source,
            post,
            mapped,
            body,
            body_line: parsed.body_line,
            name: name.clone(),
            default_title: title_case(&name),
            fallback_date: None,
            draft: false,
            old_url: old,
            page_path,
            resources: Vec::new(),
            translation,
        });
        raw.push((table, bundle));
    }
    // A translation whose original is not imported has nothing to be the translation of.
    let sources: HashSet<String> = docs.iter().map(|d| d.source.clone()).collect();
    let mut kept_raw = Vec::with_capacity(raw.len());
    let mut kept_docs = Vec::with_capacity(docs.len());
    for (doc, r) in docs.into_iter().zip(raw) {
        match &doc.translation {
            Some((code, original)) if !sources.contains(original) => {
                plan.report.left_out.push((
                    "translations without their original",
                    format!(
                        "{}: the {code} version of {original}, which is not imported",
                        doc.source
                    ),
                ));
            }
            _ => {
                kept_docs.push(doc);
                kept_raw.push(r);
            }
        }
    }
    let (mut docs, raw) = (kept_docs, kept_raw);
    let translated: BTreeSet<String> = docs
        .iter()
        .filter_map(|d| d.translation.as_ref().map(|(code, _)| code.clone()))
        .collect();
    for (doc, (table, bundle)) in docs.iter_mut().zip(&raw) {
        if *bundle {
            let dir = doc
                .source
                .strip_prefix(&format!("{content_dir}/"))
                .map(|r| r.rsplit_once('/').map_or("", |(d, _)| d).to_string())
                .unwrap_or_default();
            doc.resources = resources.remove(&dir).unwrap_or_default();
            // A cover named by a resource's `name` (`resources: [{src: a.jpg, name: cover}]`)
            // is that resource's file.
            let named = get(table, "resources")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_table())
                .find(|r| get_str(r, "name") == doc.mapped.image.as_deref())
                .and_then(|r| get_str(r, "src"))
                .filter(|src| !src.contains(['*', '?', '[']));
            if let Some(src) = named {
                doc.mapped.image = Some(src.to_string());
            }
        }
    }
    // Resources of bundles whose page was not imported are copied where Hugo published them.
    for (dir, files) in std::mem::take(&mut resources) {
        for (name, abs) in files {
            generator::copy_static(&mut plan, &mut statics, &format!("{dir}/{name}"), abs);
        }
    }
    let static_dirs: Vec<String> = match get(&config, "staticDir") {
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
        _ => vec!["static".into()],
    };
    for dir in static_dirs {
        copy_tree(&src.join(&dir), &mut plan, &mut statics);
    }
    if src.join("assets").is_dir() {
        // Hugo's `figure` and image render hooks find `/images/a.jpg` among the global
        // resources of `assets/` too: the files the text names there are copied.
        let named: HashSet<&str> = docs
            .iter()
            .flat_map(|d| rooted_paths(&d.body).chain(d.mapped.image.as_deref()))
            .map(|p| p.trim_start_matches('/'))
            .collect();
        let mut copied = 0;
        for (rel, abs) in files_in(&src.join("assets"), &[]) {
            if named.contains(rel.as_str()) && !statics.contains(&format!("static/{rel}")) {
                generator::copy_static(&mut plan, &mut statics, &rel, abs);
                copied += 1;
            }
        }
        let copied = if copied > 0 {
            format!(" ({copied} files the text names were copied into static/)")
        } else {
            String::new()
        };
        plan.report.left_out.push((
            "folders of the old theme",
            format!(
                "assets/: files Hugo's templates process{copied}; copy what your posts need into static/"
            ),
        ));
    }
    if let Some(theme) = &theme {
        plan.report.left_out.push((
            "folders of the old theme",
            format!("themes/{theme}/: the old theme; Tribune's default theme shows the site"),
        ));
    }
    generator::note_keys(&docs, &mut plan.report);

    // Every post's terms, for the old archives' addresses.
    let mut categories: BTreeSet<String> = BTreeSet::new();
    let mut tags: BTreeSet<String> = BTreeSet::new();
    for doc in docs.iter().filter(|d| d.post && !d.mapped.draft) {
        categories.extend(doc.mapped.themes.iter().cloned());
        tags.extend(doc.mapped.tags.iter().cloned());
    }
    let tables: Vec<toml::Table> = raw.iter().map(|(t, _)| t.clone()).collect();
    let page_tables: HashMap<String, toml::Table> = docs
        .iter()
        .zip(tables)
        .map(|(d, t)| (d.source.clone(), t))
        .collect();
    let carried: Vec<(String, bool)> = own
        .iter()
        .filter_map(|(name, own)| match own {
            Own::Simple { paired } => Some((name.clone(), *paired)),
            Own::Complex => None,
        })
        .collect();
    let mut redirects = BTreeMap::new();
    // A term's page, as Hugo wrote it: `/tags/rust/`, or `/tags/rust.html` with `uglyURLs`.
    let term_page = |list: &str, name: &str| {
        if ugly {
            format!("/{list}/{}.html", urlize(name))
        } else {
            format!("/{list}/{}/", urlize(name))
        }
    };
    for name in &categories {
        let new = crate::slug::slugify(name);
        if !new.is_empty() {
            redirects.insert(term_page("categories", name), format!("/themes/{new}/"));
        }
    }
    for name in &tags {
        let (old, new) = (urlize(name), crate::slug::slugify(name));
        if !new.is_empty() && (old != new || ugly) {
            redirects.insert(term_page("tags", name), format!("/tags/{new}/"));
        }
    }
    let gen_settings = generator::Settings {
        zone,
        permalink: settings.permalink,
        statics: &statics,
        now: settings.now,
        base: get_str(&config, "baseURL"),
        shortcodes: &carried,
        redirects: &redirects,
        ids: generator::HeadingIds::Unicode,
    };
    let empty = toml::Table::new();
    let convert = |doc: &Doc, links: &Links, report: &mut Report| -> String {
        let cx = shortcodes::Context {
            doc,
            links,
            params: &params,
            page: page_tables.get(&doc.source).unwrap_or(&empty),
            own: &own,
        };
        shortcodes::convert(&doc.body, &cx, &mut report.warnings)
    };
    let menu_source: Vec<(String, String)> = menu_entries(&config, &mut plan.report);
    let mut posts_lists: Vec<String> = main_sections.clone();
    posts_lists.extend(section_urls.iter().filter(|u| !u.is_empty()).cloned());
    let links_out = generator::plan(docs, &gen_settings, &convert, &mut plan);

    // Settings, menu and the old archives' addresses for site.toml.
    let mut lists: HashMap<String, String> = HashMap::new();
    for section in &posts_lists {
        lists.insert(section.to_lowercase(), "/archive/".into());
    }
    lists.insert("tags".into(), "/tags/".into());
    lists.insert("categories".into(), "/themes/".into());
    for (name, url) in menu_source {
        match generator::menu_url(&url, &links_out, &lists) {
            Some(url) => plan.additions.menu.push(MenuEntry { title: name, url }),
            None => plan.report.left_out.push((
                "menu entries to what was not imported",
                format!("\"{name}\" ({url}): it leads to nothing imported"),
            )),
        }
    }
    if !categories.is_empty() {
        redirects.insert("/categories/".into(), "/themes/".into());
    }
    for section in &posts_lists {
        redirects.insert(format!("/{}/", section.to_lowercase()), "/archive/".into());
    }
    redirects.insert("/index.xml".into(), "/rss.xml".into());
    redirects.retain(|old, _| {
        crate::slug::site_path(old).is_ok_and(|p| {
            !links_out.by_old.contains_key(&p)
                && !links_out
                    .by_source
                    .values()
                    .any(|n| n.trim_start_matches('/') == p)
                && !statics.contains(&format!("static/{}", crate::slug::output_file(&p)))
        })
    });
    plan.additions.redirects = redirects;
    plan.additions.source = "the Hugo site";
    plan.additions.settings = site_settings(&config, &params, &taxonomies, &mut plan.report);
    // Each language translations are in gets its table, titled as the Hugo site titled it.
    for code in translated {
        let title = get(&config, "languages")
            .and_then(|l| l.as_table())
            .and_then(|l| get(l, &code))
            .and_then(|l| l.as_table())
            .and_then(|l| get_str(l, "title"))
            .or_else(|| get_str(&config, "title"))
            .unwrap_or("")
            .to_string();
        plan.additions.settings.push(Setting {
            table: Some(format!("languages.{code}").into()),
            key: "title",
            value: toml::Value::String(title),
        });
    }
    Ok(plan)
}

/// The file name or slug as Hugo writes it in an address: spaces to hyphens, case kept.
fn urlize_keep_case(name: &str) -> String {
    name.trim().replace(char::is_whitespace, "-")
}

/// A name as a title: `my-trip` gives `My trip`.
pub(crate) fn title_case(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A `permalinks` pattern filled in for one page.
fn expand(
    pattern: &str,
    mapped: &front::Mapped,
    name: &str,
    section: &str,
    dir: &str,
    zone: Tz,
) -> String {
    let date = mapped.date.map(|d| d.in_zone(zone));
    let slug = mapped.slug.clone().unwrap_or_else(|| name.to_string());
    let title = mapped
        .title
        .as_deref()
        .map(urlize)
        .unwrap_or_else(|| urlize(name));
    let months = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut out = pattern.to_string();
    // Longest tokens first: `:slugorfilename` before `:slug`.
    let mut tokens: Vec<(&str, String)> = vec![
        (":slugorcontentbasename", urlize_keep_case(&slug)),
        (":slugorfilename", urlize_keep_case(&slug)),
        (":contentbasename", urlize_keep_case(name)),
        (":filename", urlize_keep_case(name)),
        (":sections", dir.to_string()),
        (":section", section.to_string()),
        (":title", title),
        (":slug", urlize_keep_case(&slug)),
    ];
    if let Some(d) = date {
        tokens.extend([
            (":monthname", months[d.month0() as usize].to_string()),
            (":yearday", d.ordinal().to_string()),
            (":year", format!("{:04}", d.year())),
            (":month", format!("{:02}", d.month())),
            (":day", format!("{:02}", d.day())),
        ]);
    }
    tokens.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    for (token, value) in tokens {
        out = out.replace(token, &value);
    }
    let out = out.trim_start_matches('/').replace("//", "/");
    if out.ends_with('/') || out.contains('.') {
        out
    } else {
        format!("{out}/")
    }
}

/// The main menu's entries as written: name and address, by weight; sub-entries are listed as
/// left out.
fn menu_entries(config: &toml::Table, report: &mut Report) -> Vec<(String, String)> {
    let menus = get(config, "menus").or_else(|| get(config, "menu"));
    let Some(main) = menus
        .and_then(|m| m.as_table())
        .and_then(|m| get(m, "main"))
    else {
        return Vec::new();
    };
    let mut entries: Vec<(i64, String, String)> = Vec::new();
    for entry in main.as_array().into_iter().flatten() {
        let Some(t) = entry.as_table() else { continue };
        let name = get_str(t, "name")
            .or_else(|| get_str(t, "identifier"))
            .unwrap_or("");
        let url = get_str(t, "url")
            .or_else(|| get_str(t, "pageRef"))
            .unwrap_or("");
        if get_str(t, "parent").is_some() {
            report.left_out.push((
                "menu sub-entries",
                format!("\"{name}\": the theme's menu has one level"),
            ));
            continue;
        }
        if name.is_empty() || url.is_empty() {
            continue;
        }
        let weight = get(t, "weight").and_then(|w| w.as_integer()).unwrap_or(0);
        entries.push((weight, name.to_string(), url.to_string()));
    }
    entries.sort_by_key(|e| e.0);
    entries.into_iter().map(|(_, n, u)| (n, u)).collect()
}

/// The Hugo site's settings as Tribune's, and a note of each one that has no equivalent.
fn site_settings(
    config: &toml::Table,
    params: &toml::Table,
    taxonomies: &[String],
    report: &mut Report,
) -> Vec<Setting> {
    let mut out = Vec::new();
    let mut set = |table: Option<&'static str>, key: &'static str, value: toml::Value| {
        out.push(Setting {
            table: table.map(Into::into),
            key,
            value,
        })
    };
    let string = |s: &str| toml::Value::String(s.to_string());
    if let Some(title) = get_str(config, "title") {
        set(None, "title", string(title));
    }
    if let Some(d) = get_str(params, "description").or_else(|| get_str(config, "description")) {
        set(None, "description", string(d));
    }
    if let Some(url) = get_str(config, "baseURL").filter(|u| u.starts_with("http")) {
        let url = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        set(None, "base_url", string(&url));
    }
    if let Some(code) =
        get_str(config, "languageCode").or_else(|| get_str(config, "defaultContentLanguage"))
    {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase();
        if primary.len() >= 2 && primary.chars().all(|c| c.is_ascii_alphabetic()) {
            set(None, "language", string(&primary));
        }
    }
    if let Some(zone) = get_str(config, "timeZone").filter(|z| z.parse::<Tz>().is_ok()) {
        set(None, "timezone", string(zone));
    }
    let author = get(params, "author")
        .or_else(|| get(config, "author"))
        .and_then(|a| match a {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Table(t) => get_str(t, "name").map(str::to_string),
            _ => None,
        });
    if let Some(author) = author.filter(|a| !a.trim().is_empty()) {
        set(None, "author", string(author.trim()));
    }
    let per_page = get(config, "pagination")
        .and_then(|p| p.as_table())
        .and_then(|p| get(p, "pagerSize"))
        .or_else(|| get(config, "paginate"))
        .and_then(|n| n.as_integer())
        .filter(|n| (1..=1000).contains(n));
    if let Some(n) = per_page {
        set(Some("build"), "posts_per_page", toml::Value::Integer(n));
    }
    if !taxonomies.is_empty() {
        let mut all = vec!["tags".to_string(), "themes".to_string()];
        all.extend(taxonomies.iter().cloned());
        set(
            None,
            "taxonomies",
            toml::Value::Array(all.into_iter().map(toml::Value::String).collect()),
        );
    }
    const MAPPED: [&str; 22] = [
        "title",
        "baseurl",
        "languagecode",
        "defaultcontentlanguage",
        "timezone",
        "params",
        "author",
        "paginate",
        "pagination",
        "taxonomies",
        "menu",
        "menus",
        "permalinks",
        "contentdir",
        "staticdir",
        "uglyurls",
        "disablepathtolower",
        "theme",
        "languages",
        "description",
        "publishdir",
        "module",
    ];
    for key in config.keys() {
        if !MAPPED.contains(&key.to_ascii_lowercase().as_str()) {
            report
                .left_out
                .push(("settings with no Tribune equivalent", format!("`{key}`")));
        }
    }
    for key in params.keys() {
        if !matches!(
            key.to_ascii_lowercase().as_str(),
            "description" | "author" | "mainsections"
        ) {
            report.left_out.push((
                "theme parameters with no Tribune equivalent",
                format!("`params.{key}`"),
            ));
        }
    }
    out
}

/// The paths from the site's root that `text` names: in a link, an image or a shortcode's
/// argument (`(/a.jpg)`, `src="/a.jpg"`).
fn rooted_paths(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices(['(', '"', '\''])
        .filter_map(move |(at, _)| {
            let rest = &text[at + 1..];
            let rest = rest.strip_prefix('/').filter(|r| !r.starts_with('/'))?;
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '?' | '#'))
                .unwrap_or(rest.len());
            Some(&text[at + 1..at + 2 + end])
        })
}

/// The files under `dir`, by name, each with its `/`-separated path in it: hidden files and
/// folders, but those of `top_hidden` at its top, and `node_modules`, left out.
fn files_in<'a>(
    dir: &'a Path,
    top_hidden: &'a [&str],
) -> impl Iterator<Item = (String, PathBuf)> + 'a {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            let hidden =
                name.starts_with('.') && !(e.depth() == 1 && top_hidden.contains(&name.as_ref()));
            e.depth() == 0 || !(hidden || name == "node_modules")
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(move |entry| {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, entry.into_path())
        })
}

/// Copies a folder's files into `static/`, at their paths in it, with the hidden ones Tribune
/// publishes from there.
pub(crate) fn copy_tree(dir: &Path, plan: &mut Plan, statics: &mut HashSet<String>) {
    if !dir.is_dir() {
        return;
    }
    for (rel, abs) in files_in(dir, &crate::load::source::PUBLISHED_HIDDEN) {
        generator::copy_static(plan, statics, &rel, abs);
    }
}
