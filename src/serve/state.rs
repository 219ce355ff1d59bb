//! The in-memory site of `serve` and its incremental rebuild: inputs kept
//! between runs, per-file loading memoised, renderers asked for the pages a
//! change touches, outputs compared with the last ones.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::GenerateOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck::{self, TemplateSource};
use crate::load::cache::{LoadCache, load_site_cached};
use crate::load::{self, LoadOptions, SourceFile};
use crate::render::changes::ChangeSet;
use crate::render::theme::{self, Theme, ThemeFile};
use crate::render::{self, Output, RenderContext};

/// What the server shows: outputs in memory, assets on disk, or the
/// diagnostics of a failed build.
#[derive(Default)]
pub struct Served {
    /// Generated files by path inside the site (`lettres/2025-09/index.html`).
    pub outputs: HashMap<String, Arc<Vec<u8>>>,
    /// Copied content files: path inside the site → file on disk.
    pub assets: HashMap<String, PathBuf>,
    /// Every diagnostic of the last build when it failed.
    pub failure: Option<Vec<Diagnostic>>,
    /// Number of builds so far.
    pub generation: u64,
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// False when the build failed (the error page is shown).
    pub ok: bool,
    /// Paths inside the site whose bytes changed, were added or removed;
    /// `None` when every page must reload (failure, recovery).
    pub changed: Option<Vec<String>>,
    /// Diagnostics of this build (errors and warnings).
    pub diagnostics: Vec<Diagnostic>,
    /// Content files that had to be parsed again.
    pub parsed: usize,
    /// Pages rendered again.
    pub rendered: usize,
}

/// The last successful render, by renderer.
struct Rendered {
    /// Paths produced by each renderer of `render::renderers()`, same order.
    paths: Vec<BTreeSet<String>>,
    /// Warnings of each renderer's last complete render.
    warnings: Vec<Vec<Diagnostic>>,
}

/// Inputs and memo of the serve loop (one per server, never shared).
pub struct Builder {
    root: PathBuf,
    opts: GenerateOptions,
    files: Vec<SourceFile>,
    theme_files: Vec<ThemeFile>,
    theme: Result<Theme, Vec<Diagnostic>>,
    templates: Vec<TemplateSource>,
    cache: LoadCache,
    rendered: Option<Rendered>,
    /// Files changed since the last successful render.
    pending: BTreeSet<String>,
    /// A file appeared or disappeared since the last successful render.
    structural: bool,
    read_error: Option<Diagnostic>,
}

const ORIGIN: &str = "themes/cuf";

impl Builder {
    /// Reads everything under `root` (content and theme); nothing is built yet.
    pub fn new(root: &Path, opts: GenerateOptions) -> Self {
        let mut b = Builder {
            root: root.to_path_buf(),
            opts,
            files: Vec::new(),
            theme_files: Vec::new(),
            theme: Err(Vec::new()),
            templates: Vec::new(),
            cache: LoadCache::new(),
            rendered: None,
            pending: BTreeSet::new(),
            structural: true,
            read_error: None,
        };
        b.reread_content();
        b.reread_theme();
        b
    }

    /// Reads `content/` again; returns the files whose bytes changed,
    /// appeared or disappeared (a save by rename shows here, not on the
    /// path of the event that caused the walk).
    fn reread_content(&mut self) -> Vec<String> {
        self.structural = true;
        let files = match load::read_content(&self.root) {
            Ok(files) => files,
            Err(d) => {
                self.read_error = Some(d);
                return vec!["content".to_string()];
            }
        };
        let old: HashMap<&str, &[u8]> = self
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        let mut changed: Vec<String> = files
            .iter()
            .filter(|f| old.get(f.path.as_str()) != Some(&f.bytes.as_slice()))
            .map(|f| f.path.clone())
            .collect();
        let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        changed.extend(
            old.keys()
                .filter(|p| !now.contains(*p))
                .map(|p| p.to_string()),
        );
        drop(old);
        self.files = files;
        self.read_error = None;
        changed
    }

