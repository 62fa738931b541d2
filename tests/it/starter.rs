//! Starting a site: `tribune init` and `tribune new`, and the CI files they give.

use std::path::Path;
use std::process::Command;

use crate::{NOW, Site, tree};

/// Runs the binary with `args` (no `--root` added) in `dir`.
fn tribune(dir: &Path, args: &[&str]) -> crate::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("TZ")
        .output()
        .unwrap();
    crate::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let run = tribune(dir.path(), &["init", "blog", "--now", NOW]).ok();
    assert!(run.stdout.contains("tribune serve"), "{}", run.stdout);
    let blog = dir.path().join("blog");
    let files: Vec<String> = tree(&blog).into_keys().collect();
    assert_eq!(
        files,
        [
            ".github/workflows/deploy.yml",
            ".gitignore",
            ".gitlab-ci.yml",
            "content/about.md",
            "content/posts/welcome.md",
            "site.toml"
        ]
    );
    let gitignore = std::fs::read_to_string(blog.join(".gitignore")).unwrap();
    for ignored in ["/public/", "/.tribune/", "/social/"] {
        assert!(gitignore.contains(ignored), "{gitignore}");
    }
    tribune(&blog, &["check", "--now", NOW]).ok();
    tribune(&blog, &["build", "--now", NOW]).ok();
    let home = std::fs::read_to_string(blog.join("public/index.html")).unwrap();
    assert!(
        home.contains("<a href=\"/posts/welcome/\">Welcome</a>"),
        "{home}"
    );
    assert!(home.contains("<a href=\"/about/\">About</a>"), "{home}");
    for page in tree(&blog.join("public"))
        .keys()
        .filter(|p| p.ends_with(".html"))
    {
        let html = std::fs::read_to_string(blog.join("public").join(page)).unwrap();
        assert!(!html.contains("content=\"\""), "{page} has empty metadata");
        assert!(
            !html.contains("©&nbsp;2026 </p>"),
            "{page} has an empty copyright"
        );
    }
}

