//! Inputs made to break things: each gets a clear error or a correct page, never a crash, and a
//! failed build leaves the previous output as it was.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::{NOW, Site};

/// A site that built once.
fn built() -> Site {
    Site::built()
}

/// A build expected to fail with exit code `code` and `parts` in its message, leaving the
/// output as it was.
fn refused(site: &Site, args: &[&str], code: i32, parts: &[&str]) {
    let before = site.tree("public");
    let run = site.run(args).fails(code, parts);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(site.tree("public"), before, "the previous output changed");
}

#[test]
fn pull_quotes_across_paragraphs_beside_other_shortcodes() {
    let site = built();
    for (i, body) in [
        "[pullquote]a\n\nb[/pullquote][share]",
        "[pullquote]un\n\ndeux[/pullquote][pullquote]trois[/pullquote]",
        "x [pullquote]c\n\nd[/pullquote] y [pullquote]e\n\nf[/pullquote] z",
    ]
    .iter()
    .enumerate()
    {
        site.post(
            "citations",
            &format!("title = \"Citations {i}\"\ndate = 2026-01-02"),
            body,
        );
        site.build();
        let page = site.read("posts/citations/index.html");
        assert!(page.contains("class=\"pullquote"), "{page}");
    }
}

#[test]
fn dates_feeds_cannot_write_are_refused_where_they_are_written() {
    let site = built();
    site.post(
        "antique",
        "title = \"Antique\"\ndate = \"-0044-03-15\"",
        "x",
    );
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/antique.md:3", "out of range", "year 9999"],
    );
    site.remove("content/posts/antique.md");
    site.post(
        "lointain",
        "title = \"Lointain\"\ndate = 9999-12-31T23:00:00-05:00",
        "x",
    );
    refused(
        &site,
        &["build", "--future"],
        1,
        &["content/posts/lointain.md:3"],
    );
    site.remove("content/posts/lointain.md");
    refused(
        &site,
        &["build", "--now", "0000-01-01"],
        2,
        &["--now", "out of range"],
    );
}

#[test]
fn a_queue_for_a_hundred_million_days_is_a_usage_error() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[social.channels.mastodon]\n",
    );
    site.post("a", "title = \"A\"\ndate = 2026-11-30", "x");
    let run = site
        .run(&["queue", "--days", "100000000"])
        .fails(2, &["--days"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let run = site.run(&["queue", "--days", "36600"]).ok();
    assert!(run.stdout.contains("mastodon"), "{}", run.stdout);
}

#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    let site = built();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args([
            "--root",
            site.root().to_str().unwrap(),
            "--now",
            NOW,
            "audit",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(status.code(), Some(101));
}

#[test]
fn a_component_that_calls_itself_is_an_error_not_a_crash() {
    let site = built();
    site.file(
        "templates/rec.html",
        "{% component again(n) %}{{ n }} {{<again n={n+1} />}}{% endcomponent again %}",
    );
    site.file("templates/post.html", "{{<again n={1} />}}");
    refused(
        &site,
        &["build"],
        1,
        &[
            "templates/rec.html:1",
            "templates/post.html",
            "more than 20 deep",
        ],
    );
    assert!(!site.root().join(".public.tribune-staging").exists());
    // A component that ends its own recursion renders.
    site.file(
        "templates/rec.html",
        "{% component again(n) %}{% if n < 15 %}{{ n }} {{<again n={n+1} />}}{% endif %}{% endcomponent again %}",
    );
    site.build();
    assert!(site.read("posts/bonjour/index.html").starts_with("1 2 3"));
}

#[test]
fn templates_that_include_each_other_are_an_error() {
    let site = built();
    site.file("templates/x.html", "{% include \"y.html\" %}");
    site.file("templates/y.html", "{% include \"x.html\" %}");
    refused(
        &site,
        &["build"],
        1,
        &["templates/x.html", "x.html includes y.html includes x.html"],
    );
}

#[test]
fn templates_cannot_read_the_environment() {
    let site = built();
    site.file(
        "templates/post.html",
        "{{ get_env(name=\"HOME\", default=\"\") }}",
    );
    refused(
        &site,
        &["build"],
        1,
        &["templates/post.html:1", "Unknown function `get_env`"],
    );
}

