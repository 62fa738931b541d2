//! Drawing a card's text from glyphs rasterised once: each glyph of the theme's fonts, at each
//! size and quarter-pixel position a card sets it, becomes a coverage mask kept for the whole
//! build, so the thousandth card stamps its title's glyphs instead of filling their outlines
//! again. Text this cannot draw alike (strokes, gradients, decorations, colour fonts, turned or
//! skewed glyphs) and every other node is drawn by resvg, in the document's order.

use std::sync::{Arc, Mutex};

use resvg::tiny_skia::{
    self, FillRule, Mask, PathBuilder, Pixmap, PremultipliedColorU8, Transform,
};
use resvg::usvg::{self, fontdb};
use skrifa::MetadataProvider;
use skrifa::raw::TableProvider;

use super::plain_text::{LaidOut, marker_index};
use crate::hash::QuickMap;

/// Steps of a glyph's position within a pixel, on each axis: a quarter of a pixel moves a
/// glyph less than the eye can tell at a card's sizes, and keeps 16 masks per glyph and size.
const STEPS: f32 = 4.0;

/// The most bytes of masks kept: far more than a theme's few faces and sizes need, and a bound
/// for templates that set text at every size.
const MAX_BYTES: usize = 64 << 20;

/// The longest side of a glyph rasterised, in pixels: past the largest card a template may
/// declare, a glyph is no glyph a card shows whole.
const MAX_GLYPH_SIDE: u32 = 4096;

/// Glyph masks and outlines, shared by the cards of a build.
#[derive(Default)]
pub(crate) struct GlyphCache {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// A glyph's outline, in font units, by face and glyph; `None` when it has none.
    outlines: QuickMap<(fontdb::ID, u16), Option<tiny_skia::Path>>,
    /// Whether a face can be drawn from outlines alone (no colour or bitmap glyphs, no axes).
    plain_faces: QuickMap<fontdb::ID, bool>,
    /// A glyph's mask by face, glyph, scale, quarter-pixel position and fill rule: looked up
    /// for every glyph of every card.
    masks: QuickMap<MaskKey, Option<Arc<GlyphMask>>>,
    /// Bytes held by `masks`.
    bytes: usize,
}

type MaskKey = (fontdb::ID, u16, [u32; 2], [u8; 2], bool);

/// A glyph's coverage, placed relative to the pixel its origin falls in.
struct GlyphMask {
    left: i32,
    top: i32,
    mask: Mask,
}

impl GlyphCache {
    /// Draws `tree` onto `pixmap`, whatever it held, as resvg would onto a clear one, its plain
    /// text stamped from cached glyphs.
    #[cfg(test)]
    pub(crate) fn render(&self, tree: &usvg::Tree, pixmap: &mut Pixmap) {
        if !self.render_laid_out(tree, &[], pixmap) {
            pixmap.fill(tiny_skia::Color::TRANSPARENT);
            resvg::render(tree, Transform::identity(), &mut pixmap.as_mut());
        }
    }

    /// Draws `tree` onto `surface`, whatever it held, as resvg would onto a clear one, its
    /// plain text stamped from cached glyphs, and `texts` where their groups stand (see
    /// [`super::plain_text`]); `false`, the surface half drawn, when part of it cannot be drawn
    /// there.
    pub(crate) fn render_laid_out(
        &self,
        tree: &usvg::Tree,
        texts: &[LaidOut],
        surface: &mut impl Surface,
    ) -> bool {
        let (width, height) = surface.size();
        let first = tree.root().children().first();
        let covered = first
            .and_then(|node| solid(node, Transform::identity(), (width, height)))
            .is_some_and(|solid| solid.pixels == ((0, 0), (width, height)));
        let clear = Solid {
            pixels: ((0, 0), (width, height)),
            color: PremultipliedColorU8::TRANSPARENT,
        };
        (covered || surface.fill_solid(&clear))
            && self.group(tree, tree.root(), Transform::identity(), texts, surface)
    }

