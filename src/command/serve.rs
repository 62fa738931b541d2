//! `tribune serve`: the site built in memory, served on loopback, rebuilt when its files
//! change, with pages that reload themselves. Nothing is written to disk.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::command::terminal::Terminal;
use crate::error::{Diagnostic, Errors, Result};
use crate::load::config::Overrides;
use crate::options::BuildOptions;
use crate::serve::http;
use crate::serve::preview::{Preview, Rebuilt};
use crate::serve::reload::Event;
use crate::serve::state::Shared;
use crate::serve::watch;
use crate::serve::wire;

/// Everything `tribune serve` needs, resolved from the command line.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    /// The site folder.
    pub(crate) root: PathBuf,
    /// `--now`.
    pub(crate) now: Option<String>,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub(crate) source_date_epoch: Option<String>,
    /// The address to listen on.
    pub(crate) bind: IpAddr,
    /// The port to try first; 0 lets the system choose.
    pub(crate) port: u16,
    /// Include drafts.
    pub(crate) drafts: bool,
    /// Open the site in a browser once it is served.
    pub(crate) open: bool,
}

/// How many ports after the asked one are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// Serves the site until the process is stopped.
pub(crate) fn run(options: ServeOptions, terminal: &Terminal) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| Diagnostic::io(&options.root, "open the site folder", &e))?;
    let listener = listen(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| Diagnostic::io(&root, "read the server's address", &e))?;
    let url = site_url(address);
    let mut preview = Preview::new(BuildOptions {
        root: root.clone(),
        overrides: Overrides {
            output: None,
            base_url: Some(url.clone()),
        },
        now: options.now.clone(),
        source_date_epoch: options.source_date_epoch.clone(),
        drafts: options.drafts,
        future: true,
        expired: false,
        strict: false,
    });
    let shared = Arc::new(Shared::default());
    let mut watcher = watch::Watcher::start(&root)?;

    let started = Instant::now();
    let first = preview.rebuild();
    let mut notes = Notes::default();
    if let Ok(rebuilt) = &first {
        notes.print(&rebuilt.notes, terminal);
    }
    report_first(&first, started.elapsed(), terminal);
    publish(&shared, &preview, first.err());

    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            wire::serve(listener, move |request| http::handle(request, &shared))
        });
    }
    terminal.say(format_args!("Serving the site at {url} (Ctrl-C to stop)."));
    if !address.ip().is_loopback() {
        terminal.warn(&format!(
            "listening on {}: other machines on the network can read the site, drafts included.",
            address.ip()
        ));
    }
    if options.open {
        open_browser(&url);
    }

    loop {
        let Some(batch) = watcher.next(Duration::from_secs(15)) else {
            shared.clients.ping();
            continue;
        };
        let started = Instant::now();
        let changed: Vec<PathBuf> = batch.paths.iter().map(|p| root.join(p)).collect();
        let result = if batch.complete {
            preview.rebuild_after(&changed)
        } else {
            preview.rebuild()
        };
        let took = started.elapsed();
        let what = describe(&batch.paths);
        let had_error = shared.current().1.is_some();
        match &result {
            Ok(rebuilt) => {
                notes.print(&rebuilt.notes, terminal);
                terminal.say(format_args!(
                    "{} {what}: {} of {} files re-rendered in {} ms.",
                    clock(),
                    rebuilt.rendered,
                    rebuilt.files,
                    took.as_millis()
                ));
            }
            Err(errors) => {
                eprintln!(
                    "{} {what}: the build failed; the last good build is still served.",
                    clock()
                );
                terminal.errors(errors);
            }
        }
        let event = match &result {
            Ok(rebuilt) => reload_event(rebuilt, had_error),
            Err(_) => Some(Event::Reload),
        };
        publish(&shared, &preview, result.err());
        if let Some(event) = event {
            shared.clients.send(event);
        }
    }
}

/// The content notes the terminal shows, as shown: a rebuild prints only the ones it has not
/// printed yet, so each note is printed once while it holds.
#[derive(Debug, Default)]
struct Notes(BTreeSet<String>);

impl Notes {
    /// Prints the notes of a build that are not printed yet, and forgets those it no longer
    /// has (one that comes back is news again).
    fn print(&mut self, notes: &[Diagnostic], terminal: &Terminal) {
        for note in self.fresh(notes) {
            terminal.warning(note);
        }
    }

