//! What an import adds to `site.toml`: the blog's menu (`[[menu]]`) and its old archive
//! addresses (`[redirects]`: categories, tags, dates, the feed), which no post carries.
//!
//! They are appended to `site.toml` when it declares neither, as a new site's does; a site
//! that already declares them keeps its own, and the report says where the import's are
//! (`.tribune/import/site.toml`) for a person to merge.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Diagnostic, Result};
use crate::import::Report;

/// Where the additions are written when `site.toml` already has its own, under the site folder.
pub(crate) const ASIDE: &str = ".tribune/import/site.toml";

/// A menu entry: its words and where it leads (a site path or another site's address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MenuEntry {
    /// The words shown.
    pub(crate) title: String,
    /// `/a-propos/`, or `https://…`.
    pub(crate) url: String,
}

/// A setting of the old site for `site.toml`: its table (`build`) or none, key and value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Setting {
    /// The table it belongs in (`build`, `languages.fr`), or `None` at the top.
    pub(crate) table: Option<std::borrow::Cow<'static, str>>,
    /// Its key.
    pub(crate) key: &'static str,
    /// Its value.
    pub(crate) value: toml::Value,
}

/// The blog's menu and old addresses, as planned from the export.
#[derive(Debug, Default)]
pub(crate) struct Additions {
    /// What they come from, for the comment above them (`the WordPress export`).
    pub(crate) source: &'static str,
    /// The old site's settings (title, time zone…), set in place of the starter's.
    pub(crate) settings: Vec<Setting>,
    /// The menu, in order; empty when the export has none.
    pub(crate) menu: Vec<MenuEntry>,
    /// Old site path to new, by old path.
    pub(crate) redirects: BTreeMap<String, String>,
}

/// Addresses where a Tribune site writes pages of its own, whatever its content.
const OWN_PAGES: [&str; 9] = [
    "archive/",
    "tags/",
    "themes/",
    "search/",
    "rss.xml",
    "atom.xml",
    "feed.json",
    "sitemap.xml",
    "404.html",
];

impl Additions {
    /// The redirects to write: not those from an address where Tribune writes a page of its
    /// own (`/tags/`, `/archive/`…), which the build would refuse as a collision and which
    /// lead readers to that page anyway.
    fn kept_redirects(&self) -> impl Iterator<Item = (&String, &String)> {
        self.redirects
            .iter()
            .filter(|(old, new)| old != new && !OWN_PAGES.contains(&old.trim_start_matches('/')))
    }

    /// The TOML that declares them.
    fn toml(&self) -> String {
        let quote = |t: &str| toml::Value::String(t.to_string()).to_string();
        let source = if self.source.is_empty() {
            "the WordPress export"
        } else {
            self.source
        };
        let mut out =
            format!("\n# From {source}: the blog's menu and its old archive addresses.\n");
        for entry in &self.menu {
            out.push_str(&format!(
                "\n[[menu]]\ntitle = {}\nurl = {}\n",
                quote(&entry.title),
                quote(&entry.url)
            ));
        }
        let redirects: Vec<(&String, &String)> = self.kept_redirects().collect();
        if !redirects.is_empty() {
            out.push_str("\n[redirects]\n");
            for (old, new) in redirects {
                out.push_str(&format!("{} = {}\n", quote(old), quote(new)));
            }
        }
        out
    }
}

