//! Tera templates, compiled once per build from the layered theme.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use tera::{Context, ErrorKind, Kwargs, State, Tera};

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
    /// Where each component is defined: its template and line, by name.
    components: BTreeMap<String, (String, usize)>,
    /// The templates the guard added its calls to, whose columns Tera counts with them.
    shifted: BTreeSet<String>,
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
    /// A digest of the default language's variables, what cards read.
    pub(crate) site_digest: u64,
    /// A digest of every base's variables, for caches of what they make.
    pub(crate) digest: u64,
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
pub(crate) type Own = Vec<(Cow<'static, str>, tera::Value)>;

/// The variables a page's typed `context` adds to the shared ones.
pub(crate) fn own(context: &impl serde::Serialize) -> Own {
    let map = tera::Value::try_from_serializable(context)
        .ok()
        .and_then(tera::Value::into_map)
        // Every page context is a struct of named fields.
        .unwrap_or_else(|| unreachable!("template contexts serialize to maps"));
    map.into_iter()
        .map(|(key, value)| {
            let name = match key {
                // A field's name, as every typed context's keys are.
                tera::value::Key::Str(name) => Cow::Borrowed(name),
                other => Cow::Owned(other.as_str().unwrap_or_default().to_string()),
            };
            (name, value)
        })
        .collect()
}

/// What `render` makes of `ctx` with `own` laid over it; `ctx` is then as it was. Laying a
/// few variables over a kept context and taking them off again costs far less than copying
/// every shared variable for each page or shortcode.
pub(crate) fn overlay<R>(ctx: &mut Context, own: Own, render: impl FnOnce(&mut Context) -> R) -> R {
    let mut hidden = Own::new();
    let mut added = Vec::new();
    for (key, value) in own {
        match ctx.remove(&key) {
            Some(shared) => hidden.push((key.clone(), shared)),
            None => added.push(key.clone()),
        }
        ctx.insert_value(key, value);
    }
    let made = render(ctx);
    for key in &added {
        ctx.remove(key);
    }
    for (key, value) in hidden {
        ctx.insert_value(key, value);
    }
    made
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
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        tera.set_escape_fn(escape_into);
        register_filters(&mut tera, config);
        guard::register(&mut tera);
        // The built-in theme's loops and sets run over the site's own data: only templates
        // from the site's files need their steps counted.
        let from_site = |name: &str| matches!(origins.get(name), Some(Origin::File(_)));
        let instrumented: BTreeMap<&str, Cow<str>> = texts
            .iter()
            .map(|(&name, &text)| (name, guard::instrument(text, from_site(name))))
            .collect();
        // Tera's columns in these count the guard's calls: only their lines are told.
        let shifted: BTreeSet<String> = instrumented
            .iter()
            .filter(|(_, text)| matches!(text, Cow::Owned(_)))
            .map(|(name, _)| name.to_string())
            .collect();
        tera.add_raw_templates(&instrumented).map_err(|e| {
            // A template written for Tera 1 fails on what changed: say how to bring it up.
            let with_hints = describe_all(&e, &origins, &shifted, None)
                .into_iter()
                .map(
                    |(d, template)| match template.and_then(|t| texts.get(t.as_str())) {
                        Some(text) if written_for_tera_1(text) => d.hint(TERA_1_HINT),
                        _ => d,
                    },
                )
                .collect();
            Errors(with_hints)
        })?;
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
            components: component_definitions(&texts),
            shifted,
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
        // Pages of one site are alike in size: starting from the last one's, most pages are
        // written without their buffer growing and being copied again.
        let mut out = guard::Output(Vec::with_capacity(LAST_SIZE.get().max(16 * 1024)));
        guard::reset();
        self.tera.render_to(name, context, &mut out).map_err(|e| {
            let d = describe(&e, &self.origins, &self.shifted, Some((name, what)));
            match self.too_deep(&e) {
                Some((path, line, component)) => Diagnostic {
                    message: format!(
                        "while rendering {what} with {}: components call components more than {} deep: does `{component}` call itself without end?",
                        shown_name(name, &self.origins),
                        guard::MAX_COMPONENT_DEPTH
                    ),
                    path: Some(path),
                    line: Some(line),
                    columns: None,
                    ..d
                },
                None => d,
            }
        })?;
        LAST_SIZE.set(out.0.len() + out.0.len() / 8);
        Ok(out.0)
    }
}

