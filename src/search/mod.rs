//! Search, built in: each language's posts indexed as the files the search page of the default
//! theme fetches. `analyze` turns text into the words and stems a query meets; `index` builds
//! one language's index from its posts.

pub(crate) mod analyze;
pub(crate) mod index;
