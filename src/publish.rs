//! The `publish` stage: bring a staging directory beside the target to
//! exactly the new outputs, then swap it in with two renames, so a failed
//! build never touches the published site.
//!
//! The staging directory is the site published two builds ago, kept as
//! `.public.precedent`: only files whose bytes changed are written, stale
//! ones removed. Rebuilding a 20,000-page site therefore neither creates
//! nor deletes 20,000 inodes each time (on ext4, allocating inodes next to
//! many recently deleted ones was a third of the build time).

use std::collections::{BTreeSet, HashMap, HashSet};
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
    let spare = parent.join(format!(".{name}.precedent"));
    let staging = parent.join(format!(".{name}.nouveau"));
    let manifest_of_target = parent.join(format!(".{name}.empreintes"));
    let manifest_of_spare = parent.join(format!(".{name}.precedent.empreintes"));
    if staging.exists() {
        // Left by an interrupted run: its content is unknown.
        fs::remove_dir_all(&staging).map_err(|e| fail("nettoyage", &staging, e))?;
    }
    // What the spare holds, if known: files whose fingerprint matches are
    // neither read nor written.
    let known = read_manifest(&manifest_of_spare);
    let _ = fs::remove_file(&manifest_of_spare);
    if spare.is_dir() {
        fs::rename(&spare, &staging).map_err(|e| fail("préparation", &spare, e))?;
    } else {
        fs::create_dir(&staging).map_err(|e| fail("création du dossier", &staging, e))?;
    }
    let manifest = match sync_tree(&staging, outputs, copies, &known) {
        Ok(m) => m,
        Err((p, e)) => {
            // Keep it as the spare: the next build brings it up to date anyway.
            let _ = fs::rename(&staging, &spare);
            return Err(fail("écriture", &p, e));
        }
    };
    swap(&staging, target, &spare)
        .map_err(|e| fail("remplacement du dossier publié", target, e))?;
    // The old target's fingerprints now describe the spare.
    let _ = fs::rename(&manifest_of_target, &manifest_of_spare);
    let _ = fs::write(&manifest_of_target, manifest);
    Ok(())
}

/// A file's fingerprint: its length and a 64-bit hash of its bytes.
fn fingerprint(bytes: &[u8]) -> (u64, u64) {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let h = BuildHasherDefault::<DefaultHasher>::default().hash_one(bytes);
    (bytes.len() as u64, h)
}

/// `path\tlen\thash` lines, as written after a successful publish.
fn read_manifest(p: &Path) -> HashMap<String, (u64, u64)> {
    let Ok(text) = fs::read_to_string(p) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|l| {
            let mut it = l.split('\t');
            let (path, len, hash) = (it.next()?, it.next()?, it.next()?);
            Some((path.to_string(), (len.parse().ok()?, hash.parse().ok()?)))
        })
        .collect()
}

/// Makes `root` hold exactly `outputs` and `copies`, touching only what
/// differs; returns the manifest of what it now holds.
fn sync_tree(
    root: &Path,
    outputs: &[Output],
    copies: &[Copy],
    known: &HashMap<String, (u64, u64)>,
) -> Result<String, (PathBuf, io::Error)> {
    let wanted: HashSet<&str> = outputs
        .iter()
        .map(|o| o.path.as_str())
        .chain(copies.iter().map(|c| c.dest.as_str()))
        .collect();
    let mut dirs = BTreeSet::new();
    for p in &wanted {
        let mut d = *p;
        while let Some((parent, _)) = d.rsplit_once('/') {
            if !dirs.insert(parent) {
                break;
            }
            d = parent;
        }
    }
    remove_stale(root, &wanted, &dirs)?;
    for d in &dirs {
        let p = root.join(d);
        if !p.is_dir() {
            fs::create_dir_all(&p).map_err(|e| (p, e))?;
        }
    }
    let write = |rel: &str, bytes: &[u8]| -> Result<String, (PathBuf, io::Error)> {
        let p = root.join(rel);
        let fp = fingerprint(bytes);
        let unchanged = match known.get(rel) {
            Some(k) => *k == fp && p.is_file(),
            None => same_bytes(&p, bytes),
        };
        if !unchanged {
            fs::write(&p, bytes).map_err(|e| (p, e))?;
        }
        Ok(format!("{rel}\t{}\t{}\n", fp.0, fp.1))
    };
    let mut lines: Vec<String> = outputs
        .par_iter()
        .map(|o| write(&o.path, &o.bytes))
        .collect::<Result<_, _>>()?;
    let copied: Vec<String> = copies
        .par_iter()
        .map(|c| {
            let src = fs::read(&c.source).map_err(|e| (c.source.clone(), e))?;
            write(&c.dest, &src)
        })
        .collect::<Result<_, _>>()?;
    lines.extend(copied);
    lines.sort();
    Ok(lines.concat())
}

