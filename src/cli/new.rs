//! `cufpress new …`: scaffolds a content file with the right front matter.

use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};
use clap::{Args, Subcommand};

use cufpress::dates;
use cufpress::diagnostics::{Diagnostic, suggestion_for};
use cufpress::load::{is_slug, to_slug};
use cufpress::resolve::drafts::{
    PLACEHOLDER_ARTICLE_BODY, PLACEHOLDER_EVENT_BODY, PLACEHOLDER_FRENCH, PLACEHOLDER_PARTNER,
    PLACEHOLDER_PARTNERSHIP_BODY, PLACEHOLDER_TITLE,
};

#[derive(Args)]
pub struct NewArgs {
    #[command(subcommand)]
    kind: NewKind,
    #[command(flatten)]
    root: super::RootArg,
}

#[derive(Subcommand)]
enum NewKind {
    /// Un nouveau numéro de la lettre : cufpress new lettre 2025-11
    #[command(help_template = super::HELP_TEMPLATE)]
    Lettre {
        /// Mois du numéro, AAAA-MM
        mois: String,
    },
    /// Un article d'un numéro : cufpress new article 2025-11 reunion-liban --rubrique geographique
    #[command(help_template = super::HELP_TEMPLATE)]
    Article {
        /// Mois du numéro, AAAA-MM
        mois: String,
        /// Nom du fichier (minuscules, chiffres, tirets)
        nom: String,
        /// Rubrique : id d'une section de site.yaml (par défaut : informations)
        #[arg(
            long,
            value_name = "ID",
            default_value = "informations",
            hide_default_value = true
        )]
        rubrique: String,
    },
    /// Un événement de l'agenda : cufpress new evenement cop31 --date 2026-11-09
    #[command(help_template = super::HELP_TEMPLATE)]
    Evenement {
        /// Nom du fichier (minuscules, chiffres, tirets)
        nom: String,
        /// Date de début, AAAA-MM-JJ
        #[arg(long, value_name = "AAAA-MM-JJ")]
        date: String,
    },
    /// Un partenariat d'un répertoire : cufpress new partenariat japon nantes-niigata
    #[command(help_template = super::HELP_TEMPLATE)]
    Partenariat {
        /// Dossier du répertoire (pays)
        pays: String,
        /// Nom du fichier (minuscules, chiffres, tirets)
        nom: String,
    },
}

/// Writes the file; returns the French confirmation.
pub fn run(a: NewArgs) -> Result<String, Diagnostic> {
    let (rel, text) = match a.kind {
        NewKind::Lettre { mois } => {
            let first = month(&mois)?;
            let second = first + Months::new(1);
            let end = first + Months::new(2) - chrono::Days::new(1);
            let title = format!(
                "{} & {} {}",
                capitalize(&dates::month_name(first)),
                capitalize(&dates::month_name(second)),
                second.year()
            );
            (
                format!("content/lettres/{mois}/_index.md"),
                format!(
                    "---\ntitle: \"{title}\"\nnumber: \ndate: {first}\nperiod:\n  from: {first}\n  to: {end}\npreheader: \"\"\ndraft: true\n---\n"
                ),
            )
        }
        NewKind::Article {
            mois,
            nom,
            rubrique,
        } => {
            month(&mois)?;
            slug(&nom)?;
            issue_exists(&a.root.root, &mois)?;
            let rubrique = section_id(&a.root.root, &rubrique)?;
            (
                format!("content/lettres/{mois}/{nom}.md"),
                format!(
                    "---\ntitle: \"{PLACEHOLDER_TITLE}\"\nsection: {rubrique}\ngroup: \nthemes: []\nsummary: \"\"\nlink: \nweight: 100\ndraft: true\n---\n\n{PLACEHOLDER_ARTICLE_BODY}\n"
                ),
            )
        }
        NewKind::Evenement { nom, date } => {
            slug(&nom)?;
            let d = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
                Diagnostic::error(&date, 0, 0, "date invalide : attendu AAAA-MM-JJ")
            })?;
            (
                format!("content/agenda/{}/{nom}.md", d.year()),
                format!(
                    "---\ntitle: \"{PLACEHOLDER_TITLE}\"\nstart: {d}\nend: \nplace: \"\"\nformat: presentiel\nmembers_only: false\ngroup: \nlink: \ndraft: true\n---\n\n{PLACEHOLDER_EVENT_BODY}\n"
                ),
            )
        }
        NewKind::Partenariat { pays, nom } => {
            slug(&pays)?;
            slug(&nom)?;
            (
                format!("content/repertoire/{pays}/{nom}.md"),
                format!(
                    "---\nfrench:\n  name: \"{PLACEHOLDER_FRENCH}\"\n  type: commune\n  region: \"\"\n  department: \"\"\npartner:\n  name: \"{PLACEHOLDER_PARTNER}\"\n  type: \"\"\n  region: \"\"\nkind: cooperation\nsince: \nthemes: []\nprojects: []\ncontacts: []\ndraft: true\n---\n\n{PLACEHOLDER_PARTNERSHIP_BODY}\n"
                ),
            )
        }
    };
    write_new(&a.root.root, &rel, &text)
}

