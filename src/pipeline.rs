//! The one pipeline of every command, read top to bottom in [`run`]:
//! load → resolve (with the image step) → render → post-process, then
//! publish for `build`. `check` runs it without publishing, `serve` runs
//! [`prepare`] with its memo of loaded files and renders what a change set
//! touches, and the test send runs [`generate`] with the image cache.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::cache::{LoadCache, load_site_cached};
use crate::load::{self, SourceFile};
use crate::model::Site;
use crate::output::{Collect, Output, Sink};
use crate::postprocess::linkcheck::{self, TemplateSource};
use crate::postprocess::{self, Finish};
use crate::render::images::{self, Processed};
use crate::render::theme::{self, Theme, ThemeFile};
use crate::render::{self, RenderContext};
use crate::resolve::{self, Index};
use crate::{Options, timings};

/// Where the default theme's files are said to come from in diagnostics.
pub const THEME_ORIGIN: &str = "themes/cuf";

/// Everything a run reads from disk, read once: the content files and the
/// theme, compiled on first use.
pub struct Inputs {
    /// Files under `content/`, sorted by path.
    pub files: Vec<SourceFile>,
    /// Files of the theme (`themes/cuf/` over the embedded default).
    pub theme_files: Vec<ThemeFile>,
    theme: OnceLock<Result<Theme, Vec<Diagnostic>>>,
}

impl Inputs {
    /// Reads `root/content` and the theme. With `lazy_images`, the bytes of
    /// the images the image step processes are left on disk (they are
    /// hashed from there and read only when not in the cache).
    pub fn read(root: &Path, lazy_images: bool) -> Result<Self, Diagnostic> {
        let files = if lazy_images {
            load::read_content_except(root, resolve::images::is_processed)?
        } else {
            load::read_content(root)?
        };
        Ok(Self::new(files, theme::read_theme(root, "cuf")?))
    }

    /// Inputs from files already in memory.
    pub fn new(files: Vec<SourceFile>, theme_files: Vec<ThemeFile>) -> Self {
        Inputs {
            files,
            theme_files,
            theme: OnceLock::new(),
        }
    }

    /// The compiled theme (compiled once).
    pub fn theme(&self) -> &Result<Theme, Vec<Diagnostic>> {
        self.theme
            .get_or_init(|| theme::compile(self.theme_files.clone(), THEME_ORIGIN))
    }

    /// Replaces the theme's files (serve, after a save in `themes/`).
    pub fn set_theme_files(&mut self, files: Vec<ThemeFile>) {
        self.theme_files = files;
        self.theme = OnceLock::new();
    }

    /// The theme's templates, for the link check's line numbers.
    pub fn templates(&self) -> Vec<TemplateSource> {
        linkcheck::template_sources(&self.theme_files, THEME_ORIGIN)
    }
}

/// Caches a run may read and fill. `None` everywhere is a pure run.
#[derive(Default)]
pub struct Caches<'a> {
    /// `serve`'s memo of loaded files.
    pub load: Option<&'a mut LoadCache>,
    /// The image cache (`.cufpress-cache/images/`).
    pub images: Option<&'a images::Cache>,
    /// `serve`'s memo of the image step.
    pub image_memo: Option<&'a mut images::Memo>,
}

/// The site after load and resolve, its images made: what renderers read.
pub struct Prepared<'a> {
    /// The resolved site.
    pub site: Site,
    /// Its derived data.
    pub index: Index,
    /// The compiled theme.
    pub theme: &'a Theme,
    /// What the image step made (catalog, files, counters).
    pub images: Arc<Processed>,
}

impl Prepared<'_> {
    /// The context every renderer reads.
    pub fn context(&self, opts: &Options) -> RenderContext<'_> {
        let base_url = opts
            .base_url
            .clone()
            .unwrap_or_else(|| self.site.config.base_url.clone())
            .trim_end_matches('/')
            .to_string();
        RenderContext {
            site: &self.site,
            index: &self.index,
            theme: self.theme,
            images: &self.images.catalog,
            base_path: crate::urls::base_path(&base_url),
            base_url,
            today: opts.today,
            search_index: opts.search_index,
            search_cache: Some(crate::render::search::cache_dir(&opts.root)),
            pdf: opts.pdf.clone(),
            image_files: &self.images.outputs,
            site_value: Default::default(),
            event_order: Default::default(),
        }
    }

    /// Content files published as they are: attachments, not the images
    /// the image step re-encodes (originals carry metadata).
    pub fn assets(&self) -> Vec<String> {
        self.site
            .assets
            .iter()
            .filter(|a| !resolve::images::is_processed(a))
            .cloned()
            .collect()
    }
}

