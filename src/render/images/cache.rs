//! The image cache: variants stored by content hash under
//! `<root>/.cufpress-cache/images/<hash>/`, so an unchanged image is never
//! decoded or encoded twice. Outside `public/`, safe to delete at any time.
//!
//! BLAKE3 is the key: a stable, specified hash (same digest on every
//! machine and version of the crate), and fast (over 1 GB/s). Still, 80
//! issues of photos are hundreds of megabytes to read on every build, so
//! [`KeyMemo`] remembers each source's key by size and time stamp.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::render::images::codec::{Derived, Encoded, Format};

/// Changes whenever the variants made from a source would change (widths,
/// qualities, encoders): old entries are then simply never read again.
pub const PIPELINE_VERSION: &str = "cufpress-images-1 w480,960,1440 e1200 q80-56 lanczos3";

/// The cache key of a source: hex BLAKE3 of the pipeline version and the bytes.
pub fn key(bytes: &[u8]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(PIPELINE_VERSION.as_bytes());
    h.update(&[0]);
    h.update(bytes);
    h.finalize().to_hex()[..32].to_string()
}

/// [`key`] of the file at `path`, read in pieces (never whole in memory).
pub fn key_of_file(path: &Path) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update(PIPELINE_VERSION.as_bytes());
    h.update(&[0]);
    h.update_reader(fs::File::open(path)?)?;
    Ok(h.finalize().to_hex()[..32].to_string())
}

/// Keys of source files already hashed, by path, size and modification
/// time (as git's index does), so an unchanged photo is not even read.
/// Kept in `sources.tsv` beside the entries.
#[derive(Debug)]
pub struct KeyMemo {
    known: HashMap<String, (u64, u128, String)>,
    used: Mutex<Vec<(String, u64, u128, String)>>,
    started: u128,
}

/// A file's size and modification time in nanoseconds.
fn stamp(path: &Path) -> std::io::Result<(u64, u128)> {
    let m = fs::metadata(path)?;
    let t = m.modified()?.duration_since(UNIX_EPOCH).unwrap_or_default();
    Ok((m.len(), t.as_nanos()))
}

impl KeyMemo {
    /// The memo kept in the cache folder `dir` (empty when there is none).
    pub fn open(dir: &Path) -> KeyMemo {
        let text = fs::read_to_string(dir.join("sources.tsv")).unwrap_or_default();
        let known = text
            .lines()
            .filter_map(|l| {
                let mut it = l.split('\t');
                let (p, len, t, k) = (it.next()?, it.next()?, it.next()?, it.next()?);
                Some((
                    p.to_string(),
                    (len.parse().ok()?, t.parse().ok()?, k.to_string()),
                ))
            })
            .collect();
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        KeyMemo {
            known,
            used: Mutex::new(Vec::new()),
            started,
        }
    }

    /// [`key`] of the file at `path` (site-relative `rel`), with its size
    /// in bytes: from the memo when its size and time stamp are unchanged,
    /// else hashed.
    pub fn key(&self, rel: &str, path: &Path) -> std::io::Result<(String, u64)> {
        let (len, time) = stamp(path)?;
        let key = match self.known.get(rel) {
            Some((l, t, k)) if *l == len && *t == time => k.clone(),
            _ => key_of_file(path)?,
        };
        // A file written in the last two seconds may be written again with
        // the same time stamp: its key is not remembered (git's "racy" rule).
        if self.started.saturating_sub(time) > 2_000_000_000 {
            let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
            used.push((rel.to_string(), len, time, key.clone()));
        }
        Ok((key, len))
    }

    /// Writes the keys used by this build (and only those) into `dir`.
    pub fn save(self, dir: &Path) -> std::io::Result<()> {
        let mut used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        used.sort();
        let text: String = used
            .iter()
            .map(|(p, l, t, k)| format!("{p}\t{l}\t{t}\t{k}\n"))
            .collect();
        fs::create_dir_all(dir)?;
        put(dir, "sources.tsv", text.as_bytes())
    }
}

/// The folder of the cache of the site at `root`.
pub fn dir(root: &Path) -> PathBuf {
    root.join(".cufpress-cache").join("images")
}

