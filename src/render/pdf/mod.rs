//! The PDF editions: every issue of the letter
//! (`lettres/AAAA-MM/lettre-cuf-AAAA-MM.pdf`) and every country directory
//! as a booklet (`repertoire/<pays>/repertoire-<pays>.pdf`), typeset
//! in-process by Typst.
//!
//! A PDF is made in two steps. [`letter::job`] / [`booklet::job`] turn the
//! resolved site into a [`Job`]: a fixed Typst template from this binary,
//! the document's data as JSON (content is data, never Typst markup: see
//! [`markup`]) and the image variants it shows. [`typeset`] then runs Typst
//! on it. The job's BLAKE3 hash keys the cache (`.cufpress-cache/pdf/`): a
//! PDF whose job did not change is read back, not typeset again. Image
//! variants carry their content hash in their file name, so the job's text
//! is a complete key. `serve` publishes the job itself at the PDF's path
//! and typesets it on the first request ([`serve_bytes`]).

pub mod booklet;
pub mod letter;
pub mod markup;
pub mod world;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink};

/// Changes whenever the same job would give other bytes (templates,
/// Typst's version, options): old cache entries are then never read again.
pub const ENGINE_VERSION: &str = concat!("cufpress-pdf-1 typst-0.15.1 ", env!("CARGO_PKG_VERSION"));

/// What the PDF step does in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Typeset (or read from the cache) every PDF, and link them.
    #[default]
    Build,
    /// No PDF and no link to one (`--sans-pdf`).
    Off,
    /// Publish the jobs; typeset on request (`serve`).
    Lazy,
}

/// The PDF cache of a site and whether this run may add to it.
#[derive(Debug, Clone)]
pub struct Cache {
    /// `<root>/.cufpress-cache/pdf/`.
    pub dir: PathBuf,
    /// False for `check`.
    pub writable: bool,
}

/// The cache folder of the site at `root`.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".cufpress-cache").join("pdf")
}

/// What renderers need to know about the PDFs of a run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Build, off or lazy.
    pub mode: Mode,
    /// The cache, when the run has one.
    pub cache: Option<Cache>,
}

/// Which template a job uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// An issue of the letter.
    Letter,
    /// A country directory.
    Booklet,
}

/// Everything one PDF is made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The template.
    pub kind: Kind,
    /// The content file errors are reported on (`content/lettres/…/_index.md`).
    pub source: String,
    /// The document's date (`AAAA-MM-JJ`), from the content.
    pub date: String,
    /// The data the template reads, as JSON text.
    pub data: String,
    /// Images: virtual path in the document → path of the variant among
    /// the site's outputs (its name holds its content hash).
    pub images: Vec<(String, String)>,
}

/// The first bytes of a job published in place of its PDF (`serve`).
pub const JOB_MAGIC: &[u8] = b"%cufpress-pdf-job\n";

impl Job {
    /// The cache key: hex BLAKE3 of the engine version, the template the
    /// job is typeset with (so a template change is never served from an
    /// old cache entry) and the job.
    pub fn key(&self) -> String {
        let mut h = blake3::Hasher::new();
        h.update(ENGINE_VERSION.as_bytes());
        h.update(&[0]);
        h.update(self.template().as_bytes());
        h.update(&[0]);
        h.update(serde_json::to_string(self).unwrap_or_default().as_bytes());
        h.finalize().to_hex()[..32].to_string()
    }

    /// The Typst source the job is typeset with. Developers:
    /// `CUFPRESS_PDF_TEMPLATES=<folder>` reads `common.typ`, `letter.typ`
    /// and `booklet.typ` from that folder when it holds them, so a layout
    /// can be tried without recompiling (the cache key follows the text).
    fn template(&self) -> String {
        const COMMON: (&str, &str) = ("common.typ", include_str!("common.typ"));
        let body = match self.kind {
            Kind::Letter => ("letter.typ", include_str!("letter.typ")),
            Kind::Booklet => ("booklet.typ", include_str!("booklet.typ")),
        };
        let dir = std::env::var_os("CUFPRESS_PDF_TEMPLATES").map(PathBuf::from);
        let read = |(name, builtin): (&str, &str)| {
            dir.as_ref()
                .and_then(|d| std::fs::read_to_string(d.join(name)).ok())
                .unwrap_or_else(|| builtin.to_string())
        };
        format!("{}\n{}", read(COMMON), read(body))
    }

    /// The job as published by `serve` in place of its PDF.
    pub fn to_stub(&self) -> Vec<u8> {
        let mut v = JOB_MAGIC.to_vec();
        v.extend(serde_json::to_vec(self).unwrap_or_default());
        v
    }

    /// The job published at a PDF's path, if `bytes` is one.
    pub fn from_stub(bytes: &[u8]) -> Option<Job> {
        serde_json::from_slice(bytes.strip_prefix(JOB_MAGIC)?).ok()
    }
}