/// True when the file at `p` already holds `bytes`.
fn same_bytes(p: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(p) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(p).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Removes files and folders of `root` that are not wanted any more.
fn remove_stale(
    root: &Path,
    wanted: &HashSet<&str>,
    dirs: &BTreeSet<&str>,
) -> Result<(), (PathBuf, io::Error)> {
    let mut empty_candidates = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(|e| (root.to_path_buf(), io::Error::other(e.to_string())))?;
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let ft = entry.file_type();
        if ft.is_dir() {
            if !dirs.contains(rel.as_str()) {
                empty_candidates.push(entry.into_path());
            }
        } else if !wanted.contains(rel.as_str()) {
            fs::remove_file(entry.path()).map_err(|e| (entry.path().to_path_buf(), e))?;
        }
    }
    // Contents come first, so children are removed before their parents.
    for d in empty_candidates {
        fs::remove_dir(&d).map_err(|e| (d, e))?;
    }
    Ok(())
}

/// Puts `staging` in place of `target`; the previous site becomes `spare`.
fn swap(staging: &Path, target: &Path, spare: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(staging, target);
    }
    fs::rename(target, spare)?;
    if let Err(e) = fs::rename(staging, target) {
        // Put the previous site back before reporting.
        let _ = fs::rename(spare, target);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path) -> Vec<(String, String)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn publish_replaces_the_whole_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = |p: &str, s: &str| Output::text(p, s.to_string());
        publish(
            &target,
            &[out("a/index.html", "1"), out("old/x.html", "x")],
            &[],
        )
        .unwrap();
        publish(
            &target,
            &[out("a/index.html", "2"), out("b.html", "b")],
            &[],
        )
        .unwrap();
        assert_eq!(
            tree(&target),
            vec![
                ("a/index.html".into(), "2".into()),
                ("b.html".into(), "b".into())
            ]
        );
        // The third build reuses the first one's tree: stale files and folders go.
        publish(&target, &[out("c/d/e.html", "e")], &[]).unwrap();
        assert_eq!(tree(&target), vec![("c/d/e.html".into(), "e".into())]);
        assert!(!target.join("old").exists() && !target.join("a").exists());
        let names: BTreeSet<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            BTreeSet::from([
                "public".into(),
                ".public.precedent".into(),
                ".public.empreintes".into(),
                ".public.precedent.empreintes".into()
            ])
        );
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = |p: &str, s: &str| Output::text(p, s.to_string());
        let site = [out("a/index.html", "same"), out("b.html", "v1")];
        publish(&target, &site, &[]).unwrap();
        publish(&target, &site, &[]).unwrap();
        let before = fs::metadata(tmp.path().join(".public.precedent/a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        publish(
            &target,
            &[out("a/index.html", "same"), out("b.html", "v2")],
            &[],
        )
        .unwrap();
        let after = fs::metadata(target.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after, "an identical file keeps its inode and mtime");
        assert_eq!(fs::read_to_string(target.join("b.html")).unwrap(), "v2");
    }
}
