//! Post-processing of the e-mail edition: streaming HTML rewriting with
//! lol_html (absolute URLs, UTM parameters, image attributes, anything that
//! could run removed) and CSS inlining with css-inline.
//!
//! Everything here is bytes in, bytes out: no site model, no disk.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// How links and images of an e-mail are rewritten.
#[derive(Debug, Clone)]
pub struct EmailLinks<'a> {
    /// Absolute base URL of the site, no trailing slash (`https://x.org/cuf`).
    pub base_url: &'a str,
    /// Absolute URL that relative links (`#note`, `page/`) resolve against.
    pub page_url: &'a str,
    /// Query parameters added, once, to every link to the site.
    pub utm: &'a [(String, String)],
    /// `href` values kept exactly as written (the mailing tool's merge tags).
    pub verbatim: &'a [&'a str],
    /// `width` given to images that have none (or a wider one).
    pub image_width: u32,
}

/// The result of [`rewrite_email`].
#[derive(Debug, Clone, Default)]
pub struct Rewritten {
    /// The rewritten HTML.
    pub html: String,
    /// Sources of the images taken out (formats mail clients do not show).
    pub dropped_images: Vec<String>,
}

/// Elements that never reach an inbox, with their content.
const FORBIDDEN: &str = "script, form, iframe, svg, video, audio, object, embed, input, button, textarea, select, link[rel=stylesheet]";

/// A lol_html element handler, as `element!` makes it.
pub type Handler<'h> = (
    Cow<'static, lol_html::Selector>,
    lol_html::ElementContentHandlers<'h>,
);

/// Rewrites links and images of a whole e-mail document.
pub fn rewrite_email(html: &str, o: &EmailLinks<'_>) -> Result<Rewritten, String> {
    rewrite_email_after(html, o, Vec::new())
}

