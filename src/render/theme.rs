//! The theme: Tera templates and static files, read once per build and
//! shared by every renderer (one Tera instance, templates parsed once).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// A theme file as read from disk.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path inside the theme (`templates/base.html`, `static/style.css`).
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Compiled templates plus static files to copy.
pub struct Theme {
    /// The one Tera instance.
    pub tera: tera::Tera,
    /// Files under `static/`, published at the site root.
    pub statics: Vec<ThemeFile>,
    /// Where the theme comes from, for diagnostics (`themes/cuf`).
    pub origin: String,
}

/// The default theme, embedded at compile time by `build.rs`.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// The theme files built into the binary for theme `name` (only `cuf`).
pub fn embedded(name: &str) -> &'static [(&'static str, &'static [u8])] {
    if name == "cuf" {
        embedded::EMBEDDED_CUF
    } else {
        &[]
    }
}

/// The files of theme `name`: the embedded default theme, overridden file by
/// file by the site's own `root/themes/<name>/` when it exists (the only I/O
/// here). A content repository therefore needs only `content/`.
pub fn read_theme(root: &Path, name: &str) -> Result<Vec<ThemeFile>, Diagnostic> {
    let dir = root.join("themes").join(name);
    let builtin = embedded(name);
    if !dir.is_dir() && builtin.is_empty() {
        return Err(
            Diagnostic::error(format!("themes/{name}"), 0, 0, "thème introuvable")
                .with_suggestion("le dossier themes/cuf/ doit contenir templates/ et static/"),
        );
    }
    let mut files: BTreeMap<String, Vec<u8>> = builtin
        .iter()
        .map(|(p, b)| ((*p).to_string(), b.to_vec()))
        .collect();
    if dir.is_dir() {
        for f in read_dir_files(&dir, name)? {
            files.insert(f.path, f.bytes);
        }
    }
    Ok(files
        .into_iter()
        .map(|(path, bytes)| ThemeFile { path, bytes })
        .collect())
}

/// Every file under `dir`, sorted, with its path inside the theme.
fn read_dir_files(dir: &Path, name: &str) -> Result<Vec<ThemeFile>, Diagnostic> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::error(
                format!("themes/{name}"),
                0,
                0,
                format!("lecture impossible : {e}"),
            )
        })?;
        if !entry.file_type().is_file()
            || crate::load::is_ignored(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(
                format!("themes/{name}/{rel}"),
                0,
                0,
                format!("lecture impossible : {e}"),
            )
        })?;
        files.push(ThemeFile { path: rel, bytes });
    }
    Ok(files)
}

/// `{{ text | typo }}`: a plain-text field (already spaced at load) as
/// HTML with its ordinals in `<sup>` (« 9es » → 9<sup>es</sup>); HTML
/// already marked safe is kept as it is.
fn typo_filter(x: tera::StringInput, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if x.is_safe() {
        return x.inherit_safety(x.as_str().to_string());
    }
    tera::Value::safe_string(&crate::load::typography::title_html(x.as_str()))
}

/// Compiles the templates; every template mistake becomes a located diagnostic.
pub fn compile(files: Vec<ThemeFile>, origin: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".htm"]);
    tera.set_escape_fn(crate::postprocess::escape_html);
    tera.register_filter("typo", typo_filter);
    let mut statics = Vec::new();
    let mut templates = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        if let Some(name) = f.path.strip_prefix("templates/") {
            match String::from_utf8(f.bytes) {
                Ok(s) => templates.push((name.to_string(), s)),
                Err(_) => errors.push(Diagnostic::error(
                    format!("{origin}/{}", f.path),
                    0,
                    0,
                    "ce gabarit n'est pas du texte UTF-8",
                )),
            }
        } else if let Some(name) = f.path.strip_prefix("static/") {
            statics.push(ThemeFile {
                path: name.to_string(),
                bytes: f.bytes,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
    {
        return Err(vec![template_error(&e, origin, &templates)]);
    }
    Ok(Theme {
        tera,
        statics,
        origin: origin.to_string(),
    })
}

/// A Tera error as a diagnostic on the template file and line.
pub fn template_error(e: &tera::Error, origin: &str, sources: &[(String, String)]) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let file = format!("{origin}/templates/{}", r.filename());
            let span = r.span();
            let mut d = Diagnostic::error(
                file,
                span.start_line as u32,
                span.start_col as u32 + 1,
                format!("erreur de gabarit : {}", r.message()),
            );
            if let Some((_, src)) = sources.iter().find(|(n, _)| n == r.filename()) {
                d = d.with_source(src);
            }
            d
        }
        other => Diagnostic::error(
            format!("{origin}/templates"),
            0,
            0,
            format!("erreur de gabarit : {other}"),
        ),
    }
}

impl Theme {
    /// Renders `template` with `ctx`, turning a failure into a diagnostic.
    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| template_error(&e, &self.origin, &[]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_is_embedded() {
        let paths: Vec<&str> = embedded("cuf").iter().map(|(p, _)| *p).collect();
        assert!(paths.contains(&"templates/base.html"), "{paths:?}");
        assert!(paths.contains(&"static/style.css"), "{paths:?}");
        assert!(embedded("autre").is_empty());
    }

    #[test]
    fn site_files_override_embedded_ones_file_by_file() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("themes/cuf/templates");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("404.html"), "à moi").unwrap();
        let files = read_theme(dir.path(), "cuf").unwrap();
        let get = |p: &str| files.iter().find(|f| f.path == p).map(|f| f.bytes.clone());
        assert_eq!(get("templates/404.html").unwrap(), "à moi".as_bytes());
        assert!(get("templates/base.html").is_some(), "les autres restent");
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(
            read_theme(empty.path(), "cuf").unwrap().len(),
            embedded("cuf").len()
        );
        assert!(read_theme(empty.path(), "autre").is_err());
    }
}
