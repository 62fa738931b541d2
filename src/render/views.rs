//! What templates see: one serializable type per kind of value, and one context per kind of
//! page, so that a field a template reads is a field a type declares. The README's section on
//! templates documents these shapes; [`super::context`] builds them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::render::comments::CommentView;
use crate::render::extended::{Extended, MoreFields};
use crate::share::ShareLink;
use crate::site::freshness::Freshness;

/// Variables every template receives.
#[derive(Debug, Serialize)]
pub(crate) struct BaseContext<'a> {
    /// The site.
    pub(crate) site: SiteView<'a>,
    /// Interface strings of the site's language, typeset.
    pub(crate) t: &'a BTreeMap<String, String>,
    /// The page's language; the site's until a page says otherwise.
    pub(crate) lang: &'a str,
    /// Year of the build clock.
    pub(crate) build_year: i32,
}

/// The context of `card.html`, besides the shared variables.
#[derive(Debug, Serialize)]
pub(crate) struct CardHtmlContext<'a> {
    /// The post's view.
    pub(crate) post: &'a PostView,
}

/// Variables every template receives under `site`.
#[derive(Debug, Serialize)]
pub(crate) struct SiteView<'a> {
    /// The site's title, typeset.
    pub(crate) title: String,
    /// Its one-line description, typeset.
    pub(crate) description: String,
    /// Its default author.
    pub(crate) author: &'a str,
    /// Its language.
    pub(crate) language: &'a str,
    /// Absolute URL with a trailing slash.
    pub(crate) base_url: String,
    /// The path of that URL, with leading and trailing slash.
    pub(crate) base_path: &'a str,
    /// Root-relative path of the home of the page's language (`base_path`, or `/en/` under
    /// it): its archive, feeds and listings are under it.
    pub(crate) home: String,
    /// Root-relative path of the language's search page, when the site has search.
    pub(crate) search: Option<String>,
    /// `[extra]` of `site.toml`.
    pub(crate) extra: &'a Value,
    /// The taxonomies public posts use.
    pub(crate) taxonomies: Vec<TaxonomyView>,
    /// Standalone pages, for navigation.
    pub(crate) pages: Vec<PageLink>,
    /// The menu of `site.toml`, when it declares one.
    pub(crate) menu: Option<Vec<MenuLink>>,
    /// Open Graph locale of the site's language.
    pub(crate) locale: String,
    /// Default social image, absolute.
    pub(crate) image: Option<String>,
    /// Its text.
    pub(crate) image_alt: Option<&'a str>,
    /// The link-post listing, when there are link posts.
    pub(crate) links_path: Option<String>,
    /// Whether code is highlighted.
    pub(crate) highlight: bool,
}

/// A taxonomy: `site.taxonomies` entries, and `taxonomy` on its pages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaxonomyView {
    /// Its key in `site.toml` and front matter (`tags`).
    pub(crate) key: String,
    /// Its title in the site's language.
    pub(crate) title: String,
    /// Root-relative path of its list of terms.
    pub(crate) path: String,
}

/// A standalone page in `site.pages`.
#[derive(Debug, Serialize)]
pub(crate) struct PageLink {
    /// Its title, typeset.
    pub(crate) title: String,
    /// Root-relative path.
    pub(crate) path: String,
}

/// An entry of `site.menu`.
#[derive(Debug, Serialize)]
pub(crate) struct MenuLink {
    /// What it says, typeset.
    pub(crate) title: String,
    /// Root-relative with the base path, or another site's address.
    pub(crate) href: String,
    /// Whether it leads to another site.
    pub(crate) external: bool,
}

/// A feed a page announces, in `feeds`.
#[derive(Debug, Serialize)]
pub(crate) struct FeedLink {
    /// `rss`, `atom` or `json`.
    pub(crate) kind: &'static str,
    /// Its media type.
    pub(crate) mime: &'static str,
    /// "Site title (RSS)".
    pub(crate) title: String,
    /// Absolute URL.
    pub(crate) url: String,
}

/// `pagination` of a listing.
#[derive(Debug, Serialize)]
pub(crate) struct Pagination {
    /// This page's number, from 1.
    pub(crate) current: usize,
    /// How many pages the listing has.
    pub(crate) total: usize,
    /// The previous page's path.
    pub(crate) prev: Option<String>,
    /// The next page's path.
    pub(crate) next: Option<String>,
}