    /// Whether `face` can be drawn from its outlines alone (see [`plain_face`]).
    pub(crate) fn is_plain_face(&self, db: &fontdb::Database, face: fontdb::ID) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *state
            .plain_faces
            .entry(face)
            .or_insert_with(|| plain_face(db, face))
    }

    /// Draws `group`'s children with `at`; `false` when one of them cannot be drawn here.
    fn group(
        &self,
        tree: &usvg::Tree,
        group: &usvg::Group,
        at: Transform,
        texts: &[LaidOut],
        surface: &mut impl Surface,
    ) -> bool {
        for node in group.children() {
            if let Some(solid) = solid(node, at, surface.size()) {
                if !surface.fill_solid(&solid) {
                    return false;
                }
                continue;
            }
            let drawn = match node {
                usvg::Node::Group(inner) if let Some(index) = marker_index(inner.id()) => {
                    let at = at.pre_concat(inner.transform());
                    texts
                        .get(index)
                        .is_some_and(|text| self.laid_out(tree, text, at, surface))
                }
                usvg::Node::Group(inner) if !inner.should_isolate() => self.group(
                    tree,
                    inner,
                    at.pre_concat(inner.transform()),
                    texts,
                    surface,
                ),
                usvg::Node::Text(text) if self.text(tree, text, at, surface) => true,
                other => surface.draw_node(other, at),
            };
            if !drawn {
                return false;
            }
        }
        true
    }

    /// Stamps `text` when every span of it is plain; `false`, having drawn nothing, otherwise.
    fn text(
        &self,
        tree: &usvg::Tree,
        text: &usvg::Text,
        at: Transform,
        surface: &mut impl Surface,
    ) -> bool {
        if text.rendering_mode() == usvg::TextRendering::OptimizeSpeed {
            return false;
        }
        let mut stamps = Vec::new();
        for span in text.layouted() {
            let Some(fill) = span.fill.as_ref() else {
                return false;
            };
            let usvg::Paint::Color(color) = fill.paint() else {
                return false;
            };
            let decorated =
                span.underline.is_some() || span.overline.is_some() || span.line_through.is_some();
            // Variations (a weight usvg always names) matter only to variable faces, which
            // are left to usvg.
            if span.stroke.is_some() || decorated {
                return false;
            }
            if !span.visible {
                continue;
            }
            let paint = premultiplied(*color, fill.opacity().get());
            let even_odd = fill.rule() == usvg::FillRule::EvenOdd;
            for glyph in &span.positioned_glyphs {
                let placed = at.pre_concat(glyph.outline_transform());
                if placed.kx != 0.0 || placed.ky != 0.0 {
                    return false;
                }
                let Ok(id) = u16::try_from(glyph.id.0) else {
                    return false;
                };
                match self.mask(tree, glyph.font, id, placed, even_odd) {
                    Some(stamp) => stamps.push((stamp, paint)),
                    None => return false,
                }
            }
        }
        stamps.into_iter().all(|((x, y, mask), paint)| {
            mask.is_none_or(|m| surface.stamp(&m.mask, x + m.left, y + m.top, paint))
        })
    }

    /// Stamps `text`, laid out, with `at`; `false`, having drawn nothing, when a glyph cannot be.
    fn laid_out(
        &self,
        tree: &usvg::Tree,
        text: &LaidOut,
        at: Transform,
        surface: &mut impl Surface,
    ) -> bool {
        let mut stamps = Vec::with_capacity(text.glyphs.len());
        for &(face, id, outline) in text.glyphs.iter() {
            let placed = at.pre_concat(outline);
            if placed.kx != 0.0 || placed.ky != 0.0 {
                return false;
            }
            match self.mask(tree, face, id, placed, false) {
                Some(stamp) => stamps.push(stamp),
                None => return false,
            }
        }
        stamps.into_iter().all(|(x, y, mask)| {
            mask.is_none_or(|m| surface.stamp(&m.mask, x + m.left, y + m.top, text.paint))
        })
    }

    /// The mask of glyph `id` of `face` drawn with `placed`, and the pixel its origin falls in;
    /// `None` when the face cannot be drawn from outlines.
    fn mask(
        &self,
        tree: &usvg::Tree,
        face: fontdb::ID,
        id: u16,
        placed: Transform,
        even_odd: bool,
    ) -> Option<(i32, i32, Option<Arc<GlyphMask>>)> {
        let (x, step_x) = split(placed.tx);
        let (y, step_y) = split(placed.ty);
        let key = (
            face,
            id,
            [placed.sx.to_bits(), placed.sy.to_bits()],
            [step_x, step_y],
            even_odd,
        );
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = state.masks.get(&key) {
            return Some((x, y, found.clone()));
        }
        if !*state
            .plain_faces
            .entry(face)
            .or_insert_with(|| plain_face(tree.fontdb(), face))
        {
            return None;
        }
        let outline = state
            .outlines
            .entry((face, id))
            .or_insert_with(|| outline(tree.fontdb(), face, id))
            .clone();
        // Drawn outside the lock: another card's thread may need a glyph meanwhile.
        drop(state);
        let within = Transform::from_row(
            placed.sx,
            0.0,
            0.0,
            placed.sy,
            f32::from(step_x) / STEPS,
            f32::from(step_y) / STEPS,
        );
        let mask = outline
            .and_then(|path| rasterise(&path, within, even_odd))
            .map(Arc::new);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let size = mask.as_ref().map_or(0, |m| m.mask.data().len());
        if state.bytes + size <= MAX_BYTES {
            state.bytes += size;
            state.masks.insert(key, mask.clone());
        }
        Some((x, y, mask))
    }
}

