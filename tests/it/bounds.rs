//! Site files that would make Tribune publish what lies outside the site, wipe the published
//! site or hang: refused with an error naming the file, the previous output intact.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{NOW, Rng, Site};

/// Builds and expects a refusal naming `template` and giving `bound`, or the time bound, which
/// an unoptimised build on a busy machine may reach first; the previous output as it was.
fn refused_by_either(site: &Site, template: &str, bound: &str) {
    let before = site.tree("public");
    let run = site.run(&["build"]).fails(1, &[template]);
    assert!(
        run.stderr.contains(bound) || run.stderr.contains("took more than 10 seconds to render"),
        "{}",
        run.stderr
    );
    assert!(site.tree("public") == before, "the previous output changed");
}

/// Builds and expects a refusal naming `parts`, with the previous output as it was.
fn refused(site: &Site, parts: &[&str]) {
    let before = site.tree("public");
    site.run(&["build"]).fails(1, parts);
    assert!(site.tree("public") == before, "the previous output changed");
}

/// An input folder that is a link to a folder outside the site is refused, and nothing of
/// what it holds is published; a link inside the site is followed.
#[test]
fn input_folders_linking_outside_the_site_are_refused() {
    let site = Site::built();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "secret").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static")).unwrap();
    refused(
        &site,
        &["error: static: a link to `", "`, outside the site folder"],
    );
    assert!(!site.has("id_rsa"));
    site.run(&["check"]).fails(1, &["static: a link to `"]);

    std::fs::remove_file(site.root().join("static")).unwrap();
    std::fs::create_dir_all(site.root().join("shared/files")).unwrap();
    std::fs::write(site.root().join("shared/files/notes.txt"), "ours").unwrap();
    std::os::unix::fs::symlink(site.root().join("shared/files"), site.root().join("static"))
        .unwrap();
    site.build();
    assert_eq!(site.read("notes.txt"), "ours");
}

/// `content` or `content/posts` turned into a file is an error, not an empty site that would
/// replace the published one.
#[test]
fn content_that_is_a_file_is_refused() {
    let site = Site::built();
    let content = site.root().join("content");
    std::fs::rename(&content, site.root().join("content-old")).unwrap();
    std::fs::write(&content, "oops").unwrap();
    refused(&site, &["error: content: not a folder"]);
    std::fs::remove_file(&content).unwrap();
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("posts"), "oops").unwrap();
    refused(&site, &["error: content/posts: not a folder"]);
}

/// A FIFO named site.toml is refused at once instead of blocking the build for ever.
#[test]
fn a_site_toml_that_is_not_a_regular_file_is_refused_at_once() {
    let site = Site::new();
    let config = site.root().join("site.toml");
    std::fs::remove_file(&config).unwrap();
    let made = Command::new("mkfifo").arg(&config).status().unwrap();
    assert!(made.success());
    let (code, stderr) = run_within(site.root(), Duration::from_secs(20));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("site.toml: not a regular file"), "{stderr}");
}

/// Runs `tribune build` in `root`, failing the test if it is still running after `limit`.
fn run_within(root: &Path, limit: Duration) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args(["build", "--now", NOW, "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            return (status.code().unwrap_or(-1), stderr);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the build was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A PNG whose header claims `width` × `height` pixels, with almost no data: what a
/// decompression bomb looks like until its pixels are decoded.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
        out
    };
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// An image whose header claims more pixels than a photo has is refused from its header, in
/// the body and as a cover, before any pixel is decoded.
#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let site = Site::built();
    site.bytes(
        "content/posts/bombe/bombe.png",
        &png_claiming(30_000, 30_000),
    );
    site.file(
        "content/posts/bombe/index.md",
        "+++\ntitle = \"Bombe\"\ndate = 2026-01-02\n+++\n![Une image](bombe.png)\n",
    );
    refused(
        &site,
        &[
            "content/posts/bombe/bombe.png",
            "30000 × 30000 pixels: at most 100 million pixels are read",
        ],
    );
    site.file(
        "content/posts/bombe/index.md",
        "+++\ntitle = \"Bombe\"\ndate = 2026-01-02\nimage = \"bombe.png\"\n+++\nTexte.\n",
    );
    refused(
        &site,
        &[
            "content/posts/bombe/index.md:4: the cover image `content/posts/bombe/bombe.png` is 30000 × 30000 pixels",
        ],
    );
}

