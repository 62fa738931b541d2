//! Tera templates, compiled once per build from the layered theme.

use std::collections::BTreeMap;
use std::error::Error as _;

use tera::{Context, Tera};

use crate::error::{Diagnostic, Errors, Result};
use crate::load::config::Config;
use crate::theme::guard;
use crate::theme::layers::{Origin, Theme};

/// What the theme says about a shortcode name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Its template uses `body`: it must be closed, `[name]…[/name]`.
    Paired,
    /// It stands alone: `[name]` or `[name /]`.
    Single,
}

/// Compiled templates, with the file each came from.
pub(crate) struct Templates {
    tera: Tera,
    origins: BTreeMap<String, Origin>,
    /// Where each macro is defined: its template and line, by macro name.
    macros: BTreeMap<String, Vec<(String, usize)>>,
    shortcodes: BTreeMap<String, Kind>,
    cards: bool,
}

/// The variables every template receives, for each language a page of the site speaks: each
/// site language's, and those of posts and pages written in another.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bases {
    /// In each of the site's languages, the default first.
    pub(crate) editions: Vec<Context>,
    /// In each other language a page of an edition is written in, by edition and tag.
    pub(crate) others: BTreeMap<(usize, String), Context>,
}

impl Bases {
    /// The variables of a page of edition `edition` written in `lang`.
    pub(crate) fn of(&self, edition: usize, lang: &str) -> &Context {
        self.others
            .get(&(edition, lang.to_string()))
            .unwrap_or_else(|| self.edition(edition))
    }

    /// The variables of edition `edition`'s pages in its own language.
    pub(crate) fn edition(&self, edition: usize) -> &Context {
        &self.editions[edition]
    }

    /// The variables of the default language: what cards and shared texts read.
    pub(crate) fn site(&self) -> &Context {
        self.edition(0)
    }
}

/// A page's own variables, from its typed context.
pub(crate) type Own = serde_json::Map<String, serde_json::Value>;

/// The variables a page's typed `context` adds to the shared ones.
pub(crate) fn own(context: &impl serde::Serialize) -> Own {
    match serde_json::to_value(context) {
        Ok(serde_json::Value::Object(own)) => own,
        // Every page context is a struct of named fields.
        _ => unreachable!("template contexts serialize to maps"),
    }
}

/// What `render` makes of `ctx` with `own` laid over it; `ctx` is then as it was. Laying a
/// few variables over a kept context and taking them off again costs far less than copying
/// every shared variable for each page or shortcode.
pub(crate) fn overlay<R>(ctx: &mut Context, own: Own, render: impl FnOnce(&mut Context) -> R) -> R {
    let mut hidden = Own::new();
    let mut added = Vec::new();
    for key in own.keys() {
        match ctx.remove(key) {
            Some(value) => {
                hidden.insert(key.clone(), value);
            }
            None => added.push(key.clone()),
        }
    }
    ctx.extend(context_of(own));
    let made = render(ctx);
    for key in &added {
        ctx.remove(key);
    }
    ctx.extend(context_of(hidden));
    made
}