/// A coordinate as its whole pixel and its quarter-pixel step within it.
fn split(at: f32) -> (i32, u8) {
    let steps = (at * STEPS).round();
    let whole = (steps / STEPS).floor();
    // Casts saturate: a glyph a billion pixels away is simply off the card.
    (whole as i32, (steps - whole * STEPS) as u8)
}

/// A rectangle of one opaque colour whose sides fall between pixels, as drawn.
pub(crate) struct Solid {
    /// The pixels it covers, clipped to the picture: top left corner, and past the bottom
    /// right.
    pub(crate) pixels: ((u32, u32), (u32, u32)),
    /// Its colour.
    pub(crate) color: PremultipliedColorU8,
}

/// `node` drawn with `at` on a picture of `size` when it is a rectangle of one opaque colour
/// (filled, or the stroke of a horizontal or vertical line) whose sides fall between pixels or
/// off the picture, as a card's background, bars and rules are: anti-aliasing leaves its pixels
/// whole, so setting them draws it alike, at the speed of a copy.
fn solid(node: &usvg::Node, at: Transform, (width, height): (u32, u32)) -> Option<Solid> {
    let usvg::Node::Path(path) = node else {
        return None;
    };
    if !path.is_visible() || at.kx != 0.0 || at.ky != 0.0 {
        return None;
    }
    let (color, bounds) = match (path.fill(), path.stroke()) {
        (Some(fill), None) if is_rectangle(path.data()) => (
            opaque_color(fill.paint(), fill.opacity())?,
            path.data().bounds(),
        ),
        // A fill of one segment covers nothing.
        (_, Some(stroke)) => (
            opaque_color(stroke.paint(), stroke.opacity())?,
            stroked_line(path.data(), stroke)?,
        ),
        _ => return None,
    };
    let shown = bounds.transform(at)?;
    // A side on a whole pixel, or off the picture: where it is clipped.
    let side = |at: f32, size: u32| {
        let clipped = at.clamp(0.0, size as f32);
        (clipped == at.round() || clipped != at).then_some(clipped as u32)
    };
    let pixels = (
        (side(shown.left(), width)?, side(shown.top(), height)?),
        (side(shown.right(), width)?, side(shown.bottom(), height)?),
    );
    Some(Solid { pixels, color })
}

