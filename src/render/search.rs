//! Search across the whole site with Pagefind, made in-process with the
//! `pagefind` crate, as two bundles: `/pagefind/` holds the articles of
//! every letter, the events, the programmes and the groups;
//! `/repertoire/pagefind/` the partnerships. The répertoire's page searches
//! the second alone (a reader there downloads no article's index), and
//! `/recherche/` both, merged in the browser. The two are made side by side.
//!
//! Each page is given to Pagefind as a custom record (its plain text, its
//! title and info line, its filters), not as HTML: cufpress already has the
//! text, and Pagefind's HTML parse of 20,000 rendered pages is most of its
//! cost. The records' BLAKE3 hash keys a cache (`.cufpress-cache/recherche/`):
//! when no indexed text changed, the index is read back, not made again.
//! `serve` publishes the records at `pagefind/pagefind.js` and makes the
//! index on the first request for it ([`serve_files`]).
//!
//! The reader-facing UI is `themes/cuf/static/recherche.js`, on `/recherche/`
//! and on the répertoire's page; Pagefind's own UI files are not published.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::GroupKind;
use crate::render::repertoire::views::{Entry, country_label, entries};
use crate::render::views::plain_excerpt;
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink};
use crate::resolve::repertoire::{FRENCH_TYPES, KINDS, STATUSES, label_of};
use crate::urls;

/// Where the site's bundle is published.
pub const DIR: &str = "pagefind";

/// Where the répertoire's bundle is published.
pub const REPERTOIRE_DIR: &str = "repertoire/pagefind";

/// Changes whenever the same records would give other files.
pub const ENGINE_VERSION: &str = concat!(
    "cufpress-recherche-1 pagefind-1.6.0 ",
    env!("CARGO_PKG_VERSION")
);

/// What `serve` publishes at `<bundle>/pagefind.js` until it is asked for.
pub const RECORDS_MAGIC: &[u8] = b"\0cufpress-recherche\0";

/// The filters, in display order: key (as Pagefind knows it) and label.
/// `recherche.js` reads the same list from the page (`data-filtres`).
pub const FILTERS: &[(&str, &str)] = &[
    ("genre", "Type de page"),
    ("rubrique", "Rubrique"),
    ("groupe", "Groupe"),
    ("annee", "Année"),
    ("pays", "Pays"),
    ("region", "Région française"),
    ("type", "Type de collectivité"),
    ("theme", "Thème"),
    ("statut", "Statut"),
    ("nature", "Nature du partenariat"),
];

/// The filters the répertoire's search shows (the kind is fixed there).
pub const PARTNERSHIP_FILTERS: &[&str] = &["pays", "region", "type", "theme", "statut", "nature"];

/// The value of `genre` for partnerships.
pub const PARTNERSHIP: &str = "Partenariat";

/// One page as Pagefind indexes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Its URL, base path included.
    pub url: String,
    /// Plain text: what a query matches and excerpts come from.
    pub content: String,
    /// `title` and `info` (the line under the title in a result).
    pub meta: BTreeMap<String, String>,
    /// Filter key → values.
    pub filters: BTreeMap<String, Vec<String>>,
}

fn record(url: String, title: String, info: String, content: String) -> Record {
    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), title);
    if !info.is_empty() {
        meta.insert("info".to_string(), info);
    }
    Record {
        url,
        content,
        meta,
        filters: BTreeMap::new(),
    }
}

impl Record {
    fn filter(mut self, key: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.trim().is_empty() {
            let v = self.filters.entry(key.to_string()).or_default();
            if !v.contains(&value) {
                v.push(value);
            }
        }
        self
    }
}

