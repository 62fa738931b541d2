//! Property tests over random texts built from the pieces that have broken parsers before:
//! front matter, shortcodes, Markdown, French typography, the social counters, templates and
//! images (photos and cards) must never panic, and each input must be done with quickly.
//!
//! They run with `cargo test` on a fixed seed, a few hundred texts per target. For a longer
//! search, set how many texts and which seed:
//! `TRIBUNE_FUZZ_CASES=100000 TRIBUNE_FUZZ_SEED=7 cargo test --release fuzz`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::body::compose::BodyRenderer;
use crate::load::config::Network;
use crate::load::config::{Config, Overrides};
use crate::load::post;
use crate::load::source::{SourceFile, SourceKind};
use crate::social::length::length;
use crate::theme::layers::Theme;
use crate::theme::templates::Templates;

/// Pieces of text that parsers treat specially, mixed at random.
const PIECES: &[&str] = &[
    "+++",
    "\n",
    "\n\n",
    " ",
    "title = \"",
    "\"",
    "date = 2026-01-01",
    "date = \"",
    "tags = [",
    "]",
    ",",
    "[pullquote]",
    "[/pullquote]",
    "[share]",
    "[share /]",
    "[pullquote cite=\"",
    "[/share]",
    "[x]",
    "[",
    "]",
    "(",
    ")",
    "# ",
    "## Titre",
    "```",
    "```rust\n",
    "`",
    "*",
    "_",
    "**",
    "> ",
    "- ",
    "1. ",
    "<!--more-->",
    "<!-- more -->",
    "<",
    ">",
    "&",
    "'",
    "’",
    "« ",
    " »",
    " : ",
    " ; ",
    "!",
    "?",
    "%",
    "27 %",
    "é",
    "É",
    "日本語",
    "😀",
    "☺\u{FE0E}",
    "👩‍👩‍👧",
    "\u{200D}",
    "\t",
    "\r\n",
    "\\",
    "{{ x }}",
    "{%",
    "{#",
    "http://",
    "https://example.org/a?b=c#d",
    "example.com",
    "GOV.UK",
    "@a@b.social",
    "#Hashtag",
    "[^1]",
    "[^1]: note",
    "| a | b |\n|---|---|\n| c | d |",
    "- [ ] tâche",
    "<script>",
    "javascript:",
    "{#id}",
    "\u{00A0}",
    "\u{202F}",
];

/// A small, fixed pseudo-random sequence (xorshift64*), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A text of up to `pieces` pieces of `from`.
    fn text_of(&mut self, from: &[&str], pieces: usize) -> String {
        let n = (self.next() % pieces as u64) as usize;
        (0..n)
            .map(|_| from[(self.next() % from.len() as u64) as usize])
            .collect()
    }

    /// A number below `n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Runs `check` on `cases` random texts, each within a generous time bound.
fn each_text(target: &str, pieces: usize, check: impl FnMut(&str)) {
    each_text_of(PIECES, target, pieces, Duration::from_secs(2), check);
}

/// How many cases a target tries, and from which seed.
fn cases_and_seed() -> (usize, u64) {
    let cases: usize = std::env::var("TRIBUNE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let seed: u64 = std::env::var("TRIBUNE_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_261_201);
    (cases, seed)
}

/// Runs `check` on random texts made of `from`, each within `bound`.
fn each_text_of(
    from: &[&str],
    target: &str,
    pieces: usize,
    bound: Duration,
    mut check: impl FnMut(&str),
) {
    let (cases, seed) = cases_and_seed();
    let mut rng = Rng(seed | 1);
    for _ in 0..cases {
        let text = rng.text_of(from, pieces);
        let started = Instant::now();
        check(&text);
        assert!(
            started.elapsed() < bound,
            "{target}: {text:?} took {:?}",
            started.elapsed()
        );
    }
}

fn config() -> Config {
    let text = "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\n";
    Config::parse(Path::new("/nonexistent-site"), text, &Overrides::default()).unwrap()
}

fn source(text: String) -> SourceFile {
    SourceFile {
        path: PathBuf::from("content/posts/x.md"),
        content_path: "posts/x.md".to_string(),
        kind: SourceKind::Post,
        bundle: false,
        text,
        comments: None,
    }
}

#[test]
fn front_matter_and_bodies_never_panic() {
    let config = config();
    let theme = Theme::load(&config).unwrap();
    let templates = Templates::compile(&theme, &config).unwrap();
    let bases = crate::theme::templates::Bases {
        editions: vec![tera::Context::new()],
        ..Default::default()
    };
    let bodies = BodyRenderer {
        config: &config,
        templates: &templates,
        bases: &bases,
    };
    each_text("front matter", 24, |text| {
        let _ = post::parse(&source(text.to_string()), &config);
    });
    let (mut texts, mut rendered) = (0, 0);
    each_text("body", 60, |text| {
        texts += 1;
        let file = source(format!(
            "+++\ntitle = \"T\"\ndate = 2026-01-01\n+++\n{text}"
        ));
        if let Ok(post) = post::parse(&file, &config)
            && bodies
                .render(&post, &[], &mut crate::theme::templates::Layers::default())
                .is_ok()
        {
            rendered += 1;
        }
    });
    // Most random bodies are valid: the search reaches the renderer, not only the parser.
    assert!(
        rendered * 3 > texts,
        "{rendered} of {texts} bodies rendered"
    );
}

