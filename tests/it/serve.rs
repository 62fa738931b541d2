//! `tribune serve`: the incremental build in memory, and the server a writer keeps open.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tribune::BuildOptions;
use tribune::Overrides;
use tribune::Preview;

use crate::{NOW, Site, png, tree};

const BASE: &str = "http://127.0.0.1:9999/";

fn blog() -> Site {
    let site = Site::new();
    site.post(
        "premier",
        "title = \"Premier billet\"\ndate = 2026-01-10\ntags = [\"écriture\", \"web\"]",
        "Le premier texte.\n\n```rust\nfn main() {}\n```\n",
    )
    .post(
        "deuxieme",
        "title = \"Deuxième billet\"\ndate = 2026-02-10\ntags = [\"web\"]",
        "Le deuxième texte.",
    )
    .post(
        "troisieme",
        "title = \"Troisième billet\"\ndate = 2025-03-10\ntags = [\"écriture\"]\nthemes = [\"Métiers\"]",
        "Le troisième texte, [pullquote]une phrase à retenir[/pullquote] au milieu.",
    )
    .post(
        "demain",
        "title = \"Billet programmé\"\ndate = 2027-01-05",
        "Pas encore publié.",
    )
    .post(
        "brouillon",
        "title = \"Un brouillon\"\ndate = 2026-03-01\ndraft = true",
        "En cours.",
    )
    .file("content/about.md", "+++\ntitle = \"À propos\"\n+++\nQui écrit ici.")
    .file("static/extra.css", "body { color: black; }\n");
    site
}

fn preview_options(site: &Site) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        overrides: Overrides {
            output: None,
            base_url: Some(BASE.to_string()),
        },
        now: Some(NOW.to_string()),
        source_date_epoch: None,
        drafts: true,
        future: true,
        expired: false,
        strict: false,
    }
}

/// The errors of a rebuild after a save of `file`, which must fail.
fn refusal(preview: &mut Preview, site: &Site, file: &str) -> String {
    let saved = [site.root().join(file)];
    preview.rebuild_after(&saved).unwrap_err().to_string()
}

fn files(preview: &Preview) -> BTreeMap<String, Vec<u8>> {
    let snapshot = preview.snapshot();
    snapshot
        .paths()
        .into_iter()
        .map(|p| (p.to_string(), snapshot.get(p).unwrap().to_vec()))
        .collect()
}

/// Two previews of one site: one checks every file on rebuild, the other is told what changed,
/// as the server's watcher tells it.
struct Previews {
    checked: Preview,
    told: Preview,
}

impl Previews {
    fn new(site: &Site) -> Previews {
        let mut previews = Previews {
            checked: Preview::new(preview_options(site)),
            told: Preview::new(preview_options(site)),
        };
        previews.checked.rebuild().unwrap();
        previews.told.rebuild().unwrap();
        previews
    }

    /// Rebuilds both after `changes` (paths in the site) and checks them against a build from
    /// scratch; returns how many files the rebuild rendered.
    fn rebuild(&mut self, site: &Site, changes: &[&str], step: &str) -> usize {
        let rendered = self
            .checked
            .rebuild()
            .unwrap_or_else(|e| panic!("{step}: {e}"))
            .rendered;
        let changes: Vec<_> = changes.iter().map(|c| site.root().join(c)).collect();
        let told = self
            .told
            .rebuild_after(&changes)
            .unwrap_or_else(|e| panic!("{step}: {e}"))
            .rendered;
        assert_eq!(rendered, told, "{step}: both render the same files");
        let mut fresh = Preview::new(preview_options(site));
        fresh.rebuild().unwrap();
        let full = files(&fresh);
        for (how, preview) in [("checked", &self.checked), ("told", &self.told)] {
            let incremental = files(preview);
            assert_eq!(
                incremental.keys().collect::<Vec<_>>(),
                full.keys().collect::<Vec<_>>(),
                "{step} ({how}): same files"
            );
            for (path, bytes) in &full {
                assert!(
                    incremental[path] == *bytes,
                    "{step} ({how}): {path} differs from a full build:\n{}\n---\n{}",
                    String::from_utf8_lossy(&incremental[path]),
                    String::from_utf8_lossy(bytes)
                );
            }
        }
        rendered
    }
}

