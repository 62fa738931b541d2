//! Every output file of a build, listed once: one place maps URLs to files and finds clashes.

use std::collections::BTreeMap;
use std::collections::hash_map::Entry;

use crate::body::highlight;
use crate::error::{Diagnostic, Errors, Result};
use crate::hash::{BuildQuick, QuickMap};
use crate::images;
use crate::load::config::FeedFormat;
use crate::site::public::Site;
use crate::slug;
use crate::theme::layers::{StaticFile, Theme};

/// What a feed covers, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedScope {
    /// Every post of the language.
    Site,
    /// The posts of one term: indexes into the edition's taxonomies and their terms.
    Term(usize, usize),
}

/// Index into the site's editions: the language a listing or feed is in.
pub(crate) type Ed = usize;

/// One output file to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Job {
    /// A post page (index into the site's posts).
    Post(usize),
    /// A standalone page (index into the site's pages).
    Page(usize),
    /// A page of a language's home listing, 1-based.
    Index(Ed, usize),
    /// The list of a taxonomy's terms.
    TaxonomyList(Ed, usize),
    /// A page (1-based) of one term's listing.
    Term(Ed, usize, usize, usize),
    /// A page (1-based) of the listing of curated link posts.
    Links(Ed, usize),
    /// The list of years.
    ArchiveList(Ed),
    /// One year (index into the edition's years).
    Archive(Ed, usize),
    /// The not-found page.
    NotFound(Ed),
    /// The root page of a site whose every language lives in its own folder: it sends readers
    /// to theirs.
    LanguageRoot,
    /// A language's search page.
    SearchPage(Ed),
    /// A file of a language's search index made from the whole index.
    Search(Ed, SearchFile),
    /// What a search result shows of one document (index into the edition's `search` list):
    /// `d/{id}.json`.
    SearchDoc(Ed, usize),
    /// A redirect to the site path of a page (one of its `aliases`).
    Alias(String),
    /// A redirect of `site.toml`'s `[redirects]` (index into the configuration's), made as
    /// an alias's.
    Redirect(usize),
    /// A feed.
    Feed(Ed, FeedScope, FeedFormat),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// The highlighting stylesheet.
    HighlightCss,
    /// The share icons, one SVG file of symbols.
    ShareIcons,
    /// A theme or site static file (key into the theme's static files).
    Static(String),
    /// A content file copied as is (index into the site's assets).
    Asset(usize),
    /// A post's social card (index into the site's posts).
    Card(usize),
    /// A JPEG or PNG of the content at one width in one format (index into the site's assets).
    Variant(Variant),
    /// A cover of `static/` at one width in one format.
    CoverVariant(CoverVariant),
}

/// A file of one language's search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SearchFile {
    /// `meta.json`: what the page reads first.
    Meta,
    /// `s/{k}.json`: the postings of the stems of shard `k`.
    Shard(usize),
    /// `p/{k}.json`: the stems of prefix file `k`, for matching a word as it is typed.
    Prefix(usize),
}

impl SearchFile {
    /// Its site path under the language's `search/` folder.
    fn path(self) -> String {
        match self {
            SearchFile::Meta => "meta.json".to_string(),
            SearchFile::Shard(k) => format!("s/{k}.json"),
            SearchFile::Prefix(k) => format!("p/{k}.json"),
        }
    }
}

/// Site path of a language's search page, under its home.
pub(crate) const SEARCH_PATH: &str = "search/";
/// The default theme's script of the search page, a static file at the site root.
pub(crate) const SEARCH_SCRIPT: &str = "search.js";

/// One published version of a site image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Variant {
    /// Index into the site's assets.
    pub(crate) asset: usize,
    /// Width in pixels.
    pub(crate) width: u32,
    /// Format.
    pub(crate) format: images::Format,
}

/// One published version of a post's cover that is a file of `static/`: the file itself is
/// copied as it is, as every static file is, and the page offers these beside it, as it does
/// for the images of `content/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CoverVariant {
    /// The cover's file.
    pub(crate) file: std::path::PathBuf,
    /// Width in pixels.
    pub(crate) width: u32,
    /// Format.
    pub(crate) format: images::Format,
}

/// A job with its output file and its site path (the URL path, without leading slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned {
    /// What to produce.
    pub(crate) job: Job,
    /// Output file, relative to the output folder: `posts/x/index.html`.
    pub(crate) file: String,
    /// Site path: `posts/x/`.
    pub(crate) site_path: String,
}

/// Site path of the listing of curated link posts.
pub(crate) const LINKS_PATH: &str = "links/";

