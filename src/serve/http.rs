//! Answers one HTTP request from the build in memory: pretty URLs, content types, the site's
//! 404 page, and nothing outside the build, whatever the path says.

use std::sync::Arc;

use percent_encoding::percent_decode_str;

use crate::serve::reload::{self, EVENTS_PATH, SCRIPT_PATH};
use crate::serve::state::Shared;
use crate::serve::wire::{Answer, Request, Response};

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file of the build, relative to the output folder.
    File(String),
    /// A folder whose path lacks its final slash: redirect to it.
    Folder(String),
    /// Nothing the build has.
    Missing,
}

/// Resolves a request path (with its query) against the files a build has.
/// Anything that could name a file outside the build (`..`, encoded slashes or backslashes,
/// NUL) is missing, before any lookup.
pub(crate) fn resolve(url: &str, exists: impl Fn(&str) -> bool) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let lower = path.to_ascii_lowercase();
    if !path.starts_with('/') || lower.contains("%2f") || lower.contains("%5c") {
        return Target::Missing;
    }
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Target::Missing;
    };
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    let unsafe_segment = segments.iter().enumerate().any(|(i, s)| {
        (s.is_empty() && i != last) || *s == ".." || *s == "." || s.contains(['\\', '\0', ':'])
    });
    if unsafe_segment {
        return Target::Missing;
    }
    let file = &decoded[1..];
    if file.is_empty() || file.ends_with('/') {
        let index = format!("{file}index.html");
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::Missing
        };
    }
    if exists(file) {
        Target::File(file.to_string())
    } else if exists(&format!("{file}/index.html")) {
        Target::Folder(format!("{path}/"))
    } else {
        Target::Missing
    }
}

/// Answers `request`.
pub(crate) fn handle(request: &Request, shared: &Arc<Shared>) -> Answer {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        let mut response = Response::text(405, "only GET and HEAD are served\n");
        response.headers.push(("Allow", "GET, HEAD".to_string()));
        return Answer::Response(response);
    }
    let url = request.target.as_str();
    let path = url.split('?').next().unwrap_or("");
    if path == EVENTS_PATH {
        let shared = Arc::clone(shared);
        return Answer::Stream {
            headers: vec![
                ("Content-Type", "text/event-stream".to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            take: Box::new(move |stream| shared.clients.add(Box::new(stream))),
        };
    }
    if path == SCRIPT_PATH {
        return respond(
            200,
            "text/javascript; charset=utf-8",
            reload::SCRIPT.as_bytes().to_vec(),
        );
    }
    let (snapshot, error) = shared.current();
    let Some(snapshot) = snapshot else {
        let page = reload::error_page(error.as_deref().unwrap_or("building…"));
        return respond(503, "text/html; charset=utf-8", page);
    };
    let (status, file) = match resolve(url, |f| snapshot.has(f)) {
        Target::File(file) => (200, file),
        Target::Folder(location) => {
            return Answer::Response(Response {
                status: 301,
                headers: vec![
                    ("Location", location),
                    ("Cache-Control", "no-store".to_string()),
                ],
                body: Vec::new(),
            });
        }
        Target::Missing => (404, "404.html".to_string()),
    };
    let Some(bytes) = snapshot.get(&file) else {
        return Answer::Response(Response::text(404, "not found\n"));
    };
    let kind = content_type(&file);
    let body = if kind.starts_with("text/html") {
        reload::inject(&bytes, error.as_deref())
    } else {
        bytes.to_vec()
    };
    respond(status, &kind, body)
}

/// The media type of a file, by its extension, with a charset for text.
pub(crate) fn content_type(file: &str) -> String {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml")
        || mime.suffix().is_some_and(|s| s == mime_guess::mime::XML);
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

fn respond(status: u16, kind: &str, body: Vec<u8>) -> Answer {
    Answer::Response(Response {
        status,
        headers: vec![
            ("Content-Type", kind.to_string()),
            ("Cache-Control", "no-store".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
        ],
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(file: &str) -> bool {
        ["index.html", "posts/x/index.html", "style.css", "rss.xml"].contains(&file)
    }

    #[test]
    fn serves_pretty_urls() {
        assert_eq!(resolve("/", site), Target::File("index.html".into()));
        assert_eq!(
            resolve("/posts/x/?utm=1", site),
            Target::File("posts/x/index.html".into())
        );
        assert_eq!(
            resolve("/posts/x", site),
            Target::Folder("/posts/x/".into())
        );
        assert_eq!(
            resolve("/style.css", site),
            Target::File("style.css".into())
        );
        assert_eq!(resolve("/nope/", site), Target::Missing);
    }

    #[test]
    fn refuses_paths_that_leave_the_build() {
        for url in [
            "/../etc/passwd",
            "/posts/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/posts%2fx/index.html",
            "/..%5cwindows",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/posts/%00/index.html",
            "etc/passwd",
            "/%ff",
        ] {
            assert_eq!(resolve(url, |_| true), Target::Missing, "{url}");
        }
    }

    #[test]
    fn names_types_with_charsets_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("rss.xml"), "text/xml; charset=utf-8");
        assert_eq!(
            content_type("share-icons.svg"),
            "image/svg+xml; charset=utf-8"
        );
        assert_eq!(content_type("cover.png"), "image/png");
    }
}
