//! Inputs made to break things: each gets a clear error or a correct page, never a crash, and a
//! failed build leaves the previous output as it was.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::{NOW, Site};

/// A site that built once.
fn built() -> Site {
    let site = Site::new();
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-01-01",
        "Texte.\n",
    );
    site.build();
    site
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
        1,
        &["--now", "out of range"],
    );
}

#[test]
fn a_queue_for_a_hundred_million_days_is_the_whole_queue() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[social.channels.mastodon]\n",
    );
    site.post("a", "title = \"A\"\ndate = 2026-11-30", "x");
    let run = site.run(&["queue", "--days", "100000000"]).ok();
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
fn a_macro_that_calls_itself_is_an_error_not_a_crash() {
    let site = built();
    site.file(
        "templates/rec.html",
        "{% macro loop(n) %}{{ n }} {{ self::loop(n=n+1) }}{% endmacro loop %}",
    );
    site.file(
        "templates/post.html",
        "{% import \"rec.html\" as r %}{{ r::loop(n=1) }}",
    );
    refused(
        &site,
        &["build"],
        1,
        &["templates/post.html", "more than 48 deep"],
    );
    assert!(!site.root().join(".public.tribune-staging").exists());
    // A macro that ends its own recursion renders.
    site.file(
        "templates/rec.html",
        "{% macro loop(n) %}{% if n < 20 %}{{ n }} {{ self::loop(n=n+1) }}{% endif %}{% endmacro loop %}",
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
        &["templates/post.html", "environment"],
    );
}
