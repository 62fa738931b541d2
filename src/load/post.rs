//! A typed post or page, made once from a source file and its front matter.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Datelike, FixedOffset};
use toml::Spanned;

use crate::clock;
use crate::error::{Diagnostic, Errors, Result};
use crate::images;
use crate::load::config::{Config, DATE_FORMS, Network, Wanted, mistyped, value_words};
use crate::load::frontmatter::{self, RawFrontMatter, Split};
use crate::load::pictures::{self, Pictures};
use crate::load::source::{SourceFile, SourceKind};
use crate::slug;

/// The most terms of one taxonomy a post may have.
const MAX_TERMS: usize = 100;

/// A post's Markdown. A build lets go of it once the post's body is rendered: at 100,000 posts
/// it was the largest part of what a build holds.
#[derive(Debug)]
pub(crate) struct Markdown(RwLock<Arc<String>>);

impl Markdown {
    /// The Markdown `text`.
    pub(crate) fn new(text: String) -> Markdown {
        Markdown(RwLock::new(Arc::new(text)))
    }

    /// The text; empty once let go of (see [`Markdown::release`]).
    pub(crate) fn text(&self) -> Arc<String> {
        Arc::clone(&self.0.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Lets go of the text, for a build that has rendered the body and reads it no more.
    pub(crate) fn release(&self) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::default();
    }
}

impl Clone for Markdown {
    fn clone(&self) -> Markdown {
        Markdown(RwLock::new(self.text()))
    }
}

/// A post or a standalone page, valid in itself.
#[derive(Debug, Clone)]
pub(crate) struct Post {
    /// Source file relative to the site root, for messages.
    pub(crate) source: PathBuf,
    /// Post or page.
    pub(crate) kind: SourceKind,
    /// Title.
    pub(crate) title: String,
    /// File line of the title.
    pub(crate) title_line: usize,
    /// Last URL segment.
    pub(crate) slug: String,
    /// Site path of the page, without leading slash: `posts/x/`.
    pub(crate) path: String,
    /// Publication time (required for posts).
    pub(crate) date: Option<DateTime<FixedOffset>>,
    /// Last content change.
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    /// Last review: checked and still true.
    pub(crate) reviewed: Option<DateTime<FixedOffset>>,
    /// Date by which the post must be reviewed.
    pub(crate) review_by: Option<DateTime<FixedOffset>>,
    /// Time after which the post is no longer published.
    pub(crate) expires: Option<DateTime<FixedOffset>>,
    /// Timeless content: never marked stale on its page.
    pub(crate) evergreen: bool,
    /// Description.
    pub(crate) description: Option<String>,
    /// Terms per declared taxonomy, as written (duplicates removed).
    pub(crate) taxonomies: BTreeMap<String, Vec<String>>,
    /// File line of each term of `taxonomies`, key by key and name by name, for messages
    /// about a term (see [`Post::terms`]): a map of its own per post held two copies of
    /// every name.
    term_lines: Vec<u32>,
    /// Not public unless the build includes drafts.
    pub(crate) draft: bool,
    /// Pinned at the top of the home page's first page (always false for pages, which the
    /// home page does not list).
    pub(crate) sticky: bool,
    /// Author names.
    pub(crate) authors: Vec<String>,
    /// Cover image, as written.
    pub(crate) image: Option<String>,
    /// Text alternative of the image.
    pub(crate) image_alt: Option<String>,
    /// Site paths that redirect here.
    pub(crate) aliases: Vec<String>,
    /// Old query addresses of the home page that lead here (`p=24`, from `/?p=24`).
    pub(crate) query_aliases: Vec<String>,
    /// Language code of the text, when given.
    pub(crate) lang: Option<String>,
    /// File line of `lang`, when the front matter sets it.
    pub(crate) lang_line: Option<usize>,
    /// The site language it is published in (index into the configuration's languages): the
    /// one its file name or `lang` names, else the default.
    pub(crate) edition: usize,
    /// What its versions in other languages share: `translation_key`, else its file's path
    /// under `content/` without the language (`posts/bonjour.md` for `posts/bonjour.en.md`),
    /// so a translation named otherwise can give its original's path as its key.
    pub(crate) translation_key: String,
    /// Whether its file name carries its language (`bonjour.en.md`).
    pub(crate) named_translation: bool,
    /// Free table for templates.
    pub(crate) extra: serde_json::Value,
    /// Source URL of a curated link post.
    pub(crate) link: Option<String>,
    /// Where the editor found the link.
    pub(crate) via: Option<String>,
    /// Pull quotes given in front matter.
    pub(crate) pullquotes: Vec<String>,
    /// Per-post share settings.
    pub(crate) share: ShareOverride,
    /// Per-post social queue settings.
    pub(crate) social: SocialOverride,
    /// Width and height of the cover image, when it is a file of the site.
    pub(crate) image_size: Option<(u32, u32)>,
    /// The cover's file, when it is a JPEG or PNG of the site (social cards show it).
    pub(crate) image_file: Option<PathBuf>,
    /// The site's own JPEG and PNG images the body shows, by their URL as written: each is
    /// published at several widths.
    pub(crate) pictures: Pictures,
    /// Markdown body.
    pub(crate) body: Markdown,
    /// File line of the body's first line.
    pub(crate) body_line: usize,
    /// Readers' comments, from the post's comments file (empty for most posts).
    pub(crate) comments: std::sync::Arc<[crate::load::comments::Comment]>,
    /// Content path of the folder whose files are copied beside the page (bundles only).
    pub(crate) bundle_dir: Option<String>,
    /// Hash of the source file's path and text and of the cover image's size: equal
    /// fingerprints under one configuration mean equal posts, which lets the preview reuse what
    /// it rendered before.
    pub(crate) fingerprint: u64,
}

/// A post's own social queue settings, from its `[social]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SocialOverride {
    /// Nothing about this post is queued.
    pub(crate) off: bool,
    /// Channels that skip this post.
    pub(crate) skip: Vec<Network>,
    /// Hand-written messages.
    pub(crate) posts: Vec<HandWritten>,
}

