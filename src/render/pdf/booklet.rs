//! A répertoire's booklet: the data of one country directory for
//! `booklet.typ`, from the same views as its web page (figures, regions,
//! authorities) so both editions say the same.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::letter::{absolute_link, contacts, logo};
use super::markup::html_to_nodes;
use super::{Job, Kind};
use crate::load::typography::title_text;
use crate::model::Directory;
use crate::render::RenderContext;
use crate::render::repertoire::views::fold;
use crate::render::repertoire::views::{Entry, by_region, country_label, figures};
use crate::render::repertoire::{edition_label, index_name};

/// From this many partnerships on, each French region of the booklet
/// starts on a new page (the guide says so): a long booklet reads like a
/// book with a chapter per region, and Typst lays out the page runs
/// between page breaks in parallel (a 1,500-partnership booklet is
/// typeset about twice as fast on two cores). Short booklets keep their
/// regions running on, not to print half-empty pages.
pub const REGION_PAGES_FROM: usize = 60;

/// The job of directory `d`.
pub fn job(ctx: &RenderContext<'_>, d: &Directory) -> Job {
    let link = |h: &str| absolute_link(ctx, h);
    let mut images = Vec::new();
    let logo = logo(ctx, &mut images);
    let list: Vec<Entry<'_>> = d
        .partnerships
        .iter()
        .map(|page| Entry { dir: d, page })
        .collect();
    let figures: Vec<Value> = figures(ctx, &list)
        .iter()
        .map(|f| {
            json!({
                "title": f.title,
                "counts": f.counts.iter().map(|c| json!({
                    "label": c.label, "count": c.count, "percent": c.percent,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    // The index: every French authority once, sorted as the web's list of
    // authorities is (by proper name: « Ville d'Aix » under A), with the
    // anchors of its groups (one per region it appears in).
    let mut index: BTreeMap<(String, String), (String, &'static str, Vec<String>)> =
        BTreeMap::new();
    let regions: Vec<Value> = by_region(ctx, &list)
        .iter()
        .map(|r| {
            let authorities: Vec<Value> = r
                .authorities
                .iter()
                .map(|a| {
                    let id = format!("a-{}", a.id);
                    let folded = fold(a.name);
                    index
                        .entry((index_name(&folded).to_string(), folded))
                        .or_insert_with(|| (title_text(a.name), a.kind_label, Vec::new()))
                        .2
                        .push(id.clone());
                    let partnerships: Vec<Value> = a
                        .partnerships
                        .iter()
                        .map(|p| {
                            let mut meta = p.partner.name.to_string();
                            let extra: Vec<&str> = [p.partner.kind, p.partner.region]
                                .into_iter()
                                .flatten()
                                .collect();
                            if !extra.is_empty() {
                                meta.push_str(&format!(" ({})", extra.join(", ")));
                            }
                            if let Some(k) = p.kind {
                                meta.push_str(&format!(" · {k}"));
                            }
                            if let Some(y) = p.since {
                                meta.push_str(&format!(" depuis {y}"));
                            }
                            json!({
                                "number": p.number,
                                "title": title_text(&p.title),
                                "url": link(&p.url),
                                "meta": title_text(&meta),
                                "dormant": p.dormant,
                                "themes": p.themes,
                                "projects": p.projects.iter().map(|pr| json!({
                                    "title": title_text(pr.title),
                                    "years": pr.years,
                                    "funding": pr.funding,
                                })).collect::<Vec<_>>(),
                                "contacts": p.contacts.iter().map(|c| json!({
                                    "name": c.name, "role": c.role, "email": c.email,
                                })).collect::<Vec<_>>(),
                                "website": p.website,
                                "history": html_to_nodes(p.html, &link),
                            })
                        })
                        .collect();
                    json!({
                        "id": id,
                        "name": title_text(a.name),
                        "kind_label": a.kind_label,
                        "partnerships": partnerships,
                    })
                })
                .collect();
            json!({"name": r.name, "count": r.count, "authorities": authorities})
        })
        .collect();
    let index: Vec<Value> = index
        .into_values()
        .map(|(name, kind, ids)| json!({"name": name, "kind_label": kind, "ids": ids}))
        .collect();
    let f = &d.index.front;
    let edition = f.edition.as_deref().and_then(|e| {
        let (y, m) = e.split_once('-')?;
        Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?))
    });
    let date = edition
        .and_then(|(y, m)| chrono::NaiveDate::from_ymd_opt(y, m, 1))
        .unwrap_or_default();
    let count = d.partnerships.len();
    let mut names: Vec<String> = d
        .partnerships
        .iter()
        .map(|p| fold(&p.front.french.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n}\u{a0}{}", if n > 1 { many } else { one });
    let summary = format!(
        "{} · {}",
        plural(count, "partenariat", "partenariats"),
        plural(
            names.len(),
            "collectivité française",
            "collectivités françaises"
        )
    );
    let title = title_text(&f.title);
    let data = json!({
        "title": title,
        "country": country_label(ctx, d),
        "org": ctx.site.config.title,
        "author": ctx.site.config.title,
        "doc_title": format!("{title} – {}", ctx.site.config.title),
        "edition": f.edition.as_deref().map(edition_label),
        "year": edition.map(|e| e.0),
        "month": edition.map(|e| e.1),
        "summary": summary,
        "url": ctx.absolute(&format!("/repertoire/{}/", d.slug)),
        "logo": logo,
        "presentation": html_to_nodes(&d.index.body.html, &link),
        "figures": figures,
        "region_pages": count >= REGION_PAGES_FROM,
        "regions": regions,
        "index": index,
        "contacts": contacts(ctx),
    });
    Job {
        kind: Kind::Booklet,
        source: d.index.path.clone(),
        date: date.to_string(),
        data: data.to_string(),
        images,
    }
}
