//! Splitting a content file into YAML front matter and Markdown body, and
//! deserialising the front matter into a typed struct with French,
//! located diagnostics.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use yaml_serde::Value;

use super::yamlerror::yaml_error;
use crate::diagnostics::Diagnostic;
use crate::schema::{Key, KeyLocator, check_keys, check_values};

/// A file cut in two.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Number of lines before the YAML (the opening `---`).
    pub yaml_offset: u32,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Number of lines before the body.
    pub body_offset: u32,
}

/// Normalises raw bytes to text: UTF-8 check, BOM removed, CRLF to LF.
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let col = good.iter().rev().take_while(|b| **b != b'\n').count() as u32 + 1;
        Diagnostic::error(
            file,
            line,
            col,
            "ce fichier n'est pas du texte UTF-8 (octet invalide)",
        )
        .with_suggestion(
            "enregistrez-le en « UTF-8 » depuis votre éditeur ; s'il s'agit d'une image ou d'un document, il ne doit pas porter l'extension .md",
        )
    })?;
    // One scan for the common case: neither NUL nor carriage return.
    if memchr::memchr2(b'\0', b'\r', text.as_bytes()).is_none() {
        return Ok(text.to_string());
    }
    if let Some(nul) = memchr::memchr(b'\0', text.as_bytes()) {
        let before = &text[..nul];
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() as u32 + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        return Err(Diagnostic::error(
            file,
            line,
            col,
            "ce fichier contient des caractères binaires (octet nul) : ce n'est pas un texte Markdown",
        )
        .with_suggestion(
            "s'il s'agit d'une image ou d'un document, il ne doit pas porter l'extension .md ; sinon, enregistrez-le de nouveau en texte UTF-8",
        ));
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// Cuts `text` (already decoded) at its `---` lines.
pub fn split<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let hint = "un fichier de contenu commence par une ligne ---, puis les clés YAML (title: …), puis une ligne --- et le texte";
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, 1, 1, "fichier vide").with_suggestion(hint));
    }
    if text.trim_end() == "---" {
        return Err(Diagnostic::error(
            file,
            1,
            1,
            "l'en-tête YAML n'est pas fermé : il manque les clés et une ligne --- de fin",
        )
        .with_suggestion(hint));
    }
    let Some(rest) = text.strip_prefix("---\n").or_else(|| {
        text.strip_prefix("---")
            .filter(|r| r.trim_start_matches([' ', '\t']).starts_with('\n'))
            .map(|r| r.trim_start_matches([' ', '\t']).trim_start_matches('\n'))
    }) else {
        return Err(Diagnostic::error(
            file,
            1,
            1,
            "l'en-tête YAML manque : la première ligne doit être ---",
        )
        .with_suggestion(hint)
        .with_source(text));
    };
    let mut offset = 0usize;
    while offset < rest.len() {
        let end = memchr::memchr(b'\n', &rest.as_bytes()[offset..])
            .map_or(rest.len(), |e| offset + e + 1);
        let line = &rest[offset..end];
        if line.starts_with("---") && line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let yaml_lines = memchr::memchr_iter(b'\n', yaml.as_bytes()).count() as u32;
            return Ok(Split {
                yaml,
                yaml_offset: 1,
                body,
                body_offset: 2 + yaml_lines,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        1,
        1,
        "l'en-tête YAML n'est pas fermé : il manque une ligne --- après les clés",
    )
    .with_suggestion(hint)
    .with_source(text))
}

/// True when two versions of a content file have the same front matter,
/// on the same lines (only the text after the closing `---` differs):
/// their front matter's values and the lines of its keys are the same.
pub fn same_front(a: &[u8], b: &[u8]) -> bool {
    let (Ok(a), Ok(b)) = (decode("", a), decode("", b)) else {
        return false;
    };
    match (split("", &a), split("", &b)) {
        (Ok(x), Ok(y)) => x.yaml == y.yaml && x.body_offset == y.body_offset,
        _ => false,
    }
}

