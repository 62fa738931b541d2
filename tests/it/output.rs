//! The output folder: replaced only when Tribune owns it, and never a file outside it.

use crate::Site;

#[test]
fn stale_files_disappear_on_rebuild() {
    let site = Site::new();
    site.post(
        "reste",
        "title = \"Reste\"\ndate = 2026-01-01\ntags = [\"garde\"]",
        "x\n",
    );
    site.post(
        "part",
        "title = \"Part\"\ndate = 2026-01-02\ntags = [\"ephemere\"]",
        "x\n",
    );
    site.build();
    assert!(site.has("posts/part/index.html") && site.has("tags/ephemere/rss.xml"));
    site.remove("content/posts/part.md");
    let run = site.build();
    assert!(!site.has("posts/part/index.html"));
    assert!(
        !site.root().join("public/posts/part").exists(),
        "empty folders go too"
    );
    assert!(!site.has("tags/ephemere/rss.xml"));
    assert!(site.has("posts/reste/index.html"));
    assert!(run.stdout.contains("removed"), "{}", run.stdout);
}

#[test]
fn an_unchanged_rebuild_writes_nothing() {
    let site = Site::new();
    site.post("a", "title = \"A\"\ndate = 2026-01-01", "x\n");
    site.build();
    let run = site.build();
    assert!(run.stdout.contains("(0 files written"), "{}", run.stdout);
}

#[test]
fn a_build_renders_nothing_while_its_inputs_and_output_stay_as_the_last_one_left_them() {
    let site = Site::new();
    site.post("a", "title = \"A\"\ndate = 2026-01-01", "x\n");
    site.post("b", "title = \"B\"\ndate = 2026-01-02", "y\n");
    let skipped = |site: &Site| {
        let run = site.run(&["build", "--verbose"]).ok();
        run.stdout.contains("no page was rendered")
    };
    site.build();
    assert!(skipped(&site), "after a first build");
    // Some files written anew, the others kept as they were.
    site.post("b", "title = \"B\"\ndate = 2026-01-02", "changed\n");
    assert!(!skipped(&site), "a post changed");
    assert!(skipped(&site), "after a build that kept some files");
    // A page of the same size put back by hand is no longer the build's.
    let page = site.root().join("public/posts/a/index.html");
    let same_size = "z".repeat(std::fs::metadata(&page).unwrap().len() as usize);
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&page, same_size).unwrap();
    assert!(!skipped(&site), "the output changed");
    assert!(site.read("posts/a/index.html").contains("<h1"));
}

#[test]
fn refuses_an_output_folder_holding_other_files() {
    let site = Site::new();
    site.file("mine/notes.txt", "précieux");
    site.run(&["build", "--output", "mine"]).fails(
        3,
        &[
            "refusing to use `mine` as the output folder",
            "did not write",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/notes.txt")).unwrap(),
        "précieux"
    );
}

#[test]
fn refuses_the_site_root_its_parent_and_source_folders() {
    let site = Site::new();
    site.post("a", "title = \"A\"\ndate = 2026-01-01", "x\n");
    let before = site.tree(".");
    site.run(&["build", "--output", "."])
        .fails(3, &["it is the site folder or contains it"]);
    site.run(&["build", "--output", ".."])
        .fails(3, &["it is the site folder or contains it"]);
    site.run(&["build", "--output", "content/out"])
        .fails(3, &["inside the site's `content` folder"]);
    assert_eq!(site.tree("."), before);
}

#[test]
fn an_empty_folder_is_accepted_and_marked() {
    let site = Site::new();
    std::fs::create_dir(site.root().join("empty")).unwrap();
    site.run(&["build", "--output", "empty"]).ok();
    assert!(site.root().join("empty/.tribune-output").is_file());
    assert!(site.root().join("empty/index.html").is_file());
}

#[test]
fn a_failed_first_build_leaves_no_output_folder() {
    let site = Site::new();
    site.post("a", "title = \"A\"\ndate = 2026-01-01", "x\n");
    site.file("templates/post.html", "{{ page.nothing_here.at_all }}");
    site.run(&["build"]).fails(1, &["templates/post.html"]);
    assert!(!site.root().join("public").exists());
}

#[test]
fn rebuilds_notice_changes_to_templates_and_to_the_output_folder() {
    let site = Site::new();
    site.post("a", "title = \"A\"\ndate = 2026-01-01", "x\n");
    site.build();
    std::fs::remove_file(site.root().join("public/index.html")).unwrap();
    std::fs::write(site.root().join("public/posts/a/index.html"), "abîmé").unwrap();
    site.build();
    assert!(site.has("index.html"), "a deleted page comes back");
    assert!(
        site.read("posts/a/index.html").contains("<h1"),
        "a damaged page is rewritten"
    );
    site.file(
        "templates/post.html",
        "<p>nouveau gabarit {{ page.title }}</p>",
    );
    site.build();
    assert_eq!(site.read("posts/a/index.html"), "<p>nouveau gabarit A</p>");
}

#[test]
fn refuses_an_output_path_that_is_a_file() {
    let site = Site::new();
    site.file("notes.txt", "garder");
    site.run(&["build", "--output", "notes.txt"]).fails(
        3,
        &["refusing to use `notes.txt` as the output folder: it is a file"],
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("notes.txt")).unwrap(),
        "garder"
    );
}

/// A site of `n` posts whose every page changes with `edition`.
fn many_posts(site: &Site, n: usize, edition: &str) {
    for i in 0..n {
        site.post(
            &format!("billet-{i}"),
            &format!("title = \"Billet {i} ({edition})\"\ndate = 2026-01-01T{:02}:{:02}:00\ntags = [\"t{}\"]", i / 60 % 24, i % 60, i % 7),
            &format!("Texte {i}, édition {edition}.\n"),
        );
    }
}

