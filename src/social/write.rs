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
    let written: Vec<String> = files
        .iter()
        .map(|(name, _)| crate::load::source::slash_path(&dir.join(name)))
        .collect();
    remove_stale(&config.root, &written)
}

/// The items of each channel, in queue order.
fn by_channel(items: &[QueueItem]) -> BTreeMap<Network, Vec<QueueItem>> {
    let mut channels: BTreeMap<Network, Vec<QueueItem>> = BTreeMap::new();
    for item in items {
        channels.entry(item.channel).or_default().push(item.clone());
    }
    channels
}

/// Where the queue's files of the last build are listed, one site path a line: only those are
/// ever removed, so a queue folder shared with the writer's own files (`output = "."`) loses none
/// of theirs.
const MANIFEST: &str = ".tribune/social-files";

/// Removes the files the last build wrote and this one did not (a channel that is gone, rows
/// that no longer need a second file, a queue folder that moved), then lists `written`, site
/// paths, for the next build.
fn remove_stale(root: &std::path::Path, written: &[String]) -> Result<()> {
    let manifest = root.join(MANIFEST);
    let before = std::fs::read_to_string(&manifest).unwrap_or_default();
    for name in before.lines().filter(|l| !l.is_empty()) {
        // Only what Tribune itself listed, and never a path climbing out of the site.
        if written.iter().any(|w| w == name)
            || name.split('/').any(|part| part == ".." || part.is_empty())
        {
            continue;
        }
        let path = root.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Diagnostic::io(&path, "remove an old export", &e).into()),
        }
    }
    let mut text = written.join("\n");
    text.push('\n');
    output::write_file(root, std::path::Path::new(MANIFEST), text.as_bytes())
}
