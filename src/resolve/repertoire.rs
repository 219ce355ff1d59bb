//! Checks of the répertoires: the vocabularies of partnerships (authority
//! types, kinds, statuses), plausible start years, ISO 3166-1 country codes
//! and French regions. Themes, groups and links are checked by `resolve`.

use crate::diagnostics::{Diagnostic, Diagnostics, suggestion_for};
use crate::model::{Directory, Page, PartnershipFront, Site};

/// Types of French local authority, `id` and label.
pub const FRENCH_TYPES: &[(&str, &str)] = &[
    ("commune", "Commune"),
    ("epci", "Intercommunalité (EPCI)"),
    ("departement", "Département"),
    ("region", "Région"),
    ("autre", "Autre collectivité ou groupement"),
];

/// Kinds of partnership, `id` and label.
pub const KINDS: &[(&str, &str)] = &[
    ("jumelage", "Jumelage"),
    ("cooperation", "Coopération décentralisée"),
    ("amitie", "Pacte d’amitié"),
    ("autre", "Autre forme de partenariat"),
];

/// Statuses of a partnership, `id` and label; the first is the default.
pub const STATUSES: &[(&str, &str)] = &[("active", "Actif"), ("en-sommeil", "En sommeil")];

/// The 18 regions of France (13 in Europe, 5 overseas), as written on maps.
pub const FRENCH_REGIONS: &[&str] = &[
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Guadeloupe",
    "Guyane",
    "Martinique",
    "La Réunion",
    "Mayotte",
];

/// The officially assigned ISO 3166-1 alpha-2 codes (249), in order.
const ISO_3166_1: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM \
PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The earliest plausible start of a partnership (the first post-war twinnings).
pub const FIRST_YEAR: i32 = 1945;

/// Every assigned ISO 3166-1 alpha-2 code.
pub fn iso_countries() -> impl Iterator<Item = &'static str> + Clone {
    ISO_3166_1.split_ascii_whitespace()
}

/// True when `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_iso_country(code: &str) -> bool {
    code.len() == 2 && iso_countries().any(|c| c == code)
}

/// The label of `id` in a vocabulary.
pub fn label_of(vocab: &[(&'static str, &'static str)], id: &str) -> Option<&'static str> {
    vocab.iter().find(|(i, _)| *i == id).map(|(_, l)| *l)
}

/// Checks every directory of `site`; `this_year` bounds `since`.
pub fn check(site: &Site, this_year: i32, diags: &mut Diagnostics) {
    for d in &site.directories {
        check_directory(d, diags);
        for p in &d.partnerships {
            check_partnership(d, p, this_year, diags);
        }
    }
}

/// Where `parent.key` is written (line, column), or the parent's position.
pub fn nested_position<F>(page: &Page<F>, parent: &str, key: &str) -> (u32, u32) {
    let start = page.line_of(parent);
    let lines: Vec<&str> = page.source.lines().collect();
    let first = start as usize - 1;
    let needle = format!("{key}:");
    for (i, line) in lines.iter().enumerate().skip(first) {
        if i > first && (line.trim_start() == *line || line.trim() == "---") {
            break;
        }
        let body = if i == first {
            line.split_once(':').map_or("", |(_, r)| r)
        } else {
            line
        };
        if let Some(at) = find_key(body, &needle) {
            let after = line.len() - body.len() + at + needle.len();
            let rest = &line[after..];
            let pad = rest.len() - rest.trim_start().len();
            return (i as u32 + 1, (after + pad) as u32 + 1);
        }
    }
    (start, 1)
}

/// Position of `needle` as a key (at the start or after `{`, `,` or spaces).
fn find_key(s: &str, needle: &str) -> Option<usize> {
    s.match_indices(needle)
        .find(|(i, _)| {
            s[..*i]
                .chars()
                .next_back()
                .is_none_or(|c| c == ' ' || c == '{' || c == ',' || c == '-')
        })
        .map(|(i, _)| i)
}

fn at<F>(page: &Page<F>, pos: (u32, u32), message: String, hint: String) -> Diagnostic {
    Diagnostic::error(&page.path, pos.0, pos.1, message)
        .with_suggestion(hint)
        .with_source(&page.source)
}

fn top<F>(page: &Page<F>, key: &str) -> (u32, u32) {
    let line = page.line_of(key);
    let col = page
        .source
        .lines()
        .nth(line as usize - 1)
        .and_then(|l| l.find(':'))
        .map_or(1, |c| c as u32 + 3);
    (line, col)
}

fn country_error<F>(page: &Page<F>, pos: (u32, u32), code: &str) -> Diagnostic {
    let upper = code.trim().to_ascii_uppercase();
    let hint = if is_iso_country(&upper) {
        format!("écrivez le code en majuscules : {upper}")
    } else {
        let near = suggestion_for(&upper, iso_countries());
        if upper.len() != 2 && near.starts_with("vouliez") {
            near
        } else {
            "utilisez un code ISO 3166-1 alpha-2, par exemple JP (Japon), MG (Madagascar), SN (Sénégal)".into()
        }
    };
    at(
        page,
        pos,
        format!("code pays « {code} » invalide : ce n'est pas un code ISO 3166-1 alpha-2"),
        hint,
    )
}

