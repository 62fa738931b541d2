//! Requests to the networks, with their failures sorted into what the next run may retry and
//! what a person must fix, and the channel's secret kept out of every message.

use std::time::Duration;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The most bytes of an answer read.
const MAX_ANSWER: u64 = 4 << 20;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Failure {
    /// The secret was refused.
    #[error("the server refused the secret ({status}: {message})")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's words.
        message: String,
    },
    /// The server turned the post down: a person must look.
    #[error("the server turned it down ({status}: {message})")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The server's words.
        message: String,
    },
    /// Too many requests: the next run tries again.
    #[error("the server asks to wait{}", .retry_after.map(|s| format!(" {s} s")).unwrap_or_default())]
    RateLimited {
        /// Seconds to wait, when the server says.
        retry_after: Option<u64>,
    },
    /// The server failed or could not be reached: the next run tries again.
    #[error("{0}")]
    Unavailable(String),
}

impl Failure {
    /// Whether the next run may succeed without anyone doing anything.
    pub(crate) fn is_transient(&self) -> bool {
        matches!(self, Failure::RateLimited { .. } | Failure::Unavailable(_))
    }
}

/// An answer: its status and body.
pub(crate) struct Answer {
    /// HTTP status.
    pub(crate) status: u16,
    /// The body, as text.
    pub(crate) body: String,
}

impl Answer {
    /// The body as JSON, or null.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A client for one channel, which knows its secret only to hide it.
pub(crate) struct Client {
    /// For the channel's server: it follows no redirect, so the secret in a request's header
    /// never goes to another address.
    agent: ureq::Agent,
    /// For images on the site, fetched without a secret: redirects followed.
    images: ureq::Agent,
    secret: String,
}

/// A request's body and its type.
pub(crate) enum Body<'a> {
    /// None.
    Empty,
    /// JSON.
    Json(&'a serde_json::Value),
    /// Bytes of a type.
    Bytes(&'a [u8], &'a str),
}

impl Client {
    /// A client whose messages never show `secret`.
    pub(crate) fn new(secret: &str) -> Client {
        let agent = |redirects: u32| {
            ureq::Agent::config_builder()
                .timeout_global(Some(TIMEOUT))
                .http_status_as_error(false)
                .max_redirects(redirects)
                .user_agent(concat!("Tribune/", env!("CARGO_PKG_VERSION"), " (publish)"))
                .build()
                .into()
        };
        Client {
            agent: agent(0),
            images: agent(5),
            secret: secret.to_string(),
        }
    }

    /// `text` with the secret, if it is there, replaced.
    pub(crate) fn redact(&self, text: &str) -> String {
        if self.secret.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.secret, "[secret]")
    }

    /// Sends a request; an answer of 2xx, 4xx or 5xx comes back as it is, except those that
    /// say to wait or that the server is down, which are failures.
    pub(crate) fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<Answer, Failure> {
        let unavailable = |e: ureq::Error| Failure::Unavailable(self.redact(&e.to_string()));
        let answer = match (method, body) {
            ("GET", _) => {
                let mut request = self.agent.get(url);
                for (k, v) in headers {
                    request = request.header(*k, *v);
                }
                request.call()
            }
            (_, body) => {
                let mut request = match method {
                    "PUT" => self.agent.put(url),
                    "DELETE" => {
                        let mut request = self.agent.delete(url);
                        for (k, v) in headers {
                            request = request.header(*k, *v);
                        }
                        return self.answer(request.call().map_err(unavailable)?);
                    }
                    _ => self.agent.post(url),
                };
                for (k, v) in headers {
                    request = request.header(*k, *v);
                }
                match body {
                    Body::Empty => request.send_empty(),
                    Body::Json(value) => request.header("content-type", "application/json").send(
                        serde_json::to_vec(value)
                            .expect("JSON serializes")
                            .as_slice(),
                    ),
                    Body::Bytes(bytes, kind) => request.header("content-type", kind).send(bytes),
                }
            }
        }
        .map_err(unavailable)?;
        self.answer(answer)
    }

    /// Reads an answer, sorting out those that say to wait or that the server is down.
    fn answer(&self, response: ureq::http::Response<ureq::Body>) -> Result<Answer, Failure> {
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("elsewhere");
            return Err(Failure::Rejected {
                status,
                message: format!(
                    "the server sends requests to {location}; write the address it uses as the channel's service"
                ),
            });
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .map_err(|e| Failure::Unavailable(self.redact(&e.to_string())))?;
        match status {
            429 => Err(Failure::RateLimited { retry_after }),
            500..=599 => Err(Failure::Unavailable(format!(
                "the server failed ({status})"
            ))),
            _ => Ok(Answer { status, body }),
        }
    }

    /// The server's words for a refused request: its `error` and `message`, or its body.
    pub(crate) fn words(&self, answer: &Answer) -> String {
        let json = answer.json();
        let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let words = match (field("error"), field("message")) {
            (Some(e), Some(m)) => format!("{e}: {m}"),
            (Some(e), None) => e,
            (None, Some(m)) => m,
            (None, None) => answer.body.chars().take(200).collect(),
        };
        self.redact(&words)
    }

    /// A failure for an answer that is not a success.
    pub(crate) fn failure(&self, answer: &Answer) -> Failure {
        let message = self.words(answer);
        match answer.status {
            401 | 403 => Failure::Refused {
                status: answer.status,
                message,
            },
            status => Failure::Rejected { status, message },
        }
    }

    /// The bytes at `url`, at most `limit` of them; `None` when there are more.
    pub(crate) fn fetch(&self, url: &str, limit: u64) -> Result<Option<Vec<u8>>, Failure> {
        let response = self
            .images
            .get(url)
            .call()
            .map_err(|e| Failure::Unavailable(self.redact(&e.to_string())))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(Failure::Unavailable(format!("{url} answered {status}")));
        }
        match response
            .into_body()
            .with_config()
            .limit(limit)
            .read_to_vec()
        {
            Ok(bytes) => Ok(Some(bytes)),
            Err(ureq::Error::BodyExceedsLimit(_)) => Ok(None),
            Err(e) => Err(Failure::Unavailable(self.redact(&e.to_string()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows() {
        let client = Client::new("s3cret-app-password");
        assert_eq!(
            client.redact("login with s3cret-app-password failed"),
            "login with [secret] failed"
        );
    }
}
