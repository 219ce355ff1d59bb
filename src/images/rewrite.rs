//! Points the HTML at the processed images (lol_html): on the web, every
//! `<img>` of a processed image gets its variant as `src`, a `srcset`,
//! `sizes`, `width` and `height`, and `loading="lazy"` after the first image
//! of the page; in the e-mail, the 1200 px file shown at the column width.
//! Links to an original go to its widest variant (originals are not published).

use std::cell::Cell;

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::images::{Catalog, ImageSet};
use crate::postprocess::decode_entities;
use crate::render::Output;
use crate::urls;

/// `sizes` of a body image: the text column (`--measure`, 44rem) or the screen.
pub const BODY_SIZES: &str = "(max-width: 44rem) 100vw, 44rem";
/// `sizes` of an article's own image: the page column (60rem) or the screen.
pub const FIGURE_SIZES: &str = "(max-width: 60rem) 100vw, 60rem";

/// The set `url` (as written in a page) belongs to, and whether `url` is the original.
fn lookup<'c>(catalog: &'c Catalog, url: &str, base_path: &str) -> Option<(&'c ImageSet, bool)> {
    let url = decode_entities(url);
    let mut path = url.split(['?', '#']).next().unwrap_or("");
    if let Some(i) = path.find("://") {
        path = path[i + 3..].find('/').map_or("", |j| &path[i + 3 + j..]);
    }
    let path = path.strip_prefix(base_path).unwrap_or(path);
    let set = catalog.by_url(path)?;
    let original = !set.web.iter().chain([&set.email]).any(|v| v.url == path);
    Some((set, original))
}

/// Rewrites a web page or feed in place (not the e-mail, which its
/// renderer already wrote with [`email`]).
pub fn web_output(o: &mut Output, catalog: &Catalog, base_path: &str) {
    if catalog.is_empty() {
        return;
    }
    let is_html = o.path.ends_with(".html") && !o.path.ends_with("email.html");
    let is_feed = o.path.ends_with(".xml");
    if !(is_html || is_feed) || !mentions_image(&o.bytes) {
        return;
    }
    let Ok(text) = std::str::from_utf8(&o.bytes) else {
        return;
    };
    let new = if is_html {
        web_page(text, catalog, base_path).ok()
    } else {
        Some(feed(text, catalog, base_path))
    };
    if let Some(new) = new {
        o.bytes = new.into_bytes();
    }
}

fn mentions_image(bytes: &[u8]) -> bool {
    [
        &b"<img"[..],
        b".jpg",
        b".jpeg",
        b".png",
        b".gif",
        b".webp",
        b".JPG",
    ]
    .iter()
    .any(|needle| memchr::memmem::find(bytes, needle).is_some())
}

/// One web page: images, their loading, links to originals.
pub fn web_page(html: &str, catalog: &Catalog, base_path: &str) -> Result<String, String> {
    let seen = Cell::new(0usize);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("img", |el| {
            seen.set(seen.get() + 1);
            web_image(el, catalog, base_path);
            if seen.get() > 1 && !el.has_attribute("loading") {
                el.set_attribute("loading", "lazy")?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href]", |el| {
            link_to_variant(el, catalog, base_path);
            Ok(())
        }));
    rewrite_str(html, settings).map_err(|e| e.to_string())
}

fn web_image(el: &mut Element<'_, '_>, catalog: &Catalog, base_path: &str) {
    let Some(src) = el.get_attribute("src") else {
        return;
    };
    let Some((set, original)) = lookup(catalog, &src, base_path) else {
        return;
    };
    let v = set.src();
    if original || !el.has_attribute("srcset") {
        let _ = el.set_attribute("src", &format!("{base_path}{}", v.url));
        let _ = el.set_attribute("srcset", &set.srcset(base_path));
    }
    if !el.has_attribute("sizes") {
        let _ = el.set_attribute("sizes", BODY_SIZES);
    }
    let _ = el.set_attribute("width", &v.width.to_string());
    let _ = el.set_attribute("height", &v.height.to_string());
}

fn link_to_variant(el: &mut Element<'_, '_>, catalog: &Catalog, base_path: &str) {
    let Some(href) = el.get_attribute("href") else {
        return;
    };
    if let Some((set, true)) = lookup(catalog, &href, base_path) {
        let _ = el.set_attribute("href", &format!("{base_path}{}", set.largest().url));
    }
}

/// The e-mail's HTML before its post-processing: each image of the catalog
/// becomes its e-mail file, `slot` px wide at most, never lazy.
pub fn email(html: &str, catalog: &Catalog, base_path: &str, slot: u32) -> Result<String, String> {
    if catalog.is_empty() {
        return Ok(html.to_string());
    }
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("img[src]", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            if let Some((set, _)) = lookup(catalog, &src, base_path) {
                let e = &set.email;
                let width = slot.min(e.width);
                el.set_attribute("src", &format!("{base_path}{}", e.url))?;
                el.set_attribute("width", &width.to_string())?;
                let height = super::codec::scaled_height(e.width, e.height, width);
                el.set_attribute("height", &height.to_string())?;
            }
            for a in ["loading", "srcset", "sizes"] {
                el.remove_attribute(a);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href]", |el| {
            link_to_variant(el, catalog, base_path);
            Ok(())
        }));
    rewrite_str(html, settings).map_err(|e| e.to_string())
}

/// A feed: original URLs (inside escaped HTML) replaced by the widest variant.
pub fn feed(text: &str, catalog: &Catalog, base_path: &str) -> String {
    let mut out = text.to_string();
    for (source, set) in catalog.iter() {
        let original = format!("{base_path}{}", urls::asset_url(source));
        if !out.contains(&original) {
            continue;
        }
        let to = format!("{base_path}{}", set.largest().url);
        for quote in ["\"", "&quot;", "&#34;", "'"] {
            out = out.replace(&format!("{original}{quote}"), &format!("{to}{quote}"));
        }
    }
    out
}
