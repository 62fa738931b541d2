//! Code highlighting with syntect, as CSS classes, so one stylesheet serves light and dark.
//! The languages are those `bat` knows (the `two-face` set: TOML, TypeScript, Dockerfile,
//! Swift, Kotlin… beside syntect's own), and shell sessions.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::error::{Diagnostic, columns_of, line_of};
use crate::load::post::Post;

/// Prefix of every highlighting class, so theme CSS never clashes with it.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Site path of the generated stylesheet.
pub(crate) const STYLESHEET_PATH: &str = "highlight.css";

/// What ends the language name in a fence's info string: `rust,ignore`, `rust {.numbered}`.
const INFO_STRING_ENDS: [char; 3] = [',', ' ', '{'];

/// Names writers give a fence that the syntaxes do not know by that name, and the name of the
/// syntax they mean.
const ALIASES: [(&str, &str); 16] = [
    ("shell", "Bourne Again Shell (bash)"),
    ("docker", "Dockerfile"),
    ("containerfile", "Dockerfile"),
    ("csharp", "C#"),
    ("c-sharp", "C#"),
    ("fsharp", "F#"),
    ("objc", "Objective-C"),
    ("objective-c", "Objective-C"),
    ("golang", "Go"),
    ("jsonc", "JSON"),
    ("pwsh", "PowerShell"),
    ("tera", "HTML (Jinja2)"),
    // Hugo's names for its templates, and Jekyll's Liquid, whose `{{ … }}` and `{% … %}`
    // read as Jinja's.
    ("go-html-template", "HTML (Jinja2)"),
    ("go-template", "HTML (Jinja2)"),
    ("gotmpl", "HTML (Jinja2)"),
    ("liquid", "HTML (Jinja2)"),
];

/// Names of a shell session: commands after a prompt, and what they print.
const SESSIONS: [&str; 5] = [
    "console",
    "shell-session",
    "shellsession",
    "sh-session",
    "terminal",
];

/// Names that ask for plain text on purpose.
const PLAIN: [&str; 6] = ["text", "plain", "plaintext", "txt", "none", "output"];

