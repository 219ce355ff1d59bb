//! The web edition: home page, letter archive, issue pages, article pages,
//! group pages and the 404 page.

mod changed;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::model::Letter;
use crate::render::views::*;
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink, par_pages};

/// Renders the HTML pages of the site.
pub struct WebRenderer;

impl Renderer for WebRenderer {
    fn name(&self) -> &'static str {
        "web"
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        let mut errs = Vec::new();
        for page in [home(ctx), archive(ctx), groups_index(ctx), not_found(ctx)] {
            match page {
                Ok(o) => out.put(o),
                Err(e) => errs.push(e),
            }
        }
        let mut take = |r: Result<(), Vec<Diagnostic>>| {
            if let Err(e) = r {
                errs.extend(e)
            }
        };
        take(par_pages(&ctx.site.letters, out, |l| letter_page(ctx, l)));
        let articles: Vec<(usize, usize)> = ctx
            .site
            .letters
            .iter()
            .enumerate()
            .flat_map(|(li, l)| (0..l.articles.len()).map(move |ai| (li, ai)))
            .collect();
        take(par_pages(&articles, out, |&(li, ai)| {
            article_page(ctx, li, ai)
        }));
        let groups: Vec<usize> = (0..ctx.site.groups.len()).collect();
        take(par_pages(&groups, out, |&gi| group_page(ctx, gi)));
        if errs.is_empty() {
            Ok(Vec::new())
        } else {
            Err(errs)
        }
    }

    fn render_changed(
        &self,
        ctx: &RenderContext<'_>,
        changes: &crate::render::changes::ChangeSet,
        out: &dyn Sink,
    ) -> Option<Rendered> {
        changed::render(ctx, changes, out).map(|r| r.map(|()| Vec::new()))
    }
}

/// Renders `template` into `path` (`lettres/2025-09/` → `lettres/2025-09/index.html`).
pub fn page(
    ctx: &RenderContext<'_>,
    template: &str,
    path: &str,
    meta: PageMeta,
    fill: impl FnOnce(&mut Context),
) -> Result<Output, Diagnostic> {
    let mut c = Context::new();
    // Serialised once per build and thread, shared by every page.
    c.insert_value("site", site_value(ctx));
    c.insert("page", &meta);
    fill(&mut c);
    let html = ctx.theme.render(template, &c)?;
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    Ok(Output::text(file, html))
}

/// Metadata of a page at root-relative `path`.
pub fn meta(
    ctx: &RenderContext<'_>,
    title: impl Into<String>,
    description: impl Into<String>,
    path: &str,
    nav: &'static str,
) -> PageMeta {
    let title = title.into();
    let mut description = description.into();
    // A page with no text of its own (an issue without preheader or
    // introduction) still gets a description for search engines and previews.
    if description.trim().is_empty() {
        description = format!("{title} – {}", ctx.site.config.title);
    }
    PageMeta {
        title,
        description,
        canonical: ctx.absolute(path),
        og_type: "website",
        og_image: None,
        og_image_alt: None,
        nav,
    }
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    title: &'a str,
    runs: Vec<RunView<'a>>,
}

#[derive(Serialize)]
struct RunView<'a> {
    byline: Option<&'a str>,
    group: Option<GroupRef<'a>>,
    articles: Vec<ArticleView<'a>>,
}