#[test]
fn absurd_sizes_are_refused_with_their_limit() {
    let site = built();
    let tags: Vec<String> = (0..150).map(|i| format!("\"t{i}\"")).collect();
    site.post(
        "etiquettes",
        &format!(
            "title = \"Trop\"\ndate = 2026-01-02\ntags = [{}]",
            tags.join(",")
        ),
        "x",
    );
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/etiquettes.md", "150 tags", "at most 100"],
    );
    site.remove("content/posts/etiquettes.md");

    site.post(
        "partages",
        "title = \"P\"\ndate = 2026-01-02",
        &"[share]\n".repeat(1200),
    );
    refused(
        &site,
        &["build"],
        1,
        &[
            "content/posts/partages.md:1005",
            "more than 1000 shortcodes",
        ],
    );
    site.remove("content/posts/partages.md");

    let nested = format!("{}x{}", "[pullquote]".repeat(40), "[/pullquote]".repeat(40));
    site.post("gigogne", "title = \"G\"\ndate = 2026-01-02", &nested);
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/gigogne.md", "nested more than 16 deep"],
    );
    site.remove("content/posts/gigogne.md");

    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[build]\nposts_per_page = 100000\n[social]\nhorizon = \"100000 years\"\n[social.channels.mastodon]\n",
    );
    refused(
        &site,
        &["build"],
        1,
        &[
            "site.toml:4: posts_per_page must be from 1 to 1000",
            "site.toml:6",
            "at most 100 years",
        ],
    );
}

#[test]
fn many_headings_alike_get_ids_in_one_pass() {
    let site = built();
    site.post(
        "titres",
        "title = \"Titres\"\ndate = 2026-01-02",
        &"## Même titre\n\ntexte\n\n".repeat(5000),
    );
    site.build();
    let page = site.read("posts/titres/index.html");
    assert!(page.contains("id=\"meme-titre\"") && page.contains("id=\"meme-titre-4999\""));
}

#[test]
fn the_queue_is_never_put_where_it_would_be_published() {
    let site = built();
    for (folder, what) in [
        ("public", "inside the output folder"),
        ("./public/file", "inside the output folder"),
        ("content", "inside the site's `content` folder"),
        ("static/q", "inside the site's `static` folder"),
    ] {
        site.file(
            "site.toml",
            &format!("title = \"T\"\nbase_url = \"https://example.org/\"\n[social]\noutput = \"{folder}\"\n[social.channels.mastodon]\n"),
        );
        refused(&site, &["build"], 1, &["site.toml:4", what]);
    }
}

#[test]
fn control_characters_never_reach_pages_or_feeds() {
    let site = built();
    site.post("cloche", "title = \"Ding\\u0007\"\ndate = 2026-01-02", "x");
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/cloche.md", "`title`", "U+0007"],
    );
    site.post(
        "cloche",
        "title = \"Ding\"\ndate = 2026-01-02",
        "a\u{1b}[31mb",
    );
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/cloche.md:5", "U+001B"],
    );
    site.remove("content/posts/cloche.md");
    site.file(
        "site.toml",
        "title = \"T\\u0000\"\nbase_url = \"https://example.org/\"\n",
    );
    refused(&site, &["build"], 1, &["site.toml", "U+0000"]);
}

#[test]
fn old_mac_line_ends_are_read_as_line_ends() {
    let site = built();
    site.file(
        "content/posts/mac.md",
        "+++\rtitle = \"Mac\"\rdate = 2026-01-02\r+++\rTexte.\r",
    );
    site.build();
    assert!(site.read("posts/mac/index.html").contains("Texte."));
}

#[test]
fn unclear_input_gets_a_clear_message() {
    let site = built();
    site.post(
        "long",
        &format!(
            "title = \"L\"\ndate = 2026-01-02\nslug = \"{}\"",
            "a".repeat(5000)
        ),
        "x",
    );
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/long.md:4", "slug is 5000 bytes long"],
    );
    site.post(
        "long",
        "title = \"L\"\ndate = 2026-01-02",
        "[pullquote cite=\"x]q[/pullquote]",
    );
    refused(
        &site,
        &["build"],
        1,
        &[
            "content/posts/long.md:5",
            "this `[pullquote …]` tag cannot be read",
        ],
    );
    site.remove("content/posts/long.md");
    site.run(&["build", "--output", "."])
        .fails(3, &["refusing to use `.` as the output folder"]);
}

#[test]
fn addresses_are_checked_before_they_are_written() {
    let site = built();
    site.post(
        "lien",
        "title = \"L\"\ndate = 2026-01-02\nlink = \"http://\"",
        "x",
    );
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/lien.md:4", "has no valid host"],
    );
    site.post(
        "lien",
        "title = \"L\"\ndate = 2026-01-02\nlink = \"https://example.org/a b\"",
        "x",
    );
    refused(
        &site,
        &["build"],
        1,
        &["content/posts/lien.md:4", "which a URL cannot hold"],
    );
    site.remove("content/posts/lien.md");
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\\\"><script>\"\n",
    );
    refused(&site, &["build"], 1, &["site.toml:2", "holds `\"`"]);
}

#[test]
fn a_full_output_is_an_error_not_a_crash() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let site = built();
    let out = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args([
            "--root",
            site.root().to_str().unwrap(),
            "--now",
            NOW,
            "audit",
            "--json",
        ])
        .stdout(std::fs::File::options().write(true).open(full).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("standard output"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
