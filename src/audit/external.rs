//! Links to other sites, checked over the network: a few at a time (and fewer per host, so no
//! site is hammered), each with a timeout. Links found working are remembered for a week in
//! `.tribune/links.json`, so a second check asks again only about the rest.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::write::output;

/// Where working links are remembered, under the site root.
pub(crate) const CACHE_FILE: &str = ".tribune/links.json";
/// How long a working link is trusted without asking again.
const TRUST: chrono::TimeDelta = chrono::TimeDelta::days(7);
/// Requests in flight at once.
const WORKERS: usize = 8;
/// Requests in flight to one host at once.
const PER_HOST: usize = 2;

/// What asking for a link told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The page answered (after redirects) with a success.
    Ok,
    /// The page is gone or unreachable: why.
    Broken(String),
    /// The site would not say (it refuses robots or asks to slow down): why.
    Unsure(String),
}

/// How to check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// Longest wait for one link, redirects included.
    pub(crate) timeout: Duration,
}

/// The cache file: when each working link was last found working.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// Unix seconds of the last success, by URL.
    ok: BTreeMap<String, i64>,
}

/// Checks every URL of `urls` (each once) at `now`, with the site's cache under `root`;
/// returns the outcome of each.
pub(crate) fn check(
    root: &Path,
    urls: &[String],
    settings: Settings,
    now: DateTime<Utc>,
) -> Result<HashMap<String, Outcome>> {
    let mut cache: Cache = std::fs::read(root.join(CACHE_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let trusted = |url: &str| {
        cache
            .ok
            .get(url)
            .and_then(|&at| DateTime::from_timestamp(at, 0))
            .is_some_and(|at| at <= now && now - at < TRUST)
    };
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut asked: Vec<String> = Vec::new();
    for url in urls {
        if outcomes.contains_key(url) || asked.contains(url) {
            continue;
        }
        if trusted(url) {
            outcomes.insert(url.clone(), Outcome::Ok);
        } else {
            asked.push(url.clone());
        }
    }
    for (url, outcome) in ask_all(asked, settings) {
        if outcome == Outcome::Ok {
            cache.ok.insert(url.clone(), now.timestamp());
        } else {
            cache.ok.remove(&url);
        }
        outcomes.insert(url, outcome);
    }
    // Links no longer in the site are forgotten, so the file does not grow forever.
    cache.ok.retain(|url, _| outcomes.contains_key(url));
    let json = serde_json::to_string_pretty(&cache).expect("the link cache serializes") + "\n";
    output::write_file(root, Path::new(CACHE_FILE), json.as_bytes())?;
    Ok(outcomes)
}

/// The work of the checking threads: links not taken yet, and requests in flight per host.
#[derive(Debug, Default)]
struct Queue {
    /// Links no thread has taken.
    pending: VecDeque<String>,
    /// Requests in flight, by host.
    busy: HashMap<String, usize>,
    /// What was found.
    done: Vec<(String, Outcome)>,
}

/// Asks for every link, at most [`WORKERS`] at once and [`PER_HOST`] per host.
fn ask_all(urls: Vec<String>, settings: Settings) -> Vec<(String, Outcome)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!(
            "Tribune/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let queue = Mutex::new(Queue {
        pending: urls.into(),
        ..Queue::default()
    });
    let freed = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                while let Some((url, host)) = take(&queue, &freed) {
                    let outcome = ask(&agent, &url, settings.timeout);
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(n) = q.busy.get_mut(&host) {
                        *n -= 1;
                    }
                    q.done.push((url, outcome));
                    freed.notify_all();
                }
            });
        }
    });
    let mut done = queue.into_inner().unwrap_or_else(|e| e.into_inner()).done;
    done.sort_by(|a, b| a.0.cmp(&b.0));
    done
}

/// The next link whose host has room, waiting while every pending link's host is busy; None
/// when no link is left.
fn take(queue: &Mutex<Queue>, freed: &Condvar) -> Option<(String, String)> {
    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if q.pending.is_empty() {
            return None;
        }
        let free = q
            .pending
            .iter()
            .position(|url| q.busy.get(&host(url)).copied().unwrap_or(0) < PER_HOST);
        if let Some(i) = free {
            let url = q.pending.remove(i).expect("found just now");
            let host = host(&url);
            *q.busy.entry(host.clone()).or_default() += 1;
            return Some((url, host));
        }
        q = freed.wait(q).unwrap_or_else(|e| e.into_inner());
    }
}

/// The host of a URL, lower-cased, without user or port.
pub(crate) fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host.starts_with('[') {
        host.find(']').map_or(host, |end| &host[..=end])
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.to_ascii_lowercase()
}

/// Asks for one link: HEAD first, then GET for servers that refuse HEAD.
fn ask(agent: &ureq::Agent, url: &str, timeout: Duration) -> Outcome {
    // Written links may hold spaces or accents; a request line holds neither.
    let encoded = crate::href::written(url);
    let without_fragment = encoded.split('#').next().unwrap_or(&encoded);
    let status = match agent.head(without_fragment).call() {
        Ok(r) if matches!(r.status().as_u16(), 400 | 403 | 404 | 405 | 501) => agent
            .get(without_fragment)
            .call()
            .map(|r| r.status().as_u16()),
        Ok(r) => Ok(r.status().as_u16()),
        Err(e) => Err(e),
    };
    match status {
        Ok(200..=399) => Outcome::Ok,
        Ok(code @ (401 | 403 | 429 | 999)) => Outcome::Unsure(answered(code)),
        Ok(code) => Outcome::Broken(answered(code)),
        Err(ureq::Error::Timeout(_)) => {
            Outcome::Broken(format!("no answer within {} s", timeout.as_secs()))
        }
        Err(e) => Outcome::Broken(format!("cannot reach it: {e}")),
    }
}

/// "the site answered 404 Not Found".
fn answered(code: u16) -> String {
    format!("the site answered {code} {}", reason(code))
        .trim_end()
        .to_string()
}

/// The usual reason phrase of a status code.
fn reason(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hosts() {
        assert_eq!(host("https://Example.org/a?b"), "example.org");
        assert_eq!(host("http://user@e.org:8080/x"), "e.org");
        assert_eq!(host("http://127.0.0.1:1/"), "127.0.0.1");
    }
}
