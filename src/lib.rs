//! Tribune turns Markdown posts with TOML front matter into an editorial blog with feeds.
//!
//! The data flows one way: `config` and `source` load the site, `corpus` validates it,
//! `site` selects what is public, `markdown` renders bodies, `plan` lists the output files,
//! `render` makes their bytes and `output` writes them. For `tribune serve`, `preview` keeps the
//! build in memory and re-renders only the files whose inputs changed (`memo` holds what was
//! made and the keys that tell), and `serve` watches the files and answers HTTP requests.

pub mod cli;
pub mod clock;
pub mod error;
mod locale;
mod share;
mod slug;

mod audit;
mod body;
mod build;
pub mod load;
mod render;
pub mod serve;
mod site;
mod social;
mod theme;

pub mod pipeline;

use cli::{Cli, Command};
use load::config::Overrides;
use pipeline::{BuildOptions, SiteOptions};

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let result = match cli.command {
        Command::Build(args) => build(BuildOptions {
            root: cli.root,
            overrides: Overrides {
                output: args.output,
                base_url: args.base_url,
            },
            now: cli.now,
            source_date_epoch,
            drafts: args.drafts,
            future: args.future,
            expired: args.expired,
            strict: args.strict,
        }),
        Command::Queue(args) => queue(
            SiteOptions {
                root: cli.root,
                now: cli.now,
                source_date_epoch,
            },
            &args,
        ),
        Command::Serve(args) => serve::serve(serve::ServeOptions {
            root: cli.root,
            now: cli.now,
            source_date_epoch,
            bind: args.bind,
            port: args.port,
            drafts: args.drafts,
            open: args.open,
        })
        .map(|()| error::EXIT_OK),
        Command::Audit(args) => audit(
            SiteOptions {
                root: cli.root,
                now: cli.now,
                source_date_epoch,
            },
            &args,
        ),
    };
    match result {
        Ok(code) => code,
        Err(errors) => {
            eprint!("{errors}");
            errors.exit_code()
        }
    }
}

fn build(options: BuildOptions) -> error::Result<u8> {
    let report = pipeline::build(&options).inspect_err(|errors| {
        let n = errors.0.len();
        eprint!("{errors}");
        eprintln!(
            "Build failed with {n} error{}; the output folder was left as it was.",
            if n == 1 { "" } else { "s" }
        );
    });
    let report = match report {
        Ok(report) => report,
        Err(errors) => return Ok(errors.exit_code()),
    };
    for warning in &report.warnings {
        eprintln!(
            "{}",
            warning.to_string().replacen("error: ", "warning: ", 1)
        );
    }
    let s = &report.status;
    println!(
        "Built {} and {} into {} ({} written, {} unchanged, {} removed).",
        count(report.posts, "post"),
        count(report.pages, "page"),
        report.output.display(),
        count(report.files.written, "file"),
        report.files.unchanged,
        report.files.removed
    );
    println!(
        "Content: {} published, {} scheduled, {}, {} expired, {} stale.",
        s.published,
        s.scheduled,
        count(s.drafts, "draft"),
        s.expired,
        s.stale
    );
    match &s.next_change {
        Some(next) => println!("Next change at {}: {}.", next.at, next.what),
        None => println!("Next change: none scheduled."),
    }
    println!("Status written to {}.", report.status_path.display());
    if let Some((items, dir)) = &report.queue {
        println!(
            "Social queue: {} written to {}.",
            count(*items, "item"),
            dir.display()
        );
    }
    Ok(error::EXIT_OK)
}

fn audit(options: SiteOptions, args: &cli::AuditArgs) -> error::Result<u8> {
    let outcome = pipeline::audit(&options)?;
    if args.json {
        println!("{}", outcome.json);
    } else {
        print!("{}", outcome.text);
    }
    if let Some(path) = &args.html {
        std::fs::write(path, &outcome.html)
            .map_err(|e| error::Diagnostic::io(path, "write the report", &e))?;
    }
    Ok(if args.strict && outcome.problems > 0 {
        error::EXIT_INPUT
    } else {
        error::EXIT_OK
    })
}

fn queue(options: SiteOptions, args: &cli::QueueArgs) -> error::Result<u8> {
    let (queue, config, clock) = pipeline::queue(&options, args.days, args.channel.as_deref())?;
    let stamp = clock.now().format("%Y%m%dT%H%M%SZ").to_string();
    let text = match args.format {
        cli::QueueFormat::Table => social::derive::table(&queue),
        cli::QueueFormat::Json => {
            serde_json::to_string_pretty(&queue).expect("the queue serializes") + "\n"
        }
        cli::QueueFormat::Csv => {
            social::export::csv_buffer(&pipeline::linkedin_escaped(&queue.items))
        }
        cli::QueueFormat::Ics => social::export::ics(&queue.items, &config.title, &stamp),
    };
    print!("{text}");
    Ok(error::EXIT_OK)
}

/// "1 post", "2 posts".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
