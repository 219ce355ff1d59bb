//! The in-memory site of `serve` and its incremental rebuild: the build's
//! own pipeline ([`pipeline::prepare`]) with per-file loading and the image
//! step memoised, renderers asked for the pages a change touches (through
//! the post-process stage), outputs compared with the last ones.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::Options;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::cache::LoadCache;
use crate::load::{self, SourceFile};
use crate::output::{Collect, Output};
use crate::pipeline::{self, Caches, Inputs, THEME_ORIGIN};
use crate::postprocess::Finish;
use crate::postprocess::linkcheck::{self, TemplateSource};
use crate::render::changes::ChangeSet;
use crate::render::images::{self, Processed};
use crate::render::theme;
use crate::render::{self, RenderContext};

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
    /// Paths made by the renderers of the second step ([`LATER`]): a
    /// request for one of them waits while that step runs.
    pub later_paths: HashSet<String>,
    /// Open while the second step of a rebuild runs.
    pub catch_up: Arc<CatchUp>,
}

/// The renderers whose files no page on screen is made of: the search
/// bundles' records, the back-office and the PDF jobs. A rebuild renders
/// them after the reload message (their files are asked for later, if at
/// all), and a request for one of their files waits until they are fresh.
pub const LATER: &[&str] = &["search", "admin", "pdf"];

/// Tells requests for files of the second step when it has finished.
#[derive(Default)]
pub struct CatchUp {
    busy: std::sync::Mutex<bool>,
    done: std::sync::Condvar,
}

impl CatchUp {
    fn set(&self, busy: bool) {
        *self.busy.lock().unwrap_or_else(|e| e.into_inner()) = busy;
        if !busy {
            self.done.notify_all();
        }
    }

    /// Waits until the second step is over (at most `max`).
    pub fn wait(&self, max: std::time::Duration) {
        let busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self
            .done
            .wait_timeout_while(busy, max, |b| *b)
            .unwrap_or_else(|e| e.into_inner());
    }

    /// True while the second step runs.
    pub fn is_busy(&self) -> bool {
        *self.busy.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Which renderers a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Every renderer but [`LATER`]'s.
    First,
    /// [`LATER`]'s renderers.
    Later,
}

impl Step {
    fn runs(self, renderer: &str) -> bool {
        LATER.contains(&renderer) == (self == Step::Later)
    }
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
    opts: Options,
    inputs: Inputs,
    templates: Vec<TemplateSource>,
    load_memo: LoadCache,
    image_cache: images::Cache,
    image_memo: images::Memo,
    memo: Memo,
    read_error: Option<Diagnostic>,
    /// Files of the current [`Builder::update`] whose front matter stayed.
    body_edits: HashSet<String>,
}

/// What the incremental render remembers between runs.
struct Memo {
    rendered: Option<Rendered>,
    /// Files changed since the last successful render.
    pending: BTreeSet<String>,
    /// Those of `pending` whose front matter may have changed.
    fronts: BTreeSet<String>,
    /// A file appeared or disappeared since the last successful render.
    structural: bool,
    /// The drafts left out of the last render.
    drafts: Vec<String>,
    /// The image step's result last put in `served`.
    images: Option<Arc<Processed>>,
}

impl Builder {
    /// Reads everything under `root` (content and theme); nothing is built
    /// yet. Images are made through the site's image cache, as `build`
    /// makes them, so previews show the same variants and `srcset`.
    pub fn new(root: &Path, opts: Options) -> Self {
        let mut b = Builder {
            root: root.to_path_buf(),
            image_cache: opts.image_cache(true),
            opts,
            inputs: Inputs::new(Vec::new(), Vec::new()),
            templates: Vec::new(),
            load_memo: LoadCache::new(),
            image_memo: images::Memo::default(),
            memo: Memo {
                rendered: None,
                pending: BTreeSet::new(),
                fronts: BTreeSet::new(),
                drafts: Vec::new(),
                structural: true,
                images: None,
            },
            read_error: None,
            body_edits: HashSet::new(),
        };
        b.reread_content();
        b.reread_theme();
        b
    }

