//! `build`, `check` and `serve`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::format::{self, Format};
use super::{SiteArgs, Verbosity, plural};

#[derive(Args, Clone)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Dossier de sortie (par défaut : DOSSIER/public)
    #[arg(long, value_name = "DOSSIER")]
    output: Option<PathBuf>,
    /// Adresse de publication, à la place de base_url de site.yaml
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Format des diagnostics : human (lisible, par défaut), json (un objet JSON par ligne), github (annotations GitHub Actions)
    #[arg(
        long,
        value_name = "FORMAT",
        value_enum,
        default_value = "human",
        hide_default_value = true,
        hide_possible_values = true
    )]
    format: Format,
    /// Traiter les avertissements comme des erreurs
    #[arg(long)]
    strict: bool,
    /// Ne pas produire l'index de recherche des répertoires (construction plus rapide)
    #[arg(long)]
    sans_recherche: bool,
    /// Ne pas produire les éditions PDF (lettres et répertoires) ni leurs liens (construction plus rapide)
    #[arg(long)]
    sans_pdf: bool,
}

#[derive(Args, Clone)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port d'écoute (par défaut : 1111 ; 0 : un port libre)
    #[arg(long, default_value_t = 1111, hide_default_value = true)]
    port: u16,
    /// Adresse d'écoute (par défaut : 127.0.0.1, cet ordinateur seulement)
    #[arg(
        long,
        value_name = "ADRESSE",
        default_value = "127.0.0.1",
        hide_default_value = true
    )]
    bind: String,
}

/// `build` (with `write`) or `check`.
pub(crate) fn run_build(a: BuildArgs, write: bool, verbosity: Verbosity) -> ExitCode {
    let root = a.site.root().to_path_buf();
    let output = a.output.clone().unwrap_or_else(|| root.join("public"));
    let opts = cufpress::Options {
        output: output.clone(),
        base_url: a.base_url,
        strict: a.strict,
        search_index: !a.sans_recherche,
        pdf: cufpress::render::pdf::Settings {
            mode: if a.sans_pdf {
                cufpress::render::pdf::Mode::Off
            } else {
                cufpress::render::pdf::Mode::Build
            },
            cache: None,
        },
        ..a.site.options()
    };
    let start = std::time::Instant::now();
    let report = if write {
        cufpress::build(&opts)
    } else {
        cufpress::check(&opts)
    };
    format::print(&report.diagnostics, a.format, &root, verbosity);
    if verbosity == Verbosity::Verbose || std::env::var_os("CUFPRESS_IMAGE_STATS").is_some() {
        let i = &report.images;
        eprintln!(
            "images : {} sources ({} Ko), {} encodées, {} en cache, {} Ko publiés, {} ms",
            i.sources,
            i.bytes_in / 1024,
            i.encoded,
            i.cached,
            i.bytes_out / 1024,
            i.millis
        );
    }
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.len() - errors;
    if !report.ok {
        eprintln!(
            "\nÉchec : {} et {}.{}",
            plural(errors, "erreur", "erreurs"),
            plural(warnings, "avertissement", "avertissements"),
            if write {
                " Le site publié n'a pas été modifié."
            } else {
                ""
            }
        );
        return ExitCode::from(1);
    }
    if verbosity == Verbosity::Quiet {
        return ExitCode::SUCCESS;
    }
    let ms = start.elapsed().as_millis();
    let warned = if warnings > 0 {
        format!(", {}", plural(warnings, "avertissement", "avertissements"))
    } else {
        String::new()
    };
    if write {
        eprintln!(
            "Site construit dans {} : {} en {ms} ms{warned}.",
            output.display(),
            plural(report.files, "fichier", "fichiers"),
        );
    } else {
        eprintln!("Contenu vérifié : aucune erreur{warned} ({ms} ms).");
    }
    ExitCode::SUCCESS
}

/// `serve`.
pub(crate) fn run_serve(a: ServeArgs) -> ExitCode {
    let opts = cufpress::serve::ServeOptions {
        site: a.site.options(),
        bind: a.bind,
        port: a.port,
    };
    match cufpress::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("erreur : {msg}");
            ExitCode::from(1)
        }
    }
}
