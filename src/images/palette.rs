//! Pictures as indices into a palette of at most 256 colours, as a card of flat colours and
//! anti-aliased text is (about 90): a picture drawn in colour read into one, or a card drawn
//! straight into one, which skips the four bytes a pixel of the colour canvas and reading
//! them back. Rows are kept as a PNG holds them, each behind its filter byte (0, none), so
//! they are compressed where they are drawn.

use resvg::tiny_skia::PremultipliedColorU8;

use super::glyphs::{Solid, Surface, mask_rows, over};

thread_local! {
    /// The rows of the last picture this thread made, reused for the next: every byte is
    /// written again, and a new buffer would be zeroed for nothing.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Indexed {
    /// Gives the indices' buffer back to the thread, for its next picture.
    pub(crate) fn recycle(self) {
        BUFFER.with(|buffer| buffer.replace(self.scanlines));
    }
}

/// A buffer for `height` rows of `width` indices, each behind its filter byte.
fn scanlines(width: u32, height: u32) -> Vec<u8> {
    let mut scanlines = BUFFER.with(std::cell::RefCell::take);
    let stride = width as usize + 1;
    scanlines.resize(stride * height as usize, 0);
    for row in scanlines.chunks_exact_mut(stride) {
        row[0] = 0;
    }
    scanlines
}

/// A card drawn straight into palette indices; drawing fails past 256 colours, or at what only
/// a colour canvas can draw.
pub(crate) struct Canvas {
    width: u32,
    height: u32,
    /// One index per pixel, row by row, each row behind its filter byte.
    scanlines: Vec<u8>,
    /// The colours met so far.
    colors: ColorTable,
    /// Blends already worked out (see [`Blends`]).
    blends: Blends,
    /// The paint `blends` holds, premultiplied RGBA (little-endian).
    blended: Option<u32>,
}

/// The index of a paint at coverage `c` over the colour of index `i`, at `i × 256 + c`, worked
/// out once for each pair a card meets: the index in the low byte, and above it the generation
/// it was worked out in, which changes with the paint and the canvas so the table is never
/// cleared.
#[derive(Default)]
struct Blends {
    table: Vec<u32>,
    generation: u32,
}

impl Blends {
    /// A generation no slot holds yet.
    fn next(&mut self) {
        self.generation += 1;
        if self.generation >= 1 << 24 || self.table.is_empty() {
            self.table.clear();
            self.table.resize(256 * 256, 0);
            self.generation = 1;
        }
    }
}

thread_local! {
    /// The blends of the thread's last card, whose generation is over.
    static BLENDS: std::cell::RefCell<Blends> =
        const { std::cell::RefCell::new(Blends { table: Vec::new(), generation: 0 }) };
}

impl Canvas {
    /// A canvas of `width` × `height` pixels, each to be set by the first thing drawn.
    pub(crate) fn new(width: u32, height: u32) -> Canvas {
        Canvas {
            width,
            height,
            scanlines: scanlines(width, height),
            colors: ColorTable::default(),
            blends: BLENDS.with(std::cell::RefCell::take),
            blended: None,
        }
    }

    /// The picture drawn.
    pub(crate) fn finish(mut self) -> Indexed {
        Indexed {
            scanlines: std::mem::take(&mut self.scanlines),
            palette: Palette::of(&self.colors.colors),
        }
    }
}

impl Drop for Canvas {
    fn drop(&mut self) {
        let scanlines = std::mem::take(&mut self.scanlines);
        if scanlines.capacity() > 0 {
            BUFFER.with(|buffer| buffer.replace(scanlines));
        }
        let blends = std::mem::take(&mut self.blends);
        BLENDS.with(|kept| kept.replace(blends));
    }
}

/// The paint a glyph is stamped with, and what stamping it has worked out so far.
struct Ink {
    /// Premultiplied RGBA (little-endian).
    color: u32,
    /// The same, a channel each.
    source: [u32; 4],
    /// Whether its alpha is whole.
    opaque: bool,
    /// Its own index, taken at its first pixel covered whole.
    whole: Option<u8>,
    /// The generation of [`Blends`] its blends are kept under.
    generation: u32,
}

impl Ink {
    /// The paint's own index; `None` past 256 colours.
    #[inline(always)]
    fn own(&mut self, colors: &mut ColorTable) -> Option<u8> {
        let own = self.whole.or_else(|| colors.index(self.color))?;
        self.whole = Some(own);
        Some(own)
    }

