//! Audit: the content inventory and its report.
//!
//! In: the corpus, its public view at the audit's time and the files a build would make. Out:
//! the inventory by theme, tag and month with its findings (stale, scheduled, drafts, missing
//! descriptions or images, broken links, translations missing or older than their original),
//! as a terminal table, JSON and an HTML report; for `tribune check`, every link of the content
//! followed to its page, anchor or file (and, on request, to other sites over the network).

pub(crate) mod external;
pub(crate) mod inventory;
pub(crate) mod links;
pub(crate) mod report;
mod view;
