//! An export's items as the files of a Tribune site: what to write where, and what was left out.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::import::html;
use crate::import::media::{Media, Sources, is_image};
use crate::import::site_toml::{Additions, MenuEntry};
use crate::import::terms::Respelled;
use crate::import::text;
use crate::import::wxr::{Export, Item, WpComment};
use crate::import::{Counted, Report};
use crate::slug;

/// A file to write, by its path under the site folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Data {
    /// Text made from the export.
    Text(String),
    /// A file copied from the uploads folder.
    Copy(PathBuf),
}

/// What an import settles before it writes anything.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Files by path relative to the site folder (`content/posts/x/index.md`).
    pub(crate) files: BTreeMap<String, Data>,
    /// Counts and notes so far.
    pub(crate) report: Report,
    /// The blog's menu and old archive addresses, for `site.toml`.
    pub(crate) additions: Additions,
}

/// What planning reads besides the export.
pub(crate) struct Settings<'a> {
    /// The site's time zone: dates are written in it.
    pub(crate) zone: Tz,
    /// The site's permalink pattern, to tell whether an old URL needs an alias.
    pub(crate) permalink: &'a str,
    /// The `wp-content/uploads` folder of a backup.
    pub(crate) uploads: Option<&'a Path>,
    /// Fetches from the old site what the uploads folder lacks (`--download-media`).
    pub(crate) download: Option<&'a crate::import::download::Downloader>,
    /// The site's taxonomies (`tags`, `themes`), where old category and tag archives lead.
    pub(crate) taxonomies: &'a [String],
    /// The site feed's file (`rss.xml`), where the old feed's address leads.
    pub(crate) feed: Option<&'a str>,
}

/// Plans the files of `export`.
pub(crate) fn plan(mut export: Export, settings: &Settings<'_>) -> Plan {
    // Bodies are most of an export's weight: each is dropped once converted, so an import
    // holds about one copy of the blog at a time.
    let mut contents: Vec<String> = export
        .items
        .iter_mut()
        .map(|item| std::mem::take(&mut item.content))
        .collect();
    let export = &export;
    let mut planner = Planner {
        export,
        settings,
        plan: Plan::default(),
        by_id: export.items.iter().map(|i| (i.id, i)).collect(),
        slugs: HashSet::new(),
        slug_of: HashMap::new(),
        moved: HashMap::new(),
        old_owner: HashMap::new(),
        fragments: contents.iter().fold(HashSet::new(), |mut all, content| {
            html::fragments_of(content, &mut all);
            all
        }),
        ids_of: HashMap::new(),
        new_paths: HashSet::new(),
        page_chains: HashMap::new(),
        id_aliases: HashSet::new(),
        public_terms: BTreeSet::new(),
        public_months: BTreeSet::new(),
        terms: Respelled::of(
            export
                .items
                .iter()
                .filter(|i| matches!(i.kind.as_str(), "post" | "page") && i.status != "trash")
                .flat_map(|i| &i.terms)
                .filter_map(|(taxonomy, _, name)| Some((key_of(taxonomy)?, name.as_str()))),
        ),
    };
    for change in planner.terms.changes() {
        planner
            .plan
            .report
            .warnings
            .push(("terms renamed so that each keeps a page of its own", change));
    }
    // Every new address is known before any body is written, so links between posts follow.
    for (item, content) in export.items.iter().zip(&contents) {
        if matches!(item.kind.as_str(), "post" | "page") && item.status != "trash" {
            planner.settle(item, content);
        }
    }
    for (item, content) in export.items.iter().zip(contents.iter_mut()) {
        match item.kind.as_str() {
            "post" | "page" => planner.item(item, &std::mem::take(content)),
            // Files, reached through the posts that show them.
            "attachment" => {}
            kind => {
                let (what, why) = match kind {
                    // Read by `Planner::menu`.
                    "nav_menu_item" => continue,
                    "revision" => ("revisions", "earlier versions of a post"),
                    "wp_block" => ("reusable blocks", "reusable blocks are not posts"),
                    "wp_navigation"
                    | "wp_template"
                    | "wp_template_part"
                    | "wp_global_styles"
                    | "custom_css"
                    | "customize_changeset"
                    | "oembed_cache"
                    | "user_request"
                    | "wp_font_family"
                    | "wp_font_face" => ("theme settings", "the old theme's, not content"),
                    _ => ("other items", "not a post or a page"),
                };
                planner.plan.report.left_out.push((
                    what,
                    format!("item {} ({kind}) \"{}\": {why}", item.id, item.title),
                ));
            }
        }
    }
    planner.plan.additions.menu = planner.menu();
    planner.plan.additions.redirects = planner.redirects();
    planner.plan
}

