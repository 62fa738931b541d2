//! Body: a post's Markdown source to HTML.
//!
//! In: a post, its share links and the compiled templates (for shortcodes). Out: its
//! [`markdown::Rendered`] body (HTML, summary, pull quotes, word count). The steps run in this
//! order: shortcodes, Markdown (with highlighting), typography, then the removal of URLs that
//! run scripts (`crate::unsafe_url`). `links` reads bodies for links to posts that are not public.

pub(crate) mod autolink;
pub(crate) mod comments;
pub(crate) mod compose;
pub(crate) mod dialect;
pub(crate) mod footnotes;
pub(crate) mod highlight;
pub(crate) mod hugo;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod notes;
pub(crate) mod shortcodes;
pub(crate) mod typography;