/// Typesets `job`: the PDF's bytes, or a French error on the job's source
/// file. `image` gives the bytes of an output by path.
pub fn typeset(job: &Job, image: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<Vec<u8>, Diagnostic> {
    let date = chrono::NaiveDate::parse_from_str(&job.date, "%Y-%m-%d").unwrap_or_default();
    let mut files = vec![("/data.json".to_string(), job.data.clone().into_bytes())];
    for (virt, output) in &job.images {
        match image(output) {
            Some(b) => files.push((virt.clone(), b)),
            None => {
                return Err(Diagnostic::error(
                    &job.source,
                    1,
                    1,
                    format!("image introuvable pour le PDF : {output}"),
                ));
            }
        }
    }
    let world = world::PdfWorld::new(&job.template(), files, date);
    let fail = |what: &str, errors: &[typst::diag::SourceDiagnostic]| {
        let detail: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        Diagnostic::error(
            &job.source,
            1,
            1,
            format!("{what} du PDF a échoué : {}", detail.join(" ; ")),
        )
        .with_suggestion("signalez ce problème à l'équipe technique, avec ce message ; le reste du site est construit normalement si vous construisez avec --sans-pdf")
    };
    // Developers: `CUFPRESS_TYPST_TRACE=<folder>` writes Typst's own
    // timings (a Chrome trace: layout iterations, page runs) as each PDF
    // is done, to profile a template. Typst's recorder is process-wide:
    // a file holds everything recorded so far, PDFs typeset side by side
    // included. Off by default; not for writers.
    let trace = std::env::var_os("CUFPRESS_TYPST_TRACE").map(PathBuf::from);
    if trace.is_some() {
        typst_timing::enable();
    }
    let doc: typst_layout::PagedDocument =
        crate::timings::stage(&format!("pdf: {} (mise en page)", job.source), || {
            typst::compile(&world).output
        })
        .map_err(|e| fail("la mise en page", &e))?;
    let (y, m, d) = {
        use chrono::Datelike;
        (date.year(), date.month() as u8, date.day() as u8)
    };
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("cufpress/{}", job.source)),
        creator: typst::foundations::Smart::Custom(Some("cufpress (Typst)".into())),
        timestamp: typst::foundations::Datetime::from_ymd_hms(y, m, d, 0, 0, 0)
            .map(typst_pdf::Timestamp::new_utc),
        tagged: true,
        ..typst_pdf::PdfOptions::default()
    };
    let pdf = crate::timings::stage(&format!("pdf: {} (écriture)", job.source), || {
        typst_pdf::pdf(&doc, &options)
    })
    .map_err(|e| fail("l'écriture", &e));
    if let Some(dir) = trace {
        let name = job.source.replace(['/', '\\'], "_");
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::File::create(dir.join(format!("{name}.json"))))
            .map_err(|e| e.to_string())
            .and_then(|f| {
                typst_timing::export_json(std::io::BufWriter::new(f), |_| (String::new(), 0))
            });
        if let Err(e) = written {
            eprintln!("CUFPRESS_TYPST_TRACE : {e}");
        }
    }
    pdf
}