/// A queue folder shared with the writer's own files keeps them: only what Tribune wrote there
/// is ever removed.
#[test]
fn a_queue_folder_shared_with_the_writers_files_keeps_them() {
    let site = Site::with_config(
        "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n[social]\noutput = \".\"\n[social.channels.x]\n[social.channels.mastodon]\n",
    );
    site.post("un", "title = \"Un\"\ndate = 2026-11-24T08:00", "x\n");
    site.file("buffer-mine.csv", "mes envois");
    site.file("hootsuite-old.csv", "mes notes");
    site.build();
    assert!(site.root().join("buffer-x.csv").is_file());
    assert!(site.root().join("hootsuite-mastodon.csv").is_file());
    // The channel goes: its files go, the writer's stay.
    site.file(
        "site.toml",
        "title = \"Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\n[social]\noutput = \".\"\n[social.channels.x]\n",
    );
    site.build();
    assert!(!site.root().join("buffer-mastodon.csv").exists());
    assert!(!site.root().join("hootsuite-mastodon.csv").exists());
    assert!(site.root().join("buffer-x.csv").is_file());
    let read = |name: &str| std::fs::read_to_string(site.root().join(name)).unwrap();
    assert_eq!(read("buffer-mine.csv"), "mes envois");
    assert_eq!(read("hootsuite-old.csv"), "mes notes");
}

/// A control character in a folder of `site.toml` is refused at its line, before anything is
/// written.
#[test]
fn a_folder_name_with_a_control_character_is_refused_at_its_line() {
    let site = Site::built();
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.file(
        "site.toml",
        &format!("{config}[build]\noutput = \"pub\\u0000lic\"\n"),
    );
    refused(
        &site,
        &[
            "site.toml:7",
            "output folder `pub\\0lic` holds a control character",
        ],
    );
}

/// A card template declaring a huge picture is refused before anything is allocated, naming
/// the post and the template.
#[test]
fn a_card_template_declaring_a_huge_picture_is_refused() {
    let site = Site::built();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/card.svg");
    let card = std::fs::read_to_string(theme).unwrap().replace(
        "width=\"1200\" height=\"630\"",
        "width=\"1000000\" height=\"1000000\"",
    );
    site.file("templates/card.svg", &card);
    refused(
        &site,
        &[
            "content/posts/bonjour.md",
            "the card of this post cannot be drawn: 1000000 × 1000000 pixels, as its card.svg declares: at most 2400 a side",
        ],
    );
}

/// A template that includes a file that is not a template names itself, and reads nothing else.
#[test]
fn a_template_including_a_file_outside_the_theme_names_itself() {
    let site = Site::built();
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{% include \"/etc/passwd\" %}{% endblock content %}\n",
    );
    refused(
        &site,
        &[
            "error: templates/page.html:2: ",
            "Unknown template `/etc/passwd`",
            "templates are looked up in templates/",
        ],
    );
}

/// Two templates defining one component are refused, both named: which one a call meant cannot
/// be told.
#[test]
fn a_component_defined_twice_names_both_templates() {
    let site = Site::built();
    site.file(
        "templates/a.html",
        "{% component twice(x) %}{{ x }}{% endcomponent twice %}",
    );
    site.file(
        "templates/b.html",
        "{% component twice(y) %}{{ y }}{% endcomponent twice %}",
    );
    refused(
        &site,
        &[
            "error: templates/a.html: ",
            "Component `twice` is defined in both `a.html` and `b.html`",
        ],
    );
}

/// A template written for Tera 1 is refused at the line Tera 2 stops at, with how to bring it
/// up to date.
#[test]
fn a_template_written_for_tera_1_says_how_to_bring_it_up() {
    let site = Site::built();
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n",
    );
    refused(
        &site,
        &[
            "error: templates/page.html:2: Unknown tag",
            "a `{% macro %}` is now a `{% component name(args) %}",
        ],
    );
    site.file(
        "templates/page.html",
        "{% if page.path is starting_with(\"/a\") %}a{% endif %}\n",
    );
    refused(
        &site,
        &[
            "error: templates/page.html:1: ",
            "tests take named arguments",
        ],
    );
}

