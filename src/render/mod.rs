//! The `render` stage: pure functions from the resolved site to a list of
//! `(path, bytes)` outputs, one renderer per kind of output.

pub mod admin;
pub mod agenda;
pub mod changes;
pub mod email;
pub mod feeds;
pub mod ics;
pub mod images;
pub mod pdf;
pub mod programmes;
pub mod repertoire;
pub mod search;
pub mod theme;
pub mod views;
pub mod web;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
pub use crate::output::{Collect, Discard, Output, Sink};
use crate::resolve::Index;
use theme::Theme;

/// Everything a renderer reads.
pub struct RenderContext<'a> {
    /// The resolved site.
    pub site: &'a Site,
    /// Its derived data.
    pub index: &'a Index,
    /// Templates.
    pub theme: &'a Theme,
    /// The processed images, made by the image step before the renderers
    /// run (pages point at their variants and `srcset`).
    pub images: &'a images::Catalog,
    /// Absolute base URL, without trailing slash (`https://x.org/cuf`).
    pub base_url: String,
    /// Its path part (`/cuf`), or empty.
    pub base_path: String,
    /// The date "upcoming" and "past" are measured against.
    pub today: NaiveDate,
    /// Whether the répertoire's search index is written.
    pub search_index: bool,
    /// The search index's cache folder (`.cufpress-cache/recherche/`), when
    /// the run may read and write it.
    pub search_cache: Option<std::path::PathBuf>,
    /// What the PDF step does (build, off, lazy) and its cache.
    pub pdf: pdf::Settings,
    /// The image step's files (variants), for the PDFs' images.
    pub image_files: &'a [Output],
    /// The site-wide template data, made once (see [`views::site_value`]).
    pub site_value: std::sync::OnceLock<tera::Value>,
    /// Indices of the dated events in calendar order, found once (see
    /// [`agenda::dated_events`]).
    pub event_order: std::sync::OnceLock<Vec<usize>>,
}

impl RenderContext<'_> {
    /// Root-relative URL with the base path: `/lettres/` → `/cuf/lettres/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Absolute URL: `/lettres/` → `https://x.org/cuf/lettres/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// A sink that records the paths it sees and passes every file on.
struct Paths<'a> {
    inner: &'a dyn Sink,
    seen: std::sync::Mutex<Vec<String>>,
}

impl Sink for Paths<'_> {
    fn put(&self, output: Output) {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(output.path.clone());
        self.inner.put(output);
    }
}

/// The warnings of a renderer that finished, or the errors that stopped it.
pub type Rendered = Result<Vec<Diagnostic>, Vec<Diagnostic>>;

/// A kind of output (web edition, e-mail edition, feeds, …).
pub trait Renderer: Sync {
    /// Short name, for diagnostics and benchmarks.
    fn name(&self) -> &'static str;
    /// Puts every file of this kind of output into `out`; returns the
    /// warnings raised (the build goes on) or the errors.
    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered;
    /// Content folders (`lettres/`, …) none of this renderer's pages read.
    fn ignores(&self) -> &'static [&'static str] {
        &[]
    }
    /// Puts only the files `changes` can have changed into `out`, and
    /// returns their warnings; the caller keeps the other files of the last
    /// render. `None`: this renderer cannot tell, render everything. By
    /// default, nothing to redo when every change lies in folders the
    /// renderer [ignores](Self::ignores).
    fn render_changed(
        &self,
        _ctx: &RenderContext<'_>,
        changes: &changes::ChangeSet,
        _out: &dyn Sink,
    ) -> Option<Rendered> {
        let ignored = self.ignores();
        (!ignored.is_empty() && changes.only_under(ignored)).then(|| Ok(Vec::new()))
    }
}

/// The renderers of a build, in a fixed order.
pub fn renderers() -> Vec<Box<dyn Renderer>> {
    vec![
        Box::new(web::WebRenderer),
        Box::new(feeds::FeedsRenderer),
        Box::new(agenda::AgendaRenderer),
        Box::new(programmes::ProgrammesRenderer),
        Box::new(repertoire::RepertoireRenderer),
        Box::new(search::SearchRenderer),
        Box::new(email::EmailRenderer),
        Box::new(admin::AdminRenderer),
        Box::new(pdf::PdfRenderer),
    ]
}

/// Runs every renderer (in parallel), streaming their files into `out`,
/// then the sitemap; returns the renderers' warnings. Two files at the same
/// path are an error.
pub fn render_all(ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
    let paths = Paths {
        inner: out,
        seen: Default::default(),
    };
    let results: Vec<Rendered> = renderers()
        .par_iter()
        .map(|r| crate::timings::stage(r.name(), || r.render(ctx, &paths)))
        .collect();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(w) => warnings.extend(w),
            Err(e) => errors.extend(e),
        }
    }
    for s in &ctx.theme.statics {
        paths.put(Output {
            path: s.path.clone(),
            bytes: s.bytes.clone(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut seen = paths.seen.into_inner().unwrap_or_else(|e| e.into_inner());
    seen.par_sort_unstable();
    let dups = duplicates(&seen);
    if !dups.is_empty() {
        return Err(dups);
    }
    for map in feeds::sitemap(ctx, &seen) {
        out.put(map);
    }
    Ok(warnings)
}

/// An error for every path that appears more than once in `sorted`: two
/// files would be written at the same place.
pub fn duplicates(sorted: &[String]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = sorted
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| {
            Diagnostic::error(
                format!("public/{}", w[0]),
                0,
                0,
                "deux pages seraient écrites au même endroit",
            )
            .with_suggestion("deux fichiers portent sans doute le même nom (par exemple deux événements de même nom dans des sous-dossiers de agenda/) : renommez l'un d'eux")
        })
        .collect();
    out.dedup_by(|a, b| a.file == b.file);
    out
}

/// Renders many pages in parallel into `out`, collecting every failure.
pub fn par_pages<T: Sync>(
    items: &[T],
    out: &dyn Sink,
    f: impl Fn(&T) -> Result<Output, Diagnostic> + Sync + Send,
) -> Result<(), Vec<Diagnostic>> {
    let errs: Vec<Diagnostic> = items
        .par_iter()
        .filter_map(|item| match f(item) {
            Ok(o) => {
                out.put(o);
                None
            }
            Err(e) => Some(e),
        })
        .collect();
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}