/// [`rewrite_email`], with the handlers `first` run on each element before
/// this module's, in the same pass: the output of rewriting with `first`
/// and then with [`rewrite_email`], without parsing the document twice.
pub fn rewrite_email_after<'h>(
    html: &str,
    o: &'h EmailLinks<'h>,
    first: Vec<Handler<'h>>,
) -> Result<Rewritten, String> {
    let dropped = Rc::new(RefCell::new(Vec::new()));
    let mut settings = RewriteStrSettings::new();
    for h in first {
        settings = settings.append_element_content_handler(h);
    }
    let dropped_in = Rc::clone(&dropped);
    let settings = settings
        .append_element_content_handler(element!(FORBIDDEN, |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("*", |el| {
            strip_active_attributes(el);
            Ok(())
        }))
        .append_element_content_handler(element!("a[href], area[href]", move |el| {
            if let Some(href) = el.get_attribute("href") {
                let new = rewrite_href(&decode_entities(&href), o);
                el.set_attribute("href", &new.replace('&', "&amp;"))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("img", move |el| {
            if let Some(src) = fix_image(el, o) {
                dropped_in.borrow_mut().push(src);
                el.remove();
            }
            Ok(())
        }));
    let html = rewrite_str(html, settings).map_err(|e| e.to_string())?;
    let dropped_images = dropped.take();
    Ok(Rewritten {
        html,
        dropped_images,
    })
}

/// Removes event handlers and `javascript:` URLs. A value without `:`
/// cannot hold such a URL (the entities decoded here never make one), so
/// it is not decoded nor lowercased.
fn strip_active_attributes(el: &mut Element<'_, '_>) {
    let names: Vec<String> = el
        .attributes()
        .iter()
        .filter_map(|a| {
            let n = a.name();
            if n.starts_with("on") {
                return Some(n);
            }
            let value = a.value();
            if !value.contains(':') {
                return None;
            }
            let v = decode_entities(&value).trim().to_ascii_lowercase();
            v.replace(char::is_whitespace, "")
                .starts_with("javascript:")
                .then_some(n)
        })
        .collect();
    for n in names {
        el.remove_attribute(&n);
    }
}

/// Fixes an `<img>`; returns its source when it must be removed instead.
fn fix_image(el: &mut Element<'_, '_>, o: &EmailLinks<'_>) -> Option<String> {
    let src = decode_entities(&el.get_attribute("src").unwrap_or_default()).into_owned();
    if !is_mail_image(&src) {
        return Some(src);
    }
    let abs = absolute(&src, o);
    let _ = el.set_attribute("src", &abs.replace('&', "&amp;"));
    let written = el
        .get_attribute("width")
        .and_then(|w| w.trim().parse::<u32>().ok());
    let width = written
        .filter(|&w| w > 0 && w <= o.image_width)
        .unwrap_or(o.image_width);
    let _ = el.set_attribute("width", &width.to_string());
    if !el.has_attribute("alt") {
        let _ = el.set_attribute("alt", "");
    }
    // A height is kept only when it matches the width kept (set by the
    // image step from the real file); otherwise it would distort the image.
    if written != Some(width) {
        el.remove_attribute("height");
    }
    for a in ["loading", "srcset", "sizes", "decoding"] {
        el.remove_attribute(a);
    }
    None
}

/// True for sources every mail client shows: JPEG, PNG or GIF, not `data:`.
pub fn is_mail_image(src: &str) -> bool {
    let s = src.trim();
    if s.is_empty() || s.to_ascii_lowercase().starts_with("data:") {
        return false;
    }
    let path = s
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// The new `href` of a link: absolute, with UTM parameters when it is the site's.
pub fn rewrite_href(href: &str, o: &EmailLinks<'_>) -> String {
    let h = href.trim();
    if o.verbatim.contains(&h) {
        return h.to_string();
    }
    let lower = h.to_ascii_lowercase();
    if lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return h.to_string();
    }
    let abs = absolute(h, o);
    if is_site_url(&abs, o.base_url) {
        add_query(&abs, o.utm)
    } else {
        abs
    }
}

/// `url` made absolute against the page, as a browser resolves it.
pub fn absolute(url: &str, o: &EmailLinks<'_>) -> String {
    crate::urls::join(o.page_url, url)
}

/// True when `url` is a page or file of the site at `base_url`.
pub fn is_site_url(url: &str, base_url: &str) -> bool {
    let base = base_url.trim_end_matches('/');
    let strip = |s: &str| {
        s.trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_ascii_lowercase()
    };
    let (u, b) = (strip(url), strip(base));
    u == b
        || u.starts_with(&format!("{b}/"))
        || u.starts_with(&format!("{b}?"))
        || u.starts_with(&format!("{b}#"))
}

/// Adds the parameters `params` not already in the query of `url`, before its fragment.
pub fn add_query(url: &str, params: &[(String, String)]) -> String {
    let (main, frag) = match url.split_once('#') {
        Some((m, f)) => (m, Some(f)),
        None => (url, None),
    };
    let (path, query) = match main.split_once('?') {
        Some((p, q)) => (p, q),
        None => (main, ""),
    };
    let present: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    let mut q: Vec<String> = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(str::to_string)
        .collect();
    for (k, v) in params {
        if !present.contains(&k.as_str()) {
            q.push(format!("{k}={}", crate::urls::encode_query(v)));
        }
    }
    let mut out = path.to_string();
    if !q.is_empty() {
        out.push('?');
        out.push_str(&q.join("&"));
    }
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Tera's HTML escaping, byte for byte, writing unescaped runs in one call
/// instead of one per byte (Tera's default was about a tenth of the build's
/// instructions).
pub use crate::html::write_escaped as escape_html;

/// Decodes the character references an attribute value may hold.
pub use crate::html::decode_entities;

/// Gives the headings of a body fragment levels from `top` down, keeping
/// their relative order, so an article body never skips a level.
pub fn shift_headings(fragment: &str, top: u8) -> Result<String, String> {
    let min = (1..=6u8)
        .find(|l| fragment.contains(&format!("<h{l}")))
        .unwrap_or(top);
    if min == top {
        return Ok(fragment.to_string());
    }
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "h1, h2, h3, h4, h5, h6",
        |el| {
            let level: u8 = el.tag_name()[1..].parse().unwrap_or(top);
            let new = (top + level.saturating_sub(min)).min(6);
            el.set_tag_name(&format!("h{new}"))?;
            Ok(())
        }
    ));
    rewrite_str(fragment, settings).map_err(|e| e.to_string())
}

/// Inlines `css` into the `style` attributes of `html`. `<style>` blocks
/// marked `data-css-inline="keep"` (media queries) are kept as they are.
pub fn inline_css(html: &str, css: &str) -> Result<String, String> {
    let inliner = css_inline::CSSInliner::options()
        .inline_style_tags(true)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .load_remote_stylesheets(false)
        .minify_css(true)
        .extra_css(Some(Cow::Borrowed(css)))
        // A letter is a few thousand nodes: avoid regrowing the node arena.
        .preallocate_node_capacity(4096)
        .build();
    inliner.inline(html).map_err(|e| e.to_string())
}

/// Last pass over an inlined e-mail: drops the inliner's marker, class names
/// no media query uses (those not starting with `keep_prefix`), and C1
/// control characters and BOMs that some clients show as garbage.
pub fn finish_email(html: &str, keep_prefix: &str) -> Result<String, String> {
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[data-css-inline]", |el| {
            el.remove_attribute("data-css-inline");
            Ok(())
        }))
        .append_element_content_handler(element!("[class]", |el| {
            let classes = el.get_attribute("class").unwrap_or_default();
            let kept: Vec<&str> = classes
                .split_whitespace()
                .filter(|c| c.starts_with(keep_prefix))
                .collect();
            if kept.is_empty() {
                el.remove_attribute("class");
            } else {
                el.set_attribute("class", &kept.join(" "))?;
            }
            Ok(())
        }));
    let html = rewrite_str(html, settings).map_err(|e| e.to_string())?;
    Ok(strip_control(&html))
}

