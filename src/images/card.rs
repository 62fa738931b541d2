//! Social cards: an SVG drawn from the theme's `card.svg` template, rasterised to a PNG with
//! the theme's own fonts, so a card looks the same on every machine.

use std::rc::Rc;
use std::sync::Arc;

use super::palette::Indexed;

/// Width of a card, the size social networks show large.
pub(crate) const WIDTH: u32 = 1200;
/// Height of a card.
pub(crate) const HEIGHT: u32 = 630;

/// The fonts cards are drawn with, and the glyphs of them cards have set so far.
pub(crate) struct Fonts {
    /// Every font file of the theme.
    db: Arc<resvg::usvg::fontdb::Database>,
    /// Glyphs rasterised for earlier cards.
    glyphs: super::glyphs::GlyphCache,
    /// The shaping tables of the faces cards have set text in.
    shapers: super::plain_text::Shapers,
}

/// The fonts cards are drawn with: every font file of the theme, loaded once.
pub(crate) fn fonts<'a>(files: impl IntoIterator<Item = &'a [u8]>) -> Arc<Fonts> {
    let mut db = resvg::usvg::fontdb::Database::new();
    for bytes in files {
        db.load_font_data(bytes.to_vec());
    }
    Arc::new(Fonts {
        db: Arc::new(db),
        glyphs: super::glyphs::GlyphCache::default(),
        shapers: super::plain_text::Shapers::default(),
    })
}

/// What a card's `<image href="cover">` shows: a post's cover, oriented and resized.
pub(crate) const COVER_HREF: &str = "cover";

/// JPEG quality of a card with a photo: its text stays crisp at a tenth of the PNG's size.
const JPEG_QUALITY: u8 = 88;

/// The width a cover of `size` (as shown) is drawn from: as tall as the card, and at least as
/// wide as the room beside the title, so the card shows it at about its own scale (scaling a
/// larger photo down costs more than the rest of the card); never wider than it is.
pub(crate) fn cover_width((width, height): (u32, u32)) -> u32 {
    let as_tall = (u64::from(HEIGHT) * u64::from(width)).div_ceil(u64::from(height.max(1)));
    let wanted = u32::try_from(as_tall)
        .unwrap_or(u32::MAX)
        .max(WIDTH - BOX_BESIDE_COVER);
    wanted.min(width).max(1)
}

/// The file extension of a card: `jpg` when it shows a photo, else `png`.
pub(crate) fn extension(with_cover: bool) -> &'static str {
    if with_cover { "jpg" } else { "png" }
}

/// The longest side a card may declare, in pixels: twice the size social networks show.
pub(crate) const MAX_SIDE: u32 = 2400;

