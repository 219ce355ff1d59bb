//! The image step: every raster image the site shows, decoded, turned
//! upright, resized for the web `srcset` (480/960/1440 px) and the e-mail
//! (1200 px shown at the column width), re-encoded without metadata, and
//! cached by content hash.
//!
//! [`crate::resolve::images::plan`] says what is needed (pure, from the resolved site);
//! [`process`] makes it (decoding, or reading the cache) and returns the
//! [`Catalog`] renderers read, the files to publish and the diagnostics;
//! [`crate::postprocess::images`] points the HTML at the variants.

pub mod cache;
pub mod codec;

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::output::Output;
use crate::resolve::images::{Need, Plan};
use crate::urls;
use codec::{CodecError, Derived, EMAIL_MAX_BYTES};

/// The e-mail column and the narrowest slot of the web: an image narrower
/// than this is shown small or blurred.
pub const SLOT_WIDTH: u32 = 600;
/// Above this, the images of one letter's e-mail are too heavy (bytes).
pub const LETTER_MAX_BYTES: usize = 1024 * 1024;

/// One published file of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Pixels wide.
    pub width: u32,
    /// Pixels high.
    pub height: u32,
    /// Root-relative URL, without the base path (`/lettres/…/x-960.ab12cd34.jpg`).
    pub url: String,
    /// Size of the file.
    pub bytes: usize,
}

/// Everything published for one source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSet {
    /// Width of the upright source.
    pub width: u32,
    /// Height of the upright source.
    pub height: u32,
    /// Web variants, narrowest first.
    pub web: Vec<Variant>,
    /// The e-mail variant.
    pub email: Variant,
}

impl ImageSet {
    /// The `src` of the web: the first variant at least 960 px wide, or the widest.
    pub fn src(&self) -> &Variant {
        self.web
            .iter()
            .find(|v| v.width >= 960)
            .or(self.web.last())
            .unwrap_or(&self.email)
    }

    /// The widest web variant (links to the "full-size" image, sharing previews).
    pub fn largest(&self) -> &Variant {
        self.web.last().unwrap_or(&self.email)
    }

    /// The `srcset` attribute, URLs prefixed with `base_path`.
    pub fn srcset(&self, base_path: &str) -> String {
        self.web
            .iter()
            .map(|v| format!("{base_path}{} {}w", v.url, v.width))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The processed images of a build, by source path and by URL.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    by_source: BTreeMap<String, ImageSet>,
    by_url: HashMap<String, String>,
}

impl Catalog {
    /// The set made from `source` (`content/…`).
    pub fn get(&self, source: &str) -> Option<&ImageSet> {
        self.by_source.get(source)
    }

    /// The set whose original or variant is at root-relative `url` (no base path).
    pub fn by_url(&self, url: &str) -> Option<&ImageSet> {
        self.by_source.get(self.by_url.get(url)?)
    }

    /// True when the catalog is empty (nothing processed, e.g. in `serve`).
    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }

    /// Every (source, set), sorted by source.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &ImageSet)> {
        self.by_source.iter()
    }

    /// Adds the set made from `source`.
    pub fn insert(&mut self, source: String, set: ImageSet) {
        self.by_url.insert(urls::asset_url(&source), source.clone());
        for v in set.web.iter().chain([&set.email]) {
            self.by_url.insert(v.url.clone(), source.clone());
        }
        self.by_source.insert(source, set);
    }
}

/// What the image step did (for tests, benchmarks and `CUFPRESS_IMAGE_STATS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Source images processed.
    pub sources: usize,
    /// Of those, decoded and encoded in this build (cache misses).
    pub encoded: usize,
    /// Of those, read from the cache.
    pub cached: usize,
    /// Bytes of the sources.
    pub bytes_in: usize,
    /// Bytes of the published variants.
    pub bytes_out: usize,
    /// Wall-clock time of the step, in milliseconds (not part of any output).
    pub millis: u64,
}

/// The result of [`process`].
#[derive(Debug, Default)]
pub struct Processed {
    /// For renderers.
    pub catalog: Catalog,
    /// The variant files, to publish.
    pub outputs: Vec<Output>,
    /// Unreadable images, images too narrow or too heavy.
    pub diagnostics: Vec<Diagnostic>,
    /// Counters.
    pub stats: Stats,
}

