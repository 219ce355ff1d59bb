//! The letter's PDF: the data of one issue for `letter.typ` — cover,
//! sommaire, sections in print order with their group bylines, articles
//! with their images and links, the agenda, CUF's contacts.

use serde_json::{Value, json};

use super::markup::{html_to_nodes, plain};
use super::{Job, Kind, image_entry};
use crate::dates;
use crate::load::typography::title_text;
use crate::render::RenderContext;
use crate::render::agenda::letter_agenda;

/// A link of the site's HTML made absolute for the PDF (a page's
/// relative links do not work once the file is downloaded); in-page
/// anchors are dropped (empty string: the templates print the text only).
pub fn absolute_link(ctx: &RenderContext<'_>, href: &str) -> String {
    if href.starts_with('#') {
        return String::new();
    }
    if let Some(rest) = href.strip_prefix('/')
        && !rest.starts_with('/')
    {
        let origin = ctx
            .base_url
            .strip_suffix(ctx.base_path.as_str())
            .unwrap_or(&ctx.base_url);
        return format!("{origin}{href}");
    }
    href.to_string()
}

fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(title_text(s)))
}

/// The site's contacts, printed at the end of every PDF.
pub fn contacts(ctx: &RenderContext<'_>) -> Value {
    let c = &ctx.site.config;
    json!({
        "org": c.title,
        "address": c.address,
        "phone": c.phone,
        "email": c.email,
        "site": ctx.absolute("/"),
        "social": c.social.iter().map(|s| json!({"name": s.name, "url": s.url})).collect::<Vec<_>>(),
    })
}

/// The logo of `site.yaml`, as a job image.
pub fn logo(ctx: &RenderContext<'_>, images: &mut Vec<(String, String)>) -> Value {
    let Some(l) = &ctx.site.config.logo else {
        return Value::Null;
    };
    let Some(src) = crate::urls::join_in_content("content", &l.src) else {
        return Value::Null;
    };
    match image_entry(ctx, &src, images) {
        Some((path, _)) => json!({"path": path, "alt": l.alt}),
        None => Value::Null,
    }
}

/// The job of letter number `li` of the site.
pub fn job(ctx: &RenderContext<'_>, li: usize) -> Job {
    let letter = &ctx.site.letters[li];
    let f = &letter.index.front;
    let link = |h: &str| absolute_link(ctx, h);
    let mut images = Vec::new();
    let logo = logo(ctx, &mut images);
    let mut sections = Vec::new();
    for s in &ctx.index.layouts[li] {
        let def = &ctx.site.config.sections[s.section];
        let mut runs = Vec::new();
        for r in &s.runs {
            let byline = r
                .group
                .as_ref()
                .and_then(|g| ctx.index.bylines.get(g))
                .map(|b| title_text(b));
            let mut articles = Vec::new();
            for &ai in &r.articles {
                let a = &letter.articles[ai];
                let af = &a.front;
                let dir = format!("content/lettres/{}", letter.id);
                let image = af
                    .image
                    .as_deref()
                    .and_then(|i| crate::urls::join_in_content(&dir, i))
                    .and_then(|src| image_entry(ctx, &src, &mut images))
                    .map(|(path, ratio)| json!({"path": path, "ratio": ratio}));
                articles.push(json!({
                    "id": format!("article-{}", a.slug),
                    "title": title_text(&af.title),
                    "date": af.date.map(|d| dates::long_date(d.0)),
                    "image": image,
                    "image_alt": opt(af.image_alt.as_deref()),
                    "body": html_to_nodes(&a.body.html, &link),
                    "link": af.link,
                    "author": opt(af.author.as_deref()),
                    "url": ctx.absolute(&format!("/lettres/{}/{}/", letter.id, a.slug)),
                    "break_before": af.pdf.as_ref().is_some_and(|p| p.saut_avant),
                }));
            }
            runs.push(json!({"byline": byline, "articles": articles}));
        }
        sections.push(json!({"title": title_text(&def.title), "runs": runs}));
    }
    let agenda = letter_agenda(ctx, letter);
    let months: Vec<Value> = agenda
        .months
        .iter()
        .map(|m| {
            json!({
                "label": m.label,
                "full_name": m.full_name,
                "days": m.days.iter().map(|d| json!({
                    "label": d.label,
                    "events": d.events.iter().map(|e| {
                        let mut parts: Vec<String> = Vec::new();
                        parts.extend(e.time.clone());
                        parts.extend(e.place.as_deref().map(title_text));
                        parts.extend(e.format_label.clone());
                        json!({
                            "title": title_text(&e.title),
                            "details": parts.join(", "),
                            "members_only": e.members_only,
                            "programme": e.programme.as_ref().map(|p| title_text(&p.name)),
                            "url": absolute_link(ctx, &e.url),
                        })
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let highlights: Vec<Value> = agenda
        .highlights
        .iter()
        .map(|h| {
            json!({
                "title": title_text(&h.title),
                "dates": h.dates_label,
                "place": h.place.as_deref().map(title_text),
                "url": absolute_link(ctx, &h.url),
            })
        })
        .collect();
    let title = plain(&crate::load::typography::title_html(&f.title));
    let data = json!({
        "letter_title": title_text(&ctx.site.config.letter_title),
        "issue_title": title,
        "number": f.number,
        "date": dates::long_date(f.date.0),
        "year": chrono::Datelike::year(&f.date.0),
        "month": chrono::Datelike::month(&f.date.0),
        "day": chrono::Datelike::day(&f.date.0),
        "doc_title": format!("{} – {}", title_text(&ctx.site.config.letter_title), title),
        "author": ctx.site.config.title,
        "url": ctx.absolute(&format!("/lettres/{}/", letter.id)),
        "logo": logo,
        "intro": html_to_nodes(&letter.index.body.html, &link),
        "sections": sections,
        "agenda": {"months": months, "highlights": highlights},
        "contacts": contacts(ctx),
    });
    Job {
        kind: Kind::Letter,
        source: letter.index.path.clone(),
        date: f.date.0.to_string(),
        data: data.to_string(),
        images,
    }
}