fn sections<'a>(ctx: &'a RenderContext<'a>, li: usize) -> Vec<SectionView<'a>> {
    let letter = &ctx.site.letters[li];
    ctx.index.layouts[li]
        .iter()
        .map(|s| {
            let def = &ctx.site.config.sections[s.section];
            SectionView {
                id: &def.id,
                title: &def.title,
                runs: s
                    .runs
                    .iter()
                    .map(|r| RunView {
                        byline: r
                            .group
                            .as_ref()
                            .and_then(|g| ctx.index.bylines.get(g))
                            .map(String::as_str),
                        group: r.group.as_deref().and_then(|g| group_ref(ctx, g)),
                        articles: r
                            .articles
                            .iter()
                            .map(|&ai| ArticleView::new(ctx, letter, &letter.articles[ai]))
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn home(ctx: &RenderContext<'_>) -> Result<Output, Diagnostic> {
    let site = ctx.site;
    let latest = site.letters.len().checked_sub(1);
    let m = meta(
        ctx,
        site.config.title.clone(),
        format!(
            "{}\u{a0}: l’actualité de la coopération décentralisée et de l’action internationale des collectivités territoriales.",
            site.config.letter_title
        ),
        "/",
        "accueil",
    );
    page(ctx, "index.html", "", m, |c| {
        if let Some(li) = latest {
            c.insert("latest", &LetterSummary::new(ctx, &site.letters[li]));
            c.insert("sections", &sections(ctx, li));
        }
        let others: Vec<LetterSummary<'_>> = site
            .letters
            .iter()
            .rev()
            .skip(1)
            .take(4)
            .map(|l| LetterSummary::new(ctx, l))
            .collect();
        c.insert("previous", &others);
        c.insert(
            "upcoming",
            &crate::render::agenda::upcoming_items(ctx, None, 6),
        );
    })
}

fn archive(ctx: &RenderContext<'_>) -> Result<Output, Diagnostic> {
    let letters: Vec<LetterSummary<'_>> = ctx
        .site
        .letters
        .iter()
        .rev()
        .map(|l| LetterSummary::new(ctx, l))
        .collect();
    let m = meta(
        ctx,
        ctx.site.config.letter_title.clone(),
        format!(
            "Tous les numéros de {}, du plus récent au plus ancien.",
            ctx.site.config.letter_title
        ),
        "/lettres/",
        "lettres",
    );
    page(ctx, "lettres.html", "lettres/", m, |c| {
        c.insert("letters", &letters)
    })
}

fn letter_page(ctx: &RenderContext<'_>, l: &Letter) -> Result<Output, Diagnostic> {
    let li = ctx
        .site
        .letters
        .iter()
        .position(|x| x.id == l.id)
        .unwrap_or(0);
    let summary = LetterSummary::new(ctx, l);
    let path = format!("/lettres/{}/", l.id);
    let description = l
        .index
        .front
        .preheader
        .clone()
        .unwrap_or_else(|| plain_excerpt(&l.index.body.html, 160));
    let mut m = meta(
        ctx,
        format!("{} – {}", ctx.site.config.letter_title, l.index.front.title),
        description,
        &path,
        "lettres",
    );
    m.og_type = "article";
    if let Some(a) = l.articles.iter().find(|a| a.front.image.is_some()) {
        let v = ArticleView::new(ctx, l, a);
        m.og_image = v
            .image
            .map(|u| format!("{}{}", ctx.base_url, u.trim_start_matches(&ctx.base_path)));
        m.og_image_alt = v.image_alt.map(str::to_string);
    }
    page(ctx, "lettre.html", &path[1..], m, |c| {
        c.insert("letter", &summary);
        c.insert("intro", &l.index.body.html);
        c.insert("sections", &sections(ctx, li));
        let prev = li
            .checked_sub(1)
            .map(|i| LetterSummary::new(ctx, &ctx.site.letters[i]));
        let next = ctx
            .site
            .letters
            .get(li + 1)
            .map(|x| LetterSummary::new(ctx, x));
        c.insert("prev", &prev);
        c.insert("next", &next);
        c.insert("agenda", &crate::render::agenda::letter_agenda(ctx, l));
    })
}

fn article_page(ctx: &RenderContext<'_>, li: usize, ai: usize) -> Result<Output, Diagnostic> {
    let l = &ctx.site.letters[li];
    let a = &l.articles[ai];
    let view = ArticleView::new(ctx, l, a);
    let path = format!("/lettres/{}/{}/", l.id, a.slug);
    let description = a
        .front
        .summary
        .clone()
        .unwrap_or_else(|| plain_excerpt(&a.body.html, 160));
    let mut m = meta(ctx, view.title.clone(), description, &path, "lettres");
    m.og_type = "article";
    m.og_image = view
        .image
        .as_ref()
        .map(|u| format!("{}{}", ctx.base_url, u.trim_start_matches(&ctx.base_path)));
    m.og_image_alt = a.front.image_alt.clone();
    let byline = a
        .front
        .group
        .as_ref()
        .and_then(|g| ctx.index.bylines.get(g))
        .map(String::as_str);
    page(ctx, "article.html", &path[1..], m, |c| {
        c.insert("article", &view);
        c.insert("byline", &byline);
        c.insert("letter", &LetterSummary::new(ctx, l));
        let prev = ai
            .checked_sub(1)
            .map(|i| ArticleView::new(ctx, l, &l.articles[i]));
        let next = l.articles.get(ai + 1).map(|x| ArticleView::new(ctx, l, x));
        c.insert("prev", &prev);
        c.insert("next", &next);
    })
}

#[derive(Serialize)]
struct GroupArticle<'a> {
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    letter: &'a str,
    letter_url: String,
}

fn groups_index(ctx: &RenderContext<'_>) -> Result<Output, Diagnostic> {
    let groups: Vec<GroupView<'_>> = ctx
        .site
        .groups
        .iter()
        .map(|g| GroupView::new(ctx, g))
        .collect();
    let m = meta(
        ctx,
        "Groupes-pays et dynamiques",
        "Les groupes-pays et les dynamiques thématiques de Cités Unies France, leurs présidences et leur actualité.",
        "/groupes/",
        "groupes",
    );
    page(ctx, "groupes.html", "groupes/", m, |c| {
        c.insert("groups", &groups)
    })
}

fn group_page(ctx: &RenderContext<'_>, gi: usize) -> Result<Output, Diagnostic> {
    let g = &ctx.site.groups[gi];
    let view = GroupView::new(ctx, g);
    let articles: Vec<GroupArticle<'_>> = ctx
        .index
        .group_articles
        .get(&g.slug)
        .map(|list| {
            list.iter()
                .map(|&(li, ai)| {
                    let l = &ctx.site.letters[li];
                    let a = &l.articles[ai];
                    GroupArticle {
                        title: &a.front.title,
                        url: ctx.url(&format!("/lettres/{}/{}/", l.id, a.slug)),
                        summary: a.front.summary.as_deref(),
                        letter: &l.index.front.title,
                        letter_url: ctx.url(&format!("/lettres/{}/", l.id)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let path = format!("/groupes/{}/", g.slug);
    let m = meta(
        ctx,
        format!("{} {}", view.kind_label, g.front.name),
        plain_excerpt(&g.body.html, 160),
        &path,
        "groupes",
    );
    page(ctx, "groupe.html", &path[1..], m, |c| {
        c.insert("group", &view);
        c.insert("articles", &articles);
        let dirs = crate::render::repertoire::group_directories(ctx, &g.slug);
        c.insert("directories", &dirs);
        let events = crate::render::agenda::upcoming_items(ctx, Some(&g.slug), usize::MAX);
        c.insert("events", &events);
        c.insert(
            "agenda_ics",
            &ctx.url(&format!("/groupes/{}/agenda.ics", g.slug)),
        );
    })
}

fn not_found(ctx: &RenderContext<'_>) -> Result<Output, Diagnostic> {
    let m = meta(
        ctx,
        "Page introuvable",
        "Cette page n'existe pas ou a été déplacée.",
        "/404.html",
        "",
    );
    page(ctx, "404.html", "404.html", m, |_| {})
}
