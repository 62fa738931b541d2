//! `tribune publish`: posts the queue's due items to the channels that have a `service`, and
//! says what became of every item.

use chrono::TimeDelta;

use crate::cli::PublishArgs;
use crate::command::terminal::Terminal;
use crate::error::{self, Diagnostic, Errors, Result};
use crate::load::config::{CONFIG_FILE, Channel, Network, Overrides};
use crate::load::corpus::Corpus;
use crate::options::SiteOptions;
use crate::publish::http::Failure;
use crate::publish::plan::{Article, Change, PLAN_FILE, Plan, Planned};
use crate::publish::{self, Event, Images};
use crate::social::derive;

/// Posts what is due, or with `--dry-run` says what would be; returns the exit code.
pub(crate) fn run(options: &SiteOptions, args: &PublishArgs, terminal: &Terminal) -> Result<u8> {
    let only = match args.channel.as_deref() {
        None => None,
        Some(name) => Some(Network::parse_known(name).map_err(|unknown| {
            Diagnostic::usage(format!("--channel: unknown social channel `{name}`"))
                .hint(unknown.hint)
        })?),
    };
    // Posts go out in real time: a SOURCE_DATE_EPOCH set for reproducible builds is not
    // the clock to publish by; only --now replaces the system clock.
    let options = SiteOptions {
        source_date_epoch: None,
        ..options.clone()
    };
    let (config, clock) = options.load_with(&Overrides {
        base_url: args.base_url.clone(),
        ..Overrides::default()
    })?;
    let has_service = config
        .social
        .iter()
        .flat_map(|s| &s.channels)
        .any(|c| c.publishing.is_some());
    // A site that only exports its queue has nothing to publish: CI runs this on every site.
    if !has_service && only.is_none() {
        terminal.say("Nothing to publish: no social channel has a `service`.");
        return Ok(error::EXIT_OK);
    }
    let no_service = || {
        Diagnostic::input(match only {
            Some(name) => format!("the channel `{name}` has no `service` to publish to"),
            None => "no social channel has a `service` to publish to".to_string(),
        })
        .at(CONFIG_FILE)
        .hint("add one: [social.channels.bluesky] service = \"https://bsky.social\" and account = \"you.bsky.social\", or [social.channels.mastodon] service = \"https://mastodon.social\"")
    };
    let social = config.social.as_ref().ok_or_else(no_service)?;
    let channels: Vec<&Channel> = social
        .channels
        .iter()
        .filter(|c| c.publishing.is_some() && only.is_none_or(|n| n == c.network))
        .collect();
    if channels.is_empty() {
        return Err(no_service().into());
    }
    let corpus = Corpus::read(&config)?;
    let (theme, templates) = crate::theme::compile(&config)?;
    let now = clock.now();
    let window = social.publish_window;
    let queue = derive::derive_since(
        &corpus,
        &config,
        social,
        &templates,
        &theme,
        now,
        now - window,
    )?;
    let keys: Vec<&str> = channels.iter().map(|c| c.network.key()).collect();
    let derived: Vec<(String, Planned)> = queue
        .items
        .iter()
        .filter(|item| keys.contains(&item.channel.key()))
        .filter_map(|item| {
            let post = corpus.posts.iter().find(|p| p.path == item.article)?;
            let article = Article {
                description: post.description.as_deref().unwrap_or_default(),
                lang: post.lang.as_deref().unwrap_or(&config.language),
                image_alt: post.image_alt.as_deref().unwrap_or(&post.title),
            };
            Some((item.id.clone(), Planned::of(item, &article)))
        })
        .collect();
    // A plan that cannot be read is as good as lost, which is harmless: the networks are
    // asked what they already have before anything is posted.
    let mut plan = Plan::read(&config.root).unwrap_or_else(|problem| {
        terminal
            .warning(&problem.hint(
                "starting from an empty plan: the networks are asked what they already have",
            ));
        Plan::default()
    });
    let changes = plan.merge(derived, now, now - window, &keys);
    let mut to_cancel: Vec<String> = Vec::new();
    for change in &changes {
        match change {
            Change::Replanned {
                id,
                path,
                was,
                now,
                scheduled,
            } => {
                terminal.say(format!(
                    "re-planned  {id} ({path}): its post changed its text; {} → {}",
                    was.format("%Y-%m-%d %H:%M"),
                    now.format("%Y-%m-%d %H:%M")
                ));
                to_cancel.extend(scheduled.clone());
            }
            Change::Withdrawn {
                id,
                path,
                scheduled,
            } => {
                terminal.say(format!(
                    "withdrawn   {id} ({path}): its post no longer announces it here"
                ));
                to_cancel.extend(scheduled.clone());
            }
        }
    }
    let images = Images {
        base: config.base.absolute(""),
        output: config.output.clone(),
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut counts = Counts::default();
    for channel in &channels {
        let publishing = channel
            .publishing
            .as_ref()
            .expect("channels with a service");
        let variable = publish::secret_variable(channel.network);
        let secret = if args.dry_run {
            None
        } else {
            match std::env::var(&variable) {
                Ok(secret) if !secret.trim().is_empty() => Some(secret.trim().to_string()),
                _ => {
                    problems.push(missing_secret(channel.network, &variable));
                    continue;
                }
            }
        };
        if let Some(secret) = &secret
            && channel.network == Network::Mastodon
            && let Err(failure) = publish::cancel_scheduled(publishing, secret, &to_cancel)
        {
            problems.push(channel_problem(channel.network, &variable, None, &failure));
            continue;
        }
        let root = config.root.clone();
        let mut save = |plan: &Plan| plan.write(&root).map_err(Errors::from);
        let mut tell = |_: &str, item: &Planned, event: Event| {
            counts.count(&event);
            let (word, detail) = describe(&event, window);
            let line = format!(
                "{word:<11} {:<8} {}  {} ({}){detail}",
                item.channel,
                item.at.format("%Y-%m-%d %H:%M"),
                item.kind,
                item.path
            );
            match event {
                Event::NotYet(_) | Event::AlreadySent(_) => terminal.detail(line),
                Event::UnknownHandle(_) => terminal.warn(&line),
                Event::Failed(_, ref failure) => {
                    problems.push(channel_problem(
                        channel.network,
                        &variable,
                        Some(item),
                        failure,
                    ));
                }
                _ => terminal.say(line),
            }
        };
        let unopened = publish::publish_channel(
            &mut plan,
            channel,
            publishing,
            secret.as_deref(),
            now,
            window,
            &images,
            &mut save,
            &mut tell,
        )?;
        if let Some(failure) = unopened {
            problems.push(channel_problem(channel.network, &variable, None, &failure));
        }
    }
    if !args.dry_run {
        plan.write(&config.root)?;
    }
    terminal.say(counts.summary(args.dry_run));
    if problems.is_empty() {
        Ok(error::EXIT_OK)
    } else {
        Err(Errors(
            problems.into_iter().map(Diagnostic::as_io).collect(),
        ))
    }
}

/// The word and detail that tell an item's fate.
fn describe(event: &Event, window: TimeDelta) -> (&'static str, String) {
    match event {
        Event::Posted(_, at) => ("posted", format!(": {at}")),
        Event::Scheduled(_, at) => ("scheduled", format!(": {at}")),
        Event::Found(_, at) => ("already-on", format!(": {at} (an earlier run posted it)")),
        Event::WouldPost(_) => ("would-post", String::new()),
        Event::NotYet(_) => ("not-yet", String::new()),
        Event::TooLate(_) => (
            "too-late",
            format!(
                ": its time passed more than {} hours ago (publish_window)",
                window.num_hours()
            ),
        ),
        Event::AlreadySent(_) => ("sent", String::new()),
        Event::Failed(_, failure) => ("failed", format!(": {failure}")),
        Event::UnknownHandle(handle) => (
            "warning",
            format!(": no account is called @{handle}; the mention stays plain text"),
        ),
    }
}

/// How many items met each fate.
#[derive(Default)]
struct Counts {
    posted: usize,
    found: usize,
    would: usize,
    not_yet: usize,
    too_late: usize,
    sent: usize,
    failed: usize,
}

impl Counts {
    fn count(&mut self, event: &Event) {
        match event {
            Event::Posted(..) | Event::Scheduled(..) => self.posted += 1,
            Event::Found(..) => self.found += 1,
            Event::WouldPost(_) => self.would += 1,
            Event::NotYet(_) => self.not_yet += 1,
            Event::TooLate(_) => self.too_late += 1,
            Event::AlreadySent(_) => self.sent += 1,
            Event::Failed(..) => self.failed += 1,
            Event::UnknownHandle(_) => {}
        }
    }

    fn summary(&self, dry_run: bool) -> String {
        let first = if dry_run {
            format!("Would post {} items", self.would)
        } else {
            format!(
                "Posted {} items ({} were already there)",
                self.posted, self.found
            )
        };
        format!(
            "{first}; {} not yet due, {} too late, {} sent earlier, {} failed.",
            self.not_yet, self.too_late, self.sent, self.failed
        )
    }
}

/// The error for a channel without its secret.
fn missing_secret(network: Network, variable: &str) -> Diagnostic {
    let what = match network {
        Network::Bluesky => {
            "a Bluesky app password (Settings → Privacy and security → App passwords)"
        }
        _ => "a Mastodon access token with the scopes write:statuses and write:media",
    };
    Diagnostic::input(format!(
        "channel `{network}`: no secret: the environment variable {variable} is not set"
    ))
    .at(CONFIG_FILE)
    .hint(format!(
        "set {variable} to {what}; in CI, as a repository secret"
    ))
}

/// The error for a channel's failure, naming the item and its post's file when there is one.
fn channel_problem(
    network: Network,
    variable: &str,
    item: Option<&Planned>,
    failure: &Failure,
) -> Diagnostic {
    let about = item.map_or_else(String::new, |i| {
        format!(" posting its {} of {}", i.kind, i.link)
    });
    let problem = Diagnostic::input(format!("channel `{network}`{about}: {failure}"));
    let problem = match item {
        Some(item) => problem.at(item.path.clone()),
        None => problem.at(CONFIG_FILE),
    };
    match failure {
        Failure::Refused { .. } => problem.hint(format!(
            "check {variable}: the server did not take it (an app password for Bluesky, a token with write:statuses and write:media for Mastodon)"
        )),
        f if f.is_transient() => problem.hint(format!(
            "nothing was marked sent: the next run tries again while the item is within publish_window ({PLAN_FILE} keeps the plan)"
        )),
        _ => problem.hint("the item stays unsent: fix its text or the channel's settings"),
    }
}