    /// Reads `content/` again; returns the files whose bytes changed,
    /// appeared or disappeared (a save by rename shows here, not on the
    /// path of the event that caused the walk).
    fn reread_content(&mut self) -> Vec<String> {
        self.memo.structural = true;
        let files = match load::read_content(&self.root) {
            Ok(files) => files,
            Err(d) => {
                self.read_error = Some(d);
                self.image_memo.forget_all();
                return vec!["content".to_string()];
            }
        };
        let old: HashMap<&str, &std::sync::Arc<[u8]>> = self
            .inputs
            .files
            .iter()
            .map(|f| (f.path.as_str(), &f.bytes))
            .collect();
        let mut files = files;
        let mut changed = Vec::new();
        for f in &mut files {
            match old.get(f.path.as_str()) {
                // Unchanged: keep the buffer the load memo holds, so that it
                // still knows the file by pointer.
                Some(o) if **o == f.bytes => f.bytes = std::sync::Arc::clone(o),
                _ => changed.push(f.path.clone()),
            }
        }
        let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        changed.extend(
            old.keys()
                .filter(|p| !now.contains(*p))
                .map(|p| p.to_string()),
        );
        drop(old);
        self.inputs.files = files;
        self.read_error = None;
        changed
    }

    /// Reads the theme again; returns the theme files whose bytes changed.
    fn reread_theme(&mut self) -> Vec<String> {
        let files = match theme::read_theme(&self.root, "cuf") {
            Ok(f) => f,
            Err(d) => {
                self.read_error = Some(d);
                return Vec::new();
            }
        };
        let old: HashMap<&str, &[u8]> = self
            .inputs
            .theme_files
            .iter()
            .map(|f| (f.path.as_str(), &*f.bytes))
            .collect();
        if old.len() != files.len() || files.iter().any(|f| !old.contains_key(f.path.as_str())) {
            self.memo.structural = true;
        }
        let changed: Vec<String> = files
            .iter()
            .filter(|f| old.get(f.path.as_str()) != Some(&&*f.bytes))
            .map(|f| format!("{THEME_ORIGIN}/{}", f.path))
            .collect();
        drop(old);
        self.inputs.set_theme_files(files);
        self.templates = self.inputs.templates();
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
        self.image_memo.forget(&changed);
        // Every change but a Markdown file's text after its front matter.
        let body_edits = std::mem::take(&mut self.body_edits);
        self.memo
            .fronts
            .extend(changed.iter().filter(|p| !body_edits.contains(*p)).cloned());
        self.memo.pending.extend(changed.iter().cloned());
        changed
    }

