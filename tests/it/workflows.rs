//! The CI files: this repository's workflows and those `tribune init` writes are valid for
//! GitHub Actions and GitLab CI (checked with their schemas), and the release archives are
//! named as `cargo binstall` looks for them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::NOW;

/// The variable that names the schema checker and makes it required (`.ci/run` sets it).
const CHECKER_VARIABLE: &str = "TRIBUNE_CHECK_JSONSCHEMA";

/// The `check-jsonschema` program: the one `TRIBUNE_CHECK_JSONSCHEMA` names, which must work,
/// else the one on the PATH, else none (the test then says on the terminal that it skipped).
fn checker() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(CHECKER_VARIABLE) {
        let path = PathBuf::from(path);
        let works = Command::new(&path)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        assert!(
            works,
            "{CHECKER_VARIABLE} names {}, which does not run: install it with \
             `pip install check-jsonschema` (.ci/run does)",
            path.display()
        );
        return Some(path);
    }
    let on_path = Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if on_path {
        return Some(PathBuf::from("check-jsonschema"));
    }
    // Straight to the terminal: the test harness hides what a passing test prints.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: the workflow files were not checked against their schemas, as \
         check-jsonschema is not installed (`pip install check-jsonschema`; .ci/run installs it)"
    );
    None
}

/// Checks `files` against one of check-jsonschema's built-in schemas, which ship inside it (no
/// network); fails naming every file that does not match, and why.
fn validate(checker: &Path, schema: &str, files: &[PathBuf]) {
    assert!(!files.is_empty(), "no file to check against {schema}");
    let out = Command::new(checker)
        .args(["--builtin-schema", schema])
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} do not match the {schema} schema:\n{}{}",
        files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn workflows_and_the_ci_files_init_writes_match_the_github_and_gitlab_schemas() {
    let Some(checker) = checker() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut github: Vec<PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    github.sort();
    let site = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .args(["init", "--now", NOW])
        .current_dir(site.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    github.push(site.path().join(".github/workflows/deploy.yml"));
    validate(&checker, "vendor.github-workflows", &github);
    validate(
        &checker,
        "vendor.gitlab-ci",
        &[site.path().join(".gitlab-ci.yml")],
    );
}

#[test]
fn a_broken_workflow_fails_the_schema_check() {
    let Some(checker) = checker() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let github = dir.path().join("deploy.yml");
    std::fs::write(
        &github,
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    step:\n      - run: true\n",
    )
    .unwrap();
    let gitlab = dir.path().join(".gitlab-ci.yml");
    std::fs::write(
        &gitlab,
        "pages:\n  script: tribune build\n  artefacts: [public]\n",
    )
    .unwrap();
    for (schema, file) in [
        ("vendor.github-workflows", &github),
        ("vendor.gitlab-ci", &gitlab),
    ] {
        let out = Command::new(&checker)
            .args(["--builtin-schema", schema])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "{schema} accepted {}",
            file.display()
        );
    }
}

/// The step of a workflow job with this name.
fn step<'a>(job: &'a yaml_rust2::Yaml, name: &str) -> &'a yaml_rust2::Yaml {
    job["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no step {name:?}"))
}

/// A `cargo binstall` template with this target's values; `{ repo }` stays `REPO`.
fn render(template: &str, target: &str) -> String {
    let ext = if target.contains("windows") {
        ".exe"
    } else {
        ""
    };
    template
        .replace("{ repo }", "REPO")
        .replace("{ name }", "tribune")
        .replace("{ bin }", "tribune")
        .replace("{ version }", env!("CARGO_PKG_VERSION"))
        .replace("{ target }", target)
        .replace("{ binary-ext }", ext)
}