/// A card from its SVG text, its `cover` image drawn where the SVG places [`COVER_HREF`]: a
/// JPEG when there is a cover, else a PNG (see [`extension`]); the SVG's own size is kept.
pub(crate) fn rasterize(
    svg: &str,
    fonts: &Fonts,
    cover: Option<(Vec<u8>, super::Format)>,
) -> Result<Vec<u8>, super::ImageError> {
    let with_cover = cover.is_some();
    use resvg::usvg::{ImageHrefResolver, ImageKind};
    let cover = cover.map(|(bytes, format)| {
        let bytes = Arc::new(bytes);
        move || match format {
            super::Format::Png => ImageKind::PNG(Arc::clone(&bytes)),
            super::Format::Jpeg => ImageKind::JPEG(Arc::clone(&bytes)),
            super::Format::Webp => ImageKind::WEBP(Arc::clone(&bytes)),
        }
    });
    let options = resvg::usvg::Options {
        fontdb: Arc::clone(&fonts.db),
        // Only the cover: a card never reads a file or an address its template names.
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(move |href, _| {
                cover
                    .as_ref()
                    .filter(|_| href == COVER_HREF)
                    .map(|kind| kind())
            }),
        },
        ..resvg::usvg::Options::default()
    };
    let parse = |svg: &str| {
        resvg::usvg::Tree::from_str(svg, &options)
            .map_err(|e| super::ImageError::Drawing(format!("not valid SVG ({e})")))
    };
    let is_plain_face = |face| fonts.glyphs.is_plain_face(&fonts.db, face);
    let laid_out = super::plain_text::extract(svg, &fonts.db, &fonts.shapers, &is_plain_face);
    let (tree, texts) = match &laid_out {
        // Without a cover, what is left of a card once its texts are taken out is the same for
        // every card of the template: parsed once per thread.
        Some((rest, texts)) if !with_cover => (backdrop(rest, &fonts.db, parse)?, texts.as_slice()),
        Some((rest, texts)) => (Rc::new(parse(rest)?), texts.as_slice()),
        None => (Rc::new(parse(svg)?), &[][..]),
    };
    let size = tree.size().to_int_size();
    // A card is shown at 1,200 × 630; a template declaring a million pixels a side would
    // allocate gigabytes.
    if size.width() > MAX_SIDE || size.height() > MAX_SIDE {
        return Err(super::ImageError::Drawing(format!(
            "{} × {} pixels, as its card.svg declares: at most {MAX_SIDE} a side",
            size.width(),
            size.height()
        )));
    }
    // A card of flat colours and plain text is drawn straight into palette indices.
    if !with_cover {
        let mut canvas = super::palette::Canvas::new(size.width(), size.height());
        if fonts.glyphs.render_laid_out(&tree, texts, &mut canvas) {
            return palette_png(size.width(), size.height(), canvas.finish());
        }
    }
    // Each thread draws its cards on one canvas: a new one would cost its pages' faults and
    // zeroing every card. `render` clears it, or covers it whole.
    let mut canvas = CANVAS.with(std::cell::RefCell::take);
    canvas.resize(size.width() as usize * size.height() as usize * 4, 0);
    let mut pixmap = resvg::tiny_skia::Pixmap::from_vec(canvas, size)
        .ok_or_else(|| super::ImageError::Drawing("an SVG without a size".to_string()))?;
    if !fonts.glyphs.render_laid_out(&tree, texts, &mut pixmap) {
        // Drawn whole by resvg, the texts laid out here back in their places.
        let whole = if texts.is_empty() {
            tree
        } else {
            Rc::new(parse(svg)?)
        };
        pixmap.fill(resvg::tiny_skia::Color::TRANSPARENT);
        resvg::render(
            &whole,
            resvg::tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
    }
    let encoded = encode(&pixmap, with_cover);
    CANVAS.with(|canvas| canvas.replace(pixmap.take()));
    encoded
}

/// The drawing `rest` (a card without its texts and cover) as parsed by `parse`, parsed once
/// a thread for the fonts `db`.
fn backdrop(
    rest: &str,
    db: &Arc<resvg::usvg::fontdb::Database>,
    parse: impl FnOnce(&str) -> Result<resvg::usvg::Tree, super::ImageError>,
) -> Result<Rc<resvg::usvg::Tree>, super::ImageError> {
    let known = BACKDROPS.with_borrow(|kept| {
        kept.iter()
            .find(|(text, fonts, _)| text == rest && Arc::ptr_eq(fonts, db))
            .map(|(_, _, tree)| Rc::clone(tree))
    });
    if let Some(tree) = known {
        return Ok(tree);
    }
    let tree = Rc::new(parse(rest)?);
    BACKDROPS.with_borrow_mut(|kept| {
        // Another theme's fonts go with their backdrops. A template's cards differ by their
        // number of title lines and its size: a handful.
        kept.retain(|(_, fonts, _)| Arc::ptr_eq(fonts, db));
        if kept.len() == MAX_BACKDROPS {
            kept.remove(0);
        }
        kept.push((rest.to_string(), Arc::clone(db), Rc::clone(&tree)));
    });
    Ok(tree)
}

/// The most backdrops a thread keeps.
const MAX_BACKDROPS: usize = 16;

/// A backdrop: its SVG, the fonts it was parsed with, and the tree.
type Backdrop = (
    String,
    Arc<resvg::usvg::fontdb::Database>,
    Rc<resvg::usvg::Tree>,
);