/// A social message written by hand in front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HandWritten {
    /// The message.
    pub(crate) text: String,
    /// Channels it goes to; empty for all.
    pub(crate) channels: Vec<Network>,
    /// A fixed time, instead of the next posting slot.
    pub(crate) at: Option<DateTime<FixedOffset>>,
    /// File line of its text.
    pub(crate) line: usize,
}

/// A post's own share settings, from its `[share]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShareOverride {
    /// No share block for this post.
    pub(crate) off: bool,
    /// Text to share instead of the title.
    pub(crate) text: Option<String>,
    /// Hashtags instead of those made from the tags.
    pub(crate) hashtags: Option<Vec<String>>,
}

impl Post {
    /// Each of its terms with the file line it is written on: taxonomy key, name, line.
    pub(crate) fn terms(&self) -> impl Iterator<Item = (&str, &str, usize)> {
        let names = self
            .taxonomies
            .iter()
            .flat_map(|(key, names)| names.iter().map(move |name| (key.as_str(), name.as_str())));
        let lines = self.term_lines.iter().map(|&line| line as usize);
        names
            .zip(lines.chain(std::iter::repeat(1)))
            .map(|((key, name), line)| (key, name, line))
    }

    /// Year, month and day of the post in the site's time zone.
    pub(crate) fn local_date(&self, config: &Config) -> Option<chrono::NaiveDate> {
        self.date
            .map(|d| d.with_timezone(&config.zone).date_naive())
    }
}

/// Hash of what a post is made from besides the configuration: its file, and the size of its
/// cover image and of the images it shows.
fn fingerprint(file: &SourceFile, image_size: Option<(u32, u32)>, pictures: &Pictures) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    file.content_path.hash(&mut h);
    file.text.hash(&mut h);
    image_size.hash(&mut h);
    pictures.hash(&mut h);
    h.finish()
}

/// Reads one source file into a post, reporting all of its problems.
pub(crate) fn parse(file: &SourceFile, config: &Config) -> Result<Post> {
    let at = |d: Diagnostic| d.at(&file.path);
    let split = frontmatter::split(&file.text).map_err(at)?;
    let (raw, unknown) = frontmatter::parse(&split, &file.path, &config.taxonomies)
        .map_err(|problems| Errors(problems.into_iter().map(at).collect()))?;
    // A misspelt key makes others look missing (`titel` and "`title` is missing"): the rest
    // of the file is judged once its keys are right.
    if !unknown.is_empty() {
        return Err(Errors(unknown));
    }
    let (original, named) = match translation_name(&file.content_path, config) {
        Some((original, edition)) => (original, Some(edition)),
        None => (file.content_path.clone(), None),
    };
    Builder {
        file,
        config,
        split: &split,
        problems: Vec::new(),
        original,
        named,
    }
    .build(raw)
}

struct Builder<'a> {
    file: &'a SourceFile,
    config: &'a Config,
    split: &'a Split<'a>,
    problems: Vec<Diagnostic>,
    /// The file's content path without a language in its name: what gives the slug, the
    /// folder of its files and the key it shares with its translations.
    original: String,
    /// The site language its file name carries, if any.
    named: Option<usize>,
}

/// For a file named with one of the site's languages (`posts/bonjour.en.md`,
/// `posts/b/index.en.md`), the path of its original (`posts/bonjour.md`) and the language.
/// Only declared languages count: `v1.2.md` or `notes.fr.md` on a site without `[languages]`
/// are names like any other.
pub(crate) fn translation_name(content_path: &str, config: &Config) -> Option<(String, usize)> {
    if !config.multilingual {
        return None;
    }
    let without = content_path.strip_suffix(".md")?;
    let (stem, code) = without.rsplit_once('.')?;
    if code.contains('/') || stem.ends_with('/') || stem.is_empty() {
        return None;
    }
    let edition = config
        .languages
        .iter()
        .position(|l| l.code.eq_ignore_ascii_case(code))?;
    Some((format!("{stem}.md"), edition))
}

/// A post's dates, as read from its front matter.
struct Dates {
    /// Publication time: `publishDate`, else `date`.
    date: Option<DateTime<FixedOffset>>,
    /// Last content change.
    updated: Option<DateTime<FixedOffset>>,
    /// Last review.
    reviewed: Option<DateTime<FixedOffset>>,
    /// Date by which the post must be reviewed.
    review_by: Option<DateTime<FixedOffset>>,
    /// Time after which the post is no longer published.
    expires: Option<DateTime<FixedOffset>>,
}