/// A term of a taxonomy: `term` on its page, `terms` on the taxonomy's.
#[derive(Debug, Serialize)]
pub(crate) struct TermView<'a> {
    /// Its name as written.
    pub(crate) name: &'a str,
    /// Its URL segment.
    pub(crate) slug: &'a str,
    /// How many public posts carry it.
    pub(crate) count: usize,
    /// Root-relative path of its page.
    pub(crate) path: String,
}

/// A year of the archive, in `years`.
#[derive(Debug, Serialize)]
pub(crate) struct YearView<'a> {
    /// The year.
    pub(crate) year: i32,
    /// How many posts it has.
    pub(crate) count: usize,
    /// Root-relative path of its page.
    pub(crate) path: String,
    /// On `/archive/`, its posts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) posts: Option<Vec<ArchiveEntry<'a>>>,
}

/// Link to a term of a taxonomy, in a post's `tags`, `themes` and `taxonomies`: one per
/// language, taxonomy and spelling, shared by every post that carries it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermLink {
    /// Display name.
    pub(crate) name: String,
    /// URL segment.
    pub(crate) slug: String,
    /// Root-relative path.
    pub(crate) path: String,
}

/// A [`TermLink`] with its template value made once: every page that shows a post's terms
/// takes that value again rather than making it anew.
#[derive(Debug, Clone)]
pub(crate) struct SharedTermLink {
    /// The link.
    pub(crate) link: TermLink,
    /// The same, as templates see it.
    value: tera::Value,
}

impl SharedTermLink {
    /// `link`, with its template value.
    pub(crate) fn new(link: TermLink) -> SharedTermLink {
        let value = tera::Value::from_serializable(&link);
        SharedTermLink { link, value }
    }
}

impl std::ops::Deref for SharedTermLink {
    type Target = TermLink;

    fn deref(&self) -> &TermLink {
        &self.link
    }
}

impl Serialize for SharedTermLink {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Into a template's values, Tera takes its own value as it is; into anything else it
        // writes it out field by field, as the link itself would be.
        self.value.serialize(serializer)
    }
}

/// A post's terms of every declared taxonomy, in the order of their keys: templates see a map
/// from key to terms. A list of pairs, with keys shared by every post, is a fraction of the
/// room a map of its own takes in each of them.
#[derive(Debug, Default)]
pub(crate) struct TermsByKey(pub(crate) Vec<(Arc<str>, Vec<Arc<SharedTermLink>>)>);

impl TermsByKey {
    /// The terms under `key`, if it is declared.
    pub(crate) fn get(&self, key: &str) -> Option<&[Arc<SharedTermLink>]> {
        let at = self.0.binary_search_by(|(k, _)| (**k).cmp(key)).ok()?;
        Some(&self.0[at].1)
    }
}

impl Serialize for TermsByKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, terms) in &self.0 {
            map.serialize_entry(&**key, terms)?;
        }
        map.end()
    }
}

