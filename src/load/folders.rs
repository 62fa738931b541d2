//! The site's own inputs: `site.toml` and the folders a build reads, declared once for every
//! part of Tribune that must know them (the theme's layers, the build cache, the preview's
//! watcher, and the checks that keep the output and the social queue out of them). A folder
//! added here is layered, hashed, watched and protected at once.

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
