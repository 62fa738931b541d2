//! Site: what is public at one clock.
//!
//! In: the corpus, the configuration and the clock. Out: a [`public::Site`] holding only what a
//! build shows (drafts and future posts cannot reach a renderer), with its taxonomies, years and
//! related posts; each post's status, its freshness and the next time the site changes by itself.

pub(crate) mod freshness;
pub(crate) mod public;
pub(crate) mod schedule;
pub(crate) mod status;
pub(crate) mod taxonomy;