/// Where processed images are cached, and whether this run may add to it
/// (`check` reads the cache but writes nothing).
#[derive(Debug, Clone)]
pub struct Cache {
    /// The cache folder (see [`cache::dir`]).
    pub dir: std::path::PathBuf,
    /// False for runs that must not write to disk.
    pub writable: bool,
    /// The site's folder, when the sources of images were left unread
    /// (empty bytes, see [`crate::load::read_content_except`]): they are
    /// then hashed from disk, and read whole only when not in the cache.
    pub sources: Option<std::path::PathBuf>,
}

/// Makes every image of `plan` from the sources in `files`, through the
/// cache when given (else everything is made in memory).
pub fn process(plan: &Plan, files: &[SourceFile], cache_dir: Option<&Cache>) -> Processed {
    let start = Instant::now();
    let by_path: HashMap<&str, &[u8]> =
        files.iter().map(|f| (f.path.as_str(), &*f.bytes)).collect();
    let on_disk = cache_dir.and_then(|c| Some((c, c.sources.as_ref()?)));
    let memo = on_disk.map(|(c, _)| cache::KeyMemo::open(&c.dir));
    let task = crate::progress::task("Images", plan.needs.len() as u64);
    let results: Vec<(&Need, usize, Made)> = plan
        .needs
        .par_iter()
        .filter_map(|n| {
            let bytes = by_path.get(n.source.as_str())?;
            let made = match (on_disk, &memo) {
                (Some((c, root)), Some(memo)) if bytes.is_empty() => {
                    let source = root.join(&n.source);
                    let (size, made) = make_from_disk(&n.source, &source, memo, c);
                    (n, size, made)
                }
                _ => (n, bytes.len(), make(bytes, cache_dir)),
            };
            task.step();
            Some(made)
        })
        .collect();
    drop(task);
    if let (Some((c, _)), Some(memo)) = (on_disk.filter(|(c, _)| c.writable), memo) {
        // Without it, the next build only hashes every source again.
        let _ = memo.save(&c.dir);
    }
    let mut p = Processed::default();
    for (need, size, result) in results {
        p.stats.sources += 1;
        p.stats.bytes_in += size;
        match result {
            Ok((key, derived, hit)) => {
                if hit {
                    p.stats.cached += 1;
                } else {
                    p.stats.encoded += 1;
                }
                p.diagnostics.extend(narrow_warnings(need, &derived));
                p.diagnostics.extend(heavy_email_warning(need, &derived));
                publish(&mut p, need, &key, derived);
            }
            Err(e) => p.diagnostics.extend(unreadable(need, &e)),
        }
    }
    p.diagnostics.extend(letter_warnings(plan, &p.catalog));
    p.outputs.sort_by(|a, b| a.path.cmp(&b.path));
    p.stats.millis = start.elapsed().as_millis() as u64;
    p
}

/// `serve`'s memo of the image step: the last result, kept while the
/// plan and the bytes of its sources stay the same (an edit to an article
/// does not read the cached variants of every photo again).
#[derive(Default)]
pub struct Memo {
    key: Option<u64>,
    last: std::sync::Arc<Processed>,
    /// Each source's size and fingerprint, kept until [`Memo::forget`]
    /// (hashing every photo at every save cost `serve` 50 ms a rebuild
    /// on a national site).
    sources: HashMap<String, (usize, u64)>,
}

impl Memo {
    /// Forgets what the memo knows of these files (site-root-relative
    /// paths): their bytes changed, appeared or went.
    pub fn forget<'a>(&mut self, paths: impl IntoIterator<Item = &'a String>) {
        for p in paths {
            self.sources.remove(p);
        }
    }

    /// Forgets every source's fingerprint.
    pub fn forget_all(&mut self) {
        self.sources.clear();
    }

    /// [`process`], or the last result when nothing it depends on changed.
    /// The caller tells the memo of changed files ([`Memo::forget`]).
    pub fn process(
        &mut self,
        plan: &Plan,
        files: &[SourceFile],
        cache: Option<&Cache>,
    ) -> std::sync::Arc<Processed> {
        let key = memo_key(plan, files, &mut self.sources);
        if self.key != Some(key) {
            self.last = std::sync::Arc::new(process(plan, files, cache));
            self.key = Some(key);
        }
        self.last.clone()
    }
}

