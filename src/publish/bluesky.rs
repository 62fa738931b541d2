//! Posting to Bluesky through any PDS, with the AT Protocol's XRPC calls: a session from an
//! app password, the post's card uploaded as a blob, and the post written under a record key
//! made from the item, so that writing it twice writes it once.

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::publish::http::{Body, Client, Failure};
use crate::publish::plan::Planned;
use crate::social::export::Feature;

/// The collection of posts.
const POSTS: &str = "app.bsky.feed.post";
/// The largest thumbnail Bluesky takes, in bytes.
pub(crate) const MAX_THUMB: u64 = 1_000_000;
/// The alphabet of record keys made from a time (TIDs), in the order that sorts them.
const TID_ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
/// How many of the account's latest posts are read to find one already made.
const RECENT: usize = 50;

/// A session on a PDS.
pub(crate) struct Bluesky {
    client: Client,
    service: String,
    did: String,
    token: String,
}

/// What a post became.
pub(crate) enum Outcome {
    /// It was posted now.
    Posted(String),
    /// It was already there: posted by an earlier run whose plan was lost or not saved.
    Found(String),
}

impl Bluesky {
    /// Opens a session for `account` (handle or DID) with an app password.
    pub(crate) fn login(service: &str, account: &str, secret: &str) -> Result<Bluesky, Failure> {
        let client = Client::new(secret);
        let answer = client.send(
            "POST",
            &format!("{service}/xrpc/com.atproto.server.createSession"),
            &[],
            Body::Json(&json!({ "identifier": account, "password": secret })),
        )?;
        if answer.status != 200 {
            return Err(match client.failure(&answer) {
                Failure::Rejected { status, message } if status == 400 || status == 401 => {
                    Failure::Refused { status, message }
                }
                other => other,
            });
        }
        let session = answer.json();
        let field = |k: &str| session.get(k).and_then(Value::as_str).map(str::to_string);
        match (field("did"), field("accessJwt")) {
            (Some(did), Some(token)) => Ok(Bluesky {
                client,
                service: service.to_string(),
                did,
                token,
            }),
            _ => Err(Failure::Unavailable(
                "the server's session has no did or accessJwt".to_string(),
            )),
        }
    }

    fn xrpc(&self, method: &str) -> String {
        format!("{}/xrpc/{method}", self.service)
    }

    /// The post of item `id` if the account already has it: under its record key, or among
    /// its latest posts with the same text, made at or after the item's time.
    pub(crate) fn find(&self, id: &str, item: &Planned) -> Result<Option<String>, Failure> {
        let key = record_key(id, item.at);
        let answer = self.client.send(
            "GET",
            &format!(
                "{}?repo={}&collection={POSTS}&rkey={key}",
                self.xrpc("com.atproto.repo.getRecord"),
                self.did
            ),
            &[],
            Body::Empty,
        )?;
        if answer.status == 200 {
            return Ok(Some(self.uri(&key)));
        }
        let answer = self.client.send(
            "GET",
            &format!(
                "{}?repo={}&collection={POSTS}&limit={RECENT}",
                self.xrpc("com.atproto.repo.listRecords"),
                self.did
            ),
            &[],
            Body::Empty,
        )?;
        if answer.status != 200 {
            return Err(self.client.failure(&answer));
        }
        let since = item.at.with_timezone(&Utc) - TimeDelta::minutes(1);
        let found = answer.json()["records"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|record| {
                let value = &record["value"];
                value["text"].as_str() == Some(item.text.as_str())
                    && value["createdAt"]
                        .as_str()
                        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                        .is_some_and(|t| t.with_timezone(&Utc) >= since)
            })
            .and_then(|record| record["uri"].as_str().map(str::to_string));
        Ok(found)
    }

    /// The DID of a handle, if it has one.
    pub(crate) fn resolve(&self, handle: &str) -> Result<Option<String>, Failure> {
        let answer = self.client.send(
            "GET",
            &format!(
                "{}?handle={handle}",
                self.xrpc("com.atproto.identity.resolveHandle")
            ),
            &[],
            Body::Empty,
        )?;
        Ok((answer.status == 200)
            .then(|| answer.json()["did"].as_str().map(str::to_string))
            .flatten())
    }

