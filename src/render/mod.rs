//! Render: every output file of the public site, as bytes.
//!
//! In: the public site, its rendered bodies and the compiled theme. Out: the plan (every output
//! file as a job, listed once) and, for each job, its bytes: pages through the theme's templates,
//! feeds, the sitemap, copied files. Rendering writes nothing.

pub(crate) mod context;
pub(crate) mod feeds;
pub(crate) mod inputs;
pub(crate) mod pages;
pub(crate) mod plan;
pub(crate) mod prepare;
pub(crate) mod sitemap;
