//! A post's social card: the theme's `card.svg` rendered with the post's view and its title set
//! to fit, then rasterised with the theme's fonts (kept in the image cache by its SVG text).

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use crate::error::Diagnostic;
use crate::images::cache::{Derived, ImageCache};
use crate::images::card;
use crate::render::inputs::{Fonts, Shown};
use crate::render::views::PostView;
use crate::theme::layers::StaticFile;
use crate::theme::templates::{Layers, own};

/// The name of the card template.
pub(crate) const TEMPLATE: &str = "card.svg";

/// The theme's fonts, loaded at the first card.
#[derive(Default)]
pub(crate) struct FontCache(OnceLock<Result<Arc<card::Fonts>, Diagnostic>>);

impl FontCache {
    /// The fonts of `files`, loaded once; a font file that cannot be read is an error naming it.
    fn get(
        &self,
        files: &BTreeMap<String, StaticFile>,
        root: &std::path::Path,
    ) -> Result<Arc<card::Fonts>, Diagnostic> {
        self.0
            .get_or_init(|| {
                let mut data: Vec<Vec<u8>> = Vec::new();
                for file in files.values() {
                    data.push(match file {
                        StaticFile::Embedded(bytes) => bytes.to_vec(),
                        StaticFile::File(abs) => std::fs::read(abs).map_err(|e| {
                            Diagnostic::io(&crate::error::relative(root, abs), "read", &e)
                        })?,
                    });
                }
                Ok(card::fonts(data.iter().map(Vec::as_slice)))
            })
            .clone()
    }
}