/// Load and resolve: files → checked, resolved site with its images made.
/// `None` when a mistake stops the build; every diagnostic found is
/// returned either way.
pub fn prepare<'a>(
    inputs: &'a Inputs,
    opts: &Options,
    caches: Caches<'_>,
) -> (Option<Prepared<'a>>, Diagnostics) {
    let (theme, (loaded, mut diags)) = timings::stage("load", || {
        rayon::join(
            || inputs.theme(),
            || match caches.load {
                Some(memo) => load_site_cached(&inputs.files, opts, memo),
                None => load::load_site(&inputs.files, opts),
            },
        )
    });
    if let Err(e) = theme {
        diags.extend(e.iter().cloned());
    }
    let Some(site) = loaded else {
        return (None, diags);
    };
    let year = chrono::Datelike::year(&opts.today);
    let (site, index, d) = timings::stage("resolve", || resolve::resolve(site, year));
    diags.extend(d);
    let processed = timings::stage("images", || {
        let plan = resolve::images::plan(&site);
        match caches.image_memo {
            Some(memo) => memo.process(&plan, &inputs.files, caches.images),
            None => Arc::new(images::process(&plan, &inputs.files, caches.images)),
        }
    });
    diags.extend(processed.diagnostics.iter().cloned());
    let (Ok(theme), false) = (theme, diags.has_errors()) else {
        return (None, diags);
    };
    let prepared = Prepared {
        site,
        index,
        theme,
        images: processed,
    };
    (Some(prepared), diags)
}

/// What [`run`] did besides the files it streamed.
#[derive(Debug, Default)]
pub struct Streamed {
    /// Number of files streamed.
    pub paths: usize,
    /// Content files to copy as they are (see [`Prepared::assets`]).
    pub assets: Vec<String>,
    /// What the image step did.
    pub images: images::Stats,
}

/// The whole pipeline but publishing: every generated file goes through
/// the post-process stage into `out` as soon as it is made, so the site is
/// never in memory at once; then the link check. `None` when the build
/// failed (`out` may have received part of the site).
pub fn run(
    inputs: &Inputs,
    opts: &Options,
    caches: Caches<'_>,
    out: &dyn Sink,
) -> (Option<Streamed>, Diagnostics) {
    let (prepared, mut diags) = prepare(inputs, opts, caches);
    let Some(prepared) = prepared else {
        return (None, diags);
    };
    let ctx = prepared.context(opts);
    let finish = Finish::new(&prepared.images.catalog, &ctx.base_path, out).checking_links();
    for o in &prepared.images.outputs {
        finish.put(o.clone());
    }
    match timings::stage("render", || render::render_all(&ctx, &finish)) {
        Ok(warnings) => diags.extend(warnings),
        Err(e) => {
            diags.extend(e);
            return (None, diags);
        }
    }
    let assets = prepared.assets();
    let templates = inputs.templates();
    let sources = linkcheck::LinkSources {
        content: &inputs.files,
        templates: &templates,
        assets: &assets,
    };
    let (paths, links) = finish.finish();
    diags.extend(timings::stage("linkcheck", || {
        postprocess::check_links(links, &ctx.base_url, &sources)
    }));
    let streamed = Streamed {
        paths,
        assets,
        images: prepared.images.stats.clone(),
    };
    (Some(streamed), diags)
}

/// The result of [`generate`].
#[derive(Debug, Default)]
pub struct Generated {
    /// Generated files, sorted by path.
    pub outputs: Vec<Output>,
    /// Content files to copy as they are.
    pub assets: Vec<String>,
    /// What the image step did.
    pub images: images::Stats,
}

/// [`run`] into memory: every file kept, sorted by path (tests, the test
/// send). With `image_cache`, the image step reads and fills the cache
/// instead of encoding every photo again.
pub fn generate(
    inputs: &Inputs,
    opts: &Options,
    image_cache: Option<&images::Cache>,
) -> (Option<Generated>, Diagnostics) {
    let out = Collect::default();
    let caches = Caches {
        images: image_cache,
        ..Caches::default()
    };
    let (done, diags) = run(inputs, opts, caches, &out);
    let generated = done.map(|d| Generated {
        outputs: out.into_sorted(),
        assets: d.assets,
        images: d.images,
    });
    (generated, diags)
}