thread_local! {
    /// The size this thread's next page is expected to have: its last one's, and some room.
    static LAST_SIZE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How a template written for Tera 1, as Tribune's were, is brought up to date.
const TERA_1_HINT: &str = "templates are written for Tera 2: a `{% macro %}` is now a `{% component name(args) %}…{% endcomponent name %}`, called as `{{<name arg={value} />}}` without `{% import %}`; tests take named arguments (`x is starting_with(pat=\"/\")`); see the README's section \"Themes and templates\"";

/// Whether `text` uses what only Tera 1 had: macros, their imports and calls.
fn written_for_tera_1(text: &str) -> bool {
    guard::tags(text).any(|(_, words)| {
        ["macro ", "import ", "endmacro"]
            .iter()
            .any(|w| words.starts_with(w))
    }) || text.contains("self::")
        || ["starting_with(", "ending_with(", "containing("]
            .iter()
            .any(|test| positional(text, test))
}

/// Whether `text` gives test `test` (`starting_with(`) an argument without its name.
fn positional(text: &str, test: &str) -> bool {
    text.match_indices(test).any(|(at, _)| {
        let argument = text[at + test.len()..].trim_start();
        argument.starts_with(['"', '\'']) || !argument.split(')').next().unwrap_or("").contains('=')
    })
}

/// What Tera says when components call components too deep.
const RECURSION: &str = "Maximum render recursion depth for components exceeded.";

impl Templates {
    /// When `err` is Tera's refusal of components called too deep: the file and line of the
    /// innermost component, and its name.
    fn too_deep(&self, err: &tera::Error) -> Option<(std::path::PathBuf, usize, String)> {
        if !err.to_string().contains(RECURSION) {
            return None;
        }
        let component = guard::innermost_component()?;
        let (template, line) = self.components.get(&component)?;
        Some((self.origins.get(template)?.display_path(), *line, component))
    }
}

/// Where each component of `texts` is defined: its template and line, by name.
fn component_definitions(texts: &BTreeMap<&str, &str>) -> BTreeMap<String, (String, usize)> {
    let mut found = BTreeMap::new();
    for (&template, &text) in texts {
        for (open, words) in guard::tags(text) {
            if let Some(rest) = words.strip_prefix("component ") {
                let line = text[..open].matches('\n').count() + 1;
                found
                    .entry(guard::component_name(rest).to_string())
                    .or_insert((template.to_string(), line));
            }
        }
    }
    found
}

/// Tribune's filters: `date`, Tera 1's `striptags` and `json_encode`, which themes keep, and
/// Tera 1's forgiving `int`.
fn register_filters(tera: &mut Tera, config: &Config) {
    // `{{ page.date | date }}` is the long date in the site's language and time zone;
    // `format="%A %-d %B"` takes a strftime pattern and `lang="en"` another language.
    let zone = config.zone;
    let language = config.language.clone();
    tera.register_filter(
        "date",
        move |text: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let date = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
                tera::Error::message(format!("the `date` filter cannot read `{text}` as a date"))
            })?;
            let lang = kwargs.get::<&str>("lang")?.unwrap_or(&language);
            let format = kwargs.get::<&str>("format")?;
            Ok(crate::locale::format_date(date, zone, lang, format))
        },
    );
    tera.register_filter("striptags", |text: &str, _: Kwargs, _: &State| {
        strip_tags(text)
    });
    tera.register_filter(
        "json_encode",
        |value: tera::Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let pretty = kwargs.get::<bool>("pretty")?.unwrap_or(false);
            // Through serde_json's maps, keys come out sorted: the same JSON at every build.
            let json = serde_json::to_value(&value)
                .map_err(|e| tera::Error::message(format!("`json_encode`: {e}")))?;
            let written = if pretty {
                serde_json::to_string_pretty(&json)
            } else {
                serde_json::to_string(&json)
            };
            written.map_err(|e| tera::Error::message(format!("`json_encode`: {e}")))
        },
    );
    tera.register_filter("int", int);
}