/// The entry for `key`, if complete and readable.
pub fn read(dir: &Path, key: &str) -> Option<Derived> {
    let entry = dir.join(key);
    let manifest = fs::read_to_string(entry.join("manifest.txt")).ok()?;
    let mut lines = manifest.lines();
    if lines.next()? != PIPELINE_VERSION {
        return None;
    }
    let mut size = None;
    let mut format = None;
    let mut web = Vec::new();
    let mut email = None;
    for line in lines {
        let f: Vec<&str> = line.split(' ').collect();
        match f.as_slice() {
            ["size", w, h] => size = Some((w.parse().ok()?, h.parse().ok()?)),
            ["format", "jpg"] => format = Some(Format::Jpeg),
            ["format", "png"] => format = Some(Format::Png),
            ["web", w, h, q, name] => web.push(file(&entry, w, h, q, name)?),
            ["email", w, h, q, name] => email = Some(file(&entry, w, h, q, name)?),
            _ => return None,
        }
    }
    let (width, height) = size?;
    Some(Derived {
        width,
        height,
        format: format?,
        web,
        email: email?,
    })
}

fn file(entry: &Path, w: &str, h: &str, q: &str, name: &str) -> Option<Encoded> {
    Some(Encoded {
        width: w.parse().ok()?,
        height: h.parse().ok()?,
        quality: q.parse().ok()?,
        bytes: fs::read(entry.join(name)).ok()?,
    })
}

/// Stores `d` under `key`. Files are written beside and renamed into
/// place, manifest last, so a concurrent build never reads half an entry.
pub fn write(dir: &Path, key: &str, d: &Derived) -> std::io::Result<()> {
    let entry = dir.join(key);
    fs::create_dir_all(&entry)?;
    let ext = d.format.ext();
    let mut manifest = format!(
        "{PIPELINE_VERSION}\nsize {} {}\nformat {ext}\n",
        d.width, d.height
    );
    let files = d
        .web
        .iter()
        .map(|e| ("web", format!("w{}.{ext}", e.width), e))
        .chain([("email", format!("email.{ext}"), &d.email)]);
    for (kind, name, e) in files {
        put(&entry, &name, &e.bytes)?;
        manifest.push_str(&format!(
            "{kind} {} {} {} {name}\n",
            e.width, e.height, e.quality
        ));
    }
    put(&entry, "manifest.txt", manifest.as_bytes())
}

fn put(entry: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = entry.join(format!(".{name}.{}", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, entry.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_skips_unchanged_files_and_notices_changed_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let p = tmp.path().join("a.jpg");
        // Written with a time stamp old enough not to be "racy".
        let old = SystemTime::now() - std::time::Duration::from_secs(60);
        let write_old = |bytes: &[u8]| {
            fs::write(&p, bytes).unwrap();
            let f = fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(old).unwrap();
        };
        write_old(b"first");
        let memo = KeyMemo::open(&dir);
        assert_eq!(memo.key("a.jpg", &p).unwrap().0, key(b"first"));
        memo.save(&dir).unwrap();
        // Same size and time stamp: the memo is believed (the file is not read).
        let memo = KeyMemo::open(&dir);
        write_old(b"fiRst");
        assert_eq!(memo.key("a.jpg", &p).unwrap().0, key(b"first"));
        // A new time stamp: hashed again.
        let memo = KeyMemo::open(&dir);
        fs::write(&p, b"second").unwrap();
        assert_eq!(memo.key("a.jpg", &p).unwrap().0, key(b"second"));
        // Just written: not remembered.
        memo.save(&dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("sources.tsv")).unwrap(), "");
    }

    #[test]
    fn a_file_hashed_in_pieces_has_the_key_of_its_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        // Larger than any read buffer, and not a multiple of one.
        let bytes: Vec<u8> = (0..300_001u32).map(|i| (i * 7 % 251) as u8).collect();
        let p = tmp.path().join("photo.jpg");
        fs::write(&p, &bytes).unwrap();
        assert_eq!(key_of_file(&p).unwrap(), key(&bytes));
        assert!(key_of_file(&tmp.path().join("absent.jpg")).is_err());
    }

    #[test]
    fn entries_round_trip_and_keys_follow_content() {
        let tmp = tempfile::tempdir().unwrap();
        let enc = |w, q| Encoded {
            width: w,
            height: w / 2,
            quality: q,
            bytes: vec![w as u8; 10],
        };
        let d = Derived {
            width: 2000,
            height: 1000,
            format: Format::Jpeg,
            web: vec![enc(480, 80), enc(960, 80)],
            email: enc(1200, 72),
        };
        let k = key(b"photo");
        assert_ne!(k, key(b"photo2"));
        assert_eq!(k.len(), 32);
        assert!(read(tmp.path(), &k).is_none());
        write(tmp.path(), &k, &d).unwrap();
        let back = read(tmp.path(), &k).unwrap();
        assert_eq!(back.web, d.web);
        assert_eq!(back.email, d.email);
        assert_eq!((back.width, back.height), (2000, 1000));
    }
}