/// What planning knows while it walks the items.
struct Planner<'a> {
    export: &'a Export,
    settings: &'a Settings<'a>,
    plan: Plan,
    by_id: HashMap<u64, &'a Item>,
    slugs: HashSet<String>,
    /// Each post's slug, by its place in the export (ids are not unique in every file).
    slug_of: HashMap<usize, String>,
    /// New site paths by old site path (`2011/03/x/`) and by id address (`?p=24`).
    moved: HashMap<String, String>,
    /// Which item (by its place in the export) each old site path belongs to.
    old_owner: HashMap<String, usize>,
    /// Every `#fragment` a link of the export points to.
    fragments: HashSet<String>,
    /// The anchors of each item's page, by new site path: what a link's `#fragment` may name.
    ids_of: HashMap<String, HashSet<String>>,
    /// Every item's new output file (`posts/x/index.html`).
    new_paths: HashSet<String>,
    /// Each page's path, by its place in the export, told apart from other pages' and the site's own.
    page_chains: HashMap<usize, Vec<String>>,
    /// Terms of published posts, (taxonomy, slug, name): their old archives lead somewhere.
    public_terms: BTreeSet<(String, String, String)>,
    /// Years and months of published posts: their old date archives lead somewhere.
    public_months: BTreeSet<(i32, u32)>,
    /// Term names as the new site writes them, where two would share a page.
    terms: Respelled,
    /// The ids whose `?p=` or `?page_id=` alias is written: ids are unique in a real export,
    /// but not in every file that calls itself one.
    id_aliases: HashSet<u64>,
}

/// The taxonomy of the new site a WordPress taxonomy's terms go to.
fn key_of(taxonomy: &str) -> Option<&'static str> {
    match taxonomy {
        "category" => Some("themes"),
        "post_tag" => Some("tags"),
        _ => None,
    }
}

/// First segments of the paths the site makes itself: no page goes there.
pub(crate) const SITE_PATHS: [&str; 8] = [
    "posts", "tags", "themes", "archive", "page", "links", "search", "images",
];

/// A date of the export as an RFC 3339 time in the site's zone: from the GMT date, else (a
/// draft's `0000-00-00`) from the local one.
fn date(gmt: &str, local: &str, zone: Tz) -> Option<String> {
    // Years before 1 or after 9999 have no RFC 3339 form (`-0044-03-15`): no date.
    let parse = |t: &str| {
        NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
            .ok()
            .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
    };
    let time = match parse(gmt).filter(|_| !gmt.starts_with("0000")) {
        Some(utc) => Utc.from_utc_datetime(&utc).with_timezone(&zone),
        None => zone
            .from_local_datetime(&parse(local).filter(|_| !local.starts_with("0000"))?)
            .earliest()?,
    };
    Some(time.fixed_offset().to_rfc3339())
}

/// Where the posts' media are found.
fn sources<'a>(settings: &'a Settings<'a>, export: &'a Export) -> Sources<'a> {
    Sources {
        uploads: settings.uploads,
        download: settings.download,
        site_url: &export.site_url,
    }
}

/// A TOML string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A TOML array of strings.
fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", inner.join(", "))
}

