//! The size of an SVG picture as a page lays it out, read from its root element alone: its
//! `width` and `height` in absolute units, else what its `viewBox` says of them.

use quick_xml::events::Event;

/// Width and height in CSS pixels of the SVG `text`: its root's `width` and `height` when both
/// are absolute lengths, one of them with the other drawn from the `viewBox`'s proportions, else
/// the `viewBox`'s own size. None when nothing gives a size (a browser would then stretch it).
pub(crate) fn size(text: &str) -> Option<(u32, u32)> {
    let mut reader = quick_xml::Reader::from_str(text);
    let root = loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => break e,
            Event::Eof => return None,
            _ => {}
        }
    };
    if root.local_name().as_ref() != b"svg" {
        return None;
    }
    let (mut width, mut height, mut view_box) = (None, None, None);
    for attribute in root.attributes().flatten() {
        let Ok(value) = std::str::from_utf8(&attribute.value) else {
            continue;
        };
        match attribute.key.local_name().as_ref() {
            b"width" => width = length(value),
            b"height" => height = length(value),
            b"viewBox" => view_box = view_box_size(value),
            _ => {}
        }
    }
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (_, _, Some(size)) => size,
        _ => return None,
    };
    Some((pixels(w)?, pixels(h)?))
}

/// An absolute length in CSS pixels (`120`, `120px`, `3cm`); None for a relative one (`50%`,
/// `2em`), which only the page around the picture can resolve.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let per_unit = match unit {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    positive(number.trim().parse::<f64>().ok()? * per_unit)
}

/// The width and height of a `viewBox` (`min-x min-y width height`, spaces or commas between).
fn view_box_size(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|n| !n.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] => Some((positive(w)?, positive(h)?)),
        _ => None,
    }
}

fn positive(n: f64) -> Option<f64> {
    (n.is_finite() && n > 0.0).then_some(n)
}

/// A length as whole pixels, at least one.
fn pixels(n: f64) -> Option<u32> {
    let rounded = n.round().max(1.0);
    // An integer-valued float in range converts exactly; a larger one would saturate.
    (rounded <= f64::from(u32::MAX)).then_some(rounded as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_width_and_height_or_the_view_box() {
        let svg = |attributes: &str| {
            format!(
                r#"<?xml version="1.0"?><!-- a --><svg xmlns="http://www.w3.org/2000/svg" {attributes}><rect/></svg>"#
            )
        };
        assert_eq!(
            size(&svg(r#"width="1200" height="630" viewBox="0 0 600 315""#)),
            Some((1200, 630))
        );
        assert_eq!(size(&svg(r#"viewBox="0,0,800,450""#)), Some((800, 450)));
        assert_eq!(
            size(&svg(r#"width="100%" height="100%" viewBox="0 0 800 450""#)),
            Some((800, 450))
        );
        assert_eq!(
            size(&svg(r#"width="400px" viewBox="0 0 800 450""#)),
            Some((400, 225))
        );
        assert_eq!(size(&svg(r#"width="1in" height="2cm""#)), Some((96, 76)));
        assert_eq!(size(&svg(r#"width="50%""#)), None);
        assert_eq!(size(&svg(r#"viewBox="0 0 0 10""#)), None);
        assert_eq!(size("<html><svg width=\"1\" height=\"1\"/></html>"), None);
        assert_eq!(size("not xml at all"), None);
    }
}
