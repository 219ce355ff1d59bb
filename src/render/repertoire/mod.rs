//! The répertoires: `/repertoire/` (every directory, national totals and the
//! search), one page per country directory (figures, every partnership by
//! French region then authority, printable as a booklet), one page per
//! partnership and `/repertoire/collectivites/` (the search is `render::search`).

pub mod views;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::Directory;
use crate::render::views::{GroupRef, group_ref, plain_excerpt};
use crate::render::web::{meta, page};
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink, par_pages};
use crate::resolve::repertoire::{FRENCH_TYPES, KINDS, label_of};

use views::fold;
use views::{Entry, PartnershipView, by_region, country_label, entries, figures, slug_of};

/// Renders the répertoire pages.
pub struct RepertoireRenderer;

impl Renderer for RepertoireRenderer {
    fn name(&self) -> &'static str {
        "repertoire"
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        render_some(ctx, out, &Redo::everything())
    }

    fn ignores(&self) -> &'static [&'static str] {
        // Letters, events and programmes are not part of any répertoire page.
        &["lettres/", "agenda/", "programmes/"]
    }

    fn render_changed(
        &self,
        ctx: &RenderContext<'_>,
        changes: &crate::render::changes::ChangeSet,
        out: &dyn Sink,
    ) -> Option<Rendered> {
        if changes.only_under(self.ignores()) {
            return Some(Ok(Vec::new()));
        }
        changes.directories_only()?;
        Some(render_some(ctx, out, &Redo::after(changes)))
    }
}

/// Which répertoire pages an edit inside répertoires' folders redoes.
///
/// A sheet is made of its own file and its directory's `_index.md`; a
/// country page of its directory's files' front matter (the rows, the
/// figures) and its `_index.md`'s text; the French authorities' pages of
/// every partnership's front matter. So a partnership whose text alone
/// changed redoes its sheet only.
struct Redo {
    /// Everything (a complete render).
    all: bool,
    /// Directories whose country page is redone.
    countries: Vec<String>,
    /// Directories whose every sheet is redone.
    all_sheets: Vec<String>,
    /// Partnership files whose sheet is redone.
    sheets: Vec<String>,
    /// The index and the French authorities' pages.
    national: bool,
}

impl Redo {
    fn everything() -> Redo {
        Redo {
            all: true,
            countries: Vec::new(),
            all_sheets: Vec::new(),
            sheets: Vec::new(),
            national: true,
        }
    }

    /// What `changes` (only files under `content/repertoire/`) redo.
    fn after(changes: &crate::render::changes::ChangeSet) -> Redo {
        let mut r = Redo {
            all: false,
            countries: Vec::new(),
            all_sheets: Vec::new(),
            sheets: Vec::new(),
            national: false,
        };
        for f in &changes.files {
            let Some((slug, name)) = f
                .strip_prefix("content/repertoire/")
                .and_then(|rest| rest.split_once('/'))
            else {
                continue;
            };
            let body_only = changes.body_only(f);
            if name == "_index.md" {
                r.countries.push(slug.to_string());
                if !body_only {
                    r.all_sheets.push(slug.to_string());
                    r.national = true;
                }
            } else if name.ends_with(".md") && !name.contains('/') {
                r.sheets.push(f.clone());
                if !body_only {
                    r.countries.push(slug.to_string());
                    r.national = true;
                }
            } else {
                // Any other file of the folder: everything it may show in.
                r.countries.push(slug.to_string());
                r.all_sheets.push(slug.to_string());
                r.national = true;
            }
        }
        r
    }

    fn country(&self, d: &Directory) -> bool {
        self.all || self.countries.contains(&d.slug)
    }

    fn sheet(&self, e: &Entry<'_>) -> bool {
        self.all || self.all_sheets.contains(&e.dir.slug) || self.sheets.contains(&e.page.path)
    }
}

