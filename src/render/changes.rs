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
    /// Those of `files` whose front matter may have changed (sorted): the
    /// others had only their text after the closing `---` edited.
    pub fronts: Vec<String>,
}

impl ChangeSet {
    /// A change set of these files.
    pub fn new(files: impl IntoIterator<Item = String>) -> Self {
        let mut files: Vec<String> = files.into_iter().collect();
        files.sort();
        files.dedup();
        ChangeSet {
            fronts: files.clone(),
            files,
        }
    }

    /// A change set of these files, of which only `fronts` may have had
    /// their front matter changed.
    pub fn with_fronts(
        files: impl IntoIterator<Item = String>,
        fronts: impl IntoIterator<Item = String>,
    ) -> Self {
        let mut c = ChangeSet::new(files);
        let mut fronts: Vec<String> = fronts
            .into_iter()
            .filter(|f| c.files.binary_search(f).is_ok())
            .collect();
        fronts.sort();
        fronts.dedup();
        c.fronts = fronts;
        c
    }

    /// True when `file` changed only after its front matter (its body).
    pub fn body_only(&self, file: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(file))
            .is_ok()
            && self
                .fronts
                .binary_search_by(|f| f.as_str().cmp(file))
                .is_err()
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// True when every changed file is content under one of `dirs`
    /// (`content/lettres/`, …): a renderer that reads none of those folders
    /// has nothing to redo. Any theme change touches every page.
    pub fn only_under(&self, dirs: &[&str]) -> bool {
        self.files.iter().all(|f| {
            dirs.iter()
                .any(|d| f.starts_with("content/") && f["content/".len()..].starts_with(d))
        })
    }

    /// The issues (`AAAA-MM`) whose files changed, when only letters changed.
    pub fn letters_only(&self) -> Option<Vec<&str>> {
        let mut ids: Vec<&str> = self
            .files
            .iter()
            .map(|f| f.strip_prefix("content/lettres/")?.split('/').next())
            .collect::<Option<_>>()?;
        ids.dedup();
        Some(ids)
    }

    /// The répertoires (folder names under `repertoire/`) whose files
    /// changed, when only répertoires changed.
    pub fn directories_only(&self) -> Option<Vec<&str>> {
        let mut slugs: Vec<&str> = self
            .files
            .iter()
            .map(|f| {
                let rest = f.strip_prefix("content/repertoire/")?;
                let (slug, _) = rest.split_once('/')?;
                Some(slug)
            })
            .collect::<Option<_>>()?;
        slugs.dedup();
        Some(slugs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_letters_of_a_change() {
        let c = ChangeSet::new([
            "content/lettres/2025-09/a.md".to_string(),
            "content/lettres/2025-09/images/x.jpg".to_string(),
        ]);
        assert!(c.only_under(&["lettres/"]));
        assert!(!c.only_under(&["agenda/"]));
        assert_eq!(c.letters_only(), Some(vec!["2025-09"]));
        let t = ChangeSet::new(["themes/cuf/templates/base.html".to_string()]);
        assert!(!t.only_under(&["lettres/"]));
        assert_eq!(t.letters_only(), None);
        assert_eq!(t.directories_only(), None);
        let r = ChangeSet::new([
            "content/repertoire/japon/a.md".to_string(),
            "content/repertoire/japon/b.md".to_string(),
            "content/repertoire/senegal/_index.md".to_string(),
        ]);
        assert_eq!(r.directories_only(), Some(vec!["japon", "senegal"]));
        assert_eq!(c.directories_only(), None);
    }

    #[test]
    fn body_only_is_what_was_not_named_as_a_front_change() {
        let c = ChangeSet::with_fronts(
            ["content/a.md".to_string(), "content/b.md".to_string()],
            [
                "content/b.md".to_string(),
                "content/ailleurs.md".to_string(),
            ],
        );
        assert!(c.body_only("content/a.md"));
        assert!(!c.body_only("content/b.md"));
        assert!(!c.body_only("content/ailleurs.md"), "not a change at all");
        assert_eq!(c.fronts, ["content/b.md"]);
        let plain = ChangeSet::new(["content/a.md".to_string()]);
        assert!(
            !plain.body_only("content/a.md"),
            "unknown: the front may have changed"
        );
    }
}
