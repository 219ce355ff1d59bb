//! The `load` stage: read `content/`, split front matter, deserialize typed
//! structs, render Markdown bodies. Files are loaded independently, in
//! parallel; the result is a `Site` plus every mistake found.

pub mod admin;
pub mod attachments;
pub mod cache;
pub mod fastyaml;
pub mod frontmatter;
mod fronts;
pub mod markdown;
pub mod prescan;
pub mod typography;
pub mod values;
mod yamlerror;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::schema::Key;

/// A file of `content/` as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated (`content/…`).
    pub path: String,
    /// Raw bytes, shared: `serve` keeps a file's bytes between rebuilds
    /// until it is saved again, so that its load memo recognises an
    /// untouched file by pointer, without comparing its bytes.
    pub bytes: Arc<[u8]>,
}

/// Reads every file under `root/content` (the only I/O of this stage).
pub fn read_content(root: &Path) -> Result<Vec<SourceFile>, Diagnostic> {
    read_content_except(root, |_| false)
}

/// [`read_content`], leaving the bytes of the files `later` selects empty:
/// a later step reads them from disk when it needs them (the image step,
/// so that megabytes of photos are not all held in memory at once).
pub fn read_content_except(
    root: &Path,
    later: impl Fn(&str) -> bool + Sync,
) -> Result<Vec<SourceFile>, Diagnostic> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::error(
            "content/",
            0,
            0,
            format!("dossier introuvable : {}", content.display()),
        )
        .with_suggestion(
            "lancez cufpress depuis le dossier du site, ou indiquez-le avec --root DOSSIER",
        ));
    }
    let mut paths = Vec::new();
    // Hidden folders (`.git/`, `.ssh/`) and their files are never read.
    let walk = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map_or("content/".into(), |p| site_relative(root, p));
            Diagnostic::error(
                path,
                0,
                0,
                "lecture impossible : dossier ou fichier illisible",
            )
            .with_suggestion("vérifiez que ce dossier existe et que vous avez le droit de le lire")
        })?;
        if entry.file_name().to_str().is_none() {
            return Err(Diagnostic::error(
                site_relative(root, entry.path()),
                0,
                0,
                "nom de fichier illisible : il n'est pas écrit en UTF-8 (les caractères � n'ont pas pu être lus)",
            )
            .with_suggestion(
                "renommez ce fichier ou ce dossier avec des minuscules sans accent, des chiffres et des tirets",
            ));
        }
        if entry.file_type().is_file() && !is_ignored(entry.file_name().to_string_lossy().as_ref())
        {
            paths.push(entry.into_path());
        }
    }
    // The order of a walk sorted by name, folder by folder (`Path` orders
    // component by component): one sort instead of one per folder.
    paths.par_sort_unstable();
    paths
        .par_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = if later(&rel) {
                std::fs::metadata(p).map(|_| Vec::new())
            } else {
                std::fs::read(p)
            };
            bytes
                .map(|bytes| SourceFile {
                    path: rel.clone(),
                    bytes: bytes.into(),
                })
                .map_err(|e| {
                    Diagnostic::error(rel, 0, 0, format!("lecture impossible : {}", io_french(&e)))
                })
        })
        .collect()
}

/// An I/O error in French, for a writer.
fn io_french(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "fichier introuvable (supprimé ou renommé pendant la lecture ?)"
        }
        std::io::ErrorKind::PermissionDenied => "accès refusé (droits du fichier)",
        _ => "le fichier n'a pas pu être lu",
    }
}

