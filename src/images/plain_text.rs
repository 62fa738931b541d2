//! A card's plain `<text>` elements laid out here rather than by usvg, which makes each text's
//! shaping tables again and turns every glyph into a path, a third of a card's time: a plain
//! text (one run of characters, a colour, a font of the theme's, a size, a position, an anchor
//! and letter spacing) is shaped with tables made once per face, and its glyphs placed exactly
//! where usvg places them. An empty group stands in its place in the SVG that usvg reads, so
//! that it is drawn in the document's order; any other text is left to usvg.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use resvg::tiny_skia::{PremultipliedColorU8, Transform};
use resvg::usvg::fontdb;
use skrifa::raw::TableProvider;

use crate::hash::QuickMap;

/// The start of the id of a group that stands for a text laid out here; its index follows.
const MARKER: &str = "tribune-laid-out-text-";

/// Glyphs placed: each a face, a glyph and the transform of its outline, in the text's
/// coordinates.
pub(crate) type Glyphs = Arc<[(fontdb::ID, u16, Transform)]>;

/// A text laid out: its glyphs, each with usvg's transform of its outline, and its colour.
pub(crate) struct LaidOut {
    /// Its glyphs.
    pub(crate) glyphs: Glyphs,
    /// The fill, premultiplied.
    pub(crate) paint: PremultipliedColorU8,
}

/// The shaping tables of each face, made at its first text, and the texts laid out, kept for
/// the build: every card sets the site's name, and most share their label or byline.
#[derive(Default)]
pub(crate) struct Shapers {
    /// Each face's tables.
    tables: Mutex<HashMap<fontdb::ID, Arc<harfrust::ShaperData>>>,
    /// Texts laid out, by what they say and how.
    laid_out: Mutex<QuickMap<TextKey, Glyphs>>,
}

/// The most texts [`Shapers`] keeps: a few megabytes, far more than the labels, names and
/// bylines a site repeats.
const MAX_TEXTS: usize = 1 << 16;

/// What a text's layout follows: its characters, its style and its origin.
#[derive(Hash, PartialEq, Eq)]
struct TextKey {
    content: String,
    families: String,
    /// Size, spacing, anchor and origin, as bits.
    numbers: [u32; 5],
    weight: u16,
    italic: bool,
}

/// The index of the text laid out here that the group `id` stands for.
pub(crate) fn marker_index(id: &str) -> Option<usize> {
    id.strip_prefix(MARKER)?.parse().ok()
}

/// Attributes a text and its groups may carry, inherited from group to text as usvg reads them.
const INHERITED: [&str; 7] = [
    "font-family",
    "font-size",
    "fill",
    "font-weight",
    "font-style",
    "letter-spacing",
    "text-anchor",
];

/// Attributes of the root `<svg>` that bear on no text.
const ROOT_ONLY: [&str; 5] = [
    "width",
    "height",
    "viewBox",
    "version",
    "preserveAspectRatio",
];

/// `svg` with each plain text replaced by an empty group, and those texts laid out, in order;
/// `None` when there is none, or the SVG is not one this can read alike.
pub(crate) fn extract(
    svg: &str,
    db: &fontdb::Database,
    shapers: &Shapers,
    is_plain_face: &dyn Fn(fontdb::ID) -> bool,
) -> Option<(String, Vec<LaidOut>)> {
    if svg.contains(MARKER) {
        return None;
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, options).ok()?;
    // A style sheet may set what no attribute says.
    if doc.descendants().any(|n| n.has_tag_name("style")) {
        return None;
    }
    let mut out = String::with_capacity(svg.len());
    let mut texts = Vec::new();
    let mut copied = 0;
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let Some(laid_out) = lay_out(node, db, shapers, is_plain_face) else {
            continue;
        };
        let range = node.range();
        out.push_str(&svg[copied..range.start]);
        out.push_str(&format!("<g id=\"{MARKER}{}\"/>", texts.len()));
        copied = range.end;
        texts.push(laid_out);
    }
    if texts.is_empty() {
        return None;
    }
    out.push_str(&svg[copied..]);
    Some((out, texts))
}