#[test]
fn typography_never_panics() {
    each_text("typography", 60, |text| {
        let _ = crate::body::typography::french_spacing(text);
    });
}

#[test]
fn social_counters_never_panic() {
    each_text("lengths", 60, |text| {
        for network in Network::ALL {
            let _ = length(text, network);
        }
    });
}

/// Expressions and tags that stand alone in a template, with the values that made templates
/// run away before.
const TEMPLATE_LEAVES: &[&str] = &[
    "{% set_global s = s ~ s %}",
    "{% set_global s = \"0123456789abcdef\" %}",
    "{% set x = page.title | upper %}",
    "{{ s }}",
    "{{ s | length }}",
    "{{ i }}",
    "{{ x }}",
    "{{ page.title }}",
    "{{ page.content | safe }}",
    "{{ page.title | truncate(length=3) }}",
    "{{ page.title | replace(from=\"a\", to=\"aaaa\") }}",
    "{{ range(end=100000) | join(sep=\",\") }}",
    "{{ page.date | date }}",
    "{{ page.date | date(format=\"%A %-d %B %Y\") }}",
    "{{<m n={3} />}}",
    "{% raw %}{% for %}{% endraw %}",
    "<p>é</p>",
    "\n",
];

/// Leaves that make a template fail: at compile time or at rendering.
const TEMPLATE_TROUBLE: &[&str] = &[
    "{{ get_env(name=\"HOME\") }}",
    "{{ now() }}",
    "{% include \"partials/none.html\" ignore missing %}",
    "{% import \"macros.html\" as macros %}",
    "{{<m n={40} />}}",
    "{{<m n={-1} />}}",
    "{% include \"fuzz.html\" %}",
    "{{ nothing.here }}",
    "{{",
    "%}",
];

/// Tags that hold a body, opened and closed around it.
const TEMPLATE_BLOCKS: &[(&str, &str)] = &[
    ("{% for i in range(end=100000) %}", "{% endfor %}"),
    ("{% for i in range(end=3) %}", "{% endfor %}"),
    ("{% for i in range(start=5, end=2) %}", "{% endfor %}"),
    ("{% for t in page.tags %}", "{% endfor %}"),
    (
        "{% for c in page.title | split(pat=\"\") %}",
        "{% endfor %}",
    ),
    ("{% if page.title %}", "{% else %}x{% endif %}"),
    ("{% filter upper %}", "{% endfilter %}"),
];

/// The components a random template may call: one that calls itself twice over, and forever
/// when given a negative number.
const TEMPLATE_COMPONENTS: &str = "{% set_global s = \"ab\" %}{% set x = 1 %}{% set i = 0 %}\
    {% component m(n) %}{% if n != 0 %}{{<m n={n-1} />}}{{<m n={n-1} />}}{% endif %}{% endcomponent m %}";

/// A random template body, `depth` blocks deep at most.
fn template(rng: &mut Rng, depth: usize) -> String {
    let mut out = String::new();
    for _ in 0..=rng.below(4) {
        if depth > 0 && rng.below(3) == 0 {
            let (open, close) = TEMPLATE_BLOCKS[rng.below(TEMPLATE_BLOCKS.len())];
            out.push_str(open);
            out.push_str(&template(rng, depth - 1));
            out.push_str(close);
        } else if rng.below(12) == 0 {
            out.push_str(TEMPLATE_TROUBLE[rng.below(TEMPLATE_TROUBLE.len())]);
        } else {
            out.push_str(TEMPLATE_LEAVES[rng.below(TEMPLATE_LEAVES.len())]);
        }
    }
    out
}

/// A template `fuzz.html` made at random, compiled with the theme and rendered for a page: it
/// renders or fails with an error, within the bounds of the guard, never panicking.
#[test]
fn templates_never_panic_or_run_away() {
    let config = config();
    let mut theme = Theme::load(&config).unwrap();
    let mut page = tera::Context::new();
    page.insert(
        "page",
        &serde_json::json!({
            "title": "Écrire pour le web, aaa",
            "tags": ["un", "deux", "trois"],
            "content": "<p>Texte</p>",
            "date": "2026-01-01T10:00:00+01:00",
        }),
    );
    // Each case compiles the whole theme, and some run to a bound: fewer cases than texts.
    let (cases, seed) = cases_and_seed();
    let cases = cases.div_ceil(10);
    let mut rng = Rng(seed | 1);
    let mut rendered = 0;
    for _ in 0..cases {
        let text = format!("{TEMPLATE_COMPONENTS}{}", template(&mut rng, 3));
        theme.templates.insert(
            "fuzz.html".to_string(),
            crate::theme::layers::TemplateSource {
                text: text.clone(),
                origin: crate::theme::layers::Origin::File("templates/fuzz.html".into()),
            },
        );
        let started = Instant::now();
        if let Ok(templates) = Templates::compile(&theme, &config)
            && templates.render("fuzz.html", &page, "x/").is_ok()
        {
            rendered += 1;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{text:?} took {:?}",
            started.elapsed()
        );
    }
    // Most random templates are valid: the search reaches rendering, not only parsing.
    assert!(
        rendered * 3 > cases,
        "{rendered} of {cases} templates rendered"
    );
}