#[test]
fn init_speaks_french_on_request() {
    let dir = tempfile::tempdir().unwrap();
    tribune(
        dir.path(),
        &["init", "carnet", "--language", "fr", "--now", NOW],
    )
    .ok();
    let site = dir.path().join("carnet");
    let config = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(config.contains("language = \"fr\""), "{config}");
    assert!(config.contains("timezone = \"Europe/Paris\""), "{config}");
    tribune(&site, &["build", "--now", NOW]).ok();
    let post = std::fs::read_to_string(site.join("public/posts/bienvenue/index.html")).unwrap();
    assert!(post.contains("<html lang=\"fr\">"));
    assert!(site.join("public/a-propos/index.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let site = Site::new();
    site.post("mine", "title = \"Mine\"\ndate = 2026-01-01", "Mine.\n");
    site.remove("site.toml");
    let before = site.tree("");
    site.run(&["init"])
        .fails(3, &["is not empty (content)", "hint: choose a new folder"]);
    let dir = site.root().to_str().unwrap().to_string();
    site.run(&["init", &dir, "--language", "fr"])
        .fails(3, &["is not empty"]);
    assert_eq!(site.tree(""), before);
}

#[test]
fn init_in_a_site_says_how_to_use_it_instead_of_suggesting_init_again() {
    let dir = tempfile::tempdir().unwrap();
    tribune(dir.path(), &["init", "blog", "--now", NOW]).ok();
    let blog = dir.path().join("blog");
    let before = tree(&blog);
    let inside = tribune(&blog, &["init"]).fails(3, &[]);
    assert_eq!(
        inside.stderr,
        "error: this folder already has a site (site.toml); `tribune init` creates one only in \
         an empty or new folder\n  hint: preview it with `tribune serve` or build it with \
         `tribune build`; to start another site, name a new folder: `tribune init ../my-blog`\n"
    );
    let named = tribune(dir.path(), &["init", "blog"]).fails(3, &[]);
    assert_eq!(
        named.stderr,
        "error: `blog` already has a site (site.toml); `tribune init` creates one only in an \
         empty or new folder\n  hint: preview it with `cd blog && tribune serve` or build it \
         with `cd blog && tribune build`; to start another site, name a new folder: \
         `tribune init my-blog`\n"
    );
    // The folder suggested is never the one refused.
    std::fs::create_dir(dir.path().join("my-blog")).unwrap();
    std::fs::write(dir.path().join("my-blog/notes.txt"), "").unwrap();
    tribune(dir.path(), &["init", "my-blog"]).fails(
        3,
        &[
            "`my-blog` is not empty (notes.txt)",
            "hint: choose a new folder: `tribune init my-blog-2`",
        ],
    );
    assert_eq!(tree(&blog), before);
}

#[test]
fn init_accepts_a_fresh_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    tribune(dir.path(), &["init", "--now", NOW]).ok();
    assert!(dir.path().join("site.toml").is_file());
}

/// The YAML documents of a file.
fn yaml(text: &str) -> Vec<yaml_rust2::Yaml> {
    yaml_rust2::YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn ci_files_are_yaml_that_install_a_pinned_tribune_once() {
    let dir = tempfile::tempdir().unwrap();
    let run = tribune(dir.path(), &["init", "--now", NOW]).ok();
    let github = std::fs::read_to_string(dir.path().join(".github/workflows/deploy.yml")).unwrap();
    let doc = &yaml(&github)[0];
    let repository = doc["env"]["TRIBUNE_REPOSITORY"].as_str().unwrap();
    let rev = doc["env"]["TRIBUNE_REV"].as_str().unwrap();
    let is_commit = rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit());
    // What this binary knows of its source depends on the checkout it was built from: either
    // the files install from its public address, or the user is told what to set, where.
    let files = ".github/workflows/deploy.yml and .gitlab-ci.yml";
    assert!(
        is_commit || rev == format!("v{}", env!("CARGO_PKG_VERSION")),
        "{rev}"
    );
    if repository == "https://example.invalid/tribune.git" {
        let hint = format!("hint: set TRIBUNE_REPOSITORY in {files}");
        assert!(run.stderr.contains(&hint), "{}", run.stderr);
    } else if !is_commit {
        let hint = format!("set TRIBUNE_REV in {files} to one of its commits");
        assert!(run.stderr.contains(&hint), "{}", run.stderr);
    } else {
        assert!(repository.starts_with("https://"), "{repository}");
        assert_eq!(run.stderr, "");
    }
    assert_eq!(doc["on"]["schedule"][0]["cron"].as_str(), Some("5 * * * *"));
    let steps = doc["jobs"]["build"]["steps"].as_vec().unwrap();
    let cache = |path: &str| {
        steps
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/cache@"))
                    && s["with"]["path"].as_str() == Some(path)
            })
            .unwrap_or_else(|| panic!("a cache of {path}"))
    };
    assert_eq!(
        cache("~/.tribune-bin")["with"]["key"].as_str(),
        Some("tribune-${{ runner.os }}-${{ env.TRIBUNE_REV }}")
    );
    let install = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo +stable install"))
        })
        .expect("an install step");
    assert_eq!(
        install["if"].as_str(),
        Some("steps.tribune.outputs.cache-hit != 'true'")
    );
    assert!(
        install["run"].as_str().unwrap().contains(
            "install --locked --git \"$TRIBUNE_REPOSITORY\" --rev \"$TRIBUNE_REV\" --root ~/.tribune-bin tribune"
        )
    );
    // Cards and resized photos are kept from run to run, under a key that changes only with
    // what they are drawn from: an hourly run with nothing new saves no new cache.
    let images = &cache(".tribune/images")["with"];
    let key = images["key"].as_str().unwrap();
    assert!(key.contains("hashFiles('site.toml', 'content/**'"), "{key}");
    assert!(!key.contains("run_id"), "{key}");
    assert!(
        images["restore-keys"]
            .as_str()
            .unwrap()
            .lines()
            .any(|k| k == "tribune-images-")
    );
    assert!(
        !github.contains("cargo run"),
        "a site's CI never builds Tribune from a checkout"
    );

    let gitlab = std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap();
    let doc = &yaml(&gitlab)[0];
    assert_eq!(
        doc["variables"]["TRIBUNE_REPOSITORY"].as_str(),
        Some(repository)
    );
    assert_eq!(doc["variables"]["TRIBUNE_REV"].as_str(), Some(rev));
    assert_eq!(
        doc["pages"]["cache"][0]["key"].as_str(),
        Some("tribune-$TRIBUNE_REV")
    );
    assert!(
        doc["pages"]["script"][0]
            .as_str()
            .unwrap()
            .contains("install --locked --git \"$TRIBUNE_REPOSITORY\" --rev \"$TRIBUNE_REV\"")
    );
    assert_eq!(
        doc["pages"]["cache"][1]["paths"][0].as_str(),
        Some(".tribune/images/")
    );
    assert_eq!(
        doc["pages"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );
}

