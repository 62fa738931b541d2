//! Load: the site's files into validated values.
//!
//! In: the site folder (`site.toml`, `content/`). Out: a [`config::Config`] and a
//! [`corpus::Corpus`] of typed posts and pages, every one valid, with collisions found. Nothing
//! here knows about the clock's public view, the theme or the output.

pub(crate) mod comments;
pub(crate) mod config;
pub(crate) mod corpus;
pub(crate) mod folders;
pub(crate) mod frontmatter;
pub(crate) mod pictures;
pub(crate) mod post;
pub(crate) mod source;