    /// Posts item `id` with its facets and a link card, its thumbnail `thumb` (bytes and type)
    /// when there is one. The record key comes from the item, so a second write of the same
    /// post changes nothing, and one of another text is refused rather than made twice.
    pub(crate) fn post(
        &self,
        id: &str,
        item: &Planned,
        facets: Vec<Value>,
        thumb: Option<(Vec<u8>, String)>,
    ) -> Result<Outcome, Failure> {
        let auth = format!("Bearer {}", self.token);
        let mut external = json!({
            "uri": item.link,
            "title": item.title,
            "description": item.description,
        });
        if let Some((bytes, kind)) = thumb {
            let answer = self.client.send(
                "POST",
                &self.xrpc("com.atproto.repo.uploadBlob"),
                &[("authorization", &auth)],
                Body::Bytes(&bytes, &kind),
            )?;
            if answer.status != 200 {
                return Err(self.client.failure(&answer));
            }
            external["thumb"] = answer.json()["blob"].clone();
        }
        let mut record = json!({
            "$type": POSTS,
            "text": item.text,
            "createdAt": item.at.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true),
            "embed": { "$type": "app.bsky.embed.external", "external": external },
        });
        if !item.lang.is_empty() {
            record["langs"] = json!([item.lang]);
        }
        if !facets.is_empty() {
            record["facets"] = Value::Array(facets);
        }
        let key = record_key(id, item.at);
        let answer = self.client.send(
            "POST",
            &self.xrpc("com.atproto.repo.putRecord"),
            &[("authorization", &auth)],
            Body::Json(&json!({
                "repo": self.did,
                "collection": POSTS,
                "rkey": key,
                "record": record,
                // Only where there is no record yet: a second run cannot post it again.
                "swapRecord": null,
            })),
        )?;
        let json = answer.json();
        match answer.status {
            200 if json.get("commit").is_some() => Ok(Outcome::Posted(self.uri(&key))),
            200 => Ok(Outcome::Found(self.uri(&key))),
            400 if json["error"] == "InvalidSwap" => Ok(Outcome::Found(self.uri(&key))),
            _ => Err(self.client.failure(&answer)),
        }
    }

    fn uri(&self, key: &str) -> String {
        format!("at://{}/{POSTS}/{key}", self.did)
    }
}

/// The record key of item `id` planned at `at`: a TID, as post keys must be, of the time in
/// microseconds and a clock id drawn from the item's id, so two items at one time differ.
pub(crate) fn record_key(id: &str, at: DateTime<FixedOffset>) -> String {
    let micros = at.timestamp_micros().max(0) as u64 & ((1 << 53) - 1);
    let clock = u64::from(crate::hash::fnv1a(id.as_bytes())) & 1023;
    let mut n = (micros << 10) | clock;
    let mut key = [b'2'; 13];
    for slot in key.iter_mut().rev() {
        *slot = TID_ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    String::from_utf8_lossy(&key).into_owned()
}

/// A post's facets as records write them, from the text's byte ranges as Bluesky's own app
/// finds them; `did_of` finds the DID of a mentioned handle, and a mention it cannot find is
/// left as plain text (with a warning from the caller).
pub(crate) fn facets(text: &str, did_of: &mut dyn FnMut(&str) -> Option<String>) -> Vec<Value> {
    crate::social::facets::detect(text)
        .into_iter()
        .filter_map(|facet| {
            let feature = match facet.feature {
                Feature::Link { uri } => {
                    json!({ "$type": "app.bsky.richtext.facet#link", "uri": uri })
                }
                Feature::Tag { tag } => {
                    json!({ "$type": "app.bsky.richtext.facet#tag", "tag": tag })
                }
                Feature::Mention { handle } => {
                    json!({ "$type": "app.bsky.richtext.facet#mention", "did": did_of(&handle)? })
                }
            };
            Some(json!({
                "index": { "byteStart": facet.byte_start, "byteEnd": facet.byte_end },
                "features": [feature],
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keys_are_tids_of_the_time() {
        // 2026-01-15T08:00Z with clock id 42 is `3mch4icdc223e`, as @atproto's TID.fromTime
        // writes it; the clock id here comes from the item, so only the time part is compared.
        let at = DateTime::parse_from_rfc3339("2026-01-15T08:00:00Z").unwrap();
        let key = record_key("posts/a/:announce:0:bluesky", at);
        assert_eq!(key.len(), 13);
        assert_eq!(&key[..11], "3mch4icdc22");
        assert!(key.bytes().all(|b| TID_ALPHABET.contains(&b)));
        assert_ne!(key, record_key("posts/b/:announce:0:bluesky", at));
    }
}
