//! Splitting a content file into YAML front matter and Markdown body, and
//! deserialising the front matter into a typed struct with French,
//! located diagnostics.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_yaml_ng::Value;

use crate::diagnostics::{Diagnostic, suggestion_for};
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
    if text.contains('\0') {
        return Err(Diagnostic::error(
            file,
            0,
            0,
            "ce fichier contient des caractères binaires : ce n'est pas un texte Markdown",
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

/// Parses `yaml` (starting after `offset` lines of `source`) into `T`,
/// reporting unknown keys and every type mistake found.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    source: &str,
    yaml: &str,
    offset: u32,
    schema: &'static [Key],
) -> Result<Parsed<T>, Vec<Diagnostic>> {
    let parsed = match super::fastyaml::parse(yaml) {
        Some(v) => Ok(v),
        None => serde_yaml_ng::from_str(yaml),
    };
    let value: Value = match parsed {
        Ok(Value::Null) => Value::Mapping(Default::default()),
        Ok(v) => v,
        Err(e) => return Err(vec![yaml_error(file, source, offset, &e, "")]),
    };
    if !matches!(value, Value::Mapping(_)) {
        return Err(vec![
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
        && let Ok(t) = serde_yaml_ng::from_value::<T>(value)
    {
        return Ok((t, key_lines));
    }
    let de =
        serde_yaml_ng::Deserializer::from_str(if yaml.trim().is_empty() { "{}" } else { yaml });
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(t) if errors.is_empty() => return Ok((t, key_lines)),
        Ok(_) => {}
        Err(e) => {
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
            errors.push(d);
        }
    }
    Err(errors)
}

/// A serde_yaml error turned into a French diagnostic.
fn yaml_error(
    file: &str,
    source: &str,
    offset: u32,
    e: &serde_yaml_ng::Error,
    path: &str,
) -> Diagnostic {
    let raw = e.to_string();
    let msg = raw.split(" at line ").next().unwrap_or(&raw);
    let msg = msg.split(" at position ").next().unwrap_or(msg);
    let (line, col) = e
        .location()
        .map(|l| (l.line() as u32 + offset, l.column() as u32))
        .unwrap_or((0, 0));
    let (message, suggestion) = french_message(msg, path);
    let mut d = Diagnostic::error(file, line, col, message);
    if let Some(s) = suggestion {
        d = d.with_suggestion(s);
    }
    d.with_source(source)
}

/// Translates serde and libyaml messages into French, with a hint.
fn french_message(msg: &str, path: &str) -> (String, Option<String>) {
    let path = path.trim_start_matches('.');
    let at = |s: String| {
        if path.is_empty() || path == "?" {
            s
        } else {
            format!("`{path}` : {s}")
        }
    };
    // The path prefix serde_yaml adds ("president.gender: …") is redundant with ours.
    let msg = match msg.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') && !p.is_empty() => rest,
        _ => msg,
    };
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        let full = if path.is_empty() || path == "?" || path == "." {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        return (
            format!("la clé obligatoire `{full}` manque"),
            Some(format!("ajoutez une ligne `{field}: …`")),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        return (
            at(format!("valeur « {value} » non reconnue")),
            Some(suggestion_for(value, choices.iter().copied())),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            at(format!(
                "type de valeur invalide : {} au lieu de {}",
                french_kind(found),
                french_kind(expected)
            )),
            None,
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            at(format!(
                "valeur invalide : {} au lieu de {}",
                french_kind(found),
                french_kind(expected)
            )),
            None,
        );
    }
    if msg.starts_with("duplicate entry") || msg.contains("duplicate key") {
        let key = msg.split('"').nth(1).unwrap_or("?");
        return (
            format!("la clé `{key}` est écrite deux fois"),
            Some("gardez-en une seule".into()),
        );
    }
    let syntax: &[(&str, &str, &str)] = &[
        (
            "mapping values are not allowed",
            "deux-points inattendu dans une valeur",
            "mettez la valeur entre guillemets, par exemple title: \"Réunion : bilan\"",
        ),
        (
            "did not find expected key",
            "clé attendue à cet endroit",
            "vérifiez l'indentation (des espaces, pas de tabulations) et les guillemets",
        ),
        (
            "found character that cannot start any plain scalar",
            "caractère interdit en début de valeur",
            "mettez la valeur entre guillemets",
        ),
        (
            "found a tab character",
            "tabulation dans l'indentation",
            "indentez avec des espaces",
        ),
        (
            "did not find expected",
            "structure YAML incomplète",
            "vérifiez les tirets des listes et les crochets ou accolades fermants",
        ),
        (
            "found unexpected end of stream",
            "fin de l'en-tête inattendue",
            "un guillemet, un crochet ou une accolade n'est pas fermé",
        ),
        (
            "found unknown escape character",
            "séquence d'échappement inconnue entre guillemets doubles",
            "utilisez des guillemets simples, ou doublez la barre oblique inverse",
        ),
        (
            "block sequence entries are not allowed",
            "liste à tirets mal placée",
            "passez à la ligne et indentez la liste sous sa clé",
        ),
        (
            "repetition limit exceeded",
            "trop de répétitions d'alias YAML (*…)",
            "écrivez les valeurs en entier plutôt que par des alias",
        ),
        (
            "recursion limit exceeded",
            "structure trop imbriquée",
            "simplifiez l'en-tête",
        ),
        (
            "unknown anchor",
            "ancre YAML inconnue (*…)",
            "retirez l'astérisque ou mettez la valeur entre guillemets",
        ),
    ];
    for (en, fr, hint) in syntax {
        if msg.contains(en) {
            return (format!("syntaxe YAML : {fr}"), Some((*hint).to_string()));
        }
    }
    if msg.starts_with("date invalide") || msg.contains('«') {
        // Our own messages say "… : attendu X": the expected form is the hint.
        if let Some((m, hint)) = msg.split_once(" : attendu ") {
            return (at(m.to_string()), Some(format!("attendu {hint}")));
        }
        return (at(msg.to_string()), None);
    }
    (at(format!("en-tête YAML invalide ({msg})")), None)
}

/// "string \"x\"" → "le texte « x »", "a boolean" → "true ou false", …
fn french_kind(s: &str) -> String {
    let s = s.trim();
    if let Some(v) = s.strip_prefix("string ") {
        return format!("le texte « {} »", v.trim_matches('"'));
    }
    if let Some(v) = s.strip_prefix("integer ") {
        return format!("le nombre {}", v.trim_matches('`'));
    }
    if let Some(v) = s.strip_prefix("floating point ") {
        return format!("le nombre {}", v.trim_matches('`'));
    }
    if let Some(v) = s.strip_prefix("boolean ") {
        return format!("la valeur {}", v.trim_matches('`'));
    }
    let table: &[(&str, &str)] = &[
        ("a boolean", "true ou false"),
        ("a string", "un texte"),
        ("a sequence", "une liste ([a, b] ou lignes à tirets)"),
        ("sequence", "une liste"),
        ("a map", "des clés « clé: valeur »"),
        ("map", "des clés « clé: valeur »"),
        ("unit value", "une valeur vide"),
        ("u32", "un nombre entier positif"),
        ("i64", "un nombre entier"),
        ("i32", "un nombre entier"),
        ("a borrowed string", "un texte"),
        ("char", "un caractère"),
    ];
    for (en, fr) in table {
        if s == *en {
            return (*fr).to_string();
        }
    }
    if s.starts_with("struct ") || s.starts_with("a map") {
        return "des clés « clé: valeur »".into();
    }
    if s.starts_with("enum ") || s.starts_with("variant") {
        return "une des valeurs permises".into();
    }
    if s.starts_with("option") || s.starts_with("a string or") {
        return "un texte".into();
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ARTICLE_KEYS, ArticleFront};

    fn parse_article(text: &str) -> Result<Parsed<ArticleFront>, Vec<Diagnostic>> {
        let text = decode("a.md", text.as_bytes()).map_err(|d| vec![d])?;
        let s = split("a.md", &text).map_err(|d| vec![d])?;
        parse::<ArticleFront>("a.md", &text, s.yaml, s.yaml_offset, ARTICLE_KEYS)
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
        let errs = parse::<ArticleFront>("a.md", y, y, 0, ARTICLE_KEYS).unwrap_err();
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
}