/// `p` relative to the site root, `/`-separated, for a diagnostic.
fn site_relative(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Editors' temporary and hidden files, never part of the site.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.starts_with('~')
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// A folder with an `_index.md` and pages, while assembling.
type Folder<I, P> = (Option<Page<I>>, Vec<Page<P>>);

/// One file, once loaded.
#[derive(Clone)]
enum Loaded {
    Group(Page<GroupFront>),
    LetterIndex(String, Page<LetterFront>),
    Article(String, Page<ArticleFront>),
    Event(Page<EventFront>),
    Programme(Page<ProgrammeFront>),
    DirectoryIndex(String, Page<DirectoryFront>),
    Partnership(String, Page<PartnershipFront>),
    /// A file of `content/` that is not published (see [`attachments`]).
    Withheld,
    Asset(String),
}

/// Turns the files into a `Site`. Pure: no disk access.
pub fn load_site(files: &[SourceFile], opts: &crate::Options) -> (Option<Site>, Diagnostics) {
    load_site_with(files, opts, load_file)
}

/// [`load_site`] with the per-file loader given (`cache` passes a memoised one).
fn load_site_with(
    files: &[SourceFile],
    opts: &crate::Options,
    load: impl Fn(&SourceFile, &str) -> FileLoad + Sync,
) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::new();
    if let Some(p) = opts.base_url.as_deref().and_then(values::base_url_problem) {
        diags.push(
            Diagnostic::error("--base-url", 0, 0, p.message)
                .with_suggestion("par exemple --base-url https://www.cites-unies-france.org"),
        );
        return (None, diags);
    }
    // site.yaml first: the base path of every internal link depends on it.
    let mut config = None;
    let mut base_path = opts.base_url.as_deref().map(crate::urls::base_path);
    if let Some(f) = files.iter().find(|f| f.path == "content/site.yaml") {
        match load_config(f) {
            Ok(c) => {
                base_path.get_or_insert_with(|| crate::urls::base_path(&c.base_url));
                config = Some(c);
            }
            Err(e) => {
                diags.extend(e);
                // The rest of the site is still checked against what could
                // be read of it (the errors above fail the build).
                config = recovered_config(f);
                if let Some(c) = &config {
                    base_path.get_or_insert_with(|| crate::urls::base_path(&c.base_url));
                }
            }
        }
    }
    let base_path = base_path.unwrap_or_default();
    // An indexed parallel map collects straight into one vector of the
    // right size (a filter would gather pieces and copy them again).
    let results: Vec<Option<(&str, FileLoad)>> = crate::timings::stage("load: files", || {
        files
            .par_iter()
            .map(|f| {
                (f.path != "content/site.yaml").then(|| (f.path.as_str(), load(f, &base_path)))
            })
            .collect()
    });
    let mut site = Site {
        config: SiteConfig {
            title: String::new(),
            base_url: String::new(),
            language: String::new(),
            letter_title: String::new(),
            address: None,
            phone: None,
            email: None,
            social: vec![],
            sections: vec![],
            themes: BTreeMap::new(),
            mailing: None,
            logo: None,
            supporters: vec![],
            key_lines: BTreeMap::new(),
            admin: None,
        },
        groups: vec![],
        letters: vec![],
        events: vec![],
        programmes: vec![],
        directories: vec![],
        assets: vec![],
        drafts: vec![],
        failed: vec![],
    };
    let mut letters: BTreeMap<String, Folder<LetterFront, ArticleFront>> = BTreeMap::new();
    let mut dirs: BTreeMap<String, Folder<DirectoryFront, PartnershipFront>> = BTreeMap::new();
    for (path, (loaded, ds)) in results.into_iter().flatten() {
        diags.extend(ds);
        match loaded {
            None => site.failed.push(path.to_string()),
            Some(l) => match l {
                Loaded::Group(p) => site.groups.push(p),
                Loaded::LetterIndex(id, p) => letters.entry(id).or_default().0 = Some(p),
                Loaded::Article(id, p) => letters.entry(id).or_default().1.push(p),
                Loaded::Event(p) => site.events.push(p),
                Loaded::Programme(p) => site.programmes.push(p),
                Loaded::DirectoryIndex(s, p) => dirs.entry(s).or_default().0 = Some(p),
                Loaded::Partnership(s, p) => dirs.entry(s).or_default().1.push(p),
                Loaded::Asset(a) => site.assets.push(a),
                Loaded::Withheld => {}
            },
        }
    }
    for (id, (index, articles)) in letters {
        let Some(index) = index else {
            let dir = format!("content/lettres/{id}");
            let index_path = format!("{dir}/_index.md");
            if !site.failed.contains(&index_path) {
                diags.push(missing_index(&dir, "lettre"));
            } else if !articles.is_empty() {
                diags.push(unchecked_folder(
                    &index_path,
                    match articles.len() {
                        1 => "l'article de ce numéro n'a pas été vérifié".into(),
                        n => format!("les {n} articles de ce numéro n'ont pas été vérifiés"),
                    },
                ));
            }
            continue;
        };
        let letter = Letter {
            id,
            index,
            articles,
        };
        site.letters.push(letter);
    }
    for (slug, (index, partnerships)) in dirs {
        let Some(index) = index else {
            let dir = format!("content/repertoire/{slug}");
            let index_path = format!("{dir}/_index.md");
            if site.failed.contains(&index_path) {
                if !partnerships.is_empty() {
                    diags.push(unchecked_folder(
                        &index_path,
                        match partnerships.len() {
                            1 => "la fiche de ce pays n'a pas été vérifiée".into(),
                            n => format!("les {n} fiches de ce pays n'ont pas été vérifiées"),
                        },
                    ));
                }
                continue;
            }
            diags.push(missing_index(&dir, "repertoire"));
            continue;
        };
        site.directories.push(Directory {
            slug,
            index,
            partnerships,
        });
    }
    apply_drafts(&mut site, opts.drafts, &mut diags);
    match config {
        Some(c) => site.config = c,
        None => {
            if !files.iter().any(|f| f.path == "content/site.yaml") {
                diags.push(
                    Diagnostic::error("content/site.yaml", 0, 0, "le fichier site.yaml manque")
                        .with_suggestion("créez content/site.yaml avec au moins title, base_url, letter_title, sections et themes"),
                );
            }
            return (None, diags);
        }
    }
    (Some(site), diags)
}

