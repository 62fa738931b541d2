//! `tribune init [DIR]`: a new site that builds at once on the built-in default theme, with a
//! first post, an about page, and the CI files that build and publish it on a schedule. It
//! writes only into an empty (or new) folder.

mod origin;

use std::path::Path;

use chrono::Timelike;
use chrono_tz::Tz;

use crate::cli::{InitArgs, StarterLanguage};
use crate::clock::Clock;
use crate::command::terminal::Terminal;
use crate::error::{self, Diagnostic, Result};
use crate::load::config::CONFIG_FILE;
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

/// The starter files of `language`.
fn starters(language: StarterLanguage) -> [Starter; 3] {
    match language {
        StarterLanguage::En => ENGLISH,
        StarterLanguage::Fr => FRENCH,
    }
}

/// The code of `language`.
fn code(language: StarterLanguage) -> &'static str {
    match language {
        StarterLanguage::En => "en",
        StarterLanguage::Fr => "fr",
    }
}

/// What makes a site in `default` also a site in `other` (whose code is `code`): the
/// `[languages]` table to append to `site.toml`, and each starter text in `other` as the
/// translation of the default's, named after it (`bienvenue.en.md`) with its own slug.
fn translations(
    default: [Starter; 3],
    other: [Starter; 3],
    code: &str,
) -> (String, Vec<(String, String)>) {
    let setting = |key: &str| {
        other[0]
            .1
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{key} = ")))
            .and_then(|rest| rest.split('#').next())
            .map(|value| value.trim().to_string())
            .unwrap_or_default()
    };
    // The welcome post's theme, in both languages, is one theme: its two pages link to each
    // other.
    let theme = |text: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix("themes = ["))
            .map(|rest| rest.trim_end_matches(']').to_string())
    };
    let terms = match (theme(default[1].1), theme(other[1].1)) {
        (Some(original), Some(translated)) if original != translated => {
            format!("terms = {{ {original} = {translated} }}  # a term and its translation\n")
        }
        _ => String::new(),
    };
    let table = format!(
        "\n[languages.{code}]                           # under /{code}/; a translation is named after its original: bienvenue.{code}.md\ntitle = {}\ndescription = {}\n{terms}",
        setting("title"),
        setting("description"),
    );
    let stem = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.trim_end_matches(".md").to_string()
    };
    let about = stem(other[2].0);
    let files = default
        .iter()
        .zip(&other)
        .skip(1)
        .map(|((original, _), (path, text))| {
            let translation = original.replace(".md", &format!(".{code}.md"));
            let mut text = text
                .replace(path, &translation)
                .replace(&format!("](/{about}/)"), &format!("](/{code}/{about}/)"));
            // Its own address in its language: `/en/welcome/`, not `/en/bienvenue/`.
            if let Some(title) = text.find("\ntitle = ")
                && let Some(end) = text[title + 1..].find('\n')
            {
                text.insert_str(title + 1 + end + 1, &format!("slug = \"{}\"\n", stem(path)));
            }
            (translation, text)
        })
        .collect();
    (table, files)
}

/// The settings `init` writes in `site.toml`, in each starter language: values an import may
/// replace with the old site's, since nobody chose them.
pub(crate) fn starter_settings() -> Vec<toml::Table> {
    ENGLISH
        .iter()
        .chain(&FRENCH)
        .filter(|(path, _)| *path == "site.toml")
        .filter_map(|(_, text)| toml::from_str(&text.replace("@TIMEZONE@", "UTC")).ok())
        .collect()
}

/// Whether `bytes` are what `init` wrote at `path` (a sample page nobody edited yet), which an
/// import may replace.
pub(crate) fn is_sample(path: &str, bytes: &[u8]) -> bool {
    ENGLISH
        .iter()
        .chain(&FRENCH)
        .any(|(p, text)| *p == path && !text.contains('@') && text.as_bytes() == bytes)
}

