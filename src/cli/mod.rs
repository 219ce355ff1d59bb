//! The `cufpress` command: argument parsing and printing only, one module
//! per command over the library. Command names are English with their
//! French names as aliases (`build`/`construire`, `send-test`/`envoyer-test`),
//! named in each command's French help line.

mod build;
mod extras;
mod format;
mod import;
mod new;
mod send;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

pub(crate) const HELP_TEMPLATE: &str = "\
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
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Afficher le détail : durée de chaque étape, images encodées et en cache
    #[arg(short = 'v', long, global = true)]
    verbose: bool,
    /// N'afficher que les erreurs
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Afficher l'aide
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Afficher la version
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Construire le site dans public/ (aussi : construire)
    #[command(alias = "construire", help_template = HELP_TEMPLATE)]
    Build(build::BuildArgs),
    /// Vérifier le contenu sans rien écrire (aussi : verifier)
    #[command(alias = "verifier", help_template = HELP_TEMPLATE)]
    Check(build::BuildArgs),
    /// Créer un fichier de contenu prêt à remplir (aussi : nouveau)
    #[command(alias = "nouveau", help_template = HELP_TEMPLATE, subcommand_help_heading = "Types de fichier", subcommand_value_name = "TYPE")]
    New(new::NewArgs),
    /// Servir le site en local, le reconstruire et recharger le navigateur à chaque enregistrement (aussi : servir)
    #[command(alias = "servir", help_template = HELP_TEMPLATE)]
    Serve(build::ServeArgs),
    /// Importer des partenariats depuis un tableur (CSV) : cufpress import fiches.csv --pays japon (aussi : importer-repertoire)
    #[command(name = "import", alias = "importer-repertoire", help_template = HELP_TEMPLATE)]
    Import(import::ImportArgs),
    /// Envoyer un numéro de la lettre par SMTP, pour essai : cufpress send-test 2025-09 --to moi@exemple.fr --smtp 127.0.0.1:1025 (aussi : envoyer-test)
    #[command(name = "send-test", alias = "envoyer-test", help_template = HELP_TEMPLATE)]
    SendTest(send::SendArgs),
    /// Écrire le script de complétion des commandes pour un shell : bash, zsh, fish, powershell, elvish (aussi : completion)
    #[command(alias = "completion", help_template = HELP_TEMPLATE)]
    Completions(extras::CompletionArgs),
    /// Écrire la page de manuel (man) de cufpress (aussi : manuel)
    #[command(alias = "manuel", help_template = HELP_TEMPLATE)]
    Man(extras::ManArgs),
}

/// How much the command prints besides its errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verbosity {
    /// `--quiet`: errors only.
    Quiet,
    /// Errors, warnings and a one-line summary.
    Normal,
    /// `--verbose`: also the stage timings and the image step's figures.
    Verbose,
}

/// `--root`, shared by every command.
#[derive(Args, Clone)]
pub(crate) struct RootArg {
    /// Dossier du site, qui contient content/ et themes/ (par défaut : le dossier courant)
    #[arg(
        long,
        value_name = "DOSSIER",
        default_value = ".",
        hide_default_value = true,
        global = true
    )]
    pub root: PathBuf,
}

/// The options of every command that builds the site.
#[derive(Args, Clone)]
pub(crate) struct SiteArgs {
    #[command(flatten)]
    root: RootArg,
    /// Inclure les brouillons (draft: true)
    #[arg(long)]
    drafts: bool,
    /// Date du jour pour « à venir » et « passé » (AAAA-MM-JJ ; par défaut : aujourd'hui)
    #[arg(long, value_name = "AAAA-MM-JJ", value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
}

impl SiteArgs {
    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.root.root
    }

    /// `--today`, or the real date.
    fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The pipeline's options for this site (output `public/`, search on).
    pub fn options(&self) -> cufpress::Options {
        cufpress::Options {
            root: self.root().to_path_buf(),
            output: self.root().join("public"),
            drafts: self.drafts,
            today: self.today(),
            ..cufpress::Options::default()
        }
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("« {s} » n'est pas une date AAAA-MM-JJ"))
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    if verbosity == Verbosity::Verbose {
        cufpress::timings::enable();
    }
    if verbosity != Verbosity::Quiet {
        format::show_progress();
    }
    match cli.command {
        Command::Build(a) => build::run_build(a, true, verbosity),
        Command::Check(a) => build::run_build(a, false, verbosity),
        Command::Serve(a) => build::run_serve(a),
        Command::New(a) => print_outcome(new::run(a).map_err(|d| vec![d]), verbosity, None),
        Command::Import(a) => print_outcome(
            import::run(a),
            verbosity,
            Some("Échec de l'import : {n}. Aucun fichier n'a été écrit."),
        ),
        Command::SendTest(a) => print_outcome(
            send::run(a),
            verbosity,
            Some("Échec : aucun message n'a été envoyé."),
        ),
        Command::Completions(a) => extras::completions(a),
        Command::Man(a) => extras::man(a),
    }
}

/// Prints a command's French confirmation, or its diagnostics and the
/// closing line `failed` (`{n}` is the count of errors).
fn print_outcome(
    r: Result<String, Vec<cufpress::diagnostics::Diagnostic>>,
    verbosity: Verbosity,
    failed: Option<&str>,
) -> ExitCode {
    match r {
        Ok(msg) => {
            if verbosity != Verbosity::Quiet {
                println!("{msg}");
            }
            ExitCode::SUCCESS
        }
        Err(ds) => {
            format::print_human(&ds, Verbosity::Normal);
            if let Some(line) = failed {
                let n = plural(ds.len(), "erreur", "erreurs");
                eprintln!("\n{}", line.replace("{n}", &n));
            }
            ExitCode::from(1)
        }
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
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