/// A post as templates see it, in listings and on its own page.
#[derive(Debug, Serialize)]
pub(crate) struct PostView {
    /// Title, typeset.
    pub(crate) title: String,
    /// URL segment.
    pub(crate) slug: String,
    /// Root-relative path, with the base path.
    pub(crate) path: String,
    /// Absolute URL.
    pub(crate) url: String,
    /// Publication time, RFC 3339.
    pub(crate) date: Option<String>,
    /// Publication date in the site's language.
    pub(crate) date_display: Option<String>,
    /// Update time, RFC 3339.
    pub(crate) updated: Option<String>,
    /// Update date in the site's language.
    pub(crate) updated_display: Option<String>,
    /// Year of publication, in the site's time zone.
    pub(crate) year: Option<i32>,
    /// Description, typeset.
    pub(crate) description: Option<String>,
    /// Summary, HTML.
    pub(crate) summary: String,
    /// Whether the summary is not the whole post.
    pub(crate) has_more: bool,
    /// Its tags.
    pub(crate) tags: Vec<Arc<SharedTermLink>>,
    /// Its themes.
    pub(crate) themes: Vec<Arc<SharedTermLink>>,
    /// Its terms of every declared taxonomy, by key.
    pub(crate) taxonomies: TermsByKey,
    /// Its authors as written.
    pub(crate) authors: Vec<String>,
    /// Cover, absolute URL, for metadata.
    pub(crate) image: Option<String>,
    /// Cover, root-relative link for `<img>`.
    pub(crate) image_path: Option<String>,
    /// The cover's `srcset` in its own format, when it is a JPEG or PNG of the site.
    pub(crate) image_srcset: Option<String>,
    /// The cover's `srcset` in WebP, likewise.
    pub(crate) image_webp_srcset: Option<String>,
    /// The cover's text.
    pub(crate) image_alt: Option<String>,
    /// The cover's width, for the site's own images.
    pub(crate) image_width: Option<u32>,
    /// The cover's height, likewise.
    pub(crate) image_height: Option<u32>,
    /// Its language.
    pub(crate) lang: String,
    /// The site language it is published in: its listings are that language's.
    pub(crate) site_language: String,
    /// Words in its body.
    pub(crate) word_count: usize,
    /// Minutes to read it; 0 for an empty body.
    pub(crate) reading_time: usize,
    /// A draft (previews only).
    pub(crate) draft: bool,
    /// Pinned at the top of the home page.
    pub(crate) sticky: bool,
    /// Dated after the build clock (previews only).
    pub(crate) scheduled: bool,
    /// The address a link post points to.
    pub(crate) link: Option<String>,
    /// Where a link was found.
    pub(crate) via: Option<String>,
    /// `via`, when it is an address.
    pub(crate) via_url: Option<String>,
    /// Its pull quotes.
    pub(crate) pullquotes: Vec<String>,
    /// How fresh it is, for posts that can go stale.
    pub(crate) freshness: Option<Freshness>,
    /// Never stale.
    pub(crate) evergreen: bool,
    /// When it stops being public, RFC 3339.
    pub(crate) expires: Option<String>,
    /// `[extra]` of its front matter.
    pub(crate) extra: Value,
}

/// Every view of one post, made once per build and shared by every page that shows it.
#[derive(Debug)]
pub(crate) struct PostViews {
    /// Its [`PostView`]: listings and its own page serialize it into their contexts.
    pub(crate) view: PostView,
    /// Its card (`card.html` rendered with the view), when the theme renders cards.
    pub(crate) card: Option<String>,
}

impl PostViews {
    /// What other posts' pages show of it.
    pub(crate) fn brief(&self) -> Brief<'_> {
        let v = &self.view;
        Brief {
            title: &v.title,
            path: &v.path,
            date_display: v.date_display.as_deref(),
            lang: &v.lang,
        }
    }

    /// Its line in its year's archive.
    pub(crate) fn entry(&self) -> ArchiveEntry<'_> {
        let v = &self.view;
        ArchiveEntry {
            title: &v.title,
            path: &v.path,
            url: &v.url,
            date: v.date.as_deref(),
            date_display: v.date_display.as_deref(),
            lang: &v.lang,
            draft: v.draft,
            scheduled: v.scheduled,
            link: v.link.as_deref(),
        }
    }
}

/// Another post as a post's page shows it: `related`, `prev` and `next`.
#[derive(Debug, Clone, Copy, Serialize, Hash)]
pub(crate) struct Brief<'a> {
    /// Title, typeset.
    pub(crate) title: &'a str,
    /// Root-relative path.
    pub(crate) path: &'a str,
    /// Publication date in its language.
    pub(crate) date_display: Option<&'a str>,
    /// Its language.
    pub(crate) lang: &'a str,
}

/// A post's line in a yearly archive, which lists a whole year at once.
#[derive(Debug, Clone, Copy, Serialize, Hash)]
pub(crate) struct ArchiveEntry<'a> {
    /// Title, typeset.
    pub(crate) title: &'a str,
    /// Root-relative path.
    pub(crate) path: &'a str,
    /// Absolute URL.
    pub(crate) url: &'a str,
    /// Publication time, RFC 3339.
    pub(crate) date: Option<&'a str>,
    /// Publication date in the site's language.
    pub(crate) date_display: Option<&'a str>,
    /// Its language.
    pub(crate) lang: &'a str,
    /// A draft (previews only).
    pub(crate) draft: bool,
    /// Dated after the build clock (previews only).
    pub(crate) scheduled: bool,
    /// The address a link post points to.
    pub(crate) link: Option<&'a str>,
}

/// A post in a listing: its view's fields, and its card when the theme renders cards.
#[derive(Debug)]
pub(crate) struct ListedPost<'a> {
    /// The post's view.
    pub(crate) view: &'a PostView,
    /// Its card, HTML.
    pub(crate) card: Option<&'a str>,
}