    /// Reads the theme again; returns the theme files whose bytes changed.
    fn reread_theme(&mut self) -> Vec<String> {
        let files = match theme::read_theme(&self.root, "cuf") {
            Ok(f) => f,
            Err(d) => {
                self.theme = Err(vec![d]);
                return Vec::new();
            }
        };
        let old: HashMap<&str, &[u8]> = self
            .theme_files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        if old.len() != files.len() || files.iter().any(|f| !old.contains_key(f.path.as_str())) {
            self.structural = true;
        }
        let changed: Vec<String> = files
            .iter()
            .filter(|f| old.get(f.path.as_str()) != Some(&f.bytes.as_slice()))
            .map(|f| format!("{ORIGIN}/{}", f.path))
            .collect();
        drop(old);
        self.templates = linkcheck::template_sources(&files, ORIGIN);
        self.theme = theme::compile(files.clone(), ORIGIN);
        self.theme_files = files;
        changed
    }

    /// Takes the changed paths (absolute, under `root`) into account;
    /// returns the site-relative paths whose bytes really changed.
    pub fn update(&mut self, paths: &[PathBuf]) -> Vec<String> {
        let mut changed = Vec::new();
        let mut theme = false;
        for p in paths {
            let Ok(rel) = p.strip_prefix(&self.root) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel.split('/').any(load::is_ignored) {
                continue;
            }
            if rel.starts_with("themes/") {
                theme = true;
            } else if rel.starts_with("content/") || rel == "content" {
                changed.extend(self.update_content(p, rel));
            }
        }
        if theme {
            changed.extend(self.reread_theme());
        }
        self.pending.extend(changed.iter().cloned());
        changed
    }

    fn update_content(&mut self, abs: &Path, rel: String) -> Vec<String> {
        let at = self.files.binary_search_by(|f| f.path.as_str().cmp(&rel));
        let meta = std::fs::symlink_metadata(abs);
        if meta.as_ref().is_ok_and(|m| m.is_dir()) || (meta.is_err() && at.is_err()) {
            // A folder created, moved or removed, or a file renamed away
            // (a save through a temporary file): read everything again.
            return self.reread_content();
        }
        // A symbolic link is not part of the site (as in `build`): it, or
        // a linked folder on the way, could point anywhere on the disk.
        let content = self.root.join("content").canonicalize();
        let inside = |p: &Path| {
            p.canonicalize()
                .is_ok_and(|r| content.as_ref().is_ok_and(|c| r.starts_with(c)))
        };
        let read = match meta {
            Ok(m) if m.file_type().is_symlink() || !inside(abs) => {
                Err(std::io::ErrorKind::Unsupported.into())
            }
            _ => std::fs::read(abs),
        };
        match (read, at) {
            (Ok(bytes), Ok(i)) => {
                if self.files[i].bytes == bytes {
                    return Vec::new();
                }
                self.files[i].bytes = bytes;
                if rel == "content/site.yaml" {
                    self.structural = true;
                }
            }
            (Ok(bytes), Err(i)) => {
                let file = SourceFile {
                    path: rel.clone(),
                    bytes,
                };
                self.files.insert(i, file);
                self.structural = true;
            }
            (Err(_), Ok(i)) => {
                self.files.remove(i);
                self.structural = true;
            }
            (Err(_), Err(_)) => return Vec::new(),
        }
        vec![rel]
    }

    /// Builds and applies the result to `served`.
    pub fn build(&mut self, served: &std::sync::RwLock<Served>) -> Outcome {
        let mut diags = Diagnostics::new();
        if let Some(d) = &self.read_error {
            diags.push(d.clone());
            return fail(served, diags);
        }
        let t0 = std::time::Instant::now();
        let (site, load_diags) = load_site_cached(
            &self.files,
            &LoadOptions {
                base_url: self.opts.base_url.clone(),
                drafts: self.opts.drafts,
            },
            &mut self.cache,
        );
        timing("load", t0);
        // Taken out for the time of the build, so `self` stays mutable.
        let theme = std::mem::replace(&mut self.theme, Err(Vec::new()));
        let outcome = self.build_with(served, site, diags, &theme, load_diags);
        self.theme = theme;
        outcome
    }

