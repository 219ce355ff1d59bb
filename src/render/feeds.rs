//! Machine-readable outputs: the Atom feed of articles, `robots.txt` and
//! `sitemap.xml`, written directly (small, fixed XML) rather than templated.

use std::fmt::Write as _;

use crate::render::{Output, RenderContext, Rendered, Renderer, Sink};

/// Renders `atom.xml` and `robots.txt` (`sitemap.xml` is made from all outputs).
pub struct FeedsRenderer;

impl Renderer for FeedsRenderer {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        out.put(Output::text("atom.xml", atom(ctx)));
        out.put(Output::text(
            "robots.txt",
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
                ctx.base_url
            ),
        ));
        Ok(Vec::new())
    }
}

/// Escapes text for XML content and attributes, leaving out the
/// characters XML forbids.
pub fn xml_escape(s: &str) -> String {
    if s.chars().any(crate::load::values::is_forbidden_char) {
        let kept: String = s
            .chars()
            .filter(|&c| !crate::load::values::is_forbidden_char(c))
            .collect();
        return crate::html::escape(&kept).into_owned();
    }
    crate::html::escape(s).into_owned()
}

/// The 50 latest articles, newest issue first. Dates come from the content,
/// never from the clock, so the feed is the same bytes at every build.
fn atom(ctx: &RenderContext<'_>) -> String {
    let site = ctx.site;
    let mut out = String::new();
    let updated = site
        .letters
        .last()
        .map(|l| l.index.front.date.0.to_string())
        .unwrap_or_else(|| "1970-01-01".into());
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>Les articles de {}</subtitle>\n  <link href=\"{}/atom.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}/\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{}/</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n",
        xml_escape(&site.config.language),
        xml_escape(&site.config.letter_title),
        xml_escape(&site.config.letter_title),
        xml_escape(&ctx.base_url),
        xml_escape(&ctx.base_url),
        xml_escape(&ctx.base_url),
        xml_escape(&site.config.title),
    );
    let entries = site
        .letters
        .iter()
        .rev()
        .flat_map(|l| l.articles.iter().map(move |a| (l, a)))
        .take(50);
    for (l, a) in entries {
        let url = ctx.absolute(&format!("/lettres/{}/{}/", l.id, a.slug));
        let date = a.front.date.unwrap_or(l.index.front.date).0;
        let _ = write!(
            out,
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{url}</id>\n    <published>{date}T00:00:00Z</published>\n    <updated>{date}T00:00:00Z</updated>\n",
            xml_escape(&crate::load::typography::title_text(&a.front.title)),
        );
        if let Some(s) = &a.front.summary {
            let _ = writeln!(out, "    <summary>{}</summary>", xml_escape(s));
        }
        let _ = write!(
            out,
            "    <content type=\"html\">{}</content>\n  </entry>\n",
            xml_escape(&absolutize(&a.body.html, ctx))
        );
    }
    out.push_str("</feed>\n");
    out
}

/// Root-relative `href`/`src` made absolute, for feed readers.
fn absolutize(html: &str, ctx: &RenderContext<'_>) -> String {
    let origin = crate::urls::origin(&ctx.base_url);
    html.replace("href=\"/", &format!("href=\"{origin}/"))
        .replace("src=\"/", &format!("src=\"{origin}/"))
}

/// Largest sitemap file written, in bytes: readers and crawlers should not
/// download any data file above 1 MB (the protocol allows 50 MB).
const SITEMAP_MAX_BYTES: usize = 900_000;
/// Most URLs in one sitemap file (the protocol's limit).
const SITEMAP_MAX_URLS: usize = 50_000;

/// True for the sitemap files this module writes (`sitemap.xml`, and the
/// parts `sitemap-N.xml` of a large site).
pub fn is_sitemap(path: &str) -> bool {
    path == "sitemap.xml"
        || path
            .strip_prefix("sitemap-")
            .and_then(|r| r.strip_suffix(".xml"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The sitemap from the list of generated pages: every `index.html` (the
/// e-mail editions and the 404 page are not pages to index) and the PDF
/// editions. One `sitemap.xml` while it stays under 900 KB; beyond, the
/// URLs go into `sitemap-1.xml`, `sitemap-2.xml` … and `sitemap.xml` is
/// their index (what robots.txt names either way).
pub fn sitemap(ctx: &RenderContext<'_>, paths: &[String]) -> Vec<Output> {
    sitemap_within(&|p: &str| ctx.absolute(p), paths, SITEMAP_MAX_BYTES)
}

/// [`sitemap`] with the URL maker and the size limit given.
fn sitemap_within(
    absolute: &dyn Fn(&str) -> String,
    paths: &[String],
    max_bytes: usize,
) -> Vec<Output> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    const TAIL: &str = "</urlset>\n";
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::from(HEAD);
    let mut count = 0;
    for path in paths {
        // Pages, and the PDF editions (`.pdf` among the generated files).
        let dir = match path.strip_suffix("index.html") {
            Some(dir) => dir,
            None if path.ends_with(".pdf") => path.as_str(),
            None => continue,
        };
        // The back-office is no page of the site.
        if path.starts_with(crate::render::admin::ADMIN_DIR) {
            continue;
        }
        let entry = format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&absolute(&format!("/{dir}")))
        );
        if count > 0
            && (current.len() + entry.len() + TAIL.len() > max_bytes || count == SITEMAP_MAX_URLS)
        {
            current.push_str(TAIL);
            parts.push(std::mem::replace(&mut current, String::from(HEAD)));
            count = 0;
        }
        current.push_str(&entry);
        count += 1;
    }
    current.push_str(TAIL);
    if parts.is_empty() {
        return vec![Output::text("sitemap.xml", current)];
    }
    parts.push(current);
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut out = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.into_iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            xml_escape(&absolute(&format!("/{name}")))
        );
        out.push(Output::text(name, part));
    }
    index.push_str("</sitemapindex>\n");
    out.push(Output::text("sitemap.xml", index));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_sitemap_is_split_under_its_size_limit_with_an_index() {
        let abs = |p: &str| format!("https://x.org{p}");
        let paths: Vec<String> = (0..100)
            .map(|i| format!("repertoire/pays/p-{i:03}/index.html"))
            .chain(["lettres/2025-09/email.html".to_string()])
            .collect();
        // Small enough: one file, as on the sample site.
        let one = sitemap_within(&abs, &paths, 1 << 20);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].path, "sitemap.xml");
        let text = String::from_utf8(one[0].bytes.clone()).unwrap();
        assert_eq!(text.matches("<url>").count(), 100);
        assert!(!text.contains("email.html"));
        // Over the limit: parts under it, every URL once, and an index.
        let parts = sitemap_within(&abs, &paths, 2_000);
        let (index, rest) = parts.split_last().unwrap();
        assert_eq!(index.path, "sitemap.xml");
        assert!(rest.len() > 2, "{}", rest.len());
        let index = String::from_utf8(index.bytes.clone()).unwrap();
        let mut urls = 0;
        for (i, part) in rest.iter().enumerate() {
            assert_eq!(part.path, format!("sitemap-{}.xml", i + 1));
            assert!(is_sitemap(&part.path));
            assert!(part.bytes.len() <= 2_000, "{}", part.bytes.len());
            assert!(index.contains(&format!("<loc>https://x.org/sitemap-{}.xml</loc>", i + 1)));
            urls += String::from_utf8_lossy(&part.bytes)
                .matches("<url>")
                .count();
        }
        assert_eq!(urls, 100);
        assert!(!is_sitemap("sitemap-.xml") && !is_sitemap("sitemap-a.xml"));
    }
}
