//! The import of a répertoire from a spreadsheet (`cufpress import
//! FICHIER.csv --pays SLUG`, alias `importer-repertoire`): turns a
//! spreadsheet export (what French Excel writes: `;` or `,`, UTF-8 with or
//! without BOM, or Windows-1252) into partnership files. Every bad row is
//! reported with its row and column; nothing is written unless the whole
//! file is valid; an existing file is overwritten only with `--force`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, suggestion_for};
use crate::load::{is_slug, to_slug};
use crate::resolve::repertoire::{FIRST_YEAR, is_iso_country};
use chrono::Datelike;

mod sheet;

use sheet::*;

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct Request {
    /// The CSV file exported from the spreadsheet.
    pub file: PathBuf,
    /// The directory's folder under `content/repertoire/` (`japon`).
    pub pays: String,
    /// Overwrite partnership files that exist.
    pub force: bool,
    /// The site's folder (holding `content/`).
    pub root: PathBuf,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Partnership files written.
    pub written: usize,
    /// "UTF-8", "UTF-8 avec BOM" or "Windows-1252".
    pub encoding: String,
    /// The column separator found (`;`, `,` or a tab).
    pub separator: char,
}

/// One partnership read from one row.
#[derive(Default)]
struct Row {
    line: u64,
    slug: Option<String>,
    fields: BTreeMap<&'static str, String>,
    since: Option<i32>,
    themes: Vec<String>,
    projects: BTreeMap<usize, [String; 3]>,
    contacts: BTreeMap<usize, [String; 3]>,
    description: String,
}

/// Everything a row is checked against.
struct Checker<'a> {
    file: String,
    headers: Vec<(String, Col)>,
    themes: &'a BTreeMap<String, String>,
    this_year: i32,
}