/// `int(default=0, base=10)`: a number's whole part, or `default` for text that is none.
/// Writers' attributes go through it (`[video width="640px"]`): Tera 2's own `int` would stop
/// the page where Tera 1's printed 0.
fn int(value: tera::Value, kwargs: Kwargs, _: &State) -> tera::TeraResult<i64> {
    let default = kwargs.get::<i64>("default")?.unwrap_or(0);
    let base = kwargs.get::<u32>("base")?.unwrap_or(10);
    if !(2..=36).contains(&base) {
        return Err(tera::Error::message(format!(
            "`int`: `base` must be between 2 and 36, not {base}"
        )));
    }
    if let Some(text) = value.as_str() {
        let text = text.trim();
        let digits = match base {
            2 => text.trim_start_matches("0b"),
            8 => text.trim_start_matches("0o"),
            16 => text.trim_start_matches("0x"),
            _ => text,
        };
        return Ok(i64::from_str_radix(digits, base).unwrap_or_else(|_| {
            match digits.parse::<f64>() {
                Ok(decimal) if digits.contains('.') => decimal as i64,
                _ => default,
            }
        }));
    }
    match value.as_f64().or_else(|| value.as_i128().map(|n| n as f64)) {
        Some(number) => Ok(number as i64),
        None => Err(tera::Error::message(format!(
            "`int` needs a number or a text, not {}",
            value.name()
        ))),
    }
}

/// `text` without its tags and comments, as Tera 1's `striptags` left it: everything from `<`
/// to the next `>`, and from `<!--` to the next `-->`, goes.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let end = if tail.starts_with("<!--") {
            tail.find("-->").map(|i| i + 3)
        } else {
            tail.find('>').map(|i| i + 1)
        };
        match end {
            Some(end) => rest = &tail[end..],
            // An unclosed `<` is text.
            None => {
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML text and quoted attributes. Tera's default also escapes `/`, which
/// makes every URL in a page unreadable (`&#x2F;posts&#x2F;`) for no safety gain.
fn escape_into(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&text.as_bytes()[copied..i])?;
        out.write_all(entity)?;
        copied = i + 1;
    }
    out.write_all(&text.as_bytes()[copied..])
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

/// Where in a template a problem is: its name, and its line and columns when Tera says.
struct Place {
    template: String,
    line: Option<usize>,
    columns: Option<(usize, usize)>,
}

/// What `err` says, each problem with its place when Tera gives one: a template that fails to
/// load may name several.
fn located(err: &tera::Error) -> Vec<(String, Option<Place>)> {
    let at = |template: &str| Place {
        template: template.to_string(),
        line: None,
        columns: None,
    };
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let columns = (span.start_line == span.end_line).then(|| {
                (
                    span.start_col + 1,
                    span.end_col.saturating_sub(span.start_col),
                )
            });
            vec![(
                report.message().to_string(),
                Some(Place {
                    line: Some(span.start_line),
                    columns,
                    ..at(report.filename())
                }),
            )]
        }
        ErrorKind::MissingParent { current, .. }
        | ErrorKind::CircularExtend { tpl: current, .. } => {
            vec![(err.to_string(), Some(at(current)))]
        }
        ErrorKind::CircularInclude { tpl, include_chain } => vec![(
            format!(
                "templates include each other without end: {}",
                include_chain.join(" includes ")
            ),
            Some(at(tpl)),
        )],
        _ => {
            let text = err.to_string();
            let reports = reports(&text);
            if !reports.is_empty() {
                return reports;
            }
            // "Component `x` is defined in both `a.html` and `b.html`": the first one.
            let named = text
                .strip_prefix("Component `")
                .and_then(|rest| rest.split('`').nth(2));
            vec![(text.clone(), named.map(at))]
        }
    }
}

