//! The `cufpress` command: a thin French CLI over the library.

mod cli_new;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

use cufpress::diagnostics::Diagnostic;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
{usage-heading} {usage}

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
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Options")]
    Build(BuildArgs),
    /// Vérifier le contenu sans rien écrire
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Options")]
    Check(BuildArgs),
    /// Créer un fichier de contenu prêt à remplir
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Types de fichier", subcommand_value_name = "TYPE")]
    New(cli_new::NewArgs),
}

#[derive(Args, Clone)]
struct BuildArgs {
    /// Dossier du site (qui contient content/ et themes/)
    #[arg(long, value_name = "DOSSIER", default_value = ".")]
    root: PathBuf,
    /// Dossier de sortie (par défaut : DOSSIER/public)
    #[arg(long, value_name = "DOSSIER")]
    output: Option<PathBuf>,
    /// Adresse de publication, à la place de base_url de site.yaml
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Inclure les brouillons (draft: true)
    #[arg(long)]
    drafts: bool,
    /// Date du jour pour « à venir » et « passé » (AAAA-MM-JJ ; par défaut : aujourd'hui)
    #[arg(long, value_name = "AAAA-MM-JJ", value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
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
    }
}

fn run_build(a: BuildArgs, write: bool) -> ExitCode {
    let output = a.output.clone().unwrap_or_else(|| a.root.join("public"));
    let opts = cufpress::BuildOptions {
        root: a.root,
        output: output.clone(),
        base_url: a.base_url,
        drafts: a.drafts,
        today: a.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        write,
    };
    let start = std::time::Instant::now();
    let report = cufpress::build(&opts);
    print_diagnostics(&report.diagnostics);
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.len() - errors;
    if !report.ok {
        eprintln!(
            "\nÉchec : {} et {}. {}",
            plural(errors, "erreur", "erreurs"),
            plural(warnings, "avertissement", "avertissements"),
            if write {
                "Le site publié n'a pas été modifié."
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

fn print_diagnostics(ds: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in ds {
        let _ = writeln!(err, "{}", d.to_human());
    }
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