impl Checker<'_> {
    fn err(&self, line: u64, col: usize, msg: String, hint: String) -> Diagnostic {
        Diagnostic::error(
            &self.file,
            line as u32,
            col as u32 + 1,
            format!(
                "ligne {line}, colonne {} ({}) : {msg}",
                letter(col),
                self.headers[col].0
            ),
        )
        .with_suggestion(hint)
    }

    fn row(&self, line: u64, rec: &csv::StringRecord, errs: &mut Vec<Diagnostic>) -> Row {
        let mut row = Row {
            line,
            ..Row::default()
        };
        let mut bad = Vec::new();
        for (i, (_, col)) in self.headers.iter().enumerate() {
            let v = rec.get(i).unwrap_or("").trim();
            let checked = match forbidden_char(v) {
                Some(c) => Err((
                    format!(
                        "caractère invisible interdit (U+{:04X}) dans la cellule",
                        c as u32
                    ),
                    "retapez le texte de la cellule, sans copier-coller de caractères spéciaux"
                        .into(),
                )),
                None => self.cell(&mut row, *col, v),
            };
            if let Err(e) = checked {
                errs.push(self.err(line, i, e.0, e.1));
                bad.push(*col);
            }
        }
        for (name, col) in REQUIRED {
            let key = field_key(*col);
            // A cell already reported (an unknown type, say) is not also empty.
            if !bad.contains(col) && row.fields.get(key).is_none_or(|s| s.is_empty()) {
                let i = self.headers.iter().position(|(_, c)| c == col).unwrap_or(0);
                errs.push(self.err(
                    line,
                    i,
                    "cellule vide".into(),
                    format!("la colonne {name} est obligatoire sur chaque ligne"),
                ));
            }
        }
        row
    }

    fn cell(&self, row: &mut Row, col: Col, v: &str) -> Result<(), (String, String)> {
        if v.is_empty() {
            return Ok(());
        }
        let vocab = |f: fn(&str) -> Option<&'static str>, ids: &[&str], what: &str| {
            f(v).ok_or_else(|| {
                (
                    format!("{what} « {v} » inconnu"),
                    suggestion_for(&norm(v), ids.iter().copied()),
                )
            })
        };
        let value = match col {
            Col::File if !is_slug(v) => {
                return Err((
                    format!("nom de fichier « {v} » invalide"),
                    format!(
                        "lettres minuscules sans accent, chiffres et tirets, par exemple {}",
                        to_slug(v)
                    ),
                ));
            }
            Col::FrenchType => {
                let ids = ["commune", "epci", "departement", "region", "autre"];
                vocab(french_type, &ids, "type de collectivité")?.to_string()
            }
            Col::Kind => {
                let ids = ["jumelage", "cooperation", "amitie", "autre"];
                vocab(kind, &ids, "nature du partenariat")?.to_string()
            }
            Col::Status => vocab(status, &["active", "en-sommeil"], "statut")?.to_string(),
            Col::Since => {
                row.since = Some(self.year(v)?);
                return Ok(());
            }
            Col::PartnerCountry => {
                let code = v.to_ascii_uppercase();
                if !is_iso_country(&code) {
                    return Err((
                        format!("code pays « {v} » invalide"),
                        "un code ISO 3166-1 à deux lettres, par exemple JP, MG ou SN".into(),
                    ));
                }
                code
            }
            Col::Themes => {
                row.themes = self.theme_ids(v)?;
                return Ok(());
            }
            Col::Website => website(v)?,
            Col::Description => {
                row.description = v.replace("\r\n", "\n");
                return Ok(());
            }
            Col::Project(k, f) => {
                row.projects.entry(k).or_default()[f as usize] = v.to_string();
                return Ok(());
            }
            Col::Contact(k, f) => {
                if f == ContactField::Email && (!v.contains('@') || v.contains(' ')) {
                    return Err((
                        format!("adresse électronique « {v} » invalide"),
                        "par exemple prenom.nom@ville.fr".into(),
                    ));
                }
                row.contacts.entry(k).or_default()[f as usize] = v.to_string();
                return Ok(());
            }
            _ => v.to_string(),
        };
        if col == Col::File {
            row.slug = Some(value);
        } else {
            row.fields.insert(field_key(col), value);
        }
        Ok(())
    }

    fn year(&self, v: &str) -> Result<i32, (String, String)> {
        let hint = format!("une année entre {FIRST_YEAR} et {}", self.this_year);
        let y: i32 = v
            .trim_end_matches(".0")
            .parse()
            .map_err(|_| (format!("année « {v} » illisible"), hint.clone()))?;
        if !(FIRST_YEAR..=self.this_year).contains(&y) {
            return Err((format!("année {y} invraisemblable"), hint));
        }
        Ok(y)
    }

    fn theme_ids(&self, v: &str) -> Result<Vec<String>, (String, String)> {
        let mut out = Vec::new();
        for part in v
            .split([',', ';', '|', '/'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let n = norm(part);
            let id = self
                .themes
                .iter()
                .find(|(id, label)| norm(id) == n || norm(label) == n)
                .map(|(id, _)| id.clone());
            match id {
                Some(id) if !out.contains(&id) => out.push(id),
                Some(_) => {}
                None => {
                    return Err((
                        format!("thème « {part} » inconnu (absent de themes dans site.yaml)"),
                        suggestion_for(&n, self.themes.keys().map(String::as_str)),
                    ));
                }
            }
        }
        Ok(out)
    }
}

fn website(v: &str) -> Result<String, (String, String)> {
    if v.contains(' ') || !v.contains('.') {
        return Err((
            format!("adresse de site « {v} » invalide"),
            "par exemple https://www.ville.fr".into(),
        ));
    }
    Ok(if v.starts_with("http://") || v.starts_with("https://") {
        v.to_string()
    } else {
        format!("https://{v}")
    })
}