/// `paint` at `opacity` when it is one opaque colour.
fn opaque_color(paint: &usvg::Paint, opacity: usvg::Opacity) -> Option<PremultipliedColorU8> {
    match paint {
        usvg::Paint::Color(c) if opacity.get() == 1.0 => {
            PremultipliedColorU8::from_rgba(c.red, c.green, c.blue, 255)
        }
        _ => None,
    }
}

/// The rectangle `stroke` covers along `path` when it is one horizontal or vertical segment
/// with square ends cut flat (`butt`), undashed.
fn stroked_line(path: &tiny_skia::Path, stroke: &usvg::Stroke) -> Option<tiny_skia::Rect> {
    use tiny_skia::PathSegment;
    let flat = stroke.linecap() == usvg::LineCap::Butt && stroke.dasharray().is_none();
    let mut segments = path.segments();
    let (Some(PathSegment::MoveTo(a)), Some(PathSegment::LineTo(b)), None) =
        (segments.next(), segments.next(), segments.next())
    else {
        return None;
    };
    let half = stroke.width().get() / 2.0;
    let (left, right) = (a.x.min(b.x), a.x.max(b.x));
    let (top, bottom) = (a.y.min(b.y), a.y.max(b.y));
    match (flat, a.y == b.y, a.x == b.x) {
        (true, true, false) => tiny_skia::Rect::from_ltrb(left, top - half, right, top + half),
        (true, false, true) => tiny_skia::Rect::from_ltrb(left - half, top, left + half, bottom),
        _ => None,
    }
}

/// Whether `path` is one rectangle drawn along its sides: a move, three or four lines to its
/// other corners, each along an axis, and a close.
fn is_rectangle(path: &tiny_skia::Path) -> bool {
    use tiny_skia::PathSegment;
    let mut corners: Vec<tiny_skia::Point> = Vec::with_capacity(5);
    let mut segments = path.segments();
    let Some(PathSegment::MoveTo(start)) = segments.next() else {
        return false;
    };
    corners.push(start);
    for segment in segments.by_ref() {
        match segment {
            PathSegment::LineTo(p) if corners.len() < 5 => corners.push(p),
            PathSegment::Close => break,
            _ => return false,
        }
    }
    if segments.next().is_some() {
        return false;
    }
    if corners.len() == 5 && corners[4] == corners[0] {
        corners.pop();
    }
    let along_axis = |a: &tiny_skia::Point, b: &tiny_skia::Point| (a.x == b.x) != (a.y == b.y);
    // Four distinct corners joined along the axes can only make a rectangle.
    let distinct = (0..4).all(|i| (i + 1..4).all(|j| corners[i] != corners[j]));
    corners.len() == 4 && distinct && (0..4).all(|i| along_axis(&corners[i], &corners[(i + 1) % 4]))
}

/// Strokes `path`, which has no area, as resvg does; `false` when its stroke is not a colour.
fn line(path: &usvg::Path, at: Transform, pixmap: &mut Pixmap) -> bool {
    let Some(stroke) = path.stroke().filter(|_| path.is_visible()) else {
        return true;
    };
    let usvg::Paint::Color(color) = stroke.paint() else {
        return false;
    };
    let mut paint = tiny_skia::Paint::default();
    paint.set_color_rgba8(color.red, color.green, color.blue, stroke.opacity().to_u8());
    paint.anti_alias = path.rendering_mode().use_shape_antialiasing();
    pixmap.stroke_path(path.data(), &paint, &stroke.to_tiny_skia(), at, None);
    true
}

/// `color` at `opacity`, premultiplied.
fn premultiplied(color: usvg::Color, opacity: f32) -> PremultipliedColorU8 {
    let alpha = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    tiny_skia::ColorU8::from_rgba(color.red, color.green, color.blue, alpha).premultiply()
}