/// `map` as a context.
fn context_of(map: Own) -> Context {
    Context::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

/// The shared variables of the pages one thread renders in turn, each base (see [`Bases`])
/// copied once; pages lay their own over the copy (see [`overlay`]).
#[derive(Default)]
pub(crate) struct Layers<'b> {
    /// Each base met so far, with its copy.
    kept: Vec<(&'b Context, Context)>,
}

impl<'b> Layers<'b> {
    /// What `render` makes of `base`'s variables with `own` laid over them.
    pub(crate) fn render<R>(
        &mut self,
        base: &'b Context,
        own: Own,
        render: impl FnOnce(&mut Context) -> R,
    ) -> R {
        let at = match self.kept.iter().position(|(b, _)| std::ptr::eq(*b, base)) {
            Some(at) => at,
            None => {
                self.kept.push((base, base.clone()));
                self.kept.len() - 1
            }
        };
        overlay(&mut self.kept[at].1, own, render)
    }
}

/// The template of a post's card, rendered once per post for the listings that show it.
pub(crate) const CARD_TEMPLATE: &str = "card.html";

impl Templates {
    /// Compiles every template of the theme; a syntax error or a missing parent names its file.
    pub(crate) fn compile(theme: &Theme, config: &Config) -> Result<Templates> {
        let origins: BTreeMap<String, Origin> = theme
            .templates
            .iter()
            .map(|(name, t)| (name.clone(), t.origin.clone()))
            .collect();
        let texts: BTreeMap<&str, &str> = theme
            .templates
            .iter()
            .map(|(name, t)| (name.as_str(), t.text.as_str()))
            .collect();
        if let Some((name, chain)) = guard::include_cycle(&texts) {
            let d = Diagnostic::input(format!(
                "templates include each other without end: {}",
                chain.join(" includes ")
            ));
            return Err(at_template(d, &name, &origins).into());
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        tera.set_escape_fn(escape);
        tera.register_filter("date", date_filter(config));
        guard::register(&mut tera);
        // The built-in theme's loops and sets run over the site's own data: only templates
        // from the site's files need their steps counted.
        let from_site = |name: &str| matches!(origins.get(name), Some(Origin::File(_)));
        tera.add_raw_templates(
            texts
                .iter()
                .map(|(&name, &text)| (name, guard::instrument(text, from_site(name)))),
        )
        .map_err(|e| Errors::from(describe(&e, &origins, None)))?;
        // A shortcode whose template prints its body must be closed; the others stand alone.
        let shortcodes = theme
            .templates
            .iter()
            .filter_map(|(name, t)| {
                let short = name.strip_prefix("shortcodes/")?.strip_suffix(".html")?;
                let kind = if t.text.contains("body") {
                    Kind::Paired
                } else {
                    Kind::Single
                };
                Some((short.to_string(), kind))
            })
            .collect();
        // Cards are rendered only for a theme that shows them: one that replaced every listing
        // template may have no `post_card` for the default `card.html` to call. The audit
        // report's own `.card` boxes are no listing.
        let cards = theme.templates.contains_key(CARD_TEMPLATE)
            && theme.templates.iter().any(|(name, t)| {
                name != CARD_TEMPLATE && !is_audit_report(name) && t.text.contains(".card")
            });
        Ok(Templates {
            tera,
            macros: macro_definitions(&texts),
            origins,
            shortcodes,
            cards,
        })
    }

    /// Whether listings show posts' cards, so each post's card is rendered once.
    pub(crate) fn cards(&self) -> bool {
        self.cards
    }

    /// Whether `name` is a shortcode of the theme, and of which kind.
    pub(crate) fn shortcode(&self, name: &str) -> Option<Kind> {
        self.shortcodes.get(name).copied()
    }

    /// The names of the theme's shortcodes, in order, for suggestions.
    pub(crate) fn shortcode_names(&self) -> impl Iterator<Item = &str> {
        self.shortcodes.keys().map(String::as_str)
    }

    /// Renders template `name` for the page at `site_path`.
    pub(crate) fn render(
        &self,
        name: &str,
        context: &Context,
        site_path: &str,
    ) -> std::result::Result<String, Diagnostic> {
        self.render_file(name, context, &format!("/{site_path}"))
    }

    /// Renders template `name` as text, `what` saying in messages what it makes: a page
    /// (`/posts/x/`) or a file of its own outside the site ("the audit report").
    pub(crate) fn render_file(
        &self,
        name: &str,
        context: &Context,
        what: &str,
    ) -> std::result::Result<String, Diagnostic> {
        let mut bytes = self.render_into(name, context, what)?;
        // Rendering starts with room for a whole page; a card or a post's text is kept for the
        // whole build, and at 20,000 posts the room it did not use came to 300 MB.
        bytes.shrink_to_fit();
        String::from_utf8(bytes).map_err(|_| {
            at_template(
                Diagnostic::input(format!("{what} is not valid UTF-8")),
                name,
                &self.origins,
            )
        })
    }

    /// Renders template `name` for the page at `site_path`, as the bytes of its file; this
    /// skips the UTF-8 check of a whole page that [`Templates::render`] makes.
    pub(crate) fn render_bytes(
        &self,
        name: &str,
        context: &Context,
        site_path: &str,
    ) -> std::result::Result<Vec<u8>, Diagnostic> {
        self.render_into(name, context, &format!("/{site_path}"))
    }

    /// Renders template `name`, within the bounds of [`guard`], `what` naming the file made.
    fn render_into(
        &self,
        name: &str,
        context: &Context,
        what: &str,
    ) -> std::result::Result<Vec<u8>, Diagnostic> {
        let mut out = guard::Output(Vec::with_capacity(16 * 1024));
        guard::reset();
        self.tera.render_to(name, context, &mut out).map_err(|e| {
            let d = describe(&e, &self.origins, Some((name, what)));
            let Some((path, line)) = self.macro_place(&e, name) else {
                return d;
            };
            // Placed at the macro, the message still names the template that called it.
            let caller = self.origins.get(name).map_or_else(
                || name.to_string(),
                |o| o.display_path().display().to_string(),
            );
            Diagnostic {
                message: d.message.replacen(
                    &format!("while rendering {what}:"),
                    &format!("while rendering {what} with {caller}:"),
                    1,
                ),
                path: Some(path),
                line: Some(line),
                ..d
            }
        })?;
        Ok(out.0)
    }
}

impl Templates {
    /// The file and line of the innermost macro `err` names, when a page's rendering with
    /// template `name` failed inside one.
    fn macro_place(&self, err: &tera::Error, name: &str) -> Option<(std::path::PathBuf, usize)> {
        let mut innermost = None;
        let mut source: Option<&dyn std::error::Error> = Some(err);
        while let Some(e) = source {
            let text = e.to_string();
            if let Some(called) = text
                .split("error while rendering macro `")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
            {
                innermost = Some(called.to_string());
            }
            source = e.source();
        }
        let called = innermost?;
        let (namespace, macro_name) = called.rsplit_once("::").unwrap_or(("", &called));
        let places = self.macros.get(macro_name)?;
        // `self::f` is the caller's own; otherwise the only definition, or the first of several.
        let (template, line) = places
            .iter()
            .find(|(template, _)| namespace == "self" && template == name)
            .or_else(|| places.first())?;
        Some((self.origins.get(template)?.display_path(), *line))
    }
}

/// Where each macro of `texts` is defined: its template and line, by macro name.
fn macro_definitions(texts: &BTreeMap<&str, &str>) -> BTreeMap<String, Vec<(String, usize)>> {
    let mut found: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (&template, &text) in texts {
        let mut from = 0;
        while let Some(open) = text[from..].find("{%").map(|i| from + i) {
            from = open + 2;
            let words = text[from..].trim_start_matches('-').trim_start();
            if let Some(rest) = words.strip_prefix("macro ") {
                let name: String = rest
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let line = text[..open].matches('\n').count() + 1;
                found
                    .entry(name)
                    .or_default()
                    .push((template.to_string(), line));
            }
        }
    }
    found
}

/// The `date` filter: `{{ page.date | date }}` is the long date in the site's language and time
/// zone; `format="%A %-d %B"` takes a strftime pattern and `lang="en"` another language.
fn date_filter(config: &Config) -> impl tera::Filter + use<> {
    let zone = config.zone;
    let language = config.language.clone();
    move |value: &tera::Value, args: &std::collections::HashMap<String, tera::Value>| {
        let text = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("the `date` filter needs a date string"))?;
        let date = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
            tera::Error::msg(format!("the `date` filter cannot read `{text}` as a date"))
        })?;
        let lang = args
            .get("lang")
            .and_then(|l| l.as_str())
            .unwrap_or(&language);
        let format = args.get("format").and_then(|f| f.as_str());
        Ok(tera::Value::String(crate::locale::format_date(
            date, zone, lang, format,
        )))
    }
}