#[test]
fn the_incremental_preview_equals_a_full_build_after_every_edit() {
    let site = blog();
    let mut previews = Previews::new(&site);
    let all = files(&previews.checked).len();

    // The in-memory build is the `build` command's output for the same settings.
    site.run(&["build", "--drafts", "--future", "--base-url", BASE])
        .ok();
    let mut disk = site.tree("public");
    disk.remove(".tribune-output");
    assert_eq!(
        files(&previews.checked),
        disk,
        "same bytes as `tribune build`"
    );

    // A new body re-renders that post and the pages that list it, not the whole site.
    site.post(
        "deuxieme",
        "title = \"Deuxième billet\"\ndate = 2026-02-10\ntags = [\"web\"]",
        "Le deuxième texte, revu et corrigé.",
    );
    let rendered = previews.rebuild(&site, &["content/posts/deuxieme.md"], "edit a body");
    assert!(rendered > 0 && rendered < all / 2, "{rendered} of {all}");
    assert!(
        String::from_utf8(
            previews
                .told
                .snapshot()
                .get("posts/deuxieme/index.html")
                .unwrap()
                .to_vec()
        )
        .unwrap()
        .contains("revu et corrigé")
    );

    // Nothing changed: nothing rendered.
    assert_eq!(previews.rebuild(&site, &[], "no change"), 0);

    site.post(
        "nouveau",
        "title = \"Nouveau billet\"\ndate = 2026-04-01\ntags = [\"nouveauté\"]",
        "Tout neuf.",
    );
    previews.rebuild(&site, &["content/posts/nouveau.md"], "create a post");

    let text = std::fs::read_to_string(site.root().join("content/posts/nouveau.md")).unwrap();
    site.remove("content/posts/nouveau.md")
        .file("content/posts/renomme.md", &text);
    previews.rebuild(
        &site,
        &["content/posts/nouveau.md", "content/posts/renomme.md"],
        "rename a post",
    );

    site.post(
        "troisieme",
        "title = \"Troisième billet, nouveau titre\"\ndate = 2025-03-10\ntags = [\"web\"]\nthemes = [\"Métiers\"]",
        "Le troisième texte.",
    );
    previews.rebuild(
        &site,
        &["content/posts/troisieme.md"],
        "retitle and retag a post",
    );

    site.remove("content/posts/premier.md");
    previews.rebuild(&site, &["content/posts/premier.md"], "delete a post");

    // A bundle, then a new cover image: its size is part of the post.
    site.file(
        "content/posts/album/index.md",
        "+++\ntitle = \"Album\"\ndate = 2026-06-01\nimage = \"cover.png\"\n+++\nDes photos.\n\n![Le port](port.png)\n",
    )
    .bytes("content/posts/album/cover.png", &png(100, 50))
    .bytes("content/posts/album/port.png", &png(600, 200));
    previews.rebuild(
        &site,
        &[
            "content/posts/album",
            "content/posts/album/index.md",
            "content/posts/album/cover.png",
        ],
        "add a bundle",
    );
    site.bytes("content/posts/album/cover.png", &png(1200, 630));
    previews.rebuild(
        &site,
        &["content/posts/album/cover.png"],
        "replace a cover image",
    );
    let page = files(&previews.told)["posts/album/index.html"].clone();
    assert!(
        String::from_utf8(page)
            .unwrap()
            .contains("content=\"1200\""),
        "the new size is in the page"
    );

    // A body image replaced by a larger one: new widths, new variants, the page says so.
    site.bytes("content/posts/album/port.png", &png(900, 300));
    previews.rebuild(
        &site,
        &["content/posts/album/port.png"],
        "replace a body image",
    );
    let page = String::from_utf8(files(&previews.told)["posts/album/index.html"].clone()).unwrap();
    assert!(page.contains(r#"width="900" height="300""#), "{page}");
    assert!(page.contains("port-480w.webp 480w, port-800w.webp 800w, port.webp 900w"));
    assert!(files(&previews.told).contains_key("posts/album/port-800w.png"));

    site.file(
        "templates/post.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}",
    );
    let rendered = previews.rebuild(
        &site,
        &["templates/post.html", "templates"],
        "override the post template",
    );
    assert!(
        rendered < all / 2,
        "a post template change re-renders post pages only: {rendered}"
    );

    site.file(
        "templates/card.html",
        "<article class=\"card custom-card\">{{ post.title }}</article>",
    );
    previews.rebuild(
        &site,
        &["templates/card.html", "templates"],
        "override the card template",
    );
    let home = String::from_utf8(files(&previews.told)["index.html"].clone()).unwrap();
    assert!(home.contains("custom-card"), "the new cards are listed");

    // A post saved after the templates changed shows in the new ones: a save of content only
    // uses the theme as the save before it loaded it.
    let album = std::fs::read_to_string(site.root().join("content/posts/album/index.md")).unwrap();
    site.file(
        "content/posts/album/index.md",
        &format!("{album}\nUne phrase de plus.\n"),
    );
    previews.rebuild(
        &site,
        &["content/posts/album/index.md"],
        "edit a post after the templates",
    );
    let page = String::from_utf8(files(&previews.told)["posts/album/index.html"].clone()).unwrap();
    assert!(
        page.contains("class=\"custom\"") && page.contains("Une phrase de plus."),
        "{page}"
    );

    site.file("static/extra.css", "body { color: navy; }\n");
    assert_eq!(
        previews.rebuild(&site, &["static/extra.css"], "edit a stylesheet"),
        1
    );

    site.file(
        "site.toml",
        "title = \"Le Carnet, deuxième\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\nauthor = \"Camille\"\n",
    );
    let rendered = previews.rebuild(&site, &["site.toml"], "change site.toml");
    assert_eq!(
        rendered,
        files(&previews.checked).len(),
        "site.toml re-renders all"
    );
}

/// On a site in two languages, adding, editing and removing a translation, and declaring a
/// third language, re-render what they touch (both versions' alternates, each language's
/// listings) exactly as a full build would.
#[test]
fn the_preview_follows_translations_in_every_language() {
    let site = blog();
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.file(
        "site.toml",
        &format!("{config}\n[languages.en]\ntitle = \"The Notebook\"\n"),
    );
    site.post(
        "only",
        "title = \"English only\"\ndate = 2026-01-12\nlang = \"en\"",
        "Text.\n",
    );
    let mut previews = Previews::new(&site);
    let french = |previews: &Previews| {
        String::from_utf8(files(&previews.checked)["posts/premier/index.html"].clone()).unwrap()
    };
    assert!(!french(&previews).contains("hreflang=\"en\" href"));

    site.post(
        "premier.en",
        "title = \"First post\"\ndate = 2026-01-10\ntags = [\"web\"]",
        "The first text.\n",
    );
    previews.rebuild(
        &site,
        &["content/posts/premier.en.md"],
        "a translation added",
    );
    assert!(french(&previews).contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"http://127.0.0.1:9999/en/posts/premier/\">"
    ));
    assert!(files(&previews.checked).contains_key("en/posts/premier/index.html"));

    site.post(
        "premier.en",
        "title = \"The first post\"\nslug = \"first\"\ndate = 2026-01-10\ntags = [\"web\"]",
        "The first text.\n",
    );
    previews.rebuild(&site, &["content/posts/premier.en.md"], "its slug changed");
    assert!(french(&previews).contains("/en/posts/first/"));

    site.file(
        "site.toml",
        &format!("{config}\n[languages.en]\ntitle = \"The Notebook\"\n[languages.de]\ntitle = \"Das Notizbuch\"\n"),
    );
    previews.rebuild(&site, &["site.toml"], "a third language");
    assert!(files(&previews.checked).contains_key("de/index.html"));

    site.remove("content/posts/premier.en.md");
    previews.rebuild(
        &site,
        &["content/posts/premier.en.md"],
        "the translation removed",
    );
    assert!(!french(&previews).contains("/en/posts/first/"));
}

#[test]
fn a_broken_save_keeps_the_last_good_preview() {
    let site = blog();
    let mut preview = Preview::new(preview_options(&site));
    preview.rebuild().unwrap();
    let before = files(&preview);
    site.post("deuxieme", "title = \"Deuxième\"\ndate = 2026-02-31", "x");
    let errors = refusal(&mut preview, &site, "content/posts/deuxieme.md");
    assert!(errors.contains("content/posts/deuxieme.md:3"), "{errors}");
    assert_eq!(files(&preview), before);
    // Saving another file does not hide the broken one.
    site.post("premier", "title = \"Premier\"\ndate = 2026-01-10", "y");
    let errors = refusal(&mut preview, &site, "content/posts/premier.md");
    assert!(errors.contains("content/posts/deuxieme.md:3"), "{errors}");
    assert_eq!(files(&preview), before);
}

#[test]
fn a_save_whose_files_clash_is_refused_and_the_mended_save_equals_a_full_build() {
    let site = blog();
    let mut previews = Previews::new(&site);
    // An alias onto the tags list: the save's files are refused once planned, while the
    // search index, beside the plan, has taken the edit in.
    site.post(
        "deuxieme",
        "title = \"Deuxième billet\"\ndate = 2026-02-10\naliases = [\"/tags/\"]",
        "Le deuxième texte, avec un zéphyr.",
    );
    let clash = "all write /tags/index.html";
    let checked = previews.checked.rebuild().unwrap_err().to_string();
    assert!(checked.contains(clash), "{checked}");
    let told = refusal(&mut previews.told, &site, "content/posts/deuxieme.md");
    assert!(told.contains(clash), "{told}");
    // Mended, the next save's output, search files included, is a full build's.
    site.post(
        "deuxieme",
        "title = \"Deuxième billet\"\ndate = 2026-02-10",
        "Le deuxième texte, avec un zéphyr.",
    );
    previews.rebuild(&site, &["content/posts/deuxieme.md"], "mended");
}

#[test]
fn a_theme_that_does_not_load_is_not_forgotten_by_the_next_save_of_a_post() {
    let site = blog();
    let mut preview = Preview::new(preview_options(&site));
    preview.rebuild().unwrap();
    let before = files(&preview);
    site.bytes("templates/post.html", b"<h1>\xff</h1>");
    let errors = refusal(&mut preview, &site, "templates/post.html");
    assert!(errors.contains("templates/post.html"), "{errors}");
    // A save of content only reuses the theme the last save loaded: none loaded, it is read
    // again and still refused.
    site.post("premier", "title = \"Premier\"\ndate = 2026-01-10", "y");
    let errors = refusal(&mut preview, &site, "content/posts/premier.md");
    assert!(errors.contains("templates/post.html"), "{errors}");
    assert_eq!(files(&preview), before);
}

/// A `tribune serve` process, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    stdout: std::sync::mpsc::Receiver<String>,
    stderr: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Site, args: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tribune"));
        command
            .arg("serve")
            .args(args)
            .args(["--root"])
            .arg(site.root())
            .args(["--now", NOW])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Tests started in the background (`cargo test &`) ignore Ctrl-C, as a shell without job
        // control sets them to, and the server would inherit that: it gets Ctrl-C as from a
        // terminal.
        #[cfg(unix)]
        // SAFETY: between fork and exec, `signal` only sets one signal's action of the child.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut command, || {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = command.spawn().unwrap();
        let (tx, stderr) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("the server prints its address")
                .unwrap();
            if let Some(rest) = line.strip_prefix("Serving the site at ") {
                break rest.split(' ').next().unwrap().to_string();
            }
        };
        // Keep reading so that the server never blocks on a full pipe.
        let (tx, stdout) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Server {
            child,
            url,
            stdout,
            stderr,
        }
    }

    /// The next line the server prints on `stream` that contains `part`, within ten seconds.
    fn said(stream: &std::sync::mpsc::Receiver<String>, part: &str) -> String {
        let start = Instant::now();
        loop {
            let left = Duration::from_secs(10).saturating_sub(start.elapsed());
            match stream.recv_timeout(left) {
                Ok(line) if line.contains(part) => return line,
                Ok(_) => {}
                Err(_) => panic!("the server never said {part:?}"),
            }
        }
    }

    fn get(&self, path: &str) -> Response {
        get(&self.url, path)
    }

    /// Fetches `path` until `check` holds, for at most ten seconds.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{what}: still not served after 10 s:\n{}",
                response.body
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn get(url: &str, path: &str) -> Response {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap();
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

#[test]
fn serves_the_site_from_memory_with_pretty_urls_and_no_caching() {
    let site = blog();
    site.file("secret.txt", "not for the web");
    let server = Server::start(&site, &["--port", "0"]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    assert!(home.body.contains("Premier billet"));
    assert!(
        home.body
            .contains("<script src=\"/__tribune/reload.js\"></script>\n</body>")
    );
    // Scheduled posts are previewed with a badge; drafts only with --drafts.
    assert!(home.body.contains("Billet programmé"));
    assert!(home.body.contains("badge-scheduled\">Programmé<"));
    assert!(!home.body.contains("Un brouillon"));
    // Links point at the local server.
    assert!(
        home.body
            .contains(&format!("href=\"{}rss.xml\"", server.url))
    );

    let post = server.get("/posts/premier/");
    assert_eq!(post.status, 200);
    assert!(post.body.contains("Le premier texte."));
    let bare = server.get("/posts/premier");
    assert_eq!(bare.status, 301);
    assert_eq!(bare.header("Location"), Some("/posts/premier/"));
    let css = server.get("/extra.css");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("reload.js"), "only HTML gets the script");
    assert_eq!(
        server.get("/rss.xml").header("Content-Type"),
        Some("text/xml; charset=utf-8")
    );

    let missing = server.get("/nulle-part/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page introuvable"),
        "the site's 404 page"
    );
    for attack in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/posts/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/../../../../etc/passwd",
        "/posts/",
    ] {
        let response = server.get(attack);
        assert_eq!(response.status, 404, "{attack}");
        assert!(!response.body.contains("not for the web"), "{attack}");
        assert!(!response.body.contains("root:"), "{attack}");
    }
    assert!(!site.root().join("public").exists(), "serve writes nothing");
    assert!(
        !site.root().join(".tribune").exists(),
        "serve writes nothing"
    );
}

