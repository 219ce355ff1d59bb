//! Offline link check of the generated site: every internal `href`/`src` of
//! every generated HTML page (web and e-mail editions) must lead to a
//! generated or copied file, and every `#anchor` to an `id` (or `<a name>`)
//! of its target. A broken link is reported on the content file that wrote
//! it when it can be found there, else on the template, else on the page.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, closest};
use crate::load::SourceFile;
use crate::output::Output;
use crate::render::theme::ThemeFile;
use crate::urls;
use crate::urls::percent_decode;

/// A template's text, to find the links the theme writes.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Path relative to the site root (`themes/cuf/templates/base.html`).
    pub file: String,
    /// Its text.
    pub text: String,
}

/// The templates among `files`, named as `origin/templates/…`.
pub fn template_sources(files: &[ThemeFile], origin: &str) -> Vec<TemplateSource> {
    files
        .iter()
        .filter(|f| f.path.starts_with("templates/"))
        .filter_map(|f| {
            let text = std::str::from_utf8(&f.bytes).ok()?.to_string();
            Some(TemplateSource {
                file: format!("{origin}/{}", f.path),
                text,
            })
        })
        .collect()
}

/// What the check reads besides the outputs.
pub struct LinkSources<'a> {
    /// The content files, to point at the one that wrote a link.
    pub content: &'a [SourceFile],
    /// The templates, for links the theme writes.
    pub templates: &'a [TemplateSource],
    /// Content files copied as they are (`content/…`).
    pub assets: &'a [String],
}

/// The ids and links of one HTML page.
#[derive(Debug, Default)]
struct Scan {
    ids: HashSet<String>,
    links: Vec<String>,
}

/// Whether the check reads the file at `path` (HTML pages only).
fn is_page(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// What the check keeps of the site while its files stream by: every path,
/// and each page's ids and links (links interned: most are the same few
/// hundred navigation and template links on every page).
#[derive(Debug, Default)]
pub struct Collector(Mutex<Collected>);

#[derive(Debug, Default)]
struct Collected {
    files: HashSet<String>,
    pages: Vec<PageLinks>,
    links: Vec<String>,
    by_text: HashMap<String, u32>,
}

#[derive(Debug)]
struct PageLinks {
    path: String,
    ids: HashSet<String>,
    links: Vec<u32>,
}

impl Collector {
    /// Notes one generated file (scanned when it is a page).
    pub fn add(&self, path: &str, bytes: &[u8]) {
        let scan = is_page(path).then(|| scan(bytes));
        let mut c = self.0.lock().unwrap_or_else(|e| e.into_inner());
        c.files.insert(path.to_string());
        let Some(scan) = scan else {
            return;
        };
        let links = scan.links.into_iter().map(|l| c.intern(l)).collect();
        c.pages.push(PageLinks {
            path: path.to_string(),
            ids: scan.ids,
            links,
        });
    }

    /// Checks every link noted; see [`check`].
    pub fn check(self, base_url: &str, sources: &LinkSources<'_>) -> Vec<Diagnostic> {
        let mut c = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        c.pages.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        c.files.extend(
            sources
                .assets
                .iter()
                .map(|a| urls::asset_url(a).trim_start_matches('/').to_string()),
        );
        let base_url = base_url.trim_end_matches('/').to_string();
        let top = c
            .files
            .iter()
            .map(|f| f.split('/').next().unwrap_or("").to_string())
            .collect();
        let site = SiteFiles {
            top,
            ids: c.pages.iter().map(|p| (p.path.as_str(), &p.ids)).collect(),
            files: std::mem::take(&mut c.files),
            base_path: urls::base_path(&base_url),
            base_url,
        };
        // Links that mean the same on every page are resolved once.
        let shared: Vec<Option<Option<Problem>>> = c
            .links
            .par_iter()
            .map(|raw| (!depends_on_page(raw)).then(|| resolve_link(raw, "", &site)))
            .collect();
        let findings: Vec<(&str, &str, Problem)> = c
            .pages
            .par_iter()
            .flat_map_iter(|page| {
                let (site, shared, links) = (&site, &shared, &c.links);
                page.links.iter().filter_map(move |&id| {
                    let raw = links[id as usize].as_str();
                    let problem = match &shared[id as usize] {
                        Some(p) => p.clone(),
                        None => resolve_link(raw, &page.path, site),
                    };
                    problem.map(|p| (page.path.as_str(), raw, p))
                })
            })
            .collect();
        report(&findings, &site, sources)
    }
}

impl Collected {
    fn intern(&mut self, link: String) -> u32 {
        if let Some(&id) = self.by_text.get(&link) {
            return id;
        }
        let id = self.links.len() as u32;
        self.by_text.insert(link.clone(), id);
        self.links.push(link);
        id
    }
}

/// Whether `raw` resolves differently from page to page: relative paths
/// and bare `#fragments` do; root-relative and absolute URLs do not.
fn depends_on_page(raw: &str) -> bool {
    let raw = raw.trim();
    let before_frag = raw.split('#').next().unwrap_or("");
    let before_query = before_frag.split('?').next().unwrap_or("");
    !(is_merge_tag(raw) || before_query.starts_with('/') || crate::urls::has_scheme(before_query))
}

/// What is wrong with one link.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    /// No file at the target.
    Missing { site_path: String },
    /// The target exists but has no such id.
    Anchor { target: String, fragment: String },
    /// Root-relative link that does not start with the base path.
    Outside,
}