/// The répertoire's pages that `redo` names: the index and the French
/// authorities, country pages, sheets.
fn render_some(ctx: &RenderContext<'_>, out: &dyn Sink, redo: &Redo) -> Rendered {
    // Rendered even with no directory: the navigation links /repertoire/.
    let dirs: Vec<&Directory> = ctx
        .site
        .directories
        .iter()
        .filter(|d| redo.country(d))
        .collect();
    let all = entries(&ctx.site.directories);
    let sheets_to_redo: Vec<Entry<'_>> = all.iter().filter(|e| redo.sheet(e)).copied().collect();
    let mut errs = Vec::new();
    let mut take = |r: Result<(), Vec<Diagnostic>>| {
        if let Err(e) = r {
            errs.extend(e)
        }
    };
    let one = |r: Result<Output, Diagnostic>| r.map(|o| out.put(o)).map_err(|e| vec![e]);
    if redo.national {
        take(one(index_page(ctx, &all)));
    }
    // The one big page, the few country pages and the many sheets run
    // side by side: in a row, the single-page steps would leave the
    // other cores idle.
    let (authorities, (countries, sheets)) = rayon::join(
        || {
            if !redo.national {
                return Ok(());
            }
            crate::timings::stage("repertoire: collectivites", || {
                authorities_pages(ctx, &all, out)
            })
        },
        || {
            rayon::join(
                || {
                    crate::timings::stage("repertoire: pays", || {
                        par_pages(&dirs, out, |d| directory_page(ctx, d))
                    })
                },
                || {
                    crate::timings::stage("repertoire: fiches", || {
                        par_pages(&sheets_to_redo, out, |e| partnership_page(ctx, *e))
                    })
                },
            )
        },
    );
    take(authorities);
    take(countries);
    take(sheets);
    if errs.is_empty() {
        Ok(Vec::new())
    } else {
        Err(errs)
    }
}

/// A link to a directory, for the group pages.
#[derive(Debug, Serialize)]
pub struct DirectoryLink<'a> {
    /// Title.
    pub title: &'a str,
    /// Page URL.
    pub url: String,
    /// Number of partnerships.
    pub count: usize,
    /// Its booklet in PDF, when this build makes PDFs.
    pub pdf_url: Option<String>,
}

/// The directories attached to group `slug`.
pub fn group_directories<'a>(ctx: &'a RenderContext<'a>, slug: &str) -> Vec<DirectoryLink<'a>> {
    ctx.site
        .directories
        .iter()
        .filter(|d| d.index.front.group.as_deref() == Some(slug))
        .map(|d| DirectoryLink {
            title: &d.index.front.title,
            url: ctx.url(&format!("/repertoire/{}/", d.slug)),
            count: d.partnerships.len(),
            pdf_url: crate::render::pdf::booklet_url(ctx, &d.slug),
        })
        .collect()
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "2025-02" → "février 2025" (as written when it does not parse).
pub fn edition_label(edition: &str) -> String {
    let parsed = edition
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<usize>().ok()?)));
    match parsed {
        Some((y, m)) if (1..=12).contains(&m) => format!("{} {y}", MONTHS[m - 1]),
        _ => edition.to_string(),
    }
}

#[derive(Serialize)]
struct DirectoryView<'a> {
    slug: &'a str,
    title: &'a str,
    country: String,
    url: String,
    edition: Option<String>,
    count: usize,
    active: usize,
    dormant: usize,
    authorities: usize,
    group: Option<GroupRef<'a>>,
    html: &'a str,
    pdf_url: Option<String>,
}