impl Planner<'_> {
    /// Plans a post or page by its status: published, draft, scheduled, or left out.
    fn item(&mut self, item: &Item, content: &str) {
        let page = item.kind == "page";
        let report = &mut self.plan.report;
        let what = format!("{} {} \"{}\"", item.kind, item.id, item.title);
        let mut draft = false;
        match item.status.as_str() {
            "publish" | "future" => {}
            "draft" | "pending" | "auto-draft" => draft = true,
            "private" => {
                draft = true;
                report.warnings.push(("private items imported as drafts", format!(
                    "{what} is private: imported as a draft (a static site cannot restrict who reads a page)"
                )));
            }
            "trash" => {
                report
                    .left_out
                    .push(("items in the trash", format!("{what}: in the trash")));
                return;
            }
            other => {
                report.left_out.push((
                    "items of another status",
                    format!("{what}: status `{other}`"),
                ));
                return;
            }
        }
        if item.protected && !draft {
            draft = true;
            report.warnings.push(("password-protected items imported as drafts", format!(
                "{what} has a password: imported as a draft (a static site cannot protect a page); its password is not imported"
            )));
        }
        let zone = self.settings.zone;
        let date = date(&item.date_gmt, &item.date, zone);
        if page {
            self.page(item, content, draft, date);
            return;
        }
        match date.or_else(|| self::date(&item.modified_gmt, "", zone)) {
            Some(date) => self.post(item, content, draft, date),
            None => self.plan.report.warnings.push((
                "posts without a date, not imported",
                format!(
                    "{what} has no date that can be read: give it one in WordPress and export again"
                ),
            )),
        }
    }

    /// The blog's menu: the top entries of the menu that has the most that lead somewhere, in
    /// order, each at the new address of what it pointed to. Sub-entries and entries to what
    /// was not imported are listed as left out.
    fn menu(&mut self) -> Vec<MenuEntry> {
        let export = self.export;
        let mut menus: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
        for item in &export.items {
            if item.kind == "nav_menu_item" && item.status == "publish" {
                let menu = item
                    .terms
                    .iter()
                    .find(|t| t.0 == "nav_menu")
                    .map_or("", |t| t.1.as_str());
                menus.entry(menu).or_default().push(item);
            }
        }
        let best = menus
            .into_values()
            .map(|mut entries| {
                entries.sort_by_key(|e| (e.menu_order, e.id));
                let read: Vec<_> = entries.iter().map(|e| (*e, self.menu_entry(e))).collect();
                read
            })
            .max_by_key(|read| read.iter().filter(|(_, r)| r.is_ok()).count());
        let mut menu = Vec::new();
        for (entry, read) in best.unwrap_or_default() {
            match read {
                Ok(item) => menu.push(item),
                Err((what, why)) => self.plan.report.left_out.push((
                    what,
                    format!("menu entry {} \"{}\": {why}", entry.id, entry.title),
                )),
            }
        }
        menu
    }

    /// One entry of a WordPress menu as a Tribune one, or what kind of entry it is that the
    /// site's menu cannot hold, and why.
    fn menu_entry(&self, entry: &Item) -> Result<MenuEntry, (&'static str, &'static str)> {
        let export = self.export;
        let meta = |k: &str| entry.meta.get(k).map_or("", |v| v.trim());
        if !matches!(meta("_menu_item_menu_item_parent"), "" | "0") {
            return Err(("menu sub-entries", "the theme's menu has one level"));
        }
        let id: u64 = meta("_menu_item_object_id").parse().unwrap_or(0);
        let (url, title) = match meta("_menu_item_type") {
            "post_type" => {
                let key = if meta("_menu_item_object") == "page" {
                    format!("?page_id={id}")
                } else {
                    format!("?p={id}")
                };
                let target = self.by_id.get(&id).filter(|t| t.status == "publish");
                let path = self.moved.get(&key).filter(|_| target.is_some());
                (
                    path.map(|p| format!("/{p}")),
                    target.map(|t| t.title.clone()),
                )
            }
            "taxonomy" => match export.terms.get(&id) {
                Some((taxonomy, slug, name)) => {
                    (self.archive(taxonomy, slug, name), Some(name.clone()))
                }
                None => (None, None),
            },
            "post_type_archive" => (Some("/".to_string()), None),
            _ => {
                let url = meta("_menu_item_url");
                let home = url.trim_end_matches('/') == export.site_url || matches!(url, "/" | "");
                let url = if home {
                    Some("/".to_string())
                } else {
                    self.resolve(url, entry).or(Some(url.to_string()))
                };
                (
                    url.filter(|u| u.starts_with('/') || u.starts_with("http")),
                    None,
                )
            }
        };
        let title = Some(entry.title.clone())
            .filter(|t| !t.is_empty())
            .or(title)
            .filter(|t| !t.is_empty());
        match (url, title) {
            (Some(url), Some(title)) => Ok(MenuEntry { title, url }),
            (None, _) => Err((
                "menu entries to what was not imported",
                "it leads to nothing published",
            )),
            (Some(_), None) => Err(("menu entries without a name", "it has no words to show")),
        }
    }

    /// The new address of a category's or tag's archive, when a published post has the term.
    fn archive(&self, taxonomy: &str, slug: &str, name: &str) -> Option<String> {
        let key = key_of(taxonomy)?;
        let public = self
            .public_terms
            .iter()
            .any(|(t, s, _)| t == taxonomy && s == slug);
        let taxonomy_exists = self.settings.taxonomies.iter().any(|t| t == key);
        let slug = slug::slugify(self.terms.name(key, name));
        (public && taxonomy_exists && !slug.is_empty()).then(|| format!("/{key}/{slug}/"))
    }

    /// The old archive addresses WordPress made and where each leads now: categories
    /// (`/category/parent/child/`), tags, years and months, the feed.
    fn redirects(&mut self) -> BTreeMap<String, String> {
        let mut redirects = BTreeMap::new();
        let terms: Vec<(String, String, String)> = self.public_terms.iter().cloned().collect();
        for (taxonomy, nicename, name) in &terms {
            let Some(target) = self.archive(taxonomy, nicename, name) else {
                continue;
            };
            let decoded = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            let mut olds = Vec::new();
            if taxonomy == "category" {
                let mut chain = vec![decoded(nicename)];
                let mut at = nicename.clone();
                while let Some(parent) = self.export.category_parents.get(&at) {
                    if chain.len() > 16 {
                        break;
                    }
                    chain.push(decoded(parent));
                    at = parent.clone();
                }
                chain.reverse();
                olds.push(format!("/category/{}/", chain.join("/")));
                olds.push(format!("/category/{}/", decoded(nicename)));
            } else {
                olds.push(format!("/tag/{}/", decoded(nicename)));
            }
            for old in olds {
                redirects.insert(old, target.clone());
            }
        }
        let years: BTreeSet<i32> = self.public_months.iter().map(|(y, _)| *y).collect();
        for (year, month) in &self.public_months {
            redirects.insert(format!("/{year}/{month:02}/"), format!("/archive/{year}/"));
        }
        for year in years {
            redirects.insert(format!("/{year}/"), format!("/archive/{year}/"));
        }
        if let Some(feed) = self.settings.feed {
            for old in ["/feed/", "/feed/rss2/", "/feed/atom/"] {
                redirects.insert(old.to_string(), format!("/{feed}"));
            }
        }
        // An old address the site now uses, or one another item keeps as its alias, stays
        // with it.
        redirects.retain(|old, _| {
            let Ok(path) = slug::site_path(old) else {
                return false;
            };
            let file = slug::output_file(&path);
            !self.new_paths.contains(&file) && !self.old_owner.contains_key(&path)
        });
        redirects
    }

    /// The item's title; an item without one (an aside, a status update) is titled with the
    /// first words of its text, as WordPress's own lists do, and named for a person to look at.
    fn title(&mut self, item: &Item, content: &str) -> String {
        if !item.title.is_empty() {
            return item.title.clone();
        }
        const WORDS: usize = 8;
        let text = text::decode_entities(&text::strip_tags(content));
        let words: Vec<&str> = text
            .split_whitespace()
            .filter(|w| !(w.starts_with('[') || w.starts_with("http")))
            .take(WORDS + 1)
            .collect();
        let title = match words.len() {
            0 => format!(
                "{} {}",
                if item.kind == "page" { "Page" } else { "Post" },
                item.id
            ),
            n if n > WORDS => format!("{}…", words[..WORDS].join(" ")),
            _ => words.join(" "),
        };
        self.plan.report.warnings.push((
            "items without a title, titled with their first words",
            format!(
                "{} {} has no title: titled \"{title}\"; change it in its front matter if you like",
                item.kind, item.id
            ),
        ));
        title
    }

    /// Settles an item's slug and new site path before any body is written.
    fn settle(&mut self, item: &Item, content: &str) {
        let new_path = if item.kind == "page" {
            let mut chain = self.page_chain(item);
            let last = chain.len() - 1;
            let base = chain[last].clone();
            let mut n = 2;
            // Two pages of one name, or a page where the site makes a listing of its own.
            while self
                .new_paths
                .contains(&slug::output_file(&format!("{}/", chain.join("/"))))
                || (chain.len() == 1 && SITE_PATHS.contains(&chain[0].as_str()))
            {
                chain[last] = format!("{base}-{n}");
                n += 1;
            }
            let path = format!("{}/", chain.join("/"));
            self.page_chains.insert(item.index, chain);
            path
        } else {
            let slug = self.slug(item);
            self.slug_of.insert(item.index, slug.clone());
            let zone = self.settings.zone;
            let Some(date) = date(&item.date_gmt, &item.date, zone)
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(&d).ok())
            else {
                return;
            };
            crate::load::post::permalink(self.settings.permalink, &slug, date.with_timezone(&zone))
        };
        if let Some(old) = self.old_path(item) {
            // Two items with one old address (WordPress lets a draft share a published post's
            // slug): the first keeps it.
            if !self.moved.contains_key(&old) {
                self.old_owner.insert(old.clone(), item.index);
                self.moved.insert(old, new_path.clone());
            }
        }
        let key = if item.kind == "page" { "page_id" } else { "p" };
        self.moved
            .entry(format!("?{key}={}", item.id))
            .or_insert_with(|| new_path.clone());
        let mut ids = html::element_ids(content);
        {
            ids.extend(
                item.comments
                    .iter()
                    .filter(|c| c.approved == "1")
                    .map(|c| format!("comment-{}", c.id)),
            );
        }
        self.ids_of.insert(new_path.clone(), ids);
        self.new_paths.insert(slug::output_file(&new_path));
    }

    /// The item's old address as an alias of its new one, when it is its own, differs from
    /// the new one and is no other item's new address: an alias the build would refuse is
    /// never written.
    fn old_alias(&mut self, item: &Item, new_path: &str) -> Option<String> {
        let old = self.old_path(item)?;
        let file = slug::output_file(&old);
        let own = self.old_owner.get(&old) == Some(&item.index);
        let taken = self.new_paths.contains(&file);
        if !own || taken || file == slug::output_file(new_path) {
            return None;
        }
        let first = old.split('/').next().unwrap_or("");
        if SITE_PATHS.contains(&first) {
            self.plan.report.warnings.push((
                "old addresses where the site lists its own pages",
                format!(
                    "{} {}: its old address /{old} is where Tribune lists {first}: not kept",
                    item.kind, item.id
                ),
            ));
            return None;
        }
        Some(format!("/{old}"))
    }

    /// `body` with its links resolved as the old page resolved them: a link to an imported post
    /// or page goes to its new path; any other link into the old site, and a relative link the
    /// old page resolved against its own address, goes to the old site; `www.example.org`
    /// without a scheme (a browser took it as a relative path) gets `https://`. A link to an
    /// upload is left for [`Media::rewrite`].
    fn follow_links(&self, body: &str, item: &Item) -> String {
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(at) = rest.find("](") {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            let (dest, len, angled) = destination(rest);
            let Some(new) = self.resolve(dest, item) else {
                continue;
            };
            if angled || new.contains(' ') {
                out.push_str(&format!("<{new}>"));
            } else {
                out.push_str(&new);
            }
            rest = &rest[len..];
        }
        out.push_str(rest);
        out
    }

    /// Where a link of `item` to `dest` goes now, when that changes.
    fn resolve(&self, dest: &str, item: &Item) -> Option<String> {
        let site = self.export.site_url.as_str();
        if dest.is_empty() || dest.starts_with('#') || dest.contains("/wp-content/uploads/") {
            return None;
        }
        let absolute = if let Some(rest) = dest.strip_prefix("//") {
            format!("https://{rest}")
        } else if has_scheme(dest) {
            dest.to_string()
        } else if dest.starts_with("www.") {
            return Some(format!("https://{dest}"));
        } else if dest.starts_with('/') {
            if site.is_empty() {
                return None;
            }
            format!("{site}{dest}")
        } else {
            join(&item.link, dest)?
        };
        let host = site
            .strip_prefix("https://")
            .or_else(|| site.strip_prefix("http://"))
            .unwrap_or(site);
        let path = absolute
            .strip_prefix("https://")
            .or_else(|| absolute.strip_prefix("http://"))
            .and_then(|u| u.strip_prefix(host))
            .filter(|p| !host.is_empty() && (p.is_empty() || p.starts_with(['/', '?', '#'])));
        let Some(path) = path else {
            // Written as a browser sends it: a stray `%` or a space is escaped.
            let absolute = crate::href::written(&absolute);
            return (absolute != dest).then_some(absolute);
        };
        let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
        let path = path.trim_start_matches('/');
        let key = match path.strip_prefix('?') {
            Some(query) => format!("?{query}"),
            None => percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .ok()
                .and_then(|p| crate::slug::site_path(&format!("/{p}")).ok())
                .unwrap_or_default(),
        };
        // A fragment the new page does not have would be a broken link: the page itself is
        // what the link still reaches.
        let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        match self.moved.get(&key) {
            Some(new)
                if !fragment.is_empty()
                    && self
                        .ids_of
                        .get(new)
                        .is_some_and(|ids| ids.contains(&*fragment)) =>
            {
                Some(format!("/{new}#{fragment}"))
            }
            Some(new) => Some(format!("/{new}")),
            None => {
                let absolute = crate::href::written(&absolute);
                (absolute != dest).then_some(absolute)
            }
        }
    }

    /// The slug of an item: its own, else one made from its title, unique among posts.
    fn slug(&mut self, item: &Item) -> String {
        let name = percent_encoding::percent_decode_str(&item.name).decode_utf8_lossy();
        let mut base = slug::slugify(&name);
        if base.is_empty() {
            base = slug::slugify(&item.title);
        }
        if base.is_empty() {
            base = format!("post-{}", item.id);
        }
        // Room for a `-N` suffix within the longest URL segment (slugs are ASCII).
        base.truncate(slug::MAX_SEGMENT - 8);
        let base = base.trim_end_matches('-').to_string();
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.slugs.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }

    /// The site path of the item's old permalink, when it has one of its own (not `?p=`).
    fn old_path(&self, item: &Item) -> Option<String> {
        let site = &self.export.site_url;
        let rest = item
            .link
            .strip_prefix(site.as_str())
            .or_else(|| {
                let plain = site.replacen("https://", "http://", 1);
                item.link.strip_prefix(plain.as_str())
            })?
            .trim_start_matches('/');
        if rest.is_empty() || rest.contains(['?', '#', '&']) || rest.contains("//") {
            return None;
        }
        // A server decodes a request's path before it looks for the file: `/%ce%b5…/` is
        // found in the folder `ε…`.
        let decoded = percent_encoding::percent_decode_str(rest)
            .decode_utf8()
            .ok()?;
        slug::site_path(&format!("/{decoded}")).ok()
    }

    /// Plans a page at its old place.
    fn page(&mut self, item: &Item, content: &str, draft: bool, date: Option<String>) {
        let chain = self
            .page_chains
            .get(&item.index)
            .cloned()
            .unwrap_or_else(|| self.page_chain(item));
        let file = format!("content/{}.md", chain.join("/"));
        let own_path = format!("{}/", chain.join("/"));
        self.page_file(item, content, draft, date, file, own_path);
        // A page's comments sit beside it, as a post's do in its bundle.
        if let Some(comments) = self.comments(item) {
            self.plan.files.insert(
                format!("content/{}.comments.toml", chain.join("/")),
                Data::Text(comments),
            );
        }
    }

    /// A page's slug after its parents' slugs: a page keeps its place, `/a-propos/charte/`.
    fn page_chain(&self, item: &Item) -> Vec<String> {
        let mut chain = vec![self.page_slug(item)];
        let mut parent = item.parent;
        let mut seen = HashSet::from([item.id]);
        while let Some(p) = self
            .by_id
            .get(&parent)
            .copied()
            .filter(|p| p.kind == "page")
        {
            if !seen.insert(p.id) {
                break;
            }
            chain.push(self.page_slug(p));
            parent = p.parent;
        }
        chain.reverse();
        chain
    }

    /// The page's file: front matter and body.
    fn page_file(
        &mut self,
        item: &Item,
        content: &str,
        draft: bool,
        date: Option<String>,
        file: String,
        own_path: String,
    ) {
        let mut front = format!("+++\ntitle = {}\n", quote(&self.title(item, content)));
        if let Some(date) = date {
            front.push_str(&format!("date = {date}\n"));
        }
        self.common_front(item, draft, &mut front);
        let mut aliases: Vec<String> = self.old_alias(item, &own_path).into_iter().collect();
        if item.id != 0 && self.id_aliases.insert(item.id) {
            aliases.push(format!("/?page_id={}", item.id));
        }
        front.push_str(&format!("aliases = {}\n", list(&aliases)));
        let context = html::Context {
            fragments: Some(&self.fragments),
            footnotes: item.meta.get("footnotes").map(String::as_str),
            comment: false,
        };
        let body = html::convert(content, &context, &mut Vec::new());
        // A page's media go in the folder of its address (`content/a-propos/photo.jpg` for
        // `/a-propos/`), where its relative links find them.
        let mut media = Media::default();
        let body = self.galleries(&body, item, &mut media);
        let body = self.follow_links(&body, item);
        let body = media.rewrite(
            &body,
            &sources(self.settings, self.export),
            &mut self.plan.report,
        );
        front.push_str("+++\n\n");
        front.push_str(&body);
        let counted = if draft { Counted::Draft } else { Counted::Page };
        self.plan.report.items.push((file.clone(), counted));
        self.plan.files.insert(file, Data::Text(front));
        for (name, source) in media.copies {
            self.plan
                .files
                .insert(format!("content/{own_path}{name}"), Data::Copy(source));
        }
    }

    /// A page's own slug: its name, else one made from its title, else its id.
    fn page_slug(&self, item: &Item) -> String {
        let name = percent_encoding::percent_decode_str(&item.name).decode_utf8_lossy();
        let mut s = slug::slugify(&name);
        if s.is_empty() {
            s = slug::slugify(&item.title);
        }
        s.truncate(slug::MAX_SEGMENT);
        let s = s.trim_end_matches('-');
        if s.is_empty() {
            format!("page-{}", item.id)
        } else {
            s.to_string()
        }
    }

    /// Front matter both posts and pages have: draft, description, authors.
    fn common_front(&mut self, item: &Item, draft: bool, front: &mut String) {
        if draft {
            front.push_str("draft = true\n");
        }
        let excerpt = wxr_text(&item.excerpt);
        if !excerpt.is_empty() {
            front.push_str(&format!("description = {}\n", quote(&excerpt)));
        }
        if let Some(name) = self.export.authors.get(&item.creator) {
            front.push_str(&format!("authors = {}\n", list(std::slice::from_ref(name))));
        }
    }

    /// Plans a post's bundle: `index.md`, its media and its `comments.toml`.
    fn post(&mut self, item: &Item, content: &str, draft: bool, date: String) {
        let slug = self
            .slug_of
            .get(&item.index)
            .cloned()
            .unwrap_or_else(|| self.slug(item));
        let dir = format!("content/posts/{slug}");
        let mut front = format!(
            "+++\ntitle = {}\ndate = {date}\n",
            quote(&self.title(item, content))
        );
        if let Some(updated) = date_if_later(&item.modified_gmt, &item.date_gmt, self.settings.zone)
        {
            front.push_str(&format!("updated = {updated}\n"));
        }
        front.push_str(&format!("slug = {}\n", quote(&slug)));
        if item.sticky && !draft {
            front.push_str("sticky = true\n");
        }
        self.common_front(item, draft, &mut front);
        let terms = |domain: &str| -> Vec<String> {
            item.terms
                .iter()
                .filter(|t| t.0 == domain)
                .filter_map(|t| Some(self.terms.name(key_of(domain)?, &t.2).to_string()))
                .collect()
        };
        for (key, domain) in [("tags", "post_tag"), ("themes", "category")] {
            let names = terms(domain);
            if !names.is_empty() {
                front.push_str(&format!("{key} = {}\n", list(&names)));
            }
        }
        let mut media = Media::default();
        if let Some(thumb) = item
            .meta
            .get("_thumbnail_id")
            .and_then(|id| id.trim().parse::<u64>().ok())
            .and_then(|id| self.by_id.get(&id).copied())
        {
            let file = media.take(
                thumb.attachment_url.as_str(),
                &sources(self.settings, self.export),
                &mut self.plan.report,
            );
            front.push_str(&format!("image = {}\n", quote(&file)));
            let alt = thumb
                .meta
                .get("_wp_attachment_image_alt")
                .cloned()
                .unwrap_or_else(|| thumb.title.clone());
            if !alt.trim().is_empty() {
                front.push_str(&format!("image_alt = {}\n", quote(alt.trim())));
            }
        }
        let new_path = crate::load::post::permalink(
            self.settings.permalink,
            &slug,
            chrono::DateTime::parse_from_rfc3339(&date)
                .map(|d| d.with_timezone(&self.settings.zone))
                .unwrap_or_else(|_| Utc::now().with_timezone(&self.settings.zone)),
        );
        let mut aliases: Vec<String> = self.old_alias(item, &new_path).into_iter().collect();
        if item.id != 0 && self.id_aliases.insert(item.id) {
            aliases.push(format!("/?p={}", item.id));
        }
        front.push_str(&format!("aliases = {}\n", list(&aliases)));
        let mut notes = Vec::new();
        let context = html::Context {
            fragments: Some(&self.fragments),
            footnotes: item.meta.get("footnotes").map(String::as_str),
            comment: false,
        };
        let body = html::convert(content, &context, &mut notes);
        for note in notes {
            let kind = if note.starts_with("a contact form") {
                "contact forms replaced by a note"
            } else {
                "images from the author's computer left out"
            };
            self.plan
                .report
                .warnings
                .push((kind, format!("post {} held {note}", item.id)));
        }
        let body = self.galleries(&body, item, &mut media);
        let body = self.follow_links(&body, item);
        let body = embed_titles(&body, &item.oembeds);
        let body = media.rewrite(
            &body,
            &sources(self.settings, self.export),
            &mut self.plan.report,
        );
        front.push_str("+++\n\n");
        front.push_str(&body);
        let counted = if draft {
            Counted::Draft
        } else if item.status == "future" {
            Counted::Scheduled
        } else {
            Counted::Post
        };
        if counted == Counted::Post {
            for (taxonomy, slug, name) in &item.terms {
                self.public_terms
                    .insert((taxonomy.clone(), slug.clone(), name.clone()));
            }
            if let Ok(d) = chrono::DateTime::parse_from_rfc3339(&date) {
                let local = d.with_timezone(&self.settings.zone);
                self.public_months.insert((
                    chrono::Datelike::year(&local),
                    chrono::Datelike::month(&local),
                ));
            }
        }

        self.plan
            .report
            .items
            .push((format!("{dir}/index.md"), counted));
        let comments = self.comments(item);
        self.plan
            .files
            .insert(format!("{dir}/index.md"), Data::Text(front));
        if let Some(comments) = comments {
            self.plan
                .files
                .insert(format!("{dir}/comments.toml"), Data::Text(comments));
        }
        for (name, source) in media.copies {
            self.plan
                .files
                .insert(format!("{dir}/{name}"), Data::Copy(source));
        }
    }

    /// `[gallery ids="12,13"]` given the files of its images, which a static page cannot look
    /// up. A gallery without `ids` shows the images attached to the post, in their menu order,
    /// as WordPress does; `include` and `exclude` choose among them.
    fn galleries(&mut self, body: &str, item: &Item, media: &mut Media) -> String {
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(at) = rest.find("[gallery") {
            out.push_str(&rest[..at]);
            let tag_text = &rest[at..];
            let Some(tag) =
                crate::import::shortcodes::read(tag_text).filter(|t| t.name == "gallery")
            else {
                out.push_str("[gallery");
                rest = &tag_text[8..];
                continue;
            };
            let list = |key: &str| -> Vec<u64> {
                tag.attr(key)
                    .map(|s| s.split(',').filter_map(|i| i.trim().parse().ok()).collect())
                    .unwrap_or_default()
            };
            let mut ids = list("ids");
            if ids.is_empty() {
                ids = list("include");
            }
            if ids.is_empty() {
                let exclude = list("exclude");
                let mut attached: Vec<&Item> = self
                    .export
                    .items
                    .iter()
                    .filter(|a| a.kind == "attachment" && a.parent == item.id)
                    .filter(|a| !exclude.contains(&a.id))
                    .filter(|a| is_image(&a.attachment_url))
                    .collect();
                attached.sort_by_key(|a| (a.menu_order, a.id));
                ids = attached.iter().map(|a| a.id).collect();
            }
            let mut images = Vec::new();
            let mut alts = Vec::new();
            for id in ids {
                if let Some(a) = self.by_id.get(&id).copied() {
                    images.push(media.take(
                        &a.attachment_url,
                        &sources(self.settings, self.export),
                        &mut self.plan.report,
                    ));
                    let alt = a
                        .meta
                        .get("_wp_attachment_image_alt")
                        .filter(|t| !t.trim().is_empty())
                        .unwrap_or(&a.title);
                    alts.push(alt.replace(['|', '"', '\''], " "));
                }
            }
            let mut tag = tag.clone();
            if !images.is_empty() && tag.attr("images").is_none() {
                tag.named.push(("images".into(), images.join("|")));
                tag.named.push(("alts".into(), alts.join("|")));
            }
            out.push_str(&tag.written());
            rest = &tag_text[tag.len..];
        }
        out.push_str(rest);
        out
    }

    /// The post's or page's comments file: approved comments and pingbacks, pending ones unpublished;
    /// spam and trash left out. Never an e-mail or IP address.
    fn comments(&mut self, item: &Item) -> Option<String> {
        let zone = self.settings.zone;
        let mut out = String::new();
        let kept: HashSet<u64> = item
            .comments
            .iter()
            .filter(|c| matches!(c.approved.as_str(), "1" | "0"))
            .map(|c| c.id)
            .collect();
        for c in &item.comments {
            let report = &mut self.plan.report;
            match c.approved.as_str() {
                "1" => report.comments += 1,
                "0" => report.pending += 1,
                other => {
                    let what = if other == "spam" {
                        "spam comments"
                    } else {
                        "comments in the trash"
                    };
                    report.left_out.push((
                        what,
                        format!("comment {} on {} {}", c.id, item.kind, item.id),
                    ));
                    continue;
                }
            }
            out.push_str(&comment_toml(c, item, &kept, zone, self.export));
        }
        if out.is_empty() {
            return None;
        }
        Some(format!(
            "# Readers' comments on this post, imported from WordPress. Each [[comment]] has an\n# id, the id of the comment it answers (parent), author, url, date, kind (comment,\n# pingback, webmention), text (Markdown) and published = false while it awaits moderation.\n{out}"
        ))
    }
}

