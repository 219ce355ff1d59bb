//! The `cufpress` command: a thin French CLI over the library.

mod cli_format;
mod cli_import;
mod cli_new;
mod cli_send;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

/// mimalloc: a build allocates and frees millions of small strings across
/// threads; it is measurably faster there than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
Utilisation : {usage}

{all-args}{after-help}";

/// Générateur du site de Cités Unies France : La Lettre, l'agenda et les répertoires.
#[derive(Parser)]
#[command(
    name = "cufpress",
    version,
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Afficher l'aide
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Afficher la version
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Construire le site dans public/
    #[command(help_template = HELP_TEMPLATE)]
    Build(BuildArgs),
    /// Vérifier le contenu sans rien écrire
    #[command(help_template = HELP_TEMPLATE)]
    Check(BuildArgs),
    /// Créer un fichier de contenu prêt à remplir
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Types de fichier", subcommand_value_name = "TYPE")]
    New(cli_new::NewArgs),
    /// Importer des partenariats depuis un tableur (CSV) : cufpress importer-repertoire fiches.csv --pays japon
    #[command(name = "importer-repertoire", help_template = HELP_TEMPLATE)]
    ImporterRepertoire(cli_import::ImportArgs),
    /// Envoyer un numéro de la lettre par SMTP, pour essai : cufpress envoyer-test 2025-09 --to moi@exemple.fr --smtp 127.0.0.1:1025
    #[command(name = "envoyer-test", help_template = HELP_TEMPLATE)]
    EnvoyerTest(cli_send::SendArgs),
    /// Servir le site en local, le reconstruire et recharger le navigateur à chaque enregistrement
    #[command(help_template = HELP_TEMPLATE)]
    Serve(ServeArgs),
}

/// The options every command that builds the site shares.
#[derive(Args, Clone)]
struct SiteArgs {
    /// Dossier du site, qui contient content/ et themes/ (par défaut : le dossier courant)
    #[arg(
        long,
        value_name = "DOSSIER",
        default_value = ".",
        hide_default_value = true
    )]
    root: PathBuf,
    /// Inclure les brouillons (draft: true)
    #[arg(long)]
    drafts: bool,
    /// Date du jour pour « à venir » et « passé » (AAAA-MM-JJ ; par défaut : aujourd'hui)
    #[arg(long, value_name = "AAAA-MM-JJ", value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
}

impl SiteArgs {
    /// `--today`, or the real date.
    fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The pipeline's options for this site (output `public/`, search on).
    fn options(&self) -> cufpress::Options {
        cufpress::Options {
            root: self.root.clone(),
            output: self.root.join("public"),
            drafts: self.drafts,
            today: self.today(),
            ..cufpress::Options::default()
        }
    }
}

#[derive(Args, Clone)]
struct ServeArgs {
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

#[derive(Args, Clone)]
struct BuildArgs {
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
    format: cli_format::Format,
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

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("« {s} » n'est pas une date AAAA-MM-JJ"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    match cli.command {
        Command::Build(a) => run_build(a, true),
        Command::Serve(a) => run_serve(a),
        Command::Check(a) => run_build(a, false),
        Command::New(a) => match cli_new::run(a) {
            Ok(msg) => {
                println!("{msg}");
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprint!("{}", d.to_human());
                ExitCode::from(1)
            }
        },
        Command::ImporterRepertoire(a) => match cli_import::run(a) {
            Ok(msg) => {
                println!("{msg}");
                ExitCode::SUCCESS
            }
            Err(ds) => {
                for d in &ds {
                    eprintln!("{}", d.to_human());
                }
                let n = plural(ds.len(), "erreur", "erreurs");
                eprintln!("\nÉchec de l'import : {n}. Aucun fichier n'a été écrit.");
                ExitCode::from(1)
            }
        },
        Command::EnvoyerTest(a) => match cli_send::run(a) {
            Ok(msg) => {
                println!("{msg}");
                ExitCode::SUCCESS
            }
            Err(ds) => {
                for d in &ds {
                    eprintln!("{}", d.to_human());
                }
                eprintln!("Échec : aucun message n'a été envoyé.");
                ExitCode::from(1)
            }
        },
    }
}

fn run_build(a: BuildArgs, write: bool) -> ExitCode {
    let output = a
        .output
        .clone()
        .unwrap_or_else(|| a.site.root.join("public"));
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
    cli_format::print(&report.diagnostics, a.format, &a.site.root);
    if std::env::var_os("CUFPRESS_IMAGE_STATS").is_some() {
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
    let ms = start.elapsed().as_millis();
    if write {
        eprintln!(
            "Site construit dans {} : {} en {ms} ms{}.",
            output.display(),
            plural(report.files, "fichier", "fichiers"),
            if warnings > 0 {
                format!(", {}", plural(warnings, "avertissement", "avertissements"))
            } else {
                String::new()
            }
        );
    } else {
        eprintln!(
            "Contenu vérifié : aucune erreur{} ({ms} ms).",
            if warnings > 0 {
                format!(", {}", plural(warnings, "avertissement", "avertissements"))
            } else {
                String::new()
            }
        );
    }
    ExitCode::SUCCESS
}

fn run_serve(a: ServeArgs) -> ExitCode {
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// Usage mistakes, in French, exit code 2 (help and version exit 0).
fn usage_error(e: clap::Error) -> ExitCode {
    let detail = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        ErrorKind::UnknownArgument => {
            format!("option inconnue : {}", detail(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "commande inconnue : {}",
                detail(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "valeur invalide « {} » pour {}",
            detail(ContextKind::InvalidValue),
            detail(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!(
                "argument obligatoire manquant : {}",
                detail(ContextKind::InvalidArg)
            )
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!(
                "arguments en trop ou incompatibles : {}",
                detail(ContextKind::InvalidArg)
            )
        }
        _ => "utilisation incorrecte".to_string(),
    };
    let suggestion = match e
        .get(ContextKind::SuggestedArg)
        .or(e.get(ContextKind::SuggestedSubcommand))
    {
        Some(ContextValue::String(s)) => format!("\n  aide : vouliez-vous dire « {s} » ?"),
        Some(ContextValue::Strings(v)) if !v.is_empty() => {
            format!("\n  aide : vouliez-vous dire « {} » ?", v.join(" » ou « "))
        }
        _ => String::new(),
    };
    eprintln!("erreur : {msg}{suggestion}\n\nPour l'aide : cufpress --help");
    ExitCode::from(2)
}