/// Escapes text for HTML text and quoted attributes. Tera's default also escapes `/`, which
/// makes every URL in a page unreadable (`&#x2F;posts&#x2F;`) for no safety gain.
pub(crate) fn escape(text: &str) -> String {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    // Most values have nothing to escape: find that out in one tight scan.
    let Some(first) = text.as_bytes().iter().position(special) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate().skip(first) {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether a template belongs to the audit report (`audit.html`, its styles `audit.css` and its
/// partials `audit_*.html`), which no page of the site renders.
fn is_audit_report(name: &str) -> bool {
    name == AUDIT_TEMPLATE || name == "audit.css" || name.starts_with("audit_")
}

/// The template of the audit report.
pub(crate) const AUDIT_TEMPLATE: &str = "audit.html";

/// `d`, on the file template `name` came from.
fn at_template(d: Diagnostic, name: &str, origins: &BTreeMap<String, Origin>) -> Diagnostic {
    match origins.get(name) {
        Some(origin) => d.at(origin.display_path()),
        None => d,
    }
}

/// A Tera error as a diagnostic on the template's file, with its whole chain of causes; `page`
/// is the template rendered and what it was rendered for (`/posts/x/`, "the audit report").
fn describe(
    err: &tera::Error,
    origins: &BTreeMap<String, Origin>,
    page: Option<(&str, &str)>,
) -> Diagnostic {
    let mut chain = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    // Tera names the template in quotes or backquotes in its first message: "Failed to parse
    // 'post.html'", "Template `page.html` loads macros from `x`".
    let named = chain[0]
        .split(['\'', '`'])
        .skip(1)
        .step_by(2)
        .find(|n| origins.contains_key(*n));
    let template = named.or(page.map(|(name, _)| name));
    // The guard's own calls and its output's refusal are how a bound is enforced, not news.
    let told: Vec<&str> = chain
        .iter()
        .map(String::as_str)
        .filter(|c| {
            !c.starts_with("Function call '__tribune_")
                && !c.starts_with("Io error while writing rendered value")
        })
        .collect();
    let mut message = told.join(": ");
    if let Some((_, path)) = page {
        message = format!("while rendering {path}: {message}");
    }
    let mut d = Diagnostic::input(message);
    if let Some(t) = template {
        d = at_template(d, t, origins);
    }
    if chain
        .iter()
        .any(|c| c.contains("not found") || c.contains("isn't present"))
    {
        d = d.hint("templates are looked up in templates/, then themes/<theme>/templates/, then the built-in theme");
    }
    d
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::config::Overrides;

    /// A context of string variables.
    fn context(pairs: &[(&str, &str)]) -> Context {
        let mut ctx = Context::new();
        for (key, value) in pairs {
            ctx.insert(*key, value);
        }
        ctx
    }

    /// Own variables of string values.
    fn own_of(pairs: &[(&str, &str)]) -> Own {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), serde_json::Value::from(*v)))
            .collect()
    }

    #[test]
    fn a_page_sees_its_own_variables_over_the_shared_ones_and_leaves_none_behind() {
        let base = context(&[("site", "shared"), ("lang", "fr")]);
        let mut layers = Layers::default();
        let seen = |ctx: &mut Context| ctx.clone().into_json();
        let first = layers.render(&base, own_of(&[("lang", "en"), ("term", "rust")]), seen);
        assert_eq!(
            first,
            serde_json::json!({"site": "shared", "lang": "en", "term": "rust"})
        );
        // The next page gets neither the first one's `term` nor its `lang`.
        let second = layers.render(&base, own_of(&[("posts", "all")]), seen);
        assert_eq!(
            second,
            serde_json::json!({"site": "shared", "lang": "fr", "posts": "all"})
        );
        // Another base gets its own copy.
        let other = context(&[("site", "other")]);
        let third = layers.render(&other, own_of(&[]), seen);
        assert_eq!(third, serde_json::json!({"site": "other"}));
        let fourth = layers.render(&base, own_of(&[]), seen);
        assert_eq!(fourth, base.clone().into_json());
    }

    #[test]
    fn the_audit_report_turns_no_cards_on() {
        let text = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
        let config =
            Config::parse(Path::new("/nonexistent-site"), text, &Overrides::default()).unwrap();
        let mut theme = Theme::load(&config).unwrap();
        assert!(Templates::compile(&theme, &config).unwrap().cards());
        // A theme whose macros show no card: only the report's styles still name `.card`.
        theme.templates.get_mut("macros.html").unwrap().text =
            "{% macro none() %}{% endmacro none %}".to_string();
        assert!(theme.templates["audit.css"].text.contains(".card"));
        assert!(!Templates::compile(&theme, &config).unwrap().cards());
    }

    #[test]
    fn escapes_markup_but_not_slashes() {
        assert_eq!(
            super::escape("<a href=\"/x/\">&'"),
            "&lt;a href=&quot;/x/&quot;&gt;&amp;&#39;"
        );
    }
}