/// A fingerprint of what [`process`] reads: the plan and its sources' bytes.
fn memo_key(plan: &Plan, files: &[SourceFile], sources: &mut HashMap<String, (usize, u64)>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for n in &plan.needs {
        h.update(n.source.as_bytes());
        for u in &n.uses {
            h.update(u.page.as_bytes());
            h.update(&u.line.to_le_bytes());
            h.update(&u.column.to_le_bytes());
            h.update(u.letter.as_deref().unwrap_or("").as_bytes());
            h.update(u.source.as_bytes());
        }
        let bytes = files
            .binary_search_by(|f| f.path.as_str().cmp(&n.source))
            .map_or(&[][..], |i| &*files[i].bytes);
        let known = sources
            .get(&n.source)
            .filter(|(len, _)| *len == bytes.len());
        let print = match known {
            Some(&(_, print)) => print,
            None => {
                let print = xxhash_rust::xxh3::xxh3_64(bytes);
                sources.insert(n.source.clone(), (bytes.len(), print));
                print
            }
        };
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(&print.to_le_bytes());
    }
    h.digest()
}

/// The cache key, the variants, and whether they came from the cache.
type Made = Result<(String, Derived, bool), CodecError>;

/// The variants of one source: from the cache, or made (and cached).
fn make(bytes: &[u8], cache_dir: Option<&Cache>) -> Made {
    let key = cache::key(bytes);
    if let Some(d) = cache_dir.and_then(|c| cache::read(&c.dir, &key)) {
        return Ok((key, d, true));
    }
    let d = codec::derive(bytes)?;
    if let Some(dir) = cache_dir.filter(|c| c.writable).map(|c| &c.dir) {
        // A cache that cannot be written only costs time on the next build.
        let _ = cache::write(dir, &key, &d);
    }
    Ok((key, d, false))
}

/// [`make`] for a source left on disk: its key from the memo or hashed
/// while read in small pieces, and read whole only to be encoded. Returns
/// its size too.
fn make_from_disk(
    rel: &str,
    path: &std::path::Path,
    memo: &cache::KeyMemo,
    c: &Cache,
) -> (usize, Made) {
    let hit = memo.key(rel, path).ok().and_then(|(key, size)| {
        let d = cache::read(&c.dir, &key)?;
        Some((size as usize, (key, d, true)))
    });
    if let Some((size, hit)) = hit {
        return (size, Ok(hit));
    }
    // Unreadable files are reported by the codec as empty ones.
    let bytes = std::fs::read(path).unwrap_or_default();
    (bytes.len(), make(&bytes, Some(c)))
}

/// Adds the files of `d` to `p` and its set to the catalog. Names carry
/// the width and a short content hash: `photo-960.1a2b3c4d.jpg`.
fn publish(p: &mut Processed, need: &Need, key: &str, d: Derived) {
    let url = urls::asset_url(&need.source);
    let stem = url.rsplit_once('.').map_or(url.as_str(), |(s, _)| s);
    let (hash, ext) = (&key[..8], d.format.ext());
    let mut variant = |label: String, e: codec::Encoded| {
        let url = format!("{stem}-{label}.{hash}.{ext}");
        p.stats.bytes_out += e.bytes.len();
        let v = Variant {
            width: e.width,
            height: e.height,
            url: url.clone(),
            bytes: e.bytes.len(),
        };
        p.outputs.push(Output {
            path: url.trim_start_matches('/').to_string(),
            bytes: e.bytes,
        });
        v
    };
    let web: Vec<Variant> = d
        .web
        .into_iter()
        .map(|e| variant(e.width.to_string(), e))
        .collect();
    let email = variant("email".into(), d.email);
    p.catalog.insert(
        need.source.clone(),
        ImageSet {
            width: d.width,
            height: d.height,
            web,
            email,
        },
    );
}

