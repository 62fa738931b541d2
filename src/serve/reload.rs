//! Live reload: the script pages load, the event stream it listens to, and the error overlay.
//! None of it is ever part of a build; the server adds it to the HTML it serves.

use std::io::Write;
use std::sync::Mutex;

/// Where the script is served.
pub(crate) const SCRIPT_PATH: &str = "/__tribune/reload.js";
/// Where the event stream is served.
pub(crate) const EVENTS_PATH: &str = "/__tribune/events";

/// Listens for rebuilds: a page reloads after one, and only swaps its stylesheets when nothing
/// but CSS changed. The browser reconnects by itself if the server restarts.
pub(crate) const SCRIPT: &str = r#"(() => {
  const events = new EventSource("/__tribune/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("tribune-reload", Date.now());
      link.href = url.href;
    }
  });
})();
"#;

/// What a rebuild asks open pages to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// Load the page again.
    Reload,
    /// Fetch the stylesheets again.
    Css,
}

/// The open pages' event streams.
#[derive(Default)]
pub(crate) struct Clients(Mutex<Vec<Box<dyn Write + Send>>>);

impl Clients {
    /// Adds a stream whose response headers were sent.
    pub(crate) fn add(&self, mut stream: Box<dyn Write + Send>) {
        // Reconnect quickly after a restart of the server.
        if stream.write_all(b"retry: 500\n\n").is_ok() && stream.flush().is_ok() {
            self.lock().push(stream);
        }
    }

    /// Sends `event` to every open page, forgetting the pages that closed.
    pub(crate) fn send(&self, event: Event) {
        let name = match event {
            Event::Reload => "reload",
            Event::Css => "css",
        };
        self.write(format!("event: {name}\ndata: {name}\n\n").as_bytes());
    }

    /// Sends a comment, so that closed pages are noticed even when nothing changes.
    pub(crate) fn ping(&self) {
        self.write(b": ping\n\n");
    }

    fn write(&self, bytes: &[u8]) {
        self.lock()
            .retain_mut(|s| s.write_all(bytes).is_ok() && s.flush().is_ok());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Write + Send>>> {
        // A panic elsewhere cannot leave the list half-changed: keep serving.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `html` with the reload script, and the overlay when the last save broke the build, added
/// before its closing body tag.
pub(crate) fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut snippet = String::new();
    if let Some(error) = error {
        snippet.push_str(&overlay(error, &page_language(html)));
    }
    snippet.push_str(&format!("<script src=\"{SCRIPT_PATH}\"></script>\n"));
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A page for when no build has succeeded yet: only the overlay.
pub(crate) fn error_page(error: &str) -> Vec<u8> {
    inject(
        b"<!doctype html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Build failed</title></head><body></body></html>\n",
        Some(error),
    )
}

/// The language of a page, from its `<html lang>`; English when it names none.
fn page_language(html: &[u8]) -> String {
    let head = &html[..html.len().min(2048)];
    let head = String::from_utf8_lossy(head);
    head.find("<html lang=\"")
        .map(|at| &head[at + 12..])
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("en")
        .to_string()
}

/// The panel's heading in the page's language (French or English), typeset like the page.
fn heading(lang: &str) -> &'static str {
    if crate::locale::is_french(lang) {
        "Tribune\u{A0}: la dernière modification n’a pas pu être construite. Cette page est la dernière version réussie."
    } else {
        "Tribune: the last save did not build. This page is the last good build."
    }
}

/// The error panel over every page: a heading in the page's language, then the terminal's
/// text of the errors, escaped, which is English like every message Tribune prints.
fn overlay(error: &str, lang: &str) -> String {
    let text = quick_xml::escape::escape(error);
    let heading = heading(lang);
    let lang = quick_xml::escape::escape(lang);
    format!(
        "<div id=\"tribune-error\" role=\"alert\" lang=\"{lang}\" style=\"position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#ffe8e8;border-top:4px solid #e5484d;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -8px 24px rgb(0 0 0/.35)\">\
<strong style=\"display:block;margin-bottom:.5rem;font:700 15px/1.4 system-ui,sans-serif\">{heading}</strong>\
<pre lang=\"en\" style=\"margin:0;white-space:pre-wrap;font:inherit\">{text}</pre></div>\n"
    )
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_script_before_the_closing_body_tag() {
        let html = inject(b"<html><body><p>x</p></body></html>", None);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__tribune/reload.js\"></script>\n</body></html>"
        );
    }

    #[test]
    fn escapes_the_error_in_the_overlay() {
        let html = String::from_utf8(inject(b"<p>x</p>", Some("bad <b> & co"))).unwrap();
        assert!(html.contains("bad &lt;b&gt; &amp; co"), "{html}");
        assert!(html.ends_with("</script>\n"), "{html}");
    }

    #[test]
    fn the_panel_speaks_the_page_language() {
        let fr = String::from_utf8(inject(b"<html lang=\"fr\"><body></body></html>", Some("x")))
            .unwrap();
        assert!(
            fr.contains("lang=\"fr\"") && fr.contains("Tribune\u{A0}: la dernière"),
            "{fr}"
        );
        let en = String::from_utf8(error_page("x")).unwrap();
        assert!(en.contains("Tribune: the last save did not build"), "{en}");
    }
}