/// The whole site as the check sees it.
struct SiteFiles<'a> {
    files: HashSet<String>,
    /// First path segments of the generated files (`lettres`, `style.css`…).
    top: HashSet<String>,
    ids: HashMap<&'a str, &'a HashSet<String>>,
    base_url: String,
    base_path: String,
}

/// Checks every internal link of the HTML outputs; one diagnostic per broken
/// link and place it was written (pages sharing a template link are grouped).
pub fn check(outputs: &[Output], base_url: &str, sources: &LinkSources<'_>) -> Vec<Diagnostic> {
    let c = Collector::default();
    outputs.par_iter().for_each(|o| c.add(&o.path, &o.bytes));
    c.check(base_url, sources)
}

/// Collects ids, `<a name>` and every `href`, `src` and `srcset` URL.
///
/// A small tag scanner rather than a full HTML tokenizer: the pages are our
/// own output (text escaped, raw HTML sanitised), so tags, quoted attributes,
/// comments and raw-text elements are all there is to know, and scanning
/// 20,000 pages this way costs a fraction of a streaming rewriter.
fn scan(html: &[u8]) -> Scan {
    let mut s = Scan::default();
    let mut i = 0;
    while let Some(off) = memchr_byte(b'<', &html[i..]) {
        i += off + 1;
        let rest = &html[i..];
        if rest.starts_with(b"!--") {
            i += find(rest, b"-->").map_or(rest.len(), |p| p + 3);
            continue;
        }
        if rest
            .first()
            .is_some_and(|b| matches!(b, b'!' | b'?' | b'/'))
        {
            i += memchr_byte(b'>', rest).map_or(rest.len(), |p| p + 1);
            continue;
        }
        let name_len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = &rest[..name_len];
        i += name_len;
        i += attributes(&html[i..], name.eq_ignore_ascii_case(b"a"), &mut s);
        let raw_text = [&b"script"[..], b"style", b"textarea", b"title"]
            .into_iter()
            .find(|t| name.eq_ignore_ascii_case(t));
        if let Some(raw_text) = raw_text {
            let mut close = b"</".to_vec();
            close.extend_from_slice(raw_text);
            i += find_ci(&html[i..], &close).unwrap_or(html.len() - i);
        }
    }
    s
}

/// The attributes whose values the check reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Id,
    Name,
    Link,
    Srcset,
}

