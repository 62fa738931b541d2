//! `tribune publish` against real peers: Bluesky's reference PDS (`@atproto/dev-env`, started
//! from `tests/peers/pds.mjs`) and, since no Mastodon server can run here, a strict stand-in
//! that follows Mastodon's documented REST API (`tests/peers/mastodon.mjs`). Both need Node.js:
//! without `node` these tests say so and pass; with it, `tests/peers/node_modules` is
//! installed on first use (`npm ci`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::Site;

/// A peer server, stopped when dropped (its stdin closes).
struct Peer {
    child: Child,
    info: Value,
}

impl Drop for Peer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

/// Whether `node` runs here; when it does, the peers' packages are installed once.
fn node_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        if Command::new("node").arg("--version").output().is_err() {
            eprintln!("skipped: `node` is not installed, so no network peer can start");
            return false;
        }
        let dir = peers_dir();
        if !dir.join("node_modules/@atproto/dev-env").is_dir() {
            let mut npm = Command::new("npm");
            npm.args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir);
            // better-sqlite3 compiles against the local Node's headers rather than downloading them.
            if Path::new("/usr/include/node/node.h").is_file() {
                npm.env("npm_config_nodedir", "/usr");
            }
            let status = npm.status().expect("npm runs where node does");
            assert!(status.success(), "`npm ci` failed in {}", dir.display());
        }
        true
    })
}

/// Starts `tests/peers/<script>` and reads its one line of JSON.
fn start(script: &str, env: &[(&str, &str)]) -> Peer {
    let mut child = Command::new("node")
        .arg(peers_dir().join(script))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("{script} printed {line:?}, not JSON: {e}"));
    Peer { child, info }
}

/// The PDS, shared by the tests that post to it one at a time.
fn pds() -> Option<std::sync::MutexGuard<'static, Peer>> {
    static PDS: OnceLock<Mutex<Peer>> = OnceLock::new();
    if !node_ready() {
        return None;
    }
    let pds = PDS.get_or_init(|| Mutex::new(start("pds.mjs", &[])));
    Some(pds.lock().unwrap_or_else(|e| e.into_inner()))
}