fn directory_view<'a>(ctx: &'a RenderContext<'a>, d: &'a Directory) -> DirectoryView<'a> {
    let dormant = d
        .partnerships
        .iter()
        .filter(|p| p.front.status.as_deref() == Some("en-sommeil"))
        .count();
    let mut names: Vec<String> = d
        .partnerships
        .iter()
        .map(|p| fold(&p.front.french.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    DirectoryView {
        slug: &d.slug,
        title: &d.index.front.title,
        country: country_label(ctx, d),
        url: ctx.url(&format!("/repertoire/{}/", d.slug)),
        edition: d.index.front.edition.as_deref().map(edition_label),
        count: d.partnerships.len(),
        active: d.partnerships.len() - dormant,
        dormant,
        authorities: names.len(),
        group: d
            .index
            .front
            .group
            .as_deref()
            .and_then(|g| group_ref(ctx, g)),
        html: &d.index.body.html,
        pdf_url: crate::render::pdf::booklet_url(ctx, &d.slug),
    }
}

#[derive(Serialize)]
struct Totals {
    partnerships: usize,
    directories: usize,
    countries: usize,
    authorities: usize,
    active: usize,
    dormant: usize,
}

fn totals(ctx: &RenderContext<'_>, all: &[Entry<'_>]) -> Totals {
    let mut countries: Vec<&str> = all
        .iter()
        .filter_map(|e| {
            e.page
                .front
                .partner
                .country
                .as_deref()
                .or(e.dir.index.front.country.as_deref())
        })
        .collect();
    countries.sort_unstable();
    countries.dedup();
    let mut names: Vec<String> = all
        .iter()
        .map(|e| fold(&e.page.front.french.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    let dormant = all.iter().filter(|e| e.status() == "en-sommeil").count();
    Totals {
        partnerships: all.len(),
        directories: ctx.site.directories.len(),
        countries: countries.len(),
        authorities: names.len(),
        active: all.len() - dormant,
        dormant,
    }
}

fn index_page(ctx: &RenderContext<'_>, all: &[Entry<'_>]) -> Result<Output, Diagnostic> {
    let dirs: Vec<DirectoryView<'_>> = ctx
        .site
        .directories
        .iter()
        .map(|d| directory_view(ctx, d))
        .collect();
    let t = totals(ctx, all);
    let m = meta(
        ctx,
        "Répertoires des partenariats de coopération décentralisée",
        format!(
            "{} partenariats de coopération décentralisée entre {} collectivités françaises et leurs partenaires de {} pays : répertoires par pays, recherche et filtres.",
            t.partnerships, t.authorities, t.countries
        ),
        "/repertoire/",
        "repertoire",
    );
    page(ctx, "repertoire.html", "repertoire/", m, |c| {
        c.insert("directories", &dirs);
        c.insert("totals", &t);
        c.insert("figures", &figures(ctx, all));
        if ctx.search_index {
            c.insert(
                "search",
                &serde_json::json!({
                    "pagefind_url": ctx.url(&format!("/{}/", crate::render::search::REPERTOIRE_DIR)),
                    "filters": crate::render::search::partnership_filters_json(ctx),
                }),
            );
        }
        c.insert("collectivites_url", &ctx.url("/repertoire/collectivites/"));
    })
}

fn directory_page(ctx: &RenderContext<'_>, d: &Directory) -> Result<Output, Diagnostic> {
    let view = directory_view(ctx, d);
    let list: Vec<Entry<'_>> = d
        .partnerships
        .iter()
        .map(|page| Entry { dir: d, page })
        .collect();
    let path = format!("/repertoire/{}/", d.slug);
    let m = meta(
        ctx,
        d.index.front.title.clone(),
        format!(
            "{} partenariats entre collectivités françaises et collectivités de {}\u{a0}: {}",
            list.len(),
            view.country,
            plain_excerpt(&d.index.body.html, 120)
        ),
        &path,
        "repertoire",
    );
    page(ctx, "repertoire-pays.html", &path[1..], m, |c| {
        c.insert("directory", &view);
        c.insert("figures", &figures(ctx, &list));
        c.insert("regions", &by_region(ctx, &list));
    })
}

fn partnership_page(ctx: &RenderContext<'_>, e: Entry<'_>) -> Result<Output, Diagnostic> {
    let view = PartnershipView::new(ctx, e);
    let path = e.path();
    let description = match view.summary.as_deref() {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => format!("Partenariat entre {}.", view.title),
    };
    let m = meta(ctx, view.title.clone(), description, &path, "repertoire");
    page(ctx, "partenariat.html", &path[1..], m, |c| {
        c.insert("p", &view);
    })
}

#[derive(Serialize)]
struct AuthorityLine<'a> {
    title: String,
    partner: &'a str,
    country: String,
    url: String,
    kind: Option<&'static str>,
    since: Option<i32>,
    dormant: bool,
}