/// [`typeset`] through the cache: read back when the job's key is there,
/// else typeset and stored (when the cache is writable).
pub fn cached(
    job: &Job,
    cache: Option<&Cache>,
    image: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, Diagnostic> {
    let Some(cache) = cache else {
        return typeset(job, image);
    };
    let file = cache.dir.join(format!("{}.pdf", job.key()));
    if let Ok(bytes) = std::fs::read(&file)
        && bytes.starts_with(b"%PDF")
    {
        return Ok(bytes);
    }
    let bytes = typeset(job, image)?;
    if cache.writable {
        // Written beside, then renamed: a reader never sees half a file.
        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
        let stored = std::fs::create_dir_all(&cache.dir)
            .and_then(|()| std::fs::write(&tmp, &bytes))
            .and_then(|()| std::fs::rename(&tmp, &file));
        if stored.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    Ok(bytes)
}

/// The bytes to serve for an output of `serve`: a job is typeset (through
/// the cache), anything else is returned as it is. `image` gives the
/// bytes of another output.
pub fn serve_bytes(
    bytes: &[u8],
    cache: Option<&Cache>,
    image: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Option<Result<Vec<u8>, Diagnostic>> {
    let job = Job::from_stub(bytes)?;
    Some(cached(&job, cache, image))
}

/// Path of the PDF of letter `id` (`lettres/2025-09/lettre-cuf-2025-09.pdf`).
pub fn letter_path(id: &str) -> String {
    format!("lettres/{id}/lettre-cuf-{id}.pdf")
}

/// Path of the booklet of directory `slug`.
pub fn booklet_path(slug: &str) -> String {
    format!("repertoire/{slug}/repertoire-{slug}.pdf")
}

/// Root-relative URL (with the base path) of letter `id`'s PDF, when PDFs
/// are made in this run.
pub fn letter_url(ctx: &RenderContext<'_>, id: &str) -> Option<String> {
    (ctx.pdf.mode != Mode::Off).then(|| ctx.url(&format!("/{}", letter_path(id))))
}

/// Root-relative URL of directory `slug`'s booklet, when PDFs are made.
pub fn booklet_url(ctx: &RenderContext<'_>, slug: &str) -> Option<String> {
    (ctx.pdf.mode != Mode::Off).then(|| ctx.url(&format!("/{}", booklet_path(slug))))
}

/// Renders every PDF of the site.
pub struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        render_some(ctx, out, Pick::All, Pick::All)
    }

    fn render_changed(
        &self,
        ctx: &RenderContext<'_>,
        changes: &crate::render::changes::ChangeSet,
        out: &dyn Sink,
    ) -> Option<Rendered> {
        // Booklets read répertoires, groups and site.yaml: a change in one
        // répertoire's folder redoes that booklet only. A letter's PDF
        // reads its own folder, the agenda, programmes, groups and
        // site.yaml: a change inside issues' folders redoes those letters.
        if let Some(slugs) = changes.directories_only() {
            Some(render_some(ctx, out, Pick::Nothing, Pick::Only(slugs)))
        } else if let Some(ids) = changes.letters_only() {
            Some(render_some(ctx, out, Pick::Only(ids), Pick::Nothing))
        } else if changes.only_under(&["repertoire/"]) {
            Some(render_some(ctx, out, Pick::Nothing, Pick::All))
        } else if changes.only_under(&["lettres/", "agenda/", "programmes/"]) {
            Some(render_some(ctx, out, Pick::All, Pick::Nothing))
        } else {
            None
        }
    }
}

/// Which letters or booklets to redo: all, those named (issue ids,
/// répertoire folder names), or none.
enum Pick<'a> {
    All,
    Only(Vec<&'a str>),
    Nothing,
}

impl Pick<'_> {
    fn has(&self, id: &str) -> bool {
        match self {
            Pick::All => true,
            Pick::Only(ids) => ids.contains(&id),
            Pick::Nothing => false,
        }
    }
}

/// The letters' and/or the booklets' PDFs (or their jobs, in lazy mode).
fn render_some(
    ctx: &RenderContext<'_>,
    out: &dyn Sink,
    letters: Pick<'_>,
    booklets: Pick<'_>,
) -> Rendered {
    if ctx.pdf.mode == Mode::Off {
        return Ok(Vec::new());
    }
    let mut jobs: Vec<(String, Job)> = Vec::new();
    let made: Vec<(String, Job)> = (0..ctx.site.letters.len())
        .into_par_iter()
        .filter(|&li| letters.has(&ctx.site.letters[li].id))
        .map(|li| (letter_path(&ctx.site.letters[li].id), letter::job(ctx, li)))
        .collect();
    jobs.extend(made);
    let made: Vec<(String, Job)> = ctx
        .site
        .directories
        .par_iter()
        .filter(|d| booklets.has(&d.slug))
        .map(|d| (booklet_path(&d.slug), booklet::job(ctx, d)))
        .collect();
    jobs.extend(made);
    if ctx.pdf.mode == Mode::Lazy {
        for (path, job) in jobs {
            out.put(Output {
                path,
                bytes: job.to_stub(),
            });
        }
        return Ok(Vec::new());
    }
    let files: HashMap<&str, &[u8]> = ctx
        .image_files
        .iter()
        .map(|o| (o.path.as_str(), o.bytes.as_slice()))
        .collect();
    let image = |p: &str| files.get(p).map(|b| b.to_vec());
    // A progress bar on a terminal (typesetting a long booklet takes
    // seconds); PDFs read back from the cache count as done at once.
    let task = crate::progress::task("PDF", jobs.len() as u64);
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|(path, job)| {
            let typeset = crate::timings::stage(&format!("pdf: {path}"), || {
                cached(job, ctx.pdf.cache.as_ref(), &image)
            });
            task.step();
            match typeset {
                Ok(bytes) => {
                    out.put(Output {
                        path: path.clone(),
                        bytes,
                    });
                    None
                }
                Err(e) => Some(e),
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(Vec::new())
    } else {
        Err(errors)
    }
}

/// The job entry of the image made from `source` (`content/…`): the widest
/// web variant (1440 px: 300 dpi at the 12 cm the templates print at
/// most), upright and without metadata. Returns its virtual path in the
/// document and its width / height ratio.
pub fn image_entry(
    ctx: &RenderContext<'_>,
    source: &str,
    images: &mut Vec<(String, String)>,
) -> Option<(String, f64)> {
    let set = ctx.images.get(source)?;
    let v = set.largest();
    let ext = v.url.rsplit_once('.').map_or("jpg", |(_, e)| e);
    let virt = format!("/img/{}.{ext}", images.len());
    images.push((virt.clone(), v.url.trim_start_matches('/').to_string()));
    let ratio = f64::from(v.width) / f64::from(v.height.max(1));
    Some((virt, (ratio * 1000.0).round() / 1000.0))
}