/// Whether every glyph of `face` is an outline: no colour, SVG or bitmap glyphs (which usvg
/// draws otherwise), and no variation axes (whose instances usvg picks by size).
fn plain_face(db: &fontdb::Database, face: fontdb::ID) -> bool {
    db.with_face_data(face, |data, index| {
        let Ok(font) = skrifa::FontRef::from_index(data, index) else {
            return false;
        };
        let coloured = [*b"COLR", *b"SVG ", *b"sbix", *b"CBDT", *b"EBDT"]
            .iter()
            .any(|tag| font.table_data(skrifa::Tag::new(tag)).is_some());
        !coloured && font.fvar().is_err()
    })
    .unwrap_or(false)
}

/// The outline of glyph `id` of `face`, in font units, y up.
fn outline(db: &fontdb::Database, face: fontdb::ID, id: u16) -> Option<tiny_skia::Path> {
    db.with_face_data(face, |data, index| {
        let font = skrifa::FontRef::from_index(data, index).ok()?;
        let glyph = font
            .outline_glyphs()
            .get(skrifa::GlyphId::new(u32::from(id)))?;
        let mut pen = Pen(PathBuilder::new());
        let settings = skrifa::outline::DrawSettings::unhinted(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        glyph.draw(settings, &mut pen).ok()?;
        pen.0.finish()
    })
    .flatten()
}

/// Collects an outline into a path.
struct Pen(PathBuilder);

impl skrifa::outline::OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}

/// The anti-aliased coverage of `path` drawn with `within`, with its offset from the origin.
fn rasterise(path: &tiny_skia::Path, within: Transform, even_odd: bool) -> Option<GlyphMask> {
    let bounds = path.clone().transform(within)?.bounds();
    // A pixel of margin on each side: anti-aliasing reaches into the pixels an edge touches.
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = u32::try_from(bounds.right().ceil() as i32 + 1 - left).ok()?;
    let height = u32::try_from(bounds.bottom().ceil() as i32 + 1 - top).ok()?;
    if width > MAX_GLYPH_SIDE || height > MAX_GLYPH_SIDE {
        return None;
    }
    let mut mask = Mask::new(width, height)?;
    let rule = if even_odd {
        FillRule::EvenOdd
    } else {
        FillRule::Winding
    };
    let shift = within.post_translate(-left as f32, -top as f32);
    mask.fill_path(path, rule, true, shift);
    Some(GlyphMask { left, top, mask })
}

/// What a card is drawn on.
pub(crate) trait Surface {
    /// Width and height, in pixels.
    fn size(&self) -> (u32, u32);

    /// Sets the pixels `solid` covers to its colour; `false` when it cannot.
    fn fill_solid(&mut self, solid: &Solid) -> bool;

    /// Blends `paint` through `mask`, its corner at (`x`, `y`): source over, in premultiplied
    /// colour, as tiny-skia fills a path; `false` when it cannot.
    fn stamp(&mut self, mask: &Mask, x: i32, y: i32, paint: PremultipliedColorU8) -> bool;

    /// Draws `node` with `at` as resvg does; `false` when it cannot.
    fn draw_node(&mut self, node: &usvg::Node, at: Transform) -> bool;
}

impl Surface for Pixmap {
    fn size(&self) -> (u32, u32) {
        (self.width(), self.height())
    }

    fn fill_solid(&mut self, solid: &Solid) -> bool {
        let ((left, top), (right, bottom)) = solid.pixels;
        if solid.pixels == ((0, 0), (self.width(), self.height())) {
            let c = solid.color;
            self.fill(tiny_skia::Color::from_rgba8(
                c.red(),
                c.green(),
                c.blue(),
                c.alpha(),
            ));
            return true;
        }
        let width = self.width() as usize;
        let pixels = self.pixels_mut();
        for y in top..bottom {
            let row = y as usize * width;
            pixels[row + left as usize..row + right.max(left) as usize].fill(solid.color);
        }
        true
    }