/// Number of listing pages for `count` items.
pub(crate) fn page_count(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page).max(1)
}

/// Positions, in a listing of `count` items, of the items on page `n` (1-based).
pub(crate) fn page_range(count: usize, per_page: usize, n: usize) -> std::ops::Range<usize> {
    let start = ((n - 1) * per_page).min(count);
    start..(start + per_page).min(count)
}

/// Site path of page `n` (1-based) of a listing rooted at `base` (`""` or `tags/rust/`).
pub(crate) fn listing_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Site path of the social card of `post`: beside its page, when its page is a folder's index.
/// A card that shows the post's cover photo is a JPEG (a photo in a PNG weighs a megabyte, more
/// than Bluesky takes), any other a PNG.
pub(crate) fn card_path(post: &crate::load::post::Post) -> Option<String> {
    let path = &post.path;
    let ext = crate::images::card::extension(post.image_file.is_some());
    (path.is_empty() || path.ends_with('/')).then(|| [path.as_str(), "card.", ext].concat())
}

/// Lists every output of the site; two jobs on one file is an error naming both sources.
pub(crate) fn plan(site: &Site<'_>, theme: &Theme) -> Result<Vec<Planned>> {
    let config = site.config;
    let per_page = config.posts_per_page;
    // The preview plans on every save: each output's paths are made once, in a list sized for
    // a post's page, card and search entry.
    let mut planned: Vec<Planned> =
        Vec::with_capacity(3 * site.posts.len() + site.pages.len() + 64);
    let mut page = |job: Job, site_path: String| {
        let file = match job {
            // A file copied as it is keeps its name, dot or not: GitHub Pages reads `CNAME`,
            // not `CNAME/index.html`.
            Job::Static(_) | Job::Asset(_) => site_path.clone(),
            _ => slug::output_file(&site_path),
        };
        planned.push(Planned {
            file,
            job,
            site_path,
        });
    };

    for (i, p) in site.posts.iter().enumerate() {
        page(Job::Post(i), p.path.clone());
        if config.cards
            && let Some(card) = card_path(p)
        {
            page(Job::Card(i), card);
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        page(Job::Page(i), p.path.clone());
    }
    for p in site.posts.iter().chain(&site.pages) {
        for alias in &p.aliases {
            page(Job::Alias(p.path.clone()), alias.clone());
        }
    }
    for (i, redirect) in config.redirects.iter().enumerate() {
        page(Job::Redirect(i), redirect.from.clone());
    }
    for (e, edition) in site.editions.iter().enumerate() {
        let prefix = &edition.prefix;
        for n in 1..=page_count(edition.home.len(), per_page) {
            page(Job::Index(e, n), listing_path(prefix, n));
        }
        for (t, taxonomy) in edition.taxonomies.iter().enumerate() {
            page(Job::TaxonomyList(e, t), taxonomy.path());
            for (i, term) in taxonomy.terms.iter().enumerate() {
                let base = taxonomy.term_path(i);
                for n in 1..=page_count(term.posts.len(), per_page) {
                    page(Job::Term(e, t, i, n), listing_path(&base, n));
                }
                for &format in &config.feeds.formats {
                    page(
                        Job::Feed(e, FeedScope::Term(t, i), format),
                        format!("{base}{}", format.file_name()),
                    );
                }
            }
        }
        if !edition.links.is_empty() {
            let base = format!("{prefix}{LINKS_PATH}");
            for n in 1..=page_count(edition.links.len(), per_page) {
                page(Job::Links(e, n), listing_path(&base, n));
            }
        }
        page(Job::ArchiveList(e), format!("{prefix}archive/"));
        for (y, (year, _)) in edition.years.iter().enumerate() {
            page(Job::Archive(e, y), format!("{prefix}archive/{year}/"));
        }
        for &format in &config.feeds.formats {
            page(
                Job::Feed(e, FeedScope::Site, format),
                format!("{prefix}{}", format.file_name()),
            );
        }
        page(Job::NotFound(e), format!("{prefix}404.html"));
        if config.search {
            let base = format!("{prefix}{SEARCH_PATH}");
            page(Job::SearchPage(e), base.clone());
            let (shards, prefixes) = crate::search::index::file_counts(edition.search.len());
            let files = std::iter::once(SearchFile::Meta)
                .chain((0..shards).map(SearchFile::Shard))
                .chain((0..prefixes).map(SearchFile::Prefix));
            for file in files {
                page(Job::Search(e, file), format!("{base}{}", file.path()));
            }
            let mut number = itoa::Buffer::new();
            for id in 0..edition.search.len() {
                let path = [base.as_str(), "d/", number.format(id), ".json"].concat();
                page(Job::SearchDoc(e, id), path);
            }
        }
    }
    // Hosts serve the root's 404 page for every missing address.
    if site.editions.first().is_some_and(|e| !e.prefix.is_empty()) {
        page(Job::LanguageRoot, String::new());
        page(Job::NotFound(0), "404.html".to_string());
    }
    page(Job::Sitemap, "sitemap.xml".to_string());
    page(Job::Robots, "robots.txt".to_string());
    if config.highlight {
        page(Job::HighlightCss, highlight::STYLESHEET_PATH.to_string());
    }
    if config.share.enabled {
        page(Job::ShareIcons, crate::share::SPRITE_PATH.to_string());
    }
    for path in theme.statics.keys() {
        // A site without search carries no trace of it, not even the page's script.
        if !config.search && path == SEARCH_SCRIPT {
            continue;
        }
        page(Job::Static(path.clone()), path.clone());
    }
    for (path, (file, format, original)) in static_covers(site, theme) {
        for width in images::widths(&config.image_widths, original) {
            for format in [format, images::Format::Webp] {
                let copy = images::variant_path(path, width, original, format);
                // The original itself is the static file's copy.
                if copy != path {
                    let variant = CoverVariant {
                        file: file.to_path_buf(),
                        width,
                        format,
                    };
                    page(Job::CoverVariant(variant), copy);
                }
            }
        }
    }
    let sizes = image_sizes(site)?;
    for (i, placed) in site.assets.iter().enumerate() {
        let Some((own, (original, _))) = sizes[i] else {
            page(Job::Asset(i), placed.path.clone());
            continue;
        };
        for width in images::widths(&config.image_widths, original) {
            for format in [own, images::Format::Webp] {
                let path = images::variant_path(&placed.path, width, original, format);
                let variant = Variant {
                    asset: i,
                    width,
                    format,
                };
                page(Job::Variant(variant), path);
            }
        }
    }

    // Owners are only described when two share a file: most builds never need the words.
    let mut first_owner: QuickMap<&str, usize> =
        QuickMap::with_capacity_and_hasher(planned.len(), BuildQuick);
    let mut clashes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, p) in planned.iter().enumerate() {
        match first_owner.entry(&p.file) {
            Entry::Occupied(first) => clashes
                .entry(&p.file)
                .or_insert_with(|| vec![*first.get()])
                .push(k),
            Entry::Vacant(slot) => {
                slot.insert(k);
            }
        }
    }
    // A file where another file needs a folder (`/rss.xml/x/` under the feed) would only fail
    // when the build writes, pointing into the staging folder. Every file's name has a dot
    // (`index.html`, `rss.xml`), but for copied files such as `CNAME`: unless there is one,
    // only a folder whose name has a dot can be a file.
    let dotless = planned.iter().any(|p| {
        !p.file
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains('.'))
    });
    let mut under_files: Vec<(usize, usize)> = Vec::new();
    for (k, p) in planned.iter().enumerate() {
        // Almost every file's folders have no dot in their names: looked at no further.
        let folders = p.file.rfind('/').map_or("", |slash| &p.file[..slash]);
        if !dotless && !folders.contains('.') {
            continue;
        }
        let mut at = 0;
        while let Some(slash) = p.file[at..].find('/') {
            let folder = &p.file[..at + slash];
            if (dotless || p.file[at..at + slash].contains('.'))
                && let Some(&owner) = first_owner.get(folder)
            {
                under_files.push((owner, k));
                break;
            }
            at += slash + 1;
        }
    }
    let folder_problems = under_files.into_iter().map(|(owner, k)| {
        Diagnostic::input(format!(
            "{} writes /{}, where {} needs a folder for /{}",
            origin(&planned[owner].job, site),
            planned[owner].file,
            origin(&planned[k].job, site),
            planned[k].file
        ))
        .hint("change a slug, an alias, a redirect or a file name so each URL has one owner")
    });
    let problems: Vec<Diagnostic> = clashes
        .into_iter()
        .map(|(file, owners)| {
            let words: Vec<String> = owners
                .iter()
                .map(|&k| origin(&planned[k].job, site))
                .collect();
            let d = Diagnostic::input(format!("{} all write /{file}", words.join(", "))).hint(
                "change a slug, an alias, a redirect or a file name so each URL has one owner",
            );
            // A redirect's line is the one place to fix such a clash that the message can name.
            let redirect = owners.iter().find_map(|&k| match planned[k].job {
                Job::Redirect(i) => Some(config.redirects[i].line),
                _ => None,
            });
            match redirect {
                Some(line) => d.at(crate::load::config::CONFIG_FILE).line(line),
                None => d,
            }
        })
        .chain(folder_problems)
        .collect();
    if problems.is_empty() {
        Ok(planned)
    } else {
        Err(Errors(problems))
    }
}

