//! Points the HTML at the processed images (lol_html): on the web, every
//! `<img>` of a processed image gets its variant as `src`, a `srcset`,
//! `sizes`, `width` and `height`, and `loading="lazy"` after the first image
//! of the page; in the e-mail, the 1200 px file shown at the column width.
//! Links to an original go to its widest variant (originals are not published).

use std::cell::Cell;

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::output::Output;
use crate::postprocess::decode_entities;
use crate::render::images::{Catalog, ImageSet};
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

/// True when `bytes` holds `<img` or one of the image extensions: one
/// vector scan for `<img` (its finder built once) and one for the dots,
/// instead of seven scans each building its own finder (about a fortieth of
/// a build's instructions).
fn mentions_image(bytes: &[u8]) -> bool {
    static IMG: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"<img"));
    const EXTENSIONS: [&[u8]; 6] = [b".jpg", b".jpeg", b".png", b".gif", b".webp", b".JPG"];
    IMG.find(bytes).is_some()
        || memchr::memchr_iter(b'.', bytes)
            .any(|i| EXTENSIONS.iter().any(|e| bytes[i..].starts_with(e)))
}

/// One web page: images, their loading, links to originals.
pub fn web_page(html: &str, catalog: &Catalog, base_path: &str) -> Result<String, String> {
    let seen = Cell::new(0usize);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("img", |el| {
            // The site's logo in the header is not the page's first image:
            // it is small, and the first photo stays eager (largest paint).
            let logo = el
                .get_attribute("class")
                .is_some_and(|c| c.contains("brand-logo"));
            if !logo {
                seen.set(seen.get() + 1);
            }
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
    let mut settings = RewriteStrSettings::new();
    for h in email_handlers(catalog, base_path, slot) {
        settings = settings.append_element_content_handler(h);
    }
    rewrite_str(html, settings).map_err(|e| e.to_string())
}

/// Marks an e-mail `<img>` whose `src`, `width` and `height` are final.
pub const FIXED_SIZE: &str = "data-taille-fixe";

/// The handlers of [`email`], to run in the same lol_html pass as the
/// e-mail's post-processing ([`crate::postprocess::rewrite_email_after`]),
/// before its own: one parse of the letter instead of two, same bytes.
/// None when the catalog is empty.
pub fn email_handlers<'h>(
    catalog: &'h Catalog,
    base_path: &'h str,
    slot: u32,
) -> Vec<crate::postprocess::Handler<'h>> {
    if catalog.is_empty() {
        return Vec::new();
    }
    vec![
        element!("img[src]", move |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            // Logos are already the right file at their own size.
            let sized = el.get_attribute(FIXED_SIZE).is_some();
            el.remove_attribute(FIXED_SIZE);
            if let Some((set, _)) = lookup(catalog, &src, base_path).filter(|_| !sized) {
                let e = &set.email;
                let width = slot.min(e.width);
                el.set_attribute("src", &format!("{base_path}{}", e.url))?;
                el.set_attribute("width", &width.to_string())?;
                let height = crate::render::images::codec::scaled_height(e.width, e.height, width);
                el.set_attribute("height", &height.to_string())?;
            }
            for a in ["loading", "srcset", "sizes"] {
                el.remove_attribute(a);
            }
            Ok(())
        }),
        element!("a[href]", move |el| {
            link_to_variant(el, catalog, base_path);
            Ok(())
        }),
    ]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::postprocess::{EmailLinks, rewrite_email, rewrite_email_after};
    use crate::render::images::{ImageSet, Variant};

    fn variant(width: u32, url: &str) -> Variant {
        Variant {
            width,
            height: width / 2,
            url: url.to_string(),
            bytes: 1,
        }
    }

    fn catalog() -> Catalog {
        let mut c = Catalog::default();
        c.insert(
            "content/lettres/2025-09/photo.jpg".to_string(),
            ImageSet {
                width: 2000,
                height: 1000,
                web: vec![
                    variant(480, "/lettres/2025-09/photo-480.aa.jpg"),
                    variant(960, "/lettres/2025-09/photo-960.aa.jpg"),
                ],
                email: variant(1200, "/lettres/2025-09/photo-1200.aa.jpg"),
            },
        );
        c
    }

    /// The former `mentions_image`: seven scans.
    fn mentions_image_reference(bytes: &[u8]) -> bool {
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

    #[test]
    fn image_mentions_are_found_as_before() {
        for s in [
            "",
            ".",
            "<im",
            "<img",
            "a.jp",
            "a.jpg",
            "a.jpeg",
            ".png.",
            "x.gif",
            "y.webp",
            "Z.JPG",
            "Z.Jpg",
            "<p>Fin. Rien ici.</p>",
            "<IMG src=x>",
            "...webp",
        ] {
            assert_eq!(
                mentions_image(s.as_bytes()),
                mentions_image_reference(s.as_bytes()),
                "{s:?}"
            );
        }
    }

    #[test]
    fn one_pass_email_rewrite_matches_two_passes() {
        let cat = catalog();
        let utm = vec![("utm_campaign".to_string(), "lettre-2025-09".to_string())];
        let links = EmailLinks {
            base_url: "https://x.org/cuf",
            page_url: "https://x.org/cuf/lettres/2025-09/",
            utm: &utm,
            verbatim: &["*|UNSUB|*"],
            image_width: 560,
        };
        let cases = [
            r#"<p><img src="/cuf/lettres/2025-09/photo.jpg" alt="a" loading="lazy" srcset="x 1w" sizes="1px"></p>"#,
            r#"<img src=/cuf/lettres/2025-09/photo-960.aa.jpg width=960 height=480><img src="b.webp">"#,
            r#"<a href="/cuf/lettres/2025-09/photo.jpg"><IMG SRC="/cuf/lettres/2025-09/photo.jpg" alt='l"x'></a>"#,
            r#"<a href="https://x.org/cuf/lettres/2025-09/photo.jpg?x=1&amp;y=2#f">l</a><a href=" javascript:x()">j</a>"#,
            r#"<div onclick="x()"><script>x()</script><svg><image href="a.jpg"/></svg><img src="data:image/png;base64,AA"></div>"#,
            r#"<a href="*|UNSUB|*">désinscription</a><area href="/cuf/"><img src="/cuf/autre.png" width="2000">"#,
        ];
        for html in cases {
            let two = rewrite_email(&email(html, &cat, "/cuf", 600).unwrap(), &links).unwrap();
            let one = rewrite_email_after(html, &links, email_handlers(&cat, "/cuf", 600)).unwrap();
            assert_eq!(one.html, two.html, "{html}");
            assert_eq!(one.dropped_images, two.dropped_images, "{html}");
        }
        let first = rewrite_email_after(cases[0], &links, email_handlers(&cat, "/cuf", 600));
        assert_eq!(
            first.unwrap().html,
            r#"<p><img src="https://x.org/cuf/lettres/2025-09/photo-1200.aa.jpg" alt="a" width="560"></p>"#
        );
        assert!(email_handlers(&Catalog::default(), "/cuf", 600).is_empty());
    }
}