impl Builder<'_> {
    fn problem(&mut self, line: usize, message: String) -> &mut Diagnostic {
        self.problems
            .push(Diagnostic::input(message).at(&self.file.path).line(line));
        self.problems.last_mut().expect("just pushed")
    }

    fn line<T>(&self, value: &Spanned<T>) -> usize {
        frontmatter::line_at(self.split, value.span())
    }

    fn time(
        &mut self,
        value: &Option<Spanned<toml::Value>>,
        key: &str,
    ) -> Option<DateTime<FixedOffset>> {
        let value = value.as_ref()?;
        let text = match value.get_ref() {
            toml::Value::Datetime(dt) => dt.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                let line = self.line(value);
                self.problem(
                    line,
                    format!("`{key}` must be a date, not {}", value_words(other)),
                )
                .hint = Some(DATE_FORMS.to_string());
                return None;
            }
        };
        match clock::parse_time(&text, self.config.zone) {
            Ok(at) => Some(at),
            Err(e) => {
                let line = self.line(value);
                self.problem(line, format!("`{key}`: {e}"));
                None
            }
        }
    }

    fn names(&mut self, value: &Option<Spanned<toml::Value>>, key: &str) -> Vec<String> {
        let Some(value) = value else {
            return Vec::new();
        };
        let line = self.line(value);
        match names(value.get_ref()) {
            Some(list) => list,
            None => {
                self.problem(
                    line,
                    format!("`{key}` must be a list of names, such as [\"rust\", \"écriture\"]"),
                );
                Vec::new()
            }
        }
    }

    fn build(mut self, raw: RawFrontMatter) -> Result<Post> {
        let file = self.file;
        // Problems are reported in the order of these calls.
        let title = self.title(raw.title.as_ref());
        let title_line = raw.title.as_ref().map_or(1, |t| self.line(t));
        let dates = self.dates(&raw);
        let taxonomies = self.taxonomies(&raw);
        let term_lines = self.term_lines(&raw, &taxonomies);
        let slug = self.slug(&raw.slug);
        let path = self.path(&slug, dates.date);
        let (aliases, query_aliases) = self.aliases(raw.aliases.as_ref());
        let lang_line = raw.lang.as_ref().map(|l| self.line(l));
        let (lang, edition) = self.language(raw.lang.as_ref());
        let path = match self.config.languages.get(edition) {
            Some(language) if !path.is_empty() => format!("{}{path}", language.prefix),
            _ => path,
        };
        let translation_key = self.translation_key(raw.translation_key.as_ref());
        let authors = self.authors(&raw.authors, raw.author);
        let link = self.link(raw.link.as_ref());
        let share = self.share(&raw.share);
        let social = self.social(&raw.social);
        // A bundle's translations (`index.en.md`) share its folder and its files.
        let bundle = file.bundle
            || (self.named.is_some()
                && file.kind == SourceKind::Post
                && self.original.ends_with("/index.md"));
        let bundle_dir = bundle.then(|| self.original.trim_end_matches("index.md").to_string());
        // A relative cover sits in the folder of the post's files: a bundle's, or the folder of
        // a single file's name (`posts/ete.md`: `posts/ete/`), which is copied beside its page.
        let cover_dir = bundle_dir.clone().unwrap_or_else(|| {
            let stem = self.original.trim_end_matches(".md");
            format!("{stem}/")
        });
        let image = self.image(raw.image.as_ref(), &cover_dir);
        let cover_file = image
            .as_deref()
            .and_then(|i| local_image(i, self.config, &cover_dir));
        let cover = match (image.as_deref(), cover_file.as_ref()) {
            (Some(i), Some(file)) => images::picture_size(i, file).map(|size| (file.clone(), size)),
            _ => None,
        };
        // A cover of the site's own that is not there would be a broken picture on the page,
        // on its card and in every share.
        if let (Some(written), Some(url), None) =
            (raw.image.as_ref(), image.as_deref(), &cover_file)
            && !url.contains("://")
            && !url.starts_with("//")
        {
            let line = self.line(written);
            self.problem(
                line,
                format!("the cover image `{url}` is not a file of the site"),
            )
            .hint = Some(format!(
                "check the name, or put the picture in content/{cover_dir}, or give a path from the site root such as /images/cover.jpg (static/images/cover.jpg)"
            ));
        }
        // A photo of the site's own whose size cannot be read (a corrupt file, a decompression
        // bomb) would be published unread, or drawn on its card at any cost.
        if let (Some(written), Some(file), None) = (raw.image.as_ref(), &cover_file, &cover)
            && images::source_format(&file.to_string_lossy()).is_some()
            && let Err(why) = images::probe_file(file)
        {
            let line = self.line(written);
            let shown = crate::error::relative(&self.config.root, file);
            self.problem(
                line,
                format!("the cover image `{}` is {why}", shown.display()),
            );
        }
        let image_size = cover.as_ref().map(|(_, size)| *size);
        let image_file = cover
            .filter(|(file, _)| images::source_format(&file.to_string_lossy()).is_some())
            .map(|(file, _)| file);
        let pictures = pictures::pictures(
            self.split.body,
            self.config,
            bundle_dir.as_deref(),
            &file.path,
            &mut self.problems,
        );

        let texts = [
            ("title", Some(title.as_str())),
            ("description", raw.description.as_deref()),
            ("via", raw.via.as_deref()),
            ("image_alt", raw.image_alt.as_deref()),
            ("link", link.as_deref()),
        ];
        let terms = taxonomies
            .values()
            .flatten()
            .map(|t| ("tags", Some(t.as_str())));
        let names = authors.iter().map(|a| ("authors", Some(a.as_str())));
        for (key, text) in texts.into_iter().chain(terms).chain(names) {
            if let Some((_, c)) = text.and_then(crate::load::source::forbidden_char) {
                self.problems.push(
                    Diagnostic::input(format!(
                        "`{key}` holds a control character (U+{:04X}) that pages and feeds cannot carry",
                        u32::from(c)
                    ))
                    .at(&file.path),
                );
            }
        }
        let comments = crate::load::comments::of(self.file, self.config.zone).unwrap_or_else(
            |Errors(problems)| {
                self.problems.extend(problems);
                Vec::new().into()
            },
        );
        if !self.problems.is_empty() {
            return Err(Errors(self.problems));
        }
        Ok(Post {
            source: file.path.clone(),
            kind: file.kind,
            title,
            title_line,
            slug,
            path,
            date: dates.date,
            updated: dates.updated,
            reviewed: dates.reviewed,
            review_by: dates.review_by,
            expires: dates.expires,
            evergreen: raw.evergreen,
            description: trimmed(raw.description),
            taxonomies,
            term_lines,
            draft: raw.draft,
            sticky: raw.sticky && file.kind == SourceKind::Post,
            authors,
            image,
            image_size,
            image_file,
            link,
            via: trimmed(raw.via),
            pullquotes: raw
                .pullquotes
                .unwrap_or_default()
                .into_iter()
                .filter(|q| !q.trim().is_empty())
                .collect(),
            share,
            social,
            image_alt: raw.image_alt,
            aliases,
            query_aliases,
            lang,
            lang_line,
            edition,
            translation_key,
            named_translation: self.named.is_some(),
            extra: serde_json::to_value(raw.extra).unwrap_or(serde_json::Value::Null),
            body: Markdown::new(self.split.body.to_string()),
            body_line: self.split.body_line,
            bundle_dir,
            comments,
            fingerprint: fingerprint(file, image_size, &pictures),
            pictures,
        })
    }

    /// The title, which every post and page needs.
    fn title(&mut self, title: Option<&Spanned<String>>) -> String {
        match title {
            Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
            Some(t) => {
                let line = self.line(t);
                self.problem(line, "`title` is empty".to_string());
                String::new()
            }
            None => {
                self.problem(1, "`title` is missing".to_string()).hint =
                    Some("add `title = \"…\"` to the front matter".to_string());
                String::new()
            }
        }
    }

    /// The dates; a post needs a publication date, and expires after it.
    fn dates(&mut self, raw: &RawFrontMatter) -> Dates {
        let written_date = self.time(&raw.date, "date");
        let publish_date = self.time(&raw.publish_date, "publishDate");
        let date = publish_date.or(written_date);
        if self.file.kind == SourceKind::Post && raw.date.is_none() && raw.publish_date.is_none() {
            self.problem(
                1,
                "`date` is missing: every post needs a publication date".to_string(),
            )
            .hint = Some(
                "add `date = 2026-11-23` (or `2026-11-23T09:00`) to the front matter".to_string(),
            );
        }
        let updated = self.time(&raw.updated, "updated");
        let reviewed = self.time(&raw.reviewed, "reviewed");
        let review_by = self.time(&raw.review_by, "review_by");
        let expires = self.time(&raw.expires, "expires");
        if let (Some(start), Some(end), Some(value)) = (date, expires, &raw.expires)
            && end <= start
        {
            let line = self.line(value);
            self.problem(
                line,
                "`expires` must come after the publication date".to_string(),
            );
        }
        Dates {
            date,
            updated,
            reviewed,
            review_by,
            expires,
        }
    }

    /// Terms per taxonomy, from `tags`, `themes` and a `[taxonomies]` table, each taxonomy
    /// declared by the site and each term once.
    fn taxonomies(&mut self, raw: &RawFrontMatter) -> BTreeMap<String, Vec<String>> {
        let mut taxonomies: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, value) in [("tags", &raw.tags), ("themes", &raw.themes)] {
            let list = self.names(value, key);
            if !list.is_empty() {
                taxonomies.entry(key.to_string()).or_default().extend(list);
            }
        }
        if let Some(table) = &raw.taxonomies {
            self.taxonomy_table(table, &mut taxonomies);
        }
        self.check_declared(&taxonomies);
        self.dedup_terms(&mut taxonomies);
        taxonomies
    }

    /// Adds the terms of a `[taxonomies]` table, where `categories` means `themes`.
    fn taxonomy_table(
        &mut self,
        table: &Spanned<BTreeMap<String, toml::Value>>,
        taxonomies: &mut BTreeMap<String, Vec<String>>,
    ) {
        let declared = &self.config.taxonomies;
        let line = self.line(table);
        for (key, value) in table.get_ref() {
            let name = if key == "categories" {
                "themes"
            } else {
                key.as_str()
            };
            if !declared.iter().any(|t| t == name) {
                let hint = crate::error::closest(name, declared.iter().map(String::as_str))
                    .map(|k| format!("did you mean `{k}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "declare it in site.toml: taxonomies = [{}]",
                            quoted(declared, name)
                        )
                    });
                self.problem(line, format!("unknown taxonomy `{key}`")).hint = Some(hint);
                continue;
            }
            match names(value) {
                Some(list) => taxonomies.entry(name.to_string()).or_default().extend(list),
                None => {
                    self.problem(line, format!("`taxonomies.{key}` must be a list of names"));
                }
            }
        }
    }

    /// Reports `tags` or `themes` given on a site that does not declare them.
    fn check_declared(&mut self, taxonomies: &BTreeMap<String, Vec<String>>) {
        let declared = &self.config.taxonomies;
        for key in taxonomies.keys().filter(|k| !declared.contains(k)) {
            self.problems.push(
                Diagnostic::input(format!("`{key}` is not a taxonomy of this site"))
                    .at(&self.file.path)
                    .hint(format!(
                        "declare it in site.toml: taxonomies = [{}]",
                        quoted(declared, key)
                    )),
            );
        }
    }

    /// The file line of each term: where its name is written in the taxonomy's key or in
    /// the `[taxonomies]` table, else where that value starts.
    fn term_lines(
        &self,
        raw: &RawFrontMatter,
        taxonomies: &BTreeMap<String, Vec<String>>,
    ) -> Vec<u32> {
        let table = raw.taxonomies.as_ref().map(Spanned::span);
        let mut lines = Vec::new();
        for (key, names) in taxonomies {
            let own = match key.as_str() {
                "tags" => raw.tags.as_ref().map(Spanned::span),
                "themes" => raw.themes.as_ref().map(Spanned::span),
                _ => None,
            };
            let spans: Vec<_> = own.into_iter().chain(table.clone()).collect();
            for name in names {
                let line = spans
                    .iter()
                    .find_map(|span| {
                        let at = self.split.front.get(span.clone())?.find(name.as_str())?;
                        Some(frontmatter::line_at(self.split, span.start + at..span.end))
                    })
                    .or_else(|| {
                        spans
                            .first()
                            .map(|span| frontmatter::line_at(self.split, span.clone()))
                    })
                    .unwrap_or(1);
                lines.push(u32::try_from(line).unwrap_or(u32::MAX));
            }
        }
        lines
    }

    /// Drops empty terms and other spellings of an earlier term (`rust` after `Rust`); reports
    /// terms that cannot make a URL.
    fn dedup_terms(&mut self, taxonomies: &mut BTreeMap<String, Vec<String>>) {
        for (key, list) in taxonomies.iter_mut() {
            let mut seen = std::collections::BTreeSet::new();
            list.retain(|name| !name.is_empty() && seen.insert(term_word(name)));
            if list.len() > MAX_TERMS {
                self.problems.push(
                    Diagnostic::input(format!(
                        "{} {key} on one post: at most {MAX_TERMS}",
                        list.len()
                    ))
                    .at(&self.file.path)
                    .hint(
                        "each term makes pages and feeds of its own; keep the ones readers follow",
                    ),
                );
                list.truncate(MAX_TERMS);
            }
            if let Some(long) = list
                .iter()
                .find(|name| slug::slugify(name).len() > slug::MAX_SEGMENT)
            {
                self.problems.push(
                    Diagnostic::input(format!(
                        "{key} term `{}…` is too long to make a URL: at most {} bytes",
                        long.chars().take(40).collect::<String>(),
                        slug::MAX_SEGMENT
                    ))
                    .at(&self.file.path),
                );
            }
            if let Some(bad) = list.iter().find(|name| slug::slugify(name).is_empty()) {
                self.problems.push(
                    Diagnostic::input(format!(
                        "{key} term `{bad}` has no letters or digits to make a URL from"
                    ))
                    .at(&self.file.path),
                );
            }
        }
    }

    /// Site path of the page: a post's comes from the permalink pattern (none without a
    /// date), a page's from its file's folder.
    fn path(&self, slug: &str, date: Option<DateTime<FixedOffset>>) -> String {
        let config = self.config;
        match self.file.kind {
            SourceKind::Post => {
                date.map(|d| permalink(&config.permalink, slug, d.with_timezone(&config.zone)))
            }
            SourceKind::Page => Some(page_path(&self.original, slug)),
        }
        .unwrap_or_default()
    }

    /// The `aliases`, as site paths, and the home page's old query addresses (`/?p=24`).
    fn aliases(&mut self, list: Option<&Spanned<Vec<String>>>) -> (Vec<String>, Vec<String>) {
        let mut aliases = Vec::new();
        let mut queries = Vec::new();
        if let Some(list) = list {
            let line = self.line(list);
            for alias in list.get_ref() {
                if let Some(query) = slug::query_alias(alias) {
                    queries.push(query);
                    continue;
                }
                match slug::site_path(alias) {
                    Ok(p) => aliases.push(p),
                    Err(e) => {
                        self.problem(line, format!("alias {e}"));
                    }
                }
            }
        }
        (aliases, queries)
    }

    /// The language of the text (the file name's, else `lang` kept as written even when it is
    /// not a code), and the site language it is published in.
    fn language(&mut self, lang: Option<&Spanned<String>>) -> (Option<String>, usize) {
        let languages = &self.config.languages;
        if let Some(named) = self.named {
            let code = &languages[named].code;
            if let Some(written) = lang.filter(|l| !l.get_ref().eq_ignore_ascii_case(code)) {
                let line = self.line(written);
                self.problem(
                    line,
                    format!(
                        "`lang = \"{}\"` contradicts the file name, which says `{code}`",
                        written.get_ref()
                    ),
                )
                .hint = Some(format!(
                    "remove `lang`, or rename the file to say `{}`",
                    written.get_ref()
                ));
            }
            return (Some(code.clone()), named);
        }
        let Some(lang) = lang else {
            return (None, 0);
        };
        let written = lang.get_ref();
        if !crate::locale::is_language_tag(written) {
            let line = self.line(lang);
            self.problem(
                line,
                format!("`{written}` is not a language code such as `fr` or `en`"),
            );
        }
        (Some(written.clone()), self.config.edition_of(written))
    }

    /// `translation_key`, else the file's path without its language.
    fn translation_key(&mut self, key: Option<&Spanned<String>>) -> String {
        match key {
            Some(key) if key.get_ref().trim().is_empty() => {
                let line = self.line(key);
                self.problem(line, "`translation_key` is empty".to_string());
                self.original.clone()
            }
            Some(key) => key.get_ref().trim().to_string(),
            None => self.original.clone(),
        }
    }

    /// The `authors` list, with a non-empty `author` first.
    fn authors(
        &mut self,
        authors: &Option<Spanned<toml::Value>>,
        author: Option<String>,
    ) -> Vec<String> {
        let mut authors = self.names(authors, "authors");
        if let Some(author) = author.filter(|a| !a.trim().is_empty()) {
            authors.insert(0, author);
        }
        authors
    }

    /// The source URL of a link post, which readers follow from anywhere: it must be absolute.
    fn link(&mut self, link: Option<&Spanned<String>>) -> Option<String> {
        let link = link?;
        let url = link.get_ref().trim();
        let message = if !(url.starts_with("https://") || url.starts_with("http://")) {
            format!("`link` must be a full URL starting with https://, not `{url}`")
        } else {
            match crate::load::config::web_url(url) {
                Ok(()) => return Some(url.to_string()),
                Err(e) => format!("`link` `{url}` {e}"),
            }
        };
        let line = self.line(link);
        self.problem(line, message).hint =
            Some("write a full address, such as https://example.org/article".to_string());
        None
    }

    /// The cover image, unless its address would run a script or open a page that the site
    /// did not write (`javascript:`, `data:text/html`…): pages, cards and feeds show it.
    fn image(&mut self, image: Option<&Spanned<String>>, bundle_dir: &str) -> Option<String> {
        let written = image?;
        let url = written.get_ref();
        if url.trim().is_empty() {
            return None;
        }
        // From the post's folder (or the site root, for `/…`), a path may not climb out.
        let base = if url.starts_with('/') { "" } else { bundle_dir };
        if !url.contains("://") && !stays_inside(base, url) {
            let line = self.line(written);
            self.problem(line, format!("`image` leads outside the site: `{url}`"))
                .hint = Some(
                "give a file beside the post, or a path from the site root such as /images/cover.jpg"
                    .to_string(),
            );
            return None;
        }
        if crate::unsafe_url::is_unsafe(url, crate::unsafe_url::Place::Image) {
            let line = self.line(written);
            self.problem(
                line,
                format!("`image` must be a picture's address, not `{url}`"),
            )
            .hint = Some(
                "browsers would run or open it: write a file beside the post, a path from the site root, or an https:// address"
                    .to_string(),
            );
            return None;
        }
        Some(url.clone())
    }

    /// Reads `social = false` or a `[social]` table with `off`, `skip` and `[[social.posts]]`.
    fn social(&mut self, value: &Option<Spanned<toml::Value>>) -> SocialOverride {
        let Some(value) = value else {
            return SocialOverride::default();
        };
        let line = self.line(value);
        let mut social = SocialOverride::default();
        let table = match value.get_ref() {
            toml::Value::Boolean(on) => {
                social.off = !on;
                return social;
            }
            toml::Value::Table(t) => t,
            _ => {
                self.problem(
                    line,
                    "`social` must be `false` or a table with `off`, `skip` or `posts`".to_string(),
                );
                return social;
            }
        };
        for (key, v) in table {
            match (key.as_str(), v) {
                ("off", toml::Value::Boolean(off)) => social.off = *off,
                ("skip", v) if names(v).is_some() => match networks(v, "social.skip") {
                    Ok(skip) => social.skip = skip,
                    Err(error) => {
                        self.problem(line, error.to_string());
                    }
                },
                ("posts", toml::Value::Array(items)) => {
                    let lines = hand_written_lines(self.split.front);
                    for (i, item) in items.iter().enumerate() {
                        let text_line = lines
                            .get(i)
                            .map_or(line, |&l| self.split.front_line + l - 1);
                        match self.hand_written(item, text_line) {
                            Ok(post) => social.posts.push(post),
                            Err(problem) => self.problems.push(problem),
                        }
                    }
                }
                ("posts", v) => {
                    self.problem(
                        line,
                        format!(
                            "`social.posts` must be [[social.posts]] tables, not {}",
                            value_words(v)
                        ),
                    );
                }
                ("off" | "skip", v) => {
                    let wanted = if key == "off" {
                        Wanted::Boolean
                    } else {
                        Wanted::List
                    };
                    let (message, hint) = mistyped(&format!("social.{key}"), wanted, v);
                    self.problem(line, message).hint = hint;
                }
                _ => {
                    let hint = crate::error::closest(key, ["off", "skip", "posts"])
                        .map_or("known keys: off, skip, posts".to_string(), |k| {
                            format!("did you mean `{k}`?")
                        });
                    self.problem(line, format!("unknown key `social.{key}`"))
                        .hint = Some(hint);
                }
            }
        }
        social
    }

    /// Reads one `[[social.posts]]` entry, whose text is on file line `line`.
    fn hand_written(
        &self,
        item: &toml::Value,
        line: usize,
    ) -> std::result::Result<HandWritten, Diagnostic> {
        let refuse = |message: &dyn std::fmt::Display| {
            Diagnostic::input(message.to_string())
                .at(&self.file.path)
                .line(line)
        };
        let table = item
            .as_table()
            .ok_or_else(|| refuse(&"each `[[social.posts]]` must be a table with `text`"))?;
        let mut post = HandWritten {
            text: String::new(),
            channels: Vec::new(),
            at: None,
            line,
        };
        for (key, v) in table {
            match key.as_str() {
                "text" => {
                    post.text = v
                        .as_str()
                        .ok_or_else(|| refuse(&"`social.posts.text` must be a string"))?
                        .trim()
                        .to_string()
                }
                "channels" => {
                    post.channels = networks(v, "social.posts.channels").map_err(|e| refuse(&e))?
                }
                "at" => {
                    let text = match v {
                        toml::Value::Datetime(dt) => dt.to_string(),
                        toml::Value::String(s) => s.clone(),
                        _ => return Err(refuse(&"`social.posts.at` must be a date and time")),
                    };
                    post.at = Some(
                        clock::parse_time(&text, self.config.zone)
                            .map_err(|e| refuse(&format!("`social.posts.at`: {e}")))?,
                    );
                }
                other => {
                    return Err(refuse(&format!(
                        "unknown key `social.posts.{other}` (known: text, channels, at)"
                    )));
                }
            }
        }
        if post.text.is_empty() {
            return Err(refuse(&"a `[[social.posts]]` entry has no `text`"));
        }
        Ok(post)
    }

    /// Reads `share = false` or a `[share]` table.
    fn share(&mut self, value: &Option<Spanned<toml::Value>>) -> ShareOverride {
        let Some(value) = value else {
            return ShareOverride::default();
        };
        let line = self.line(value);
        match value.get_ref() {
            toml::Value::Boolean(on) => ShareOverride {
                off: !on,
                ..Default::default()
            },
            toml::Value::Table(table) => {
                let mut share = ShareOverride::default();
                for (key, v) in table {
                    match (key.as_str(), v) {
                        ("off", toml::Value::Boolean(off)) => share.off = *off,
                        ("text", toml::Value::String(text)) => {
                            share.text = Some(text.trim().to_string())
                        }
                        ("hashtags", v) if names(v).is_some() => share.hashtags = names(v),
                        ("off" | "text" | "hashtags", v) => {
                            let wanted = match key.as_str() {
                                "off" => Wanted::Boolean,
                                "text" => Wanted::Text,
                                _ => Wanted::List,
                            };
                            let (message, hint) = mistyped(&format!("share.{key}"), wanted, v);
                            self.problem(line, message).hint = hint;
                        }
                        _ => {
                            let hint = crate::error::closest(key, ["off", "text", "hashtags"])
                                .map_or("known keys: off, text, hashtags".to_string(), |k| {
                                    format!("did you mean `{k}`?")
                                });
                            self.problem(line, format!("unknown key `share.{key}`"))
                                .hint = Some(hint);
                        }
                    }
                }
                share
            }
            _ => {
                self.problem(
                    line,
                    "`share` must be `false` or a table with `text`, `hashtags` or `off`"
                        .to_string(),
                );
                ShareOverride::default()
            }
        }
    }

    /// The explicit slug (checked, then normalised) or the file or folder name's slug.
    fn slug(&mut self, explicit: &Option<Spanned<String>>) -> String {
        if let Some(s) = explicit {
            if let Err(e) = slug::check_segment(s.get_ref().trim()) {
                let line = self.line(s);
                self.problem(line, format!("slug {e}"));
                return String::new();
            }
            let clean = slug::slugify(s.get_ref());
            if clean.is_empty() {
                let line = self.line(s);
                self.problem(
                    line,
                    format!("slug `{}` has no letters or digits", s.get_ref()),
                );
            }
            return clean;
        }
        let stem = file_stem(&self.original);
        let clean = slug::slugify(stem);
        if clean.is_empty() {
            self.problems.push(
                Diagnostic::input(format!("cannot make a URL from the file name `{stem}`"))
                    .at(&self.file.path)
                    .hint("rename the file or set `slug = \"…\"`"),
            );
        }
        clean
    }
}

