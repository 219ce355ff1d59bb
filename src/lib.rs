//! cufpress: the static-site generator of Cités Unies France.
//!
//! One pipeline, five stages, read top to bottom in [`build`]:
//! `load` (files → typed `Site`), `resolve` (references, order, derived
//! data), `render` (pure functions → `(path, bytes)`), then `publish`
//! (fresh directory swapped in). Diagnostics are values, collected across
//! the whole run and printed once by the binary.

#![warn(missing_docs)]

pub mod dates;
pub mod diagnostics;
pub mod images;
pub mod linkcheck;
pub mod load;
pub mod model;
pub mod postprocess;
pub mod publish;
pub mod render;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod timings;
pub mod urls;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use diagnostics::{Diagnostic, Diagnostics};
use load::{LoadOptions, SourceFile};
use render::theme::{Theme, ThemeFile};
use render::{Output, Sink as _};

/// What `cufpress build` and `cufpress check` are asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder holding `content/` and `themes/`.
    pub root: PathBuf,
    /// Where the site is published (`public/`).
    pub output: PathBuf,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Keep drafts.
    pub drafts: bool,
    /// The date "upcoming" and "past" are measured against.
    pub today: NaiveDate,
    /// False for `check`: everything but writing.
    pub write: bool,
    /// `--strict`: warnings fail the build like errors.
    pub strict: bool,
    /// Write the répertoire's search index.
    pub search_index: bool,
}

/// How a build went.
#[derive(Debug)]
pub struct BuildReport {
    /// Every diagnostic, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files generated (outputs and copied assets).
    pub files: usize,
    /// True when the site was written (or, for `check`, would have been).
    pub ok: bool,
    /// What the image step did (encodes, cache hits, time).
    pub images: images::Stats,
}

/// The result of the pure part of a build.
#[derive(Debug, Default)]
pub struct Generated {
    /// Generated files, sorted by path.
    pub outputs: Vec<Output>,
    /// Content files to copy as they are (site-root-relative): attachments,
    /// not the images the image step re-encodes.
    pub assets: Vec<String>,
    /// What the image step did.
    pub images: images::Stats,
}

/// Settings of the pure part of a build.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Keep drafts.
    pub drafts: bool,
    /// Today's date.
    pub today: NaiveDate,
    /// Write the répertoire's search index (`--sans-recherche` turns it off).
    pub search_index: bool,
}

/// Runs the whole pipeline: read, generate, publish.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let mut diags = Diagnostics::new();
    let inputs = load::read_content_except(&opts.root, images::plan::is_processed)
        .and_then(|files| render::theme::read_theme(&opts.root, "cuf").map(|theme| (files, theme)));
    let (files, theme) = match inputs {
        Ok(x) => x,
        Err(d) => return report(diags, Some(d), 0, false),
    };
    let gen_opts = GenerateOptions {
        base_url: opts.base_url.clone(),
        drafts: opts.drafts,
        today: opts.today,
        search_index: opts.search_index,
    };
    let cache = images::Cache {
        dir: images::cache::dir(&opts.root),
        writable: opts.write,
        sources: Some(opts.root.clone()),
    };
    // Files go to disk as they are made (a staging tree swapped in at the
    // end), or nowhere for `check`.
    let staging = if opts.write {
        match publish::Staging::open_site(&opts.root, &opts.output) {
            Ok(s) => Some(s),
            Err(d) => return report(diags, Some(d), 0, false),
        }
    } else {
        None
    };
    let sink: &dyn render::Sink = match &staging {
        Some(s) => s,
        None => &render::Discard,
    };
    let (streamed, d) = generate_into(&files, theme, &gen_opts, Some(&cache), sink);
    diags.extend(d);
    if opts.strict {
        diags.make_strict();
    }
    let stats = streamed.as_ref().map(|g| g.images.clone());
    let Some(streamed) = streamed.filter(|_| !diags.has_errors()) else {
        if let Some(s) = staging {
            s.abandon();
        }
        return report(diags, None, 0, false);
    };
    let count = streamed.paths + streamed.assets.len();
    if let Some(staging) = staging {
        let copies = copies(&opts.root, &streamed.assets);
        let published = timings::stage("publish", || staging.finish(&copies));
        if let Err(e) = published {
            return report(diags, Some(e), 0, false);
        }
    }
    BuildReport {
        images: stats.unwrap_or_default(),
        ..report(diags, None, count, true)
    }
}

fn report(
    mut diags: Diagnostics,
    extra: Option<Diagnostic>,
    files: usize,
    ok: bool,
) -> BuildReport {
    if let Some(d) = extra {
        diags.push(d);
    }
    BuildReport {
        diagnostics: diags.sorted(),
        files,
        ok,
        images: images::Stats::default(),
    }
}

fn copies(root: &Path, assets: &[String]) -> Vec<publish::Copy> {
    assets
        .iter()
        .map(|a| publish::Copy {
            source: root.join(a),
            dest: urls::asset_url(a).trim_start_matches('/').to_string(),
        })
        .collect()
}

