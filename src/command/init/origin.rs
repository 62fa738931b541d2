//! Where a site's CI installs Tribune from: the public Git address and the commit `build.rs`
//! recorded for this binary, and what `init` writes in the CI files and warns about when one of
//! them is unknown. `build.rs` compiles this file too, to record only a public address.

/// The Git address this binary's source is published at, as `build.rs` recorded it.
pub(crate) const RECORDED_ORIGIN: Option<&str> = option_env!("TRIBUNE_GIT_ORIGIN");

/// The commit of that address this binary was built from, as `build.rs` recorded it.
pub(crate) const RECORDED_COMMIT: Option<&str> = option_env!("TRIBUNE_GIT_COMMIT");

/// What the CI files are written with when Tribune's address is unknown: a reserved name that
/// never resolves, so a CI run that was not edited fails naming it.
pub(crate) const PLACEHOLDER: &str = "https://example.invalid/tribune.git";

/// The address a CI runner can clone a Git remote from, or `None` when the remote is not a
/// public address (a local path, a `file:` URL, an SSH host alias, an unknown scheme).
/// SSH and `git:` remotes become `https:` on the same host (forges serve both); user names,
/// passwords and tokens are dropped, so none is ever written into a site's files.
pub(crate) fn public_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (scheme, rest) = match remote.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest.to_string()),
        None => {
            // Git's scp-like form, `[user@]host:path`, is SSH; it has no slash before the colon,
            // which tells it from a path (and a one-letter host from a Windows drive).
            let (host, path) = remote.split_once(':')?;
            if host.contains(['/', '\\']) || host.len() < 2 {
                return None;
            }
            (
                "ssh".to_string(),
                format!("{host}/{}", path.trim_start_matches('/')),
            )
        }
    };
    let keep_port = match scheme.as_str() {
        "https" | "http" => true,
        "ssh" | "git+ssh" | "ssh+git" | "git" => false,
        _ => return None,
    };
    let scheme = if keep_port { scheme.as_str() } else { "https" };
    let (authority, path) = rest.split_once('/')?;
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match host_port.split_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => (host, port),
        Some(_) => return None,
        None => (host_port, ""),
    };
    let host = host.to_ascii_lowercase();
    if !is_public_host(&host) {
        return None;
    }
    let path = path.trim_end_matches('/');
    let path_ok = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/%+@".contains(c))
        && !path.split('/').any(|part| part == "..");
    if !path_ok {
        return None;
    }
    let port = if keep_port && !port.is_empty() {
        format!(":{port}")
    } else {
        String::new()
    };
    Some(format!("{scheme}://{host}{port}/{path}"))
}

/// Whether a host name is one a CI runner on the internet can reach: a domain name, not
/// `localhost`, an address or a name without a dot (an SSH alias from `~/.ssh/config`).
fn is_public_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()))
        && !labels.contains(&"localhost")
}

/// Whether `text` is a full commit id (SHA-1 or SHA-256), the only revision that names one
/// tree forever.
pub(crate) fn is_commit(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

/// What `init` writes in the CI files to install Tribune, and what the user must do first when
/// they would not work as written.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Install {
    /// `TRIBUNE_REPOSITORY`: the Git address, or [`PLACEHOLDER`].
    pub(crate) repository: String,
    /// `TRIBUNE_REV`: the commit, or else the release tag of this version.
    pub(crate) rev: String,
    /// The warning to print, and the hint saying what to edit in `files`.
    pub(crate) warning: Option<(String, String)>,
}

