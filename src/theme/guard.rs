//! Keeps templates from recursing without end or working without bound: a macro that calls
//! itself, or a template that includes itself, would otherwise overflow the stack and abort the
//! process (and with it the live preview); `range(end=1000000000000)` would fill the memory, and
//! macros calling macros a few times each, a few dozen deep, would run for hours.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::Tera;

/// How deep macros may call macros. Real templates nest a handful of levels; a thread of
/// comments that deep is already unreadable.
pub(crate) const MAX_MACRO_DEPTH: usize = 48;

/// How many macro calls one rendering may make: a listing of a thousand posts, each with its
/// card, tags and dates, makes a few thousand, and the audit of a large site a few tens of
/// thousands; a million is reached in seconds.
pub(crate) const MAX_MACRO_CALLS: usize = 1_000_000;

/// The most numbers `range` gives.
pub(crate) const MAX_RANGE: u64 = 100_000;

const ENTER: &str = "__tribune_macro_enter";
const LEAVE: &str = "__tribune_macro_leave";

thread_local! {
    /// Macro calls open on this thread's render.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Macro calls made by this thread's render.
    static CALLS: Cell<usize> = const { Cell::new(0) };
}

/// Registers the functions that count macro depth, and removes Tera's `get_env`: a theme must
/// not be able to publish the build machine's secrets.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_function(ENTER, |_: &HashMap<String, tera::Value>| {
        let depth = DEPTH.get() + 1;
        DEPTH.set(depth);
        let calls = CALLS.get() + 1;
        CALLS.set(calls);
        if calls > MAX_MACRO_CALLS {
            return Err(tera::Error::msg(format!(
                "this page calls macros more than {MAX_MACRO_CALLS} times: do macros call each other many times over?"
            )));
        }
        if depth > MAX_MACRO_DEPTH {
            return Err(tera::Error::msg(format!(
                "macros call macros more than {MAX_MACRO_DEPTH} deep: does a macro call itself without end?"
            )));
        }
        Ok(tera::Value::String(String::new()))
    });
    tera.register_function(LEAVE, |_: &HashMap<String, tera::Value>| {
        DEPTH.set(DEPTH.get().saturating_sub(1));
        Ok(tera::Value::String(String::new()))
    });
    tera.register_function("get_env", |_: &HashMap<String, tera::Value>| {
        Err::<tera::Value, _>(tera::Error::msg(
            "templates cannot read the environment (`get_env`)",
        ))
    });
    tera.register_function("range", range);
}

/// Tera's `range(start=0, end, step_by=1)`, giving at most [`MAX_RANGE`] numbers.
fn range(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let number = |name: &str, default: Option<u64>| -> tera::Result<u64> {
        match args.get(name) {
            Some(v) => v.as_u64().ok_or_else(|| {
                tera::Error::msg(format!("`range`: `{name}` must be a whole number, not {v}"))
            }),
            None => default.ok_or_else(|| tera::Error::msg("`range` needs `end`")),
        }
    };
    let start = number("start", Some(0))?;
    let end = number("end", None)?;
    let step = number("step_by", Some(1))?.max(1);
    if start > end {
        return Err(tera::Error::msg(format!(
            "`range`: `start` ({start}) is past `end` ({end})"
        )));
    }
    if (end - start).div_ceil(step) > MAX_RANGE {
        return Err(tera::Error::msg(format!(
            "`range` gives at most {MAX_RANGE} numbers; this one would give {}",
            (end - start).div_ceil(step)
        )));
    }
    Ok(tera::Value::Array(
        (start..end)
            .step_by(usize::try_from(step).unwrap_or(usize::MAX))
            .map(tera::Value::from)
            .collect(),
    ))
}

/// Starts a render with no macro open (an earlier render that failed may have left some) and
/// none called yet.
pub(crate) fn reset() {
    DEPTH.set(0);
    CALLS.set(0);
}