#[test]
fn no_staging_folder_is_left_in_or_beside_the_output() {
    let site = Site::new();
    many_posts(&site, 5, "une");
    site.build();
    many_posts(&site, 5, "deux");
    site.build();
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("staging")), "{names:?}");
    assert!(site.tree("public").keys().all(|k| !k.contains("staging")));
}

#[test]
fn a_failed_rebuild_leaves_the_old_site_byte_for_byte() {
    let site = Site::new();
    many_posts(&site, 5, "une");
    site.build();
    let before = site.tree("public");
    many_posts(&site, 5, "deux");
    site.file("templates/archive.html", "{{ nothing.here }}");
    site.run(&["build"]).fails(
        1,
        &[
            "templates/archive.html",
            "the output folder was left as it was",
        ],
    );
    assert_eq!(site.tree("public"), before);
    assert!(!site.root().join(".public.tribune-staging").exists());
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let site = Site::new();
    many_posts(&site, 120, "une");
    site.build();
    let old = site.tree("public");
    many_posts(&site, 120, "deux");
    let started = std::time::Instant::now();
    site.build();
    let new = site.tree("public");
    let took = started.elapsed();
    assert_ne!(old, new);
    many_posts(&site, 120, "une");
    site.build();
    // Kill builds that go from the old site to the new one at moments spread over a build.
    for step in 0..12 {
        many_posts(&site, 120, if step % 2 == 0 { "deux" } else { "une" });
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tribune"))
            .args([
                "--root",
                site.root().to_str().unwrap(),
                "--now",
                crate::NOW,
                "build",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(step as f64 / 10.0));
        let _ = child.kill();
        child.wait().unwrap();
        let now = site.tree("public");
        assert!(
            now == old || now == new,
            "after a kill at step {step}, the output is neither site"
        );
        // The next build finds its way whatever was left.
        site.build();
        let expected = if step % 2 == 0 { &new } else { &old };
        assert_eq!(&site.tree("public"), expected, "step {step}");
    }
}

#[test]
fn a_second_build_at_the_same_time_is_refused() {
    let site = Site::new();
    site.post("a", "title = \"A\"\ndate = 2026-01-01", "x\n");
    site.build();
    let before = site.tree("public");
    let lock = std::fs::File::options()
        .write(true)
        .open(site.root().join(".tribune/lock"))
        .unwrap();
    lock.lock().unwrap();
    site.post("b", "title = \"B\"\ndate = 2026-01-02", "y\n");
    site.run(&["build"]).fails(
        3,
        &[".tribune/lock", "another build of this site is running"],
    );
    assert_eq!(site.tree("public"), before);
    drop(lock);
    site.build();
    assert!(site.has("posts/b/index.html"));
}

/// Copies the site's sources (everything but the output and Tribune's caches) into `to`.
fn copy_sources(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "public" || name == ".tribune" || name == "social" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_sources(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A change to one file of any input folder (content, themes, templates, static, i18n, fonts)
/// gives, on a rebuild, the very bytes a clean build of the same sources gives.
#[test]
fn a_rebuild_after_a_change_in_any_input_folder_equals_a_clean_build() {
    let site = Site::new();
    site.post(
        "a",
        "title = \"Un titre assez long pour la carte\"\ndate = 2026-01-01\ntags = [\"essai\"]",
        "Texte.\n",
    );
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let card = std::fs::read_to_string(theme.join("templates/card.svg")).unwrap();
    let garamond = std::fs::read(theme.join("fonts/EBGaramond12-Regular.otf")).unwrap();
    site.file("static/colophon.txt", "un");
    site.file("themes/default/static/theme.txt", "un");
    site.file("i18n/fr.toml", "home = \"Maison\"\n");
    site.file("templates/card.svg", &card);
    site.build();
    type Change = Box<dyn Fn(&Site)>;
    let changes: [(&str, Change); 6] = [
        (
            "content",
            Box::new(|s: &Site| {
                s.post(
                    "a",
                    "title = \"Un autre titre pour la carte\"\ndate = 2026-01-01\ntags = [\"essai\"]",
                    "Texte changé.\n",
                );
            }),
        ),
        (
            "static",
            Box::new(|s: &Site| {
                s.file("static/colophon.txt", "deux, plus long");
            }),
        ),
        (
            "themes",
            Box::new(|s: &Site| {
                s.file("themes/default/static/theme.txt", "deux, plus long");
            }),
        ),
        (
            "i18n",
            Box::new(|s: &Site| {
                s.file("i18n/fr.toml", "home = \"Page d’accueil\"\n");
            }),
        ),
        (
            "templates",
            Box::new(move |s: &Site| {
                s.file("templates/card.svg", &card.replace("#fbf9f4", "#f4f9fb"));
            }),
        ),
        (
            "fonts",
            Box::new(move |s: &Site| {
                // The Inter the theme draws card labels with, replaced by Garamond.
                s.bytes("fonts/Inter-Regular.otf", &garamond);
            }),
        ),
    ];
    for (folder, change) in &changes {
        let before = site.tree("public");
        change(&site);
        site.build();
        let rebuilt = site.tree("public");
        assert!(rebuilt != before, "a change in {folder}/ changed nothing");
        let clean = Site::with_config("");
        copy_sources(site.root(), clean.root());
        clean.build();
        let expected = clean.tree("public");
        let differ: Vec<&String> = expected
            .keys()
            .chain(rebuilt.keys())
            .filter(|k| expected.get(*k) != rebuilt.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "after a change in {folder}/, the rebuild differs from a clean build in {differ:?}"
        );
    }
}
