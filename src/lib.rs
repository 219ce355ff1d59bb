//! cufpress: the static-site generator of Cités Unies France.
//!
//! One pipeline, five stages, read top to bottom in [`pipeline::run`]:
//! `load` (files → typed `Site`), `resolve` (references, order, derived
//! data, the image plan), `render` (pure functions → `(path, bytes)`, the
//! image step first), `postprocess` (image variants in the HTML, e-mail
//! finishing, link check), then `publish` (fresh directory swapped in).
//! [`build`] and [`check`] are that pipeline with and without publishing.
//! Diagnostics are values, collected across the whole run and printed once
//! by the binary.

#![warn(missing_docs)]

pub mod dates;
pub mod diagnostics;
pub mod html;
pub mod import;
pub mod load;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod postprocess;
pub mod progress;
pub mod publish;
pub mod render;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod timings;
pub mod urls;

use std::path::PathBuf;

use chrono::NaiveDate;

use diagnostics::{Diagnostic, Diagnostics};
use pipeline::{Caches, Inputs};
use render::images;

/// What a run of the pipeline is asked to do: one options type for every
/// command (`build`, `check`, `serve`, `envoyer-test`) and every stage.
#[derive(Debug, Clone)]
pub struct Options {
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
    /// `--strict`: warnings fail the build like errors.
    pub strict: bool,
    /// Write the répertoire's search index.
    pub search_index: bool,
    /// What the PDF step does, and its cache (see [`Options::pdf_cache`]).
    pub pdf: render::pdf::Settings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            root: PathBuf::from("."),
            output: PathBuf::from("public"),
            base_url: None,
            drafts: false,
            today: NaiveDate::default(),
            strict: false,
            search_index: true,
            pdf: render::pdf::Settings::default(),
        }
    }
}

impl Options {
    /// The image cache of the site at `root`; `writable` false for runs
    /// that must not write (`check`).
    pub fn image_cache(&self, writable: bool) -> images::Cache {
        images::Cache {
            dir: images::cache::dir(&self.root),
            writable,
            sources: Some(self.root.clone()),
        }
    }
}

impl Options {
    /// These options with the PDF cache of the site at `root` (`writable`
    /// false for `check`), unless PDFs are off.
    pub fn with_pdf_cache(mut self, writable: bool) -> Self {
        if self.pdf.mode != render::pdf::Mode::Off {
            self.pdf.cache = Some(render::pdf::Cache {
                dir: render::pdf::cache_dir(&self.root),
                writable,
            });
        }
        self
    }
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

/// `cufpress build`: the pipeline, published into `opts.output`.
pub fn build(opts: &Options) -> BuildReport {
    run_to(opts, true)
}

/// `cufpress check`: the pipeline, nothing written.
pub fn check(opts: &Options) -> BuildReport {
    run_to(opts, false)
}

fn run_to(opts: &Options, write: bool) -> BuildReport {
    let diags = Diagnostics::new();
    let inputs = match Inputs::read(&opts.root, true) {
        Ok(i) => i,
        Err(d) => return report(diags, Some(d), 0, false),
    };
    // Files go to disk as they are made (a staging tree swapped in at the
    // end), or nowhere for `check`.
    let staging = if write {
        match publish::Staging::open_site(&opts.root, &opts.output) {
            Ok(s) => Some(s),
            Err(d) => return report(diags, Some(d), 0, false),
        }
    } else {
        None
    };
    let sink: &dyn output::Sink = match &staging {
        Some(s) => s,
        None => &output::Discard,
    };
    let cache = opts.image_cache(write);
    let caches = Caches {
        images: Some(&cache),
        ..Caches::default()
    };
    let mut opts = opts.clone().with_pdf_cache(write);
    if !write && opts.pdf.mode == render::pdf::Mode::Build {
        // `check` makes the PDFs' jobs (their data and links) but does not
        // typeset them: nothing from content can make Typst fail.
        opts.pdf.mode = render::pdf::Mode::Lazy;
    }
    let opts = &opts;
    let (streamed, mut diags) = pipeline::run(&inputs, opts, caches, sink);
    if opts.strict {
        diags.make_strict();
    }
    let Some(streamed) = streamed.filter(|_| !diags.has_errors()) else {
        if let Some(s) = staging {
            s.abandon();
        }
        return report(diags, None, 0, false);
    };
    let count = streamed.paths + streamed.assets.len();
    if let Some(staging) = staging {
        let copies = publish::copies(&opts.root, &streamed.assets);
        let published = timings::stage("publish", || staging.finish(&copies));
        if let Err(e) = published {
            return report(diags, Some(e), 0, false);
        }
    }
    BuildReport {
        images: streamed.images,
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