/// The pages of a folder whose `_index.md` gives no page are not checked.
fn unchecked_folder(index: &str, what: String) -> Diagnostic {
    Diagnostic::warning(
        index,
        1,
        0,
        format!(
            "{what} (rubriques, groupes, thèmes, images, liens) : ce _index.md ne donne pas de page"
        ),
    )
    .with_suggestion("corrigez d'abord l'erreur de ce _index.md, puis relancez cufpress check")
}

fn missing_index(dir: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        format!("{dir}/_index.md"),
        0,
        0,
        "ce dossier n'a pas de fichier _index.md",
    )
    .with_suggestion(format!(
        "créez-le, par exemple avec « cufpress new {what} … », ou déplacez les fichiers du dossier"
    ))
}

/// Every draft of `site`: files saying `draft: true`, and the articles of
/// an issue that says it.
pub fn draft_files(site: &Site) -> Vec<String> {
    let mut drafts = Vec::new();
    for l in &site.letters {
        if l.index.front.draft {
            drafts.push(l.index.path.clone());
            drafts.extend(l.articles.iter().map(|a| a.path.clone()));
        } else {
            let articles = l.articles.iter().filter(|a| a.front.draft);
            drafts.extend(articles.map(|a| a.path.clone()));
        }
    }
    let events = site.events.iter().filter(|e| e.front.draft);
    drafts.extend(events.map(|e| e.path.clone()));
    let programmes = site.programmes.iter().filter(|p| p.front.draft);
    drafts.extend(programmes.map(|p| p.path.clone()));
    for d in &site.directories {
        let partnerships = d.partnerships.iter().filter(|p| p.front.draft);
        drafts.extend(partnerships.map(|p| p.path.clone()));
    }
    drafts
}

/// Notes the drafts to leave out of this build (none when drafts are
/// asked for) and marks their diagnostics. They stay in the site until
/// `resolve` has checked them like any other file; it then drops them.
fn apply_drafts(site: &mut Site, keep: bool, diags: &mut Diagnostics) {
    let drafts = draft_files(site);
    if !drafts.is_empty() {
        let set: std::collections::HashSet<&str> = drafts.iter().map(String::as_str).collect();
        diags.for_each_mut(|d| {
            if set.contains(d.file.as_str()) {
                mark_draft(d);
            }
        });
    }
    site.drafts = if keep { Vec::new() } else { drafts };
}

/// True when the front matter of `bytes` says `draft: true`, read from the
/// text so that a draft whose header does not parse is still named one.
pub fn declares_draft(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    lines.take_while(|l| l.trim_end() != "---").any(|l| {
        l.strip_prefix("draft")
            .map(|r| r.trim_start())
            .and_then(|r| r.strip_prefix(':'))
            .map(|v| v.split('#').next().unwrap_or("").trim())
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    })
}

/// Marks the diagnostics of a draft as such: drafts are checked like any
/// file, and the writer should see which mistakes are in unpublished work.
pub fn mark_draft(d: &mut Diagnostic) {
    if !d.message.starts_with(DRAFT_MARK) {
        d.message = format!("{DRAFT_MARK}{}", d.message);
    }
}

/// What starts the message of a draft's diagnostic.
pub const DRAFT_MARK: &str = "(brouillon) ";

