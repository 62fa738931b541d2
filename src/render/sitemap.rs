//! `sitemap.xml` and `robots.txt`.

use quick_xml::escape::escape;

/// One page of the sitemap.
#[derive(Debug, Default)]
pub(crate) struct Url {
    /// Its absolute URL.
    pub(crate) loc: String,
    /// Its last change (RFC 3339), when known.
    pub(crate) lastmod: Option<String>,
    /// Its versions in every language, itself included, then `x-default`: each language code
    /// and absolute URL; empty when it has no translation.
    pub(crate) alternates: Vec<(String, String)>,
}

/// A sitemap of absolute URLs, with their last-modification dates and their translations
/// (`xhtml:link`, as search engines read hreflang from sitemaps).
pub(crate) fn sitemap(entries: &[Url]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if entries.iter().any(|e| !e.alternates.is_empty()) {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for entry in entries {
        out.push_str("  <url><loc>");
        out.push_str(&escape(entry.loc.as_str()));
        out.push_str("</loc>");
        if let Some(date) = &entry.lastmod {
            out.push_str("<lastmod>");
            out.push_str(&escape(date.as_str()));
            out.push_str("</lastmod>");
        }
        for (lang, url) in &entry.alternates {
            out.push_str("<xhtml:link rel=\"alternate\" hreflang=\"");
            out.push_str(&escape(lang.as_str()));
            out.push_str("\" href=\"");
            out.push_str(&escape(url.as_str()));
            out.push_str("\"/>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// A `robots.txt` that allows everything and points at the sitemap.
pub(crate) fn robots(sitemap_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_urls() {
        let xml = sitemap(&[Url {
            loc: "https://e.org/?a=1&b=2".to_string(),
            ..Url::default()
        }]);
        assert!(
            xml.contains("<loc>https://e.org/?a=1&amp;b=2</loc>"),
            "{xml}"
        );
        assert!(!xml.contains("xmlns:xhtml"), "{xml}");
    }
}