    fn update_content(&mut self, abs: &Path, rel: String) -> Vec<String> {
        let at = self
            .inputs
            .files
            .binary_search_by(|f| f.path.as_str().cmp(&rel));
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
                if *self.inputs.files[i].bytes == *bytes {
                    return Vec::new();
                }
                if rel.ends_with(".md")
                    && crate::load::frontmatter::same_front(&self.inputs.files[i].bytes, &bytes)
                {
                    self.body_edits.insert(rel.clone());
                }
                self.inputs.files[i].bytes = bytes.into();
                if rel == "content/site.yaml" {
                    self.memo.structural = true;
                }
            }
            (Ok(bytes), Err(i)) => {
                let file = SourceFile {
                    path: rel.clone(),
                    bytes: bytes.into(),
                };
                self.inputs.files.insert(i, file);
                self.memo.structural = true;
            }
            (Err(_), Ok(i)) => {
                self.inputs.files.remove(i);
                self.memo.structural = true;
            }
            (Err(_), Err(_)) => return Vec::new(),
        }
        vec![rel]
    }

    /// Runs the build's pipeline (load with the memo, resolve, the image
    /// step through the cache), renders what changed and applies the
    /// result to `served`: [`Builder::build_steps`] with nothing between
    /// the steps.
    pub fn build(&mut self, served: &std::sync::RwLock<Served>) -> Outcome {
        self.build_steps(served, |_| {})
    }

    /// [`Builder::build`] in two steps, `after_step` called with the
    /// outcome of each: first the pages (what the open tabs reload), then
    /// the files of [`LATER`]'s renderers. Returns both steps' outcome as
    /// one (the first's alone when it failed).
    pub fn build_steps(
        &mut self,
        served: &std::sync::RwLock<Served>,
        mut after_step: impl FnMut(&Outcome),
    ) -> Outcome {
        let mut diags = Diagnostics::new();
        if let Some(d) = &self.read_error {
            diags.push(d.clone());
            let o = fail(served, diags);
            after_step(&o);
            return o;
        }
        let t0 = std::time::Instant::now();
        let caches = Caches {
            load: Some(&mut self.load_memo),
            images: Some(&self.image_cache),
            image_memo: Some(&mut self.image_memo),
        };
        let (prepared, d) = pipeline::prepare(&self.inputs, &self.opts, caches);
        timing("prepare", t0);
        diags.extend(d);
        let parsed = self.load_memo.last_misses();
        let Some(prepared) = prepared else {
            let o = fail(served, diags);
            after_step(&o);
            return o;
        };
        let ctx = prepared.context(&self.opts);
        // A draft set aside or published again adds or removes pages, as
        // a file that appears or goes does.
        let drafts_moved = self.memo.drafts != prepared.site.drafts;
        if drafts_moved {
            self.memo.drafts = prepared.site.drafts.clone();
        }
        let full = self.memo.structural || self.memo.rendered.is_none() || drafts_moved;
        let later_diags = diags.clone();
        let catch_up = served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .catch_up
            .clone();
        // Open before the first step's files are visible, so that no
        // request sees fresh pages with stale records or jobs.
        catch_up.set(true);
        let mut first = self
            .memo
            .render(&ctx, &prepared.images, served, diags, full, Step::First);
        if first.ok {
            let mut s = served.write().unwrap_or_else(|e| e.into_inner());
            s.assets = prepared
                .assets()
                .into_iter()
                .map(|a| {
                    let url = crate::urls::asset_url(&a);
                    (url.trim_start_matches('/').to_string(), self.root.join(a))
                })
                .collect();
        }
        first.parsed = parsed;
        after_step(&first);
        if !first.ok {
            catch_up.set(false);
            return first;
        }
        let later = self.memo.render(
            &ctx,
            &prepared.images,
            served,
            later_diags,
            full,
            Step::Later,
        );
        catch_up.set(false);
        after_step(&later);
        let changed = match (first.changed, later.changed.clone()) {
            (Some(mut a), Some(b)) if later.ok => {
                a.extend(b);
                a.sort();
                a.dedup();
                Some(a)
            }
            _ => None,
        };
        Outcome {
            ok: later.ok,
            changed,
            diagnostics: later.diagnostics,
            parsed,
            rendered: first.rendered + later.rendered,
        }
    }
}