/// Loads one file. A page whose body has mistakes (dangerous HTML, a link
/// leaving `content/`) is still loaded, so its references are checked in the
/// same run; the build fails on those mistakes all the same.
/// One file loaded (or not), with the mistakes found in it.
type FileLoad = (Option<Loaded>, Vec<Diagnostic>);

fn load_file(f: &SourceFile, base_path: &str) -> FileLoad {
    let mut body_diags = Vec::new();
    let (loaded, mut ds) = match load_kind(f, base_path, &mut body_diags) {
        Ok(l) => (l, body_diags),
        Err(mut ds) => {
            ds.append(&mut body_diags);
            (None, ds)
        }
    };
    if !ds.is_empty() && f.path.ends_with(".md") && declares_draft(&f.bytes) {
        ds.iter_mut().for_each(mark_draft);
    }
    (loaded, ds)
}

fn load_kind(
    f: &SourceFile,
    base_path: &str,
    body_diags: &mut Vec<Diagnostic>,
) -> Result<Option<Loaded>, Vec<Diagnostic>> {
    let path = f.path.as_str();
    if !path.ends_with(".md") {
        return attachment(path, body_diags);
    }
    let rel = path.strip_prefix("content/").unwrap_or(path);
    let parts: Vec<&str> = rel.trim_end_matches(".md").split('/').collect();
    check_slugs(path, &parts)?;
    let page = |schema| PageSpec {
        f,
        base_path,
        schema,
    };
    Ok(Some(match parts.as_slice() {
        ["groupes", _] => Loaded::Group(page(GROUP_KEYS).load(body_diags)?),
        ["lettres", id, "_index"] => {
            check_letter_id(path, id)?;
            Loaded::LetterIndex(id.to_string(), page(LETTER_KEYS).load(body_diags)?)
        }
        ["lettres", id, _] => {
            check_letter_id(path, id)?;
            Loaded::Article(id.to_string(), page(ARTICLE_KEYS).load(body_diags)?)
        }
        ["agenda", .., slug] if *slug != "_index" => {
            Loaded::Event(page(EVENT_KEYS).load(body_diags)?)
        }
        ["programmes", _] => Loaded::Programme(page(PROGRAMME_KEYS).load(body_diags)?),
        ["repertoire", pays, "_index"] => {
            Loaded::DirectoryIndex(pays.to_string(), page(DIRECTORY_KEYS).load(body_diags)?)
        }
        ["repertoire", pays, _] => {
            Loaded::Partnership(pays.to_string(), page(PARTNERSHIP_KEYS).load(body_diags)?)
        }
        _ => {
            return Err(vec![
                Diagnostic::error(path, 0, 0, "fichier Markdown à un emplacement inconnu")
                    .with_suggestion("les pages vont dans groupes/, lettres/AAAA-MM/, agenda/, programmes/ ou repertoire/PAYS/ (voir docs/guide-redaction.md)"),
            ]);
        }
    }))
}

/// A file that is not Markdown: published as it is when it is a kind of
/// attachment the site serves, otherwise left out with a warning.
fn attachment(path: &str, diags: &mut Vec<Diagnostic>) -> Result<Option<Loaded>, Vec<Diagnostic>> {
    use attachments::Withheld;
    if path.to_ascii_lowercase().ends_with(".md") {
        let name = path.rsplit('/').next().unwrap_or(path);
        let fixed = format!("{}.md", &name[..name.len() - 3]);
        return Err(vec![
            Diagnostic::error(path, 0, 0, "extension « .md » à écrire en minuscules : ce fichier Markdown n'est ni lu ni publié")
                .with_suggestion(format!("renommez-le « {fixed} »")),
        ]);
    }
    let (message, fix) = match attachments::classify(path) {
        Ok(()) => return Ok(Some(Loaded::Asset(path.to_string()))),
        Err(Withheld::Secret) => (
            "fichier non publié : son nom ressemble à celui d'une clé, d'un mot de passe ou d'un secret".to_string(),
            "rangez-le hors de content/ (tout ce qui s'y trouve est destiné au site public) ; si c'est un document à publier, renommez-le".to_string(),
        ),
        Err(Withheld::Active(ext)) => (
            format!("fichier non publié : un fichier .{ext} peut contenir du code que le navigateur des lecteurs exécuterait"),
            "publiez plutôt un PDF ou une image (liste des pièces jointes dans docs/guide-redaction.md)".to_string(),
        ),
        Err(Withheld::Unknown(ext)) => (
            if ext.is_empty() {
                "fichier non publié : ce fichier n'a pas d'extension".to_string()
            } else {
                format!("fichier non publié : les fichiers .{ext} ne font pas partie des pièces jointes publiées")
            },
            format!("pièces jointes publiées : {} ; sinon, rangez ce fichier hors de content/", attachments::listed()),
        ),
    };
    diags.push(Diagnostic::warning(path, 0, 0, message).with_suggestion(fix));
    Ok(Some(Loaded::Withheld))
}