thread_local! {
    /// The backdrops this thread parsed last (see [`backdrop`]).
    static BACKDROPS: std::cell::RefCell<Vec<Backdrop>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// The pixels of the last card this thread drew, reused for the next.
    static CANVAS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A drawn card as a JPEG when it shows a photo, else as a PNG: with a palette when it has at
/// most 256 colours, as a card of flat colours and anti-aliased text has (about 90), which
/// keeps every pixel exact at half the bytes of a true-colour PNG; otherwise in true colour,
/// without its alpha channel when it is opaque.
fn encode(pixmap: &resvg::tiny_skia::Pixmap, photo: bool) -> Result<Vec<u8>, super::ImageError> {
    let failed = |format: &'static str, why: String| super::ImageError::Encode { format, why };
    if photo {
        // A JPEG has no transparency: a see-through card gets the colours tiny-skia drew, on black.
        let rgb = image::RgbImage::from_raw(pixmap.width(), pixmap.height(), rgb(pixmap))
            .ok_or_else(|| failed("JPEG", "a card of the wrong size".to_string()))?;
        return super::jpeg(&rgb, JPEG_QUALITY);
    }
    if let Some(indexed) = Indexed::of(pixmap) {
        return palette_png(pixmap.width(), pixmap.height(), indexed);
    }
    if pixmap.pixels().iter().all(|p| p.alpha() == 255) {
        return rgb_png((pixmap.width(), pixmap.height()), &rgb(pixmap));
    }
    // tiny-skia keeps colours premultiplied by alpha; its own encoder writes them straight.
    pixmap
        .encode_png()
        .map_err(|e| failed("PNG", e.to_string()))
}

/// A PNG of `indexed`, compressed for a card (see [`super::deflate`]), whose buffer then goes
/// back to the thread.
fn palette_png(width: u32, height: u32, indexed: Indexed) -> Result<Vec<u8>, super::ImageError> {
    let pixels = super::deflate::zlib(&indexed.scanlines, width as usize + 1);
    let mut out = Vec::with_capacity(pixels.len() + 1024);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(indexed.palette.rgb.as_slice());
    if let Some(alpha) = &indexed.palette.alpha {
        encoder.set_trns(alpha.as_slice());
    }
    let written = encoder.write_header().and_then(|mut writer| {
        writer.write_chunk(png::chunk::IDAT, &pixels)?;
        writer.finish()
    });
    indexed.recycle();
    written.map_err(|e| super::ImageError::Encode {
        format: "PNG",
        why: e.to_string(),
    })?;
    Ok(out)
}

/// A PNG of `pixels`, RGB at eight bits a channel.
fn rgb_png((width, height): (u32, u32), pixels: &[u8]) -> Result<Vec<u8>, super::ImageError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // The fastest compression, each row as its difference from the row above: a card of many
    // colours (a gradient, a photo behind the title) is still drawn on every first build.
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Up);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(pixels))
        .map_err(|e| super::ImageError::Encode {
            format: "PNG",
            why: e.to_string(),
        })?;
    Ok(out)
}

/// The pixels of `pixmap` as RGB bytes, alpha dropped (their premultiplied colours).
fn rgb(pixmap: &resvg::tiny_skia::Pixmap) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    for pixel in pixmap.data().chunks_exact(4) {
        out.extend_from_slice(&pixel[..3]);
    }
    out
}

/// A title set for a card: its lines and their font size in pixels.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct TitleLayout {
    /// The lines, in order.
    pub(crate) lines: Vec<String>,
    /// Font size in pixels.
    pub(crate) size: u32,
}

/// Sizes tried for a title, largest first, with the most lines each allows.
const SIZES: [(u32, usize); 5] = [(84, 2), (72, 3), (60, 3), (52, 4), (44, 5)];

/// Width of the title's box, in pixels: the card's width but its margins.
pub(crate) const BOX: u32 = 1040;

/// Width of the title's box beside a cover, which takes the right of the card.
pub(crate) const BOX_BESIDE_COVER: u32 = 560;

/// Average advance of a character, in ems, of a serif title face: enough to wrap without
/// measuring glyphs, erring on the narrow side of the box.
const EM_PER_CHAR: f32 = 0.47;

/// Sets `title` in the largest size at which it fits a box `width` pixels wide, wrapping at spaces (a French
/// title keeps its non-breaking spaces before `:;!?»`); at the smallest size, lines past the
/// last end with an ellipsis.
pub(crate) fn layout(title: &str, width: u32) -> TitleLayout {
    let mut title = title.replace("« ", "«\u{a0}");
    for mark in [":", ";", "!", "?", "»"] {
        title = title.replace(&format!(" {mark}"), &format!("\u{a0}{mark}"));
    }
    let words: Vec<&str> = title.split(' ').filter(|w| !w.is_empty()).collect();
    for (k, &(size, most)) in SIZES.iter().enumerate() {
        let per_line = (width as f32 / (size as f32 * EM_PER_CHAR)) as usize;
        let mut lines = wrap(&words, per_line);
        if lines.len() <= most {
            return TitleLayout { lines, size };
        }
        if k == SIZES.len() - 1 {
            lines.truncate(most);
            if let Some(last) = lines.last_mut() {
                *last = last.chars().take(per_line.saturating_sub(1)).collect();
                last.push('…');
            }
            return TitleLayout { lines, size };
        }
    }
    unreachable!("the last size always returns")
}

