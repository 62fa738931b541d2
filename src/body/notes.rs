//! What a build and `tribune check` point out in the content without stopping: Hugo shortcodes
//! that Tribune does not run, and comments files that belong to no post or page.

use std::path::Path;
use std::sync::Arc;

use crate::body::hugo;
use crate::error::Diagnostic;
use crate::load::comments;
use crate::load::corpus::Corpus;
use crate::load::post::Post;

/// Every note on the content of `corpus`, the site at `root`.
pub(crate) fn content_notes(corpus: &Corpus, root: &Path) -> Vec<Diagnostic> {
    content_notes_with(corpus, root, |post| hugo::post_hints(post))
}

/// [`content_notes`], `of_post` giving the notes on each post's and page's own text (as
/// [`hugo::post_hints`] does, or from what it remembers of an unchanged file).
pub(crate) fn content_notes_with(
    corpus: &Corpus,
    root: &Path,
    of_post: impl Fn(&Arc<Post>) -> Vec<Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    let mut notes = hugo::hints(corpus, root, of_post);
    notes.extend(comments::strays(&corpus.stray_comments));
    notes
}
