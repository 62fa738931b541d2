//! The site's own inputs: `site.toml` and the folders a build reads, declared once for every
//! part of Tribune that must know them (the theme's layers, the build cache, the preview's
//! watcher, and the checks that keep the output and the social queue out of them). A folder
//! added here is layered, hashed, watched and protected at once.

use std::path::Path;

use crate::error::{Diagnostic, Errors, Result};
use crate::load::source::POSTS_DIR as POSTS;

/// The configuration file's name, at the site root.
pub(crate) const CONFIG_FILE: &str = "site.toml";

/// A folder of the site that a build reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Folder {
    /// Posts, pages, their images and comments.
    Content,
    /// Themes, one folder each, chosen by `theme` in `site.toml`.
    Themes,
    /// Templates overriding the theme's.
    Templates,
    /// Files published as they are, overriding the theme's.
    Static,
    /// Interface strings overriding the theme's, one file per language.
    I18n,
    /// Fonts the social cards are drawn with, overriding the theme's.
    Fonts,
}

impl Folder {
    /// Every input folder.
    pub(crate) const ALL: [Folder; 6] = [
        Folder::Content,
        Folder::Themes,
        Folder::Templates,
        Folder::Static,
        Folder::I18n,
        Folder::Fonts,
    ];

    /// Its name under the site root.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Folder::Content => "content",
            Folder::Themes => "themes",
            Folder::Templates => "templates",
            Folder::Static => "static",
            Folder::I18n => "i18n",
            Folder::Fonts => "fonts",
        }
    }

    /// For a folder that overrides part of the theme, the folder of the theme it overrides.
    pub(crate) fn theme_layer(self) -> Option<&'static str> {
        match self {
            Folder::Content | Folder::Themes => None,
            Folder::Templates | Folder::Static | Folder::I18n | Folder::Fonts => Some(self.name()),
        }
    }
}

/// Refuses a site whose inputs Tribune could not read safely: `site.toml` that is not a regular
/// file (a FIFO would block the build for ever), an input folder that is a file (a site whose
/// content vanished would build as an empty one and wipe the published site), or one that is a
/// link to a folder outside the site (its files would be published: `static -> ~/.ssh`). A link
/// that stays inside the site is followed.
pub(crate) fn check(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    let config = root.join(CONFIG_FILE);
    if let Ok(meta) = std::fs::metadata(&config)
        && !meta.is_file()
    {
        problems.push(
            Diagnostic::input("not a regular file")
                .at(CONFIG_FILE)
                .hint("Tribune reads only regular files: replace it with the site's configuration"),
        );
    }
    let inside = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let folders = Folder::ALL
        .iter()
        .map(|f| f.name().to_string())
        .chain([format!("{}/{POSTS}", Folder::Content.name())]);
    for name in folders {
        let path = root.join(&name);
        let Ok(own) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if own.file_type().is_symlink() {
            match path.canonicalize() {
                Ok(target) if !target.starts_with(&inside) => {
                    problems.push(
                        Diagnostic::input(format!(
                            "a link to `{}`, outside the site folder",
                            target.display()
                        ))
                        .at(&name)
                        .hint(
                            "Tribune reads only what lies inside the site folder: copy the files in, or link to a folder inside it",
                        ),
                    );
                    continue;
                }
                Ok(_) => {}
                // A link to nothing is a folder that is not there.
                Err(_) => continue,
            }
        }
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_dir()) {
            problems.push(Diagnostic::input("not a folder").at(&name).hint(format!(
                "`{name}` holds the site's {}: make it a folder",
                if name.starts_with(Folder::Content.name()) {
                    "posts and pages"
                } else {
                    "files of that kind"
                }
            )));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Errors(problems))
    }
}
