//! Derived images: a photo of the site, resized for every screen.
//!
//! In: the bytes of a raster image of the site (JPEG or PNG), the configured widths. Out: its
//! size as shown (EXIF orientation applied), the widths it is published at (never wider than
//! the original), the site path of each variant, and each variant's bytes (resized, oriented,
//! re-encoded without any metadata, so no GPS position or camera serial reaches the site), in
//! its own format and in WebP. Variants are kept in `.tribune/images/`, keyed by the source's
//! bytes and the parameters, so a rebuild encodes only what changed. This stage reads only what
//! it is given and the cache; it sits before `load`, which asks it the size of images.

pub(crate) mod cache;
pub(crate) mod card;
pub(crate) mod deflate;
pub(crate) mod glyphs;
pub(crate) mod markup;
pub(crate) mod palette;
pub(crate) mod plain_text;
pub(crate) mod svg;

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, imageops::FilterType};

/// A format Tribune publishes images in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP: lossy for photos, lossless for PNG images.
    Webp,
}

impl Format {
    /// The file name extension.
    pub(crate) fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The MIME type.
    pub(crate) fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// The format of a site image Tribune resizes, from its path; `None` for any other file.
pub(crate) fn source_format(path: &str) -> Option<Format> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(Format::Jpeg),
        "png" => Some(Format::Png),
        _ => None,
    }
}

/// How hard libwebp works at a lossless WebP (0 to 100). Past the lowest efforts the time hardly
/// grows, and the file is smaller than the PNG: the pure-Rust encoder's could be larger, and a
/// browser takes the WebP first.
const LOSSLESS_EFFORT: f32 = 60.0;

/// How hard libwebp searches for a photo's smallest lossy coding (0 to 6, 4 by default): at 2,
/// twenty photos' WebP variants took 0.56x the time, 2 % fewer bytes, 0.35 dB less PSNR, a
/// trade along the same curve that no eye tells apart.
const LOSSY_METHOD: i32 = 2;

/// JPEG quality of the variants: visually lossless for photos at a third of the size.
const JPEG_QUALITY: u8 = 82;

/// Width and height of an image as shown, its EXIF orientation applied.
#[cfg(test)]
pub(crate) fn probe(bytes: &[u8]) -> Result<(u32, u32), ImageError> {
    shown_size(decoder(bytes)?)
}

/// Width and height of the image in `file` as shown, read from as little of the file as its
/// format allows (a PNG's header, not its pixels).
pub(crate) fn probe_file(file: &std::path::Path) -> Result<(u32, u32), ImageError> {
    let reader = ImageReader::open(file)
        .map_err(ImageError::Unreadable)?
        .with_guessed_format()
        .map_err(ImageError::Unreadable)?;
    shown_size(reader.into_decoder()?)
}

/// The width and height of the picture `file` (written `name` in the site) as a page lays it
/// out, when its header tells them: a photo's upright, an SVG's from its root element.
pub(crate) fn picture_size(name: &str, file: &std::path::Path) -> Option<(u32, u32)> {
    // A photo's stored size may be turned by its EXIF orientation.
    if source_format(name).is_some() {
        return probe_file(file).ok();
    }
    let svg = name
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("svg"));
    if svg {
        return svg::size(&std::fs::read_to_string(file).ok()?);
    }
    let size = imagesize::size(file).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

fn shown_size(mut decoder: impl ImageDecoder) -> Result<(u32, u32), ImageError> {
    let (w, h) = within_limit(decoder.dimensions())?;
    let orientation = decoder.orientation()?;
    let turned = matches!(
        orientation,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    Ok(if turned { (h, w) } else { (w, h) })
}

fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder, ImageError> {
    Ok(ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(ImageError::Unreadable)?
        .into_decoder()?)
}

/// Why an image could not be read, resized or drawn; said after "this image is".
#[derive(Debug, thiserror::Error)]
pub(crate) enum ImageError {
    /// The file could not be read.
    #[error("not readable ({0})")]
    Unreadable(#[source] std::io::Error),
    /// Another format.
    #[error("not a JPEG, PNG or WebP image")]
    Unsupported,
    /// The format's own decoder refused it.
    #[error("not a readable image ({0})")]
    Corrupt(#[source] image::ImageError),
    /// More pixels than Tribune decodes: its header promises more memory than a photo needs.
    #[error(
        "{0} × {1} pixels: at most {max} million pixels are read (resize it before adding it)",
        max = MAX_PIXELS / 1_000_000
    )]
    TooLarge(u32, u32),
    /// Wider or taller than a JPEG can be.
    #[error("too large for a JPEG (65,535 pixels a side at most)")]
    TooLargeForJpeg,
    /// An encoder refused it.
    #[error("cannot encode it as {format} ({why})")]
    Encode {
        /// The format it was being encoded as.
        format: &'static str,
        /// The encoder's words.
        why: String,
    },
    /// A card's template or fonts could not be drawn.
    #[error("{0}")]
    Drawing(String),
    /// A card's cover photo could not be used.
    #[error("its cover is {0}")]
    Cover(Box<ImageError>),
}

impl From<image::ImageError> for ImageError {
    fn from(e: image::ImageError) -> Self {
        match e {
            image::ImageError::Unsupported(_) => ImageError::Unsupported,
            other => ImageError::Corrupt(other),
        }
    }
}

/// The most pixels an image may have: twice a 50-megapixel camera's, 400 MB once decoded. A
/// decompression bomb (a small file whose header claims 30,000 × 30,000 pixels) is refused
/// from its header, before any pixel is decoded.
pub(crate) const MAX_PIXELS: u64 = 100_000_000;

/// `size` itself, when it is within [`MAX_PIXELS`].
fn within_limit((w, h): (u32, u32)) -> Result<(u32, u32), ImageError> {
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageError::TooLarge(w, h));
    }
    Ok((w, h))
}