fn get(url: &str) -> Value {
    let out = Command::new("node")
        .arg("-e")
        .arg("fetch(process.argv[1]).then(r => r.text()).then(t => process.stdout.write(t))")
        .arg(url)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// The account's posts, newest first.
fn records(pds: &Peer) -> Vec<Value> {
    let url = format!(
        "{}/xrpc/com.atproto.repo.listRecords?repo={}&collection=app.bsky.feed.post&limit=100",
        pds.info["service"].as_str().unwrap(),
        pds.info["did"].as_str().unwrap()
    );
    get(&url)["records"].as_array().cloned().unwrap_or_default()
}

/// A site whose `channel` table is `table`, with one post out on the morning of the test
/// clock (its announcement due at 09:00) and a pull quote a week later.
fn site(table: &str) -> Site {
    let site = Site::with_config(&format!(
        "title = \"Le Carnet\"\nbase_url = \"https://carnet.example/\"\nlanguage = \"fr\"\n\
         timezone = \"Europe/Paris\"\nauthor = \"Camille\"\n\
         [social.schedule]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\ntimes = [\"09:00\"]\n\
         {table}"
    ));
    site.post(
        "ecrire",
        "title = \"Écrire en public\"\ndate = 2026-11-23T08:00\n\
         description = \"Pourquoi j’écris ici, et pour qui.\"\ntags = [\"écriture\"]\n\
         pullquotes = [\"Écrire, c’est choisir.\"]",
        "Un texte.\n",
    );
    site
}

/// The channel table for the PDS.
fn bluesky_table(pds: &Peer) -> String {
    format!(
        "[social.channels.bluesky]\nservice = \"{}\"\naccount = \"{}\"\n",
        pds.info["service"].as_str().unwrap(),
        pds.info["handle"].as_str().unwrap()
    )
}

#[test]
fn bluesky_gets_each_due_item_once_whatever_is_lost() {
    let Some(pds) = pds() else { return };
    let site = site(&bluesky_table(&pds));
    site.build();
    let before = records(&pds).len();
    let secret = pds.info["app_password"].as_str().unwrap().to_string();
    let env = [("TRIBUNE_BLUESKY_SECRET", secret.as_str())];

    let first = site.run_with(&["publish"], &env);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(first.stdout.contains("posted"), "{}", first.stdout);
    assert!(!first.stdout.contains(&secret) && !first.stderr.contains(&secret));
    let posts = records(&pds);
    assert_eq!(posts.len(), before + 1, "one item was due");
    let post = &posts
        .iter()
        .find(|p| p["value"]["embed"]["external"]["uri"] == "https://carnet.example/posts/ecrire/")
        .expect("the post links to the article")["value"];
    let text = post["text"].as_str().unwrap();
    assert!(text.contains("Écrire en public"), "{text}");
    assert_eq!(post["langs"], serde_json::json!(["fr"]));
    let link = "https://carnet.example/posts/ecrire/";
    let facet = post["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["features"][0]["uri"] == link)
        .expect("the link is a facet");
    let (start, end) = (
        facet["index"]["byteStart"].as_u64().unwrap() as usize,
        facet["index"]["byteEnd"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text.as_bytes()[start..end], link.as_bytes());
    let external = &post["embed"]["external"];
    assert_eq!(external["uri"], link);
    assert_eq!(external["title"], "Écrire en public");
    assert_eq!(
        external["description"],
        "Pourquoi j’écris ici, et pour qui."
    );
    assert_eq!(
        external["thumb"]["mimeType"], "image/png",
        "the card: {post}"
    );

    // A second run has nothing left to post.
    let second = site.run_with(&["publish"], &env);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stdout.contains("Posted 0 items"),
        "{}",
        second.stdout
    );
    assert_eq!(records(&pds).len(), before + 1);

    // Without the plan, or with one that cannot be read, the network is asked first: still
    // one post.
    std::fs::write(site.root().join(".tribune/publish.json"), "{ not json").unwrap();
    let lost = site.run_with(&["publish"], &env);
    assert_eq!(lost.code, 0, "{}", lost.stderr);
    assert!(lost.stdout.contains("already-on"), "{}", lost.stdout);
    assert!(
        lost.stderr
            .contains(".tribune/publish.json:1: the plan is not readable"),
        "{}",
        lost.stderr
    );
    assert_eq!(records(&pds).len(), before + 1);

    // The post's text changes after it went out: nothing more is posted.
    site.post(
        "ecrire",
        "title = \"Écrire en public\"\ndate = 2026-11-23T08:00\n\
         description = \"Une autre description.\"\ntags = [\"écriture\"]",
        "Un texte.\n",
    );
    let edited = site.run_with(&["publish"], &env);
    assert_eq!(edited.code, 0, "{}", edited.stderr);
    assert_eq!(records(&pds).len(), before + 1);
}

#[test]
fn a_wrong_app_password_is_an_error_that_does_not_show_it() {
    let Some(pds) = pds() else { return };
    let site = site(&bluesky_table(&pds));
    let run = site.run_with(
        &["publish"],
        &[("TRIBUNE_BLUESKY_SECRET", "wrong-password-1234")],
    );
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("channel `bluesky`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("TRIBUNE_BLUESKY_SECRET"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("wrong-password-1234"),
        "{}",
        run.stderr
    );
    let plan = std::fs::read_to_string(site.root().join(".tribune/publish.json")).unwrap();
    assert!(!plan.contains("\"sent\""), "nothing is marked sent: {plan}");
}

#[test]
fn a_dry_run_needs_no_secret_and_posts_nothing() {
    let site = site(
        "[social.channels.bluesky]\nservice = \"http://127.0.0.1:9\"\naccount = \"carnet.test\"\n",
    );
    let run = site.run(&["publish", "--dry-run", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("would-post  bluesky  2026-11-23 09:00  announce"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("not-yet"),
        "the pull quote waits: {}",
        run.stdout
    );
    assert!(!site.root().join(".tribune/publish.json").exists());
    // A run before the item's time plans it, and asks nothing of the server.
    let early = site.run_with(
        &["publish", "--now", "2026-11-23T07:00:00Z"],
        &[("TRIBUNE_BLUESKY_SECRET", "unused")],
    );
    assert_eq!(early.code, 0, "{}", early.stderr);
    let late = site.run(&["publish", "--dry-run", "--now", "2026-11-26T12:00:00Z"]);
    assert!(late.stdout.contains("too-late"), "{}", late.stdout);
}

#[test]
fn a_missing_secret_names_its_variable() {
    let site = site(
        "[social.channels.bluesky]\nservice = \"http://127.0.0.1:9\"\naccount = \"carnet.test\"\n",
    );
    let run = site.run(&["publish"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("TRIBUNE_BLUESKY_SECRET is not set"),
        "{}",
        run.stderr
    );
}

#[test]
fn channels_without_a_service_are_refused_or_left_alone() {
    let x = site("[social.channels.x]\nservice = \"https://x.com\"\n");
    let run = x.run(&["publish"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Tribune publishes to Bluesky and Mastodon only"),
        "{}",
        run.stderr
    );
    // A site that only exports its queue has nothing to publish, which is no error in CI.
    let quiet = site("[social.channels.mastodon]\n");
    let run = quiet.run(&["publish"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Nothing to publish"), "{}", run.stdout);
    let run = quiet.run(&["publish", "--channel", "mastodon"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`mastodon` has no `service`"),
        "{}",
        run.stderr
    );
}

/// The Mastodon stand-in, one per test: each has its own account.
fn mastodon(env: &[(&str, &str)]) -> Option<Peer> {
    node_ready().then(|| start("mastodon.mjs", env))
}

fn statuses(peer: &Peer) -> Vec<Value> {
    get(&format!(
        "{}/__test/statuses",
        peer.info["service"].as_str().unwrap()
    ))["statuses"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn mastodon_table(peer: &Peer) -> String {
    format!(
        "[social.channels.mastodon]\nservice = \"{}\"\nvisibility = \"unlisted\"\n",
        peer.info["service"].as_str().unwrap()
    )
}

#[test]
fn mastodon_gets_each_due_item_once() {
    let Some(peer) = mastodon(&[]) else { return };
    let site = site(&mastodon_table(&peer));
    let token = peer.info["token"].as_str().unwrap().to_string();
    let env = [("TRIBUNE_MASTODON_SECRET", token.as_str())];
    let first = site.run_with(&["publish"], &env);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let posted = statuses(&peer);
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert_eq!(posted[0]["params"]["language"], "fr", "{:?}", posted[0]);
    assert_eq!(posted[0]["params"]["visibility"], "unlisted");
    assert!(posted[0]["idempotency_key"].is_string(), "{:?}", posted[0]);

    let second = site.run_with(&["publish"], &env);
    assert!(
        second.stdout.contains("Posted 0 items"),
        "{}",
        second.stdout
    );
    std::fs::remove_file(site.root().join(".tribune/publish.json")).unwrap();
    let lost = site.run_with(&["publish"], &env);
    assert!(lost.stdout.contains("already-on"), "{}", lost.stdout);
    assert_eq!(statuses(&peer).len(), 1);
}

#[test]
fn a_rate_limit_leaves_the_item_for_the_next_run() {
    let Some(peer) = mastodon(&[
        ("MASTODON_RATE_LIMIT_AFTER", "1"),
        ("MASTODON_RETRY_AFTER", "1"),
    ]) else {
        return;
    };
    let site = site(&mastodon_table(&peer));
    // A second item due the same day: the server takes the first and refuses the second.
    site.post(
        "ecrire",
        "title = \"Écrire en public\"\ndate = 2026-11-23T08:00\n\
         description = \"Pourquoi j’écris ici, et pour qui.\"\n\
         [[social.posts]]\ntext = \"Relisez-le ce midi.\"\nat = 2026-11-23T12:00",
        "Un texte.\n",
    );
    let token = peer.info["token"].as_str().unwrap().to_string();
    let env = [("TRIBUNE_MASTODON_SECRET", token.as_str())];
    let limited = site.run_with(&["publish"], &env);
    assert_eq!(limited.code, 3, "{}{}", limited.stdout, limited.stderr);
    assert!(
        limited.stderr.contains("asks to wait"),
        "{}",
        limited.stderr
    );
    assert!(
        limited.stderr.contains("the next run tries again"),
        "{}",
        limited.stderr
    );
    assert_eq!(statuses(&peer).len(), 1);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let retried = site.run_with(&["publish"], &env);
    assert_eq!(retried.code, 0, "{}{}", retried.stdout, retried.stderr);
    assert!(
        retried.stdout.contains("Posted 1 items"),
        "{}",
        retried.stdout
    );
    assert_eq!(statuses(&peer).len(), 2);
}

#[test]
fn an_item_whose_post_changed_before_it_went_out_is_replanned() {
    let Some(peer) = mastodon(&[]) else { return };
    let site = site(&mastodon_table(&peer));
    let token = peer.info["token"].as_str().unwrap().to_string();
    let env = [("TRIBUNE_MASTODON_SECRET", token.as_str())];
    // Planned on the morning, before its time.
    let early = site.run_with(&["publish", "--now", "2026-11-23T07:30:00Z"], &env);
    assert_eq!(early.code, 0, "{}", early.stderr);
    assert!(statuses(&peer).is_empty());
    site.post(
        "ecrire",
        "title = \"Écrire en public\"\ndate = 2026-11-23T08:00\n\
         description = \"Une description revue.\"\ntags = [\"écriture\"]",
        "Un texte.\n",
    );
    let due = site.run_with(&["publish"], &env);
    assert_eq!(due.code, 0, "{}", due.stderr);
    assert!(due.stdout.contains("re-planned"), "{}", due.stdout);
    let posted = statuses(&peer);
    assert_eq!(posted.len(), 1);
    assert!(
        posted[0]["params"]["status"]
            .as_str()
            .unwrap()
            .contains("Une description revue."),
        "{:?}",
        posted[0]
    );
}

/// Copies `from` into `to`, folders included.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_demo_given_a_bluesky_service_posts_exactly_its_due_items() {
    let Some(pds) = pds() else { return };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = tempfile::tempdir().unwrap();
    for folder in ["content", "static", "themes"] {
        copy_tree(&repo.join(folder), &demo.path().join(folder));
    }
    let config = std::fs::read_to_string(repo.join("site.toml")).unwrap();
    let config = config.replace("[social.channels.bluesky]\n", &bluesky_table(&pds));
    assert!(config.contains(pds.info["service"].as_str().unwrap()));
    std::fs::write(demo.path().join("site.toml"), config).unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        Command::new(env!("CARGO_BIN_EXE_tribune"))
            .args(args)
            .args(["--root", demo.path().to_str().unwrap(), "--now", crate::NOW])
            .envs(env.iter().copied())
            .output()
            .unwrap()
    };
    // Built first, as CI does: the cards are read from the output, not fetched.
    assert_eq!(run(&["build", "--quiet"], &[]).status.code(), Some(0));
    let planned = run(&["publish", "--dry-run"], &[]);
    let planned = String::from_utf8_lossy(&planned.stdout).into_owned();
    let due = planned
        .lines()
        .filter(|l| l.starts_with("would-post"))
        .count();
    assert!(
        due > 0,
        "the demo has an item due at the test clock: {planned}"
    );
    let before = records(&pds).len();
    let secret = pds.info["app_password"].as_str().unwrap().to_string();
    let out = run(&["publish"], &[("TRIBUNE_BLUESKY_SECRET", &secret)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("posted")).count(),
        due,
        "{stdout}"
    );
    assert_eq!(records(&pds).len(), before + due);
}

#[test]
fn a_quote_goes_to_mastodon_with_the_card_attached_when_asked() {
    let Some(peer) = mastodon(&[]) else { return };
    let site = site(&format!("{}attach_card = true\n", mastodon_table(&peer)));
    site.build();
    let token = peer.info["token"].as_str().unwrap().to_string();
    // A week later, the pull quote is due.
    let run = site.run_with(
        &["publish", "--now", "2026-11-30T12:00:00Z"],
        &[("TRIBUNE_MASTODON_SECRET", token.as_str())],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let received = get(&format!(
        "{}/__test/statuses",
        peer.info["service"].as_str().unwrap()
    ));
    let statuses = received["statuses"].as_array().unwrap();
    assert_eq!(statuses.len(), 1, "{received}");
    assert!(
        statuses[0]["params"]["status"]
            .as_str()
            .unwrap()
            .contains("Écrire, c’est choisir."),
        "{received}"
    );
    let media = received["media"].as_array().unwrap();
    assert_eq!(media.len(), 1, "{received}");
    assert_eq!(media[0]["content_type"], "image/png");
    assert_eq!(media[0]["description"], "Écrire en public", "{received}");
}

/// Days since 1970-01-01 as a civil date (proleptic Gregorian).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A UTC time `offset` seconds from the real clock, as `2026-12-06T10:15:00`, whole minutes.
fn real_time(offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let t = (now + offset) / 60 * 60;
    let (y, m, d) = civil(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:00", s / 3600, s / 60 % 60)
}

#[test]
fn items_ahead_go_to_mastodon_s_scheduler_and_are_cancelled_when_they_change() {
    let Some(peer) = mastodon(&[]) else { return };
    // Scheduling is checked against the real clock, so this site lives in it.
    let site = Site::with_config(&format!(
        "title = \"Le Carnet\"\nbase_url = \"https://carnet.example/\"\nlanguage = \"fr\"\n\
         timezone = \"UTC\"\n[social]\nhorizon = \"3 days\"\n\
         {}schedule_ahead = true\n",
        mastodon_table(&peer)
    ));
    // Published ten days ago: its announcement, at the first slot after, is then further back
    // than the day `publish` still posts late, whatever the weekday and the hour, and only the
    // hand-written message an hour ahead is in play.
    let text = |words: &str| {
        format!(
            "title = \"Demain\"\ndate = {}\n\
             [[social.posts]]\ntext = \"{words}\"\nat = {}",
            real_time(-10 * 86_400),
            real_time(3600)
        )
    };
    site.post(
        "demain",
        &text("Rendez-vous dans une heure."),
        "Un texte.\n",
    );
    let token = peer.info["token"].as_str().unwrap().to_string();
    let now = format!("{}Z", real_time(0));
    let env = [("TRIBUNE_MASTODON_SECRET", token.as_str())];
    let run = site.run_with(&["publish", "--now", &now], &env);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("scheduled"), "{}", run.stdout);
    let scheduled = |peer: &Peer| {
        let out = Command::new("node")
            .arg("-e")
            .arg(
                "fetch(process.argv[1], {headers: {authorization: 'Bearer ' + process.argv[2]}})\
                 .then(r => r.text()).then(t => process.stdout.write(t))",
            )
            .arg(format!(
                "{}/api/v1/scheduled_statuses",
                peer.info["service"].as_str().unwrap()
            ))
            .arg(peer.info["token"].as_str().unwrap())
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let waiting = scheduled(&peer);
    let texts: Vec<&str> = waiting
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["params"]["text"].as_str())
        .collect();
    assert!(texts.contains(&"Rendez-vous dans une heure."), "{waiting}");
    assert!(statuses(&peer).is_empty(), "nothing is posted at once");

    // The text changes: the scheduled status is cancelled and the new one scheduled.
    site.post(
        "demain",
        &text("Rendez-vous dans une heure, enfin."),
        "Un texte.\n",
    );
    let run = site.run_with(&["publish", "--now", &now], &env);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let waiting = scheduled(&peer);
    let texts: Vec<&str> = waiting
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["params"]["text"].as_str())
        .collect();
    assert!(!texts.contains(&"Rendez-vous dans une heure."), "{waiting}");
    assert!(
        texts.contains(&"Rendez-vous dans une heure, enfin."),
        "{waiting}"
    );
}

#[test]
fn a_post_made_but_not_recorded_is_found_rather_than_made_again() {
    // As when a run is killed between a post and the plan's next save.
    let Some(pds) = pds() else { return };
    let site = site(&bluesky_table(&pds));
    // Another post than the other tests': its items have other record keys on the account.
    site.remove("content/posts/ecrire.md");
    site.post(
        "relire",
        "title = \"Relire en public\"\ndate = 2026-11-23T08:00\n\
         description = \"Deux messages le même jour.\"\n\
         [[social.posts]]\ntext = \"Relisez-le ce midi.\"\nat = 2026-11-23T12:00",
        "Un texte.\n",
    );
    site.build();
    let before = records(&pds).len();
    let secret = pds.info["app_password"].as_str().unwrap().to_string();
    let env = [("TRIBUNE_BLUESKY_SECRET", secret.as_str())];
    let first = site.run_with(&["publish"], &env);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(records(&pds).len(), before + 2);
    let path = site.root().join(".tribune/publish.json");
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let items = plan["items"].as_object_mut().unwrap();
    let last = items.keys().next_back().unwrap().clone();
    items[&last].as_object_mut().unwrap().remove("sent");
    std::fs::write(&path, plan.to_string()).unwrap();
    let again = site.run_with(&["publish"], &env);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("already-on"), "{}", again.stdout);
    assert_eq!(records(&pds).len(), before + 2);
}

#[test]
fn bluesky_posts_mark_tags_and_resolved_mentions() {
    let Some(pds) = pds() else { return };
    let site = site(&bluesky_table(&pds));
    site.remove("content/posts/ecrire.md");
    site.post(
        "merci",
        "title = \"Merci\"\ndate = 2026-11-23T08:00\n\
         [[social.posts]]\ntext = \"Merci @ami.test et @personne.test ! #écriture\"\nat = 2026-11-23T11:00",
        "Un texte.\n",
    );
    let secret = pds.info["app_password"].as_str().unwrap().to_string();
    let run = site.run_with(&["publish"], &[("TRIBUNE_BLUESKY_SECRET", secret.as_str())]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("@personne.test"), "{}", run.stderr);
    let posts = records(&pds);
    let post = &posts
        .iter()
        .find(|p| {
            p["value"]["text"]
                .as_str()
                .unwrap_or("")
                .starts_with("Merci @ami.test")
        })
        .expect("the hand-written text went out")["value"];
    let features: Vec<&Value> = post["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["features"][0])
        .collect();
    assert!(
        features.iter().any(|f| f["did"] == pds.info["other_did"]),
        "the known handle is a mention of its DID: {post}"
    );
    assert!(features.iter().any(|f| f["tag"] == "écriture"), "{post}");
    assert_eq!(
        features
            .iter()
            .filter(|f| f["$type"] == "app.bsky.richtext.facet#mention")
            .count(),
        1,
        "the unknown handle stays text: {post}"
    );
}

#[test]
fn a_server_that_redirects_never_gets_the_secret_passed_on() {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    // Where the redirect points: it must never be asked anything.
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let target = format!(
        "http://{}/api/v1/accounts/verify_credentials",
        elsewhere.local_addr().unwrap()
    );
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let service = format!("http://{}", server.local_addr().unwrap());
    let answering = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = server.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    let site = site(&format!(
        "[social.channels.mastodon]\nservice = \"{service}\"\n"
    ));
    let run = site.run_with(
        &["publish"],
        &[("TRIBUNE_MASTODON_SECRET", "token-that-stays-here")],
    );
    answering.join().unwrap();
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("sends requests to"), "{}", run.stderr);
    assert!(!run.stderr.contains("token-that-stays-here"));
    assert!(
        elsewhere.accept().is_err(),
        "the redirect's target was asked, perhaps with the secret"
    );
}

#[test]
fn publishing_settings_are_checked_at_their_line() {
    let cases = [
        (
            "[social]\npublish_window = \"2 fortnights\"\n[social.channels.bluesky]\nservice = \"https://bsky.social\"\naccount = \"a.bsky.social\"\n",
            "social.publish_window: `2 fortnights` is not a length of time",
        ),
        (
            "[social]\npublish_window = \"30 days\"\n[social.channels.bluesky]\nservice = \"https://bsky.social\"\naccount = \"a.bsky.social\"\n",
            "(at most 7 days)",
        ),
        (
            "[social.channels.bluesky]\nservice = \"https://bsky.social\"\n",
            "social.channels.bluesky has a `service` but no `account`",
        ),
        (
            "[social.channels.mastodon]\nservice = \"mastodon.social\"\n",
            "must be a server's address, such as https://mastodon.social",
        ),
        (
            "[social.channels.mastodon]\nservice = \"https://mastodon.social\"\nvisibility = \"direct\"\n",
            "visibility `direct`: write public, unlisted or private",
        ),
        (
            "[social.channels.bluesky]\nservice = \"https://bsky.social\"\naccount = \"a.bsky.social\"\nattach_card = true\n",
            "social.channels.bluesky.attach_card is a Mastodon setting",
        ),
    ];
    for (table, message) in cases {
        let site = site(table);
        let run = site.run(&["publish", "--dry-run"]);
        assert_eq!(run.code, 1, "{table}: {}", run.stderr);
        assert!(run.stderr.contains("site.toml:"), "{table}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{table}: {}", run.stderr);
    }
}