/// Warnings for unquoted values cut by a YAML comment: in
/// `title: Réunion #3`, everything from ` #` is silently dropped.
pub fn comment_warnings(file: &str, source: &str, yaml: &str, offset: u32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // A warning needs a ` #` in a value: most headers have none.
    if !yaml.contains(" #") {
        return out;
    }
    for (i, line) in yaml.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let Some((key, value)) = trimmed.split_once(": ") else {
            continue;
        };
        let value = value.trim_start();
        if key.starts_with('#')
            || key.contains(' ')
            || value.is_empty()
            || value.starts_with(['"', '\'', '#', '[', '{', '|', '>'])
        {
            continue;
        }
        if let Some(pos) = value.find(" #") {
            let hash_at = line.len() - value.len() + pos + 1;
            let col = line[..hash_at].chars().count() + 1;
            out.push(
                Diagnostic::warning(
                    file,
                    i as u32 + 1 + offset,
                    col as u32,
                    format!("`{key}` : le texte après « #» est un commentaire YAML et sera ignoré"),
                )
                .with_suggestion(format!(
                    "mettez la valeur entre guillemets : {key}: \"{}\"",
                    value.replace('"', "\\\"")
                ))
                .with_source(source),
            );
        }
    }
    out
}

/// The typed front matter and the line of each top-level key.
pub type Parsed<T> = (T, BTreeMap<String, u32>);

/// What parsing a front matter gave: every mistake found, and the typed
/// value when one could be made all the same (the mistaken keys left out
/// or corrected), so that the file's other keys and references are still
/// checked. A value that comes with errors is never published: the errors
/// fail the build.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The value, possibly recovered despite `errors`.
    pub parsed: Option<Parsed<T>>,
    /// Every mistake found.
    pub errors: Vec<Diagnostic>,
}

impl<T> Outcome<T> {
    /// The value when there is no error, else every error.
    pub fn into_result(self) -> Result<Parsed<T>, Vec<Diagnostic>> {
        match self.parsed {
            Some(p) if self.errors.is_empty() => Ok(p),
            _ => Err(self.errors),
        }
    }
}

/// Parses `yaml` (starting after `offset` lines of `source`) into `T`,
/// reporting unknown keys and every type mistake found. Writers' syntax
/// mistakes are found by [`prescan`](super::prescan) first, worded in
/// French where they are; the text as the hints correct it is then parsed,
/// so that the other keys are checked in the same run.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    source: &str,
    yaml: &str,
    offset: u32,
    schema: &'static [Key],
) -> Outcome<T> {
    let pre = super::prescan::prescan(file, source, yaml, offset);
    if pre.errors.is_empty() {
        return typed(file, source, yaml, offset, schema).0;
    }
    let mut errors = pre.errors;
    let Some(repaired) = pre.repaired else {
        return Outcome {
            parsed: None,
            errors,
        };
    };
    let (inner, syntax) = typed::<T>(file, source, &repaired, offset, schema);
    // A syntax error left in the corrected text is not the writer's.
    if !syntax {
        errors.extend(inner.errors);
    }
    Outcome {
        parsed: inner.parsed,
        errors,
    }
}

/// [`parse`] without the pre-scan; true when the text is not valid YAML.
fn typed<T: DeserializeOwned>(
    file: &str,
    source: &str,
    yaml: &str,
    offset: u32,
    schema: &'static [Key],
) -> (Outcome<T>, bool) {
    let failed = |errors| {
        (
            Outcome {
                parsed: None,
                errors,
            },
            true,
        )
    };
    let parsed = match super::fastyaml::parse(yaml) {
        Some(v) => Ok(v),
        None => yaml_serde::from_str(yaml),
    };
    let value: Value = match parsed {
        Ok(Value::Null) => Value::Mapping(Default::default()),
        Ok(v) => v,
        Err(e) => return failed(vec![yaml_error(file, source, offset, &e, "")]),
    };
    if !matches!(value, Value::Mapping(_)) {
        return failed(vec![
            Diagnostic::error(
                file,
                offset + 1,
                1,
                "l'en-tête doit être une liste de clés « clé: valeur »",
            )
            .with_source(source),
        ]);
    }
    let locator = KeyLocator::new(yaml, offset);
    let mut errors = check_keys(&value, schema, file, source, &locator);
    errors.extend(check_values(&value, schema, file, source, &locator));
    let key_lines = locator.top_level();
    // Fast path: the tree already parsed. Only a failure is parsed again,
    // from the text, for the located message.
    if errors.is_empty()
        && let Ok(t) = yaml_serde::from_value::<T>(value)
    {
        return (
            Outcome {
                parsed: Some((t, key_lines)),
                errors,
            },
            false,
        );
    }
    let de = yaml_serde::Deserializer::from_str(if yaml.trim().is_empty() { "{}" } else { yaml });
    let path = match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(t) => {
            return (
                Outcome {
                    parsed: Some((t, key_lines)),
                    errors,
                },
                false,
            );
        }
        Err(e) => {
            errors.push(type_error(file, source, offset, &locator, &e));
            e.path().to_string()
        }
    };
    let parsed = recover::<T>(yaml, path, file, source, offset, &locator, &mut errors)
        .map(|t| (t, key_lines));
    (Outcome { parsed, errors }, false)
}

