//! The queue's files in the site's `social/` folder (outside the public output: the queue
//! announces posts that are not public yet), in the forms bulk-posting tools take.

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Result};
use crate::load::config::{Config, Network, SocialConfig};
use crate::social::derive::Queue;
use crate::social::export::{self, QueueItem};
use crate::write::output;

/// Most rows Hootsuite's bulk composer takes in one file.
const HOOTSUITE_ROWS: usize = 350;

/// Writes the queue files: JSON (the source of truth), iCalendar, and for each channel its
/// Buffer and Hootsuite CSV files; removes the CSV files of channels the queue no longer has.
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
    let mut files = vec![
        (
            "queue.json".to_string(),
            serde_json::to_string_pretty(queue).expect("the queue serializes") + "\n",
        ),
        (
            "queue.ics".to_string(),
            export::ics(
                &queue.items,
                &config.title,
                &now.format("%Y%m%dT%H%M%SZ").to_string(),
            ),
        ),
    ];
    let mut by_channel = by_channel(&queue.items);
    for channel in &social.channels {
        let items = by_channel.remove(&channel.network).unwrap_or_default();
        files.push((
            format!("buffer-{}.csv", channel.network),
            export::csv_buffer(&items),
        ));
        for (i, rows) in items.chunks(HOOTSUITE_ROWS).enumerate().chain(
            // A channel with nothing queued still gets its (empty) file.
            items.is_empty().then_some((0, &[][..])),
        ) {
            let suffix = if i == 0 {
                String::new()
            } else {
                format!("-{}", i + 1)
            };
            files.push((
                format!("hootsuite-{}{suffix}.csv", channel.network),
                export::csv_hootsuite(rows),
            ));
        }
    }
    for (name, text) in &files {
        output::write_file(&config.root, &dir.join(name), text.as_bytes())?;
    }
    remove_stale(&config.root.join(dir), &files)
}

/// The items of each channel, in queue order.
fn by_channel(items: &[QueueItem]) -> BTreeMap<Network, Vec<QueueItem>> {
    let mut channels: BTreeMap<Network, Vec<QueueItem>> = BTreeMap::new();
    for item in items {
        channels.entry(item.channel).or_default().push(item.clone());
    }
    channels
}

/// Removes from `dir` the CSV exports this build did not write: those of a channel that is
/// gone, of rows that no longer need a second file, and the single files of older versions.
fn remove_stale(dir: &std::path::Path, written: &[(String, String)]) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours =
            (name.starts_with("buffer") || name.starts_with("hootsuite")) && name.ends_with(".csv");
        if ours && !written.iter().any(|(w, _)| *w == name) {
            std::fs::remove_file(entry.path())
                .map_err(|e| Diagnostic::io(&entry.path(), "remove an old export", &e))?;
        }
    }
    Ok(())
}
