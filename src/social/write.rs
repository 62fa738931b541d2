//! The queue's files in the site's `social/` folder (outside the public output: the queue
//! announces posts that are not public yet), in the forms bulk-posting tools take.

use crate::build::output;
use crate::error::Result;
use crate::load::config::{Config, SocialConfig};
use crate::social::derive::Queue;
use crate::social::export::{self, QueueItem};
use crate::social::length;

/// Writes the queue files: JSON (the source of truth), iCalendar and the two CSV layouts.
pub(crate) fn write_queue(
    config: &Config,
    social: &SocialConfig,
    queue: &Queue,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let dir = social
        .output
        .strip_prefix(&config.root)
        .unwrap_or(&social.output);
    let files = [
        (
            "queue.json",
            serde_json::to_string_pretty(queue).expect("the queue serializes") + "\n",
        ),
        (
            "queue.ics",
            export::ics(
                &queue.items,
                &config.title,
                &now.format("%Y%m%dT%H%M%SZ").to_string(),
            ),
        ),
        (
            "buffer.csv",
            export::csv_buffer(&linkedin_escaped(&queue.items)),
        ),
        (
            "hootsuite.csv",
            export::csv_hootsuite(&linkedin_escaped(&queue.items)),
        ),
    ];
    for (name, text) in files {
        output::write_file(&config.root, &dir.join(name), text.as_bytes())?;
    }
    Ok(())
}

/// Items as bulk tools receive them: LinkedIn texts with their format's reserved characters escaped.
pub(crate) fn linkedin_escaped(items: &[QueueItem]) -> Vec<QueueItem> {
    items
        .iter()
        .map(|item| {
            let mut item = item.clone();
            if item.channel == "linkedin" {
                item.text = length::linkedin_escape(&item.text);
            }
            item
        })
        .collect()
}
