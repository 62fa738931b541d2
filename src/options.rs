//! Which site to read, at which clock, showing what: what a command line resolves to before
//! anything is read.

use std::path::PathBuf;

use crate::clock::Clock;
use crate::error::{Diagnostic, Result};
use crate::load::config::{BaseUrl, Config, Overrides};
use crate::site::public::Visibility;

/// The site folder and the clock, for the commands that only read a site (`audit`, `queue`).
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// The site folder.
    pub root: PathBuf,
    /// `--now`.
    pub now: Option<String>,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub source_date_epoch: Option<String>,
}

impl SiteOptions {
    /// The site's configuration with `overrides`, and the clock it runs at: `now`, else
    /// `SOURCE_DATE_EPOCH`, else the system clock.
    pub(crate) fn load_with(&self, overrides: &Overrides) -> Result<(Config, Clock)> {
        self.check_command_line(overrides)?;
        let config = Config::load(&self.root, overrides)?;
        let clock = Clock::resolve(
            self.now.as_deref(),
            self.source_date_epoch.as_deref(),
            config.zone,
        )?;
        Ok((config, clock))
    }

    /// Refuses a malformed `--now`, `SOURCE_DATE_EPOCH` or `--base-url` before anything is
    /// read, so a bad command line is told as such whatever state the site is in. (A `--now`
    /// that falls in the site's daylight-saving gap is only known once the zone is.)
    pub(crate) fn check_command_line(&self, overrides: &Overrides) -> Result<()> {
        Clock::resolve(
            self.now.as_deref(),
            self.source_date_epoch.as_deref(),
            chrono_tz::Tz::UTC,
        )?;
        if let Some(url) = &overrides.base_url {
            BaseUrl::parse(url).map_err(|e| Diagnostic::usage(format!("--base-url: {e}")))?;
        }
        Ok(())
    }

    /// The site's configuration and the clock it runs at.
    pub(crate) fn load(&self) -> Result<(Config, Clock)> {
        self.load_with(&Overrides::default())
    }
}

/// Everything a build needs, resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Command-line settings that win over `site.toml`.
    pub overrides: Overrides,
    /// `--now`.
    pub now: Option<String>,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub source_date_epoch: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Include posts dated after the build clock.
    pub future: bool,
    /// Include posts past their `expires` time.
    pub expired: bool,
    /// Treat warnings (links to posts that are not public) as errors.
    pub strict: bool,
}

impl BuildOptions {
    /// The site's configuration with the command line's settings, and the build clock.
    pub(crate) fn load(&self) -> Result<(Config, Clock)> {
        SiteOptions {
            root: self.root.clone(),
            now: self.now.clone(),
            source_date_epoch: self.source_date_epoch.clone(),
        }
        .load_with(&self.overrides)
    }

    /// What the build shows besides published posts.
    pub(crate) fn visibility(&self) -> Visibility {
        Visibility {
            drafts: self.drafts,
            future: self.future,
            expired: self.expired,
        }
    }
}
