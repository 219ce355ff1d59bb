//! The `publish` stage: write every output and asset into a fresh directory
//! beside the target, then swap it in, so a failed build never touches the
//! published site.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::Output;

/// A file to copy as it is: from `source` (absolute) to `dest` (inside the output).
#[derive(Debug, Clone)]
pub struct Copy {
    /// Where it is read.
    pub source: PathBuf,
    /// Path inside the output directory.
    pub dest: String,
}

/// Writes `outputs` and `copies` into `target`, atomically replacing it.
pub fn publish(target: &Path, outputs: &[Output], copies: &[Copy]) -> Result<(), Diagnostic> {
    let fail = |what: &str, p: &Path, e: io::Error| {
        Diagnostic::error(
            p.display().to_string(),
            0,
            0,
            format!("{what} impossible : {e}"),
        )
        .with_suggestion("vérifiez les droits d'écriture et la place disque ; le site publié précédemment n'a pas été modifié")
    };
    let name = target
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| fail("création du dossier", &parent, e))?;
    let staging = parent.join(format!(".{name}.nouveau-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| fail("nettoyage", &staging, e))?;
    }
    let result = write_tree(&staging, outputs, copies);
    if let Err((p, e)) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("écriture", &p, e));
    }
    swap(&staging, target).map_err(|e| {
        let _ = fs::remove_dir_all(&staging);
        fail("remplacement du dossier publié", target, e)
    })
}

fn write_tree(
    root: &Path,
    outputs: &[Output],
    copies: &[Copy],
) -> Result<(), (PathBuf, io::Error)> {
    let mut dirs = BTreeSet::new();
    dirs.insert(root.to_path_buf());
    for p in outputs
        .iter()
        .map(|o| &o.path)
        .chain(copies.iter().map(|c| &c.dest))
    {
        if let Some((d, _)) = p.rsplit_once('/') {
            dirs.insert(root.join(d));
        }
    }
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| (d.clone(), e))?;
    }
    outputs.par_iter().try_for_each(|o| {
        let p = root.join(&o.path);
        fs::write(&p, &o.bytes).map_err(|e| (p, e))
    })?;
    copies.par_iter().try_for_each(|c| {
        let p = root.join(&c.dest);
        fs::copy(&c.source, &p)
            .map(|_| ())
            .map_err(|e| (c.source.clone(), e))
    })
}

/// Puts `staging` in place of `target`, then removes the old tree.
fn swap(staging: &Path, target: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(staging, target);
    }
    let old = target.with_file_name(format!(
        ".{}.ancien-{}",
        target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(staging, target) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    fs::remove_dir_all(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_the_whole_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = |p: &str, s: &str| Output::text(p, s.to_string());
        publish(
            &target,
            &[out("a/index.html", "1"), out("old.html", "x")],
            &[],
        )
        .unwrap();
        publish(&target, &[out("a/index.html", "2")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(!target.join("old.html").exists(), "stale files are gone");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging directory left behind");
    }
}