/// An alias under a generated file (`/rss.xml/x/`) is an error naming the post and the file,
/// not a file-system error in the staging folder.
#[test]
fn an_alias_under_a_generated_file_names_both() {
    let site = Site::built();
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-01-01\naliases = [\"/rss.xml/x/\"]",
        "Texte.\n",
    );
    refused(
        &site,
        &[
            "writes /rss.xml, where",
            "content/posts/bonjour.md",
            "needs a folder for /rss.xml/x/index.html",
        ],
    );
}

/// Template work is bounded: a `range` of a trillion numbers, or components calling each other
/// three times over thirteen levels, is an error naming the template, at once.
#[test]
fn template_work_is_bounded() {
    let site = Site::built();
    site.file(
        "templates/404.html",
        "{% for i in range(end=1000000000000) %}{{ i }}{% endfor %}",
    );
    refused(
        &site,
        &[
            "templates/404.html",
            "`range` gives at most 100000 numbers; this one would give 1000000000000",
        ],
    );
    site.file(
        "templates/thrice.html",
        "{% component f(n) %}{% if n > 0 %}{{<f n={n-1} />}}{{<f n={n-1} />}}{{<f n={n-1} />}}{% endif %}{% endcomponent f %}",
    );
    site.file("templates/404.html", "{{<f n={13} />}}");
    refused_by_either(
        &site,
        "templates/thrice.html",
        "this page calls components more than 1000000 times",
    );
    let nested =
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";
    site.file("templates/404.html", nested);
    let started = Instant::now();
    // The count is a call added to the template: no column of the file is pointed at, only its
    // line, which is marked whole.
    let whole_line = format!("| {}\n", "^".repeat(nested.len()));
    refused(
        &site,
        &[
            "templates/404.html:1: ",
            "this page's loops turn more than 2000000 times",
            &whole_line,
        ],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    site.file(
        "templates/404.html",
        "{% set big = range(end=100000) | join(sep=\",\") %}{% for i in range(end=1000) %}{{ big }}{% endfor %}",
    );
    refused(
        &site,
        &["templates/404.html", "would be larger than 256 MB"],
    );
    site.file(
        "templates/404.html",
        "{% set_global s = \"0123456789abcdef\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    refused_by_either(&site, "templates/404.html", "hold more than 512 MB");
    site.file(
        "templates/404.html",
        "{% for i in range(start=9, end=2) %}{{ i }}{% endfor %}",
    );
    refused(
        &site,
        &[
            "templates/404.html",
            "`range`: `start` (9) is past `end` (2)",
        ],
    );
    site.file(
        "templates/404.html",
        "{% for i in range(end=\"ten\") %}{{ i }}{% endfor %}",
    );
    refused(&site, &["`range`: `end` must be a whole number"]);
    site.file(
        "templates/404.html",
        "{% for i in range(start=2, end=9, step_by=3) %}[{{ i }}]{% endfor %}",
    );
    site.build();
    assert_eq!(site.read("404.html"), "[2][5][8]");
}

/// Text past the 16 MB a text input may have: valid UTF-8 that would otherwise be read whole.
fn huge_text() -> String {
    "title = \"x\"\n".repeat(17 * 1024 * 1024 / 12)
}

/// A post, a template or a site.toml past 16 MB is refused before it is read, naming itself.
#[test]
fn huge_text_files_are_refused_naming_themselves() {
    let site = Site::built();
    site.file("content/posts/enorme.md", &huge_text());
    refused(
        &site,
        &["content/posts/enorme.md: the file is 17 MB; a text file may have at most 16 MB"],
    );
    std::fs::remove_file(site.root().join("content/posts/enorme.md")).unwrap();
    site.file("templates/post.html", &huge_text());
    refused(&site, &["templates/post.html: the file is 17 MB"]);
    std::fs::remove_file(site.root().join("templates/post.html")).unwrap();
    site.file("site.toml", &huge_text());
    refused(&site, &["site.toml: the file is 17 MB"]);
}

/// Site layouts with files where folders should be, folders where files should be, links
/// inside and outside the site, FIFOs and empty files: every build ends, within seconds,
/// without a panic, and nothing outside the site is published or touched.
#[test]
fn generated_site_layouts_never_hang_panic_or_reach_outside() {
    const PLACES: [&str; 7] = [
        "site.toml",
        "content",
        "content/posts",
        "static",
        "templates",
        "i18n",
        "fonts",
    ];
    // Most places as usual, so that layouts that build are tried too.
    const SHAPES: [&str; 13] = [
        "as usual",
        "as usual",
        "as usual",
        "as usual",
        "as usual",
        "as usual",
        "missing",
        "empty file",
        "empty folder",
        "link outside",
        "link inside",
        "fifo",
        "huge file",
    ];
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("canary.txt"), "outside").unwrap();
    let mut rng = Rng(0x51_7E_1A_70);
    let mut built = 0;
    for round in 0..40 {
        let site = Site::new();
        site.post("un", "title = \"Un\"\ndate = 2026-01-01", "Texte.\n");
        site.file("static/style-site.css", "body{}");
        let mut shapes = Vec::new();
        for place in PLACES {
            let shape = rng.pick(&SHAPES);
            shapes.push(format!("{place}: {shape}"));
            let path = site.root().join(place);
            // Only under a real folder of the site: the test itself writes nothing outside.
            let parent_is_ours = std::fs::symlink_metadata(path.parent().unwrap())
                .is_ok_and(|m| m.file_type().is_dir());
            if shape == "as usual" || !parent_is_ours {
                continue;
            }
            let _ = std::fs::remove_dir_all(&path);
            let _ = std::fs::remove_file(&path);
            let _ = match shape {
                "empty file" => std::fs::write(&path, ""),
                "huge file" => std::fs::write(&path, huge_text()),
                "empty folder" => std::fs::create_dir_all(&path),
                "link outside" => std::os::unix::fs::symlink(outside.path(), &path),
                "link inside" => {
                    std::fs::create_dir_all(site.root().join("elsewhere")).and_then(|()| {
                        std::os::unix::fs::symlink(site.root().join("elsewhere"), &path)
                    })
                }
                "fifo" => Command::new("mkfifo").arg(&path).status().map(|_| ()),
                _ => Ok(()),
            };
        }
        let (code, stderr) = run_within(site.root(), Duration::from_secs(30));
        assert!(
            [0, 1, 3].contains(&code) && !stderr.contains("panicked"),
            "round {round} {shapes:?}: exit {code}\n{stderr}"
        );
        built += usize::from(code == 0);
        let published = site.tree("public");
        assert!(
            !published.keys().any(|k| k.contains("canary")),
            "round {round} {shapes:?}: published a file from outside the site"
        );
        let canary = std::fs::read_to_string(outside.path().join("canary.txt")).unwrap();
        assert_eq!(canary, "outside", "round {round} {shapes:?}");
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
    }
    assert!(
        built > 0,
        "no layout built: the cases test nothing but refusals"
    );
}

/// A component that fails, here by calling itself without end, is named at its own file and
/// line, the page and the template that called it in the message.
#[test]
fn a_failing_component_is_named_at_its_definition() {
    let site = Site::built();
    site.file(
        "templates/m.html",
        "{# Helpers #}\n\n{% component f(n) %}\n{{<f n={n} />}}\n{% endcomponent f %}\n",
    );
    site.file("templates/404.html", "<p>\n{{<f n={1} />}}\n");
    refused(
        &site,
        &[
            "error: templates/m.html:3: while rendering /404.html with templates/404.html: components call components more than 20 deep: does `f` call itself without end?",
        ],
    );
    // An error inside a component is placed at its own line, the caller named.
    site.file(
        "templates/m.html",
        "{# Helpers #}\n\n{% component f(n) %}\n{{ n | date }}\n{% endcomponent f %}\n",
    );
    refused(
        &site,
        &["error: templates/m.html:4: while rendering /404.html with templates/404.html: "],
    );
}