    /// The notes among `notes` that were not printed yet.
    fn fresh<'a>(&mut self, notes: &'a [Diagnostic]) -> Vec<&'a Diagnostic> {
        let now: BTreeSet<String> = notes.iter().map(Diagnostic::to_string).collect();
        let fresh = notes
            .iter()
            .filter(|note| !self.0.contains(&note.to_string()))
            .collect();
        self.0 = now;
        fresh
    }
}

/// Makes the preview's last good build the served one, with `error` over it when the last
/// rebuild failed.
fn publish(shared: &Shared, preview: &Preview, error: Option<Errors>) {
    match error {
        None => shared.set(Some(preview.snapshot()), None),
        Some(errors) => shared.set(None, Some(errors.to_string())),
    }
}

/// What open pages must do after a good rebuild: nothing when no file changed (unless an error
/// is to be cleared), a stylesheet swap when only CSS did, else a reload.
fn reload_event(rebuilt: &Rebuilt, had_error: bool) -> Option<Event> {
    if had_error {
        Some(Event::Reload)
    } else if rebuilt.changed.is_empty() {
        None
    } else if rebuilt.changed.iter().all(|f| f.ends_with(".css")) {
        Some(Event::Css)
    } else {
        Some(Event::Reload)
    }
}

fn report_first(result: &Result<Rebuilt>, took: Duration, terminal: &Terminal) {
    match result {
        Ok(rebuilt) => terminal.say(format_args!(
            "Built {} files in memory in {} ms.",
            rebuilt.files,
            took.as_millis()
        )),
        Err(errors) => {
            terminal.errors(errors);
            eprintln!("The site does not build yet; pages show the error until a save fixes it.");
        }
    }
}

/// Listens on `port`, or on the next free one when it is taken.
fn listen(bind: IpAddr, port: u16) -> Result<TcpListener> {
    let tries = if port == 0 { 1 } else { PORT_TRIES };
    let mut last = None;
    for candidate in (0..tries).filter_map(|n| port.checked_add(n)) {
        match TcpListener::bind(SocketAddr::new(bind, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    eprintln!("Port {port} is taken; using {candidate}.");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(bind_error(bind, candidate, &e).into()),
        }
    }
    let e = last.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AddrInUse));
    Err(bind_error(bind, port, &e)
        .hint(format!(
            "ports {port} to {} are taken: pass another with --port",
            port.saturating_add(PORT_TRIES - 1)
        ))
        .into())
}

fn bind_error(bind: IpAddr, port: u16, e: &std::io::Error) -> Diagnostic {
    Diagnostic::input(format!(
        "cannot listen on {}: {e}",
        SocketAddr::new(bind, port)
    ))
    .as_io()
}

/// The URL pages are served at; a server on every interface is still visited locally.
fn site_url(address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    format!("http://{host}:{}/", address.port())
}

/// "content/posts/x.md", or the first path and how many others.
fn describe(paths: &std::collections::BTreeSet<String>) -> String {
    let mut iter = paths.iter();
    match (iter.next(), paths.len()) {
        (Some(first), 1) => first.clone(),
        (Some(first), n) => format!("{first} and {} more", n - 1),
        (None, _) => "changes".to_string(),
    }
}

/// The wall clock, for the terminal's rebuild lines.
fn clock() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

/// Opens `url` with the desktop's browser; a failure only costs a message.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(command.0)
        .args(&command.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("Could not open a browser ({}: {e}); visit {url}", command.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_note_is_printed_once_while_it_holds() {
        let folder = Diagnostic::input("this looks like Hugo's posts folder").at("content/post");
        let figure = Diagnostic::input("Hugo shortcode `figure`").at("content/post/a.md");
        let (alone, both) = ([folder.clone()], [folder.clone(), figure.clone()]);
        let mut notes = Notes::default();
        assert_eq!(notes.fresh(&alone), [&folder]);
        assert!(notes.fresh(&alone).is_empty(), "a rebuild");
        assert_eq!(notes.fresh(&both), [&figure], "only the new one");
        assert!(notes.fresh(&[]).is_empty());
        assert_eq!(notes.fresh(&alone), [&folder], "back again");
    }
}