    fn stamp(&mut self, mask: &Mask, x: i32, y: i32, paint: PremultipliedColorU8) -> bool {
        stamp(self, mask, x, y, paint);
        true
    }

    fn draw_node(&mut self, node: &usvg::Node, at: Transform) -> bool {
        match node.abs_layer_bounding_box() {
            // resvg draws a node at its bounding box's corner: give the corner back.
            Some(bbox) => {
                let at = at.pre_translate(bbox.x(), bbox.y());
                resvg::render_node(node, at, &mut self.as_mut());
                true
            }
            // A horizontal or vertical line has no area, so resvg draws it only within the
            // whole tree; its stroke, when a colour, is drawn here.
            None => match node {
                usvg::Node::Path(path) => line(path, at, self),
                _ => true,
            },
        }
    }
}

/// Blends `paint` through `mask` onto `pixmap`, the mask's corner at (`x`, `y`): source over,
/// in premultiplied colour, as tiny-skia fills a path.
fn stamp(pixmap: &mut Pixmap, mask: &Mask, x: i32, y: i32, paint: PremultipliedColorU8) {
    let size = (pixmap.width(), pixmap.height());
    let pixels = pixmap.pixels_mut();
    let source = [paint.red(), paint.green(), paint.blue(), paint.alpha()].map(u32::from);
    let opaque = paint.alpha() == 255;
    for (covered, first) in mask_rows(mask, (x, y), size) {
        let under = &mut pixels[first..first + covered.len()];
        for (&c, pixel) in covered.iter().zip(under.iter_mut()) {
            match c {
                0 => {}
                // Most of a glyph's inside: the colour itself.
                255 if opaque => *pixel = paint,
                _ => *pixel = over(source, u32::from(c), *pixel),
            }
        }
    }
}

/// The rows of `mask`, its corner at `(x, y)`, that fall on a picture of `size`: each as the
/// coverage of the pixels it reaches and the index of the first of them in the picture.
pub(crate) fn mask_rows(
    mask: &Mask,
    (x, y): (i32, i32),
    (width, height): (u32, u32),
) -> impl Iterator<Item = (&[u8], usize)> {
    let (width, height) = (width as i32, height as i32);
    let mask_width = mask.width() as i32;
    let from = (-x).clamp(0, mask_width);
    let to = (width - x).clamp(0, mask_width);
    (0..mask.height() as i32).filter_map(move |row| {
        let py = y + row;
        if !(0..height).contains(&py) || from >= to {
            return None;
        }
        let start = (row * mask_width) as usize;
        let covered = &mask.data()[start + from as usize..start + to as usize];
        Some((covered, (py * width + x + from) as usize))
    })
}

/// `source` (premultiplied RGBA) at coverage `c` (0 to 255) over `under`.
pub(crate) fn over(source: [u32; 4], c: u32, under: PremultipliedColorU8) -> PremultipliedColorU8 {
    let s = source.map(|channel| div255(channel * c));
    let keep = 255 - s[3];
    let blend = |s: u32, d: u8| (s + div255(u32::from(d) * keep)).min(255) as u8;
    let a = blend(s[3], under.alpha());
    let out = [
        blend(s[0], under.red()),
        blend(s[1], under.green()),
        blend(s[2], under.blue()),
    ];
    // A premultiplied channel never exceeds alpha; rounding could make it.
    PremultipliedColorU8::from_rgba(out[0].min(a), out[1].min(a), out[2].min(a), a).unwrap_or(under)
}