/// The install settings for a binary built from `origin` at `commit`, of version `version`;
/// `files` names the CI files, for the warning.
pub(crate) fn install(
    origin: Option<&str>,
    commit: Option<&str>,
    version: &str,
    files: &str,
) -> Install {
    let repository = origin.and_then(public_url);
    let commit = commit.filter(|c| is_commit(c));
    let rev = commit.map_or_else(|| format!("v{version}"), str::to_string);
    let warning = match (&repository, commit) {
        (Some(_), Some(_)) => None,
        (Some(url), None) => Some((
            format!(
                "this Tribune does not know which commit of {url} it was built from, so the CI \
                 files install its release tag {rev}"
            ),
            format!("if {url} has no tag {rev}, set TRIBUNE_REV in {files} to one of its commits"),
        )),
        (None, Some(_)) => Some((
            "this Tribune was not built from a public Git repository, so the CI files do not \
             know where to install it from"
                .to_string(),
            format!(
                "set TRIBUNE_REPOSITORY in {files} to the Git address Tribune's source is \
                 published at (TRIBUNE_REV is the commit this Tribune was built from: keep it if \
                 that address has it)"
            ),
        )),
        (None, None) => Some((
            "this Tribune does not know where its source is published, so the CI files do not \
             know where to install it from"
                .to_string(),
            format!(
                "set TRIBUNE_REPOSITORY in {files} to the Git address Tribune's source is \
                 published at, and TRIBUNE_REV to one of its commits"
            ),
        )),
    };
    Install {
        repository: repository.unwrap_or_else(|| PLACEHOLDER.to_string()),
        rev,
        warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_addresses_are_kept_without_credentials() {
        for (remote, url) in [
            (
                "https://github.com/owner/tribune.git",
                "https://github.com/owner/tribune.git",
            ),
            (
                "https://github.com/owner/tribune",
                "https://github.com/owner/tribune",
            ),
            (
                " https://codeberg.org/owner/tribune/\n",
                "https://codeberg.org/owner/tribune",
            ),
            (
                "https://x-access-token:ghp_secret@github.com/owner/tribune.git",
                "https://github.com/owner/tribune.git",
            ),
            (
                "https://alice@gitlab.com/group/sub/tribune.git",
                "https://gitlab.com/group/sub/tribune.git",
            ),
            (
                "HTTPS://GitHub.com/Owner/Tribune",
                "https://github.com/Owner/Tribune",
            ),
            (
                "https://git.example.org:8443/tribune.git",
                "https://git.example.org:8443/tribune.git",
            ),
            (
                "http://git.example.org/tribune.git",
                "http://git.example.org/tribune.git",
            ),
        ] {
            assert_eq!(public_url(remote).as_deref(), Some(url), "{remote}");
        }
    }

    #[test]
    fn ssh_and_git_addresses_become_https() {
        for (remote, url) in [
            (
                "git@github.com:owner/tribune.git",
                "https://github.com/owner/tribune.git",
            ),
            (
                "gitlab.com:group/tribune.git",
                "https://gitlab.com/group/tribune.git",
            ),
            (
                "ssh://git@github.com/owner/tribune.git",
                "https://github.com/owner/tribune.git",
            ),
            (
                "ssh://git@gitlab.example.org:2222/group/sub/tribune.git",
                "https://gitlab.example.org/group/sub/tribune.git",
            ),
            (
                "git+ssh://git@github.com/owner/tribune",
                "https://github.com/owner/tribune",
            ),
            (
                "git://codeberg.org/owner/tribune.git",
                "https://codeberg.org/owner/tribune.git",
            ),
        ] {
            assert_eq!(public_url(remote).as_deref(), Some(url), "{remote}");
        }
    }

    #[test]
    fn local_and_unreachable_addresses_are_not_public() {
        for remote in [
            "",
            "/home/camille/src/tribune",
            "../tribune",
            "~/src/tribune",
            "file:///home/camille/src/tribune",
            "file://localhost/srv/git/tribune.git",
            "C:\\src\\tribune",
            "C:/src/tribune",
            "github-work:owner/tribune.git",
            "git@localhost:tribune.git",
            "https://localhost/tribune.git",
            "https://127.0.0.1/tribune.git",
            "ssh://git@[::1]/tribune.git",
            "https://github.com/",
            "https://github.com/owner/my tribune",
            "https://github.com/owner/../../etc",
            "ext::ssh -i key host %S tribune",
            "rsync://example.org/tribune",
        ] {
            assert_eq!(public_url(remote), None, "{remote}");
        }
    }

    #[test]
    fn only_full_commit_ids_are_commits() {
        assert!(is_commit("2cbd2ae5d2bd33b6b7bd29ec9f2bf0ef7d6f4c1d"));
        assert!(is_commit(&"a".repeat(64)));
        assert!(!is_commit("2cbd2ae"));
        assert!(!is_commit("v0.1.0"));
        assert!(!is_commit("2CBD2AE5D2BD33B6B7BD29EC9F2BF0EF7D6F4C1D"));
    }

    const COMMIT: &str = "2cbd2ae5d2bd33b6b7bd29ec9f2bf0ef7d6f4c1d";
    const FILES: &str = "deploy.yml and .gitlab-ci.yml";

    #[test]
    fn a_public_origin_and_its_commit_need_no_warning() {
        let install = install(
            Some("git@github.com:owner/tribune.git"),
            Some(COMMIT),
            "0.1.0",
            FILES,
        );
        assert_eq!(
            install,
            Install {
                repository: "https://github.com/owner/tribune.git".to_string(),
                rev: COMMIT.to_string(),
                warning: None,
            }
        );
    }

    #[test]
    fn what_is_unknown_is_a_warning_naming_the_files() {
        let no_origin = install(Some("/home/camille/tribune"), Some(COMMIT), "0.1.0", FILES);
        assert_eq!(no_origin.repository, PLACEHOLDER);
        assert_eq!(no_origin.rev, COMMIT);
        let (_, hint) = no_origin.warning.expect("a warning");
        assert!(hint.starts_with("set TRIBUNE_REPOSITORY in deploy.yml and .gitlab-ci.yml"));

        let nothing = install(None, None, "0.1.0", FILES);
        assert_eq!(nothing.repository, PLACEHOLDER);
        assert_eq!(nothing.rev, "v0.1.0");
        assert!(nothing.warning.is_some());

        let no_commit = install(Some("https://github.com/o/t"), Some("HEAD"), "0.2.0", FILES);
        assert_eq!(no_commit.repository, "https://github.com/o/t");
        assert_eq!(no_commit.rev, "v0.2.0");
        let (_, hint) = no_commit.warning.expect("a warning");
        assert_eq!(
            hint,
            "if https://github.com/o/t has no tag v0.2.0, set TRIBUNE_REV in deploy.yml and \
             .gitlab-ci.yml to one of its commits"
        );
    }
}
