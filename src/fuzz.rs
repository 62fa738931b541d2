//! Property tests over random texts built from the pieces that have broken parsers before:
//! front matter, shortcodes, Markdown, French typography and the social counters must never
//! panic, and each text must be done with quickly.
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

    /// A text of up to `pieces` pieces.
    fn text(&mut self, pieces: usize) -> String {
        let n = (self.next() % pieces as u64) as usize;
        (0..n)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect()
    }
}

/// Runs `check` on `cases` random texts, each within a generous time bound.
fn each_text(target: &str, pieces: usize, mut check: impl FnMut(&str)) {
    let cases: usize = std::env::var("TRIBUNE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let seed: u64 = std::env::var("TRIBUNE_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_261_201);
    let mut rng = Rng(seed | 1);
    for _ in 0..cases {
        let text = rng.text(pieces);
        let started = Instant::now();
        check(&text);
        assert!(
            started.elapsed() < Duration::from_secs(2),
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
            && bodies.render(&post, &[]).is_ok()
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
