//! The Markdown Tribune reads: every pass over a body parses it with the same extensions, so
//! that they all see the same blocks.

use pulldown_cmark::Options;

/// The Markdown extensions Tribune enables.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}