/// What identifies the fonts from one run to the next: names and sizes, and for files of the
/// site their modification time (embedded fonts change only with the binary's version).
fn font_identity(files: &BTreeMap<String, StaticFile>) -> u64 {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    for (name, file) in files {
        name.hash(&mut h);
        match file {
            StaticFile::Embedded(bytes) => bytes.len().hash(&mut h),
            StaticFile::File(abs) => {
                let meta = std::fs::metadata(abs).ok();
                meta.as_ref().map(std::fs::Metadata::len).hash(&mut h);
                meta.and_then(|m| m.modified().ok()).hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The label a card shows above the title: the post's first theme, else its first tag.
fn label(post: &crate::load::post::Post) -> &str {
    ["themes", "tags"]
        .iter()
        .find_map(|key| post.taxonomies.get(*key)?.first())
        .map_or("", String::as_str)
}

/// `card` in `card.svg`: the title set to fit, and what stands around it.
#[derive(serde::Serialize)]
struct CardView<'a> {
    /// The title, wrapped.
    title_lines: Vec<String>,
    /// Its font size.
    title_size: u32,
    /// The post's first theme, else its first tag.
    label: &'a str,
    /// Width in pixels.
    width: u32,
    /// Height in pixels.
    height: u32,
    /// Where the cover photo is, when the post has one.
    cover: Option<&'static str>,
}

/// The context of `card.svg` besides the shared variables.
#[derive(serde::Serialize)]
struct CardContext<'a> {
    /// The title and what stands around it.
    card: CardView<'a>,
    /// The post's view.
    page: &'a PostView,
}

/// The image of `shown`'s card (see [`card::rasterize`]), the template rendered in `ctx` (the
/// shared context, whose `card` and `page` it replaces) only when the cache does not hold it
/// under its inputs.
/// `shared` is what every card reads alike (see [`Shared`]).
pub(crate) fn draw<'b>(
    (layers, base): (&mut Layers<'b>, &'b tera::Context),
    (templates, shared): (&crate::theme::templates::Templates, &Shared),
    shown: &Shown<'_>,
    fonts: &Fonts<'_>,
    cache: &FontCache,
    (config, images): (&crate::load::config::Config, &ImageCache),
    path: &str,
) -> Result<Derived, Diagnostic> {
    let post = shown.post();
    let cover = post.image_file.as_deref().zip(post.image_size);
    let cover_error = |file: &std::path::Path, why: crate::images::ImageError| {
        Diagnostic::input(format!("this post's cover is {why}"))
            .at(crate::error::relative(&config.root, file))
    };
    let cover_digest = match cover {
        Some((file, _)) => Some(
            images
                .source_digest(file)
                .map_err(|why| cover_error(file, why))?,
        ),
        None => None,
    };
    // A card is known by its declared inputs, so one already drawn costs no rendering; and by
    // its drawing, so that the preview (whose addresses differ) finds what the build drew.
    let ext = card::extension(cover.is_some());
    let key = ("card", shared.context, shown, shared.fonts, cover_digest);
    if let Some(hit) = images.lookup(&key, ext) {
        return Ok(hit);
    }
    let svg = svg((layers, base), templates, shown, cover.is_some(), path)?;
    let drawing = ("card", svg.as_str(), shared.fonts, cover_digest);
    let made = images.derived(&drawing, ext, || {
        let db = cache
            .get(fonts.0, &config.root)
            .map_err(|d| crate::images::ImageError::Drawing(d.to_string()))?;
        let cover = match cover {
            Some((file, shown)) => {
                let format = crate::images::source_format(&file.to_string_lossy())
                    .unwrap_or(crate::images::Format::Png);
                let bytes = images
                    .variant(file, card::cover_width(shown), format, None)
                    .and_then(|d| {
                        d.into_bytes()
                            .map_err(crate::images::ImageError::Unreadable)
                    })
                    .map_err(|why| crate::images::ImageError::Cover(Box::new(why)))?;
                Some((bytes, format))
            }
            None => None,
        };
        card::rasterize(&svg, &db, cover)
    });
    if let Ok(made) = &made {
        images.alias(&key, ext, made);
    }
    made.map_err(|why| {
        Diagnostic::input(format!("the card of this post cannot be drawn: {why}"))
            .at(&shown.post().source)
            .hint("check the theme's card.svg template")
    })
}

/// The SVG text of `shown`'s card: the theme's template rendered in `ctx` with the post's view
/// as `page` and its title set to fit beside the cover or alone.
fn svg<'b>(
    (layers, base): (&mut Layers<'b>, &'b tera::Context),
    templates: &crate::theme::templates::Templates,
    shown: &Shown<'_>,
    with_cover: bool,
    path: &str,
) -> Result<String, Diagnostic> {
    let width = if with_cover {
        card::BOX_BESIDE_COVER
    } else {
        card::BOX
    };
    // Its apostrophes curled as on the post's page; `layout` keeps French spaces from breaking.
    let title = crate::body::typography::typeset(&shown.post().title, false);
    let set = card::layout(&title, width);
    let context = CardContext {
        card: CardView {
            title_lines: set.lines,
            title_size: set.size,
            label: label(shown.post()),
            width: card::WIDTH,
            height: card::HEIGHT,
            cover: with_cover.then_some(card::COVER_HREF),
        },
        page: shown.view(),
    };
    layers.render(base, own(&context), |ctx| {
        templates.render(TEMPLATE, ctx, path)
    })
}

/// What every card reads alike, as digests made once a build.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shared {
    /// The theme's templates (a card's template may include others) and the shared context
    /// (`site`, `t`, `lang`).
    context: u64,
    /// The fonts cards are drawn with (see [`font_identity`]).
    fonts: u64,
}

impl Shared {
    /// The digests of `theme` and the shared context `base`.
    pub(crate) fn new(theme: &crate::theme::layers::Theme, base_digest: u64) -> Shared {
        let mut h = DefaultHasher::new();
        for (name, source) in &theme.templates {
            (name, &source.text).hash(&mut h);
        }
        base_digest.hash(&mut h);
        Shared {
            context: h.finish(),
            fonts: font_identity(&theme.fonts),
        }
    }
}