/// A type mistake located at its key.
fn type_error(
    file: &str,
    source: &str,
    offset: u32,
    locator: &KeyLocator<'_>,
    e: &serde_path_to_error::Error<yaml_serde::Error>,
) -> Diagnostic {
    let path = e.path().to_string();
    let mut d = yaml_error(file, source, offset, e.inner(), &path);
    // Custom errors point at the document start: find the key from the path.
    if (d.line <= offset + 1 || !d.message.contains("syntaxe"))
        && !path.is_empty()
        && path != "."
        && let Some((line, col)) = locator.locate_path(&path)
    {
        d.line = line;
        d.column = col;
        d = d.with_source(source);
    }
    // Missing keys are reported at the mapping; point at line 1 of the YAML.
    if d.line == 0 {
        d.line = offset + 1;
        d.column = 1;
        d = d.with_source(source);
    }
    d
}

/// After a type mistake at `path`: the value without the mistaken keys,
/// one after the other, so that every mistaken key is reported and the
/// others are still checked. `None` when a required key is missing.
fn recover<T: DeserializeOwned>(
    yaml: &str,
    mut path: String,
    file: &str,
    source: &str,
    offset: u32,
    locator: &KeyLocator<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut value: Value = yaml_serde::from_str(yaml).ok()?;
    let mut removed: Vec<String> = Vec::new();
    for _ in 0..32 {
        if !remove_path(&mut value, &path) {
            return None;
        }
        removed.push(path.trim_start_matches('.').to_string());
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return Some(t),
            Err(e) => {
                path = e.path().to_string();
                let message = e.inner().to_string();
                if let Some(field) = message
                    .split("missing field `")
                    .nth(1)
                    .and_then(|r| r.split('`').next())
                {
                    let parent = path.trim_start_matches('.');
                    let full = if parent.is_empty() {
                        field.to_string()
                    } else {
                        format!("{parent}.{field}")
                    };
                    // Missing because it was left out here, or truly
                    // missing: either way, no value can be made.
                    if !removed.contains(&full) {
                        errors.push(type_error(file, source, offset, locator, &e));
                    }
                    return None;
                }
                errors.push(type_error(file, source, offset, locator, &e));
            }
        }
    }
    None
}

