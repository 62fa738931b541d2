//! Keeps templates from working without bound: a component that calls components a few times
//! each, a few dozen deep, would run for hours, and so would loops in loops;
//! `range(end=1000000000000)` would fill the memory, and so would a page of terabytes. Tera
//! itself stops components that call each other more than [`MAX_COMPONENT_DEPTH`] deep; the
//! components open are kept so that its refusal can name the one that went too deep.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use tera::{Kwargs, State, Tera};

/// How deep Tera lets components call components.
pub(crate) const MAX_COMPONENT_DEPTH: usize = 20;

/// How many component calls one rendering may make: a listing of a thousand posts, each with
/// its card, tags and dates, makes a few thousand, and the audit of a large site a few tens of
/// thousands; a million is reached in seconds.
pub(crate) const MAX_COMPONENT_CALLS: usize = 1_000_000;

/// The most numbers `range` gives.
pub(crate) const MAX_RANGE: u64 = 100_000;

/// How many loop turns and `set`s one rendering may take: the sitemap of 100,000 posts takes a
/// few hundred thousand; two million take a fraction of a second.
pub(crate) const MAX_LOOP_TURNS: usize = 2_000_000;

/// The most time one rendering may take: a page renders in milliseconds, and a loop whose
/// every turn filters the whole of a long text would take hours.
pub(crate) const MAX_TIME: Duration = Duration::from_secs(10);

/// The most memory one rendering may take, its output aside: strings grown by `~` in a loop
/// reach it in a few turns.
pub(crate) const MAX_MEMORY: isize = 512 * 1024 * 1024;

/// The most bytes one rendered file may have: ten times the sitemap of 100,000 posts.
pub(crate) const MAX_OUTPUT: usize = 256 * 1024 * 1024;

const ENTER: &str = "__tribune_enter";
const LEAVE: &str = "__tribune_leave";
const STEP: &str = "__tribune_step";

thread_local! {
    /// The components open on this thread's render, innermost last.
    static OPEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Component calls made by this thread's render.
    static CALLS: Cell<usize> = const { Cell::new(0) };
    /// Loop turns and `set`s taken by this thread's render.
    static STEPS: Cell<usize> = const { Cell::new(0) };
    /// What this thread held when its render began.
    static HELD_BEFORE: Cell<isize> = const { Cell::new(0) };
    /// When this thread's render began.
    static STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Why this thread's render was refused its output, when it was.
    static REFUSED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Registers the functions that count component calls and loop turns, and `range` within
/// bounds.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_function(ENTER, |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let name = kwargs.get::<&str>("name")?.unwrap_or_default().to_string();
        OPEN.with_borrow_mut(|open| open.push(name));
        let calls = CALLS.get() + 1;
        CALLS.set(calls);
        if calls > MAX_COMPONENT_CALLS {
            return Err(tera::Error::message(format!(
                "this page calls components more than {MAX_COMPONENT_CALLS} times: do components call each other many times over?"
            )));
        }
        within_bounds()
    });
    tera.register_function(LEAVE, |_: Kwargs, _: &State| {
        OPEN.with_borrow_mut(Vec::pop);
        String::new()
    });
    tera.register_function(STEP, |_: Kwargs, _: &State| -> tera::TeraResult<String> {
        let steps = STEPS.get() + 1;
        STEPS.set(steps);
        if steps > MAX_LOOP_TURNS {
            return Err(tera::Error::message(format!(
                "this page's loops turn more than {MAX_LOOP_TURNS} times: are loops nested over large lists?"
            )));
        }
        within_bounds()
    });
    tera.register_function("range", range);
}

/// Nothing, or an error when this render holds more than [`MAX_MEMORY`] or took more than
/// [`MAX_TIME`].
fn within_bounds() -> tera::TeraResult<String> {
    if STARTED
        .get()
        .is_some_and(|started| started.elapsed() > MAX_TIME)
    {
        return Err(tera::Error::message(format!(
            "this page took more than {} seconds to render: does a loop filter long texts on every turn?",
            MAX_TIME.as_secs()
        )));
    }
    let held = crate::memory::held().wrapping_sub(HELD_BEFORE.get());
    if held > MAX_MEMORY {
        return Err(tera::Error::message(format!(
            "this page's templates hold more than {} MB: does a string grow without end, `~` in a loop?",
            MAX_MEMORY / (1024 * 1024)
        )));
    }
    Ok(String::new())
}

/// Tera's `range(start=0, end, step_by=1)`, giving at most [`MAX_RANGE`] numbers.
fn range(kwargs: Kwargs, _: &State) -> tera::TeraResult<Vec<u64>> {
    let number = |name: &str, default: Option<u64>| -> tera::TeraResult<u64> {
        match kwargs.get::<tera::Value>(name)? {
            Some(v) => v
                .as_number()
                .and_then(|n| n.as_integer())
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "`range`: `{name}` must be a whole number, not {v}"
                    ))
                }),
            None => default.ok_or_else(|| tera::Error::message("`range` needs `end`")),
        }
    };
    let start = number("start", Some(0))?;
    let end = number("end", None)?;
    let step = number("step_by", Some(1))?.max(1);
    if start > end {
        return Err(tera::Error::message(format!(
            "`range`: `start` ({start}) is past `end` ({end})"
        )));
    }
    if (end - start).div_ceil(step) > MAX_RANGE {
        return Err(tera::Error::message(format!(
            "`range` gives at most {MAX_RANGE} numbers; this one would give {}",
            (end - start).div_ceil(step)
        )));
    }
    Ok((start..end)
        .step_by(usize::try_from(step).unwrap_or(usize::MAX))
        .collect())
}