fn wanted(attr: &[u8], is_a: bool) -> Option<Wanted> {
    let eq = |n: &[u8]| attr.eq_ignore_ascii_case(n);
    match attr.len() {
        2 if eq(b"id") => Some(Wanted::Id),
        4 if is_a && eq(b"name") => Some(Wanted::Name),
        4 if eq(b"href") => Some(Wanted::Link),
        3 if eq(b"src") => Some(Wanted::Link),
        6 if eq(b"srcset") => Some(Wanted::Srcset),
        _ => None,
    }
}

/// Reads the attributes of a start tag up to its `>`; returns bytes
/// consumed. Only the values of the attributes the check reads are decoded.
fn attributes(tag: &[u8], is_a: bool, s: &mut Scan) -> usize {
    let mut i = 0;
    loop {
        while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'/') {
            i += 1;
        }
        if i >= tag.len() || tag[i] == b'>' {
            return (i + 1).min(tag.len());
        }
        let start = i;
        while i < tag.len() && !matches!(tag[i], b'=' | b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
        {
            i += 1;
        }
        let attr = &tag[start..i];
        if i >= tag.len() || tag[i] != b'=' {
            continue;
        }
        i += 1;
        let (value, used) = match tag.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr_byte(q, &tag[i + 1..]).map_or(tag.len(), |p| i + 1 + p);
                (&tag[i + 1..end], end + 1 - i)
            }
            _ => {
                let end = tag[i..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'>')
                    .map_or(tag.len(), |p| i + p);
                (&tag[i..end], end - i)
            }
        };
        i = (i + used).min(tag.len());
        let Some(kind) = wanted(attr, is_a) else {
            continue;
        };
        let value = crate::html::decode_entities(&String::from_utf8_lossy(value)).into_owned();
        match kind {
            Wanted::Id | Wanted::Name => {
                s.ids.insert(value);
            }
            Wanted::Link => s.links.push(value),
            Wanted::Srcset => s.links.extend(
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_string),
            ),
        }
    }
}

fn memchr_byte(b: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(b, hay)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The origin the link check puts pages under to resolve their links with
/// the `url` crate, as a browser would on the published site (`.invalid`
/// is reserved: no real site has it).
const PAGE_ORIGIN: &str = "http://site.invalid";

/// The path a browser reaches from `reference` on the page at the
/// host-relative path `base` (`/cuf/lettres/2025-09/x/`); None when the
/// `url` crate cannot resolve it.
fn browser_path(base: &str, reference: &str) -> Option<String> {
    let joined = crate::urls::join(&format!("{PAGE_ORIGIN}{base}"), reference);
    joined.strip_prefix(PAGE_ORIGIN).map(str::to_string)
}

/// Root-relative URL of a page (`a/b/index.html` → `/a/b/`), without base path.
fn page_site_url(page: &str) -> String {
    match page.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{page}"),
    }
}

/// The problem with `raw` found on `page`, or None when it is fine or external.
fn resolve_link(raw: &str, page: &str, site: &SiteFiles<'_>) -> Option<Problem> {
    let raw = raw.trim();
    if is_merge_tag(raw) {
        return None;
    }
    let (before_frag, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    let before_query = before_frag.split('?').next().unwrap_or("");
    let site_path = if before_query.is_empty() {
        page_site_url(page)
    } else if let Some(rest) = internal_absolute(before_query, &site.base_url) {
        // Same host, outside the folders this site generates: another part
        // of the institutional site, which cannot be checked offline.
        let first = rest.trim_start_matches('/').split('/').next().unwrap_or("");
        if !first.is_empty() && !site.top.contains(&percent_decode(first)) {
            return None;
        }
        browser_path("/", &rest).unwrap_or_else(|| "/".into())
    } else if crate::urls::has_scheme(before_query) || before_query.starts_with("//") {
        return None;
    } else {
        // A path, absolute or relative: resolved against the published
        // page's URL as the browser resolves it (dot segments removed; one
        // climbing above the host's root stays at the root), then taken
        // back to a path inside the site.
        let base = format!("{}{}", site.base_path, page_site_url(page));
        let Some(path) = browser_path(&base, before_query) else {
            return Some(Problem::Missing {
                site_path: before_query.to_string(),
            });
        };
        match strip_base_path(&path, &site.base_path) {
            Some(p) => p,
            None => return Some(Problem::Outside),
        }
    };
    let site_path = percent_decode(&site_path);
    let Some(target) = existing_file(&site_path, &site.files) else {
        return Some(Problem::Missing { site_path });
    };
    let fragment = percent_decode(fragment);
    if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
        return None;
    }
    match site.ids.get(target.as_str()) {
        Some(ids) if !ids.contains(&fragment) => Some(Problem::Anchor { target, fragment }),
        _ => None,
    }
}