/// The widths an image `original` pixels wide is published at: each configured width narrower
/// than it, then its own.
pub(crate) fn widths(configured: &[u32], original: u32) -> Vec<u32> {
    let mut out: Vec<u32> = configured
        .iter()
        .copied()
        .filter(|&w| w < original)
        .collect();
    out.push(original);
    out
}

/// Site path of a variant of the image at `site_path`: the original width in the original
/// format keeps the path, others get `-480w` and their extension (`photo-480w.webp`).
pub(crate) fn variant_path(site_path: &str, width: u32, original: u32, format: Format) -> String {
    let stem = site_path
        .rsplit_once('.')
        .map_or(site_path, |(stem, _)| stem);
    let same_format = source_format(site_path) == Some(format);
    match (width == original, same_format) {
        (true, true) => site_path.to_string(),
        (true, false) => format!("{stem}.{}", format.ext()),
        _ => format!("{stem}-{width}w.{}", format.ext()),
    }
}

/// The bytes of `source` oriented, resized to `width` (never wider) and encoded as `format`,
/// without metadata.
pub(crate) fn derive(source: &[u8], width: u32, format: Format) -> Result<Vec<u8>, ImageError> {
    let (mut image, photo) = upright(source)?;
    if width < image.width() {
        image = resized(&image, width);
    }
    encode(&image, format, photo)
}

/// The pixels of `source`, decoded within [`MAX_PIXELS`] and turned upright by its EXIF
/// orientation, and whether it is a JPEG (a photo, see [`webp`]).
fn upright(source: &[u8]) -> Result<(DynamicImage, bool), ImageError> {
    let photo = image::guess_format(source).ok() == Some(image::ImageFormat::Jpeg);
    let mut decoder = decoder(source)?;
    within_limit(decoder.dimensions())?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok((image, photo))
}

/// `image` encoded as `format`, without metadata; `photo` when it was a JPEG (see [`webp`]).
fn encode(image: &DynamicImage, format: Format, photo: bool) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let result = match format {
        Format::Jpeg => return jpeg(&image.to_rgb8(), JPEG_QUALITY),
        Format::Png => {
            use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
            // Published once, downloaded many times: worth the slower compression.
            let encoder =
                PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
            image.write_with_encoder(encoder)
        }
        Format::Webp => return webp(image, photo),
    };
    result.map_err(|e| ImageError::Encode {
        format: "PNG",
        why: e.to_string(),
    })?;
    Ok(out)
}

/// Every variant of `source` a site publishes with `configured` widths: each of its widths (see
/// [`widths`]) in `own` format and in WebP, as [`derive`] makes them, but from one decoding,
/// each width resized from the next larger one rather than from the original: a photo's ten
/// variants cost one decoding and about two resizings of the original instead of ten and eight.
pub(crate) fn derive_all(
    source: &[u8],
    own: Format,
    configured: &[u32],
) -> Result<Vec<(u32, Format, Vec<u8>)>, ImageError> {
    let (mut image, photo) = upright(source)?;
    let mut made = Vec::new();
    for width in widths(configured, image.width()).into_iter().rev() {
        if width < image.width() {
            image = resized(&image, width);
        }
        for format in [own, Format::Webp] {
            made.push((width, format, encode(&image, format, photo)?));
        }
    }
    Ok(made)
}

