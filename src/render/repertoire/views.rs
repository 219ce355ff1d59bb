//! What the répertoire templates see: partnerships, French authorities and
//! the figures of a directory, built from the resolved site.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Contact, Directory, Page, PartnershipFront};
use crate::render::RenderContext;
use crate::render::views::{plain_excerpt, theme_labels};
use crate::resolve::repertoire::{FRENCH_TYPES, KINDS, STATUSES, label_of};

/// The label shown for a missing French region.
pub const NO_REGION: &str = "Région non précisée";

/// A partnership and the directory it belongs to.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    /// Its directory.
    pub dir: &'a Directory,
    /// The partnership.
    pub page: &'a Page<PartnershipFront>,
}

impl<'a> Entry<'a> {
    /// "Ville de Lyon – Ville de Yokohama".
    pub fn title(&self) -> String {
        format!(
            "{} – {}",
            self.page.front.french.name, self.page.front.partner.name
        )
    }

    /// The French region, or [`NO_REGION`].
    pub fn region(&self) -> &'a str {
        self.page
            .front
            .french
            .region
            .as_deref()
            .unwrap_or(NO_REGION)
    }

    /// `active` or `en-sommeil`.
    pub fn status(&self) -> &'a str {
        self.page.front.status.as_deref().unwrap_or(STATUSES[0].0)
    }

    /// Root-relative URL of its page (without base path).
    pub fn path(&self) -> String {
        format!("/repertoire/{}/{}/", self.dir.slug, self.page.slug)
    }
}

/// Every partnership of `dirs`, in directory then file order.
pub fn entries(dirs: &[Directory]) -> Vec<Entry<'_>> {
    dirs.iter()
        .flat_map(|dir| dir.partnerships.iter().map(move |page| Entry { dir, page }))
        .collect()
}

/// The country a directory covers, as readers name it: its group's name,
/// else its title's last word… or simply its slug.
pub fn country_label<'a>(ctx: &'a RenderContext<'a>, d: &'a Directory) -> String {
    d.index
        .front
        .group
        .as_deref()
        .and_then(|g| ctx.index.group_pos.get(g))
        .map(|&i| ctx.site.groups[i].front.name.clone())
        .unwrap_or_else(|| {
            let mut s = d.slug.replace('-', " ");
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            s
        })
}

/// A French authority as printed.
#[derive(Debug, Serialize)]
pub struct FrenchView<'a> {
    /// Name.
    pub name: &'a str,
    /// Type id.
    pub kind: &'a str,
    /// Type label.
    pub kind_label: &'static str,
    /// Region.
    pub region: Option<&'a str>,
    /// Department.
    pub department: Option<&'a str>,
}

/// A foreign authority as printed.
#[derive(Debug, Serialize)]
pub struct PartnerView<'a> {
    /// Name.
    pub name: &'a str,
    /// Its type, as written.
    pub kind: Option<&'a str>,
    /// Region.
    pub region: Option<&'a str>,
    /// ISO code of its country.
    pub country: Option<&'a str>,
}

/// A project as printed.
#[derive(Debug, Serialize)]
pub struct ProjectView<'a> {
    /// Title.
    pub title: &'a str,
    /// Years.
    pub years: Option<&'a str>,
    /// Funders.
    pub funding: &'a [String],
}

/// A partnership for templates.
#[derive(Debug, Serialize)]
pub struct PartnershipView<'a> {
    /// File slug (anchor in the country page).
    pub slug: &'a str,
    /// Its number in its directory's booklet (0 outside it).
    pub number: usize,
    /// "French – partner".
    pub title: String,
    /// Page URL.
    pub url: String,
    /// French side.
    pub french: FrenchView<'a>,
    /// Foreign side.
    pub partner: PartnerView<'a>,
    /// Kind label.
    pub kind: Option<&'static str>,
    /// Year it began.
    pub since: Option<i32>,
    /// Status id.
    pub status: &'a str,
    /// Status label.
    pub status_label: &'static str,
    /// True when dormant.
    pub dormant: bool,
    /// Theme labels.
    pub themes: Vec<&'a str>,
    /// Projects.
    pub projects: Vec<ProjectView<'a>>,
    /// Contacts.
    pub contacts: &'a [Contact],
    /// Website.
    pub website: Option<&'a str>,
    /// History (HTML, safe).
    pub html: &'a str,
    /// A plain-text teaser of the history: on the partnership's own page
    /// only (the booklet rows leave it out: it is costly and unused there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Country label of its directory.
    pub country: String,
    /// Its directory's title and URL.
    pub directory_title: &'a str,
    /// Its directory's URL.
    pub directory_url: String,
}

impl<'a> PartnershipView<'a> {
    /// The view of `e` for its own page (with its summary).
    pub fn new(ctx: &'a RenderContext<'a>, e: Entry<'a>) -> Self {
        let dir = DirStrings::new(ctx, e.dir);
        let mut v = Self::row(ctx, e, &dir);
        v.summary = Some(plain_excerpt(&e.page.body.html, 220));
        v
    }

