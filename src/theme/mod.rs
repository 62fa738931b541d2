//! Theme: the templates, static files and UI strings that give the site its look.
//!
//! In: the configuration (which theme, the site's own overrides). Out: a [`layers::Theme`] (the
//! embedded default theme, the site's theme folder and its overrides, file by file) and its
//! compiled [`templates::Templates`].

pub(crate) mod guard;
pub(crate) mod layers;
pub(crate) mod templates;

use crate::error::Result;
use crate::load::config::Config;

/// The site's theme and its compiled templates.
pub(crate) fn compile(config: &Config) -> Result<(layers::Theme, templates::Templates)> {
    let theme = layers::Theme::load(config)?;
    let templates = templates::Templates::compile(&theme, config)?;
    Ok((theme, templates))
}
