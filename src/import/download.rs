//! `--download-media`: the old site's media fetched over HTTP(S), for an import without a
//! backup of `wp-content/uploads`, before the old host closes.
//!
//! Each file goes into the import's cache under the site's `.tribune/` folder, by a name made
//! from its URL, so a second import fetches nothing again; the plan then copies it beside its
//! post like a file of the uploads folder. A request waits at most [`TIMEOUT`], a file weighs
//! at most [`MAX_BYTES`], and a redirect may not change the scheme (an `https` address is
//! never answered over plain `http`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where downloaded media are kept, under the site folder.
pub(crate) const CACHE: &str = ".tribune/import/media";
/// How long one request may take, whole.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The largest file fetched: far above a photo or a podcast episode, well below a disk.
const MAX_BYTES: u64 = 200 * 1024 * 1024;
/// Redirects followed for one file.
const MAX_REDIRECTS: usize = 5;

/// Fetches media into the cache.
pub(crate) struct Downloader {
    agent: ureq::Agent,
    cache: PathBuf,
}

impl Downloader {
    /// A downloader writing into `site_root`'s cache.
    pub(crate) fn new(site_root: &Path) -> Downloader {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            // Redirects are followed here, where their scheme is checked.
            .max_redirects(0)
            .user_agent(concat!("Tribune/", env!("CARGO_PKG_VERSION"), " (import)"))
            .build()
            .into();
        Downloader {
            agent,
            cache: site_root.join(CACHE),
        }
    }

    /// The cached copy of `url`, fetched when the cache lacks it; an error says why it could
    /// not be had.
    pub(crate) fn fetch(&self, url: &str) -> Result<PathBuf, FetchError> {
        let scheme = match url.split_once("://") {
            Some((s, _)) if s.eq_ignore_ascii_case("https") => "https",
            Some((s, _)) if s.eq_ignore_ascii_case("http") => "http",
            _ => return Err(FetchError::Scheme),
        };
        let path = self.cache.join(cache_name(url));
        if path.metadata().is_ok_and(|m| m.is_file() && m.len() > 0) {
            return Ok(path);
        }
        let mut current = crate::href::written(url.split('#').next().unwrap_or(url));
        for _ in 0..=MAX_REDIRECTS {
            let response = self.agent.get(&current).call().map_err(|e| match e {
                ureq::Error::Timeout(_) => FetchError::Timeout,
                e => FetchError::Unreachable(e.to_string()),
            })?;
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .ok_or(FetchError::NoLocation(status))?;
                current = redirect(&current, location, scheme)?;
                continue;
            }
            if status != 200 {
                return Err(FetchError::Status(status));
            }
            return self.save(response.into_body(), &path);
        }
        Err(FetchError::Redirects)
    }

    /// Writes a response's body to `path` through a temporary file, within [`MAX_BYTES`].
    fn save(&self, body: ureq::Body, path: &Path) -> Result<PathBuf, FetchError> {
        std::fs::create_dir_all(&self.cache).map_err(FetchError::Cache)?;
        let partial = path.with_extension("partial");
        let result = (|| {
            let mut file = std::fs::File::create(&partial)?;
            let mut reader = body.into_reader().take(MAX_BYTES + 1);
            let copied = std::io::copy(&mut reader, &mut file)?;
            file.flush()?;
            Ok::<u64, std::io::Error>(copied)
        })();
        let copied = match result {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(FetchError::Interrupted(e));
            }
        };
        if copied > MAX_BYTES || copied == 0 {
            let _ = std::fs::remove_file(&partial);
            return Err(if copied == 0 {
                FetchError::Empty
            } else {
                FetchError::TooLarge
            });
        }
        std::fs::rename(&partial, path).map_err(FetchError::Cache)?;
        Ok(path.to_path_buf())
    }
}

/// Why a file of the old site could not be had; listed beside its address in the report.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FetchError {
    /// Neither http nor https.
    #[error("only http and https addresses are fetched")]
    Scheme,
    /// The server kept quiet.
    #[error("no answer within {} s", TIMEOUT.as_secs())]
    Timeout,
    /// No connection, or a broken answer.
    #[error("cannot reach it: {0}")]
    Unreachable(String),
    /// A redirect without its address.
    #[error("the site answered {0} without a Location")]
    NoLocation(u16),
    /// A redirect to another scheme, which could reach a local file or leave https.
    #[error("it redirects to another scheme ({0}:), which is not followed")]
    OtherScheme(String),
    /// Anything but 200.
    #[error("the site answered {0}")]
    Status(u16),
    /// A redirect loop, or nearly.
    #[error("more than {MAX_REDIRECTS} redirects")]
    Redirects,
    /// The body stopped coming.
    #[error("the download failed: {0}")]
    Interrupted(std::io::Error),
    /// Nothing came.
    #[error("the file is empty")]
    Empty,
    /// More than an upload can be.
    #[error("the file is larger than {} MB", MAX_BYTES / 1024 / 1024)]
    TooLarge,
    /// The cache folder refused the file.
    #[error("cannot keep the file in {CACHE}: {0}")]
    Cache(std::io::Error),
}

/// The next address of a redirect from `current` to `location`, refused when it changes the
/// original `scheme`.
fn redirect(current: &str, location: &str, scheme: &str) -> Result<String, FetchError> {
    let next = if location.contains("://") {
        location.to_string()
    } else if let Some(rest) = location.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else {
        let (s, rest) = current.split_once("://").unwrap_or((scheme, current));
        let host = rest.split('/').next().unwrap_or(rest);
        if location.starts_with('/') {
            format!("{s}://{host}{location}")
        } else {
            let dir = current.rsplit_once('/').map_or(current, |(d, _)| d);
            format!("{dir}/{location}")
        }
    };
    let next_scheme = next.split_once("://").map_or("", |(s, _)| s);
    if !next_scheme.eq_ignore_ascii_case(scheme) {
        return Err(FetchError::OtherScheme(next_scheme.to_string()));
    }
    Ok(crate::href::written(&next))
}

/// The cache's name for `url`: a digest of the address, and its file's extension.
fn cache_name(url: &str) -> String {
    let h = crate::import::text::hash(url.as_bytes());
    let last = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .rsplit('/')
        .next()
        .unwrap_or("");
    let ext: String = last
        .rsplit_once('.')
        .map(|(_, e)| e)
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    if ext.is_empty() {
        h
    } else {
        format!("{h}.{ext}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_keep_their_scheme() {
        assert_eq!(
            redirect("https://a.example/x/y.jpg", "/z.jpg", "https").unwrap(),
            "https://a.example/z.jpg"
        );
        assert_eq!(
            redirect("https://a.example/x/y.jpg", "z.jpg", "https").unwrap(),
            "https://a.example/x/z.jpg"
        );
        assert!(
            redirect("https://a.example/y.jpg", "http://a.example/y.jpg", "https")
                .unwrap_err()
                .to_string()
                .contains("another scheme")
        );
        assert!(redirect("http://a.example/y", "file:///etc/passwd", "http").is_err());
    }

    #[test]
    fn cache_names_keep_the_extension_only() {
        assert!(cache_name("https://a.example/../../etc/passwd").len() == 16);
        assert!(cache_name("https://a.example/p.JPG?x=1").ends_with(".jpg"));
    }
}
