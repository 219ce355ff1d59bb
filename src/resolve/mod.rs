//! The `resolve` stage: every cross-reference checked (sections, groups,
//! themes, images, internal links, programmes), articles put in print order,
//! and the derived data later stages read (bylines, layout of each issue).

pub mod byline;
pub mod drafts;
pub mod images;
pub mod programmes;
pub mod repertoire;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostics::{Diagnostic, Diagnostics, suggestion_for};
use crate::model::*;
use crate::urls;

/// Derived data over a resolved `Site`.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Group slug → position in `site.groups`.
    pub group_pos: HashMap<String, usize>,
    /// Group slug → its byline, when it has a president.
    pub bylines: HashMap<String, String>,
    /// For each letter (same order as `site.letters`), its sections in print
    /// order, each cut into runs of consecutive articles of one group.
    pub layouts: Vec<Vec<SectionLayout>>,
    /// Group slug → its articles across issues, newest issue first: (letter, article).
    pub group_articles: BTreeMap<String, Vec<(usize, usize)>>,
}

/// One section of one issue.
#[derive(Debug, Clone)]
pub struct SectionLayout {
    /// Position in `site.config.sections`.
    pub section: usize,
    /// Runs of articles; a run shares one byline.
    pub runs: Vec<Run>,
}

/// Consecutive articles of the same group (or of no group).
#[derive(Debug, Clone)]
pub struct Run {
    /// The group, if any.
    pub group: Option<String>,
    /// Positions in the letter's `articles`.
    pub articles: Vec<usize>,
}

/// Checks `site` (drafts included), leaves out the drafts `load` noted,
/// orders it and builds its index. `this_year` dates the répertoire checks.
pub fn resolve(mut site: Site, this_year: i32) -> (Site, Index, Diagnostics) {
    let mut diags = Diagnostics::new();
    let known = Known::new(&site);
    check_groups(&site, &mut diags);
    check_blank_titles(&site, &mut diags);
    check_title_markup(&site, &mut diags);
    for letter in &site.letters {
        check_letter(letter, &known, &mut diags);
    }
    for e in &site.events {
        check_event(e, &known, &mut diags);
    }
    check_event_slugs(&site.events, &mut diags);
    for d in &site.directories {
        check_refs(
            &d.index,
            d.index.front.group.as_deref(),
            &[],
            &known,
            &mut diags,
        );
        for p in &d.partnerships {
            check_refs(p, None, &p.front.themes, &known, &mut diags);
        }
    }
    for p in &site.programmes {
        check_refs(p, None, &[], &known, &mut diags);
    }
    programmes::check(&site, &mut diags);
    for g in &site.groups {
        check_refs(g, None, &[], &known, &mut diags);
    }
    repertoire::check(&site, this_year, &mut diags);
    drafts::check_placeholders(&site, &mut diags);
    drafts::mark(&site, &mut diags);
    drafts::leave_out(&mut site);
    order_articles(&mut site);
    let index = build_index(&site);
    (site, index, diags)
}

/// The names that references may point to.
struct Known {
    sections: Vec<String>,
    themes: BTreeSet<String>,
    groups: BTreeSet<String>,
    programmes: BTreeSet<String>,
    pages: BTreeSet<String>,
    assets: BTreeSet<String>,
    drafts: BTreeSet<String>,
}

