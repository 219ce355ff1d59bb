//! `import` (`importer-repertoire`): the arguments and the French
//! confirmation; the reading, checks and writing are `cufpress::import`.

use std::path::PathBuf;

use clap::Args;

use cufpress::diagnostics::Diagnostic;
use cufpress::import::{self, Request};

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// Fichier CSV exporté du tableur (séparateur ; ou , — UTF-8 ou Windows-1252)
    #[arg(value_name = "FICHIER.csv")]
    fichier: PathBuf,
    /// Dossier du répertoire dans content/repertoire/ (par exemple japon)
    #[arg(long, value_name = "PAYS")]
    pays: String,
    /// Remplacer les fiches qui existent déjà
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    root: super::RootArg,
}

/// Imports; returns the French confirmation.
pub(crate) fn run(a: ImportArgs) -> Result<String, Vec<Diagnostic>> {
    let request = Request {
        file: a.fichier,
        pays: a.pays,
        force: a.force,
        root: a.root.root,
    };
    let done = import::run(&request)?;
    let s = if done.written > 1 { "s" } else { "" };
    let separator = match done.separator {
        '\t' => "tabulation".to_string(),
        c => c.to_string(),
    };
    Ok(format!(
        "{} partenariat{s} importé{s} dans content/repertoire/{}/ (fichier {}, séparateur « {separator} »).",
        done.written, request.pays, done.encoding
    ))
}