/// The covers of public posts that are JPEG or PNG files of `static/`, once each, by their
/// path in the site: their file, format and width.
fn static_covers<'a>(
    site: &'a Site<'_>,
    theme: &'a Theme,
) -> BTreeMap<&'a str, (&'a std::path::Path, images::Format, u32)> {
    site.posts
        .iter()
        .filter_map(|p| {
            let file = p.image_file.as_deref()?;
            let path = p.image.as_deref()?.strip_prefix('/')?;
            let static_file = theme.statics.get(path);
            let same = matches!(static_file, Some(StaticFile::File(f)) if f == file);
            let format = images::source_format(path)?;
            same.then_some((path, (file, format, p.image_size?.0)))
        })
        .collect()
}

/// An image's format, and its width and height as shown.
type Measured = (images::Format, (u32, u32));

/// The format and size of each asset that is a JPEG or PNG image, in parallel; an image that
/// cannot be read is an error naming it.
fn image_sizes(site: &Site<'_>) -> Result<Vec<Option<Measured>>> {
    use rayon::prelude::*;
    let root = &site.config.root;
    let sizes = site.assets.par_iter().map(|placed| {
        let Some(format) = images::source_format(&placed.path) else {
            return Ok(None);
        };
        let file = &placed.asset.source;
        let shown = crate::error::relative(root, file);
        let size = images::probe_file(file).map_err(|why| {
            Diagnostic::input(format!("this image is {why}"))
                .at(shown)
                .hint("replace the file with a JPEG or PNG image, or remove it")
        })?;
        Ok(Some((format, size)))
    });
    crate::error::collect(sizes.collect::<Vec<Result<_>>>())
}