/// `https://site.org/base/x` with `base_url` `https://site.org/base` → `/x`
/// (also for the protocol-relative `//site.org/base/x`).
fn internal_absolute(url: &str, base_url: &str) -> Option<String> {
    let without_scheme = base_url.split_once("://").map(|(_, r)| r);
    let rest = url.strip_prefix(base_url).or_else(|| {
        without_scheme.and_then(|b| url.strip_prefix("//").and_then(|u| u.strip_prefix(b)))
    })?;
    if rest.is_empty() {
        Some("/".to_string())
    } else {
        rest.starts_with('/').then(|| rest.to_string())
    }
}

/// A mailing tool's merge tag (`{{ unsubscribe }}`, `*|UNSUB|*`), written
/// verbatim in the e-mail and replaced when it is sent.
fn is_merge_tag(url: &str) -> bool {
    ["{{", "}}", "{%", "*|", "|*", "[[", "%%"]
        .iter()
        .any(|t| url.contains(t))
}

fn strip_base_path(path: &str, base_path: &str) -> Option<String> {
    if base_path.is_empty() {
        return Some(path.to_string());
    }
    let rest = path.strip_prefix(base_path)?;
    if rest.is_empty() {
        Some("/".to_string())
    } else {
        rest.starts_with('/').then(|| rest.to_string())
    }
}

/// The generated file a site path leads to: `/x/` → `x/index.html`; `/x`
/// is accepted when `x` or `x/index.html` exists (servers redirect).
fn existing_file(site_path: &str, files: &HashSet<String>) -> Option<String> {
    let rel = site_path.trim_start_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_string(), format!("{rel}/index.html")]
    };
    candidates.into_iter().find(|c| files.contains(c))
}

/// Where a broken link was written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    /// None: the page itself (`public/…`), nothing better known.
    file: Option<String>,
    line: u32,
    column: u32,
    in_source: bool,
}

/// Groups findings by place and link, then phrases them in French.
fn report(
    findings: &[(&str, &str, Problem)],
    site: &SiteFiles<'_>,
    sources: &LinkSources<'_>,
) -> Vec<Diagnostic> {
    let by_url: HashMap<String, &SourceFile> = sources
        .content
        .iter()
        .filter_map(|f| urls::page_url(&f.path).map(|u| (u, f)))
        .collect();
    let mut groups: BTreeMap<(Place, String, Problem), Vec<&str>> = BTreeMap::new();
    for (page, raw, problem) in findings {
        let place = locate(page, raw, problem, site, sources, &by_url);
        groups
            .entry((place, raw.to_string(), problem.clone()))
            .or_default()
            .push(page);
    }
    groups
        .into_iter()
        .map(|((place, raw, problem), mut pages)| {
            pages.sort_unstable();
            pages.dedup();
            diagnostic(place, &raw, &problem, &pages, site, sources)
        })
        .collect()
}