/// The records of the site's bundle, in a fixed order.
pub fn site_records(ctx: &RenderContext<'_>) -> Vec<Record> {
    let site = ctx.site;
    let group_name = |slug: &Option<String>| {
        slug.as_ref()
            .and_then(|s| ctx.index.group_pos.get(s))
            .map(|&p| site.groups[p].front.name.clone())
    };
    let mut out = Vec::new();
    // Articles, issue by issue.
    let articles: Vec<Record> = site
        .letters
        .par_iter()
        .flat_map_iter(|letter| {
            let issue = &letter.index.front;
            let year = issue.date.0.format("%Y").to_string();
            let number = issue
                .number
                .map(|n| format!("La Lettre n° {n}"))
                .unwrap_or_else(|| site.config.letter_title.clone());
            let when = crate::dates::month_label(issue.date.0);
            letter.articles.iter().map(move |a| {
                let f = &a.front;
                let section = site
                    .config
                    .sections
                    .iter()
                    .find(|s| s.id == f.section)
                    .map(|s| s.title.clone())
                    .unwrap_or_default();
                let group = group_name(&f.group);
                let info = [number.as_str(), when.as_str(), section.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let mut text = vec![f.title.clone()];
                text.extend(f.summary.clone());
                text.push(plain_excerpt(&a.body.html, usize::MAX));
                let url = ctx.url(&urls::page_url(&a.path).unwrap_or_default());
                let mut r = record(url, f.title.clone(), info, text.join("\n"))
                    .filter("genre", "Article")
                    .filter("rubrique", section)
                    .filter("annee", year.clone());
                if let Some(g) = group {
                    r = r.filter("groupe", g);
                }
                r
            })
        })
        .collect();
    out.extend(articles);
    for e in &site.events {
        let f = &e.front;
        let mut info = Vec::new();
        if let Some(s) = &f.start {
            info.push(crate::dates::long_date(s.date()));
        }
        info.extend(f.place.clone());
        let mut text = vec![f.title.clone()];
        text.extend(f.subtitle.clone());
        text.extend(f.place.clone());
        text.push(plain_excerpt(&e.body.html, usize::MAX));
        let url =
            ctx.url(&urls::page_url(&e.path).unwrap_or_else(|| format!("/agenda/{}/", e.slug)));
        let mut r = record(url, f.title.clone(), info.join(" · "), text.join("\n"))
            .filter("genre", "Événement");
        if let Some(s) = &f.start {
            r = r.filter("annee", s.date().format("%Y").to_string());
        }
        if let Some(g) = group_name(&f.group) {
            r = r.filter("groupe", g);
        }
        out.push(r);
    }
    for p in &site.programmes {
        let f = &p.front;
        let text = [f.title.clone(), plain_excerpt(&p.body.html, usize::MAX)].join("\n");
        let url = ctx.url(&urls::page_url(&p.path).unwrap_or_default());
        let info = f.edition.clone().unwrap_or_default();
        out.push(record(url, f.title.clone(), info, text).filter("genre", "Programme"));
    }
    for g in &site.groups {
        let f = &g.front;
        let kind = match f.kind {
            GroupKind::Pays => "Groupe-pays",
            GroupKind::Thematique => "Dynamique thématique",
            GroupKind::Regionale => "Dynamique régionale",
        };
        let text = [f.name.clone(), plain_excerpt(&g.body.html, usize::MAX)].join("\n");
        let url = ctx.url(&urls::page_url(&g.path).unwrap_or_default());
        out.push(
            record(url, f.name.clone(), kind.to_string(), text)
                .filter("genre", "Groupe")
                .filter("groupe", f.name.clone()),
        );
    }
    out
}

/// The records of the répertoire's bundle: every partnership.
pub fn repertoire_records(ctx: &RenderContext<'_>) -> Vec<Record> {
    let all = entries(&ctx.site.directories);
    let countries: BTreeMap<&str, String> = ctx
        .site
        .directories
        .iter()
        .map(|d| (d.slug.as_str(), country_label(ctx, d)))
        .collect();
    all.par_iter()
        .map(|e| partnership(ctx, e, &countries[e.dir.slug.as_str()]))
        .collect()
}

fn partnership(ctx: &RenderContext<'_>, e: &Entry<'_>, country: &str) -> Record {
    let f = &e.page.front;
    let kind = label_of(FRENCH_TYPES, &f.french.kind).unwrap_or("");
    let nature = f.kind.as_deref().and_then(|k| label_of(KINDS, k));
    let status = label_of(STATUSES, e.status()).unwrap_or("");
    let mut info = vec![
        country.to_string(),
        kind.to_string(),
        e.region().to_string(),
    ];
    match (nature, f.since) {
        (Some(k), Some(y)) => info.push(format!("{k} depuis {y}")),
        (Some(k), None) => info.push(k.to_string()),
        (None, Some(y)) => info.push(format!("depuis {y}")),
        (None, None) => {}
    }
    if e.status() == "en-sommeil" {
        info.push("en sommeil".into());
    }
    info.retain(|s| !s.is_empty());
    let themes: Vec<&String> = f
        .themes
        .iter()
        .filter_map(|id| ctx.site.config.themes.get(id))
        .collect();
    let mut text: Vec<&str> = vec![&f.french.name, &f.partner.name, country];
    text.extend(f.french.department.as_deref());
    text.extend(f.partner.region.as_deref());
    text.extend(f.partner.kind.as_deref());
    text.extend(f.projects.iter().map(|p| p.title.as_str()));
    text.extend(themes.iter().map(|s| s.as_str()));
    let body = plain_excerpt(&e.page.body.html, usize::MAX);
    text.push(&body);
    let mut r = record(
        ctx.url(&e.path()),
        e.title(),
        info.join(" · "),
        text.join("\n"),
    )
    .filter("genre", PARTNERSHIP)
    .filter("pays", country)
    .filter("region", e.region())
    .filter("type", kind)
    .filter("statut", status);
    if let Some(k) = nature {
        r = r.filter("nature", k);
    }
    for t in themes {
        r = r.filter("theme", t.clone());
    }
    r
}

/// The records' cache key.
fn key(records: &[Record]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(ENGINE_VERSION.as_bytes());
    h.update(&[0]);
    h.update(
        serde_json::to_string(records)
            .unwrap_or_default()
            .as_bytes(),
    );
    h.finalize().to_hex()[..32].to_string()
}

/// The cache folder of the site at `root`.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".cufpress-cache").join("recherche")
}