/// `text` laid out, when it and its groups say nothing but what [`INHERITED`] lists and its
/// position, and it holds characters only.
fn lay_out(
    text: roxmltree::Node,
    db: &fontdb::Database,
    shapers: &Shapers,
    is_plain_face: &dyn Fn(fontdb::ID) -> bool,
) -> Option<LaidOut> {
    let svg_namespace = "http://www.w3.org/2000/svg";
    // No `id`: what refers to the text would find nothing once it is replaced.
    let own = |name: &str| INHERITED.contains(&name) || matches!(name, "x" | "y");
    let plain_attributes = |node: roxmltree::Node, allowed: &dyn Fn(&str) -> bool| {
        node.attributes()
            .all(|a| a.namespace().is_none() && allowed(a.name()))
    };
    if text.tag_name().namespace() != Some(svg_namespace) || !plain_attributes(text, &own) {
        return None;
    }
    for ancestor in text.ancestors().skip(1).filter(roxmltree::Node::is_element) {
        let is_root = ancestor.parent_element().is_none();
        let fits = match ancestor.tag_name().name() {
            "g" if !is_root => plain_attributes(ancestor, &|a| INHERITED.contains(&a) || a == "id"),
            "svg" if is_root => plain_attributes(ancestor, &|a| {
                INHERITED.contains(&a) || ROOT_ONLY.contains(&a)
            }),
            _ => false,
        };
        if !fits || ancestor.tag_name().namespace() != Some(svg_namespace) {
            return None;
        }
    }
    let mut content = String::new();
    for child in text.children() {
        match child.text() {
            Some(characters) if child.is_text() => content.push_str(characters),
            _ => return None,
        }
    }
    let inherited = |name: &str| {
        text.ancestors()
            .filter(roxmltree::Node::is_element)
            .find_map(|n| n.attribute(name))
    };
    let style = Style {
        families: inherited("font-family")?,
        size: length(inherited("font-size")?)?,
        weight: match inherited("font-weight").unwrap_or("normal") {
            "normal" => 400,
            "bold" => 700,
            number => number.parse().ok().filter(|w| (1..=1000).contains(w))?,
        },
        italic: match inherited("font-style").unwrap_or("normal") {
            "normal" => false,
            "italic" => true,
            _ => return None,
        },
        spacing: match inherited("letter-spacing").unwrap_or("normal") {
            "normal" => 0.0,
            value => length(value)?,
        },
        anchor: match inherited("text-anchor").unwrap_or("start") {
            "start" => 0.0,
            "middle" => 0.5,
            "end" => 1.0,
            _ => return None,
        },
    };
    let paint = match inherited("fill").map(svgtypes::Paint::from_str) {
        None => PremultipliedColorU8::from_rgba(0, 0, 0, 255)?,
        Some(Ok(svgtypes::Paint::Color(c))) if c.alpha == 255 => {
            PremultipliedColorU8::from_rgba(c.red, c.green, c.blue, 255)?
        }
        Some(_) => return None,
    };
    let at = |name: &str| text.attribute(name).map_or(Some(0.0), length);
    let origin = (at("x")?, at("y")?);
    let key = TextKey {
        content: collapse(&content),
        families: style.families.to_string(),
        numbers: [style.size, style.spacing, style.anchor, origin.0, origin.1].map(f32::to_bits),
        weight: style.weight,
        italic: style.italic,
    };
    let lock = || shapers.laid_out.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(glyphs) = lock().get(&key) {
        return Some(LaidOut {
            glyphs: Arc::clone(glyphs),
            paint,
        });
    }
    let glyphs: Glyphs = place(&key.content, &style, origin, db, shapers, is_plain_face)?.into();
    let mut kept = lock();
    if kept.len() < MAX_TEXTS {
        kept.insert(key, Arc::clone(&glyphs));
    }
    Some(LaidOut { glyphs, paint })
}

/// What a text is set in.
struct Style<'a> {
    /// `font-family`, as written.
    families: &'a str,
    /// `font-size`, in pixels.
    size: f32,
    /// `font-weight`.
    weight: u16,
    /// Whether `font-style` is `italic`.
    italic: bool,
    /// `letter-spacing`, in pixels.
    spacing: f32,
    /// The share of its width a text stands left of its `x`: 0, a half or all of it.
    anchor: f32,
}

