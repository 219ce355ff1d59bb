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

/// `sitemap.xml` from the list of generated pages: every `index.html`
/// (the e-mail editions and the 404 page are not pages to index).
pub fn sitemap(ctx: &RenderContext<'_>, paths: &[String]) -> Output {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
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
        let _ = writeln!(
            out,
            "  <url><loc>{}</loc></url>",
            xml_escape(&ctx.absolute(&format!("/{dir}")))
        );
    }
    out.push_str("</urlset>\n");
    Output::text("sitemap.xml", out)
}
