//! Watching `content/` and `themes/` for `serve`: reads and opens left out
//! (the server's own reads must not trigger rebuilds), editors' temporary
//! files left out, paths sent to the rebuild loop, which debounces them.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::Msg;
use crate::load::is_ignored;

/// True for a path any part of which is an editor's temporary or hidden file.
pub(super) fn ignored(root: &Path, p: &Path) -> bool {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
}

/// True for events that may change a file's bytes or presence.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Starts watching; the watch lasts as long as the returned value.
pub(super) fn start(root: &Path, tx: Sender<Msg>) -> Result<RecommendedWatcher, String> {
    let base: PathBuf = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
        let Ok(event) = res else {
            return;
        };
        if !is_change(&event.kind) {
            return;
        }
        let paths: Vec<PathBuf> = event
            .paths
            .into_iter()
            .filter(|p| !ignored(&base, p))
            .collect();
        if !paths.is_empty() {
            let _ = tx.send(Msg::Changed(paths));
        }
    })
    .map_err(|e| format!("impossible de surveiller les fichiers : {e}"))?;
    for dir in ["content", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("impossible de surveiller {} : {e}", path.display()))?;
        }
    }
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_not_changes() {
        let root = Path::new("/site");
        for p in [
            "/site/content/lettres/2025-09/.article.md.swp",
            "/site/content/lettres/2025-09/article.md~",
            "/site/content/lettres/2025-09/.#article.md",
            "/site/content/.git/index",
        ] {
            assert!(ignored(root, Path::new(p)), "{p}");
        }
        assert!(!ignored(
            root,
            Path::new("/site/content/lettres/2025-09/article.md")
        ));
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(
            notify::event::ModifyKind::Any
        )));
    }
}