/// What a job comes from, in words, for the message about two jobs on one file.
fn origin(job: &Job, site: &Site<'_>) -> String {
    match job {
        Job::Post(i) => site.posts[*i].source.display().to_string(),
        Job::Card(i) => format!("{} (its card)", site.posts[*i].source.display()),
        Job::Page(i) => site.pages[*i].source.display().to_string(),
        Job::Alias(target) => site
            .posts
            .iter()
            .chain(&site.pages)
            .find(|p| &p.path == target)
            .map_or_else(
                || "an alias".to_string(),
                |p| format!("{} (alias)", p.source.display()),
            ),
        Job::Redirect(i) => format!(
            "{}:{} (redirect)",
            crate::load::config::CONFIG_FILE,
            site.config.redirects[*i].line
        ),
        Job::Index(..) => "the home page".to_string(),
        Job::LanguageRoot => "the page that sends readers to their language".to_string(),
        Job::TaxonomyList(e, t) => format!("the {} list", site.editions[*e].taxonomies[*t].key),
        Job::Term(e, t, i, _) => {
            let taxonomy = &site.editions[*e].taxonomies[*t];
            format!("the {} page `{}`", taxonomy.key, taxonomy.terms[*i].name)
        }
        Job::Feed(e, FeedScope::Term(t, _), _) => {
            format!("a {} feed", site.editions[*e].taxonomies[*t].key)
        }
        Job::Feed(_, FeedScope::Site, _) => "the site feed".to_string(),
        Job::Links(..) => "the links page".to_string(),
        Job::ArchiveList(_) | Job::Archive(..) => "the archive".to_string(),
        Job::NotFound(_) => "the 404 page".to_string(),
        Job::SearchPage(_) | Job::Search(..) | Job::SearchDoc(..) => "the search page".to_string(),
        Job::Sitemap => "the sitemap".to_string(),
        Job::Robots => "robots.txt".to_string(),
        Job::HighlightCss => "the highlighting stylesheet".to_string(),
        Job::ShareIcons => "the share icons".to_string(),
        Job::Static(path) => format!("static file {path}"),
        Job::Asset(i) | Job::Variant(Variant { asset: i, .. }) => {
            format!("content/{}", site.assets[*i].asset.content_path)
        }
        Job::CoverVariant(v) => crate::error::relative(&site.config.root, &v.file)
            .display()
            .to_string(),
    }
}