    fn build_with(
        &mut self,
        served: &std::sync::RwLock<Served>,
        site: Option<crate::model::Site>,
        mut diags: Diagnostics,
        theme: &Result<Theme, Vec<Diagnostic>>,
        load_diags: Diagnostics,
    ) -> Outcome {
        diags.extend(load_diags);
        let parsed = self.cache.last_misses();
        if let Err(e) = theme {
            diags.extend(e.iter().cloned());
        }
        let Some(site) = site else {
            return fail(served, diags);
        };
        let t0 = std::time::Instant::now();
        let (site, index, d) = crate::resolve::resolve(site);
        timing("resolve", t0);
        diags.extend(d);
        crate::resolve::repertoire::check(
            &site,
            chrono::Datelike::year(&self.opts.today),
            &mut diags,
        );
        let Ok(theme) = theme else {
            return fail(served, diags);
        };
        if diags.has_errors() {
            return fail(served, diags);
        }
        let base_url = self
            .opts
            .base_url
            .clone()
            .unwrap_or_else(|| site.config.base_url.clone())
            .trim_end_matches('/')
            .to_string();
        let ctx = RenderContext {
            site: &site,
            index: &index,
            theme,
            base_path: crate::urls::base_path(&base_url),
            base_url,
            today: self.opts.today,
            search_index: self.opts.search_index,
            site_value: Default::default(),
            event_order: Default::default(),
        };
        let mut outcome = self.render(&ctx, served, diags);
        if outcome.ok {
            let mut s = served.write().unwrap_or_else(|e| e.into_inner());
            s.assets = site
                .assets
                .iter()
                .map(|a| {
                    let url = crate::urls::asset_url(a);
                    (url.trim_start_matches('/').to_string(), self.root.join(a))
                })
                .collect();
        }
        outcome.parsed = parsed;
        outcome
    }
}

