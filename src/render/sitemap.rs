//! `sitemap.xml` and `robots.txt`.

use quick_xml::escape::escape;

/// A sitemap of absolute URLs, each with an optional last-modification date (RFC 3339).
pub(crate) fn sitemap(entries: &[(String, Option<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in entries {
        out.push_str("  <url><loc>");
        out.push_str(&escape(url.as_str()));
        out.push_str("</loc>");
        if let Some(date) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(&escape(date.as_str()));
            out.push_str("</lastmod>");
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
        let xml = sitemap(&[("https://e.org/?a=1&b=2".to_string(), None)]);
        assert!(
            xml.contains("<loc>https://e.org/?a=1&amp;b=2</loc>"),
            "{xml}"
        );
    }
}