/// `image` resized to `width`, its height in proportion, by Catmull-Rom: with the SIMD
/// convolutions of `fast_image_resize`, which weigh colours by alpha, else by `image`'s own.
fn resized(image: &DynamicImage, width: u32) -> DynamicImage {
    let height = (u64::from(image.height()) * u64::from(width))
        .div_ceil(u64::from(image.width()))
        .max(1);
    let height = u32::try_from(height).unwrap_or(u32::MAX);
    let mut out = DynamicImage::new(width, height, image.color());
    let filter = fast_image_resize::FilterType::CatmullRom;
    let options = fast_image_resize::ResizeOptions::new()
        .resize_alg(fast_image_resize::ResizeAlg::Convolution(filter));
    match fast_image_resize::Resizer::new().resize(image, &mut out, &options) {
        Ok(()) => out,
        // A pixel type it does not take (none a photo has): the slower way.
        Err(_) => image.resize_exact(width, height, FilterType::CatmullRom),
    }
}

/// The JPEG of `rgb` at `quality` (0 to 100), with no metadata.
pub(crate) fn jpeg(rgb: &image::RgbImage, quality: u8) -> Result<Vec<u8>, ImageError> {
    let width = u16::try_from(rgb.width()).map_err(|_| ImageError::TooLargeForJpeg)?;
    let height = u16::try_from(rgb.height()).map_err(|_| ImageError::TooLargeForJpeg)?;
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| ImageError::Encode {
            format: "JPEG",
            why: e.to_string(),
        })?;
    Ok(out)
}

/// The WebP of `image`: lossy at the JPEG variants' quality for a photo (a JPEG source), where
/// it is about half the JPEG's size; lossless for a PNG, whose flat colours and sharp text
/// lossy coding would blur.
fn webp(image: &DynamicImage, photo: bool) -> Result<Vec<u8>, ImageError> {
    let (width, height) = (image.width(), image.height());
    let opaque = !image.color().has_alpha();
    let quality = if photo {
        f32::from(JPEG_QUALITY)
    } else {
        LOSSLESS_EFFORT
    };
    let mut config = webp::WebPConfig::new().map_err(|()| ImageError::Encode {
        format: "WebP",
        why: "libwebp refused its own defaults".to_string(),
    })?;
    config.lossless = i32::from(!photo);
    config.alpha_compression = i32::from(photo);
    config.quality = quality;
    if photo {
        config.method = LOSSY_METHOD;
    }
    let encoded = if opaque {
        let rgb = image.to_rgb8();
        webp::Encoder::from_rgb(&rgb, width, height).encode_advanced(&config)
    } else {
        let rgba = image.to_rgba8();
        webp::Encoder::from_rgba(&rgba, width, height).encode_advanced(&config)
    };
    encoded
        .map(|bytes| bytes.to_vec())
        .map_err(|e| ImageError::Encode {
            format: "WebP",
            why: format!("{e:?}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(&[480, 800, 1200], 1000), vec![480, 800, 1000]);
        assert_eq!(widths(&[480, 800], 300), vec![300]);
        assert_eq!(widths(&[480, 800], 800), vec![480, 800]);
    }

    #[test]
    fn variant_paths() {
        assert_eq!(variant_path("p/a.jpg", 1000, 1000, Format::Jpeg), "p/a.jpg");
        assert_eq!(
            variant_path("p/a.jpg", 1000, 1000, Format::Webp),
            "p/a.webp"
        );
        assert_eq!(
            variant_path("p/a.JPEG", 480, 1000, Format::Jpeg),
            "p/a-480w.jpg"
        );
    }

    #[test]
    fn resizes_and_reencodes() {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            40,
            20,
            image::Rgb([200, 10, 10]),
        ));
        let mut png = Vec::new();
        image
            .write_with_encoder(image::codecs::png::PngEncoder::new(&mut png))
            .unwrap();
        assert_eq!(probe(&png).ok(), Some((40, 20)));
        for format in [Format::Jpeg, Format::Png, Format::Webp] {
            let small = derive(&png, 16, format).unwrap();
            assert_eq!(probe(&small).ok(), Some((16, 8)), "{format:?}");
        }
        assert!(probe(&png[..30]).is_err());
        // Grey, see-through and 16-bit pictures resize too, their colours kept.
        for image in [
            DynamicImage::ImageLuma8(image::GrayImage::from_pixel(40, 20, image::Luma([90]))),
            DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
                40,
                20,
                image::Rgba([200, 10, 10, 128]),
            )),
            DynamicImage::ImageRgb16(image::ImageBuffer::from_pixel(
                40,
                20,
                image::Rgb([50_000u16, 10, 10]),
            )),
        ] {
            let small = resized(&image, 16);
            assert_eq!((small.width(), small.height()), (16, 8));
            assert_eq!(small.color(), image.color());
            let (got, was) = (small.to_rgba8(), image.to_rgba8());
            let (got, was) = (got.get_pixel(8, 4).0, was.get_pixel(8, 4).0);
            // Weighing by alpha may round a see-through colour by one level.
            assert!(
                (0..4).all(|i| got[i].abs_diff(was[i]) <= 1),
                "{got:?} {was:?}"
            );
        }
        assert!(derive(b"not an image", 16, Format::Png).is_err());
    }
}