impl Known {
    fn new(site: &Site) -> Self {
        let mut pages = BTreeSet::new();
        let left_out: BTreeSet<&str> = site.drafts.iter().map(String::as_str).collect();
        for l in &site.letters {
            pages.insert(l.index.path.clone());
            pages.extend(l.articles.iter().map(|a| a.path.clone()));
        }
        pages.extend(site.groups.iter().map(|g| g.path.clone()));
        pages.extend(site.events.iter().map(|g| g.path.clone()));
        pages.extend(site.programmes.iter().map(|g| g.path.clone()));
        for d in &site.directories {
            pages.insert(d.index.path.clone());
            pages.extend(d.partnerships.iter().map(|p| p.path.clone()));
        }
        // Drafts left out of this build are not pages of the published site.
        pages.retain(|p| !left_out.contains(p.as_str()));
        // Files that failed to load were reported already: references to
        // them must not add a second, misleading "unknown" error.
        for f in &site.failed {
            pages.insert(f.clone());
        }
        let failed_slugs = |dir: &str| -> Vec<String> {
            site.failed
                .iter()
                .filter_map(|f| f.strip_prefix(dir)?.strip_suffix(".md"))
                .map(str::to_string)
                .collect()
        };
        Known {
            sections: site.config.sections.iter().map(|s| s.id.clone()).collect(),
            themes: site.config.themes.keys().cloned().collect(),
            groups: site
                .groups
                .iter()
                .map(|g| g.slug.clone())
                .chain(failed_slugs("content/groupes/"))
                .collect(),
            programmes: site
                .programmes
                .iter()
                .filter(|p| !left_out.contains(p.path.as_str()))
                .map(|g| g.slug.clone())
                .chain(failed_slugs("content/programmes/"))
                .collect(),
            pages,
            assets: site.assets.iter().cloned().collect(),
            drafts: site.drafts.iter().cloned().collect(),
        }
    }
}

fn error_at<F>(page: &Page<F>, key: &str, message: String, suggestion: String) -> Diagnostic {
    let line = page.line_of(key);
    let col = page
        .source
        .lines()
        .nth(line as usize - 1)
        .and_then(|l| l.find(':'))
        .map_or(1, |c| c as u32 + 3);
    Diagnostic::error(&page.path, line, col, message)
        .with_suggestion(suggestion)
        .with_source(&page.source)
}

/// True when the front matter writes a value for the top-level `key`
/// (`start:` left empty, `~` or `null` is no value).
fn has_value<F>(page: &Page<F>, key: &str) -> bool {
    let Some(&line) = page.key_lines.get(key) else {
        return false;
    };
    page.source
        .lines()
        .nth(line as usize - 1)
        .and_then(|l| l.split_once(':'))
        .is_some_and(|(_, v)| {
            let v = v.trim();
            !(v.is_empty() || v == "~" || v == "null" || v.starts_with('#'))
        })
}

/// Group, theme and body references shared by every kind of page.
fn check_refs<F>(
    page: &Page<F>,
    group: Option<&str>,
    themes: &[String],
    known: &Known,
    diags: &mut Diagnostics,
) {
    if let Some(g) = group
        && !known.groups.contains(g)
    {
        diags.push(error_at(
            page,
            "group",
            format!("groupe « {g} » inconnu (aucun fichier groupes/{g}.md)"),
            suggestion_for(g, known.groups.iter().map(String::as_str)),
        ));
    }
    for t in themes {
        if !known.themes.contains(t) {
            diags.push(error_at(
                page,
                "themes",
                format!("thème « {t} » inconnu (absent de themes dans site.yaml)"),
                suggestion_for(t, known.themes.iter().map(String::as_str)),
            ));
        }
    }
    let from_draft = known.drafts.contains(&page.path);
    for link in &page.body.links {
        if known.pages.contains(&link.target) || (from_draft && known.drafts.contains(&link.target))
        {
            continue;
        }
        let (msg, hint) = if known.drafts.contains(&link.target) {
            (
                format!(
                    "le lien « {} » mène à un brouillon, absent du site publié",
                    link.written
                ),
                "publiez la page liée (retirez draft: true) ou retirez le lien".to_string(),
            )
        } else if urls::page_url(&link.target).is_none() {
            (
                format!("le lien « {} » ne mène pas à une page du site", link.written),
                "un lien interne désigne un article, un groupe, un événement, un programme ou un répertoire".to_string(),
            )
        } else {
            (
                format!("lien cassé : « {} » n'existe pas", link.written),
                near_paths(&link.target, known.pages.iter(), &page.path),
            )
        };
        diags.push(
            Diagnostic::error(&page.path, link.line, link.column, msg)
                .with_suggestion(hint)
                .with_source(&page.source),
        );
    }
    for img in &page.body.images {
        if !known.assets.contains(&img.target) {
            diags.push(
                Diagnostic::error(
                    &page.path,
                    img.line,
                    img.column,
                    format!("fichier introuvable : « {} »", img.written),
                )
                .with_suggestion(near_paths(&img.target, known.assets.iter(), &page.path))
                .with_source(&page.source),
            );
        }
    }
}

