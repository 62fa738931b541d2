//! The command line's conventions: exit codes, `--quiet` and `--verbose`, colours, source
//! lines under errors, shell completions.

use crate::Site;

fn site() -> Site {
    let site = Site::new();
    site.post(
        "bonjour",
        "title = \"Bonjour\"\ndate = 2026-01-01",
        "Texte.\n",
    );
    site
}

#[test]
fn a_bad_command_line_exits_with_2() {
    let site = site();
    site.run(&["build", "--now", "hier"])
        .fails(2, &["error: --now: `hier` is not a date"]);
    site.run(&["build", "--base-url", "example.org"]).fails(
        2,
        &["error: --base-url: base_url `example.org` must start with https://"],
    );
    site.run(&["queue", "--channel", "twitter"]).fails(
        2,
        &[
            "unknown social channel `twitter`",
            "Twitter is the channel `x`",
        ],
    );
    site.run(&["queue", "--days=-3"]).fails(2, &["--days"]);
    site.run(&["buidl"]).fails(2, &["unrecognized subcommand"]);
    // Even where the site itself is broken, a bad command line is told first.
    site.file("site.toml", "title = ");
    site.run(&["check", "--now", "hier"]).fails(2, &["--now"]);
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_channel_the_site_lacks_is_a_bad_command_line() {
    let site = Site::with_config(
        "title = \"C\"\nbase_url = \"https://e.org/\"\n[social]\n[social.channels.mastodon]\n",
    );
    site.run(&["queue", "--channel", "x"]).fails(
        2,
        &["this site has no `x` channel", "its channels: mastodon"],
    );
}

#[test]
fn quiet_says_nothing_on_success_wherever_it_is_written() {
    let site = site();
    for args in [
        &["build", "--quiet"][..],
        &["--quiet", "build"],
        &["-q", "check"],
    ] {
        let run = site.run(args).ok();
        assert_eq!(
            (run.stdout.as_str(), run.stderr.as_str()),
            ("", ""),
            "{args:?}"
        );
    }
    let run = site.run(&["new", "Autre", "-q"]).ok();
    assert_eq!(run.stdout, "");
    site.file("content/posts/casse.md", "+++\ntitle = 1\n+++\n");
    let run = site.run(&["build", "--quiet"]).fails(1, &["casse.md:2"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn the_build_summary_gives_the_time_and_verbose_says_more() {
    let site = site();
    let run = site.build();
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("Built 1 post and 0 pages into ") && first.ends_with(" s."),
        "{first}"
    );
    let run = site.run(&["build", "--verbose"]).ok();
    assert!(
        run.stdout
            .contains("Build clock: 2026-11-23T13:00:00+01:00."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("no page was rendered"),
        "{}",
        run.stdout
    );
}

#[test]
fn errors_show_the_source_line_with_a_caret() {
    let site = site();
    site.file(
        "content/posts/faute.md",
        "+++\ntitle = \"Faute\"\ndate = 2026-01-02\ntgas = [\"a\"]\n+++\nx\n",
    );
    site.run(&["build"]).fails(
        1,
        &["error: content/posts/faute.md:4: unknown field `tgas`\n  |\n4 | tgas = [\"a\"]\n  | ^^^^\n  hint: did you mean `tags`?\n"],
    );
}

#[test]
fn colours_only_on_a_terminal_or_on_request() {
    let site = site();
    site.file("content/posts/casse.md", "+++\ntitle = 1\n+++\n");
    let plain = site.run(&["build"]).fails(1, &["error: "]);
    assert!(!plain.stderr.contains('\x1b'), "not a terminal: no colour");
    let forced = site.run(&["build", "--color", "always"]).fails(1, &[]);
    assert!(
        forced.stderr.contains("\x1b[1;31merror\x1b[0m: "),
        "{}",
        forced.stderr
    );
    site.run(&["build", "--color", "never"]).fails(1, &[]);
}

/// Runs `tribune` under a pseudo-terminal (with `script`, when the machine has it), with
/// `NO_COLOR` set or not; returns what it printed.
fn on_a_terminal(site: &Site, no_color: bool) -> Option<String> {
    let command = format!(
        "{} build --root {} --now 2026-11-23",
        env!("CARGO_BIN_EXE_tribune"),
        site.root().display()
    );
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .env_remove("CI");
    if no_color {
        script.env("NO_COLOR", "1");
    } else {
        script.env_remove("NO_COLOR");
    }
    let out = script.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_colours_unless_no_color() {
    let site = site();
    site.file("content/posts/casse.md", "+++\ntitle = 1\n+++\n");
    let Some(coloured) = on_a_terminal(&site, false) else {
        eprintln!("no `script` here to make a terminal: skipped");
        return;
    };
    assert!(coloured.contains("\x1b[1;31merror"), "{coloured:?}");
    let plain = on_a_terminal(&site, true).unwrap();
    assert!(plain.contains("error: "), "{plain:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
}

#[test]
fn completions_for_each_shell() {
    let site = site();
    for shell in ["bash", "zsh", "fish"] {
        let run = site.run(&["completions", shell]).ok();
        assert!(run.stdout.contains("tribune"), "{shell}");
        assert!(run.stdout.contains("check"), "{shell}");
    }
    site.run(&["completions", "tcsh"])
        .fails(2, &["invalid value"]);
}