fn diagnostic(
    place: Place,
    raw: &str,
    problem: &Problem,
    pages: &[&str],
    site: &SiteFiles<'_>,
    sources: &LinkSources<'_>,
) -> Diagnostic {
    let first = format!("{}{}", site.base_path, page_site_url(pages[0]));
    let on = if pages.len() == 1 {
        format!("page {first}")
    } else {
        format!("{} pages, dont {first}", pages.len())
    };
    let (message, suggestion) = match problem {
        Problem::Missing { site_path } => (
            format!(
                "lien interne cassé : « {raw} » ne mène à aucune page ni aucun fichier du site ({on})"
            ),
            near_paths(site_path, site)
                .unwrap_or_else(|| "vérifiez l'adresse, ou créez la page qu'elle vise".into()),
        ),
        Problem::Anchor { target, fragment } => {
            let ids = site.ids.get(target.as_str());
            let mut known: Vec<&str> =
                ids.map_or(Vec::new(), |s| s.iter().map(String::as_str).collect());
            known.sort_unstable();
            let near = closest(fragment, known.iter().copied());
            (
                format!(
                    "ancre introuvable : « {raw} » : la page {}{} n'a aucun élément d'identifiant « {fragment} » ({on})",
                    site.base_path,
                    page_site_url(target)
                ),
                if near.is_empty() {
                    "corrigez l'ancre (après #) ou retirez-la".to_string()
                } else {
                    format!("vouliez-vous dire `#{}` ?", near.join("` ou `#"))
                },
            )
        }
        Problem::Outside => (
            format!(
                "lien interne hors du site : « {raw} » ne commence pas par {}/ ({on})",
                site.base_path
            ),
            format!(
                "écrivez les liens internes avec le chemin de publication {}/",
                site.base_path
            ),
        ),
    };
    let file = place.file.unwrap_or_else(|| format!("public/{}", pages[0]));
    let mut d =
        Diagnostic::error(file, place.line, place.column, message).with_suggestion(suggestion);
    if place.in_source
        && let Some(text) = text_of(&d.file, sources)
    {
        d = d.with_source(text);
    }
    d
}

/// The text of a content file or template, by its site-relative path.
fn text_of<'a>(file: &str, sources: &'a LinkSources<'_>) -> Option<&'a str> {
    sources
        .content
        .iter()
        .find(|f| f.path == file)
        .and_then(|f| std::str::from_utf8(&f.bytes).ok())
        .or_else(|| {
            sources
                .templates
                .iter()
                .find(|t| t.file == file)
                .map(|t| t.text.as_str())
        })
}

/// Where `raw`, found on `page`, was written: its text in the content file
/// of the page (or, for an issue page, of its articles), else in a
/// template, else the page's content file as a whole, else the page.
fn locate(
    page: &str,
    raw: &str,
    problem: &Problem,
    site: &SiteFiles<'_>,
    sources: &LinkSources<'_>,
    by_url: &HashMap<String, &SourceFile>,
) -> Place {
    let own = content_file_for(&page_site_url(page), by_url);
    let needles = needles(raw, problem, site);
    let mut candidates: Vec<&SourceFile> = own.into_iter().collect();
    if let Some(dir) = own.and_then(|f| f.path.strip_suffix("_index.md")) {
        candidates.extend(sources.content.iter().filter(|f| {
            f.path.ends_with(".md")
                && f.path
                    .strip_prefix(dir)
                    .is_some_and(|r| !r.contains('/') && r != "_index.md")
        }));
    }
    for f in candidates {
        let Ok(text) = std::str::from_utf8(&f.bytes) else {
            continue;
        };
        let local = relative_needles(&f.path, &needles);
        if let Some((line, column)) =
            find_any(text, &needles, &[""]).or_else(|| find_any(text, &local, &[""]))
        {
            return Place {
                file: Some(f.path.clone()),
                line,
                column,
                in_source: true,
            };
        }
    }
    for t in sources.templates {
        if let Some((line, column)) = find_any(&t.text, &needles, &["\"", "'", ""]) {
            return Place {
                file: Some(t.file.clone()),
                line,
                column,
                in_source: true,
            };
        }
    }
    Place {
        file: own.map(|f| f.path.clone()),
        line: 0,
        column: 0,
        in_source: false,
    }
}

