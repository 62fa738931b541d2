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
    pub(crate) fn fetch(&self, url: &str) -> Result<PathBuf, String> {
        let scheme = match url.split_once("://") {
            Some((s, _)) if s.eq_ignore_ascii_case("https") => "https",
            Some((s, _)) if s.eq_ignore_ascii_case("http") => "http",
            _ => return Err("only http and https addresses are fetched".to_string()),
        };
        let path = self.cache.join(cache_name(url));
        if path.metadata().is_ok_and(|m| m.is_file() && m.len() > 0) {
            return Ok(path);
        }
        let mut current = crate::href::written(url.split('#').next().unwrap_or(url));
        for _ in 0..=MAX_REDIRECTS {
            let response = self.agent.get(&current).call().map_err(|e| match e {
                ureq::Error::Timeout(_) => {
                    format!("no answer within {} s", TIMEOUT.as_secs())
                }
                e => format!("cannot reach it: {e}"),
            })?;
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .ok_or_else(|| format!("the site answered {status} without a Location"))?;
                current = redirect(&current, location, scheme)?;
                continue;
            }
            if status != 200 {
                return Err(format!("the site answered {status}"));
            }
            return self.save(response.into_body(), &path);
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }

    /// Writes a response's body to `path` through a temporary file, within [`MAX_BYTES`].
    fn save(&self, body: ureq::Body, path: &Path) -> Result<PathBuf, String> {
        std::fs::create_dir_all(&self.cache)
            .map_err(|e| format!("cannot create {}: {e}", CACHE))?;
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
                return Err(format!("the download failed: {e}"));
            }
        };
        if copied > MAX_BYTES || copied == 0 {
            let _ = std::fs::remove_file(&partial);
            return Err(if copied == 0 {
                "the file is empty".to_string()
            } else {
                format!("the file is larger than {} MB", MAX_BYTES / 1024 / 1024)
            });
        }
        std::fs::rename(&partial, path).map_err(|e| format!("cannot keep the file: {e}"))?;
        Ok(path.to_path_buf())
    }
}

/// The next address of a redirect from `current` to `location`, refused when it changes the
/// original `scheme`.
fn redirect(current: &str, location: &str, scheme: &str) -> Result<String, String> {
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
        return Err(format!(
            "it redirects to another scheme ({next_scheme}:), which is not followed"
        ));
    }
    Ok(crate::href::written(&next))
}

/// The cache's name for `url`: a digest of the address, and its file's extension.
fn cache_name(url: &str) -> String {
    let h = crate::import::write::hash(url.as_bytes());
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