fn field_key(col: Col) -> &'static str {
    match col {
        Col::French => "french.name",
        Col::FrenchType => "french.type",
        Col::Region => "french.region",
        Col::Department => "french.department",
        Col::Partner => "partner.name",
        Col::PartnerType => "partner.type",
        Col::PartnerRegion => "partner.region",
        Col::PartnerCountry => "partner.country",
        Col::Kind => "kind",
        Col::Status => "status",
        Col::Website => "website",
        _ => "",
    }
}

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The funders of a cell: `MEAE, AFD` or `MEAE + AFD`. A cell starting
/// with `=` (what a spreadsheet takes for a formula) is one value, as typed.
fn funders(cell: &str) -> impl Iterator<Item = &str> {
    let parts: Vec<&str> = if cell.starts_with('=') {
        vec![cell]
    } else {
        cell.split([',', ';', '+', '|']).collect()
    };
    parts.into_iter().map(str::trim).filter(|s| !s.is_empty())
}

/// The partnership file of `row`.
fn render(row: &Row) -> String {
    let f = |k: &str| row.fields.get(k).filter(|s| !s.is_empty());
    let mut y = String::from("---\n");
    for (block, keys) in [
        ("french", ["name", "type", "region", "department"]),
        ("partner", ["name", "type", "region", "country"]),
    ] {
        y.push_str(&format!("{block}:\n"));
        for k in keys {
            if let Some(v) = f(&format!("{block}.{k}")) {
                y.push_str(&format!("  {k}: {}\n", q(v)));
            }
        }
    }
    for k in ["kind", "status"] {
        if let Some(v) = f(k) {
            y.push_str(&format!("{k}: {v}\n"));
        }
    }
    if let Some(s) = row.since {
        y.push_str(&format!("since: {s}\n"));
    }
    if !row.themes.is_empty() {
        y.push_str(&format!("themes: [{}]\n", row.themes.join(", ")));
    }
    let projects: Vec<&[String; 3]> = row.projects.values().filter(|p| !p[0].is_empty()).collect();
    if !projects.is_empty() {
        y.push_str("projects:\n");
        for p in projects {
            y.push_str(&format!("  - title: {}\n", q(&p[0])));
            if !p[1].is_empty() {
                y.push_str(&format!("    years: {}\n", q(&p[1])));
            }
            let funding: Vec<String> = funders(&p[2]).map(q).collect();
            if !funding.is_empty() {
                y.push_str(&format!("    funding: [{}]\n", funding.join(", ")));
            }
        }
    }
    let contacts: Vec<&[String; 3]> = row.contacts.values().filter(|c| !c[0].is_empty()).collect();
    if !contacts.is_empty() {
        y.push_str("contacts:\n");
        for c in contacts {
            y.push_str(&format!("  - name: {}\n", q(&c[0])));
            if !c[1].is_empty() {
                y.push_str(&format!("    role: {}\n", q(&c[1])));
            }
            if !c[2].is_empty() {
                y.push_str(&format!("    email: {}\n", q(&c[2])));
            }
        }
    }
    if let Some(w) = f("website") {
        y.push_str(&format!("website: {}\n", q(w)));
    }
    y.push_str("---\n");
    if !row.description.is_empty() {
        y.push_str(row.description.trim());
        y.push('\n');
    }
    y
}

#[derive(serde::Deserialize)]
struct ThemesOnly {
    #[serde(default)]
    themes: BTreeMap<String, String>,
}

fn site_themes(root: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let text = std::fs::read_to_string(root.join("content/site.yaml")).map_err(|e| {
        Diagnostic::error(
            "content/site.yaml",
            0,
            0,
            format!("lecture impossible : {e}"),
        )
        .with_suggestion("lancez la commande dans le dossier du site, ou indiquez-le avec --root")
    })?;
    yaml_serde::from_str::<ThemesOnly>(&text)
        .map(|t| t.themes)
        .map_err(|_| {
            Diagnostic::error("content/site.yaml", 0, 0, "fichier illisible")
                .with_suggestion("lancez cufpress check pour voir l'erreur")
        })
}