/// The needles that lie in the folder of `content_file`, written relative
/// to it, as its writer did: the e-mail edition makes `images/x.pdf` of an
/// article absolute, and it must still be found in that article.
fn relative_needles(content_file: &str, needles: &[String]) -> Vec<String> {
    let Some((dir, _)) = content_file
        .strip_prefix("content/")
        .and_then(|p| p.rsplit_once('/'))
    else {
        return Vec::new();
    };
    let dir = format!("/{dir}/");
    needles
        .iter()
        .filter_map(|n| n.strip_prefix(dir.as_str()))
        .filter(|r| r.chars().count() >= 2)
        .map(|r| r.to_string())
        .collect()
}

/// The content file a page was built from, walking up to its parent page
/// (an issue's e-mail edition → the issue's `_index.md`).
fn content_file_for<'a>(
    url: &str,
    by_url: &HashMap<String, &'a SourceFile>,
) -> Option<&'a SourceFile> {
    let mut url = url.to_string();
    loop {
        if let Some(f) = by_url.get(&url) {
            return Some(f);
        }
        let trimmed = url.trim_end_matches('/');
        let cut = trimmed.rfind('/')?;
        if cut == 0 {
            return None;
        }
        url = trimmed[..=cut].to_string();
    }
}

/// The forms a link may be written in a source: as generated, without the
/// base URL or base path, and the bare `#anchor`.
fn needles(raw: &str, problem: &Problem, site: &SiteFiles<'_>) -> Vec<String> {
    let raw = raw.trim();
    let mut out = vec![raw.to_string()];
    let rooted = raw.strip_prefix(site.base_url.as_str()).unwrap_or(raw);
    out.push(rooted.to_string());
    if !site.base_path.is_empty()
        && let Some(r) = rooted.strip_prefix(site.base_path.as_str())
    {
        out.push(r.to_string());
    }
    let unqueried: Vec<String> = out
        .iter()
        .filter_map(|n| n.split_once('?').map(|(a, _)| a.to_string()))
        .collect();
    out.extend(unqueried);
    if let Problem::Anchor { fragment, .. } = problem {
        out.push(format!("#{fragment}"));
    }
    let mut seen = HashSet::new();
    out.retain(|n| n.chars().count() >= 2 && seen.insert(n.clone()));
    out
}

/// The 1-based line and column of the first needle (followed by one of
/// `ends`, tried in order) found in `text`.
fn find_any(text: &str, needles: &[String], ends: &[&str]) -> Option<(u32, u32)> {
    for end in ends {
        for n in needles {
            if let Some(at) = text.find(&format!("{n}{end}")) {
                let before = &text[..at];
                let line = before.matches('\n').count() as u32 + 1;
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let column = before[line_start..].chars().count() as u32 + 1;
                return Some((line, column));
            }
        }
    }
    None
}