fn check_slugs(path: &str, parts: &[&str]) -> Result<(), Vec<Diagnostic>> {
    let bad: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| *p != "_index" && !is_slug(p))
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    Err(bad
        .iter()
        .map(|b| {
            Diagnostic::error(
                path,
                0,
                0,
                format!("nom « {b} » invalide : seuls les minuscules sans accent, les chiffres et le tiret sont permis"),
            )
            .with_suggestion(format!("renommez-le « {} »", to_slug(b)))
        })
        .collect())
}

/// True for `[a-z0-9-]+`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug made from any text: "Réunion du 14" → "reunion-du-14".
pub fn to_slug(s: &str) -> String {
    // deunicode transliterates any Latin script (« Kōbe » → Kobe, « œ » →
    // oe, « ß » → ss) and gives ASCII for the rest.
    let ascii = deunicode::deunicode_with_tofu(s, "-");
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn check_letter_id(path: &str, id: &str) -> Result<(), Vec<Diagnostic>> {
    let ok =
        id.len() == 7 && chrono::NaiveDate::parse_from_str(&format!("{id}-01"), "%Y-%m-%d").is_ok();
    if ok {
        Ok(())
    } else {
        Err(vec![Diagnostic::error(
            path,
            0,
            0,
            format!("dossier de lettre « {id} » invalide : attendu AAAA-MM, par exemple 2025-09"),
        )])
    }
}

struct PageSpec<'a> {
    f: &'a SourceFile,
    base_path: &'a str,
    schema: &'static [Key],
}

impl PageSpec<'_> {
    /// The page; mistakes of a body that still loads go to `body_diags`.
    fn load<F: DeserializeOwned + fronts::Typeset>(
        self,
        body_diags: &mut Vec<Diagnostic>,
    ) -> Result<Page<F>, Vec<Diagnostic>> {
        let path = self.f.path.as_str();
        let text = frontmatter::decode(path, &self.f.bytes).map_err(|d| vec![d])?;
        let split = frontmatter::split(path, &text).map_err(|d| vec![d])?;
        if let Some(d) = values::forbidden_in(path, &text, split.yaml, split.yaml_offset) {
            return Err(vec![d]);
        }
        body_diags.extend(frontmatter::comment_warnings(
            path,
            &text,
            split.yaml,
            split.yaml_offset,
        ));
        let outcome =
            frontmatter::parse::<F>(path, &text, split.yaml, split.yaml_offset, self.schema);
        let dir = path.rsplit_once('/').map_or("content", |(d, _)| d);
        let (body, mut md_diags) = markdown::render(&markdown::MdInput {
            file: path,
            dir,
            source: &text,
            body: split.body,
            body_offset: split.body_offset,
            base_path: self.base_path,
        });
        // A front matter with mistakes still gives a page when a value could
        // be made of it: its other keys and references are checked in the
        // same run (its errors fail the build, so it is never published).
        let (mut front, key_lines) = match outcome.parsed {
            Some(p) => {
                body_diags.extend(outcome.errors);
                body_diags.append(&mut md_diags);
                p
            }
            None => {
                let mut e = outcome.errors;
                if let Some(first) = e.first() {
                    e.push(not_checked(path, first.line));
                }
                e.append(&mut md_diags);
                return Err(e);
            }
        };
        front.typeset();
        let stem = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".md");
        let slug = if stem == "_index" {
            dir.rsplit('/').next().unwrap_or(dir).to_string()
        } else {
            stem.to_string()
        };
        Ok(Page {
            path: path.to_string(),
            slug,
            front: Arc::new(front),
            body: Arc::new(body),
            key_lines: Arc::new(key_lines),
            source: Arc::from(text),
        })
    }
}

/// Reads and checks `content/site.yaml` alone (for `cufpress new`).
pub fn read_config(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let rel = "content/site.yaml";
    let bytes = std::fs::read(root.join(rel)).map_err(|_| {
        vec![
            Diagnostic::error(rel, 0, 0, "fichier site.yaml introuvable ou illisible")
                .with_suggestion(
                    "lancez cufpress depuis le dossier du site, ou indiquez-le avec --root DOSSIER",
                ),
        ]
    })?;
    load_config(&SourceFile {
        path: rel.to_string(),
        bytes: bytes.into(),
    })
}