/// `text` with a depth count around the body of every macro. The calls print nothing and keep
/// each tag's whitespace control, so the output is the same.
pub(crate) fn count_macros(text: &str) -> Cow<'_, str> {
    if !text.contains("macro") {
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
        if words.starts_with("macro ") {
            out.push_str(&text[copied..close]);
            let trim = if tag.ends_with("-%}") { "-" } else { "" };
            out.push_str(&format!("{{{{{trim} {ENTER}() {trim}}}}}"));
            copied = close;
        } else if words.starts_with("endmacro") {
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

/// The first template that includes itself, directly or through others, with the chain.
pub(crate) fn include_cycle(templates: &BTreeMap<&str, &str>) -> Option<(String, Vec<String>)> {
    let includes: BTreeMap<&str, Vec<&str>> = templates
        .iter()
        .map(|(&name, &text)| (name, included(text)))
        .collect();
    // Each template is walked once: finished ones cannot lead back to the path being walked.
    let mut finished = BTreeSet::new();
    for &start in templates.keys() {
        let mut path = Vec::new();
        if let Some(chain) = find_cycle(start, &includes, &mut path, &mut finished) {
            return Some((chain[0].clone(), chain));
        }
    }
    None
}

/// Walks the includes from `at`; returns the chain of a cycle it finds, first name repeated.
fn find_cycle<'a>(
    at: &'a str,
    includes: &BTreeMap<&'a str, Vec<&'a str>>,
    path: &mut Vec<&'a str>,
    finished: &mut BTreeSet<&'a str>,
) -> Option<Vec<String>> {
    if finished.contains(at) {
        return None;
    }
    if let Some(k) = path.iter().position(|&p| p == at) {
        let mut chain: Vec<String> = path[k..].iter().map(|s| s.to_string()).collect();
        chain.push(at.to_string());
        return Some(chain);
    }
    path.push(at);
    for &next in includes.get(at).into_iter().flatten() {
        if let Some(chain) = find_cycle(next, includes, path, finished) {
            return Some(chain);
        }
    }
    path.pop();
    finished.insert(at);
    None
}

/// The names a template includes: `{% include "name" %}`, quoted either way.
fn included(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{%") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find("%}") else { break };
        let words = rest[..end].trim_start_matches('-').trim();
        if let Some(arg) = words.strip_prefix("include") {
            let arg = arg.trim_start();
            if let Some(quote) = arg.chars().next().filter(|c| *c == '"' || *c == '\'')
                && let Some(name) = arg[1..].split(quote).next()
            {
                names.push(name);
            }
        }
        rest = &rest[end..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_macros_without_changing_their_whitespace() {
        let text = "{% macro a(x) %}\n A {% endmacro a %}{%- macro b() -%}\n B\n{%- endmacro -%}";
        assert_eq!(
            count_macros(text),
            "{% macro a(x) %}{{ __tribune_macro_enter() }}\n A {{ __tribune_macro_leave() }}{% endmacro a %}\
             {%- macro b() -%}{{- __tribune_macro_enter() -}}\n B\n{{- __tribune_macro_leave() -}}{%- endmacro -%}"
        );
        assert!(matches!(count_macros("{{ x }}"), Cow::Borrowed(_)));
    }

    #[test]
    fn finds_include_cycles() {
        let templates = BTreeMap::from([
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{%- include 'a.html' -%}"),
            ("c.html", "{% include \"b.html\" %}"),
        ]);
        let (first, chain) = include_cycle(&templates).unwrap();
        assert_eq!(first, "a.html");
        assert_eq!(chain, ["a.html", "b.html", "a.html"]);
        assert!(include_cycle(&BTreeMap::from([("a.html", "x")])).is_none());
        // Many paths to one template are no cycle, and are walked once each.
        let diamond: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("t{i}.html"),
                    format!(
                        "{{% include \"t{}.html\" %}}{{% include \"t{}.html\" %}}",
                        i + 1,
                        i + 2
                    ),
                )
            })
            .collect();
        let diamond: BTreeMap<&str, &str> = diamond
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        assert!(include_cycle(&diamond).is_none());
    }
}
