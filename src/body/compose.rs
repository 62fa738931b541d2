//! A post's body from Markdown source to HTML: shortcodes, then Markdown, then typography,
//! then unsafe URLs are removed.

use crate::body::markdown::{self, Rendered};
use crate::body::shortcodes::{self, Expander, Problem};
use crate::body::typography;
use crate::error::{Diagnostic, Errors, Result, columns_of, line_of};
use crate::load::config::Config;
use crate::load::post::Post;
use crate::locale;
use crate::share::ShareLink;
use crate::theme::templates::{self, Bases, Layers, Templates};
use crate::unsafe_url;

/// Renders bodies with the theme's shortcode templates.
pub(crate) struct BodyRenderer<'a> {
    /// The configuration.
    pub(crate) config: &'a Config,
    /// Compiled templates.
    pub(crate) templates: &'a Templates,
    /// Variables every template receives (`site`, `t`…), in each language pages speak.
    pub(crate) bases: &'a Bases,
}

/// What shortcode templates read of the post or page they are in, besides the shared variables.
#[derive(serde::Serialize)]
struct ShortcodePage<'a> {
    /// Its language.
    lang: &'a str,
    /// The post or page.
    page: PageOfShortcode<'a>,
}

/// `page` in shortcode templates.
#[derive(serde::Serialize)]
struct PageOfShortcode<'a> {
    /// Its title.
    title: &'a str,
    /// Its absolute URL.
    url: String,
    /// Its share links.
    share: &'a [ShareLink],
}

impl<'a> BodyRenderer<'a> {
    /// Renders `post`, whose share links are `share`, with the shared variables kept in
    /// `layers`.
    pub(crate) fn render(
        &self,
        post: &Post,
        share: &[ShareLink],
        layers: &mut Layers<'a>,
    ) -> Result<Rendered> {
        let config = self.config;
        let lang = post.lang.as_deref().unwrap_or(&config.language);
        let own = templates::own(&ShortcodePage {
            lang,
            page: PageOfShortcode {
                title: &post.title,
                url: config.base.absolute(&post.path),
                share,
            },
        });
        let images = markdown::BodyImages {
            pictures: &post.pictures,
            widths: &config.image_widths,
            eager_first: post.image.is_none(),
        };
        let images = (!post.pictures.is_empty()).then_some(&images);
        let pictures = shortcodes::picture_data(images, &config.base.path);
        let markdown = post.body.text();
        let base = self.bases.of(post.edition, lang);
        let expanded = layers
            .render(base, own, |context| {
                Expander {
                    templates: self.templates,
                    context: std::cell::RefCell::new(context),
                    site_path: &post.path,
                    images,
                    base_path: &config.base.path,
                    pictures: &pictures,
                }
                .expand(&markdown)
            })
            .map_err(|problem| match problem {
                Problem::At(problems) => Errors(
                    problems
                        .into_iter()
                        .map(|e| {
                            let mut d = Diagnostic::input(e.message)
                                .at(&post.source)
                                .line(post.body_line + line_of(&markdown, e.offset) - 1);
                            if e.len > 0 {
                                let (column, width) =
                                    columns_of(&markdown, e.offset..e.offset + e.len);
                                d = d.columns(column, width);
                            }
                            match e.hint {
                                Some(hint) => d.hint(hint),
                                None => d,
                            }
                        })
                        .collect(),
                ),
                Problem::Template(d) => Errors::from(d),
            })?;
        let mut rendered = markdown::render(
            &expanded.markdown,
            &config.base.path,
            post.description.as_deref(),
            lang,
            config.highlight,
            images,
        );
        if config.french_spacing && locale::is_french(lang) {
            rendered.html = typography::french_spacing(&rendered.html);
            rendered.summary = typography::french_spacing(&rendered.summary);
        }
        // Last, on the HTML as browsers and feed readers get it: links from Markdown, raw HTML
        // and shortcodes alike, whichever events or lines a tag came from.
        if !config.unsafe_urls {
            for html in [&mut rendered.html, &mut rendered.summary] {
                if let std::borrow::Cow::Owned(clean) = unsafe_url::clean_html(html) {
                    *html = clean;
                }
            }
        }
        // Listings show the text, not the page furniture around it.
        if let std::borrow::Cow::Owned(summary) = markdown::strip_decorative(&rendered.summary) {
            rendered.summary = summary;
        }
        rendered.pullquotes = expanded.pullquotes;
        rendered.pullquotes.extend(post.pullquotes.iter().cloned());
        Ok(rendered)
    }
}