/// The files Pagefind makes of `records`, paths under `dir`.
pub fn index_files(records: &[Record], dir: &str) -> Result<Vec<Output>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language("fr".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for r in records {
            index
                .add_custom_record(
                    r.url.clone(),
                    r.content.clone(),
                    "fr".to_string(),
                    Some(r.meta.clone()),
                    Some(r.filters.clone()),
                    None,
                )
                .await
                .map_err(|e| e.to_string())?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        let mut out: Vec<Output> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                // Pagefind's ready-made UIs: recherche.js is ours, in French.
                let ui = name.starts_with("pagefind-ui")
                    || name.starts_with("pagefind-modular-ui")
                    || name.starts_with("pagefind-component-ui")
                    || name.starts_with("pagefind-highlight");
                (!ui).then(|| Output {
                    path: format!("{dir}/{name}"),
                    bytes: f.contents,
                })
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    })
}

/// Files in a cache entry: `u32` count, then per file `u32` path length,
/// path, `u64` byte length, bytes (little-endian).
fn pack(files: &[Output]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend((files.len() as u32).to_le_bytes());
    for f in files {
        v.extend((f.path.len() as u32).to_le_bytes());
        v.extend(f.path.as_bytes());
        v.extend((f.bytes.len() as u64).to_le_bytes());
        v.extend(&f.bytes);
    }
    v
}

fn unpack(mut b: &[u8]) -> Option<Vec<Output>> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if b.len() < n {
            return None;
        }
        let (h, t) = b.split_at(n);
        *b = t;
        Some(h)
    }
    let n = u32::from_le_bytes(take(&mut b, 4)?.try_into().ok()?) as usize;
    let mut out = Vec::with_capacity(n.min(100_000));
    for _ in 0..n {
        let l = u32::from_le_bytes(take(&mut b, 4)?.try_into().ok()?) as usize;
        let path = String::from_utf8(take(&mut b, l)?.to_vec()).ok()?;
        let l = u64::from_le_bytes(take(&mut b, 8)?.try_into().ok()?) as usize;
        let bytes = take(&mut b, l)?.to_vec();
        out.push(Output { path, bytes });
    }
    b.is_empty().then_some(out)
}

/// The bundle of `records` at `dir`, read from the cache when it holds
/// it; made (and, when `writable`, kept in the cache in place of the
/// bundle's older entries) otherwise.
pub fn cached(
    records: &[Record],
    dir: &str,
    cache: Option<(&Path, bool)>,
) -> Result<Vec<Output>, String> {
    let cache = cache.map(|(d, w)| (d.join(dir.replace('/', "-")), w));
    let cache = cache.as_ref().map(|(d, w)| (d.as_path(), *w));
    let k = key(records);
    let file = cache.map(|(dir, _)| dir.join(format!("{k}.index")));
    if let Some(files) = file
        .as_ref()
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|b| unpack(&b))
    {
        return Ok(files);
    }
    let files = index_files(records, dir)?;
    if let (Some((dir, true)), Some(file)) = (cache, &file)
        && std::fs::create_dir_all(dir).is_ok()
    {
        let tmp = dir.join(format!("{k}.tmp"));
        if std::fs::write(&tmp, pack(&files)).is_ok() && std::fs::rename(&tmp, file).is_ok() {
            // Older entries are ours (named `<hash>.index`): keep one.
            if let Ok(rd) = std::fs::read_dir(dir) {
                for e in rd.flatten() {
                    let p = e.path();
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    let ours = name.len() == 32 + ".index".len()
                        && name.ends_with(".index")
                        && name[..32].bytes().all(|c| c.is_ascii_hexdigit());
                    if ours && &p != file {
                        let _ = std::fs::remove_file(p);
                    }
                }
            }
        }
    }
    Ok(files)
}

