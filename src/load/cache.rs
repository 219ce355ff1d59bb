//! A memo of per-file loading, for `cufpress serve`: a file whose path,
//! bytes and base path are those of the last run is not parsed again.

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

use super::{FileLoad, SourceFile, load_file, load_site_with};
use crate::diagnostics::Diagnostics;
use crate::model::Site;

/// What one file gave the last time it was loaded.
struct Entry {
    /// The file's bytes, shared with the caller's [`SourceFile`].
    bytes: std::sync::Arc<[u8]>,
    base_path: String,
    result: FileLoad,
}

/// Loaded files by path, kept between runs.
#[derive(Default)]
pub struct LoadCache {
    entries: HashMap<String, Entry>,
    misses: usize,
}

impl LoadCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of files remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Files that had to be parsed during the last run.
    pub fn last_misses(&self) -> usize {
        self.misses
    }

    fn hit(&self, f: &SourceFile, base_path: &str) -> Option<FileLoad> {
        let e = self.entries.get(&f.path)?;
        // An untouched file is the very buffer remembered (`serve` keeps
        // the bytes of a file until it is saved again); otherwise compare.
        let same = std::sync::Arc::ptr_eq(&e.bytes, &f.bytes) || e.bytes == f.bytes;
        (e.base_path == base_path && same).then(|| e.result.clone())
    }
}

/// [`super::load_site`] that parses only the files not in `cache` (or
/// changed since), and remembers them. Same result as `load_site`.
pub fn load_site_cached(
    files: &[SourceFile],
    opts: &crate::Options,
    cache: &mut LoadCache,
) -> (Option<Site>, Diagnostics) {
    let fresh: Mutex<Vec<(String, Entry)>> = Mutex::new(Vec::new());
    let out = {
        let cache = &*cache;
        load_site_with(files, opts, |f, base_path| {
            if let Some(r) = cache.hit(f, base_path) {
                return r;
            }
            let r = load_file(f, base_path);
            let entry = Entry {
                bytes: f.bytes.clone(),
                base_path: base_path.to_string(),
                result: r.clone(),
            };
            if let Ok(mut v) = fresh.lock() {
                v.push((f.path.clone(), entry));
            }
            r
        })
    };
    let fresh = fresh.into_inner().unwrap_or_default();
    cache.misses = fresh.len();
    cache.entries.extend(fresh);
    if cache.entries.len() > files.len() {
        let keep: std::collections::HashSet<&str> =
            files.par_iter().map(|f| f.path.as_str()).collect();
        cache.entries.retain(|p, _| keep.contains(p.as_str()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            bytes: text.as_bytes().into(),
        }
    }

    #[test]
    fn same_site_as_load_site_and_only_changed_files_parsed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = super::super::read_content(root).expect("sample content");
        let opts = crate::Options::default();
        let mut cache = LoadCache::new();
        let (a, da) = load_site_cached(&files, &opts, &mut cache);
        assert_eq!(
            cache.last_misses(),
            files.len() - 1,
            "site.yaml is not cached"
        );
        let i = files
            .iter()
            .position(|f| f.path.starts_with("content/lettres/") && f.path.ends_with(".md"))
            .expect("an article");
        let path = files[i].path.clone();
        let text = String::from_utf8(files[i].bytes.to_vec()).expect("utf-8");
        files[i] = file(&path, &format!("{text}\nUne phrase ajoutée.\n"));
        let (b, db) = load_site_cached(&files, &opts, &mut cache);
        assert_eq!(cache.last_misses(), 1);
        // The same bytes in a new buffer (a file saved unchanged, or read
        // again) are recognised too.
        let mut again = files.clone();
        again
            .iter_mut()
            .for_each(|f| f.bytes = f.bytes.to_vec().into());
        let (b2, _) = load_site_cached(&again, &opts, &mut cache);
        assert_eq!(cache.last_misses(), 0);
        assert_eq!(format!("{b:?}"), format!("{b2:?}"));
        let (c, dc) = super::super::load_site(&files, &opts);
        assert_eq!(format!("{b:?}"), format!("{c:?}"));
        assert_eq!(format!("{:?}", db.sorted()), format!("{:?}", dc.sorted()));
        assert_ne!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(da.error_count(), 0);
    }
}
