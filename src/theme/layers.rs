//! The theme in layers: the embedded default theme, then `themes/<name>/` on disk, then the
//! site's own `templates/`, `static/` and `i18n/`, each file overriding the one below it by name
//! (strings override key by key).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{self, Diagnostic, Result};
use crate::load::config::{CONFIG_FILE, Config};
use crate::load::folders::Folder;
use crate::load::source::{self, slash_path};

include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// Where a theme file came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Origin {
    /// Compiled into Tribune.
    Embedded(String),
    /// A file of the site, relative to its root.
    File(PathBuf),
}

impl Origin {
    /// The path to show in messages.
    pub(crate) fn display_path(&self) -> PathBuf {
        match self {
            Origin::Embedded(rel) => PathBuf::from(format!("(built-in theme)/{rel}")),
            Origin::File(p) => p.clone(),
        }
    }
}

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    /// Template text.
    pub(crate) text: String,
    /// Its file.
    pub(crate) origin: Origin,
}

/// A static file to copy to the output root.
#[derive(Debug, Clone)]
pub(crate) enum StaticFile {
    /// From the embedded theme.
    Embedded(&'static [u8]),
    /// From disk (absolute path).
    File(PathBuf),
}

/// Every file of the theme after layering.
#[derive(Debug, Default)]
pub(crate) struct Theme {
    /// Templates by name (`post.html`, `shortcodes/x.html`).
    pub(crate) templates: BTreeMap<String, TemplateSource>,
    /// Static files by output path.
    pub(crate) statics: BTreeMap<String, StaticFile>,
    /// Font files social cards are drawn with (`fonts/*.otf`, `*.ttf`), by name.
    pub(crate) fonts: BTreeMap<String, StaticFile>,
    /// UI strings of the site's language (falling back to English for missing keys).
    pub(crate) strings: BTreeMap<String, String>,
    /// Every string table, by language code as its file names it, in layer order: pages in
    /// another language than the site's take theirs from these.
    pub(crate) string_tables: Vec<(String, BTreeMap<String, String>)>,
}

impl Theme {
    /// Layers the theme for `config`.
    pub(crate) fn load(config: &Config) -> Result<Theme> {
        let root = &config.root;
        let mut theme = Theme::default();
        let mut string_layers: Vec<(String, Origin, String)> = Vec::new();
        for (rel, bytes) in EMBEDDED {
            theme.add(
                rel,
                Origin::Embedded(rel.to_string()),
                Layer::Bytes(bytes),
                &mut string_layers,
            )?;
        }
        let theme_dir = root.join(Folder::Themes.name()).join(&config.theme);
        if theme_dir.is_dir() {
            for (rel, abs) in walk(&theme_dir, None)? {
                theme.add(
                    &rel,
                    Origin::File(error::relative(root, &abs)),
                    Layer::Path(&abs),
                    &mut string_layers,
                )?;
            }
        } else if config.theme != "default" {
            return Err(Diagnostic::input(format!(
                "theme `{}` not found: there is no folder themes/{}",
                config.theme, config.theme
            ))
            .at(CONFIG_FILE)
            .hint("remove `theme` to use the built-in default theme")
            .into());
        }
        for folder in Folder::ALL {
            let Some(layer) = folder.theme_layer() else {
                continue;
            };
            let dir = root.join(folder.name());
            if dir.is_dir() {
                for (rel, abs) in walk(&dir, Some(layer))? {
                    theme.add(
                        &rel,
                        Origin::File(error::relative(root, &abs)),
                        Layer::Path(&abs),
                        &mut string_layers,
                    )?;
                }
            }
        }
        theme.string_tables = tables(&string_layers)?;
        theme.strings = theme.strings_for(&config.language);
        Ok(theme)
    }

    fn add(
        &mut self,
        rel: &str,
        origin: Origin,
        layer: Layer<'_>,
        strings: &mut Vec<(String, Origin, String)>,
    ) -> Result<()> {
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = layer.text(&origin)?;
            self.templates
                .insert(name.to_string(), TemplateSource { text, origin });
        } else if let Some(path) = rel.strip_prefix("static/") {
            let file = layer.file();
            self.statics.insert(path.to_string(), file);
        } else if let Some(name) = rel
            .strip_prefix("fonts/")
            .filter(|n| n.ends_with(".otf") || n.ends_with(".ttf"))
        {
            let file = layer.file();
            self.fonts.insert(name.to_string(), file);
        } else if let Some(lang) = rel
            .strip_prefix("i18n/")
            .and_then(|n| n.strip_suffix(".toml"))
        {
            let text = layer.text(&origin)?;
            strings.push((lang.to_string(), origin, text));
        }
        Ok(())
    }
}