#[derive(Serialize)]
struct Authority<'a> {
    id: String,
    name: &'a str,
    kind_label: &'static str,
    region: Option<&'a str>,
    department: Option<&'a str>,
    partnerships: Vec<AuthorityLine<'a>>,
}

#[derive(Serialize)]
struct Letter<'a> {
    letter: String,
    authorities: Vec<Authority<'a>>,
}

/// An initial in the letters' navigation: where it leads, and how many
/// authorities and partnerships it holds.
#[derive(Serialize)]
struct Initial {
    letter: String,
    href: String,
    authorities: usize,
    partnerships: usize,
}

/// Beyond this many partnerships, the list of French authorities is one
/// page per initial (`/repertoire/collectivites/b/`) under an index of the
/// initials: a 15,000-partnership network made a 3 MB page in one piece,
/// and no page should weigh more than 1 MB.
const AUTHORITIES_ONE_PAGE_MAX: usize = 2_500;

fn authorities_pages(
    ctx: &RenderContext<'_>,
    all: &[Entry<'_>],
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    // Sorted as an index is: by the name without its generic head
    // (« Ville d'Aix-en-Provence » under A), then by the whole name.
    let mut by_name: BTreeMap<(String, String), Vec<Entry<'_>>> = BTreeMap::new();
    for e in all {
        let name = fold(&e.page.front.french.name);
        by_name
            .entry((index_name(&name).to_string(), name))
            .or_default()
            .push(*e);
    }
    let mut countries: BTreeMap<&str, String> = BTreeMap::new();
    let mut letters: Vec<Letter<'_>> = Vec::new();
    let count = by_name.len();
    for ((sort, key), mut list) in by_name {
        list.sort_by_cached_key(|e| {
            (
                fold(&country_label(ctx, e.dir)),
                fold(&e.page.front.partner.name),
            )
        });
        let f = &list[0].page.front.french;
        let initial = sort
            .chars()
            .find(|c| c.is_alphanumeric())
            .map_or('#', |c| c.to_ascii_uppercase())
            .to_string();
        let lines = list
            .iter()
            .map(|e| AuthorityLine {
                title: e.title(),
                partner: &e.page.front.partner.name,
                country: countries
                    .entry(e.dir.slug.as_str())
                    .or_insert_with(|| country_label(ctx, e.dir))
                    .clone(),
                url: ctx.url(&e.path()),
                kind: e
                    .page
                    .front
                    .kind
                    .as_deref()
                    .and_then(|k| label_of(KINDS, k)),
                since: e.page.front.since,
                dormant: e.status() == "en-sommeil",
            })
            .collect();
        let a = Authority {
            id: format!("c-{}", slug_of(&key)),
            name: &f.name,
            kind_label: label_of(FRENCH_TYPES, &f.kind).unwrap_or(""),
            region: f.region.as_deref(),
            department: f.department.as_deref(),
            partnerships: lines,
        };
        match letters.last_mut() {
            Some(l) if l.letter == initial => l.authorities.push(a),
            _ => letters.push(Letter {
                letter: initial,
                authorities: vec![a],
            }),
        }
    }
    let title = "Les collectivités françaises et leurs partenariats";
    let description = format!(
        "{count} collectivités françaises et tous leurs partenariats de coopération décentralisée, tous pays confondus."
    );
    let base = "/repertoire/collectivites/";
    let split = all.len() > AUTHORITIES_ONE_PAGE_MAX;
    let initials: Vec<Initial> = letters
        .iter()
        .map(|l| Initial {
            href: if split {
                ctx.url(&format!("{base}{}/", letter_slug(&l.letter)))
            } else {
                format!("#lettre-{}", l.letter)
            },
            letter: l.letter.clone(),
            authorities: l.authorities.len(),
            partnerships: l.authorities.iter().map(|a| a.partnerships.len()).sum(),
        })
        .collect();
    let one = |path: &str, m, shown: &[Letter<'_>], current: &str| {
        page(ctx, "collectivites.html", &path[1..], m, |c| {
            c.insert("letters", shown);
            c.insert("initials", &initials);
            c.insert("split", &split);
            c.insert("current", current);
            c.insert("index_url", &ctx.url(base));
            c.insert("count", &count);
            c.insert("total", &all.len());
        })
        .map(|o| out.put(o))
        .map_err(|e| vec![e])
    };
    if !split {
        return one(
            base,
            meta(ctx, title, description, base, "repertoire"),
            &letters,
            "",
        );
    }
    one(
        base,
        meta(ctx, title, description, base, "repertoire"),
        &[],
        "",
    )?;
    let mut errors = Vec::new();
    for (i, l) in letters.iter().enumerate() {
        let path = format!("{base}{}/", letter_slug(&l.letter));
        let n = initials[i].authorities;
        let m = meta(
            ctx,
            format!("Collectivités françaises : {}", l.letter),
            format!(
                "Les {n} collectivités françaises dont le nom commence par {} et leurs partenariats de coopération décentralisée.",
                l.letter
            ),
            &path,
            "repertoire",
        );
        if let Err(e) = one(&path, m, std::slice::from_ref(l), &l.letter) {
            errors.extend(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The part of a folded authority name an index sorts by: without its
/// generic head and the article after it (`ville d'aix-en-provence` →
/// `aix-en-provence`, `departement de la manche` → `manche`, `region
/// bretagne` → `bretagne`); the whole name when it has no such head.
pub(crate) fn index_name(folded: &str) -> &str {
    const HEADS: &[&str] = &[
        "communaute d'agglomeration",
        "communaute de communes",
        "communaute urbaine",
        "conseil departemental",
        "conseil regional",
        "collectivite",
        "departement",
        "eurometropole",
        "metropole",
        "commune",
        "mairie",
        "region",
        "ville",
    ];
    const ARTICLES: &[&str] = &["de la ", "de l'", "des ", "du ", "de ", "d'"];
    for head in HEADS {
        let Some(rest) = folded.strip_prefix(head) else {
            continue;
        };
        let rest = match rest.strip_prefix(' ') {
            Some(r) => r,
            None if rest.starts_with('\'') => rest,
            None => continue,
        };
        let rest = ARTICLES
            .iter()
            .find_map(|a| rest.strip_prefix(a))
            .or_else(|| rest.strip_prefix('\''))
            .unwrap_or(rest)
            .trim_start();
        if rest.chars().next().is_some_and(char::is_alphanumeric) {
            return rest;
        }
    }
    folded
}

/// The folder of an initial's page: `B` → `b`, `#` (names that begin
/// with no letter or digit) → `autres`, any other sign by its code point.
fn letter_slug(letter: &str) -> String {
    match letter {
        "#" => "autres".into(),
        l if l.chars().all(|c| c.is_ascii_alphanumeric()) => l.to_ascii_lowercase(),
        l => l.chars().map(|c| format!("u{:x}", c as u32)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities_sort_by_their_proper_name() {
        for (name, key) in [
            ("ville d'aix-en-provence", "aix-en-provence"),
            ("ville de lyon", "lyon"),
            ("departement de la manche", "manche"),
            ("region bretagne", "bretagne"),
            ("region nouvelle-aquitaine", "nouvelle-aquitaine"),
            ("communaute de communes du pays de retz", "pays de retz"),
            ("metropole europeenne de lille", "europeenne de lille"),
            ("villeneuve-sur-lot", "villeneuve-sur-lot"),
            ("ville", "ville"),
            ("chartres", "chartres"),
        ] {
            assert_eq!(index_name(name), key, "{name}");
        }
    }

    #[test]
    fn editions_in_words() {
        assert_eq!(edition_label("2025-02"), "février 2025");
        assert_eq!(edition_label("2023-09"), "septembre 2023");
        assert_eq!(edition_label("printemps"), "printemps");
    }
}