    /// The pixel of index `index` with the paint over it at coverage `c`; `false` past 256
    /// colours.
    #[inline(always)]
    fn blend(&mut self, c: u8, index: &mut u8, colors: &mut ColorTable, table: &mut [u32]) -> bool {
        match c {
            0 => true,
            255 if self.opaque => match self.own(colors) {
                Some(own) => {
                    *index = own;
                    true
                }
                None => false,
            },
            _ => {
                let slot = usize::from(*index) << 8 | usize::from(c);
                let known = table[slot];
                if known >> 8 == self.generation {
                    *index = known as u8;
                    return true;
                }
                let [r, g, b, a] = colors.colors[usize::from(*index)].to_le_bytes();
                let below = PremultipliedColorU8::from_rgba(r, g, b, a)
                    .unwrap_or(PremultipliedColorU8::TRANSPARENT);
                let Some(blend) = colors.index(u32_of(over(self.source, u32::from(c), below)))
                else {
                    return false;
                };
                table[slot] = self.generation << 8 | u32::from(blend);
                *index = blend;
                true
            }
        }
    }
}

/// `color` as little-endian RGBA bytes in a `u32`, as pixels are compared.
fn u32_of(color: PremultipliedColorU8) -> u32 {
    u32::from_le_bytes([color.red(), color.green(), color.blue(), color.alpha()])
}

impl Surface for Canvas {
    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn fill_solid(&mut self, solid: &Solid) -> bool {
        let Some(index) = self.colors.index(u32_of(solid.color)) else {
            return false;
        };
        let ((left, top), (right, bottom)) = solid.pixels;
        let stride = self.width as usize + 1;
        for y in top..bottom {
            let row = y as usize * stride + 1;
            self.scanlines[row + left as usize..row + right.max(left) as usize].fill(index);
        }
        true
    }

    fn stamp(
        &mut self,
        mask: &resvg::tiny_skia::Mask,
        x: i32,
        y: i32,
        paint: PremultipliedColorU8,
    ) -> bool {
        let color = u32_of(paint);
        if self.blended != Some(color) {
            self.blends.next();
            self.blended = Some(color);
        }
        let Canvas {
            width,
            height,
            scanlines,
            colors,
            blends,
            ..
        } = self;
        let mut ink = Ink {
            color,
            source: [paint.red(), paint.green(), paint.blue(), paint.alpha()].map(u32::from),
            opaque: paint.alpha() == 255,
            whole: None,
            generation: blends.generation,
        };
        for (covered, first) in mask_rows(mask, (x, y), (*width, *height)) {
            // `first` counts pixels; each row before it, and its own, adds a filter byte.
            let first = first + first / *width as usize + 1;
            let under = &mut scanlines[first..first + covered.len()];
            // Most of a glyph's box is outside it, and much of the rest inside: eight pixels
            // are skipped, or set to the paint, at once.
            let (eights, rest) = covered.as_chunks::<8>();
            let (under_eights, under_rest) = under.as_chunks_mut::<8>();
            for (eight, targets) in eights.iter().zip(under_eights) {
                match u64::from_le_bytes(*eight) {
                    0 => {}
                    u64::MAX if ink.opaque => {
                        let Some(own) = ink.own(colors) else {
                            return false;
                        };
                        *targets = [own; 8];
                    }
                    _ => {
                        for (&c, index) in eight.iter().zip(targets) {
                            if !ink.blend(c, index, colors, &mut blends.table) {
                                return false;
                            }
                        }
                    }
                }
            }
            for (&c, index) in rest.iter().zip(under_rest) {
                if !ink.blend(c, index, colors, &mut blends.table) {
                    return false;
                }
            }
        }
        true
    }

    fn draw_node(&mut self, _: &resvg::usvg::Node, _: resvg::tiny_skia::Transform) -> bool {
        false
    }
}

/// A picture as indices into a palette of its colours.
pub(crate) struct Indexed {
    /// One index per pixel, row by row, each row behind its filter byte (0, none): a PNG's
    /// rows before compression.
    pub(crate) scanlines: Vec<u8>,
    /// The colours.
    pub(crate) palette: Palette,
}

/// The colours of a palette PNG, straight (not premultiplied).
pub(crate) struct Palette {
    /// Red, green and blue of each colour.
    pub(crate) rgb: Vec<u8>,
    /// Alpha of each colour, when any is not opaque.
    pub(crate) alpha: Option<Vec<u8>>,
}