#[cfg(unix)]
#[test]
fn release_archives_are_where_cargo_binstall_looks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let release = std::fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap();
    let release = &yaml_rust2::YamlLoader::load_from_str(&release).unwrap()[0];
    let build = &release["jobs"]["build"];
    let package = step(build, "Package");
    let targets: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|entry| entry["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets.len(), 6, "{targets:?}");
    for target in targets {
        // The workflow's own packaging script, on a stand-in binary; `7z` (Windows only) is a
        // stand-in too, which lists what it was given to pack.
        let dir = tempfile::tempdir().unwrap();
        let exe = if target.contains("windows") {
            ".exe"
        } else {
            ""
        };
        let binary = dir
            .path()
            .join(format!("target/{target}/release/tribune{exe}"));
        std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
        std::fs::write(&binary, "binary").unwrap();
        std::fs::write(dir.path().join("README.md"), "readme").unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::write(
            bin.join("7z"),
            "#!/bin/sh\nfind \"$4\" -type f | sort > \"$3\"\n",
        )
        .unwrap();
        std::fs::set_permissions(
            bin.join("7z"),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(package["run"].as_str().unwrap())
            .current_dir(dir.path())
            .env("PATH", path)
            .env("TARGET", target)
            .env("GITHUB_REF_NAME", format!("v{}", env!("CARGO_PKG_VERSION")))
            .output()
            .unwrap();
        assert!(out.status.success(), "{target}: {out:?}");

        let setting = |key: &str| {
            binstall
                .get("overrides")
                .and_then(|o| o.get(target))
                .and_then(|o| o.get(key))
                .or_else(|| binstall.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("no {key} for {target}"))
        };
        let url = render(setting("pkg-url"), target);
        let prefix = format!("REPO/releases/download/v{}/", env!("CARGO_PKG_VERSION"));
        let archive = url
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{url} is not a file of the release"));
        let made: Vec<String> = std::fs::read_dir(dir.path().join("dist"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(made, [archive], "{target}");
        let archive = dir.path().join("dist").join(archive);
        let listing = match setting("pkg-fmt") {
            "tgz" => {
                let out = Command::new("tar")
                    .arg("-tzf")
                    .arg(&archive)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{out:?}");
                String::from_utf8(out.stdout).unwrap()
            }
            "zip" => std::fs::read_to_string(&archive).unwrap(),
            other => panic!("{target}: unexpected pkg-fmt {other}"),
        };
        let inside = render(setting("bin-dir"), target);
        assert!(
            listing.lines().any(|line| line == inside),
            "{target}: {inside} is not in the archive:\n{listing}"
        );
    }
}

#[test]
fn the_deploy_guide_shows_the_ci_files_init_writes_and_the_release_addresses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/deploy.md")).unwrap();
    for template in ["github-deploy.yml", "gitlab-ci.yml"] {
        let template =
            std::fs::read_to_string(root.join("src/command/init").join(template)).unwrap();
        let first = template.lines().next().unwrap();
        let shown = guide
            .split("```yaml\n")
            .find(|block| block.starts_with(first))
            .and_then(|block| block.split("```").next())
            .unwrap_or_else(|| panic!("the guide does not show {first:?}"));
        // The guide shows sample values where `init` writes its own.
        let value = |name: &str| {
            shown
                .lines()
                .find_map(|line| line.strip_prefix(&format!("  {name}: ")))
                .unwrap_or_else(|| panic!("no {name}"))
        };
        let expected = template
            .replace("@TRIBUNE_REPOSITORY@", value("TRIBUNE_REPOSITORY"))
            .replace("@TRIBUNE_REV@", value("TRIBUNE_REV"));
        assert_eq!(shown, expected);
    }
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let pkg_url = manifest["package"]["metadata"]["binstall"]["pkg-url"]
        .as_str()
        .unwrap();
    let shown = pkg_url.replace("{ repo }", "${TRIBUNE_REPOSITORY%.git}");
    assert!(
        guide.contains(&format!("--pkg-url \"{shown}\"")),
        "the guide's cargo binstall command does not download {shown}"
    );
}
