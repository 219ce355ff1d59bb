//! What changed since the last render, for renderers that can redo only
//! the pages a change touches (`cufpress serve`).

/// The files changed since the last complete render, site-root-relative
/// (`content/lettres/2025-09/assises.md`, `themes/cuf/templates/article.html`).
///
/// Only edits of existing files are described here: when a file appears or
/// disappears, or `content/site.yaml` changes, every renderer renders
/// everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// The changed files, sorted, without duplicates.
    pub files: Vec<String>,
}

impl ChangeSet {
    /// A change set of these files.
    pub fn new(files: impl IntoIterator<Item = String>) -> Self {
        let mut files: Vec<String> = files.into_iter().collect();
        files.sort();
        files.dedup();
        ChangeSet { files }
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