#[test]
fn drafts_are_previewed_with_a_badge_when_asked() {
    let site = blog();
    let server = Server::start(&site, &["--port", "0", "--drafts"]);
    let page = server.get("/posts/brouillon/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("badge-draft\">Brouillon<"),
        "{}",
        page.body
    );
}

#[test]
fn saves_are_served_and_broken_saves_show_an_overlay_over_the_last_good_build() {
    let site = blog();
    let server = Server::start(&site, &["--port", "0"]);
    let mut events = TcpStream::connect(
        server
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/'),
    )
    .unwrap();
    write!(events, "GET /__tribune/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut events = BufReader::new(events);
    let next_event = |events: &mut BufReader<TcpStream>| loop {
        let mut line = String::new();
        assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
        if let Some(name) = line.strip_prefix("event: ") {
            return name.trim().to_string();
        }
    };
    let head = {
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            events.read_line(&mut head).unwrap();
        }
        head
    };
    assert!(head.contains("text/event-stream"), "{head}");
    // The stream is registered once its first line is sent.
    let mut retry = String::new();
    events.read_line(&mut retry).unwrap();
    assert_eq!(retry, "retry: 500\n");

    site.post(
        "premier",
        "title = \"Premier billet\"\ndate = 2026-01-10\ntags = [\"écriture\", \"web\"]",
        "Un texte tout neuf.",
    );
    server.wait_for("/posts/premier/", "the edit", |r| {
        r.body.contains("Un texte tout neuf.")
    });
    assert_eq!(next_event(&mut events), "reload");
    // One line per rebuild: what changed, how much was rendered, how long it took.
    let line = Server::said(&server.stdout, "content/posts/premier.md: ");
    assert!(
        line.contains(" files re-rendered in ") && line.ends_with(" ms."),
        "{line}"
    );

    site.file("static/extra.css", "body { color: navy; }\n");
    server.wait_for("/extra.css", "the stylesheet", |r| r.body.contains("navy"));
    assert_eq!(
        next_event(&mut events),
        "css",
        "CSS alone swaps stylesheets"
    );

    // A bad date: the old page is still served, under an overlay naming file and line.
    site.post(
        "premier",
        "title = \"Premier billet\"\ndate = 2026-13-10",
        "Cassé.",
    );
    let broken = server.wait_for("/posts/premier/", "the overlay", |r| {
        r.body.contains("tribune-error")
    });
    assert_eq!(broken.status, 200);
    assert!(
        broken.body.contains("Un texte tout neuf."),
        "the last good build"
    );
    assert!(
        broken.body.contains("content/posts/premier.md:3"),
        "{}",
        broken.body
    );
    assert!(
        server.get("/").body.contains("tribune-error"),
        "every page shows it"
    );
    assert_eq!(next_event(&mut events), "reload");
    let logged = Server::said(&server.stderr, "premier.md:3");
    assert!(logged.starts_with("error: "), "{logged}");

    // Fixed: the overlay goes, the new text comes.
    site.post(
        "premier",
        "title = \"Premier billet\"\ndate = 2026-01-10",
        "Réparé.",
    );
    let fixed = server.wait_for("/posts/premier/", "the fix", |r| r.body.contains("Réparé."));
    assert!(!fixed.body.contains("tribune-error"));
    assert_eq!(next_event(&mut events), "reload");

    // Editors' swap files and atomic saves.
    site.file("content/posts/.premier.md.swp", "garbage");
    site.file("content/posts/premier.md~", "garbage");
    site.file("content/posts/4913", "");
    let temp = site.root().join("content/posts/premier.md.tmp");
    std::fs::write(
        &temp,
        "+++\ntitle = \"Premier billet\"\ndate = 2026-01-10\n+++\nSauvé atomiquement.",
    )
    .unwrap();
    std::fs::rename(&temp, site.root().join("content/posts/premier.md")).unwrap();
    server.wait_for("/posts/premier/", "the atomic save", |r| {
        r.body.contains("Sauvé atomiquement.")
    });
    assert!(server.get("/").status == 200);

    // A post created and another deleted while serving.
    site.post(
        "neuf",
        "title = \"Tout neuf\"\ndate = 2026-05-01",
        "Bonjour.",
    );
    site.remove("content/posts/deuxieme.md");
    server.wait_for("/posts/neuf/", "the new post", |r| r.status == 200);
    server.wait_for("/posts/deuxieme/", "the deleted post", |r| r.status == 404);
}