/// Whether `path`, read from the site folder `base` (`posts/a/`, or `` for the root), stays
/// inside the site: no `..` climbs above the root.
fn stays_inside(base: &str, path: &str) -> bool {
    let mut depth = base.split('/').filter(|s| !s.is_empty()).count();
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => depth += 1,
        }
    }
    true
}

/// The file of a picture of the site's own: in `folder` (the post's, under `content/`), or from the site root
/// (`/img/x.png` in `static/` or `content/`), and inside the site (a link in the site to a file
/// elsewhere is never read). None for URLs and for files that are not there.
fn local_image(image: &str, config: &Config, folder: &str) -> Option<PathBuf> {
    if image.contains("://") {
        return None;
    }
    let candidates: Vec<PathBuf> = match image.strip_prefix('/') {
        Some(rooted) => vec![
            config.root.join("static").join(rooted),
            config.root.join("content").join(rooted),
        ],
        None => vec![config.root.join("content").join(folder).join(image)],
    };
    let root = config.root.canonicalize().ok()?;
    candidates
        .into_iter()
        .find(|p| p.is_file() && p.canonicalize().is_ok_and(|real| real.starts_with(&root)))
}

/// The name a file gives its page: `posts/x.md` and `posts/x/index.md` give `x`.
fn file_stem(content_path: &str) -> &str {
    let without = content_path
        .strip_suffix("/index.md")
        .unwrap_or(content_path);
    let name = without.rsplit('/').next().unwrap_or(without);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Site path of a post from the permalink pattern.
pub(crate) fn permalink(pattern: &str, slug: &str, date: DateTime<chrono_tz::Tz>) -> String {
    pattern
        .replace(":year", &format!("{:04}", date.year()))
        .replace(":month", &format!("{:02}", date.month()))
        .replace(":day", &format!("{:02}", date.day()))
        .replace(":slug", slug)
        .trim_start_matches('/')
        .to_string()
}

/// Site path of a standalone page: `about.md` is `about/`, `guide/index.md` is `guide/`.
fn page_path(content_path: &str, slug: &str) -> String {
    let without = content_path
        .strip_suffix("index.md")
        .unwrap_or(content_path);
    let parent = match without.trim_end_matches('/').rsplit_once('/') {
        Some((parent, _)) => parent,
        None => "",
    };
    let parent: Vec<String> = parent
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slug::slugify)
        .collect();
    let mut path = parent.join("/");
    if !path.is_empty() {
        path.push('/');
    }
    format!("{path}{slug}/")
}

