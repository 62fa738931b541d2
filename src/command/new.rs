//! `tribune new "Title"`: a post (or page) file with its front matter, named after its title,
//! never written over another file.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Timelike};

use crate::cli::NewArgs;
use crate::clock;
use crate::command::terminal::Terminal;
use crate::error::{self, Diagnostic, Result};
use crate::load::config::Config;
use crate::load::source::{CONTENT_DIR, POSTS_DIR};
use crate::locale;
use crate::options::SiteOptions;
use crate::slug;

/// Writes the new file and prints its path; returns the exit code.
pub(crate) fn run(options: &SiteOptions, args: &NewArgs, terminal: &Terminal) -> Result<u8> {
    let title = one_line(&args.title);
    let slug = slug::slugify(&title);
    if slug.is_empty() {
        return Err(Diagnostic::usage(format!(
            "the title `{title}` has no letters or digits to make a file name from"
        ))
        .into());
    }
    if let Some(link) = &args.link
        && !(link.starts_with("https://") || link.starts_with("http://"))
    {
        return Err(Diagnostic::usage(format!(
            "--link: `{link}` must be a full URL starting with https://"
        ))
        .into());
    }
    if let Some(lang) = &args.lang
        && !locale::is_language_tag(lang)
    {
        return Err(Diagnostic::usage(format!(
            "--lang: `{lang}` is not a language code such as `fr`, `en` or `fr-CA`"
        ))
        .into());
    }
    let (config, clock) = options.load()?;
    let date = match &args.date {
        Some(text) => Some(
            clock::parse_time(text, config.zone)
                .map_err(|e| Diagnostic::usage(format!("--date: {e}")))?,
        ),
        // To the minute: seconds in front matter are noise, and rounding down keeps "now" public.
        None if !args.page => Some(
            clock
                .now()
                .with_timezone(&config.zone)
                .fixed_offset()
                .with_second(0)
                .and_then(|d| d.with_nanosecond(0))
                .expect("second 0 exists in every minute"),
        ),
        None => None,
    };
    if let Some(original) = &args.translate {
        let (file, text) = translation(original, &title, &slug, args, &config)?;
        create(&config.root, &file, &text)?;
        terminal.say(shown(&options.root, &file).display());
        return Ok(error::EXIT_OK);
    }
    if let Some(lang) = args.lang.as_deref()
        && config.multilingual
        && !config.languages.iter().any(|l| l.code == lang)
        && !terminal.quiet
    {
        eprintln!(
            "Note: `{lang}` is not one of the site's languages: the post is published among the {} pages. Declare [languages.{lang}] in site.toml to give it its own.",
            config.language
        );
    }
    let file = target(&slug, args);
    refuse_taken(&config.root, &file, &slug, args)?;
    let text = front_matter(&title, date, args, &config);
    create(&config.root, &file, &text)?;
    terminal.say(shown(&options.root, &file).display());
    if !terminal.quiet {
        if let Some(d) = date.filter(|d| *d > clock.now()) {
            eprintln!(
                "Scheduled: it goes live on the first build after {}.",
                d.to_rfc3339()
            );
        }
        if args.draft {
            eprintln!("Draft: builds leave it out until you remove `draft = true`.");
        }
    }
    Ok(error::EXIT_OK)
}

/// The translation of `original` into `--lang`: its file beside the original, named with the
/// language, and its front matter: the translated title and its own slug, the original's date
/// (so both versions sit in the same place of their archives), and the usual hints.
fn translation(
    original: &Path,
    title: &str,
    slug: &str,
    args: &NewArgs,
    config: &Config,
) -> Result<(PathBuf, String)> {
    let lang = args.lang.as_deref().unwrap_or_default();
    let Some(language) = config.languages.iter().skip(1).find(|l| l.code == lang) else {
        let declared: Vec<&str> = config
            .languages
            .iter()
            .skip(1)
            .map(|l| l.code.as_str())
            .collect();
        return Err(Diagnostic::usage(if declared.is_empty() {
            format!("--translate: the site has no other language than `{}`; declare [languages.{lang}] in site.toml first", config.language)
        } else {
            format!("--lang: `{lang}` is not one of the site's other languages ({})", declared.join(", "))
        })
        .into());
    };
    // The original as written (`content/posts/x.md`), or from inside `content/`.
    let relative = original
        .strip_prefix(&config.root)
        .unwrap_or(original)
        .to_path_buf();
    let relative = if relative.starts_with(CONTENT_DIR) {
        relative
    } else {
        Path::new(CONTENT_DIR).join(relative)
    };
    let source = std::fs::read_to_string(config.root.join(&relative)).map_err(|e| {
        Diagnostic::io(&relative, "read the original", &e)
            .hint("give the original's path, such as content/posts/bonjour.md")
    })?;
    let name = relative.to_string_lossy();
    let Some(stem) = name.strip_suffix(".md") else {
        return Err(
            Diagnostic::usage(format!("--translate: {name} is not a Markdown file")).into(),
        );
    };
    let file = PathBuf::from(format!("{stem}.{}.md", language.code));
    if config.root.join(&file).exists() {
        return Err(Diagnostic::input(format!(
            "{} already exists; Tribune does not write over it",
            file.display()
        ))
        .as_io()
        .hint("edit the existing translation")
        .into());
    }
    let french = locale::is_french(lang);
    let mut text = format!(
        "+++\ntitle = {}\nslug = {}\n",
        toml_string(title),
        toml_string(slug)
    );
    // The original's date, as written on its own line.
    if let Some(date) = source
        .lines()
        .skip(1)
        .take_while(|line| line.trim_end() != "+++")
        .find(|line| line.starts_with("date ") || line.starts_with("date="))
    {
        text.push_str(date);
        text.push('\n');
    }
    text.push_str(&format!(
        "{}\n",
        if french {
            format!("# Traduction de {name}")
        } else {
            format!("# A translation of {name}")
        }
    ));
    text.push_str(if french {
        "# description = \"Une phrase pour les listes, les flux et les moteurs de recherche.\"\n"
    } else {
        "# description = \"One sentence for listings, feeds and search engines.\"\n"
    });
    for key in ["tags", "themes"] {
        if config.taxonomies.iter().any(|t| t == key) {
            text.push_str(&format!("# {key} = [\"…\"]\n"));
        }
    }
    text.push_str("+++\n\n");
    Ok((file, text))
}

