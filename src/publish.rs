//! The `publish` stage: bring a staging directory beside the target to
//! exactly the new outputs, then swap it in with two renames, so a failed
//! build never touches the published site.
//!
//! The staging directory is the site published two builds ago, kept as
//! `.public.precedent`: only files whose bytes changed are written, stale
//! ones removed. Rebuilding a 20,000-page site therefore neither creates
//! nor deletes 20,000 inodes each time (on ext4, allocating inodes next to
//! many recently deleted ones was a third of the build time).
//!
//! Files arrive one by one while the site renders ([`Staging`] is a render
//! [`Sink`]), so the site is never held in memory whole.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::{Output, Sink};

pub mod folder;
mod swap;

use folder::{Mark, Names};

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
    let staging = Staging::open(target)?;
    outputs
        .par_iter()
        .for_each(|o| staging.write(&o.path, &o.bytes));
    staging.finish(copies)
}

fn fail(what: &str, p: &Path, e: &io::Error) -> Diagnostic {
    folder::io_fail(what, p, e)
}

/// The next site, being written beside the published one.
pub struct Staging {
    names: Names,
    root: PathBuf,
    /// Held until the staging tree is published or given up.
    _lock: fs::File,
    /// What the staging tree held when opened, if known: files whose
    /// fingerprint matches are neither read nor written.
    known: HashMap<String, (u64, u64)>,
    /// The tree started empty: nothing to compare with.
    empty: bool,
    /// Folders known to exist.
    dirs: Mutex<HashSet<String>>,
    /// `path\tlen\thash` of every file put.
    lines: Mutex<Vec<String>>,
    /// The first write that failed.
    error: Mutex<Option<(PathBuf, io::Error)>>,
}

impl Staging {
    /// [`open`](Self::open), after refusing an output that is, holds or
    /// lies inside the site's `content/` or `themes/` (under `root`).
    pub fn open_site(root: &Path, target: &Path) -> Result<Staging, Diagnostic> {
        folder::refuse_overlap(root, target)?;
        Self::open(target)
    }