/// `v / 255`, rounded, for `v` up to 255 × 255.
fn div255(v: u32) -> u32 {
    (v + 128 + ((v + 128) >> 8)) >> 8
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The theme's fonts, as cards get them.
    pub(crate) fn theme_fonts() -> Arc<fontdb::Database> {
        let mut db = fontdb::Database::new();
        for name in ["EBGaramond12-Regular.otf", "Inter-Regular.otf"] {
            let file = format!("{}/themes/default/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
            db.load_font_data(std::fs::read(file).unwrap());
        }
        Arc::new(db)
    }

    /// `svg` drawn by resvg alone, and through `cache`.
    fn both(svg: &str, cache: &GlyphCache) -> (Pixmap, Pixmap) {
        let options = usvg::Options {
            fontdb: theme_fonts(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).unwrap();
        let size = tree.size().to_int_size();
        let mut expected = Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(&tree, Transform::identity(), &mut expected.as_mut());
        let mut stamped = Pixmap::new(size.width(), size.height()).unwrap();
        cache.render(&tree, &mut stamped);
        (expected, stamped)
    }

    const CARD: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
      <rect width="1200" height="630" fill="#fbf9f4"/>
      <g font-family="Inter" fill="#5a5249" font-size="28">
        <text x="80" y="104" fill="#9e2a1c" letter-spacing="2">SOCIÉTÉ</text>
      </g>
      <g font-family="EB Garamond" fill="#1d1b18" font-size="72">
        <text x="80.3" y="230.64">À quoi sert encore la démocratie ?</text>
        <text x="80" y="311.28" fill-opacity="0.6">« Œuvres » complètes, l’été</text>
      </g>
      <line x1="80" y1="520" x2="1120" y2="520" stroke="#d9d2c5" stroke-width="2"/>
      <text x="1120" y="572" font-family="Inter" font-size="28" text-anchor="end">Camille · 12 mars</text>
    </svg>"##;

    #[test]
    fn stamped_text_is_the_text_resvg_draws() {
        let cache = GlyphCache::default();
        let (expected, stamped) = both(CARD, &cache);
        let held = cache.state.lock().unwrap().masks.len();
        assert!(held > 40, "the card's glyphs are kept: {held}");
        // Glyphs move by at most an eighth of a pixel: edges differ a little, nothing moves.
        let channels = || expected.data().iter().zip(stamped.data());
        let worst = channels().map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        let total: u64 = channels().map(|(a, b)| u64::from(a.abs_diff(*b))).sum();
        let mean = total as f64 / expected.data().len() as f64;
        assert!(worst < 100 && mean < 0.5, "worst {worst}, mean {mean}");
        // The second card with these glyphs draws from the masks alone.
        let (_, again) = both(CARD, &cache);
        assert_eq!(again.data(), stamped.data());
        assert_eq!(cache.state.lock().unwrap().masks.len(), held);
    }

    #[test]
    fn a_glyph_a_pixel_off_would_be_seen() {
        let moved = CARD.replace("x=\"80.3\"", "x=\"81.3\"");
        let (expected, _) = both(CARD, &GlyphCache::default());
        let (_, stamped) = both(&moved, &GlyphCache::default());
        let worst = expected
            .data()
            .iter()
            .zip(stamped.data())
            .map(|(a, b)| a.abs_diff(*b))
            .max();
        assert!(worst > Some(100), "{worst:?}");
    }

    #[test]
    fn a_background_is_filled_at_once_and_nothing_of_the_last_card_stays() {
        let cache = GlyphCache::default();
        let backgrounds = [
            r##"<rect width="300" height="80" fill="#fbf9f4"/>"##,
            r##"<path d="M0 0H300V80H0Z" fill="#123456"/>"##,
            r##"<rect x="-10" y="-10" width="400" height="100" fill="#abcdef"/>"##,
            // Not rectangles covering the card: drawn by resvg, the old pixels cleared.
            r##"<path d="M0 0L300 80M0 80L300 0" fill="#123456"/>"##,
            r##"<path d="M0 0H300V80H300Z" fill="#123456"/>"##,
            r##"<rect width="300" height="80" rx="9" fill="#fbf9f4"/>"##,
            r##"<rect width="300" height="80" fill="#fbf9f4" fill-opacity="0.5"/>"##,
            r##"<rect width="299" height="80" fill="#fbf9f4"/>"##,
            r##"<rect width="300" height="80" fill="#fbf9f4" transform="rotate(1)"/>"##,
        ];
        for background in backgrounds {
            let svg = format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80">{background}<text x="10" y="50" font-family="Inter" font-size="30">Été</text></svg>"##
            );
            let options = usvg::Options {
                fontdb: theme_fonts(),
                ..usvg::Options::default()
            };
            let tree = usvg::Tree::from_str(&svg, &options).unwrap();
            let mut expected = Pixmap::new(300, 80).unwrap();
            resvg::render(&tree, Transform::identity(), &mut expected.as_mut());
            let mut reused = Pixmap::new(300, 80).unwrap();
            reused.fill(tiny_skia::Color::from_rgba8(255, 0, 0, 255));
            cache.render(&tree, &mut reused);
            let worst = expected
                .data()
                .iter()
                .zip(reused.data())
                .map(|(a, b)| a.abs_diff(*b))
                .max();
            assert!(worst < Some(100), "{background}: {worst:?}");
        }
    }

    #[test]
    fn bars_and_rules_on_whole_pixels_are_set_as_resvg_fills_them() {
        let cache = GlyphCache::default();
        for shape in [
            r##"<rect width="300" height="14" fill="#9e2a1c"/>"##,
            r##"<rect x="-20" y="70" width="400" height="30" fill="#9e2a1c"/>"##,
            r##"<rect x="10" y="20" width="1" height="1" fill="#9e2a1c"/>"##,
            r##"<g transform="translate(3 4) scale(2)"><rect x="10" y="20" width="7" height="5" fill="#123"/></g>"##,
            r##"<line x1="20" y1="60" x2="280" y2="60" stroke="#d9d2c5" stroke-width="2"/>"##,
            r##"<line x1="150" y1="5" x2="150" y2="75" stroke="#d9d2c5" stroke-width="4"/>"##,
            // Not on whole pixels, or not one flat colour: drawn by resvg.
            r##"<rect x="10.5" y="20" width="30" height="10" fill="#9e2a1c"/>"##,
            r##"<rect x="10" y="20" width="30" height="10.25" fill="#9e2a1c"/>"##,
            r##"<rect x="10" y="20" width="30" height="10" fill="#9e2a1c" stroke="#000"/>"##,
            r##"<line x1="20" y1="60" x2="280" y2="60" stroke="#d9d2c5" stroke-width="3"/>"##,
            r##"<line x1="20" y1="60" x2="280" y2="60" stroke="#d9d2c5" stroke-width="2" stroke-linecap="round"/>"##,
            r##"<line x1="20" y1="60" x2="280" y2="60" stroke="#d9d2c5" stroke-width="2" stroke-dasharray="4"/>"##,
            r##"<line x1="20" y1="60" x2="280" y2="70" stroke="#d9d2c5" stroke-width="2"/>"##,
        ] {
            let svg = format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><rect width="300" height="80" fill="#fbf9f4"/>{shape}</svg>"##
            );
            let (expected, drawn) = both(&svg, &cache);
            assert_eq!(expected.data(), drawn.data(), "{shape}");
        }
    }

    #[test]
    fn text_it_cannot_stamp_is_left_to_resvg() {
        let cache = GlyphCache::default();
        for svg in [
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><text x="10" y="50" font-family="Inter" font-size="30" stroke="#000" fill="#f00">Été</text></svg>"##,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><text x="10" y="50" font-family="Inter" font-size="30" transform="rotate(10)">Été</text></svg>"##,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><text x="10" y="50" font-family="Inter" font-size="30" text-decoration="underline">Été</text></svg>"##,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><g opacity="0.5"><text x="10" y="50" font-family="Inter" font-size="30">Été</text></g><line x1="0" y1="5" x2="300" y2="5" stroke="#00f"/></svg>"##,
        ] {
            let (expected, stamped) = both(svg, &cache);
            assert_eq!(expected.data(), stamped.data(), "{svg}");
        }
        assert_eq!(cache.state.lock().unwrap().masks.len(), 0);
    }
}