    /// The view of `e` as a row of its directory's booklet: no summary, and
    /// the strings common to the directory taken from `dir`.
    pub fn row(ctx: &'a RenderContext<'a>, e: Entry<'a>, dir: &DirStrings) -> Self {
        let f = &e.page.front;
        let status = e.status();
        PartnershipView {
            slug: &e.page.slug,
            number: 0,
            title: e.title(),
            url: ctx.url(&e.path()),
            french: FrenchView {
                name: &f.french.name,
                kind: &f.french.kind,
                kind_label: label_of(FRENCH_TYPES, &f.french.kind).unwrap_or(""),
                region: f.french.region.as_deref(),
                department: f.french.department.as_deref(),
            },
            partner: PartnerView {
                name: &f.partner.name,
                kind: f.partner.kind.as_deref(),
                region: f.partner.region.as_deref(),
                country: f
                    .partner
                    .country
                    .as_deref()
                    .or(e.dir.index.front.country.as_deref()),
            },
            kind: f.kind.as_deref().and_then(|k| label_of(KINDS, k)),
            since: f.since,
            status,
            status_label: label_of(STATUSES, status).unwrap_or(""),
            dormant: status == "en-sommeil",
            themes: theme_labels(ctx, &f.themes),
            projects: f
                .projects
                .iter()
                .map(|p| ProjectView {
                    title: &p.title,
                    years: p.years.as_deref(),
                    funding: &p.funding,
                })
                .collect(),
            contacts: &f.contacts,
            website: f.website.as_deref(),
            html: &e.page.body.html,
            summary: None,
            country: dir.country.clone(),
            directory_title: &e.dir.index.front.title,
            directory_url: dir.url.clone(),
        }
    }
}

/// The strings every partnership of a directory shares, computed once.
pub struct DirStrings {
    /// [`country_label`] of the directory.
    pub country: String,
    /// URL of the directory's page.
    pub url: String,
}

impl DirStrings {
    /// The strings of `d`.
    pub fn new(ctx: &RenderContext<'_>, d: &Directory) -> Self {
        DirStrings {
            country: country_label(ctx, d),
            url: ctx.url(&format!("/repertoire/{}/", d.slug)),
        }
    }
}

/// One bar of a figure.
#[derive(Debug, Serialize)]
pub struct Count {
    /// What is counted.
    pub label: String,
    /// How many.
    pub count: usize,
    /// Share of the total, in whole percent (for the bar).
    pub percent: usize,
}

/// One figure: a title and its counts.
#[derive(Debug, Serialize)]
pub struct Figure {
    /// Anchor id.
    pub id: &'static str,
    /// "Par type de partenariat".
    pub title: &'static str,
    /// Header of the first column: "Type", "Région", …
    pub column: &'static str,
    /// Its counts.
    pub counts: Vec<Count>,
}

fn counts(pairs: Vec<(String, usize)>, total: usize) -> Vec<Count> {
    pairs
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, count)| Count {
            label,
            count,
            percent: (count * 100).checked_div(total).unwrap_or(0),
        })
        .collect()
}

fn by_vocab(
    entries: &[Entry<'_>],
    vocab: &[(&str, &str)],
    key: impl Fn(&Entry<'_>) -> Option<String>,
) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = vocab.iter().map(|(_, l)| (l.to_string(), 0)).collect();
    let mut unknown = 0;
    for e in entries {
        match key(e).and_then(|k| vocab.iter().position(|(i, _)| *i == k)) {
            Some(i) => out[i].1 += 1,
            None => unknown += 1,
        }
    }
    out.push(("Non précisé".into(), unknown));
    out
}

/// Most frequent first, then by name.
fn by_frequency(map: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| fold(&a.0).cmp(&fold(&b.0))));
    v
}

/// The figures of a set of partnerships.
pub fn figures(ctx: &RenderContext<'_>, entries: &[Entry<'_>]) -> Vec<Figure> {
    let total = entries.len();
    let kind = by_vocab(entries, KINDS, |e| e.page.front.kind.clone());
    let ftype = by_vocab(entries, FRENCH_TYPES, |e| {
        Some(e.page.front.french.kind.clone())
    });
    let status = by_vocab(entries, STATUSES, |e| Some(e.status().to_string()));
    let mut regions = BTreeMap::new();
    let mut themes = BTreeMap::new();
    let mut decades = BTreeMap::new();
    for e in entries {
        *regions.entry(e.region().to_string()).or_insert(0) += 1;
        for t in &e.page.front.themes {
            let label = ctx.site.config.themes.get(t).unwrap_or(t);
            *themes.entry(label.clone()).or_insert(0) += 1;
        }
        let decade = e.page.front.since.map(|y| y - y.rem_euclid(10));
        *decades.entry(decade).or_insert(0) += 1;
    }
    let decades: Vec<(String, usize)> = decades
        .into_iter()
        .map(|(d, n)| match d {
            Some(d) => (format!("Années {d}"), n),
            None => ("Date non précisée".to_string(), n),
        })
        .collect();
    vec![
        Figure {
            id: "par-nature",
            column: "Type",
            title: "Par type de partenariat",
            counts: counts(kind, total),
        },
        Figure {
            id: "par-collectivite",
            column: "Collectivité",
            title: "Par type de collectivité française",
            counts: counts(ftype, total),
        },
        Figure {
            id: "par-region",
            column: "Région",
            title: "Par région française",
            counts: counts(by_frequency(regions), total),
        },
        Figure {
            id: "par-theme",
            column: "Thème",
            title: "Par thème de coopération",
            counts: counts(by_frequency(themes), total),
        },
        Figure {
            id: "par-decennie",
            column: "Décennie",
            title: "Par décennie de début",
            counts: counts(decades, total),
        },
        Figure {
            id: "par-statut",
            column: "Statut",
            title: "Actifs et en sommeil",
            counts: counts(status, total),
        },
    ]
}