/// Small valid pictures in each format a site may hold.
fn pictures() -> Vec<Vec<u8>> {
    let image =
        image::RgbImage::from_fn(24, 16, |x, y| image::Rgb([x as u8 * 10, y as u8 * 15, 99]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image.clone())
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let jpeg = crate::images::jpeg(&image, 80).unwrap();
    let webp = crate::images::derive(&png, 24, crate::images::Format::Webp).unwrap();
    vec![png, jpeg, webp]
}

/// A picture spoilt as files are: bytes flipped, cut short, or a size in its header changed.
fn spoil(rng: &mut Rng, picture: &[u8]) -> Vec<u8> {
    let mut bytes = picture.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(4) {
            0 => {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            1 => bytes.truncate(rng.below(bytes.len())),
            2 => {
                // A PNG's width or height, a JPEG's or WebP's size fields: all early on.
                let at = rng.below(bytes.len().min(200));
                let value: [u8; 4] = [0xFF, 0xFF, rng.below(256) as u8, rng.below(256) as u8];
                for (i, b) in value.into_iter().enumerate() {
                    if let Some(slot) = bytes.get_mut(at + i) {
                        *slot = b;
                    }
                }
            }
            _ => {
                let at = rng.below(bytes.len());
                let piece = bytes[at..].iter().take(64).copied().collect::<Vec<_>>();
                bytes.splice(at..at, piece);
            }
        }
        if bytes.is_empty() {
            break;
        }
    }
    bytes
}

/// Spoilt pictures are measured and turned into every variant without a panic, each quickly.
#[test]
fn spoilt_pictures_never_panic() {
    let pictures = pictures();
    let (cases, seed) = cases_and_seed();
    let mut rng = Rng(seed | 1);
    for case in 0..cases {
        let bytes = spoil(&mut rng, &pictures[case % pictures.len()]);
        let started = Instant::now();
        let _ = crate::images::probe(&bytes);
        for format in [
            crate::images::Format::Jpeg,
            crate::images::Format::Png,
            crate::images::Format::Webp,
        ] {
            let _ = crate::images::derive(&bytes, 12, format);
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "picture {case} took {:?}",
            started.elapsed()
        );
    }
}

/// Pieces of card templates: sizes, text, filters and pictures, with the values that made
/// cards huge or slow before.
const SVG_PIECES: &[&str] = &[
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">",
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000000\" height=\"1000000\">",
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 0 0\">",
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"-5\" height=\"1e308\">",
    "</svg>",
    "<rect width=\"100%\" height=\"100%\" fill=\"#123\"/>",
    "<text x=\"10\" y=\"50\" font-size=\"48\">Écrire 日本語 😀</text>",
    "<text font-size=\"100000\">x</text>",
    "<filter id=\"f\"><feGaussianBlur stdDeviation=\"1000000\"/></filter>",
    "<rect width=\"1200\" height=\"630\" filter=\"url(#f)\"/>",
    "<image href=\"cover\" width=\"600\" height=\"630\"/>",
    "<image href=\"file:///etc/passwd\" width=\"10\" height=\"10\"/>",
    "<g>",
    "</g>",
    "<use href=\"#u\"/>",
    "<g id=\"u\"><use href=\"#u\"/></g>",
    "<pattern id=\"p\" width=\"0.001\" height=\"0.001\"><rect width=\"1\" height=\"1\"/></pattern>",
    "<rect width=\"1200\" height=\"630\" fill=\"url(#p)\"/>",
    "<",
    ">",
    "&amp;",
    "&x;",
    "\"",
];

/// Random card templates are sized and drawn, or refused, without a panic.
#[test]
fn cards_never_panic() {
    let theme = Theme::load(&config()).unwrap();
    let fonts = crate::images::card::fonts(theme.fonts.values().filter_map(|f| match f {
        crate::theme::layers::StaticFile::Embedded(bytes) => Some(*bytes),
        crate::theme::layers::StaticFile::File(_) => None,
    }));
    let cover = pictures().swap_remove(0);
    each_text_of(SVG_PIECES, "cards", 12, Duration::from_secs(10), |text| {
        let _ = crate::images::svg::size(text);
        let _ = crate::images::card::rasterize(
            text,
            &fonts,
            Some((cover.clone(), crate::images::Format::Png)),
        );
    });
}
