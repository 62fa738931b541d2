//! `tribune check`: every problem at once, each with its file and line, and nothing written.

use std::path::Path;

use crate::Site;

/// A site with one good post to link to.
fn site() -> Site {
    let site = Site::new();
    site.post(
        "cible",
        "title = \"Cible\"\ndate = 2026-01-01",
        "Texte.\n\n## Une partie\n\nSuite.\n",
    );
    site
}

#[test]
fn the_demo_site_has_no_problem() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A notation of its own in a code block is worth a warning, not an error.
    assert!(
        stdout.starts_with("No problems found") || stdout.starts_with("No errors, "),
        "{stdout}"
    );
}

#[test]
fn every_front_matter_problem_of_every_file_in_one_run() {
    let site = Site::with_config(
        "title = \"C\"\nbase_url = \"https://e.org/\"\ntaxonomies = [\"tags\", \"themes\", \"series\"]\n",
    );
    site.post(
        "a",
        "title = \"A\"\ndate = 2026-01-01\nmood = \"x\"\nseries = [\"s\"]\ntgas = [\"t\"]\ndraft = \"oui\"",
        "x\n",
    );
    // A misspelt key often makes others look missing: those come once it is fixed.
    site.post(
        "b",
        "titel = \"B\"\ndate = 2026-01-01\nautor = \"Z\"",
        "x\n",
    );
    site.post("c", "title = \"C\"\ndate = \"le 3 mars\"", "x\n");
    let before = site.tree("");
    let run = site.run(&["check"]).fails(
        1,
        &[
            "error: content/posts/a.md:4: unknown field `mood`",
            "the `[extra]` table",
            "error: content/posts/a.md:5: unknown field `series`",
            "[taxonomies] series = [",
            "error: content/posts/a.md:6: unknown field `tgas`",
            "did you mean `tags`?",
            "error: content/posts/a.md:7: `draft` must be true or false, not a string",
            "error: content/posts/b.md:2: unknown field `titel`",
            "error: content/posts/b.md:4: unknown field `autor`",
            "error: content/posts/c.md:3: `date`: `le 3 mars` is not a date",
            "Found 7 problems in 3 files",
        ],
    );
    assert!(!run.stderr.contains("`title` is missing"), "{}", run.stderr);
    let order: Vec<usize> = [
        "a.md:4", "a.md:5", "a.md:6", "a.md:7", "b.md:2", "b.md:4", "c.md:3",
    ]
    .iter()
    .map(|p| run.stderr.find(p).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", run.stderr);
    assert_eq!(site.tree(""), before, "check writes nothing");
}

#[test]
fn links_anchors_files_and_unpublished_posts() {
    let site = site();
    site.post(
        "brouillon",
        "title = \"B\"\ndate = 2026-01-01\ndraft = true",
        "x\n",
    );
    site.post("demain", "title = \"D\"\ndate = 2026-12-25", "x\n");
    site.post(
        "liens",
        "title = \"Liens\"\ndate = 2026-02-01",
        "Bon : [ok](/posts/cible/#une-partie), [ici](#en-bas), [tags](/tags/).\n\n\
         [perdu](/posts/cibel/) et [ancre](/posts/cible/#partie).\n\
         ![image](absente.png)\n\n\
         [brouillon](/posts/brouillon/) puis [futur](../demain/).\n\n## En bas\n",
    );
    // A post scheduled after its target may link to it; before it, not.
    site.post(
        "plus-tard",
        "title = \"P\"\ndate = 2027-01-01",
        "[futur](/posts/demain/)\n",
    );
    site.post(
        "trop-tot",
        "title = \"T\"\ndate = 2026-12-01",
        "[futur](/posts/demain/)\n",
    );
    let run = site.run(&["check"]).fails(
        1,
        &[
            "content/posts/liens.md:7: links to /posts/cibel/, but the site has no such page",
            "did you mean /posts/cible/?",
            "content/posts/liens.md:7: links to /posts/cible/#partie, but that page has no `partie` anchor",
            "did you mean #une-partie?",
            "content/posts/liens.md:8: links to absente.png, but the site has no such file",
            "content/posts/liens.md:10: links to /posts/brouillon/, which is a draft (content/posts/brouillon.md)",
            "content/posts/liens.md:10: links to ../demain/, which is scheduled (content/posts/demain.md)",
            "content/posts/trop-tot.md:5: links to /posts/demain/, which is scheduled when this post goes live",
            "Found 6 problems in 2 files",
        ],
    );
    // The caret sits under the link.
    assert!(
        run.stderr.contains("7 | [perdu](/posts/cibel/) et [ancre](/posts/cible/#partie).\n  | ^^^^^^^^^^^^^^^^^^^^^^"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("plus-tard.md"), "{}", run.stderr);
}

#[test]
fn shortcodes_templates_and_social_texts() {
    let site = Site::with_config(&format!(
        "{}[social]\n[social.schedule]\ndays = [\"mon\"]\ntimes = [\"09:00\"]\n[social.channels.bluesky]\nlimit = 40\n",
        "title = \"C\"\nbase_url = \"https://e.org/\"\n"
    ));
    site.post(
        "court",
        "title = \"Court\"\ndate = 2026-11-20\n[[social.posts]]\ntext = \"Un message écrit à la main bien trop long pour ce réseau\"",
        "x\n",
    );
    site.post(
        "code",
        "title = \"Code\"\ndate = 2026-01-01\ndraft = true",
        "Un\n\n[inconnu]texte[/inconnu]\n",
    );
    site.run(&["check"]).fails(
        1,
        &[
            "content/posts/code.md:8: unknown shortcode `inconnu`",
            "content/posts/court.md",
            "limit is 40",
        ],
    );
}

/// Serves `/ok` (200), `/gone` (404) and `/head-refused` (405 to HEAD, 200 to GET) on a
/// loopback port until `requests` have been answered.
fn serve(requests: usize) -> (String, std::thread::JoinHandle<()>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let handle = std::thread::spawn(move || {
        for _ in 0..requests {
            let Ok(Some(request)) = server.recv_timeout(std::time::Duration::from_secs(20)) else {
                return;
            };
            let code = match (request.method(), request.url()) {
                (_, "/ok") => 200,
                (tiny_http::Method::Head, "/head-refused") => 405,
                (_, "/head-refused") => 200,
                _ => 404,
            };
            let _ = request.respond(tiny_http::Response::empty(code));
        }
    });
    (base, handle)
}

#[test]
fn external_links_are_checked_with_a_timeout_and_remembered() {
    let (base, server) = serve(5);
    // A host that accepts a connection and never answers (for at most a few seconds).
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    silent.set_nonblocking(true).unwrap();
    let silent_url = format!("http://{}/", silent.local_addr().unwrap());
    let keep = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            if let Ok((stream, _)) = silent.accept() {
                std::thread::sleep(std::time::Duration::from_secs(3));
                drop(stream);
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    });
    let site = site();
    site.post(
        "dehors",
        "title = \"Dehors\"\ndate = 2026-02-01",
        &format!("[a]({base}/ok) [b]({base}/gone)\n\n[c]({base}/head-refused) [d]({silent_url})\n"),
    );
    site.run(&["check"]).ok();
    let run = site.run(&["check", "--external", "--timeout", "1"]).fails(
        1,
        &[
            &format!("content/posts/dehors.md:5: the link to {base}/gone is broken: the site answered 404 Not Found"),
            &format!("content/posts/dehors.md:7: the link to {silent_url} is broken: no answer within 1 s"),
            "Found 2 problems in 1 file (2 posts and 0 pages, 4 external links checked)",
        ],
    );
    assert!(!run.stderr.contains("/ok is broken"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("head-refused is broken"),
        "{}",
        run.stderr
    );
    server.join().unwrap();
    keep.join().unwrap();
    let cache = std::fs::read_to_string(site.root().join(".tribune/links.json")).unwrap();
    assert!(cache.contains(&format!("{base}/ok")), "{cache}");
    assert!(!cache.contains("/gone"), "{cache}");
    // The server is gone: the working links come from the cache, the others are asked again.
    site.run(&["check", "--external", "--timeout", "1"])
        .fails(1, &[&format!("{base}/gone is broken: cannot reach it")]);
}

#[test]
fn warnings_are_counted_on_the_last_line() {
    let site = site();
    site.post(
        "code",
        "title = \"Code\"\ndate = 2026-01-02",
        "```pyhton\nprint(1)\n```\n\n```mermaid\ngraph TD\n```\n\n```text\nplain on purpose\n```\n",
    );
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr.contains(
            "warning: content/posts/code.md:5: Tribune does not know the language `pyhton`: this code block is not highlighted\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("  |    ^^^^^^\n"), "{}", run.stderr);
    assert!(run.stderr.contains("  hint: did you mean `python`?\n"));
    assert!(run.stderr.contains(
        "warning: content/posts/code.md:9: Tribune does not know the language `mermaid`"
    ));
    assert!(run.stderr.contains(
        "  hint: write a language Tribune highlights (rust, python, toml, ts, console…), or `text` for plain text\n"
    ));
    assert!(!run.stderr.contains("`text`:"), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("No errors, 2 warnings (2 posts and 0 pages checked) in "),
        "{}",
        run.stdout
    );
    // The block stays plain text.
    site.build();
    let html = site.read("posts/code/index.html");
    assert!(
        html.contains(
            "<pre class=\"code hl-code\" data-lang=\"pyhton\" tabindex=\"0\"><code>print(1)\n</code></pre>"
        ),
        "{html}"
    );

    // With an error too, the last line counts both.
    site.post(
        "casse",
        "title = \"Cassé\"\ndate = 2026-01-02",
        "[nope /]\n",
    );
    site.run(&["check"]).fails(
        1,
        &["Found 1 problem in 1 file, and 2 warnings (3 posts and 0 pages checked)."],
    );
}