fn at(u: &crate::resolve::images::Use, severity_error: bool, message: String) -> Diagnostic {
    let d = if severity_error {
        Diagnostic::error(&u.page, u.line, u.column, message)
    } else {
        Diagnostic::warning(&u.page, u.line, u.column, message)
    };
    d.with_source(&u.source)
}

fn unreadable(need: &Need, e: &CodecError) -> Vec<Diagnostic> {
    need.uses
        .iter()
        .map(|u| {
            let (message, hint) = match e {
                CodecError::Unsupported(f) if f.is_empty() => (
                    format!("« {} » n'est pas une image lisible (ni JPEG, ni PNG, ni GIF, ni WebP)", u.written),
                    "ouvrez le fichier dans un logiciel d'images et enregistrez-le en .jpg (photo) ou en .png (graphique)",
                ),
                CodecError::Unsupported(f) => (
                    format!("l'image « {} » est au format {f}, que cufpress ne sait pas lire", u.written),
                    "enregistrez-la en .jpg (photo) ou en .png (graphique)",
                ),
                CodecError::Damaged(why) => (
                    format!("l'image « {} » est illisible ou incomplète ({why})", u.written),
                    "le fichier a sans doute été mal copié ou téléchargé : reprenez-le depuis l'original",
                ),
            };
            at(u, true, message).with_suggestion(hint)
        })
        .collect()
}

fn narrow_warnings(need: &Need, d: &Derived) -> Vec<Diagnostic> {
    if d.width >= SLOT_WIDTH {
        return Vec::new();
    }
    // Logos (named by site.yaml) are small on purpose.
    need.uses
        .iter()
        .filter(|u| u.page != crate::resolve::images::SITE_FILE)
        .map(|u| {
            at(
                u,
                false,
                format!(
                    "l'image « {} » ne fait que {} × {} px : moins que les {SLOT_WIDTH} px de large de son emplacement, elle paraîtra petite ou floue",
                    u.written, d.width, d.height
                ),
            )
            .with_suggestion(format!(
                "fournissez-la en {} px de large au moins (l'e-mail l'affiche sur {SLOT_WIDTH} px, doublés pour les écrans haute densité)",
                codec::EMAIL_WIDTH
            ))
        })
        .collect()
}

fn heavy_email_warning(need: &Need, d: &Derived) -> Option<Diagnostic> {
    let u = need.uses.iter().find(|u| u.letter.is_some())?;
    (d.email.bytes.len() > EMAIL_MAX_BYTES).then(|| {
        at(
            u,
            false,
            format!(
                "l'image « {} » pèse encore {} Ko dans l'e-mail, au-delà de {} Ko",
                u.written,
                d.email.bytes.len().div_ceil(1024),
                EMAIL_MAX_BYTES / 1024
            ),
        )
        .with_suggestion("recadrez-la ou choisissez une image moins chargée en détails")
    })
}

/// One warning per letter whose e-mail images weigh more than [`LETTER_MAX_BYTES`].
fn letter_warnings(plan: &Plan, catalog: &Catalog) -> Vec<Diagnostic> {
    let mut per_letter: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &plan.needs {
        let Some(set) = catalog.get(&n.source) else {
            continue;
        };
        let mut letters: Vec<&str> = n.uses.iter().filter_map(|u| u.letter.as_deref()).collect();
        letters.sort_unstable();
        letters.dedup();
        for l in letters {
            *per_letter.entry(l).or_default() += set.email.bytes;
        }
    }
    per_letter
        .into_iter()
        .filter(|(_, total)| *total > LETTER_MAX_BYTES)
        .map(|(l, total)| {
            Diagnostic::warning(
                format!("content/lettres/{l}/_index.md"),
                0,
                0,
                format!(
                    "les images de l'e-mail du numéro {l} pèsent {} Ko, au-delà de {} Ko : le message sera lent à s'ouvrir",
                    total.div_ceil(1024),
                    LETTER_MAX_BYTES / 1024
                ),
            )
            .with_suggestion("gardez une image par article au plus, ou retirez-en de ce numéro")
        })
        .collect()
}
