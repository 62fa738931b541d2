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

/// The blog's menu and old addresses, as planned from the export.
#[derive(Debug, Default)]
pub(crate) struct Additions {
    /// The menu, in order; empty when the export has none.
    pub(crate) menu: Vec<MenuEntry>,
    /// Old site path to new, by old path.
    pub(crate) redirects: BTreeMap<String, String>,
}

impl Additions {
    /// The TOML that declares them.
    fn toml(&self) -> String {
        let quote = |t: &str| toml::Value::String(t.to_string()).to_string();
        let mut out = String::from(
            "\n# From the WordPress export: the blog's menu and its old archive addresses.\n",
        );
        for entry in &self.menu {
            out.push_str(&format!(
                "\n[[menu]]\ntitle = {}\nurl = {}\n",
                quote(&entry.title),
                quote(&entry.url)
            ));
        }
        if !self.redirects.is_empty() {
            out.push_str("\n[redirects]\n");
            for (old, new) in &self.redirects {
                out.push_str(&format!("{} = {}\n", quote(old), quote(new)));
            }
        }
        out
    }
}

/// Adds `additions` to the site's `site.toml`, or beside it when it declares a menu or
/// redirects of its own; the report says which.
pub(crate) fn add(root: &Path, additions: &Additions, report: &mut Report) -> Result<()> {
    if additions.menu.is_empty() && additions.redirects.is_empty() {
        return Ok(());
    }
    let path = root.join("site.toml");
    let io = |p: &Path, action: &str, e: &std::io::Error| {
        Diagnostic::io(&crate::error::relative(root, p), action, e)
    };
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
        if !additions.redirects.is_empty() {
            added.push(format!("{} old addresses", additions.redirects.len()));
        }
        report.site_toml = Some(format!("site.toml: added {}", added.join(" and ")));
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
            redirects: BTreeMap::from([("/category/x/".into(), "/themes/x/".into())]),
        };
        let table: toml::Table = toml::from_str(&additions.toml()).unwrap();
        assert_eq!(table["menu"][0]["title"].as_str(), Some("À \"propos\""));
        assert_eq!(
            table["redirects"]["/category/x/"].as_str(),
            Some("/themes/x/")
        );
        assert!(same_as_declared(&table, &additions));
    }
}
