//! How a link of an imported page reads its address: relative to the page or not, and which
//! path of the old site a full address names.

/// The path of `dest` on the old site at `base` (its host and path, `example.org/blog`), when
/// `dest` is a full address there, with or without `www.`.
pub(crate) fn path_on<'d>(base: &str, dest: &'d str) -> Option<&'d str> {
    let rest = dest
        .strip_prefix("https://")
        .or_else(|| dest.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let path = rest.strip_prefix(base.strip_prefix("www.").unwrap_or(base))?;
    (path.is_empty() || path.starts_with(['/', '#', '?'])).then_some(path)
}

/// Whether a link's address is relative to its page: no scheme, not from the root, not
/// only a fragment or a query.
pub(crate) fn is_relative(dest: &str) -> bool {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    !dest.is_empty() && !scheme && !dest.starts_with(['/', '#', '?'])
}