#[test]
fn takes_the_next_port_when_the_asked_one_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = blog();
    let server = Server::start(&site, &["--port", &port.to_string()]);
    assert_ne!(server.url, format!("http://127.0.0.1:{port}/"));
    let said = server.stderr.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(said.contains(&format!("Port {port} is taken")), "{said}");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn the_build_command_never_carries_the_reload_script() {
    let site = blog();
    site.build();
    for (path, bytes) in tree(&site.root().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__tribune"), "{path}");
    }
}

#[test]
fn warns_when_listening_beyond_loopback_and_refuses_other_methods() {
    let site = blog();
    let server = Server::start(&site, &["--port", "0", "--bind", "0.0.0.0"]);
    let warning = Server::said(&server.stderr, "warning: listening on 0.0.0.0");
    assert!(warning.contains("drafts included"), "{warning}");
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let address = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_leaves_nothing_behind() {
    let site = blog();
    let before = tree(site.root());
    let mut server = Server::start(&site, &["--port", "0"]);
    assert_eq!(server.get("/").status, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    while server.child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        tree(site.root()),
        before,
        "no file written, changed or removed"
    );
}

#[test]
fn a_site_that_does_not_build_yet_is_served_its_error_until_a_save_fixes_it() {
    let site = blog();
    let good = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.file("site.toml", &format!("{good}titel = \"typo\"\n"));
    let server = Server::start(&site, &["--port", "0"]);
    Server::said(&server.stderr, "does not build yet");
    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("tribune-error"), "{}", page.body);
    assert!(page.body.contains("site.toml:6"), "{}", page.body);
    assert!(
        page.body.contains("reload.js"),
        "the page reloads itself once fixed"
    );

    site.file("site.toml", &good);
    let fixed = server.wait_for("/", "the fixed site", |r| r.status == 200);
    assert!(fixed.body.contains("Premier billet"));
    assert!(!fixed.body.contains("tribune-error"));
}