/// In `serve`: the bundle whose records were published at `key`
/// (`<bundle>/pagefind.js`, see [`RECORDS_MAGIC`]), through the site's
/// cache. None when `bytes` are not such records.
pub fn serve_files(key: &str, bytes: &[u8], root: &Path) -> Option<Result<Vec<Output>, String>> {
    let json = bytes.strip_prefix(RECORDS_MAGIC)?;
    let dir = key.strip_suffix("/pagefind.js")?;
    let records: Vec<Record> = serde_json::from_slice(json).ok()?;
    Some(cached(&records, dir, Some((&cache_dir(root), true))))
}

fn failure(message: String) -> Diagnostic {
    Diagnostic::error(
        "public/pagefind/".to_string(),
        0,
        0,
        "l'index de recherche n'a pas pu être fabriqué",
    )
    .with_suggestion(format!(
        "relancez la fabrication ; si l'erreur revient, transmettez ce message à l'équipe technique : {message}"
    ))
}

/// Filter key → its values in display order (years newest first, the
/// rest alphabetically as in French).
pub type Values = BTreeMap<String, Vec<String>>;

fn sorted(mut v: Values) -> Values {
    for (k, list) in v.iter_mut() {
        list.sort_by_cached_key(|s| crate::render::repertoire::views::fold(s));
        list.dedup();
        if k == "annee" {
            list.reverse();
        }
    }
    v
}

/// The values of the records' filters.
fn values_of(records: &[&[Record]]) -> Values {
    let mut v = Values::new();
    for r in records.iter().flat_map(|r| r.iter()) {
        for (k, vals) in &r.filters {
            let list = v.entry(k.clone()).or_default();
            for x in vals {
                if !list.contains(x) {
                    list.push(x.clone());
                }
            }
        }
    }
    sorted(v)
}

/// The values of the partnerships' filters, from the model (what
/// [`repertoire_records`] would find, without making their texts).
pub fn partnership_values(ctx: &RenderContext<'_>) -> Values {
    let mut v = Values::new();
    let mut add = |k: &str, x: &str| {
        if x.trim().is_empty() {
            return;
        }
        let list = v.entry(k.to_string()).or_default();
        if !list.iter().any(|y| y == x) {
            list.push(x.to_string());
        }
    };
    for d in &ctx.site.directories {
        let country = country_label(ctx, d);
        for page in &d.partnerships {
            let e = Entry { dir: d, page };
            let f = &page.front;
            add("pays", &country);
            add("region", e.region());
            add("type", label_of(FRENCH_TYPES, &f.french.kind).unwrap_or(""));
            add("statut", label_of(STATUSES, e.status()).unwrap_or(""));
            if let Some(k) = f.kind.as_deref().and_then(|k| label_of(KINDS, k)) {
                add("nature", k);
            }
            for t in f
                .themes
                .iter()
                .filter_map(|id| ctx.site.config.themes.get(id))
            {
                add("theme", t);
            }
        }
    }
    sorted(v)
}

/// The filters as `recherche.js` reads them (`data-filtres`): key, label,
/// values; only the filters in `keys` (all when None) that have values.
fn filters_json(values: &Values, keys: Option<&[&str]>) -> String {
    let list: Vec<(&str, &str, &Vec<String>)> = FILTERS
        .iter()
        .filter(|(k, _)| keys.is_none_or(|ks| ks.contains(k)))
        .filter_map(|(k, l)| values.get(*k).map(|v| (*k, *l, v)))
        .collect();
    serde_json::to_string(&list).unwrap_or_default()
}

/// The filters of the répertoire's search, for its template.
pub fn partnership_filters_json(ctx: &RenderContext<'_>) -> String {
    filters_json(&partnership_values(ctx), Some(PARTNERSHIP_FILTERS))
}