enum Layer<'a> {
    Bytes(&'static [u8]),
    Path(&'a Path),
}

impl Layer<'_> {
    /// The file as the output copies it: bytes built into the binary, or a path to read.
    fn file(&self) -> StaticFile {
        match self {
            Layer::Bytes(b) => StaticFile::Embedded(b),
            Layer::Path(p) => StaticFile::File(p.to_path_buf()),
        }
    }

    fn text(&self, origin: &Origin) -> Result<String> {
        let bytes = match self {
            Layer::Bytes(b) => b.to_vec(),
            Layer::Path(p) => source::read_text_input(p, &origin.display_path())?,
        };
        Ok(source::decode(bytes).map_err(|d| d.at(origin.display_path()))?)
    }
}

/// Files under `dir`, the layer's folder `layer` of the site or a theme's folder, as (path in
/// the layers, absolute path), sorted.
fn walk(dir: &Path, layer: Option<&str>) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    let in_layers = |path: &Path| {
        let rel = slash_path(path.strip_prefix(dir).expect("walked under dir"));
        match layer {
            Some(layer) => format!("{layer}/{rel}"),
            None => rel,
        }
    };
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !source::is_left_out(in_layers(e.path()).split('/')));
    for entry in walker {
        let entry = entry.map_err(|e| {
            Diagnostic::input(format!("cannot read: {e}"))
                .at(dir)
                .as_io()
        })?;
        if entry.file_type().is_file() {
            files.push((in_layers(entry.path()), entry.into_path()));
        }
    }
    Ok(files)
}

/// Every string file read, in layer order; a file that is not a flat table of strings is an
/// error naming it, whatever language the site speaks.
fn tables(layers: &[(String, Origin, String)]) -> Result<Vec<(String, BTreeMap<String, String>)>> {
    crate::error::collect(layers.iter().map(|(lang, origin, text)| {
        let table: BTreeMap<String, String> = toml::from_str(text)
            .map_err(|e| crate::error::from_toml(&e, text, &origin.display_path(), 1))
            .map_err(|d| {
                d.hint(format!(
                    "i18n/{lang}.toml holds `key = \"text\"` lines only"
                ))
            })?;
        Ok((lang.to_ascii_lowercase(), table))
    }))
}

impl Theme {
    /// Whether the theme has strings of its own in `language` (or its primary language), rather
    /// than English for want of them.
    pub(crate) fn speaks(&self, language: &str) -> bool {
        let lower = language.to_ascii_lowercase().replace('_', "-");
        let primary = lower.split('-').next().unwrap_or_default();
        self.string_tables
            .iter()
            .any(|(code, _)| *code == lower || code == primary)
    }

    /// The strings of each of the site's languages, by edition (the default's first).
    pub(crate) fn edition_strings(&self, config: &Config) -> Vec<BTreeMap<String, String>> {
        config
            .languages
            .iter()
            .enumerate()
            .map(|(e, language)| match e {
                0 => self.strings.clone(),
                _ => self.strings_for(&language.code),
            })
            .collect()
    }

    /// The strings of `language`: English first, then its primary language, then its full
    /// code, each layer in theme order, so every key has the most specific text available.
    pub(crate) fn strings_for(&self, language: &str) -> BTreeMap<String, String> {
        let lower = language.to_ascii_lowercase().replace('_', "-");
        let primary = lower.split('-').next().unwrap_or("en").to_string();
        let mut wanted = vec!["en".to_string()];
        for code in [primary, lower] {
            if !wanted.contains(&code) {
                wanted.push(code);
            }
        }
        let mut merged = BTreeMap::new();
        for code in &wanted {
            for (_, table) in self.string_tables.iter().filter(|(l, _)| l == code) {
                merged.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_every_file_of_the_default_theme() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walk(&dir, None)
            .unwrap()
            .into_iter()
            .map(|(rel, _)| rel)
            .collect();
        let embedded: Vec<String> = EMBEDDED.iter().map(|(rel, _)| rel.to_string()).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn strings_fall_back_to_english() {
        let layers = vec![
            (
                "en".to_string(),
                Origin::Embedded("en".into()),
                "a = \"A\"\nb = \"B\"\n".to_string(),
            ),
            (
                "fr".to_string(),
                Origin::Embedded("fr".into()),
                "a = \"À\"\n".to_string(),
            ),
        ];
        let theme = Theme {
            string_tables: tables(&layers).unwrap(),
            ..Theme::default()
        };
        let s = theme.strings_for("fr-CA");
        assert_eq!(s["a"], "À");
        assert_eq!(s["b"], "B");
    }
}