/// Starts a render with no component called yet, no loop turned, nothing refused, and its
/// clock and memory count started.
pub(crate) fn reset() {
    OPEN.with_borrow_mut(Vec::clear);
    CALLS.set(0);
    REFUSED.set(None);
    STEPS.set(0);
    HELD_BEFORE.set(crate::memory::held());
    STARTED.set(Some(Instant::now()));
}

/// The innermost component open when this thread's render stopped.
pub(crate) fn innermost_component() -> Option<String> {
    OPEN.with_borrow(|open| open.last().cloned())
}

/// Why this thread's last render was refused its output, if it was.
pub(crate) fn refusal() -> Option<String> {
    REFUSED.take()
}

/// A rendered file's bytes, refused past [`MAX_OUTPUT`].
#[derive(Default)]
pub(crate) struct Output(pub(crate) Vec<u8>);

impl std::io::Write for Output {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.0.len() + bytes.len() > MAX_OUTPUT {
            let why = format!(
                "this page would be larger than {} MB",
                MAX_OUTPUT / (1024 * 1024)
            );
            // Tera keeps only the kind of a failed write: the reason is kept here.
            REFUSED.set(Some(why.clone()));
            return Err(std::io::Error::other(why));
        }
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `text` with a count at the start and end of every component's body, and, with `steps`, at
/// the start of every loop's body and after every `set`. The calls print nothing and keep each tag's
/// whitespace control, so the output is the same; what `raw` blocks hold is left as it is.
pub(crate) fn instrument(text: &str, steps: bool) -> Cow<'_, str> {
    if !text.contains("component") && !(steps && (text.contains("for") || text.contains("set"))) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 128);
    let mut copied = 0;
    let mut from = 0;
    while let Some(open) = text[from..].find("{%").map(|i| from + i) {
        let Some(close) = text[open..].find("%}").map(|i| open + i + 2) else {
            break;
        };
        let tag = &text[open..close];
        let words = tag
            .trim_start_matches("{%")
            .trim_start_matches('-')
            .trim_start();
        let opens = if let Some(rest) = words.strip_prefix("component ") {
            Some(format!("{ENTER}(name=\"{}\")", component_name(rest)))
        } else if steps && (words.starts_with("for ") || words.starts_with("set")) {
            Some(format!("{STEP}()"))
        } else {
            None
        };
        if words.starts_with("raw") {
            // Nothing up to `endraw` is a tag.
            let Some(end) = text[close..].find("endraw").map(|i| close + i) else {
                break;
            };
            from = end;
            continue;
        } else if let Some(call) = opens {
            out.push_str(&text[copied..close]);
            let trim = if tag.ends_with("-%}") { "-" } else { "" };
            out.push_str(&format!("{{{{{trim} {call} {trim}}}}}"));
            copied = close;
        } else if words.starts_with("endcomponent") {
            out.push_str(&text[copied..open]);
            let trim = if tag.starts_with("{%-") { "-" } else { "" };
            out.push_str(&format!("{{{{{trim} {LEAVE}() {trim}}}}}"));
            out.push_str(tag);
            copied = close;
        }
        from = close;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The words of each `{% … %}` tag of `text`, from its name on (its whitespace control and
/// spaces skipped), with where the tag opens.
pub(crate) fn tags(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices("{%").map(|(open, _)| {
        let words = text[open + 2..].trim_start_matches('-').trim_start();
        (open, words)
    })
}

/// The name of the component whose definition goes on with `rest`, the words after
/// `component`: `post_meta` of `post_meta(post, t) %}`.
pub(crate) fn component_name(rest: &str) -> &str {
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.')))
        .unwrap_or(rest.len());
    &rest[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_components_without_changing_their_whitespace() {
        let text = "{% component a(x) %}\n A {% endcomponent a %}{%- component b() -%}\n B\n{%- endcomponent b -%}";
        assert_eq!(
            instrument(text, true),
            "{% component a(x) %}{{ __tribune_enter(name=\"a\") }}\n A {{ __tribune_leave() }}{% endcomponent a %}\
             {%- component b() -%}{{- __tribune_enter(name=\"b\") -}}\n B\n{{- __tribune_leave() -}}{%- endcomponent b -%}"
        );
        assert!(matches!(instrument("{{ x }}", true), Cow::Borrowed(_)));
        assert!(matches!(
            instrument("{% for x in y %}{% endfor %}", false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn counts_loop_turns_and_sets_but_not_in_raw_blocks() {
        let text = "{%- for p in posts -%}\n{{ p }}{% endfor %}{% raw %}{% for x in y %}{% endraw %}\
                    {% for i in range(end=2) %}{% set_global s = s ~ s %}{% endfor %}";
        assert_eq!(
            instrument(text, true),
            "{%- for p in posts -%}{{- __tribune_step() -}}\n{{ p }}{% endfor %}\
             {% raw %}{% for x in y %}{% endraw %}\
             {% for i in range(end=2) %}{{ __tribune_step() }}\
             {% set_global s = s ~ s %}{{ __tribune_step() }}{% endfor %}"
        );
    }

    #[test]
    fn a_render_that_holds_too_much_memory_is_stopped() {
        reset();
        assert!(within_bounds().is_ok());
        // Zeroed pages are not touched: the count sees them, the machine hardly does.
        let held = vec![0u8; usize::try_from(MAX_MEMORY).unwrap() + 1024 * 1024];
        let error = within_bounds().unwrap_err().to_string();
        assert!(error.contains("hold more than 512 MB"), "{error}");
        drop(held);
        assert!(within_bounds().is_ok());
    }
}