fn names(value: &toml::Value) -> Option<Vec<String>> {
    match value {
        toml::Value::String(s) => Some(vec![s.trim().to_string()]),
        toml::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()))
            .collect(),
        _ => None,
    }
}

/// Why a front-matter list of channels names no channels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum ChannelsError {
    /// Not a name or a list of names.
    #[error("`{0}` must be a list of channel names")]
    NotNames(&'static str),
    /// A name of no network Tribune knows.
    #[error("`{key}`: {unknown}")]
    Unknown {
        /// The front-matter key.
        key: &'static str,
        /// The name, and what to write instead.
        unknown: crate::error::UnknownName,
    },
}

/// The networks a list of channel names (or one name) under `key` names.
fn networks(
    value: &toml::Value,
    key: &'static str,
) -> std::result::Result<Vec<Network>, ChannelsError> {
    names(value)
        .ok_or(ChannelsError::NotNames(key))?
        .iter()
        .map(|name| {
            Network::parse_known(name).map_err(|unknown| ChannelsError::Unknown { key, unknown })
        })
        .collect()
}

/// What two spellings of one term have in common: the name without capitals, accents, and
/// differences of spaces, hyphens and underscores (`Réseaux sociaux`, `reseaux-sociaux`).
/// Names that differ otherwise are different terms, even when they make one URL (`C#`, `C++`).
pub(crate) fn term_word(name: &str) -> String {
    let plain = deunicode::deunicode(name).to_lowercase();
    plain
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Text trimmed, or nothing when only blanks are left.
fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn quoted(existing: &[String], new: &str) -> String {
    existing
        .iter()
        .map(String::as_str)
        .chain([new])
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line, within the front matter `front`, of the `text` of each `[[social.posts]]` entry,
/// in order (the entry's own line when it has no `text`).
fn hand_written_lines(front: &str) -> Vec<usize> {
    let Ok(table) = toml::de::DeTable::parse(front) else {
        return Vec::new();
    };
    let line = |span: std::ops::Range<usize>| crate::error::line_of(front, span.start);
    let posts = table
        .get_ref()
        .get("social")
        .and_then(|social| match social.get_ref() {
            toml::de::DeValue::Table(t) => t.get("posts"),
            _ => None,
        });
    let Some(toml::de::DeValue::Array(posts)) = posts.map(|p| p.get_ref()) else {
        return Vec::new();
    };
    posts
        .iter()
        .map(|post| match post.get_ref() {
            toml::de::DeValue::Table(t) => t
                .get("text")
                .map_or(line(post.span()), |text| line(text.span())),
            _ => line(post.span()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_take_their_folder() {
        assert_eq!(page_path("about.md", "about"), "about/");
        assert_eq!(page_path("guide/index.md", "guide"), "guide/");
        assert_eq!(
            page_path("docs/Mise en route.md", "mise-en-route"),
            "docs/mise-en-route/"
        );
        assert_eq!(file_stem("posts/x/index.md"), "x");
        assert_eq!(file_stem("posts/Été.md"), "Été");
    }

    #[test]
    fn spellings_of_one_term_are_one_word() {
        assert_eq!(term_word("Réseaux  sociaux"), term_word("reseaux-sociaux"));
        assert_eq!(term_word("Rust"), term_word("rust"));
        assert_ne!(term_word("C#"), term_word("C++"));
        assert_ne!(term_word("C#"), term_word("C"));
    }
}