#[test]
fn the_deploy_guide_and_this_repository_s_workflow_are_yaml() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/deploy.md")).unwrap();
    let blocks: Vec<&str> = guide
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 3, "the guide shows its workflows");
    for block in blocks {
        yaml(block);
    }
    for workflow in std::fs::read_dir(root.join(".github/workflows")).unwrap() {
        yaml(&std::fs::read_to_string(workflow.unwrap().path()).unwrap());
    }
}

#[test]
fn new_writes_a_post_named_after_a_french_title() {
    let site = Site::new();
    let title = "Gérer une communauté : c’est quoi ? L'été \"2026\"";
    let run = site.run(&["new", title]).ok();
    let path = "content/posts/gerer-une-communaute-c-est-quoi-l-ete-2026.md";
    assert_eq!(
        run.stdout.trim(),
        site.root().join(path).display().to_string()
    );
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    let front = text.split("+++").nth(1).unwrap();
    let table: toml::Table = toml::from_str(front).unwrap();
    assert_eq!(table["title"].as_str(), Some(title));
    // Now, in the site's time zone, to the minute.
    assert_eq!(
        table["date"].as_datetime().unwrap().to_string(),
        "2026-11-23T13:00:00+01:00"
    );
    site.build();
    let page = site.read("posts/gerer-une-communaute-c-est-quoi-l-ete-2026/index.html");
    assert!(page.contains("L'été"), "{page}");
}

#[test]
fn new_takes_a_bundle_a_date_a_draft_a_link_and_a_page() {
    let site = Site::new();
    site.run(&["new", "Été 2026", "--bundle"]).ok();
    assert!(
        site.root()
            .join("content/posts/ete-2026/index.md")
            .is_file()
    );
    let run = site
        .run(&["new", "Plus tard", "--date", "2027-01-05T09:00"])
        .ok();
    assert!(run.stderr.contains("Scheduled"), "{}", run.stderr);
    site.run(&["new", "Pas prêt", "--draft"]).ok();
    site.run(&["new", "Un lien", "--link", "https://example.com/article"])
        .ok();
    site.run(&["new", "À propos", "--page"]).ok();
    let later = std::fs::read_to_string(site.root().join("content/posts/plus-tard.md")).unwrap();
    assert!(
        later.contains("date = 2027-01-05T09:00:00+01:00\n"),
        "{later}"
    );
    let draft = std::fs::read_to_string(site.root().join("content/posts/pas-pret.md")).unwrap();
    assert!(draft.contains("draft = true\n"), "{draft}");
    site.run(&["check"]).ok();
    site.build();
    assert!(site.has("posts/ete-2026/index.html"));
    assert!(!site.has("posts/plus-tard/index.html"), "scheduled");
    assert!(!site.has("posts/pas-pret/index.html"), "draft");
    assert!(
        site.read("links/index.html")
            .contains("https://example.com/article")
    );
    assert!(site.has("a-propos/index.html"));
}

#[test]
fn new_never_writes_over_a_file() {
    let site = Site::new();
    site.post("bonjour", "title = \"Mien\"\ndate = 2026-01-01", "Mien.\n");
    let before = site.tree("content");
    site.run(&["new", "Bonjour"])
        .fails(3, &["content/posts/bonjour.md already exists"]);
    site.run(&["new", "Bonjour", "--bundle"])
        .fails(3, &["already exists"]);
    assert_eq!(site.tree("content"), before);
}

#[test]
fn new_refuses_bad_values_as_a_bad_command_line() {
    let site = Site::new();
    site.run(&["new", "X", "--date", "demain"])
        .fails(2, &["--date: `demain` is not a date"]);
    site.run(&["new", "X", "--link", "example.com"])
        .fails(2, &["--link: `example.com` must be a full URL"]);
    site.run(&["new", "?!"]).fails(2, &["no letters or digits"]);
    site.run(&["new", "X", "--page", "--bundle"])
        .fails(2, &["cannot be used with"]);
    assert!(site.tree("content").is_empty());
}
