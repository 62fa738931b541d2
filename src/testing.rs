//! What several modules' tests share.

/// The WCAG contrast ratio of two colours written `#rgb` or `#rrggbb`.
pub(crate) fn contrast_ratio(a: &str, b: &str) -> f64 {
    let luminance = |colour: &str| {
        let hex = colour.trim_start_matches('#');
        let hex: String = if hex.len() == 3 {
            hex.chars().flat_map(|c| [c, c]).collect()
        } else {
            hex.to_string()
        };
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn contrast_ratios_match_the_wcag_examples() {
    assert!((contrast_ratio("#000", "#ffffff") - 21.0).abs() < 0.01);
    assert!((contrast_ratio("#777777", "#fff") - 4.48).abs() < 0.01);
}