/// One `[[comment]]` table: never an e-mail or IP address (the reader never kept them).
fn comment_toml(
    c: &WpComment,
    item: &Item,
    kept: &HashSet<u64>,
    zone: Tz,
    export: &Export,
) -> String {
    let mut out = format!("\n[[comment]]\nid = \"{}\"\n", c.id);
    if c.parent != 0 && kept.contains(&c.parent) {
        out.push_str(&format!("parent = \"{}\"\n", c.parent));
    }
    let team = export.author_ids.get(&c.user_id).filter(|_| c.user_id != 0);
    let author = team.cloned().unwrap_or_else(|| c.author.trim().to_string());
    out.push_str(&format!("author = {}\n", quote(&author)));
    if team.is_some() {
        out.push_str("team = true\n");
    }
    let url = c.author_url.trim();
    if is_web_address(url) {
        out.push_str(&format!("url = {}\n", quote(url)));
    }
    if let Some(d) = date(&c.date_gmt, &c.date, zone) {
        out.push_str(&format!("date = {d}\n"));
    }
    let kind = match c.kind.as_str() {
        "pingback" | "trackback" => "pingback",
        "webmention" => "webmention",
        _ => "comment",
    };
    if kind != "comment" {
        out.push_str(&format!("kind = \"{kind}\"\n"));
    }
    if c.approved == "0" {
        out.push_str("published = false\n");
    }
    let _ = item;
    out.push_str(&format!(
        "text = {}\n",
        quote(html::comment_markdown(&c.content).trim())
    ));
    out
}