/// "vouliez-vous dire …" over paths, shown relative to the referring file.
fn near_paths<'a>(target: &str, all: impl Iterator<Item = &'a String>, from: &str) -> String {
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let candidates: Vec<String> = all.map(|p| relative_path(dir, p)).collect();
    let wanted = relative_path(dir, target);
    suggestion_for(&wanted, candidates.iter().map(String::as_str))
}

/// `to` written relative to the folder `dir`.
fn relative_path(dir: &str, to: &str) -> String {
    let d: Vec<&str> = dir.split('/').collect();
    let t: Vec<&str> = to.split('/').collect();
    let common = d.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; d.len() - common];
    parts.extend(&t[common..]);
    parts.join("/")
}

/// Required texts that YAML accepts empty (`title:` or `title: ""`).
fn check_blank_titles(site: &Site, diags: &mut Diagnostics) {
    /// `key` may be `french.name`: the line is the top-level key's.
    fn blank<F>(page: &Page<F>, key: &str, value: &str, diags: &mut Diagnostics) {
        if value.trim().is_empty() {
            let (top, leaf) = key.split_once('.').unwrap_or((key, key));
            let leaf = key.rsplit('.').next().unwrap_or(leaf);
            diags.push(error_at(
                page,
                top,
                format!("`{key}` est vide"),
                format!("écrivez le texte après « {leaf}: »"),
            ));
        }
    }
    for g in &site.groups {
        blank(g, "name", &g.front.name, diags);
    }
    for l in &site.letters {
        blank(&l.index, "title", &l.index.front.title, diags);
        for a in &l.articles {
            blank(a, "title", &a.front.title, diags);
        }
    }
    for e in &site.events {
        blank(e, "title", &e.front.title, diags);
    }
    for p in &site.programmes {
        blank(p, "title", &p.front.title, diags);
    }
    for d in &site.directories {
        blank(&d.index, "title", &d.index.front.title, diags);
        for p in &d.partnerships {
            blank(p, "french.name", &p.front.french.name, diags);
            blank(p, "partner.name", &p.front.partner.name, diags);
        }
    }
}

/// Titles are plain text: an HTML tag typed in one is shown as it is.
fn check_title_markup(site: &Site, diags: &mut Diagnostics) {
    fn tag<F>(page: &Page<F>, title: &str, diags: &mut Diagnostics) {
        let Some(at) = html_tag(title) else { return };
        diags.push(
            Diagnostic::warning(
                &page.path,
                page.line_of("title"),
                1,
                format!("le titre contient la balise HTML « {at} » : un titre est du texte simple, elle s'affichera telle quelle"),
            )
            .with_suggestion("retirez la balise ; la typographie (3e, exposants, espaces) est faite automatiquement")
            .with_source(&page.source),
        );
    }
    for l in &site.letters {
        tag(&l.index, &l.index.front.title, diags);
        for a in &l.articles {
            tag(a, &a.front.title, diags);
        }
    }
    for e in &site.events {
        tag(e, &e.front.title, diags);
    }
    for p in &site.programmes {
        tag(p, &p.front.title, diags);
    }
    for d in &site.directories {
        tag(&d.index, &d.index.front.title, diags);
    }
}

/// The first thing that looks like an HTML tag in `s`: `<b>`, `</i>`, `<br/>`.
fn html_tag(s: &str) -> Option<&str> {
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let name = after.strip_prefix('/').unwrap_or(after);
        if name.starts_with(|c: char| c.is_ascii_alphabetic())
            && let Some(end) = after.find('>')
            && !after[..end].contains('<')
        {
            return Some(&rest[i..i + end + 2]);
        }
        rest = after;
    }
    None
}

fn check_groups(site: &Site, diags: &mut Diagnostics) {
    for g in &site.groups {
        for c in &g.front.countries {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                diags.push(error_at(
                    g,
                    "countries",
                    format!("code pays « {c} » invalide"),
                    "utilisez le code ISO 3166-1 à deux lettres majuscules, par exemple MG".into(),
                ));
            }
        }
    }
}