#[test]
fn inputs_that_once_crashed_a_build_show_their_error_and_the_server_goes_on() {
    let site = blog();
    let server = Server::start(&site, &["--port", "0"]);
    server.wait_for("/posts/premier/", "the first build", |r| r.status == 200);
    let tags: Vec<String> = (0..150).map(|i| format!("\"t{i}\"")).collect();
    let cases: Vec<(&str, String, String, &str)> = vec![
        (
            "content/posts/premier.md",
            "title = \"Premier billet\"\ndate = \"-0044-03-15\"".to_string(),
            "x".to_string(),
            "content/posts/premier.md:3",
        ),
        (
            "content/posts/premier.md",
            format!(
                "title = \"Premier billet\"\ndate = 2026-01-10\ntags = [{}]",
                tags.join(",")
            ),
            "x".to_string(),
            "at most 100",
        ),
        (
            "content/posts/premier.md",
            "title = \"Premier billet\"\ndate = 2026-01-10".to_string(),
            format!("{}x{}", "[pullquote]".repeat(30), "[/pullquote]".repeat(30)),
            "nested more than 16 deep",
        ),
        (
            "content/posts/premier.md",
            "title = \"Premier billet\\u0007\"\ndate = 2026-01-10".to_string(),
            "x".to_string(),
            "U+0007",
        ),
    ];
    for (k, (file, front, body, expected)) in cases.into_iter().enumerate() {
        site.file(file, &format!("+++\n{front}\n+++\n{body}\n"));
        server.wait_for("/", expected, |r| {
            r.body.contains("tribune-error") && r.body.contains(expected)
        });
        // Fixed again: the overlay goes.
        site.post(
            "premier",
            "title = \"Premier billet\"\ndate = 2026-01-10",
            &format!("Réparé {k}."),
        );
        server.wait_for("/posts/premier/", "the fix", |r| {
            r.body.contains(&format!("Réparé {k}.")) && !r.body.contains("tribune-error")
        });
    }
    // A component that calls itself, in a template.
    site.file(
        "templates/rec.html",
        "{% component again(n) %}{{<again n={n+1} />}}{% endcomponent again %}",
    );
    site.file("templates/page.html", "{{<again n={1} />}}");
    server.wait_for("/", "the template error", |r| {
        r.body.contains("tribune-error") && r.body.contains("more than 20 deep")
    });
    std::fs::remove_file(site.root().join("templates/page.html")).unwrap();
    server.wait_for("/", "the fix", |r| !r.body.contains("tribune-error"));
}