/// Adds `additions` to the site's `site.toml`, or beside it when it declares a menu or
/// redirects of its own; the report says which. `starters` are the settings files `init`
/// writes: a value one of them gives is the site's to replace.
pub(crate) fn add(
    root: &Path,
    additions: &Additions,
    starters: &[toml::Table],
    report: &mut Report,
) -> Result<()> {
    let path = root.join("site.toml");
    let io = |p: &Path, action: &str, e: &std::io::Error| {
        Diagnostic::io(&crate::error::relative(root, p), action, e)
    };
    if !additions.settings.is_empty() {
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, "read", &e))?;
        let new = settings(&text, &additions.settings, starters, report);
        if new != text {
            let staged = root.join(".tribune/import/site.toml.new");
            if let Some(dir) = staged.parent() {
                std::fs::create_dir_all(dir).map_err(|e| io(dir, "create", &e))?;
            }
            std::fs::write(&staged, new).map_err(|e| io(&staged, "write", &e))?;
            std::fs::rename(&staged, &path).map_err(|e| io(&path, "write", &e))?;
        }
    }
    if additions.menu.is_empty() && additions.redirects.is_empty() {
        return Ok(());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| io(&path, "read", &e))?;
    let declared: toml::Table = toml::from_str(&text).unwrap_or_default();
    let has = |key: &str| declared.contains_key(key);
    if !has("menu") && !has("redirects") {
        // Written whole, then renamed: an interrupted import leaves site.toml as it was.
        let staged = root.join(".tribune/import/site.toml.new");
        if let Some(dir) = staged.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, "create", &e))?;
        }
        let mut new = text;
        if !new.ends_with('\n') {
            new.push('\n');
        }
        new.push_str(&additions.toml());
        std::fs::write(&staged, new).map_err(|e| io(&staged, "write", &e))?;
        std::fs::rename(&staged, &path).map_err(|e| io(&path, "write", &e))?;
        let mut added = Vec::new();
        if !additions.menu.is_empty() {
            added.push(match additions.menu.len() {
                1 => "the blog's menu (1 entry)".to_string(),
                n => format!("the blog's menu ({n} entries)"),
            });
        }
        let redirects = additions.kept_redirects().count();
        if redirects > 0 {
            added.push(format!("{redirects} old addresses"));
        }
        let line = format!("site.toml: added {}", added.join(" and "));
        report.site_toml = Some(match report.site_toml.take() {
            Some(before) => format!("{before}\n{line}"),
            None => line,
        });
        return Ok(());
    }
    if same_as_declared(&declared, additions) {
        return Ok(());
    }
    let aside = root.join(ASIDE);
    if let Some(dir) = aside.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, "create", &e))?;
    }
    std::fs::write(&aside, additions.toml()).map_err(|e| io(&aside, "write", &e))?;
    report.warnings.push((
        "site settings to merge by hand",
        format!(
            "site.toml declares its own menu or redirects: the blog's ({} menu entries, {} old addresses) are in {ASIDE}, to merge",
            additions.menu.len(),
            additions.redirects.len()
        ),
    ));
    Ok(())
}

/// `text` with each setting written in it: in place of the starter's value, of a commented-out
/// line for the key, or added to its table. A value a person chose is kept, and the old
/// site's noted in the report.
fn settings(
    text: &str,
    settings: &[Setting],
    starters: &[toml::Table],
    report: &mut Report,
) -> String {
    let mut text = text.to_string();
    let mut changed = Vec::new();
    for setting in settings {
        let declared: toml::Table = toml::from_str(&text).unwrap_or_default();
        let current = in_table(&declared, setting.table.as_deref(), setting.key);
        if current == Some(&setting.value) {
            continue;
        }
        let starter = |starter: &toml::Table| {
            in_table(starter, setting.table.as_deref(), setting.key) == current
        };
        let replaceable =
            current.is_none() || setting.key == "timezone" || starters.iter().any(starter);
        let name = match &setting.table {
            Some(table) => format!("[{table}] {}", setting.key),
            None => setting.key.to_string(),
        };
        if !replaceable {
            report.warnings.push((
                "settings of site.toml kept",
                format!(
                    "site.toml sets {name} already: kept; the old site's is {}",
                    setting.value
                ),
            ));
            continue;
        }
        text = set(&text, setting);
        changed.push(name);
    }
    if !changed.is_empty() {
        let line = format!("site.toml: set {}", changed.join(", "));
        report.site_toml = Some(match report.site_toml.take() {
            Some(before) => format!("{before}\n{line}"),
            None => line,
        });
    }
    text
}

/// The value of `key` in the (dotted) `table` of `declared`, or at its top.
fn in_table<'a>(
    declared: &'a toml::Table,
    table: Option<&str>,
    key: &str,
) -> Option<&'a toml::Value> {
    let mut at = declared;
    for part in table.into_iter().flat_map(|t| t.split('.')) {
        at = at.get(part)?.as_table()?;
    }
    at.get(key)
}