fn check_letter(letter: &Letter, known: &Known, diags: &mut Diagnostics) {
    let idx = &letter.index;
    check_refs(idx, None, &[], known, diags);
    if idx.front.period.from > idx.front.period.to {
        diags.push(error_at(
            idx,
            "period",
            "la période se termine avant de commencer".into(),
            "period.from doit précéder period.to".into(),
        ));
    }
    for a in &letter.articles {
        let f = &a.front;
        check_refs(a, f.group.as_deref(), &f.themes, known, diags);
        if !known.sections.contains(&f.section) {
            diags.push(error_at(
                a,
                "section",
                format!(
                    "rubrique « {} » inconnue (absente de sections dans site.yaml)",
                    f.section
                ),
                suggestion_for(&f.section, known.sections.iter().map(String::as_str)),
            ));
        }
        check_image(a, known, diags);
        if f.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
            diags.push(
                Diagnostic::warning(
                    &a.path,
                    a.line_of("title"),
                    1,
                    "article sans résumé (summary) : l'e-mail, le flux Atom et les partages en prendront le début du texte",
                )
                .with_suggestion("ajoutez summary: \"une ou deux phrases\" qui donnent envie de lire l'article")
                .with_source(&a.source),
            );
        }
    }
}

fn check_image(a: &Page<ArticleFront>, known: &Known, diags: &mut Diagnostics) {
    let f = &a.front;
    let Some(image) = &f.image else {
        if f.image_alt.is_some() {
            diags.push(Diagnostic::warning(
                &a.path,
                a.line_of("image_alt"),
                1,
                "image_alt sans image : il sera ignoré",
            ));
        }
        return;
    };
    let dir = a.path.rsplit_once('/').map_or("content", |(d, _)| d);
    match urls::join_in_content(dir, image) {
        None => diags.push(error_at(
            a,
            "image",
            format!("l'image « {image} » sort du dossier content/"),
            "indiquez un chemin relatif au dossier de la lettre, par exemple images/photo.jpg"
                .into(),
        )),
        Some(target) if !known.assets.contains(&target) => diags.push(error_at(
            a,
            "image",
            format!("image introuvable : « {image} »"),
            near_paths(&target, known.assets.iter(), &a.path),
        )),
        Some(_) => {}
    }
    if f.image_alt.as_deref().is_none_or(|s| s.trim().is_empty()) {
        diags.push(error_at(
            a,
            "image",
            "image sans texte alternatif : image_alt est obligatoire avec image".into(),
            "ajoutez image_alt: \"ce que montre l'image\" (pour les lecteurs d'écran et les messageries qui bloquent les images)".into(),
        ));
    }
}

fn check_event(e: &Page<EventFront>, known: &Known, diags: &mut Diagnostics) {
    let f = &e.front;
    check_refs(e, f.group.as_deref(), &f.themes, known, diags);
    if let Some(p) = &f.programme
        && !known.programmes.contains(p)
    {
        let draft = known.drafts.contains(&format!("content/programmes/{p}.md"));
        if !draft {
            diags.push(error_at(
                e,
                "programme",
                format!("programme « {p} » inconnu (aucun fichier programmes/{p}.md)"),
                suggestion_for(p, known.programmes.iter().map(String::as_str)),
            ));
        } else if !known.drafts.contains(&e.path) {
            diags.push(error_at(
                e,
                "programme",
                format!("le programme « {p} » est un brouillon, absent du site publié"),
                "publiez le programme (retirez draft: true de programmes/…) ou mettez aussi cet événement en brouillon".into(),
            ));
        }
    }
    // A `start` that is written but invalid was reported when the file was
    // read: it is not also « missing ».
    let start_written = has_value(e, "start");
    match (f.start, f.end) {
        (None, _) if start_written => {}
        (None, _) if f.programme.is_none() => diags.push(error_at(
            e,
            "title",
            "la clé obligatoire `start` manque".into(),
            "ajoutez start: AAAA-MM-JJ (seule une séance de programme peut attendre sa date)"
                .into(),
        )),
        (None, Some(_)) => diags.push(error_at(
            e,
            "end",
            "`end` sans `start`".into(),
            "ajoutez start, ou retirez end tant que la date n'est pas fixée".into(),
        )),
        (Some(s), Some(end)) if end_before_start(s, end) => diags.push(error_at(
            e,
            "end",
            "la fin (end) précède le début (start)".into(),
            "vérifiez les dates : end doit être le même jour que start ou après".into(),
        )),
        _ => {}
    }
    for (key, w) in [("start", f.start), ("end", f.end)] {
        if let Some(When::At(dt)) = w
            && chrono::TimeZone::from_local_datetime(&chrono_tz::Europe::Paris, &dt)
                .earliest()
                .is_none()
        {
            diags.push(error_at(
                e,
                key,
                format!(
                    "l'heure {} n'existe pas à Paris ce jour-là (passage à l'heure d'été)",
                    dt.format("%Hh%M")
                ),
                "indiquez une heure avant 2h00 ou à partir de 3h00".into(),
            ));
        }
    }
}