#[test]
fn a_comment_edit_re_renders_its_post_page() {
    let site = blog();
    site.file(
        "content/posts/premier.comments.toml",
        "[[comment]]\nid = \"1\"\nauthor = \"Léa\"\ndate = 2026-01-11T10:00:00+01:00\ntext = \"Merci !\"\n",
    );
    let mut previews = Previews::new(&site);
    let page = "posts/premier/index.html";
    assert!(String::from_utf8_lossy(&files(&previews.checked)[page]).contains("Merci !"));
    site.file(
        "content/posts/premier.comments.toml",
        "[[comment]]\nid = \"1\"\nauthor = \"Léa\"\ndate = 2026-01-11T10:00:00+01:00\ntext = \"Merci beaucoup !\"\n\n[[comment]]\nid = \"2\"\nparent = \"1\"\nauthor = \"Camille\"\ntext = \"Avec plaisir.\"\n",
    );
    let rendered = previews.rebuild(&site, &["content/posts/premier.comments.toml"], "edit");
    assert!(rendered >= 1);
    let html = String::from_utf8_lossy(&files(&previews.told)[page]).into_owned();
    assert!(
        html.contains("Merci beaucoup !") && html.contains("Avec plaisir."),
        "{html}"
    );
    assert!(html.contains("\"commentCount\":2"));
    site.remove("content/posts/premier.comments.toml");
    previews.rebuild(&site, &["content/posts/premier.comments.toml"], "remove");
    assert!(!String::from_utf8_lossy(&files(&previews.told)[page]).contains("Merci"));
    site.file(
        "content/posts/deuxieme.comments.toml",
        "[[comment]]\nid = \"a\"\nauthor = \"Noé\"\ntext = \"Premier commentaire.\"\n",
    );
    previews.rebuild(&site, &["content/posts/deuxieme.comments.toml"], "create");
    let html = files(&previews.told)["posts/deuxieme/index.html"].clone();
    assert!(String::from_utf8_lossy(&html).contains("Premier commentaire."));
}