/// `/recherche/`: the search box over the whole site. Without JavaScript
/// it offers the ways in that need none: the archive, the agenda, the
/// répertoires by country and the groups.
fn search_page(
    ctx: &RenderContext<'_>,
    values: &Values,
    has_site: bool,
    has_repertoire: bool,
) -> Result<Output, Diagnostic> {
    let m = crate::render::web::meta(
        ctx,
        "Rechercher",
        "Rechercher dans tout le site de Cités Unies France\u{a0}: les articles de La Lettre, l’agenda, les programmes, les groupes et les partenariats des répertoires.",
        "/recherche/",
        "recherche",
    );
    let directories: Vec<crate::render::repertoire::DirectoryLink<'_>> = ctx
        .site
        .directories
        .iter()
        .map(|d| crate::render::repertoire::DirectoryLink {
            title: &d.index.front.title,
            url: ctx.url(&format!("/repertoire/{}/", d.slug)),
            count: d.partnerships.len(),
            pdf_url: None,
        })
        .collect();
    crate::render::web::page(ctx, "recherche.html", "recherche/", m, |c| {
        c.insert("filters", &filters_json(values, None));
        // The bundles that have pages: the first is loaded, the second merged.
        let bundles: Vec<String> = [(DIR, has_site), (REPERTOIRE_DIR, has_repertoire)]
            .into_iter()
            .filter(|(_, has)| *has)
            .map(|(d, _)| ctx.url(&format!("/{d}/")))
            .collect();
        c.insert("pagefind_url", &bundles.first());
        c.insert("merge_url", &bundles.get(1));
        c.insert("directories", &directories);
    })
}

/// Writes the site's search page and index.
pub struct SearchRenderer;

impl Renderer for SearchRenderer {
    fn name(&self) -> &'static str {
        "search"
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        if !ctx.search_index {
            return Ok(Vec::new());
        }
        let cache = ctx.search_cache.as_deref().map(|d| (d, true));
        let (site, repertoire) = crate::timings::stage("search: records", || {
            rayon::join(|| site_records(ctx), || repertoire_records(ctx))
        });
        let values = values_of(&[&site, &repertoire]);
        out.put(
            search_page(ctx, &values, !site.is_empty(), !repertoire.is_empty())
                .map_err(|d| vec![d])?,
        );
        let bundle = |dir: &str, records: &[Record]| -> Rendered {
            if records.is_empty() {
                return Ok(Vec::new());
            }
            if ctx.pdf.mode == crate::render::pdf::Mode::Lazy {
                let mut bytes = RECORDS_MAGIC.to_vec();
                bytes.extend(serde_json::to_vec(records).unwrap_or_default());
                out.put(Output {
                    path: format!("{dir}/pagefind.js"),
                    bytes,
                });
                return Ok(Vec::new());
            }
            let files =
                crate::timings::stage(&format!("search: {dir}"), || cached(records, dir, cache))
                    .map_err(|m| vec![failure(m)])?;
            for f in files {
                out.put(f);
            }
            Ok(Vec::new())
        };
        let (a, b) = rayon::join(
            || bundle(DIR, &site),
            || bundle(REPERTOIRE_DIR, &repertoire),
        );
        a?;
        b?;
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_entry_reads_back_what_was_packed() {
        let files = vec![
            Output {
                path: "pagefind/a.pf_meta".into(),
                bytes: vec![1, 2, 3],
            },
            Output {
                path: "pagefind/é.js".into(),
                bytes: Vec::new(),
            },
        ];
        let back = unpack(&pack(&files)).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].path, "pagefind/a.pf_meta");
        assert_eq!(back[0].bytes, vec![1, 2, 3]);
        assert_eq!(back[1].path, "pagefind/é.js");
        // A truncated entry is not trusted.
        let packed = pack(&files);
        assert!(unpack(&packed[..packed.len() - 1]).is_none());
    }

    #[test]
    fn pagefind_indexes_a_record_with_its_filters() {
        let r = record(
            "/cuf/repertoire/japon/a/".into(),
            "Ville de Lyon – Yokohama".into(),
            "Japon".into(),
            "Échanges scolaires et maraîchage".into(),
        )
        .filter("genre", PARTNERSHIP)
        .filter("pays", "Japon");
        let files = index_files(&[r], DIR).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".pf_filter")), "{names:?}");
        assert!(
            names.iter().any(|n| n.ends_with(".pf_fragment")),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| n.contains("-ui")), "{names:?}");
        // Deterministic: the same records give the same bytes.
        let again = index_files(
            &[record(
                "/cuf/repertoire/japon/a/".into(),
                "Ville de Lyon – Yokohama".into(),
                "Japon".into(),
                "Échanges scolaires et maraîchage".into(),
            )
            .filter("genre", PARTNERSHIP)
            .filter("pays", "Japon")],
            DIR,
        )
        .unwrap();
        assert_eq!(files.len(), again.len());
        for (a, b) in files.iter().zip(&again) {
            assert_eq!(a.path, b.path);
            assert!(a.bytes == b.bytes, "{} diffère", a.path);
        }
    }
}