fn check_directory(d: &Directory, diags: &mut Diagnostics) {
    let idx = &d.index;
    let f = &idx.front;
    if d.slug == "collectivites" {
        diags.push(at(
            idx,
            (1, 1),
            "le dossier repertoire/collectivites/ est réservé à la liste des collectivités françaises".into(),
            "renommez le dossier du répertoire d'après le pays, par exemple repertoire/japon/".into(),
        ));
    }
    if f.country.is_none() && f.countries.is_empty() {
        diags.push(at(
            idx,
            top(idx, "title"),
            "le pays du répertoire manque".into(),
            "ajoutez country: XX (code ISO 3166-1, par exemple JP), ou countries: [AR, CO] pour un répertoire régional".into(),
        ));
    }
    if let Some(c) = &f.country
        && !is_iso_country(c)
    {
        diags.push(country_error(idx, top(idx, "country"), c));
    }
    for c in &f.countries {
        if !is_iso_country(c) {
            diags.push(country_error(idx, top(idx, "countries"), c));
        }
    }
    if let Some(e) = &f.edition
        && chrono::NaiveDate::parse_from_str(&format!("{e}-01"), "%Y-%m-%d").is_err()
    {
        diags.push(at(
            idx,
            top(idx, "edition"),
            format!("édition « {e} » invalide"),
            "écrivez l'année et le mois de l'édition : edition: \"2025-02\"".into(),
        ));
    }
}

fn vocab_error(
    page: &Page<PartnershipFront>,
    pos: (u32, u32),
    what: &str,
    value: &str,
    vocab: &[(&'static str, &'static str)],
) -> Diagnostic {
    at(
        page,
        pos,
        format!("{what} « {value} » inconnu"),
        suggestion_for(value, vocab.iter().map(|(i, _)| *i)),
    )
}

fn check_partnership(
    d: &Directory,
    p: &Page<PartnershipFront>,
    this_year: i32,
    diags: &mut Diagnostics,
) {
    let f = &p.front;
    if label_of(FRENCH_TYPES, &f.french.kind).is_none() {
        let pos = nested_position(p, "french", "type");
        let what = "type de collectivité française";
        diags.push(vocab_error(p, pos, what, &f.french.kind, FRENCH_TYPES));
    }
    if let Some(k) = &f.kind
        && label_of(KINDS, k).is_none()
    {
        diags.push(vocab_error(
            p,
            top(p, "kind"),
            "type de partenariat",
            k,
            KINDS,
        ));
    }
    if let Some(s) = &f.status
        && label_of(STATUSES, s).is_none()
    {
        diags.push(vocab_error(p, top(p, "status"), "statut", s, STATUSES));
    }
    if let Some(y) = f.since
        && !(FIRST_YEAR..=this_year).contains(&y)
    {
        diags.push(at(
            p,
            top(p, "since"),
            format!("année de début {y} invraisemblable"),
            format!(
                "indiquez l'année où le partenariat a commencé, entre {FIRST_YEAR} et {this_year}"
            ),
        ));
    }
    if let Some(c) = &f.partner.country {
        if !is_iso_country(c) {
            let pos = nested_position(p, "partner", "country");
            diags.push(country_error(p, pos, c));
        }
    } else if d.index.front.country.is_none() && d.index.front.countries.len() > 1 {
        diags.push(at(
            p,
            top(p, "partner"),
            "pays du partenaire manquant : ce répertoire couvre plusieurs pays".into(),
            format!(
                "ajoutez partner.country, l'un de : {}",
                d.index.front.countries.join(", ")
            ),
        ));
    }
    // Typography at load writes « Côte d’Azur » with the typographic apostrophe.
    if let Some(r) = &f.french.region
        && !FRENCH_REGIONS.contains(&r.replace('\u{2019}', "'").as_str())
    {
        let pos = nested_position(p, "french", "region");
        diags.push(
            Diagnostic::warning(
                &p.path,
                pos.0,
                pos.1,
                format!("région française « {r} » inconnue : elle formera un filtre à part"),
            )
            .with_suggestion(suggestion_for(r, FRENCH_REGIONS.iter().copied()))
            .with_source(&p.source),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Arc;

    #[test]
    fn the_official_list_has_249_codes() {
        assert_eq!(iso_countries().count(), 249);
        let mut v: Vec<&str> = iso_countries().collect();
        v.dedup();
        assert_eq!(v.len(), 249);
        assert!(v.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
        assert!(is_iso_country("JP") && is_iso_country("SS") && !is_iso_country("XK"));
        assert!(!is_iso_country("jp") && !is_iso_country("UK") && !is_iso_country("FRA"));
    }

    fn page(source: &str, keys: &[(&str, u32)]) -> Page<()> {
        Page {
            path: "content/x.md".into(),
            slug: "x".into(),
            front: Default::default(),
            body: Default::default(),
            key_lines: Arc::new(
                keys.iter()
                    .map(|(k, l)| (k.to_string(), *l))
                    .collect::<BTreeMap<_, _>>(),
            ),
            source: Arc::from(source),
        }
    }

    #[test]
    fn nested_keys_are_located() {
        let src = "---\nfrench:\n  name: A\n  type: comune\npartner:\n  type: x\n---\n";
        let p = page(src, &[("french", 2), ("partner", 5)]);
        assert_eq!(nested_position(&p, "french", "type"), (4, 9));
        assert_eq!(nested_position(&p, "partner", "type"), (6, 9));
        let flow = "---\nfrench: {name: A, type: comune}\n---\n";
        let p = page(flow, &[("french", 2)]);
        assert_eq!(nested_position(&p, "french", "type"), (2, 25));
        assert_eq!(nested_position(&p, "french", "region"), (2, 1));
    }
}
