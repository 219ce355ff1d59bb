//! `completions` and `man`: generated from the same definition as the
//! command line itself, so they never drift from it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

#[derive(Args, Clone)]
pub(crate) struct CompletionArgs {
    /// Shell : bash, zsh, fish, powershell ou elvish
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

#[derive(Args, Clone)]
pub(crate) struct ManArgs {
    /// Dossier où écrire cufpress.1 et une page par commande (par défaut : la page principale sur la sortie standard)
    #[arg(long, value_name = "DOSSIER")]
    dossier: Option<PathBuf>,
}

/// Prints the completion script of `shell` on stdout.
pub(crate) fn completions(a: CompletionArgs) -> ExitCode {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "cufpress", &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// Prints the man page, or writes it and one page per command into a folder.
pub(crate) fn man(a: ManArgs) -> ExitCode {
    let cmd = Cli::command();
    let written = match &a.dossier {
        None => clap_mangen::Man::new(cmd).render(&mut std::io::stdout()),
        Some(dir) => std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir)),
    };
    match written {
        Ok(()) => {
            if let Some(dir) = &a.dossier {
                eprintln!("Pages de manuel écrites dans {}.", dir.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "erreur : écriture impossible de la page de manuel : {}",
                cufpress::publish::folder::french(&e)
            );
            ExitCode::from(1)
        }
    }
}
