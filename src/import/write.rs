//! Writing an import: every file into a staging folder first, then moved into place, so a
//! failure leaves `content/` as it was; a file edited since the last import is kept unless
//! the import is forced.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Diagnostic, Result};
use crate::import::Report;
use crate::import::plan::Data;
use crate::import::text::hash;

/// Where the last import's files are remembered, under the site folder, for an engine
/// (`wordpress`): each file's hash as written, to tell an edited file from one the export
/// still makes.
pub(crate) fn manifest(engine: &str) -> String {
    format!(".tribune/import/{engine}.json")
}
/// The staging folder, under the site folder.
const STAGING: &str = ".tribune/import/staging";

/// Writes `files` under `root` for the import from `engine`, filling the report's `written`, `unchanged` and `kept`.
/// `sample` tells a file the site was created with and nobody changed (the about page `init`
/// writes), which an import replaces like one of its own.
pub(crate) fn write(
    root: &Path,
    engine: &str,
    files: &BTreeMap<String, Data>,
    force: bool,
    sample: &dyn Fn(&str, &[u8]) -> bool,
    report: &mut Report,
) -> Result<()> {
    let manifest_path = root.join(manifest(engine));
    let mut manifest: BTreeMap<String, String> = std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let staging = root.join(STAGING);
    let io = |path: &Path, action: &str, e: &std::io::Error| {
        Diagnostic::io(&crate::error::relative(root, path), action, e)
    };
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io(&staging, "remove", &e))?;
    }
    let mut staged = Vec::new();
    let replaced = samples_claimed(root, files, sample);
    for path in &replaced {
        report.warnings.push((
            "sample pages replaced",
            format!(
                "{path} was the sample page of a new site: an imported file keeps its address as an old one"
            ),
        ));
    }
    for (path, data) in files {
        let bytes = match data {
            Data::Text(text) => text.as_bytes().to_vec(),
            Data::Copy(source) => std::fs::read(source).map_err(|e| io(source, "read", &e))?,
        };
        let target = root.join(path);
        if let Ok(existing) = std::fs::read(&target) {
            if existing == bytes {
                report.unchanged += 1;
                manifest.insert(path.clone(), hash(&bytes));
                continue;
            }
            let known = manifest.get(path);
            let ours = known.is_some_and(|h| *h == hash(&existing));
            if !ours && known.is_none() && sample(path, &existing) {
                report.warnings.push((
                    "sample pages replaced",
                    format!(
                        "{path} was the sample page of a new site: replaced by the imported one"
                    ),
                ));
            } else if !ours && !force {
                report.kept.push((path.clone(), known.is_some()));
                continue;
            }
        }
        let file = staging.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, "create", &e))?;
        }
        std::fs::write(&file, &bytes).map_err(|e| io(&file, "write", &e))?;
        staged.push((file, target, path.clone(), hash(&bytes)));
    }
    for (file, target, path, h) in staged {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, "create", &e))?;
        }
        std::fs::rename(&file, &target).map_err(|e| io(&target, "write", &e))?;
        manifest.insert(path, h);
        report.written += 1;
    }
    for path in replaced {
        let file = root.join(&path);
        std::fs::remove_file(&file).map_err(|e| io(&file, "remove", &e))?;
    }
    let _ = std::fs::remove_dir_all(&staging);
    if let Some(dir) = manifest_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, "create", &e))?;
    }
    let json = serde_json::to_vec_pretty(&manifest).expect("a map of strings serializes");
    std::fs::write(&manifest_path, json).map_err(|e| io(&manifest_path, "write", &e))?;
    Ok(())
}

/// The sample pages of a new site (see `write`) at an address one of `files` keeps as an old
/// one (its `aliases`): two pages would claim it, and the blog's own wins, as it does when it
/// comes at the sample's very path.
fn samples_claimed(
    root: &Path,
    files: &BTreeMap<String, Data>,
    sample: &dyn Fn(&str, &[u8]) -> bool,
) -> Vec<String> {
    let mut claimed = Vec::new();
    for data in files.values() {
        let Data::Text(text) = data else { continue };
        let Ok(split) = crate::load::frontmatter::split(text) else {
            continue;
        };
        let Ok(front) = split.front.parse::<toml::Table>() else {
            continue;
        };
        let aliases = front.get("aliases").and_then(toml::Value::as_array);
        for alias in aliases
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
        {
            let name = alias.trim_matches('/');
            if name.is_empty() || name.contains(['?', '#']) {
                continue;
            }
            for path in [
                format!("content/{name}.md"),
                format!("content/{name}/index.md"),
            ] {
                let taken = files.contains_key(&path) || claimed.contains(&path);
                if !taken && std::fs::read(root.join(&path)).is_ok_and(|b| sample(&path, &b)) {
                    claimed.push(path);
                }
            }
        }
    }
    claimed
}