/// The pure part of a build: files in, outputs out. No disk access.
pub fn generate(
    files: &[SourceFile],
    theme_files: Vec<ThemeFile>,
    opts: &GenerateOptions,
) -> (Option<Generated>, Diagnostics) {
    generate_cached(files, theme_files, opts, None)
}

/// [`generate`], with the image step reading and filling the cache at
/// `image_cache` (its only disk access) instead of encoding every image.
pub fn generate_cached(
    files: &[SourceFile],
    theme_files: Vec<ThemeFile>,
    opts: &GenerateOptions,
    image_cache: Option<&images::Cache>,
) -> (Option<Generated>, Diagnostics) {
    let out = render::Collect::default();
    let (done, diags) = generate_into(files, theme_files, opts, image_cache, &out);
    let generated = done.map(|d| Generated {
        outputs: out.into_sorted(),
        assets: d.assets,
        images: d.images,
    });
    (generated, diags)
}

/// What [`generate_into`] returns besides the files it streamed.
#[derive(Debug, Default)]
pub struct Streamed {
    /// Number of files streamed.
    pub paths: usize,
    /// Content files to copy as they are (see [`Generated::assets`]).
    pub assets: Vec<String>,
    /// What the image step did.
    pub images: images::Stats,
}

/// The pure part of a build, streaming every generated file into `out` as
/// soon as it is made (images rewritten, links noted for the check), so
/// the whole site is never in memory at once. `None` when the build failed;
/// `out` may then have received part of the site.
pub fn generate_into(
    files: &[SourceFile],
    theme_files: Vec<ThemeFile>,
    opts: &GenerateOptions,
    image_cache: Option<&images::Cache>,
    out: &dyn render::Sink,
) -> (Option<Streamed>, Diagnostics) {
    let templates = linkcheck::template_sources(&theme_files, "themes/cuf");
    let (theme, (loaded, mut diags)) = timings::stage("load", || {
        rayon::join(
            || render::theme::compile(theme_files, "themes/cuf"),
            || {
                load::load_site(
                    files,
                    &LoadOptions {
                        base_url: opts.base_url.clone(),
                        drafts: opts.drafts,
                    },
                )
            },
        )
    });
    let theme: Option<Theme> = match theme {
        Ok(t) => Some(t),
        Err(e) => {
            diags.extend(e);
            None
        }
    };
    let Some(site) = loaded else {
        return (None, diags);
    };
    let (site, mut index, d) = timings::stage("resolve", || resolve::resolve(site));
    diags.extend(d);
    resolve::repertoire::check(&site, chrono::Datelike::year(&opts.today), &mut diags);
    let processed = timings::stage("images", || {
        images::process(&images::plan::plan(&site), files, image_cache)
    });
    diags.extend(processed.diagnostics);
    index.images = processed.catalog;
    let (Some(theme), false) = (theme, diags.has_errors()) else {
        return (None, diags);
    };
    let base_url = opts
        .base_url
        .clone()
        .unwrap_or_else(|| site.config.base_url.clone())
        .trim_end_matches('/')
        .to_string();
    let ctx = render::RenderContext {
        site: &site,
        index: &index,
        theme: &theme,
        base_path: urls::base_path(&base_url),
        base_url,
        today: opts.today,
        search_index: opts.search_index,
        site_value: Default::default(),
        event_order: Default::default(),
    };
    let finish = Finish {
        catalog: &index.images,
        base_path: &ctx.base_path,
        links: Default::default(),
        count: Default::default(),
        out,
    };
    processed.outputs.into_iter().for_each(|o| finish.put(o));
    let rendered = timings::stage("render", || render::render_all(&ctx, &finish));
    let warnings = match rendered {
        Ok(w) => w,
        Err(e) => {
            diags.extend(e);
            return (None, diags);
        }
    };
    diags.extend(warnings);
    // Originals of processed images are never published (metadata).
    let assets: Vec<String> = site
        .assets
        .iter()
        .filter(|a| !images::plan::is_processed(a))
        .cloned()
        .collect();
    let sources = linkcheck::LinkSources {
        content: files,
        templates: &templates,
        assets: &assets,
    };
    let n_paths = finish.count.load(std::sync::atomic::Ordering::Relaxed);
    diags.extend(timings::stage("linkcheck", || {
        finish.links.check(&ctx.base_url, &sources)
    }));
    let images = processed.stats;
    let streamed = Streamed {
        paths: n_paths,
        assets,
        images,
    };
    (Some(streamed), diags)
}

/// The last step of every generated file on its way to the sink: images
/// rewritten to their variants, links and ids noted for the link check.
struct Finish<'a> {
    catalog: &'a images::Catalog,
    base_path: &'a str,
    links: linkcheck::Collector,
    count: std::sync::atomic::AtomicUsize,
    out: &'a dyn render::Sink,
}

impl render::Sink for Finish<'_> {
    fn put(&self, mut o: Output) {
        images::rewrite::web_output(&mut o, self.catalog, self.base_path);
        self.links.add(&o.path, &o.bytes);
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.out.put(o);
    }
}