/// Prints how long a stage took when `CUFPRESS_SERVE_TIMINGS` is set.
fn timing(stage: &str, since: std::time::Instant) {
    if std::env::var_os("CUFPRESS_SERVE_TIMINGS").is_some() {
        eprintln!(
            "  {stage} : {:.1} ms",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Records a failed build.
fn fail(served: &std::sync::RwLock<Served>, diags: Diagnostics) -> Outcome {
    let diagnostics = diags.sorted();
    let mut s = served.write().unwrap_or_else(|e| e.into_inner());
    s.failure = Some(diagnostics.clone());
    s.generation += 1;
    Outcome {
        ok: false,
        changed: None,
        diagnostics,
        ..Outcome::default()
    }
}

/// One renderer's result: complete or only the changed files.
type RendererResult = (
    bool,
    Result<(Vec<Output>, Vec<Diagnostic>), Vec<Diagnostic>>,
);

impl Builder {
    fn render(
        &mut self,
        ctx: &RenderContext<'_>,
        served: &std::sync::RwLock<Served>,
        mut diags: Diagnostics,
    ) -> Outcome {
        let renderers = render::renderers();
        let full = self.structural || self.rendered.is_none();
        let changes = ChangeSet::new(self.pending.iter().cloned());
        let results: Vec<RendererResult> = renderers
            .par_iter()
            .map(|r| {
                let t0 = std::time::Instant::now();
                let mut out = render::Collect::default();
                let complete = match (full, r.render_changed(ctx, &changes, &out)) {
                    (false, Some(res)) => (false, res),
                    _ => {
                        out = render::Collect::default();
                        (true, r.render(ctx, &out))
                    }
                };
                timing(r.name(), t0);
                let outputs = out.into_sorted();
                (complete.0, complete.1.map(|w| (outputs, w)))
            })
            .collect();
        let mut errors = Vec::new();
        let mut rendered = self.rendered.take().unwrap_or_else(|| Rendered {
            paths: vec![BTreeSet::new(); renderers.len()],
            warnings: vec![Vec::new(); renderers.len()],
        });
        let mut fresh: Vec<Output> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        for (i, (complete, res)) in results.into_iter().enumerate() {
            match res {
                Err(e) => errors.extend(e),
                Ok((outs, warnings)) if complete => {
                    let now: BTreeSet<String> = outs.iter().map(|o| o.path.clone()).collect();
                    removed.extend(rendered.paths[i].difference(&now).cloned());
                    rendered.paths[i] = now;
                    rendered.warnings[i] = warnings;
                    fresh.extend(outs);
                }
                Ok((outs, warnings)) => {
                    rendered.paths[i].extend(outs.iter().map(|o| o.path.clone()));
                    rendered.warnings[i].extend(warnings);
                    rendered.warnings[i].sort_by_key(|d| d.to_human());
                    rendered.warnings[i].dedup();
                    fresh.extend(outs);
                }
            }
        }
        if full {
            fresh.extend(ctx.theme.statics.iter().map(|s| Output {
                path: s.path.clone(),
                bytes: s.bytes.clone(),
            }));
            errors.extend(duplicates(&rendered.paths));
        }
        if !errors.is_empty() {
            diags.extend(errors);
            self.rendered = None;
            return fail(served, diags);
        }
        diags.extend(rendered.warnings.iter().flatten().cloned());
        let n = fresh.len();
        let t0 = std::time::Instant::now();
        let changed = self.apply(ctx, served, fresh, removed, full);
        timing("apply", t0);
        self.rendered = Some(rendered);
        self.pending.clear();
        self.structural = false;
        Outcome {
            ok: true,
            changed,
            diagnostics: diags.sorted(),
            rendered: n,
            ..Outcome::default()
        }
    }

    /// Puts the new outputs in `served`; returns the paths that changed.
    fn apply(
        &self,
        ctx: &RenderContext<'_>,
        served: &std::sync::RwLock<Served>,
        fresh: Vec<Output>,
        removed: Vec<String>,
        full: bool,
    ) -> Option<Vec<String>> {
        let mut s = served.write().unwrap_or_else(|e| e.into_inner());
        let recovering = s.failure.take().is_some();
        let mut changed = Vec::new();
        let mut paths_moved = !removed.is_empty();
        for p in removed {
            s.outputs.remove(&p);
            changed.push(p);
        }
        for o in fresh {
            match s.outputs.get(&o.path) {
                Some(old) if **old == o.bytes => {}
                old => {
                    paths_moved |= old.is_none();
                    changed.push(o.path.clone());
                    s.outputs.insert(o.path, Arc::new(o.bytes));
                }
            }
        }
        if full || paths_moved {
            let mut all: Vec<String> = s
                .outputs
                .keys()
                .filter(|p| p.as_str() != "sitemap.xml")
                .cloned()
                .collect();
            all.sort();
            let map = render::feeds::sitemap(ctx, &all);
            if s.outputs.get(&map.path).is_none_or(|o| **o != map.bytes) {
                changed.push(map.path.clone());
                s.outputs.insert(map.path, Arc::new(map.bytes));
            }
        }
        s.generation += 1;
        changed.sort();
        (!recovering).then_some(changed)
    }

    /// Runs the offline link check over every output (slow on big sites:
    /// called after the reload message, like `check` would report).
    pub fn link_check(&self, served: &std::sync::RwLock<Served>) -> Vec<Diagnostic> {
        let outputs: Vec<Output> = {
            let s = served.read().unwrap_or_else(|e| e.into_inner());
            if s.failure.is_some() {
                return Vec::new();
            }
            s.outputs
                .iter()
                .map(|(p, b)| Output {
                    path: p.clone(),
                    bytes: b.to_vec(),
                })
                .collect()
        };
        let mut outputs = outputs;
        outputs.par_sort_by(|a, b| a.path.cmp(&b.path));
        let assets: Vec<String> = self
            .files
            .iter()
            .filter(|f| !f.path.ends_with(".md") && f.path != "content/site.yaml")
            .map(|f| f.path.clone())
            .collect();
        let base_url = self.opts.base_url.clone().unwrap_or_default();
        let sources = linkcheck::LinkSources {
            content: &self.files,
            templates: &self.templates,
            assets: &assets,
        };
        linkcheck::check(&outputs, base_url.trim_end_matches('/'), &sources)
    }

    /// Shows `diags` (the link check's) as a failed build when they hold errors.
    pub fn fail_with(&self, served: &std::sync::RwLock<Served>, diags: Vec<Diagnostic>) -> Outcome {
        let mut d = Diagnostics::new();
        d.extend(diags);
        fail(served, d)
    }
}

/// A path produced by two renderers, as `render_all` reports it.
fn duplicates(paths: &[BTreeSet<String>]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, set) in paths.iter().enumerate() {
        for p in set {
            if let Some(&j) = seen.get(p.as_str()) {
                if j != i {
                    out.push(
                        Diagnostic::error(
                            format!("public/{p}"),
                            0,
                            0,
                            "deux pages seraient écrites au même endroit",
                        )
                        .with_suggestion(
                            "deux fichiers portent sans doute le même nom : renommez l'un d'eux",
                        ),
                    );
                }
            } else {
                seen.insert(p, i);
            }
        }
    }
    out
}