/// A length in pixels: a number, or one in `px`.
fn length(value: &str) -> Option<f32> {
    let parsed = svgtypes::Length::from_str(value).ok()?;
    let pixels = matches!(
        parsed.unit,
        svgtypes::LengthUnit::None | svgtypes::LengthUnit::Px
    );
    (pixels && parsed.number.is_finite()).then_some(parsed.number as f32)
}

/// Characters as SVG shows them without `xml:space`: line ends and tabs as spaces, runs of
/// spaces as one, none first or last.
fn collapse(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    for c in content.chars() {
        let c = if matches!(c, '\r' | '\n' | '\t') {
            ' '
        } else {
            c
        };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    let trimmed = out.strip_prefix(' ').unwrap_or(&out);
    trimmed.strip_suffix(' ').unwrap_or(trimmed).to_string()
}

/// The glyphs of `content` in `style`, its start at `origin`, each with its outline's transform
/// as usvg computes it (the same operations in the same order, so the same numbers); `None`
/// when the face is not plain, a character is missing from it, or the text needs what only
/// usvg does (right-to-left runs, spacing in a script that joins its letters).
fn place(
    content: &str,
    style: &Style,
    (x, y): (f32, f32),
    db: &fontdb::Database,
    shapers: &Shapers,
    is_plain_face: &dyn Fn(fontdb::ID) -> bool,
) -> Option<Vec<(fontdb::ID, u16, Transform)>> {
    if content.is_empty() {
        return Some(Vec::new());
    }
    let bidi = unicode_bidi::BidiInfo::new(content, Some(unicode_bidi::Level::ltr()));
    if bidi.has_rtl() || bidi.paragraphs.len() != 1 {
        return None;
    }
    if style.spacing != 0.0 && !content.chars().all(spaced_alike) {
        return None;
    }
    let face = query(style, db)?;
    if !is_plain_face(face) {
        return None;
    }
    let shaper_data = shapers.get(db, face)?;
    db.with_face_data(face, |data, index| {
        let font = harfrust::FontRef::from_index(data, index).ok()?;
        let upem = skrifa::FontRef::from_index(data, index)
            .ok()?
            .head()
            .ok()?
            .units_per_em();
        let scale = style.size / f32::from(upem.max(1));
        // As usvg shapes: its weight as a variation, which only variable faces (never plain
        // ones) have.
        let weight = [harfrust::Variation {
            tag: harfrust::Tag::new(b"wght"),
            value: f32::from(style.weight),
        }];
        let instance = harfrust::ShaperInstance::from_variations(&font, weight);
        let shaper = shaper_data.shaper(&font).instance(Some(&instance)).build();
        let mut buffer = harfrust::UnicodeBuffer::new();
        buffer.push_str(content);
        buffer.set_direction(harfrust::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
        let (infos, positions) = (shaped.glyph_infos(), shaped.glyph_positions());
        if infos.iter().any(|info| info.glyph_id == 0) {
            return None;
        }
        // Clusters: the glyphs of one run of characters, each placed from the cluster's start.
        let mut clusters: Vec<Cluster> = Vec::new();
        for (info, position) in infos.iter().zip(positions) {
            let id = u16::try_from(info.glyph_id).ok()?;
            if clusters.last().is_none_or(|c| c.start != info.cluster) {
                clusters.push(Cluster {
                    start: info.cluster,
                    units: 0.0,
                    advance: 0.0,
                    glyphs: Vec::new(),
                });
            }
            let cluster = clusters.last_mut()?;
            let offset = Transform::from_translate(
                cluster.units + position.x_offset as f32,
                -position.y_offset as f32,
            );
            cluster.glyphs.push((id, offset));
            cluster.units += position.x_advance as f32;
            cluster.advance += position.x_advance as f32 * scale;
        }
        if style.spacing != 0.0 {
            let last = clusters.len() - 1;
            for (i, cluster) in clusters.iter_mut().enumerate() {
                if i != last {
                    cluster.advance += style.spacing;
                }
                if !(cluster.advance > 0.0 && cluster.advance.is_finite()) {
                    cluster.advance = 0.0;
                    cluster.glyphs.clear();
                }
            }
        }
        let (mut left, mut right, mut advance) = (f32::INFINITY, f32::NEG_INFINITY, 0.0);
        for cluster in &clusters {
            let start = advance + 0.0;
            let end = start + cluster.advance - 0.0;
            left = left.min(start).min(end);
            right = right.max(start).max(end);
            advance += cluster.advance;
        }
        let mut pen = 0.0 - left + -((right - left) * style.anchor);
        let text = Transform::default()
            .pre_translate(x, y)
            .pre_translate(0.0, 0.0);
        let mut glyphs = Vec::with_capacity(infos.len());
        for cluster in &clusters {
            let at = text
                .pre_concat(Transform::default().pre_translate(pen + 0.0, 0.0))
                .pre_concat(Transform::from_scale(scale, scale));
            for (id, offset) in &cluster.glyphs {
                let outline = at
                    .pre_concat(*offset)
                    .pre_concat(Transform::from_scale(1.0, -1.0));
                glyphs.push((face, *id, outline));
            }
            pen += cluster.advance;
        }
        Some(glyphs)
    })?
}

/// Glyphs that stand for one run of characters.
struct Cluster {
    /// The byte its characters start at.
    start: u32,
    /// Where its next glyph goes, in font units.
    units: f32,
    /// Its width in pixels, with the letter spacing after it.
    advance: f32,
    /// Its glyphs, each placed within it in font units.
    glyphs: Vec<(u16, Transform)>,
}

/// Whether letter spacing moves `c` as usvg does every character of Latin, Greek and Cyrillic
/// text (scripts that join their letters are not spaced, which is left to usvg).
fn spaced_alike(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    matches!(
        c.script(),
        Script::Latin | Script::Common | Script::Inherited | Script::Greek | Script::Cyrillic
    )
}

/// The face usvg picks for `style`: the families in order, then any serif face.
fn query(style: &Style, db: &fontdb::Database) -> Option<fontdb::ID> {
    let families = svgtypes::parse_font_families(style.families).ok()?;
    if families.is_empty() {
        return None;
    }
    let mut names: Vec<fontdb::Family> = families
        .iter()
        .map(|family| match family {
            svgtypes::FontFamily::Serif => fontdb::Family::Serif,
            svgtypes::FontFamily::SansSerif => fontdb::Family::SansSerif,
            svgtypes::FontFamily::Cursive => fontdb::Family::Cursive,
            svgtypes::FontFamily::Fantasy => fontdb::Family::Fantasy,
            svgtypes::FontFamily::Monospace => fontdb::Family::Monospace,
            svgtypes::FontFamily::Named(name) => fontdb::Family::Name(name),
        })
        .collect();
    names.push(fontdb::Family::Serif);
    db.query(&fontdb::Query {
        families: &names,
        weight: fontdb::Weight(style.weight),
        stretch: fontdb::Stretch::Normal,
        style: if style.italic {
            fontdb::Style::Italic
        } else {
            fontdb::Style::Normal
        },
    })
}

impl Shapers {
    /// The shaping tables of `face`, made at its first use.
    fn get(&self, db: &fontdb::Database, face: fontdb::ID) -> Option<Arc<harfrust::ShaperData>> {
        let lock = || self.tables.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(&face) {
            return Some(Arc::clone(found));
        }
        // Made outside the lock: another card's thread may shape meanwhile.
        let made = db.with_face_data(face, |data, index| {
            let font = harfrust::FontRef::from_index(data, index).ok()?;
            Some(Arc::new(harfrust::ShaperData::new(&font)))
        })??;
        Some(Arc::clone(lock().entry(face).or_insert(made)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::glyphs::GlyphCache;
    use crate::images::glyphs::tests::theme_fonts;
    use resvg::tiny_skia::Pixmap;
    use resvg::usvg;

    /// `svg` drawn with usvg's layout and with the texts laid out here, and how many were.
    fn both(svg: &str) -> (Pixmap, Pixmap, usize) {
        both_with(svg, &Shapers::default())
    }

    /// [`both`], with the layouts `shapers` kept from earlier cards.
    fn both_with(svg: &str, shapers: &Shapers) -> (Pixmap, Pixmap, usize) {
        let options = usvg::Options {
            fontdb: theme_fonts(),
            ..usvg::Options::default()
        };
        let cache = GlyphCache::default();
        let whole = usvg::Tree::from_str(svg, &options).unwrap();
        let size = whole.size().to_int_size();
        let mut expected = Pixmap::new(size.width(), size.height()).unwrap();
        cache.render(&whole, &mut expected);
        let plain = |face| cache.is_plain_face(&options.fontdb, face);
        let Some((rest, texts)) = extract(svg, &options.fontdb, shapers, &plain) else {
            return (expected.clone(), expected, 0);
        };
        let tree = usvg::Tree::from_str(&rest, &options).unwrap();
        let mut laid_out = Pixmap::new(size.width(), size.height()).unwrap();
        assert!(
            cache.render_laid_out(&tree, &texts, &mut laid_out),
            "{rest}"
        );
        (expected, laid_out, texts.len())
    }

    #[test]
    fn plain_texts_land_on_the_pixels_usvg_gives_them() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" font-size="30">
          <rect width="1200" height="630" fill="#fbf9f4"/>
          <g font-family="Inter" fill="#5a5249" font-size="28px">
            <text x="80" y="104" fill="#9e2a1c" letter-spacing="2">SOCIÉTÉ · ÉCONOMIE</text>
          </g>
          <g font-family="'EB Garamond', serif" fill="#1d1b18" font-size="72">
            <text x="80.3" y="230.64">
               Affiner  l’office :   AVANT   «&#160;fi&#160;» ?
            </text>
            <text x="600" y="311.28" text-anchor="middle" fill="red">Œuvres complètes, l’été</text>
          </g>
          <text x="1120" y="572" font-family="Inter" text-anchor="end">Camille Dupont · 12 mars 2025</text>
          <text x="20" y="600" font-family="Inter"> </text>
          <rect x="70" y="60" width="200" height="30" fill="#123"/>
        </svg>"##;
        let (expected, laid_out, count) = both(svg);
        assert_eq!(count, 5);
        assert_eq!(expected.data(), laid_out.data());
        // A text that moved would be seen.
        let (moved, _, _) = both(&svg.replace("x=\"80.3\"", "x=\"81.3\""));
        assert_ne!(moved.data(), laid_out.data());
        // Texts laid out for an earlier card are taken again only where they are the same.
        let shapers = Shapers::default();
        let (_, first, _) = both_with(svg, &shapers);
        assert_eq!(first.data(), laid_out.data());
        for other in [
            svg.replace("x=\"80.3\"", "x=\"81.3\""),
            svg.replace("SOCIÉTÉ", "SOCIÉTÉS"),
            svg.replace("letter-spacing=\"2\"", "letter-spacing=\"3\""),
            svg.replace("font-size=\"72\"", "font-size=\"60\""),
        ] {
            let (expected, again, _) = both_with(&other, &shapers);
            assert_eq!(expected.data(), again.data());
        }
    }

    #[test]
    fn texts_only_usvg_sets_are_left_to_it() {
        let texts = [
            r##"<text x="10" y="50" font-family="Inter" font-size="30">Été <tspan fill="#f00">chaud</tspan></text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="30" xml:space="preserve"> Été  </text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="30" transform="rotate(5)">Été</text>"##,
            r##"<text x="10 20 30" y="50" font-family="Inter" font-size="30">Été</text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="2em">Été</text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="30" fill="url(#g)">Été</text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="30" style="fill:red">Été</text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="30" id="t">Été</text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="30">שלום</text>"##,
            r##"<text x="10" y="50" font-family="Inter" font-size="30" letter-spacing="3">Ελλάδα ᠮᠣᠩᠭᠣᠯ</text>"##,
            r##"<g opacity="0.5"><text x="10" y="50" font-family="Inter" font-size="30">Été</text></g>"##,
            r##"<a href="https://example.org"><text x="10" y="50" font-family="Inter" font-size="30">Été</text></a>"##,
        ];
        for text in texts {
            let svg = format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>{text}</svg>"##
            );
            let (expected, laid_out, count) = both(&svg);
            assert_eq!(count, 0, "{text}");
            assert_eq!(expected.data(), laid_out.data(), "{text}");
        }
        let styled = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><style>text { fill: red }</style><text x="10" y="50" font-family="Inter" font-size="30">Été</text></svg>"##;
        assert_eq!(both(styled).2, 0);
    }

    #[test]
    fn white_space_collapses_as_svg_says() {
        assert_eq!(collapse("\n   Le  port\t du\r\n soir  "), "Le port du soir");
        assert_eq!(collapse(" "), "");
        assert_eq!(collapse("a\u{a0}\u{a0}b"), "a\u{a0}\u{a0}b");
    }
}
