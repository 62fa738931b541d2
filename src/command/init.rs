//! `tribune init [DIR]`: a new site that builds at once on the built-in default theme, with a
//! first post, an about page, and the CI files that build and publish it on a schedule. It
//! writes only into an empty (or new) folder.

use std::path::Path;

use chrono::Timelike;
use chrono_tz::Tz;

use crate::cli::{InitArgs, StarterLanguage};
use crate::clock::Clock;
use crate::command::terminal::Terminal;
use crate::error::{self, Diagnostic, Result};
use crate::options::SiteOptions;

/// A file of the starter site: its path in the site, and its text with `@NAME@` placeholders.
type Starter = (&'static str, &'static str);

/// The files every starter site has, whatever its language.
const COMMON: [Starter; 3] = [
    (".gitignore", include_str!("init/gitignore")),
    (
        ".github/workflows/deploy.yml",
        include_str!("init/github-deploy.yml"),
    ),
    (".gitlab-ci.yml", include_str!("init/gitlab-ci.yml")),
];

/// The files in English.
const ENGLISH: [Starter; 3] = [
    ("site.toml", include_str!("init/site.en.toml")),
    (
        "content/posts/welcome.md",
        include_str!("init/welcome.en.md"),
    ),
    ("content/about.md", include_str!("init/about.en.md")),
];

/// The files in French.
const FRENCH: [Starter; 3] = [
    ("site.toml", include_str!("init/site.fr.toml")),
    (
        "content/posts/bienvenue.md",
        include_str!("init/welcome.fr.md"),
    ),
    ("content/a-propos.md", include_str!("init/about.fr.md")),
];

/// Whether `bytes` are what `init` wrote at `path` (a sample page nobody edited yet), which an
/// import may replace.
pub(crate) fn is_sample(path: &str, bytes: &[u8]) -> bool {
    ENGLISH
        .iter()
        .chain(&FRENCH)
        .any(|(p, text)| *p == path && !text.contains('@') && text.as_bytes() == bytes)
}

/// Where Tribune's source is published, for the CI files to install it from.
const REPOSITORY: Option<&str> = option_env!("CARGO_PKG_REPOSITORY");

/// Creates the site and says what to do next; returns the exit code.
pub(crate) fn run(options: &SiteOptions, args: &InitArgs, terminal: &Terminal) -> Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| options.root.clone());
    refuse_unless_empty(&dir)?;
    let (files, zone) = match args.language {
        StarterLanguage::En => (ENGLISH, zone_or("UTC")),
        StarterLanguage::Fr => (FRENCH, zone_or("Europe/Paris")),
    };
    let now = Clock::resolve(
        options.now.as_deref(),
        options.source_date_epoch.as_deref(),
        zone,
    )?
    .now()
    .with_timezone(&zone)
    .with_second(0)
    .and_then(|d| d.with_nanosecond(0))
    .expect("second 0 exists in every minute");
    let repository = REPOSITORY
        .filter(|r| !r.is_empty())
        .unwrap_or("https://github.com/OWNER/tribune");
    let values = [
        ("@DATE@", now.format("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        ("@TIMEZONE@", zone.name().to_string()),
        (
            "@TRIBUNE_VERSION@",
            format!("v{}", env!("CARGO_PKG_VERSION")),
        ),
        ("@TRIBUNE_REPOSITORY@", repository.to_string()),
    ];
    for (path, template) in files.iter().chain(&COMMON) {
        let text = values
            .iter()
            .fold(template.to_string(), |text, (name, value)| {
                text.replace(name, value)
            });
        write(&dir, path, &text)?;
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("  cd {}\n", shell_word(&dir))
    };
    terminal.say(format_args!(
        "Created a new site in {}.\n\nNext:\n{cd}  tribune serve                      # preview at http://127.0.0.1:1111/ while you write\n  tribune new \"Title of a new post\"  # a new post in content/posts/\n  tribune build                      # the site, in public/\n\nTo publish it, push the folder to a GitHub or GitLab repository: .github/workflows/deploy.yml\nand .gitlab-ci.yml build it there, every hour too (the comments at their top say how to set\nthem up).",
        dir.display(),
    ));
    if REPOSITORY.is_none_or(str::is_empty) {
        terminal.warn(
            "this Tribune does not know where its source is published: set TRIBUNE_REPOSITORY in \
             .github/workflows/deploy.yml and .gitlab-ci.yml to the Git address you install it from",
        );
    }
    Ok(error::EXIT_OK)
}

/// Refuses a folder with anything in it but a Git repository (`git init` or a fresh clone of
/// an empty repository come first for many), so nothing of anyone's is ever overwritten.
fn refuse_unless_empty(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Diagnostic::io(dir, "read the folder", &e).into()),
    };
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git")
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let shown = found.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let more = if found.len() > 3 { ", …" } else { "" };
    Err(Diagnostic::input(format!(
        "`{}` is not empty ({shown}{more}); Tribune creates a site only in an empty or new folder",
        dir.display()
    ))
    .as_io()
    .hint("choose a new folder: tribune init my-blog")
    .into())
}

/// The zone named by `TZ` when it is an IANA name, else `default`.
fn zone_or(default: &str) -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| tz.trim_start_matches(':').parse::<Tz>().ok())
        .unwrap_or_else(|| default.parse().expect("a known zone"))
}

/// Writes one starter file, creating its folders.
fn write(dir: &Path, path: &str, text: &str) -> Result<()> {
    let full = dir.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io(parent, "create the folder", &e))?;
    }
    std::fs::write(&full, text).map_err(|e| Diagnostic::io(&full, "write", &e).into())
}

/// A folder as a shell word: quoted when it holds spaces or quotes.
fn shell_word(dir: &Path) -> String {
    let text = dir.display().to_string();
    if text
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./~".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_folders_for_the_shell() {
        assert_eq!(shell_word(Path::new("my-blog")), "my-blog");
        assert_eq!(shell_word(Path::new("my blog")), "'my blog'");
        assert_eq!(shell_word(Path::new("l'été")), "'l'\\''été'");
    }

    #[test]
    fn every_placeholder_is_known() {
        let names = [
            "@DATE@",
            "@TIMEZONE@",
            "@TRIBUNE_VERSION@",
            "@TRIBUNE_REPOSITORY@",
        ];
        for (path, text) in ENGLISH.iter().chain(&FRENCH).chain(&COMMON) {
            let rest = names.iter().fold(text.to_string(), |t, n| t.replace(n, ""));
            let left = rest.split('@').skip(1).step_by(2).any(|word| {
                !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            });
            assert!(!left, "{path} has an unknown placeholder");
        }
    }
}