/// Says which checks of `path` could not run, and why.
fn not_checked(path: &str, line: u32) -> Diagnostic {
    Diagnostic::warning(
        path,
        line,
        0,
        "les références de ce fichier (rubrique, groupe, thèmes, image, liens et images du texte) n'ont pas pu être vérifiées : son en-tête ne donne pas de page",
    )
    .with_suggestion("corrigez l'erreur ci-dessus, puis relancez cufpress check : ces vérifications seront faites")
}

/// The site's one-line texts (names in e-mail headers, page titles, …)
/// hold no line break nor control character.
fn one_line_values(
    path: &str,
    text: &str,
    config: &SiteConfig,
    lines: &BTreeMap<String, u32>,
    errors: &mut Vec<Diagnostic>,
) {
    let values = [
        ("title", Some(&config.title)),
        ("letter_title", Some(&config.letter_title)),
        ("language", Some(&config.language)),
        ("base_url", Some(&config.base_url)),
        ("phone", config.phone.as_ref()),
        ("email", config.email.as_ref()),
    ];
    for (key, value) in values {
        let Some(value) = value else { continue };
        if let Some(c) = value
            .chars()
            .find(|c| c.is_control() || prescan::forbidden(*c))
        {
            let what = if c == '\n' || c == '\r' {
                "un saut de ligne".to_string()
            } else {
                prescan::char_name(c)
            };
            errors.push(
                Diagnostic::error(
                    path,
                    lines.get(key).copied().unwrap_or(1),
                    1,
                    format!("`{key}` contient {what} : cette valeur doit tenir sur une ligne"),
                )
                .with_suggestion(format!(
                    "écrivez {key}: \"…\" sur une seule ligne, sans \\n ni bloc | ou >"
                ))
                .with_source(text),
            );
        }
    }
}

/// What could be read of a `site.yaml` that has mistakes.
fn recovered_config(f: &SourceFile) -> Option<SiteConfig> {
    let text = frontmatter::decode(&f.path, &f.bytes).ok()?;
    frontmatter::parse::<SiteConfig>(&f.path, &text, &text, 0, SITE_KEYS)
        .parsed
        .map(|(c, _)| c)
}

fn load_config(f: &SourceFile) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = f.path.as_str();
    let text = frontmatter::decode(path, &f.bytes).map_err(|d| vec![d])?;
    if let Some(d) = values::forbidden_in(path, &text, &text, 0) {
        return Err(vec![d]);
    }
    let (mut config, lines): (SiteConfig, _) =
        frontmatter::parse(path, &text, &text, 0, SITE_KEYS).into_result()?;
    let mut errors = Vec::new();
    if let Some(p) = values::base_url_problem(&config.base_url) {
        let line = lines.get("base_url").copied().unwrap_or(1);
        errors.push(
            Diagnostic::error(path, line, 11, p.message)
                .with_suggestion(p.suggestion)
                .with_source(&text),
        );
    }
    one_line_values(path, &text, &config, &lines, &mut errors);
    if let Some(a) = &config.admin {
        errors.extend(admin::check(path, &text, a));
    }
    if config.sections.is_empty() {
        errors.push(
            Diagnostic::error(
                path,
                lines.get("sections").copied().unwrap_or(1),
                1,
                "la liste sections est vide",
            )
            .with_source(&text),
        );
    }
    if errors.is_empty() {
        config.key_lines = lines;
        Ok(config)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("assises-2025"));
        assert!(!is_slug("Assises"));
        assert!(!is_slug("réunion"));
        assert_eq!(
            to_slug("Réunion du groupe-pays Liban !"),
            "reunion-du-groupe-pays-liban"
        );
        assert_eq!(to_slug("Kōbe (Hyōgo)"), "kobe-hyogo");
        assert_eq!(to_slug("Cœur de Łódź, Straße"), "coeur-de-lodz-strasse");
    }

    #[test]
    fn temporary_files_are_ignored() {
        for n in [".x.md.swp", "x.md~", ".#x.md", ".DS_Store", "x.tmp"] {
            assert!(is_ignored(n), "{n}");
        }
        assert!(!is_ignored("x.md"));
    }
}