/// A Hugo shortcode saved into a post is pointed out at that save, the posts not saved keep
/// theirs, and one taken out of a post goes with it.
#[test]
fn the_preview_points_out_hugo_shortcodes_as_posts_are_saved() {
    let site = blog();
    site.post(
        "ancien",
        "title = \"Ancien\"\ndate = 2026-01-05",
        "Avant.\n\n{{< youtube abc >}}\n",
    );
    let mut preview = Preview::new(preview_options(&site));
    let shortcodes = |notes: &[tribune::error::Diagnostic]| -> Vec<String> {
        notes
            .iter()
            .filter(|n| n.message.starts_with("Hugo shortcode"))
            .map(|n| format!("{}:{}", n.path.as_ref().unwrap().display(), n.line.unwrap()))
            .collect()
    };
    let first = preview.rebuild().unwrap();
    assert_eq!(shortcodes(&first.notes), ["content/posts/ancien.md:7"]);
    // Saves `name` with `front` and `body`; the shortcodes the preview then points out.
    let mut save = |name: &str, front: &str, body: &str| {
        site.post(name, front, body);
        let saved = [site.root().join(format!("content/posts/{name}.md"))];
        let mut found = shortcodes(&preview.rebuild_after(&saved).unwrap().notes);
        found.sort();
        found
    };

    let second = save(
        "premier",
        "title = \"Premier billet\"\ndate = 2026-01-10",
        "Le premier texte {{< figure src=\"a.png\" >}}.\n",
    );
    assert_eq!(
        second,
        ["content/posts/ancien.md:7", "content/posts/premier.md:5"]
    );
    let third = save(
        "ancien",
        "title = \"Ancien\"\ndate = 2026-01-05",
        "Avant.\n",
    );
    assert_eq!(third, ["content/posts/premier.md:5"]);
}

