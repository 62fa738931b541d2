//! `tribune queue`: the social queue, printed as a table, JSON, CSV or iCalendar.

use crate::cli::{QueueArgs, QueueFormat};
use crate::command::terminal;
use crate::error::{self, Diagnostic, Result};
use crate::load::config::{CONFIG_FILE, Network, Overrides};
use crate::load::corpus::Corpus;
use crate::options::SiteOptions;
use crate::social::{derive, export};

/// Derives the queue, limited to `--days` ahead and one `--channel`, and prints it; returns
/// the exit code.
pub(crate) fn run(options: &SiteOptions, args: &QueueArgs) -> Result<u8> {
    let channel = match args.channel.as_deref() {
        None => None,
        Some(name) => Some(Network::parse_known(name).map_err(|unknown| {
            Diagnostic::usage(format!("--channel: unknown social channel `{name}`"))
                .hint(unknown.hint)
        })?),
    };
    let (config, clock) = options.load_with(&Overrides {
        base_url: args.base_url.clone(),
        ..Overrides::default()
    })?;
    let Some(social) = &config.social else {
        return Err(Diagnostic::input("this site has no social channels")
            .at(CONFIG_FILE)
            .hint("declare some: [social.channels.mastodon], [social.channels.x]…")
            .into());
    };
    if let Some(name) = channel
        && !social.channels.iter().any(|c| c.network == name)
    {
        let declared: Vec<&str> = social.channels.iter().map(|c| c.network.key()).collect();
        return Err(
            Diagnostic::usage(format!("--channel: this site has no `{name}` channel"))
                .hint(format!(
                    "its channels: {}; declare others in site.toml: [social.channels.{name}]",
                    declared.join(", ")
                ))
                .into(),
        );
    }
    let corpus = Corpus::read(&config)?;
    let (theme, templates) = crate::theme::compile(&config)?;
    let now = clock.now();
    let mut queue = derive::derive(&corpus, &config, social, &templates, &theme, now)?;
    // A number of days past the calendar's end means no limit.
    let until = args
        .days
        .and_then(|d| chrono::TimeDelta::try_days(d).and_then(|span| now.checked_add_signed(span)));
    queue.items.retain(|item| {
        channel.is_none_or(|c| item.channel == c) && until.is_none_or(|u| item.at <= u)
    });
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let text = match args.format {
        QueueFormat::Table => derive::table(&queue),
        QueueFormat::Json => {
            serde_json::to_string_pretty(&queue).expect("the queue serializes") + "\n"
        }
        QueueFormat::Csv => export::csv_buffer(&queue.items),
        QueueFormat::Ics => export::ics(&queue.items, &config.title, &stamp),
    };
    terminal::print_out(&text)?;
    Ok(error::EXIT_OK)
}