/// Loaded on the first code block of a build, then shared: a build without code never loads it.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// How a fence's language is highlighted.
enum Language {
    /// Plain text, as asked.
    Plain,
    /// With this syntax.
    Syntax(&'static SyntaxReference),
    /// A shell session: commands highlighted as Bash after their prompt, output plain.
    Session,
}

/// The language a fence names (`rust`, `ts`, `Dockerfile`, `console`…), if Tribune knows it.
fn language(name: &str) -> Option<Language> {
    let name = name.trim().to_ascii_lowercase();
    if PLAIN.contains(&name.as_str()) {
        return Some(Language::Plain);
    }
    if SESSIONS.contains(&name.as_str()) {
        return Some(Language::Session);
    }
    let set = syntaxes();
    let found = match ALIASES.iter().find(|(alias, _)| *alias == name) {
        Some((_, syntax)) => set.find_syntax_by_name(syntax),
        None => set.find_syntax_by_token(&name),
    };
    found.map(Language::Syntax)
}

/// The language name of a fence's info string: `rust` for `rust,ignore` or `rust {.numbered}`.
pub(crate) fn fence_language(info: &str) -> &str {
    info.split(INFO_STRING_ENDS).next().unwrap_or("")
}

/// A code block as HTML. An unknown or missing language, or `highlight` unset, gives plain,
/// escaped code.
pub(crate) fn code_block(code: &str, lang: &str, highlight: bool) -> String {
    let lang = lang.trim();
    let mut out = String::with_capacity(code.len() * 2 + 64);
    out.push_str("<pre class=\"code hl-code\"");
    if !lang.is_empty() {
        out.push_str(" data-lang=\"");
        pulldown_cmark_escape::escape_html(&mut out, lang)
            .expect("writing to a String cannot fail");
        out.push('"');
    }
    // Long lines scroll inside the block, which keyboard users must reach too.
    out.push_str(" tabindex=\"0\"><code>");
    let language = (highlight && !lang.is_empty())
        .then(|| language(lang))
        .flatten();
    match language {
        Some(Language::Syntax(syntax)) => match highlighted(code, syntax) {
            Some(html) => out.push_str(&html),
            None => escape(&mut out, code),
        },
        Some(Language::Session) => session(&mut out, code),
        Some(Language::Plain) | None => escape(&mut out, code),
    }
    out.push_str("</code></pre>\n");
    out
}

/// `code` as escaped HTML text, appended to `out`.
fn escape(out: &mut String, code: &str) {
    pulldown_cmark_escape::escape_html_body_text(out, code)
        .expect("writing to a String cannot fail");
}

/// `code` highlighted with `syntax`; none when the syntax fails on it.
fn highlighted(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// A shell session appended to `out`: each prompt dimmed as a comment, the command after it
/// (and its continuation lines, after a `\`) highlighted as Bash, what it prints left plain.
fn session(out: &mut String, code: &str) {
    let bash = syntaxes().find_syntax_by_name("Bourne Again Shell (bash)");
    let mut continued = false;
    for line in LinesWithEndings::from(code) {
        let command = if continued {
            Some(("", line))
        } else {
            prompt(line).map(|p| line.split_at(p))
        };
        match (command, bash) {
            (Some((prompt, command)), Some(bash)) => {
                if !prompt.is_empty() {
                    out.push_str("<span class=\"hl-comment hl-prompt\">");
                    escape(out, prompt);
                    out.push_str("</span>");
                }
                match highlighted(command, bash) {
                    Some(html) => out.push_str(&html),
                    None => escape(out, command),
                }
                continued = command.trim_end().ends_with('\\');
            }
            _ => escape(out, line),
        }
    }
}

/// The length of the prompt that starts `line` (`$ `, `% `, `# `, `> `, or `user@host:~$ `),
/// if it has one.
fn prompt(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let word_end = rest.find(' ')?;
    let word = &rest[..word_end];
    let is_prompt = matches!(word, "$" | "%" | "#" | ">" | "❯")
        || (word.len() > 1 && word.ends_with(['$', '#']) && word.contains(['@', ':', '~']));
    is_prompt.then_some(indent + word_end + 1)
}

/// Whether Tribune highlights code fenced with this language name (a name it does not know
/// gives plain code). No name, or `text`, is plain on purpose.
fn knows(name: &str) -> bool {
    name.trim().is_empty() || language(name).is_some()
}

/// Warnings for the fenced code blocks of `post` whose language Tribune does not know: they
/// stay plain text.
pub(crate) fn unknown_languages(post: &Post) -> Vec<Diagnostic> {
    let markdown = post.body.text();
    let body = markdown.as_str();
    if !(body.contains("```") || body.contains("~~~")) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let parser = Parser::new_ext(body, crate::body::dialect::options()).into_offset_iter();
    for (event, range) in parser {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event else {
            continue;
        };
        let name = fence_language(&info);
        if knows(name) {
            continue;
        }
        let mut d = Diagnostic::input(format!(
            "Tribune does not know the language `{name}`: this code block is not highlighted"
        ))
        .at(&post.source)
        .line(post.body_line + line_of(body, range.start) - 1)
        .hint(suggestion(name));
        if let Some(at) = body[range.clone()].find(name) {
            let start = range.start + at;
            let (column, width) = columns_of(body, start..start + name.len());
            d = d.columns(column, width);
        }
        found.push(d);
    }
    found
}

/// What to write instead of the unknown language `name`: the name of a language it is a typo
/// of, else the usual names.
fn suggestion(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let set = syntaxes();
    let names: Vec<String> = set
        .syntaxes()
        .iter()
        .flat_map(|s| {
            std::iter::once(s.name.to_ascii_lowercase())
                .chain(s.file_extensions.iter().map(|e| e.to_ascii_lowercase()))
        })
        .chain(ALIASES.iter().map(|(a, _)| a.to_string()))
        .chain(SESSIONS.iter().map(|s| s.to_string()))
        .filter(|n| !n.contains([' ', '.']))
        .collect();
    // A typo is a letter or two away; anything further is another language.
    let typo = crate::error::closest(&lower, names.iter().map(String::as_str))
        .filter(|best| strsim::damerau_levenshtein(&lower, best) <= 2);
    match typo {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            "write a language Tribune highlights (rust, python, toml, ts, console…), or `text` \
                 for plain text"
                .to_string()
        }
    }
}

/// The highlighting stylesheet: a light palette, and a dark one for readers who prefer it.
pub(crate) fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
        .unwrap_or_default();
    // Each palette applies alone: a scope only the light one colours must not keep its light
    // colour on a dark background.
    // The palettes were made for other backgrounds: each colour is nudged until it reads on the
    // theme's code background (its --surface) at WCAG AA, 4.5:1.
    let light = readable(&light, (0xf3, 0xef, 0xe6));
    let dark = readable(&dark, (0x22, 0x20, 0x1d));
    format!(
        "/* Code highlighting, generated by Tribune. */\n@media not (prefers-color-scheme: dark) {{\n{light}\n}}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
}

/// An RGB colour.
type Rgb = (u8, u8, u8);

/// `css` with every `color: #rrggbb` made readable on `background`: darkened on a light
/// background, lightened on a dark one, as little as needed.
fn readable(css: &str, background: Rgb) -> String {
    const KEY: &str = "color: #";
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find(KEY) {
        let start = at + KEY.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        // `background-color` ends with the same key; only text colours are adjusted.
        let is_text = !out[..out.len() - KEY.len()].ends_with("background-");
        match rest.get(..6).and_then(parse_hex) {
            Some(color) if is_text && rest.as_bytes().get(6) == Some(&b';') => {
                let (r, g, b) = legible(color, background);
                out.push_str(&format!("{r:02x}{g:02x}{b:02x}"));
                rest = &rest[6..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// `rrggbb` as a colour.
fn parse_hex(hex: &str) -> Option<Rgb> {
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// `color`, mixed towards black or white until it contrasts 4.5:1 with `background`.
fn legible(color: Rgb, background: Rgb) -> Rgb {
    let toward = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    let mut mixed = color;
    for step in 0..=20 {
        let t = f64::from(step) / 20.0;
        let mix = |c: u8| (f64::from(c) + (toward - f64::from(c)) * t).round() as u8;
        mixed = (mix(color.0), mix(color.1), mix(color.2));
        if contrast(mixed, background) >= 4.6 {
            break;
        }
    }
    mixed
}

/// WCAG contrast ratio of two colours.
fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG relative luminance.
fn luminance((r, g, b): Rgb) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_colour_reads_at_aa() {
        let css = stylesheet();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        for (part, background) in [(light, (0xf3, 0xef, 0xe6)), (dark, (0x22, 0x20, 0x1d))] {
            for at in part.match_indices("\n color: #").map(|(i, _)| i + 10) {
                let color = parse_hex(&part[at..at + 6]).unwrap();
                assert!(contrast(color, background) >= 4.5, "{}", &part[at..at + 6]);
            }
        }
    }

    #[test]
    fn highlights_known_languages_with_classes() {
        let html = code_block("fn main() {}\n", "rust", true);
        assert!(
            html.starts_with(
                "<pre class=\"code hl-code\" data-lang=\"rust\" tabindex=\"0\"><code>"
            ),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn hugo_and_liquid_template_blocks_are_highlighted_as_templates() {
        let html = code_block(
            "{% for post in site.posts %}{{ post.title }}{% endfor %}\n",
            "liquid",
            true,
        );
        assert!(html.contains("<span class=\""), "{html}");
        let html = code_block(
            "{{ range .Pages }}<a>{{ .Title }}</a>{{ end }}\n",
            "go-html-template",
            true,
        );
        assert!(html.contains("<span class=\""), "{html}");
        assert!(html.contains("data-lang=\"go-html-template\""), "{html}");
    }

    #[test]
    fn highlighting_off_gives_plain_code_with_its_language() {
        assert_eq!(
            code_block("a < b\n", "rust", false),
            "<pre class=\"code hl-code\" data-lang=\"rust\" tabindex=\"0\"><code>a &lt; b\n</code></pre>\n"
        );
    }

    #[test]
    fn unknown_languages_are_plain_and_escaped() {
        let html = code_block("<b>&</b>\n", "no-such-language", true);
        assert_eq!(
            html,
            "<pre class=\"code hl-code\" data-lang=\"no-such-language\" tabindex=\"0\"><code>&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }
}
