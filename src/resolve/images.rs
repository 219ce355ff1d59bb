//! The image plan: which source images the resolved site shows, where each
//! is referenced (for diagnostics) and whether the e-mail shows it. Pure.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::model::{Body, Page, Site};
use crate::urls;

/// Extensions of the images the pipeline decodes and re-encodes. Anything
/// else (SVG, PDF, …) is published as it is.
pub const PROCESSED: [&str; 5] = ["jpg", "jpeg", "png", "gif", "webp"];

/// One place an image is referenced.
#[derive(Debug, Clone)]
pub struct Use {
    /// The content file (`content/…`).
    pub page: String,
    /// Line of the `image:` key or of the Markdown image (1-based).
    pub line: u32,
    /// Column (1-based).
    pub column: u32,
    /// As the writer wrote it.
    pub written: String,
    /// The letter issue (`AAAA-MM`) whose e-mail shows it, if any.
    pub letter: Option<String>,
    /// The page's source, for excerpts.
    pub source: Arc<str>,
}

/// One source image and its uses.
#[derive(Debug, Clone)]
pub struct Need {
    /// Path of the source (`content/…`).
    pub source: String,
    /// Where it is referenced, in page order.
    pub uses: Vec<Use>,
}

impl Need {
    /// True when some e-mail shows the image.
    pub fn in_email(&self) -> bool {
        self.uses.iter().any(|u| u.letter.is_some())
    }
}

/// Every image to process, sorted by source path.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The images.
    pub needs: Vec<Need>,
}

/// True when `path` is an image the pipeline processes.
pub fn is_processed(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| PROCESSED.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The plan of `site`: every processed image referenced by an article's
/// `image` key or by a body, and present among the site's files (a missing
/// one was already reported by `resolve`).
pub fn plan(site: &Site) -> Plan {
    let present: HashSet<&str> = site.assets.iter().map(String::as_str).collect();
    let mut needs: BTreeMap<String, Vec<Use>> = BTreeMap::new();
    let mut add = |target: String, u: Use| {
        if is_processed(&target) && present.contains(target.as_str()) {
            needs.entry(target).or_default().push(u);
        }
    };
    for l in &site.letters {
        let letter = Some(l.id.clone());
        body_uses(&l.index, letter.clone(), &mut add);
        for a in &l.articles {
            if let Some(written) = &a.front.image {
                let dir = format!("content/lettres/{}", l.id);
                if let Some(target) = urls::join_in_content(&dir, written) {
                    let line = a.line_of("image");
                    add(target, use_of(a, line, 1, written, letter.clone()));
                }
            }
            body_uses(a, letter.clone(), &mut add);
        }
    }
    let logos = site.config.logo.iter().map(|l| l.src.as_str());
    let supporters = site
        .config
        .supporters
        .iter()
        .filter_map(|s| s.logo.as_deref());
    for written in logos.chain(supporters) {
        if let Some(target) = urls::join_in_content("content", written) {
            add(target, site_use(written));
        }
    }
    for g in &site.groups {
        body_uses(g, None, &mut add);
    }
    for e in &site.events {
        body_uses(e, None, &mut add);
    }
    for p in &site.programmes {
        body_uses(p, None, &mut add);
    }
    for d in &site.directories {
        body_uses(&d.index, None, &mut add);
        for p in &d.partnerships {
            body_uses(p, None, &mut add);
        }
    }
    Plan {
        needs: needs
            .into_iter()
            .map(|(source, uses)| Need { source, uses })
            .collect(),
    }
}

fn body_uses<F>(page: &Page<F>, letter: Option<String>, add: &mut impl FnMut(String, Use)) {
    let body: &Body = &page.body;
    for r in &body.images {
        add(
            r.target.clone(),
            use_of(page, r.line, r.column, &r.written, letter.clone()),
        );
    }
}

/// The page of the images `site.yaml` names (logos).
pub const SITE_FILE: &str = "content/site.yaml";

fn site_use(written: &str) -> Use {
    Use {
        page: SITE_FILE.to_string(),
        line: 0,
        column: 0,
        written: written.to_string(),
        letter: None,
        source: Arc::from(""),
    }
}

fn use_of<F>(page: &Page<F>, line: u32, column: u32, written: &str, letter: Option<String>) -> Use {
    Use {
        page: page.path.clone(),
        line,
        column,
        written: written.to_string(),
        letter,
        source: page.source.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_raster_images_are_processed() {
        assert!(is_processed("content/a/images/x.JPG"));
        assert!(is_processed("content/a/x.webp"));
        assert!(!is_processed("content/a/x.svg"));
        assert!(!is_processed("content/a/plaquette.pdf"));
        assert!(!is_processed("content/a/noext"));
    }
}
