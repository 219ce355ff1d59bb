//! The search index of the répertoires (`/repertoire/index.json`): one
//! compact, columnar JSON file read by `repertoire.js`, with the text of each
//! partnership already folded (lower case, no accents) so the browser only
//! folds the query.

use std::collections::BTreeMap;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::render::RenderContext;
use crate::render::views::plain_excerpt;
use crate::resolve::repertoire::{FRENCH_TYPES, KINDS, STATUSES, label_of};

use super::views::{Entry, country_label};

/// Lower case, no diacritics, ligatures spelt out, typographic apostrophes
/// made plain: the same folding as `fold()` in `repertoire.js`.
pub fn fold(s: &str) -> String {
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

/// One filter: its values, as labels, in display order.
#[derive(Debug, Serialize)]
pub struct Facet {
    /// Key, also the column name in `items`.
    pub id: &'static str,
    /// "Pays".
    pub label: &'static str,
    /// Value labels; items refer to them by position.
    pub values: Vec<String>,
}

/// The whole index: facets and one column per field.
#[derive(Debug, Serialize)]
pub struct SearchIndex {
    /// Format version.
    pub version: u32,
    /// The filters.
    pub facets: Vec<Facet>,
    /// Number of partnerships.
    pub count: usize,
    /// Titles.
    pub title: Vec<String>,
    /// Page URLs.
    pub url: Vec<String>,
    /// One line under the title: type, region, kind, year.
    pub meta: Vec<String>,
    /// Folded searchable text: names, places, projects and history.
    pub text: Vec<String>,
    /// Facet `pays`: value position per item.
    pub pays: Vec<u32>,
    /// Facet `region`.
    pub region: Vec<u32>,
    /// Facet `type`.
    pub r#type: Vec<u32>,
    /// Facet `theme`: several values per item.
    pub theme: Vec<Vec<u32>>,
    /// Facet `statut`.
    pub statut: Vec<u32>,
}

/// Positions of values, in first-seen order, sorted afterwards by label.
struct Values(BTreeMap<String, u32>);

impl Values {
    fn id(&mut self, label: &str) -> u32 {
        let n = self.0.len() as u32;
        *self.0.entry(label.to_string()).or_insert(n)
    }

    /// Labels sorted (folded) and the renumbering old → new.
    fn finish(self) -> (Vec<String>, Vec<u32>) {
        let mut labels: Vec<(String, u32)> = self.0.into_iter().collect();
        labels.sort_by_cached_key(|(l, _)| fold(l));
        let mut map = vec![0; labels.len()];
        for (new, (_, old)) in labels.iter().enumerate() {
            map[*old as usize] = new as u32;
        }
        (labels.into_iter().map(|(l, _)| l).collect(), map)
    }
}

fn meta_line(e: &Entry<'_>) -> String {
    let f = &e.page.front;
    let mut parts: Vec<String> = vec![
        label_of(FRENCH_TYPES, &f.french.kind)
            .unwrap_or("")
            .to_string(),
    ];
    parts.push(e.region().to_string());
    if let Some(k) = f.kind.as_deref().and_then(|k| label_of(KINDS, k)) {
        parts.push(match f.since {
            Some(y) => format!("{k} depuis {y}"),
            None => k.to_string(),
        });
    } else if let Some(y) = f.since {
        parts.push(format!("depuis {y}"));
    }
    if e.status() == "en-sommeil" {
        parts.push("en sommeil".into());
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}

fn search_text(ctx: &RenderContext<'_>, e: &Entry<'_>, country: &str) -> String {
    let f = &e.page.front;
    let mut t: Vec<&str> = vec![&f.french.name, &f.partner.name, country];
    t.extend(f.french.department.as_deref());
    t.extend(f.partner.region.as_deref());
    t.extend(f.partner.kind.as_deref());
    t.extend(f.projects.iter().map(|p| p.title.as_str()));
    t.extend(
        f.themes
            .iter()
            .filter_map(|id| ctx.site.config.themes.get(id).map(String::as_str)),
    );
    let body = plain_excerpt(&e.page.body.html, usize::MAX);
    t.push(&body);
    fold(&t.join(" \u{1f} "))
}

/// Builds the index of `entries`.
pub fn index(ctx: &RenderContext<'_>, entries: &[Entry<'_>]) -> SearchIndex {
    let (mut pays, mut region, mut theme) = (
        Values(BTreeMap::new()),
        Values(BTreeMap::new()),
        Values(BTreeMap::new()),
    );
    let mut ix = SearchIndex {
        version: 1,
        facets: Vec::new(),
        count: entries.len(),
        title: Vec::with_capacity(entries.len()),
        url: Vec::with_capacity(entries.len()),
        meta: Vec::with_capacity(entries.len()),
        text: Vec::with_capacity(entries.len()),
        pays: Vec::with_capacity(entries.len()),
        region: Vec::with_capacity(entries.len()),
        r#type: Vec::with_capacity(entries.len()),
        theme: Vec::with_capacity(entries.len()),
        statut: Vec::with_capacity(entries.len()),
    };
    let mut countries: BTreeMap<&str, String> = BTreeMap::new();
    for e in entries {
        countries
            .entry(e.dir.slug.as_str())
            .or_insert_with(|| country_label(ctx, e.dir));
    }
    // The texts (most of the cost: each body made plain and folded) side
    // by side; the facets' numbering below stays in order.
    use rayon::prelude::*;
    let texts: Vec<(String, String, String, String)> = entries
        .par_iter()
        .map(|e| {
            let country = &countries[e.dir.slug.as_str()];
            (
                e.title(),
                ctx.url(&e.path()),
                meta_line(e),
                search_text(ctx, e, country),
            )
        })
        .collect();
    for (title, url, meta, text) in texts {
        ix.title.push(title);
        ix.url.push(url);
        ix.meta.push(meta);
        ix.text.push(text);
    }
    for e in entries {
        let country = &countries[e.dir.slug.as_str()];
        ix.pays.push(pays.id(country));
        ix.region.push(region.id(e.region()));
        let f = &e.page.front;
        let t = FRENCH_TYPES.iter().position(|(i, _)| *i == f.french.kind);
        ix.r#type.push(t.unwrap_or(FRENCH_TYPES.len() - 1) as u32);
        let mut th: Vec<u32> = f
            .themes
            .iter()
            .filter_map(|id| ctx.site.config.themes.get(id))
            .map(|l| theme.id(l))
            .collect();
        th.sort_unstable();
        th.dedup();
        ix.theme.push(th);
        let s = STATUSES.iter().position(|(i, _)| *i == e.status());
        ix.statut.push(s.unwrap_or(0) as u32);
    }
    let (pays_v, pays_map) = pays.finish();
    let (region_v, region_map) = region.finish();
    let (theme_v, theme_map) = theme.finish();
    ix.pays.iter_mut().for_each(|v| *v = pays_map[*v as usize]);
    ix.region
        .iter_mut()
        .for_each(|v| *v = region_map[*v as usize]);
    for list in &mut ix.theme {
        list.iter_mut().for_each(|v| *v = theme_map[*v as usize]);
        list.sort_unstable();
    }
    let labels = |v: &[(&str, &str)]| v.iter().map(|(_, l)| l.to_string()).collect();
    ix.facets = vec![
        facet("pays", "Pays", pays_v),
        facet("region", "Région française", region_v),
        facet("type", "Type de collectivité", labels(FRENCH_TYPES)),
        facet("theme", "Thème", theme_v),
        facet("statut", "Statut", labels(STATUSES)),
    ];
    ix
}

fn facet(id: &'static str, label: &'static str, values: Vec<String>) -> Facet {
    Facet { id, label, values }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_accents_case_and_ligatures() {
        assert_eq!(fold("Île-de-France"), "ile-de-france");
        assert_eq!(fold("Hokkaidō ŒUVRE"), "hokkaido oeuvre");
        assert_eq!(fold("Côte d’Azur"), "cote d'azur");
        assert_eq!(fold("SÉNÉGAL"), "senegal");
    }
}