/// Prints how long a stage took when `CUFPRESS_SERVE_TIMINGS` is set.
fn timing(stage: &str, since: std::time::Instant) {
    if crate::timings::enabled() || std::env::var_os("CUFPRESS_SERVE_TIMINGS").is_some() {
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

impl Memo {
    /// Renders what the pending changes touch (everything after a
    /// structural change), through the post-process stage, into `served`.
    ///
    /// `step` picks the renderers; the second step ends the rebuild (the
    /// pending changes are then cleared). `full`: render everything.
    fn render(
        &mut self,
        ctx: &RenderContext<'_>,
        images: &Arc<Processed>,
        served: &std::sync::RwLock<Served>,
        mut diags: Diagnostics,
        full: bool,
        step: Step,
    ) -> Outcome {
        let renderers = render::renderers();
        let changes =
            ChangeSet::with_fronts(self.pending.iter().cloned(), self.fronts.iter().cloned());
        let results: Vec<Option<RendererResult>> = renderers
            .par_iter()
            .map(|r| {
                if !step.runs(r.name()) {
                    return None;
                }
                let t0 = std::time::Instant::now();
                let mut out = Collect::default();
                let changed = {
                    let finish = Finish::new(ctx.images, &ctx.base_path, &out);
                    r.render_changed(ctx, &changes, &finish)
                };
                let complete = match (full, changed) {
                    (false, Some(res)) => (false, res),
                    _ => {
                        out = Collect::default();
                        let finish = Finish::new(ctx.images, &ctx.base_path, &out);
                        (true, r.render(ctx, &finish))
                    }
                };
                timing(r.name(), t0);
                let outputs = out.into_sorted();
                Some((complete.0, complete.1.map(|w| (outputs, w))))
            })
            .collect();
        let mut errors = Vec::new();
        let mut rendered = self.rendered.take().unwrap_or_else(|| Rendered {
            paths: vec![BTreeSet::new(); renderers.len()],
            warnings: vec![Vec::new(); renderers.len()],
        });
        let mut fresh: Vec<Output> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        for (i, result) in results.into_iter().enumerate() {
            let Some((complete, res)) = result else {
                continue;
            };
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
        let new_images = self.images.as_ref().is_none_or(|i| !Arc::ptr_eq(i, images));
        if step == Step::First && (full || new_images) {
            fresh.extend(images.outputs.iter().cloned());
            self.images = Some(images.clone());
        }
        if step == Step::First && full {
            fresh.extend(ctx.theme.statics.iter().map(|s| Output {
                path: s.path.clone(),
                bytes: s.bytes.clone(),
            }));
        }
        if step == Step::Later && full {
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
        if step == Step::Later {
            let later: HashSet<String> = renderers
                .iter()
                .zip(&rendered.paths)
                .filter(|(r, _)| LATER.contains(&r.name()))
                .flat_map(|(_, paths)| paths.iter().cloned())
                .collect();
            served
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .later_paths = later;
            self.pending.clear();
            self.fronts.clear();
            self.structural = false;
        }
        self.rendered = Some(rendered);
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
                .filter(|p| !render::feeds::is_sitemap(p))
                .cloned()
                .collect();
            all.sort();
            let maps = render::feeds::sitemap(ctx, &all);
            // Parts of a larger sitemap that the new one no longer has.
            let gone: Vec<String> = s
                .outputs
                .keys()
                .filter(|p| render::feeds::is_sitemap(p) && !maps.iter().any(|m| &m.path == *p))
                .cloned()
                .collect();
            for p in gone {
                s.outputs.remove(&p);
                changed.push(p);
            }
            for map in maps {
                if s.outputs.get(&map.path).is_none_or(|o| **o != map.bytes) {
                    changed.push(map.path.clone());
                    s.outputs.insert(map.path, Arc::new(map.bytes));
                }
            }
        }
        s.generation += 1;
        changed.sort();
        (!recovering).then_some(changed)
    }
}

impl Builder {
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
            .inputs
            .files
            .iter()
            .filter(|f| !f.path.ends_with(".md") && f.path != "content/site.yaml")
            .map(|f| f.path.clone())
            .collect();
        let base_url = self.opts.base_url.clone().unwrap_or_default();
        let sources = linkcheck::LinkSources {
            content: &self.inputs.files,
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
    let mut all: Vec<String> = paths.iter().flatten().cloned().collect();
    all.sort_unstable();
    render::duplicates(&all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_request_waits_for_the_second_step_and_no_longer() {
        let gate = Arc::new(CatchUp::default());
        // Nothing running: no wait.
        let t0 = Instant::now();
        gate.wait(Duration::from_secs(5));
        assert!(t0.elapsed() < Duration::from_secs(1));
        gate.set(true);
        let g = gate.clone();
        let waiter = std::thread::spawn(move || {
            let t0 = Instant::now();
            g.wait(Duration::from_secs(30));
            (t0.elapsed(), g.is_busy())
        });
        std::thread::sleep(Duration::from_millis(200));
        gate.set(false);
        let (waited, busy) = waiter.join().unwrap();
        assert!(waited >= Duration::from_millis(150), "{waited:?}");
        assert!(waited < Duration::from_secs(10), "{waited:?}");
        assert!(!busy);
    }
}