/// The problems of Tera's text reports, as it gives them for templates that call what does
/// not exist: `error: Unknown function `f`` then ` --> name:line:column` and the line quoted,
/// marked with carets.
fn reports(text: &str) -> Vec<(String, Option<Place>)> {
    let mut found = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .peek()
            .and_then(|next| next.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (column, line, template) = (parts.next(), parts.next(), parts.next());
        let (Some(column), Some(line), Some(template)) = (
            column.and_then(|c| c.parse::<usize>().ok()),
            line.and_then(|l| l.parse::<usize>().ok()),
            template,
        ) else {
            continue;
        };
        let width = lines
            .clone()
            .take(4)
            .find(|l| l.contains('^'))
            .map_or(1, |l| l.matches('^').count());
        found.push((
            message.to_string(),
            Some(Place {
                template: template.to_string(),
                line: Some(line),
                columns: Some((column, width)),
            }),
        ));
    }
    found
}

/// The name of template `name` as messages give it: its file.
fn shown_name(name: &str, origins: &BTreeMap<String, Origin>) -> String {
    origins.get(name).map_or_else(
        || name.to_string(),
        |o| o.display_path().display().to_string(),
    )
}

/// Tera's errors as diagnostics on the templates' files and lines, each with the template it is
/// in when Tera says; `page` is the template rendered and what it was rendered for
/// (`/posts/x/`, "the audit report").
fn describe_all(
    err: &tera::Error,
    origins: &BTreeMap<String, Origin>,
    shifted: &BTreeSet<String>,
    page: Option<(&str, &str)>,
) -> Vec<(Diagnostic, Option<String>)> {
    // What the guard refused is said in its own words, not as the write that failed.
    let refused = guard::refusal();
    located(err)
        .into_iter()
        .map(|(message, place)| {
            let message = refused.clone().unwrap_or(message);
            let template = place
                .as_ref()
                .map(|p| p.template.as_str())
                .filter(|name| origins.contains_key(*name))
                .or(page.map(|(name, _)| name));
            let message = match page {
                Some((name, path)) => match template {
                    Some(t) if t != name => format!(
                        "while rendering {path} with {}: {message}",
                        shown_name(name, origins)
                    ),
                    _ => format!("while rendering {path}: {message}"),
                },
                None => message,
            };
            let mut d = Diagnostic::input(message);
            if let Some(t) = template {
                d = at_template(d, t, origins);
            }
            if let Some(place) = &place {
                if let Some(line) = place.line {
                    d = d.line(line);
                }
                if let Some((column, width)) = place.columns
                    && !shifted.contains(&place.template)
                {
                    d = d.columns(column, width);
                }
            }
            if matches!(
                err.kind(),
                ErrorKind::TemplateNotFound(_) | ErrorKind::MissingParent { .. }
            ) || d.message.contains("Unknown template")
            {
                d = d.hint("templates are looked up in templates/, then themes/<theme>/templates/, then the built-in theme");
            }
            (d, place.map(|p| p.template))
        })
        .collect()
}

