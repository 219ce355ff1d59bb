//! The `render` stage: pure functions from the resolved site to a list of
//! `(path, bytes)` outputs, one renderer per kind of output.

pub mod agenda;
pub mod changes;
pub mod email;
pub mod feeds;
pub mod ics;
pub mod programmes;
pub mod repertoire;
pub mod theme;
pub mod views;
pub mod web;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::resolve::Index;
use theme::Theme;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path inside `public/`, `/`-separated, no leading slash.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl Output {
    /// An output from text.
    pub fn text(path: impl Into<String>, text: String) -> Self {
        Output {
            path: path.into(),
            bytes: text.into_bytes(),
        }
    }
}

/// Everything a renderer reads.
pub struct RenderContext<'a> {
    /// The resolved site.
    pub site: &'a Site,
    /// Its derived data.
    pub index: &'a Index,
    /// Templates.
    pub theme: &'a Theme,
    /// Absolute base URL, without trailing slash (`https://x.org/cuf`).
    pub base_url: String,
    /// Its path part (`/cuf`), or empty.
    pub base_path: String,
    /// The date "upcoming" and "past" are measured against.
    pub today: NaiveDate,
    /// Whether the répertoire's search index is written.
    pub search_index: bool,
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

/// Outputs and warnings, or the errors that stopped a renderer.
pub type Rendered = Result<(Vec<Output>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// A kind of output (web edition, e-mail edition, feeds, …).
pub trait Renderer: Sync {
    /// Short name, for diagnostics and benchmarks.
    fn name(&self) -> &'static str;
    /// Every file of this kind of output.
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<Output>, Vec<Diagnostic>>;
    /// Every file plus the warnings it raises (the build goes on).
    fn render_with_warnings(&self, ctx: &RenderContext<'_>) -> Rendered {
        self.render(ctx).map(|o| (o, Vec::new()))
    }
    /// Content folders (`lettres/`, …) none of this renderer's pages read.
    fn ignores(&self) -> &'static [&'static str] {
        &[]
    }
    /// Only the files `changes` can have changed, with their warnings; the
    /// caller keeps the other files of the last render. `None`: this
    /// renderer cannot tell, render everything. By default, nothing to redo
    /// when every change lies in folders the renderer [ignores](Self::ignores).
    fn render_changed(
        &self,
        _ctx: &RenderContext<'_>,
        changes: &changes::ChangeSet,
    ) -> Option<Rendered> {
        let ignored = self.ignores();
        (!ignored.is_empty() && changes.only_under(ignored)).then(|| Ok((Vec::new(), Vec::new())))
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
        Box::new(email::EmailRenderer),
    ]
}

/// Runs every renderer (in parallel) and returns the outputs sorted by
/// path, with the renderers' warnings.
pub fn render_all(ctx: &RenderContext<'_>) -> Rendered {
    let results: Vec<_> = renderers()
        .par_iter()
        .map(|r| crate::timings::stage(r.name(), || r.render_with_warnings(ctx)))
        .collect();
    let mut outputs = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((o, w)) => {
                outputs.extend(o);
                warnings.extend(w);
            }
            Err(e) => errors.extend(e),
        }
    }
    for s in &ctx.theme.statics {
        outputs.push(Output {
            path: s.path.clone(),
            bytes: s.bytes.clone(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    outputs.par_sort_by(|a, b| a.path.cmp(&b.path));
    let map = feeds::sitemap(ctx, &outputs);
    let at = outputs.partition_point(|o| o.path < map.path);
    outputs.insert(at, map);
    let dups: Vec<Diagnostic> = outputs
        .windows(2)
        .filter(|w| w[0].path == w[1].path)
        .map(|w| {
            Diagnostic::error(
                format!("public/{}", w[0].path),
                0,
                0,
                "deux pages seraient écrites au même endroit",
            )
            .with_suggestion("deux fichiers portent sans doute le même nom (par exemple deux événements de même nom dans des sous-dossiers de agenda/) : renommez l'un d'eux")
        })
        .collect();
    if !dups.is_empty() {
        return Err(dups);
    }
    Ok((outputs, warnings))
}

/// Renders many pages in parallel, collecting every failure.
pub fn par_pages<T: Sync>(
    items: &[T],
    f: impl Fn(&T) -> Result<Output, Diagnostic> + Sync + Send,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let results: Vec<Result<Output, Diagnostic>> = items.par_iter().map(f).collect();
    let mut ok = Vec::with_capacity(results.len());
    let mut errs = Vec::new();
    for r in results {
        match r {
            Ok(o) => ok.push(o),
            Err(e) => errs.push(e),
        }
    }
    if errs.is_empty() { Ok(ok) } else { Err(errs) }
}