/// Whether a commenter's site is a web address a page can link to: `http(s)://`, then a host of
/// letters, digits and hyphens in dot-separated labels. Commenters type e-mail addresses
/// (`http://me@example.org`), words and typos (`http://www.site..com`) in that field.
fn is_web_address(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// `[embed]URL[/embed]` given the title WordPress cached for it, found by the video's id in the
/// cached player's address: a link card needs no request to the other site for its title.
fn embed_titles(body: &str, oembeds: &[String]) -> String {
    let titles: Vec<(String, String)> = oembeds
        .iter()
        .filter_map(|html| {
            let attr = |name: &str| {
                let start = html.find(&format!("{name}=\""))? + name.len() + 2;
                let end = html[start..].find('"')? + start;
                Some(text::decode_entities(&html[start..end]))
            };
            let src = attr("src")?;
            let id = src
                .split(['?', '#'])
                .next()?
                .rsplit('/')
                .next()?
                .to_string();
            (id.len() >= 4).then_some((id, attr("title")?))
        })
        .collect();
    if titles.is_empty() {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("[embed]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 7..];
        let url = after.split("[/embed]").next().unwrap_or("");
        match titles.iter().find(|(id, _)| url.contains(id.as_str())) {
            Some((_, title)) => {
                out.push_str(&format!("[embed title=\"{}\"]", title.replace('"', "”")))
            }
            None => out.push_str("[embed]"),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A plain-text field (an excerpt) without tags or entities.
fn wxr_text(html_text: &str) -> String {
    let md = html::to_markdown(html_text);
    md.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Markdown link's destination at the start of `text` (after `](`): the address, how many
/// bytes it takes, and whether it is written in angle brackets.
pub(crate) fn destination(text: &str) -> (&str, usize, bool) {
    if let Some(inner) = text.strip_prefix('<') {
        return match inner.find(['>', '\n']) {
            Some(end) if inner.as_bytes()[end] == b'>' => (&inner[..end], end + 2, true),
            _ => ("", 0, false),
        };
    }
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '\\' => {}
            '(' => depth += 1,
            ')' if depth == 0 => return (&text[..i], i, false),
            ')' => depth -= 1,
            c if c.is_whitespace() => return (&text[..i], i, false),
            _ => {}
        }
    }
    (text, text.len(), false)
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`).
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// `relative` resolved against the page address `base`, as a browser does; `None` without a
/// base.
fn join(base: &str, relative: &str) -> Option<String> {
    let (scheme, rest) = base.split_once("://")?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if relative.starts_with(['?', '#']) {
        return Some(format!("{scheme}://{host}/{path}{relative}"));
    }
    let mut segments: Vec<&str> = path.split('/').collect();
    segments.pop();
    let (relative_path, tail) = match relative.find(['?', '#']) {
        Some(at) => relative.split_at(at),
        None => (relative, ""),
    };
    let parts: Vec<&str> = relative_path.split('/').collect();
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        match part {
            ".." => {
                segments.pop();
            }
            "." => {}
            _ => segments.push(part),
        }
        if i == last && matches!(part, "." | "..") {
            segments.push("");
        }
    }
    Some(format!(
        "{scheme}://{host}/{}{tail}",
        segments.join("/").trim_start_matches('/')
    ))
}

/// The last change, when it is later than publication.
fn date_if_later(modified: &str, published: &str, zone: Tz) -> Option<String> {
    if modified.starts_with("0000") || modified <= published || published.starts_with("0000") {
        return None;
    }
    date(modified, "", zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_gmt_in_the_site_zone() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        assert_eq!(
            date("2011-03-14 08:30:00", "", paris).unwrap(),
            "2011-03-14T09:30:00+01:00"
        );
        assert_eq!(
            date("2011-03-28 09:00:00", "", paris).unwrap(),
            "2011-03-28T11:00:00+02:00"
        );
        assert_eq!(
            date("0000-00-00 00:00:00", "2011-04-02 18:12:44", paris).unwrap(),
            "2011-04-02T18:12:44+02:00"
        );
        assert_eq!(
            date("0000-00-00 00:00:00", "0000-00-00 00:00:00", paris),
            None
        );
    }

    #[test]
    fn commenters_sites_are_web_addresses_or_nothing() {
        assert!(is_web_address("https://example.org/blog?x"));
        assert!(is_web_address("http://café.example:8080"));
        for no in [
            "http://",
            "http://me@example.org",
            "http://In progress",
            "http://www.site..com",
            "ftp://example.org",
            "javascript:alert(1)",
        ] {
            assert!(!is_web_address(no), "{no}");
        }
    }

    #[test]
    fn relative_links_resolve_as_a_browser_does() {
        let base = "https://old.example/2011/02/post/";
        assert_eq!(
            join(base, "arg").unwrap(),
            "https://old.example/2011/02/post/arg"
        );
        assert_eq!(
            join(base, "../other/").unwrap(),
            "https://old.example/2011/02/other/"
        );
        assert_eq!(join(base, "..").unwrap(), "https://old.example/2011/02/");
        assert_eq!(
            join("https://old.example/a/page.html", "pm.php?action=new").unwrap(),
            "https://old.example/a/pm.php?action=new"
        );
        assert_eq!(join("", "x"), None);
        assert_eq!(destination("a(b)c) rest"), ("a(b)c", 5, false));
        assert_eq!(destination("<a b>) rest"), ("a b", 5, true));
        assert!(has_scheme("mailto:x@y") && !has_scheme("/a:b") && !has_scheme("www.x"));
    }
}