/// Greedy wrapping of words into lines of at most `per_line` characters; a word longer than a
/// line is cut into lines of its own. Linear in the title's length, however it is made.
fn wrap(words: &[&str], per_line: usize) -> Vec<String> {
    let per_line = per_line.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut count = 0;
    for word in words {
        let length = word.chars().count();
        if length > per_line {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let chars: Vec<char> = word.chars().collect();
            let mut pieces = chars.chunks(per_line).map(|c| c.iter().collect::<String>());
            let last = pieces.next_back().unwrap_or_default();
            lines.extend(pieces);
            count = last.chars().count();
            line = last;
            continue;
        }
        if !line.is_empty() && count + 1 + length > per_line {
            lines.push(std::mem::take(&mut line));
            count = 0;
        }
        if !line.is_empty() {
            line.push(' ');
            count += 1;
        }
        line.push_str(word);
        count += length;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_of_one_huge_word_is_cut_and_set_at_once() {
        for title in ["a".repeat(300_000), "日".repeat(300_000)] {
            let set = layout(&title, BOX);
            assert_eq!(set.size, 44);
            assert_eq!(set.lines.len(), 5);
            assert!(
                set.lines.iter().all(|l| l.chars().count() <= 51),
                "{:?}",
                set.lines[0].len()
            );
            assert!(set.lines[4].ends_with('…'));
        }
    }

    #[test]
    fn short_titles_are_large_and_long_ones_shrink() {
        let short = layout("Le port", BOX);
        assert_eq!(short.lines, vec!["Le port"]);
        assert_eq!(short.size, 84);
        let long = layout(
            "Pourquoi les rédactions françaises réapprennent, une à une, à écrire pour \
             des lecteurs qui ne cliquent plus : enquête sur un métier qui change",
            BOX,
        );
        assert!(long.size < 84 && long.lines.len() > 2, "{long:?}");
        let endless = layout(&"mot ".repeat(200), BOX);
        assert_eq!(endless.lines.len(), 5);
        assert!(endless.lines[4].ends_with('…'));
    }

    #[test]
    fn the_default_card_text_passes_the_contrast_check() {
        let svg = include_str!("../../themes/default/templates/card.svg");
        let fill = |tag: &str| {
            let at = tag.find("fill=\"").unwrap() + 6;
            tag[at..at + 7].to_string()
        };
        let background = fill(&svg[svg.find("<rect").unwrap()..]);
        let mut checked = 0;
        for tag in svg
            .split('<')
            .filter(|t| t.starts_with("g ") || t.starts_with("text "))
        {
            if tag.contains("fill=\"") {
                let ratio = crate::testing::contrast_ratio(&fill(tag), &background);
                assert!(ratio >= 4.5, "{tag}: {ratio:.2}");
                checked += 1;
            }
        }
        assert!(checked >= 3);
    }

    #[test]
    fn covers_are_drawn_from_a_copy_about_the_card_s_height() {
        assert_eq!(cover_width((2400, 1600)), 945);
        assert_eq!(cover_width((1000, 3000)), 640, "wide enough for its room");
        assert_eq!(cover_width((300, 200)), 300, "never wider than the photo");
    }

    /// The pixels of the PNG `bytes`, straight RGBA.
    fn decoded(bytes: &[u8]) -> image::RgbaImage {
        image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
            .unwrap()
            .to_rgba8()
    }

    /// The colour type of the PNG `bytes`.
    fn color_type(bytes: &[u8]) -> png::ColorType {
        png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap()
            .info()
            .color_type
    }

    /// `svg` drawn by tiny-skia, straight RGBA.
    fn drawn(svg: &str) -> (resvg::tiny_skia::Pixmap, image::RgbaImage) {
        let options = resvg::usvg::Options::default();
        let tree = resvg::usvg::Tree::from_str(svg, &options).unwrap();
        let size = tree.size().to_int_size();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(&tree, Default::default(), &mut pixmap.as_mut());
        let straight: Vec<u8> = pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        let image = image::RgbaImage::from_raw(size.width(), size.height(), straight).unwrap();
        (pixmap, image)
    }

    #[test]
    fn a_card_of_few_colours_gets_a_palette_and_keeps_every_pixel() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="160"><rect width="300" height="160" fill="#fbf9f4"/><circle cx="80" cy="80" r="50" fill="#9e2a1c"/><rect x="150" y="20" width="100" height="3" fill="#1d1b18"/></svg>"##;
        let (pixmap, expected) = drawn(svg);
        let png = encode(&pixmap, false).unwrap();
        assert_eq!(color_type(&png), png::ColorType::Indexed);
        assert_eq!(decoded(&png), expected);
    }

    #[test]
    fn palette_cards_of_any_width_one_after_another_keep_every_pixel() {
        // Widths that are not a multiple of four, colours that change inside four pixels, and
        // a smaller card after a larger one on the same thread.
        for (width, height) in [(301, 50), (77, 13), (6, 3)] {
            let svg = format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"><rect width="{width}" height="{height}" fill="#fbf9f4"/><rect x="1" width="1" height="{height}" fill="#9e2a1c"/><rect x="{}" y="1" width="3" height="1" fill="#1d1b18"/><circle cx="{}" cy="{}" r="{}" fill="#4a433c"/></svg>"##,
                width - 3,
                width / 2,
                height / 2,
                height / 3
            );
            let (pixmap, expected) = drawn(&svg);
            let png = encode(&pixmap, false).unwrap();
            let info = color_type(&png);
            assert_eq!(info, png::ColorType::Indexed, "{svg}");
            assert_eq!(decoded(&png), expected, "{svg}");
        }
    }

    #[test]
    fn a_card_of_many_colours_or_see_through_is_exact_too() {
        let gradient = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff" stop-opacity="0.5"/></linearGradient></defs><rect width="600" height="40" fill="url(#g)"/></svg>"##;
        let translucent = r##"<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40"><circle cx="20" cy="20" r="15" fill="#9e2a1c" fill-opacity="0.5"/></svg>"##;
        let opaque_gradient = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#f80"/></linearGradient></defs><rect width="600" height="40" fill="url(#g)"/></svg>"##;
        for (svg, color) in [
            (gradient, png::ColorType::Rgba),
            (translucent, png::ColorType::Indexed),
            (opaque_gradient, png::ColorType::Rgb),
        ] {
            let (pixmap, expected) = drawn(svg);
            let png = encode(&pixmap, false).unwrap();
            let info = color_type(&png);
            assert_eq!(info, color, "{svg}");
            assert_eq!(decoded(&png), expected, "{svg}");
        }
    }

    /// The theme's fonts, as a build loads them.
    fn theme_fonts() -> Arc<Fonts> {
        let files = ["EBGaramond12-Regular.otf", "Inter-Regular.otf"]
            .map(|name| format!("{}/themes/default/fonts/{name}", env!("CARGO_MANIFEST_DIR")))
            .map(|file| std::fs::read(file).unwrap());
        fonts(files.iter().map(Vec::as_slice))
    }

    /// `svg` drawn in colour, text stamped from `fonts`' glyphs, straight RGBA.
    fn drawn_in_colour(svg: &str, fonts: &Fonts) -> image::RgbaImage {
        let options = resvg::usvg::Options {
            fontdb: Arc::clone(&fonts.db),
            ..resvg::usvg::Options::default()
        };
        let tree = resvg::usvg::Tree::from_str(svg, &options).unwrap();
        let size = tree.size().to_int_size();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        fonts.glyphs.render(&tree, &mut pixmap);
        decoded(&pixmap.encode_png().unwrap())
    }

    #[test]
    fn a_card_drawn_into_its_palette_has_the_pixels_of_one_drawn_in_colour() {
        let fonts = theme_fonts();
        let mut context = tera::Context::new();
        context.insert(
            "card",
            &serde_json::json!({
                "title_lines": ["À quoi sert encore", "la démocratie ?"],
                "title_size": 72, "label": "société", "width": 1200, "height": 630,
            }),
        );
        context.insert(
            "page",
            &serde_json::json!({"authors": ["Camille"], "date_display": "12 mars"}),
        );
        context.insert("site", &serde_json::json!({"title": "Le Carnet"}));
        let template = include_str!("../../themes/default/templates/card.svg");
        let svg = tera::Tera::one_off(template, &context, true).unwrap();
        for _ in 0..2 {
            let png = rasterize(&svg, &fonts, None).unwrap();
            assert_eq!(color_type(&png), png::ColorType::Indexed);
            assert_eq!(decoded(&png), drawn_in_colour(&svg, &fonts));
        }
        // What the palette cannot hold is drawn in colour, alike.
        let translucent = svg.replace("fill=\"#1d1b18\"", "fill=\"#1d1b18\" fill-opacity=\"0.7\"");
        let gradient = svg.replacen(
            "<rect width=\"1200\" height=\"630\" fill=\"#fbf9f4\"/>",
            "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#000\"/><stop offset=\"1\" stop-color=\"#f80\"/></linearGradient></defs><rect width=\"1200\" height=\"630\" fill=\"url(#g)\"/>",
            1,
        );
        assert_ne!(gradient, svg);
        // A thread keeps what it parsed of a card without its texts: another background is
        // another drawing, and the first card comes back alike after it.
        let dark = svg.replacen("fill=\"#fbf9f4\"", "fill=\"#171614\"", 1);
        for other in [translucent, gradient, dark, svg.clone()] {
            let png = rasterize(&other, &fonts, None).unwrap();
            assert_eq!(decoded(&png), drawn_in_colour(&other, &fonts));
        }
    }

    #[test]
    fn a_card_takes_about_half_the_bytes_of_the_fastest_general_compression() {
        let fonts = theme_fonts();
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#fbf9f4"/><rect width="1200" height="12" fill="#9c2b1f"/><text x="80" y="100" font-family="Inter" font-size="26" fill="#9c2b1f">SOCIÉTÉ</text><text x="80" y="240" font-family="EB Garamond" font-size="72" fill="#1d1b18">À quoi sert encore</text><text x="80" y="330" font-family="EB Garamond" font-size="72" fill="#1d1b18">la démocratie ?</text><rect x="80" y="520" width="1040" height="2" fill="#d8d4c8"/><text x="80" y="570" font-family="Inter" font-size="26" fill="#4a4640">Le Carnet</text></svg>"##;
        let png = rasterize(svg, &fonts, None).unwrap();
        assert_eq!(color_type(&png), png::ColorType::Indexed);
        // The same indices and palette through the png crate's fastest compression, whose
        // fixed code wants rows filtered as differences.
        let mut reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        let palette = reader.info().palette.clone().unwrap().into_owned();
        let mut indices = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut indices).unwrap();
        let mut general = Vec::new();
        let mut encoder = png::Encoder::new(&mut general, 1200, 630);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(palette);
        encoder.set_compression(png::Compression::Fast);
        encoder.set_filter(png::Filter::Up);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&indices).unwrap();
        writer.finish().unwrap();
        assert!(
            png.len() * 10 < general.len() * 6,
            "{} bytes against {}",
            png.len(),
            general.len()
        );
    }

    #[test]
    fn a_card_past_256_colours_is_drawn_in_colour_alike() {
        let fonts = theme_fonts();
        // `count` bars side by side, each `width` pixels wide and of its own colour.
        let bars = |count: u32, width: u32| -> String {
            (0..count)
                .map(|i| {
                    let color = i * (0x00ff_ffff / count);
                    format!(
                        r##"<rect x="{}" width="{width}" height="630" fill="#{color:06x}"/>"##,
                        i * width
                    )
                })
                .collect()
        };
        let title = r##"<text x="20" y="300" font-family="EB Garamond" font-size="120" fill="#fbf9f4">Étés indiens</text>"##;
        // Three hundred bars: the palette fills before the last is set. Two hundred, and a
        // title over them: its edges blend into more colours than fit.
        for shapes in [bars(300, 4), bars(200, 6) + title] {
            let svg = format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">{shapes}</svg>"##
            );
            let png = rasterize(&svg, &fonts, None).unwrap();
            assert_eq!(color_type(&png), png::ColorType::Rgb);
            assert_eq!(decoded(&png), drawn_in_colour(&svg, &fonts));
        }
    }

    #[test]
    fn draws_a_png_of_the_svg_size() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="63"><rect width="120" height="63" fill="#123"/><text x="4" y="30" font-size="20">Été</text></svg>"##;
        let png = rasterize(svg, &fonts([]), None).unwrap();
        let image = image::load_from_memory(&png).unwrap();
        assert_eq!((image.width(), image.height()), (120, 63));
        assert!(rasterize("<svg", &fonts([]), None).is_err());
    }
}