/// A French authority and its partnerships, inside a region.
#[derive(Debug, Serialize)]
pub struct AuthorityGroup<'a> {
    /// Anchor id.
    pub id: String,
    /// Name.
    pub name: &'a str,
    /// Type label.
    pub kind_label: &'static str,
    /// Its partnerships.
    pub partnerships: Vec<PartnershipView<'a>>,
}

/// A French region and its authorities.
#[derive(Debug, Serialize)]
pub struct RegionGroup<'a> {
    /// Anchor id.
    pub id: String,
    /// Region name.
    pub name: &'a str,
    /// Number of partnerships.
    pub count: usize,
    /// Authorities, alphabetical.
    pub authorities: Vec<AuthorityGroup<'a>>,
}

/// Partnerships of one region, by folded authority name.
type ByAuthority<'a> = BTreeMap<String, Vec<Entry<'a>>>;

/// Partnerships grouped by French region (alphabetical, unknown last), then
/// authority (alphabetical), then partner name.
pub fn by_region<'a>(ctx: &'a RenderContext<'a>, entries: &[Entry<'a>]) -> Vec<RegionGroup<'a>> {
    let mut dirs: BTreeMap<&str, DirStrings> = BTreeMap::new();
    for e in entries {
        dirs.entry(e.dir.slug.as_str())
            .or_insert_with(|| DirStrings::new(ctx, e.dir));
    }
    let mut tree: BTreeMap<(bool, String), (&'a str, ByAuthority<'a>)> = BTreeMap::new();
    for e in entries {
        let region = e.region();
        let slot = tree
            .entry((region == NO_REGION, fold(region)))
            .or_insert((region, BTreeMap::new()));
        slot.1
            .entry(fold(&e.page.front.french.name))
            .or_default()
            .push(*e);
    }
    let mut regions: Vec<RegionGroup<'a>> = tree
        .into_iter()
        .map(|((_, rkey), (name, auths))| {
            let authorities: Vec<AuthorityGroup<'a>> = auths
                .into_iter()
                .map(|(akey, mut list)| {
                    list.sort_by_cached_key(|e| {
                        (fold(&e.page.front.partner.name), e.page.slug.clone())
                    });
                    let first = list[0].page;
                    AuthorityGroup {
                        id: format!("{}--{}", slug_of(&rkey), slug_of(&akey)),
                        name: &first.front.french.name,
                        kind_label: label_of(FRENCH_TYPES, &first.front.french.kind).unwrap_or(""),
                        partnerships: list
                            .iter()
                            .map(|e| PartnershipView::row(ctx, *e, &dirs[e.dir.slug.as_str()]))
                            .collect(),
                    }
                })
                .collect();
            RegionGroup {
                id: format!("region-{}", slug_of(&rkey)),
                name,
                count: authorities.iter().map(|a| a.partnerships.len()).sum(),
                authorities,
            }
        })
        .collect();
    let numbers = regions
        .iter_mut()
        .flat_map(|r| r.authorities.iter_mut())
        .flat_map(|a| a.partnerships.iter_mut());
    for (i, p) in numbers.enumerate() {
        p.number = i + 1;
    }
    regions
}

/// A slug for anchors from already-folded text.
pub fn slug_of(folded: &str) -> String {
    crate::load::to_slug(folded)
}

/// Lower case, no diacritics, ligatures spelt out, typographic apostrophes
/// made plain: the key names are sorted and grouped by.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            c if is_combining_mark(c) => {}
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' | 'ʼ' | '‘' => out.push('\''),
            '\u{a0}' | '\u{202f}' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod fold_tests {
    use super::fold;

    #[test]
    fn folding_drops_accents_case_and_ligatures() {
        assert_eq!(fold("Île-de-France"), "ile-de-france");
        assert_eq!(fold("Hokkaidō ŒUVRE"), "hokkaido oeuvre");
        assert_eq!(fold("Côte d’Azur"), "cote d'azur");
        assert_eq!(fold("SÉNÉGAL"), "senegal");
    }
}
