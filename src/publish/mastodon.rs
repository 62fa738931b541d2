//! Posting to a Mastodon server with its REST API and an access token: the status with its
//! language and visibility, an `Idempotency-Key` so a repeated request makes one status, and,
//! before posting, a look at the account's latest statuses for one made by an earlier run.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::load::config::Visibility;
use crate::publish::bluesky::Outcome;
use crate::publish::http::{Body, Client, Failure};
use crate::publish::plan::Planned;

/// How many of the account's latest statuses are read to find one already made.
const RECENT: usize = 40;

/// An account on a Mastodon server.
pub(crate) struct Mastodon {
    client: Client,
    service: String,
    auth: String,
    account: String,
}

/// What a status carries besides its text.
pub(crate) struct Extras {
    /// Who sees it.
    pub(crate) visibility: Visibility,
    /// An image to attach: its bytes, type and alternative text.
    pub(crate) media: Option<(Vec<u8>, String, String)>,
    /// A time for the server to post it at, rather than now.
    pub(crate) scheduled_at: Option<DateTime<Utc>>,
}

impl Mastodon {
    /// The account of an access token.
    pub(crate) fn login(service: &str, token: &str) -> Result<Mastodon, Failure> {
        let client = Client::new(token);
        let auth = format!("Bearer {token}");
        let answer = client.send(
            "GET",
            &format!("{service}/api/v1/accounts/verify_credentials"),
            &[("authorization", &auth)],
            Body::Empty,
        )?;
        if answer.status != 200 {
            return Err(client.failure(&answer));
        }
        let account = match &answer.json()["id"] {
            Value::String(id) => id.clone(),
            _ => {
                return Err(Failure::Unavailable(
                    "the server's account has no id".to_string(),
                ));
            }
        };
        Ok(Mastodon {
            client,
            service: service.to_string(),
            auth,
            account,
        })
    }

    fn get(&self, path: &str) -> Result<Value, Failure> {
        let answer = self.client.send(
            "GET",
            &format!("{}{path}", self.service),
            &[("authorization", &self.auth)],
            Body::Empty,
        )?;
        if answer.status != 200 {
            return Err(self.client.failure(&answer));
        }
        Ok(answer.json())
    }

    /// The status of `item` if the account already has it: among its latest statuses, made at
    /// or after the item's time with the same text, or among those it scheduled.
    pub(crate) fn find(&self, item: &Planned) -> Result<Option<String>, Failure> {
        let since = item.at.with_timezone(&Utc) - TimeDelta::minutes(1);
        let text = squeeze(&item.text);
        let statuses = self.get(&format!(
            "/api/v1/accounts/{}/statuses?limit={RECENT}",
            self.account
        ))?;
        let posted = statuses.as_array().into_iter().flatten().find(|status| {
            status["created_at"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| t.with_timezone(&Utc) >= since)
                && status["content"]
                    .as_str()
                    .is_some_and(|html| text_of(html) == text)
        });
        if let Some(id) = posted.and_then(|s| s["id"].as_str()) {
            return Ok(Some(id.to_string()));
        }
        let scheduled = self.get("/api/v1/scheduled_statuses")?;
        Ok(scheduled
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| {
                s["params"]["text"]
                    .as_str()
                    .is_some_and(|t| squeeze(t) == text)
            })
            .and_then(|s| s["id"].as_str().map(|id| format!("scheduled:{id}"))))
    }

    /// Posts item `id`, or hands it to the server's scheduler; returns the status's id
    /// (`scheduled:ID` for a scheduled one).
    pub(crate) fn post(
        &self,
        id: &str,
        item: &Planned,
        extras: Extras,
    ) -> Result<Outcome, Failure> {
        let mut status = json!({
            "status": item.text,
            "visibility": extras.visibility.key(),
        });
        if !item.lang.is_empty() {
            let primary = item.lang.split('-').next().unwrap_or(&item.lang);
            status["language"] = json!(primary.to_ascii_lowercase());
        }
        if let Some((bytes, kind, alt)) = &extras.media {
            status["media_ids"] = json!([self.upload(bytes, kind, alt)?]);
        }
        if let Some(at) = extras.scheduled_at {
            status["scheduled_at"] = json!(at.to_rfc3339_opts(SecondsFormat::Secs, true));
        }
        // The key names this item and this text: a repeated request of the same post makes
        // one status, and an edited text is a new request.
        let key = format!(
            "tribune-{:08x}-{:08x}",
            crate::hash::fnv1a(id.as_bytes()),
            crate::hash::fnv1a(item.text.as_bytes())
        );
        let answer = self.client.send(
            "POST",
            &format!("{}/api/v1/statuses", self.service),
            &[("authorization", &self.auth), ("idempotency-key", &key)],
            Body::Json(&status),
        )?;
        if answer.status != 200 {
            return Err(self.client.failure(&answer));
        }
        let json = answer.json();
        let made = json["id"]
            .as_str()
            .ok_or_else(|| Failure::Unavailable("the server's status has no id".to_string()))?;
        Ok(Outcome::Posted(if extras.scheduled_at.is_some() {
            format!("scheduled:{made}")
        } else {
            made.to_string()
        }))
    }

    /// Cancels a scheduled status.
    pub(crate) fn cancel(&self, scheduled: &str) -> Result<(), Failure> {
        let id = scheduled.trim_start_matches("scheduled:");
        let answer = self.client.send(
            "DELETE",
            &format!("{}/api/v1/scheduled_statuses/{id}", self.service),
            &[("authorization", &self.auth)],
            Body::Empty,
        )?;
        match answer.status {
            200 | 404 => Ok(()),
            _ => Err(self.client.failure(&answer)),
        }
    }

    /// Uploads an image with its description; returns its media id.
    fn upload(&self, bytes: &[u8], kind: &str, alt: &str) -> Result<String, Failure> {
        let boundary = format!(
            "tribune{:08x}",
            crate::hash::fnv1a(bytes) ^ crate::hash::fnv1a(alt.as_bytes())
        );
        let extension = kind.rsplit('/').next().unwrap_or("png");
        let mut body = Vec::with_capacity(bytes.len() + 512);
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{alt}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"card.{extension}\"\r\nContent-Type: {kind}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let answer = self.client.send(
            "POST",
            &format!("{}/api/v2/media", self.service),
            &[("authorization", &self.auth)],
            Body::Bytes(&body, &format!("multipart/form-data; boundary={boundary}")),
        )?;
        if !matches!(answer.status, 200 | 202) {
            return Err(self.client.failure(&answer));
        }
        answer.json()["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Failure::Unavailable("the server's media has no id".to_string()))
    }
}

/// The text of a status's HTML content, white space made single spaces: paragraphs and line
/// breaks are spaces, tags dropped, entities decoded.
fn text_of(html: &str) -> String {
    let spaced = html
        .replace("</p><p>", " ")
        .replace("<br>", " ")
        .replace("<br/>", " ")
        .replace("<br />", " ");
    crate::body::shortcodes::plain_text(&spaced)
}

/// A text with its white space made single spaces, as comparisons need it.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_reads_as_the_text_that_made_it() {
        let html = "<p>Nouvel article &amp; plus : <a href=\"https://carnet.fr/a\" rel=\"nofollow\"><span class=\"invisible\">https://</span><span class=\"\">carnet.fr/a</span><span class=\"invisible\"></span></a></p><p>#écriture</p>";
        assert_eq!(
            text_of(html),
            squeeze("Nouvel article & plus : https://carnet.fr/a\n\n#écriture")
        );
    }
}
