//! How `build` and `check` print diagnostics: for people (`human`, on
//! stderr), for tools (`json`: one JSON object per line, JSON Lines, on
//! stdout) and for GitHub Actions (`github`: workflow commands on stdout, so
//! each mistake is annotated on its line of a pull request).

use std::io::Write as _;
use std::path::Path;

use cufpress::diagnostics::{Diagnostic, Severity};

/// The `--format` of diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lisible, en français, sur la sortie d'erreur
    #[default]
    Human,
    /// Un objet JSON par ligne (JSON Lines) sur la sortie standard
    Json,
    /// Commandes de workflow GitHub Actions (::error …) sur la sortie standard
    Github,
}

/// Prints every diagnostic in `format`; `root` is the site folder as given
/// on the command line, so GitHub paths are relative to the repository.
pub fn print(ds: &[Diagnostic], format: Format, root: &Path) {
    match format {
        Format::Human => {
            let mut err = std::io::stderr().lock();
            for d in ds {
                let _ = writeln!(err, "{}", d.to_human());
            }
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in ds {
                if let Ok(line) = serde_json::to_string(d) {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
        Format::Github => {
            let prefix = repo_prefix(root);
            let mut out = std::io::stdout().lock();
            for d in ds {
                let _ = writeln!(out, "{}", github_command(d, &prefix));
            }
        }
    }
}

/// `site/` when the site lives in a sub-folder of the repository, else "".
fn repo_prefix(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_end_matches('/');
    if s.is_empty() || s == "." || root.is_absolute() {
        String::new()
    } else {
        format!("{s}/")
    }
}

/// One `::error file=…,line=…,col=…,title=…::message` line.
pub fn github_command(d: &Diagnostic, prefix: &str) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let file = if Path::new(&d.file).is_absolute() {
        d.file.clone()
    } else {
        format!("{prefix}{}", d.file)
    };
    let mut props = vec![format!("file={}", escape_property(&file))];
    if d.line > 0 {
        props.push(format!("line={}", d.line));
        if d.column > 0 {
            props.push(format!("col={}", d.column));
        }
    }
    props.push(format!("title={}", escape_property("cufpress")));
    let mut message = d.message.clone();
    if let Some(s) = &d.suggestion {
        message.push_str("\naide : ");
        message.push_str(s);
    }
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

/// Escapes a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_commands_are_escaped() {
        let d = Diagnostic::warning("content/a,b:c.md", 3, 7, "100 % : trop\r\nlong")
            .with_suggestion("coupez, raccourcissez");
        assert_eq!(
            github_command(&d, "site/"),
            "::warning file=site/content/a%2Cb%3Ac.md,line=3,col=7,title=cufpress::100 %25 : trop%0D%0Along%0Aaide : coupez, raccourcissez"
        );
        let whole = Diagnostic::error("content/site.yaml", 0, 0, "x");
        assert_eq!(
            github_command(&whole, ""),
            "::error file=content/site.yaml,title=cufpress::x"
        );
    }

    #[test]
    fn repository_prefix_of_the_site_folder() {
        assert_eq!(repo_prefix(Path::new(".")), "");
        assert_eq!(repo_prefix(Path::new("./site/")), "site/");
        assert_eq!(repo_prefix(Path::new("/abs/site")), "");
    }
}
