//! What commands print: how much (`--quiet`, `--verbose`), and how problems look. Labels are
//! coloured on a terminal only, and a problem whose line is known shows that line with a caret
//! under the place, as compilers do; the first line stays `error: file:line: message`, which
//! editors and CI logs know how to follow.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, ColorChoice};
use crate::error::{Diagnostic, Errors};

/// How a command speaks to the person who ran it.
#[derive(Debug, Clone)]
pub(crate) struct Terminal {
    /// Nothing but errors.
    pub(crate) quiet: bool,
    /// Say more.
    pub(crate) verbose: bool,
    /// Whether standard error gets colours.
    color: bool,
    /// Where the files named by problems are, to show their lines.
    root: PathBuf,
}

/// How grave a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Stops the command.
    Error,
    /// Worth knowing; does not stop it.
    Warning,
}

/// Writes a command's output (a table, JSON, CSV) to standard output; a failure, such as a
/// full disk, is an error to report rather than a crash.
pub(crate) fn print_out(text: &str) -> crate::error::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Diagnostic::io(Path::new("standard output"), "write", &e).into())
}

// ANSI styles of the labels, as compilers use them.
/// Bold red: `error`.
const RED: &str = "\x1b[1;31m";
/// Bold yellow: `warning`.
const YELLOW: &str = "\x1b[1;33m";
/// Bold cyan: `hint`.
const CYAN: &str = "\x1b[1;36m";
/// Bold blue: the gutter beside a source line.
const BLUE: &str = "\x1b[1;34m";
/// Back to plain text.
const RESET: &str = "\x1b[0m";

/// Longest part of a source line shown under a problem, in characters.
const SHOWN: usize = 120;

impl Terminal {
    /// The terminal as the command line sets it up.
    pub(crate) fn new(cli: &Cli) -> Terminal {
        let no_color = std::env::var_os("NO_COLOR");
        Terminal {
            quiet: cli.quiet,
            verbose: cli.verbose,
            color: use_color(
                cli.color,
                std::io::stderr().is_terminal(),
                no_color.as_deref().and_then(|v| v.to_str()),
            ),
            root: cli.root.clone(),
        }
    }

    /// Whether standard error is a terminal a person watches, for progress lines.
    pub(crate) fn interactive(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
    }

