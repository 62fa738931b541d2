//! Diagnostics: what went wrong, where, and what to do about it; exit codes live here too.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit code of a run that succeeded.
pub const EXIT_OK: u8 = 0;
/// Exit code when the site's input (configuration, content, templates) has problems.
pub const EXIT_INPUT: u8 = 1;
/// Exit code for a bad command line (also what the argument parser uses).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when reading or writing files failed, or the output folder was refused.
pub const EXIT_IO: u8 = 3;

/// What kind of failure a diagnostic reports, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A problem in the site's files: fix the input.
    Input,
    /// The file system refused an operation, or a file or folder is not Tribune's to replace.
    Io,
    /// The command line asks for something impossible: fix the command.
    Usage,
}

/// One problem, located as precisely as Tribune knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Failure class.
    pub kind: Kind,
    /// File the problem is in, relative to the site root when it is inside it.
    pub path: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// 1-based column (in characters) and width of what is wrong on that line, when known.
    pub columns: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when Tribune can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem in the site's input.
    pub fn input(message: impl Into<String>) -> Self {
        Diagnostic {
            kind: Kind::Input,
            path: None,
            line: None,
            columns: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A command line that cannot be run as written.
    pub fn usage(message: impl Into<String>) -> Self {
        Diagnostic {
            kind: Kind::Usage,
            ..Diagnostic::input(message)
        }
    }

    /// A file-system failure on `path`.
    pub fn io(path: &Path, action: &str, err: &std::io::Error) -> Self {
        Diagnostic {
            kind: Kind::Io,
            path: Some(path.to_path_buf()),
            line: None,
            columns: None,
            message: format!("cannot {action}: {err}"),
            hint: None,
        }
    }

    /// Names the file the problem is in.
    pub fn at(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Names the line the problem is on.
    pub fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Names the place on the line: 1-based column in characters, and width.
    pub fn columns(mut self, column: usize, width: usize) -> Self {
        self.columns = Some((column.max(1), width.max(1)));
        self
    }

    /// Adds advice.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks the problem as a file-system or output-folder failure.
    pub fn as_io(mut self) -> Self {
        self.kind = Kind::Io;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("error: ")?;
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Every problem found by one step; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Diagnostic>);

impl Errors {
    /// The exit code for this set of problems: a bad command line first (nothing else it ran
    /// into means much), then I/O failures, then input problems.
    pub fn exit_code(&self) -> u8 {
        if self.0.iter().any(|d| d.kind == Kind::Usage) {
            EXIT_USAGE
        } else if self.0.iter().any(|d| d.kind == Kind::Io) {
            EXIT_IO
        } else {
            EXIT_INPUT
        }
    }
}

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors(vec![d])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// A name that names nothing Tribune knows (a channel, a share platform), with what to write
/// instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{name}` ({hint})")]
pub(crate) struct UnknownName {
    /// What kind of name it should be: "social channel", "share platform".
    pub(crate) what: &'static str,
    /// The name as written.
    pub(crate) name: String,
    /// What to write instead.
    pub(crate) hint: String,
}

/// Result of a step that reports all of its problems at once.
pub type Result<T> = std::result::Result<T, Errors>;

/// Splits results into values and the union of their problems.
pub(crate) fn collect<T>(results: impl IntoIterator<Item = Result<T>>) -> Result<Vec<T>> {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(v) => values.push(v),
            Err(Errors(mut ds)) => problems.append(&mut ds),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(Errors(problems))
    }
}

/// The known name closest to `unknown`, if any is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Turns a TOML deserialization error into a diagnostic on `path`, with the line counted
/// from `first_line` (the file line the parsed text starts on) and a "did you mean" hint for
/// unknown keys.
pub(crate) fn from_toml(
    err: &toml::de::Error,
    text: &str,
    path: &Path,
    first_line: usize,
) -> Diagnostic {
    let message = err.message().trim().to_string();
    let mut d = Diagnostic::input(message.clone()).at(path);
    if let Some(span) = err.span() {
        let (column, width) = columns_of(text, span.clone());
        d = d
            .line(first_line + line_of(text, span.start) - 1)
            .columns(column, width);
    }
    if let Some(hint) = unknown_key_hint(&message) {
        d = d.hint(hint);
    }
    d
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// 1-based column (in characters) of byte `span.start` on its line, and the width in
/// characters of the span's part on that line (at least 1).
pub(crate) fn columns_of(text: &str, span: std::ops::Range<usize>) -> (usize, usize) {
    let start = floor_char(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = floor_char(text, span.end.clamp(start, line_end));
    (
        text[line_start..start].chars().count() + 1,
        text[start..end].chars().count().max(1),
    )
}

/// The nearest char boundary at or before `at`.
fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" and suggests the closest key.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    match closest(unknown, expected.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if !expected.is_empty() => Some(format!("known keys: {}", expected.join(", "))),
        None => None,
    }
}

/// `path` relative to `root` when inside it, as messages name it: site files by their path in the site.
pub(crate) fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        let hint =
            unknown_key_hint("unknown field `titel`, expected one of `title`, `date`, `tags`");
        assert_eq!(hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn lists_keys_when_nothing_is_close() {
        let hint = unknown_key_hint("unknown field `zzz`, expected one of `title`, `date`");
        assert_eq!(hint.as_deref(), Some("known keys: title, date"));
    }

    #[test]
    fn finds_columns_in_characters() {
        assert_eq!(columns_of("a = 1\nété = x\n", 12..13), (5, 1));
        assert_eq!(columns_of("abc\n", 1..10), (2, 2));
        assert_eq!(columns_of("abc", 3..3), (4, 1));
    }

    #[test]
    fn usage_wins_the_exit_code() {
        let errors = Errors(vec![
            Diagnostic::input("a"),
            Diagnostic::io(Path::new("x"), "read", &std::io::Error::other("no")),
            Diagnostic::usage("b"),
        ]);
        assert_eq!(errors.exit_code(), EXIT_USAGE);
    }

    #[test]
    fn counts_lines_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
