//! What a build and `tribune check` point out in the content without stopping: Hugo shortcodes
//! that Tribune does not run, and comments files that belong to no post or page.

use std::path::Path;

use crate::body::hugo;
use crate::error::Diagnostic;
use crate::load::comments;
use crate::load::corpus::Corpus;

/// Every note on the content of `corpus`, the site at `root`.
pub(crate) fn content_notes(corpus: &Corpus, root: &Path) -> Vec<Diagnostic> {
    let mut notes = hugo::hints(corpus, root);
    notes.extend(comments::strays(&corpus.stray_comments));
    notes
}