impl Serialize for ListedPost<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Extended {
            inner: self.view,
            more: &Card { card: self.card },
        }
        .serialize(serializer)
    }
}

/// What a listed post has beyond its view.
#[derive(Serialize)]
struct Card<'a> {
    /// Its card, HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<&'a str>,
}

impl MoreFields for Card<'_> {
    const COUNT: usize = 1;
}

/// The social card a post's page shares, when it is its social image.
#[derive(Debug, Serialize)]
pub(crate) struct SocialCard<'a> {
    /// Absolute URL.
    pub(crate) url: String,
    /// Its text: the post's title.
    pub(crate) alt: &'a str,
    /// Width in pixels.
    pub(crate) width: u32,
    /// Height in pixels.
    pub(crate) height: u32,
}

/// Readers' comments of a post or page, when it has published ones.
#[derive(Debug, Serialize, Default)]
pub(crate) struct CommentsView<'a> {
    /// How many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) comment_count: Option<usize>,
    /// In reading order, each reply after what it answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) comments: Option<Vec<CommentView<'a>>>,
}

impl MoreFields for CommentsView<'_> {
    const COUNT: usize = 2;
}

/// `page` in `post.html`: the post's view, then what only its own page shows, then its
/// comments.
#[derive(Debug)]
pub(crate) struct PostPageView<'a> {
    /// The post's view.
    pub(crate) view: &'a PostView,
    /// What only its page shows.
    pub(crate) own: PostPageFields<'a>,
    /// Its published comments.
    pub(crate) comments: CommentsView<'a>,
}

impl Serialize for PostPageView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let page = Extended {
            inner: self.view,
            more: &self.own,
        };
        Extended {
            inner: &page,
            more: &self.comments,
        }
        .serialize(serializer)
    }
}

/// What a post's own page shows beyond its view.
#[derive(Debug, Serialize)]
pub(crate) struct PostPageFields<'a> {
    /// Its body, HTML.
    pub(crate) content: &'a str,
    /// Its social card, when it is its social image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) social_card: Option<SocialCard<'a>>,
    /// Its share links.
    pub(crate) share: &'a [ShareLink],
    /// Its schema.org `BlogPosting`, safe inside a script element.
    pub(crate) jsonld: String,
}

impl MoreFields for PostPageFields<'_> {
    const COUNT: usize = 4;
}

/// `page` in `page.html`: a standalone page.
#[derive(Debug, Serialize)]
pub(crate) struct PageView<'a> {
    /// Title, typeset.
    pub(crate) title: String,
    /// Root-relative path.
    pub(crate) path: String,
    /// Absolute URL.
    pub(crate) url: String,
    /// Description, typeset.
    pub(crate) description: Option<String>,
    /// Its body, HTML.
    pub(crate) content: &'a str,
    /// Its language.
    pub(crate) lang: &'a str,
    /// `[extra]` of its front matter.
    pub(crate) extra: &'a Value,
    /// Its published comments.
    #[serde(flatten)]
    pub(crate) comments: CommentsView<'a>,
}

/// What every HTML page has besides the shared variables.
#[derive(Debug, Serialize)]
pub(crate) struct Chrome {
    /// Absolute URL of this page.
    pub(crate) canonical: String,
    /// The feeds it announces.
    pub(crate) feeds: Vec<FeedLink>,
    /// Its versions in every language, itself included, then `x-default`: the page's
    /// `<link rel="alternate" hreflang>`; empty when it has no translation.
    pub(crate) alternates: Vec<Alternate>,
    /// The language switcher: every language of the site, each leading to this page's
    /// version in it, else to its home; empty on a site in one language.
    pub(crate) languages: Vec<LanguageLink>,
}

/// The context of `language_root.html`, the root page that sends readers to their language.
#[derive(Debug, Serialize)]
pub(crate) struct LanguageRootContext {
    /// Canonical URL, alternates and the languages to choose from.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
}

/// The context of `search.html`, a language's search page.
#[derive(Debug, Serialize)]
pub(crate) struct SearchContext {
    /// Canonical URL, feeds, alternates, languages.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
    /// Where its index is.
    pub(crate) search: SearchView,
}

/// `search` on the search page.
#[derive(Debug, Serialize)]
pub(crate) struct SearchView {
    /// Root-relative path of the folder holding the language's index (`meta.json`, `s/`,
    /// `p/`, `d/`).
    pub(crate) index: String,
}