fn directory(root: &Path, pays: &str) -> Result<PathBuf, Diagnostic> {
    let dir = root.join("content/repertoire").join(pays);
    if is_slug(pays) && dir.join("_index.md").is_file() {
        return Ok(dir);
    }
    let existing: Vec<String> = std::fs::read_dir(root.join("content/repertoire"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().join("_index.md").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut hint = suggestion_for(pays, existing.iter().map(String::as_str));
    if hint.is_empty() {
        hint = format!("créez d'abord le répertoire : content/repertoire/{pays}/_index.md");
    }
    Err(Diagnostic::error(
        format!("content/repertoire/{pays}/_index.md"),
        0,
        0,
        format!("le répertoire « {pays} » n'existe pas"),
    )
    .with_suggestion(hint))
}

/// Reads the header line; every unknown or missing column is an error.
fn headers(file: &str, rec: &csv::StringRecord, errs: &mut Vec<Diagnostic>) -> Vec<(String, Col)> {
    let mut known: Vec<String> = SIMPLE.iter().map(|(n, _)| n.to_string()).collect();
    known.extend(["projet1", "projet1_annees", "projet1_financements"].map(String::from));
    known.extend(["contact1_nom", "contact1_fonction", "contact1_courriel"].map(String::from));
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, h) in rec.iter().enumerate() {
        let Some(col) = parse_header(h) else {
            errs.push(
                Diagnostic::error(
                    file,
                    1,
                    i as u32 + 1,
                    format!("ligne 1, colonne {} : colonne « {h} » inconnue", letter(i)),
                )
                .with_suggestion(suggestion_for(&norm(h), known.iter().map(String::as_str))),
            );
            out.push((h.to_string(), Col::File));
            continue;
        };
        if !seen.insert(format!("{col:?}")) {
            errs.push(Diagnostic::error(
                file,
                1,
                i as u32 + 1,
                format!("ligne 1, colonne {} : colonne « {h} » en double", letter(i)),
            ));
        }
        out.push((h.trim().to_string(), col));
    }
    for (name, col) in REQUIRED {
        if !out.iter().any(|(_, c)| c == col) {
            errs.push(
                Diagnostic::error(file, 1, 0, format!("ligne 1 : la colonne obligatoire « {name} » manque"))
                    .with_suggestion("voir les colonnes attendues dans docs/import-repertoire.md et l'exemple docs/exemple-repertoire.csv"),
            );
        }
    }
    out
}

/// Reads, checks, then writes: nothing is written unless every row is
/// valid. Returns what was written, or every mistake found.
pub fn run(a: &Request) -> Result<Summary, Vec<Diagnostic>> {
    let file = a.file.display().to_string();
    let bytes = std::fs::read(&a.file).map_err(|e| {
        vec![Diagnostic::error(
            &file,
            0,
            0,
            format!("lecture impossible : {e}"),
        )]
    })?;
    let dir = directory(&a.root, &a.pays).map_err(|d| vec![d])?;
    let themes = site_themes(&a.root).map_err(|d| vec![d])?;
    let (text, encoding) = decode(&bytes);
    let sep = sniff(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut errs = Vec::new();
    let mut numbers = RowNumbers::new(&text);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => {
            numbers.row(0, h.iter());
            h
        }
        _ => {
            return Err(vec![Diagnostic::error(
                &file,
                1,
                0,
                "fichier vide ou illisible",
            )]);
        }
    };
    let checker = Checker {
        headers: headers(&file, &header, &mut errs),
        file: file.clone(),
        themes: &themes,
        this_year: chrono::Local::now().year(),
    };
    let mut rows = Vec::new();
    for rec in records {
        match rec {
            Ok(r) => {
                let line = numbers.row(r.position().map_or(0, |p| p.byte()), r.iter());
                if !r.iter().all(|c| c.trim().is_empty()) {
                    rows.push(checker.row(line, &r, &mut errs));
                }
            }
            Err(e) => {
                let line = numbers.row(e.position().map_or(0, |p| p.byte()), []);
                errs.push(Diagnostic::error(
                    &file,
                    line as u32,
                    0,
                    format!("ligne {line} illisible : guillemets mal fermés ?"),
                ));
            }
        }
    }
    if rows.is_empty() && errs.is_empty() {
        errs.push(Diagnostic::error(
            &file,
            2,
            0,
            "aucune ligne de partenariat après les en-têtes",
        ));
    }
    let targets = plan(&checker, &rows, &dir, &a.pays, a.force, &mut errs);
    if !errs.is_empty() {
        return Err(errs);
    }
    for (path, row) in &targets {
        std::fs::write(path, render(row)).map_err(|e| {
            vec![Diagnostic::error(
                path.display().to_string(),
                0,
                0,
                format!("écriture impossible : {e}"),
            )]
        })?;
    }
    Ok(Summary {
        written: targets.len(),
        encoding: encoding.to_string(),
        separator: sep as char,
    })
}

/// The file each row goes to; duplicates and existing files are errors.
fn plan<'r>(
    c: &Checker<'_>,
    rows: &'r [Row],
    dir: &Path,
    pays: &str,
    force: bool,
    errs: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, &'r Row)> {
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut out = Vec::new();
    let file_col = c.headers.iter().position(|(_, col)| *col == Col::File);
    for row in rows {
        let slug = row.slug.clone().unwrap_or_else(|| {
            let name = |k| row.fields.get(k).map_or("", String::as_str);
            to_slug(&format!("{} {}", name("french.name"), name("partner.name")))
        });
        if slug.is_empty() {
            continue;
        }
        let col = file_col.unwrap_or(0);
        if let Some(first) = seen.insert(slug.clone(), row.line) {
            errs.push(c.err(
                row.line,
                col,
                format!("même fiche que la ligne {first} : content/repertoire/{pays}/{slug}.md"),
                "donnez un nom de fichier différent dans la colonne fichier".into(),
            ));
            continue;
        }
        let path = dir.join(format!("{slug}.md"));
        if path.exists() && !force {
            errs.push(c.err(
                row.line,
                col,
                format!("content/repertoire/{pays}/{slug}.md existe déjà"),
                "relancez avec --force pour la remplacer, ou changez le nom dans la colonne fichier".into(),
            ));
            continue;
        }
        out.push((path, row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_letters() {
        assert_eq!(parse_header("Type partenaire"), Some(Col::PartnerType));
        assert_eq!(parse_header("Département"), Some(Col::Department));
        assert_eq!(
            parse_header("projet2_années"),
            Some(Col::Project(2, ProjectField::Years))
        );
        assert_eq!(
            parse_header("Contact1 courriel"),
            Some(Col::Contact(1, ContactField::Email))
        );
        assert_eq!(parse_header("tittle"), None);
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }

    #[test]
    fn encodings_and_separators() {
        assert_eq!(decode(b"\xEF\xBB\xBFa;b").0, "a;b");
        assert_eq!(decode(b"R\xE9gion").0, "Région");
        assert_eq!(decode(b"R\xE9gion").1, "Windows-1252");
        assert_eq!(sniff("a;b;\"c,d,e\"\n1,2,3,4"), b';');
        assert_eq!(sniff("a,b,c\n"), b',');
    }

    #[test]
    fn vocabularies_accept_spreadsheet_spellings() {
        assert_eq!(french_type("Département"), Some("departement"));
        assert_eq!(kind("Coopération décentralisée"), Some("cooperation"));
        assert_eq!(status("En sommeil"), Some("en-sommeil"));
        assert_eq!(status("peut-être"), None);
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(q("Ville d'\"Aix\"\\"), "\"Ville d'\\\"Aix\\\"\\\\\"");
    }
}
