//! How commands print diagnostics: for people (`human`, on stderr, in
//! colour on a terminal unless `NO_COLOR` is set), for tools (`json`: one
//! JSON object per line, JSON Lines, on stdout) and for GitHub Actions
//! (`github`: workflow commands on stdout, so each mistake is annotated on
//! its line of a pull request). Also the progress bar of long work.

use std::io::{IsTerminal, Write as _};
use std::path::Path;

use anstyle::{AnsiColor, Style};
use cufpress::diagnostics::{Diagnostic, Severity};

use super::Verbosity;

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

/// Prints every diagnostic in `format` (`--quiet` leaves out warnings);
/// `root` is the site folder as given on the command line, so GitHub
/// paths are relative to the repository.
pub fn print(ds: &[Diagnostic], format: Format, root: &Path, verbosity: Verbosity) {
    match format {
        Format::Human => print_human(ds, verbosity),
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

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default().bold();

/// Diagnostics for people, on stderr; the labels in colour when stderr is
/// a terminal and `NO_COLOR` is not set (anstream strips the codes else).
pub fn print_human(ds: &[Diagnostic], verbosity: Verbosity) {
    let mut err = anstream::stderr().lock();
    for d in ds {
        if verbosity == Verbosity::Quiet && d.severity == Severity::Warning {
            continue;
        }
        let _ = writeln!(err, "{}", colour(&d.to_human(), d.severity));
    }
}

/// `text` of [`Diagnostic::to_human`] with its labels styled.
fn colour(text: &str, severity: Severity) -> String {
    let (label, style) = match severity {
        Severity::Error => ("erreur", ERROR),
        Severity::Warning => ("avertissement", WARNING),
    };
    let mut out = String::with_capacity(text.len() + 32);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == 0
            && let Some(rest) = line.strip_prefix(label)
        {
            out.push_str(&format!("{style}{label}{style:#}{rest}"));
        } else if let Some(rest) = line.strip_prefix("  aide") {
            out.push_str(&format!("  {HINT}aide{HINT:#}{rest}"));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Draws the library's progress (image encodes, PDFs) as a bar on stderr when it
/// is a terminal; nothing otherwise (logs and CI stay clean).
pub fn show_progress() {
    if std::io::stderr().is_terminal() {
        cufpress::progress::set_reporter(Box::new(Bar::default()));
    }
}

/// The progress bar, hidden until a task starts.
#[derive(Default)]
struct Bar {
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl cufpress::progress::Reporter for Bar {
    fn start(&self, label: &'static str, total: u64) {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} ({eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label);
        *self.bar.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(b) = &*self.bar.lock().unwrap_or_else(|e| e.into_inner()) {
            b.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
            b.finish_and_clear();
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
    fn labels_are_coloured_and_nothing_else() {
        let d = Diagnostic::error("content/a.md", 3, 7, "erreur ici").with_suggestion("aide là");
        let c = colour(&d.to_human(), d.severity);
        assert!(c.starts_with("\u{1b}["), "{c:?}");
        let plain = anstream::adapter::strip_str(&c).to_string();
        assert_eq!(plain, d.to_human());
        assert_eq!(c.matches("\u{1b}[0m").count(), 2, "{c:?}");
    }

    #[test]
    fn repository_prefix_of_the_site_folder() {
        assert_eq!(repo_prefix(Path::new(".")), "");
        assert_eq!(repo_prefix(Path::new("./site/")), "site/");
        assert_eq!(repo_prefix(Path::new("/abs/site")), "");
    }
}
