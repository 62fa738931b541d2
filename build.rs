//! Embeds the default theme in the binary, so a site without a `themes/` folder builds, and
//! records where the source comes from (a public Git address and a commit of it), so that the
//! CI files `tribune init` writes install this very Tribune.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)]
#[path = "src/command/init/origin.rs"]
mod origin;

fn main() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Files of the default theme: path inside the theme, bytes.\npub(crate) static EMBEDDED: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in files {
        writeln!(code, "    ({rel:?}, include_bytes!({abs:?})),").unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_theme.rs");
    std::fs::write(out, code).unwrap();
    record_source();
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((rel, path.display().to_string()));
        }
    }
}

/// Sets `TRIBUNE_GIT_ORIGIN` and `TRIBUNE_GIT_COMMIT` for the crate when they are known. Each
/// step may find nothing (no `git`, a source download, a copy with no public remote): that is
/// normal and only leaves the record out, never fails the build.
///
/// In order: values given in the build's environment (a release build, a packager); the
/// clone's `origin` when it is a public address, with HEAD if `origin` has it, else the newest
/// commit below HEAD that it has; in a checkout made by `cargo install --git`, whose `origin`
/// is Cargo's local copy, the address Cargo fetched that copy from and HEAD, the commit it
/// installs; and last the manifest's `repository` key, with no commit.
fn record_source() {
    println!("cargo:rerun-if-env-changed=TRIBUNE_GIT_ORIGIN");
    println!("cargo:rerun-if-env-changed=TRIBUNE_GIT_COMMIT");
    let given = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (mut url, mut commit) = (
        given("TRIBUNE_GIT_ORIGIN").and_then(|o| origin::public_url(&o)),
        given("TRIBUNE_GIT_COMMIT").filter(|c| origin::is_commit(c)),
    );
    if url.is_none() || commit.is_none() {
        let (found_url, found_commit) = from_git(Path::new(env!("CARGO_MANIFEST_DIR")));
        if url.is_none() {
            url = found_url;
        }
        commit = commit.or(found_commit);
    }
    if url.is_none() {
        url = given("CARGO_PKG_REPOSITORY").and_then(|r| origin::public_url(&r));
    }
    if let Some(url) = url {
        println!("cargo:rustc-env=TRIBUNE_GIT_ORIGIN={url}");
    }
    if let Some(commit) = commit {
        println!("cargo:rustc-env=TRIBUNE_GIT_COMMIT={commit}");
    }
}

/// The public address and published commit of the Git checkout `dir` is in, as far as known.
fn from_git(dir: &Path) -> (Option<String>, Option<String>) {
    let git = |args: &[&str]| -> Option<String> {
        let mut command = Command::new("git");
        command.arg("-C").arg(dir).args(args);
        // A build run from a Git hook inherits these, which would point at another repository.
        for name in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_COMMON_DIR",
            "GIT_INDEX_FILE",
        ] {
            command.env_remove(name);
        }
        let out = command.output().ok()?;
        let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !text.is_empty()).then_some(text)
    };
    // Only a checkout that holds this package: not a copy unpacked inside another repository
    // (a download under a home folder kept in Git, `cargo package`'s copy under target/).
    if git(&["ls-files", "--error-unmatch", "Cargo.toml"]).is_none() {
        return (None, None);
    }
    let absolute = |p: String| {
        let p = PathBuf::from(p);
        if p.is_absolute() { p } else { dir.join(p) }
    };
    let (Some(git_dir), Some(common)) = (
        git(&["rev-parse", "--git-dir"]).map(absolute),
        git(&["rev-parse", "--git-common-dir"]).map(absolute),
    ) else {
        return (None, None);
    };
    // Adding or changing `origin` is seen in any case; commits are followed only when there is
    // a public `origin` to record them for, so a clone without one does not rebuild after each.
    watch(&[common.join("config")]);
    let remote = git(&["config", "--get", "remote.origin.url"]);
    let head = || git(&["rev-parse", "--verify", "HEAD^{commit}"]);
    if let Some(url) = remote.as_deref().and_then(origin::public_url) {
        let mut files = vec![git_dir.join("HEAD")];
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            files.push(common.join(branch));
        }
        // The whole `refs` folder, because a packed branch becomes a new loose file on the next
        // commit, and a push moves a remote-tracking branch.
        for name in ["packed-refs", "refs", "reftable"] {
            files.push(common.join(name));
        }
        watch(&files);
        return (
            Some(url),
            head().and_then(|head| published_commit(&git, head)),
        );
    }
    // `cargo install --git` builds a checkout of its own copy of the repository (a new one for
    // each commit, marked by `.cargo-ok`); HEAD is the installed commit, and the copy remembers,
    // in FETCH_HEAD, the address it was fetched from.
    let top = git(&["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    if top.is_some_and(|top| top.join(".cargo-ok").is_file()) {
        return (remote.as_deref().and_then(fetched_from), head());
    }
    (None, None)
}

/// HEAD when `origin` has it; else the newest commit below HEAD that the upstream branch, or
/// `origin`'s default branch, has (HEAD's own commits are not pushed yet); else nothing.
fn published_commit(git: &dyn Fn(&[&str]) -> Option<String>, head: String) -> Option<String> {
    if git(&[
        "for-each-ref",
        "--count=1",
        "--contains",
        &head,
        "refs/remotes/origin",
    ])
    .is_some()
    {
        return Some(head);
    }
    let upstream = git(&["rev-parse", "--symbolic-full-name", "@{upstream}"])
        .filter(|name| name.starts_with("refs/remotes/origin/"));
    upstream
        .into_iter()
        .chain(Some("refs/remotes/origin/HEAD".to_string()))
        .find_map(|branch| git(&["merge-base", &head, &branch]))
        .filter(|c| origin::is_commit(c))
}

/// The public address a local bare repository (Cargo's copy) last fetched from.
fn fetched_from(remote: &str) -> Option<String> {
    let path = remote.strip_prefix("file://").unwrap_or(remote);
    let text = std::fs::read_to_string(Path::new(path).join("FETCH_HEAD")).ok()?;
    text.lines().find_map(|line| {
        // `<commit> TAB [not-for-merge] TAB [branch 'main' of ]<address>`
        let what = line.splitn(3, '\t').nth(2)?;
        origin::public_url(what.rsplit(" of ").next().unwrap_or(what))
    })
}

/// Reruns this script when one of these files or folders changes. Only those that exist are
/// named: Cargo reruns every time for a missing one.
fn watch(files: &[PathBuf]) {
    for file in files.iter().filter(|f| f.exists()) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
}
