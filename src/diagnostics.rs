//! Diagnostics: mistakes found in a site, collected as values across a whole
//! run and printed once, in French, path first.

use std::fmt::Write as _;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on; `--strict` turns it into an error.
    Warning,
}

/// One mistake, located in a file of the site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path of the file, relative to the site root (`content/…`, `themes/…`).
    pub file: String,
    /// 1-based line; 0 when the mistake concerns the whole file.
    pub line: u32,
    /// 1-based column; 0 when unknown.
    pub column: u32,
    /// What is wrong, in French.
    pub message: String,
    /// What would be right, in French, when it is clear.
    pub suggestion: Option<String>,
    /// The source line the mistake is on, for the human report.
    #[serde(skip)]
    pub excerpt: Option<String>,
}

impl Diagnostic {
    /// An error in `file` at `line`:`column`.
    pub fn error(
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: shorten(message.into()),
            suggestion: None,
            excerpt: None,
        }
    }

    /// A warning in `file` at `line`:`column`.
    pub fn warning(
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, column, message)
        }
    }

    /// Adds what would be right.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        let s = shorten(suggestion.into());
        if !s.is_empty() {
            self.suggestion = Some(s);
        }
        self
    }

    /// Attaches the source line `self.line` of `source` as an excerpt.
    pub fn with_source(mut self, source: &str) -> Self {
        if self.line > 0 {
            self.excerpt = source
                .lines()
                .nth(self.line as usize - 1)
                .map(|l| truncate_chars(l, 160));
        }
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, u32, u32, &str) {
        (&self.file, self.line, self.column, &self.message)
    }

    /// The human, multi-line French rendering of this diagnostic.
    pub fn to_human(&self) -> String {
        let label = match self.severity {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
        };
        let mut out = String::new();
        let _ = write!(out, "{label} : {}", self.file);
        if self.line > 0 {
            let _ = write!(out, ":{}", self.line);
            if self.column > 0 {
                let _ = write!(out, ":{}", self.column);
            }
        }
        let _ = writeln!(out, " : {}", self.message);
        if let Some(excerpt) = &self.excerpt {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, " {num} | {excerpt}");
            if self.column > 0 {
                let caret_at = excerpt
                    .chars()
                    .take(self.column as usize - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect::<String>();
                let _ = writeln!(out, " {pad} | {caret_at}^");
            }
        }
        if let Some(s) = &self.suggestion {
            let _ = writeln!(out, "  aide : {s}");
        }
        out
    }
}

/// Longest message or hint shown, in characters: a text quoted from the
/// content (a 300,000-character link) is cut in its middle.
const MAX_TEXT: usize = 600;

fn shorten(s: String) -> String {
    if s.len() <= MAX_TEXT {
        return s;
    }
    let n = s.chars().count();
    if n <= MAX_TEXT {
        return s;
    }
    let head: String = s.chars().take(MAX_TEXT / 2).collect();
    let tail: String = s.chars().skip(n - MAX_TEXT / 2).collect();
    format!("{head} […] {tail}")
}

fn truncate_chars(s: &str, max: usize) -> String {
    let s = s.trim_end_matches('\r');
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// All the diagnostics of a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// The diagnostics in a stable order: by file, line, column, message.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    /// Iterates without sorting.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The names in `candidates` closest to `wrong`, best first (at most three).
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wrong_l = wrong.to_lowercase();
    let wrong_n = wrong_l.chars().count();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let c_l = c.to_lowercase();
            let c_n = c_l.chars().count();
            let limit = (c_n.max(wrong_n) / 3).max(2);
            let prefix =
                !wrong_l.is_empty() && (c.starts_with(&wrong_l) || wrong_l.starts_with(&c_l));
            // One name the prefix of the other: the distance is the length
            // difference. Otherwise that difference is a lower bound, which
            // spares the quadratic distance for names far apart in length
            // (a 300,000-character link against the site's paths).
            let d = if prefix {
                wrong_n.abs_diff(c_n)
            } else if wrong_n.abs_diff(c_n) > limit {
                return None;
            } else {
                strsim::damerau_levenshtein(&wrong_l, &c_l)
            };
            (d <= limit || prefix).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "vouliez-vous dire `a` ?" or "valeurs possibles : …" when nothing is close.
pub fn suggestion_for<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let near = closest(wrong, candidates.clone());
    if near.is_empty() {
        let all: Vec<&str> = candidates.into_iter().collect();
        if all.is_empty() {
            return String::new();
        }
        let shown: Vec<String> = all.iter().take(12).map(|c| format!("`{c}`")).collect();
        let more = if all.len() > 12 { ", …" } else { "" };
        format!("valeurs possibles : {}{more}", shown.join(", "))
    } else {
        let shown: Vec<String> = near.iter().map(|c| format!("`{c}`")).collect();
        format!("vouliez-vous dire {} ?", shown.join(" ou "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_one_edit_typos() {
        assert_eq!(
            closest("tittle", ["title", "date", "section"]),
            vec!["title"]
        );
        assert!(closest("zzzzzz", ["title", "date"]).is_empty());
    }

    #[test]
    fn human_report_has_path_line_excerpt_and_caret() {
        let d = Diagnostic::error("content/a.md", 2, 3, "clé inconnue")
            .with_source("---\nxxtittle: a\n---")
            .with_suggestion("vouliez-vous dire `title` ?");
        let h = d.to_human();
        assert!(
            h.starts_with("erreur : content/a.md:2:3 : clé inconnue"),
            "{h}"
        );
        assert!(h.contains(" 2 | xxtittle: a"), "{h}");
        assert!(h.contains("   |   ^"), "{h}");
        assert!(h.contains("aide : vouliez-vous dire `title` ?"), "{h}");
    }

    #[test]
    fn sorted_is_stable_and_deduplicated() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("b.md", 1, 1, "x"));
        ds.push(Diagnostic::error("a.md", 9, 1, "y"));
        ds.push(Diagnostic::error("a.md", 9, 1, "y"));
        let v = ds.sorted();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].file, "a.md");
    }
}