impl Indexed {
    /// `pixmap` with a palette, when it has at most 256 colours.
    pub(crate) fn of(pixmap: &resvg::tiny_skia::Pixmap) -> Option<Indexed> {
        let width = pixmap.width() as usize;
        let stride = width + 1;
        let mut scanlines = scanlines(pixmap.width(), pixmap.height());
        let mut colors = ColorTable::default();
        let mut previous: Option<&[u8]> = None;
        for (y, row) in pixmap.data().chunks_exact(width * 4).enumerate() {
            let (above, rest) = scanlines.split_at_mut(y * stride);
            let out = &mut rest[1..stride];
            // Most rows of a card are the row above them again: a comparison, and a copy.
            if previous == Some(row) {
                out.copy_from_slice(&above[above.len() - width..]);
                continue;
            }
            // A row is runs of one colour, mostly: four pixels are compared at once with the
            // colour of the run, and looked at one by one only where it changes.
            let mut run: Option<(u32, u8)> = None;
            let (quads, rest) = row.as_chunks::<16>();
            let (quad_indices, rest_indices) = out.as_chunks_mut::<4>();
            for (quad, indices) in quads.iter().zip(quad_indices) {
                if let Some((color, index)) = run
                    && u128::from_le_bytes(*quad) == u128::from(color) * FOUR_LANES
                {
                    *indices = [index; 4];
                    continue;
                }
                for (pixel, index) in quad.chunks_exact(4).zip(indices) {
                    *index = colors.index_in_run(pixel, &mut run)?;
                }
            }
            for (pixel, index) in rest.chunks_exact(4).zip(rest_indices) {
                *index = colors.index_in_run(pixel, &mut run)?;
            }
            previous = Some(row);
        }
        Some(Indexed {
            scanlines,
            palette: Palette::of(&colors.colors),
        })
    }
}

/// A 32-bit value times this is that value in each of the four lanes of a `u128`.
const FOUR_LANES: u128 = 0x0000_0001_0000_0001_0000_0001_0000_0001;

/// The colours of a picture in the order they were met, each found again by a probe of a small
/// open table: a hash map's hashing costs twice as much on the pixels of anti-aliased text.
struct ColorTable {
    /// The colours, premultiplied RGBA (little-endian).
    colors: Vec<u32>,
    /// Slots of the table: a colour and its index plus one, or 0 for a free slot.
    slots: Box<[(u32, u16); ColorTable::SLOTS]>,
}

impl Default for ColorTable {
    fn default() -> Self {
        ColorTable {
            colors: Vec::with_capacity(256),
            slots: Box::new([(0, 0); ColorTable::SLOTS]),
        }
    }
}

impl ColorTable {
    /// Four slots per colour of a full palette, so probes stay short.
    const SLOTS: usize = 1024;

    /// The index of `pixel` (RGBA bytes), looked up only when it is not the colour of `run`,
    /// which it then becomes; `None` past 256 colours.
    // Inlined: it runs for every pixel at the edge of a glyph, and most stay in their run.
    #[inline(always)]
    fn index_in_run(&mut self, pixel: &[u8], run: &mut Option<(u32, u8)>) -> Option<u8> {
        let color = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]);
        match *run {
            Some((known, index)) if known == color => Some(index),
            _ => {
                let index = self.index(color)?;
                *run = Some((color, index));
                Some(index)
            }
        }
    }

    /// The index of `color`, added when new; `None` past 256 colours.
    #[inline(never)]
    fn index(&mut self, color: u32) -> Option<u8> {
        // Fibonacci hashing: the top bits of the product spread colours that differ a little.
        let mut slot = (color.wrapping_mul(0x9E37_79B1) >> 22) as usize;
        loop {
            match self.slots[slot] {
                (_, 0) => {
                    let index = u8::try_from(self.colors.len()).ok()?;
                    self.colors.push(color);
                    self.slots[slot] = (color, u16::from(index) + 1);
                    return Some(index);
                }
                (known, index) if known == color => return u8::try_from(index - 1).ok(),
                _ => slot = (slot + 1) % Self::SLOTS,
            }
        }
    }
}

impl Palette {
    /// The straight colours of premultiplied `colors` (RGBA bytes, little-endian).
    fn of(colors: &[u32]) -> Palette {
        let mut rgb = Vec::with_capacity(colors.len() * 3);
        let mut alpha = Vec::with_capacity(colors.len());
        for &color in colors {
            let [r, g, b, a] = color.to_le_bytes();
            let straight = resvg::tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a)
                .map(|c| c.demultiply())
                .unwrap_or(resvg::tiny_skia::ColorU8::from_rgba(0, 0, 0, 0));
            rgb.extend_from_slice(&[straight.red(), straight.green(), straight.blue()]);
            alpha.push(a);
        }
        let opaque = alpha.iter().all(|&a| a == 255);
        Palette {
            rgb,
            alpha: (!opaque).then_some(alpha),
        }
    }
}