/// Removes C1 control characters (U+0080–U+009F) and byte-order marks.
pub fn strip_control(s: &str) -> String {
    // U+0080–U+009F are C2 80–C2 9F in UTF-8, U+FEFF is EF BB BF.
    let b = s.as_bytes();
    let clean = !memchr::memchr2_iter(0xC2, 0xEF, b).any(|i| match b[i] {
        0xC2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        _ => b.get(i + 1..i + 3) == Some(&[0xBB, 0xBF][..]),
    });
    if clean {
        return s.to_string();
    }
    s.chars()
        .filter(|&c| !('\u{80}'..='\u{9f}').contains(&c) && c != '\u{feff}')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> EmailLinks<'static> {
        static UTM: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
            vec![
                ("utm_source".into(), "lettre".into()),
                ("utm_campaign".into(), "lettre-2025-09".into()),
            ]
        });
        EmailLinks {
            base_url: "https://x.org/cuf",
            page_url: "https://x.org/cuf/lettres/2025-09/",
            utm: &UTM,
            verbatim: &["*|UNSUB|*"],
            image_width: 560,
        }
    }

    #[test]
    fn links_become_absolute_and_site_links_get_utm_once() {
        let o = links();
        assert_eq!(
            rewrite_href("/cuf/groupes/mali/", &o),
            "https://x.org/cuf/groupes/mali/?utm_source=lettre&utm_campaign=lettre-2025-09"
        );
        assert_eq!(
            rewrite_href("#agenda", &o),
            "https://x.org/cuf/lettres/2025-09/?utm_source=lettre&utm_campaign=lettre-2025-09#agenda"
        );
        let once = rewrite_href("https://x.org/cuf/?utm_source=autre", &o);
        assert_eq!(
            once,
            "https://x.org/cuf/?utm_source=autre&utm_campaign=lettre-2025-09"
        );
        assert_eq!(rewrite_href("https://y.org/a", &o), "https://y.org/a");
        assert_eq!(
            rewrite_href("https://x.org/autre", &o),
            "https://x.org/autre"
        );
        assert_eq!(rewrite_href("mailto:a@b.fr", &o), "mailto:a@b.fr");
        assert_eq!(rewrite_href("*|UNSUB|*", &o), "*|UNSUB|*");
    }

    #[test]
    fn images_get_width_alt_and_absolute_source_or_go() {
        let r = rewrite_email(
            r#"<p><img src="/cuf/a.jpg" width="1200" height="800" loading="lazy"><img src="b.webp" alt="x"><img src="data:image/png;base64,AA"></p>"#,
            &links(),
        )
        .unwrap();
        assert_eq!(
            r.html,
            r#"<p><img src="https://x.org/cuf/a.jpg" width="560" alt=""></p>"#
        );
        assert_eq!(r.dropped_images.len(), 2);
    }

    #[test]
    fn anything_that_could_run_is_removed() {
        let r = rewrite_email(
            r#"<p onclick="x()">a<script>x()</script><iframe src="y"></iframe><a href=" javascript:x()">b</a><svg><circle/></svg></p>"#,
            &links(),
        )
        .unwrap();
        assert_eq!(r.html, "<p>a<a>b</a></p>");
    }

    #[test]
    fn headings_shift_without_skipping() {
        assert_eq!(
            shift_headings("<h3>a</h3><p>x</p><h4>b</h4>", 4).unwrap(),
            "<h4>a</h4><p>x</p><h5>b</h5>"
        );
        assert_eq!(shift_headings("<p>x</p>", 4).unwrap(), "<p>x</p>");
    }

    #[test]
    fn escaping_matches_tera_byte_for_byte() {
        for s in [
            "",
            "abc",
            "<a href=\"x\">l'été & co</a>",
            "&&",
            "é'\"",
            "x>",
        ] {
            let (mut ours, mut tera) = (Vec::new(), Vec::new());
            escape_html(s, &mut ours).unwrap();
            tera::escape_html(s, &mut tera).unwrap();
            assert_eq!(ours, tera, "{s}");
        }
    }

    #[test]
    fn control_characters_and_bom_go() {
        assert_eq!(strip_control("\u{feff}a\u{85}b\u{9f}é"), "abé");
    }
}