/// Creates the site and says what to do next; returns the exit code.
pub(crate) fn run(options: &SiteOptions, args: &InitArgs, terminal: &Terminal) -> Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| options.root.clone());
    refuse_unless_empty(&dir)?;
    let mut languages: Vec<StarterLanguage> = Vec::new();
    for language in &args.language {
        if !languages.contains(language) {
            languages.push(*language);
        }
    }
    let default = languages.first().copied().unwrap_or(StarterLanguage::En);
    let (files, zone) = match default {
        StarterLanguage::En => (ENGLISH, zone_or("UTC")),
        StarterLanguage::Fr => (FRENCH, zone_or("Europe/Paris")),
    };
    let mut files: Vec<(String, String)> = files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    for other in languages.iter().skip(1) {
        let (table, translated) = translations(starters(default), starters(*other), code(*other));
        if let Some((_, site)) = files.iter_mut().find(|(path, _)| path == CONFIG_FILE) {
            site.push_str(&table);
        }
        files.extend(translated);
    }
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
    // The CI files install Tribune: the warning names them as the user reaches them.
    let in_site = |file: &str| {
        shell_word(&dir.join(file))
            .trim_start_matches("./")
            .to_string()
    };
    let install = origin::install(
        origin::RECORDED_ORIGIN,
        origin::RECORDED_COMMIT,
        env!("CARGO_PKG_VERSION"),
        &format!("{} and {}", in_site(COMMON[1].0), in_site(COMMON[2].0)),
    );
    let values = [
        ("@DATE@", now.format("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        ("@TIMEZONE@", zone.name().to_string()),
        ("@TRIBUNE_REPOSITORY@", install.repository),
        ("@TRIBUNE_REV@", install.rev),
    ];
    let common = COMMON.map(|(path, text)| (path.to_string(), text.to_string()));
    for (path, template) in files.iter().chain(&common) {
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
    if let Some((message, hint)) = install.warning {
        terminal.warning(&Diagnostic::input(message).hint(hint));
    }
    Ok(error::EXIT_OK)
}

/// Refuses a folder with anything in it but a Git repository (`git init` or a fresh clone of
/// an empty repository come first for many), so nothing of anyone's is ever overwritten. The
/// hint never suggests the command that was just refused.
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
    let here = dir == Path::new(".");
    let is_site = dir.join(CONFIG_FILE).is_file();
    // Another site goes beside this one, never inside it.
    let beside = if here && is_site { ".." } else { "" };
    let new_site = format!(
        "tribune init {}",
        shell_word(&unused_folder(Path::new(beside)))
    );
    if is_site {
        let (folder, cd) = if here {
            ("this folder".to_string(), String::new())
        } else {
            (
                format!("`{}`", dir.display()),
                format!("cd {} && ", shell_word(dir)),
            )
        };
        return Err(Diagnostic::input(format!(
            "{folder} already has a site ({CONFIG_FILE}); `tribune init` creates one only in an \
             empty or new folder"
        ))
        .as_io()
        .hint(format!(
            "preview it with `{cd}tribune serve` or build it with `{cd}tribune build`; to start \
             another site, name a new folder: `{new_site}`"
        ))
        .into());
    }
    found.sort();
    let shown = found.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let more = if found.len() > 3 { ", …" } else { "" };
    Err(Diagnostic::input(format!(
        "`{}` is not empty ({shown}{more}); Tribune creates a site only in an empty or new folder",
        dir.display()
    ))
    .as_io()
    .hint(format!("choose a new folder: `{new_site}`"))
    .into())
}

/// A folder for a new site in `parent` that does not exist yet: `my-blog`, else `my-blog-2`,
/// `my-blog-3`…
fn unused_folder(parent: &Path) -> std::path::PathBuf {
    (1..100)
        .map(|n| match n {
            1 => parent.join("my-blog"),
            n => parent.join(format!("my-blog-{n}")),
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| parent.join("my-new-blog"))
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
            "@TRIBUNE_REPOSITORY@",
            "@TRIBUNE_REV@",
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