/// A font saved into the site's `fonts/` redraws the cards in the preview, as it does in a
/// build: the preview watches every folder the build reads.
#[test]
fn a_new_font_redraws_the_cards_in_the_preview() {
    let site = blog();
    let server = Server::start(&site, &["--port", "0"]);
    let card = || {
        let page = server.get("/posts/premier/").body;
        let url = page
            .split("property=\"og:image\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the post has a card")
            .to_string();
        let path = format!("/{}", url.splitn(4, '/').nth(3).unwrap());
        let card = server.get(&path);
        assert_eq!(card.status, 200, "{path}");
        card.body
    };
    let before = card();
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/fonts");
    site.bytes(
        "fonts/Inter-Regular.otf",
        &std::fs::read(theme.join("EBGaramond12-Regular.otf")).unwrap(),
    );
    let start = Instant::now();
    while card() == before {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the card was not drawn again with the new font"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The resident memory of process `pid`, in KiB, as Linux reports it.
#[cfg(target_os = "linux")]
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn clients_sending_endless_headers_are_refused_and_cost_no_memory() {
    let site = blog();
    let server = Server::start(&site, &["--port", "0"]);
    let address = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    assert_eq!(server.get("/").status, 200);
    let before = resident_kib(server.child.id());
    let floods: Vec<_> = (0..20)
        .map(|_| {
            let address = address.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&address).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Flood: ");
                let line = vec![b'a'; 64 * 1024];
                // 20 clients x 100 MB, as long as the server reads.
                for _ in 0..1600 {
                    if stream.write_all(&line).is_err() {
                        break;
                    }
                }
                let mut answer = Vec::new();
                let _ = stream.read_to_end(&mut answer);
                String::from_utf8_lossy(&answer).into_owned()
            })
        })
        .collect();
    // Others are still served meanwhile.
    assert_eq!(server.get("/posts/premier/").status, 200);
    for flood in floods {
        let answer = flood.join().unwrap();
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    }
    let grown = resident_kib(server.child.id()).saturating_sub(before);
    assert!(grown < 50 * 1024, "the server grew by {grown} KiB");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn answers_head_without_a_body_and_keeps_connections_alive() {
    let site = blog();
    let server = Server::start(&site, &["--port", "0"]);
    let address = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "HEAD /posts/premier/ HTTP/1.1\r\nHost: x\r\n\r\nGET /extra.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, rest) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Connection: keep-alive"), "{head}");
    assert!(
        rest.starts_with("HTTP/1.1 200"),
        "HEAD sends no body, and the next answer follows on the same connection: {rest}"
    );
    assert!(rest.contains("text/css"), "{rest}");
}