/// One version of a page, as `<link rel="alternate">` announces it.
#[derive(Debug, Serialize)]
pub(crate) struct Alternate {
    /// Its language code, or `x-default`.
    pub(crate) hreflang: String,
    /// Its absolute URL.
    pub(crate) url: String,
}

/// One language in the language switcher.
#[derive(Debug, Serialize)]
pub(crate) struct LanguageLink {
    /// Its code.
    pub(crate) code: String,
    /// Its name, in itself (`English`, `Français`).
    pub(crate) name: String,
    /// Root-relative link: the page's version in it, else its home.
    pub(crate) path: String,
    /// Whether this is the page's own language.
    pub(crate) current: bool,
    /// Whether the link leads to this page's translation, not to the language's home.
    pub(crate) translated: bool,
}

/// The context of `post.html`.
#[derive(Debug, Serialize)]
pub(crate) struct PostContext<'a> {
    /// Canonical URL and feeds.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
    /// The post.
    pub(crate) page: PostPageView<'a>,
    /// Its language.
    pub(crate) lang: &'a str,
    /// Open Graph locale of that language.
    pub(crate) locale: String,
    /// Related posts.
    pub(crate) related: Vec<Brief<'a>>,
    /// The older post.
    pub(crate) prev: Option<Brief<'a>>,
    /// The newer post.
    pub(crate) next: Option<Brief<'a>>,
}

/// The context of `page.html`.
#[derive(Debug, Serialize)]
pub(crate) struct PageContext<'a> {
    /// Canonical URL and feeds.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
    /// The page.
    pub(crate) page: PageView<'a>,
    /// Its language.
    pub(crate) lang: &'a str,
    /// Open Graph locale of that language.
    pub(crate) locale: String,
}

/// The context of a listing: `index.html`, `links.html`, and with its term `taxonomy_term.html`.
#[derive(Debug, Serialize)]
pub(crate) struct ListingContext<'a> {
    /// Canonical URL and feeds.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
    /// This page's posts.
    pub(crate) posts: Vec<ListedPost<'a>>,
    /// Where this page stands in the listing.
    pub(crate) pagination: Pagination,
    /// On the home page, the old `?p=` addresses of posts, by query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) old_queries: Option<BTreeMap<String, String>>,
    /// On a term's page, its taxonomy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) taxonomy: Option<TaxonomyView>,
    /// On a term's page, the term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) term: Option<TermView<'a>>,
}

/// The context of `taxonomy_list.html`.
#[derive(Debug, Serialize)]
pub(crate) struct TermsContext<'a> {
    /// Canonical URL and feeds.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
    /// The taxonomy.
    pub(crate) taxonomy: TaxonomyView,
    /// Its terms, by slug.
    pub(crate) terms: Vec<TermView<'a>>,
}

/// The context of `archive_list.html` and `archive.html`.
#[derive(Debug, Serialize)]
pub(crate) struct ArchiveContext<'a> {
    /// Canonical URL and feeds.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
    /// Every year, newest first.
    pub(crate) years: Vec<YearView<'a>>,
    /// On a year's page, the year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) year: Option<i32>,
    /// On a year's page, its posts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) posts: Option<Vec<ArchiveEntry<'a>>>,
}

/// The context of `alias.html`: a page that sends readers on.
#[derive(Debug, Serialize)]
pub(crate) struct AliasContext {
    /// The canonical URL is the target's; the feed it leads to, when it leads to one.
    #[serde(flatten)]
    pub(crate) chrome: Chrome,
    /// Absolute URL readers are sent to.
    pub(crate) target: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of fields of `value` with every optional one set.
    fn fields(value: &impl Serialize) -> usize {
        serde_json::to_value(value)
            .unwrap()
            .as_object()
            .map_or(0, |o| o.len())
    }

    #[test]
    fn added_fields_are_counted_as_many_as_they_are() {
        let own = PostPageFields {
            content: "<p>x</p>",
            social_card: Some(SocialCard {
                url: "https://example.org/card.png".into(),
                alt: "x",
                width: 1200,
                height: 630,
            }),
            share: &[],
            jsonld: "{}".into(),
        };
        assert_eq!(fields(&own), PostPageFields::COUNT);
        let comments = CommentsView {
            comment_count: Some(0),
            comments: Some(Vec::new()),
        };
        assert_eq!(fields(&comments), CommentsView::COUNT);
        assert_eq!(fields(&Card { card: Some("c") }), Card::COUNT);
    }
}