/// Two events with the same file name would be published at the same
/// `/agenda/<slug>/` and share one calendar UID.
fn check_event_slugs(events: &[Page<EventFront>], diags: &mut Diagnostics) {
    let mut first: HashMap<&str, &str> = HashMap::new();
    for e in events {
        if let Some(other) = first.insert(&e.slug, &e.path) {
            first.insert(&e.slug, other);
            diags.push(
                Diagnostic::error(
                    &e.path,
                    1,
                    1,
                    format!("deux événements portent le nom « {} » : celui-ci et {other}", e.slug),
                )
                .with_suggestion("chaque événement est publié à /agenda/<nom-du-fichier>/ : renommez l'un des deux fichiers"),
            );
        }
    }
}

fn end_before_start(s: When, e: When) -> bool {
    match (s, e) {
        (When::At(a), When::At(b)) => b < a,
        _ => e.date() < s.date(),
    }
}

/// Print order: section order of `site.yaml`, then weight (unweighted last), then file name.
fn order_articles(site: &mut Site) {
    let pos: HashMap<&str, usize> = site
        .config
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    for l in &mut site.letters {
        l.articles.sort_by(|a, b| {
            let key = |p: &Page<ArticleFront>| {
                (
                    pos.get(p.front.section.as_str())
                        .copied()
                        .unwrap_or(usize::MAX),
                    p.front.weight.unwrap_or(i64::MAX),
                    p.slug.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
    }
    site.letters.sort_by(|a, b| a.id.cmp(&b.id));
    site.groups.sort_by(|a, b| a.slug.cmp(&b.slug));
}

fn build_index(site: &Site) -> Index {
    let mut index = Index::default();
    for (i, g) in site.groups.iter().enumerate() {
        index.group_pos.insert(g.slug.clone(), i);
        if let Some(b) = byline::byline(&g.front) {
            index.bylines.insert(g.slug.clone(), b);
        }
    }
    for (li, letter) in site.letters.iter().enumerate() {
        let mut sections: Vec<SectionLayout> = Vec::new();
        for (ai, a) in letter.articles.iter().enumerate() {
            let Some(sec) = site
                .config
                .sections
                .iter()
                .position(|s| s.id == a.front.section)
            else {
                continue;
            };
            if sections.last().is_none_or(|s| s.section != sec) {
                sections.push(SectionLayout {
                    section: sec,
                    runs: vec![],
                });
            }
            let runs = &mut sections.last_mut().expect("just pushed").runs;
            match runs.last_mut() {
                Some(r) if r.group == a.front.group => r.articles.push(ai),
                _ => runs.push(Run {
                    group: a.front.group.clone(),
                    articles: vec![ai],
                }),
            }
            if let Some(g) = &a.front.group {
                index
                    .group_articles
                    .entry(g.clone())
                    .or_default()
                    .push((li, ai));
            }
        }
        index.layouts.push(sections);
    }
    for list in index.group_articles.values_mut() {
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_in_titles() {
        assert_eq!(html_tag("Réunion <b>importante</b>"), Some("<b>"));
        assert_eq!(html_tag("Ligne<br/>deux"), Some("<br/>"));
        assert_eq!(html_tag("a < b et c > d"), None);
        assert_eq!(html_tag("« 3 < 4 »"), None);
    }

    #[test]
    fn relative_paths_for_suggestions() {
        assert_eq!(
            relative_path("content/lettres/2025-09", "content/lettres/2025-07/a.md"),
            "../2025-07/a.md"
        );
        assert_eq!(
            relative_path("content/lettres/2025-09", "content/lettres/2025-09/b.md"),
            "b.md"
        );
    }
}