/// An article goes into an issue that exists: its `_index.md` is there.
fn issue_exists(root: &Path, mois: &str) -> Result<(), Diagnostic> {
    let index = format!("content/lettres/{mois}/_index.md");
    if root.join(&index).is_file() {
        return Ok(());
    }
    Err(Diagnostic::error(
        &index,
        0,
        0,
        format!("le numéro {mois} n'existe pas encore : ce fichier manque"),
    )
    .with_suggestion(format!(
        "créez d'abord le numéro avec « cufpress new lettre {mois} », puis l'article"
    )))
}

/// The section id `wanted` stands for: an id of `site.yaml`, or the
/// printed title of a section (« Actualités géographiques » → geographique).
fn section_id(root: &Path, wanted: &str) -> Result<String, Diagnostic> {
    let config = cufpress::load::read_config(root).map_err(|ds| {
        ds.into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("content/site.yaml", 0, 0, "site.yaml illisible"))
    })?;
    let sections = &config.sections;
    if sections.iter().any(|s| s.id == wanted) {
        return Ok(wanted.to_string());
    }
    let key = to_slug(wanted);
    if let Some(s) = sections
        .iter()
        .find(|s| to_slug(&s.title) == key || to_slug(&s.id) == key)
    {
        return Ok(s.id.clone());
    }
    let ids = sections.iter().map(|s| s.id.as_str());
    Err(Diagnostic::error(
        "--rubrique",
        0,
        0,
        format!("rubrique « {wanted} » inconnue (absente de sections dans site.yaml)"),
    )
    .with_suggestion(suggestion_for(wanted, ids)))
}

fn write_new(root: &Path, rel: &str, text: &str) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    if path.exists() {
        return Err(Diagnostic::error(
            rel,
            0,
            0,
            "ce fichier existe déjà : il n'a pas été modifié",
        )
        .with_suggestion("choisissez un autre nom, ou modifiez le fichier existant"));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::error(rel, 0, 0, format!("création impossible : {e}")))?;
    }
    std::fs::write(&path, text)
        .map_err(|e| Diagnostic::error(rel, 0, 0, format!("écriture impossible : {e}")))?;
    Ok(format!("Créé : {rel}"))
}

fn month(s: &str) -> Result<NaiveDate, Diagnostic> {
    NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 7)
        .ok_or_else(|| {
            Diagnostic::error(s, 0, 0, format!("mois « {s} » invalide"))
                .with_suggestion("écrivez l'année et le mois, par exemple 2025-11")
        })
}

fn slug(s: &str) -> Result<(), Diagnostic> {
    if is_slug(s) {
        Ok(())
    } else {
        Err(Diagnostic::error(
            s,
            0,
            0,
            format!("nom « {s} » invalide : minuscules sans accent, chiffres et tirets seulement"),
        )
        .with_suggestion(format!("par exemple « {} »", to_slug(s))))
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