/// `text` with one setting written: on the line that declares the key in its table (written
/// or commented out), else right after the table's header (made if need be).
fn set(text: &str, setting: &Setting) -> String {
    let line = format!("{} = {}", setting.key, setting.value);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header = |l: &str| l.trim_start().starts_with('[');
    let commented_header = |l: &str| {
        let t = l.trim_start();
        t.strip_prefix('#')
            .is_some_and(|rest| rest.trim_start().starts_with('['))
    };
    let declares = |l: &str| {
        let t = l.trim_start();
        let t = t.strip_prefix('#').map_or(t, str::trim_start);
        t.strip_prefix(setting.key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let (start, end) = match setting.table.as_deref() {
        None => (
            0,
            lines.iter().position(|l| header(l)).unwrap_or(lines.len()),
        ),
        Some(table) => {
            let own = format!("[{table}]");
            let at = lines.iter().position(|l| l.trim() == own);
            let at = at.or_else(|| {
                let commented = lines.iter().position(|l| {
                    commented_header(l)
                        && l.trim_start()
                            .trim_start_matches('#')
                            .trim_start()
                            .starts_with(&own)
                })?;
                lines[commented] = own.clone();
                Some(commented)
            });
            match at {
                Some(at) => {
                    let end = lines[at + 1..]
                        .iter()
                        .position(|l| header(l) || commented_header(l))
                        .map_or(lines.len(), |e| at + 1 + e);
                    (at + 1, end)
                }
                None => {
                    if lines.last().is_some_and(|l| !l.trim().is_empty()) {
                        lines.push(String::new());
                    }
                    lines.push(own);
                    lines.push(line);
                    return lines.join("\n") + "\n";
                }
            }
        }
    };
    // A written line wins over a commented-out one.
    let written =
        (start..end).find(|&i| declares(&lines[i]) && !lines[i].trim_start().starts_with('#'));
    match written.or_else(|| (start..end).find(|&i| declares(&lines[i]))) {
        Some(i) => lines[i] = line,
        None => {
            let mut at = end;
            while at > start && lines[at - 1].trim().is_empty() {
                at -= 1;
            }
            lines.insert(at, line);
        }
    }
    lines.join("\n") + "\n"
}

/// Whether `site.toml` already declares exactly these (an import run again).
fn same_as_declared(declared: &toml::Table, additions: &Additions) -> bool {
    let Ok(ours) = toml::from_str::<toml::Table>(&additions.toml()) else {
        return false;
    };
    ["menu", "redirects"]
        .iter()
        .all(|key| declared.get(*key) == ours.get(*key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_toml_the_site_reads_back() {
        let additions = Additions {
            menu: vec![MenuEntry {
                title: "À \"propos\"".into(),
                url: "/a-propos/".into(),
            }],
            redirects: BTreeMap::from([
                ("/category/x/".into(), "/themes/x/".into()),
                // Old list pages where Tribune writes its own: no redirect.
                ("/archive/".into(), "/archive/".into()),
                ("/tags/".into(), "/archive/".into()),
            ]),
            ..Additions::default()
        };
        let table: toml::Table = toml::from_str(&additions.toml()).unwrap();
        assert!(table["redirects"].get("/archive/").is_none());
        assert!(table["redirects"].get("/tags/").is_none());
        assert_eq!(table["menu"][0]["title"].as_str(), Some("À \"propos\""));
        assert_eq!(
            table["redirects"]["/category/x/"].as_str(),
            Some("/themes/x/")
        );
        assert!(same_as_declared(&table, &additions));
    }

    #[test]
    fn settings_take_the_place_of_the_starters() {
        let text = "title = \"My blog\"            # the name\n# author = \"You\"\n\n# [build]\n# posts_per_page = 10\n";
        // As `init` writes them.
        let starters: Vec<toml::Table> = vec![toml::from_str("title = \"My blog\"").unwrap()];
        let mut report = Report::default();
        let out = settings(
            text,
            &[
                Setting {
                    table: None,
                    key: "title",
                    value: toml::Value::String("Old".into()),
                },
                Setting {
                    table: None,
                    key: "author",
                    value: toml::Value::String("Ann".into()),
                },
                Setting {
                    table: Some("build".into()),
                    key: "posts_per_page",
                    value: toml::Value::Integer(5),
                },
            ],
            &starters,
            &mut report,
        );
        assert_eq!(
            out,
            "title = \"Old\"\nauthor = \"Ann\"\n\n[build]\nposts_per_page = 5\n"
        );
        let mine = settings(
            "title = \"Mine\"\n",
            &[Setting {
                table: None,
                key: "title",
                value: toml::Value::String("Old".into()),
            }],
            &starters,
            &mut report,
        );
        assert_eq!(mine, "title = \"Mine\"\n");
        assert!(report.warnings[0].1.contains("kept"));
    }
}