/// "vouliez-vous dire …" among the pages of the site, when one is close.
fn near_paths(site_path: &str, site: &SiteFiles<'_>) -> Option<String> {
    let mut urls: Vec<String> = site
        .files
        .iter()
        .map(|f| format!("/{}", f.strip_suffix("index.html").unwrap_or(f)))
        .collect();
    urls.sort_unstable();
    let near = closest(site_path, urls.iter().map(String::as_str));
    (!near.is_empty()).then(|| {
        let shown: Vec<String> = near
            .iter()
            .map(|u| format!("`{}{u}`", site.base_path))
            .collect();
        format!("vouliez-vous dire {} ?", shown.join(" ou "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, html: &str) -> Output {
        Output::text(path, html.to_string())
    }

    fn src(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.to_string(),
            bytes: text.as_bytes().into(),
        }
    }

    fn run(outputs: &[Output], content: &[SourceFile], base_url: &str) -> Vec<Diagnostic> {
        let templates = vec![TemplateSource {
            file: "themes/cuf/templates/base.html".into(),
            text: "<nav>\n<a href=\"{{ site.base_path }}/agenda/\">A</a></nav>".into(),
        }];
        let assets = vec!["content/lettres/2025-09/images/a.jpg".to_string()];
        let sources = LinkSources {
            content,
            templates: &templates,
            assets: &assets,
        };
        check(outputs, base_url, &sources)
    }

    #[test]
    fn good_links_pass() {
        let outputs = [
            out(
                "index.html",
                r##"<a href="/lettres/2025-09/x/#suite">x</a><a href="https://ailleurs.org/y">y</a><a href="mailto:a@b.fr">m</a><img src="lettres/2025-09/images/a.jpg"><a href="#haut">h</a><p id="haut"></p>"##,
            ),
            out(
                "lettres/2025-09/x/index.html",
                r##"<h2 id="suite">S</h2><a href="../">n</a><a href="https://site.org/?utm_source=l&amp;x=1">abs</a><a href="/style.css">c</a>"##,
            ),
            out("lettres/2025-09/index.html", ""),
            out("style.css", ""),
        ];
        assert_eq!(run(&outputs, &[], "https://site.org"), vec![]);
    }

    #[test]
    fn shared_links_are_judged_once_relative_ones_per_page() {
        // The same root-relative anchor link on two pages, and the same
        // relative link that is fine on one page and broken on the other.
        let outputs = [
            out(
                "a/index.html",
                r##"<a href="/c/#absent">c</a><a href="x/">x</a><p id="p"></p><a href="#p">p</a>"##,
            ),
            out(
                "b/index.html",
                r##"<a href="/c/#absent">c</a><a href="x/">x</a><a href="#p">p</a>"##,
            ),
            out("a/x/index.html", ""),
            out("c/index.html", "<h2 id=present></h2>"),
        ];
        let d = run(&outputs, &[], "https://site.org");
        let text: Vec<String> = d.iter().map(|d| d.to_human()).collect();
        let all = text.join("\n");
        assert_eq!(d.len(), 3, "{all}");
        let one = |needle: &str| {
            let hits: Vec<&String> = text.iter().filter(|t| t.contains(needle)).collect();
            assert_eq!(hits.len(), 1, "{needle}: {all}");
            hits[0].clone()
        };
        assert!(one("« x/ »").contains("(page /b/)"), "{all}");
        assert!(one("« #p »").contains("public/b/index.html"), "{all}");
        assert!(one("#absent").contains("2 pages"), "{all}");
    }

    #[test]
    fn email_edition_links_are_reported_on_the_article_that_wrote_them() {
        let outputs = [
            out(
                "lettres/2025-09/email.html",
                r#"<a href="https://site.org/lettres/2025-09/images/nope.pdf?utm_campaign=l">x</a>"#,
            ),
            out("lettres/2025-09/index.html", ""),
        ];
        let content = [
            src(
                "content/lettres/2025-09/_index.md",
                "---\ntitle: Septembre\n---\nÉdito.\n",
            ),
            src(
                "content/lettres/2025-09/a.md",
                "---\ntitle: A\nlink: images/nope.pdf\n---\nTexte.\n",
            ),
        ];
        let d = run(&outputs, &content, "https://site.org");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].file.as_str(), d[0].line, d[0].column),
            ("content/lettres/2025-09/a.md", 3, 7),
            "{d:?}"
        );
    }

    #[test]
    fn broken_link_points_at_the_content_line() {
        let outputs = [
            out(
                "lettres/2025-09/x/index.html",
                r#"<p><a href="/lettres/2025-09/y/">y</a></p>"#,
            ),
            out("lettres/2025-09/z/index.html", ""),
        ];
        let content = [src(
            "content/lettres/2025-09/x.md",
            "---\ntitle: X\n---\n\nVoir [ceci](/lettres/2025-09/y/).\n",
        )];
        let d = run(&outputs, &content, "https://site.org");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].file.as_str(), d[0].line, d[0].column),
            ("content/lettres/2025-09/x.md", 5, 13)
        );
        assert!(
            d[0].message.contains("lien interne cassé"),
            "{}",
            d[0].message
        );
        assert!(d[0].is_error());
        assert!(
            d[0].suggestion
                .as_deref()
                .unwrap()
                .contains("/lettres/2025-09/z/")
        );
    }

    #[test]
    fn missing_anchor_and_absolute_internal_links() {
        let outputs = [
            out(
                "lettres/2025-09/email.html",
                r#"<a href="https://site.org/cuf/lettres/2025-09/x/?utm_source=lettre#suitte">x</a>"#,
            ),
            out("lettres/2025-09/x/index.html", r#"<h2 id="suite">S</h2>"#),
        ];
        let content = [
            src("content/lettres/2025-09/_index.md", "---\ntitle: S\n---\n"),
            src("content/lettres/2025-09/x.md", "---\ntitle: X\n---\n"),
        ];
        let d = run(&outputs, &content, "https://site.org/cuf/");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("ancre introuvable"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].file, "content/lettres/2025-09/_index.md");
        assert_eq!(
            d[0].suggestion.as_deref(),
            Some("vouliez-vous dire `#suite` ?")
        );
    }

    #[test]
    fn template_links_are_grouped_on_the_template() {
        let nav = r#"<a href="/cuf/agenda/">A</a><a href="/lettres/">L</a>"#;
        let outputs = [out("index.html", nav), out("a/index.html", nav)];
        let d = run(&outputs, &[], "https://site.org/cuf");
        assert_eq!(d.len(), 2, "{d:?}");
        let agenda = d
            .iter()
            .find(|d| d.message.contains("/cuf/agenda/"))
            .unwrap();
        assert_eq!(agenda.file, "themes/cuf/templates/base.html");
        assert_eq!((agenda.line, agenda.column), (2, 30));
        assert!(agenda.message.contains("2 pages"), "{}", agenda.message);
        let outside = d
            .iter()
            .find(|d| d.message.contains("hors du site"))
            .unwrap();
        assert_eq!(outside.file, "public/a/index.html");
    }

    #[test]
    fn merge_tags_and_the_rest_of_the_host_are_left_alone() {
        let outputs = [out(
            "lettres/2025-09/email.html",
            r#"<a href="{{ unsubscribe }}">d</a><a href="*|UNSUB|*">d</a><a href="https://site.org/Une-page-SPIP-123">s</a><a href="https://site.org/lettres/absente/?utm_source=l">x</a>"#,
        )];
        let d = run(&outputs, &[], "https://site.org");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("/lettres/absente/"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn entities_and_percent_escapes_are_decoded() {
        assert_eq!(
            crate::html::decode_entities("a&amp;b&#x2F;c&#47;&zz"),
            "a&b/c/&zz"
        );
        assert_eq!(percent_decode("/caf%C3%A9/%zz"), "/café/%zz");
    }

    #[test]
    fn relative_links_resolve_as_the_browser_does() {
        // Dot segments and `%2e%2e` land on existing pages; a climb out of
        // the publication path `/cuf` is outside the site.
        let outputs = [
            out(
                "lettres/2025-09/x/index.html",
                r#"<a href="../../2025-09/./y/">y</a><a href="%2e%2e/y/">y2</a><a href="../../../agenda/">a</a><a href="/cuf/lettres/2025-09/x/../y/">abs</a><a href="../../../../ailleurs/">out</a><a href="https://site.org/cuf/lettres/./2025-09/y/">full</a>"#,
            ),
            out("lettres/2025-09/y/index.html", ""),
            out("agenda/index.html", ""),
        ];
        let d = run(&outputs, &[], "https://site.org/cuf");
        let all: Vec<String> = d.iter().map(|d| d.to_human()).collect();
        assert_eq!(d.len(), 1, "{all:#?}");
        assert!(all[0].contains("hors du site"), "{all:#?}");
        assert!(all[0].contains("ailleurs"), "{all:#?}");
        // Published at the host's root, a climb above it stays at the root,
        // as in the browser (it used to be reported missing).
        let outputs = [
            out(
                "lettres/2025-09/x/index.html",
                r#"<a href="../../../../../../agenda/">a</a>"#,
            ),
            out("agenda/index.html", ""),
        ];
        assert_eq!(run(&outputs, &[], "https://site.org"), vec![]);
    }
}