    /// Takes the output's lock (waiting for another build to finish),
    /// checks that `target` is cufpress's to replace, and prepares the
    /// staging directory beside it (from the spare copy of the build
    /// before last when there is one).
    pub fn open(target: &Path) -> Result<Staging, Diagnostic> {
        let names = Names::of(target);
        let parent = names.parent().to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| fail("création du dossier", &parent, &e))?;
        let lock = folder::lock(&names)?;
        folder::check_target(&names)?;
        settle_leftovers(&names)?;
        let root = names.staging.clone();
        let empty = !names.spare.is_dir();
        let known = match folder::mark_of(&names.spare) {
            Mark::Complete(id) => find_manifest(&names, &id),
            _ => HashMap::new(),
        };
        if empty {
            fs::create_dir(&root).map_err(|e| fail("création du dossier", &root, &e))?;
        } else {
            fs::rename(&names.spare, &root).map_err(|e| fail("préparation", &names.spare, &e))?;
        }
        // From now on the tree changes: its old fingerprints no longer hold.
        folder::write_mark(&root, None).map_err(|e| fail("écriture", &root, &e))?;
        Ok(Staging {
            names,
            root,
            _lock: lock,
            known,
            empty,
            dirs: Mutex::new(HashSet::new()),
            lines: Mutex::new(Vec::new()),
            error: Mutex::new(None),
        })
    }

    /// Writes one file, unless the staging tree already holds these bytes.
    /// A failure is kept and reported by [`finish`](Self::finish).
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let fp = fingerprint(bytes);
        if let Err(e) = self.write_file(rel, bytes, fp) {
            let mut first = self.error.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert(e);
        }
        lock(&self.lines).push(format!("{rel}\t{}\t{}\n", fp.0, fp.1));
    }

    fn write_file(
        &self,
        rel: &str,
        bytes: &[u8],
        fp: (u64, u64),
    ) -> Result<(), (PathBuf, io::Error)> {
        let p = self.root.join(rel);
        let unchanged = match self.known.get(rel) {
            _ if self.empty => false,
            Some(k) => *k == fp && p.is_file(),
            None => same_bytes(&p, bytes),
        };
        if unchanged {
            return Ok(());
        }
        if let Some((dir, _)) = rel.rsplit_once('/') {
            self.ensure_dir(dir)?;
        }
        match fs::write(&p, bytes) {
            // A folder of the old site where a file goes now.
            Err(_) if p.is_dir() => {
                fs::remove_dir_all(&p).map_err(|e| (p.clone(), e))?;
                fs::write(&p, bytes).map_err(|e| (p, e))
            }
            r => r.map_err(|e| (p, e)),
        }
    }

    /// Creates folder `dir` (relative) once, replacing files of the old site
    /// that stand where a folder goes now.
    fn ensure_dir(&self, dir: &str) -> Result<(), (PathBuf, io::Error)> {
        if lock(&self.dirs).contains(dir) {
            return Ok(());
        }
        let p = self.root.join(dir);
        if fs::create_dir_all(&p).is_err() {
            let mut at = self.root.clone();
            for part in dir.split('/') {
                at.push(part);
                if at.is_file() {
                    fs::remove_file(&at).map_err(|e| (at.clone(), e))?;
                }
            }
            fs::create_dir_all(&p).map_err(|e| (p.clone(), e))?;
        }
        let mut dirs = lock(&self.dirs);
        let mut d = dir;
        loop {
            dirs.insert(d.to_string());
            match d.rsplit_once('/') {
                Some((parent, _)) => d = parent,
                None => break,
            }
        }
        Ok(())
    }

    /// Copies `copies`, removes what the new site does not hold, and swaps
    /// the staging tree in place of the target.
    pub fn finish(self, copies: &[Copy]) -> Result<(), Diagnostic> {
        copies.par_iter().for_each(|c| match fs::read(&c.source) {
            Ok(src) => self.write(&c.dest, &src),
            Err(e) => {
                lock(&self.error).get_or_insert((c.source.clone(), e));
            }
        });
        let mut lines = std::mem::take(&mut *lock(&self.lines));
        lines.par_sort_unstable();
        let wanted: HashSet<&str> = lines
            .iter()
            .filter_map(|l| l.split('\t').next())
            .chain([folder::MARKER])
            .collect();
        let error = lock(&self.error).take();
        let error = error.map_or_else(|| self.remove_stale(&wanted), Err);
        let error = error.and_then(|()| self.seal(&lines));
        if let Err((p, e)) = error {
            return Err(self.give_up("écriture", &p, &e));
        }
        let [new_manifest, target_manifest, spare_manifest] = &self.names.manifests;
        if let Err(e) = swap::publish(&self.root, &self.names.target, &self.names.spare) {
            return Err(self.give_up("remplacement du dossier publié", &self.names.target, &e));
        }
        // Each list names the tree it describes: these names only save
        // reading all three next time.
        let _ = fs::rename(target_manifest, spare_manifest);
        let _ = fs::rename(new_manifest, target_manifest);
        Ok(())
    }

    /// Writes the fingerprint list of the finished tree, then its marker
    /// naming that list: until the marker is there, the tree counts as
    /// unfinished.
    fn seal(&self, lines: &[String]) -> Result<(), (PathBuf, io::Error)> {
        let body = lines.concat();
        let id = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body.as_bytes()));
        let manifest = &self.names.manifests[0];
        fs::write(manifest, format!("{body}{MANIFEST_END}{id}\n"))
            .map_err(|e| (manifest.clone(), e))?;
        folder::write_mark(&self.root, Some(&id)).map_err(|e| (self.root.join(folder::MARKER), e))
    }

    /// After a failed write: removes the staging tree (on a full disk,
    /// keeping it would block the next build) and says so.
    fn give_up(&self, what: &str, p: &Path, e: &io::Error) -> Diagnostic {
        let _ = fs::remove_file(&self.names.manifests[0]);
        let d = fail(what, p, e);
        let leftover = self.root.display();
        let removed = match fs::remove_dir_all(&self.root) {
            Ok(()) => format!(
                "le site publié n'a pas été modifié ; le dossier provisoire {leftover} a été supprimé"
            ),
            Err(_) if !self.root.exists() => "le site publié n'a pas été modifié".to_string(),
            Err(e) => format!(
                "le site publié n'a pas été modifié ; supprimez vous-même le dossier provisoire {leftover} ({})",
                folder::french(&e)
            ),
        };
        d.with_suggestion(format!(
            "vérifiez les droits d'écriture et la place disque ; {removed}"
        ))
    }

    /// Removes what the tree holds and the new site does not: from the
    /// fingerprints when known (no walk over thousands of folders), else by
    /// walking the tree.
    fn remove_stale(&self, wanted: &HashSet<&str>) -> Result<(), (PathBuf, io::Error)> {
        if self.empty {
            return Ok(());
        }
        if self.known.is_empty() {
            return remove_stale(&self.root, wanted);
        }
        let kept = folders_of(wanted.iter().copied());
        for rel in self.known.keys().filter(|k| !wanted.contains(k.as_str())) {
            let p = self.root.join(rel);
            match fs::remove_file(&p) {
                Err(e) if e.kind() != io::ErrorKind::NotFound && !p.is_dir() => {
                    return Err((p, e));
                }
                _ => {}
            }
        }
        let mut gone: Vec<&str> = folders_of(self.known.keys().map(String::as_str))
            .into_iter()
            .filter(|d| !kept.contains(d))
            .collect();
        // Deepest first; a folder something else was put in stays.
        gone.sort_unstable_by_key(|d| std::cmp::Reverse(d.len()));
        for d in gone {
            let _ = fs::remove_dir(self.root.join(d));
        }
        Ok(())
    }

    /// Gives up (the build failed): the published site stays as it was, the
    /// staging tree becomes the spare again.
    pub fn abandon(self) {
        let _ = fs::rename(&self.root, &self.names.spare);
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) {
        self.write(&output.path, &output.bytes);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A file's fingerprint: its length and its 64-bit XXH3 (a specified,
/// stable hash, since fingerprints are kept on disk between builds, and
/// about ten times faster than std's SipHash over the site's 200 MB).
fn fingerprint(bytes: &[u8]) -> (u64, u64) {
    (bytes.len() as u64, xxhash_rust::xxh3::xxh3_64(bytes))
}

/// `path\tlen\thash` lines, as written after a successful publish.
fn read_manifest(text: &str) -> HashMap<String, (u64, u64)> {
    text.lines()
        .filter_map(|l| {
            let mut it = l.split('\t');
            let (path, len, hash) = (it.next()?, it.next()?, it.next()?);
            Some((path.to_string(), (len.parse().ok()?, hash.parse().ok()?)))
        })
        .collect()
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

/// Removes the files of `root` that are not wanted any more, and the
/// folders left empty.
fn remove_stale(root: &Path, wanted: &HashSet<&str>) -> Result<(), (PathBuf, io::Error)> {
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(|e| (root.to_path_buf(), io::Error::other(e.to_string())))?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if !wanted.contains(rel.as_str()) {
            fs::remove_file(entry.path()).map_err(|e| (entry.path().to_path_buf(), e))?;
        }
    }
    let kept = folders_of(wanted.iter().copied());
    // Contents come first, so children are removed before their parents.
    for d in dirs {
        let rel = d
            .strip_prefix(root)
            .unwrap_or(&d)
            .to_string_lossy()
            .replace('\\', "/");
        if !kept.contains(rel.as_str()) {
            fs::remove_dir(&d).map_err(|e| (d, e))?;
        }
    }
    Ok(())
}

/// Every folder holding one of `files` (relative paths), at any depth.
fn folders_of<'a>(files: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
    let mut dirs = HashSet::new();
    for p in files {
        let mut d = p;
        while let Some((parent, _)) = d.rsplit_once('/') {
            if !dirs.insert(parent) {
                break;
            }
            d = parent;
        }
    }
    dirs
}