/// Removes the key or list item a serde path (`a.b`, `c[2].d`) names.
fn remove_path(value: &mut Value, path: &str) -> bool {
    let segs: Vec<&str> = path
        .trim_start_matches('.')
        .split('.')
        .filter(|s| !s.is_empty())
        .collect();
    let Some((last, parents)) = segs.split_last() else {
        return false;
    };
    let mut node = value;
    for seg in parents {
        let (key, index) = split_segment(seg);
        node = match node.get_mut(key) {
            Some(n) => n,
            None => return false,
        };
        if let Some(i) = index {
            node = match node.get_mut(i) {
                Some(n) => n,
                None => return false,
            };
        }
    }
    let (key, index) = split_segment(last);
    match index {
        None => node
            .as_mapping_mut()
            .is_some_and(|m| m.remove(key).is_some()),
        Some(i) => match node.get_mut(key).and_then(Value::as_sequence_mut) {
            Some(items) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
    }
}

/// `name[3]` → ("name", Some(3)); `name` → ("name", None).
fn split_segment(seg: &str) -> (&str, Option<usize>) {
    match seg.split_once('[') {
        Some((k, rest)) => (k, rest.trim_end_matches(']').parse().ok()),
        None => (seg, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ARTICLE_KEYS, ArticleFront};

    fn parse_article(text: &str) -> Result<Parsed<ArticleFront>, Vec<Diagnostic>> {
        let text = decode("a.md", text.as_bytes()).map_err(|d| vec![d])?;
        let s = split("a.md", &text).map_err(|d| vec![d])?;
        parse::<ArticleFront>("a.md", &text, s.yaml, s.yaml_offset, ARTICLE_KEYS).into_result()
    }

    #[test]
    fn split_handles_bom_and_crlf() {
        let t = decode("a.md", b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nCorps\r\n").unwrap();
        let s = split("a.md", &t).unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "Corps\n");
        assert_eq!(s.body_offset, 3);
    }

    #[test]
    fn a_lone_dash_line_is_an_unclosed_header() {
        // Regression: "---" alone was reported as "the first line must be ---".
        let e = split("a.md", "---").unwrap_err();
        assert!(e.message.contains("pas fermé"), "{}", e.message);
    }

    #[test]
    fn alias_bombs_are_refused_in_french() {
        let y = "a: &a [1,2]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d]\n";
        let errs = parse::<ArticleFront>("a.md", y, y, 0, ARTICLE_KEYS)
            .into_result()
            .unwrap_err();
        assert!(errs[0].message.contains("alias"), "{}", errs[0].message);
    }

    #[test]
    fn empty_and_unclosed_files_are_reported() {
        assert!(split("a.md", "").unwrap_err().message.contains("vide"));
        assert!(
            split("a.md", "---\ntitle: x\n")
                .unwrap_err()
                .message
                .contains("fermé")
        );
        assert!(
            split("a.md", "title: x\n")
                .unwrap_err()
                .message
                .contains("---")
        );
    }

    #[test]
    fn binary_junk_is_an_error_not_a_panic() {
        let e = decode("a.md", &[0x2d, 0xff, 0xfe, 0x00]).unwrap_err();
        assert!(e.message.contains("UTF-8"));
    }

    #[test]
    fn typo_key_and_missing_key_are_both_reported() {
        let errs = parse_article("---\ntittle: x\nsection: a\n---\n").unwrap_err();
        let msgs: Vec<_> = errs.iter().map(|d| d.message.as_str()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("`tittle` : clé inconnue")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("`title` manque")),
            "{msgs:?}"
        );
        let typo = errs.iter().find(|d| d.message.contains("tittle")).unwrap();
        assert_eq!((typo.line, typo.column), (2, 1));
        assert_eq!(
            typo.suggestion.as_deref(),
            Some("vouliez-vous dire `title` ?")
        );
    }

    #[test]
    fn wrong_type_names_the_key_and_line() {
        let errs = parse_article("---\ntitle: x\nsection: a\ndraft: peut-être\n---\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 4, "{:?}", errs[0]);
        assert!(errs[0].message.contains("`draft`"), "{}", errs[0].message);
        assert!(
            errs[0].message.contains("true ou false"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn yaml_syntax_error_is_located_and_french() {
        let errs = parse_article("---\ntitle: Réunion : bilan\nsection: a\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(
            errs[0].message.starts_with("syntaxe YAML"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn unquoted_hash_is_a_warning() {
        let w = comment_warnings("a.md", "", "title: Réunion #3\nlink: \"a #b\"\n", 1);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].column), (2, 16));
        assert!(
            w[0].suggestion
                .as_deref()
                .unwrap()
                .contains("\"Réunion #3\"")
        );
    }

    #[test]
    fn bad_date_is_explained() {
        let errs = parse_article("---\ntitle: x\nsection: a\ndate: 2025-13-01\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 4);
        assert!(
            errs[0].message.contains("2025-13-01"),
            "{}",
            errs[0].message
        );
        let hint = errs[0].suggestion.as_deref().unwrap_or_default();
        assert!(hint.contains("AAAA-MM-JJ"), "{hint}");
    }

    #[test]
    fn same_front_sees_a_body_edit_only() {
        let a = b"---\ntitle: Dakar\nsince: 2001\n---\nUn texte.\n";
        let body = b"---\ntitle: Dakar\nsince: 2001\n---\nUn texte revu.\n";
        let crlf = b"---\r\ntitle: Dakar\r\nsince: 2001\r\n---\r\nAutre.\r\n";
        assert!(same_front(a, body));
        assert!(same_front(a, crlf));
        assert!(!same_front(
            a,
            b"---\ntitle: Dakar\nsince: 2002\n---\nUn texte.\n"
        ));
        assert!(!same_front(
            a,
            b"---\n\ntitle: Dakar\nsince: 2001\n---\nUn texte.\n"
        ));
        assert!(!same_front(
            a,
            b"---\ntitle: Dakar\nsince: 2001\nUn texte.\n"
        ));
        assert!(!same_front(b"\xff", b"\xff"));
    }
}