    /// Prints a line of the command's report on standard output, unless `--quiet`. The work is
    /// done by then: an output nobody can read any more (a full disk) costs only the report.
    pub(crate) fn say(&self, text: impl std::fmt::Display) {
        if !self.quiet {
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
    }

    /// Prints a line only with `--verbose`.
    pub(crate) fn detail(&self, text: impl std::fmt::Display) {
        if self.verbose {
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
    }

    /// Prints every problem as an error.
    pub(crate) fn errors(&self, errors: &Errors) {
        let mut out = String::new();
        for d in &errors.0 {
            out.push_str(&self.render(Level::Error, d));
        }
        eprint!("{out}");
    }

    /// Prints a problem as a warning, unless `--quiet`.
    pub(crate) fn warning(&self, d: &Diagnostic) {
        if !self.quiet {
            eprint!("{}", self.render(Level::Warning, d));
        }
    }

    /// A warning that is not about a file: `warning: text`, unless `--quiet`.
    pub(crate) fn warn(&self, text: &str) {
        self.warning(&Diagnostic::input(text));
    }

    /// A problem as printed: the label, file, line and message, the source line with a caret
    /// when the line is known, and the hint.
    pub(crate) fn render(&self, level: Level, d: &Diagnostic) -> String {
        let (label, color) = match level {
            Level::Error => ("error", RED),
            Level::Warning => ("warning", YELLOW),
        };
        let mut out = format!("{}: ", self.paint(label, color));
        if let Some(path) = &d.path {
            let _ = write!(out, "{}", path.display());
            if let Some(line) = d.line {
                let _ = write!(out, ":{line}");
            }
            out.push_str(": ");
        }
        out.push_str(&d.message);
        out.push('\n');
        if let (Some(path), Some(line)) = (&d.path, d.line)
            && let Some(text) = source_line(&self.root.join(path), line)
        {
            out.push_str(&self.snippet(&text, line, d.columns, color));
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  {}: {hint}", self.paint("hint", CYAN));
        }
        out
    }

    /// Line `number` of a file, with a caret under `columns` (or under the whole line).
    fn snippet(
        &self,
        text: &str,
        number: usize,
        columns: Option<(usize, usize)>,
        color: &str,
    ) -> String {
        let chars: Vec<char> = text.chars().collect();
        let (column, width) = match columns {
            Some((c, w)) => ((c - 1).min(chars.len()), w),
            None => {
                let start = chars.iter().take_while(|c| c.is_whitespace()).count();
                (start, chars.len().saturating_sub(start))
            }
        };
        // A long line is shown around the place, so the caret stays on screen.
        let from = column.saturating_sub(SHOWN / 2).min(column);
        let to = (from + SHOWN).min(chars.len());
        let prefix = if from > 0 { "…" } else { "" };
        let shown: String = chars[from..to].iter().collect();
        let pad: String = std::iter::once(prefix)
            .map(|p| " ".repeat(p.chars().count()))
            .chain(chars[from..column].iter().map(|&c| {
                if c == '\t' {
                    "\t".to_string()
                } else {
                    " ".to_string()
                }
            }))
            .collect();
        let carets = "^".repeat(width.clamp(1, (to - column).max(1)));
        let gutter = " ".repeat(number.to_string().len());
        let bar = self.paint("|", BLUE);
        format!(
            "{gutter} {bar}\n{} {bar} {prefix}{shown}\n{gutter} {bar} {pad}{}\n",
            self.paint(&number.to_string(), BLUE),
            self.paint(&carets, color)
        )
    }

    /// `text` in `color` when colours are on.
    fn paint(&self, text: &str, color: &str) -> String {
        if self.color {
            format!("{color}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Whether to colour: `always` and `never` say so; `auto` colours a terminal unless
/// `NO_COLOR` is set to something (<https://no-color.org>).
pub(crate) fn use_color(choice: ColorChoice, is_terminal: bool, no_color: Option<&str>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(str::is_empty),
    }
}

/// Line `number` (1-based) of the file at `path`, without its line end, when it can be read.
fn source_line(path: &Path, number: usize) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let line = text.split('\n').nth(number.checked_sub(1)?)?;
    Some(line.trim_end_matches('\r').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(root: &Path) -> Terminal {
        Terminal {
            quiet: false,
            verbose: false,
            color: false,
            root: root.to_path_buf(),
        }
    }

    #[test]
    fn colours_only_a_terminal_without_no_color() {
        assert!(use_color(ColorChoice::Auto, true, None));
        assert!(use_color(ColorChoice::Auto, true, Some("")));
        assert!(!use_color(ColorChoice::Auto, true, Some("1")));
        assert!(!use_color(ColorChoice::Auto, false, None));
        assert!(use_color(ColorChoice::Always, false, Some("1")));
        assert!(!use_color(ColorChoice::Never, true, None));
    }

    #[test]
    fn shows_the_line_with_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "+++\ntitel = \"x\"\n+++\n").unwrap();
        let d = Diagnostic::input("unknown field `titel`")
            .at("a.md")
            .line(2)
            .columns(1, 5)
            .hint("did you mean `title`?");
        assert_eq!(
            plain(dir.path()).render(Level::Error, &d),
            "error: a.md:2: unknown field `titel`\n  |\n2 | titel = \"x\"\n  | ^^^^^\n  hint: did you mean `title`?\n"
        );
    }

    #[test]
    fn underlines_the_whole_line_without_a_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "x\n\tété = 1\n").unwrap();
        let d = Diagnostic::input("bad").at("a.md").line(2);
        assert_eq!(
            plain(dir.path()).render(Level::Warning, &d),
            "warning: a.md:2: bad\n  |\n2 | \tété = 1\n  | \t^^^^^^^\n"
        );
    }

    #[test]
    fn a_missing_file_shows_no_line() {
        let dir = tempfile::tempdir().unwrap();
        let d = Diagnostic::input("bad").at("gone.md").line(2);
        assert_eq!(
            plain(dir.path()).render(Level::Error, &d),
            "error: gone.md:2: bad\n"
        );
    }
}