/// The first of [`describe_all`]: a render stops at its first problem.
fn describe(
    err: &tera::Error,
    origins: &BTreeMap<String, Origin>,
    shifted: &BTreeSet<String>,
    page: Option<(&str, &str)>,
) -> Diagnostic {
    describe_all(err, origins, shifted, page)
        .into_iter()
        .next()
        .map_or_else(|| Diagnostic::input(err.to_string()), |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::config::Overrides;

    /// A context of string variables.
    fn context(pairs: &[(&'static str, &str)]) -> Context {
        let mut ctx = Context::new();
        for (key, value) in pairs {
            ctx.insert(*key, value);
        }
        ctx
    }

    /// Own variables of string values.
    fn own_of(pairs: &[(&'static str, &str)]) -> Own {
        pairs
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), tera::Value::from(*v)))
            .collect()
    }

    #[test]
    fn a_page_sees_its_own_variables_over_the_shared_ones_and_leaves_none_behind() {
        let base = context(&[("site", "shared"), ("lang", "fr")]);
        let mut layers = Layers::default();
        let seen = |ctx: &mut Context| ctx.clone();
        let first = layers.render(&base, own_of(&[("lang", "en"), ("term", "rust")]), seen);
        assert_eq!(
            first,
            context(&[("site", "shared"), ("lang", "en"), ("term", "rust")])
        );
        // The next page gets neither the first one's `term` nor its `lang`.
        let second = layers.render(&base, own_of(&[("posts", "all")]), seen);
        assert_eq!(
            second,
            context(&[("site", "shared"), ("lang", "fr"), ("posts", "all")])
        );
        // Another base gets its own copy.
        let other = context(&[("site", "other")]);
        let third = layers.render(&other, own_of(&[]), seen);
        assert_eq!(third, other);
        let fourth = layers.render(&base, own_of(&[]), seen);
        assert_eq!(fourth, base);
    }

    #[test]
    fn the_audit_report_turns_no_cards_on() {
        let text = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
        let config =
            Config::parse(Path::new("/nonexistent-site"), text, &Overrides::default()).unwrap();
        let mut theme = Theme::load(&config).unwrap();
        assert!(Templates::compile(&theme, &config).unwrap().cards());
        // A theme whose components show no card: only the report's styles still name `.card`.
        let components = &mut theme.templates.get_mut("macros.html").unwrap().text;
        *components = components.replace(".card", ".whole");
        assert!(theme.templates["audit.css"].text.contains(".card"));
        assert!(!Templates::compile(&theme, &config).unwrap().cards());
    }

    #[test]
    fn filters_kept_from_tera_1_behave_as_they_did() {
        let text = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
        let config =
            Config::parse(Path::new("/nonexistent-site"), text, &Overrides::default()).unwrap();
        let mut tera = Tera::new();
        register_filters(&mut tera, &config);
        let render = |text: &str| tera.render_str(text, &Context::new(), false);
        // A writer's attribute that is no number is 0, not an error that stops the page.
        assert_eq!(
            render(
                r#"{{ "640px" | int }}|{{ " 3.7 " | int }}|{{ "0x1f" | int(base=16) }}|{{ "x" | int(default=5) }}|{{ 2.9 | int }}"#
            )
            .unwrap(),
            "0|3|31|5|2"
        );
        let base = render(r#"{{ "1" | int(base=40) }}"#).unwrap_err();
        assert!(format!("{base:?}").contains("between 2 and 36"), "{base:?}");
        assert_eq!(
            render(r#"{{ "<p>a <!-- b > c -->d</p><br/>e 1 < 2" | striptags }}"#).unwrap(),
            "a de 1 < 2"
        );
        // Keys sorted, whatever order the map was written in: the same JSON at every build.
        assert_eq!(
            render(r#"{{ {"b": 1, "a": [true, none, "é"]} | json_encode }}"#).unwrap(),
            r#"{"a":[true,null,"é"],"b":1}"#
        );
        assert_eq!(
            render(r#"{{ {"b": 1, "a": 2} | json_encode(pretty=true) }}"#).unwrap(),
            "{\n  \"a\": 2,\n  \"b\": 1\n}"
        );
    }

    #[test]
    fn escapes_markup_but_not_slashes() {
        let mut out = Vec::new();
        super::escape_into("<a href=\"/x/\">&'", &mut out).unwrap();
        assert_eq!(out, b"&lt;a href=&quot;/x/&quot;&gt;&amp;&#39;");
    }
}
