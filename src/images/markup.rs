//! The HTML of a responsive image: a `<picture>` offering WebP and the original format at every
//! published width, with the original's size so the page does not jump as it loads.

use crate::images::{Format, variant_path, widths};

/// How wide images are laid out: the whole screen on a phone, the text column beyond.
pub(crate) const SIZES: &str = "(max-width: 46rem) 100vw, 46rem";

/// An image to show at several widths.
pub(crate) struct Picture<'a> {
    /// Its URL as written (relative to the page, or rooted).
    pub(crate) src: &'a str,
    /// Its format.
    pub(crate) format: Format,
    /// Width and height as shown.
    pub(crate) size: (u32, u32),
    /// Text alternative, already escaped for an attribute.
    pub(crate) alt: &'a str,
    /// Title, already escaped for an attribute.
    pub(crate) title: &'a str,
    /// Whether it loads at once (the first image of a page) rather than when scrolled to.
    pub(crate) eager: bool,
}

impl Picture<'_> {
    /// The `srcset` of the picture in `format`, for the configured widths.
    pub(crate) fn srcset(&self, configured: &[u32], format: Format) -> String {
        let original = self.size.0;
        widths(configured, original)
            .iter()
            .map(|&w| format!("{} {w}w", variant_path(self.src, w, original, format)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The markup, for the configured widths.
    pub(crate) fn html(&self, configured: &[u32]) -> String {
        let (w, h) = self.size;
        let loading = if self.eager { "" } else { r#" loading="lazy""# };
        let title = if self.title.is_empty() {
            String::new()
        } else {
            format!(r#" title="{}""#, self.title)
        };
        format!(
            r#"<picture><source type="{webp}" srcset="{webp_set}" sizes="{SIZES}"><img src="{src}" srcset="{set}" sizes="{SIZES}" width="{w}" height="{h}" alt="{alt}"{title}{loading} decoding="async"></picture>"#,
            webp = Format::Webp.mime(),
            webp_set = self.srcset(configured, Format::Webp),
            src = self.src,
            set = self.srcset(configured, self.format),
            alt = self.alt,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_every_width_in_two_formats() {
        let p = Picture {
            src: "photo.jpg",
            format: Format::Jpeg,
            size: (1000, 500),
            alt: "Un port",
            title: "",
            eager: false,
        };
        assert_eq!(
            p.html(&[480, 800, 1200]),
            r#"<picture><source type="image/webp" srcset="photo-480w.webp 480w, photo-800w.webp 800w, photo.webp 1000w" sizes="(max-width: 46rem) 100vw, 46rem"><img src="photo.jpg" srcset="photo-480w.jpg 480w, photo-800w.jpg 800w, photo.jpg 1000w" sizes="(max-width: 46rem) 100vw, 46rem" width="1000" height="500" alt="Un port" loading="lazy" decoding="async"></picture>"#
        );
    }
}