/// Last line of a fingerprint list, followed by its id: a list cut short
/// by a kill has none and is not used.
const MANIFEST_END: &str = "#empreinte\t";

/// Settles what an interrupted build left beside the output: a finished
/// tree that had not yet become the spare becomes it; an unfinished one
/// is removed (its content is unknown).
fn settle_leftovers(names: &Names) -> Result<(), Diagnostic> {
    for dir in [&names.spare, &names.staging] {
        if dir.exists() {
            folder::check_own(names, dir)?;
        }
    }
    if !names.staging.exists() {
        return Ok(());
    }
    if matches!(folder::mark_of(&names.staging), Mark::Complete(_)) && !names.spare.exists() {
        return fs::rename(&names.staging, &names.spare)
            .map_err(|e| fail("préparation", &names.staging, &e));
    }
    fs::remove_dir_all(&names.staging).map_err(|e| fail("nettoyage", &names.staging, &e))
}

/// The fingerprints of the tree whose marker holds `id`, from whichever
/// list beside the output names it (none after some interruptions: the
/// tree is then compared byte by byte).
fn find_manifest(names: &Names, id: &str) -> HashMap<String, (u64, u64)> {
    // The spare's own list first: the one that names it, but for a kill.
    for m in names.manifests.iter().rev() {
        let Ok(text) = fs::read_to_string(m) else {
            continue;
        };
        let body_end = text.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
        if text[body_end..].trim_end() == format!("{MANIFEST_END}{id}") {
            return read_manifest(&text[..body_end]);
        }
    }
    HashMap::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn tree(root: &Path) -> Vec<(String, String)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file() && e.file_name() != folder::MARKER)
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
                ".public.precedent.empreintes".into(),
                ".public.verrou".into()
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

    #[test]
    fn a_file_and_a_folder_may_trade_places() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = |p: &str, s: &str| Output::text(p, s.to_string());
        let first = [out("a", "file"), out("b/index.html", "dir")];
        let second = [out("a/index.html", "now a folder"), out("b", "now a file")];
        for _ in 0..2 {
            // Twice each, so the spare of the build before last (which holds
            // the other shape) is the staging tree.
            publish(&target, &first, &[]).unwrap();
            assert_eq!(
                tree(&target),
                vec![
                    ("a".into(), "file".into()),
                    ("b/index.html".into(), "dir".into())
                ]
            );
            publish(&target, &second, &[]).unwrap();
            assert_eq!(
                tree(&target),
                vec![
                    ("a/index.html".into(), "now a folder".into()),
                    ("b".into(), "now a file".into())
                ]
            );
        }
    }

    #[test]
    fn an_abandoned_build_leaves_the_site_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = |p: &str, s: &str| Output::text(p, s.to_string());
        publish(&target, &[out("index.html", "v1")], &[]).unwrap();
        publish(&target, &[out("index.html", "v2")], &[]).unwrap();
        let staging = Staging::open(&target).unwrap();
        staging.put(out("index.html", "broken"));
        staging.put(out("half/written.html", "x"));
        staging.abandon();
        assert_eq!(tree(&target), vec![("index.html".into(), "v2".into())]);
        // The next build starts from the abandoned tree without its
        // fingerprints, and still ends exact.
        publish(&target, &[out("index.html", "v3")], &[]).unwrap();
        assert_eq!(tree(&target), vec![("index.html".into(), "v3".into())]);
        publish(&target, &[out("index.html", "v4")], &[]).unwrap();
        assert_eq!(tree(&target), vec![("index.html".into(), "v4".into())]);
    }

    #[test]
    fn a_fingerprint_list_is_used_only_for_the_tree_it_names() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = |p: &str, s: &str| Output::text(p, s.to_string());
        let a = [out("index.html", "a"), out("x/page.html", "a")];
        let b = [out("index.html", "b"), out("x/page.html", "b")];
        publish(&target, &a, &[]).unwrap();
        publish(&target, &b, &[]).unwrap();
        // What a kill between the swap and the renames of the lists left
        // in the old version: every list describes b, the spare holds a.
        let of_b = fs::read_to_string(tmp.path().join(".public.empreintes")).unwrap();
        for m in [".public.precedent.empreintes", ".public.nouveau.empreintes"] {
            fs::write(tmp.path().join(m), &of_b).unwrap();
        }
        publish(&target, &b, &[]).unwrap();
        assert_eq!(
            tree(&target),
            vec![
                ("index.html".into(), "b".into()),
                ("x/page.html".into(), "b".into())
            ]
        );
    }

    #[test]
    fn a_write_error_is_reported_and_the_site_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = |p: &str, s: &str| Output::text(p, s.to_string());
        publish(&target, &[out("index.html", "v1")], &[]).unwrap();
        let missing = Copy {
            source: tmp.path().join("nowhere.pdf"),
            dest: "doc.pdf".into(),
        };
        let err = publish(&target, &[out("index.html", "v2")], &[missing]).unwrap_err();
        assert!(err.message.contains("impossible"), "{}", err.message);
        assert_eq!(tree(&target), vec![("index.html".into(), "v1".into())]);
    }
}
