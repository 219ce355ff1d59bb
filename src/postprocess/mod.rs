//! The `post-process` stage: every generated file passes through here on
//! its way to the publish stage. Streaming HTML rewriting with lol_html
//! (image variants and `srcset`, absolute URLs and UTM parameters for the
//! e-mail, anything that could run removed), CSS inlining for the e-mail,
//! and the offline link check, which notes every link as files go by and
//! checks them once the site is complete.
//!
//! Everything here is bytes in, bytes out: no site model, no disk.

pub mod email;
pub mod images;
pub mod linkcheck;

pub use email::*;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Diagnostic;
use crate::output::{Output, Sink};
use crate::render::images::Catalog;

/// The post-process stage as a sink: every generated file on its way to
/// the publish stage gets its images pointed at their variants, and is
/// noted for the link check when links are checked.
pub struct Finish<'a> {
    catalog: &'a Catalog,
    base_path: &'a str,
    links: Option<linkcheck::Collector>,
    count: AtomicUsize,
    out: &'a dyn Sink,
}

impl<'a> Finish<'a> {
    /// Passes files on to `out` with images rewritten against `catalog`.
    pub fn new(catalog: &'a Catalog, base_path: &'a str, out: &'a dyn Sink) -> Self {
        Finish {
            catalog,
            base_path,
            links: None,
            count: AtomicUsize::new(0),
            out,
        }
    }

    /// Also notes every link and id for the link check.
    pub fn checking_links(mut self) -> Self {
        self.links = Some(linkcheck::Collector::default());
        self
    }

    /// The number of files passed on, and the links noted.
    pub fn finish(self) -> (usize, Option<linkcheck::Collector>) {
        (self.count.into_inner(), self.links)
    }
}

impl Sink for Finish<'_> {
    fn put(&self, mut o: Output) {
        images::web_output(&mut o, self.catalog, self.base_path);
        if let Some(links) = &self.links {
            links.add(&o.path, &o.bytes);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.out.put(o);
    }
}

/// Checks the links `links` noted (nothing when none were noted).
pub fn check_links(
    links: Option<linkcheck::Collector>,
    base_url: &str,
    sources: &linkcheck::LinkSources<'_>,
) -> Vec<Diagnostic> {
    links.map_or_else(Vec::new, |l| l.check(base_url, sources))
}