/// The title on one line, as front matter and slugs want it.
fn one_line(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file to write, relative to the site folder.
fn target(slug: &str, args: &NewArgs) -> PathBuf {
    let content = Path::new(CONTENT_DIR);
    if args.page {
        content.join(format!("{slug}.md"))
    } else if args.bundle {
        content.join(POSTS_DIR).join(slug).join("index.md")
    } else {
        content.join(POSTS_DIR).join(format!("{slug}.md"))
    }
}

/// Refuses a name already taken: the file itself, or the other form of the same post (a
/// bundle and a single file of one name would share a URL).
fn refuse_taken(root: &Path, file: &Path, slug: &str, args: &NewArgs) -> Result<()> {
    let posts = Path::new(CONTENT_DIR).join(POSTS_DIR);
    let mut taken = vec![file.to_path_buf()];
    if !args.page {
        taken.push(posts.join(format!("{slug}.md")));
        taken.push(posts.join(slug));
    }
    match taken.iter().find(|t| root.join(t).exists()) {
        Some(existing) => Err(Diagnostic::input(format!(
            "{} already exists; Tribune does not write over it",
            existing.display()
        ))
        .as_io()
        .hint("choose another title, or edit the existing file")
        .into()),
        None => Ok(()),
    }
}

/// The new file's text: its front matter, with the usual optional keys commented out.
fn front_matter(
    title: &str,
    date: Option<DateTime<FixedOffset>>,
    args: &NewArgs,
    config: &Config,
) -> String {
    // The hints are in the language the post is written in.
    let lang = args.lang.as_deref().filter(|l| *l != config.language);
    let french = locale::is_french(lang.unwrap_or(&config.language));
    let mut text = format!("+++\ntitle = {}\n", toml_string(title));
    if let Some(lang) = lang {
        text.push_str(&format!("lang = {}\n", toml_string(lang)));
    }
    if let Some(date) = date {
        text.push_str(&format!("date = {}\n", date.format("%Y-%m-%dT%H:%M:%S%:z")));
    }
    if args.draft {
        text.push_str("draft = true\n");
    }
    if let Some(link) = &args.link {
        text.push_str(&format!("link = {}\n", toml_string(link)));
        text.push_str(if french {
            "# via = \"Où vous l’avez trouvé\"\n"
        } else {
            "# via = \"Where you found it\"\n"
        });
    }
    text.push_str(if french {
        "# description = \"Une phrase pour les listes, les flux et les moteurs de recherche.\"\n"
    } else {
        "# description = \"One sentence for listings, feeds and search engines.\"\n"
    });
    if !args.page {
        for key in ["tags", "themes"] {
            if config.taxonomies.iter().any(|t| t == key) {
                text.push_str(&format!("# {key} = [\"…\"]\n"));
            }
        }
    }
    text.push_str("+++\n\n");
    text
}

/// `text` as a TOML basic string on one line, quotes, backslashes and controls escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Creates `file` under `root` with `text`, failing rather than replacing anything.
fn create(root: &Path, file: &Path, text: &str) -> Result<()> {
    let path = root.join(file);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Diagnostic::io(file, "create the folder", &e))?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Diagnostic::io(file, "create the file", &e))?;
    out.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::io(file, "write the file", &e))?;
    Ok(())
}

/// The path as the person can use it from where they ran the command.
fn shown(root: &Path, file: &Path) -> PathBuf {
    if root == Path::new(".") {
        file.to_path_buf()
    } else {
        root.join(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_titles_as_toml() {
        assert_eq!(
            toml_string("Gérer une communauté : c’est \"quoi\" ?"),
            "\"Gérer une communauté : c’est \\\"quoi\\\" ?\""
        );
        assert_eq!(toml_string("a\\b\t"), "\"a\\\\b\\u0009\"");
        for title in ["L'été \"2026\" : c’est quoi ?", "a\\b", "x\u{7f}y"] {
            let parsed: toml::Table =
                toml::from_str(&format!("t = {}", toml_string(title))).unwrap();
            assert_eq!(parsed["t"].as_str(), Some(title));
        }
    }

    #[test]
    fn titles_fit_on_one_line() {
        assert_eq!(one_line("  Été\n 2026 "), "Été 2026");
    }
}
